"""审计链 the sealed record: genesis, keys, sealed heads and verification (ADR 0018, 0030).

:class:`ChainAudit` is the :class:`~govoffice.application.sealing.TamperEvidence` of a store
whose events :class:`~govoffice.adapters.hashchain.HashChainMapper` seals:

- **at open** (:meth:`ChainAudit.open`) it reads the chain's records
  (:mod:`govoffice.adapters.chain_records`), writes the genesis of a new store (or adopts a
  store an earlier release sealed), and refuses a key that does not fit: a keyed store
  opened without its key or with another one raises an
  :class:`~govoffice.application.sealing.AuditKeyError` naming the key id expected;
- **as the log grows** it seals a head every ``AUDIT_HEAD_EVERY`` events (1000) and when the
  office closes (:class:`HeadWriter`), outside the database and inside it
  (:mod:`govoffice.adapters.checkpoints`);
- **verify** walks the whole log once (:class:`_Walk`): every record's chain under the key
  in force at each position (rotations switch it), the genesis, each rotation's anchor, and
  every head found: a head that does not match is placed exactly with its fingerprints
  (missing, inserted or changed positions), and the heads beyond the log's end name the
  cut-off range.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import threading
import uuid
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Transcoder

from govoffice.adapters import chain_records as cr
from govoffice.adapters.checkpoints import (
    FileHeads,
    HeadStore,
    fields_of,
    inside_store,
    outside_path,
    read_head_file,
    signing_bytes,
)
from govoffice.adapters.hashchain import (
    FINGERPRINT_SIZE,
    GENESIS,
    MODE_HMAC,
    MODE_SHA256,
    ChainHash,
    Envelope,
    HashChainMapper,
    b64,
    content_digest,
    fingerprint,
    key_id,
    log_step,
    unb64,
)
from govoffice.application.sealing import (
    HEADS_VARIABLE,
    KEY_VARIABLE,
    RETIRED_KEYS_VARIABLE,
    UNKEYED_WARNING,
    AuditKeyMismatch,
    AuditKeyMissing,
    AuditKeyUnexpected,
    Break,
    EventSeal,
    Head,
    TamperDetected,
    UnverifiedEvent,
    VerifyReport,
)
from govoffice.domain.errors import InvalidInput

if TYPE_CHECKING:
    from govoffice.application.app import OfficeApplication

log = logging.getLogger("govoffice.audit")

PAGE = 1000
DEFAULT_HEAD_EVERY = 1000
_HEAD_PURPOSE = "head"
_ANCHOR_PURPOSE = "anchor"
_PROOF_PURPOSE = "rotation"
_CHAIN_OID = str(cr.CHAIN_ID)
_WARNED: set[str] = set()


def _hex(data: bytes) -> str:
    return data.hex()


def _ranges(ids: Sequence[int]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for nid in ids:
        if out and out[-1][1] == nid - 1:
            out[-1] = (out[-1][0], nid)
        else:
            out.append((nid, nid))
    return tuple(out)


def _span(ids: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of ``ids`` (sorted), as (first, last)."""
    return list(_ranges(ids))


def _when(head: Head) -> str:
    return head.recorded_at.isoformat(timespec="seconds")


# --- the running state of the log -------------------------------------------------------------


class LogState:
    """The log up to ``position``: ``count`` events and the running hash."""

    __slots__ = ("count", "position", "running")

    def __init__(self, position: int = 0, count: int = 0, running: bytes = GENESIS) -> None:
        self.position = position
        self.count = count
        self.running = running


def stored_seal(n: Any, envelope: Envelope) -> bytes:
    """What the log's running hash and fingerprints take for an event: its stored seal, or
    for an event without a valid one the digest of its content (a break either way)."""
    if envelope.valid:
        return envelope.event_hash
    return content_digest(str(n.originator_id), n.originator_version, n.topic, envelope.payload)


# --- the audit ---------------------------------------------------------------------------------


