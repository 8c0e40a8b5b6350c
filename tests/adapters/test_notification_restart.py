"""[ADR 0017] Exactly once through a crash: ``govoffice notify`` (a real child process) is
sent SIGKILL part-way through delivering to a slow webhook receiver, with the notification
policy part-way through the log; a second process finishes the job.

The receiver checks every signature and deduplicates by ``Idempotency-Key``. It holds the
answer to one request open, and the first process is killed while waiting for it: that
message reached the receiver but was never marked sent, so the second process sends it
again once the first one's lease on it has run out (ADR 0033), and the receiver drops the
repeat. In the end the receiver has every key, exactly
once after deduplication, and the outbox shows every row sent once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pendulum
import pytest

from govoffice.application.notifications import NotificationStatus
from govoffice.domain.incoming import HandlingKind, ScreeningCheck
from govoffice.domain.routing import SenderType
from govoffice.testing import office_for_tests, standard_agency

ROOT = Path(__file__).resolve().parents[2]
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
SECRET = "restart-secret"
DOCUMENTS = 8
"""Incoming documents assigned to two leaders and a unit: three notifications each."""
KILL_AFTER = 7
"""The first process is killed while the receiver holds its 8th distinct message."""
DELAY = 0.02
"""Seconds the receiver takes per request: a slow receiver."""
LEASE = 1.0
"""Seconds a dispatcher holds the row it claimed: the killed one's row waits this long."""

pytestmark = pytest.mark.slow


@dataclass
class SlowReceiver:
    delay: float
    hold_at: int
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    arrivals: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    bad_signatures: int = 0
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, headers: Any, body: bytes) -> int:
        timestamp = headers.get("X-Govoffice-Timestamp", "")
        expected = (
            "sha256="
            + hmac.new(
                SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(expected, headers.get("X-Govoffice-Signature", "")):
            with self.lock:
                self.bad_signatures += 1
            return 401
        key = headers["Idempotency-Key"]
        time.sleep(self.delay)
        with self.lock:
            self.arrivals.append(key)
            if key in self.accepted:
                self.repeats.append(key)
                return 200
            self.accepted[key] = json.loads(body)
            hold = len(self.accepted) == self.hold_at
        if hold:  # processed, but the answer is held until the sender has been killed
            self.holding.set()
            self.release.wait(30)
        return 200


@pytest.fixture
def receiver() -> Iterator[tuple[SlowReceiver, str]]:
    state = SlowReceiver(DELAY, KILL_AFTER + 1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = state.take(self.headers, body)
            try:
                self.send_response(status)
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
        yield state, f"webhook+http://127.0.0.1:{server.server_address[1]}/hook?secret={SECRET}"
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


def notify_process(store_url: str, notifier_url: str) -> subprocess.Popen[bytes]:
    """``govoffice notify --once`` in a child process, a few events per page."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from govoffice.cli import main; main()",
            "notify",
            "--store",
            store_url,
            "--notifier",
            notifier_url,
            "--once",
            "--page-size",
            "4",
            "--backoff",
            "0.05",
            "--lease",
            str(LEASE),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def write_assignments(store_url: str) -> None:
    office = office_for_tests(store_url, start=T0)
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
                doc,
                results={c: True for c in ScreeningCheck},
                by=a.receiving_secretary,
                at=when,
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


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_delivery_killed_part_way_and_restarted_delivers_every_notification_exactly_once(
    kind: str,
    tmp_path: Path,
    receiver: tuple[SlowReceiver, str],
    request: pytest.FixtureRequest,
) -> None:
    """[ADR 0017] SIGKILL mid-delivery, restart: every key once after dedup, every row sent once."""
    state, notifier_url = receiver
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.db'}"
    else:
        url = str(request.getfixturevalue("postgres_schema_url"))
    write_assignments(url)

    first = notify_process(url, notifier_url)
    try:
        if not state.holding.wait(60):
            first.kill()
            raise AssertionError(first.communicate()[1].decode()[-3000:])
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:  # pragma: no cover - only if the test failed above
            first.kill()
            first.wait()
        state.release.set()
    assert first.returncode == -signal.SIGKILL

    office = office_for_tests(url, start=T0)
    try:
        service = office.notifications
        last = office.app.recorder.max_notification_id() or 0
        assert 0 < service.position < last, "the policy was not killed part-way through the log"
        sent = service.outbox(NotificationStatus.SENT)
        assert len(sent) == KILL_AFTER, "the held message must not be marked sent"
        assert len(state.accepted) == KILL_AFTER + 1
    finally:
        office.close()

    time.sleep(LEASE + 0.5)  # the killed dispatcher's lease on the held row runs out
    second = notify_process(url, notifier_url)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()[-3000:]
    assert "已发送" in out.decode()

    office = office_for_tests(url, start=T0)
    try:
        rows = office.notifications.outbox()
        assert office.notifications.position == office.app.recorder.max_notification_id()
    finally:
        office.close()
    keys = {r.key for r in rows}
    assert len(rows) == len(keys) == 3 * DOCUMENTS
    assert set(state.accepted) == keys, "every notification reached the receiver"
    assert state.bad_signatures == 0
    # the one in flight when the first process died was sent again, and dropped as a repeat
    assert len(state.repeats) == 1 and state.repeats[0] in keys
    assert len(state.arrivals) == 3 * DOCUMENTS + 1
    assert all(r.status is NotificationStatus.SENT and r.deliveries == 1 for r in rows)
