"""督查督办 annual figures from the events alone: a seeded generator runs a year of supervision
through ``office.supervision`` (opening, urging, extensions, reports, reviews, close-outs, the
daily time step, quarterly notices), keeping its own tally of what it did; the figures the
annual report needs are then computed from nothing but the stored events (the notification
log, mapped back to domain events) and must match the tally.

Figures [domain brief §9]: tasks opened and closed out, on-time rate (按期办结率), overdue
count, urges by channel, notices (通报) per unit.
"""

from __future__ import annotations

import heapq
import itertools
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from functools import partial
from typing import Any

import pendulum
import pytest

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.supervision import UrgeChannel
from govoffice.domain.supervision_notice import NoticePeriod
from govoffice.testing import SettableClock, standard_agency

ZONE = "Asia/Shanghai"
YEAR = 2026
START = pendulum.datetime(YEAR, 1, 5, 8, 0, tz=ZONE)
HEADS = {
    "biz1": "wang.chuzhang",
    "biz2": "liu.chuzhang",
    "legal": "zhao.fagui",
    "finance": "wei.caiwu",
    "party": "feng.danggong",
    "discipline": "chu.jijian",
}
OFFICER = "zheng.ducha"
REPORT = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}
TASK = "govoffice/supervision-task/"
NOTICE = "govoffice/supervision-notice/"


class Plan(Enum):
    """How the generator lets a task run."""

    ON_TIME = "reported by the deadline, accepted, closed out"
    EXTENDED = "extension granted, reported within it"
    REFUSED_LATE = "extension refused, overdue, urged by phone, reported late"
    REJECTED_ONCE = "first report rejected, second accepted by the deadline"
    LETTER = "overdue, supervision letter with a new deadline, on-site visit, reported"
    NEVER = "prompt sheet, overdue, phone, letter, overdue again, never reported"


ON_TIME_PLANS = {Plan.ON_TIME, Plan.EXTENDED, Plan.REJECTED_ONCE}


@dataclass
class Tally:
    """What the generator did, in the year, by its own bookkeeping."""

    opened: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0
    overdue_tasks: set[uuid.UUID] = field(default_factory=set)
    urges: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, int], list[pendulum.DateTime]] = field(
        default_factory=lambda: defaultdict(list)
    )
    notices: Counter[str] = field(default_factory=Counter)


