"""排名 — units ranked for a period, from the views over the event log.

A seeded generator runs four months (January–April 2026) of supervision tasks, proposals,
incoming documents, quarterly meetings and information reports through the public commands,
in business-time order. Each measure of ``office.rankings`` is then checked per unit and per
period against a count made without the projections: the records replayed as of the
period's end (``as_of``: the aggregates' own definitions of 按期办结, 办复, 满意, 办结), the raw
attendance events, and the generator's own tally of information figures scored by the seed's
rule as written [003 篇6 二(二)]. Ties are broken as ADR 0016 documents; periods parse from
the forms the CLI takes; the CLI runs on a SQLite store and refuses a bad period clearly.
"""

from __future__ import annotations

import heapq
import itertools
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.office import Office
from govoffice.application.rankings import (
    DEFAULT_RANKING_RULES,
    InvalidPeriod,
    Measure,
    Period,
    RankingRules,
)
from govoffice.cli import main
from govoffice.domain.calendar import CutOff
from govoffice.domain.errors import InvalidInput, RecordNotFound
from govoffice.domain.incoming import HandlingKind, ScreeningCheck
from govoffice.domain.information import LateFigures, UnitTier
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting import Meeting, MeetingKind
from govoffice.domain.proposal import Rating, check_sheet
from govoffice.domain.supervision import SupervisionStatus
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    office_for_tests,
    recorded_since,
    standard_agency,
)

ZONE = "Asia/Shanghai"
SETUP = pendulum.datetime(2026, 1, 1, 8, 0, tz=ZONE)  # before the first act of the year
FIRST, LAST = date(2026, 1, 5), date(2026, 4, 30)
P = AgencyPeople()
HEADS = {
    "biz1": P.unit_head,
    "biz2": P.unit_head2,
    "legal": P.legal_head,
    "finance": P.finance_head,
    "party": P.party_head,
    "discipline": P.discipline_head,
}
MEMBER = {**HEADS, "biz1": P.drafter, "biz2": P.drafter2}
"""Who submits a unit's information items."""
UNITS = sorted(HEADS)
NAMES = ["马代表", "张代表", "李委员", "王委员", "赵代表"]
REPORT = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}
ALL_PASS = {check: True for check in ScreeningCheck}
PERIODS = ["2026-Q1", "2026-02", "2026", "2026-01-15..2026-03-20", "2026-04"]


def t(day: date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)


def end_of(period: Period) -> pendulum.DateTime:
    return t(period.end, 23, 59).add(seconds=59, microseconds=999999)


@dataclass
class Tally:
    """The generator's own account: ids it created, and the information figures it recorded
    (only what the office accepted)."""

    tasks: list[uuid.UUID] = field(default_factory=list)
    proposals: list[uuid.UUID] = field(default_factory=list)
    documents: list[uuid.UUID] = field(default_factory=list)
    meetings: list[uuid.UUID] = field(default_factory=list)
    target: dict[tuple[str, int], int] = field(default_factory=dict)
    tier: dict[tuple[str, int], UnitTier] = field(default_factory=dict)
    submitted: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    adopted: dict[tuple[str, int], set[int]] = field(default_factory=lambda: defaultdict(set))
    closed: set[tuple[str, int]] = field(default_factory=set)
    late_refused: int = 0


