"""会议 meetings: the annual meeting plan and the whole life of one meeting
[001 会议管理工作规程; 000 范文6; 002; 004].

Two aggregates:

- `MeetingPlan` 年度会议计划: the units' rows for next year, submitted by early December,
  endorsed by each unit's supervising leader, reviewed by the general office and approved by
  the director's office meeting or the joint meeting [001 会议 五(一)1]; the table has the
  columns of the seed's form [001 会议 六 1].
- `Meeting` 会议: a planned meeting (from an approved plan row) or an unplanned one (签报),
  through countersigning and approval, agenda, notice, answers and leave, rostrum seating,
  sign-in, the meeting itself, attendance, minutes and their decided items (which open
  supervision tasks), costs, evaluation and archive.

Limits (days, headcount, cost) come from `meeting_rules.check_meeting` against the table the
application picks by jurisdiction and meeting date; an over-limit plan or request is approved
only after the principal leader approved an exception, recorded as its own event.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, stable_topics
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    PermissionDenied,
    RuleViolation,
)
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting_rules import (
    AttendanceFact,
    LimitBreach,
    LimitTable,
    MeetingCategory,
    MeetingFigures,
    MeetingForm,
    MeetingLimitExceeded,
    SeatingChart,
    check_meeting,
)
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.supervision import task_id_for
from govoffice.domain.values import (
    DocumentNumber,
    LabelledEnum,
    PersonId,
    UnitId,
    a_date,
    business_time,
    positive_int,
    text,
    texts,
    value_object,
)

MEETING_NAMESPACE = uuid.UUID("8c3f5a7e-41d2-4b6e-9f0a-5d2c7e1b9a63")

MATERIALS_DAYS_BEFORE = 2
"""[002 二 4] 在会议召开前两天将议题和有关材料送交秘书科."""

ARCHIVE_DAYS = 7
"""[000 范文6 四 7] 在会议结束七日内 …… 归档."""

ABSENTEE_URGE_MINUTES = 5
"""[004 六 1] 会务工作人员在会前5分钟,对没有到会人员进行催促."""

MERGE_WINDOW_DAYS = 7
"""[000 范文6 四 4] 时间相近的会议可合并召开; the seed gives no figure: govoffice's default."""

PLAN_SUBMISSION_LAST_DAY = (12, 10)
"""[001 会议 五(一)1] 应于每年的12月上旬提出计划: by 10 December of the year before."""

"""The ``by`` of the decisions the office's time step records (not taken by a person)."""

MINUTES_SERIES = "会议纪要"
"""The `NumberSeries` kind of minutes numbers (one gapless series per year)."""

PLAN_COLUMNS = (
    "序号",
    "主办处室",
    "会议名称",
    "主要内容",
    "类别",
    "时间",
    "地点",
    "参会人员范围",
    "会期(天)",
    "人数",
    "出席会议局领导",
    "经费预算(万元)",
)
"""The columns of 局20XX年会议计划汇总表 [001 会议 六 1]."""


# --- vocabulary ----------------------------------------------------------------------------


class ChairRule(LabelledEnum):
    """主持人规则 who may chair a meeting of a kind."""

    PRINCIPAL_OR_DELEGATE = "principal_or_delegate", "局长或局长委托的副局长"
    PRINCIPAL = "principal", "主要领导(局长或党组书记)"
    LEADER = "leader", "局领导"


class LeaveApproverRule(LabelledEnum):
    """请假审批人规则 to whom an invitee applies for leave [000 范文6 五 5]."""

    DIRECTOR = "director", "局长"
    PARTY_SECRETARY = "party_secretary", "党组书记"
    CONVENER = "convener", "召集会议的局领导"


class DistributionGroup(LabelledEnum):
    """纪要分送范围 the groups a kind's minutes go to [004 ★《会议纪要》分送范围; 000 范文6 四 8]."""

    LEADERS = "leaders", "局领导班子成员"
    ALL_UNITS = "all_units", "机关各处室"
    AFFILIATED = "affiliated", "局属各单位"
    RELATED_UNITS = "related_units", "有关处室"
    ARCHIVE = "archive", "存档"


class MeetingKind(LabelledEnum):
    """会议种类 [001 会议 四(一); 000 范文6 三; 002]. Values are the stable kind codes that
    `AttendanceScoringTable.counted_kinds` names (e.g. ``quarterly_meeting``)."""

    OFFICE = "office_meeting", "局长办公会议"
    JOINT = "joint_meeting", "党政联席会议"
    MONTHLY = "monthly_meeting", "机关月度工作例会"
    ANNUAL = "annual_meeting", "年度工作会议"
    TOPIC = "topic_meeting", "专题会议"
    PARTY_GROUP = "party_group_meeting", "党组会议"
    WEEKLY = "weekly_meeting", "周例会"
    QUARTERLY = "quarterly_meeting", "季度例会"
    SYSTEM = "system_meeting", "系统大会"
    COMMENDATION = "commendation_meeting", "总结表彰大会"
    VIDEO = "video_meeting", "视频会议"

    @property
    def rule(self) -> MeetingKindRule:
        return KIND_RULES[self]


@attrs.frozen
class MeetingKindRule:
    """What a meeting kind fixes: who chairs, to whom leave is asked, whether minutes are
    required, to whom they go, and the seed clause it follows."""

    chair: ChairRule
    leave_approver: LeaveApproverRule
    minutes_required: bool
    distribution: tuple[DistributionGroup, ...]
    clause: str


_L, _ALL, _AFF, _REL, _ARC = (
    DistributionGroup.LEADERS,
    DistributionGroup.ALL_UNITS,
    DistributionGroup.AFFILIATED,
    DistributionGroup.RELATED_UNITS,
    DistributionGroup.ARCHIVE,
)

KIND_RULES: Mapping[MeetingKind, MeetingKindRule] = {
    MeetingKind.OFFICE: MeetingKindRule(
        ChairRule.PRINCIPAL_OR_DELEGATE,
        LeaveApproverRule.DIRECTOR,
        True,
        (_L, _ALL, _AFF, _ARC),
        "[001 会议 四(一)1; 000 范文6 三 3, 四 8, 五 5]",
    ),
    MeetingKind.JOINT: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.CONVENER,
        True,
        (_L, _ALL, _ARC),
        "[001 会议 四(一)2; 004 ★3 党政联席会议纪要分送; 002 篇二 四 3]",
    ),
    MeetingKind.MONTHLY: MeetingKindRule(
        ChairRule.PRINCIPAL_OR_DELEGATE,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _ARC),
        "[001 会议 四(一)3]",
    ),
    MeetingKind.ANNUAL: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.DIRECTOR,
        True,
        (_L, _ALL, _AFF, _ARC),
        "[001 会议 四(一)4, 五(三)1(3)]",
    ),
    MeetingKind.TOPIC: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.CONVENER,
        False,
        (_L, _REL, _ARC),
        "[001 会议 四(一)5, 五(三)1(2); 000 范文6 三 7, 五 5]",
    ),
    MeetingKind.PARTY_GROUP: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.PARTY_SECRETARY,
        False,
        (_L, _REL, _ARC),
        "[000 范文6 三 2, 五 5; 004 ★1]",
    ),
    MeetingKind.WEEKLY: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.CONVENER,
        False,
        (_ALL, _ARC),
        "[002 篇一 三 1-2]",
    ),
    MeetingKind.QUARTERLY: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _AFF, _ARC),
        "[000 范文6 三 6, 五 5-6]",
    ),
    MeetingKind.SYSTEM: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _AFF, _ARC),
        "[000 范文6 三 4, 五 5-6; 002 篇一 五]",
    ),
    MeetingKind.COMMENDATION: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _AFF, _ARC),
        "[002 篇一 六]",
    ),
    MeetingKind.VIDEO: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.CONVENER,
        False,
        (_REL, _ARC),
        "[001 会议 五(二)5, 五(三)3]",
    ),
}


class MeetingStatus(LabelledEnum):
    """会议状态."""

    REQUESTED = "requested", "签报待批"
    REJECTED = "rejected", "签报未批准"
    PLANNED = "planned", "计划内待召开"
    APPROVED = "approved", "签报已批准"
    NOTICED = "noticed", "已通知"
    HELD = "held", "已召开"
    ARCHIVED = "archived", "已归档"
    CANCELLED = "cancelled", "已取消"
    MERGED = "merged", "已合并"


PREPARING = (MeetingStatus.PLANNED, MeetingStatus.APPROVED, MeetingStatus.NOTICED)
AFTER_HELD = (MeetingStatus.HELD, MeetingStatus.ARCHIVED)


class MeetingPaperStage(LabelledEnum):
    """会签的文书: the request (签报) or the notice (会议通知)."""

    REQUEST = "request", "会议签报"
    NOTICE = "notice", "会议通知"


class MeetingLeaveStatus(LabelledEnum):
    REQUESTED = "requested", "待批准"
    GRANTED = "granted", "已准假"
    REFUSED = "refused", "未准假"


class MeetingPayment(LabelledEnum):
    """会议费结算方式 [001 会议 五(三)4(4)]."""

    BANK_TRANSFER = "bank_transfer", "银行转账"
    OFFICIAL_CARD = "official_card", "公务卡"
    CASH = "cash", "现金"


class MeetingPlanStatus(LabelledEnum):
    COLLECTING = "collecting", "征集中"
    REVIEWED = "reviewed", "办公室已审核"
    APPROVED = "approved", "已审定"


# --- values ---------------------------------------------------------------------------------


def exact_number(value: object, what: str) -> Decimal:
    """An exact, finite, non-negative number (days, yuan, 万元); floats are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(
            f"{what} {value!r} 须为整数、Decimal 或数字文字 (an exact number, not a float)",
            what=what,
            value=value,
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"{what} {value!r} 不是非负的有限数字", what=what, value=value)
    return number


@value_object
class MeetingPlanRow:
    """会议计划汇总表的一行 one row of the annual plan, columns of [001 会议 六 1]."""

    serial: int
    organiser: UnitId
    name: str
    content: str
    category: MeetingCategory
    kind: MeetingKind
    form: MeetingForm
    planned_date: date
    place: str
    participant_scope: str
    days: Decimal
    participants: int
    attending_leaders: tuple[PersonId, ...]
    budget_10k: Decimal
    submitted_by: PersonId
    endorsed_by: PersonId | None = None
    late_reason: str = ""

    @property
    def budget(self) -> Decimal:
        """经费预算 in yuan (the table states it in 万元)."""
        return self.budget_10k * 10000

    @property
    def figures(self) -> MeetingFigures:
        return MeetingFigures(self.category, self.form, self.days, self.participants, self.budget)

    def columns(self, unit_name: str = "") -> tuple[str, ...]:
        """The row in the order of `PLAN_COLUMNS`."""
        return (
            str(self.serial),
            unit_name or self.organiser,
            self.name,
            self.content,
            self.category.label,
            self.planned_date.isoformat(),
            self.place,
            self.participant_scope,
            f"{self.days.normalize():f}",
            str(self.participants),
            "、".join(self.attending_leaders),
            f"{self.budget_10k.normalize():f}",
        )


@value_object
class MeetingCountersignature:
    """会签意见 on a request (签报) or a notice: a unit's head or a supervising leader."""

    stage: MeetingPaperStage
    party: str
    agreed: bool
    opinion: str
    by: PersonId
    on_behalf_of: PersonId | None = None


