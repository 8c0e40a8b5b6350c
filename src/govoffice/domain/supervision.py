"""督查督办 supervision tasks: a matter the office follows up until it is done and closed out.

A task is opened (立项) from a source — a meeting's decided item, a leader's instruction
(批示), an incoming document, a deputy's suggestion or a CPPCC proposal, a hotline or
mailbox case — with a registration number (督办编号), a responsible unit (承办/主办) and
co-units (协办), a deadline and an urgency. The supervision office urges it by prompt
sheet (督查提示单), phone, supervision letter (督办函, with a new deadline) or on site; the
unit reports progress, may ask for an extension before the deadline, and finally reports
completion with the four parts the seed requires. The supervision office reviews the
report (accepts, or rejects it and hands the task back), and closes the task out (销号)
only with an accepted result [000 范文4]. Missing a deadline (逾期) and a rejected report
(办理不合格) are failures of the responsible unit; a unit with two or more in a period is
named in a notice (通报, :mod:`govoffice.domain.supervision_notice`) [000 范文6 五 7].

A task may be split into child tasks (分解) for several units; the children's progress
rolls up into the parent, which can report completion only when every child is closed out.

Rules and their sources:

- completion report: 基本情况、调查情况、处理意见、落实情况 [003 篇6 二(三)第二];
- the report is signed by the responsible unit's head (主要负责同志签发) [003 篇6 二(三)第一];
- principal leaders' instructions, and hotline/mailbox cases, within ten days; extensions
  asked for beforehand and approved by the supervision office, at most twice and at most a
  week in all [003 篇6 二(三)第三];
- a rejected report goes back to the unit with new requirements [003 篇6 二(三)第四];
- no close-out without a result: supervision continues [000 范文4];
- urging by phone, by letter with a deadline for overdue items, on site [000 范文2];
  by prompt sheet [000 范文6 五 7];
- other default periods (公文 30 日, 会议纪要 20 日, 领导批示急件 1-5 日 / 非急件 15 日) are
  local practice (reference §2.6), deputies' suggestions three months (代表法 第43条,
  domain brief §5); all are configuration (:class:`DeadlinePolicy`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol, runtime_checkable

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import HeadOf, MemberOf, authorise, declare, role, step
from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, stable_topics
from govoffice.domain.errors import GovOfficeError, InvalidInput, RuleViolation
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.organisation import LEADER_ROLES, Organisation, Role
from govoffice.domain.values import (
    LabelledEnum,
    PersonId,
    UnitId,
    a_date,
    coerce_enum,
    local_time,
    text,
    texts,
    value_object,
)

TASK_NAMESPACE = uuid.UUID("0b1f6e0c-7d0a-4f54-8f11-5a0c2d9e3b71")
"""The ``by`` of decisions the office's time step records (逾期), not taken by a person."""

REGISTRATION_SERIES = "督办编号"
"""The :class:`~govoffice.domain.numbering.NumberSeries` kind of registration numbers."""


# --- vocabulary ----------------------------------------------------------------------------


class SupervisionStatus(LabelledEnum):
    """督办事项状态."""

    IN_PROGRESS = "in_progress", "办理中"
    REPORTED = "reported", "已报结待审核"
    ACCEPTED = "accepted", "审核通过待销号"
    CLOSED_OUT = "closed_out", "已销号"


class SupervisionUrgency(LabelledEnum):
    """缓急: 急件 have the short period of :attr:`DeadlinePolicy.urgent`."""

    NORMAL = "normal", "一般"
    URGENT = "urgent", "急件"


class UrgeChannel(LabelledEnum):
    """催办方式 [000 范文2; 000 范文6 五 7]."""

    PROMPT_SHEET = "prompt_sheet", "督查提示单"
    PHONE = "phone", "电话催办"
    SUPERVISION_LETTER = "supervision_letter", "督办函"
    ON_SITE = "on_site", "实地督办"


class FailureKind(LabelledEnum):
    """完不成工作: what counts against the responsible unit for a notice (通报)."""

    OVERDUE = "overdue", "逾期未办结"
    REJECTED = "rejected", "办理不合格"


class PeriodUnit(LabelledEnum):
    """How a deadline period is counted (see ADR 0010 for the Civil Code rules)."""

    DAYS = "days", "日"
    WORKING_DAYS = "working_days", "个工作日"
    MONTHS = "months", "个月"


# --- values -------------------------------------------------------------------------------


def _check_positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"{attribute.name} 必须是正整数,而不是 {value!r}", value=value)


def _check_part(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"子任务序号必须是非负整数,而不是 {value!r}", value=value)


