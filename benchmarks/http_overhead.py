"""What the HTTP service (ADR 0054) adds to one command, and what an Idempotency-Key adds
(ADR 0056), against the same command in process, in the same run.

One client, one request at a time, on an SQLite store: ``documents.draft`` in process (the
baseline), the same over HTTP to a ``govoffice serve`` process on loopback, and over HTTP
with an ``Idempotency-Key`` (two more view-store transactions). The three batches alternate
for ``--rounds`` rounds so a busy machine slows them alike; the medians of the rounds'
medians are compared. Not a test: nothing is asserted. Run from the repository root::

    python benchmarks/http_overhead.py                 # 5 rounds of 40 drafts each
    python benchmarks/http_overhead.py --rounds 10 --requests 100
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pendulum

from govoffice import open_office
from govoffice.testing import standard_agency

FORM: dict[str, Any] = {
    "title": "关于做好2026年春节期间值班工作的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:现将春节期间值班安排通知如下……",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(n: int, step: Callable[[], object]) -> float:
    """The median seconds of ``n`` calls of ``step``."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="govoffice-http-"))
    url = f"sqlite:///{folder / 'office.db'}"
    office = open_office(url)
    people = standard_agency(office, at=pendulum.now("Asia/Shanghai").subtract(days=1))
    secret = office.tokens.issue(people.drafter, by=people.admin).secret
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "govoffice", "serve", "--store", url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "GOVOFFICE_STORE": url},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"})

        def in_process() -> object:
            return office.documents.draft(by=people.drafter, **FORM)

        def over_http() -> object:
            return client.post("/documents/draft", json=FORM).raise_for_status()

        def with_key() -> object:
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            return client.post("/documents/draft", json=FORM, headers=headers).raise_for_status()

        batches = {"in process": in_process, "HTTP": over_http, "HTTP + key": with_key}
        results: dict[str, list[float]] = {name: [] for name in batches}
        for n in range(args.rounds):
            order = list(batches.items())
            order = order[n % 3 :] + order[: n % 3]
            for name, step in order:
                results[name].append(timed(args.requests, step))
        client.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        office.close()
    print(f"{platform.python_version()} on {platform.machine()}, load {os.getloadavg()[0]:.1f}")
    print(f"documents.draft on SQLite, {args.rounds} rounds x {args.requests}, one client:")
    baseline = statistics.median(results["in process"])
    for name, medians in results.items():
        median = statistics.median(medians)
        print(f"  {name:<12} {median * 1000:6.2f} ms   {median / baseline:4.2f}x")


if __name__ == "__main__":
    main()
