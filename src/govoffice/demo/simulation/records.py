"""What the simulated year keeps per record it drives (a document, an incoming document, a
meeting, a proposal), and the topics the titles of every area draw on.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from govoffice.domain.incoming import Importance
from govoffice.domain.meeting import MeetingKind
from govoffice.domain.meeting_rules import MeetingForm
from govoffice.domain.routing import SenderType

NOT_YET = uuid.UUID(int=0)
"""The id of a record the simulation has not made yet (no record has it)."""


@attrs.define(eq=False)
class _Doc:
    unit: str
    drafter: str
    head: str
    signer: str
    classified: bool
    important: bool
    joint: tuple[str, ...]
    countersign: tuple[str, ...]
    urgent: bool = False
    normative: bool = False
    id: uuid.UUID = NOT_YET
    countersigned: bool = False
    returned: int = 0
    withdraw: bool = False


@attrs.define(eq=False)
class _Incoming:
    sender: str
    sender_type: SenderType
    superior: bool
    classified: bool
    importance: Importance
    id: uuid.UUID = NOT_YET
    lead: str | None = None
    leaders: tuple[str, ...] = ()
    deadline: date | None = None
    sent_back: bool = False


@attrs.define(eq=False)
class _Meeting:
    kind: MeetingKind
    organiser: str
    title: str
    day: int
    minute: int
    chair: str
    delegated_by: str | None
    participants: int
    days: Decimal
    budget: int
    form: MeetingForm
    invitees: list[str]
    planned: bool
    serial: int | None = None
    id: uuid.UUID = NOT_YET
    approver: str = ""
    items: list[tuple[str, str, bool]] = attrs.field(factory=list)
    leave: dict[str, str | None] = attrs.field(factory=dict)
    signed_in: list[str] = attrs.field(factory=list)
    in_person: list[str] = attrs.field(factory=list)
    decisions: int = 0


@attrs.define(eq=False)
class _Proposal:
    id: uuid.UUID
    proposers: list[str]
    lead: str
    co: list[str]
    plan: dict[str, Any]
    due: date | None = None
    rounds: int = 0


TOPICS = (
    "安全生产检查",
    "防汛抗旱",
    "优化营商环境",
    "财务预算执行",
    "干部教育培训",
    "信息化建设",
    "政务公开",
    "行政执法监督",
    "统计数据质量",
    "审计整改",
    "老干部服务",
    "科技创新",
    "规划编制",
    "依法行政",
    "保密工作",
    "节能降耗",
    "信访维稳",
    "机关党建",
    "作风建设",
    "重点项目推进",
)
