"""防篡改 the hash chain inside every stored event (ADR 0018).

:class:`HashChainMapper` is eventsourcing's :class:`~eventsourcing.persistence.Mapper` with
one more step, so it works on every recorder (memory, SQLite, PostgreSQL). The stored
``state`` becomes an envelope::

    MAGIC (7 bytes) | mode (1 byte: 0 SHA-256, 1 HMAC-SHA256) | hash (32 bytes) | payload

where ``payload`` is exactly what the plain mapper stores (the transcoded event, compressed
and encrypted when configured, so verifying needs no cipher key), and::

    hash = H(prev_hash | originator_id | version | topic | payload)

``prev_hash`` is the hash of the same record's previous version (32 zero bytes for version
1). ``H`` is HMAC-SHA256 under the audit key (``GOVOFFICE_AUDIT_KEY``, or ``AUDIT_KEY`` in
``open_office(env=...)``) when one is configured, plain SHA-256 otherwise. Decoding strips
the envelope; states without one (written before the chain existed) still read.

The mapper learns the previous hashes from the events it decodes and encodes (a bounded
per-record cache; a hash it computed is trusted only by the thread that computed it, until
the store confirms it); when it does not know one it reads the record's previous event
through the recorder. Two writers of the same version still collide on the store's unique key, so
each record's chain stays linear.

:class:`ChainAudit` walks the whole log in notification order: it recomputes every
record's chain (finding edited, inserted, reordered and deleted events) and a running hash
over the log, ``g_n = H(g_{n-1} | h_n)``, which it compares with the checkpoints kept apart
from the events (finding a truncated tail, a deleted last event, a reordered pair of
records).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import CanSnapshotAggregate, DomainEventProtocol
from eventsourcing.persistence import (
    ApplicationRecorder,
    Cipher,
    Compressor,
    Mapper,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import resolve_topic

from govoffice.adapters.checkpoints import CheckpointStore, checkpoint_store
from govoffice.application.audit import (
    Break,
    Checkpoint,
    EventSeal,
    UnverifiedEvent,
    VerifyReport,
)

if TYPE_CHECKING:
    from govoffice.application.app import OfficeApplication

MAGIC = b"\x89GOVHC\x01"
"""Opens every sealed state: a byte no JSON text or zlib stream starts with, the name, and
the envelope's format version."""
MODE_SHA256 = 0
MODE_HMAC = 1
HASH_SIZE = 32
HEADER_SIZE = len(MAGIC) + 1 + HASH_SIZE
GENESIS = bytes(HASH_SIZE)
"""The ``prev_hash`` of a record's first event."""
_EVENT_TAG = b"govoffice/event/v1\x00"
_LOG_TAG = b"govoffice/log/v1\x00"
PAGE = 1000


