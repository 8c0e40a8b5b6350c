"""节假日安排通知 a year's holiday notice as the office loads it, and the register of them.

Each autumn the General Office of the State Council publishes 国务院办公厅关于YYYY年部分
节假日安排的通知: the days off (放假) and the make-up working days (调休上班) of the next
year. The packaged data (chinesecalendar) follows weeks or months later, so an office loads
the notice itself (ADR 0028):

- :class:`HolidayNotice` is one year's arrangement as published, read from the holiday-cn
  JSON format (``{"year", "papers", "days": [{"name", "date", "isOffDay"}]}``) and refused,
  with the reason as a named error, when it is malformed or contradicts itself;
- :class:`CalendarRegister` records every notice an office loaded for one jurisdiction:
  each year's versions, with who loaded them and when;
- :func:`calendar_in_force` lays the latest version of each year over the base calendar. A
  notice for year Y governs Y and the last ten days of December of Y-1, where the New Year
  holiday may begin (holiday-cn files a notice under the year of its title, so a 2023 file
  lists 2022-12-31).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.calendar import CalendarYear, InvalidCalendarData, WorkingCalendar
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import PersonId, text, value_object

REGISTER_NAMESPACE = uuid.UUID("6f1c2a8e-3b57-4d0e-9c41-8a2e5d7b9f13")

STATUTORY_HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
"""全国年节及纪念日放假办法 第2条: the holidays of every citizen since 2008."""
HOLIDAYS_BEFORE_2008 = ("元旦", "春节", "劳动节", "国庆节")
"""Before the 2007 revision (清明, 端午 and 中秋 became holidays in 2008)."""
_ALIASES = {
    "清明": "清明节",
    "五一": "劳动节",
    "国际劳动节": "劳动节",
    "五一劳动节": "劳动节",
    "五一国际劳动节": "劳动节",
    "端午": "端午节",
    "中秋": "中秋节",
    "十一": "国庆节",
    "国庆": "国庆节",
}
_COMMEMORATION = "纪念日"
"""A one-off day off for a commemoration, by a separate notice (e.g. 2015-09-03, 国发明电
〔2015〕1号: 中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日)."""
_DECORATION = re.compile(r"[\s“”\"‘’'「」『』]")
_SEPARATOR = re.compile(r"[、,，/及和与]")

LATE_DECEMBER = 21
"""The New Year holiday of year Y may begin in December of Y-1 (下旬: from the 21st)."""
YEARS_AHEAD = 1
"""A notice is published in the autumn before its year: one for a year further ahead of
the agency's current year is a typing error, refused."""
FIRST_YEAR, LAST_YEAR = 1950, 9999

