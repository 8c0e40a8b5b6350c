"""``govoffice serve``: the office's commands and queries over HTTP (ADR 0054).

:func:`create_app` makes a Litestar application for one office: one route per method of
the facade (:mod:`govoffice.http.routes`), the acting person from authentication
(:mod:`govoffice.http.identity`, ADR 0055), refusals as RFC 9457 problems
(:mod:`govoffice.http.problems`), ``Idempotency-Key`` and ``ETag``/``If-Match`` on
commands (ADR 0056), ``GET /health``, JSON access logs without secrets or bodies, a limit
on request size, the OpenAPI document at ``/schema/openapi.json``, and the web desk at
``/desk`` (ADR 0057).

Every handler is synchronous and runs in a worker thread (the office's store calls block);
a command runs inside ``office.acting_via(identity)`` so its decisions record how their
actor was authenticated.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, cast

import anyio.to_thread
import msgspec
from eventsourcing.domain import Aggregate
from litestar import Litestar, Request, Response, Router, get
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.params import Body, HeaderParameter, Parameter, QueryParameter
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from govoffice.application.app import expecting_versions
from govoffice.domain.errors import GovOfficeError, InvalidInput
from govoffice.http.encode import dumps, jsonable
from govoffice.http.idempotency import IdempotencyStore, StoredResponse, fingerprint
from govoffice.http.problems import (
    PROBLEM_JSON,
    ActorInBody,
    RequestTooLarge,
    problem,
    problem_body,
)
from govoffice.http.reading import check_may_read
from govoffice.http.routes import (
    AREAS,
    Operation,
    body_arguments,
    body_model,
    describe,
    from_wire,
    operations,
)

if TYPE_CHECKING:
    from govoffice.application.office import Office
    from govoffice.http.identity import Identity, IdentityConfig

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "ENVIRONMENT",
    "create_app",
    "create_app_from_url",
    "from_environment",
]

log = logging.getLogger("govoffice.http.access")

DEFAULT_MAX_BODY_BYTES: Final = 1024 * 1024
"""The largest request body accepted (413 beyond): a 发文稿纸 with its text is a few tens of
kilobytes; the event store's own bound (4 MiB per event) stays the backstop."""

IDENTITY_KEY: Final = "govoffice.identity"
REPLAYED_KEY: Final = "govoffice.replayed"

ENVIRONMENT: Final[Mapping[str, str]] = {
    "store": "GOVOFFICE_STORE",
    "max_body": "GOVOFFICE_HTTP_MAX_BODY",
    "jwks": "GOVOFFICE_HTTP_JWKS",
    "jwt_issuer": "GOVOFFICE_HTTP_JWT_ISSUER",
    "jwt_audience": "GOVOFFICE_HTTP_JWT_AUDIENCE",
    "proxy_header": "GOVOFFICE_HTTP_PROXY_HEADER",
}
"""The variables :func:`from_environment` reads (``govoffice serve`` sets them for its
worker processes)."""

MEDIA: Final[Mapping[str, str]] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

REPORT_FORMATS: Final = ("json", "csv", "html", "md")


# --- the handlers ---------------------------------------------------------------------------


def _office(request: Request[Any, Any, Any]) -> Office:
    office: Office = request.app.state.office
    return office


def _authenticate(request: Request[Any, Any, Any]) -> Identity:
    """The identity the guard found (authenticating now if it did not run)."""
    scope = cast("dict[str, Any]", request.scope)
    found = scope.get(IDENTITY_KEY)
    if found is not None:
        return cast("Identity", found)
    from govoffice.http.identity import authenticate

    identity = authenticate(_office(request), request.headers, request.app.state.identity)
    scope[IDENTITY_KEY] = identity
    return identity