class FourMonths:
    """January to April 2026 of an office, decided by a seeded random, run in time order."""

    def __init__(self, office: Office, seed: int) -> None:
        self.office = office
        self.rng = random.Random(seed)
        self.queue: list[tuple[pendulum.DateTime, int, Callable[[], object]]] = []
        self.order = itertools.count()
        self.tally = Tally()
        assert isinstance(office.clock, SettableClock)
        self.clock: SettableClock = office.clock

    def at(self, when: pendulum.DateTime, step: Callable[[], object]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), step))

    def run(self) -> Tally:
        day = FIRST
        while day <= LAST:
            self.at(t(day, 8, 30), partial(self.office.supervision.tick, t(day, 8, 30)))
            if day.weekday() < 5:
                if day <= date(2026, 4, 10) and self.rng.random() < 0.45:
                    self.at(t(day, 9), self.open_task)
                if day <= date(2026, 3, 25) and self.rng.random() < 0.3:
                    self.at(t(day, 10), self.submit_proposal)
                if day <= date(2026, 4, 20) and self.rng.random() < 0.35:
                    self.at(t(day, 9), self.receive_document)
            day += timedelta(days=1)
        for starts in (date(2026, 1, 20), date(2026, 2, 25), date(2026, 4, 15)):
            self.meeting(MeetingKind.QUARTERLY, t(starts, 9))
        self.meeting(MeetingKind.TOPIC, t(date(2026, 3, 18), 9))
        for month in (1, 2, 3, 4):
            for unit in UNITS:
                if self.rng.random() < 0.85:
                    self.information(unit, month)
        while self.queue:
            when, _, step = heapq.heappop(self.queue)
            self.clock.set(when)
            step()
        return self.tally

    # --- supervision ------------------------------------------------------------------------

    def open_task(self) -> None:
        sv, rng, today = self.office.supervision, self.rng, self.clock.now().date()
        unit = rng.choice(UNITS)
        due = today + timedelta(days=rng.randint(4, 20))
        n = len(self.tally.tasks) + 1
        task = sv.open(
            source=SourceRef(SourceKind.HOTLINE, reference=f"12345-2026-{n:04d}"),
            title=f"督办事项{n}",
            lead_unit=unit,
            deadline=due,
            by=P.supervision_officer,
        )
        self.tally.tasks.append(task)
        head = HEADS[unit]
        plan = rng.choices(["on_time", "late", "rejected", "never"], weights=[5, 3, 2, 2])[0]
        if plan == "never":
            return
        if plan == "on_time":
            report_on = today + timedelta(days=rng.randint(1, (due - today).days))
        elif plan == "late":
            report_on = due + timedelta(days=rng.randint(2, 8))
        else:
            first = today + timedelta(days=1)
            self.at(t(first, 15), lambda: sv.complete(task, by=head, **REPORT))
            self.at(
                t(first + timedelta(days=1), 10),
                lambda: sv.reject_completion(
                    task, reason="落实情况不具体", by=P.supervision_officer
                ),
            )
            report_on = first + timedelta(days=rng.randint(2, 14))
        self.at(t(report_on, 15), lambda: sv.complete(task, by=head, **REPORT))
        accept_on = report_on + timedelta(days=1)
        self.at(t(accept_on, 10), lambda: sv.accept_completion(task, by=P.supervision_officer))
        close_on = accept_on + timedelta(days=rng.choice([0, 0, 1, 6]))
        self.at(t(close_on, 11), lambda: sv.close_out(task, by=P.supervision_officer))

    # --- proposals ---------------------------------------------------------------------------

    def submit_proposal(self) -> None:
        ps, rng, today = self.office.proposals, self.rng, self.clock.now().date()
        proposers = rng.sample(NAMES, rng.choice([1, 1, 2, 3]))
        pid = ps.submit(
            kind=rng.choice(["人大代表建议", "政协提案"]),
            proposers=proposers,
            field="财政金融",
            title="建议",
            content="内容",
            by=P.secretary,
        )
        self.tally.proposals.append(pid)
        lead = rng.choice(UNITS)
        assign_on = today + timedelta(days=1)
        self.at(
            t(assign_on, 10),
            partial(ps.assign, pid, lead_unit=lead, secretary=P.secretary, by=P.secretary),
        )
        if rng.random() < 0.2:
            other = rng.choice([u for u in UNITS if u != lead])
            self.at(
                t(assign_on, 15),
                partial(
                    ps.dispute_assignment, pid, unit=lead, reason="不属本处职责", by=HEADS[lead]
                ),
            )
            assign_on += timedelta(days=rng.choice([1, 40]))
            self.at(
                t(assign_on, 10),
                partial(ps.reassign, pid, lead_unit=other, reason="改由他处主办", by=P.secretary),
            )
            lead = other
        if rng.random() < 0.2:
            return  # not answered (yet)
        head = HEADS[lead]
        draft_on = assign_on + timedelta(days=rng.randint(5, 70))
        self.at(
            t(draft_on, 10),
            lambda: ps.draft_reply(pid, text="答复", result=rng.choice("AC"), by=head),
        )
        self.at(t(draft_on, 14), lambda: ps.review_reply(pid, checks=check_sheet(), by=P.secretary))
        sent_on = draft_on + timedelta(days=1)
        self.at(t(sent_on, 10), lambda: ps.send_reply(pid, by=head))
        for i, name in enumerate(proposers):
            if rng.random() < 0.85:
                rating = rng.choice([Rating.SATISFIED] * 3 + [Rating.BASICALLY_SATISFIED] * 2)
                if rng.random() < 0.15:
                    rating = Rating.DISSATISFIED
                rated_on = sent_on + timedelta(days=rng.randint(2, 30))
                self.at(
                    t(rated_on, 10, i),
                    lambda name=name, rating=rating: ps.record_feedback(
                        pid, proposer=name, rating=rating, by=P.secretary
                    ),
                )

    # --- incoming documents -------------------------------------------------------------------

    def receive_document(self) -> None:
        inc, rng, today = self.office.incoming, self.rng, self.clock.now().date()
        doc = inc.receive(sender="某县人民政府", title="关于某事的请示", by=P.receiving_secretary)
        self.tally.documents.append(doc)
        inc.register(doc, sender_type="government", by=P.receiving_secretary)
        inc.screen(doc, results=ALL_PASS, by=P.receiving_secretary)
        lead = rng.choice(UNITS)
        day = today + timedelta(days=rng.randint(0, 2))

        def assign(unit: str) -> Callable[[], object]:
            return lambda: inc.assign(
                doc, kind=HandlingKind.ACTION, proposal="转办", lead_unit=unit, by=P.office_head
            )

        self.at(t(day, 11), assign(lead))
        if rng.random() < 0.15:
            self.at(
                t(day + timedelta(days=1), 10),
                lambda head=HEADS[lead]: inc.send_back(doc, reason="不属本处职责", by=head),
            )
            lead = rng.choice([u for u in UNITS if u != lead])
            day += timedelta(days=1)
            self.at(t(day, 15), assign(lead))
        head = HEADS[lead]
        accept_on = day + timedelta(days=rng.randint(0, 2))
        self.at(t(accept_on, 16), lambda: inc.accept(doc, by=head))
        if rng.random() < 0.8:
            handled_on = accept_on + timedelta(days=rng.randint(0, 12))
            self.at(t(handled_on, 17), lambda: inc.handle(doc, result="已办理", by=head))

    # --- meetings ---------------------------------------------------------------------------------

    def meeting(self, kind: MeetingKind, starts: pendulum.DateTime) -> None:
        m, rng = self.office.meetings, self.rng
        invited = [*HEADS.values(), P.drafter, P.drafter2]
        holder: list[uuid.UUID] = []

        def request() -> None:
            holder.append(
                m.request(
                    kind=kind,
                    title=f"{kind.label}",
                    content="通报工作",
                    reason="按季度召开",
                    organiser="biz1",
                    starts_at=starts,
                    place="局三楼会议室",
                    participant_scope="各处室负责人",
                    participants=30,
                    days=1,
                    budget=3000,
                    funding_source="会议费",
                    chair=P.deputy,
                    by=P.unit_head,
                )
            )
            self.tally.meetings.append(holder[0])

        def prepare() -> None:
            meeting = holder[0]
            for party, head in (("office", P.office_head), ("finance", P.finance_head)):
                m.countersign(meeting, party=party, by=head)
            m.countersign(meeting, party=P.deputy, by=P.deputy)
            m.approve(meeting, by=P.principal)
            m.draft_notice(meeting, invitees=invited, contact="孙秘书 1234", by=P.drafter)
            for party, head in (("office", P.office_head), ("finance", P.finance_head)):
                m.countersign(meeting, party=party, by=head)
            m.countersign(meeting, party=P.deputy, by=P.deputy)
            m.issue_notice(meeting, by=P.principal)

        self.at(starts.subtract(days=12), request)
        self.at(starts.subtract(days=10), prepare)
        early: list[str] = []
        for i, person in enumerate(invited):
            fate = rng.choice(["on_time", "on_time", "late", "absent", "leave", "early"])
            if fate in ("on_time", "early"):
                self.at(
                    starts.subtract(minutes=20 - i), lambda p=person: m.sign_in(holder[0], by=p)
                )
            if fate == "early":
                early.append(person)
            if fate == "late":
                self.at(starts.add(minutes=10 + i), lambda p=person: m.sign_in(holder[0], by=p))
            if fate == "leave":
                self.at(
                    starts.subtract(days=3, minutes=i),
                    lambda p=person: m.request_leave(holder[0], reason="出差", by=p),
                )
                self.at(
                    starts.subtract(days=2, minutes=i),
                    lambda p=person: m.grant_leave(
                        holder[0], person=p, by=m.get(holder[0]).leave_approver
                    ),
                )
        self.at(starts.add(hours=2), lambda: m.hold(holder[0], by=P.drafter))
        self.at(
            starts.add(hours=2, minutes=10),
            lambda: m.record_attendance(holder[0], left_early=early, by=P.drafter),
        )

    # --- information ------------------------------------------------------------------------------

    def information(self, unit: str, month: int) -> None:
        info, rng, tally = self.office.information, self.rng, self.tally
        key = (unit, month)
        first = date(2026, month, 1)
        if rng.random() < 0.8:
            target = rng.randint(1, 4)
            tier = rng.choice([UnitTier.COUNTY_DEPARTMENT] * 3 + [UnitTier.TOWNSHIP])

            def set_target() -> None:
                info.set_target(
                    unit=unit, year=2026, month=month, target=target, tier=tier, by=P.secretary
                )
                tally.target[key], tally.tier[key] = target, tier

            self.at(t(first, 8, 5), set_target)
        # the 15th of the next month, or the first working day after a holiday on it
        # [003 篇6 二(二); 民法典 第二百零三条; ADR 0051]
        due = self.office.calendar.cut_off(CutOff.INFORMATION_FIGURES, date(2026, month + 1, 15))
        submissions = sorted(
            t(first + timedelta(days=rng.randint(0, (due - first).days)), 9, i)
            for i in range(rng.randint(0, 8))
        )
        for number, when in enumerate(submissions, start=1):

            def submit() -> None:
                info.submit(unit=unit, year=2026, month=month, title="信息", by=MEMBER[unit])
                tally.submitted[key] += 1

            self.at(when, submit)
            for outlet, level in (("要情快报", "县级"), ("信息简报", "市级")):
                if rng.random() < 0.35:
                    adopted = min(when.add(days=rng.randint(0, 6), hours=2), t(due, 16))

                    def adopt(
                        number: int = number, outlet: str = outlet, level: str = level
                    ) -> None:
                        info.adopt(
                            unit=unit,
                            year=2026,
                            month=month,
                            item=number,
                            level=level,
                            outlet=outlet,
                            by=P.secretary,
                        )
                        tally.adopted[key].add(number)

                    self.at(adopted, adopt)
        if rng.random() < 0.3:

            def late() -> None:
                with pytest.raises(LateFigures):
                    info.submit(unit=unit, year=2026, month=month, title="迟报", by=MEMBER[unit])
                tally.late_refused += 1

            self.at(t(due + timedelta(days=rng.randint(1, 4)), 9), late)

        def close() -> None:
            info.close(unit=unit, year=2026, month=month, by=P.secretary)
            tally.closed.add(key)

        self.at(t(due + timedelta(days=5), 9), close)


