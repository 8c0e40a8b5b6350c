"""目标管理 in the simulated year [001 目标管理工作规程]: the year's target table drafted by the
assessment office (考评办) on the walk's first days, every unit's opinion, the leading group's
approval (once sent back, half the time), issue; every indicator checked each quarter (a few
missed, which the time step flags), deductions fed back, corrected on time, late or never,
waived or upheld; an approved and a rejected amendment; the half-year check with its lagging
units and their catch-up plans; and the year-end assessment on the year's last working day.

The area draws on its own random stream (seeded from the year's seed), so adding it changed
no other area's draws. Like 政务信息 it is a routine of every unit: it does not scale.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from govoffice.demo.bureau import units
from govoffice.demo.simulation.records import TOPICS
from govoffice.demo.simulation.timeline import P, _Timeline
from govoffice.domain.target import IndicatorBasis, TargetTable, TrackingMeans, quarter_bounds

OFFICER = P.assessment_officer

TARGET_INDICATORS = (2, 3)
"""Indicators per unit (drawn from this range); points 10-40 each, now and then a half."""

CHECKS_MISSED = 0.04
"""The share of an indicator's quarterly checks the assessment office does not make (the
time step flags them)."""

DEDUCTED = 0.2
"""The share of checks that find the indicator not met (扣分)."""


class _TargetSteps(_Timeline):
    """目标管理: the year's table, its quarterly checks and deductions, the half-year check and
    the year-end assessment."""

    def target_year(self) -> None:
        """The table's first steps, from the walk's first working day; the rest follows."""
        self.trng = random.Random(f"{self.seed}/targets/{self.year}")
        self.table = TargetTable.create_id(self.year)
        self.in_force: dict[int, tuple[str, Decimal]] = {}
        self.assess_day = len(self.days) - 1
        if self.o.store.exists(self.table):
            return  # the store has this year's table already: not simulated again
        self.at((0, 10 * 60), self.target_draft)

    # --- 目标制定 --------------------------------------------------------------------------------

    def target_draft(self) -> None:
        targets, rng = self.o.targets, self.trng
        targets.draft(year=self.year, by=OFFICER, at=self.when)
        for unit, _, _ in units():
            for _ in range(rng.randint(*TARGET_INDICATORS)):
                self.target_add(unit)
        self.target_consult()

    def target_add(self, unit: str) -> None:
        rng = self.trng
        points = Decimal(rng.randint(10, 40)) + (Decimal("0.5") if rng.random() < 0.15 else 0)
        number = self.o.targets.add_indicator(
            self.table,
            unit=unit,
            content=f"{rng.choice(TOPICS)}工作按年度计划推进",
            basis=rng.choice(list(IndicatorBasis)),
            points=points,
            method=rng.choice(("查阅台账", "现场检查", "信息系统抽查", "查阅报表")),
            by=OFFICER,
            at=self.when,
        )
        self.in_force[number] = (unit, points)
        self.counts["targets.indicators"] += 1

    def target_consult(self) -> None:
        """征求意见 of every unit, answers within four working days, then 报审."""
        di = self.now[0] + 1
        due = self.days[min(di + 4, len(self.days) - 1)]
        self.at((di, 10 * 60), self.target_solicit, due)
        for unit, _, _ in units():
            if self.trng.random() < 0.9:
                self.at((di + self.trng.randint(1, 4), 15 * 60), self.target_opinion, unit)
        self.at((di + 5, 10 * 60), self.target_submit)

    def target_solicit(self, due: date) -> None:
        self.o.targets.solicit_opinions(self.table, due=due, by=OFFICER, at=self.when)

    def target_opinion(self, unit: str) -> None:
        agrees = self.trng.random() < 0.75
        self.o.targets.give_opinion(
            self.table,
            unit=unit,
            agrees=agrees,
            opinion="" if agrees else "部分指标分值偏高,建议调整",
            by=self.heads[unit],
            at=self.when,
        )

    def target_submit(self) -> None:
        self.o.targets.submit_for_approval(
            self.table, handling="各单位意见已逐条研究,合理部分已采纳", by=OFFICER, at=self.when
        )
        record = self.o.targets.get(self.table)
        if record.returns == 0 and self.trng.random() < 0.5:
            self.at((self.now[0] + 1, 10 * 60), self.target_send_back)
        else:
            self.at((self.now[0] + 1, 10 * 60), self.target_approve)

    def target_send_back(self) -> None:
        by, on_behalf_of = self.acting(P.principal)
        targets = self.o.targets
        targets.return_for_revision(
            self.table,
            reason="部分指标须进一步量化",
            by=by,
            on_behalf_of=on_behalf_of,
            at=self.when,
        )
        first = min(self.in_force)
        targets.revise_indicator(
            self.table, number=first, content="重点任务完成率不低于95%", by=OFFICER, at=self.when
        )
        self.target_consult()

    def target_approve(self) -> None:
        by, on_behalf_of = self.acting(P.principal)
        self.o.targets.approve(self.table, by=by, on_behalf_of=on_behalf_of, at=self.when)
        self.at((self.now[0] + 1, 10 * 60), self.target_issue)

    def target_issue(self) -> None:
        self.o.targets.issue(
            self.table, document_number=f"X局发〔{self.year}〕8号", by=OFFICER, at=self.when
        )
        record = self.o.targets.get(self.table)
        for quarter in range(record.first_quarter, 5):
            self.target_plan_quarter(quarter, set(self.in_force))
        self.target_routine()

    def target_routine(self) -> None:
        """The year's fixed points: an amendment in May (approved) and September (rejected),
        the half-year check from 1 June, the assessment on the last working day."""
        for on, step in (
            (date(self.year, 5, 10), self.target_amend),
            (date(self.year, 9, 7), self.target_amend_rejected),
            (date(self.year, 5, 31), self.target_half_year),
        ):
            di = self.after(on)
            if di is not None and di > self.now[0] and di < self.assess_day:
                self.at((di, 10 * 60), step)
        self.at((self.assess_day, 15 * 60), self.target_assess)

    # --- 日常跟踪 --------------------------------------------------------------------------------

    def target_plan_quarter(self, quarter: int, numbers: set[int]) -> None:
        first, last = quarter_bounds(self.year, quarter)
        lo = max(bisect.bisect_left(self.days, first), self.now[0] + 1)
        hi = min(bisect.bisect_right(self.days, last) - 1, self.assess_day - 1)
        if lo > hi:
            return
        for number in sorted(numbers):
            if self.trng.random() >= CHECKS_MISSED:
                moment = (self.trng.randint(lo, hi), self.trng.randint(9 * 60, 16 * 60))
                self.at(moment, self.target_check, number)

    def target_check(self, number: int) -> None:
        if number not in self.in_force:
            return  # withdrawn by an amendment meanwhile
        rng, targets = self.trng, self.o.targets
        unit, points = self.in_force[number]
        means = rng.choice(list(TrackingMeans))
        self.counts["targets.checks"] += 1
        if rng.random() >= DEDUCTED or self.now[0] >= self.assess_day - 12:
            targets.check(
                self.table,
                indicator=number,
                means=means,
                summary="进度正常",
                by=OFFICER,
                at=self.when,
            )
            return
        if self.counts["targets.deductions"] == 3:
            self.refused(  # a single finding deducts at most the indicator's points
                "一次扣分超过指标分值",
                lambda: targets.deduct(
                    self.table,
                    indicator=number,
                    points=points + 1,
                    reason="台账缺失",
                    means=means,
                    by=OFFICER,
                    at=self.when,
                ),
            )
        found = targets.deduct(
            self.table,
            indicator=number,
            points=min(points, Decimal(rng.randint(1, 5))),
            reason=f"{rng.choice(('台账记录不完整', '进度滞后于计划', '未按要求报送材料'))}",
            means=means,
            by=OFFICER,
            at=self.when,
        )
        self.counts["targets.deductions"] += 1
        self.target_follow_up(found, unit)

    def target_follow_up(self, found: int, unit: str) -> None:
        """整改: on time (within the 15 days), late, or never; then 不计入 or 计入."""
        rng = self.trng
        correct_by = self.day + timedelta(days=15)
        due = bisect.bisect_right(self.days, correct_by) - 1
        plan = rng.random()
        if plan < 0.6:
            di = rng.randint(self.now[0] + 1, max(self.now[0] + 1, due))
            self.target_later(di, self.target_correct, found, unit)
            self.target_later(di + 2, self.target_judge, found, True)
        elif plan < 0.8:
            di = due + rng.randint(1, 4)
            self.target_later(di, self.target_correct, found, unit)
            self.target_later(di + 1, self.target_judge, found, False)
        else:
            self.target_later(due + 3, self.target_judge, found, False)

    def target_later(self, di: int, step: Callable[..., None], *args: object) -> None:
        """A follow-up, if it falls before the assessment day."""
        if di < self.assess_day:
            self.at((di, self.trng.randint(9 * 60, 16 * 60)), step, *args)

    def target_correct(self, found: int, unit: str) -> None:
        self.o.targets.report_correction(
            self.table,
            deduction=found,
            measures="已建立台账周报制度,问题已整改到位",
            by=self.heads[unit],
            at=self.when,
        )
        self.counts["targets.corrected"] += 1

    def target_judge(self, found: int, prompt: bool) -> None:
        """视情况纳入年终最后得分: a prompt correction is mostly waived; a late one is upheld
        (and once, to show it, a waiver is asked for and refused)."""
        targets = self.o.targets
        if prompt and self.trng.random() < 0.6:
            targets.waive(
                self.table,
                deduction=found,
                reason="整改及时,对年终考评无负面影响",
                by=OFFICER,
                at=self.when,
            )
            self.counts["targets.waived"] += 1
            return
        deduction = targets.get(self.table).deductions[found]
        if deduction.prompt is False and not self.refusals["CorrectionNotPrompt"]:
            self.refused(
                "逾期整改的扣分不计入年终得分",
                lambda: targets.waive(
                    self.table, deduction=found, reason="已整改", by=OFFICER, at=self.when
                ),
            )
        targets.uphold(
            self.table, deduction=found, reason="对年度目标有影响", by=OFFICER, at=self.when
        )
        self.counts["targets.upheld"] += 1

    # --- amendments ------------------------------------------------------------------------------

    def target_amend(self) -> None:
        rng = self.trng
        numbers = sorted(self.in_force)
        withdraw = rng.choice(numbers)
        revise = rng.choice([n for n in numbers if n != withdraw])
        unit = rng.choice([u for u, _, _ in units()])
        self.o.targets.propose_amendment(
            self.table,
            reason="上级调整年度工作要点,相应调整考评指标",
            add=[
                {
                    "unit": unit,
                    "content": "新增专项工作按期完成",
                    "basis": IndicatorBasis.MINISTRY_PLAN,
                    "points": 20,
                    "method": "现场检查",
                }
            ],
            revise={revise: {"points": self.in_force[revise][1] + 5}},
            withdraw=[withdraw],
            by=OFFICER,
            at=self.when,
        )
        self.at((self.now[0] + 1, 10 * 60), self.target_amendment_approved, withdraw, revise, unit)

    def target_amendment_approved(self, withdraw: int, revise: int, unit: str) -> None:
        by, on_behalf_of = self.acting(P.principal)
        self.o.targets.approve_amendment(self.table, by=by, on_behalf_of=on_behalf_of, at=self.when)
        self.counts["targets.amendments"] += 1
        del self.in_force[withdraw]
        owner, points = self.in_force[revise]
        self.in_force[revise] = (owner, points + 5)
        added = max(self.o.targets.get(self.table).indicators)
        self.in_force[added] = (unit, Decimal(20))
        quarter = (self.day.month - 1) // 3 + 1
        for q in range(quarter, 5):
            self.target_plan_quarter(q, {added})

    def target_amend_rejected(self) -> None:
        self.o.targets.propose_amendment(
            self.table,
            reason="拟撤销一项指标",
            withdraw=[min(self.in_force)],
            by=OFFICER,
            at=self.when,
        )
        by, on_behalf_of = self.acting(P.principal)
        self.o.targets.reject_amendment(
            self.table, reason="该项工作仍须完成", by=by, on_behalf_of=on_behalf_of, at=self.when
        )

    # --- 半年检查 and 年终考评 ---------------------------------------------------------------------

    def target_half_year(self) -> None:
        targets, rng = self.o.targets, self.trng
        latest = date(self.year, 7, 15) - timedelta(days=10)
        due = None if self.day <= latest else self.day + timedelta(days=20)
        assessed = targets.start_half_year_check(self.table, due=due, by=OFFICER, at=self.when)
        due = targets.get(self.table).half_year_due
        assert due is not None
        due_di = bisect.bisect_right(self.days, due) - 1
        silent = rng.choice(assessed)
        for unit in assessed:
            if unit != silent:
                di = rng.randint(self.now[0] + 2, due_di + 3)
                self.target_later(di, self.target_self_check, unit)
        self.target_later(due_di + 4, self.target_name_lagging, silent)

    def target_self_check(self, unit: str) -> None:
        record = self.o.targets.get(self.table)
        own = [n for n, i in record.indicators.items() if i.unit == unit]
        self.o.targets.report_self_check(
            self.table,
            unit=unit,
            summary="上半年目标任务总体按计划推进",
            progress={n: self.trng.randint(25, 70) for n in own},
            by=self.heads[unit],
            at=self.when,
        )
        self.counts["targets.self_checks"] += 1

    def target_name_lagging(self, silent: str) -> None:
        """The unit whose self-check shows the least progress, and the one that sent none."""
        record = self.o.targets.get(self.table)

        means = {
            str(unit): sum(r.percent for r in check.progress) / len(check.progress)
            for unit, check in record.self_checks.items()
        }
        slowest = min(sorted(means), key=lambda u: (means[u], u))
        catch_up_by = self.day + timedelta(days=14)
        for unit, why in ((slowest, "上半年进度明显滞后"), (silent, "逾期未报送半年自查")):
            self.o.targets.name_lagging(
                self.table, unit=unit, reason=why, catch_up_by=catch_up_by, by=OFFICER, at=self.when
            )
            self.counts["targets.lagging"] += 1
            self.target_later(self.now[0] + self.trng.randint(3, 12), self.target_catch_up, unit)

    def target_catch_up(self, unit: str) -> None:
        self.o.targets.report_catch_up_plan(
            self.table,
            unit=unit,
            measures="倒排工期、每周调度,三季度末前赶上进度",
            by=self.heads[unit],
            at=self.when,
        )
        self.counts["targets.catch_up_plans"] += 1

    def target_assess(self) -> None:
        if self.o.targets.get(self.table).pending_amendment is not None:
            return  # pragma: no cover - every amendment is answered the next day
        self.o.targets.assess(self.table, by=OFFICER, at=self.when)
        self.counts["targets.assessed"] += 1
