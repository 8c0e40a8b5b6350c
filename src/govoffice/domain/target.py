"""目标管理 annual target management: the year's target table (年度工作目标考评指标表), its
daily tracking, the half-year check and the year-end assessment [001 目标管理工作规程 四].

One record per year (:class:`TargetTable`), from drafting to the year-end assessment:

- **目标制定** [四(一)]: early each year the assessment office (考评办) drafts the table —
  indicators (考评指标) per unit, each with its basis (one of the five sources of 四(一)2),
  its points (分值) and how it is checked (考核方式) — solicits the opinions of every unit
  (局属各单位、机关各部门, recorded per unit), submits it to the leading group (领导小组),
  which approves it (审定) or sends it back, and issues it (印发执行): from then on the
  table is frozen. A change after issue is an amendment (调整): proposed by the assessment
  office with its reason, approved by the leading group, recorded as its own event.
- **日常跟踪** [四(二)1]: every indicator is checked at least once a quarter (每项考评指标
  每季度跟踪检查至少1次); the time step reminds the assessment office of the indicators not
  yet checked as a quarter ends, and flags those a quarter passed without. A check that finds
  an indicator not met records a deduction (扣分) with its reason, fed back to the unit
  (发现问题并反馈); the unit reports its correction (各单位整改); the assessment office then
  decides whether the deduction counts in the year-end score (视情况纳入年终最后得分): a unit
  that corrected promptly, with no negative effect on the year-end result, may have it
  waived (可不计入年终考评得分).
- **半年检查** [四(二)2; 003 篇6 二(五)]: the assessment office starts the half-year check;
  every assessed unit reports its first-half self-check, indicator by indicator (逐条逐项),
  by the due date (7月15日前 by default); units whose progress lags are named and report how
  they will catch up.
- **年终考评**: every unit's score from its indicators, deductions and waivers, and the
  ranking of the units (:func:`assessment_scores`, ADR 0036).

Who acts: the assessment office is the holders of :attr:`Role.ASSESSMENT_OFFICER` (考评办
人员); the leading group acts through its head, the principal leader (主要领导, or the
substitute acting for them that day); a unit acts through its head (处室负责人). Every date a
rule reads is the agency's business day (``org.day_of(at)``); a quarter is a calendar quarter
of that day.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import HeadOf, authorise, declare, fact, role, step
from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, stable_topics
from govoffice.domain.calendar import CutOff, DeadlineRules, RestDays
from govoffice.domain.errors import AlreadyExists, InvalidInput, RuleViolation
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.supervision import DeadlineInPast
from govoffice.domain.values import (
    LabelledEnum,
    PersonId,
    UnitId,
    a_date,
    coerce_enum,
    positive_int,
    text,
    value_object,
)

__all__ = [
    "DEFAULT_TARGET_POLICY",
    "Amendment",
    "AmendmentPending",
    "ChangeKind",
    "CorrectionNotPrompt",
    "Deduction",
    "DeductionExceedsPoints",
    "DeductionSettled",
    "DeductionStatus",
    "DissentWithoutReason",
    "EmptyTargetTable",
    "HalfYearCheckNotStarted",
    "HalfYearCheckTooEarly",
    "IncompleteSelfCheck",
    "Indicator",
    "IndicatorBasis",
    "IndicatorChange",
    "IndicatorProgress",
    "LaggingUnit",
    "NoAmendmentPending",
    "NoCorrectionReported",
    "NotAnAssessedUnit",
    "NotNamedLagging",
    "OpinionsNotAddressed",
    "OpinionsOutstanding",
    "OutsideTargetYear",
    "SelfCheck",
    "SelfCheckNotDue",
    "TableFrozen",
    "TableYearOutOfRange",
    "TargetPolicy",
    "TargetTable",
    "TargetTableStatus",
    "TrackingMeans",
    "UnitNotSolicited",
    "UnitOpinion",
    "UnitOpinionAlreadyGiven",
    "UnitScore",
    "UnitsLeftOut",
    "UnknownDeduction",
    "UnknownIndicator",
    "YearEndNotReached",
    "assessment_scores",
    "quarter_bounds",
    "quarter_of",
]

TARGET_NAMESPACE = uuid.UUID("5b0e7d2a-3c41-4e8b-9a6f-2d7c1e9b4f60")

INDICATOR_FIELDS = ("unit", "content", "basis", "points", "method")
"""The fields of an indicator a command names (an amendment may not move one to another unit)."""


# --- vocabulary ----------------------------------------------------------------------------


class TargetTableStatus(LabelledEnum):
    """年度工作目标考评指标表状态 [001 目标管理 四(一)3]: 拟定 → 征求意见 → 领导小组审定 →
    印发执行, then 年终考评."""

    DRAFTING = "drafting", "拟定中"
    CONSULTING = "consulting", "征求意见中"
    SUBMITTED = "submitted", "报领导小组审定"
    APPROVED = "approved", "已审定待印发"
    ISSUED = "issued", "已印发执行"
    ASSESSED = "assessed", "已年终考评"


class IndicatorBasis(LabelledEnum):
    """指标制定依据 the five sources of the indicators [001 目标管理 四(一)2]."""

    STATUTORY_DUTY = "statutory_duty", "国家法律法规赋予的法定职责"
    MINISTRY_PLAN = "ministry_plan", "部局中长期发展规划及年度工作要点"
    AGENCY_PLAN = "agency_plan", "局中长期发展规划"
    AGENCY_WORK_POINTS = "agency_work_points", "局年度工作要点"
    OTHER_IMPORTANT_WORK = "other_important_work", "其他需要纳入年度目标的重要工作"


class TrackingMeans(LabelledEnum):
    """跟踪方式 how the assessment office follows the units' progress [001 目标管理 四(二)1(1)]:
    日常管理、效能督查、现场检查、信息系统."""

    DAILY_MANAGEMENT = "daily_management", "日常管理"
    EFFICIENCY_INSPECTION = "efficiency_inspection", "效能督查"
    ON_SITE = "on_site", "现场检查"
    INFORMATION_SYSTEM = "information_system", "信息系统"


class DeductionStatus(LabelledEnum):
    """扣分 through its flow [001 目标管理 四(二)1(4)]: 发现问题并反馈 → 各单位整改 →
    视情况纳入年终最后得分."""

    AWAITING_CORRECTION = "awaiting_correction", "待整改"
    CORRECTED = "corrected", "已整改待认定"
    COUNTED = "counted", "计入年终考评得分"
    WAIVED = "waived", "不计入年终考评得分"


class ChangeKind(LabelledEnum):
    """指标调整的种类 (an amendment after issue)."""

    ADD = "add", "增加指标"
    REVISE = "revise", "调整指标"
    WITHDRAW = "withdraw", "撤销指标"


# --- values ---------------------------------------------------------------------------------


@value_object
class Indicator:
    """考评指标 one indicator of the table: the unit it assesses, what it asks (指标内容), its
    basis (制定依据), its points (分值) and how it is checked (考核方式及评分标准)."""

    number: int
    unit: UnitId
    content: str
    basis: IndicatorBasis
    points: Decimal
    method: str


@value_object
class IndicatorChange:
    """One change of an amendment: the indicator added, its new text (with the ``previous``
    one) or the indicator withdrawn."""

    kind: ChangeKind
    indicator: Indicator
    previous: Indicator | None = None


@value_object
class Amendment:
    """指标调整 a change to the issued table: its changes and reason, proposed by the
    assessment office, in force once the leading group approves it."""

    number: int
    changes: tuple[IndicatorChange, ...]
    reason: str
    proposed_by: PersonId
    proposed_at: pendulum.DateTime


@value_object
class UnitOpinion:
    """征求意见 one unit's answer on the draft (of consultation round ``round``, on the
    draft as it stood at ``revision``)."""

    unit: UnitId
    agrees: bool
    opinion: str
    given_by: PersonId
    given_at: pendulum.DateTime
    round: int
    revision: int


@value_object
class Deduction:
    """扣分 a check found an indicator not met [001 目标管理 四(二)1(2)]: how many points, why,
    found how and when, the date the unit is to correct it by, and what became of it."""

    number: int
    indicator: int
    unit: UnitId
    points: Decimal
    reason: str
    means: TrackingMeans
    quarter: int
    found_at: pendulum.DateTime
    correct_by: date
    status: DeductionStatus = DeductionStatus.AWAITING_CORRECTION
    measures: str = ""
    corrected_at: pendulum.DateTime | None = None
    prompt: bool | None = None
    decision: str = ""

    @property
    def counts(self) -> bool:
        """Counted in the year-end score: every deduction not waived."""
        return self.status is not DeductionStatus.WAIVED


@value_object
class IndicatorProgress:
    """自查 one indicator's first-half progress, in percent, as the unit reports it."""

    indicator: int
    percent: int
    note: str = ""


