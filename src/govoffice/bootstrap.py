"""The composition root: open an office on a store, with its clock and calendar."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from eventsourcing.persistence import PersistenceError

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.adapters.serialization import office_transcodings
from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.adapters.stores import redacted, store_env
from govoffice.application.app import OfficeApplication
from govoffice.application.office import Office
from govoffice.application.ports import Clock, SystemClock, WorkingDays
from govoffice.domain.errors import StoreUnavailable


def open_office(
    url: str = "memory",
    *,
    clock: Clock | None = None,
    calendar: WorkingDays | None = None,
    env: Mapping[str, str] | None = None,
) -> Office:
    """打开办公系统: the office whose events live at ``url``.

    ``url`` is ``"memory"``, ``"sqlite:///office.db"`` or
    ``"postgresql://user@host:port/db"``. ``clock`` fills business time when a command
    omits ``at`` (the wall clock in Asia/Shanghai by default); ``calendar`` counts working
    days (China's statutory holidays by default). ``env`` adds eventsourcing settings,
    e.g. ``{"CIPHER_TOPIC": ..., "CIPHER_KEY": ...}`` for encryption at rest.
    """
    settings = {**store_env(url), **(env or {})}
    try:
        app = OfficeApplication(
            settings, transcodings=office_transcodings(), store_url=redacted(url)
        )
    except PersistenceError as e:
        raise StoreUnavailable(redacted(url), str(e).strip() or type(e).__name__) from None
    except (OSError, sqlite3.Error) as e:  # e.g. "file is not a database"
        raise StoreUnavailable(redacted(url), str(e)) from None
    return Office(
        app,
        clock=clock or SystemClock(),
        calendar=calendar or china_calendar(),
        view_store=MemoryViewStore(),
    )
