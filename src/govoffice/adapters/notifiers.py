"""通知渠道 the notifier adapters: memory (tests), log, SMTP e-mail, webhook (ADR 0017).

Each adapter implements :class:`govoffice.application.notifications.Notifier`: ``send``
returns when the channel has accepted one message, or raises a
:class:`~govoffice.application.notifications.DeliveryError` saying whether a retry may help.
Retrying with backoff, and recording the outcome in the outbox, is the dispatcher's job.

Every message carries its idempotency key: the webhook sends it as ``Idempotency-Key``, the
e-mail derives its ``Message-ID`` from it (and carries it as ``X-Govoffice-Key``), so a
receiver can drop the repeat that a crash between sending and recording would cause.

:func:`notifier_from_config` builds an adapter from a URL or a mapping::

    memory
    log                                   (log://?level=warning)
    smtp://user:pass@host:25?from=office@example.gov.cn              plain SMTP
    smtp://user:pass@host:587?from=office@example.gov.cn&tls=1       STARTTLS
    smtps://user:pass@host:465?from=office@example.gov.cn            SMTP over TLS
        (``cafile=/path/ca.pem`` trusts a private CA; ``timeout=10``)
    webhook+https://hooks.example.gov.cn/govoffice?secret=s3cret     (or ``secret_env=NAME``)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

from govoffice.application.notifications import (
    LogNotifier,
    Message,
    Notifier,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from govoffice.domain.errors import InvalidInput

SIGNATURE_HEADER = "X-Govoffice-Signature"
TIMESTAMP_HEADER = "X-Govoffice-Timestamp"
KEY_HEADER = "Idempotency-Key"
EMAIL_KEY_HEADER = "X-Govoffice-Key"


class InvalidNotifierConfig(InvalidInput):
    """The notifier configuration cannot be understood."""

    def __init__(self, config: str, reason: str) -> None:
        super().__init__(
            f"通知渠道配置 {config!r} 不正确: {reason} "
            "(use memory, log, smtp://…?from=…, smtps://…, webhook+https://…?secret=…)",
            config=config,
            reason=reason,
        )


# --- memory ----------------------------------------------------------------------------------


class MemoryNotifier:
    """内存 keeps every message it is given (for tests); thread-safe."""

    def __init__(self) -> None:
        self.sent: list[Message] = []
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        with self._lock:
            self.sent.append(message)

    def to(self, person_id: str) -> list[Message]:
        """The messages sent to one person."""
        return [m for m in self.sent if m.recipient == person_id]

    def keys(self) -> list[str]:
        return [m.key for m in self.sent]

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()

    def __repr__(self) -> str:
        return f"MemoryNotifier({len(self.sent)} sent)"


# --- SMTP ------------------------------------------------------------------------------------


def message_id_for(key: str, domain: str) -> str:
    """The e-mail ``Message-ID`` of an idempotency key: the same key always gives the same
    id (a digest, since keys may hold characters a Message-ID may not)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


