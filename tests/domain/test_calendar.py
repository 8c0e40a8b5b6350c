"""工作日历: counting rules on a hand-built table (2026's Spring Festival and autumn holidays)."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum
import pytest

from govoffice.domain.calendar import (
    MAX_PERIOD,
    CalendarDataMissing,
    CalendarYear,
    DateOutOfRange,
    InvalidCalendarData,
    InvalidPeriod,
    WorkingCalendar,
)
from govoffice.domain.errors import InvalidInput


def days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


TABLE_2026 = CalendarYear(
    2026,
    holidays=days(date(2026, 2, 15), date(2026, 2, 23))
    | days(date(2026, 9, 25), date(2026, 9, 27))
    | days(date(2026, 10, 1), date(2026, 10, 7)),
    workdays={date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)},
    source="测试用节假日安排 (hand-built test table)",
    version="test-1",
)
CALENDAR = WorkingCalendar("测试", {2026: TABLE_2026})


# --- which days are working days --------------------------------------------------------


def test_make_up_day_on_a_weekend_is_a_working_day() -> None:
    """[domain-brief §8] 调休上班的周六、周日是工作日."""
    assert CALENDAR.is_working_day(date(2026, 10, 10))  # Saturday


def test_holiday_on_a_weekday_is_not_a_working_day() -> None:
    """[domain-brief §8] 法定节假日放假的工作日不是工作日."""
    assert not CALENDAR.is_working_day(date(2026, 10, 6))  # Tuesday


def test_ordinary_weekend_is_a_rest_day() -> None:
    """[domain-brief §8] 没有调休的周六、周日是休息日."""
    assert not CALENDAR.is_working_day(date(2026, 3, 7))  # Saturday
    assert CALENDAR.is_working_day(date(2026, 3, 6))  # Friday


def test_datetime_counts_by_its_date_in_its_own_time_zone() -> None:
    """[domain-brief §8] 业务时间按其所在时区的日期计算."""
    friday_evening_utc = pendulum.datetime(2026, 3, 6, 20, tz="UTC")
    saturday_morning_beijing = friday_evening_utc.in_timezone("Asia/Shanghai")
    assert CALENDAR.is_working_day(friday_evening_utc)
    assert not CALENDAR.is_working_day(saturday_morning_beijing)


# --- working-day periods ----------------------------------------------------------------


def test_start_day_is_not_counted() -> None:
    """[民法典 第201条] 开始的当日不计入: 周五起算 1 个工作日是下周一."""
    assert CALENDAR.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_working_days_skip_holidays() -> None:
    """[domain-brief §8] 工作日期间跳过法定节假日."""
    # 09-30 (Wed) -> 10-01..10-07 off -> 10-08 (Thu) is the first working day.
    assert CALENDAR.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_working_days_count_make_up_days() -> None:
    """[domain-brief §8] 调休上班日计入工作日期间."""
    assert CALENDAR.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)  # Saturday


def test_working_days_between_counts_the_end_day_not_the_start_day() -> None:
    """[民法典 第201条] 开始的当日不计入, 最后一日计入."""
    assert CALENDAR.working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert CALENDAR.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CALENDAR.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0


@pytest.mark.parametrize("n", [0, -1, MAX_PERIOD + 1, 10**30])
@pytest.mark.parametrize("method", ["add_working_days", "add_days", "add_months"])
def test_period_must_be_at_least_one_and_at_most_ten_years(method: str, n: int) -> None:
    """[domain-brief §8] 期间至少为一日或一个月, 至多 3660, 否则报错."""
    with pytest.raises(InvalidPeriod):
        getattr(CALENDAR, method)(date(2026, 3, 6), n)


@pytest.mark.parametrize("method", ["add_working_days", "add_days", "add_months"])
def test_a_period_past_the_last_date_is_refused_clearly(method: str) -> None:
    """[issue 11 item 2] 超出 9999-12-31 的期限: InvalidInput, 不是 OverflowError."""
    end_of_time = CALENDAR.with_weekend_fallback()
    with pytest.raises(DateOutOfRange):
        getattr(end_of_time, method)(date(9999, 12, 20), 30)


# --- natural-day and month periods ------------------------------------------------------


def test_day_period_ending_on_a_working_day_ends_that_day() -> None:
    """[民法典 第201条] 按日计算期间, 开始的当日不计入, 自下一日开始计算."""
    assert CALENDAR.add_days(date(2026, 3, 2), 3) == date(2026, 3, 5)


def test_day_period_ending_on_a_holiday_ends_on_the_next_working_day() -> None:
    """[民法典 第203条] 期间的最后一日是法定休假日的, 以休假日结束的次日为最后一日."""
    # 09-21 + 10 days = 10-01, a holiday; the holiday ends 10-07, so the period ends 10-08.
    assert CALENDAR.add_days(date(2026, 9, 21), 10) == date(2026, 10, 8)


def test_day_period_ending_on_a_weekend_ends_on_monday() -> None:
    """[民法典 第203条] 最后一日是休息日的, 顺延至休息日结束的次日."""
    assert CALENDAR.add_days(date(2026, 3, 4), 3) == date(2026, 3, 9)


def test_day_period_ending_on_a_make_up_day_is_not_extended() -> None:
    """[民法典 第203条] 调休上班日不是休假日, 期间不顺延."""
    assert CALENDAR.add_days(date(2026, 2, 21), 7) == date(2026, 2, 28)  # Saturday, working


def test_month_period_ends_on_the_corresponding_day() -> None:
    """[民法典 第202条] 按月计算期间的, 到期月的对应日为期间的最后一日."""
    assert CALENDAR.add_months(date(2026, 3, 16), 1) == date(2026, 4, 16)


def test_month_period_without_a_corresponding_day_ends_on_the_last_day_of_the_month() -> None:
    """[民法典 第202条] 没有对应日的, 月末日为期间的最后一日."""
    assert CALENDAR.add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)


def test_month_period_ending_on_a_holiday_is_extended() -> None:
    """[民法典 第202条, 第203条] 到期日是法定休假日的, 顺延至休假日结束的次日."""
    # 08-25 + 1 month = 09-25, Mid-Autumn holiday through 09-27 (Sunday) -> 09-28.
    assert CALENDAR.add_months(date(2026, 8, 25), 1) == date(2026, 9, 28)


# --- years without data -----------------------------------------------------------------


def test_year_without_data_is_refused_saying_how_to_fix_it() -> None:
    """[domain-brief §8] 没有当年数据时明确报错, 不静默猜测."""
    with pytest.raises(CalendarDataMissing) as refused:
        CALENDAR.is_working_day(date(2027, 3, 1))
    assert isinstance(refused.value, InvalidInput)
    assert refused.value.details == {"year": 2027, "calendar": "测试"}
    assert "国务院办公厅关于2027年部分节假日安排的通知" in str(refused.value)
    assert "weekend_fallback" in str(refused.value)


def test_period_running_into_a_year_without_data_is_refused() -> None:
    """[domain-brief §8] 期间跨入没有数据的年份时同样报错."""
    with pytest.raises(CalendarDataMissing):
        CALENDAR.add_working_days(date(2026, 12, 30), 5)


def test_weekend_fallback_counts_only_weekends_when_chosen() -> None:
    """[domain-brief §8] 明确选择按周末计算后, 无数据年份只休周六、周日."""
    fallback = CALENDAR.with_weekend_fallback()
    assert fallback.weekend_fallback and not CALENDAR.weekend_fallback
    assert fallback.is_working_day(date(2027, 1, 1))  # Friday; no holiday data for 2027
    assert not fallback.is_working_day(date(2027, 1, 2))  # Saturday
    assert not fallback.is_working_day(date(2026, 10, 1))  # years with data keep their data
    assert WorkingCalendar("仅周末", weekend_fallback=True).add_working_days(
        date(2027, 1, 1), 1
    ) == date(2027, 1, 4)


# --- the data ---------------------------------------------------------------------------


def test_years_lists_the_loaded_years_in_order() -> None:
    """[domain-brief §8] 日历按年载入数据."""
    table_2025 = CalendarYear(2025, set(), set(), source="测试", version="test-1")
    assert CALENDAR.with_year(table_2025).years() == (2025, 2026)
    assert CALENDAR.years() == (2026,)


def test_a_day_cannot_be_both_off_and_working() -> None:
    """[domain-brief §8] 同一天不能既放假又调休上班."""
    with pytest.raises(InvalidCalendarData):
        CalendarYear(2026, {date(2026, 10, 10)}, {date(2026, 10, 10)}, source="测试", version="1")


def test_a_year_table_holds_only_dates_of_that_year() -> None:
    """[domain-brief §8] 年度安排只含当年的日期."""
    with pytest.raises(InvalidCalendarData):
        CalendarYear(2026, {date(2027, 1, 1)}, set(), source="测试", version="1")
    with pytest.raises(InvalidCalendarData):
        WorkingCalendar("测试", {2027: TABLE_2026})


def test_a_year_table_names_its_source_and_version() -> None:
    """[domain-brief §8] 日历数据须注明来源 (当年国务院通知) 和版本."""
    with pytest.raises(InvalidCalendarData):
        CalendarYear(2026, set(), set(), source=" ", version="1")


def test_local_override_adds_a_local_holiday() -> None:
    """[全国年节及纪念日放假办法 第4条] 地方可在全国安排之外增加本地节日放假."""
    local = CALENDAR.overridden(
        year=2026,
        holidays={date(2026, 3, 4)},
        source="某自治区人民政府关于2026年本地节日放假的通知",
        name="某自治区",
    )
    assert not local.is_working_day(date(2026, 3, 4))
    assert CALENDAR.is_working_day(date(2026, 3, 4))  # the national calendar is unchanged
    assert local.name == "某自治区"
    assert local.calendar_years[2026].source.endswith(
        "某自治区人民政府关于2026年本地节日放假的通知"
    )
    assert local.calendar_years[2026].version == "test-1+某自治区"


def test_local_override_wins_over_the_national_table() -> None:
    """[domain-brief §8] 地方调整优先于全国安排."""
    local = CALENDAR.overridden(year=2026, workdays={date(2026, 10, 3)}, source="地方通知")
    assert local.is_working_day(date(2026, 10, 3))
