"""改期 — moving a meeting to another time, and the general office's consent to moving a
planned one [000 范文6 四 2] (ADR 0049), through ``office.meetings``.

A move keeps the agenda, the invitees and granted leave; the invitees of a noticed meeting
are noticed again and asked to confirm again; the limits and the plan are checked at the new
time; refusals record nothing; a caller writing UTC gets the same result.
"""

from __future__ import annotations

import uuid
from datetime import date

import attrs
import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.errors import InvalidInput, PermissionDenied, WrongStatus
from govoffice.domain.meeting import (
    MeetingLeaveStatus,
    MeetingStatus,
    NothingToReschedule,
    PlanChangeNeedsOfficeConsent,
    TooLateForMeeting,
)
from govoffice.domain.meeting_rules import (
    SEED_LIMITS,
    LimitKind,
    LimitRegistry,
    MeetingCategory,
    MeetingLimit,
    MeetingLimitExceeded,
)
from govoffice.domain.values import PersonId
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    assert_trail_authorised,
    standard_agency,
)
from tests.application.test_meetings import (
    MEETING_AT,
    ROW,
    START,
    actions,
    approved_request,
    at,
    held_meeting,
    invitees,
    noticed,
    noticed_meeting,
    planned_meeting,
    topics,
)

LATER = pendulum.datetime(2026, 3, 17, 9, 0, tz="Asia/Shanghai")


@pytest.fixture
def p(office: Office) -> AgencyPeople:
    """The standard agency, established on 1 December 2025 (in time for the 2026 plan)."""
    office.clock.set(START)  # type: ignore[attr-defined]
    return standard_agency(office, START)


def test_a_postponed_meeting_keeps_agenda_invitees_and_granted_leave(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 2] 如遇特殊情况需更改日期 …… 局办公室要提前告知: the meeting moves with its
    topics, invitees and granted leave; answers go back to pending and are asked again."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    items = topics(office, p, meeting)
    noticed(office, p, meeting)
    m.set_agenda(meeting, items=items, by=p.principal, at=at(3, 4, 11))
    m.answer(meeting, attend=True, by=p.deputy, at=at(3, 5))
    m.answer(meeting, attend=False, reason="赴省厅开会", by=p.unit_head, at=at(3, 5, 11))
    m.grant_leave(meeting, person=p.unit_head, by=p.principal, at=at(3, 5, 14))
    before = m.get(meeting)

    m.postpone(meeting, starts_at=LATER, reason="主要领导临时出差", by=p.secretary, at=at(3, 6))

    after = m.get(meeting)
    assert after.status is MeetingStatus.NOTICED
    assert after.starts_at == LATER
    assert after.notice is not None and after.notice.starts_at == LATER
    assert after.agenda == before.agenda and after.agenda_items == before.agenda_items
    assert after.materials == before.materials
    assert after.invitees == before.invitees
    assert after.leaves[PersonId(p.unit_head)].status is MeetingLeaveStatus.GRANTED
    assert after.answers == {}  # asked to confirm again
    assert after.reschedulings == 1
    assert actions(office, meeting)[-1] == "Rescheduled"
    event = office.store.events(meeting)[-1]
    assert event.previous_starts_at == MEETING_AT and event.reason == "主要领导临时出差"
    assert list(event.renoticed) == list(before.invitees)
    assert event.consent_by == p.secretary  # the general office moved it
    # confirming again: the one on leave answers "not attending" without asking again
    m.answer(meeting, attend=False, reason="仍在省厅", by=p.unit_head, at=at(3, 7))
    m.answer(meeting, attend=True, by=p.deputy, at=at(3, 7, 11))
    assert m.get(meeting).answers == {p.unit_head: False, p.deputy: True}
    assert m.get(meeting).leaves[PersonId(p.unit_head)].status is MeetingLeaveStatus.GRANTED
    # the old time is no deadline any more: answers are taken until the new start
    m.answer(meeting, attend=True, by=p.deputy2, at=at(3, 12))
    assert_trail_authorised(office, meeting)


