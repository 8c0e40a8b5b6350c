"""日志封印的存放 where sealed heads are kept (ADR 0030), and their JSON form.

A head is one JSON object (one line of a JSON-lines file)::

    {"head": 1, "scheme": ..., "chain": ..., "position": ..., "count": ..., "log_hash": ...,
     "start": ..., "ids": [[low, high], ...], "fp": <base64>, "recorded_at": <UTC ISO>,
     "key_id": ... | null, "sig": <hex>}

``sig`` is HMAC-SHA256 under the audit key (SHA-256 without one) of the canonical JSON of
every other field (sorted keys, no spaces).

Two places, both written:

- **outside the database** (what proves a cut-off tail): a JSON-lines file named by
  ``GOVOFFICE_AUDIT_HEADS`` or ``open_office(..., heads=...)`` (a directory gets a file named
  after the store), appended under an exclusive lock and synced; with none configured, a
  SQLite store's heads go beside its file (``office.db.heads.jsonl``);
- **inside the database**, a convenience and the fallback: the table
  ``govoffice_audit_heads`` next to the events (a list for the memory store). Whoever can
  cut the log can delete these too; the heads outside are what finds that.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder

from govoffice.application.sealing import HEAD_FORMAT, BadHeadFile, Head, HeadsUnavailable

TABLE = "govoffice_audit_heads"
SUFFIX = ".heads.jsonl"
_TAIL = 256 * 1024
"""How much of a heads file's end is read to find its latest head (the whole file when the
tail holds none)."""


# --- the JSON form --------------------------------------------------------------------------


def fields_of(head: Head) -> dict[str, Any]:
    """Every signed field of a head, as stored."""
    return head.fields()


def signing_bytes(fields: dict[str, Any]) -> bytes:
    body = {k: v for k, v in fields.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def to_line(head: Head) -> str:
    return head.to_json()


def from_json(data: object, source: str) -> Head:
    """A head from its JSON object; ValueError when it is not one."""
    if not isinstance(data, dict) or data.get("head") != HEAD_FORMAT:
        raise ValueError("not a govoffice sealed head")
    try:
        ids = tuple((int(low), int(high)) for low, high in data["ids"])
        key = data["key_id"]
        return Head(
            chain=str(data["chain"]),
            position=int(data["position"]),
            count=int(data["count"]),
            log_hash=str(data["log_hash"]),
            start=int(data["start"]),
            ids=ids,
            fingerprints=str(data["fp"]),
            recorded_at=datetime.fromisoformat(str(data["recorded_at"])),
            key_id=None if key is None else str(key),
            scheme=str(data["scheme"]),
            signature=str(data["sig"]),
            source=source,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"malformed sealed head ({type(e).__name__}: {e})") from None


def _parse_lines(lines: Iterable[str], source: str) -> list[Head]:
    heads = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            heads.append(from_json(json.loads(line), f"{source}:{number}"))
        except ValueError:
            continue  # a torn or foreign line: the heads around it still count
    return heads


def read_head_file(path: str) -> list[Head]:
    """Every head in a file: JSON lines, one JSON object, or a list of them (what ``govoffice
    audit head`` prints and what the heads files hold)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise BadHeadFile(path, str(e)) from None
    stripped = text.strip()
    heads: list[Head] = []
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError as e:
            raise BadHeadFile(path, str(e)) from None
        for number, item in enumerate(items if isinstance(items, list) else [], 1):
            try:
                heads.append(from_json(item, f"{path}#{number}"))
            except ValueError as e:
                raise BadHeadFile(path, str(e)) from None
    else:
        try:
            heads = [from_json(json.loads(stripped), path)]
        except ValueError:
            heads = _parse_lines(text.splitlines(), path)
    if not heads:
        raise BadHeadFile(path, "no sealed head in it")
    return heads


# --- where heads are kept -------------------------------------------------------------------


class HeadStore(Protocol):
    label: str
    outside: bool
    """Kept outside the database: what proves a cut-off tail."""

    def load(self, chain: str | None = None) -> list[Head]:
        """The heads kept here (of one chain, or all)."""
        ...

    def latest(self, chain: str | None = None) -> Head | None: ...

    def add(self, head: Head) -> None: ...


def _latest(heads: Iterable[Head]) -> Head | None:
    best: Head | None = None
    for h in heads:
        if best is None or h.position > best.position:
            best = h
    return best


class MemoryHeads:
    """For the memory store: the heads live as long as the office."""

    outside = False
    label = "memory"

    def __init__(self) -> None:
        self._items: list[Head] = []
        self._lock = threading.Lock()

    def load(self, chain: str | None = None) -> list[Head]:
        with self._lock:
            return [h for h in self._items if chain is None or h.chain == chain]

    def latest(self, chain: str | None = None) -> Head | None:
        return _latest(self.load(chain))

    def add(self, head: Head) -> None:
        with self._lock:
            self._items.append(head)


