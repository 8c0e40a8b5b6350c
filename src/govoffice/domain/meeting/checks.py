"""Checks the annual plan and the meeting share: exact numbers, who may chair a kind
[001 会议 四(一); 000 范文6 三], the limits an approved exception covers
[001 会议 五(三)3-4], known people and a meeting time ahead.

Who may take a step (the acting person's authority) is not checked here: each aggregate
declares it in its ``AUTHORITY`` table (ADR 0024). What is checked here is the people a
command *names* — the chair it appoints, the principal leader who delegates, the invitees —
as the organisation stood at the act's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import pendulum

from govoffice.domain.errors import InvalidInput, PermissionDenied, RuleViolation
from govoffice.domain.meeting.vocabulary import (
    ChairRule,
    LeaveApproverRule,
    MeetingKind,
    MeetingOwner,
)
from govoffice.domain.meeting_rules import LimitBreach, LimitTable, MeetingFigures, check_meeting
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import PersonId, business_time, texts


def exact_number(value: object, what: str) -> Decimal:
    """An exact, finite, non-negative number (days, yuan, 万元); floats are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(
            f"{what} {value!r} 须为整数、Decimal 或数字文字 (an exact number, not a float)",
            what=what,
            value=value,
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"{what} {value!r} 不是非负的有限数字", what=what, value=value)
    return number


class ChairNotEligible(PermissionDenied):
    """[001 会议 四(一); 000 范文6 三] a kind's meetings are chaired by whom its rule names."""

    def __init__(self, kind: MeetingKind, person_id: str) -> None:
        super().__init__(
            person_id, f"主持{kind.label}", f"{kind.rule.chair.label} {kind.rule.clause}"
        )


class NothingToExcept(RuleViolation):
    def __init__(self, what: object) -> None:
        super().__init__(f"{what} 未超出会议标准,无须批准例外 (within the limits)", what=what)


def _covered(breach: LimitBreach, excepted: Sequence[LimitBreach]) -> bool:
    """An approved exception covers a breach of the same limit up to the value it allowed."""
    return any(e.limit is breach.limit and breach.asked <= e.asked for e in excepted)


def uncovered_breaches(
    figures: MeetingFigures, table: LimitTable, excepted: Sequence[LimitBreach]
) -> tuple[LimitBreach, ...]:
    """The limits ``figures`` break that no approved exception covers."""
    return tuple(b for b in check_meeting(figures, table) if not _covered(b, excepted))


LEADER_ROLES = (Role.LEADER, Role.PRINCIPAL_LEADER)

PRINCIPAL_ROLES = (Role.PRINCIPAL_LEADER, Role.PARTY_SECRETARY)
"""主要领导: the director (PRINCIPAL_LEADER) and, where declared, the party secretary."""


def kind_owners(org: Organisation, kind: MeetingKind, at: datetime) -> tuple[PersonId, ...]:
    """Who owns ``kind``'s meetings at ``at`` (`MeetingOwner`, ADR 0049): the party secretary
    (holders of `Role.PARTY_SECRETARY`; the principal leaders where none is declared) owns
    the party group's; the director (the principal leaders who are not the party secretary;
    all of them where none is declared apart) owns the others; either owns the joint
    meeting. In an agency where one person is both, that person owns every kind."""
    principals = org.principal_leaders(at)
    secretaries = org.holders(Role.PARTY_SECRETARY, at)
    party = secretaries or principals
    directors = tuple(p for p in principals if p not in secretaries) or principals
    owner = kind.rule.owner
    if owner is MeetingOwner.PARTY_SECRETARY:
        return party
    if owner is MeetingOwner.DIRECTOR:
        return directors
    return tuple(sorted({*party, *directors}))


def _chair_and_approvers(
    org: Organisation,
    kind: MeetingKind,
    chair: PersonId,
    delegated_by: PersonId | None,
    at: pendulum.DateTime,
) -> tuple[PersonId, PersonId]:
    """Check the chair named for a meeting against the kind's rule, on the organisation at
    ``at``; return (director, leave approver) [000 范文6 五 5: 党组会议向党组书记、局务会议
    等向局长、专题会议向召集会议的副局长请假]. The "director" is the kind's owner (ADR 0049):
    the chair when he owns the kind, else the owner who delegated him, else the kind's one
    owner — so an agency whose party secretary and director are two people names nobody
    extra for a meeting one of them owns."""
    org.known(chair)
    rule = kind.rule
    owners = kind_owners(org, kind, at)
    is_principal = any(org.holds(chair, r, at) for r in PRINCIPAL_ROLES)
    if rule.chair is ChairRule.PRINCIPAL and not is_principal:
        raise ChairNotEligible(kind, chair)
    secretary_only = (
        rule.owner is MeetingOwner.PARTY_SECRETARY and rule.chair is ChairRule.PRINCIPAL
    )
    if secretary_only and chair not in owners:
        raise ChairNotEligible(kind, chair)
    if not org.holds(chair, Role.LEADER, at) and not is_principal:
        raise ChairNotEligible(kind, chair)
    if delegated_by is not None:
        org.known(delegated_by)
        if delegated_by not in owners:
            raise PermissionDenied(
                delegated_by, f"委托主持{kind.label}", f"{rule.owner.label}(主要领导)"
            )
    is_owner = chair in owners
    if rule.chair is ChairRule.PRINCIPAL_OR_DELEGATE and not is_owner and delegated_by is None:
        raise ChairNotEligible(kind, chair)
    if is_owner:
        director = chair
    elif delegated_by is not None:
        director = delegated_by
    else:
        if len(owners) != 1:
            raise InvalidInput(
                "请指明委托或召集会议的局长 delegated_by (several or no principal leaders)",
                principals=owners,
            )
        director = owners[0]
    approver = chair if rule.leave_approver is LeaveApproverRule.CONVENER else director
    return director, approver


def _known_people(
    org: Organisation, people: object, what: str, at: pendulum.DateTime
) -> tuple[PersonId, ...]:
    """People a command names (invitees, attending leaders): a list (a bare string is
    refused, not split into letters) of people in the agency at ``at``."""
    result: list[PersonId] = []
    for p in texts(people, what):
        person = org.person(p).id
        if org.unit_of(person, at) is None:
            raise InvalidInput(
                f"{what} {person} 在 {org.local(at)} 不在本机关 (not in the agency then)",
                what=what,
                person_id=person,
            )
        result.append(person)
    if len(set(result)) != len(result):
        raise InvalidInput(f"{what}有重复的人员 (duplicate people)", what=what)
    return tuple(result)


def _future(starts_at: object, at: pendulum.DateTime) -> pendulum.DateTime:
    moment = business_time(starts_at, "会议时间 starts_at")
    if moment <= at:
        raise InvalidInput(
            f"会议时间 {moment} 须晚于办理时间 {at} (a meeting is planned ahead)",
            starts_at=moment,
        )
    return moment
