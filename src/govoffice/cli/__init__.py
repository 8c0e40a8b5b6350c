"""The ``govoffice`` command: thin — it parses, calls the application, prints.

Errors the office raises are shown as one clear line (exit status 2), never a traceback.
Every call pays for the imports of this package, so it imports only click here: each command
imports the office, rich and what else it needs when it runs (ADR 0039).
"""

from __future__ import annotations

import functools
import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from govoffice.adapters.config import DEFAULT_SQLITE_URL, STORE_VARIABLE, VARIABLES
from govoffice.domain.errors import GovOfficeError, InvalidInput

if TYPE_CHECKING:
    import pendulum
    from rich.console import Console

    from govoffice.application.office import Office

AREAS = {
    "document": "documents",
    "incoming": "incoming",
    "information": "information",
    "meeting": "meetings",
    "proposal": "proposals",
    "task": "supervision",
    "target": "targets",
}
"""``--kind`` choices and the office area that holds each kind of record."""


@functools.cache
def console() -> Console:
    """Standard output, through rich (made when a command first prints)."""
    from rich.console import Console

    return Console()


@functools.cache
def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


STORE_OPTION = click.option(
    "--store",
    default=None,
    metavar="URL",
    help="Where the events live: memory, sqlite:///file.db or postgresql://user@host:port/db "
    f"(default: ${STORE_VARIABLE}, else eventsourcing's variables, else {DEFAULT_SQLITE_URL}). "
    "An encrypted store's key is read from GOVOFFICE_CIPHER_KEY.",
)


def store_url(store: str | None) -> str:
    """The store a command works on: ``--store``, else the configuration (ADR 0040)."""
    from govoffice.adapters.config import resolve_store

    return resolve_store(store, default=DEFAULT_SQLITE_URL).url


@contextmanager
def opened(store: str | None, *, clock: Any = None, create: bool = False) -> Iterator[Office]:
    """The office on ``--store`` (or the configured one). A store that does not exist is a
    clear error (``StoreNotFound``), never created, unless ``create`` (``demo`` and
    ``init`` only; ADR 0035)."""
    from govoffice.bootstrap import open_office

    office = open_office(store_url(store), clock=clock, create=create)
    try:
        yield office
    finally:
        office.close()


def short_id(record_id: object) -> str:
    """The first 8 hex digits of a record's id: what the tables show, and enough to name it
    again in a command (a unique prefix is accepted everywhere an id is)."""
    return str(record_id).replace("-", "")[:8]


def record_id(office: Office, text: str) -> Any:
    """The record an id or a unique prefix of it (at least 4 hex digits) names."""
    from govoffice.adapters.record_ids import resolve_record_id

    return resolve_record_id(office.app, text)


class GovOfficeGroup(click.Group):
    """Shows a GovOfficeError as a clear message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GovOfficeError as e:
            from rich.markup import escape

            err_console().print(f"[red]错误[/red] {type(e).__name__}: {escape(str(e))}")
            sys.exit(2)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Environment variables"):
            formatter.write_dl(list(VARIABLES))
        formatter.write_paragraph()
        formatter.write_text(
            "Each eventsourcing name also works with the GOVOFFICE_ prefix (which wins). "
            "An office is never split over two places: a variable naming another store "
            "than the URL is refused (InvalidStoreConfig)."
        )


@click.group(cls=GovOfficeGroup)
@click.version_option(package_name="govoffice")
def main() -> None:
    """govoffice: a government office's paperwork (办文、办会、办事) as event-sourced records.

    Record ids may be shortened to a unique prefix (the tables show the first 8 hex digits).
    """


@main.command()
@STORE_OPTION
@click.argument("record_id_text", metavar="RECORD_ID")
@click.option(
    "--kind",
    type=click.Choice(sorted(AREAS)),
    default=None,
    help="What kind of record RECORD_ID names (default: found from the record itself).",
)
@click.option("--at", "at_text", default=None, help="Show the state as of this business time.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def history(
    store: str | None, record_id_text: str, kind: str | None, at_text: str | None, fmt: str
) -> None:
    """The decision trail of a record: who did what, when, on whose behalf, with which
    opinion; with --at, also its status as of that business time."""
    with opened(store) as office:
        rid = record_id(office, record_id_text)
        area = getattr(office, AREAS[kind]) if kind else area_of(office, rid)
        trail = area.history(rid)
        state = area.as_of(rid, parse_time(at_text)) if at_text else None
        if fmt == "json":
            rows = [
                {
                    "version": d.version,
                    "action": d.action,
                    "at": d.at.isoformat() if d.at else None,
                    "by": d.by,
                    "on_behalf_of": d.on_behalf_of,
                    "auth_method": d.via.method if d.via else None,
                    "token_id": d.via.token_id if d.via else None,
                    "details": {k: str(v) for k, v in d.details.items()},
                }
                for d in trail
            ]
            out: dict[str, Any] = {"record": str(rid), "trail": rows}
            if state is not None:
                out["status_as_of"] = str(state.status)
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        for d in trail:
            console().print(d.describe(), markup=False)
        if state is not None:
            console().print(f"状态 as of {at_text}: [bold]{state.status}[/bold]")


def area_of(office: Office, rid: uuid.UUID | str) -> Any:
    """The office area that keeps the kind of record ``rid`` names (found from the topic its
    first event was stored with, as ``audit trail`` does)."""
    from govoffice.domain.errors import RecordNotFound

    cls = office.audit.record_type(rid)
    for area in office.areas:
        if getattr(area, "record_type", None) is cls:
            return area
    raise RecordNotFound(f"有办理记录的{cls.KIND}", rid)


def parse_time(value: str) -> pendulum.DateTime:
    import pendulum

    try:
        parsed = pendulum.parse(value, tz="Asia/Shanghai")
    except ValueError:
        raise InvalidInput(f"时间 {value!r} 无法识别 (use e.g. 2026-03-03T10:00+08:00)") from None
    if not isinstance(parsed, pendulum.DateTime):
        raise InvalidInput(f"时间 {value!r} 应包含日期和时间")
    return parsed


_parse_time = parse_time  # the name the command modules used before


# Command modules register themselves on ``main`` when imported (one line each, below).
from govoffice.cli import audit as _audit  # noqa: E402,F401
from govoffice.cli import calendar as _calendar  # noqa: E402,F401
from govoffice.cli import demo as _demo  # noqa: E402,F401
from govoffice.cli import document as _document  # noqa: E402,F401
from govoffice.cli import init as _init  # noqa: E402,F401
from govoffice.cli import meeting as _meeting  # noqa: E402,F401
from govoffice.cli import notify as _notify  # noqa: E402,F401
from govoffice.cli import queue as _queue  # noqa: E402,F401
from govoffice.cli import ranking as _ranking  # noqa: E402,F401
from govoffice.cli import report as _report  # noqa: E402,F401
from govoffice.cli import serve as _serve  # noqa: E402,F401
from govoffice.cli import tick as _tick  # noqa: E402,F401
from govoffice.cli import token as _token  # noqa: E402,F401
from govoffice.cli import views as _views  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
