"""机关组织 organisation: units, people, roles, leaders' divisions of labour, substitutes.

The organisation is an aggregate so that "was this person entitled to do this on that day?"
is answered from history. Every part a rule reads is temporal (ADR 0023): a person's unit
(membership), a role (and so a unit's headship), 分管 (which leader supervises which unit),
a substitution (替代关系) and a unit's own life (established, renamed, merged, dissolved) are
each held from a business time until a business time, and every question takes the time it
is asked about: ``org.is_head_of(person, unit, at)``, never "as the organisation is now".

Organisation changes are dated by their effective business time. A change may be entered
with an effective time earlier than the organisation's last change, provided it does not
contradict what is already recorded about the same subject (the same person's unit, the
same person's role, the same unit's life, the same leader's 分管): each subject's own
history stays in order, so the organisation as of any time is well defined (ADR 0023).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import (
    AlreadyExists,
    BeforeEstablishment,
    InvalidInput,
    NotASubstitute,
    OrganisationHistoryConflict,
    PermissionDenied,
    UnitNotActive,
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
    PARTY_SECRETARY = "party_secretary", "党组书记"
    """Declared where the party secretary and the director are two people: the secretary
    owns the party group's meetings, the director the office's (ADR 0049)."""
    CLASSIFICATION_OFFICER = "classification_officer", "定密责任人"
    RECEIVING_SECRETARY = "receiving_secretary", "收文秘书"
    SUPERVISION_OFFICER = "supervision_officer", "督查人员"
    ARCHIVIST = "archivist", "档案管理员"
    ORG_ADMIN = "org_admin", "组织机构管理员"
    ASSESSMENT_OFFICER = "assessment_officer", "考评办人员"


LEADER_ROLES = (Role.LEADER, Role.PRINCIPAL_LEADER)
"""局领导: a deputy (LEADER) or the principal leader."""


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
    """处室 a unit of the agency (its latest name)."""

    id: UnitId
    name: str
    functions: frozenset[UnitFunction] = frozenset()


@value_object
class Person:
    """人员 a person of the agency; ``unit`` is the latest unit recorded for them (a rule
    asks :meth:`Organisation.unit_of` the unit they were in at the act's time)."""

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

    def covers(self, at: datetime) -> bool:
        return self.since <= at and (self.until is None or at < self.until)


@value_object
class Span:
    """A period from ``since`` until ``until`` (open while ``until`` is None) during which
    ``value`` held: a person's unit, a leader's 分管 units, a unit's name."""

    since: pendulum.DateTime
    value: str | frozenset[str]
    until: pendulum.DateTime | None = None

    def covers(self, at: datetime) -> bool:
        return self.since <= at and (self.until is None or at < self.until)


@value_object
class UnitLife:
    """A unit's life: established ``since``, ended ``until`` (merged or dissolved), and the
    unit that took over its open work (``successor``)."""

    since: pendulum.DateTime
    until: pendulum.DateTime | None = None
    successor: UnitId | None = None
    ended_by: str = ""

    def covers(self, at: datetime) -> bool:
        return self.since <= at and (self.until is None or at < self.until)


@value_object
class Substitution:
    """替代关系 while ``leader`` is away from ``start`` to ``end`` (inclusive, agency-local
    days), ``substitute`` acts for them. ``classified``: the 定密责任人 designated the
    substitute to sign classified documents for them ([001 发文 五(五)1] 定密责任人或其指定
    的代理人); without it a substitute never signs a classified document."""

    leader: PersonId
    substitute: PersonId
    start: date
    end: date
    reason: str = ""
    classified: bool = False

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@value_object
class LateEntryPolicy:
    """补录规则: an act recorded more than ``delay_hours`` after its business time is a late
    entry; under ``strict``, a person whose authority had ended by the time of recording
    cannot back-date an act: the general office records it for them, with a reason (ADR
    0025)."""

    delay_hours: int = 72
    strict: bool = False


@stable_topics("organisation")
class Organisation(OfficeAggregate):
    """机关 the agency: its units, people, roles, 分管 and substitutes, over time."""

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
        self.established_at = at
        self.units: dict[UnitId, Unit] = {}
        self.unit_lives: dict[UnitId, UnitLife] = {}
        self.unit_names: dict[UnitId, list[Span]] = {}
        self.people: dict[PersonId, Person] = {}
        self.memberships: dict[PersonId, list[Span]] = {}
        self.left: dict[PersonId, pendulum.DateTime] = {}
        self.grants: list[RoleGrant] = []
        self.grants_of: dict[PersonId, list[RoleGrant]] = {}
        self.supervision: dict[PersonId, list[Span]] = {}
        self.substitutions: list[Substitution] = []
        self.secure_print_sites: frozenset[str] = frozenset()
        self.late_entry_policy = LateEntryPolicy()
        self._add_grant(RoleGrant(by, Role.ORG_ADMIN, at))

    # --- units -------------------------------------------------------------------------

    def add_unit(
        self,
        *,
        unit_id: str,
        name: str,
        functions: Iterable[UnitFunction] = (),
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """设立处室 add a unit, from ``at`` on."""
        self._require_admin(by, at, "UnitAdded")
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
        self.unit_lives[unit.id] = UnitLife(at)
        self.unit_names[unit.id] = [Span(at, unit.name)]

    def rename_unit(self, *, unit_id: str, name: str, by: PersonId, at: pendulum.DateTime) -> None:
        """处室更名 a unit takes a new name from ``at`` on (its id, people and work stay)."""
        self._require_admin(by, at, "UnitRenamed")
        self.require_unit_active(unit_id, at)
        name = text(name, "处室名称")
        self._not_before(at, self.unit_names[UnitId(unit_id)][-1].since, f"处室 {unit_id} 的名称")
        if self.unit_name(unit_id, at) == name:
            raise InvalidInput(f"处室 {unit_id} 已叫 {name} (the unit already has that name)")
        self._unit_renamed(unit_id=UnitId(unit_id), name=name, by=by, at=at)

    @event("UnitRenamed")
    def _unit_renamed(
        self, unit_id: UnitId, name: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        spans = self.unit_names[unit_id]
        spans[-1] = attrs.evolve(spans[-1], until=at)
        spans.append(Span(at, name))
        self.units[unit_id] = attrs.evolve(self.units[unit_id], name=name)

    def merge_unit(self, *, unit_id: str, into: str, by: PersonId, at: pendulum.DateTime) -> None:
        """处室合并 ``unit_id`` is merged into ``into`` from ``at`` on: it ends, its people
        move to ``into``, its role grants of unit head end, and its open work is handed over
        to ``into`` (the application records the hand-over on each open record)."""
        self._require_admin(by, at, "UnitMerged")
        self.require_unit_active(unit_id, at)
        self.require_unit_active(into, at)
        if unit_id == into:
            raise InvalidInput("处室不能并入自身 (a unit cannot be merged into itself)")
        self._check_unit_ending(unit_id, at)
        self._unit_merged(unit_id=UnitId(unit_id), into=UnitId(into), by=by, at=at)

    @event("UnitMerged")
    def _unit_merged(
        self, unit_id: UnitId, into: UnitId, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._end_unit(unit_id, at, successor=into, ended_by="合并")
        for person in self.members_of(unit_id, at, before=True):
            self._move(person, into, at)

    def dissolve_unit(
        self,
        *,
        unit_id: str,
        successor: str,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """处室撤销 ``unit_id`` ends at ``at``; ``successor`` takes over its open work (the
        application records the hand-over on each open record). Its people must have been
        moved to other units first."""
        self._require_admin(by, at, "UnitDissolved")
        self.require_unit_active(unit_id, at)
        self.require_unit_active(successor, at)
        if unit_id == successor:
            raise InvalidInput("撤销的处室不能由自身承接 (the successor must be another unit)")
        self._check_unit_ending(unit_id, at)
        staying = self.members_of(unit_id, at)
        if staying:
            raise InvalidInput(
                f"处室 {unit_id} 尚有人员 {'、'.join(staying)},请先调动后再撤销 "
                "(move its people before dissolving the unit)",
                unit_id=unit_id,
                people=staying,
            )
        self._unit_dissolved(
            unit_id=UnitId(unit_id),
            successor=UnitId(successor),
            reason=text(reason, "撤销理由"),
            by=by,
            at=at,
        )

    @event("UnitDissolved")
    def _unit_dissolved(
        self,
        unit_id: UnitId,
        successor: UnitId,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self._end_unit(unit_id, at, successor=successor, ended_by="撤销")

    def _check_unit_ending(self, unit_id: str, at: pendulum.DateTime) -> None:
        """A unit may end at ``at`` only if nothing about it is recorded after ``at``."""
        names = self.unit_names[UnitId(unit_id)]
        self._not_before(at, names[-1].since, f"处室 {unit_id} 的名称")
        for person, spans in self.memberships.items():
            for span in spans:
                if span.value == unit_id and (
                    span.since > at or (span.until is not None and span.until > at)
                ):
                    raise OrganisationHistoryConflict(
                        f"处室 {unit_id}", f"{person} 在 {self.local(span.since)} 之后的人事变动"
                    )
        for leader, spans in self.supervision.items():
            for span in spans:
                if span.since > at and unit_id in span.value:
                    raise OrganisationHistoryConflict(
                        f"处室 {unit_id}", f"{leader} 自 {span.since} 分管该处室"
                    )

    def _end_unit(
        self, unit_id: UnitId, at: pendulum.DateTime, *, successor: UnitId, ended_by: str
    ) -> None:
        self.unit_lives[unit_id] = attrs.evolve(
            self.unit_lives[unit_id], until=at, successor=successor, ended_by=ended_by
        )
        names = self.unit_names[unit_id]
        names[-1] = attrs.evolve(names[-1], until=at)
        for spans in self.supervision.values():
            current = spans[-1] if spans else None
            if current is not None and current.covers(at) and unit_id in current.value:
                kept = frozenset(current.value) - {unit_id}
                if successor not in kept and successor is not None:
                    kept = kept | {successor}
                spans[-1] = attrs.evolve(current, until=at)
                spans.append(Span(at, kept))

    # --- people ------------------------------------------------------------------------

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
        """人员入职 add a person to a unit, from ``at`` on."""
        self._require_admin(by, at, "PersonAdded")
        person_id = text(person_id, "人员编号")
        if person_id in self.people:
            raise AlreadyExists("人员", person_id)
        self.require_unit_active(unit, at)
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
        self.memberships[person.id] = [Span(at, person.unit)]

    def move_person(
        self, *, person_id: str, unit: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """调动 move a person to another unit from ``at`` on."""
        self._require_admin(by, at, "PersonMoved")
        self._require_present(person_id, at)
        self.require_unit_active(unit, at)
        spans = self.memberships[PersonId(person_id)]
        self._not_before(at, spans[-1].since, f"{person_id} 的所在处室")
        if spans[-1].value == unit:
            raise InvalidInput(f"{person_id} 已在 {unit} (already in that unit)")
        self._person_moved(person_id=PersonId(person_id), unit=UnitId(unit), by=by, at=at)

    @event("PersonMoved")
    def _person_moved(
        self, person_id: PersonId, unit: UnitId, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._move(person_id, unit, at)

    def _move(self, person_id: PersonId, unit: UnitId, at: pendulum.DateTime) -> None:
        spans = self.memberships.setdefault(person_id, [])
        if spans and spans[-1].until is None:
            spans[-1] = attrs.evolve(spans[-1], until=at)
        spans.append(Span(at, unit))
        self.people[person_id] = attrs.evolve(self.people[person_id], unit=unit)

    def remove_person(self, *, person_id: str, by: PersonId, at: pendulum.DateTime) -> None:
        """人员离职 a person leaves the agency at ``at``: their unit and every role end."""
        self._require_admin(by, at, "PersonRemoved")
        self._require_present(person_id, at)
        pid = PersonId(person_id)
        last = max(
            [self.memberships[pid][-1].since, *(g.since for g in self.grants_of.get(pid, ()))]
        )
        self._not_before(at, last, f"{person_id} 的人事记录")
        self._person_removed(person_id=pid, by=by, at=at)

    @event("PersonRemoved")
    def _person_removed(self, person_id: PersonId, by: PersonId, at: pendulum.DateTime) -> None:
        spans = self.memberships[person_id]
        spans[-1] = attrs.evolve(spans[-1], until=at)
        self.left[person_id] = at
        for role in {g.role for g in self.grants_of.get(person_id, ()) if g.until is None}:
            self._end_grant(person_id, role, at)

    # --- roles -------------------------------------------------------------------------

    def grant_role(
        self, *, person_id: str, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """授予岗位 grant a role from ``at`` on."""
        self._require_admin(by, at, "RoleGranted")
        self._require_present(person_id, at)
        if self.holds(person_id, role, at):
            raise AlreadyExists(f"{person_id} 的岗位", role.label)
        later = [
            g
            for g in self.grants_of.get(PersonId(person_id), ())
            if g.role is role and g.since > at
        ]
        if later:
            raise OrganisationHistoryConflict(
                f"{person_id} 的{role.label}岗位", f"已记录自 {later[0].since} 起担任"
            )
        self._role_granted(person_id=PersonId(person_id), role=role, by=by, at=at)

    @event("RoleGranted")
    def _role_granted(
        self, person_id: PersonId, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._add_grant(RoleGrant(person_id, role, at))

    def revoke_role(
        self, *, person_id: str, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """免去岗位 end a role at ``at``."""
        self._require_admin(by, at, "RoleRevoked")
        if not self.holds(person_id, role, at):
            self._known(person_id)
            raise InvalidInput(
                f"{person_id} 在 {self.local(at)} 未担任{role.label},无从免去 (role not held)",
                person_id=person_id,
                role=role,
            )
        open_grant = next(
            g for g in self.grants_of[PersonId(person_id)] if g.role is role and g.covers(at)
        )
        if open_grant.until is not None:
            raise OrganisationHistoryConflict(
                f"{person_id} 的{role.label}岗位", f"已记录于 {open_grant.until} 免去"
            )
        self._role_revoked(person_id=PersonId(person_id), role=role, by=by, at=at)

    @event("RoleRevoked")
    def _role_revoked(
        self, person_id: PersonId, role: Role, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._end_grant(person_id, role, at)

    def _add_grant(self, grant: RoleGrant) -> None:
        self.grants.append(grant)
        self.grants_of.setdefault(grant.person, []).append(grant)

    def _end_grant(self, person_id: PersonId, role: Role, at: pendulum.DateTime) -> None:
        def end(g: RoleGrant) -> RoleGrant:
            if g.person == person_id and g.role is role and g.until is None:
                return attrs.evolve(g, until=at)
            return g

        self.grants = [end(g) for g in self.grants]
        self.grants_of[person_id] = [end(g) for g in self.grants_of.get(person_id, ())]

    # --- 分管, substitutes, print sites, the late-entry policy ---------------------------

    def assign_supervision(
        self, *, leader: str, units: Iterable[str], by: PersonId, at: pendulum.DateTime
    ) -> None:
        """分管 set the units a leader supervises from ``at`` on (replacing the previous
        division of labour from then)."""
        self._require_admin(by, at, "SupervisionAssigned")
        self.require_role(leader, LEADER_ROLES, "分管处室", at)
        if isinstance(units, str):
            raise InvalidInput(
                f"分管处室必须是列表,而不是 {units!r} (expected a list)", what="units"
            )
        unit_ids = frozenset(UnitId(self.require_unit_active(u, at).id) for u in units)
        spans = self.supervision.get(PersonId(leader), [])
        if spans:
            self._not_before(at, spans[-1].since, f"{leader} 的分管")
        self._supervision_assigned(leader=PersonId(leader), units=unit_ids, by=by, at=at)

    @event("SupervisionAssigned")
    def _supervision_assigned(
        self, leader: PersonId, units: frozenset[UnitId], by: PersonId, at: pendulum.DateTime
    ) -> None:
        spans = self.supervision.setdefault(leader, [])
        if spans and spans[-1].until is None:
            spans[-1] = attrs.evolve(spans[-1], until=at)
        spans.append(Span(at, frozenset(units)))

    def appoint_substitute(
        self,
        *,
        leader: str,
        substitute: str,
        start: date,
        end: date,
        reason: str = "出差",
        classified: bool = False,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """替代关系 while a leader is away (agency-local days ``start`` to ``end``), another
        person acts for them, within authority that person could hold themself (ADR 0023).
        ``classified=True`` records that the leader, as 定密责任人, designates the
        substitute to sign classified documents for them."""
        self._require_admin(by, at, "SubstituteAppointed")
        self.person(leader)
        self.person(substitute)
        start, end = a_date(start, "开始日期"), a_date(end, "结束日期")
        if leader == substitute:
            raise InvalidInput("不能由本人代理本人 (a leader cannot substitute for themself)")
        if end < start:
            raise InvalidInput(f"代理期限 {start}~{end} 不正确:结束早于开始 (end before start)")
        if not isinstance(classified, bool):
            raise InvalidInput(f"classified 必须是 True 或 False,而不是 {classified!r}")
        if classified and not self.holds(leader, Role.CLASSIFICATION_OFFICER, at):
            raise PermissionDenied(
                leader, "指定涉密公文签发的代理人", Role.CLASSIFICATION_OFFICER.label
            )
        for s in self.substitutions:
            if s.leader == leader and s.start <= end and start <= s.end:
                raise AlreadyExists(f"{leader} 在 {s.start}~{s.end} 的代理人", s.substitute)
        self._substitute_appointed(
            substitution=Substitution(
                PersonId(leader),
                PersonId(substitute),
                start,
                end,
                text(reason, "事由"),
                classified,
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
        self._require_admin(by, at, "SecurePrintSiteAdded")
        site = text(site, "印制场所")
        if site in self.secure_print_sites:
            raise AlreadyExists("涉密印制场所", site)
        self._secure_print_site_added(site=site, by=by, at=at)

    @event("SecurePrintSiteAdded")
    def _secure_print_site_added(self, site: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.secure_print_sites = self.secure_print_sites | {site}

    def set_late_entry_policy(
        self, *, delay_hours: int, strict: bool, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """补录规则: when an act counts as a late entry, and whether the strict policy holds
        (ADR 0025)."""
        self._require_admin(by, at, "LateEntryPolicySet")
        if (
            isinstance(delay_hours, bool)
            or not isinstance(delay_hours, int)
            or not (0 <= delay_hours <= 24 * 366)
        ):
            raise InvalidInput(
                f"补录时限 {delay_hours!r} 必须是 0 到 8784 之间的整数小时 (hours)",
                value=delay_hours,
            )
        if not isinstance(strict, bool):
            raise InvalidInput(f"strict 必须是 True 或 False,而不是 {strict!r}")
        self._late_entry_policy_set(policy=LateEntryPolicy(delay_hours, strict), by=by, at=at)

    @event("LateEntryPolicySet")
    def _late_entry_policy_set(
        self, policy: LateEntryPolicy, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.late_entry_policy = policy

    # --- time ----------------------------------------------------------------------------

    def local(self, at: datetime) -> pendulum.DateTime:
        """The business time ``at`` on the agency's clock (the same instant)."""
        return local_time(at, self.time_zone)

    def day_of(self, at: datetime) -> date:
        """The agency's business day of ``at``: the date every date rule uses (the numbering
        year, deadlines, cut-offs, substitution windows), whatever zone the caller wrote."""
        return local_time(at, self.time_zone).date()

    def check_established(self, at: datetime) -> None:
        """An act dated before the agency existed is refused (:class:`BeforeEstablishment`)."""
        if at < self.established_at:
            raise BeforeEstablishment(self.local(at), self.local(self.established_at))

    # --- queries -----------------------------------------------------------------------

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

    def unit_active(self, unit_id: str, at: datetime) -> bool:
        """Did the unit exist (established, not yet merged or dissolved) at ``at``?"""
        life = self.unit_lives.get(UnitId(unit_id))
        return life is not None and life.covers(at)

    def unit_name(self, unit_id: str, at: datetime | None = None) -> str:
        """The unit's name at ``at`` (its latest name when ``at`` is None); an unknown id is
        returned as it is (for display)."""
        spans = self.unit_names.get(UnitId(unit_id))
        if not spans:
            return str(unit_id)
        if at is not None:
            for span in spans:
                if span.covers(at):
                    return str(span.value)
            if at < spans[0].since:
                return str(spans[0].value)
        return str(spans[-1].value)

    def person_name(self, person_id: str) -> str:
        """A person's name for display (the id itself when unknown)."""
        person = self.people.get(PersonId(person_id))
        return person.name if person is not None else str(person_id)

    def successor_of(self, unit_id: str, at: datetime | None = None) -> UnitId | None:
        """The unit that took over ``unit_id``'s work, following merges to the end (None
        while the unit exists, or at ``at`` when it still existed then)."""
        seen: set[str] = set()
        current: UnitId | None = None
        life = self.unit_lives.get(UnitId(unit_id))
        while (
            life is not None
            and life.successor is not None
            and (at is None or (life.until is not None and life.until <= at))
        ):
            if life.successor in seen:
                break
            seen.add(life.successor)
            current = life.successor
            life = self.unit_lives.get(current)
        return current

    def unit_of(self, person_id: str, at: datetime) -> UnitId | None:
        """The unit ``person_id`` belonged to at ``at`` (None before they joined or after
        they left)."""
        for span in self.memberships.get(PersonId(person_id), ()):
            if span.covers(at) and isinstance(span.value, str):
                return UnitId(span.value)
        return None

    def is_member(self, person_id: str, unit_id: str | None, at: datetime) -> bool:
        return unit_id is not None and self.unit_of(person_id, at) == unit_id

    def members_of(self, unit_id: str, at: datetime, *, before: bool = False) -> list[PersonId]:
        """The people in ``unit_id`` at ``at`` (``before=True``: just before ``at``)."""
        found = []
        for person, spans in self.memberships.items():
            for span in spans:
                inside = span.since < at if before else span.since <= at
                after = span.until is None or (at <= span.until if before else at < span.until)
                if span.value == unit_id and inside and after:
                    found.append(person)
                    break
        return sorted(found)

    def holds(self, person_id: str, role: Role, at: datetime) -> bool:
        """Did ``person_id`` hold ``role`` at business time ``at``?"""
        return any(
            g.role is role and g.covers(at) for g in self.grants_of.get(PersonId(person_id), ())
        )

    def roles_of(self, person_id: str, at: datetime) -> frozenset[Role]:
        return frozenset(
            g.role for g in self.grants_of.get(PersonId(person_id), ()) if g.covers(at)
        )

    def holders(self, role: Role, at: datetime) -> tuple[PersonId, ...]:
        """Everyone who held ``role`` at ``at``, sorted."""
        return tuple(sorted({g.person for g in self.grants if g.role is role and g.covers(at)}))

    def require_role(
        self, person_id: str, roles: Role | tuple[Role, ...], action: str, at: datetime
    ) -> None:
        """Raise :class:`PermissionDenied` unless the person held one of ``roles`` at ``at``."""
        wanted = roles if isinstance(roles, tuple) else (roles,)
        if not any(self.holds(person_id, r, at) for r in wanted):
            self._known(person_id)
            raise PermissionDenied(person_id, action, "或".join(r.label for r in wanted))

    def is_head_of(self, person_id: str, unit_id: str | None, at: datetime) -> bool:
        """处室负责人: in the unit at ``at`` and holding the unit-head role then."""
        return self.is_member(person_id, unit_id, at) and self.holds(person_id, Role.UNIT_HEAD, at)

    def heads_of(self, unit_id: str, at: datetime) -> tuple[PersonId, ...]:
        return tuple(p for p in self.members_of(unit_id, at) if self.holds(p, Role.UNIT_HEAD, at))

    def require_head_of(self, person_id: str, unit_id: str, action: str, at: datetime) -> None:
        if not self.is_head_of(person_id, unit_id, at):
            self._known(person_id)
            raise PermissionDenied(person_id, action, f"{self.unit_name(unit_id, at)}负责人")

    def supervised_by(self, leader: str, at: datetime) -> frozenset[UnitId]:
        """The units ``leader`` supervised (分管) at ``at``."""
        for span in self.supervision.get(PersonId(leader), ()):
            if span.covers(at) and isinstance(span.value, frozenset):
                return frozenset(UnitId(u) for u in span.value)
        return frozenset()

    def supervising_leaders(self, unit_id: str, at: datetime) -> tuple[PersonId, ...]:
        """分管领导 the leaders who supervised a unit at ``at``."""
        return tuple(sorted(p for p in self.supervision if unit_id in self.supervised_by(p, at)))

    def principal_leaders(self, at: datetime) -> tuple[PersonId, ...]:
        return self.holders(Role.PRINCIPAL_LEADER, at)

    def leaders(self, at: datetime) -> tuple[PersonId, ...]:
        """局领导 at ``at``: every holder of a leader role."""
        return tuple(
            sorted({*self.holders(Role.LEADER, at), *self.holders(Role.PRINCIPAL_LEADER, at)})
        )

    def units_with(self, function: UnitFunction, at: datetime | None = None) -> tuple[UnitId, ...]:
        """The units with ``function`` (that existed at ``at``, when given)."""
        return tuple(
            u.id
            for u in self.units.values()
            if function in u.functions and (at is None or self.unit_active(u.id, at))
        )

    def substitution_for(self, leader: str, when: date | datetime) -> Substitution | None:
        """The substitution in force for ``leader`` on the agency-local day of ``when``."""
        day = self.day_of(when) if isinstance(when, datetime) else when
        for s in self.substitutions:
            if s.leader == leader and s.covers(day):
                return s
        return None

    def substitute_for(self, leader: str, when: date | datetime) -> PersonId | None:
        """Who acts for ``leader`` on the agency-local day of ``when`` (None when the leader
        is not away)."""
        s = self.substitution_for(leader, when)
        return None if s is None else s.substitute

    def acting_for(self, by: str, on_behalf_of: str | None, at: datetime) -> PersonId:
        """The person whose authority a step uses: ``by`` itself, or the leader ``by``
        substitutes for on that day (raising :class:`NotASubstitute` otherwise)."""
        self._known(by)
        if on_behalf_of is None or on_behalf_of == by:
            return PersonId(by)
        self._known(on_behalf_of)
        if self.substitute_for(on_behalf_of, at) != by:
            raise NotASubstitute(by, on_behalf_of, self.day_of(at))
        return PersonId(on_behalf_of)

    def known(self, person_id: str) -> None:
        """Raise :class:`UnknownPerson` unless the person was ever in the agency."""
        self._known(person_id)

    def _known(self, person_id: str) -> None:
        if not isinstance(person_id, str):
            raise InvalidInput(f"人员编号必须是文字,而不是 {person_id!r}", value=person_id)
        if person_id not in self.people and person_id not in self.grants_of:
            raise UnknownPerson(person_id)

    def _require_present(self, person_id: str, at: datetime) -> Person:
        person = self.person(person_id)
        if self.unit_of(person_id, at) is None:
            raise InvalidInput(
                f"{person_id} 在 {self.local(at)} 不在本机关 (not in the agency at that time)",
                person_id=person_id,
            )
        return person

    def require_unit_active(self, unit_id: object, at: datetime) -> Unit:
        """The unit, refused (:class:`UnitNotActive`) unless it existed at ``at``."""
        unit = self.unit(unit_id)
        if not self.unit_active(unit.id, at):
            raise UnitNotActive(unit.id, self.unit_name(unit.id), self.local(at))
        return unit

    def _not_before(self, at: datetime, last: datetime, subject: str) -> None:
        if at < last:
            raise OrganisationHistoryConflict(subject, f"已有 {self.local(last)} 的变更记录")

    def _require_admin(self, by: str, at: pendulum.DateTime, step: str) -> None:
        """The organisation's own steps are the 组织机构管理员's (the authority table below)."""
        from govoffice.domain.authority import authorise

        authorise(self, Organisation, step, by=by, at=at, record=self)

    def spans(self) -> Iterator[tuple[str, Span]]:
        """Every membership span (for reports of who was where)."""
        for person, spans in self.memberships.items():
            for span in spans:
                yield person, span
