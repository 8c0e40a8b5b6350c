"""封印 what the sealed record answers (ADR 0018, 0030, 0031): the types of ``office.audit``'s
tamper evidence, and what a store adapter that seals events must provide.

- :class:`Head`: a sealed head of the log (in the manner of Certificate Transparency's
  signed tree heads): position, event count, running hash, time, key id, signature, and
  the fingerprints of the positions it newly covers, so a verifier can name the first
  broken position, or the exact range that is missing.
- :class:`Break`: one place where the stored log does not match its seals or its heads.
- :class:`VerifyReport`: the whole log's verdict, with notes on what was *not* ruled out
  (no key, no head outside the database, a retired key not supplied).
- :class:`TamperEvidence`: the adapter's side (the hash chain, its genesis record, key
  rotation, the heads).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from govoffice.domain.errors import GovOfficeError, InvalidInput

KEY_VARIABLE = "GOVOFFICE_AUDIT_KEY"
"""The environment variable that holds the audit key."""
RETIRED_KEYS_VARIABLE = "GOVOFFICE_AUDIT_RETIRED_KEYS"
"""Keys retired by a rotation, comma-separated: needed to name an event changed before the
rotation (the rotation's anchor finds such a change without them)."""
HEADS_VARIABLE = "GOVOFFICE_AUDIT_HEADS"
"""Where sealed heads are written outside the database: a JSON-lines file, or a directory."""

HEAD_FORMAT = 1
"""The version of a head's JSON form."""

UNKEYED_WARNING = (
    "未设审计密钥 (no audit key): the chain finds accidental corruption and naive edits, "
    "but anyone who can write the database can recompute it; set "
    f"{KEY_VARIABLE} for a new store, or `govoffice audit rotate-key` for this one"
)


@attrs.frozen
class Head:
    """日志封印 the log as it stood when the head was sealed.

    ``position`` is the last notification id covered and ``count`` the number of events up
    to it; ``log_hash`` is the running hash over every event's position and seal. The head
    lists the notification ids (``ids``, as inclusive ranges) and a 4-byte fingerprint of
    each (``fingerprints``, base64) of the segment ``start < id <= position`` it newly
    covers. ``chain`` names the store (from its genesis record); ``key_id`` the audit key
    that signed it (None: unkeyed, ``signature`` is then a plain SHA-256). ``source`` says
    where it was read from (not signed)."""

    chain: str
    position: int
    count: int
    log_hash: str
    start: int
    ids: tuple[tuple[int, int], ...]
    fingerprints: str
    recorded_at: datetime
    key_id: str | None
    scheme: str
    signature: str
    source: str = attrs.field(default="", eq=False)

    @property
    def notification_id(self) -> int:
        return self.position

    @property
    def global_hash(self) -> str:
        return self.log_hash

    def fields(self) -> dict[str, object]:
        """Every signed field, as stored (the signature covers their canonical JSON)."""
        return {
            "head": HEAD_FORMAT,
            "scheme": self.scheme,
            "chain": self.chain,
            "position": self.position,
            "count": self.count,
            "log_hash": self.log_hash,
            "start": self.start,
            "ids": [list(r) for r in self.ids],
            "fp": self.fingerprints,
            "recorded_at": self.recorded_at.isoformat(),
            "key_id": self.key_id,
        }

    def to_json(self) -> str:
        """The head as one JSON line (what a heads file holds and ``--head`` reads)."""
        return json.dumps({**self.fields(), "sig": self.signature}, ensure_ascii=True)

    def segment(self) -> Iterator[int]:
        """The notification ids the head newly covers, in order."""
        for low, high in self.ids:
            yield from range(low, high + 1)

    def describe(self) -> str:
        when = self.recorded_at.isoformat(timespec="seconds")
        key = f"key {self.key_id}" if self.key_id else "no key"
        return (
            f"notification {self.position}, {self.count} events, log hash {self.log_hash} "
            f"({when}, {key})"
        )


Checkpoint = Head
"""A checkpoint is a head sealed after a full verification (``office.audit.checkpoint()``)."""


@attrs.frozen
class Break:
    """One place where the stored log does not match its seals or its heads.

    ``kind`` is one of ``altered`` (an event does not match its seal), ``sequence`` (a
    version missing or out of order), ``unsealed`` (events without a seal), ``malformed``,
    ``genesis`` (the chain's first record missing or preceded), ``missing`` (positions a
    head lists are gone), ``truncated`` (the log's tail is gone), ``inserted`` (a position no
    head lists), ``moved`` (what stands at a position differs from the head: moved, replaced
    or re-sealed), ``head`` (a head that does not verify, or a change a head cannot place),
    ``anchor`` (the history before a key rotation changed). ``notification_id`` and
    ``last_id`` bound the notifications concerned; ``aggregate_id`` and ``version`` name the
    event; ``position`` orders breaks (the earliest notification that may be the broken one).
    """

    kind: str
    detail: str
    notification_id: int | None = None
    aggregate_id: str | None = None
    version: int | None = None
    position: int = 0
    last_id: int | None = None

    def describe(self) -> str:
        where = []
        if self.notification_id is not None:
            if self.last_id is not None and self.last_id != self.notification_id:
                where.append(f"notifications {self.notification_id}-{self.last_id}")
            else:
                where.append(f"notification {self.notification_id}")
        if self.aggregate_id is not None:
            where.append(f"record {self.aggregate_id}")
        if self.version is not None:
            where.append(f"v{self.version}")
        place = ", ".join(where) or "log"
        return f"[{self.kind}] {place}: {self.detail}"


@attrs.frozen
class Difference:
    """One derived row that does not match the events it was derived from."""

    view: str
    table: str
    key: str
    problem: str
    """``forged`` (no such row in a rebuild), ``missing``, ``altered``, ``corrupt`` (cannot be
    decoded), ``unverified`` (its source event is missing or does not verify), ``not
    finished`` (a tick-memo row for a record that is not finished) or ``bad seal``."""
    detail: str = ""
    repaired: bool = False

    def describe(self) -> str:
        done = " (repaired)" if self.repaired else ""
        return f"[{self.problem}] {self.view} / {self.table} / {self.key}: {self.detail}{done}"


@attrs.frozen
class DerivedReport:
    """派生数据核对 the views, the outbox and the tick memo against the events."""

    views: tuple[str, ...]
    rows: int
    differences: tuple[Difference, ...] = ()
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.differences

    def describe(self) -> str:
        head = f"{len(self.views)} view(s), {self.rows} row(s) compared with a rebuild"
        if self.ok:
            return f"派生数据一致 derived data matches the events: {head}"
        fixed = "; repaired" if self.repaired else "; run with --repair to rebuild them"
        lines = [f"派生数据不符 {len(self.differences)} derived row(s) do not match: {head}{fixed}"]
        lines.extend(f"  {d.describe()}" for d in self.differences[:20])
        if len(self.differences) > 20:
            lines.append(f"  ... and {len(self.differences) - 20} more")
        return "\n".join(lines)


@attrs.frozen
class VerifyReport:
    """校验结果 of the whole log: clean, or the breaks found (the first one first).

    ``notes`` say what the verification could *not* rule out (no audit key, no head outside
    the database, a retired key not supplied); they are not breaks. ``derived`` is the
    check of the views, outbox and tick memo when asked for (``views=True``)."""

    events: int
    records: int
    last_notification_id: int
    log_hash: str
    key_id: str | None
    genesis_id: int | None
    heads_checked: int
    heads_outside: int
    events_after_head: int
    breaks: tuple[Break, ...] = ()
    notes: tuple[str, ...] = ()
    adopted_after: int = 0
    derived: DerivedReport | None = None

    @property
    def keyed(self) -> bool:
        return self.key_id is not None

    @property
    def global_hash(self) -> str:
        return self.log_hash

    @property
    def chain_ok(self) -> bool:
        """The events match their seals and heads (the derived data aside)."""
        return not self.breaks

    @property
    def ok(self) -> bool:
        return self.chain_ok and (self.derived is None or self.derived.ok)

    @property
    def truncation_ruled_out(self) -> bool:
        """A head kept outside the database was checked: a cut-off tail up to it is found."""
        return self.heads_outside > 0

    @property
    def first(self) -> Break | None:
        """The first broken event (None when the log is clean)."""
        return self.breaks[0] if self.breaks else None

    def describe(self) -> str:
        mode = f"HMAC-SHA256, key {self.key_id}" if self.key_id else "SHA-256, NO KEY"
        head = (
            f"{self.events} events in {self.records} records, up to notification "
            f"{self.last_notification_id}; chain {mode}; {self.heads_checked} sealed head(s) "
            f"checked ({self.heads_outside} from outside the database), "
            f"{self.events_after_head} event(s) after the last"
        )
        lines: list[str] = []
        if self.chain_ok:
            lines.append(f"完好 clean: {head}; log hash {self.log_hash}")
        else:
            first = self.first
            assert first is not None
            lines.append(f"已被篡改 TAMPERED: first broken event: {first.describe()}")
            lines.append(f"{len(self.breaks)} break(s) in all; {head}")
            lines.extend(f"  {b.describe()}" for b in self.breaks[1:20])
            if len(self.breaks) > 20:
                lines.append(f"  ... and {len(self.breaks) - 20} more")
        lines.extend(f"注意 note: {n}" for n in self.notes)
        if self.derived is not None:
            lines.append(self.derived.describe())
        return "\n".join(lines)


@attrs.frozen
class EventSeal:
    """One stored event whose seal verified: the record, its version and its topic."""

    record_id: uuid.UUID
    version: int
    topic: str


@runtime_checkable
class TamperEvidence(Protocol):
    """What a store adapter that seals events provides (ADR 0018, 0030)."""

    @property
    def keyed(self) -> bool: ...

    @property
    def key_id(self) -> str | None: ...

    def verify(self, heads: Sequence[Head] = ()) -> VerifyReport:
        """Check every event's seal, the chain's genesis and key rotations, and the log
        against every sealed head found (and ``heads``)."""
        ...

    def write_checkpoint(self, report: VerifyReport) -> Head:
        """Seal a head of the log a clean ``report`` verified."""
        ...

    def checkpoints(self) -> list[Head]:
        """Every sealed head of this store that can be found, by position."""
        ...

    def seal_head(self) -> Head | None:
        """Seal a head of what is new since the last one (None: nothing new)."""
        ...

    def summary_head(self) -> Head | None:
        """Seal what is new; the latest head in short (no fingerprints), signed."""
        ...

    def read_heads(self, path: str) -> list[Head]:
        """The heads in a file (JSON lines, or one JSON object)."""
        ...

    def verify_event(self, record_id: uuid.UUID, version: int) -> EventSeal: ...

    def rotate_key(self, new_key: str) -> Head: ...

    def mac(self, purpose: str, message: str) -> str:
        """A tag over ``message`` under the audit key (a plain hash without one)."""
        ...

    def check_mac(self, purpose: str, message: str, tag: object) -> bool: ...

    def stop_heads(self, reason: str) -> None:
        """Seal no more heads in this process (the log was found tampered)."""
        ...


# --- errors --------------------------------------------------------------------------------


class AuditKeyError(GovOfficeError):
    """The audit key configured does not fit the store: nothing may be written with it."""


class AuditKeyMissing(AuditKeyError):
    def __init__(self, expected: str | None) -> None:
        which = f"审计密钥 {expected}" if expected else "审计密钥 (written by an earlier release)"
        super().__init__(
            f"此存储以{which}封存, 但未配置密钥; 请设置 {KEY_VARIABLE} "
            f"(the store is sealed with audit key id {expected or 'unknown'}: set {KEY_VARIABLE}; "
            "nothing can be written or verified without it)",
            expected=expected,
        )


class AuditKeyMismatch(AuditKeyError):
    def __init__(self, expected: str | None, configured: str | None, *, retired: bool) -> None:
        hint = (
            " — that key was retired by a key rotation; use the current one"
            if retired
            else " — or the store's seal record was rewritten by someone else"
        )
        super().__init__(
            f"审计密钥不符: 此存储以密钥 {expected or '(earlier release)'} 封存, "
            f"{KEY_VARIABLE} 的密钥是 {configured} (wrong audit key{hint})",
            expected=expected,
            configured=configured,
        )


class AuditKeyUnexpected(AuditKeyError):
    def __init__(self, configured: str | None) -> None:
        super().__init__(
            f"此存储未以审计密钥封存, 而 {KEY_VARIABLE} 配置了密钥 {configured} "
            "(the store is sealed without a key; to key it run `govoffice audit rotate-key` "
            f"with {KEY_VARIABLE} unset and GOVOFFICE_AUDIT_NEW_KEY set)",
            configured=configured,
        )


class AuditUnavailable(GovOfficeError):
    """The store was opened without the hash chain, so there is nothing to verify."""

    def __init__(self, store_url: str) -> None:
        super().__init__(
            f"存储 {store_url} 未启用防篡改哈希链 (tamper evidence is not enabled on this store)",
            store_url=store_url,
        )


class TamperDetected(GovOfficeError):
    """A checkpoint or a key rotation was asked for, but the log does not verify: it would
    bless the tampering."""

    report: VerifyReport

    def __init__(self, report: VerifyReport) -> None:
        first = report.first
        super().__init__(
            "事件存储已被篡改,不能封印 (the log does not verify; nothing sealed): "
            f"{first.describe() if first else ''}",
            report=report,
        )


class UnverifiedEvent(GovOfficeError):
    """事件无法核实: the event a derived row (an outbox row, a view row) names does not exist in
    the store, or its seal does not verify. ``reason`` is ``missing``, ``unsealed``,
    ``sequence`` (its predecessor is missing) or ``altered``."""

    def __init__(self, event_id: str, reason: str, detail: str) -> None:
        super().__init__(
            f"事件 {event_id} 无法核实 (event cannot be verified: {reason}): {detail}",
            event_id=event_id,
            reason=reason,
        )
        self.event_id = event_id
        self.reason = reason


class HeadsUnavailable(GovOfficeError):
    """The place sealed heads go outside the database cannot be written or read."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"日志封印文件 {path} 无法读写: {reason} (sealed heads cannot be kept there; "
            f"check {HEADS_VARIABLE})",
            path=path,
            reason=reason,
        )


class BadHeadFile(InvalidInput):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"日志封印文件 {path} 无法读取: {reason} (not a sealed head file)", path=path
        )


def parse_event_id(record_id: object, version: object = None) -> tuple[uuid.UUID, int]:
    """``(record id, version)`` from ``"<uuid>/<version>"`` (an outbox row's ``event_id``) or
    from a record id and a version; a malformed id is :class:`InvalidInput`."""
    if version is None and isinstance(record_id, str) and "/" in record_id:
        record_id, _, version = record_id.rpartition("/")
    try:
        rid = record_id if isinstance(record_id, uuid.UUID) else uuid.UUID(str(record_id))
        number = int(str(version)) if not isinstance(version, bool) else -1
    except (TypeError, ValueError):
        raise InvalidInput(
            f"事件标识 {record_id!r}/{version!r} 不正确 (use '<record uuid>/<version>')"
        ) from None
    if number < 1:
        raise InvalidInput(f"事件版本 {version!r} 不正确 (a positive integer)")
    return rid, number
