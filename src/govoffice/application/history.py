"""决策记录 the decision trail of any record, read from its events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
import pendulum
from eventsourcing.utils import TopicError, resolve_topic

from govoffice.domain.base import VIA_ATTRIBUTE

_BOOKKEEPING = {"originator_id", "originator_version", "timestamp", "originator_topic"}


@attrs.frozen
class Via:
    """How the actor of a decision was authenticated when an adapter recorded it (ADR
    0055): ``method`` token, jwt or proxy, and the public id of the credential (an API
    token's id, a JWT's ``jti``), never a secret."""

    method: str
    token_id: str | None = None

    def describe(self) -> str:
        return f"经{self.method}认证" + (f" {self.token_id}" if self.token_id else "")


def _via(value: Any) -> Via | None:
    if not isinstance(value, dict) or not isinstance(value.get("method"), str):
        return None
    token_id = value.get("token_id")
    return Via(value["method"], token_id if isinstance(token_id, str) else None)


@attrs.frozen
class Decision:
    """One decision: what was done, by whom, on whose behalf, when (business time), with
    which details (opinion, findings, number, ...), and when it was recorded; and which
    record it belongs to (``record_id``, and ``kind``: the record type's label such as 会议
    or 收文), so a list of decisions from many records — what ``office.tick`` returns —
    says whose each one is."""

    version: int
    action: str
    at: pendulum.DateTime | None
    by: str | None
    on_behalf_of: str | None
    details: dict[str, Any]
    recorded_at: datetime
    record_id: uuid.UUID | None = None
    kind: str = ""
    via: Via | None = None
    """How ``by`` was authenticated, when the decision came through an authenticated
    adapter (the HTTP service); None for decisions recorded through the Python API."""

    @property
    def record(self) -> str:
        """The record it belongs to, as a clerk reads it: ``会议 1f0c…`` (kind and id)."""
        if self.record_id is None:
            return self.kind
        return f"{self.kind} {self.record_id}".strip()

    @property
    def opinion(self) -> str:
        """意见: the decision's opinion, reason, finding or result, in words (also when it
        sits inside a recorded value, e.g. a countersign answer's opinion and the reason it
        was not adopted)."""
        found: list[str] = []
        for key in OPINION_KEYS:
            _collect(self.details.get(key), found)
        for value in self.details.values():
            if attrs.has(type(value)):
                for key in OPINION_KEYS:
                    _collect(getattr(value, key, None), found)
        return "; ".join(dict.fromkeys(f for f in found if f))

    def describe(self) -> str:
        who = self.by or "?"
        if self.on_behalf_of:
            who = f"{who}(代 {self.on_behalf_of})"
        opinion = self.opinion
        tail = f": {opinion}" if opinion else ""
        via = f" [{self.via.describe()}]" if self.via is not None else ""
        return f"v{self.version} {self.at} {who}{via} {self.action}{tail}"


OPINION_KEYS = (
    "opinion",
    "reason",
    "not_adopted_reason",
    "override_reason",
    "findings",
    "result",
    "content",
    "note",
)
"""Where a decision carries what was said: opinions, reasons, findings, results."""


def _collect(value: Any, found: list[str]) -> None:
    if value is None or value == "" or isinstance(value, bool):
        return
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, list | tuple):
        for v in value:
            _collect(v, found)
    elif attrs.has(type(value)):
        for key in ("opinion", "reason", "note"):
            _collect(getattr(value, key, None), found)
    else:
        found.append(str(value))


_KINDS: dict[type, str] = {}


def _kind_of(event_type: type) -> str:
    """The label (``KIND``) of the record type an event class belongs to, found from its
    stable topic ``govoffice/<record>/<Event>`` (ADR 0005); "" when it has none."""
    if event_type not in _KINDS:
        _KINDS[event_type] = _find_kind(getattr(event_type, "TOPIC", None))
    return _KINDS[event_type]


def _find_kind(topic: object) -> str:
    if not isinstance(topic, str) or topic.count("/") < 2:
        return ""
    try:
        record_type = resolve_topic(topic.rsplit("/", 1)[0])
    except TopicError:  # an unknown topic names no kind; the decision stands
        return ""
    kind = getattr(record_type, "KIND", "")
    return kind if isinstance(kind, str) else ""


def decisions(events: Iterable[Any]) -> list[Decision]:
    """The decisions the events record, each naming its record (id and kind)."""
    trail = []
    for e in events:
        state = {k: v for k, v in vars(e).items() if k not in _BOOKKEEPING}
        trail.append(
            Decision(
                version=e.originator_version,
                action=type(e).__name__,
                at=state.pop("at", None),
                by=state.pop("by", None),
                on_behalf_of=state.pop("on_behalf_of", None),
                recorded_at=e.timestamp,
                record_id=getattr(e, "originator_id", None),
                kind=_kind_of(type(e)),
                via=_via(state.pop(VIA_ATTRIBUTE, None)),
                details=state,
            )
        )
    return trail
