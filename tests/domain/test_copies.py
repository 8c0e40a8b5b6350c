"""Copies of records (ADR 0019): a command works on a copy of the cached record.

The copy shares the record's immutable values (value objects, times, enums, text) and copies
its containers, so changing the copy never changes the cached record. Value objects are
their own copies, which is sound only if they are immutable all the way down: the first test
checks every value object class of the domain for fields that could hold something mutable.
"""

from __future__ import annotations

import copy
import enum
import importlib
import pkgutil
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest

import govoffice.domain
from govoffice.application.office import Office
from govoffice.domain.base import OfficeAggregate
from govoffice.domain.document import DocumentStatus
from govoffice.domain.incoming import IncomingStatus
from govoffice.domain.meeting import MeetingStatus
from govoffice.domain.proposal import ProposalStatus
from govoffice.domain.supervision import SupervisionStatus
from govoffice.domain.values import DocumentNumber, is_value_type
from govoffice.testing import (
    AgencyPeople,
    incoming_document,
    meeting,
    office_for_tests,
    outgoing_document,
    proposal,
    standard_agency,
    supervision_task,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")

IMMUTABLE_LEAVES = (str, int, float, bool, bytes, type(None), uuid.UUID, Decimal)
IMMUTABLE_LEAVES += (date, time, datetime, timedelta, pendulum.DateTime, pendulum.Date)


def value_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(govoffice.domain.__path__, "govoffice.domain."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and is_value_type(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def mutable_parts(hint: Any) -> Iterator[str]:
    """The parts of a type hint that could hold a mutable object."""
    origin = typing.get_origin(hint)
    if origin is None:
        if hint is Any or hint is object:
            yield "Any"
        elif isinstance(hint, typing.NewType):
            yield from mutable_parts(hint.__supertype__)
        elif isinstance(hint, type):
            if not (
                issubclass(hint, IMMUTABLE_LEAVES)
                or issubclass(hint, enum.Enum)
                or is_value_type(hint)
            ):
                yield hint.__name__
        elif isinstance(hint, typing.TypeVar):
            yield str(hint)
        return
    if origin is typing.Literal:
        return
    if origin in (typing.Union, types.UnionType, tuple, frozenset):
        for arg in typing.get_args(hint):
            if arg is not Ellipsis:
                yield from mutable_parts(arg)
        return
    yield str(hint)


def test_value_objects_hold_only_immutable_values() -> None:
    classes = value_classes()
    assert DocumentNumber in classes and len(classes) >= 30
    problems = []
    for cls in classes:
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            for part in mutable_parts(hints[field.name]):
                problems.append(f"{cls.__qualname__}.{field.name}: {part}")
    assert problems == []


def test_a_value_object_is_its_own_copy() -> None:
    number = DocumentNumber("X政发", 2026, 7)
    assert copy.copy(number) is number
    assert copy.deepcopy(number) is number
    assert copy.deepcopy([number])[0] is number


# --- records ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    office = office_for_tests(start=T0)
    yield office
    office.close()


@pytest.fixture(scope="module")
def people(office: Office) -> AgencyPeople:
    return standard_agency(office, T0)


Builder = Callable[[Office, AgencyPeople], uuid.UUID]
BUILDERS: dict[str, Builder] = {
    "发文": lambda o, p: outgoing_document(o, p, DocumentStatus.ARCHIVED),
    "收文": lambda o, p: incoming_document(o, p, IncomingStatus.ARCHIVED),
    "建议提案": lambda o, p: proposal(o, p, ProposalStatus.CLOSED),
    "督办": lambda o, p: supervision_task(o, p, SupervisionStatus.CLOSED_OUT),
    "会议": lambda o, p: meeting(o, p, MeetingStatus.ARCHIVED),
}


def containers(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every dict, list and set inside a piece of state, with its path."""
    if isinstance(value, dict):
        yield path, value
        for k, v in value.items():
            yield from containers(v, f"{path}[{k!r}]")
    elif isinstance(value, list | set):
        yield path, value
        for i, v in enumerate(value):
            yield from containers(v, f"{path}[{i}]")
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            yield from containers(v, f"{path}[{i}]")


def cached(office: Office, record_id: uuid.UUID) -> OfficeAggregate:
    record: OfficeAggregate = office.app.repository.get(record_id, deepcopy_from_cache=False)
    return record


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_a_copy_equals_the_record_and_shares_no_container(
    office: Office, people: AgencyPeople, kind: str
) -> None:
    record_id = BUILDERS[kind](office, people)
    original = cached(office, record_id)
    clone = copy.deepcopy(original)
    assert type(clone) is type(original)
    assert vars(clone) == vars(original)
    shared = [
        path
        for (path, mine), (_, theirs) in zip(
            containers(vars(clone), kind), containers(vars(original), kind), strict=True
        )
        if mine is theirs
    ]
    assert shared == []
    replayed = office.app.repository.get(record_id, version=original.version)
    assert vars(clone) == vars(replayed)


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_changing_a_copy_leaves_the_cached_record_alone(
    office: Office, people: AgencyPeople, kind: str
) -> None:
    record_id = BUILDERS[kind](office, people)
    original = cached(office, record_id)
    before = copy.deepcopy(vars(original))
    clone = copy.deepcopy(original)
    for _path, container in containers(vars(clone), kind):
        if isinstance(container, dict):
            container["changed"] = True
        elif isinstance(container, list):
            container.append("changed")
        else:
            container.add("changed")
    clone.__dict__["status"] = "changed"
    assert vars(original) == before


def test_aliasing_inside_a_record_is_kept() -> None:
    """Two attributes naming the same list name the same (new) list in the copy, as with
    ``copy.deepcopy``."""

    class Probe(OfficeAggregate):
        def __init__(self) -> None:
            shared: list[str] = []
            self.a, self.b = shared, shared
            self.t = (shared, 1)

    probe = Probe()
    clone = copy.deepcopy(probe)
    assert clone.a is clone.b is clone.t[0]
    assert clone.a is not probe.a
