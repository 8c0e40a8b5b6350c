"""Holiday notices in the holiday-cn format, for the calendar tests (ADR 0028).

``tests/fixtures/calendar/2027-test-fixture.json`` is a TEST FIXTURE, not the State Council's
2027 notice: that notice was not available when it was written (holiday-cn's 2027.json was
still empty). Its dates are plausible under the 2025 rules (元旦 1 day, 春节 4, 劳动节 2,
国庆节 3, the rest 1, with weekend make-up days): 2027-01-01 (Friday) off with no make-up day,
so three working days from 2026-12-30 end on 2027-01-05 (2027-01-04 with weekends only).
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from govoffice.adapters.calendar_cn import china_calendar

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "calendar"
FIXTURE_2027 = FIXTURES / "2027-test-fixture.json"


def fixture_2027() -> dict[str, Any]:
    """The 2027 test fixture as parsed JSON (a fresh copy each time)."""
    data: dict[str, Any] = json.loads(FIXTURE_2027.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def corrected_2027() -> dict[str, Any]:
    """A made-up correction of the fixture: the New Year holiday from Thursday 2026-12-31 to
    2027-01-03, made up on Saturday 2026-12-26 (the last ten days of December belong to the
    2027 notice)."""
    data = fixture_2027()
    data["days"] = [
        {"name": "元旦", "date": "2026-12-26", "isOffDay": False},
        {"name": "元旦", "date": "2026-12-31", "isOffDay": True},
        *data["days"],
    ]
    return data


def minimal_notice(year: int) -> dict[str, Any]:
    """A small valid notice for any year: one day off for each statutory holiday."""
    days = [
        ("元旦", date(year, 1, 1)),
        ("春节", date(year, 2, 10)),
        ("清明节", date(year, 4, 5)),
        ("劳动节", date(year, 5, 1)),
        ("端午节", date(year, 6, 1)),
        ("中秋节", date(year, 9, 10)),
        ("国庆节", date(year, 10, 1)),
    ]
    return {
        "year": year,
        "papers": [f"https://www.gov.cn/test-fixture/{year}.htm"],
        "days": [{"name": n, "date": d.isoformat(), "isOffDay": True} for n, d in days],
    }


def write(directory: Path, data: object, name: str = "notice.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def holiday_cn_from_packaged(year: int) -> dict[str, Any]:
    """The packaged (chinesecalendar) arrangement of ``year`` written as holiday-cn writes a
    notice: filed under the year of its title, so late-December days go to the next year."""
    tables = china_calendar().calendar_years
    days: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for table in (tables.get(year - 1), tables.get(year)):
        if table is None:
            continue
        for day in sorted(table.holidays | table.workdays):
            filed = day.year + 1 if (day.month, day.day) >= (12, 21) else day.year
            entry = {
                "name": table.names[day],
                "date": day.isoformat(),
                "isOffDay": day in table.holidays,
            }
            days[filed].append(entry)
    return {
        "year": year,
        "papers": [f"国务院办公厅关于{year}年部分节假日安排的通知 (via chinesecalendar)"],
        "days": days[year],
    }
