"""建议提案办理 — every rule of handling deputy suggestions and CPPCC proposals, through
``office.proposals``.

One test per rule, named in the office's words. The allowed path records events; a refused
step raises a named error and records nothing (``assert_nothing_recorded``).

Citations: ``[000 范文2 …]`` is the district government's report on handling suggestions
(part 一 基本情况; part 二 subsections 二 (三个到位: 一是制度, 二是责任) and 三 (三个环节:
一是催办, 二是反馈)); ``[003 篇5]``/``[003 篇6]`` the figures reported in the speeches. The
periods (three months, six at most, the dispute window, one month for co-handlers, the
re-answer after dissatisfaction) are not in the seeds: [001] lists its 人大建议、政协提案办理
工作规程 only in the table of contents (目录 12). They come from the local rules collected in
the reference notes, cited ``[ref §2.4]``/``[ref §2.5]`` (domain-rules-and-systems.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.errors import InvalidInput, PermissionDenied, TimeGoesBackwards, WrongStatus
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.proposal import (
    AlreadyRated,
    CoHandlerOpinionsMissing,
    DisputeWindowClosed,
    DuplicateProposer,
    ExtensionAfterDeadline,
    ExtensionBeyondLimit,
    FeedbackOutstanding,
    Field,
    FollowUpOutstanding,
    IncompleteReview,
    LetterNotOverdue,
    NotAnAssignedUnit,
    OpinionAlreadyGiven,
    ProposalKind,
    ProposalPolicy,
    ProposalStatus,
    ProposalUrgeChannel,
    Proposer,
    Rating,
    ReassignmentUnchanged,
    ReplyCheck,
    ReplyChecksFailed,
    ReplyNotReviewed,
    ResultClassNotInScheme,
    ResultScheme,
    TaskAlreadyLinked,
    UnknownProposer,
    check_sheet,
)
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    office_for_tests,
    proposal,
    recorded_since,
    standard_agency,
)

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)  # the standard agency is set up at T0


def day(n: int, hour: int = 9) -> pendulum.DateTime:
    """Business time ``n`` days after T0 (a Monday)."""
    return T0.add(days=n).set(hour=hour)


def on(d: date, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(d.year, d.month, d.day, hour, tz=ZONE)


def events_of(office: Office, since: int = 0) -> list[str]:
    return [type(e).__name__ for e in recorded_since(office, since)]


def last_event(office: Office, name: str) -> Any:
    return [e for e in recorded_since(office, 0) if type(e).__name__ == name][-1]


def position(office: Office) -> int:
    return office.app.recorder.max_notification_id() or 0


# --- registration -------------------------------------------------------------------------


def test_a_suggestion_is_registered_with_its_kind_field_and_proposers(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 一、基本情况] 建议经整理后按财政金融、人事劳动和社会保障、工交等领域分类登记."""
    pid = office.proposals.submit(
        kind="政协提案",
        proposers=[Proposer("李委员", "民盟界别"), "王委员"],
        field="农林水利、城建",
        title="关于加快老旧小区改造的提案",
        content="建议加快改造进度。",
        by=agency.secretary,
    )
    item = office.proposals.get(pid)
    assert item.kind is ProposalKind.CPPCC_PROPOSAL
    assert item.field is Field.AGRICULTURE_WATER_URBAN
    assert [x.name for x in item.proposers] == ["李委员", "王委员"]
    assert item.joint and item.status is ProposalStatus.SUBMITTED
    assert item.scheme == ResultScheme.seed()


def test_the_fields_are_those_of_the_seed(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 一、基本情况] 六个领域: 财政金融、人事劳保、工交、文教卫生、农林水利城建、商贸流通."""
    assert [f.label for f in Field] == [
        "财政金融",
        "人事劳动和社会保障",
        "工交",
        "文教卫生",
        "农林水利、城建",
        "商贸流通",
    ]
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.proposals.submit(
            kind="人大代表建议",
            proposers=["甲"],
            field="航天",
            title="t",
            content="c",
            by=agency.secretary,
        )


def test_a_joint_proposal_names_each_proposer_once(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4] 联名建议答复每一位提出人, so each proposer is listed exactly once."""
    with assert_nothing_recorded(office), pytest.raises(DuplicateProposer):
        office.proposals.submit(
            kind="人大代表建议",
            proposers=["马玉英", "马玉英"],
            field="文教卫生",
            title="t",
            content="c",
            by=agency.secretary,
        )


