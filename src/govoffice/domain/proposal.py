"""建议提案办理 deputy suggestions (人大代表建议) and CPPCC proposals (政协提案).

The flow, after the district government's report in [000 范文2] and the local rules collected
in the reference notes (domain-rules-and-systems.md §2.4-2.5; the body of the 人大建议、政协提案
办理工作规程 listed in the handbook's table of contents [001 目录 12] is not in the seed):

登记 → 交办 (主办、协办, 办理期限) → 交办异议 / 重新交办 → 协办意见 → 走访见面 → 催办 →
答复 (主办单位拟稿) → 会审 "九看" → 退改 or 答复代表 → 征询意见 (满意 / 基本满意 / 不满意) →
不满意则重新办理 → B类跟踪落实 → 办结.

Deadlines are computed with the working calendar when the step is recorded, and the events
carry the dates, so a later change of policy never rewrites an old item's deadlines.

分办 (ADR 0050): an item may be assigned in parts to several lead units (主办单位), each
answering its own part (:class:`ProposalPart`): each part is drafted, reviewed, sent, urged,
rated by the proposers and followed up on its own (:class:`PartProgress`), and the item
counts as replied when every part is, and closes when every part may.

Joint proposals (联名): every proposer receives the reply and rates it. The item's overall
rating is the *lowest* rating any proposer gave the latest reply: a joint proposal counts as
satisfied only when all of its proposers are at least basically satisfied, and one 不满意
reopens it (see :attr:`Proposal.overall_rating` and ADR 0013).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol, runtime_checkable

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import HeadOf, MemberOf, authorise, declare, fact, role, step
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    RuleViolation,
    WrongStatus,
)
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import (
    LabelledEnum,
    PersonId,
    UnitId,
    coerce_enum,
    local_time,
    text,
    value_object,
)

# --- vocabulary ----------------------------------------------------------------------------


class ProposalKind(LabelledEnum):
    """建议提案类别: a deputy's suggestion to the people's congress, or a CPPCC proposal."""

    DEPUTY_SUGGESTION = "deputy_suggestion", "人大代表建议"
    CPPCC_PROPOSAL = "cppcc_proposal", "政协提案"


class Field(LabelledEnum):
    """建议所涉领域: the six fields the report of [000 范文2 一、基本情况] counts the suggestions by."""

    FINANCE = "finance", "财政金融"
    PERSONNEL_SOCIAL_SECURITY = "personnel_social_security", "人事劳动和社会保障"
    INDUSTRY_TRANSPORT = "industry_transport", "工交"
    EDUCATION_CULTURE_HEALTH = "education_culture_health", "文教卫生"
    AGRICULTURE_WATER_URBAN = "agriculture_water_urban", "农林水利、城建"
    COMMERCE = "commerce", "商贸流通"


ProposalField = Field
"""The name :mod:`govoffice` exports :class:`Field` under (``Field`` alone says too little
there); the stored name stays ``Field``."""


class ProposalStatus(LabelledEnum):
    """办理状态."""

    SUBMITTED = "submitted", "待交办"
    HANDLING = "handling", "办理中"
    DISPUTED = "disputed", "交办有异议"
    REPLY_IN_REVIEW = "reply_in_review", "答复待会审"
    REPLY_APPROVED = "reply_approved", "答复已审定"
    REPLIED = "replied", "已答复"
    FOLLOWING_UP = "following_up", "跟踪落实"
    TO_CLOSE = "to_close", "待办结"
    CLOSED = "closed", "已办结"


AWAITING_LEAD_UNIT = (ProposalStatus.HANDLING, ProposalStatus.REPLY_APPROVED)
"""The states in which the lead unit owes the next step (and is urged)."""

BEFORE_REPLY = (
    ProposalStatus.HANDLING,
    ProposalStatus.DISPUTED,
    ProposalStatus.REPLY_IN_REVIEW,
    ProposalStatus.REPLY_APPROVED,
)


class ReplyCheck(LabelledEnum):
    """会审 "九看": the nine checks the general office makes of every reply [000 范文2 三 二]."""

    LAWFUL = "lawful", "符合党的方针、政策、法律法规"
    COMPLETE = "complete", "内容齐全,有问必答"
    TARGETED = "targeted", "措施具有针对性"
    JOINT = "joint", "联合办案已联合办理"
    SINCERE = "sincere", "语气诚恳、谦虚"
    FLUENT = "fluent", "语句通顺、流畅"
    FORMAT = "format", "格式规范、准确"
    CLASSIFICATION = "classification", "建议分类得当"
    CLEAN = "clean", "卷面整洁、清晰"


class Rating(LabelledEnum):
    """代表委员对答复的评价, on the returned opinion form (征询意见表)."""

    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"

    @property
    def counts_as_satisfied(self) -> bool:
        """满意率 counts 满意 and 基本满意 together."""
        return self is not Rating.DISSATISFIED

    @staticmethod
    def lowest(ratings: Iterable[Rating]) -> Rating | None:
        """The worst of some ratings (None when there are none)."""
        order = list(Rating)
        found = [order.index(r) for r in ratings]
        return order[max(found)] if found else None


class ProposalUrgeChannel(LabelledEnum):
    """催办方式 [000 范文2 三 一]: phone, a formal supervision letter, on site."""

    PHONE = "phone", "电话催办"
    LETTER = "letter", "督办函"
    ON_SITE = "on_site", "实地催办"


# --- values ---------------------------------------------------------------------------------


@value_object
class Proposer:
    """提出人: a deputy or a CPPCC member (or a group), who receives the reply and rates it."""

    name: str
    affiliation: str = ""


@value_object
class ResultClass:
    """答复分类 the result class marked on a reply; ``follow_up`` classes are tracked until
    solved and answered again."""

    code: str
    label: str
    follow_up: bool = False


def _check_classes(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[ResultClass, ...]
) -> None:
    codes = [c.code for c in value]
    if not codes or len(set(codes)) != len(codes) or not all(c.strip() for c in codes):
        raise InvalidInput(
            f"答复分类方案须有不重复的分类代码,而不是 {codes!r} (distinct result codes)",
            codes=codes,
        )


@value_object
class ResultScheme:
    """答复分类方案: which result classes a reply may carry. Configuration, recorded on each
    item when it is submitted; the seed's three classes are the default."""

    name: str
    classes: tuple[ResultClass, ...] = attrs.field(validator=_check_classes)

    @classmethod
    def seed(cls) -> ResultScheme:
        """A/B/C of [000 范文2 一、基本情况]: 已解决或基本解决 / 正在解决或列入规划 / 作为参考."""
        return cls(
            "ABC",
            (
                ResultClass("A", "已经解决或基本解决"),
                ResultClass("B", "正在解决或已列入规划逐步解决", follow_up=True),
                ResultClass("C", "作为工作参考"),
            ),
        )

    @classmethod
    def national(cls) -> ResultScheme:
        """A/B/C/D of national practice (reference notes §2.4)."""
        return cls(
            "ABCD",
            (
                ResultClass("A", "所提问题已经解决或基本解决"),
                ResultClass("B", "所提问题正在解决或已列入计划逐步解决", follow_up=True),
                ResultClass("C", "所提问题因条件限制留作以后解决"),
                ResultClass("D", "所提问题留作参考"),
            ),
        )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.classes)

    def get(self, code: object) -> ResultClass:
        for c in self.classes:
            if code == c.code or code == c:
                return c
        raise ResultClassNotInScheme(code, self)


@value_object
class ReplyCheckResult:
    """One of the nine checks as the reviewer recorded it."""

    check: ReplyCheck
    passed: bool
    note: str = ""


@value_object
class SentReply:
    """一次答复 a reply as it was sent: its round, text, class and the review that passed it."""

    round: int
    text: str
    result: ResultClass
    checks: tuple[ReplyCheckResult, ...]
    sent_at: pendulum.DateTime
    on_time: bool


@value_object
class ProposalPart:
    """分办 one lead unit's part of an item handled in parts: the unit and what it answers
    (ADR 0050)."""

    unit: UnitId
    subject: str


@value_object
class PartOutcome:
    """How one part of an item handled in parts was closed: its latest reply's class and
    the lowest rating the proposers gave it (ADR 0050)."""

    unit: UnitId
    result: ResultClass
    rating: Rating