@value_object
class SelfCheck:
    """半年自查 a unit's report on its first half, indicator by indicator."""

    unit: UnitId
    summary: str
    progress: tuple[IndicatorProgress, ...]
    reported_at: pendulum.DateTime
    late: bool


@value_object
class LaggingUnit:
    """进度滞后 a unit named at the half-year check, and its catch-up plan once reported."""

    unit: UnitId
    reason: str
    catch_up_by: date
    named_at: pendulum.DateTime
    measures: str = ""
    reported_at: pendulum.DateTime | None = None
    late: bool | None = None


@value_object
class UnitScore:
    """年终考评得分 one unit's year-end figures (ADR 0036): its indicators, their points
    (满分), every deduction recorded on them, the deductions waived, the score (each
    indicator's points less its counted deductions, never below 0, summed), the score on a
    100-point scale (折算分 = 得分 ÷ 满分 × 100, two decimals, half up) and the rank by it
    (equal scores share a rank: 1, 1, 3)."""

    unit: UnitId
    rank: int
    indicators: int
    full: Decimal
    deducted: Decimal
    waived: Decimal
    score: Decimal
    rate: Decimal


@attrs.frozen
class TargetPolicy:
    """目标管理的时限 (configuration; the seed gives none of these figures but the self-check
    date, which is [003 篇6 二(五)]'s):

    - ``remind_days_before_quarter_end``: the reminder of the indicators not yet checked in a
      quarter falls due this many days before the quarter ends (15: half a month);
    - ``correction_days``: a deduction's correction is due this many days after it is found,
      unless the assessment office gives a date (15);
    - ``half_year_from``: the half-year check starts no earlier than this (month, day) (6-01,
      年中);
    - ``self_check_due``: the self-checks are due by this (month, day) unless the assessment
      office gives a date (7-15, [003 篇6 二(五)] 自查报告……于7月15日前报送);
    - ``year_end_from``: the year-end assessment is made no earlier than this (month, day)
      of the table's year (12-01, 年终).
    """

    remind_days_before_quarter_end: int = attrs.field(default=15)
    correction_days: int = attrs.field(default=15)
    half_year_from: tuple[int, int] = (6, 1)
    self_check_due: tuple[int, int] = (7, 15)
    year_end_from: tuple[int, int] = (12, 1)

    def __attrs_post_init__(self) -> None:
        positive_int(self.remind_days_before_quarter_end, "季末提醒天数", minimum=0)
        positive_int(self.correction_days, "整改期限天数", minimum=0)
        for name in ("half_year_from", "self_check_due", "year_end_from"):
            value = getattr(self, name)
            try:
                date(2024, *value)
            except (TypeError, ValueError):
                raise InvalidInput(f"{name} {value!r} 不是 (月, 日)", value=value) from None


DEFAULT_TARGET_POLICY = TargetPolicy()


def quarter_of(day: date) -> int:
    """The calendar quarter (1-4) of a day."""
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a calendar quarter."""
    if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        raise InvalidInput(f"季度 {quarter!r} 须为1-4 (quarter is 1-4)", value=quarter)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def _points(value: object, what: str = "分值") -> Decimal:
    """Points are exact and positive: an int, a Decimal or a numeric text (a float is
    refused: 0.1 is not exact)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(
            f"{what} {value!r} 须为整数、Decimal 或数字文字 (expected an exact number)",
            value=value,
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number <= 0:
        raise InvalidInput(f"{what} {value!r} 须为正数 (points must be > 0)", value=value)
    return number


def assessment_scores(
    indicators: Iterable[Indicator], deductions: Iterable[Deduction]
) -> tuple[UnitScore, ...]:
    """年终考评 every assessed unit's score and rank (pure; ADR 0036).

    Per indicator: its points less the points of its deductions that count (not waived),
    never below 0 (扣完为止); per unit: the sum over its indicators; 折算分: the score as a
    share of the unit's full points, on 100, to two decimals (units carry different totals).
    Units are ranked by 折算分, the highest first; equal ones share the rank and are listed
    by unit id. Deductions on indicators no longer in the table do not count.
    """
    by_number = {i.number: i for i in indicators}
    counted: dict[int, Decimal] = {n: Decimal(0) for n in by_number}
    recorded: dict[int, Decimal] = {n: Decimal(0) for n in by_number}
    waived: dict[int, Decimal] = {n: Decimal(0) for n in by_number}
    for d in deductions:
        if d.indicator not in by_number:
            continue
        recorded[d.indicator] += d.points
        if d.counts:
            counted[d.indicator] += d.points
        else:
            waived[d.indicator] += d.points
    units: dict[UnitId, list[Indicator]] = {}
    for i in by_number.values():
        units.setdefault(i.unit, []).append(i)
    rows: list[tuple[Decimal, UnitId, int, Decimal, Decimal, Decimal, Decimal]] = []
    for unit, mine in units.items():
        full = sum((i.points for i in mine), Decimal(0))
        score = sum((max(Decimal(0), i.points - counted[i.number]) for i in mine), Decimal(0))
        rate = (score * 100 / full).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rows.append(
            (
                rate,
                unit,
                len(mine),
                full,
                sum((recorded[i.number] for i in mine), Decimal(0)),
                sum((waived[i.number] for i in mine), Decimal(0)),
                score,
            )
        )
    rows.sort(key=lambda r: (-r[0], r[1]))
    scores: list[UnitScore] = []
    rank = 0
    previous: Decimal | None = None
    for position, (rate, unit, n, full, deducted, off, score) in enumerate(rows, start=1):
        if rate != previous:
            rank, previous = position, rate
        scores.append(UnitScore(unit, rank, n, full, deducted, off, score, rate))
    return tuple(scores)


# --- errors -----------------------------------------------------------------------------------


class TableYearOutOfRange(RuleViolation):
    """[001 目标管理 四(一)1] 每年年初应组织拟定目标考评指标表: a table is drafted for the
    current year or the next, not for a year that is over."""

    def __init__(self, year: object, on: date) -> None:
        super().__init__(
            f"{on} 不能拟定 {year} 年度工作目标考评指标表:只能拟定本年度或下一年度的 "
            "(a target table is drafted for this year or the next)",
            year=year,
            on=on,
        )


class OutsideTargetYear(RuleViolation):
    """Tracking, deductions and amendments belong to the table's own year."""

    def __init__(self, year: int, on: date, action: str) -> None:
        super().__init__(
            f"{year} 年度目标考评指标表的{action}须在 {year} 年内办理,{on} 不在其内 "
            "(only within the table's year)",
            year=year,
            on=on,
            action=action,
        )


class TableFrozen(RuleViolation):
    """[001 目标管理 四(一)3] 领导小组审定-印发执行: the approved table is not edited; after
    issue a change is an amendment approved by the leading group."""

    def __init__(self, year: int, status: TargetTableStatus) -> None:
        super().__init__(
            f"{year} 年度目标考评指标表「{status.label}」,指标不能再直接修改;"
            "印发后的调整须提出调整方案并经领导小组批准 (the table is frozen; use an amendment)",
            year=year,
            status=status,
        )


class EmptyTargetTable(RuleViolation):
    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year} 年度目标考评指标表尚无考评指标 (the table has no indicator yet)", year=year
        )


