"""Meeting rules that were judged wrongly (issue 13 §3): the cost settlement by person-day
against the sign-in sheet, the evaluation report's required parts, a re-arranged seating
chart as an override, and the leaders named in the plan and the executed table."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.office import Office
from govoffice.cli import main
from govoffice.domain.errors import InvalidInput, PermissionDenied
from govoffice.domain.incoming import IncomingStatus
from govoffice.domain.meeting import (
    EVALUATION_PARTS,
    EvaluationIncomplete,
    HeadcountNotOnSignInSheet,
    MeetingCostSettlement,
    MeetingEvaluation,
    MeetingPayment,
    SeatingAlreadyArranged,
    SettlementAboveSignInStandard,
)
from govoffice.domain.meeting_rules import LimitKind, MeetingLimitExceeded
from govoffice.domain.values import PersonId
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    assert_trail_authorised,
    office_for_tests,
    standard_agency,
)
from govoffice.testing.builders import incoming_document
from tests.application.test_meetings import (
    approved_plan,
    at,
    distributed,
    noticed,
    p,
    planned_meeting,
)

__all__ = ["p"]  # the fixture, imported


def partly_signed(office: Office, p: AgencyPeople) -> uuid.UUID:
    """The March office meeting with six invitees: three sign in, 张科员 signs in for 业务二处
    处长 on leave, two stay away — four people on the sign-in sheet."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    noticed(office, p, meeting)
    m.request_leave(
        meeting, reason="赴省厅开会", substitute=p.drafter2, by=p.unit_head2, at=at(3, 5)
    )
    m.grant_leave(meeting, person=p.unit_head2, by=p.principal, at=at(3, 5, 11))
    for i, person in enumerate((p.principal, p.deputy, p.deputy2, p.drafter2)):
        m.sign_in(meeting, by=person, at=at(3, 10, 8, 40 + i))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 40))
    return meeting


# --- 1. the settlement by person-day against the sign-in sheet --------------------------------


def test_the_settlement_is_judged_per_person_day_against_the_sign_in_sheet(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)4(2)-(3)] 会议费综合定额最高标准为每人每天550元 …… 报销时应当提供 ……
    参会人员签到表: four on the sheet × 1 day × 550 = 2,200 yuan, whatever the plan's 20."""
    m = office.meetings
    meeting = partly_signed(office, p)
    assert m.get(meeting).signed_in_count() == 4
    with assert_nothing_recorded(office), pytest.raises(SettlementAboveSignInStandard) as over:
        m.settle_costs(
            meeting, venue=2000, printing=201, payment="公务卡", by=p.secretary, at=at(3, 12)
        )
    refusal = over.value
    assert (refusal.signed_in, refusal.days, refusal.standard) == (4, Decimal(1), Decimal(550))
    assert (refusal.allowed, refusal.settled) == (Decimal(2200), Decimal(2201))
    assert all(figure in str(refusal) for figure in ("签到 4 人", "1 天", "550", "2200", "2201"))
    assert isinstance(refusal, MeetingLimitExceeded)  # callers catching the old error still do
    assert [b.limit for b in refusal.breaches] == [LimitKind.COST]
    total = m.settle_costs(
        meeting, venue=2000, printing=200, payment="公务卡", by=p.secretary, at=at(3, 12)
    )
    assert total == Decimal(2200)
    settled = m.get(meeting).costs
    assert settled is not None and settled.participants == 4  # the sheet's, recorded
    assert m.history(meeting)[-1].details["settlement"].participants == 4


def test_a_typed_headcount_is_deprecated_and_decides_nothing(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)4(3)] the people are those on the sign-in sheet (ADR 0058): a headcount
    typed in warns and is ignored — 20 typed does not lift four people's 2,200 yuan."""
    m = office.meetings
    meeting = partly_signed(office, p)
    with (
        assert_nothing_recorded(office),
        pytest.warns(DeprecationWarning, match="participants"),
        pytest.raises(SettlementAboveSignInStandard),
    ):
        m.settle_costs(
            meeting, participants=20, venue=3000, payment="公务卡", by=p.secretary, at=at(3, 12)
        )
    with pytest.warns(DeprecationWarning):
        m.settle_costs(
            meeting, participants=20, venue=2200, payment="银行转账", by=p.secretary, at=at(3, 12)
        )
    costs = m.get(meeting).costs
    assert costs is not None and costs.participants == 4


