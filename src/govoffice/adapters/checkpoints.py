"""检查点 where the log's checkpoints are kept, apart from the events (ADR 0018).

By default in the same database as the events, in a table of their own
(``govoffice_audit_checkpoints``), or in memory for the memory store. A file named by
``AUDIT_CHECKPOINT_FILE`` (JSON lines, appended) keeps them anywhere else: on another
machine's share, on write-once media, where whoever can rewrite the database cannot.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder

from govoffice.application.audit import Checkpoint

TABLE = "govoffice_audit_checkpoints"


class CheckpointStore(Protocol):
    def load(self) -> list[Checkpoint]: ...

    def add(self, checkpoint: Checkpoint) -> None: ...


def _to_json(cp: Checkpoint) -> dict[str, Any]:
    return {
        "notification_id": cp.notification_id,
        "global_hash": cp.global_hash,
        "count": cp.count,
        "recorded_at": cp.recorded_at.isoformat(),
        "keyed": cp.keyed,
    }


def _from_json(d: dict[str, Any]) -> Checkpoint:
    return Checkpoint(
        notification_id=int(d["notification_id"]),
        global_hash=str(d["global_hash"]),
        count=int(d["count"]),
        recorded_at=datetime.fromisoformat(str(d["recorded_at"])),
        keyed=bool(d["keyed"]),
    )


class MemoryCheckpoints:
    """For the memory store: the checkpoints live as long as the office."""

    def __init__(self) -> None:
        self._items: list[Checkpoint] = []
        self._lock = threading.Lock()

    def load(self) -> list[Checkpoint]:
        with self._lock:
            return list(self._items)

    def add(self, checkpoint: Checkpoint) -> None:
        with self._lock:
            self._items.append(checkpoint)


class FileCheckpoints:
    """One JSON object per line, appended and flushed to disk."""

    def __init__(self, path: str) -> None:
        self.path = path

    def load(self) -> list[Checkpoint]:
        if not os.path.exists(self.path):
            return []
        with open(self.path, encoding="utf-8") as f:
            return [_from_json(json.loads(line)) for line in f if line.strip()]

    def add(self, checkpoint: Checkpoint) -> None:
        line = json.dumps(_to_json(checkpoint), ensure_ascii=False)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())


class SQLiteCheckpoints:
    """A table in the SQLite file that holds the events."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self._created = False

    def _create(self) -> None:
        if self._created:
            return
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "seq INTEGER PRIMARY KEY AUTOINCREMENT, notification_id INTEGER NOT NULL, "
                "global_hash TEXT NOT NULL, event_count INTEGER NOT NULL, "
                "recorded_at TEXT NOT NULL, keyed INTEGER NOT NULL)"
            )
        self._created = True

    def load(self) -> list[Checkpoint]:
        self._create()
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT notification_id, global_hash, event_count, recorded_at, keyed "
                f"FROM {TABLE} ORDER BY seq"
            )
            rows = c.fetchall()
        return [
            Checkpoint(
                notification_id=int(r[0]),
                global_hash=str(r[1]),
                count=int(r[2]),
                recorded_at=datetime.fromisoformat(str(r[3])),
                keyed=bool(r[4]),
            )
            for r in rows
        ]

    def add(self, checkpoint: Checkpoint) -> None:
        self._create()
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO {TABLE} (notification_id, global_hash, event_count, recorded_at, "
                "keyed) VALUES (?, ?, ?, ?, ?)",
                (
                    checkpoint.notification_id,
                    checkpoint.global_hash,
                    checkpoint.count,
                    checkpoint.recorded_at.isoformat(),
                    int(checkpoint.keyed),
                ),
            )


class PostgresCheckpoints:
    """A table in the schema that holds the events."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self._created = False

    def _table(self) -> Any:
        from psycopg.sql import SQL, Identifier

        return SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier(TABLE))

    def _create(self) -> None:
        if self._created:
            return
        from psycopg.sql import SQL

        statement = SQL(
            "CREATE TABLE IF NOT EXISTS {} (seq bigserial PRIMARY KEY, "
            "notification_id bigint NOT NULL, global_hash text NOT NULL, "
            "event_count bigint NOT NULL, recorded_at timestamptz NOT NULL, "
            "keyed boolean NOT NULL)"
        ).format(self._table())
        try:
            with self.datastore.transaction(commit=True) as c:
                c.execute(statement)
        except Exception:
            # Two processes creating the table at once: one wins, the other finds it there.
            if not self._exists():
                raise
        self._created = True

    def _exists(self) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT to_regclass(%s) AS t", (f'"{self.datastore.schema}"."{TABLE}"',))
            row = c.fetchone()
        return row is not None and row["t"] is not None

    def load(self) -> list[Checkpoint]:
        self._create()
        from psycopg.sql import SQL

        with self.datastore.transaction(commit=False) as c:
            c.execute(
                SQL(
                    "SELECT notification_id, global_hash, event_count, recorded_at, keyed "
                    "FROM {} ORDER BY seq"
                ).format(self._table())
            )
            rows = c.fetchall()
        return [
            Checkpoint(
                notification_id=int(r["notification_id"]),
                global_hash=str(r["global_hash"]),
                count=int(r["event_count"]),
                recorded_at=r["recorded_at"],
                keyed=bool(r["keyed"]),
            )
            for r in rows
        ]

    def add(self, checkpoint: Checkpoint) -> None:
        self._create()
        from psycopg.sql import SQL

        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "INSERT INTO {} (notification_id, global_hash, event_count, recorded_at, "
                    "keyed) VALUES (%s, %s, %s, %s, %s)"
                ).format(self._table()),
                (
                    checkpoint.notification_id,
                    checkpoint.global_hash,
                    checkpoint.count,
                    checkpoint.recorded_at,
                    checkpoint.keyed,
                ),
            )


def checkpoint_store(recorder: ApplicationRecorder, path: str | None = None) -> CheckpointStore:
    """The checkpoint file when one is configured, else a table next to the events (or a
    list, for the memory store)."""
    if path:
        return FileCheckpoints(path)
    datastore = getattr(recorder, "datastore", None)
    module = type(datastore).__module__ if datastore is not None else ""
    if module == "eventsourcing.sqlite":
        return SQLiteCheckpoints(datastore)
    if module == "eventsourcing.postgres":
        return PostgresCheckpoints(datastore)
    return MemoryCheckpoints()
