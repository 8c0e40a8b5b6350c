"""目标管理 — the year's target table through ``office.targets``, one test per rule.

Seeds: [001 目标管理工作规程 四(一)] (目标制定: the five sources, 征求意见, 领导小组审定,
印发执行), [001 目标管理工作规程 四(二)1] (日常跟踪: 每季度至少1次, 扣分, 整改, 可不计入),
[001 目标管理工作规程 四(二)2] (半年检查), [003 篇6 二(五)] (半年目标自查逐条逐项,
7月15日前报送).
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.office import Office
from govoffice.cli import main
from govoffice.domain.errors import (
    AlreadyExists,
    GovOfficeError,
    InvalidInput,
    NotASubstitute,
    PermissionDenied,
    RecordNotFound,
    UnknownUnit,
    WrongStatus,
)
from govoffice.domain.organisation import UnitFunction
from govoffice.domain.supervision import DeadlineInPast
from govoffice.domain.target import (
    AmendmentPending,
    ChangeKind,
    CorrectionNotPrompt,
    DeductionExceedsPoints,
    DeductionSettled,
    DeductionStatus,
    DissentWithoutReason,
    EmptyTargetTable,
    HalfYearCheckNotStarted,
    HalfYearCheckTooEarly,
    IncompleteSelfCheck,
    IndicatorBasis,
    NoAmendmentPending,
    NoCorrectionReported,
    NotAnAssessedUnit,
    NotNamedLagging,
    OpinionsNotAddressed,
    OpinionsOutstanding,
    OutsideTargetYear,
    SelfCheckNotDue,
    TableFrozen,
    TableYearOutOfRange,
    TargetTable,
    TargetTableStatus,
    TrackingMeans,
    UnitNotSolicited,
    UnitScore,
    UnitsLeftOut,
    UnknownDeduction,
    UnknownIndicator,
    YearEndNotReached,
    assessment_scores,
    quarter_bounds,
)
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
    target_deduction,
    target_table,
)

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)


def t(month: int, day: int, hour: int = 9, *, year: int = 2026, tz: str = ZONE) -> Any:
    return pendulum.datetime(year, month, day, hour, tz=tz)


def spec(unit: str = "biz1", points: int | str = 20, **over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "unit": unit,
        "content": "年度重点工作按期完成",
        "basis": IndicatorBasis.AGENCY_WORK_POINTS,
        "points": points,
        "method": "查阅台账",
    }
    return fields | over


def drafted(office: Office, p: AgencyPeople, *indicators: dict[str, Any]) -> Any:
    table = office.targets.draft(year=2026, by=p.assessment_officer, at=t(3, 2))
    for fields in indicators:
        office.targets.add_indicator(table, by=p.assessment_officer, at=t(3, 2, 10), **fields)
    return table


def issued(office: Office, p: AgencyPeople) -> Any:
    """The builder's table, issued on 11 March 2026 (indicators 1-2 biz1, 3 biz2, 4 legal,
    5 finance)."""
    return target_table(office, p, TargetTableStatus.ISSUED)


def events_of(office: Office, table: Any) -> list[str]:
    return [type(e).__name__ for e in office.store.events(table)]


# --- 目标制定 drafting ----------------------------------------------------------------------


def test_the_assessment_office_drafts_the_years_target_table(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)1] 每年年初应组织拟定目标考评指标表: by the assessment office."""
    p = agency
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.draft(year=2026, by=p.unit_head, at=t(3, 2))
    table = office.targets.draft(year=2026, by=p.assessment_officer, at=t(3, 2))
    record = office.targets.get(table)
    assert (record.year, record.status) == (2026, TargetTableStatus.DRAFTING)
    assert record.title == "2026年度工作目标考评指标表"
    assert table == TargetTable.create_id(2026) == office.targets.of_year(2026).id
    assert office.targets.get(2026).id == office.targets.get("2026").id == table


def test_a_table_is_drafted_for_this_year_or_the_next_and_once(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)1] 每年年初: the year's table (or next year's, late in the year)."""
    p = agency
    for year in (2025, 2028):
        with assert_nothing_recorded(office), pytest.raises(TableYearOutOfRange):
            office.targets.draft(year=year, by=p.assessment_officer, at=t(3, 2))
    office.targets.draft(year=2027, by=p.assessment_officer, at=t(12, 1))
    office.targets.draft(year=2026, by=p.assessment_officer, at=t(12, 1))
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.targets.draft(year=2026, by=p.assessment_officer, at=t(12, 2))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.draft(year=2026, by=p.drafter, at=t(12, 2))


def test_each_indicator_states_its_unit_basis_points_and_how_it_is_checked(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)2] 考评指标……主要根据以下内容确定: the five sources."""
    p = agency
    table = drafted(office, p)
    for basis in IndicatorBasis:
        office.targets.add_indicator(
            table, by=p.assessment_officer, at=t(3, 3), **spec(basis=basis.label)
        )
    record = office.targets.get(table)
    assert [i.basis for i in record.indicators.values()] == list(IndicatorBasis)
    assert len(IndicatorBasis) == 5
    assert record.indicators[1].points == Decimal(20)
    bad: list[tuple[dict[str, Any], type[GovOfficeError]]] = [
        (spec(basis="上级领导交办"), InvalidInput),
        (spec(points=0), InvalidInput),
        (spec(points=2.5), InvalidInput),
        (spec(points="很多"), InvalidInput),
        (spec(unit="nowhere"), UnknownUnit),
        (spec(content=" "), InvalidInput),
        (spec(method=""), InvalidInput),
    ]
    for fields, error in bad:
        with assert_nothing_recorded(office), pytest.raises(error):
            office.targets.add_indicator(table, by=p.assessment_officer, at=t(3, 4), **fields)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.add_indicator(table, by=p.unit_head, at=t(3, 4), **spec())
    office.clock.set(t(3, 5))
    office.targets.revise_indicator(table, number=1, points="22.5", by=p.assessment_officer)
    office.targets.remove_indicator(table, number=2, by=p.assessment_officer)
    record = office.targets.get(table)
    assert record.indicators[1].points == Decimal("22.5") and 2 not in record.indicators
    assert office.targets.add_indicator(table, by=p.assessment_officer, **spec()) == 6
    with assert_nothing_recorded(office), pytest.raises(UnknownIndicator):
        office.targets.remove_indicator(table, number=2, by=p.assessment_officer)