# --- the independent counts -------------------------------------------------------------------


def expected_supervision(
    office: Office, tally: Tally, period: Period
) -> dict[str, tuple[int, int]]:
    """(on time, counted) per unit, from each task replayed as of the period's end."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for task_id in tally.tasks:
        try:
            task = office.supervision.as_of(task_id, end_of(period))
        except RecordNotFound:
            continue
        closed = task.status is SupervisionStatus.CLOSED_OUT
        if closed and task.closed_out_at and period.covers(task.closed_out_at.date()):
            found[task.lead_unit][0] += bool(task.on_time)
            found[task.lead_unit][1] += 1
        elif not closed and task.ever_overdue:
            found[task.lead_unit][1] += 1
    return {u: (a, b) for u, (a, b) in found.items()}


def expected_proposals(
    office: Office, tally: Tally, period: Period
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """(replied, items) and (satisfied, rated) per lead unit, each item as of the period's end."""
    reply: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    satisfaction: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pid in tally.proposals:
        try:
            item = office.proposals.as_of(pid, end_of(period))
        except RecordNotFound:
            continue
        a = item.assignment
        if a is None or not period.covers(a.assigned_at.date()):
            continue
        reply[a.lead_unit][1] += 1
        reply[a.lead_unit][0] += bool(item.replies)
        if item.overall_rating is not None:
            satisfaction[a.lead_unit][1] += 1
            satisfaction[a.lead_unit][0] += item.overall_rating.counts_as_satisfied
    return (
        {u: (a, b) for u, (a, b) in reply.items()},
        {u: (a, b) for u, (a, b) in satisfaction.items()},
    )


