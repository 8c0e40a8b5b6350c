"""The event-sourced application that holds every aggregate of one office, and the unit of
work every command goes through: load, check, record, save atomically, retry on conflict.
"""

from __future__ import annotations

import copy
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, ClassVar, NamedTuple, Protocol, TypeVar, runtime_checkable

import pendulum
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import (
    Aggregate,
    CanInitAggregate,
    CanMutateAggregate,
    DomainEventProtocol,
)
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    PersistenceError,
    Recording,
    StoredEvent,
    Transcoder,
    Transcoding,
    TranscodingNotRegisteredError,
)
from eventsourcing.utils import get_topic

from govoffice.domain.base import recording_clock
from govoffice.domain.errors import (
    ConcurrentChange,
    CorruptRecord,
    GovOfficeError,
    InvalidInput,
    RecordNotFound,
    StoreUnavailable,
)
from govoffice.domain.values import business_time, positive_int

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")

MAX_ATTEMPTS = 30
"""How often a command is tried when concurrent writers keep winning the race for a record."""
BACKOFF_CAP = 0.05
"""The longest pause (seconds) between two attempts; pauses grow from ~1 ms with jitter."""

MAX_EVENT_BYTES = 4 * 1024 * 1024
"""The largest encoded event (bytes) the office stores: a backstop behind the fields'
limits (``govoffice.domain.values.FIELD_LIMITS``), well below the size at which a
PostgreSQL write stalls (ADR 0035)."""


