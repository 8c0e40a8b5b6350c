"""Benchmark (b) of issue 6: rebuilding views vs the bare read-and-decode loop (ADR 0015).

Builds a SQLite office with about N events (outgoing documents drafted, revised, submitted
and reviewed in waves, some withdrawn, so that one document's events lie pages apart), then
times, over the same log:

(i)  the bare loop: ``recorder.select_notifications`` in pages and
     ``mapper.to_domain_event`` for every event (the ceiling: nothing is written);
(ii) ``ViewRunner.rebuild()`` of a projection doing representative work per event (a
     document per record, counts by type and by date) into the :class:`SQLiteViewStore`
     in the same file, one transaction per page;

and, to show where the time goes, the same view into a :class:`MemoryViewStore` and a
view that writes nothing into the :class:`SQLiteViewStore`.

With ``--postgres URL`` the same workload is built into a fresh schema of that database
(dropped at the end unless ``--keep``; a schema named in the URL, ``?schema=s``, is used,
built if it holds no events, and kept), and the view store is the office's own
:class:`PostgresViewStore` in that schema.

Prints both rates and the ratio (issue 6 target: rebuild >= 0.30 of the bare rate). Not a
test: nothing is asserted. Run from the repository root::

    python benchmarks/rebuild.py                  # ~100k events in a temporary file
    python benchmarks/rebuild.py --events 20000 --page-size 500 --repeat 5
    python benchmarks/rebuild.py --db /tmp/office.db   # keep (and reuse) the store
    python benchmarks/rebuild.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python benchmarks/rebuild.py --postgres "postgresql://postgres@localhost/db?schema=bench"
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pendulum
from rich.console import Console
from rich.table import Table

from govoffice.adapters.stores import redacted
from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.adapters.views_sqlite import SQLiteViewStore
from govoffice.application.office import Office
from govoffice.application.views import (
    Projection,
    ViewRunner,
    ViewStore,
    ViewTransaction,
    handles,
)
from govoffice.bootstrap import open_office
from govoffice.domain.document import OutgoingDocument
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import PersonId
from govoffice.testing import SettableClock, standard_agency

T0 = pendulum.datetime(2026, 1, 5, 9, 0, tz="Asia/Shanghai")
DOC_TYPES = ["通知", "函", "请示", "报告", "纪要"]
Doc: Any = OutgoingDocument
"""The document's event classes (made by the ``@event`` decorator, unknown to mypy)."""
EVENTS_PER_DOCUMENT = 4.1  # drafted, revised, submitted, reviewed; one in ten withdrawn


class DocumentRegister(Projection):
    """发文登记 (benchmark): one row per document, counts by type and by business date."""

    name = "bench-document-register"

    @handles(Doc.Drafted)
    def drafted(self, e: Any, tx: ViewTransaction) -> None:
        doc_type = e.form.doc_type.value
        tx.put(
            self.view,
            "document",
            str(e.originator_id),
            {
                "title": e.form.title,
                "type": doc_type,
                "drafter": e.by,
                "drafted_at": e.at.isoformat(),
                "status": "draft",
                "revisions": 0,
            },
        )
        self._count(tx, "by-type", doc_type, 1)
        self._count(tx, "by-date", e.at.date().isoformat(), 1)

    @handles(Doc.Revised)
    def revised(self, e: Any, tx: ViewTransaction) -> None:
        self._update(tx, e, title=e.form.title, status="draft", revise=True)

    @handles(Doc.SubmittedForReview)
    def submitted(self, e: Any, tx: ViewTransaction) -> None:
        self._update(tx, e, status="unit_review")

    @handles(Doc.Reviewed)
    def reviewed(self, e: Any, tx: ViewTransaction) -> None:
        self._update(tx, e, status="unit_reviewed", reviewed_by=e.by)
        self._count(tx, "by-date", e.at.date().isoformat(), 1)

    @handles(Doc.Withdrawn)
    def withdrawn(self, e: Any, tx: ViewTransaction) -> None:
        key = str(e.originator_id)
        doc = tx.get(self.view, "document", key)
        tx.delete(self.view, "document", key)
        if doc is not None:
            self._count(tx, "by-type", doc["type"], -1)

    def _update(self, tx: ViewTransaction, e: Any, *, revise: bool = False, **fields: Any) -> None:
        key = str(e.originator_id)
        doc = tx.get(self.view, "document", key)
        if doc is None:
            return
        doc.update(fields)
        if revise:
            doc["revisions"] += 1
        tx.put(self.view, "document", key, doc)

    def _count(self, tx: ViewTransaction, table: str, key: str, n: int) -> None:
        row = tx.get(self.view, table, key)
        tx.put(self.view, table, key, {"n": (row["n"] if row else 0) + n})


# --- building the store ---------------------------------------------------------------------


