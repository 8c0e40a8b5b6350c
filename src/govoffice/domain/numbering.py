"""编号 gapless numbering: document numbers (发文字号), receipt numbers (收文编号), minutes.

A series is a small aggregate with a deterministic id (``uuid5`` of kind, issuer code and
year). A number is taken from it in the same atomic save as the record it numbers, so a
number is used exactly when the record is registered: no gaps and no duplicates, even with
concurrent writers (the loser of a race gets a conflict, reloads and retries).
"""

from __future__ import annotations

import uuid

import pendulum
from eventsourcing.domain import event

from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.values import PersonId, text

SERIES_NAMESPACE = uuid.UUID("1d6b8f0e-5f0c-4b7a-9a62-3c1f9e0d2b44")


@stable_topics("number-series")
class NumberSeries(OfficeAggregate):
    """编号序列 the serials of one kind, one issuer code and one year: 1, 2, 3, ..."""

    KIND = "编号序列"

    @staticmethod
    def create_id(kind: str, code: str, year: int) -> uuid.UUID:
        return uuid.uuid5(SERIES_NAMESPACE, f"{kind}/{code}/{year}")

    @classmethod
    def start(
        cls, *, kind: str, code: str, year: int, by: PersonId, at: pendulum.DateTime
    ) -> NumberSeries:
        return cls(kind=text(kind, "编号种类"), code=text(code, "代字"), year=year, by=by, at=at)

    @event("Started")
    def __init__(
        self, *, kind: str, code: str, year: int, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.kind = kind
        self.code = code
        self.year = year
        self.last_serial = 0
        self.holders: dict[int, uuid.UUID] = {}
        """Which record took each serial (the series' own events say it; kept so that a
        number is looked up without reading them all again)."""

    def take(self, *, for_record: uuid.UUID, by: PersonId, at: pendulum.DateTime) -> int:
        """取号 take the next serial for a record; returns it."""
        serial = self.last_serial + 1
        self._taken(serial=serial, for_record=for_record, by=by, at=at)
        return serial

    def holder(self, serial: int) -> uuid.UUID | None:
        """The record that took ``serial``, if any."""
        return self.holders.get(serial)

    @event("Taken")
    def _taken(
        self, serial: int, for_record: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.last_serial = serial
        self.holders[serial] = uuid.UUID(str(for_record))
