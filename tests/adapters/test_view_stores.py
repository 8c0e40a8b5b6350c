"""[ADR 0015] One view-store contract, three stores: memory, SQLite (the events' file) and
PostgreSQL (the events' database and schema) keep documents and positions alike.

Each store is built the way ``open_office`` builds it (the office's ``views.store``). The
contract: documents by view, table and key; scans by key prefix in code point order; a
transaction commits its writes and the positions' moves together or not at all; a position
that moved meanwhile is a :class:`ConcurrentChange` that commits nothing; a reset forgets
one view. The :class:`ViewRunner` then gives the same views on every store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govoffice.adapters.stores import store_env
from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.adapters.views_postgres import PostgresViewStore
from govoffice.adapters.views_sql import prefix_upper_bound
from govoffice.adapters.views_sqlite import SQLiteViewStore
from govoffice.application.office import Office
from govoffice.application.views import ViewRunner, ViewStore
from govoffice.bootstrap import view_store
from govoffice.domain.errors import ConcurrentChange, StoreUnavailable
from govoffice.testing import AgencyPeople, office_for_tests, standard_agency
from tests.adapters.views_workload import T0, DocumentRegister, dump, write_documents

KINDS = {"memory": MemoryViewStore, "sqlite": SQLiteViewStore, "postgresql": PostgresViewStore}


@pytest.fixture
def office(store_url: str) -> Iterator[Office]:
    """An office on each store in turn (memory, SQLite file, PostgreSQL schema)."""
    office = office_for_tests(store_url, start=T0)
    try:
        yield office
    finally:
        office.close()


@pytest.fixture
def store(office: Office) -> ViewStore:
    return office.views.store


def another_store(office: Office) -> ViewStore:
    """A second store on the same database, as another process would have (in memory,
    where a store cannot be shared between processes: the same store, for two runners)."""
    if office.store_url == "memory":
        return office.views.store
    return view_store(store_env(office.store_url), office.store_url)


def commit(store: ViewStore, view: str, new: int, **docs: dict[str, Any] | None) -> None:
    """Put (or, for None, delete) documents of table "t" and move ``view`` to ``new``."""
    with store.transaction({view: (store.position(view), new)}) as tx:
        for key, doc in docs.items():
            if doc is None:
                tx.delete(view, "t", key)
            else:
                tx.put(view, "t", key, doc)


def test_the_view_store_lives_next_to_the_events(office: Office, store_url: str) -> None:
    """[ADR 0015] memory → in memory, sqlite → the same file, postgresql → the same schema."""
    scheme = store_url.split(":")[0]
    assert isinstance(office.views.store, KINDS[scheme])


def test_documents_are_put_read_replaced_and_deleted(store: ViewStore) -> None:
    """[ADR 0015] A document comes back as it was put: Chinese text, numbers, nesting."""
    doc = {
        "标题": "关于做好春节期间值班工作的通知",
        "n": 3,
        "ratio": 0.25,
        "ok": True,
        "none": None,
        "units": ["业务一处", "法规处"],
        "due": {"biz1": "2026-03-03", "deep": [1, [2, {"x": "y"}]]},
    }
    commit(store, "v", 1, a=doc, b={"n": 1})
    assert store.get("v", "t", "a") == doc
    assert store.get("v", "t", "b") == {"n": 1}
    assert store.get("v", "t", "missing") is None
    assert store.get("v", "other-table", "a") is None
    assert store.get("other-view", "t", "a") is None
    commit(store, "v", 2, a={"n": 2}, b=None)
    assert store.get("v", "t", "a") == {"n": 2}
    assert store.get("v", "t", "b") is None
    assert store.position("v") == 2


def test_a_returned_document_is_a_copy(store: ViewStore) -> None:
    """[ADR 0015] Changing a document read from the store changes nothing stored."""
    commit(store, "v", 1, a={"items": [1]})
    doc = store.get("v", "t", "a")
    assert doc is not None
    doc["items"].append(2)
    assert store.get("v", "t", "a") == {"items": [1]}


def bump(store: ViewStore, view: str, by: int) -> int:
    """A page of one runner: read the counter "n", add ``by``, move the view one further."""
    position = store.position(view)
    with store.transaction({view: (position, position + 1)}) as tx:
        doc = tx.get(view, "t", "n") or {"n": 0}
        tx.put(view, "t", "n", {"n": doc["n"] + by})
    found = store.get(view, "t", "n")
    assert found is not None
    return int(found["n"])


def test_documents_a_page_read_are_read_again_after_another_runner_changed_them(
    office: Office, store: ViewStore
) -> None:
    """[ADR 0015] A page reads what is committed, even when the store kept documents of its
    earlier pages (to spare the look-ups) and another runner has committed since."""
    other = another_store(office)
    assert bump(store, "v", 1) == 1
    assert bump(store, "v", 1) == 2  # read back from what the store kept
    assert bump(other, "v", 10) == 12  # another runner's page
    assert bump(store, "v", 1) == 13  # not 3
    store.reset("v")
    assert bump(other, "v", 5) == 5
    assert bump(store, "v", 1) == 6
    other.reset("v")  # another runner forgets the view: it starts again from nothing
    assert bump(store, "v", 1) == 1


def test_changing_a_document_read_in_a_page_without_writing_it_changes_nothing(
    store: ViewStore,
) -> None:
    """[ADR 0015] A handler that changes a document it read, but does not put it, leaves the
    stored document and the next pages' reads as they were."""
    commit(store, "v", 1, a={"items": [1]})
    with store.transaction({"v": (1, 2)}) as tx:
        doc = tx.get("v", "t", "a")
        assert doc is not None
        doc["items"].append(2)
    with store.transaction({"v": (2, 3)}) as tx:
        assert tx.get("v", "t", "a") == {"items": [1]}
    assert store.get("v", "t", "a") == {"items": [1]}


