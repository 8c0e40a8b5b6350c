"""年度报告 — every figure of the annual report, checked against the raw events of a generated
year.

A seeded generator runs a year of the office through the public commands, in business-time
order, with the office's time step every morning: outgoing documents of several types and
urgencies (some revised, some withdrawn), incoming documents from every kind of sender (some
returned at screening, handled early, late or never), the annual meeting plan and its
meetings (held with leave, substitutes, lateness and costs; one cancelled) and unplanned
requests (one refused), deputy suggestions and CPPCC proposals with A/B/C replies and
ratings, supervision tasks (on time, extended, overdue, urged by every channel, one split,
notices) and information reporting. Records reach across New Year on both sides.

Each figure of ``office.reports.annual(2025)`` is then compared with a count made here, with
plain loops, over the events read back from the notification log; and the four renderings
must carry the same numbers [domain brief §9; 001 会议 六 3; 003 篇5].
"""

from __future__ import annotations

import csv
import heapq
import io
import itertools
import json
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.adapters.report_render import CSV_HEADER, figures, render
from govoffice.application.office import Office
from govoffice.application.proposals import proposal_figures
from govoffice.application.reports import (
    AnnualReport,
    Breakdown,
    NoEventsInYear,
    Table,
    amount,
    percent,
)
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.domain.document import Urgency
from govoffice.domain.errors import InvalidInput
from govoffice.domain.incoming import ScreeningCheck
from govoffice.domain.information import AdoptionLevel
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting import MeetingKind, MeetingPaperStage
from govoffice.domain.meeting_rules import (
    DEFAULT_LIMITS,
    SEED_JURISDICTION,
)
from govoffice.domain.organisation import Role
from govoffice.domain.proposal import Field, ProposalKind, ProposalUrgeChannel, Rating, check_sheet
from govoffice.domain.routing import SenderType
from govoffice.domain.supervision import UrgeChannel
from govoffice.domain.supervision_notice import NoticePeriod
from govoffice.testing import AgencyPeople, SettableClock, office_for_tests, standard_agency
from tests.application.test_target_figures import count_targets

ZONE = "Asia/Shanghai"
YEAR = 2025
START = pendulum.datetime(2024, 11, 18, 9, tz=ZONE)
P = AgencyPeople()
HEADS = {
    "office": P.office_head,
    "party": P.party_head,
    "discipline": P.discipline_head,
    "finance": P.finance_head,
    "legal": P.legal_head,
    "biz1": P.unit_head,
    "biz2": P.unit_head2,
}
STAFF = {"office": P.secretary, "biz1": P.drafter, "biz2": P.drafter2}
HANDLERS = ["biz1", "biz2", "legal", "finance"]
TASK_UNITS = ["biz1", "biz2", "legal", "finance", "party", "discipline"]
POOL = [
    P.principal,
    P.deputy,
    P.deputy2,
    P.unit_head,
    P.unit_head2,
    P.legal_head,
    P.office_head,
    P.party_head,
    P.finance_head,
    P.discipline_head,
    P.drafter,
    P.drafter2,
    P.archivist,
]
ALL_PASS = {check: True for check in ScreeningCheck}
REPORT = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}
DOC_TYPES = ["通知", "函", "报告", "请示", "意见", "通报", "纪要"]
NAMES = ["马代表", "张代表", "李委员", "王委员", "赵代表", "刘委员"]


def t(day: date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)


Steps = Iterator[pendulum.DateTime]
"""A record's life: each ``yield`` says when it goes on."""


@dataclass(frozen=True)
class PlannedMeeting:
    organiser: str
    kind: MeetingKind
    name: str
    day: date
    days: str
    participants: int
    budget_10k: str
    chair: str
    fate: str = "held"  # held, cancelled, unscheduled
    settle_after: int = 3


PLAN = [
    PlannedMeeting("office", MeetingKind.OFFICE, "局长办公会议(一季度)", date(2025, 3, 12), "1", 20, "0.6", P.principal),
    PlannedMeeting("biz1", MeetingKind.TOPIC, "安全生产专题会议", date(2025, 6, 18), "1", 25, "0.8", P.deputy),
    PlannedMeeting("biz2", MeetingKind.VIDEO, "视频调度会议", date(2025, 9, 10), "0.5", 40, "0.3", P.deputy2),
    PlannedMeeting("biz1", MeetingKind.TOPIC, "业务培训会议", date(2025, 10, 15), "1", 30, "1", P.deputy, "cancelled"),
    PlannedMeeting("office", MeetingKind.MONTHLY, "机关月度工作例会", date(2025, 5, 6), "1", 30, "0.5", P.principal),
    PlannedMeeting("biz2", MeetingKind.TOPIC, "调研座谈会", date(2025, 7, 9), "1", 12, "0.2", P.deputy2, "unscheduled"),
    PlannedMeeting("office", MeetingKind.OFFICE, "局长办公会议(四季度)", date(2025, 12, 24), "1", 20, "0.6", P.principal, settle_after=13),
]  # fmt: skip


