"""The tick's memo of finished records (ADR 0020): a new process skips what an earlier one
found finished, and records exactly what it would have recorded without the memo."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from eventsourcing.utils import get_topic

from govoffice.adapters.views_sqlite import ROWS
from govoffice.application.office import Office
from govoffice.application.services import TICK_MEMO_VIEW, TICK_OPEN_VIEW
from govoffice.domain.document import DocumentStatus, OutgoingDocument
from govoffice.domain.errors import StoreUnavailable
from govoffice.domain.incoming import IncomingDocument, IncomingStatus
from govoffice.domain.meeting import Meeting, MeetingStatus
from govoffice.domain.proposal import Proposal, ProposalStatus
from govoffice.domain.supervision import SupervisionStatus, SupervisionTask
from govoffice.testing import (
    AgencyPeople,
    incoming_document,
    meeting,
    office_for_tests,
    outgoing_document,
    proposal,
    standard_agency,
    supervision_task,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
FIRST_TICK = T0.add(days=50)
NEXT_TICK = T0.add(days=80)
KINDS = (OutgoingDocument, IncomingDocument, Proposal, SupervisionTask, Meeting)


def build_records(office: Office, people: AgencyPeople) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Records of every kind, each started at T0: (finished ones, open ones)."""
    finished = {
        outgoing_document(office, people, DocumentStatus.ARCHIVED, at=T0),
        outgoing_document(office, people, DocumentStatus.WITHDRAWN, at=T0),
        incoming_document(office, people, IncomingStatus.ARCHIVED, at=T0),
        incoming_document(office, people, IncomingStatus.RETURNED, at=T0),
        proposal(office, people, ProposalStatus.CLOSED, at=T0),
        supervision_task(office, people, SupervisionStatus.CLOSED_OUT, at=T0),
        meeting(office, people, MeetingStatus.CANCELLED, at=T0),
        meeting(office, people, MeetingStatus.REJECTED, at=T0),
    }
    still_open = {
        outgoing_document(office, people, DocumentStatus.COUNTERSIGNING, at=T0),
        incoming_document(office, people, IncomingStatus.AWAITING_ACCEPTANCE, at=T0),
        proposal(office, people, ProposalStatus.HANDLING, at=T0),
        supervision_task(office, people, SupervisionStatus.IN_PROGRESS, at=T0),
        meeting(office, people, MeetingStatus.APPROVED, at=T0),
    }
    return finished, still_open


@pytest.fixture
def ticked_once(tmp_path: Path) -> tuple[Path, set[uuid.UUID], set[uuid.UUID]]:
    """A SQLite office with finished and open records, ticked once (the memo written)."""
    path = tmp_path / "o.db"
    with office_for_tests(f"sqlite:///{path}", start=T0) as office:
        people = standard_agency(office, T0)
        finished, still_open = build_records(office, people)
        office.tick(FIRST_TICK)
    return path, finished, still_open


def without_memo(path: Path) -> Path:
    """A copy of the store with the memo and the open records deleted: what an office knew
    before ADR 0020 (and 0059)."""
    copy = path.with_name("no-memo.db")
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
        target.execute(f"DELETE FROM {ROWS} WHERE view IN (?, ?)", (TICK_MEMO_VIEW, TICK_OPEN_VIEW))
    source.close()
    target.close()
    return copy


@pytest.fixture
def reopened(
    ticked_once: tuple[Path, set[uuid.UUID], set[uuid.UUID]],
) -> Iterator[tuple[Office, Office, set[uuid.UUID], set[uuid.UUID]]]:
    """A new office on the ticked store, and one on a copy without the memo."""
    path, finished, still_open = ticked_once
    control = without_memo(path)
    with (
        office_for_tests(f"sqlite:///{path}", start=NEXT_TICK) as office,
        office_for_tests(f"sqlite:///{control}", start=NEXT_TICK) as plain,
    ):
        yield office, plain, finished, still_open


def count_loads(office: Office, monkeypatch: pytest.MonkeyPatch) -> list[uuid.UUID]:
    """The ids of the records of the ticked kinds ``office`` loads from now on."""
    loaded: list[uuid.UUID] = []
    get, load = office.store.get, office.store.load

    def counting(cls: type[Any], record_id: object, **kwargs: Any) -> Any:
        if cls in KINDS:
            loaded.append(uuid.UUID(str(record_id)))
        return get(cls, record_id, **kwargs)

    def counting_many(*wanted: Any) -> Any:  # several records read at once (ADR 0060)
        found = load(*wanted)
        loaded.extend(uuid.UUID(str(w.record_id)) for w in wanted if w.cls in KINDS)
        return found

    monkeypatch.setattr(office.store, "get", counting)
    monkeypatch.setattr(office.store, "load", counting_many)
    return loaded