def expected_days(office: Office, tally: Tally, period: Period) -> dict[str, list[int]]:
    """Handling days per lead unit of the documents handled in the period."""
    found: dict[str, list[int]] = defaultdict(list)
    for doc_id in tally.documents:
        try:
            doc = office.incoming.as_of(doc_id, end_of(period))
        except RecordNotFound:
            continue
        if doc.handled_at is None or not period.covers(doc.handled_at.date()):
            continue
        assert doc.lead_unit is not None and doc.assigned_at is not None
        found[doc.lead_unit].append((doc.handled_at.date() - doc.assigned_at.date()).days)
    return dict(found)


def expected_deductions(office: Office, period: Period) -> dict[str, tuple[Decimal, int]]:
    """(points, entries) per unit: the raw Held and AttendanceRecorded events, scored by the
    meetings' table."""
    table = office.meetings.scoring
    kinds: dict[uuid.UUID, str] = {}
    held: dict[uuid.UUID, date] = {}
    found: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    for e in recorded_since(office, 0):
        if not isinstance(e, Meeting.Event):
            continue
        name = type(e).__name__
        if name in ("Planned", "Requested"):
            kinds[e.originator_id] = e.kind.value  # type: ignore[attr-defined]
        elif name == "Held":
            held[e.originator_id] = e.at.date()  # type: ignore[attr-defined]
        elif name == "AttendanceRecorded":
            day = held[e.originator_id]
            kind = kinds[e.originator_id]
            if not period.covers(day) or kind not in table.counted_kinds:
                continue
            for entry in e.entries:  # type: ignore[attr-defined]
                for fact in entry.facts:
                    found[entry.unit][0] += table.deduction(fact)
                found[entry.unit][1] += 1
    return {u: (points, n) for u, (points, n) in found.items()}


