"""岗位权限表 the authority table: who may take each step, declared once (ADR 0024).

Every step an aggregate records (named by its event, e.g. ``OutgoingDocument``'s
``Signed``) has one :class:`Authority`: the step in the office's words and the
:class:`Requirement` the acting person must meet, judged against the organisation as it
stood at the step's business time. The same declaration serves twice:

- the domain command calls :func:`authorise` before it records anything, so a person
  without the authority is refused (a named :class:`PermissionDenied`) and nothing is
  recorded;
- the audit trail calls :func:`judge` on each recorded event, with the record as it was
  before the event and the event's own values, and shows whether the authority was held.

Because both read the same declaration with the same facts (a command passes the values
its event will carry), the two cannot disagree.

Substitutes: a step taken on someone's behalf (``on_behalf_of``) is judged on that
person's authority, and is valid only if ``by`` was their appointed substitute on the
agency-local day and could hold the authority himself (:meth:`Requirement.could_hold`): a
unit head who stands in for the principal leader does not sign an important document for
him, and only the 定密责任人's designated substitute signs a classified one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from govoffice.domain.errors import GovOfficeError, NotASubstitute, PermissionDenied
from govoffice.domain.organisation import (
    LEADER_ROLES,
    Organisation,
    Role,
    Substitution,
    UnitFunction,
)
from govoffice.domain.values import PersonId


class SubstituteBeyondAuthority(PermissionDenied):
    """A substitute may act for a leader only within authority he could hold himself
    [001 收文 五(二)1(2); 001 发文 五(五)1]."""

    def __init__(self, person_id: str, on_behalf_of: str, action: str, needs: str) -> None:
        GovOfficeError.__init__(
            self,
            f"{person_id} 虽是 {on_behalf_of} 的代理人,但本人不具备{needs}的资格,不能代为{action} "
            "(a substitute acts only within authority he could hold himself)",
            person_id=person_id,
            on_behalf_of=on_behalf_of,
            action=action,
            needs=needs,
        )


@attrs.frozen
class Act:
    """What a requirement is judged on: whose authority (``person``: the person acted for,
    or the actor), when, the record before the step (None for a creating step), the
    organisation, and the step's values (``facts``: the event's fields)."""

    org: Organisation
    person: PersonId
    at: datetime
    record: Any
    facts: Mapping[str, Any]

    def fact(self, name: str) -> Any:
        return self.facts.get(name)


Refusal = Callable[[Act, str], GovOfficeError]


class Requirement:
    """What the acting person must be, in the office's words."""

    def describe(self, act: Act) -> str:
        raise NotImplementedError

    def met(self, act: Act) -> bool:
        raise NotImplementedError

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        """Could ``substitute`` (standing in for ``act.person``) hold this authority himself?"""
        raise NotImplementedError

    def refusal(self, act: Act, action: str) -> GovOfficeError:
        """The error a person who does not meet the requirement gets."""
        return PermissionDenied(act.person, action, self.describe(act))

    def first_unmet(self, act: Act) -> Requirement | None:
        return None if self.met(act) else self


UnitOf = Callable[[Act], str | None]
UnitsOf = Callable[[Act], Iterable[str | None]]
PeopleOf = Callable[[Act], Iterable[str | None]]


def _unit_names(act: Act, units: Iterable[str | None]) -> list[str]:
    return [act.org.unit_name(u, act.at) for u in units if u is not None]


_PEER_ROLES: dict[Role, tuple[Role, ...]] = {
    Role.LEADER: LEADER_ROLES,
    Role.PRINCIPAL_LEADER: LEADER_ROLES,
}
"""Who may stand in for a holder of the key: a deputy may stand in for the principal leader
(他能担任局领导), a unit head may not."""


@attrs.frozen
class AnyRole(Requirement):
    """Holds one of ``roles`` at the step's time."""

    roles: tuple[Role, ...]
    error: Refusal | None = None

    def describe(self, act: Act) -> str:
        return "或".join(r.label for r in self.roles)

    def met(self, act: Act) -> bool:
        return any(act.org.holds(act.person, r, act.at) for r in self.roles)

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        org = act.org
        for role in self.roles:
            if role is Role.CLASSIFICATION_OFFICER:
                if substitution.classified:
                    return True
                continue
            peers = _PEER_ROLES.get(role, (role,))
            if any(org.holds(substitute, r, act.at) for r in peers):
                return True
        return False

    def refusal(self, act: Act, action: str) -> GovOfficeError:
        if self.error is not None:
            return self.error(act, action)
        return super().refusal(act, action)


