"""After the meeting: costs settled [001 会议 五(三)4], the evaluation report
[001 会议 五(三)6] and the archive [000 范文6 四 7] — their values and refusals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from govoffice.domain.errors import RuleViolation
from govoffice.domain.meeting.vocabulary import MeetingPayment
from govoffice.domain.values import value_object


@value_object
class MeetingCostSettlement:
    """会议费结算 [001 会议 五(三)4]: the six items, the headcount on the sign-in sheet, and
    how it was paid."""

    participants: int
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