KEYS = [
    "b",
    "a",
    "ab",
    "a/10",
    "a/2",
    "a/1",
    "aa",
    "A",
    "中文",
    "中",
    "中国",
    "a\uffff",
    "a\U0001f600",
    "\U0010ffff",
    "\U0010ffffz",
    "",
    "z",
]


@pytest.mark.parametrize("prefix", ["", "a", "a/", "a/1", "中", "\U0010ffff", "x", "a\uffff"])
def test_a_scan_gives_the_keys_with_a_prefix_in_code_point_order(
    store: ViewStore, prefix: str
) -> None:
    """[ADR 0015] Keys come in code point order (not the database's collation)."""
    commit(store, "v", 1, **{k: {"k": k} for k in KEYS})
    commit(store, "v-other", 1, a={"k": "other view"})
    with store.transaction({}) as tx:
        tx.put("v", "t2", "a", {"k": "other table"})
    expected = [(k, {"k": k}) for k in sorted(KEYS) if k.startswith(prefix)]
    assert list(store.scan("v", "t", prefix)) == expected


def test_the_prefix_upper_bound_is_the_least_string_after_every_key_with_the_prefix() -> None:
    """[ADR 0015] The bound of a prefix scan skips the surrogates and U+10FFFF."""
    assert prefix_upper_bound("") is None
    assert prefix_upper_bound("ab") == "ac"
    assert prefix_upper_bound("a\ud7ff") == "a\ue000"
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\U0010ffff\U0010ffff") is None


def test_a_transaction_reads_its_own_writes_before_they_are_committed(store: ViewStore) -> None:
    """[ADR 0015] A page's handlers see the page's writes; the store sees them at commit."""
    commit(store, "v", 1, a={"n": 1}, b={"n": 2})
    with store.transaction({"v": (1, 2)}) as tx:
        tx.put("v", "t", "c", {"n": 3})
        tx.delete("v", "t", "a")
        tx.put("v", "t", "b", {"n": 20})
        assert tx.get("v", "t", "c") == {"n": 3}
        assert tx.get("v", "t", "a") is None
        assert [k for k, _ in tx.scan("v", "t")] == ["b", "c"]
        assert dict(tx.scan("v", "t"))["b"] == {"n": 20}
        assert store.get("v", "t", "a") == {"n": 1}
        assert store.get("v", "t", "c") is None
        assert store.position("v") == 1
    assert list(store.scan("v", "t")) == [("b", {"n": 20}), ("c", {"n": 3})]
    assert store.position("v") == 2


