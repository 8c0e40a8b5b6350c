"""会议 — time and authority an auditor can trust (issue 11), through ``office.meetings``.

The meeting area's edges where a second clock, a later organisation or a part-recorded
command meets the record: a chair, a head, a supervising leader or a leave approver judged
on the act's day; a caller writing UTC; a unit merged or dissolved while meetings are
open; a refusal in the middle of a command that records on several records; a decided
item whose deadline passed before its minutes were signed; and the audit trail of a whole
meeting, where every accepted decision was held.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import attrs
import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.base import TICK_ACTOR
from govoffice.domain.errors import GovOfficeError, InvalidInput, PermissionDenied
from govoffice.domain.meeting import (
    MaterialsDeadlinePassed,
    Meeting,
    MeetingPlan,
    MeetingStatus,
    PlanRowLate,
    WrongLeaveApprover,
)
from govoffice.domain.meeting_rules import (
    SEED_LIMITS,
    LimitKind,
    LimitRegistry,
    MeetingCategory,
    MeetingLimit,
    MeetingLimitExceeded,
)
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.organisation import Role
from govoffice.domain.supervision import SupervisionTask, UrgeChannel
from govoffice.domain.values import DocumentNumber
from govoffice.testing import AgencyPeople, assert_nothing_recorded, standard_agency
from tests.application.test_atomic_commands import every_step_refused
from tests.application.test_meetings import (
    ROW,
    START,
    approved_plan,
    approved_request,
    at,
    distributed,
    held_meeting,
    held_request,
    invitees,
    noticed,
    planned_meeting,
    requested,
    signed_minutes,
    topics,
)

UTC = "UTC"


@pytest.fixture
def p(office: Office) -> AgencyPeople:
    """The standard agency, established on 1 December 2025 (in time for the 2026 plan)."""
    office.clock.set(START)  # type: ignore[attr-defined]
    return standard_agency(office, START)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    """A business time written by a caller on UTC."""
    return pendulum.datetime(year, month, day, hour, minute, tz=UTC)


def every_decision_held(office: Office, record_id: uuid.UUID) -> list[str]:
    """The trail's authority column for every decision a person took on the record: each
    one held (and, when taken on someone's behalf, by a valid substitute). Returns the
    actions, for the caller to see what was judged."""
    actions = []
    for entry in office.audit.trail(record_id):
        if entry.decision.by == TICK_ACTOR:
            continue
        check = entry.check
        assert check.held is True, (entry.decision.action, check)
        assert check.substitute_valid is not False, (entry.decision.action, check)
        actions.append(entry.decision.action)
    return actions


# --- named people judged on the day --------------------------------------------------------------


def test_a_chair_whose_leader_role_ended_does_not_sign_the_minutes(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)1(1)] 会议纪要由会议主持人签发 — the chair, while still a 局领导: once his
    LEADER role ended he signs nothing, and no other leader signs in his place."""
    m = office.meetings
    meeting = held_request(office, p, at(3, 20, 9))  # a topic meeting chaired by the deputy
    m.draft_minutes(meeting, text="纪要", by=p.drafter, at=at(3, 20, 14))
    office.org.revoke_role(person_id=p.deputy, role=Role.LEADER, by=p.admin, at=at(3, 21))

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied) as refused:
        m.sign_minutes(meeting, by=p.deputy, at=at(3, 22))
    assert refused.value.details["needs"] == "局领导或主要领导"
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.sign_minutes(meeting, by=p.principal, at=at(3, 22))  # not the chair

    # signed (entered now) as of the evening of the meeting, while he was still a leader
    m.sign_minutes(meeting, by=p.deputy, at=at(3, 20, 18))
    assert m.get(meeting).minutes_signed_by == p.deputy
    assert every_decision_held(office, meeting)[-1] == "MinutesSigned"


