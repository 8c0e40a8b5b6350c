"""The composition root: open an office on a store, with its clock and calendar."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Mapping
from typing import Any, TypeVar

from eventsourcing.persistence import PersistenceError

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.adapters.chain_audit import hash_chain_mapper
from govoffice.adapters.config import StoreSettings, require_drivers, resolve_store
from govoffice.adapters.encryption import check_key, cipher_settings, key_variable
from govoffice.adapters.gbt9704 import GBT9704Renderer
from govoffice.adapters.multi_read import select_after
from govoffice.adapters.serialization import office_transcodings
from govoffice.adapters.store_presence import require_store
from govoffice.adapters.stores import backend, redacted
from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.application.app import OfficeApplication
from govoffice.application.office import Office
from govoffice.application.ports import Clock, SystemClock, WorkingDays
from govoffice.application.printing import DocumentRenderer
from govoffice.application.views import ViewStore
from govoffice.domain.errors import StoreUnavailable

GBT9704_RENDERER = GBT9704Renderer()
"""The default renderer: GB/T 9704-2012's own layout table."""


def open_office(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    calendar: WorkingDays | None = None,
    env: Mapping[str, str] | None = None,
    heads: str | os.PathLike[str] | None = None,
    renderer: DocumentRenderer | None = GBT9704_RENDERER,
    create: bool = True,
) -> Office:
    """打开办公系统: the office whose events live at ``url``.

    ``url`` is ``"memory"``, ``"sqlite:///office.db"`` or
    ``"postgresql://user@host:port/db"``; without it, ``GOVOFFICE_STORE`` or eventsourcing's
    own variables name the store, else the office is in memory (ADR 0040: one configuration,
    read in :mod:`govoffice.adapters.config`). ``clock`` fills business time when a command
    omits ``at`` (the wall clock in Asia/Shanghai by default); ``calendar`` counts working
    days (China's statutory holidays by default). ``env`` adds eventsourcing settings,
    e.g. ``{"CIPHER_KEY": key}`` for encryption at rest (or ``GOVOFFICE_CIPHER_KEY`` in the
    environment; ADR 0034): events and view documents are then encrypted, and a missing,
    malformed or wrong key is an :class:`EncryptionKeyError` at open; or
    ``{"AUDIT_KEY": ...}`` for the audit key (``GOVOFFICE_AUDIT_KEY`` by default).
    ``heads`` is where sealed heads of the log are written outside the database (a JSON-lines
    file or a directory; ``GOVOFFICE_AUDIT_HEADS`` by default; beside a SQLite file when
    neither is set; ADR 0030). A keyed store opened without its key, or with another one,
    raises :class:`~govoffice.application.sealing.AuditKeyError`.
    ``renderer`` lays out the issued 公文 (GB/T 9704-2012 DOCX and PDF by default; pass a
    ``GBT9704Renderer(layout)`` with an adjusted layout table, or None for none; ADR 0045).
    ``create=False`` opens only a store that exists (:class:`StoreNotFound` otherwise), as
    every command that only reads or delivers does; nothing is created.
    """
    return assemble(
        Office,
        url,
        clock=clock or SystemClock(),
        calendar=calendar,
        env=env,
        heads=heads,
        renderer=renderer,
        create=create,
    )


OfficeT = TypeVar("OfficeT", bound=Office)


def assemble(
    office_class: type[OfficeT],
    url: str | None,
    *,
    clock: Clock,
    calendar: WorkingDays | None = None,
    env: Mapping[str, str] | None = None,
    heads: str | os.PathLike[str] | None = None,
    renderer: DocumentRenderer | None = GBT9704_RENDERER,
    create: bool = True,
) -> OfficeT:
    """Build an office of ``office_class`` (an :class:`Office` or a subclass, e.g. the test
    suites' :class:`~govoffice.testing.TestOffice`) on the store that the configuration
    names: events and views in the same place (``create=False``: only a store that exists,
    see :func:`open_office`)."""
    if heads is not None:
        env = {**(env or {}), "GOVOFFICE_AUDIT_HEADS": os.fspath(heads)}
    config = resolve_store(url, env=env)
    require_drivers(config.settings)
    config = StoreSettings(
        config.url,
        {**config.settings, **cipher_settings(config.settings, config.shown)},
        config.source,
    )
    require_drivers(config.settings)  # the cipher chosen for a key, too
    if not create:
        require_store(config.settings, config.shown)
    app = _application(config)
    try:
        check_key(app, config.shown, key_variable(config.settings))
        _seal(app, config.url)
        cipher = getattr(app.mapper, "cipher", None)
        views = view_store(config.settings, config.shown, cipher=cipher)
    except BaseException:
        app.close()
        raise
    return office_class(
        app,
        clock=clock,
        calendar=calendar or china_calendar(),
        view_store=views,
        scratch_views=MemoryViewStore,
        renderer=renderer,
    )


def view_store(settings: Mapping[str, str], url: str = "", *, cipher: Any = None) -> ViewStore:
    """The view store next to the events that ``settings`` (from
    :func:`~govoffice.adapters.config.resolve_store` or
    :func:`~govoffice.adapters.stores.store_env`) name:
    in memory, in the same SQLite file, or in the same PostgreSQL database and schema
    (ADR 0015); ``cipher`` (the events' cipher) encrypts its documents (ADR 0034). A
    database that cannot be reached raises :class:`StoreUnavailable`."""

    def setting(key: str, default: str = "") -> str:
        # As eventsourcing does: the application-prefixed key first, then the plain one.
        prefixed = f"{OfficeApplication.name.upper()}_{key}"
        return settings.get(prefixed) or settings.get(key) or default

    kind = backend(settings)
    if kind == "sqlite":
        from govoffice.adapters.views_sqlite import SQLiteViewStore

        timeout = setting("SQLITE_LOCK_TIMEOUT", "30")
        return SQLiteViewStore(
            setting("SQLITE_DBNAME"),
            lock_timeout=float(timeout),
            url=url or "sqlite",
            cipher=cipher,
        )
    if kind == "postgres":
        from govoffice.adapters.postgres_store import DEFAULT_STATEMENT_TIMEOUT, session_options
        from govoffice.adapters.views_postgres import PostgresViewStore

        # A page may wait for another runner's page: bounded by the statement timeout, not
        # by the writers' short lock timeout (ADR 0035).
        statement_timeout = float(
            setting("POSTGRES_STATEMENT_TIMEOUT", str(DEFAULT_STATEMENT_TIMEOUT))
        )

        return PostgresViewStore(
            schema=setting("POSTGRES_SCHEMA"),
            url=url or "postgresql",
            host=setting("POSTGRES_HOST", "localhost"),
            port=int(setting("POSTGRES_PORT", "5432")),
            dbname=setting("POSTGRES_DBNAME"),
            user=setting("POSTGRES_USER", "postgres"),
            password=setting("POSTGRES_PASSWORD"),
            connect_timeout=int(setting("POSTGRES_CONNECT_TIMEOUT", "5")),
            options=session_options(statement_timeout),
            cipher=cipher,
        )
    return MemoryViewStore()


def _seal(app: OfficeApplication, url: str) -> None:
    """Seal a new store from its first event and check the audit key (ADR 0030)."""
    evidence = getattr(app.mapper, "tamper_evidence", None)
    if evidence is None:
        return
    try:
        evidence.open()
    except PersistenceError as e:
        raise StoreUnavailable(redacted(url), str(e).strip() or type(e).__name__) from None
    except (OSError, sqlite3.Error) as e:
        raise StoreUnavailable(redacted(url), str(e)) from None


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
                select_after=select_after,
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
