"""工作日历 the office's working-day calendar: the packaged data overlaid with the holiday
notices the office loaded itself (ADR 0028).

``office.calendar`` is what every service counts working days on (the
:class:`~govoffice.application.ports.WorkingDays` port) and where the office loads a year's
notice: ``office.calendar.load("2027.json", by=...)``. The calendar in force is the base
calendar (China's statutory calendar from chinesecalendar, or the one given to
``open_office``) with the latest loaded version of each year's notice in place of the base's
table for that year (and of the base's last ten days of December of the year before). The
notices live in the store, in the :class:`CalendarRegister` of the base calendar's
jurisdiction, so:

- this process counts on a notice as soon as it is loaded;
- another process sees it on its first use of the calendar (one read of the register);
- a long-running process re-reads the register (one query for events after the version it
  has) before refusing a year it has no data for, and at most ``refresh_interval`` seconds
  after the last read otherwise; :meth:`OfficeCalendar.refresh` re-reads it at once.

Deadlines already recorded keep their dates: a notice (or its correction) applies to what
is counted after it. :meth:`OfficeCalendar.deadline` returns a date with the year tables
(versions and sources) it was counted on; :meth:`OfficeCalendar.in_force` says what a year
is counted on and where it came from, now or as of a business time.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from govoffice.application.history import Decision, decisions
from govoffice.application.ports import WorkingDays
from govoffice.application.services import OrganisationNotEstablished
from govoffice.application.typecheck import Facade
from govoffice.domain.calendar import (
    CIVIL_CODE_DEADLINES,
    CalendarDataMissing,
    CalendarYear,
    CountedIn,
    CutOff,
    Deadline,
    DeadlineRules,
    InvalidCalendarData,
    WorkingCalendar,
)
from govoffice.domain.calendar_notice import (
    LATE_DECEMBER,
    CalendarRegister,
    HolidayNotice,
    LoadedNotice,
    MalformedCalendarNotice,
    calendar_in_force,
)
from govoffice.domain.errors import CorruptRecord, InvalidInput, RecordNotFound
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import DEFAULT_TIME_ZONE, PersonId, local_time, text

if TYPE_CHECKING:
    from govoffice.application.office import Office

R = TypeVar("R")

MAX_FILE_BYTES = 1_000_000
"""A year's notice in the holiday-cn format is about 4 KB; anything near a megabyte is not one."""
REFRESH_INTERVAL = 60.0
"""Seconds after which a long-running process re-reads the register before counting."""


class CalendarNotLoadable(InvalidInput):
    """The office was opened with a calendar that is not a ``WorkingCalendar``: a notice
    cannot be laid over it."""

    def __init__(self, calendar: object) -> None:
        super().__init__(
            f"本办公系统的工作日历 {type(calendar).__name__} 不支持载入通知 "
            "(the office's calendar cannot take loaded notices; open it with a WorkingCalendar)",
            calendar=type(calendar).__name__,
        )


