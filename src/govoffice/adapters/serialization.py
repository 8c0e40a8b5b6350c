"""Serialization: how events and their values are written to, and read back from, a store.

One cattrs converter serializes the domain's attrs value objects; one generic transcoding
per value type and per enum plugs them into eventsourcing's JSON transcoder. Business time
(`pendulum.DateTime`) keeps its zone name. Transcoding names are part of the stored format
(ADR 0004): a value class keeps its ``__qualname__`` forever, or gets an alias.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import attrs
import cattrs
import pendulum
from cattrs.preconf.json import make_converter
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    Transcoding,
    UUIDAsHex,
)

import govoffice.domain


def _datetime_to_dict(value: datetime) -> dict[str, str]:
    moment = pendulum.instance(value)
    return {"at": moment.isoformat(), "tz": moment.timezone_name or moment.strftime("%z")}


_FIXED_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}(:?\d{2}(\.\d+)?)?")


@cache
def _zone(name: str) -> pendulum.Timezone:
    return pendulum.timezone(name)


@cache
def _fixed_zone(seconds: int) -> pendulum.FixedTimezone:
    return pendulum.FixedTimezone(seconds)


def _datetime_from_dict(value: dict[str, str]) -> pendulum.DateTime:
    # datetime.fromisoformat, not pendulum.parse: it also reads the seconds of historical
    # local-mean-time offsets (e.g. +08:05:43), which isoformat() writes for old dates.
    # Zones are looked up once per name (a pendulum zone is immutable) and the wall time in
    # the zone is built directly: decoding dominates a view rebuild (benchmarks/README.md).
    parsed = datetime.fromisoformat(value["at"])
    offset = parsed.utcoffset()
    if offset is None:
        raise ValueError(f"not a zone-aware date-time: {value!r}")
    name = value.get("tz")
    zone: pendulum.Timezone | pendulum.FixedTimezone
    if name and not _FIXED_OFFSET.fullmatch(name):
        zone = _zone(name)  # a named zone: Asia/Shanghai, UTC, Japan, EST5EDT
    else:
        zone = _fixed_zone(int(offset.total_seconds()))
    local = parsed.astimezone(zone)
    return pendulum.DateTime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=zone,
        fold=local.fold,
    )


def _date_from_iso(value: str) -> pendulum.Date:
    return pendulum.Date.fromisoformat(value)


def make_office_converter() -> cattrs.Converter:
    """The converter for the domain's values: JSON-friendly, zone-keeping, enum by value."""
    converter = make_converter()
    for dt_type in (pendulum.DateTime, datetime):
        converter.register_unstructure_hook(dt_type, _datetime_to_dict)
    converter.register_structure_hook(pendulum.DateTime, lambda v, _: _datetime_from_dict(v))
    for d_type in (pendulum.Date, date):
        converter.register_unstructure_hook(d_type, lambda d: d.isoformat())
    converter.register_structure_hook(pendulum.Date, lambda v, _: _date_from_iso(v))
    converter.register_structure_hook(date, lambda v, _: _date_from_iso(v))
    converter.register_unstructure_hook(uuid.UUID, str)
    converter.register_structure_hook(uuid.UUID, lambda v, _: uuid.UUID(str(v)))
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    return converter


converter = make_office_converter()


class ValueTranscoding(Transcoding):
    """Transcodes one attrs value class through the cattrs converter."""

    def __init__(self, type_: type) -> None:
        self.type = type_
        self.name = type_.__qualname__

    def encode(self, obj: Any) -> Any:
        return converter.unstructure(obj, self.type)

    def decode(self, data: Any) -> Any:
        return converter.structure(data, self.type)


class EnumTranscoding(Transcoding):
    """Transcodes one enum class by its member's value."""

    def __init__(self, type_: type[Enum]) -> None:
        self.type = type_
        self.name = f"enum:{type_.__qualname__}"
        self._enum = type_

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self._enum(data)


class PendulumDateTime(Transcoding):
    type = pendulum.DateTime
    name = "pendulum_datetime"

    def encode(self, obj: pendulum.DateTime) -> dict[str, str]:
        return _datetime_to_dict(obj)

    def decode(self, data: dict[str, str]) -> pendulum.DateTime:
        return _datetime_from_dict(data)


class PendulumDate(Transcoding):
    type = pendulum.Date
    name = "pendulum_date"

    def encode(self, obj: pendulum.Date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> pendulum.Date:
        return _date_from_iso(data)


class PlainDate(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> pendulum.Date:
        return _date_from_iso(data)


class FrozenSetAsList(Transcoding):
    type = frozenset
    name = "frozenset"

    def encode(self, obj: frozenset[Any]) -> list[Any]:
        try:
            return sorted(obj)
        except TypeError:
            return list(obj)

    def decode(self, data: list[Any]) -> frozenset[Any]:
        return frozenset(data)


def _domain_modules() -> Iterator[Any]:
    package = govoffice.domain
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        yield importlib.import_module(info.name)


@cache
def domain_types() -> tuple[tuple[type, ...], tuple[type[Enum], ...]]:
    """Every attrs value class and enum defined in the domain package, checked for clashes
    of their stored names."""
    values: dict[str, type] = {}
    enums: dict[str, type[Enum]] = {}
    for module in _domain_modules():
        for obj in vars(module).values():
            if not isinstance(obj, type) or obj.__module__ != module.__name__:
                continue
            if issubclass(obj, Enum):
                target: dict[str, Any] = enums
            elif attrs.has(obj):
                target = values
            else:
                continue
            existing = target.get(obj.__qualname__)
            if existing is not None and existing is not obj:
                raise TypeError(
                    f"two domain classes are both named {obj.__qualname__!r} "
                    f"({existing.__module__} and {obj.__module__}); stored names must be unique"
                )
            target[obj.__qualname__] = obj
    return tuple(values.values()), tuple(enums.values())


def office_transcodings() -> list[Transcoding]:
    values, enums = domain_types()
    return [
        PendulumDateTime(),
        PendulumDate(),
        PlainDate(),
        FrozenSetAsList(),
        *(EnumTranscoding(e) for e in enums),
        *(ValueTranscoding(v) for v in values),
    ]


def make_transcoder() -> Transcoder:
    """A JSON transcoder that knows every govoffice type."""
    transcoder = JSONTranscoder()
    for default in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(default)
    for transcoding in office_transcodings():
        transcoder.register(transcoding)
    return transcoder
