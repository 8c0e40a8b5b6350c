"""政务信息 information reporting: a unit's monthly submissions (报送) and adoptions (采用),
and the monthly score they earn.

Every month each unit sends items of government information (政务信息) to the general
office; the general office sets the unit's monthly adopted-item target (信息采用目标), records
which items were adopted and by which level and outlet (刊物), and closes the month's figures
(结算). The county government office of [003 篇6 二(二)] scores the month:

- "完成信息采用目标的当月,每个单位奖20分,每超额1条的奖励3分": a unit that meets its
  adopted-item target gets 20 points for the month, plus 3 for each adopted item beyond it;
- "县直单位完成5条信息报送任务的,该月奖励10分": a county unit (县直单位) that submits 5
  items in a month gets 10 points;
- "上个月的信息……在下个月15日以后报来的,将不得再采用": figures for a month reported after
  the 15th of the next month are not accepted (:class:`LateFigures`).

The scoring figures are a versioned table (:class:`InformationScoringTable`), which an
agency replaces with its own: practice differs everywhere (reference notes §2.8). The body of
the handbook's 政务信息工作规程 [001 目录 5] is not in the seed.

One small aggregate per unit and month (:class:`InformationReport`), with a deterministic id,
so the first step of the month — whoever takes it — opens it exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import MemberOf, OfficeMember, authorise, declare, either, step
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.calendar import CutOff, DeadlineRules, RestDays
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    RuleViolation,
)
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import (
    LabelledEnum,
    PersonId,
    UnitId,
    coerce_enum,
    positive_int,
    text,
    value_object,
)

__all__ = [
    "FIGURES_DUE_DAY",
    "SEED_INFORMATION_SCORING",
    "AdoptionLevel",
    "AlreadyAdopted",
    "InformationAdoption",
    "InformationItem",
    "InformationReport",
    "InformationScoringTable",
    "InformationStatus",
    "LateFigures",
    "MonthFigures",
    "MonthNotBegun",
    "MonthNotOver",
    "MonthScore",
    "TargetTooLate",
    "UnitTier",
    "UnknownInformationItem",
    "figures_cut_off",
    "figures_due",
    "month_bounds",
    "score_month",
]

INFORMATION_NAMESPACE = uuid.UUID("9d3e6a1c-4b2f-4f7e-8a55-2c1b7e0f4d93")

FIGURES_DUE_DAY = 15
"""[003 篇6 二(二)] 上个月的信息……在下个月15日以后报来的,将不得再采用."""


# --- vocabulary ----------------------------------------------------------------------------


class InformationStatus(LabelledEnum):
    """月度信息状态: figures open for the month, or closed (结算)."""

    OPEN = "open", "统计中"
    CLOSED = "closed", "已结算"


class UnitTier(LabelledEnum):
    """报送单位类别: the seed's submission points are for county units (县直单位)
    [003 篇6 二(二)]; townships (乡镇、办事处) are scored on adoptions only."""

    COUNTY_DEPARTMENT = "county_department", "县直单位"
    TOWNSHIP = "township", "乡镇(办事处)"


class AdoptionLevel(LabelledEnum):
    """采用层级: who adopted an item (the seed counts items adopted by the province and the
    city [003 篇6 一(三)]; local tables score each level differently, reference §2.8)."""

    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


# --- values ---------------------------------------------------------------------------------


@value_object
class InformationItem:
    """报送信息 one item a unit submitted, numbered within its month."""

    number: int
    title: str
    submitted_by: PersonId
    submitted_at: pendulum.DateTime


@value_object
class InformationAdoption:
    """信息采用 an item adopted by one outlet (刊物) of one level."""

    number: int
    level: AdoptionLevel
    outlet: str
    adopted_at: pendulum.DateTime


@value_object
class MonthFigures:
    """一个单位一个月的信息数据: what the scoring table reads.

    ``target`` is the adopted-item target (None: none was set); ``adopted_items`` counts
    each adopted item once, ``adoptions`` counts every outlet's adoption."""

    target: int | None
    submitted: int
    adopted_items: int
    adoptions: int
    tier: UnitTier = UnitTier.COUNTY_DEPARTMENT

    def __attrs_post_init__(self) -> None:
        for name in ("submitted", "adopted_items", "adoptions"):
            positive_int(getattr(self, name), name, minimum=0)
        if self.target is not None:
            positive_int(self.target, "信息采用目标")
        if self.adoptions < self.adopted_items:
            raise InvalidInput(
                f"采用次数 {self.adoptions} 少于采用条数 {self.adopted_items} "
                "(each adopted item is adopted at least once)"
            )
        if not isinstance(self.tier, UnitTier):
            raise InvalidInput(f"报送单位类别 {self.tier!r} 不是 UnitTier")