@attrs.frozen
class YearInForce:
    """What the office counts a year's working days on, and where it came from.

    ``origin`` is ``"notice"`` (a notice the office loaded), ``"packaged"`` (the base
    calendar's data, e.g. chinesecalendar) or ``"weekends-only"`` (no data; the explicit
    fallback). ``notice`` is the loaded version in force and ``recorded_at`` when it was
    written (the wall clock; ``notice.at`` is its business time); ``versions`` every version
    loaded for the year; ``december`` the next year's notice that arranged the last ten days
    of December; ``packaged_version`` the base calendar's own table version of the year.
    """

    year: int
    jurisdiction: str
    origin: str
    table: CalendarYear | None
    notice: LoadedNotice | None = None
    recorded_at: datetime | None = None
    versions: tuple[LoadedNotice, ...] = ()
    december: LoadedNotice | None = None
    packaged_version: str | None = None
    register_id: str | None = None
    """The register of loaded notices, where one exists (``govoffice audit trail ID``)."""

    @property
    def version(self) -> str:
        return self.table.version if self.table is not None else "weekends-only"

    @property
    def source(self) -> str:
        return self.table.source if self.table is not None else "仅按周末计算 (weekend fallback)"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description (``govoffice calendar show --format json``)."""
        table = self.table

        def days(selected: frozenset[date]) -> list[dict[str, str]]:
            names = table.names if table is not None else {}
            return [{"date": d.isoformat(), "name": names.get(d, "")} for d in sorted(selected)]

        def loaded(n: LoadedNotice | None) -> dict[str, Any] | None:
            if n is None:
                return None
            return {
                "version": n.version,
                "calendar_version": n.calendar_version,
                "by": n.by,
                "at": n.at.isoformat(),
                "source": n.notice.source,
                "papers": list(n.notice.papers),
                "digest": n.notice.digest,
            }

        return {
            "year": self.year,
            "jurisdiction": self.jurisdiction,
            "origin": self.origin,
            "version": self.version,
            "source": self.source,
            "holidays": days(table.holidays) if table is not None else [],
            "workdays": days(table.workdays) if table is not None else [],
            "notice": loaded(self.notice),
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "versions": [loaded(v) for v in self.versions],
            "december": loaded(self.december),
            "packaged_version": self.packaged_version,
            "register_id": self.register_id,
        }


@attrs.frozen
class CalendarLoad:
    """What a load did: the version of the year's notice now in force, whether it was
    recorded now (``changed``; False when that very notice was already in force), the
    version the year was counted on before (None: no data), and the days whose status the
    load changed (in the year and in the last ten days of December before it)."""

    year: int
    loaded: LoadedNotice
    changed: bool
    previous: str | None
    days_off_added: tuple[date, ...] = ()
    days_off_removed: tuple[date, ...] = ()
    workdays_added: tuple[date, ...] = ()
    workdays_removed: tuple[date, ...] = ()


class OfficeCalendar(Facade):
    """工作日历 the office's calendar in force: the base calendar overlaid with the notices
    loaded into the store (module docstring, ADR 0028). Counts like a ``WorkingCalendar``;
    a date-time is counted by its agency-local date."""

    def __init__(
        self,
        office: Office,
        base: WorkingDays,
        *,
        refresh_interval: float = REFRESH_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.office = office
        self.base = base
        self.refresh_interval = refresh_interval
        """Seconds after which the register is read again before counting (0: every time)."""
        self._monotonic = monotonic
        self._effective: WorkingDays = base
        self._applied: int | None = None  # the register version laid over base; None: unread
        self._read_at = 0.0
        self._lock = threading.RLock()
        self._zone: str | None = None
        self._deadline_rules = CIVIL_CODE_DEADLINES

    # --- what it is -------------------------------------------------------------------------

    @property
    def deadline_rules(self) -> DeadlineRules:
        """期限规则表 of this jurisdiction: whether a cut-off ending on a statutory holiday
        moves to the next working day (民法典 第二百零三条, the default) or, where the
        jurisdiction's rule says so, stays (ADR 0051). Set it to change the table; the
        commands that follow judge by it."""
        return self._deadline_rules

    @deadline_rules.setter
    def deadline_rules(self, rules: DeadlineRules) -> None:
        if not isinstance(rules, DeadlineRules):
            raise InvalidInput(f"期限规则表 {rules!r} 不正确 (expected DeadlineRules)")
        self._deadline_rules = rules

    def cut_off(self, cut_off: CutOff | str, nominal: date) -> date:
        """The day a cut-off whose rule names ``nominal`` really ends on, by
        :attr:`deadline_rules` on this calendar (ADR 0051)."""
        return self._deadline_rules.last_day(cut_off, self._local(nominal), self)

    @property
    def name(self) -> str:
        """The jurisdiction whose calendar this is (中国大陆 by default)."""
        return str(getattr(self.base, "name", "中国大陆"))

    @property
    def register_id(self) -> uuid.UUID:
        """The id of the register of loaded notices (its trail: ``office.audit.trail(id)``)."""
        return CalendarRegister.create_id(self.name)

    def current(self) -> WorkingDays:
        """The calendar in force now (a ``WorkingCalendar`` unless the office was opened with
        another kind), re-reading the register if ``refresh_interval`` has passed."""
        if self._applied is None or self._monotonic() - self._read_at >= self.refresh_interval:
            with self._lock:
                if (
                    self._applied is None
                    or self._monotonic() - self._read_at >= self.refresh_interval
                ):
                    self.refresh()
        return self._effective

    def refresh(self) -> bool:
        """Read the register now (one query for what was recorded since the last read);
        True when the calendar in force changed."""
        with self._lock:
            register = self._register()
            self._read_at = self._monotonic()
            version = register.version if register is not None else 0
            if version == self._applied:
                return False
            self._effective = self._overlaid(register)
            self._applied = version
            return True

    def years(self) -> tuple[int, ...]:
        """The years with data in force (packaged or loaded)."""
        calendar = self.current()
        return calendar.years() if isinstance(calendar, WorkingCalendar) else ()

    # --- counting (the WorkingDays port) ------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        # the hot path (asked for each day by urging and by the queues): no closure, no lock
        d = day if type(day) is date else self._local(day)
        try:
            return self.current().is_working_day(d)
        except CalendarDataMissing:
            if not self.refresh():  # another process may have loaded the year since
                raise
            return self._effective.is_working_day(d)

    def add_working_days(self, start: date, n: int) -> date:
        d = self._local(start)
        return self._counted(lambda c: c.add_working_days(d, n))

    def add_days(self, start: date, n: int) -> date:
        d = self._local(start)
        return self._counted(lambda c: c.add_days(d, n))

    def add_months(self, start: date, n: int) -> date:
        d = self._local(start)
        return self._counted(lambda c: c.add_months(d, n))

    def working_days_between(self, a: date, b: date) -> int:
        first, last = self._local(a), self._local(b)
        return self._counted(lambda c: _working_calendar(c).working_days_between(first, last))

    def deadline(self, start: date, n: int, unit: CountedIn = "working_days") -> Deadline:
        """期限 the deadline ``n`` working days (or ``"days"``, ``"months"``) after ``start``
        (a date, or a business time read as its agency-local date), with the year tables
        (versions and sources) it was counted on."""
        d = self._local(start)
        return self._counted(lambda c: _working_calendar(c).deadline(d, n, unit))

    # --- what a year is counted on --------------------------------------------------------------

    def in_force(self, year: int, *, at: datetime | str | None = None) -> YearInForce:
        """What ``year`` is counted on, and where it came from: now, or as of business time
        ``at`` (the notices loaded by then). Raises :class:`CalendarDataMissing` for a year
        without data unless the calendar counts weekends only by explicit choice."""
        if isinstance(year, bool) or not isinstance(year, int):
            raise InvalidInput(f"年份 {year!r} 应为整数 (year must be an int)", year=year)
        base = _working_calendar(self.base)
        register = self._register() if at is None else self._register_as_of(at)
        calendar = _working_calendar(self._overlaid(register))
        table = calendar.calendar_years.get(year)
        if table is None and not calendar.weekend_fallback:
            raise CalendarDataMissing(year, self.name)
        notice = register.current(year) if register is not None else None
        following = register.current(year + 1) if register is not None else None
        packaged = base.calendar_years.get(year)
        return YearInForce(
            year=year,
            jurisdiction=self.name,
            origin="notice" if notice else "packaged" if table else "weekends-only",
            table=table,
            notice=notice,
            recorded_at=self._recorded_at(notice),
            versions=register.history_of(year) if register is not None else (),
            december=following if following and table else None,
            packaged_version=packaged.version if packaged is not None else None,
            register_id=str(register.id) if register is not None else None,
        )

    def history(self) -> list[Decision]:
        """Every load recorded in the register: who, when, which year and version."""
        return decisions(self.office.store.events(self.register_id, CalendarRegister.KIND))

    # --- loading a notice ---------------------------------------------------------------------

    def load(
        self,
        notice: str | os.PathLike[str] | Mapping[str, Any],
        *,
        by: str,
        at: datetime | str | None = None,
        source: str | None = None,
    ) -> CalendarLoad:
        """载入节假日安排通知: read a year's holidays and make-up working days from a file in
        the holiday-cn JSON format (or from its parsed mapping), check it, and record it in
        the register, so that every process of this office counts on it; a notice for a year
        already loaded is recorded as the next version of it.

        ``source`` names the notice (title or 文号) where the file does not. A malformed or
        self-contradicting notice raises a subclass of ``InvalidCalendarNotice`` naming the
        reason, and nothing is recorded. Loading the notice already in force records
        nothing and returns it (``changed`` False). Needs the 组织机构管理员 role.
        """
        if not isinstance(self.base, WorkingCalendar):
            raise CalendarNotLoadable(self.base)
        who = PersonId(text(by, "办理人 by"))
        when = self.office.business_time(at)
        parsed = HolidayNotice.from_holiday_cn(_read_notice(notice), source=source)
        before = self.current()
        register_id = self.register_id

        def attempt() -> tuple[LoadedNotice, bool]:
            store = self.office.store
            try:
                register = store.get(CalendarRegister, register_id)
            except RecordNotFound:
                register = CalendarRegister.open(jurisdiction=self.name, by=who, at=when)
            loaded = register.load(parsed, org=self._organisation(), by=who, at=when)
            if loaded is None:
                current = register.current(parsed.year)
                assert current is not None
                return current, False
            store.save(register, hand_over=True)
            return loaded, True

        loaded, changed = self.office.store.run(attempt, register_id)
        self.refresh()
        return _changes(parsed.year, loaded, changed, before, self._effective)

    # --- inside -------------------------------------------------------------------------------

    def _counted(self, count: Callable[[WorkingDays], R]) -> R:
        calendar = self.current()
        try:
            return count(calendar)
        except CalendarDataMissing:
            # another process may have loaded the year since the last read
            if not self.refresh():
                raise
            return count(self._effective)

    def _local(self, day: object) -> date:
        """A date as given; a business time as its agency-local date."""
        if isinstance(day, datetime):
            return local_time(day, self._time_zone()).date()
        if isinstance(day, date):
            return day
        raise InvalidInput(f"{day!r} 不是日期 (expected a date or datetime)", value=day)

    def _time_zone(self) -> str:
        if self._zone is None:
            try:
                org = self.office.store.get(
                    Organisation, Organisation.create_id(), for_reading=True
                )
            except RecordNotFound:
                return DEFAULT_TIME_ZONE
            self._zone = org.time_zone
        return self._zone

    def _organisation(self) -> Organisation:
        try:
            return self.office.store.get(Organisation, Organisation.create_id(), for_reading=True)
        except RecordNotFound:
            raise OrganisationNotEstablished() from None

    def _register(self) -> CalendarRegister | None:
        try:
            return self.office.store.get(CalendarRegister, self.register_id, for_reading=True)
        except RecordNotFound:
            return None

    def _register_as_of(self, at: object) -> CalendarRegister | None:
        try:
            return self.office.store.as_of(CalendarRegister, self.register_id, at)
        except RecordNotFound:
            return None

    def _overlaid(self, register: CalendarRegister | None) -> WorkingDays:
        if register is None or not isinstance(self.base, WorkingCalendar):
            return self.base
        try:
            return calendar_in_force(self.base, register.in_force())
        except InvalidCalendarData as e:  # stored notices that no longer make a calendar
            raise CorruptRecord(f"{CalendarRegister.KIND} {register.id}", str(e)) from None

    def _recorded_at(self, notice: LoadedNotice | None) -> datetime | None:
        if notice is None:
            return None
        for decision in reversed(self.history()):
            loaded = decision.details.get("notice")
            if loaded == notice.notice and decision.details.get("version") == notice.version:
                return decision.recorded_at
        return None

    def __repr__(self) -> str:
        return f"<OfficeCalendar {self.name} on {self.office.store_url}>"


def _working_calendar(calendar: WorkingDays) -> WorkingCalendar:
    if not isinstance(calendar, WorkingCalendar):
        raise CalendarNotLoadable(calendar)
    return calendar


def _read_notice(notice: object) -> object:
    """The parsed content of a notice: a mapping as given, or a JSON file read."""
    if isinstance(notice, Mapping):
        return notice
    if not isinstance(notice, str | os.PathLike):
        raise InvalidInput(
            f"通知应为文件路径或字典,而不是 {type(notice).__name__} "
            "(give a path to a holiday-cn JSON file, or its parsed mapping)",
            value=notice,
        )
    path = Path(notice)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise MalformedCalendarNotice(
                "?", str(path), f"文件过大 ({size} 字节) (not a notice: larger than 1 MB)"
            )
        raw = path.read_bytes()
    except OSError as e:
        raise MalformedCalendarNotice("?", str(path), f"无法读取 ({e.strerror})") from None
    try:
        return json.loads(
            raw.decode("utf-8-sig"),
            object_pairs_hook=_no_repeated_keys,
            parse_constant=_no_constant,
        )
    except UnicodeDecodeError:
        raise MalformedCalendarNotice("?", str(path), "不是 UTF-8 文本 (not UTF-8)") from None
    except json.JSONDecodeError as e:
        raise MalformedCalendarNotice(
            "?", str(path), f"不是有效的 JSON: 第 {e.lineno} 行第 {e.colno} 列 {e.msg}"
        ) from None


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise MalformedCalendarNotice(
                seen.get("year", "?"), key, "同一字段出现两次 (a field given twice)"
            )
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise MalformedCalendarNotice("?", name, "不是 JSON 数值 (NaN/Infinity are not JSON)")


def _changes(
    year: int, loaded: LoadedNotice, changed: bool, before: WorkingDays, after: WorkingDays
) -> CalendarLoad:
    old = before.calendar_years if isinstance(before, WorkingCalendar) else {}
    new = after.calendar_years if isinstance(after, WorkingCalendar) else {}
    previous = old.get(year)

    def special(tables: Mapping[int, CalendarYear], off: bool) -> set[date]:
        days: set[date] = set()
        for y in (year - 1, year):
            table = tables.get(y)
            if table is None:
                continue
            picked = table.holidays if off else table.workdays
            days |= {d for d in picked if d.year == year or _late_december(d, year)}
        return days

    def diff(a: set[date], b: set[date]) -> tuple[date, ...]:
        return tuple(sorted(a - b))

    off_before, off_after = special(old, True), special(new, True)
    on_before, on_after = special(old, False), special(new, False)
    return CalendarLoad(
        year=year,
        loaded=loaded,
        changed=changed,
        previous=previous.version if previous is not None else None,
        days_off_added=diff(off_after, off_before),
        days_off_removed=diff(off_before, off_after),
        workdays_added=diff(on_after, on_before),
        workdays_removed=diff(on_before, on_after),
    )


def _late_december(day: date, year: int) -> bool:
    return day >= date(year - 1, 12, LATE_DECEMBER) and day < date(year, 1, 1)
