"""工作日历 working-day calendar: which days the office works, and how periods are counted.

Deadlines in working days (工作日) skip weekends and statutory holidays but count the
make-up working days (调休上班). Periods in days or months follow the Civil Code
(民法典 第200-204条). The holiday data is a versioned table per year that names its
source, the State Council notice for that year. A year without data is refused, unless
the calendar has explicitly chosen to count weekends only. An office loads a year's notice
itself (``govoffice calendar load FILE``, ADR 0028); :meth:`WorkingCalendar.deadline` says
which year tables (versions and sources) a deadline was counted on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from types import MappingProxyType
from typing import Literal, Protocol

import attrs
import pendulum

from govoffice.domain.errors import InvalidInput
from govoffice.domain.values import LabelledEnum, coerce_enum, value_object

_ONE_DAY = timedelta(days=1)


class CalendarDataMissing(InvalidInput):
    """The calendar has no holiday data for the year, and weekends-only was not chosen."""

    def __init__(self, year: int, calendar: str) -> None:
        super().__init__(
            f"工作日历「{calendar}」没有 {year} 年的节假日数据,"
            f"请用 govoffice calendar load FILE (或 office.calendar.load(...)) "
            f"载入国务院办公厅关于{year}年部分节假日安排的通知,"
            "或明确选择仅按周末计算 (weekend_fallback=True / with_weekend_fallback()) "
            f"(no holiday data for {year}: load that year's State Council holiday notice with "
            "`govoffice calendar load FILE`, or opt into the weekend-only fallback explicitly)",
            year=year,
            calendar=calendar,
        )


class InvalidCalendarData(InvalidInput):
    """A year's holiday table is not valid in itself (wrong year, clashing days, no source)."""

    def __init__(self, year: object, reason: str, days: Iterable[date] = ()) -> None:
        days = tuple(sorted(days))
        listed = ": " + ", ".join(map(str, days)) if days else ""
        super().__init__(
            f"{year} 年工作日历数据不正确: {reason}{listed}", year=year, reason=reason, days=days
        )


MAX_PERIOD = 3660
"""The longest period counted, in days, working days or months (ten years of days): a
longer one is a typing error, and would run past the dates a calendar can carry."""


class InvalidPeriod(InvalidInput):
    """A period (期间) must be a whole number of at least one day or month, at most
    :data:`MAX_PERIOD`."""

    def __init__(self, n: object) -> None:
        super().__init__(
            f"期间 {n!r} 必须是 1 到 {MAX_PERIOD} 之间的整数 "
            f"(a period must be a whole number from 1 to {MAX_PERIOD})",
            n=n,
        )


class DateOutOfRange(InvalidInput):
    """A period that ends beyond the last date a calendar can carry (9999-12-31)."""

    def __init__(self, start: object, n: object) -> None:
        super().__init__(
            f"从 {start} 起 {n} 的期限超出可计算的日期范围 (the period ends beyond 9999-12-31)",
            start=start,
            n=n,
        )


def _day(value: date | datetime) -> date:
    """The calendar day of ``value``; a datetime counts by its date in its own time zone."""
    if not isinstance(value, date):
        raise InvalidInput(f"{value!r} 不是日期 (expected a date or datetime)", value=value)
    return date(value.year, value.month, value.day)


def _days(values: Iterable[date]) -> frozenset[date]:
    return frozenset(_day(value) for value in values)


