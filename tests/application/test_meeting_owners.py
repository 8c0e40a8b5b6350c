"""An agency whose party secretary and director are two people: each requests, approves and
chairs the meetings he owns without naming anybody extra (``delegated_by``), judged on the
authority table on the step's day (ADR 0049) [000 范文6 三 2-3, 五 5; 001 会议 四(一), 五(一)3].

The seeds' bureau has one principal leader who is both; there every kind has that one owner
and nothing changes (the rest of the meeting suite runs on it).
"""

from __future__ import annotations

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.errors import InvalidInput, PermissionDenied
from govoffice.domain.meeting import ChairNotEligible, MeetingKind, kind_owners
from govoffice.domain.organisation import Role
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    assert_trail_authorised,
    standard_agency,
)
from tests.application.test_meetings import START, TOPIC, at, countersigned

SECRETARY = "ma.shuji"
"""党组书记 马书记, a principal leader of his own (the director is ``p.principal``)."""


@pytest.fixture
def p(office: Office) -> AgencyPeople:
    """The standard agency with a party secretary who is not the director."""
    office.clock.set(START)  # type: ignore[attr-defined]
    people = standard_agency(office, START)
    office.org.add_person(
        person_id=SECRETARY,
        name="马书记",
        unit="office",
        email=f"{SECRETARY}@example.gov.cn",
        roles=(Role.LEADER, Role.PRINCIPAL_LEADER, Role.PARTY_SECRETARY),
        by=people.admin,
        at=START,
    )
    return people


def test_each_kind_has_its_owner(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 五 5] 党组会议向党组书记、局务会议/系统大会/季度例会向局长请假; [001 会议
    四(一)2] 党政联席会议由局长或党组书记主持."""
    org = office.org.current()
    when = at(3, 2)
    assert kind_owners(org, MeetingKind.PARTY_GROUP, when) == (SECRETARY,)
    assert kind_owners(org, MeetingKind.OFFICE, when) == (p.principal,)
    assert kind_owners(org, MeetingKind.TOPIC, when) == (p.principal,)
    assert set(kind_owners(org, MeetingKind.JOINT, when)) == {p.principal, SECRETARY}


def test_a_deputys_topic_meeting_needs_no_delegated_by(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(一)3] 签报 …… 提交局主要领导审批: the director owns a topic meeting, so the
    request names nobody extra; the party secretary does not approve it, the director does."""
    m = office.meetings
    meeting = m.request(**{**TOPIC, "chair": p.deputy}, by=p.unit_head, at=at(3, 2))
    record = m.get(meeting)
    assert (record.director, record.leave_approver) == (p.principal, p.deputy)
    countersigned(office, p, meeting)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.approve(meeting, by=SECRETARY, at=at(3, 4))
    m.approve(meeting, by=p.principal, at=at(3, 4))
    assert_trail_authorised(office, meeting)


def test_the_party_group_meeting_is_the_party_secretarys(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 三 2, 五 5] 局党组会议由局党组书记召开;党组会议需向党组书记请假."""
    m = office.meetings
    party = {**TOPIC, "kind": MeetingKind.PARTY_GROUP, "organiser": "party"}
    with assert_nothing_recorded(office), pytest.raises(ChairNotEligible):
        m.request(**party, chair=p.principal, by=p.party_head, at=at(3, 2))  # the director
    meeting = m.request(**party, chair=SECRETARY, by=p.party_head, at=at(3, 2))
    record = m.get(meeting)
    assert (record.director, record.leave_approver) == (SECRETARY, SECRETARY)
    for party_, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party_, by=head, at=at(3, 3))
    m.countersign(meeting, party=p.deputy2, by=p.deputy2, at=at(3, 3, 11))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.approve(meeting, by=p.principal, at=at(3, 4))
    m.approve(meeting, by=SECRETARY, at=at(3, 4))
    assert_trail_authorised(office, meeting)


def test_an_office_meeting_is_the_directors_to_delegate(office: Office, p: AgencyPeople) -> None:
    """[001 会议 四(一)1(3)] 局长办公会议由局长或局长委托的副局长召集和主持: the director chairs
    it himself, or delegates a deputy; the party secretary does not delegate it."""
    m = office.meetings
    office_meeting = {**TOPIC, "kind": MeetingKind.OFFICE, "organiser": "office"}
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.request(
            **office_meeting, chair=p.deputy, delegated_by=SECRETARY, by=p.secretary, at=at(3, 2)
        )
    with assert_nothing_recorded(office), pytest.raises(ChairNotEligible):
        m.request(**office_meeting, chair=SECRETARY, by=p.secretary, at=at(3, 2))
    own = m.request(**office_meeting, chair=p.principal, by=p.secretary, at=at(3, 2))
    assert m.get(own).director == p.principal


def test_the_joint_meeting_is_either_leaders(office: Office, p: AgencyPeople) -> None:
    """[001 会议 四(一)2] 党政联席会议 …… 由局长或党组书记主持: whoever chairs it owns it."""
    m = office.meetings
    joint = {**TOPIC, "kind": MeetingKind.JOINT, "organiser": "office"}
    by_secretary = m.request(**joint, chair=SECRETARY, by=p.secretary, at=at(3, 2))
    by_director = m.request(**joint, chair=p.principal, by=p.secretary, at=at(3, 2))
    assert m.get(by_secretary).director == SECRETARY
    assert m.get(by_director).director == p.principal


def test_ownership_is_judged_on_the_steps_day(office: Office, p: AgencyPeople) -> None:
    """ADR 0023-0024: once the party secretary's role ends, the one principal leader left owns
    every kind again; before, two principals and no declared secretary name nobody."""
    m = office.meetings
    office.org.revoke_role(person_id=SECRETARY, role=Role.PARTY_SECRETARY, by=p.admin, at=at(2, 1))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.request(**{**TOPIC, "chair": p.deputy}, by=p.unit_head, at=at(3, 2))
    office.org.revoke_role(person_id=SECRETARY, role=Role.PRINCIPAL_LEADER, by=p.admin, at=at(2, 2))
    meeting = m.request(**{**TOPIC, "chair": p.deputy}, by=p.unit_head, at=at(3, 2))
    assert m.get(meeting).director == p.principal


def test_a_caller_writing_utc_gets_the_same_owner(office: Office, p: AgencyPeople) -> None:
    """The owner is judged at the act's instant, whatever zone it is written in."""
    m = office.meetings
    utc = pendulum.datetime(2026, 3, 2, 2, 0, tz="UTC")  # 10:00 in Beijing
    meeting = m.request(**{**TOPIC, "chair": p.deputy}, by=p.unit_head, at=utc)
    assert m.get(meeting).director == p.principal