def expected_information(tally: Tally, period: Period) -> dict[str, tuple[int, int]]:
    """(points, months) per unit: [003 篇6 二(二)] as written — 20 for meeting the target, 3
    per adopted item beyond it, 10 for a county unit's 5 submissions."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    months = {m for m in (1, 2, 3, 4) if Period.month(2026, m).start >= period.start}
    months = {m for m in months if Period.month(2026, m).end <= period.end}
    keys = set(tally.target) | set(tally.submitted) | set(tally.adopted) | tally.closed
    for unit, month in keys:
        if month not in months:
            continue
        target = tally.target.get((unit, month))
        adopted = len(tally.adopted[(unit, month)])
        points = 0
        if target is not None and adopted >= target:
            points += 20 + 3 * (adopted - target)
        tier = tally.tier.get((unit, month), UnitTier.COUNTY_DEPARTMENT)
        if tier is UnitTier.COUNTY_DEPARTMENT and tally.submitted[(unit, month)] >= 5:
            points += 10
        found[unit][0] += points
        found[unit][1] += 1
    return {u: (a, b) for u, (a, b) in found.items()}


# --- the tests ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> Any:
    office = office_for_tests("memory", start=SETUP)
    standard_agency(office, SETUP)
    tally = FourMonths(office, seed=20260105).run()
    yield office, tally
    office.close()


@pytest.mark.parametrize("spec", PERIODS)
def test_each_measure_per_unit_matches_an_independent_count(generated: Any, spec: str) -> None:
    """[domain brief §9] 排名: on-time tasks, reply/satisfaction rates, handling days,
    attendance deductions [000 范文6 五 6], information scores [003 篇6 二(二)]."""
    office, tally = generated
    period = Period.parse(spec)
    figures = office.rankings.figures(period)

    on_time = figures[Measure.SUPERVISION_ON_TIME]
    assert {u: (f.part, f.whole) for u, f in on_time.items()} == expected_supervision(
        office, tally, period
    )
    assert all(f.value == Fraction(f.part, f.whole) for f in on_time.values())

    reply, satisfaction = expected_proposals(office, tally, period)
    assert {u: (f.part, f.whole) for u, f in figures[Measure.PROPOSAL_REPLY].items()} == reply
    got = figures[Measure.PROPOSAL_SATISFACTION]
    assert {u: (f.part, f.whole) for u, f in got.items()} == satisfaction

    days = expected_days(office, tally, period)
    got = figures[Measure.INCOMING_DAYS]
    assert {u: (f.value, f.whole) for u, f in got.items()} == {
        u: (Fraction(sum(d), len(d)), len(d)) for u, d in days.items()
    }

    deductions = expected_deductions(office, period)
    got = figures[Measure.ATTENDANCE_DEDUCTION]
    assert {u: (f.value, f.whole) for u, f in got.items()} == {
        u: (Fraction(points), n) for u, (points, n) in deductions.items()
    }

    info = expected_information(tally, period)
    got = figures[Measure.INFORMATION_SCORE]
    assert {u: (f.value, f.whole) for u, f in got.items()} == {
        u: (Fraction(points), n) for u, (points, n) in info.items()
    }


def test_the_generated_months_exercise_every_measure(generated: Any) -> None:
    """The generator produces something to rank on every measure in the first quarter, and
    late information figures were refused [003 篇6 二(二)]."""
    office, tally = generated
    figures = office.rankings.figures("2026-Q1")
    for measure in Measure:
        if measure is Measure.TARGET_SCORE:  # annual: tests/application/test_target_figures.py
            assert figures[measure] == {}
            continue
        assert len(figures[measure]) >= 3, measure
    assert tally.late_refused > 0
    rates = figures[Measure.SUPERVISION_ON_TIME].values()
    assert any(f.part and f.part < f.whole for f in rates)
    assert any(f.value and f.value > 0 for f in figures[Measure.INFORMATION_SCORE].values())


def test_a_years_attendance_deductions_are_the_meetings_own(generated: Any) -> None:
    """[000 范文6 五 6] the deductions the meetings service gives for the year."""
    office, _ = generated
    got = office.rankings.figures("2026")[Measure.ATTENDANCE_DEDUCTION]
    assert {u: f.value for u, f in got.items()} == {
        u: Fraction(d) for u, d in office.meetings.unit_attendance_deductions(2026).items()
    }


def test_the_ranking_orders_by_the_measure_and_breaks_ties_by_the_rules(generated: Any) -> None:
    """ADR 0016: best first; ties by the rules' next measures in order; then a shared rank."""
    office, _ = generated
    for measure in Measure:
        ranking = office.rankings.rank("2026-Q1", measure)
        assert ranking.measure is measure
        assert ranking.tie_breakers == DEFAULT_RANKING_RULES.sequence(measure)[1:]
        ranked = [r for r in ranking.rows if r.rank is not None]
        unranked = [r for r in ranking.rows if r.rank is None]
        assert ranking.rows[: len(ranked)] == tuple(ranked)
        assert all(r.figures[measure].value is None for r in unranked)
        sign = -1 if measure.higher_is_better else 1
        values = [sign * r.figures[measure].value for r in ranked]  # type: ignore[operator]
        assert values == sorted(values)
        for a, b in itertools.pairwise(ranked):
            assert (a.rank or 0) <= (b.rank or 0)
            if a.figures[measure].value != b.figures[measure].value:
                assert (b.rank or 0) > (a.rank or 0)
        assert [r.rank for r in ranked][:1] in ([], [1])


