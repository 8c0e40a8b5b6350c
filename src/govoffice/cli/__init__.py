"""The ``govoffice`` command: thin — it parses, calls the application, prints.

Errors the office raises are shown as one clear line (exit status 2), never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import pendulum
from rich.console import Console

from govoffice.adapters.stores import DEFAULT_SQLITE_URL
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.domain.errors import GovOfficeError, InvalidInput

console = Console()

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
err_console = Console(stderr=True)

STORE_OPTION = click.option(
    "--store",
    default=DEFAULT_SQLITE_URL,
    show_default=True,
    envvar="GOVOFFICE_STORE",
    help="Where the events live: memory, sqlite:///file.db or postgresql://user@host:port/db.",
)


@contextmanager
def opened(store: str, *, clock: Any = None) -> Iterator[Office]:
    office = open_office(store, clock=clock)
    try:
        yield office
    finally:
        office.close()


class GovOfficeGroup(click.Group):
    """Shows a GovOfficeError as a clear message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GovOfficeError as e:
            err_console.print(f"[red]错误[/red] {type(e).__name__}: {e}")
            sys.exit(2)


@click.group(cls=GovOfficeGroup)
@click.version_option(package_name="govoffice")
def main() -> None:
    """govoffice: a government office's paperwork (办文、办会、办事) as event-sourced records."""


@main.command()
@STORE_OPTION
@click.argument("record_id")
@click.option(
    "--kind",
    type=click.Choice(sorted(AREAS)),
    default="document",
    show_default=True,
    help="What kind of record RECORD_ID names.",
)
@click.option("--at", "at_text", default=None, help="Show the state as of this business time.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def history(store: str, record_id: str, kind: str, at_text: str | None, fmt: str) -> None:
    """The decision trail of a record: who did what, when, on whose behalf, with which
    opinion; with --at, also its status as of that business time."""
    with opened(store) as office:
        area = getattr(office, AREAS[kind])
        trail = area.history(record_id)
        state = area.as_of(record_id, _parse_time(at_text)) if at_text else None
        if fmt == "json":
            rows = [
                {
                    "version": d.version,
                    "action": d.action,
                    "at": d.at.isoformat() if d.at else None,
                    "by": d.by,
                    "on_behalf_of": d.on_behalf_of,
                    "details": {k: str(v) for k, v in d.details.items()},
                }
                for d in trail
            ]
            out: dict[str, Any] = {"record": record_id, "trail": rows}
            if state is not None:
                out["status_as_of"] = str(state.status)
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        for d in trail:
            console.print(d.describe())
        if state is not None:
            console.print(f"状态 as of {at_text}: [bold]{state.status}[/bold]")


def _parse_time(value: str) -> pendulum.DateTime:
    try:
        parsed = pendulum.parse(value, tz="Asia/Shanghai")
    except ValueError:
        raise InvalidInput(f"时间 {value!r} 无法识别 (use e.g. 2026-03-03T10:00+08:00)") from None
    if not isinstance(parsed, pendulum.DateTime):
        raise InvalidInput(f"时间 {value!r} 应包含日期和时间")
    return parsed


# Command modules register themselves on ``main`` when imported (one line each, below).
from govoffice.cli import audit as _audit  # noqa: E402,F401
from govoffice.cli import demo as _demo  # noqa: E402,F401
from govoffice.cli import notify as _notify  # noqa: E402,F401
from govoffice.cli import queue as _queue  # noqa: E402,F401
from govoffice.cli import ranking as _ranking  # noqa: E402,F401
from govoffice.cli import report as _report  # noqa: E402,F401
from govoffice.cli import views as _views  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