class ChainAudit:
    """Opens, verifies and seals a store's chain (see the module)."""

    def __init__(
        self,
        mapper: HashChainMapper,
        recorder: Callable[[], ApplicationRecorder | None],
        *,
        key: bytes | None,
        retired_keys: Sequence[bytes] = (),
        settings: dict[str, str] | None = None,
        heads: str | None = None,
        head_every: int = DEFAULT_HEAD_EVERY,
    ) -> None:
        self.mapper = mapper
        self._recorder = recorder
        self.key = key or None
        self.retired = list(retired_keys)
        self.settings = dict(settings or {})
        self.head_every = max(1, head_every)
        self.chain: cr.ChainInfo | None = None
        path = outside_path(heads, self.settings)
        self.outside: HeadStore | None = FileHeads(path) if path else None
        self._inside: HeadStore | None = None
        self.writer = HeadWriter(self)
        self.memory = self.settings.get("PERSISTENCE_MODULE", "") in ("", "eventsourcing.popo")

    # --- settings ----------------------------------------------------------------------------

    @property
    def keyed(self) -> bool:
        return self.key is not None

    @property
    def key_id(self) -> str | None:
        return key_id(self.key)

    def recorder(self) -> ApplicationRecorder:
        recorder = self._recorder()
        if recorder is None:
            raise RuntimeError("the office's event store is closed")
        return recorder

    @property
    def inside(self) -> HeadStore:
        if self._inside is None:
            self._inside = inside_store(self.recorder())
        return self._inside

    def places(self) -> list[HeadStore]:
        return [p for p in (self.outside, self.inside) if p is not None]

    def keys(self) -> dict[str, bytes]:
        """Every key supplied, by id: the current one and the retired ones."""
        return cr.keys_by_id([*self.retired, *([self.key] if self.key else [])])

    def hasher_for(self, kid: str | None) -> ChainHash | None:
        """The hash of key ``kid`` (unkeyed for None); None when that key is not supplied."""
        if kid is None:
            return ChainHash(None)
        key = self.keys().get(kid)
        return ChainHash(key) if key is not None else None

    def chain_info(self) -> cr.ChainInfo:
        if self.chain is None:
            self.chain = cr.read_chain(self.recorder())
        return self.chain

    # --- opening ------------------------------------------------------------------------------

    def open(self) -> None:
        """Seal a new store from its first event (or adopt one an earlier release sealed), and
        refuse a key that does not fit (:class:`AuditKeyError`)."""
        recorder = self.recorder()
        info = cr.read_chain(recorder)
        if info.genesis is None and not info.entries:
            last = recorder.max_notification_id() or 0
            if last:
                self._check_earlier_release(recorder, last)
            stored = cr.stored_record(
                self.mapper.transcoder,
                self.mapper.hasher,
                cr.genesis_event(cr.SCHEME, self.key_id, last),
                GENESIS,
            )
            with contextlib.suppress(IntegrityError):  # another process sealed it first
                recorder.insert_events([stored])
            info = cr.read_chain(recorder)
            if last:
                log.warning(
                    "store %s adopted into the sealed chain after notification %d "
                    "(written by an earlier release)",
                    self.settings.get("STORE_URL", ""),
                    last,
                )
        self._check_key(info)
        self.chain = info
        url = self.settings.get("STORE_URL", "store")
        if not self.keyed and not self.memory and url not in _WARNED:
            _WARNED.add(url)  # once per store and process
            log.warning("%s: %s", url, UNKEYED_WARNING)

    def _check_key(self, info: cr.ChainInfo) -> None:
        expected = info.current_key_id
        configured = self.key_id
        if expected == configured:
            return
        if expected is None:
            raise AuditKeyUnexpected(configured)
        if configured is None:
            raise AuditKeyMissing(expected)
        raise AuditKeyMismatch(expected, configured, retired=configured in info.key_ids)

    def _check_earlier_release(self, recorder: ApplicationRecorder, last: int) -> None:
        """A store without a genesis but with events: what its newest event's seal says
        about the key must fit the key configured."""
        rows = recorder.select_notifications(start=last, limit=1)
        if not rows:
            return
        n = rows[0]
        envelope = Envelope(n.state)
        if not envelope.valid:
            return  # unsealed: verification reports every such event
        if envelope.mode == MODE_SHA256:
            if self.key is not None:
                raise AuditKeyUnexpected(self.key_id)
            return
        if self.key is None:
            raise AuditKeyMissing(None)
        prev = GENESIS
        if n.originator_version > 1:
            before = recorder.select_events(
                n.originator_id, lte=n.originator_version - 1, desc=True, limit=1
            )
            if before and Envelope(before[0].state).valid:
                prev = Envelope(before[0].state).event_hash
        computed = self.mapper.hasher.event(
            prev, str(n.originator_id), n.originator_version, n.topic, envelope.payload
        )
        if not hmac.compare_digest(computed, envelope.event_hash):
            raise AuditKeyMismatch(None, self.key_id, retired=False)

    # --- one event ---------------------------------------------------------------------------

    def verify_event(self, record_id: uuid.UUID, version: int) -> EventSeal:
        event_id = f"{record_id}/{version}"
        rows = self.recorder().select_events(record_id, gt=max(version - 2, 0), lte=version)
        by_version = {r.originator_version: r for r in rows}
        row = by_version.get(version)
        if row is None:
            raise UnverifiedEvent(event_id, "missing", "存储中没有该事件 (no such event is stored)")
        envelope = Envelope(row.state)
        if not envelope.valid:
            raise UnverifiedEvent(event_id, "unsealed", "该事件没有完好的封印 (no valid seal)")
        prev = GENESIS
        if version > 1:
            before = by_version.get(version - 1)
            previous = Envelope(before.state) if before is not None else None
            if previous is None or not previous.valid:
                raise UnverifiedEvent(
                    event_id, "sequence", f"前一版本 v{version - 1} 缺失或未封印 (predecessor)"
                )
            prev = previous.event_hash
        # The key in force now, then the chain's earlier keys that were supplied: an event
        # this old was sealed under one of them (the full verification checks which).
        hashers = [self.mapper.hasher]
        for kid in reversed(self.chain_info().key_ids[:-1]):
            hasher = self.hasher_for(kid)
            if hasher is not None:
                hashers.append(hasher)
        oid = str(record_id)
        for hasher in hashers:
            if envelope.mode != hasher.mode:
                continue
            computed = hasher.event(prev, oid, version, row.topic, envelope.payload)
            if hmac.compare_digest(computed, envelope.event_hash):
                return EventSeal(record_id, version, row.topic)
        raise UnverifiedEvent(
            event_id, "altered", "内容与封印不符 (the stored event does not match its seal)"
        )

    # --- tags --------------------------------------------------------------------------------

    def mac(self, purpose: str, message: str) -> str:
        return _hex(self.mapper.hasher.mac(purpose, message.encode()))

    def check_mac(self, purpose: str, message: str, tag: object) -> bool:
        return cr.check_tag(self.mapper.hasher.mac(purpose, message.encode()), _str(tag))

    # --- heads -------------------------------------------------------------------------------

    def sign(self, head: Head, hasher: ChainHash) -> Head:
        head = attrs.evolve(head, key_id=hasher.key_id, signature="")
        signature = hasher.mac(_HEAD_PURPOSE, signing_bytes(fields_of(head)))
        return Head(
            chain=head.chain,
            position=head.position,
            count=head.count,
            log_hash=head.log_hash,
            start=head.start,
            ids=head.ids,
            fingerprints=head.fingerprints,
            recorded_at=head.recorded_at,
            key_id=hasher.key_id,
            scheme=head.scheme,
            signature=_hex(signature),
            source=head.source,
        )

    def head_signature_ok(self, head: Head) -> bool | None:
        """True/False: the signature (or plain hash) checks or not; None: signed with a key
        that was not supplied."""
        hasher = self.hasher_for(head.key_id)
        if hasher is None:
            return None
        unsigned = attrs.evolve(head, signature="")
        expected = hasher.mac(_HEAD_PURPOSE, signing_bytes(fields_of(unsigned)))
        return cr.check_tag(expected, head.signature)

    def stored_heads(self) -> list[Head]:
        return [head for head, _ in self._stored_heads()]

    def _stored_heads(self) -> list[tuple[Head, bool]]:
        """Every head kept for this store (whatever chain it names: a head kept here that
        names another chain means the genesis was replaced), and whether it was kept outside
        the database."""
        heads: list[tuple[Head, bool]] = []
        for place in self.places():
            heads.extend((head, place.outside) for head in place.load())
        return sorted(heads, key=lambda h: (h[0].position, h[0].recorded_at))

    def checkpoints(self) -> list[Head]:
        return self.stored_heads()

    def read_heads(self, path: str) -> list[Head]:
        return read_head_file(path)

    def add_head(self, head: Head) -> None:
        for place in self.places():
            try:
                place.add(head)
            except Exception as e:  # one place failing must not lose the other
                log.error("sealed head not written to %s: %s", place.label, e)
                if place is self.outside:
                    raise

    def seal_head(self) -> Head | None:
        return self.writer.write()

    def summary_head(self) -> Head | None:
        """Seal what is new, then the latest head in short: its position, count, log hash,
        time and key, signed, without the fingerprints (what a printed report carries; it
        proves the store still extends it, and names a cut-off range by count)."""
        self.writer.write()
        latest = self.writer.latest_own()
        if latest is None:
            return None
        short = attrs.evolve(latest, start=latest.position, ids=(), fingerprints="", source="")
        return self.sign(short, self.mapper.hasher)

    def stop_heads(self, reason: str) -> None:
        self.writer.disable(reason)

    def recorded(self, last_notification_id: int) -> None:
        self.writer.recorded(last_notification_id)

    def closing(self) -> None:
        self.writer.closing()

    # --- verification ------------------------------------------------------------------------

    def notifications(self, start: int = 1) -> Iterator[Any]:
        recorder = self.recorder()
        while True:
            page = recorder.select_notifications(start=start, limit=PAGE)
            yield from page
            if len(page) < PAGE:
                return
            start = page[-1].id + 1

    def verify(self, heads: Sequence[Head] = (), *, anchor_to: bytes | None = None) -> VerifyReport:
        walk = self.walk(heads, anchor_to=anchor_to)
        return walk.report

    def walk(self, heads: Sequence[Head] = (), *, anchor_to: bytes | None = None) -> _Walk:
        self.chain = cr.read_chain(self.recorder())
        walk = _Walk(self, self._stored_heads(), given=heads, anchor_to=anchor_to)
        for notification in self.notifications():
            walk.step(notification)
        walk.finish()
        return walk

    def write_checkpoint(self, report: VerifyReport) -> Head:
        head = self.writer.write(verified=report)
        if head is None:
            latest = self.stored_heads()
            if latest:
                return latest[-1]
            raise RuntimeError("no head could be sealed")  # pragma: no cover
        return head

    # --- key rotation ------------------------------------------------------------------------

    def rotate_key(self, new_key: str) -> Head:
        if not isinstance(new_key, str) or not new_key:
            raise InvalidInput("新审计密钥不能为空 (the new audit key must be a non-empty text)")
        new = new_key.encode()
        new_id = key_id(new)
        assert new_id is not None
        info = cr.read_chain(self.recorder())
        if new_id in info.key_ids:
            raise InvalidInput(
                f"密钥 {new_id} 已用过 (this key was used before: a rotation needs a new key)"
            )
        walk = self.walk(anchor_to=new)
        report = walk.report
        if not report.chain_ok:
            raise TamperDetected(report)
        new_hasher = ChainHash(new)
        anchor_digest = cr.anchor_message(walk.anchor_running, walk.state.position, walk.count)
        anchor = _hex(new_hasher.mac(_ANCHOR_PURPOSE, anchor_digest))
        old = self.mapper.hasher
        proof = _hex(old.mac(_PROOF_PURPOSE, cr.proof_message(new_id, anchor))) if old.key else None
        event = cr.rotation_event(
            len(info.entries) + 1,
            info.current_key_id,
            new_id,
            walk.state.position,
            walk.count,
            anchor,
            proof,
        )
        stored = cr.stored_record(self.mapper.transcoder, new_hasher, event, info.last_seal)
        self.recorder().insert_events([stored])
        if self.key is not None:
            self.retired.append(self.key)
        self.key = new
        self.mapper.use_key(new)
        self.chain = cr.read_chain(self.recorder())
        head = self.writer.write()
        assert head is not None
        log.warning(
            "audit key rotated from %s to %s: set %s to the new key and add the old one to %s",
            info.current_key_id,
            new_id,
            KEY_VARIABLE,
            RETIRED_KEYS_VARIABLE,
        )
        return head


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


