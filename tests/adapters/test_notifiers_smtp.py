"""电子邮件通知 — the SMTP notifier against a real SMTP server (aiosmtpd) on loopback.

The server runs in its own thread with its own event loop and listens on a free port of
127.0.0.1: plain SMTP, STARTTLS with login, and SMTP over TLS, with a self-signed
certificate made for the test. Every message the server receives is parsed and checked:
the envelope and ``To`` are the person's address in the organisation, the subject and body
are the notification's, and the ``Message-ID`` is derived from the idempotency key (ADR 0017).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pendulum
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from govoffice.adapters.notifiers import (
    EMAIL_KEY_HEADER,
    InvalidNotifierConfig,
    SmtpNotifier,
    message_id_for,
    notifier_from_config,
)
from govoffice.application.notifications import (
    NotificationKind,
    NotificationsFailed,
    NotificationStatus,
    RetryPolicy,
)
from govoffice.application.office import Office
from govoffice.domain.errors import InvalidInput
from govoffice.domain.organisation import Role
from govoffice.testing import AgencyPeople, standard_agency

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
SENDER = "office@example.gov.cn"
USER, PASSWORD = "govoffice", "s3cret:p@ss"


# --- the server ------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    encrypted: bool
    login: str | None


@dataclass
class Mailbox:
    """The aiosmtpd handler: keeps what arrives; refuses or defers chosen recipients."""

    refuse: set[str] = field(default_factory=set)
    defer_once: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    rcpt_attempts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self.lock:
            self.rcpt_attempts.append(address)
            if address in self.refuse:
                return f"550 5.1.1 <{address}>: no such user"
            if address in self.defer_once:
                self.defer_once.discard(address)
                return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        login = session.auth_data.decode() if isinstance(session.auth_data, bytes) else None
        with self.lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    parsed,
                    server.transport.get_extra_info("ssl_object") is not None,
                    login,
                )
            )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (PEM cert, PEM key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A plain SMTP server (no TLS, no login)."""
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Mailbox, int]]:
    """A submission server: STARTTLS required, then login required."""
    mailbox, port = Mailbox(), free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtps_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Mailbox, int]]:
    """SMTP over TLS from the first byte (port 465 style), with login."""
    mailbox, port = Mailbox(), free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        ssl_context=server_context(certificate),
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=False,  # aiosmtpd only counts STARTTLS; this socket is TLS already
    )
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


# --- the office ------------------------------------------------------------------------------


@pytest.fixture
def a(office: Office) -> AgencyPeople:
    people = standard_agency(office, T0)
    # two more drafters of 业务一处: one whose mailbox the server refuses, one without e-mail
    office.org.add_person(
        person_id="ghost",
        name="魏离职",
        unit="biz1",
        email="ghost@example.gov.cn",
        roles=[Role.DRAFTER],
        by=people.admin,
        at=T0,
    )
    office.org.add_person(
        person_id="nomail", name="冯无邮", unit="biz1", roles=[Role.DRAFTER], by=people.admin, at=T0
    )
    return people


def returned_draft(office: Office, a: AgencyPeople, drafter: str, title: str) -> uuid.UUID:
    """A draft by ``drafter`` that 王处长 returns for revision (→ one e-mail to the drafter)."""
    d = office.documents
    doc = d.draft(
        by=drafter,
        at=T0.add(hours=1),
        title=title,
        doc_type="通知",
        issuer_code="X政发",
        lead_unit="biz1",
        main_recipients=["各处室"],
        text="……",
    )
    d.submit_for_review(doc, by=drafter, at=T0.add(hours=2))
    d.return_for_revision(doc, by=a.unit_head, opinion="请补充检查范围", at=T0.add(hours=3))
    return doc