@attrs.frozen
class PartProgress:
    """一个分办单位的办理进度: where one part of an item handled in parts stands. It moves
    like a single-lead item: 办理中 → 答复待会审 → 答复已审定 → 已答复 → (跟踪落实) → 待办结,
    and back to 办理中 when a proposer is dissatisfied with its reply. ``due`` is a
    re-answer's own deadline (None: the item's)."""

    unit: UnitId
    subject: str
    status: ProposalStatus = ProposalStatus.HANDLING
    due: date | None = None
    draft: tuple[str, ResultClass] | None = None
    review: tuple[ReplyCheckResult, ...] = ()
    replies: tuple[SentReply, ...] = ()
    ratings: Mapping[int, Mapping[str, Rating]] = attrs.field(factory=dict, eq=False)
    reopened_rounds: frozenset[int] = frozenset()
    last_urge_at: pendulum.DateTime | None = None
    letter_for_due: date | None = None
    follow_ups: int = 0
    solved: bool = False

    @property
    def failed_checks(self) -> tuple[ReplyCheck, ...]:
        return tuple(r.check for r in self.review if not r.passed)

    def awaiting_feedback(self, proposers: Iterable[Proposer]) -> tuple[str, ...]:
        if not self.replies:
            return ()
        rated = self.ratings.get(len(self.replies), {})
        return tuple(p.name for p in proposers if p.name not in rated)

    @property
    def rating(self) -> Rating | None:
        """The lowest rating any proposer gave this part's latest reply (None before any)."""
        if not self.replies:
            return None
        return Rating.lowest(self.ratings.get(len(self.replies), {}).values())


def _positive_policy(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(
            f"办理规则 {attribute.name} 必须是正整数,而不是 {value!r} (must be a whole number >= 1)",
            what=attribute.name,
            value=value,
        )


@attrs.frozen
class ProposalPolicy:
    """办理规则: the deadlines and urging cadence; configuration, with the defaults below.

    - ``handling_months`` 3: answer within three months of assignment (代表法 art. 43 and every
      local rule in the reference notes §2.4-2.5);
    - ``max_months`` 6: an extension, approved before the deadline, reaches at most six months
      from assignment (§2.4; set 4 where the local rule allows only one more month);
    - ``dispute_working_days`` 5: a unit disputes the assignment within five working days, the
      short end of the 5-10 days of local rules (§2.5), so a wrong assignment is corrected
      before handling is under way;
    - ``co_opinion_months`` 1: co-handling units give their opinion to the lead unit within
      one month (福建, §2.4);
    - ``reanswer_months`` 2: after 不满意, a new answer within two months (the municipal rule
      of §2.4; a province asks one);
    - ``busy_threshold`` 5, ``busy_urge_days`` 7, ``normal_urge_days`` 15: phone urging weekly
      for a unit with many items, every half month for the others [000 范文2 三 一]; the
      seed gives no number for "many";
    - ``letter_working_days`` 10: the new deadline a supervision letter sets for an overdue
      item (the seed says only "限定在规定期限内"; ten working days is our default).
    """

    handling_months: int = attrs.field(default=3, validator=_positive_policy)
    max_months: int = attrs.field(default=6, validator=_positive_policy)
    dispute_working_days: int = attrs.field(default=5, validator=_positive_policy)
    co_opinion_months: int = attrs.field(default=1, validator=_positive_policy)
    reanswer_months: int = attrs.field(default=2, validator=_positive_policy)
    busy_threshold: int = attrs.field(default=5, validator=_positive_policy)
    busy_urge_days: int = attrs.field(default=7, validator=_positive_policy)
    normal_urge_days: int = attrs.field(default=15, validator=_positive_policy)
    letter_working_days: int = attrs.field(default=10, validator=_positive_policy)

    def __attrs_post_init__(self) -> None:
        if self.max_months < self.handling_months:
            raise InvalidInput(
                f"最长办理期限 {self.max_months} 个月不能短于办理期限 {self.handling_months} 个月",
                max_months=self.max_months,
                handling_months=self.handling_months,
            )
        if self.co_opinion_months > self.handling_months:
            raise InvalidInput(
                f"协办意见期限 {self.co_opinion_months} 个月不能长于办理期限 "
                f"{self.handling_months} 个月",
                co_opinion_months=self.co_opinion_months,
            )


@runtime_checkable
class ProposalCalendar(Protocol):
    """What proposal deadlines and the urging cadence need of the working calendar
    (民法典 arts. 201-203; ADR 0051)."""

    def is_working_day(self, day: date) -> bool: ...

    def add_months(self, start: date, n: int) -> date: ...

    def add_working_days(self, start: date, n: int) -> date: ...


def phone_urge_day(
    last: pendulum.DateTime, every: int, calendar: ProposalCalendar, zone: str
) -> date:
    """定期电话催办日: the agency's day ``every`` days after the last urge (or the
    assignment) at ``last``, moved to the next working day when it is a weekend or a
    statutory holiday (ADR 0051)."""
    day: date = local_time(last.add(days=every), zone).date()
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    return day


def check_sheet(failed: Iterable[ReplyCheck | str] = ()) -> dict[ReplyCheck | str, bool]:
    """会审单: all nine checks, each passed unless listed in ``failed``."""
    failing = {coerce_enum(ReplyCheck, f, "审核项目") for f in failed}
    return {c: c not in failing for c in ReplyCheck}


# --- errors --------------------------------------------------------------------------------


class ResultClassNotInScheme(InvalidInput):
    def __init__(self, code: object, scheme: ResultScheme) -> None:
        super().__init__(
            f"答复分类 {code!r} 不在分类方案 {scheme.name} 中,可选: {'、'.join(scheme.codes)}",
            code=code,
            scheme=scheme.name,
        )


class DuplicateProposer(InvalidInput):
    def __init__(self, name: str) -> None:
        super().__init__(f"提出人 {name} 重复 (a proposer is listed twice)", name=name)


class NotAnAssignedUnit(RuleViolation):
    def __init__(self, proposal_id: object, unit: str) -> None:
        super().__init__(
            f"{unit} 不是建议提案 {proposal_id} 的承办单位 (not a unit of this assignment)",
            proposal_id=proposal_id,
            unit=unit,
        )


class PartRequired(RuleViolation):
    """An item handled in parts (分办) is answered part by part (ADR 0050)."""

    def __init__(self, proposal_id: object, units: Iterable[str]) -> None:
        units = tuple(units)
        super().__init__(
            f"建议提案 {proposal_id} 为分办件,须指明是哪一主办单位的部分: {'、'.join(units)} "
            "(the item is handled in parts: name the lead unit's part)",
            proposal_id=proposal_id,
            units=units,
        )


class PartNotReady(RuleViolation):
    """One part's step is taken when that part is at it (ADR 0050)."""

    def __init__(self, proposal_id: object, unit: str, status: ProposalStatus) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 中 {unit} 的部分当前为「{status.label}」,不能办理此步骤 "
            "(this lead unit's part is not at this step)",
            proposal_id=proposal_id,
            unit=unit,
            status=status,
        )


class PartsCannotMerge(RuleViolation):
    """Two lead units of one item in parts cannot become one unit while it is open: each
    part is answered by its own unit (ADR 0050)."""

    def __init__(self, proposal_id: object, from_unit: str, to_unit: str) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 为分办件,{from_unit} 与 {to_unit} 各办一部分,"
            f"不能将 {from_unit} 并入 {to_unit};请先办结该件 "
            "(both units answer a part of this open item: close it first)",
            proposal_id=proposal_id,
            from_unit=from_unit,
            to_unit=to_unit,
        )


class DisputeWindowClosed(RuleViolation):
    """A unit disputes an assignment only within the window (reference notes §2.5)."""

    def __init__(self, proposal_id: object, unit: str, until: date) -> None:
        super().__init__(
            f"{unit} 对建议提案 {proposal_id} 的交办异议须在 {until} 前提出,已过期 "
            "(the dispute window has closed; handle the item)",
            proposal_id=proposal_id,
            unit=unit,
            until=until,
        )


class ReassignmentUnchanged(RuleViolation):
    def __init__(self, proposal_id: object) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 重新交办须改变承办单位 (the reassignment changes nothing)",
            proposal_id=proposal_id,
        )


class OpinionAlreadyGiven(RuleViolation):
    def __init__(self, proposal_id: object, unit: str) -> None:
        super().__init__(
            f"{unit} 已向主办单位提出协办意见 (this co-handler's opinion is already in)",
            proposal_id=proposal_id,
            unit=unit,
        )


class CoHandlerOpinionsMissing(RuleViolation):
    """The lead unit answers for all units: the co-handlers' opinions come first."""

    def __init__(self, proposal_id: object, units: Iterable[str]) -> None:
        units = tuple(units)
        super().__init__(
            f"建议提案 {proposal_id} 尚缺协办单位意见: {'、'.join(units)},主办单位不能答复 "
            "(co-handlers' opinions outstanding)",
            proposal_id=proposal_id,
            units=units,
        )


class UnknownProposer(RuleViolation):
    def __init__(self, proposal_id: object, name: str) -> None:
        super().__init__(
            f"{name} 不是建议提案 {proposal_id} 的提出人 (not a proposer of this item)",
            proposal_id=proposal_id,
            name=name,
        )


