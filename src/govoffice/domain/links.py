"""来源 links between records: a supervision task knows its source, the source its tasks.

A source aggregate (an incoming document, a proposal, a meeting) that can open supervision
tasks has a command ``link_supervision_task(*, task_id, by, at)`` recording
``SupervisionTaskLinked``; the supervision service saves the new task and the linked source
in one atomic write, so neither side can exist without the other.
"""

from __future__ import annotations

import uuid

from govoffice.domain.values import LabelledEnum, value_object


class SourceKind(LabelledEnum):
    """督办事项来源."""

    MEETING_DECISION = "meeting_decision", "会议议定事项"
    LEADER_INSTRUCTION = "leader_instruction", "领导批示"
    INCOMING_DOCUMENT = "incoming_document", "来文"
    PROPOSAL = "proposal", "建议提案"
    HOTLINE = "hotline", "热线信箱"


@value_object
class SourceRef:
    """Where a supervision task comes from: the kind, the source record's id (None for a
    hotline or mailbox case, identified by ``reference``), and an optional item key (e.g. a
    meeting's decided item number) so one source can open several tasks exactly once each."""

    kind: SourceKind
    record_id: uuid.UUID | None = None
    item: str = ""
    reference: str = ""

    def key(self) -> str:
        """A stable key: one task per (source, item)."""
        return f"{self.kind.value}/{self.record_id or self.reference}/{self.item}"