def test_a_head_who_moved_proposes_topics_only_for_the_unit_he_heads_that_day(
    office: Office, p: AgencyPeople
) -> None:
    """[002 二 4] 会议的议题由各科室提出 — by the unit's head as the organisation stood on the
    day: a head who moved to another unit no longer speaks for the old one."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    office.org.move_person(person_id=p.unit_head, unit="biz2", by=p.admin, at=at(3, 2))

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.propose_agenda_item(meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 3))
    # the same act dated 1 March, when he headed 业务一处, is his to take
    one = m.propose_agenda_item(meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 1))
    # and now he proposes for 业务二处, which he is in and heads
    two = m.propose_agenda_item(meeting, title="预算", unit="biz2", by=p.unit_head, at=at(3, 3))
    # his old unit's staff send its topic's materials; he no longer does
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.submit_materials(meeting, item=one, materials=["方案"], by=p.unit_head, at=at(3, 4))
    m.submit_materials(meeting, item=one, materials=["方案"], by=p.drafter, at=at(3, 4))
    assert [i.unit for i in m.get(meeting).agenda_items.values()] == ["biz1", "biz2"]
    assert (one, two) == ("1", "2")
    every_decision_held(office, meeting)


def test_a_plan_row_is_endorsed_by_the_leader_who_supervised_the_unit_that_day(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)1] 经分管局领导同意 — the leader who supervised (分管) the unit on the
    day of the endorsement, not the one who did when the row came in."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    serial = m.submit_plan_row(
        year=2026, by=p.unit_head, at=at(12, 2, year=2025), **{**ROW, "organiser": "biz1"}
    )
    org = office.org
    org.assign_supervision(leader=p.deputy, units=["legal"], by=p.admin, at=at(12, 3, year=2025))
    org.assign_supervision(
        leader=p.deputy2, units=["biz1", "biz2"], by=p.admin, at=at(12, 3, year=2025)
    )

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied) as refused:
        m.endorse_plan_row(year=2026, serial=serial, by=p.deputy, at=at(12, 4, year=2025))
    assert "业务一处的分管局领导" in str(refused.value)
    m.endorse_plan_row(year=2026, serial=serial, by=p.deputy2, at=at(12, 4, year=2025))
    assert m.plan_for(2026).row(serial).endorsed_by == p.deputy2
    every_decision_held(office, m.plan_for(2026).id)


def test_leave_is_granted_by_the_convener_while_he_is_a_leader(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 五 5] 专题会议需向召集会议的业务副局长请假 — the convening deputy named on
    the request, judged on the day: after his LEADER role ended he grants no leave, and the
    director does not grant it in his place."""
    m = office.meetings
    meeting = approved_request(office, p)  # convened by the deputy
    m.draft_notice(
        meeting, invitees=[p.unit_head, p.unit_head2], contact="1234", by=p.drafter, at=at(3, 5)
    )
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party, by=head, at=at(3, 5, 11))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 5, 11))
    m.issue_notice(meeting, by=p.principal, at=at(3, 6))
    m.request_leave(meeting, reason="赴省厅开会", by=p.unit_head2, at=at(3, 9))
    office.org.revoke_role(person_id=p.deputy, role=Role.LEADER, by=p.admin, at=at(3, 10))

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.grant_leave(meeting, person=p.unit_head2, by=p.deputy, at=at(3, 11))
    with assert_nothing_recorded(office), pytest.raises(WrongLeaveApprover):
        m.grant_leave(meeting, person=p.unit_head2, by=p.principal, at=at(3, 11))
    m.grant_leave(meeting, person=p.unit_head2, by=p.deputy, at=at(3, 9, 15))  # on the day
    assert m.get(meeting).on_leave(p.unit_head2)
    every_decision_held(office, meeting)


# --- the agency's business day -------------------------------------------------------------------


