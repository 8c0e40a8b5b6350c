"""The simulated year's timeline: the working days walked (from the set-up day, or from the
day after a store's last decision), a queue of steps in business-time order, the office
hours, who acts (a leader or the stand-in while he is away), and provoked refusals checked
to record nothing.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pendulum

from govoffice.application.office import Office
from govoffice.demo.bureau import BUSINESS, DIVISION, LEADERS, Member, members, units
from govoffice.demo.narrator import last_business_time
from govoffice.domain.errors import GovOfficeError, InvalidInput
from govoffice.domain.organisation import Role
from govoffice.testing import AgencyPeople

ZONE = "Asia/Shanghai"

DEFAULT_SEED = 20260101

P = AgencyPeople()

VOLUME: dict[str, int] = {
    "outgoing": 2800,
    "incoming": 3500,
    "requests": 80,
    "topic_rows": 50,
    "video_rows": 12,
    "proposals": 180,
    "hotline": 150,
}
"""Records started in a year at ``scale=1``; each is multiplied by ``scale``. The periodic
meetings of the plan (monthly, quarterly, ...) do not scale, except that below ``scale=1``
only that share of the weekly meetings is held."""

Progress = Callable[[int, int], None]
"""Called with (working days walked, working days to walk) after each day's time step."""

OPEN, CLOSE = 9 * 60, 17 * 60 + 30
"""Office hours, in minutes of the day."""

Moment = tuple[int, int]
"""(index of a working day in the walk, minute of the day)."""


class SimulationError(RuntimeError):
    """The simulation itself went wrong (an expected refusal did not come, or a refusal
    recorded something): a bug in the generator or in the rules it exercises."""


