"""Who comes: answers and leave [000 范文6 五 5], rostrum seating [001 会议的座次安排],
sign-in in person [004 六 1] and the attendance facts [000 范文6 五 6] — their values and
refusals.
"""

from __future__ import annotations

import pendulum

from govoffice.domain.errors import PermissionDenied, RuleViolation
from govoffice.domain.meeting.vocabulary import LeaveApproverRule, MeetingLeaveStatus
from govoffice.domain.meeting_rules import AttendanceFact, SeatingChart
from govoffice.domain.values import PersonId, UnitId, value_object


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


class SeatingAlreadyArranged(RuleViolation):
    """[001 会议的座次安排(一)4] a chart exists: arranging again is an override, like a swap,
    and says why (``override_reason``); the previous chart is kept in the record (ADR 0058)."""

    def __init__(self, meeting_id: object, current: SeatingChart) -> None:
        super().__init__(
            f"会议 {meeting_id} 已排定主席台座次({'、'.join(current.seats)}),重新排座须说明"
            "调整理由 (a seating chart exists: re-arranging is an override and needs "
            "override_reason)",
            meeting_id=meeting_id,
            current=current,
        )


class MeetingNotYetStarted(RuleViolation):
    def __init__(self, meeting_id: object, starts_at: pendulum.DateTime) -> None:
        super().__init__(
            f"会议 {meeting_id} 定于 {starts_at} 召开,尚未开始 (not started yet)",
            meeting_id=meeting_id,
            starts_at=starts_at,
        )
