"""Evolving events (ADR 0044): an event class changes (``class_version`` and
``upcast_vN_vM``, through govoffice's hash-chain mapper), and last year's store still
replays.

``tests/fixtures/stored/outgoing-document-v1.json`` holds the stored events of one outgoing
document's whole life — drafted in March 2025, archived the same day — exactly as govoffice
wrote them before ``OutgoingDocument.Archived`` became version 2 (which records the 保管期限,
``retention``): the stored bytes, hash-chain envelope included, with their JSON payload
beside them for reading. Never regenerate it with the current code: it stands for a store
written by last year's release.
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from govoffice import DocumentStatus
from govoffice.domain.document import OutgoingDocument, RetentionPeriod, suggested_retention
from govoffice.errors import InvalidInput
from govoffice.testing import TestOffice, office_for_tests, outgoing_document, standard_agency
from govoffice.testing._agency import AgencyPeople

FIXTURE = Path(__file__).parent.parent / "fixtures" / "stored" / "outgoing-document-v1.json"
LAST_YEAR: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
DOC = uuid.UUID(LAST_YEAR["document"])


def restore(office: TestOffice) -> None:
    """Put last year's stored events into ``office``'s store, byte for byte."""
    office.app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=uuid.UUID(e["originator_id"]),
                originator_version=e["originator_version"],
                topic=e["topic"],
                state=base64.b64decode(e["state"]),
            )
            for e in LAST_YEAR["events"]
        ]
    )


@pytest.fixture(params=["memory", "sqlite"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    url = "memory" if request.param == "memory" else f"sqlite:///{tmp_path / 'last-year.db'}"
    office = office_for_tests(url)
    restore(office)
    try:
        yield office
    finally:
        office.close()


def test_the_fixture_is_a_version_1_archived_event() -> None:
    [archived] = [e for e in LAST_YEAR["events"] if e["topic"].endswith("/Archived")]
    payload = json.loads(archived["payload"])
    assert archived["topic"] == "govoffice/outgoing-document/Archived"
    assert "retention" not in payload and "class_version" not in payload
    assert base64.b64decode(archived["state"]).endswith(archived["payload"].encode("utf-8"))


def test_last_years_store_replays_after_the_archived_event_gained_a_field(
    old_store: TestOffice,
) -> None:
    """The version-1 ``Archived`` event is upcast as it is read: the document is archived,
    its 保管期限 not recorded (None), and every earlier decision is as it was."""
    doc = old_store.documents.get(DOC)
    assert doc.status is DocumentStatus.ARCHIVED
    assert doc.archived_original_with == "biz1" and doc.archived_retention is None
    assert str(doc.number) == "X政发〔2025〕1号"
    trail = old_store.documents.history(DOC)
    assert trail[-1].action == "Archived" and trail[-1].details["retention"] is None
    assert old_store.documents.get(DOC, version=len(trail) - 1).status is DocumentStatus.DISTRIBUTED
    audit = old_store.audit.trail(DOC)
    assert audit.state.archived_retention is None


def test_last_years_store_still_verifies_and_its_views_rebuild(old_store: TestOffice) -> None:
    """Upcasting changes what is read, never what is stored: the hash chain over the stored
    bytes still verifies, and the read models take the old events in."""
    assert old_store.audit.verify().ok
    report = old_store.reports.annual(2025)
    assert report.outgoing.issued == 1 and report.outgoing.issued_by_month["03"] == 1
    assert old_store.queues.for_person(LAST_YEAR["people"]["archivist"]) == []


def test_new_events_are_stored_as_version_2_beside_the_old_ones(old_store: TestOffice) -> None:
    people = AgencyPeople()
    doc = outgoing_document(old_store, people, to=DocumentStatus.DISTRIBUTED, normative=True)
    old_store.documents.archive(doc, by=people.archivist, retention="定期10年")
    [stored] = [
        n
        for n in old_store.app.recorder.select_notifications(start=1, limit=10_000)
        if n.originator_id == doc and n.topic.endswith("/Archived")
    ]
    payload = stored.state[stored.state.index(b'{"timestamp"') :]
    assert json.loads(payload)["class_version"] == 2
    assert old_store.documents.get(doc).archived_retention is RetentionPeriod.YEARS_10
    assert old_store.documents.get(DOC).archived_retention is None  # the old one unchanged
    assert old_store.audit.verify().ok


def test_the_archivist_records_the_retention_period(old_store: TestOffice) -> None:
    """[国家档案局8号令] 保管期限 永久 / 定期30年 / 定期10年, recorded at 归档; govoffice
    proposes 永久 for normative documents, internal rules and important documents."""
    people = AgencyPeople()
    plain = outgoing_document(old_store, people, to=DocumentStatus.ARCHIVED)
    rules = outgoing_document(old_store, people, to=DocumentStatus.ARCHIVED, internal_rules=True)
    assert old_store.documents.get(plain).archived_retention is RetentionPeriod.YEARS_30
    assert old_store.documents.get(rules).archived_retention is RetentionPeriod.PERMANENT
    assert suggested_retention(old_store.documents.get(rules).form) is RetentionPeriod.PERMANENT
    third = outgoing_document(old_store, people, to=DocumentStatus.DISTRIBUTED)
    with pytest.raises(InvalidInput, match="保管期限"):
        old_store.documents.archive(third, by=people.archivist, retention="五年")


def test_an_evolving_event_class_declares_its_version_and_upcasters() -> None:
    """The contract CONTRIBUTING.md describes: an explicit event class with ``class_version``
    and one ``upcast_vN_vN+1`` per step, under the same stable topic."""
    cls = OutgoingDocument.Archived
    assert cls.TOPIC == "govoffice/outgoing-document/Archived"
    assert cls.class_version == 2
    for n in range(1, cls.class_version):
        assert callable(getattr(cls, f"upcast_v{n}_v{n + 1}"))
    state: dict[str, Any] = {"original_with": "biz1", "copies_with": []}
    cls.upcast_v1_v2(state)
    assert state == {"original_with": "biz1", "copies_with": [], "retention": None}


def test_a_fresh_office_still_builds_documents_end_to_end() -> None:
    office = office_for_tests()
    try:
        people = standard_agency(office)
        doc = outgoing_document(office, people, to=DocumentStatus.ARCHIVED, important=True)
        assert office.documents.get(doc).archived_retention is RetentionPeriod.PERMANENT
    finally:
        office.close()
