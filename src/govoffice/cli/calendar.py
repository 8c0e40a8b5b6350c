"""``govoffice calendar``: the working-day calendar in force, and next year's notice loaded
by the office (ADR 0028).

- ``govoffice calendar load FILE --by PERSON [--source TEXT] [--at TIME]``: read a year's
  holidays and make-up working days from a holiday-cn JSON file, check it and record it in
  the store; every process of the office counts on it from then on.
- ``govoffice calendar show YEAR [--at TIME] [--format text|json]``: what the year is
  counted on (holidays, make-up days, version, source, who loaded it and when), now or as
  of a business time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from govoffice.application.calendar import CalendarLoad, YearInForce
from govoffice.cli import STORE_OPTION, _parse_time, main, opened
from govoffice.domain.calendar import CalendarYear
from govoffice.domain.errors import StoreUnavailable

_WEEKDAYS = "一二三四五六日"
_ORIGINS = {
    "notice": "本机关载入的通知 (a notice loaded by the office)",
    "packaged": "随软件提供的数据 (the packaged data)",
    "weekends-only": "无数据,按明确选择仅按周末计算 (no data: weekends only, by explicit choice)",
}


@main.group()
def calendar() -> None:
    """工作日历: load next year's State Council holiday notice; show what a year is counted on."""


@calendar.command()
@STORE_OPTION
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--by",
    required=True,
    envvar="GOVOFFICE_USER",
    help="Who loads it (a person holding 组织机构管理员), or GOVOFFICE_USER.",
)
@click.option(
    "--source",
    default=None,
    help="The notice's title or 文号, where the file's papers do not name it.",
)
@click.option("--at", "at_text", default=None, help="Business time of the load (default: now).")
def load(store: str, file: Path, by: str, source: str | None, at_text: str | None) -> None:
    """载入节假日安排: read FILE (holiday-cn JSON: {"year", "papers", "days": [{"name",
    "date", "isOffDay"}]}), check it, and record it as the year's calendar (a new version if
    the year was loaded before). A malformed or self-contradicting file is refused with the
    reason (exit status 2) and nothing is recorded."""
    at = _parse_time(at_text) if at_text else None
    with opened(_existing(store)) as office:
        result = office.calendar.load(file, by=by, at=at, source=source)
    _print_load(result)


@calendar.command()
@STORE_OPTION
@click.argument("year", type=int)
@click.option("--at", "at_text", default=None, help="As of this business time (default: now).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def show(store: str, year: int, at_text: str | None, fmt: str) -> None:
    """What YEAR is counted on: its holidays and make-up working days, the version and source
    of the data, and who loaded it and when. A year without data exits with status 2 and
    says how to load it."""
    at = _parse_time(at_text) if at_text else None
    with opened(_existing(store)) as office:
        year_in_force = office.calendar.in_force(year, at=at)
    if fmt == "json":
        click.echo(json.dumps(year_in_force.as_dict(), ensure_ascii=False, indent=2))
        return
    for line in describe(year_in_force):
        click.echo(line)


def describe(y: YearInForce) -> list[str]:
    """The text ``calendar show`` prints."""
    lines = [
        f"{y.year} 年工作日历 ({y.jurisdiction})",
        f"依据 origin: {_ORIGINS[y.origin]}",
        f"版本 version: {y.version}",
        f"来源 source: {y.source}",
    ]
    if y.notice is not None:
        recorded = (
            f", 记录于 recorded {y.recorded_at:%Y-%m-%d %H:%M:%S %Z}" if y.recorded_at else ""
        )
        lines.append(
            f"载入 loaded: 第{y.notice.version}版, {y.notice.by}, 业务时间 {y.notice.at}{recorded}"
        )
    if y.december is not None:
        lines.append(
            f"12月下旬 late December: 按 {y.year + 1} 年通知第{y.december.version}版 "
            f"({y.december.calendar_version})"
        )
    packaged = y.packaged_version or "无 (none)"
    lines.append(f"随软件数据 packaged: {packaged}; 规则: 载入的通知优先 (a loaded notice wins)")
    if y.table is not None:
        lines.append(f"放假 days off ({len(y.table.holidays)}):")
        lines.extend(_days(y.table, y.table.holidays))
        lines.append(f"调休上班 make-up working days ({len(y.table.workdays)}):")
        lines.extend(_days(y.table, y.table.workdays))
    if y.register_id is not None:
        lines.append(f"登记 register: {y.register_id} (govoffice audit trail {y.register_id})")
    if len(y.versions) > 1:
        lines.append("历次版本 versions:")
        lines.extend(
            f"  v{v.version} {v.calendar_version} {v.by} {v.at} {v.notice.source}"
            for v in y.versions
        )
    return lines


def _days(table: CalendarYear, days: Iterable[date]) -> list[str]:
    """Runs of consecutive days of one holiday on one line: ``春节 2027-02-05 至 02-13 (9天)``."""
    runs: list[list[date]] = []
    for day in sorted(days):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and day - last == timedelta(days=1)
            and table.names.get(day) == table.names.get(last)
        ):
            runs[-1].append(day)
        else:
            runs.append([day])
    lines = []
    for run in runs:
        name = table.names.get(run[0], "")
        first, last = run[0], run[-1]
        span = f"{first} 周{_WEEKDAYS[first.weekday()]}"
        if last != first:
            span += f" 至 {last:%m-%d} 周{_WEEKDAYS[last.weekday()]} ({len(run)}天)"
        lines.append(f"  {name or '—'} {span}")
    return lines


def _print_load(result: CalendarLoad) -> None:
    loaded = result.loaded
    if not result.changed:
        click.echo(
            f"{result.year} 年的这份通知已在用 (第{loaded.version}版 {loaded.calendar_version}),"
            "未记录 (already in force; nothing recorded)"
        )
        return
    click.echo(
        f"已载入 {result.year} 年节假日安排 第{loaded.version}版 ({loaded.calendar_version}) "
        f"loaded; 来源 {loaded.notice.cites()}"
    )
    click.echo(f"此前 before: {result.previous or '无数据 (no data)'}")
    changes = [
        ("新增放假 days off added", result.days_off_added),
        ("取消放假 days off removed", result.days_off_removed),
        ("新增调休上班 make-up days added", result.workdays_added),
        ("取消调休上班 make-up days removed", result.workdays_removed),
    ]
    for label, days in changes:
        if days:
            click.echo(f"{label} ({len(days)}): {', '.join(map(str, days))}")
    click.echo(
        "此后计算的期限按此版本;已记录的期限不变 (deadlines counted from now on use this "
        "version; deadlines already recorded keep their dates)"
    )


def _existing(store: str) -> str:
    """The calendar is loaded into, and shown from, an existing office: a missing SQLite
    file is an error, not a new empty office."""
    parts = urlsplit(store.strip())
    if parts.scheme == "sqlite" and not parts.netloc:
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if path and path != ":memory:" and not os.path.isfile(path):
            raise StoreUnavailable(store, f"数据库文件 {path} 不存在 (no such store)")
    return store
