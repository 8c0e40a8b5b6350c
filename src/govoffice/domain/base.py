"""What every govoffice aggregate shares: who/when on every event, stable topics, statuses.

Commands check in the public method and record in a private method decorated with
``@event("Name")``, so replay stays a pure state change. Every recorded event carries
``by`` (the acting person) and ``at`` (business time); acts done as a substitute also carry
``on_behalf_of`` (the person acted for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pendulum
from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import register_topic

from govoffice.domain.errors import TimeGoesBackwards, WrongStatus
from govoffice.domain.values import PersonId

A = TypeVar("A", bound=type[Any])

TOPIC_PREFIX = "govoffice"

TICK_ACTOR = PersonId("system:tick")
"""The ``by`` of decisions the time-driven step records (urges, deadlines passed)."""


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


class OfficeAggregate(Aggregate):
    """Base of the office's aggregates.

    ``last_at`` is the business time of the latest recorded decision; a new decision may
    not be dated before it, so "the state as of a business time" is well defined.
    """

    KIND: ClassVar[str] = "记录"
    if TYPE_CHECKING:  # set by Event.mutate; not a dataclass field of the aggregate
        last_at: pendulum.DateTime | None

    class Event(Aggregate.Event):
        def mutate(self, aggregate: Any) -> Any:
            result = super().mutate(aggregate)
            at = getattr(self, "at", None)
            if at is not None and result is not None:
                result.last_at = at
            return result

    def _check_time(self, at: pendulum.DateTime) -> None:
        last_at = getattr(self, "last_at", None)
        if last_at is not None and at < last_at:
            raise TimeGoesBackwards(self.id, at, last_at)

    def _require_status(self, *allowed: Any) -> None:
        status = getattr(self, "status", None)
        if status not in allowed:
            raise WrongStatus(f"{self.KIND} {self.id}", status, allowed)