@value_object
class SupervisionNumber:
    """督办编号 registration number: ``督〔2026〕12号``; a child task adds its part,
    ``督〔2026〕12-1号``. One series per year, gapless."""

    year: int = attrs.field(validator=_check_positive)
    serial: int = attrs.field(validator=_check_positive)
    part: int = attrs.field(default=0, validator=_check_part)

    def with_part(self, part: int) -> SupervisionNumber:
        return SupervisionNumber(self.year, self.serial, part)

    @classmethod
    def parse(cls, value: object) -> SupervisionNumber:
        match = (
            re.fullmatch(r"督〔(\d{4})〕(\d+)(?:-(\d+))?号", value.strip())
            if isinstance(value, str)
            else None
        )
        if match is None:
            raise InvalidInput(f"督办编号 {value!r} 格式不正确 (expected like 督〔2026〕12号)")
        return cls(int(match[1]), int(match[2]), int(match[3] or 0))

    def __str__(self) -> str:
        part = f"-{self.part}" if self.part else ""
        return f"督〔{self.year}〕{self.serial}{part}号"


COMPLETION_PARTS = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}


@value_object
class CompletionReport:
    """办理结果报告: must state 基本情况、调查情况、处理意见、落实情况
    [003 篇6 二(三)第二]; a report with a blank part is refused."""

    background: str
    investigation: str
    handling_opinion: str
    implementation: str

    def __attrs_post_init__(self) -> None:
        missing = [
            label
            for name, label in COMPLETION_PARTS.items()
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip()
        ]
        if missing:
            raise IncompleteCompletionReport(missing)


@value_object
class TaskPart:
    """分解事项 one part of a split task: the unit that handles it, what, by when."""

    part: int
    unit: UnitId
    title: str
    deadline: date


@value_object
class TaskFailure:
    """One failure of the responsible unit on a task: a missed deadline or a rejected report."""

    kind: FailureKind
    at: pendulum.DateTime


@runtime_checkable
class DayCounting(Protocol):
    """The calendar a deadline is counted on (``WorkingCalendar``, ADR 0010)."""

    def add_days(self, start: date, n: int) -> date: ...

    def add_working_days(self, start: date, n: int) -> date: ...

    def add_months(self, start: date, n: int) -> date: ...


@attrs.frozen
class DeadlinePeriod:
    """办理时限: ``n`` natural days (日, Civil Code arts. 201/203: the start day is not
    counted and a last day on a holiday moves to the next working day), working days (工作日)
    or months (个月, the corresponding day), with the rule it comes from."""

    n: int = attrs.field(validator=_check_positive)
    unit: PeriodUnit
    basis: str

    def end(self, start: date, calendar: DayCounting) -> date:
        if self.unit is PeriodUnit.WORKING_DAYS:
            return calendar.add_working_days(start, self.n)
        if self.unit is PeriodUnit.MONTHS:
            return calendar.add_months(start, self.n)
        return calendar.add_days(start, self.n)

    def __str__(self) -> str:
        return f"{self.n}{self.unit.label}"


@attrs.frozen
class DeadlinePolicy:
    """默认办理时限 and extension limits, by source and urgency (configuration).

    A deadline given when the task is opened always wins; these apply when none is given.
    """

    principal_instruction: DeadlinePeriod = DeadlinePeriod(
        10, PeriodUnit.DAYS, "[003 篇6 二(三)第三] 主要领导批示的告果件一律在十日内办结并上报"
    )
    leader_instruction: DeadlinePeriod = DeadlinePeriod(
        15, PeriodUnit.DAYS, "领导批示非急件15日 (地方通行规定, reference §2.6)"
    )
    urgent: DeadlinePeriod = DeadlinePeriod(
        5, PeriodUnit.WORKING_DAYS, "急件1-5日,默认取上限5个工作日 (地方通行规定, reference §2.6)"
    )
    hotline: DeadlinePeriod = DeadlinePeriod(
        10, PeriodUnit.DAYS, "[003 篇6 二(三)第三] 市长热线和县长信箱参照十日内完成调查处理并上报"
    )
    incoming_document: DeadlinePeriod = DeadlinePeriod(
        30, PeriodUnit.DAYS, "公文无明确时限的30日 (地方通行规定, reference §2.6)"
    )
    meeting_decision: DeadlinePeriod = DeadlinePeriod(
        20, PeriodUnit.DAYS, "会议纪要无明确时限的20日 (地方通行规定, reference §2.6)"
    )
    proposal: DeadlinePeriod = DeadlinePeriod(
        3, PeriodUnit.MONTHS, "建议提案自交办之日起三个月内答复 (代表法第43条, domain brief §5)"
    )
    max_extensions: int = 2
    """[003 篇6 二(三)第三] 延期不得超过两次."""
    max_extension_days: int = 7
    """[003 篇6 二(三)第三] 总延期时间不得超过一周 (natural days)."""

    def period_for(
        self, kind: SourceKind, urgency: SupervisionUrgency, by_principal: bool
    ) -> DeadlinePeriod:
        if urgency is SupervisionUrgency.URGENT:
            return self.urgent
        if kind is SourceKind.LEADER_INSTRUCTION:
            return self.principal_instruction if by_principal else self.leader_instruction
        return {
            SourceKind.HOTLINE: self.hotline,
            SourceKind.INCOMING_DOCUMENT: self.incoming_document,
            SourceKind.MEETING_DECISION: self.meeting_decision,
            SourceKind.PROPOSAL: self.proposal,
        }[kind]