def role(*roles: Role, error: Refusal | None = None) -> AnyRole:
    return AnyRole(roles, error)


@attrs.frozen
class HeadOf(Requirement):
    """处室负责人 of a unit the record or the step names (in the unit, and its head, then)."""

    unit: UnitOf
    what: str = ""

    def describe(self, act: Act) -> str:
        unit = self.unit(act)
        name = act.org.unit_name(unit, act.at) if unit else self.what
        return f"{name}负责人"

    def met(self, act: Act) -> bool:
        return act.org.is_head_of(act.person, self.unit(act), act.at)

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return act.org.is_member(substitute, self.unit(act), act.at)


@attrs.frozen
class OfficeHead(Requirement):
    """办公室负责人: head of a unit with the general-office function, then."""

    def describe(self, act: Act) -> str:
        return "办公室负责人"

    def _offices(self, act: Act) -> tuple[str, ...]:
        return act.org.units_with(UnitFunction.GENERAL_OFFICE, act.at)

    def met(self, act: Act) -> bool:
        return any(act.org.is_head_of(act.person, u, act.at) for u in self._offices(act))

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return any(act.org.is_member(substitute, u, act.at) for u in self._offices(act))


@attrs.frozen
class MemberOf(Requirement):
    """A person of one of the units (at the step's time)."""

    units: UnitsOf
    what: str

    def describe(self, act: Act) -> str:
        names = _unit_names(act, self.units(act))
        return f"{'或'.join(names) or self.what}人员"

    def met(self, act: Act) -> bool:
        unit = act.org.unit_of(act.person, act.at)
        return unit is not None and unit in set(self.units(act))

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        unit = act.org.unit_of(substitute, act.at)
        return unit is not None and unit in set(self.units(act))


@attrs.frozen
class OfficeMember(Requirement):
    """办公室人员: a person of a unit with the general-office function, then."""

    def describe(self, act: Act) -> str:
        return "办公室人员"

    def _offices(self, act: Act) -> tuple[str, ...]:
        return act.org.units_with(UnitFunction.GENERAL_OFFICE, act.at)

    def met(self, act: Act) -> bool:
        return any(act.org.is_member(act.person, u, act.at) for u in self._offices(act))

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return any(act.org.is_member(substitute, u, act.at) for u in self._offices(act))


@attrs.frozen
class Named(Requirement):
    """The record itself names who may act (its drafter, the original signer, the leaders
    a document was put before, the meeting's chair, ...). Combined with the role the named
    person must still hold at the step's time (``both(named(...), role(...))``)."""

    people: PeopleOf
    what: str
    error: Refusal | None = None

    def refusal(self, act: Act, action: str) -> GovOfficeError:
        if self.error is not None:
            return self.error(act, action)
        return super().refusal(act, action)

    def describe(self, act: Act) -> str:
        named = [p for p in self.people(act) if p]
        who = "、".join(act.org.person_name(p) for p in named)
        return f"{self.what}({who})" if who else self.what

    def met(self, act: Act) -> bool:
        return act.person in set(self.people(act))

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return True  # the named person's part is his; the role beside it decides


@attrs.frozen
class SupervisingLeaderOf(Requirement):
    """分管局领导 of a unit, at the step's time."""

    unit: UnitOf

    def describe(self, act: Act) -> str:
        unit = self.unit(act)
        return f"{act.org.unit_name(unit, act.at) if unit else ''}的分管局领导"

    def met(self, act: Act) -> bool:
        unit = self.unit(act)
        return unit is not None and act.person in act.org.supervising_leaders(unit, act.at)

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return any(act.org.holds(substitute, r, act.at) for r in LEADER_ROLES)


@attrs.frozen
class Either(Requirement):
    options: tuple[Requirement, ...]

    def describe(self, act: Act) -> str:
        return " 或 ".join(o.describe(act) for o in self.options)

    def met(self, act: Act) -> bool:
        return any(o.met(act) for o in self.options)

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return any(o.met(act) and o.could_hold(act, substitute, substitution) for o in self.options)


@attrs.frozen
class Both(Requirement):
    parts: tuple[Requirement, ...]

    def describe(self, act: Act) -> str:
        return " 且 ".join(p.describe(act) for p in self.parts)

    def met(self, act: Act) -> bool:
        return all(p.met(act) for p in self.parts)

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return all(p.could_hold(act, substitute, substitution) for p in self.parts)

    def first_unmet(self, act: Act) -> Requirement | None:
        for part in self.parts:
            unmet = part.first_unmet(act)
            if unmet is not None:
                return unmet
        return None

    def refusal(self, act: Act, action: str) -> GovOfficeError:
        unmet = self.first_unmet(act)
        return (unmet or self.parts[0]).refusal(act, action)