class ExtensionAfterDeadline(RuleViolation):
    """An extension is approved before the deadline, not after (reference notes §2.4)."""

    def __init__(self, proposal_id: object, due: date, at: date) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 的办理期限 {due} 已过,不能再批准延期 "
            "(an extension must be approved before the deadline)",
            proposal_id=proposal_id,
            due=due,
            at=at,
        )


class ExtensionBeyondLimit(RuleViolation):
    """Handling lasts at most six months from assignment (reference notes §2.4)."""

    def __init__(self, proposal_id: object, until: date, latest: date) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 延期至 {until} 超过最长期限 {latest} "
            "(beyond the longest handling period)",
            proposal_id=proposal_id,
            until=until,
            latest=latest,
        )


class LetterNotOverdue(RuleViolation):
    """A supervision letter (督办函) is for overdue items [000 范文2 三 一]."""

    def __init__(self, proposal_id: object, due: date) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 办理期限为 {due},尚未逾期,不发督办函 "
            "(a supervision letter is for overdue items)",
            proposal_id=proposal_id,
            due=due,
        )


class IncompleteReview(InvalidInput):
    """The reviewer records every one of the nine checks [000 范文2 三 二]."""

    def __init__(self, missing: Iterable[ReplyCheck]) -> None:
        missing = tuple(missing)
        super().__init__(
            f"会审须逐项记录九看,缺少: {'、'.join(m.label for m in missing)} "
            "(every one of the nine checks must be recorded)",
            missing=missing,
        )


class ReplyNotReviewed(RuleViolation):
    def __init__(self, proposal_id: object) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 的答复尚未经办公室会审,不能答复代表委员 "
            "(the reply has not been reviewed)",
            proposal_id=proposal_id,
        )


class ReplyChecksFailed(RuleViolation):
    """A reply that fails any of the nine checks is not sent [000 范文2 三 二]."""

    def __init__(self, proposal_id: object, failed: Iterable[ReplyCheck]) -> None:
        failed = tuple(failed)
        super().__init__(
            f"建议提案 {proposal_id} 的答复未通过会审: {'、'.join(f.label for f in failed)};"
            "须修改后重新会审 (the reply fails checks; revise and resubmit)",
            proposal_id=proposal_id,
            failed=failed,
        )


class AlreadyRated(RuleViolation):
    def __init__(self, proposal_id: object, name: str, round: int) -> None:
        super().__init__(
            f"{name} 已对建议提案 {proposal_id} 的第 {round} 次答复作出评价 (already rated)",
            proposal_id=proposal_id,
            name=name,
            round=round,
        )


class NothingToRate(RuleViolation):
    def __init__(self, proposal_id: object) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 尚未答复,无从评价 (no reply has been sent yet)",
            proposal_id=proposal_id,
        )


class FeedbackOutstanding(RuleViolation):
    def __init__(self, proposal_id: object, names: Iterable[str]) -> None:
        names = tuple(names)
        super().__init__(
            f"建议提案 {proposal_id} 尚未收到 {'、'.join(names)} 的征询意见,不能办结 "
            "(feedback outstanding)",
            proposal_id=proposal_id,
            names=names,
        )


class FollowUpOutstanding(RuleViolation):
    """B-class items are followed up until solved, then answered again (§2.4)."""

    def __init__(self, proposal_id: object, result: ResultClass) -> None:
        super().__init__(
            f"建议提案 {proposal_id} 答复为{result.code}类({result.label}),"
            "须跟踪落实、解决后再次答复方能办结 (follow-up outstanding)",
            proposal_id=proposal_id,
            result=result,
        )


class TaskAlreadyLinked(AlreadyExists):
    def __init__(self, proposal_id: object, task_id: uuid.UUID) -> None:
        super().__init__(f"建议提案 {proposal_id} 的督办事项", task_id)


# --- the aggregate -------------------------------------------------------------------------


@value_object
class ProposalAssignment:
    """交办情况 the units handling an item and its periods, as the latest (re)assignment set
    them; ``due`` moves with an extension or a reopening. A re-answer after dissatisfaction
    (``extendable`` False) keeps its deadline."""

    lead_unit: UnitId
    co_units: tuple[UnitId, ...]
    secretary: PersonId
    assigned_at: pendulum.DateTime
    due: date
    co_opinion_due: date
    dispute_until: date
    extendable: bool = True
    parts: tuple[ProposalPart, ...] = ()


OPEN = tuple(s for s in ProposalStatus if s is not ProposalStatus.CLOSED)
_FOLLOWING = ProposalStatus.FOLLOWING_UP
_SPLIT_OPEN = (
    ProposalStatus.HANDLING,
    ProposalStatus.REPLIED,
    ProposalStatus.FOLLOWING_UP,
    ProposalStatus.TO_CLOSE,
)
"""The states an item handled in parts can be in once assigned (its parts say the rest)."""
_PART_BEFORE_REPLY = (
    ProposalStatus.HANDLING,
    ProposalStatus.REPLY_IN_REVIEW,
    ProposalStatus.REPLY_APPROVED,
)
_OFFICE = (Role.SUPERVISION_OFFICER, Role.OFFICE_REVIEWER)


def _proposers(values: object) -> list[Proposer]:
    if isinstance(values, str | Proposer) or not isinstance(values, list | tuple):
        raise InvalidInput(f"提出人须为列表,而不是 {values!r} (expected a list)", value=values)
    found: list[Proposer] = []
    for v in values:
        if isinstance(v, Proposer):
            p = Proposer(
                text(v.name, "提出人").strip(), text(v.affiliation, "所属", required=False)
            )
        else:
            p = Proposer(text(v, "提出人").strip())
        if any(q.name == p.name for q in found):
            raise DuplicateProposer(p.name)
        found.append(p)
    if not found:
        raise InvalidInput("提出人不能为空 (at least one proposer)")
    return found


def _unit_ids(
    org: Organisation, lead_unit: object, co_units: object, at: pendulum.DateTime
) -> tuple[UnitId, list[UnitId]]:
    lead = org.require_unit_active(lead_unit, at).id
    if isinstance(co_units, str) or not isinstance(co_units, list | tuple | set | frozenset):
        raise InvalidInput(f"协办单位须为列表,而不是 {co_units!r} (expected a list)")
    co: list[UnitId] = []
    for u in co_units:
        unit = org.require_unit_active(u, at).id
        if unit == lead or unit in co:
            raise InvalidInput(f"{unit} 在承办单位中重复出现 (a unit is listed twice)", unit=unit)
        co.append(unit)
    return lead, co


def _parts(
    org: Organisation, parts: object, co_units: object, at: pendulum.DateTime
) -> list[ProposalPart]:
    """分办: two or more lead units, each with the part it answers; no co-handlers (each
    unit answers its own part directly, ADR 0050)."""
    if isinstance(parts, str) or not isinstance(parts, Mapping | list | tuple):
        raise InvalidInput(
            f"分办须列出各主办单位及其办理内容,而不是 {parts!r} (expected unit → part)"
        )
    pairs = list(parts.items()) if isinstance(parts, Mapping) else list(parts)
    found: list[ProposalPart] = []
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidInput(f"分办项 {pair!r} 须为 (单位, 办理内容) (expected unit, part)")
        unit = org.require_unit_active(pair[0], at).id
        if any(p.unit == unit for p in found):
            raise InvalidInput(f"{unit} 在分办单位中重复出现 (a unit is listed twice)", unit=unit)
        found.append(ProposalPart(unit, text(pair[1], "分办内容")))
    if len(found) < 2:
        raise InvalidInput("分办须有两个以上主办单位;一个单位主办请用 lead_unit (two or more)")
    if isinstance(co_units, str) or not isinstance(co_units, list | tuple | set | frozenset):
        raise InvalidInput(f"协办单位须为列表,而不是 {co_units!r} (expected a list)")
    if co_units:
        raise InvalidInput(
            "分办件由各主办单位分别答复,不设协办单位 (an item in parts has no co-handlers)"
        )
    return found


def _lead_or_parts(
    org: Organisation,
    lead_unit: object,
    co_units: object,
    parts: object,
    at: pendulum.DateTime,
) -> tuple[UnitId, list[UnitId], list[ProposalPart] | None]:
    if parts is None:
        if lead_unit is None:
            raise InvalidInput("须指定主办单位,或分办各单位 (lead_unit or parts)")
        lead, co = _unit_ids(org, lead_unit, co_units, at)
        return lead, co, None
    if lead_unit is not None:
        raise InvalidInput("主办单位与分办只能二选一 (lead_unit or parts, not both)")
    split = _parts(org, parts, co_units, at)
    return split[0].unit, [], split


