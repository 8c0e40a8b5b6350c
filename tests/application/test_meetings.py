"""会议 — the rules of 会议管理工作规程 [001], 范文6 [000], [002] and [004], through
``office.meetings``.

One test per rule, named in the office's words. The allowed path records events; a refused
step raises a named error and records nothing (``assert_nothing_recorded``).
"""

from __future__ import annotations

import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pendulum
import pytest
from rich.console import Console

from govoffice.application.office import Office
from govoffice.demo import Narrator
from govoffice.demo.meetings import meetings_scenario
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    NotASubstitute,
    PermissionDenied,
    UnknownUnit,
    WrongStatus,
)
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting import (
    CashSettlementRefused,
    ChairNotEligible,
    DecidedItemAlreadyLinked,
    DecisionsNotFinal,
    DistributionGroup,
    LateArchiveReasonRequired,
    LeaderOnLeave,
    MaterialsDeadlinePassed,
    MaterialsMissing,
    Meeting,
    MeetingCountersignMissing,
    MeetingKind,
    MeetingLeaveStatus,
    MeetingNotYetStarted,
    MeetingOverBudget,
    MeetingPlanStatus,
    MeetingStatus,
    MinutesFrozen,
    MinutesRequired,
    NothingToExcept,
    NotInvited,
    NotMergeable,
    NotOnAgenda,
    PlanIncomplete,
    PlanRowLate,
    SignInInPerson,
    SignInSheetRequired,
    TooLateForMeeting,
    TooManyInvitees,
    WrongLeaveApprover,
)
from govoffice.domain.meeting_rules import (
    CENTRAL_JURISDICTION,
    AttendanceFact,
    CategoryNotInTable,
    LimitKind,
    MeetingLimitExceeded,
)
from govoffice.domain.supervision import SupervisionTask, task_id_for
from govoffice.domain.values import DocumentNumber, PersonId
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    office_for_tests,
    recorded_since,
    standard_agency,
)

ZONE = "Asia/Shanghai"
START = pendulum.datetime(2025, 12, 1, 9, 0, tz=ZONE)
MEETING_AT = pendulum.datetime(2026, 3, 10, 9, 0, tz=ZONE)


def at(
    month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026
) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=ZONE)


@pytest.fixture
def p(office: Office) -> AgencyPeople:
    """The standard agency, established on 1 December 2025 (in time for the 2026 plan)."""
    office.clock.set(START)  # type: ignore[attr-defined]
    return standard_agency(office, START)


# --- driving a meeting to a stage -------------------------------------------------------------

ROW: dict[str, Any] = {
    "organiser": "office",
    "name": "局长办公会议(三月)",
    "content": "研究一季度重点工作",
    "kind": "局长办公会议",
    "planned_date": date(2026, 3, 10),
    "place": "局三楼会议室",
    "participant_scope": "局领导、有关处室负责人",
    "days": 1,
    "participants": 20,
    "budget_10k": "0.5",
}


def approved_plan(office: Office, p: AgencyPeople, *rows: dict[str, Any]) -> None:
    """The 2026 plan with the given rows (default: one office meeting), approved."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    head = {"office": p.office_head, "biz1": p.unit_head, "biz2": p.unit_head2}
    endorser = {"office": p.principal, "biz1": p.deputy, "biz2": p.deputy2}
    planned = [{**ROW, **row} for row in rows or (ROW,)]
    for i, fields in enumerate(planned):
        m.submit_plan_row(
            year=2026, by=head[fields["organiser"]], at=at(12, 2, 10 + i, year=2025), **fields
        )
    for serial, fields in enumerate(planned, start=1):
        m.endorse_plan_row(
            year=2026,
            serial=serial,
            by=endorser[fields["organiser"]],
            at=at(12, 3, 10 + serial, year=2025),
        )
    m.review_plan(year=2026, by=p.office_head, at=at(12, 8, year=2025))
    m.approve_plan(year=2026, by=p.principal, at=at(12, 15, year=2025))


def planned_meeting(office: Office, p: AgencyPeople, **row: Any) -> uuid.UUID:
    """A planned office meeting on 10 March 2026, 09:00, chaired by the director."""
    approved_plan(office, p, row)
    return office.meetings.schedule(
        year=2026, serial=1, starts_at=MEETING_AT, chair=p.principal, by=p.secretary, at=at(1, 5)
    )


INVITEES = ("principal", "deputy", "deputy2", "unit_head", "unit_head2", "office_head")


def invitees(p: AgencyPeople) -> list[str]:
    return [getattr(p, name) for name in INVITEES]


def topics(office: Office, p: AgencyPeople, meeting: uuid.UUID) -> list[str]:
    """Two topics (biz1, biz2) proposed with their materials on 2-3 March."""
    m = office.meetings
    one = m.propose_agenda_item(
        meeting, title="安全生产检查方案", unit="biz1", by=p.unit_head, at=at(3, 2)
    )
    two = m.propose_agenda_item(
        meeting, title="信息化项目预算", unit="biz2", by=p.unit_head2, at=at(3, 2, 11)
    )
    m.submit_materials(meeting, item=one, materials=["检查方案(送审稿)"], by=p.drafter, at=at(3, 3))
    m.submit_materials(meeting, item=two, materials=["预算说明"], by=p.drafter2, at=at(3, 3, 11))
    return [one, two]


def noticed(office: Office, p: AgencyPeople, meeting: uuid.UUID) -> None:
    """Notice drafted by the general office, countersigned by finance, signed by the director."""
    m = office.meetings
    m.draft_notice(
        meeting, invitees=invitees(p), contact="孙秘书 12345678", by=p.secretary, at=at(3, 3, 15)
    )
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 4, 9))
    m.issue_notice(meeting, by=p.principal, at=at(3, 4, 10))


def noticed_meeting(office: Office, p: AgencyPeople, **row: Any) -> uuid.UUID:
    meeting = planned_meeting(office, p, **row)
    noticed(office, p, meeting)
    return meeting


def held_meeting(office: Office, p: AgencyPeople, **row: Any) -> uuid.UUID:
    """Agenda set, everyone signed in on time, held, attendance recorded."""
    meeting = planned_meeting(office, p, **row)
    m = office.meetings
    items = topics(office, p, meeting)
    noticed(office, p, meeting)
    m.set_agenda(meeting, items=items, by=p.principal, at=at(3, 9, 9))
    for i, person in enumerate(invitees(p)):
        m.sign_in(meeting, by=person, at=at(3, 10, 8, 40 + i))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 40))
    return meeting


def signed_minutes(office: Office, p: AgencyPeople, **row: Any) -> uuid.UUID:
    """Held, minutes drafted with two decided items, signed by the chair."""
    meeting = held_meeting(office, p, **row)
    m = office.meetings
    m.draft_minutes(
        meeting, text="会议研究了安全生产检查和信息化预算。", by=p.secretary, at=at(3, 11)
    )
    m.record_decision(
        meeting,
        agenda_item="1",
        content="四月底前完成全系统安全生产检查",
        responsible_unit="biz1",
        deadline=date(2026, 4, 30),
        by=p.secretary,
        at=at(3, 11, 11),
    )
    m.record_decision(
        meeting,
        agenda_item="2",
        content="修改信息化项目预算后报局长审定",
        responsible_unit="biz2",
        co_units=["finance"],
        deadline=date(2026, 5, 15),
        by=p.secretary,
        at=at(3, 11, 12),
    )
    m.sign_minutes(meeting, by=p.principal, at=at(3, 12))
    return meeting


def distributed(office: Office, p: AgencyPeople, **row: Any) -> uuid.UUID:
    meeting = signed_minutes(office, p, **row)
    office.meetings.number_minutes(meeting, by=p.secretary, at=at(3, 12, 11))
    office.meetings.distribute_minutes(meeting, by=p.secretary, at=at(3, 12, 14))
    return meeting


TOPIC: dict[str, Any] = {
    "kind": MeetingKind.TOPIC,
    "title": "安全生产专题会议",
    "content": "部署汛期安全生产",
    "reason": "汛期临近,须专题部署",
    "organiser": "biz1",
    "starts_at": at(4, 14, 9),
    "place": "局二楼会议室",
    "participant_scope": "有关处室负责人及直属单位分管负责人",
    "participants": 30,
    "days": 1,
    "budget": 6000,
    "funding_source": "业务一处会议费预算",
}


def requested(office: Office, p: AgencyPeople, **changes: Any) -> uuid.UUID:
    """An unplanned topic meeting of biz1, convened by its supervising deputy."""
    fields = {**TOPIC, "chair": p.deputy, **changes}
    return office.meetings.request(by=p.unit_head, at=at(3, 2), **fields)


def countersigned(office: Office, p: AgencyPeople, meeting: uuid.UUID) -> None:
    """The general office, finance and the supervising deputy countersign the request."""
    m = office.meetings
    m.countersign(meeting, party="office", by=p.office_head, at=at(3, 3))
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 3, 11))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 3, 14))


def approved_request(office: Office, p: AgencyPeople, **changes: Any) -> uuid.UUID:
    meeting = requested(office, p, **changes)
    countersigned(office, p, meeting)
    office.meetings.approve(meeting, by=p.principal, at=at(3, 4))
    return meeting


def held_request(office: Office, p: AgencyPeople, starts_at: pendulum.DateTime) -> uuid.UUID:
    """An approved topic meeting at ``starts_at``, noticed (to biz1's head) and held."""
    m = office.meetings
    meeting = approved_request(office, p, starts_at=starts_at)
    m.draft_notice(meeting, invitees=[p.unit_head], contact="1", by=p.drafter, at=at(3, 13))
    for party, head in (
        ("office", p.office_head),
        ("finance", p.finance_head),
        (p.deputy, p.deputy),
    ):
        m.countersign(meeting, party=party, by=head, at=at(3, 13, 11))
    m.issue_notice(meeting, by=p.principal, at=at(3, 13, 14))
    m.hold(meeting, by=p.drafter, at=starts_at.add(hours=2))
    return meeting


def actions(office: Office, meeting: uuid.UUID) -> list[str]:
    return [d.action for d in office.meetings.history(meeting)]


# --- the annual plan ---------------------------------------------------------------------------


def test_plan_rows_are_proposed_by_early_december_or_say_why_late(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)1] 各部门应于每年的12月上旬提出下一年度会议计划."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    with assert_nothing_recorded(office), pytest.raises(PlanRowLate):
        m.submit_plan_row(year=2026, by=p.office_head, at=at(12, 11, year=2025), **ROW)
    on_time = m.submit_plan_row(year=2026, by=p.office_head, at=at(12, 10, 17, year=2025), **ROW)
    late = m.submit_plan_row(
        year=2026, by=p.office_head, late_reason="上级新部署", at=at(12, 12, year=2025), **ROW
    )
    plan = m.plan_for(2026)
    assert plan.row(on_time).late_reason == ""
    assert plan.row(late).late_reason == "上级新部署"