async def authenticated(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: the request's credentials are checked before its body is read, so a request
    without them is 401 whatever it carries (in a worker thread: a token is looked up in
    the store)."""
    from govoffice.http.identity import authenticate

    office = connection.app.state.office
    config = connection.app.state.identity
    identity = await anyio.to_thread.run_sync(authenticate, office, connection.headers, config)
    cast("dict[str, Any]", connection.scope)[IDENTITY_KEY] = identity


def parse_if_match(value: str) -> int | None:
    """The version an ``If-Match`` names (None for ``*``: any version)."""
    text = value.strip()
    if text == "*":
        return None
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip().strip('"')
    if not text.isdigit():
        raise InvalidInput(
            f'If-Match {value!r} 须为记录的 ETag,如 "3" (If-Match must be the record\'s ETag)',
            parameter="If-Match",
        )
    return int(text)


def etag(version: int) -> str:
    return f'"{version}"'


def _record_value(op: Operation, raw: str) -> Any:
    if op.record is not None and raw.isdigit():
        from govoffice.http.routes import _flatten

        if int in _flatten(op.record.hint):
            return int(raw)
    return raw


def _record_uuid(office: Office, op: Operation, value: Any) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    record = getattr(office, op.area).get(value)
    return cast("uuid.UUID", record.id)


def _current_version(office: Office, op: Operation, value: Any) -> int | None:
    getter = getattr(getattr(office, op.area), "get", None)
    if getter is None:
        return None
    try:
        return int(getter(value).version)
    except GovOfficeError:
        return None


def _may_read(office: Office, identity: Identity, op: Operation, record: Any) -> None:
    """A query about one record: refused when the record is classified and the person is
    outside its need-to-know (:mod:`govoffice.http.reading`)."""
    try:
        rid = _record_uuid(office, op, record)
    except (GovOfficeError, AttributeError):
        return  # not a record by id (or unknown): the query itself answers or refuses
    check_may_read(office, identity.person_id, rid)


def _refusal(error: GovOfficeError, path: str) -> StoredResponse:
    status, body = problem(error, instance=path)
    return StoredResponse(status, body, PROBLEM_JSON, {"x-govoffice-error": type(error).__name__})


def _success(
    op: Operation,
    office: Office,
    result: Any,
    *,
    record: Any,
    saved: Mapping[uuid.UUID, int],
    options: Mapping[str, Any],
) -> StoredResponse:
    status = 201 if op.creates else 200
    headers: dict[str, str] = {}
    if op.id == "reports.annual":
        from govoffice.adapters.report_render import render

        fmt = options.get("format") or "json"
        text = render(result, fmt)
        return StoredResponse(status, text.encode(), MEDIA[fmt], headers)
    if isinstance(result, bytes):
        fmt = str(options.get("format") or "")
        return StoredResponse(status, result, MEDIA.get(fmt, "application/octet-stream"))
    if isinstance(result, Aggregate):
        headers["etag"] = etag(result.version)
    elif op.command and op.record is not None:
        rid = options.get("record_uuid")
        version = saved.get(rid) if isinstance(rid, uuid.UUID) else None
        if version is None:
            version = _current_version(office, op, record)
        if version is not None:
            headers["etag"] = etag(version)
    if op.creates and isinstance(result, uuid.UUID):
        headers["location"] = f"/{op.area}/{result}"
    return StoredResponse(status, dumps(result), "application/json", headers)


def _serve(
    op: Operation, request: Request[Any, Any, Any], kwargs: dict[str, Any]
) -> Response[bytes]:
    identity = _authenticate(request)
    if op.command and "by" in request.query_params:
        raise ActorInBody("by")  # nor from the query string
    office = _office(request)
    raw_record = kwargs.pop("record_id", None)
    data = kwargs.pop("data", None)
    key = kwargs.pop("idempotency_key", None)
    if_match = kwargs.pop("if_match", None)
    options: dict[str, Any] = {}
    if op.id == "reports.annual":
        options["format"] = kwargs.pop("format", None)
    args: dict[str, Any] = {}
    for p in op.query:
        value = kwargs.get(p.name)
        if value is not None:
            args[p.name] = from_wire(p.hint, value, p.name)
    if op.id == "documents.render":
        options["format"] = args.get("format", "pdf")
    path = request.url.path

    def execute() -> StoredResponse:
        try:
            args.update(body_arguments(op, data))
            positional: list[Any] = []
            record = None
            if op.record is not None:
                record = _record_value(op, str(raw_record))
                positional.append(record)
            expected: dict[uuid.UUID, int] = {}
            if op.command and op.record is not None:
                options["record_uuid"] = _record_uuid(office, op, record)
                version = parse_if_match(if_match) if if_match else None
                if version is not None:
                    expected[options["record_uuid"]] = version
            if op.command:
                args["by"] = identity.person_id
            acting: AbstractContextManager[Any] = (
                office.acting_via(identity) if op.command else nullcontext()
            )
            if not op.command and op.record is not None:
                _may_read(office, identity, op, record)
            with acting, expecting_versions(expected) as guard:
                result = op.bound(office)(*positional, **args)
            if not op.command and isinstance(result, Aggregate):
                check_may_read(office, identity.person_id, result.id)
            return _success(op, office, result, record=record, saved=guard.saved, options=options)
        except GovOfficeError as error:
            return _refusal(error, path)

    replayed = False
    if op.command and key is not None:
        body = msgspec.json.encode(data) if data is not None else b""
        print_ = fingerprint(
            request.method, path, str(request.url.query or ""), body, if_match or ""
        )
        idempotency: IdempotencyStore = request.app.state.idempotency
        try:
            answer, replayed = idempotency.run(identity.person_id, key, print_, execute)
        except GovOfficeError as error:
            answer = _refusal(error, path)
    else:
        answer = execute()
    cast("dict[str, Any]", request.scope)[REPLAYED_KEY] = replayed
    headers = {k: v for k, v in answer.headers.items() if not k.startswith("x-govoffice")}
    if replayed:
        headers["idempotency-replayed"] = "true"
    return Response(
        content=answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers=headers,
    )


def _query_annotation(p: Any) -> Any:
    meta = QueryParameter(
        name=p.name,
        title=p.label,
        description=describe(p.hint, p.name) or None,
        required=p.required,
    )
    shape = p.wire if p.required else p.wire | None
    return Annotated[shape, meta]


def handler(op: Operation) -> HTTPRouteHandler:
    """The Litestar handler of one operation, with a signature Litestar reads: the record id
    in the path, the query parameters, the body struct, and for commands the
    ``Idempotency-Key`` and ``If-Match`` headers."""
    import inspect

    def handle(**kwargs: Any) -> Response[bytes]:
        request = kwargs.pop("request")
        return _serve(op, request, kwargs)

    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("request", kw, annotation=Request)]
    if op.record is not None:
        params.append(
            inspect.Parameter(
                "record_id",
                kw,
                annotation=Annotated[
                    str,
                    Parameter(
                        title="记录编号",
                        description=f"{op.record.name}: "
                        + describe(op.record.hint, op.record.name),
                    ),
                ],
            )
        )
    for p in op.query:
        default = inspect.Parameter.empty if p.required else None
        params.append(
            inspect.Parameter(p.name, kw, annotation=_query_annotation(p), default=default)
        )
    if op.id == "reports.annual":
        fmt = Annotated[
            Literal["json", "csv", "html", "md"] | None,
            QueryParameter(name="format", description="报告格式 (json, csv, html, md)"),
        ]
        params.append(inspect.Parameter("format", kw, annotation=fmt, default=None))
    model = body_model(op)
    if model is not None:
        required = any(f not in _optional_fields(model) for f in model.__struct_fields__)
        annotation: Any = Annotated[model if required else model | None, Body()]
        params.append(
            inspect.Parameter(
                "data",
                kw,
                annotation=annotation,
                default=inspect.Parameter.empty if required else None,
            )
        )
    if op.command:
        params.append(
            inspect.Parameter(
                "idempotency_key",
                kw,
                annotation=Annotated[
                    str | None,
                    HeaderParameter(
                        name="Idempotency-Key",
                        required=False,
                        description="重试同一命令时带同一个键: 只办理一次,返回首次的结果 (ADR 0056)",
                    ),
                ],
                default=None,
            )
        )
        if op.record is not None:
            params.append(
                inspect.Parameter(
                    "if_match",
                    kw,
                    annotation=Annotated[
                        str | None,
                        HeaderParameter(
                            name="If-Match",
                            required=False,
                            description="记录的 ETag (版本号): 记录已有新的办理则 409,不办理",
                        ),
                    ],
                    default=None,
                )
            )
    handle.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
    handle.__annotations__ = {p.name: p.annotation for p in params} | {"return": Response}
    handle.__name__ = f"{op.area}_{op.name}"
    handle.__qualname__ = handle.__name__
    handle.__doc__ = op.description or op.summary
    decorator = HTTPRouteHandler(
        path=op.path,
        http_method=op.http_method,
        operation_id=op.id,
        name=op.id,
        summary=f"{op.summary}" if op.summary != op.id else op.id,
        description=f"`office.{op.id}(...)`" + (f"\n\n{op.description}" if op.description else ""),
        tags=[op.area],
        sync_to_thread=True,
        status_code=201 if op.creates else 200,
        guards=[authenticated],
        responses=problem_responses(op.command),
    )
    return decorator(handle)


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details, with the error's name, message and fields."""

    type: str
    title: str
    status: int
    detail: str
    error: str
    message: str
    details: dict[str, Any]
    instance: str | None = None


PROBLEM_RESPONSES: Final[Mapping[int, str]] = {
    400: "输入有误 (InvalidInput and its kinds)",
    401: "身份认证失败 (NotAuthenticated)",
    403: "无权办理 (PermissionDenied and its kinds)",
    404: "记录、人员或处室不存在 (NotFound and its kinds)",
    409: "状态或规则不允许,或记录已变 (WrongStatus, RuleViolation, StaleVersion, …)",
    413: "请求过大 (RequestTooLarge)",
    422: "幂等键已用于另一请求 (IdempotencyKeyReused)",
}


def problem_responses(command: bool) -> dict[int, ResponseSpec]:
    codes = (
        PROBLEM_RESPONSES
        if command
        else {k: v for k, v in PROBLEM_RESPONSES.items() if k in (400, 401, 404)}
    )
    return {
        code: ResponseSpec(
            data_container=Problem,
            description=text,
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for code, text in codes.items()
    }


def _optional_fields(model: type[msgspec.Struct]) -> set[str]:
    defaults = model.__struct_defaults__
    fields = model.__struct_fields__
    return set(fields[len(fields) - len(defaults) :])


# --- health, problems, logs --------------------------------------------------------------


@get("/health", sync_to_thread=True, tags=["operations"], summary="存储可达 (store reachable)")
def health(request: Request[Any, Any, Any]) -> Response[bytes]:
    """``200 {"status": "ok"}`` when the store answers; 503 with a problem body when not."""
    office = _office(request)
    try:
        office.store.app.recorder.max_notification_id()
    except Exception as e:  # any failure of the store: not healthy
        from govoffice.domain.errors import StoreUnavailable

        status, body = problem(StoreUnavailable(_store_kind(office), type(e).__name__))
        return Response(body, status_code=status, media_type=PROBLEM_JSON)
    body = dumps({"status": "ok", "store": _store_kind(office)})
    return Response(body, media_type="application/json")


def _store_kind(office: Office) -> str:
    url = office.store_url
    return url.split(":", 1)[0] if ":" in url else url


def _problem_response(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    path = request.url.path
    if isinstance(exc, GovOfficeError):
        status, body = problem(exc, instance=path)
        return Response(body, status_code=status, media_type=PROBLEM_JSON)
    if isinstance(exc, ValidationException):
        extra = exc.extra if isinstance(exc.extra, list) else []
        messages = [str(e.get("message", "")) for e in extra if isinstance(e, dict)]
        if any("unknown field `by`" in m for m in messages):
            status, body = problem(ActorInBody(), instance=path)
            return Response(body, status_code=status, media_type=PROBLEM_JSON)
        shown = "; ".join(
            f"{e.get('key', '')}: {e.get('message', '')}" for e in extra if isinstance(e, dict)
        )
        error = InvalidInput(
            f"请求不符合接口定义: {shown or exc.detail} (request does not match the API)",
            problems=jsonable(extra),
        )
        status, body = problem(error, instance=path)
        return Response(body, status_code=status, media_type=PROBLEM_JSON)
    if isinstance(exc, HTTPException):
        code = exc.status_code
        if code == 413:
            limit = request.app.state.max_body
            status, body = problem(RequestTooLarge(limit), instance=path)
            return Response(body, status_code=status, media_type=PROBLEM_JSON)
        names = {404: "NotFound", 405: "MethodNotAllowed", 415: "UnsupportedMediaType"}
        content = problem_body(
            code,
            error=names.get(code, "HTTPError"),
            message=f"{exc.detail}",
            instance=path,
        )
        return Response(dumps(content), status_code=code, media_type=PROBLEM_JSON)
    logging.getLogger("govoffice.http").exception("unexpected error on %s", path)
    content = problem_body(
        500, error="InternalError", message="服务内部错误 (internal error)", instance=path
    )
    return Response(dumps(content), status_code=500, media_type=PROBLEM_JSON)


class AccessLog:
    """One JSON line per request on the ``govoffice.http.access`` logger: method, path
    (without the query), status, duration, the authenticated person, the method and token
    id — never a credential, a request body or a record's text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope["type"]) != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            s = cast("dict[str, Any]", scope)
            identity = s.get(IDENTITY_KEY)
            entry = {
                "event": "request",
                "method": s.get("method"),
                "path": s.get("path"),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "person": getattr(identity, "person_id", None),
                "auth": getattr(identity, "method", None),
                "token_id": getattr(identity, "token_id", None),
            }
            if s.get(REPLAYED_KEY):
                entry["replayed"] = True
            log.info(json.dumps(entry, ensure_ascii=False))


# --- the application ---------------------------------------------------------------------


def routes(office: Office) -> list[HTTPRouteHandler]:
    """One handler per operation of the facade."""
    return [handler(op) for op in operations(office)]


def create_app(
    office: Office,
    *,
    identity: IdentityConfig | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    idempotency_wait_seconds: float = 30.0,
    desk: bool = True,
    on_shutdown: list[Callable[[], Any]] | None = None,
) -> Litestar:
    """The HTTP service of ``office``: every command and query of its facade, the acting
    person from ``identity`` (API tokens by default), ``/health``, ``/schema/openapi.json``
    and, with ``desk``, the web desk at ``/desk``."""
    from govoffice import __version__
    from govoffice.http.identity import IdentityConfig

    handlers: list[Any] = [health, *routes(office)]
    try:
        from govoffice.http import identity as identity_module

        extra = getattr(identity_module, "identity_router", None)
        if isinstance(extra, Router):
            handlers.append(extra)
    except ImportError:  # pragma: no cover
        pass
    if desk:
        from govoffice.http.desk import desk_router

        handlers.append(desk_router)
    openapi = OpenAPIConfig(
        title="govoffice",
        version=__version__,
        description=(
            "一个机关的公文、会议、建议提案、督查督办、信息、目标管理 over HTTP. Every command "
            "of the Python facade is `POST`, every query `GET`; the acting person is the one "
            "authenticated (`Authorization: Bearer <API token or JWT>`), never a body field. "
            "Refusals are RFC 9457 problems (`application/problem+json`)."
        ),
        path="/schema",
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="govoffice API token (gov_…) or the identity platform's JWT",
                )
            }
        ),
        security=[{"bearer": []}],
        tags=[Tag(name=a) for a in AREAS] + [Tag(name="operations")],
        use_handler_docstrings=False,
    )
    app = Litestar(
        route_handlers=handlers,
        openapi_config=openapi,
        exception_handlers={Exception: _problem_response},
        request_max_body_size=max_body_bytes,
        middleware=[AccessLog],
        on_shutdown=list(on_shutdown or []),
        debug=False,
    )
    app.state.office = office
    app.state.identity = identity or IdentityConfig()
    app.state.max_body = max_body_bytes
    app.state.idempotency = IdempotencyStore(
        office.views.store, wait_seconds=idempotency_wait_seconds, clock=time.monotonic
    )
    return app


def create_app_from_url(url: str, **kwargs: Any) -> Litestar:
    """The service of the office on the store at ``url`` (which must exist: ``govoffice
    init`` makes one); the office is closed when the application shuts down."""
    from govoffice.bootstrap import open_office

    office = open_office(url, create=url == "memory")
    shutdown = list(kwargs.pop("on_shutdown", None) or [])
    return create_app(office, on_shutdown=[*shutdown, office.close], **kwargs)


def identity_from_environment(env: Mapping[str, str]) -> IdentityConfig:
    """The ways in that ``govoffice serve``'s options opened (API tokens always)."""
    from govoffice.http.identity import IdentityConfig, JwtConfig

    jwt = None
    if env.get(ENVIRONMENT["jwks"]):
        jwks = env[ENVIRONMENT["jwks"]]
        audience = env.get(ENVIRONMENT["jwt_audience"]) or None
        issuer = env.get(ENVIRONMENT["jwt_issuer"]) or None
        if jwks.startswith(("http://", "https://")):
            jwt = JwtConfig(jwks_url=jwks, issuer=issuer, audience=audience)
        else:
            jwt = JwtConfig(jwks=jwks, issuer=issuer, audience=audience)
    proxy = env.get(ENVIRONMENT["proxy_header"]) or None
    return IdentityConfig(jwt=jwt, proxy_header=proxy)


def from_environment() -> Litestar:
    """The application factory ``govoffice serve`` gives uvicorn (one per worker process):
    the store and options from :data:`ENVIRONMENT`."""
    from govoffice.adapters.config import DEFAULT_SQLITE_URL, resolve_store

    env = os.environ
    url = resolve_store(env.get(ENVIRONMENT["store"]), default=DEFAULT_SQLITE_URL).url
    max_body = int(env.get(ENVIRONMENT["max_body"]) or DEFAULT_MAX_BODY_BYTES)
    return create_app_from_url(
        url, identity=identity_from_environment(env), max_body_bytes=max_body
    )
