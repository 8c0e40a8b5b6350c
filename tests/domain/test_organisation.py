"""机关组织 — units, people, roles held over time and substitutes, through ``office.org``.

The rules come from the domain brief §1 and the seed [001]: who may do a step depends on
the role they held on the step's day, and a leader who is away is replaced by a named
substitute for a date range [001 收文 五(二)1(2)].
"""

from __future__ import annotations

from datetime import date, datetime

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    NaiveDateTime,
    NotASubstitute,
    OrganisationHistoryConflict,
    PermissionDenied,
    UnknownPerson,
    UnknownUnit,
)
from govoffice.domain.organisation import Role, UnitFunction
from govoffice.testing import AgencyPeople, SettableClock, assert_nothing_recorded

ZONE = "Asia/Shanghai"


def day(d: int, hour: int = 9) -> pendulum.DateTime:
    """A business time in March 2026 (the standard agency is set up on 2 March)."""
    return pendulum.datetime(2026, 3, d, hour, 0, tz=ZONE)


# --- units, people, roles ----------------------------------------------------------------


def test_the_administrator_adds_a_unit_with_its_functions(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 处室按职能区分: 办公室、法规部门 … are named by what they do."""
    office.org.add_unit(
        unit_id="audit", name="审计处", functions=["business"], by=agency.admin, at=day(3)
    )

    org = office.org.current()
    assert org.unit("audit").name == "审计处"
    assert org.unit("audit").functions == frozenset({UnitFunction.BUSINESS})
    assert org.units_with(UnitFunction.GENERAL_OFFICE) == ("office",)
    assert org.units_with(UnitFunction.LEGAL) == ("legal",)


def test_the_administrator_adds_a_person_with_roles_to_a_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(一)] 承办部门的拟稿人拟稿: a person belongs to a unit and holds roles."""
    office.org.add_person(
        person_id="new.keyuan",
        name="新科员",
        unit="biz2",
        roles=[Role.DRAFTER, "archivist"],
        by=agency.admin,
        at=day(3),
    )

    org = office.org.current()
    assert org.person("new.keyuan").unit == "biz2"
    assert org.roles_of("new.keyuan", day(3)) == frozenset({Role.DRAFTER, Role.ARCHIVIST})
    assert org.roles_of("new.keyuan", day(2)) == frozenset()


def test_a_unit_or_person_id_is_used_only_once(office: Office, agency: AgencyPeople) -> None:
    """处室、人员编号唯一 (an id names one unit or person)."""
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.org.add_unit(unit_id="biz1", name="又一个业务一处", by=agency.admin)
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.org.add_person(person_id=agency.drafter, name="重名", unit="biz1", by=agency.admin)


def test_the_agency_is_established_only_once(office: Office, agency: AgencyPeople) -> None:
    """一个存储只有一个机关 (one agency per store)."""
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.org.establish(agency="另一个局", agency_code="Y局", by="someone")


def test_a_person_moved_to_another_unit_heads_reviews_there(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 以处室负责人签名为有效: a head is head of the unit they are in."""
    org = office.org.current()
    assert org.is_head_of(agency.unit_head2, "biz2", day(3))

    office.org.move_person(person_id=agency.unit_head2, unit="personnel", by=agency.admin)

    org = office.org.current()
    assert org.person(agency.unit_head2).unit == "personnel"
    assert org.is_head_of(agency.unit_head2, "personnel", day(3))
    assert not org.is_head_of(agency.unit_head2, "biz2", day(3))


def test_a_person_without_the_administrator_role_cannot_change_the_organisation(
    office: Office, agency: AgencyPeople
) -> None:
    """缺少岗位的人办理该步骤被拒绝,且不留记录 (a step needs its role)."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied) as refused:
        office.org.add_unit(unit_id="audit", name="审计处", by=agency.drafter)
    assert refused.value.person_id == agency.drafter

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.org.grant_role(person_id=agency.drafter, role=Role.LEADER, by=agency.principal)


def test_only_a_leader_is_given_units_to_supervise(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)1(1)] 按局领导分工: only leaders supervise (分管) units."""
    org = office.org.current()
    assert org.supervising_leaders("biz1", day(3)) == (agency.deputy,)
    assert org.supervising_leaders("biz2", day(3)) == (agency.deputy2,)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.org.assign_supervision(leader=agency.drafter, units=["biz1"], by=agency.admin)


def test_supervision_can_only_name_known_units(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)1(1)] 分管处室须是本机关的处室."""
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit):
        office.org.assign_supervision(leader=agency.deputy, units=["nowhere"], by=agency.admin)


