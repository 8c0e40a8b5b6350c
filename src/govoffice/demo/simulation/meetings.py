"""会议 in the simulated year: the annual meeting plan collected, endorsed and approved in
December; the meetings held under it; unplanned requests, countersigned and approved (or
refused over the limits); agenda, notice, leave, seating, sign-in, minutes, decided items,
costs, evaluation and archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from govoffice.demo.bureau import BUSINESS, LEADERS
from govoffice.demo.simulation.records import TOPICS, _Meeting
from govoffice.demo.simulation.supervision import _SupervisionSteps
from govoffice.demo.simulation.timeline import CLOSE, OPEN, VOLUME, P
from govoffice.domain.errors import GovOfficeError
from govoffice.domain.meeting import MeetingKind, MeetingPlanStatus
from govoffice.domain.meeting_rules import MeetingForm

PRINCIPAL_KINDS = {
    MeetingKind.JOINT,
    MeetingKind.ANNUAL,
    MeetingKind.PARTY_GROUP,
    MeetingKind.SYSTEM,
    MeetingKind.COMMENDATION,
}

AGENDA_KINDS = {
    MeetingKind.OFFICE,
    MeetingKind.JOINT,
    MeetingKind.PARTY_GROUP,
    MeetingKind.TOPIC,
    MeetingKind.MONTHLY,
}

MINUTES_KINDS = {MeetingKind.OFFICE, MeetingKind.JOINT, MeetingKind.ANNUAL}

ROSTRUM_KINDS = {
    MeetingKind.MONTHLY,
    MeetingKind.QUARTERLY,
    MeetingKind.SYSTEM,
    MeetingKind.ANNUAL,
    MeetingKind.COMMENDATION,
    MeetingKind.JOINT,
}


class _MeetingSteps(_SupervisionSteps):
    """会议: the annual plan, the meetings held under it, unplanned requests."""

    # --- the annual meeting plan and the meetings ---------------------------------------------

    def plan_rows(self) -> list[_Meeting]:
        """The year's planned meetings, one per row, each on a working day (from the third
        week of the walk, so there is time to plan them)."""
        rows: list[_Meeting] = []
        earliest = max(self.first, 18)
        rng = self.rng

        def on(month: int, day: int) -> int | None:
            i = self.after(date(self.year, month, day) - timedelta(days=1))
            return i if i is not None and i >= earliest else None

        heads = sorted(self.heads.values())

        def add(
            kind: MeetingKind,
            organiser: str,
            title: str,
            di: int | None,
            invitees: Sequence[str],
            *,
            minute: int = 9 * 60,
            days: str = "1",
            cost: float = 0.0,
            form: MeetingForm = MeetingForm.IN_PERSON,
            extra: int = 3,
        ) -> None:
            if di is None:
                return
            people = list(dict.fromkeys(invitees))
            participants = len(people) + extra
            length = Decimal(days)
            budget = int(550 * participants * length * Decimal(str(cost))) // 100 * 100
            rows.append(
                _Meeting(
                    kind=kind,
                    organiser=organiser,
                    title=title,
                    day=di,
                    minute=minute,
                    chair="",
                    delegated_by=None,
                    participants=participants,
                    days=length,
                    budget=budget,
                    form=form,
                    invitees=people,
                    planned=True,
                )
            )

        leaders = list(LEADERS)
        for month in range(1, 13):
            add(
                MeetingKind.OFFICE,
                "office",
                f"{month}月局长办公会议",
                on(month, 10),
                [*leaders, P.office_head, *rng.sample(heads, 6)],
                minute=14 * 60 + 30,
            )
            add(
                MeetingKind.MONTHLY,
                "office",
                f"{month}月机关工作例会",
                on(month, 3),
                [*leaders, *heads],
                cost=0.1,
            )
            add(
                MeetingKind.PARTY_GROUP,
                "party",
                f"{month}月党组会议",
                on(month, 6),
                [*leaders, P.party_head],
            )
        for month in (3, 6, 9, 12):
            add(
                MeetingKind.JOINT,
                "office",
                f"{month // 3}季度党政联席会议",
                on(month, 20),
                [*leaders, P.party_head, P.office_head, P.discipline_head],
            )
        for quarter, month in enumerate((1, 4, 7, 10), start=1):
            add(
                MeetingKind.QUARTERLY,
                "office",
                f"第{quarter}季度例会",
                on(month, 15),
                [*leaders, *heads],
                cost=0.2,
            )
        add(
            MeetingKind.ANNUAL,
            "office",
            "年度工作会议",
            on(1, 15),
            [*leaders, *heads, *sorted(self.people)[:60]],
            cost=0.5,
            extra=5,
        )
        for month in (1, 7):
            add(
                MeetingKind.SYSTEM,
                "office",
                f"{'上' if month == 7 else '下'}半年系统工作会议",
                on(month, 22),
                [*leaders, *heads, *rng.sample(sorted(self.people), 15)],
                cost=0.4,
            )
        add(
            MeetingKind.COMMENDATION,
            "personnel",
            "年度总结表彰大会",
            on(2, 6),
            [*leaders, *heads, *rng.sample(sorted(self.people), 12)],
            minute=15 * 60,
            cost=0.3,
        )
        week = earliest
        while week < len(self.days):
            monday = self.days[week]
            nxt = self.after(monday + timedelta(days=6 - monday.weekday()))
            if self.scale < 1 and rng.random() > self.scale:  # fewer at a small scale
                week = nxt if nxt is not None else len(self.days)
                continue
            add(
                MeetingKind.WEEKLY,
                "office",
                f"{monday.month}月{monday.day}日周例会",
                week,
                [*leaders[:3], P.office_head, *rng.sample(heads, 4)],
                minute=9 * 60 + 30,
                extra=1,
            )
            if nxt is None:
                break
            week = nxt
        for kind, key, form, length in (
            (MeetingKind.TOPIC, "topic_rows", MeetingForm.IN_PERSON, "1"),
            (MeetingKind.VIDEO, "video_rows", MeetingForm.VIDEO, "0.5"),
        ):
            for _ in range(round(VOLUME[key] * self.scale)):
                unit = rng.choice(BUSINESS)
                if len(self.days) - 3 <= earliest:
                    break
                di = rng.randint(earliest, len(self.days) - 3)
                people = [self.heads[unit], *self.staff[unit][:3]]
                people += rng.sample([self.heads[u] for u in BUSINESS if u != unit], 3)
                add(
                    kind,
                    unit,
                    f"{rng.choice(TOPICS)}{'视频' if form is MeetingForm.VIDEO else '专题'}会议",
                    di,
                    [self.leader_of[unit], *people],
                    minute=rng.choice([9 * 60, 14 * 60 + 30]),
                    days=length,
                    cost=0.3 if form is MeetingForm.IN_PERSON else 0.1,
                    form=form,
                )
        rows.sort(key=lambda r: (r.day, r.minute))
        self.counts["meetings.plan_rows"] += len(rows)
        return rows

    def choose_chair(self, r: _Meeting) -> None:
        """The chair the kind allows, not away that day; leaders away are not invited."""
        present = [x for x in LEADERS if not self.is_away(x, r.day)]
        if r.kind in PRINCIPAL_KINDS:
            r.chair = P.principal
        elif r.kind in (MeetingKind.OFFICE, MeetingKind.MONTHLY):
            if P.principal in present:
                r.chair = P.principal
            else:
                r.chair, r.delegated_by = present[0], P.principal
        else:
            supervisor = self.leader_of.get(r.organiser, P.principal)
            r.chair = supervisor if supervisor in present else present[0]
        r.invitees = [
            p for p in r.invitees if p not in LEADERS or p in present or p == r.delegated_by
        ]
        if r.delegated_by is not None and r.delegated_by in r.invitees:
            r.invitees.remove(r.delegated_by)
        if r.chair not in r.invitees:
            r.invitees.insert(0, r.chair)

    def plan_collect(self, rows: list[_Meeting]) -> None:
        """征集、提出、同意、审核、审定 the year's meeting plan."""
        m = self.o.meetings
        try:
            status: MeetingPlanStatus | None = m.plan_for(self.year).status
        except GovOfficeError:
            status = None
        if status is None:
            m.open_plan(year=self.year, by=P.secretary, at=self.when)
        elif status is MeetingPlanStatus.REVIEWED:
            m.approve_plan(year=self.year, by=P.principal, at=self.when)
            status = MeetingPlanStatus.APPROVED
        if status is MeetingPlanStatus.APPROVED:
            m.reopen_plan(
                year=self.year, reason="补充本年度会议计划", by=P.office_head, at=self.when
            )
        due = date(self.year - 1, 12, 10)
        for k, r in enumerate(rows):
            when = (min(k // 25, 4), 9 * 60 + (k % 25) * 15)
            self.at(when, self.plan_row, r, self.days[when[0]] > due)
        self.at((5, 9 * 60), self.plan_endorse, rows)

    def plan_row(self, r: _Meeting, late: bool) -> None:
        r.serial = self.o.meetings.submit_plan_row(
            year=self.year,
            organiser=r.organiser,
            name=r.title,
            content=f"研究部署{self.rng.choice(TOPICS)}等工作",
            kind=r.kind,
            planned_date=self.days[r.day],
            place="局视频会议室" if r.form is MeetingForm.VIDEO else "局三楼会议室",
            participant_scope="局领导、有关处室负责人",
            days=r.days,
            participants=r.participants,
            budget_10k=Decimal(r.budget) / 10000,
            form=r.form,
            attending_leaders=[x for x in r.invitees if x in LEADERS],
            late_reason="系统上线,补录本年度会议计划" if late else "",
            by=self.heads[r.organiser],
            at=self.when,
        )

    def plan_endorse(self, rows: list[_Meeting]) -> None:
        m = self.o.meetings
        for r in rows:
            leader = self.leader_of.get(r.organiser, P.principal)
            by, for_ = self.acting(leader)
            m.endorse_plan_row(
                year=self.year,
                serial=r.serial,  # type: ignore[arg-type]
                by=by,
                on_behalf_of=for_,
                at=self.when,
            )
        self.at((8, 10 * 60), self.plan_approve, rows)

    def plan_approve(self, rows: list[_Meeting]) -> None:
        m = self.o.meetings
        m.review_plan(year=self.year, by=P.office_head, opinion="经审核,同意报审", at=self.when)
        over = [r for r in rows if r.participants > 50]
        if over:
            self.refused(
                "审定含超标准会议的年度计划",
                lambda: m.approve_plan(year=self.year, by=P.principal, at=self.when),
            )
        for r in over:
            m.approve_plan_limit_exception(
                year=self.year,
                serial=r.serial,  # type: ignore[arg-type]
                reason="全局年度工作会议需全体干部参加",
                by=P.principal,
                at=self.when,
            )
            self.counts["meetings.exceptions"] += 1
        m.approve_plan(year=self.year, by=P.principal, at=self.when)
        for r in rows:
            first = max(self.now[0] + 1, r.day - self.rng.randint(6, 10))
            if first < r.day:
                self.at((first, 10 * 60), self.meeting_schedule, r)

    def meeting_schedule(self, r: _Meeting) -> None:
        r.id = self.o.meetings.schedule(
            year=self.year,
            serial=r.serial,  # type: ignore[arg-type]
            starts_at=self.dt((r.day, r.minute)),
            chair=r.chair,
            delegated_by=r.delegated_by,
            by=self.reviewer(),
            at=self.when,
        )
        self.counts["meetings.scheduled"] += 1
        self.meeting_prepare(r)

    def meeting_request(self) -> None:
        """计划外会议签报: a unit asks for a topic or video meeting outside the plan."""
        rng = self.rng
        unit = rng.choice(BUSINESS)
        di = self.now[0] + rng.randint(9, 16)
        if di >= len(self.days):
            return
        video = rng.random() < 0.25
        present = [x for x in LEADERS if not self.is_away(x, di)]
        supervisor = self.leader_of[unit]
        chair = supervisor if supervisor in present else present[0]
        over = rng.random() < 0.15
        people = [chair, self.heads[unit], *self.staff[unit][:3]]
        people += rng.sample([self.heads[u] for u in BUSINESS if u != unit], rng.randint(2, 6))
        big = over and rng.random() < 0.6  # over the headcount, else over the days
        participants = rng.randint(60, 80) if big else len(people) + 5
        length = Decimal("0.5") if video else Decimal(1)
        if over and not big:
            length *= 2
        budget = int(550 * participants * length * Decimal("0.4")) // 100 * 100
        r = _Meeting(
            kind=MeetingKind.VIDEO if video else MeetingKind.TOPIC,
            organiser=unit,
            title=f"{rng.choice(TOPICS)}{'视频' if video else '专题'}会议",
            day=di,
            minute=rng.choice([9 * 60, 14 * 60 + 30]),
            chair=chair,
            delegated_by=None,
            participants=participants,
            days=length,
            budget=budget,
            form=MeetingForm.VIDEO if video else MeetingForm.IN_PERSON,
            invitees=list(dict.fromkeys(people)),
            planned=False,
        )
        r.id = self.o.meetings.request(
            kind=r.kind,
            title=r.title,
            content="研究有关工作",
            reason="工作需要,未列入年度计划",
            organiser=unit,
            starts_at=self.dt((di, r.minute)),
            place="局视频会议室" if video else "局二楼会议室",
            participant_scope="有关处室负责人及业务骨干",
            participants=participants,
            days=length,
            budget=budget,
            funding_source=f"{unit}业务经费",
            chair=chair,
            form=r.form,
            by=self.heads[unit],
            at=self.when,
        )
        self.counts["meetings.requested"] += 1
        self.counts["meetings.over_limits"] += over
        last = self.now
        for party in self.countersigners(r):
            when = self.hours(1, 10)
            if when is None:
                return
            last = max(last, when)
            self.at(when, self.meeting_countersign, r, party)
        self.at(self.hours(1, 6, last), self.meeting_approve, r, over)

    def countersigners(self, r: _Meeting) -> list[str]:
        parties = [u for u in ("office", "finance") if u != r.organiser]
        if not r.planned:
            parties.append(self.leader_of.get(r.organiser, P.principal))
        return parties

    def meeting_countersign(self, r: _Meeting, party: str) -> None:
        if party in LEADERS:
            by, for_ = self.acting(party)
        else:
            by, for_ = self.heads[party], None
        self.o.meetings.countersign(
            r.id, party=party, by=by, on_behalf_of=for_, opinion="同意", at=self.when
        )

    def meeting_approve(self, r: _Meeting, over: bool) -> None:
        m = self.o.meetings
        by, for_ = self.acting(P.principal)
        if over:
            self.refused(
                "审批超出会议标准的签报",
                lambda: m.approve(r.id, by=by, on_behalf_of=for_, at=self.when),
            )
            if self.rng.random() < 0.4:
                m.approve_limit_exception(
                    r.id, reason="全系统业务培训确需", by=by, on_behalf_of=for_, at=self.when
                )
                self.counts["meetings.exceptions"] += 1
            else:
                m.reject(
                    r.id, reason="超出会议标准,请压缩规模", by=by, on_behalf_of=for_, at=self.when
                )
                self.counts["meetings.rejected"] += 1
                return
        elif self.rng.random() < 0.1:
            m.reject(r.id, reason="可并入例会研究", by=by, on_behalf_of=for_, at=self.when)
            self.counts["meetings.rejected"] += 1
            return
        m.approve(r.id, by=by, on_behalf_of=for_, at=self.when)
        r.participants = min(r.participants, 200)
        self.meeting_prepare(r)

    def meeting_prepare(self, r: _Meeting) -> None:
        """Agenda, notice, countersigning, answers and leave, seating, up to the day."""
        m, rng = self.o.meetings, self.rng
        r.approver = str(m.get(r.id).leave_approver)
        if rng.random() < 0.04 and not r.planned:
            self.at(self.hours(1, 4), self.meeting_cancel, r)
            return
        due = self.on_or_before(self.days[r.day] - timedelta(days=2))
        if due is None or due <= self.now[0] or r.day - self.now[0] < 3:
            due = None
        if r.kind in AGENDA_KINDS and due is not None:
            for k in range(rng.randint(1, 3)):
                unit = r.organiser if k == 0 else rng.choice(BUSINESS)
                ok = k == 0 or rng.random() < 0.9
                when = (rng.randint(self.now[0], due), rng.randint(10 * 60, 12 * 60))
                self.at(when, self.meeting_item, r, unit, ok, due)
            agenda_day = due + 1 if due + 1 < r.day else r.day
            minute = 10 * 60 if agenda_day < r.day else r.minute - 30
            self.at((agenda_day, minute), self.meeting_agenda, r)
        self.at(self.hours(0.5, 2), self.meeting_notice, r)

    def meeting_item(self, r: _Meeting, unit: str, with_materials: bool, due: int) -> None:
        m = self.o.meetings
        head = self.heads[unit]
        key = m.propose_agenda_item(
            r.id, title=f"关于{self.rng.choice(TOPICS)}的议题", unit=unit, by=head, at=self.when
        )
        r.items.append((key, unit, with_materials))
        if with_materials:
            lo = max(self.now[1] if due == self.now[0] else 0, 13 * 60)
            self.at(
                (due, self.rng.randint(lo, max(lo, 17 * 60))), self.meeting_materials, r, key, unit
            )

    def meeting_materials(self, r: _Meeting, key: str, unit: str) -> None:
        self.o.meetings.submit_materials(
            r.id, item=key, materials=["议题说明", "有关材料"], by=self.of_unit(unit), at=self.when
        )

    def meeting_agenda(self, r: _Meeting) -> None:
        m = self.o.meetings
        ready = [k for k, _, ok in r.items if ok]
        missing = [k for k, _, ok in r.items if not ok]
        by, for_ = self.acting(r.chair)
        if missing and self.rng.random() < 0.3:
            self.refused(
                "把材料未到的议题列入议程",
                lambda: m.set_agenda(
                    r.id, items=[*ready, *missing], by=by, on_behalf_of=for_, at=self.when
                ),
            )
        if ready:
            m.set_agenda(r.id, items=ready, by=by, on_behalf_of=for_, at=self.when)

    def meeting_cancel(self, r: _Meeting) -> None:
        self.o.meetings.cancel(r.id, reason="与例会内容重复,取消", by=P.office_head, at=self.when)
        self.counts["meetings.cancelled"] += 1

    def meeting_notice(self, r: _Meeting) -> None:
        m = self.o.meetings
        people = r.invitees[: r.participants]
        r.invitees = people
        m.draft_notice(
            r.id,
            invitees=people,
            contact="办公室 0000-12345678",
            notes="请提前10分钟到场签到",
            by=self.of_unit(r.organiser),
            at=self.when,
        )
        last = self.now
        if self.rng.random() < 0.03:
            signer = P.principal if not r.planned else self.leader_of.get(r.organiser, P.principal)
            by, for_ = self.acting(signer)
            self.refused(
                "未经会签即签批会议通知",
                lambda: m.issue_notice(r.id, by=by, on_behalf_of=for_, at=self.when),
            )
        for party in self.countersigners(r):
            when = self.hours(0.5, 4)
            if when is None or when[0] >= r.day:
                return
            last = max(last, when)
            self.at(when, self.meeting_countersign, r, party)
        self.at(self.hours(0.5, 2, last), self.meeting_issue, r)

    def meeting_issue(self, r: _Meeting) -> None:
        if self.now[0] >= r.day:
            return  # too late to notify: the meeting does not take place
        signer = P.principal if not r.planned else self.leader_of.get(r.organiser, P.principal)
        by, for_ = self.acting(signer)
        self.o.meetings.issue_notice(r.id, by=by, on_behalf_of=for_, at=self.when)
        rng = self.rng
        answer_until = r.day - 2
        for person in r.invitees:
            if person == r.chair:
                continue
            declines = person not in LEADERS and person != r.approver and rng.random() < 0.06
            if declines and answer_until > self.now[0]:
                substitute = None
                unit = self.people[person].unit
                used = set(r.leave.values())
                spare = [s for s in self.staff[unit] if s not in r.invitees and s not in used]
                if spare and rng.random() < 0.4:
                    substitute = rng.choice(spare)
                when = (rng.randint(self.now[0] + 1, answer_until), rng.randint(OPEN, 15 * 60))
                r.leave[person] = substitute
                self.at(when, self.meeting_leave, r, person, substitute)
            elif rng.random() < 0.4 and r.day - 1 > self.now[0]:
                when = (rng.randint(self.now[0] + 1, r.day - 1), rng.randint(OPEN, CLOSE))
                self.at(when, self.meeting_answer, r, person)
        hosts = [x for x in LEADERS if x in r.invitees]
        if r.kind in ROSTRUM_KINDS and len(hosts) >= 2 and r.day - 1 > self.now[0]:
            self.at((r.day - 1, 16 * 60 + 30), self.meeting_seating, r, hosts)
        for person in r.invitees:
            self.at((r.day, r.minute - 25), self.meeting_sign_in, r, person)
        duration = 180 if r.days < 1 else (60 if r.kind is MeetingKind.WEEKLY else 150)
        self.at((r.day, min(r.minute + duration, CLOSE)), self.meeting_hold, r)

    def meeting_answer(self, r: _Meeting, person: str) -> None:
        self.o.meetings.answer(r.id, attend=True, by=person, at=self.when)

    def meeting_leave(self, r: _Meeting, person: str, substitute: str | None) -> None:
        m = self.o.meetings
        m.answer(
            r.id,
            attend=False,
            reason="另有公务",
            substitute=substitute,
            by=person,
            at=self.when,
        )
        self.counts["meetings.leave"] += 1
        self.at(self.hours(0.3, 1.5), self.meeting_leave_decision, r, person)

    def meeting_leave_decision(self, r: _Meeting, person: str) -> None:
        m = self.o.meetings
        by, for_ = self.acting(r.approver)
        if self.rng.random() < 0.1:
            m.refuse_leave(
                r.id,
                person=person,
                opinion="会议重要,请准时参加",
                by=by,
                on_behalf_of=for_,
                at=self.when,
            )
            r.leave.pop(person, None)
        else:
            m.grant_leave(r.id, person=person, by=by, on_behalf_of=for_, at=self.when)

    def meeting_seating(self, r: _Meeting, hosts: list[str]) -> None:
        m = self.o.meetings
        by = self.of_unit(r.organiser)
        m.arrange_seating(r.id, hosts=hosts, by=by, at=self.when)
        if len(hosts) >= 3 and self.rng.random() < 0.1:
            m.swap_seats(
                r.id,
                a=hosts[1],
                b=hosts[2],
                reason="临时调整",
                by=by,
                at=self.when,
            )

    def meeting_sign_in(self, r: _Meeting, person: str) -> None:
        rng = self.rng
        if person in r.leave:
            substitute = r.leave[person]
            if substitute is None:
                return
            person = substitute
        elif person != r.chair and rng.random() < 0.02:
            return  # absent
        late = rng.random() < 0.05 and person != r.chair
        minute = r.minute + (rng.randint(3, 15) if late else -rng.randint(0, 20))
        self.at((r.day, minute), self.meeting_signed_in, r, person)

    def meeting_signed_in(self, r: _Meeting, person: str) -> None:
        self.o.meetings.sign_in(r.id, by=person, at=self.when)
        r.signed_in.append(person)
        if person in r.invitees:
            r.in_person.append(person)

    def meeting_hold(self, r: _Meeting) -> None:
        m, rng = self.o.meetings, self.rng
        by = self.of_unit(r.organiser)
        m.hold(r.id, by=by, at=self.when)
        self.counts["meetings.held"] += 1
        early = [rng.choice(r.in_person)] if r.in_person and rng.random() < 0.05 else []
        early = [p for p in early if p != r.chair]
        m.record_attendance(r.id, by=by, left_early=early, at=self.when)
        minutes = r.kind in MINUTES_KINDS or (bool(r.items) and rng.random() < 0.6)
        if minutes:
            self.at(self.days_later(1, 1, start=9 * 60 + 30, end=11 * 60), self.meeting_minutes, r)
        else:
            self.at(self.days_later(1, 4), self.meeting_archive, r)
        if r.budget > 0 and r.signed_in:
            self.at(self.days_later(2, 4), self.meeting_settle, r)
        if rng.random() < 0.3:
            self.at(self.days_later(2, 5), self.meeting_evaluate, r)

    def meeting_minutes(self, r: _Meeting) -> None:
        m = self.o.meetings
        by = self.of_unit(r.organiser) if r.organiser != "office" else self.reviewer()
        m.draft_minutes(r.id, text=f"{r.title}纪要:会议研究了有关事项……", by=by, at=self.when)
        agenda = m.get(r.id).agenda
        t = self.when
        if agenda and self.rng.random() < 0.02:
            self.refused(
                "把未列入议程的事项记为议定事项",
                lambda: m.record_decision(
                    r.id,
                    agenda_item="99",
                    content="临时动议",
                    responsible_unit="biz1",
                    deadline=t.date() + timedelta(days=30),
                    by=by,
                    at=t,
                ),
            )
        units_of = {k: u for k, u, _ in r.items}
        for key in agenda:
            if self.rng.random() < 0.7:
                unit = units_of.get(key, r.organiser)
                m.record_decision(
                    r.id,
                    agenda_item=key,
                    content=f"由{unit}牵头落实",
                    responsible_unit=unit,
                    deadline=t.date() + timedelta(days=self.rng.randint(15, 60)),
                    by=by,
                    at=t,
                )
                r.decisions += 1
        self.at(self.hours(1, 6), self.meeting_sign_minutes, r)

    def meeting_sign_minutes(self, r: _Meeting) -> None:
        m = self.o.meetings
        by, for_ = self.acting(r.chair)
        m.sign_minutes(r.id, by=by, on_behalf_of=for_, at=self.when)
        reviewer = self.reviewer()
        m.number_minutes(r.id, by=reviewer, at=self.when)
        m.distribute_minutes(r.id, by=reviewer, at=self.when)
        self.counts["meetings.minutes"] += 1
        if r.decisions:
            self.at(self.hours(1, 8), self.meeting_tasks, r)
        self.at(self.days_later(1, 3), self.meeting_archive, r)

    def meeting_tasks(self, r: _Meeting) -> None:
        sv = self.o.supervision
        tasks = self.o.meetings.open_decided_item_tasks(r.id, by=self.officer(), at=self.when)
        for task_id in tasks.values():
            self.counts["tasks.opened"] += 1
            task = sv.get(task_id)
            self.task_plan(task_id, task.lead_unit, task.deadline)

    def meeting_settle(self, r: _Meeting) -> None:
        m = self.o.meetings
        people = len(r.signed_in)
        cap = min(Decimal(r.budget), Decimal(550) * people * r.days)
        venue = int(cap * Decimal("0.5"))
        printing = int(cap * Decimal("0.2"))
        by = self.of_unit(r.organiser)
        if self.rng.random() < 0.02:
            self.refused(
                "以现金结算会议费",
                lambda: m.settle_costs(r.id, payment="cash", venue=venue, by=by, at=self.when),
            )
        m.settle_costs(
            r.id,
            payment=self.rng.choice(["bank_transfer", "official_card"]),
            venue=venue,
            printing=printing,
            by=by,
            at=self.when,
        )

    def meeting_evaluate(self, r: _Meeting) -> None:
        self.o.meetings.evaluate(
            r.id,
            preparation="准备充分",
            agenda="议程紧凑",
            problems_solved="研究解决了有关问题",
            consensus="形成共识",
            results="议定事项已交办",
            by=self.heads[r.organiser],
            at=self.when,
        )

    def meeting_archive(self, r: _Meeting) -> None:
        m = self.o.meetings
        due = m.archive_due(r.id)
        late = due is not None and self.day > due
        m.archive(
            r.id,
            materials=["会议通知", "签到表", "会议记录", *(["会议纪要"] if r.decisions else [])],
            late_reason="纪要签发耗时较长" if late else "",
            by=P.archivist,
            at=self.when,
        )
        self.counts["meetings.archived"] += 1
