"""[issue 12 §5] Queries never fail because another process is catching up.

Four processes (``tests.adapters.concurrent_workload``) draft documents and move them on,
and after every write ask the queues (now and then the annual report and the ranking), all
at once for a bounded time, on SQLite and on PostgreSQL. Every query catches its views up
first (read-your-writes) while the others are doing the same: none fails, each sees its own
writes, and at the end the views equal the views rebuilt from nothing in a scratch store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.application.office import Office
from govoffice.application.views import ViewRunner
from govoffice.bootstrap import open_office
from govoffice.testing import office_for_tests, standard_agency
from tests.adapters.concurrent_workload import T0
from tests.adapters.views_workload import write_documents

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
SECONDS = 10.0

pytestmark = pytest.mark.slow


def all_rows(store: Any, views: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every (view, table) -> {key: document} of these views, read from the store itself."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if isinstance(store, MemoryViewStore):
        for (view, table), rows in store._tables.items():
            if view in views and rows:
                out[(view, table)] = dict(rows)
        return out
    conn = store._conn
    marks = ", ".join(["%s" if hasattr(store, "schema") else "?"] * len(views))
    table = (
        f'"{store.schema}".govoffice_view_rows'
        if hasattr(store, "schema")
        else "govoffice_view_rows"
    )
    cursor = conn.execute(f"SELECT view, tbl, key FROM {table} WHERE view IN ({marks})", views)
    for view, tbl, key in cursor.fetchall():
        out.setdefault((view, tbl), {})[key] = store.get(view, tbl, key)
    return out


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_four_processes_writing_and_querying_see_no_failed_query(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[issue 12 §5] 0 failed queries, read-your-writes, views equal a clean rebuild."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.db'}"
    else:
        url = str(request.getfixturevalue("postgres_schema_url"))
    office = office_for_tests(url, start=T0)
    standard_agency(office, T0)
    office.close()

    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.adapters.concurrent_workload", url, str(SECONDS), str(w)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for w in range(WORKERS)
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=SECONDS + 90)
        assert child.returncode == 0, err.decode()[-3000:]
        results.append(json.loads(out.decode().strip().splitlines()[-1]))

    queries = sum(r["queries"] for r in results)
    failures = {name: n for r in results for name, n in r["failures"].items()}
    assert queries >= WORKERS * 5, results
    assert failures == {}, [r["first"] for r in results]
    assert sum(r["unseen"] for r in results) == 0, "a query missed its own process's write"

    assert_views_equal_a_clean_rebuild(url)


def assert_views_equal_a_clean_rebuild(url: str) -> None:
    office = open_office(url)
    try:
        office.views.catch_up()
        views = [p.view for p in office.views.projections]
        live = all_rows(office.views.store, views)
        scratch = MemoryViewStore()
        ViewRunner(office.app, scratch, office.views.projections).catch_up()
        rebuilt = all_rows(scratch, views)
    finally:
        office.close()
    assert live.keys() == rebuilt.keys()
    for table, rows in rebuilt.items():
        assert live[table] == rows, f"{table} differs from a clean rebuild"


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_runners_catching_up_at_once_never_raise(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[issue 12 §5] Two ``office.views.catch_up()`` at once (two offices on one store, a
    page of 25 events each time): neither raises, and the views equal a clean rebuild."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.db'}"
    else:
        url = str(request.getfixturevalue("postgres_schema_url"))
    office = office_for_tests(url, start=T0)
    write_documents(office, standard_agency(office, T0), 400, batch=50)
    office.close()
    offices = [open_office(url) for _ in range(3)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(offices))

    def catch_up(office: Office) -> None:
        office.views.page_size = 25
        start.wait()
        try:
            office.views.catch_up()
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=catch_up, args=(o,)) for o in offices]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        for o in offices:
            o.close()
    assert errors == []
    assert_views_equal_a_clean_rebuild(url)
