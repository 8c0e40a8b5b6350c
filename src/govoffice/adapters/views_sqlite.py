"""The SQLite view store (视图库): views in the same file as the office's events.

Two tables next to the library's ``stored_events``::

    govoffice_view_rows(view, tbl, key, doc)        -- doc: compact JSON; PK (view, tbl, key)
    govoffice_view_positions(view, position)        -- last notification id taken in
    govoffice_view_leases(view, tbl, key, claimer, until)  -- who holds a document, till when

The store has its own connection (WAL, as the events). A page's writes are buffered (its
handlers read their own writes) and written with one ``executemany`` at the end of one
``BEGIN IMMEDIATE … COMMIT`` that first checks that no other runner moved the views'
positions and ends by moving them; so every event affects every view exactly once
(ADR 0015). While a page is in progress, other writers to the file (the office's commands
included) wait for it: at most about a page's time.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from govoffice.adapters.views_sql import (
    BufferedTransaction,
    DocumentCodec,
    check_positions,
    prefix_upper_bound,
)
from govoffice.application.views import Document
from govoffice.domain.errors import StoreUnavailable

ROWS = "govoffice_view_rows"
POSITIONS = "govoffice_view_positions"
LEASES = "govoffice_view_leases"

_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {ROWS} ("
    "view TEXT NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, "
    "PRIMARY KEY (view, tbl, key)) WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS {POSITIONS} ("
    "view TEXT NOT NULL PRIMARY KEY, position INTEGER NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {LEASES} ("
    "view TEXT NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL, claimer TEXT NOT NULL, "
    "until REAL NOT NULL, PRIMARY KEY (view, tbl, key)) WITHOUT ROWID",
)
_UNLEASED = (
    f"SELECT r.key, r.doc FROM {ROWS} AS r LEFT JOIN {LEASES} AS l "
    "ON l.view = r.view AND l.tbl = r.tbl AND l.key = r.key "
    "WHERE r.view = ? AND r.tbl = ? AND (l.until IS NULL OR l.until <= ?) ORDER BY r.key LIMIT ?"
)
_LEASE = (
    f"INSERT INTO {LEASES} (view, tbl, key, claimer, until) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (view, tbl, key) DO UPDATE SET claimer = excluded.claimer, until = excluded.until"
)
_RENEW = f"UPDATE {LEASES} SET until = ? WHERE view = ? AND tbl = ? AND key = ? AND claimer = ?"
_RELEASE = f"DELETE FROM {LEASES} WHERE view = ? AND tbl = ? AND key = ? AND claimer = ?"
_GET = f"SELECT doc FROM {ROWS} WHERE view = ? AND tbl = ? AND key = ?"
_SCAN = f"SELECT key, doc FROM {ROWS} WHERE view = ? AND tbl = ? AND key >= ? ORDER BY key"
_SCAN_RANGE = (
    f"SELECT key, doc FROM {ROWS} WHERE view = ? AND tbl = ? AND key >= ? AND key < ? ORDER BY key"
)
_UPSERT = (
    f"INSERT INTO {ROWS} (view, tbl, key, doc) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (view, tbl, key) DO UPDATE SET doc = excluded.doc"
)
_DELETE = f"DELETE FROM {ROWS} WHERE view = ? AND tbl = ? AND key = ?"
_POSITION = f"SELECT position FROM {POSITIONS} WHERE view = ?"
_MOVE = (
    f"INSERT INTO {POSITIONS} (view, position) VALUES (?, ?) "
    "ON CONFLICT (view) DO UPDATE SET position = excluded.position"
)


def is_memory_dbname(dbname: str) -> bool:
    return ":memory:" in dbname or "mode=memory" in dbname


class SQLiteViewStore:
    """Views in the office's SQLite file (or shared in-memory database).

    ``dbname`` is the library's ``SQLITE_DBNAME`` (a path or a ``file:`` URI);
    ``lock_timeout`` is how long a page waits for the file's write lock; ``cache_mib`` is
    the connection's page cache (used as needed); ``url`` names the store in messages;
    ``cipher`` (the events' cipher) encrypts every document (ADR 0034).
    """

    def __init__(
        self,
        dbname: str,
        *,
        lock_timeout: float = 30.0,
        cache_mib: int = 32,
        url: str | None = None,
        cipher: Any = None,
    ) -> None:
        self.url = url or dbname
        self._codec = DocumentCodec(cipher)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                dbname,
                uri=True,
                timeout=lock_timeout,
                isolation_level=None,  # autocommit: transactions are explicit
                check_same_thread=False,
                cached_statements=64,
            )
        except sqlite3.Error as e:
            raise StoreUnavailable(self.url, str(e)) from None
        try:
            if not is_memory_dbname(dbname):
                self._conn.execute("PRAGMA journal_mode=WAL")
            # A view commit that a power cut undoes is simply taken in again (its rows and
            # its position go together), so the WAL need not be synced on every commit.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            # A rebuild reads back and rewrites documents all over the table: keep its pages.
            self._conn.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")
            for statement in _CREATE:
                self._conn.execute(statement)
        except sqlite3.Error as e:
            self._conn.close()
            raise StoreUnavailable(self.url, str(e)) from None

    # --- reading ------------------------------------------------------------------------

    def position(self, view: str) -> int:
        with self._lock, self._translated("读取视图位置"):
            row = self._conn.execute(_POSITION, (view,)).fetchone()
        return int(row[0]) if row else 0

    def get(self, view: str, table: str, key: str) -> Document | None:
        with self._lock:
            try:
                row = self._conn.execute(_GET, (view, table, key)).fetchone()
            except sqlite3.Error as e:
                raise StoreUnavailable(self.url, f"读取视图 {view}: {e}") from None
        return self._codec.decode(row[0], view, table, key) if row is not None else None

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        bound = prefix_upper_bound(prefix)
        with self._lock, self._translated(f"读取视图 {view}"):
            if bound is None:
                rows = self._conn.execute(_SCAN, (view, table, prefix)).fetchall()
            else:
                rows = self._conn.execute(_SCAN_RANGE, (view, table, prefix, bound)).fetchall()
        for key, doc in rows:
            yield key, self._codec.decode(doc, view, table, key)

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def transaction(
        self, positions: Mapping[str, tuple[int, int]]
    ) -> Iterator[BufferedTransaction]:
        """The page holds the file's write lock from its start: it checks the positions
        first, so its handlers read documents exactly as of the expected positions (no
        other runner can commit meanwhile), and its writes go in at the end."""
        with self._lock, self._translated("写入视图"), self._immediate() as conn:
            stored = {}
            for view in positions:
                row = conn.execute(_POSITION, (view,)).fetchone()
                stored[view] = int(row[0]) if row else 0
            check_positions({view: old for view, (old, _new) in positions.items()}, stored)
            tx = BufferedTransaction(self, self._codec.encode)
            yield tx
            upserts, deletes = tx.rows()
            if deletes:
                conn.executemany(_DELETE, deletes)
            if upserts:
                conn.executemany(_UPSERT, upserts)
            conn.executemany(_MOVE, [(view, new) for view, (_old, new) in positions.items()])

    def rows(self, view: str) -> Iterator[tuple[str, str, str]]:
        with self._lock, self._translated(f"读取视图 {view}"):
            rows = self._conn.execute(
                f"SELECT tbl, key, doc FROM {ROWS} WHERE view = ? ORDER BY tbl, key", (view,)
            ).fetchall()
        for table, key, doc in rows:
            yield str(table), str(key), str(doc)

    def reset(self, view: str) -> None:
        with self._lock, self._translated(f"清空视图 {view}"), self._immediate() as conn:
            conn.execute(f"DELETE FROM {ROWS} WHERE view = ?", (view,))
            conn.execute(f"DELETE FROM {POSITIONS} WHERE view = ?", (view,))
            conn.execute(f"DELETE FROM {LEASES} WHERE view = ?", (view,))

    # --- leases -------------------------------------------------------------------------

    def claim(
        self, view: str, table: str, *, claimer: str, seconds: float, limit: int = 1
    ) -> list[tuple[str, Document]]:
        """Under the file's write lock (``BEGIN IMMEDIATE``): the first unleased documents
        are found and leased in one transaction, so two claimers never both get one."""
        with self._lock, self._translated(f"领取 {view}"), self._immediate() as conn:
            now = time.time()
            rows = conn.execute(_UNLEASED, (view, table, now, limit)).fetchall()
            conn.executemany(_LEASE, [(view, table, k, claimer, now + seconds) for k, _ in rows])
        return [(key, self._codec.decode(doc)) for key, doc in rows]

    def renew(self, view: str, table: str, key: str, *, claimer: str, seconds: float) -> bool:
        with self._lock, self._translated(f"续租 {view}"), self._immediate() as conn:
            cursor = conn.execute(_RENEW, (time.time() + seconds, view, table, key, claimer))
            return cursor.rowcount == 1

    def release(self, view: str, table: str, key: str, *, claimer: str) -> None:
        with self._lock, self._translated(f"释放 {view}"), self._immediate() as conn:
            conn.execute(_RELEASE, (view, table, key, claimer))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as e:
            raise StoreUnavailable(self.url, f"{what}: {e}") from None