def test_only_the_office_registers_suggestions(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 二 二] 区府办负责落实人员具体督促协调办理工作: registration is the office's."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.submit(
            kind="人大代表建议",
            proposers=["甲"],
            field="工交",
            title="t",
            content="c",
            by=agency.drafter,
        )


# --- assignment -----------------------------------------------------------------------------


def test_assignment_gives_a_lead_unit_co_handlers_a_secretary_and_three_months(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 二; ref §2.4] 召开交办会落实责任单位, 指派办公室秘书; 自交办之日起三个月内办复."""
    pid = proposal(office, agency, to=ProposalStatus.SUBMITTED)
    due = office.proposals.assign(
        pid,
        lead_unit="biz1",
        co_units=["finance"],
        secretary=agency.secretary,
        meeting="建议交办会",
        by=agency.supervision_officer,
        at=day(1),
    )
    item = office.proposals.get(pid)
    assert due == date(2026, 6, 3) == item.due  # 2026-03-03 + 3 months, the corresponding day
    assert item.assignment is not None
    assert (item.lead_unit, item.co_units, item.assignment.secretary) == (
        "biz1",
        ("finance",),
        agency.secretary,
    )
    assert item.status is ProposalStatus.HANDLING


def test_a_month_period_ending_on_a_holiday_ends_on_the_next_working_day(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.10; 民法典 203] 期间最后一日是法定休假日的,以休假日结束的次日为最后一日."""
    pid = proposal(office, agency, to=ProposalStatus.SUBMITTED)
    due = office.proposals.assign(
        pid,
        lead_unit="biz1",
        secretary=agency.secretary,
        by=agency.supervision_officer,
        at=on(date(2026, 7, 1)),
    )
    assert due == date(2026, 10, 8)  # 10-01 falls in the National Day holiday (10-01..10-07)


def test_only_the_office_assigns(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 二 二] 及时召开交办会,落实办理每件建议案的责任单位: the office assigns."""
    pid = proposal(office, agency, to=ProposalStatus.SUBMITTED)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.assign(
            pid, lead_unit="biz1", secretary=agency.secretary, by=agency.unit_head, at=day(1)
        )


def test_the_lead_unit_is_not_also_a_co_handler(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 二 一] 涉及多个单位的,主办单位负责协调答复,协办单位积极配合: two distinct roles."""
    pid = proposal(office, agency, to=ProposalStatus.SUBMITTED)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.proposals.assign(
            pid,
            lead_unit="biz1",
            co_units=["biz1"],
            secretary=agency.secretary,
            by=agency.supervision_officer,
            at=day(1),
        )


def test_a_unit_disputes_its_assignment_within_the_window_and_the_office_reassigns(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.5] 承办单位对交办有异议的,在规定时限内(本库取5个工作日)提出,由交办机构重新交办."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    item = office.proposals.get(pid)
    assert item.assignment is not None and item.assignment.dispute_until == date(2026, 3, 10)
    office.proposals.dispute_assignment(
        pid, unit="biz1", reason="属人事劳动部门职责", by=agency.unit_head, at=on(date(2026, 3, 10))
    )
    assert office.proposals.get(pid).status is ProposalStatus.DISPUTED
    due = office.proposals.reassign(
        pid,
        lead_unit="biz2",
        co_units=["finance"],
        reason="改由业务二处主办",
        by=agency.supervision_officer,
        at=on(date(2026, 3, 12)),
    )
    item = office.proposals.get(pid)
    assert (item.lead_unit, item.status, due) == (
        "biz2",
        ProposalStatus.HANDLING,
        date(2026, 6, 12),
    )


