"""The unit of work hands the saved aggregates over to the aggregate cache (ADR 0019).

A command loads a record (a copy of the cached aggregate), decides, saves, and hands the
saved aggregate to the cache: the next command finds it current without reading back and
decoding the events just written. These tests show that this changes nothing a user can
see: the state served from the cache is the state replayed from the store, another writer's
changes are still picked up, and a save that loses a race hands nothing over.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus, OutgoingDocument
from govoffice.domain.errors import ConcurrentChange
from govoffice.domain.values import PersonId
from govoffice.testing import AgencyPeople, office_for_tests, standard_agency

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
FORM: dict[str, Any] = {
    "title": "关于做好防汛工作的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:现将防汛工作有关事项通知如下……",
}


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    office = office_for_tests(f"sqlite:///{tmp_path / 'office.db'}", start=T0)
    yield office
    office.close()


@pytest.fixture
def people(office: Office) -> AgencyPeople:
    return standard_agency(office, T0)


def count_decodes(office: Office) -> list[int]:
    """Counts the events the mapper decodes from now on (``[n]``)."""
    mapper: Any = office.app.mapper
    decode = mapper.to_domain_event
    counter = [0]

    def counting(stored: Any) -> Any:
        counter[0] += 1
        return decode(stored)

    mapper.to_domain_event = counting
    return counter


def flow(office: Office, p: AgencyPeople) -> uuid.UUID:
    d = office.documents
    doc = d.draft(by=p.drafter, at=T0.add(hours=1), **FORM)
    d.submit_for_review(doc, by=p.drafter, at=T0.add(hours=2))
    d.review(doc, by=p.unit_head, at=T0.add(hours=3))
    d.submit_to_office(doc, by=p.drafter, at=T0.add(hours=4))
    d.office_check(doc, by=p.secretary, at=T0.add(hours=5))
    d.office_review(doc, by=p.office_head, at=T0.add(hours=6))
    d.sign(doc, by=p.principal, at=T0.add(hours=7))
    d.register(doc, by=p.secretary, distribution_scope="各处室", copies=10, at=T0.add(hours=8))
    return doc


def test_a_command_finds_the_previous_commands_result_without_decoding_it(
    office: Office, people: AgencyPeople
) -> None:
    doc = office.documents.draft(by=people.drafter, at=T0.add(hours=1), **FORM)
    decoded = count_decodes(office)
    office.documents.submit_for_review(doc, by=people.drafter, at=T0.add(hours=2))
    office.documents.review(doc, by=people.unit_head, at=T0.add(hours=3))
    assert decoded[0] == 0
    assert office.documents.get(doc).status is DocumentStatus.UNIT_REVIEWED


def test_the_cached_state_is_the_state_replayed_from_the_store(
    office: Office, people: AgencyPeople
) -> None:
    doc = flow(office, people)
    cached = office.documents.get(doc)
    replayed = office.documents.get(doc, version=cached.version)  # read from the store
    assert vars(cached) == vars(replayed)
    reopened = office_for_tests(office.app.store_url, start=T0)
    try:
        assert vars(reopened.documents.get(doc)) == vars(cached)
    finally:
        reopened.close()


def test_another_writers_change_is_still_picked_up(
    office: Office, people: AgencyPeople, tmp_path: Path
) -> None:
    doc = office.documents.draft(by=people.drafter, at=T0.add(hours=1), **FORM)
    other = office_for_tests(office.app.store_url, start=T0)
    try:
        other.documents.submit_for_review(doc, by=people.drafter, at=T0.add(hours=2))
    finally:
        other.close()
    office.documents.review(doc, by=people.unit_head, at=T0.add(hours=3))
    record = office.documents.get(doc)
    assert record.status is DocumentStatus.UNIT_REVIEWED
    assert record.version == 3


def test_a_save_that_loses_the_race_hands_nothing_over(
    office: Office, people: AgencyPeople
) -> None:
    """Two clerks load the same draft; the first one's save wins, the second one's fails
    with ConcurrentChange: the cache keeps the winner's state, not the loser's."""
    doc = office.documents.draft(by=people.drafter, at=T0.add(hours=1), **FORM)
    org = office.org.current()
    first: OutgoingDocument = office.store.get(OutgoingDocument, doc)
    second: OutgoingDocument = office.store.get(OutgoingDocument, doc)
    first.withdraw(org=org, by=PersonId(people.drafter), reason="重复起草", at=T0.add(hours=2))
    office.store.save(first, hand_over=True)
    second.submit_for_review(org=org, by=PersonId(people.drafter), at=T0.add(hours=2))
    with pytest.raises(ConcurrentChange):
        office.store.save(second, hand_over=True)
    now = office.documents.get(doc)
    assert now.status is DocumentStatus.WITHDRAWN
    assert now.version == 2
    assert now is not first  # a command gets a copy of the handed-over aggregate
