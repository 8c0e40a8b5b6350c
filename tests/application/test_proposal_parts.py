"""分办 — one proposal, several lead units, each answering its own part (ADR 0050).

[000 范文2 二 一] names the 分级负责制度: "涉及到多个单位办理的,明确规定由主办单位负责协调答复,
协办单位积极配合" — the single-lead flow (主办 + 协办), already built. National and local
practice (reference notes §2.4-2.5 and the table's row 37, "建议/提案 交办 (主办/协办/分办)";
福建: "merged handling is allowed but each representative gets a separate answer") also
assigns an item to several lead units, each answering the part within its own duties
(分办): each part is assigned, urged, answered after the nine checks, and rated by the
proposers on its own; the item is answered when every part is.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest
from eventsourcing.persistence import StoredEvent

from govoffice.application.office import Office
from govoffice.application.proposals import proposal_figures
from govoffice.application.rankings import Measure, Period
from govoffice.domain.errors import InvalidInput, PermissionDenied, WrongStatus
from govoffice.domain.proposal import (
    FeedbackOutstanding,
    LetterNotOverdue,
    NotAnAssignedUnit,
    PartNotReady,
    PartRequired,
    PartsCannotMerge,
    ProposalStatus,
    ProposalUrgeChannel,
    Rating,
    ReplyNotReviewed,
    check_sheet,
)
from govoffice.testing import (
    AgencyPeople,
    TestOffice,
    assert_nothing_recorded,
    assert_trail_authorised,
    office_for_tests,
    recorded_since,
)

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)  # the standard agency is set up at T0
PROPOSERS = ("马玉英", "李建国")
PARTS = {"biz1": "提高补贴标准", "legal": "完善政策依据"}


def day(n: int, hour: int = 9) -> pendulum.DateTime:
    return T0.add(days=n).set(hour=hour)


def heads(agency: AgencyPeople) -> dict[str, str]:
    return {"biz1": agency.unit_head, "legal": agency.legal_head, "biz2": agency.unit_head2}


def split_item(office: Office, agency: AgencyPeople, parts: Any = None) -> uuid.UUID:
    """A joint suggestion submitted on T0 and assigned in parts on day 1."""
    pr = office.proposals
    pid = pr.submit(
        kind="人大代表建议",
        proposers=list(PROPOSERS),
        field="finance",
        title="关于提高社区居委会干部工资的建议",
        content="建议提高待遇,并完善政策依据。",
        by=agency.secretary,
        at=T0,
    )
    pr.assign(
        pid,
        parts=PARTS if parts is None else parts,
        secretary=agency.secretary,
        meeting="建议交办会",
        by=agency.supervision_officer,
        at=day(1),
    )
    return pid


def answer(
    office: Office, agency: AgencyPeople, pid: uuid.UUID, part: str, on: int, result: str = "A"
) -> None:
    """``part``'s head drafts, the office reviews, the head sends: days on, on+1, on+2."""
    pr, head = office.proposals, heads(agency)[part]
    pr.draft_reply(pid, text=f"{part} 的答复", result=result, part=part, by=head, at=day(on))
    pr.review_reply(pid, checks=check_sheet(), part=part, by=agency.secretary, at=day(on + 1))
    pr.send_reply(pid, part=part, by=head, at=day(on + 2))


def rate(
    office: Office,
    agency: AgencyPeople,
    pid: uuid.UUID,
    part: str,
    on: int,
    rating: Rating | str = Rating.SATISFIED,
) -> None:
    for name in PROPOSERS:
        office.proposals.record_feedback(
            pid, proposer=name, rating=rating, part=part, by=agency.secretary, at=day(on)
        )