class Year:
    """A year of the office through the public commands, decided by a seeded random."""

    def __init__(self, office: Office, seed: int, scale: float = 1.0) -> None:
        self.office = office
        self.rng = random.Random(seed)
        self.scale = scale
        self.queue: list[tuple[pendulum.DateTime, int, Steps]] = []
        self.order = itertools.count()
        assert isinstance(office.clock, SettableClock)
        self.clock: SettableClock = office.clock
        self.now = START

    # --- the scheduler ------------------------------------------------------------------------

    def start(self, when: pendulum.DateTime, life: Callable[[], Steps]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), self._begin(when, life)))

    def _begin(self, when: pendulum.DateTime, life: Callable[[], Steps]) -> Steps:
        yield when
        yield from life()

    def run(self) -> None:
        while self.queue:
            when, _, steps = heapq.heappop(self.queue)
            assert when >= self.now, "the generator must move forward in business time"
            self.now = when
            self.clock.set(when)
            nxt = next(steps, None)
            if nxt is not None:
                heapq.heappush(self.queue, (nxt, next(self.order), steps))

    def n(self, count: int) -> int:
        return max(2, round(count * self.scale))

    def workday(self, day: date) -> date:
        while not self.office.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day

    def some_day(self, first: date, last: date) -> date:
        return self.workday(first + timedelta(days=self.rng.randint(0, (last - first).days)))

    def later(self, days: int, hour: int, minute: int = 0) -> pendulum.DateTime:
        return t(self.workday(self.now.date() + timedelta(days=days)), hour, minute)

    # --- the year -----------------------------------------------------------------------------

    def plan_and_run(self) -> None:
        self.plan()
        self.run()

    def plan(self) -> None:
        self.start(t(date(2024, 11, 25), 10), self.meeting_plan)
        for i in range(self.n(30)):
            first = date(2024, 12, 16) if i < 2 else date(2025, 1, 6)
            last = date(2024, 12, 20) if i < 2 else date(2025, 12, 29)
            if i in (2, 3, 4):
                first = date(2025, 12, 22)
            self.start(t(self.some_day(first, last), 9 + i % 3), partial(self.outgoing, i))
        for i in range(self.n(32)):
            first = date(2024, 12, 18) if i < 2 else date(2025, 1, 2)
            last = date(2024, 12, 24) if i < 2 else date(2025, 12, 26)
            self.start(t(self.some_day(first, last), 9, 30), partial(self.incoming, i))
        for i in range(self.n(20)):
            first = date(2024, 12, 10) if i == 0 else date(2025, 3, 10)
            last = date(2024, 12, 12) if i == 0 else date(2025, 11, 28)
            self.start(t(self.some_day(first, last), 10), partial(self.proposal, i))
        for i in range(self.n(26)):
            day = self.some_day(date(2025, 1, 6), date(2025, 11, 20))
            self.start(t(day, 9, 15), partial(self.task, i))
        for i in range(2):  # two tasks of one unit, both overdue in Q2: the unit is named
            self.start(t(date(2025, 4, 7 + i), 9, 20), partial(self.failing_task, i))
        self.start(t(date(2025, 2, 10), 9, 40), self.split_task)
        for when, period in (
            (date(2025, 1, 3), NoticePeriod.quarter(2024, 4)),
            (date(2025, 4, 1), NoticePeriod.quarter(YEAR, 1)),
            (date(2025, 7, 1), NoticePeriod.quarter(YEAR, 2)),
            (date(2025, 10, 9), NoticePeriod.quarter(YEAR, 3)),
            (date(2026, 1, 5), NoticePeriod.quarter(YEAR, 4)),
        ):
            self.start(t(when, 16), partial(self.notices, period))
        months = [(2024, 12)] + [(YEAR, m) for m in range(1, 13)]
        if self.scale < 1:
            months = months[:4]
        for unit in ("biz1", "biz2"):
            for y, m in months:
                self.start(t(date(y, m, 1), 8), partial(self.information, unit, y, m))
        self.start(t(date(2025, 1, 6), 7), self.ticks)

    def ticks(self) -> Steps:
        """The office's time step, every Monday morning (every fourth in a smaller year):
        urges due, deadlines passed."""
        day = date(2025, 1, 6)
        while day <= date(2026, 3, 30):
            self.office.tick(self.now)
            day += timedelta(days=7 if self.scale >= 1 else 28)
            yield t(day, 7)

    # --- 发文 ---------------------------------------------------------------------------------

    def outgoing(self, i: int) -> Steps:
        d, rng = self.office.documents, self.rng
        unit = rng.choice(["biz1", "biz2"])
        drafter, head = STAFF[unit], HEADS[unit]
        urgency = rng.choices(["平件", "加急", "特急"], weights=[6, 3, 2])[0]
        fields: dict[str, Any] = {
            "title": f"关于第{i}项工作的公文",
            "doc_type": rng.choice(DOC_TYPES),
            "issuer_code": rng.choice(["X政发", "X政函"]),
            "lead_unit": unit,
            "main_recipients": ["各处室"],
            "text": "正文",
            "urgency": urgency,
        }
        if urgency == "特急":
            fields["urgent_reason"] = "上级限时办理"
            fields["urgent_deadlines"] = {
                "countersign_by": self.now.add(days=1),
                "review_by": self.now.add(days=2),
                "sign_by": self.now.add(days=3),
            }
        doc = d.draft(by=drafter, **fields)
        yield self.now.add(hours=1)
        if rng.random() < 0.3:  # the drafter changes the type before review
            d.revise(doc, by=drafter, doc_type=rng.choice(DOC_TYPES))
            yield self.now.add(minutes=30)
        if rng.random() < 0.1:
            d.withdraw(doc, by=drafter, reason="情况变化,不再发文")
            return
        d.submit_for_review(doc, by=drafter)
        yield self.now.add(hours=2)
        d.review(doc, by=head)
        d.submit_to_office(doc, by=drafter)
        yield self.later(1, 9)
        d.office_check(doc, by=P.secretary)
        d.office_review(doc, by=P.office_head)
        yield self.later(1, 10)
        d.sign(doc, by=rng.choice([P.principal, P.deputy]), opinion="同意")
        if rng.random() < 0.08:
            yield self.now.add(hours=1)
            d.withdraw(doc, by=head, reason="签发后情况变化,撤回")
            return
        yield self.later(rng.randint(1, 8), 11)
        d.register(doc, by=P.secretary, distribution_scope="各处室", copies=10)

    # --- 收文 ---------------------------------------------------------------------------------

    def incoming(self, i: int) -> Steps:
        inc, rng = self.office.incoming, self.rng
        rs = P.receiving_secretary
        doc = inc.receive(sender=f"来文单位{i}", title=f"关于第{i}件事的请示", by=rs)
        yield self.now.add(minutes=10)
        inc.register(
            doc,
            sender_type=rng.choice(list(SenderType)),
            importance=rng.choice(["一般公文", "重要公文"]),
            by=rs,
        )
        yield self.now.add(minutes=20)
        if rng.random() < 0.15:
            inc.screen(
                doc,
                results={**ALL_PASS, ScreeningCheck.CORRESPONDENCE_RULES: False},
                reason="不符合行文规则,退回",
                by=rs,
            )
            return
        inc.screen(doc, results=ALL_PASS, by=rs)
        desk = inc.get(doc).desk
        assert desk is not None
        yield self.now.add(hours=2)
        lead = rng.choice(HANDLERS)
        deadline = rng.choice([None, 3, 5, 8, 12])
        inc.assign(
            doc,
            kind="action",
            proposal="请承办",
            lead_unit=lead,
            within_working_days=deadline,
            by=HEADS[desk],
        )
        yield self.later(1, 9)
        inc.accept(doc, by=HEADS[lead])
        if rng.random() < 0.12:
            return  # still being handled at the end of the story
        days = rng.randint(1, 20)
        if days > 6 and rng.random() < 0.5:
            yield self.later(3, 11)
            inc.urge(
                doc, channel=rng.choice(["phone", "on_site", "letter"]), by=P.supervision_officer
            )
        yield self.later(days, 15)
        inc.handle(doc, result="已办理", by=HEADS[lead])

    # --- 会议 ---------------------------------------------------------------------------------

    def meeting_plan(self) -> Steps:
        m = self.office.meetings
        m.open_plan(year=YEAR, by=P.secretary)
        yield t(date(2024, 12, 2), 10)
        rows = PLAN if self.scale >= 1 else PLAN[:2]
        serials = []
        for row in rows:
            serials.append(
                m.submit_plan_row(
                    year=YEAR,
                    organiser=row.organiser,
                    name=row.name,
                    content=f"研究{row.name}事项",
                    kind=row.kind,
                    form="视频会议" if row.kind is MeetingKind.VIDEO else "现场会议",
                    planned_date=row.day,
                    place="局会议室",
                    participant_scope="局领导、有关处室",
                    days=row.days,
                    participants=row.participants,
                    budget_10k=row.budget_10k,
                    attending_leaders=[row.chair],
                    by=HEADS[row.organiser],
                )
            )
        yield t(date(2024, 12, 5), 10)
        leaders = {"office": P.principal, "biz1": P.deputy, "biz2": P.deputy2}
        for serial, row in zip(serials, rows, strict=True):
            m.endorse_plan_row(year=YEAR, serial=serial, by=leaders[row.organiser])
        yield t(date(2024, 12, 12), 10)
        m.review_plan(year=YEAR, by=P.office_head)
        yield t(date(2024, 12, 20), 15)
        m.approve_plan(year=YEAR, by=P.principal)
        for serial, row in zip(serials, rows, strict=True):
            if row.fate != "unscheduled":
                when = t(row.day - timedelta(days=20), 10)
                self.start(when, partial(self.planned_meeting, serial, row))
        if self.scale >= 1:
            self.start(
                t(date(2025, 4, 1), 10),
                partial(self.requested_meeting, "biz1", date(2025, 4, 16), True),
            )
            self.start(
                t(date(2025, 8, 4), 10),
                partial(self.requested_meeting, "biz2", date(2025, 8, 20), True),
            )
        self.start(
            t(date(2025, 7, 2), 10),
            partial(self.requested_meeting, "biz1", date(2025, 7, 16), False),
        )

    def planned_meeting(self, serial: int, row: PlannedMeeting) -> Steps:
        m = self.office.meetings
        starts = t(row.day, 9)
        meeting = m.schedule(
            year=YEAR, serial=serial, starts_at=starts, chair=row.chair, by=P.secretary
        )
        yield self.now.add(hours=1)
        if row.fate == "cancelled":
            m.cancel(meeting, reason="与其他会议内容重复,取消", by=P.office_head)
            return
        yield from self.hold_meeting(
            meeting, row.organiser, starts, row.participants, row.settle_after
        )

    def requested_meeting(self, unit: str, day: date, approved: bool) -> Steps:
        m = self.office.meetings
        leader = P.deputy if unit == "biz1" else P.deputy2
        starts = t(day, 14)
        meeting = m.request(
            kind=MeetingKind.TOPIC,
            title=f"{unit}专项工作会议",
            content="专项工作部署",
            reason="上级新部署",
            organiser=unit,
            starts_at=starts,
            place="局二楼会议室",
            participant_scope="有关处室负责人",
            participants=15,
            days=1,
            budget=3000,
            funding_source=f"{unit}业务经费",
            chair=leader,
            attending_leaders=[leader],
            by=STAFF[unit],
        )
        yield self.now.add(hours=2)
        for party, by in (("office", P.office_head), ("finance", P.finance_head), (leader, leader)):
            m.countersign(meeting, party=party, by=by)
        yield self.later(1, 10)
        if not approved:
            m.reject(meeting, reason="可与月度例会合并研究", by=P.principal)
            return
        m.approve(meeting, by=P.principal)
        yield self.now.add(hours=1)
        yield from self.hold_meeting(meeting, unit, starts, 15, 5)

    def hold_meeting(
        self, meeting: uuid.UUID, organiser: str, starts: pendulum.DateTime, seats: int, settle: int
    ) -> Steps:
        m, rng = self.office.meetings, self.rng
        invitees = rng.sample(POOL, min(seats, rng.randint(6, 10)))
        m.draft_notice(meeting, invitees=invitees, contact="孙秘书 12345678", by=STAFF[organiser])
        yield self.now.add(hours=1)
        record = m.get(meeting)
        for party in record.required_countersigners(
            self.office.org.current(), MeetingPaperStage.NOTICE
        ):
            m.countersign(meeting, party=party, by=HEADS.get(party, party))
        m.issue_notice(meeting, by=P.principal)
        yield self.now.add(days=1)
        approver = m.get(meeting).leave_approver
        others = [p for p in POOL if p not in invitees]
        away: list[str] = []
        for person in invitees:
            if person != approver and rng.random() < 0.15:
                substitute = others.pop() if others and rng.random() < 0.5 else None
                m.answer(meeting, attend=False, reason="出差", substitute=substitute, by=person)
                m.grant_leave(meeting, person=person, by=approver)
                away.append(person)
                if substitute is not None:
                    away.append(substitute)
        present = [p for p in invitees if p not in away]
        late = [p for p in present if rng.random() < 0.15]
        absent = [p for p in present if p not in late and rng.random() < 0.08]
        yield starts.subtract(minutes=10)
        signed = [p for p in present if p not in late and p not in absent]
        substitutes = [p for p in away if p not in invitees]
        for person in signed + substitutes:
            m.sign_in(meeting, by=person)
        yield starts.add(minutes=12)
        for person in late:
            m.sign_in(meeting, by=person)
        yield starts.add(hours=2)
        m.hold(meeting, by=P.secretary)
        early = [signed[0]] if signed and rng.random() < 0.5 else []
        m.record_attendance(meeting, left_early=early, by=P.secretary)
        yield self.later(settle, 10)
        figures = m.get(meeting).figures
        headcount = len(signed) + len(late) + len(substitutes)
        if not headcount:
            return
        cap = min(figures.budget, 550 * headcount * figures.days)
        venue = int(cap * Decimal(rng.randint(30, 60)) / 100)
        printing = int(cap * Decimal(rng.randint(5, 30)) / 100)
        m.settle_costs(
            meeting,
            payment=rng.choice(["bank_transfer", "official_card"]),
            venue=venue,
            printing=printing,
            by=P.secretary,
        )

    # --- 建议提案 -----------------------------------------------------------------------------

    def proposal(self, i: int) -> Steps:
        pr, rng = self.office.proposals, self.rng
        proposers = rng.sample(NAMES, rng.choice([1, 1, 2]))
        pid = pr.submit(
            kind=rng.choice(list(ProposalKind)),
            field=rng.choice(list(Field)),
            proposers=proposers,
            title=f"建议{i}",
            content="内容",
            by=P.secretary,
        )
        yield self.later(3, 10)
        lead = rng.choice(["biz1", "biz2", "legal", "finance", "party"])
        pr.assign(pid, lead_unit=lead, secretary=P.secretary, by=P.supervision_officer)
        if rng.random() < 0.12:
            return  # not answered in the story
        if rng.random() < 0.3:
            yield self.later(rng.randint(5, 20), 11)
            channel = rng.choice([ProposalUrgeChannel.PHONE, ProposalUrgeChannel.ON_SITE])
            pr.urge(pid, channel=channel, by=P.supervision_officer)
        for round_ in (1, 2):
            yield self.later(rng.randint(15, 95) if round_ == 1 else 20, 10)
            result = rng.choices("ABC", weights=[6, 3, 1])[0]
            pr.draft_reply(pid, text="答复", result=result, by=HEADS[lead])
            yield self.later(1, 10)
            pr.review_reply(pid, checks=check_sheet(), by=P.secretary)
            yield self.later(1, 10)
            pr.send_reply(pid, by=HEADS[lead])
            if rng.random() < 0.1:
                return  # no opinion form back yet
            yield self.later(rng.randint(10, 25), 10)
            for name in proposers:
                rating = rng.choices(list(Rating), weights=[75, 15, 10])[0]
                if round_ == 2:
                    rating = Rating.BASICALLY_SATISFIED
                pr.record_feedback(pid, proposer=name, rating=rating, by=P.secretary)
            if pr.get(pid).status.value != "handling":  # not reopened by a 不满意
                break
        if pr.get(pid).status.value == "to_close":
            yield self.later(2, 10)
            pr.close(pid, by=P.secretary)

    # --- 督查督办 -----------------------------------------------------------------------------

    def task(self, i: int) -> Steps:
        sv, rng, officer = self.office.supervision, self.rng, P.supervision_officer
        kind = rng.choice(list(SourceKind))
        instructed = None
        if kind is SourceKind.LEADER_INSTRUCTION:
            instructed = rng.choice([P.principal, P.deputy])
        source = SourceRef(kind, reference=f"来源{i}", item="1")
        unit = rng.choice(TASK_UNITS)
        due = self.workday(self.now.date() + timedelta(days=rng.randint(12, 40)))
        task = sv.open(
            source=source,
            title=f"督办事项{i}",
            lead_unit=unit,
            deadline=due,
            instructed_by=instructed,
            by=officer,
        )
        plan = rng.choices(
            ["on_time", "extended", "late", "letter", "rejected", "never"],
            weights=[40, 10, 12, 12, 12, 10],
        )[0]
        head = HEADS[unit]

        def complete() -> None:
            sv.complete(task, by=head, **REPORT)

        if rng.random() < 0.5:
            yield t(self.workday(self.now.date() + timedelta(days=5)), 10)
            sv.urge(task, channel=UrgeChannel.PROMPT_SHEET, by=officer)
        if plan == "on_time":
            yield t(due, 15)
            complete()
        elif plan == "extended":
            yield t(due - timedelta(days=2), 10)
            sv.request_extension(
                task,
                new_deadline=due + timedelta(days=5),
                reason="需补充调查",
                progress="过半",
                by=head,
            )
            yield t(due - timedelta(days=2), 14)
            sv.grant_extension(task, by=officer)
            yield t(due + timedelta(days=4), 15)
            complete()
        elif plan == "late":
            yield t(due + timedelta(days=1), 10)
            sv.tick(self.now)  # 逾期, before the week's general tick
            sv.urge(task, channel=UrgeChannel.PHONE, by=officer)
            yield t(due + timedelta(days=4), 15)
            complete()
        elif plan == "letter":
            yield t(due + timedelta(days=1), 10)
            sv.tick(self.now)
            sv.urge(
                task,
                channel=UrgeChannel.SUPERVISION_LETTER,
                new_deadline=due + timedelta(days=9),
                by=officer,
            )
            yield t(due + timedelta(days=3), 10)
            sv.urge(task, channel=UrgeChannel.ON_SITE, by=officer)
            yield t(due + timedelta(days=6), 15)
            complete()
        elif plan == "rejected":
            yield t(due - timedelta(days=4), 15)
            complete()
            yield t(due - timedelta(days=3), 10)
            sv.reject_completion(task, reason="落实情况不具体", by=officer)
            yield t(due, 15)
            complete()
        else:
            yield t(due + timedelta(days=2), 10)
            sv.urge(task, channel=UrgeChannel.PHONE, by=officer)
            return
        yield self.later(1, 10)
        sv.accept_completion(task, by=officer)
        yield self.later(rng.randint(0, 3), 16)
        sv.close_out(task, by=officer)

    def failing_task(self, i: int) -> Steps:
        sv = self.office.supervision
        due = date(2025, 5, 12 + i)
        sv.open(
            source=SourceRef(SourceKind.HOTLINE, reference=f"12345-{i}"),
            title=f"热线交办{i}",
            lead_unit="discipline",
            deadline=due,
            by=P.supervision_officer,
        )
        yield from ()  # never reported: the morning tick marks it overdue

    def split_task(self) -> Steps:
        sv, officer = self.office.supervision, P.supervision_officer
        task = sv.open(
            source=SourceRef(SourceKind.LEADER_INSTRUCTION, reference="批示-分解"),
            title="分解落实的批示",
            lead_unit="biz1",
            deadline=date(2025, 4, 30),
            instructed_by=P.principal,
            by=officer,
        )
        yield self.later(1, 10)
        parts = sv.split(task, parts=[("biz1", "一处部分"), ("biz2", "二处部分")], by=officer)
        for part, unit in zip(parts, ["biz1", "biz2"], strict=True):
            yield self.later(10, 15)
            sv.complete(part, by=HEADS[unit], **REPORT)
            sv.accept_completion(part, by=officer)
            sv.close_out(part, by=officer)
        yield self.later(2, 15)
        sv.complete(task, by=HEADS["biz1"], **REPORT)
        sv.accept_completion(task, by=officer)
        yield self.later(1, 10)
        sv.close_out(task, by=officer)

    def notices(self, period: NoticePeriod) -> Steps:
        self.office.supervision.issue_notices(period=period, by=P.supervision_officer)
        yield from ()

    # --- 政务信息 -----------------------------------------------------------------------------

    def information(self, unit: str, year: int, month: int) -> Steps:
        info, rng = self.office.information, self.rng
        first = self.workday(date(year, month, 1))
        yield t(first, 8, 30)
        if rng.random() < 0.85:
            info.set_target(
                unit=unit, year=year, month=month, target=rng.randint(1, 3), by=P.secretary
            )
        last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        days = sorted(self.some_day(first, last) for _ in range(rng.randint(2, 7)))
        items = 0
        for day in days:
            if day > last:
                continue
            yield t(day, 11)
            items = info.submit(unit=unit, year=year, month=month, title="信息", by=STAFF[unit])
        yield t(self.workday(last + timedelta(days=3)), 10)
        for item in range(1, items + 1):
            if rng.random() < 0.5:
                level = rng.choice(list(AdoptionLevel))
                info.adopt(
                    unit=unit,
                    year=year,
                    month=month,
                    item=item,
                    level=level,
                    outlet="要情快报",
                    by=P.secretary,
                )
                if rng.random() < 0.3:
                    info.adopt(
                        unit=unit,
                        year=year,
                        month=month,
                        item=item,
                        level="省级",
                        outlet="省政务信息",
                        by=P.secretary,
                    )
        yield t(self.workday(last + timedelta(days=6)), 10)
        info.close(unit=unit, year=year, month=month, by=P.secretary)


