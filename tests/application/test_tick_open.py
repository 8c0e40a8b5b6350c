"""The tick keeps its open records and the log position in the view store (ADR 0059): the
first tick of a new process reads one row per kind and the log written since the last tick,
not the whole log, and records exactly what a tick that reads the whole log records."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from govoffice.adapters.views_sqlite import ROWS
from govoffice.application.office import Office
from govoffice.application.services import TICK_OPEN_KEY, TICK_OPEN_VIEW
from govoffice.domain.document import DocumentStatus
from govoffice.domain.incoming import IncomingDocument, IncomingStatus
from govoffice.domain.proposal import ProposalStatus
from govoffice.domain.supervision import SupervisionStatus
from govoffice.testing import (
    incoming_document,
    office_for_tests,
    outgoing_document,
    proposal,
    standard_agency,
    supervision_task,
)
from tests.application.test_tick_memo import (
    FIRST_TICK,
    KINDS,
    NEXT_TICK,
    T0,
    build_records,
    count_loads,
    tick,
    without_memo,
)

LATER = FIRST_TICK.add(days=1)


@pytest.fixture
def grown(tmp_path: Path) -> tuple[Path, set[uuid.UUID]]:
    """A SQLite office ticked once, then grown by records of every ticked kind made after
    that tick (open and finished): the ids made after the tick."""
    path = tmp_path / "o.db"
    with office_for_tests(f"sqlite:///{path}", start=T0) as office:
        people = standard_agency(office, T0)
        build_records(office, people)
        office.tick(FIRST_TICK)
        office.clock.set(LATER)  # type: ignore[attr-defined]
        later = {
            incoming_document(office, people, IncomingStatus.AWAITING_ACCEPTANCE, at=LATER),
            incoming_document(office, people, IncomingStatus.ARCHIVED, at=LATER),
            proposal(office, people, ProposalStatus.HANDLING, at=LATER),
            supervision_task(office, people, SupervisionStatus.IN_PROGRESS, at=LATER),
            outgoing_document(office, people, DocumentStatus.COUNTERSIGNING, at=LATER),
        }
    return path, later


@pytest.fixture
def reopened(grown: tuple[Path, set[uuid.UUID]]) -> Iterator[tuple[Office, Office, set[uuid.UUID]]]:
    """A new office on the grown store, and one on a copy that reads the whole log."""
    path, later = grown
    control = without_memo(path)
    with (
        office_for_tests(f"sqlite:///{path}", start=NEXT_TICK) as office,
        office_for_tests(f"sqlite:///{control}", start=NEXT_TICK) as plain,
    ):
        yield office, plain, later


def log_reads(office: Office, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The log positions ``office`` reads new records after, from now on."""
    positions: list[int] = []
    after = office.store.record_ids_after

    def reading(cls: type[Any], position: int) -> Any:
        positions.append(position)
        return after(cls, position)

    monkeypatch.setattr(office.store, "record_ids_after", reading)
    return positions


def test_first_tick_of_a_new_process_equals_the_tick_that_reads_the_whole_log(
    reopened: tuple[Office, Office, set[uuid.UUID]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """[003 二(二)] 催办 and the other time-driven steps: a new process's first tick, which
    reads the kept open records and only the log written since the last tick, records the
    same decisions as a tick that reads the whole log; the records made after the last tick
    are looked at too."""
    office, plain, later = reopened
    positions, plain_positions = log_reads(office, monkeypatch), log_reads(plain, monkeypatch)
    loaded = count_loads(office, monkeypatch)

    recorded, expected = tick(office), tick(plain)

    assert recorded == expected
    assert recorded, "the comparison needs something due"
    assert later <= set(loaded)
    assert len(positions) >= len(KINDS) and all(p > 0 for p in positions)
    assert 0 in plain_positions, "the control reads the whole log"
    assert tick(office) == [], "nothing is recorded twice"


def test_an_edited_row_is_not_believed(
    grown: tuple[Path, set[uuid.UUID]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept row with an id removed (its tag no longer verifies) would hide an open record
    from the tick: it is ignored, the whole log is read, and the record is still urged."""
    path, _ = grown
    table = get_topic(IncomingDocument)
    with sqlite3.connect(path) as db:
        (text,) = db.execute(
            f"SELECT doc FROM {ROWS} WHERE view = ? AND tbl = ? AND key = ?",
            (TICK_OPEN_VIEW, table, TICK_OPEN_KEY),
        ).fetchone()
        doc = json.loads(text)
        hidden = doc["ids"].pop(0)
        db.execute(
            f"UPDATE {ROWS} SET doc = ? WHERE view = ? AND tbl = ? AND key = ?",
            (json.dumps(doc), TICK_OPEN_VIEW, table, TICK_OPEN_KEY),
        )
    db.close()
    control = without_memo(path)
    with (
        office_for_tests(f"sqlite:///{path}", start=NEXT_TICK) as office,
        office_for_tests(f"sqlite:///{control}", start=NEXT_TICK) as plain,
    ):
        loaded = count_loads(office, monkeypatch)
        assert tick(office) == tick(plain)
    assert uuid.UUID(hidden) in loaded


def test_the_row_is_written_by_the_first_tick(tmp_path: Path) -> None:
    """A store without the row (older) is read in full once; that tick keeps the open
    records of each kind and the log position for the next process, and no finished one."""
    path = tmp_path / "o.db"
    with office_for_tests(f"sqlite:///{path}", start=T0) as office:
        people = standard_agency(office, T0)
        finished, still_open = build_records(office, people)
    with office_for_tests(f"sqlite:///{path}", start=FIRST_TICK) as office:
        office.tick(FIRST_TICK)
        last = office.app.recorder.max_notification_id()
    with office_for_tests(f"sqlite:///{path}", start=NEXT_TICK) as office:
        kept: set[uuid.UUID] = set()
        for kind in KINDS:
            rows = dict(office.views.store.scan(TICK_OPEN_VIEW, get_topic(kind)))
            assert rows[TICK_OPEN_KEY]["position"] <= (last or 0)
            assert rows[TICK_OPEN_KEY]["position"] > 0
            kept |= {uuid.UUID(i) for i in rows[TICK_OPEN_KEY]["ids"]}
    assert still_open <= kept
    assert not finished & kept