def test_the_invitees_are_noticed_again(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 四 2] 局办公室要提前告知; [004 四(一)2] the notice states the time and place."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    m.postpone(meeting, starts_at=LATER, reason="与上级会议冲突", by=p.secretary, at=at(3, 6))
    office.notifications.catch_up()
    rows = [
        r.message
        for r in office.notifications.outbox()
        if r.message.record_id == str(meeting) and "改期" in r.message.subject
    ]
    assert sorted(r.recipient for r in rows) == sorted(invitees(p))
    assert all("与上级会议冲突" in r.body and "重新确认" in r.body for r in rows)


def test_a_postponement_needs_a_reason_and_a_new_time_ahead(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 2] a move is for 特殊情况, stated; refusals record nothing."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.postpone(meeting, starts_at=LATER, reason=" ", by=p.secretary, at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):  # in the past
        m.postpone(meeting, starts_at=at(3, 5), reason="改期", by=p.secretary, at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(NothingToReschedule):
        m.postpone(meeting, starts_at=MEETING_AT, reason="改期", by=p.secretary, at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(NothingToReschedule):  # same instant, UTC
        m.postpone(
            meeting,
            starts_at=MEETING_AT.in_timezone("UTC"),
            reason="改期",
            by=p.secretary,
            at=at(3, 6),
        )
    with assert_nothing_recorded(office), pytest.raises(TooLateForMeeting):
        m.postpone(meeting, starts_at=LATER, reason="改期", by=p.secretary, at=at(3, 10, 9, 30))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):  # outside the plan year
        m.postpone(
            meeting,
            starts_at=pendulum.datetime(2027, 1, 5, 9, tz="Asia/Shanghai"),
            reason="改期",
            by=p.secretary,
            at=at(3, 6),
        )


def test_a_held_meeting_is_not_postponed(office: Office, p: AgencyPeople) -> None:
    """A meeting that took place is not moved (its record stands)."""
    meeting = held_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.meetings.postpone(
            meeting, starts_at=LATER, reason="改期", by=p.secretary, at=at(3, 11)
        )


def test_the_limits_in_force_on_the_new_day_are_checked_again(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)3-4] the limits are the table in force on the meeting's day: a table
    that from 15 March allows 10 people refuses moving a 20-person meeting past that day."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    smaller = attrs.evolve(
        SEED_LIMITS,
        effective_from=date(2026, 3, 15),
        source="局会议费管理办法(2026年修订)",
        limits=(MeetingLimit(MeetingCategory.C, 1, 10, 550),),
    )
    m.limits = LimitRegistry((SEED_LIMITS, smaller))
    with assert_nothing_recorded(office), pytest.raises(MeetingLimitExceeded) as refused:
        m.postpone(meeting, starts_at=LATER, reason="改期", by=p.secretary, at=at(3, 6))
    assert [b.limit for b in refused.value.breaches] == [LimitKind.PARTICIPANTS]
    m.postpone(meeting, starts_at=at(3, 13, 9), reason="改期", by=p.secretary, at=at(3, 6))
    assert m.get(meeting).starts_at == at(3, 13, 9)


def test_who_may_request_or_approve_the_meeting_may_move_it(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)3] the organising unit (which requested it) or the principal leader
    (who approved it); another unit's staff may not."""
    m = office.meetings
    meeting = approved_request(office, p)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.postpone(meeting, starts_at=LATER, reason="改期", by=p.drafter2, at=at(3, 6))
    m.postpone(meeting, starts_at=LATER, reason="处室工作冲突", by=p.unit_head, at=at(3, 6))
    m.postpone(meeting, starts_at=LATER.add(days=1), reason="再改", by=p.principal, at=at(3, 7))
    assert m.get(meeting).starts_at == LATER.add(days=1)
    # an unplanned meeting is in no plan: no consent of the general office asked
    assert office.store.events(meeting)[-1].consent_by is None
    assert_trail_authorised(office, meeting)