def test_the_meeting_refuses_a_settlement_naming_another_headcount(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)4(3)] the aggregate, driven directly: a settlement that carries a
    headcount other than the sheet's is refused; one that carries the sheet's is accepted."""
    m = office.meetings
    meeting = partly_signed(office, p)
    record, org = m.get(meeting), office.org.current()
    table = m.limit_table(org.day_of(record.starts_at))
    by, when = PersonId(p.secretary), at(3, 12)

    def settlement(participants: int | None) -> MeetingCostSettlement:
        return MeetingCostSettlement(
            participants=participants,
            lodging=Decimal(0),
            meals=Decimal(0),
            venue=Decimal(1000),
            transport=Decimal(0),
            printing=Decimal(0),
            medical=Decimal(0),
            payment=MeetingPayment.OFFICIAL_CARD,
        )

    with pytest.raises(HeadcountNotOnSignInSheet) as wrong:
        record.settle_costs(org=org, settlement=settlement(6), table=table, by=by, at=when)
    assert (wrong.value.typed, wrong.value.signed_in) == (6, 4)
    assert not record.pending_events
    record.settle_costs(org=org, settlement=settlement(4), table=table, by=by, at=when)
    assert record.costs is not None and record.costs.participants == 4


def test_the_settlement_is_the_same_whichever_zone_the_caller_writes(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 五(三)4] a clerk writing UTC settles as one writing Asia/Shanghai (the
    standard is the table in force on the meeting's local day)."""
    m = office.meetings
    meeting = partly_signed(office, p)
    utc = at(3, 12).in_timezone("UTC")
    with assert_nothing_recorded(office), pytest.raises(SettlementAboveSignInStandard):
        m.settle_costs(meeting, venue=2201, payment="公务卡", by=p.secretary, at=utc)
    m.settle_costs(meeting, venue=2200, payment="公务卡", by=p.secretary, at=utc)
    assert m.history(meeting)[-1].at == pendulum.datetime(2026, 3, 12, 10, tz="Asia/Shanghai")


def test_nobody_on_the_sheet_allows_nothing(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)4(2)] no one signed in: the person-day envelope is 0 yuan."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    noticed(office, p, meeting)
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 40))
    with assert_nothing_recorded(office), pytest.raises(SettlementAboveSignInStandard) as over:
        m.settle_costs(meeting, printing=1, payment="公务卡", by=p.secretary, at=at(3, 12))
    assert (over.value.signed_in, over.value.allowed) == (0, Decimal(0))
    m.settle_costs(meeting, payment="公务卡", by=p.secretary, at=at(3, 12))


# --- 2. the evaluation report has every part --------------------------------------------------

REPORT = {
    "preparation": "材料提前两天送达",
    "agenda": "两项议题均已审议",
    "problems_solved": "明确检查分工",
    "consensus": "同意预算调整方向",
    "results": "形成议定事项两项",
}


