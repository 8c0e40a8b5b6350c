"""[issue 12 §4, ADR 0033] Exactly one dispatcher per notification.

Four ``govoffice notify --once`` processes start together on one store (SQLite, PostgreSQL)
and deliver to a real channel: an SMTP server (aiosmtpd) or an HTTP webhook receiver, each
on loopback. One of the four is killed with SIGKILL part-way through. The next run (the
next cron tick, after the killed one's lease has run out) delivers what it left. The
receiver sees every notification; none twice, except at most one for the kill (the message
in flight when it died), and that one under the same idempotency key.
"""

from __future__ import annotations

import email.policy
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pendulum
import pytest
from aiosmtpd.controller import Controller

from govoffice.adapters.notifiers import EMAIL_KEY_HEADER, message_id_for
from govoffice.application.notifications import NotificationStatus
from govoffice.domain.incoming import HandlingKind, ScreeningCheck
from govoffice.domain.routing import SenderType
from govoffice.testing import office_for_tests, standard_agency
from tests.adapters.test_notifiers_smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
SECRET = "claims-secret"
DOCUMENTS = 20
"""Incoming documents assigned to two leaders and a unit: three notifications each."""
DISPATCHERS = 4
KILL_AT = 20
"""The first dispatcher is killed once the receiver has taken this many messages."""
LEASE = 3.0
"""Seconds a dispatcher holds a row: longer than a claim, a send and a mark take on a busy
machine (a lease that runs out mid-send lets another dispatcher send it too)."""

pytestmark = pytest.mark.slow


@dataclass
class Arrivals:
    """What reached the receiver: each idempotency key, as often as it came."""

    keys: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    """Messages whose headers carry another key than their content (must stay empty)."""
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def add(self, key: str) -> None:
        with self.arrived:
            self.keys.append(key)
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.keys) >= count, timeout)


@pytest.fixture
def webhook() -> Iterator[tuple[Arrivals, str]]:
    arrivals = Arrivals()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            import json

            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Govoffice-Timestamp", "")
            mac = hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
            signed = hmac.compare_digest(
                "sha256=" + mac.hexdigest(), self.headers.get("X-Govoffice-Signature", "")
            )
            key = self.headers.get("Idempotency-Key", "")
            if not signed or json.loads(body)["key"] != key:
                arrivals.mismatched.append(key)
            time.sleep(0.005)  # a receiver that takes a moment
            arrivals.add(key)
            try:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the sender is gone
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield arrivals, f"webhook+http://127.0.0.1:{server.server_address[1]}/hook?secret={SECRET}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def smtp() -> Iterator[tuple[Arrivals, str]]:
    arrivals = Arrivals()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            mail = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            assert isinstance(mail, EmailMessage)
            key = str(mail[EMAIL_KEY_HEADER])
            domain = str(mail["Message-ID"]).rsplit("@", 1)[-1].rstrip(">")
            if mail["Message-ID"] != message_id_for(key, domain):
                arrivals.mismatched.append(key)
            arrivals.add(key)
            return "250 Message accepted for delivery"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield arrivals, f"smtp://127.0.0.1:{port}?from=office@example.gov.cn"
    finally:
        controller.stop()


def write_assignments(url: str) -> None:
    office = office_for_tests(url, start=T0)
    try:
        a = standard_agency(office, T0)
        inc = office.incoming
        for i in range(DOCUMENTS):
            when = T0.add(minutes=10 * i)
            doc = inc.receive(
                sender="某县人民政府", title=f"请示 {i + 1}", by=a.receiving_secretary, at=when
            )
            inc.register(doc, sender_type=SenderType.GOVERNMENT, by=a.receiving_secretary, at=when)
            inc.screen(
                doc, results={c: True for c in ScreeningCheck}, by=a.receiving_secretary, at=when
            )
            inc.assign(
                doc,
                kind=HandlingKind.ACTION,
                proposal="拟请何副局长阅示,业务一处办理",
                lead_unit="biz1",
                leaders=[a.deputy, a.principal],
                deadline=date(2026, 3, 20),
                by=a.office_head,
                at=when.add(minutes=5),
            )
    finally:
        office.close()


def dispatcher(url: str, notifier: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from govoffice.cli import main; main()",
            "notify",
            "--store",
            url,
            "--notifier",
            notifier,
            "--once",
            "--page-size",
            "10",
            "--lease",
            str(LEASE),
            "--backoff",
            "0.05",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("channel", ["webhook", "smtp"])
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_four_dispatchers_one_killed_deliver_every_notification_once(
    kind: str, channel: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[issue 12 §4] 4 dispatchers, one SIGKILLed: every key received, none twice but one."""
    arrivals, notifier = request.getfixturevalue(channel)
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.db'}"
    else:
        url = str(request.getfixturevalue("postgres_schema_url"))
    write_assignments(url)

    processes = [dispatcher(url, notifier) for _ in range(DISPATCHERS)]
    try:
        reached = arrivals.wait_for(KILL_AT, 240)  # a generous bound for a busy machine
        processes[0].send_signal(signal.SIGKILL)
        survivors = [p.communicate(timeout=240) for p in processes[1:]]
    finally:
        for p in processes:
            if p.poll() is None:  # pragma: no cover - only when the test failed above
                p.kill()
            p.wait()
    assert reached, "the dispatchers did not get going"
    assert processes[0].returncode == -signal.SIGKILL
    for p, (_out, err) in zip(processes[1:], survivors, strict=True):
        assert p.returncode == 0, err.decode()[-3000:]

    time.sleep(LEASE + 0.5)  # the next run, once the killed dispatcher's lease has run out
    out, err = dispatcher(url, notifier).communicate(timeout=240)
    assert "已发送" in out.decode(), err.decode()[-3000:]

    office = office_for_tests(url, start=T0)
    try:
        rows = office.notifications.outbox()
    finally:
        office.close()
    keys = {r.key for r in rows}
    assert len(rows) == len(keys) == 3 * DOCUMENTS
    assert all(r.status is NotificationStatus.SENT for r in rows)
    assert all(r.deliveries == 1 for r in rows)
    counts = Counter(arrivals.keys)
    assert set(counts) == keys, "every notification reached the receiver"
    repeated = {key: n for key, n in counts.items() if n > 1}
    assert len(repeated) <= 1 and all(n == 2 for n in repeated.values()), repeated
    assert arrivals.mismatched == [], "a message carried another key than its own"
