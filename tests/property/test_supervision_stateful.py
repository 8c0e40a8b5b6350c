"""督查督办 — random sequences of commands, by random people at random times, through
``office.supervision``: every refusal is a :class:`GovOfficeError` that records nothing, and
the rules hold whatever the order.

One machine per aggregate: :class:`SupervisionTaskMachine` drives tasks (open, split, urge,
report, extend, complete, review, close out, tick); :class:`SupervisionNoticeMachine` adds
the notices (通报) issued over those tasks' failures.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pendulum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
)

from govoffice.domain.errors import GovOfficeError
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.supervision import (
    DeadlinePolicy,
    SupervisionStatus,
    SupervisionTask,
    UrgeChannel,
)
from govoffice.domain.supervision_notice import NoticePeriod, SupervisionNotice
from govoffice.testing import (
    SettableClock,
    assert_refusal_explained,
    assert_trail_authorised,
    notification_count,
    office_for_tests,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
POLICY = DeadlinePolicy()
PEOPLE = (
    "zheng.ducha",  # 督查人员
    "wang.chuzhang",  # 业务一处 head
    "li.nigao",  # 业务一处 staff
    "liu.chuzhang",  # 业务二处 head
    "zhang.keyuan",  # 业务二处 staff
    "zhao.fagui",  # 法规处 head
    "chen.juzhang",  # 主要领导
    "he.fujuzhang",  # 局领导
)
UNITS = ("biz1", "biz2", "legal")
REPORT = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}

OFFICER = "zheng.ducha"
HEADS = {"biz1": "wang.chuzhang", "biz2": "liu.chuzhang", "legal": "zhao.fagui"}

people = st.sampled_from(PEOPLE)
proper = st.sampled_from([True, True, True, True, False])
"""Mostly the person the step needs; sometimes anyone (a refusal)."""
days = st.integers(min_value=-1, max_value=9)
REFUSED = object()
"""What :meth:`SupervisionTaskMachine.attempt` returns for a refused command."""


class SupervisionTaskMachine(RuleBasedStateMachine):
    """督办事项: any command, by anyone, at any later time."""

    tasks = Bundle("tasks")

    def __init__(self) -> None:
        super().__init__()
        self.office = office_for_tests("memory", start=T0)
        standard_agency(self.office, T0)
        assert isinstance(self.office.clock, SettableClock)
        self.clock: SettableClock = self.office.clock
        self.by_reference: dict[str, uuid.UUID] = {}
        self.known: list[uuid.UUID] = []

    def teardown(self) -> None:
        self.office.close()

    # --- the harness ------------------------------------------------------------------------

    def attempt(self, command: str, *args: Any, **kwargs: Any) -> Any:
        """Run a command; a refusal must be a GovOfficeError and must record nothing (any
        other exception fails the test)."""
        before = notification_count(self.office)
        try:
            return getattr(self.office.supervision, command)(*args, **kwargs)
        except GovOfficeError as refused:
            assert_refusal_explained(refused, "SupervisionTask")
            assert notification_count(self.office) == before, f"{command} refused but recorded"
            return REFUSED

    def head_of(self, task: uuid.UUID) -> str:
        return HEADS[self.office.supervision.get(task).lead_unit]

    def day(self, offset: int) -> date:
        return self.clock.now().date() + timedelta(days=offset)

    # --- rules ------------------------------------------------------------------------------

    @rule(
        target=tasks,
        ref=st.integers(min_value=0, max_value=3),
        kind=st.sampled_from([SourceKind.HOTLINE, SourceKind.LEADER_INSTRUCTION]),
        unit=st.sampled_from(UNITS),
        co=st.lists(st.sampled_from(UNITS), max_size=1),
        urgency=st.sampled_from(["一般", "急件"]),
        leader=st.sampled_from(["chen.juzhang", "he.fujuzhang", "chen.juzhang", None, "li.nigao"]),
        right=proper,
        by=people,
    )
    def open_task(
        self,
        ref: int,
        kind: SourceKind,
        unit: str,
        co: list[str],
        urgency: str,
        leader: str | None,
        right: bool,
        by: str,
    ) -> Any:
        by = OFFICER if right else by
        reference = f"{kind.value}-{ref}"
        task_id = self.attempt(
            "open",
            source=SourceRef(kind, reference=reference),
            title=f"事项{ref}",
            lead_unit=unit,
            co_units=co,
            urgency=urgency,
            instructed_by=leader,
            by=by,
        )
        if task_id is REFUSED:
            return multiple()
        if reference in self.by_reference:
            assert task_id == self.by_reference[reference], "one source item opened twice"
            return multiple()
        self.by_reference[reference] = task_id
        self.known.append(task_id)
        return task_id

    @rule(
        target=tasks,
        task=tasks,
        units=st.lists(st.sampled_from(UNITS), min_size=1, max_size=3),
        offset=st.one_of(st.none(), days),
        right=proper,
        by=people,
    )
    def split(
        self, task: uuid.UUID, units: list[str], offset: int | None, right: bool, by: str
    ) -> Any:
        by = OFFICER if right else by
        parts = [
            (u, f"分解{i}") if offset is None else (u, f"分解{i}", self.day(offset))
            for i, u in enumerate(units)
        ]
        children = self.attempt("split", task, parts=parts, by=by)
        if children is REFUSED:
            return multiple()
        self.known.extend(children)
        return multiple(*children)

    @rule(hours=st.integers(min_value=1, max_value=48))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    @rule(days_later=st.integers(min_value=0, max_value=6))
    def tick(self, days_later: int) -> None:
        self.clock.advance(days=days_later)
        first = self.office.tick()
        assert all(d.action == "WentOverdue" for d in first)
        assert self.office.tick() == [], "the time step is not idempotent"

    @rule(
        task=tasks,
        channel=st.sampled_from(list(UrgeChannel)),
        offset=st.one_of(st.none(), days),
        right=proper,
        by=people,
    )
    def urge(
        self, task: uuid.UUID, channel: UrgeChannel, offset: int | None, right: bool, by: str
    ) -> None:
        by = OFFICER if right else by
        if right and (channel is UrgeChannel.SUPERVISION_LETTER) != (offset is not None):
            offset = None if offset is not None else 5
        deadline = None if offset is None else self.day(offset)
        self.attempt("urge", task, channel=channel, new_deadline=deadline, by=by)

    @rule(task=tasks, percent=st.integers(min_value=-5, max_value=105), right=proper, by=people)
    def report_progress(self, task: uuid.UUID, percent: int, right: bool, by: str) -> None:
        by = self.head_of(task) if right else by
        self.attempt("report_progress", task, percent=percent, summary="进展", by=by)

    @rule(task=tasks, offset=days, right=proper, by=people)
    def request_extension(self, task: uuid.UUID, offset: int, right: bool, by: str) -> None:
        by = self.head_of(task) if right else by
        current = self.office.supervision.get(task).deadline
        self.attempt(
            "request_extension",
            task,
            new_deadline=current + timedelta(days=offset),
            reason="理由",
            progress="进展",
            by=by,
        )

    @rule(task=tasks, right=proper, by=people, granted=st.booleans())
    def answer_extension(self, task: uuid.UUID, right: bool, by: str, granted: bool) -> None:
        by = OFFICER if right else by
        if granted:
            self.attempt("grant_extension", task, by=by)
        else:
            self.attempt("refuse_extension", task, reason="不同意", by=by)

    @rule(
        task=tasks,
        right=proper,
        by=people,
        blank=st.one_of(st.none(), st.none(), st.sampled_from(sorted(REPORT))),
    )
    def complete(self, task: uuid.UUID, right: bool, by: str, blank: str | None) -> None:
        by = self.head_of(task) if right else by
        parts = dict(REPORT)
        if blank is not None:
            parts[blank] = " "
        self.attempt("complete", task, by=by, **parts)

    @rule(
        task=tasks,
        right=proper,
        by=people,
        accepted=st.booleans(),
        offset=st.one_of(st.none(), days),
    )
    def review(
        self, task: uuid.UUID, right: bool, by: str, accepted: bool, offset: int | None
    ) -> None:
        by = OFFICER if right else by
        if accepted:
            self.attempt("accept_completion", task, by=by)
        else:
            deadline = None if offset is None else self.day(offset)
            self.attempt("reject_completion", task, reason="退回", new_deadline=deadline, by=by)

    @rule(task=tasks, right=proper, by=people)
    def close_out(self, task: uuid.UUID, right: bool, by: str) -> None:
        by = OFFICER if right else by
        self.attempt("close_out", task, by=by)

    @rule(task=tasks, accept=st.booleans(), grant=st.booleans(), offset=st.integers(1, 7))
    def next_step(self, task: uuid.UUID, accept: bool, grant: bool, offset: int) -> None:
        """The step the task waits for, by the right person: answer a pending extension,
        ask for one or report completion, review the report, close out."""
        state = self.office.supervision.get(task)
        head = self.head_of(task)
        if state.status is SupervisionStatus.IN_PROGRESS and state.pending_extension is not None:
            if grant:
                self.attempt("grant_extension", task, by=OFFICER)
            else:
                self.attempt("refuse_extension", task, reason="不同意", by=OFFICER)
        elif state.status is SupervisionStatus.IN_PROGRESS and not grant:
            self.attempt(
                "request_extension",
                task,
                new_deadline=state.deadline + timedelta(days=offset),
                reason="理由",
                progress="进展",
                by=head,
            )
        elif state.status is SupervisionStatus.IN_PROGRESS:
            for child in state.children:
                self.next_step(child, accept, grant, offset)
            self.attempt("complete", task, by=head, **REPORT)
        elif state.status is SupervisionStatus.REPORTED and accept:
            self.attempt("accept_completion", task, by=OFFICER)
        elif state.status is SupervisionStatus.REPORTED:
            self.attempt("reject_completion", task, reason="退回", by=OFFICER)
        else:
            self.attempt("close_out", task, by=OFFICER)

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def every_decision_was_authorised_when_taken(self) -> None:
        """[ADR 0024] the trail reads the same authority table as the commands."""
        for task_id in self.known:
            assert_trail_authorised(self.office, task_id)

    @invariant()
    def every_task_keeps_the_rules(self) -> None:
        for task_id in self.known:
            task = self.office.supervision.get(task_id)
            actions = [type(e).__name__ for e in self.office.store.events(task_id)]
            if task.status is SupervisionStatus.CLOSED_OUT:
                # [000 范文4] 没有办理结果的不予销号
                assert task.accepted_completion is not None
                assert actions[-1] == "ClosedOut" and "CompletionAccepted" in actions
                assert actions.index("CompletionAccepted") < actions.index("ClosedOut")
                assert actions.count("ClosedOut") == 1
            # [003 篇6 二(三)第三] 延期不得超过两次,总延期不得超过一周
            assert task.extensions_granted <= POLICY.max_extensions
            assert task.extension_days <= POLICY.max_extension_days
            assert task.extensions_granted == actions.count("ExtensionGranted")
            # overdue once per deadline missed
            dues = [
                e.due  # type: ignore[attr-defined]
                for e in self.office.store.events(task_id)
                if type(e).__name__ == "WentOverdue"
            ]
            assert len(dues) == len(set(dues))
            if task.overdue:
                assert dues and dues[-1] == task.deadline
            assert len(task.failures) == actions.count("WentOverdue") + actions.count(
                "CompletionRejected"
            )
            # children roll up
            for child_id in task.children:
                child = self.office.supervision.get(child_id)
                assert child.parent_id == task.id
                assert task.child_progress[child_id] == child.progress
                assert (child_id in task.closed_children) == (
                    child.status is SupervisionStatus.CLOSED_OUT
                )
            if task.children and task.status is not SupervisionStatus.IN_PROGRESS:
                assert task.closed_children == frozenset(task.children)

    @invariant()
    def replaying_the_events_gives_the_live_state(self) -> None:
        for task_id in self.known[-3:]:
            replayed: Any = None
            events: list[Any] = self.office.store.events(task_id)
            for e in events:
                replayed = e.mutate(replayed)
            assert vars(replayed) == vars(self.office.supervision.get(task_id))

    @invariant()
    def registration_numbers_are_gapless(self) -> None:
        top = [t for t in map(self.office.supervision.get, self.known) if t.parent_id is None]
        assert sorted(t.number.serial for t in top) == list(range(1, len(top) + 1))
        assert len(self.office.store.record_ids(SupervisionTask)) == len(self.known)


class SupervisionNoticeMachine(SupervisionTaskMachine):
    """督查通报 over the same random tasks: issued once per unit and period, only for units
    that failed at least the threshold's times in it (2 by default [000 范文6 五 7]; the
    machine also draws 1, so that random runs reach the notices often)."""

    @rule(
        months_back=st.one_of(st.none(), st.integers(min_value=0, max_value=2)),
        threshold=st.sampled_from([1, 2, 2]),
        right=proper,
        by=people,
    )
    def issue_notices(self, months_back: int | None, threshold: int, right: bool, by: str) -> None:
        by = OFFICER if right else by
        if months_back is None:  # everything up to yesterday
            yesterday = self.clock.now().date() - timedelta(days=1)
            period = NoticePeriod(T0.date(), max(yesterday, T0.date()), "迄今")
        else:
            month = self.clock.now().subtract(months=months_back)
            period = NoticePeriod.month(month.year, month.month)
        issued = self.attempt("issue_notices", period=period, threshold=threshold, by=by)
        if issued is not REFUSED:
            again = self.attempt("issue_notices", period=period, threshold=threshold, by=by)
            assert again == [], "a unit named twice for one period"

    @invariant()
    def each_notice_names_a_unit_that_failed_twice_in_its_period(self) -> None:
        notices = [
            self.office.supervision.notice(i)
            for i in self.office.store.record_ids(SupervisionNotice)
        ]
        keys = Counter((n.unit, n.period.key()) for n in notices)
        assert all(count == 1 for count in keys.values())
        for notice in notices:
            assert len(notice.failures) >= notice.threshold >= 1
            assert notice.issued_at.date() > notice.period.end
            for failure in notice.failures:
                task = self.office.supervision.get(failure.task)
                assert task.lead_unit == notice.unit
                assert notice.period.covers(failure.at.date())
                assert any(f.kind is failure.kind and f.at == failure.at for f in task.failures)
            counted = self.office.supervision.failures_in(notice.period)[notice.unit]
            assert len(counted) == len(notice.failures)


SLOW_OK = settings(
    max_examples=25,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

TestSupervisionTask = SupervisionTaskMachine.TestCase
TestSupervisionTask.settings = SLOW_OK
TestSupervisionNotice = SupervisionNoticeMachine.TestCase
TestSupervisionNotice.settings = SLOW_OK