def check_mail(got: Received, office: Office, person: str, address: str, name: str) -> None:
    """The received mail is the outbox row's message to ``person``."""
    [row] = [r for r in office.notifications.outbox() if r.recipient == person]
    m = got.message
    assert got.mail_from == SENDER and got.rcpt_tos == [address]
    [to] = m["To"].addresses
    assert (to.addr_spec, to.display_name) == (address, name)
    assert m["From"] == SENDER
    assert m["Subject"] == row.message.subject == "【文稿退回修改】关于开展安全检查的通知"
    body = m.get_content()
    assert row.message.body.strip() in body and "请补充检查范围" in body
    assert m["Message-ID"] == message_id_for(row.key, "example.gov.cn")
    assert m[EMAIL_KEY_HEADER] == row.key
    assert m["X-Govoffice-Kind"] == NotificationKind.DRAFT_RETURNED.value
    assert row.status is NotificationStatus.SENT and row.deliveries == 1


# --- tests -----------------------------------------------------------------------------------


def test_a_notification_is_mailed_to_the_persons_address_over_plain_smtp(
    office: Office, a: AgencyPeople, smtp_server: tuple[Mailbox, int]
) -> None:
    """The e-mail goes to the address the organisation holds for the person, from the
    configured from-address, with the notification's subject and text."""
    mailbox, port = smtp_server
    returned_draft(office, a, a.drafter, "关于开展安全检查的通知")
    channel = notifier_from_config(f"smtp://127.0.0.1:{port}?from={SENDER}")
    assert isinstance(channel, SmtpNotifier) and channel.security == "plain"
    report = office.notifications.deliver(channel)
    assert len(report.sent) == 1
    [got] = mailbox.received
    assert not got.encrypted and got.login is None
    check_mail(got, office, a.drafter, f"{a.drafter}@example.gov.cn", "李拟稿")
    assert office.notifications.deliver(channel).sent == ()
    assert len(mailbox.received) == 1


def test_starttls_with_login_sends_over_an_encrypted_connection(
    office: Office,
    a: AgencyPeople,
    starttls_server: tuple[Mailbox, int],
    certificate: tuple[Path, Path],
) -> None:
    """``tls=1``: the client upgrades with STARTTLS (verifying the server's certificate)
    before it logs in and sends."""
    mailbox, port = starttls_server
    returned_draft(office, a, a.unit_head, "关于开展安全检查的通知")  # 王处长 drafts too
    returned_draft(office, a, a.drafter, "关于开展安全检查的通知")
    url = f"smtp://{USER}:s3cret%3Ap%40ss@127.0.0.1:{port}?from={SENDER}&tls=1"
    channel = notifier_from_config(f"{url}&cafile={certificate[0]}")
    assert isinstance(channel, SmtpNotifier) and channel.security == "starttls"
    office.notifications.deliver(channel)
    [got] = mailbox.received  # the drafter; 王处长 returned his own draft and is not told
    assert got.encrypted and got.login == USER
    check_mail(got, office, a.drafter, f"{a.drafter}@example.gov.cn", "李拟稿")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_over_tls_sends_encrypted_from_the_start(
    office: Office,
    a: AgencyPeople,
    smtps_server: tuple[Mailbox, int],
    certificate: tuple[Path, Path],
) -> None:
    """``smtps://``: TLS from the first byte (port 465 style)."""
    mailbox, port = smtps_server
    returned_draft(office, a, a.drafter, "关于开展安全检查的通知")
    channel = notifier_from_config(
        f"smtps://{USER}:s3cret%3Ap%40ss@127.0.0.1:{port}?from={SENDER}&cafile={certificate[0]}"
    )
    assert isinstance(channel, SmtpNotifier) and channel.security == "ssl"
    office.notifications.deliver(channel)
    [got] = mailbox.received
    assert got.encrypted and got.login == USER
    check_mail(got, office, a.drafter, f"{a.drafter}@example.gov.cn", "李拟稿")


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(
    office: Office, a: AgencyPeople, starttls_server: tuple[Mailbox, int]
) -> None:
    """Without the private CA the certificate check fails: permanent, recorded, surfaced."""
    mailbox, port = starttls_server
    returned_draft(office, a, a.drafter, "关于开展安全检查的通知")
    channel = notifier_from_config(f"smtp://{USER}:x@127.0.0.1:{port}?from={SENDER}&tls=1")
    with pytest.raises(NotificationsFailed):
        office.notifications.deliver(channel)
    [failed] = office.notifications.failed()
    assert "证书" in failed.last_error and failed.attempts == 1
    assert mailbox.received == []


