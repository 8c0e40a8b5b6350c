"""What every area service of the office shares: business time, loading, the unit of work."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import attrs
import pendulum
from eventsourcing.utils import get_topic

from govoffice.application.app import Store, Want
from govoffice.application.history import Decision, decisions
from govoffice.application.sealing import AuditUnavailable
from govoffice.application.typecheck import Facade
from govoffice.application.views import CorruptViewRow
from govoffice.domain.authority import authorise, judge
from govoffice.domain.base import TICK_ACTOR, OfficeAggregate
from govoffice.domain.errors import (
    GovOfficeError,
    PermissionDenied,
    RecordNotFound,
    StoreUnavailable,
)
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import PersonId, text

if TYPE_CHECKING:
    from govoffice.application.office import Office

A = TypeVar("A", bound=OfficeAggregate)
R = TypeVar("R")

log = logging.getLogger(__name__)

TICK_OPEN_VIEW = "tick-open.v1"
"""Where the time-driven step keeps, across processes, the records of each kind it may still
have to look at: one table per kind (the kind's stable topic), one row (key ``open``) with
the ids not found finished, in the order they were created, and the position in the log up
to which the kind's new records were read, tagged under the audit key (ADR 0059). A new
process reads that row instead of the whole log. Not a projection either."""
TICK_OPEN_KEY = "open"
TICK_READ_AT_ONCE = 100
"""How many records the walk reads with one statement (then looks at one by one)."""

TICK_MEMO_VIEW = "tick-finished.v1"
TICK_MEMO_PURPOSE = "tick-memo"
"""Where the time-driven step remembers, across processes, the records it found finished:
one table per kind (the kind's stable topic), keyed by record id (ADR 0020). Not a
projection: no position, never reset by a rebuild of the views."""


class OrganisationNotEstablished(GovOfficeError):
    def __init__(self) -> None:
        super().__init__(
            "本存储尚未建立机关组织,请先调用 office.org.establish(...) (organisation not established)"
        )


@attrs.frozen
class LateEntry:
    """补录 in progress: the general office (``by``) enters acts of other people late, with
    ``reason`` (ADR 0025)."""

    by: PersonId
    reason: str


_LATE_ENTRY: ContextVar[LateEntry | None] = ContextVar("govoffice_late_entry", default=None)


@contextmanager
def entering_late(entry: LateEntry) -> Iterator[LateEntry]:
    token = _LATE_ENTRY.set(entry)
    try:
        yield entry
    finally:
        _LATE_ENTRY.reset(token)


class LateEntryRefused(PermissionDenied):
    """[ADR 0025] under the strict policy, a person whose authority has ended cannot
    back-date an act: the general office enters it for them, with a reason."""

    def __init__(self, person_id: str, action: str, at: object, recorded: object) -> None:
        GovOfficeError.__init__(
            self,
            f"{person_id} 现已不具备{action}的权限,不能补记 {at} 的办理;须由办公室补录并说明理由 "
            "(authority ended before recording: the general office enters it, with a reason)",
            person_id=person_id,
            action=action,
            needs="办公室补录",
            at=at,
            recorded=recorded,
        )


class AreaService(Facade, Generic[A]):
    """Commands and queries for one kind of record (``record_type``)."""

    record_type: type[A]
    also_record_types: ClassVar[tuple[type[OfficeAggregate], ...]] = ()
    """Other kinds of record the area keeps (e.g. the annual meeting plan): a merged or
    dissolved unit's open work on them is handed over too."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.store: Store = office.store
        self._finished: set[uuid.UUID] = set()
        self._memo_read = False
        self._unsaved: dict[uuid.UUID, int] = {}
        self._open: dict[uuid.UUID, None] | None = None
        """The records the walk looks at (those not found finished), in creation order."""
        self._position = 0
        """How far in the log the kind's new records were read for :attr:`_open`."""
        self._open_written: tuple[int, tuple[uuid.UUID, ...]] | None = None

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

    def _is_finished(self, record: A) -> bool:
        """The record is in a state it never leaves, so it has no time-driven step any more
        (the tick memo remembers it, ADR 0020). Services with a tick override it."""
        return False

    def _ticking(self, finished: Callable[[A], bool] | None = None) -> Iterator[A]:
        """For a time-driven step: every record of the kind that may still have one, looked
        at without copying (only for looking, never for deciding). A record found
        ``finished`` (:meth:`_is_finished` by default: in a state it never leaves) is not
        looked at again: this process remembers it, and so do the next ones (the memo in the
        view store, read on the first walk and written once at the end of each walk), so a
        daily step does not load every record ever made, every day (ADR 0020). A memo row
        is believed only if its tag verifies under the audit key (ADR 0031)."""
        finished = finished or self._is_finished
        walk = self._walk_ids()
        ids = list(walk)
        for at in range(0, len(ids), TICK_READ_AT_ONCE):
            batch = []
            for record_id in ids[at : at + TICK_READ_AT_ONCE]:
                if record_id in self._finished:
                    walk.pop(record_id, None)
                else:
                    batch.append(record_id)
            # read together (one statement for the batch, ADR 0060), looked at in turn
            records = self.store.load(
                *(Want(self.record_type, record_id, for_reading=True) for record_id in batch)
            )
            for record_id, record in zip(batch, records, strict=True):
                if finished(record):
                    self._finished.add(record_id)
                    self._unsaved[record_id] = record.version
                    walk.pop(record_id, None)
                else:
                    yield record
        self._write_memo()

    def _walk_ids(self) -> dict[uuid.UUID, None]:
        """The ids of the records a walk looks at: those not found finished, in creation
        order, with the records created since the last walk added (ADR 0059). Their list
        and the log position it reached are kept in the view store, so a new process reads
        one row per kind and the log written since, instead of the whole log. Without a row
        whose tag verifies (an older store, a lost or edited row), the whole log is read
        once, as before. The walk removes from it the ids it finds finished."""
        if self._open is None:
            self._read_open()
        if self._open is None:  # the whole log: skip what the memo says is finished
            self._read_memo()
        position, new = self.store.record_ids_after(self.record_type, self._position)
        if self._open is None:
            self._open = {}
        for record_id in new:
            self._open.setdefault(record_id)
        self._position = position
        return self._open

    def _open_message(self, table: str, position: int, ids: Sequence[str]) -> str:
        return f"{table}\x00{TICK_OPEN_KEY}\x00{position}\x00{','.join(ids)}"

    def _read_open(self) -> None:
        """The open records and the log position an earlier process kept (ADR 0059), if the
        row's tag verifies; otherwise the walk reads the whole log, as without the row."""
        table = get_topic(self.record_type)
        try:
            rows = dict(self.office.views.store.scan(TICK_OPEN_VIEW, table))
        except (StoreUnavailable, CorruptViewRow) as e:
            log.warning("open records of %s not read; the log is read: %s", self._kind_name, e)
            return
        doc = rows.get(TICK_OPEN_KEY)
        if doc is None:
            return
        position, ids = doc.get("position"), doc.get("ids")
        if (
            not isinstance(position, int)
            or isinstance(position, bool)
            or position < 0
            or not isinstance(ids, list)
            or not all(isinstance(i, str) for i in ids)
            or not self._open_row_ok(self._open_message(table, position, ids), doc.get("tag"))
        ):
            log.warning(
                "open records of %s: the kept row does not verify; the log is read",
                self._kind_name,
            )
            return
        try:
            self._open = dict.fromkeys(uuid.UUID(i) for i in ids)
        except ValueError:
            log.warning("open records of %s: not record ids; the log is read", self._kind_name)
            return
        self._position = position

    def _open_row_ok(self, message: str, tag: object) -> bool:
        """The row's tag verifies. Unlike a memo row (ADR 0031), a row that cannot be checked
        is not believed: a wrong list would hide open records, a whole-log walk only costs
        time."""
        try:
            return self.office.audit.check_mac(
                TICK_MEMO_PURPOSE, message, tag if isinstance(tag, str) else None
            )
        except AuditUnavailable:
            return False

    def _memo_tag(self, table: str, key: str, version: object) -> str | None:
        """The tag a tick-memo row carries: over the kind, the record id and the version it
        was found finished at, under the audit key (None: the store has no tamper
        evidence)."""
        try:
            return self.office.audit.mac(TICK_MEMO_PURPOSE, f"{table}\x00{key}\x00{version}")
        except AuditUnavailable:
            return None

    def _memo_row_ok(self, table: str, key: str, doc: Mapping[str, Any]) -> bool:
        """The memo row's tag verifies (a row from an older release, or forged, does not)."""
        try:
            tag = doc.get("tag")
            return self.office.audit.check_mac(
                TICK_MEMO_PURPOSE,
                f"{table}\x00{key}\x00{doc.get('v')}",
                tag if isinstance(tag, str) else None,
            )
        except AuditUnavailable:
            return True

    def _read_memo(self) -> None:
        """Add the records earlier processes found finished to :attr:`_finished` (once per
        process). A memo that cannot be read is logged and the walk looks at every record,
        as with no memo; the next walk tries again. A row whose tag does not verify (forged,
        edited, or written by an older release) is ignored: that record is looked at."""
        if self._memo_read:
            return
        views = self.office.views.store
        table = get_topic(self.record_type)
        try:
            rows = list(views.scan(TICK_MEMO_VIEW, table))
        except StoreUnavailable as e:
            log.warning(
                "tick memo of %s not read; every record is looked at: %s", self._kind_name, e
            )
            return
        except CorruptViewRow as e:
            log.warning("tick memo of %s unreadable; every record is looked at: %s", table, e)
            self._memo_read = True
            return
        ignored = 0
        for key, doc in rows:
            if not self._memo_row_ok(table, key, doc):
                ignored += 1
                continue
            try:
                self._finished.add(uuid.UUID(key))
            except ValueError:
                log.warning("tick memo of %s: %r is not a record id, ignored", self._kind_name, key)
        if ignored:
            log.warning(
                "tick memo of %s: %d row(s) without a valid tag ignored (those records are "
                "looked at; `govoffice audit verify --views` reports them)",
                self._kind_name,
                ignored,
            )
        self._memo_read = True

    @property
    def _kind_name(self) -> str:
        return self.record_type.__name__

    def _write_memo(self) -> None:
        """Remember the records found finished since the last write, in one view transaction
        that moves no view position. A failure is logged and the ids are kept for the next
        walk: the memo is only a cache, the step's own work is already saved."""
        open_now = (self._position, tuple(self._open or ()))
        if not self._unsaved and open_now == self._open_written:
            return
        batch = dict(self._unsaved)
        table = get_topic(self.record_type)
        try:
            with self.office.views.store.transaction({}) as tx:
                for record_id, version in sorted(batch.items(), key=lambda kv: str(kv[0])):
                    key = str(record_id)
                    tag = self._memo_tag(table, key, version)
                    tx.put(TICK_MEMO_VIEW, table, key, {"v": version, "tag": tag})
                if open_now != self._open_written:
                    ids = [str(i) for i in open_now[1]]
                    message = self._open_message(table, open_now[0], ids)
                    try:
                        tag = self.office.audit.mac(TICK_MEMO_PURPOSE, message)
                    except AuditUnavailable:
                        tag = None
                    doc = {"position": open_now[0], "ids": ids, "tag": tag}
                    tx.put(TICK_OPEN_VIEW, table, TICK_OPEN_KEY, doc)
        except StoreUnavailable as e:
            log.warning(
                "tick memo of %s not written (%d records): %s", self._kind_name, len(batch), e
            )
            return
        self._open_written = open_now
        for record_id in batch:
            self._unsaved.pop(record_id, None)

    # --- the unit of work -------------------------------------------------------------------

    def _when(self, at: object) -> pendulum.DateTime:
        # ``at`` was checked against the public command's annotation by the facade
        return self.office.business_time(cast("datetime | str | None", at))

    def _who(self, by: object) -> PersonId:
        return PersonId(text(by, "办理人 by"))

    def _org(self, *, for_reading: bool = True) -> Organisation:
        """The organisation, consulted (not changed) by another record's command."""
        try:
            return self.store.get(Organisation, Organisation.create_id(), for_reading=for_reading)
        except RecordNotFound:
            raise OrganisationNotEstablished() from None

    def _record_and_org(self, record_id: uuid.UUID | str) -> tuple[A, Organisation]:
        """The record (a copy, to change) and the organisation (to consult), with one read of
        the store when both are cached (ADR 0060)."""
        try:
            record, org = self.store.load(
                Want(self.record_type, record_id),
                Want(Organisation, Organisation.create_id(), for_reading=True),
            )
        except RecordNotFound:
            self.get(record_id)  # the record's own "not found", if it is the record
            raise OrganisationNotEstablished() from None
        return cast(A, record), cast(Organisation, org)

    def _change(self, record_id: uuid.UUID | str, decide: Callable[[A, Organisation], R]) -> R:
        """Load the record and the organisation, decide (the domain checks and records),
        and save atomically; a refused decision raises and saves nothing."""

        def attempt() -> R:
            record, org = self._record_and_org(record_id)
            result = decide(record, org)
            self._save(org, record)
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

    def _save(self, org: Organisation, *records: OfficeAggregate) -> None:
        """The unit of work's last step: the late-entry rules (ADR 0025) for every record
        with new decisions, then one atomic save that hands the records to the cache."""
        for record in records:
            if record.pending_events:
                self._check_late_entries(record, org)
        self.store.save(*records, hand_over=True)

    def _check_late_entries(self, record: OfficeAggregate, org: Organisation) -> None:
        """补录 (ADR 0025): a decision recorded more than the policy's delay after its business
        time is a late entry. Under the strict policy its actor must still hold the authority
        when it is recorded, unless the general office enters it (``office.late_entry``),
        in which case a ``LateEntryRecorded`` event names the clerk and the reason."""
        pending = [
            e
            for e in record.pending_events
            if getattr(e, "by", TICK_ACTOR) != TICK_ACTOR
            and getattr(e, "at", None) is not None
            and type(e).__name__ != "LateEntryRecorded"
        ]
        policy = org.late_entry_policy
        delay = timedelta(hours=policy.delay_hours)
        # the plain datetime difference: pendulum's own builds an Interval (ten times slower)
        late = [
            e
            for e in pending
            if datetime.__sub__(e.timestamp, e.at) > delay  # type: ignore[attr-defined]
        ]
        if not late:
            return
        entry = _LATE_ENTRY.get()
        if entry is not None:
            recorded = late[-1].timestamp
            authorise(org, type(record), "LateEntryRecorded", by=entry.by, at=recorded)
            record.record_late_entry(
                versions=[e.originator_version for e in late],
                reason=entry.reason,
                by=entry.by,
                at=late[-1].at,  # type: ignore[attr-defined]
            )
            return
        if not policy.strict:
            return
        before: Any = self._state_before(record)
        for e in record.pending_events:
            if e in late:
                verdict = judge(
                    org,
                    type(record),
                    type(e).__name__,
                    by=e.by,  # type: ignore[attr-defined]
                    at=e.timestamp,
                    record=before,
                    on_behalf_of=getattr(e, "on_behalf_of", None),
                    facts={k: v for k, v in vars(e).items() if not k.startswith("originator_")},
                )
                if verdict.held is False or verdict.substitute_valid is False:
                    raise LateEntryRefused(
                        verdict.person or "",
                        verdict.required,
                        e.at,  # type: ignore[attr-defined]
                        e.timestamp,
                    )
            before = e.mutate(before)

    def _state_before(self, record: OfficeAggregate) -> Any:
        """The record as stored, before this unit of work's pending events (None when it is
        new): only asked for in the rare case of a strict late entry."""
        first = record.pending_events[0].originator_version
        if first == 1:
            return None
        return self.store.get(type(record), record.id, version=first - 1)

    def _series(
        self, kind: str, code: str, year: int, who: PersonId, when: pendulum.DateTime
    ) -> NumberSeries:
        """The numbering series of ``kind`` for ``code`` and ``year`` (started if new); a
        number taken from it is saved in the same atomic write as the record (ADR 0003)."""
        series_id = NumberSeries.create_id(kind, code, year)
        try:
            return self.store.get(NumberSeries, series_id)  # one read (ADR 0060)
        except RecordNotFound:
            return NumberSeries.start(kind=kind, code=code, year=year, by=who, at=when)

    def _numbering(
        self,
        record_id: uuid.UUID | str,
        kind: str,
        code_of: Callable[[A, Organisation], str],
        who: PersonId,
        when: pendulum.DateTime,
    ) -> tuple[A, Organisation, NumberSeries]:
        """For a command that takes a number: the record (a copy), the organisation and the
        series of ``kind`` whose code ``code_of`` names for the record's year, read with one
        statement when all three are cached (ADR 0060). The series is guessed from the
        cached record and organisation; when the guess proves wrong on the fresh ones (the
        code changed meanwhile), the right series is read on its own."""
        org_id = Organisation.create_id()
        guess: uuid.UUID | None = None
        cached_record, cached_org = self.store.cached(record_id), self.store.cached(org_id)
        if isinstance(cached_record, self.record_type) and isinstance(cached_org, Organisation):
            code = code_of(cached_record, cached_org)
            guess = NumberSeries.create_id(kind, code, cached_org.day_of(when).year)
        wanted = [Want(self.record_type, record_id), Want(Organisation, org_id, for_reading=True)]
        if guess is not None:
            wanted.append(Want(NumberSeries, guess, optional=True))
        try:
            loaded = self.store.load(*wanted)
        except RecordNotFound:
            self.get(record_id)  # the record's own "not found", if it is the record
            raise OrganisationNotEstablished() from None
        record, org = cast(A, loaded[0]), cast(Organisation, loaded[1])
        code, year = code_of(record, org), org.day_of(when).year
        if guess != NumberSeries.create_id(kind, code, year):
            return record, org, self._series(kind, code, year, who, when)
        series = loaded[2]
        if series is None:  # read just now: the year's first number
            series = NumberSeries.start(kind=kind, code=code, year=year, by=who, at=when)
        return record, org, cast(NumberSeries, series)

    def _numbered(self, kind: str, code: str, year: int, serial: int) -> uuid.UUID | None:
        """The id of the record that took ``serial`` from the series, if any."""
        series_id = NumberSeries.create_id(kind, code, year)
        try:
            series = self.store.get(NumberSeries, series_id, for_reading=True)
        except RecordNotFound:
            return None
        return series.holder(serial)

    def _create(self, build: Callable[[Organisation], A]) -> uuid.UUID:
        def attempt() -> uuid.UUID:
            org = self._org()
            record = build(org)
            self._save(org, record)
            return record.id

        return self.store.run(attempt)