def test_materials_are_due_two_agency_days_before_a_meeting_written_in_utc(
    office: Office, p: AgencyPeople
) -> None:
    """[002 二 4] 在会议召开前两天将议题和有关材料送交: a meeting at 2026-03-09T17:00Z is on
    10 March in Beijing, so materials are due by the end of 8 March (Beijing), however the
    caller writes the times."""
    m = office.meetings
    approved_plan(office, p)
    meeting = m.schedule(
        year=2026,
        serial=1,
        starts_at=utc(2026, 3, 9, 17),  # 2026-03-10 01:00 in Beijing
        chair=p.principal,
        by=p.secretary,
        at=utc(2026, 1, 5, 2),
    )
    assert m.materials_due(meeting) == date(2026, 3, 8)
    item = m.propose_agenda_item(
        meeting, title="安全生产检查方案", unit="biz1", by=p.unit_head, at=utc(2026, 3, 7, 2)
    )
    late = utc(2026, 3, 8, 16, 30)  # 2026-03-09 00:30 in Beijing
    with assert_nothing_recorded(office), pytest.raises(MaterialsDeadlinePassed) as refused:
        m.submit_materials(meeting, item=item, materials=["方案"], by=p.drafter, at=late)
    assert refused.value.details["due"] == date(2026, 3, 8)
    # 23:30 on 8 March in Beijing, although 15:30Z
    m.submit_materials(
        meeting, item=item, materials=["方案"], by=p.drafter, at=utc(2026, 3, 8, 15, 30)
    )
    assert m.get(meeting).materials == {item: ("方案",)}


def test_the_materials_tick_counts_the_agencys_days(office: Office, p: AgencyPeople) -> None:
    """[002 二 4] the overdue topics are flagged once the agency's 8 March is over, not at
    the end of UTC's."""
    m = office.meetings
    meeting = planned_meeting(office, p)  # 10 March, 09:00 Beijing
    m.propose_agenda_item(meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 2))
    assert office.tick(utc(2026, 3, 8, 15, 59)) == []  # 23:59 on 8 March in Beijing
    flagged = office.tick(utc(2026, 3, 8, 16, 1))  # 00:01 on 9 March in Beijing
    assert [(d.action, d.details["due"]) for d in flagged] == [
        ("MaterialsOverdue", date(2026, 3, 8))
    ]


def test_minutes_are_numbered_in_the_agencys_year(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)1(2)] 会议序号由办公室统一编排, one series a year: minutes numbered at
    2026-12-31T16:30Z (1 January 2027 in Beijing) take 2027's first number."""
    m = office.meetings
    office.clock.set(at(12, 1))  # type: ignore[attr-defined]
    meeting = held_request(office, p, at(12, 28, 9))
    assert m.archive_due(meeting) == date(2026, 12, 31)  # [000 范文6 四 7] by 31 December
    m.draft_minutes(meeting, text="纪要", by=p.drafter, at=at(12, 28, 14))
    m.sign_minutes(meeting, by=p.deputy, at=at(12, 29))
    number = m.number_minutes(meeting, by=p.secretary, at=utc(2026, 12, 31, 16, 30))
    assert number == DocumentNumber("X局会议纪要", 2027, 1)


def test_the_plans_december_deadline_and_year_are_the_agencys(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)1] 应于每年的12月上旬提出计划: 2025-12-10T16:30Z is 11 December in
    Beijing, so a row then is late without a reason; and at 2025-12-31T16:30Z (1 January
    2026 in Beijing) the 2025 plan can no longer be opened."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=utc(2025, 12, 1, 2))
    row = {**ROW, "organiser": "biz1"}
    with assert_nothing_recorded(office), pytest.raises(PlanRowLate):
        m.submit_plan_row(year=2026, by=p.unit_head, at=utc(2025, 12, 10, 16, 30), **row)
    on_time = m.submit_plan_row(year=2026, by=p.unit_head, at=utc(2025, 12, 10, 15, 30), **row)
    assert m.plan_for(2026).row(on_time).late_reason == ""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.open_plan(year=2025, by=p.secretary, at=utc(2025, 12, 31, 16, 30))


