"""Checks the annual plan and the meeting share: exact numbers, who may chair a kind
[001 会议 四(一); 000 范文6 三], the leader acting (or acted for), the limits an approved
exception covers [001 会议 五(三)3-4], known people and a meeting time ahead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import pendulum

from govoffice.domain.errors import InvalidInput, PermissionDenied, RuleViolation
from govoffice.domain.meeting.vocabulary import ChairRule, LeaveApproverRule, MeetingKind
from govoffice.domain.meeting_rules import LimitBreach, LimitTable, MeetingFigures, check_meeting
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import PersonId, business_time


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


def _acting_leader(
    org: Organisation,
    by: PersonId,
    on_behalf_of: PersonId | None,
    roles: tuple[Role, ...],
    action: str,
    at: pendulum.DateTime,
) -> PersonId:
    acting = org.acting_for(by, on_behalf_of, at)
    org.require_role(acting, roles, action, at)
    return acting


LEADER_ROLES = (Role.LEADER, Role.PRINCIPAL_LEADER)


def _chair_and_approvers(
    org: Organisation,
    kind: MeetingKind,
    chair: PersonId,
    delegated_by: PersonId | None,
    at: pendulum.DateTime,
) -> tuple[PersonId, PersonId]:
    """Check the chair against the kind's rule; return (director, leave approver)."""
    org.person(chair)
    rule = kind.rule
    is_principal = org.holds(chair, Role.PRINCIPAL_LEADER, at)
    if rule.chair is ChairRule.PRINCIPAL and not is_principal:
        raise ChairNotEligible(kind, chair)
    if not org.holds(chair, Role.LEADER, at) and not is_principal:
        raise ChairNotEligible(kind, chair)
    if delegated_by is not None:
        org.person(delegated_by)
        if not org.holds(delegated_by, Role.PRINCIPAL_LEADER, at):
            raise PermissionDenied(delegated_by, f"委托主持{kind.label}", "局长(主要领导)")
    if rule.chair is ChairRule.PRINCIPAL_OR_DELEGATE and not is_principal and delegated_by is None:
        raise ChairNotEligible(kind, chair)
    if is_principal:
        director = chair
    elif delegated_by is not None:
        director = delegated_by
    else:
        principals = org.principal_leaders(at)
        if len(principals) != 1:
            raise InvalidInput(
                "请指明委托或召集会议的局长 delegated_by (several or no principal leaders)",
                principals=principals,
            )
        director = principals[0]
    approver = director if rule.leave_approver is LeaveApproverRule.DIRECTOR else chair
    return director, approver


def _known_people(org: Organisation, people: Iterable[object], what: str) -> tuple[PersonId, ...]:
    result: list[PersonId] = []
    for p in people:
        result.append(org.person(p).id)
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
