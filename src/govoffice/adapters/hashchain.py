"""防篡改 the seal inside every stored event (ADR 0018, 0030).

:class:`HashChainMapper` is eventsourcing's :class:`~eventsourcing.persistence.Mapper` with
one more step, so it works on every recorder (memory, SQLite, PostgreSQL). The stored
``state`` becomes an envelope::

    MAGIC (7 bytes) | mode (1 byte: 0 SHA-256, 1 HMAC-SHA256) | seal (32 bytes) | payload

where ``payload`` is exactly what the plain mapper stores (the transcoded event, compressed
and encrypted when configured, so verifying needs no cipher key), and::

    seal = H(prev_seal | originator_id | version | topic | payload)

``prev_seal`` is the seal of the same record's previous version (32 zero bytes for version
1). ``H`` is HMAC-SHA256 under the audit key in force (``GOVOFFICE_AUDIT_KEY``) when the
store is keyed, plain SHA-256 otherwise. Decoding strips the envelope.

This module holds the primitives the rest of the chain shares: the seal, the key id, the
running hash of the whole log and the per-event fingerprints the sealed heads list
(:mod:`govoffice.adapters.chain_audit` walks and anchors the log with them).

The mapper learns the previous seals from the events it decodes and encodes (a bounded
per-record cache; a seal it computed is trusted only by the thread that computed it, until
the store confirms it); when it does not know one it reads the record's previous event
through the recorder. Two writers of the same version still collide on the store's unique
key, so each record's chain stays linear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
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

if TYPE_CHECKING:
    from govoffice.adapters.chain_audit import ChainAudit

MAGIC = b"\x89GOVHC\x01"
"""Opens every sealed state: a byte no JSON text or zlib stream starts with, the name, and
the envelope's format version."""
MODE_SHA256 = 0
MODE_HMAC = 1
HASH_SIZE = 32
HEADER_SIZE = len(MAGIC) + 1 + HASH_SIZE
GENESIS = bytes(HASH_SIZE)
"""The ``prev_seal`` of a record's first event, and the log's running hash before any."""
FINGERPRINT_SIZE = 4
_EVENT_TAG = b"govoffice/event/v1\x00"
_CONTENT_TAG = b"govoffice/content/v1\x00"
_LOG_TAG = b"govoffice/log/v2\x00"
_FINGERPRINT_TAG = b"govoffice/fingerprint/v1\x00"
_KEY_ID_MESSAGE = b"govoffice key id"
CHAIN_TOPIC_PREFIX = "govoffice/audit-chain/"
"""The chain's own records (genesis, key rotations): stored without compression or
encryption, so that an auditor without the cipher key can read them."""


def key_id(key: bytes | None) -> str | None:
    """A short, non-secret name of an audit key: the first 8 bytes (hex) of
    HMAC-SHA256(key, "govoffice key id"). None for no key."""
    if not key:
        return None
    return hmac.new(key, _KEY_ID_MESSAGE, hashlib.sha256).digest()[:8].hex()


class ChainHash:
    """The hash function of the chain: HMAC-SHA256 under ``key``, else SHA-256."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or None
        self.key_id = key_id(self.key)

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

    def mac(self, purpose: str, message: bytes) -> bytes:
        """A tag over ``message`` for ``purpose`` (a head, a tick-memo row, an anchor):
        HMAC under the key, or a plain SHA-256 (which only finds accidents) without one."""
        h = self._new()
        h.update(b"govoffice/" + purpose.encode() + b"\x00")
        h.update(message)
        digest: bytes = h.digest()
        return digest


def content_digest(originator_id: str, version: int, topic: str, payload: bytes) -> bytes:
    """SHA-256 of what an event says (record, version, topic, stored payload), whatever key
    sealed it: what a key rotation's anchor covers."""
    h = hashlib.sha256(_CONTENT_TAG)
    oid = originator_id.encode()
    top = topic.encode()
    h.update(len(oid).to_bytes(4, "big"))
    h.update(oid)
    h.update(version.to_bytes(8, "big", signed=True))
    h.update(len(top).to_bytes(4, "big"))
    h.update(top)
    h.update(payload)
    return h.digest()


def log_step(running: bytes, notification_id: int, seal_: bytes) -> bytes:
    """The log's running hash after one more event: SHA-256 over the previous running hash,
    the event's position and its seal (no key: a head's signature is what a key adds)."""
    return hashlib.sha256(
        _LOG_TAG + running + notification_id.to_bytes(8, "big", signed=True) + seal_
    ).digest()


