"""Refusals as HTTP: each :class:`~govoffice.errors.GovOfficeError` family has one status,
and the body is an RFC 9457 problem (``application/problem+json``).

The status of an error is that of the first class of its MRO listed in :data:`STATUS`: a
new refusal inherits its family's status (a rule added later to ``RuleViolation`` answers
409 without a line here). The body carries ``type``, ``title``, ``status``, ``detail`` (the
bilingual message), and the error's own name (``error``), its ``message`` and its fields
(``details``, JSON-safe), so a Java or Vue client can branch on ``error`` and show
``message`` to a clerk as the Python caller would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from govoffice.domain.errors import GovOfficeError, InvalidInput
from govoffice.http.encode import dumps, jsonable

__all__ = [
    "PROBLEM_JSON",
    "STATUS",
    "ActorInBody",
    "IdempotencyKeyInFlight",
    "IdempotencyKeyReused",
    "RequestTooLarge",
    "problem",
    "problem_body",
    "status_of",
]

PROBLEM_JSON: Final = "application/problem+json"
TYPE_BASE: Final = "urn:govoffice:problem:"
"""Problem ``type`` URIs are ``TYPE_BASE`` + the error's class name: a stable identifier a
client can branch on, not a page to fetch (RFC 9457 §3.1.1 allows a non-resolvable URI)."""


class ActorInBody(InvalidInput):
    """A request named its acting person in the body: the person is the one authenticated,
    never what a request says (ADR 0055)."""

    def __init__(self, field: str = "by") -> None:
        super().__init__(
            f"请求内容不得指明办理人 {field}: 办理人即通过认证的本人,代他人办理请用 "
            "on_behalf_of (the acting person comes from authentication, never from the body)",
            field=field,
        )


class RequestTooLarge(InvalidInput):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"请求内容超过 {limit} 字节的上限 (request body too large)",
            limit=limit,
        )


class IdempotencyKeyReused(InvalidInput):
    """The same Idempotency-Key was sent with another request (another route or body)."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"幂等键 {key!r} 已用于另一个请求,不能用于内容不同的请求 "
            "(Idempotency-Key reused with a different request)",
            key=key,
        )


class IdempotencyKeyInFlight(GovOfficeError):
    """The first request with this Idempotency-Key is still being handled."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"幂等键 {key!r} 的首次请求仍在办理中,请稍后重试 "
            "(a request with this Idempotency-Key is still in progress)",
            key=key,
        )


STATUS: Final[Mapping[str, int]] = {
    # not authenticated
    "NotAuthenticated": 401,
    # bad input (and its kinds), too large
    "IdempotencyKeyReused": 422,
    "RequestTooLarge": 413,
    "EventTooLarge": 413,
    "InvalidInput": 400,
    # not entitled
    "PermissionDenied": 403,
    # unknown record, person, unit; a year with nothing to report
    "NotFound": 404,
    "NoEventsInYear": 404,
    # the record's state or an office rule does not allow it now, or it changed meanwhile
    "WrongStatus": 409,
    "RuleViolation": 409,
    "AlreadyExists": 409,
    "StaleVersion": 409,
    "ConcurrentChange": 409,
    "IdempotencyKeyInFlight": 409,
    "OrganisationNotEstablished": 409,
    "SourceCannotOpenTasks": 409,
    # the service's own state: its store, its keys, its renderer, its mail
    "StoreNotFound": 503,
    "StoreUnavailable": 503,
    "AuditUnavailable": 503,
    "HeadsUnavailable": 503,
    "IdentityProviderUnavailable": 503,
    "CorruptRecord": 500,
    "TamperDetected": 500,
    "UnverifiedEvent": 500,
    "StoreError": 500,
    "AuditKeyError": 500,
    "UndeclaredStep": 500,
    "DeliveryError": 502,
    "NotificationsFailed": 502,
    "MissingExtra": 501,
    "RenderExtraMissing": 501,
    "RendererUnavailable": 501,
}
"""The status of each family of refusal, by class name (the first class of an error's MRO
named here decides; names, not classes, so that the table imports nothing): 400 bad input,
401 not authenticated, 403 not entitled, 404 unknown record, person or unit, 409 the
record's state or an office rule does not allow it now (or it changed meanwhile), 413 too
large, 422 an Idempotency-Key reused for another request, 5xx the service's own store,
keys or renderer. ``tests/http/test_api.py`` checks that every public error has a status
here and that every name here is a public error."""

TITLES: Final[Mapping[int, str]] = {
    400: "输入有误 (invalid input)",
    401: "身份认证失败 (not authenticated)",
    403: "无权办理 (not entitled)",
    404: "未找到 (not found)",
    405: "不支持的方法 (method not allowed)",
    409: "当前不能办理 (conflict with the record's state or an office rule)",
    413: "请求过大 (request too large)",
    415: "不支持的内容类型 (unsupported media type)",
    422: "无法处理 (unprocessable request)",
    500: "存储错误 (store error)",
    501: "功能未安装 (feature not installed)",
    503: "存储不可用 (store unavailable)",
}


def status_of(error: BaseException) -> int:
    """The HTTP status of a refusal."""
    for cls in type(error).__mro__:
        status = STATUS.get(cls.__name__)
        if status is not None:
            return status
    return 500


def problem_body(
    status: int,
    *,
    error: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    instance: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + error,
        "title": TITLES.get(status, error),
        "status": status,
        "detail": message,
        "error": error,
        "message": message,
        "details": jsonable(dict(details or {})),
    }
    if instance is not None:
        body["instance"] = instance
    return body


def problem(error: GovOfficeError, instance: str | None = None) -> tuple[int, bytes]:
    """The status and the problem body of a refusal."""
    status = status_of(error)
    body = problem_body(
        status,
        error=type(error).__name__,
        message=error.message,
        details=error.details,
        instance=instance,
    )
    return status, dumps(body)
