"""``office.supervision``: supervision tasks (督查督办) from 立项 to 销号, and notices (通报)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import pendulum
from eventsourcing.application import AggregateNotFoundError

from govoffice.application.history import Decision, decisions
from govoffice.application.ports import WorkingDays
from govoffice.application.services import AreaService
from govoffice.domain.errors import InvalidInput, RecordNotFound
from govoffice.domain.links import SourceRef
from govoffice.domain.organisation import Role
from govoffice.domain.supervision import (
    REGISTRATION_SERIES,
    CompletionReport,
    DeadlinePolicy,
    SourceCannotOpenTasks,
    SupervisionNumber,
    SupervisionStatus,
    SupervisionTask,
    SupervisionUrgency,
    UrgeChannel,
    task_id_for,
)
from govoffice.domain.supervision_notice import (
    NOTICE_THRESHOLD,
    NoticedFailure,
    NoticePeriod,
    SupervisionNotice,
    require_notice_issuer,
)
from govoffice.domain.values import PersonId, business_time, positive_int

if TYPE_CHECKING:
    from govoffice.application.office import Office

LINK_EVENT = "SupervisionTaskLinked"
"""The event a source record records when it links a task (see :mod:`govoffice.domain.links`)."""


class SupervisionService(AreaService[SupervisionTask]):
    """督查督办: every command takes ``by=`` (the acting person) and ``at=`` (business time,
    filled from the office clock when omitted). ``policy`` holds the default deadlines and
    the extension limits; replace it to configure them."""

    record_type = SupervisionTask

    def __init__(self, office: Office, policy: DeadlinePolicy | None = None) -> None:
        super().__init__(office)
        self.policy = policy or DeadlinePolicy()

    # --- opening --------------------------------------------------------------------------

    def open(
        self,
        *,
        source: SourceRef,
        title: str,
        lead_unit: str,
        by: str,
        co_units: Iterable[str] = (),
        requirement: str = "",
        deadline: date | None = None,
        urgency: SupervisionUrgency | str = SupervisionUrgency.NORMAL,
        instructed_by: str | None = None,
        at: datetime | str | None = None,
    ) -> uuid.UUID:
        """立项 open the task of one source item, exactly once: opening the same item again
        returns the existing task's id. A source that is a record (incoming document,
        proposal, meeting) records the link in the same atomic save as the new task and its
        registration number (督办编号)."""
        who, when = self._who(by), self._when(at)
        task_id = task_id_for(source)
        calendar = self._calendar()
        co = list(co_units) if not isinstance(co_units, str) else co_units

        def attempt() -> uuid.UUID:
            org = self._org()
            if self.store.exists(task_id):
                org.require_role(who, Role.SUPERVISION_OFFICER, "督查立项", when)
                return task_id
            series = self._series(REGISTRATION_SERIES, org.agency_code, when.year, who, when)
            serial = series.take(for_record=task_id, by=who, at=when)
            task = SupervisionTask.open(
                org=org,
                number=SupervisionNumber(when.year, serial),
                source=source,
                title=title,
                lead_unit=lead_unit,
                co_units=co,
                requirement=requirement,
                deadline=deadline,
                urgency=urgency,
                instructed_by=instructed_by,
                policy=self.policy,
                calendar=calendar,
                by=who,
                at=when,
            )
            records: list[Any] = [task, series]
            if source.record_id is not None:
                records.append(self._link_source(source.record_id, task_id, who, when))
            self.store.save(*records, hand_over=True)
            return task_id

        return self.store.run(attempt, task_id)

    def split(
        self,
        task_id: uuid.UUID | str,
        *,
        parts: Sequence[tuple[str, str] | tuple[str, str, object]],
        by: str,
        at: datetime | str | None = None,
    ) -> list[uuid.UUID]:
        """分解 split a task into child tasks ``(unit, title[, deadline])``, saved with the
        parent in one atomic write; returns the children's ids."""
        who, when = self._who(by), self._when(at)
        part_list = list(parts) if not isinstance(parts, str) else parts

        def attempt() -> list[uuid.UUID]:
            task = self.get(task_id)
            children = task.split(org=self._org(), parts=part_list, by=who, at=when)
            self.store.save(task, *children, hand_over=True)
            return [c.id for c in children]

        return self.store.run(attempt, task_id)

    # --- handling -------------------------------------------------------------------------

    def urge(
        self,
        task_id: uuid.UUID | str,
        *,
        channel: UrgeChannel | str,
        by: str,
        note: str = "",
        new_deadline: date | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """催办 by 督查提示单, 电话, 督办函 (with ``new_deadline``) or 实地督办."""
        self._do(task_id, "urge", by, at, channel=channel, note=note, new_deadline=new_deadline)

    def report_progress(
        self,
        task_id: uuid.UUID | str,
        *,
        percent: int,
        summary: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """进展情况报告; a child task's progress rolls up into its parent in the same save."""
        self._do(task_id, "report_progress", by, at, percent=percent, summary=summary)

    def request_extension(
        self,
        task_id: uuid.UUID | str,
        *,
        new_deadline: date,
        reason: str,
        progress: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """申请延期 before the deadline [003 篇6 二(三)第三]."""
        self._do(
            task_id,
            "request_extension",
            by,
            at,
            new_deadline=new_deadline,
            reason=reason,
            progress=progress,
            on_behalf_of=on_behalf_of,
            policy=self.policy,
        )

    def grant_extension(
        self,
        task_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "同意",
        new_deadline: date | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            task_id,
            "grant_extension",
            by,
            at,
            opinion=opinion,
            new_deadline=new_deadline,
            policy=self.policy,
        )

    def refuse_extension(
        self, task_id: uuid.UUID | str, *, reason: str, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(task_id, "refuse_extension", by, at, reason=reason)

    def complete(
        self,
        task_id: uuid.UUID | str,
        *,
        background: str,
        investigation: str,
        handling_opinion: str,
        implementation: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """报结 with the four parts: 基本情况、调查情况、处理意见、落实情况 [003 篇6 二(三)第二]."""
        report = CompletionReport(background, investigation, handling_opinion, implementation)
        self._do(task_id, "complete", by, at, report=report, on_behalf_of=on_behalf_of)

    def accept_completion(
        self,
        task_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "",
        at: datetime | str | None = None,
    ) -> None:
        self._do(task_id, "accept_completion", by, at, opinion=opinion)

    def reject_completion(
        self,
        task_id: uuid.UUID | str,
        *,
        reason: str,
        by: str,
        new_deadline: date | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(task_id, "reject_completion", by, at, reason=reason, new_deadline=new_deadline)

    def close_out(
        self, task_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """销号 only with an accepted result [000 范文4]; a child's close-out rolls up."""
        self._do(task_id, "close_out", by, at)

    # --- time -----------------------------------------------------------------------------

    def tick(self, at: datetime | str) -> list[Decision]:
        """逾期检测: mark every task past its deadline overdue, once per deadline missed,
        however often this runs. A task with a later decision than ``at`` waits for the
        next tick (decisions are never dated backwards)."""
        when = business_time(at)
        recorded: list[Decision] = []
        # a task closed out (销号) never goes overdue again: not looked at again
        for task in self._ticking(lambda t: t.status is SupervisionStatus.CLOSED_OUT):
            if _goes_overdue(task, when):
                recorded.extend(self.store.run(partial(self._overdue_step, task.id, when), task.id))
        return recorded

    def _overdue_step(self, task_id: uuid.UUID, when: pendulum.DateTime) -> list[Decision]:
        if not _goes_overdue(self._peek(task_id), when):
            return []
        task = self.get(task_id)
        if not _goes_overdue(task, when):
            return []
        task.go_overdue(at=when)
        pending = list(task.pending_events)
        self.store.save(task, hand_over=True)
        return decisions(pending)

    # --- notices --------------------------------------------------------------------------

    def issue_notices(
        self,
        *,
        period: NoticePeriod,
        by: str,
        threshold: int = NOTICE_THRESHOLD,
        at: datetime | str | None = None,
    ) -> list[uuid.UUID]:
        """督查通报: name every unit that failed tasks ``threshold`` times or more in
        ``period`` (overdue, or a rejected report) [000 范文6 五 7]. Idempotent per unit and
        period: returns the ids of the notices this call issued (none on a second call)."""
        who, when = self._who(by), self._when(at)
        limit = positive_int(threshold, "通报次数")

        def attempt() -> list[uuid.UUID]:
            org = self._org()
            require_notice_issuer(org, period, who, when)
            notices = [
                SupervisionNotice.issue(
                    org=org,
                    unit=unit,
                    period=period,
                    failures=failures,
                    threshold=limit,
                    by=who,
                    at=when,
                )
                for unit, failures in sorted(self.failures_in(period).items())
                if len(failures) >= limit
                and not self.store.exists(SupervisionNotice.create_id(unit, period))
            ]
            self.store.save(*notices, hand_over=True)
            return [n.id for n in notices]

        return self.store.run(attempt, period)

    def failures_in(self, period: NoticePeriod) -> dict[str, list[NoticedFailure]]:
        """完不成工作 per responsible unit in a period: tasks gone overdue, reports rejected."""
        if not isinstance(period, NoticePeriod):
            raise InvalidInput(f"通报期间 {period!r} 不是 NoticePeriod")
        found: dict[str, list[NoticedFailure]] = defaultdict(list)
        for task_id in self.store.record_ids(SupervisionTask):
            task = self._peek(task_id)
            for f in task.failures:
                if period.covers(f.at.date()):
                    found[task.lead_unit].append(
                        NoticedFailure(str(task.id), str(task.number), f.kind, f.at)
                    )
        return dict(found)

    def notice(self, notice_id: uuid.UUID | str) -> SupervisionNotice:
        return self.store.get(SupervisionNotice, notice_id)

    def notices(self, period: NoticePeriod | None = None) -> list[SupervisionNotice]:
        """The notices issued, in order, optionally for one period."""
        found = [self.notice(i) for i in self.store.record_ids(SupervisionNotice)]
        return [n for n in found if period is None or n.period.key() == period.key()]

    # --- links and lookup -----------------------------------------------------------------

    def tasks_of(self, source: SourceRef | uuid.UUID | str) -> list[uuid.UUID]:
        """The tasks a source opened: for a :class:`SourceRef`, its item's task (if opened);
        for a source record's id, every task it links, in the order they were linked (read
        from the record's own ``SupervisionTaskLinked`` events: the source knows its tasks)."""
        if isinstance(source, SourceRef):
            task_id = task_id_for(source)
            return [task_id] if self.store.exists(task_id) else []
        events = self.store.events(source, "督办来源")
        return [e.task_id for e in events if type(e).__name__ == LINK_EVENT]  # type: ignore[attr-defined]

    def children_of(self, task_id: uuid.UUID | str) -> list[SupervisionTask]:
        return [self.get(c) for c in self.get(task_id).children]

    def find_by_number(self, number: SupervisionNumber | str) -> SupervisionTask:
        """The task registered under a 督办编号 (``督〔2026〕12号`` or a part ``12-1号``)."""
        parsed = (
            number if isinstance(number, SupervisionNumber) else SupervisionNumber.parse(number)
        )
        org = self._org()
        record_id = self._numbered(REGISTRATION_SERIES, org.agency_code, parsed.year, parsed.serial)
        if record_id is not None:
            task = self.get(record_id)
            if not parsed.part:
                return task
            for p, child in zip(task.parts, task.children, strict=True):
                if p.part == parsed.part:
                    return self.get(child)
        raise RecordNotFound("督办编号", str(parsed))

    # --- plumbing -------------------------------------------------------------------------

    def _do(
        self, record_id: uuid.UUID | str, command: str, by: str, at: object, **kwargs: Any
    ) -> Any:
        """Load, decide, save; when a child task's progress or close-out changes, its parent
        records it (汇总) in the same atomic save."""
        who, when = self._who(by), self._when(at)
        if kwargs.get("on_behalf_of") is not None:
            kwargs["on_behalf_of"] = self._who(kwargs["on_behalf_of"])

        def attempt() -> None:
            task = self.get(record_id)
            getattr(task, command)(org=self._org(), by=who, at=when, **kwargs)
            parent = self.get(task.parent_id) if task.parent_id is not None else None
            if parent is not None and parent.needs_roll_up(task):
                parent.roll_up(child=task, by=who, at=when)
                self.store.save(task, parent, hand_over=True)
            else:
                self.store.save(task, hand_over=True)

        self.store.run(attempt, record_id)

    def _link_source(
        self, record_id: uuid.UUID, task_id: uuid.UUID, who: PersonId, when: pendulum.DateTime
    ) -> Any:
        with self.store.translated(f"读取 {record_id}"):
            try:
                record: Any = self.store.app.repository.get(record_id)
            except AggregateNotFoundError:
                raise RecordNotFound("督办来源", record_id) from None
        link = getattr(record, "link_supervision_task", None)
        if not callable(link):
            raise SourceCannotOpenTasks(record_id, getattr(record, "KIND", type(record).__name__))
        link(task_id=task_id, by=who, at=when)
        return record

    def _peek(self, task_id: uuid.UUID) -> SupervisionTask:
        """The cached task itself, not a copy: only for looking, never for deciding (the time
        step looks at every task every day; copying each one would dominate its cost)."""
        with self.store.translated(f"读取 {task_id}"):
            task: object = self.store.app.repository.get(task_id, deepcopy_from_cache=False)
        if not isinstance(task, SupervisionTask):
            raise RecordNotFound(SupervisionTask.KIND, task_id)
        return task

    def _calendar(self) -> WorkingDays:
        return self.office.calendar


def _goes_overdue(task: SupervisionTask, when: pendulum.DateTime) -> bool:
    """Due to be marked overdue at ``when``, and ``when`` not before its last decision."""
    last_at = getattr(task, "last_at", None)
    return task.is_overdue_at(when) and (last_at is None or when >= last_at)