class UnknownIndicator(InvalidInput):
    def __init__(self, year: int, number: object) -> None:
        super().__init__(
            f"{year} 年度目标考评指标表没有第 {number!r} 项指标 (no such indicator)",
            year=year,
            number=number,
        )


class UnitsLeftOut(RuleViolation):
    """[001 目标管理 四(一)1] 征求局属各单位、机关各部门意见: every unit with indicators is
    asked."""

    def __init__(self, units: Iterable[str]) -> None:
        units = tuple(units)
        super().__init__(
            f"征求意见须包括有考评指标的单位: {'、'.join(units)} 未列入 "
            "(every assessed unit is consulted)",
            units=units,
        )


class UnitNotSolicited(RuleViolation):
    def __init__(self, unit: str) -> None:
        super().__init__(
            f"{unit} 不在本轮征求意见的单位之列 (this unit was not consulted)", unit=unit
        )


class UnitOpinionAlreadyGiven(AlreadyExists):
    def __init__(self, unit: str, round: int) -> None:
        super().__init__(f"{unit} 第 {round} 轮征求意见的答复", unit)


class DissentWithoutReason(RuleViolation):
    def __init__(self, unit: str) -> None:
        super().__init__(
            f"{unit} 对指标表有不同意见的,须写明具体意见 (a dissent states what it objects to)",
            unit=unit,
        )


class OpinionsOutstanding(RuleViolation):
    """[001 目标管理 四(一)3] 征求意见 comes before 审定: every unit answers, or the date given
    for answers passes."""

    def __init__(self, units: Iterable[str], due: date) -> None:
        units = tuple(units)
        super().__init__(
            f"尚有单位未反馈意见: {'、'.join(units)};须全部反馈或反馈期限 {due} 届满后方可报审 "
            "(opinions outstanding)",
            units=units,
            due=due,
        )


class OpinionsNotAddressed(RuleViolation):
    def __init__(self, units: Iterable[str]) -> None:
        units = tuple(units)
        super().__init__(
            f"{'、'.join(units)} 提出了不同意见,报审时须说明意见处理情况 "
            "(say how the dissenting opinions were handled)",
            units=units,
        )


class AmendmentPending(RuleViolation):
    def __init__(self, number: int) -> None:
        super().__init__(
            f"第 {number} 号指标调整尚待领导小组审批 (an amendment awaits approval)",
            number=number,
        )


class NoAmendmentPending(RuleViolation):
    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year} 年度目标考评指标表没有待审批的调整 (no amendment pending)", year=year
        )


class DeductionExceedsPoints(RuleViolation):
    def __init__(self, number: int, points: Decimal, maximum: Decimal) -> None:
        super().__init__(
            f"第 {number} 项指标分值 {maximum} 分,一次不能扣 {points} 分 "
            "(a deduction cannot exceed the indicator's points)",
            number=number,
            points=points,
            maximum=maximum,
        )


class UnknownDeduction(InvalidInput):
    def __init__(self, year: int, number: object) -> None:
        super().__init__(
            f"{year} 年度目标考评没有第 {number!r} 号扣分记录 (no such deduction)",
            year=year,
            number=number,
        )


class DeductionSettled(RuleViolation):
    def __init__(self, number: int, status: DeductionStatus) -> None:
        super().__init__(
            f"第 {number} 号扣分已「{status.label}」,不能再办理此步骤 (already settled)",
            number=number,
            status=status,
        )


class NoCorrectionReported(RuleViolation):
    """[001 目标管理 四(二)1(2)] 责任单位能及时予以整改……的,可不计入: no waiver without a
    correction."""

    def __init__(self, number: int) -> None:
        super().__init__(
            f"第 {number} 号扣分的责任单位尚未报告整改,不能认定不计入年终考评得分 "
            "(no waiver before the unit reports its correction)",
            number=number,
        )


class CorrectionNotPrompt(RuleViolation):
    """[001 目标管理 四(二)1(2)] 能及时予以整改……的,可不计入年终考评得分: a late correction
    is not waived."""

    def __init__(self, number: int, correct_by: date, corrected_on: date) -> None:
        super().__init__(
            f"第 {number} 号扣分的整改期限为 {correct_by},{corrected_on} 才报告整改,"
            "未及时整改,不能不计入年终考评得分 (only a prompt correction may be waived)",
            number=number,
            correct_by=correct_by,
            corrected_on=corrected_on,
        )


class HalfYearCheckTooEarly(RuleViolation):
    """[001 目标管理 四(二)2(1)] 年中组织开展……半年检查."""

    def __init__(self, year: int, on: date, earliest: date) -> None:
        super().__init__(
            f"{year} 年度半年检查在年中开展,{on} 早于 {earliest} (the half-year check is mid-year)",
            year=year,
            on=on,
            earliest=earliest,
        )


class HalfYearCheckNotStarted(RuleViolation):
    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year} 年度半年检查尚未开展 (the half-year check has not started)", year=year
        )


class NotAnAssessedUnit(RuleViolation):
    def __init__(self, year: int, unit: str) -> None:
        super().__init__(
            f"{unit} 在 {year} 年度目标考评指标表中没有考评指标,不是被考核单位 "
            "(the unit has no indicator)",
            year=year,
            unit=unit,
        )


class IncompleteSelfCheck(RuleViolation):
    """[003 篇6 二(五)] 对照……逐条逐项进行一次全面自查: every indicator of the unit, and
    only its own."""

    def __init__(self, unit: str, missing: Iterable[int], foreign: Iterable[int]) -> None:
        missing, foreign = tuple(missing), tuple(foreign)
        parts = []
        if missing:
            parts.append(f"缺少第 {'、'.join(map(str, missing))} 项指标")
        if foreign:
            parts.append(f"第 {'、'.join(map(str, foreign))} 项不是本单位的指标")
        super().__init__(
            f"{unit} 的半年自查须逐条逐项: {';'.join(parts)} (the self-check covers every "
            "indicator of the unit)",
            unit=unit,
            missing=missing,
            foreign=foreign,
        )


class SelfCheckNotDue(RuleViolation):
    """A unit is judged to lag on its self-check, or for not sending one by the date."""

    def __init__(self, unit: str, due: date) -> None:
        super().__init__(
            f"{unit} 尚未报送半年自查,且报送期限 {due} 未到,不能认定其进度滞后 "
            "(judge progress on the self-check, or once it is overdue)",
            unit=unit,
            due=due,
        )


class NotNamedLagging(RuleViolation):
    def __init__(self, unit: str) -> None:
        super().__init__(
            f"{unit} 未被认定为执行进度滞后单位,无须报送赶进措施 (the unit was not named as lagging)",
            unit=unit,
        )


class YearEndNotReached(RuleViolation):
    def __init__(self, year: int, on: date, earliest: date) -> None:
        super().__init__(
            f"{year} 年度年终考评自 {earliest} 起办理,{on} 尚早 (the year-end assessment is at "
            "the year's end)",
            year=year,
            on=on,
            earliest=earliest,
        )


