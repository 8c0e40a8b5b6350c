"""``govoffice queue``: what waits for a person or a unit (待办), what is overdue (逾期) and
what must be urged today (今日催办), now or on a past day.

The tables fit an 80-column terminal: record ids are shown by their first 8 hex digits,
which every command accepts as the id (a unique prefix).
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from govoffice.cli import STORE_OPTION, console, main, opened, short_id
from govoffice.domain.errors import GovOfficeError, InvalidInput

if TYPE_CHECKING:
    from rich.table import Table

    from govoffice.application.office import Office
    from govoffice.application.queues import QueueItem, UrgeItem


@main.command()
@STORE_OPTION
@click.option("--person", default=None, help="Whose queue: a person's id.")
@click.option("--unit", default=None, help="Or a unit's queue: the unit's id.")
@click.option("--overdue", is_flag=True, help="Or every overdue step (逾期), longest first.")
@click.option("--urges", is_flag=True, help="Or what must be urged that day (今日催办).")
@click.option(
    "--on", "on_text", default=None, help="A past day (YYYY-MM-DD): the queue as it stood then."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def queue(
    store: str | None,
    person: str | None,
    unit: str | None,
    overdue: bool,
    urges: bool,
    on_text: str | None,
    fmt: str,
) -> None:
    """待办: what waits for a person (--person) or a unit (--unit), most urgent first, then
    the oldest; --overdue: every step past its due date; --urges: what must be urged that
    day. With --on, as it stood at the end of that day (rebuilt from history)."""
    given = (person is not None, unit is not None, overdue, urges)
    if sum(given) != 1:
        raise InvalidInput(
            "请给出 --person、--unit、--overdue 或 --urges 之一 "
            "(give one of --person, --unit, --overdue, --urges)"
        )
    on = _parse_day(on_text) if on_text else None
    with opened(store, existing=True) as office:
        today = on or _today(office)
        if urges:
            _show_urges(office.queues.to_urge(on=on), today, on_text, fmt)
            return
        if person is not None:
            items = office.queues.for_person(person, on=on)
            whose, nothing = f"{person} 的待办", "无待办事项 (nothing waiting)"
        elif unit is not None:
            items = office.queues.for_unit(unit, on=on)
            whose, nothing = f"{unit} 的待办", "无待办事项 (nothing waiting)"
        else:
            items = office.queues.overdue(on=on)
            whose, nothing = "逾期事项", "无逾期事项 (nothing overdue)"
    if fmt == "json":
        rows = [item.to_json() | {"overdue": item.overdue_on(today)} for item in items]
        out = {"person": person, "unit": unit, "overdue": overdue, "on": on_text, "items": rows}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    when = f"({on})" if on else ""
    if not items:
        console().print(f"{whose}{when}: {nothing}")
        return
    console().print(_table(items, f"{whose}{when}", today))


def _today(office: Office) -> date:
    """The agency's business day now (its time zone, not the caller's)."""
    now = office.clock.now()
    try:
        return office.org.current().day_of(now)
    except GovOfficeError:  # no organisation yet: the clock's own day
        return now.date()


def _table(items: list[QueueItem], title: str, today: date) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("记录", no_wrap=True)
    table.add_column("缓急", no_wrap=True)
    table.add_column("标题", overflow="fold", ratio=3)
    table.add_column("环节", overflow="fold", ratio=2)
    table.add_column("等候", overflow="fold", ratio=1)
    table.add_column("时限", no_wrap=True)
    for item in items:
        due = item.due.strftime("%m-%d") if item.due else ""
        if item.overdue_on(today):
            due = f"[red]{due}逾期[/red]"
        waits = item.waits_on if item.on_behalf_of is None else f"代 {item.on_behalf_of}"
        step = item.step_label + (f"({item.detail})" if item.detail else "")
        table.add_row(
            short_id(item.record_id),
            item.urgency,
            f"{item.kind} {item.title}",
            step,
            waits,
            due,
        )
    table.caption = "记录: 编号前 8 位,可直接用于 history / audit trail (unique id prefix)"
    return table


def _show_urges(items: list[UrgeItem], today: date, on_text: str | None, fmt: str) -> None:
    if fmt == "json":
        out: dict[str, Any] = {"on": on_text, "urges": [item.to_json() for item in items]}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not items:
        console().print(f"{today} 无须催办 (nothing to urge)")
        return
    from rich import box
    from rich.table import Table

    table = Table(title=f"{today} 催办", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("记录", no_wrap=True)
    table.add_column("缓急", no_wrap=True)
    table.add_column("标题", overflow="fold", ratio=3)
    table.add_column("催办对象", overflow="fold", ratio=2)
    table.add_column("方式", no_wrap=True)
    table.add_column("应催", no_wrap=True)
    for item in items:
        missed = f"+{item.missed}" if item.missed else ""
        table.add_row(
            short_id(item.record_id),
            item.urgency,
            f"{item.kind} {item.title}",
            "、".join(item.targets),
            item.channel,
            item.due.strftime("%m-%d") + missed,
        )
    console().print(table)


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"日期 {value!r} 无法识别 (use YYYY-MM-DD, e.g. 2026-03-03)") from None
