"""Cadence steps and deadlines on the office calendar (ADR 0051).

- The proposal urging cadence [000 范文2 三 一] (电话催办: 对承办数量多的重点单位每周催办一次,
  其它单位每半月一次; 对于逾期未办的,及时下发督办函) falls on working days: a cadence day that
  lands on a weekend or a statutory holiday moves to the next working day, and the clock
  records nothing on a rest day.
- A cut-off or deadline counted in calendar days that ends on a statutory holiday moves to
  the next working day, as the Civil Code counts (民法典 第二百零三条: 期间的最后一日是法定
  休假日的,以法定休假日结束的次日为期间的最后一日), unless the agency's rule table says
  otherwise.

The 2026 holiday data (国务院办公厅关于2026年部分节假日安排的通知, as chinesecalendar and the
office calendar carry it): 春节 15-23 February (14 and 28 February are make-up working days);
国庆节、中秋节 1-7 October (20 September and 10 October are make-up working days).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.calendar import CIVIL_CODE_DEADLINES, CutOff, DeadlineRules, LastDayRule
from govoffice.domain.errors import InvalidInput
from govoffice.domain.information import LateFigures, figures_due
from govoffice.domain.meeting import MeetingStatus
from govoffice.domain.meeting.meeting import archive_deadline
from govoffice.domain.meeting.plan import PlanRowLate
from govoffice.domain.proposal import (
    ProposalStatus,
    ProposalUrgeChannel,
    phone_urge_day,
)
from govoffice.domain.target import TargetTableStatus
from govoffice.testing import (
    AgencyPeople,
    TestOffice,
    assert_nothing_recorded,
    meeting,
    office_for_tests,
    proposal,
    standard_agency,
    target_table,
)

ZONE = "Asia/Shanghai"


def on(d: date, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(d.year, d.month, d.day, hour, tz=ZONE)


@pytest.fixture
def january() -> TestOffice:
    """An office whose agency is set up on Monday 5 January 2026."""
    return office_for_tests(start=on(date(2026, 1, 5)))


# --- 2. the urging cadence falls on working days ---------------------------------------------


def test_a_half_monthly_urge_due_in_the_spring_festival_waits_for_the_next_working_day(
    january: TestOffice,
) -> None:
    """[000 范文2 三 一] 每半月催办一次, on working days: assigned Monday 2 February 2026,
    the half month ends on 17 February, inside 春节 (15-23 February), so the phone urge
    falls on Tuesday 24 February."""
    office = january
    agency = standard_agency(office)
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 2, 1)))
    assigned = office.proposals.get(pid).assignment
    assert assigned is not None
    assert phone_urge_day(assigned.assigned_at, 15, office.calendar, ZONE) == date(2026, 2, 24)
    for holiday in (date(2026, 2, 17), date(2026, 2, 20), date(2026, 2, 23)):
        with assert_nothing_recorded(office):
            assert office.proposals.tick(on(holiday)) == []
            assert office.queues.to_urge(on=holiday) == []
    due = office.queues.to_urge(on=date(2026, 2, 24))
    assert [(u.channel, u.due) for u in due] == [("电话催办", date(2026, 2, 24))]
    urged = office.proposals.tick(on(date(2026, 2, 24)))
    assert [(d.details["unit"], d.details["channel"]) for d in urged] == [
        ("biz1", ProposalUrgeChannel.PHONE)
    ]


def test_a_caller_writing_utc_gets_the_agencys_working_day(january: TestOffice) -> None:
    """The agency's local day decides (ADR 0022): 23:00 on 23 February in Beijing is still
    春节 (15:00 UTC), 01:00 on the 24th is a working day (17:00 UTC on the 23rd)."""
    office = january
    agency = standard_agency(office)
    proposal(office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 2, 1)))
    with assert_nothing_recorded(office):
        assert office.proposals.tick(pendulum.datetime(2026, 2, 23, 15, tz="UTC")) == []
    urged = office.proposals.tick(pendulum.datetime(2026, 2, 23, 17, tz="UTC"))
    assert [d.details["channel"] for d in urged] == [ProposalUrgeChannel.PHONE]


def test_national_day_moves_the_phone_urge_and_the_supervision_letter(
    january: TestOffice,
) -> None:
    """[000 范文2 三 一] 电话催办 and 督办函 on working days: 国庆节 1-7 October 2026.
    An item assigned on Wednesday 16 September is urged on 8 October, not 1 October; an
    item due on 30 September gets its supervision letter on 8 October, not during the
    holiday."""
    office = january
    agency = standard_agency(office)
    cadence = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 9, 15))
    )
    overdue = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 6, 29))
    )
    assert office.proposals.get(overdue).due == date(2026, 9, 30)
    office.proposals.urge(
        overdue, channel="电话催办", by=agency.secretary, at=on(date(2026, 9, 25))
    )
    for holiday in (date(2026, 10, 1), date(2026, 10, 4), date(2026, 10, 7)):
        with assert_nothing_recorded(office):
            assert office.proposals.tick(on(holiday)) == []
    urged = office.proposals.tick(on(date(2026, 10, 8)))
    assert sorted(d.details["channel"].value for d in urged) == ["letter", "phone"]
    assert office.proposals.get(cadence).urges == 1
    assert office.proposals.get(overdue).urges == 2
    letter = next(d for d in urged if d.details["channel"] is ProposalUrgeChannel.LETTER)
    assert office.calendar.is_working_day(letter.details["new_deadline"])


def test_a_clerks_own_urge_on_a_holiday_is_still_recorded(january: TestOffice) -> None:
    """The working-day rule is the clock's cadence; a phone call a clerk did make on a
    holiday is a fact, and is recorded as made [000 范文2 三 一]."""
    office = january
    agency = standard_agency(office)
    pid = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 9, 15))
    )
    office.proposals.urge(pid, channel="电话催办", by=agency.secretary, at=on(date(2026, 10, 2)))
    assert office.proposals.get(pid).urges == 1


# --- 3. a cut-off that ends on a statutory holiday ------------------------------------------


def _january_item(office: TestOffice, agency: AgencyPeople, at: pendulum.DateTime) -> int:
    return office.information.submit(
        unit="biz1", year=2026, month=1, title="春运保障情况", by=agency.drafter, at=at
    )


def test_januarys_figures_due_on_the_first_day_of_the_spring_festival_are_accepted_until_24_february(
    january: TestOffice,
) -> None:
    """[003 篇6 二(二)] 上个月的信息……在下个月15日以后报来的,将不得再采用; the 15th of
    February 2026 is the first day of 春节 (15-23 February), so January's figures are
    accepted until Tuesday 24 February (民法典 第二百零三条: 期间的最后一日是法定休假日的,
    以法定休假日结束的次日为期间的最后一日)."""
    office = january
    agency = standard_agency(office)
    assert figures_due(2026, 1) == date(2026, 2, 15)
    assert office.calendar.cut_off(CutOff.INFORMATION_FIGURES, date(2026, 2, 15)) == date(
        2026, 2, 24
    )
    number = _january_item(office, agency, on(date(2026, 2, 24), 17))
    assert office.information.report(unit="biz1", year=2026, month=1).cut_off(
        office.calendar, office.calendar.deadline_rules
    ) == date(2026, 2, 24)
    office.information.adopt(
        unit="biz1",
        year=2026,
        month=1,
        item=number,
        level="市级",
        outlet="政务信息快报",
        by=agency.secretary,
        at=on(date(2026, 2, 24), 18),
    )
    with assert_nothing_recorded(office), pytest.raises(LateFigures) as refused:
        _january_item(office, agency, on(date(2026, 2, 25)))
    assert refused.value.details["due"] == date(2026, 2, 24)
    with assert_nothing_recorded(office), pytest.raises(LateFigures):
        office.information.adopt(
            unit="biz1",
            year=2026,
            month=1,
            item=number,
            level="省级",
            outlet="省政务信息",
            by=agency.secretary,
            at=on(date(2026, 2, 25)),
        )


def test_the_cut_off_is_the_agencys_day_for_a_caller_writing_utc(january: TestOffice) -> None:
    """ADR 0022: 23:00 on 24 February in Beijing (15:00 UTC) is within the cut-off; 00:30 on
    the 25th (16:30 UTC on the 24th) is after it [003 篇6 二(二); 民法典 第二百零三条]."""
    office = january
    agency = standard_agency(office)
    _january_item(office, agency, pendulum.datetime(2026, 2, 24, 15, tz="UTC"))
    with assert_nothing_recorded(office), pytest.raises(LateFigures):
        _january_item(office, agency, pendulum.datetime(2026, 2, 24, 16, 30, tz="UTC"))


def test_a_jurisdiction_whose_rule_does_not_move_the_cut_off_sets_it_in_its_rule_table(
    january: TestOffice,
) -> None:
    """[003 篇6 二(二)] "15日以后报来的,将不得再采用", read literally by a jurisdiction that
    says so: its rule table overrides 第二百零三条 for this cut-off, and the 15th holds."""
    office = january
    agency = standard_agency(office)
    office.calendar.deadline_rules = DeadlineRules(
        jurisdiction="某省",
        overrides={CutOff.INFORMATION_FIGURES: LastDayRule.AS_SET},
        source="某省政务信息工作考核办法 (节假日不顺延)",
    )
    assert office.calendar.cut_off("information_figures", date(2026, 2, 15)) == date(2026, 2, 15)
    _january_item(office, agency, on(date(2026, 2, 15)))  # the 15th itself is in time
    with assert_nothing_recorded(office), pytest.raises(LateFigures) as refused:
        _january_item(office, agency, on(date(2026, 2, 16)))
    assert refused.value.details["due"] == date(2026, 2, 15)
    office.calendar.deadline_rules = CIVIL_CODE_DEADLINES
    _january_item(office, agency, on(date(2026, 2, 16)))


def test_a_cut_off_on_a_working_day_or_a_make_up_working_day_stays(january: TestOffice) -> None:
    """第二百零三条 moves only a last day that is a rest day: September's figures are due on
    Thursday 15 October 2026 (after 国庆节), and a cut-off on Saturday 14 February 2026, a
    make-up working day (调休上班), stays there; one on Sunday 4 October moves to the 8th."""
    cal = january.calendar
    assert cal.cut_off(CutOff.INFORMATION_FIGURES, figures_due(2026, 9)) == date(2026, 10, 15)
    assert cal.cut_off(CutOff.INFORMATION_FIGURES, date(2026, 2, 14)) == date(2026, 2, 14)
    assert cal.cut_off(CutOff.MEETING_ARCHIVE, date(2026, 10, 4)) == date(2026, 10, 8)


def test_the_rule_table_refuses_what_it_cannot_apply() -> None:
    """A rule table names its jurisdiction and its basis, and only known cut-offs and rules."""
    with pytest.raises(InvalidInput):
        DeadlineRules(jurisdiction=" ")
    with pytest.raises(InvalidInput):
        DeadlineRules(source="")
    with pytest.raises(InvalidInput):
        DeadlineRules(overrides={"lunch": LastDayRule.AS_SET})
    with pytest.raises(InvalidInput):
        DeadlineRules(default="sometimes")
    office = office_for_tests()
    try:
        with pytest.raises(InvalidInput):
            office.calendar.deadline_rules = {"information_figures": "as_set"}  # type: ignore[assignment]
    finally:
        office.close()


# --- the target table's correction and self-check dates ----------------------------------------


def test_a_deductions_correction_due_in_the_national_day_holiday_moves_to_8_october(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)1] 发现问题并反馈 → 各单位整改: a deduction found on Tuesday 22
    September 2026 is to be corrected in 15 days (TargetPolicy), ending on 7 October, inside
    国庆节 (1-7 October): the correction is due on Thursday 8 October (民法典 第二百零三条).
    A date the assessment office gives itself is kept as given."""
    table = target_table(office, agency, TargetTableStatus.ISSUED)
    found = pendulum.datetime(2026, 9, 22, 1, tz="UTC")  # 09:00 in Beijing
    number = office.targets.deduct(
        table,
        indicator=2,
        points=1,
        reason="进度滞后",
        means="日常管理",
        by=agency.assessment_officer,
        at=found,
    )
    assert office.targets.get(table).deductions[number].correct_by == date(2026, 10, 8)
    given = office.targets.deduct(
        table,
        indicator=3,
        points=1,
        reason="进度滞后",
        means="日常管理",
        correct_by=date(2026, 10, 3),
        by=agency.assessment_officer,
        at=found.add(hours=1),
    )
    assert office.targets.get(table).deductions[given].correct_by == date(2026, 10, 3)
    office.calendar.deadline_rules = DeadlineRules(
        jurisdiction="某市",
        overrides={CutOff.TARGET_CORRECTION: LastDayRule.AS_SET},
        source="某市目标管理考核办法",
    )
    kept = office.targets.deduct(
        table,
        indicator=4,
        points=1,
        reason="进度滞后",
        means="日常管理",
        by=agency.assessment_officer,
        at=found.add(hours=2),
    )
    assert office.targets.get(table).deductions[kept].correct_by == date(2026, 10, 7)