def test_a_dispute_after_the_window_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.5] 逾期未提出异议的,承办单位应当办理."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    with assert_nothing_recorded(office), pytest.raises(DisputeWindowClosed):
        office.proposals.dispute_assignment(
            pid, unit="biz1", reason="不属本单位职责", by=agency.unit_head, at=on(date(2026, 3, 11))
        )


def test_a_unit_never_forwards_an_item_itself(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.5] 承办单位不得自行转办: only the office reassigns, even after a dispute."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    office.proposals.dispute_assignment(
        pid, unit="biz1", reason="不属本单位职责", by=agency.unit_head, at=day(3)
    )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.reassign(
            pid, lead_unit="biz2", reason="转业务二处", by=agency.unit_head, at=day(4)
        )


def test_only_the_head_of_an_assigned_unit_disputes(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.5] 异议由承办单位提出: not by another unit, nor by someone who is not its head."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    with assert_nothing_recorded(office), pytest.raises(NotAnAssignedUnit):
        office.proposals.dispute_assignment(
            pid, unit="legal", reason="x", by=agency.legal_head, at=day(2)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.dispute_assignment(
            pid, unit="biz1", reason="x", by=agency.drafter, at=day(2)
        )


def test_a_reassignment_must_change_the_units(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.5] 有异议的重新交办: giving the item back to the same units is no reassignment."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    office.proposals.dispute_assignment(
        pid, unit="finance", reason="x", by=agency.finance_head, at=day(2)
    )
    with assert_nothing_recorded(office), pytest.raises(ReassignmentUnchanged):
        office.proposals.reassign(
            pid,
            lead_unit="biz1",
            co_units=["finance"],
            reason="维持",
            by=agency.supervision_officer,
            at=day(3),
        )


# --- co-handlers, meeting the proposer -----------------------------------------------------------


def test_a_co_handlers_opinion_is_due_within_one_month_and_marked_late_after(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 协办单位应当在一个月内将协办意见送主办单位."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_units=("finance", "biz2"))
    item = office.proposals.get(pid)
    assert item.assignment is not None and item.assignment.co_opinion_due == date(2026, 4, 3)
    office.proposals.give_co_opinion(
        pid, unit="finance", opinion="可安排资金", by=agency.finance_head, at=on(date(2026, 4, 3))
    )
    assert last_event(office, "CoHandlerOpinionGiven").late is False
    office.proposals.give_co_opinion(
        pid, unit="biz2", opinion="无意见", by=agency.unit_head2, at=on(date(2026, 4, 7))
    )
    assert last_event(office, "CoHandlerOpinionGiven").late is True


def test_the_lead_unit_replies_only_with_every_co_handlers_opinion(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 一] 由主办单位负责协调答复,协办单位积极配合: the opinions come first."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    with assert_nothing_recorded(office), pytest.raises(CoHandlerOpinionsMissing):
        office.proposals.draft_reply(pid, text="答复", result="A", by=agency.unit_head, at=day(5))


def test_a_co_handler_gives_its_opinion_once(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4] 协办意见 is sent to the lead unit once; the lead unit answers for all."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(OpinionAlreadyGiven):
        office.proposals.give_co_opinion(
            pid, unit="finance", opinion="再议", by=agency.finance_head, at=day(11)
        )


def test_meeting_the_proposer_is_recorded_by_the_lead_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 一] 走访见面制度: the lead unit meets the proposer, and it is on record."""
    pid = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_opinions=True, proposers=("马玉英", "张代表")
    )
    office.proposals.meet_proposer(
        pid, proposer="张代表", how="座谈", notes="当面听取意见", by=agency.drafter, at=day(12)
    )
    assert office.proposals.get(pid).meetings == ("张代表",)
    with assert_nothing_recorded(office), pytest.raises(UnknownProposer):
        office.proposals.meet_proposer(
            pid, proposer="路人", notes="x", by=agency.drafter, at=day(13)
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.meet_proposer(
            pid, proposer="马玉英", notes="x", by=agency.drafter2, at=day(13)
        )


# --- extension --------------------------------------------------------------------------------


def test_an_extension_approved_before_the_deadline_may_reach_six_months(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 情况复杂的,经交办机构同意,可延至自交办之日起六个月内办复."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    office.proposals.grant_extension(
        pid,
        until=date(2026, 9, 3),
        reason="涉及预算调整",
        by=agency.supervision_officer,
        at=on(date(2026, 6, 3)),
    )
    assert office.proposals.get(pid).due == date(2026, 9, 3)
    granted = last_event(office, "ExtensionGranted")
    assert (granted.previous_due, granted.latest) == (date(2026, 6, 3), date(2026, 9, 3))


def test_an_extension_beyond_six_months_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4] 最长不超过自交办之日起六个月."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(ExtensionBeyondLimit):
        office.proposals.grant_extension(
            pid, until=date(2026, 9, 4), reason="x", by=agency.supervision_officer, at=day(30)
        )


def test_an_extension_after_the_deadline_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4] 延期须在办理期限届满前报批."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(ExtensionAfterDeadline):
        office.proposals.grant_extension(
            pid,
            until=date(2026, 8, 1),
            reason="x",
            by=agency.supervision_officer,
            at=on(date(2026, 6, 4)),
        )


def test_a_local_rule_of_one_more_month_is_configured_in_the_policy(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.5] 有的地方只允许延期一个月: ``ProposalPolicy(max_months=4)``."""
    office.proposals.configure(policy=ProposalPolicy(max_months=4))
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(ExtensionBeyondLimit):
        office.proposals.grant_extension(
            pid, until=date(2026, 7, 10), reason="x", by=agency.supervision_officer, at=day(30)
        )
    office.proposals.grant_extension(
        pid, until=date(2026, 7, 3), reason="x", by=agency.supervision_officer, at=day(30)
    )
    with pytest.raises(InvalidInput):
        ProposalPolicy(handling_months=3, max_months=2)


