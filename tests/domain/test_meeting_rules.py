"""Meeting policies: limit tables, rostrum seating, attendance deductions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govoffice.domain.errors import InvalidInput, RuleViolation
from govoffice.domain.meeting_rules import (
    CENTRAL_2016_LIMITS,
    CENTRAL_JURISDICTION,
    DEFAULT_LIMITS,
    DEFAULT_SEATING,
    QUARTERLY_MEETING,
    SEED_ATTENDANCE_SCORING,
    SEED_JURISDICTION,
    SEED_LIMITS,
    SYSTEM_MEETING,
    AttendanceFact,
    AttendanceScoringTable,
    CategoryNotInTable,
    CentreOutSeating,
    LimitBreach,
    LimitKind,
    LimitRegistry,
    LimitTable,
    MeetingCategory,
    MeetingFigures,
    MeetingForm,
    MeetingLimit,
    MeetingLimitExceeded,
    NoLimitTable,
    NotOnRostrum,
    SeatingChart,
    SeatingPolicy,
    check_meeting,
)
from govoffice.domain.values import PersonId

C = MeetingCategory.C
IN_PERSON, VIDEO = MeetingForm.IN_PERSON, MeetingForm.VIDEO


def plan(
    category: MeetingCategory = C,
    form: MeetingForm = IN_PERSON,
    days: Decimal | int | str = 1,
    participants: int = 50,
    budget: Decimal | int | str = 27500,
    lodging: Decimal | int | str = 0,
    meals: Decimal | int | str = 0,
) -> MeetingFigures:
    return MeetingFigures(category, form, days, participants, budget, lodging, meals)


def kinds(breaches: tuple[LimitBreach, ...]) -> list[LimitKind]:
    return [b.limit for b in breaches]


# --- 1. 会议费与会议规模标准 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "limit", "allowed", "asked"),
    [
        (plan(days="1.5", budget=27500), LimitKind.DAYS, 1, "1.5"),
        (plan(participants=51, budget=27500), LimitKind.PARTICIPANTS, 50, 51),
        (plan(budget="27500.01"), LimitKind.COST, 27500, "27500.01"),
        (plan(form=VIDEO, days=1, budget=100), LimitKind.DAYS, "0.5", 1),
        (plan(form=VIDEO, days="0.5", budget=100, meals=60), LimitKind.LODGING_AND_MEALS, 0, 60),
    ],
    ids=["会期", "人数", "综合定额", "视频会期", "视频食宿"],
)
def test_seed_category_c_limits_each_breach_alone(
    figures: MeetingFigures,
    limit: LimitKind,
    allowed: Decimal | int | str,
    asked: Decimal | int | str,
) -> None:
    """[001 会议管理 五(三)3-4] 丙类会议会期≤1天、≤50人、每人每天≤550元;视频会议≤半天、不报食宿."""
    (breach,) = check_meeting(figures, SEED_LIMITS)
    assert (breach.limit, breach.allowed, breach.asked) == (
        limit,
        Decimal(allowed),
        Decimal(asked),
    )


@pytest.mark.parametrize(
    "figures",
    [
        plan(),
        plan(days="0.5", participants=1, budget=0),
        plan(form=VIDEO, days="0.5", participants=50, budget=13750),
        plan(participants=20, budget=11000, lodging=6000, meals=3000),
    ],
)
def test_seed_meeting_within_limits_passes(figures: MeetingFigures) -> None:
    """[001 会议管理 五(三)3-4] 不超过会期、人数和综合定额的丙类会议无超标项."""
    assert check_meeting(figures, SEED_LIMITS) == ()


def test_cost_cap_is_one_envelope_for_all_items() -> None:
    """[001 会议管理 五(三)4(2)] 综合定额控制,各项费用之间可以调剂使用."""
    lopsided = plan(participants=10, budget=5500, lodging=5000, meals=500)
    assert check_meeting(lopsided, SEED_LIMITS) == ()


def test_breach_reads_for_a_clerk() -> None:
    """[001 会议管理 五(三)3] 丙类会议会期不超过1天."""
    (breach,) = check_meeting(plan(days=2, budget=100), SEED_LIMITS)
    assert str(breach) == "丙类会议会期不超过1天,计划2天"


def test_several_breaches_are_all_listed_in_the_refusal() -> None:
    """[001 会议管理 五(三)3-4] 超标会议须逐项列明,未经批准不得召开."""
    breaches = check_meeting(plan(days=2, participants=60, budget=70000), SEED_LIMITS)
    assert kinds(breaches) == [LimitKind.DAYS, LimitKind.PARTICIPANTS, LimitKind.COST]
    error = MeetingLimitExceeded(breaches, SEED_LIMITS.source)
    assert isinstance(error, RuleViolation)
    assert error.breaches == breaches
    assert all(b.description in str(error) for b in breaches)


@pytest.mark.parametrize(
    ("category", "days", "participants", "cap"),
    [
        (MeetingCategory.CLASS_2, 2, 300, 650),
        (MeetingCategory.CLASS_3, 2, 150, 550),
        (MeetingCategory.CLASS_4, 2, 50, 550),
    ],
)
def test_central_2016_classes_two_to_four(
    category: MeetingCategory, days: int, participants: int, cap: int
) -> None:
    """[财行〔2016〕214号] 二、三、四类会议会期≤2天,人数≤300/150/50,定额650/550/550元."""
    at_limit = plan(category, IN_PERSON, days, participants, cap * participants * days)
    assert check_meeting(at_limit, CENTRAL_2016_LIMITS) == ()
    over = plan(category, IN_PERSON, days + 1, participants + 1, cap * participants * days * 2)
    assert kinds(check_meeting(over, CENTRAL_2016_LIMITS)) == [
        LimitKind.DAYS,
        LimitKind.PARTICIPANTS,
        LimitKind.COST,
    ]


def test_central_class_one_days_and_headcount_follow_its_approval() -> None:
    """[财行〔2016〕214号] 一类会议会期、人数按批准文件,只查综合定额760元."""
    big = plan(MeetingCategory.CLASS_1, IN_PERSON, 5, 3000, 760 * 3000 * 5)
    assert check_meeting(big, CENTRAL_2016_LIMITS) == ()
    dear = plan(MeetingCategory.CLASS_1, IN_PERSON, 1, 10, 7601)
    assert kinds(check_meeting(dear, CENTRAL_2016_LIMITS)) == [LimitKind.COST]


def test_category_without_limits_in_table_is_refused() -> None:
    """[001 会议管理 五(三)2] 局会议一般属于丙类,本局标准表只有丙类."""
    with pytest.raises(CategoryNotInTable):
        check_meeting(plan(MeetingCategory.CLASS_2), SEED_LIMITS)


@pytest.mark.parametrize(
    ("jurisdiction", "on", "expected"),
    [
        (SEED_JURISDICTION, date(2026, 3, 2), SEED_LIMITS),
        (CENTRAL_JURISDICTION, date(2016, 7, 1), CENTRAL_2016_LIMITS),
        (CENTRAL_JURISDICTION, date(2026, 3, 2), CENTRAL_2016_LIMITS),
    ],
)
def test_limit_table_chosen_by_jurisdiction_and_date(
    jurisdiction: str, on: date, expected: LimitTable
) -> None:
    """[财行〔2016〕214号 2016-07-01施行] 会议费标准按辖区和生效日期选用."""
    assert DEFAULT_LIMITS.table_for(jurisdiction, on) is expected


def test_newer_local_table_supersedes_from_its_date() -> None:
    """[参考资料 2.7] 各地标准不同,新标准自生效之日起取代旧标准."""
    newer = LimitTable(
        CENTRAL_JURISDICTION,
        date(2030, 1, 1),
        "假设的新标准",
        (MeetingLimit(MeetingCategory.CLASS_4, 1, 40, 600),),
    )
    registry = LimitRegistry((*DEFAULT_LIMITS.tables, newer))
    assert registry.table_for(CENTRAL_JURISDICTION, date(2029, 12, 31)) is CENTRAL_2016_LIMITS
    assert registry.table_for(CENTRAL_JURISDICTION, date(2030, 1, 1)) is newer


@pytest.mark.parametrize(
    ("jurisdiction", "on"),
    [(CENTRAL_JURISDICTION, date(2016, 6, 30)), ("某省", date(2026, 1, 1))],
)
def test_no_table_in_force_is_refused(jurisdiction: str, on: date) -> None:
    """[财行〔2016〕214号 2016-07-01施行] 生效日前或无标准的辖区不能审核会议费."""
    with pytest.raises(NoLimitTable):
        DEFAULT_LIMITS.table_for(jurisdiction, on)


@pytest.mark.parametrize(
    "bad",
    [
        {"days": 0},
        {"participants": 0},
        {"budget": -1},
        {"days": 0.5},
        {"budget": 100, "lodging": 80, "meals": 30},
    ],
)
def test_malformed_meeting_figures_are_refused(bad: dict[str, object]) -> None:
    """[001 会议管理 六 2] 会议实施审批表的会期、人数、经费须为有效数字."""
    with pytest.raises(InvalidInput):
        plan(**bad)  # type: ignore[arg-type]


# --- 2. 主席台座次 -------------------------------------------------------------------------


def people(n: int, prefix: str = "L") -> tuple[PersonId, ...]:
    return tuple(PersonId(f"{prefix}{i}") for i in range(1, n + 1))


@pytest.mark.parametrize(
    ("count", "row"),
    [
        (1, "L1"),
        (2, "L2 L1"),
        (3, "L2 L1 L3"),
        (4, "L4 L2 L1 L3"),
        (5, "L4 L2 L1 L3 L5"),
        (6, "L6 L4 L2 L1 L3 L5"),
    ],
)
def test_rostrum_centre_then_left_then_right(count: int, row: str) -> None:
    """[001 会议的座次安排(一)2] 单数1号居中,偶数1、2号同时居中;2号在1号左手,3号在右手."""
    assert DEFAULT_SEATING.arrange(people(count)).seats == tuple(row.split())


def test_audience_sees_the_row_mirrored() -> None:
    """[001 会议的座次安排(一)2] 左手、右手以主席台上领导的朝向为准,台下看是反的."""
    chart = DEFAULT_SEATING.arrange(people(3))
    assert chart.as_seen_from_audience() == ("L3", "L1", "L2")


@pytest.mark.parametrize(
    ("ahead", "row"),
    [(0, "H2 G2 G1 H1 H3"), (1, "H2 G1 H1 G2 H3")],
)
def test_guests_from_superior_units_rank_ahead_of_hosts(ahead: int, row: str) -> None:
    """[001 会议的座次安排(一)3,(二)] 上级领导(A)按序排在主方(B)之前,也可适当调整."""
    chart = CentreOutSeating(hosts_ahead_of_guests=ahead).arrange(
        people(3, "H"), guests=people(2, "G")
    )
    assert chart.seats == tuple(row.split())


def test_manual_override_swaps_or_moves_and_keeps_the_original() -> None:
    """[001 会议的座次安排(一)3-4] 座次可灵活掌握,临时变化应及时调整座次、名签."""
    chart = DEFAULT_SEATING.arrange(people(5))
    assert chart.swapped(PersonId("L4"), PersonId("L5")).seats == ("L5", "L2", "L1", "L3", "L4")
    assert chart.moved(PersonId("L5"), 0).seats == ("L5", "L4", "L2", "L1", "L3")
    assert chart.seats == ("L4", "L2", "L1", "L3", "L5")


def test_unseated_person_and_missing_seat_are_refused() -> None:
    """[001 会议的座次安排(一)4] 会前逐一落实上台领导和座位."""
    chart = DEFAULT_SEATING.arrange(people(3))
    with pytest.raises(NotOnRostrum):
        chart.seat_of(PersonId("X"))
    with pytest.raises(InvalidInput):
        chart.moved(PersonId("L1"), 3)
    with pytest.raises(InvalidInput):
        SeatingChart((PersonId("L1"), PersonId("L1")))
    with pytest.raises(InvalidInput):
        DEFAULT_SEATING.arrange(())


def test_an_agency_may_plug_its_own_seating_policy() -> None:
    """[参考资料 2.7] 主席台座次无中央成文规定,座次规则可替换."""

    class LongTableInRankOrder:
        def arrange(
            self, hosts: Sequence[PersonId], guests: Sequence[PersonId] = ()
        ) -> SeatingChart:
            return SeatingChart((*guests, *hosts))

    policy: SeatingPolicy = LongTableInRankOrder()
    assert policy.arrange(people(3)).seats == ("L1", "L2", "L3")


@given(st.integers(min_value=1, max_value=40))
def test_any_rostrum_centres_the_top_and_alternates_outward(count: int) -> None:
    """[001 会议的座次安排(一)2] 任意人数:居中,2号起偶数向左、奇数向右逐位外排."""
    ranked = people(count)
    chart = DEFAULT_SEATING.arrange(ranked)
    assert sorted(chart.seats) == sorted(ranked)
    assert len(set(chart.seats)) == count
    centre_people = tuple(chart.seats[i] for i in chart.centre)
    assert centre_people == (("L1",) if count % 2 else ("L2", "L1"))
    first = chart.seat_of(ranked[0])
    for rank, person in enumerate(ranked[1:], start=2):
        expected = first - rank // 2 if rank % 2 == 0 else first + rank // 2
        assert chart.seat_of(person) == expected


# --- 3. 会风会纪考核扣分 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "points"),
    [
        (AttendanceFact.PRESENT, "0"),
        (AttendanceFact.ABSENT, "2"),
        (AttendanceFact.ON_LEAVE, "1"),
        (AttendanceFact.SUBSTITUTED, "0.5"),
        (AttendanceFact.LATE, "0.5"),
        (AttendanceFact.LEFT_EARLY, "0.5"),
    ],
)
def test_each_attendance_fact_deducts_its_points(fact: AttendanceFact, points: str) -> None:
    """[000 范文6 五 6] 旷会、请假、代会、迟到、早退一律扣除相应分值,出席不扣分."""
    assert SEED_ATTENDANCE_SCORING.score([(SYSTEM_MEETING, fact)]) == Decimal(points)


def test_only_quarterly_and_system_meetings_count() -> None:
    """[000 范文6 五 6] 季度例会、系统大会考勤与全年绩效考评挂钩."""
    facts = [
        (QUARTERLY_MEETING, AttendanceFact.LATE),
        (SYSTEM_MEETING, AttendanceFact.ABSENT),
        ("topic_meeting", AttendanceFact.ABSENT),
        (QUARTERLY_MEETING, AttendanceFact.PRESENT),
    ]
    assert SEED_ATTENDANCE_SCORING.score(facts) == Decimal("2.5")
    assert SEED_ATTENDANCE_SCORING.score([]) == 0


def test_agency_sets_its_own_deductions() -> None:
    """[000 范文6 五 6] 扣分按本单位绩效考评实施方案规定执行."""
    table = AttendanceScoringTable(
        version="2015",
        source="市文广局2015年绩效考评工作实施方案",
        counted_kinds=frozenset({"all_staff_meeting"}),
        absent=3,
        on_leave="0.2",
        substituted="0.3",
        late=1,
        left_early=1,
    )
    facts = [("all_staff_meeting", AttendanceFact.ON_LEAVE)] * 2
    assert table.score(facts) == Decimal("0.4")
    with pytest.raises(InvalidInput):
        AttendanceScoringTable("x", "y", frozenset(), -1, 0, 0, 0, 0)
