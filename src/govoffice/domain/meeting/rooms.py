"""会议室 the agency's meeting rooms and their bookings, and leaders' overlapping meetings
[001 会议 五(二)3: 承办部门应提前向会议室管理部门提出会议室申请,由会议室管理部门根据会议情况
统筹安排会议场所; 004 会议室根据领导活动安排统筹使用] (ADR 0048).

`MeetingRooms` (会议室登记簿) is one register aggregate per agency: its rooms (capacity,
secure or not) and every meeting's booking. A booking is decided on the register, so two
clerks (or two processes) booking the same room at once write the same register version:
the store's optimistic concurrency lets exactly one win, and the other's retry reloads the
register and is refused naming the earlier meeting (`RoomAlreadyBooked`).
"""

from __future__ import annotations

import math
import uuid
from decimal import Decimal
from typing import Any

import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import (
    Act,
    MemberOf,
    OfficeHead,
    Requirement,
    authorise,
    declare,
    either,
    named,
    role,
    step,
)
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    NotFound,
    RuleViolation,
    TimeGoesBackwards,
)
from govoffice.domain.meeting.checks import PRINCIPAL_ROLES, kind_owners
from govoffice.domain.meeting.vocabulary import MEETING_NAMESPACE, MeetingKind
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import PersonId, UnitId, positive_int, text, value_object

ROOMS_ID = uuid.uuid5(MEETING_NAMESPACE, "meeting-rooms")
"""The id of the agency's one room register."""

OFFICE_HOURS_A_DAY = 8
"""ADR 0048: a meeting day is 8 office hours (half a day 4) when its end is not given."""


def default_end(starts_at: pendulum.DateTime, days: Decimal) -> pendulum.DateTime:
    """When a meeting of ``days`` ends if the booking does not say (ADR 0048): a day is eight
    office hours from the start, half a day four; a meeting of several days ends that many
    hours into its last day. At least an hour."""
    whole = max(math.ceil(days) - 1, 0)
    minutes = int((days - whole) * OFFICE_HOURS_A_DAY * 60)
    return starts_at.add(days=whole, minutes=max(minutes, 60))


@value_object
class MeetingRoom:
    """会议室: its number, name, seats and whether classified meetings may be held there."""

    id: str
    name: str
    capacity: int
    secure: bool