# --- urging -------------------------------------------------------------------------------------


def test_units_with_many_items_are_urged_weekly_and_the_others_every_half_month(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 一] 电话催办: 对承办数量多的重点单位每周催办一次,其它单位每半月一次."""
    office.proposals.configure(policy=ProposalPolicy(busy_threshold=2))
    busy = [
        proposal(office, agency, to=ProposalStatus.HANDLING, co_units=(), at=T0) for _ in range(2)
    ]
    quiet = proposal(office, agency, to=ProposalStatus.SUBMITTED, at=T0)
    office.proposals.assign(
        quiet,
        lead_unit="biz2",
        secretary=agency.secretary,
        by=agency.supervision_officer,
        at=day(1),
    )
    week = office.tick(day(8))
    assert {(d.details["unit"], d.details["channel"]) for d in week} == {
        ("biz1", ProposalUrgeChannel.PHONE)
    }
    assert len(week) == 2
    fortnight = office.tick(day(16))
    assert sorted(d.details["unit"] for d in fortnight) == ["biz1", "biz1", "biz2"]
    assert {office.proposals.get(b).urges for b in busy} == {2}
    assert office.proposals.get(quiet).urges == 1


def test_urging_by_the_clock_is_recorded_once_however_often_it_runs(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 一] 定期进行催办: each due urge exactly once."""
    proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    first = office.tick(day(17))
    assert [d.action for d in first] == ["Urged"]
    with assert_nothing_recorded(office):
        assert office.tick(day(17)) == []
        assert office.tick(day(18)) == []


def test_an_overdue_item_gets_a_supervision_letter_with_a_new_deadline(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 一] 对于逾期未办的,及时下发督办函,限定在规定期限内答复完毕."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    after = on(date(2026, 6, 4))
    recorded = office.tick(after)
    letters = [d for d in recorded if d.details["channel"] is ProposalUrgeChannel.LETTER]
    assert len(letters) == 1 and letters[0].by == agency.secretary
    assert letters[0].details["new_deadline"] == office.calendar.add_working_days(after.date(), 10)
    assert office.proposals.get(pid).is_overdue(after, office.time_zone)
    later = office.tick(after.add(days=20))
    assert [d.details["channel"] for d in later] == [ProposalUrgeChannel.PHONE]