def test_plan_row_is_proposed_by_the_organising_units_head(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(一)1] 各部门承办的会议由本部门提出计划."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.submit_plan_row(year=2026, by=p.unit_head, at=at(12, 2, year=2025), **ROW)


def test_plan_needs_each_rows_supervising_leader_and_the_office_review(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)1] 经分管局领导同意,并经办公室审核协调后,提交审定."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    serial = m.submit_plan_row(
        year=2026, by=p.unit_head, at=at(12, 2, year=2025), **{**ROW, "organiser": "biz1"}
    )
    with assert_nothing_recorded(office), pytest.raises(PlanIncomplete):
        m.review_plan(year=2026, by=p.office_head, at=at(12, 4, year=2025))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.endorse_plan_row(year=2026, serial=serial, by=p.deputy2, at=at(12, 4, year=2025))
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        m.approve_plan(year=2026, by=p.principal, at=at(12, 4, year=2025))
    m.endorse_plan_row(year=2026, serial=serial, by=p.deputy, at=at(12, 4, year=2025))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.review_plan(year=2026, by=p.secretary, at=at(12, 5, year=2025))
    m.review_plan(year=2026, by=p.office_head, at=at(12, 5, year=2025))
    m.approve_plan(year=2026, by=p.principal, at=at(12, 15, year=2025))
    plan = m.plan_for(2026)
    assert plan.status is MeetingPlanStatus.APPROVED
    assert plan.row(serial).endorsed_by == p.deputy


def test_plan_is_approved_by_the_office_meeting_or_the_joint_meeting(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)1] 提交局长办公会议或党政联席会议审定后印发."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    m.submit_plan_row(year=2026, by=p.office_head, at=at(12, 2, year=2025), **ROW)
    m.endorse_plan_row(year=2026, serial=1, by=p.principal, at=at(12, 3, year=2025))
    m.review_plan(year=2026, by=p.office_head, at=at(12, 8, year=2025))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.approve_plan(year=2026, by=p.principal, decided_at="专题会议", at=at(12, 15, year=2025))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.approve_plan(year=2026, by=p.deputy, at=at(12, 15, year=2025))
    m.approve_plan(year=2026, by=p.principal, decided_at="党政联席会议", at=at(12, 15, year=2025))
    assert m.plan_for(2026).decided_at is MeetingKind.JOINT


