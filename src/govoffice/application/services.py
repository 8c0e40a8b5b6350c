"""What every area service of the office shares: business time, loading, the unit of work."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pendulum
from eventsourcing.utils import get_topic

from govoffice.application.app import Store, moment
from govoffice.application.history import Decision, decisions
from govoffice.application.typecheck import Facade
from govoffice.domain.base import OfficeAggregate
from govoffice.domain.errors import GovOfficeError, RecordNotFound, StoreUnavailable
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import PersonId, text

if TYPE_CHECKING:
    from govoffice.application.office import Office

A = TypeVar("A", bound=OfficeAggregate)
R = TypeVar("R")

log = logging.getLogger(__name__)

TICK_MEMO_VIEW = "tick-finished.v1"
"""Where the time-driven step remembers, across processes, the records it found finished:
one table per kind (the kind's stable topic), keyed by record id (ADR 0020). Not a
projection: no position, never reset by a rebuild of the views."""


class OrganisationNotEstablished(GovOfficeError):
    def __init__(self) -> None:
        super().__init__(
            "本存储尚未建立机关组织,请先调用 office.org.establish(...) (organisation not established)"
        )


class AreaService(Facade, Generic[A]):
    """Commands and queries for one kind of record (``record_type``)."""

    record_type: type[A]

    def __init__(self, office: Office) -> None:
        self.office = office
        self.store: Store = office.store
        self._finished: set[uuid.UUID] = set()
        self._memo_read = False
        self._unsaved: set[uuid.UUID] = set()

    # --- reading ---------------------------------------------------------------------------

    def get(self, record_id: uuid.UUID | str, *, version: int | None = None) -> A:
        """The record now, or as it stood at ``version``."""
        return self.store.get(self.record_type, record_id, version=version)

    def as_of(self, record_id: uuid.UUID | str, at: datetime | str) -> A:
        """The record as it stood at business time ``at``."""
        return self.store.as_of(self.record_type, record_id, at)

    def history(self, record_id: uuid.UUID | str) -> list[Decision]:
        """The full decision trail: who did what, when, on whose behalf, with which opinion."""
        self.get(record_id)
        return decisions(self.store.events(record_id, self.record_type.KIND))

    def _ticking(self, finished: Callable[[A], bool]) -> Iterator[A]:
        """For a time-driven step: every record of the kind that may still have one, looked
        at without copying (only for looking, never for deciding). A record found
        ``finished`` (in a state it never leaves) is not looked at again: this process
        remembers it, and so do the next ones (the memo in the view store, read on the first
        walk and written once at the end of each walk), so a daily step does not load every
        record ever made, every day (ADR 0020)."""
        self._read_memo()
        for record_id in self.store.record_ids(self.record_type):
            if record_id in self._finished:
                continue
            record = self.store.get(self.record_type, record_id, for_reading=True)
            if finished(record):
                self._finished.add(record_id)
                self._unsaved.add(record_id)
            else:
                yield record
        self._write_memo()

    def _read_memo(self) -> None:
        """Add the records earlier processes found finished to :attr:`_finished` (once per
        process). A memo that cannot be read is logged and the walk looks at every record,
        as with no memo; the next walk tries again."""
        if self._memo_read:
            return
        views = self.office.views.store
        try:
            keys = [key for key, _ in views.scan(TICK_MEMO_VIEW, get_topic(self.record_type))]
        except StoreUnavailable as e:
            log.warning(
                "tick memo of %s not read; every record is looked at: %s", self._kind_name, e
            )
            return
        for key in keys:
            try:
                self._finished.add(uuid.UUID(key))
            except ValueError:
                log.warning("tick memo of %s: %r is not a record id, ignored", self._kind_name, key)
        self._memo_read = True

    @property
    def _kind_name(self) -> str:
        return self.record_type.__name__

    def _write_memo(self) -> None:
        """Remember the records found finished since the last write, in one view transaction
        that moves no view position. A failure is logged and the ids are kept for the next
        walk: the memo is only a cache, the step's own work is already saved."""
        if not self._unsaved:
            return
        batch = set(self._unsaved)
        table = get_topic(self.record_type)
        try:
            with self.office.views.store.transaction({}) as tx:
                for record_id in sorted(batch, key=str):
                    tx.put(TICK_MEMO_VIEW, table, str(record_id), {})
        except StoreUnavailable as e:
            log.warning(
                "tick memo of %s not written (%d records): %s", self._kind_name, len(batch), e
            )
            return
        self._unsaved -= batch

    # --- the unit of work -------------------------------------------------------------------

    def _when(self, at: object) -> pendulum.DateTime:
        return moment(at, self.office.clock.now)

    def _who(self, by: object) -> PersonId:
        return PersonId(text(by, "办理人 by"))

    def _org(self, *, for_reading: bool = True) -> Organisation:
        """The organisation, consulted (not changed) by another record's command."""
        try:
            return self.store.get(Organisation, Organisation.create_id(), for_reading=for_reading)
        except RecordNotFound:
            raise OrganisationNotEstablished() from None

    def _change(self, record_id: uuid.UUID | str, decide: Callable[[A, Organisation], R]) -> R:
        """Load the record and the organisation, decide (the domain checks and records),
        and save atomically; a refused decision raises and saves nothing."""

        def attempt() -> R:
            record = self.get(record_id)
            result = decide(record, self._org())
            self.store.save(record, hand_over=True)
            return result

        return self.store.run(attempt, record_id)

    def _do(
        self, record_id: uuid.UUID | str, command: str, by: str, at: object, **kwargs: Any
    ) -> Any:
        """Run the record's domain command ``command`` with the organisation, the acting
        person and the business time, through :meth:`_change`."""
        who, when = self._who(by), self._when(at)
        if kwargs.get("on_behalf_of") is not None:
            kwargs["on_behalf_of"] = self._who(kwargs["on_behalf_of"])
        return self._change(
            record_id,
            lambda record, org: getattr(record, command)(org=org, by=who, at=when, **kwargs),
        )

    def _series(
        self, kind: str, code: str, year: int, who: PersonId, when: pendulum.DateTime
    ) -> NumberSeries:
        """The numbering series of ``kind`` for ``code`` and ``year`` (started if new); a
        number taken from it is saved in the same atomic write as the record (ADR 0003)."""
        series_id = NumberSeries.create_id(kind, code, year)
        if self.store.exists(series_id):
            return self.store.get(NumberSeries, series_id)
        return NumberSeries.start(kind=kind, code=code, year=year, by=who, at=when)

    def _numbered(self, kind: str, code: str, year: int, serial: int) -> uuid.UUID | None:
        """The id of the record that took ``serial`` from the series, if any."""
        series_id = NumberSeries.create_id(kind, code, year)
        if not self.store.exists(series_id):
            return None
        for e in self.store.events(series_id, NumberSeries.KIND):
            if getattr(e, "serial", None) == serial:
                return uuid.UUID(str(e.for_record))  # type: ignore[attr-defined]
        return None

    def _create(self, build: Callable[[Organisation], A]) -> uuid.UUID:
        record = build(self._org())
        self.store.save(record, hand_over=True)
        return record.id