# --- roles held over time ------------------------------------------------------------------


def test_a_role_is_held_from_its_grant_until_its_revocation(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(五)1] 由发文机关负责人签发: was this person allowed to sign on that day?"""
    person = agency.office_head
    office.org.grant_role(person_id=person, role=Role.LEADER, by=agency.admin, at=day(5))
    office.org.revoke_role(person_id=person, role=Role.LEADER, by=agency.admin, at=day(10))
    clock.set(day(20))

    assert office.org.was_allowed(person, Role.LEADER, day(4)) is False  # before the grant
    assert office.org.was_allowed(person, Role.LEADER, day(5)) is True  # from the grant
    assert office.org.was_allowed(person, "leader", day(9, 17)) is True  # within
    assert office.org.was_allowed(person, Role.LEADER, day(10)) is False  # from revocation
    assert office.org.was_allowed(person, Role.LEADER, day(15)) is False  # after


def test_a_role_granted_again_after_revocation_counts_again(
    office: Office, agency: AgencyPeople
) -> None:
    """岗位可以再次授予: the history keeps each period separately."""
    person = agency.office_head
    office.org.grant_role(person_id=person, role=Role.LEADER, by=agency.admin, at=day(5))
    office.org.revoke_role(person_id=person, role=Role.LEADER, by=agency.admin, at=day(10))
    office.org.grant_role(person_id=person, role=Role.LEADER, by=agency.admin, at=day(20))

    assert office.org.was_allowed(person, Role.LEADER, day(7))
    assert not office.org.was_allowed(person, Role.LEADER, day(15))
    assert office.org.was_allowed(person, Role.LEADER, day(25))


def test_a_role_already_held_is_not_granted_twice(office: Office, agency: AgencyPeople) -> None:
    """岗位不重复授予."""
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.org.grant_role(person_id=agency.drafter, role=Role.DRAFTER, by=agency.admin)


def test_a_role_not_held_cannot_be_revoked(office: Office, agency: AgencyPeople) -> None:
    """未担任的岗位无从免去."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.org.revoke_role(person_id=agency.drafter, role=Role.LEADER, by=agency.admin)


def test_a_role_is_granted_only_to_a_known_person(office: Office, agency: AgencyPeople) -> None:
    """查无此人: roles are held by people of the agency."""
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.org.grant_role(person_id="nobody", role=Role.DRAFTER, by=agency.admin)


def test_an_unknown_role_is_refused(office: Office, agency: AgencyPeople) -> None:
    """岗位须是规定的岗位之一."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.org.grant_role(person_id=agency.drafter, role="king", by=agency.admin)


# --- unknown people and units --------------------------------------------------------------


def test_a_person_is_added_only_to_a_known_unit(office: Office, agency: AgencyPeople) -> None:
    """查无此处室: a person joins a unit of the agency."""
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit):
        office.org.add_person(person_id="x.y", name="某人", unit="nowhere", by=agency.admin)


def test_unknown_people_and_units_are_named_in_the_refusal(
    office: Office, agency: AgencyPeople
) -> None:
    """查无此人 / 查无此处室 (unknown ids give a named error)."""
    org = office.org.current()
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson) as person:
        org.person("nobody")
    assert person.value.person_id == "nobody"
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit) as unit:
        org.unit("nowhere")
    assert unit.value.unit_id == "nowhere"
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        org.require_role("nobody", Role.DRAFTER, "拟稿", day(3))
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.org.move_person(person_id="nobody", unit="biz1", by=agency.admin)
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit):
        office.org.move_person(person_id=agency.drafter, unit="nowhere", by=agency.admin)


# --- substitutes -------------------------------------------------------------------------


def test_a_substitute_acts_for_an_away_leader_within_the_dates(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 局领导出差期间,按替代关系处理."""
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.deputy2,
        start=date(2026, 3, 9),
        end=date(2026, 3, 13),
        by=agency.admin,
    )

    org = office.org.current()
    assert org.substitute_for(agency.deputy, date(2026, 3, 8)) is None
    assert org.substitute_for(agency.deputy, date(2026, 3, 9)) == agency.deputy2
    assert org.substitute_for(agency.deputy, date(2026, 3, 13)) == agency.deputy2
    assert org.substitute_for(agency.deputy, date(2026, 3, 14)) is None
    assert org.acting_for(agency.deputy2, agency.deputy, day(11)) == agency.deputy
    assert org.acting_for(agency.deputy2, None, day(11)) == agency.deputy2