def test_plan_over_a_limit_is_approved_only_after_the_principal_leaders_exception(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)3-4] 丙类会议会期不超过1天、人数不超过50人、每人每天550元."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    big = {**ROW, "participants": 80, "days": 2, "budget_10k": 10}
    m.submit_plan_row(year=2026, by=p.office_head, at=at(12, 2, year=2025), **big)
    m.submit_plan_row(year=2026, by=p.office_head, at=at(12, 2, 11, year=2025), **ROW)
    for serial in (1, 2):
        m.endorse_plan_row(year=2026, serial=serial, by=p.principal, at=at(12, 3, year=2025))
    m.review_plan(year=2026, by=p.office_head, at=at(12, 8, year=2025))
    with assert_nothing_recorded(office), pytest.raises(MeetingLimitExceeded) as refused:
        m.approve_plan(year=2026, by=p.principal, at=at(12, 15, year=2025))
    assert [b.limit for b in refused.value.breaches] == [
        LimitKind.DAYS,
        LimitKind.PARTICIPANTS,
        LimitKind.COST,
    ]
    assert all("第1行" in b.description for b in refused.value.breaches)
    with assert_nothing_recorded(office), pytest.raises(NothingToExcept):
        m.approve_plan_limit_exception(
            year=2026, serial=2, reason="无", by=p.principal, at=at(12, 15, year=2025)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.approve_plan_limit_exception(
            year=2026, serial=1, reason="全系统年度会议", by=p.deputy, at=at(12, 15, year=2025)
        )
    covered = m.approve_plan_limit_exception(
        year=2026, serial=1, reason="全系统年度会议", by=p.principal, at=at(12, 15, year=2025)
    )
    assert len(covered) == 3
    m.approve_plan(year=2026, by=p.principal, at=at(12, 15, 11, year=2025))
    assert m.plan_for(2026).status is MeetingPlanStatus.APPROVED
    trail = [d.action for d in m.plan_history(2026)][-2:]
    assert trail == ["LimitExceptionApproved", "Approved"]


def test_plan_table_has_the_columns_of_the_seed_form_and_a_total(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 六 1] 局20XX年会议计划汇总表: 序号…经费预算(万元), 总计."""
    approved_plan(
        office, p, ROW, {**ROW, "organiser": "biz1", "name": "业务培训会", "budget_10k": "1.1"}
    )
    table = office.meetings.plan_table(2026)
    assert table[0] == (
        "序号", "主办处室", "会议名称", "主要内容", "类别", "时间", "地点",
        "参会人员范围", "会期(天)", "人数", "出席会议局领导", "经费预算(万元)",
    )  # fmt: skip
    assert table[1][:3] == ("1", "办公室", "局长办公会议(三月)")
    assert table[2][1] == "业务一处"
    assert table[-1][0] == "总计"
    assert table[-1][9:] == ("40", "", "1.6")


def test_an_approved_plan_changes_only_with_the_general_offices_consent(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 2] 未经局办公室同意,任何科室不得随意召开或变更会议计划."""
    m = office.meetings
    approved_plan(office, p)
    row = {**ROW, "organiser": "biz1", "name": "防汛部署会"}
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        m.submit_plan_row(year=2026, by=p.unit_head, late_reason="汛期提前", at=at(4, 1), **row)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.reopen_plan(year=2026, reason="汛期提前", by=p.unit_head, at=at(4, 1))
    m.reopen_plan(year=2026, reason="汛期提前", by=p.office_head, at=at(4, 1))
    serial = m.submit_plan_row(
        year=2026, by=p.unit_head, late_reason="汛期提前", at=at(4, 1, 11), **row
    )
    m.endorse_plan_row(year=2026, serial=serial, by=p.deputy, at=at(4, 2))
    m.review_plan(year=2026, by=p.office_head, at=at(4, 2, 11))
    m.approve_plan(year=2026, by=p.principal, at=at(4, 3))
    assert [r.name for r in m.plan_for(2026).rows.values()] == [ROW["name"], "防汛部署会"]


def test_a_planned_meeting_comes_from_an_approved_plan_row_once(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)2] 计划内会议召开前起草通知 …… 在会议计划明确的经费范围内列支."""
    m = office.meetings
    m.open_plan(year=2026, by=p.secretary, at=at(12, 1, year=2025))
    m.submit_plan_row(year=2026, by=p.office_head, at=at(12, 2, year=2025), **ROW)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        m.schedule(
            year=2026,
            serial=1,
            starts_at=MEETING_AT,
            chair=p.principal,
            by=p.secretary,
            at=at(1, 5),
        )
    office.meetings.endorse_plan_row(year=2026, serial=1, by=p.principal, at=at(12, 3, year=2025))
    m.review_plan(year=2026, by=p.office_head, at=at(12, 8, year=2025))
    m.approve_plan(year=2026, by=p.principal, at=at(12, 15, year=2025))
    meeting_id = m.schedule(
        year=2026, serial=1, starts_at=MEETING_AT, chair=p.principal, by=p.secretary, at=at(1, 5)
    )
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        m.schedule(
            year=2026,
            serial=1,
            starts_at=MEETING_AT,
            chair=p.principal,
            by=p.secretary,
            at=at(1, 6),
        )
    meeting = m.get(meeting_id)
    assert meeting.status is MeetingStatus.PLANNED
    assert meeting.figures.budget == Decimal(5000)
    assert m.plan_for(2026).scheduled == {1: meeting_id}
    assert actions(office, meeting_id) == ["Planned"]


# --- unplanned meetings: request, countersign, approval, limits -------------------------------


def test_unplanned_request_states_content_reason_time_place_scope_count_budget_and_funding(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)3] 签报要明确会议内容、召开理由、时间地点、代表范围人数、所需经费及列支渠道."""
    for missing in ("reason", "funding_source", "participant_scope"):
        with assert_nothing_recorded(office), pytest.raises(InvalidInput):
            requested(office, p, **{missing: " "})
    meeting_id = requested(office, p)
    (request,) = office.meetings.history(meeting_id)
    assert request.action == "Requested"
    details = request.details
    assert details["reason"] == TOPIC["reason"]
    assert details["funding_source"] == TOPIC["funding_source"]
    assert details["figures"].participants == 30 and details["figures"].budget == 6000
    assert details["starts_at"] == TOPIC["starts_at"] and details["place"] == TOPIC["place"]


def test_unplanned_request_is_countersigned_by_office_finance_and_supervising_leader(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)3] 签报经办公室、财务处等相关部门及本部门分管领导会签后,提交局主要领导审批."""
    m = office.meetings
    meeting = requested(office, p)
    with assert_nothing_recorded(office), pytest.raises(MeetingCountersignMissing) as missing:
        m.approve(meeting, by=p.principal, at=at(3, 3))
    assert set(missing.value.parties) == {"office", "finance", p.deputy}
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.countersign(meeting, party="finance", by=p.unit_head, at=at(3, 3))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.countersign(meeting, party=p.deputy, by=p.deputy2, at=at(3, 3))
    m.countersign(meeting, party="office", by=p.office_head, at=at(3, 3))
    m.countersign(
        meeting,
        party="finance",
        agree=False,
        opinion="经费渠道不明",
        by=p.finance_head,
        at=at(3, 3, 11),
    )
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 3, 14))
    with assert_nothing_recorded(office), pytest.raises(MeetingCountersignMissing) as dissent:
        m.approve(meeting, by=p.principal, at=at(3, 4))
    assert dissent.value.parties == ("finance",)


def test_only_the_principal_leader_approves_an_unplanned_meeting(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)3] 签报 …… 提交局主要领导审批; a substitute signs on the leader's behalf."""
    m = office.meetings
    meeting = requested(office, p)
    countersigned(office, p, meeting)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.approve(meeting, by=p.deputy, at=at(3, 4))
    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        m.approve(meeting, by=p.deputy, on_behalf_of=p.principal, at=at(3, 4))
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy2,
        start=date(2026, 3, 4),
        end=date(2026, 3, 6),
        by=p.admin,
        at=at(3, 3, 17),
    )
    m.approve(meeting, by=p.deputy2, on_behalf_of=p.principal, at=at(3, 4))
    approval = m.history(meeting)[-1]
    assert (approval.action, approval.by, approval.on_behalf_of) == (
        "Approved",
        p.deputy2,
        p.principal,
    )
    assert m.get(meeting).approved_by == p.principal


def test_request_over_a_limit_is_refused_with_the_limits_it_breaks(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)3-4] 会期一般不超过1天,参会人员一般不得超过50人,每人每天550元."""
    m = office.meetings
    meeting = requested(office, p, participants=80, days=2, budget=100000)
    countersigned(office, p, meeting)
    assert [b.limit for b in m.limit_breaches(meeting)] == [
        LimitKind.DAYS,
        LimitKind.PARTICIPANTS,
        LimitKind.COST,
    ]
    with assert_nothing_recorded(office), pytest.raises(MeetingLimitExceeded) as refused:
        m.approve(meeting, by=p.principal, at=at(3, 4))
    assert [b.limit for b in refused.value.breaches] == [
        LimitKind.DAYS,
        LimitKind.PARTICIPANTS,
        LimitKind.COST,
    ]
    assert "丙类" in str(refused.value)


def test_an_approved_exception_of_the_principal_leader_lets_an_over_limit_request_through(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)3-4] over the limits only with an explicit, recorded exception."""
    m = office.meetings
    meeting = requested(office, p, participants=80, budget=40000)
    countersigned(office, p, meeting)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.approve_limit_exception(meeting, reason="全系统部署", by=p.deputy, at=at(3, 4))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.approve_limit_exception(meeting, reason=" ", by=p.principal, at=at(3, 4))
    covered = m.approve_limit_exception(meeting, reason="全系统部署", by=p.principal, at=at(3, 4))
    assert [b.limit for b in covered] == [LimitKind.PARTICIPANTS]
    m.approve(meeting, by=p.principal, at=at(3, 4, 11))
    assert actions(office, meeting)[-2:] == ["LimitExceptionApproved", "Approved"]
    assert m.limit_breaches(meeting) == ()


