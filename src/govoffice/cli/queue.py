"""``govoffice queue``: what waits for a person or a unit (待办), now or on a past day."""

from __future__ import annotations

import json
from datetime import date

import click
from rich.console import Console
from rich.table import Table

from govoffice.application.queues import QueueItem
from govoffice.cli import STORE_OPTION, main, opened
from govoffice.domain.errors import InvalidInput


@main.command()
@STORE_OPTION
@click.option("--person", default=None, help="Whose queue: a person's id.")
@click.option("--unit", default=None, help="Or a unit's queue: the unit's id.")
@click.option(
    "--on", "on_text", default=None, help="A past day (YYYY-MM-DD): the queue as it stood then."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def queue(store: str, person: str | None, unit: str | None, on_text: str | None, fmt: str) -> None:
    """待办: what waits for a person (--person) or a unit (--unit), most urgent first, then
    the oldest; with --on, as it stood at the end of that day (rebuilt from history)."""
    if (person is None) == (unit is None):
        raise InvalidInput("请给出 --person 或 --unit 之一 (give --person or --unit)")
    on = _parse_day(on_text) if on_text else None
    with opened(store) as office:
        if person is not None:
            items = office.queues.for_person(person, on=on)
        else:
            items = office.queues.for_unit(str(unit), on=on)
        today = on or office.clock.now().date()
    if fmt == "json":
        rows = [item.to_json() | {"overdue": item.overdue_on(today)} for item in items]
        out = {"person": person, "unit": unit, "on": on_text, "items": rows}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console = Console()
    whose = person or unit
    if not items:
        console.print(f"{whose} 无待办事项 (nothing waiting)" + (f" — {on}" if on else ""))
        return
    console.print(_table(items, f"{whose} 的待办" + (f"({on})" if on else ""), today))


def _table(items: list[QueueItem], title: str, today: date) -> Table:
    table = Table(title=title)
    for column in ("缓急", "类别", "标题", "环节", "等候", "自", "时限", "记录"):
        table.add_column(column, overflow="fold")
    for item in items:
        due = item.due.isoformat() if item.due else ""
        if item.overdue_on(today):
            due = f"[red]{due} 逾期[/red]"
        waits = item.waits_on if item.on_behalf_of is None else f"代 {item.on_behalf_of}"
        step = item.step_label + (f"({item.detail})" if item.detail else "")
        table.add_row(
            item.urgency,
            item.kind,
            item.title,
            step,
            waits,
            item.since.format("YYYY-MM-DD HH:mm"),
            due,
            item.record_id,
        )
    return table


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"日期 {value!r} 无法识别 (use YYYY-MM-DD, e.g. 2026-03-03)") from None
