"""``office.proposals``: deputy suggestions and CPPCC proposals (建议提案办理), and the figures
the annual report needs, read back from their events alone.

Who does what, after [000 范文2 二]: the general office or the supervision officer registers,
assigns, urges, extends and closes; the lead unit's head drafts and sends the reply; an office
reviewer reviews it against the nine checks; a clerk of the office records each proposer's
rating from the returned opinion form.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum

from govoffice.application.history import Decision, decisions
from govoffice.application.ports import WorkingDays
from govoffice.application.services import AreaService
from govoffice.domain.errors import InvalidInput
from govoffice.domain.organisation import Organisation
from govoffice.domain.proposal import (
    AWAITING_LEAD_UNIT,
    OPEN,
    Field,
    Proposal,
    ProposalKind,
    ProposalPolicy,
    ProposalStatus,
    ProposalUrgeChannel,
    Proposer,
    Rating,
    ReplyCheck,
    ResultScheme,
)
from govoffice.domain.values import DEFAULT_TIME_ZONE, PersonId, local_time

if TYPE_CHECKING:
    from govoffice.application.office import Office

R = TypeVar("R")


class ProposalService(AreaService[Proposal]):
    """建议提案办理: every command takes ``by=`` (the acting person) and ``at=`` (business
    time, filled from the office clock when omitted).

    ``policy`` (deadlines, urging cadence) and ``scheme`` (result classes given to new
    items) are configuration: pass them here or to :meth:`configure`.
    """

    record_type = Proposal

    def __init__(
        self,
        office: Office,
        *,
        policy: ProposalPolicy | None = None,
        scheme: ResultScheme | None = None,
    ) -> None:
        super().__init__(office)
        self.policy = ProposalPolicy()
        self.scheme = ResultScheme.seed()
        self.configure(policy=policy, scheme=scheme)

    def configure(
        self, *, policy: ProposalPolicy | None = None, scheme: ResultScheme | None = None
    ) -> None:
        """Set the handling rules and/or the result scheme for the commands that follow
        (items already submitted keep the scheme they were registered with)."""
        if policy is not None:
            if not isinstance(policy, ProposalPolicy):
                raise InvalidInput(f"办理规则 {policy!r} 不正确 (expected a ProposalPolicy)")
            self.policy = policy
        if scheme is not None:
            if not isinstance(scheme, ResultScheme):
                raise InvalidInput(f"答复分类方案 {scheme!r} 不正确 (expected a ResultScheme)")
            self.scheme = scheme

    # --- commands ------------------------------------------------------------------------

    def submit(
        self,
        *,
        kind: ProposalKind | str,
        proposers: Sequence[Proposer | str],
        field: Field | str,
        title: str,
        content: str,
        session: str = "",
        reference: str = "",
        by: str,
        at: datetime | str | None = None,
    ) -> uuid.UUID:
        """登记 a suggestion (人大代表建议) or proposal (政协提案); several proposers make a
        joint one (联名), each of whom is answered and rates the answer."""
        who, when = self._who(by), self._when(at)
        return self._create(
            lambda org: Proposal.submit(
                org=org,
                kind=kind,
                proposers=proposers,
                field=field,
                title=title,
                content=content,
                scheme=self.scheme,
                session=session,
                reference=reference,
                by=who,
                at=when,
            )
        )

    def assign(
        self,
        proposal_id: uuid.UUID | str,
        *,
        lead_unit: str | None = None,
        co_units: Iterable[str] = (),
        parts: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        secretary: str,
        meeting: str = "",
        by: str,
        at: datetime | str | None = None,
    ) -> date:
        """交办 to a lead unit and co-handling units, with the office secretary who follows
        the item; returns the deadline (three months by default). 分办: ``parts`` instead
        of ``lead_unit``, each lead unit with the part it answers (``{"biz1": "...",
        "legal": "..."}``, ADR 0050)."""
        units = _listed(co_units)
        return self._decide(
            proposal_id,
            by,
            at,
            lambda p, org, who, when: p.assign(
                org=org,
                calendar=self._calendar(),
                policy=self.policy,
                lead_unit=lead_unit,
                co_units=units,
                parts=parts,
                secretary=secretary,
                meeting=meeting,
                by=who,
                at=when,
            ),
        )

    def dispute_assignment(
        self,
        proposal_id: uuid.UUID | str,
        *,
        unit: str,
        reason: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """交办异议 by the head of an assigned unit, within the dispute window."""
        self._do(proposal_id, "dispute_assignment", by, at, unit=unit, reason=reason)

    def reassign(
        self,
        proposal_id: uuid.UUID | str,
        *,
        lead_unit: str | None = None,
        co_units: Iterable[str] = (),
        parts: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        reason: str,
        by: str,
        at: datetime | str | None = None,
    ) -> date:
        """重新交办 after a dispute (to a lead unit, or in ``parts``); returns the new
        deadline."""
        units = _listed(co_units)
        return self._decide(
            proposal_id,
            by,
            at,
            lambda p, org, who, when: p.reassign(
                org=org,
                calendar=self._calendar(),
                policy=self.policy,
                lead_unit=lead_unit,
                co_units=units,
                parts=parts,
                reason=reason,
                by=who,
                at=when,
            ),
        )

    def give_co_opinion(
        self,
        proposal_id: uuid.UUID | str,
        *,
        unit: str,
        opinion: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """协办意见 a co-handling unit's head gives the unit's opinion to the lead unit."""
        self._do(proposal_id, "give_co_opinion", by, at, unit=unit, opinion=opinion)

    def meet_proposer(
        self,
        proposal_id: uuid.UUID | str,
        *,
        proposer: str,
        notes: str,
        how: str = "走访见面",
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """走访见面 someone of the lead unit meets a proposer."""
        self._do(proposal_id, "meet_proposer", by, at, proposer=proposer, notes=notes, how=how)

    def urge(
        self,
        proposal_id: uuid.UUID | str,
        *,
        channel: ProposalUrgeChannel | str,
        unit: str | None = None,
        note: str = "",
        new_deadline: date | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """催办 by phone, on site, or by supervision letter with a new deadline (overdue only)."""
        self._do(
            proposal_id,
            "urge",
            by,
            at,
            channel=channel,
            unit=unit,
            note=note,
            new_deadline=new_deadline,
        )

    def grant_extension(
        self,
        proposal_id: uuid.UUID | str,
        *,
        until: date,
        reason: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """延期, approved before the deadline, to at most six months from assignment."""
        self._decide(
            proposal_id,
            by,
            at,
            lambda p, org, who, when: p.grant_extension(
                org=org,
                calendar=self._calendar(),
                policy=self.policy,
                until=until,
                reason=reason,
                by=who,
                at=when,
            ),
        )

    def draft_reply(
        self,
        proposal_id: uuid.UUID | str,
        *,
        text: str,
        result: str,
        part: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """答复拟稿 by the lead unit's head, with the result class (A/B/C...); in an item
        handled in parts, by the head of ``part``'s unit for its part."""
        self._do(proposal_id, "draft_reply", by, at, reply_text=text, result=result, part=part)

    def review_reply(
        self,
        proposal_id: uuid.UUID | str,
        *,
        checks: Mapping[ReplyCheck | str, bool],
        notes: Mapping[ReplyCheck | str, str] | None = None,
        part: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> tuple[ReplyCheck, ...]:
        """会审 "九看": every one of the nine checks, passed or not (see
        :func:`~govoffice.domain.proposal.check_sheet`); returns the failed checks, with
        which the reply went back to the lead unit."""
        return self._decide(
            proposal_id,
            by,
            at,
            lambda p, org, who, when: p.review_reply(
                org=org, checks=checks, notes=notes, part=part, by=who, at=when
            ),
        )

    def send_reply(
        self,
        proposal_id: uuid.UUID | str,
        *,
        part: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """答复 every proposer, once the reply has passed all nine checks (in an item handled
        in parts, ``part``'s reply)."""
        self._do(proposal_id, "send_reply", by, at, part=part)

    def record_feedback(
        self,
        proposal_id: uuid.UUID | str,
        *,
        proposer: str,
        rating: Rating | str,
        opinion: str = "",
        part: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """征询意见 one proposer's rating (in an item handled in parts, of ``part``'s reply);
        不满意 reopens handling (of that part) with a new deadline."""
        self._decide(
            proposal_id,
            by,
            at,
            lambda p, org, who, when: p.record_feedback(
                org=org,
                calendar=self._calendar(),
                policy=self.policy,
                proposer=proposer,
                rating=rating,
                opinion=opinion,
                part=part,
                by=who,
                at=when,
            ),
        )

    def follow_up(
        self,
        proposal_id: uuid.UUID | str,
        *,
        progress: str,
        solved: bool,
        part: str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """跟踪落实 of a B-class item (or part); ``solved=True`` answers the proposers again."""
        self._do(proposal_id, "follow_up", by, at, progress=progress, solved=solved, part=part)

    def close(
        self, proposal_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """办结."""
        self._do(proposal_id, "close", by, at)

    # --- time ----------------------------------------------------------------------------

    def _is_finished(self, proposal: Proposal) -> bool:
        """A closed item is neither urged nor counted in a unit's load again."""
        return proposal.status is ProposalStatus.CLOSED

    def tick(self, at: datetime | str) -> list[Decision]:
        """定期催办: for every item whose lead unit owes the next step, record the urges due
        by business time ``at`` (see :meth:`Proposal.urge_if_due`). A unit leading at least
        ``policy.busy_threshold`` open items (each part of an item handled in parts counts
        for its unit) is urged weekly, the others every half month. Idempotent: what was
        recorded is not due again at the same time."""
        when = self._when(at)
        # looked at, not copied (those with an urge due are loaded again to decide); a closed
        # item is neither urged nor counted in a unit's load again
        items = list(self._ticking())
        load = Counter(u for p in items if p.status in OPEN for u in p.lead_units)
        crowded = frozenset(u for u, n in load.items() if n >= self.policy.busy_threshold)
        recorded: list[Decision] = []
        for p in items:
            if p.status in AWAITING_LEAD_UNIT and p.lead_unit is not None:
                busy = p.lead_unit in crowded
                recorded.extend(self._urge_if_due(p.id, when, busy, crowded))
        return recorded

    def _urge_if_due(
        self,
        record_id: uuid.UUID,
        when: pendulum.DateTime,
        busy: bool,
        crowded: frozenset[str] = frozenset(),
    ) -> list[Decision]:
        def attempt() -> list[Decision]:
            p = self.get(record_id)
            last_at = getattr(p, "last_at", None)
            if last_at is not None and when < last_at:
                return []  # the item moved on after ``when``; nothing is due at that time
            p.urge_if_due(
                calendar=self._calendar(),
                policy=self.policy,
                busy=busy,
                busy_units=crowded,
                at=when,
                zone=self.office.time_zone,
            )
            recorded = decisions(p.pending_events)
            if recorded:
                self.store.save(p, hand_over=True)
            return recorded

        return self.store.run(attempt, record_id)

    # --- plumbing ------------------------------------------------------------------------

    def _calendar(self) -> WorkingDays:
        return self.office.calendar

    def _decide(
        self,
        proposal_id: uuid.UUID | str,
        by: str,
        at: object,
        decide: Callable[[Proposal, Organisation, PersonId, pendulum.DateTime], R],
    ) -> R:
        who, when = self._who(by), self._when(at)
        return self._change(proposal_id, lambda p, org: decide(p, org, who, when))


def _listed(units: Iterable[str]) -> Any:
    """Co-units as given, but a bare string stays a string (the domain refuses it clearly)."""
    return units if isinstance(units, str) else list(units)


# --- figures -----------------------------------------------------------------------------


@attrs.frozen
class ProposalFigures:
    """建议提案办理情况 the figures of the annual report, from the events alone.

    - ``reply_rate`` 办复率: items answered at least once ÷ items submitted;
    - ``result_shares``: each result class's share of the answered items, by the class of
      their latest reply;
    - ``satisfaction_rate`` 满意率: items rated 满意 or 基本满意 ÷ items rated, an item's
      rating being the lowest any proposer gave its latest reply (a joint proposal is as
      satisfied as its least satisfied proposer; an item whose latest reply nobody has
      rated yet is left out);
    - ``on_time_rate``: items whose first reply went out by its deadline (extended or not)
      ÷ items answered;
    - ``urges_by_channel``: urges recorded, by channel.

    An item handled in parts (分办, ADR 0050) counts once: it is answered when every part
    has been answered, on time when every part's first reply was, rated once every part's
    latest reply has a rating, its rating the lowest over its parts; ``result_shares``
    count the parts answered (a single-lead item is one part).

    A rate is ``None`` when its denominator is zero.
    """

    submitted: int
    by_kind: Mapping[ProposalKind, int]
    by_field: Mapping[Field, int]
    by_kind_and_field: Mapping[tuple[ProposalKind, Field], int]
    replied: int
    result_shares: Mapping[str, float]
    reply_rate: float | None
    rated: int
    satisfaction_rate: float | None
    on_time_rate: float | None
    urges_by_channel: Mapping[ProposalUrgeChannel, int]


def proposal_figures(
    events: Iterable[object], *, year: int | None = None, zone: str = DEFAULT_TIME_ZONE
) -> ProposalFigures:
    """Fold a stream of events (any kinds, in recorded order) into :class:`ProposalFigures`;
    with ``year``, only the items submitted in that year (the agency's, ``zone``) count (with
    all their later steps)."""
    kinds: dict[uuid.UUID, tuple[ProposalKind, Field]] = {}
    parts: dict[uuid.UUID, tuple[str | None, ...]] = {}
    Part = tuple[uuid.UUID, str | None]
    first_on_time: dict[Part, bool] = {}
    latest_result: dict[Part, str] = {}
    latest_round: dict[Part, int] = {}
    ratings: dict[tuple[uuid.UUID, str | None, int], list[Rating]] = defaultdict(list)
    urges: Counter[ProposalUrgeChannel] = Counter()
    for e in events:
        if not isinstance(e, Proposal.Event):
            continue
        ev: Any = e
        rid: uuid.UUID = ev.originator_id
        name = type(ev).__name__
        if name == "Submitted":
            if year is None or local_time(ev.at, zone).year == year:
                kinds[rid] = (ev.kind, ev.field)
        elif rid not in kinds:
            continue
        elif name in ("Assigned", "Reassigned"):
            split = getattr(ev, "parts", None)  # absent from events recorded before 分办
            parts[rid] = tuple(p.unit for p in split) if split else (None,)
        elif name == "Replied":
            key = (rid, getattr(ev, "part", None))
            first_on_time.setdefault(key, ev.on_time)
            latest_result[key] = ev.result.code
            latest_round[key] = ev.round
        elif name == "FeedbackReceived":
            ratings[(rid, getattr(ev, "part", None), ev.round)].append(ev.rating)
        elif name == "Urged":
            urges[ev.channel] += 1
    answered = [rid for rid, units in parts.items() if all((rid, u) in latest_round for u in units)]
    overall: dict[uuid.UUID, Rating | None] = {}
    for rid in answered:
        lowest = [
            Rating.lowest(ratings.get((rid, u, latest_round[(rid, u)]), ())) for u in parts[rid]
        ]
        if all(r is not None for r in lowest):
            overall[rid] = Rating.lowest(r for r in lowest if r is not None)
    replied = len(answered)
    results = Counter(latest_result.values())
    on_time = sum(all(first_on_time[(rid, u)] for u in parts[rid]) for rid in answered)
    return ProposalFigures(
        submitted=len(kinds),
        by_kind=dict(Counter(k for k, _ in kinds.values())),
        by_field=dict(Counter(f for _, f in kinds.values())),
        by_kind_and_field=dict(Counter(kinds.values())),
        replied=replied,
        result_shares={code: n / len(latest_result) for code, n in sorted(results.items())},
        reply_rate=_rate(replied, len(kinds)),
        rated=len(overall),
        satisfaction_rate=_rate(
            sum(1 for r in overall.values() if r is not None and r.counts_as_satisfied),
            len(overall),
        ),
        on_time_rate=_rate(on_time, replied),
        urges_by_channel=dict(urges),
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


__all__ = [
    "ProposalFigures",
    "ProposalService",
    "ProposalStatus",
    "proposal_figures",
]