def test_limits_are_the_table_of_the_jurisdiction_in_force_on_the_meeting_date(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)2-4; reference 2.7 财行〔2016〕214号] 三类会议 2 days, 150 people, 550 yuan."""
    m = office.meetings
    third = {"category": "三类会议", "participants": 120, "days": 2, "budget": 120000}
    meeting = requested(office, p, **third)
    countersigned(office, p, meeting)
    with assert_nothing_recorded(office), pytest.raises(CategoryNotInTable):
        m.approve(meeting, by=p.principal, at=at(3, 4))  # the seed's table knows only 丙类
    m.jurisdiction = CENTRAL_JURISDICTION
    m.approve(meeting, by=p.principal, at=at(3, 4))
    assert "财行〔2016〕214号" in m.get(meeting).limits_source


def test_video_meetings_last_half_a_day_and_claim_no_lodging_or_meals(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)3, 4(4)] 视频会议控制在半天以内,不得报销房租费和伙食补助费."""
    m = office.meetings
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        requested(office, p, kind=MeetingKind.VIDEO)  # a video meeting is held by video
    meeting = requested(
        office, p, kind=MeetingKind.VIDEO, form="视频会议", days=1, budget=500, meals=300
    )
    countersigned(office, p, meeting)
    with assert_nothing_recorded(office), pytest.raises(MeetingLimitExceeded) as refused:
        m.approve(meeting, by=p.principal, at=at(3, 4))
    assert [b.limit for b in refused.value.breaches] == [
        LimitKind.DAYS,
        LimitKind.LODGING_AND_MEALS,
    ]


def test_a_rejected_request_records_the_reason(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)5(6)] 对于可开可不开的会议一律不开."""
    m = office.meetings
    meeting = requested(office, p)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.reject(meeting, reason="", by=p.principal, at=at(3, 4))
    m.reject(meeting, reason="可与季度例会合并部署", by=p.principal, at=at(3, 4))
    assert m.get(meeting).status is MeetingStatus.REJECTED
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        m.approve(meeting, by=p.principal, at=at(3, 5))


# --- kinds and their chairs --------------------------------------------------------------------


def test_office_meeting_is_chaired_by_the_director_or_a_deputy_he_delegates(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 四(一)1(3)] 局长办公会议由局长或局长委托的副局长召集和主持."""
    office_meeting = {"kind": MeetingKind.OFFICE, "organiser": "office"}
    with assert_nothing_recorded(office), pytest.raises(ChairNotEligible):
        office.meetings.request(
            **{**TOPIC, **office_meeting}, chair=p.deputy, by=p.secretary, at=at(3, 2)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.meetings.request(
            **{**TOPIC, **office_meeting},
            chair=p.deputy,
            delegated_by=p.deputy2,
            by=p.secretary,
            at=at(3, 2),
        )
    meeting = office.meetings.request(
        **{**TOPIC, **office_meeting},
        chair=p.deputy,
        delegated_by=p.principal,
        by=p.secretary,
        at=at(3, 2),
    )
    record = office.meetings.get(meeting)
    assert (record.chair, record.director, record.leave_approver) == (
        p.deputy,
        p.principal,
        p.principal,
    )


def test_party_group_meeting_is_chaired_by_the_party_secretary_who_grants_leave(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 三 2, 五 5] 局党组会议由局党组书记召开;党组会议需向党组书记请假."""
    party = {"kind": MeetingKind.PARTY_GROUP, "organiser": "party"}
    with assert_nothing_recorded(office), pytest.raises(ChairNotEligible):
        office.meetings.request(**{**TOPIC, **party}, chair=p.deputy, by=p.party_head, at=at(3, 2))
    meeting = office.meetings.request(
        **{**TOPIC, **party}, chair=p.principal, by=p.party_head, at=at(3, 2)
    )
    assert office.meetings.get(meeting).leave_approver == p.principal


@pytest.mark.parametrize(
    ("kind", "chair", "approver"),
    [
        (MeetingKind.OFFICE, "principal", "principal"),
        (MeetingKind.SYSTEM, "principal", "principal"),
        (MeetingKind.QUARTERLY, "deputy", "principal"),
        (MeetingKind.TOPIC, "deputy", "deputy"),
        (MeetingKind.PARTY_GROUP, "principal", "principal"),
    ],
    ids=[
        "局务会议→局长",
        "系统大会→局长",
        "季度例会→局长",
        "专题会议→召集的副局长",
        "党组会议→党组书记",
    ],
)
def test_leave_is_asked_of_the_approver_the_kind_names(
    office: Office, p: AgencyPeople, kind: MeetingKind, chair: str, approver: str
) -> None:
    """[000 范文6 五 5] 党组会议向党组书记、局务会议/系统大会/季度例会向局长、专题会议向召集会议的业务副局长请假."""
    m = office.meetings
    meeting = approved_request(office, p, kind=kind, chair=getattr(p, chair))
    m.draft_notice(
        meeting,
        invitees=[p.unit_head, p.unit_head2, p.deputy2],
        contact="1234",
        by=p.drafter,
        at=at(3, 5),
    )
    m.countersign(meeting, party="office", by=p.office_head, at=at(3, 5, 11))
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 5, 11))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 5, 11))
    m.issue_notice(meeting, by=p.principal, at=at(3, 6))
    m.request_leave(meeting, reason="赴省厅开会", by=p.unit_head2, at=at(3, 9))
    wrong = p.deputy2 if approver != "deputy2" else p.deputy
    with assert_nothing_recorded(office), pytest.raises(WrongLeaveApprover):
        m.grant_leave(meeting, person=p.unit_head2, by=wrong, at=at(3, 9, 11))
    m.grant_leave(meeting, person=p.unit_head2, by=getattr(p, approver), at=at(3, 9, 11))
    assert m.get(meeting).leaves[PersonId(p.unit_head2)].status is MeetingLeaveStatus.GRANTED


def test_minutes_go_to_the_distribution_list_of_the_meeting_kind(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 8] 局务会议纪要印发至局属各单位和机关各科室; [004 ★《会议纪要》分送范围]."""
    meeting = distributed(office, p)
    sent = office.meetings.get(meeting).minutes_distributed_to
    org = office.org.current()
    assert set(org.units) <= set(sent)
    assert {p.principal, p.deputy, p.deputy2} <= set(sent)
    assert {DistributionGroup.AFFILIATED.label, DistributionGroup.ARCHIVE.label} <= set(sent)
    topic = MeetingKind.TOPIC.rule.distribution
    assert DistributionGroup.RELATED_UNITS in topic and DistributionGroup.ALL_UNITS not in topic


# --- agenda --------------------------------------------------------------------------------------


def test_topics_and_materials_are_due_two_days_before_the_meeting(
    office: Office, p: AgencyPeople
) -> None:
    """[002 二 4] 在会议召开前两天将议题和有关材料送交秘书科汇总."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    item = m.propose_agenda_item(
        meeting, title="安全生产检查方案", unit="biz1", by=p.unit_head, at=at(3, 2)
    )
    with assert_nothing_recorded(office), pytest.raises(MaterialsDeadlinePassed):
        m.submit_materials(meeting, item=item, materials=["方案"], by=p.drafter, at=at(3, 9))
    with assert_nothing_recorded(office), pytest.raises(MaterialsDeadlinePassed):
        m.propose_agenda_item(meeting, title="临时动议", unit="biz2", by=p.unit_head2, at=at(3, 9))
    m.submit_materials(meeting, item=item, materials=["方案"], by=p.drafter, at=at(3, 8, 17))
    assert m.get(meeting).materials == {item: ("方案",)}


def test_a_topic_is_proposed_by_its_units_head(office: Office, p: AgencyPeople) -> None:
    """[002 二 4] 会议的议题,由各科室报分管领导同意后提出."""
    meeting = planned_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.meetings.propose_agenda_item(
            meeting, title="预算", unit="biz2", by=p.unit_head, at=at(3, 2)
        )


def test_only_topics_with_their_materials_go_on_the_agenda(office: Office, p: AgencyPeople) -> None:
    """[002 二 4-5] 议题和材料会前送交,一般不临时动议."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    one = m.propose_agenda_item(meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 2))
    two = m.propose_agenda_item(meeting, title="预算", unit="biz2", by=p.unit_head2, at=at(3, 2))
    m.submit_materials(meeting, item=one, materials=["方案"], by=p.drafter, at=at(3, 3))
    with assert_nothing_recorded(office), pytest.raises(MaterialsMissing) as missing:
        m.set_agenda(meeting, items=[one, two], by=p.principal, at=at(3, 9))
    assert missing.value.items == (two,)
    m.set_agenda(meeting, items=[one], by=p.principal, at=at(3, 9))
    assert m.get(meeting).agenda == (one,)


def test_the_agenda_is_set_by_the_chair(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)1(1)] 局长办公会议的议题由办公室汇总,报局长确定."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    one = m.propose_agenda_item(meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 2))
    m.submit_materials(meeting, item=one, materials=["方案"], by=p.drafter, at=at(3, 3))
    for not_chair in (p.deputy, p.office_head):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            m.set_agenda(meeting, items=[one], by=not_chair, at=at(3, 9))