def test_opinions_are_asked_of_every_unit_and_every_affiliated_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)1] 征求局属各单位、机关各部门意见."""
    p = agency
    office.org.add_unit(
        unit_id="center",
        name="信息中心",
        functions=[UnitFunction.AFFILIATED],
        by=p.admin,
        at=t(3, 2),
    )
    table = drafted(office, p)
    with assert_nothing_recorded(office), pytest.raises(EmptyTargetTable):
        office.targets.solicit_opinions(table, due=date(2026, 3, 9), by=p.assessment_officer)
    office.targets.add_indicator(table, by=p.assessment_officer, at=t(3, 2, 11), **spec())
    office.targets.add_indicator(table, by=p.assessment_officer, at=t(3, 2, 11), **spec("legal"))
    office.clock.set(t(3, 3))
    with assert_nothing_recorded(office), pytest.raises(UnitsLeftOut) as left_out:
        office.targets.solicit_opinions(
            table, due=date(2026, 3, 9), units=["biz1", "biz2"], by=p.assessment_officer
        )
    assert left_out.value.units == ("legal",)
    with assert_nothing_recorded(office), pytest.raises(DeadlineInPast):
        office.targets.solicit_opinions(table, due=date(2026, 3, 2), by=p.assessment_officer)
    asked = office.targets.solicit_opinions(
        table, due=date(2026, 3, 9), by=p.assessment_officer, at=t(3, 3)
    )
    assert "center" in asked and set(asked) == set(office.org.current().units)
    assert office.targets.get(table).status is TargetTableStatus.CONSULTING


def test_each_unit_answers_through_its_head_once_and_a_dissent_says_why(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)3] 征求……意见, recorded per unit."""
    p = agency
    table = drafted(office, p, spec(), spec("biz2"))
    office.targets.solicit_opinions(
        table, due=date(2026, 3, 9), units=["biz1", "biz2"], by=p.assessment_officer, at=t(3, 3)
    )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.give_opinion(table, unit="biz1", agrees=True, by=p.drafter, at=t(3, 4))
    with assert_nothing_recorded(office), pytest.raises(DissentWithoutReason):
        office.targets.give_opinion(table, unit="biz1", agrees=False, by=p.unit_head, at=t(3, 4))
    with assert_nothing_recorded(office), pytest.raises(UnitNotSolicited):
        office.targets.give_opinion(table, unit="legal", agrees=True, by=p.legal_head, at=t(3, 4))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.give_opinion(table, unit="biz1", agrees="是", by=p.unit_head, at=t(3, 4))
    office.targets.give_opinion(
        table, unit="biz1", agrees=False, opinion="分值偏高", by=p.unit_head, at=t(3, 4)
    )
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.targets.give_opinion(table, unit="biz1", agrees=True, by=p.unit_head, at=t(3, 5))
    opinion = office.targets.get(table).opinions["biz1"]
    assert (opinion.agrees, opinion.opinion, opinion.given_by) == (False, "分值偏高", p.unit_head)


def test_the_leading_group_sees_the_table_after_the_opinions_and_how_they_were_handled(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)3] 拟定-征求意见-领导小组审定: every unit answers, or the date passes."""
    p = agency
    table = drafted(office, p, spec(), spec("biz2"))
    office.targets.solicit_opinions(
        table, due=date(2026, 3, 9), units=["biz1", "biz2"], by=p.assessment_officer, at=t(3, 3)
    )
    office.targets.give_opinion(
        table, unit="biz1", agrees=False, opinion="分值偏高", by=p.unit_head, at=t(3, 4)
    )
    with assert_nothing_recorded(office), pytest.raises(OpinionsOutstanding) as outstanding:
        office.targets.submit_for_approval(
            table, handling="已研究", by=p.assessment_officer, at=t(3, 9, 17)
        )
    assert outstanding.value.units == ("biz2",)
    with assert_nothing_recorded(office), pytest.raises(OpinionsNotAddressed):
        office.targets.submit_for_approval(table, by=p.assessment_officer, at=t(3, 10))
    office.targets.submit_for_approval(
        table, handling="分值已下调为15分", by=p.assessment_officer, at=t(3, 10)
    )
    record = office.targets.get(table)
    assert record.status is TargetTableStatus.SUBMITTED and record.no_answer == ("biz2",)


def test_the_leading_group_approves_through_the_principal_leader_or_their_substitute(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)3] 领导小组审定: its head, the principal leader, or whoever acts for
    them that day (替代关系 [001 收文 五(二)1(2)])."""
    p = agency
    table = target_table(office, p, TargetTableStatus.SUBMITTED)
    when = office.clock.now().add(hours=1)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.approve(table, by=p.deputy, at=when)
    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        office.targets.approve(table, by=p.deputy, on_behalf_of=p.principal, at=when)
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy,
        start=when.date(),
        end=when.date(),
        by=p.admin,
        at=when,
    )
    office.targets.approve(table, by=p.deputy, on_behalf_of=p.principal, at=when)
    last = office.targets.history(table)[-1]
    assert (last.action, last.by, last.on_behalf_of) == ("Approved", p.deputy, p.principal)
    assert office.targets.get(table).status is TargetTableStatus.APPROVED