@value_object
class MeetingNotice:
    """会议通知 [004 四(一)2]: name, time, place, topic, participants, notes, contact."""

    title: str
    starts_at: pendulum.DateTime
    place: str
    topic: str
    participant_scope: str
    invitees: tuple[PersonId, ...]
    notes: str
    contact: str
    drafted_by: PersonId


@value_object
class MeetingAgendaItem:
    """议题 proposed by a unit [002 二 4]."""

    key: str
    title: str
    unit: UnitId
    proposed_by: PersonId


@value_object
class MeetingLeave:
    """请假 [000 范文6 五 5]: reason, optional substitute (代会), the approver's answer."""

    person: PersonId
    reason: str
    substitute: PersonId | None
    approver: PersonId
    status: MeetingLeaveStatus = MeetingLeaveStatus.REQUESTED
    opinion: str = ""


@value_object
class MeetingSignIn:
    """签到 by the attendee in person [004 六 1]; a substitute signs for whom they attend."""

    person: PersonId
    at: pendulum.DateTime
    substitute_for: PersonId | None = None


@value_object
class MeetingAttendance:
    """考勤 one invitee's attendance facts at one meeting [000 范文6 五 6]."""

    person: PersonId
    unit: UnitId
    facts: tuple[AttendanceFact, ...]
    substitute: PersonId | None = None


@value_object
class MeetingMinutes:
    """会议纪要 the text as drafted (kept as written once signed [004 七 4])."""

    text: str
    drafted_by: PersonId


@value_object
class DecidedItem:
    """议定事项 a decision of the meeting, with the unit responsible and a deadline
    [004 县政府 二(四)]."""

    key: str
    agenda_item: str
    content: str
    responsible_unit: UnitId
    deadline: date
    co_units: tuple[UnitId, ...] = ()


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


# --- errors ----------------------------------------------------------------------------------


class ChairNotEligible(PermissionDenied):
    """[001 会议 四(一); 000 范文6 三] a kind's meetings are chaired by whom its rule names."""

    def __init__(self, kind: MeetingKind, person_id: str) -> None:
        super().__init__(
            person_id, f"主持{kind.label}", f"{kind.rule.chair.label} {kind.rule.clause}"
        )


class MeetingCountersignMissing(RuleViolation):
    """[001 会议 五(一)2-3] the request or notice lacks countersignatures, or one disagrees."""

    stage: MeetingPaperStage
    parties: tuple[str, ...]

    def __init__(
        self, meeting_id: object, stage: MeetingPaperStage, parties: Iterable[str]
    ) -> None:
        parties = tuple(parties)
        super().__init__(
            f"会议 {meeting_id} 的{stage.label}尚缺会签或有不同意见: {'、'.join(parties)} "
            "(countersignatures missing or disagreeing)",
            meeting_id=meeting_id,
            stage=stage,
            parties=parties,
        )


class NotAMeetingCountersigner(RuleViolation):
    def __init__(self, meeting_id: object, party: str) -> None:
        super().__init__(
            f"{party} 不在会议 {meeting_id} 的会签范围内,或已会签 (not a pending countersigner)",
            meeting_id=meeting_id,
            party=party,
        )


class MaterialsDeadlinePassed(RuleViolation):
    """[002 二 4] topics and materials are due two days before the meeting."""

    def __init__(self, meeting_id: object, due: date) -> None:
        super().__init__(
            f"会议 {meeting_id} 的议题和材料须于会前两天({due})送交,已过期限 "
            "(materials were due two days before the meeting)",
            meeting_id=meeting_id,
            due=due,
        )


class MaterialsMissing(RuleViolation):
    """[002 二 4-5] an item without its materials is not put on the agenda."""

    items: tuple[str, ...]

    def __init__(self, meeting_id: object, items: Iterable[str]) -> None:
        items = tuple(items)
        super().__init__(
            f"会议 {meeting_id} 的议题 {'、'.join(items)} 未按时提交材料,不能列入议程 "
            "(no materials, not on the agenda)",
            meeting_id=meeting_id,
            items=items,
        )


class NotOnAgenda(RuleViolation):
    """[000 范文6 五 1] 未纳入会议的议题一律不允许上会."""

    def __init__(self, meeting_id: object, item: str) -> None:
        super().__init__(
            f"议题 {item} 未列入会议 {meeting_id} 的议程,不允许上会 (not on the agenda)",
            meeting_id=meeting_id,
            item=item,
        )


class TooManyInvitees(RuleViolation):
    """The notice invites more people than the approved headcount [001 会议 五(三)3]."""

    def __init__(self, meeting_id: object, invited: int, approved: int) -> None:
        super().__init__(
            f"会议 {meeting_id} 通知 {invited} 人,超过批准的参会人数 {approved} 人",
            meeting_id=meeting_id,
            invited=invited,
            approved=approved,
        )


class TooLateForMeeting(RuleViolation):
    """[000 范文6 五 5] answers and leave requests come before the meeting starts."""

    def __init__(self, meeting_id: object, what: str, starts_at: pendulum.DateTime) -> None:
        super().__init__(
            f"会议 {meeting_id} 已于 {starts_at} 开始,不能再{what} (too late: the meeting has begun)",
            meeting_id=meeting_id,
            what=what,
            starts_at=starts_at,
        )


class NotInvited(RuleViolation):
    def __init__(self, meeting_id: object, person_id: str) -> None:
        super().__init__(
            f"{person_id} 不在会议 {meeting_id} 的参会名单中 (not invited)",
            meeting_id=meeting_id,
            person_id=person_id,
        )


class WrongLeaveApprover(PermissionDenied):
    """[000 范文6 五 5] leave is asked of the party secretary, the director or the convener."""

    def __init__(self, person_id: str, approver: str, rule: LeaveApproverRule) -> None:
        super().__init__(person_id, "批准会议请假", f"{rule.label} {approver} [000 范文6 五 5]")


class SignInInPerson(PermissionDenied):
    """[004 六 1] 要求与会人员本人签到."""

    def __init__(self, person_id: str, for_person: str) -> None:
        super().__init__(person_id, f"代 {for_person} 签到", "本人签到 [004 六 1]")


class LeaderOnLeave(RuleViolation):
    """[001 会议的座次安排(一)4] a leader who will not attend has no seat on the rostrum."""

    def __init__(self, meeting_id: object, person_id: str) -> None:
        super().__init__(
            f"{person_id} 已请假,不能安排在会议 {meeting_id} 的主席台 (on leave, no rostrum seat)",
            meeting_id=meeting_id,
            person_id=person_id,
        )


class MeetingNotYetStarted(RuleViolation):
    def __init__(self, meeting_id: object, starts_at: pendulum.DateTime) -> None:
        super().__init__(
            f"会议 {meeting_id} 定于 {starts_at} 召开,尚未开始 (not started yet)",
            meeting_id=meeting_id,
            starts_at=starts_at,
        )


class MinutesFrozen(RuleViolation):
    """[004 七 4] 记录应真实、准确、完整,不得随意做增删改动: signed minutes are final."""

    def __init__(self, meeting_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的纪要已签发,不得增删改动 (signed minutes are final)",
            meeting_id=meeting_id,
        )


class MinutesRequired(RuleViolation):
    """[000 范文6 四 8] decisions of the office meeting must produce minutes."""

    def __init__(self, meeting_id: object, missing: str) -> None:
        super().__init__(
            f"会议 {meeting_id} 须先完成会议纪要: {missing} (minutes required first)",
            meeting_id=meeting_id,
            missing=missing,
        )


class DecisionsNotFinal(RuleViolation):
    """Decided items open supervision tasks only once the chair has signed the minutes."""

    def __init__(self, meeting_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的纪要尚未由主持人签发,议定事项未定 (decisions not final)",
            meeting_id=meeting_id,
        )