def test_only_topics_on_the_agenda_are_decided(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 五 1] 未纳入会议的议题一律不允许上会."""
    meeting = held_meeting(office, p)
    m = office.meetings
    assert m.get(meeting).agenda == ("1", "2")
    with assert_nothing_recorded(office), pytest.raises(NotOnAgenda):
        m.record_decision(
            meeting,
            agenda_item="3",
            content="临时动议事项",
            responsible_unit="biz1",
            deadline=date(2026, 4, 30),
            by=p.secretary,
            at=at(3, 11),
        )


def test_tick_flags_topics_whose_materials_are_overdue_once(
    office: Office, p: AgencyPeople
) -> None:
    """[002 二 4] materials two days before; the overdue topics are recorded once."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    one = m.propose_agenda_item(meeting, title="检查方案", unit="biz1", by=p.unit_head, at=at(3, 2))
    m.propose_agenda_item(meeting, title="预算", unit="biz2", by=p.unit_head2, at=at(3, 2))
    m.submit_materials(meeting, item=one, materials=["方案"], by=p.drafter, at=at(3, 3))
    assert office.tick(at(3, 8, 17)) == []
    first = office.tick(at(3, 9, 8))
    assert [(d.action, d.details["items"]) for d in first] == [("MaterialsOverdue", ["2"])]
    assert office.tick(at(3, 9, 9)) == []


# --- notice -------------------------------------------------------------------------------------


def test_planned_meeting_notice_is_countersigned_by_office_and_finance_and_signed_by_a_leader(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)2] 会议通知提交办公室、财务处会签后,报局主要领导或分管领导签批."""
    m = office.meetings
    meeting = planned_meeting(office, p, organiser="biz1")
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.draft_notice(meeting, invitees=invitees(p), contact="1234", by=p.secretary, at=at(3, 3))
    m.draft_notice(meeting, invitees=invitees(p), contact="1234", by=p.drafter, at=at(3, 3))
    m.countersign(meeting, party="office", by=p.office_head, at=at(3, 3, 11))
    with assert_nothing_recorded(office), pytest.raises(MeetingCountersignMissing):
        m.issue_notice(meeting, by=p.principal, at=at(3, 4))
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 3, 14))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.issue_notice(meeting, by=p.deputy2, at=at(3, 4))  # not biz1's supervising leader
    m.issue_notice(meeting, by=p.deputy, at=at(3, 4))
    assert m.get(meeting).status is MeetingStatus.NOTICED


def test_a_new_notice_draft_needs_countersigning_again(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(一)2] the countersigned notice is the one signed."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    m.draft_notice(meeting, invitees=invitees(p), contact="1234", by=p.secretary, at=at(3, 3))
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 3, 11))
    m.draft_notice(meeting, invitees=invitees(p), contact="5678", by=p.secretary, at=at(3, 3, 14))
    with assert_nothing_recorded(office), pytest.raises(MeetingCountersignMissing):
        m.issue_notice(meeting, by=p.principal, at=at(3, 4))


def test_unplanned_meeting_notice_is_signed_by_the_principal_leader(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)3] 计划外会议通知由局主要领导签批."""
    m = office.meetings
    meeting = approved_request(office, p)
    m.draft_notice(meeting, invitees=invitees(p), contact="1234", by=p.drafter, at=at(3, 5))
    m.countersign(meeting, party="office", by=p.office_head, at=at(3, 5, 11))
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 5, 11))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 5, 11))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.issue_notice(meeting, by=p.deputy, at=at(3, 6))
    m.issue_notice(meeting, by=p.principal, at=at(3, 6))


def test_notice_states_time_place_topic_participants_notes_and_contact(
    office: Office, p: AgencyPeople
) -> None:
    """[004 四(一)2] 通知内容包括会议名称、时间、地点、参加人员、会议内容和注意事项、联系电话."""
    meeting = noticed_meeting(office, p)
    notice = office.meetings.get(meeting).notice
    assert notice is not None
    assert (notice.title, notice.starts_at, notice.place) == (ROW["name"], MEETING_AT, ROW["place"])
    assert notice.topic == ROW["content"] and notice.contact == "孙秘书 12345678"
    assert notice.invitees == tuple(invitees(p))


def test_notice_invites_no_more_than_the_approved_headcount(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)3] 参会人员一般不得超过50人 — here the plan's 4."""
    meeting = planned_meeting(office, p, participants=4, budget_10k="0.2")
    with assert_nothing_recorded(office), pytest.raises(TooManyInvitees):
        office.meetings.draft_notice(
            meeting, invitees=invitees(p), contact="1", by=p.secretary, at=at(3, 3)
        )


# --- answers, leave ------------------------------------------------------------------------------


def test_an_invitee_who_cannot_attend_asks_for_leave_before_the_meeting(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 五 5] 参会人员不能参加会议的,要向会议召集人说明情况并履行请假手续."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.answer(meeting, attend=False, by=p.unit_head, at=at(3, 5))  # no reason
    with assert_nothing_recorded(office), pytest.raises(NotInvited):
        m.answer(meeting, attend=True, by=p.drafter, at=at(3, 5))
    with assert_nothing_recorded(office), pytest.raises(TooLateForMeeting):
        m.request_leave(meeting, reason="临时有事", by=p.unit_head, at=at(3, 10, 9, 5))
    m.answer(meeting, attend=True, by=p.deputy, at=at(3, 5))
    m.answer(meeting, attend=False, reason="赴省厅开会", by=p.unit_head, at=at(3, 5, 11))
    record = m.get(meeting)
    assert record.answers == {p.deputy: True, p.unit_head: False}
    assert record.leaves[PersonId(p.unit_head)].status is MeetingLeaveStatus.REQUESTED
    assert actions(office, meeting)[-3:] == [
        "InvitationAnswered",
        "InvitationAnswered",
        "LeaveRequested",
    ]


def test_a_refused_leave_leaves_the_invitee_expected(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 五 4-5] 无特殊情况不得缺席; 请假经批准后报会议组织者备案."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    m.request_leave(meeting, reason="整理材料", by=p.unit_head, at=at(3, 5))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.refuse_leave(meeting, person=p.unit_head, opinion=" ", by=p.principal, at=at(3, 5, 11))
    m.refuse_leave(
        meeting, person=p.unit_head, opinion="议题涉及本处,须到会", by=p.principal, at=at(3, 5, 11)
    )
    assert not m.get(meeting).on_leave(p.unit_head)


