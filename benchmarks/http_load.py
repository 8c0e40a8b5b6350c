"""Bounded load test of ``govoffice serve`` (issue 15): concurrent clients over loopback on
PostgreSQL with several workers, against the same work done in-process in the same run.

Each of ``--clients`` clients (20) works for ``--seconds`` (30) through its own stream of
发文, each from 拟稿 to 登记 (a number): draft, submit for review, review, submit to the
office, office check, office review, sign, register (8 commands, 5 people, each with an API
token of their own), plus one expected refusal per document (the drafter tries to sign:
403, nothing recorded). A document begun before the deadline is finished. Then:

- **errors**: every answer must be the expected one (201/200 for a step, 403 for the
  refusal); anything else is listed. A ``ConcurrentChange`` (409, "retry later": the
  store's own retries ran out under contention, nothing recorded) is sent again after a
  pause, as a client should, and counted as *retried*;
- **lost or doubled commands**: the events the store holds after the run, counted by type,
  must equal the clients' successes exactly, and each document's history must be exactly
  its eight steps, by the people who took them, through their tokens;
- **numbers**: the serials the clients were given are 1..N with no gap and no duplicate,
  and each is the one the store holds for its document.

The same work is then done in-process: the same number of threads, the same flow, through
the facade of one ``Office`` on a fresh database of the same server, for the same time.
Printed: commands/s and latency percentiles (p50/p95/p99) of both, and their ratios.
Not a test: it asserts nothing, and exits 1 when a check fails. Run from the repository
root (needs a PostgreSQL server; the database is created and dropped)::

    python benchmarks/http_load.py                      # 20 clients, 30 s, 2 workers
    python benchmarks/http_load.py --clients 8 --seconds 10 --workers 4
    python benchmarks/http_load.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

tests/http/test_http_load.py runs :func:`run_http` small (4 clients, 3 s) as a check.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import httpx
import pendulum

POSTGRES = os.environ.get(
    "GOVOFFICE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)

FORM: dict[str, Any] = {
    "title": "关于做好年末安全生产检查工作的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:为做好年末安全生产工作,现将有关事项通知如下……",
}
"""The 发文稿纸 every client drafts (Chinese labels, as a Java or Vue client sends them)."""

ACTORS = ("drafter", "unit_head", "secretary", "office_head", "principal")

STEPS: tuple[tuple[str, str, dict[str, Any] | None, str], ...] = (
    ("drafter", "submit_for_review", None, "SubmittedForReview"),
    ("unit_head", "review", {"opinion": "同意"}, "Reviewed"),
    ("drafter", "submit_to_office", None, "SubmittedToOffice"),
    ("secretary", "office_check", None, "OfficeChecked"),
    ("office_head", "office_review", None, "OfficeReviewed"),
    ("principal", "sign", {"opinion": "同意印发"}, "Signed"),
    ("secretary", "register", {"distribution_scope": "各处室", "copies": 10}, "Registered"),
)
"""After the draft: (who, step, body, the event it records)."""

REFUSAL_BEFORE = "sign"
"""The step before which the drafter tries to sign (expected: 403 PermissionDenied)."""

EVENTS_PER_DOCUMENT = 1 + len(STEPS)


# --- a database of our own ----------------------------------------------------------------


def _database_url(server: str, name: str) -> str:
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def database(server: str, keep: bool = False) -> Iterator[str]:
    """A fresh database on the server (a unique name), dropped afterwards."""
    import psycopg

    name = f"govoffice_load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _database_url(server, name)
    finally:
        if not keep:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str) -> tuple[Any, dict[str, str], dict[str, str]]:
    """The standard agency (established yesterday, on the wall clock, as the server acts) and
    a token for each actor: (people, token texts, token ids)."""
    from govoffice import open_office
    from govoffice.testing import standard_agency

    office = open_office(url)
    try:
        people = standard_agency(office, at=pendulum.now("Asia/Shanghai").subtract(days=1))
        texts, ids = {}, {}
        for actor in ACTORS:
            issued = office.tokens.issue(getattr(people, actor), by=people.admin, label=actor)
            texts[actor], ids[actor] = issued.secret, issued.token_id
        return people, texts, ids
    finally:
        office.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, workers: int) -> Iterator[str]:
    """``govoffice serve --store URL --workers N`` on a free loopback port; SIGTERM after."""
    port = _free_port()
    args = [sys.executable, "-m", "govoffice", "serve", "--store", url]
    args += ["--workers", str(workers), "--port", str(port)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"govoffice serve exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("govoffice serve did not answer /health in time")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the run ------------------------------------------------------------------------------


@attrs.define
class Tally:
    """What the clients saw."""

    latencies: list[float] = attrs.field(factory=list)
    successes: Counter[str] = attrs.field(factory=Counter)
    refusals: int = 0
    retried: int = 0
    """Commands answered ConcurrentChange (409, "retry later": nothing recorded) and sent
    again, as a client should."""
    errors: list[str] = attrs.field(factory=list)
    documents: dict[str, list[str]] = attrs.field(factory=dict)
    numbers: dict[str, int] = attrs.field(factory=dict)
    elapsed: float = 0.0
    lock: threading.Lock = attrs.field(factory=threading.Lock)

    @property
    def commands(self) -> int:
        return sum(self.successes.values())

    def percentile(self, p: float) -> float:
        data = sorted(self.latencies)
        if not data:
            return float("nan")
        k = min(len(data) - 1, max(0, round(p / 100 * (len(data) - 1))))
        return data[k]


def _run_clients(
    clients: int, seconds: float, flow: Callable[[int, Tally, Callable[[], bool]], None]
) -> Tally:
    tally = Tally()
    start = time.perf_counter()
    deadline = start + seconds

    def more() -> bool:
        return time.perf_counter() < deadline

    threads = [threading.Thread(target=flow, args=(n, tally, more)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.elapsed = time.perf_counter() - start
    return tally


def run_http(
    url: str, clients: int, seconds: float, workers: int
) -> tuple[Tally, Any, dict[str, str]]:
    """The HTTP run on the (empty) database at ``url``: (what the clients saw, the people,
    the token ids)."""
    people, texts, ids = prepare(url)
    with serving(url, workers) as base:

        def flow(n: int, tally: Tally, more: Callable[[], bool]) -> None:
            sessions = {
                a: httpx.Client(
                    base_url=base, headers={"Authorization": f"Bearer {texts[a]}"}, timeout=60
                )
                for a in ACTORS
            }
            try:
                while more():
                    _one_document_over_http(sessions, tally)
            except Exception as e:  # a broken client is an error, not a crash of the run
                with tally.lock:
                    tally.errors.append(f"client {n}: {type(e).__name__}: {e}")
            finally:
                for s in sessions.values():
                    s.close()

        tally = _run_clients(clients, seconds, flow)
    return tally, people, ids


def _timed(tally: Tally, call: Callable[[], httpx.Response]) -> httpx.Response:
    t0 = time.perf_counter()
    r = call()
    dt = time.perf_counter() - t0
    with tally.lock:
        tally.latencies.append(dt)
    return r


RETRIES = 10


def _post(tally: Tally, session: httpx.Client, path: str, body: Any) -> httpx.Response:
    """POST, sent again (after a pause) while the answer is ConcurrentChange: the store's
    own retries ran out under contention, nothing was recorded, and the problem says
    "retry later"."""
    for attempt in range(RETRIES):
        r = _timed(tally, lambda: session.post(path, json=body))
        if r.status_code != 409 or r.json().get("error") != "ConcurrentChange":
            return r
        with tally.lock:
            tally.retried += 1
        time.sleep(0.05 * (attempt + 1))
    return r


def _one_document_over_http(sessions: dict[str, httpx.Client], tally: Tally) -> None:
    r = _post(tally, sessions["drafter"], "/documents/draft", FORM)
    if r.status_code != 201:
        with tally.lock:
            tally.errors.append(f"draft: {r.status_code} {r.text[:200]}")
        return
    doc = str(r.json())
    done = ["Drafted"]
    with tally.lock:
        tally.successes["Drafted"] += 1
        tally.documents[doc] = done
    for actor, step, body, event_name in STEPS:
        if step == REFUSAL_BEFORE:
            path = f"/documents/{doc}/sign"
            no = _post(tally, sessions["drafter"], path, {"opinion": "同意"})
            ok = no.status_code == 403 and no.json().get("error") == "PermissionDenied"
            with tally.lock:
                if ok:
                    tally.refusals += 1
                else:
                    tally.errors.append(f"refusal: {no.status_code} {no.text[:200]}")
        path = f"/documents/{doc}/{step}"
        r = _post(tally, sessions[actor], path, body)
        if r.status_code != 200:
            with tally.lock:
                tally.errors.append(f"{step}: {r.status_code} {r.text[:200]}")
            return
        with tally.lock:
            tally.successes[event_name] += 1
            done.append(event_name)
            if step == "register":
                tally.numbers[doc] = int(r.json()["serial"])


def run_in_process(url: str, clients: int, seconds: float) -> tuple[Tally, Any]:
    """The same flow through the facade of one Office, ``clients`` threads."""
    from govoffice import open_office
    from govoffice.domain.errors import ConcurrentChange, PermissionDenied

    people, _, _ = prepare(url)
    office = open_office(url, create=False)
    who = {a: getattr(people, a) for a in ACTORS}
    docs = office.documents

    def timed(tally: Tally, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            return fn()
        finally:
            dt = time.perf_counter() - t0
            with tally.lock:
                tally.latencies.append(dt)

    def call(tally: Tally, fn: Callable[[], Any]) -> Any:
        """As over HTTP: sent again while it is refused as ConcurrentChange."""
        for attempt in range(RETRIES):
            try:
                return timed(tally, fn)
            except ConcurrentChange:
                if attempt == RETRIES - 1:
                    raise
                with tally.lock:
                    tally.retried += 1
                time.sleep(0.05 * (attempt + 1))

    def flow(n: int, tally: Tally, more: Callable[[], bool]) -> None:
        while more():
            try:
                doc = call(tally, lambda: docs.draft(by=who["drafter"], **FORM))
                done = ["Drafted"]
                with tally.lock:
                    tally.successes["Drafted"] += 1
                    tally.documents[str(doc)] = done
                for actor, step, body, event_name in STEPS:
                    if step == REFUSAL_BEFORE:
                        try:
                            call(tally, lambda d=doc: docs.sign(d, by=who["drafter"]))
                            with tally.lock:
                                tally.errors.append("the drafter signed")
                        except PermissionDenied:
                            with tally.lock:
                                tally.refusals += 1
                    method = getattr(docs, step)
                    answer = call(
                        tally, lambda m=method, a=actor, b=body, d=doc: m(d, by=who[a], **(b or {}))
                    )
                    with tally.lock:
                        tally.successes[event_name] += 1
                        done.append(event_name)
                        if step == "register":
                            tally.numbers[str(doc)] = answer.serial
            except Exception as e:
                with tally.lock:
                    tally.errors.append(f"client {n}: {type(e).__name__}: {e}")

    try:
        return _run_clients(clients, seconds, flow), people
    finally:
        office.close()


# --- the checks ---------------------------------------------------------------------------


def check(url: str, tally: Tally, people: Any, ids: dict[str, str] | None) -> list[str]:
    """What is wrong with the store after a run: lost or doubled commands, numbers with a
    gap or a duplicate, a trail that does not name the token (over HTTP)."""
    from govoffice import open_office
    from govoffice.domain.document import OutgoingDocument

    problems: list[str] = []
    office = open_office(url, create=False)
    try:
        recorder = office.app.recorder
        stored: Counter[str] = Counter()
        start, last = 1, recorder.max_notification_id() or 0
        prefix = f"{OutgoingDocument.TOPIC}/"
        while start <= last:
            page = recorder.select_notifications(start, 1000)
            if not page:
                break
            for n in page:
                if n.topic.startswith(prefix):
                    stored[n.topic[len(prefix) :]] += 1
            start = page[-1].id + 1
        expected = Counter(tally.successes)
        if +stored != +expected:
            problems.append(f"events stored {dict(stored)} != client successes {dict(expected)}")
        actors = {getattr(people, a): a for a in ACTORS}
        by_step = ["drafter"] + [a for a, _, _, _ in STEPS]
        for doc, done in tally.documents.items():
            history = office.documents.history(doc)
            names = [d.action for d in history]
            if names != done:
                problems.append(f"{doc}: stored {names} != answered {done}")
                continue
            people_then = [actors.get(d.by or "") for d in history]
            if people_then != by_step[: len(history)]:
                problems.append(f"{doc}: taken by {people_then}")
            if ids is not None:
                vias = [d.via.token_id if d.via else None for d in history]
                if vias != [ids[a] for a in by_step[: len(history)]]:
                    problems.append(f"{doc}: tokens {vias}")
            if doc in tally.numbers:
                number = office.documents.get(doc).number
                if number is None or number.serial != tally.numbers[doc]:
                    problems.append(f"{doc}: stored number {number} != {tally.numbers[doc]}")
        serials = sorted(tally.numbers.values())
        if serials != list(range(1, len(serials) + 1)):
            problems.append(f"serials not 1..{len(serials)}: {serials[:10]}…")
        registered = [
            d
            for d in tally.documents
            if office.documents.get(d).number is not None and d not in tally.numbers
        ]
        if registered:
            problems.append(f"{len(registered)} documents numbered without the client knowing")
    finally:
        office.close()
    return problems


# --- the report ---------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(http: Tally, local: Tally, args: argparse.Namespace) -> None:
    rows = [("HTTP", http), ("in-process", local)]
    print(
        f"{args.clients} clients, {args.seconds:g} s, govoffice serve --workers {args.workers}, "
        f"PostgreSQL; Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(
        f"{'run':<11} {'docs':>6} {'commands':>9} {'refusals':>9} {'retried':>8} {'errors':>6} "
        f"{'cmd/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for name, t in rows:
        print(
            f"{name:<11} {len(t.numbers):>6} {t.commands:>9} {t.refusals:>9} {t.retried:>8} "
            f"{len(t.errors):>6} "
            f"{t.commands / t.elapsed:>8.1f} {_ms(t.percentile(50)):>8} "
            f"{_ms(t.percentile(95)):>8} {_ms(t.percentile(99)):>8}"
        )
    ratio = (http.commands / http.elapsed) / (local.commands / local.elapsed)
    print(f"throughput HTTP / in-process: {ratio:.2f}")
    print(
        "latency HTTP / in-process: p50 "
        f"{http.percentile(50) / local.percentile(50):.2f}, p95 "
        f"{http.percentile(95) / local.percentile(95):.2f}, p99 "
        f"{http.percentile(99) / local.percentile(99):.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=POSTGRES, help="the server (a database URL)")
    parser.add_argument("--skip-in-process", action="store_true")
    args = parser.parse_args()

    # a sealed chain under a key, as in production (ADR 0030); the server inherits it
    os.environ.setdefault("GOVOFFICE_AUDIT_KEY", uuid.uuid4().hex)
    failed = False
    with database(args.postgres) as url:
        http, people, ids = run_http(url, args.clients, args.seconds, args.workers)
        problems = http.errors[:20] + check(url, http, people, ids)
    for p in problems:
        print("HTTP:", p)
    failed |= bool(problems)
    local = Tally()
    if not args.skip_in_process:
        with database(args.postgres) as url:
            local, local_people = run_in_process(url, args.clients, args.seconds)
            problems = local.errors[:20] + check(url, local, local_people, None)
        for p in problems:
            print("in-process:", p)
        failed |= bool(problems)
        report(http, local, args)
    print(
        "checks:", "FAILED" if failed else "passed (0 errors, 0 lost or doubled, numbers gapless)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