class DecidedItemAlreadyLinked(RuleViolation):
    """One supervision task per decided item [004 县政府 二(四)2]."""

    def __init__(self, meeting_id: object, item: str, task_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的议定事项 {item} 已立项督办 (任务 {task_id})",
            meeting_id=meeting_id,
            item=item,
            task_id=task_id,
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


class NotMergeable(RuleViolation):
    """[000 范文6 四 4] only meetings with the same participants and close dates merge."""

    reasons: tuple[str, ...]

    def __init__(self, meeting_id: object, into: object, reasons: Iterable[str]) -> None:
        reasons = tuple(reasons)
        super().__init__(
            f"会议 {meeting_id} 不能并入会议 {into}: {';'.join(reasons)} (cannot merge)",
            meeting_id=meeting_id,
            into=into,
            reasons=reasons,
        )


class PlanRowLate(RuleViolation):
    """[001 会议 五(一)1] next year's meetings are proposed by early December; a later row
    states why it is late."""

    def __init__(self, year: int, last_day: date) -> None:
        super().__init__(
            f"{year} 年会议计划应于 {last_day} 前(12月上旬)提出,逾期补报须说明理由 "
            "(plan rows are due by early December: a late row needs its reason)",
            year=year,
            last_day=last_day,
        )


class PlanIncomplete(RuleViolation):
    """[001 会议 五(一)1] rows endorsed by the supervising leader, reviewed by the office."""

    def __init__(self, year: int, missing: Iterable[str]) -> None:
        missing = tuple(missing)
        super().__init__(
            f"{year} 年会议计划不能审定: {';'.join(missing)} (plan incomplete)",
            year=year,
            missing=missing,
        )


class NothingToExcept(RuleViolation):
    def __init__(self, what: object) -> None:
        super().__init__(f"{what} 未超出会议标准,无须批准例外 (within the limits)", what=what)


# --- shared helpers ---------------------------------------------------------------------------


def _covered(breach: LimitBreach, excepted: Sequence[LimitBreach]) -> bool:
    """An approved exception covers a breach of the same limit up to the value it allowed."""
    return any(e.limit is breach.limit and breach.asked <= e.asked for e in excepted)


def uncovered_breaches(
    figures: MeetingFigures, table: LimitTable, excepted: Sequence[LimitBreach]
) -> tuple[LimitBreach, ...]:
    """The limits ``figures`` break that no approved exception covers."""
    return tuple(b for b in check_meeting(figures, table) if not _covered(b, excepted))


def _acting_leader(
    org: Organisation,
    by: PersonId,
    on_behalf_of: PersonId | None,
    roles: tuple[Role, ...],
    action: str,
    at: pendulum.DateTime,
) -> PersonId:
    acting = org.acting_for(by, on_behalf_of, at)
    org.require_role(acting, roles, action, at)
    return acting


LEADER_ROLES = (Role.LEADER, Role.PRINCIPAL_LEADER)


def _chair_and_approvers(
    org: Organisation,
    kind: MeetingKind,
    chair: PersonId,
    delegated_by: PersonId | None,
    at: pendulum.DateTime,
) -> tuple[PersonId, PersonId]:
    """Check the chair against the kind's rule; return (director, leave approver)."""
    org.person(chair)
    rule = kind.rule
    is_principal = org.holds(chair, Role.PRINCIPAL_LEADER, at)
    if rule.chair is ChairRule.PRINCIPAL and not is_principal:
        raise ChairNotEligible(kind, chair)
    if not org.holds(chair, Role.LEADER, at) and not is_principal:
        raise ChairNotEligible(kind, chair)
    if delegated_by is not None:
        org.person(delegated_by)
        if not org.holds(delegated_by, Role.PRINCIPAL_LEADER, at):
            raise PermissionDenied(delegated_by, f"委托主持{kind.label}", "局长(主要领导)")
    if rule.chair is ChairRule.PRINCIPAL_OR_DELEGATE and not is_principal and delegated_by is None:
        raise ChairNotEligible(kind, chair)
    if is_principal:
        director = chair
    elif delegated_by is not None:
        director = delegated_by
    else:
        principals = org.principal_leaders(at)
        if len(principals) != 1:
            raise InvalidInput(
                "请指明委托或召集会议的局长 delegated_by (several or no principal leaders)",
                principals=principals,
            )
        director = principals[0]
    approver = director if rule.leave_approver is LeaveApproverRule.DIRECTOR else chair
    return director, approver


def _known_people(org: Organisation, people: Iterable[object], what: str) -> tuple[PersonId, ...]:
    result: list[PersonId] = []
    for p in people:
        result.append(org.person(p).id)
    if len(set(result)) != len(result):
        raise InvalidInput(f"{what}有重复的人员 (duplicate people)", what=what)
    return tuple(result)


def _future(starts_at: object, at: pendulum.DateTime) -> pendulum.DateTime:
    moment = business_time(starts_at, "会议时间 starts_at")
    if moment <= at:
        raise InvalidInput(
            f"会议时间 {moment} 须晚于办理时间 {at} (a meeting is planned ahead)",
            starts_at=moment,
        )
    return moment


# --- the annual plan --------------------------------------------------------------------------


@stable_topics("meeting-plan")
class MeetingPlan(OfficeAggregate):
    """年度会议计划 one year's plan of the meetings held in the agency's name
    [001 会议 五(一)1, 六 1]."""

    KIND = "年度会议计划"

    @staticmethod
    def create_id(year: int) -> uuid.UUID:
        return uuid.uuid5(MEETING_NAMESPACE, f"meeting-plan/{year}")

    @classmethod
    def open(
        cls, *, org: Organisation, year: int, by: PersonId, at: pendulum.DateTime
    ) -> MeetingPlan:
        """征集下一年度会议计划: the general office opens the year's plan."""
        org.require_role(by, Role.OFFICE_REVIEWER, "征集年度会议计划", at)
        year = positive_int(year, "计划年度", minimum=1949)
        if year <= at.year - 1:
            raise InvalidInput(f"{year} 年已过,不能再编制会议计划 (that year is past)", year=year)
        return cls(year=year, by=by, at=at)

    @event("Opened")
    def __init__(self, *, year: int, by: PersonId, at: pendulum.DateTime) -> None:
        self.year = year
        self.status = MeetingPlanStatus.COLLECTING
        self.rows: dict[int, MeetingPlanRow] = {}
        self.exceptions: dict[int, tuple[LimitBreach, ...]] = {}
        self.scheduled: dict[int, uuid.UUID] = {}
        self.approved_by: PersonId | None = None
        self.decided_at: MeetingKind | None = None

    @property
    def last_submission_day(self) -> date:
        month, day = PLAN_SUBMISSION_LAST_DAY
        return date(self.year - 1, month, day)

    def submit_row(
        self,
        *,
        org: Organisation,
        organiser: str,
        name: str,
        content: str,
        category: MeetingCategory,
        kind: MeetingKind,
        form: MeetingForm,
        planned_date: object,
        place: str,
        participant_scope: str,
        days: object,
        participants: int,
        attending_leaders: Iterable[str] = (),
        budget_10k: object,
        late_reason: str = "",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> int:
        """提出计划 a unit's head proposes one meeting for next year, by early December
        [001 会议 五(一)1]; a row proposed later (补报, e.g. the first year on govoffice)
        must say why, and is marked late. Returns the row's serial."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING)
        unit = org.unit(organiser)
        org.require_head_of(by, unit.id, "提出本处室会议计划", at)
        late_reason = text(late_reason, "补报理由", required=False).strip()
        if at.date() > self.last_submission_day and not late_reason:
            raise PlanRowLate(self.year, self.last_submission_day)
        if at.date() <= self.last_submission_day:
            late_reason = ""
        when = a_date(planned_date, "会议时间")
        if when.year != self.year:
            raise InvalidInput(f"会议时间 {when} 不在计划年度 {self.year} 内", planned_date=when)
        if kind is MeetingKind.VIDEO and form is not MeetingForm.VIDEO:
            raise InvalidInput("视频会议须以视频形式召开 (a video meeting is held by video)")
        length = exact_number(days, "会期(天)")
        if length <= 0:
            raise InvalidInput(f"会期 {days!r} 须大于0天 (days must be positive)", days=days)
        serial = len(self.rows) + 1
        row = MeetingPlanRow(
            serial=serial,
            organiser=unit.id,
            name=text(name, "会议名称"),
            content=text(content, "主要内容"),
            category=category,
            kind=kind,
            form=form,
            planned_date=when,
            place=text(place, "地点"),
            participant_scope=text(participant_scope, "参会人员范围"),
            days=length,
            participants=positive_int(participants, "人数"),
            attending_leaders=_known_people(org, attending_leaders, "出席会议局领导"),
            budget_10k=exact_number(budget_10k, "经费预算(万元)"),
            submitted_by=by,
            late_reason=late_reason,
        )
        self._row_submitted(row=row, by=by, at=at)
        return serial

    @event("RowSubmitted")
    def _row_submitted(self, row: MeetingPlanRow, by: PersonId, at: pendulum.DateTime) -> None:
        self.rows[row.serial] = row

    def endorse_row(
        self,
        *,
        org: Organisation,
        serial: int,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """分管局领导同意 the organising unit's supervising leader agrees [001 会议 五(一)1]
        (the principal leader, for a unit no deputy supervises)."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING)
        row = self.row(serial)
        acting = org.acting_for(by, on_behalf_of, at)
        leaders = org.supervising_leaders(row.organiser) or org.principal_leaders(at)
        if acting not in leaders:
            raise PermissionDenied(acting, "同意会议计划", f"{row.organiser} 的分管局领导")
        if row.endorsed_by is not None:
            raise AlreadyExists(f"第{serial}行的分管领导意见", row.endorsed_by)
        self._row_endorsed(
            serial=serial, by=by, on_behalf_of=on_behalf_of if acting != by else None, at=at
        )

    @event("RowEndorsed")
    def _row_endorsed(
        self, serial: int, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.rows[serial] = attrs.evolve(self.rows[serial], endorsed_by=on_behalf_of or by)

    def review(
        self, *, org: Organisation, by: PersonId, at: pendulum.DateTime, opinion: str = ""
    ) -> None:
        """办公室审核协调 the head of the general office reviews the collected rows."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING)
        self._require_office_head(org, by, "审核年度会议计划", at)
        missing = [
            f"第{s}行未经分管局领导同意" for s, r in self.rows.items() if r.endorsed_by is None
        ]
        if not self.rows:
            missing.append("计划没有任何会议")
        if missing:
            raise PlanIncomplete(self.year, missing)
        self._reviewed(by=by, opinion=text(opinion, "审核意见", required=False), at=at)

    @event("Reviewed")
    def _reviewed(self, by: PersonId, opinion: str, at: pendulum.DateTime) -> None:
        self.status = MeetingPlanStatus.REVIEWED

    def approve_limit_exception(
        self,
        *,
        org: Organisation,
        serial: int,
        table: LimitTable,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> tuple[LimitBreach, ...]:
        """主要领导批准超标准例外 for one row; returns the breaches it covers."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING, MeetingPlanStatus.REVIEWED)
        row = self.row(serial)
        acting = _acting_leader(
            org, by, on_behalf_of, (Role.PRINCIPAL_LEADER,), "批准会议超标准例外", at
        )
        breaches = check_meeting(row.figures, table)
        if not breaches:
            raise NothingToExcept(f"第{serial}行《{row.name}》")
        self._limit_exception_approved(
            serial=serial,
            breaches=list(breaches),
            source=table.source,
            reason=text(reason, "例外理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )
        return breaches

    @event("LimitExceptionApproved")
    def _limit_exception_approved(
        self,
        serial: int,
        breaches: list[LimitBreach],
        source: str,
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.exceptions[serial] = tuple(breaches)

    def approve(
        self,
        *,
        org: Organisation,
        tables: Mapping[int, LimitTable],
        decided_at: MeetingKind,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """审定 the director's office meeting or the joint meeting approves the plan; a row
        over its limits needs an approved exception [001 会议 五(一)1, 五(三)3-4].
        ``tables`` gives each row's limit table (by jurisdiction and planned date)."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.REVIEWED)
        if decided_at not in (MeetingKind.OFFICE, MeetingKind.JOINT):
            raise InvalidInput(
                f"年度会议计划由局长办公会议或党政联席会议审定,而不是{decided_at.label}",
                decided_at=decided_at,
            )
        acting = _acting_leader(
            org, by, on_behalf_of, (Role.PRINCIPAL_LEADER,), "审定年度会议计划", at
        )
        breaches: list[LimitBreach] = []
        sources: list[str] = []
        for serial, row in self.rows.items():
            table = tables[serial]
            for b in uncovered_breaches(row.figures, table, self.exceptions.get(serial, ())):
                breaches.append(
                    attrs.evolve(b, description=f"第{serial}行《{row.name}》{b.description}")
                )
                if table.source not in sources:
                    sources.append(table.source)
        if breaches:
            raise MeetingLimitExceeded(breaches, ";".join(sources))
        self._approved(
            decided_at=decided_at,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Approved")
    def _approved(
        self,
        decided_at: MeetingKind,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.status = MeetingPlanStatus.APPROVED
        self.approved_by = on_behalf_of or by
        self.decided_at = decided_at

    def reopen(
        self, *, org: Organisation, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """计划调整 with the general office's consent an approved plan takes changes again
        (未经局办公室同意,任何科室不得随意变更会议计划 [000 范文6 四 2]); new rows are late
        rows, and the plan is reviewed and approved anew. Scheduled rows stay scheduled."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.APPROVED)
        self._require_office_head(org, by, "调整年度会议计划", at)
        self._reopened(reason=text(reason, "调整理由"), by=by, at=at)

    @event("Reopened")
    def _reopened(self, reason: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = MeetingPlanStatus.COLLECTING

    def _require_office_head(
        self, org: Organisation, by: PersonId, action: str, at: pendulum.DateTime
    ) -> None:
        if not any(org.is_head_of(by, u, at) for u in org.units_with(UnitFunction.GENERAL_OFFICE)):
            org.person(by)
            raise PermissionDenied(by, action, "办公室负责人")

    def schedule_row(
        self, *, serial: int, meeting_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """计划内会议立项: one meeting per approved row (recorded with the meeting itself)."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.APPROVED)
        self.row(serial)
        if serial in self.scheduled:
            raise AlreadyExists(f"第{serial}行的计划内会议", self.scheduled[serial])
        self._row_scheduled(serial=serial, meeting_id=meeting_id, by=by, at=at)

    @event("RowScheduled")
    def _row_scheduled(
        self, serial: int, meeting_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.scheduled[serial] = meeting_id

    # --- queries -------------------------------------------------------------------------

    def row(self, serial: object) -> MeetingPlanRow:
        if isinstance(serial, bool) or not isinstance(serial, int) or serial not in self.rows:
            raise InvalidInput(
                f"{self.year} 年会议计划没有第 {serial!r} 行 (no such row)", serial=serial
            )
        return self.rows[serial]

    def table(self, unit_names: Mapping[str, str] | None = None) -> list[tuple[str, ...]]:
        """局年度会议计划汇总表: a header, one line per row, and the 总计 line [001 会议 六 1]."""
        names = unit_names or {}
        lines: list[tuple[str, ...]] = [PLAN_COLUMNS]
        for row in self.rows.values():
            lines.append(row.columns(names.get(row.organiser, "")))
        days = sum((r.days for r in self.rows.values()), Decimal(0))
        people = sum(r.participants for r in self.rows.values())
        budget = sum((r.budget_10k for r in self.rows.values()), Decimal(0))
        lines.append(
            (
                "总计",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                f"{days.normalize():f}",
                str(people),
                "",
                f"{budget.normalize():f}",
            )
        )
        return lines


# --- the meeting ------------------------------------------------------------------------------


@stable_topics("meeting")
class Meeting(OfficeAggregate):
    """会议 one meeting, planned or requested, from approval to archive."""

    KIND = "会议"

    class Planned(OfficeAggregate.Created):
        """计划内会议立项 from a row of the approved annual plan [001 会议 五(一)2]."""

        kind: MeetingKind
        title: str
        content: str
        organiser: UnitId
        starts_at: pendulum.DateTime
        place: str
        participant_scope: str
        figures: MeetingFigures
        attending_leaders: list[PersonId]
        chair: PersonId
        director: PersonId
        leave_approver: PersonId
        plan_id: uuid.UUID
        plan_serial: int
        excepted: list[LimitBreach]
        by: PersonId
        at: pendulum.DateTime

        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeetingStatus.PLANNED
            aggregate.plan_id = self.plan_id
            aggregate.plan_serial = self.plan_serial
            aggregate.excepted = tuple(self.excepted)

    class Requested(OfficeAggregate.Created):
        """计划外会议签报 [001 会议 五(一)3]: content, reason, time, place, participants and
        count, budget and funding source."""

        kind: MeetingKind
        title: str
        content: str
        organiser: UnitId
        starts_at: pendulum.DateTime
        place: str
        participant_scope: str
        figures: MeetingFigures
        attending_leaders: list[PersonId]
        chair: PersonId
        director: PersonId
        leave_approver: PersonId
        reason: str
        funding_source: str
        by: PersonId
        at: pendulum.DateTime

        def apply(self, aggregate: Any) -> None:
            aggregate.status = MeetingStatus.REQUESTED
            aggregate.reason = self.reason
            aggregate.funding_source = self.funding_source

    def __init__(
        self,
        *,
        kind: MeetingKind,
        title: str,
        content: str,
        organiser: UnitId,
        starts_at: pendulum.DateTime,
        place: str,
        participant_scope: str,
        figures: MeetingFigures,
        attending_leaders: list[PersonId],
        chair: PersonId,
        director: PersonId,
        leave_approver: PersonId,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.kind = kind
        self.title = title
        self.content = content
        self.organiser = organiser
        self.starts_at = starts_at
        self.place = place
        self.participant_scope = participant_scope
        self.figures = figures
        self.attending_leaders = tuple(attending_leaders)
        self.chair = chair
        self.director = director
        self.leave_approver = leave_approver
        self.created_by = by
        self.status = MeetingStatus.REQUESTED
        self.plan_id: uuid.UUID | None = None
        self.plan_serial: int | None = None
        self.reason = ""
        self.funding_source = ""
        self.countersignatures: dict[str, MeetingCountersignature] = {}
        self.excepted: tuple[LimitBreach, ...] = ()
        self.approved_by: PersonId | None = None
        self.limits_source = ""
        self.notice: MeetingNotice | None = None
        self.notice_signed_by: PersonId | None = None
        self.answers: dict[PersonId, bool] = {}
        self.leaves: dict[PersonId, MeetingLeave] = {}
        self.agenda_items: dict[str, MeetingAgendaItem] = {}
        self.materials: dict[str, tuple[str, ...]] = {}
        self.materials_overdue: frozenset[str] = frozenset()
        self.agenda: tuple[str, ...] = ()
        self.seating: SeatingChart | None = None
        self.sign_ins: dict[PersonId, MeetingSignIn] = {}
        self.absentees_urged = False
        self.held_at: pendulum.DateTime | None = None
        self.attendance: tuple[MeetingAttendance, ...] | None = None
        self.minutes: MeetingMinutes | None = None
        self.minutes_signed_by: PersonId | None = None
        self.minutes_number: DocumentNumber | None = None
        self.minutes_distributed_to: tuple[str, ...] = ()
        self.decided_items: dict[str, DecidedItem] = {}
        self.task_links: dict[str, uuid.UUID] = {}
        self.costs: MeetingCostSettlement | None = None
        self.evaluation: MeetingEvaluation | None = None
        self.archived_at: pendulum.DateTime | None = None
        self.archive_overdue = False
        self.merged_into: uuid.UUID | None = None
        self.absorbed: tuple[uuid.UUID, ...] = ()

    # --- creation --------------------------------------------------------------------------

    @staticmethod
    def planned_id(plan_id: uuid.UUID, serial: int) -> uuid.UUID:
        """The id of the one meeting of a plan row."""
        return uuid.uuid5(plan_id, f"row/{serial}")

    @classmethod
    def plan(
        cls,
        *,
        org: Organisation,
        plan: MeetingPlan,
        serial: int,
        starts_at: object,
        chair: str,
        table: LimitTable,
        delegated_by: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> Meeting:
        """计划内会议: a row of the approved plan becomes a meeting, at a fixed time
        [001 会议 五(一)2]. Its limits were approved with the plan; they are checked again
        against the table in force on the meeting's date."""
        plan._require_status(MeetingPlanStatus.APPROVED)
        row = plan.row(serial)
        if not (org.person(by).unit == row.organiser or org.holds(by, Role.OFFICE_REVIEWER, at)):
            raise PermissionDenied(by, "安排计划内会议", f"{row.organiser} 人员或办公室审核人")
        when = _future(starts_at, at)
        if when.year != plan.year:
            raise InvalidInput(f"会议时间 {when} 不在计划年度 {plan.year} 内", starts_at=when)
        director, approver = _chair_and_approvers(
            org, row.kind, PersonId(chair), _opt_person(delegated_by), at
        )
        excepted = plan.exceptions.get(serial, ())
        breaches = uncovered_breaches(row.figures, table, excepted)
        if breaches:
            raise MeetingLimitExceeded(breaches, table.source)
        return cls._create(
            cls.Planned,
            id=cls.planned_id(plan.id, serial),
            kind=row.kind,
            title=row.name,
            content=row.content,
            organiser=row.organiser,
            starts_at=when,
            place=row.place,
            participant_scope=row.participant_scope,
            figures=row.figures,
            attending_leaders=list(row.attending_leaders),
            chair=PersonId(chair),
            director=director,
            leave_approver=approver,
            plan_id=plan.id,
            plan_serial=serial,
            excepted=list(excepted),
            by=by,
            at=at,
        )

    @classmethod
    def request(
        cls,
        *,
        org: Organisation,
        kind: MeetingKind,
        title: str,
        content: str,
        reason: str,
        organiser: str,
        starts_at: object,
        place: str,
        participant_scope: str,
        figures: MeetingFigures,
        funding_source: str,
        chair: str,
        delegated_by: str | None = None,
        attending_leaders: Iterable[str] = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> Meeting:
        """计划外会议签报 the organising unit asks for a meeting outside the plan
        [001 会议 五(一)3]; the limits are checked when the principal leader approves."""
        unit = org.unit(organiser)
        if org.person(by).unit != unit.id:
            raise PermissionDenied(by, "以该处室名义报会议签报", f"{unit.name}人员")
        if not isinstance(kind, MeetingKind):
            raise InvalidInput(f"会议种类 {kind!r} 不正确", kind=kind)
        if not isinstance(figures, MeetingFigures):
            raise InvalidInput(f"会议数字 {figures!r} 不是 MeetingFigures", figures=figures)
        if kind is MeetingKind.VIDEO and figures.form is not MeetingForm.VIDEO:
            raise InvalidInput("视频会议须以视频形式召开 (a video meeting is held by video)")
        director, approver = _chair_and_approvers(
            org, kind, PersonId(chair), _opt_person(delegated_by), at
        )
        return cls._create(
            cls.Requested,
            id=uuid.uuid4(),
            kind=kind,
            title=text(title, "会议名称"),
            content=text(content, "会议内容"),
            organiser=unit.id,
            starts_at=_future(starts_at, at),
            place=text(place, "地点"),
            participant_scope=text(participant_scope, "代表范围"),
            figures=figures,
            attending_leaders=list(_known_people(org, attending_leaders, "出席局领导")),
            chair=PersonId(chair),
            director=director,
            leave_approver=approver,
            reason=text(reason, "召开理由"),
            funding_source=text(funding_source, "列支渠道"),
            by=by,
            at=at,
        )

    # --- countersigning and approval ---------------------------------------------------------

    def required_countersigners(
        self, org: Organisation, stage: MeetingPaperStage
    ) -> tuple[str, ...]:
        """Who countersigns [001 会议 五(一)2-3]: the general office and finance (other than
        the organiser itself); for an unplanned meeting also the organiser's supervising
        leaders."""
        units = [
            u
            for function in (UnitFunction.GENERAL_OFFICE, UnitFunction.FINANCE)
            for u in org.units_with(function)
            if u != self.organiser
        ]
        leaders: tuple[str, ...] = ()
        if self.plan_id is None:
            leaders = org.supervising_leaders(self.organiser)
        return (*units, *leaders)

    def countersign(
        self,
        *,
        org: Organisation,
        party: str,
        agree: bool,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "",
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """会签 the request (while requested) or the drafted notice (once drafted)."""
        self._check_time(at)
        if self.status is MeetingStatus.REQUESTED:
            stage = MeetingPaperStage.REQUEST
        else:
            self._require_status(MeetingStatus.PLANNED, MeetingStatus.APPROVED)
            if self.notice is None:
                raise InvalidInput("会议通知尚未起草,无从会签 (draft the notice first)")
            stage = MeetingPaperStage.NOTICE
        key = f"{stage.value}:{party}"
        if party not in self.required_countersigners(org, stage) or key in self.countersignatures:
            raise NotAMeetingCountersigner(self.id, str(party))
        if not isinstance(agree, bool):
            raise InvalidInput(f"会签结论必须是 同意/不同意 (agree must be bool, not {agree!r})")
        acting = org.acting_for(by, on_behalf_of, at)
        if party in org.units:
            org.require_head_of(acting, party, f"代表{org.unit(party).name}会签", at)
        elif acting != party:
            raise PermissionDenied(acting, "以分管局领导身份会签", f"分管局领导 {party}")
        self._countersigned(
            signature=MeetingCountersignature(
                stage,
                party,
                agree,
                text(opinion, "会签意见", required=not agree),
                by,
                on_behalf_of if acting != by else None,
            ),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Countersigned")
    def _countersigned(
        self,
        signature: MeetingCountersignature,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        key = f"{signature.stage.value}:{signature.party}"
        self.countersignatures = {**self.countersignatures, key: signature}

    def missing_countersignatures(
        self, org: Organisation, stage: MeetingPaperStage
    ) -> tuple[str, ...]:
        """Parties that have not countersigned, or disagreed."""
        missing = []
        for party in self.required_countersigners(org, stage):
            signature = self.countersignatures.get(f"{stage.value}:{party}")
            if signature is None or not signature.agreed:
                missing.append(party)
        return tuple(missing)

    def limit_breaches(self, table: LimitTable) -> tuple[LimitBreach, ...]:
        """The limits the meeting breaks that no approved exception covers."""
        return uncovered_breaches(self.figures, table, self.excepted)

    def approve_limit_exception(
        self,
        *,
        org: Organisation,
        table: LimitTable,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> tuple[LimitBreach, ...]:
        """主要领导批准超标准例外 before approving the request; returns what it covers."""
        self._check_time(at)
        self._require_status(MeetingStatus.REQUESTED)
        acting = _acting_leader(
            org, by, on_behalf_of, (Role.PRINCIPAL_LEADER,), "批准会议超标准例外", at
        )
        breaches = check_meeting(self.figures, table)
        if not breaches:
            raise NothingToExcept(f"会议《{self.title}》")
        self._limit_exception_approved(
            breaches=list(breaches),
            source=table.source,
            reason=text(reason, "例外理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )
        return breaches

    @event("LimitExceptionApproved")
    def _limit_exception_approved(
        self,
        breaches: list[LimitBreach],
        source: str,
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.excepted = tuple(breaches)

    def approve(
        self,
        *,
        org: Organisation,
        table: LimitTable,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "同意",
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """主要领导审批 the principal leader approves the request once countersigned; over a
        limit only with an approved exception [001 会议 五(一)3, 五(三)3-4]."""
        self._check_time(at)
        self._require_status(MeetingStatus.REQUESTED)
        acting = _acting_leader(
            org, by, on_behalf_of, (Role.PRINCIPAL_LEADER,), "审批计划外会议签报", at
        )
        missing = self.missing_countersignatures(org, MeetingPaperStage.REQUEST)
        if missing:
            raise MeetingCountersignMissing(self.id, MeetingPaperStage.REQUEST, missing)
        breaches = self.limit_breaches(table)
        if breaches:
            raise MeetingLimitExceeded(breaches, table.source)
        self._approved(
            opinion=text(opinion, "审批意见", required=False) or "同意",
            limits_source=table.source,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Approved")
    def _approved(
        self,
        opinion: str,
        limits_source: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.status = MeetingStatus.APPROVED
        self.approved_by = on_behalf_of or by
        self.limits_source = limits_source

    def reject(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """主要领导不同意 the principal leader rejects the request, with the reason."""
        self._check_time(at)
        self._require_status(MeetingStatus.REQUESTED)
        acting = _acting_leader(
            org, by, on_behalf_of, (Role.PRINCIPAL_LEADER,), "审批计划外会议签报", at
        )
        self._rejected(
            reason=text(reason, "不同意的理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Rejected")
    def _rejected(
        self, reason: str, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.status = MeetingStatus.REJECTED

    # --- agenda ------------------------------------------------------------------------------

    @property
    def materials_due(self) -> date:
        """[002 二 4] the last day for topics and materials: two days before the meeting."""
        return self.starts_at.date() - timedelta(days=MATERIALS_DAYS_BEFORE)

    def propose_agenda_item(
        self, *, org: Organisation, title: str, unit: str, by: PersonId, at: pendulum.DateTime
    ) -> str:
        """提出议题 a unit's head proposes a topic (with the supervising leader's consent,
        in the unit's own hands) before the materials deadline [002 二 4]; returns its key."""
        self._check_time(at)
        self._require_status(*PREPARING)
        u = org.unit(unit)
        if not (org.is_head_of(by, u.id, at) or by in (self.chair, self.director)):
            org.person(by)
            raise PermissionDenied(by, "提出会议议题", f"{u.name}负责人或会议主持人")
        if at.date() > self.materials_due:
            raise MaterialsDeadlinePassed(self.id, self.materials_due)
        key = str(len(self.agenda_items) + 1)
        self._agenda_item_proposed(
            item=MeetingAgendaItem(key, text(title, "议题"), u.id, by), by=by, at=at
        )
        return key

    @event("AgendaItemProposed")
    def _agenda_item_proposed(
        self, item: MeetingAgendaItem, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.agenda_items = {**self.agenda_items, item.key: item}

    def submit_materials(
        self,
        *,
        org: Organisation,
        item: str,
        materials: Iterable[str],
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """送交议题材料 no later than two days before the meeting [002 二 4]."""
        self._check_time(at)
        self._require_status(*PREPARING)
        proposed = self._agenda_item(item)
        if not (org.person(by).unit == proposed.unit or by == proposed.proposed_by):
            raise PermissionDenied(by, "送交议题材料", f"{proposed.unit} 人员")
        if at.date() > self.materials_due:
            raise MaterialsDeadlinePassed(self.id, self.materials_due)
        files = texts(list(materials), "会议材料")
        if not files:
            raise InvalidInput("会议材料不能为空 (name at least one document)")
        self._materials_submitted(item=item, materials=list(files), by=by, at=at)

    @event("MaterialsSubmitted")
    def _materials_submitted(
        self, item: str, materials: list[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.materials = {**self.materials, item: (*self.materials.get(item, ()), *materials)}

    def overdue_items(self, at: pendulum.DateTime) -> tuple[str, ...]:
        """Proposed topics whose materials were due and are missing, not yet flagged."""
        if self.status not in PREPARING or at.date() <= self.materials_due:
            return ()
        return tuple(
            k
            for k in self.agenda_items
            if k not in self.materials and k not in self.materials_overdue
        )

    def flag_overdue_materials(self, *, at: pendulum.DateTime) -> tuple[str, ...]:
        """材料逾期 (time-driven): the topics whose materials did not arrive in time are
        recorded once; they cannot be put on the agenda [002 二 4-5]."""
        self._check_time(at)
        items = self.overdue_items(at)
        if items:
            self._materials_overdue(items=list(items), due=self.materials_due, by=TICK_ACTOR, at=at)
        return items

    @event("MaterialsOverdue")
    def _materials_overdue(
        self, items: list[str], due: date, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.materials_overdue = self.materials_overdue | frozenset(items)

    def set_agenda(
        self,
        *,
        org: Organisation,
        items: Sequence[str],
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """确定议程 the chair (or the director) sets the agenda from topics whose materials
        are in [001 会议 五(三)1(1)-(2); 002 二 4]."""
        self._check_time(at)
        self._require_status(*PREPARING)
        acting = org.acting_for(by, on_behalf_of, at)
        if acting not in (self.chair, self.director):
            raise PermissionDenied(
                acting, "确定会议议程", f"会议主持人 {self.chair} 或局长 {self.director}"
            )
        keys = texts(list(items), "议程")
        if not keys or len(set(keys)) != len(keys):
            raise InvalidInput("议程须列出至少一个议题,且不重复 (at least one topic, no repeats)")
        for key in keys:
            self._agenda_item(key)
        missing = [k for k in keys if k not in self.materials]
        if missing:
            raise MaterialsMissing(self.id, missing)
        self._agenda_set(
            items=list(keys), by=by, on_behalf_of=on_behalf_of if acting != by else None, at=at
        )

    @event("AgendaSet")
    def _agenda_set(
        self, items: list[str], by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.agenda = tuple(items)

    # --- notice ------------------------------------------------------------------------------

    def draft_notice(
        self,
        *,
        org: Organisation,
        invitees: Iterable[str],
        contact: str,
        notes: str = "",
        topic: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """起草会议通知 by the organising unit [001 会议 五(一)2-3; 004 四(一)2]. A new draft
        replaces the old one and needs countersigning again."""
        self._check_time(at)
        self._require_status(MeetingStatus.PLANNED, MeetingStatus.APPROVED)
        if org.person(by).unit != self.organiser:
            raise PermissionDenied(by, "起草会议通知", f"主办处室 {self.organiser} 人员")
        people = _known_people(org, invitees, "参会人员")
        if not people:
            raise InvalidInput("会议通知须列出参会人员 (name the invitees)")
        if len(people) > self.figures.participants:
            raise TooManyInvitees(self.id, len(people), self.figures.participants)
        notice = MeetingNotice(
            title=self.title,
            starts_at=self.starts_at,
            place=self.place,
            topic=text(topic, "会议内容") if topic is not None else self.content,
            participant_scope=self.participant_scope,
            invitees=people,
            notes=text(notes, "注意事项", required=False),
            contact=text(contact, "联系电话"),
            drafted_by=by,
        )
        self._notice_drafted(notice=notice, by=by, at=at)

    @event("NoticeDrafted")
    def _notice_drafted(self, notice: MeetingNotice, by: PersonId, at: pendulum.DateTime) -> None:
        self.notice = notice
        prefix = f"{MeetingPaperStage.NOTICE.value}:"
        self.countersignatures = {
            k: v for k, v in self.countersignatures.items() if not k.startswith(prefix)
        }

    def issue_notice(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """签批并印发会议通知: after countersigning, a planned meeting's notice is signed by
        the principal or the supervising leader, an unplanned one's by the principal leader
        [001 会议 五(一)2-3]."""
        self._check_time(at)
        self._require_status(MeetingStatus.PLANNED, MeetingStatus.APPROVED)
        if self.notice is None:
            raise InvalidInput("会议通知尚未起草 (draft the notice first)")
        acting = org.acting_for(by, on_behalf_of, at)
        allowed = org.holds(acting, Role.PRINCIPAL_LEADER, at) or (
            self.plan_id is not None and acting in org.supervising_leaders(self.organiser)
        )
        if not allowed:
            needs = "局主要领导或分管领导" if self.plan_id is not None else "局主要领导"
            raise PermissionDenied(acting, "签批会议通知", f"{needs} [001 会议 五(一)2-3]")
        missing = self.missing_countersignatures(org, MeetingPaperStage.NOTICE)
        if missing:
            raise MeetingCountersignMissing(self.id, MeetingPaperStage.NOTICE, missing)
        self._noticed(
            notice=self.notice,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Noticed")
    def _noticed(
        self,
        notice: MeetingNotice,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.status = MeetingStatus.NOTICED
        self.notice_signed_by = on_behalf_of or by

    @property
    def invitees(self) -> tuple[PersonId, ...]:
        return self.notice.invitees if self.notice is not None else ()

    # --- answers and leave -------------------------------------------------------------------

    def answer_invitation(
        self,
        *,
        org: Organisation,
        attend: bool,
        by: PersonId,
        at: pendulum.DateTime,
        reason: str = "",
        substitute: str | None = None,
    ) -> None:
        """答复参会 an invitee answers; one who cannot attend asks for leave at once, with a
        reason and perhaps a substitute [004 四(一)4; 000 范文6 五 5]."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        self._require_invitee(by)
        if not isinstance(attend, bool):
            raise InvalidInput(f"答复须为 参加/不参加 (attend must be bool, not {attend!r})")
        if at >= self.starts_at:
            raise TooLateForMeeting(self.id, "答复参会", self.starts_at)
        leave = None if attend else self._leave_for(org, by, reason, substitute, at)
        self._invitation_answered(person=by, attend=attend, by=by, at=at)
        if leave is not None:
            self._leave_requested(leave=leave, by=by, at=at)

    @event("InvitationAnswered")
    def _invitation_answered(
        self, person: PersonId, attend: bool, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.answers = {**self.answers, person: attend}

    def request_leave(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        substitute: str | None = None,
    ) -> None:
        """请假 before the meeting, to the approver its kind names [000 范文6 五 5]."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        self._require_invitee(by)
        if at >= self.starts_at:
            raise TooLateForMeeting(self.id, "请假", self.starts_at)
        self._leave_requested(leave=self._leave_for(org, by, reason, substitute, at), by=by, at=at)

    def _leave_for(
        self,
        org: Organisation,
        person: PersonId,
        reason: str,
        substitute: str | None,
        at: pendulum.DateTime,
    ) -> MeetingLeave:
        current = self.leaves.get(person)
        if current is not None and current.status is not MeetingLeaveStatus.REFUSED:
            raise AlreadyExists(f"{person} 的请假", current.status.label)
        if person == self.leave_approver:
            raise InvalidInput(
                f"{person} 是本次会议的请假审批人,不能向本人请假 (the approver cannot ask themself)"
            )
        stand_in: PersonId | None = None
        if substitute is not None:
            stand_in = org.person(substitute).id
            if stand_in == person or stand_in in self.invitees:
                raise InvalidInput(
                    f"代会人 {stand_in} 须是未受邀参会的其他人 (a substitute is not an invitee)"
                )
        return MeetingLeave(person, text(reason, "请假事由"), stand_in, self.leave_approver)

    @event("LeaveRequested")
    def _leave_requested(self, leave: MeetingLeave, by: PersonId, at: pendulum.DateTime) -> None:
        self.leaves = {**self.leaves, leave.person: leave}

    def decide_leave(
        self,
        *,
        org: Organisation,
        person: str,
        grant: bool,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "",
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """准假/不准假 by the approver the kind names (or their substitute) [000 范文6 五 5]."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        leave = self.leaves.get(PersonId(person))
        if leave is None or leave.status is not MeetingLeaveStatus.REQUESTED:
            raise InvalidInput(f"{person} 没有待批准的请假 (no pending leave request)")
        acting = org.acting_for(by, on_behalf_of, at)
        if acting != leave.approver:
            raise WrongLeaveApprover(acting, leave.approver, self.kind.rule.leave_approver)
        opinion = text(opinion, "审批意见", required=not grant) or "同意"
        relay = on_behalf_of if acting != by else None
        if grant:
            self._leave_granted(
                person=leave.person, opinion=opinion, by=by, on_behalf_of=relay, at=at
            )
        else:
            self._leave_refused(
                person=leave.person, opinion=opinion, by=by, on_behalf_of=relay, at=at
            )

    @event("LeaveGranted")
    def _leave_granted(
        self,
        person: PersonId,
        opinion: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.leaves = {
            **self.leaves,
            person: attrs.evolve(
                self.leaves[person], status=MeetingLeaveStatus.GRANTED, opinion=opinion
            ),
        }

    @event("LeaveRefused")
    def _leave_refused(
        self,
        person: PersonId,
        opinion: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.leaves = {
            **self.leaves,
            person: attrs.evolve(
                self.leaves[person], status=MeetingLeaveStatus.REFUSED, opinion=opinion
            ),
        }

    def on_leave(self, person: str) -> bool:
        leave = self.leaves.get(PersonId(person))
        return leave is not None and leave.status is MeetingLeaveStatus.GRANTED

    # --- rostrum seating ----------------------------------------------------------------------

    def arrange_seating(
        self,
        *,
        org: Organisation,
        chart: SeatingChart,
        hosts: Sequence[str],
        guests: Sequence[str],
        policy: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """排主席台座次 record the chart a seating policy made [001 会议的座次安排]; host
        leaders must be invited and not on leave."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        self._require_organiser(org, by, "安排主席台座次", at)
        for host in hosts:
            self._require_invitee(PersonId(host))
            if self.on_leave(host):
                raise LeaderOnLeave(self.id, host)
        if set(chart.seats) != {*hosts, *guests}:
            raise InvalidInput("座次表须恰好包含主席台上的每一位 (chart and people differ)")
        self._seating_arranged(
            chart=chart, hosts=list(hosts), guests=list(guests), policy=policy, by=by, at=at
        )

    @event("SeatingArranged")
    def _seating_arranged(
        self,
        chart: SeatingChart,
        hosts: list[str],
        guests: list[str],
        policy: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.seating = chart

    def override_seating(
        self,
        *,
        org: Organisation,
        chart: SeatingChart,
        change: str,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """手工调整座次 a manual change (swap, move), recorded with its reason
        [001 会议的座次安排(一)3-4 可灵活掌握; 如有临时变化,应及时调整座次]."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        self._require_organiser(org, by, "调整主席台座次", at)
        if set(chart.seats) != set(self._current_seating().seats):
            raise InvalidInput("调整座次不能增减主席台人员 (an override keeps the same people)")
        self._seating_overridden(
            chart=chart,
            previous=self._current_seating(),
            change=text(change, "调整内容"),
            reason=text(reason, "调整理由"),
            by=by,
            at=at,
        )

    def swap_seats(
        self, *, org: Organisation, a: str, b: str, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> SeatingChart:
        """两人互换座位 (a manual override, recorded with its reason)."""
        chart = self._current_seating().swapped(PersonId(a), PersonId(b))
        self.override_seating(
            org=org, chart=chart, change=f"{a} 与 {b} 互换座位", reason=reason, by=by, at=at
        )
        return chart

    def move_seat(
        self,
        *,
        org: Organisation,
        person: str,
        seat: int,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> SeatingChart:
        """移动座位: one person to ``seat``, the others keeping their order (an override)."""
        if isinstance(seat, bool) or not isinstance(seat, int):
            raise InvalidInput(f"座位号 {seat!r} 须为整数 (seat must be an int)")
        chart = self._current_seating().moved(PersonId(person), seat)
        self.override_seating(
            org=org, chart=chart, change=f"{person} 移至 {seat} 号座位", reason=reason, by=by, at=at
        )
        return chart

    def _current_seating(self) -> SeatingChart:
        if self.seating is None:
            raise InvalidInput("尚未排主席台座次 (arrange the seating first)")
        return self.seating

    @event("SeatingOverridden")
    def _seating_overridden(
        self,
        chart: SeatingChart,
        previous: SeatingChart,
        change: str,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.seating = chart

    # --- the meeting itself -------------------------------------------------------------------

    def sign_in(
        self, *, org: Organisation, person: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """签到 in person [004 六 1]: an invitee, or the approved substitute of one on leave."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        org.person(by)
        if person != by:
            raise SignInInPerson(by, person)
        substitute_for = None
        if by not in self.invitees:
            substitute_for = self._substituted_by(by)
            if substitute_for is None:
                raise NotInvited(self.id, by)
        if by in self.sign_ins:
            raise AlreadyExists(f"{by} 的签到", self.sign_ins[by].at)
        self._signed_in(sign_in=MeetingSignIn(by, at, substitute_for), by=by, at=at)

    @event("SignedIn")
    def _signed_in(self, sign_in: MeetingSignIn, by: PersonId, at: pendulum.DateTime) -> None:
        self.sign_ins = {**self.sign_ins, sign_in.person: sign_in}

    def _substituted_by(self, person: str) -> PersonId | None:
        for leave in self.leaves.values():
            if leave.status is MeetingLeaveStatus.GRANTED and leave.substitute == person:
                return leave.person
        return None

    def absentees(self) -> tuple[PersonId, ...]:
        """Invitees neither signed in nor on leave (nor replaced by a substitute)."""
        return tuple(p for p in self.invitees if p not in self.sign_ins and not self.on_leave(p))

    def urge_absentees(self, *, at: pendulum.DateTime) -> tuple[PersonId, ...]:
        """会前5分钟催促未到人员 (time-driven, once) [004 六 1]."""
        self._check_time(at)
        due = self.starts_at.subtract(minutes=ABSENTEE_URGE_MINUTES)
        if self.status is not MeetingStatus.NOTICED or self.absentees_urged or at < due:
            return ()
        missing = self.absentees()
        if missing:
            self._absentees_urged(persons=list(missing), by=TICK_ACTOR, at=at)
        return missing

    @event("AbsenteesUrged")
    def _absentees_urged(
        self, persons: list[PersonId], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.absentees_urged = True

    def hold(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """会议召开 the organiser records that the meeting took place (at its end)."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        self._require_organiser(org, by, "登记会议召开", at)
        if at < self.starts_at:
            raise MeetingNotYetStarted(self.id, self.starts_at)
        self._held(agenda=list(self.agenda), by=by, at=at)

    @event("Held")
    def _held(self, agenda: list[str], by: PersonId, at: pendulum.DateTime) -> None:
        self.status = MeetingStatus.HELD
        self.held_at = at

    def record_attendance(
        self,
        *,
        org: Organisation,
        left_early: Iterable[str] = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> tuple[MeetingAttendance, ...]:
        """考勤 every invitee's facts, from sign-ins and leave: present, late, left early,
        on leave, substituted, absent [000 范文6 五 4-6]. Recorded once."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        self._require_organiser(org, by, "登记会议考勤", at)
        if self.attendance is not None:
            raise AlreadyExists("会议考勤", self.id)
        early = set(texts(list(left_early), "早退人员"))
        for person in early:
            if person not in self.sign_ins or self.sign_ins[PersonId(person)].substitute_for:
                raise InvalidInput(f"{person} 未以本人身份签到,不能记为早退 (not signed in)")
        entries = tuple(self._attendance_of(org, p, p in early) for p in self.invitees)
        self._attendance_recorded(entries=list(entries), by=by, at=at)
        return entries

    def _attendance_of(self, org: Organisation, person: PersonId, early: bool) -> MeetingAttendance:
        unit = org.person(person).unit
        signed = self.sign_ins.get(person)
        if signed is not None:
            facts: list[AttendanceFact] = []
            if signed.at > self.starts_at:
                facts.append(AttendanceFact.LATE)
            if early:
                facts.append(AttendanceFact.LEFT_EARLY)
            return MeetingAttendance(person, unit, tuple(facts or [AttendanceFact.PRESENT]))
        leave = self.leaves.get(person)
        if leave is not None and leave.status is MeetingLeaveStatus.GRANTED:
            if leave.substitute is not None and leave.substitute in self.sign_ins:
                return MeetingAttendance(
                    person, unit, (AttendanceFact.SUBSTITUTED,), leave.substitute
                )
            return MeetingAttendance(person, unit, (AttendanceFact.ON_LEAVE,))
        return MeetingAttendance(person, unit, (AttendanceFact.ABSENT,))

    @event("AttendanceRecorded")
    def _attendance_recorded(
        self, entries: list[MeetingAttendance], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.attendance = tuple(entries)

    # --- cancelling and merging ---------------------------------------------------------------

    def cancel(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """取消会议 the general office (or the principal leader) cancels a badly prepared or
        repetitive meeting [000 范文6 四 4; 001 会议 五(三)5(6)]."""
        self._check_time(at)
        self._require_status(MeetingStatus.REQUESTED, *PREPARING)
        acting = org.acting_for(by, on_behalf_of, at)
        office_head = any(
            org.is_head_of(acting, u, at) for u in org.units_with(UnitFunction.GENERAL_OFFICE)
        )
        if not (office_head or org.holds(acting, Role.PRINCIPAL_LEADER, at)):
            raise PermissionDenied(acting, "取消会议", "办公室负责人或主要领导")
        self._cancelled(
            reason=text(reason, "取消理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Cancelled")
    def _cancelled(
        self, reason: str, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.status = MeetingStatus.CANCELLED

    def merge_into(
        self,
        *,
        org: Organisation,
        other: Meeting,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """合并召开 meetings with the same participants and close dates are merged, on the
        principal leader's decision [000 范文6 四 4; 001 会议 五(三)5(6)]: this meeting's
        topics go over to ``other``, which is held instead (both are recorded together)."""
        self._check_time(at)
        other._check_time(at)
        self._require_status(*PREPARING)
        other._require_status(*PREPARING)
        acting = _acting_leader(org, by, on_behalf_of, (Role.PRINCIPAL_LEADER,), "合并会议", at)
        if other.id == self.id:
            raise InvalidInput("会议不能并入自身 (a meeting cannot merge into itself)")
        reasons = []
        if abs((self.starts_at.date() - other.starts_at.date()).days) > MERGE_WINDOW_DAYS:
            reasons.append(f"时间相差超过{MERGE_WINDOW_DAYS}天")
        same_people = (
            set(self.invitees) == set(other.invitees)
            if self.notice is not None and other.notice is not None
            else self.participant_scope == other.participant_scope
        )
        if not same_people:
            reasons.append("参加人员不同")
        if reasons:
            raise NotMergeable(self.id, other.id, reasons)
        relay = on_behalf_of if acting != by else None
        reason = text(reason, "合并理由")
        carried = [i for i in self.agenda_items.values()]
        self._merged(into=other.id, reason=reason, by=by, on_behalf_of=relay, at=at)
        other._absorbed(
            meeting_id=self.id,
            items=carried,
            materials={i.key: list(self.materials.get(i.key, ())) for i in carried},
            reason=reason,
            by=by,
            on_behalf_of=relay,
            at=at,
        )

    @event("Merged")
    def _merged(
        self,
        into: uuid.UUID,
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.status = MeetingStatus.MERGED
        self.merged_into = into

    @event("Absorbed")
    def _absorbed(
        self,
        meeting_id: uuid.UUID,
        items: list[MeetingAgendaItem],
        materials: dict[str, list[str]],
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.absorbed = (*self.absorbed, meeting_id)
        agenda_items = dict(self.agenda_items)
        all_materials = dict(self.materials)
        for item in items:
            key = str(len(agenda_items) + 1)
            agenda_items[key] = attrs.evolve(item, key=key)
            if materials.get(item.key):
                all_materials[key] = tuple(materials[item.key])
        self.agenda_items = agenda_items
        self.materials = all_materials

    # --- minutes and decided items ------------------------------------------------------------

    def draft_minutes(
        self, *, org: Organisation, body: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """编写会议纪要 by the organiser or the general office [001 会议 四(一)1(4), 五(三)1];
        redrafting is allowed until the chair signs."""
        self._check_time(at)
        self._require_status(MeetingStatus.HELD)
        self._require_organiser(org, by, "编写会议纪要", at)
        if self.minutes_signed_by is not None:
            raise MinutesFrozen(self.id)
        self._minutes_drafted(minutes=MeetingMinutes(text(body, "纪要正文"), by), by=by, at=at)

    @event("MinutesDrafted")
    def _minutes_drafted(
        self, minutes: MeetingMinutes, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.minutes = minutes

    def record_decision(
        self,
        *,
        org: Organisation,
        agenda_item: str,
        content: str,
        responsible_unit: str,
        deadline: object,
        co_units: Iterable[str] = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> str:
        """议定事项 a decision on a topic of the agenda, with the unit responsible and a
        deadline [000 范文6 五 1, 五 7; 004 县政府 二(四)]; returns its key."""
        self._check_time(at)
        self._require_status(MeetingStatus.HELD)
        self._require_organiser(org, by, "记录议定事项", at)
        if self.minutes_signed_by is not None:
            raise MinutesFrozen(self.id)
        if agenda_item not in self.agenda:
            raise NotOnAgenda(self.id, str(agenda_item))
        unit = org.unit(responsible_unit).id
        helpers = tuple(org.unit(u).id for u in co_units)
        if unit in helpers:
            raise InvalidInput("责任单位不能同时是协办单位 (lead unit listed as co-unit)")
        due = a_date(deadline, "完成时限")
        if self.held_at is not None and due <= self.held_at.date():
            raise InvalidInput(f"完成时限 {due} 须晚于会议日期 (deadline after the meeting)")
        key = str(len(self.decided_items) + 1)
        item = DecidedItem(key, agenda_item, text(content, "议定事项"), unit, due, helpers)
        self._decision_recorded(item=item, by=by, at=at)
        return key

    @event("DecisionRecorded")
    def _decision_recorded(self, item: DecidedItem, by: PersonId, at: pendulum.DateTime) -> None:
        self.decided_items = {**self.decided_items, item.key: item}

    def sign_minutes(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "",
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """会议纪要由会议主持人签发 [001 会议 五(三)1(1)-(2)]: the text and the decided items
        are final from now on."""
        self._check_time(at)
        self._require_status(MeetingStatus.HELD)
        if self.minutes is None:
            raise MinutesRequired(self.id, "纪要尚未起草")
        if self.minutes_signed_by is not None:
            raise MinutesFrozen(self.id)
        acting = org.acting_for(by, on_behalf_of, at)
        if acting != self.chair:
            raise PermissionDenied(acting, "签发会议纪要", f"会议主持人 {self.chair}")
        self._minutes_signed(
            opinion=text(opinion, "签发意见", required=False) or "同意",
            decided_items=list(self.decided_items),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("MinutesSigned")
    def _minutes_signed(
        self,
        opinion: str,
        decided_items: list[str],
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.minutes_signed_by = on_behalf_of or by

    def number_minutes(
        self, *, org: Organisation, number: DocumentNumber, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """纪要编号 the general office numbers signed minutes from the year's gapless series
        [001 会议 四(一)4(4), 五(三)1(2) 会议序号由办公室统一编排]."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        org.require_role(by, Role.OFFICE_REVIEWER, "会议纪要编号", at)
        if self.minutes_signed_by is None:
            raise MinutesRequired(self.id, "纪要尚未签发")
        if self.minutes_number is not None:
            raise AlreadyExists("会议纪要编号", str(self.minutes_number))
        if not isinstance(number, DocumentNumber) or number.year != at.year:
            raise InvalidInput(f"纪要编号 {number!r} 不正确 (wrong number or year)")
        self._minutes_numbered(number=number, by=by, at=at)

    @event("MinutesNumbered")
    def _minutes_numbered(
        self, number: DocumentNumber, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.minutes_number = number

    def distribution_list(self, org: Organisation, at: pendulum.DateTime) -> tuple[str, ...]:
        """纪要分送范围 of this kind [004 ★《会议纪要》分送范围; 000 范文6 四 8]: leaders'
        ids, unit ids, and the labels of outside groups (局属各单位, 存档)."""
        recipients: list[str] = []
        for group in self.kind.rule.distribution:
            if group is DistributionGroup.LEADERS:
                recipients.extend(
                    sorted(
                        {g.person for g in org.grants if g.role in LEADER_ROLES and g.covers(at)}
                    )
                )
            elif group is DistributionGroup.ALL_UNITS:
                recipients.extend(org.units)
            elif group is DistributionGroup.RELATED_UNITS:
                related = [self.organiser]
                related += [i.unit for i in self.agenda_items.values() if i.key in self.agenda]
                for d in self.decided_items.values():
                    related += [d.responsible_unit, *d.co_units]
                recipients.extend(dict.fromkeys(related))
            else:
                recipients.append(group.label)
        return tuple(dict.fromkeys(recipients))

    def distribute_minutes(
        self, *, org: Organisation, also: Iterable[str] = (), by: PersonId, at: pendulum.DateTime
    ) -> tuple[str, ...]:
        """印发纪要 to the list of the meeting's kind (and any others named)."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        org.require_role(by, Role.OFFICE_REVIEWER, "印发会议纪要", at)
        if self.minutes_number is None:
            raise MinutesRequired(self.id, "纪要尚未编号")
        if self.minutes_distributed_to:
            raise AlreadyExists("会议纪要印发", self.minutes_number)
        recipients = tuple(
            dict.fromkeys((*self.distribution_list(org, at), *texts(list(also), "分送")))
        )
        self._minutes_distributed(recipients=list(recipients), by=by, at=at)
        return recipients

    @event("MinutesDistributed")
    def _minutes_distributed(
        self, recipients: list[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.minutes_distributed_to = tuple(recipients)

    @property
    def decisions_final(self) -> bool:
        """The decided items are final once the chair signed the minutes."""
        return self.status in AFTER_HELD and self.minutes_signed_by is not None

    def require_decisions_final(self) -> None:
        if not self.decisions_final:
            raise DecisionsNotFinal(self.id)

    def items_awaiting_task(self) -> tuple[DecidedItem, ...]:
        """Final decided items that have no supervision task yet."""
        if not self.decisions_final:
            return ()
        return tuple(i for k, i in self.decided_items.items() if k not in self.task_links)

    def task_source(self, item: str) -> SourceRef:
        """The supervision source of one decided item (one task per item, exactly once)."""
        return SourceRef(SourceKind.MEETING_DECISION, self.id, item)

    def link_supervision_task(
        self,
        *,
        task_id: uuid.UUID,
        by: PersonId,
        at: pendulum.DateTime,
        item: str | None = None,
    ) -> None:
        """立项督办 a supervision task was opened for a decided item, recorded in the same
        atomic save as the task [004 县政府 二(四)2; 000 范文6 五 7]. The item is the one
        whose deterministic task id is ``task_id`` (or ``item``, when given)."""
        self._check_time(at)
        if not isinstance(task_id, uuid.UUID):
            raise InvalidInput(f"督办任务编号 {task_id!r} 不是 UUID")
        self.require_decisions_final()
        if item is None:
            matching = [
                k for k in self.decided_items if task_id_for(self.task_source(k)) == task_id
            ]
            if not matching:
                raise InvalidInput(
                    f"督办任务 {task_id} 不对应会议 {self.id} 的任何议定事项 (no such decided item)",
                    task_id=task_id,
                )
            item = matching[0]
        if item not in self.decided_items:
            raise InvalidInput(f"会议 {self.id} 没有议定事项 {item!r} (no such decided item)")
        if item in self.task_links:
            raise DecidedItemAlreadyLinked(self.id, item, self.task_links[item])
        self._supervision_task_linked(task_id=task_id, item=item, by=by, at=at)

    @event("SupervisionTaskLinked")
    def _supervision_task_linked(
        self, task_id: uuid.UUID, item: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.task_links = {**self.task_links, item: task_id}

    # --- after the meeting --------------------------------------------------------------------

    def settle_costs(
        self,
        *,
        org: Organisation,
        settlement: MeetingCostSettlement,
        table: LimitTable,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """会议费结算 [001 会议 五(三)4]: by bank transfer or official card, never cash; within
        the approved budget and the per-person-per-day envelope; no lodging or meals for a
        video meeting; with the sign-in sheet."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        self._require_organiser(org, by, "办理会议费报销", at)
        if self.costs is not None:
            raise AlreadyExists("会议费结算", self.id)
        if not isinstance(settlement, MeetingCostSettlement):
            raise InvalidInput(f"结算 {settlement!r} 不是 MeetingCostSettlement")
        if settlement.payment is MeetingPayment.CASH:
            raise CashSettlementRefused(self.id)
        if self.attendance is None:
            raise SignInSheetRequired(self.id)
        if settlement.total > self.figures.budget:
            raise MeetingOverBudget(self.id, settlement.total, self.figures.budget)
        actual = MeetingFigures(
            self.figures.category,
            self.figures.form,
            self.figures.days,
            settlement.participants,
            settlement.total,
            settlement.lodging,
            settlement.meals,
        )
        breaches = uncovered_breaches(actual, table, self.excepted)
        if breaches:
            raise MeetingLimitExceeded(breaches, table.source)
        self._costs_settled(settlement=settlement, by=by, at=at)

    @event("CostsSettled")
    def _costs_settled(
        self, settlement: MeetingCostSettlement, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.costs = settlement

    def evaluate(
        self, *, org: Organisation, report: MeetingEvaluation, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """效能评估 the organising unit's head reports on the meeting [001 会议 五(三)6]."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        org.require_head_of(by, self.organiser, "会议效能评估", at)
        if self.evaluation is not None:
            raise AlreadyExists("会议评估报告", self.id)
        if not isinstance(report, MeetingEvaluation):
            raise InvalidInput(f"评估报告 {report!r} 不是 MeetingEvaluation")
        self._evaluated(report=report, by=by, at=at)

    @event("Evaluated")
    def _evaluated(self, report: MeetingEvaluation, by: PersonId, at: pendulum.DateTime) -> None:
        self.evaluation = report

    @property
    def archive_due(self) -> date | None:
        """[000 范文6 四 7] within seven days after the meeting, and by 31 December."""
        if self.held_at is None:
            return None
        held = self.held_at.date()
        return min(held + timedelta(days=ARCHIVE_DAYS), date(held.year, 12, 31))

    def archive(
        self,
        *,
        org: Organisation,
        materials: Iterable[str],
        by: PersonId,
        at: pendulum.DateTime,
        late_reason: str = "",
    ) -> None:
        """归档 the archivist receives the meeting's materials (方案、通知、记录、纪要、签到表
        [004 八 3]) within seven days and by 31 December; later only with the reason
        [000 范文6 四 7]. Minutes must be out first where the kind or the decisions need them."""
        self._check_time(at)
        self._require_status(MeetingStatus.HELD)
        org.require_role(by, Role.ARCHIVIST, "会议材料归档", at)
        files = texts(list(materials), "归档材料")
        if not files:
            raise InvalidInput("归档材料不能为空 (list the materials)")
        needs_minutes = (
            self.kind.rule.minutes_required or self.decided_items or self.minutes is not None
        )
        if needs_minutes and not self.minutes_distributed_to:
            raise MinutesRequired(self.id, "纪要尚未印发")
        if self.attendance is None:
            raise SignInSheetRequired(self.id)
        due = self.archive_due
        late = due is not None and at.date() > due
        if late and not late_reason.strip():
            raise LateArchiveReasonRequired(self.id, due or at.date())
        self._archived(
            materials=list(files),
            late=late,
            late_reason=text(late_reason, "逾期原因", required=False),
            by=by,
            at=at,
        )

    @event("Archived")
    def _archived(
        self,
        materials: list[str],
        late: bool,
        late_reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.status = MeetingStatus.ARCHIVED
        self.archived_at = at

    def flag_archive_overdue(self, *, at: pendulum.DateTime) -> bool:
        """归档逾期 (time-driven, once): the deadline passed without the archive."""
        self._check_time(at)
        due = self.archive_due
        if self.status is not MeetingStatus.HELD or self.archive_overdue or due is None:
            return False
        if at.date() <= due:
            return False
        self._archive_overdue(due=due, by=TICK_ACTOR, at=at)
        return True

    @event("ArchiveOverdue")
    def _archive_overdue(self, due: date, by: PersonId, at: pendulum.DateTime) -> None:
        self.archive_overdue = True

    # --- helpers -----------------------------------------------------------------------------

    def _agenda_item(self, key: object) -> MeetingAgendaItem:
        if not isinstance(key, str) or key not in self.agenda_items:
            raise InvalidInput(f"会议 {self.id} 没有议题 {key!r} (no such topic)", item=key)
        return self.agenda_items[key]

    def _require_invitee(self, person: PersonId) -> None:
        if person not in self.invitees:
            raise NotInvited(self.id, person)

    def _require_organiser(
        self, org: Organisation, by: PersonId, action: str, at: pendulum.DateTime
    ) -> None:
        """The organising unit's staff, or the general office (办公室审核人)."""
        unit = org.person(by).unit
        if unit != self.organiser and not org.holds(by, Role.OFFICE_REVIEWER, at):
            raise PermissionDenied(by, action, f"主办处室 {self.organiser} 人员或办公室")


def _opt_person(value: str | None) -> PersonId | None:
    return None if value is None else PersonId(text(value, "委托人"))