class Year:
    """A year of supervision, driven through the public commands in business-time order."""

    def __init__(self, office: Office, seed: int) -> None:
        self.office = office
        self.rng = random.Random(seed)
        self.queue: list[tuple[pendulum.DateTime, int, Callable[[], object]]] = []
        self.order = itertools.count()
        self.tally = Tally()
        self.references: list[SourceRef] = []
        assert isinstance(office.clock, SettableClock)
        self.clock: SettableClock = office.clock

    # --- scheduling -------------------------------------------------------------------------

    def at(self, when: pendulum.DateTime, step: Callable[[], object]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), step))

    def run(self) -> Tally:
        day = START.date()
        while day <= date(YEAR, 12, 31):
            if self.office.calendar.is_working_day(day) and self.rng.random() < 0.6:
                self.at(_t(day, 9), self.open_one)
            day += timedelta(days=1)
        last = date(YEAR + 1, 2, 28)
        day = START.date()
        while day <= last:  # the office's time step runs every morning
            self.at(_t(day, 8, 30), partial(self.office.tick, None))
            day += timedelta(days=1)
        for quarter, issue_on in ((1, (4, 1)), (2, (7, 1)), (3, (10, 8)), (4, (1, 4))):
            year = YEAR + 1 if quarter == 4 else YEAR
            self.at(_t(date(year, *issue_on), 10), partial(self.issue_notices, quarter))
        while self.queue:
            when, _, step = heapq.heappop(self.queue)
            self.clock.set(when)
            step()
        return self.tally

    # --- what the office does -------------------------------------------------------------

    def open_one(self) -> None:
        sv, rng = self.office.supervision, self.rng
        if self.references and rng.random() < 0.05:  # the same case registered again
            again = rng.choice(self.references)
            assert sv.open(source=again, title="重复登记", lead_unit="biz1", by=OFFICER) in (
                sv.tasks_of(again)
            )
            return
        n = len(self.references) + 1
        kind = rng.choice(["hotline", "principal", "deputy", "urgent", "document", "meeting"])
        instructed_by = None
        if kind == "hotline":
            source = SourceRef(SourceKind.HOTLINE, reference=f"12345-{YEAR}-{n:04d}")
        elif kind == "document":
            source = SourceRef(SourceKind.INCOMING_DOCUMENT, reference=f"X市政发〔{YEAR}〕{n}号")
        elif kind == "meeting":
            source = SourceRef(SourceKind.MEETING_DECISION, reference=f"纪要{n}", item="1")
        else:
            source = SourceRef(SourceKind.LEADER_INSTRUCTION, reference=f"批示{n}")
            instructed_by = "he.fujuzhang" if kind == "deputy" else "chen.juzhang"
        unit = rng.choice(sorted(HEADS))
        task_id = sv.open(
            source=source,
            title=f"督办事项{n}",
            lead_unit=unit,
            urgency="急件" if kind == "urgent" else "一般",
            instructed_by=instructed_by,
            by=OFFICER,
        )
        self.references.append(source)
        self.tally.opened += 1
        plan = rng.choices(list(Plan), weights=[40, 12, 10, 12, 14, 12])[0]
        self.schedule(task_id, unit, plan, sv.get(task_id).deadline)

    def schedule(self, task: uuid.UUID, unit: str, plan: Plan, due: date) -> None:
        sv, head = self.office.supervision, HEADS[unit]
        opened = self.clock.now().date()

        def urge(channel: UrgeChannel, new_deadline: date | None = None) -> Callable[[], None]:
            def step() -> None:
                sv.urge(task, channel=channel, new_deadline=new_deadline, by=OFFICER)
                self.count(self.tally.urges, channel.value)

            return step

        def complete() -> None:
            sv.complete(task, by=head, **REPORT)

        def reject() -> None:
            sv.reject_completion(task, reason="落实情况不具体", by=OFFICER)
            self.fail(unit)

        def accept_and_close() -> None:
            sv.accept_completion(task, by=OFFICER)
            sv.close_out(task, by=OFFICER)
            if self.clock.now().year == YEAR:
                self.tally.closed += 1
                self.tally.on_time += plan in ON_TIME_PLANS

        def request(days: int) -> Callable[[], None]:
            return lambda: sv.request_extension(
                task,
                new_deadline=due + timedelta(days=days),
                reason="需补充调查",
                progress="过半",
                by=head,
            )

        def goes_overdue(on: date) -> None:  # the 08:30 tick the day after a missed deadline
            when = _t(on + timedelta(days=1), 8, 30)
            if when.year == YEAR:
                self.tally.overdue += 1
                self.tally.overdue_tasks.add(task)
            self.fail(unit, when)

        if plan is Plan.ON_TIME:
            if opened + timedelta(days=2) < due:
                self.at(
                    _t(opened + timedelta(days=2), 11),
                    lambda: sv.report_progress(task, percent=50, summary="过半", by=head),
                )
            if self.rng.random() < 0.5 and opened < due - timedelta(days=3):
                self.at(_t(due - timedelta(days=3), 10), urge(UrgeChannel.PROMPT_SHEET))
            self.at(_t(due, 15), complete)
            self.at(_t(due + timedelta(days=1), 10), accept_and_close)
        elif plan is Plan.EXTENDED:
            self.at(_t(due - timedelta(days=1), 10), request(5))
            self.at(_t(due - timedelta(days=1), 14), lambda: sv.grant_extension(task, by=OFFICER))
            self.at(_t(due + timedelta(days=4), 15), complete)
            self.at(_t(due + timedelta(days=5), 10), accept_and_close)
        elif plan is Plan.REFUSED_LATE:
            self.at(_t(due - timedelta(days=1), 10), request(3))
            self.at(
                _t(due - timedelta(days=1), 14),
                lambda: sv.refuse_extension(task, reason="事项简单,不予延期", by=OFFICER),
            )
            goes_overdue(due)
            self.at(_t(due + timedelta(days=1), 10), urge(UrgeChannel.PHONE))
            self.at(_t(due + timedelta(days=3), 15), complete)
            self.at(_t(due + timedelta(days=4), 10), accept_and_close)
        elif plan is Plan.REJECTED_ONCE:
            self.at(_t(due - timedelta(days=3), 15), complete)
            self.at(_t(due - timedelta(days=2), 10), reject)
            self.at(_t(due, 15), complete)
            self.at(_t(due + timedelta(days=1), 10), accept_and_close)
        elif plan is Plan.LETTER:
            goes_overdue(due)
            self.at(
                _t(due + timedelta(days=1), 10),
                urge(UrgeChannel.SUPERVISION_LETTER, due + timedelta(days=8)),
            )
            self.at(_t(due + timedelta(days=4), 10), urge(UrgeChannel.ON_SITE))
            self.at(_t(due + timedelta(days=6), 15), complete)
            self.at(_t(due + timedelta(days=7), 10), accept_and_close)
        else:  # Plan.NEVER
            if opened < due - timedelta(days=2):
                self.at(_t(due - timedelta(days=2), 10), urge(UrgeChannel.PROMPT_SHEET))
            goes_overdue(due)
            self.at(_t(due + timedelta(days=3), 10), urge(UrgeChannel.PHONE))
            self.at(
                _t(due + timedelta(days=5), 10),
                urge(UrgeChannel.SUPERVISION_LETTER, due + timedelta(days=12)),
            )
            goes_overdue(due + timedelta(days=12))

    def fail(self, unit: str, when: pendulum.DateTime | None = None) -> None:
        moment = when or self.clock.now()
        if moment.year == YEAR:
            self.tally.failures[(unit, (moment.month - 1) // 3 + 1)].append(moment)

    def count(self, counter: Counter[str], key: str) -> None:
        if self.clock.now().year == YEAR:
            counter[key] += 1

    def issue_notices(self, quarter: int) -> None:
        issued = self.office.supervision.issue_notices(
            period=NoticePeriod.quarter(YEAR, quarter), by=OFFICER
        )
        expected = sorted(
            unit
            for (unit, q), failed in self.tally.failures.items()
            if q == quarter and len(failed) >= 2
        )
        assert sorted(self.office.supervision.notice(n).unit for n in issued) == expected
        self.tally.notices.update(expected)


def _t(day: date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)


# --- the figures, from the events alone ------------------------------------------------------


def stored_events(office: Office) -> list[tuple[str, Any]]:
    """Every event in the store, in order, with its stored topic, read back from the
    notification log."""
    events: list[tuple[str, Any]] = []
    start = 1
    while True:
        page = office.app.recorder.select_notifications(start=start, limit=500)
        events.extend((n.topic, office.app.mapper.to_domain_event(n)) for n in page)
        if len(page) < 500:
            return events
        start = page[-1].id + 1


def annual_figures(events: list[tuple[str, Any]], year: int) -> dict[str, Any]:
    """年度督查督办情况: what the annual report shows, computed from events only.

    On time (按期办结): closed out, never overdue, and the accepted report made by the
    deadline then in force (``Completed.due``). Counts are of events dated in ``year``;
    notices count for the year of the period they cover (Q4's is issued in January).
    """
    opened = closed = on_time = overdue = 0
    overdue_tasks: set[uuid.UUID] = set()
    ever_overdue: set[uuid.UUID] = set()
    reported: dict[uuid.UUID, Any] = {}
    accepted: dict[uuid.UUID, Any] = {}
    urges: Counter[str] = Counter()
    notices: Counter[str] = Counter()
    for topic, e in events:
        task = e.originator_id
        if topic == TASK + "WentOverdue":
            ever_overdue.add(task)
        elif topic == TASK + "Completed":
            reported[task] = e
        elif topic == TASK + "CompletionAccepted":
            accepted[task] = reported[task]
        elif topic == NOTICE + "NoticeIssued" and e.period.start.year == year:
            notices[e.unit] += 1  # a notice counts for the year of its period
        if getattr(e, "at", None) is None or e.at.year != year:
            continue
        if topic == TASK + "Opened" and e.parent_id is None:
            opened += 1
        elif topic == TASK + "Urged":
            urges[e.channel.value] += 1
        elif topic == TASK + "WentOverdue":
            overdue += 1
            overdue_tasks.add(task)
        elif topic == TASK + "ClosedOut":
            closed += 1
            report = accepted[task]
            on_time += task not in ever_overdue and report.at.date() <= report.due
    return {
        "opened": opened,
        "closed": closed,
        "on_time": on_time,
        "on_time_rate": on_time / closed if closed else None,
        "overdue": overdue,
        "overdue_tasks": len(overdue_tasks),
        "urges": dict(urges),
        "notices": dict(notices),
    }


@pytest.fixture
def year_office() -> Any:
    """An office for a whole year; deadlines reaching into 2027 (no holiday notice yet) are
    counted on weekends only, chosen explicitly (ADR 0010)."""
    office = open_office(
        "memory", clock=SettableClock(START), calendar=china_calendar(weekend_fallback=True)
    )
    try:
        standard_agency(office, START)
        yield office
    finally:
        office.close()


def test_the_annual_supervision_figures_follow_from_the_events_alone(year_office: Office) -> None:
    """[003 篇5] 市长批示办结率……均达100% and [000 范文6 五 7] 通报: the year's figures, from events."""
    tally = Year(year_office, seed=20260105).run()
    figures = annual_figures(stored_events(year_office), YEAR)

    assert tally.opened > 100 and tally.closed > 80 and tally.notices  # a real year
    assert figures["opened"] == tally.opened
    assert figures["closed"] == tally.closed
    assert figures["on_time"] == tally.on_time
    assert figures["on_time_rate"] == pytest.approx(tally.on_time / tally.closed)
    assert 0 < figures["on_time_rate"] < 1
    assert figures["overdue"] == tally.overdue
    assert figures["overdue_tasks"] == len(tally.overdue_tasks)
    assert figures["urges"] == dict(tally.urges)
    assert set(figures["urges"]) == {c.value for c in UrgeChannel}
    assert figures["notices"] == dict(tally.notices)
