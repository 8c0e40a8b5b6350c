"""岗位要求表: which role (or unit headship, or record-given authority) each recorded step
needed, read from the domain's permission checks, so an auditor can ask of any decision
"did the person who decided hold that role at that time?".

The table maps (record type, event name) to a :class:`Requirement` (or to a function of the
record's state before the step and the event, where the domain's check depends on them,
e.g. who may return a draft depends on the stage it was returned from). It is evaluated
against the organisation as it stood at the decision's business time. The person whose
authority a step used is ``on_behalf_of`` when a substitute acted (and then the substitute
must have been appointed for that day), else ``by``.

Steps whose permission is not a role (an invitee answering, a reader confirming) or that
the time-driven step records (``system:tick``) have no requirement: ``held`` is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pendulum

from govoffice.domain.base import TICK_ACTOR
from govoffice.domain.document import DocumentStatus, PartyKind
from govoffice.domain.organisation import Organisation, Role, UnitFunction


@attrs.frozen
class RoleCheck:
    """Whether the authority a decision used was held at its business time.

    ``required``: what the step needed, in the office's words; ``person``: whose authority
    (``on_behalf_of`` or ``by``); ``held``: True/False, None when the step needs no role;
    ``substitute_valid``: for a decision on someone's behalf, whether ``by`` was that
    person's appointed substitute on that day (None otherwise)."""

    required: str
    person: str | None
    held: bool | None
    substitute_valid: bool | None = None
    note: str = ""


@attrs.frozen
class Context:
    """What a requirement is evaluated against."""

    org: Organisation
    person: str
    at: pendulum.DateTime
    state: Any
    event: Any


class Requirement:
    def describe(self, ctx: Context) -> str:
        raise NotImplementedError

    def met(self, ctx: Context) -> bool:
        raise NotImplementedError


UnitOf = Callable[[Context], str | None]
PeopleOf = Callable[[Context], Iterable[str]]


@attrs.frozen
class AnyRole(Requirement):
    roles: tuple[Role, ...]

    def describe(self, ctx: Context) -> str:
        return "或".join(r.label for r in self.roles)

    def met(self, ctx: Context) -> bool:
        return any(ctx.org.holds(ctx.person, r, ctx.at) for r in self.roles)


def role(*roles: Role) -> AnyRole:
    return AnyRole(roles)


@attrs.frozen
class HeadOf(Requirement):
    """处室负责人 of a unit named by the record or the event."""

    unit: UnitOf
    what: str = ""

    def describe(self, ctx: Context) -> str:
        unit = self.unit(ctx)
        name = ctx.org.units[unit].name if unit in ctx.org.units else (unit or self.what)  # type: ignore[index]
        return f"{name}负责人"

    def met(self, ctx: Context) -> bool:
        unit = self.unit(ctx)
        return unit is not None and ctx.org.is_head_of(ctx.person, unit, ctx.at)


@attrs.frozen
class OfficeHead(Requirement):
    """办公室负责人: head of a unit with the general-office function."""

    def describe(self, ctx: Context) -> str:
        return "办公室负责人"

    def met(self, ctx: Context) -> bool:
        offices = ctx.org.units_with(UnitFunction.GENERAL_OFFICE)
        return any(ctx.org.is_head_of(ctx.person, u, ctx.at) for u in offices)


@attrs.frozen
class MemberOf(Requirement):
    """A person of the unit (at that time)."""

    units: Callable[[Context], Iterable[str | None]]
    what: str

    def describe(self, ctx: Context) -> str:
        units = [u for u in self.units(ctx) if u is not None]
        names = [ctx.org.units[u].name if u in ctx.org.units else u for u in units]  # type: ignore[index]
        return f"{'或'.join(names) or self.what}人员"

    def met(self, ctx: Context) -> bool:
        person = ctx.org.people.get(ctx.person)  # type: ignore[call-overload]
        return person is not None and person.unit in set(self.units(ctx))


@attrs.frozen
class OneOf(Requirement):
    """The record itself names who may act (its drafter, the meeting's chair, ...)."""

    people: PeopleOf
    what: str

    def describe(self, ctx: Context) -> str:
        return self.what

    def met(self, ctx: Context) -> bool:
        return ctx.person in set(self.people(ctx))


@attrs.frozen
class SupervisingLeaderOf(Requirement):
    unit: UnitOf

    def describe(self, ctx: Context) -> str:
        return f"{self.unit(ctx)} 的分管局领导"

    def met(self, ctx: Context) -> bool:
        unit = self.unit(ctx)
        return unit is not None and ctx.person in ctx.org.supervising_leaders(unit)


@attrs.frozen
class Either(Requirement):
    options: tuple[Requirement, ...]

    def describe(self, ctx: Context) -> str:
        return " 或 ".join(o.describe(ctx) for o in self.options)

    def met(self, ctx: Context) -> bool:
        return any(o.met(ctx) for o in self.options)