DEFAULT_POLICY = DeadlinePolicy()


# --- errors -------------------------------------------------------------------------------


class IncompleteCompletionReport(RuleViolation):
    """[003 篇6 二(三)第二] 上报的调查处理结果务必有基本情况、调查情况、处理意见、落实情况."""

    def __init__(self, missing: Iterable[str]) -> None:
        missing = tuple(missing)
        super().__init__(
            f"办理结果报告缺少: {'、'.join(missing)};须写明基本情况、调查情况、处理意见、"
            "落实情况,否则不得上报 (the completion report needs all four parts)",
            missing=missing,
        )


class CloseOutWithoutResult(RuleViolation):
    """[000 范文4] 没有办理结果的不予销号,继续进行督办."""

    def __init__(self, task_id: object, status: SupervisionStatus) -> None:
        super().__init__(
            f"督办事项 {task_id} 尚无经审核通过的办理结果(当前「{status.label}」),不予销号,"
            "继续督办 (no close-out without an accepted result)",
            task_id=task_id,
            status=status,
        )


class DeadlineInPast(RuleViolation):
    def __init__(self, deadline: date, on: date) -> None:
        super().__init__(
            f"办理时限 {deadline} 不能早于或等于 {on} (a deadline must be after the day it is set)",
            deadline=deadline,
            on=on,
        )


class ExtensionTooLate(RuleViolation):
    """[003 篇6 二(三)第三] 暂时不能如期办理的,要提前向督查室汇报沟通,同意后再延期."""

    def __init__(self, task_id: object, deadline: date, on: date) -> None:
        super().__init__(
            f"督办事项 {task_id} 的时限 {deadline} 已过({on}),延期须在期限届满前提出 "
            "(an extension must be asked for before the deadline)",
            task_id=task_id,
            deadline=deadline,
            on=on,
        )


class ExtensionLimitExceeded(RuleViolation):
    """[003 篇6 二(三)第三] 延期不得超过两次,总延期时间不得超过一周."""

    def __init__(self, task_id: object, reason: str) -> None:
        super().__init__(
            f"督办事项 {task_id} 不能再延期: {reason} (延期不得超过两次,总延期不得超过一周)",
            task_id=task_id,
            reason=reason,
        )


class ExtensionAlreadyRequested(RuleViolation):
    def __init__(self, task_id: object, requested: date) -> None:
        super().__init__(
            f"督办事项 {task_id} 已有待批的延期申请(至 {requested}),请等待答复 "
            "(an extension request is already pending)",
            task_id=task_id,
            requested=requested,
        )


class NoExtensionRequested(RuleViolation):
    def __init__(self, task_id: object) -> None:
        super().__init__(
            f"督办事项 {task_id} 没有待批的延期申请 (no pending extension request)",
            task_id=task_id,
        )


class NewDeadlineRequired(RuleViolation):
    """[000 范文2] 对于逾期未办的,下发督办函,限定在规定期限内答复完毕."""

    def __init__(self, task_id: object) -> None:
        super().__init__(
            f"督办事项 {task_id}: 督办函须限定新的办理时限 (a supervision letter sets a new deadline)",
            task_id=task_id,
        )


class LetterCannotPostpone(RuleViolation):
    """An extension is asked for and approved; a letter may not quietly postpone a deadline."""

    def __init__(self, task_id: object, deadline: date, new_deadline: date) -> None:
        super().__init__(
            f"督办事项 {task_id} 尚未逾期(时限 {deadline}),督办函不能把时限推迟到 {new_deadline};"
            "延期须由承办单位申请并经督查室同意 (a letter cannot postpone a deadline not yet missed)",
            task_id=task_id,
            deadline=deadline,
            new_deadline=new_deadline,
        )


class ChildTasksOutstanding(RuleViolation):
    def __init__(self, task_id: object, open_parts: Iterable[str]) -> None:
        open_parts = tuple(open_parts)
        super().__init__(
            f"督办事项 {task_id} 的分解事项尚未全部销号: {'、'.join(open_parts)} "
            "(every child task must be closed out first)",
            task_id=task_id,
            open_parts=open_parts,
        )


class ChildDeadlineAfterParent(RuleViolation):
    def __init__(self, task_id: object, deadline: date, parent_deadline: date) -> None:
        super().__init__(
            f"分解事项的时限 {deadline} 晚于督办事项 {task_id} 的时限 {parent_deadline} "
            "(a child task cannot end after its parent)",
            task_id=task_id,
            deadline=deadline,
            parent_deadline=parent_deadline,
        )


class InstructingLeaderRequired(RuleViolation):
    def __init__(self, person_id: object) -> None:
        super().__init__(
            f"领导批示件须注明作出批示的局领导,{person_id!r} 不是 (a leader instruction names "
            "the leader who gave it)",
            person_id=person_id,
        )