def test_ties_follow_the_next_measure_then_share_the_rank(office: Office) -> None:
    """ADR 0016: equal on the measure → ordered by the rules' next measure; equal on every
    measure → the same rank, listed by unit id, and the next rank skips (1, 1, 3)."""
    p = standard_agency(office, SETUP)
    info, inc = office.information, office.incoming
    office.rankings.rules = RankingRules(
        version="test-1",
        source="测试: 信息得分,再比收文办理天数",
        order=[Measure.INFORMATION_SCORE, Measure.INCOMING_DAYS],
    )
    # Information scores for March [003 篇6 二(二)]: biz1, legal, biz2 29 each (20 + 3 × 3); finance 20.
    for unit, extra in (("biz1", 0), ("legal", 0), ("biz2", 0), ("finance", None)):
        info.set_target(
            unit=unit,
            year=2026,
            month=3,
            target=1,
            tier="乡镇(办事处)",
            by=p.secretary,
            at=t(date(2026, 3, 2), 9),
        )
        items = 1 if extra is None else 5
        for i in range(items):
            info.submit(
                unit=unit,
                year=2026,
                month=3,
                title="信息",
                by=MEMBER[unit],
                at=t(date(2026, 3, 3), 9, i),
            )
        for i in range(1 if extra is None else 4):
            info.adopt(
                unit=unit,
                year=2026,
                month=3,
                item=i + 1,
                level="市级",
                outlet="要情快报",
                by=p.secretary,
                at=t(date(2026, 3, 4), 9, i),
            )
    # Handling days: biz1 2, legal 2, biz2 5, finance 1.
    for unit, days in (("biz1", 2), ("legal", 2), ("biz2", 5), ("finance", 1)):
        doc = inc.receive(
            sender="某县", title="请示", by=p.receiving_secretary, at=t(date(2026, 3, 2), 8)
        )
        inc.register(
            doc, sender_type="government", by=p.receiving_secretary, at=t(date(2026, 3, 2), 8, 5)
        )
        inc.screen(doc, results=ALL_PASS, by=p.receiving_secretary, at=t(date(2026, 3, 2), 8, 10))
        inc.assign(
            doc,
            kind=HandlingKind.ACTION,
            proposal="转办",
            lead_unit=unit,
            by=p.office_head,
            at=t(date(2026, 3, 2), 9),
        )
        inc.accept(doc, by=HEADS[unit], at=t(date(2026, 3, 2), 10))
        inc.handle(
            doc, result="已办", by=HEADS[unit], at=t(date(2026, 3, 2) + timedelta(days=days), 16)
        )

    ranking = office.rankings.rank("2026-03")
    assert ranking.measure is Measure.INFORMATION_SCORE
    assert ranking.rules_version == "test-1"
    top = [(r.rank, r.unit, r.figures[Measure.INFORMATION_SCORE].value) for r in ranking.rows[:4]]
    assert top == [(1, "biz1", 29), (1, "legal", 29), (3, "biz2", 29), (4, "finance", 20)]
    assert all(r.rank is None for r in ranking.rows[4:])
    assert [r.unit for r in ranking.rows[4:]] == sorted(r.unit for r in ranking.rows[4:])

    by_days = office.rankings.rank("2026-03", "收文平均办理天数")
    assert by_days.tie_breakers == (Measure.INFORMATION_SCORE,)
    assert [(r.rank, r.unit) for r in by_days.rows[:4]] == [
        (1, "finance"),
        (2, "biz1"),
        (2, "legal"),
        (4, "biz2"),
    ]


