"""审计 ``office.audit``: has the record been altered since it was written, and who decided what.

- :meth:`AuditService.verify` checks the seal of every stored event, the chain's genesis and
  key rotations, and the log against every sealed head (kept outside the database, and in
  it), and names the first broken event, or the exact range cut off (ADR 0018, 0030); with
  ``views=True`` it also checks the read models, the outbox and the tick memo against the
  events (ADR 0031). The chain is written by the store adapter (a mapper); this module and
  :mod:`govoffice.application.sealing` define what the adapter must answer.
- :meth:`AuditService.checkpoint` seals a head of the log as it is now (after verifying it);
  :meth:`AuditService.seal_head` seals one without verifying (heads are sealed
  automatically as the log grows and when the office closes).
- :meth:`AuditService.rotate_key` moves the store to a new audit key.
- :meth:`AuditService.verify_event` checks one stored event (for a dispatcher).
- :meth:`AuditService.trail` replays one record: every decision with who, on whose behalf,
  when and which opinion; its state as of a business time or version; and whether each
  actor held the role the step needed at that time (from the organisation's history).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from itertools import takewhile
from typing import TYPE_CHECKING, Any

import attrs
import pendulum
from eventsourcing.utils import resolve_topic

from govoffice.application.app import as_uuid
from govoffice.application.audit_rules import RoleCheck, check_decision
from govoffice.application.history import Decision, decisions
from govoffice.application.printing import PrintVerification
from govoffice.application.sealing import (
    AuditKeyError,
    AuditKeyMismatch,
    AuditKeyMissing,
    AuditKeyUnexpected,
    AuditUnavailable,
    Break,
    Checkpoint,
    DerivedReport,
    Difference,
    EventSeal,
    Head,
    TamperDetected,
    TamperEvidence,
    UnverifiedEvent,
    VerifyReport,
    parse_event_id,
)
from govoffice.application.typecheck import Facade
from govoffice.domain.base import TICK_ACTOR, OfficeAggregate
from govoffice.domain.errors import InvalidInput, RecordNotFound
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import business_time, positive_int

if TYPE_CHECKING:
    from govoffice.application.office import Office


# --- tamper evidence: the types are in ``sealing`` (re-exported here) ---------------------


# --- the audit trail ---------------------------------------------------------------------


@attrs.frozen
class TrailEntry:
    """One decision of the trail: who, when it happened (business time) and when it was
    recorded, whether its actor held the authority it needed then (judged against the
    organisation as recorded when the decision was), and whether it is a late entry (补录):
    recorded more than the late-entry policy's delay after its business time, with whether
    the actor still held the authority when it was recorded, and who entered it for them."""

    decision: Decision
    check: RoleCheck
    late: bool = False
    held_when_recorded: bool | None = None
    entered_by: str | None = None
    entry_reason: str = ""
    now_known: RoleCheck | None = None
    """The same decision judged against the organisation as now recorded, when a later
    back-dated organisation change judges it differently (ADR 0023); else None."""

    @property
    def opinion(self) -> str:
        return self.decision.opinion

    @property
    def recorded_at(self) -> datetime:
        return self.decision.recorded_at

    def as_dict(self) -> dict[str, Any]:
        d = self.decision
        return {
            "version": d.version,
            "action": d.action,
            "at": d.at.isoformat() if d.at else None,
            "recorded_at": d.recorded_at.isoformat(),
            "late_entry": self.late,
            "by": d.by,
            "on_behalf_of": d.on_behalf_of,
            "auth_method": d.via.method if d.via is not None else None,
            "token_id": d.via.token_id if d.via is not None else None,
            "entered_by": self.entered_by,
            "entry_reason": self.entry_reason,
            "opinion": self.opinion,
            "required": self.check.required,
            "authority": self.check.person,
            "held_role": self.check.held,
            "substitute_valid": self.check.substitute_valid,
            "held_when_recorded": self.held_when_recorded,
            "check_note": self.check.note,
            "now_known_held": None if self.now_known is None else self.now_known.held,
            "details": {k: plain(v) for k, v in d.details.items()},
        }

    def describe(self) -> str:
        held = {True: "有权", False: "无权!", None: "—"}[self.check.held]
        sub = " 代理无效!" if self.check.substitute_valid is False else ""
        line = (
            f"{self.decision.describe()}  [{self.check.required}: {self.check.person} {held}{sub}]"
        )
        recorded = self.decision.recorded_at.isoformat(timespec="seconds")
        if self.late:
            then = {True: "录入时仍有权", False: "录入时已无权", None: ""}[self.held_when_recorded]
            by = f", 由 {self.entered_by} 补录: {self.entry_reason}" if self.entered_by else ""
            line += f"  补录 (录入于 {recorded}{', ' + then if then else ''}{by})"
        else:
            line += f"  (录入于 {recorded})"
        if self.now_known is not None:
            now = {True: "有权", False: "无权", None: "—"}[self.now_known.held]
            line += f"  按现行组织记录: {now}"
        return line


CSV_COLUMNS = (
    "version",
    "action",
    "at",
    "recorded_at",
    "late_entry",
    "by",
    "on_behalf_of",
    "auth_method",
    "token_id",
    "entered_by",
    "entry_reason",
    "opinion",
    "required",
    "authority",
    "held_role",
    "substitute_valid",
    "held_when_recorded",
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
        lines.extend(e.describe() for e in self.entries)
        late = sum(e.late for e in self.entries)
        if late:
            lines.append(f"补录 {late} 项 (late entries)")
        return "\n".join(lines)

    @property
    def late_entries(self) -> tuple[TrailEntry, ...]:
        return tuple(e for e in self.entries if e.late)


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

    @property
    def key_id(self) -> str | None:
        """The id of the audit key the store is sealed with (None: unkeyed)."""
        return self._evidence().key_id

    def verify(
        self,
        *,
        head: str | os.PathLike[str] | Head | Sequence[Head] | None = None,
        views: bool = False,
        repair: bool = False,
    ) -> VerifyReport:
        """校验: check every stored event's seal, the chain's genesis and key rotations, and
        the log against every sealed head found (outside the database and in it) and
        ``head`` (a head file, or heads); the report names the first broken event, or the
        range cut off, or says the log is clean, with notes on what it could not rule out.
        ``views=True`` also checks the read models, the outbox and the tick memo against a
        rebuild from the events (ADR 0031); ``repair=True`` rewrites the rows that differ.
        A log found tampered stops this process from sealing further heads."""
        evidence = self._evidence()
        with self.store.translated("校验事件存储"):
            given = self._heads(evidence, head)
            report = evidence.verify(given)
        if not report.chain_ok:
            evidence.stop_heads("the log does not verify")
        if views or repair:
            from govoffice.application.derived import check_derived

            derived = check_derived(self.office, repair=repair)
            report = attrs.evolve(report, derived=derived)
        return report

    def _heads(
        self, evidence: TamperEvidence, head: str | os.PathLike[str] | Head | Sequence[Head] | None
    ) -> list[Head]:
        if head is None:
            return []
        if isinstance(head, Head):
            return [head]
        if isinstance(head, str | os.PathLike):
            return evidence.read_heads(os.fspath(head))
        heads = list(head)
        if not all(isinstance(h, Head) for h in heads):
            raise InvalidInput("head 应为封印文件路径或 Head (a head file path, or Head objects)")
        return heads

    def read_heads(self, path: str | os.PathLike[str]) -> list[Head]:
        """The sealed heads in a file (JSON lines, one JSON object, or a list of them):
        :class:`~govoffice.application.sealing.BadHeadFile` when it holds none."""
        return self._evidence().read_heads(os.fspath(path))

    def checkpoint(self) -> Head:
        """建立检查点: verify the whole log, then seal a head of it as it is now (outside the
        database where heads go, and in it). Refuses (:class:`TamperDetected`) when the log
        does not verify."""
        evidence = self._evidence()
        with self.store.translated("建立检查点"):
            report = evidence.verify(())
            if not report.chain_ok:
                raise TamperDetected(report)
            return evidence.write_checkpoint(report)

    def seal_head(self) -> Head | None:
        """封印日志: seal a head of what the log holds beyond the last head (None when nothing
        is new), without verifying it first. Heads are also sealed automatically every
        ``AUDIT_HEAD_EVERY`` events and when the office closes."""
        evidence = self._evidence()
        with self.store.translated("封印日志"):
            return evidence.seal_head()

    def head(self) -> Head | None:
        """The latest sealed head, after sealing what is new (what to write down or print)."""
        sealed = self.seal_head()
        if sealed is not None:
            return sealed
        heads = self.checkpoints()
        return heads[-1] if heads else None

    def summary_head(self) -> Head | None:
        """The log's head now, in short (position, count, log hash, time, key, signature;
        no fingerprints): what a printed report carries. ``verify(head=...)`` proves the
        store still extends it (a cut is named by count, not by position)."""
        evidence = self._evidence()
        with self.store.translated("封印日志"):
            return evidence.summary_head()

    def checkpoints(self) -> list[Head]:
        """Every sealed head of this store that can be found, by position."""
        evidence = self._evidence()
        with self.store.translated("读取日志封印"):
            return evidence.checkpoints()

    heads = checkpoints

    def rotate_key(self, new_key: str) -> Head:
        """更换审计密钥: verify the log under the current key, then record a key rotation
        (sealed with ``new_key``, with an anchor of the history so far tagged with it) and
        seal every later event with ``new_key``. Refuses (:class:`TamperDetected`) a log that
        does not verify. Afterwards every process must use the new key
        (``GOVOFFICE_AUDIT_KEY``); the old one goes to ``GOVOFFICE_AUDIT_RETIRED_KEYS`` to
        name an event changed before the rotation. Returns the head sealed after it."""
        evidence = self._evidence()
        with self.store.translated("更换审计密钥", writing=True):
            return evidence.rotate_key(new_key)

    def verify_event(self, record_id: uuid.UUID | str, version: int | None = None) -> EventSeal:
        """核实单个事件: the stored event ``record_id`` at ``version`` (or an outbox row's
        ``event_id``, ``"<record uuid>/<version>"``) exists and its seal verifies under the
        office's audit key (or a retired key of the chain); raises :class:`UnverifiedEvent`
        otherwise. Cheap (one read of two rows): a dispatcher calls it before it sends a row
        derived from the event."""
        rid, number = parse_event_id(record_id, version)
        evidence = self._evidence()
        with self.store.translated(f"核实事件 {rid}/{number}"):
            return evidence.verify_event(rid, number)

    def mac(self, purpose: str, message: str) -> str:
        """A tag over ``message`` under the audit key (a plain hash when the store has no
        key): what derived rows carry so that a forged one is found (the tick memo)."""
        return self._evidence().mac(purpose, message)

    def check_mac(self, purpose: str, message: str, tag: str | None) -> bool:
        return self._evidence().check_mac(purpose, message, tag)

    # --- printed files ------------------------------------------------------------------

    def verify_print(
        self, record_id: uuid.UUID | str, *, file: bytes | None = None, printing: int | None = None
    ) -> PrintVerification:
        """核对印制文件: render again the version a 印制 of the document recorded and compare
        with the digest it recorded; with ``file`` (bytes), say whether that file is the one
        printed (ADR 0046). See :meth:`PrintingService.verify`."""
        return self.office.printing.verify(record_id, file=file, printing=printing)

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
        history = _OrganisationHistory(self.store)
        entries = self._entries(cls, events, history)
        state: Any = None
        with self.store.translated(f"读取 {rid}"):
            for event in events:
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

    def _entries(
        self, cls: type[OfficeAggregate], events: list[Any], history: _OrganisationHistory
    ) -> list[TrailEntry]:
        """Judge each decision against the organisation as recorded when the decision was
        (what the command saw), at the decision's business time; mark late entries and who
        entered them; note a later back-dated organisation change that judges otherwise."""
        entered: dict[int, tuple[str, str]] = {}
        for e in events:
            if type(e).__name__ == "LateEntryRecorded":
                for v in e.versions:
                    entered[v] = (e.by, e.reason)
        current = history.now()
        entries: list[TrailEntry] = []
        state: Any = None
        with self.store.translated("审计轨迹"):
            for event, decision in zip(events, decisions(events), strict=True):
                org = history.known_at(decision.recorded_at)
                check = check_decision(cls, state, event, org)
                late = held_then = None
                if org is not None and decision.at is not None and decision.by != TICK_ACTOR:
                    delay = timedelta(hours=org.late_entry_policy.delay_hours)
                    late = decision.recorded_at - decision.at > delay
                    if late and check.held is not None:
                        recorded = pendulum.instance(decision.recorded_at)
                        moved = attrs.evolve(event, at=recorded) if attrs.has(type(event)) else None
                        held_then = _held_at(cls, state, event, org, recorded, moved)
                now_check = check_decision(cls, state, event, current)
                differs = now_check.held != check.held and current is not org
                by, reason = entered.get(decision.version, (None, ""))
                entries.append(
                    TrailEntry(
                        decision,
                        check,
                        late=bool(late),
                        held_when_recorded=held_then,
                        entered_by=by,
                        entry_reason=reason,
                        now_known=now_check if differs else None,
                    )
                )
                state = event.mutate(state)
        return entries

    def late_entries(self, *, year: int | None = None) -> LateEntryReport:
        """补录统计: every decision in the store recorded later than the late-entry policy's
        delay after its business time (in ``year``, by the agency's calendar, when given),
        with whether its actor still held the authority when it was recorded."""
        history = _OrganisationHistory(self.store)
        zone = self.office.time_zone
        found: list[LateEntrySummary] = []
        kinds: set[type[OfficeAggregate]] = set()
        for area in self.office.areas:
            kind = getattr(area, "record_type", None)
            if isinstance(kind, type) and issubclass(kind, OfficeAggregate):
                kinds.add(kind)
        for cls in sorted(kinds, key=lambda c: c.__name__):
            for rid in self.store.record_ids(cls):
                events = self.store.events(rid, cls.KIND)
                for entry in self._entries(cls, events, history):
                    d = entry.decision
                    if not entry.late or d.at is None:
                        continue
                    if year is not None and d.at.in_timezone(zone).year != year:
                        continue
                    found.append(
                        LateEntrySummary(
                            record_id=rid,
                            kind=cls.KIND,
                            version=d.version,
                            action=d.action,
                            by=d.by or "",
                            at=d.at,
                            recorded_at=d.recorded_at,
                            held_when_recorded=entry.held_when_recorded,
                            entered_by=entry.entered_by,
                        )
                    )
        return LateEntryReport(year=year, entries=tuple(found))


@attrs.frozen
class LateEntrySummary:
    """One late entry (补录) found in the store."""

    record_id: uuid.UUID
    kind: str
    version: int
    action: str
    by: str
    at: pendulum.DateTime
    recorded_at: datetime
    held_when_recorded: bool | None
    entered_by: str | None


@attrs.frozen
class LateEntryReport:
    """补录统计 for the audit: how many decisions were entered late, by whom, and how many
    by someone whose authority had ended when they were recorded."""

    year: int | None
    entries: tuple[LateEntrySummary, ...]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def after_authority_ended(self) -> int:
        return sum(1 for e in self.entries if e.held_when_recorded is False)

    @property
    def entered_by_office(self) -> int:
        return sum(1 for e in self.entries if e.entered_by)

    def describe(self) -> str:
        scope = f"{self.year} 年" if self.year is not None else "全部"
        head = (
            f"补录 late entries ({scope}): {self.count}; 录入时已无权 {self.after_authority_ended}; "
            f"办公室补录 {self.entered_by_office}"
        )
        lines = [head]
        for e in self.entries:
            then = {True: "录入时仍有权", False: "录入时已无权", None: "—"}[e.held_when_recorded]
            by = f" (由 {e.entered_by} 补录)" if e.entered_by else ""
            lines.append(
                f"  {e.kind} {e.record_id} v{e.version} {e.action}: {e.by} {e.at.isoformat()} "
                f"录入于 {e.recorded_at.isoformat(timespec='seconds')} {then}{by}"
            )
        return "\n".join(lines)


class _OrganisationHistory:
    """The organisation as it was recorded at any moment of recording (bitemporal): the
    organisation's events whose recording time is at or before it, replayed once and
    cached per prefix."""

    def __init__(self, store: Any) -> None:
        try:
            self._events = list(store.events(Organisation.create_id(), Organisation.KIND))
        except RecordNotFound:
            self._events = []
        self._cache: dict[int, Organisation | None] = {}

    def known_at(self, recorded: datetime) -> Organisation | None:
        n = sum(1 for e in self._events if e.timestamp <= recorded)
        return self._replay(max(n, 1) if self._events and n == 0 else n)

    def now(self) -> Organisation | None:
        return self._replay(len(self._events))

    def _replay(self, n: int) -> Organisation | None:
        if n not in self._cache:
            org: Any = None
            for e in self._events[:n]:
                org = e.mutate(org)
            self._cache[n] = org if isinstance(org, Organisation) else None
        return self._cache[n]


def _held_at(
    cls: type, state: Any, event: Any, org: Organisation, recorded: pendulum.DateTime, moved: Any
) -> bool | None:
    """Did the actor still hold the authority the step needs at the time it was recorded?"""
    from govoffice.domain.authority import judge

    verdict = judge(
        org,
        cls,
        type(event).__name__,
        by=getattr(event, "by", ""),
        at=recorded,
        record=state,
        on_behalf_of=getattr(event, "on_behalf_of", None),
        facts={k: v for k, v in vars(event).items() if not k.startswith("originator_")},
    )
    if verdict.held is None:
        return None
    return bool(verdict.held) and verdict.substitute_valid is not False


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
    "AuditKeyError",
    "AuditKeyMismatch",
    "AuditKeyMissing",
    "AuditKeyUnexpected",
    "AuditService",
    "AuditTrail",
    "AuditUnavailable",
    "Break",
    "Checkpoint",
    "DerivedReport",
    "Difference",
    "EventSeal",
    "Head",
    "RoleCheck",
    "TamperDetected",
    "TamperEvidence",
    "TrailEntry",
    "UnverifiedEvent",
    "VerifyReport",
    "parse_event_id",
]