def _period(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_PERIOD:
        raise InvalidPeriod(n)
    return n


def _names(names: Mapping[date, str]) -> Mapping[date, str]:
    return MappingProxyType({_day(day): str(name) for day, name in names.items()})


@attrs.frozen
class CalendarYear:
    """年度节假日安排 one year's holiday arrangement, as the State Council announces it.

    ``holidays`` are all the days off for holidays (放假), on weekdays or weekends;
    ``workdays`` are the make-up working days (调休上班) that fall on a weekend.
    ``source`` names the notice, ``version`` the edition of the data. ``names`` gives the
    holiday each listed day belongs to (元旦, 春节, ...), where the data says; it is shown
    to clerks and plays no part in counting.
    """

    year: int
    holidays: frozenset[date] = attrs.field(converter=_days)
    workdays: frozenset[date] = attrs.field(converter=_days)
    source: str
    version: str
    names: Mapping[date, str] = attrs.field(
        factory=dict, converter=_names, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise InvalidCalendarData(self.year, "年份必须是整数 (year must be an int)")
        if not MINYEAR <= self.year <= MAXYEAR:
            raise InvalidCalendarData(self.year, "年份超出范围 (year out of range)")
        if elsewhere := {d for d in self.holidays | self.workdays if d.year != self.year}:
            raise InvalidCalendarData(
                self.year, "日期不在该年内 (dates outside the year)", elsewhere
            )
        if both := self.holidays & self.workdays:
            raise InvalidCalendarData(
                self.year, "同一天既放假又上班 (a day cannot be both off and working)", both
            )
        if not (self.source.strip() and self.version.strip()):
            raise InvalidCalendarData(self.year, "须注明来源和版本 (source and version required)")


WEEKENDS_ONLY = "weekends-only"
"""The version of a year counted without a table, by the explicit weekend-only choice."""


@value_object
class CalendarBasis:
    """计算依据 one year table a count consulted: its year, the data's version and the
    notice it came from (version :data:`WEEKENDS_ONLY` where the calendar counted weekends
    only for a year without data, by explicit choice)."""

    year: int
    version: str
    source: str


CountedIn = Literal["working_days", "days", "months"]


@value_object
class Deadline:
    """期限 a deadline and what it was counted on: ``n`` working days, natural days or months
    after ``start`` (not counted, 民法典 第201条) ends on ``due``; ``basis`` names each year
    table the count consulted, with its version and source, so the date can be checked and
    recomputed later."""

    start: date
    n: int
    unit: CountedIn
    due: date
    basis: tuple[CalendarBasis, ...]

    def describe(self) -> str:
        unit = {"working_days": "个工作日", "days": "日", "months": "个月"}[self.unit]
        used = "; ".join(f"{b.year}: {b.version}" for b in self.basis)
        return f"{self.start} 起 {self.n}{unit} → {self.due} (依据 {used})"


def _by_year(tables: Mapping[int, CalendarYear]) -> Mapping[int, CalendarYear]:
    for year, table in tables.items():
        if year != table.year:
            raise InvalidCalendarData(
                year,
                f"存放的是 {table.year} 年的数据 (table filed under the wrong year)",
            )
    return MappingProxyType(dict(sorted(tables.items())))


@attrs.frozen
class WorkingCalendar:
    """工作日历 working-day calendar of one jurisdiction: year tables and counting rules.

    Years without a table are refused with :class:`CalendarDataMissing`, unless
    ``weekend_fallback`` is set: then Saturdays and Sundays are rest days and every other
    day is a working day.
    """

    name: str
    calendar_years: Mapping[int, CalendarYear] = attrs.field(
        factory=dict, converter=_by_year, hash=False, repr=lambda tables: f"<years {tuple(tables)}>"
    )
    weekend_fallback: bool = False

    def years(self) -> tuple[int, ...]:
        """The years that have holiday data, in order."""
        return tuple(self.calendar_years)

    def is_working_day(self, day: date | datetime) -> bool:
        """工作日: a make-up working day, or a weekday that is not a holiday."""
        d = _day(day)
        table = self._table(d.year)
        if table is not None:
            if d in table.workdays:
                return True
            if d in table.holidays:
                return False
        return d.weekday() < 5  # Monday to Friday

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """N 个工作日内: the n-th working day after ``start``.

        The start day is not counted (民法典 第201条), so one working day from a Friday is
        the next Monday if that Monday is a working day.
        """
        day, count = _day(start), _period(n)
        try:
            for _ in range(count):
                day = self._next_working_day(day)
        except OverflowError:
            raise DateOutOfRange(start, n) from None
        return day

    def add_days(self, start: date | datetime, n: int) -> date:
        """N 日内: the last day of a period of ``n`` natural days from ``start``.

        The start day is not counted (第201条); if the last day is a holiday or rest day,
        the period ends on the next working day (第203条).
        """
        day, count = _day(start), _period(n)
        try:
            return self._extended(day + timedelta(days=count))
        except OverflowError:
            raise DateOutOfRange(start, n) from None

    def add_months(self, start: date | datetime, n: int) -> date:
        """N 个月内: the corresponding day ``n`` months after ``start``.

        Without a corresponding day, the last day of that month (第202条); then extended
        past a holiday or rest day like any period (第203条).
        """
        d, count = _day(start), _period(n)
        try:
            end = pendulum.date(d.year, d.month, d.day).add(months=count)
            return self._extended(_day(end))
        except (OverflowError, ValueError) as e:
            if isinstance(e, InvalidInput):  # CalendarDataMissing, from the calendar itself
                raise
            raise DateOutOfRange(start, n) from None

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """The number of working days in (a, b]: ``a`` not counted, ``b`` counted; 0 if b <= a."""
        start, end = _day(a), _day(b)
        return sum(
            self.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
        )

    def deadline(
        self, start: date | datetime, n: int, unit: CountedIn = "working_days"
    ) -> Deadline:
        """The deadline ``n`` working days (``unit="working_days"``), natural days
        (``"days"``) or months (``"months"``) after ``start``, with the year tables it was
        counted on (see :meth:`basis`)."""
        day = _day(start)
        if unit == "working_days":
            due = self.add_working_days(day, n)
            first = day + _ONE_DAY
        elif unit == "days":
            due = self.add_days(day, n)
            first = day + timedelta(days=n)
        elif unit == "months":
            due = self.add_months(day, n)
            first = _day(pendulum.date(day.year, day.month, day.day).add(months=n))
        else:
            raise InvalidInput(
                f"期限单位 {unit!r} 不正确 (unit: working_days, days or months)", unit=unit
            )
        return Deadline(start=day, n=n, unit=unit, due=due, basis=self.basis(first, due))

    def basis(self, first: date | datetime, last: date | datetime) -> tuple[CalendarBasis, ...]:
        """The year tables a count that looked at the days ``first`` to ``last`` consulted:
        one :class:`CalendarBasis` per year, in order."""
        start, end = _day(first), _day(last)
        found = []
        for year in range(start.year, max(start, end).year + 1):
            table = self._table(year)
            if table is None:
                found.append(CalendarBasis(year, WEEKENDS_ONLY, "仅按周末计算 (weekend fallback)"))
            else:
                found.append(CalendarBasis(year, table.version, table.source))
        return tuple(found)

    def with_year(self, table: CalendarYear) -> WorkingCalendar:
        """A calendar with ``table`` loaded, replacing any table of the same year."""
        return attrs.evolve(self, calendar_years={**self.calendar_years, table.year: table})

    def with_weekend_fallback(self) -> WorkingCalendar:
        """A calendar that counts weekends only for years without data (an explicit choice)."""
        return attrs.evolve(self, weekend_fallback=True)

    def overridden(
        self,
        *,
        year: int,
        source: str,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        name: str | None = None,
    ) -> WorkingCalendar:
        """地方调整 a local override: extra days off or working days in one year.

        For example a province that adds a local holiday. The override wins over the base
        table; ``source`` (the local notice) is added to the base source, and the version
        is marked with the jurisdiction ``name`` (by default this calendar's name).
        """
        base = self.calendar_years.get(year)
        if base is None:
            raise CalendarDataMissing(year, self.name)
        days_off, days_on = _days(holidays), _days(workdays)
        jurisdiction = name or self.name
        table = CalendarYear(
            year,
            holidays=(base.holidays - days_on) | days_off,
            workdays=(base.workdays - days_off) | days_on,
            source=f"{base.source}; {source}",
            version=f"{base.version}+{jurisdiction}",
            names=base.names,
        )
        return attrs.evolve(self.with_year(table), name=jurisdiction)

    def _table(self, year: int) -> CalendarYear | None:
        """The year's table; ``None`` means count weekends only (the chosen fallback)."""
        table = self.calendar_years.get(year)
        if table is None and not self.weekend_fallback:
            raise CalendarDataMissing(year, self.name)
        return table

    def _next_working_day(self, day: date) -> date:
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def _extended(self, last: date) -> date:
        """民法典 第203条: a period ending on a holiday or rest day ends on the next working day."""
        return last if self.is_working_day(last) else self._next_working_day(last)


# --- a cut-off that ends on a rest day (ADR 0051) ---------------------------------------------


class RestDays(Protocol):
    """What moving a last day needs of a calendar: which days are working days."""

    def is_working_day(self, day: date) -> bool: ...


class LastDayRule(LabelledEnum):
    """期间的最后一日是法定休假日的: what happens to a cut-off that ends on a rest day."""

    NEXT_WORKING_DAY = (
        "next_working_day",
        "顺延至休假日结束的次日 (民法典 第二百零三条)",
    )
    AS_SET = "as_set", "不顺延 (按规定日期截止)"


class CutOff(LabelledEnum):
    """The office's deadlines counted in calendar days or set on a calendar date, which a
    rest day moves (ADR 0051). Deadlines counted in working days already end on one."""

    INFORMATION_FIGURES = "information_figures", "信息数据报送截止日 [003 篇6 二(二)]"
    MEETING_ARCHIVE = "meeting_archive", "会议材料归档期限 [000 范文6 四 7]"
    MEETING_PLAN = "meeting_plan", "年度会议计划报送截止日 [001 会议 五(一)1]"
    TARGET_CORRECTION = "target_correction", "考评扣分整改期限 [001 目标管理 四(二)1]"
    TARGET_SELF_CHECK = "target_self_check", "半年自查报送期限 [001 目标管理 四(二)2]"


def _rule_overrides(value: object) -> Mapping[CutOff, LastDayRule]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"期限规则须按期限列出,而不是 {value!r} (expected a mapping)")
    return MappingProxyType(
        {
            coerce_enum(CutOff, k, "期限"): coerce_enum(LastDayRule, v, "顺延规则")
            for k, v in value.items()
        }
    )


def _rule(value: object) -> LastDayRule:
    return coerce_enum(LastDayRule, value, "顺延规则")


@attrs.frozen
class DeadlineRules:
    """期限规则表 of a jurisdiction: whether a cut-off whose last day is a statutory holiday
    or a rest day moves to the next working day. By default every one does, as the Civil
    Code counts (民法典 第二百零三条: 期间的最后一日是法定休假日的,以法定休假日结束的次日为
    期间的最后一日); a jurisdiction whose own rule says otherwise for a cut-off sets it in
    ``overrides`` (e.g. ``{CutOff.INFORMATION_FIGURES: LastDayRule.AS_SET}``), naming the
    rule in ``source``. An agency changes the table with ``office.calendar.deadline_rules
    = ...``."""

    jurisdiction: str = "全国"
    default: LastDayRule = attrs.field(default=LastDayRule.NEXT_WORKING_DAY, converter=_rule)
    overrides: Mapping[CutOff, LastDayRule] = attrs.field(
        factory=dict, converter=_rule_overrides, hash=False
    )
    source: str = "民法典 第二百零三条"

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.jurisdiction, str) or not self.jurisdiction.strip():
            raise InvalidInput("期限规则表须注明适用地区 (name the jurisdiction)")
        if not isinstance(self.source, str) or not self.source.strip():
            raise InvalidInput("期限规则表须注明依据 (name the rule it follows)")

    def rule_for(self, cut_off: CutOff | str) -> LastDayRule:
        """The rule for one cut-off: its override, else the default."""
        return self.overrides.get(coerce_enum(CutOff, cut_off, "期限"), self.default)

    def last_day(self, cut_off: CutOff | str, nominal: date, calendar: RestDays) -> date:
        """The day ``cut_off`` really ends: ``nominal`` (the day the office's rule names),
        moved past a run of rest days to the next working day unless the rule is
        :attr:`LastDayRule.AS_SET`."""
        day = _day(nominal)
        if self.rule_for(cut_off) is LastDayRule.AS_SET:
            return day
        try:
            while not calendar.is_working_day(day):
                day += _ONE_DAY
        except OverflowError:
            raise DateOutOfRange(nominal, 0) from None
        return day


CIVIL_CODE_DEADLINES = DeadlineRules()
"""The default table: every cut-off on a rest day moves to the next working day (第203条)."""