# --- sealing heads as the log grows --------------------------------------------------------------


class HeadWriter:
    """Seals a head every ``head_every`` events and when the office closes.

    The first time in a process it starts from the latest head found (outside the database
    first), after checking that the log still holds, at that head's position, what the head
    says stands there; it then reads only the events after it. A head covers what is stored
    when it is sealed: a change made since the previous head and before this one that the
    seals themselves do not show (a record's newest event deleted) is not found by it.
    """

    def __init__(self, audit: ChainAudit) -> None:
        self.audit = audit
        self._lock = threading.Lock()
        self.state: LogState | None = None
        self.sealed_upto: int | None = None
        self.disabled: str | None = None
        self.closed = False

    def disable(self, reason: str) -> None:
        if self.disabled is None:
            self.disabled = reason
            log.error("no more sealed heads from this process: %s", reason)

    def recorded(self, last_notification_id: int) -> None:
        if self.disabled is not None:
            return
        try:
            if self.sealed_upto is None:
                self.sealed_upto = self._latest_position()
            if last_notification_id - self.sealed_upto < self.audit.head_every:
                return
            if not self._lock.acquire(blocking=False):
                return  # another thread is sealing one
            try:
                self._write_locked()
            finally:
                self._lock.release()
        except Exception as e:  # the command itself is saved; a head is retried later
            log.warning("sealed head not written: %s", e)

    def closing(self) -> None:
        if self.closed or self.disabled is not None or self.audit.chain is None:
            return
        self.closed = True
        try:
            self.write()
        except Exception as e:
            log.warning("sealed head not written at close: %s", e)

    def write(self, *, verified: VerifyReport | None = None) -> Head | None:
        with self._lock:
            return self._write_locked(verified)

    def latest_own(self) -> Head | None:
        """The latest head of this store's chain."""
        latest = self._latest()
        return (
            latest
            if latest is not None and latest.chain == self.audit.chain_info().chain_id
            else None
        )

    def _latest_position(self) -> int:
        latest = self._latest()
        return latest.position if latest is not None else 0

    def _latest(self) -> Head | None:
        best: Head | None = None
        for place in self.audit.places():
            found = place.latest()
            if found is not None and (best is None or found.position > best.position):
                best = found
        return best

    def _start(self) -> LogState | None:
        """The state to extend: the latest head, if the log still extends it."""
        base = self._latest()
        if base is None:
            return LogState()
        if base.chain != self.audit.chain_info().chain_id:
            self.disable(
                f"the latest sealed head ({base.source}) names chain {base.chain}, not this "
                f"store's {self.audit.chain_info().chain_id}: the store's genesis was replaced, "
                "or the heads are those of an earlier store at this place (move them away)"
            )
            return None
        ok = self.audit.head_signature_ok(base)
        if ok is False:
            self.disable(f"the latest sealed head ({base.source}) does not verify")
            return None
        ids = list(base.segment())
        if ids:
            fps = unb64(base.fingerprints)
            last_fp = fps[-FINGERPRINT_SIZE:]
            rows = self.audit.recorder().select_notifications(start=base.position, limit=1)
            n = rows[0] if rows else None
            if (
                n is None
                or n.id != base.position
                or fingerprint(n.id, stored_seal(n, Envelope(n.state))) != last_fp
            ):
                self.disable(
                    f"the log no longer extends its sealed head at notification {base.position} "
                    f"({base.source}): run `govoffice audit verify`"
                )
                return None
        return LogState(base.position, base.count, bytes.fromhex(base.log_hash))

    def _write_locked(self, verified: VerifyReport | None = None) -> Head | None:
        if self.disabled is not None:
            return None
        audit = self.audit
        if self.state is None:
            self.state = self._start()
            if self.state is None:
                return None
        state = self.state
        start = state.position
        position, count, running = state.position, state.count, state.running
        ids: list[int] = []
        fps = bytearray()
        stop = verified.last_notification_id if verified is not None else None
        for n in audit.notifications(start + 1):
            if stop is not None and n.id > stop:
                break  # a checkpoint seals what was verified, not what came since
            s = stored_seal(n, Envelope(n.state))
            running = log_step(running, n.id, s)
            count += 1
            position = n.id
            ids.append(n.id)
            fps += fingerprint(n.id, s)
        if verified is not None and ids and verified.log_hash != running.hex():
            # the log up to the latest head is not what the verification walked
            raise TamperDetected(verified)  # pragma: no cover - a head changed meanwhile
        if not ids:
            self.sealed_upto = position
            return None
        head = audit.sign(
            Head(
                chain=audit.chain_info().chain_id,
                position=position,
                count=count,
                log_hash=running.hex(),
                start=start,
                ids=_ranges(ids),
                fingerprints=b64(bytes(fps)),
                recorded_at=datetime.now(UTC),
                key_id=None,
                scheme=cr.SCHEME,
                signature="",
            ),
            audit.mapper.hasher,
        )
        audit.add_head(head)
        self.state = LogState(position, count, running)
        self.sealed_upto = position
        return head


