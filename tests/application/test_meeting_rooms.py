"""会议室 and leaders' time — [001 会议 五(二)3] 在机关召开会议,承办部门应提前向会议室管理部门
提出会议室申请,由会议室管理部门根据会议情况统筹安排会议场所; [004] 会议室根据领导活动安排统筹
使用 (ADR 0048), through ``office.meetings``.

A room never holds two meetings whose times overlap (the later booking is refused naming the
earlier, also when several processes book at once); a classified meeting needs a secure
room; a room too small is refused; a leader noticed to two overlapping meetings is flagged
(a warning); each room's and each leader's day is a read model and a CLI command.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.domain.errors import ConcurrentChange, PermissionDenied, TimeGoesBackwards
from govoffice.domain.meeting import (
    ROOMS_ID,
    MeetingRooms,
    RoomAlreadyBooked,
    RoomNotSecure,
    RoomTooSmall,
    UnknownRoom,
)
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    assert_trail_authorised,
    standard_agency,
)
from tests.application.test_meetings import START, approved_request, at

ZONE = "Asia/Shanghai"


@pytest.fixture
def p(office: Office) -> AgencyPeople:
    """The standard agency with three rooms kept by the general office."""
    office.clock.set(START)  # type: ignore[attr-defined]
    people = standard_agency(office, START)
    add_rooms(office, people)
    return people


def add_rooms(office: Office, p: AgencyPeople) -> None:
    m = office.meetings
    m.add_room(room="301", name="局三楼会议室", capacity=40, by=p.secretary, at=START)
    m.add_room(room="201", name="局二楼小会议室", capacity=12, by=p.secretary, at=START)
    m.add_room(room="jm", name="机要会议室", capacity=40, secure=True, by=p.secretary, at=START)


def noticed_request(
    office: Office, p: AgencyPeople, starts_at: pendulum.DateTime, invitees: list[str]
) -> uuid.UUID:
    """An approved topic meeting of biz1 (chaired by its deputy) at ``starts_at``, noticed."""
    m = office.meetings
    meeting = approved_request(office, p, starts_at=starts_at)
    m.draft_notice(meeting, invitees=invitees, contact="1", by=p.drafter, at=at(3, 13))
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party, by=head, at=at(3, 13, 11))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 13, 11))
    m.issue_notice(meeting, by=p.principal, at=at(3, 13, 14))
    return meeting


def test_rooms_are_kept_by_the_general_office(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(二)3] 会议室管理部门 the general office registers the rooms."""
    m = office.meetings
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.add_room(room="101", name="一楼会议室", capacity=20, by=p.unit_head, at=at(3, 1))
    assert [(r.id, r.capacity, r.secure) for r in m.rooms()] == [
        ("201", 12, False),
        ("301", 40, False),
        ("jm", 40, True),
    ]
    assert_trail_authorised(office, ROOMS_ID)


