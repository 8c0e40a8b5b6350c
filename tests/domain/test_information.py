"""政务信息 — the monthly information scores of [003 篇6 二(二)] and the rules of the monthly
record (targets, submissions, adoptions, closing), through ``office.information``.

One test per rule, named in the office's words; a refused step raises a named error and
records nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govoffice.application.office import Office
from govoffice.domain.errors import (
    InvalidInput,
    PermissionDenied,
    RecordNotFound,
    UnknownUnit,
    WrongStatus,
)
from govoffice.domain.information import (
    SEED_INFORMATION_SCORING,
    AdoptionLevel,
    AlreadyAdopted,
    InformationReport,
    InformationScoringTable,
    InformationStatus,
    LateFigures,
    MonthFigures,
    MonthNotBegun,
    MonthNotOver,
    TargetTooLate,
    UnitTier,
    UnknownInformationItem,
    figures_due,
    score_month,
)
from govoffice.testing import AgencyPeople, assert_nothing_recorded

ZONE = "Asia/Shanghai"
COUNTY = UnitTier.COUNTY_DEPARTMENT
TOWNSHIP = UnitTier.TOWNSHIP


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=ZONE)


def month(
    target: int | None = None,
    submitted: int = 0,
    adopted: int = 0,
    adoptions: int | None = None,
    tier: UnitTier = TOWNSHIP,
) -> MonthFigures:
    return MonthFigures(
        target=target,
        submitted=submitted,
        adopted_items=adopted,
        adoptions=adopted if adoptions is None else adoptions,
        tier=tier,
    )


def submitted_items(office: Office, p: AgencyPeople, n: int, *, day: int = 3) -> None:
    for i in range(n):
        office.information.submit(
            unit="biz1", year=2026, month=3, title=f"信息{i + 1}", by=p.drafter, at=at(3, day, 9, i)
        )


# --- the scores [003 篇6 二(二)] ------------------------------------------------------------


def test_a_unit_that_meets_its_adopted_item_target_gets_20_points_for_the_month() -> None:
    """[003 篇6 二(二)] 完成信息采用目标的当月,每个单位奖20分."""
    score = score_month(month(target=3, submitted=3, adopted=3))
    assert score.target_met and score.target_points == 20
    assert score.extra_items == 0 and score.total == 20


def test_each_adopted_item_beyond_the_target_earns_3_more_points() -> None:
    """[003 篇6 二(二)] 每超额1条的奖励3分."""
    score = score_month(month(target=2, submitted=6, adopted=5))
    assert (score.extra_items, score.extra_points) == (3, 9)
    assert score.total == 20 + 3 * 3


def test_a_unit_short_of_its_target_gets_no_target_points() -> None:
    """[003 篇6 二(二)] 完成信息采用目标的当月 — only the month the target is met scores."""
    assert score_month(month(target=4, submitted=4, adopted=3)).total == 0
    assert score_month(month(target=None, submitted=4, adopted=3)).total == 0


def test_a_county_unit_that_submits_5_items_in_a_month_gets_10_points() -> None:
    """[003 篇6 二(二)] 县直单位完成5条信息报送任务的,该月奖励10分."""
    assert score_month(month(submitted=5, tier=COUNTY)).submission_points == 10
    assert score_month(month(submitted=9, tier=COUNTY)).total == 10
    assert score_month(month(submitted=4, tier=COUNTY)).total == 0


def test_the_submission_points_are_for_county_units_only() -> None:
    """[003 篇6 二(二)] 县直单位完成5条信息报送任务的 — a township is scored on adoptions."""
    assert score_month(month(submitted=5, tier=TOWNSHIP)).total == 0
    both = score_month(month(target=1, submitted=5, adopted=2, tier=COUNTY))
    assert both.total == 20 + 3 + 10


def test_an_item_adopted_by_several_outlets_counts_once_unless_the_table_says_otherwise() -> None:
    """[003 篇6 二(二)] 每超额1条 counts items; reference §2.8: some tables count each outlet."""
    figures = month(target=1, submitted=2, adopted=2, adoptions=4)
    assert score_month(figures).extra_items == 1
    cumulative = InformationScoringTable(
        version="cumulative-1", source="累计计分 (reference §2.8)", count_each_adoption=True
    )
    assert score_month(figures, cumulative).extra_items == 3


def test_the_scoring_table_is_versioned_and_states_its_source() -> None:
    """[003 篇6 二(二)] the seed's figures, with where they come from."""
    table = SEED_INFORMATION_SCORING
    assert table.version and "003 篇6 二(二)" in table.source
    assert (table.target_points, table.per_extra_item) == (20, 3)
    assert (table.submission_quota, table.submission_points) == (5, 10)
    assert table.submission_tiers == {COUNTY}
    with pytest.raises(InvalidInput):
        InformationScoringTable(version="x", source="y", per_extra_item=-1)
    with pytest.raises(InvalidInput):
        InformationScoringTable(version="x", source="y", target_points=2.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        InformationScoringTable(version=" ", source="y")
    with pytest.raises(InvalidInput):
        InformationScoringTable(version="x", source="y", submission_quota=0)


def test_an_agency_replaces_the_scoring_table_with_its_own(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(二)] is one county's rule; reference §2.8: every jurisdiction sets its own."""
    info = office.information
    info.set_target(unit="biz1", year=2026, month=3, target=1, by=agency.secretary, at=at(3, 2))
    submitted_items(office, agency, 2)
    for item in (1, 2):
        info.adopt(
            unit="biz1",
            year=2026,
            month=3,
            item=item,
            level=AdoptionLevel.CITY,
            outlet="要情快报",
            by=agency.secretary,
            at=at(3, 5, 9 + item),
        )
    assert info.score(unit="biz1", year=2026, month=3).total == 23
    info.scoring = InformationScoringTable(
        version="local-2026",
        source="本局2026年信息计分办法",
        target_points=10,
        per_extra_item="1.5",
    )
    assert info.score(unit="biz1", year=2026, month=3).total == Decimal("11.5")
    with pytest.raises(InvalidInput):
        info.scoring = {"target_points": 20}  # type: ignore[assignment]


@given(
    target=st.none() | st.integers(min_value=1, max_value=30),
    submitted=st.integers(min_value=0, max_value=40),
    adopted=st.integers(min_value=0, max_value=40),
    more=st.integers(min_value=1, max_value=10),
    tier=st.sampled_from(list(UnitTier)),
    cumulative=st.booleans(),
)
def test_scores_are_never_negative_and_never_fall_with_more_adopted_items(
    target: int | None, submitted: int, adopted: int, more: int, tier: UnitTier, cumulative: bool
) -> None:
    """[003 篇6 二(二)] rewards only: 20 for the target, 3 per extra item, 10 for 5 items."""
    table = InformationScoringTable(version="t", source="s", count_each_adoption=cumulative)
    base = score_month(month(target, submitted, adopted, tier=tier), table)
    assert base.total >= 0
    assert base.target_points >= 0 and base.extra_points >= 0 and base.submission_points >= 0
    higher = score_month(month(target, submitted, adopted + more, tier=tier), table)
    assert higher.total >= base.total
    if target is not None and adopted >= target:
        assert higher.total - base.total == 3 * more


def test_figures_are_due_on_the_15th_of_the_next_month() -> None:
    """[003 篇6 二(二)] 上个月的信息……在下个月15日以后报来的,将不得再采用."""
    assert figures_due(2026, 3) == date(2026, 4, 15)
    assert figures_due(2026, 12) == date(2027, 1, 15)
    with pytest.raises(InvalidInput):
        figures_due(2026, 13)


# --- the monthly record -------------------------------------------------------------------------


def test_figures_for_a_month_reported_after_the_15th_of_the_next_month_are_not_accepted(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(二)] 在下个月15日以后报来的,将不得再采用."""
    info = office.information
    submitted_items(office, agency, 1)
    late = at(4, 16, 8, 0)
    with assert_nothing_recorded(office), pytest.raises(LateFigures) as refused:
        info.submit(unit="biz1", year=2026, month=3, title="迟报", by=agency.drafter, at=late)
    assert refused.value.due == date(2026, 4, 15)
    with assert_nothing_recorded(office), pytest.raises(LateFigures):
        info.adopt(
            unit="biz1",
            year=2026,
            month=3,
            item=1,
            level="市级",
            outlet="要情快报",
            by=agency.secretary,
            at=late,
        )
    info.submit(
        unit="biz1", year=2026, month=3, title="按时", by=agency.drafter, at=at(4, 15, 23, 30)
    )
    assert info.report(unit="biz1", year=2026, month=3).figures.submitted == 2


def test_a_late_first_figure_leaves_no_record_behind(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(二)] a refused first step of a month opens nothing. (February's figures
    are due on Sunday 15 March 2026, so they are accepted on Monday the 16th, 民法典 第二百零
    三条, ADR 0051; the 17th is late.)"""
    with assert_nothing_recorded(office), pytest.raises(LateFigures):
        office.information.submit(
            unit="biz2", year=2026, month=2, title="迟报", by=agency.drafter2, at=at(3, 17)
        )
    with pytest.raises(RecordNotFound):
        office.information.report(unit="biz2", year=2026, month=2)


def test_a_month_is_reported_from_its_first_day(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(二)] the month's figures: items of the month, not of the month before."""
    with assert_nothing_recorded(office), pytest.raises(MonthNotBegun):
        office.information.submit(
            unit="biz1", year=2026, month=4, title="提前", by=agency.drafter, at=at(3, 31)
        )


def test_a_unit_reports_its_own_items(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(二)] 各级各部门……及时准确报送 — each unit for itself."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.information.submit(
            unit="biz1", year=2026, month=3, title="代报", by=agency.drafter2, at=at(3, 3)
        )
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit):
        office.information.submit(
            unit="nowhere", year=2026, month=3, title="信息", by=agency.drafter, at=at(3, 3)
        )
    number = office.information.submit(
        unit="biz1", year=2026, month=3, title="本处信息", by=agency.drafter, at=at(3, 3)
    )
    assert number == 1