def either(*options: Requirement) -> Either:
    return Either(options)


def both(*parts: Requirement) -> Both:
    return Both(parts)


def named(people: PeopleOf, what: str, error: Refusal | None = None) -> Named:
    return Named(people, what, error)


@attrs.frozen
class ActingLeader(Requirement):
    """局领导, or the appointed substitute of one on that day (替代关系 [001 收文 五(二)1(2)])."""

    def describe(self, act: Act) -> str:
        return "局领导或其当日的代理人"

    def met(self, act: Act) -> bool:
        org = act.org
        if any(org.holds(act.person, r, act.at) for r in LEADER_ROLES):
            return True
        return any(
            s.substitute == act.person and s.covers(org.day_of(act.at)) for s in org.substitutions
        )

    def could_hold(self, act: Act, substitute: PersonId, substitution: Substitution) -> bool:
        return True


def record(name: str) -> Callable[[Act], Any]:
    """A value of the record before the step (``record("drafter")``)."""
    return lambda act: getattr(act.record, name, None)


def fact(name: str) -> Callable[[Act], Any]:
    """A value of the step itself (an event field, a command argument)."""
    return lambda act: act.facts.get(name)


def one(value: Callable[[Act], Any]) -> PeopleOf:
    return lambda act: [value(act)]


Rule = Requirement | Callable[[Act], Requirement | None] | None


@attrs.frozen
class Authority:
    """One step's authority: the step in the office's words and what it needs (a
    requirement, or a function of the act choosing one; None: no personal authority, e.g.
    the proposer's own feedback entered by the office)."""

    action: str
    rule: Rule

    def requirement(self, act: Act) -> Requirement | None:
        if self.rule is None or isinstance(self.rule, Requirement):
            return self.rule
        return self.rule(act)


def step(action: str, rule: Rule) -> Authority:
    return Authority(action, rule)


_TABLES: dict[str, dict[str, Authority]] = {}


def declare(record_type: str, table: Mapping[str, Authority]) -> dict[str, Authority]:
    """Declare the authority of each step of one kind of record (by its event names)."""
    _TABLES.setdefault(record_type, {}).update(table)
    return _TABLES[record_type]


_COMMON: dict[str, Authority] = {
    "LateEntryRecorded": Authority(
        "补录", Either((OfficeMember(), AnyRole((Role.OFFICE_REVIEWER,))))
    ),
    "UnitHandedOver": Authority("处室调整交接", AnyRole((Role.ORG_ADMIN,))),
}
"""Steps every kind of record has: the general office's late entry (ADR 0025), and the
hand-over of a merged or dissolved unit's open work (ADR 0023)."""


def authority_of(record_type: type | str, event_name: str) -> Authority | None:
    name = record_type if isinstance(record_type, str) else record_type.__name__
    found = _TABLES.get(name, {}).get(event_name)
    return found if found is not None else _COMMON.get(event_name)


def declared() -> Mapping[str, Mapping[str, Authority]]:
    """Every declared step, by record type and event name."""
    return _TABLES


class UndeclaredStep(GovOfficeError):
    """A command asked for the authority of a step nobody declared (a programming error
    surfaced as an office error rather than a silent pass)."""

    def __init__(self, record_type: str, event_name: str) -> None:
        super().__init__(
            f"{record_type}.{event_name} 没有岗位权限声明 (no authority declared for this step)",
            record_type=record_type,
            event_name=event_name,
        )


def authorise(
    org: Organisation,
    record_type: type | str,
    event_name: str,
    *,
    by: str,
    at: datetime,
    record: Any = None,
    on_behalf_of: str | None = None,
    **facts: Any,
) -> PersonId:
    """Refuse the step unless ``by`` (or the person ``by`` substitutes for, on that day)
    holds its declared authority at ``at``; returns whose authority was used."""
    name = record_type if isinstance(record_type, str) else record_type.__name__
    authority = authority_of(name, event_name)
    if authority is None:
        raise UndeclaredStep(name, event_name)
    org.check_established(at)
    org.known(by)
    person = PersonId(by)
    substitution: Substitution | None = None
    if on_behalf_of is not None and on_behalf_of != by:
        org.known(on_behalf_of)
        substitution = org.substitution_for(on_behalf_of, at)
        if substitution is None or substitution.substitute != by:
            raise NotASubstitute(by, on_behalf_of, org.day_of(at))
        person = PersonId(on_behalf_of)
    act = Act(org, person, at, record, facts)
    requirement = authority.requirement(act)
    if requirement is None:
        return person
    if not requirement.met(act):
        raise requirement.refusal(act, authority.action)
    if substitution is not None and not requirement.could_hold(act, PersonId(by), substitution):
        raise SubstituteBeyondAuthority(by, person, authority.action, requirement.describe(act))
    return person


