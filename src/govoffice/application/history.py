"""决策记录 the decision trail of any record, read from its events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
import pendulum

_BOOKKEEPING = {"originator_id", "originator_version", "timestamp", "originator_topic"}


@attrs.frozen
class Decision:
    """One decision: what was done, by whom, on whose behalf, when (business time), with
    which details (opinion, findings, number, ...), and when it was recorded."""

    version: int
    action: str
    at: pendulum.DateTime | None
    by: str | None
    on_behalf_of: str | None
    details: dict[str, Any]
    recorded_at: datetime

    def describe(self) -> str:
        who = self.by or "?"
        if self.on_behalf_of:
            who = f"{who}(代 {self.on_behalf_of})"
        opinion = self.details.get("opinion") or self.details.get("reason") or ""
        tail = f": {opinion}" if opinion else ""
        return f"v{self.version} {self.at} {who} {self.action}{tail}"


def decisions(events: Iterable[Any]) -> list[Decision]:
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
                details=state,
                recorded_at=e.timestamp,
            )
        )
    return trail
