"""催办 and 逾期 under random documents, importance, cadences and time steps (hypothesis).

A random office runs forward in business time: documents are assigned (some urgent with a
deadline in working days), some are handled, and the time-driven step runs at random
times. Checked against an independent oracle built on the same 2026 calendar:

- idempotent: running the step again at the same time adds nothing, and running it at an
  earlier time than it already ran adds nothing;
- monotone: no urge precedes its due time, due times strictly increase, no deadline is
  recorded as passed before it has passed;
- exactly once: the urges recorded are exactly the distinct latest due times seen by the
  steps that ran while the document was open, and a passed deadline is recorded once
  when, and only when, some step ran after it while the document was open
  [001 收文 五(五), 五(六)].
"""

from __future__ import annotations

import uuid
from datetime import date

import attrs
import pendulum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.domain.incoming import HandlingKind, Importance, ScreeningCheck, UrgingCadence
from govoffice.domain.routing import SenderType
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    office_for_tests,
    standard_agency,
)

ZONE = "Asia/Shanghai"
BASE = pendulum.datetime(2026, 3, 2, 9, tz=ZONE)  # a Monday; the agency exists from here
CALENDAR = china_calendar()
ALL_PASS = {check: True for check in ScreeningCheck}


@attrs.frozen
class Plan:
    """One document: its importance, when it is assigned (hours after BASE), its deadline
    in working days (None: no deadline; urgent documents always get one), and when it is
    handled (hours after assignment; None: never)."""

    importance: Importance
    assign_after: int
    deadline_days: int | None
    handle_after: int | None


plans = st.builds(
    Plan,
    importance=st.sampled_from(Importance),
    assign_after=st.integers(0, 30 * 24),
    deadline_days=st.one_of(st.none(), st.integers(1, 8)),
    handle_after=st.one_of(st.none(), st.integers(1, 40 * 24)),
)
cadences = st.builds(
    UrgingCadence,
    urgent=st.integers(1, 2),
    important=st.integers(1, 3),
    ordinary=st.integers(3, 6),
)
CLOCK_TIMES = ((0, 0), (0, 1), (8, 59), (9, 0), (12, 30), (23, 59))
"""Times of day the step runs at, with the boundaries of a day (due times are at 00:00)."""
tick_times = st.builds(
    # never before the agency existed (an act dated earlier is refused: ADR 0022)
    lambda day, hm: max(BASE, pendulum.datetime(2026, 3, 2, hm[0], hm[1], tz=ZONE).add(days=day)),
    st.integers(0, 75),
    st.sampled_from(CLOCK_TIMES),
)


def start_of(day: date) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, tz=ZONE)


def latest_due(assigned: pendulum.DateTime, interval: int, t: pendulum.DateTime) -> object:
    """Oracle: 00:00 of the latest k*interval-th working day after the assignment day, at or
    before ``t`` (None if none), counted with ``add_working_days``."""
    found = None
    k = 1
    while True:
        day = CALENDAR.add_working_days(assigned.date(), k * interval)
        if start_of(day) > t:
            return found
        found = start_of(day)
        k += 1


def assign(office: Office, p: AgencyPeople, plan: Plan, when: pendulum.DateTime) -> uuid.UUID:
    incoming = office.incoming
    doc = incoming.receive(sender="某县人民政府", title="请示", by=p.receiving_secretary, at=when)
    incoming.register(
        doc,
        sender_type=SenderType.GOVERNMENT,
        importance=plan.importance,
        by=p.receiving_secretary,
        at=when,
    )
    incoming.screen(doc, results=ALL_PASS, by=p.receiving_secretary, at=when)
    days = plan.deadline_days
    if plan.importance is Importance.URGENT and days is None:
        days = 3
    incoming.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="转业务一处办理",
        lead_unit="biz1",
        within_working_days=days,
        by=p.office_head,
        at=when,
    )
    return doc


@settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    documents=st.lists(plans, min_size=1, max_size=3),
    cadence=cadences,
    moments=st.lists(tick_times, min_size=1, max_size=10),
    backwards=st.lists(tick_times, max_size=3),
)
def test_the_tick_is_idempotent_monotone_and_records_each_due_step_once(
    documents: list[Plan],
    cadence: UrgingCadence,
    moments: list[pendulum.DateTime],
    backwards: list[pendulum.DateTime],
) -> None:
    """[001 收文 五(五), 五(六)] 紧急公文跟踪催办,重要公文重点催办,一般公文定期催办;逾期只记一次."""
    office = office_for_tests(start=BASE)
    try:
        p = standard_agency(office, BASE)
        office.incoming.cadence = cadence
        timeline: list[tuple[pendulum.DateTime, int, int]] = []
        for i, plan in enumerate(documents):
            assigned = BASE.add(hours=plan.assign_after)
            timeline.append((assigned, 0, i))
            if plan.handle_after is not None:
                timeline.append((assigned.add(hours=plan.handle_after), 1, i))
        ticks = sorted(set(moments))
        timeline += [(t, 2, -1) for t in ticks]
        ids: dict[int, uuid.UUID] = {}
        handled_at: dict[int, pendulum.DateTime] = {}

        for when, step, i in sorted(timeline, key=lambda e: (e[0], e[1], e[2])):
            if step == 0:
                ids[i] = assign(office, p, documents[i], when)
            elif step == 1:
                office.incoming.accept(ids[i], by=p.unit_head, at=when)
                office.incoming.handle(ids[i], result="办结", by=p.unit_head, at=when)
                handled_at[i] = when
            else:
                office.incoming.tick(when)
                with assert_nothing_recorded(office):  # idempotent
                    assert office.incoming.tick(when) == []

        last_tick = ticks[-1]
        for earlier in backwards:  # a step run earlier than one that already ran
            if earlier <= last_tick:
                with assert_nothing_recorded(office):
                    assert office.incoming.tick(earlier) == []

        for i, plan in enumerate(documents):
            doc = office.incoming.get(ids[i])
            assert doc.assigned_at is not None
            assigned = doc.assigned_at
            history = office.incoming.history(ids[i])
            times = [d.at for d in history]
            assert times == sorted(times)  # business time never goes backwards
            urges = [d for d in history if d.action == "Urged"]
            dues = [u.details["due"] for u in urges]
            for u in urges:  # monotone: never before the due time
                assert u.at >= u.details["due"]
                assert CALENDAR.is_working_day(u.details["due"])
                assert u.details["due"] == start_of(u.details["due"].date())
            assert dues == sorted(set(dues))  # never two urges for one due time

            def is_open(
                t: pendulum.DateTime, since: pendulum.DateTime = assigned, i: int = i
            ) -> bool:
                return since <= t and (i not in handled_at or t < handled_at[i])

            interval = cadence.interval(plan.importance)
            seen = [latest_due(assigned, interval, t) for t in ticks if is_open(t)]
            assert dues == sorted({d for d in seen if d is not None})  # exactly once each
            event("urged" if dues else "not urged")
            if any(u.details["missed"] for u in urges):
                event("an urge covered missed due times")

            overdue = [d for d in history if d.action == "WentOverdue"]
            if doc.deadline is None:
                assert overdue == []
                continue
            passed = start_of(doc.deadline).add(days=1)
            expected = any(t >= passed and is_open(t) for t in ticks)
            assert len(overdue) == (1 if expected else 0)
            event("went overdue" if overdue else "not overdue")
            for o in overdue:
                assert o.at >= passed
    finally:
        office.close()