def test_a_failed_page_commits_nothing(store: ViewStore) -> None:
    """[ADR 0015] An error inside the block: no write and no position move is kept."""
    commit(store, "v", 5, a={"n": 1})
    with pytest.raises(RuntimeError), store.transaction({"v": (5, 9), "w": (0, 9)}) as tx:
        tx.put("v", "t", "a", {"n": 2})
        tx.put("v", "t", "b", {"n": 2})
        tx.delete("v", "t", "a")
        raise RuntimeError("handler failed")
    assert list(store.scan("v", "t")) == [("a", {"n": 1})]
    assert (store.position("v"), store.position("w")) == (5, 0)


def test_a_position_moved_by_another_runner_is_a_conflict_that_commits_nothing(
    store: ViewStore,
) -> None:
    """[ADR 0015] The expected position is checked; on a mismatch nothing is committed."""
    commit(store, "v", 3, a={"n": 1})
    with pytest.raises(ConcurrentChange), store.transaction({"v": (2, 7), "w": (0, 7)}) as tx:
        tx.put("v", "t", "a", {"n": 99})
        tx.put("w", "t", "a", {"n": 99})
    assert store.get("v", "t", "a") == {"n": 1}
    assert store.get("w", "t", "a") is None
    assert (store.position("v"), store.position("w")) == (3, 0)


def test_of_two_overlapping_pages_from_two_stores_exactly_one_commits(office: Office) -> None:
    """[ADR 0015] Two runners (as two processes would) take in the same page at the same
    time: one commits, the other gets ConcurrentChange and commits nothing."""
    first, second = office.views.store, another_store(office)
    started = threading.Event()
    outcome: dict[str, str] = {}

    def page(store: ViewStore, name: str, hold: float) -> None:
        try:
            with store.transaction({"v": (0, 10)}) as tx:
                tx.put("v", "t", "a", {"by": name})
                tx.put("v", "t", name, {"by": name})
                started.set()
                time.sleep(hold)
            outcome[name] = "committed"
        except ConcurrentChange:
            outcome[name] = "conflict"
        finally:
            started.set()

    try:
        slow = threading.Thread(target=page, args=(first, "slow", 0.3))
        slow.start()
        started.wait(5)
        page(second, "fast", 0)
        slow.join(10)
        assert sorted(outcome.values()) == ["committed", "conflict"]
        (winner,) = [name for name, result in outcome.items() if result == "committed"]
        assert list(first.scan("v", "t")) == [("a", {"by": winner}), (winner, {"by": winner})]
        assert first.position("v") == second.position("v") == 10
    finally:
        if second is not first:
            second.close()


def test_positions_of_several_views_move_together(store: ViewStore) -> None:
    """[ADR 0015] One transaction moves every view it names, and no other."""
    commit(store, "untouched", 4)
    with store.transaction({"v": (0, 12), "w": (0, 12)}) as tx:
        tx.put("v", "t", "a", {"n": 1})
    assert (store.position("v"), store.position("w"), store.position("untouched")) == (12, 12, 4)


def test_a_reset_forgets_one_view_only(store: ViewStore) -> None:
    """[ADR 0015] Reset: the view's documents and position are gone, others stay."""
    commit(store, "v", 3, a={"n": 1}, b={"n": 2})
    with store.transaction({"v": (3, 4)}) as tx:
        tx.put("v", "t2", "x", {"n": 3})
    commit(store, "w", 3, a={"n": 1})
    store.reset("v")
    assert list(store.scan("v", "t")) == []
    assert list(store.scan("v", "t2")) == []
    assert store.position("v") == 0
    assert list(store.scan("w", "t")) == [("a", {"n": 1})]
    assert store.position("w") == 3
    commit(store, "v", 1, c={"n": 5})
    assert list(store.scan("v", "t")) == [("c", {"n": 5})]


# --- the runner on each store ---------------------------------------------------------------


@pytest.fixture
def people(office: Office) -> AgencyPeople:
    return standard_agency(office, T0)