# --- the independent count -------------------------------------------------------------------


def stored_events(office: Office) -> list[tuple[str, Any]]:
    """Every event of the store, in recorded order, with its stored topic (the part after
    ``govoffice/``), read back from the notification log."""
    events: list[tuple[str, Any]] = []
    start = 1
    while True:
        page = office.app.recorder.select_notifications(start=start, limit=500)
        events.extend(
            (n.topic.removeprefix("govoffice/"), office.app.mapper.to_domain_event(n)) for n in page
        )
        if len(page) < 500:
            return events
        start = page[-1].id + 1


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


MONTH_CODES = [f"{m:02d}" for m in range(1, 13)]


def count_year(
    events: list[tuple[str, Any]], year: int, office: Office
) -> dict[tuple[str, str], Any]:
    """The report's figures for ``year``, counted here from the raw events with plain loops
    (breakdowns as their non-zero values, the execution table as rows)."""
    org = office.org.current()
    unit = {u: org.units[u].name for u in org.units}
    person = {p: org.people[p].name for p in org.people}
    x: dict[tuple[str, str], Any] = {}

    def in_year(e: Any) -> bool:
        return getattr(e, "at", None) is not None and e.at.year == year

    # 发文
    form: dict[uuid.UUID, tuple[str, str]] = {}
    drafted = issued = withdrawn = 0
    by_type: Counter[str] = Counter()
    by_urgency: Counter[str] = Counter()
    issued_by_month: Counter[str] = Counter()
    for topic, e in events:
        if topic in ("outgoing-document/Drafted", "outgoing-document/Revised"):
            form[e.originator_id] = (e.form.doc_type.value, e.form.urgency.value)
            drafted += topic.endswith("Drafted") and in_year(e)
        elif topic == "outgoing-document/Registered" and in_year(e):
            issued += 1
            by_type[form[e.originator_id][0]] += 1
            by_urgency[form[e.originator_id][1]] += 1
            issued_by_month[f"{e.at.month:02d}"] += 1
        elif topic == "outgoing-document/Withdrawn" and in_year(e):
            withdrawn += 1
    x["outgoing", "drafted"], x["outgoing", "issued"] = drafted, issued
    x["outgoing", "issued_by_type"], x["outgoing", "issued_by_urgency"] = by_type, by_urgency
    x["outgoing", "withdrawn"] = withdrawn
    x["outgoing", "issued_by_month"] = issued_by_month

    # 收文
    received_on: dict[uuid.UUID, date] = {}
    c: Counter[str] = Counter()
    senders: Counter[str] = Counter()
    urges: Counter[str] = Counter()
    handling_days: list[int] = []
    for topic, e in events:
        if topic == "incoming-document/Received":
            received_on[e.originator_id] = e.at.date()
        if not topic.startswith("incoming-document/") or not in_year(e):
            continue
        step = topic.split("/")[1]
        c[step] += 1
        if step == "Received":
            c[f"month/{e.at.month:02d}"] += 1
        if step == "Registered":
            senders[e.sender_type.value] += 1
        elif step == "Handled":
            c[{True: "on_time", False: "late", None: "no_deadline"}[e.on_time]] += 1
            handling_days.append((e.at.date() - received_on[e.originator_id]).days)
        elif step == "Urged":
            urges[e.channel.value] += 1
    x["incoming", "received"], x["incoming", "registered"] = c["Received"], c["Registered"]
    x["incoming", "registered_by_sender_type"] = senders
    x["incoming", "returned"], x["incoming", "handled"] = c["Returned"], c["Handled"]
    x["incoming", "handled_on_time"], x["incoming", "handled_late"] = c["on_time"], c["late"]
    x["incoming", "handled_without_deadline"] = c["no_deadline"]
    x["incoming", "average_handling_days"] = share(sum(handling_days), len(handling_days))
    x["incoming", "went_overdue"], x["incoming", "urges_by_channel"] = c["WentOverdue"], urges
    x["incoming", "received_by_month"] = {
        k.split("/")[1]: v for k, v in c.items() if k.startswith("month/")
    }

    # 会议
    created: dict[uuid.UUID, Any] = {}
    held: dict[uuid.UUID, Any] = {}
    attendance: dict[uuid.UUID, Any] = {}
    costs: dict[uuid.UUID, Any] = {}
    planned: Counter[str] = Counter()
    mc: Counter[str] = Counter()
    for topic, e in events:
        if topic == "meeting-plan/RowSubmitted" and e.row.planned_date.year == year:
            planned[e.row.kind.value] += 1
        elif topic in ("meeting/Planned", "meeting/Requested"):
            created[e.originator_id] = e
            mc["Requested"] += topic == "meeting/Requested" and in_year(e)
        elif topic in ("meeting/Rejected", "meeting/Cancelled", "meeting/Merged") and in_year(e):
            mc[topic.split("/")[1]] += 1
        elif topic == "meeting/Held" and in_year(e):
            held[e.originator_id] = e
        elif topic == "meeting/AttendanceRecorded":
            attendance[e.originator_id] = e.entries
        elif topic == "meeting/CostsSettled":
            costs[e.originator_id] = e.settlement
    order = sorted(held, key=lambda m: held[m].at)
    facts: Counter[str] = Counter()
    invitees = in_person = 0
    rows: list[tuple[Any, ...]] = []
    caps: list[Decimal] = []
    within = over = 0
    for serial, m in enumerate(order, start=1):
        made = created[m]
        attendees = None
        there: list[str] = []  # [001 会议 六 3] 出席会议局领导: by the sign-in facts
        if m in attendance:
            attendees = 0
            for entry in attendance[m]:
                kinds = {f.value for f in entry.facts}
                invitees += 1
                facts.update(kinds)
                if kinds & {"present", "late", "left_early"}:
                    in_person += 1
                    attendees += 1
                    there.append(entry.person)
                elif "substituted" in kinds:
                    attendees += 1
                    there.append(entry.substitute)
        leaders_there = [
            p
            for p in there
            if org.holds(p, Role.LEADER, made.starts_at)
            or org.holds(p, Role.PRINCIPAL_LEADER, made.starts_at)
        ]
        spent = None
        if m in costs:
            spent = costs[m].total
            table = DEFAULT_LIMITS.table_for(SEED_JURISDICTION, made.starts_at.date())
            cap = (
                table.limit_for(made.figures.category).cost_cap_per_person_day
                * costs[m].participants
                * made.figures.days
            )
            caps.append(cap)
            within += spent <= cap
            over += spent > cap
        rows.append(
            (
                serial,
                unit[made.organiser],
                made.title,
                made.content,
                made.figures.category.label,
                made.starts_at.format("YYYY-MM-DD HH:mm"),
                made.place,
                made.participant_scope,
                attendees,
                None,
                "、".join(person[p] for p in leaders_there),
                None if spent is None else spent / 10000,
            )
        )
    spending = sum((costs[m].total for m in held if m in costs), Decimal(0))
    cap_total = sum(caps, Decimal(0))
    attendee_counts = [r[8] for r in rows if r[8] is not None]
    spent_10k = [r[11] for r in rows if r[11] is not None]
    attendees_total = sum(attendee_counts) if attendee_counts else None
    spent_total = sum(spent_10k, Decimal(0)) if spent_10k else None
    total = ("总计", *[""] * 7, attendees_total, "", "", spent_total)
    meetings = {
        "planned": sum(planned.values()),
        "planned_by_kind": planned,
        "requested": mc["Requested"],
        "rejected": mc["Rejected"],
        "cancelled": mc["Cancelled"],
        "merged": mc["Merged"],
        "held": len(held),
        "held_by_kind": Counter(created[m].kind.value for m in held),
        "held_planned": sum(1 for m in held if type(created[m]).__name__ == "Planned"),
        "held_unplanned": sum(1 for m in held if type(created[m]).__name__ == "Requested"),
        "days": sum((created[m].figures.days for m in held), Decimal(0)),
        "participants_planned": sum(created[m].figures.participants for m in held),
        "invitees": invitees,
        "attended_in_person": in_person,
        "attendance_by_fact": facts,
        "attendance_rate": share(in_person, invitees),
        "meetings_settled": sum(1 for m in held if m in costs),
        "headcount_settled": sum(costs[m].participants for m in held if m in costs),
        "budget": sum((created[m].figures.budget for m in held), Decimal(0)),
        "spending": spending,
        "cost_cap": cap_total if caps else None,
        "spending_of_cap": float(spending / cap_total) if caps else None,
        "within_cap": within,
        "over_cap": over,
        "execution_table": [*rows, total],
        "held_by_month": Counter(f"{held[m].at.month:02d}" for m in held),
    }
    x.update({("meetings", k): v for k, v in meetings.items()})

    # 建议提案: the items submitted in the year, with all their later steps
    items: dict[uuid.UUID, tuple[str, str]] = {}
    first_on_time: dict[uuid.UUID, bool] = {}
    latest: dict[uuid.UUID, tuple[int, str]] = {}
    ratings: dict[tuple[uuid.UUID, int], list[Rating]] = defaultdict(list)
    p_urges: Counter[str] = Counter()
    for topic, e in events:
        pid = e.originator_id
        if topic == "proposal/Submitted" and in_year(e):
            items[pid] = (e.kind.value, e.field.value)
        elif pid not in items:
            continue
        elif topic == "proposal/Replied":
            first_on_time.setdefault(pid, e.on_time)
            latest[pid] = (e.round, e.result.code)
        elif topic == "proposal/FeedbackReceived":
            ratings[(pid, e.round)].append(e.rating)
        elif topic == "proposal/Urged":
            p_urges[e.channel.value] += 1
    rated = [pid for pid, (r, _) in latest.items() if ratings[(pid, r)]]
    satisfied = [pid for pid in rated if Rating.DISSATISFIED not in ratings[(pid, latest[pid][0])]]
    results = Counter(code for _, code in latest.values())
    on_time = sum(first_on_time.values())
    proposals = {
        "submitted": len(items),
        "by_kind": Counter(k for k, _ in items.values()),
        "by_field": Counter(f for _, f in items.values()),
        "by_kind_and_field": Counter(f"{k}:{f}" for k, f in items.values()),
        "replied": len(latest),
        "reply_rate": share(len(latest), len(items)),
        "replied_by_result": results,
        "result_shares": {code: n / len(latest) for code, n in results.items()},
        "rated": len(rated),
        "satisfied": len(satisfied),
        "satisfaction_rate": share(len(satisfied), len(rated)),
        "on_time": on_time,
        "on_time_rate": share(on_time, len(latest)),
        "urges_by_channel": p_urges,
    }
    x.update({("proposals", k): v for k, v in proposals.items()})

    # 督查督办
    top: dict[uuid.UUID, bool] = {}
    ever_overdue: set[uuid.UUID] = set()
    reported: dict[uuid.UUID, Any] = {}
    accepted: dict[uuid.UUID, Any] = {}
    sc: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    s_urges: Counter[str] = Counter()
    overdue_tasks: set[uuid.UUID] = set()
    notices: Counter[str] = Counter()
    for topic, e in events:
        task = e.originator_id
        if topic == "supervision-task/Opened":
            top[task] = e.parent_id is None
            if top[task] and in_year(e):
                sc["opened"] += 1
                sources[e.source_kind.value] += 1
        elif topic == "supervision-task/Completed":
            reported[task] = e
        elif topic == "supervision-task/CompletionAccepted":
            accepted[task] = reported[task]
        elif topic == "supervision-task/WentOverdue":
            ever_overdue.add(task)
            if in_year(e):
                sc["overdue"] += 1
                overdue_tasks.add(task)
        elif topic == "supervision-task/Urged" and in_year(e):
            s_urges[e.channel.value] += 1
        elif topic == "supervision-task/ExtensionGranted" and in_year(e):
            sc["extensions"] += 1
        elif topic == "supervision-task/ClosedOut" and in_year(e) and top[task]:
            sc["closed"] += 1
            report = accepted[task]
            sc["on_time"] += task not in ever_overdue and report.at.date() <= report.due
        elif topic == "supervision-notice/NoticeIssued" and e.period.start.year == year:
            notices[e.unit] += 1
    supervision = {
        "opened": sc["opened"],
        "opened_by_source": sources,
        "closed": sc["closed"],
        "on_time": sc["on_time"],
        "on_time_rate": share(sc["on_time"], sc["closed"]),
        "overdue": sc["overdue"],
        "overdue_tasks": len(overdue_tasks),
        "extensions_granted": sc["extensions"],
        "urges": sum(s_urges.values()),
        "urges_by_channel": s_urges,
        "notices": sum(notices.values()),
        "notices_by_unit": notices,
    }
    x.update({("supervision", k): v for k, v in supervision.items()})

    # 政务信息: the months of the year, scored by the seed's figures (20 / 3 per extra / 10)
    months: dict[uuid.UUID, dict[str, Any]] = {}
    for topic, e in events:
        if topic == "information-report/Opened":
            months[e.originator_id] = {
                "unit": e.unit,
                "year": e.year,
                "month": f"{e.month:02d}",
                "tier": e.tier.value,
                "target": None,
                "submitted": 0,
                "adopted": set(),
                "levels": Counter(),
                "closed": False,
            }
        elif topic == "information-report/TargetSet":
            months[e.originator_id].update(target=e.target, tier=e.tier.value)
        elif topic == "information-report/ItemSubmitted":
            months[e.originator_id]["submitted"] += 1
        elif topic == "information-report/ItemAdopted":
            months[e.originator_id]["adopted"].add(e.number)
            months[e.originator_id]["levels"][e.level.value] += 1
        elif topic == "information-report/FiguresClosed":
            months[e.originator_id]["closed"] = True
    mine = [m for m in months.values() if m["year"] == year]
    points: Counter[str] = Counter()
    met = tasks_met = 0
    for m in mine:
        adopted = len(m["adopted"])
        score = Decimal(0)
        if m["target"] is not None and adopted >= m["target"]:
            met += 1
            score += 20 + 3 * (adopted - m["target"])
        if m["tier"] == "county_department" and m["submitted"] >= 5:
            tasks_met += 1
            score += 10
        points[m["unit"]] += score
    levels: Counter[str] = Counter()
    for m in mine:
        levels.update(m["levels"])
    targets = sum(1 for m in mine if m["target"] is not None)
    submitted = sum(m["submitted"] for m in mine)
    adopted_items = sum(len(m["adopted"]) for m in mine)
    information = {
        "units_reporting": len({m["unit"] for m in mine}),
        "unit_months": len(mine),
        "months_closed": sum(1 for m in mine if m["closed"]),
        "targets_set": targets,
        "targets_met": met,
        "target_met_rate": share(met, targets),
        "submission_tasks_met": tasks_met,
        "submitted": submitted,
        "adopted_items": adopted_items,
        "adoption_rate": share(adopted_items, submitted),
        "adoptions": sum(levels.values()),
        "adoptions_by_level": levels,
        "score": sum(points.values(), Decimal(0)),
        "score_by_unit": points,
        "submitted_by_month": Counter(
            {mo: sum(m["submitted"] for m in mine if m["month"] == mo) for mo in MONTH_CODES}
        ),
        "adopted_by_month": Counter(
            {mo: sum(len(m["adopted"]) for m in mine if m["month"] == mo) for mo in MONTH_CODES}
        ),
    }
    x.update({("information", k): v for k, v in information.items()})

    # 目标管理: the year's target table (none in this generated year; see test_target_figures)
    x.update({("targets", k): v for k, v in count_targets(events, year, org).items()})
    return x