def _months_calendar(calendar: object) -> ProposalCalendar:
    if not isinstance(calendar, ProposalCalendar):
        raise InvalidInput(
            f"工作日历 {type(calendar).__name__} 不能按月计算期限 (the calendar cannot count months)"
        )
    return calendar


def _policy(policy: object) -> ProposalPolicy:
    if not isinstance(policy, ProposalPolicy):
        raise InvalidInput(f"办理规则 {policy!r} 不正确 (expected a ProposalPolicy)")
    return policy


@stable_topics("proposal")
class Proposal(OfficeAggregate):
    """建议提案 one deputy suggestion or CPPCC proposal, from submission to closing."""

    KIND = "建议提案"

    @classmethod
    def submit(
        cls,
        *,
        org: Organisation,
        kind: ProposalKind | str,
        proposers: Sequence[Proposer | str],
        field: Field | str,
        title: str,
        content: str,
        scheme: ResultScheme,
        session: str = "",
        reference: str = "",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> Proposal:
        """登记 register a suggestion or proposal received from the congress or CPPCC office
        (经人大常委会办公室整理后 [000 范文2 一、基本情况])."""
        authorise(org, cls, "Submitted", by=by, at=at)
        if not isinstance(scheme, ResultScheme):
            raise InvalidInput(f"答复分类方案 {scheme!r} 不正确 (expected a ResultScheme)")
        return cls(
            kind=coerce_enum(ProposalKind, kind, "类别"),
            proposers=_proposers(proposers),
            field=coerce_enum(Field, field, "领域"),
            title=text(title, "案由"),
            content=text(content, "内容"),
            scheme=scheme,
            session=text(session, "届次", required=False),
            reference=text(reference, "编号", required=False),
            by=by,
            at=at,
        )

    @event("Submitted")
    def __init__(
        self,
        *,
        kind: ProposalKind,
        proposers: list[Proposer],
        field: Field,
        title: str,
        content: str,
        scheme: ResultScheme,
        session: str,
        reference: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.kind = kind
        self.proposers = tuple(proposers)
        self.field = field
        self.title = title
        self.content = content
        self.scheme = scheme
        self.session = session
        self.reference = reference
        self.submitted_at = at
        self.status = ProposalStatus.SUBMITTED
        self.assignment: ProposalAssignment | None = None
        self.disputed_by: UnitId | None = None
        self.co_opinions: dict[UnitId, str] = {}
        self.meetings: tuple[str, ...] = ()
        self.urges = 0
        self.last_lead_urge_at: pendulum.DateTime | None = None
        self.letter_for_due: date | None = None
        self.co_overdue_urged: frozenset[UnitId] = frozenset()
        self.draft: tuple[str, ResultClass] | None = None
        self.review: tuple[ReplyCheckResult, ...] = ()
        self.replies: tuple[SentReply, ...] = ()
        self.ratings: dict[int, dict[str, Rating]] = {}
        self.reopened_rounds: frozenset[int] = frozenset()
        self.follow_ups = 0
        self.solved = False
        self.supervision_tasks: tuple[uuid.UUID, ...] = ()
        self.parts: dict[UnitId, PartProgress] = {}

    # --- assignment ----------------------------------------------------------------------

    def assign(
        self,
        *,
        org: Organisation,
        calendar: ProposalCalendar,
        policy: ProposalPolicy,
        lead_unit: str | None = None,
        co_units: Iterable[str] = (),
        parts: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        secretary: str,
        meeting: str = "",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> date:
        """交办 assign to a lead unit (主办) and co-handling units (协办), with the office
        secretary who follows it throughout [000 范文2 二 二]; returns the deadline, three
        months on (reference notes §2.4). ``parts`` instead of ``lead_unit``: 分办 to two
        or more lead units, each answering its own part (unit → what it answers, ADR 0050)."""
        self._check_time(at)
        self._require_status(ProposalStatus.SUBMITTED)
        authorise(org, Proposal, "Assigned", by=by, at=at, record=self)
        lead, co, split = _lead_or_parts(org, lead_unit, co_units, parts, at)
        org.require_role(
            secretary, _OFFICE, "担任承办秘书", at
        )  # the named secretary, not the actor
        deadlines = self._deadlines(calendar, policy, org.day_of(at))
        self._assigned(
            lead_unit=lead,
            co_units=co,
            secretary=PersonId(secretary),
            meeting=text(meeting, "交办会议", required=False),
            **deadlines,
            by=by,
            at=at,
            parts=split,
        )
        return deadlines["due"]

    @event("Assigned")
    def _assigned(
        self,
        lead_unit: UnitId,
        co_units: list[UnitId],
        secretary: PersonId,
        meeting: str,
        due: date,
        co_opinion_due: date,
        dispute_until: date,
        by: PersonId,
        at: pendulum.DateTime,
        parts: list[ProposalPart] | None = None,
    ) -> None:
        self._take(
            ProposalAssignment(
                lead_unit,
                tuple(co_units),
                secretary,
                at,
                due,
                co_opinion_due,
                dispute_until,
                parts=tuple(parts or ()),
            )
        )

    def dispute_assignment(
        self, *, org: Organisation, unit: str, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """交办异议: a unit that thinks the item is not its business says so to the office
        within the window, and does not forward the item itself (reference notes §2.5)."""
        self._check_time(at)
        self._require_status(ProposalStatus.HANDLING)
        a = self._assignment()
        if unit not in self.units:
            raise NotAnAssignedUnit(self.id, str(unit))
        authorise(org, Proposal, "AssignmentDisputed", by=by, at=at, record=self, unit=unit)
        answered = self.replies or any(p.replies for p in self.parts.values())
        if org.day_of(at) > a.dispute_until or answered:
            raise DisputeWindowClosed(self.id, unit, a.dispute_until)
        self._assignment_disputed(unit=UnitId(unit), reason=text(reason, "异议理由"), by=by, at=at)

    @event("AssignmentDisputed")
    def _assignment_disputed(
        self, unit: UnitId, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.status = ProposalStatus.DISPUTED
        self.disputed_by = unit

    def reassign(
        self,
        *,
        org: Organisation,
        calendar: ProposalCalendar,
        policy: ProposalPolicy,
        lead_unit: str | None = None,
        co_units: Iterable[str] = (),
        parts: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> date:
        """重新交办: the office, never the disputing unit, reassigns the item (to one lead
        unit, or in ``parts``, ADR 0050); the periods start again from the reassignment
        (reference notes §2.5)."""
        self._check_time(at)
        self._require_status(ProposalStatus.DISPUTED)
        authorise(org, Proposal, "Reassigned", by=by, at=at, record=self)
        lead, co, split = _lead_or_parts(org, lead_unit, co_units, parts, at)
        before = self._assignment()
        if (
            lead == self.lead_unit
            and set(co) == set(self.co_units)
            and tuple(split or ()) == before.parts
        ):
            raise ReassignmentUnchanged(self.id)
        deadlines = self._deadlines(calendar, policy, org.day_of(at))
        self._reassigned(
            lead_unit=lead,
            co_units=co,
            reason=text(reason, "重新交办理由"),
            **deadlines,
            by=by,
            at=at,
            parts=split,
        )
        return deadlines["due"]

    @event("Reassigned")
    def _reassigned(
        self,
        lead_unit: UnitId,
        co_units: list[UnitId],
        reason: str,
        due: date,
        co_opinion_due: date,
        dispute_until: date,
        by: PersonId,
        at: pendulum.DateTime,
        parts: list[ProposalPart] | None = None,
    ) -> None:
        secretary = self._assignment().secretary
        self._take(
            ProposalAssignment(
                lead_unit,
                tuple(co_units),
                secretary,
                at,
                due,
                co_opinion_due,
                dispute_until,
                parts=tuple(parts or ()),
            )
        )

    def _deadlines(
        self, calendar: ProposalCalendar, policy: ProposalPolicy, day: date
    ) -> dict[str, date]:
        """The periods from ``day`` (the agency's day of the assignment)."""
        months, rules = _months_calendar(calendar), _policy(policy)
        return {
            "due": months.add_months(day, rules.handling_months),
            "co_opinion_due": months.add_months(day, rules.co_opinion_months),
            "dispute_until": months.add_working_days(day, rules.dispute_working_days),
        }

    def _take(self, assignment: ProposalAssignment) -> None:
        self.assignment = assignment
        self.parts = {p.unit: PartProgress(p.unit, p.subject) for p in assignment.parts}
        self.status = ProposalStatus.HANDLING
        self.disputed_by = None
        self.co_opinions = {}
        self.last_lead_urge_at = None
        self.letter_for_due = None
        self.co_overdue_urged = frozenset()

    # --- handling ------------------------------------------------------------------------

    def give_co_opinion(
        self, *, org: Organisation, unit: str, opinion: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """协办意见: a co-handling unit gives its opinion to the lead unit, due within one
        month of assignment; a late opinion is still taken, and marked late (§2.4)."""
        self._check_time(at)
        self._require_status(ProposalStatus.HANDLING)
        a = self._assignment()
        if unit not in a.co_units:
            raise NotAnAssignedUnit(self.id, str(unit))
        authorise(org, Proposal, "CoHandlerOpinionGiven", by=by, at=at, record=self, unit=unit)
        if unit in self.co_opinions:
            raise OpinionAlreadyGiven(self.id, unit)
        self._co_handler_opinion_given(
            unit=UnitId(unit),
            opinion=text(opinion, "协办意见"),
            late=org.day_of(at) > a.co_opinion_due,
            by=by,
            at=at,
        )

    @event("CoHandlerOpinionGiven")
    def _co_handler_opinion_given(
        self, unit: UnitId, opinion: str, late: bool, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.co_opinions = {**self.co_opinions, unit: opinion}

    def meet_proposer(
        self,
        *,
        org: Organisation,
        proposer: str,
        notes: str,
        how: str = "走访见面",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """走访见面 the lead unit meets the proposer to hear and discuss the item
        (走访见面制度 [000 范文2 二 一])."""
        self._check_time(at)
        self._require_status(
            ProposalStatus.HANDLING,
            ProposalStatus.REPLY_IN_REVIEW,
            ProposalStatus.REPLY_APPROVED,
            ProposalStatus.REPLIED,
            ProposalStatus.FOLLOWING_UP,
        )
        self._assignment()
        authorise(org, Proposal, "ProposerMet", by=by, at=at, record=self)
        self._proposer(proposer)
        self._proposer_met(
            proposer=proposer, how=text(how, "方式"), notes=text(notes, "见面情况"), by=by, at=at
        )

    @event("ProposerMet")
    def _proposer_met(
        self, proposer: str, how: str, notes: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.meetings = (*self.meetings, proposer)

    def urge(
        self,
        *,
        org: Organisation,
        channel: ProposalUrgeChannel | str,
        unit: str | None = None,
        note: str = "",
        new_deadline: date | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """催办 a unit by phone, on site, or by a supervision letter (督办函) that sets a new
        deadline for an overdue item [000 范文2 三 一]. ``unit`` defaults to the lead unit;
        an item handled in parts is urged part by part (``unit``: the part's lead unit,
        ADR 0050)."""
        self._check_time(at)
        how = coerce_enum(ProposalUrgeChannel, channel, "催办方式")
        letter = how is ProposalUrgeChannel.LETTER
        if self.parts:
            allowed = AWAITING_LEAD_UNIT if letter else (*AWAITING_LEAD_UNIT, _FOLLOWING)
            part = self._part_at(unit, *allowed)
            authorise(org, Proposal, "Urged", by=by, at=at, record=self)
            target, due, co_overdue = part.unit, self._part_due(part), False
        else:
            if letter:
                self._require_status(*AWAITING_LEAD_UNIT)
            else:
                self._require_status(*AWAITING_LEAD_UNIT, ProposalStatus.FOLLOWING_UP)
            authorise(org, Proposal, "Urged", by=by, at=at, record=self)
            a = self._assignment()
            target = a.lead_unit if unit is None else UnitId(unit)
            if target not in self.units:
                raise NotAnAssignedUnit(self.id, str(target))
            due = a.due
            co_overdue = target in a.co_units and org.day_of(at) > a.co_opinion_due
        today = org.day_of(at)
        if letter:
            if today <= due:
                raise LetterNotOverdue(self.id, due)
            if not isinstance(new_deadline, date) or new_deadline <= today:
                raise InvalidInput(
                    f"督办函须限定晚于今天的办理期限,而不是 {new_deadline!r} "
                    "(a supervision letter sets a new deadline after today)"
                )
        elif new_deadline is not None:
            raise InvalidInput("只有督办函限定新的办理期限 (only a letter sets a new deadline)")
        self._urged(
            unit=UnitId(target),
            channel=how,
            note=text(note, "催办情况", required=False),
            new_deadline=new_deadline,
            by=by,
            at=at,
            co_overdue=co_overdue,
        )

    def urge_if_due(
        self,
        *,
        calendar: ProposalCalendar,
        policy: ProposalPolicy,
        busy: bool,
        at: pendulum.DateTime,
        zone: str,
        busy_units: Iterable[str] = (),
    ) -> None:
        """定期催办, driven by the office's clock [000 范文2 三 一]: a supervision letter
        once the deadline has passed (once per deadline), otherwise a phone urge when the
        cadence is due (weekly for a ``busy`` unit, every half month for the others), and one
        reminder to each co-handler whose opinion is late. Every one of these falls on a
        working day of the office calendar: on a weekend or statutory holiday nothing is
        recorded, and a cadence day that lands on one moves to the next working day
        (:func:`phone_urge_day`, ADR 0051). Recorded in the name of the
        item's secretary (承办秘书), who "进行全过程的协调督促" [000 范文2 二 二]. Records
        nothing when nothing is due, so running it again changes nothing. An item handled
        in parts is urged part by part, each lead unit busy when it is in ``busy_units``
        (ADR 0050)."""
        self._check_time(at)
        if self.status not in AWAITING_LEAD_UNIT:
            return
        months, rules = _months_calendar(calendar), _policy(policy)
        a, today = self._assignment(), local_time(at, zone).date()
        if not months.is_working_day(today):
            return  # cadence steps fall on working days: a rest day's urge waits (ADR 0051)
        if self.parts:
            crowded = frozenset(busy_units)
            for part in list(self.parts.values()):
                if part.status not in AWAITING_LEAD_UNIT:
                    continue
                self._urge_lead_if_due(
                    months,
                    rules,
                    part.unit,
                    self._part_due(part),
                    part.letter_for_due,
                    part.last_urge_at,
                    part.unit in crowded,
                    today,
                    at,
                )
            return
        self._urge_lead_if_due(
            months,
            rules,
            a.lead_unit,
            a.due,
            self.letter_for_due,
            self.last_lead_urge_at,
            busy,
            today,
            at,
        )
        if self.status is ProposalStatus.HANDLING and today > a.co_opinion_due:
            for unit in a.co_units:
                if unit not in self.co_opinions and unit not in self.co_overdue_urged:
                    self._urged(
                        unit=unit,
                        channel=ProposalUrgeChannel.PHONE,
                        note=f"协办意见逾期(期限 {a.co_opinion_due})",
                        new_deadline=None,
                        by=a.secretary,
                        at=at,
                        co_overdue=True,
                    )

    def _urge_lead_if_due(
        self,
        months: ProposalCalendar,
        rules: ProposalPolicy,
        unit: UnitId,
        due: date,
        letter_for_due: date | None,
        last_urge_at: pendulum.DateTime | None,
        busy: bool,
        today: date,
        at: pendulum.DateTime,
    ) -> None:
        a = self._assignment()
        if today > due and letter_for_due != due:
            self._urged(
                unit=unit,
                channel=ProposalUrgeChannel.LETTER,
                note=f"逾期未办(期限 {due}),下发督办函",
                new_deadline=months.add_working_days(today, rules.letter_working_days),
                by=a.secretary,
                at=at,
                co_overdue=False,
            )
            return
        every = rules.busy_urge_days if busy else rules.normal_urge_days
        last = last_urge_at or a.assigned_at
        if at >= last.add(days=every):
            self._urged(
                unit=unit,
                channel=ProposalUrgeChannel.PHONE,
                note="承办数量多的单位每周催办" if busy else "每半月催办",
                new_deadline=None,
                by=a.secretary,
                at=at,
                co_overdue=False,
            )

    @event("Urged")
    def _urged(
        self,
        unit: UnitId,
        channel: ProposalUrgeChannel,
        note: str,
        new_deadline: date | None,
        by: PersonId,
        at: pendulum.DateTime,
        co_overdue: bool | None = None,
    ) -> None:
        a = self._assignment()
        self.urges += 1
        part = self.parts.get(unit)
        if part is not None:  # 分办: the part's own cadence (ADR 0050)
            letter = channel is ProposalUrgeChannel.LETTER
            self._set_part(
                unit,
                last_urge_at=at,
                letter_for_due=self._part_due(part) if letter else part.letter_for_due,
            )
            return
        if unit == a.lead_unit:
            self.last_lead_urge_at = at
            if channel is ProposalUrgeChannel.LETTER:
                self.letter_for_due = a.due
        if co_overdue is None:  # recorded before the agency's day was on the event
            co_overdue = unit in a.co_units and at.date() > a.co_opinion_due
        if co_overdue:
            self.co_overdue_urged = self.co_overdue_urged | {unit}

    def grant_extension(
        self,
        *,
        org: Organisation,
        calendar: ProposalCalendar,
        policy: ProposalPolicy,
        until: date,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """延期 the office extends the deadline: approved before it passes, and never beyond
        ``policy.max_months`` (six) from assignment (reference notes §2.4). A re-answer after
        dissatisfaction is not extended. An item in parts is extended as a whole (every
        part not yet answered, ADR 0050)."""
        self._check_time(at)
        self._require_status(*BEFORE_REPLY)
        authorise(org, Proposal, "ExtensionGranted", by=by, at=at, record=self)
        a = self._assignment()
        if not isinstance(until, date):
            raise InvalidInput(f"延期期限 {until!r} 必须是日期 (expected a date)")
        today = org.day_of(at)
        if today > a.due:
            raise ExtensionAfterDeadline(self.id, a.due, today)
        latest = a.due
        if a.extendable:
            months = _months_calendar(calendar)
            latest = months.add_months(org.day_of(a.assigned_at), _policy(policy).max_months)
        if until > latest:
            raise ExtensionBeyondLimit(self.id, until, latest)
        if until <= a.due:
            raise InvalidInput(
                f"延期期限 {until} 须晚于现办理期限 {a.due} (must be after the current deadline)"
            )
        self._extension_granted(
            until=until,
            previous_due=a.due,
            latest=latest,
            reason=text(reason, "延期理由"),
            by=by,
            at=at,
        )

    @event("ExtensionGranted")
    def _extension_granted(
        self,
        until: date,
        previous_due: date,
        latest: date,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.assignment = attrs.evolve(self._assignment(), due=until)

    # --- the reply -----------------------------------------------------------------------

    def draft_reply(
        self,
        *,
        org: Organisation,
        reply_text: str,
        result: str | ResultClass,
        part: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """答复拟稿 the lead unit's head drafts the one reply for all units, with its result
        class; the co-handlers' opinions must be in (主办单位负责协调答复 [000 范文2 二 一]).
        In an item handled in parts, each lead unit's head drafts the reply to its own
        ``part`` (ADR 0050)."""
        self._check_time(at)
        if self.parts:
            p = self._part_at(part, ProposalStatus.HANDLING)
            authorise(org, Proposal, "ReplyDrafted", by=by, at=at, record=self, part=p.unit)
            self._reply_drafted(
                text=text(reply_text, "答复内容"),
                result=self.scheme.get(result),
                by=by,
                at=at,
                part=p.unit,
            )
            return
        self._single(part)
        self._require_status(ProposalStatus.HANDLING)
        a = self._assignment()
        authorise(org, Proposal, "ReplyDrafted", by=by, at=at, record=self)
        missing = [u for u in a.co_units if u not in self.co_opinions]
        if missing:
            raise CoHandlerOpinionsMissing(self.id, missing)
        self._reply_drafted(
            text=text(reply_text, "答复内容"), result=self.scheme.get(result), by=by, at=at
        )

    @event("ReplyDrafted")
    def _reply_drafted(
        self,
        text: str,
        result: ResultClass,
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        if part is not None:
            self._set_part(
                part, draft=(text, result), review=(), status=ProposalStatus.REPLY_IN_REVIEW
            )
            return
        self.draft = (text, result)
        self.review = ()
        self.status = ProposalStatus.REPLY_IN_REVIEW

    def review_reply(
        self,
        *,
        org: Organisation,
        checks: Mapping[ReplyCheck | str, bool],
        notes: Mapping[ReplyCheck | str, str] | None = None,
        part: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> tuple[ReplyCheck, ...]:
        """会审 "九看": the general office records each of the nine checks; a reply that fails
        any goes back to the lead unit with the failures listed [000 范文2 三 二]. In an
        item handled in parts, each part's reply is reviewed on its own (ADR 0050).
        Returns the failed checks."""
        self._check_time(at)
        unit: UnitId | None = None
        if self.parts:
            unit = self._part_at(part, ProposalStatus.REPLY_IN_REVIEW).unit
        else:
            self._single(part)
            self._require_status(ProposalStatus.REPLY_IN_REVIEW)
        facts = {} if unit is None else {"part": unit}
        authorise(org, Proposal, "ReplyReviewed", by=by, at=at, record=self, **facts)
        if not isinstance(checks, Mapping):
            raise InvalidInput(f"九看结果须逐项列出,而不是 {checks!r} (expected a mapping)")
        results: dict[ReplyCheck, bool] = {}
        for key, passed in checks.items():
            check = coerce_enum(ReplyCheck, key, "审核项目")
            if not isinstance(passed, bool):
                raise InvalidInput(f"{check.label} 的结论须为 True 或 False,而不是 {passed!r}")
            results[check] = passed
        missing = [c for c in ReplyCheck if c not in results]
        if missing:
            raise IncompleteReview(missing)
        if notes is not None and not isinstance(notes, Mapping):
            raise InvalidInput(f"审核意见须逐项列出,而不是 {notes!r} (expected a mapping)")
        remarks = {
            coerce_enum(ReplyCheck, k, "审核项目"): text(v, "审核意见", required=False)
            for k, v in (notes or {}).items()
        }
        recorded = [ReplyCheckResult(c, results[c], remarks.get(c, "")) for c in ReplyCheck]
        failed = [r.check for r in recorded if not r.passed]
        self._reply_reviewed(results=recorded, by=by, at=at, **facts)
        if failed:
            self._reply_returned(failed=failed, by=by, at=at, **facts)
        return tuple(failed)

    @event("ReplyReviewed")
    def _reply_reviewed(
        self,
        results: list[ReplyCheckResult],
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        passed = all(r.passed for r in results)
        if part is not None:
            status = ProposalStatus.REPLY_APPROVED if passed else self.parts[part].status
            self._set_part(part, review=tuple(results), status=status)
            return
        self.review = tuple(results)
        if passed:
            self.status = ProposalStatus.REPLY_APPROVED

    @event("ReplyReturned")
    def _reply_returned(
        self,
        failed: list[ReplyCheck],
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        if part is not None:
            self._set_part(part, status=ProposalStatus.HANDLING)
            return
        self.status = ProposalStatus.HANDLING

    def send_reply(
        self,
        *,
        org: Organisation,
        part: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """答复代表委员 the lead unit's head sends the reviewed reply to every proposer; only a
        reply that passed all nine checks goes out [000 范文2 三 二]. In an item handled in
        parts, each lead unit sends the reply to its own ``part`` (ADR 0050)."""
        self._check_time(at)
        if self.parts:
            p = self._part_at(part, *_PART_BEFORE_REPLY)
            if p.status is ProposalStatus.REPLY_IN_REVIEW:
                raise ReplyNotReviewed(self.id)
            if p.status is ProposalStatus.HANDLING and p.failed_checks:
                raise ReplyChecksFailed(self.id, p.failed_checks)
            if p.status is not ProposalStatus.REPLY_APPROVED or p.draft is None:
                raise PartNotReady(self.id, p.unit, p.status)
            authorise(org, Proposal, "Replied", by=by, at=at, record=self, part=p.unit)
            due = self._part_due(p)
            self._replied(
                recipients=[x.name for x in self.proposers],
                result=p.draft[1],
                round=len(p.replies) + 1,
                due=due,
                on_time=org.day_of(at) <= due,
                by=by,
                at=at,
                part=p.unit,
            )
            return
        self._single(part)
        if self.status is ProposalStatus.REPLY_IN_REVIEW:
            raise ReplyNotReviewed(self.id)
        if self.status is ProposalStatus.HANDLING and self.failed_checks:
            raise ReplyChecksFailed(self.id, self.failed_checks)
        self._require_status(ProposalStatus.REPLY_APPROVED)
        a = self._assignment()
        authorise(org, Proposal, "Replied", by=by, at=at, record=self)
        result = self._draft()[1]
        self._replied(
            recipients=[p.name for p in self.proposers],
            result=result,
            round=len(self.replies) + 1,
            due=a.due,
            on_time=org.day_of(at) <= a.due,
            by=by,
            at=at,
        )

    @event("Replied")
    def _replied(
        self,
        recipients: list[str],
        result: ResultClass,
        round: int,
        due: date,
        on_time: bool,
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        if part is not None:
            p = self.parts[part]
            text_ = p.draft[0] if p.draft is not None else ""
            sent = SentReply(round, text_, result, p.review, at, on_time)
            self._set_part(
                part,
                replies=(*p.replies, sent),
                ratings={**p.ratings, round: {}},
                solved=False,
                status=ProposalStatus.REPLIED,
            )
            return
        sent = SentReply(round, self._draft()[0], result, self.review, at, on_time)
        self.replies = (*self.replies, sent)
        self.ratings = {**self.ratings, round: {}}
        self.solved = False
        self.status = ProposalStatus.REPLIED

    # --- feedback, follow-up, closing -------------------------------------------------------

    def record_feedback(
        self,
        *,
        org: Organisation,
        calendar: ProposalCalendar,
        policy: ProposalPolicy,
        proposer: str,
        rating: Rating | str,
        opinion: str = "",
        part: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """征询意见 record one proposer's rating of the latest reply, from the returned opinion
        form; each proposer of a joint proposal rates separately. A 不满意 reopens handling
        with a new answer due within ``reanswer_months`` (reference notes §2.4). In an item
        handled in parts, the proposers rate each part's reply, and a 不满意 reopens that
        part only (ADR 0050)."""
        self._check_time(at)
        self._require_status(*OPEN)
        p: PartProgress | None = None
        if self.parts:
            if part is None:
                raise PartRequired(self.id, tuple(self.parts))
            p = self.parts.get(UnitId(part)) if isinstance(part, str) else None
            if p is None:
                raise NotAnAssignedUnit(self.id, str(part))
            replies, ratings, reopened = p.replies, p.ratings, p.reopened_rounds
        else:
            self._single(part)
            replies, ratings, reopened = self.replies, self.ratings, self.reopened_rounds
        if not replies:
            raise NothingToRate(self.id)
        facts = {} if p is None else {"part": p.unit}
        authorise(org, Proposal, "FeedbackReceived", by=by, at=at, record=self, **facts)
        self._proposer(proposer)
        given = coerce_enum(Rating, rating, "评价")
        round = len(replies)
        if proposer in ratings.get(round, {}):
            raise AlreadyRated(self.id, proposer, round)
        reopen_due = None
        if given is Rating.DISSATISFIED and round not in reopened:
            reopen_due = _months_calendar(calendar).add_months(
                org.day_of(at), _policy(policy).reanswer_months
            )
        self._feedback_received(
            proposer=proposer,
            rating=given,
            opinion=text(opinion, "意见", required=False),
            round=round,
            by=by,
            at=at,
            **facts,
        )
        if reopen_due is not None:
            self._reopened(
                round=round,
                due=reopen_due,
                reason=f"{proposer} 对答复不满意",
                by=by,
                at=at,
                **facts,
            )

    @event("FeedbackReceived")
    def _feedback_received(
        self,
        proposer: str,
        rating: Rating,
        opinion: str,
        round: int,
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        if part is not None:
            p = self.parts[part]
            ratings = {**p.ratings, round: {**p.ratings.get(round, {}), proposer: rating}}
            p = attrs.evolve(p, ratings=ratings)
            status = p.status
            if (
                status is ProposalStatus.REPLIED
                and not p.awaiting_feedback(self.proposers)
                and Rating.DISSATISFIED not in ratings[round].values()
            ):
                follow = p.replies[-1].result.follow_up
                status = ProposalStatus.FOLLOWING_UP if follow else ProposalStatus.TO_CLOSE
            self._set_part(part, ratings=ratings, status=status)
            return
        self.ratings = {**self.ratings, round: {**self.ratings.get(round, {}), proposer: rating}}
        if (
            self.status is ProposalStatus.REPLIED
            and not self.awaiting_feedback
            and Rating.DISSATISFIED not in self.ratings[round].values()
        ):
            follow = self.replies[-1].result.follow_up
            self.status = ProposalStatus.FOLLOWING_UP if follow else ProposalStatus.TO_CLOSE

    @event("Reopened")
    def _reopened(
        self,
        round: int,
        due: date,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        if part is not None:
            p = self.parts[part]
            self._set_part(
                part,
                due=due,
                reopened_rounds=p.reopened_rounds | {round},
                status=ProposalStatus.HANDLING,
                draft=None,
                review=(),
                last_urge_at=at,
                letter_for_due=None,
            )
            return
        self.assignment = attrs.evolve(self._assignment(), due=due, extendable=False)
        self.reopened_rounds = self.reopened_rounds | {round}
        self.status = ProposalStatus.HANDLING
        self.draft = None
        self.review = ()
        self.last_lead_urge_at = at
        self.letter_for_due = None

    def follow_up(
        self,
        *,
        org: Organisation,
        progress: str,
        solved: bool,
        part: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """跟踪落实 a B-class item (being solved, or in a plan) is followed up; once solved the
        lead unit answers the proposers again, and the item can close (reference notes §2.4).
        In an item handled in parts, each B-class part is followed up by its lead unit
        (ADR 0050)."""
        self._check_time(at)
        facts: dict[str, UnitId] = {}
        if self.parts:
            facts["part"] = self._part_at(part, _FOLLOWING).unit
        else:
            self._single(part)
            self._require_status(ProposalStatus.FOLLOWING_UP)
            self._assignment()
        authorise(org, Proposal, "FollowedUp", by=by, at=at, record=self, **facts)
        if not isinstance(solved, bool):
            raise InvalidInput(f"是否已解决须为 True 或 False,而不是 {solved!r}")
        self._followed_up(
            progress=text(progress, "落实情况"),
            solved=solved,
            recipients=[p.name for p in self.proposers] if solved else [],
            by=by,
            at=at,
            **facts,
        )

    @event("FollowedUp")
    def _followed_up(
        self,
        progress: str,
        solved: bool,
        recipients: list[str],
        by: PersonId,
        at: pendulum.DateTime,
        part: UnitId | None = None,
    ) -> None:
        if part is not None:
            p = self.parts[part]
            status = ProposalStatus.TO_CLOSE if solved else p.status
            self._set_part(
                part, follow_ups=p.follow_ups + 1, solved=p.solved or solved, status=status
            )
            return
        self.follow_ups += 1
        if solved:
            self.solved = True
            self.status = ProposalStatus.TO_CLOSE

    def close(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """办结 close an item once every proposer has rated the latest reply without
        dissatisfaction and, for a B-class result, the follow-up has reached a solution; an
        item handled in parts once every part may close (ADR 0050)."""
        self._check_time(at)
        if self.parts:
            for p in self.parts.values():
                if p.status is ProposalStatus.REPLIED:
                    raise FeedbackOutstanding(self.id, p.awaiting_feedback(self.proposers))
                if p.status is _FOLLOWING:
                    raise FollowUpOutstanding(self.id, p.replies[-1].result)
        elif self.status is ProposalStatus.REPLIED:
            raise FeedbackOutstanding(self.id, self.awaiting_feedback)
        elif self.status is ProposalStatus.FOLLOWING_UP:
            raise FollowUpOutstanding(self.id, self.replies[-1].result)
        self._require_status(ProposalStatus.TO_CLOSE)
        authorise(org, Proposal, "Closed", by=by, at=at, record=self)
        rating = self.overall_rating or Rating.SATISFIED  # TO_CLOSE: every proposer has rated
        if not self.parts:
            self._closed(result=self.replies[-1].result, rating=rating, by=by, at=at)
            return
        outcomes = [
            PartOutcome(p.unit, p.replies[-1].result, p.rating or Rating.SATISFIED)
            for p in self.parts.values()
        ]
        self._closed(result=outcomes[0].result, rating=rating, by=by, at=at, parts=outcomes)

    @event("Closed")
    def _closed(
        self,
        result: ResultClass,
        rating: Rating,
        by: PersonId,
        at: pendulum.DateTime,
        parts: list[PartOutcome] | None = None,
    ) -> None:
        self.status = ProposalStatus.CLOSED

    # --- the parts of an item handled in parts (分办, ADR 0050) ----------------------------

    def _single(self, part: object) -> None:
        """A single-lead item: ``part``, if given, can only name its lead unit."""
        if part is not None and part != self.lead_unit:
            raise NotAnAssignedUnit(self.id, str(part))

    def _part_at(self, part: object, *statuses: ProposalStatus) -> PartProgress:
        """The named part of an item in parts, at one of ``statuses``."""
        self._require_status(*_SPLIT_OPEN)
        if part is None:
            raise PartRequired(self.id, tuple(self.parts))
        found = self.parts.get(UnitId(part)) if isinstance(part, str) else None
        if found is None:
            raise NotAnAssignedUnit(self.id, str(part))
        if found.status not in statuses:
            raise PartNotReady(self.id, found.unit, found.status)
        return found

    def _part_due(self, part: PartProgress) -> date:
        """A part's deadline: its re-answer's, else the item's."""
        return part.due if part.due is not None else self._assignment().due

    def _set_part(self, unit: UnitId, **changes: Any) -> None:
        """One part moves on; the item's status follows its parts: 办理中 while any part is
        not yet answered, 已答复 while any answer awaits its ratings, 跟踪落实 while any
        part is followed up, then 待办结."""
        self.parts = {**self.parts, unit: attrs.evolve(self.parts[unit], **changes)}
        states = [p.status for p in self.parts.values()]
        if any(s in BEFORE_REPLY for s in states):
            self.status = ProposalStatus.HANDLING
        elif ProposalStatus.REPLIED in states:
            self.status = ProposalStatus.REPLIED
        elif _FOLLOWING in states:
            self.status = _FOLLOWING
        else:
            self.status = ProposalStatus.TO_CLOSE

    # --- links ---------------------------------------------------------------------------

    def link_supervision_task(
        self, *, task_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """督办 a supervision task opened from this item (来源: 建议提案); the supervision
        service saves the task and this link in one atomic write (see domain/links.py)."""
        self._check_time(at)
        self._require_status(*OPEN)
        if not isinstance(task_id, uuid.UUID):
            raise InvalidInput(f"督办事项编号 {task_id!r} 不正确 (expected a UUID)")
        if task_id in self.supervision_tasks:
            raise TaskAlreadyLinked(self.id, task_id)
        self._supervision_task_linked(task_id=task_id, by=by, at=at)

    @event("SupervisionTaskLinked")
    def _supervision_task_linked(
        self, task_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.supervision_tasks = (*self.supervision_tasks, task_id)

    # --- queries -------------------------------------------------------------------------

    @property
    def lead_unit(self) -> UnitId | None:
        """主办单位 (None before assignment)."""
        return self.assignment.lead_unit if self.assignment else None

    @property
    def co_units(self) -> tuple[UnitId, ...]:
        """协办单位."""
        return self.assignment.co_units if self.assignment else ()

    @property
    def units(self) -> tuple[UnitId, ...]:
        """承办单位: the lead unit first, then the co-handlers; in an item handled in parts,
        its lead units."""
        if self.assignment is None:
            return ()
        if self.assignment.parts:
            return tuple(p.unit for p in self.assignment.parts)
        return (self.assignment.lead_unit, *self.co_units)

    @property
    def lead_units(self) -> tuple[UnitId, ...]:
        """主办单位: the one lead unit, or each lead unit of an item handled in parts."""
        if self.assignment is None:
            return ()
        return tuple(self.parts) or (self.assignment.lead_unit,)

    @property
    def split(self) -> bool:
        """分办: handled in parts by several lead units (ADR 0050)."""
        return bool(self.parts)

    @property
    def due(self) -> date | None:
        """办理期限 the current deadline (None before assignment); in an item handled in
        parts, the earliest deadline of a part not yet answered."""
        if self.assignment is None:
            return None
        waiting = [self._part_due(p) for p in self.parts.values() if p.status in BEFORE_REPLY]
        return min(waiting) if waiting else self.assignment.due

    def part(self, unit: str) -> PartProgress:
        """The progress of ``unit``'s part of an item handled in parts."""
        found = self.parts.get(UnitId(unit)) if isinstance(unit, str) else None
        if found is None:
            raise NotAnAssignedUnit(self.id, str(unit))
        return found

    @property
    def joint(self) -> bool:
        """联名: more than one proposer."""
        return len(self.proposers) > 1

    @property
    def failed_checks(self) -> tuple[ReplyCheck, ...]:
        """The checks the latest review failed (none before a review; in parts, of any
        part)."""
        if self.parts:
            return tuple(dict.fromkeys(c for p in self.parts.values() for c in p.failed_checks))
        return tuple(r.check for r in self.review if not r.passed)

    @property
    def awaiting_feedback(self) -> tuple[str, ...]:
        """The proposers who have not yet rated the latest reply (in parts: of any part)."""
        if self.parts:
            return tuple(
                dict.fromkeys(
                    n for p in self.parts.values() for n in p.awaiting_feedback(self.proposers)
                )
            )
        if not self.replies:
            return ()
        rated = self.ratings.get(len(self.replies), {})
        return tuple(p.name for p in self.proposers if p.name not in rated)

    @property
    def overall_rating(self) -> Rating | None:
        """该件满意度: the lowest rating any proposer gave the latest reply (None before any);
        in an item handled in parts, the lowest over its parts' latest replies, once every
        part's has a rating (ADR 0050)."""
        if self.parts:
            ratings = [p.rating for p in self.parts.values()]
            if any(r is None for r in ratings):
                return None
            return Rating.lowest(r for r in ratings if r is not None)
        if not self.replies:
            return None
        return Rating.lowest(self.ratings.get(len(self.replies), {}).values())

    def is_overdue(self, at: pendulum.DateTime, zone: str) -> bool:
        """逾期: the current round is not answered yet and its deadline has passed (on the
        agency's calendar, ``zone``)."""
        today = local_time(at, zone).date()
        if self.parts:
            return any(
                p.status in BEFORE_REPLY and today > self._part_due(p) for p in self.parts.values()
            )
        return self.status in BEFORE_REPLY and self.due is not None and today > self.due

    # --- restructuring ---------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status is not ProposalStatus.CLOSED and self.assignment is not None

    def units_in_charge(self) -> frozenset[str]:
        a = self.assignment
        return frozenset() if a is None else frozenset({*self.units, a.lead_unit, *a.co_units})

    def hand_over_unit(
        self, *, from_unit: str, to_unit: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """交接 as for any record; an item in parts refuses to give one lead unit's part to
        another lead unit of the same item (the parts would become one, ADR 0050)."""
        if from_unit in self.parts and to_unit in self.parts:
            raise PartsCannotMerge(self.id, from_unit, to_unit)
        super().hand_over_unit(from_unit=from_unit, to_unit=to_unit, by=by, at=at)

    def _replace_unit(self, old: str, new: str) -> None:
        a = self._assignment()
        if a.parts:  # 分办: the part passes to the unit taking over (ADR 0023, 0050)
            renamed = UnitId(new)
            parts = tuple(attrs.evolve(p, unit=renamed) if p.unit == old else p for p in a.parts)
            self.assignment = attrs.evolve(a, parts=parts, lead_unit=parts[0].unit)
            self.parts = {
                (renamed if k == old else k): (
                    attrs.evolve(v, unit=renamed) if v.unit == old else v
                )
                for k, v in self.parts.items()
            }
            return
        lead = UnitId(new) if a.lead_unit == old else a.lead_unit
        co = tuple(dict.fromkeys(UnitId(new) if u == old else u for u in a.co_units if u != lead))
        self.assignment = attrs.evolve(a, lead_unit=lead, co_units=co)
        if old in self.co_opinions:
            self.co_opinions = {
                (UnitId(new) if k == old else k): v for k, v in self.co_opinions.items()
            }

    def _assignment(self) -> ProposalAssignment:
        if self.assignment is None:
            raise WrongStatus(f"{self.KIND} {self.id}", self.status, BEFORE_REPLY)
        return self.assignment

    def _draft(self) -> tuple[str, ResultClass]:
        if self.draft is None:
            raise WrongStatus(f"{self.KIND} {self.id}", self.status, (ProposalStatus.HANDLING,))
        return self.draft

    def _proposer(self, name: object) -> None:
        if not any(p.name == name for p in self.proposers):
            raise UnknownProposer(self.id, str(name))


# --- the authority of each step (ADR 0024) ---------------------------------------------------

_PROPOSAL_OFFICE = role(*_OFFICE)
_PROPOSAL_LEAD = HeadOf(lambda act: act.fact("part") or act.record.assignment.lead_unit, "主办单位")
"""The lead unit's head; in an item handled in parts, the head of the part's unit."""

AUTHORITY = declare(
    "Proposal",
    {
        "Submitted": step("登记建议提案", _PROPOSAL_OFFICE),
        "Assigned": step("交办建议提案", _PROPOSAL_OFFICE),
        "Reassigned": step("重新交办建议提案", _PROPOSAL_OFFICE),
        "AssignmentDisputed": step("提出交办异议", HeadOf(fact("unit"), "承办单位")),
        "CoHandlerOpinionGiven": step("提出协办意见", HeadOf(fact("unit"), "协办单位")),
        "ProposerMet": step(
            "走访见面", MemberOf(lambda act: list(act.record.lead_units), "主办单位")
        ),
        "Urged": step("催办建议提案", _PROPOSAL_OFFICE),
        "ExtensionGranted": step("批准延期", _PROPOSAL_OFFICE),
        "ReplyDrafted": step("拟写答复", _PROPOSAL_LEAD),
        "ReplyReviewed": step("会审答复", role(Role.OFFICE_REVIEWER)),
        "ReplyReturned": step("会审答复", role(Role.OFFICE_REVIEWER)),
        "Replied": step("答复代表委员", _PROPOSAL_LEAD),
        "FeedbackReceived": step("登记征询意见", _PROPOSAL_OFFICE),
        "Reopened": step("登记征询意见", _PROPOSAL_OFFICE),
        "FollowedUp": step("报告落实情况", _PROPOSAL_LEAD),
        "Closed": step("办结建议提案", _PROPOSAL_OFFICE),
        "SupervisionTaskLinked": step("立项督办", role(Role.SUPERVISION_OFFICER)),
    },
)