def test_a_self_check_due_on_a_saturday_is_due_the_next_monday(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 目标管理 四(二)2; 003 篇6 二(五)] 7月15日前报送: 15 July 2026 is a Wednesday
    and stays; an agency whose policy names 18 July (a Saturday) gets Monday 20 July."""
    table = target_table(office, agency, TargetTableStatus.ISSUED)
    office.targets.policy = attrs.evolve(office.targets.policy, self_check_due=(7, 18))
    office.targets.start_half_year_check(
        table, by=agency.assessment_officer, at=pendulum.datetime(2026, 6, 1, 9, tz=ZONE)
    )
    assert office.targets.get(table).half_year_due == date(2026, 7, 20)


# --- the meeting archive deadline ---------------------------------------------------------------


def test_an_archive_deadline_in_the_national_day_holiday_moves_to_the_next_working_day(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文6 四 7] 在会议结束七日内 …… 归档: a meeting held on Thursday 24 September
    2026 is archived by 1 October, the first day of 国庆节, so by Thursday 8 October
    (民法典 第二百零三条); the queue and the clock's overdue flag agree."""
    held = meeting(office, agency, MeetingStatus.HELD, at=pendulum.datetime(2026, 9, 3, 9, tz=ZONE))
    assert office.meetings.archive_due(held) == date(2026, 10, 8)
    waiting = [i for i in office.queues.for_person(agency.archivist) if i.record_id == str(held)]
    assert [(i.step, i.due) for i in waiting] == [("archive", date(2026, 10, 8))]
    with assert_nothing_recorded(office):
        assert office.meetings.tick(pendulum.datetime(2026, 10, 8, 15, 59, tz="UTC")) == []
    late = office.meetings.tick(pendulum.datetime(2026, 10, 8, 16, 0, tz="UTC"))  # 9th, 00:00
    assert [(d.action, d.details["due"]) for d in late] == [("ArchiveOverdue", date(2026, 10, 8))]


