"""会议 — properties over random runs through ``office.meetings``.

1. The decided-items policy opens exactly one supervision task per decided item, linked both
   ways, however often it runs and wherever a run is cut short: all the tasks, their numbers
   and the meeting's links are one atomic save, so a crash before it leaves nothing and a
   crash after it leaves everything [004 县政府 二(四)2; issue 11 §7].
2. A state machine drives one meeting with random commands, by random people, at random
   business times: every refusal is a :class:`GovOfficeError` that records nothing, every
   accepted decision is one the audit trail judges 有权 (the same authority table), and the
   meeting's invariants hold in every state it reaches.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from govoffice.application.office import Office
from govoffice.domain.base import TICK_ACTOR
from govoffice.domain.errors import GovOfficeError
from govoffice.domain.meeting import (
    AFTER_HELD,
    ROOMS_ID,
    Meeting,
    MeetingKind,
    MeetingRooms,
    MeetingStatus,
)
from govoffice.domain.meeting_rules import AttendanceFact
from govoffice.domain.supervision import SupervisionTask, task_id_for
from govoffice.testing import (
    AgencyPeople,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
)

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
STARTS = pendulum.datetime(2026, 3, 12, 9, 0, tz=ZONE)
UNITS = ("biz1", "biz2", "legal", "finance")


def request_topic_meeting(office: Office, p: AgencyPeople, at: pendulum.DateTime) -> uuid.UUID:
    """An unplanned topic meeting of 业务一处 on 12 March, convened by its deputy."""
    return office.meetings.request(
        kind=MeetingKind.TOPIC,
        title="安全生产专题会议",
        content="部署安全生产",
        reason="专项部署",
        organiser="biz1",
        starts_at=STARTS,
        place="局二楼会议室",
        participant_scope="有关处室负责人",
        participants=10,
        days=1,
        budget=3000,
        funding_source="业务一处会议费",
        chair=p.deputy,
        by=p.unit_head,
        at=at,
    )


COUNTERSIGNERS = (("office", "office_head"), ("finance", "finance_head"), ("deputy", "deputy"))


def countersign_all(
    office: Office, p: AgencyPeople, meeting: uuid.UUID, at: pendulum.DateTime
) -> None:
    for party, head in COUNTERSIGNERS:
        office.meetings.countersign(
            meeting, party=getattr(p, party, party), by=getattr(p, head), at=at
        )


def meeting_with_decisions(office: Office, p: AgencyPeople, items: int) -> uuid.UUID:
    """A held topic meeting whose signed minutes carry ``items`` decided items."""
    m = office.meetings
    meeting = request_topic_meeting(office, p, T0)
    countersign_all(office, p, meeting, T0.add(hours=1))
    m.approve(meeting, by=p.principal, at=T0.add(hours=2))
    topic = m.propose_agenda_item(
        meeting, title="检查方案", unit="biz1", by=p.unit_head, at=T0.add(hours=3)
    )
    m.submit_materials(meeting, item=topic, materials=["方案"], by=p.drafter, at=T0.add(hours=4))
    m.set_agenda(meeting, items=[topic], by=p.deputy, at=T0.add(hours=5))
    m.draft_notice(
        meeting, invitees=[p.unit_head, p.unit_head2], contact="1", by=p.drafter, at=T0.add(hours=6)
    )
    countersign_all(office, p, meeting, T0.add(hours=7))
    m.issue_notice(meeting, by=p.principal, at=T0.add(hours=8))
    m.hold(meeting, by=p.drafter, at=STARTS.add(hours=2))
    m.draft_minutes(meeting, text="纪要", by=p.drafter, at=STARTS.add(hours=3))
    for i in range(items):
        m.record_decision(
            meeting,
            agenda_item=topic,
            content=f"议定事项{i + 1}",
            responsible_unit=UNITS[i % len(UNITS)],
            deadline=date(2026, 4, 30),
            by=p.drafter,
            at=STARTS.add(hours=4, minutes=i),
        )
    m.sign_minutes(meeting, by=p.deputy, at=STARTS.add(hours=5))
    return meeting


class SimulatedCrash(Exception):
    """The process dies (not an office refusal)."""


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.integers(min_value=1, max_value=4),
    crash_at=st.integers(min_value=0, max_value=1),
    after_save=st.booleans(),
    reruns=st.integers(min_value=1, max_value=3),
)
def test_decided_items_open_exactly_one_task_each_even_after_a_crash(
    items: int, crash_at: int, after_save: bool, reruns: int
) -> None:
    """[004 县政府 二(四)2] 会议议定事项由督查室立项督办 — one task per decided item, exactly
    once; the run records all its tasks or none."""
    with office_for_tests("memory", start=T0) as office:
        p = standard_agency(office, T0)
        meeting = meeting_with_decisions(office, p, items)
        when = STARTS.add(days=1)
        store = office.store
        save = store.save
        saves = 0

        def crashing_save(*aggregates: Any, **options: Any) -> int | None:
            nonlocal saves
            if saves == crash_at and not after_save:
                raise SimulatedCrash("before the save")
            position = save(*aggregates, **options)
            saves += 1
            if saves == crash_at + 1 and after_save:
                raise SimulatedCrash("after the save")
            return position

        store.save = crashing_save  # type: ignore[method-assign]
        crashed = False
        try:
            office.meetings.open_decided_item_tasks(meeting, by=p.supervision_officer, at=when)
        except SimulatedCrash:
            crashed = True
        finally:
            store.save = save  # type: ignore[method-assign]
        assert saves == (0 if crashed and not after_save else 1)  # one save for every item
        assert crashed == (crash_at == 0)
        opened = len(office.store.record_ids(SupervisionTask))
        assert opened == (0 if crashed and not after_save else items)  # all or none

        results = [
            office.meetings.open_decided_item_tasks(
                meeting, by=p.supervision_officer, at=when.add(minutes=run)
            )
            for run in range(reruns)
        ]
        record = office.meetings.get(meeting)
        expected = {key: task_id_for(record.task_source(key)) for key in record.decided_items}
        assert all(result == expected for result in results)
        assert record.task_links == expected
        tasks = office.store.record_ids(SupervisionTask)
        assert sorted(tasks) == sorted(expected.values())
        assert office.supervision.tasks_of(meeting) == list(record.task_links.values())
        serials = sorted(office.supervision.get(t).number.serial for t in tasks)
        assert serials == list(range(1, items + 1))  # no number lost or taken twice
        for key, task_id in expected.items():
            task = office.supervision.get(task_id)
            assert task.source == record.task_source(key)
            assert task.lead_unit == record.decided_items[key].responsible_unit


# --- the meeting, driven at random --------------------------------------------------------------

PEOPLE = (
    "chen.juzhang",  # 主要领导
    "he.fujuzhang",  # 分管业务一处的副局长 (主持人)
    "hu.fujuzhang",  # 副局长
    "wang.chuzhang",  # 业务一处处长
    "li.nigao",  # 业务一处
    "liu.chuzhang",  # 业务二处处长
    "zhang.keyuan",  # 业务二处
    "zhou.zhuren",  # 办公室主任
    "sun.mishu",  # 办公室
    "wei.caiwu",  # 财务处处长
    "zheng.ducha",  # 督查人员
    "qian.dangan",  # 档案管理员
    "nobody",  # not in the organisation
)
people = st.sampled_from(PEOPLE)
parties = st.sampled_from(("office", "finance", "he.fujuzhang", "biz2", "nobody"))
items = st.sampled_from(("1", "2", "3", "9"))


class MeetingMachine(RuleBasedStateMachine):
    """One meeting, random commands; ``progress`` takes the right next step so that deep
    states (held, minutes signed, tasks opened, archived) are reached too."""

    def __init__(self) -> None:
        super().__init__()
        self.office = office_for_tests("memory", start=T0)
        self.p = standard_agency(self.office, T0)
        self.now = T0.add(minutes=30)
        self.meeting = request_topic_meeting(self.office, self.p, self.now)
        self.m = self.office.meetings
        for room, capacity, secure in (("301", 40, False), ("201", 3, False), ("jm", 40, True)):
            self.m.add_room(
                room=room,
                name=f"{room}会议室",
                capacity=capacity,
                secure=secure,
                by=self.p.secretary,
                at=self.now,
            )

    @initialize(stage=st.integers(min_value=0, max_value=3))
    def start_at_a_random_stage(self, stage: int) -> None:
        """Start requested, approved, noticed or held, so every stage sees random commands."""
        for _ in range(stage):
            self.progress()

    def teardown(self) -> None:
        self.office.close()

    def attempt(self, command: Callable[[], object]) -> None:
        """Run a command: it succeeds, or it is refused by a GovOfficeError recording nothing."""
        before = notification_count(self.office)
        try:
            command()
        except GovOfficeError:
            after = recorded_since(self.office, before)
            assert after == [], f"a refusal recorded {[type(e).__name__ for e in after]}"
        except Exception as e:  # pragma: no cover - the property under test
            raise AssertionError(f"not a GovOfficeError: {type(e).__name__}: {e}") from e

    @property
    def state(self) -> Meeting:
        return self.m.get(self.meeting)

    # --- time --------------------------------------------------------------------------------

    @rule(step=st.sampled_from([timedelta(minutes=10), timedelta(hours=5), timedelta(days=2)]))
    def advance(self, step: timedelta) -> None:
        self.now = self.now + step

    def advance_to(self, moment: pendulum.DateTime) -> None:
        self.now = max(self.now, moment)

    @rule()
    def tick(self) -> None:
        self.attempt(lambda: self.office.tick(self.now))

    # --- random commands -----------------------------------------------------------------------

    @rule(party=parties, by=people, agree=st.booleans())
    def countersign(self, party: str, by: str, agree: bool) -> None:
        self.attempt(
            lambda: self.m.countersign(
                self.meeting, party=party, agree=agree, opinion="意见", by=by, at=self.now
            )
        )

    @rule(by=people)
    def approve(self, by: str) -> None:
        self.attempt(lambda: self.m.approve(self.meeting, by=by, at=self.now))

    @rule(by=people)
    def approve_exception(self, by: str) -> None:
        self.attempt(
            lambda: self.m.approve_limit_exception(self.meeting, reason="例外", by=by, at=self.now)
        )

    @rule(by=people, unit=st.sampled_from(UNITS))
    def propose(self, by: str, unit: str) -> None:
        self.attempt(
            lambda: self.m.propose_agenda_item(
                self.meeting, title="议题", unit=unit, by=by, at=self.now
            )
        )

    @rule(by=people, item=items)
    def materials(self, by: str, item: str) -> None:
        self.attempt(
            lambda: self.m.submit_materials(
                self.meeting, item=item, materials=["材料"], by=by, at=self.now
            )
        )

    @rule(by=people, chosen=st.lists(items, max_size=3))
    def set_agenda(self, by: str, chosen: list[str]) -> None:
        self.attempt(lambda: self.m.set_agenda(self.meeting, items=chosen, by=by, at=self.now))

    @rule(by=people, invited=st.lists(people, min_size=1, max_size=5, unique=True))
    def draft_notice(self, by: str, invited: list[str]) -> None:
        self.attempt(
            lambda: self.m.draft_notice(
                self.meeting, invitees=invited, contact="1", by=by, at=self.now
            )
        )

    @rule(by=people)
    def issue_notice(self, by: str) -> None:
        self.attempt(lambda: self.m.issue_notice(self.meeting, by=by, at=self.now))

    @rule(by=people, attend=st.booleans(), substitute=st.none() | people)
    def answer(self, by: str, attend: bool, substitute: str | None) -> None:
        self.attempt(
            lambda: self.m.answer(
                self.meeting,
                attend=attend,
                reason="出差",
                substitute=substitute,
                by=by,
                at=self.now,
            )
        )

    @rule(person=people, by=people, grant=st.booleans())
    def decide_leave(self, person: str, by: str, grant: bool) -> None:
        if grant:
            self.attempt(
                lambda: self.m.grant_leave(self.meeting, person=person, by=by, at=self.now)
            )
        else:
            self.attempt(
                lambda: self.m.refuse_leave(
                    self.meeting, person=person, opinion="须到会", by=by, at=self.now
                )
            )

    @rule(by=people, hosts=st.lists(people, min_size=1, max_size=3, unique=True))
    def seating(self, by: str, hosts: list[str]) -> None:
        self.attempt(lambda: self.m.arrange_seating(self.meeting, hosts=hosts, by=by, at=self.now))

    @rule(by=people, a=people, b=people)
    def swap(self, by: str, a: str, b: str) -> None:
        self.attempt(
            lambda: self.m.swap_seats(self.meeting, a=a, b=b, reason="调整", by=by, at=self.now)
        )

    @rule(by=people, hosts=st.lists(people, min_size=1, max_size=3, unique=True))
    def rearrange_seating(self, by: str, hosts: list[str]) -> None:
        self.attempt(
            lambda: self.m.arrange_seating(
                self.meeting, hosts=hosts, override_reason="领导临时变化", by=by, at=self.now
            )
        )

    @rule(by=people)
    def sign_in(self, by: str) -> None:
        self.attempt(lambda: self.m.sign_in(self.meeting, by=by, at=self.now))

    @rule(by=people)
    def hold(self, by: str) -> None:
        self.attempt(lambda: self.m.hold(self.meeting, by=by, at=self.now))

    @rule(by=people, early=st.lists(people, max_size=2, unique=True))
    def attendance(self, by: str, early: list[str]) -> None:
        self.attempt(
            lambda: self.m.record_attendance(self.meeting, left_early=early, by=by, at=self.now)
        )

    @rule(by=people)
    def draft_minutes(self, by: str) -> None:
        self.attempt(lambda: self.m.draft_minutes(self.meeting, text="纪要", by=by, at=self.now))

    @rule(
        by=people, item=items, unit=st.sampled_from((*UNITS, "nowhere")), days=st.integers(-3, 60)
    )
    def decide(self, by: str, item: str, unit: str, days: int) -> None:
        self.attempt(
            lambda: self.m.record_decision(
                self.meeting,
                agenda_item=item,
                content="议定事项",
                responsible_unit=unit,
                deadline=self.now.date() + timedelta(days=days),
                by=by,
                at=self.now,
            )
        )

    @rule(by=people)
    def sign_minutes(self, by: str) -> None:
        self.attempt(lambda: self.m.sign_minutes(self.meeting, by=by, at=self.now))

    @rule(by=people)
    def number_minutes(self, by: str) -> None:
        self.attempt(lambda: self.m.number_minutes(self.meeting, by=by, at=self.now))

    @rule(by=people)
    def distribute(self, by: str) -> None:
        self.attempt(lambda: self.m.distribute_minutes(self.meeting, by=by, at=self.now))

    @rule(by=people)
    def open_tasks(self, by: str) -> None:
        self.attempt(lambda: self.m.open_decided_item_tasks(self.meeting, by=by, at=self.now))

    @rule(by=people, payment=st.sampled_from(("现金", "公务卡")), venue=st.integers(0, 5000))
    def settle(self, by: str, payment: str, venue: int) -> None:
        self.attempt(
            lambda: self.m.settle_costs(
                self.meeting, venue=venue, payment=payment, by=by, at=self.now
            )
        )

    @rule(by=people, late_reason=st.sampled_from(("", "出差")))
    def archive(self, by: str, late_reason: str) -> None:
        self.attempt(
            lambda: self.m.archive(
                self.meeting, materials=["纪要"], late_reason=late_reason, by=by, at=self.now
            )
        )

    @rule(
        by=people,
        days=st.sampled_from([-20, -1, 0, 1, 3]),
        room=st.sampled_from([None, "301", "201", "jm"]),
        consent=st.none() | people,
    )
    def postpone(self, by: str, days: int, room: str | None, consent: str | None) -> None:
        """改期 (ADR 0049): by anyone, to any day near the current one, perhaps to a room."""
        self.attempt(
            lambda: self.m.postpone(
                self.meeting,
                starts_at=self.state.starts_at.add(days=days),
                room=room,
                consent_by=consent,
                reason="改期",
                by=by,
                at=self.now,
            )
        )

    @rule(by=people, room=st.sampled_from(["301", "201", "jm", "999"]), classified=st.booleans())
    def book_room(self, by: str, room: str, classified: bool) -> None:
        """安排会议室 (ADR 0048)."""
        self.attempt(
            lambda: self.m.book_room(
                self.meeting, room=room, classified=classified, by=by, at=self.now
            )
        )

    @rule(by=people)
    def cancel(self, by: str) -> None:
        self.attempt(lambda: self.m.cancel(self.meeting, reason="准备不充分", by=by, at=self.now))

    # --- the right next step -------------------------------------------------------------------

    @precondition(
        lambda self: self.state.status not in (MeetingStatus.CANCELLED, MeetingStatus.REJECTED)
    )
    @rule()
    def progress(self) -> None:
        m, p, meeting, record = self.m, self.p, self.meeting, self.state
        steps: list[Callable[[], object]] = []
        if record.status is MeetingStatus.REQUESTED:
            steps = [lambda: countersign_all(self.office, p, meeting, self.now)]
            steps.append(lambda: m.approve(meeting, by=p.principal, at=self.now))
        elif record.status is MeetingStatus.APPROVED:
            if not record.agenda_items:
                steps.append(
                    lambda: m.propose_agenda_item(
                        meeting, title="议题", unit="biz1", by=p.unit_head, at=self.now
                    )
                )
            steps.append(
                lambda: m.submit_materials(
                    meeting, item="1", materials=["材料"], by=p.drafter, at=self.now
                )
            )
            steps.append(lambda: m.set_agenda(meeting, items=["1"], by=p.deputy, at=self.now))
            steps.append(
                lambda: m.draft_notice(
                    meeting,
                    invitees=[p.unit_head, p.unit_head2],
                    contact="1",
                    by=p.drafter,
                    at=self.now,
                )
            )
            steps.append(lambda: countersign_all(self.office, p, meeting, self.now))
            steps.append(lambda: m.issue_notice(meeting, by=p.principal, at=self.now))
        elif record.status is MeetingStatus.NOTICED:
            self.now = max(self.now, record.starts_at.subtract(minutes=10))
            steps.append(lambda: m.sign_in(meeting, by=p.unit_head, at=self.now))
            steps.append(lambda: self.advance_to(record.starts_at.add(hours=2)))
            steps.append(lambda: m.hold(meeting, by=p.drafter, at=self.now))
        elif record.status is MeetingStatus.HELD:
            self.now = max(self.now, record.starts_at.add(hours=2))
            steps.append(lambda: m.record_attendance(meeting, by=p.drafter, at=self.now))
            steps.append(lambda: m.draft_minutes(meeting, text="纪要", by=p.drafter, at=self.now))
            steps.append(
                lambda: m.record_decision(
                    meeting,
                    agenda_item=record.agenda[0] if record.agenda else "1",
                    content="落实",
                    responsible_unit="biz2",
                    deadline=self.now.date() + timedelta(days=30),
                    by=p.drafter,
                    at=self.now,
                )
            )
            steps.append(lambda: m.sign_minutes(meeting, by=p.deputy, at=self.now))
            steps.append(lambda: m.number_minutes(meeting, by=p.secretary, at=self.now))
            steps.append(lambda: m.distribute_minutes(meeting, by=p.secretary, at=self.now))
            steps.append(
                lambda: m.open_decided_item_tasks(meeting, by=p.supervision_officer, at=self.now)
            )
            steps.append(
                lambda: m.archive(
                    meeting, materials=["纪要"], late_reason="补", by=p.archivist, at=self.now
                )
            )
        for step in steps:
            self.attempt(step)

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def decided_items_are_on_the_agenda_and_linked_at_most_once(self) -> None:
        record = self.state
        assert all(i.agenda_item in record.agenda for i in record.decided_items.values())
        assert set(record.task_links) <= set(record.decided_items)
        assert len(set(record.task_links.values())) == len(record.task_links)
        for key, task_id in record.task_links.items():
            assert task_id == task_id_for(record.task_source(key))
            assert self.office.supervision.get(task_id).source == record.task_source(key)

    @invariant()
    def minutes_go_in_order(self) -> None:
        record = self.state
        if record.minutes_number is not None:
            assert record.minutes_signed_by == record.chair
        if record.minutes_distributed_to:
            assert record.minutes_number is not None
        if record.task_links:
            assert record.decisions_final

    @invariant()
    def attendance_has_one_entry_per_invitee(self) -> None:
        record = self.state
        if record.attendance is not None:
            assert record.status in AFTER_HELD
            assert [e.person for e in record.attendance] == list(record.invitees)
            for e in record.attendance:
                assert e.facts and (AttendanceFact.SUBSTITUTED in e.facts) == (
                    e.substitute is not None
                )

    @invariant()
    def costs_are_within_the_sign_in_sheets_person_days(self) -> None:
        """[001 会议 五(三)4(2)-(3)] a settlement recorded names the sheet's headcount and is
        within signed-in people × days × 550 (no exception is approved in this machine)."""
        record = self.state
        if record.costs is not None:
            assert record.costs.participants == record.signed_in_count()
            allowed = 550 * record.signed_in_count() * record.figures.days
            assert record.costs.total <= allowed

    @invariant()
    def every_re_arrangement_keeps_its_reason_and_the_chart_it_replaced(self) -> None:
        """[001 会议的座次安排(一)4] a chart is replaced only by an override with a reason."""
        charts = []
        for d in self.m.history(self.meeting):
            if d.action == "SeatingArranged":
                assert not charts, "a second arrangement must be an override"
            if d.action in ("SeatingRearranged", "SeatingOverridden"):
                assert d.details["reason"].strip() and d.details["previous"] == charts[-1]
            if d.action.startswith("Seating"):
                charts.append(d.details["chart"])

    @invariant()
    def only_invitees_or_their_substitutes_sign_in(self) -> None:
        record = self.state
        for person, signed in record.sign_ins.items():
            assert person in record.invitees or signed.substitute_for in record.invitees

    @invariant()
    def the_room_register_agrees_with_the_meeting(self) -> None:
        """ADR 0048: the register holds the meeting's room at the meeting's time, or nothing
        once it is cancelled or has no room; answers come from invitees only (ADR 0049)."""
        record = self.state
        booking = self.office.store.get(MeetingRooms, ROOMS_ID).bookings.get(record.id)
        if record.room is None or record.status is MeetingStatus.CANCELLED:
            assert booking is None
        else:
            assert booking is not None and booking.room == record.room
            assert (booking.starts_at, booking.ends_at) == (record.starts_at, record.ends_at)
            assert booking.classified == record.classified
        assert set(record.answers) <= set(record.invitees)
        if record.notice is not None:
            assert (record.notice.starts_at, record.notice.place) == (
                record.starts_at,
                record.place,
            )

    @invariant()
    def every_accepted_decision_was_held(self) -> None:
        """[issue 11 §5] the command and the trail read one authority table: whatever a
        random person was allowed to record, the trail says they held the authority."""
        trail = [*self.office.audit.trail(self.meeting), *self.office.audit.trail(ROOMS_ID)]
        for entry in trail:
            if entry.decision.by != TICK_ACTOR:
                assert entry.check.held is True, (entry.decision.action, entry.check)
                assert entry.check.substitute_valid is not False

    @invariant()
    def the_record_replays_to_the_same_state(self) -> None:
        now = {k: v for k, v in vars(self.state).items() if k != "_pending_events"}
        replayed = self.m.as_of(self.meeting, pendulum.datetime(2100, 1, 1, tz=ZONE))
        again = {k: v for k, v in vars(replayed).items() if k != "_pending_events"}
        assert {k: v for k, v in again.items() if k != "_modified_on"} == {
            k: v for k, v in now.items() if k != "_modified_on"
        }


TestMeetingMachine = MeetingMachine.TestCase
TestMeetingMachine.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_machine_reaches_the_deep_states() -> None:
    """The ``progress`` rule alone takes a meeting from request to archive (so the random
    runs above do reach held meetings, signed minutes, tasks and the archive)."""
    machine = MeetingMachine()
    try:
        for _ in range(6):
            machine.progress()
            machine.decided_items_are_on_the_agenda_and_linked_at_most_once()
            machine.minutes_go_in_order()
        record = machine.state
        assert record.status is MeetingStatus.ARCHIVED
        assert len(record.task_links) == 1 and record.attendance is not None
    finally:
        machine.teardown()


@pytest.mark.parametrize("kind", list(MeetingKind))
def test_every_kind_names_a_chair_rule_a_leave_approver_and_a_distribution(
    kind: MeetingKind,
) -> None:
    """[000 范文6 三, 五 5; 004 ★] each kind has its chair, leave approver and minutes list."""
    rule = kind.rule
    assert rule.distribution and rule.clause.startswith("[")
