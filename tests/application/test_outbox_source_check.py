"""[issue 12 §4, ADR 0033] An outbox row is sent only if its source event exists and the row
is what the notification policy derives from that event: a row an intruder wrote or edited
in the view store is refused (marked failed with the reason), never sent — and so never
signed with the office's webhook secret."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from govoffice.adapters.notifiers import MemoryNotifier
from govoffice.application.notifications import (
    OUTBOX,
    QUEUE,
    Notification,
    NotificationStatus,
)
from govoffice.application.office import Office
from govoffice.domain.errors import GovOfficeError
from govoffice.testing import AgencyPeople, standard_agency
from tests.application.test_notifications import ESTABLISHED, assigned_to_leaders


@pytest.fixture
def a(office: Office) -> AgencyPeople:
    return standard_agency(office, ESTABLISHED)


@pytest.fixture
def channel(office: Office) -> Iterator[MemoryNotifier]:
    notifier = MemoryNotifier()
    office.notifications.notifier = notifier
    yield notifier


def taken_in(office: Office, a: AgencyPeople) -> list[Notification]:
    """An incoming document assigned (three notifications), taken into the outbox, unsent."""
    assigned_to_leaders(office, a)
    office.notifications.catch_up()
    rows = office.notifications.pending()
    assert len(rows) == 3
    return rows


def edit(office: Office, key: str, change: dict[str, Any]) -> None:
    """What an intruder with write access to the view store does to one outbox row."""
    service = office.notifications
    doc = service.store.get(service.view, OUTBOX, key)
    assert doc is not None
    with service.store.transaction({}) as tx:
        tx.put(service.view, OUTBOX, key, {**doc, **change})


def forge(office: Office, like: Notification, **change: Any) -> str:
    """A new pending row and its queue entry, modelled on a real one."""
    service = office.notifications
    doc = {**like.to_document(), **change, "seq": 999}
    with service.store.transaction({}) as tx:
        tx.put(service.view, OUTBOX, doc["key"], doc)
        tx.put(service.view, QUEUE, f"{999:012d}", {"key": doc["key"]})
    return str(doc["key"])


def test_rows_derived_from_their_events_are_sent(
    office: Office, a: AgencyPeople, channel: MemoryNotifier
) -> None:
    """[ADR 0033] The check passes every row the policy wrote."""
    rows = taken_in(office, a)
    report = office.notifications.deliver()
    assert sorted(report.sent) == sorted(r.key for r in rows)
    assert all(r.position for r in office.notifications.outbox())


def test_a_forged_row_whose_event_does_not_exist_is_refused(
    office: Office, a: AgencyPeople, channel: MemoryNotifier
) -> None:
    """[issue 12 §4] A row naming an event that is not in the store is never sent."""
    real = taken_in(office, a)[0]
    ghost = uuid.uuid4()
    key = forge(
        office,
        real,
        key=f"{ghost}/1/{real.recipient}",
        event_id=f"{ghost}/1",
        record_id=str(ghost),
        position=None,
    )
    report = office.notifications.deliver(raise_on_failure=False)
    assert key not in [m.key for m in channel.sent]
    refused = office.notifications.get(key)
    assert refused is not None and refused.status is NotificationStatus.FAILED
    assert "不存在" in refused.last_error
    assert [n.key for n in report.failed] == [key]
    assert len(channel.sent) == 3, "the real rows are sent all the same"


def test_a_row_edited_to_reach_another_address_is_refused(
    office: Office, a: AgencyPeople, channel: MemoryNotifier
) -> None:
    """[issue 12 §4] An edited e-mail address (or subject, or body) is not what the event
    gives: refused."""
    rows = taken_in(office, a)
    edit(office, rows[0].key, {"email": "intruder@example.com"})
    edit(office, rows[1].key, {"body": "请将材料发至 intruder@example.com"})
    office.notifications.deliver(raise_on_failure=False)
    assert [m.key for m in channel.sent] == [rows[2].key]
    for row in rows[:2]:
        refused = office.notifications.get(row.key)
        assert refused is not None and refused.status is NotificationStatus.FAILED
        assert "不符" in refused.last_error


def test_a_row_for_someone_the_event_does_not_notify_is_refused(
    office: Office, a: AgencyPeople, channel: MemoryNotifier
) -> None:
    """[issue 12 §4] A real event, a recipient it does not notify: refused."""
    real = taken_in(office, a)[0]
    key = forge(office, real, key=f"{real.message.event_id}/{a.drafter}", recipient=a.drafter)
    office.notifications.deliver(raise_on_failure=False)
    assert key not in [m.key for m in channel.sent]
    refused = office.notifications.get(key)
    assert refused is not None and "不通知" in refused.last_error


def test_rows_written_before_rows_kept_their_position_are_still_checked(
    office: Office, a: AgencyPeople, channel: MemoryNotifier
) -> None:
    """[ADR 0033] A row without the source event's position (an older outbox): the event
    is found in the log by its kind, and the row is checked and sent."""
    rows = taken_in(office, a)
    for row in rows:
        edit(office, row.key, {"position": None})
    assert len(office.notifications.deliver().sent) == 3


def test_the_seal_check_plugs_in_before_sending(
    office: Office, a: AgencyPeople, channel: MemoryNotifier
) -> None:
    """[issue 12 §3] The hash chain's one-event check is asked about each source event; an
    event it rejects sends nothing."""
    rows = taken_in(office, a)
    asked: list[tuple[uuid.UUID, int]] = []

    def seal_check(originator_id: uuid.UUID, version: int) -> None:
        asked.append((originator_id, version))
        raise GovOfficeError("封印不符 (seal does not verify)")

    office.notifications.seal_check = seal_check
    report = office.notifications.deliver(raise_on_failure=False)
    assert channel.sent == []
    assert len(report.failed) == 3
    event_id = rows[0].message.event_id
    assert asked and f"{asked[0][0]}/{asked[0][1]}" == event_id
    assert all("未通过校验" in n.last_error for n in report.failed)
