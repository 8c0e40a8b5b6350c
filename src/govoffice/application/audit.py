"""审计 ``office.audit``: has the record been altered since it was written, and who decided what.

- :meth:`AuditService.verify` recomputes the hash chain of every stored event (per record, and
  one running hash over the whole log compared with the checkpoints) and names the first
  broken event: an edited payload, a deleted, reordered or inserted event, a truncated tail
  (ADR 0018). The chain itself is written by the store adapter (a mapper); this module only
  defines what the adapter must answer (:class:`TamperEvidence`).
- :meth:`AuditService.checkpoint` anchors the log as it is now (after verifying it).
- :meth:`AuditService.trail` replays one record: every decision with who, on whose behalf,
  when and which opinion; its state as of a business time or version; and whether each
  actor held the role the step needed at that time (from the organisation's history).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import takewhile
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs
import pendulum
from eventsourcing.utils import resolve_topic

from govoffice.application.app import as_uuid
from govoffice.application.audit_rules import RoleCheck, check_decision
from govoffice.application.history import Decision, decisions
from govoffice.application.typecheck import Facade
from govoffice.domain.base import OfficeAggregate
from govoffice.domain.errors import GovOfficeError, InvalidInput, RecordNotFound
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import business_time, positive_int

if TYPE_CHECKING:
    from govoffice.application.office import Office


# --- what the store adapter reports ------------------------------------------------------


@attrs.frozen
class Checkpoint:
    """检查点 the log's running hash after ``notification_id`` (``count`` events), written
    at ``recorded_at`` (wall-clock time of the checkpoint, UTC)."""

    notification_id: int
    global_hash: str
    count: int
    recorded_at: datetime
    keyed: bool


@attrs.frozen
class Break:
    """One place where the stored log does not match its chain.

    ``notification_id`` is where the break was found; ``aggregate_id`` and ``version`` name
    the event that is wrong or missing (None when only the whole-log hash can tell, e.g. a
    truncated tail); ``kind`` is one of ``altered``, ``sequence`` (a version missing or out
    of order), ``unsealed`` (an event without a hash where every event has one),
    ``malformed``, ``checkpoint`` (the log differs from a checkpoint in a range of
    notifications) or ``truncated``; ``position`` orders breaks (the earliest notification
    that may be the broken one)."""

    kind: str
    detail: str
    notification_id: int | None = None
    aggregate_id: str | None = None
    version: int | None = None
    position: int = 0

    def describe(self) -> str:
        where = []
        if self.notification_id is not None:
            where.append(f"notification {self.notification_id}")
        if self.aggregate_id is not None:
            where.append(f"record {self.aggregate_id}")
        if self.version is not None:
            where.append(f"v{self.version}")
        place = ", ".join(where) or "log"
        return f"[{self.kind}] {place}: {self.detail}"


@attrs.frozen
class VerifyReport:
    """校验结果 of the whole log: clean, or the breaks found (the first one first)."""

    events: int
    records: int
    last_notification_id: int
    global_hash: str
    keyed: bool
    checkpoints_checked: int
    events_after_checkpoint: int
    legacy_events: int
    breaks: tuple[Break, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        """The first broken event (None when the log is clean)."""
        return self.breaks[0] if self.breaks else None

    def describe(self) -> str:
        mode = "HMAC-SHA256 (keyed)" if self.keyed else "SHA-256 (no key)"
        head = (
            f"{self.events} events in {self.records} records, up to notification "
            f"{self.last_notification_id}; chain {mode}; {self.checkpoints_checked} "
            f"checkpoint(s) checked, {self.events_after_checkpoint} event(s) after the last"
        )
        if self.legacy_events:
            head += f"; {self.legacy_events} event(s) written before the chain (no stored hash)"
        if self.ok:
            return f"完好 clean: {head}; log hash {self.global_hash}"
        first = self.first
        assert first is not None
        lines = [
            f"已被篡改 TAMPERED: first broken event: {first.describe()}",
            f"{len(self.breaks)} break(s) in all; {head}",
        ]
        lines.extend(f"  {b.describe()}" for b in self.breaks[1:20])
        if len(self.breaks) > 20:
            lines.append(f"  ... and {len(self.breaks) - 20} more")
        return "\n".join(lines)


@runtime_checkable
class TamperEvidence(Protocol):
    """What a store adapter that seals events in a hash chain provides (ADR 0018)."""

    @property
    def keyed(self) -> bool: ...

    def verify(self) -> VerifyReport:
        """Recompute every chain and the log hash; compare with every checkpoint."""
        ...

    def write_checkpoint(self, report: VerifyReport) -> Checkpoint:
        """Record the log hash of a clean ``report`` as a checkpoint."""
        ...

    def checkpoints(self) -> list[Checkpoint]: ...


class AuditUnavailable(GovOfficeError):
    """The store was opened without the hash chain, so there is nothing to verify."""

    def __init__(self, store_url: str) -> None:
        super().__init__(
            f"存储 {store_url} 未启用防篡改哈希链 (tamper evidence is not enabled on this store)",
            store_url=store_url,
        )


class TamperDetected(GovOfficeError):
    """A checkpoint was asked for, but the log does not verify: it would bless tampering."""

    report: VerifyReport

    def __init__(self, report: VerifyReport) -> None:
        first = report.first
        super().__init__(
            "事件存储已被篡改,不能建立检查点 (the log does not verify; no checkpoint written): "
            f"{first.describe() if first else ''}",
            report=report,
        )


# --- the audit trail ---------------------------------------------------------------------


@attrs.frozen
class TrailEntry:
    """One decision of the trail and whether its actor held the role it needed then."""

    decision: Decision
    check: RoleCheck

    @property
    def opinion(self) -> str:
        details = self.decision.details
        for key in ("opinion", "reason", "findings", "result"):
            value = details.get(key)
            if value:
                return _text(value)
        return ""

    def as_dict(self) -> dict[str, Any]:
        d = self.decision
        return {
            "version": d.version,
            "action": d.action,
            "at": d.at.isoformat() if d.at else None,
            "by": d.by,
            "on_behalf_of": d.on_behalf_of,
            "opinion": self.opinion,
            "required": self.check.required,
            "authority": self.check.person,
            "held_role": self.check.held,
            "substitute_valid": self.check.substitute_valid,
            "check_note": self.check.note,
            "details": {k: plain(v) for k, v in d.details.items()},
            "recorded_at": d.recorded_at.isoformat(),
        }


CSV_COLUMNS = (
    "version",
    "action",
    "at",
    "by",
    "on_behalf_of",
    "opinion",
    "required",
    "authority",
    "held_role",
    "substitute_valid",
    "check_note",
)


@attrs.frozen
class AuditTrail:
    """审计轨迹 of one record: its decisions (up to ``as_of``/``version`` when given) and its
    state at that point."""

    record_id: uuid.UUID
    record_type: str
    kind: str
    entries: tuple[TrailEntry, ...]
    state: OfficeAggregate
    as_of: pendulum.DateTime | None = None
    version: int | None = None

    def __iter__(self) -> Iterator[TrailEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def status(self) -> str | None:
        status = getattr(self.state, "status", None)
        return None if status is None else str(status)

    def state_dict(self) -> dict[str, Any]:
        """The record's fields at that point, as JSON-able values."""
        fields = {
            k: plain(v)
            for k, v in sorted(vars(self.state).items())
            if not k.startswith("_") and not callable(v)
        }
        return {"id": str(self.state.id), "version": self.state.version, **fields}

    def as_dict(self) -> dict[str, Any]:
        return {
            "record": str(self.record_id),
            "type": self.record_type,
            "kind": self.kind,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "version": self.version,
            "status": self.status,
            "state": self.state_dict(),
            "trail": [e.as_dict() for e in self.entries],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per decision (the CSV columns)."""
        return [{k: e.as_dict()[k] for k in CSV_COLUMNS} for e in self.entries]

    def describe(self) -> str:
        cut = ""
        if self.as_of is not None:
            cut = f" as of {self.as_of.isoformat()}"
        elif self.version is not None:
            cut = f" as of v{self.version}"
        lines = [f"{self.kind} {self.record_id} ({self.record_type}){cut}: {self.status or ''}"]
        for e in self.entries:
            held = {True: "有权", False: "无权!", None: "—"}[e.check.held]
            sub = ""
            if e.check.substitute_valid is False:
                sub = " 代理无效!"
            lines.append(
                f"{e.decision.describe()}  [{e.check.required}: {e.check.person} {held}{sub}]"
            )
        return "\n".join(lines)


class AuditService(Facade):
    """审计: tamper evidence over the whole store, and the decision trail of one record."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.store = office.store

    # --- tamper evidence -----------------------------------------------------------------

    def _evidence(self) -> TamperEvidence:
        evidence = getattr(self.office.app.mapper, "tamper_evidence", None)
        if not isinstance(evidence, TamperEvidence):
            raise AuditUnavailable(self.office.store_url)
        return evidence

    def verify(self) -> VerifyReport:
        """校验: recompute every record's hash chain and the whole log's hash, compare with
        the checkpoints; the report names the first broken event, or says the log is clean."""
        evidence = self._evidence()
        with self.store.translated("校验事件存储"):
            return evidence.verify()

    def checkpoint(self) -> Checkpoint:
        """建立检查点: verify, then record the log's running hash as it is now, so that a
        later truncation or rewrite of anything before it is found. Refuses
        (:class:`TamperDetected`) when the log does not verify."""
        evidence = self._evidence()
        with self.store.translated("建立检查点"):
            report = evidence.verify()
            if not report.ok:
                raise TamperDetected(report)
            return evidence.write_checkpoint(report)

    def checkpoints(self) -> list[Checkpoint]:
        evidence = self._evidence()
        with self.store.translated("读取检查点"):
            return evidence.checkpoints()

    # --- the decision trail --------------------------------------------------------------

    def record_type(self, record_id: uuid.UUID | str) -> type[OfficeAggregate]:
        """The kind of record an id names, from the topic its first event was stored with."""
        events = self.store.events(record_id)
        first = events[0]
        topic = getattr(first, "originator_topic", None)
        cls = resolve_topic(topic) if isinstance(topic, str) else None
        if not (isinstance(cls, type) and issubclass(cls, OfficeAggregate)):
            raise RecordNotFound("记录", record_id)
        return cls

    def trail(
        self,
        record_id: uuid.UUID | str,
        *,
        at: datetime | str | None = None,
        version: int | None = None,
    ) -> AuditTrail:
        """审计轨迹: every decision on a record (document, incoming document, meeting,
        proposal, supervision task, ...) with who, on whose behalf, when and which opinion;
        the record's state as of business time ``at`` or ``version`` (then only the decisions
        up to that point); and whether each actor (or the person acted for) held the role
        the step needed at that time."""
        if at is not None and version is not None:
            raise InvalidInput("at 与 version 只能给一个 (give either at or version)")
        rid = as_uuid(record_id, "记录")
        cls = self.record_type(rid)
        events = self.store.events(rid, cls.KIND)
        moment = business_time(at) if at is not None else None
        if version is not None:
            positive_int(version, "版本号 version")
            if version > len(events):
                raise RecordNotFound(f"{cls.KIND}(版本 {version})", rid)
            events = events[:version]
        if moment is not None:
            kept = list(takewhile(lambda e: getattr(e, "at", moment) <= moment, events))
            if not kept:
                raise RecordNotFound(f"{cls.KIND}(在 {moment} 时尚不存在)", rid)
            events = kept
        entries: list[TrailEntry] = []
        orgs: dict[pendulum.DateTime, Organisation | None] = {}
        state: Any = None
        with self.store.translated(f"读取 {rid}"):
            for event, decision in zip(events, decisions(events), strict=True):
                org = self._org_at(decision.at, orgs)
                entries.append(TrailEntry(decision, check_decision(cls, state, event, org)))
                state = event.mutate(state)  # type: ignore[attr-defined]
        if not isinstance(state, cls):
            raise RecordNotFound(cls.KIND, rid)
        return AuditTrail(
            record_id=rid,
            record_type=cls.__name__,
            kind=cls.KIND,
            entries=tuple(entries),
            state=state,
            as_of=moment,
            version=version,
        )

    def _org_at(
        self, at: pendulum.DateTime | None, cache: dict[pendulum.DateTime, Organisation | None]
    ) -> Organisation | None:
        if at is None:
            return None
        if at not in cache:
            try:
                cache[at] = self.office.org.as_of_time(at)
            except GovOfficeError:
                cache[at] = None
        return cache[at]


def plain(value: Any) -> Any:
    """A JSON-able rendering of a value carried by an event or a record."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if attrs.has(type(value)):
        return {f.name: plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        items = [plain(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def _text(value: Any) -> str:
    rendered = plain(value)
    if isinstance(rendered, list):
        return "; ".join(str(v) for v in rendered)
    return str(rendered)


__all__ = [
    "AuditService",
    "AuditTrail",
    "AuditUnavailable",
    "Break",
    "Checkpoint",
    "RoleCheck",
    "TamperDetected",
    "TamperEvidence",
    "TrailEntry",
    "VerifyReport",
]
