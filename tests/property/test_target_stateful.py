"""目标管理 — random sequences of commands, by random people at random times, through
``office.targets``: every refusal is a :class:`GovOfficeError` that records nothing, and the
rules of [001 目标管理工作规程 四] hold whatever the order.

The machine drives one year's table (2026) from drafting to the year-end assessment: indicators
added, revised and removed; opinions asked and given; approval or return; issue; amendments;
checks and deductions; corrections, waivers and upheld deductions; the half-year check; the
daily time step; the assessment.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pendulum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from govoffice.domain.errors import GovOfficeError
from govoffice.domain.target import (
    DeductionStatus,
    TargetTable,
    TargetTableStatus,
    TrackingMeans,
    assessment_scores,
    quarter_of,
)
from govoffice.testing import SettableClock, notification_count, office_for_tests, standard_agency
from govoffice.testing.strategies import indicator_points, target_indicators

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 1, 5, 9, 0, tz=ZONE)
OFFICER = "yang.kaoping"
PRINCIPAL = "chen.juzhang"
HEADS = {
    "biz1": "wang.chuzhang",
    "biz2": "liu.chuzhang",
    "legal": "zhao.fagui",
    "finance": "wei.caiwu",
}
PEOPLE = (OFFICER, PRINCIPAL, "he.fujuzhang", "zheng.ducha", "li.nigao", *HEADS.values())
UNITS = tuple(HEADS)
EDITS = ("IndicatorAdded", "IndicatorRevised", "IndicatorRemoved")

people = st.sampled_from(PEOPLE)
proper = st.sampled_from([True, True, True, True, False])
"""Mostly the person the step needs; sometimes anyone (a refusal)."""
numbers = st.integers(min_value=0, max_value=9)
REFUSED = object()


class TargetTableMachine(RuleBasedStateMachine):
    """年度工作目标考评指标表: any command, by anyone, at any later time."""

    def __init__(self) -> None:
        super().__init__()
        self.office = office_for_tests("memory", start=T0)
        standard_agency(self.office, T0)
        assert isinstance(self.office.clock, SettableClock)
        self.clock: SettableClock = self.office.clock
        self.table = TargetTable.create_id(2026)
        self.deducted_from: dict[int, Decimal] = {}
        """Each deduction's indicator's points when it was recorded."""

    def teardown(self) -> None:
        self.office.close()

    # --- the harness ------------------------------------------------------------------------

    def attempt(self, command: str, *args: Any, **kwargs: Any) -> Any:
        """Run a command; a refusal must be a GovOfficeError and must record nothing."""
        before = notification_count(self.office)
        try:
            return getattr(self.office.targets, command)(*args, **kwargs)
        except GovOfficeError:
            assert notification_count(self.office) == before, f"{command} refused but recorded"
            return REFUSED

    def record(self) -> TargetTable | None:
        if not self.office.store.exists(self.table):
            return None
        return self.office.targets.get(self.table)

    def today(self) -> date:
        return self.clock.now().date()

    def exists(self) -> bool:
        return self.record() is not None

    # --- rules ------------------------------------------------------------------------------

    @initialize(
        fields=st.lists(target_indicators(units=UNITS), max_size=3),
        now=st.sampled_from([True, True, True, False]),
    )
    def start(self, fields: list[dict[str, Any]], now: bool) -> None:
        """Mostly the 2026 table drafted at once, with a few indicators; sometimes none yet."""
        if now:
            self.office.targets.draft(year=2026, by=OFFICER)
            for spec in fields:
                self.office.targets.add_indicator(self.table, by=OFFICER, **spec)

    @rule(right=proper, by=people, year=st.sampled_from([2026, 2026, 2025, 2027, 2028]))
    def draft(self, right: bool, by: str, year: int) -> None:
        by = OFFICER if right else by
        result = self.attempt("draft", year=year, by=by)
        if result is not REFUSED:
            assert self.today().year <= year <= self.today().year + 1 and by == OFFICER

    @precondition(exists)
    @rule(fields=target_indicators(units=UNITS), right=proper, by=people)
    def add_indicator(self, fields: dict[str, Any], right: bool, by: str) -> None:
        self.attempt("add_indicator", self.table, by=OFFICER if right else by, **fields)

    @precondition(exists)
    @rule(number=numbers, points=indicator_points(), unit=st.sampled_from((None, *UNITS)))
    def revise_indicator(self, number: int, points: Any, unit: str | None) -> None:
        self.attempt(
            "revise_indicator", self.table, number=number, points=points, unit=unit, by=OFFICER
        )

    @precondition(exists)
    @rule(number=numbers)
    def remove_indicator(self, number: int) -> None:
        self.attempt("remove_indicator", self.table, number=number, by=OFFICER)

    @precondition(exists)
    @rule(days=st.integers(min_value=-1, max_value=6), right=proper, by=people)
    def solicit(self, days: int, right: bool, by: str) -> None:
        due = self.today() + timedelta(days=days)
        self.attempt("solicit_opinions", self.table, due=due, by=OFFICER if right else by)

    @precondition(exists)
    @rule(
        unit=st.sampled_from(UNITS),
        agrees=st.booleans(),
        opinion=st.sampled_from(["", "分值偏高"]),
        right=proper,
        by=people,
    )
    def give_opinion(self, unit: str, agrees: bool, opinion: str, right: bool, by: str) -> None:
        by = HEADS[unit] if right else by
        self.attempt("give_opinion", self.table, unit=unit, agrees=agrees, opinion=opinion, by=by)

    @precondition(exists)
    @rule(handling=st.sampled_from(["", "已研究采纳"]), right=proper, by=people)
    def submit(self, handling: str, right: bool, by: str) -> None:
        by = OFFICER if right else by
        self.attempt("submit_for_approval", self.table, handling=handling, by=by)

    @precondition(exists)
    @rule(approve=st.booleans(), right=proper, by=people)
    def decide(self, approve: bool, right: bool, by: str) -> None:
        by = PRINCIPAL if right else by
        if approve:
            self.attempt("approve", self.table, by=by)
        else:
            self.attempt("return_for_revision", self.table, reason="须量化", by=by)

    @precondition(exists)
    @rule(right=proper, by=people)
    def issue(self, right: bool, by: str) -> None:
        self.attempt("issue", self.table, by=OFFICER if right else by)

    @precondition(exists)
    @rule(
        add=st.lists(target_indicators(units=UNITS), max_size=1),
        withdraw=st.lists(numbers, max_size=1),
        revise=st.one_of(st.none(), st.tuples(numbers, indicator_points())),
        answer=st.sampled_from([None, True, False]),
    )
    def amend(
        self,
        add: list[dict[str, Any]],
        withdraw: list[int],
        revise: tuple[int, Any] | None,
        answer: bool | None,
    ) -> None:
        changes = None if revise is None else {revise[0]: {"points": revise[1]}}
        self.attempt(
            "propose_amendment",
            self.table,
            reason="调整",
            add=add,
            revise=changes,
            withdraw=withdraw,
            by=OFFICER,
        )
        if answer is True:
            self.attempt("approve_amendment", self.table, by=PRINCIPAL)
        elif answer is False:
            self.attempt("reject_amendment", self.table, reason="维持", by=PRINCIPAL)

    @precondition(exists)
    @rule(number=numbers, means=st.sampled_from(list(TrackingMeans)), right=proper, by=people)
    def check(self, number: int, means: TrackingMeans, right: bool, by: str) -> None:
        by = OFFICER if right else by
        self.attempt("check", self.table, indicator=number, means=means, summary="正常", by=by)

    @precondition(exists)
    @rule(number=numbers, points=st.integers(min_value=-1, max_value=45), right=proper, by=people)
    def deduct(self, number: int, points: int, right: bool, by: str) -> None:
        by = OFFICER if right else by
        record = self.record()
        assert record is not None
        current = record.indicators.get(number)
        found = self.attempt(
            "deduct",
            self.table,
            indicator=number,
            points=points,
            reason="未达要求",
            means=TrackingMeans.ON_SITE,
            by=by,
        )
        if found is not REFUSED:
            assert current is not None
            self.deducted_from[found] = current.points

    @precondition(exists)
    @rule(number=st.integers(min_value=1, max_value=6), right=proper, by=people)
    def correct(self, number: int, right: bool, by: str) -> None:
        record = self.record()
        assert record is not None
        found = record.deductions.get(number)
        if right and found is not None:
            by = HEADS[found.unit]
        self.attempt("report_correction", self.table, deduction=number, measures="已整改", by=by)

    @precondition(exists)
    @rule(
        number=st.integers(min_value=1, max_value=6), waive=st.booleans(), right=proper, by=people
    )
    def judge(self, number: int, waive: bool, right: bool, by: str) -> None:
        by = OFFICER if right else by
        if waive:
            self.attempt("waive", self.table, deduction=number, reason="及时整改", by=by)
        else:
            self.attempt("uphold", self.table, deduction=number, reason="计入", by=by)

    @precondition(exists)
    @rule(unit=st.sampled_from(UNITS), whole=st.booleans(), step=st.integers(0, 3))
    def half_year(self, unit: str, whole: bool, step: int) -> None:
        """The half-year check's steps: start it, a self-check, name a lagging unit, its
        plan."""
        record = self.record()
        assert record is not None
        if step == 0:
            self.attempt("start_half_year_check", self.table, by=OFFICER)
        elif step == 1:
            own = [n for n, i in record.indicators.items() if i.unit == unit]
            progress = {n: 50 for n in (own if whole else own[:-1])}
            self.attempt(
                "report_self_check",
                self.table,
                unit=unit,
                summary="自查",
                progress=progress,
                by=HEADS[unit],
            )
        elif step == 2:
            self.attempt(
                "name_lagging",
                self.table,
                unit=unit,
                reason="滞后",
                catch_up_by=self.today() + timedelta(days=10),
                by=OFFICER,
            )
        else:
            self.attempt(
                "report_catch_up_plan", self.table, unit=unit, measures="加快", by=HEADS[unit]
            )

    @precondition(exists)
    @rule(right=proper, by=people)
    def assess(self, right: bool, by: str) -> None:
        self.attempt("assess", self.table, by=OFFICER if right else by)

    @precondition(exists)
    @rule(pick=st.integers(min_value=0, max_value=99), points=st.integers(1, 12))
    def next_step(self, pick: int, points: int) -> None:
        self.advance(pick, points)

    def advance(self, pick: int, points: int) -> None:
        """The step the table waits for, by the right person (so that random runs go all the
        way to the year-end assessment)."""
        record = self.record()
        assert record is not None
        S = TargetTableStatus
        targets, today = self.office.targets, self.today()
        if record.status is S.DRAFTING and not record.indicators:
            unit = UNITS[pick % len(UNITS)]
            targets.add_indicator(
                self.table,
                unit=unit,
                content="任务",
                basis="局年度工作要点",
                points=20,
                method="查阅台账",
                by=OFFICER,
            )
        elif record.status is S.DRAFTING:
            self.attempt("solicit_opinions", self.table, due=today + timedelta(days=2), by=OFFICER)
        elif record.status is S.CONSULTING:
            for unit in record.solicited:
                if unit in HEADS and unit not in record.opinions:
                    self.attempt("give_opinion", self.table, unit=unit, agrees=True, by=HEADS[unit])
            self.clock.advance(days=3)
            self.attempt("submit_for_approval", self.table, handling="已研究", by=OFFICER)
        elif record.status is S.SUBMITTED:
            self.attempt("approve", self.table, by=PRINCIPAL)
        elif record.status is S.APPROVED:
            self.attempt("issue", self.table, by=OFFICER)
        elif record.status is S.ISSUED and record.indicators:
            number = sorted(record.indicators)[pick % len(record.indicators)]
            open_ = [
                d
                for d in record.deductions.values()
                if d.status is DeductionStatus.AWAITING_CORRECTION
            ]
            if pick < 40:
                self.attempt(
                    "check",
                    self.table,
                    indicator=number,
                    means="日常管理",
                    summary="正常",
                    by=OFFICER,
                )
            elif pick < 60:
                self.deduct(number, points, True, OFFICER)
            elif pick < 75 and open_:
                self.attempt(
                    "report_correction",
                    self.table,
                    deduction=open_[0].number,
                    measures="已整改",
                    by=HEADS[open_[0].unit],
                )
            elif pick < 85:
                corrected = [
                    d for d in record.deductions.values() if d.status is DeductionStatus.CORRECTED
                ]
                if corrected:
                    self.attempt(
                        "waive",
                        self.table,
                        deduction=corrected[0].number,
                        reason="及时",
                        by=OFFICER,
                    )
            elif pick < 93:
                self.jump(6)
                self.half_year(UNITS[pick % len(UNITS)], True, pick % 4)
            else:
                self.jump(12)
                self.attempt("assess", self.table, by=OFFICER)

    # the normal path is drawn as often as three random rules, so runs reach the year's end
    @precondition(exists)
    @rule(pick=st.integers(min_value=0, max_value=99), points=st.integers(1, 12))
    def next_step_again(self, pick: int, points: int) -> None:
        self.advance(pick, points)

    @precondition(exists)
    @rule(pick=st.integers(min_value=0, max_value=99), points=st.integers(1, 12))
    def next_step_once_more(self, pick: int, points: int) -> None:
        self.advance(pick, points)

    @rule(days=st.integers(min_value=0, max_value=25), hours=st.integers(0, 12))
    def time_passes(self, days: int, hours: int) -> None:
        self.clock.advance(days=days, hours=hours)

    @rule(month=st.sampled_from([4, 6, 7, 10, 12]))
    def jump_to(self, month: int) -> None:
        self.jump(month)

    def jump(self, month: int) -> None:
        """Straight to a month the rules care about (quarters, the half-year, the year-end)."""
        target = pendulum.datetime(2026, month, 2, 9, tz=ZONE)
        if target > self.clock.now():
            self.clock.set(target)

    @rule(zone=st.sampled_from([ZONE, "UTC"]))
    def tick(self, zone: str) -> None:
        first = self.office.tick(self.clock.now().in_timezone(zone))
        assert all(d.action in ("ChecksReminded", "ChecksMissed") for d in first)
        assert self.office.tick(self.clock.now()) == [], "the time step is not idempotent"

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def the_table_keeps_the_rules(self) -> None:
        record = self.record()
        if record is None:
            return
        events = self.office.store.events(self.table)
        actions = [type(e).__name__ for e in events]
        if "Issued" in actions:
            issued = actions.index("Issued")
            # [001 目标管理 四(一)3] 拟定-征求意见-领导小组审定-印发执行, then frozen
            before = actions[:issued]
            assert before.index("OpinionsSolicited") < len(before) - before[::-1].index(
                "SubmittedForApproval"
            )
            assert before[-1] == "Approved" and before[-2] == "SubmittedForApproval"
            assert not any(a in EDITS for a in actions[issued:])
        if record.status is TargetTableStatus.ASSESSED:
            assert actions[-1] == "Assessed" and actions.count("Assessed") == 1
            assert record.scores == assessment_scores(
                record.indicators.values(), record.deductions.values()
            )
        # 每季度跟踪检查至少1次: a quarter is reminded and flagged at most once, and only for
        # indicators not checked in it
        for name in ("ChecksReminded", "ChecksMissed"):
            quarters = [e.quarter for e in events if type(e).__name__ == name]  # type: ignore[attr-defined]
            assert len(quarters) == len(set(quarters))
        for e in events:
            if type(e).__name__ == "ChecksMissed":
                assert all(e.quarter not in record.checked.get(n, ()) for n in e.indicators)  # type: ignore[attr-defined]
        # 扣分, 整改, 不计入
        for number, d in record.deductions.items():
            assert Decimal(0) < d.points <= self.deducted_from[number]
            assert d.quarter == quarter_of(d.found_at.in_timezone(ZONE).date())
            if d.status is DeductionStatus.WAIVED:
                assert d.prompt is True and d.corrected_at is not None and d.decision
            if d.status is DeductionStatus.CORRECTED:
                assert d.corrected_at is not None
        # 半年检查
        assert set(record.self_checks) <= set(record.half_year_units)
        assert set(record.lagging) <= set(record.half_year_units)
        # the standing
        scores = record.standing()
        assert sum((s.full for s in scores), Decimal(0)) == sum(
            (i.points for i in record.indicators.values()), Decimal(0)
        )
        for a, b in itertools.pairwise(scores):
            assert a.rate >= b.rate and a.rank <= b.rank
        for s in scores:
            assert Decimal(0) <= s.score <= s.full and Decimal(0) <= s.rate <= 100

    @invariant()
    def replaying_the_events_gives_the_live_state(self) -> None:
        if self.record() is None:
            return
        replayed: Any = None
        for e in self.office.store.events(self.table):
            replayed = e.mutate(replayed)
        assert vars(replayed) == vars(self.office.targets.get(self.table))


TestTargetTable = TargetTableMachine.TestCase
TestTargetTable.settings = settings(
    max_examples=30,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
