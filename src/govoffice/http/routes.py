"""One route per method of the facade, derived from its signature (ADR 0054).

The facade is typed at the edge (ADR 0029): every public method of every area says what it
takes. This module reads those signatures once and makes, for each method, an
:class:`Operation`:

- a **command** (a method with ``by``) is ``POST``; ``by`` is never a parameter of the
  route: it is the authenticated person;
- a **query** is ``GET`` with its parameters in the query string (a query that takes a
  structured value, such as a period, is ``POST`` with a body, and records nothing);
- a method whose first parameter is a record id (``document_id``, ``record_id``, …) is
  routed under the record: ``/documents/{record_id}/sign``; ``get`` is the record itself,
  ``GET /documents/{record_id}``; other methods are ``/documents/draft``,
  ``/queues/for_person``.

Each parameter has a *wire type*, the JSON shape it arrives in (an enum or a record id is
text, a list is an array, an ``Iterable[str]`` is an array of text, a ``Decimal`` is a
number or text): the body of a command is a ``msgspec`` struct made of those, which
Litestar decodes, refuses when malformed or when it has a field the method does not take
(``by`` among them), and describes in the OpenAPI document. The decoded values are then
turned back into what the annotation names (an attrs value from its fields, an enum from
its value or Chinese label, ``Decimal`` from a number) and the method's own checks (ADR
0029) and the domain's rules judge them as for a Python caller.

Methods are left out only for a reason, listed in :data:`NOT_ROUTED` (a test walks the
facade: every public method is routed or listed).
"""

from __future__ import annotations

import inspect
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, Union, get_args, get_origin

import attrs
import msgspec

from govoffice.application.typecheck import LABELS, Facade
from govoffice.domain.errors import GovOfficeError, InvalidInput
from govoffice.domain.values import coerce_enum

if TYPE_CHECKING:
    from govoffice.application.office import Office

__all__ = [
    "AREAS",
    "NOT_ROUTED",
    "Operation",
    "Param",
    "from_wire",
    "operations",
    "wire",
]

AREAS: Final[tuple[str, ...]] = (
    "org",
    "documents",
    "incoming",
    "meetings",
    "proposals",
    "supervision",
    "information",
    "targets",
    "queues",
    "reports",
    "rankings",
    "audit",
    "calendar",
    "correspondents",
    "notifications",
)
"""The areas of the office served over HTTP, each under ``/<area>`` (its name on the
office: ``office.documents`` is ``/documents``). ``office.tokens`` is served by the
identity routes (``/tokens``), not here."""

_TIME_DRIVEN = "时间推进由调度任务执行,不由请求触发 (the time-driven step runs on a schedule)"
_OPERATOR = "运维操作,在服务器上用命令行执行 (an operator's action, run with the CLI)"
_PYTHON = "参数是 Python 对象,不能经 JSON 传递 (takes Python objects)"

NOT_ROUTED: Final[Mapping[str, str]] = {
    "*.tick": _TIME_DRIVEN,
    "documents.format_context": _PYTHON,
    "meetings.meeting_day": _PYTHON,
    "proposals.configure": _OPERATOR + ": 办理规则与答复分类方案是部署配置",
    "audit.check_mac": "审计密钥的校验不对外提供 (would be an oracle of the audit key)",
    "audit.mac": "审计密钥的签名不对外提供 (would be an oracle of the audit key)",
    "audit.rotate_key": _OPERATOR,
    "audit.checkpoint": _OPERATOR,
    "audit.seal_head": _OPERATOR,
    "audit.read_heads": "读取服务器上的文件 (reads a file on the server)",
    "audit.record_type": _PYTHON + ": 返回 Python 类",
    "calendar.current": _PYTHON + ": 返回日历对象",
    "calendar.refresh": _OPERATOR,
    "notifications.catch_up": _OPERATOR,
    "notifications.deliver": _OPERATOR,
    "notifications.dispatch": _OPERATOR,
    "notifications.dispatcher": _PYTHON,
    "notifications.retry_failed": _OPERATOR,
    "notifications.skip_history": _OPERATOR,
}
"""Public methods of the served areas that have no route, with the reason."""