def test_a_supervision_letter_is_only_for_overdue_items(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 一] 公文催办 (督办函) is for 逾期未办的."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(LetterNotOverdue):
        office.proposals.urge(
            pid,
            channel="督办函",
            new_deadline=date(2026, 6, 30),
            by=agency.supervision_officer,
            at=day(30),
        )
    office.proposals.urge(
        pid,
        channel=ProposalUrgeChannel.LETTER,
        new_deadline=date(2026, 6, 20),
        by=agency.supervision_officer,
        at=on(date(2026, 6, 5)),
    )
    assert last_event(office, "Urged").new_deadline == date(2026, 6, 20)


def test_phone_and_on_site_urging_is_recorded(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 三 一] 催办的方式: 电话催办、公文催办、实地催办."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING)
    office.proposals.urge(pid, channel="电话催办", by=agency.supervision_officer, at=day(5))
    office.proposals.urge(
        pid, channel="实地催办", unit="finance", note="到基层调研", by=agency.secretary, at=day(6)
    )
    assert [
        (e.unit, e.channel) for e in recorded_since(office, 0) if type(e).__name__ == "Urged"
    ] == [
        ("biz1", ProposalUrgeChannel.PHONE),
        ("finance", ProposalUrgeChannel.ON_SITE),
    ]
    with assert_nothing_recorded(office), pytest.raises(NotAnAssignedUnit):
        office.proposals.urge(pid, channel="电话催办", unit="legal", by=agency.secretary, at=day(7))


def test_a_late_co_handler_is_reminded_once(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4; 000 范文2 三 一] 协办意见逾期的,催办协办单位."""
    proposal(office, agency, to=ProposalStatus.HANDLING)
    with assert_nothing_recorded(office):  # 6 April 2026 is 清明节, a statutory holiday
        assert office.tick(on(date(2026, 4, 6))) == []
    recorded = office.tick(on(date(2026, 4, 7)))
    assert ("finance", ProposalUrgeChannel.PHONE) in [
        (d.details["unit"], d.details["channel"]) for d in recorded
    ]
    again = office.tick(on(date(2026, 4, 8)))
    assert "finance" not in [d.details["unit"] for d in again]


# --- the reply and its review -----------------------------------------------------------------


def test_the_reply_is_drafted_by_the_head_of_the_lead_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 答复由承办单位负责人签署: the lead unit's head drafts it."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.draft_reply(pid, text="答复", result="A", by=agency.drafter, at=day(20))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.draft_reply(
            pid, text="答复", result="A", by=agency.finance_head, at=day(20)
        )


def test_every_one_of_the_nine_checks_is_recorded(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 三 二] 区府办会审,重点做到"九看"."""
    pid = proposal(office, agency, to=ProposalStatus.REPLY_IN_REVIEW)
    partial = {c: True for c in list(ReplyCheck)[:8]}
    with assert_nothing_recorded(office), pytest.raises(IncompleteReview):
        office.proposals.review_reply(pid, checks=partial, by=agency.secretary, at=day(21))
    office.proposals.review_reply(pid, checks=check_sheet(), by=agency.secretary, at=day(21))
    reviewed = last_event(office, "ReplyReviewed")
    assert [r.check for r in reviewed.results] == list(ReplyCheck)
    assert len(ReplyCheck) == 9 and all(r.passed for r in reviewed.results)


