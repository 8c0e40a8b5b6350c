"""govoffice: the paperwork of a Chinese government office (办文、办会、办事) as
event-sourced records.

>>> import govoffice
>>> office = govoffice.open_office("memory")
>>> govoffice.Role.LEADER.label
'局领导'

Public names (listed in the README, pinned by ``tests/test_public_api.py``): the office
(:func:`open_office`, :class:`Office`, the ports an application may implement), the
vocabulary every command accepts (enums, value objects such as :class:`DocumentNumber`), the
rule tables an agency may replace (``SEED_*`` / ``DEFAULT_*``), and the results of queries.
Every error is in :mod:`govoffice.errors`. Each name is imported from its home module when
first used, so ``import govoffice`` costs almost nothing (ADR 0039); the home modules
(``govoffice.domain.*``, ``govoffice.application.*``) stay importable as before.

To export another name: add it to ``_EXPORTS`` under its home module and to the
``TYPE_CHECKING`` block below, then update the snapshot (see ``tests/test_public_api.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govoffice._lazy import attach

__version__ = "0.1.0"

_EXPORTS: dict[str, tuple[str, ...]] = {
    "govoffice.bootstrap": ("open_office",),
    "govoffice.application.office": ("Office",),
    "govoffice.application.ports": (
        "Clock",
        "SystemClock",
        "WorkingDays",
    ),
    "govoffice.domain.errors": ("GovOfficeError",),
    "govoffice.domain.values": (
        "DocumentNumber",
        "LabelledEnum",
    ),
    "govoffice.domain.organisation": (
        "Person",
        "Role",
        "RoleGrant",
        "Substitution",
        "Unit",
        "UnitFunction",
    ),
    "govoffice.domain.document": (
        "Classification",
        "CountersignParty",
        "Disclosure",
        "DocType",
        "DocumentStatus",
        "DraftForm",
        "PartyKind",
        "RetentionPeriod",
        "Urgency",
        "UrgentDeadlines",
    ),
    "govoffice.domain.incoming": (
        "HandlingKind",
        "Importance",
        "IncomingStatus",
        "IncomingUrgeChannel",
        "LeaderInstruction",
        "ReadingResult",
        "ReceiptNumber",
        "ScreeningCheck",
        "UrgingCadence",
    ),
    "govoffice.domain.routing": (
        "RoutingDecision",
        "RoutingTable",
        "SenderRule",
        "SenderType",
        "SubjectRule",
    ),
    "govoffice.domain.links": (
        "SourceKind",
        "SourceRef",
    ),
    "govoffice.domain.supervision": (
        "DEFAULT_POLICY",
        "CompletionReport",
        "DeadlinePeriod",
        "DeadlinePolicy",
        "FailureKind",
        "PeriodUnit",
        "SupervisionNumber",
        "SupervisionStatus",
        "SupervisionUrgency",
        "UrgeChannel",
    ),
    "govoffice.domain.supervision_notice": ("NoticePeriod",),
    "govoffice.domain.proposal": (
        "ProposalField",
        "ProposalKind",
        "ProposalPolicy",
        "ProposalStatus",
        "ProposalUrgeChannel",
        "Proposer",
        "Rating",
        "ReplyCheck",
        "ResultClass",
        "ResultScheme",
    ),
    "govoffice.domain.meeting": (
        "KIND_RULES",
        "ChairRule",
        "DistributionGroup",
        "LeaveApproverRule",
        "MeetingKind",
        "MeetingKindRule",
        "MeetingPayment",
        "MeetingPlanStatus",
        "MeetingStatus",
    ),
    "govoffice.domain.meeting_rules": (
        "DEFAULT_LIMITS",
        "SEED_ATTENDANCE_SCORING",
        "SEED_LIMITS",
        "AttendanceFact",
        "AttendanceScoringTable",
        "CentreOutSeating",
        "LimitKind",
        "LimitRegistry",
        "LimitTable",
        "MeetingCategory",
        "MeetingForm",
        "MeetingLimit",
        "SeatingPolicy",
    ),
    "govoffice.domain.information": (
        "SEED_INFORMATION_SCORING",
        "AdoptionLevel",
        "InformationScoringTable",
        "InformationStatus",
        "UnitTier",
    ),
    "govoffice.domain.calendar": (
        "CalendarYear",
        "CutOff",
        "DeadlineRules",
        "LastDayRule",
        "WorkingCalendar",
    ),
    "govoffice.application.history": ("Decision", "Via"),
    "govoffice.application.tokens": ("IssuedToken", "TokenInfo"),
    "govoffice.domain.api_token": ("TokenStatus",),
    "govoffice.application.queues": (
        "QueueItem",
        "UrgeItem",
    ),
    "govoffice.application.rankings": (
        "DEFAULT_RANKING_RULES",
        "Measure",
        "Period",
        "Ranking",
        "RankingRules",
    ),
    "govoffice.application.reports": ("AnnualReport",),
    "govoffice.application.audit": (
        "AuditTrail",
        "VerifyReport",
    ),
    "govoffice.application.notifications": (
        "DeliveryReport",
        "Message",
        "Notifier",
        "RetryPolicy",
    ),
    "govoffice.adapters.calendar_cn": ("china_calendar",),
    "govoffice.adapters.notifiers": ("notifier_from_config",),
}

if not TYPE_CHECKING:  # type checkers see the imports below instead, and typos as errors
    __all__, __getattr__, __dir__ = attach(__name__, _EXPORTS)
else:
    from govoffice.bootstrap import (
        open_office as open_office,
    )
    from govoffice.application.office import (
        Office as Office,
    )
    from govoffice.application.ports import (
        Clock as Clock,
        SystemClock as SystemClock,
        WorkingDays as WorkingDays,
    )
    from govoffice.domain.errors import (
        GovOfficeError as GovOfficeError,
    )
    from govoffice.domain.values import (
        DocumentNumber as DocumentNumber,
        LabelledEnum as LabelledEnum,
    )
    from govoffice.domain.organisation import (
        Person as Person,
        Role as Role,
        RoleGrant as RoleGrant,
        Substitution as Substitution,
        Unit as Unit,
        UnitFunction as UnitFunction,
    )
    from govoffice.domain.document import (
        Classification as Classification,
        CountersignParty as CountersignParty,
        Disclosure as Disclosure,
        DocType as DocType,
        DocumentStatus as DocumentStatus,
        DraftForm as DraftForm,
        PartyKind as PartyKind,
        RetentionPeriod as RetentionPeriod,
        Urgency as Urgency,
        UrgentDeadlines as UrgentDeadlines,
    )
    from govoffice.domain.incoming import (
        HandlingKind as HandlingKind,
        Importance as Importance,
        IncomingStatus as IncomingStatus,
        IncomingUrgeChannel as IncomingUrgeChannel,
        LeaderInstruction as LeaderInstruction,
        ReadingResult as ReadingResult,
        ReceiptNumber as ReceiptNumber,
        ScreeningCheck as ScreeningCheck,
        UrgingCadence as UrgingCadence,
    )
    from govoffice.domain.routing import (
        RoutingDecision as RoutingDecision,
        RoutingTable as RoutingTable,
        SenderRule as SenderRule,
        SenderType as SenderType,
        SubjectRule as SubjectRule,
    )
    from govoffice.domain.links import (
        SourceKind as SourceKind,
        SourceRef as SourceRef,
    )
    from govoffice.domain.supervision import (
        DEFAULT_POLICY as DEFAULT_POLICY,
        CompletionReport as CompletionReport,
        DeadlinePeriod as DeadlinePeriod,
        DeadlinePolicy as DeadlinePolicy,
        FailureKind as FailureKind,
        PeriodUnit as PeriodUnit,
        SupervisionNumber as SupervisionNumber,
        SupervisionStatus as SupervisionStatus,
        SupervisionUrgency as SupervisionUrgency,
        UrgeChannel as UrgeChannel,
    )
    from govoffice.domain.supervision_notice import (
        NoticePeriod as NoticePeriod,
    )
    from govoffice.domain.proposal import (
        ProposalField as ProposalField,
        ProposalKind as ProposalKind,
        ProposalPolicy as ProposalPolicy,
        ProposalStatus as ProposalStatus,
        ProposalUrgeChannel as ProposalUrgeChannel,
        Proposer as Proposer,
        Rating as Rating,
        ReplyCheck as ReplyCheck,
        ResultClass as ResultClass,
        ResultScheme as ResultScheme,
    )
    from govoffice.domain.meeting import (
        KIND_RULES as KIND_RULES,
        ChairRule as ChairRule,
        DistributionGroup as DistributionGroup,
        LeaveApproverRule as LeaveApproverRule,
        MeetingKind as MeetingKind,
        MeetingKindRule as MeetingKindRule,
        MeetingPayment as MeetingPayment,
        MeetingPlanStatus as MeetingPlanStatus,
        MeetingStatus as MeetingStatus,
    )
    from govoffice.domain.meeting_rules import (
        DEFAULT_LIMITS as DEFAULT_LIMITS,
        SEED_ATTENDANCE_SCORING as SEED_ATTENDANCE_SCORING,
        SEED_LIMITS as SEED_LIMITS,
        AttendanceFact as AttendanceFact,
        AttendanceScoringTable as AttendanceScoringTable,
        CentreOutSeating as CentreOutSeating,
        LimitKind as LimitKind,
        LimitRegistry as LimitRegistry,
        LimitTable as LimitTable,
        MeetingCategory as MeetingCategory,
        MeetingForm as MeetingForm,
        MeetingLimit as MeetingLimit,
        SeatingPolicy as SeatingPolicy,
    )
    from govoffice.domain.information import (
        SEED_INFORMATION_SCORING as SEED_INFORMATION_SCORING,
        AdoptionLevel as AdoptionLevel,
        InformationScoringTable as InformationScoringTable,
        InformationStatus as InformationStatus,
        UnitTier as UnitTier,
    )
    from govoffice.domain.calendar import (
        CalendarYear as CalendarYear,
        CutOff as CutOff,
        DeadlineRules as DeadlineRules,
        LastDayRule as LastDayRule,
        WorkingCalendar as WorkingCalendar,
    )
    from govoffice.application.history import (
        Decision as Decision,
        Via as Via,
    )
    from govoffice.application.tokens import (
        IssuedToken as IssuedToken,
        TokenInfo as TokenInfo,
    )
    from govoffice.domain.api_token import TokenStatus as TokenStatus
    from govoffice.application.queues import (
        QueueItem as QueueItem,
        UrgeItem as UrgeItem,
    )
    from govoffice.application.rankings import (
        DEFAULT_RANKING_RULES as DEFAULT_RANKING_RULES,
        Measure as Measure,
        Period as Period,
        Ranking as Ranking,
        RankingRules as RankingRules,
    )
    from govoffice.application.reports import (
        AnnualReport as AnnualReport,
    )
    from govoffice.application.audit import (
        AuditTrail as AuditTrail,
        VerifyReport as VerifyReport,
    )
    from govoffice.application.notifications import (
        DeliveryReport as DeliveryReport,
        Message as Message,
        Notifier as Notifier,
        RetryPolicy as RetryPolicy,
    )
    from govoffice.adapters.calendar_cn import (
        china_calendar as china_calendar,
    )
    from govoffice.adapters.notifiers import (
        notifier_from_config as notifier_from_config,
    )
