"""节假日安排通知: reading a year's notice in the holiday-cn format, refusing a malformed or
self-contradicting one, and laying loaded notices over the packaged calendar (ADR 0028).

The 2027 notice used here is a test fixture with plausible dates, not the State Council's
(see ``tests/calendar_notices.py``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pendulum
import pytest

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.domain.calendar import InvalidCalendarData
from govoffice.domain.calendar_notice import (
    DayBothOffAndWorking,
    DuplicateNoticeDay,
    EmptyCalendarNotice,
    HolidayNotice,
    InvalidCalendarNotice,
    LoadedNotice,
    MakeUpDayOnWeekday,
    MalformedCalendarNotice,
    MissingHoliday,
    NoticeDayOutsideYear,
    NoticeWithoutSource,
    NoticeYearOutOfRange,
    UnknownHolidayName,
    calendar_in_force,
    holidays_named,
)
from govoffice.domain.errors import InvalidInput
from govoffice.domain.values import PersonId
from tests.calendar_notices import (
    corrected_2027,
    fixture_2027,
    holiday_cn_from_packaged,
)

AT = pendulum.datetime(2026, 12, 1, 10, tz="Asia/Shanghai")
CHINA = china_calendar()


def loaded(data: dict[str, Any], version: int = 1) -> LoadedNotice:
    return LoadedNotice(HolidayNotice.from_holiday_cn(data), version, PersonId("admin"), AT)


def with_day(data: dict[str, Any], name: str, day: str, off: bool) -> dict[str, Any]:
    data["days"].append({"name": name, "date": day, "isOffDay": off})
    return data


# --- reading the holiday-cn format ------------------------------------------------------------


def test_a_notice_reads_its_days_off_make_up_days_and_papers() -> None:
    """[国务院办公厅关于部分节假日安排的通知] 放假日与调休上班日, 注明所据文件."""
    notice = HolidayNotice.from_holiday_cn(fixture_2027())
    assert notice.year == 2027
    assert date(2027, 2, 5) in notice.days_off() and date(2027, 2, 13) in notice.days_off()
    assert notice.working_days() == {
        date(2027, 1, 31),
        date(2027, 2, 20),
        date(2027, 5, 8),
        date(2027, 9, 26),
        date(2027, 10, 9),
    }
    assert notice.papers == ("https://www.gov.cn/test-fixture/not-the-real-2027-notice.htm",)
    assert notice.source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert notice.names()[date(2027, 10, 9)] == "国庆节"


def test_the_same_notice_has_the_same_digest_whatever_the_order_of_its_days() -> None:
    """[ADR 0028] 同一通知重复载入可识别 (digest of the content, not of the file)."""
    data = fixture_2027()
    shuffled = fixture_2027()
    shuffled["days"].reverse()
    assert HolidayNotice.from_holiday_cn(data) == HolidayNotice.from_holiday_cn(shuffled)
    other = HolidayNotice.from_holiday_cn(data, source="国办发明电〔2026〕9号")
    assert other.digest != HolidayNotice.from_holiday_cn(data).digest


@pytest.mark.parametrize(
    ("name", "stands_for"),
    [
        ("元旦", {"元旦"}),
        ("“五一”", {"劳动节"}),
        ("“十一”", {"国庆节"}),
        ("“五一”国际劳动节", {"劳动节"}),
        ("中秋节、国庆节", {"中秋节", "国庆节"}),
        ("国庆节、中秋节", {"中秋节", "国庆节"}),
        ("清明", {"清明节"}),
        (
            "抗日战争暨世界反法西斯战争胜利70周年纪念日",
            {"抗日战争暨世界反法西斯战争胜利70周年纪念日"},
        ),
    ],
)
def test_holiday_names_as_the_notices_and_holiday_cn_write_them(
    name: str, stands_for: set[str]
) -> None:
    """[全国年节及纪念日放假办法 第2条] 节日名称按通知的写法识别 (holiday-cn 2007-2026 files)."""
    assert holidays_named(name) == stands_for


@pytest.mark.parametrize("name", ["春结", "圣诞节", "纪念日", "", "元旦、"])
def test_names_that_are_not_holidays_are_not_recognised(name: str) -> None:
    """[全国年节及纪念日放假办法 第2条] 不认识的节日名称不能当作节日."""
    assert holidays_named(name) is None


def test_the_new_year_holiday_may_begin_in_late_december_of_the_year_before() -> None:
    """[国务院办公厅关于2019年部分节假日安排的通知] 2018年12月30日至2019年1月1日放假, 12月29日上班."""
    notice = HolidayNotice.from_holiday_cn(corrected_2027())
    assert date(2026, 12, 31) in notice.days_off()
    assert date(2026, 12, 26) in notice.working_days()


def test_every_packaged_year_written_as_a_notice_is_accepted_and_counts_the_same() -> None:
    """[ADR 0028] 2004-2026 年各年安排(按 holiday-cn 格式写出)均可载入, 工作日与随软件数据一致."""
    notices = [loaded(holiday_cn_from_packaged(year)) for year in range(2004, 2027)]
    in_force = calendar_in_force(CHINA, notices)
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert in_force.is_working_day(day) == CHINA.is_working_day(day), day
        day += timedelta(days=1)
    assert {table.version.split("+")[0][:11] for table in in_force.calendar_years.values()} == {
        "notice-2004",
        *{f"notice-{y}" for y in range(2005, 2027)},
    }


# --- refusals: malformed --------------------------------------------------------------------


def _drop(key: str) -> Any:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        del data[key]
        return data

    return change


def _set(key: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data[key] = value
        return data

    return change


def _set_day(field: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["days"][0][field] = value
        return data

    return change


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (_drop("days"), "days"),
        (_drop("papers"), "papers"),
        (_drop("year"), "year"),
        (_set("year", "2027"), "year"),
        (_set("year", 2027.0), "year"),
        (_set("year", True), "year"),
        (_set("days", {"2027-01-01": True}), "days"),
        (_set("papers", "https://www.gov.cn/x.htm"), "papers"),
        (_set("papers", [7]), "papers[0]"),
        (_set("comment", "x"), "comment"),
        (_set_day("isOffDay", "true"), "days[0].isOffDay"),
        (_set_day("isOffDay", 1), "days[0].isOffDay"),
        (_set_day("date", "2027/01/01"), "days[0].date"),
        (_set_day("date", "20270101"), "days[0].date"),
        (_set_day("date", "2027-02-30"), "days[0].date"),
        (_set_day("date", None), "days[0].date"),
        (_set_day("name", 5), "days[0].name"),
        (_set_day("name", "  "), "days[0].name"),
        (_set_day("note", "x"), "days[0]"),
        (_set("days", ["2027-01-01"]), "days[0]"),
    ],
)
def test_a_malformed_notice_is_refused_naming_the_field(change: Any, where: str) -> None:
    """[ADR 0028] 格式错误的通知文件拒绝载入, 并指出哪个字段."""
    with pytest.raises(MalformedCalendarNotice) as refused:
        HolidayNotice.from_holiday_cn(change(fixture_2027()))
    assert refused.value.where == where
    assert isinstance(refused.value, InvalidInput)


@pytest.mark.parametrize("data", [None, [], "2027", 2027])
def test_a_notice_that_is_not_an_object_is_refused(data: object) -> None:
    """[ADR 0028] 通知须为 {year, papers, days} 对象."""
    with pytest.raises(MalformedCalendarNotice):
        HolidayNotice.from_holiday_cn(data)


@pytest.mark.parametrize("year", [1949, 10000, -1])
def test_a_year_no_notice_is_for_is_refused(year: int) -> None:
    """[ADR 0028] 年份须在 1950-9999 之间."""
    with pytest.raises(NoticeYearOutOfRange):
        HolidayNotice.from_holiday_cn(_set("year", year)(fixture_2027()))


# --- refusals: self-contradicting -------------------------------------------------------------


def test_a_day_both_off_and_working_is_refused() -> None:
    """[国务院办公厅关于部分节假日安排的通知] 同一天不能既放假又上班."""
    data = with_day(fixture_2027(), "国庆节", "2027-10-02", False)
    with pytest.raises(DayBothOffAndWorking) as refused:
        HolidayNotice.from_holiday_cn(data)
    assert refused.value.days == (date(2027, 10, 2),)


def test_a_day_listed_twice_is_refused() -> None:
    """[ADR 0028] 同一天不能列两次."""
    data = with_day(fixture_2027(), "元旦", "2027-01-01", True)
    with pytest.raises(DuplicateNoticeDay):
        HolidayNotice.from_holiday_cn(data)


def test_a_make_up_working_day_on_a_weekday_is_refused() -> None:
    """[全国年节及纪念日放假办法 第7条] 调休上班是把周末调为工作日: 周一至周五的"调休上班"自相矛盾."""
    data = with_day(fixture_2027(), "国庆节", "2027-10-08", False)  # a Friday
    with pytest.raises(MakeUpDayOnWeekday) as refused:
        HolidayNotice.from_holiday_cn(data)
    assert refused.value.days == (date(2027, 10, 8),)
    assert "2020-02-03" in str(refused.value)  # holiday-cn's 2020 file has one: say what to do


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("春节", "2028-01-01"),  # the next year
        ("春节", "2026-12-31"),  # late December, but not the New Year holiday
        ("元旦", "2026-12-10"),  # the New Year holiday, but not late December
        ("元旦", "2025-12-31"),  # two years before
    ],
)
def test_a_day_outside_the_notices_year_is_refused(name: str, day: str) -> None:
    """[ADR 0028] 日期须在通知年份内, 只有元旦假期可从上年12月下旬开始."""
    data = with_day(fixture_2027(), name, day, True)
    with pytest.raises(NoticeDayOutsideYear) as refused:
        HolidayNotice.from_holiday_cn(data)
    assert refused.value.days == (date.fromisoformat(day),)


def test_an_unknown_holiday_name_is_refused() -> None:
    """[全国年节及纪念日放假办法 第2条] 节日名称须为法定节日 (或通知所定的纪念日)."""
    data = fixture_2027()
    data["days"][0]["name"] = "元蛋"
    with pytest.raises(UnknownHolidayName) as refused:
        HolidayNotice.from_holiday_cn(data)
    assert refused.value.names == ("元蛋",)


def test_a_notice_that_leaves_out_a_statutory_holiday_is_refused() -> None:
    """[全国年节及纪念日放假办法 第2条] 年度通知安排全部法定节日; 少了端午节说明文件不完整."""
    data = fixture_2027()
    data["days"] = [d for d in data["days"] if d["name"] != "端午节"]
    with pytest.raises(MissingHoliday) as refused:
        HolidayNotice.from_holiday_cn(data)
    assert refused.value.names == ("端午节",)


def test_holiday_cns_empty_placeholder_is_refused() -> None:
    """[ADR 0028] holiday-cn 在通知发布前的空文件 (days: []) 不能当作全年无节假日."""
    with pytest.raises(EmptyCalendarNotice):
        HolidayNotice.from_holiday_cn({"year": 2027, "papers": [], "days": []})


def test_a_notice_without_a_paper_needs_a_source() -> None:
    """[domain-brief §8] 日历数据须注明来源: papers 为空时须给出 source."""
    data = _set("papers", [])(fixture_2027())
    with pytest.raises(NoticeWithoutSource):
        HolidayNotice.from_holiday_cn(data)
    notice = HolidayNotice.from_holiday_cn(data, source="国办发明电〔2026〕9号")
    assert notice.source == "国办发明电〔2026〕9号" and notice.papers == ()


def test_every_refusal_is_an_invalid_calendar_notice() -> None:
    """[ADR 0028] 各种拒绝都是 InvalidCalendarNotice (InvalidCalendarData, InvalidInput)."""
    for cls in (
        MalformedCalendarNotice,
        EmptyCalendarNotice,
        NoticeYearOutOfRange,
        NoticeDayOutsideYear,
        DayBothOffAndWorking,
        DuplicateNoticeDay,
        MakeUpDayOnWeekday,
        UnknownHolidayName,
        MissingHoliday,
        NoticeWithoutSource,
    ):
        assert issubclass(cls, InvalidCalendarNotice)
        assert issubclass(cls, InvalidCalendarData)


# --- the calendar in force ----------------------------------------------------------------------


def test_a_loaded_notice_gives_the_year_the_packaged_data_lacks() -> None:
    """[民法典 第201条] 2026-12-30 起 3 个工作日: 12-31, (元旦 1-1 放假, 周末), 1-4, 1-5."""
    in_force = calendar_in_force(CHINA, [loaded(fixture_2027())])
    assert in_force.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
    assert in_force.is_working_day(date(2027, 2, 20))  # a make-up Saturday
    assert not in_force.is_working_day(date(2027, 2, 9))  # 春节, a Tuesday
    assert CHINA.years()[-1] == 2026  # the packaged calendar is unchanged


def test_a_loaded_notice_wins_over_the_packaged_data_for_its_year() -> None:
    """[ADR 0028] 载入的通知优先于随软件提供的同年数据."""
    data = holiday_cn_from_packaged(2026)
    data["days"] = [d for d in data["days"] if d["date"] != "2026-10-10"]  # drop a make-up day
    in_force = calendar_in_force(CHINA, [loaded(data)])
    assert CHINA.is_working_day(date(2026, 10, 10))
    assert not in_force.is_working_day(date(2026, 10, 10))  # an ordinary Saturday again
    assert in_force.calendar_years[2026].version.startswith("notice-2026-v1-")


def test_the_next_years_notice_governs_late_december() -> None:
    """[国务院办公厅关于2019年部分节假日安排的通知] 12月下旬的元旦假期由次年通知安排."""
    in_force = calendar_in_force(CHINA, [loaded(corrected_2027(), version=2)])
    assert not in_force.is_working_day(date(2026, 12, 31))  # Thursday, off
    assert in_force.is_working_day(date(2026, 12, 26))  # Saturday, made up
    table_2026 = in_force.calendar_years[2026]
    assert (
        table_2026.version.startswith("chinesecalendar-")
        and "+notice-2027-v2-" in table_2026.version
    )
    assert "12月下旬" in table_2026.source
    assert table_2026.names[date(2026, 12, 31)] == "元旦"
    assert in_force.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 5)


def test_a_notice_without_late_december_days_clears_the_packaged_ones() -> None:
    """[国务院办公厅关于2019年部分节假日安排的通知] 12月下旬只按次年通知: 通知未列的日子不放假."""
    data = holiday_cn_from_packaged(2019)
    data["days"] = [d for d in data["days"] if not d["date"].startswith("2018-12")]
    in_force = calendar_in_force(CHINA, [loaded(data)])
    assert not CHINA.is_working_day(date(2018, 12, 31))  # Monday, off in the packaged data
    assert in_force.is_working_day(date(2018, 12, 31))
    assert in_force.is_working_day(date(2018, 12, 20)) == CHINA.is_working_day(date(2018, 12, 20))


def test_the_deadline_names_the_tables_it_was_counted_on() -> None:
    """[domain-brief §8] 每个期限可说明所用日历版本与来源."""
    in_force = calendar_in_force(CHINA, [loaded(fixture_2027())])
    deadline = in_force.deadline(date(2026, 12, 30), 3)
    assert deadline.due == date(2027, 1, 5)
    assert [b.year for b in deadline.basis] == [2026, 2027]
    assert deadline.basis[1].version.startswith("notice-2027-v1-")
    assert "国务院办公厅关于2027年部分节假日安排的通知" in deadline.basis[1].source
    assert "notice-2027-v1-" in deadline.describe()
    within_2026 = in_force.deadline(date(2026, 3, 2), 2, "days")
    assert [b.year for b in within_2026.basis] == [2026]