@value_object
class MonthScore:
    """信息月度得分, by rule: the target's points, the extra items' points, the submission
    task's points."""

    target_met: bool
    target_points: Decimal
    extra_items: int
    extra_points: Decimal
    submission_met: bool
    submission_points: Decimal

    @property
    def total(self) -> Decimal:
        return self.target_points + self.extra_points + self.submission_points


def _points(value: Decimal | int | str) -> Decimal:
    """Points are exact: an int, a Decimal or a numeric text (a float is refused)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(
            f"分值 {value!r} 须为整数、Decimal 或数字文字 (expected an exact number)", value=value
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"分值 {value!r} 须为非负的有限数 (points must be >= 0)", value=value)
    return number


def _quota(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    positive_int(value, attribute.name)


def _label(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    text(value, attribute.name)


def _tiers(value: Iterable[UnitTier | str]) -> frozenset[UnitTier]:
    if isinstance(value, str):
        raise InvalidInput("报送任务适用的单位类别须为列表 (expected a list of tiers)")
    return frozenset(coerce_enum(UnitTier, t, "单位类别") for t in value)


@attrs.frozen
class InformationScoringTable:
    """政务信息计分标准: the points of the monthly score (configuration, versioned).

    - ``target_points``: for the month in which the unit meets its adopted-item target;
    - ``per_extra_item``: for each adopted item beyond the target;
    - ``submission_quota`` / ``submission_points``: for a unit of ``submission_tiers`` that
      submits at least the quota in the month;
    - ``count_each_adoption``: whether an item adopted by several outlets counts once per
      outlet (some jurisdictions let them accumulate, reference §2.8) or once (the seed
      counts items, "每超额1条").

    ``version`` and ``source`` say which rules these are and where they come from; an
    agency replaces the table (``office.information.scoring = ...``) with its own.
    """

    version: str = attrs.field(validator=_label)
    source: str = attrs.field(validator=_label)
    target_points: Decimal = attrs.field(default=Decimal(20), converter=_points)
    per_extra_item: Decimal = attrs.field(default=Decimal(3), converter=_points)
    submission_quota: int = attrs.field(default=5, validator=_quota)
    submission_points: Decimal = attrs.field(default=Decimal(10), converter=_points)
    submission_tiers: frozenset[UnitTier] = attrs.field(
        default=frozenset({UnitTier.COUNTY_DEPARTMENT}), converter=_tiers
    )
    count_each_adoption: bool = False

    def score(self, figures: MonthFigures) -> MonthScore:
        """The month's score under this table (never negative; never lower for more
        adopted items or more submissions)."""
        if not isinstance(figures, MonthFigures):
            raise InvalidInput(f"月度信息数据 {figures!r} 不是 MonthFigures")
        adopted = figures.adoptions if self.count_each_adoption else figures.adopted_items
        met = figures.target is not None and adopted >= figures.target
        extra = adopted - figures.target if met and figures.target is not None else 0
        submitted = (
            figures.tier in self.submission_tiers and figures.submitted >= self.submission_quota
        )
        return MonthScore(
            target_met=met,
            target_points=self.target_points if met else Decimal(0),
            extra_items=extra,
            extra_points=self.per_extra_item * extra,
            submission_met=submitted,
            submission_points=self.submission_points if submitted else Decimal(0),
        )


SEED_INFORMATION_SCORING = InformationScoringTable(
    version="seed-003-1",
    source=(
        "[003 篇6 二(二)] 完成信息采用目标的当月,每个单位奖20分,每超额1条的奖励3分;"
        "县直单位完成5条信息报送任务的,该月奖励10分"
    ),
)
"""The seed's figures: 20 for the target, 3 per extra adopted item, 10 for 5 submissions by
a county unit; an item counts once however many outlets adopt it."""


def score_month(
    figures: MonthFigures, table: InformationScoringTable = SEED_INFORMATION_SCORING
) -> MonthScore:
    """信息月度计分: the score of one unit's month under ``table`` (pure)."""
    if not isinstance(table, InformationScoringTable):
        raise InvalidInput(f"计分标准 {table!r} 不是 InformationScoringTable")
    return table.score(figures)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    positive_int(year, "年份", minimum=1949)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput(f"月份 {month!r} 不正确 (month is 1-12)", value=month)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def figures_due(year: int, month: int) -> date:
    """The last day a month's figures are accepted: the 15th of the next month
    [003 篇6 二(二)]."""
    last = month_bounds(year, month)[1]
    following = last + timedelta(days=1)
    return following.replace(day=FIGURES_DUE_DAY)