def test_a_reply_failing_a_check_goes_back_with_the_failures_listed(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 二] 对于不符合或部分符合的答复意见,转承办单位进一步修改完善,重新予以答复."""
    pid = proposal(office, agency, to=ProposalStatus.REPLY_IN_REVIEW)
    failed = office.proposals.review_reply(
        pid,
        checks=check_sheet(["complete", ReplyCheck.SINCERE]),
        notes={"complete": "第二个问题未答"},
        by=agency.secretary,
        at=day(21),
    )
    assert failed == (ReplyCheck.COMPLETE, ReplyCheck.SINCERE)
    assert last_event(office, "ReplyReturned").failed == [ReplyCheck.COMPLETE, ReplyCheck.SINCERE]
    item = office.proposals.get(pid)
    assert item.status is ProposalStatus.HANDLING and item.failed_checks == failed
    office.proposals.draft_reply(
        pid, text="补充答复第二个问题", result="A", by=agency.unit_head, at=day(22)
    )
    assert (
        office.proposals.review_reply(pid, checks=check_sheet(), by=agency.secretary, at=day(23))
        == ()
    )


def test_a_reply_cannot_be_sent_while_a_check_fails(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 三 二] 对于符合这九条标准的答复件 ... 再答复各位人大代表: only those."""
    pid = proposal(office, agency, to=ProposalStatus.REPLY_IN_REVIEW)
    office.proposals.review_reply(
        pid, checks=check_sheet(["format"]), by=agency.secretary, at=day(21)
    )
    with assert_nothing_recorded(office), pytest.raises(ReplyChecksFailed) as refused:
        office.proposals.send_reply(pid, by=agency.unit_head, at=day(22))
    assert refused.value.failed == (ReplyCheck.FORMAT,)


def test_a_reply_cannot_be_sent_before_the_office_has_reviewed_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 二] 认真把关,做好复函的审稿、定稿工作."""
    pid = proposal(office, agency, to=ProposalStatus.REPLY_IN_REVIEW)
    with assert_nothing_recorded(office), pytest.raises(ReplyNotReviewed):
        office.proposals.send_reply(pid, by=agency.unit_head, at=day(21))


def test_only_an_office_reviewer_reviews_the_reply(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 三 二] 由区府办进行会审."""
    pid = proposal(office, agency, to=ProposalStatus.REPLY_IN_REVIEW)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.proposals.review_reply(pid, checks=check_sheet(), by=agency.unit_head, at=day(21))


def test_the_result_class_is_one_of_the_seeds_three(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2 一、基本情况] 已解决或基本解决 / 正在解决或列入规划 / 作为参考: A/B/C."""
    assert ResultScheme.seed().codes == ("A", "B", "C")
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(ResultClassNotInScheme):
        office.proposals.draft_reply(pid, text="答复", result="D", by=agency.unit_head, at=day(20))


def test_the_national_four_class_scheme_is_configurable(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 全国人大实践分A/B/C/D四类; items keep the scheme they were registered with."""
    before = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    office.proposals.configure(scheme=ResultScheme.national())
    after = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    office.proposals.draft_reply(
        after, text="留作参考", result="D", by=agency.unit_head, at=day(20)
    )
    assert last_event(office, "ReplyDrafted").result.label == "所提问题留作参考"
    with assert_nothing_recorded(office), pytest.raises(ResultClassNotInScheme):
        office.proposals.draft_reply(before, text="x", result="D", by=agency.unit_head, at=day(20))


# --- answering, feedback, follow-up, closing ------------------------------------------------------