def test_the_archive_deadline_never_passes_31_december() -> None:
    """[000 范文6 四 7] 或每年12月31日之前: the year-end is a date, not a period, and is not
    moved; a seventh day on a weekend inside the year moves to Monday."""
    calendar = office_for_tests().calendar
    try:
        assert archive_deadline(date(2026, 12, 28), calendar) == date(2026, 12, 31)
        assert archive_deadline(date(2026, 3, 7), calendar) == date(2026, 3, 16)  # Sat 14th
        assert archive_deadline(date(2026, 3, 7)) == date(2026, 3, 14)  # without a calendar
        as_set = DeadlineRules(overrides={CutOff.MEETING_ARCHIVE: LastDayRule.AS_SET})
        assert archive_deadline(date(2026, 3, 7), calendar, as_set) == date(2026, 3, 14)
    finally:
        calendar.office.close()


# --- the annual meeting plan's submission day -------------------------------------------------

PLAN_ROW: dict[str, Any] = {
    "organiser": "office",
    "name": "局长办公会议(三月)",
    "content": "研究一季度重点工作",
    "kind": "局长办公会议",
    "planned_date": date(2023, 3, 10),
    "place": "局三楼会议室",
    "participant_scope": "局领导、有关处室负责人",
    "days": 1,
    "participants": 20,
    "budget_10k": "0.5",
}


