"""After the meeting: costs settled [001 会议 五(三)4], the evaluation report
[001 会议 五(三)6] and the archive [000 范文6 四 7] — their values and refusals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from govoffice.domain.errors import RuleViolation
from govoffice.domain.meeting.vocabulary import MeetingPayment
from govoffice.domain.meeting_rules import LimitBreach, LimitKind, MeetingLimitExceeded
from govoffice.domain.values import value_object


def _figure(value: Decimal) -> str:
    """A yuan or day figure as a clerk writes it: ``550``, ``0.5``, ``3300``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@value_object
class MeetingCostSettlement:
    """会议费结算 [001 会议 五(三)4]: the six items and how it was paid.

    ``participants`` is the headcount of the sign-in sheet (签到表) the settlement was judged
    against. The meeting fills it from the attendance it recorded (ADR 0058); a caller
    leaves it ``None``. Events recorded before ADR 0058 hold the headcount typed in then.
    """

    participants: int | None = attrs.field(default=None, kw_only=True)
    lodging: Decimal
    meals: Decimal
    venue: Decimal
    transport: Decimal
    printing: Decimal
    medical: Decimal
    payment: MeetingPayment

    @property
    def total(self) -> Decimal:
        return (
            self.lodging + self.meals + self.venue + self.transport + self.printing + self.medical
        )


@value_object
class MeetingEvaluation:
    """效能评估报告 [001 会议 五(三)6]: preparation, agenda, problems solved, consensus, results."""

    preparation: str
    agenda: str
    problems_solved: str
    consensus: str
    results: str

    def blank_parts(self) -> tuple[str, ...]:
        """The required parts left blank (whitespace only counts as blank), by their labels."""
        return tuple(
            label
            for name, label in EVALUATION_PARTS
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip()
        )


EVALUATION_PARTS: tuple[tuple[str, str], ...] = (
    ("preparation", "会议筹办工作"),
    ("agenda", "会议主要议程"),
    ("problems_solved", "解决问题"),
    ("consensus", "达成共识"),
    ("results", "取得成效"),
)
"""The parts of an evaluation report [001 会议 五(三)6]: 对会议筹办工作、会议主要议程、
解决问题、达成共识及取得成效等相关工作内容进行系统评估 — each one required."""


class EvaluationIncomplete(RuleViolation):
    """[001 会议 五(三)6] the report evaluates every part: a blank part is refused."""

    def __init__(self, meeting_id: object, blank: tuple[str, ...]) -> None:
        super().__init__(
            f"会议 {meeting_id} 的评估报告缺少:{'、'.join(blank)} "
            f"(evaluation report incomplete: {len(blank)} required part(s) blank)",
            meeting_id=meeting_id,
            blank=blank,
        )


class CashSettlementRefused(RuleViolation):
    """[001 会议 五(三)4(4)] 以银行转账或公务卡方式结算,禁止以现金方式结算."""

    def __init__(self, meeting_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的会议费禁止以现金方式结算,应以银行转账或公务卡结算 (no cash)",
            meeting_id=meeting_id,
        )


class MeetingOverBudget(RuleViolation):
    """[001 会议 五(一)2] 在会议计划明确的经费范围内列支会议费用."""

    def __init__(self, meeting_id: object, spent: Decimal, budget: Decimal) -> None:
        super().__init__(
            f"会议 {meeting_id} 的会议费 {spent:f} 元超过批准的经费 {budget:f} 元 (over budget)",
            meeting_id=meeting_id,
            spent=spent,
            budget=budget,
        )


class SettlementAboveSignInStandard(MeetingLimitExceeded):
    """[001 会议 五(三)4(2)-(3)] 综合定额每人每天 is the upper limit, and the people are those
    on the sign-in sheet: the allowed amount is signed-in people × days × the standard."""

    signed_in: int
    days: Decimal
    standard: Decimal
    allowed: Decimal
    settled: Decimal

    def __init__(
        self,
        meeting_id: object,
        *,
        signed_in: int,
        days: Decimal,
        standard: Decimal,
        settled: Decimal,
        source: str,
    ) -> None:
        allowed = standard * signed_in * days
        breach = LimitBreach(
            LimitKind.COST,
            allowed,
            settled,
            f"会议费综合定额每人每天{_figure(standard)}元,签到{signed_in}人×{_figure(days)}天"
            f"上限{_figure(allowed)}元,结算{_figure(settled)}元",
        )
        RuleViolation.__init__(
            self,
            f"会议 {meeting_id} 的会议费结算 {_figure(settled)} 元超过按签到表核定的上限 "
            f"{_figure(allowed)} 元(签到 {signed_in} 人 × {_figure(days)} 天 × 每人每天 "
            f"{_figure(standard)} 元,{source}) (settlement above signed-in people x days x "
            "the per-person-day standard)",
            meeting_id=meeting_id,
            breaches=(breach,),
            source=source,
            signed_in=signed_in,
            days=days,
            standard=standard,
            allowed=allowed,
            settled=settled,
        )


class HeadcountNotOnSignInSheet(RuleViolation):
    """[001 会议 五(三)4(3)] the headcount of a settlement is the sign-in sheet's, not a figure
    typed in: a settlement naming another headcount is refused (ADR 0058)."""

    def __init__(self, meeting_id: object, typed: int, signed_in: int) -> None:
        super().__init__(
            f"会议 {meeting_id} 的结算人数 {typed} 人与签到表的 {signed_in} 人不符,"
            "会议费按签到表核定 (the headcount must be the sign-in sheet's)",
            meeting_id=meeting_id,
            typed=typed,
            signed_in=signed_in,
        )


class SignInSheetRequired(RuleViolation):
    """[001 会议 五(三)4(3)] reimbursement needs the attendees' sign-in sheet."""

    def __init__(self, meeting_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 尚未形成签到考勤记录,不能报销会议费 (sign-in sheet required)",
            meeting_id=meeting_id,
        )


class LateArchiveReasonRequired(RuleViolation):
    """[000 范文6 四 7] materials are archived within seven days, by 31 December at latest."""

    def __init__(self, meeting_id: object, due: date) -> None:
        super().__init__(
            f"会议 {meeting_id} 的材料应于 {due} 前归档,逾期归档须说明原因 "
            "(archive deadline passed: give the reason)",
            meeting_id=meeting_id,
            due=due,
        )