def test_a_joint_proposal_is_answered_to_each_proposer_and_each_rates_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4; 000 范文2 一、基本情况] 逐个进行了书面答复; 联名的答复每一位提出人,各自评价."""
    pid = proposal(office, agency, to=ProposalStatus.REPLIED, proposers=("马玉英", "张代表"))
    assert last_event(office, "Replied").recipients == ["马玉英", "张代表"]
    office.proposals.record_feedback(
        pid, proposer="马玉英", rating="满意", by=agency.secretary, at=day(30)
    )
    item = office.proposals.get(pid)
    assert item.status is ProposalStatus.REPLIED and item.awaiting_feedback == ("张代表",)
    office.proposals.record_feedback(
        pid, proposer="张代表", rating="基本满意", by=agency.secretary, at=day(31)
    )
    item = office.proposals.get(pid)
    assert item.status is ProposalStatus.TO_CLOSE
    assert item.overall_rating is Rating.BASICALLY_SATISFIED  # the lowest of the proposers'


def test_a_reply_after_the_deadline_counts_as_late(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4] 三个月内办复: the reply records whether it met its deadline."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    office.proposals.draft_reply(
        pid, text="答复", result="A", by=agency.unit_head, at=on(date(2026, 6, 1))
    )
    office.proposals.review_reply(
        pid, checks=check_sheet(), by=agency.secretary, at=on(date(2026, 6, 3))
    )
    office.proposals.send_reply(pid, by=agency.unit_head, at=on(date(2026, 6, 4)))
    replied = last_event(office, "Replied")
    assert (replied.due, replied.on_time) == (date(2026, 6, 3), False)


def test_dissatisfaction_reopens_handling_with_a_new_deadline(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.4] 代表对答复不满意的,承办单位重新办理,在两个月内再次答复 (本库默认)."""
    pid = proposal(office, agency, to=ProposalStatus.REPLIED, proposers=("马玉英", "张代表"))
    office.proposals.record_feedback(
        pid,
        proposer="张代表",
        rating="不满意",
        opinion="措施不具体",
        by=agency.secretary,
        at=day(30),
    )
    assert events_of(office)[-2:] == ["FeedbackReceived", "Reopened"]
    item = office.proposals.get(pid)
    assert item.status is ProposalStatus.HANDLING
    assert item.due == office.calendar.add_months(day(30).date(), 2) == date(2026, 6, 1)
    office.proposals.record_feedback(
        pid, proposer="马玉英", rating="满意", by=agency.secretary, at=day(31)
    )
    assert events_of(office)[-1] == "FeedbackReceived"  # one reopening per reply
    office.proposals.draft_reply(pid, text="再次答复", result="A", by=agency.unit_head, at=day(40))
    office.proposals.review_reply(pid, checks=check_sheet(), by=agency.secretary, at=day(41))
    office.proposals.send_reply(pid, by=agency.unit_head, at=day(42))
    assert last_event(office, "Replied").round == 2


def test_each_proposer_rates_a_reply_once(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4] 征询意见表 one form per proposer per reply."""
    pid = proposal(office, agency, to=ProposalStatus.REPLIED, proposers=("马玉英", "张代表"))
    office.proposals.record_feedback(
        pid, proposer="马玉英", rating="满意", by=agency.secretary, at=day(30)
    )
    with assert_nothing_recorded(office), pytest.raises(AlreadyRated):
        office.proposals.record_feedback(
            pid, proposer="马玉英", rating="不满意", by=agency.secretary, at=day(31)
        )
    with assert_nothing_recorded(office), pytest.raises(UnknownProposer):
        office.proposals.record_feedback(
            pid, proposer="路人", rating="满意", by=agency.secretary, at=day(31)
        )


def test_a_b_class_item_is_followed_up_until_solved(office: Office, agency: AgencyPeople) -> None:
    """[ref §2.4; 000 范文2 二 二] 正在解决或列入规划的(B类)跟踪落实,解决后再次答复."""
    pid = proposal(office, agency, to=ProposalStatus.FOLLOWING_UP, result="B")
    assert office.proposals.get(pid).status is ProposalStatus.FOLLOWING_UP
    with assert_nothing_recorded(office), pytest.raises(FollowUpOutstanding):
        office.proposals.close(pid, by=agency.secretary, at=day(40))
    office.proposals.follow_up(
        pid, progress="已列入年度预算", solved=False, by=agency.unit_head, at=day(60)
    )
    assert office.proposals.get(pid).status is ProposalStatus.FOLLOWING_UP
    office.proposals.follow_up(
        pid, progress="已落实到位", solved=True, by=agency.unit_head, at=day(120)
    )
    assert last_event(office, "FollowedUp").recipients == ["马玉英"]
    office.proposals.close(pid, by=agency.secretary, at=day(121))
    assert office.proposals.get(pid).status is ProposalStatus.CLOSED


def test_an_item_closes_only_when_every_proposer_has_rated(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 一] 意见反馈制度: the proposers' opinion forms come back before closing."""
    pid = proposal(office, agency, to=ProposalStatus.REPLIED, proposers=("马玉英", "张代表"))
    office.proposals.record_feedback(
        pid, proposer="马玉英", rating="满意", by=agency.secretary, at=day(30)
    )
    with assert_nothing_recorded(office), pytest.raises(FeedbackOutstanding) as refused:
        office.proposals.close(pid, by=agency.secretary, at=day(31))
    assert refused.value.names == ("张代表",)