def test_rankings_read_the_views_and_take_in_new_events(office: Office) -> None:
    """The views catch up before each ranking and count every event once (ADR 0015)."""
    p = standard_agency(office, SETUP)
    info = office.information
    info.set_target(
        unit="biz1", year=2026, month=3, target=1, by=p.secretary, at=t(date(2026, 3, 2), 9)
    )
    info.submit(
        unit="biz1", year=2026, month=3, title="信息", by=p.drafter, at=t(date(2026, 3, 3), 9)
    )
    first = office.rankings.rank("2026-03", Measure.INFORMATION_SCORE)
    assert first.row("biz1").figures[Measure.INFORMATION_SCORE].value == 0
    assert office.rankings.rank("2026-03", Measure.INFORMATION_SCORE) == first
    info.adopt(
        unit="biz1",
        year=2026,
        month=3,
        item=1,
        level="省级",
        outlet="信息简报",
        by=p.secretary,
        at=t(date(2026, 3, 5), 9),
    )
    again = office.rankings.rank("2026-03", Measure.INFORMATION_SCORE)
    assert again.row("biz1").figures[Measure.INFORMATION_SCORE].value == 20
    assert again.row("biz1").rank == 1
    office.views.rebuild()
    assert office.rankings.rank("2026-03", Measure.INFORMATION_SCORE) == again
    with pytest.raises(InvalidInput):
        again.row("nowhere")