def build(office: Office, events: int, wave: int, say: Callable[[str], None]) -> None:
    """Write about ``events`` events: waves of ``wave`` documents, each wave drafted, then
    revised, submitted and reviewed, saved ``chunk`` records per atomic write."""
    people = standard_agency(office, T0)
    org = office.store.get(Organisation, Organisation.create_id(), for_reading=True)
    drafter, head = PersonId(people.drafter), PersonId(people.unit_head)
    documents = int(events / EVENTS_PER_DOCUMENT)
    chunk = 250
    made = 0
    at = T0
    while made < documents:
        n = min(wave, documents - made)
        docs = []
        for i in range(n):
            at = at.add(seconds=30)
            docs.append(
                OutgoingDocument.draft(
                    org=org,
                    by=drafter,
                    at=at,
                    title=f"关于第{made + i + 1}项工作的通知",
                    doc_type=DOC_TYPES[(made + i) % len(DOC_TYPES)],
                    issuer_code="X政发",
                    lead_unit="biz1",
                    main_recipients=["各处室"],
                    text="各处室:现将有关事项通知如下……" * 4,
                )
            )
        steps: list[Callable[[OutgoingDocument, pendulum.DateTime], None]] = [
            lambda d, t: None,
            lambda d, t: d.revise(org=org, by=drafter, at=t, title=d.form.title + "(修改稿)"),
            lambda d, t: d.submit_for_review(org=org, by=drafter, at=t),
            lambda d, t: d.review(org=org, by=head, at=t),
        ]
        for step in steps:
            for i, d in enumerate(docs):
                at = at.add(seconds=5)
                step(d, at)
                if step is steps[-1] and (made + i) % 10 == 9:
                    d.withdraw(org=org, reason="情况有变", by=drafter, at=at)
            for k in range(0, n, chunk):
                office.app.save(*docs[k : k + chunk])
        made += n
        say(f"  {office.app.recorder.max_notification_id()} events written")


# --- timing ---------------------------------------------------------------------------------


def bare_read_and_decode(office: Office, page_size: int) -> int:
    """(i) The ceiling: read the whole log in pages and decode every event."""
    recorder, mapper = office.app.recorder, office.app.mapper
    last = recorder.max_notification_id() or 0
    start, n = 1, 0
    while start <= last:
        page = recorder.select_notifications(start=start, limit=page_size, stop=last)
        if not page:
            break
        for notification in page:
            mapper.to_domain_event(notification)
        n += len(page)
        start = page[-1].id + 1
    return n


class Nothing(Projection):
    """Takes in the same events and writes nothing: what the runner and a page's
    transaction cost without any view work."""

    name = "bench-nothing"

    @handles(
        Doc.Drafted,
        Doc.Revised,
        Doc.SubmittedForReview,
        Doc.Reviewed,
        Doc.Withdrawn,
    )
    def nothing(self, e: Any, tx: ViewTransaction) -> None:
        pass


def rebuild(office: Office, store: ViewStore, page_size: int, view: Projection) -> int:
    """(ii) Rebuild a view from nothing, one transaction per page."""
    return ViewRunner(office.app, store, [view], page_size=page_size).rebuild()


class Rate:
    """Events per second of wall-clock time and per second of this process's CPU time (the
    latter is steadier on a shared machine; the former includes waiting for the disk)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def time(self, fn: Callable[[], int]) -> int:
        wall, cpu = time.perf_counter(), time.process_time()
        n = fn()
        self.wall.append(n / (time.perf_counter() - wall))
        self.cpu.append(n / max(time.process_time() - cpu, 1e-9))
        return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="about how many events")
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--wave", type=int, default=5000, help="documents per wave")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", help="SQLite file to use (built if it holds no events)")
    where.add_argument(
        "--postgres",
        metavar="URL",
        help="measure on this PostgreSQL database instead, in a fresh schema (or in the one "
        "named by ?schema=..., created if missing, built if it holds no events, kept)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="with --postgres: do not drop the fresh schema"
    )
    args = parser.parse_args()
    if args.keep and args.postgres is None:
        parser.error("--keep goes with --postgres")
    console = Console(width=max(Console().width, 100))
    if args.postgres is not None:
        measured = on_postgres(args.postgres, args.keep, args, console)
    else:
        measured = on_sqlite(args.db, args, console)
    report(measured, args.page_size, console)


class Measured:
    """The rates of one session on one store, and what to say about it."""

    def __init__(self, store: str, view_store: str, total: int, footer: str) -> None:
        self.store = store
        self.view_store = view_store
        self.total = total
        self.footer = footer
        self.runs = {k: Rate() for k in ("bare", "store", "memory", "nothing")}
        self.processed = 0
        self.rows = 0


def ensure_built(office: Office, url: str, events: int, wave: int, console: Console) -> int:
    """Build the store unless it holds events; the number of events it holds."""
    if not office.app.recorder.max_notification_id():
        console.print(f"building {url} with about {events} events ...")
        t = time.perf_counter()
        build(office, events, wave, console.print)
        console.print(f"  built in {time.perf_counter() - t:.1f} s")
    return office.app.recorder.max_notification_id() or 0


def measure(office: Office, store: ViewStore, page_size: int, repeat: int, m: Measured) -> None:
    """Time the four runs ``repeat`` times each, alternating, over the office's log."""
    register = DocumentRegister()
    for _ in range(repeat):
        m.runs["bare"].time(lambda: bare_read_and_decode(office, page_size))
        m.processed = m.runs["store"].time(lambda: rebuild(office, store, page_size, register))
        m.runs["memory"].time(lambda: rebuild(office, MemoryViewStore(), page_size, register))
        m.runs["nothing"].time(lambda: rebuild(office, store, page_size, Nothing()))
    m.rows = sum(1 for _ in store.scan(register.view, "document"))