def fingerprint(notification_id: int, seal_: bytes) -> bytes:
    """4 bytes naming what stands at one position of the log (a sealed head lists them, so
    a verifier can name exactly which positions changed)."""
    digest = hashlib.sha256(
        _FINGERPRINT_TAG + notification_id.to_bytes(8, "big", signed=True) + seal_
    ).digest()
    return digest[:FINGERPRINT_SIZE]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def seal(mode: int, event_hash: bytes, payload: bytes) -> bytes:
    return MAGIC + bytes([mode]) + event_hash + payload


class Envelope:
    """A stored state taken apart: ``sealed`` False for a state without a seal."""

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

    @property
    def valid(self) -> bool:
        return self.sealed and not self.malformed


class HashChainMapper(Mapper[uuid.UUID]):
    """The plain mapper, sealing each event in the record's hash chain (see the module)."""

    tamper_evidence: ChainAudit
    """The :class:`~govoffice.application.audit.TamperEvidence` ``office.audit`` uses (set
    by :func:`govoffice.adapters.chain_audit.hash_chain_mapper`)."""

    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
        *,
        key: bytes | None = None,
        recorder: Callable[[], ApplicationRecorder | None] = lambda: None,
        cache_size: int = 10_000,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.hasher = ChainHash(key)
        self._recorder = recorder
        self._heads: OrderedDict[str, tuple[int, bytes, int | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._cache_size = cache_size

    def use_key(self, key: bytes | None) -> None:
        """Seal from now on under ``key`` (after a key rotation)."""
        self.hasher = ChainHash(key)

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
        """The seal of the record's event ``version - 1`` (genesis for the first)."""
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
        if envelope.valid:
            return envelope.event_hash
        # The predecessor has no seal (verification reports it): chain over what the
        # verifier computes for it, its hash over the record's history from the start.
        head = GENESIS
        for row in recorder.select_events(originator_id, lte=version - 1):
            env = Envelope(row.state)
            computed = self.hasher.event(head, oid, row.originator_version, row.topic, env.payload)
            head = env.event_hash if env.valid else computed
        return head

    # --- the mapper ----------------------------------------------------------------------

    def to_stored_event(self, domain_event: DomainEventProtocol[uuid.UUID]) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        if isinstance(domain_event, CanSnapshotAggregate):
            return stored  # snapshots live in their own table and are not part of the log
        version = stored.originator_version
        prev = self._prev_hash(stored.originator_id, version)
        oid = str(stored.originator_id)
        hasher = self.hasher
        event_hash = hasher.event(prev, oid, version, stored.topic, stored.state)
        self._remember(oid, version, event_hash, decoded=False)
        return StoredEvent(
            originator_id=stored.originator_id,
            originator_version=version,
            topic=stored.topic,
            state=seal(hasher.mode, event_hash, stored.state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[uuid.UUID]:
        envelope = Envelope(stored_event.state)
        oid = str(stored_event.originator_id)
        version = stored_event.originator_version
        if envelope.valid:
            self._remember(oid, version, envelope.event_hash, decoded=True)
        elif not envelope.sealed:
            prev = GENESIS if version <= 1 else self._known(oid, version - 1)
            if prev is not None and not _is_snapshot(stored_event.topic):
                computed = self.hasher.event(
                    prev, oid, version, stored_event.topic, envelope.payload
                )
                self._remember(oid, version, computed, decoded=True)
        plain = StoredEvent(
            originator_id=stored_event.originator_id,
            originator_version=version,
            topic=stored_event.topic,
            state=envelope.payload,
        )
        if stored_event.topic.startswith(CHAIN_TOPIC_PREFIX):
            return Mapper(self.transcoder).to_domain_event(plain)  # never compressed/encrypted
        return super().to_domain_event(plain)

    # --- following the log (the sealed heads, ADR 0030) ----------------------------------

    def recorded(self, last_notification_id: int) -> None:
        """Called by the application after each save (see ``FollowsTheLog``)."""
        evidence = getattr(self, "tamper_evidence", None)
        if evidence is not None:
            evidence.recorded(last_notification_id)

    def closing(self) -> None:
        """Called by the application as it closes: seal a head of what is new."""
        evidence = getattr(self, "tamper_evidence", None)
        if evidence is not None:
            evidence.closing()


def _is_snapshot(topic: str) -> bool:
    try:
        cls = resolve_topic(topic)
    except Exception:
        return False
    return isinstance(cls, type) and issubclass(cls, CanSnapshotAggregate)