def test_plan_rows_due_on_a_saturday_are_in_time_the_next_monday() -> None:
    """[001 会议 五(一)1] 各部门应于每年的12月上旬提出下一年度会议计划: the 2023 plan's
    rows were due by Saturday 10 December 2022, so Monday the 12th is still in time
    (民法典 第二百零三条); the 13th needs a reason (补报)."""
    start = pendulum.datetime(2022, 11, 28, 9, tz=ZONE)
    office = office_for_tests(start=start)
    try:
        agency = standard_agency(office, start)
        m = office.meetings
        m.open_plan(year=2023, by=agency.secretary, at=pendulum.datetime(2022, 12, 1, 9, tz=ZONE))
        on_time = m.submit_plan_row(
            year=2023,
            by=agency.office_head,
            at=pendulum.datetime(2022, 12, 12, 15, 59, tz="UTC"),  # 23:59 on the 12th
            **PLAN_ROW,
        )
        assert m.plan_for(2023).row(on_time).late_reason == ""
        with assert_nothing_recorded(office), pytest.raises(PlanRowLate) as refused:
            m.submit_plan_row(
                year=2023,
                by=agency.office_head,
                at=pendulum.datetime(2022, 12, 12, 16, tz="UTC"),  # 00:00 on the 13th
                **PLAN_ROW,
            )
        assert refused.value.details["last_day"] == date(2022, 12, 12)
    finally:
        office.close()