@attrs.frozen
class Judgement:
    """Whether the authority a recorded step used was held at its business time.

    ``required``: what the step needed, in the office's words; ``person``: whose authority
    (``on_behalf_of`` or ``by``); ``held``: True/False, None when the step needs no personal
    authority; ``substitute_valid``: for a step on someone's behalf, whether ``by`` was
    that person's substitute that day and could hold the authority himself."""

    required: str
    person: str | None
    held: bool | None
    substitute_valid: bool | None = None
    note: str = ""


def judge(
    org: Organisation,
    record_type: type | str,
    event_name: str,
    *,
    by: str,
    at: datetime,
    record: Any,
    on_behalf_of: str | None,
    facts: Mapping[str, Any],
) -> Judgement:
    """The audit trail's reading of the same declaration :func:`authorise` enforces."""
    authority = authority_of(record_type, event_name)
    person = on_behalf_of or by
    if authority is None:
        return Judgement("无岗位要求 (no authority declared for this step)", person, None)
    substitute_valid: bool | None = None
    substitution: Substitution | None = None
    if on_behalf_of is not None and on_behalf_of != by:
        substitution = org.substitution_for(on_behalf_of, at)
        substitute_valid = substitution is not None and substitution.substitute == by
    act = Act(org, PersonId(person), at, record, facts)
    requirement = authority.requirement(act)
    if requirement is None:
        return Judgement(
            f"{authority.action}: 无个人岗位要求 (no personal authority needed)",
            person,
            None,
            substitute_valid,
        )
    required = requirement.describe(act)
    held = requirement.met(act)
    note = ""
    if substitution is not None and substitute_valid:
        if not requirement.could_hold(act, PersonId(by), substitution):
            substitute_valid = False
            note = f"{by} 本人不具备{required}的资格 (beyond what the substitute could hold)"
    elif substitute_valid is False:
        note = f"{by} 当日不是 {on_behalf_of} 的代理人 (not the appointed substitute that day)"
    return Judgement(required, person, held, substitute_valid, note)


def _facts_of(event: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(event).items() if not k.startswith("originator_")}


def judge_event(org: Organisation, record_type: type | str, record: Any, event: Any) -> Judgement:
    """:func:`judge` of a stored event, with the record as it was before it."""
    return judge(
        org,
        record_type,
        type(event).__name__,
        by=getattr(event, "by", ""),
        at=getattr(event, "at", None),  # type: ignore[arg-type]
        record=record,
        on_behalf_of=getattr(event, "on_behalf_of", None),
        facts=_facts_of(event),
    )


__all__ = [
    "Act",
    "ActingLeader",
    "Authority",
    "Both",
    "Either",
    "HeadOf",
    "Judgement",
    "MemberOf",
    "Named",
    "OfficeHead",
    "OfficeMember",
    "Requirement",
    "SubstituteBeyondAuthority",
    "SupervisingLeaderOf",
    "UndeclaredStep",
    "authorise",
    "authority_of",
    "both",
    "declare",
    "declared",
    "either",
    "fact",
    "judge",
    "judge_event",
    "named",
    "one",
    "record",
    "role",
    "step",
]


# --- the organisation's own steps ---------------------------------------------------------------

_ADMIN = AnyRole((Role.ORG_ADMIN,))

declare(
    "Organisation",
    {
        "Established": Authority("建立机关", None),
        **{
            name: Authority("维护组织机构", _ADMIN)
            for name in (
                "UnitAdded",
                "UnitRenamed",
                "UnitMerged",
                "UnitDissolved",
                "PersonAdded",
                "PersonMoved",
                "PersonRemoved",
                "RoleGranted",
                "RoleRevoked",
                "SupervisionAssigned",
                "SubstituteAppointed",
                "SecurePrintSiteAdded",
                "LateEntryPolicySet",
            )
        },
    },
)