def figures_cut_off(year: int, month: int, calendar: RestDays, rules: DeadlineRules) -> date:
    """The last day a month's figures are really accepted: the 15th of the next month
    [003 篇6 二(二)], moved to the next working day when the 15th is a statutory holiday or
    a rest day (民法典 第二百零三条: 期间的最后一日是法定休假日的,以法定休假日结束的次日为期间
    的最后一日), unless the jurisdiction's ``rules`` say otherwise (ADR 0051). January
    2026's figures, due on 15 February (春节), are accepted until 24 February."""
    if not isinstance(rules, DeadlineRules):
        raise InvalidInput(f"期限规则表 {rules!r} 不正确 (expected DeadlineRules)")
    return rules.last_day(CutOff.INFORMATION_FIGURES, figures_due(year, month), calendar)


# --- errors -----------------------------------------------------------------------------------


class LateFigures(RuleViolation):
    """[003 篇6 二(二)] 上个月的信息……在下个月15日以后报来的,将不得再采用 (the 15th moved
    past a holiday, ADR 0051)."""

    def __init__(self, unit: str, year: int, month: int, due: date, on: date) -> None:
        super().__init__(
            f"{unit} {year}年{month}月的信息数据报送截止于 {due},{on} 报来的不予采用 "
            "(figures for a month reported after the 15th of the next month, or the first "
            "working day after a holiday on it, are not accepted)",
            unit=unit,
            year=year,
            month=month,
            due=due,
            on=on,
        )


class MonthNotBegun(RuleViolation):
    def __init__(self, unit: str, year: int, month: int, on: date) -> None:
        super().__init__(
            f"{unit} {year}年{month}月尚未开始({on}),不能报送该月信息 (the month has not begun)",
            unit=unit,
            year=year,
            month=month,
            on=on,
        )


class MonthNotOver(RuleViolation):
    def __init__(self, unit: str, year: int, month: int, on: date) -> None:
        super().__init__(
            f"{unit} {year}年{month}月尚未结束({on}),不能结算该月信息 "
            "(a month's figures are closed once the month is over)",
            unit=unit,
            year=year,
            month=month,
            on=on,
        )


class TargetTooLate(RuleViolation):
    """A month's target is set while the month runs: set afterwards, it would only
    decide after the fact whether the unit met it."""

    def __init__(self, unit: str, year: int, month: int, on: date) -> None:
        super().__init__(
            f"{unit} {year}年{month}月的信息采用目标须在该月结束前设定,{on} 已过 "
            "(a target is set before the month is over)",
            unit=unit,
            year=year,
            month=month,
            on=on,
        )


class UnknownInformationItem(InvalidInput):
    def __init__(self, unit: str, year: int, month: int, number: object) -> None:
        super().__init__(
            f"{unit} {year}年{month}月没有第 {number!r} 条报送信息 (no such submitted item)",
            unit=unit,
            year=year,
            month=month,
            number=number,
        )