def test_each_lead_unit_answers_its_part_and_the_item_is_replied_when_every_part_is(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 一, 三 二; ref §2.4 分办] each part is drafted by its unit's head,
    passes the nine checks and is sent on its own; the item is 已答复 when every part is."""
    pid = split_item(office, agency)
    item = office.proposals.get(pid)
    assert item.split and item.units == ("biz1", "legal")
    assert item.lead_units == ("biz1", "legal") and item.co_units == ()
    answer(office, agency, pid, "biz1", 10)
    item = office.proposals.get(pid)
    assert item.part("biz1").status is ProposalStatus.REPLIED
    assert item.part("legal").status is ProposalStatus.HANDLING
    assert item.status is ProposalStatus.HANDLING  # not replied until every part is
    answer(office, agency, pid, "legal", 20)
    assert office.proposals.get(pid).status is ProposalStatus.REPLIED
    replied = [e for e in recorded_since(office, 0) if type(e).__name__ == "Replied"]
    assert [(e.part, e.round, list(e.recipients)) for e in replied] == [
        ("biz1", 1, list(PROPOSERS)),
        ("legal", 1, list(PROPOSERS)),
    ]
    rate(office, agency, pid, "biz1", 30)
    assert office.proposals.get(pid).status is ProposalStatus.REPLIED
    rate(office, agency, pid, "legal", 31, Rating.BASICALLY_SATISFIED)
    item = office.proposals.get(pid)
    assert item.status is ProposalStatus.TO_CLOSE
    assert item.overall_rating is Rating.BASICALLY_SATISFIED
    office.proposals.close(pid, by=agency.secretary, at=day(32))
    closed = [e for e in recorded_since(office, 0) if type(e).__name__ == "Closed"][-1]
    assert [(o.unit, o.result.code, o.rating) for o in closed.parts] == [
        ("biz1", "A", Rating.SATISFIED),
        ("legal", "A", Rating.BASICALLY_SATISFIED),
    ]
    assert_trail_authorised(office, pid)


def test_a_part_is_answered_only_by_the_head_of_its_own_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 一] 一把手负总责: each lead unit's head answers for its part, not for
    another unit's; and a step of an item in parts names its part."""
    pid = split_item(office, agency)
    pr = office.proposals
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        pr.draft_reply(
            pid, text="越权答复", result="A", part="legal", by=agency.unit_head, at=day(5)
        )
    with assert_nothing_recorded(office), pytest.raises(PartRequired):
        pr.draft_reply(pid, text="答复", result="A", by=agency.unit_head, at=day(5))
    with assert_nothing_recorded(office), pytest.raises(NotAnAssignedUnit):
        pr.draft_reply(pid, text="答复", result="A", part="biz2", by=agency.unit_head2, at=day(5))
    pr.draft_reply(pid, text="答复", result="A", part="biz1", by=agency.unit_head, at=day(5))
    with assert_nothing_recorded(office), pytest.raises(ReplyNotReviewed):
        pr.send_reply(pid, part="biz1", by=agency.unit_head, at=day(6))
    with assert_nothing_recorded(office), pytest.raises(PartNotReady):
        pr.review_reply(pid, checks=check_sheet(), part="legal", by=agency.secretary, at=day(6))


