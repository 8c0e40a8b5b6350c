"""会议纪要 the minutes [004 七 4] and their decided items (议定事项) [004 县政府 二(四)] —
their values and refusals.
"""

from __future__ import annotations

from datetime import date

from govoffice.domain.errors import RuleViolation
from govoffice.domain.values import PersonId, UnitId, value_object


@value_object
class MeetingMinutes:
    """会议纪要 the text as drafted (kept as written once signed [004 七 4])."""

    text: str
    drafted_by: PersonId


@value_object
class DecidedItem:
    """议定事项 a decision of the meeting, with the unit responsible and a deadline
    [004 县政府 二(四)]."""

    key: str
    agenda_item: str
    content: str
    responsible_unit: UnitId
    deadline: date
    co_units: tuple[UnitId, ...] = ()


class MinutesFrozen(RuleViolation):
    """[004 七 4] 记录应真实、准确、完整,不得随意做增删改动: signed minutes are final."""

    def __init__(self, meeting_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的纪要已签发,不得增删改动 (signed minutes are final)",
            meeting_id=meeting_id,
        )


class MinutesRequired(RuleViolation):
    """[000 范文6 四 8] decisions of the office meeting must produce minutes."""

    def __init__(self, meeting_id: object, missing: str) -> None:
        super().__init__(
            f"会议 {meeting_id} 须先完成会议纪要: {missing} (minutes required first)",
            meeting_id=meeting_id,
            missing=missing,
        )


class DecisionsNotFinal(RuleViolation):
    """Decided items open supervision tasks only once the chair has signed the minutes."""

    def __init__(self, meeting_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的纪要尚未由主持人签发,议定事项未定 (decisions not final)",
            meeting_id=meeting_id,
        )


class DecidedItemAlreadyLinked(RuleViolation):
    """One supervision task per decided item [004 县政府 二(四)2]."""

    def __init__(self, meeting_id: object, item: str, task_id: object) -> None:
        super().__init__(
            f"会议 {meeting_id} 的议定事项 {item} 已立项督办 (任务 {task_id})",
            meeting_id=meeting_id,
            item=item,
            task_id=task_id,
        )
