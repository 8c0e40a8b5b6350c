"""建议提案办理情况 — the annual report's figures, derived from the events alone.

A seeded generator runs a year of suggestions and proposals through ``office.proposals``
(the public commands and the office clock's ``tick``), keeping its own tally of what it did.
The figures are then computed from nothing but the raw events in the store, read back
through the recorder and the mapper, and must match the tally: counts by kind and field
[000 范文2 一、基本情况], A/B/C shares [000 范文2 一、基本情况], reply rate (办复率) and
satisfaction rate (满意率) [003 篇5], on-time rate, urges by channel [000 范文2 三 一].
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.application.proposals import proposal_figures
from govoffice.domain.proposal import (
    Field,
    ProposalKind,
    ProposalStatus,
    ProposalUrgeChannel,
    Rating,
    check_sheet,
)
from govoffice.testing import AgencyPeople, office_for_tests, standard_agency

ZONE = "Asia/Shanghai"
YEAR = 2025
HEADS = {
    "biz1": AgencyPeople().unit_head,
    "biz2": AgencyPeople().unit_head2,
    "legal": AgencyPeople().legal_head,
    "finance": AgencyPeople().finance_head,
    "party": AgencyPeople().party_head,
}
NAMES = ["马玉英", "张代表", "李委员", "王委员", "赵代表", "刘委员", "陈代表"]


def at(d: date, hour: int) -> pendulum.DateTime:
    return pendulum.datetime(d.year, d.month, d.day, hour, tz=ZONE)


@attrs.define
class Item:
    """What the generator knows of one item (its own tally, not read from the store)."""

    pid: uuid.UUID
    kind: ProposalKind
    field: Field
    proposers: list[str]
    lead: str
    co: list[str]
    next_day: date
    stage: str = "assign"
    due: date | None = None
    first_on_time: bool | None = None
    rounds: int = 0
    last_result: str | None = None
    last_ratings: list[Rating] = attrs.field(factory=list)
    plan: dict[str, Any] = attrs.field(factory=dict)


@attrs.define
class Tally:
    """The generator's own account of the year."""

    kinds: Counter[ProposalKind] = attrs.field(factory=Counter)
    fields: Counter[Field] = attrs.field(factory=Counter)
    kind_fields: Counter[tuple[ProposalKind, Field]] = attrs.field(factory=Counter)
    urges: Counter[ProposalUrgeChannel] = attrs.field(factory=Counter)
    items: list[Item] = attrs.field(factory=list)


