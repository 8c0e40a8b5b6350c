"""收文 incoming documents: receive, register, screen, assign, instruct, handle, circulate,
urge, reply, archive [001 收文管理工作规程].

Flow: 签收 → 登记 → 初审 → 分办 → 阅批 → 催办 → 办理 → 传阅 → 答复 (→ 归档) [001 收文 四].
Each step is checked against the organisation as it stood at the step's business time and
recorded as an event with who, when and on whose behalf. A document that fails screening
is returned to its sender (退文) and handled no further.

Urging (催办) and overdue deadlines are time-driven: the application's ``tick`` asks
:meth:`IncomingDocument.due_urge` and :meth:`IncomingDocument.overdue_due` what is due at
a business time and records it with :meth:`IncomingDocument.record_due_urge` and
:meth:`IncomingDocument.record_overdue`; each due step is recorded exactly once, because
what is due is computed from the urges and overdue facts the document has already
recorded (ADR 0011).

The seed's text has no heading 五(三): its sections run 五(一), 五(二), 五(四)-五(七), and
citations here follow that numbering.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple, Protocol

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, stable_topics
from govoffice.domain.bounds import INT_BOUNDS
from govoffice.domain.document import Classification
from govoffice.domain.errors import (
    AlreadyExists,
    GovOfficeError,
    InvalidInput,
    PermissionDenied,
    ReasonRequired,
    RuleViolation,
    WrongStatus,
)
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.routing import IncomingFacts, RoutingTable, SenderType
from govoffice.domain.values import (
    LabelledEnum,
    PersonId,
    UnitId,
    a_date,
    coerce_enum,
    positive_int,
    text,
    texts,
    value_object,
)

RECEIPT_NUMBER_SERIES = "收文编号"
"""The kind of :class:`~govoffice.domain.numbering.NumberSeries` receipt numbers come from."""

"""``by`` of the events the time-driven step records (系统自动催办、逾期登记)."""

DESK_FUNCTIONS = (UnitFunction.GENERAL_OFFICE, UnitFunction.PARTY_WORK, UnitFunction.DISCIPLINE)
"""The units whose heads assign (分办) incoming documents [001 收文 五(一)2]."""

# --- vocabulary ----------------------------------------------------------------------------


class IncomingStatus(LabelledEnum):
    """收文状态 where an incoming document stands."""

    RECEIVED = "received", "已签收"
    REGISTERED = "registered", "已登记"
    SCREENED = "screened", "待分办"
    RETURNED = "returned", "已退文"
    CIRCULATING = "circulating", "传阅中"
    AWAITING_INSTRUCTION = "awaiting_instruction", "待阅批"
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "待承办"
    IN_HANDLING = "in_handling", "办理中"
    HANDLED = "handled", "已办结"
    REPLIED = "replied", "已答复"
    ARCHIVED = "archived", "已归档"


OPEN = (
    IncomingStatus.AWAITING_INSTRUCTION,
    IncomingStatus.AWAITING_ACCEPTANCE,
    IncomingStatus.IN_HANDLING,
)
"""送负责人批示或者交有关部门办理 and not yet handled: the statuses that are urged and can
go overdue [001 收文 五(六)]."""

AFTER_ASSIGNMENT = (
    *OPEN,
    IncomingStatus.CIRCULATING,
    IncomingStatus.HANDLED,
    IncomingStatus.REPLIED,
)


class ScreeningCheck(LabelledEnum):
    """初审 the five checks of a document from a lower agency [001 收文 五(一)1(1)]."""

    RIGHT_HANDLER = "right_handler", "是否应由本机关办理"
    CORRESPONDENCE_RULES = "correspondence_rules", "是否符合行文规则"
    LAWFUL = "lawful", "内容是否符合国家法律、法规及其他有关规定"
    CONSULTED = "consulted", "涉及其他部门或地区职权的事项是否已协商、会签"
    TYPE_AND_FORMAT = "type_and_format", "文种使用、公文格式是否规范"


class Importance(LabelledEnum):
    """轻重缓急 of an incoming document, which sets how often it is urged [001 收文 五(六)]."""

    URGENT = "urgent", "紧急公文"
    IMPORTANT = "important", "重要公文"
    ORDINARY = "ordinary", "一般公文"


class HandlingKind(LabelledEnum):
    """阅知性 / 批办性 [001 收文 五(二)]."""

    READING = "reading", "阅知性"
    ACTION = "action", "批办性"


class ReadingResult(LabelledEnum):
    """What a leader's 阅批 amounts to [001 收文 五(四)]."""

    INSTRUCTED = "instructed", "批示"
    AGREED = "agreed", "审阅视为同意"
    READ = "read", "已阅知"


class IncomingUrgeChannel(LabelledEnum):
    """催办方式."""

    SYSTEM = "system", "系统催办"
    PHONE = "phone", "电话催办"
    LETTER = "letter", "发函催办"
    ON_SITE = "on_site", "现场催办"


# --- values --------------------------------------------------------------------------------