# --- one pass over the log ---------------------------------------------------------------------


class _Record:
    __slots__ = ("event_hash", "notification_id", "version")

    def __init__(self, version: int, event_hash: bytes, notification_id: int) -> None:
        self.version = version
        self.event_hash = event_hash
        self.notification_id = notification_id


class _Window:
    """The walk's (position, fingerprint) since a given position, to place a head mismatch."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.fps = bytearray()

    def add(self, nid: int, fp: bytes) -> None:
        self.ids.append(nid)
        self.fps += fp

    def since(self, low: int, high: int) -> dict[int, bytes]:
        out = {}
        for i, nid in enumerate(self.ids):
            if low < nid <= high:
                out[nid] = bytes(self.fps[i * FINGERPRINT_SIZE : (i + 1) * FINGERPRINT_SIZE])
        return out

    def trim(self, upto: int) -> None:
        keep = 0
        while keep < len(self.ids) and self.ids[keep] <= upto:
            keep += 1
        if keep:
            del self.ids[:keep]
            del self.fps[: keep * FINGERPRINT_SIZE]


class _Walk:
    """One pass over the log in notification order (see :meth:`ChainAudit.verify`)."""

    def __init__(
        self,
        audit: ChainAudit,
        heads: Sequence[tuple[Head, bool]],
        *,
        given: Sequence[Head] = (),
        anchor_to: bytes | None = None,
    ) -> None:
        self.audit = audit
        info = audit.chain_info()
        self.info = info
        self.chain_id = info.chain_id
        self.notes: list[str] = []
        self.head_breaks: list[Break] = []
        self.event_breaks: list[Break] = []
        self.records: dict[str, _Record] = {}
        self.state = LogState()
        self.count = 0
        self.window = _Window()
        # keys: the genesis key until the first rotation is passed, and so on
        self.epoch = 0
        self.hasher = audit.hasher_for(info.key_ids[0])
        self.expected_mode = MODE_HMAC if info.key_ids[0] else MODE_SHA256
        self.unchecked_keys: set[str] = set()
        self.genesis_id: int | None = None
        self.before_genesis: list[int] = []
        # anchors: the content digest of the log, as each rotation sealed it
        self.anchors = [r for r in info.rotations if r.int_field("upto") > 0]
        self.anchor_until = max(
            [r.int_field("upto") for r in self.anchors] + ([1 << 62] if anchor_to else [0])
        )
        self.anchor_running = GENESIS
        self.anchor_count = 0
        self.anchor_checked: set[int] = set()
        self.heads = self._usable(heads, given)
        self.next_head = 0
        self.checked = 0
        self.outside = 0
        self.report: VerifyReport

    # --- heads ---------------------------------------------------------------------------

    def _usable(self, heads: Sequence[tuple[Head, bool]], given: Sequence[Head]) -> list[Head]:
        """The heads to compare with, by position (each once): those whose signature
        verifies (or whose key was not supplied, noted). A head kept for this store that
        names another chain is compared all the same (the genesis was replaced: deleted, or
        the store wiped); a head given from elsewhere that names another chain is another
        store's, and only reported."""
        usable: dict[tuple[int, str], Head] = {}
        self.outside_heads: set[tuple[int, str]] = set()
        self.unchecked_heads: Counter[str] = Counter()
        chains: set[str] = set()
        candidates = [*heads, *((h, True) for h in given if h.chain == self.chain_id)]
        for head in given:
            if head.chain != self.chain_id:
                self.head_breaks.append(
                    Break(
                        "head",
                        f"封印不属于此存储: the head in {head.source or 'the file given'} belongs "
                        f"to another store (chain {head.chain}; this store's chain is "
                        f"{self.chain_id}), or this store's genesis record was replaced",
                        head.position,
                        position=1,
                    )
                )
        for head, outside in candidates:
            if head.chain != self.chain_id and head.chain not in chains:
                chains.add(head.chain)
                self.head_breaks.append(
                    Break(
                        "genesis",
                        f"封存记录被替换: the head of {_when(head)} ({head.source}) names chain "
                        f"{head.chain}, but the store's genesis record now names "
                        f"{self.chain_id}: the genesis was deleted or the store wiped and sealed "
                        "anew (or the heads kept there are those of an earlier store at that "
                        "place)",
                        None,
                        position=1,
                    )
                )
            ok = self.audit.head_signature_ok(head)
            if ok is False:
                self.head_breaks.append(
                    Break(
                        "head",
                        f"封印签名不符: the head of {_when(head)} in {head.source or 'the store'} "
                        "does not verify (edited or forged head)",
                        head.position,
                        position=head.position,
                    )
                )
                continue
            if ok is None:
                self.unchecked_heads[str(head.key_id)] += 1
            usable.setdefault((head.position, head.signature), head)
            if outside:
                self.outside_heads.add((head.position, head.signature))
        ordered = sorted(usable.values(), key=lambda h: (h.position, h.start))
        # the lowest segment start of the heads from each one on: what the window must keep
        self.keep_from: list[int] = [0] * (len(ordered) + 1)
        self.keep_from[len(ordered)] = 1 << 62
        for i in range(len(ordered) - 1, -1, -1):
            self.keep_from[i] = min(ordered[i].start, self.keep_from[i + 1])
        return ordered

    def _compare_heads_before(self, nid: int) -> None:
        moved = False
        while self.next_head < len(self.heads) and self.heads[self.next_head].position < nid:
            self._compare(self.heads[self.next_head], at_end=False)
            self.next_head += 1
            moved = True
        if moved:
            self.window.trim(self.keep_from[self.next_head])

    def _compare(self, head: Head, *, at_end: bool) -> None:
        self.checked += 1
        if (head.position, head.signature) in self.outside_heads:
            self.outside += 1
        if self.count == head.count and self.state.running.hex() == head.log_hash:
            return
        expected = dict(zip(head.segment(), _chunks(head.fingerprints), strict=False))
        actual = self.window.since(head.start, head.position)
        last = self.state.position
        missing = sorted(n for n in expected if n not in actual and n <= last)
        cut = sorted(n for n in expected if n not in actual and n > last)
        inserted = sorted(n for n in actual if n not in expected)
        changed = sorted(n for n in expected if n in actual and actual[n] != expected[n])
        when = _when(head)
        for low, high in _span(missing):
            self.head_breaks.append(
                Break(
                    "missing",
                    f"{'notification' if low == high else 'notifications'} "
                    f"{low if low == high else f'{low}-{high}'} missing: in the log when the "
                    f"head of {when} was sealed (deleted)",
                    low,
                    position=low,
                    last_id=high,
                )
            )
        if cut:
            low, high = cut[0], cut[-1]
            self.head_breaks.append(
                Break(
                    "truncated",
                    f"notifications {low}-{high} missing: the log ends at notification "
                    f"{last}, but the head of {when} covers up to {head.position} "
                    f"({head.count} events; {head.count - self.count} more than the log holds)",
                    low,
                    position=low,
                    last_id=high,
                )
            )
        for nid in inserted:
            self.head_breaks.append(
                Break(
                    "inserted",
                    f"不在封印中: this position was not in the log when the head of {when} "
                    "was sealed (inserted later)",
                    nid,
                    position=nid,
                )
            )
        for low, high in _span(changed):
            self.head_breaks.append(
                Break(
                    "moved",
                    f"与封印不符: what stands here differs from the head of {when} (an event "
                    "moved here, replaced or re-sealed)",
                    low,
                    position=low,
                    last_id=high,
                )
            )
        if not head.ids:  # a head in short (a printed one): only its count and hash
            self.head_breaks.append(
                Break(
                    "truncated" if last < head.position else "head",
                    f"与封印不符: the head of {when} covers notifications up to "
                    f"{head.position} ({head.count} events); the log "
                    + (
                        f"ends at notification {last} ({self.count} events)"
                        if last < head.position
                        else f"holds {self.count} events up to it, with another hash"
                    ),
                    min(last + 1, head.position),
                    position=min(last + 1, head.position),
                    last_id=head.position,
                )
            )
            return
        if not (missing or cut or inserted or changed):
            self.head_breaks.append(
                Break(
                    "head",
                    f"与封印不符: the log up to notification {head.start} differs from the head "
                    f"of {when} ({self.count} events here, {head.count} in the head), though "
                    f"notifications {head.start + 1}-{head.position} match it: the change lies "
                    f"at or before notification {head.start}",
                    head.position,
                    position=max(head.start, 1),
                )
            )

    # --- events --------------------------------------------------------------------------

    def _switch_key(self, rotation: cr.ChainEntry) -> None:
        kid = rotation.key_id
        self.hasher = self.audit.hasher_for(kid)
        self.expected_mode = MODE_HMAC if kid else MODE_SHA256

    def _rotation(self, version: int) -> cr.ChainEntry | None:
        for e in self.info.entries:
            if e.version == version and e.topic == cr.ROTATED_TOPIC:
                return e
        return None

    def step(self, n: Any) -> None:
        self._compare_heads_before(n.id)
        self._anchors_before(n.id)
        oid = str(n.originator_id)
        version = n.originator_version
        envelope = Envelope(n.state)
        if oid == _CHAIN_OID:
            self._chain_record(n, version)
        elif self.genesis_id is None:
            self.before_genesis.append(n.id)
        record = self.records.get(oid)
        expected = record.version + 1 if record else 1
        prev = record.event_hash if record else GENESIS
        hasher = self.hasher
        computed = (
            hasher.event(prev, oid, version, n.topic, envelope.payload)
            if hasher is not None
            else None
        )
        if hasher is None and self.info.key_ids:
            self.unchecked_keys.add(str(self._current_kid()))
        problem = self._problem(n, oid, version, envelope, record, expected, computed)
        if problem is not None:
            self.event_breaks.append(problem)
        if envelope.valid:
            following = envelope.event_hash
        else:
            following = computed if computed is not None else stored_seal(n, envelope)
        if version >= expected:
            # After a break, resynchronise on what is stored, so each break is reported once;
            # an event stored out of order (an older version) leaves the head where it is.
            self.records[oid] = _Record(version, following, n.id)
        s = stored_seal(n, envelope)
        self.state.running = log_step(self.state.running, n.id, s)
        self.state.position = n.id
        self.count += 1
        self.state.count = self.count
        if self.next_head < len(self.heads):
            self.window.add(n.id, fingerprint(n.id, s))
        if n.id <= self.anchor_until:
            self.anchor_running = log_step(
                self.anchor_running, n.id, content_digest(oid, version, n.topic, envelope.payload)
            )
            self.anchor_count += 1

    def _current_kid(self) -> str | None:
        return self.info.key_ids[self.epoch] if self.epoch < len(self.info.key_ids) else None

    def _chain_record(self, n: Any, version: int) -> None:
        if n.topic == cr.SEALED_TOPIC and version == 1:
            self.genesis_id = n.id
            adopted = self.info.adopted_after
            early = [i for i in self.before_genesis if i > adopted]
            if early:
                self.event_breaks.append(
                    Break(
                        "genesis",
                        "在封存记录之前: an event stands before the chain's genesis record, "
                        "though the store was sealed from its first event (inserted before it)",
                        early[0],
                        position=early[0],
                    )
                )
        elif n.topic == cr.ROTATED_TOPIC:
            rotation = self._rotation(version)
            if rotation is not None:
                self.epoch += 1
                self._switch_key(rotation)

    def _problem(
        self,
        n: Any,
        oid: str,
        version: int,
        envelope: Envelope,
        record: _Record | None,
        expected: int,
        computed: bytes | None,
    ) -> Break | None:
        if envelope.malformed:
            return Break(
                "malformed",
                "封印已损坏 (the sealed state's header is damaged)",
                n.id,
                oid,
                version,
                n.id,
            )
        if version != expected:
            if version > expected:
                missing = (
                    f"v{expected}" if version == expected + 1 else f"v{expected}..v{version - 1}"
                )
                return Break(
                    "sequence",
                    f"版本不连续: 本记录的 {missing} 缺失 (deleted, or the order changed); "
                    f"found v{version} here",
                    n.id,
                    oid,
                    expected,
                    record.notification_id + 1 if record else 1,
                )
            previous = record.version if record else 0
            return Break(
                "sequence",
                f"版本顺序颠倒: v{version} stored after v{previous} "
                "(reordered, or a duplicate inserted)",
                n.id,
                oid,
                version,
                n.id,
            )
        if not envelope.sealed:
            return Break(
                "unsealed",
                "缺少封印: an event without a seal in a sealed store (inserted, or its seal "
                "stripped: a downgrade)",
                n.id,
                oid,
                version,
                n.id,
            )
        if computed is None:
            return None  # sealed with a key that was not supplied
        if envelope.mode != self.expected_mode or not hmac.compare_digest(
            envelope.event_hash, computed
        ):
            return Break(
                "altered",
                "内容与封印不符: the payload, topic, version or record id was edited, or the "
                "event was forged" + self._mode_hint(envelope.mode),
                n.id,
                oid,
                version,
                n.id,
            )
        return None

    def _mode_hint(self, mode: int) -> str:
        if mode == MODE_HMAC and self.expected_mode == MODE_SHA256:
            return "; 该事件以审计密钥封存 (sealed with a key where the chain has none)"
        if mode == MODE_SHA256 and self.expected_mode == MODE_HMAC:
            return "; 该事件未以审计密钥封存 (sealed without the key the chain requires here)"
        return ""

    # --- anchors -------------------------------------------------------------------------

    def _anchors_before(self, nid: int) -> None:
        for rotation in self.anchors:
            upto = rotation.int_field("upto")
            if upto < nid and rotation.version not in self.anchor_checked:
                self._check_anchor(rotation)

    def _check_anchor(self, rotation: cr.ChainEntry) -> None:
        self.anchor_checked.add(rotation.version)
        hasher = self.audit.hasher_for(rotation.key_id)
        upto = rotation.int_field("upto")
        if hasher is None:
            self.notes.append(
                f"the anchor of the key rotation to {rotation.key_id} was not checked: that key "
                "was not supplied"
            )
            return
        message = cr.anchor_message(self.anchor_running, upto, self.anchor_count)
        expected = hasher.mac(_ANCHOR_PURPOSE, message)
        if cr.check_tag(expected, rotation.str_field("anchor")):
            return
        self.head_breaks.append(
            Break(
                "anchor",
                f"轮换前的记录已变: the events up to notification {upto} differ from what the key "
                f"rotation to {rotation.key_id} sealed ({self.anchor_count} events now, "
                f"{rotation.int_field('count')} then); supply the retired key in "
                f"{RETIRED_KEYS_VARIABLE} to name the first changed event",
                1,
                position=1,
                last_id=upto,
            )
        )

    # --- the verdict ---------------------------------------------------------------------

    def finish(self) -> None:
        for rotation in self.anchors:
            if rotation.version not in self.anchor_checked:
                self._check_anchor(rotation)
        while self.next_head < len(self.heads):
            self._compare(self.heads[self.next_head], at_end=True)
            self.next_head += 1
        if self.genesis_id is None:
            self.event_breaks.append(
                Break(
                    "genesis",
                    "封存记录缺失: the chain's genesis record is missing (deleted)",
                    self.before_genesis[0] if self.before_genesis else None,
                    _CHAIN_OID,
                    1,
                    position=1,
                )
            )
        breaks = _collapse(self.event_breaks)
        flagged = {b.notification_id for b in breaks}
        seen: set[tuple[str, int | None, int | None]] = set()
        for b in self.head_breaks:
            key = (b.kind, b.notification_id, b.last_id)
            if key in seen:
                continue
            seen.add(key)
            if b.kind in ("moved", "inserted") and b.notification_id in flagged:
                continue  # the event's own break says more
            breaks.append(b)
        placed = [b.notification_id for b in breaks if b.kind != "anchor" and b.notification_id]
        # an anchor mismatch that a named break before it explains says nothing more
        breaks = [
            b
            for b in breaks
            if b.kind != "anchor" or not any(n <= (b.last_id or 0) for n in placed)
        ]
        # by position; a finding that names no notification after those that do
        breaks.sort(key=lambda b: (b.position, b.notification_id or 1 << 62))
        notes = list(self.notes)
        for kid, n in sorted(self.unchecked_heads.items()):
            notes.append(
                f"{n} head(s) signed with key {kid}, which was not supplied "
                f"({RETIRED_KEYS_VARIABLE}): their signatures were not checked"
            )
        key_id_ = self.info.current_key_id
        if key_id_ is None:
            notes.insert(0, UNKEYED_WARNING)
        if self.unchecked_keys:
            notes.append(
                "events sealed with retired key(s) "
                f"{', '.join(sorted(self.unchecked_keys))} were checked only against the "
                f"rotation's anchor: supply the key(s) in {RETIRED_KEYS_VARIABLE} to check "
                "each seal"
            )
        adopted = self.info.adopted_after
        if adopted:
            notes.append(
                f"sealed from notification {self.genesis_id} on by adoption: notifications "
                f"up to {adopted} were written by an earlier release (or the store's first "
                "genesis record was deleted)"
            )
        if self.outside == 0:
            notes.append(
                "没有库外的日志封印 (no sealed head from outside the database was checked): a "
                "cut-off tail or a deleted record cannot be ruled out; set "
                f"{HEADS_VARIABLE}, or give --head FILE"
            )
        covered = self.heads[-1] if self.heads else None
        after = self.count - covered.count if covered else self.count
        self.report = VerifyReport(
            events=self.count,
            records=len(self.records),
            last_notification_id=self.state.position,
            log_hash=self.state.running.hex(),
            key_id=key_id_,
            genesis_id=self.genesis_id,
            heads_checked=self.checked,
            heads_outside=self.outside,
            events_after_head=max(after, 0),
            breaks=tuple(breaks),
            notes=tuple(notes),
            adopted_after=adopted,
        )