def test_a_room_never_holds_two_overlapping_meetings(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(二)3] 由会议室管理部门根据会议情况统筹安排会议场所: the later booking is
    refused naming the earlier; a meeting after the first ends may have the room."""
    m = office.meetings
    first = approved_request(office, p, starts_at=at(4, 14, 9))
    second = approved_request(office, p, starts_at=at(4, 14, 14))  # 09:00-17:00 holds it
    later = approved_request(office, p, starts_at=at(4, 14, 17))
    m.book_room(first, room="301", by=p.secretary, at=at(3, 5))
    assert m.get(first).place == "局三楼会议室" and m.get(first).room == "301"
    with assert_nothing_recorded(office), pytest.raises(RoomAlreadyBooked) as refused:
        m.book_room(second, room="301", by=p.secretary, at=at(3, 5, 11))
    assert refused.value.details["earlier"] == first
    assert "安全生产专题会议" in str(refused.value)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        m.book_room(second, room="jm", by=p.unit_head, at=at(3, 5, 11))  # not the office
    with assert_nothing_recorded(office), pytest.raises(UnknownRoom):
        m.book_room(second, room="999", by=p.secretary, at=at(3, 5, 11))
    m.book_room(later, room="jm", by=p.secretary, at=at(3, 5, 12))
    m.cancel(first, reason="与省厅会议冲突", by=p.office_head, at=at(3, 6))
    m.book_room(second, room="301", by=p.secretary, at=at(3, 6, 11))
    assert [b.meeting_id for b in m.room_day("301", date(2026, 4, 14))] == [second]
    assert_trail_authorised(office, ROOMS_ID)
    assert_trail_authorised(office, second)


def test_a_classified_meeting_needs_a_secure_room(office: Office, p: AgencyPeople) -> None:
    """涉密会议须在涉密会议室召开 [001 会议 五(二)3 统筹安排会议场所; the classified rule of 发文
    印制 in a secure place, 001 发文]."""
    m = office.meetings
    meeting = approved_request(office, p)
    with assert_nothing_recorded(office), pytest.raises(RoomNotSecure):
        m.book_room(meeting, room="301", classified=True, by=p.secretary, at=at(3, 5))
    m.book_room(meeting, room="jm", classified=True, by=p.secretary, at=at(3, 5))
    assert m.get(meeting).classified


def test_a_room_too_small_is_refused(office: Office, p: AgencyPeople) -> None:
    """[001 会议 五(二)3] 根据会议情况 (its size) the room is chosen: 30 people do not fit
    twelve seats; a notice inviting more than the room seats is refused too."""
    m = office.meetings
    meeting = approved_request(office, p)  # 30 participants
    with assert_nothing_recorded(office), pytest.raises(RoomTooSmall):
        m.book_room(meeting, room="201", by=p.secretary, at=at(3, 5))
    small = approved_request(office, p, participants=10, budget=3000, starts_at=at(4, 15, 9))
    m.book_room(small, room="201", by=p.secretary, at=at(3, 5))
    many = [p.principal, p.deputy, p.deputy2, p.unit_head, p.unit_head2, p.office_head]
    many += [p.drafter, p.drafter2, p.legal_head, p.finance_head]  # 10: fits
    m.draft_notice(small, invitees=many, contact="1", by=p.drafter, at=at(3, 6))
    m.add_room(room="101", name="一楼洽谈室", capacity=8, by=p.secretary, at=at(3, 6))
    with assert_nothing_recorded(office), pytest.raises(RoomTooSmall):
        m.postpone(
            small, starts_at=at(4, 16, 9), room="101", reason="改期", by=p.secretary, at=at(3, 7)
        )


def test_a_leader_at_two_overlapping_meetings_is_flagged(office: Office, p: AgencyPeople) -> None:
    """[004] 会议室根据领导活动安排统筹使用: a leader expected at two meetings whose times overlap
    is flagged when the second is noticed — a recorded warning, not a refusal."""
    m = office.meetings
    first = noticed_request(office, p, at(4, 14, 9), [p.deputy2, p.unit_head])
    second = approved_request(office, p, starts_at=at(4, 14, 15))
    m.draft_notice(
        second, invitees=[p.deputy2, p.unit_head2], contact="1", by=p.drafter, at=at(3, 13)
    )
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(second, party=party, by=head, at=at(3, 13, 11))
    m.countersign(second, party=p.deputy, by=p.deputy, at=at(3, 13, 11))
    clashes = m.issue_notice(second, by=p.principal, at=at(3, 13, 15))
    # the deputy chairs both; deputy2 is invited to both; the unit heads are not leaders
    assert sorted(c.person for c in clashes) == sorted([p.deputy, p.deputy2])
    assert {c.meeting_id for c in clashes} == {first}
    assert [d.action for d in m.history(second)][-2:] == ["Noticed", "LeaderClashFlagged"]
    assert m.get(second).leader_clashes == clashes
    assert m.get(first).leader_clashes == ()  # the first was noticed before the second existed
    # a leader on leave from the first is not double-booked
    third = approved_request(office, p, starts_at=at(4, 14, 10))
    m.answer(first, attend=False, reason="另有公务", by=p.deputy2, at=at(3, 14))
    m.grant_leave(first, person=p.deputy2, by=p.deputy, at=at(3, 14, 11))
    m.draft_notice(third, invitees=[p.deputy2], contact="1", by=p.drafter, at=at(3, 14, 12))
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(third, party=party, by=head, at=at(3, 14, 13))
    m.countersign(third, party=p.deputy, by=p.deputy, at=at(3, 14, 13))
    clashes = m.issue_notice(third, by=p.principal, at=at(3, 14, 15))
    assert (p.deputy2, first) not in {(c.person, c.meeting_id) for c in clashes}


def test_room_and_leader_days_are_read_on_the_agencys_calendar(
    office: Office, p: AgencyPeople
) -> None:
    """Each room's day and each leader's day (ADR 0022: the agency's local day): a meeting
    at 00:30 on 15 April in Beijing (16:30Z on the 14th) is on the 15th."""
    m = office.meetings
    early = approved_request(office, p, starts_at=pendulum.datetime(2026, 4, 14, 16, 30, tz="UTC"))
    day = approved_request(office, p, starts_at=at(4, 14, 9))
    m.book_room(early, room="301", ends_at=at(4, 15, 2), by=p.secretary, at=at(3, 5))
    m.book_room(day, room="jm", by=p.secretary, at=at(3, 5))
    assert [b.meeting_id for b in m.room_day("301", date(2026, 4, 15))] == [early]
    assert m.room_day("301", "2026-04-14") == []
    assert [x.id for x in m.leader_day(p.deputy, date(2026, 4, 14))] == [day]
    assert [x.id for x in m.leader_day(p.deputy, date(2026, 4, 15))] == [early]
    assert m.leader_day(p.deputy2, date(2026, 4, 14)) == []


def test_a_postponement_rechecks_and_moves_the_room(office: Office, p: AgencyPeople) -> None:
    """[000 范文6 四 2] 更改日期、地点: the room is checked again at the new time — refused
    (naming the other meeting) when taken then; otherwise the booking moves with the
    meeting; moving to an outside venue frees the room."""
    m = office.meetings
    first = approved_request(office, p, starts_at=at(4, 14, 9))
    other = approved_request(office, p, starts_at=at(4, 16, 9))
    m.book_room(first, room="301", by=p.secretary, at=at(3, 5))
    m.book_room(other, room="301", by=p.secretary, at=at(3, 5))
    with assert_nothing_recorded(office), pytest.raises(RoomAlreadyBooked) as refused:
        m.postpone(first, starts_at=at(4, 16, 14), reason="改期", by=p.unit_head, at=at(3, 6))
    assert refused.value.details["earlier"] == other
    m.postpone(first, starts_at=at(4, 17, 9), reason="改期", by=p.unit_head, at=at(3, 6))
    assert m.room_day("301", date(2026, 4, 14)) == []
    assert [b.meeting_id for b in m.room_day("301", date(2026, 4, 17))] == [first]
    m.move(first, venue="市会议中心", reason="规模扩大", by=p.unit_head, at=at(3, 7))
    assert m.get(first).room is None and m.get(first).place == "市会议中心"
    assert m.room_day("301", date(2026, 4, 17)) == []
    again = approved_request(office, p, starts_at=at(4, 17, 9))
    m.book_room(again, room="301", by=p.secretary, at=at(3, 8))
    assert_trail_authorised(office, ROOMS_ID)
    assert_trail_authorised(office, first)


def test_the_cli_prints_a_rooms_day_and_a_leaders_day(tmp_path: Path) -> None:
    """``govoffice meeting room-day`` and ``leader-day`` read the same views."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = open_office(url, clock=SettableClock(START))
    p = standard_agency(office, START)
    add_rooms(office, p)
    meeting = approved_request(office, p, starts_at=at(4, 14, 9))
    office.meetings.book_room(meeting, room="301", by=p.secretary, at=at(3, 5))
    office.close()
    runner = CliRunner()
    rooms = runner.invoke(
        main, ["meeting", "room-day", "301", "--day", "2026-04-14", "--store", url]
    )
    assert rooms.exit_code == 0, rooms.output
    assert "安全生产专题会议" in rooms.output and "09:00" in rooms.output
    leaders = runner.invoke(
        main, ["meeting", "leader-day", p.deputy, "--day", "2026-04-14", "--store", url]
    )
    assert leaders.exit_code == 0, leaders.output
    assert "安全生产专题会议" in leaders.output and "局三楼会议室" in leaders.output


# --- several processes booking the same room at once ---------------------------------------

PROCESSES = 4
BOOK_AT = at(3, 5)


def booking_process(url: str, meeting: str, start: Any, results: Any) -> None:
    """One racer: its own office on ``url``; books room 301 for its meeting at the same
    moment as the others, retrying (as a clerk would) when the store says "try again"."""
    try:
        office = open_office(url, clock=SettableClock(START))
        try:
            start.wait(timeout=120)
            for _ in range(200):
                try:
                    office.meetings.book_room(
                        meeting, room="301", by=AgencyPeople().secretary, at=BOOK_AT
                    )
                    results.put(("won", meeting))
                    break
                except ConcurrentChange:
                    continue
                except RoomAlreadyBooked as e:
                    results.put(("refused", str(e.details["earlier"])))
                    break
        finally:
            office.close()
    except BaseException:
        start.abort()
        results.put(("error", traceback.format_exc()))


def test_several_processes_booking_one_room_at_once_exactly_one_wins(tmp_path: Path) -> None:
    """[001 会议 五(二)3] four processes (each its own office on one SQLite file) book the
    same room for four meetings at the same time at once: exactly one wins; each of the
    others is refused naming the winner (after its retry reloaded the register)."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = open_office(url, clock=SettableClock(START))
    p = standard_agency(office, START)
    add_rooms(office, p)
    meetings = [str(approved_request(office, p, starts_at=at(4, 14, 9))) for _ in range(PROCESSES)]
    office.close()

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    results = context.Queue()
    racers = [
        context.Process(target=booking_process, args=(url, m, start, results)) for m in meetings
    ]
    for racer in racers:
        racer.start()
    outcomes: list[tuple[str, str]] = []
    deadline = time.monotonic() + 180
    while len(outcomes) < PROCESSES and time.monotonic() < deadline:
        try:
            outcomes.append(results.get(timeout=1))
        except queue.Empty:
            if any(r.exitcode not in (None, 0) for r in racers):
                break
    for racer in racers:
        racer.join(timeout=30)
    errors = [detail for status, detail in outcomes if status == "error"]
    assert not errors, "\n".join(errors)
    assert len(outcomes) == PROCESSES, outcomes
    winners = [m for status, m in outcomes if status == "won"]
    assert len(winners) == 1, outcomes
    assert all(status == "refused" and m == winners[0] for status, m in outcomes if m != winners[0])

    office = open_office(url, clock=SettableClock(START))
    try:
        register = office.store.get(MeetingRooms, ROOMS_ID)
        assert [str(b.meeting_id) for b in register.bookings.values()] == winners
        booked = [m for m in meetings if office.meetings.get(m).room == "301"]
        assert booked == winners
    finally:
        office.close()


def test_a_utc_caller_books_the_same_slot(office: Office, p: AgencyPeople) -> None:
    """ADR 0022: the same instants, written in UTC, overlap the same way."""
    m = office.meetings
    first = approved_request(office, p, starts_at=at(4, 14, 9))
    second = approved_request(
        office,
        p,
        starts_at=pendulum.datetime(2026, 4, 14, 3, 0, tz="UTC"),  # 11:00 Beijing
    )
    m.book_room(first, room="301", by=p.secretary, at=at(3, 5).in_timezone("UTC"))
    with assert_nothing_recorded(office), pytest.raises(RoomAlreadyBooked):
        m.book_room(second, room="301", by=p.secretary, at=at(3, 5, 11).in_timezone("UTC"))


def test_a_back_dated_booking_of_another_meeting_is_not_going_back_in_time(
    office: Office, p: AgencyPeople
) -> None:
    """The register is the whole agency's: a clerk who enters one meeting's booking dated
    before another meeting's later booking (two clerks, or a late entry) is not refused as
    going back in time; the overlap rule still holds, and one meeting's own booking cannot
    be dated before its last."""
    m = office.meetings
    first = approved_request(office, p, starts_at=at(4, 14, 9))
    second = approved_request(office, p, starts_at=at(4, 15, 9))
    clash = approved_request(office, p, starts_at=at(4, 14, 14))
    m.book_room(first, room="301", by=p.secretary, at=at(3, 10))
    m.book_room(second, room="301", by=p.secretary, at=at(3, 6))  # entered later, dated earlier
    assert {b.meeting_id for b in m.room_day("301", date(2026, 4, 15))} == {second}
    with assert_nothing_recorded(office), pytest.raises(RoomAlreadyBooked):
        m.book_room(clash, room="301", by=p.secretary, at=at(3, 5))
    m.book_room(second, room="jm", by=p.secretary, at=at(3, 7))  # its own next step
    with assert_nothing_recorded(office), pytest.raises(TimeGoesBackwards):
        m.book_room(second, room="301", by=p.secretary, at=at(3, 6, 12))
    assert m.get(second).room == "jm"
    assert_trail_authorised(office, ROOMS_ID)