@attrs.frozen
class Both(Requirement):
    parts: tuple[Requirement, ...]

    def describe(self, ctx: Context) -> str:
        return " 且 ".join(p.describe(ctx) for p in self.parts)

    def met(self, ctx: Context) -> bool:
        return all(p.met(ctx) for p in self.parts)


def either(*options: Requirement) -> Either:
    return Either(options)


def both(*parts: Requirement) -> Both:
    return Both(parts)


Rule = Requirement | Callable[[Context], Requirement | None]


def _state(name: str) -> Callable[[Context], Any]:
    return lambda c: getattr(c.state, name, None)


def _event(name: str) -> Callable[[Context], Any]:
    return lambda c: getattr(c.event, name, None)


def _one(value: Callable[[Context], Any]) -> PeopleOf:
    return lambda c: [value(c)]


# --- outgoing documents (发文) ------------------------------------------------------------

_LEAD = HeadOf(lambda c: c.state.form.lead_unit, "主办处室")
_DRAFTER = OneOf(_one(_state("drafter")), "本文拟稿人")
_OFFICE_REVIEWER = role(Role.OFFICE_REVIEWER)
_LEAD_PEOPLE = MemberOf(lambda c: [c.state.form.lead_unit], "主办处室")


def _signing_authority(ctx: Context) -> Requirement:
    form = ctx.state.form
    parts: list[Requirement] = []
    if form.classification.is_classified:
        parts.append(role(Role.CLASSIFICATION_OFFICER))
    else:
        parts.append(role(Role.LEADER, Role.PRINCIPAL_LEADER))
    if form.important:
        parts.append(role(Role.PRINCIPAL_LEADER))
    return parts[0] if len(parts) == 1 else Both(tuple(parts))


def _document_returned(ctx: Context) -> Requirement:
    stage = ctx.event.stage
    if stage is DocumentStatus.UNIT_REVIEW:
        return _LEAD
    if stage is DocumentStatus.OFFICE_CHECK:
        return _OFFICE_REVIEWER
    if stage is DocumentStatus.OFFICE_REVIEW:
        return OfficeHead()
    return _signing_authority(ctx)


def _document_countersigned(ctx: Context) -> Requirement:
    party = ctx.event.answer.party
    if party.kind is PartyKind.UNIT:
        return HeadOf(lambda c: party.id)
    return either(_OFFICE_REVIEWER, _LEAD_PEOPLE)


DOCUMENT: dict[str, Rule] = {
    "Drafted": both(role(Role.DRAFTER), MemberOf(lambda c: [c.event.form.lead_unit], "主办处室")),
    "Revised": _DRAFTER,
    "SubmittedForReview": _DRAFTER,
    "Reviewed": _LEAD,
    "ReturnedForRevision": _document_returned,
    "CountersignRequested": lambda c: (
        _LEAD if c.state.status is DocumentStatus.UNIT_REVIEWED else _OFFICE_REVIEWER
    ),
    "Countersigned": _document_countersigned,
    "CountersignDeemedAgreed": either(_OFFICE_REVIEWER, _LEAD_PEOPLE),
    "OpinionResolved": _LEAD,
    "SubmittedToOffice": either(_DRAFTER, _LEAD),
    "OfficeChecked": _OFFICE_REVIEWER,
    "OfficeReviewed": OfficeHead(),
    "Signed": _signing_authority,
    "CoSigned": _OFFICE_REVIEWER,
    "AmendmentApproved": OneOf(_one(_state("signed_by")), "原签发人"),
    "Registered": _OFFICE_REVIEWER,
    "Rechecked": _OFFICE_REVIEWER,
    "Printed": _OFFICE_REVIEWER,
    "PrintChecked": _DRAFTER,
    "Distributed": either(_DRAFTER, _OFFICE_REVIEWER),
    "Archived": role(Role.ARCHIVIST),
    "Withdrawn": either(_DRAFTER, _LEAD),
}

# --- incoming documents (收文) ------------------------------------------------------------

_SECRETARY = role(Role.RECEIVING_SECRETARY)
_HANDLER = HeadOf(_state("lead_unit"), "主办处室")

INCOMING: dict[str, Rule] = {
    "Received": _SECRETARY,
    "Registered": _SECRETARY,
    "Screened": _SECRETARY,
    "Returned": _SECRETARY,
    "Assigned": HeadOf(_state("desk"), "分办处室"),
    "Instructed": OneOf(lambda c: c.state.leaders, "阅批名单上的领导"),
    "HandlingAccepted": _HANDLER,
    "SentBack": HeadOf(_event("unit"), "退回处室"),
    "DelayExplained": _HANDLER,
    "Handled": _HANDLER,
    "Replied": _HANDLER,
    "Circulated": either(
        _SECRETARY, HeadOf(_state("desk"), "分办处室"), HeadOf(_state("lead_unit"), "主办处室")
    ),
    "ReadConfirmed": OneOf(lambda c: c.state.holders, "持有该文的传阅人"),
    "Urged": role(Role.RECEIVING_SECRETARY, Role.SUPERVISION_OFFICER),
    "Archived": either(
        role(Role.ARCHIVIST),
        HeadOf(lambda c: c.state.lead_unit or c.state.desk, "主办处室"),
    ),
}

