"""Webhook 通知 — the webhook notifier against a real HTTP server on loopback.

The receiver (``http.server`` in a thread, on a free port of 127.0.0.1) checks every POST's
HMAC-SHA256 signature with its own code, answers 503 to the first attempts of each message,
then accepts; it drops repeats by ``Idempotency-Key``, as a real receiver would. The tests
check the backoff between attempts, that each notification is seen exactly once after
deduplication, and that a permanent refusal (4xx) is recorded and surfaced (ADR 0017).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pendulum
import pytest

from govoffice.adapters.notifiers import (
    InvalidNotifierConfig,
    WebhookNotifier,
    notifier_from_config,
    verify,
)
from govoffice.application.notifications import (
    NotificationsFailed,
    NotificationStatus,
    RetryPolicy,
)
from govoffice.application.office import Office
from govoffice.domain.incoming import HandlingKind, ScreeningCheck
from govoffice.domain.routing import SenderType
from govoffice.testing import AgencyPeople, standard_agency

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
SECRET = b"hook-secret-\xe5\xaf\x86"


# --- the receiver ----------------------------------------------------------------------------


@dataclass
class Receiver:
    """What a careful webhook receiver does: check the signature, answer, drop repeats."""

    secret: bytes
    fail_first: int = 0
    """Answer 503 to the first N attempts of each key."""
    status_for: dict[str, int] = field(default_factory=dict)
    """A fixed answer for messages to these recipients (e.g. 422)."""
    retry_after: str | None = None
    attempts: Counter[str] = field(default_factory=Counter)
    arrivals: list[str] = field(default_factory=list)
    """The key of every correctly signed POST, in order (repeats included)."""
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Key -> payload, first acceptance only (the receiver's deduplication)."""
    repeats: list[str] = field(default_factory=list)
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: Any, body: bytes) -> tuple[int, dict[str, str]]:
        timestamp = headers.get("X-Govoffice-Timestamp", "")
        signature = headers.get("X-Govoffice-Signature", "")
        expected = hmac.new(self.secret, timestamp.encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest("sha256=" + expected.hexdigest(), signature):
            with self.lock:
                self.bad_signatures += 1
            return 401, {}
        payload = json.loads(body)
        key = headers.get("Idempotency-Key")
        assert key == payload["key"]
        with self.lock:
            self.arrivals.append(key)
            self.attempts[key] += 1
            fixed = self.status_for.get(payload["recipient"]["id"])
            if fixed is not None:
                return fixed, {"Location": "/elsewhere"} if 300 <= fixed < 400 else {}
            if self.attempts[key] <= self.fail_first:
                return 503, {"Retry-After": self.retry_after} if self.retry_after else {}
            if key in self.accepted:
                self.repeats.append(key)
            else:
                self.accepted[key] = payload
        return 200, {}


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    """A receiver listening on a free loopback port; yields it and its URL."""
    state = Receiver(SECRET)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status, extra = state.answer(self.headers, body)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hooks/govoffice"
    finally:
        server.shutdown()
        server.server_close()


# --- the office ------------------------------------------------------------------------------


@pytest.fixture
def a(office: Office) -> AgencyPeople:
    return standard_agency(office, T0)


def assigned(office: Office, a: AgencyPeople, title: str = "关于申请专项资金的请示") -> uuid.UUID:
    """An incoming document for 何副局长 and 陈局长 to instruct and 业务一处 to handle:
    three notifications."""
    inc = office.incoming
    doc = inc.receive(sender="某县人民政府", title=title, by=a.receiving_secretary, at=T0)
    inc.register(doc, sender_type=SenderType.GOVERNMENT, by=a.receiving_secretary, at=T0)
    inc.screen(doc, results={c: True for c in ScreeningCheck}, by=a.receiving_secretary, at=T0)
    inc.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="拟请何副局长阅示,业务一处办理",
        lead_unit="biz1",
        leaders=[a.deputy, a.principal],
        deadline=date(2026, 3, 20),
        by=a.office_head,
        at=T0.add(hours=1),
    )
    return doc


def channel(url: str, secret: bytes = SECRET) -> WebhookNotifier:
    return WebhookNotifier(url, secret=secret, timeout=5)