def test_a_refused_mailbox_fails_for_good_and_a_busy_one_is_retried(
    office: Office, a: AgencyPeople, smtp_server: tuple[Mailbox, int]
) -> None:
    """550 (no such user) is permanent: the row is failed with the server's answer; 451
    (try later) is transient: retried after the backoff, then delivered once; a person
    without an e-mail address is failed without contacting the server."""
    mailbox, port = smtp_server
    mailbox.refuse.add("ghost@example.gov.cn")
    mailbox.defer_once.add(f"{a.drafter}@example.gov.cn")
    returned_draft(office, a, "ghost", "关于开展安全检查的通知")
    returned_draft(office, a, a.drafter, "关于开展安全检查的通知")
    returned_draft(office, a, "nomail", "关于开展安全检查的通知")
    waits: list[float] = []
    service = office.notifications
    service.retry, service.sleep = RetryPolicy(attempts=3, first_delay=0.25), waits.append
    channel = SmtpNotifier("127.0.0.1", port, sender=SENDER)
    with pytest.raises(NotificationsFailed) as raised:
        service.deliver(channel)
    assert sorted(r.recipient for r in raised.value.report.failed) == ["ghost", "nomail"]
    failed = {r.recipient: r for r in service.failed()}
    assert "550" in failed["ghost"].last_error and failed["ghost"].attempts == 1
    assert "电子邮箱" in failed["nomail"].last_error
    assert waits == [0.25]  # the busy mailbox, once
    [got] = mailbox.received
    check_mail(got, office, a.drafter, f"{a.drafter}@example.gov.cn", "李拟稿")
    assert mailbox.rcpt_attempts.count(f"{a.drafter}@example.gov.cn") == 2


def test_a_server_without_starttls_is_not_used_when_tls_is_asked_for(
    office: Office, a: AgencyPeople, smtp_server: tuple[Mailbox, int]
) -> None:
    """``tls=1`` never falls back to sending in clear text."""
    mailbox, port = smtp_server
    returned_draft(office, a, a.drafter, "关于开展安全检查的通知")
    channel = SmtpNotifier("127.0.0.1", port, sender=SENDER, security="starttls")
    report = office.notifications.deliver(channel, raise_on_failure=False)
    [failed] = report.failed
    assert "STARTTLS" in failed.last_error
    assert mailbox.received == []


def test_smtp_configuration_is_read_from_the_url() -> None:
    """Ports default by security (25, 587 with STARTTLS, 465 over TLS); the from-address is
    required; unknown options are refused and the password never shows in the error."""
    plain = notifier_from_config("smtp://mail.example.gov.cn?from=oa@example.gov.cn")
    assert isinstance(plain, SmtpNotifier) and (plain.port, plain.security) == (25, "plain")
    tls = notifier_from_config("smtp://u:p@mail.example.gov.cn?from=oa@example.gov.cn&tls=yes")
    assert isinstance(tls, SmtpNotifier) and (tls.port, tls.security) == (587, "starttls")
    assert (tls.username, tls.password) == ("u", "p")
    ssl_ = notifier_from_config("smtps://mail.example.gov.cn?from=oa@example.gov.cn")
    assert isinstance(ssl_, SmtpNotifier) and (ssl_.port, ssl_.security) == (465, "ssl")
    mapped = notifier_from_config(
        {"type": "smtp", "host": "mail", "port": 2525, "from": "oa@example.gov.cn"}
    )
    assert isinstance(mapped, SmtpNotifier) and mapped.port == 2525
    with pytest.raises(InvalidNotifierConfig):
        notifier_from_config("smtp://mail.example.gov.cn")
    with pytest.raises(InvalidInput):
        SmtpNotifier("mail", sender="oa@example.gov.cn", username="u", password="口令")
    with pytest.raises(InvalidNotifierConfig) as raised:
        notifier_from_config("smtp://u:topsecret@mail?from=oa@example.gov.cn&colour=red")
    assert "topsecret" not in str(raised.value) and "colour" in str(raised.value)
