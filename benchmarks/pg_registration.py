"""Benchmark of issue 14: registration (登记, taking a 发文字号) on PostgreSQL.

Two figures, each against its baseline measured in the same run:

1. **Reads per registration.** Signed documents are registered through the public command
   with the office as shipped (the document, the organisation and the number series read
   with one statement, ADR 0060), then with that one-statement read switched off (each
   record read on its own, as the library reads it). The script counts the statements that
   read events and times both.
2. **Agencies in parallel.** Each agency is its own schema (its own office). One process
   registers ``--documents`` documents in one schema; then ``--processes`` processes, each
   in its own schema, register as many each, all starting together. The ratio is the
   registrations per second of the processes together over those of the one process
   (issue 14 goal: at least 1.8x with 2 processes).

The documents are made and signed before the timing starts. The schemas are dropped at the
end. Not a test: nothing is asserted. Run from the repository root::

    python benchmarks/pg_registration.py
    python benchmarks/pg_registration.py --url postgresql://postgres@127.0.0.1:5432/postgres \\
        --documents 150 --processes 2
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import time
import uuid
from typing import Any

import pendulum

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


def schema_url(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def drop(url: str, schemas: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def prepared(url: str, documents: int) -> tuple[Any, Any, list[uuid.UUID]]:
    """An office in a new schema with ``documents`` signed documents, ready to register."""
    import psycopg

    from govoffice.domain.document import DocumentStatus
    from govoffice.testing import office_for_tests, outgoing_document, standard_agency

    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    office = office_for_tests(url, start=T0)
    people = standard_agency(office, T0)
    docs = [
        outgoing_document(office, people, DocumentStatus.SIGNED, at=T0) for _ in range(documents)
    ]
    return office, people, docs


def register_all(office: Any, people: Any, docs: list[uuid.UUID]) -> None:
    for i, doc in enumerate(docs):
        office.documents.register(
            doc,
            by=people.secretary,
            distribution_scope="各处室",
            copies=10,
            at=T0.add(days=1, minutes=i),
        )


def count_reads(office: Any) -> dict[str, int]:
    counts = {"statements": 0}
    app = office.app
    one, each = app.select_after, app.recorder.select_events

    def counted_one(*args: Any) -> Any:
        counts["statements"] += 1
        return one(*args)

    def counted_each(*args: Any, **kwargs: Any) -> Any:
        counts["statements"] += 1
        return each(*args, **kwargs)

    if one is not None:
        app.select_after = counted_one
    app.recorder.select_events = counted_each
    return counts


def reads(url: str, documents: int) -> dict[str, tuple[float, float]]:
    """Statements per registration and seconds per registration, one read vs per record."""
    results: dict[str, tuple[float, float]] = {}
    for variant in ("one read (as shipped)", "each record on its own"):
        office, people, docs = prepared(url + variant[:3].strip(), documents)
        try:
            register_all(office, people, docs[:1])  # the year's series, cached
            if variant.startswith("each"):
                office.app.select_after = None
            counts = count_reads(office)
            started = time.perf_counter()
            register_all(office, people, docs[1:])
            elapsed = time.perf_counter() - started
            n = len(docs) - 1
            results[variant] = (counts["statements"] / n, elapsed / n)
        finally:
            office.close()
    return results


def racer(url: str, documents: int, barrier: Any, out: Any) -> None:
    office, people, docs = prepared(url, documents)
    try:
        barrier.wait()
        started = time.perf_counter()
        register_all(office, people, docs)
        out.put(time.perf_counter() - started)
    finally:
        office.close()


def parallel(url: str, processes: int, documents: int, tag: str) -> float:
    """Registrations per second of ``processes`` processes, each in its own schema."""
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(processes), ctx.Queue()
    urls = [schema_url(url, f"bench_reg_{tag}_{processes}_{i}") for i in range(processes)]
    procs = [ctx.Process(target=racer, args=(u, documents, barrier, out)) for u in urls]
    for p in procs:
        p.start()
    times = [out.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join()
    return processes * documents / max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--documents", type=int, default=100, help="per process")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternating 1 / N rounds")
    args = parser.parse_args()
    tag = uuid.uuid4().hex[:8]
    schemas = [f"bench_reg_{tag}_{n}_{i}" for n in (1, args.processes) for i in range(n)]
    reads_url = schema_url(args.url, f"bench_reg_{tag}_r")
    schemas += [f"bench_reg_{tag}_r{v}" for v in ("one", "eac")]
    try:
        r = reads(reads_url, min(args.documents, 60))
        print("registration on PostgreSQL: statements that read events, and time, per registration")
        for variant, (statements, seconds) in r.items():
            print(f"  {variant:<24} {statements:4.1f} statements  {seconds * 1000:7.2f} ms")
        one, each = r["one read (as shipped)"], r["each record on its own"]
        print(f"  ratio one read / each on its own: {one[1] / each[1]:.2f}x time")
        single, multi = [], []
        for k in range(args.rounds):
            drop(args.url, schemas[: 1 + args.processes])
            single.append(parallel(args.url, 1, args.documents, tag))
            drop(args.url, schemas[: 1 + args.processes])
            multi.append(parallel(args.url, args.processes, args.documents, tag))
            print(
                f"  round {k + 1}: 1 process {single[-1]:.0f}/s, "
                f"{args.processes} processes {multi[-1]:.0f}/s"
            )
        best1, bestn = max(single), max(multi)
        print(
            f"agencies in parallel: 1 process {best1:.0f} registrations/s, {args.processes} "
            f"processes (own schemas) {bestn:.0f}/s: {bestn / best1:.2f}x (goal: ≥ 1.8x at 2)"
        )
    finally:
        drop(args.url, schemas)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} (the server runs on the same machine)")


if __name__ == "__main__":
    main()