def report_values(report: AnnualReport) -> dict[tuple[str, str], Any]:
    """Every figure of the report: scalars as they are, a breakdown as its non-zero values,
    the execution table as its rows and 总计 line."""
    values: dict[tuple[str, str], Any] = {}
    for s in report.sections():
        for e in s.entries:
            v = e.value
            if isinstance(v, Breakdown):
                values[s.key, e.key] = v.nonzero()
            elif isinstance(v, Table):
                values[s.key, e.key] = [*v.cells(), v.total()]
            else:
                values[s.key, e.key] = v
    return values


def same(got: Any, want: Any) -> bool:
    if isinstance(want, Counter | dict):
        want = {k: v for k, v in want.items() if v}
        return (
            isinstance(got, dict)
            and got.keys() == want.keys()
            and all(same(got[k], want[k]) for k in want)
        )
    if isinstance(want, float):
        return isinstance(got, float) and got == pytest.approx(want)
    return bool(got == want) and type(got) is type(want)


# --- the generated year -----------------------------------------------------------------------


@dataclass
class Generated:
    office: Office
    report: AnnualReport
    events: list[tuple[str, Any]]


@pytest.fixture(scope="module")
def year() -> Iterator[Generated]:
    office = office_for_tests(start=START)
    try:
        standard_agency(office, START)
        Year(office, seed=20250101).plan_and_run()
        yield Generated(office, office.reports.annual(YEAR), stored_events(office))
    finally:
        office.close()