def on_sqlite(db: str | None, args: argparse.Namespace, console: Console) -> Measured:
    """The SQLite office in ``db`` (a temporary file by default), views in the same file."""
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="govoffice-bench-")
        path = os.path.join(tmp.name, "office.db")
    else:
        path = db
    url = f"sqlite:///{os.path.abspath(path)}"
    office = open_office(url, clock=SettableClock(T0))
    try:
        total = ensure_built(office, url, args.events, args.wave, console)
        m = Measured("SQLite", "SQLiteViewStore", total, f"SQLite {sqlite3.sqlite_version}")
        store = SQLiteViewStore(path, url=url)
        try:
            measure(office, store, args.page_size, args.repeat, m)
        finally:
            store.close()
    finally:
        office.close()
        if tmp is not None:
            tmp.cleanup()
    return m


def on_postgres(url: str, keep: bool, args: argparse.Namespace, console: Console) -> Measured:
    """The office in a schema of the PostgreSQL database at ``url``: a fresh one, dropped at
    the end unless ``keep``, or the one the URL names (created if missing, always kept).
    The views are the office's own :class:`PostgresViewStore`, in the same schema."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    options = parse_qs(parts.query)
    server = urlunsplit(parts._replace(query=""))  # what psycopg can connect to
    named = options.get("schema", [""])[-1]
    schema = named or f"bench_{uuid.uuid4().hex[:12]}"
    options["schema"] = [schema]
    office_url = f"{server}?{urlencode(options, doseq=True)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        version = conn.execute("SHOW server_version").fetchone()
    drop = not named and not keep
    try:
        office = open_office(office_url, clock=SettableClock(T0))
        try:
            total = ensure_built(office, redacted(office_url), args.events, args.wave, console)
            server_version = version[0] if version else "?"
            m = Measured(
                "PostgreSQL",
                "PostgresViewStore",
                total,
                f"PostgreSQL {server_version}, psycopg {psycopg.__version__} "
                f"({psycopg.pq.__impl__} implementation)",
            )
            measure(office, office.views.store, args.page_size, args.repeat, m)
        finally:
            office.close()
    finally:
        if drop:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        else:
            console.print(f"kept schema {schema}: {redacted(office_url)}")
    return m


def report(m: Measured, page_size: int, console: Console) -> None:
    table = Table(title=f"View rebuild vs bare read-and-decode ({m.store}, {m.total} events)")
    table.add_column("run")
    table.add_column("events/s, best", justify="right")
    table.add_column("events/CPU-s, best", justify="right")
    table.add_column("events/s, every run", justify="right")
    rows_of = [
        ("(i) bare read + decode", "bare"),
        (f"(ii) rebuild, {m.view_store}", "store"),
        ("same view, MemoryViewStore", "memory"),
        (f"no-op view, {m.view_store}", "nothing"),
    ]
    for label, key in rows_of:
        rate = m.runs[key]
        table.add_row(label, f"{max(rate.wall):,.0f}", f"{max(rate.cpu):,.0f}", _all(rate.wall))
        if key == "store":
            bare, built = m.runs["bare"], m.runs["store"]
            table.add_row(
                "[bold]ratio (ii)/(i)[/bold]",
                f"[bold]{max(built.wall) / max(bare.wall):.2f}[/bold]",
                f"{max(built.cpu) / max(bare.cpu):.2f}",
                "target >= 0.30",
            )
            table.add_section()
    console.print(table)
    console.print(
        f"page size {page_size}; {m.processed} events handled by the view, {m.rows} document "
        f"rows; Python {platform.python_version()}, {m.footer}, {os.cpu_count()} CPUs"
    )


def _all(rates: list[float]) -> str:
    return " ".join(f"{r / 1000:.1f}k" for r in rates)


if __name__ == "__main__":
    main()
