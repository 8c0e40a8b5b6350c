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

from govoffice.domain.authority import (
    Act,
    HeadOf,
    MemberOf,
    OfficeHead,
    Requirement,
    SupervisingLeaderOf,
    authorise,
    both,
    declare,
    either,
    named,
    one,
    record,
    role,
    step,
)
from govoffice.domain.base import TICK_ACTOR, OfficeAggregate, new_record_id, stable_topics
from govoffice.domain.calendar import (
    CIVIL_CODE_DEADLINES,
    CutOff,
    DeadlineRules,
    LastDayRule,
    RestDays,
)
from govoffice.domain.errors import AlreadyExists, InvalidInput
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting.attendance import (
    LeaderOnLeave,
    MeetingAttendance,
    MeetingLeave,
    MeetingNotYetStarted,
    MeetingSignIn,
    NotInvited,
    SeatingAlreadyArranged,
    SignInInPerson,
    TooLateForMeeting,
    WrongLeaveApprover,
)
from govoffice.domain.meeting.checks import (
    LEADER_ROLES,
    PRINCIPAL_ROLES,
    NothingToExcept,
    _chair_and_approvers,
    _covered,
    _future,
    _known_people,
    kind_owners,
    uncovered_breaches,
)
from govoffice.domain.meeting.closing import (
    CashSettlementRefused,
    EvaluationIncomplete,
    HeadcountNotOnSignInSheet,
    LateArchiveReasonRequired,
    MeetingCostSettlement,
    MeetingEvaluation,
    MeetingOverBudget,
    SettlementAboveSignInStandard,
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
from govoffice.domain.meeting.rescheduling import NothingToReschedule, office_consent
from govoffice.domain.meeting.rooms import (
    LeaderClash,
    MeetingRooms,
    RoomBooking,
    RoomTooSmall,
    default_end,
)
from govoffice.domain.meeting.vocabulary import (
    ABSENTEE_URGE_MINUTES,
    AFTER_HELD,
    ARCHIVE_DAYS,
    MATERIALS_DAYS_BEFORE,
    MERGE_WINDOW_DAYS,
    PREPARING,
    ChairRule,
    DistributionGroup,
    LeaveApproverRule,
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
    LimitKind,
    LimitTable,
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
    PersonId,
    UnitId,
    a_date,
    business_time,
    local_time,
    text,
    texts,
)


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
        self.room: str | None = None
        self.room_capacity: int | None = None
        self.booked_until: pendulum.DateTime | None = None
        self.classified = False
        self.leader_clashes: tuple[LeaderClash, ...] = ()
        self.reschedulings = 0

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
        authorise(org, cls, "Planned", by=by, at=at, organiser=row.organiser)
        org.require_unit_active(row.organiser, at)
        when = _future(starts_at, at)
        if org.day_of(when).year != plan.year:
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
        unit = org.require_unit_active(organiser, at)
        authorise(org, cls, "Requested", by=by, at=at, organiser=unit.id)
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
            id=new_record_id(),
            kind=kind,
            title=text(title, "会议名称"),
            content=text(content, "会议内容"),
            organiser=unit.id,
            starts_at=_future(starts_at, at),
            place=text(place, "地点"),
            participant_scope=text(participant_scope, "代表范围"),
            figures=figures,
            attending_leaders=list(_known_people(org, attending_leaders, "出席局领导", at)),
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
        self,
        org: Organisation,
        stage: MeetingPaperStage,
        at: pendulum.DateTime | None = None,
    ) -> tuple[str, ...]:
        """Who countersigns [001 会议 五(一)2-3], as the organisation stood at ``at`` (the
        record's latest step when None): the general office and finance (other than the
        organiser itself); for an unplanned meeting also the organiser's supervising
        leaders."""
        when = at if at is not None else self.last_at
        units = [
            u
            for function in (UnitFunction.GENERAL_OFFICE, UnitFunction.FINANCE)
            for u in org.units_with(function, when)
            if u != self.organiser
        ]
        leaders: tuple[str, ...] = ()
        if self.plan_id is None and when is not None:
            leaders = org.supervising_leaders(self.organiser, when)
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
        if (
            party not in self.required_countersigners(org, stage, at)
            or key in self.countersignatures
        ):
            raise NotAMeetingCountersigner(self.id, str(party))
        if not isinstance(agree, bool):
            raise InvalidInput(f"会签结论必须是 同意/不同意 (agree must be bool, not {agree!r})")
        relay = on_behalf_of if on_behalf_of is not None and on_behalf_of != by else None
        signature = MeetingCountersignature(
            stage, party, agree, text(opinion, "会签意见", required=not agree), by, relay
        )
        authorise(
            org,
            Meeting,
            "Countersigned",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            signature=signature,
        )
        self._countersigned(signature=signature, by=by, on_behalf_of=relay, at=at)

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
        self,
        org: Organisation,
        stage: MeetingPaperStage,
        at: pendulum.DateTime | None = None,
    ) -> tuple[str, ...]:
        """Parties that have not countersigned, or disagreed (as required at ``at``)."""
        missing = []
        for party in self.required_countersigners(org, stage, at):
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
        acting = authorise(
            org,
            Meeting,
            "LimitExceptionApproved",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
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
        acting = authorise(
            org, Meeting, "Approved", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        missing = self.missing_countersignatures(org, MeetingPaperStage.REQUEST, at)
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
        acting = authorise(
            org, Meeting, "Rejected", by=by, at=at, record=self, on_behalf_of=on_behalf_of
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

    def materials_due(self, zone: str) -> date:
        """[002 二 4] the last day for topics and materials: two days before the meeting's
        day, both counted on the agency's calendar (``zone``: the agency's time zone)."""
        return local_time(self.starts_at, zone).date() - timedelta(days=MATERIALS_DAYS_BEFORE)

    def propose_agenda_item(
        self, *, org: Organisation, title: str, unit: str, by: PersonId, at: pendulum.DateTime
    ) -> str:
        """提出议题 a unit's head proposes a topic (with the supervising leader's consent,
        in the unit's own hands) before the materials deadline [002 二 4]; returns its key."""
        self._check_time(at)
        self._require_status(*PREPARING)
        u = org.require_unit_active(unit, at)
        key = str(len(self.agenda_items) + 1)
        item = MeetingAgendaItem(key, text(title, "议题"), u.id, by)
        authorise(org, Meeting, "AgendaItemProposed", by=by, at=at, record=self, item=item)
        due = self.materials_due(org.time_zone)
        if org.day_of(at) > due:
            raise MaterialsDeadlinePassed(self.id, due)
        self._agenda_item_proposed(item=item, by=by, at=at)
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
        self._agenda_item(item)
        authorise(org, Meeting, "MaterialsSubmitted", by=by, at=at, record=self, item=item)
        due = self.materials_due(org.time_zone)
        if org.day_of(at) > due:
            raise MaterialsDeadlinePassed(self.id, due)
        files = texts(materials, "会议材料")
        if not files:
            raise InvalidInput("会议材料不能为空 (name at least one document)")
        self._materials_submitted(item=item, materials=list(files), by=by, at=at)

    @event("MaterialsSubmitted")
    def _materials_submitted(
        self, item: str, materials: list[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.materials = {**self.materials, item: (*self.materials.get(item, ()), *materials)}

    def overdue_items(self, at: pendulum.DateTime, zone: str) -> tuple[str, ...]:
        """Proposed topics whose materials were due and are missing, not yet flagged (the
        days counted on the calendar of ``zone``, the agency's)."""
        if self.status not in PREPARING or local_time(at, zone).date() <= self.materials_due(zone):
            return ()
        return tuple(
            k
            for k in self.agenda_items
            if k not in self.materials and k not in self.materials_overdue
        )

    def flag_overdue_materials(self, *, at: pendulum.DateTime, zone: str) -> tuple[str, ...]:
        """材料逾期 (time-driven): the topics whose materials did not arrive in time are
        recorded once; they cannot be put on the agenda [002 二 4-5]."""
        self._check_time(at)
        items = self.overdue_items(at, zone)
        if items:
            self._materials_overdue(
                items=list(items), due=self.materials_due(zone), by=TICK_ACTOR, at=at
            )
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
        acting = authorise(
            org, Meeting, "AgendaSet", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        keys = texts(items, "议程")
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
        authorise(org, Meeting, "NoticeDrafted", by=by, at=at, record=self)
        people = _known_people(org, invitees, "参会人员", at)
        if not people:
            raise InvalidInput("会议通知须列出参会人员 (name the invitees)")
        if len(people) > self.figures.participants:
            raise TooManyInvitees(self.id, len(people), self.figures.participants)
        if self.room_capacity is not None and len(people) > self.room_capacity:
            raise RoomTooSmall(self.place, self.room_capacity, len(people))
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
        others: Iterable[Meeting] = (),
    ) -> tuple[LeaderClash, ...]:
        """签批并印发会议通知: after countersigning, a planned meeting's notice is signed by
        the principal or the supervising leader, an unplanned one's by the principal leader
        [001 会议 五(一)2-3]."""
        self._check_time(at)
        self._require_status(MeetingStatus.PLANNED, MeetingStatus.APPROVED)
        if self.notice is None:
            raise InvalidInput("会议通知尚未起草 (draft the notice first)")
        acting = authorise(
            org, Meeting, "Noticed", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        missing = self.missing_countersignatures(org, MeetingPaperStage.NOTICE, at)
        if missing:
            raise MeetingCountersignMissing(self.id, MeetingPaperStage.NOTICE, missing)
        self._noticed(
            notice=self.notice,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )
        return self._flag_leader_clashes(org, others, at)

    @property
    def ends_at(self) -> pendulum.DateTime:
        """When the meeting ends: as booked, else its days as office hours (ADR 0048)."""
        if self.booked_until is not None:
            return self.booked_until
        return default_end(self.starts_at, self.figures.days)

    def overlaps(self, starts_at: pendulum.DateTime, ends_at: pendulum.DateTime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at

    def expects(self, person: PersonId) -> bool:
        """Is ``person`` expected at the meeting (invited or chairing, and not on leave)?"""
        return (person in self.invitees or person == self.chair) and not self.on_leave(person)

    def leader_clashes_with(
        self, org: Organisation, others: Iterable[Meeting], at: pendulum.DateTime
    ) -> tuple[LeaderClash, ...]:
        """The leaders this noticed meeting expects who are expected, at an overlapping time,
        at another noticed meeting [004 会议室根据领导活动安排统筹使用]."""
        leaders = set(org.leaders(at)) | set(org.holders(Role.PARTY_SECRETARY, at))
        people = [p for p in dict.fromkeys((*self.invitees, self.chair)) if p in leaders]
        clashes = []
        for other in others:
            if other.id == self.id or other.status is not MeetingStatus.NOTICED:
                continue
            if not other.overlaps(self.starts_at, self.ends_at):
                continue
            for person in people:
                if self.expects(person) and other.expects(person):
                    clashes.append(
                        LeaderClash(person, other.id, other.title, other.starts_at, other.ends_at)
                    )
        return tuple(clashes)

    def _flag_leader_clashes(
        self, org: Organisation, others: Iterable[Meeting], at: pendulum.DateTime
    ) -> tuple[LeaderClash, ...]:
        clashes = self.leader_clashes_with(org, others, at)
        if clashes:
            self._leader_clash_flagged(clashes=list(clashes), by=TICK_ACTOR, at=at)
        return clashes

    @event("LeaderClashFlagged")
    def _leader_clash_flagged(
        self, clashes: list[LeaderClash], by: PersonId, at: pendulum.DateTime
    ) -> None:
        """领导时间冲突提示: a warning, not a refusal (the office's own step)."""
        self.leader_clashes = tuple(clashes)

    # --- the room (ADR 0048) -------------------------------------------------------------------

    def _booking(
        self,
        rooms: MeetingRooms,
        room: str,
        starts_at: pendulum.DateTime,
        ends_at: pendulum.DateTime,
        classified: bool,
    ) -> RoomBooking:
        if ends_at <= starts_at:
            raise InvalidInput(
                f"会议结束时间 {ends_at} 须晚于开始时间 {starts_at}", ends_at=ends_at
            )
        headcount = len(self.invitees) if self.notice is not None else self.figures.participants
        booking = RoomBooking(
            rooms.room(room).id, self.id, self.title, starts_at, ends_at, classified, headcount
        )
        rooms.check(booking)
        return booking

    def book_room(
        self,
        *,
        org: Organisation,
        rooms: MeetingRooms,
        room: str,
        ends_at: object | None = None,
        classified: bool = False,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> RoomBooking:
        """安排会议室 the general office (会议室管理部门) assigns a room to a meeting before its
        notice is issued [001 会议 五(二)3]: a secure room for a classified (涉密) meeting,
        enough seats, and no other meeting in the room at an overlapping time; the meeting's
        place becomes the room. ``ends_at`` defaults to the meeting's days as office hours."""
        self._check_time(at)
        self._require_status(MeetingStatus.PLANNED, MeetingStatus.APPROVED)
        authorise(org, Meeting, "RoomBooked", by=by, at=at, record=self)
        if not isinstance(classified, bool):
            raise InvalidInput(f"是否涉密须为 True/False (not {classified!r})")
        until = (
            default_end(self.starts_at, self.figures.days)
            if ends_at is None
            else business_time(ends_at, "会议结束时间 ends_at")
        )
        booking = self._booking(rooms, room, self.starts_at, until, classified)
        chosen = rooms.book(
            org=org, booking=booking, organiser=self.organiser, kind=self.kind, by=by, at=at
        )
        self._room_booked(
            room=chosen.id,
            place=chosen.name,
            capacity=chosen.capacity,
            ends_at=until,
            classified=classified,
            by=by,
            at=at,
        )
        return booking

    @event("RoomBooked")
    def _room_booked(
        self,
        room: str,
        place: str,
        capacity: int,
        ends_at: pendulum.DateTime,
        classified: bool,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.room = room
        self.place = place
        self.room_capacity = capacity
        self.booked_until = ends_at
        self.classified = classified
        if self.notice is not None:
            self.notice = attrs.evolve(self.notice, place=place)
            prefix = f"{MeetingPaperStage.NOTICE.value}:"
            self.countersignatures = {
                k: v for k, v in self.countersignatures.items() if not k.startswith(prefix)
            }

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

    # --- moving the meeting (改期, ADR 0049) ---------------------------------------------------

    def reschedule(
        self,
        *,
        org: Organisation,
        starts_at: object | None,
        reason: str,
        table: LimitTable,
        plan: MeetingPlan | None = None,
        rooms: MeetingRooms | None = None,
        room: str | None = None,
        venue: str | None = None,
        consent_by: str | None = None,
        others: Iterable[Meeting] = (),
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """改期 move a meeting in preparation to another time and/or place (a ``room`` of the
        register ``rooms``, or an outside ``venue``), with the reason. It keeps its agenda,
        invitees and granted leave; a noticed meeting's invitees are noticed again and asked
        to confirm again (their answers go back to pending). The limits in force on the new
        day (``table``) are checked again, the room is checked again at the new time (its
        booking moves with the meeting; going to a venue frees it), and a meeting of the
        annual plan (``plan``) stays in the plan's year and moves only with the general
        office's consent (the acting person of the general office, or ``consent_by``)
        [000 范文6 四 2; 001 会议 五(一)2, 五(二)3, 五(三)3-4]. Leaders the moved meeting now
        double-books are flagged against ``others`` (a warning)."""
        self._check_time(at)
        self._require_status(*PREPARING)
        acting = authorise(
            org, Meeting, "Rescheduled", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        if at >= self.starts_at:
            raise TooLateForMeeting(self.id, "改期", self.starts_at)
        when = self.starts_at if starts_at is None else _future(starts_at, at)
        until = when + (self.ends_at - self.starts_at)
        if room is not None and venue is not None:
            raise InvalidInput("会议地点是会议室或外部场所,不能两者都给 (a room or a venue)")
        target = room if room is not None else (None if venue is not None else self.room)
        if (target is not None or self.room is not None) and rooms is None:
            raise InvalidInput("会议室须对照会议室登记簿 (give the room register)")
        if target is not None and rooms is not None:
            where = rooms.room(target).name
        else:
            where = self.place if venue is None else text(venue, "会议地点")
        if when == self.starts_at and where == self.place and target == self.room:
            raise NothingToReschedule(self.id, org.local(when), where)
        why = text(reason, "改期理由")
        consent: PersonId | None = None
        if self.plan_id is not None:
            if plan is None or plan.id != self.plan_id:
                raise InvalidInput("计划内会议改期须对照其年度会议计划 (give the meeting's plan)")
            if org.day_of(when).year != plan.year:
                raise InvalidInput(f"会议时间 {when} 不在计划年度 {plan.year} 内", starts_at=when)
            consent = office_consent(org, by, _opt_person(consent_by), at)
        breaches = uncovered_breaches(self.figures, table, self.excepted)
        if breaches:
            raise MeetingLimitExceeded(breaches, table.source)
        capacity: int | None = None
        if target is not None and rooms is not None:
            booking = self._booking(rooms, target, when, until, self.classified)
            capacity = rooms.book(
                org=org, booking=booking, organiser=self.organiser, kind=self.kind, by=by, at=at
            ).capacity
        elif self.room is not None and rooms is not None:
            rooms.release(
                org=org,
                meeting_id=self.id,
                reason=why,
                organiser=self.organiser,
                kind=self.kind,
                by=by,
                at=at,
            )
        self._rescheduled(
            previous_starts_at=self.starts_at,
            starts_at=when,
            previous_place=self.place,
            place=where,
            reason=why,
            consent_by=consent,
            renoticed=list(self.invitees) if self.status is MeetingStatus.NOTICED else [],
            limits_source=table.source,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            room=target,
            capacity=capacity,
            ends_at=until if target is not None else None,
            at=at,
        )
        if self.status is MeetingStatus.NOTICED:
            self._flag_leader_clashes(org, others, at)

    @event("Rescheduled")
    def _rescheduled(
        self,
        previous_starts_at: pendulum.DateTime,
        starts_at: pendulum.DateTime,
        previous_place: str,
        place: str,
        reason: str,
        consent_by: PersonId | None,
        renoticed: list[PersonId],
        limits_source: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        room: str | None,
        capacity: int | None,
        ends_at: pendulum.DateTime | None,
        at: pendulum.DateTime,
    ) -> None:
        self.starts_at = starts_at
        self.place = place
        self.room = room
        self.room_capacity = capacity
        self.booked_until = ends_at
        self.reschedulings = self.reschedulings + 1
        if self.notice is not None:
            self.notice = attrs.evolve(self.notice, starts_at=starts_at, place=place)
        if self.status is MeetingStatus.NOTICED:
            # asked to confirm again; granted (and pending) leave stands
            self.answers = {}
            self.absentees_urged = False
        else:
            prefix = f"{MeetingPaperStage.NOTICE.value}:"
            self.countersignatures = {
                k: v for k, v in self.countersignatures.items() if not k.startswith(prefix)
            }

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
        authorise(org, Meeting, "InvitationAnswered", by=by, at=at, record=self, person=by)
        if not isinstance(attend, bool):
            raise InvalidInput(f"答复须为 参加/不参加 (attend must be bool, not {attend!r})")
        if at >= self.starts_at:
            raise TooLateForMeeting(self.id, "答复参会", self.starts_at)
        standing = self.leaves.get(by)
        # confirming again after a move (ADR 0049): a leave that stands still answers
        keeps_leave = (
            not attend
            and self.reschedulings > 0
            and standing is not None
            and standing.status is not MeetingLeaveStatus.REFUSED
        )
        leave = None if attend or keeps_leave else self._leave_for(org, by, reason, substitute, at)
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
        authorise(org, Meeting, "LeaveRequested", by=by, at=at, record=self)
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
            if org.unit_of(stand_in, at) is None:
                raise InvalidInput(
                    f"代会人 {stand_in} 在 {org.local(at)} 不在本机关 (not in the agency then)"
                )
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
        acting = authorise(
            org,
            Meeting,
            "LeaveGranted" if grant else "LeaveRefused",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            person=leave.person,
        )
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
        override_reason: str = "",
    ) -> None:
        """排主席台座次 record the chart a seating policy made [001 会议的座次安排]; host
        leaders must be invited and not on leave.

        Once a chart exists, arranging again is an override like a swap (ADR 0058): refused
        without ``override_reason``; with it, recorded as ``SeatingRearranged`` keeping the
        previous chart and the reason [001 会议的座次安排(一)4 如有临时变化,应及时调整座次]."""
        self._check_time(at)
        self._require_status(MeetingStatus.NOTICED)
        event = "SeatingArranged" if self.seating is None else "SeatingRearranged"
        authorise(org, Meeting, event, by=by, at=at, record=self)
        if not isinstance(override_reason, str):
            raise InvalidInput(f"调整理由 {override_reason!r} 须为文字 (reason must be text)")
        if self.seating is not None and not override_reason.strip():
            raise SeatingAlreadyArranged(self.id, self.seating)
        if self.seating is None and override_reason.strip():
            raise InvalidInput(
                "尚未排主席台座次,无可调整 (no chart to override: arrange without a reason)"
            )
        hosts = texts(hosts, "主席台人员")
        guests = texts(guests, "主席台嘉宾")
        for host in hosts:
            self._require_invitee(PersonId(host))
            if self.on_leave(host):
                raise LeaderOnLeave(self.id, host)
        if set(chart.seats) != {*hosts, *guests}:
            raise InvalidInput("座次表须恰好包含主席台上的每一位 (chart and people differ)")
        if self.seating is None:
            self._seating_arranged(
                chart=chart, hosts=list(hosts), guests=list(guests), policy=policy, by=by, at=at
            )
        else:
            self._seating_rearranged(
                chart=chart,
                hosts=list(hosts),
                guests=list(guests),
                policy=policy,
                previous=self.seating,
                reason=text(override_reason, "调整理由"),
                by=by,
                at=at,
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

    @event("SeatingRearranged")
    def _seating_rearranged(
        self,
        chart: SeatingChart,
        hosts: list[str],
        guests: list[str],
        policy: str,
        previous: SeatingChart,
        reason: str,
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
        authorise(org, Meeting, "SeatingOverridden", by=by, at=at, record=self)
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
        who = PersonId(text(person, "签到人"))
        substitute_for = None if who in self.invitees else self._substituted_by(who)
        sign_in = MeetingSignIn(who, at, substitute_for)
        authorise(org, Meeting, "SignedIn", by=by, at=at, record=self, sign_in=sign_in)
        if by in self.sign_ins:
            raise AlreadyExists(f"{by} 的签到", self.sign_ins[by].at)
        self._signed_in(sign_in=sign_in, by=by, at=at)

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
        authorise(org, Meeting, "Held", by=by, at=at, record=self)
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
        authorise(org, Meeting, "AttendanceRecorded", by=by, at=at, record=self)
        if self.attendance is not None:
            raise AlreadyExists("会议考勤", self.id)
        early = set(texts(left_early, "早退人员"))
        for person in early:
            if person not in self.sign_ins or self.sign_ins[PersonId(person)].substitute_for:
                raise InvalidInput(f"{person} 未以本人身份签到,不能记为早退 (not signed in)")
        entries = tuple(self._attendance_of(org, p, p in early) for p in self.invitees)
        self._attendance_recorded(entries=list(entries), by=by, at=at)
        return entries

    def _attendance_of(self, org: Organisation, person: PersonId, early: bool) -> MeetingAttendance:
        # the unit the invitee belonged to when the meeting began (their latest unit only
        # for someone no longer in the agency then: it names, it decides nothing)
        unit = org.unit_of(person, self.starts_at) or org.person(person).unit
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
        rooms: MeetingRooms | None = None,
    ) -> None:
        """取消会议 the general office (or the principal leader) cancels a badly prepared or
        repetitive meeting [000 范文6 四 4; 001 会议 五(三)5(6)]; its room is freed."""
        self._check_time(at)
        self._require_status(MeetingStatus.REQUESTED, *PREPARING)
        acting = authorise(
            org, Meeting, "Cancelled", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        why = text(reason, "取消理由")
        self._free_room(org, rooms, why, by, at)
        self._cancelled(
            reason=why,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    def _free_room(
        self,
        org: Organisation,
        rooms: MeetingRooms | None,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        if self.room is None:
            return
        if rooms is None:
            raise InvalidInput("会议已安排会议室,须对照会议室登记簿释放 (give the room register)")
        rooms.release(
            org=org,
            meeting_id=self.id,
            reason=reason,
            organiser=self.organiser,
            kind=self.kind,
            by=by,
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
        rooms: MeetingRooms | None = None,
    ) -> None:
        """合并召开 meetings with the same participants and close dates are merged, on the
        principal leader's decision [000 范文6 四 4; 001 会议 五(三)5(6)]: this meeting's
        topics go over to ``other``, which is held instead (both are recorded together)."""
        self._check_time(at)
        other._check_time(at)
        self._require_status(*PREPARING)
        other._require_status(*PREPARING)
        acting = authorise(
            org,
            Meeting,
            "Merged",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
        )
        if other.id == self.id:
            raise InvalidInput("会议不能并入自身 (a meeting cannot merge into itself)")
        reasons = []
        apart = org.day_of(self.starts_at) - org.day_of(other.starts_at)
        if abs(apart.days) > MERGE_WINDOW_DAYS:
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
        self._free_room(org, rooms, reason, by, at)
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
        authorise(org, Meeting, "MinutesDrafted", by=by, at=at, record=self)
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
        authorise(org, Meeting, "DecisionRecorded", by=by, at=at, record=self)
        if self.minutes_signed_by is not None:
            raise MinutesFrozen(self.id)
        if agenda_item not in self.agenda:
            raise NotOnAgenda(self.id, str(agenda_item))
        unit = org.require_unit_active(responsible_unit, at).id
        helpers = tuple(org.require_unit_active(u, at).id for u in texts(co_units, "协办单位"))
        if unit in helpers or len(set(helpers)) != len(helpers):
            raise InvalidInput(
                "协办单位重复,或责任单位同时列为协办单位 (duplicate or lead unit as co-unit)"
            )
        due = a_date(deadline, "完成时限")
        if self.held_at is not None and due <= org.day_of(self.held_at):
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
        acting = authorise(
            org, Meeting, "MinutesSigned", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
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
        authorise(org, Meeting, "MinutesNumbered", by=by, at=at, record=self)
        if self.minutes_signed_by is None:
            raise MinutesRequired(self.id, "纪要尚未签发")
        if self.minutes_number is not None:
            raise AlreadyExists("会议纪要编号", str(self.minutes_number))
        if not isinstance(number, DocumentNumber) or number.year != org.day_of(at).year:
            raise InvalidInput(f"纪要编号 {number!r} 不正确 (wrong number or year)")
        self._minutes_numbered(number=number, by=by, at=at)

    @event("MinutesNumbered")
    def _minutes_numbered(
        self, number: DocumentNumber, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.minutes_number = number

    def distribution_list(self, org: Organisation, at: pendulum.DateTime) -> tuple[str, ...]:
        """纪要分送范围 of this kind [004 ★《会议纪要》分送范围; 000 范文6 四 8]: leaders'
        ids, unit ids, and the labels of outside groups (局属各单位, 存档), as the agency
        stood at ``at``."""
        recipients: list[str] = []
        for group in self.kind.rule.distribution:
            if group is DistributionGroup.LEADERS:
                recipients.extend(org.leaders(at))
            elif group is DistributionGroup.ALL_UNITS:
                recipients.extend(u for u in org.units if org.unit_active(u, at))
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
        authorise(org, Meeting, "MinutesDistributed", by=by, at=at, record=self)
        if self.minutes_number is None:
            raise MinutesRequired(self.id, "纪要尚未编号")
        if self.minutes_distributed_to:
            raise AlreadyExists("会议纪要印发", self.minutes_number)
        recipients = tuple(dict.fromkeys((*self.distribution_list(org, at), *texts(also, "分送"))))
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
        the approved budget; within the per-person-per-day envelope judged against the
        sign-in sheet — the people the attendance recorded as there (in person or as a
        substitute) × the meeting's days × the table's standard (ADR 0058); no lodging or
        meals for a video meeting. The recorded settlement carries the sheet's headcount."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        authorise(org, Meeting, "CostsSettled", by=by, at=at, record=self)
        if self.costs is not None:
            raise AlreadyExists("会议费结算", self.id)
        if not isinstance(settlement, MeetingCostSettlement):
            raise InvalidInput(f"结算 {settlement!r} 不是 MeetingCostSettlement")
        if settlement.payment is MeetingPayment.CASH:
            raise CashSettlementRefused(self.id)
        if self.attendance is None:
            raise SignInSheetRequired(self.id)
        signed_in = self.signed_in_count()
        if settlement.participants is not None and settlement.participants != signed_in:
            raise HeadcountNotOnSignInSheet(self.id, settlement.participants, signed_in)
        if settlement.total > self.figures.budget:
            raise MeetingOverBudget(self.id, settlement.total, self.figures.budget)
        standard = table.limit_for(self.figures.category).cost_cap_per_person_day
        allowed = standard * signed_in * self.figures.days
        cost = LimitBreach(LimitKind.COST, allowed, settlement.total, "")
        if settlement.total > allowed and not _covered(cost, self.excepted):
            raise SettlementAboveSignInStandard(
                self.id,
                signed_in=signed_in,
                days=self.figures.days,
                standard=standard,
                settled=settlement.total,
                source=table.source,
            )
        actual = MeetingFigures(
            self.figures.category,
            self.figures.form,
            self.figures.days,
            max(signed_in, 1),
            settlement.total,
            settlement.lodging,
            settlement.meals,
        )
        breaches = tuple(
            b
            for b in uncovered_breaches(actual, table, self.excepted)
            if b.limit is not LimitKind.COST
        )
        if breaches:
            raise MeetingLimitExceeded(breaches, table.source)
        recorded = attrs.evolve(settlement, participants=signed_in)
        self._costs_settled(settlement=recorded, by=by, at=at)

    def signed_in_count(self) -> int:
        """签到人数 — the people the recorded attendance shows there: invitees who signed in
        (late or leaving early included) and the substitutes who signed in for invitees on
        leave [001 会议 五(三)4(3) 参会人员签到表]. 0 before attendance is recorded."""
        there = {
            AttendanceFact.PRESENT,
            AttendanceFact.LATE,
            AttendanceFact.LEFT_EARLY,
            AttendanceFact.SUBSTITUTED,
        }
        return sum(1 for e in self.attendance or () if there.intersection(e.facts))

    @event("CostsSettled")
    def _costs_settled(
        self, settlement: MeetingCostSettlement, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.costs = settlement

    def evaluate(
        self, *, org: Organisation, report: MeetingEvaluation, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """效能评估 the organising unit's head reports on the meeting [001 会议 五(三)6]: on
        its preparation, agenda, problems solved, consensus and results — none left blank."""
        self._check_time(at)
        self._require_status(*AFTER_HELD)
        authorise(org, Meeting, "Evaluated", by=by, at=at, record=self)
        if self.evaluation is not None:
            raise AlreadyExists("会议评估报告", self.id)
        if not isinstance(report, MeetingEvaluation):
            raise InvalidInput(f"评估报告 {report!r} 不是 MeetingEvaluation")
        blank = report.blank_parts()
        if blank:
            raise EvaluationIncomplete(self.id, blank)
        self._evaluated(report=report, by=by, at=at)

    @event("Evaluated")
    def _evaluated(self, report: MeetingEvaluation, by: PersonId, at: pendulum.DateTime) -> None:
        self.evaluation = report

    def archive_due(
        self,
        zone: str,
        calendar: RestDays | None = None,
        rules: DeadlineRules | None = None,
    ) -> date | None:
        """[000 范文6 四 7] within seven days after the meeting, and by 31 December — days
        and year of the agency's calendar (``zone``: the agency's time zone); with the
        office ``calendar``, a seventh day on a holiday moves to the next working day
        (:func:`archive_deadline`, ADR 0051)."""
        if self.held_at is None:
            return None
        return archive_deadline(local_time(self.held_at, zone).date(), calendar, rules)

    def archive(
        self,
        *,
        org: Organisation,
        materials: Iterable[str],
        by: PersonId,
        at: pendulum.DateTime,
        late_reason: str = "",
        calendar: RestDays | None = None,
        rules: DeadlineRules | None = None,
    ) -> None:
        """归档 the archivist receives the meeting's materials (方案、通知、记录、纪要、签到表
        [004 八 3]) within seven days and by 31 December; later only with the reason
        [000 范文6 四 7]. Minutes must be out first where the kind or the decisions need them."""
        self._check_time(at)
        self._require_status(MeetingStatus.HELD)
        authorise(org, Meeting, "Archived", by=by, at=at, record=self)
        files = texts(materials, "归档材料")
        if not files:
            raise InvalidInput("归档材料不能为空 (list the materials)")
        needs_minutes = (
            self.kind.rule.minutes_required or self.decided_items or self.minutes is not None
        )
        if needs_minutes and not self.minutes_distributed_to:
            raise MinutesRequired(self.id, "纪要尚未印发")
        if self.attendance is None:
            raise SignInSheetRequired(self.id)
        due = self.archive_due(org.time_zone, calendar, rules)
        today = org.day_of(at)
        late = due is not None and today > due
        if late and not late_reason.strip():
            raise LateArchiveReasonRequired(self.id, due or today)
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

    def flag_archive_overdue(
        self,
        *,
        at: pendulum.DateTime,
        zone: str,
        calendar: RestDays | None = None,
        rules: DeadlineRules | None = None,
    ) -> bool:
        """归档逾期 (time-driven, once): the deadline passed without the archive (the days
        counted on the calendar of ``zone``, the agency's; past a holiday with
        ``calendar``, ADR 0051)."""
        self._check_time(at)
        due = self.archive_due(zone, calendar, rules)
        if self.status is not MeetingStatus.HELD or self.archive_overdue or due is None:
            return False
        if local_time(at, zone).date() <= due:
            return False
        self._archive_overdue(due=due, by=TICK_ACTOR, at=at)
        return True

    @event("ArchiveOverdue")
    def _archive_overdue(self, due: date, by: PersonId, at: pendulum.DateTime) -> None:
        self.archive_overdue = True

    # --- restructuring (ADR 0023) ---------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Work remains on a meeting requested, planned, approved, noticed or held (minutes,
        costs, archive still to come), and on any meeting whose decided items still wait for
        their supervision tasks; an archived, rejected, cancelled or merged one is finished."""
        return self.status in _OPEN or any(k not in self.task_links for k in self.decided_items)

    def units_in_charge(self) -> frozenset[str]:
        """The organiser of a meeting still to be held or closed; the units of the topics
        while it is being prepared; the units of decided items that no supervision task has
        taken over yet."""
        units: set[str] = {self.organiser} if self.status in _OPEN else set()
        if self.status in (MeetingStatus.REQUESTED, *PREPARING):
            units.update(i.unit for i in self.agenda_items.values())
        for key, item in self.decided_items.items():
            if key not in self.task_links:
                units.update((item.responsible_unit, *item.co_units))
        return frozenset(units)

    def _replace_unit(self, old: str, new: str) -> None:
        """A merged or dissolved unit's part passes to its successor: organising the
        meeting, its pending topics, and the decided items not yet supervised (the task
        opened later goes to the unit that exists)."""
        successor = UnitId(new)
        if self.organiser == old and self.status in _OPEN:
            self.organiser = successor
        if self.status in (MeetingStatus.REQUESTED, *PREPARING):
            self.agenda_items = {
                k: attrs.evolve(i, unit=successor) if i.unit == old else i
                for k, i in self.agenda_items.items()
            }
        items = dict(self.decided_items)
        for key, item in self.decided_items.items():
            if key in self.task_links or old not in (item.responsible_unit, *item.co_units):
                continue
            lead = successor if item.responsible_unit == old else item.responsible_unit
            co = tuple(
                dict.fromkeys(
                    c for c in (successor if u == old else u for u in item.co_units) if c != lead
                )
            )
            items[key] = attrs.evolve(item, responsible_unit=lead, co_units=co)
        self.decided_items = items

    # --- helpers -----------------------------------------------------------------------------

    def _agenda_item(self, key: object) -> MeetingAgendaItem:
        if not isinstance(key, str) or key not in self.agenda_items:
            raise InvalidInput(f"会议 {self.id} 没有议题 {key!r} (no such topic)", item=key)
        return self.agenda_items[key]

    def _require_invitee(self, person: PersonId) -> None:
        if person not in self.invitees:
            raise NotInvited(self.id, person)


_OPEN = (MeetingStatus.REQUESTED, *PREPARING, MeetingStatus.HELD)
"""The statuses of a meeting whose organiser still has work on it."""


def _opt_person(value: str | None) -> PersonId | None:
    return None if value is None else PersonId(text(value, "委托人"))


# --- the authority of each step (ADR 0024) ---------------------------------------------------
#
# Named people (the chair, the director, the leave approver, the invitees) act only as
# themselves, and a leader named for a step must still hold the leader's role at the step's
# time: a chair whose LEADER role ended does not sign the minutes [issue 11].

_PRINCIPAL = role(Role.PRINCIPAL_LEADER)
_OWNER = named(
    lambda act: kind_owners(act.org, act.record.kind, act.at),
    "会议所属的主要领导(党组会议: 党组书记; 其他: 局长)",
)
"""[001 会议 五(一)3; 000 范文6 三 2-3] the principal leader who owns the meeting's kind on the
step's day (ADR 0049): the party secretary for the party group's meetings, the director for
the others, either for the joint meeting — one person where one person is both."""
_OFFICE_REVIEWER = role(Role.OFFICE_REVIEWER)
_ORGANISER_STAFF = MemberOf(lambda act: [act.record.organiser], "主办处室")
_ORGANISER_OR_OFFICE = either(_ORGANISER_STAFF, _OFFICE_REVIEWER)
"""[001 会议 五(三)1; 004 四-八] the organising unit's staff, or the general office."""
_CHAIR_OR_DIRECTOR = both(
    named(lambda act: [act.record.chair, act.record.director], "会议主持人或局长"),
    role(*LEADER_ROLES),
)
"""[001 会议 五(三)1(1)] 议题报局长确定; the chair (or the director who delegated him)."""


_RESCHEDULER = either(_ORGANISER_STAFF, _OFFICE_REVIEWER, _OWNER)
"""[000 范文6 四 2; 001 会议 五(一)] who may request or approve the meeting moves it: the
organising unit's staff, the general office, or the leader who approves it."""


def _chair(act: Act) -> Requirement:
    """[001 会议 五(三)1(1)-(2)] 会议纪要由会议主持人签发: the chair, still holding the role
    the kind's chair needs (the principal leader's kinds, or a leader's)."""
    needed = PRINCIPAL_ROLES if act.record.kind.rule.chair is ChairRule.PRINCIPAL else LEADER_ROLES
    return both(named(one(record("chair")), "会议主持人"), role(*needed))


def _countersigned(act: Act) -> Requirement:
    """[001 会议 五(一)2-3] a unit (general office, finance) countersigns by its head; a
    supervising leader countersigns in person, while supervising the organiser."""
    party = act.fact("signature").party
    if party in act.org.units:
        return HeadOf(lambda _: party)
    return both(
        named(lambda _: [party], "会签的分管局领导"),
        SupervisingLeaderOf(lambda a: a.record.organiser),
        role(*LEADER_ROLES),
    )


def _notice_signer(act: Act) -> Requirement:
    """[001 会议 五(一)2-3] a planned meeting's notice: the principal or the supervising
    leader; an unplanned one's: the principal leader."""
    if act.record.plan_id is None:
        return _OWNER
    return either(
        _OWNER,
        both(SupervisingLeaderOf(lambda a: a.record.organiser), role(*LEADER_ROLES)),
    )


_INVITEE = named(
    lambda act: act.record.invitees,
    "受邀参会人员本人",
    error=lambda act, _: NotInvited(act.record.id, act.person),
)
"""[004 四(一)4; 000 范文6 五 5] an invitee answers and asks for leave for himself."""


def _leave_approver(act: Act) -> Requirement:
    """[000 范文6 五 5] 党组会议向党组书记、局务会议/系统大会/季度例会向局长、专题会议向召集
    会议的业务副局长请假: the approver named on the request, still holding the role."""
    leave = act.record.leaves[act.fact("person")]
    rule = act.record.kind.rule.leave_approver
    needed = LEADER_ROLES if rule is LeaveApproverRule.CONVENER else PRINCIPAL_ROLES
    return both(
        named(
            lambda _: [leave.approver],
            rule.label,
            error=lambda a, _: WrongLeaveApprover(a.person, leave.approver, rule),
        ),
        role(*needed),
    )


def _signing_in(act: Act) -> Requirement:
    """[004 六 1] 本人签到: in person, an invitee or the approved substitute of one."""
    person = act.fact("sign_in").person
    record = act.record
    expected = [
        *record.invitees,
        *(
            leave.substitute
            for leave in record.leaves.values()
            if leave.status is MeetingLeaveStatus.GRANTED and leave.substitute is not None
        ),
    ]
    return both(
        named(lambda _: [person], "本人", error=lambda a, _: SignInInPerson(a.person, person)),
        named(
            lambda _: expected,
            "受邀参会人员或经准假的代会人",
            error=lambda a, _: NotInvited(a.record.id, a.person),
        ),
    )


def _topic_unit(act: Act) -> Requirement:
    """[002 二 4] a topic comes from its unit's head (or the chair, or the director)."""
    return either(HeadOf(lambda a: a.fact("item").unit, "提出议题的处室"), _CHAIR_OR_DIRECTOR)


def _materials(act: Act) -> Requirement:
    """[002 二 4] the topic's unit sends its materials (or the chair or director, who may
    put a topic forward themselves)."""
    topic = act.record.agenda_items[act.fact("item")]
    return either(MemberOf(lambda _: [topic.unit], "议题所属处室"), _CHAIR_OR_DIRECTOR)


AUTHORITY = declare(
    "Meeting",
    {
        "Planned": step(
            "安排计划内会议",
            either(MemberOf(lambda act: [act.fact("organiser")], "主办处室"), _OFFICE_REVIEWER),
        ),
        "Requested": step(
            "以处室名义报会议签报", MemberOf(lambda act: [act.fact("organiser")], "主办处室")
        ),
        "Countersigned": step("会签会议签报或通知", _countersigned),
        "LimitExceptionApproved": step("批准会议超标准例外", _OWNER),
        "Approved": step("审批计划外会议签报", _OWNER),
        "Rejected": step("审批计划外会议签报", _OWNER),
        "AgendaItemProposed": step("提出会议议题", _topic_unit),
        "MaterialsSubmitted": step("送交议题材料", _materials),
        "AgendaSet": step("确定会议议程", _CHAIR_OR_DIRECTOR),
        "NoticeDrafted": step("起草会议通知", _ORGANISER_STAFF),
        "Noticed": step("签批会议通知", _notice_signer),
        "InvitationAnswered": step("答复参会", _INVITEE),
        "LeaveRequested": step("会议请假", _INVITEE),
        "LeaveGranted": step("批准会议请假", _leave_approver),
        "LeaveRefused": step("批准会议请假", _leave_approver),
        "SeatingArranged": step("安排主席台座次", _ORGANISER_OR_OFFICE),
        "SeatingOverridden": step("调整主席台座次", _ORGANISER_OR_OFFICE),
        "SeatingRearranged": step("重排主席台座次", _ORGANISER_OR_OFFICE),
        "SignedIn": step("会议签到", _signing_in),
        "Held": step("登记会议召开", _ORGANISER_OR_OFFICE),
        "AttendanceRecorded": step("登记会议考勤", _ORGANISER_OR_OFFICE),
        "Rescheduled": step("会议改期或变更地点", _RESCHEDULER),
        "RoomBooked": step("安排会议室", _OFFICE_REVIEWER),
        "Cancelled": step("取消会议", either(OfficeHead(), _PRINCIPAL)),
        "Merged": step("合并会议", _PRINCIPAL),
        "Absorbed": step("合并会议", _PRINCIPAL),
        "MinutesDrafted": step("编写会议纪要", _ORGANISER_OR_OFFICE),
        "DecisionRecorded": step("记录议定事项", _ORGANISER_OR_OFFICE),
        "MinutesSigned": step("签发会议纪要", _chair),
        "MinutesNumbered": step("会议纪要编号", _OFFICE_REVIEWER),
        "MinutesDistributed": step("印发会议纪要", _OFFICE_REVIEWER),
        "SupervisionTaskLinked": step("立项督办", role(Role.SUPERVISION_OFFICER)),
        "CostsSettled": step("办理会议费报销", _ORGANISER_OR_OFFICE),
        "Evaluated": step("会议效能评估", HeadOf(lambda act: act.record.organiser, "主办处室")),
        "Archived": step("会议材料归档", role(Role.ARCHIVIST)),
    },
)
"""Every step of a meeting a person takes, and what it needs (the time-driven steps —
materials overdue, absentees urged, archive overdue — are the office's own, by
``TICK_ACTOR``)."""


def archive_deadline(
    held: date, calendar: RestDays | None = None, rules: DeadlineRules | None = None
) -> date:
    """归档期限 of a meeting held on ``held`` (the agency's day): seven days after it
    [000 范文6 四 7], moved to the next working day when the seventh is a statutory holiday
    or rest day and ``calendar`` is given (民法典 第二百零三条, unless ``rules`` say
    otherwise, ADR 0051); never after 31 December of the meeting's year (当年归档: the
    year-end cap is a date, not a period, and is not moved)."""
    year_end = date(held.year, 12, 31)
    last = held + timedelta(days=ARCHIVE_DAYS)
    if last >= year_end:
        return year_end
    table = CIVIL_CODE_DEADLINES if rules is None else rules
    if calendar is None or table.rule_for(CutOff.MEETING_ARCHIVE) is LastDayRule.AS_SET:
        return last
    while last < year_end and not calendar.is_working_day(last):
        last += timedelta(days=1)  # never looks past the year (its data may not be out)
    return last