def test_a_table_sent_back_is_revised_and_consulted_again(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)3] 领导小组审定: not approved, it goes back to the drafters."""
    p = agency
    table = target_table(office, p, TargetTableStatus.SUBMITTED)
    with assert_nothing_recorded(office), pytest.raises(TableFrozen):
        office.targets.add_indicator(table, by=p.assessment_officer, **spec())
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.return_for_revision(table, reason=" ", by=p.principal)
    office.targets.return_for_revision(table, reason="第1项指标要量化", by=p.principal)
    office.targets.revise_indicator(
        table, number=1, content="重点任务完成率不低于95%", by=p.assessment_officer
    )
    office.targets.solicit_opinions(
        table, due=office.clock.now().date().add(days=3), by=p.assessment_officer
    )
    record = office.targets.get(table)
    assert (record.status, record.round, record.returns) == (TargetTableStatus.CONSULTING, 2, 1)
    assert record.opinions == {}


def test_the_issued_table_is_frozen_and_changed_only_by_an_approved_amendment(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)3] 印发执行: after issue, a change is its own approved decision."""
    p = agency
    table = issued(office, p)
    record = office.targets.get(table)
    assert record.status is TargetTableStatus.ISSUED and record.document_number
    for command, kwargs in (
        ("add_indicator", spec()),
        ("revise_indicator", {"number": 1, "points": 10}),
        ("remove_indicator", {"number": 1}),
    ):
        with assert_nothing_recorded(office), pytest.raises(TableFrozen):
            getattr(office.targets, command)(table, by=p.assessment_officer, **kwargs)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.propose_amendment(table, reason="调整", by=p.assessment_officer)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.propose_amendment(
            table, reason="调整", revise={1: {"unit": "biz2"}}, by=p.assessment_officer
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.propose_amendment(
            table, reason="调整", withdraw=[5], by=p.unit_head, at=t(4, 1)
        )
    number = office.targets.propose_amendment(
        table,
        reason="上级调整了年度任务",
        add=[spec("biz2", 15, content="新增专项任务")],
        revise={1: {"points": 35}},
        withdraw=[5],
        by=p.assessment_officer,
        at=t(4, 1),
    )
    assert number == 1
    before = office.targets.get(table).indicators
    assert 6 not in before and before[1].points == 40 and 5 in before  # not yet in force
    with assert_nothing_recorded(office), pytest.raises(AmendmentPending):
        office.targets.propose_amendment(
            table, reason="再调整", withdraw=[4], by=p.assessment_officer, at=t(4, 2)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.approve_amendment(table, by=p.deputy, at=t(4, 2))
    office.targets.approve_amendment(table, by=p.principal, at=t(4, 2))
    record = office.targets.get(table)
    assert record.indicators[6].content == "新增专项任务" and record.tracked_from[6] == 2
    assert record.indicators[1].points == 35 and 5 not in record.indicators
    assert [c.kind for c in record.amendments[0].changes] == [
        ChangeKind.WITHDRAW,
        ChangeKind.REVISE,
        ChangeKind.ADD,
    ]
    with assert_nothing_recorded(office), pytest.raises(NoAmendmentPending):
        office.targets.approve_amendment(table, by=p.principal, at=t(4, 3))
    office.targets.propose_amendment(
        table, reason="再调整", withdraw=[4], by=p.assessment_officer, at=t(4, 3)
    )
    office.targets.reject_amendment(table, reason="无须调整", by=p.principal, at=t(4, 4))
    assert 4 in office.targets.get(table).indicators
    assert events_of(office, table)[-4:] == [
        "AmendmentProposed",
        "AmendmentApproved",
        "AmendmentProposed",
        "AmendmentRejected",
    ]


# --- 日常跟踪 daily tracking ---------------------------------------------------------------


def test_every_indicator_is_checked_at_least_once_a_quarter(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(3)] 每项考评指标每季度跟踪检查至少1次: reminded before the quarter
    ends, flagged once it has passed; each once, however often the time step runs."""
    p = agency
    table = issued(office, p)
    office.targets.check(
        table,
        indicator=1,
        means="日常管理",
        summary="进度正常",
        by=p.assessment_officer,
        at=t(3, 12),
    )
    assert office.tick(t(3, 15, 8)) == []  # more than 15 days before 31 March
    reminded = office.tick(t(3, 16, 8))
    assert [(d.action, d.details["quarter"], d.details["indicators"]) for d in reminded] == [
        ("ChecksReminded", 1, [2, 3, 4, 5])
    ]
    assert reminded[0].by == "system:tick"
    assert office.tick(t(3, 20, 8)) == []
    office.targets.check(
        table,
        indicator=2,
        means=TrackingMeans.INFORMATION_SYSTEM,
        summary="正常",
        by=p.assessment_officer,
        at=t(3, 31, 16),
    )
    missed = office.tick(t(4, 1, 8))
    assert [(d.action, d.details["quarter"], d.details["indicators"]) for d in missed] == [
        ("ChecksMissed", 1, [3, 4, 5])
    ]
    assert office.tick(t(4, 1, 9)) == [] and office.tick(t(4, 2, 8)) == []
    record = office.targets.get(table)
    assert record.missed == {1: (3, 4, 5)} and record.unchecked(2) == (1, 2, 3, 4, 5)


def test_the_time_step_flags_every_quarter_that_passed_unchecked_once(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(3)]: a time step that did not run for months catches up, oldest
    quarter first, and never dates a decision before the table's last one."""
    p = agency
    table = issued(office, p)
    office.targets.check(
        table, indicator=1, means="现场检查", summary="正常", by=p.assessment_officer, at=t(8, 3)
    )
    assert office.tick(t(8, 2)) == []  # before the table's last decision: waits
    flagged = office.tick(t(8, 4))
    assert [(d.action, d.details["quarter"]) for d in flagged] == [
        ("ChecksMissed", 1),
        ("ChecksMissed", 2),
    ]
    assert flagged[0].details["indicators"] == [1, 2, 3, 4, 5]
    assert office.tick(t(8, 5)) == []


def test_a_finding_that_an_indicator_is_not_met_records_a_deduction_with_its_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(2)] 对不符合上级规定或工作要求的指标项进行扣分."""
    p = agency
    table = issued(office, p)
    for kwargs, error in (
        ({"points": 5, "reason": " "}, InvalidInput),
        ({"points": 41, "reason": "未完成"}, DeductionExceedsPoints),
        ({"points": -1, "reason": "未完成"}, InvalidInput),
        ({"points": 5, "reason": "未完成", "correct_by": date(2026, 3, 1)}, DeadlineInPast),
    ):
        with assert_nothing_recorded(office), pytest.raises(error):
            office.targets.deduct(
                table, indicator=1, means="现场检查", by=p.assessment_officer, at=t(3, 12), **kwargs
            )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.deduct(
            table,
            indicator=1,
            points=5,
            reason="未完成",
            means="现场检查",
            by=p.supervision_officer,
        )
    with assert_nothing_recorded(office), pytest.raises(UnknownIndicator):
        office.targets.deduct(
            table, indicator=9, points=5, reason="未完成", means="现场检查", by=p.assessment_officer
        )
    number = office.targets.deduct(
        table,
        indicator=1,
        points="7.5",
        reason="重点任务滞后",
        means="效能督查",
        by=p.assessment_officer,
        at=t(3, 12),
    )
    d = office.targets.get(table).deductions[number]
    assert (d.points, d.reason, d.unit, d.quarter) == (Decimal("7.5"), "重点任务滞后", "biz1", 1)
    assert d.correct_by == date(2026, 3, 27)  # 15 days (TargetPolicy)
    assert d.status is DeductionStatus.AWAITING_CORRECTION
    assert office.targets.get(table).unchecked(1) == (2, 3, 4, 5)  # a finding is a check


def test_the_unit_found_wanting_reports_its_correction_through_its_head(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(4)] 日常跟踪-发现问题并反馈-各单位整改."""
    p = agency
    table, number = target_deduction(office, p)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.report_correction(
            table, deduction=number, measures="已整改", by=p.unit_head2
        )
    with assert_nothing_recorded(office), pytest.raises(UnknownDeduction):
        office.targets.report_correction(table, deduction=7, measures="已整改", by=p.unit_head)
    office.targets.report_correction(table, deduction=number, measures="已补齐", by=p.unit_head)
    d = office.targets.get(table).deductions[number]
    assert (d.status, d.measures, d.prompt) == (DeductionStatus.CORRECTED, "已补齐", True)
    with assert_nothing_recorded(office), pytest.raises(DeductionSettled):
        office.targets.report_correction(table, deduction=number, measures="再次", by=p.unit_head)


def test_a_prompt_correction_may_be_waived_and_then_does_not_count(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(2)] 责任单位能及时予以整改且对年终考评不产生负面影响的,可不计入
    年终考评得分: the assessment office's decision, with its reason."""
    p = agency
    table, number = target_deduction(office, p)
    with assert_nothing_recorded(office), pytest.raises(NoCorrectionReported):
        office.targets.waive(table, deduction=number, reason="及时整改", by=p.assessment_officer)
    office.targets.report_correction(table, deduction=number, measures="已补齐", by=p.unit_head)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.waive(table, deduction=number, reason="及时整改", by=p.unit_head)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.waive(table, deduction=number, reason="", by=p.assessment_officer)
    before = {s.unit: s.score for s in office.targets.scores(table)}
    assert before["biz1"] == 65
    office.targets.waive(
        table, deduction=number, reason="整改及时,未影响全年目标", by=p.assessment_officer
    )
    d = office.targets.get(table).deductions[number]
    assert d.status is DeductionStatus.WAIVED and d.decision == "整改及时,未影响全年目标"
    after = {s.unit: s for s in office.targets.scores(table)}
    assert after["biz1"].score == 70 and after["biz1"].waived == 5
    with assert_nothing_recorded(office), pytest.raises(DeductionSettled):
        office.targets.uphold(table, deduction=number, by=p.assessment_officer)


def test_a_late_correction_is_not_waived(office: Office, agency: AgencyPeople) -> None:
    """[001 目标管理 四(二)1(2)] 能及时予以整改……的,可不计入: a late one counts."""
    p = agency
    table = issued(office, p)
    number = office.targets.deduct(
        table,
        indicator=3,
        points=4,
        reason="未按时报送",
        means="信息系统",
        correct_by=date(2026, 3, 20),
        by=p.assessment_officer,
        at=t(3, 12),
    )
    office.targets.report_correction(
        table, deduction=number, measures="已报送", by=p.unit_head2, at=t(3, 21)
    )
    assert office.targets.get(table).deductions[number].prompt is False
    office.clock.set(t(3, 22))
    with assert_nothing_recorded(office), pytest.raises(CorrectionNotPrompt):
        office.targets.waive(table, deduction=number, reason="已整改", by=p.assessment_officer)
    office.targets.uphold(table, deduction=number, reason="逾期整改", by=p.assessment_officer)
    assert office.targets.get(table).deductions[number].status is DeductionStatus.COUNTED


def test_tracking_belongs_to_the_issued_tables_own_year(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 二] 年度工作目标管理: checks and deductions of the 2026 table in 2026."""
    p = agency
    draft = drafted(office, p, spec())
    office.clock.set(t(3, 3))
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.targets.check(
            draft, indicator=1, means="日常管理", summary="正常", by=p.assessment_officer
        )
    next_year = target_table(office, p, TargetTableStatus.ISSUED, year=2027, at=t(3, 20))
    with assert_nothing_recorded(office), pytest.raises(OutsideTargetYear):
        office.targets.check(
            next_year, indicator=1, means="日常管理", summary="正常", by=p.assessment_officer
        )
    assert office.targets.get(next_year).first_quarter == 1


def test_the_quarter_is_the_agencys_even_for_a_caller_writing_utc(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(3)] 每季度: 31 March 17:00 UTC is 1 April in Shanghai, quarter 2."""
    p = agency
    table = issued(office, p)
    office.targets.check(
        table,
        indicator=1,
        means="日常管理",
        summary="正常",
        by=p.assessment_officer,
        at=pendulum.datetime(2026, 3, 31, 17, tz="UTC"),
    )
    record = office.targets.get(table)
    assert record.checked[1] == frozenset({2}) and 1 in record.unchecked(1)
    number = office.targets.deduct(
        table,
        indicator=2,
        points=1,
        reason="滞后",
        means="日常管理",
        by=p.assessment_officer,
        at=pendulum.datetime(2026, 4, 1, 0, 30, tz="UTC"),
    )
    assert office.targets.get(table).deductions[number].correct_by == date(2026, 4, 16)


# --- 半年检查 the half-year check ------------------------------------------------------------


def test_the_half_year_check_is_mid_year_and_every_assessed_unit_reports_its_self_check(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)2] 年中组织开展……半年检查,被考核单位将上半年目标任务执行自查情况
    报局; [003 篇6 二(五)] 逐条逐项进行一次全面自查……7月15日前报送."""
    p = agency
    table = issued(office, p)
    with assert_nothing_recorded(office), pytest.raises(HalfYearCheckNotStarted):
        office.targets.report_self_check(
            table, unit="legal", summary="按进度推进", progress={4: 50}, by=p.legal_head
        )
    with assert_nothing_recorded(office), pytest.raises(HalfYearCheckTooEarly):
        office.targets.start_half_year_check(table, by=p.assessment_officer, at=t(5, 20))
    units = office.targets.start_half_year_check(table, by=p.assessment_officer, at=t(6, 1))
    assert units == ["biz1", "biz2", "finance", "legal"]
    assert office.targets.get(table).half_year_due == date(2026, 7, 15)
    for progress, error in (
        ({1: 60}, IncompleteSelfCheck),
        ({1: 60, 2: 50, 3: 40}, IncompleteSelfCheck),
        ({1: 60, 2: 150}, InvalidInput),
    ):
        with assert_nothing_recorded(office), pytest.raises(error):
            office.targets.report_self_check(
                table, unit="biz1", summary="自查", progress=progress, by=p.unit_head, at=t(6, 20)
            )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.report_self_check(
            table, unit="biz1", summary="自查", progress={1: 60, 2: 50}, by=p.drafter, at=t(6, 20)
        )
    with assert_nothing_recorded(office), pytest.raises(NotAnAssessedUnit):
        office.targets.report_self_check(
            table, unit="party", summary="自查", progress={}, by=p.party_head, at=t(6, 20)
        )
    office.targets.report_self_check(
        table,
        unit="biz1",
        summary="总体按进度推进",
        progress={1: 60, 2: 50},
        notes={2: "审批系统升级"},
        by=p.unit_head,
        at=t(6, 20),
    )
    office.targets.report_self_check(
        table, unit="legal", summary="滞后", progress={4: 20}, by=p.legal_head, at=t(7, 16)
    )
    record = office.targets.get(table)
    assert record.self_checks["biz1"].progress[1].note == "审批系统升级"
    assert (record.self_checks["biz1"].late, record.self_checks["legal"].late) == (False, True)
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.targets.report_self_check(
            table, unit="legal", summary="再报", progress={4: 30}, by=p.legal_head, at=t(7, 17)
        )


def test_lagging_units_are_named_and_report_how_they_will_catch_up(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)2(2)] 对执行进度滞后的单位……: named, with a catch-up plan."""
    p = agency
    table = issued(office, p)
    office.targets.start_half_year_check(table, by=p.assessment_officer, at=t(6, 1))
    office.targets.report_self_check(
        table, unit="legal", summary="滞后", progress={4: 20}, by=p.legal_head, at=t(6, 10)
    )
    with assert_nothing_recorded(office), pytest.raises(SelfCheckNotDue):
        office.targets.name_lagging(
            table,
            unit="finance",
            reason="未报",
            catch_up_by=date(2026, 7, 30),
            by=p.assessment_officer,
            at=t(7, 1),
        )
    office.targets.name_lagging(
        table,
        unit="legal",
        reason="审核率仅20%",
        catch_up_by=date(2026, 7, 10),
        by=p.assessment_officer,
        at=t(7, 1),
    )
    office.targets.name_lagging(
        table,
        unit="finance",
        reason="逾期未报自查",
        catch_up_by=date(2026, 7, 31),
        by=p.assessment_officer,
        at=t(7, 16),
    )
    with assert_nothing_recorded(office), pytest.raises(NotNamedLagging):
        office.targets.report_catch_up_plan(
            table, unit="biz1", measures="加快", by=p.unit_head, at=t(7, 17)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.report_catch_up_plan(
            table, unit="legal", measures="加快", by=p.unit_head, at=t(7, 17)
        )
    office.targets.report_catch_up_plan(
        table, unit="legal", measures="增派人员,9月底前补齐", by=p.legal_head, at=t(7, 17)
    )
    lagging = office.targets.get(table).lagging
    assert (lagging["legal"].measures, lagging["legal"].late) == ("增派人员,9月底前补齐", True)
    assert lagging["finance"].reported_at is None
    with assert_nothing_recorded(office), pytest.raises(AlreadyExists):
        office.targets.report_catch_up_plan(
            table, unit="legal", measures="再报", by=p.legal_head, at=t(7, 18)
        )


# --- 年终考评 the year-end assessment --------------------------------------------------------


def test_the_year_end_score_is_points_less_counted_deductions_never_below_zero(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1(2)、(4)] 扣分 / 可不计入年终考评得分 / 视情况纳入年终最后得分:
    the year-end score and ranking (ADR 0036)."""
    p = agency
    table = issued(office, p)
    officer = p.assessment_officer
    # biz1 (40 + 30): 10 counted on #1, 5 waived on #1 -> 60 of 70
    a = office.targets.deduct(
        table, indicator=1, points=10, reason="滞后", means="现场检查", by=officer, at=t(4, 1)
    )
    b = office.targets.deduct(
        table, indicator=1, points=5, reason="漏报", means="日常管理", by=officer, at=t(4, 2)
    )
    office.targets.report_correction(
        table, deduction=b, measures="补报", by=p.unit_head, at=t(4, 3)
    )
    office.targets.waive(table, deduction=b, reason="及时整改", by=officer, at=t(4, 4))
    # legal (30): 30 + 20 counted on #4 -> floor at 0
    office.targets.deduct(
        table, indicator=4, points=30, reason="未审核", means="现场检查", by=officer, at=t(5, 1)
    )
    office.targets.deduct(
        table, indicator=4, points=20, reason="再次未审核", means="现场检查", by=officer, at=t(6, 1)
    )
    # finance (30) untouched; biz2 (40): 12 counted -> 70.00
    office.targets.deduct(
        table, indicator=3, points=12, reason="滞后", means="现场检查", by=officer, at=t(6, 2)
    )
    office.targets.uphold(table, deduction=a, reason="影响全年进度", by=officer, at=t(6, 3))
    with assert_nothing_recorded(office), pytest.raises(YearEndNotReached):
        office.targets.assess(table, by=officer, at=t(11, 30))
    office.targets.propose_amendment(
        table, reason="调整", revise={5: {"points": 40}}, by=officer, at=t(11, 2)
    )
    with assert_nothing_recorded(office), pytest.raises(AmendmentPending):
        office.targets.assess(table, by=officer, at=t(12, 1))
    office.targets.reject_amendment(table, reason="维持", by=p.principal, at=t(12, 1))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.targets.assess(table, by=p.principal, at=t(12, 2))
    scores = office.targets.assess(table, by=officer, at=pendulum.datetime(2027, 1, 8, 2, tz="UTC"))
    want = {
        "finance": (1, 1, Decimal(30), Decimal(0), Decimal(0), Decimal(30), Decimal("100.00")),
        "biz1": (2, 2, Decimal(70), Decimal(15), Decimal(5), Decimal(60), Decimal("85.71")),
        "biz2": (3, 1, Decimal(40), Decimal(12), Decimal(0), Decimal(28), Decimal("70.00")),
        "legal": (4, 1, Decimal(30), Decimal(50), Decimal(0), Decimal(0), Decimal("0.00")),
    }
    assert [s.unit for s in scores] == ["finance", "biz1", "biz2", "legal"]
    for s in scores:
        assert (s.rank, s.indicators, s.full, s.deducted, s.waived, s.score, s.rate) == want[s.unit]
    record = office.targets.get(table)
    assert record.status is TargetTableStatus.ASSESSED and record.scores == scores
    assert office.targets.scores(2026) == scores
    assert office.store.events(table)[-1].scores == list(scores)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.targets.check(
            table, indicator=1, means="日常管理", summary="x", by=officer, at=t(1, 9, year=2027)
        )
    assert office.tick(t(1, 20, year=2027)) == []


def test_equal_scores_share_the_rank() -> None:
    """ADR 0036: 折算分 ties share the rank (1, 1, 3) and are listed by unit id."""
    from govoffice.domain.target import Deduction, Indicator

    def indicator(n: int, unit: str, points: int) -> Indicator:
        return Indicator(n, unit, "x", IndicatorBasis.STATUTORY_DUTY, Decimal(points), "y")

    def deduction(n: int, on: int, unit: str, points: int, status: DeductionStatus) -> Deduction:
        return Deduction(
            n,
            on,
            unit,
            Decimal(points),
            "r",
            TrackingMeans.ON_SITE,
            1,
            T0,
            date(2026, 4, 1),
            status=status,
        )

    scores = assessment_scores(
        [
            indicator(1, "b", 50),
            indicator(2, "a", 100),
            indicator(3, "c", 10),
            indicator(4, "d", 3),
        ],
        [
            deduction(1, 1, "b", 5, DeductionStatus.COUNTED),
            deduction(2, 2, "a", 10, DeductionStatus.AWAITING_CORRECTION),
            deduction(3, 3, "c", 1, DeductionStatus.CORRECTED),
            deduction(4, 3, "c", 9, DeductionStatus.WAIVED),
            deduction(5, 4, "d", 1, DeductionStatus.COUNTED),
            deduction(6, 99, "d", 3, DeductionStatus.COUNTED),  # no such indicator: not counted
        ],
    )
    assert [(s.unit, s.rank, s.rate) for s in scores] == [
        ("a", 1, Decimal("90.00")),
        ("b", 1, Decimal("90.00")),
        ("c", 1, Decimal("90.00")),
        ("d", 4, Decimal("66.67")),
    ]
    assert isinstance(scores[0], UnitScore)


# --- queues --------------------------------------------------------------------------------


def test_queues_show_target_checks_due_self_checks_due_and_findings_awaiting_correction(
    office: Office, agency: AgencyPeople
) -> None:
    """[domain brief §9] 待办: the assessment office's checks of this quarter, a unit head's
    corrections, self-check and catch-up plan, the leading group's approvals."""
    p = agency
    table = target_table(office, p, TargetTableStatus.SUBMITTED)
    assert [i.step_label for i in office.queues.for_person(p.principal)] == ["审定指标表"]
    office.targets.approve(table, by=p.principal)
    office.targets.issue(table, by=p.assessment_officer)
    checks = [i for i in office.queues.for_person(p.assessment_officer) if i.step == "target_check"]
    assert len(checks) == 5 and {i.due for i in checks} == {date(2026, 3, 31)}
    office.targets.check(
        table, indicator=1, means="日常管理", summary="正常", by=p.assessment_officer
    )
    number = office.targets.deduct(
        table, indicator=2, points=3, reason="台账不全", means="现场检查", by=p.assessment_officer
    )
    checks = [i for i in office.queues.for_person(p.assessment_officer) if i.step == "target_check"]
    assert sorted(i.detail[:3] for i in checks) == ["第3项", "第4项", "第5项"]  # 1, 2: next quarter
    head = office.queues.for_person(p.unit_head)
    assert [(i.step_label, i.due) for i in head] == [("扣分整改", date(2026, 3, 24))]
    assert "台账不全" in head[0].detail
    assert [i.step for i in office.queues.for_unit("biz1")] == ["correct"]
    office.clock.set(t(3, 12))
    office.targets.report_correction(table, deduction=number, measures="已补齐", by=p.unit_head)
    assert office.queues.for_person(p.unit_head) == []
    judging = [
        i for i in office.queues.for_person(p.assessment_officer) if i.step == "judge_correction"
    ]
    assert len(judging) == 1 and "已补齐" in judging[0].detail
    office.clock.set(t(4, 2))
    q2 = [i for i in office.queues.for_person(p.assessment_officer) if i.step == "target_check"]
    assert len(q2) == 5 and {i.due for i in q2} == {date(2026, 3, 31), date(2026, 6, 30)}
    assert len([i for i in office.queues.overdue() if i.step == "target_check"]) == 3
    office.tick()  # 3, 4, 5 flagged for Q1: their items move on to Q2
    q2 = [i for i in office.queues.for_person(p.assessment_officer) if i.step == "target_check"]
    assert {i.due for i in q2} == {date(2026, 6, 30)}
    office.targets.start_half_year_check(table, by=p.assessment_officer, at=t(6, 1))
    assert [(i.step_label, i.due) for i in office.queues.for_person(p.legal_head)] == [
        ("报送半年自查", date(2026, 7, 15))
    ]
    office.targets.report_self_check(
        table, unit="legal", summary="滞后", progress={4: 10}, by=p.legal_head, at=t(6, 2)
    )
    office.targets.name_lagging(
        table,
        unit="legal",
        reason="进度滞后",
        catch_up_by=date(2026, 6, 20),
        by=p.assessment_officer,
        at=t(6, 3),
    )
    assert [i.step_label for i in office.queues.for_person(p.legal_head)] == ["报送赶进措施"]
    past = office.queues.for_person(p.unit_head, on=date(2026, 3, 10))
    assert [i.step for i in past] == ["correct"]


def test_a_revised_or_withdrawn_indicator_moves_its_queue_item(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(一)3] an approved amendment: a new indicator is checked from this
    quarter, a withdrawn one no longer."""
    p = agency
    table = issued(office, p)
    office.targets.propose_amendment(
        table,
        reason="调整",
        add=[spec("legal", content="新增任务")],
        withdraw=[1],
        by=p.assessment_officer,
        at=t(5, 5),
    )
    office.targets.approve_amendment(table, by=p.principal, at=t(5, 6))
    office.clock.set(t(5, 7))
    checks = {
        i.detail.split("(")[0]: i.due
        for i in office.queues.for_person(p.assessment_officer)
        if i.step == "target_check"
    }
    assert "第1项" not in checks and checks["第6项"] == date(2026, 6, 30)


# --- the second actor, bad input, the trail --------------------------------------------------


def test_two_processes_recording_deductions_at_once_lose_none(store_url: str) -> None:
    """Two offices on one store deducting on one table at the same moment: every deduction
    is kept, numbered once (the record's own version decides; the loser retries)."""
    first = office_for_tests(store_url, start=T0)
    p = standard_agency(first, T0)
    table = target_table(first, p, TargetTableStatus.ISSUED)
    second = first if store_url == "memory" else office_for_tests(store_url, start=T0)
    try:
        barrier = threading.Barrier(2)
        got: list[int] = []
        errors: list[BaseException] = []

        def deduct(office: Office, n: int) -> None:
            try:
                for i in range(5):
                    barrier.wait(timeout=10)
                    got.append(
                        office.targets.deduct(
                            table,
                            indicator=1 + n,
                            points=1,
                            reason=f"第{i}次",
                            means="日常管理",
                            by=p.assessment_officer,
                            at=t(3, 20, 10 + i),
                        )
                    )
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [
            threading.Thread(target=deduct, args=(o, n)) for n, o in enumerate([first, second])
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors
        assert sorted(got) == list(range(1, 11))
        assert sorted(first.targets.get(table).deductions) == list(range(1, 11))
    finally:
        if second is not first:
            second.close()
        first.close()


def test_two_processes_ticking_at_once_remind_once(tmp_path: Any) -> None:
    """[001 目标管理 四(二)1(3)] two time steps at the same moment record one reminder."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    first = office_for_tests(url, start=T0)
    p = standard_agency(first, T0)
    target_table(first, p, TargetTableStatus.ISSUED)
    second = office_for_tests(url, start=T0)
    try:
        barrier = threading.Barrier(2)
        results: list[list[Any]] = []

        def tick(office: Office) -> None:
            barrier.wait(timeout=10)
            results.append(office.tick(t(3, 20, 8)))

        threads = [threading.Thread(target=tick, args=(o,)) for o in (first, second)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(len(r) for r in results) == [0, 1]
        assert events_of(first, TargetTable.create_id(2026)).count("ChecksReminded") == 1
    finally:
        second.close()
        first.close()


def test_bad_input_is_refused_clearly_and_records_nothing(
    office: Office, agency: AgencyPeople
) -> None:
    """Wrong types, unknown numbers and unknown tables: a clear GovOfficeError, nothing lost."""
    p = agency
    table = issued(office, p)
    officer = p.assessment_officer
    cases: list[tuple[str, dict[str, Any], type[GovOfficeError]]] = [
        ("check", {"indicator": "1", "means": "日常管理", "summary": "x"}, InvalidInput),
        ("check", {"indicator": True, "means": "日常管理", "summary": "x"}, InvalidInput),
        ("check", {"indicator": 1, "means": "电话", "summary": "x"}, InvalidInput),
        (
            "deduct",
            {"indicator": 1, "points": None, "reason": "x", "means": "日常管理"},
            InvalidInput,
        ),
        ("waive", {"deduction": "1", "reason": "x"}, InvalidInput),
        ("uphold", {"deduction": 3}, UnknownDeduction),
        ("propose_amendment", {"reason": "x", "revise": {1: {"colour": "red"}}}, InvalidInput),
        ("propose_amendment", {"reason": "x", "add": [{"unit": "biz1"}]}, InvalidInput),
        ("propose_amendment", {"reason": "x", "withdraw": "1"}, InvalidInput),
        ("start_half_year_check", {"due": "7月15日"}, InvalidInput),
    ]
    for command, kwargs, error in cases:
        with assert_nothing_recorded(office), pytest.raises(error):
            getattr(office.targets, command)(table, by=officer, at=t(6, 2), **kwargs)
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.targets.check(2031, indicator=1, means="日常管理", summary="x", by=officer)
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.targets.check("not-a-table", indicator=1, means="日常管理", summary="x", by=officer)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.draft(year="2026", by=officer)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.targets.check(
            table, indicator=1, means="日常管理", summary="x", by=officer, at="今天"
        )


def test_a_refused_time_step_records_nothing(office: Office, agency: AgencyPeople) -> None:
    """The domain's time steps refuse when nothing is due (the service asks first)."""
    p = agency
    table = issued(office, p)
    record = office.targets.get(table)
    org = office.org.current()
    with pytest.raises(InvalidInput):
        record.remind_checks(org=org, at=t(3, 12))
    with pytest.raises(InvalidInput):
        record.flag_missed_checks(org=org, at=t(3, 12))
    assert record.pending_events == []


def test_the_decision_trail_and_the_state_as_of_a_day(office: Office, agency: AgencyPeople) -> None:
    """[domain brief §10] who decided what, when, on whose behalf — and `govoffice history
    --kind target` shows it."""
    p = agency
    table, _ = target_deduction(office, p, DeductionStatus.WAIVED)
    trail = office.targets.history(2026)
    assert [d.action for d in trail][:3] == ["Drafted", "IndicatorAdded", "IndicatorAdded"]
    assert trail[-1].action == "DeductionWaived" and trail[-1].details["reason"]
    assert office.targets.as_of(table, t(3, 5)).status is TargetTableStatus.CONSULTING
    position = notification_count(office)
    assert recorded_since(office, position) == []


def test_history_kind_target_on_the_command_line(tmp_path: Any) -> None:
    """`govoffice history ID --kind target`: the table's trail, by its id or a prefix."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = office_for_tests(url, start=T0)
    p = standard_agency(office, T0)
    table = target_table(office, p, TargetTableStatus.ISSUED)
    office.close()
    for name in (str(table), str(table)[:8]):
        result = CliRunner().invoke(
            main,
            ["history", name, "--kind", "target", "--store", url, "--at", "2026-03-05T12:00+08:00"],
        )
        assert result.exit_code == 0, result.output
        assert "Drafted" in result.output and "Issued" in result.output
        assert "征求意见中" in result.output


def test_quarters_are_calendar_quarters() -> None:
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2024, 1)[1] == date(2024, 3, 31)
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(InvalidInput):
        quarter_bounds(2026, 5)


def test_the_audit_trail_says_each_decision_was_taken_with_the_authority_it_needed(
    office: Office, agency: AgencyPeople
) -> None:
    """[domain brief §10] 审计: every step of the table — the assessment office's, the leading
    group's (a substitute's too), a unit head's, the time step's — checked against the
    organisation as it stood then."""
    p = agency
    table = target_table(office, p, TargetTableStatus.SUBMITTED)
    when = office.clock.now().add(hours=1)
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy,
        start=when.date(),
        end=when.date(),
        by=p.admin,
        at=when,
    )
    office.targets.approve(table, by=p.deputy, on_behalf_of=p.principal, at=when)
    office.targets.issue(table, by=p.assessment_officer, at=when.add(hours=1))
    target_deduction(office, p, DeductionStatus.WAIVED, table=table)
    office.tick(t(3, 20))
    trail = office.audit.trail(table)
    checks = {e.decision.action: e.check for e in trail.entries}
    assert checks["Drafted"].required == "考评办人员" and checks["Drafted"].held is True
    assert (checks["Approved"].person, checks["Approved"].held) == (p.principal, True)
    assert checks["Approved"].substitute_valid is True
    assert checks["OpinionGiven"].required.endswith("负责人") and checks["OpinionGiven"].held
    assert checks["CorrectionReported"].required == "业务一处负责人"
    assert checks["ChecksReminded"].held is None  # the time step needs no role
    assert all(e.check.held is not False for e in trail.entries), trail.describe()
    office.org.revoke_role(person_id=p.assessment_officer, role="考评办人员", by=p.admin)
    assert office.audit.trail(table).entries[0].check.held is True  # held at the time