def test_the_general_office_sets_targets_records_adoptions_and_closes_the_month(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(二)] 县政府办公室在信息通报时实行分数奖励制度 — the office keeps the score."""
    info = office.information
    submitted_items(office, agency, 1)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        info.set_target(unit="biz1", year=2026, month=3, target=2, by=agency.unit_head, at=at(3, 4))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        info.adopt(
            unit="biz1",
            year=2026,
            month=3,
            item=1,
            level="省级",
            outlet="信息简报",
            by=agency.unit_head,
            at=at(3, 6),
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        info.close(unit="biz1", year=2026, month=3, by=agency.unit_head, at=at(4, 2))
    info.set_target(unit="biz1", year=2026, month=3, target=1, by=agency.office_head, at=at(3, 4))
    info.adopt(
        unit="biz1",
        year=2026,
        month=3,
        item=1,
        level="省级",
        outlet="信息简报",
        by=agency.secretary,
        at=at(3, 6),
    )
    info.close(unit="biz1", year=2026, month=3, by=agency.office_head, at=at(4, 2))
    assert info.score(unit="biz1", year=2026, month=3).total == 20


def test_an_adoption_names_a_submitted_item_and_an_outlet_adopts_it_once(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 一(三)] 上报省政府办公厅的共享信息有350篇被采用 — adopted items are counted by
    outlet; an outlet adopts an item once."""
    info = office.information
    submitted_items(office, agency, 2)
    args = {"unit": "biz1", "year": 2026, "month": 3, "by": agency.secretary}
    with assert_nothing_recorded(office), pytest.raises(UnknownInformationItem):
        info.adopt(**args, item=3, level="省级", outlet="信息简报", at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        info.adopt(**args, item=1, level="乡级", outlet="信息简报", at=at(3, 6))
    info.adopt(**args, item=1, level="省级", outlet="信息简报", at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(AlreadyAdopted):
        info.adopt(**args, item=1, level="省级", outlet="信息简报", at=at(3, 7))
    info.adopt(**args, item=1, level=AdoptionLevel.CITY, outlet="要情快报", at=at(3, 7))
    figures = info.report(unit="biz1", year=2026, month=3).figures
    assert (figures.adopted_items, figures.adoptions) == (1, 2)


def test_a_target_is_set_while_the_month_runs(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(二)] 完成信息采用目标的当月 — the target is known before the month ends."""
    info = office.information
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        info.set_target(unit="biz1", year=2026, month=3, target=0, by=agency.secretary)
    info.set_target(
        unit="biz1", year=2026, month=3, target=2, tier="乡镇(办事处)", by=agency.secretary
    )
    report = info.report(unit="biz1", year=2026, month=3)
    assert (report.target, report.tier) == (2, TOWNSHIP)
    with assert_nothing_recorded(office), pytest.raises(TargetTooLate):
        info.set_target(unit="biz1", year=2026, month=3, target=3, by=agency.secretary, at=at(4, 1))


def test_a_month_is_closed_once_it_is_over_and_then_takes_nothing_more(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(二)] the month's figures, settled for the monthly notice (信息通报)."""
    info = office.information
    info.set_target(unit="biz1", year=2026, month=3, target=1, by=agency.secretary)
    submitted_items(office, agency, 5)
    with assert_nothing_recorded(office), pytest.raises(MonthNotOver):
        info.close(unit="biz1", year=2026, month=3, by=agency.secretary, at=at(3, 31, 18))
    info.close(unit="biz1", year=2026, month=3, by=agency.secretary, at=at(4, 1, 9))
    report = info.report(unit="biz1", year=2026, month=3)
    assert report.status is InformationStatus.CLOSED
    closed = info.history(report.id)[-1]
    assert closed.action == "FiguresClosed"
    assert closed.details["submitted"] == 5 and closed.details["target"] == 1
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        info.submit(unit="biz1", year=2026, month=3, title="补报", by=agency.drafter, at=at(4, 2))
    assert info.score(unit="biz1", year=2026, month=3).total == 10  # 5 items, target not met


def test_one_record_per_unit_and_month_and_every_step_says_who_and_when(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(二)] the month's figures of one unit: one record, whoever opens it."""
    info = office.information
    record = info.set_target(unit="biz1", year=2026, month=3, target=1, by=agency.secretary)
    submitted_items(office, agency, 1)
    assert record == InformationReport.create_id("biz1", 2026, 3)
    assert info.report(unit="biz1", year=2026, month=3).id == record
    assert InformationReport.create_id("biz1", 2026, 4) != record
    trail = info.history(record)
    assert [d.action for d in trail] == ["Opened", "TargetSet", "ItemSubmitted"]
    assert [d.by for d in trail] == [agency.secretary, agency.secretary, agency.drafter]
    assert all(d.at is not None for d in trail)