def tick(office: Office) -> list[tuple[Any, ...]]:
    """What the tick at NEXT_TICK records (without the wall-clock recording time)."""
    return [
        (d.version, d.action, d.at, d.by, d.on_behalf_of, d.details) for d in office.tick(NEXT_TICK)
    ]


def test_a_new_process_does_not_load_records_found_finished(
    reopened: tuple[Office, Office, set[uuid.UUID], set[uuid.UUID]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A record an earlier process found finished is not loaded by a new process's first
    tick; open records are; the decisions are those of an office without the memo."""
    office, plain, finished, still_open = reopened
    loaded, loaded_plain = count_loads(office, monkeypatch), count_loads(plain, monkeypatch)

    recorded, expected = tick(office), tick(plain)

    assert not finished & set(loaded)
    assert still_open <= set(loaded)
    assert finished <= set(loaded_plain)
    assert recorded == expected
    assert recorded, "the comparison needs something due"
    assert tick(office) == [], "nothing is recorded twice"


def test_an_unreadable_memo_means_every_record_is_looked_at(
    reopened: tuple[Office, Office, set[uuid.UUID], set[uuid.UUID]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A memo that cannot be read (the view store fails) does not fail the tick: every
    record is looked at, as without the memo, and the same decisions are recorded."""
    office, plain, finished, _ = reopened

    def unavailable(*args: object, **kwargs: object) -> Any:
        raise StoreUnavailable("sqlite", "视图库不可用")

    monkeypatch.setattr(office.views.store, "scan", unavailable)
    monkeypatch.setattr(office.views.store, "transaction", unavailable)
    loaded = count_loads(office, monkeypatch)

    assert tick(office) == tick(plain)
    assert finished <= set(loaded)


def test_a_closed_view_store_does_not_fail_the_tick(
    reopened: tuple[Office, Office, set[uuid.UUID], set[uuid.UUID]],
) -> None:
    """With the view store closed the memo can be neither read nor written; the tick still
    records the same decisions."""
    office, plain, _, _ = reopened
    office.views.store.close()

    assert tick(office) == tick(plain)


def test_a_missing_memo_is_written_by_the_next_tick(tmp_path: Path) -> None:
    """A store without a memo (older, or the memo deleted) is walked in full once; that
    tick writes the memo for the next process."""
    path = tmp_path / "o.db"
    with office_for_tests(f"sqlite:///{path}", start=T0) as office:
        people = standard_agency(office, T0)
        finished, _ = build_records(office, people)
    with office_for_tests(f"sqlite:///{path}", start=FIRST_TICK) as office:
        office.tick(FIRST_TICK)
    with office_for_tests(f"sqlite:///{path}", start=NEXT_TICK) as office:
        memo = {
            uuid.UUID(key)
            for kind in KINDS
            for key, _ in office.views.store.scan(TICK_MEMO_VIEW, get_topic(kind))
        }
    assert memo == finished


def test_the_tick_still_fails_when_its_own_save_fails(
    reopened: tuple[Office, Office, set[uuid.UUID], set[uuid.UUID]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The memo's failures are ignored, the tick's own are not: a save that fails raises
    StoreUnavailable."""
    office, _, _, _ = reopened

    def unavailable(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("sqlite", "磁盘已满")

    monkeypatch.setattr(office.store, "save", unavailable)
    with pytest.raises(StoreUnavailable):
        office.tick(NEXT_TICK)


def test_a_rebuild_of_the_views_keeps_the_memo(
    reopened: tuple[Office, Office, set[uuid.UUID], set[uuid.UUID]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The memo is not a projection: rebuilding the views leaves it in place."""
    office, _, finished, _ = reopened
    office.views.rebuild()
    loaded = count_loads(office, monkeypatch)

    office.tick(NEXT_TICK)

    assert not finished & set(loaded)


def test_every_view_store_keeps_the_memo_without_moving_a_position(store_url: str) -> None:
    """On each store the memo is written in a transaction that moves no view position."""
    with office_for_tests(store_url, start=T0) as office:
        people = standard_agency(office, T0)
        task = supervision_task(office, people, SupervisionStatus.CLOSED_OUT, at=T0)
        office.tick(FIRST_TICK)
        views = office.views.store
        table = get_topic(SupervisionTask)
        assert [key for key, _ in views.scan(TICK_MEMO_VIEW, table)] == [str(task)]
        assert views.position(TICK_MEMO_VIEW) == 0
