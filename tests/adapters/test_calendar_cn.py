"""全国工作日历 on real dates, through the chinesecalendar data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.domain.calendar import CalendarDataMissing

CHINA = china_calendar()
MAKE_UP_DAYS_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]


@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026)
def test_2026_make_up_weekend_days_are_working_days(day: date) -> None:
    """[国务院办公厅关于2026年部分节假日安排的通知] 调休上班的周末是工作日."""
    assert day.weekday() >= 5
    assert CHINA.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 2, 15) + timedelta(days=i) for i in range(9)])
def test_2026_spring_festival_week_is_off(day: date) -> None:
    """[国务院办公厅关于2026年部分节假日安排的通知] 春节 2月15日至23日放假."""
    assert not CHINA.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 10, 1) + timedelta(days=i) for i in range(7)])
def test_2026_national_day_week_is_off(day: date) -> None:
    """[国务院办公厅关于2026年部分节假日安排的通知] 国庆节 10月1日至7日放假."""
    assert not CHINA.is_working_day(day)


def test_ten_working_days_from_2026_09_25() -> None:
    """[民法典 第201条; 2026年节假日安排] 9月25日 (中秋) 起 10 个工作日."""
    # 09-25 start, not counted; 09-26/27 中秋 off; 09-28 (1), 09-29 (2), 09-30 (3);
    # 10-01..10-07 国庆 off; 10-08 (4), 10-09 (5), 10-10 Sat 调休上班 (6); 10-11 Sun off;
    # 10-12 (7), 10-13 (8), 10-14 (9), 10-15 (10).
    assert CHINA.add_working_days(date(2026, 9, 25), 10) == date(2026, 10, 15)


def test_day_period_ending_in_the_national_day_holiday_ends_after_it() -> None:
    """[民法典 第203条] 期间最后一日是法定休假日的, 以休假日结束的次日为最后一日."""
    # 09-21 + 10 days = 10-01, in the 10-01..10-07 holiday.
    assert CHINA.add_days(date(2026, 9, 21), 10) == date(2026, 10, 8)


def test_month_period_without_a_corresponding_day_ends_on_the_last_day() -> None:
    """[民法典 第202条] 没有对应日的, 月末日为期间的最后一日 (2月28日为调休上班日, 不顺延)."""
    assert CHINA.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_month_period_ending_in_the_spring_festival_ends_after_it() -> None:
    """[民法典 第202条, 第203条] 到期日 2月15日在春节假期内, 顺延至2月24日."""
    assert CHINA.add_months(date(2026, 1, 15), 1) == date(2026, 2, 24)


def test_2027_without_data_is_refused_clearly() -> None:
    """[domain-brief §8] 2027 年安排尚未载入时明确报错, 不静默猜测."""
    with pytest.raises(CalendarDataMissing, match="2027") as refused:
        CHINA.is_working_day(date(2027, 3, 1))
    assert "国务院办公厅关于2027年部分节假日安排的通知" in str(refused.value)
    assert "weekend_fallback" in str(refused.value)


def test_2027_counts_weekends_only_with_the_explicit_fallback() -> None:
    """[domain-brief §8] 明确选择按周末计算后, 2027 年只休周六、周日."""
    fallback = china_calendar(weekend_fallback=True)
    assert fallback.is_working_day(date(2027, 3, 1))  # Monday
    assert not fallback.is_working_day(date(2027, 3, 6))  # Saturday
    assert fallback.add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 8)


def test_each_year_names_its_notice_and_data_version() -> None:
    """[domain-brief §8] 日历数据注明来源 (当年国务院通知) 和版本."""
    table = CHINA.calendar_years[2026]
    assert "国务院办公厅关于2026年部分节假日安排的通知" in table.source
    assert table.version.startswith("chinesecalendar-")
    assert table.version in table.source
    assert CHINA.years()[0] == 2004 and CHINA.years()[-1] >= 2026


def test_late_december_days_cite_the_next_years_notice() -> None:
    """[国务院办公厅关于2019年部分节假日安排的通知] 2018年12月30日至31日元旦放假."""
    assert "国务院办公厅关于2019年部分节假日安排的通知" in CHINA.calendar_years[2018].source


def test_the_calendar_is_built_once() -> None:
    """[domain-brief §8] 全国工作日历不可变, 只构建一次."""
    assert china_calendar() is CHINA


# --- properties on the real data --------------------------------------------------------

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30))
periods = st.integers(min_value=1, max_value=20)


@given(starts, periods)
def test_a_working_day_period_ends_on_a_working_day_after_the_start(start: date, n: int) -> None:
    """[民法典 第201条] N 个工作日期间的最后一日是开始日之后的工作日."""
    end = CHINA.add_working_days(start, n)
    assert CHINA.is_working_day(end)
    assert end > start


@given(starts, periods)
def test_a_longer_working_day_period_ends_later(start: date, n: int) -> None:
    """[民法典 第201条] 工作日期间越长, 到期日越晚."""
    assert CHINA.add_working_days(start, n) < CHINA.add_working_days(start, n + 1)


@given(starts, periods)
def test_counting_back_the_working_days_gives_the_period(start: date, n: int) -> None:
    """[民法典 第201条] 开始日 (不计) 到到期日 (计入) 之间恰有 N 个工作日."""
    assert CHINA.working_days_between(start, CHINA.add_working_days(start, n)) == n