class SmtpNotifier:
    """电子邮件 one e-mail per message, to the person's address in the organisation.

    ``security``: ``"plain"`` (no encryption), ``"starttls"`` (upgrade on the submission
    port; the server must offer it) or ``"ssl"`` (SMTP over TLS from the start). A person
    without an e-mail address, a refused recipient or sender, or a 5xx answer is a permanent
    failure; a 4xx answer, a dropped connection or a timeout is transient.
    """

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        security: str = "plain",
        timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        if security not in ("plain", "starttls", "ssl"):
            raise InvalidInput(f"SMTP 加密方式 {security!r} 不正确 (plain, starttls or ssl)")
        if not isinstance(sender, str) or "@" not in sender:
            raise InvalidInput(f"发件地址 {sender!r} 不正确 (a from-address is required)")
        if not all(v is None or v.isascii() for v in (username, password)):
            # smtplib sends AUTH credentials as ASCII only
            raise InvalidInput("SMTP 用户名和口令只能使用 ASCII 字符 (ASCII credentials only)")
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.security = security
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.local_hostname = local_hostname

    @property
    def domain(self) -> str:
        return self.sender.rsplit("@", 1)[1].strip(">").strip()

    def compose(self, message: Message) -> EmailMessage:
        """The e-mail for a message (without sending it)."""
        if not message.email:
            raise PermanentDeliveryError(
                f"{message.recipient} 没有登记电子邮箱,无法发送邮件 (no e-mail address)",
                recipient=message.recipient,
            )
        mail = EmailMessage()
        mail["From"] = self.sender
        try:
            mail["To"] = Address(display_name=message.name, addr_spec=message.email)
        except (ValueError, IndexError) as e:
            raise PermanentDeliveryError(
                f"{message.recipient} 的电子邮箱 {message.email!r} 不正确: {e}",
                recipient=message.recipient,
            ) from None
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = message_id_for(message.key, self.domain)
        mail[EMAIL_KEY_HEADER] = message.key
        mail["X-Govoffice-Kind"] = message.kind.value
        mail.set_content(message.body, charset="utf-8")
        return mail

    def send(self, message: Message) -> None:
        mail = self.compose(message)
        assert message.email is not None
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(mail, from_addr=self.sender, to_addrs=[message.email])
        except smtplib.SMTPRecipientsRefused as e:
            codes = [code for code, _ in e.recipients.values()]
            detail = "; ".join(f"{a}: {c} {_text(m)}" for a, (c, m) in e.recipients.items())
            raise _by_code(min(codes) if codes else 550, f"收件人被拒绝 {detail}") from None
        except smtplib.SMTPSenderRefused as e:
            raise _by_code(
                e.smtp_code, f"发件人被拒绝: {e.smtp_code} {_text(e.smtp_error)}"
            ) from None
        except smtplib.SMTPAuthenticationError as e:
            raise PermanentDeliveryError(
                f"SMTP 登录失败: {e.smtp_code} {_text(e.smtp_error)}"
            ) from None
        except smtplib.SMTPNotSupportedError as e:
            raise PermanentDeliveryError(f"SMTP 服务器不支持: {e}") from None
        except smtplib.SMTPResponseException as e:
            raise _by_code(e.smtp_code, f"SMTP 错误: {e.smtp_code} {_text(e.smtp_error)}") from None
        except ssl.SSLCertVerificationError as e:
            raise PermanentDeliveryError(f"SMTP 服务器证书校验失败: {e}") from None
        except (smtplib.SMTPException, OSError) as e:
            raise TransientDeliveryError(
                f"SMTP {self.host}:{self.port} 连接失败: {type(e).__name__}: {e}"
            ) from None

    def _connect(self) -> smtplib.SMTP:
        context = self.ssl_context or ssl.create_default_context()
        if self.security == "ssl":
            return smtplib.SMTP_SSL(
                self.host,
                self.port,
                timeout=self.timeout,
                context=context,
                local_hostname=self.local_hostname,
            )
        smtp = smtplib.SMTP(
            self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname
        )
        try:
            smtp.ehlo()
            if self.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError("服务器未提供 STARTTLS (no STARTTLS)")
                smtp.starttls(context=context)
                smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
        return smtp

    def __repr__(self) -> str:
        return f"SmtpNotifier({self.host}:{self.port}, {self.security}, from={self.sender})"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _by_code(code: int, text: str) -> PermanentDeliveryError | TransientDeliveryError:
    """SMTP answers: 4xx is worth retrying, 5xx is not."""
    if 400 <= code < 500:
        return TransientDeliveryError(text, code=code)
    return PermanentDeliveryError(text, code=code)


