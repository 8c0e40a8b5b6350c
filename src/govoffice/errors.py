"""Every error govoffice raises on purpose, under one root: :class:`GovOfficeError`.

Catch a family (``InvalidInput``, ``NotFound``, ``PermissionDenied``, ``WrongStatus``,
``RuleViolation``, ``StoreError``) or the rule itself (``TextFrozen``,
``ClassificationOfficerRequired``, ...). Each has a message a clerk can read (Chinese, with a
short English gloss) and the values involved as attributes; a refused command records
nothing. The classes live beside the rules that raise them (``govoffice.domain.errors`` and
the aggregates' modules) and are imported from there when first used (ADR 0039).

To export another error: add it to ``_EXPORTS`` under its home module and to the
``TYPE_CHECKING`` block below (``tests/test_public_api.py`` names any error left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govoffice._lazy import attach

_EXPORTS: dict[str, tuple[str, ...]] = {
    "govoffice.domain.errors": (
        "AlreadyExists",
        "ConcurrentChange",
        "CorruptRecord",
        "GovOfficeError",
        "InvalidInput",
        "InvalidStoreConfig",
        "InvalidStoreURL",
        "MalformedDocumentNumber",
        "MissingExtra",
        "NaiveDateTime",
        "NotASubstitute",
        "NotFound",
        "PermissionDenied",
        "ReasonRequired",
        "RecordNotFound",
        "RuleViolation",
        "StoreError",
        "StoreNotFound",
        "StoreUnavailable",
        "TimeGoesBackwards",
        "UnknownPerson",
        "UnknownUnit",
        "WrongStatus",
    ),
    "govoffice.adapters.notifiers": ("InvalidNotifierConfig",),
    "govoffice.adapters.record_ids": ("AmbiguousRecordId",),
    "govoffice.application.audit": (
        "AuditUnavailable",
        "TamperDetected",
    ),
    "govoffice.application.incoming": (
        "NoGeneralOffice",
        "NoPrincipalLeader",
    ),
    "govoffice.application.notifications": (
        "DeliveryError",
        "NotificationsFailed",
        "PermanentDeliveryError",
        "TransientDeliveryError",
    ),
    "govoffice.application.rankings": ("InvalidPeriod",),
    "govoffice.application.reports": ("NoEventsInYear",),
    "govoffice.application.services": ("OrganisationNotEstablished",),
    "govoffice.domain.calendar": (
        "CalendarDataMissing",
        "InvalidCalendarData",
    ),
    "govoffice.domain.document": (
        "ClassificationOfficerRequired",
        "ClassifiedNotDisclosable",
        "CountersignNotOverdue",
        "CountersignRequired",
        "InsecurePrintSite",
        "JointSigningOrder",
        "NotACountersigner",
        "NumberMismatch",
        "PrincipalLeaderRequired",
        "PrintNotChecked",
        "RecheckFailed",
        "SecrecyPeriodRequired",
        "TextFrozen",
        "UrgentReasonRequired",
    ),
    "govoffice.domain.incoming": (
        "AlreadyInstructed",
        "CirculatedTwice",
        "CirculationOutstanding",
        "ClassifiedNotScanned",
        "DeadlineRequired",
        "DelayExplanationTooLate",
        "DocumentReturnedToSender",
        "InvalidAssignment",
        "NoDeadline",
        "NotAHandlingUnit",
        "NotAHolder",
        "NotALeader",
        "NotOnInstructionList",
        "NothingDue",
        "OpinionRequired",
        "ReceiptNumberMismatch",
        "ScreeningIncomplete",
    ),
    "govoffice.domain.information": (
        "AlreadyAdopted",
        "LateFigures",
        "MonthNotBegun",
        "MonthNotOver",
        "TargetTooLate",
        "UnknownInformationItem",
    ),
    "govoffice.domain.meeting": (
        "CashSettlementRefused",
        "ChairNotEligible",
        "DecidedItemAlreadyLinked",
        "DecisionsNotFinal",
        "LateArchiveReasonRequired",
        "LeaderOnLeave",
        "MaterialsDeadlinePassed",
        "MaterialsMissing",
        "MeetingCountersignMissing",
        "MeetingNotYetStarted",
        "MeetingOverBudget",
        "MinutesFrozen",
        "MinutesRequired",
        "NotAMeetingCountersigner",
        "NotInvited",
        "NotMergeable",
        "NotOnAgenda",
        "NothingToExcept",
        "PlanIncomplete",
        "PlanRowLate",
        "SignInInPerson",
        "SignInSheetRequired",
        "TooLateForMeeting",
        "TooManyInvitees",
        "WrongLeaveApprover",
    ),
    "govoffice.domain.meeting_rules": (
        "CategoryNotInTable",
        "MeetingLimitExceeded",
        "NoLimitTable",
        "NotOnRostrum",
    ),
    "govoffice.domain.proposal": (
        "AlreadyRated",
        "CoHandlerOpinionsMissing",
        "DisputeWindowClosed",
        "DuplicateProposer",
        "ExtensionAfterDeadline",
        "ExtensionBeyondLimit",
        "FeedbackOutstanding",
        "FollowUpOutstanding",
        "IncompleteReview",
        "LetterNotOverdue",
        "NotAnAssignedUnit",
        "NothingToRate",
        "OpinionAlreadyGiven",
        "ReassignmentUnchanged",
        "ReplyChecksFailed",
        "ReplyNotReviewed",
        "ResultClassNotInScheme",
        "TaskAlreadyLinked",
        "UnknownProposer",
    ),
    "govoffice.domain.routing": (
        "ConflictingRoutingRule",
        "NoRouteFound",
    ),
    "govoffice.domain.supervision": (
        "ChildDeadlineAfterParent",
        "ChildTasksOutstanding",
        "CloseOutWithoutResult",
        "DeadlineInPast",
        "ExtensionAlreadyRequested",
        "ExtensionLimitExceeded",
        "ExtensionTooLate",
        "IncompleteCompletionReport",
        "InstructingLeaderRequired",
        "LetterCannotPostpone",
        "NewDeadlineRequired",
        "NoExtensionRequested",
        "NotOverdue",
        "SourceCannotOpenTasks",
    ),
    "govoffice.domain.supervision_notice": (
        "PeriodNotEnded",
        "TooFewFailures",
    ),
}

if not TYPE_CHECKING:  # type checkers see the imports below instead, and typos as errors
    __all__, __getattr__, __dir__ = attach(__name__, _EXPORTS)
else:
    from govoffice.domain.errors import (
        AlreadyExists as AlreadyExists,
        ConcurrentChange as ConcurrentChange,
        CorruptRecord as CorruptRecord,
        GovOfficeError as GovOfficeError,
        InvalidInput as InvalidInput,
        InvalidStoreConfig as InvalidStoreConfig,
        InvalidStoreURL as InvalidStoreURL,
        MalformedDocumentNumber as MalformedDocumentNumber,
        MissingExtra as MissingExtra,
        NaiveDateTime as NaiveDateTime,
        NotASubstitute as NotASubstitute,
        NotFound as NotFound,
        PermissionDenied as PermissionDenied,
        ReasonRequired as ReasonRequired,
        RecordNotFound as RecordNotFound,
        RuleViolation as RuleViolation,
        StoreError as StoreError,
        StoreNotFound as StoreNotFound,
        StoreUnavailable as StoreUnavailable,
        TimeGoesBackwards as TimeGoesBackwards,
        UnknownPerson as UnknownPerson,
        UnknownUnit as UnknownUnit,
        WrongStatus as WrongStatus,
    )
    from govoffice.adapters.notifiers import (
        InvalidNotifierConfig as InvalidNotifierConfig,
    )
    from govoffice.adapters.record_ids import (
        AmbiguousRecordId as AmbiguousRecordId,
    )
    from govoffice.application.audit import (
        AuditUnavailable as AuditUnavailable,
        TamperDetected as TamperDetected,
    )
    from govoffice.application.incoming import (
        NoGeneralOffice as NoGeneralOffice,
        NoPrincipalLeader as NoPrincipalLeader,
    )
    from govoffice.application.notifications import (
        DeliveryError as DeliveryError,
        NotificationsFailed as NotificationsFailed,
        PermanentDeliveryError as PermanentDeliveryError,
        TransientDeliveryError as TransientDeliveryError,
    )
    from govoffice.application.rankings import (
        InvalidPeriod as InvalidPeriod,
    )
    from govoffice.application.reports import (
        NoEventsInYear as NoEventsInYear,
    )
    from govoffice.application.services import (
        OrganisationNotEstablished as OrganisationNotEstablished,
    )
    from govoffice.domain.calendar import (
        CalendarDataMissing as CalendarDataMissing,
        InvalidCalendarData as InvalidCalendarData,
    )
    from govoffice.domain.document import (
        ClassificationOfficerRequired as ClassificationOfficerRequired,
        ClassifiedNotDisclosable as ClassifiedNotDisclosable,
        CountersignNotOverdue as CountersignNotOverdue,
        CountersignRequired as CountersignRequired,
        InsecurePrintSite as InsecurePrintSite,
        JointSigningOrder as JointSigningOrder,
        NotACountersigner as NotACountersigner,
        NumberMismatch as NumberMismatch,
        PrincipalLeaderRequired as PrincipalLeaderRequired,
        PrintNotChecked as PrintNotChecked,
        RecheckFailed as RecheckFailed,
        SecrecyPeriodRequired as SecrecyPeriodRequired,
        TextFrozen as TextFrozen,
        UrgentReasonRequired as UrgentReasonRequired,
    )
    from govoffice.domain.incoming import (
        AlreadyInstructed as AlreadyInstructed,
        CirculatedTwice as CirculatedTwice,
        CirculationOutstanding as CirculationOutstanding,
        ClassifiedNotScanned as ClassifiedNotScanned,
        DeadlineRequired as DeadlineRequired,
        DelayExplanationTooLate as DelayExplanationTooLate,
        DocumentReturnedToSender as DocumentReturnedToSender,
        InvalidAssignment as InvalidAssignment,
        NoDeadline as NoDeadline,
        NotAHandlingUnit as NotAHandlingUnit,
        NotAHolder as NotAHolder,
        NotALeader as NotALeader,
        NotOnInstructionList as NotOnInstructionList,
        NothingDue as NothingDue,
        OpinionRequired as OpinionRequired,
        ReceiptNumberMismatch as ReceiptNumberMismatch,
        ScreeningIncomplete as ScreeningIncomplete,
    )
    from govoffice.domain.information import (
        AlreadyAdopted as AlreadyAdopted,
        LateFigures as LateFigures,
        MonthNotBegun as MonthNotBegun,
        MonthNotOver as MonthNotOver,
        TargetTooLate as TargetTooLate,
        UnknownInformationItem as UnknownInformationItem,
    )
    from govoffice.domain.meeting import (
        CashSettlementRefused as CashSettlementRefused,
        ChairNotEligible as ChairNotEligible,
        DecidedItemAlreadyLinked as DecidedItemAlreadyLinked,
        DecisionsNotFinal as DecisionsNotFinal,
        LateArchiveReasonRequired as LateArchiveReasonRequired,
        LeaderOnLeave as LeaderOnLeave,
        MaterialsDeadlinePassed as MaterialsDeadlinePassed,
        MaterialsMissing as MaterialsMissing,
        MeetingCountersignMissing as MeetingCountersignMissing,
        MeetingNotYetStarted as MeetingNotYetStarted,
        MeetingOverBudget as MeetingOverBudget,
        MinutesFrozen as MinutesFrozen,
        MinutesRequired as MinutesRequired,
        NotAMeetingCountersigner as NotAMeetingCountersigner,
        NotInvited as NotInvited,
        NotMergeable as NotMergeable,
        NotOnAgenda as NotOnAgenda,
        NothingToExcept as NothingToExcept,
        PlanIncomplete as PlanIncomplete,
        PlanRowLate as PlanRowLate,
        SignInInPerson as SignInInPerson,
        SignInSheetRequired as SignInSheetRequired,
        TooLateForMeeting as TooLateForMeeting,
        TooManyInvitees as TooManyInvitees,
        WrongLeaveApprover as WrongLeaveApprover,
    )
    from govoffice.domain.meeting_rules import (
        CategoryNotInTable as CategoryNotInTable,
        MeetingLimitExceeded as MeetingLimitExceeded,
        NoLimitTable as NoLimitTable,
        NotOnRostrum as NotOnRostrum,
    )
    from govoffice.domain.proposal import (
        AlreadyRated as AlreadyRated,
        CoHandlerOpinionsMissing as CoHandlerOpinionsMissing,
        DisputeWindowClosed as DisputeWindowClosed,
        DuplicateProposer as DuplicateProposer,
        ExtensionAfterDeadline as ExtensionAfterDeadline,
        ExtensionBeyondLimit as ExtensionBeyondLimit,
        FeedbackOutstanding as FeedbackOutstanding,
        FollowUpOutstanding as FollowUpOutstanding,
        IncompleteReview as IncompleteReview,
        LetterNotOverdue as LetterNotOverdue,
        NotAnAssignedUnit as NotAnAssignedUnit,
        NothingToRate as NothingToRate,
        OpinionAlreadyGiven as OpinionAlreadyGiven,
        ReassignmentUnchanged as ReassignmentUnchanged,
        ReplyChecksFailed as ReplyChecksFailed,
        ReplyNotReviewed as ReplyNotReviewed,
        ResultClassNotInScheme as ResultClassNotInScheme,
        TaskAlreadyLinked as TaskAlreadyLinked,
        UnknownProposer as UnknownProposer,
    )
    from govoffice.domain.routing import (
        ConflictingRoutingRule as ConflictingRoutingRule,
        NoRouteFound as NoRouteFound,
    )
    from govoffice.domain.supervision import (
        ChildDeadlineAfterParent as ChildDeadlineAfterParent,
        ChildTasksOutstanding as ChildTasksOutstanding,
        CloseOutWithoutResult as CloseOutWithoutResult,
        DeadlineInPast as DeadlineInPast,
        ExtensionAlreadyRequested as ExtensionAlreadyRequested,
        ExtensionLimitExceeded as ExtensionLimitExceeded,
        ExtensionTooLate as ExtensionTooLate,
        IncompleteCompletionReport as IncompleteCompletionReport,
        InstructingLeaderRequired as InstructingLeaderRequired,
        LetterCannotPostpone as LetterCannotPostpone,
        NewDeadlineRequired as NewDeadlineRequired,
        NoExtensionRequested as NoExtensionRequested,
        NotOverdue as NotOverdue,
        SourceCannotOpenTasks as SourceCannotOpenTasks,
    )
    from govoffice.domain.supervision_notice import (
        PeriodNotEnded as PeriodNotEnded,
        TooFewFailures as TooFewFailures,
    )