def test_a_caller_writing_utc_moves_the_meeting_to_the_same_moment(
    office: Office, p: AgencyPeople
) -> None:
    """Business time is one instant whatever zone it is written in (ADR 0022)."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    m.postpone(
        meeting,
        starts_at=LATER.in_timezone("UTC"),
        reason="改期",
        by=p.secretary,
        at=at(3, 6).in_timezone("UTC"),
    )
    assert m.get(meeting).starts_at == LATER
    assert m.meeting_day(m.get(meeting)) == LATER.date()


# --- [000 范文6 四 2] a planned meeting moves only with the general office's consent ------------


def biz1_planned(office: Office, p: AgencyPeople) -> uuid.UUID:
    """A planned topic meeting organised by 业务一处, noticed."""
    m = office.meetings
    meeting = planned_meeting(office, p, organiser="biz1", kind="专题会议", name="安全生产专题会")
    m.draft_notice(
        meeting, invitees=invitees(p), contact="李拟稿 12345678", by=p.drafter, at=at(3, 3, 15)
    )
    m.countersign(meeting, party="office", by=p.office_head, at=at(3, 4, 9))
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 4, 9))
    m.issue_notice(meeting, by=p.principal, at=at(3, 4, 10))
    return meeting


def test_a_planned_meeting_moves_only_with_the_general_offices_consent(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 2] 未经局办公室同意,任何科室不得随意召开或变更会议计划."""
    m = office.meetings
    meeting = biz1_planned(office, p)
    with assert_nothing_recorded(office), pytest.raises(PlanChangeNeedsOfficeConsent):
        m.postpone(meeting, starts_at=LATER, reason="处室工作冲突", by=p.unit_head, at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(PlanChangeNeedsOfficeConsent):
        m.postpone(  # 业务二处's head is not the general office
            meeting,
            starts_at=LATER,
            reason="处室工作冲突",
            consent_by=p.unit_head2,
            by=p.unit_head,
            at=at(3, 6),
        )
    m.postpone(
        meeting,
        starts_at=LATER,
        reason="处室工作冲突",
        consent_by=p.office_head,
        by=p.unit_head,
        at=at(3, 6),
    )
    assert office.store.events(meeting)[-1].consent_by == p.office_head
    assert m.get(meeting).starts_at == LATER


def test_office_consent_is_judged_on_the_day_of_the_move(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 四 2] the person named for the general office must belong to it that day: one
    who moved to another unit before the move no longer consents for it."""
    m = office.meetings
    meeting = biz1_planned(office, p)
    office.org.move_person(person_id=p.secretary, unit="biz2", by=p.admin, at=at(3, 5))
    with assert_nothing_recorded(office), pytest.raises(PlanChangeNeedsOfficeConsent):
        m.postpone(
            meeting,
            starts_at=LATER,
            reason="改期",
            consent_by=p.secretary,
            by=p.unit_head,
            at=at(3, 6),
        )
    m.postpone(
        meeting,
        starts_at=LATER,
        reason="改期",
        consent_by=p.office_head,
        by=p.unit_head,
        at=at(3, 6),
    )


def test_rows_of_the_plan_stay_as_they_were_planned(office: Office, p: AgencyPeople) -> None:
    """The plan table keeps the planned date; the meeting's record carries the move."""
    m = office.meetings
    meeting = biz1_planned(office, p)
    m.postpone(meeting, starts_at=LATER, reason="改期", by=p.secretary, at=at(3, 6))
    assert m.plan_for(2026).row(1).planned_date == ROW["planned_date"]


def test_changing_a_planned_meetings_place_needs_the_consent_too(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 2] 更改日期、地点的 …… 未经局办公室同意,任何科室不得随意变更会议计划: the place
    as much as the date."""
    m = office.meetings
    meeting = biz1_planned(office, p)
    with assert_nothing_recorded(office), pytest.raises(PlanChangeNeedsOfficeConsent):
        m.move(meeting, venue="市会议中心", reason="规模扩大", by=p.unit_head, at=at(3, 6))
    m.move(
        meeting,
        venue="市会议中心",
        reason="规模扩大",
        consent_by=p.office_head,
        by=p.unit_head,
        at=at(3, 6),
    )
    record = m.get(meeting)
    assert (record.place, record.starts_at) == ("市会议中心", MEETING_AT)
    assert record.notice is not None and record.notice.place == "市会议中心"
    assert record.answers == {}
