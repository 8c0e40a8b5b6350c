"""[ADR 0033] Leases in the view store: a document leased to one claimer is not given to
another while the lease lasts; the lease can be renewed by its holder only, runs out, and is
released. On every store (memory, SQLite, PostgreSQL), and between two stores on one
database as two processes would have them; many claimers at once never share a document."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from govoffice.adapters.stores import store_env
from govoffice.application.office import Office
from govoffice.application.views import ViewStore
from govoffice.bootstrap import view_store
from govoffice.testing import office_for_tests
from tests.adapters.views_workload import T0

VIEW, TABLE = "test-leases.v1", "queue"


@pytest.fixture
def office(store_url: str) -> Iterator[Office]:
    office = office_for_tests(store_url, start=T0)
    try:
        yield office
    finally:
        office.close()


def another_store(office: Office) -> ViewStore:
    if office.store_url == "memory":
        return office.views.store
    return view_store(store_env(office.store_url), office.store_url)


def queue(store: ViewStore, n: int) -> None:
    with store.transaction({}) as tx:
        for i in range(n):
            tx.put(VIEW, TABLE, f"{i:04d}", {"key": f"row-{i}"})


def test_a_leased_document_goes_to_no_other_claimer_until_the_lease_runs_out(
    office: Office,
) -> None:
    """[ADR 0033] Claimed in key order; held while the lease lasts; free again after."""
    store, other = office.views.store, another_store(office)
    try:
        queue(store, 3)
        first = store.claim(VIEW, TABLE, claimer="a", seconds=30)
        assert first == [("0000", {"key": "row-0"})]
        assert other.claim(VIEW, TABLE, claimer="b", seconds=0.5, limit=5) == [
            ("0001", {"key": "row-1"}),
            ("0002", {"key": "row-2"}),
        ]
        assert other.claim(VIEW, TABLE, claimer="c", seconds=30) == []
        time.sleep(0.7)  # b's leases run out
        assert [k for k, _ in store.claim(VIEW, TABLE, claimer="c", seconds=30, limit=5)] == [
            "0001",
            "0002",
        ]
    finally:
        if other is not store:
            other.close()


def test_only_the_holder_renews_or_releases_a_lease(office: Office) -> None:
    """[ADR 0033] Renewing someone else's lease fails; releasing it does nothing."""
    store = office.views.store
    queue(store, 1)
    assert store.claim(VIEW, TABLE, claimer="a", seconds=0.3)
    assert store.renew(VIEW, TABLE, "0000", claimer="a", seconds=30)
    assert not store.renew(VIEW, TABLE, "0000", claimer="b", seconds=30)
    store.release(VIEW, TABLE, "0000", claimer="b")
    time.sleep(0.4)  # the original 0.3 s would be over: the renewal holds
    assert store.claim(VIEW, TABLE, claimer="b", seconds=30) == []
    store.release(VIEW, TABLE, "0000", claimer="a")
    assert store.claim(VIEW, TABLE, claimer="b", seconds=30) == [("0000", {"key": "row-0"})]
    assert not store.renew(VIEW, TABLE, "0000", claimer="a", seconds=30), "a's lease is gone"


def test_many_claimers_at_once_never_share_a_document(office: Office) -> None:
    """[ADR 0033] Six claimers (two stores, three threads each) take 120 documents one at a
    time: every document is claimed exactly once."""
    store = office.views.store
    queue(store, 120)
    stores = [store, another_store(office)]
    claimed: Counter[str] = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def claim_all(s: ViewStore, who: str) -> None:
        try:
            while got := s.claim(VIEW, TABLE, claimer=who, seconds=60):
                with lock:
                    claimed.update(key for key, _ in got)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [
        threading.Thread(target=claim_all, args=(s, f"{n}-{t}"))
        for n, s in enumerate(stores)
        for t in range(3)
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        if stores[1] is not store:
            stores[1].close()
    assert errors == []
    assert len(claimed) == 120 and set(claimed.values()) == {1}