def test_the_limit_table_is_the_one_in_force_on_the_meetings_agency_date(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)2-4] the limits in force on the meeting's date: with a stricter table
    from 15 April, a meeting at 2026-04-14T16:30Z (00:30 on 15 April in Beijing) is held to
    it; one at 15:30Z (23:30 on 14 April) is not."""
    m = office.meetings
    stricter = attrs.evolve(
        SEED_LIMITS,
        effective_from=date(2026, 4, 15),
        source="局会议费管理办法(2026年修订)",
        limits=(MeetingLimit(MeetingCategory.C, 1, 25, 550),),
    )
    m.limits = LimitRegistry((SEED_LIMITS, stricter))
    after = requested(office, p, starts_at=utc(2026, 4, 14, 16, 30))
    before = requested(office, p, starts_at=utc(2026, 4, 14, 15, 30))
    assert [b.limit for b in m.limit_breaches(after)] == [LimitKind.PARTICIPANTS]
    assert m.limit_breaches(before) == ()
    for meeting in (after, before):
        m.countersign(meeting, party="office", by=p.office_head, at=at(3, 3))
        m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 3))
        m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 3))
    with assert_nothing_recorded(office), pytest.raises(MeetingLimitExceeded) as refused:
        m.approve(after, by=p.principal, at=at(3, 4))
    assert refused.value.details["source"] == "局会议费管理办法(2026年修订)"
    m.approve(before, by=p.principal, at=at(3, 4))
    assert m.get(before).limits_source == SEED_LIMITS.source


# --- restructuring ------------------------------------------------------------------------------


def test_a_merged_organisers_open_meetings_and_plan_rows_pass_to_the_successor(
    office: Office, p: AgencyPeople
) -> None:
    """处室合并 [ADR 0023]: a requested or planned meeting of the merged unit, and its plan row
    not yet scheduled, pass to the unit it merged into, with an event on each record's
    trail; an archived meeting and a scheduled row stay as they were."""
    m = office.meetings
    approved_plan(
        office,
        p,
        {**ROW, "organiser": "biz1", "name": "一季度业务会"},
        {**ROW, "organiser": "biz1", "name": "二季度业务会", "planned_date": date(2026, 6, 10)},
    )
    planned = m.schedule(
        year=2026, serial=1, starts_at=at(3, 27, 9), chair=p.principal, by=p.unit_head, at=at(1, 5)
    )
    open_request = requested(office, p)  # 业务一处's topic meeting on 14 April
    done = held_request(office, p, at(3, 20, 9))
    m.record_attendance(done, by=p.drafter, at=at(3, 20, 12))
    m.archive(done, materials=["会议通知", "签到表"], by=p.archivist, at=at(3, 21))

    handed = office.org.merge_unit(unit_id="biz1", into="biz2", by=p.admin, at=at(3, 25))

    assert handed == 3  # the planned meeting, the request, the plan
    for meeting in (planned, open_request):
        assert m.get(meeting).organiser == "biz2"
        assert m.history(meeting)[-1].action == "UnitHandedOver"
    assert m.get(done).organiser == "biz1" and m.get(done).status is MeetingStatus.ARCHIVED
    plan = m.plan_for(2026)
    assert [r.organiser for r in plan.rows.values()] == ["biz1", "biz2"]
    assert m.plan_history(2026)[-1].action == "UnitHandedOver"
    # the successor carries on: its supervising leader countersigns the request now
    m.countersign(open_request, party=p.deputy2, by=p.deputy2, at=at(3, 26))
    for record in (planned, open_request, plan.id):
        assert "UnitHandedOver" in every_decision_held(office, record)


def test_a_dissolved_units_decided_items_are_supervised_by_its_successor(
    office: Office, p: AgencyPeople
) -> None:
    """处室撤销 [ADR 0023]: a decided item of a dissolved unit not yet supervised passes to the
    successor — also when the meeting itself is already archived — and its task is opened
    for the unit that exists [000 范文6 五 7]."""
    m = office.meetings
    meeting = distributed(office, p)  # item 1: 业务一处, item 2: 业务二处 with 财务处
    m.archive(meeting, materials=["纪要", "签到表"], by=p.archivist, at=at(3, 12, 15))
    for person in (p.drafter, p.unit_head):
        office.org.move_person(person_id=person, unit="legal", by=p.admin, at=at(3, 13))
    handed = office.org.dissolve_unit(
        unit_id="biz1", successor="legal", reason="机构改革", by=p.admin, at=at(3, 14)
    )
    assert handed == 1
    record = m.get(meeting)
    assert record.status is MeetingStatus.ARCHIVED and record.organiser == "office"
    assert m.history(meeting)[-1].action == "UnitHandedOver"
    assert record.decided_items["1"].responsible_unit == "legal"
    assert record.decided_items["2"].responsible_unit == "biz2"
    tasks = m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 15))
    assert office.supervision.get(tasks["1"]).lead_unit == "legal"
    every_decision_held(office, meeting)


# --- atomic commands -----------------------------------------------------------------------------


class InjectedRefusal(GovOfficeError):
    """A refusal injected into a command half-way (a test double of any office refusal)."""


@contextmanager
def refusing(owner: type, name: str, nth: int) -> Iterator[list[int]]:
    """The ``nth`` call of ``owner.name`` (a domain method or class method) is refused with
    :class:`InjectedRefusal`; yields the call counter so the caller can see it was reached."""
    calls = [0]
    original = inspect.getattr_static(owner, name)

    def refuse_or_run(run: Callable[[], Any]) -> Any:
        calls[0] += 1
        if calls[0] == nth:
            raise InjectedRefusal(f"第{nth}次 {owner.__name__}.{name} 被拒绝 (injected)")
        return run()

    replacement: Any
    if isinstance(original, classmethod):
        bound = getattr(owner, name)
        replacement = classmethod(lambda cls, *a, **k: refuse_or_run(lambda: bound(*a, **k)))
    else:

        def replacement(self: Any, *a: Any, **k: Any) -> Any:
            return refuse_or_run(lambda: original.__get__(self, type(self))(*a, **k))

    setattr(owner, name, replacement)
    try:
        yield calls
    finally:
        setattr(owner, name, original)


def refused_at_every_step(
    office: Office,
    command: Callable[[], object],
    steps: Sequence[tuple[type, str, int]],
) -> None:
    """Refuse each step in turn: the command raises and records nothing, on any record."""
    for owner, name, nth in steps:
        with (
            refusing(owner, name, nth) as calls,
            assert_nothing_recorded(office),
            pytest.raises(InjectedRefusal),
        ):
            command()
        assert calls[0] == nth, f"{owner.__name__}.{name} was not called {nth} times"


def test_opening_the_decided_items_tasks_records_all_or_none(
    office: Office, p: AgencyPeople
) -> None:
    """[issue 11 §7] every command that records on several records records all or none: a
    refusal at any step of opening three decided items' tasks (a task opened, a number
    taken, a link recorded) leaves no task, no number and no link."""
    m = office.meetings
    meeting = signed_minutes(office, p)
    assert len(m.get(meeting).decided_items) == 2
    steps = [
        (NumberSeries, "start", 1),
        *((SupervisionTask, "open", n) for n in (1, 2)),
        *((NumberSeries, "take", n) for n in (1, 2)),
        *((Meeting, "link_supervision_task", n) for n in (1, 2)),
    ]
    refused_at_every_step(
        office,
        lambda: m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 13)),
        steps,
    )
    tasks = m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 13))
    numbers = sorted(office.supervision.get(t).number.serial for t in tasks.values())
    assert numbers == [1, 2]  # no number lost to the refusals
    assert m.get(meeting).task_links == tasks


def test_scheduling_merging_and_numbering_record_all_or_none(
    office: Office, p: AgencyPeople
) -> None:
    """[issue 11 §7] a refusal at any step of a command that records on two records (the plan
    and its meeting; the merged meeting and the one it joins; the number series and the
    minutes) records on neither."""
    m = office.meetings
    approved_plan(office, p)

    def schedule() -> uuid.UUID:
        return m.schedule(
            year=2026, serial=1, starts_at=at(3, 10, 9), chair=p.principal, by=p.secretary,
            at=at(1, 5),
        )  # fmt: skip

    refused_at_every_step(
        office, schedule, [(MeetingPlan, "schedule_row", 1), (Meeting, "plan", 1)]
    )
    meeting = schedule()
    assert m.plan_for(2026).scheduled == {1: meeting}

    first = approved_request(office, p, title="防汛检查部署会")
    into = approved_request(office, p, starts_at=at(4, 16, 9), title="防汛专题会议")

    def merge() -> None:
        m.merge(first, into=into, reason="内容接近", by=p.principal, at=at(3, 6))

    refused_at_every_step(office, merge, [(Meeting, "merge_into", 1), (Meeting, "_absorbed", 1)])
    merge()
    assert m.get(first).status is MeetingStatus.MERGED
    assert m.history(into)[-1].action == "Absorbed"

    topics(office, p, meeting)
    noticed(office, p, meeting)
    m.set_agenda(meeting, items=["1", "2"], by=p.principal, at=at(3, 9, 9))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11))
    m.draft_minutes(meeting, text="纪要", by=p.secretary, at=at(3, 10, 14))
    m.sign_minutes(meeting, by=p.principal, at=at(3, 10, 15))

    def number() -> DocumentNumber:
        return m.number_minutes(meeting, by=p.secretary, at=at(3, 11))

    refused_at_every_step(
        office,
        number,
        [(NumberSeries, "start", 1), (NumberSeries, "take", 1), (Meeting, "number_minutes", 1)],
    )
    assert str(number()) == "X局会议纪要〔2026〕1号"  # the refusals took no number


def _scheduling(office: Office, p: AgencyPeople) -> Callable[[], object]:
    """The 2026 plan collected late (the first year on govoffice), approved; schedule row 1."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(3, 2, 10))
    m.submit_plan_row(year=2026, by=p.office_head, late_reason="首年使用", at=at(3, 2, 11), **ROW)
    m.endorse_plan_row(year=2026, serial=1, by=p.principal, at=at(3, 2, 12))
    m.review_plan(year=2026, by=p.office_head, at=at(3, 2, 13))
    m.approve_plan(year=2026, by=p.principal, at=at(3, 2, 14))
    return lambda: m.schedule(
        year=2026, serial=1, starts_at=at(3, 10, 9), chair=p.principal, by=p.secretary, at=at(3, 3)
    )


