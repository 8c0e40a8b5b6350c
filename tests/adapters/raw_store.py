"""The store as an intruder with write access to the database sees it: raw SQL on the SQLite
file (``sqlite3``) and on the PostgreSQL schema (``psycopg``), with the office closed.

Used by the tamper-evidence tests (ADR 0018, 0030) and the derived-data tests (ADR 0031).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from govoffice.adapters.hashchain import (
    MODE_HMAC,
    MODE_SHA256,
    ChainHash,
    Envelope,
    seal,
)
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from tests.conftest import POSTGRES_URL


@dataclass(frozen=True)
class Row:
    nid: int
    oid: uuid.UUID
    version: int
    topic: str
    state: bytes


class RawStore:
    """Raw access to the events table and the tables beside it. Statements use ``?`` and
    name tables ``{events}``, ``{views}``, ``{heads}``."""

    kind: str
    nid: str
    """The column that holds the notification id."""

    def run(self, sql: str, *args: Any) -> list[Any]:
        raise NotImplementedError

    def rows(self) -> list[Row]:
        return [
            Row(r[0], uuid.UUID(str(r[1])), r[2], r[3], bytes(r[4]))
            for r in self.run(
                f"SELECT {self.nid}, originator_id, originator_version, topic, state "
                f"FROM {{events}} ORDER BY {self.nid}"
            )
        ]

    def oid(self, record: uuid.UUID) -> Any:
        return record

    def set_state(self, nid: int, state: bytes) -> None:
        self.run(f"UPDATE {{events}} SET state = ? WHERE {self.nid} = ?", state, nid)

    def set_version(self, nid: int, version: int) -> None:
        self.run(f"UPDATE {{events}} SET originator_version = ? WHERE {self.nid} = ?", version, nid)

    def delete(self, *nids: int) -> None:
        for nid in nids:
            self.run(f"DELETE FROM {{events}} WHERE {self.nid} = ?", nid)

    def insert(self, oid: uuid.UUID, version: int, topic: str, state: bytes) -> int:
        self.run(
            "INSERT INTO {events} (originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?)",
            self.oid(oid),
            version,
            topic,
            state,
        )
        return max(r.nid for r in self.rows())

    def swap_positions(self, a: int, b: int) -> None:
        self.run(f"UPDATE {{events}} SET {self.nid} = -1 WHERE {self.nid} = ?", a)
        self.run(f"UPDATE {{events}} SET {self.nid} = ? WHERE {self.nid} = ?", a, b)
        self.run(f"UPDATE {{events}} SET {self.nid} = ? WHERE {self.nid} = -1", b)

    def delete_heads_inside(self) -> int:
        (n,) = self.run("SELECT count(*) FROM {heads}")[0]
        self.run("DELETE FROM {heads}")
        return int(n)

    # --- views -------------------------------------------------------------------------

    def view_rows(self, view: str, table: str) -> dict[str, str]:
        return {
            str(k): str(d)
            for k, d in self.run(
                "SELECT key, doc FROM {views} WHERE view = ? AND tbl = ?", view, table
            )
        }

    def set_view_row(self, view: str, table: str, key: str, doc: str) -> None:
        self.run(
            "UPDATE {views} SET doc = ? WHERE view = ? AND tbl = ? AND key = ?",
            doc,
            view,
            table,
            key,
        )

    def insert_view_row(self, view: str, table: str, key: str, doc: str) -> None:
        self.run(
            "INSERT INTO {views} (view, tbl, key, doc) VALUES (?, ?, ?, ?)", view, table, key, doc
        )


class SQLiteStore(RawStore):
    kind = "sqlite"
    nid = "rowid"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self.heads_file: Path | None = None

    def run(self, sql: str, *args: Any) -> list[Any]:
        sql = sql.format(
            events="stored_events", views="govoffice_view_rows", heads="govoffice_audit_heads"
        )
        with sqlite3.connect(self.path) as db:
            return db.execute(sql, args).fetchall()

    def oid(self, record: uuid.UUID) -> Any:
        return record.hex

    @property
    def outside_heads(self) -> Path:
        """Where the heads go outside the database: beside the file, by default."""
        return Path(f"{self.path}.heads.jsonl")


class PostgresStore(RawStore):
    kind = "postgres"
    nid = "notification_id"

    def __init__(self, url: str, heads_file: Path) -> None:
        self.url = url
        self.schema = parse_qs(urlsplit(url).query)["schema"][0]
        self.heads_file: Path | None = heads_file

    def run(self, sql: str, *args: Any) -> list[Any]:
        import psycopg

        s = f'"{self.schema}"'
        sql = sql.format(
            events=f"{s}.govoffice_events",
            views=f"{s}.govoffice_view_rows",
            heads=f"{s}.govoffice_audit_heads",
        ).replace("?", "%s")
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            cur = conn.execute(sql, args)
            return cur.fetchall() if cur.description else []

    @property
    def outside_heads(self) -> Path:
        """PostgreSQL has no file to put heads beside: the operator names one."""
        assert self.heads_file is not None
        return self.heads_file


def raw_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> RawStore:
    if kind == "sqlite":
        return SQLiteStore(tmp_path / "office.db")
    url = str(request.getfixturevalue("postgres_schema_url"))
    return PostgresStore(url, tmp_path / "pg.heads.jsonl")


def open_store(store: RawStore, key: str | None = None, **env: str) -> Office:
    """Open the office on ``store`` as its operator does: the audit key (if any), and for
    PostgreSQL the heads file the operator configured (``GOVOFFICE_AUDIT_HEADS``)."""
    settings = dict(env)
    if key is not None:
        settings["AUDIT_KEY"] = key
    return open_office(store.url, env=settings, heads=store.heads_file)


def events_of(raw: RawStore, record: uuid.UUID) -> list[Row]:
    return [r for r in raw.rows() if r.oid == record]


def reseal(raw: RawStore, record: uuid.UUID, edit: Any, key: str | None) -> int:
    """Rewrite a record's chain as a forger would: edit one event's payload (``edit`` maps
    the stored payload to the new one, None for the events left alone) and recompute every
    seal from there on, with ``key`` (the forger holds it) or none. Returns the first
    rewritten notification id."""
    hasher = ChainHash(key.encode() if key else None)
    mode = MODE_HMAC if key else MODE_SHA256
    prev = bytes(32)
    first = 0
    changed = False
    for row in events_of(raw, record):
        env = Envelope(row.state)
        payload = env.payload
        edited = edit(payload) if not changed else None
        if edited is not None:
            payload, changed, first = edited, True, row.nid
        if changed:
            h = hasher.event(prev, str(record), row.version, row.topic, payload)
            raw.set_state(row.nid, seal(mode, h, payload))
            prev = h
        else:
            prev = env.event_hash
    assert changed, "nothing edited"
    return first


def iter_lines(path: Path) -> Iterator[str]:
    yield from path.read_text(encoding="utf-8").splitlines()