class YearOfProposals:
    """A year of 建议提案办理 through the public commands, decided by a seeded random."""

    def __init__(self, office: Office, people: AgencyPeople, seed: int, count: int) -> None:
        self.office, self.p, self.rng = office, people, random.Random(seed)
        self.count = count
        self.tally = Tally()
        self.steps: dict[str, Callable[[Item, date], None]] = {
            "assign": self.assign,
            "dispute": self.dispute,
            "reassign": self.reassign,
            "co_opinion": self.co_opinion,
            "draft": self.draft,
            "review": self.review,
            "send": self.send,
            "rate": self.rate,
            "follow_up": self.follow_up,
            "close": self.close,
        }

    def run(self) -> Tally:
        day = date(YEAR, 3, 10)  # the items reach the office after the sessions (两会)
        while day <= date(YEAR, 12, 31):
            if day.weekday() == 0:  # Monday morning: the office clock urges what is due
                for d in self.office.tick(at(day, 8)):
                    self.tally.urges[d.details["channel"]] += 1
            if len(self.tally.items) < self.count and day.weekday() < 5:
                for _ in range(self.rng.randint(1, 4)):
                    self.submit(day)
            for item in self.tally.items:
                if item.next_day == day and item.stage != "done":
                    self.steps[item.stage](item, day)
            day += timedelta(days=1)
        return self.tally

    def later(self, item: Item, day: date, stage: str, lo: int, hi: int) -> None:
        item.stage, item.next_day = stage, day + timedelta(days=self.rng.randint(lo, hi))

    # --- the steps ---------------------------------------------------------------------------

    def submit(self, day: date) -> None:
        if len(self.tally.items) >= self.count:
            return
        kind = self.rng.choice(list(ProposalKind))
        field = self.rng.choice(list(Field))
        proposers = self.rng.sample(NAMES, self.rng.choice([1, 1, 1, 2, 3]))
        pid = self.office.proposals.submit(
            kind=kind,
            field=field,
            proposers=proposers,
            title="建议",
            content="内容",
            by=self.p.secretary,
            at=at(day, 10),
        )
        lead = self.rng.choice(sorted(HEADS))
        co = self.rng.sample([u for u in sorted(HEADS) if u != lead], self.rng.choice([0, 0, 1]))
        item = Item(pid, kind, field, proposers, lead, co, day + timedelta(days=3))
        item.plan = {
            "dispute": self.rng.random() < 0.1,
            "extend": self.rng.random() < 0.15,
            "stuck": self.rng.random() < 0.08,  # never answered this year
            "handling_days": self.rng.randint(25, 110),
        }
        self.tally.items.append(item)
        self.tally.kinds[kind] += 1
        self.tally.fields[field] += 1
        self.tally.kind_fields[(kind, field)] += 1

    def assign(self, item: Item, day: date) -> None:
        item.due = self.office.proposals.assign(
            item.pid,
            lead_unit=item.lead,
            co_units=item.co,
            secretary=self.p.secretary,
            by=self.p.supervision_officer,
            at=at(day, 10),
        )
        self.handle(item, day, "dispute" if item.plan["dispute"] else None)

    def handle(self, item: Item, day: date, first: str | None) -> None:
        if first == "dispute":
            self.later(item, day, "dispute", 1, 3)
        elif item.plan["stuck"]:
            item.stage = "done"
        elif item.co:
            self.later(item, day, "co_opinion", 5, 40)
        else:
            self.later(item, day, "draft", item.plan["handling_days"], item.plan["handling_days"])

    def dispute(self, item: Item, day: date) -> None:
        self.office.proposals.dispute_assignment(
            item.pid, unit=item.lead, reason="不属本单位职责", by=HEADS[item.lead], at=at(day, 10)
        )
        item.lead = self.rng.choice(
            [u for u in sorted(HEADS) if u != item.lead and u not in item.co]
        )
        self.later(item, day, "reassign", 1, 2)

    def reassign(self, item: Item, day: date) -> None:
        item.due = self.office.proposals.reassign(
            item.pid,
            lead_unit=item.lead,
            co_units=item.co,
            reason="重新交办",
            by=self.p.supervision_officer,
            at=at(day, 10),
        )
        self.handle(item, day, None)

    def co_opinion(self, item: Item, day: date) -> None:
        for unit in item.co:
            self.office.proposals.give_co_opinion(
                item.pid, unit=unit, opinion="同意", by=HEADS[unit], at=at(day, 10)
            )
        if self.rng.random() < 0.3:
            channel = self.rng.choice([ProposalUrgeChannel.PHONE, ProposalUrgeChannel.ON_SITE])
            self.office.proposals.urge(
                item.pid, channel=channel, by=self.p.supervision_officer, at=at(day, 11)
            )
            self.tally.urges[channel] += 1
        self.later(item, day, "draft", item.plan["handling_days"] // 2, item.plan["handling_days"])

    def draft(self, item: Item, day: date) -> None:
        assert item.due is not None
        if item.plan["extend"] and item.rounds == 0 and day <= item.due:
            until = item.due + timedelta(days=45)
            self.office.proposals.grant_extension(
                item.pid,
                until=until,
                reason="情况复杂",
                by=self.p.supervision_officer,
                at=at(day, 9),
            )
            item.due, item.plan["extend"] = until, False
        if item.rounds == 0 and self.rng.random() < 0.2:  # 实地催办 before the answer
            self.office.proposals.urge(
                item.pid,
                channel=ProposalUrgeChannel.ON_SITE,
                note="到基层调研",
                by=self.p.secretary,
                at=at(day, 9),
            )
            self.tally.urges[ProposalUrgeChannel.ON_SITE] += 1
        result = self.rng.choices("ABC", weights=[6, 3, 1])[0]
        self.office.proposals.draft_reply(
            item.pid, text="答复", result=result, by=HEADS[item.lead], at=at(day, 10)
        )
        item.last_result = result
        self.later(item, day, "review", 1, 3)

    def review(self, item: Item, day: date) -> None:
        failed = ["format"] if self.rng.random() < 0.2 else []
        self.office.proposals.review_reply(
            item.pid, checks=check_sheet(failed), by=self.p.secretary, at=at(day, 10)
        )
        if failed:
            self.later(item, day, "draft", 2, 5)
        else:
            self.later(item, day, "send", 1, 2)

    def send(self, item: Item, day: date) -> None:
        assert item.due is not None
        self.office.proposals.send_reply(item.pid, by=HEADS[item.lead], at=at(day, 10))
        if item.first_on_time is None:
            item.first_on_time = day <= item.due
        item.rounds += 1
        item.last_ratings = []
        self.later(item, day, "rate", 10, 25)

    def rate(self, item: Item, day: date) -> None:
        for name in item.proposers:
            rating = self.rng.choices(list(Rating), weights=[80, 15, 5])[0]
            if item.rounds > 1:
                rating = Rating.SATISFIED  # a re-answer satisfies in this simulation
            self.office.proposals.record_feedback(
                item.pid, proposer=name, rating=rating, by=self.p.secretary, at=at(day, 10)
            )
            item.last_ratings.append(rating)
        status = self.office.proposals.get(item.pid).status
        if status is ProposalStatus.HANDLING:  # 不满意: reopened with a new deadline
            item.due = self.office.proposals.get(item.pid).due
            self.later(item, day, "draft", 10, 40)
        elif status is ProposalStatus.FOLLOWING_UP:
            self.later(item, day, "follow_up", 30, 90)
        else:
            self.later(item, day, "close", 1, 5)

    def follow_up(self, item: Item, day: date) -> None:
        solved = self.rng.random() < 0.6
        self.office.proposals.follow_up(
            item.pid, progress="落实中", solved=solved, by=HEADS[item.lead], at=at(day, 10)
        )
        self.later(item, day, "close" if solved else "follow_up", 1, 60)

    def close(self, item: Item, day: date) -> None:
        self.office.proposals.close(item.pid, by=self.p.secretary, at=at(day, 10))
        item.stage = "done"


@pytest.mark.parametrize("seed", [2025, 7])
def test_the_annual_figures_follow_from_the_events_alone(seed: int) -> None:
    """[003 篇5] 共办理市人大建议198件、市政协委员提案333件,办复率达100%,满意率在95%以上."""
    start = pendulum.datetime(YEAR, 1, 6, 9, tz=ZONE)
    office = office_for_tests(start=start)
    try:
        tally = YearOfProposals(office, standard_agency(office, start), seed, count=45).run()
        notifications = office.app.recorder.select_notifications(start=1, limit=1_000_000)
        events = [office.app.mapper.to_domain_event(n) for n in notifications]
    finally:
        office.close()

    figures = proposal_figures(events, year=YEAR)

    items = tally.items
    replied = [i for i in items if i.rounds > 0]
    rated = [i for i in replied if i.last_ratings]
    assert figures.submitted == len(items) == 45
    assert figures.by_kind == dict(tally.kinds)
    assert figures.by_field == dict(tally.fields)
    assert figures.by_kind_and_field == dict(tally.kind_fields)
    assert figures.replied == len(replied)
    assert figures.reply_rate == pytest.approx(len(replied) / len(items))
    results = Counter(i.last_result for i in replied)
    assert figures.result_shares == pytest.approx({c: n / len(replied) for c, n in results.items()})
    satisfied = [i for i in rated if Rating.DISSATISFIED not in i.last_ratings]
    assert figures.rated == len(rated)
    assert figures.satisfaction_rate == pytest.approx(len(satisfied) / len(rated))
    on_time = [i for i in replied if i.first_on_time]
    assert figures.on_time_rate == pytest.approx(len(on_time) / len(replied))
    assert figures.urges_by_channel == dict(tally.urges)

    # the year exercised what the report counts, and every rate is a rate
    assert set(figures.urges_by_channel) == set(ProposalUrgeChannel)
    assert {"A", "B", "C"} <= set(figures.result_shares)
    assert sum(figures.result_shares.values()) == pytest.approx(1)
    for rate in (figures.reply_rate, figures.satisfaction_rate, figures.on_time_rate):
        assert rate is not None and 0 <= rate <= 1
    assert figures.reply_rate < 1 and figures.on_time_rate < 1  # stuck and late items exist