DROPPED: Final[Mapping[str, tuple[str, ...]]] = {
    "audit.verify": ("head", "repair"),
    "audit.verify_print": ("file",),
}
"""Parameters a route does not take: ``head`` names a file on the server, ``repair``
rewrites the views (an operator's action), ``file`` is a printed file's bytes (the route
checks the recorded print against the record)."""

OPEN_FIELDS: Final[Mapping[str, str]] = {
    "documents.draft": "govoffice.domain.document:DraftForm",
    "documents.revise": "govoffice.domain.document:DraftForm",
}
"""Methods that take ``**fields``: the attrs class whose fields they are (the body lists
them; the domain's form builder checks them)."""

NARROWED: Final[Mapping[str, Mapping[str, Any]]] = {
    "calendar.load": {"notice": dict[str, Any]},
}
"""Parameters whose Python annotation admits more than a request may send: a holiday
notice is its JSON document, never a path on the server."""

RESERVED: Final = frozenset(
    {"request", "data", "state", "scope", "headers", "cookies", "query", "body", "socket"}
)
"""Names Litestar gives a meaning in a handler's signature."""


@attrs.frozen
class Param:
    """One parameter of a route: the method's name for it, its annotation, its wire type."""

    name: str
    hint: Any
    wire: Any
    required: bool
    default: Any = None

    @property
    def label(self) -> str | None:
        return LABELS.get(self.name)


@attrs.frozen
class Operation:
    """One method of the facade as one route."""

    area: str
    name: str
    command: bool
    http_method: Literal["GET", "POST"]
    path: str
    record: Param | None
    query: tuple[Param, ...]
    body: tuple[Param, ...]
    open_fields: type | None
    returns: Any
    summary: str
    description: str

    @property
    def id(self) -> str:
        return f"{self.area}.{self.name}"

    @property
    def creates(self) -> bool:
        """A command that makes a new record (``draft``, ``receive``, …): 201 Created."""
        return self.command and self.record is None and self.returns is uuid.UUID

    def bound(self, office: Office) -> Callable[..., Any]:
        method: Callable[..., Any] = getattr(getattr(office, self.area), self.name)
        return method


# --- wire types ---------------------------------------------------------------------------


class Unwireable(Exception):
    """A type that cannot arrive in JSON (a Protocol, a path, a callable)."""


_NONE = type(None)
_STRINGY = (str, uuid.UUID, datetime, Enum)


def _strip(hint: Any) -> Any:
    while True:
        supertype = getattr(hint, "__supertype__", None)
        if supertype is not None:
            hint = supertype
            continue
        if get_origin(hint) is typing.Annotated:
            hint = get_args(hint)[0]
            continue
        return hint


def _is_union(hint: Any) -> bool:
    origin = get_origin(hint)
    return origin is Union or origin is types.UnionType


def _enum_choices(cls: type[Enum]) -> str:
    shown = []
    for m in cls:
        label = getattr(m, "label", None)
        shown.append(f"{label}({m.value})" if label and label != m.value else str(m.value))
    return "、".join(shown)


def wire(hint: Any) -> Any:
    """The JSON shape of a parameter annotated ``hint``."""
    hint = _strip(hint)
    if hint is Any or hint is object:
        return Any
    if hint is None or hint is _NONE:
        return _NONE
    origin, args = get_origin(hint), get_args(hint)
    if _is_union(hint):
        return _wire_union(args)
    if origin is Literal:
        return hint
    if origin is tuple and args and args[-1] is not Ellipsis:
        return list[Any]
    if origin is type or (origin is not None and origin is Callable):
        raise Unwireable(hint)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        key = wire(args[0]) if args else str
        value = wire(args[1]) if len(args) > 1 else Any
        key = key if key in (str, int) else str
        return dict[key, value]  # type: ignore[valid-type]
    if isinstance(origin, type) and issubclass(origin, Iterable) and origin is not str:
        return list[wire(args[0]) if args else Any]  # type: ignore[misc]
    if not isinstance(hint, type):
        return Any
    if hint in (list, tuple, set, frozenset) or hint is Iterable:
        return list[Any]
    if hint is bool or hint is int or hint is float or hint is str or hint is date:
        return hint
    if issubclass(hint, datetime):
        return datetime
    if issubclass(hint, Enum):
        return str
    if hint is uuid.UUID:
        return str
    if hint is Decimal:
        return float | str
    if hint is bytes:
        raise Unwireable(hint)
    if attrs.has(hint):
        return dict[str, Any]
    if getattr(hint, "_is_protocol", False) or issubclass(hint, type):
        raise Unwireable(hint)
    if issubclass(hint, str | int):
        return hint
    raise Unwireable(hint)