MAX_DAYS = 400
MAX_PAPERS = 20
MAX_TEXT = 500
MAX_NAME = 60
MAX_URL = 2000
_TOP_LEVEL = {"year", "papers", "days"}
_IGNORED = {"$schema", "$id"}
_DAY_KEYS = {"name", "date", "isOffDay"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- refusals ----------------------------------------------------------------------------


class InvalidCalendarNotice(InvalidCalendarData):
    """A holiday notice the office cannot load; each subclass names the reason. Nothing of
    the notice is recorded."""


class MalformedCalendarNotice(InvalidCalendarNotice):
    """The file is not a holiday-cn notice: unreadable, not JSON, a field missing or of the
    wrong type (``where`` names it, e.g. ``days[3].isOffDay``)."""

    def __init__(self, year: object, where: str, problem: str) -> None:
        super().__init__(year, f"格式错误 {where}: {problem} (malformed notice)")
        self.where = where
        self.details["where"] = where


class EmptyCalendarNotice(InvalidCalendarNotice):
    """No day listed: holiday-cn publishes an empty file for a year whose notice is not out."""

    def __init__(self, year: object) -> None:
        super().__init__(
            year,
            "通知没有列出任何日期,可能尚未发布 (the notice lists no days; holiday-cn keeps an "
            "empty file until the State Council publishes it)",
        )


class NoticeYearOutOfRange(InvalidCalendarNotice):
    """A year no notice can be for: before 1950, after 9999, or further ahead of the
    agency's current year than a notice is ever published."""

    def __init__(self, year: object, reason: str) -> None:
        super().__init__(year, f"年份不能载入: {reason} (year out of range)")


class NoticeDayOutsideYear(InvalidCalendarNotice):
    def __init__(self, year: int, days: Iterable[date]) -> None:
        super().__init__(
            year,
            "日期不在通知的年份内 (只有元旦假期可以从上年12月下旬开始) "
            "(dates outside the notice's year; only the New Year holiday may begin in late "
            "December of the year before)",
            days,
        )


class DayBothOffAndWorking(InvalidCalendarNotice):
    def __init__(self, year: int, days: Iterable[date]) -> None:
        super().__init__(
            year, "同一天既放假又上班 (a day listed both as a day off and as a working day)", days
        )


class DuplicateNoticeDay(InvalidCalendarNotice):
    def __init__(self, year: int, days: Iterable[date]) -> None:
        super().__init__(year, "同一天列了不止一次 (a day listed more than once)", days)


class MakeUpDayOnWeekday(InvalidCalendarNotice):
    """调休上班 moves a weekend to a working day: one on Monday to Friday is a working day
    anyway, so the notice (or its transcription) is wrong."""

    def __init__(self, year: int, days: Iterable[date]) -> None:
        super().__init__(
            year,
            "调休上班日须为周六或周日;若该行只是标明假期结束后恢复上班 (如 holiday-cn 2020 年"
            "文件的 2020-02-03),请删去 (a make-up working day must fall on a Saturday or "
            "Sunday; a line that only marks the return to work after a holiday, as holiday-cn's "
            "2020 file has for 2020-02-03, should be removed)",
            days,
        )


class UnknownHolidayName(InvalidCalendarNotice):
    def __init__(self, year: int, names: Iterable[str]) -> None:
        listed = "、".join(sorted(set(names)))
        super().__init__(
            year,
            f"不认识的节日名称 {listed};应为 {'、'.join(STATUTORY_HOLIDAYS)} 或某某纪念日 "
            "(unknown holiday name)",
        )
        self.names = tuple(sorted(set(names)))
        self.details["names"] = self.names


class MissingHoliday(InvalidCalendarNotice):
    """A year's notice arranges every statutory holiday; a missing one means a cut file."""

    def __init__(self, year: int, names: Iterable[str]) -> None:
        listed = "、".join(names)
        super().__init__(
            year, f"通知没有安排 {listed} 的放假 (no day off for a statutory holiday: {listed})"
        )
        self.names = tuple(names)
        self.details["names"] = self.names


class NoticeWithoutSource(InvalidCalendarNotice):
    def __init__(self, year: int) -> None:
        super().__init__(
            year,
            "须注明来源: papers 中的国务院文件网址,或 --source 说明通知的文号 "
            "(name the notice: a paper URL or a source)",
        )


# --- the notice ----------------------------------------------------------------------------


def holidays_named(name: str) -> frozenset[str] | None:
    """The statutory holidays a notice's day name stands for (``中秋节、国庆节`` stands for
    two; ``“五一”`` for 劳动节; a commemoration 纪念日 for itself); None for an unknown name."""
    cleaned = _DECORATION.sub("", name)
    if cleaned.endswith(_COMMEMORATION) and len(cleaned) > len(_COMMEMORATION):
        return frozenset({cleaned})
    found = set()
    for part in _SEPARATOR.split(cleaned):
        canonical = part if part in STATUTORY_HOLIDAYS else _ALIASES.get(part)
        if canonical is None:
            return None
        found.add(canonical)
    return frozenset(found) or None


@value_object
class NoticeDay:
    """通知中的一天: a day off (``off``) or a make-up working day, and the holiday it is for."""

    day: date
    name: str
    off: bool


@value_object
class HolidayNotice:
    """节假日安排通知 one year's arrangement as published: its days, the State Council papers
    it is taken from (``papers``, the notice URLs), ``source`` (the notice's title or number)
    and ``digest`` (SHA-256 of all of these: two loads of the same notice are the same).

    Built by :meth:`from_holiday_cn`, which refuses anything malformed or contradictory.
    """

    year: int
    days: tuple[NoticeDay, ...]
    papers: tuple[str, ...]
    source: str
    digest: str

    @classmethod
    def from_holiday_cn(cls, data: object, *, source: str | None = None) -> HolidayNotice:
        """Read a notice in the holiday-cn format (``$schema`` and ``$id`` are ignored).

        ``source`` names the notice where the file does not (its title or 文号); by default
        国务院办公厅关于YYYY年部分节假日安排的通知. Raises a subclass of
        :class:`InvalidCalendarNotice` naming the reason.
        """
        year, papers, days = _parsed(data)
        if source is not None:
            source = _bounded_text(source, year, "source", MAX_TEXT).strip()
        _check_consistent(year, days)
        if not papers and not source:
            raise NoticeWithoutSource(year)
        return cls.build(
            year=year,
            days=days,
            papers=papers,
            source=source or f"国务院办公厅关于{year}年部分节假日安排的通知",
        )

    @classmethod
    def build(
        cls, *, year: int, days: Iterable[NoticeDay], papers: Iterable[str], source: str
    ) -> HolidayNotice:
        ordered = tuple(sorted(days, key=lambda d: (d.day, not d.off, d.name)))
        listed = tuple(papers)
        content = {
            "year": year,
            "days": [[d.day.isoformat(), d.name, d.off] for d in ordered],
            "papers": list(listed),
            "source": source,
        }
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(encoded.encode("utf-8")).hexdigest()
        return cls(year=year, days=ordered, papers=listed, source=source, digest=digest)

    def days_off(self) -> frozenset[date]:
        return frozenset(d.day for d in self.days if d.off)

    def working_days(self) -> frozenset[date]:
        return frozenset(d.day for d in self.days if not d.off)

    def names(self) -> dict[date, str]:
        return {d.day: d.name for d in self.days}

    def cites(self) -> str:
        """The notice and its papers, as a table's ``source`` reads."""
        return "; ".join((self.source, *self.papers))


def _bounded_text(value: object, year: object, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise MalformedCalendarNotice(year, where, f"应为文字,而不是 {value!r} (expected text)")
    if not value.strip():
        raise MalformedCalendarNotice(year, where, "不能为空 (must not be blank)")
    if len(value) > limit:
        raise MalformedCalendarNotice(year, where, f"超过 {limit} 字 (longer than {limit})")
    return value


def _list(value: object, year: object, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise MalformedCalendarNotice(year, where, f"应为列表,而不是 {value!r} (expected a list)")
    if len(value) > limit:
        raise MalformedCalendarNotice(year, where, f"超过 {limit} 项 (more than {limit} items)")
    return value


def _parsed(data: object) -> tuple[int, tuple[str, ...], tuple[NoticeDay, ...]]:
    if not isinstance(data, Mapping):
        raise MalformedCalendarNotice("?", "文件", "应为 JSON 对象 {year, papers, days}")
    year_value = data.get("year", "?")
    unknown = sorted(str(k) for k in data if k not in _TOP_LEVEL | _IGNORED)
    if unknown:
        raise MalformedCalendarNotice(year_value, ", ".join(unknown), "未知字段 (unknown field)")
    missing = sorted(_TOP_LEVEL - data.keys())
    if missing:
        raise MalformedCalendarNotice(year_value, ", ".join(missing), "缺少字段 (missing field)")
    if isinstance(year_value, bool) or not isinstance(year_value, int):
        raise MalformedCalendarNotice(
            repr(year_value), "year", "应为整数年份 (expected a whole year, e.g. 2027)"
        )
    year = year_value
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NoticeYearOutOfRange(year, f"须在 {FIRST_YEAR}-{LAST_YEAR} 之间")
    papers = tuple(
        _bounded_text(p, year, f"papers[{i}]", MAX_URL)
        for i, p in enumerate(_list(data["papers"], year, "papers", MAX_PAPERS))
    )
    days = tuple(
        _notice_day(entry, year, f"days[{i}]")
        for i, entry in enumerate(_list(data["days"], year, "days", MAX_DAYS))
    )
    return year, papers, days


def _notice_day(entry: object, year: int, where: str) -> NoticeDay:
    if not isinstance(entry, Mapping):
        raise MalformedCalendarNotice(year, where, "应为 {name, date, isOffDay} 对象")
    keys = set(entry)
    if keys != _DAY_KEYS:
        problem = []
        if _DAY_KEYS - keys:
            problem.append(f"缺少 {', '.join(sorted(_DAY_KEYS - keys))} (missing)")
        if keys - _DAY_KEYS:
            problem.append(f"未知 {', '.join(sorted(map(str, keys - _DAY_KEYS)))} (unknown)")
        raise MalformedCalendarNotice(year, where, "; ".join(problem))
    name = _bounded_text(entry["name"], year, f"{where}.name", MAX_NAME).strip()
    written = entry["date"]
    if not isinstance(written, str) or not _ISO_DATE.fullmatch(written):
        raise MalformedCalendarNotice(
            year, f"{where}.date", f"{written!r} 应为 YYYY-MM-DD (ISO 8601 date)"
        )
    try:
        day = date.fromisoformat(written)
    except ValueError:
        raise MalformedCalendarNotice(
            year, f"{where}.date", f"{written!r} 不是存在的日期 (no such date)"
        ) from None
    off = entry["isOffDay"]
    if not isinstance(off, bool):
        raise MalformedCalendarNotice(
            year, f"{where}.isOffDay", f"应为 true 或 false,而不是 {off!r} (expected a boolean)"
        )
    return NoticeDay(day=day, name=name, off=off)


def _in_late_december(day: date, year: int) -> bool:
    return day.year == year - 1 and day.month == 12 and day.day >= LATE_DECEMBER


def _check_consistent(year: int, days: tuple[NoticeDay, ...]) -> None:
    """The notice in itself: every date in its year (or the New Year holiday's late
    December), no day both off and working or listed twice, make-up days on weekends, known
    holiday names, every statutory holiday of the year given a day off (中秋节 may be
    arranged with 国庆节: in years they coincide, as in 2020, a source may name only 国庆节)."""
    if not days:
        raise EmptyCalendarNotice(year)
    elsewhere = [
        d.day
        for d in days
        if d.day.year != year
        and not (_in_late_december(d.day, year) and "元旦" in (holidays_named(d.name) or ()))
    ]
    if elsewhere:
        raise NoticeDayOutsideYear(year, elsewhere)
    if both := {d.day for d in days if d.off} & {d.day for d in days if not d.off}:
        raise DayBothOffAndWorking(year, both)
    if twice := [day for day, n in Counter(d.day for d in days).items() if n > 1]:
        raise DuplicateNoticeDay(year, twice)
    if weekdays := [d.day for d in days if not d.off and d.day.weekday() < 5]:
        raise MakeUpDayOnWeekday(year, weekdays)
    if unknown := [d.name for d in days if holidays_named(d.name) is None]:
        raise UnknownHolidayName(year, unknown)
    arranged: set[str] = set()
    for d in days:
        if d.off:
            arranged |= holidays_named(d.name) or frozenset()
    if "国庆节" in arranged:
        arranged.add("中秋节")  # in years they coincide (2020) a source may name only 国庆节
    required = STATUTORY_HOLIDAYS if year >= 2008 else HOLIDAYS_BEFORE_2008
    if missing := [name for name in required if name not in arranged]:
        raise MissingHoliday(year, missing)


# --- the register --------------------------------------------------------------------------


@value_object
class LoadedNotice:
    """One version of a year's notice in the register: who loaded it and when."""

    notice: HolidayNotice
    version: int
    by: PersonId
    at: pendulum.DateTime

    @property
    def year(self) -> int:
        return self.notice.year

    @property
    def calendar_version(self) -> str:
        """The version a year table built from it carries: ``notice-2027-v2-<digest>``."""
        return f"notice-{self.notice.year}-v{self.version}-{self.notice.digest[:12]}"

    def table(self) -> CalendarYear:
        """The year's table: the notice's days that fall in its year."""
        inside = [d for d in self.notice.days if d.day.year == self.notice.year]
        return CalendarYear(
            self.notice.year,
            holidays=[d.day for d in inside if d.off],
            workdays=[d.day for d in inside if not d.off],
            source=self.notice.cites(),
            version=self.calendar_version,
            names={d.day: d.name for d in inside},
        )

    def late_december(self, table: CalendarYear) -> CalendarYear:
        """The year before's ``table`` with its last ten days of December as this notice
        arranges them (the New Year holiday), whatever the table said of them before."""
        window = {date(table.year, 12, 31) - timedelta(days=i) for i in range(32 - LATE_DECEMBER)}
        listed = [d for d in self.notice.days if d.day in window]
        names = {day: name for day, name in table.names.items() if day not in window}
        return CalendarYear(
            table.year,
            holidays=(table.holidays - window) | {d.day for d in listed if d.off},
            workdays=(table.workdays - window) | {d.day for d in listed if not d.off},
            source=f"{table.source}; 12月下旬: {self.notice.cites()}",
            version=f"{table.version}+{self.calendar_version}",
            names=names | {d.day: d.name for d in listed},
        )


def calendar_in_force(base: WorkingCalendar, notices: Iterable[LoadedNotice]) -> WorkingCalendar:
    """工作日历 in force: ``base`` with each loaded notice's table in place of the base's
    table of its year, and the last ten days of December of the year before as the notice
    arranges them (where the calendar has that year; without it there is nothing to amend
    and that year stays without data)."""
    latest = sorted(notices, key=lambda n: n.year)
    tables = dict(base.calendar_years)
    for notice in latest:
        tables[notice.year] = notice.table()
    for notice in latest:
        before = tables.get(notice.year - 1)
        if before is not None:
            tables[notice.year - 1] = notice.late_december(before)
    return attrs.evolve(base, calendar_years=tables)


@stable_topics("calendar-register")
class CalendarRegister(OfficeAggregate):
    """工作日历登记 the holiday notices an office has loaded for one jurisdiction's calendar:
    every version of every year's notice, with who loaded it and when (ADR 0028). The id is
    fixed by the jurisdiction, so every process finds the register with one read."""

    KIND = "工作日历登记"

    @staticmethod
    def create_id(jurisdiction: str) -> uuid.UUID:
        return uuid.uuid5(REGISTER_NAMESPACE, f"calendar-register/{jurisdiction}")

    @classmethod
    def open(cls, *, jurisdiction: str, by: PersonId, at: pendulum.DateTime) -> CalendarRegister:
        return cls(jurisdiction=text(jurisdiction, "工作日历 jurisdiction"), by=by, at=at)

    @event("Opened")
    def __init__(self, *, jurisdiction: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.jurisdiction = jurisdiction
        self.versions: dict[int, list[LoadedNotice]] = {}

    def current(self, year: int) -> LoadedNotice | None:
        """The version of ``year``'s notice in force (the latest loaded), if any."""
        versions = self.versions.get(year)
        return versions[-1] if versions else None

    def in_force(self) -> tuple[LoadedNotice, ...]:
        """The latest version of each year's notice, by year."""
        return tuple(versions[-1] for _, versions in sorted(self.versions.items()) if versions)

    def history_of(self, year: int) -> tuple[LoadedNotice, ...]:
        """Every version of ``year``'s notice, oldest first."""
        return tuple(self.versions.get(year, ()))

    def load(
        self, notice: HolidayNotice, *, org: Organisation, by: PersonId, at: pendulum.DateTime
    ) -> LoadedNotice | None:
        """载入节假日安排通知: record ``notice`` as its year's arrangement; a notice for a year
        already loaded is recorded as its next version (更正). Returns the version recorded,
        or None when the notice in force for that year is this very notice (nothing to do).

        Needs the 组织机构管理员 role: the calendar is the agency's configuration."""
        self._check_time(at)
        org.require_role(by, Role.ORG_ADMIN, "载入节假日安排通知", at)
        current_year = org.day_of(at).year
        if notice.year > current_year + YEARS_AHEAD:
            raise NoticeYearOutOfRange(
                notice.year,
                f"本机关当前为 {current_year} 年,通知最多提前 {YEARS_AHEAD} 年发布 "
                f"(at most {YEARS_AHEAD} year ahead of the agency's year {current_year})",
            )
        current = self.current(notice.year)
        if current is not None and current.notice.digest == notice.digest:
            return None
        if current is None:
            self._loaded(notice=notice, version=1, by=by, at=at)
        else:
            self._corrected(
                notice=notice,
                version=current.version + 1,
                replaces=current.calendar_version,
                by=by,
                at=at,
            )
        return self.current(notice.year)

    @event("NoticeLoaded")
    def _loaded(
        self, notice: HolidayNotice, version: int, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.versions.setdefault(notice.year, []).append(LoadedNotice(notice, version, by, at))

    @event("NoticeCorrected")
    def _corrected(
        self,
        notice: HolidayNotice,
        version: int,
        replaces: str,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.versions.setdefault(notice.year, []).append(LoadedNotice(notice, version, by, at))
