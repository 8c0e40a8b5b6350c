"""会议 the `Meeting` aggregate: a planned meeting (from an approved plan row) or an
unplanned one (签报), through countersigning and approval, agenda, notice, answers and leave,
rostrum seating, sign-in, the meeting itself, attendance, minutes and their decided items
(which open supervision tasks), costs, evaluation and archive
[001 会议管理工作规程; 000 范文6; 002; 004].
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, stable_topics
from govoffice.domain.errors import AlreadyExists, InvalidInput, PermissionDenied
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting.attendance import (
    LeaderOnLeave,
    MeetingAttendance,
    MeetingLeave,
    MeetingNotYetStarted,
    MeetingSignIn,
    NotInvited,
    SignInInPerson,
    TooLateForMeeting,
    WrongLeaveApprover,
)
from govoffice.domain.meeting.checks import (
    LEADER_ROLES,
    NothingToExcept,
    _acting_leader,
    _chair_and_approvers,
    _future,
    _known_people,
    uncovered_breaches,
)
from govoffice.domain.meeting.closing import (
    CashSettlementRefused,
    LateArchiveReasonRequired,
    MeetingCostSettlement,
    MeetingEvaluation,
    MeetingOverBudget,
    SignInSheetRequired,
)
from govoffice.domain.meeting.minutes import (
    DecidedItem,
    DecidedItemAlreadyLinked,
    DecisionsNotFinal,
    MeetingMinutes,
    MinutesFrozen,
    MinutesRequired,
)
from govoffice.domain.meeting.plan import MeetingPlan
from govoffice.domain.meeting.preparation import (
    MaterialsDeadlinePassed,
    MaterialsMissing,
    MeetingAgendaItem,
    MeetingCountersignature,
    MeetingCountersignMissing,
    MeetingNotice,
    NotAMeetingCountersigner,
    NotMergeable,
    NotOnAgenda,
    TooManyInvitees,
)
from govoffice.domain.meeting.vocabulary import (
    ABSENTEE_URGE_MINUTES,
    AFTER_HELD,
    ARCHIVE_DAYS,
    MATERIALS_DAYS_BEFORE,
    MERGE_WINDOW_DAYS,
    PREPARING,
    DistributionGroup,
    MeetingKind,
    MeetingLeaveStatus,
    MeetingPaperStage,
    MeetingPayment,
    MeetingPlanStatus,
    MeetingStatus,
)
from govoffice.domain.meeting_rules import (
    AttendanceFact,
    LimitBreach,
    LimitTable,
    MeetingFigures,
    MeetingForm,
    MeetingLimitExceeded,
    SeatingChart,
    check_meeting,
)
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.supervision import task_id_for
from govoffice.domain.values import DocumentNumber, PersonId, UnitId, a_date, text, texts


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