# --- webhook ---------------------------------------------------------------------------------


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` and the hex HMAC-SHA256 of
    ``"{timestamp}." + body`` under the shared secret."""
    digest = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(
    secret: bytes,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    tolerance: float | None = 300.0,
    now: float | None = None,
) -> bool:
    """For receivers: is the signature right, and (with a ``tolerance`` in seconds) the
    timestamp recent?"""
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return False
    if tolerance is None:
        return True
    try:
        sent = float(timestamp)
    except ValueError:
        return False
    return abs((time.time() if now is None else now) - sent) <= tolerance


RETRYABLE_STATUS = frozenset({408, 425, 429})


class WebhookNotifier:
    """Webhook: an HTTP POST of the message as JSON, signed with HMAC-SHA256.

    Headers: ``Idempotency-Key`` (the message key), ``X-Govoffice-Timestamp`` (Unix time)
    and ``X-Govoffice-Signature`` (:func:`sign`). A 2xx answer is delivery; 408, 425, 429 and
    5xx answers, and network errors, are transient (``Retry-After`` is honoured); any other
    answer is permanent.
    """

    def __init__(
        self,
        url: str,
        *,
        secret: bytes | str,
        timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"webhook 地址 {url!r} 不正确 (http:// or https:// URL)")
        if not secret:
            raise InvalidInput("webhook 须配置签名密钥 (a secret is required)")
        self.url = url
        self.secret = secret.encode("utf-8") if isinstance(secret, str) else secret
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.ssl_context = ssl_context
        self._opener = urllib.request.build_opener(
            _NoRedirects(), urllib.request.HTTPSHandler(context=ssl_context)
        )

    def request(self, message: Message, *, now: float | None = None) -> urllib.request.Request:
        body = json.dumps(message.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        timestamp = str(int(time.time() if now is None else now))
        headers = {
            **self.headers,
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "govoffice-notifier/1",
            KEY_HEADER: message.key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")

    def send(self, message: Message) -> None:
        request = self.request(message)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            status = e.code
            detail = _text(e.read()[:200]) if e.fp is not None else ""
            text = f"webhook {self._where()} 答复 {status} {e.reason}: {detail}".strip()
            if status in RETRYABLE_STATUS or status >= 500:
                raise TransientDeliveryError(
                    text, status=status, retry_after=_retry_after(e.headers.get("Retry-After"))
                ) from None
            raise PermanentDeliveryError(text, status=status) from None
        except OSError as e:  # URLError, timeouts and connection errors are OSErrors
            reason = getattr(e, "reason", e)
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise PermanentDeliveryError(
                    f"webhook {self._where()} 证书校验失败: {reason}"
                ) from None
            raise TransientDeliveryError(
                f"webhook {self._where()} 无法送达: {type(e).__name__}: {reason}"
            ) from None
        if not 200 <= status < 300:
            raise PermanentDeliveryError(f"webhook {self._where()} 答复 {status}", status=status)

    def _where(self) -> str:
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def __repr__(self) -> str:
        return f"WebhookNotifier({self._where()})"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: urllib would repeat a POST as a GET without
    its body, so a 3xx is reported (as a permanent failure) instead of followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


# --- configuration ---------------------------------------------------------------------------

_TRUE = ("1", "true", "yes", "on")


def notifier_from_config(config: str | Mapping[str, Any]) -> Notifier:
    """The notifier a configuration names (see the module docstring for the URLs).

    A mapping gives the same settings by name: ``{"type": "smtp", "host": ..., "port": ...,
    "from": ..., "username": ..., "password": ..., "security": "starttls"}``,
    ``{"type": "webhook", "url": ..., "secret": ...}``, ``{"type": "log"}``, or
    ``{"url": "<any of the URLs>"}``.
    """
    if isinstance(config, Mapping):
        return _from_mapping(config)
    if not isinstance(config, str) or not config.strip():
        raise InvalidNotifierConfig(repr(config), "必须是非空文字或映射")
    url = config.strip()
    shown = _redacted(url)
    if url in ("memory", "memory://"):
        return MemoryNotifier()
    parts = urlsplit(url)
    scheme = parts.scheme or url
    options = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    if scheme in ("log", "log://"):
        level = options.pop("level", "info").upper()
        _no_more(shown, options)
        if not isinstance(logging.getLevelName(level), int):
            raise InvalidNotifierConfig(shown, f"未知日志级别 {level}")
        return LogNotifier(level=logging.getLevelName(level))
    if scheme in ("smtp", "smtps"):
        return _smtp(shown, parts, options, ssl_mode=scheme == "smtps")
    if scheme.startswith("webhook+"):
        return _webhook(shown, parts, options)
    raise InvalidNotifierConfig(shown, f"不支持的通知渠道 {scheme!r}")


def _smtp(shown: str, parts: Any, options: dict[str, str], *, ssl_mode: bool) -> SmtpNotifier:
    if not parts.hostname:
        raise InvalidNotifierConfig(shown, "缺少 SMTP 主机名")
    sender = options.pop("from", "")
    if "@" not in sender:
        raise InvalidNotifierConfig(shown, "缺少发件地址 from=…")
    tls = options.pop("tls", "0").lower() in _TRUE
    try:
        port = parts.port or (465 if ssl_mode else 587 if tls else 25)
        timeout = float(options.pop("timeout", "10"))
    except ValueError as e:
        raise InvalidNotifierConfig(shown, f"端口或超时不正确: {e}") from None
    cafile = options.pop("cafile", None)
    _no_more(shown, options)
    context = ssl.create_default_context(cafile=cafile) if cafile else None
    return SmtpNotifier(
        parts.hostname,
        port,
        sender=sender,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        security="ssl" if ssl_mode else "starttls" if tls else "plain",
        timeout=timeout,
        ssl_context=context,
    )


def _webhook(shown: str, parts: Any, options: dict[str, str]) -> WebhookNotifier:
    inner = parts.scheme.split("+", 1)[1]
    if inner not in ("http", "https") or not parts.hostname:
        raise InvalidNotifierConfig(shown, "webhook 地址须为 webhook+https://主机/路径")
    secret = options.pop("secret", None)
    secret_env = options.pop("secret_env", None)
    if secret is not None and secret_env is not None:
        raise InvalidNotifierConfig(shown, "secret 与 secret_env 只能给出其一")
    if secret is None and secret_env is not None:
        secret = os.environ.get(secret_env)
        if not secret:
            raise InvalidNotifierConfig(shown, f"环境变量 {secret_env} 未设置")
    if not secret:
        raise InvalidNotifierConfig(shown, "缺少签名密钥 secret=… 或 secret_env=…")
    try:
        timeout = float(options.pop("timeout", "10"))
    except ValueError:
        raise InvalidNotifierConfig(shown, "超时不正确") from None
    target = urlunsplit((inner, parts.netloc, parts.path or "/", urlencode(options), ""))
    return WebhookNotifier(target, secret=secret, timeout=timeout)


def _from_mapping(config: Mapping[str, Any]) -> Notifier:
    settings = dict(config)
    if "url" in settings and settings.get("type") in (None, "url"):
        return notifier_from_config(str(settings["url"]))
    kind = settings.pop("type", None)
    shown = f"{{type: {kind!r}}}"
    try:
        if kind == "memory":
            return MemoryNotifier()
        if kind == "log":
            return LogNotifier()
        if kind == "smtp":
            return SmtpNotifier(
                settings.pop("host"),
                int(settings.pop("port", 25)),
                sender=settings.pop("from"),
                username=settings.pop("username", None),
                password=settings.pop("password", None),
                security=settings.pop("security", "plain"),
                timeout=float(settings.pop("timeout", 10.0)),
                ssl_context=settings.pop("ssl_context", None),
            )
        if kind == "webhook":
            return WebhookNotifier(
                settings.pop("url"),
                secret=settings.pop("secret"),
                timeout=float(settings.pop("timeout", 10.0)),
                headers=settings.pop("headers", None),
            )
    except KeyError as e:
        raise InvalidNotifierConfig(shown, f"缺少设置 {e.args[0]}") from None
    raise InvalidNotifierConfig(shown, f"不支持的通知渠道 {kind!r}")


def _no_more(shown: str, options: Mapping[str, str]) -> None:
    if options:
        raise InvalidNotifierConfig(shown, f"未知参数 {', '.join(sorted(options))}")


def _redacted(url: str) -> str:
    """The URL with its password and any secret hidden, for messages."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password:
        netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
    query = "&".join(
        f"{k}=***" if k == "secret" else f"{k}={v}"
        for k, vs in parse_qs(parts.query, keep_blank_values=True).items()
        for v in vs
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


__all__ = [
    "EMAIL_KEY_HEADER",
    "KEY_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "InvalidNotifierConfig",
    "LogNotifier",
    "MemoryNotifier",
    "SmtpNotifier",
    "WebhookNotifier",
    "message_id_for",
    "notifier_from_config",
    "sign",
    "verify",
]