# --- rostrum seating ---------------------------------------------------------------------------


def test_rostrum_seating_is_centre_out_and_manual_changes_are_recorded(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议的座次安排(一)2-4] 1号居中,2号在左,3号在右; 临时变化及时调整座次."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    chart = m.arrange_seating(
        meeting, hosts=[p.principal, p.deputy, p.deputy2], by=p.secretary, at=at(3, 9)
    )
    assert chart.seats == (p.deputy, p.principal, p.deputy2)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.swap_seats(meeting, a=p.deputy, b=p.deputy2, reason=" ", by=p.secretary, at=at(3, 9, 11))
    swapped = m.swap_seats(
        meeting, a=p.deputy, b=p.deputy2, reason="领导交待", by=p.secretary, at=at(3, 9, 11)
    )
    moved = m.move_seat(
        meeting,
        person=p.principal,
        seat=0,
        reason="主持人靠近讲台",
        by=p.secretary,
        at=at(3, 9, 12),
    )
    assert swapped.seats == (p.deputy2, p.principal, p.deputy)
    assert moved.seats == (p.principal, p.deputy2, p.deputy)
    assert m.get(meeting).seating == moved
    trail = [d for d in m.history(meeting) if d.action.startswith("Seating")]
    assert [d.action for d in trail] == [
        "SeatingArranged",
        "SeatingOverridden",
        "SeatingOverridden",
    ]
    assert trail[1].details["reason"] == "领导交待"
    assert trail[1].details["previous"] == chart


def test_a_leader_on_leave_gets_no_rostrum_seat(office: Office, p: AgencyPeople) -> None:
    """[001 会议的座次安排(一)4] 对上主席台的领导同志能否届时出席会议,在开会前务必逐一落实."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    m.request_leave(meeting, reason="出差", by=p.deputy2, at=at(3, 5))
    m.grant_leave(meeting, person=p.deputy2, by=p.principal, at=at(3, 5, 11))
    with assert_nothing_recorded(office), pytest.raises(LeaderOnLeave):
        m.arrange_seating(
            meeting, hosts=[p.principal, p.deputy, p.deputy2], by=p.secretary, at=at(3, 9)
        )


# --- sign-in, holding, attendance ---------------------------------------------------------------


def test_attendees_sign_in_in_person(office: Office, p: AgencyPeople) -> None:
    """[004 六 1] 会议签到,要求与会人员本人签到."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    record, org = m.get(meeting), office.org.current()
    with pytest.raises(SignInInPerson):  # the service only ever signs ``by`` in
        record.sign_in(org=org, person=p.principal, by=PersonId(p.secretary), at=at(3, 10, 8, 50))
    with assert_nothing_recorded(office), pytest.raises(NotInvited):
        m.sign_in(meeting, by=p.drafter, at=at(3, 10, 8, 50))
    m.sign_in(meeting, by=p.principal, at=at(3, 10, 8, 50))
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        m.sign_in(meeting, by=p.principal, at=at(3, 10, 8, 55))


def test_a_meeting_is_recorded_as_held_only_once_it_has_started(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 四(一)1(4)] 通知会议 → 召开会议 → 编写纪要."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(MeetingNotYetStarted):
        m.hold(meeting, by=p.secretary, at=at(3, 10, 8, 30))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.hold(meeting, by=p.drafter2, at=at(3, 10, 11))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11))
    assert m.get(meeting).status is MeetingStatus.HELD


def test_attendance_facts_are_present_late_left_early_on_leave_substituted_or_absent(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 五 4-6] 旷到、请假、代会、迟到、早退; [004 六 1] 本人签到."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    m.answer(
        meeting,
        attend=False,
        reason="赴省厅开会",
        substitute=p.drafter2,
        by=p.unit_head2,
        at=at(3, 5),
    )
    m.request_leave(meeting, reason="病假", by=p.deputy2, at=at(3, 5, 11))
    m.grant_leave(meeting, person=p.unit_head2, by=p.principal, at=at(3, 6))
    m.grant_leave(meeting, person=p.deputy2, by=p.principal, at=at(3, 6, 11))
    m.sign_in(meeting, by=p.principal, at=at(3, 10, 8, 50))
    m.sign_in(meeting, by=p.deputy, at=at(3, 10, 8, 55))
    m.sign_in(meeting, by=p.drafter2, at=at(3, 10, 8, 56))  # for unit_head2
    m.sign_in(meeting, by=p.office_head, at=at(3, 10, 9, 12))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.record_attendance(meeting, left_early=[p.unit_head], by=p.secretary, at=at(3, 10, 11, 40))
    entries = m.record_attendance(
        meeting, left_early=[p.deputy], by=p.secretary, at=at(3, 10, 11, 40)
    )
    facts = {e.person: e.facts for e in entries}
    assert facts == {
        p.principal: (AttendanceFact.PRESENT,),
        p.deputy: (AttendanceFact.LEFT_EARLY,),
        p.deputy2: (AttendanceFact.ON_LEAVE,),
        p.unit_head: (AttendanceFact.ABSENT,),
        p.unit_head2: (AttendanceFact.SUBSTITUTED,),
        p.office_head: (AttendanceFact.LATE,),
    }
    assert next(e for e in entries if e.person == p.unit_head2).substitute == p.drafter2
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 50))


def test_attendance_is_scored_only_at_the_meetings_tied_to_the_performance_score(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 五 6] 季度例会、系统大会考勤与全年绩效考评挂钩."""
    m = office.meetings
    scores = {}
    for kind, chair in ((MeetingKind.QUARTERLY, p.deputy), (MeetingKind.TOPIC, p.deputy)):
        meeting = approved_request(office, p, kind=kind, chair=chair)
        m.draft_notice(
            meeting, invitees=[p.unit_head, p.unit_head2], contact="1", by=p.drafter, at=at(3, 5)
        )
        for party in ("office", "finance", p.deputy):
            head = {"office": p.office_head, "finance": p.finance_head}.get(party, p.deputy)
            m.countersign(meeting, party=party, by=head, at=at(3, 5, 11))
        m.issue_notice(meeting, by=p.principal, at=at(3, 6))
        m.sign_in(meeting, by=p.unit_head, at=at(4, 14, 9, 20))
        m.hold(meeting, by=p.drafter, at=at(4, 14, 11))
        m.record_attendance(meeting, by=p.drafter, at=at(4, 14, 11, 30))
        scores[kind] = m.attendance_deductions(meeting)
    assert scores[MeetingKind.QUARTERLY] == {p.unit_head: Decimal("0.5"), p.unit_head2: Decimal(2)}
    assert scores[MeetingKind.TOPIC] == {p.unit_head: Decimal(0), p.unit_head2: Decimal(0)}
    assert m.unit_attendance_deductions(2026) == {"biz1": Decimal("0.5"), "biz2": Decimal(2)}


def test_tick_urges_absentees_five_minutes_before_the_start_once(
    office: Office, p: AgencyPeople
) -> None:
    """[004 六 1] 会务工作人员在会前5分钟,对没有到会人员进行催促."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    m.request_leave(meeting, reason="出差", by=p.deputy2, at=at(3, 5))
    m.grant_leave(meeting, person=p.deputy2, by=p.principal, at=at(3, 5, 11))
    for person in (p.principal, p.deputy, p.unit_head):
        m.sign_in(meeting, by=person, at=at(3, 10, 8, 40))
    assert office.tick(at(3, 10, 8, 54)) == []
    urged = office.tick(at(3, 10, 8, 55))
    assert [(d.action, d.details["persons"]) for d in urged] == [
        ("AbsenteesUrged", [p.unit_head2, p.office_head])
    ]
    assert office.tick(at(3, 10, 8, 58)) == []


