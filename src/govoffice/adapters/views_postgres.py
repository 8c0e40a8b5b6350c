"""The PostgreSQL view store (视图库): views in the same database (and schema) as the events.

Two tables next to the library's ``govoffice_events``::

    govoffice_view_rows(view, tbl, key COLLATE "C", doc)   -- doc: compact JSON text
    govoffice_view_positions(view, position)
    govoffice_view_leases(view, tbl, key, claimer, until)   -- who holds a document, till when

Keys use the "C" collation so that a scan orders keys by code point, as the other stores
do, and a prefix scan is an index range. A page's writes are buffered and committed in one
transaction with the views' new positions; the positions are locked (``SELECT … FOR
UPDATE``) and checked when the page starts, so two runners never both take in the same
page and a page's handlers read the documents as of its expected positions (ADR 0015).

:meth:`PostgresViewStore.follow` keeps views live: it LISTENs on the channel the library
NOTIFYs on every write and catches up when woken (polling as a fallback).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, LiteralString

import psycopg
from psycopg import sql

from govoffice.adapters.views_sql import (
    BufferedTransaction,
    CarriedDocuments,
    DocumentCodec,
    check_positions,
    prefix_upper_bound,
)
from govoffice.application.views import Document
from govoffice.domain.errors import ConcurrentChange, StoreUnavailable

if TYPE_CHECKING:
    from govoffice.application.views import ViewRunner

log = logging.getLogger(__name__)

ROWS = "govoffice_view_rows"
POSITIONS = "govoffice_view_positions"
LEASES = "govoffice_view_leases"
DEFAULT_CHANNEL = "govoffice_events"
"""The channel eventsourcing NOTIFYs on each write: the events table's name."""