def test_an_assignment_in_parts_names_two_or_more_lead_units_and_no_co_handlers(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 分办 is to several lead units, each answering directly; a single lead unit
    with co-handlers is the 主办/协办 flow [000 范文2 二 一]."""
    pr = office.proposals
    pid = pr.submit(
        kind="政协提案",
        proposers=["王委员"],
        field="commerce",
        title="关于商贸流通的提案",
        content="内容",
        by=agency.secretary,
        at=T0,
    )
    refused: list[dict[str, Any]] = [
        {"parts": {"biz1": "一部分"}},
        {"parts": {"biz1": "一", "legal": "二"}, "co_units": ["finance"]},
        {"parts": {"biz1": "一", "legal": "二"}, "lead_unit": "biz1"},
        {"parts": [("biz1", "一"), ("biz1", "二")]},
        {"parts": {"biz1": "一", "legal": " "}},
        {"parts": "biz1"},
        {},
    ]
    for kwargs in refused:
        with assert_nothing_recorded(office), pytest.raises(InvalidInput):
            pr.assign(
                pid, secretary=agency.secretary, by=agency.supervision_officer, at=day(1), **kwargs
            )
    pr.assign(
        pid,
        parts=[("biz2", "商贸部分"), ("legal", "法规部分")],
        secretary=agency.secretary,
        by=agency.supervision_officer,
        at=day(1),
    )
    assert office.proposals.get(pid).units == ("biz2", "legal")


def test_dissatisfaction_with_one_part_reopens_that_part_only(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 不满意则重新办理, within two months — of the part the proposer is not
    satisfied with; the other part stays answered and rated."""
    pid = split_item(office, agency)
    answer(office, agency, pid, "biz1", 10)
    answer(office, agency, pid, "legal", 12)
    rate(office, agency, pid, "biz1", 20)
    office.proposals.record_feedback(
        pid, proposer="马玉英", rating="不满意", part="legal", by=agency.secretary, at=day(20)
    )
    item = office.proposals.get(pid)
    assert item.part("legal").status is ProposalStatus.HANDLING
    assert item.part("legal").due == date(2026, 5, 22)  # two months from 22 March
    assert item.part("biz1").status is ProposalStatus.TO_CLOSE
    assert item.status is ProposalStatus.HANDLING
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.proposals.close(pid, by=agency.secretary, at=day(21))
    answer(office, agency, pid, "legal", 30)
    assert office.proposals.get(pid).part("legal").replies[-1].round == 2
    with assert_nothing_recorded(office), pytest.raises(FeedbackOutstanding):
        office.proposals.close(pid, by=agency.secretary, at=day(33))
    rate(office, agency, pid, "legal", 40)
    office.proposals.close(pid, by=agency.secretary, at=day(41))
    assert office.proposals.get(pid).status is ProposalStatus.CLOSED


def test_each_part_is_urged_on_its_own(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 三 一] 每半月催办 and 督办函 for 逾期未办: each lead unit is urged for its own
    part while it owes the answer; an answered part is not urged."""
    pid = split_item(office, agency)
    answer(office, agency, pid, "biz1", 5)
    urged = office.proposals.tick(day(17))  # Thursday 19 March: half a month after day 1
    assert [(d.details["unit"], d.details["channel"]) for d in urged] == [
        ("legal", ProposalUrgeChannel.PHONE)
    ]
    with assert_nothing_recorded(office), pytest.raises(LetterNotOverdue):
        office.proposals.urge(
            pid,
            channel="督办函",
            unit="legal",
            new_deadline=date(2026, 6, 30),
            by=agency.secretary,
            at=day(20),
        )
    with assert_nothing_recorded(office), pytest.raises(PartRequired):
        office.proposals.urge(pid, channel="电话催办", by=agency.secretary, at=day(20))
    office.proposals.urge(pid, channel="实地催办", unit="legal", by=agency.secretary, at=day(20))
    overdue = pendulum.datetime(2026, 6, 4, 9, tz=ZONE)
    assert office.proposals.get(pid).is_overdue(overdue, ZONE)
    letters = office.proposals.tick(overdue)
    assert [(d.details["unit"], d.details["channel"]) for d in letters] == [
        ("legal", ProposalUrgeChannel.LETTER)
    ]
    assert office.proposals.tick(overdue) == []


def test_the_queue_shows_each_lead_unit_its_part(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 二 二] each lead unit sees its own part to answer, with what it answers;
    once one part is answered, only the other waits."""
    pid = split_item(office, agency)
    for unit, subject in PARTS.items():
        mine = [i for i in office.queues.for_unit(unit) if i.record_id == str(pid)]
        assert [(i.step, i.detail, i.people) for i in mine] == [
            ("handle", subject, (heads(agency)[unit],))
        ]
        assert mine[0].due == date(2026, 6, 3)
    answer(office, agency, pid, "biz1", 10)
    assert [i for i in office.queues.for_unit("biz1") if i.record_id == str(pid)] == []
    assert [i.step for i in office.queues.for_unit("legal") if i.record_id == str(pid)] == [
        "handle"
    ]
    feedback = [i for i in office.queues.for_person(agency.secretary) if i.record_id == str(pid)]
    assert [(i.step, i.detail) for i in feedback] == [("feedback", PARTS["biz1"])]
    urges = office.queues.to_urge(on=date(2026, 3, 19))
    assert [(u.targets, u.channel) for u in urges if u.record_id == str(pid)] == [
        (("legal",), "电话催办")
    ]


def test_the_figures_count_an_item_in_parts_once_and_each_part_for_its_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇5/篇6] 办复率 and 满意率 (ADR 0050): the annual report counts the item once —
    answered when every part is, rated by its lowest part; the rankings count each lead
    unit's part for that unit."""
    pid = split_item(office, agency)
    answer(office, agency, pid, "biz1", 10, result="A")
    half = proposal_figures(recorded_since(office, 0), year=2026, zone=ZONE)
    assert (half.submitted, half.replied, half.reply_rate) == (1, 0, 0.0)
    answer(office, agency, pid, "legal", 20, result="B")
    rate(office, agency, pid, "biz1", 30, Rating.SATISFIED)
    rate(office, agency, pid, "legal", 30, Rating.DISSATISFIED)
    figures = proposal_figures(recorded_since(office, 0), year=2026, zone=ZONE)
    assert (figures.replied, figures.reply_rate, figures.rated) == (1, 1.0, 1)
    assert figures.satisfaction_rate == 0.0  # its least satisfied part
    assert figures.result_shares == {"A": 0.5, "B": 0.5}
    assert figures.on_time_rate == 1.0
    report = office.reports.annual(2026).proposals  # the report's view, built incrementally
    assert (report.replied, report.rated, report.satisfied, report.on_time) == (1, 1, 0, 1)
    assert {s.code: s.value for s in report.result_shares.shares if s.value} == {
        "A": 0.5,
        "B": 0.5,
    }
    period = Period(date(2026, 3, 1), date(2026, 4, 30))
    reply = office.rankings.rank(period, Measure.PROPOSAL_REPLY)
    replied = {r.unit: r.figures[Measure.PROPOSAL_REPLY].value for r in reply.rows}
    assert replied["biz1"] == 1.0 and replied["legal"] == 1.0
    satisfaction = office.rankings.rank(period, Measure.PROPOSAL_SATISFACTION)
    rated = {r.unit: r.figures[Measure.PROPOSAL_SATISFACTION].value for r in satisfaction.rows}
    assert rated["biz1"] == 1.0 and rated["legal"] == 0.0


