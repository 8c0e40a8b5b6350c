"""全国工作日历 the default working-day calendar for mainland China, seeded from chinesecalendar.

The ``chinesecalendar`` package transcribes each year's State Council holiday notice
(2004-2026 in version 1.11). Only its dates (and the holiday each date belongs to, for
display) are used: ``holidays`` holds every day off for a holiday, weekends included, and
``workdays`` the make-up working days (调休上班). A year the package does not have yet is
loaded by the office from the published notice (ADR 0028).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

import chinese_calendar

from govoffice.domain.calendar import CalendarYear, WorkingCalendar

NAME = "中国大陆"

# The package's short names, as the notices write them.
_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}

# Notices that changed a year's arrangement after the annual one.
_LATER_NOTICES = {
    2015: "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知"
    "(国发明电〔2015〕1号)",
    2020: "国务院办公厅关于延长2020年春节假期的通知(国办发明电〔2020〕1号)",
}


def _annual_notice(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def _name(english: str) -> str:
    try:
        chinese = str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english
    return _NAMES.get(chinese, chinese)


def _source(year: int, days: set[date], package: str) -> str:
    notices = [_annual_notice(year)]
    if year in _LATER_NOTICES:
        notices.append(_LATER_NOTICES[year])
    # Days off and make-up days at the end of December belong to the next New Year's
    # Day holiday, so the next year's notice sets them.
    if any(d.month == 12 for d in days):
        notices.append(_annual_notice(year + 1))
    return f"{'; '.join(notices)} (via {package})"


def _data_version() -> str:
    """The chinesecalendar data's version: the package's own ``__version__`` (reading the
    installed metadata instead imports ``importlib.metadata``, about a tenth of a second
    on every command that opens an office)."""
    found = getattr(chinese_calendar, "__version__", None)
    if isinstance(found, str) and found:
        return found
    from importlib.metadata import version

    return version("chinesecalendar")


@cache
def china_calendar(*, weekend_fallback: bool = False) -> WorkingCalendar:
    """全国工作日历 mainland China's statutory calendar, one table per year of data.

    Cached: the calendar is immutable. ``weekend_fallback=True`` counts weekends only for
    years the data does not cover, instead of refusing them.
    """
    package = f"chinesecalendar-{_data_version()}"
    holidays: dict[int, set[date]] = defaultdict(set)
    workdays: dict[int, set[date]] = defaultdict(set)
    names: dict[int, dict[date, str]] = defaultdict(dict)
    for days, dates in (
        (holidays, chinese_calendar.holidays),
        (workdays, chinese_calendar.workdays),
    ):
        for day, english in dates.items():
            days[day.year].add(day)
            names[day.year][day] = _name(english)
    tables = {
        year: CalendarYear(
            year,
            holidays=holidays[year],
            workdays=workdays[year],
            source=_source(year, holidays[year] | workdays[year], package),
            version=package,
            names=names[year],
        )
        for year in sorted(holidays.keys() | workdays.keys())
    }
    return WorkingCalendar(NAME, tables, weekend_fallback=weekend_fallback)
