"""What every govoffice aggregate shares: who/when on every event, stable topics, statuses.

Commands check in the public method and record in a private method decorated with
``@event("Name")``, so replay stays a pure state change. Every recorded event carries
``by`` (the acting person) and ``at`` (business time); acts done as a substitute also carry
``on_behalf_of`` (the person acted for).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pendulum
from eventsourcing.domain import Aggregate, CanMutateAggregate, datetime_now_with_tzinfo, event
from eventsourcing.utils import register_topic

from govoffice.domain.errors import InvalidInput, TimeGoesBackwards, WrongStatus
from govoffice.domain.values import PersonId, is_value_type, text

A = TypeVar("A", bound=type[Any])

TOPIC_PREFIX = "govoffice"

TICK_ACTOR = PersonId("system:tick")
"""The ``by`` of decisions the time-driven step records (urges, deadlines passed)."""

_RECORDING_CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar(
    "govoffice_recording_clock", default=None
)


@contextmanager
def recording_clock(clock: Callable[[], datetime] | None) -> Iterator[None]:
    """Within the block, events are stamped with ``clock()`` as their recording time (the
    library's ``timestamp``; the wall clock when None). The application sets it around
    each unit of work, so tests can say when a decision was entered (ADR 0025)."""
    token = _RECORDING_CLOCK.set(clock)
    try:
        yield
    finally:
        _RECORDING_CLOCK.reset(token)


VIA_ATTRIBUTE = "via"
"""The attribute of an event recorded through an authenticated channel (ADR 0055): a dict
``{"method": "token" | "jwt" | "proxy", "token_id": str | None}``; absent on events
recorded through the Python API (and on every event stored before it existed)."""

_ACTING_VIA: ContextVar[Mapping[str, str | None] | None] = ContextVar(
    "govoffice_acting_via", default=None
)


@contextmanager
def recording_via(via: Mapping[str, str | None] | None) -> Iterator[None]:
    """Within the block (in this thread or task), every event recorded carries ``via``:
    how its actor was authenticated (never a secret). ``office.acting_via(identity)`` sets
    it around each command an adapter runs for an authenticated caller."""
    token = _ACTING_VIA.set(None if via is None else dict(via))
    try:
        yield
    finally:
        _ACTING_VIA.reset(token)


def via_of(event: object) -> Mapping[str, str | None] | None:
    """How the actor of a recorded event was authenticated (None: not recorded through an
    authenticated channel)."""
    found = getattr(event, VIA_ATTRIBUTE, None)
    return found if isinstance(found, Mapping) else None


def stable_topics(name: str) -> Callable[[A], A]:
    """Give an aggregate class and each of its event classes a stable topic.

    The aggregate becomes ``govoffice/<name>`` and its events ``govoffice/<name>/<Event>``,
    so that moving or renaming a module never orphans stored events (ADR 0005).
    """

    def decorate(cls: A) -> A:
        cls.TOPIC = f"{TOPIC_PREFIX}/{name}"
        register_topic(cls.TOPIC, cls)
        for attr, obj in list(vars(cls).items()):
            if (
                isinstance(obj, type)
                and issubclass(obj, CanMutateAggregate)
                and "TOPIC" not in vars(obj)
            ):
                topic = f"{TOPIC_PREFIX}/{name}/{attr}"
                setattr(obj, "TOPIC", topic)  # noqa: B010 - not a declared attribute
                register_topic(topic, obj)
        return cls

    return decorate


_ATOMIC_TYPES = (
    str,
    int,
    float,
    bool,
    bytes,
    type(None),
    uuid.UUID,
    Decimal,
    date,
    time,
    timedelta,
)
_immutable: dict[type, bool] = {}


def _is_immutable(cls: type) -> bool:
    """Instances of ``cls`` never change: text, numbers, dates and times (``pendulum``'s
    included), enums, and value objects (which are their own copies)."""
    known = _immutable.get(cls)
    if known is None:
        known = _immutable[cls] = issubclass(cls, (*_ATOMIC_TYPES, Enum)) or is_value_type(cls)
    return known


def copy_state(value: Any, memo: dict[int, Any]) -> Any:
    """A deep copy of a piece of aggregate state that shares what never changes.

    ``copy.deepcopy`` rebuilds every ``pendulum`` time and walks every value; an aggregate's
    state is mostly immutable values inside a few dicts, lists and tuples, so only those
    containers are copied (aliasing kept through ``memo``, as ``deepcopy`` does). Anything
    else is left to ``copy.deepcopy``.
    """
    cls = type(value)
    if _is_immutable(cls):
        return value
    if cls is dict or cls is list:
        done = memo.get(id(value))
        if done is not None:
            return done
        if cls is dict:
            new_dict: dict[Any, Any] = {}
            memo[id(value)] = new_dict
            for k, v in value.items():
                new_dict[k] = copy_state(v, memo)
            return new_dict
        new_list: list[Any] = []
        memo[id(value)] = new_list
        new_list.extend(copy_state(v, memo) for v in value)
        return new_list
    if cls is tuple:
        items = tuple(copy_state(v, memo) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if cls is frozenset and all(_is_immutable(type(v)) for v in value):
        return value
    return copy.deepcopy(value, memo)


_RECORD_IDS: ContextVar[Callable[[], uuid.UUID] | None] = ContextVar(
    "govoffice_record_ids", default=None
)


def new_record_id() -> uuid.UUID:
    """新记录编号 The id of a new record whose kind has no natural id (a 发文, a 收文, a
    meeting, a proposal): random, unless a repeatable run supplies the ids
    (:func:`record_ids`)."""
    source = _RECORD_IDS.get()
    return uuid.uuid4() if source is None else source()


@contextmanager
def record_ids(source: Callable[[], uuid.UUID]) -> Iterator[None]:
    """Within the block (in this thread or task), new records take their ids from
    ``source``: a simulation derives them from its seed, so that a seed gives the same
    records with the same ids. Records with natural ids (the organisation, a year's meeting
    plan, a task from its source) keep them."""
    token = _RECORD_IDS.set(source)
    try:
        yield
    finally:
        _RECORD_IDS.reset(token)


class OfficeAggregate(Aggregate):
    """Base of the office's aggregates.

    ``last_at`` is the business time of the latest recorded decision; a new decision may
    not be dated before it, so "the state as of a business time" is well defined.
    """

    KIND: ClassVar[str] = "记录"
    UNIT_FIELDS: ClassVar[tuple[str, ...]] = ()
    """The attributes that name the units in charge of the record's work (a unit id, or a
    tuple of them): a merged or dissolved unit's open work is handed over there."""
    if TYPE_CHECKING:  # set by Event.mutate; not a dataclass field of the aggregate
        last_at: pendulum.DateTime | None

    @staticmethod
    def create_id(*_args: Any, **_kwargs: Any) -> uuid.UUID:
        """A new record's id (:func:`new_record_id`); kinds with natural ids override it."""
        return new_record_id()

    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            """When the event is recorded (not business time): the application's recording
            clock, or the wall clock."""
            clock = _RECORDING_CLOCK.get()
            return datetime_now_with_tzinfo() if clock is None else clock()

        def __post_init__(self) -> None:
            super().__post_init__()
            via = _ACTING_VIA.get()
            if via is not None:
                # Not a dataclass field: stored with the event's other attributes (so sealed
                # in the hash chain and encrypted with them), absent when not set.
                object.__setattr__(self, VIA_ATTRIBUTE, dict(via))

        def mutate(self, aggregate: Any) -> Any:
            result = super().mutate(aggregate)
            at = getattr(self, "at", None)
            if at is not None and result is not None:
                result.last_at = at
            return result

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """The copy a command works on (the library copies the cached aggregate for every
        command): the containers of the state are copied, its immutable values shared."""
        cls = type(self)
        new = cls.__new__(cls)
        memo[id(self)] = new
        state = new.__dict__
        for name, value in self.__dict__.items():
            state[name] = copy_state(value, memo)
        return new

    def _check_time(self, at: pendulum.DateTime) -> None:
        last_at = getattr(self, "last_at", None)
        if last_at is not None and at < last_at:
            raise TimeGoesBackwards(self.id, at, last_at)

    def _require_status(self, *allowed: Any) -> None:
        status = getattr(self, "status", None)
        if status not in allowed:
            raise WrongStatus(f"{self.KIND} {self.id}", status, allowed)

    # --- restructuring (处室合并、撤销, ADR 0023) ------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Is work on this record still to be done (so it follows a unit that is merged or
        dissolved)? Subclasses say which statuses are finished."""
        return False

    def units_in_charge(self) -> frozenset[str]:
        """The units the record's open work is with (see :attr:`UNIT_FIELDS`)."""
        found: set[str] = set()
        for name in self.UNIT_FIELDS:
            value = getattr(self, name, None)
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, tuple | list | frozenset):
                found.update(v for v in value if isinstance(v, str))
        return frozenset(found)

    def hand_over_unit(
        self, *, from_unit: str, to_unit: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """交接: the open work of ``from_unit`` (merged or dissolved) passes to ``to_unit``;
        recorded on the record, at the restructuring's time or the record's last step if that
        is later. The application calls it in the same save as the organisation change."""
        if not self.is_open or from_unit not in self.units_in_charge():
            raise InvalidInput(f"{self.KIND} {self.id} 没有 {from_unit} 承担的未办结工作")
        last_at = getattr(self, "last_at", None)
        when = at if last_at is None or at >= last_at else last_at
        self._unit_handed_over(from_unit=from_unit, to_unit=to_unit, by=by, at=when)

    @event("UnitHandedOver")
    def _unit_handed_over(
        self, from_unit: str, to_unit: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._replace_unit(from_unit, to_unit)

    def _replace_unit(self, old: str, new: str) -> None:
        """Put ``new`` wherever the record names ``old`` as a unit in charge (each unit
        once)."""
        for name in self.UNIT_FIELDS:
            value = getattr(self, name, None)
            if value == old:
                setattr(self, name, new)
            elif isinstance(value, tuple | list) and old in value:
                replaced = list(dict.fromkeys(new if v == old else v for v in value))
                setattr(self, name, type(value)(replaced))
            elif isinstance(value, frozenset) and old in value:
                setattr(self, name, (value - {old}) | {new})

    # --- late entries (补录, ADR 0025) --------------------------------------------------------

    def record_late_entry(
        self, *, versions: list[int], reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """补录: the general office entered the decisions ``versions`` of this record late,
        for the person named on them, with ``reason`` (the recording of a late entry under
        the strict policy; the application checks who may do it)."""
        if not versions or any(not isinstance(v, int) or v < 1 for v in versions):
            raise InvalidInput(f"补录的版本号不正确: {versions!r}")
        self._late_entry_recorded(
            versions=list(versions), reason=text(reason, "补录理由"), by=by, at=at
        )

    @event("LateEntryRecorded")
    def _late_entry_recorded(
        self, versions: list[int], reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        pass


# The steps every kind of record shares are recorded with the base class's event classes
# (the library triggers the class of the method's own class): one stable topic each.
for _name in ("LateEntryRecorded", "UnitHandedOver"):
    _cls = getattr(OfficeAggregate, _name)
    _cls.TOPIC = f"{TOPIC_PREFIX}/record/{_name}"
    register_topic(_cls.TOPIC, _cls)