def _wire_union(args: tuple[Any, ...]) -> Any:
    optional = _NONE in args
    shapes: list[Any] = []
    for a in args:
        if a is _NONE:
            continue
        try:
            shape = wire(a)
        except Unwireable:
            continue
        for s in get_args(shape) if _is_union(shape) else (shape,):
            if s not in shapes:
                shapes.append(s)
    if not shapes:
        raise Unwireable(args)
    if Any in shapes:
        return Any
    # JSON text is one shape: an id, a time, an enum label and free text all arrive as str
    if str in shapes:
        shapes = [s for s in shapes if s not in (datetime, date) and get_origin(s) is not Literal]
    dicts = [s for s in shapes if get_origin(s) is dict]
    if len(dicts) > 1:
        shapes = [s for s in shapes if get_origin(s) is not dict] + [dict[str, Any]]
    lists = [s for s in shapes if get_origin(s) is list]
    if len(lists) > 1:
        shapes = [s for s in shapes if get_origin(s) is not list] + [list[Any]]
    result: Any = shapes[0]
    for s in shapes[1:]:
        result = result | s
    return result | None if optional else result


def queryable(shape: Any) -> bool:
    """A shape that a query string can carry (text, numbers, dates, lists of them)."""
    if _is_union(shape):
        return all(queryable(a) for a in get_args(shape))
    if get_origin(shape) is list:
        (item,) = get_args(shape)
        return item in (str, int, float) or get_origin(item) is Literal
    if get_origin(shape) is Literal:
        return True
    return shape in (str, int, float, bool, date, datetime, _NONE)


def describe(hint: Any, name: str) -> str:
    """What a parameter takes, for the OpenAPI document."""
    parts = []
    if name in LABELS:
        parts.append(LABELS[name])
    enums = [a for a in _flatten(hint) if isinstance(a, type) and issubclass(a, Enum)]
    for e in enums:
        parts.append(f"可选 (choices, by value or 中文名称): {_enum_choices(e)}")
    flat = _flatten(hint)
    if uuid.UUID in flat:
        parts.append("编号 (record id, a UUID)")
    if datetime in flat or any(isinstance(a, type) and issubclass(a, datetime) for a in flat):
        parts.append("ISO 8601 带时区 (with an offset, e.g. 2026-03-10T09:00+08:00)")
    return ";".join(parts)


def _flatten(hint: Any) -> list[Any]:
    hint = _strip(hint)
    if _is_union(hint):
        return [x for a in get_args(hint) for x in _flatten(a)]
    origin = get_origin(hint)
    if origin is not None and origin is not Literal:
        return [hint, *(x for a in get_args(hint) for x in _flatten(a))]
    return [hint]


# --- from the wire back to the annotation ------------------------------------------------