def test_ranking_rules_are_a_validated_versioned_table() -> None:
    """ADR 0016: which measures, in which order; each once."""
    assert DEFAULT_RANKING_RULES.version and DEFAULT_RANKING_RULES.source
    assert set(DEFAULT_RANKING_RULES.order) == set(Measure)
    with pytest.raises(InvalidInput):
        RankingRules(version="x", source="y", order=[])
    with pytest.raises(InvalidInput):
        RankingRules(version="x", source="y", order=["information_score", "政务信息得分"])
    with pytest.raises(InvalidInput):
        RankingRules(version="", source="y", order=["information_score"])
    with pytest.raises(InvalidInput):
        Measure.parse("popularity")


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-2", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-01-01..2026-06-30", date(2026, 1, 1), date(2026, 6, 30)),
        (" 2026-03-05 .. 2026-03-05 ", date(2026, 3, 5), date(2026, 3, 5)),
    ],
)
def test_a_period_is_a_year_a_quarter_a_month_or_a_range(spec: str, start: date, end: date) -> None:
    period = Period.parse(spec)
    assert (period.start, period.end) == (start, end)
    assert str(period)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "26",
        "2026-Q5",
        "2026-Q0",
        "2026-13",
        "2026-00",
        "last year",
        "2026-02-30..2026-03-01",
        "2026-06-30..2026-01-01",
        "1900",
        "2026-01-01..",
        "2026/03",
    ],
)
def test_a_period_that_does_not_parse_is_refused_clearly(spec: str) -> None:
    with pytest.raises(InvalidPeriod) as refused:
        Period.parse(spec)
    assert "排名期间" in str(refused.value)


def test_only_the_months_wholly_inside_a_period_count_for_information() -> None:
    """[003 篇6 二(二)] scores are monthly: a range counts the months it covers whole."""
    assert Period.parse("2026-01-15..2026-03-31").months() == [(2026, 2), (2026, 3)]
    assert Period.parse("2026-Q2").months() == [(2026, 4), (2026, 5), (2026, 6)]
    assert Period.parse("2026-03-02..2026-03-30").months() == []
    assert len(Period.parse("2025-11-01..2026-02-28").months()) == 4


# --- the command --------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_ranking_command_on_a_sqlite_store(tmp_path: Path) -> None:
    """`govoffice ranking --period ...` as JSON and as a table; ties share the rank."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    office = office_for_tests(store, start=SETUP)
    try:
        p = standard_agency(office, SETUP)
        for unit, adopted in (("biz1", 3), ("biz2", 1), ("legal", 1)):
            office.information.set_target(
                unit=unit, year=2026, month=3, target=1, by=p.secretary, at=t(date(2026, 3, 2), 9)
            )
            for i in range(adopted):
                office.information.submit(
                    unit=unit,
                    year=2026,
                    month=3,
                    title="信息",
                    by=MEMBER[unit],
                    at=t(date(2026, 3, 3), 9, i),
                )
            for i in range(adopted):
                office.information.adopt(
                    unit=unit,
                    year=2026,
                    month=3,
                    item=i + 1,
                    level="县级",
                    outlet="要情快报",
                    by=p.secretary,
                    at=t(date(2026, 3, 4), 9, i),
                )
    finally:
        office.close()
    code, out = run(
        "ranking",
        "--period",
        "2026-03",
        "--measure",
        "information_score",
        "--format",
        "json",
        "--store",
        store,
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["period"] == {"label": "2026年3月", "start": "2026-03-01", "end": "2026-03-31"}
    assert data["rules_version"] == DEFAULT_RANKING_RULES.version
    rows = [
        (r["rank"], r["unit"], r["figures"]["information_score"]["value"]) for r in data["rows"]
    ]
    assert rows[:3] == [(1, "biz1", 26.0), (2, "biz2", 20.0), (2, "legal", 20.0)]
    assert all(rank is None for rank, _, _ in rows[3:])

    code, out = run("ranking", "--period", "2026-03", "--measure", "政务信息得分", "--store", store)
    assert code == 0, out
    assert "业务一处" in out and "26分" in out and "按政务信息得分排名" in out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--period", "2026-13"), "InvalidPeriod"),
        (("--period", "next quarter"), "InvalidPeriod"),
        (("--period", "2026-Q1", "--measure", "popularity"), "InvalidInput"),
    ],
)
def test_the_ranking_command_refuses_a_bad_period_or_measure_clearly(
    tmp_path: Path, args: tuple[str, ...], error: str
) -> None:
    code, out = run("ranking", *args, "--store", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2
    assert error in out and "Traceback" not in out


def test_the_ranking_command_on_a_store_without_an_agency_says_so(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'x.db'}"
    code, out = run("ranking", "--period", "2026", "--store", store)
    assert code == 2 and "StoreNotFound" in out  # reading never creates an empty store
    office_for_tests(store).close()
    code, out = run("ranking", "--period", "2026", "--store", store)
    assert code == 2
    assert "OrganisationNotEstablished" in out and "Traceback" not in out