class AlreadyAdopted(AlreadyExists):
    def __init__(self, number: int, outlet: str) -> None:
        super().__init__(f"第 {number} 条信息被《{outlet}》采用的记录", outlet)


# --- helpers ----------------------------------------------------------------------------------


# --- the aggregate ----------------------------------------------------------------------------


@stable_topics("information-report")
class InformationReport(OfficeAggregate):
    """政务信息月报 one unit's information figures for one month: its adopted-item target,
    the items it submitted, the adoptions, and the closing."""

    KIND = "政务信息月报"

    @staticmethod
    def create_id(unit: str, year: int, month: int) -> uuid.UUID:
        """Deterministic, uuid5 of ``unit/year/month``: one record per unit and month."""
        return uuid.uuid5(INFORMATION_NAMESPACE, f"{unit}/{year}/{month}")

    @classmethod
    def open(
        cls,
        *,
        org: Organisation,
        unit: str,
        year: int,
        month: int,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> InformationReport:
        """建立月报: opened by the month's first step (a target, or the first item);
        the step itself checks who may take it, and both are saved together."""
        unit_id = UnitId(org.require_unit_active(unit, at).id)
        month_bounds(year, month)
        authorise(org, cls, "Opened", by=by, at=at, unit=unit_id)
        return cls(
            unit=unit_id, year=year, month=month, tier=UnitTier.COUNTY_DEPARTMENT, by=by, at=at
        )

    @event("Opened")
    def __init__(
        self,
        *,
        unit: UnitId,
        year: int,
        month: int,
        tier: UnitTier,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.unit = unit
        self.year = year
        self.month = month
        self.tier = tier
        self.status = InformationStatus.OPEN
        self.target: int | None = None
        self.items: tuple[InformationItem, ...] = ()
        self.adoptions: tuple[InformationAdoption, ...] = ()
        self.closed_at: pendulum.DateTime | None = None

    # --- commands ---------------------------------------------------------------------------

    def set_target(
        self,
        *,
        org: Organisation,
        target: int,
        tier: UnitTier | str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """设定信息采用目标 the general office sets (or changes) the unit's adopted-item target
        for the month, and the unit's tier (县直单位 or 乡镇), before the month is over."""
        self._check_time(at)
        self._require_status(InformationStatus.OPEN)
        authorise(org, InformationReport, "TargetSet", by=by, at=at, record=self)
        goal = positive_int(target, "信息采用目标")
        kind = self.tier if tier is None else coerce_enum(UnitTier, tier, "单位类别")
        today = org.day_of(at)
        if today > self.last_day:
            raise TargetTooLate(self.unit, self.year, self.month, today)
        self._target_set(target=goal, tier=kind, by=by, at=at)

    @event("TargetSet")
    def _target_set(self, target: int, tier: UnitTier, by: PersonId, at: pendulum.DateTime) -> None:
        self.target = target
        self.tier = tier

    def submit_item(
        self,
        *,
        org: Organisation,
        calendar: RestDays,
        rules: DeadlineRules,
        title: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> int:
        """报送信息 a person of the unit submits one item for the month, from the month's
        first day until the 15th of the next [003 篇6 二(二)] (moved past a holiday on the
        office ``calendar`` as the jurisdiction's ``rules`` say, ADR 0051); returns its
        number."""
        self._check_time(at)
        self._require_status(InformationStatus.OPEN)
        authorise(org, InformationReport, "ItemSubmitted", by=by, at=at, record=self)
        heading = text(title, "信息标题")
        today = org.day_of(at)
        if today < self.first_day:
            raise MonthNotBegun(self.unit, self.year, self.month, today)
        self._check_due(today, calendar, rules)
        number = len(self.items) + 1
        self._item_submitted(number=number, title=heading, by=by, at=at)
        return number

    @event("ItemSubmitted")
    def _item_submitted(self, number: int, title: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.items = (*self.items, InformationItem(number, title, by, at))

    def adopt_item(
        self,
        *,
        org: Organisation,
        calendar: RestDays,
        rules: DeadlineRules,
        number: int,
        level: AdoptionLevel | str,
        outlet: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """信息采用 the general office records that a submitted item was adopted by an
        outlet (刊物) of a level; an outlet adopts an item once. Like every figure of the
        month, it is accepted until the 15th of the next month [003 篇6 二(二)]."""
        self._check_time(at)
        self._require_status(InformationStatus.OPEN)
        authorise(org, InformationReport, "ItemAdopted", by=by, at=at, record=self)
        if isinstance(number, bool) or not isinstance(number, int):
            raise UnknownInformationItem(self.unit, self.year, self.month, number)
        if not 1 <= number <= len(self.items):
            raise UnknownInformationItem(self.unit, self.year, self.month, number)
        how = coerce_enum(AdoptionLevel, level, "采用层级")
        where = text(outlet, "采用刊物").strip()
        if any(a.number == number and a.outlet == where for a in self.adoptions):
            raise AlreadyAdopted(number, where)
        self._check_due(org.day_of(at), calendar, rules)
        self._item_adopted(number=number, level=how, outlet=where, by=by, at=at)

    @event("ItemAdopted")
    def _item_adopted(
        self, number: int, level: AdoptionLevel, outlet: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.adoptions = (*self.adoptions, InformationAdoption(number, level, outlet, at))

    def close(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """结算 the general office closes the month's figures once the month is over;
        nothing more is recorded for it."""
        self._check_time(at)
        self._require_status(InformationStatus.OPEN)
        authorise(org, InformationReport, "FiguresClosed", by=by, at=at, record=self)
        today = org.day_of(at)
        if today <= self.last_day:
            raise MonthNotOver(self.unit, self.year, self.month, today)
        f = self.figures
        self._figures_closed(
            target=f.target,
            submitted=f.submitted,
            adopted_items=f.adopted_items,
            adoptions=f.adoptions,
            by=by,
            at=at,
        )

    @event("FiguresClosed")
    def _figures_closed(
        self,
        target: int | None,
        submitted: int,
        adopted_items: int,
        adoptions: int,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.status = InformationStatus.CLOSED
        self.closed_at = at

    # --- queries ----------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return month_bounds(self.year, self.month)[0]

    @property
    def last_day(self) -> date:
        return month_bounds(self.year, self.month)[1]

    @property
    def due(self) -> date:
        """报送截止日 as the rule names it: the 15th of the next month [003 篇6 二(二)]; the
        day it really ends on is :meth:`cut_off`."""
        return figures_due(self.year, self.month)

    def cut_off(self, calendar: RestDays, rules: DeadlineRules) -> date:
        """The last day the month's figures are accepted: :attr:`due`, moved past a
        statutory holiday as ``rules`` say (:func:`figures_cut_off`, ADR 0051)."""
        return figures_cut_off(self.year, self.month, calendar, rules)

    @property
    def figures(self) -> MonthFigures:
        """The month's figures as recorded so far."""
        return MonthFigures(
            target=self.target,
            submitted=len(self.items),
            adopted_items=len({a.number for a in self.adoptions}),
            adoptions=len(self.adoptions),
            tier=self.tier,
        )

    def score(self, table: InformationScoringTable = SEED_INFORMATION_SCORING) -> MonthScore:
        """The month's score under ``table``."""
        return score_month(self.figures, table)

    def _check_due(self, today: date, calendar: RestDays, rules: DeadlineRules) -> None:
        """``today``: the agency's day of the step."""
        if today <= self.due:
            return  # within the rule's own day, whatever the calendar
        last = self.cut_off(calendar, rules)
        if today > last:
            raise LateFigures(self.unit, self.year, self.month, last, today)


_OFFICE = OfficeMember()
_UNIT = MemberOf(lambda act: [act.record.unit], "报送单位")

AUTHORITY = declare(
    "InformationReport",
    {
        "Opened": step(
            "建立信息月报", either(_OFFICE, MemberOf(lambda act: [act.fact("unit")], "报送单位"))
        ),
        "TargetSet": step("设定信息采用目标", _OFFICE),
        "ItemSubmitted": step("以该单位名义报送信息", _UNIT),
        "ItemAdopted": step("登记信息采用", _OFFICE),
        "FiguresClosed": step("结算月度信息", _OFFICE),
    },
)