def from_wire(hint: Any, value: Any, name: str = "") -> Any:
    """``value`` as decoded from JSON, turned into what ``hint`` names where JSON has no
    such shape (an attrs value, a Decimal, a tuple, an enum inside a structure); anything
    else is passed on for the method's checks to judge."""
    hint = _strip(hint)
    if value is None or hint is Any or hint is object:
        return value
    if _is_union(hint):
        alternatives = [a for a in get_args(hint) if a is not _NONE]
        for a in alternatives:
            a = _strip(a)
            if isinstance(a, type) and not attrs.has(a) and _plain(a, value):
                return value
        for a in alternatives:
            converted = from_wire(a, value, name)
            if converted is not value:
                return converted
        return value
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple and args and args[-1] is not Ellipsis and isinstance(value, list):
        return tuple(value)
    if isinstance(origin, type) and issubclass(origin, Mapping) and isinstance(value, dict):
        k, v = (*args, Any, Any)[:2]
        return {from_wire(k, key, name): from_wire(v, item, name) for key, item in value.items()}
    if isinstance(origin, type) and issubclass(origin, Iterable) and isinstance(value, list):
        item_hint = args[0] if args else Any
        return [from_wire(item_hint, item, name) for item in value]
    if not isinstance(hint, type):
        return value
    if hint is Decimal and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    if issubclass(hint, Enum) and isinstance(value, str | int) and not isinstance(value, bool):
        return coerce_enum(hint, value, LABELS.get(name, name))
    if hint is uuid.UUID and isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return value
    if issubclass(hint, datetime) and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    if hint is date and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if attrs.has(hint) and isinstance(value, dict):
        return _structure(hint, value, name)
    return value


def _plain(cls: type, value: Any) -> bool:
    if cls is int and isinstance(value, bool):
        return False
    if cls is float and isinstance(value, int) and not isinstance(value, bool):
        return True
    return isinstance(value, cls)


def _structure(cls: type, value: Mapping[str, Any], name: str) -> Any:
    """An attrs value from its fields, each turned into its field's type."""
    attrs.resolve_types(cls)
    fields = {f.name: f for f in attrs.fields(cls) if f.init}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise InvalidInput(
            f"{LABELS.get(name, name)} 没有这些栏目: {', '.join(unknown)} (unknown fields)",
            parameter=name,
        )
    kwargs = {k: from_wire(fields[k].type, v, k) for k, v in value.items()}
    try:
        return cls(**kwargs)
    except GovOfficeError:
        raise
    except (TypeError, ValueError) as e:
        raise InvalidInput(
            f"{LABELS.get(name, name)} {value!r} 不正确: {e} (invalid {cls.__name__})",
            parameter=name,
        ) from None


# --- the operations -----------------------------------------------------------------------


def _first_paragraph(doc: str | None) -> tuple[str, str]:
    text = inspect.cleandoc(doc or "")
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    return first[:200], text


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(func)
    except Exception:
        hints: dict[str, Any] = {}
        for name, annotation in func.__annotations__.items():
            holder = types.SimpleNamespace(__annotations__={name: annotation})
            try:
                hints[name] = typing.get_type_hints(holder, globalns=func.__globals__)[name]
            except Exception:
                hints[name] = Any
        return hints


def _is_record_id(hint: Any) -> bool:
    return uuid.UUID in _flatten(hint)


def _open_fields(ref: str) -> type:
    import importlib

    module, name = ref.split(":")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


def public_methods(service: object) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (name, member)
        for name, member in inspect.getmembers(type(service), inspect.isfunction)
        if not name.startswith("_")
    ]


def operation(area: str, name: str, func: Callable[..., Any]) -> Operation:
    """The route of one facade method (raises :class:`Unwireable` when it has none)."""
    key = f"{area}.{name}"
    func = inspect.unwrap(func)
    hints = _hints(func)
    hints.update(NARROWED.get(key, {}))
    params = list(inspect.signature(func).parameters.values())[1:]
    command = any(p.name == "by" for p in params)
    dropped = set(DROPPED.get(key, ()))
    record: Param | None = None
    others: list[Param] = []
    open_fields: type | None = None
    for i, p in enumerate(params):
        if p.name == "by" or p.name in dropped:
            continue
        if p.kind is p.VAR_KEYWORD:
            if key not in OPEN_FIELDS:
                raise Unwireable(f"{key} takes **{p.name}")
            open_fields = _open_fields(OPEN_FIELDS[key])
            continue
        if p.kind is p.VAR_POSITIONAL:
            raise Unwireable(f"{key} takes *{p.name}")
        hint = hints.get(p.name, Any)
        if p.name in RESERVED:
            raise Unwireable(f"{key}: parameter {p.name} is reserved by the framework")
        required = p.default is p.empty
        if i == 0 and p.kind is not p.KEYWORD_ONLY and _is_record_id(hint):
            record = Param(p.name, hint, str, True)
            continue
        others.append(Param(p.name, hint, wire(hint), required, None if required else p.default))
    if not command:  # a query takes text where its annotation allows text (a number, a period)
        others = [_as_text(p) for p in others]
    as_query = not command and all(queryable(p.wire) for p in others) and open_fields is None
    query: tuple[Param, ...] = ()
    body: tuple[Param, ...] = ()
    if as_query:
        http_method: Literal["GET", "POST"] = "GET"
        query = tuple(others)
    else:
        http_method = "POST"
        body = tuple(others)
    if record is not None:
        path = f"/{area}/{{record_id:str}}" + ("" if name == "get" else f"/{name}")
    else:
        path = f"/{area}/{name}"
    summary, description = _first_paragraph(func.__doc__)
    return Operation(
        area=area,
        name=name,
        command=command,
        http_method=http_method,
        path=path,
        record=record,
        query=query,
        body=body,
        open_fields=open_fields,
        returns=hints.get("return", Any),
        summary=summary or key,
        description=description,
    )