def test_someone_who_is_not_the_substitute_that_day_cannot_act_for_the_leader(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 只有当日的代理人才能代为办理."""
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.deputy2,
        start=date(2026, 3, 9),
        end=date(2026, 3, 13),
        by=agency.admin,
    )
    org = office.org.current()

    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        org.acting_for(agency.deputy2, agency.deputy, day(6))  # before the absence
    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        org.acting_for(agency.deputy2, agency.deputy, day(16))  # after it
    with assert_nothing_recorded(office), pytest.raises(NotASubstitute) as other:
        org.acting_for(agency.principal, agency.deputy, day(11))  # not the substitute
    assert other.value.on_behalf_of == agency.deputy
    assert isinstance(other.value, PermissionDenied)
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        org.acting_for(agency.deputy2, "nobody", day(11))


def test_substitutions_of_one_leader_do_not_overlap(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)1(2)] 同一时间只有一个替代关系."""
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.deputy2,
        start=date(2026, 3, 9),
        end=date(2026, 3, 13),
        by=agency.admin,
    )

    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.org.appoint_substitute(
            leader=agency.deputy,
            substitute=agency.principal,
            start=date(2026, 3, 13),
            end=date(2026, 3, 20),
            by=agency.admin,
        )

    office.org.appoint_substitute(  # the next absence, right after, is fine
        leader=agency.deputy,
        substitute=agency.principal,
        start=date(2026, 3, 14),
        end=date(2026, 3, 20),
        by=agency.admin,
    )
    assert office.org.current().substitute_for(agency.deputy, date(2026, 3, 16)) == (
        agency.principal
    )


def test_a_substitution_needs_a_sensible_date_range_and_another_person(
    office: Office, agency: AgencyPeople
) -> None:
    """替代关系: 结束不早于开始, 不能由本人代理本人."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.org.appoint_substitute(
            leader=agency.deputy,
            substitute=agency.deputy2,
            start=date(2026, 3, 13),
            end=date(2026, 3, 9),
            by=agency.admin,
        )
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.org.appoint_substitute(
            leader=agency.deputy,
            substitute=agency.deputy,
            start=date(2026, 3, 9),
            end=date(2026, 3, 13),
            by=agency.admin,
        )
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.org.appoint_substitute(
            leader=agency.deputy,
            substitute="nobody",
            start=date(2026, 3, 9),
            end=date(2026, 3, 13),
            by=agency.admin,
        )


def test_only_the_administrator_appoints_substitutes(office: Office, agency: AgencyPeople) -> None:
    """缺少岗位的人不能设定替代关系."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.org.appoint_substitute(
            leader=agency.deputy,
            substitute=agency.deputy2,
            start=date(2026, 3, 9),
            end=date(2026, 3, 13),
            by=agency.deputy,
        )


# --- the organisation as it stood ----------------------------------------------------------


def test_the_organisation_as_of_a_time_shows_only_what_was_decided_by_then(
    office: Office, agency: AgencyPeople
) -> None:
    """组织机构按时间回溯: the agency as it stood on a given day."""
    office.org.add_unit(unit_id="audit", name="审计处", by=agency.admin, at=day(5))
    office.org.add_person(
        person_id="new.keyuan", name="新科员", unit="audit", by=agency.admin, at=day(6)
    )

    before = office.org.as_of_time(day(4))
    between = office.org.as_of_time(day(5, 12))
    now = office.org.as_of_time(day(7))

    assert "audit" not in before.units
    assert "audit" in between.units and "new.keyuan" not in between.people
    assert "new.keyuan" in now.people
    assert before.agency == "某市某局"


def test_organisation_changes_of_one_subject_cannot_be_dated_before_its_last_one(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0023: a back-dated change that contradicts what is recorded about the same subject
    (here: the same person's role) is refused; one about another subject is not."""
    office.org.add_unit(unit_id="audit", name="审计处", by=agency.admin, at=day(5))
    office.org.add_unit(unit_id="audit2", name="审计二处", by=agency.admin, at=day(4))
    office.org.move_person(person_id=agency.drafter, unit="biz2", by=agency.admin, at=day(10))

    with assert_nothing_recorded(office), pytest.raises(OrganisationHistoryConflict):
        office.org.move_person(person_id=agency.drafter, unit="audit", by=agency.admin, at=day(8))


def test_business_time_must_carry_a_time_zone(office: Office, agency: AgencyPeople) -> None:
    """业务时间须带时区 (a naive datetime is refused)."""
    with assert_nothing_recorded(office), pytest.raises(NaiveDateTime):
        office.org.add_unit(
            unit_id="audit", name="审计处", by=agency.admin, at=datetime(2026, 3, 5, 9)
        )