def _merging_meetings(office: Office, p: AgencyPeople) -> Callable[[], object]:
    first = approved_request(office, p, title="防汛检查部署会")
    into = approved_request(office, p, starts_at=at(4, 16, 9), title="防汛专题会议")
    return lambda: office.meetings.merge(
        first, into=into, reason="内容接近", by=p.principal, at=at(3, 6)
    )


def _numbering_minutes(office: Office, p: AgencyPeople) -> Callable[[], object]:
    meeting = held_request(office, p, at(3, 20, 9))
    office.meetings.draft_minutes(meeting, text="纪要", by=p.drafter, at=at(3, 20, 14))
    office.meetings.sign_minutes(meeting, by=p.deputy, at=at(3, 20, 15))
    return lambda: office.meetings.number_minutes(meeting, by=p.secretary, at=at(3, 21))


def _opening_tasks(office: Office, p: AgencyPeople) -> Callable[[], object]:
    """A topic meeting held on 14 April with three decided items, one already past its
    deadline when the tasks are opened (so its task goes overdue in the same save)."""
    m = office.meetings
    meeting = approved_request(office, p)
    topic = m.propose_agenda_item(
        meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 5)
    )
    m.submit_materials(meeting, item=topic, materials=["方案"], by=p.drafter, at=at(3, 5, 11))
    m.set_agenda(meeting, items=[topic], by=p.deputy, at=at(3, 6))
    m.draft_notice(meeting, invitees=[p.unit_head], contact="1", by=p.drafter, at=at(3, 6, 11))
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party, by=head, at=at(3, 6, 14))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 6, 14))
    m.issue_notice(meeting, by=p.principal, at=at(3, 7))
    m.hold(meeting, by=p.drafter, at=at(4, 14, 11))
    m.draft_minutes(meeting, text="纪要", by=p.drafter, at=at(4, 14, 14))
    for unit, deadline, co in (
        ("biz1", date(2026, 4, 16), []),
        ("biz2", date(2026, 4, 30), []),
        ("legal", date(2026, 5, 29), ["finance"]),
    ):
        m.record_decision(
            meeting, agenda_item=topic, content=f"{unit} 落实", responsible_unit=unit,
            deadline=deadline, co_units=co, by=p.drafter, at=at(4, 14, 15),
        )  # fmt: skip
    m.sign_minutes(meeting, by=p.deputy, at=at(4, 20))
    return lambda: m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(4, 20, 11))


