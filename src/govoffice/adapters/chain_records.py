"""链记录 the chain's own records: its genesis and its key rotations (ADR 0030).

They are events of one small record with a fixed id (:data:`CHAIN_ID`) in the office's own
log, sealed in the same chain as every other event, so deleting or editing one is found
like any other change. Their payload is the transcoded event only (never compressed or
encrypted), so an auditor without the cipher key can read which key sealed the store.

- :class:`ChainSealed` (version 1, the genesis): the chain scheme and the key id of the
  store's audit key (None: unkeyed). A new store writes it as its first event, when it is
  first opened. A store written by an earlier release (events sealed, no genesis) gets one
  when this release first opens it, with ``adopted_after`` the last notification id then.
- :class:`ChainKeyRotated`: the new key id; ``upto``/``count``/``anchor``: the running
  digest of every event's content up to notification ``upto``, tagged with the *new* key,
  so the history before the rotation stays checkable with the new key alone; ``proof``:
  the anchor tagged with the *old* key (the old key's holder agreed).
"""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import ApplicationRecorder, StoredEvent, Transcoder
from eventsourcing.utils import register_topic

from govoffice.adapters.hashchain import (
    CHAIN_TOPIC_PREFIX,
    GENESIS,
    ChainHash,
    Envelope,
    seal,
)

CHAIN_ID = uuid.uuid5(uuid.NAMESPACE_URL, "urn:govoffice:audit-chain")
"""The id of the chain's own record (the same in every store)."""
SCHEME = "govoffice-chain/1"
"""Seals as in :mod:`govoffice.adapters.hashchain`; heads as in ADR 0030."""
SEALED_TOPIC = f"{CHAIN_TOPIC_PREFIX}Sealed"
ROTATED_TOPIC = f"{CHAIN_TOPIC_PREFIX}KeyRotated"


class ChainSealed(DomainEvent):
    """封存 the store is sealed from here: the scheme and the audit key's id."""

    scheme: str
    key_id: str | None
    adopted_after: int


class ChainKeyRotated(DomainEvent):
    """更换审计密钥: events after this one are sealed with the key ``key_id``."""

    previous_key_id: str | None
    key_id: str
    upto: int
    count: int
    anchor: str
    proof: str | None


register_topic(SEALED_TOPIC, ChainSealed)
register_topic(ROTATED_TOPIC, ChainKeyRotated)


