"""建议提案 in the simulated year: the spring batch of proposals, assigned (some disputed),
answered with the co-units' opinions, reviewed, sent, rated, followed up and closed; a few
assigned in parts to two lead units (分办, ADR 0050), each part answered on its own.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from govoffice.demo.bureau import BUSINESS
from govoffice.demo.simulation.records import TOPICS, _Proposal
from govoffice.demo.simulation.supervision import _SupervisionSteps
from govoffice.demo.simulation.timeline import OPEN, VOLUME, P
from govoffice.domain.proposal import (
    Field,
    ProposalKind,
    ProposalStatus,
    ProposalUrgeChannel,
    Rating,
    check_sheet,
)

SPLIT_SHARE = 0.1
"""The share of items assigned in parts (分办) to two lead units."""

PROPOSERS = ("马玉英", "张代表", "李委员", "王委员", "赵代表", "刘委员", "陈代表", "黄委员")


class _ProposalSteps(_SupervisionSteps):
    """建议提案: the spring batch of proposals, assigned, answered, rated, closed."""

    # --- proposals (建议提案) ------------------------------------------------------------------

    def proposal_batch(self) -> None:
        """The spring batch: registered after the sessions (两会), assigned at one meeting."""
        start = self.after(date(self.year, 3, 9))
        if start is None:
            return
        start = max(start, self.first + 3)
        count = round(VOLUME["proposals"] * self.scale)
        span = 12
        for k in range(count):
            di = start + (k * span) // max(1, count)
            if di < len(self.days):
                self.at((di, OPEN + (k % 30) * 10), self.proposal_submit, start + span + 2)

    def proposal_submit(self, assign_day: int) -> None:
        rng = self.rng
        kind = rng.choice(list(ProposalKind))
        proposers = rng.sample(PROPOSERS, rng.choice([1, 1, 1, 2, 3]))
        pid = self.o.proposals.submit(
            kind=kind,
            field=rng.choice(list(Field)),
            proposers=proposers,
            title=f"关于加强{rng.choice(TOPICS)}的建议",
            content="建议……",
            session=f"{self.year}年人代会、政协会",
            by=P.secretary,
            at=self.when,
        )
        self.counts["proposals.submitted"] += 1
        lead = rng.choice(BUSINESS)
        co = rng.sample([u for u in BUSINESS if u != lead], rng.choice([0, 0, 1]))
        if rng.random() < SPLIT_SHARE:  # 分办: two lead units, each answering its part
            self.at((max(assign_day, self.now[0] + 1), 14 * 60 + 30), self.split_assign, pid)
            return
        p = _Proposal(
            pid,
            proposers,
            lead,
            co,
            {
                "dispute": rng.random() < 0.08,
                "extend": rng.random() < 0.12,
                "stuck": rng.random() < 0.05,
                "days": rng.randint(20, 70),
            },
        )
        if assign_day < len(self.days):
            self.at((max(assign_day, self.now[0] + 1), 14 * 60), self.proposal_assign, p)

    def proposal_assign(self, p: _Proposal) -> None:
        p.due = self.o.proposals.assign(
            p.id,
            lead_unit=p.lead,
            co_units=p.co,
            secretary=P.secretary,
            meeting="建议提案交办会",
            by=P.supervision_officer,
            at=self.when,
        )
        if self.rng.random() < 0.08:
            self.at(self.hours(1, 8), self.task_from_proposal, p)
        self.proposal_next(p, "dispute" if p.plan["dispute"] else None)

    def proposal_next(self, p: _Proposal, first: str | None) -> None:
        if first == "dispute":
            self.at(self.days_later(1, 3), self.proposal_dispute, p)
        elif p.plan["stuck"]:
            i = self.after(p.due) if p.due else None
            if i is not None:
                self.at((i, 10 * 60), self.proposal_letter, p)
        elif p.co:
            self.at(self.days_later(5, 18), self.proposal_co_opinion, p)
        else:
            days = p.plan["days"]
            self.at(self.days_later(days, days), self.proposal_draft, p)

    def proposal_dispute(self, p: _Proposal) -> None:
        props = self.o.proposals
        props.dispute_assignment(
            p.id, unit=p.lead, reason="不属本单位职责", by=self.heads[p.lead], at=self.when
        )
        self.counts["proposals.disputed"] += 1
        p.lead = self.rng.choice([u for u in BUSINESS if u != p.lead and u not in p.co])
        p.due = None
        self.at(self.hours(2, 10), self.proposal_reassign, p)

    def proposal_reassign(self, p: _Proposal) -> None:
        p.due = self.o.proposals.reassign(
            p.id,
            lead_unit=p.lead,
            co_units=p.co,
            reason="重新交办",
            by=P.supervision_officer,
            at=self.when,
        )
        self.proposal_next(p, None)

    def proposal_co_opinion(self, p: _Proposal) -> None:
        props = self.o.proposals
        for unit in p.co:
            props.give_co_opinion(
                p.id, unit=unit, opinion="同意主办单位意见", by=self.heads[unit], at=self.when
            )
        if self.rng.random() < 0.3:
            channel = self.rng.choice([ProposalUrgeChannel.PHONE, ProposalUrgeChannel.ON_SITE])
            props.urge(p.id, channel=channel, by=P.secretary, at=self.when)
        days = p.plan["days"]
        if p.due is not None and self.day > p.due:  # after a supervision letter: be quick
            self.at(self.days_later(2, 6), self.proposal_draft, p)
        else:
            self.at(self.days_later(days // 2, days), self.proposal_draft, p)

    def proposal_letter(self, p: _Proposal) -> None:
        new = self.days[min(self.now[0] + 10, len(self.days) - 1)]
        if new <= self.day:
            return
        self.o.proposals.urge(
            p.id,
            channel=ProposalUrgeChannel.LETTER,
            new_deadline=new,
            note="请于限期内答复",
            by=P.supervision_officer,
            at=self.when,
        )
        p.plan["stuck"] = False
        if p.co:
            self.at(self.days_later(1, 3), self.proposal_co_opinion, p)
        else:
            self.at(self.days_later(3, 9), self.proposal_draft, p)

    def proposal_draft(self, p: _Proposal) -> None:
        props = self.o.proposals
        if p.plan["extend"] and p.rounds == 0 and p.due is not None and self.day <= p.due:
            until = p.due + timedelta(days=30)
            props.grant_extension(
                p.id, until=until, reason="情况复杂,需调研", by=P.supervision_officer, at=self.when
            )
            p.due, p.plan["extend"] = until, False
        if p.rounds == 0 and self.rng.random() < 0.2:
            props.meet_proposer(
                p.id,
                proposer=p.proposers[0],
                notes="当面听取意见",
                by=self.heads[p.lead],
                at=self.when,
            )
        result = self.rng.choices("ABC", weights=[6, 3, 1])[0]
        props.draft_reply(p.id, text="答复……", result=result, by=self.heads[p.lead], at=self.when)
        self.at(self.days_later(1, 3), self.proposal_review, p)

    def proposal_review(self, p: _Proposal) -> None:
        failed = ["format"] if self.rng.random() < 0.2 else []
        self.o.proposals.review_reply(
            p.id, checks=check_sheet(failed), by=P.secretary, at=self.when
        )
        if failed:
            self.at(self.days_later(1, 4), self.proposal_draft, p)
        else:
            self.at(self.days_later(1, 2), self.proposal_send, p)

    def proposal_send(self, p: _Proposal) -> None:
        self.o.proposals.send_reply(p.id, by=self.heads[p.lead], at=self.when)
        self.counts["proposals.replied"] += 1
        p.rounds += 1
        self.at(self.days_later(8, 20), self.proposal_rate, p)

    def proposal_rate(self, p: _Proposal) -> None:
        props = self.o.proposals
        for name in p.proposers:
            rating = self.rng.choices(list(Rating), weights=[80, 15, 5])[0]
            if p.rounds > 1:
                rating = Rating.SATISFIED
            props.record_feedback(p.id, proposer=name, rating=rating, by=P.secretary, at=self.when)
        item = props.get(p.id)
        if item.status is ProposalStatus.HANDLING:
            self.counts["proposals.reopened"] += 1
            p.due = item.due
            self.at(self.days_later(8, 30), self.proposal_draft, p)
        elif item.status is ProposalStatus.FOLLOWING_UP:
            self.at(self.days_later(20, 60), self.proposal_follow_up, p)
        else:
            self.at(self.days_later(1, 4), self.proposal_close, p)

    def proposal_follow_up(self, p: _Proposal) -> None:
        solved = self.rng.random() < 0.6
        self.o.proposals.follow_up(
            p.id, progress="正在落实", solved=solved, by=self.heads[p.lead], at=self.when
        )
        if solved:
            self.at(self.days_later(1, 4), self.proposal_close, p)
        else:
            self.at(self.days_later(20, 40), self.proposal_follow_up, p)

    # --- 分办: an item in parts (ADR 0050) -------------------------------------------------

    def split_assign(self, pid: uuid.UUID) -> None:
        props, rng = self.o.proposals, self.rng
        units = rng.sample(list(BUSINESS), 2)
        props.assign(
            pid,
            parts={u: f"{u} 职责范围内的部分" for u in units},
            secretary=P.secretary,
            meeting="建议提案交办会",
            by=P.supervision_officer,
            at=self.when,
        )
        self.counts["proposals.split"] += 1
        for unit in units:
            self.at(self.days_later(15, 60), self.split_draft, pid, unit)

    def split_draft(self, pid: uuid.UUID, unit: str) -> None:
        result = self.rng.choices("ABC", weights=[6, 3, 1])[0]
        self.o.proposals.draft_reply(
            pid,
            text="本单位部分的答复……",
            result=result,
            part=unit,
            by=self.heads[unit],
            at=self.when,
        )
        self.at(self.hours(1, 6), self.split_review, pid, unit)

    def split_review(self, pid: uuid.UUID, unit: str) -> None:
        self.o.proposals.review_reply(
            pid, checks=check_sheet(), part=unit, by=P.secretary, at=self.when
        )
        self.at(self.days_later(1, 3), self.split_send, pid, unit)

    def split_send(self, pid: uuid.UUID, unit: str) -> None:
        self.o.proposals.send_reply(pid, part=unit, by=self.heads[unit], at=self.when)
        self.counts["proposals.replied"] += 1  # each reply sent, as for a single lead
        self.at(self.days_later(8, 20), self.split_rate, pid, unit)

    def split_rate(self, pid: uuid.UUID, unit: str) -> None:
        props = self.o.proposals
        again = len(props.get(pid).part(unit).replies) > 1
        for p in props.get(pid).proposers:
            rating = self.rng.choices(list(Rating), weights=[80, 15, 5])[0]
            rating = Rating.SATISFIED if again else rating
            props.record_feedback(
                pid, proposer=p.name, rating=rating, part=unit, by=P.secretary, at=self.when
            )
        part = props.get(pid).part(unit)
        if part.status is ProposalStatus.HANDLING:
            self.counts["proposals.reopened"] += 1
            self.at(self.days_later(8, 30), self.split_draft, pid, unit)
        elif part.status is ProposalStatus.FOLLOWING_UP:
            self.at(self.days_later(20, 60), self.split_follow_up, pid, unit)
        else:
            self.split_close_if_done(pid)

    def split_follow_up(self, pid: uuid.UUID, unit: str) -> None:
        self.o.proposals.follow_up(
            pid, progress="正在落实", solved=True, part=unit, by=self.heads[unit], at=self.when
        )
        self.split_close_if_done(pid)

    def split_close_if_done(self, pid: uuid.UUID) -> None:
        if self.o.proposals.get(pid).status is ProposalStatus.TO_CLOSE:
            self.at(self.days_later(1, 4), self.split_close, pid)

    def split_close(self, pid: uuid.UUID) -> None:
        self.o.proposals.close(pid, by=P.secretary, at=self.when)
        self.counts["proposals.closed"] += 1

    def proposal_close(self, p: _Proposal) -> None:
        self.o.proposals.close(p.id, by=P.secretary, at=self.when)
        self.counts["proposals.closed"] += 1