class ChainHash:
    """The hash function of the chain: HMAC-SHA256 under ``key``, else SHA-256."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or None

    @property
    def mode(self) -> int:
        return MODE_HMAC if self.key else MODE_SHA256

    def _new(self) -> Any:
        if self.key:
            return hmac.new(self.key, digestmod=hashlib.sha256)
        return hashlib.sha256()

    def event(
        self, prev: bytes, originator_id: str, version: int, topic: str, payload: bytes
    ) -> bytes:
        h = self._new()
        oid = originator_id.encode()
        top = topic.encode()
        h.update(_EVENT_TAG)
        h.update(prev)
        h.update(len(oid).to_bytes(4, "big"))
        h.update(oid)
        h.update(version.to_bytes(8, "big", signed=True))
        h.update(len(top).to_bytes(4, "big"))
        h.update(top)
        h.update(payload)
        digest: bytes = h.digest()
        return digest

    def log(self, running: bytes, event_hash: bytes) -> bytes:
        h = self._new()
        h.update(_LOG_TAG)
        h.update(running)
        h.update(event_hash)
        digest: bytes = h.digest()
        return digest

    def log_genesis(self) -> bytes:
        return self.log(GENESIS, GENESIS)


def seal(mode: int, event_hash: bytes, payload: bytes) -> bytes:
    return MAGIC + bytes([mode]) + event_hash + payload


class Envelope:
    """A stored state taken apart: ``sealed`` False for a state written without the chain."""

    __slots__ = ("event_hash", "malformed", "mode", "payload", "sealed")

    def __init__(self, state: bytes) -> None:
        self.malformed = False
        if not state.startswith(MAGIC):
            self.sealed = False
            self.mode = -1
            self.event_hash = b""
            self.payload = state
            return
        self.sealed = True
        if len(state) < HEADER_SIZE or state[len(MAGIC)] not in (MODE_SHA256, MODE_HMAC):
            self.malformed = True
            self.mode = -1
            self.event_hash = b""
            self.payload = state[len(MAGIC) :]
            return
        self.mode = state[len(MAGIC)]
        self.event_hash = bytes(state[len(MAGIC) + 1 : HEADER_SIZE])
        self.payload = bytes(state[HEADER_SIZE:])


class HashChainMapper(Mapper[uuid.UUID]):
    """The plain mapper, sealing each event in the record's hash chain (see the module)."""

    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
        *,
        key: bytes | None = None,
        recorder: Callable[[], ApplicationRecorder | None] = lambda: None,
        checkpoint_file: str | None = None,
        cache_size: int = 10_000,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.hasher = ChainHash(key)
        self._recorder = recorder
        self._heads: OrderedDict[str, tuple[int, bytes, int | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._cache_size = cache_size
        self.tamper_evidence = ChainAudit(self.hasher, recorder, checkpoint_file)
        """The :class:`~govoffice.application.audit.TamperEvidence` ``office.audit`` uses."""

    # --- the per-record cache of chain heads ---------------------------------------------
    #
    # A head read back from the store (decoded) is the truth. A head this mapper has just
    # computed (encoded) may never be stored: its insert can lose a race. It is used only by
    # the thread that wrote it (the next event of the same save, or that thread's next
    # command), and it never replaces a decoded head of the same or a later version; any
    # other thread asks the store.

    def _remember(self, oid: str, version: int, event_hash: bytes, *, decoded: bool) -> None:
        owner = None if decoded else threading.get_ident()
        with self._lock:
            known = self._heads.get(oid)
            if known is not None and (
                known[0] > version or (not decoded and known[2] is None and known[0] == version)
            ):
                self._heads.move_to_end(oid)
                return
            self._heads[oid] = (version, event_hash, owner)
            self._heads.move_to_end(oid)
            while len(self._heads) > self._cache_size:
                self._heads.popitem(last=False)

    def discard_unsaved(self, originator_ids: Sequence[uuid.UUID]) -> None:
        """Forget the heads this thread computed for these records: their save failed.

        Normally the thread that lost a race reads the winner's event back (decoded, the
        truth) before it tries again; but when the winner handed its aggregate over to the
        aggregate cache, nothing is read back, and the loser's own head for the same version
        would otherwise still be taken as the predecessor of its next attempt.
        """
        me = threading.get_ident()
        with self._lock:
            for originator_id in originator_ids:
                oid = str(originator_id)
                known = self._heads.get(oid)
                if known is not None and known[2] == me:
                    del self._heads[oid]

    def _known(self, oid: str, version: int) -> bytes | None:
        with self._lock:
            known = self._heads.get(oid)
        if known is None or known[0] != version:
            return None
        if known[2] is not None and known[2] != threading.get_ident():
            return None
        return known[1]

    def _prev_hash(self, originator_id: uuid.UUID | str, version: int) -> bytes:
        """The hash of the record's event ``version - 1`` (genesis for the first)."""
        if version <= 1:
            return GENESIS
        oid = str(originator_id)
        known = self._known(oid, version - 1)
        if known is not None:
            return known
        recorder = self._recorder()
        if recorder is None:
            return GENESIS
        rows = recorder.select_events(originator_id, lte=version - 1, desc=True, limit=1)
        if not rows or rows[0].originator_version != version - 1:
            # No predecessor stored (an event written out of sequence): chain from genesis;
            # verification reports the missing versions.
            return GENESIS
        envelope = Envelope(rows[0].state)
        if envelope.sealed and not envelope.malformed:
            return envelope.event_hash
        # The predecessor was written before the chain existed: its hash is computed over
        # the record's history from the start (the same "virtual" hashes verify computes).
        head = GENESIS
        for row in recorder.select_events(originator_id, lte=version - 1):
            env = Envelope(row.state)
            computed = self.hasher.event(head, oid, row.originator_version, row.topic, env.payload)
            head = env.event_hash if env.sealed and not env.malformed else computed
        return head

    # --- the mapper ----------------------------------------------------------------------

    def to_stored_event(self, domain_event: DomainEventProtocol[uuid.UUID]) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        if isinstance(domain_event, CanSnapshotAggregate):
            return stored  # snapshots live in their own table and are not part of the log
        version = stored.originator_version
        prev = self._prev_hash(stored.originator_id, version)
        oid = str(stored.originator_id)
        event_hash = self.hasher.event(prev, oid, version, stored.topic, stored.state)
        self._remember(oid, version, event_hash, decoded=False)
        return StoredEvent(
            originator_id=stored.originator_id,
            originator_version=version,
            topic=stored.topic,
            state=seal(self.hasher.mode, event_hash, stored.state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[uuid.UUID]:
        envelope = Envelope(stored_event.state)
        oid = str(stored_event.originator_id)
        version = stored_event.originator_version
        if envelope.sealed and not envelope.malformed:
            self._remember(oid, version, envelope.event_hash, decoded=True)
        elif not envelope.sealed:
            prev = GENESIS if version <= 1 else self._known(oid, version - 1)
            if prev is not None and not _is_snapshot(stored_event.topic):
                computed = self.hasher.event(
                    prev, oid, version, stored_event.topic, envelope.payload
                )
                self._remember(oid, version, computed, decoded=True)
        return super().to_domain_event(
            StoredEvent(
                originator_id=stored_event.originator_id,
                originator_version=version,
                topic=stored_event.topic,
                state=envelope.payload,
            )
        )


def _is_snapshot(topic: str) -> bool:
    try:
        cls = resolve_topic(topic)
    except Exception:
        return False
    return isinstance(cls, type) and issubclass(cls, CanSnapshotAggregate)


# --- verification ----------------------------------------------------------------------------


class _Head:
    __slots__ = ("event_hash", "notification_id", "version")

    def __init__(self, version: int, event_hash: bytes, notification_id: int) -> None:
        self.version = version
        self.event_hash = event_hash
        self.notification_id = notification_id


class ChainAudit:
    """Verifies the chain over a whole log and keeps its checkpoints (the
    :class:`~govoffice.application.audit.TamperEvidence` of a hash-chained store)."""

    def __init__(
        self,
        hasher: ChainHash,
        recorder: Callable[[], ApplicationRecorder | None],
        checkpoint_file: str | None = None,
    ) -> None:
        self.hasher = hasher
        self._recorder = recorder
        self._checkpoint_file = checkpoint_file
        self._store: CheckpointStore | None = None

    @property
    def keyed(self) -> bool:
        return self.hasher.key is not None

    def recorder(self) -> ApplicationRecorder:
        recorder = self._recorder()
        if recorder is None:
            raise RuntimeError("the office's event store is closed")
        return recorder

    def _checkpoint_store(self) -> CheckpointStore:
        if self._store is None:
            self._store = checkpoint_store(self.recorder(), self._checkpoint_file)
        return self._store

    def checkpoints(self) -> list[Checkpoint]:
        return sorted(self._checkpoint_store().load(), key=lambda c: c.notification_id)

    def write_checkpoint(self, report: VerifyReport) -> Checkpoint:
        existing = self.checkpoints()
        if existing and existing[-1].notification_id == report.last_notification_id:
            return existing[-1]  # nothing new since the last checkpoint
        checkpoint = Checkpoint(
            notification_id=report.last_notification_id,
            global_hash=report.global_hash,
            count=report.events,
            recorded_at=datetime.now(UTC),
            keyed=report.keyed,
        )
        self._checkpoint_store().add(checkpoint)
        return checkpoint

    def notifications(self) -> Iterator[Any]:
        recorder = self.recorder()
        start = 1
        while True:
            page = recorder.select_notifications(start=start, limit=PAGE)
            yield from page
            if len(page) < PAGE:
                return
            start = page[-1].id + 1

    def verify_event(self, record_id: uuid.UUID, version: int) -> EventSeal:
        event_id = f"{record_id}/{version}"
        rows = self.recorder().select_events(record_id, gt=max(version - 2, 0), lte=version)
        by_version = {r.originator_version: r for r in rows}
        row = by_version.get(version)
        if row is None:
            raise UnverifiedEvent(event_id, "missing", "存储中没有该事件 (no such event is stored)")
        envelope = Envelope(row.state)
        if not envelope.sealed or envelope.malformed:
            raise UnverifiedEvent(event_id, "unsealed", "该事件没有完好的封印 (no valid seal)")
        prev = GENESIS
        if version > 1:
            before = by_version.get(version - 1)
            previous = Envelope(before.state) if before is not None else None
            if previous is None or not previous.sealed or previous.malformed:
                raise UnverifiedEvent(
                    event_id, "sequence", f"前一版本 v{version - 1} 缺失或未封印 (predecessor)"
                )
            prev = previous.event_hash
        computed = self.hasher.event(prev, str(record_id), version, row.topic, envelope.payload)
        if not hmac.compare_digest(computed, envelope.event_hash):
            raise UnverifiedEvent(
                event_id, "altered", "内容与封印不符 (the stored event does not match its seal)"
            )
        return EventSeal(record_id, version, row.topic)

    def verify(self) -> VerifyReport:
        walk = _Walk(self.hasher, self.checkpoints())
        for notification in self.notifications():
            walk.step(notification)
        return walk.finish()


class _Walk:
    """One pass over the log in notification order (see :meth:`ChainAudit.verify`)."""

    def __init__(self, hasher: ChainHash, checkpoints: Sequence[Checkpoint]) -> None:
        self.hasher = hasher
        self.checkpoints = list(checkpoints)
        self.next_checkpoint = 0
        self.checked = 0
        self.heads: dict[str, _Head] = {}
        self.running = hasher.log_genesis()
        self.count = 0
        self.last_id = 0
        self.sealing_began: int | None = None
        self.legacy = 0
        self.event_breaks: list[tuple[Break, int]] = []
        """(break, the last notification it may concern): explains checkpoint mismatches."""
        self.checkpoint_breaks: list[tuple[Break, int, int]] = []
        self.previous_checkpoint_id = 0

    def step(self, n: Any) -> None:
        while (
            self.next_checkpoint < len(self.checkpoints)
            and self.checkpoints[self.next_checkpoint].notification_id < n.id
        ):
            self._compare(self.checkpoints[self.next_checkpoint], at_end=False)
            self.next_checkpoint += 1
        oid = str(n.originator_id)
        version = n.originator_version
        envelope = Envelope(n.state)
        head = self.heads.get(oid)
        expected = head.version + 1 if head else 1
        prev = head.event_hash if head else GENESIS
        computed = self.hasher.event(prev, oid, version, n.topic, envelope.payload)
        problem: Break | None = None
        if envelope.malformed:
            problem = Break(
                "malformed",
                "哈希信封已损坏 (the sealed state's header is damaged)",
                n.id,
                oid,
                version,
                n.id,
            )
        elif version != expected:
            if version > expected:
                missing = (
                    f"v{expected}" if version == expected + 1 else f"v{expected}..v{version - 1}"
                )
                detail = (
                    f"版本不连续: 本记录的 {missing} 缺失 (deleted, or the order changed); "
                    f"found v{version} here"
                )
                problem = Break(
                    "sequence",
                    detail,
                    n.id,
                    oid,
                    expected,
                    head.notification_id + 1 if head else 1,
                )
            else:
                previous = head.version if head else 0
                problem = Break(
                    "sequence",
                    f"版本顺序颠倒: v{version} stored after v{previous} "
                    "(reordered, or a duplicate inserted)",
                    n.id,
                    oid,
                    version,
                    n.id,
                )
        elif envelope.sealed and not hmac.compare_digest(envelope.event_hash, computed):
            problem = Break(
                "altered",
                "内容与哈希不符: the payload, topic, version or record id was edited, or the "
                "event was forged" + self._mode_hint(envelope.mode),
                n.id,
                oid,
                version,
                n.id,
            )
        elif not envelope.sealed and self.sealing_began is not None:
            problem = Break(
                "unsealed",
                "缺少哈希: an event without a chain hash after sealing began at notification "
                f"{self.sealing_began} (inserted, or its seal stripped)",
                n.id,
                oid,
                version,
                n.id,
            )
        if problem is not None:
            self.event_breaks.append((problem, n.id))
        if envelope.sealed:
            if self.sealing_began is None:
                self.sealing_began = n.id
        else:
            self.legacy += 1
        stored = envelope.event_hash if envelope.sealed and not envelope.malformed else computed
        if version >= expected:
            # After a break, resynchronise on what is stored, so each break is reported once;
            # an event stored out of order (an older version) leaves the head where it is.
            self.heads[oid] = _Head(version, stored if problem else computed, n.id)
        self.running = self.hasher.log(self.running, computed)
        self.count += 1
        self.last_id = n.id

    def _mode_hint(self, mode: int) -> str:
        if mode == MODE_HMAC and self.hasher.key is None:
            return (
                "; 该事件以审计密钥封存 (sealed with an audit key, verified without one: "
                "set GOVOFFICE_AUDIT_KEY)"
            )
        if mode == MODE_SHA256 and self.hasher.key is not None:
            return "; 该事件未以审计密钥封存 (sealed without an audit key, verified with one)"
        return ""

    def _compare(self, cp: Checkpoint, *, at_end: bool) -> None:
        self.checked += 1
        since = self.previous_checkpoint_id
        self.previous_checkpoint_id = cp.notification_id
        running = self.running.hex()
        if running == cp.global_hash and self.count == cp.count:
            return
        when = cp.recorded_at.isoformat(timespec="seconds")
        if at_end and self.last_id < cp.notification_id:
            lost = cp.count - self.count
            detail = (
                f"日志尾部被截断: the log ends at notification {self.last_id}, but the "
                f"checkpoint of {when} covers notifications up to {cp.notification_id} "
                f"({cp.count} events): {lost} event(s) from notification {self.last_id + 1} "
                "on are missing"
            )
            self.checkpoint_breaks.append(
                (
                    Break("truncated", detail, self.last_id + 1, position=self.last_id + 1),
                    self.last_id + 1,
                    cp.notification_id,
                )
            )
            return
        if self.count < cp.count:
            what = f"{cp.count - self.count} event(s) deleted"
        elif self.count > cp.count:
            what = f"{self.count - cp.count} event(s) inserted"
        else:
            what = "events altered or reordered"
        key_hint = ""
        if cp.keyed != (self.hasher.key is not None):
            key_hint = " (the checkpoint was written with a different audit-key setting)"
        detail = (
            f"与检查点不符: between notifications {since + 1} and {cp.notification_id} the "
            f"log differs from the checkpoint of {when} ({what}){key_hint}"
        )
        self.checkpoint_breaks.append(
            (
                Break("checkpoint", detail, cp.notification_id, position=since + 1),
                since + 1,
                cp.notification_id,
            )
        )

    def finish(self) -> VerifyReport:
        while self.next_checkpoint < len(self.checkpoints):
            self._compare(self.checkpoints[self.next_checkpoint], at_end=True)
            self.next_checkpoint += 1
        breaks = [b for b, _ in self.event_breaks]
        for cp_break, low, high in self.checkpoint_breaks:
            explained = any(b.position <= high and last >= low for b, last in self.event_breaks)
            if not explained:
                breaks.append(cp_break)
        breaks.sort(key=lambda b: (b.position, b.notification_id or 0))
        covered = self.checkpoints[-1].notification_id if self.checkpoints else 0
        after = self.count - (self.checkpoints[-1].count if self.checkpoints else 0)
        if covered > self.last_id:
            after = 0
        return VerifyReport(
            events=self.count,
            records=len(self.heads),
            last_notification_id=self.last_id,
            global_hash=self.running.hex(),
            keyed=self.hasher.key is not None,
            checkpoints_checked=self.checked,
            events_after_checkpoint=max(after, 0),
            legacy_events=self.legacy,
            breaks=tuple(breaks),
        )


# --- wiring ----------------------------------------------------------------------------------


def hash_chain_mapper(app: OfficeApplication, transcoder: Transcoder) -> HashChainMapper:
    """The ``mapper_factory`` of :class:`~govoffice.application.app.OfficeApplication`:
    the application's cipher and compressor, the audit key and checkpoint file from its
    settings (``AUDIT_KEY``, ``AUDIT_CHECKPOINT_FILE``, also ``GOVOFFICE_``-prefixed)."""
    key = app.env.get("AUDIT_KEY") or None
    ref = weakref.ref(app)

    def recorder() -> ApplicationRecorder | None:
        live = ref()
        return getattr(live, "recorder", None) if live is not None else None

    return HashChainMapper(
        transcoder,
        compressor=app.factory.compressor(),
        cipher=app.factory.cipher(),
        key=key.encode() if key else None,
        recorder=recorder,
        checkpoint_file=app.env.get("AUDIT_CHECKPOINT_FILE") or None,
    )
