"""``govoffice meeting``: a meeting room's day and a leader's day (ADR 0048).

- ``govoffice meeting room-day ROOM --day YYYY-MM-DD``: the meetings that hold the room that
  day (agency-local), with their times;
- ``govoffice meeting leader-day PERSON --day YYYY-MM-DD``: the meetings that expect the
  leader that day (invited or chairing, not on leave), with time and place.
"""

from __future__ import annotations

import click

from govoffice.cli import STORE_OPTION, console, main, opened, short_id


@main.group()
def meeting() -> None:
    """会议: a meeting room's day and a leader's day."""


def _span(starts_at: object, ends_at: object, zone: str) -> str:
    """``HH:mm-HH:mm`` on the agency's clock (the end's date added when it is another day)."""
    import pendulum

    assert isinstance(starts_at, pendulum.DateTime) and isinstance(ends_at, pendulum.DateTime)
    start, end = starts_at.in_timezone(zone), ends_at.in_timezone(zone)
    until = end.format("HH:mm") if end.date() == start.date() else end.format("MM-DD HH:mm")
    return f"{start.format('HH:mm')}-{until}"


@meeting.command("room-day")
@STORE_OPTION
@click.argument("room")
@click.option("--day", "day", required=True, help="The agency-local day, YYYY-MM-DD.")
def room_day(store: str, room: str, day: str) -> None:
    """会议室日程: who holds ROOM on DAY."""
    from rich.table import Table

    with opened(store) as office:
        zone = office.time_zone
        bookings = office.meetings.room_day(room, day)
        table = Table(title=f"会议室 {room} {day}")
        for column in ("时间", "会议", "记录", "涉密"):
            table.add_column(column)
        for b in bookings:
            table.add_row(
                _span(b.starts_at, b.ends_at, zone),
                b.title,
                short_id(b.meeting_id),
                "是" if b.classified else "",
            )
    if bookings:
        console().print(table)
    else:
        console().print(f"会议室 {room} 在 {day} 没有安排会议。")


@meeting.command("leader-day")
@STORE_OPTION
@click.argument("person")
@click.option("--day", "day", required=True, help="The agency-local day, YYYY-MM-DD.")
def leader_day(store: str, person: str, day: str) -> None:
    """领导日程: the meetings that expect PERSON on DAY."""
    from rich.table import Table

    with opened(store) as office:
        zone = office.time_zone
        meetings = office.meetings.leader_day(person, day)
        table = Table(title=f"{person} {day}")
        for column in ("时间", "会议", "地点", "记录"):
            table.add_column(column)
        for m in meetings:
            table.add_row(_span(m.starts_at, m.ends_at, zone), m.title, m.place, short_id(m.id))
    if meetings:
        console().print(table)
    else:
        console().print(f"{person} 在 {day} 没有会议。")