def test_a_reply_on_the_due_day_written_in_utc_is_on_time(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0022: a part sent at 23:30 on its due day in Beijing (15:30 UTC) is on time; the
    other sent 30 minutes later (16:00 UTC, the next day in Beijing) is late."""
    pid = split_item(office, agency)
    pr, due = office.proposals, date(2026, 6, 3)
    for part in ("biz1", "legal"):
        head = heads(agency)[part]
        pr.draft_reply(pid, text="答复", result="A", part=part, by=head, at=day(80))
    for part in ("biz1", "legal"):
        pr.review_reply(pid, checks=check_sheet(), part=part, by=agency.secretary, at=day(81))
    pr.send_reply(
        pid, part="biz1", by=agency.unit_head, at=pendulum.datetime(2026, 6, 3, 15, 30, tz="UTC")
    )
    pr.send_reply(
        pid, part="legal", by=agency.legal_head, at=pendulum.datetime(2026, 6, 3, 16, tz="UTC")
    )
    sent = {e.part: e.on_time for e in recorded_since(office, 0) if type(e).__name__ == "Replied"}
    assert sent == {"biz1": True, "legal": False}
    assert office.proposals.get(pid).due == due


# --- the single-lead flow and its stored events ------------------------------------------

FIXTURE = Path(__file__).parent.parent / "fixtures" / "stored" / "proposal-single-lead-v1.json"


@pytest.fixture(params=["memory", "sqlite"])
def restored(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A fresh office holding, byte for byte, a store written before 分办 existed."""
    url = "memory" if request.param == "memory" else f"sqlite:///{tmp_path / 'old.db'}"
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    office = office_for_tests(url, start=T0)
    office.app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=uuid.UUID(e["originator_id"]),
                originator_version=e["originator_version"],
                topic=e["topic"],
                state=base64.b64decode(e["state"]),
            )
            for e in stored["events"]
        ]
    )
    yield office, stored
    office.close()


