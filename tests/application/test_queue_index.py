"""[issue 14, ADR 0052] A person's queue is read from the index of open items by who waits,
and it says exactly what resolving every open item against the organisation said.

Over a simulated year (the bureau's hundred people, its leaders' trips with their stand-ins
[001 收文 五(二)1(2)]), then a restructuring after it (a unit merged into another with its
open work handed over, ADR 0023; a unit head moved to another unit; a leader away with a
stand-in), every person's queue from the index is compared with the old resolution — every
open item, each rule resolved as the organisation stood — now and as of past days.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pendulum
import pytest

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.application.queues import (
    ITEMS,
    WAITING,
    QueueItem,
    QueueService,
    _item,
    _queue_order,
    _Resolver,
    _Snapshot,
    _waiter,
    waiter_keys,
)
from govoffice.bootstrap import open_office
from govoffice.demo.bureau import DIVISION, P
from govoffice.demo.simulation import simulate_year
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import UnknownPerson
from govoffice.domain.incoming import IncomingStatus
from govoffice.domain.proposal import ProposalStatus
from govoffice.domain.supervision import SupervisionStatus
from govoffice.testing import (
    SettableClock,
    incoming_document,
    office_for_tests,
    outgoing_document,
    proposal,
    standard_agency,
    supervision_task,
)

SCALE = 0.02
SEED = 7
ZONE = "Asia/Shanghai"
AFTER = pendulum.datetime(2027, 1, 6, 9, 0, tz=ZONE)
"""The restructuring, after the simulated year."""


def by_resolving_every_item(queues: QueueService, snap: _Snapshot, person: str) -> list[QueueItem]:
    """The queue as govoffice computed it before the index: every open item of the view,
    its rule resolved against the organisation, kept if it names the person or a leader
    they act for that day."""
    resolve = _Resolver(snap.org, snap.at)
    found = []
    for doc in queues._items(snap):
        people = resolve.people(_waiter(doc))
        if person in people:
            found.append(_item(doc, people, None, snap))
        elif (leader := resolve.acts_for(person, people)) is not None:
            found.append(_item(doc, people, leader, snap))
    return sorted(found, key=_queue_order)


@pytest.fixture(scope="module")
def year() -> Iterator[Office]:
    clock = SettableClock()
    office = open_office("memory", clock=clock, calendar=china_calendar(weekend_fallback=True))
    try:
        simulate_year(office, scale=SCALE, seed=SEED)
        org = office.org.current()
        # The 政策研究室 has open work at the year's end: merged into 规划发展处 (its open
        # records handed over); a business unit's head moves to 安全监管处; the deputy for
        # biz1 is away with a stand-in.
        assert "policy" in DIVISION[P.deputy]
        moved = next(p for p in org.members_of("info", AFTER) if p in org.heads_of("info", AFTER))
        clock.set(AFTER)
        handed = office.org.merge_unit(unit_id="policy", into="planning", by=P.admin, at=AFTER)
        assert handed > 0
        office.org.move_person(person_id=moved, unit="safety", by=P.admin, at=AFTER.add(hours=1))
        office.org.appoint_substitute(
            leader=P.deputy,
            substitute=P.deputy2,
            start=date(2027, 1, 6),
            end=date(2027, 1, 8),
            by=P.admin,
            at=AFTER.add(hours=2),
        )
        clock.set(AFTER.add(hours=3))
        yield office
    finally:
        office.close()


def compare(office: Office, on: date | None) -> tuple[int, int]:
    """Every person's queue both ways on a day; returns (items compared, on behalf of)."""
    queues = office.queues
    compared = acting = 0
    with queues._snapshot(on) as snap:
        for person in sorted(snap.org.people):
            if on is not None and snap.org.unit_of(person, snap.at) is None:
                with pytest.raises(UnknownPerson):
                    queues._for_person(snap, person, past=True)
                continue
            indexed = queues._for_person(snap, person, past=on is not None)
            assert indexed == by_resolving_every_item(queues, snap, person), (person, on)
            compared += len(indexed)
            acting += sum(i.on_behalf_of is not None for i in indexed)
    return compared, acting