# --- supervision tasks (督查督办) ---------------------------------------------------------

_OFFICER = role(Role.SUPERVISION_OFFICER)
_TASK_LEAD = HeadOf(_state("lead_unit"), "承办处室")

SUPERVISION: dict[str, Rule] = {
    "Opened": _OFFICER,
    "Urged": _OFFICER,
    "ProgressReported": MemberOf(
        lambda c: [c.state.lead_unit, *c.state.co_units], "承办或协办处室"
    ),
    "ExtensionRequested": _TASK_LEAD,
    "ExtensionGranted": _OFFICER,
    "ExtensionRefused": _OFFICER,
    "Completed": _TASK_LEAD,
    "CompletionAccepted": _OFFICER,
    "CompletionRejected": _OFFICER,
    "ClosedOut": _OFFICER,
    "Split": _OFFICER,
}

# --- proposals (建议提案) -----------------------------------------------------------------

_PROPOSAL_OFFICE = role(Role.SUPERVISION_OFFICER, Role.OFFICE_REVIEWER)
_PROPOSAL_LEAD = HeadOf(_state("lead_unit"), "主办单位")

PROPOSAL: dict[str, Rule] = {
    "Submitted": _PROPOSAL_OFFICE,
    "Assigned": _PROPOSAL_OFFICE,
    "Reassigned": _PROPOSAL_OFFICE,
    "AssignmentDisputed": HeadOf(_event("unit"), "承办单位"),
    "CoHandlerOpinionGiven": HeadOf(_event("unit"), "协办单位"),
    "ProposerMet": MemberOf(lambda c: [c.state.lead_unit], "主办单位"),
    "Urged": _PROPOSAL_OFFICE,
    "ExtensionGranted": _PROPOSAL_OFFICE,
    "ReplyDrafted": _PROPOSAL_LEAD,
    "ReplyReviewed": _OFFICE_REVIEWER,
    "ReplyReturned": _OFFICE_REVIEWER,
    "Replied": _PROPOSAL_LEAD,
    "FeedbackReceived": _PROPOSAL_OFFICE,
    "Reopened": _PROPOSAL_OFFICE,
    "FollowedUp": _PROPOSAL_LEAD,
    "Closed": _PROPOSAL_OFFICE,
}

# --- meetings (会议) and the annual plan --------------------------------------------------

_PRINCIPAL = role(Role.PRINCIPAL_LEADER)
_ORGANISER = either(MemberOf(lambda c: [c.state.organiser], "主办处室"), role(Role.OFFICE_REVIEWER))


def _meeting_countersigned(ctx: Context) -> Requirement:
    party = ctx.event.signature.party
    if party in ctx.org.units:
        return HeadOf(lambda c: party)
    return OneOf(lambda c: [party], f"分管局领导 {party}")


MEETING: dict[str, Rule] = {
    "Planned": either(
        MemberOf(lambda c: [c.event.organiser], "主办处室"), role(Role.OFFICE_REVIEWER)
    ),
    "Requested": MemberOf(lambda c: [c.event.organiser], "主办处室"),
    "Countersigned": _meeting_countersigned,
    "LimitExceptionApproved": _PRINCIPAL,
    "Approved": _PRINCIPAL,
    "Rejected": _PRINCIPAL,
    "AgendaSet": OneOf(lambda c: [c.state.chair, c.state.director], "会议主持人或局长"),
    "NoticeDrafted": MemberOf(lambda c: [c.state.organiser], "主办处室"),
    "Noticed": either(_PRINCIPAL, SupervisingLeaderOf(_state("organiser"))),
    "SeatingOverridden": _ORGANISER,
    "Held": _ORGANISER,
    "AttendanceRecorded": _ORGANISER,
    "Cancelled": either(OfficeHead(), _PRINCIPAL),
    "MinutesDrafted": _ORGANISER,
    "MinutesSigned": OneOf(_one(_state("chair")), "会议主持人"),
    "MinutesNumbered": _OFFICE_REVIEWER,
    "MinutesDistributed": _OFFICE_REVIEWER,
    "CostsSettled": _ORGANISER,
    "Evaluated": HeadOf(_state("organiser"), "主办处室"),
    "Archived": role(Role.ARCHIVIST),
}

