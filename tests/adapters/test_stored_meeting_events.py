"""[ADR 0004, 0005; issue 13 §4] The meeting events stored by the code of the day
``domain/meeting.py`` became a package still read back: every topic resolves, every value
and enum name decodes, each record replays, and writing the events again gives the very
bytes that were stored (the fixture is made by ``tests/fixtures/make_stored_events_meetings_v1.py``).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from govoffice.adapters.hashchain import HashChainMapper
from govoffice.domain.meeting import Meeting, MeetingPlan, MeetingPlanStatus, MeetingStatus
from govoffice.testing import office_for_tests

FIXTURE = Path(__file__).parent.parent / "fixtures" / "stored_events_meetings_v1.json"
MEETING_TOPICS = ("govoffice/meeting/", "govoffice/meeting-plan/")

PLAN_EVENTS = [
    "Opened",
    "RowSubmitted",
    "RowEndorsed",
    "Reviewed",
    "LimitExceptionApproved",
    "Approved",
    "Reopened",
    "RowScheduled",
]
MEETING_EVENTS = [
    "Planned",
    "Requested",
    "Countersigned",
    "LimitExceptionApproved",
    "Approved",
    "Rejected",
    "AgendaItemProposed",
    "MaterialsSubmitted",
    "MaterialsOverdue",
    "AgendaSet",
    "NoticeDrafted",
    "Noticed",
    "InvitationAnswered",
    "LeaveRequested",
    "LeaveGranted",
    "LeaveRefused",
    "SeatingArranged",
    "SeatingOverridden",
    "SignedIn",
    "AbsenteesUrged",
    "Held",
    "AttendanceRecorded",
    "Cancelled",
    "Merged",
    "Absorbed",
    "MinutesDrafted",
    "DecisionRecorded",
    "MinutesSigned",
    "MinutesNumbered",
    "MinutesDistributed",
    "SupervisionTaskLinked",
    "CostsSettled",
    "Evaluated",
    "Archived",
    "ArchiveOverdue",
]
VALUE_NAMES = [
    "MeetingPlanRow",
    "MeetingCountersignature",
    "MeetingNotice",
    "MeetingAgendaItem",
    "MeetingLeave",
    "MeetingSignIn",
    "MeetingAttendance",
    "MeetingMinutes",
    "DecidedItem",
    "MeetingCostSettlement",
    "MeetingEvaluation",
    "enum:MeetingKind",
]


def stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=uuid.UUID(row["originator_id"]),
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes.fromhex(row["seal"]) + row["state"].encode("utf-8"),
    )


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def test_the_fixture_holds_every_meeting_event_class_and_value_name(
    rows: list[dict[str, Any]],
) -> None:
    """The fixture covers what it is meant to guard: each event class of the annual plan and
    the meeting, and the meeting's value objects and kind (as stored names)."""
    topics = {row["topic"] for row in rows}
    assert {f"govoffice/meeting-plan/{name}" for name in PLAN_EVENTS} <= topics
    assert {f"govoffice/meeting/{name}" for name in MEETING_EVENTS} <= topics
    states = "".join(row["state"] for row in rows)
    assert [name for name in VALUE_NAMES if f'"_type_":"{name}"' not in states] == []


def test_stored_meeting_events_decode_replay_and_encode_to_the_same_bytes(
    rows: list[dict[str, Any]],
) -> None:
    """Each stored event decodes through the office's mapper, each record replays from its
    events, and encoding a decoded meeting event again gives the stored state, byte for byte
    (hash-chain seal included). (Not so for every other record: a supervision task's stdlib
    ``date`` deadline is stored as ``date_iso`` and reads back as a ``pendulum.Date``.)"""
    with office_for_tests("memory") as office:
        mapper = office.app.mapper
        writer = HashChainMapper(mapper.transcoder)  # a chain of its own, in stored order
        records: dict[uuid.UUID, Any] = defaultdict(lambda: None)
        for row in rows:
            original = stored(row)
            event = mapper.to_domain_event(original)
            records[original.originator_id] = event.mutate(records[original.originator_id])
            again = writer.to_stored_event(event)
            if original.topic.startswith(MEETING_TOPICS):
                assert (again.topic, again.state) == (original.topic, original.state), row
            else:  # other records' events (the agency, supervision tasks): read back equal
                assert mapper.to_domain_event(again) == event, row
    last = {uuid.UUID(r["originator_id"]): r["originator_version"] for r in rows}
    assert {oid: record.version for oid, record in records.items()} == last
    meetings = [r for r in records.values() if isinstance(r, Meeting)]
    (plan,) = [r for r in records.values() if isinstance(r, MeetingPlan)]
    assert plan.status is MeetingPlanStatus.APPROVED and len(plan.rows) == 3
    assert sorted(m.status.name for m in meetings) == sorted(
        ["ARCHIVED", "APPROVED", "REJECTED", "CANCELLED", "MERGED", "APPROVED"]
    )
    (archived,) = [m for m in meetings if m.status is MeetingStatus.ARCHIVED]
    assert len(archived.decided_items) == 2 and len(archived.task_links) == 2
    assert archived.archive_overdue and archived.seating is not None