def test_an_evaluation_report_with_blank_parts_is_refused(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(三)6] 对会议筹办工作、会议主要议程、解决问题、达成共识及取得成效等相关工作
    内容进行系统评估,并形成评估报告: each part is required; whitespace is blank."""
    m = office.meetings
    meeting = partly_signed(office, p)
    blank = {**REPORT, "preparation": " \u3000\n", "consensus": ""}
    with assert_nothing_recorded(office), pytest.raises(EvaluationIncomplete) as refused:
        m.evaluate(meeting, by=p.office_head, at=at(3, 16), **blank)
    assert refused.value.blank == ("会议筹办工作", "达成共识")
    assert "会议筹办工作" in str(refused.value) and "达成共识" in str(refused.value)
    assert "会议主要议程" not in str(refused.value)
    with assert_nothing_recorded(office), pytest.raises(EvaluationIncomplete) as empty:
        m.evaluate(meeting, by=p.office_head, at=at(3, 16), **dict.fromkeys(REPORT, "  "))
    assert empty.value.blank == tuple(label for _, label in EVALUATION_PARTS)
    m.evaluate(meeting, by=p.office_head, at=at(3, 16), **REPORT)
    assert m.get(meeting).evaluation == MeetingEvaluation(**REPORT)


# --- 3. re-arranging a seating chart is an override ---------------------------------------------


def test_re_arranging_a_seating_chart_is_an_override_with_a_reason(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议的座次安排(一)4] 如有临时变化,应及时调整座次、名签: a chart that exists is
    re-arranged only with a reason, and the record keeps the chart it replaced, as a swap does."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    noticed(office, p, meeting)
    first = m.arrange_seating(meeting, hosts=[p.principal, p.deputy], by=p.secretary, at=at(3, 9))
    hosts = [p.principal, p.deputy, p.deputy2]
    with assert_nothing_recorded(office), pytest.raises(SeatingAlreadyArranged) as refused:
        m.arrange_seating(meeting, hosts=hosts, by=p.secretary, at=at(3, 9, 11))
    assert refused.value.current == first and "override_reason" in str(refused.value)
    with assert_nothing_recorded(office), pytest.raises(SeatingAlreadyArranged):
        m.arrange_seating(
            meeting, hosts=hosts, override_reason=" \u3000", by=p.secretary, at=at(3, 9, 11)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.arrange_seating(
            meeting, hosts=hosts, override_reason="王副局长到会", by=p.drafter2, at=at(3, 9, 11)
        )
    second = m.arrange_seating(
        meeting, hosts=hosts, override_reason="王副局长到会", by=p.secretary, at=at(3, 9, 11)
    )
    assert second.seats == (p.deputy, p.principal, p.deputy2)
    assert m.get(meeting).seating == second
    trail = [d for d in m.history(meeting) if d.action.startswith("Seating")]
    assert [d.action for d in trail] == ["SeatingArranged", "SeatingRearranged"]
    assert trail[1].details["previous"] == first
    assert trail[1].details["reason"] == "王副局长到会"
    assert trail[1].details["chart"] == second
    assert_trail_authorised(office, meeting)
    swapped = m.swap_seats(
        meeting, a=p.deputy, b=p.deputy2, reason="领导交待", by=p.secretary, at=at(3, 9, 12)
    )
    assert m.history(meeting)[-1].details["previous"] == second
    assert m.get(meeting).seating == swapped


def test_a_first_arrangement_has_nothing_to_override(office: Office, p: AgencyPeople) -> None:
    """[001 会议的座次安排(一)1] 主席台必须排座次: the first chart is arranged, not overridden."""
    m = office.meetings
    meeting = planned_meeting(office, p)
    noticed(office, p, meeting)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        m.arrange_seating(
            meeting, hosts=[p.principal], override_reason="调整", by=p.secretary, at=at(3, 9)
        )
    m.arrange_seating(meeting, hosts=[p.principal], by=p.secretary, at=at(3, 9))
    assert [d.action for d in m.history(meeting)][-1] == "SeatingArranged"


def test_a_re_arrangement_replays_with_its_previous_chart(store_url: str) -> None:
    """[domain brief §10] the override and the chart it replaced survive the store."""
    with office_for_tests(store_url, start=at(12, 1, year=2025)) as office:
        p = standard_agency(office, at(12, 1, year=2025))
        m = office.meetings
        meeting = planned_meeting(office, p)
        noticed(office, p, meeting)
        first = m.arrange_seating(meeting, hosts=[p.principal], by=p.secretary, at=at(3, 9))
        m.arrange_seating(
            meeting,
            hosts=[p.principal, p.deputy],
            override_reason="李副局长到会",
            by=p.secretary,
            at=at(3, 9, 11),
        )
        now = m.get(meeting)
        assert m.as_of(meeting, at(3, 9, 10)).seating == first
        assert now.seating is not None and set(now.seating.seats) == {p.principal, p.deputy}


# --- 4. leaders by name; the executed table lists those who came --------------------------------


def test_the_annual_plan_names_the_attending_leaders_by_name(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 六 1] 局20XX年会议计划汇总表 …… 出席会议局领导: names, not account ids."""
    approved_plan(office, p, {"attending_leaders": [p.principal, p.deputy]})
    table = office.meetings.plan_table(2026)
    assert table[0][10] == "出席会议局领导"
    assert table[1][10] == "陈局长、何副局长"