MEETING_PLAN: dict[str, Rule] = {
    "Opened": _OFFICE_REVIEWER,
    "RowSubmitted": HeadOf(lambda c: c.event.row.organiser, "提出处室"),
    "Reviewed": OfficeHead(),
    "LimitExceptionApproved": _PRINCIPAL,
    "Approved": _PRINCIPAL,
    "Reopened": OfficeHead(),
}

# --- the organisation ---------------------------------------------------------------------

_ADMIN = role(Role.ORG_ADMIN)

ORGANISATION: dict[str, Rule] = {
    name: _ADMIN
    for name in (
        "UnitAdded",
        "PersonAdded",
        "PersonMoved",
        "RoleGranted",
        "RoleRevoked",
        "SupervisionAssigned",
        "SubstituteAppointed",
        "SecurePrintSiteAdded",
    )
}

# --- 目标管理 the target table (ADR 0036) -----------------------------------------------------

_ASSESSMENT = role(Role.ASSESSMENT_OFFICER)
_LEADING_GROUP = role(Role.PRINCIPAL_LEADER)
_UNIT_HEAD = HeadOf(_event("unit"), "被考核单位")

TARGETS: dict[str, Rule] = {
    **{
        name: _ASSESSMENT
        for name in (
            "Drafted",
            "IndicatorAdded",
            "IndicatorRevised",
            "IndicatorRemoved",
            "OpinionsSolicited",
            "SubmittedForApproval",
            "Issued",
            "AmendmentProposed",
            "IndicatorChecked",
            "DeductionRecorded",
            "DeductionWaived",
            "DeductionUpheld",
            "HalfYearCheckStarted",
            "NamedLagging",
            "Assessed",
        )
    },
    **{
        name: _LEADING_GROUP
        for name in ("Approved", "ReturnedForRevision", "AmendmentApproved", "AmendmentRejected")
    },
    **{
        name: _UNIT_HEAD
        for name in (
            "OpinionGiven",
            "CorrectionReported",
            "SelfCheckReported",
            "CatchUpPlanReported",
        )
    },
}

REQUIREMENTS: dict[str, dict[str, Rule]] = {
    "OutgoingDocument": DOCUMENT,
    "IncomingDocument": INCOMING,
    "SupervisionTask": SUPERVISION,
    "Proposal": PROPOSAL,
    "Meeting": MEETING,
    "MeetingPlan": MEETING_PLAN,
    "Organisation": ORGANISATION,
    "CalendarRegister": {"Opened": _ADMIN, "NoticeLoaded": _ADMIN, "NoticeCorrected": _ADMIN},
    "TargetTable": TARGETS,
}
"""(record type name, event name) → what the step needed."""


def requirement_for(record_type: type, state: Any, event: Any, ctx: Context) -> Requirement | None:
    rule = REQUIREMENTS.get(record_type.__name__, {}).get(type(event).__name__)
    if rule is None or isinstance(rule, Requirement):
        return rule
    return rule(ctx)


def check_decision(
    record_type: type, state: Any, event: Any, org: Organisation | None
) -> RoleCheck:
    """Did the authority ``event`` used hold what its step needed, at its business time?
    ``state`` is the record before the event (None for the creating event), ``org`` the
    organisation as of the event's business time (None when it did not exist yet)."""
    by = getattr(event, "by", None)
    on_behalf_of = getattr(event, "on_behalf_of", None)
    at = getattr(event, "at", None)
    person = on_behalf_of or by
    if by == TICK_ACTOR:
        return RoleCheck("系统定时步骤 (time-driven step)", by, None)
    if person is None or at is None:
        return RoleCheck("—", person, None, note="事件未记录办理人或时间 (no by/at)")
    if org is None:
        return RoleCheck("—", person, None, note="当时尚未建立机关组织 (no organisation yet)")
    ctx = Context(org=org, person=person, at=at, state=state, event=event)
    try:
        requirement = requirement_for(record_type, state, event, ctx)
    except (AttributeError, KeyError, TypeError) as e:  # a record shape the table predates
        return RoleCheck("—", person, None, note=f"岗位要求无法判定 ({type(e).__name__}: {e})")
    substitute_valid = None
    if on_behalf_of is not None and on_behalf_of != by:
        substitute_valid = org.substitute_for(on_behalf_of, at.date()) == by
    if requirement is None:
        return RoleCheck("无岗位要求 (no role rule for this step)", person, None, substitute_valid)
    try:
        required = requirement.describe(ctx)
        held = requirement.met(ctx)
    except (AttributeError, KeyError, TypeError) as e:
        return RoleCheck("—", person, None, substitute_valid, f"{type(e).__name__}: {e}")
    note = ""
    if substitute_valid is False:
        note = f"{by} 当日不是 {on_behalf_of} 的代理人 (not the appointed substitute that day)"
    return RoleCheck(required, person, held, substitute_valid, note)