def _serial(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    positive_int(value, "收文编号顺序号")


def _year(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 9999:
        raise InvalidInput(f"年份 {value!r} 不正确 (year must be a 4-digit year)", value=value)


def _code(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    text(value, "机关代字")


@value_object
class ReceiptNumber:
    """收文编号 internal receipt number: per agency and year, 1, 2, 3, ... without gaps
    [001 收文 五(一)1(3)]; written like ``X局收〔2026〕12号``."""

    code: str = attrs.field(validator=_code)
    year: int = attrs.field(validator=_year)
    serial: int = attrs.field(validator=_serial)

    def __str__(self) -> str:
        return f"{self.code}收〔{self.year}〕{self.serial}号"


@value_object
class ScreeningResult:
    """One check of 初审, passed or failed, with the secretary's note."""

    check: ScreeningCheck
    passed: bool
    note: str = ""


def _interval(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    positive_int(value, f"催办间隔({attribute.name}, 工作日)")


@value_object
class UrgingCadence:
    """催办周期 how many working days pass between urges, by importance [001 收文 五(六)]:
    紧急公文跟踪催办 (every working day), 重要公文重点催办 (every 2 working days), 一般公文定期
    催办 (weekly: every 5 working days). The figures are configuration; these are defaults."""

    urgent: int = attrs.field(default=1, validator=_interval)
    important: int = attrs.field(default=2, validator=_interval)
    ordinary: int = attrs.field(default=5, validator=_interval)

    def interval(self, importance: Importance) -> int:
        """The working days between two urges of a document of this importance."""
        return {
            Importance.URGENT: self.urgent,
            Importance.IMPORTANT: self.important,
            Importance.ORDINARY: self.ordinary,
        }[importance]


@value_object
class LeaderInstruction:
    """阅批 one leader's instruction or reading, as the 文件阅办单 shows it."""

    leader: PersonId
    result: ReadingResult
    opinion: str
    name: str
    by: PersonId
    at: pendulum.DateTime


class DueUrge(NamedTuple):
    """An urge the cadence makes due: the latest due time not yet covered, how many earlier
    due times it also covers (missed because nothing ran then), and the interval used."""

    due: pendulum.DateTime
    missed: int
    interval: int


class WorkingDayCalendar(Protocol):
    """What urging needs of the working-day calendar (see ADR 0010)."""

    def is_working_day(self, day: date) -> bool: ...


# --- errors --------------------------------------------------------------------------------


class DocumentReturnedToSender(WrongStatus):
    """[001 收文 五(一)1(1)] 对不符合要求的文件应退还原单位不予办理."""

    def __init__(self, record_id: object, reason: str) -> None:
        GovOfficeError.__init__(
            self,
            f"收文 {record_id} 初审不合格,已退还原单位,不予办理: {reason} "
            "(returned to the sender; not handled further)",
            record_id=record_id,
            status=IncomingStatus.RETURNED,
            allowed=(),
            reason=reason,
        )


class ScreeningIncomplete(InvalidInput):
    """Every one of the five checks must be answered, each once [001 收文 五(一)1(1)]."""

    def __init__(
        self, missing: Iterable[ScreeningCheck], repeated: Iterable[ScreeningCheck]
    ) -> None:
        missing, repeated = tuple(missing), tuple(repeated)
        parts = []
        if missing:
            parts.append("未审核: " + "、".join(c.label for c in missing))
        if repeated:
            parts.append("重复: " + "、".join(c.label for c in repeated))
        super().__init__(
            f"初审须逐项记录五项审核结果,{';'.join(parts)} (all five checks, each once)",
            missing=missing,
            repeated=repeated,
        )


class ClassifiedNotScanned(RuleViolation):
    """[001 收文 五(一)1(2)] only non-classified documents are scanned; classified ones are
    kept separately."""

    def __init__(self, record_id: object, classification: Classification) -> None:
        super().__init__(
            f"收文 {record_id} 为{classification.label}文件,须单独保存,不得扫描 "
            "(classified documents are not scanned)",
            record_id=record_id,
            classification=classification,
        )


class ReceiptNumberMismatch(RuleViolation):
    def __init__(self, record_id: object, number: ReceiptNumber, reason: str) -> None:
        super().__init__(
            f"收文编号 {number} 不能用于收文 {record_id}: {reason}",
            record_id=record_id,
            number=number,
            reason=reason,
        )


class InvalidAssignment(InvalidInput):
    """A 分办 that does not fit the kind of document (阅知性 / 批办性)."""

    def __init__(self, record_id: object, reason: str) -> None:
        super().__init__(
            f"收文 {record_id} 分办不正确: {reason}", record_id=record_id, reason=reason
        )


class DeadlineRequired(RuleViolation):
    """[001 收文 五(五); 党政机关公文处理工作条例 第二十四条] 紧急公文应当明确办理时限."""

    def __init__(self, record_id: object) -> None:
        super().__init__(
            f"收文 {record_id} 为紧急公文,分办时须明确办理时限 (an urgent document needs a deadline)",
            record_id=record_id,
        )


class NotALeader(InvalidInput):
    def __init__(self, person_id: str, day: date) -> None:
        super().__init__(
            f"{person_id} 在 {day} 不是局领导或局领导的代理人,不能呈其阅批 "
            "(not a leader or a leader's substitute)",
            person_id=person_id,
            day=day,
        )


class NotOnInstructionList(PermissionDenied):
    """Only the leaders the document was sent to instruct on it (or their substitutes)."""

    def __init__(self, record_id: object, person_id: str) -> None:
        super().__init__(person_id, f"阅批收文 {record_id}", "呈批名单中的局领导(或其代理人)")


class AlreadyInstructed(RuleViolation):
    def __init__(self, record_id: object, leader: str) -> None:
        super().__init__(
            f"{leader} 已阅批收文 {record_id} (already instructed)",
            record_id=record_id,
            leader=leader,
        )


class OpinionRequired(RuleViolation):
    """[001 收文 五(四)] 对有具体请示事项的,主批人应当明确签署意见、姓名和审批日期."""

    def __init__(self, record_id: object, leader: str) -> None:
        super().__init__(
            f"收文 {record_id} 有具体请示事项,主批人 {leader} 须明确签署意见 "
            "(the main approver must write an opinion)",
            record_id=record_id,
            leader=leader,
        )


class NotAHandlingUnit(RuleViolation):
    def __init__(self, record_id: object, unit: str) -> None:
        super().__init__(
            f"{unit} 不是收文 {record_id} 的承办处室 (not a handling unit of this document)",
            record_id=record_id,
            unit=unit,
        )


class CirculatedTwice(RuleViolation):
    """[001 收文 五(五)] 不得误传: a document is not sent twice to the same reader."""

    def __init__(self, record_id: object, people: Iterable[str]) -> None:
        people = tuple(people)
        super().__init__(
            f"收文 {record_id} 已传阅给 {'、'.join(people)},不得重复传阅 (already circulated to them)",
            record_id=record_id,
            people=people,
        )


class NotAHolder(RuleViolation):
    def __init__(self, record_id: object, person_id: str) -> None:
        super().__init__(
            f"收文 {record_id} 不在 {person_id} 处,无从确认阅毕 (the document is not with them)",
            record_id=record_id,
            person_id=person_id,
        )


class CirculationOutstanding(RuleViolation):
    """[001 收文 五(五)] 不得漏传、延误: every reader returns the document before it is archived."""

    def __init__(self, record_id: object, holders: Iterable[str]) -> None:
        holders = tuple(holders)
        super().__init__(
            f"收文 {record_id} 仍在 {'、'.join(holders)} 处传阅,未收回不能归档 (still in circulation)",
            record_id=record_id,
            holders=holders,
        )


class NoDeadline(RuleViolation):
    def __init__(self, record_id: object) -> None:
        super().__init__(
            f"收文 {record_id} 没有办理时限,无须说明延期 (the document has no deadline)",
            record_id=record_id,
        )


class DelayExplanationTooLate(RuleViolation):
    """[001 收文 五(五)] 紧急公文应当按时限要求办理,确有困难的,应当及时予以说明: before the
    deadline passes, not after."""

    def __init__(self, record_id: object, deadline: date) -> None:
        super().__init__(
            f"收文 {record_id} 的办理时限 {deadline} 已过,应在时限届满前说明 "
            "(explain a delay before the deadline passes)",
            record_id=record_id,
            deadline=deadline,
        )


class NothingDue(RuleViolation):
    """The time-driven step was asked to record something that is not due (or already is)."""

    def __init__(self, record_id: object, what: str, at: object) -> None:
        super().__init__(
            f"收文 {record_id} 在 {at} 没有到期的{what} (nothing due)",
            record_id=record_id,
            what=what,
            at=at,
        )


# --- rule helpers --------------------------------------------------------------------------


def desk_for(
    sender_type: SenderType,
    subject_tags: Iterable[str],
    table: RoutingTable,
    desks: Iterable[str],
) -> str | None:
    """分送分办 the unit whose head assigns the document [001 收文 五(一)2]: by the subject's
    归口 first (when it belongs to exactly one of the ``desks``), then by the nature of the
    sender, then the table's default unit; only ``desks`` (the general office, party-work
    and discipline units) assign, so a rule naming another unit is passed over. None when
    no rule names a desk."""
    desk_units = set(desks)
    by_subject = [u for u in table.units_for_subjects(subject_tags) if u in desk_units]
    if len(by_subject) == 1:
        return by_subject[0]
    rule = table.sender_rule(sender_type)
    for unit in (rule.unit if rule is not None else None, table.default_unit):
        if unit is not None and unit in desk_units:
            return unit
    return None


def _start_of(day: date, like: pendulum.DateTime) -> pendulum.DateTime:
    """00:00 of ``day`` in the time zone of ``like``."""
    return pendulum.datetime(day.year, day.month, day.day, tz=like.timezone or "UTC")


def _local_date(at: pendulum.DateTime, like: pendulum.DateTime) -> date:
    """The calendar day of ``at`` in the time zone of ``like``."""
    zone = like.timezone
    moment = at.in_timezone(zone) if zone is not None else at
    return date(moment.year, moment.month, moment.day)


def urge_due_days(
    since: date, until: date, interval: int, calendar: WorkingDayCalendar
) -> list[date]:
    """催办日 the days urges fall due: every ``interval``-th working day after ``since``
    (which is not counted, 民法典 第201条), up to and including ``until``.

    Only days up to ``until`` are asked of the calendar, so a step at the end of a year
    never needs the next year's holiday data.
    """
    positive_int(interval, "催办间隔")
    days: list[date] = []
    count = 0
    day = since
    while day < until:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
            if count % interval == 0:
                days.append(day)
    return days


# --- the aggregate -------------------------------------------------------------------------


@stable_topics("incoming-document")
class IncomingDocument(OfficeAggregate):
    """收文 an incoming official document, from 签收 to 归档."""

    KIND = "收文"

    # --- 签收 --------------------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        *,
        org: Organisation,
        sender: str,
        title: str,
        classification: Classification = Classification.NONE,
        copies: int = 1,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> IncomingDocument:
        """签收 the receiving secretary counts the copies and signs for the document; the
        time of signing is recorded [001 收文 五(一)1; 党政机关公文处理工作条例 第二十四条]."""
        org.require_role(by, Role.RECEIVING_SECRETARY, "签收来文", at)
        return cls(
            sender=text(sender, "来文单位"),
            title=text(title, "文件标题"),
            classification=coerce_enum(Classification, classification, "密级"),
            copies=positive_int(copies, "份数", maximum=INT_BOUNDS["copies"].high),
            by=by,
            at=at,
        )

    @event("Received")
    def __init__(
        self,
        *,
        sender: str,
        title: str,
        classification: Classification,
        copies: int,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.sender = sender
        self.title = title
        self.classification = classification
        self.copies = copies
        self.received_by = by
        self.received_at = at
        self.status = IncomingStatus.RECEIVED
        # 登记
        self.receipt_number: ReceiptNumber | None = None
        self.sender_type: SenderType | None = None
        self.sender_number = ""
        self.remarks = ""
        self.scan_ref: str | None = None
        self.subject_tags: tuple[str, ...] = ()
        self.from_superior = False
        self.policy_document = False
        self.importance = Importance.ORDINARY
        # 初审
        self.screening: tuple[ScreeningResult, ...] = ()
        self.desk: UnitId | None = None
        self.return_reason = ""
        # 分办
        self.kind: HandlingKind | None = None
        self.proposal = ""
        self.lead_unit: UnitId | None = None
        self.co_units: tuple[UnitId, ...] = ()
        self.leaders: tuple[PersonId, ...] = ()
        self.main_approver: PersonId | None = None
        self.asks_decision = False
        self.deadline: date | None = None
        self.assigned_at: pendulum.DateTime | None = None
        self.send_backs = 0
        # 阅批
        self.instructions: dict[PersonId, LeaderInstruction] = {}
        # 传阅
        self.circulated_to: tuple[PersonId, ...] = ()
        self.read_by: tuple[PersonId, ...] = ()
        # 催办、时限
        self.urged_until: pendulum.DateTime | None = None
        self.urge_count = 0
        self.overdue = False
        self.delay_explained = False
        # 办结、答复、归档
        self.result = ""
        self.handled_at: pendulum.DateTime | None = None
        self.reply = ""
        self.archived_original_with: UnitId | None = None
        self.supervision_tasks: tuple[uuid.UUID, ...] = ()

    # --- 登记 --------------------------------------------------------------------------------

    def register(
        self,
        *,
        org: Organisation,
        receipt_number: ReceiptNumber,
        sender_type: SenderType,
        by: PersonId,
        at: pendulum.DateTime,
        sender_number: str = "",
        importance: Importance = Importance.ORDINARY,
        remarks: str = "",
        scan_ref: str | None = None,
        subject_tags: Iterable[str] = (),
        from_superior: bool = False,
        policy_document: bool = False,
    ) -> None:
        """登记 the register entry: date received, the sender's document number, title,
        sender, receipt number, remarks [001 收文 五(一)1(3)], with the scanned copy of a
        non-classified document [五(一)1(2),(4)]. The receipt number comes from the agency's
        series for the year, taken in the same save."""
        self._check_time(at)
        self._require_status(IncomingStatus.RECEIVED)
        org.require_role(by, Role.RECEIVING_SECRETARY, "收文登记", at)
        if not isinstance(receipt_number, ReceiptNumber):
            raise InvalidInput(f"收文编号 {receipt_number!r} 不是 ReceiptNumber")
        if receipt_number.year != at.year:
            raise ReceiptNumberMismatch(self.id, receipt_number, f"年份应为登记年份 {at.year}")
        if receipt_number.code != org.agency_code:
            raise ReceiptNumberMismatch(self.id, receipt_number, f"代字应为 {org.agency_code}")
        if scan_ref is not None:
            if self.classification.is_classified:
                raise ClassifiedNotScanned(self.id, self.classification)
            scan_ref = text(scan_ref, "扫描件")
        for flag, what in ((from_superior, "上级来文"), (policy_document, "政策性文件")):
            if not isinstance(flag, bool):
                raise InvalidInput(f"{what} 必须是 True/False,而不是 {flag!r}", value=flag)
        self._registered(
            receipt_number=receipt_number,
            sender_type=coerce_enum(SenderType, sender_type, "来文单位性质"),
            sender_number=text(sender_number, "来文文号", required=False).strip(),
            importance=coerce_enum(Importance, importance, "重要程度"),
            remarks=text(remarks, "备注", required=False),
            scan_ref=scan_ref,
            subject_tags=list(texts(list(subject_tags), "来文事由")),
            from_superior=from_superior,
            policy_document=policy_document,
            by=by,
            at=at,
        )

    @event("Registered")
    def _registered(
        self,
        receipt_number: ReceiptNumber,
        sender_type: SenderType,
        sender_number: str,
        importance: Importance,
        remarks: str,
        scan_ref: str | None,
        subject_tags: list[str],
        from_superior: bool,
        policy_document: bool,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.receipt_number = receipt_number
        self.sender_type = sender_type
        self.sender_number = sender_number
        self.importance = importance
        self.remarks = remarks
        self.scan_ref = scan_ref
        self.subject_tags = tuple(subject_tags)
        self.from_superior = from_superior
        self.policy_document = policy_document
        self.status = IncomingStatus.REGISTERED

    # --- 初审 --------------------------------------------------------------------------------

    def screen(
        self,
        *,
        org: Organisation,
        results: Iterable[ScreeningResult],
        desk: str | None,
        by: PersonId,
        at: pendulum.DateTime,
        reason: str = "",
    ) -> bool:
        """初审 the five checks, each recorded [001 收文 五(一)1(1)]. A document that passes
        goes to ``desk``, the unit whose head assigns it [五(一)2]; one that fails is
        returned to the sender with the failed checks and ``reason`` (退文) and is handled
        no further. Returns whether it passed."""
        self._check_time(at)
        self._require_status(IncomingStatus.REGISTERED)
        org.require_role(by, Role.RECEIVING_SECRETARY, "收文初审", at)
        checked = list(results)
        for r in checked:
            if not isinstance(r, ScreeningResult):
                raise InvalidInput(f"初审结果 {r!r} 不是 ScreeningResult")
        seen = [r.check for r in checked]
        missing = [c for c in ScreeningCheck if c not in seen]
        repeated = [c for c in ScreeningCheck if seen.count(c) > 1]
        if missing or repeated:
            raise ScreeningIncomplete(missing, repeated)
        ordered = sorted(checked, key=lambda r: list(ScreeningCheck).index(r.check))
        failed = [r.check for r in ordered if not r.passed]
        if failed:
            reason = text(reason, "退文理由", required=False).strip()
            if not reason:
                raise ReasonRequired("退文")
            self._screened(results=ordered, passed=False, desk=None, by=by, at=at)
            self._returned(failed=failed, reason=reason, to=self.sender, by=by, at=at)
            return False
        if desk is None:
            raise InvalidInput(
                "无法确定分办处室: 分办规则既无对应规则也无默认处室 (no unit to assign the document)"
            )
        desk_unit = org.unit(desk)
        if not any(f in desk_unit.functions for f in DESK_FUNCTIONS):
            raise InvalidInput(
                f"{desk_unit.name} 不负责收文分办 (only the general office, party-work or "
                "discipline unit assigns incoming documents)",
                desk=desk,
            )
        self._screened(results=ordered, passed=True, desk=desk_unit.id, by=by, at=at)
        return True

    @event("Screened")
    def _screened(
        self,
        results: list[ScreeningResult],
        passed: bool,
        desk: UnitId | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.screening = tuple(results)
        self.desk = desk
        if passed:
            self.status = IncomingStatus.SCREENED

    @event("Returned")
    def _returned(
        self,
        failed: list[ScreeningCheck],
        reason: str,
        to: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.return_reason = reason
        self.status = IncomingStatus.RETURNED

    def routing_facts(self, concerned_units: Iterable[str] = ()) -> IncomingFacts:
        """拟办依据 what the routing rules look at in this document."""
        self._require_status(IncomingStatus.REGISTERED, IncomingStatus.SCREENED, *AFTER_ASSIGNMENT)
        if self.sender_type is None:  # pragma: no cover - registered implies a sender type
            raise WrongStatus(f"{self.KIND} {self.id}", self.status, (IncomingStatus.REGISTERED,))
        return IncomingFacts(
            sender_type=self.sender_type,
            subject_tags=self.subject_tags,
            is_policy_document=self.policy_document,
            from_superior=self.from_superior,
            concerned_units=texts(list(concerned_units), "承办处室"),
        )

    # --- 分办 --------------------------------------------------------------------------------

    def assign(
        self,
        *,
        org: Organisation,
        kind: HandlingKind,
        proposal: str,
        by: PersonId,
        at: pendulum.DateTime,
        lead_unit: str | None = None,
        co_units: Iterable[str] = (),
        leaders: Iterable[str] = (),
        main_approver: str | None = None,
        readers: Iterable[str] = (),
        asks_decision: bool = False,
        importance: Importance | None = None,
        deadline: date | None = None,
    ) -> None:
        """分办 the desk head's proposed handling (拟办意见) [001 收文 五(二)].

        A reading document (阅知性) goes to its reading list, which is circulated at once.
        An action document (批办性) goes to ``leaders`` for instruction (the first, or
        ``main_approver``, is the main approver) or, without leaders, straight to the lead
        unit; ``co_units`` co-handle [五(二)2(2)]. An urgent document needs a deadline
        [五(五); 条例 第二十四条].
        """
        self._check_time(at)
        self._require_status(IncomingStatus.SCREENED)
        if self.desk is None:  # pragma: no cover - screened implies a desk
            raise WrongStatus(f"{self.KIND} {self.id}", self.status, (IncomingStatus.SCREENED,))
        org.require_head_of(by, self.desk, "收文分办", at)
        kind = coerce_enum(HandlingKind, kind, "公文性质")
        proposal = text(proposal, "拟办意见")
        level = (
            self.importance
            if importance is None
            else coerce_enum(Importance, importance, "重要程度")
        )
        co = tuple(UnitId(org.unit(u).id) for u in texts(list(co_units), "协办处室"))
        chosen = tuple(PersonId(p) for p in texts(list(leaders), "呈批局领导"))
        reading_list = tuple(PersonId(p) for p in texts(list(readers), "传阅范围"))
        if not isinstance(asks_decision, bool):
            raise InvalidInput(f"有无请示事项必须是 True/False,而不是 {asks_decision!r}")
        when = None if deadline is None else a_date(deadline, "办理时限")
        if when is not None and when < _local_date(at, at):
            raise InvalidAssignment(self.id, f"办理时限 {when} 早于分办日期")
        for people, what in ((chosen, "呈批局领导"), (reading_list, "传阅范围")):
            if len(set(people)) != len(people):
                raise InvalidAssignment(self.id, f"{what}有重复人员")
        if kind is HandlingKind.READING:
            if (
                lead_unit is not None
                or co
                or chosen
                or main_approver is not None
                or when is not None
            ):
                raise InvalidAssignment(
                    self.id, "阅知性公文按传阅范围分送,不指定承办处室、呈批领导或办理时限"
                )
            if not reading_list:
                raise InvalidAssignment(self.id, "阅知性公文须确定传阅范围")
            for person in reading_list:
                org.person(person)
            lead, main = None, None
        else:
            if reading_list:
                raise InvalidAssignment(
                    self.id, "批办性公文由承办处室办理时传阅,分办时不定传阅范围"
                )
            if lead_unit is None:
                raise InvalidAssignment(self.id, "批办性公文须明确主办处室")
            lead = UnitId(org.unit(lead_unit).id)
            if lead in co or len(set(co)) != len(co):
                raise InvalidAssignment(self.id, "主办处室与协办处室不能重复")
            day = _local_date(at, at)
            for person in chosen:
                if not self._may_instruct(org, person, at):
                    raise NotALeader(person, day)
            main = PersonId(main_approver) if main_approver is not None else None
            if main is None and chosen:
                main = chosen[0]
            if main is not None and main not in chosen:
                raise InvalidAssignment(self.id, f"主批人 {main} 不在呈批名单中")
            if level is Importance.URGENT and when is None:
                raise DeadlineRequired(self.id)
        self._assigned(
            kind=kind,
            proposal=proposal,
            lead_unit=lead,
            co_units=list(co),
            leaders=list(chosen),
            main_approver=main,
            asks_decision=asks_decision,
            importance=level,
            deadline=when,
            by=by,
            at=at,
        )
        if reading_list:
            self._circulated(to=list(reading_list), by=by, at=at)

    @staticmethod
    def _may_instruct(org: Organisation, person: str, at: pendulum.DateTime) -> bool:
        if org.holds(person, Role.LEADER, at) or org.holds(person, Role.PRINCIPAL_LEADER, at):
            return True
        org.person(person)
        day = _local_date(at, at)
        return any(s.substitute == person and s.covers(day) for s in org.substitutions)

    @event("Assigned")
    def _assigned(
        self,
        kind: HandlingKind,
        proposal: str,
        lead_unit: UnitId | None,
        co_units: list[UnitId],
        leaders: list[PersonId],
        main_approver: PersonId | None,
        asks_decision: bool,
        importance: Importance,
        deadline: date | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.kind = kind
        self.proposal = proposal
        self.lead_unit = lead_unit
        self.co_units = tuple(co_units)
        self.leaders = tuple(leaders)
        self.main_approver = main_approver
        self.asks_decision = asks_decision
        self.importance = importance
        self.deadline = deadline
        self.assigned_at = at
        self.instructions = {}
        self.urged_until = None
        self.overdue = False
        self.delay_explained = False
        if kind is HandlingKind.READING:
            self.status = IncomingStatus.CIRCULATING
        elif leaders:
            self.status = IncomingStatus.AWAITING_INSTRUCTION
        else:
            self.status = IncomingStatus.AWAITING_ACCEPTANCE

    # --- 阅批 --------------------------------------------------------------------------------

    def instruct(
        self,
        *,
        org: Organisation,
        by: PersonId,
        at: pendulum.DateTime,
        opinion: str = "",
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """阅批 a leader on the list instructs or reads [001 收文 五(四)]: where the document
        asks for a decision the main approver signs an opinion, name and date, and the
        others' reading counts as agreement; otherwise reading means read. A substitute
        acts for an away leader [五(二)1(2)]. Once the main approver has instructed, the
        document goes to the lead unit."""
        self._check_time(at)
        self._require_status(*OPEN, IncomingStatus.HANDLED, IncomingStatus.REPLIED)
        acting = org.acting_for(by, on_behalf_of, at)
        if acting not in self.leaders:
            raise NotOnInstructionList(self.id, acting)
        if acting in self.instructions:
            raise AlreadyInstructed(self.id, acting)
        opinion = text(opinion, "批示意见", required=False).strip()
        main = acting == self.main_approver
        if main and self.asks_decision and not opinion:
            raise OpinionRequired(self.id, acting)
        if opinion:
            result = ReadingResult.INSTRUCTED
        elif self.asks_decision:
            result = ReadingResult.AGREED
        else:
            result = ReadingResult.READ
        self._instructed(
            opinion=opinion or result.label,
            result=result,
            main=main,
            name=org.person(by).name,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Instructed")
    def _instructed(
        self,
        opinion: str,
        result: ReadingResult,
        main: bool,
        name: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        leader = on_behalf_of or by
        self.instructions[leader] = LeaderInstruction(leader, result, opinion, name, by, at)
        if main and self.status is IncomingStatus.AWAITING_INSTRUCTION:
            self.status = IncomingStatus.AWAITING_ACCEPTANCE

    # --- 承办 --------------------------------------------------------------------------------

    def accept(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """承办 the lead unit's head takes the document on [001 收文 五(五)]."""
        self._check_time(at)
        self._require_status(IncomingStatus.AWAITING_ACCEPTANCE)
        org.require_head_of(by, self._lead(), "承办来文", at)
        self._handling_accepted(unit=self._lead(), by=by, at=at)

    @event("HandlingAccepted")
    def _handling_accepted(self, unit: UnitId, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = IncomingStatus.IN_HANDLING

    def send_back(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        unit: str | None = None,
    ) -> None:
        """退回局办 a unit sends back a document outside its remit, with the reason
        [001 收文 五(五)]. The lead unit sends it back before accepting it, and it returns
        to the general office for reassignment; a co-handling unit drops out of it."""
        self._check_time(at)
        self._require_status(IncomingStatus.AWAITING_ACCEPTANCE, IncomingStatus.IN_HANDLING)
        lead = self._lead()
        target = UnitId(text(unit, "退回处室")) if unit is not None else lead
        if target != lead and target not in self.co_units:
            raise NotAHandlingUnit(self.id, target)
        if target == lead:
            self._require_status(IncomingStatus.AWAITING_ACCEPTANCE)
        org.require_head_of(by, target, "退回来文", at)
        reason = text(reason, "退回理由", required=False).strip()
        if not reason:
            raise ReasonRequired("退回局办")
        offices = org.units_with(UnitFunction.GENERAL_OFFICE)
        returned_to = offices[0] if offices and target == lead else None
        if target == lead and returned_to is None:
            raise InvalidInput("机关未设办公室,无从退回局办 (no general office to return it to)")
        self._sent_back(unit=target, reason=reason, returned_to=returned_to, by=by, at=at)

    @event("SentBack")
    def _sent_back(
        self,
        unit: UnitId,
        reason: str,
        returned_to: UnitId | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        if returned_to is None:
            self.co_units = tuple(u for u in self.co_units if u != unit)
            return
        self.send_backs += 1
        self.desk = returned_to
        self.status = IncomingStatus.SCREENED
        self.lead_unit = None
        self.co_units = ()
        self.leaders = ()
        self.main_approver = None
        self.deadline = None
        self.assigned_at = None
        self.urged_until = None

    def explain_delay(
        self,
        *,
        org: Organisation,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        expected_by: date | None = None,
    ) -> None:
        """说明 the lead unit that cannot meet the deadline says why, before it passes
        [001 收文 五(五) 紧急公文应当按时限要求办理,确有困难的,应当及时予以说明]."""
        self._check_time(at)
        self._require_status(IncomingStatus.AWAITING_ACCEPTANCE, IncomingStatus.IN_HANDLING)
        org.require_head_of(by, self._lead(), "说明办理困难", at)
        if self.deadline is None or self.assigned_at is None:
            raise NoDeadline(self.id)
        if at >= self.overdue_from():
            raise DelayExplanationTooLate(self.id, self.deadline)
        reason = text(reason, "延期理由", required=False).strip()
        if not reason:
            raise ReasonRequired("不能按时办结")
        expected = None if expected_by is None else a_date(expected_by, "预计办结日期")
        if expected is not None and expected <= self.deadline:
            raise InvalidInput(
                f"预计办结日期 {expected} 应晚于办理时限 {self.deadline} (expected after the deadline)"
            )
        self._delay_explained(reason=reason, expected_by=expected, by=by, at=at)

    @event("DelayExplained")
    def _delay_explained(
        self, reason: str, expected_by: date | None, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.delay_explained = True

    def handle(
        self, *, org: Organisation, result: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """办结 the lead unit records the outcome [001 收文 五(五)]; whether it met the
        deadline is recorded with it."""
        self._check_time(at)
        self._require_status(IncomingStatus.IN_HANDLING)
        org.require_head_of(by, self._lead(), "办结来文", at)
        on_time = None if self.deadline is None else at < self.overdue_from()
        self._handled(result=text(result, "办理结果"), on_time=on_time, by=by, at=at)

    @event("Handled")
    def _handled(
        self, result: str, on_time: bool | None, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.result = result
        self.handled_at = at
        self.status = IncomingStatus.HANDLED

    def reply_to_sender(
        self, *, org: Organisation, content: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """答复 the lead unit tells the sender the outcome [001 收文 五(五)]."""
        self._check_time(at)
        self._require_status(IncomingStatus.HANDLED)
        org.require_head_of(by, self._lead(), "答复来文单位", at)
        self._replied(to=self.sender, content=text(content, "答复内容"), by=by, at=at)

    @event("Replied")
    def _replied(self, to: str, content: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.reply = content
        self.status = IncomingStatus.REPLIED

    # --- 传阅 --------------------------------------------------------------------------------

    def circulate(
        self, *, org: Organisation, to: Iterable[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        """传阅 send the document to readers, keeping track of where it is: nobody is sent
        it twice by mistake (不得误传) [001 收文 五(五)]."""
        self._check_time(at)
        self._require_status(
            IncomingStatus.CIRCULATING,
            IncomingStatus.IN_HANDLING,
            IncomingStatus.HANDLED,
            IncomingStatus.REPLIED,
        )
        allowed = org.holds(by, Role.RECEIVING_SECRETARY, at) or any(
            u is not None and org.is_head_of(by, u, at) for u in (self.desk, self.lead_unit)
        )
        if not allowed:
            org.person(by)
            raise PermissionDenied(by, "传阅来文", "收文秘书、分办处室或主办处室负责人")
        readers = tuple(PersonId(p) for p in texts(list(to), "传阅对象"))
        if not readers:
            raise InvalidInput("传阅对象不能为空 (name at least one reader)")
        for person in readers:
            org.person(person)
        twice = [
            p for p in dict.fromkeys(readers) if p in self.circulated_to or readers.count(p) > 1
        ]
        if twice:
            raise CirculatedTwice(self.id, twice)
        self._circulated(to=list(readers), by=by, at=at)

    @event("Circulated")
    def _circulated(self, to: list[PersonId], by: PersonId, at: pendulum.DateTime) -> None:
        self.circulated_to = (*self.circulated_to, *to)

    def confirm_read(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """阅毕 a reader who holds the document confirms having read it and returns it."""
        self._check_time(at)
        self._require_status(*AFTER_ASSIGNMENT)
        org.person(by)
        if by not in self.holders:
            raise NotAHolder(self.id, by)
        self._read_confirmed(by=by, at=at)

    @event("ReadConfirmed")
    def _read_confirmed(self, by: PersonId, at: pendulum.DateTime) -> None:
        self.read_by = (*self.read_by, by)

    @property
    def holders(self) -> tuple[PersonId, ...]:
        """传阅中 the readers who have the document now and have not returned it."""
        return tuple(p for p in self.circulated_to if p not in self.read_by)

    def whereabouts(self) -> tuple[str, ...]:
        """公文去向 who has the document now: the leaders still to instruct, the lead unit,
        and the readers it is circulating to."""
        here: list[str] = []
        if self.status is IncomingStatus.AWAITING_INSTRUCTION:
            here.extend(p for p in self.leaders if p not in self.instructions)
        elif self.status in (IncomingStatus.AWAITING_ACCEPTANCE, IncomingStatus.IN_HANDLING):
            here.append(self._lead())
        elif self.status in (IncomingStatus.RECEIVED, IncomingStatus.REGISTERED):
            here.append(self.received_by)
        elif self.status is IncomingStatus.SCREENED and self.desk is not None:
            here.append(self.desk)
        here.extend(p for p in self.holders if p not in here)
        return tuple(here)

    # --- 催办、时限 ----------------------------------------------------------------------------

    def urge(
        self,
        *,
        org: Organisation,
        channel: IncomingUrgeChannel,
        cadence: UrgingCadence,
        calendar: WorkingDayCalendar,
        by: PersonId,
        at: pendulum.DateTime,
        note: str = "",
    ) -> None:
        """催办 the receiving secretary or a supervision officer chases the document by
        phone, letter or on site [001 收文 五(六); 条例 第二十四条 6]. The urge covers the
        cadence's due urge, if one is due, so the time-driven step does not repeat it."""
        self._check_time(at)
        self._require_status(*OPEN)
        org.require_role(by, (Role.RECEIVING_SECRETARY, Role.SUPERVISION_OFFICER), "催办来文", at)
        channel = coerce_enum(IncomingUrgeChannel, channel, "催办方式")
        if channel is IncomingUrgeChannel.SYSTEM:
            raise InvalidInput("系统催办只由定时步骤记录 (the system channel is the tick's own)")
        due = self.due_urge(cadence=cadence, calendar=calendar, at=at)
        self._urged(
            channel=channel,
            targets=list(self.whereabouts()),
            due=None if due is None else due.due,
            missed=0 if due is None else due.missed,
            interval=cadence.interval(self.importance),
            note=text(note, "催办记录", required=False),
            by=by,
            at=at,
        )

    def due_urge(
        self, *, cadence: UrgingCadence, calendar: WorkingDayCalendar, at: pendulum.DateTime
    ) -> DueUrge | None:
        """The urge due at ``at`` that no recorded urge covers yet, if any.

        Urges fall due at 00:00 of every ``interval``-th working day after the assignment
        (:func:`urge_due_days`), while the document is open. The latest due time at ``at``
        is due if it is later than the latest one already covered; earlier due times it
        skips count as ``missed``. Nothing is due at a time before the document's last
        recorded step (a step cannot be dated before it)."""
        if self.status not in OPEN or self.assigned_at is None:
            return None
        if self.last_at is not None and at < self.last_at:
            return None
        interval = cadence.interval(self.importance)
        anchor = self.assigned_at
        days = urge_due_days(
            _local_date(anchor, anchor), _local_date(at, anchor), interval, calendar
        )
        dues = [
            d
            for d in (_start_of(day, anchor) for day in days)
            if d <= at and (self.urged_until is None or d > self.urged_until)
        ]
        if not dues:
            return None
        return DueUrge(due=dues[-1], missed=len(dues) - 1, interval=interval)

    def record_due_urge(
        self, *, cadence: UrgingCadence, calendar: WorkingDayCalendar, at: pendulum.DateTime
    ) -> None:
        """系统催办 the time-driven step records the urge due at ``at`` (exactly once)."""
        self._check_time(at)
        due = self.due_urge(cadence=cadence, calendar=calendar, at=at)
        if due is None:
            raise NothingDue(self.id, "催办", at)
        self._urged(
            channel=IncomingUrgeChannel.SYSTEM,
            targets=list(self.whereabouts()),
            due=due.due,
            missed=due.missed,
            interval=due.interval,
            note="",
            by=TICK_ACTOR,
            at=at,
        )

    @event("Urged")
    def _urged(
        self,
        channel: IncomingUrgeChannel,
        targets: list[str],
        due: pendulum.DateTime | None,
        missed: int,
        interval: int,
        note: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.urge_count += 1
        if due is not None:
            self.urged_until = due

    def overdue_from(self) -> pendulum.DateTime:
        """逾期 the moment the deadline has passed: 24:00 of the deadline day, in the time
        zone of the assignment (民法典 第203条)."""
        if self.deadline is None or self.assigned_at is None:
            raise NoDeadline(self.id)
        return _start_of(self.deadline + timedelta(days=1), self.assigned_at)

    def overdue_due(self, at: pendulum.DateTime) -> bool:
        """Is the deadline passed at ``at`` for an open document, and not yet recorded?"""
        return (
            self.status in OPEN
            and self.deadline is not None
            and not self.overdue
            and (self.last_at is None or at >= self.last_at)
            and at >= self.overdue_from()
        )

    def record_overdue(self, *, at: pendulum.DateTime) -> None:
        """逾期 the time-driven step records that the deadline passed (exactly once)."""
        self._check_time(at)
        if not self.overdue_due(at) or self.deadline is None:
            raise NothingDue(self.id, "逾期", at)
        self._went_overdue(
            deadline=self.deadline,
            delay_explained=self.delay_explained,
            targets=list(self.whereabouts()),
            by=TICK_ACTOR,
            at=at,
        )

    @event("WentOverdue")
    def _went_overdue(
        self,
        deadline: date,
        delay_explained: bool,
        targets: list[str],
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.overdue = True

    # --- 归档 --------------------------------------------------------------------------------

    def archive(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """归档 the lead unit keeps the original, co-handling units keep copies
        [001 收文 五(七)]; a reading document's original stays with the desk. Not while a
        reader still has it (不得漏传)."""
        self._check_time(at)
        self._require_status(
            IncomingStatus.CIRCULATING, IncomingStatus.HANDLED, IncomingStatus.REPLIED
        )
        keeper = self.lead_unit or self.desk
        if keeper is None:  # pragma: no cover - assigned implies a desk
            raise WrongStatus(f"{self.KIND} {self.id}", self.status, (IncomingStatus.HANDLED,))
        if not (org.holds(by, Role.ARCHIVIST, at) or org.is_head_of(by, keeper, at)):
            org.person(by)
            raise PermissionDenied(by, "收文归档", "档案管理员或主办处室负责人")
        if self.holders:
            raise CirculationOutstanding(self.id, self.holders)
        self._archived(original_with=keeper, copies_with=list(self.co_units), by=by, at=at)

    @event("Archived")
    def _archived(
        self, original_with: UnitId, copies_with: list[UnitId], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.archived_original_with = original_with
        self.status = IncomingStatus.ARCHIVED

    # --- 督办 --------------------------------------------------------------------------------

    def link_supervision_task(
        self, *, task_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """立项督办 a supervision task is opened from this document (see domain/links.py);
        the supervision service saves the task and this link in one write."""
        self._check_time(at)
        self._require_status(*AFTER_ASSIGNMENT, IncomingStatus.ARCHIVED)
        if not isinstance(task_id, uuid.UUID):
            raise InvalidInput(f"督办事项编号 {task_id!r} 不是 UUID")
        if task_id in self.supervision_tasks:
            raise AlreadyExists(f"收文 {self.id} 的督办事项", task_id)
        self._supervision_task_linked(task_id=task_id, by=PersonId(text(by, "by")), at=at)

    @event("SupervisionTaskLinked")
    def _supervision_task_linked(
        self, task_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.supervision_tasks = (*self.supervision_tasks, task_id)

    # --- helpers -----------------------------------------------------------------------------

    def _require_status(self, *allowed: Any) -> None:
        if self.status is IncomingStatus.RETURNED and IncomingStatus.RETURNED not in allowed:
            raise DocumentReturnedToSender(self.id, self.return_reason)
        super()._require_status(*allowed)

    def _lead(self) -> UnitId:
        if self.lead_unit is None:
            raise WrongStatus(f"{self.KIND} {self.id}", self.status, OPEN)
        return self.lead_unit

    def reading_sheet(self) -> dict[str, object]:
        """文件阅办单 the routing sheet of [001 收文 图2]: number, receipt number, classification,
        date received, sender, title, proposed handling, leaders' opinions, handling."""
        return {
            "文号": self.sender_number,
            "编号": str(self.receipt_number) if self.receipt_number else "",
            "密级": self.classification.label,
            "收文日期": self.received_at.date(),
            "来文单位": self.sender,
            "文件标题": self.title,
            "拟办意见": self.proposal,
            "领导意见": [
                f"{i.name}: {i.opinion} ({i.at.date()})" for i in self.instructions.values()
            ],
            "办理情况": self.result,
        }
