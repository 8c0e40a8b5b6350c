"""目标管理 figures from the events alone: a seeded generator runs a target year through
``office.targets`` — the 2026 table drafted in December 2025, consulted on, sent back once,
consulted on again, approved by a substitute, issued; quarterly checks (a few missed),
deductions (corrected on time, late or never; waived or upheld), two amendments (one
approved, one rejected), the half-year check with lagging units and catch-up plans, the daily
time step, and the year-end assessment in January 2027 — keeping its own tally of what it
did. The figures of the annual report's 六、目标管理, the scores the assessment recorded and
the 目标考评得分 ranking measure are then computed from nothing but the stored events (the
notification log, mapped back to domain events) and must match the tally and each other
[001 目标管理工作规程 四; 003 篇6 二(五)].
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import pendulum
import pytest

from govoffice.adapters.report_render import render
from govoffice.application.office import Office
from govoffice.application.rankings import Measure
from govoffice.application.reports import AnnualReport, Breakdown, Table
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.target import IndicatorBasis, TargetTable, TrackingMeans
from govoffice.testing import AgencyPeople, SettableClock, office_for_tests, standard_agency

ZONE = "Asia/Shanghai"
YEAR = 2026
START = pendulum.datetime(YEAR - 1, 12, 1, 8, tz=ZONE)
P = AgencyPeople()
CENTER_HEAD = "xu.zhongxin"
HEADS = {
    "office": P.office_head,
    "party": P.party_head,
    "discipline": P.discipline_head,
    "finance": P.finance_head,
    "legal": P.legal_head,
    "biz1": P.unit_head,
    "biz2": P.unit_head2,
    "center": CENTER_HEAD,
}
OFFICER = P.assessment_officer
TOPIC = "target-table/"


def t(day: date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)


@dataclass
class Tally:
    """What the generator did, by its own bookkeeping."""

    indicators: dict[int, tuple[str, IndicatorBasis, Decimal]] = field(default_factory=dict)
    tracked_from: dict[int, int] = field(default_factory=dict)
    checked: dict[int, set[int]] = field(default_factory=dict)
    consulted: list[str] = field(default_factory=list)
    dissenting: set[str] = field(default_factory=set)
    amendments: int = 0
    checks_by_quarter: Counter[str] = field(default_factory=Counter)
    checks_by_means: Counter[str] = field(default_factory=Counter)
    missed: int = 0
    deductions: dict[int, tuple[int, str, Decimal]] = field(default_factory=dict)
    waived: set[int] = field(default_factory=set)
    corrected: int = 0
    corrected_on_time: int = 0
    self_checks: int = 0
    self_checks_late: int = 0
    lagging: int = 0
    plans: int = 0


class TargetYear:
    """A target year, driven through the public commands in business-time order."""

    def __init__(self, office: Office, seed: int) -> None:
        self.office = office
        self.rng = random.Random(seed)
        self.queue: list[tuple[pendulum.DateTime, int, Callable[[], object]]] = []
        self.order = itertools.count()
        self.tally = Tally()
        self.table = TargetTable.create_id(YEAR)
        assert isinstance(office.clock, SettableClock)
        self.clock: SettableClock = office.clock

    # --- scheduling -------------------------------------------------------------------------

    def at(self, when: pendulum.DateTime, step: Callable[[], object]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), step))

    def when(self) -> pendulum.DateTime:
        """Now, written by a third of the callers in UTC (the same instant)."""
        now = self.clock.now()
        return now.in_timezone("UTC") if self.rng.random() < 0.33 else now

    def workday(self, day: date) -> date:
        while not self.office.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day

    def run(self) -> Tally:
        day = START.date()
        while day <= date(YEAR + 1, 1, 10):  # the office's time step runs every morning
            self.at(t(day, 8, 30), partial(self.office.tick, None))
            day += timedelta(days=1)
        self.at(START.add(hours=1), self.draft)
        for quarter in range(1, 5):
            self.at(t(date(YEAR, 3 * quarter - 2, 1), 7), partial(self.plan_quarter, quarter))
            end = date(YEAR + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            self.at(t(end, 8, 29), partial(self.quarter_ends, quarter))
        self.at(t(date(YEAR, 5, 11), 10), self.amend)
        self.at(t(date(YEAR, 9, 7), 10), self.amend_refused)
        self.at(t(date(YEAR, 6, 1), 10), self.half_year)
        self.at(t(date(YEAR + 1, 1, 8), 10), self.assess)
        while self.queue:
            when, _, step = heapq.heappop(self.queue)
            self.clock.set(when)
            step()
        return self.tally

    # --- 目标制定 -----------------------------------------------------------------------------

    def draft(self) -> None:
        targets = self.office.targets
        targets.draft(year=YEAR, by=OFFICER, at=self.when())
        for unit in sorted(HEADS):
            for _ in range(self.rng.randint(2, 4)):
                self.add(unit)
        self.consult(date(YEAR - 1, 12, 2), date(YEAR - 1, 12, 9))
        self.at(t(date(YEAR - 1, 12, 10), 10), partial(self.submit, True))

    def add(self, unit: str) -> None:
        basis = self.rng.choice(list(IndicatorBasis))
        points = Decimal(self.rng.randint(5, 40)) + (
            Decimal("0.5") if self.rng.random() < 0.2 else 0
        )
        number = self.office.targets.add_indicator(
            self.table,
            unit=unit,
            content=f"{unit}年度任务{self.rng.randint(1, 99)}",
            basis=self.rng.choice([basis, basis.label]),
            points=self.rng.choice([points, str(points)]),
            method="查阅台账",
            by=OFFICER,
            at=self.when(),
        )
        self.tally.indicators[number] = (unit, basis, points)

    def consult(self, on: date, due: date) -> None:
        def solicit() -> None:
            asked = self.office.targets.solicit_opinions(
                self.table, due=due, by=OFFICER, at=self.when()
            )
            self.tally.consulted, self.tally.dissenting = asked, set()
            for unit in asked:
                if unit in HEADS and self.rng.random() < 0.9:
                    day = on + timedelta(days=self.rng.randint(1, (due - on).days))
                    self.at(t(day, 15), partial(self.answer, unit))

        self.at(t(on, 10), solicit)

    def answer(self, unit: str) -> None:
        agrees = self.rng.random() < 0.7
        self.office.targets.give_opinion(
            self.table,
            unit=unit,
            agrees=agrees,
            opinion="" if agrees else "分值设置偏高",
            by=HEADS[unit],
            at=self.when(),
        )
        if not agrees:
            self.tally.dissenting.add(unit)

    def submit(self, send_back: bool) -> None:
        targets = self.office.targets
        targets.submit_for_approval(
            self.table, handling="意见已逐条研究", by=OFFICER, at=self.when()
        )
        day = self.clock.now().date()
        if send_back:
            self.at(t(day + timedelta(days=2), 10), self.send_back)
        else:
            self.at(t(day + timedelta(days=2), 10), self.approve)

    def send_back(self) -> None:
        targets = self.office.targets
        targets.return_for_revision(
            self.table, reason="部分指标须量化", by=P.principal, at=self.when()
        )
        first = min(self.tally.indicators)
        targets.revise_indicator(self.table, number=first, points=25, by=OFFICER, at=self.when())
        unit, basis, _ = self.tally.indicators[first]
        self.tally.indicators[first] = (unit, basis, Decimal(25))
        last = max(self.tally.indicators)
        targets.remove_indicator(self.table, number=last, by=OFFICER, at=self.when())
        del self.tally.indicators[last]
        self.add("center")
        today = self.clock.now().date()
        self.consult(today + timedelta(days=1), today + timedelta(days=5))
        self.at(t(today + timedelta(days=7), 10), partial(self.submit, False))

    def approve(self) -> None:
        day = self.clock.now().date()
        self.office.org.appoint_substitute(
            leader=P.principal, substitute=P.deputy, start=day, end=day, by=P.admin
        )
        self.office.targets.approve(
            self.table, by=P.deputy, on_behalf_of=P.principal, at=self.when()
        )
        self.at(t(day + timedelta(days=3), 10), self.issue)

    def issue(self) -> None:
        self.office.targets.issue(
            self.table, document_number=f"X局发〔{YEAR}〕1号", by=OFFICER, at=self.when()
        )
        self.tally.tracked_from = {n: 1 for n in self.tally.indicators}
        self.tally.checked = {n: set() for n in self.tally.indicators}

    # --- 日常跟踪 -----------------------------------------------------------------------------

    def plan_quarter(self, quarter: int) -> None:
        first = date(YEAR, 3 * quarter - 2, 1)
        for number in sorted(self.tally.indicators):
            if self.rng.random() < 0.88:
                day = self.workday(first + timedelta(days=self.rng.randint(0, 85)))
                if day.month in range(3 * quarter - 2, 3 * quarter + 1) and day.year == YEAR:
                    self.at(t(day, self.rng.randint(9, 17)), partial(self.track, number))

    def track(self, number: int) -> None:
        if number not in self.tally.indicators:
            return  # withdrawn meanwhile
        targets, rng = self.office.targets, self.rng
        means = rng.choice(list(TrackingMeans))
        quarter = (self.clock.now().month - 1) // 3 + 1
        unit, _, points = self.tally.indicators[number]
        if rng.random() < 0.25:
            amount = min(points, Decimal(rng.randint(1, 8)) / (2 if rng.random() < 0.3 else 1))
            d = targets.deduct(
                self.table,
                indicator=number,
                points=amount,
                reason="抽查发现未达要求",
                means=rng.choice([means, means.label]),
                by=OFFICER,
                at=self.when(),
            )
            self.tally.deductions[d] = (number, unit, amount)
            self.follow_up(d, unit)
        else:
            targets.check(
                self.table,
                indicator=number,
                means=means,
                summary="进度正常",
                by=OFFICER,
                at=self.when(),
            )
        self.tally.checks_by_quarter[f"Q{quarter}"] += 1
        self.tally.checks_by_means[means.value] += 1
        self.tally.checked.setdefault(number, set()).add(quarter)

    def follow_up(self, number: int, unit: str) -> None:
        targets, rng = self.office.targets, self.rng
        found = self.clock.now().date()
        due = found + timedelta(days=15)

        def correct(on_time: bool) -> None:
            targets.report_correction(
                self.table, deduction=number, measures="已整改到位", by=HEADS[unit], at=self.when()
            )
            self.tally.corrected += 1
            self.tally.corrected_on_time += on_time

        def waive() -> None:
            targets.waive(
                self.table,
                deduction=number,
                reason="整改及时,未影响年度目标",
                by=OFFICER,
                at=self.when(),
            )
            self.tally.waived.add(number)

        def uphold() -> None:
            targets.uphold(
                self.table, deduction=number, reason="影响年度目标", by=OFFICER, at=self.when()
            )

        plan = rng.random()
        if plan < 0.5:  # prompt
            on = found + timedelta(days=rng.randint(1, 15))
            self.at(t(on, 16), partial(correct, True))
            self.at(t(on + timedelta(days=2), 11), waive if rng.random() < 0.6 else uphold)
        elif plan < 0.7:  # late
            on = due + timedelta(days=rng.randint(1, 8))
            self.at(t(on, 16), partial(correct, False))
            if rng.random() < 0.5:
                self.at(t(on + timedelta(days=1), 11), uphold)
        elif rng.random() < 0.5:  # never corrected
            self.at(t(due + timedelta(days=3), 11), uphold)

    def quarter_ends(self, quarter: int) -> None:
        """The generator's count of what the 08:30 tick will flag: indicators in force,
        tracked in the quarter, not checked in it."""
        for number in self.tally.indicators:
            if self.tally.tracked_from[number] <= quarter and quarter not in self.tally.checked.get(
                number, set()
            ):
                self.tally.missed += 1

    def amend(self) -> None:
        targets = self.office.targets
        withdraw = min(n for n, (u, _, _) in self.tally.indicators.items() if u == "legal")
        revise = max(n for n, (u, _, _) in self.tally.indicators.items() if u == "biz1")
        targets.propose_amendment(
            self.table,
            reason="上级调整年度工作要点",
            add=[
                {
                    "unit": "biz2",
                    "content": "新增专项任务",
                    "basis": IndicatorBasis.MINISTRY_PLAN,
                    "points": 15,
                    "method": "现场检查",
                }
            ],
            revise={revise: {"points": "18"}},
            withdraw=[withdraw],
            by=OFFICER,
            at=self.when(),
        )
        self.at(self.clock.now().add(days=1), partial(self.amendment_approved, withdraw, revise))

    def amendment_approved(self, withdraw: int, revise: int) -> None:
        self.office.targets.approve_amendment(self.table, by=P.principal, at=self.when())
        self.tally.amendments += 1
        del self.tally.indicators[withdraw]
        unit, basis, _ = self.tally.indicators[revise]
        self.tally.indicators[revise] = (unit, basis, Decimal(18))
        added = max(self.office.targets.get(self.table).indicators)
        self.tally.indicators[added] = ("biz2", IndicatorBasis.MINISTRY_PLAN, Decimal(15))
        self.tally.tracked_from[added] = 2

    def amend_refused(self) -> None:
        targets = self.office.targets
        targets.propose_amendment(
            self.table,
            reason="拟撤销",
            withdraw=[min(self.tally.indicators)],
            by=OFFICER,
            at=self.when(),
        )
        targets.reject_amendment(self.table, reason="维持原指标", by=P.principal, at=self.when())

    # --- 半年检查 and 年终考评 --------------------------------------------------------------------

    def half_year(self) -> None:
        targets = self.office.targets
        units = targets.start_half_year_check(self.table, by=OFFICER, at=self.when())
        silent = "discipline"
        for unit in units:
            if unit == silent:
                continue
            on = self.workday(date(YEAR, 6, 5) + timedelta(days=self.rng.randint(0, 48)))
            self.at(t(on, 15), partial(self.self_check, unit))
        self.at(t(date(YEAR, 7, 20), 10), partial(self.name_lagging, silent))

    def self_check(self, unit: str) -> None:
        record = self.office.targets.get(self.table)
        own = [n for n, i in record.indicators.items() if i.unit == unit]
        self.office.targets.report_self_check(
            self.table,
            unit=unit,
            summary="上半年目标任务推进情况",
            progress={n: self.rng.randint(20, 70) for n in own},
            by=HEADS[unit],
            at=self.when(),
        )
        self.tally.self_checks += 1
        self.tally.self_checks_late += self.clock.now().date() > date(YEAR, 7, 15)

    def name_lagging(self, silent: str) -> None:
        record = self.office.targets.get(self.table)
        reported = sorted(record.self_checks)
        slowest = min(
            reported,
            key=lambda u: (
                sum(p.percent for p in record.self_checks[u].progress)
                / len(record.self_checks[u].progress),
                u,
            ),
        )
        for unit, why in ((slowest, "自查进度明显滞后"), (silent, "逾期未报送半年自查")):
            self.office.targets.name_lagging(
                self.table,
                unit=unit,
                reason=why,
                catch_up_by=date(YEAR, 8, 10),
                by=OFFICER,
                at=self.when(),
            )
            self.tally.lagging += 1
        self.at(t(date(YEAR, 8, 3), 10), partial(self.catch_up, slowest))

    def catch_up(self, unit: str) -> None:
        self.office.targets.report_catch_up_plan(
            self.table, unit=unit, measures="倒排工期,每周调度", by=HEADS[unit], at=self.when()
        )
        self.tally.plans += 1

    def assess(self) -> None:
        self.office.targets.assess(self.table, by=OFFICER, at=self.when())


# --- the figures, from the events alone --------------------------------------------------------


def stored_events(office: Office) -> list[tuple[str, Any]]:
    """Every event of the store, in recorded order, with its stored topic (after
    ``govoffice/``), read back from the notification log."""
    events: list[tuple[str, Any]] = []
    start = 1
    while True:
        page = office.app.recorder.select_notifications(start=start, limit=500)
        events.extend(
            (n.topic.removeprefix("govoffice/"), office.app.mapper.to_domain_event(n)) for n in page
        )
        if len(page) < 500:
            return events
        start = page[-1].id + 1


def recompute_scores(
    indicators: dict[int, tuple[str, Decimal]], deductions: dict[int, tuple[int, Decimal, bool]]
) -> list[tuple[str, int, int, Decimal, Decimal, Decimal, Decimal, Decimal]]:
    """ADR 0036 with plain loops: (unit, rank, indicators, full, deducted, waived, score,
    rate), best first."""
    rows = []
    for unit in sorted({u for u, _ in indicators.values()}):
        full = deducted = waived = score = Decimal(0)
        n = 0
        for number, (owner, points) in indicators.items():
            if owner != unit:
                continue
            n += 1
            full += points
            counted = Decimal(0)
            for on, amount, is_waived in deductions.values():
                if on == number:
                    deducted += amount
                    if is_waived:
                        waived += amount
                    else:
                        counted += amount
            score += max(Decimal(0), points - counted)
        rate = (score / full * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rows.append((unit, n, full, deducted, waived, score, rate))
    rows.sort(key=lambda r: (-r[6], r[0]))
    ranked = []
    for position, row in enumerate(rows, start=1):
        rank = position
        if ranked and ranked[-1][7] == row[6]:
            rank = ranked[-1][1]
        ranked.append((row[0], rank, *row[1:]))
    return ranked


def count_targets(events: list[tuple[str, Any]], year: int, org: Organisation) -> dict[str, Any]:
    """六、目标管理 of ``year``, counted from the raw events of the year's table with plain
    loops: scalars as they are, breakdowns as their non-zero values, the results table as its
    rows and 合计 line (rows as the report's :class:`AssessmentRow` cells)."""
    table = None
    for topic, e in events:
        if topic == TOPIC + "Drafted" and e.year == year:
            table = e.originator_id
    mine = [(topic.removeprefix(TOPIC), e) for topic, e in events if e.originator_id == table]
    indicators: dict[int, Any] = {}
    consulted: list[str] = []
    dissent: dict[str, bool] = {}
    proposed: list[Any] = []
    x: Counter[str] = Counter()
    quarters: Counter[str] = Counter()
    means: Counter[str] = Counter()
    deductions: dict[int, Any] = {}
    waived: set[int] = set()
    scores: list[Any] = []
    status = None if table is None else "drafting"
    for name, e in mine:
        if name in ("IndicatorAdded", "IndicatorRevised"):
            indicators[e.indicator.number] = e.indicator
        elif name == "IndicatorRemoved":
            del indicators[e.number]
        elif name == "OpinionsSolicited":
            consulted, dissent = list(e.units), {}
            status = "consulting"
        elif name == "OpinionGiven":
            dissent[e.unit] = not e.agrees
        elif name == "SubmittedForApproval":
            status = "submitted"
        elif name == "ReturnedForRevision":
            status = "drafting"
        elif name == "Approved":
            status = "approved"
        elif name == "Issued":
            status = "issued"
        elif name == "AmendmentProposed":
            proposed = list(e.changes)
        elif name == "AmendmentApproved":
            x["amendments"] += 1
            for c in proposed:
                if c.kind.value == "withdraw":
                    del indicators[c.indicator.number]
                else:
                    indicators[c.indicator.number] = c.indicator
        elif name == "IndicatorChecked":
            quarters[f"Q{e.quarter}"] += 1
            means[e.means.value] += 1
        elif name == "DeductionRecorded":
            d = e.deduction
            quarters[f"Q{d.quarter}"] += 1
            means[d.means.value] += 1
            deductions[d.number] = d
        elif name == "CorrectionReported":
            x["corrected"] += 1
            x["corrected_on_time"] += e.prompt
        elif name == "DeductionWaived":
            waived.add(e.deduction)
        elif name == "ChecksMissed":
            x["missed"] += len(e.indicators)
        elif name == "SelfCheckReported":
            x["self_checks"] += 1
            x["self_checks_late"] += e.late
        elif name == "NamedLagging":
            x["lagging"] += 1
        elif name == "CatchUpPlanReported":
            x["plans"] += 1
        elif name == "Assessed":
            status = "assessed"
            scores = list(e.scores)
    affiliated = set(org.units_with(UnitFunction.AFFILIATED))
    by_unit: Counter[str] = Counter()
    deducted = waived_points = Decimal(0)
    for n, d in deductions.items():
        by_unit[d.unit] += d.points
        deducted += d.points
        if n in waived:
            waived_points += d.points
    name_of = {u: org.units[u].name for u in org.units}
    rows = [
        (
            serial,
            s.rank,
            name_of[s.unit],
            s.indicators,
            s.full,
            s.deducted,
            s.waived,
            s.score,
            s.rate,
        )
        for serial, s in enumerate(scores, start=1)
    ]
    if scores:
        total: tuple[Any, ...] = (
            "合计",
            "",
            "",
            sum(s.indicators for s in scores),
            sum((s.full for s in scores), Decimal(0)),
            sum((s.deducted for s in scores), Decimal(0)),
            sum((s.waived for s in scores), Decimal(0)),
            sum((s.score for s in scores), Decimal(0)),
            "",
        )
    else:
        total = ("合计", "", "", None, None, None, None, None, "")
    return {
        "status": Counter({status: 1} if status else {}),
        "indicators": len(indicators),
        "indicators_by_basis": Counter(i.basis.value for i in indicators.values()),
        "points": sum((i.points for i in indicators.values()), Decimal(0)),
        "assessed_units": len({i.unit for i in indicators.values()}),
        "units_consulted": len(consulted),
        "affiliated_consulted": sum(1 for u in consulted if u in affiliated),
        "units_dissenting": sum(dissent.values()),
        "amendments": x["amendments"],
        "checks": sum(quarters.values()),
        "checks_by_quarter": quarters,
        "checks_by_means": means,
        "missed_checks": x["missed"],
        "deductions": len(deductions),
        "deducted_points": deducted,
        "corrected": x["corrected"],
        "corrected_on_time": x["corrected_on_time"],
        "waived": len(waived),
        "waived_points": waived_points,
        "counted_points": deducted - waived_points,
        "deductions_by_unit": by_unit,
        "self_checks": x["self_checks"],
        "self_checks_late": x["self_checks_late"],
        "lagging_units": x["lagging"],
        "catch_up_plans": x["plans"],
        "assessment": [*rows, total],
    }


def section_values(report: AnnualReport, key: str) -> dict[str, Any]:
    """One section's figures: scalars, breakdowns as their non-zero values, a table as its
    rows and 合计 line."""
    (found,) = [s for s in report.sections() if s.key == key]
    values: dict[str, Any] = {}
    for e in found.entries:
        if isinstance(e.value, Breakdown):
            values[e.key] = e.value.nonzero()
        elif isinstance(e.value, Table):
            values[e.key] = [*e.value.cells(), e.value.total()]
        else:
            values[e.key] = e.value
    return values


def same(got: Any, want: Any) -> bool:
    if isinstance(want, Counter | dict):
        want = {k: v for k, v in want.items() if v}
        return isinstance(got, dict) and got == want
    return bool(got == want) and type(got) is type(want)


# --- the generated year -----------------------------------------------------------------------


@dataclass
class Generated:
    office: Office
    tally: Tally
    report: AnnualReport
    events: list[tuple[str, Any]]


@pytest.fixture(scope="module")
def year() -> Iterator[Generated]:
    office = office_for_tests(start=START)
    try:
        standard_agency(office, START)
        office.org.add_unit(
            unit_id="center", name="信息中心", functions=[UnitFunction.AFFILIATED], by=P.admin
        )
        office.org.add_person(
            person_id=CENTER_HEAD, name="徐主任", unit="center", roles=[Role.UNIT_HEAD], by=P.admin
        )
        tally = TargetYear(office, seed=20251201).run()
        yield Generated(office, tally, office.reports.annual(YEAR), stored_events(office))
    finally:
        office.close()


def test_the_target_figures_follow_from_the_events_alone(year: Generated) -> None:
    """[001 目标管理 四] 目标制定、日常跟踪、半年检查、年终考评: the year's figures, from the events,
    agree with what the generator did."""
    org = year.office.org.current()
    counted = count_targets(year.events, YEAR, org)
    tally = year.tally
    assert counted["status"] == {"assessed": 1}
    assert counted["indicators"] == len(tally.indicators)
    assert counted["units_consulted"] == len(tally.consulted) == len(org.units)
    assert counted["affiliated_consulted"] == 1
    assert counted["units_dissenting"] == len(tally.dissenting)
    assert counted["amendments"] == tally.amendments == 1
    assert counted["checks_by_quarter"] == tally.checks_by_quarter
    assert counted["checks_by_means"] == tally.checks_by_means
    assert counted["missed_checks"] == tally.missed
    assert counted["deductions"] == len(tally.deductions)
    assert counted["deducted_points"] == sum(a for _, _, a in tally.deductions.values())
    assert counted["waived"] == len(tally.waived)
    assert counted["corrected"] == tally.corrected
    assert counted["corrected_on_time"] == tally.corrected_on_time
    assert counted["self_checks"] == tally.self_checks
    assert counted["self_checks_late"] == tally.self_checks_late
    assert (counted["lagging_units"], counted["catch_up_plans"]) == (tally.lagging, tally.plans)
    # a real year: every kind of step happened
    assert tally.missed and tally.waived and tally.corrected > tally.corrected_on_time > 0
    assert len(tally.deductions) > len(tally.waived) + 3 and tally.self_checks_late
    assert set(tally.checks_by_quarter) == {"Q1", "Q2", "Q3", "Q4"}


def test_the_recorded_scores_are_the_formula_over_the_events(year: Generated) -> None:
    """ADR 0036: points less counted deductions, never below 0; 折算分 on 100; ranks shared."""
    indicators = {n: (u, p) for n, (u, _, p) in year.tally.indicators.items()}
    deductions = {
        n: (on, amount, n in year.tally.waived)
        for n, (on, _, amount) in year.tally.deductions.items()
    }
    want = recompute_scores(indicators, deductions)
    (assessed,) = [e for topic, e in year.events if topic == TOPIC + "Assessed"]
    got = [
        (s.unit, s.rank, s.indicators, s.full, s.deducted, s.waived, s.score, s.rate)
        for s in assessed.scores
    ]
    assert got == want
    assert len({s.unit for s in assessed.scores}) == len(HEADS)
    assert year.office.targets.scores(YEAR) == tuple(assessed.scores)


def test_the_annual_reports_target_section_is_the_count_of_the_events(year: Generated) -> None:
    """[domain brief §9] 年度报告: 目标管理, every figure counted again from the raw events."""
    got = section_values(year.report, "targets")
    want = count_targets(year.events, YEAR, year.office.org.current())
    assert got.keys() == want.keys()  # no figure goes unchecked
    wrong = {k: (got[k], want[k]) for k in want if not same(got[k], want[k])}
    assert not wrong
    md = render(year.report, "md")
    assert "## 六、目标管理" in md and "## 七、政务信息" in md
    first = year.report.targets.assessment.rows[0]
    assert f"| 1 | 1 | {first.unit} | {first.indicators} |" in md
    assert year.report.headline[-1].startswith(
        f"年度工作目标考评指标{len(year.tally.indicators)}项"
    )


def test_the_ranking_measure_is_the_assessments_score(year: Generated) -> None:
    """排名 目标考评得分: the year-end assessment's 折算分, for a period holding the whole year."""
    (assessed,) = [e for topic, e in year.events if topic == TOPIC + "Assessed"]
    rankings = year.office.rankings
    figures = rankings.figures(str(YEAR))[Measure.TARGET_SCORE]
    assert {u: (f.value, f.whole) for u, f in figures.items()} == {
        s.unit: (Fraction(s.rate), s.indicators) for s in assessed.scores
    }
    assert rankings.figures(f"{YEAR}-Q4")[Measure.TARGET_SCORE] == {}
    wide = rankings.figures(f"{YEAR - 1}-01-01..{YEAR + 1}-12-31")[Measure.TARGET_SCORE]
    assert {u: f.value for u, f in wide.items()} == {u: f.value for u, f in figures.items()}
    ranking = rankings.rank(str(YEAR), Measure.TARGET_SCORE)
    ranked = [(r.unit, r.rank) for r in ranking.rows if r.rank is not None]
    assert ranked == [(s.unit, s.rank) for s in assessed.scores]
    assert all(r.rank is None for r in ranking.rows[len(ranked) :])
    assert ranking.row(assessed.scores[0].unit).figures[Measure.TARGET_SCORE].text().endswith("项)")


def test_a_view_rebuilt_from_nothing_gives_the_same_report_and_ranking(year: Generated) -> None:
    """The figures are projections and folds of the log: replaying it gives the same."""
    before = year.office.rankings.rank(str(YEAR), Measure.TARGET_SCORE)
    year.office.views.rebuild()
    assert year.office.reports.annual(YEAR) == year.report
    assert year.office.rankings.rank(str(YEAR), Measure.TARGET_SCORE) == before


def test_nothing_of_an_assessed_table_waits_in_a_queue(year: Generated) -> None:
    """年终考评 closes the table: no step of it waits for anyone."""
    kinds = {i.kind for i in year.office.queues.overdue()}
    assert "目标管理" not in kinds
    queue = year.office.queues.for_person(OFFICER)
    assert all(i.kind != "目标管理" for i in queue)
    past = year.office.queues.for_person(OFFICER, on=date(YEAR, 3, 20))
    assert any(i.step == "target_check" for i in past)