# --- cancelling and merging ---------------------------------------------------------------------


def test_the_general_office_may_cancel_a_badly_prepared_meeting(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 4] 对于准备不充分或有内容重复性的会议,局办公室有权安排取消会议."""
    m = office.meetings
    meeting = noticed_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.cancel(meeting, reason="准备不充分", by=p.unit_head, at=at(3, 6))
    m.cancel(meeting, reason="准备不充分", by=p.office_head, at=at(3, 6))
    assert m.get(meeting).status is MeetingStatus.CANCELLED
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        m.sign_in(meeting, by=p.principal, at=at(3, 10, 8, 50))


def test_meetings_with_the_same_participants_and_close_dates_are_merged(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 4] 参加人员相同、内容接近、时间相近的会议,请示主要领导后合并召开."""
    m = office.meetings
    first = approved_request(office, p)
    item = m.propose_agenda_item(first, title="防汛检查", unit="biz1", by=p.unit_head, at=at(3, 5))
    m.submit_materials(first, item=item, materials=["防汛方案"], by=p.drafter, at=at(3, 5, 11))
    close = approved_request(office, p, starts_at=at(4, 16, 9), title="防汛专题会议")
    far = approved_request(office, p, starts_at=at(6, 16, 9), title="防汛总结会议")
    with assert_nothing_recorded(office), pytest.raises(NotMergeable):
        m.merge(first, into=far, reason="内容接近", by=p.principal, at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.merge(first, into=close, reason="内容接近", by=p.office_head, at=at(3, 6))
    m.merge(first, into=close, reason="内容接近", by=p.principal, at=at(3, 6))
    merged, survivor = m.get(first), m.get(close)
    assert merged.status is MeetingStatus.MERGED and merged.merged_into == close
    assert [i.title for i in survivor.agenda_items.values()] == ["防汛检查"]
    assert survivor.materials == {"1": ("防汛方案",)}
    assert actions(office, close)[-1] == "Absorbed"


# --- minutes ------------------------------------------------------------------------------------


def test_minutes_are_signed_by_the_chair(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)1(1)] 会议纪要由会议主持人签发."""
    m = office.meetings
    meeting = held_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(MinutesRequired):
        m.sign_minutes(meeting, by=p.principal, at=at(3, 11))
    m.draft_minutes(meeting, text="纪要", by=p.secretary, at=at(3, 11))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.sign_minutes(meeting, by=p.deputy, at=at(3, 11, 11))
    m.sign_minutes(meeting, by=p.principal, at=at(3, 11, 11))
    assert m.get(meeting).minutes_signed_by == p.principal


def test_signed_minutes_are_kept_as_written(office: Office, p: AgencyPeople) -> None:
    """[004 七 4] 记录应真实、准确、完整,不得随意做增删改动."""
    m = office.meetings
    meeting = signed_minutes(office, p)
    with assert_nothing_recorded(office), pytest.raises(MinutesFrozen):
        m.draft_minutes(meeting, text="改过的纪要", by=p.secretary, at=at(3, 13))
    with assert_nothing_recorded(office), pytest.raises(MinutesFrozen):
        m.record_decision(
            meeting,
            agenda_item="1",
            content="追加事项",
            responsible_unit="biz1",
            deadline=date(2026, 4, 30),
            by=p.secretary,
            at=at(3, 13),
        )


def test_minutes_are_numbered_by_the_general_office_without_gaps_per_year(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)1(2)] 会议序号由办公室统一编排; [001 会议 四(一)4(4)] 办公室编号印发纪要."""
    m = office.meetings
    first = signed_minutes(office, p)
    second = held_request(office, p, at(3, 20, 9))
    m.draft_minutes(second, text="纪要", by=p.drafter, at=at(3, 20, 14))
    with assert_nothing_recorded(office), pytest.raises(MinutesRequired):
        m.number_minutes(second, by=p.secretary, at=at(3, 20, 15))
    m.sign_minutes(second, by=p.deputy, at=at(3, 20, 15))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.number_minutes(first, by=p.drafter, at=at(3, 21))
    numbers = [m.number_minutes(x, by=p.secretary, at=at(3, 23)) for x in (second, first)]
    assert [str(n) for n in numbers] == ["X局会议纪要〔2026〕1号", "X局会议纪要〔2026〕2号"]
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        m.number_minutes(first, by=p.secretary, at=at(3, 23, 11))
    assert m.get(first).minutes_number == DocumentNumber("X局会议纪要", 2026, 2)


def test_an_office_meeting_is_not_archived_without_its_minutes(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 8] 局务会议形成的决议或决定事项必须编制会议纪要并印发."""
    meeting = held_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(MinutesRequired):
        office.meetings.archive(
            meeting, materials=["会议通知", "签到表"], by=p.archivist, at=at(3, 12)
        )


# --- decided items become supervision tasks ----------------------------------------------------


def test_each_decided_item_opens_one_supervision_task_linked_both_ways(
    office: Office, p: AgencyPeople
) -> None:
    """[004 县政府 二(四)2] 会议议定的事项由督查室填催办查办卡,交有关部门按时限要求落实."""
    m = office.meetings
    meeting = distributed(office, p)
    tasks = m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 13))
    assert tasks == {
        key: task_id_for(SourceRef(SourceKind.MEETING_DECISION, meeting, key)) for key in ("1", "2")
    }
    record = m.get(meeting)
    assert record.task_links == tasks
    for key, task_id in tasks.items():
        task = office.supervision.get(task_id)
        item = record.decided_items[key]
        assert task.source == record.task_source(key)
        assert (task.lead_unit, task.deadline) == (item.responsible_unit, item.deadline)
    assert list(office.supervision.get(tasks["2"]).co_units) == ["finance"]
    assert office.supervision.tasks_of(meeting) == [tasks["1"], tasks["2"]]
    with assert_nothing_recorded(office):
        again = m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 14))
    assert again == tasks


def test_decided_items_open_tasks_only_once_the_chair_signed_the_minutes(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)1(1)] 纪要由会议主持人签发 — the decided items are final only then."""
    m = office.meetings
    meeting = held_meeting(office, p)
    m.draft_minutes(meeting, text="纪要", by=p.secretary, at=at(3, 11))
    m.record_decision(
        meeting, agenda_item="1", content="检查", responsible_unit="biz1",
        deadline=date(2026, 4, 30), by=p.secretary, at=at(3, 11, 11),
    )  # fmt: skip
    with assert_nothing_recorded(office), pytest.raises(DecisionsNotFinal):
        m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 12))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.sign_minutes(meeting, by=p.secretary, at=at(3, 12))
    m.sign_minutes(meeting, by=p.principal, at=at(3, 12))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.open_decided_item_tasks(meeting, by=p.secretary, at=at(3, 12, 11))
    assert list(m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 12, 11))) == [
        "1"
    ]


def test_a_decided_item_names_a_responsible_unit_and_a_deadline_after_the_meeting(
    office: Office, p: AgencyPeople
) -> None:
    """[004 县政府 一(二)3] 会议决定和部署的重要工作,有一定时限要求的,由督查室负责跟踪催办."""
    m = office.meetings
    meeting = held_meeting(office, p)
    decision: dict[str, Any] = {
        "agenda_item": "1",
        "content": "检查",
        "by": p.secretary,
        "at": at(3, 11),
    }
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.record_decision(meeting, responsible_unit="biz1", deadline=date(2026, 3, 10), **decision)
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit):
        m.record_decision(
            meeting, responsible_unit="nowhere", deadline=date(2026, 4, 30), **decision
        )
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.record_decision(meeting, responsible_unit="biz1", deadline="soon", **decision)  # type: ignore[arg-type]
    assert (
        m.record_decision(meeting, responsible_unit="biz1", deadline=date(2026, 4, 30), **decision)
        == "1"
    )


