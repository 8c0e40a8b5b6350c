"""会议 meetings: the annual meeting plan and the whole life of one meeting
[001 会议管理工作规程; 000 范文6; 002; 004].

Three aggregates:

- `MeetingPlan` 年度会议计划 (:mod:`.plan`): the units' rows for next year, submitted by early
  December, endorsed by each unit's supervising leader, reviewed by the general office and
  approved by the director's office meeting or the joint meeting [001 会议 五(一)1]; the table
  has the columns of the seed's form [001 会议 六 1].
- `Meeting` 会议 (:mod:`.meeting`): a planned meeting (from an approved plan row) or an
  unplanned one (签报), through countersigning and approval, agenda, notice, answers and
  leave, rostrum seating, sign-in, the meeting itself, attendance, minutes and their decided
  items (which open supervision tasks), costs, evaluation and archive.
- `MeetingRooms` 会议室登记簿 (:mod:`.rooms`): the rooms and who holds them when
  [001 会议 五(二)3; 004] (ADR 0048).

Limits (days, headcount, cost) come from `meeting_rules.check_meeting` against the table the
application picks by jurisdiction and meeting date; an over-limit plan or request is approved
only after the principal leader approved an exception, recorded as its own event.

The modules:

- :mod:`.vocabulary`: the office's figures (days, minutes), the meeting kinds and the rules
  each kind fixes, and the statuses;
- :mod:`.checks`: what the plan and the meeting both check (exact numbers, the chair, the
  acting leader, limits an exception covers, known people, a time ahead);
- :mod:`.plan`: the annual plan, its rows and its refusals;
- :mod:`.preparation`: countersigning, topics and materials, the notice, merging;
- :mod:`.attendance`: answers and leave, rostrum seating, sign-in and attendance;
- :mod:`.minutes`: the minutes and their decided items;
- :mod:`.rescheduling`: moving a meeting (改期) and the general office's consent to moving a
  planned one;
- :mod:`.rooms`: the agency's meeting rooms and their bookings (`MeetingRooms`), and
  leaders booked at two overlapping meetings;
- :mod:`.closing`: after the meeting: costs, the evaluation report, the archive;
- :mod:`.meeting`: the meeting aggregate.

Every name is importable from ``govoffice.domain.meeting``. Stored topics come from
``@stable_topics`` and value names from ``__qualname__``, so where a class lives is not part
of the stored format (ADR 0004, 0005).
"""

from __future__ import annotations

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
    ChairNotEligible,
    NothingToExcept,
    exact_number,
    kind_owners,
    uncovered_breaches,
)
from govoffice.domain.meeting.closing import (
    EVALUATION_PARTS,
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
from govoffice.domain.meeting.meeting import Meeting
from govoffice.domain.meeting.minutes import (
    DecidedItem,
    DecidedItemAlreadyLinked,
    DecisionsNotFinal,
    MeetingMinutes,
    MinutesFrozen,
    MinutesRequired,
)
from govoffice.domain.meeting.plan import MeetingPlan, MeetingPlanRow, PlanIncomplete, PlanRowLate
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
from govoffice.domain.meeting.rescheduling import (
    NothingToReschedule,
    PlanChangeNeedsOfficeConsent,
    office_consent,
)
from govoffice.domain.meeting.rooms import (
    ROOMS_ID,
    LeaderClash,
    MeetingRoom,
    MeetingRooms,
    RoomAlreadyBooked,
    RoomBooking,
    RoomNotSecure,
    RoomTooSmall,
    UnknownRoom,
    default_end,
)
from govoffice.domain.meeting.vocabulary import (
    ABSENTEE_URGE_MINUTES,
    AFTER_HELD,
    ARCHIVE_DAYS,
    KIND_RULES,
    MATERIALS_DAYS_BEFORE,
    MEETING_NAMESPACE,
    MERGE_WINDOW_DAYS,
    MINUTES_SERIES,
    PLAN_COLUMNS,
    PLAN_SUBMISSION_LAST_DAY,
    PREPARING,
    ChairRule,
    DistributionGroup,
    LeaveApproverRule,
    MeetingKind,
    MeetingKindRule,
    MeetingLeaveStatus,
    MeetingOwner,
    MeetingPaperStage,
    MeetingPayment,
    MeetingPlanStatus,
    MeetingStatus,
)

__all__ = [
    "ABSENTEE_URGE_MINUTES",
    "AFTER_HELD",
    "ARCHIVE_DAYS",
    "EVALUATION_PARTS",
    "KIND_RULES",
    "LEADER_ROLES",
    "MATERIALS_DAYS_BEFORE",
    "MEETING_NAMESPACE",
    "MERGE_WINDOW_DAYS",
    "MINUTES_SERIES",
    "PLAN_COLUMNS",
    "PLAN_SUBMISSION_LAST_DAY",
    "PREPARING",
    "PRINCIPAL_ROLES",
    "ROOMS_ID",
    "CashSettlementRefused",
    "ChairNotEligible",
    "ChairRule",
    "DecidedItem",
    "DecidedItemAlreadyLinked",
    "DecisionsNotFinal",
    "DistributionGroup",
    "EvaluationIncomplete",
    "HeadcountNotOnSignInSheet",
    "LateArchiveReasonRequired",
    "LeaderClash",
    "LeaderOnLeave",
    "LeaveApproverRule",
    "MaterialsDeadlinePassed",
    "MaterialsMissing",
    "Meeting",
    "MeetingAgendaItem",
    "MeetingAttendance",
    "MeetingCostSettlement",
    "MeetingCountersignMissing",
    "MeetingCountersignature",
    "MeetingEvaluation",
    "MeetingKind",
    "MeetingKindRule",
    "MeetingLeave",
    "MeetingLeaveStatus",
    "MeetingMinutes",
    "MeetingNotYetStarted",
    "MeetingNotice",
    "MeetingOverBudget",
    "MeetingOwner",
    "MeetingPaperStage",
    "MeetingPayment",
    "MeetingPlan",
    "MeetingPlanRow",
    "MeetingPlanStatus",
    "MeetingRoom",
    "MeetingRooms",
    "MeetingSignIn",
    "MeetingStatus",
    "MinutesFrozen",
    "MinutesRequired",
    "NotAMeetingCountersigner",
    "NotInvited",
    "NotMergeable",
    "NotOnAgenda",
    "NothingToExcept",
    "NothingToReschedule",
    "PlanChangeNeedsOfficeConsent",
    "PlanIncomplete",
    "PlanRowLate",
    "RoomAlreadyBooked",
    "RoomBooking",
    "RoomNotSecure",
    "RoomTooSmall",
    "SeatingAlreadyArranged",
    "SettlementAboveSignInStandard",
    "SignInInPerson",
    "SignInSheetRequired",
    "TooLateForMeeting",
    "TooManyInvitees",
    "UnknownRoom",
    "WrongLeaveApprover",
    "default_end",
    "exact_number",
    "kind_owners",
    "office_consent",
    "uncovered_breaches",
]
