"""[ADR 0003] Gapless numbering under concurrent registration: several processes (each with
its own office on the same store, all opened at the same moment like web workers starting
together) and several threads (sharing one office) register signed documents at once; the
numbers must run 1..N with no gap and no duplicate, each number must be the one stored on
its document, and exactly two events per registration must have been written.

The documents are taken to 已签发 before the race (built through the domain's own commands
and saved in a few large batches), so the racers compete only on 登记. A racer whose
registration still meets a concurrent change after the service's own retries gets
``ConcurrentChange`` ("retry later", nothing written) and retries, as a clerk would; how
often that happened is printed with the timings (``pytest -s``).

Sizes: 4 processes × 200 on PostgreSQL and on SQLite, 4 threads × 50 on each store.
Measured on the 2-vCPU development VM (other suites running): PostgreSQL 7-16 s,
SQLite 3-7 s, threads 0.2-3 s, simultaneous first opening 5 s; the file 20-35 s.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.domain.document import DocumentStatus, OutgoingDocument
from govoffice.domain.errors import ConcurrentChange
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.values import DocumentNumber, PersonId
from govoffice.testing import AgencyPeople, SettableClock, notification_count, standard_agency
from tests.adapters.test_store_contract import FORM, T0

pytestmark = pytest.mark.slow

PROCESSES, PER_PROCESS = 4, 200
THREADS, PER_THREAD = 4, 50
SIGNED_AT = T0.add(hours=1)
REGISTER_AT = T0.add(days=1)
SERIES = NumberSeries.create_id("发文字号", "X政发", 2026)
MAX_CLIENT_RETRIES = 200
P = AgencyPeople()


def prepare_signed(office: Office, batches: int, per_batch: int) -> list[list[uuid.UUID]]:
    """``batches`` lists of documents at 已签发, each list saved in one write."""
    org = office.org.current()
    prepared = []
    for _ in range(batches):
        docs = []
        for _ in range(per_batch):
            doc = OutgoingDocument.draft(org=org, by=PersonId(P.drafter), at=SIGNED_AT, **FORM)
            doc.submit_for_review(org=org, by=PersonId(P.drafter), at=SIGNED_AT)
            doc.review(org=org, by=PersonId(P.unit_head), at=SIGNED_AT)
            doc.submit_to_office(org=org, by=PersonId(P.drafter), at=SIGNED_AT)
            doc.office_check(org=org, by=PersonId(P.secretary), at=SIGNED_AT)
            doc.office_review(org=org, by=PersonId(P.office_head), at=SIGNED_AT)
            doc.sign(org=org, by=PersonId(P.principal), at=SIGNED_AT)
            docs.append(doc)
        office.store.save(*docs)
        prepared.append([d.id for d in docs])
    return prepared


def register_all(office: Office, docs: list[uuid.UUID]) -> tuple[list[tuple[uuid.UUID, int]], int]:
    """Register each document, retrying on ``ConcurrentChange``; returns (doc, serial)
    pairs and how many times the service gave up and the racer retried."""
    registered, retries = [], 0
    for doc in docs:
        for _ in range(MAX_CLIENT_RETRIES):
            try:
                number = office.documents.register(
                    doc, by=P.secretary, distribution_scope="各处室", copies=1, at=REGISTER_AT
                )
            except ConcurrentChange:
                retries += 1
                continue
            registered.append((doc, number.serial))
            break
        else:
            raise AssertionError(f"{doc} not registered after {MAX_CLIENT_RETRIES} retries")
    return registered, retries


def racing_process(url: str, docs: list[uuid.UUID], start: Any, results: Any) -> None:
    """One process: opens its own office on ``url`` at the same moment as the others (web
    workers starting together), then registers its documents at the same moment too."""
    try:
        start.wait(timeout=120)
        office = open_office(url, clock=SettableClock(T0))
        try:
            start.wait(timeout=120)
            results.put(("ok", *register_all(office, docs)))
        finally:
            office.close()
    except BaseException:
        start.abort()  # the others stop waiting for this one
        results.put(("error", traceback.format_exc(), 0))


def opening_process(url: str, start: Any, results: Any) -> None:
    """One process: opens (and closes) an office on ``url`` at the same moment as others."""
    try:
        start.wait(timeout=120)
        open_office(url, clock=SettableClock(T0)).close()
        results.put(("ok", [], 0))
    except BaseException:
        start.abort()
        results.put(("error", traceback.format_exc(), 0))


def events_since(office: Office, position: int) -> int:
    """How many events were recorded after ``position`` (PostgreSQL's notification ids may
    skip values after rolled-back inserts, so count rather than subtract)."""
    count = 0
    while True:
        page = office.app.recorder.select_notifications(start=position + 1, limit=1000)
        count += len(page)
        if len(page) < 1000:
            return count
        position = page[-1].id


def collect(results: Any, racers: list[Any], deadline: float) -> list[Any]:
    """One outcome per racer; fails at once (with the exit codes) if a racer died without
    reporting, instead of waiting for the deadline."""
    outcomes: list[Any] = []
    while len(outcomes) < len(racers):
        try:
            outcomes.append(results.get(timeout=1))
            continue
        except queue.Empty:
            pass
        dead = [r.exitcode for r in racers if r.exitcode not in (None, 0)]
        if dead or time.monotonic() > deadline:
            codes = [r.exitcode for r in racers]
            raise AssertionError(f"racers died or hung; exit codes {codes}, got {outcomes}")
    return outcomes


def check_gapless(office: Office, registered: list[tuple[uuid.UUID, int]], before: int) -> None:
    """Numbers 1..N, each once, each stored on its document and in the series; exactly two
    events per registration (Registered, Taken) plus the series' start; nothing else."""
    n = len(registered)
    serials = sorted(serial for _, serial in registered)
    assert serials == list(range(1, n + 1)), "gap or duplicate"
    assert len({doc for doc, _ in registered}) == n
    series = office.store.get(NumberSeries, SERIES)
    assert series.last_serial == n
    taken = [e for e in office.app.events.get(SERIES) if type(e).__name__ == "Taken"]
    assert [e.serial for e in taken] == list(range(1, n + 1))  # type: ignore[attr-defined]
    by_doc = {e.for_record: e.serial for e in taken}  # type: ignore[attr-defined]
    assert by_doc == dict(registered)
    assert events_since(office, before) == 2 * n + 1
    for doc, serial in registered[:: max(1, n // 25)]:
        stored = office.documents.get(doc)
        assert stored.status is DocumentStatus.REGISTERED
        assert stored.number == DocumentNumber("X政发", 2026, serial)
    assert (
        office.documents.find_by_number(f"X政发〔2026〕{n}号").id
        == dict((s, d) for d, s in registered)[n]
    )


def contiguous(serials: list[int]) -> bool:
    return sorted(serials) == list(range(min(serials), min(serials) + len(serials)))


def run_processes(target: Callable[..., None], args: list[tuple[Any, ...]]) -> list[Any]:
    """Start one spawned process per ``args`` (each also given a shared barrier and a result
    queue) and collect their outcomes; a process's error fails the test with its traceback."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(args))
    results = context.Queue()
    processes = [context.Process(target=target, args=(*a, start, results)) for a in args]
    for process in processes:
        process.start()
    try:
        outcomes = collect(results, processes, deadline=time.monotonic() + 180)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():  # pragma: no cover - only when a process hangs
                process.terminate()
    errors = [detail for status, detail, _ in outcomes if status == "error"]
    assert not errors, "\n".join(errors)
    return outcomes


def store_url(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "memory":
        return "memory"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'office.db'}"
    return str(request.getfixturevalue("postgres_schema_url"))


def report(what: str, started: float, retries: int) -> None:
    print(f"\n{what}: {time.perf_counter() - started:.1f} s, {retries} client retries")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_four_processes_register_without_gaps_or_duplicates(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[ADR 0003] 4 个进程同时各登记 200 件公文: 文号 1..800, 不跳号, 不重号."""
    url = store_url(kind, tmp_path, request)
    office = open_office(url, clock=SettableClock(T0))
    standard_agency(office, T0)
    batches = prepare_signed(office, PROCESSES, PER_PROCESS)
    before = notification_count(office)
    office.close()

    if kind == "postgres":  # one thread per racer: a small pool each, the server is shared
        url = f"{url}&pool_size=2&max_overflow=2"
    started = time.perf_counter()
    outcomes = run_processes(racing_process, [(url, docs) for docs in batches])
    registered = [pair for _, pairs, _ in outcomes for pair in pairs]
    # the racers really raced: at least two of them got numbers between the others' numbers
    interleaved = [not contiguous([serial for _, serial in pairs]) for _, pairs, _ in outcomes]
    assert sum(interleaved) >= 2, "the racers did not overlap; nothing was tested"
    report(f"{kind}: {PROCESSES} processes × {PER_PROCESS}", started, sum(r for *_, r in outcomes))

    office = open_office(url, clock=SettableClock(T0))
    try:
        check_gapless(office, registered, before)
    finally:
        office.close()


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_four_threads_register_without_gaps_or_duplicates(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[ADR 0003] 同一进程中 4 个线程共用一个办公系统, 各登记 50 件: 文号 1..200, 不跳号, 不重号."""
    url = store_url(kind, tmp_path, request)
    office = open_office(url, clock=SettableClock(T0))
    try:
        standard_agency(office, T0)
        batches = prepare_signed(office, THREADS, PER_THREAD)
        before = notification_count(office)
        start = threading.Barrier(THREADS)
        outcomes: list[tuple[list[tuple[uuid.UUID, int]], int]] = []
        errors: list[str] = []

        def race(docs: list[uuid.UUID]) -> Callable[[], None]:
            def run() -> None:
                try:
                    start.wait(timeout=60)
                    outcomes.append(register_all(office, docs))
                except BaseException:
                    errors.append(traceback.format_exc())

            return run

        started = time.perf_counter()
        racers = [threading.Thread(target=race(docs)) for docs in batches]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=120)
        assert not errors, "\n".join(errors)
        assert len(outcomes) == THREADS
        report(f"{kind}: {THREADS} threads × {PER_THREAD}", started, sum(r for _, r in outcomes))
        check_gapless(office, [pair for pairs, _ in outcomes for pair in pairs], before)
    finally:
        office.close()


def test_processes_opening_a_new_postgresql_store_at_once(postgres_schema_url: str) -> None:
    """[ADR 0006, 0030] 多个进程同时首次打开同一个 PostgreSQL 存储 (同时建表) 都能打开,
    封存记录只写一次."""
    run_processes(opening_process, [(postgres_schema_url,)] * PROCESSES)
    office = open_office(postgres_schema_url)
    try:
        assert notification_count(office) == 1  # the chain's genesis record, once
    finally:
        office.close()