def test_the_index_holds_each_open_item_under_every_rule_value_that_resolves_it(
    year: Office,
) -> None:
    """The index is the items table again, keyed by who waits: no more, no less (what a
    rebuild of the view would write, so ``audit verify --views`` agrees)."""
    year.views.catch_up()
    view = year.queues.projection.view
    store = year.views.store
    items = dict(store.scan(view, ITEMS))
    expected = {f"{entry}|{key}": doc for key, doc in items.items() for entry in waiter_keys(doc)}
    assert items
    assert dict(store.scan(view, WAITING)) == expected


def test_queues_from_the_index_equal_resolving_every_item_over_the_year(year: Office) -> None:
    """Days across the simulated year, including days a leader was away: the same items,
    the same people, the same 代 on behalf of, in the same order."""
    away = sorted({s.start for s in year.org.current().substitutions if s.start.year == 2026})
    days = {date(2026, 3, 2), date(2026, 6, 15), date(2026, 9, 8), date(2026, 11, 20)}
    totals = [compare(year, day) for day in sorted({*days, *away[:: max(1, len(away) // 4)]})]
    assert sum(n for n, _ in totals) > 100
    assert sum(a for _, a in totals) > 0  # some stand-in did act for an away leader


def test_queues_from_the_index_equal_resolving_every_item_after_a_restructuring(
    year: Office,
) -> None:
    """Now (after the merger, the move and with a stand-in), the year's last day, and the
    day of the restructuring as a past day."""
    now = compare(year, None)
    last = compare(year, date(2026, 12, 31))
    that_day = compare(year, AFTER.date())
    assert now[0] > 0 and last[0] > 0 and that_day[0] > 0
    handed_over = [
        i
        for p in year.org.current().heads_of("planning", AFTER.add(hours=3))
        for i in year.queues.for_person(p)
        if i.unit == "planning"
    ]
    assert handed_over  # the merged unit's open work waits on its successor's head


def test_a_person_with_nothing_waiting_reads_no_item(year: Office) -> None:
    """An empty queue costs a look at the person's own index entries, not the whole view."""
    queues = year.queues
    with queues._snapshot(None) as snap:
        idle = [p for p in sorted(snap.org.people) if not queues._for_person(snap, p, past=False)]
        assert idle
        for person in idle:
            assert list(queues._candidates(snap, person)) == []


def test_the_index_answers_the_same_on_every_store(store_url: str) -> None:
    """[ADR 0015] On memory, SQLite and PostgreSQL: open work of each kind, a leader away
    with a stand-in, then 业务一处 merged into 业务二处 with its open work handed over."""
    start = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
    with office_for_tests(store_url, start=start) as office:
        p = standard_agency(office, start)
        for n, status in enumerate(
            (
                DocumentStatus.UNIT_REVIEW,
                DocumentStatus.COUNTERSIGNING,
                DocumentStatus.OFFICE_CHECK,
                DocumentStatus.AWAITING_SIGNATURE,
                DocumentStatus.PRINTED,
            )
        ):
            outgoing_document(office, p, status, at=start.add(hours=n))
        incoming_document(office, p, IncomingStatus.AWAITING_INSTRUCTION, at=start.add(days=1))
        incoming_document(office, p, IncomingStatus.IN_HANDLING, at=start.add(days=1, hours=2))
        proposal(office, p, ProposalStatus.HANDLING, at=start.add(days=2))
        supervision_task(office, p, SupervisionStatus.IN_PROGRESS, at=start.add(days=2))
        office.org.appoint_substitute(
            leader=p.deputy,
            substitute=p.deputy2,
            start=date(2026, 3, 5),
            end=date(2026, 3, 6),
            by=p.admin,
            at=start.add(days=2, hours=5),
        )
        office.clock.set(start.add(days=3))
        before = compare(office, None)
        merged = start.add(days=3, hours=1)
        assert office.org.merge_unit(unit_id="biz1", into="biz2", by=p.admin, at=merged) > 0
        office.clock.set(merged.add(hours=1))
        after = compare(office, None)
        past = compare(office, date(2026, 3, 4))
    assert before[0] > 0 and before[1] > 0  # the stand-in acts for the away deputy
    assert after[0] > 0 and past[0] > 0