def test_closing_records_the_result_and_the_overall_rating(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇5] 办复率、满意率: closing keeps the item's result class and its rating."""
    pid = proposal(
        office, agency, to=ProposalStatus.TO_CLOSE, result="C", rating=Rating.BASICALLY_SATISFIED
    )
    office.proposals.close(pid, by=agency.supervision_officer, at=day(31))
    closed = last_event(office, "Closed")
    assert (closed.result.code, closed.rating) == ("C", Rating.BASICALLY_SATISFIED)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.proposals.urge(pid, channel="电话催办", by=agency.secretary, at=day(32))


# --- links, time, history -------------------------------------------------------------------------


def test_a_proposal_knows_the_supervision_tasks_opened_from_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[brief §6] 督办事项来源包括建议提案: the task knows its source, the source its tasks."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    task_id = office.supervision.open(
        source=SourceRef(SourceKind.PROPOSAL, record_id=pid),
        title="督办: 提高居委会干部工资",
        lead_unit="biz1",
        by=agency.supervision_officer,
        at=day(12),
    )
    assert office.proposals.get(pid).supervision_tasks == (task_id,)
    assert office.supervision.get(task_id).source == SourceRef(SourceKind.PROPOSAL, record_id=pid)
    assert office.supervision.tasks_of(pid) == [task_id]
    assert last_event(office, "SupervisionTaskLinked").task_id == task_id
    item = office.proposals.get(pid)
    with pytest.raises(TaskAlreadyLinked):
        item.link_supervision_task(task_id=task_id, by=agency.supervision_officer, at=day(13))
    assert item.pending_events == []


def test_a_step_cannot_be_dated_before_the_previous_one(
    office: Office, agency: AgencyPeople
) -> None:
    """[brief §10] 决策按时间先后记录: replaying to a time gives the state of that time."""
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_opinions=True)
    with assert_nothing_recorded(office), pytest.raises(TimeGoesBackwards):
        office.proposals.meet_proposer(
            pid, proposer="马玉英", notes="x", by=agency.drafter, at=day(5)
        )
    assert office.proposals.as_of(pid, day(2)).status is ProposalStatus.HANDLING
    assert office.proposals.as_of(pid, day(2)).co_opinions == {}
    assert [d.action for d in office.proposals.history(pid)] == [
        "Submitted",
        "Assigned",
        "CoHandlerOpinionGiven",
    ]


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_an_item_reads_back_the_same_from_every_store(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """[brief §10] 记录不可更改、可回放: every event of an item round-trips through each
    durable store (the memory store does not outlive its office)."""
    store_url = (
        f"sqlite:///{tmp_path / 'office.db'}"
        if kind == "sqlite"
        else str(request.getfixturevalue("postgres_schema_url"))
    )
    office = office_for_tests(store_url, start=T0)
    try:
        a = standard_agency(office, T0)
        pid = proposal(
            office, a, to=ProposalStatus.FOLLOWING_UP, proposers=("马玉英", "张代表"), result="B"
        )
        office.proposals.follow_up(pid, progress="已解决", solved=True, by=a.unit_head, at=day(60))
        office.proposals.close(pid, by=a.secretary, at=day(61))
        live = office.proposals.get(pid)
    finally:
        office.close()
    reopened = office_for_tests(store_url, start=T0)
    try:
        item = reopened.proposals.get(pid)
        assert (item.status, item.proposers, item.scheme, item.replies) == (
            ProposalStatus.CLOSED,
            live.proposers,
            live.scheme,
            live.replies,
        )
        assert item.assignment == live.assignment and item.ratings == live.ratings
        assert [d.action for d in reopened.proposals.history(pid)][-3:] == [
            "FeedbackReceived",
            "FollowedUp",
            "Closed",
        ]
    finally:
        reopened.close()
