"""政务信息 in the simulated year: every unit's monthly target, the items it submits, their
adoption by the outlets of each level, late items refused, and the monthly closing.
"""

from __future__ import annotations

from datetime import timedelta

from govoffice.demo.bureau import BUSINESS, units
from govoffice.demo.simulation.records import TOPICS
from govoffice.demo.simulation.timeline import OPEN, Moment, _Timeline
from govoffice.domain.calendar import CutOff
from govoffice.domain.information import AdoptionLevel, UnitTier, figures_due, month_bounds

INFORMATION_WRITERS = ("office", "policy", "info")
"""The units that write the most information: the general office, the policy research office
and the information centre."""

INFORMATION_ITEMS = {"writers": (10.0, 15.0), "business": (4.0, 9.0), "others": (2.0, 5.0)}
"""政务信息: the items a unit submits in a month at ``scale=1`` (its own rate, drawn from its
kind's range); the share of its items adopted is drawn from :data:`INFORMATION_ADOPTED`. The
monthly routine (every unit's target, the closing) does not scale, like the plan's periodic
meetings; the items scale with the square root of ``scale``, so that a small year still has
units meeting, missing and exceeding their targets (about 1,600 items and 3,000 events at
``scale=1``, 500 items at 0.1)."""

INFORMATION_ADOPTED = (0.2, 0.55)

INFORMATION_LEVELS: tuple[tuple[AdoptionLevel, int, str], ...] = (
    (AdoptionLevel.COUNTY, 70, "县政府办《政务信息》"),
    (AdoptionLevel.CITY, 22, "市政府办《每日要情》"),
    (AdoptionLevel.PROVINCE, 6, "省政府办《政务要情》"),
    (AdoptionLevel.NATIONAL, 2, "国务院办公厅《政务信息》"),
)
"""采用层级 (level, weight, outlet): mostly 县级, fewer 市级, rarely 省级 or 国家级; an item now and
then is adopted again by the next level's outlet."""

INFORMATION_KINDS = ("工作动态", "取得新进展", "经验做法", "存在问题及建议")