class PostgresViewStore:
    """Views in the office's PostgreSQL database, in ``schema`` (``public`` by default).

    The connection arguments are psycopg's (``host``, ``port``, ``dbname``, ``user``,
    ``password``, ``connect_timeout``, ...); ``url`` names the store in error messages;
    ``cipher`` (the events' cipher) encrypts every document (ADR 0034).
    """

    def __init__(
        self, *, schema: str = "", url: str = "postgresql", cipher: Any = None, **connect: Any
    ) -> None:
        self.url = url
        self._codec = DocumentCodec(cipher)
        self.schema = schema.strip() or "public"
        self._connect_args = connect
        self._lock = threading.RLock()
        self._carry = CarriedDocuments()
        rows = sql.Identifier(self.schema, ROWS)
        positions = sql.Identifier(self.schema, POSITIONS)
        leases = sql.Identifier(self.schema, LEASES)
        self._create = [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (view text NOT NULL, tbl text NOT NULL, "
                'key text COLLATE "C" NOT NULL, doc text NOT NULL, '
                "PRIMARY KEY (view, tbl, key))"
            ).format(rows),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (view text PRIMARY KEY, position bigint NOT NULL)"
            ).format(positions),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (view text NOT NULL, tbl text NOT NULL, "
                'key text COLLATE "C" NOT NULL, claimer text NOT NULL, '
                "until double precision NOT NULL, PRIMARY KEY (view, tbl, key))"
            ).format(leases),
        ]
        self._conn = self._connect()

        def query(text: LiteralString, table: sql.Identifier) -> bytes:
            # Rendered once: psycopg renders a ``Composed`` query on every execute (about
            # 60 µs with its pure-Python binding), and a rebuild reads back many documents.
            return sql.SQL(text).format(table).as_bytes(self._conn)

        self._get = query("SELECT doc FROM {} WHERE view = %s AND tbl = %s AND key = %s", rows)
        self._scan = query(
            "SELECT key, doc FROM {} WHERE view = %s AND tbl = %s AND key >= %s ORDER BY key", rows
        )
        self._scan_range = query(
            "SELECT key, doc FROM {} WHERE view = %s AND tbl = %s AND key >= %s AND key < %s "
            "ORDER BY key",
            rows,
        )
        self._upsert = query(
            "INSERT INTO {} (view, tbl, key, doc) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (view, tbl, key) DO UPDATE SET doc = excluded.doc",
            rows,
        )
        self._delete = query("DELETE FROM {} WHERE view = %s AND tbl = %s AND key = %s", rows)
        self._delete_view = query("DELETE FROM {} WHERE view = %s", rows)
        self._position = query("SELECT position FROM {} WHERE view = %s", positions)
        self._ensure_positions = query(
            "INSERT INTO {} (view, position) SELECT unnest(%s::text[]), 0 "
            "ON CONFLICT (view) DO NOTHING",
            positions,
        )
        self._lock_positions = query(
            "SELECT view, position FROM {} WHERE view = ANY(%s) ORDER BY view FOR UPDATE",
            positions,
        )
        self._move = query("UPDATE {} SET position = %s WHERE view = %s", positions)
        self._forget = query("DELETE FROM {} WHERE view = %s", positions)
        # The server's clock decides when a lease runs out: the same for every host.
        now = "extract(epoch from clock_timestamp())"
        self._unleased = sql.SQL(
            "SELECT r.key, r.doc FROM {rows} AS r WHERE r.view = %s AND r.tbl = %s "
            "AND NOT EXISTS (SELECT 1 FROM {leases} AS l WHERE l.view = r.view "
            f"AND l.tbl = r.tbl AND l.key = r.key AND l.until > {now}) "
            "ORDER BY r.key LIMIT %s FOR UPDATE OF r SKIP LOCKED"
        ).format(rows=rows, leases=leases)
        self._still_leased = sql.SQL(
            f"SELECT key FROM {{}} WHERE view = %s AND tbl = %s AND key = ANY(%s) AND until > {now}"
        ).format(leases)
        self._lease = sql.SQL(
            "INSERT INTO {} (view, tbl, key, claimer, until) "
            f"SELECT %s, %s, unnest(%s::text[]), %s, {now} + %s "
            "ON CONFLICT (view, tbl, key) DO UPDATE "
            "SET claimer = excluded.claimer, until = excluded.until"
        ).format(leases)
        self._renew = sql.SQL(
            f"UPDATE {{}} SET until = {now} + %s "
            "WHERE view = %s AND tbl = %s AND key = %s AND claimer = %s"
        ).format(leases)
        self._release = sql.SQL(
            "DELETE FROM {} WHERE view = %s AND tbl = %s AND key = %s AND claimer = %s"
        ).format(leases)
        self._forget_leases = query("DELETE FROM {} WHERE view = %s", leases)
        self._reader = self._conn.cursor()
        try:
            with self._translated("建立视图表"), self._conn.transaction():
                # Concurrent CREATE TABLE IF NOT EXISTS can collide on the type catalog.
                self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('govoffice_views'))")
                for statement in self._create:
                    self._conn.execute(statement)
        except BaseException:
            self._conn.close()
            raise

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(autocommit=True, **self._connect_args)
        except psycopg.Error as e:
            raise StoreUnavailable(self.url, str(e).strip() or type(e).__name__) from None

    # --- reading ------------------------------------------------------------------------

    def position(self, view: str) -> int:
        with self._lock, self._translated("读取视图位置"):
            row = self._conn.execute(self._position, (view,)).fetchone()
        return int(row[0]) if row else 0

    def get(self, view: str, table: str, key: str) -> Document | None:
        text = self._get_text(view, table, key)
        return self._codec.decode(text, view, table, key) if text is not None else None

    def _get_text(self, view: str, table: str, key: str) -> str | None:
        with self._lock, self._translated(f"读取视图 {view}"):
            cur = self._reader  # one cursor, reused: a rebuild reads back many documents
            cur.execute(self._get, (view, table, key), prepare=True)
            row = cur.fetchone()
        return str(row[0]) if row is not None else None

    def scan(self, view: str, table: str, prefix: str = "") -> Iterator[tuple[str, Document]]:
        bound = prefix_upper_bound(prefix)
        with self._lock, self._translated(f"读取视图 {view}"):
            if bound is None:
                rows = self._conn.execute(self._scan, (view, table, prefix)).fetchall()
            else:
                rows = self._conn.execute(self._scan_range, (view, table, prefix, bound)).fetchall()
        for key, doc in rows:
            yield key, self._codec.decode(doc, view, table, key)

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def transaction(
        self, positions: Mapping[str, tuple[int, int]]
    ) -> Iterator[BufferedTransaction]:
        """The page is one database transaction that first locks and checks the views'
        positions, so its handlers read documents exactly as of the expected positions (a
        second runner waits, then finds the positions moved); its writes go in at the end.
        The office's own writers are never held up (other tables)."""
        views = sorted(positions)
        moves = {v: positions[v][1] for v in views}
        with self._lock:
            with self._translated("写入视图"), self._conn.transaction():
                conn = self._conn
                stored: dict[str, int] = {}
                if views:
                    conn.execute(self._ensure_positions, (views,))
                    stored = dict(conn.execute(self._lock_positions, (views,)).fetchall())
                    check_positions({v: positions[v][0] for v in views}, stored)
                self._carry.begin(stored)
                reader = self._carry.reader(stored, self._get_text, self, self._codec.decode)
                tx = BufferedTransaction(reader, self._codec.encode)
                yield tx
                upserts, deletes = tx.rows()
                with conn.cursor() as cur:
                    if deletes:
                        cur.executemany(self._delete, deletes)
                    if upserts:
                        cur.executemany(self._upsert, upserts)
                    if views:
                        cur.executemany(self._move, [(moves[v], v) for v in views])
            self._carry.committed(upserts, deletes, moves)

    def rows(self, view: str) -> Iterator[tuple[str, str, str]]:
        statement = sql.SQL(
            "SELECT tbl, key, doc FROM {} WHERE view = %s ORDER BY tbl, key"
        ).format(sql.Identifier(self.schema, ROWS))
        with self._lock, self._translated(f"读取视图 {view}"):
            rows = self._conn.execute(statement, (view,)).fetchall()
        for table, key, doc in rows:
            yield str(table), str(key), str(doc)

    def reset(self, view: str) -> None:
        with self._lock, self._translated(f"清空视图 {view}"), self._conn.transaction():
            self._carry.forget(view)
            # Lock the position first, so a runner committing a page of this view waits.
            self._conn.execute(self._ensure_positions, ([view],))
            self._conn.execute(self._lock_positions, ([view],))
            self._conn.execute(self._delete_view, (view,))
            self._conn.execute(self._forget, (view,))
            self._conn.execute(self._forget_leases, (view,))

    # --- leases -------------------------------------------------------------------------

    def claim(
        self, view: str, table: str, *, claimer: str, seconds: float, limit: int = 1
    ) -> list[tuple[str, Document]]:
        """``SELECT … FOR UPDATE SKIP LOCKED`` the first documents no unexpired lease holds
        (documents another claimer is leasing at this moment are skipped, not waited for),
        then look at their leases again under the row locks: a lease another claimer
        committed after this statement's snapshot was taken is seen there, and its document
        is left alone. The leases are written in the same transaction."""
        with self._lock, self._translated(f"领取 {view}"):
            while True:
                with self._conn.transaction():
                    found = self._conn.execute(self._unleased, (view, table, limit)).fetchall()
                    keys = [key for key, _doc in found]
                    taken = {
                        row[0]
                        for row in self._conn.execute(self._still_leased, (view, table, keys))
                    }
                    free = [(key, doc) for key, doc in found if key not in taken]
                    if free:
                        self._conn.execute(
                            self._lease, (view, table, [k for k, _ in free], claimer, seconds)
                        )
                if free or not found:
                    return [(key, self._codec.decode(doc)) for key, doc in free]

    def renew(self, view: str, table: str, key: str, *, claimer: str, seconds: float) -> bool:
        with self._lock, self._translated(f"续租 {view}"):
            cursor = self._conn.execute(self._renew, (seconds, view, table, key, claimer))
            return cursor.rowcount == 1

    def release(self, view: str, table: str, key: str, *, claimer: str) -> None:
        with self._lock, self._translated(f"释放 {view}"):
            self._conn.execute(self._release, (view, table, key, claimer))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- following the log live ---------------------------------------------------------

    def follow(
        self,
        runner: ViewRunner,
        stop: threading.Event,
        *,
        poll_seconds: float = 5.0,
        channel: str | None = None,
    ) -> None:
        """Keep ``runner``'s views up to date until ``stop`` is set: catch up, then wait
        for the library's NOTIFY of a new write (or ``poll_seconds``), and again. Run it in
        a thread of its own; another process's writes wake it too."""
        if channel is None:
            channel = str(getattr(runner.app.recorder, "channel_name", DEFAULT_CHANNEL))
        listener = self._connect()
        try:
            with self._translated("监听新事件"):
                listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            while not stop.is_set():
                try:
                    runner.catch_up()
                except ConcurrentChange:
                    log.info("another runner moved a view; catching up again")
                    continue
                waited = 0.0
                while not stop.is_set() and waited < poll_seconds:
                    step = min(0.2, poll_seconds - waited)
                    with self._translated("监听新事件"):
                        woken = list(listener.notifies(timeout=step, stop_after=1))
                    if woken:
                        break
                    waited += step
        finally:
            listener.close()

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as e:
            raise StoreUnavailable(self.url, f"{what}: {str(e).strip()}") from None