@pytest.mark.parametrize(
    "setup",
    [_scheduling, _merging_meetings, _numbering_minutes, _opening_tasks],
    ids=[
        "计划内会议立项 (meeting + plan)",
        "合并召开 (two meetings)",
        "纪要编号 (meeting + number series)",
        "议定事项立项督办 (meeting + series + three tasks)",
    ],
)
def test_every_event_of_a_meeting_command_on_several_records_is_all_or_none(
    setup: Callable[[Office, AgencyPeople], Callable[[], object]],
) -> None:
    """[issue 11 §7] 一个命令涉及多条记录时,要么全部记录,要么全不记录: the n-th event each of the
    meeting service's multi-record commands would record is refused in turn, and the store is
    left exactly as it was."""
    assert every_step_refused(setup) >= 2


# --- a decided item past its deadline --------------------------------------------------------------


def test_a_decided_item_past_its_deadline_when_the_minutes_are_signed_is_supervised_overdue(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 五 7] 会议决定的督办事项 …… 局督查室下发督查提示单督查追踪,逐项跟进: an item
    whose deadline fell before the minutes were signed is still supervised — its task keeps
    the meeting's deadline and is overdue from the moment it is opened; the supervision office
    follows it with a supervision letter setting a new time limit (对于逾期未办的,及时下发有关
    督办函,限定在规定期限内答复完毕 [000 范文2 二 3 公文催办])."""
    m = office.meetings
    meeting = held_meeting(office, p)  # held on 10 March
    m.draft_minutes(meeting, text="纪要", by=p.secretary, at=at(3, 10, 14))
    for agenda_item, unit, deadline in (
        ("1", "biz1", date(2026, 3, 13)),  # passed before the minutes are signed
        ("2", "biz2", date(2026, 3, 20)),  # falls on the day the tasks are opened
        ("1", "legal", date(2026, 4, 30)),
    ):
        m.record_decision(
            meeting,
            agenda_item=agenda_item,
            content=f"{unit} 落实",
            responsible_unit=unit,
            deadline=deadline,
            by=p.secretary,
            at=at(3, 10, 15),
        )
    m.sign_minutes(meeting, by=p.principal, at=at(3, 20, 9))

    tasks = m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 20, 10))

    late = office.supervision.get(tasks["1"])
    assert late.deadline == date(2026, 3, 13) and late.overdue and late.ever_overdue
    assert [d.action for d in office.supervision.history(tasks["1"])] == ["Opened", "WentOverdue"]
    for key in ("2", "3"):
        assert not office.supervision.get(tasks[key]).overdue
    # the supervision letter sets the new time limit; the tick marks only what is newly late
    office.supervision.urge(
        tasks["1"],
        channel=UrgeChannel.SUPERVISION_LETTER,
        new_deadline=date(2026, 3, 31),
        by=p.supervision_officer,
        at=at(3, 20, 11),
    )
    assert office.supervision.get(tasks["1"]).deadline == date(2026, 3, 31)
    went = [d for d in office.tick(at(3, 21, 9)) if d.action == "WentOverdue"]
    assert len(went) == 1 and office.supervision.get(tasks["2"]).overdue
    assert not office.supervision.get(tasks["1"]).overdue


# --- the whole trail ---------------------------------------------------------------------------


def test_every_accepted_decision_of_a_meetings_whole_life_was_held(
    office: Office, p: AgencyPeople
) -> None:
    """[issue 11 §5] one authority table read by the command and the trail: over the whole
    life of a planned meeting (plan, notice, answers, leave, seating, sign-in, minutes signed
    by a substitute, tasks, costs, evaluation, archive) and of unplanned ones (countersigned
    by a supervising leader, an exception, a merge, a cancellation), the trail says 有权 for
    every decision a person took."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    topics(office, p, meeting)
    noticed(office, p, meeting)
    m.answer(meeting, attend=True, by=p.deputy, at=at(3, 5))
    m.answer(
        meeting, attend=False, reason="出差", substitute=p.drafter2, by=p.unit_head2, at=at(3, 5)
    )
    m.grant_leave(meeting, person=p.unit_head2, by=p.principal, at=at(3, 6))
    m.arrange_seating(meeting, hosts=[p.principal, p.deputy], by=p.secretary, at=at(3, 8))
    m.swap_seats(
        meeting, a=p.principal, b=p.deputy, reason="领导交待", by=p.secretary, at=at(3, 8, 11)
    )
    m.set_agenda(meeting, items=["1", "2"], by=p.principal, at=at(3, 9, 9))
    for person in (*(i for i in invitees(p) if i != p.unit_head2), p.drafter2):
        m.sign_in(meeting, by=person, at=at(3, 10, 8, 50))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 40))
    m.draft_minutes(meeting, text="纪要", by=p.secretary, at=at(3, 11))
    m.record_decision(
        meeting, agenda_item="1", content="检查", responsible_unit="biz1",
        deadline=date(2026, 4, 30), by=p.secretary, at=at(3, 11, 11),
    )  # fmt: skip
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy2,
        start=date(2026, 3, 12),
        end=date(2026, 3, 12),
        by=p.admin,
        at=at(3, 11, 12),
    )
    m.sign_minutes(meeting, by=p.deputy2, on_behalf_of=p.principal, at=at(3, 12))
    m.number_minutes(meeting, by=p.secretary, at=at(3, 12, 11))
    m.distribute_minutes(meeting, by=p.secretary, at=at(3, 12, 14))
    m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 13))
    m.settle_costs(meeting, venue=500, payment="公务卡", by=p.secretary, at=at(3, 13))
    m.evaluate(
        meeting, preparation="好", agenda="好", problems_solved="好", consensus="好",
        results="好", by=p.office_head, at=at(3, 16),
    )  # fmt: skip
    m.archive(meeting, materials=["纪要", "签到表"], by=p.archivist, at=at(3, 16, 11))

    judged = every_decision_held(office, meeting)
    assert judged[0] == "Planned" and judged[-1] == "Archived"
    assert {"LeaveGranted", "SignedIn", "MinutesSigned", "SupervisionTaskLinked"} <= set(judged)
    every_decision_held(office, m.plan_for(2026).id)

    big = requested(office, p, participants=80, budget=40000, title="汛期部署会")
    m.countersign(big, party="office", by=p.office_head, at=at(3, 3))
    m.countersign(big, party="finance", by=p.finance_head, at=at(3, 3))
    m.countersign(big, party=p.deputy, by=p.deputy, at=at(3, 3))
    m.approve_limit_exception(big, reason="全系统部署", by=p.principal, at=at(3, 4))
    m.approve(big, by=p.principal, at=at(3, 4, 11))
    close = approved_request(office, p, starts_at=at(4, 16, 9), title="防汛专题会议")
    m.merge(big, into=close, reason="内容接近", by=p.principal, at=at(3, 6))
    dropped = requested(office, p, title="临时动议会")
    m.cancel(dropped, reason="准备不充分", by=p.office_head, at=at(3, 6))
    assert "Merged" in every_decision_held(office, big)
    assert "Absorbed" in every_decision_held(office, close)
    assert every_decision_held(office, dropped) == ["Requested", "Cancelled"]