class NotOverdue(RuleViolation):
    def __init__(self, task_id: object, deadline: date, at: object) -> None:
        super().__init__(
            f"督办事项 {task_id} 在 {at} 未逾期(时限 {deadline}) (not overdue)",
            task_id=task_id,
            deadline=deadline,
            at=at,
        )


class SourceCannotOpenTasks(GovOfficeError):
    """The source record is not of a kind that links supervision tasks."""

    def __init__(self, record_id: object, kind: str) -> None:
        super().__init__(
            f"记录 {record_id}({kind})不能作为督办事项的来源:它不记录督办关联 "
            "(this record cannot be the source of a supervision task)",
            record_id=record_id,
            kind=kind,
        )


# --- ids ------------------------------------------------------------------------------------


def task_id_for(source: SourceRef) -> uuid.UUID:
    """The one task id of a source item (uuid5 of :meth:`SourceRef.key`): opening the same
    item twice, even by two clerks at once, names the same task (exactly once)."""
    if not isinstance(source, SourceRef):
        raise InvalidInput(f"督办来源必须是 SourceRef,而不是 {source!r}", value=source)
    if source.record_id is None and not source.reference.strip():
        raise InvalidInput(
            f"督办来源「{source.kind.label}」须有来源记录编号或文号/受理编号 "
            "(a source needs a record id or a reference)",
            source=source,
        )
    return uuid.uuid5(TASK_NAMESPACE, source.key())


def child_task_id(parent_id: uuid.UUID, part: int) -> uuid.UUID:
    return uuid.uuid5(parent_id, f"part/{part}")


# --- the aggregate -----------------------------------------------------------------------


