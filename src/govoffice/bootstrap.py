"""The composition root: open an office on a store, with its clock and calendar."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Mapping
from typing import TypeVar

from eventsourcing.persistence import PersistenceError

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.adapters.config import StoreSettings, require_drivers, resolve_store
from govoffice.adapters.hashchain import hash_chain_mapper
from govoffice.adapters.serialization import office_transcodings
from govoffice.adapters.stores import redacted
from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.application.app import OfficeApplication
from govoffice.application.office import Office
from govoffice.application.ports import Clock, SystemClock, WorkingDays
from govoffice.application.views import ViewStore
from govoffice.domain.errors import StoreUnavailable


def open_office(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    calendar: WorkingDays | None = None,
    env: Mapping[str, str] | None = None,
) -> Office:
    """打开办公系统: the office whose events live at ``url``.

    ``url`` is ``"memory"``, ``"sqlite:///office.db"`` or
    ``"postgresql://user@host:port/db"``; without it, ``GOVOFFICE_STORE`` or eventsourcing's
    own variables name the store, else the office is in memory (ADR 0040: one configuration,
    read in :mod:`govoffice.adapters.config`). ``clock`` fills business time when a command
    omits ``at`` (the wall clock in Asia/Shanghai by default); ``calendar`` counts working
    days (China's statutory holidays by default). ``env`` adds eventsourcing settings,
    e.g. ``{"CIPHER_TOPIC": ..., "CIPHER_KEY": ...}`` for encryption at rest.
    """
    return assemble(Office, url, clock=clock or SystemClock(), calendar=calendar, env=env)


OfficeT = TypeVar("OfficeT", bound=Office)


def assemble(
    office_class: type[OfficeT],
    url: str | None,
    *,
    clock: Clock,
    calendar: WorkingDays | None = None,
    env: Mapping[str, str] | None = None,
) -> OfficeT:
    """Build an office of ``office_class`` (an :class:`Office` or a subclass, e.g. the test
    suites' :class:`~govoffice.testing.TestOffice`) on the store that the configuration
    names: events and views in the same place."""
    config = resolve_store(url, env=env)
    require_drivers(config.settings)
    app = _application(config)
    try:
        views = view_store(config.settings, config.shown)
    except BaseException:
        app.close()
        raise
    return office_class(
        app,
        clock=clock,
        calendar=calendar or china_calendar(),
        view_store=views,
        scratch_views=MemoryViewStore,
    )


def view_store(settings: Mapping[str, str], url: str = "") -> ViewStore:
    """The view store next to the events that ``settings`` (from
    :func:`~govoffice.adapters.config.resolve_store` or
    :func:`~govoffice.adapters.stores.store_env`) name:
    in memory, in the same SQLite file, or in the same PostgreSQL database and schema
    (ADR 0015). A database that cannot be reached raises :class:`StoreUnavailable`."""

    def setting(key: str, default: str = "") -> str:
        # As eventsourcing does: the application-prefixed key first, then the plain one.
        prefixed = f"{OfficeApplication.name.upper()}_{key}"
        return settings.get(prefixed) or settings.get(key) or default

    module = setting("PERSISTENCE_MODULE", "eventsourcing.popo")
    if module == "eventsourcing.sqlite":
        from govoffice.adapters.views_sqlite import SQLiteViewStore

        timeout = setting("SQLITE_LOCK_TIMEOUT", "30")
        return SQLiteViewStore(
            setting("SQLITE_DBNAME"), lock_timeout=float(timeout), url=url or "sqlite"
        )
    if module == "eventsourcing.postgres":
        from govoffice.adapters.views_postgres import PostgresViewStore

        return PostgresViewStore(
            schema=setting("POSTGRES_SCHEMA"),
            url=url or "postgresql",
            host=setting("POSTGRES_HOST", "localhost"),
            port=int(setting("POSTGRES_PORT", "5432")),
            dbname=setting("POSTGRES_DBNAME"),
            user=setting("POSTGRES_USER", "postgres"),
            password=setting("POSTGRES_PASSWORD"),
            connect_timeout=int(setting("POSTGRES_CONNECT_TIMEOUT", "5")),
        )
    return MemoryViewStore()


_CREATE_RACE = ("tuple concurrently updated", "already exists", "duplicate key value")
"""What PostgreSQL answers when several processes run the library's CREATE statements (tables,
types, the insert function) on one database at the same moment, e.g. web workers starting
together; trying again a moment later succeeds."""
_OPEN_ATTEMPTS = 5


def _application(config: StoreSettings) -> OfficeApplication:
    url = config.url
    for attempt in range(1, _OPEN_ATTEMPTS + 1):
        try:
            return OfficeApplication(
                config.application_env(),
                transcodings=office_transcodings(),
                store_url=redacted(url),
                mapper_factory=hash_chain_mapper,
            )
        except PersistenceError as e:
            reason = str(e).strip() or type(e).__name__
            if attempt < _OPEN_ATTEMPTS and any(race in reason for race in _CREATE_RACE):
                time.sleep(random.uniform(0.05, 0.2) * attempt)
                continue
            raise StoreUnavailable(redacted(url), reason) from None
        except (OSError, sqlite3.Error) as e:  # e.g. "file is not a database"
            raise StoreUnavailable(redacted(url), str(e)) from None
    raise AssertionError("unreachable")  # pragma: no cover
