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
import os
import sys
from urllib.parse import unquote, urlsplit

import click

from govoffice.application.audit import CSV_COLUMNS, TamperDetected
from govoffice.cli import STORE_OPTION, _parse_time, main, opened
from govoffice.domain.errors import RecordNotFound


def _existing(url: str) -> str:
    """Auditing reads a store; it never creates an empty SQLite file by mistake."""
    parts = urlsplit(url.strip())
    if parts.scheme == "sqlite" and not parts.netloc:
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if path and path != ":memory:" and not os.path.isfile(path):
            raise RecordNotFound("存储", f"{url} (找不到文件 {path})")
    return url


@main.group()
def audit() -> None:
    """审计: tamper evidence of the event store, and the decision trail of a record."""


@audit.command()
@STORE_OPTION
def verify(store: str) -> None:
    """Check that no stored event was edited, deleted, reordered, inserted or cut off.

    Exit status 0: clean; 1: tampered (the first broken event is named)."""
    with opened(_existing(store)) as office:
        report = office.audit.verify()
    if report.ok:
        click.echo(report.describe())
        return
    click.echo(report.describe(), err=True)
    sys.exit(1)


@audit.command()
@STORE_OPTION
def checkpoint(store: str) -> None:
    """Verify the log, then record its hash as a checkpoint (exit status 1 if tampered)."""
    with opened(_existing(store)) as office:
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
@click.argument("record_id")
@click.option("--at", "at_text", default=None, help="The record as of this business time.")
@click.option("--version", "version", type=click.IntRange(min=1), default=None)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
def trail(store: str, record_id: str, at_text: str | None, version: int | None, fmt: str) -> None:
    """Every decision on a record (document, incoming document, meeting, proposal,
    supervision task): who, on whose behalf, when, which opinion, and whether the actor held
    the needed role at that time; with --at or --version, as of that point."""
    with opened(_existing(store)) as office:
        at = _parse_time(at_text) if at_text else None
        result = office.audit.trail(record_id, at=at, version=version)
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


@audit.command("late-entries")
@STORE_OPTION
@click.option("--year", type=int, default=None, help="Only acts dated in this year (agency's).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def late_entries(store: str, year: int | None, fmt: str) -> None:
    """补录: decisions recorded later than the late-entry policy's delay after their business
    time, whether their actor still held the authority when they were recorded, and who
    entered them for him (ADR 0025)."""
    with opened(_existing(store)) as office:
        report = office.audit.late_entries(year=year)
    if fmt == "json":
        rows = [
            {
                "record": str(e.record_id),
                "kind": e.kind,
                "version": e.version,
                "action": e.action,
                "by": e.by,
                "at": e.at.isoformat(),
                "recorded_at": e.recorded_at.isoformat(),
                "held_when_recorded": e.held_when_recorded,
                "entered_by": e.entered_by,
            }
            for e in report.entries
        ]
        click.echo(
            json.dumps(
                {"year": year, "count": report.count, "entries": rows}, ensure_ascii=False, indent=2
            )
        )
    else:
        click.echo(report.describe())