@stable_topics("supervision-task")
class SupervisionTask(OfficeAggregate):
    """督办事项 a supervised task, from 立项 to 销号."""

    KIND = "督办事项"

    @staticmethod
    def create_id(
        number: SupervisionNumber,
        source_kind: SourceKind,
        source_record_id: uuid.UUID | None,
        source_item: str,
        source_reference: str,
        parent_id: uuid.UUID | None,
    ) -> uuid.UUID:
        """Deterministic: a task's id follows from its source item (:func:`task_id_for`),
        a child's from its parent and part number, so nothing can open either twice."""
        if parent_id is not None:
            return child_task_id(parent_id, number.part)
        return task_id_for(SourceRef(source_kind, source_record_id, source_item, source_reference))

    @classmethod
    def open(
        cls,
        *,
        org: Organisation,
        number: SupervisionNumber,
        source: SourceRef,
        title: str,
        lead_unit: str,
        co_units: Iterable[str] = (),
        requirement: str = "",
        deadline: object = None,
        urgency: SupervisionUrgency | str = SupervisionUrgency.NORMAL,
        instructed_by: str | None = None,
        policy: DeadlinePolicy,
        calendar: DayCounting,
        by: PersonId,
        at: pendulum.DateTime,
        overdue_from_start: bool = False,
    ) -> SupervisionTask:
        """立项 register a task from its source, assign it to a unit (交办) with a deadline:
        the one given, or the policy's default for the source and urgency.

        ``overdue_from_start``: the deadline was fixed before the task could be opened (a
        meeting's decided item whose deadline fell before its minutes were signed) and may
        be on or before the opening day; one already passed makes the task overdue at once
        (逾期未办, recorded with the opening), so the supervision office follows it up with a
        supervision letter setting a new time limit (对于逾期未办的,及时下发有关督办函,限定在
        规定期限内答复完毕 [000 范文2 二 3 公文催办])."""
        authorise(org, cls, "Opened", by=by, at=at)
        task_id_for(source)  # the source must name a record or carry a reference
        if not isinstance(number, SupervisionNumber):
            raise InvalidInput(f"督办编号 {number!r} 不是 SupervisionNumber")
        lead = UnitId(org.require_unit_active(lead_unit, at).id)
        co = _co_units(org, lead, co_units, at)
        level = coerce_enum(SupervisionUrgency, urgency, "缓急")
        leader: PersonId | None = None
        if instructed_by is not None or source.kind is SourceKind.LEADER_INSTRUCTION:
            if not isinstance(instructed_by, str) or not any(
                org.holds(instructed_by, r, at) for r in LEADER_ROLES
            ):
                raise InstructingLeaderRequired(instructed_by)
            leader = PersonId(instructed_by)
        if deadline is None:
            principal = leader is not None and org.holds(leader, Role.PRINCIPAL_LEADER, at)
            period = policy.period_for(source.kind, level, principal)
            due = period.end(org.day_of(at), calendar)
            rule = f"{period}: {period.basis}"
        elif overdue_from_start:
            due = a_date(deadline, "办理时限")
            rule = "交办时明确的时限"
        else:
            due = _future(a_date(deadline, "办理时限"), org.day_of(at))
            rule = "交办时明确的时限"
        task = cls(
            number=number,
            source_kind=source.kind,
            source_record_id=source.record_id,
            source_item=source.item,
            source_reference=source.reference,
            title=text(title, "督办事项"),
            requirement=text(requirement, "办理要求", required=False),
            lead_unit=lead,
            co_units=list(co),
            deadline=due,
            deadline_rule=rule,
            urgency=level,
            instructed_by=leader,
            parent_id=None,
            by=by,
            at=at,
        )
        if overdue_from_start and due < org.day_of(at):
            task._went_overdue(due=due, by=TICK_ACTOR, at=at)
        return task

    @event("Opened")
    def __init__(
        self,
        *,
        number: SupervisionNumber,
        source_kind: SourceKind,
        source_record_id: uuid.UUID | None,
        source_item: str,
        source_reference: str,
        title: str,
        requirement: str,
        lead_unit: UnitId,
        co_units: list[UnitId],
        deadline: date,
        deadline_rule: str,
        urgency: SupervisionUrgency,
        instructed_by: PersonId | None,
        parent_id: uuid.UUID | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        # The source travels as four plain fields (not a SourceRef) so that the record id
        # is stored by the transcoder's own UUID handling.
        self.number = number
        self.source = SourceRef(source_kind, source_record_id, source_item, source_reference)
        self.title = title
        self.requirement = requirement
        self.lead_unit = lead_unit
        self.co_units = tuple(co_units)
        self.deadline = deadline
        self.deadline_rule = deadline_rule
        self.original_deadline = deadline
        self.urgency = urgency
        self.instructed_by = instructed_by
        self.parent_id = parent_id
        self.opened_by = by
        self.opened_at = at
        self.status = SupervisionStatus.IN_PROGRESS
        self.reported_percent = 0
        self.progress_reports = 0
        self.urges: dict[UrgeChannel, int] = {}
        self.pending_extension: date | None = None
        self.extensions_granted = 0
        self.extension_days = 0
        self.overdue_since: pendulum.DateTime | None = None
        self.ever_overdue = False
        self.failures: list[TaskFailure] = []
        self.completion: CompletionReport | None = None
        self.completion_at: pendulum.DateTime | None = None
        self.completion_due: date | None = None
        self.accepted_completion: CompletionReport | None = None
        self.rejections = 0
        self.parts: list[TaskPart] = []
        self.children: list[uuid.UUID] = []
        self.child_progress: dict[uuid.UUID, int] = {}
        self.closed_children: frozenset[uuid.UUID] = frozenset()
        self.closed_out_at: pendulum.DateTime | None = None

    # --- urging and progress --------------------------------------------------------------

    def urge(
        self,
        *,
        org: Organisation,
        channel: UrgeChannel | str,
        note: str = "",
        new_deadline: object = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """催办 by prompt sheet, phone, supervision letter or on site [000 范文2; 000 范文6 五 7].
        A letter (督办函) sets a new deadline; before the deadline has passed it may bring
        it forward but not postpone it (that is an extension's job)."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        authorise(org, SupervisionTask, "Urged", by=by, at=at, record=self)
        how = coerce_enum(UrgeChannel, channel, "催办方式")
        due: date | None = None
        if how is UrgeChannel.SUPERVISION_LETTER:
            if new_deadline is None:
                raise NewDeadlineRequired(self.id)
            due = _future(a_date(new_deadline, "新的办理时限"), org.day_of(at))
            if not self.overdue and due > self.deadline:
                raise LetterCannotPostpone(self.id, self.deadline, due)
        elif new_deadline is not None:
            raise InvalidInput(
                f"只有督办函限定新的办理时限,{how.label}不能 (only a letter sets a deadline)",
                channel=how,
            )
        self._urged(
            channel=how, note=text(note, "催办内容", required=False), new_deadline=due, by=by, at=at
        )

    @event("Urged")
    def _urged(
        self,
        channel: UrgeChannel,
        note: str,
        new_deadline: date | None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.urges[channel] = self.urges.get(channel, 0) + 1
        if new_deadline is not None:
            self._set_deadline(new_deadline)
            self.deadline_rule = "督办函限定"

    def report_progress(
        self,
        *,
        org: Organisation,
        percent: int,
        summary: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """进展情况报告 by a person of the responsible or a co-handling unit."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        authorise(org, SupervisionTask, "ProgressReported", by=by, at=at, record=self)
        self._progress_reported(
            percent=_percent(percent), summary=text(summary, "进展情况"), by=by, at=at
        )

    @event("ProgressReported")
    def _progress_reported(
        self, percent: int, summary: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.reported_percent = percent
        self.progress_reports += 1

    # --- extensions -----------------------------------------------------------------------

    def request_extension(
        self,
        *,
        org: Organisation,
        new_deadline: object,
        reason: str,
        progress: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
        policy: DeadlinePolicy = DEFAULT_POLICY,
    ) -> None:
        """申请延期: the responsible unit's head asks, before the deadline, with the reason,
        the progress so far and a new date [003 篇6 二(三)第三]."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        acting = authorise(
            org,
            SupervisionTask,
            "ExtensionRequested",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
        )
        if self.pending_extension is not None:
            raise ExtensionAlreadyRequested(self.id, self.pending_extension)
        today = org.day_of(at)
        if today > self.deadline:
            raise ExtensionTooLate(self.id, self.deadline, today)
        wanted = a_date(new_deadline, "申请延至")
        self._check_extension(wanted, policy)
        self._extension_requested(
            new_deadline=wanted,
            reason=text(reason, "延期理由"),
            progress=text(progress, "目前进展"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("ExtensionRequested")
    def _extension_requested(
        self,
        new_deadline: date,
        reason: str,
        progress: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.pending_extension = new_deadline

    def grant_extension(
        self,
        *,
        org: Organisation,
        opinion: str = "同意",
        new_deadline: object = None,
        policy: DeadlinePolicy = DEFAULT_POLICY,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """同意延期: the supervision office approves, to the date asked or an earlier one."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        authorise(org, SupervisionTask, "ExtensionGranted", by=by, at=at, record=self)
        if self.pending_extension is None:
            raise NoExtensionRequested(self.id)
        due = self.pending_extension if new_deadline is None else a_date(new_deadline, "延至")
        self._check_extension(due, policy)
        self._extension_granted(
            new_deadline=due,
            previous_deadline=self.deadline,
            opinion=text(opinion, "审批意见", required=False),
            by=by,
            at=at,
        )

    @event("ExtensionGranted")
    def _extension_granted(
        self,
        new_deadline: date,
        previous_deadline: date,
        opinion: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.extensions_granted += 1
        self.extension_days += (new_deadline - previous_deadline).days
        self.pending_extension = None
        self._set_deadline(new_deadline)
        self.deadline_rule = "经批准延期"

    def refuse_extension(
        self, *, org: Organisation, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """不同意延期, with the reason; the deadline stands."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        authorise(org, SupervisionTask, "ExtensionRefused", by=by, at=at, record=self)
        if self.pending_extension is None:
            raise NoExtensionRequested(self.id)
        self._extension_refused(reason=text(reason, "不同意延期的理由"), by=by, at=at)

    @event("ExtensionRefused")
    def _extension_refused(self, reason: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.pending_extension = None

    def _check_extension(self, wanted: date, policy: DeadlinePolicy) -> None:
        max_times, max_days = policy.max_extensions, policy.max_extension_days
        if wanted <= self.deadline:
            raise InvalidInput(
                f"申请延至 {wanted} 不晚于现时限 {self.deadline} (not an extension)",
                new_deadline=wanted,
                deadline=self.deadline,
            )
        if self.extensions_granted >= max_times:
            raise ExtensionLimitExceeded(self.id, f"已延期 {self.extensions_granted} 次")
        days = self.extension_days + (wanted - self.deadline).days
        if days > max_days:
            raise ExtensionLimitExceeded(self.id, f"累计延期将达 {days} 日,超过 {max_days} 日")

    # --- completion, review, close-out ------------------------------------------------------

    def complete(
        self,
        *,
        org: Organisation,
        report: CompletionReport,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """报结: the responsible unit's head signs the completion report
        [003 篇6 二(三)第一、第二]; a split task only once every part is closed out."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        acting = authorise(
            org, SupervisionTask, "Completed", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        if not isinstance(report, CompletionReport):
            raise InvalidInput(f"办理结果 {report!r} 不是 CompletionReport")
        open_parts = [
            str(self.number.with_part(p.part))
            for p, child in zip(self.parts, self.children, strict=True)
            if child not in self.closed_children
        ]
        if open_parts:
            raise ChildTasksOutstanding(self.id, open_parts)
        self._completed(
            report=report,
            due=self.deadline,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
            on=org.day_of(at),
        )

    @event("Completed")
    def _completed(
        self,
        report: CompletionReport,
        due: date,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
        on: date | None = None,
    ) -> None:
        self.status = SupervisionStatus.REPORTED
        self.completion = report
        self.completion_at = at
        self.completion_on = on
        self.completion_due = due
        self.pending_extension = None

    def accept_completion(
        self, *, org: Organisation, opinion: str = "", by: PersonId, at: pendulum.DateTime
    ) -> None:
        """审核通过 the supervision office accepts the reported result."""
        self._check_time(at)
        self._require_status(SupervisionStatus.REPORTED)
        authorise(org, SupervisionTask, "CompletionAccepted", by=by, at=at, record=self)
        self._completion_accepted(opinion=text(opinion, "审核意见", required=False), by=by, at=at)

    @event("CompletionAccepted")
    def _completion_accepted(self, opinion: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = SupervisionStatus.ACCEPTED
        self.accepted_completion = self.completion

    def reject_completion(
        self,
        *,
        org: Organisation,
        reason: str,
        new_deadline: object = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """退回重办: a result that is unclear or not implemented goes back to the unit with
        new requirements and, if given, a new deadline; it counts as a failure
        [003 篇6 二(三)第二、第四]."""
        self._check_time(at)
        self._require_status(SupervisionStatus.REPORTED)
        authorise(org, SupervisionTask, "CompletionRejected", by=by, at=at, record=self)
        due = (
            None
            if new_deadline is None
            else _future(a_date(new_deadline, "新的办理时限"), org.day_of(at))
        )
        self._completion_rejected(reason=text(reason, "退回理由"), new_deadline=due, by=by, at=at)

    @event("CompletionRejected")
    def _completion_rejected(
        self, reason: str, new_deadline: date | None, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.status = SupervisionStatus.IN_PROGRESS
        self.rejections += 1
        self.completion = None
        self.failures.append(TaskFailure(FailureKind.REJECTED, at))
        if new_deadline is not None:
            self._set_deadline(new_deadline)
            self.deadline_rule = "退回重新交办"

    def close_out(self, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> None:
        """销号: only with an accepted result; without one the task stays open and
        supervision continues [000 范文4]."""
        self._check_time(at)
        if self.status in (SupervisionStatus.IN_PROGRESS, SupervisionStatus.REPORTED):
            raise CloseOutWithoutResult(self.id, self.status)
        self._require_status(SupervisionStatus.ACCEPTED)
        authorise(org, SupervisionTask, "ClosedOut", by=by, at=at, record=self)
        self._closed_out(by=by, at=at)

    @event("ClosedOut")
    def _closed_out(self, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = SupervisionStatus.CLOSED_OUT
        self.closed_out_at = at

    # --- time -------------------------------------------------------------------------------

    def is_overdue_at(self, at: pendulum.DateTime, zone: str) -> bool:
        """Due to be marked overdue at ``at``: still being handled, no extension request
        waiting for an answer, past the last day of the deadline (on the agency's calendar,
        ``zone``), not yet marked for it."""
        return (
            self.status is SupervisionStatus.IN_PROGRESS
            and self.pending_extension is None
            and self.overdue_since is None
            and local_time(at, zone).date() > self.deadline
        )

    def go_overdue(self, *, at: pendulum.DateTime, zone: str) -> None:
        """逾期: recorded by the office's time step, once per deadline missed."""
        self._check_time(at)
        if not self.is_overdue_at(at, zone):
            raise NotOverdue(self.id, self.deadline, at)
        self._went_overdue(due=self.deadline, by=TICK_ACTOR, at=at)

    @event("WentOverdue")
    def _went_overdue(self, due: date, by: PersonId, at: pendulum.DateTime) -> None:
        self.overdue_since = at
        self.ever_overdue = True
        self.failures.append(TaskFailure(FailureKind.OVERDUE, at))

    # --- splitting ------------------------------------------------------------------------

    def split(
        self,
        *,
        org: Organisation,
        parts: Sequence[tuple[str, str] | tuple[str, str, object]],
        by: PersonId,
        at: pendulum.DateTime,
    ) -> list[SupervisionTask]:
        """分解: split the task into parts ``(unit, title[, deadline])`` for other units; each
        part is a child task, numbered ``督〔2026〕12-1号``, due no later than the parent."""
        self._check_time(at)
        self._require_status(SupervisionStatus.IN_PROGRESS)
        authorise(org, SupervisionTask, "Split", by=by, at=at, record=self)
        if self.parent_id is not None:
            raise InvalidInput(f"{self.number} 已是分解事项,不再分解 (child tasks are not split)")
        if isinstance(parts, str) or not parts:
            raise InvalidInput("分解事项不能为空 (at least one part)")
        built: list[TaskPart] = []
        for offset, spec in enumerate(parts, start=1):
            if not isinstance(spec, tuple) or len(spec) not in (2, 3):
                raise InvalidInput(f"分解事项 {spec!r} 应为 (处室, 事项[, 时限])")
            unit = UnitId(org.require_unit_active(spec[0], at).id)
            due = (
                self.deadline
                if len(spec) == 2
                else _future(a_date(spec[2], "时限"), org.day_of(at))
            )
            if due > self.deadline:
                raise ChildDeadlineAfterParent(self.id, due, self.deadline)
            built.append(TaskPart(len(self.parts) + offset, unit, text(spec[1], "分解事项"), due))
        children = [child_task_id(self.id, p.part) for p in built]
        self._split(parts=built, children=children, by=by, at=at)
        return [
            type(self)(
                number=self.number.with_part(p.part),
                source_kind=self.source.kind,
                source_record_id=self.source.record_id,
                source_item=self.source.item,
                source_reference=self.source.reference,
                title=p.title,
                requirement=self.requirement,
                lead_unit=p.unit,
                co_units=[],
                deadline=p.deadline,
                deadline_rule=f"分解自 {self.number}",
                urgency=self.urgency,
                instructed_by=self.instructed_by,
                parent_id=self.id,
                by=by,
                at=at,
            )
            for p in built
        ]

    @event("Split")
    def _split(
        self, parts: list[TaskPart], children: list[uuid.UUID], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.parts.extend(parts)
        self.children.extend(children)
        for child in children:
            self.child_progress[child] = 0

    def needs_roll_up(self, child: SupervisionTask) -> bool:
        """Whether ``child``'s progress or close-out differs from what this task recorded."""
        return child.id in self.children and (
            self.child_progress.get(child.id) != child.progress
            or (child.id in self.closed_children) != (child.status is SupervisionStatus.CLOSED_OUT)
        )

    def roll_up(self, *, child: SupervisionTask, by: PersonId, at: pendulum.DateTime) -> None:
        """汇总进度: record a child's progress, and whether it is closed out, on the parent.
        The roll-up is the parent's own bookkeeping of another record's step: it is dated at
        that step, or at the parent's latest step when that is later, so one unit entering
        its report dated before another unit's is never refused for the parent's clock."""
        last_at = getattr(self, "last_at", None)
        if last_at is not None and at < last_at:
            at = last_at
        if child.id not in self.children:
            raise InvalidInput(f"{child.number} 不是 {self.number} 的分解事项", child=child.id)
        self._child_progress_rolled_up(
            child_id=child.id,
            percent=child.progress,
            closed_out=child.status is SupervisionStatus.CLOSED_OUT,
            by=by,
            at=at,
        )

    @event("ChildProgressRolledUp")
    def _child_progress_rolled_up(
        self,
        child_id: uuid.UUID,
        percent: int,
        closed_out: bool,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.child_progress[child_id] = percent
        if closed_out:
            self.closed_children = self.closed_children | {child_id}

    # --- queries ----------------------------------------------------------------------------

    @property
    def overdue(self) -> bool:
        """逾期: marked overdue for the deadline now in force."""
        return self.overdue_since is not None

    @property
    def progress(self) -> int:
        """办理进度 in percent: the mean of the parts' progress for a split task, otherwise
        the last reported figure; 100 once the result is accepted."""
        if self.status in (SupervisionStatus.ACCEPTED, SupervisionStatus.CLOSED_OUT):
            return 100
        if self.children:
            return sum(self.child_progress.values()) // len(self.children)
        return self.reported_percent

    @property
    def on_time(self) -> bool | None:
        """按期办结: closed out, never overdue, and the accepted report made by its deadline
        (None while not closed out)."""
        if self.status is not SupervisionStatus.CLOSED_OUT:
            return None
        on = getattr(self, "completion_on", None)
        if on is None and self.completion_at is not None:  # recorded before the agency day
            on = self.completion_at.date()
        return (
            not self.ever_overdue
            and on is not None
            and self.completion_due is not None
            and on <= self.completion_due
        )

    # --- helpers ----------------------------------------------------------------------------

    def _set_deadline(self, deadline: date) -> None:
        self.deadline = deadline
        self.overdue_since = None

    # --- restructuring ---------------------------------------------------------------------

    UNIT_FIELDS = ("lead_unit", "co_units")

    @property
    def is_open(self) -> bool:
        return self.status in (SupervisionStatus.IN_PROGRESS, SupervisionStatus.REPORTED)


def _co_units(
    org: Organisation, lead: UnitId, co_units: Iterable[str], at: pendulum.DateTime
) -> tuple[UnitId, ...]:
    co: list[UnitId] = []
    for u in texts(co_units, "协办处室"):
        unit = UnitId(org.require_unit_active(u, at).id)
        if unit == lead or unit in co:
            raise InvalidInput(f"协办处室 {unit} 重复或与承办处室相同 (duplicate co-unit)")
        co.append(unit)
    return tuple(co)


def _future(deadline: date, today: date) -> date:
    """A deadline after ``today`` (the agency's day of the act)."""
    if deadline <= today:
        raise DeadlineInPast(deadline, today)
    return deadline


def _percent(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidInput(f"办理进度须为 0-100 的整数,而不是 {value!r}", value=value)
    return value


# --- the authority of each step (ADR 0024) ---------------------------------------------------

_OFFICER = role(Role.SUPERVISION_OFFICER)
_TASK_LEAD = HeadOf(lambda act: act.record.lead_unit, "承办处室")

AUTHORITY = declare(
    "SupervisionTask",
    {
        "Opened": step("督查立项", _OFFICER),
        "Urged": step("催办", _OFFICER),
        "ProgressReported": step(
            "报告督办事项进展",
            MemberOf(lambda act: [act.record.lead_unit, *act.record.co_units], "承办或协办处室"),
        ),
        "ExtensionRequested": step("申请延期", _TASK_LEAD),
        "ExtensionGranted": step("批准延期", _OFFICER),
        "ExtensionRefused": step("审批延期", _OFFICER),
        "Completed": step("签报办理结果", _TASK_LEAD),
        "CompletionAccepted": step("审核办理结果", _OFFICER),
        "CompletionRejected": step("审核办理结果", _OFFICER),
        "ClosedOut": step("销号", _OFFICER),
        "Split": step("分解督办事项", _OFFICER),
        "ChildProgressRolledUp": step("汇总分解事项进度", None),
    },
)