class FileHeads:
    """One JSON object per line, appended under an exclusive lock and synced to disk."""

    outside = True

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = path

    def load(self, chain: str | None = None) -> list[Head]:
        if not os.path.exists(self.path):
            return []
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                heads = _parse_lines(f, self.path)
        except OSError as e:
            raise HeadsUnavailable(self.path, str(e)) from None
        return [h for h in heads if chain is None or h.chain == chain]

    def latest(self, chain: str | None = None) -> Head | None:
        if not os.path.exists(self.path):
            return None
        try:
            with open(self.path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - _TAIL))
                tail = f.read().decode("utf-8", errors="replace")
        except OSError as e:
            raise HeadsUnavailable(self.path, str(e)) from None
        lines = tail.splitlines()
        if size > _TAIL and lines:
            lines = lines[1:]  # the first line of the tail may be cut
        found = _latest(
            h for h in _parse_lines(lines, self.path) if chain is None or h.chain == chain
        )
        return found if found is not None or size <= _TAIL else _latest(self.load(chain))

    def add(self, head: Head) -> None:
        line = (to_line(head) + "\n").encode("utf-8")
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                _lock(fd)
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            raise HeadsUnavailable(self.path, str(e)) from None


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: one write() per line
        return
    fcntl.flock(fd, fcntl.LOCK_EX)  # released when the file is closed


class SQLiteHeads:
    """A table in the SQLite file that holds the events."""

    outside = False

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self.label = f"{TABLE} (in the database)"
        self._created = False

    def _create(self) -> None:
        if self._created:
            return
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "seq INTEGER PRIMARY KEY AUTOINCREMENT, chain TEXT NOT NULL, "
                "position INTEGER NOT NULL, head TEXT NOT NULL)"
            )
        self._created = True

    def _select(self, chain: str | None, latest: bool) -> list[Head]:
        self._create()
        order = " ORDER BY position DESC LIMIT 1" if latest else " ORDER BY seq"
        where, args = (" WHERE chain = ?", (chain,)) if chain is not None else ("", ())
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT seq, head FROM {TABLE}{where}{order}", args)
            rows = c.fetchall()
        return _rows(rows, self.label)

    def load(self, chain: str | None = None) -> list[Head]:
        return self._select(chain, latest=False)

    def latest(self, chain: str | None = None) -> Head | None:
        return _latest(self._select(chain, latest=True))

    def add(self, head: Head) -> None:
        self._create()
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO {TABLE} (chain, position, head) VALUES (?, ?, ?)",
                (head.chain, head.position, to_line(head)),
            )


def _rows(rows: Iterable[Any], label: str) -> list[Head]:
    heads = []
    for row in rows:
        seq, text = (row["seq"], row["head"]) if isinstance(row, dict) else (row[0], row[1])
        try:
            heads.append(from_json(json.loads(text), f"{label} #{seq}"))
        except ValueError:
            continue
    return heads


class PostgresHeads:
    """A table in the schema that holds the events."""

    outside = False

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self.label = f"{TABLE} (in the database)"
        self._created = False

    def _table(self) -> Any:
        from psycopg.sql import SQL, Identifier

        return SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier(TABLE))

    def _create(self) -> None:
        if self._created:
            return
        from psycopg.sql import SQL

        statement = SQL(
            "CREATE TABLE IF NOT EXISTS {} (seq bigserial PRIMARY KEY, chain text NOT NULL, "
            "position bigint NOT NULL, head text NOT NULL)"
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

    def _select(self, chain: str | None, latest: bool) -> list[Head]:
        self._create()
        from psycopg.sql import SQL

        order = " ORDER BY position DESC LIMIT 1" if latest else " ORDER BY seq"
        where, args = (" WHERE chain = %s", (chain,)) if chain is not None else ("", ())
        with self.datastore.transaction(commit=False) as c:
            c.execute(SQL("SELECT seq, head FROM {}" + where + order).format(self._table()), args)
            rows = c.fetchall()
        return _rows(rows, self.label)

    def load(self, chain: str | None = None) -> list[Head]:
        return self._select(chain, latest=False)

    def latest(self, chain: str | None = None) -> Head | None:
        return _latest(self._select(chain, latest=True))

    def add(self, head: Head) -> None:
        self._create()
        from psycopg.sql import SQL

        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL("INSERT INTO {} (chain, position, head) VALUES (%s, %s, %s)").format(
                    self._table()
                ),
                (head.chain, head.position, to_line(head)),
            )


def inside_store(recorder: ApplicationRecorder) -> HeadStore:
    """The table next to the events (a list for the memory store)."""
    datastore = getattr(recorder, "datastore", None)
    module = type(datastore).__module__ if datastore is not None else ""
    if module == "eventsourcing.sqlite":
        return SQLiteHeads(datastore)
    if module == "eventsourcing.postgres":
        return PostgresHeads(datastore)
    return MemoryHeads()


def outside_path(configured: str | None, settings: dict[str, str]) -> str | None:
    """The file the heads go to outside the database: ``configured`` (a file, or a
    directory that gets a file named after the store), else beside a SQLite file, else
    none."""
    module = settings.get("PERSISTENCE_MODULE", "")
    dbname = settings.get("SQLITE_DBNAME", "")
    on_disk = module == "eventsourcing.sqlite" and dbname and not _memory_sqlite(dbname)
    if configured:
        path = os.path.expanduser(configured)
        if os.path.isdir(path):
            return os.path.join(path, _store_name(settings, dbname if on_disk else "") + SUFFIX)
        return path
    if on_disk:
        return os.path.abspath(dbname) + SUFFIX
    return None


def _memory_sqlite(dbname: str) -> bool:
    return ":memory:" in dbname or "mode=memory" in dbname


def _store_name(settings: dict[str, str], sqlite_path: str) -> str:
    if sqlite_path:
        name = os.path.basename(sqlite_path)
    elif settings.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        name = (
            f"{settings.get('POSTGRES_DBNAME', '')}-{settings.get('POSTGRES_SCHEMA') or 'public'}"
        )
    else:
        name = "govoffice"
    return re.sub(r"[^\w.-]+", "_", name) or "govoffice"