# --- the figures -------------------------------------------------------------------------------


def test_each_figure_of_the_annual_report_matches_an_independent_count_of_the_events(
    year: Generated,
) -> None:
    """[domain brief §9] 年度报告: every figure, counted again from the raw events."""
    got = report_values(year.report)
    want = count_year(year.events, YEAR, year.office)
    assert got.keys() == want.keys()  # no figure of the report goes unchecked
    wrong = {k: (got[k], want[k]) for k in want if not same(got[k], want[k])}
    assert not wrong
    assert year.report.events == sum(
        1 for _, e in year.events if getattr(e, "at", None) and e.at.year == YEAR
    )
    assert year.report.agency == "某市某局" and year.report.year == YEAR


def test_the_generated_year_exercised_what_the_report_counts(year: Generated) -> None:
    """[003 篇5] a real year: every kind of step the figures count happened in it."""
    r = year.report
    o, i, m, p, s, n = r.outgoing, r.incoming, r.meetings, r.proposals, r.supervision, r.information
    assert o.issued >= 15 and o.withdrawn >= 1 and len(o.issued_by_type.nonzero()) >= 4
    assert set(o.issued_by_urgency.nonzero()) == {u.value for u in Urgency}
    assert i.returned >= 1 and i.handled_on_time and i.handled_late and i.handled_without_deadline
    assert len(i.registered_by_sender_type.nonzero()) >= 5 and i.went_overdue
    assert {"system", "phone"} <= set(i.urges_by_channel.nonzero())
    assert m.planned > m.held_planned and m.cancelled == 1 and m.rejected == 1
    assert m.held_unplanned >= 1 and m.meetings_settled == m.held
    assert {"present", "late", "on_leave", "substituted"} <= set(m.attendance_by_fact.nonzero())
    assert len(m.execution_table.rows) == m.held
    assert set(p.by_kind.nonzero()) == {k.value for k in ProposalKind}
    assert {"A", "B", "C"} <= set(p.replied_by_result.nonzero())
    assert p.replied < p.submitted and p.rated
    assert set(s.urges_by_channel.nonzero()) == {c.value for c in UrgeChannel}
    assert s.closed < s.opened and 0 < s.on_time < s.closed and s.overdue and s.notices
    assert s.extensions_granted >= 1
    assert n.unit_months == 24 and n.targets_met and n.score > 0
    # records across New Year on both sides are attributed to their own year
    earlier = year.office.reports.annual(YEAR - 1)
    assert earlier.outgoing.drafted == 2 and earlier.incoming.received == 2
    assert earlier.proposals.submitted == 1 and earlier.information.unit_months == 2
    assert earlier.proposals.replied == 1  # submitted in 2024, answered in 2025: counts for 2024
    assert earlier.meetings.planned == 0  # the 2025 plan was made in 2024, for 2025
    later = year.office.reports.annual(YEAR + 1)
    assert later.outgoing.issued >= 1  # drafted in late December, numbered in January
    assert later.meetings.spending == 0  # the December meeting's costs count for 2025


