"""The demo's narrator: runs steps at advancing business times (office hours, working days)
and tells each one, refusals included."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pendulum
from rich.console import Console
from rich.table import Table

from govoffice.application.office import Office
from govoffice.domain.errors import GovOfficeError
from govoffice.testing import AgencyPeople


class Narrator:
    """Runs steps at advancing business times and tells each one (refusals included)."""

    def __init__(self, office: Office, console: Console, start: pendulum.DateTime) -> None:
        self.office = office
        self.console = console
        self.now = start
        self.people = AgencyPeople()
        self.refusals = 0

    def at(self, **delta: int) -> pendulum.DateTime:
        """Move business time forward, keeping to office hours on working days."""
        now = self.now.add(**delta)
        calendar = self.office.calendar
        if now.hour >= 18 or now.hour < 8:
            now = (now if now.hour < 8 else now.add(days=1)).set(hour=9, minute=0)
        while not calendar.is_working_day(now.date()):
            now = now.add(days=1).set(hour=9, minute=0)
        self.now = now
        return now

    def step(self, what: str, action: Callable[[], Any], *, hours: int = 1) -> Any:
        when = self.at(hours=hours)
        self.office.clock.set(when)  # type: ignore[attr-defined]
        result = action()
        shown = (
            f" → {result}"
            if result not in (None, (), [], "") and not isinstance(result, dict)
            else ""
        )
        self.console.print(f"  [dim]{when.format('YYYY-MM-DD HH:mm')}[/dim]  {what}{shown}")
        return result

    def refused(self, what: str, action: Callable[[], Any], *, hours: int = 1) -> None:
        """A step the office rules must refuse: show the clerk's message."""
        when = self.at(hours=hours)
        self.office.clock.set(when)  # type: ignore[attr-defined]
        try:
            action()
        except GovOfficeError as e:
            self.refusals += 1
            self.console.print(
                f"  [dim]{when.format('YYYY-MM-DD HH:mm')}[/dim]  {what} "
                f"[red]✗ 拒绝[/red] {type(e).__name__}: {e}"
            )
        else:  # pragma: no cover - the demo itself would be wrong
            raise AssertionError(f"the office should have refused: {what}")

    def trail(
        self, record_id: uuid.UUID | str, history: Callable[[uuid.UUID | str], list[Any]]
    ) -> None:
        table = Table(title="决策记录 decision trail", show_lines=False)
        for column in ("v", "业务时间", "办理人", "代", "事项", "意见/说明"):
            table.add_column(column)
        for d in history(record_id):
            note = d.details.get("opinion") or d.details.get("reason") or ""
            if "number" in d.details:
                note = str(d.details["number"])
            table.add_row(
                str(d.version),
                d.at.format("MM-DD HH:mm") if d.at else "",
                d.by or "",
                d.on_behalf_of or "",
                d.action,
                str(note),
            )
        self.console.print(table)


def last_business_time(office: Office) -> pendulum.DateTime:
    """The business time of the latest decision in the store."""
    app = office.app
    last = app.recorder.max_notification_id()
    if not last:
        raise LookupError("empty store")
    (notification,) = app.recorder.select_notifications(start=last, limit=1)
    at = getattr(app.mapper.to_domain_event(notification), "at", None)
    if not isinstance(at, pendulum.DateTime):
        raise LookupError("the latest event has no business time")
    return at