def test_the_executed_table_lists_the_leaders_who_signed_in_not_those_planned(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 六 3] 局20XX年度会议执行情况 …… 出席会议局领导: the plan named 陈局长 and
    何副局长; 何副局长 stayed away and 胡副局长 came — the table says who came, by name."""
    meeting = planned_meeting(office, p, attending_leaders=[p.principal, p.deputy])
    m = office.meetings
    noticed(office, p, meeting)
    for i, person in enumerate((p.deputy2, p.principal, p.unit_head)):
        m.sign_in(meeting, by=person, at=at(3, 10, 8, 40 + i))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    assert office.reports.annual(2026).meetings.execution_table.rows[0].leaders == ""
    m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 40))
    row = office.reports.annual(2026).meetings.execution_table.rows[0]
    assert row.leaders == "陈局长、胡副局长"  # in the invitees' order; 王处长 is no leader
    assert row.attendees == 3


def test_a_substitute_leader_is_listed_and_a_leader_on_leave_is_not(
    office: Office, p: AgencyPeople
) -> None:
    """[001 会议 六 3; 000 范文6 五 5] a leader on leave did not attend; a leader who signed in
    as someone's substitute did."""
    meeting = planned_meeting(office, p, attending_leaders=[p.principal, p.deputy])
    m = office.meetings
    m.draft_notice(
        meeting,
        invitees=[p.principal, p.deputy, p.unit_head],
        contact="孙秘书 12345678",
        by=p.secretary,
        at=at(3, 3, 15),
    )
    m.countersign(meeting, party="finance", by=p.finance_head, at=at(3, 4, 9))
    m.issue_notice(meeting, by=p.principal, at=at(3, 4, 10))
    m.request_leave(meeting, reason="赴省厅开会", by=p.deputy, at=at(3, 5))
    m.grant_leave(meeting, person=p.deputy, by=p.principal, at=at(3, 5, 11))
    m.request_leave(meeting, reason="出差", substitute=p.deputy2, by=p.unit_head, at=at(3, 6))
    m.grant_leave(meeting, person=p.unit_head, by=p.principal, at=at(3, 6, 11))
    m.sign_in(meeting, by=p.principal, at=at(3, 10, 8, 40))
    m.sign_in(meeting, by=p.deputy2, at=at(3, 10, 8, 41))
    m.hold(meeting, by=p.secretary, at=at(3, 10, 11, 30))
    m.record_attendance(meeting, by=p.secretary, at=at(3, 10, 11, 40))
    row = office.reports.annual(2026).meetings.execution_table.rows[0]
    assert row.leaders == "陈局长、胡副局长"


# --- 5. tick results say which record ------------------------------------------------------------


def test_each_tick_decision_names_its_record_and_kind(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 四 7; 004 六 1] the time-driven decisions of one tick belong to different
    records: each says which (its id and kind), so a clerk can follow it up."""
    m = office.meetings
    meeting = distributed(office, p)
    doc = incoming_document(office, p, IncomingStatus.IN_HANDLING, at=at(3, 2, 9))
    recorded = office.tick(at(3, 18, 9))
    assert {d.kind for d in recorded} == {"会议", "收文"}, recorded
    by_record = {(d.kind, d.record_id, d.action) for d in recorded}
    assert ("会议", meeting, "ArchiveOverdue") in by_record
    for d in recorded:
        assert d.record_id is not None and d.kind
        area = m if d.kind == "会议" else office.incoming
        assert d.kind in ("会议", "收文") and d.record_id in (meeting, doc)
        assert d in area.history(d.record_id)  # the very decision of that record's trail
    archive = next(d for d in recorded if d.action == "ArchiveOverdue")
    assert archive.record == f"会议 {meeting}"
    assert all(h.record_id == meeting and h.kind == "会议" for h in m.history(meeting))


def test_the_tick_command_prints_which_record_each_decision_belongs_to(tmp_path: Path) -> None:
    """[000 范文6 四 7] `govoffice tick --at`: one line per decision, kind and short id first;
    JSON gives the full id; a second run at the same time records nothing."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    start = at(12, 1, year=2025)
    with office_for_tests(store, start=start) as office:
        people = standard_agency(office, start)
        meeting = distributed(office, people)
    result = CliRunner().invoke(main, ["tick", "--store", store, "--at", "2026-03-18T09:00+08:00"])
    assert result.exit_code == 0, result.output
    short = str(meeting).replace("-", "")[:8]
    assert re.search(rf"会议 {short} v\d+ .* ArchiveOverdue", result.output)
    again = CliRunner().invoke(
        main, ["tick", "--store", store, "--at", "2026-03-18T09:00+08:00", "--format", "json"]
    )
    assert again.exit_code == 0 and json.loads(again.output) == []
    later = CliRunner().invoke(
        main, ["tick", "--store", store, "--at", "2026-03-18T10:00+08:00", "--format", "json"]
    )
    rows = json.loads(later.output)
    assert all(row["record"] and row["kind"] for row in rows)