def test_rates_are_fractions_and_undefined_without_a_denominator(year: Generated) -> None:
    """办复率、满意率、按期办结率 ...: within [0, 1]; None when there is nothing to divide by."""
    for s in year.report.sections():
        for e in s.entries:
            values = e.value.as_dict().values() if isinstance(e.value, Breakdown) else [e.value]
            if e.unit == "%":
                for v in values:
                    assert v is None or (isinstance(v, float) and 0 <= v <= 1), (s.key, e.key)
    empty = year.office.reports.annual(YEAR - 1)
    assert empty.supervision.on_time_rate is None  # nothing closed out in 2024
    assert empty.meetings.attendance_rate is None


def test_the_proposal_figures_agree_with_proposal_figures(year: Generated) -> None:
    """[000 范文2 一] the report counts proposals as ``proposal_figures`` does."""
    events = [e for _, e in year.events]
    f = proposal_figures(events, year=YEAR)
    p = year.report.proposals
    assert p.submitted == f.submitted and p.replied == f.replied and p.rated == f.rated
    assert p.by_kind.nonzero() == {k.value: v for k, v in f.by_kind.items()}
    assert p.by_field.nonzero() == {k.value: v for k, v in f.by_field.items()}
    assert p.reply_rate == pytest.approx(f.reply_rate)
    assert p.satisfaction_rate == pytest.approx(f.satisfaction_rate)
    assert p.on_time_rate == pytest.approx(f.on_time_rate)
    assert p.result_shares.nonzero() == pytest.approx(f.result_shares)
    assert p.urges_by_channel.nonzero() == {c.value: n for c, n in f.urges_by_channel.items()}