def _as_text(p: Param) -> Param:
    if queryable(p.wire) or not _is_union(p.wire) or str not in get_args(p.wire):
        return p
    return attrs.evolve(p, wire=str | None if _NONE in get_args(p.wire) else str)


def not_routed(area: str, name: str) -> str | None:
    """Why a method has no route (None: it has one)."""
    return NOT_ROUTED.get(f"{area}.{name}") or NOT_ROUTED.get(f"*.{name}")


def operations(office: Office) -> list[Operation]:
    """Every route of the facade, area by area, method by method."""
    found: list[Operation] = []
    for area in AREAS:
        service = getattr(office, area)
        if not isinstance(service, Facade):
            continue
        for name, func in public_methods(service):
            if not_routed(area, name) is not None:
                continue
            found.append(operation(area, name, func))
    return found


# --- body models ----------------------------------------------------------------------------


def _field_type(p: Param) -> Any:
    meta = msgspec.Meta(title=p.label, description=describe(p.hint, p.name) or None)
    if p.required:
        return typing.Annotated[p.wire, meta]
    return typing.Annotated[p.wire | msgspec.UnsetType, meta]


def body_model(op: Operation) -> type[msgspec.Struct] | None:
    """The request body of a route: a struct of its parameters' wire types (None: the
    route takes no body). Fields the method does not take are refused."""
    if op.http_method != "POST":
        return None
    params = list(op.body)
    if op.open_fields is not None:
        attrs.resolve_types(op.open_fields)
        known = {p.name for p in params}
        required_fields = op.name == "draft"
        for f in attrs.fields(op.open_fields):
            if f.name in known or not f.init:
                continue
            try:
                shape = wire(f.type)
            except Unwireable:
                shape = Any
            required = required_fields and f.default is attrs.NOTHING
            params.append(Param(f.name, f.type, shape, required))
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for p in sorted(params, key=lambda p: not p.required):
        if p.required:
            fields.append((p.name, _field_type(p)))
        else:
            fields.append((p.name, _field_type(p), msgspec.UNSET))
    name = "".join(part.capitalize() for part in f"{op.area}_{op.name}".split("_")) + "Body"
    model: type[msgspec.Struct] = msgspec.defstruct(
        name, fields, kw_only=True, forbid_unknown_fields=True, module=__name__
    )
    return model


def body_arguments(op: Operation, data: msgspec.Struct | None) -> dict[str, Any]:
    """The keyword arguments a decoded body gives the method (fields not sent are left to
    the method's defaults)."""
    if data is None:
        return {}
    hints = {p.name: p.hint for p in op.body}
    if op.open_fields is not None:
        hints.update({f.name: f.type for f in attrs.fields(op.open_fields)})
    found: dict[str, Any] = {}
    for field in data.__struct_fields__:
        value = getattr(data, field)
        if value is msgspec.UNSET:
            continue
        found[field] = from_wire(hints.get(field, Any), value, field)
    return found
