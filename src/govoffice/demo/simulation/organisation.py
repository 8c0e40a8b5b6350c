"""The simulated bureau: the organisation of :mod:`govoffice.demo.bureau` established or
extended, and the leaders' trips (出差), each with its stand-in appointed.
"""

from __future__ import annotations

from datetime import date, timedelta

from govoffice.demo.bureau import DIVISION, LEADERS, STAND_IN, units
from govoffice.demo.simulation.timeline import P, _Timeline
from govoffice.domain.errors import GovOfficeError
from govoffice.domain.organisation import Organisation, Role
from govoffice.testing import SECURE_PRINT_SITE


class _OrganisationSteps(_Timeline):
    """The bureau set up or extended, and the leaders' trips (出差, with stand-ins)."""

    def establish(self) -> Organisation:
        org_service, at = self.o.org, self.when
        try:
            org = org_service.current()
        except GovOfficeError:
            org_service.establish(agency="某市某局", agency_code="X局", by=P.admin, at=at)
            org = org_service.current()
        admin = self.admin_of(org)
        for unit_id, name, functions in units():
            if unit_id not in org.units:
                org_service.add_unit(
                    unit_id=unit_id, name=name, functions=functions, by=admin, at=at
                )
        org = org_service.current()
        for m in self.people.values():
            if m.id not in org.people:
                org_service.add_person(
                    person_id=m.id,
                    name=m.name,
                    unit=m.unit,
                    email=f"{m.id}@example.gov.cn",
                    roles=m.roles,
                    by=admin,
                    at=at,
                )
            else:
                for role in m.roles:
                    if not org.holds(m.id, role, at):
                        org_service.grant_role(person_id=m.id, role=role, by=admin, at=at)
        org = org_service.current()
        for leader, division in DIVISION.items():
            if org.supervision.get(leader) != frozenset(division):  # type: ignore[call-overload]
                org_service.assign_supervision(leader=leader, units=division, by=admin, at=at)
        if SECURE_PRINT_SITE not in org.secure_print_sites:
            org_service.add_secure_print_site(site=SECURE_PRINT_SITE, by=admin, at=at)
        org = org_service.current()
        for s in org.substitutions:
            day = s.start
            while day <= s.end:
                self.away[(s.leader, day)] = s.substitute
                day += timedelta(days=1)
        return org

    def admin_of(self, org: Organisation) -> str:
        admins = sorted(
            {g.person for g in org.grants if g.role is Role.ORG_ADMIN and g.covers(self.when)}
        )
        return admins[0] if admins else P.admin

    def trips(self, org: Organisation, principal_days: set[int]) -> None:
        """出差: three trips a leader, one leader away at a time, the principal never on a day
        he must chair; each trip's stand-in is appointed on its first morning."""
        busy = {self.index[day] for (_, day) in self.away if day in self.index}
        if len(self.days) - self.first < 40:
            return
        for leader in LEADERS:
            for _ in range(3):
                for _attempt in range(30):
                    length = self.rng.randint(2, 4)
                    start = self.rng.randint(self.first + 5, len(self.days) - length - 1)
                    span = set(range(start - 1, start + length + 1))
                    if span & busy or (leader == P.principal and span & principal_days):
                        continue
                    busy |= span
                    first, last = self.days[start], self.days[start + length - 1]
                    stand_in = STAND_IN[leader]
                    for di in range(start, start + length):
                        self.away[(leader, self.days[di])] = stand_in
                    self.at((start, 8 * 60 + 10), self.trip, leader, stand_in, first, last)
                    break

    def trip(self, leader: str, stand_in: str, first: date, last: date) -> None:
        self.o.org.appoint_substitute(
            leader=leader,
            substitute=stand_in,
            start=first,
            end=last,
            reason="出差",
            by=self.admin,
            at=self.when,
        )
        self.counts["org.trips"] += 1