class _Timeline:
    """The generator's state and clock: the working days to walk, a queue of steps in
    business-time order, who acts (stand-ins while a leader is away), provoked refusals."""

    def __init__(
        self, office: Office, year: int, scale: float, seed: int, progress: Progress | None
    ) -> None:
        self.o = office
        self.year = year
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.queue: list[tuple[int, int, int, Callable[..., None], tuple[Any, ...]]] = []
        self.order = itertools.count()
        self.now: Moment = (0, 0)
        self.when = pendulum.datetime(year, 1, 1, tz=ZONE)
        self.people: dict[str, Member] = {m.id: m for m in members()}
        self.heads = {m.unit: m.id for m in self.people.values() if Role.UNIT_HEAD in m.roles}
        self.drafters = {
            u: [m.id for m in self.people.values() if m.unit == u and Role.DRAFTER in m.roles]
            for u, _, _ in units()
        }
        self.staff = {
            u: [m.id for m in self.people.values() if m.unit == u and m.id not in LEADERS]
            for u, _, _ in units()
        }
        self.leader_of = {u: leader for leader, us in DIVISION.items() for u in us}
        self.reviewers = [P.secretary, "office.s1", "office.s2"]
        self.receivers = [P.receiving_secretary, "confidential.s1"]
        self.officers = [P.supervision_officer, "supervision.s1"]
        self.away: dict[tuple[str, date], str] = {}
        self.habits: dict[str, tuple[float, float]] = {}
        self.reporting: dict[int, list[str]] = {}
        self.admin = P.admin
        self.references = 0
        self.settable = callable(getattr(office.clock, "set", None))
        self.days = self._walk()
        self.index = {d: i for i, d in enumerate(self.days)}
        self.first = next(
            (i for i, d in enumerate(self.days) if d.year == year), len(self.days) - 1
        )

    # --- business time ----------------------------------------------------------------------

    def _walk(self) -> list[date]:
        """The working days to walk: from the set-up day to the year's last working day."""
        calendar = self.o.calendar
        try:
            calendar.add_working_days(date(self.year, 12, 20), 30)
        except GovOfficeError as e:
            raise InvalidInput(
                f"办公日历没有 {self.year + 1} 年的数据,模拟年末的期限无法计算;请以 "
                "calendar=china_calendar(weekend_fallback=True) 打开 (the calendar must cover "
                f"the next year): {e}"
            ) from None
        try:
            resume: date | None = last_business_time(self.o).date() + timedelta(days=1)
        except LookupError:
            resume = None
        day = date(self.year - 1, 12, 1) if resume is None else max(resume, date(self.year, 1, 1))
        if resume is not None and resume < date(self.year - 1, 12, 1):
            day = date(self.year, 1, 1)
        days = []
        while day <= date(self.year, 12, 31):
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        if len(days) < 30:
            raise InvalidInput(
                f"本存储的业务时间已到 {resume},{self.year} 年剩余的工作日不足 30 天,无法模拟 "
                "(the store's business time is too late in that year)"
            )
        return days

    def dt(self, m: Moment) -> pendulum.DateTime:
        d = self.days[m[0]]
        return pendulum.datetime(d.year, d.month, d.day, m[1] // 60, m[1] % 60, tz=ZONE)

    @property
    def day(self) -> date:
        return self.days[self.now[0]]

    def at(self, m: Moment | None, step: Callable[..., None], *args: Any) -> None:
        """Schedule ``step(*args)`` at ``m`` (dropped when ``m`` is past the year's end)."""
        if m is None:
            return
        if m < self.now:
            m = self.now
        heapq.heappush(self.queue, (m[0], m[1], next(self.order), step, args))

    def hours(self, lo: float, hi: float, m: Moment | None = None) -> Moment | None:
        """A moment ``lo``-``hi`` office hours after ``m`` (now), carried over to the next
        working days when the office closes."""
        di, minute = m or self.now
        minute = max(minute, OPEN) + self.rng.randint(int(lo * 60), int(hi * 60))
        while minute > CLOSE:
            di, minute = di + 1, OPEN + minute - CLOSE
        return (di, minute) if di < len(self.days) else None

    def days_later(
        self, lo: int, hi: int, m: Moment | None = None, *, start: int = OPEN, end: int = 16 * 60
    ) -> Moment | None:
        di = (m or self.now)[0] + self.rng.randint(lo, hi)
        return (di, self.rng.randint(start, end)) if di < len(self.days) else None

    def on_or_before(self, d: date) -> int | None:
        """The index of the last working day on or before ``d`` (None before the walk)."""
        i = bisect.bisect_right(self.days, d) - 1
        return i if i >= 0 else None

    def after(self, d: date) -> int | None:
        """The index of the first working day after ``d`` (None past the year)."""
        i = bisect.bisect_right(self.days, d)
        return i if i < len(self.days) else None

    def count_today(self, key: str) -> int:
        """How many records of a kind start today: the yearly volume spread evenly, with
        the remainder drawn at random."""
        mean = VOLUME[key] * self.scale / max(1, len(self.days) - self.first)
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    # --- who acts ---------------------------------------------------------------------------

    def acting(self, leader: str) -> tuple[str, str | None]:
        """(by, on_behalf_of): the leader, or their stand-in while they are on a trip."""
        stand_in = self.away.get((leader, self.day))
        return (stand_in, leader) if stand_in is not None else (leader, None)

    def is_away(self, leader: str, di: int) -> bool:
        return (leader, self.days[di]) in self.away

    def reviewer(self) -> str:
        return self.rng.choice(self.reviewers)

    def officer(self) -> str:
        return self.rng.choice(self.officers)

    def of_unit(self, unit: str) -> str:
        return self.rng.choice(self.staff[unit])

    def unit_weighted(self) -> str:
        """A unit, business units three times as often as the functional ones."""
        pool = [*BUSINESS, *BUSINESS, *BUSINESS, *(u for u, _, _ in units() if u not in BUSINESS)]
        return self.rng.choice(pool)

    def refused(self, what: str, action: Callable[[], object]) -> None:
        """A step the rules must refuse: counted by error class; nothing may be recorded."""
        recorder = self.o.app.recorder
        before = recorder.max_notification_id()
        try:
            action()
        except GovOfficeError as e:
            if recorder.max_notification_id() != before:
                raise SimulationError(f"{what}: the refusal recorded events") from e
            self.refusals[type(e).__name__] += 1
            return
        raise SimulationError(f"the office should have refused: {what}")