def _chunks(text: str) -> Iterator[bytes]:
    try:
        data = unb64(text)
    except ValueError:
        return
    for i in range(0, len(data) - FINGERPRINT_SIZE + 1, FINGERPRINT_SIZE):
        yield data[i : i + FINGERPRINT_SIZE]


def _collapse(breaks: list[Break]) -> list[Break]:
    """Runs of unsealed events become one break naming the range (a store stripped of every
    seal is one finding, not thousands)."""
    out: list[Break] = []
    for b in breaks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and b.kind == "unsealed"
            and prev.kind == "unsealed"
            and b.notification_id is not None
            and prev.notification_id is not None
            and b.notification_id == (prev.last_id or prev.notification_id) + 1
        ):
            high = b.notification_id
            out[-1] = Break(
                "unsealed",
                "缺少封印: events without a seal in a sealed store (inserted, or their seals "
                "stripped: a downgrade)",
                prev.notification_id,
                prev.aggregate_id,
                prev.version,
                prev.position,
                last_id=high,
            )
            continue
        out.append(b)
    return out


# --- wiring ------------------------------------------------------------------------------------


def hash_chain_mapper(app: OfficeApplication, transcoder: Transcoder) -> HashChainMapper:
    """The ``mapper_factory`` of :class:`~govoffice.application.app.OfficeApplication`: the
    application's cipher and compressor, the audit key (``AUDIT_KEY``), the retired keys
    (``AUDIT_RETIRED_KEYS``, comma-separated), where heads go (``AUDIT_HEADS``) and how often
    (``AUDIT_HEAD_EVERY``), each also ``GOVOFFICE_``-prefixed."""
    key = app.env.get("AUDIT_KEY") or None
    retired = [k.strip().encode() for k in (app.env.get("AUDIT_RETIRED_KEYS") or "").split(",")]
    ref = weakref.ref(app)

    def recorder() -> ApplicationRecorder | None:
        live = ref()
        return getattr(live, "recorder", None) if live is not None else None

    mapper = HashChainMapper(
        transcoder,
        compressor=app.factory.compressor(),
        cipher=app.factory.cipher(),
        key=key.encode() if key else None,
        recorder=recorder,
    )
    settings = {
        name: app.env.get(name) or ""
        for name in ("PERSISTENCE_MODULE", "SQLITE_DBNAME", "POSTGRES_DBNAME", "POSTGRES_SCHEMA")
    }
    settings["STORE_URL"] = getattr(app, "store_url", "")
    every = app.env.get("AUDIT_HEAD_EVERY") or ""
    mapper.tamper_evidence = ChainAudit(
        mapper,
        recorder,
        key=key.encode() if key else None,
        retired_keys=[k for k in retired if k],
        settings=settings,
        heads=app.env.get("AUDIT_HEADS") or None,
        head_every=int(every) if every.isdigit() else DEFAULT_HEAD_EVERY,
    )
    return mapper
