"""Whether a store exists: a command that only reads or delivers never creates one.

Opening an office runs the storage library's ``CREATE TABLE IF NOT EXISTS``: on a mistyped
SQLite path that makes an empty database file, and on PostgreSQL empty tables in whatever
schema the URL names; the command then reports "0 events" as if all were well.
:func:`require_store` looks first, without creating anything, and raises
:class:`StoreNotFound` where there is no office's event table.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping

from govoffice.adapters.stores import backend
from govoffice.adapters.views_sqlite import is_memory_dbname
from govoffice.domain.errors import StoreNotFound, StoreUnavailable

SQLITE_EVENTS_TABLE = "stored_events"
"""The events table eventsourcing makes in an SQLite file."""
POSTGRES_EVENTS_TABLE = "govoffice_events"
"""The events table eventsourcing makes in PostgreSQL (the application's name + ``_events``)."""


def setting(settings: Mapping[str, str], key: str, default: str = "") -> str:
    """As eventsourcing reads its settings: the application-prefixed key first, then the
    plain one."""
    return settings.get(f"GOVOFFICE_{key}") or settings.get(key) or default


def require_store(settings: Mapping[str, str], url: str) -> None:
    """Raise :class:`StoreNotFound` unless the store ``settings`` name holds an office's
    events table (an in-memory store always exists: it is made empty on purpose)."""
    kind = backend(settings)
    if kind == "sqlite":
        _require_sqlite(setting(settings, "SQLITE_DBNAME"), url)
    elif kind == "postgres":
        _require_postgres(settings, url)


def _require_sqlite(dbname: str, url: str) -> None:
    if is_memory_dbname(dbname):
        return
    if not os.path.isfile(dbname):
        raise StoreNotFound(url, f"找不到文件 {dbname}")
    try:
        conn = sqlite3.connect(f"file:{dbname}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise StoreUnavailable(url, str(e)) from None
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (SQLITE_EVENTS_TABLE,),
        ).fetchone()
    except sqlite3.Error as e:  # e.g. "file is not a database"
        raise StoreUnavailable(url, str(e)) from None
    finally:
        conn.close()
    if found is None:
        raise StoreNotFound(url, f"文件 {dbname} 中没有办公记录 (no events table)")


def _require_postgres(settings: Mapping[str, str], url: str) -> None:
    import psycopg

    schema = setting(settings, "POSTGRES_SCHEMA").strip() or "public"
    try:
        with psycopg.connect(
            host=setting(settings, "POSTGRES_HOST", "localhost"),
            port=int(setting(settings, "POSTGRES_PORT", "5432")),
            dbname=setting(settings, "POSTGRES_DBNAME"),
            user=setting(settings, "POSTGRES_USER", "postgres"),
            password=setting(settings, "POSTGRES_PASSWORD"),
            connect_timeout=int(setting(settings, "POSTGRES_CONNECT_TIMEOUT", "5")),
            autocommit=True,
        ) as conn:
            row = conn.execute(
                "SELECT to_regclass(format('%%I.%%I', %s::text, %s::text))",
                (schema, POSTGRES_EVENTS_TABLE),
            ).fetchone()
    except psycopg.Error as e:
        raise StoreUnavailable(url, str(e).strip() or type(e).__name__) from None
    if row is None or row[0] is None:
        raise StoreNotFound(url, f"模式 {schema} 中没有办公记录表 {POSTGRES_EVENTS_TABLE}")