# --- helpers ----------------------------------------------------------------------------------


def _basis(value: object) -> IndicatorBasis:
    return coerce_enum(IndicatorBasis, value, "指标制定依据")


def _mapping(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{what} 须为字典,而不是 {value!r} (expected a mapping)", what=what)
    unknown = sorted(str(k) for k in value if k not in INDICATOR_FIELDS)
    if unknown:
        raise InvalidInput(
            f"{what} 含未知字段 {'、'.join(unknown)},可用: {'、'.join(INDICATOR_FIELDS)}",
            what=what,
        )
    return value


def _number(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} 须为整数编号,而不是 {value!r}", what=what, value=value)
    return value


def _rules(rules: object) -> DeadlineRules:
    if not isinstance(rules, DeadlineRules):
        raise InvalidInput(f"期限规则表 {rules!r} 不正确 (expected DeadlineRules)")
    return rules


def _date_in(year: int, month_day: tuple[int, int]) -> date:
    return date(year, *month_day)


# --- the aggregate ----------------------------------------------------------------------------


@stable_topics("target-table")
class TargetTable(OfficeAggregate):
    """年度工作目标考评指标表 the year's target table, from drafting to the year-end
    assessment (one per year)."""

    KIND = "目标考评指标表"

    @staticmethod
    def create_id(year: int) -> uuid.UUID:
        """Deterministic, uuid5 of the year: one table per year, whoever drafts it."""
        return uuid.uuid5(TARGET_NAMESPACE, str(year))

    @classmethod
    def draft(
        cls,
        *,
        org: Organisation,
        year: int,
        title: str = "",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> TargetTable:
        """拟定 the assessment office starts the year's table [001 目标管理 四(一)1], in the
        year before it (to issue it by New Year) or in the year itself."""
        authorise(org, cls, "Drafted", by=by, at=at)
        positive_int(year, "年度", minimum=1949)
        today = org.day_of(at)
        if not today.year <= year <= today.year + 1:
            raise TableYearOutOfRange(year, today)
        heading = text(title, "标题", required=False).strip()
        return cls(year=year, title=heading or f"{year}年度工作目标考评指标表", by=by, at=at)

    @event("Drafted")
    def __init__(self, *, year: int, title: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.year = year
        self.title = title
        self.status = TargetTableStatus.DRAFTING
        self.indicators: dict[int, Indicator] = {}
        self.next_number = 1
        self.revision = 0
        self.round = 0
        self.solicited: tuple[UnitId, ...] = ()
        self.opinion_due: date | None = None
        self.opinions: dict[UnitId, UnitOpinion] = {}
        self.no_answer: tuple[UnitId, ...] = ()
        self.returns = 0
        self.approved_at: pendulum.DateTime | None = None
        self.issued_at: pendulum.DateTime | None = None
        self.document_number = ""
        self.first_quarter = 1
        self.tracked_from: dict[int, int] = {}
        self.checked: dict[int, frozenset[int]] = {}
        self.checks = 0
        self.reminded: frozenset[int] = frozenset()
        self.missed: dict[int, tuple[int, ...]] = {}
        self.deductions: dict[int, Deduction] = {}
        self.pending_amendment: Amendment | None = None
        self.amendments: tuple[Amendment, ...] = ()
        self.amendment_count = 0
        self.half_year_due: date | None = None
        self.half_year_units: tuple[UnitId, ...] = ()
        self.self_checks: dict[UnitId, SelfCheck] = {}
        self.lagging: dict[UnitId, LaggingUnit] = {}
        self.scores: tuple[UnitScore, ...] = ()
        self.assessed_at: pendulum.DateTime | None = None

    # --- drafting (目标制定) -------------------------------------------------------------------

    def add_indicator(
        self,
        *,
        org: Organisation,
        unit: str,
        content: str,
        basis: IndicatorBasis | str,
        points: object,
        method: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> int:
        """增加考评指标 to the draft (while drafting or consulting); returns its number."""
        self._check_time(at)
        authorise(org, TargetTable, "IndicatorAdded", by=by, at=at, record=self)
        self._require_editable()
        indicator = self._indicator(org, self.next_number, unit, content, basis, points, method)
        self._indicator_added(indicator=indicator, by=by, at=at)
        return indicator.number

    @event("IndicatorAdded")
    def _indicator_added(self, indicator: Indicator, by: PersonId, at: pendulum.DateTime) -> None:
        self.indicators[indicator.number] = indicator
        self.next_number = indicator.number + 1
        self.revision += 1

    def revise_indicator(
        self,
        *,
        org: Organisation,
        number: int,
        changes: Mapping[str, object],
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """修改考评指标 in the draft: any of unit, content, basis, points, method."""
        self._check_time(at)
        authorise(org, TargetTable, "IndicatorRevised", by=by, at=at, record=self)
        self._require_editable()
        previous = self._in_force(number)
        revised = self._revised(org, previous, _mapping(changes, "指标修改"), allow_unit=True)
        if revised == previous:
            raise InvalidInput(f"第 {number} 项指标没有变化 (nothing changes)", number=number)
        self._indicator_revised(indicator=revised, previous=previous, by=by, at=at)

    @event("IndicatorRevised")
    def _indicator_revised(
        self, indicator: Indicator, previous: Indicator, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.indicators[indicator.number] = indicator
        self.revision += 1

    def remove_indicator(
        self, *, org: Organisation, number: int, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """删除考评指标 from the draft (its number is not used again)."""
        self._check_time(at)
        authorise(org, TargetTable, "IndicatorRemoved", by=by, at=at, record=self)
        self._require_editable()
        self._in_force(number)
        self._indicator_removed(number=number, by=by, at=at)

    @event("IndicatorRemoved")
    def _indicator_removed(self, number: int, by: PersonId, at: pendulum.DateTime) -> None:
        del self.indicators[number]
        self.revision += 1

    def solicit_opinions(
        self,
        *,
        org: Organisation,
        due: object,
        units: Iterable[str] | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> tuple[UnitId, ...]:
        """征求意见 from every unit of the agency — its departments and affiliated units
        (局属各单位、机关各部门 [001 目标管理 四(一)1]) — as it stands that day, or from the
        units named (which must include every unit with indicators), by ``due``."""
        self._check_time(at)
        authorise(org, TargetTable, "OpinionsSolicited", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.DRAFTING)
        if not self.indicators:
            raise EmptyTargetTable(self.year)
        today = org.day_of(at)
        answer_by = a_date(due, "反馈期限")
        if answer_by <= today:
            raise DeadlineInPast(answer_by, today)
        if units is None:
            asked = sorted(org.units)
        else:
            if isinstance(units, str):
                raise InvalidInput("征求意见的单位须为列表 (expected a list of units)")
            asked = sorted({UnitId(org.unit(u).id) for u in units})
            left_out = sorted(self.assessed_units - set(asked))
            if left_out:
                raise UnitsLeftOut(left_out)
        self._opinions_solicited(
            round=self.round + 1, units=list(asked), due=answer_by, by=by, at=at
        )
        return tuple(asked)

    @event("OpinionsSolicited")
    def _opinions_solicited(
        self, round: int, units: list[UnitId], due: date, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.status = TargetTableStatus.CONSULTING
        self.round = round
        self.solicited = tuple(units)
        self.opinion_due = due
        self.opinions = {}
        self.no_answer = ()

    def give_opinion(
        self,
        *,
        org: Organisation,
        unit: str,
        agrees: bool,
        opinion: str = "",
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """反馈意见 a unit's head answers for the unit: agrees, or states what it objects to."""
        self._check_time(at)
        acting = authorise(
            org,
            TargetTable,
            "OpinionGiven",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            unit=unit,
        )
        self._require_status(TargetTableStatus.CONSULTING)
        unit_id = UnitId(org.unit(unit).id)
        if unit_id not in self.solicited:
            raise UnitNotSolicited(unit_id)
        if unit_id in self.opinions:
            raise UnitOpinionAlreadyGiven(unit_id, self.round)
        if not isinstance(agrees, bool):
            raise InvalidInput(f"是否同意须为 True/False,而不是 {agrees!r}", value=agrees)
        said = text(opinion, "意见", required=False).strip()
        if not agrees and not said:
            raise DissentWithoutReason(unit_id)
        self._opinion_given(
            unit=unit_id,
            agrees=agrees,
            opinion=said,
            round=self.round,
            revision=self.revision,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("OpinionGiven")
    def _opinion_given(
        self,
        unit: UnitId,
        agrees: bool,
        opinion: str,
        round: int,
        revision: int,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.opinions[unit] = UnitOpinion(
            unit, agrees, opinion, on_behalf_of or by, at, round, revision
        )

    def submit_for_approval(
        self, *, org: Organisation, handling: str = "", by: PersonId, at: pendulum.DateTime
    ) -> None:
        """报领导小组审定 once every consulted unit has answered, or the date for answers has
        passed; dissenting opinions need a word on how they were handled (意见处理情况)."""
        self._check_time(at)
        authorise(org, TargetTable, "SubmittedForApproval", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.CONSULTING)
        if not self.indicators:
            raise EmptyTargetTable(self.year)
        missing = [u for u in self.solicited if u not in self.opinions]
        assert self.opinion_due is not None
        if missing and org.day_of(at) <= self.opinion_due:
            raise OpinionsOutstanding(missing, self.opinion_due)
        note = text(handling, "意见处理情况", required=False).strip()
        dissent = sorted(u for u, o in self.opinions.items() if not o.agrees)
        if dissent and not note:
            raise OpinionsNotAddressed(dissent)
        self._submitted_for_approval(handling=note, no_answer=missing, by=by, at=at)

    @event("SubmittedForApproval")
    def _submitted_for_approval(
        self, handling: str, no_answer: list[UnitId], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.status = TargetTableStatus.SUBMITTED
        self.no_answer = tuple(no_answer)

    def approve(
        self,
        *,
        org: Organisation,
        opinion: str = "同意",
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """领导小组审定: the leading group, through its head the principal leader (or the
        substitute acting for them that day), approves the table [001 目标管理 四(一)3]."""
        self._check_time(at)
        acting = authorise(
            org, TargetTable, "Approved", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        self._require_status(TargetTableStatus.SUBMITTED)
        self._approved(
            opinion=text(opinion, "审定意见", required=False),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Approved")
    def _approved(
        self, opinion: str, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.status = TargetTableStatus.APPROVED
        self.approved_at = at

    def return_for_revision(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """退回修改: the leading group sends the table back to the assessment office with its
        reason; the revised table is consulted on again."""
        self._check_time(at)
        acting = authorise(
            org,
            TargetTable,
            "ReturnedForRevision",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
        )
        self._require_status(TargetTableStatus.SUBMITTED)
        self._returned_for_revision(
            reason=text(reason, "退回理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("ReturnedForRevision")
    def _returned_for_revision(
        self, reason: str, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.status = TargetTableStatus.DRAFTING
        self.returns += 1

    def issue(
        self,
        *,
        org: Organisation,
        document_number: str = "",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """印发执行 the approved table, by its year's end at the latest; from then on it is
        frozen and tracked quarter by quarter (from the quarter it is issued in)."""
        self._check_time(at)
        authorise(org, TargetTable, "Issued", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.APPROVED)
        today = org.day_of(at)
        if today.year > self.year:
            raise OutsideTargetYear(self.year, today, "印发")
        first = 1 if today.year < self.year else quarter_of(today)
        self._issued(
            document_number=text(document_number, "印发文号", required=False).strip(),
            first_quarter=first,
            by=by,
            at=at,
        )

    @event("Issued")
    def _issued(
        self, document_number: str, first_quarter: int, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.status = TargetTableStatus.ISSUED
        self.issued_at = at
        self.document_number = document_number
        self.first_quarter = first_quarter
        self.tracked_from = {n: first_quarter for n in self.indicators}
        self.checked = {n: frozenset() for n in self.indicators}

    # --- amendments after issue ------------------------------------------------------------

    def propose_amendment(
        self,
        *,
        org: Organisation,
        reason: str,
        add: Sequence[Mapping[str, object]] = (),
        revise: Mapping[int, Mapping[str, object]] | None = None,
        withdraw: Sequence[int] = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> int:
        """提出指标调整 the assessment office proposes changes to the issued table — indicators
        added, revised (content, basis, points, method) or withdrawn — with the reason; they
        take effect when the leading group approves. Returns the amendment's number."""
        self._check_time(at)
        authorise(org, TargetTable, "AmendmentProposed", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        self._within_year(org, at, "指标调整")
        if self.pending_amendment is not None:
            raise AmendmentPending(self.pending_amendment.number)
        if isinstance(add, str | Mapping) or isinstance(withdraw, str):
            raise InvalidInput("增加、撤销的指标须为列表 (expected lists)")
        changes: list[IndicatorChange] = []
        touched: set[int] = set()
        for number in withdraw:
            indicator = self._in_force(_number(number, "撤销的指标"))
            touched.add(number)
            changes.append(IndicatorChange(ChangeKind.WITHDRAW, indicator))
        for number, fields in dict(revise or {}).items():
            previous = self._in_force(_number(number, "调整的指标"))
            if number in touched:
                raise InvalidInput(f"第 {number} 项指标既撤销又调整 (withdrawn and revised)")
            touched.add(number)
            revised = self._revised(org, previous, _mapping(fields, "指标调整"), allow_unit=False)
            if revised == previous:
                raise InvalidInput(f"第 {number} 项指标没有变化 (nothing changes)", number=number)
            changes.append(IndicatorChange(ChangeKind.REVISE, revised, previous))
        number = self.next_number
        for fields in add:
            spec = _mapping(fields, "增加的指标")
            missing = [f for f in INDICATOR_FIELDS if f not in spec]
            if missing:
                raise InvalidInput(f"增加的指标缺少 {'、'.join(missing)} (missing fields)")
            added = self._indicator(
                org,
                number,
                spec["unit"],
                spec["content"],
                spec["basis"],
                spec["points"],
                spec["method"],
            )
            changes.append(IndicatorChange(ChangeKind.ADD, added))
            number += 1
        if not changes:
            raise InvalidInput("指标调整至少包含一项变化 (an amendment changes something)")
        self._amendment_proposed(
            number=self.amendment_count + 1,
            changes=changes,
            reason=text(reason, "调整理由"),
            by=by,
            at=at,
        )
        return self.amendment_count

    @event("AmendmentProposed")
    def _amendment_proposed(
        self,
        number: int,
        changes: list[IndicatorChange],
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.amendment_count = number
        self.pending_amendment = Amendment(number, tuple(changes), reason, by, at)

    def approve_amendment(
        self,
        *,
        org: Organisation,
        opinion: str = "同意",
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """批准指标调整 by the leading group (its head, or the substitute acting for them);
        the changes take effect now: an added indicator is tracked from this quarter on."""
        self._check_time(at)
        acting = authorise(
            org,
            TargetTable,
            "AmendmentApproved",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
        )
        self._require_status(TargetTableStatus.ISSUED)
        self._within_year(org, at, "指标调整")
        pending = self.pending_amendment
        if pending is None:
            raise NoAmendmentPending(self.year)
        today = org.day_of(at)
        self._amendment_approved(
            number=pending.number,
            opinion=text(opinion, "审批意见", required=False),
            quarter=1 if today.year < self.year else quarter_of(today),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("AmendmentApproved")
    def _amendment_approved(
        self,
        number: int,
        opinion: str,
        quarter: int,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        pending = self.pending_amendment
        assert pending is not None and pending.number == number
        for change in pending.changes:
            n = change.indicator.number
            if change.kind is ChangeKind.WITHDRAW:
                del self.indicators[n]
            else:
                self.indicators[n] = change.indicator
            if change.kind is ChangeKind.ADD:
                self.next_number = max(self.next_number, n + 1)
                self.tracked_from[n] = quarter
                self.checked[n] = frozenset()
        self.amendments = (*self.amendments, pending)
        self.pending_amendment = None

    def reject_amendment(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """不同意指标调整: the table stays as it is."""
        self._check_time(at)
        acting = authorise(
            org,
            TargetTable,
            "AmendmentRejected",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
        )
        self._require_status(TargetTableStatus.ISSUED)
        pending = self.pending_amendment
        if pending is None:
            raise NoAmendmentPending(self.year)
        self._amendment_rejected(
            number=pending.number,
            reason=text(reason, "不同意的理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("AmendmentRejected")
    def _amendment_rejected(
        self,
        number: int,
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.pending_amendment = None

    # --- daily tracking (日常跟踪) ------------------------------------------------------------

    def check(
        self,
        *,
        org: Organisation,
        indicator: int,
        means: TrackingMeans | str,
        summary: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """跟踪检查 the assessment office checks an indicator and finds it on track (a check
        that finds it not met is :meth:`deduct`) [001 目标管理 四(二)1(1)、(3)]."""
        self._check_time(at)
        authorise(org, TargetTable, "IndicatorChecked", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        today = self._within_year(org, at, "跟踪检查")
        self._in_force(indicator)
        self._indicator_checked(
            indicator=indicator,
            quarter=quarter_of(today),
            means=coerce_enum(TrackingMeans, means, "跟踪方式"),
            summary=text(summary, "检查情况"),
            by=by,
            at=at,
        )

    @event("IndicatorChecked")
    def _indicator_checked(
        self,
        indicator: int,
        quarter: int,
        means: TrackingMeans,
        summary: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self._mark_checked(indicator, quarter)

    def deduct(
        self,
        *,
        org: Organisation,
        indicator: int,
        points: object,
        reason: str,
        means: TrackingMeans | str,
        correct_by: object = None,
        policy: TargetPolicy = DEFAULT_TARGET_POLICY,
        calendar: RestDays,
        rules: DeadlineRules,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> int:
        """扣分 a check finds an indicator not met (不符合上级规定或工作要求) and deducts
        points, with the reason, fed back to the unit with a date to correct it by
        [001 目标管理 四(二)1(2)、(4)]; it counts as the indicator's check for the quarter.
        Returns the deduction's number."""
        self._check_time(at)
        authorise(org, TargetTable, "DeductionRecorded", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        today = self._within_year(org, at, "考评扣分")
        target = self._in_force(indicator)
        amount = _points(points, "扣分")
        if amount > target.points:
            raise DeductionExceedsPoints(target.number, amount, target.points)
        if correct_by is None:  # the policy's days, moved past a holiday (ADR 0051)
            nominal = date.fromordinal(today.toordinal() + policy.correction_days)
            due = _rules(rules).last_day(CutOff.TARGET_CORRECTION, nominal, calendar)
        else:
            due = a_date(correct_by, "整改期限")
            if due < today:
                raise DeadlineInPast(due, today)
        number = len(self.deductions) + 1
        self._deduction_recorded(
            deduction=Deduction(
                number=number,
                indicator=target.number,
                unit=target.unit,
                points=amount,
                reason=text(reason, "扣分理由"),
                means=coerce_enum(TrackingMeans, means, "跟踪方式"),
                quarter=quarter_of(today),
                found_at=at,
                correct_by=due,
            ),
            by=by,
            at=at,
        )
        return number

    @event("DeductionRecorded")
    def _deduction_recorded(
        self, deduction: Deduction, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.deductions[deduction.number] = deduction
        self._mark_checked(deduction.indicator, deduction.quarter)

    def report_correction(
        self,
        *,
        org: Organisation,
        deduction: int,
        measures: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """整改 the unit's head reports how the unit corrected what a deduction found
        [001 目标管理 四(二)1(4)]; on time or not is recorded (及时整改)."""
        self._check_time(at)
        found = self._deduction(deduction)
        acting = authorise(
            org,
            TargetTable,
            "CorrectionReported",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            unit=found.unit,
        )
        self._require_status(TargetTableStatus.ISSUED)
        if found.status is not DeductionStatus.AWAITING_CORRECTION:
            raise DeductionSettled(found.number, found.status)
        self._correction_reported(
            deduction=found.number,
            unit=found.unit,
            measures=text(measures, "整改措施"),
            prompt=org.day_of(at) <= found.correct_by,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("CorrectionReported")
    def _correction_reported(
        self,
        deduction: int,
        unit: UnitId,
        measures: str,
        prompt: bool,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.deductions[deduction] = attrs.evolve(
            self.deductions[deduction],
            status=DeductionStatus.CORRECTED,
            measures=measures,
            corrected_at=at,
            prompt=prompt,
        )

    def waive(
        self, *, org: Organisation, deduction: int, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """不计入年终考评得分: the unit corrected promptly and the year-end result suffers no
        negative effect — the assessment office's decision, with its reason
        [001 目标管理 四(二)1(2)]."""
        self._check_time(at)
        authorise(org, TargetTable, "DeductionWaived", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        found = self._deduction(deduction)
        if found.status is DeductionStatus.AWAITING_CORRECTION:
            raise NoCorrectionReported(found.number)
        if found.status is not DeductionStatus.CORRECTED:
            raise DeductionSettled(found.number, found.status)
        if not found.prompt:
            assert found.corrected_at is not None
            raise CorrectionNotPrompt(
                found.number, found.correct_by, org.day_of(found.corrected_at)
            )
        self._deduction_waived(
            deduction=found.number,
            points=found.points,
            reason=text(reason, "认定理由"),
            by=by,
            at=at,
        )

    @event("DeductionWaived")
    def _deduction_waived(
        self, deduction: int, points: Decimal, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.deductions[deduction] = attrs.evolve(
            self.deductions[deduction], status=DeductionStatus.WAIVED, decision=reason
        )

    def uphold(
        self,
        *,
        org: Organisation,
        deduction: int,
        reason: str = "",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """纳入年终最后得分: the assessment office decides the deduction counts (before or
        after the correction); without a decision it counts anyway."""
        self._check_time(at)
        authorise(org, TargetTable, "DeductionUpheld", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        found = self._deduction(deduction)
        if found.status not in (DeductionStatus.AWAITING_CORRECTION, DeductionStatus.CORRECTED):
            raise DeductionSettled(found.number, found.status)
        self._deduction_upheld(
            deduction=found.number,
            reason=text(reason, "认定理由", required=False),
            by=by,
            at=at,
        )

    @event("DeductionUpheld")
    def _deduction_upheld(
        self, deduction: int, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.deductions[deduction] = attrs.evolve(
            self.deductions[deduction], status=DeductionStatus.COUNTED, decision=reason
        )

    # --- the time step --------------------------------------------------------------------------

    def checks_to_remind(
        self, org: Organisation, at: pendulum.DateTime, policy: TargetPolicy = DEFAULT_TARGET_POLICY
    ) -> tuple[int, tuple[int, ...]] | None:
        """The quarter whose unchecked indicators are due a reminder at ``at`` (within
        ``policy.remind_days_before_quarter_end`` days of its end, not reminded yet), and
        those indicators; None when nothing is due."""
        if self.status is not TargetTableStatus.ISSUED:
            return None
        today = org.day_of(at)
        if today.year != self.year:
            return None
        quarter = quarter_of(today)
        last = quarter_bounds(self.year, quarter)[1]
        if quarter in self.reminded or quarter < self.first_quarter:
            return None
        if (last - today).days > policy.remind_days_before_quarter_end:
            return None
        unchecked = self.unchecked(quarter)
        return (quarter, unchecked) if unchecked else None

    def remind_checks(
        self,
        *,
        org: Organisation,
        at: pendulum.DateTime,
        policy: TargetPolicy = DEFAULT_TARGET_POLICY,
    ) -> None:
        """季末提醒: recorded by the office's time step, once per quarter, naming the indicators
        not yet checked in it [001 目标管理 四(二)1(3)]."""
        self._check_time(at)
        due = self.checks_to_remind(org, at, policy)
        if due is None:
            raise InvalidInput(f"{self.year} 年度目标考评此时没有需要提醒的跟踪检查 (nothing due)")
        quarter, indicators = due
        self._checks_reminded(
            quarter=quarter,
            indicators=list(indicators),
            due=quarter_bounds(self.year, quarter)[1],
            by=TICK_ACTOR,
            at=at,
        )

    @event("ChecksReminded")
    def _checks_reminded(
        self, quarter: int, indicators: list[int], due: date, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.reminded = self.reminded | {quarter}

    def missed_checks(
        self, org: Organisation, at: pendulum.DateTime
    ) -> list[tuple[int, tuple[int, ...]]]:
        """The quarters ended by ``at`` with indicators not checked in them and not flagged yet,
        each with those indicators (oldest first)."""
        if self.status is not TargetTableStatus.ISSUED:
            return []
        today = org.day_of(at)
        found = []
        for quarter in range(self.first_quarter, 5):
            if quarter_bounds(self.year, quarter)[1] >= today or quarter in self.missed:
                continue
            unchecked = self.unchecked(quarter)
            if unchecked:
                found.append((quarter, unchecked))
        return found

    def flag_missed_checks(self, *, org: Organisation, at: pendulum.DateTime) -> None:
        """季度未跟踪检查: recorded by the office's time step, once per quarter that passed with
        indicators unchecked (每项考评指标每季度跟踪检查至少1次 [001 目标管理 四(二)1(3)])."""
        self._check_time(at)
        missed = self.missed_checks(org, at)
        if not missed:
            raise InvalidInput(f"{self.year} 年度目标考评没有未检查的已过季度 (nothing missed)")
        for quarter, indicators in missed:
            self._checks_missed(quarter=quarter, indicators=list(indicators), by=TICK_ACTOR, at=at)

    @event("ChecksMissed")
    def _checks_missed(
        self, quarter: int, indicators: list[int], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.missed[quarter] = tuple(indicators)

    # --- the half-year check (半年检查) ---------------------------------------------------------

    def start_half_year_check(
        self,
        *,
        org: Organisation,
        due: object = None,
        policy: TargetPolicy = DEFAULT_TARGET_POLICY,
        calendar: RestDays,
        rules: DeadlineRules,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> tuple[UnitId, ...]:
        """组织半年检查 mid-year: every assessed unit reports its first-half self-check by
        ``due`` (policy: 15 July [003 篇6 二(五)]) [001 目标管理 四(二)2]. Returns the units."""
        self._check_time(at)
        authorise(org, TargetTable, "HalfYearCheckStarted", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        today = self._within_year(org, at, "半年检查")
        if self.half_year_due is not None:
            raise AlreadyExists(f"{self.year} 年度半年检查", self.half_year_due)
        earliest = _date_in(self.year, policy.half_year_from)
        if today < earliest:
            raise HalfYearCheckTooEarly(self.year, today, earliest)
        report_by = (
            _rules(rules).last_day(
                CutOff.TARGET_SELF_CHECK, _date_in(self.year, policy.self_check_due), calendar
            )  # 15 July, moved past a holiday (ADR 0051)
            if due is None
            else a_date(due, "自查报送期限")
        )
        if report_by <= today:
            raise DeadlineInPast(report_by, today)
        units = sorted(self.assessed_units)
        self._half_year_check_started(due=report_by, units=units, by=by, at=at)
        return tuple(units)

    @event("HalfYearCheckStarted")
    def _half_year_check_started(
        self, due: date, units: list[UnitId], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.half_year_due = due
        self.half_year_units = tuple(units)

    def report_self_check(
        self,
        *,
        org: Organisation,
        unit: str,
        summary: str,
        progress: Mapping[int, int],
        notes: Mapping[int, str] | None = None,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """报送半年自查 the unit's head reports the first half, every indicator of the unit with
        its progress in percent (逐条逐项 [003 篇6 二(五)]); a report after the due date is
        accepted and marked late."""
        self._check_time(at)
        acting = authorise(
            org,
            TargetTable,
            "SelfCheckReported",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            unit=unit,
        )
        self._require_status(TargetTableStatus.ISSUED)
        unit_id = self._half_year_unit(org, unit)
        if unit_id in self.self_checks:
            raise AlreadyExists(f"{unit_id} 的半年自查", self.year)
        if not isinstance(progress, Mapping):
            raise InvalidInput("自查进度须为 {指标编号: 百分比} (expected a mapping)")
        said = {} if notes is None else dict(notes)
        own = sorted(n for n, i in self.indicators.items() if i.unit == unit_id)
        missing = [n for n in own if n not in progress]
        foreign = sorted(n for n in [*progress, *said] if n not in own)
        if missing or foreign:
            raise IncompleteSelfCheck(unit_id, missing, sorted(set(foreign)))
        rows = []
        for n in own:
            percent = progress[n]
            if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
                raise InvalidInput(f"第 {n} 项指标的进度须为 0-100 的整数,而不是 {percent!r}")
            rows.append(
                IndicatorProgress(n, percent, text(said.get(n, ""), "说明", required=False))
            )
        assert self.half_year_due is not None
        self._self_check_reported(
            unit=unit_id,
            summary=text(summary, "自查情况"),
            progress=rows,
            late=org.day_of(at) > self.half_year_due,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("SelfCheckReported")
    def _self_check_reported(
        self,
        unit: UnitId,
        summary: str,
        progress: list[IndicatorProgress],
        late: bool,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.self_checks[unit] = SelfCheck(unit, summary, tuple(progress), at, late)

    def name_lagging(
        self,
        *,
        org: Organisation,
        unit: str,
        reason: str,
        catch_up_by: object,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """认定执行进度滞后 the assessment office names a unit whose progress lags, on its
        self-check (or for not sending one by the date), and sets when it must report how it
        will catch up [001 目标管理 四(二)2(2)]."""
        self._check_time(at)
        authorise(org, TargetTable, "NamedLagging", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        unit_id = self._half_year_unit(org, unit)
        if unit_id in self.lagging:
            raise AlreadyExists(f"{unit_id} 的进度滞后认定", self.year)
        today = org.day_of(at)
        assert self.half_year_due is not None
        if unit_id not in self.self_checks and today <= self.half_year_due:
            raise SelfCheckNotDue(unit_id, self.half_year_due)
        report_by = a_date(catch_up_by, "赶进措施报送期限")
        if report_by <= today:
            raise DeadlineInPast(report_by, today)
        self._named_lagging(
            unit=unit_id, reason=text(reason, "滞后情况"), catch_up_by=report_by, by=by, at=at
        )

    @event("NamedLagging")
    def _named_lagging(
        self, unit: UnitId, reason: str, catch_up_by: date, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.lagging[unit] = LaggingUnit(unit, reason, catch_up_by, at)

    def report_catch_up_plan(
        self,
        *,
        org: Organisation,
        unit: str,
        measures: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """报送赶进措施 the head of a unit named as lagging reports how it will catch up."""
        self._check_time(at)
        acting = authorise(
            org,
            TargetTable,
            "CatchUpPlanReported",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            unit=unit,
        )
        self._require_status(TargetTableStatus.ISSUED)
        unit_id = UnitId(org.unit(unit).id)
        named = self.lagging.get(unit_id)
        if named is None:
            raise NotNamedLagging(unit_id)
        if named.reported_at is not None:
            raise AlreadyExists(f"{unit_id} 的赶进措施", self.year)
        self._catch_up_plan_reported(
            unit=unit_id,
            measures=text(measures, "赶进措施"),
            late=org.day_of(at) > named.catch_up_by,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("CatchUpPlanReported")
    def _catch_up_plan_reported(
        self,
        unit: UnitId,
        measures: str,
        late: bool,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.lagging[unit] = attrs.evolve(
            self.lagging[unit], measures=measures, reported_at=at, late=late
        )

    # --- the year-end assessment (年终考评) ----------------------------------------------------

    def assess(
        self,
        *,
        org: Organisation,
        policy: TargetPolicy = DEFAULT_TARGET_POLICY,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> tuple[UnitScore, ...]:
        """年终考评 every unit's score from its indicators, deductions and waivers, and the
        ranking (:func:`assessment_scores`); recorded with the figures, after which the table
        takes no further step. Not before ``policy.year_end_from`` of the year, nor with an
        amendment waiting."""
        self._check_time(at)
        authorise(org, TargetTable, "Assessed", by=by, at=at, record=self)
        self._require_status(TargetTableStatus.ISSUED)
        today = org.day_of(at)
        earliest = _date_in(self.year, policy.year_end_from)
        if today < earliest:
            raise YearEndNotReached(self.year, today, earliest)
        if self.pending_amendment is not None:
            raise AmendmentPending(self.pending_amendment.number)
        scores = self.standing()
        self._assessed(scores=list(scores), by=by, at=at)
        return scores

    @event("Assessed")
    def _assessed(self, scores: list[UnitScore], by: PersonId, at: pendulum.DateTime) -> None:
        self.status = TargetTableStatus.ASSESSED
        self.scores = tuple(scores)
        self.assessed_at = at

    # --- queries ----------------------------------------------------------------------------

    @property
    def assessed_units(self) -> frozenset[UnitId]:
        """被考核单位 the units with at least one indicator in the table."""
        return frozenset(i.unit for i in self.indicators.values())

    def indicators_of(self, unit: str) -> tuple[Indicator, ...]:
        return tuple(i for _, i in sorted(self.indicators.items()) if i.unit == unit)

    def unchecked(self, quarter: int) -> tuple[int, ...]:
        """The indicators in force, tracked in ``quarter``, not checked in it."""
        return tuple(
            n
            for n in sorted(self.indicators)
            if self.tracked_from.get(n, 5) <= quarter and quarter not in self.checked.get(n, ())
        )

    def standing(self) -> tuple[UnitScore, ...]:
        """The units' scores and ranks as things stand (the year-end figures once assessed)."""
        if self.status is TargetTableStatus.ASSESSED:
            return self.scores
        return assessment_scores(self.indicators.values(), self.deductions.values())

    # --- helpers ----------------------------------------------------------------------------

    def _require_editable(self) -> None:
        if self.status in (TargetTableStatus.DRAFTING, TargetTableStatus.CONSULTING):
            return
        raise TableFrozen(self.year, self.status)

    def _within_year(self, org: Organisation, at: pendulum.DateTime, action: str) -> date:
        today = org.day_of(at)
        if today.year != self.year:
            raise OutsideTargetYear(self.year, today, action)
        return today

    def _in_force(self, number: object) -> Indicator:
        if isinstance(number, bool) or not isinstance(number, int) or number not in self.indicators:
            raise UnknownIndicator(self.year, number)
        return self.indicators[number]

    def _deduction(self, number: object) -> Deduction:
        if isinstance(number, bool) or not isinstance(number, int) or number not in self.deductions:
            raise UnknownDeduction(self.year, number)
        return self.deductions[number]

    def _half_year_unit(self, org: Organisation, unit: str) -> UnitId:
        unit_id = UnitId(org.unit(unit).id)
        if self.half_year_due is None:
            raise HalfYearCheckNotStarted(self.year)
        if unit_id not in self.half_year_units:
            raise NotAnAssessedUnit(self.year, unit_id)
        return unit_id

    def _mark_checked(self, indicator: int, quarter: int) -> None:
        self.checks += 1
        self.checked[indicator] = self.checked.get(indicator, frozenset()) | {quarter}

    @staticmethod
    def _indicator(
        org: Organisation,
        number: int,
        unit: object,
        content: object,
        basis: object,
        points: object,
        method: object,
    ) -> Indicator:
        return Indicator(
            number=number,
            unit=UnitId(org.unit(unit).id),
            content=text(content, "指标内容").strip(),
            basis=_basis(basis),
            points=_points(points),
            method=text(method, "考核方式").strip(),
        )

    def _revised(
        self,
        org: Organisation,
        previous: Indicator,
        changes: Mapping[str, object],
        *,
        allow_unit: bool,
    ) -> Indicator:
        if not changes:
            raise InvalidInput(f"第 {previous.number} 项指标没有修改内容 (nothing to change)")
        if "unit" in changes and not allow_unit and changes["unit"] != previous.unit:
            raise InvalidInput(
                f"第 {previous.number} 项指标的责任单位不能调整,须撤销后另行增加 "
                "(an amendment does not move an indicator to another unit)"
            )
        return self._indicator(
            org,
            previous.number,
            changes.get("unit", previous.unit),
            changes.get("content", previous.content),
            changes.get("basis", previous.basis),
            changes.get("points", previous.points),
            changes.get("method", previous.method),
        )


# --- the authority of each step (ADR 0024) ---------------------------------------------------

_ASSESSMENT = role(Role.ASSESSMENT_OFFICER)
_LEADING_GROUP = role(Role.PRINCIPAL_LEADER)
"""领导小组 acts through the principal leader (or his substitute that day, ADR 0036)."""
_UNIT_HEAD = HeadOf(fact("unit"), "被考核单位")

AUTHORITY = declare(
    "TargetTable",
    {
        **{
            name: step("目标考评办公室办理", _ASSESSMENT)
            for name in (
                "Drafted",
                "IndicatorAdded",
                "IndicatorRevised",
                "IndicatorRemoved",
                "OpinionsSolicited",
                "SubmittedForApproval",
                "Issued",
                "AmendmentProposed",
                "IndicatorChecked",
                "DeductionRecorded",
                "DeductionWaived",
                "DeductionUpheld",
                "HalfYearCheckStarted",
                "NamedLagging",
                "Assessed",
            )
        },
        **{
            name: step("领导小组审定", _LEADING_GROUP)
            for name in (
                "Approved",
                "ReturnedForRevision",
                "AmendmentApproved",
                "AmendmentRejected",
            )
        },
        **{
            name: step("被考核单位负责人报送", _UNIT_HEAD)
            for name in (
                "OpinionGiven",
                "CorrectionReported",
                "SelfCheckReported",
                "CatchUpPlanReported",
            )
        },
    },
)