def test_a_view_rebuilt_from_nothing_gives_the_same_report(year: Generated) -> None:
    """The annual figures are a projection: replaying the whole log gives the same report."""
    year.office.views.rebuild()
    assert year.office.reports.annual(YEAR) == year.report


def test_a_year_without_events_has_no_report(year: Generated) -> None:
    """A year with nothing recorded is refused with a clear error naming the years there are."""
    with pytest.raises(NoEventsInYear) as refused:
        year.office.reports.annual(2019)
    assert refused.value.years == (2024, 2025, 2026)
    assert "2019 年没有任何办公记录" in str(refused.value)


# --- the renderings ---------------------------------------------------------------------------


def test_json_and_csv_carry_the_figures_of_the_report(year: Generated) -> None:
    """JSON and CSV read back give every figure of the report, and nothing else."""
    report = year.report
    document = json.loads(render(report, "json"))
    assert document["year"] == YEAR and document["headline"] == list(report.headline)
    from_json: dict[tuple[str, str, str], Any] = {}
    for section in document["sections"]:
        for f in section["figures"]:
            if "breakdown" in f:
                for b in f["breakdown"]:
                    from_json[section["key"], f["key"], b["code"]] = b["value"]
            elif "table" in f:
                keys = [c["key"] for c in f["table"]["columns"]]
                for row in f["table"]["rows"]:
                    for k, v in zip(keys, row, strict=True):
                        from_json[section["key"], f["key"], f"{row[0]}.{k}"] = v
                for k, v in zip(keys, f["table"]["total"], strict=True):
                    from_json[section["key"], f["key"], f"total.{k}"] = v
            else:
                from_json[section["key"], f["key"], ""] = f["value"]
    text = render(report, "csv")
    assert text.startswith("\ufeff")  # Excel and WPS read UTF-8 by its byte-order mark
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(CSV_HEADER)
    from_csv = {(a, b, c): v for *_, v, _unit, _shown, a, b, c in rows[1:] if a != "report"}
    expected = {(s.key, e.key, dim): value for s, e, dim, value in figures(report)}
    assert from_json.keys() == from_csv.keys() == expected.keys()
    for key, value in expected.items():
        if isinstance(value, Decimal):
            assert Decimal(str(from_json[key])) == Decimal(from_csv[key]) == value, key
        elif isinstance(value, float):
            assert from_json[key] == float(from_csv[key]) == value, key
        elif value is None:
            assert from_json[key] is None and from_csv[key] == "", key
        else:
            assert from_json[key] == value and from_csv[key] == str(value), key
    assert ["报告", "年度", "", str(YEAR), "", str(YEAR), "report", "year", ""] in rows


