"""A real ``govoffice serve`` process on a free loopback port, for the contract tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pendulum

from govoffice import open_office
from govoffice.testing import AgencyPeople, standard_agency

ROOT = Path(__file__).resolve().parents[2]

FORM: dict[str, Any] = {
    "title": "关于做好2026年春节期间值班工作的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:现将春节期间值班安排通知如下……",
}
"""A 发文稿纸 as a Java or Vue client sends it: Chinese labels for the enums."""

ACTORS = ("drafter", "unit_head", "secretary", "office_head", "principal", "archivist")
"""The people of a 发文 from draft to archive, each with a token of their own."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str) -> tuple[AgencyPeople, dict[str, str], dict[str, str]]:
    """The standard agency on the store at ``url`` (made now, at the wall clock's time, as
    the server will act), and an API token for each actor: (people, secrets, token ids)."""
    office = open_office(url)
    try:
        people = standard_agency(office, at=pendulum.now("Asia/Shanghai").subtract(days=1))
        secrets, ids = {}, {}
        for actor in ACTORS:
            issued = office.tokens.issue(getattr(people, actor), by=people.admin, label=actor)
            secrets[actor], ids[actor] = issued.secret, issued.token_id
        return people, secrets, ids
    finally:
        office.close()


def event_count(url: str) -> int:
    """How many events the store holds (read by a process of its own)."""
    office = open_office(url, create=False)
    try:
        return int(office.app.recorder.max_notification_id() or 0)
    finally:
        office.close()


@contextmanager
def serving(
    url: str,
    *,
    workers: int = 1,
    command: Sequence[str] | None = None,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``govoffice serve --store url`` (or ``command``) on a free port; yields its base URL
    and process once ``/health`` answers; SIGTERM when done."""
    port = free_port()
    args = list(
        command
        or [sys.executable, "-m", "govoffice", "serve", "--store", url, "--workers", str(workers)]
    )
    args += ["--port", str(port)]
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    environment = {**os.environ, "GOVOFFICE_STORE": url, **(env or {})}
    process = subprocess.Popen(
        args, stdout=out, stderr=subprocess.STDOUT, env=environment, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /health in time")
            time.sleep(0.2)
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log is not None and hasattr(out, "close"):
            out.close()