class _InformationSteps(_Timeline):
    """政务信息: every unit's monthly targets, items, adoptions and closing."""

    # --- 政务信息 information reporting --------------------------------------------------------

    def information_year(self) -> None:
        """Each unit's habits (items a month, share adopted), and the year's months the walk
        reaches: on a month's first working day the general office sets every unit's target;
        on the first working day after the cut-off (the 15th of the next month, moved past a
        holiday on it) it closes the month (in two
        months of the year, a unit tries to report an item for it that morning: too late)."""
        rng = self.rng
        for unit, _, _ in units():
            busy = "business" if unit in BUSINESS else "others"
            lo, hi = INFORMATION_ITEMS["writers" if unit in INFORMATION_WRITERS else busy]
            self.habits[unit] = (rng.uniform(lo, hi), rng.uniform(*INFORMATION_ADOPTED))
        closings: list[tuple[int, int]] = []
        for month in range(1, 13):
            start, last = month_bounds(self.year, month)
            i = self.after(start - timedelta(days=1))
            if i is None or self.days[i] > last:
                continue  # over before the walk starts
            self.at((i, 8 * 60 + 45), self.info_month, month)
            cut_off = self.o.calendar.cut_off(
                CutOff.INFORMATION_FIGURES, figures_due(self.year, month)
            )  # the 15th, or the first working day after a holiday on it (ADR 0051)
            closing = self.after(cut_off)
            if closing is not None:
                self.at((closing, 10 * 60), self.info_close, month)
                closings.append((closing, month))
        for closing, month in rng.sample(closings, min(2, len(closings))):
            self.at((closing, 9 * 60 + 15), self.info_late, rng.choice(BUSINESS), month)

    def info_month(self, month: int) -> None:
        """设定信息采用目标 for every unit, and the month's items: spread over its working
        days, a few in the first days of the next month (before its 15th)."""
        info, rng, s = self.o.information, self.rng, self.scale**0.5
        last = month_bounds(self.year, month)[1]
        end = self.on_or_before(last)
        assert end is not None and end >= self.now[0]
        early = self.after(last), self.on_or_before(last + timedelta(days=10))
        by = self.reviewer()
        self.reporting[month] = []
        for unit, _, _ in units():
            rate, _share = self.habits[unit]
            target = max(1, round(rate * s * 0.35 * rng.uniform(0.8, 1.2)))
            info.set_target(
                unit=unit,
                year=self.year,
                month=month,
                target=target,
                tier=UnitTier.COUNTY_DEPARTMENT,  # the bureau's 处室 report as 县直单位 do
                by=by,
                at=self.when,
            )
            self.counts["information.targets"] += 1
            self.reporting[month].append(unit)
            mean = rate * s * rng.uniform(0.5, 1.5)
            for _ in range(int(mean) + (rng.random() < mean - int(mean))):
                a, b = early
                if a is not None and b is not None and a <= b and rng.random() < 0.08:
                    di = rng.randint(a, b)
                else:
                    di = rng.randint(self.now[0], end)
                self.at((di, rng.randint(OPEN, 16 * 60)), self.info_submit, unit, month)

    def by_due(self, month: int, lo: int, hi: int) -> Moment:
        """``lo``-``hi`` working days later, but no later than the month's figures are due."""
        due = self.on_or_before(figures_due(self.year, month))
        assert due is not None and due >= self.now[0]
        when = self.days_later(lo, hi)
        return when if when is not None and when[0] <= due else (due, 16 * 60)

    def info_submit(self, unit: str, month: int) -> None:
        rng = self.rng
        number = self.o.information.submit(
            unit=unit,
            year=self.year,
            month=month,
            title=f"{rng.choice(TOPICS)}{rng.choice(INFORMATION_KINDS)}",
            by=self.of_unit(unit),
            at=self.when,
        )
        self.counts["information.submitted"] += 1
        self.counts["information.submitted_next_month"] += self.day.month != month
        if rng.random() < self.habits[unit][1]:
            self.at(self.by_due(month, 1, 6), self.info_adopt, unit, month, number, 0)

    def info_adopt(self, unit: str, month: int, number: int, floor: int) -> None:
        """信息采用 at a level drawn from :data:`INFORMATION_LEVELS` (from ``floor`` up)."""
        rng = self.rng
        levels = INFORMATION_LEVELS[floor:]
        level, _, outlet = rng.choices(levels, weights=[w for _, w, _ in levels])[0]
        self.o.information.adopt(
            unit=unit,
            year=self.year,
            month=month,
            item=number,
            level=level,
            outlet=outlet,
            by=self.reviewer(),
            at=self.when,
        )
        self.counts["information.adopted" if floor == 0 else "information.adopted_again"] += 1
        higher = [lv for lv, _, _ in INFORMATION_LEVELS].index(level) + 1
        if floor == 0 and higher < len(INFORMATION_LEVELS) and rng.random() < 0.1:
            self.at(self.by_due(month, 1, 4), self.info_adopt, unit, month, number, higher)

    def info_late(self, unit: str, month: int) -> None:
        """次月15日以后报来的上月信息: refused, and nothing recorded."""
        info, by = self.o.information, self.of_unit(unit)
        self.refused(
            "次月15日以后报送上月信息",
            lambda: info.submit(
                unit=unit,
                year=self.year,
                month=month,
                title=f"{self.rng.choice(TOPICS)}工作动态(补报)",
                by=by,
                at=self.when,
            ),
        )

    def info_close(self, month: int) -> None:
        """结算 every unit's month, once its figures are no longer accepted."""
        by = self.reviewer()
        for unit in self.reporting.get(month, []):
            self.o.information.close(unit=unit, year=self.year, month=month, by=by, at=self.when)
            self.counts["information.closed"] += 1