@value_object
class RoomBooking:
    """One meeting's hold on a room, from its start to its end."""

    room: str
    meeting_id: uuid.UUID
    title: str
    starts_at: pendulum.DateTime
    ends_at: pendulum.DateTime
    classified: bool
    headcount: int

    def overlaps(self, starts_at: pendulum.DateTime, ends_at: pendulum.DateTime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


@value_object
class LeaderClash:
    """A leader invited to this meeting who is already noticed to another overlapping one
    [004 会议室根据领导活动安排统筹使用]: a warning recorded on the meeting, not a refusal."""

    person: PersonId
    meeting_id: uuid.UUID
    title: str
    starts_at: pendulum.DateTime
    ends_at: pendulum.DateTime


class UnknownRoom(NotFound):
    def __init__(self, room: str) -> None:
        super().__init__(f"没有会议室 {room} (no such meeting room)", room=room)


class RoomAlreadyBooked(RuleViolation):
    """[001 会议 五(二)3] one room holds one meeting at a time: the later booking is refused,
    naming the earlier."""

    def __init__(self, room: MeetingRoom, earlier: RoomBooking) -> None:
        super().__init__(
            f"会议室「{room.name}」在 {earlier.starts_at} 至 {earlier.ends_at} 已安排会议"
            f"《{earlier.title}》({earlier.meeting_id}) (the room is booked then)",
            room=room.id,
            earlier=earlier.meeting_id,
            starts_at=earlier.starts_at,
            ends_at=earlier.ends_at,
        )


class RoomNotSecure(RuleViolation):
    """A classified (涉密) meeting is held in a secure room only."""

    def __init__(self, room: MeetingRoom) -> None:
        super().__init__(
            f"会议室「{room.name}」不是涉密会议室,不能召开涉密会议 (a classified meeting needs a "
            "secure room)",
            room=room.id,
        )


class RoomTooSmall(RuleViolation):
    """The room seats fewer people than the meeting invites."""

    def __init__(self, room: str, capacity: int, headcount: int) -> None:
        super().__init__(
            f"会议室「{room}」只能容纳 {capacity} 人,会议有 {headcount} 人 (the room is too small)",
            room=room,
            capacity=capacity,
            headcount=headcount,
        )


@stable_topics("meeting-rooms")
class MeetingRooms(OfficeAggregate):
    """会议室登记簿 the agency's rooms and their bookings (ADR 0048)."""

    KIND = "会议室登记簿"

    @staticmethod
    def create_id(*_args: Any, **_kwargs: Any) -> uuid.UUID:
        return ROOMS_ID

    @classmethod
    def open(cls, *, org: Organisation, by: PersonId, at: pendulum.DateTime) -> MeetingRooms:
        """建立会议室登记簿 (the general office, the rooms' managing department)."""
        authorise(org, cls, "Opened", by=by, at=at)
        return cls(by=by, at=at)

    @event("Opened")
    def __init__(self, *, by: PersonId, at: pendulum.DateTime) -> None:
        self.rooms: dict[str, MeetingRoom] = {}
        self.bookings: dict[uuid.UUID, RoomBooking] = {}
        self.acted_at: dict[str, pendulum.DateTime] = {}

    # The register is shared by every meeting of the agency, so business time is kept per
    # subject (a room's registration, a meeting's booking), not for the whole register: a
    # clerk entering one meeting's booking dated before another meeting's later booking is
    # not going back in time; a meeting's own booking still cannot be dated before its last.

    def _check_subject_time(self, subject: str, at: pendulum.DateTime) -> None:
        last = getattr(self, "acted_at", {}).get(subject)
        if last is not None and at < last:
            raise TimeGoesBackwards(f"{self.KIND} {subject}", at, last)

    def _acted(self, subject: str, at: pendulum.DateTime) -> None:
        self.acted_at = {**getattr(self, "acted_at", {}), subject: at}

    # --- rooms ---------------------------------------------------------------------------

    def add_room(
        self,
        *,
        org: Organisation,
        room: str,
        name: str,
        capacity: int,
        secure: bool = False,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> MeetingRoom:
        """登记会议室: its number, name, seats and whether it is secure (涉密会议室)."""
        key = text(room, "会议室编号")
        self._check_subject_time(f"room:{key}", at)
        authorise(org, MeetingRooms, "RoomAdded", by=by, at=at, record=self)
        if key in self.rooms:
            raise AlreadyExists("会议室", key)
        if not isinstance(secure, bool):
            raise InvalidInput(f"是否涉密须为 True/False (secure must be bool, not {secure!r})")
        added = MeetingRoom(
            key, text(name, "会议室名称"), positive_int(capacity, "容纳人数"), secure
        )
        self._room_added(room=added, by=by, at=at)
        return added

    @event("RoomAdded")
    def _room_added(self, room: MeetingRoom, by: PersonId, at: pendulum.DateTime) -> None:
        self.rooms = {**self.rooms, room.id: room}
        self._acted(f"room:{room.id}", at)

    def room(self, room: object) -> MeetingRoom:
        if not isinstance(room, str) or room not in self.rooms:
            raise UnknownRoom(str(room))
        return self.rooms[room]

    # --- bookings ----------------------------------------------------------------------------

    def check(self, booking: RoomBooking) -> MeetingRoom:
        """The rules a booking meets, without recording it: a secure room for a classified
        meeting, seats for everyone, and no other meeting in the room at an overlapping time
        (the earlier one is named)."""
        room = self.room(booking.room)
        if booking.classified and not room.secure:
            raise RoomNotSecure(room)
        if booking.headcount > room.capacity:
            raise RoomTooSmall(room.name, room.capacity, booking.headcount)
        for other in sorted(self.bookings.values(), key=lambda b: b.starts_at):
            if (
                other.room == room.id
                and other.meeting_id != booking.meeting_id
                and other.overlaps(booking.starts_at, booking.ends_at)
            ):
                raise RoomAlreadyBooked(room, other)
        return room

    def book(
        self,
        *,
        org: Organisation,
        booking: RoomBooking,
        organiser: UnitId,
        kind: MeetingKind,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> MeetingRoom:
        """安排会议室 hold ``booking.room`` for a meeting (a meeting's new booking replaces its
        old one)."""
        self._check_subject_time(f"meeting:{booking.meeting_id}", at)
        authorise(
            org,
            MeetingRooms,
            "RoomBooked",
            by=by,
            at=at,
            record=self,
            booking=booking,
            organiser=organiser,
            kind=kind,
        )
        room = self.check(booking)
        self._room_booked(booking=booking, organiser=organiser, kind=kind, by=by, at=at)
        return room

    @event("RoomBooked")
    def _room_booked(
        self,
        booking: RoomBooking,
        organiser: UnitId,
        kind: MeetingKind,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.bookings = {**self.bookings, booking.meeting_id: booking}
        self._acted(f"meeting:{booking.meeting_id}", at)

    def release(
        self,
        *,
        org: Organisation,
        meeting_id: uuid.UUID,
        reason: str,
        organiser: UnitId,
        kind: MeetingKind,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """释放会议室 when the meeting is cancelled, merged or moved to an outside venue."""
        booking = self.bookings.get(meeting_id)
        if booking is None:
            return
        self._check_subject_time(f"meeting:{meeting_id}", at)
        authorise(
            org,
            MeetingRooms,
            "BookingReleased",
            by=by,
            at=at,
            record=self,
            organiser=organiser,
            kind=kind,
        )
        self._booking_released(
            meeting_id=meeting_id,
            room=booking.room,
            reason=text(reason, "释放理由"),
            organiser=organiser,
            kind=kind,
            by=by,
            at=at,
        )

    @event("BookingReleased")
    def _booking_released(
        self,
        meeting_id: uuid.UUID,
        room: str,
        reason: str,
        organiser: UnitId,
        kind: MeetingKind,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.bookings = {k: v for k, v in self.bookings.items() if k != meeting_id}
        self._acted(f"meeting:{meeting_id}", at)

    def day(self, room: str, day: pendulum.Date, zone: str) -> tuple[RoomBooking, ...]:
        """The bookings of ``room`` that touch the agency-local ``day`` (``zone``), by start."""
        self.room(room)
        start, end = span_on(day, zone)
        return tuple(
            sorted(
                (b for b in self.bookings.values() if b.room == room and b.overlaps(start, end)),
                key=lambda b: b.starts_at,
            )
        )


def span_on(day: pendulum.Date, zone: str) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """The agency-local ``day`` as an interval of instants."""
    start = pendulum.datetime(day.year, day.month, day.day, tz=zone)
    return start, start.add(days=1)


# --- the authority of each step (ADR 0024) ---------------------------------------------------

_ROOM_OFFICE = either(role(Role.OFFICE_REVIEWER), OfficeHead())
"""[001 会议 五(二)3] 会议室管理部门: the general office keeps the rooms."""


def _booker(act: Act) -> Requirement:
    """[001 会议 五(二)3] the general office arranges the room; the organising unit and the
    kind's owner re-book it when they move their meeting (ADR 0049)."""
    kind = act.fact("kind")
    return either(
        _ROOM_OFFICE,
        MemberOf(lambda a: [a.fact("organiser")], "主办处室"),
        named(lambda a: kind_owners(a.org, kind, a.at), "会议所属的主要领导"),
    )


def _releaser(act: Act) -> Requirement:
    """Who cancels, merges or moves a meeting frees its room."""
    return either(_booker(act), role(*PRINCIPAL_ROLES))


AUTHORITY = declare(
    "MeetingRooms",
    {
        "Opened": step("建立会议室登记簿", _ROOM_OFFICE),
        "RoomAdded": step("登记会议室", _ROOM_OFFICE),
        "RoomBooked": step("安排会议室", _booker),
        "BookingReleased": step("释放会议室", _releaser),
    },
)