def test_a_store_written_before_parts_replays(restored: tuple[TestOffice, Any]) -> None:
    """Old payloads (no ``parts``, no ``part``) replay as single-lead items: the closed item
    with its reopened round, the open one still handled by 业务一处, the figures, the queue
    and the rankings rebuilt from them, and the audit trail (ADR 0005, 0044)."""
    office, stored = restored
    closed = office.proposals.get(stored["proposal"])
    assert closed.status is ProposalStatus.CLOSED and not closed.split
    assert [r.round for r in closed.replies] == [1, 2]
    assert closed.overall_rating is Rating.BASICALLY_SATISFIED
    still = office.proposals.get(stored["open_proposal"])
    assert still.status is ProposalStatus.HANDLING and still.lead_units == ("biz1",)
    assert still.units == ("biz1", "finance")
    figures = proposal_figures(recorded_since(office, 0), year=2026, zone=ZONE)
    assert (figures.submitted, figures.replied, figures.rated) == (2, 1, 1)
    assert figures.result_shares == {"B": 1.0}
    waiting = [i for i in office.queues.for_unit("biz1") if i.record_id == stored["open_proposal"]]
    assert [i.step for i in waiting] == ["handle"]
    assert_trail_authorised(office, uuid.UUID(stored["proposal"]))
    # the single-lead flow goes on with today's code
    office.proposals.give_co_opinion(
        stored["open_proposal"],
        unit="finance",
        opinion="同意",
        by="wei.caiwu",
        at=pendulum.datetime(2026, 5, 1, 9, tz=ZONE),
    )
    office.proposals.draft_reply(
        stored["open_proposal"],
        text="答复",
        result="A",
        by=stored["people"]["unit_head"],
        at=pendulum.datetime(2026, 5, 2, 9, tz=ZONE),
    )
    assert office.proposals.get(stored["open_proposal"]).status is ProposalStatus.REPLY_IN_REVIEW


def test_a_part_passes_to_the_unit_that_takes_over_its_lead_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0023: 处室合并 hands the open work over; a part of an item in parts goes to the
    unit taking over, whose head then answers it [000 范文2 二 一]."""
    pid = split_item(office, agency)
    handed = office.org.merge_unit(unit_id="legal", into="party", by=agency.admin, at=day(3))
    assert handed >= 1
    item = office.proposals.get(pid)
    assert item.units == ("biz1", "party") and item.part("party").subject == PARTS["legal"]
    waiting = [i for i in office.queues.for_unit("party") if i.record_id == str(pid)]
    assert [i.step for i in waiting] == ["handle"]
    office.proposals.draft_reply(
        pid, text="答复", result="A", part="party", by=agency.party_head, at=day(5)
    )
    assert office.proposals.get(pid).part("party").status is ProposalStatus.REPLY_IN_REVIEW
    assert_trail_authorised(office, pid)


def test_two_lead_units_of_an_open_item_in_parts_are_not_merged(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0050: each part is answered by its own unit; merging one lead unit into the
    other while the item is open is refused, and nothing is recorded (the organisation
    included)."""
    pid = split_item(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PartsCannotMerge):
        office.org.merge_unit(unit_id="legal", into="biz1", by=agency.admin, at=day(3))
    assert office.proposals.get(pid).units == ("biz1", "legal")
    assert "legal" in office.org.current().units


def test_a_part_returned_by_the_review_goes_to_the_head_of_that_part(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 二] a reply failing a check goes back to the unit that wrote it: in an
    item in parts, the head of that part's unit hears of it, not the first lead unit's."""
    from govoffice.adapters.notifiers import MemoryNotifier
    from govoffice.application.notifications import NotificationKind

    outbox = MemoryNotifier()
    office.notifications.notifier = outbox
    pid = split_item(office, agency)
    pr = office.proposals
    pr.draft_reply(pid, text="答复", result="A", part="legal", by=agency.legal_head, at=day(5))
    failed = pr.review_reply(
        pid, checks=check_sheet(["format"]), part="legal", by=agency.secretary, at=day(6)
    )
    assert [c.value for c in failed] == ["format"]
    assert office.proposals.get(pid).part("legal").status is ProposalStatus.HANDLING
    office.notifications.deliver()
    returned = [m for m in outbox.sent if m.kind is NotificationKind.REPLY_RETURNED]
    assert [m.recipient for m in returned] == [agency.legal_head]
