"""机关组织 organisation: units, people, roles, leaders' divisions of labour, substitutes.

The organisation is an aggregate so that "was this person allowed to sign on that day?"
is answered from history: every role is held from a business time until a business
time, and every substitution (替代关系) has a date range.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    NotASubstitute,
    PermissionDenied,
    UnknownPerson,
    UnknownUnit,
)
from govoffice.domain.values import (
    DEFAULT_TIME_ZONE,
    LabelledEnum,
    PersonId,
    UnitId,
    a_date,
    local_time,
    text,
    value_object,
    zone_name,
)

ORGANISATION_ID = uuid.uuid5(uuid.UUID("6f0c3a52-2a8e-4c47-9d8f-0b6f6c1f7e11"), "organisation")


class Role(LabelledEnum):
    """岗位角色 the roles a step may need."""

    DRAFTER = "drafter", "拟稿人"
    UNIT_HEAD = "unit_head", "处室负责人"
    OFFICE_REVIEWER = "office_reviewer", "办公室审核人"
    LEADER = "leader", "局领导"
    PRINCIPAL_LEADER = "principal_leader", "主要领导"
    CLASSIFICATION_OFFICER = "classification_officer", "定密责任人"
    RECEIVING_SECRETARY = "receiving_secretary", "收文秘书"
    SUPERVISION_OFFICER = "supervision_officer", "督查人员"
    ARCHIVIST = "archivist", "档案管理员"
    ORG_ADMIN = "org_admin", "组织机构管理员"
    ASSESSMENT_OFFICER = "assessment_officer", "考评办人员"


class UnitFunction(LabelledEnum):
    """处室职能 what a unit is for, where a rule names a unit by its function."""

    GENERAL_OFFICE = "general_office", "办公室"
    PARTY_WORK = "party_work", "党工部"
    DISCIPLINE = "discipline", "纪检监察处"
    FINANCE = "finance", "财务处"
    PERSONNEL = "personnel", "人教处"
    LEGAL = "legal", "法规处"
    SUPERVISION = "supervision", "督查室"
    CONFIDENTIAL = "confidential", "机要室"
    BUSINESS = "business", "业务处室"
    AFFILIATED = "affiliated", "局属单位"


@value_object
class Unit:
    """处室 a unit of the agency."""

    id: UnitId
    name: str
    functions: frozenset[UnitFunction] = frozenset()


@value_object
class Person:
    """人员 a person of the agency, in one unit."""

    id: PersonId
    name: str
    unit: UnitId
    email: str | None = None


@value_object
class RoleGrant:
    """A role held from ``since`` until ``until`` (open while ``until`` is None)."""

    person: PersonId
    role: Role
    since: pendulum.DateTime
    until: pendulum.DateTime | None = None

    def covers(self, at: pendulum.DateTime) -> bool:
        return self.since <= at and (self.until is None or at < self.until)


@value_object
class Substitution:
    """替代关系 while ``leader`` is away from ``start`` to ``end`` (inclusive),
    ``substitute`` acts for them."""

    leader: PersonId
    substitute: PersonId
    start: date
    end: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@stable_topics("organisation")
class Organisation(OfficeAggregate):
    """机关 the agency: its units, people, roles, 分管 and substitutes."""

    KIND = "组织机构"

    @staticmethod
    def create_id() -> uuid.UUID:
        """One organisation per store (one store per agency), so its id is fixed."""
        return ORGANISATION_ID

    @classmethod
    def establish(
        cls,
        *,
        agency: str,
        agency_code: str,
        by: PersonId,
        at: pendulum.DateTime,
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> Organisation:
        """建立机关: the first administrator is the person who establishes it. ``time_zone``
        is the agency's: every date a rule takes from a business time is taken in it."""
        return cls(
            agency=text(agency, "机关名称"),
            agency_code=text(agency_code, "机关代码"),
            by=PersonId(text(by, "by")),
            at=at,
            time_zone=zone_name(time_zone),
        )

    @event("Established")
    def __init__(
        self,
        *,
        agency: str,
        agency_code: str,
        by: PersonId,
        at: pendulum.DateTime,
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> None:
        self.agency = agency
        self.agency_code = agency_code
        self.time_zone = time_zone
        self.units: dict[UnitId, Unit] = {}
        self.people: dict[PersonId, Person] = {}
        self.grants: list[RoleGrant] = [RoleGrant(by, Role.ORG_ADMIN, at)]
        self.supervision: dict[PersonId, frozenset[UnitId]] = {}
        self.substitutions: list[Substitution] = []
        self.secure_print_sites: frozenset[str] = frozenset()

    # --- commands ----------------------------------------------------------------------

    def add_unit(
        self,
        *,
        unit_id: str,
        name: str,
        functions: Iterable[UnitFunction] = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """设立处室 add a unit."""
        self._require_admin(by, at)
        unit_id = text(unit_id, "处室编号")
        if unit_id in self.units:
            raise AlreadyExists("处室", unit_id)
        self._unit_added(
            unit=Unit(UnitId(unit_id), text(name, "处室名称"), frozenset(functions)),
            by=by,
            at=at,
        )

    @event("UnitAdded")
    def _unit_added(self, unit: Unit, by: PersonId, at: pendulum.DateTime) -> None:
        self.units[unit.id] = unit

    def add_person(
        self,
        *,
        person_id: str,
        name: str,
        unit: str,
        email: str | None = None,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """人员入职 add a person to a unit."""
        self._require_admin(by, at)
        person_id = text(person_id, "人员编号")
        if person_id in self.people:
            raise AlreadyExists("人员", person_id)
        self.unit(unit)
        if email is not None and (not isinstance(email, str) or "@" not in email):
            raise InvalidInput(f"电子邮箱 {email!r} 不正确 (invalid e-mail)", value=email)
        self._person_added(
            person=Person(PersonId(person_id), text(name, "姓名"), UnitId(unit), email),
            by=by,
            at=at,
        )

    @event("PersonAdded")
    def _person_added(self, person: Person, by: PersonId, at: pendulum.DateTime) -> None:
        self.people[person.id] = person

    def move_person(
        self, *, person_id: str, unit: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """调动 move a person to another unit."""
        self._require_admin(by, at)
        self.person(person_id)
        self.unit(unit)
        self._person_moved(person_id=PersonId(person_id), unit=UnitId(unit), by=by, at=at)

    @event("PersonMoved")
    def _person_moved(
        self, person_id: PersonId, unit: UnitId, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.people[person_id] = attrs.evolve(self.people[person_id], unit=unit)

    def grant_role(
        self, *, person_id: str, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """授予岗位 grant a role from ``at`` on."""
        self._require_admin(by, at)
        self.person(person_id)
        if self.holds(person_id, role, at):
            raise AlreadyExists(f"{person_id} 的岗位", role.label)
        self._role_granted(person_id=PersonId(person_id), role=role, by=by, at=at)

    @event("RoleGranted")
    def _role_granted(
        self, person_id: PersonId, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.grants.append(RoleGrant(person_id, role, at))

    def revoke_role(
        self, *, person_id: str, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """免去岗位 end a role at ``at``."""
        self._require_admin(by, at)
        if not self.holds(person_id, role, at):
            raise InvalidInput(
                f"{person_id} 当前未担任{role.label},无从免去 (role not held)",
                person_id=person_id,
                role=role,
            )
        self._role_revoked(person_id=PersonId(person_id), role=role, by=by, at=at)

    @event("RoleRevoked")
    def _role_revoked(
        self, person_id: PersonId, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.grants = [
            attrs.evolve(g, until=at)
            if g.person == person_id and g.role is role and g.until is None
            else g
            for g in self.grants
        ]

    def assign_supervision(
        self, *, leader: str, units: Iterable[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        """分管 set the units a leader supervises (replacing the previous division)."""
        self._require_admin(by, at)
        self.require_role(leader, (Role.LEADER, Role.PRINCIPAL_LEADER), "分管处室", at)
        unit_ids = frozenset(UnitId(self.unit(u).id) for u in units)
        self._supervision_assigned(leader=PersonId(leader), units=unit_ids, by=by, at=at)

    @event("SupervisionAssigned")
    def _supervision_assigned(
        self, leader: PersonId, units: frozenset[UnitId], by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.supervision[leader] = frozenset(units)

    def appoint_substitute(
        self,
        *,
        leader: str,
        substitute: str,
        start: date,
        end: date,
        reason: str = "出差",
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """替代关系 while a leader is away, another person acts for them."""
        self._require_admin(by, at)
        self.person(leader)
        self.person(substitute)
        start, end = a_date(start, "开始日期"), a_date(end, "结束日期")
        if leader == substitute:
            raise InvalidInput("不能由本人代理本人 (a leader cannot substitute for themself)")
        if end < start:
            raise InvalidInput(f"代理期限 {start}~{end} 不正确:结束早于开始 (end before start)")
        for s in self.substitutions:
            if s.leader == leader and s.start <= end and start <= s.end:
                raise AlreadyExists(f"{leader} 在 {s.start}~{s.end} 的代理人", s.substitute)
        self._substitute_appointed(
            substitution=Substitution(
                PersonId(leader), PersonId(substitute), start, end, text(reason, "事由")
            ),
            by=by,
            at=at,
        )

    @event("SubstituteAppointed")
    def _substitute_appointed(
        self, substitution: Substitution, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.substitutions.append(substitution)

    def add_secure_print_site(self, *, site: str, by: PersonId, at: pendulum.DateTime) -> None:
        """符合保密要求的印制场所 register a place where classified documents may be printed."""
        self._require_admin(by, at)
        site = text(site, "印制场所")
        if site in self.secure_print_sites:
            raise AlreadyExists("涉密印制场所", site)
        self._secure_print_site_added(site=site, by=by, at=at)

    @event("SecurePrintSiteAdded")
    def _secure_print_site_added(self, site: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.secure_print_sites = self.secure_print_sites | {site}

    # --- queries -----------------------------------------------------------------------

    def local(self, at: pendulum.DateTime) -> pendulum.DateTime:
        """The business time ``at`` on the agency's clock (the same instant)."""
        return local_time(at, self.time_zone)

    def day_of(self, at: pendulum.DateTime) -> date:
        """The agency's business day of ``at``: the date every date rule uses (the numbering
        year, deadlines, cut-offs, substitution windows), whatever zone the caller wrote."""
        return local_time(at, self.time_zone).date()

    def person(self, person_id: object) -> Person:
        if not isinstance(person_id, str):
            raise InvalidInput(f"人员编号必须是文字,而不是 {person_id!r}", value=person_id)
        try:
            return self.people[PersonId(person_id)]
        except KeyError:
            raise UnknownPerson(person_id) from None

    def unit(self, unit_id: object) -> Unit:
        if not isinstance(unit_id, str):
            raise InvalidInput(f"处室编号必须是文字,而不是 {unit_id!r}", value=unit_id)
        try:
            return self.units[UnitId(unit_id)]
        except KeyError:
            raise UnknownUnit(unit_id) from None

    def holds(self, person_id: str, role: Role, at: pendulum.DateTime) -> bool:
        """Did ``person_id`` hold ``role`` at business time ``at``?"""
        return any(g.person == person_id and g.role is role and g.covers(at) for g in self.grants)

    def roles_of(self, person_id: str, at: pendulum.DateTime) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants if g.person == person_id and g.covers(at))

    def require_role(
        self, person_id: str, roles: Role | tuple[Role, ...], action: str, at: pendulum.DateTime
    ) -> None:
        """Raise :class:`PermissionDenied` unless the person held one of ``roles`` at ``at``."""
        wanted = roles if isinstance(roles, tuple) else (roles,)
        if not any(self.holds(person_id, r, at) for r in wanted):
            self._known(person_id)
            raise PermissionDenied(person_id, action, "或".join(r.label for r in wanted))

    def is_head_of(self, person_id: str, unit_id: str, at: pendulum.DateTime) -> bool:
        person = self.people.get(PersonId(person_id))
        return (
            person is not None
            and person.unit == unit_id
            and self.holds(person_id, Role.UNIT_HEAD, at)
        )

    def require_head_of(
        self, person_id: str, unit_id: str, action: str, at: pendulum.DateTime
    ) -> None:
        if not self.is_head_of(person_id, unit_id, at):
            self._known(person_id)
            name = self.units[UnitId(unit_id)].name if unit_id in self.units else unit_id
            raise PermissionDenied(person_id, action, f"{name}负责人")

    def supervising_leaders(self, unit_id: str) -> tuple[PersonId, ...]:
        """分管领导 the leaders who supervise a unit."""
        return tuple(sorted(p for p, units in self.supervision.items() if unit_id in units))

    def principal_leaders(self, at: pendulum.DateTime) -> tuple[PersonId, ...]:
        return tuple(
            sorted(
                {g.person for g in self.grants if g.role is Role.PRINCIPAL_LEADER and g.covers(at)}
            )
        )

    def units_with(self, function: UnitFunction) -> tuple[UnitId, ...]:
        return tuple(u.id for u in self.units.values() if function in u.functions)

    def substitute_for(self, leader: str, day: date) -> PersonId | None:
        """Who acts for ``leader`` on ``day`` (None when the leader is not away)."""
        for s in self.substitutions:
            if s.leader == leader and s.covers(day):
                return s.substitute
        return None

    def acting_for(self, by: str, on_behalf_of: str | None, at: pendulum.DateTime) -> PersonId:
        """The person whose authority a step uses: ``by`` itself, or the leader ``by``
        substitutes for on that day (raising :class:`NotASubstitute` otherwise)."""
        self._known(by)
        if on_behalf_of is None or on_behalf_of == by:
            return PersonId(by)
        self._known(on_behalf_of)
        if self.substitute_for(on_behalf_of, at.date()) != by:
            raise NotASubstitute(by, on_behalf_of, at.date())
        return PersonId(on_behalf_of)

    def _known(self, person_id: str) -> None:
        if person_id not in self.people and not any(g.person == person_id for g in self.grants):
            raise UnknownPerson(person_id)

    def _require_admin(self, by: str, at: pendulum.DateTime) -> None:
        self._check_time(at)
        self.require_role(by, Role.ORG_ADMIN, "维护组织机构", at)
