"""``office.org``: the organisation's commands and the questions auditors ask of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime

import pendulum

from govoffice.application.services import AreaService, OrganisationNotEstablished
from govoffice.domain.errors import AlreadyExists, RecordNotFound
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.values import DEFAULT_TIME_ZONE, PersonId, coerce_enum


class OrganisationService(AreaService[Organisation]):
    """机关组织: units, people, roles, 分管, substitutes."""

    record_type = Organisation

    def establish(
        self,
        *,
        agency: str,
        agency_code: str,
        by: str,
        at: datetime | str | None = None,
        time_zone: str = DEFAULT_TIME_ZONE,
    ) -> uuid.UUID:
        """建立机关 (once per store); ``by`` becomes its first administrator; ``time_zone``
        is the agency's (its business day: ``Asia/Shanghai`` unless given)."""
        if self.store.exists(Organisation.create_id()):
            raise AlreadyExists("机关组织", agency)
        org = Organisation.establish(
            agency=agency,
            agency_code=agency_code,
            by=self._who(by),
            at=self._when(at),
            time_zone=time_zone,
        )
        self.store.save(org, hand_over=True)
        return org.id

    def current(self) -> Organisation:
        """The organisation now (a copy: changing it changes nothing in the store)."""
        return self._org(for_reading=False)

    def as_of_time(self, at: datetime | str) -> Organisation:
        """The organisation as it stood at business time ``at``."""
        try:
            return self.store.as_of(Organisation, Organisation.create_id(), at)
        except RecordNotFound:
            raise OrganisationNotEstablished() from None

    def was_allowed(self, person_id: str, role: Role | str, at: datetime | str) -> bool:
        """Did the person hold the role at that moment? (from history, not from today)"""
        when = self._when(at)
        return self._org().holds(person_id, coerce_enum(Role, role, "岗位"), when)

    def add_unit(
        self,
        *,
        unit_id: str,
        name: str,
        functions: Iterable[UnitFunction | str] = (),
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        fs = [coerce_enum(UnitFunction, f, "处室职能") for f in functions]
        self._org_change(
            lambda org, who, when: org.add_unit(
                unit_id=unit_id, name=name, functions=fs, by=who, at=when
            ),
            by,
            at,
        )

    def add_person(
        self,
        *,
        person_id: str,
        name: str,
        unit: str,
        email: str | None = None,
        roles: Iterable[Role | str] = (),
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """人员入职, optionally with roles (granted in the same atomic save)."""
        wanted = [coerce_enum(Role, r, "岗位") for r in roles]

        def change(org: Organisation, who: PersonId, when: pendulum.DateTime) -> None:
            org.add_person(person_id=person_id, name=name, unit=unit, email=email, by=who, at=when)
            for role in wanted:
                org.grant_role(person_id=person_id, role=role, by=who, at=when)

        self._org_change(change, by, at)

    def move_person(
        self, *, person_id: str, unit: str, by: str, at: datetime | str | None = None
    ) -> None:
        self._org_change(
            lambda org, who, when: org.move_person(person_id=person_id, unit=unit, by=who, at=when),
            by,
            at,
        )

    def grant_role(
        self, *, person_id: str, role: Role | str, by: str, at: datetime | str | None = None
    ) -> None:
        r = coerce_enum(Role, role, "岗位")
        self._org_change(
            lambda org, who, when: org.grant_role(person_id=person_id, role=r, by=who, at=when),
            by,
            at,
        )

    def revoke_role(
        self, *, person_id: str, role: Role | str, by: str, at: datetime | str | None = None
    ) -> None:
        r = coerce_enum(Role, role, "岗位")
        self._org_change(
            lambda org, who, when: org.revoke_role(person_id=person_id, role=r, by=who, at=when),
            by,
            at,
        )

    def assign_supervision(
        self, *, leader: str, units: Iterable[str], by: str, at: datetime | str | None = None
    ) -> None:
        unit_list = list(units)
        self._org_change(
            lambda org, who, when: org.assign_supervision(
                leader=leader, units=unit_list, by=who, at=when
            ),
            by,
            at,
        )

    def appoint_substitute(
        self,
        *,
        leader: str,
        substitute: str,
        start: date,
        end: date,
        reason: str = "出差",
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        self._org_change(
            lambda org, who, when: org.appoint_substitute(
                leader=leader,
                substitute=substitute,
                start=start,
                end=end,
                reason=reason,
                by=who,
                at=when,
            ),
            by,
            at,
        )

    def add_secure_print_site(
        self, *, site: str, by: str, at: datetime | str | None = None
    ) -> None:
        self._org_change(
            lambda org, who, when: org.add_secure_print_site(site=site, by=who, at=when), by, at
        )

    def _org_change(
        self,
        change: Callable[[Organisation, PersonId, pendulum.DateTime], None],
        by: str,
        at: object,
    ) -> None:
        who, when = self._who(by), self._when(at)

        def attempt() -> None:
            org = self._org(for_reading=False)
            change(org, who, when)
            self.store.save(org, hand_over=True)

        self.store.run(attempt, Organisation.create_id())