class EventTooLarge(InvalidInput):
    """One recorded decision would be larger than the store takes."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"记录内容过大: {size} 字节,最多 {limit} 字节 (event too large; nothing was written)",
            size=size,
            limit=limit,
        )


class StaleVersion(GovOfficeError):
    """The caller acted on a version of the record that is no longer the latest (HTTP
    ``If-Match``): another decision was recorded since it read the record. Nothing is
    recorded; read the record again and decide anew (ADR 0056)."""

    def __init__(self, record_id: object, expected: int, current: int) -> None:
        super().__init__(
            f"{record_id} 已有新的办理: 请求所据为版本 {expected},当前为版本 {current};"
            "请重新读取后再办理 (stale version: the record has changed since it was read)",
            record_id=record_id,
            expected=expected,
            current=current,
        )


class VersionGuard:
    """The versions a unit of work expects its records to be at (``expected``, by id) and
    the versions the records it saved reached (``saved``): see :func:`expecting_versions`."""

    def __init__(self, expected: Mapping[uuid.UUID, int]) -> None:
        self.expected = dict(expected)
        self.saved: dict[uuid.UUID, int] = {}

    def check(self, aggregates: Sequence[Aggregate]) -> None:
        for aggregate in aggregates:
            want = self.expected.get(aggregate.id)
            pending = aggregate.pending_events
            if want is not None and pending:
                had = pending[0].originator_version - 1
                if had != want:
                    raise StaleVersion(aggregate.id, want, had)

    def record(self, aggregates: Sequence[Aggregate], versions: Sequence[int]) -> None:
        for aggregate, version in zip(aggregates, versions, strict=True):
            self.saved[aggregate.id] = version


_GUARD: ContextVar[VersionGuard | None] = ContextVar("govoffice_version_guard", default=None)


@contextmanager
def expecting_versions(expected: Mapping[uuid.UUID, int]) -> Iterator[VersionGuard]:
    """Within the block, a save that would record a new decision on a record of
    ``expected`` whose stored version is not the one given raises :class:`StaleVersion` and
    writes nothing. The check is made at the save, under the store's optimistic
    concurrency: a decision recorded by another writer between the load and the save makes
    the save conflict, the command is tried again, and the check then refuses it. The
    guard also remembers the version each saved record reached (an adapter's ETag)."""
    guard = VersionGuard(expected)
    token = _GUARD.set(guard)
    try:
        yield guard
    finally:
        _GUARD.reset(token)


class SizeLimitedJSONTranscoder(JSONTranscoder):
    """The library's JSON transcoder, refusing an event larger than :data:`MAX_EVENT_BYTES`
    before anything reaches the database."""

    max_bytes = MAX_EVENT_BYTES

    def encode(self, obj: Any) -> bytes:
        data = super().encode(obj)
        if len(data) > self.max_bytes:
            raise EventTooLarge(len(data), self.max_bytes)
        return data


SelectAfter = Callable[[Any, Sequence[tuple[uuid.UUID, int]]], "list[StoredEvent] | None"]
"""Reads, in one statement, the stored events of several records written after the given
versions (the recorder, ``(record id, version)`` pairs; ``None``: the recorder is not one it
reads). The adapters provide it for SQLite and PostgreSQL (ADR 0060)."""

MapperFactory = Callable[["OfficeApplication", Transcoder], Mapper[uuid.UUID]]
"""Builds the application's mapper from the application (its settings and infrastructure
factory) and its transcoder; the adapters' hash-chain mapper is one (ADR 0018)."""


@runtime_checkable
class KeepsUnsavedState(Protocol):
    """A mapper that remembers something about the events it encodes before the store has
    them (the hash chain's heads, ADR 0018): told when a save fails, it forgets it."""

    def discard_unsaved(self, originator_ids: Sequence[uuid.UUID]) -> None: ...


@runtime_checkable
class FollowsTheLog(Protocol):
    """A mapper that acts as the log grows (the hash chain's sealed heads, ADR 0030): told
    the last notification id after each save, and when the application closes. It must not
    raise: the save it follows is already stored."""

    def recorded(self, last_notification_id: int) -> None: ...

    def closing(self) -> None: ...


class OfficeApplication(Application[uuid.UUID]):
    """One office's event store: every aggregate, one notification log (the audit trail)."""

    name = "govoffice"
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "2000",
        "SQLITE_LOCK_TIMEOUT": "30",
    }

    key_error: GovOfficeError | None = None
    """Set when the store is encrypted and this process has no key (ADR 0034): the log can
    be verified (the hash chain needs no key), but reading a record or writing one raises
    this error, which names the variable that holds the key."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        transcodings: Sequence[Transcoding] = (),
        store_url: str = "memory",
        mapper_factory: MapperFactory | None = None,
        select_after: SelectAfter | None = None,
    ) -> None:
        self._transcodings = tuple(transcodings)
        self.select_after = select_after
        """One read of several records' new events (None: each record is read on its own)."""
        self._mapper_factory = mapper_factory
        self.store_url = store_url
        super().__init__(env)
        self._follower = self.mapper if isinstance(self.mapper, FollowsTheLog) else None

    def _notify(self, recordings: list[Recording[uuid.UUID]]) -> None:
        if recordings and self._follower is not None:
            self._follower.recorded(recordings[-1].notification.id)

    def close(self) -> None:
        if self._follower is not None:
            self._follower.closing()
        super().close()

    def construct_mapper(self) -> Mapper[uuid.UUID]:
        """The library's mapper, or the one ``mapper_factory`` builds (called before the
        recorder exists: a mapper that needs the recorder reaches it later, lazily)."""
        if self._mapper_factory is None:
            return super().construct_mapper()
        return self._mapper_factory(self, self.construct_transcoder())

    def construct_transcoder(self) -> Transcoder:
        transcoder = self.factory.transcoder()
        if type(transcoder) is JSONTranscoder:  # the default: the same, with a size limit
            transcoder = SizeLimitedJSONTranscoder()
        if isinstance(transcoder, JSONTranscoder):
            self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in self._transcodings:
            transcoder.register(transcoding)


READ_AT_ONCE = 200
"""How many records :meth:`Store.load` reads with one statement."""


class Want(NamedTuple):
    """One record a command loads with others (:meth:`Store.load`)."""

    cls: type[Aggregate]
    record_id: object
    for_reading: bool = False
    """Not copied out of the cache: only for a record the command consults, never changes."""
    optional: bool = False
    """None instead of :class:`RecordNotFound` when there is no such record."""