def test_a_view_catches_up_in_pages_resumes_and_rebuilds_alike_on_every_store(
    office: Office, people: AgencyPeople
) -> None:
    """[ADR 0015] Pages, stop and resume, nothing counted twice, rebuild gives the same."""
    write_documents(office, people, 120)
    store = office.views.store
    view = DocumentRegister()
    runner = ViewRunner(office.app, store, [view], page_size=7)
    reference = MemoryViewStore()
    ViewRunner(office.app, reference, [view], page_size=1000).catch_up()
    expected = dump(reference, view)
    assert sum(view.counts(reference).values()) > 10

    assert runner.catch_up(stop_after=2) > 0
    assert 0 < store.position(view.view) < (office.app.recorder.max_notification_id() or 0)
    assert dump(store, view) != expected
    runner.catch_up()
    assert dump(store, view) == expected
    assert runner.catch_up() == 0
    assert dump(store, view) == expected

    write_documents(office, people, 15, start=T0.add(days=60))
    runner.catch_up()
    ViewRunner(office.app, reference, [view]).catch_up()
    assert dump(store, view) == dump(reference, view)
    runner.rebuild()
    assert dump(store, view) == dump(reference, view)
    assert store.position(view.view) == office.app.recorder.max_notification_id()


@pytest.mark.slow
def test_two_runners_at_once_take_in_every_event_once(office: Office, people: AgencyPeople) -> None:
    """[ADR 0015] Two runners racing on one database: every event counted exactly once."""
    second = another_store(office)
    write_documents(office, people, 200)
    view = DocumentRegister()
    errors: list[BaseException] = []

    def run(store: ViewStore) -> None:
        runner = ViewRunner(office.app, store, [view], page_size=5)
        try:
            while store.position(view.view) < (office.app.recorder.max_notification_id() or 0):
                try:
                    runner.catch_up()
                except ConcurrentChange:
                    continue
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    try:
        threads = [threading.Thread(target=run, args=(s,)) for s in (office.views.store, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors
        reference = MemoryViewStore()
        ViewRunner(office.app, reference, [view]).catch_up()
        assert dump(office.views.store, view) == dump(reference, view)
        assert dump(second, view) == dump(reference, view)
    finally:
        if second is not office.views.store:
            second.close()


# --- opening ---------------------------------------------------------------------------------


def test_an_unreachable_postgres_server_is_store_unavailable() -> None:
    """[ADR 0006] No server at the address: StoreUnavailable, not a driver traceback."""
    settings = store_env("postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    with pytest.raises(StoreUnavailable):
        view_store(settings, "postgresql://postgres@127.0.0.1:1/nowhere")


def test_a_file_that_is_not_a_database_is_store_unavailable(tmp_path: Path) -> None:
    """[ADR 0006] A file that is not a database: StoreUnavailable, not a driver traceback."""
    path = tmp_path / "notes.db"
    path.write_text("not a database, just notes\n" * 100)
    with pytest.raises(StoreUnavailable):
        view_store(store_env(f"sqlite:///{path}"), "sqlite:///notes.db")


# --- PostgreSQL: following the log live ------------------------------------------------------


@pytest.mark.postgres
def test_a_postgres_view_follows_new_events_live(postgres_schema_url: str) -> None:
    """[ADR 0015] On PostgreSQL a follower wakes on the library's NOTIFY and catches up."""
    office = office_for_tests(postgres_schema_url, start=T0)
    try:
        people = standard_agency(office, T0)
        store = office.views.store
        assert isinstance(store, PostgresViewStore)
        view = DocumentRegister()
        runner = ViewRunner(office.app, store, [view])
        stop = threading.Event()
        follower = threading.Thread(
            target=store.follow, args=(runner, stop), kwargs={"poll_seconds": 30}
        )
        follower.start()
        try:
            for n in (1, 2):
                write_documents(office, people, 1, start=T0.add(days=n))
                deadline = time.monotonic() + 10
                while sum(view.counts(store).values()) < n and time.monotonic() < deadline:
                    time.sleep(0.02)
                assert sum(view.counts(store).values()) == n
        finally:
            stop.set()
            follower.join(timeout=10)
        assert not follower.is_alive()
    finally:
        office.close()
