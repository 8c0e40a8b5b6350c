"""``office.meetings``: the annual meeting plan and every meeting from request or plan to
archive, with the decided-items policy that opens supervision tasks exactly once."""

from __future__ import annotations

import threading
import uuid
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum

from govoffice.application.history import Decision, decisions
from govoffice.application.services import AreaService
from govoffice.domain.authority import authorise
from govoffice.domain.errors import AlreadyExists, InvalidInput, RecordNotFound
from govoffice.domain.meeting import (
    MINUTES_SERIES,
    Meeting,
    MeetingAttendance,
    MeetingCostSettlement,
    MeetingEvaluation,
    MeetingKind,
    MeetingPayment,
    MeetingPlan,
    MeetingStatus,
    exact_number,
)
from govoffice.domain.meeting.rooms import (
    ROOMS_ID,
    LeaderClash,
    MeetingRoom,
    MeetingRooms,
    RoomBooking,
    UnknownRoom,
    span_on,
)
from govoffice.domain.meeting_rules import (
    DEFAULT_LIMITS,
    DEFAULT_SEATING,
    SEED_ATTENDANCE_SCORING,
    SEED_JURISDICTION,
    AttendanceScoringTable,
    LimitBreach,
    LimitRegistry,
    LimitTable,
    MeetingCategory,
    MeetingFigures,
    MeetingForm,
    SeatingChart,
    SeatingPolicy,
)
from govoffice.domain.organisation import Organisation
from govoffice.domain.supervision import (
    REGISTRATION_SERIES,
    SupervisionNumber,
    SupervisionTask,
    task_id_for,
)
from govoffice.domain.values import (
    DocumentNumber,
    PersonId,
    UnitId,
    a_date,
    business_time,
    coerce_enum,
    local_time,
    positive_int,
    texts,
)

if TYPE_CHECKING:
    from govoffice.application.office import Office

R = TypeVar("R")


