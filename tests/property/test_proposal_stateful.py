"""建议提案办理 under random command sequences (hypothesis), through ``office.proposals``.

A state machine submits a few suggestions and proposals, then drives them with every command
of the service, by the right person most of the time and by a random one otherwise, at times
that only move forward, with the office clock's ``tick`` in between. Whatever happens:

- the only exceptions are ``GovOfficeError`` refusals, and a refusal records nothing;
- a reply is sent only after a review in which all nine checks passed [000 范文2 三 二];
- a closed item was rated by every proposer without dissatisfaction, and a B-class one was
  followed up to a solution (reference notes §2.4);
- the item replayed to the current business time is the live item;
- the annual figures computed from the events keep their rates within [0, 1];
- an item assigned in parts (分办, ADR 0050) goes through the same rules part by part: each
  part's reply passed all nine checks, and the item closes only when every part was rated
  without dissatisfaction (and followed up to a solution where B-class).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import attrs
import pendulum
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)

from govoffice.application.proposals import proposal_figures
from govoffice.domain.errors import GovOfficeError
from govoffice.domain.proposal import (
    Field,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalUrgeChannel,
    Rating,
    ReplyCheck,
    check_sheet,
)
from govoffice.testing import (
    AgencyPeople,
    assert_refusal_explained,
    assert_trail_authorised,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
)

T0 = pendulum.datetime(2025, 3, 3, 9, 0, tz="Asia/Shanghai")
LAST = pendulum.datetime(2026, 6, 30, 17, 0, tz="Asia/Shanghai")  # calendar data ends 2026
A = AgencyPeople()
PEOPLE = sorted({*attrs.asdict(A).values(), "nobody"})
UNITS = ["biz1", "biz2", "finance", "legal", "party"]
HEADS = {
    "biz1": A.unit_head,
    "biz2": A.unit_head2,
    "finance": A.finance_head,
    "legal": A.legal_head,
    "party": A.party_head,
}
STAFF = {"biz1": A.drafter, "biz2": A.drafter2}
NAMES = ["马玉英", "张代表", "李委员"]
OFFICE = [A.secretary, A.supervision_officer]

right = st.integers(0, 5).map(bool)  # mostly the right person, sometimes a random one
people = st.sampled_from(PEOPLE)


class ProposalMachine(RuleBasedStateMachine):
    """Several items of one office, driven at random."""

    items = Bundle("items")

    def __init__(self) -> None:
        super().__init__()
        self.office = office_for_tests(start=T0)
        standard_agency(self.office, T0)
        self.now = T0
        self.ids: list[uuid.UUID] = []

    @initialize(target=items)
    def first_item(self) -> uuid.UUID:
        pid = self.office.proposals.submit(
            kind=ProposalKind.DEPUTY_SUGGESTION,
            field=Field.FINANCE,
            proposers=["马玉英", "张代表"],
            title="关于减轻小微企业负担的建议",
            content="具体建议。",
            by=A.secretary,
            at=self.now,
        )
        self.ids.append(pid)
        return pid

    def teardown(self) -> None:
        self.office.close()

    # --- plumbing --------------------------------------------------------------------------

    def attempt(self, name: str, command: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a command; a refusal must be a GovOfficeError and must record nothing."""
        before = notification_count(self.office)
        try:
            result = command(*args, at=self.now, **kwargs)
        except GovOfficeError as refused:
            assert_refusal_explained(refused, "Proposal")
            after = recorded_since(self.office, before)
            assert after == [], f"{name} refused ({refused}) but recorded {after}"
            event(f"{name}: refused {type(refused).__name__}")
            return None
        event(f"{name}: done")
        return result

    def advance(self, **delta: int) -> None:
        """Time moves forward, up to LAST (so every deadline stays within the calendar data)."""
        self.now = min(self.now.add(**delta), LAST)

    def item(self, pid: uuid.UUID) -> Proposal:
        return self.office.proposals.get(pid)

    def lead_head(self, pid: uuid.UUID, ok: bool, anyone: str, part: str | None = None) -> str:
        lead = part or self.item(pid).lead_unit
        return HEADS.get(lead or "", anyone) if ok else anyone

    def part_for(self, pid: uuid.UUID, ok: bool, unit: str) -> str | None:
        """The part a step names: one of the item's parts when it is in parts and the caller
        means it well, none for a single-lead item; a random unit otherwise."""
        p = self.item(pid)
        if not ok:
            return unit if UNITS.index(unit) % 2 else None
        if not p.split:
            return None
        return p.lead_units[UNITS.index(unit) % len(p.lead_units)]

    # --- rules ---------------------------------------------------------------------------------

    @rule(days=st.integers(0, 20), hours=st.integers(0, 8))
    def time_passes(self, days: int, hours: int) -> None:
        self.advance(days=days, hours=hours)

    @rule(
        target=items,
        kind=st.sampled_from(ProposalKind),
        field=st.sampled_from(Field),
        names=st.lists(st.sampled_from(NAMES), min_size=0, max_size=3),
        ok=right,
        anyone=people,
    )
    def submit(
        self, kind: ProposalKind, field: Field, names: list[str], ok: bool, anyone: str
    ) -> Any:
        pid = self.attempt(
            "submit",
            self.office.proposals.submit,
            kind=kind,
            field=field,
            proposers=names,
            title="关于改善民生的建议",
            content="具体建议。",
            by=A.secretary if ok else anyone,
        )
        if pid is None:
            return multiple()
        self.ids.append(pid)
        return pid

    @rule(
        pid=items,
        lead=st.sampled_from(UNITS),
        co=st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
        ok=right,
        anyone=people,
    )
    def assign(self, pid: uuid.UUID, lead: str, co: list[str], ok: bool, anyone: str) -> None:
        self.attempt(
            "assign",
            self.office.proposals.assign,
            pid,
            lead_unit=lead,
            co_units=co,
            secretary=A.secretary,
            by=A.supervision_officer if ok else anyone,
        )

    @rule(
        pid=items,
        units=st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True),
        ok=right,
        anyone=people,
    )
    def assign_in_parts(self, pid: uuid.UUID, units: list[str], ok: bool, anyone: str) -> None:
        """分办 [ref §2.4; ADR 0050]: one part per lead unit (one unit alone is refused)."""
        self.attempt(
            "assign_in_parts",
            self.office.proposals.assign,
            pid,
            parts={u: f"{u} 职责内的部分" for u in units},
            secretary=A.secretary,
            by=A.supervision_officer if ok else anyone,
        )

    @rule(pid=items, unit=st.sampled_from(UNITS), ok=right, anyone=people)
    def dispute(self, pid: uuid.UUID, unit: str, ok: bool, anyone: str) -> None:
        assigned = self.item(pid).units
        if ok and assigned:
            unit = assigned[UNITS.index(unit) % len(assigned)]
        self.attempt(
            "dispute",
            self.office.proposals.dispute_assignment,
            pid,
            unit=unit,
            reason="不属本单位职责",
            by=HEADS[unit] if ok else anyone,
        )

    @rule(
        pid=items,
        lead=st.sampled_from(UNITS),
        co=st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
        ok=right,
        anyone=people,
    )
    def reassign(self, pid: uuid.UUID, lead: str, co: list[str], ok: bool, anyone: str) -> None:
        self.attempt(
            "reassign",
            self.office.proposals.reassign,
            pid,
            lead_unit=lead,
            co_units=co,
            reason="重新交办",
            by=A.supervision_officer if ok else anyone,
        )

    @rule(pid=items, ok=right, anyone=people)
    def co_opinions(self, pid: uuid.UUID, ok: bool, anyone: str) -> None:
        for unit in self.item(pid).co_units:
            self.attempt(
                "co_opinion",
                self.office.proposals.give_co_opinion,
                pid,
                unit=unit,
                opinion="同意",
                by=HEADS[unit] if ok else anyone,
            )

    @rule(pid=items, name=st.sampled_from(NAMES), ok=right, anyone=people)
    def meet(self, pid: uuid.UUID, name: str, ok: bool, anyone: str) -> None:
        lead = self.item(pid).lead_unit or ""
        self.attempt(
            "meet",
            self.office.proposals.meet_proposer,
            pid,
            proposer=name,
            notes="走访",
            by=STAFF.get(lead, HEADS.get(lead, anyone)) if ok else anyone,
        )

    @rule(
        pid=items,
        channel=st.sampled_from(ProposalUrgeChannel),
        unit=st.none() | st.sampled_from(UNITS),
        days=st.none() | st.integers(-3, 20),
        ok=right,
        anyone=people,
    )
    def urge(
        self,
        pid: uuid.UUID,
        channel: ProposalUrgeChannel,
        unit: str | None,
        days: int | None,
        ok: bool,
        anyone: str,
    ) -> None:
        self.attempt(
            "urge",
            self.office.proposals.urge,
            pid,
            channel=channel,
            unit=unit,
            new_deadline=None if days is None else self.now.date() + timedelta(days=days),
            by=OFFICE[(days or 0) % 2] if ok else anyone,
        )

    @rule(pid=items, days=st.integers(-10, 120), ok=right, anyone=people)
    def extend(self, pid: uuid.UUID, days: int, ok: bool, anyone: str) -> None:
        due = self.item(pid).due or self.now.date()
        self.attempt(
            "extend",
            self.office.proposals.grant_extension,
            pid,
            until=due + timedelta(days=days),
            reason="情况复杂",
            by=A.supervision_officer if ok else anyone,
        )

    @rule(
        pid=items,
        result=st.sampled_from("ABCD"),
        unit=st.sampled_from(UNITS),
        ok=right,
        anyone=people,
    )
    def draft(self, pid: uuid.UUID, result: str, unit: str, ok: bool, anyone: str) -> None:
        part = self.part_for(pid, ok, unit)
        self.attempt(
            "draft",
            self.office.proposals.draft_reply,
            pid,
            text="答复",
            result=result,
            part=part,
            by=self.lead_head(pid, ok, anyone, part),
        )

    @rule(
        pid=items,
        failed=st.lists(st.sampled_from(ReplyCheck), max_size=2).map(tuple) | st.just(()),
        unit=st.sampled_from(UNITS),
        ok=right,
        anyone=people,
    )
    def review(
        self, pid: uuid.UUID, failed: tuple[ReplyCheck, ...], unit: str, ok: bool, anyone: str
    ) -> None:
        self.attempt(
            "review",
            self.office.proposals.review_reply,
            pid,
            checks=check_sheet(failed),
            part=self.part_for(pid, ok, unit),
            by=A.secretary if ok else anyone,
        )

    @rule(pid=items, unit=st.sampled_from(UNITS), ok=right, anyone=people)
    def send(self, pid: uuid.UUID, unit: str, ok: bool, anyone: str) -> None:
        part = self.part_for(pid, ok, unit)
        self.attempt(
            "send",
            self.office.proposals.send_reply,
            pid,
            part=part,
            by=self.lead_head(pid, ok, anyone, part),
        )

    @rule(
        pid=items,
        name=st.sampled_from(NAMES),
        rating=st.sampled_from(Rating),
        unit=st.sampled_from(UNITS),
        ok=right,
        anyone=people,
    )
    def feedback(
        self, pid: uuid.UUID, name: str, rating: Rating, unit: str, ok: bool, anyone: str
    ) -> None:
        self.attempt(
            "feedback",
            self.office.proposals.record_feedback,
            pid,
            proposer=name,
            rating=rating,
            part=self.part_for(pid, ok, unit),
            by=A.secretary if ok else anyone,
        )

    @rule(pid=items, solved=st.booleans(), unit=st.sampled_from(UNITS), ok=right, anyone=people)
    def follow_up(self, pid: uuid.UUID, solved: bool, unit: str, ok: bool, anyone: str) -> None:
        part = self.part_for(pid, ok, unit)
        self.attempt(
            "follow_up",
            self.office.proposals.follow_up,
            pid,
            progress="落实中",
            solved=solved,
            part=part,
            by=self.lead_head(pid, ok, anyone, part),
        )

    @rule(pid=items, ok=right, anyone=people)
    def close(self, pid: uuid.UUID, ok: bool, anyone: str) -> None:
        self.attempt(
            "close", self.office.proposals.close, pid, by=A.supervision_officer if ok else anyone
        )

    @rule(
        pid=items,
        steps=st.lists(
            st.tuples(
                st.sampled_from(["biz1", "biz2"]),
                st.sampled_from("ABC"),
                st.lists(st.sampled_from(ReplyCheck), max_size=1).map(tuple),
                st.sampled_from(Rating),
                st.booleans(),
            ),
            min_size=1,
            max_size=6,
        ),
    )
    def next_steps(self, pid: uuid.UUID, steps: list[tuple[Any, ...]]) -> None:
        """The right people take the item's next steps, a day apart, so that deep states
        (replied, rated, reopened, followed up, closed) are reached."""
        for step in steps:
            self.advance(days=1)
            self.next_step(pid, *step)

    @rule(pid=items, steps=st.integers(1, 8), rating=st.sampled_from(Rating))
    def more_steps(self, pid: uuid.UUID, steps: int, rating: Rating) -> None:
        """The same, with the plainest choices (a clean review, lead 业务一处)."""
        for _ in range(steps):
            self.advance(days=2)
            self.next_step(pid, "biz1", "B" if steps % 2 else "A", (), rating, steps > 4)

    def next_step(
        self,
        pid: uuid.UUID,
        lead: str,
        result: str,
        failed: tuple[ReplyCheck, ...],
        rating: Rating,
        solved: bool,
    ) -> None:
        p, service = self.item(pid), self.office.proposals
        head = HEADS.get(p.lead_unit or "", A.unit_head)
        s = ProposalStatus
        if p.split and p.status is not s.CLOSED:
            self.next_part_step(p, result, failed, rating, solved)
        elif p.status is s.SUBMITTED and result == "C":
            other = "legal" if lead == "biz1" else "biz1"
            self.attempt(
                "assign_in_parts",
                service.assign,
                pid,
                parts={lead: "本单位部分", other: "法规部分"},
                secretary=A.secretary,
                by=A.supervision_officer,
            )
        elif p.status is s.SUBMITTED:
            co = ["finance"] if result == "A" else []
            self.attempt(
                "assign",
                service.assign,
                pid,
                lead_unit=lead,
                co_units=co,
                secretary=A.secretary,
                by=A.supervision_officer,
            )
        elif p.status is s.DISPUTED:
            other = "biz2" if p.lead_unit == "biz1" else "biz1"
            self.attempt(
                "reassign",
                service.reassign,
                pid,
                lead_unit=other,
                reason="改派",
                by=A.supervision_officer,
            )
        elif p.status is s.HANDLING and any(u not in p.co_opinions for u in p.co_units):
            self.co_opinions(pid, True, A.admin)
        elif p.status is s.HANDLING:
            self.attempt("draft", service.draft_reply, pid, text="答复", result=result, by=head)
        elif p.status is s.REPLY_IN_REVIEW:
            self.attempt(
                "review", service.review_reply, pid, checks=check_sheet(failed), by=A.secretary
            )
        elif p.status is s.REPLY_APPROVED:
            self.attempt("send", service.send_reply, pid, by=head)
        elif p.status is s.REPLIED:
            self.attempt(
                "feedback",
                service.record_feedback,
                pid,
                proposer=p.awaiting_feedback[0],
                rating=rating,
                by=A.secretary,
            )
        elif p.status is s.FOLLOWING_UP:
            self.attempt(
                "follow_up", service.follow_up, pid, progress="落实中", solved=solved, by=head
            )
        elif p.status is s.TO_CLOSE:
            self.attempt("close", service.close, pid, by=A.secretary)

    def next_part_step(
        self,
        p: Proposal,
        result: str,
        failed: tuple[ReplyCheck, ...],
        rating: Rating,
        solved: bool,
    ) -> None:
        """分办: the next step of the first part that has one (or closing, when all may)."""
        service, s, pid = self.office.proposals, ProposalStatus, p.id
        if p.status is s.DISPUTED:
            self.attempt(
                "reassign", service.reassign, pid, lead_unit="biz2", reason="改派", by=A.secretary
            )
            return
        for unit, part in p.parts.items():
            head = HEADS[unit]
            if part.status is s.HANDLING:
                self.attempt(
                    "draft",
                    service.draft_reply,
                    pid,
                    text="答复",
                    result=result if result != "C" else "B",
                    part=unit,
                    by=head,
                )
            elif part.status is s.REPLY_IN_REVIEW:
                checks = check_sheet(failed)
                self.attempt(
                    "review", service.review_reply, pid, checks=checks, part=unit, by=A.secretary
                )
            elif part.status is s.REPLY_APPROVED:
                self.attempt("send", service.send_reply, pid, part=unit, by=head)
            elif part.status is s.REPLIED:
                self.attempt(
                    "feedback",
                    service.record_feedback,
                    pid,
                    proposer=part.awaiting_feedback(p.proposers)[0],
                    rating=rating,
                    part=unit,
                    by=A.secretary,
                )
            elif part.status is s.FOLLOWING_UP:
                self.attempt(
                    "follow_up",
                    service.follow_up,
                    pid,
                    progress="落实中",
                    solved=solved,
                    part=unit,
                    by=head,
                )
            else:
                continue
            return
        self.attempt("close", service.close, pid, by=A.secretary)

    @rule()
    def tick(self) -> None:
        recorded = self.office.proposals.tick(self.now)
        assert self.office.proposals.tick(self.now) == []  # exactly once
        event(f"tick: {'urged' if recorded else 'nothing due'}")

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def every_decision_was_authorised_when_taken(self) -> None:
        """[ADR 0024] the trail reads the same authority table as the commands."""
        for pid in self.ids:
            assert_trail_authorised(self.office, pid)

    @invariant()
    def replied_only_after_all_nine_checks_passed(self) -> None:
        for pid in self.ids:
            for sent in self.item(pid).replies:
                assert [c.check for c in sent.checks] == list(ReplyCheck)
                assert all(c.passed for c in sent.checks)
            # the same, read from the events: each Replied follows a fully passed review
            for part in self.item(pid).parts.values():
                for sent in part.replies:
                    assert [c.check for c in sent.checks] == list(ReplyCheck)
                    assert all(c.passed for c in sent.checks)
        reviewed: dict[tuple[Any, Any], bool] = {}
        events = recorded_since(self.office, 0)
        for e in events:
            name = type(e).__name__
            key = (getattr(e, "originator_id", None), getattr(e, "part", None))
            if name == "ReplyDrafted":
                reviewed[key] = False
            elif name == "ReplyReviewed":
                reviewed[key] = len(e.results) == 9 and all(r.passed for r in e.results)
            elif name == "Replied":
                assert reviewed.get(key) is True
        figures = proposal_figures(events)
        assert figures.submitted == len(self.ids)
        for rate in (figures.reply_rate, figures.satisfaction_rate, figures.on_time_rate):
            assert rate is None or 0 <= rate <= 1
        assert all(0 <= s <= 1 for s in figures.result_shares.values())

    @invariant()
    def closed_only_when_rated_or_followed_up(self) -> None:
        for pid in self.ids:
            p = self.item(pid)
            if p.status is ProposalStatus.CLOSED and p.split:
                event("closed: an item in parts")
                for part in p.parts.values():
                    assert part.replies and not part.awaiting_feedback(p.proposers)
                    assert part.rating is not None and part.rating.counts_as_satisfied
                    assert part.solved or not part.replies[-1].result.follow_up
            elif p.status is ProposalStatus.CLOSED:
                assert p.replies and not p.awaiting_feedback
                assert p.overall_rating is not None and p.overall_rating.counts_as_satisfied
                assert p.solved or not p.replies[-1].result.follow_up

    @invariant()
    def the_item_replayed_to_now_is_the_live_item(self) -> None:
        for pid in self.ids:
            live, replayed = self.item(pid), self.office.proposals.as_of(pid, self.now)
            assert (replayed.status, replayed.due, replayed.replies, replayed.parts) == (
                live.status,
                live.due,
                live.replies,
                live.parts,
            )


ProposalMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestProposalMachine = ProposalMachine.TestCase
