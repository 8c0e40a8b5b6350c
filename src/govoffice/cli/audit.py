"""``govoffice audit``: tamper evidence and the decision trail (ADR 0018).

- ``govoffice audit verify [--store URL]``: recompute the hash chain of every stored event
  and compare the log with its checkpoints; exit status 0 when clean, 1 when tampered (the
  first broken event is named), 2 for an office error (e.g. no such store).
- ``govoffice audit checkpoint [--store URL]``: verify, then record the log's hash.
- ``govoffice audit trail ID [--at TIME | --version N] [--format text|json|csv]``: every
  decision on a record, who, on whose behalf, when, which opinion, and whether the actor
  held the needed role at that time; with ``--at``/``--version``, up to that point.

The audit key, when the store uses one, comes from ``GOVOFFICE_AUDIT_KEY``.
"""

from __future__ import annotations

import csv
import io
import json
import sys

import click

from govoffice.cli import STORE_OPTION, main, opened, parse_time, record_id


@main.group()
def audit() -> None:
    """审计: tamper evidence of the event store, and the decision trail of a record."""


@audit.command()
@STORE_OPTION
def verify(store: str | None) -> None:
    """Check that no stored event was edited, deleted, reordered, inserted or cut off.

    Exit status 0: clean; 1: tampered (the first broken event is named)."""
    with opened(store, existing=True) as office:
        report = office.audit.verify()
    if report.ok:
        click.echo(report.describe())
        return
    click.echo(report.describe(), err=True)
    sys.exit(1)


@audit.command()
@STORE_OPTION
def checkpoint(store: str | None) -> None:
    """Verify the log, then record its hash as a checkpoint (exit status 1 if tampered)."""
    from govoffice.application.audit import TamperDetected

    with opened(store, existing=True) as office:
        try:
            cp = office.audit.checkpoint()
        except TamperDetected as e:
            click.echo(e.report.describe(), err=True)
            sys.exit(1)
    click.echo(
        f"检查点 checkpoint: notification {cp.notification_id}, {cp.count} events, "
        f"log hash {cp.global_hash} ({cp.recorded_at.isoformat(timespec='seconds')})"
    )


@audit.command()
@STORE_OPTION
@click.argument("record_id_text", metavar="RECORD_ID")
@click.option("--at", "at_text", default=None, help="The record as of this business time.")
@click.option("--version", "version", type=click.IntRange(min=1), default=None)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def trail(
    store: str | None, record_id_text: str, at_text: str | None, version: int | None, fmt: str
) -> None:
    """Every decision on a record (document, incoming document, meeting, proposal,
    supervision task): who, on whose behalf, when, which opinion, and whether the actor held
    the needed role at that time; with --at or --version, as of that point."""
    from govoffice.application.audit import CSV_COLUMNS

    with opened(store, existing=True) as office:
        at = parse_time(at_text) if at_text else None
        result = office.audit.trail(record_id(office, record_id_text), at=at, version=version)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = result.rows()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(result.describe())