def test_a_task_is_linked_to_a_decided_item_only_once(office: Office, p: AgencyPeople) -> None:
    """[004 县政府 二(四)2] one 催办查办卡 per decided item (the aggregate, driven directly)."""
    record = office.meetings.get(signed_minutes(office, p))
    officer = PersonId(p.supervision_officer)
    task = task_id_for(record.task_source("1"))
    record.link_supervision_task(task_id=task, by=officer, at=at(3, 13))
    with pytest.raises(InvalidInput):  # a task of no decided item of this meeting
        record.link_supervision_task(task_id=uuid.uuid4(), by=officer, at=at(3, 13))
    with pytest.raises(DecidedItemAlreadyLinked):
        record.link_supervision_task(task_id=task, by=officer, at=at(3, 13))
    assert record.task_links == {"1": task}


# --- costs, evaluation, archive ----------------------------------------------------------------


def test_meeting_costs_are_never_settled_in_cash(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)4(4)] 以银行转账或公务卡方式结算,禁止以现金方式结算."""
    meeting = held_meeting(office, p)
    with assert_nothing_recorded(office), pytest.raises(CashSettlementRefused):
        office.meetings.settle_costs(
            meeting, venue=500, payment="现金", by=p.secretary, at=at(3, 12)
        )
    total = office.meetings.settle_costs(
        meeting,
        venue=500,
        printing=200,
        payment="公务卡",
        by=p.secretary,
        at=at(3, 12),
    )
    assert total == Decimal(700)


def test_costs_stay_within_the_budget_and_the_per_person_day_envelope(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(一)2] 在会议计划明确的经费范围内列支; [001 五(三)4(2)] 综合定额是开支上限."""
    meeting = held_meeting(office, p)
    m = office.meetings
    with assert_nothing_recorded(office), pytest.raises(MeetingOverBudget):
        m.settle_costs(meeting, venue=5001, payment="银行转账", by=p.secretary, at=at(3, 12))
    with assert_nothing_recorded(office), pytest.raises(MeetingLimitExceeded) as over:
        m.settle_costs(meeting, venue=3301, payment="银行转账", by=p.secretary, at=at(3, 12))
    assert [b.limit for b in over.value.breaches] == [LimitKind.COST]
    m.settle_costs(meeting, venue=3300, payment="银行转账", by=p.secretary, at=at(3, 12))


def test_costs_are_reimbursed_only_with_the_sign_in_sheet(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)4(3)] 会议费报销时应当提供 …… 参会人员签到表."""
    meeting = noticed_meeting(office, p)
    office.meetings.hold(meeting, by=p.secretary, at=at(3, 10, 11))
    with assert_nothing_recorded(office), pytest.raises(SignInSheetRequired):
        office.meetings.settle_costs(
            meeting, venue=100, payment="公务卡", by=p.secretary, at=at(3, 12)
        )


def test_the_organising_units_head_writes_the_evaluation_report(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)6] 会议具体承办部门 …… 进行系统评估,并形成评估报告."""
    meeting = held_meeting(office, p)
    report = {
        "preparation": "材料提前两天送达",
        "agenda": "两项议题均已审议",
        "problems_solved": "明确检查分工",
        "consensus": "同意预算调整方向",
        "results": "形成议定事项两项",
    }
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.meetings.evaluate(meeting, by=p.unit_head, at=at(3, 16), **report)
    office.meetings.evaluate(meeting, by=p.office_head, at=at(3, 16), **report)
    evaluation = office.meetings.get(meeting).evaluation
    assert evaluation is not None and evaluation.results == "形成议定事项两项"


def test_materials_are_archived_within_seven_days_and_by_31_december(
    office: Office, p: AgencyPeople
) -> None:
    """[000 范文6 四 7] 在会议结束七日内或每年12月31日之前 …… 进行归档."""
    m = office.meetings
    meeting = distributed(office, p)
    assert m.archive_due(meeting) == date(2026, 3, 17)
    files = ["会议通知", "会议记录", "会议纪要", "签到表"]
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.archive(meeting, materials=files, by=p.secretary, at=at(3, 18))
    with assert_nothing_recorded(office), pytest.raises(LateArchiveReasonRequired):
        m.archive(meeting, materials=files, by=p.archivist, at=at(3, 18))
    m.archive(meeting, materials=files, late_reason="记录人员出差", by=p.archivist, at=at(3, 18))
    archived = m.history(meeting)[-1]
    assert (archived.action, archived.details["late"]) == ("Archived", True)
    office.clock.set(at(12, 1))  # type: ignore[attr-defined]  # within the business-time horizon
    december = held_request(office, p, at(12, 28, 9))
    assert m.archive_due(december) == date(2026, 12, 31)


def test_tick_flags_a_missed_archive_deadline_once(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 四 7] 会议结束七日内归档."""
    meeting = distributed(office, p)
    assert office.tick(at(3, 17, 17)) == []
    late = office.tick(at(3, 18, 9))
    assert [(d.action, d.details["due"]) for d in late] == [("ArchiveOverdue", date(2026, 3, 17))]
    assert office.tick(at(3, 19, 9)) == []
    assert office.meetings.get(meeting).archive_overdue


# --- the record ----------------------------------------------------------------------------------


def test_the_whole_life_of_a_meeting_replays_from_every_store(store_url: str) -> None:
    """[domain brief §10] replaying the stored events reproduces the meeting, now and as it
    stood at any business time (every event and value survives the store's encoding)."""
    with office_for_tests(store_url, start=START) as office:
        p = standard_agency(office, START)
        meeting = distributed(office, p)
        m = office.meetings
        m.settle_costs(meeting, venue=500, payment="公务卡", by=p.secretary, at=at(3, 13))
        m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=at(3, 13, 11))
        m.evaluate(
            meeting, preparation="好", agenda="好", problems_solved="好", consensus="好",
            results="好", by=p.office_head, at=at(3, 16),
        )  # fmt: skip
        m.archive(meeting, materials=["纪要", "签到表"], by=p.archivist, at=at(3, 16, 11))
        now = state(m.get(meeting))
        assert state(m.as_of(meeting, at(12, 31))) == now
        before = m.as_of(meeting, at(3, 11, 23))
        assert before.status is MeetingStatus.HELD and before.minutes_signed_by is None
        assert len(before.decided_items) == 2 and before.task_links == {}
    if store_url != "memory":
        with office_for_tests(store_url, start=START) as reopened:
            assert state(reopened.meetings.get(meeting)) == now


def state(meeting: Meeting) -> dict[str, Any]:
    return {k: v for k, v in vars(meeting).items() if k not in ("_pending_events", "_modified_on")}


# --- the demo --------------------------------------------------------------------------------------


def test_the_demo_scenario_runs_on_a_fresh_office() -> None:
    """The demo's meeting scenario runs: every step allowed, its three refusals refused, two
    supervision tasks opened from the decided items."""
    with office_for_tests("memory") as office:
        start = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
        clock = office.clock
        assert isinstance(clock, SettableClock)
        clock.set(start)
        standard_agency(office, start)
        console = Console(file=io.StringIO(), width=160)
        n = Narrator(office, console, start.add(days=1).set(hour=8))
        n.at()
        before = len(recorded_since(office, 0))
        meetings_scenario(n)
        assert n.refusals == 3
        out = console.file.getvalue()  # type: ignore[attr-defined]
        assert "MeetingLimitExceeded" in out and "NotOnAgenda" in out
        assert len(recorded_since(office, 0)) > before
        tasks = office.supervision.store.record_ids(SupervisionTask)
        assert len(tasks) == 2
