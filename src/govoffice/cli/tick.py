"""``govoffice tick``: 时间推进 — record the time-driven decisions due by a business time
(urges, reminders, deadlines passed), exactly once each, and say which record each belongs
to (its kind and id)."""

from __future__ import annotations

import json

import click

from govoffice.cli import STORE_OPTION, console, main, opened, parse_time, short_id


@main.command()
@STORE_OPTION
@click.option("--at", "at_text", default=None, help="Business time to run to (default: now).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def tick(store: str | None, at_text: str | None, fmt: str) -> None:
    """时间推进: record every time-driven decision due by --at (urges, reminders, deadlines
    passed), exactly once however often it runs; one line per decision, naming its record."""
    with opened(store) as office:
        recorded = office.tick(parse_time(at_text) if at_text else None)
    if fmt == "json":
        rows = [
            {
                "kind": d.kind,
                "record": str(d.record_id) if d.record_id else None,
                "version": d.version,
                "action": d.action,
                "at": d.at.isoformat() if d.at else None,
                "details": {k: str(v) for k, v in d.details.items()},
            }
            for d in recorded
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not recorded:
        console().print("无到期事项 (nothing due)")
        return
    for d in recorded:
        opinion = f": {d.opinion}" if d.opinion else ""
        console().print(
            f"{d.kind} {short_id(d.record_id)} v{d.version} {d.at} {d.action}{opinion}",
            markup=False,
        )