@attrs.frozen
class ChainEntry:
    """One stored chain record, as read back (``fields`` is its decoded JSON, empty when it
    cannot be read)."""

    version: int
    topic: str
    fields: dict[str, Any]
    envelope_valid: bool
    seal: bytes
    payload: bytes
    mode: int

    @property
    def key_id(self) -> str | None:
        value = self.fields.get("key_id")
        return value if isinstance(value, str) else None

    def int_field(self, name: str) -> int:
        value = self.fields.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def str_field(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if isinstance(value, str) else None


@attrs.frozen
class ChainInfo:
    """The chain as its records say: the genesis, then the rotations, in version order."""

    entries: tuple[ChainEntry, ...]

    @property
    def genesis(self) -> ChainEntry | None:
        first = self.entries[0] if self.entries else None
        return first if first is not None and first.topic == SEALED_TOPIC else None

    @property
    def rotations(self) -> tuple[ChainEntry, ...]:
        return tuple(e for e in self.entries if e.topic == ROTATED_TOPIC)

    @property
    def chain_id(self) -> str:
        """The store's name in its heads: the genesis seal's first 8 bytes (hex)."""
        genesis = self.genesis
        return genesis.seal[:8].hex() if genesis is not None else ""

    @property
    def current_key_id(self) -> str | None:
        rotations = self.rotations
        if rotations:
            return rotations[-1].key_id
        genesis = self.genesis
        return genesis.key_id if genesis is not None else None

    @property
    def key_ids(self) -> list[str | None]:
        """Every key id the chain has used, oldest first."""
        genesis = self.genesis
        rotations = self.rotations
        if genesis is not None:
            first = genesis.key_id
        elif rotations:
            first = rotations[0].str_field("previous_key_id")  # the genesis is gone
        else:
            first = None
        ids: list[str | None] = [first]
        ids.extend(r.key_id for r in rotations)
        return ids

    @property
    def adopted_after(self) -> int:
        genesis = self.genesis
        return genesis.int_field("adopted_after") if genesis is not None else 0

    @property
    def last_seal(self) -> bytes:
        return self.entries[-1].seal if self.entries else GENESIS


def _decode(payload: bytes) -> dict[str, Any]:
    try:
        fields = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return {}
    return fields if isinstance(fields, dict) else {}


def entry(stored: StoredEvent) -> ChainEntry:
    envelope = Envelope(stored.state)
    return ChainEntry(
        version=stored.originator_version,
        topic=stored.topic,
        fields=_decode(envelope.payload),
        envelope_valid=envelope.valid,
        seal=envelope.event_hash,
        payload=envelope.payload,
        mode=envelope.mode,
    )


def read_chain(recorder: ApplicationRecorder) -> ChainInfo:
    return ChainInfo(tuple(entry(s) for s in recorder.select_events(CHAIN_ID)))


def stored_record(
    transcoder: Transcoder,
    hasher: ChainHash,
    event: DomainEvent,
    prev: bytes,
) -> StoredEvent:
    """The chain record ``event`` as stored: transcoded (no compression, no cipher) and
    sealed under ``hasher`` after ``prev``."""
    state = dict(vars(event))
    originator_id = state.pop("originator_id")
    version = state.pop("originator_version")
    payload = transcoder.encode(state)
    topic = SEALED_TOPIC if isinstance(event, ChainSealed) else ROTATED_TOPIC
    event_hash = hasher.event(prev, str(originator_id), version, topic, payload)
    return StoredEvent(
        originator_id=originator_id,
        originator_version=version,
        topic=topic,
        state=seal(hasher.mode, event_hash, payload),
    )


def genesis_event(scheme: str, key_id: str | None, adopted_after: int) -> ChainSealed:
    make: Any = ChainSealed  # a dataclass made by the library's metaclass (mypy cannot tell)
    event: ChainSealed = make(
        originator_id=CHAIN_ID,
        originator_version=1,
        timestamp=datetime.now(UTC),
        scheme=scheme,
        key_id=key_id,
        adopted_after=adopted_after,
    )
    return event


def rotation_event(
    version: int,
    previous_key_id: str | None,
    key_id: str,
    upto: int,
    count: int,
    anchor: str,
    proof: str | None,
) -> ChainKeyRotated:
    make: Any = ChainKeyRotated
    event: ChainKeyRotated = make(
        originator_id=CHAIN_ID,
        originator_version=version,
        timestamp=datetime.now(UTC),
        previous_key_id=previous_key_id,
        key_id=key_id,
        upto=upto,
        count=count,
        anchor=anchor,
        proof=proof,
    )
    return event


def anchor_message(digest: bytes, upto: int, count: int) -> bytes:
    return digest + upto.to_bytes(8, "big") + count.to_bytes(8, "big")


def proof_message(key_id: str, anchor: str) -> bytes:
    return f"{key_id}\x00{anchor}".encode()


def check_tag(expected: bytes, given: str | None) -> bool:
    if not isinstance(given, str):
        return False
    try:
        return hmac.compare_digest(expected, bytes.fromhex(given))
    except ValueError:
        return False


def keys_by_id(keys: Sequence[bytes]) -> dict[str, bytes]:
    from govoffice.adapters.hashchain import key_id

    found: dict[str, bytes] = {}
    for key in keys:
        kid = key_id(key)
        if kid is not None:
            found[kid] = key
    return found