class Store:
    """What the services share: the application and its error translation."""

    def __init__(self, app: OfficeApplication) -> None:
        self.app = app
        self.recording_clock: Callable[[], datetime] | None = None
        """When events are recorded (their ``timestamp``): the wall clock unless set (tests
        set it to say when a late entry was made)."""
        self._ids: dict[type[Aggregate], tuple[int, list[uuid.UUID]]] = {}
        self._ids_lock = threading.Lock()

    def get(
        self,
        cls: type[A],
        record_id: object,
        *,
        version: int | None = None,
        for_reading: bool = False,
    ) -> A:
        """Load an aggregate; unknown or malformed ids give :class:`RecordNotFound`.

        ``for_reading=True`` skips the defensive copy of a cached aggregate: only for callers
        that never change it (e.g. the organisation consulted by another record's command).
        """
        rid = as_uuid(record_id, getattr(cls, "KIND", cls.__name__))
        if version is not None:
            positive_int(version, "版本号 version")
        with self.translated(f"读取 {rid}"):
            try:
                aggregate: Aggregate = self.app.repository.get(
                    rid, version=version, deepcopy_from_cache=not for_reading
                )
            except AggregateNotFoundError:
                raise RecordNotFound(getattr(cls, "KIND", cls.__name__), rid) from None
        if not isinstance(aggregate, cls):
            raise RecordNotFound(getattr(cls, "KIND", cls.__name__), rid)
        if version is not None and aggregate.version < version:  # the library gives the last
            kind = getattr(cls, "KIND", cls.__name__)
            raise RecordNotFound(f"{kind}(版本 {version},最新为版本 {aggregate.version})", rid)
        return aggregate

    def load(self, *wanted: Want) -> list[Any]:
        """Several records (a command's own, the organisation, a number series; the records a
        time-driven step looks at), as :meth:`get` loads each, with one read of the store for
        all of them (ADR 0060). The results come in the order asked.

        A record found in the aggregate cache is brought up to date, as the library does on
        every load: the events written since the cached version (by this process or by any
        other) are read and applied. A record not in the cache is read whole and cached. The
        library reads each record with its own ``SELECT``; here one ``SELECT`` reads them
        all (at most :data:`READ_AT_ONCE` per statement)."""
        repository: Any = self.app.repository
        if repository.cache is None or self.app.select_after is None:
            return [self._get_or_none(want) for want in wanted]
        ids = [as_uuid(want.record_id, _kind(want.cls)) for want in wanted]
        unique = sorted(set(ids))
        if len(unique) == 1:  # nothing to share: the library's own load
            return [self._get_or_none(want) for want in wanted]
        current: dict[uuid.UUID, Any] = {}
        for at in range(0, len(unique), READ_AT_ONCE):
            read = self._read_current(unique[at : at + READ_AT_ONCE])
            if read is None:  # a store select_after does not read (memory)
                return [self._get_or_none(want) for want in wanted]
            current.update(read)
        found: list[Any] = []
        for want, rid in zip(wanted, ids, strict=True):
            aggregate = current.get(rid)
            if aggregate is None or not isinstance(aggregate, want.cls):
                if want.optional:
                    found.append(None)
                    continue
                raise RecordNotFound(_kind(want.cls), rid)
            if not want.for_reading and repository.deepcopy_from_cache:
                aggregate = copy.deepcopy(aggregate)
            found.append(aggregate)
        return found

    def cached(self, record_id: object) -> object | None:
        """The aggregate cache's copy of a record, as it is (possibly behind the store; not
        to be changed), or None: for guessing what else a command will need."""
        cache = self.app.repository.cache
        if cache is None:
            return None
        try:
            rid = as_uuid(record_id, "记录")
            return cache.get(rid)
        except (KeyError, RecordNotFound):
            return None

    def _get_or_none(self, want: Want) -> Any:
        try:
            return self.get(want.cls, want.record_id, for_reading=want.for_reading)
        except RecordNotFound:
            if want.optional:
                return None
            raise

    def _read_current(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any] | None:
        """The records ``ids`` (sorted) as stored now, with one read, cached: each cached
        one brought up to date under the library's fast-forward lock of each (taken in id
        order, so two threads cannot deadlock), each other one read whole. None for a
        record that does not exist. None when ``select_after`` does not read this store."""
        repository: Any = self.app.repository
        locks = [repository._use_fastforward_lock(rid) for rid in ids]
        held: list[threading.Lock] = []
        try:
            for lock in locks:
                lock.acquire()
                held.append(lock)
            return self._read_new_events(ids)
        finally:
            for lock in reversed(held):
                lock.release()
            for rid in ids:
                repository._disuse_fastforward_lock(rid)

    def _read_new_events(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any] | None:
        """Under the fast-forward locks: each record of ``ids`` with the events stored after
        its cached version applied (all of them for a record not cached)."""
        cache: Any = self.app.repository.cache
        select: Any = self.app.select_after
        current: dict[uuid.UUID, Any] = {}
        for rid in ids:
            try:
                current[rid] = cache.get(rid)
            except KeyError:
                current[rid] = None
        with self.translated(f"读取 {', '.join(str(r) for r in ids)}"):
            after = [(r, 0 if a is None else a.version) for r, a in current.items()]
            stored = select(self.app.recorder, after)
            if stored is None:  # not a recorder select_after reads: nothing was read
                return None
            new: dict[uuid.UUID, list[Any]] = {}
            for s in stored:
                event = self.app.mapper.to_domain_event(s)
                new.setdefault(uuid.UUID(str(s.originator_id)), []).append(event)
            for rid, aggregate in current.items():
                projected = aggregate
                for event in new.get(rid, ()):
                    projected = event.mutate(projected)
                if projected is not aggregate and projected is not None:
                    cache.put(rid, projected)
                current[rid] = projected
        return current

    def exists(self, record_id: uuid.UUID) -> bool:
        # ``record_id in repository`` would load the aggregate and deep-copy it from the cache
        # only to throw the copy away: load it without the copy instead
        with self.translated(f"读取 {record_id}"):
            try:
                self.app.repository.get(record_id, deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return False
            return True

    def save(self, *aggregates: Aggregate, hand_over: bool = False) -> int | None:
        """Save all pending events of all aggregates in one atomic write; returns the
        notification id of the last event written (a read-your-writes token).

        ``hand_over=True`` is the unit of work's last step: the caller is done with the
        aggregates, so once saved they become the aggregate cache's copy of their records
        and the next command finds them current (the library would otherwise read back and
        decode the events just written, to fast-forward its older cached copy). A caller
        that hands an aggregate over must not change it afterwards; it loads the record
        again for its next change. Nothing is handed over when the save fails.
        """
        if self.app.key_error is not None:  # never plain events into an encrypted store
            raise self.app.key_error
        guard = _GUARD.get()
        if guard is not None:
            guard.check(aggregates)
        versions = [a.version for a in aggregates]
        try:
            with self.translated("写入", writing=True):
                recordings = self.app.save(*aggregates)
        except BaseException:
            if isinstance(self.app.mapper, KeepsUnsavedState):
                self.app.mapper.discard_unsaved([a.id for a in aggregates])
            raise
        if guard is not None:
            guard.record(aggregates, versions)
        if hand_over:
            cache = self.app.repository.cache
            if cache is not None:
                for aggregate in aggregates:
                    if not aggregate.pending_events:
                        cache.put(aggregate.id, aggregate)
        return recordings[-1].notification.id if recordings else None

    def record_ids(self, cls: type[Aggregate]) -> list[uuid.UUID]:
        """The ids of every record of one kind, in the order they were created (read from the
        notification log, filtered on the kind's creation topic). The ids and the position
        reached are remembered per kind, so a call reads only the log written since the
        previous one (records are never deleted; the log only grows)."""
        with self._ids_lock:
            position, ids = self._ids.get(cls, (0, []))
            last, new = self.record_ids_after(cls, position)
            ids.extend(new)
            self._ids[cls] = (last, ids)
            return list(ids)

    def record_ids_after(self, cls: type[Aggregate], position: int) -> tuple[int, list[uuid.UUID]]:
        """The ids of the records of one kind created after log position ``position``, in
        the order they were created, and the position read up to (the log's last now)."""
        topics = [
            get_topic(obj)
            for obj in vars(cls).values()
            if isinstance(obj, type) and issubclass(obj, CanInitAggregate)
        ]
        ids: list[uuid.UUID] = []
        with self.translated("读取通知日志"):
            last = self.app.recorder.max_notification_id() or 0
            start = position + 1
            while start <= last:
                page = self.app.recorder.select_notifications(
                    start=start, limit=1000, stop=last, topics=topics
                )
                ids.extend(uuid.UUID(str(n.originator_id)) for n in page)
                if len(page) < 1000:
                    break
                start = page[-1].id + 1
        return max(position, last), ids

    def changed_since(self, cls: type[Aggregate], position: int) -> tuple[int, set[uuid.UUID]]:
        """The ids of the records that took an event of ``cls``'s kinds (its own and its base
        classes' event topics) after notification ``position``, and the position reached: an
        in-process index reads only the log written since it last looked."""
        topics = sorted(
            {
                get_topic(obj)
                for klass in cls.__mro__
                for obj in vars(klass).values()
                if isinstance(obj, type) and issubclass(obj, CanMutateAggregate)
            }
        )
        changed: set[uuid.UUID] = set()
        with self.translated("读取通知日志"):
            last = self.app.recorder.max_notification_id() or 0
            start = position + 1
            while start <= last:
                page = self.app.recorder.select_notifications(
                    start=start, limit=1000, stop=last, topics=topics
                )
                changed.update(uuid.UUID(str(n.originator_id)) for n in page)
                if len(page) < 1000:
                    break
                start = page[-1].id + 1
        return max(position, last), changed

    def events(self, record_id: object, kind: str = "记录") -> list[DomainEventProtocol[uuid.UUID]]:
        rid = as_uuid(record_id, kind)
        with self.translated(f"读取 {rid}"):
            events = list(self.app.events.get(rid))
        if not events:
            raise RecordNotFound(kind, rid)
        return events

    def as_of(self, cls: type[A], record_id: object, at: object) -> A:
        """The state of a record as of a business time: every decision dated at or before
        ``at`` replayed, nothing after."""
        moment = business_time(at)
        kind = getattr(cls, "KIND", cls.__name__)
        events = self.events(record_id, kind)
        # every event dated at or before ``moment``, in recorded order (a record's own steps
        # are in business-time order; the organisation's back-dated changes need not be)
        upto = [e for e in events if getattr(e, "at", moment) <= moment]
        if not upto:
            raise RecordNotFound(f"{kind}(在 {moment} 时尚不存在)", record_id)
        aggregate: Any = None
        e: Any
        with self.translated(f"读取 {record_id}"):
            for e in upto:
                aggregate = e.mutate(aggregate)
        if not isinstance(aggregate, cls):
            raise RecordNotFound(kind, record_id)
        return aggregate

    def run(self, attempt: Callable[[], R], record_id: object = None) -> R:
        """Run a load-decide-save attempt, retrying when a concurrent writer got there first
        (each retry reloads, so the decision is taken again on the new state). Pauses between
        attempts grow exponentially with full jitter, so racing writers spread out."""
        for n in range(MAX_ATTEMPTS):
            try:
                with recording_clock(self.recording_clock):
                    return attempt()
            except ConcurrentChange:
                time.sleep(random.uniform(0, min(BACKOFF_CAP, 0.001 * 2**n)))
        raise ConcurrentChange(record_id, MAX_ATTEMPTS)

    @contextmanager
    def translated(self, what: str, *, writing: bool = False) -> Iterator[None]:
        """Turn the storage library's failures into govoffice errors (nothing half-written:
        eventsourcing writes all events of one save in one transaction). A stored event
        that cannot be decoded or replayed is a :class:`CorruptRecord`; a value that cannot
        be encoded while ``writing`` is :class:`InvalidInput`."""
        try:
            yield
        except GovOfficeError:
            raise
        except IntegrityError as e:
            raise ConcurrentChange(what, 1) from e
        except TranscodingNotRegisteredError as e:
            raise InvalidInput(f"{what}: 无法保存的数据类型 ({e})") from e
        except PersistenceError as e:
            raise StoreUnavailable(self.app.store_url, f"{what}: {e}") from e
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            if _from_store(e):
                if self.app.key_error is not None:
                    raise self.app.key_error from None
                if writing:
                    raise InvalidInput(f"{what}: 无法保存的数据 ({type(e).__name__}: {e})") from e
                raise CorruptRecord(what, f"{type(e).__name__}: {e}") from e
            raise


def _from_store(error: BaseException) -> bool:
    """True when the error arose inside the storage library, the JSON codec or cattrs, i.e.
    while encoding, decoding or replaying stored data (not from a caller's bug)."""
    tb = error.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("eventsourcing.", "json", "cattrs")):
            return True
        tb = tb.tb_next
    return False


def _kind(cls: type[Aggregate]) -> str:
    return str(getattr(cls, "KIND", cls.__name__))


def as_uuid(record_id: object, kind: str) -> uuid.UUID:
    if isinstance(record_id, uuid.UUID):
        return record_id
    if isinstance(record_id, str):
        try:
            return uuid.UUID(record_id)
        except ValueError:
            pass
    raise RecordNotFound(kind, record_id)


def moment(at: object, clock: Callable[[], pendulum.DateTime]) -> pendulum.DateTime:
    """Business time of a command: the caller's ``at``, or the office clock's now."""
    return clock() if at is None else business_time(at)