def _a_day(day: date | str) -> pendulum.Date:
    """A calendar day given as a date or ``YYYY-MM-DD``."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise InvalidInput(f"日期 {day!r} 应为 YYYY-MM-DD (a date)") from None
    value = a_date(day, "日期")
    return pendulum.date(value.year, value.month, value.day)


_TICKED = (MeetingStatus.PLANNED, MeetingStatus.APPROVED, MeetingStatus.NOTICED, MeetingStatus.HELD)
"""The statuses in which a meeting may have a time-driven step (see :meth:`MeetingService.tick`)."""


_FINISHED = (
    MeetingStatus.ARCHIVED,
    MeetingStatus.CANCELLED,
    MeetingStatus.REJECTED,
    MeetingStatus.MERGED,
)
"""Statuses a meeting never leaves (its tick memo, ADR 0020)."""


class _MeetingDiary:
    """The meetings by agency-local day, in this process (ADR 0048): brought up to date from
    the notification log whenever it is read (only the log written since it last looked is
    read, and only the meetings with new events are loaded), so another process's notices
    count as soon as they are written. Cancelled, rejected and merged meetings drop out."""

    def __init__(self) -> None:
        self.position = 0
        self.meetings: dict[uuid.UUID, Meeting] = {}
        self.indexed: dict[uuid.UUID, list[date]] = {}
        self.days: dict[date, set[uuid.UUID]] = defaultdict(set)
        self.lock = threading.Lock()

    def between(
        self, service: MeetingService, start: pendulum.DateTime, end: pendulum.DateTime
    ) -> list[Meeting]:
        """The meetings (not cancelled, rejected or merged) whose time overlaps [start, end)."""
        zone = service.office.time_zone
        with self.lock:
            self._catch_up(service, zone)
            ids: set[uuid.UUID] = set()
            for day in _days(start, end, zone):
                ids.update(self.days.get(day, ()))
            found = [self.meetings[i] for i in ids if i in self.meetings]
        return sorted(
            (m for m in found if m.overlaps(start, end)), key=lambda m: (m.starts_at, str(m.id))
        )

    def _catch_up(self, service: MeetingService, zone: str) -> None:
        self.position, changed = service.store.changed_since(Meeting, self.position)
        for meeting_id in changed:
            self.meetings.pop(meeting_id, None)
            for day in self.indexed.pop(meeting_id, []):
                self.days[day].discard(meeting_id)
            try:
                meeting = service.store.get(Meeting, meeting_id, for_reading=True)
            except RecordNotFound:  # another kind's event of a shared (base) topic
                continue
            if meeting.status in _GONE:
                continue
            self.meetings[meeting_id] = meeting
            self.indexed[meeting_id] = _days(meeting.starts_at, meeting.ends_at, zone)
            for day in self.indexed[meeting_id]:
                self.days[day].add(meeting_id)


_GONE = (MeetingStatus.CANCELLED, MeetingStatus.REJECTED, MeetingStatus.MERGED)


def _days(start: pendulum.DateTime, end: pendulum.DateTime, zone: str) -> list[date]:
    """The agency-local days [start, end) touches."""
    first = local_time(start, zone).date()
    last = local_time(end.subtract(microseconds=1), zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class MeetingService(AreaService[Meeting]):
    """会议: every command takes ``by=`` (the acting person) and ``at=`` (business time,
    filled from the office clock when omitted).

    Configuration (attributes, replace to configure): ``limits`` (the `LimitRegistry` of
    meeting-limit tables) and ``jurisdiction`` (whose table applies, chosen by the meeting
    date), ``scoring`` (the `AttendanceScoringTable` the rankings read) and ``seating`` (the
    rostrum `SeatingPolicy`).
    """

    record_type = Meeting
    also_record_types = (MeetingPlan,)
    """The annual plan's rows are open work of their organisers too (handed over when a
    unit is merged or dissolved)."""

    def __init__(
        self,
        office: Office,
        *,
        limits: LimitRegistry = DEFAULT_LIMITS,
        jurisdiction: str = SEED_JURISDICTION,
        scoring: AttendanceScoringTable = SEED_ATTENDANCE_SCORING,
        seating: SeatingPolicy = DEFAULT_SEATING,
    ) -> None:
        super().__init__(office)
        self._diary = _MeetingDiary()
        self.limits = limits
        self.jurisdiction = jurisdiction
        self.scoring = scoring
        self.seating = seating

    def limit_table(self, on: date) -> LimitTable:
        """The jurisdiction's meeting-limit table in force on ``on`` (an agency-local date:
        a meeting's is :meth:`meeting_day`)."""
        return self.limits.table_for(self.jurisdiction, on)

    def meeting_day(self, meeting: Meeting) -> date:
        """The agency-local date the meeting starts on (whatever zone its time was written
        in): the date its limit table is chosen by."""
        return local_time(meeting.starts_at, self.office.time_zone).date()

    def archive_due(self, meeting_id: uuid.UUID | str) -> date | None:
        """The last day to archive the meeting's materials on the agency's calendar
        [000 范文6 四 7], moved past a holiday (ADR 0051) (None until it is held)."""
        calendar = self.office.calendar
        return self.get(meeting_id).archive_due(
            self.office.time_zone, calendar, calendar.deadline_rules
        )

    def materials_due(self, meeting_id: uuid.UUID | str) -> date:
        """The last day for topics and materials on the agency's calendar [002 二 4]."""
        return self.get(meeting_id).materials_due(self.office.time_zone)

    # --- the annual plan -----------------------------------------------------------------

    def open_plan(self, *, year: int, by: str, at: datetime | str | None = None) -> uuid.UUID:
        """征集年度会议计划: the general office opens next year's plan."""
        who, when = self._who(by), self._when(at)
        if self.store.exists(MeetingPlan.create_id(year)):
            raise AlreadyExists("年度会议计划", year)
        return self._create_plan(lambda org: MeetingPlan.open(org=org, year=year, by=who, at=when))

    def submit_plan_row(
        self,
        *,
        year: int,
        organiser: str,
        name: str,
        content: str,
        kind: MeetingKind | str,
        planned_date: date,
        place: str,
        participant_scope: str,
        days: Decimal | int | str,
        participants: int,
        budget_10k: Decimal | int | str,
        category: MeetingCategory | str = MeetingCategory.C,
        form: MeetingForm | str = MeetingForm.IN_PERSON,
        attending_leaders: Iterable[str] = (),
        late_reason: str = "",
        by: str,
        at: datetime | str | None = None,
    ) -> int:
        """提出会议计划 one row of the plan table [001 会议 六 1], by early December of the
        year before (later only with ``late_reason``); returns its serial."""
        fields: dict[str, Any] = {
            "organiser": organiser,
            "name": name,
            "content": content,
            "kind": coerce_enum(MeetingKind, kind, "会议种类"),
            "category": coerce_enum(MeetingCategory, category, "会议类别"),
            "form": coerce_enum(MeetingForm, form, "会议形式"),
            "planned_date": planned_date,
            "place": place,
            "participant_scope": participant_scope,
            "days": days,
            "participants": participants,
            "attending_leaders": attending_leaders,
            "budget_10k": budget_10k,
            "late_reason": late_reason,
        }
        return self._change_plan(
            year,
            lambda plan, org, who, when: plan.submit_row(
                org=org,
                by=who,
                at=when,
                calendar=self.office.calendar,
                rules=self.office.calendar.deadline_rules,
                **fields,
            ),
            by,
            at,
        )

    def endorse_plan_row(
        self,
        *,
        year: int,
        serial: int,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """分管局领导同意 one row."""
        relay = self._opt(on_behalf_of)
        self._change_plan(
            year,
            lambda plan, org, who, when: plan.endorse_row(
                org=org, serial=serial, by=who, at=when, on_behalf_of=relay
            ),
            by,
            at,
        )

    def review_plan(
        self, *, year: int, by: str, opinion: str = "", at: datetime | str | None = None
    ) -> None:
        """办公室审核协调."""
        self._change_plan(
            year,
            lambda plan, org, who, when: plan.review(org=org, by=who, at=when, opinion=opinion),
            by,
            at,
        )

    def approve_plan_limit_exception(
        self,
        *,
        year: int,
        serial: int,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> tuple[LimitBreach, ...]:
        """主要领导批准一行的超标准例外; returns the breaches it covers."""
        relay = self._opt(on_behalf_of)

        def decide(
            plan: MeetingPlan, org: Organisation, who: PersonId, when: pendulum.DateTime
        ) -> tuple[LimitBreach, ...]:
            return plan.approve_limit_exception(
                org=org,
                serial=serial,
                table=self.limit_table(plan.row(serial).planned_date),
                reason=reason,
                by=who,
                at=when,
                on_behalf_of=relay,
            )

        return self._change_plan(year, decide, by, at)

    def approve_plan(
        self,
        *,
        year: int,
        by: str,
        decided_at: MeetingKind | str = MeetingKind.OFFICE,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """审定 at the director's office meeting (or the joint meeting); refused with the
        breaches when a row is over its limits without an approved exception."""
        body = coerce_enum(MeetingKind, decided_at, "审定会议")
        relay = self._opt(on_behalf_of)

        def decide(
            plan: MeetingPlan, org: Organisation, who: PersonId, when: pendulum.DateTime
        ) -> None:
            tables = {s: self.limit_table(r.planned_date) for s, r in plan.rows.items()}
            plan.approve(
                org=org, tables=tables, decided_at=body, by=who, at=when, on_behalf_of=relay
            )

        self._change_plan(year, decide, by, at)

    def reopen_plan(
        self, *, year: int, reason: str, by: str, at: datetime | str | None = None
    ) -> None:
        """计划调整: the head of the general office reopens an approved plan for changes."""
        self._change_plan(
            year,
            lambda plan, org, who, when: plan.reopen(org=org, reason=reason, by=who, at=when),
            by,
            at,
        )

    def plan_for(self, year: int) -> MeetingPlan:
        """The year's plan."""
        plan_id = MeetingPlan.create_id(year)
        if not self.store.exists(plan_id):
            raise RecordNotFound("年度会议计划", year)
        return self.store.get(MeetingPlan, plan_id)

    def plan_history(self, year: int) -> list[Decision]:
        """The plan's decision trail: rows, endorsements, review, exceptions, approval."""
        return decisions(self.store.events(self.plan_for(year).id, MeetingPlan.KIND))

    def plan_table(self, year: int) -> list[tuple[str, ...]]:
        """局年度会议计划汇总表, with unit and leader names, header first and 总计 last."""
        org = self._org()
        return self.plan_for(year).table(
            {u.id: u.name for u in org.units.values()},
            {p.id: p.name for p in org.people.values()},
        )

    def schedule(
        self,
        *,
        year: int,
        serial: int,
        starts_at: datetime | str,
        chair: str,
        delegated_by: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> uuid.UUID:
        """计划内会议: a row of the approved plan becomes a meeting at a fixed time; the
        meeting and the plan's record of it are saved together, or neither (one meeting per
        row). The limits are those in force on the meeting's agency-local date."""
        who, when = self._who(by), self._when(at)
        moment = business_time(starts_at, "会议时间 starts_at")

        def attempt() -> uuid.UUID:
            plan = self.plan_for(year)
            org = self._org()
            meeting_id = Meeting.planned_id(plan.id, serial)
            plan.schedule_row(org=org, serial=serial, meeting_id=meeting_id, by=who, at=when)
            meeting = Meeting.plan(
                org=org,
                plan=plan,
                serial=serial,
                starts_at=moment,
                chair=chair,
                table=self.limit_table(org.day_of(moment)),
                delegated_by=delegated_by,
                by=who,
                at=when,
            )
            self._save(org, meeting, plan)
            return meeting.id

        return self.store.run(attempt, MeetingPlan.create_id(year))

    # --- unplanned meetings: request, countersign, approval ------------------------------

    def request(
        self,
        *,
        kind: MeetingKind | str,
        title: str,
        content: str,
        reason: str,
        organiser: str,
        starts_at: datetime | str,
        place: str,
        participant_scope: str,
        participants: int,
        days: Decimal | int | str,
        budget: Decimal | int | str,
        funding_source: str,
        chair: str,
        category: MeetingCategory | str = MeetingCategory.C,
        form: MeetingForm | str = MeetingForm.IN_PERSON,
        lodging: Decimal | int | str = 0,
        meals: Decimal | int | str = 0,
        delegated_by: str | None = None,
        attending_leaders: Iterable[str] = (),
        by: str,
        at: datetime | str | None = None,
    ) -> uuid.UUID:
        """计划外会议签报 [001 会议 五(一)3]: content, reason, time, place, participant scope
        and count, budget (yuan) and funding source. Limits are checked at approval."""
        who, when = self._who(by), self._when(at)
        figures = MeetingFigures(
            coerce_enum(MeetingCategory, category, "会议类别"),
            coerce_enum(MeetingForm, form, "会议形式"),
            days,
            positive_int(participants, "代表人数"),
            budget,
            lodging,
            meals,
        )
        kind_ = coerce_enum(MeetingKind, kind, "会议种类")
        return self._create(
            lambda org: Meeting.request(
                org=org,
                kind=kind_,
                title=title,
                content=content,
                reason=reason,
                organiser=organiser,
                starts_at=starts_at,
                place=place,
                participant_scope=participant_scope,
                figures=figures,
                funding_source=funding_source,
                chair=chair,
                delegated_by=delegated_by,
                attending_leaders=attending_leaders,
                by=who,
                at=when,
            )
        )

    def countersign(
        self,
        meeting_id: uuid.UUID | str,
        *,
        party: str,
        by: str,
        agree: bool = True,
        opinion: str = "",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """会签 the request (while it waits for approval) or the drafted notice: ``party`` is
        a unit id (general office, finance) or the supervising leader's id."""
        self._do(
            meeting_id,
            "countersign",
            by,
            at,
            party=party,
            agree=agree,
            opinion=opinion,
            on_behalf_of=self._opt(on_behalf_of),
        )

    def limit_breaches(self, meeting_id: uuid.UUID | str) -> tuple[LimitBreach, ...]:
        """The limits the meeting breaks that no approved exception covers (for the clerk,
        before asking for approval)."""
        meeting = self.get(meeting_id)
        return meeting.limit_breaches(self.limit_table(self.meeting_day(meeting)))

    def approve_limit_exception(
        self,
        meeting_id: uuid.UUID | str,
        *,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> tuple[LimitBreach, ...]:
        """主要领导批准超标准例外, recorded before approval; returns what it covers."""
        relay = self._opt(on_behalf_of)
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.approve_limit_exception(
                org=org,
                table=self.limit_table(org.day_of(m.starts_at)),
                reason=reason,
                by=who,
                at=when,
                on_behalf_of=relay,
            ),
        )

    def approve(
        self,
        meeting_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "同意",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """主要领导审批; refused with `MeetingLimitExceeded` (listing the breaches) when over
        a limit without an approved exception."""
        self._do(
            meeting_id,
            "approve",
            by,
            at,
            table=None,
            opinion=opinion,
            on_behalf_of=self._opt(on_behalf_of),
        )

    def reject(
        self,
        meeting_id: uuid.UUID | str,
        *,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(meeting_id, "reject", by, at, reason=reason, on_behalf_of=self._opt(on_behalf_of))

    # --- agenda and notice -----------------------------------------------------------------

    def propose_agenda_item(
        self,
        meeting_id: uuid.UUID | str,
        *,
        title: str,
        unit: str,
        by: str,
        at: datetime | str | None = None,
    ) -> str:
        """提出议题; returns the topic's key."""
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.propose_agenda_item(
                org=org, title=title, unit=unit, by=who, at=when
            ),
        )

    def submit_materials(
        self,
        meeting_id: uuid.UUID | str,
        *,
        item: str,
        materials: Iterable[str],
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """送交议题材料, two days before the meeting at the latest."""
        self._do(meeting_id, "submit_materials", by, at, item=item, materials=materials)

    def set_agenda(
        self,
        meeting_id: uuid.UUID | str,
        *,
        items: Sequence[str],
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """确定议程 by the chair or the director."""
        self._do(
            meeting_id,
            "set_agenda",
            by,
            at,
            items=items,
            on_behalf_of=self._opt(on_behalf_of),
        )

    def draft_notice(
        self,
        meeting_id: uuid.UUID | str,
        *,
        invitees: Iterable[str],
        contact: str,
        notes: str = "",
        topic: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """起草会议通知 (then countersigned, then signed with :meth:`issue_notice`)."""
        self._do(
            meeting_id,
            "draft_notice",
            by,
            at,
            invitees=invitees,
            contact=contact,
            notes=notes,
            topic=topic,
        )

    def issue_notice(
        self,
        meeting_id: uuid.UUID | str,
        *,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> tuple[LeaderClash, ...]:
        """签批并印发会议通知; returns the leaders it double-books (recorded as a warning,
        `LeaderClashFlagged`, not a refusal) [004 会议室根据领导活动安排统筹使用]."""
        relay = self._opt(on_behalf_of)
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.issue_notice(
                org=org, by=who, at=when, on_behalf_of=relay, others=self._noticed_others(m)
            ),
        )

    def postpone(
        self,
        meeting_id: uuid.UUID | str,
        *,
        starts_at: datetime | str,
        reason: str,
        room: str | None = None,
        venue: str | None = None,
        consent_by: str | None = None,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """改期 move a meeting in preparation to ``starts_at`` (and to another ``room`` or
        outside ``venue``), with the reason: agenda, invitees and granted leave stay; a
        noticed meeting's invitees are noticed again and asked to confirm again; the limits
        in force on the new day and the room at the new time are checked again. A meeting of
        the annual plan stays in its year and moves only with the general office's consent:
        moved by a person of the general office, or ``consent_by`` one [000 范文6 四 2]
        (ADR 0049)."""
        self._reschedule(
            meeting_id, starts_at, room, venue, reason, consent_by, by, on_behalf_of, at
        )

    def move(
        self,
        meeting_id: uuid.UUID | str,
        *,
        reason: str,
        room: str | None = None,
        venue: str | None = None,
        consent_by: str | None = None,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """变更会议地点 the same meeting, at the same time, in another ``room`` or an outside
        ``venue`` (the rules of :meth:`postpone`)."""
        self._reschedule(meeting_id, None, room, venue, reason, consent_by, by, on_behalf_of, at)

    def _reschedule(
        self,
        meeting_id: uuid.UUID | str,
        starts_at: datetime | str | None,
        room: str | None,
        venue: str | None,
        reason: str,
        consent_by: str | None,
        by: str,
        on_behalf_of: str | None,
        at: datetime | str | None,
    ) -> None:
        relay = self._opt(on_behalf_of)
        moment = None if starts_at is None else business_time(starts_at, "会议时间 starts_at")

        def decide(
            meeting: Meeting,
            org: Organisation,
            rooms: MeetingRooms | None,
            who: PersonId,
            when: pendulum.DateTime,
        ) -> None:
            new_start = moment if moment is not None else meeting.starts_at
            plan = None
            if meeting.plan_id is not None:
                plan = self.store.get(MeetingPlan, meeting.plan_id)
            meeting.reschedule(
                org=org,
                starts_at=moment,
                room=room,
                venue=venue,
                rooms=rooms,
                reason=reason,
                table=self.limit_table(org.day_of(new_start)),
                plan=plan,
                consent_by=consent_by,
                others=self._noticed_others(meeting, new_start),
                by=who,
                at=when,
                on_behalf_of=relay,
            )

        self._with_rooms(meeting_id, by, at, decide)

    # --- rooms and leaders' days (ADR 0048) -------------------------------------------------

    def add_room(
        self,
        *,
        room: str,
        name: str,
        capacity: int,
        secure: bool = False,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """登记会议室 (the general office): number, name, seats, secure (涉密) or not. The
        register is opened with the first room."""
        who, when = self._who(by), self._when(at)

        def attempt() -> None:
            org = self._org()
            rooms = self._rooms_if_any() or MeetingRooms.open(org=org, by=who, at=when)
            rooms.add_room(
                org=org, room=room, name=name, capacity=capacity, secure=secure, by=who, at=when
            )
            self._save(org, rooms)

        self.store.run(attempt, ROOMS_ID)

    def rooms(self) -> tuple[MeetingRoom, ...]:
        """The agency's meeting rooms, by number."""
        register = self._rooms_if_any()
        return (
            () if register is None else tuple(sorted(register.rooms.values(), key=lambda r: r.id))
        )

    def book_room(
        self,
        meeting_id: uuid.UUID | str,
        *,
        room: str,
        ends_at: datetime | str | None = None,
        classified: bool = False,
        by: str,
        at: datetime | str | None = None,
    ) -> RoomBooking:
        """安排会议室 [001 会议 五(二)3]: the general office holds ``room`` for the meeting
        (until ``ends_at``, by default its days as office hours). Refused, naming the earlier
        meeting, when the room is taken at an overlapping time — also when another process
        books it at the same moment (the register's version decides, ADR 0048); refused for
        a classified meeting in a room that is not secure, or a room too small."""
        end = None if ends_at is None else business_time(ends_at, "会议结束时间 ends_at")

        def decide(
            meeting: Meeting,
            org: Organisation,
            rooms: MeetingRooms | None,
            who: PersonId,
            when: pendulum.DateTime,
        ) -> RoomBooking:
            if rooms is None:
                raise UnknownRoom(room)
            return meeting.book_room(
                org=org, rooms=rooms, room=room, ends_at=end, classified=classified, by=who, at=when
            )

        return self._with_rooms(meeting_id, by, at, decide)

    def room_day(self, room: str, day: date | str) -> list[RoomBooking]:
        """会议室日程 the bookings of ``room`` that touch the agency-local ``day``, by start."""
        register = self._rooms_if_any()
        if register is None:
            raise UnknownRoom(room)
        return list(register.day(room, _a_day(day), self.office.time_zone))

    def leader_day(self, person: str, day: date | str) -> list[Meeting]:
        """领导日程 the meetings (requested to noticed, held, archived) that expect ``person``
        — invited or chairing, not on leave — and touch the agency-local ``day``, by start."""
        who = self._who(person)
        self._org().known(who)
        start, end = span_on(_a_day(day), self.office.time_zone)
        return [m for m in self._diary.between(self, start, end) if m.expects(who)]

    def _noticed_others(
        self, meeting: Meeting, starts_at: pendulum.DateTime | None = None
    ) -> list[Meeting]:
        """The other noticed meetings whose time overlaps the meeting's (at ``starts_at``,
        when it is being moved there): the leaders' engagements a notice is held to."""
        start = starts_at if starts_at is not None else meeting.starts_at
        end = start + (meeting.ends_at - meeting.starts_at)
        return [
            m
            for m in self._diary.between(self, start, end)
            if m.id != meeting.id and m.status is MeetingStatus.NOTICED
        ]

    def _rooms_if_any(self) -> MeetingRooms | None:
        if not self.store.exists(ROOMS_ID):
            return None
        return self.store.get(MeetingRooms, ROOMS_ID)

    def _with_rooms(
        self,
        meeting_id: uuid.UUID | str,
        by: str,
        at: object,
        decide: Callable[
            [Meeting, Organisation, MeetingRooms | None, PersonId, pendulum.DateTime], R
        ],
    ) -> R:
        """Load the meeting, the organisation and the room register; decide; save the
        meeting and the register in one atomic write (a concurrent booking of the register
        makes the write fail and the attempt run again on the new state)."""
        who, when = self._who(by), self._when(at)

        def attempt() -> R:
            meeting = self.get(meeting_id)
            org = self._org()
            rooms = self._rooms_if_any()
            result = decide(meeting, org, rooms, who, when)
            changed = [rooms] if rooms is not None and rooms.pending_events else []
            self._save(org, meeting, *changed)
            return result

        return self.store.run(attempt, meeting_id)

    # --- answers, leave, seating, sign-in -------------------------------------------------

    def answer(
        self,
        meeting_id: uuid.UUID | str,
        *,
        attend: bool,
        by: str,
        reason: str = "",
        substitute: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """答复参会; ``attend=False`` asks for leave at once (reason, optional substitute)."""
        self._do(
            meeting_id,
            "answer_invitation",
            by,
            at,
            attend=attend,
            reason=reason,
            substitute=substitute,
        )

    def request_leave(
        self,
        meeting_id: uuid.UUID | str,
        *,
        reason: str,
        by: str,
        substitute: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(meeting_id, "request_leave", by, at, reason=reason, substitute=substitute)

    def grant_leave(
        self,
        meeting_id: uuid.UUID | str,
        *,
        person: str,
        by: str,
        opinion: str = "同意",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            meeting_id,
            "decide_leave",
            by,
            at,
            person=person,
            grant=True,
            opinion=opinion,
            on_behalf_of=self._opt(on_behalf_of),
        )

    def refuse_leave(
        self,
        meeting_id: uuid.UUID | str,
        *,
        person: str,
        opinion: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            meeting_id,
            "decide_leave",
            by,
            at,
            person=person,
            grant=False,
            opinion=opinion,
            on_behalf_of=self._opt(on_behalf_of),
        )

    def arrange_seating(
        self,
        meeting_id: uuid.UUID | str,
        *,
        hosts: Sequence[str],
        guests: Sequence[str] = (),
        by: str,
        at: datetime | str | None = None,
        override_reason: str = "",
    ) -> SeatingChart:
        """排主席台座次 with the office's seating policy (hosts and guests in rank order).

        A meeting whose chart exists is re-arranged only as an override: with
        ``override_reason``, recorded with the previous chart (ADR 0058)."""
        host_ids = [PersonId(h) for h in texts(hosts, "主席台人员")]
        guest_ids = [PersonId(g) for g in texts(guests, "主席台嘉宾")]
        chart = self.seating.arrange(host_ids, guest_ids)
        self._do(
            meeting_id,
            "arrange_seating",
            by,
            at,
            chart=chart,
            hosts=host_ids,
            guests=guest_ids,
            policy=type(self.seating).__name__,
            override_reason=override_reason,
        )
        return chart

    def swap_seats(
        self,
        meeting_id: uuid.UUID | str,
        *,
        a: str,
        b: str,
        reason: str,
        by: str,
        at: datetime | str | None = None,
    ) -> SeatingChart:
        """手工调整: two people exchange seats (recorded as an override, with the reason)."""
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.swap_seats(
                org=org, a=a, b=b, reason=reason, by=who, at=when
            ),
        )

    def move_seat(
        self,
        meeting_id: uuid.UUID | str,
        *,
        person: str,
        seat: int,
        reason: str,
        by: str,
        at: datetime | str | None = None,
    ) -> SeatingChart:
        """手工调整: move one person to a seat, the others keeping their order."""
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.move_seat(
                org=org, person=person, seat=seat, reason=reason, by=who, at=when
            ),
        )

    def sign_in(
        self, meeting_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """签到 in person."""
        self._do(meeting_id, "sign_in", by, at, person=by)

    def hold(
        self, meeting_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """会议召开 (recorded at its end)."""
        self._do(meeting_id, "hold", by, at)

    def record_attendance(
        self,
        meeting_id: uuid.UUID | str,
        *,
        by: str,
        left_early: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> tuple[MeetingAttendance, ...]:
        """考勤: present, late, left early, on leave, substituted, absent."""
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.record_attendance(
                org=org, left_early=left_early, by=who, at=when
            ),
        )

    # --- cancelling and merging ------------------------------------------------------------

    def cancel(
        self,
        meeting_id: uuid.UUID | str,
        *,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """取消会议; a booked room is freed in the same write."""
        relay = self._opt(on_behalf_of)
        self._with_rooms(
            meeting_id,
            by,
            at,
            lambda m, org, rooms, who, when: m.cancel(
                org=org, reason=reason, by=who, at=when, on_behalf_of=relay, rooms=rooms
            ),
        )

    def merge(
        self,
        meeting_id: uuid.UUID | str,
        *,
        into: uuid.UUID | str,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """合并召开: ``meeting_id`` is merged into ``into`` (both saved together, or neither)."""
        who, when = self._who(by), self._when(at)
        relay = self._opt(on_behalf_of)

        def attempt() -> None:
            meeting, other = self.get(meeting_id), self.get(into)
            org = self._org()
            rooms = self._rooms_if_any()
            meeting.merge_into(
                org=org,
                other=other,
                reason=reason,
                by=who,
                at=when,
                on_behalf_of=relay,
                rooms=rooms,
            )
            self._save(org, meeting, other, *([rooms] if rooms is not None else []))

        self.store.run(attempt, meeting_id)

    # --- minutes and decided items ----------------------------------------------------------

    def draft_minutes(
        self, meeting_id: uuid.UUID | str, *, text: str, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(meeting_id, "draft_minutes", by, at, body=text)

    def record_decision(
        self,
        meeting_id: uuid.UUID | str,
        *,
        agenda_item: str,
        content: str,
        responsible_unit: str,
        deadline: date,
        co_units: Iterable[str] = (),
        by: str,
        at: datetime | str | None = None,
    ) -> str:
        """议定事项 on an agenda topic; returns its key."""
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.record_decision(
                org=org,
                agenda_item=agenda_item,
                content=content,
                responsible_unit=responsible_unit,
                deadline=deadline,
                co_units=co_units,
                by=who,
                at=when,
            ),
        )

    def sign_minutes(
        self,
        meeting_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """会议主持人签发纪要: the decided items are final."""
        self._do(
            meeting_id,
            "sign_minutes",
            by,
            at,
            opinion=opinion,
            on_behalf_of=self._opt(on_behalf_of),
        )

    def number_minutes(
        self, meeting_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> DocumentNumber:
        """纪要编号 from the agency-local year's gapless series, taken in the same atomic
        save as the number (both, or neither)."""
        who, when = self._who(by), self._when(at)

        def attempt() -> DocumentNumber:
            meeting = self.get(meeting_id)
            org = self._org()
            year = org.day_of(when).year
            code = f"{org.agency_code}{MINUTES_SERIES}"
            series = self._series(MINUTES_SERIES, code, year, who, when)
            serial = series.take(for_record=meeting.id, by=who, at=when)
            number = DocumentNumber(code, year, serial)
            meeting.number_minutes(org=org, number=number, by=who, at=when)
            self._save(org, meeting, series)
            return number

        return self.store.run(attempt, meeting_id)

    def distribute_minutes(
        self,
        meeting_id: uuid.UUID | str,
        *,
        by: str,
        also: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> tuple[str, ...]:
        """印发纪要 to the list of the meeting's kind; returns the recipients."""
        return self._run(
            meeting_id,
            by,
            at,
            lambda m, org, who, when: m.distribute_minutes(org=org, also=also, by=who, at=when),
        )

    def open_decided_item_tasks(
        self, meeting_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> dict[str, uuid.UUID]:
        """议定事项立项督办: one supervision task per decided item of signed minutes, exactly
        once [000 范文6 五 7; 004 县政府 二(四)2]. Every task still missing is opened from its
        deterministic source (meeting, item), numbered, and linked to the meeting, and all of
        them are saved in ONE atomic write: a refusal of any item records nothing, and
        running this again opens only what is missing. Returns every item's task id.

        An item whose deadline fell before the minutes could be signed is still supervised:
        its task keeps the deadline the meeting set and is overdue from the moment it is
        opened (逾期未办), to be followed up with a supervision letter setting a new time
        limit (对于逾期未办的,及时下发有关督办函 [000 范文2 二 3 公文催办])."""
        who, when = self._who(by), self._when(at)
        supervision = self.office.supervision

        def attempt() -> dict[str, uuid.UUID]:
            meeting = self.get(meeting_id)
            org = self._org()
            meeting.require_decisions_final()
            authorise(org, Meeting, "SupervisionTaskLinked", by=who, at=when, record=meeting)
            year = org.day_of(when).year
            series = None
            opened: list[SupervisionTask] = []
            for key, item in meeting.decided_items.items():
                if key in meeting.task_links:
                    continue
                source = meeting.task_source(key)
                task_id = task_id_for(source)
                if not self.store.exists(task_id):
                    if series is None:
                        series = self._series(REGISTRATION_SERIES, org.agency_code, year, who, when)
                    serial = series.take(for_record=task_id, by=who, at=when)
                    opened.append(
                        SupervisionTask.open(
                            org=org,
                            number=SupervisionNumber(year, serial),
                            source=source,
                            title=f"{meeting.title} 议定事项{key}: {item.content}",
                            lead_unit=item.responsible_unit,
                            co_units=item.co_units,
                            requirement=item.content,
                            deadline=item.deadline,
                            policy=supervision.policy,
                            calendar=self.office.calendar,
                            overdue_from_start=True,
                            by=who,
                            at=when,
                        )
                    )
                meeting.link_supervision_task(task_id=task_id, item=key, by=who, at=when)
            if meeting.pending_events:
                self._save(org, meeting, *opened, *([series] if series else []))
            return dict(meeting.task_links)

        return self.store.run(attempt, meeting_id)

    # --- after the meeting ------------------------------------------------------------------

    def settle_costs(
        self,
        meeting_id: uuid.UUID | str,
        *,
        payment: MeetingPayment | str,
        by: str,
        lodging: Decimal | int | str = 0,
        meals: Decimal | int | str = 0,
        venue: Decimal | int | str = 0,
        transport: Decimal | int | str = 0,
        printing: Decimal | int | str = 0,
        medical: Decimal | int | str = 0,
        at: datetime | str | None = None,
        participants: int | None = None,
    ) -> Decimal:
        """会议费结算 (yuan); returns the total.

        The allowed amount is the sign-in sheet's people × the meeting's days × the
        per-person-day standard [001 会议 五(三)4], counted by the meeting from the attendance
        it recorded (ADR 0058). ``participants`` is deprecated and ignored: a headcount typed
        in decides nothing (a `DeprecationWarning` says so)."""
        if participants is not None:
            warnings.warn(
                "settle_costs(participants=...) is deprecated and ignored: the headcount is "
                "the sign-in sheet's (签到人数以签到表为准, ADR 0058)",
                DeprecationWarning,
                stacklevel=2,
            )
        settlement = MeetingCostSettlement(
            lodging=exact_number(lodging, "住宿费"),
            meals=exact_number(meals, "伙食费"),
            venue=exact_number(venue, "会议场地租金"),
            transport=exact_number(transport, "交通费"),
            printing=exact_number(printing, "文件印刷费"),
            medical=exact_number(medical, "医药费"),
            payment=coerce_enum(MeetingPayment, payment, "结算方式"),
        )
        self._do(meeting_id, "settle_costs", by, at, settlement=settlement, table=None)
        return settlement.total

    def evaluate(
        self,
        meeting_id: uuid.UUID | str,
        *,
        preparation: str,
        agenda: str,
        problems_solved: str,
        consensus: str,
        results: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """效能评估报告 [001 会议 五(三)6]."""
        report = MeetingEvaluation(preparation, agenda, problems_solved, consensus, results)
        self._do(meeting_id, "evaluate", by, at, report=report)

    def archive(
        self,
        meeting_id: uuid.UUID | str,
        *,
        materials: Iterable[str],
        by: str,
        late_reason: str = "",
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            meeting_id,
            "archive",
            by,
            at,
            materials=materials,
            late_reason=late_reason,
            calendar=self.office.calendar,
            rules=self.office.calendar.deadline_rules,
        )

    # --- attendance for the rankings ----------------------------------------------------------

    def attendance_deductions(self, meeting_id: uuid.UUID | str) -> dict[PersonId, Decimal]:
        """扣分 per invitee at one meeting, by the scoring table (0 for uncounted kinds)."""
        meeting = self.get(meeting_id)
        return {
            e.person: self.scoring.score((meeting.kind.value, f) for f in e.facts)
            for e in meeting.attendance or ()
        }

    def unit_attendance_deductions(self, year: int) -> dict[UnitId, Decimal]:
        """扣分 per unit over the meetings held in ``year`` (the agency's calendar year; what
        the rankings read)."""
        totals: dict[UnitId, Decimal] = defaultdict(Decimal)
        zone = self.office.time_zone
        for meeting_id in self.store.record_ids(Meeting):
            meeting = self.get(meeting_id)
            if meeting.held_at is None or local_time(meeting.held_at, zone).year != year:
                continue
            for e in meeting.attendance or ():
                totals[e.unit] += self.scoring.score((meeting.kind.value, f) for f in e.facts)
        return dict(totals)

    # --- time ---------------------------------------------------------------------------------

    def _is_finished(self, meeting: Meeting) -> bool:
        """Only a meeting in preparation or held (not archived) has time-driven steps; an
        archived, cancelled, rejected or merged one never has them again."""
        return meeting.status in _FINISHED

    def tick(self, at: datetime | str) -> list[Decision]:
        """The meetings' time-driven steps, each exactly once however often this runs:
        topics whose materials are overdue (two days before) [002 二 4]; absentees urged
        five minutes before the start [004 六 1]; the archive deadline passed
        [000 范文6 四 7]. A meeting with a later decision than ``at`` waits for the next tick."""
        when = business_time(at)
        recorded: list[Decision] = []
        for meeting in self._ticking():
            if meeting.status in _TICKED:
                recorded.extend(
                    self.store.run(partial(self._tick_one, meeting.id, when), meeting.id)
                )
        return recorded

    def _tick_one(self, meeting_id: uuid.UUID, when: pendulum.DateTime) -> list[Decision]:
        meeting = self.get(meeting_id)
        last_at = getattr(meeting, "last_at", None)
        if last_at is not None and when < last_at:
            return []
        zone = self.office.time_zone
        meeting.flag_overdue_materials(at=when, zone=zone)
        meeting.urge_absentees(at=when)
        meeting.flag_archive_overdue(
            at=when,
            zone=zone,
            calendar=self.office.calendar,
            rules=self.office.calendar.deadline_rules,
        )
        pending = list(meeting.pending_events)
        if pending:
            self.store.save(meeting, hand_over=True)
        return decisions(pending)

    # --- plumbing ------------------------------------------------------------------------------

    def _do(
        self, record_id: uuid.UUID | str, command: str, by: str, at: object, **kwargs: Any
    ) -> Any:
        """Load the meeting, run the domain command with the organisation (and the limit
        table in force on the meeting's date, where ``table=None`` asks for it), save."""
        who, when = self._who(by), self._when(at)

        def decide(meeting: Meeting, org: Organisation) -> Any:
            if "table" in kwargs:
                kwargs["table"] = self.limit_table(org.day_of(meeting.starts_at))
            return getattr(meeting, command)(org=org, by=who, at=when, **kwargs)

        return self._change(record_id, decide)

    def _run(
        self,
        meeting_id: uuid.UUID | str,
        by: str,
        at: object,
        command: Callable[[Meeting, Organisation, PersonId, pendulum.DateTime], R],
    ) -> R:
        who, when = self._who(by), self._when(at)
        return self._change(meeting_id, lambda meeting, org: command(meeting, org, who, when))

    def _opt(self, person: str | None) -> PersonId | None:
        return None if person is None else self._who(person)

    def _create_plan(self, build: Callable[[Organisation], MeetingPlan]) -> uuid.UUID:
        def attempt() -> uuid.UUID:
            org = self._org()
            plan = build(org)
            self._save(org, plan)
            return plan.id

        return self.store.run(attempt)

    def _change_plan(
        self,
        year: int,
        decide: Callable[[MeetingPlan, Organisation, PersonId, pendulum.DateTime], R],
        by: str,
        at: object,
    ) -> R:
        who, when = self._who(by), self._when(at)

        def attempt() -> R:
            plan = self.plan_for(year)
            org = self._org()
            result = decide(plan, org, who, when)
            self._save(org, plan)
            return result

        return self.store.run(attempt, MeetingPlan.create_id(year))
