"""督查督办 in the simulated year: hotline cases and tasks from leaders' instructions,
incoming documents, proposals and meetings' decided items, each through its plan, progress,
urges, extensions, completion and acceptance; the quarterly notices.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from govoffice.demo.bureau import BUSINESS
from govoffice.demo.simulation.records import _Incoming, _Proposal
from govoffice.demo.simulation.timeline import P, _Timeline
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.proposal import ProposalStatus
from govoffice.domain.supervision import UrgeChannel
from govoffice.domain.supervision_notice import NoticePeriod

REPORT = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}

TASK_PLANS = ("on_time", "extended", "refused_late", "rejected_once", "letter", "never")

TASK_WEIGHTS = (40, 12, 10, 12, 14, 12)


class _SupervisionSteps(_Timeline):
    """督查督办: tasks from every source, their plans, urges, extensions and closing; the
    quarterly notices."""

    # --- supervision tasks (督查督办) ----------------------------------------------------------

    def hotline_case(self) -> None:
        self.references += 1
        unit = self.rng.choice(BUSINESS)
        source = SourceRef(SourceKind.HOTLINE, reference=f"12345-{self.year}-{self.references:05d}")
        self.open_task(source, f"热线来件{self.references}", unit, urgent=self.rng.random() < 0.1)

    def task_from_instruction(self, d: _Incoming, leader: str) -> None:
        assert d.lead is not None
        source = SourceRef(SourceKind.LEADER_INSTRUCTION, record_id=d.id, item="批示")
        self.open_task(source, "领导批示事项", d.lead, instructed_by=leader)

    def task_from_incoming(self, d: _Incoming) -> None:
        assert d.lead is not None
        source = SourceRef(SourceKind.INCOMING_DOCUMENT, record_id=d.id)
        self.open_task(source, "来文督办事项", d.lead)

    def task_from_proposal(self, p: _Proposal) -> None:
        if self.o.proposals.get(p.id).status not in (ProposalStatus.HANDLING,):
            return
        source = SourceRef(SourceKind.PROPOSAL, record_id=p.id)
        self.open_task(source, "建议提案督办事项", self.o.proposals.get(p.id).lead_unit or p.lead)

    def open_task(
        self,
        source: SourceRef,
        title: str,
        unit: str,
        *,
        urgent: bool = False,
        instructed_by: str | None = None,
    ) -> None:
        sv = self.o.supervision
        task_id = sv.open(
            source=source,
            title=title,
            lead_unit=unit,
            urgency="急件" if urgent else "一般",
            instructed_by=instructed_by,
            by=self.officer(),
            at=self.when,
        )
        self.counts["tasks.opened"] += 1
        self.task_plan(task_id, unit, sv.get(task_id).deadline)

    def task_plan(self, task: uuid.UUID, unit: str, deadline: date) -> None:
        """How the task runs, after the plans of the supervision figures test."""
        plan = self.rng.choices(TASK_PLANS, weights=TASK_WEIGHTS)[0]
        head = self.heads[unit]
        if deadline >= self.days[-1]:  # due after the year: still open at its end
            self.at(self.days_later(2, 10), self.task_progress, task, head)
            return
        due = self.on_or_before(deadline)
        nxt = self.after(deadline)
        if due is None or due <= self.now[0] + 2:
            plan = "on_time"
            due = max(due or 0, self.now[0])
        if plan in ("refused_late", "letter", "never"):
            self.counts["tasks.late_plans"] += 1
        if plan == "on_time":
            if due > self.now[0] + 2:
                self.at((self.now[0] + 2, 11 * 60), self.task_progress, task, head)
            if self.rng.random() < 0.5 and due - 2 > self.now[0]:
                self.at((due - 2, 10 * 60), self.task_urge, task, UrgeChannel.PROMPT_SHEET, None)
            self.at((due, 15 * 60), self.task_complete, task, head, True)
        elif plan == "extended":
            self.at((due - 1, 10 * 60), self.task_extend, task, head, deadline, True)
        elif plan == "refused_late":
            self.at((due - 1, 10 * 60), self.task_extend, task, head, deadline, False)
            if nxt is not None:
                self.at((nxt, 10 * 60), self.task_urge, task, UrgeChannel.PHONE, None)
                self.at(
                    self.days_later(2, 2, (nxt, 0), start=15 * 60),
                    self.task_complete,
                    task,
                    head,
                    True,
                )
        elif plan == "rejected_once":
            self.at((due - 2, 15 * 60), self.task_complete, task, head, False)
        elif plan == "letter" and nxt is not None:
            new = deadline + timedelta(days=8)
            self.at((nxt, 10 * 60), self.task_urge, task, UrgeChannel.SUPERVISION_LETTER, new)
            self.at(
                self.days_later(2, 2, (nxt, 0)), self.task_urge, task, UrgeChannel.ON_SITE, None
            )
            self.at(
                self.days_later(3, 3, (nxt, 0), start=15 * 60), self.task_complete, task, head, True
            )
        elif plan == "never":
            if due - 1 > self.now[0]:
                self.at((due - 1, 10 * 60), self.task_urge, task, UrgeChannel.PROMPT_SHEET, None)
            if nxt is not None:
                self.at(
                    self.days_later(2, 2, (nxt, 0)), self.task_urge, task, UrgeChannel.PHONE, None
                )
                new = deadline + timedelta(days=12)
                self.at(
                    self.days_later(4, 4, (nxt, 0)),
                    self.task_urge,
                    task,
                    UrgeChannel.SUPERVISION_LETTER,
                    new,
                )

    def task_progress(self, task: uuid.UUID, head: str) -> None:
        self.o.supervision.report_progress(
            task, percent=50, summary="已完成过半", by=head, at=self.when
        )

    def task_urge(self, task: uuid.UUID, channel: UrgeChannel, new: date | None) -> None:
        if new is not None and new <= self.day:
            new = self.day + timedelta(days=7)
        self.o.supervision.urge(
            task,
            channel=channel,
            new_deadline=new,
            note="请抓紧办理",
            by=self.officer(),
            at=self.when,
        )

    def task_extend(self, task: uuid.UUID, head: str, deadline: date, grant: bool) -> None:
        sv = self.o.supervision
        sv.request_extension(
            task,
            new_deadline=deadline + timedelta(days=5),
            reason="需补充调查",
            progress="已完成过半",
            by=head,
            at=self.when,
        )
        self.at(self.hours(2, 4), self.task_decide_extension, task, head, grant)

    def task_decide_extension(self, task: uuid.UUID, head: str, grant: bool) -> None:
        sv = self.o.supervision
        if grant:
            sv.grant_extension(task, by=self.officer(), at=self.when)
            i = self.on_or_before(sv.get(task).deadline)
            if i is not None:
                self.at((max(i, self.now[0] + 1), 15 * 60), self.task_complete, task, head, True)
        else:
            sv.refuse_extension(task, reason="事项简单,不予延期", by=self.officer(), at=self.when)

    def task_complete(self, task: uuid.UUID, head: str, accept: bool) -> None:
        self.o.supervision.complete(task, by=head, at=self.when, **REPORT)
        if accept:
            self.at(self.days_later(1, 1, start=10 * 60, end=11 * 60), self.task_accept, task)
        else:
            self.at(self.days_later(1, 1, start=10 * 60, end=11 * 60), self.task_reject, task, head)

    def task_reject(self, task: uuid.UUID, head: str) -> None:
        sv = self.o.supervision
        sv.reject_completion(task, reason="落实情况不具体", by=self.officer(), at=self.when)
        due = self.on_or_before(sv.get(task).deadline)
        when = (max(due or 0, self.now[0]), 16 * 60) if due is not None else None
        self.at(when, self.task_complete, task, head, True)

    def task_accept(self, task: uuid.UUID) -> None:
        sv, by = self.o.supervision, self.officer()
        sv.accept_completion(task, by=by, at=self.when)
        sv.close_out(task, by=by, at=self.when)
        self.counts["tasks.closed"] += 1

    def notices(self, quarter: int) -> None:
        issued = self.o.supervision.issue_notices(
            period=NoticePeriod.quarter(self.year, quarter), by=P.supervision_officer, at=self.when
        )
        self.counts["notices.issued"] += len(issued)
