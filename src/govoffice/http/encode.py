"""What a facade method returns, as JSON: records, decisions, queues, reports, ids.

One walk over the value, the same for every route: attrs values field by field, a record
(an aggregate) by its public state with its id and version, enums by their value, times in
ISO 8601 with their offset, ``Decimal`` as text (exact), ``bytes`` in base64, sets sorted.
A value that says how it is shown (``to_json()``) is shown so; a number with a written
form (``X政发〔2026〕12号``) carries it as ``text`` beside its fields.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
from eventsourcing.domain import Aggregate

__all__ = ["dumps", "jsonable"]

MAX_DEPTH = 40


def jsonable(value: Any, _depth: int = 0) -> Any:
    """``value`` as JSON-safe Python (dicts with text keys, lists, text, numbers, bools)."""
    if _depth > MAX_DEPTH:
        return str(value)
    d = _depth + 1
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, Enum):
        return jsonable(value.value, d)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    to_json = getattr(value, "to_json", None)
    if callable(to_json) and not isinstance(value, type):
        shown = to_json()
        if isinstance(shown, str):
            try:
                return json.loads(shown)
            except ValueError:
                return shown
        return jsonable(shown, d)
    if isinstance(value, Aggregate):
        return _aggregate(value, d)
    if attrs.has(type(value)) and _has_text_form(type(value)):
        # a number (发文字号, 收文编号, 督办编号): its fields and the text a clerk writes,
        # which is also what the API accepts for it
        shown = {
            f.name: jsonable(getattr(value, f.name), d)
            for f in attrs.fields(type(value))
            if not f.name.startswith("_")
        }
        return {"text": str(value), **shown}
    if attrs.has(type(value)):
        return {
            f.name: jsonable(getattr(value, f.name), d)
            for f in attrs.fields(type(value))
            if not f.name.startswith("_")
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name), d)
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, Mapping):
        return {_key(k): jsonable(v, d) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [jsonable(v, d) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return [jsonable(v, d) for v in value]
    if isinstance(value, type):
        return value.__name__
    return str(value)


def _key(key: Any) -> str:
    shown = jsonable(key)
    return shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)


def _has_text_form(cls: type) -> bool:
    """A value class with a written form of its own: ``parse`` reads it, ``__str__`` writes it."""
    return callable(getattr(cls, "parse", None)) and "__str__" in vars(cls)


def _aggregate(record: Aggregate, depth: int) -> dict[str, Any]:
    """A record: its id, version and public state (what its decisions made it)."""
    state: dict[str, Any] = {
        "id": str(record.id),
        "version": record.version,
        "kind": type(record).__name__,
    }
    for name, value in vars(record).items():
        if name.startswith("_") or name in state or callable(value):
            continue
        state[name] = jsonable(value, depth)
    for name in ("created_on", "modified_on"):
        state[name] = jsonable(getattr(record, name, None), depth)
    return state


def dumps(value: Any) -> bytes:
    """``value`` as UTF-8 JSON (Chinese as is, not escaped)."""
    return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":")).encode()
