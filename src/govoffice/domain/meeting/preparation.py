"""Before the meeting: countersigning (会签), topics and their materials [002 二 4], the
notice [004 四(一)2] and merging close meetings [000 范文6 四 4] — their values and refusals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pendulum

from govoffice.domain.errors import RuleViolation
from govoffice.domain.meeting.vocabulary import MeetingPaperStage
from govoffice.domain.values import PersonId, UnitId, value_object


@value_object
class MeetingCountersignature:
    """会签意见 on a request (签报) or a notice: a unit's head or a supervising leader."""

    stage: MeetingPaperStage
    party: str
    agreed: bool
    opinion: str
    by: PersonId
    on_behalf_of: PersonId | None = None


@value_object
class MeetingNotice:
    """会议通知 [004 四(一)2]: name, time, place, topic, participants, notes, contact."""

    title: str
    starts_at: pendulum.DateTime
    place: str
    topic: str
    participant_scope: str
    invitees: tuple[PersonId, ...]
    notes: str
    contact: str
    drafted_by: PersonId


@value_object
class MeetingAgendaItem:
    """议题 proposed by a unit [002 二 4]."""

    key: str
    title: str
    unit: UnitId
    proposed_by: PersonId


class MeetingCountersignMissing(RuleViolation):
    """[001 会议 五(一)2-3] the request or notice lacks countersignatures, or one disagrees."""

    stage: MeetingPaperStage
    parties: tuple[str, ...]

    def __init__(
        self, meeting_id: object, stage: MeetingPaperStage, parties: Iterable[str]
    ) -> None:
        parties = tuple(parties)
        super().__init__(
            f"会议 {meeting_id} 的{stage.label}尚缺会签或有不同意见: {'、'.join(parties)} "
            "(countersignatures missing or disagreeing)",
            meeting_id=meeting_id,
            stage=stage,
            parties=parties,
        )


class NotAMeetingCountersigner(RuleViolation):
    def __init__(self, meeting_id: object, party: str) -> None:
        super().__init__(
            f"{party} 不在会议 {meeting_id} 的会签范围内,或已会签 (not a pending countersigner)",
            meeting_id=meeting_id,
            party=party,
        )


class MaterialsDeadlinePassed(RuleViolation):
    """[002 二 4] topics and materials are due two days before the meeting."""

    def __init__(self, meeting_id: object, due: date) -> None:
        super().__init__(
            f"会议 {meeting_id} 的议题和材料须于会前两天({due})送交,已过期限 "
            "(materials were due two days before the meeting)",
            meeting_id=meeting_id,
            due=due,
        )


class MaterialsMissing(RuleViolation):
    """[002 二 4-5] an item without its materials is not put on the agenda."""

    items: tuple[str, ...]

    def __init__(self, meeting_id: object, items: Iterable[str]) -> None:
        items = tuple(items)
        super().__init__(
            f"会议 {meeting_id} 的议题 {'、'.join(items)} 未按时提交材料,不能列入议程 "
            "(no materials, not on the agenda)",
            meeting_id=meeting_id,
            items=items,
        )


class NotOnAgenda(RuleViolation):
    """[000 范文6 五 1] 未纳入会议的议题一律不允许上会."""

    def __init__(self, meeting_id: object, item: str) -> None:
        super().__init__(
            f"议题 {item} 未列入会议 {meeting_id} 的议程,不允许上会 (not on the agenda)",
            meeting_id=meeting_id,
            item=item,
        )


class TooManyInvitees(RuleViolation):
    """The notice invites more people than the approved headcount [001 会议 五(三)3]."""

    def __init__(self, meeting_id: object, invited: int, approved: int) -> None:
        super().__init__(
            f"会议 {meeting_id} 通知 {invited} 人,超过批准的参会人数 {approved} 人",
            meeting_id=meeting_id,
            invited=invited,
            approved=approved,
        )


class NotMergeable(RuleViolation):
    """[000 范文6 四 4] only meetings with the same participants and close dates merge."""

    reasons: tuple[str, ...]

    def __init__(self, meeting_id: object, into: object, reasons: Iterable[str]) -> None:
        reasons = tuple(reasons)
        super().__init__(
            f"会议 {meeting_id} 不能并入会议 {into}: {';'.join(reasons)} (cannot merge)",
            meeting_id=meeting_id,
            into=into,
            reasons=reasons,
        )
