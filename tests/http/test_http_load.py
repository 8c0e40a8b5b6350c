"""The bounded load test, small (benchmarks/http_load.py, 4 clients for 3 s on PostgreSQL
with 2 workers): no error but the expected refusals, no lost or doubled command (the
store's events equal the clients' successes, each document's history is its steps by its
people through their tokens), numbers gapless [001 发文 五(六)1; ADR 0003]. The full run
and its figures are in benchmarks/README.md ("HTTP service")."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import require_postgres

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "http_load.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("http_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_concurrent_clients_over_http_lose_nothing_and_number_without_gaps() -> None:
    require_postgres()
    from tests.conftest import POSTGRES_URL

    load = _load()
    with load.database(POSTGRES_URL) as url:
        tally, people, ids = load.run_http(url, clients=4, seconds=3, workers=2)
        assert tally.errors == []
        documents = len(tally.documents)
        assert documents >= 4
        assert tally.refusals == documents  # the drafter's signature, refused each time
        assert tally.commands == documents * load.EVENTS_PER_DOCUMENT
        assert sorted(tally.numbers.values()) == list(range(1, documents + 1))
        assert load.check(url, tally, people, ids) == []

        # the check would see a command answered but not stored, or stored twice
        tally.successes["Signed"] += 1
        tally.documents[next(iter(tally.documents))].append("Archived")
        problems = load.check(url, tally, people, ids)
        assert any("events stored" in p for p in problems)
        assert any("stored" in p and "answered" in p for p in problems)
