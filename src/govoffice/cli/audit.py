"""``govoffice audit``: tamper evidence and the decision trail (ADR 0018, 0030, 0031).

- ``govoffice audit verify [--store URL] [--head FILE]... [--views [--repair]]``: check every
  stored event's seal, the chain's genesis and key rotations, and the log against every
  sealed head (beside a SQLite file, in ``GOVOFFICE_AUDIT_HEADS``, in the database, and the
  files given); with ``--views``, also the read models, the outbox and the tick memo against
  a rebuild (``--repair`` rewrites what differs). Exit status 0 when clean, 1 when tampered
  (the first broken event, or the range cut off, is named) or when the audit key does not
  fit (one line), 2 for another office error (e.g. no such store).
- ``govoffice audit checkpoint``: verify, then seal a head of the log as it is now.
- ``govoffice audit head``: seal what is new and print the latest head (one JSON line: keep
  it, print it, mail it; ``verify --head`` proves the store still extends it).
- ``govoffice audit rotate-key``: move the store to the key in ``GOVOFFICE_AUDIT_NEW_KEY``
  (asked for when unset); the current key is ``GOVOFFICE_AUDIT_KEY``.
- ``govoffice audit trail ID [--at TIME | --version N] [--format text|json|csv]``: every
  decision on a record, who, on whose behalf, when it happened and when it was recorded,
  which opinion, and whether the actor held the needed authority at that time; with
  ``--at``/``--version``, up to that point.
- ``govoffice audit late-entries [--year Y]``: decisions recorded late (补录, ADR 0025).

The audit key comes from ``GOVOFFICE_AUDIT_KEY``; keys retired by a rotation from
``GOVOFFICE_AUDIT_RETIRED_KEYS`` (comma-separated).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys

import click

from govoffice.cli import STORE_OPTION, main, opened, parse_time, record_id

NEW_KEY_VARIABLE = "GOVOFFICE_AUDIT_NEW_KEY"


@main.group()
def audit() -> None:
    """审计: tamper evidence of the event store, and the decision trail of a record."""


@audit.command()
@STORE_OPTION
@click.option(
    "--head",
    "head_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A sealed head (or a heads file) kept elsewhere: prove the store still extends it.",
)
@click.option("--views", is_flag=True, help="Also check views, outbox and tick memo.")
@click.option("--repair", is_flag=True, help="With --views: rewrite the rows that differ.")
def verify(store: str | None, head_files: tuple[str, ...], views: bool, repair: bool) -> None:
    """Check that no stored event was edited, deleted, reordered, inserted or cut off.

    Exit status 0: clean; 1: tampered (the first broken event is named), or the audit key
    does not fit the store."""
    from govoffice.application.audit import AuditKeyError

    try:
        with opened(store) as office:
            heads = [h for path in head_files for h in office.audit.read_heads(path)]
            report = office.audit.verify(head=heads, views=views or repair, repair=repair)
    except AuditKeyError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    if report.ok:
        click.echo(report.describe())
        return
    click.echo(report.describe(), err=True)
    sys.exit(1)


@audit.command()
@STORE_OPTION
def checkpoint(store: str | None) -> None:
    """Verify the log, then seal a head of it (exit status 1 if tampered)."""
    from govoffice.application.audit import TamperDetected

    with opened(store) as office:
        try:
            head = office.audit.checkpoint()
        except TamperDetected as e:
            click.echo(e.report.describe(), err=True)
            sys.exit(1)
    click.echo(f"检查点 checkpoint: {head.describe()}")


@audit.command()
@STORE_OPTION
def head(store: str | None) -> None:
    """Seal what is new and print the latest sealed head (one JSON line)."""
    from govoffice.adapters.checkpoints import to_line
    from govoffice.domain.errors import InvalidInput

    with opened(store) as office:
        latest = office.audit.head()
    if latest is None:
        raise InvalidInput("日志为空, 没有可封印的内容 (the log is empty: nothing to seal)")
    click.echo(to_line(latest))


@audit.command(name="rotate-key")
@STORE_OPTION
def rotate_key(store: str | None) -> None:
    """Move the store to a new audit key (from GOVOFFICE_AUDIT_NEW_KEY, or asked for).

    The log is verified first under the current key (GOVOFFICE_AUDIT_KEY; unset for a store
    sealed without a key). Afterwards every process must use the new key; keep the old one in
    GOVOFFICE_AUDIT_RETIRED_KEYS to name an event changed before the rotation."""
    from govoffice.application.audit import TamperDetected
    from govoffice.application.sealing import KEY_VARIABLE

    new_key = os.environ.get(NEW_KEY_VARIABLE) or click.prompt(
        "新审计密钥 new audit key", hide_input=True, confirmation_prompt=True
    )
    with opened(store) as office:
        old = office.audit.key_id
        try:
            sealed = office.audit.rotate_key(new_key)
        except TamperDetected as e:
            click.echo(e.report.describe(), err=True)
            sys.exit(1)
    click.echo(
        f"审计密钥已更换 key rotated: {old or '(none)'} -> {sealed.key_id}; head {sealed.describe()}\n"
        f"From now on set {KEY_VARIABLE} to the new key"
        + (" and add the old one to GOVOFFICE_AUDIT_RETIRED_KEYS." if old else ".")
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

    with opened(store) as office:
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


@audit.command("late-entries")
@STORE_OPTION
@click.option("--year", type=int, default=None, help="Only acts dated in this year (agency's).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def late_entries(store: str | None, year: int | None, fmt: str) -> None:
    """补录: decisions recorded later than the late-entry policy's delay after their business
    time, whether their actor still held the authority when they were recorded, and who
    entered them for him (ADR 0025)."""
    with opened(store) as office:
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