def test_markdown_and_html_show_the_key_figures(year: Generated) -> None:
    """The headline figures — counts, 办复率、满意率, the 执行情况 table — in md and html."""
    r = year.report
    md, page = render(r, "md"), render(r, "html")
    for sentence in r.headline:
        assert sentence in md and sentence in page
    p, s, m = r.proposals, r.supervision, r.meetings
    assert f"| 发文(登记编号) | {r.outgoing.issued} | 件 |" in md
    assert f"| 办复率 | {percent(p.reply_rate)} |  |" in md
    assert f"| 按期办结率 | {percent(s.on_time_rate)} |  |" in md
    assert f"| 会议费支出合计 | {amount(m.spending)} | 元 |" in md
    assert f"| 信息得分合计 | {amount(r.information.score)} | 分 |" in md
    assert "| 序号 | 主办处室 | 会议名称 | 主要内容 | 类别 | 时间 | 地点 | 参会人员范围 |" in md
    first = m.execution_table.rows[0]
    assert f"| 1 | {first.unit} | {first.name} |" in md
    for label, value in (
        ("办复率", percent(p.reply_rate)),
        ("满意率", percent(p.satisfaction_rate)),
    ):
        assert f'<td>{label}</td><td class="n">{value}</td>' in page
    assert f"<td>{first.name}</td>" in page and "年度会议执行情况" in page


def test_the_html_report_is_one_self_contained_page_with_charts(year: Generated) -> None:
    """Opens in a browser as one file: inline style and SVG charts, no script, nothing fetched."""
    page = render(year.report, "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and page.count("<svg") >= 10
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page and "src=" not in page
    assert page.count("<section") == len(year.report.sections())


def test_an_unknown_format_is_refused(year: Generated) -> None:
    """Only md, html, json and csv are written; anything else is a clear refusal."""
    with pytest.raises(InvalidInput):
        render(year.report, "pdf")


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AnnualReport]]:
    """A smaller year on an SQLite file, and its report made in process."""
    path = tmp_path_factory.mktemp("report") / "office.db"
    url = f"sqlite:///{path}"
    office = open_office(url, clock=SettableClock(START))
    try:
        standard_agency(office, START)
        Year(office, seed=7, scale=0.25).plan_and_run()
        report = office.reports.annual(YEAR)
    finally:
        office.close()
    yield url, report


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_report_annual_writes_each_format_from_a_sqlite_store(
    sqlite_store: tuple[str, AnnualReport], tmp_path: Path, fmt: str
) -> None:
    """`govoffice report annual --year Y --format F --out FILE` writes the year's report."""
    url, report = sqlite_store
    out = tmp_path / f"report.{fmt}"
    code, text = run(
        "report", "annual", "--year", str(YEAR), "--format", fmt, "--out", str(out), "--store", url
    )
    assert code == 0, text
    assert out.read_bytes().decode("utf-8") == render(report, fmt)  # CSV keeps its CRLF
    assert str(out) in text.replace("\n", "")


def test_report_annual_prints_markdown_by_default(sqlite_store: tuple[str, AnnualReport]) -> None:
    """Without --out the report goes to standard output, in Markdown unless told otherwise."""
    url, report = sqlite_store
    code, text = run("report", "annual", "--year", str(YEAR), "--store", url)
    assert code == 0, text
    assert text == render(report, "md")


def test_report_annual_for_a_year_without_events_is_a_clear_error(
    sqlite_store: tuple[str, AnnualReport],
) -> None:
    """Exit status 2 and one clear line, no traceback."""
    url, _ = sqlite_store
    code, text = run("report", "annual", "--year", "2019", "--store", url)
    assert code == 2
    assert "NoEventsInYear" in text and "2019" in text
    assert "Traceback" not in text


def test_report_annual_on_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    """A report never creates an empty store by mistake: a missing file is an error."""
    missing = tmp_path / "nowhere.db"
    code, text = run("report", "annual", "--year", str(YEAR), "--store", f"sqlite:///{missing}")
    assert code == 2
    assert "StoreNotFound" in text and "Traceback" not in text
    assert not missing.exists()


def test_every_kind_of_record_counts_as_activity_of_its_year() -> None:
    """Whether a year has anything to report is judged on the events of every kind of record."""
    import importlib
    import pkgutil

    import govoffice.domain
    from govoffice.application.reports import AGGREGATES
    from govoffice.domain.base import OfficeAggregate

    for module in pkgutil.iter_modules(govoffice.domain.__path__):
        importlib.import_module(f"govoffice.domain.{module.name}")
    kinds: set[type] = set()
    todo: list[type] = [OfficeAggregate]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("govoffice.domain."):
                kinds.add(sub)
    assert kinds == set(AGGREGATES)