# --- tests -----------------------------------------------------------------------------------


def test_each_notification_arrives_signed_and_exactly_once_after_failed_attempts(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """The receiver fails the first two attempts of every message with 503: the dispatcher
    waits 0.1 s, then 0.2 s, and the third attempt is accepted; every key is accepted
    exactly once, every POST is correctly signed, and the outbox marks each row sent once."""
    state, url = receiver
    state.fail_first = 2
    assigned(office, a)
    assigned(office, a, title="关于报送年度工作总结的通知")
    waits: list[float] = []
    service = office.notifications
    service.retry, service.sleep = RetryPolicy(attempts=4, first_delay=0.1), waits.append
    report = service.deliver(channel(url))

    rows = service.outbox()
    assert len(rows) == 6 and len(report.sent) == 6
    assert set(state.accepted) == {r.key for r in rows}
    assert state.repeats == [] and state.bad_signatures == 0
    assert all(state.attempts[r.key] == 3 for r in rows)
    assert waits == [0.1, 0.2] * 6
    assert all(
        r.status is NotificationStatus.SENT and r.attempts == 3 and r.deliveries == 1 for r in rows
    )
    payload = state.accepted[rows[0].key]
    assert payload["recipient"] == {
        "id": rows[0].recipient,
        "name": rows[0].message.name,
        "email": f"{rows[0].recipient}@example.gov.cn",
    }
    assert payload["kind"] == "incoming_assigned" and payload["kind_label"] == "收文分办"
    assert payload["subject"] == rows[0].message.subject and "某县人民政府" in payload["body"]
    assert payload["event_id"] == rows[0].message.event_id
    assert service.deliver(channel(url)).sent == ()
    assert len(state.arrivals) == 18


def test_a_repeat_carries_the_same_key_so_the_receiver_drops_it(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """Sending the same message again (as after a crash between send and mark) signs it
    afresh but keeps its ``Idempotency-Key``; the receiver keeps one copy."""
    state, url = receiver
    assigned(office, a)
    office.notifications.catch_up()
    row = office.notifications.pending()[0]
    hook = channel(url)
    hook.send(row.message)
    hook.send(row.message)
    assert state.arrivals == [row.key, row.key]
    assert list(state.accepted) == [row.key] and state.repeats == [row.key]
    request = hook.request(row.message, now=1_770_000_000)
    assert request.get_header("Idempotency-key") == row.key
    body = request.data
    assert isinstance(body, bytes)
    assert verify(
        SECRET,
        body,
        "1770000000",
        request.get_header("X-govoffice-signature") or "",
        now=1_770_000_010,
    )
    assert not verify(SECRET, body, "1770000000", "sha256=00", tolerance=None)
    assert not verify(
        SECRET, body, "1770000000", request.get_header("X-govoffice-signature") or "", now=0
    )


def test_a_permanent_refusal_is_recorded_failed_and_surfaced(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """A 4xx answer (here 422 for messages to 陈局长) is not retried: the row is failed
    with the answer, the run raises after sending the rest, and ``failed()`` lists it."""
    state, url = receiver
    state.status_for[a.principal] = 422
    assigned(office, a)
    waits: list[float] = []
    office.notifications.sleep = waits.append
    with pytest.raises(NotificationsFailed) as raised:
        office.notifications.deliver(channel(url))
    report = raised.value.report
    assert len(report.sent) == 2 and [r.recipient for r in report.failed] == [a.principal]
    [failed] = office.notifications.failed()
    assert failed.status is NotificationStatus.FAILED and failed.attempts == 1
    assert "422" in failed.last_error
    assert waits == [] and state.attempts[failed.key] == 1
    assert failed.key not in state.accepted

    state.status_for.clear()  # the receiver is fixed: an operator queues the row again
    assert office.notifications.retry_failed() == 1
    assert office.notifications.deliver(channel(url)).sent == (failed.key,)
    assert failed.key in state.accepted and office.notifications.failed() == []


def test_a_redirect_is_not_followed_and_fails_the_row(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """A 302 would make urllib repeat the POST as a bodiless GET: it is a failure instead."""
    state, url = receiver
    state.status_for[a.deputy] = 302
    assigned(office, a)
    report = office.notifications.deliver(channel(url), raise_on_failure=False)
    [failed] = report.failed
    assert failed.recipient == a.deputy and "302" in failed.last_error
    assert state.attempts[failed.key] == 1 and len(state.accepted) == 2


def test_a_receiver_that_never_recovers_fails_the_row_after_the_last_attempt(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """503 every time: three attempts with backoff, then failed, with the last answer."""
    state, url = receiver
    state.fail_first = 1_000
    assigned(office, a)
    waits: list[float] = []
    service = office.notifications
    service.retry, service.sleep = RetryPolicy(attempts=3, first_delay=0.5), waits.append
    report = service.deliver(channel(url), raise_on_failure=False)
    assert len(report.failed) == 3 and report.sent == ()
    assert waits == [0.5, 1.0] * 3
    assert all("503" in r.last_error and r.attempts == 3 for r in service.failed())
    assert state.accepted == {}


def test_retry_after_is_honoured(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """A 503 with ``Retry-After: 2`` waits 2 s rather than the shorter backoff."""
    state, url = receiver
    state.fail_first, state.retry_after = 1, "2"
    assigned(office, a)
    waits: list[float] = []
    service = office.notifications
    service.retry, service.sleep = RetryPolicy(attempts=3, first_delay=0.1), waits.append
    service.deliver(channel(url))
    assert waits == [2.0, 2.0, 2.0] and len(state.accepted) == 3


def test_a_message_signed_with_the_wrong_secret_is_refused_by_the_receiver(
    office: Office, a: AgencyPeople, receiver: tuple[Receiver, str]
) -> None:
    """The receiver checks the signature: a wrong secret gets 401, a permanent failure."""
    state, url = receiver
    assigned(office, a)
    report = office.notifications.deliver(channel(url, b"wrong"), raise_on_failure=False)
    assert len(report.failed) == 3 and state.bad_signatures == 3 and state.accepted == {}
    assert all("401" in r.last_error for r in report.failed)


def test_an_unreachable_receiver_is_a_transient_failure(office: Office, a: AgencyPeople) -> None:
    """Nobody listening: connection refused is retried, then recorded."""
    assigned(office, a)
    waits: list[float] = []
    service = office.notifications
    service.retry, service.sleep = RetryPolicy(attempts=2, first_delay=0.01), waits.append
    report = service.deliver(channel("http://127.0.0.1:9/nowhere"), raise_on_failure=False)
    assert len(report.failed) == 3 and waits == [0.01] * 3
    assert all("无法送达" in r.last_error for r in report.failed)


def test_webhook_configuration_is_read_from_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """``webhook+https://…?secret=…`` (or ``secret_env=NAME``); other query parameters stay
    on the target URL; a missing secret is refused, and a secret never shows in errors."""
    hook = notifier_from_config("webhook+https://hooks.example.gov.cn/oa?secret=abc&tenant=7")
    assert isinstance(hook, WebhookNotifier)
    assert hook.url == "https://hooks.example.gov.cn/oa?tenant=7" and hook.secret == b"abc"
    monkeypatch.setenv("GOVOFFICE_HOOK_SECRET", "from-env")
    hook = notifier_from_config("webhook+http://127.0.0.1:8080/x?secret_env=GOVOFFICE_HOOK_SECRET")
    assert isinstance(hook, WebhookNotifier) and hook.secret == b"from-env"
    mapped = notifier_from_config({"type": "webhook", "url": "https://h/x", "secret": "s"})
    assert isinstance(mapped, WebhookNotifier)
    with pytest.raises(InvalidNotifierConfig):
        notifier_from_config("webhook+https://hooks.example.gov.cn/oa")
    with pytest.raises(InvalidNotifierConfig):
        notifier_from_config("webhook+ftp://hooks.example.gov.cn/oa?secret=abc")
    with pytest.raises(InvalidNotifierConfig) as raised:
        notifier_from_config("webhook+https://h/x?secret=topsecret&secret_env=NOPE_NOT_SET")
    assert "topsecret" not in str(raised.value)
