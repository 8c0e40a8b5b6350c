"""待办 — what waits for each person and unit, the overdue queue, today's urging queue, and
the queue as of a past day, through ``office.queues`` [domain brief §9, §10].

Each record is driven through the public commands; a step appears in the queue of whoever
it waits on and leaves it once done. Dates are real 2026 days on the office's calendar
(China's statutory holidays, ADR 0010).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.office import Office
from govoffice.application.queues import QueueItem, SupervisionUrging
from govoffice.cli import main
from govoffice.domain.errors import UnknownPerson, UnknownUnit
from govoffice.domain.incoming import HandlingKind, Importance, ScreeningCheck
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting import MeetingKind
from govoffice.domain.organisation import Role
from govoffice.domain.proposal import Field, ProposalKind, check_sheet
from govoffice.domain.routing import SenderType
from govoffice.testing import (
    SECURE_PRINT_SITE,
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    office_for_tests,
    standard_agency,
)

ZONE = "Asia/Shanghai"
ALL_PASS = {check: True for check in ScreeningCheck}


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=ZONE)


def steps(items: list[QueueItem]) -> list[tuple[str, str]]:
    """(record id, step) of each item, in queue order."""
    return [(i.record_id, i.step) for i in items]


def waiting(office: Office, person: str, **kw: Any) -> list[tuple[str, str]]:
    return steps(office.queues.for_person(person, **kw))


def one(items: list[QueueItem], record: uuid.UUID, step: str) -> QueueItem:
    [found] = [i for i in items if i.record_id == str(record) and i.step == step]
    return found


# --- driving records ------------------------------------------------------------------------


def drafted(office: Office, p: AgencyPeople, when: pendulum.DateTime, **form: Any) -> uuid.UUID:
    fields: dict[str, Any] = {
        "title": "关于开展安全检查的通知",
        "doc_type": "通知",
        "issuer_code": "X政发",
        "lead_unit": "biz1",
        "main_recipients": ["各处室"],
        "text": "……",
        **form,
    }
    return office.documents.draft(by=p.drafter, at=when, **fields)


def submitted(office: Office, p: AgencyPeople, when: pendulum.DateTime, **form: Any) -> uuid.UUID:
    doc = drafted(office, p, when, **form)
    office.documents.submit_for_review(doc, by=p.drafter, at=when.add(minutes=5))
    return doc


def at_the_office(
    office: Office, p: AgencyPeople, when: pendulum.DateTime, **form: Any
) -> uuid.UUID:
    """Reviewed by biz1's head and sent to the general office."""
    doc = submitted(office, p, when, **form)
    office.documents.review(doc, by=p.unit_head, at=when.add(hours=1))
    office.documents.submit_to_office(doc, by=p.drafter, at=when.add(hours=2))
    return doc


def to_sign(office: Office, p: AgencyPeople, when: pendulum.DateTime, **form: Any) -> uuid.UUID:
    doc = at_the_office(office, p, when, **form)
    office.documents.office_check(doc, by=p.secretary, at=when.add(hours=3))
    office.documents.office_review(doc, by=p.office_head, at=when.add(hours=4))
    return doc


def screened(office: Office, p: AgencyPeople, when: pendulum.DateTime, **reg: Any) -> uuid.UUID:
    inc = office.incoming
    doc = inc.receive(
        sender="某县人民政府", title="关于申请专项资金的请示", by=p.receiving_secretary, at=when
    )
    inc.register(doc, sender_type=SenderType.GOVERNMENT, by=p.receiving_secretary, at=when, **reg)
    inc.screen(doc, results=ALL_PASS, by=p.receiving_secretary, at=when.add(minutes=10))
    return doc


def to_biz1(office: Office, p: AgencyPeople, when: pendulum.DateTime, **assign: Any) -> uuid.UUID:
    """An incoming document assigned straight to 业务一处 (no leader)."""
    doc = screened(office, p, when, importance=assign.pop("importance", Importance.ORDINARY))
    office.incoming.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="转业务一处办理",
        lead_unit="biz1",
        by=p.office_head,
        at=when.add(hours=1),
        **assign,
    )
    return doc


def topic_meeting(office: Office, p: AgencyPeople, starts_at: pendulum.DateTime) -> uuid.UUID:
    """An unplanned topic meeting of 业务一处 convened by its 分管领导 何副局长, approved by
    the director, its notice countersigned and drafted (not yet issued)."""
    m = office.meetings
    meeting = m.request(
        kind=MeetingKind.TOPIC,
        title="安全生产专题会议",
        content="部署汛期安全生产",
        reason="汛期临近,须专题部署",
        organiser="biz1",
        starts_at=starts_at,
        place="局二楼会议室",
        participant_scope="有关处室负责人",
        participants=30,
        days=1,
        budget=6000,
        funding_source="业务一处会议费预算",
        chair=p.deputy,
        by=p.unit_head,
        at=at(3, 2, 10),
    )
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party, by=head, at=at(3, 3))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 3, 11))
    m.approve(meeting, by=p.principal, at=at(3, 4))
    invitees = [p.unit_head, p.unit_head2, p.legal_head]
    m.draft_notice(meeting, invitees=invitees, contact="1234", by=p.drafter, at=at(3, 5))
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party, by=head, at=at(3, 5, 11))
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=at(3, 5, 14))
    return meeting


def proposal(office: Office, p: AgencyPeople, when: pendulum.DateTime) -> uuid.UUID:
    return office.proposals.submit(
        kind=ProposalKind.DEPUTY_SUGGESTION,
        proposers=["马玉英"],
        field=Field.PERSONNEL_SOCIAL_SECURITY,
        title="关于提高社区居委会干部工资的建议",
        content="建议提高居委会干部工资待遇。",
        by=p.secretary,
        at=when,
    )


def hotline_task(
    office: Office, p: AgencyPeople, when: pendulum.DateTime, deadline: date, **kw: Any
) -> uuid.UUID:
    return office.supervision.open(
        source=SourceRef(SourceKind.HOTLINE, reference=f"热线-{uuid.uuid4().hex[:6]}"),
        title="市民反映路灯损坏",
        lead_unit="biz1",
        deadline=deadline,
        by=p.supervision_officer,
        at=when,
        **kw,
    )


# --- 发文 -------------------------------------------------------------------------------------


def test_a_draft_submitted_for_review_waits_on_its_units_head(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(一)1(4)] 拟稿人将文稿送处室负责人审核."""
    p = agency
    doc = submitted(office, p, at(3, 2, 10))
    [item] = office.queues.for_person(p.unit_head)
    assert (item.record_id, item.step, item.kind) == (str(doc), "review", "发文")
    assert (item.step_label, item.people, item.since) == (
        "处室审核",
        (p.unit_head,),
        at(3, 2, 10, 5),
    )
    assert office.queues.for_person(p.unit_head2) == []  # biz2's head: not theirs
    assert office.queues.for_person(p.drafter) == []
    office.documents.review(doc, by=p.unit_head, at=at(3, 2, 11))
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.drafter) == [(str(doc), "submit_to_office")]


def test_a_returned_draft_waits_on_its_drafter_until_resubmitted(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)] 审核不通过的,退回拟稿人修改,修改后重新审核."""
    p = agency
    doc = submitted(office, p, at(3, 2, 10))
    office.documents.return_for_revision(doc, by=p.unit_head, opinion="数据须核实", at=at(3, 2, 11))
    [item] = office.queues.for_person(p.drafter)
    assert (item.step, item.detail) == ("revise", "数据须核实")
    assert office.queues.for_person(p.unit_head) == []
    office.documents.revise(doc, by=p.drafter, text="(已核实)……", at=at(3, 2, 14))
    office.documents.submit_for_review(doc, by=p.drafter, at=at(3, 2, 15))
    assert office.queues.for_person(p.drafter) == []
    assert waiting(office, p.unit_head) == [(str(doc), "review")]


def test_countersigning_units_see_the_draft_until_they_answer(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1), 五(三)2, 五(四)3(6)三] 会签处室负责人签署意见,一个工作日内答复;
    不采纳的意见由主办处室说明理由."""
    p = agency
    doc = submitted(office, p, at(3, 2, 10))
    office.documents.review(doc, by=p.unit_head, at=at(3, 2, 11))
    office.documents.request_countersign(
        doc, units=["legal", "biz2"], by=p.unit_head, at=at(3, 2, 14)
    )
    for head in (p.legal_head, p.unit_head2):
        [item] = office.queues.for_person(head)
        assert (item.step, item.due) == ("countersign", date(2026, 3, 3))
    assert office.queues.for_person(p.drafter) == []  # not yet: countersigning first
    office.documents.countersign(doc, party="legal", agree=True, by=p.legal_head, at=at(3, 3, 9))
    office.documents.countersign(
        doc, party="biz2", agree=False, opinion="经费来源不明", by=p.unit_head2, at=at(3, 3, 10)
    )
    assert office.queues.for_person(p.legal_head) == []
    assert office.queues.for_person(p.unit_head2) == []
    [item] = office.queues.for_person(p.unit_head)
    assert (item.step, item.detail) == ("resolve_opinion", "biz2: 经费来源不明")
    assert office.queues.for_person(p.drafter) == []
    office.documents.resolve_opinion(
        doc, party="biz2", adopted=False, reason="经费已列入预算", by=p.unit_head, at=at(3, 3, 11)
    )
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.drafter) == [(str(doc), "submit_to_office")]


def test_the_office_checks_and_reviews_then_the_supervising_leader_signs(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四), 五(五)1] 办公室初核、主任复核后呈局领导签发; 重要公文由主要领导签发."""
    p = agency
    doc = at_the_office(office, p, at(3, 2, 9))
    for reviewer in (p.secretary, p.office_head):  # any office reviewer
        assert waiting(office, reviewer) == [(str(doc), "office_check")]
    office.documents.office_check(doc, by=p.secretary, at=at(3, 2, 14))
    assert office.queues.for_person(p.secretary) == []
    assert waiting(office, p.office_head) == [(str(doc), "office_review")]
    office.documents.office_review(doc, by=p.office_head, at=at(3, 2, 15))
    assert waiting(office, p.deputy) == [(str(doc), "sign")]  # 分管 业务一处
    assert office.queues.for_person(p.deputy2) == []
    assert office.queues.for_person(p.principal) == []
    important = to_sign(office, p, at(3, 2, 10), important=True)
    assert waiting(office, p.principal) == [(str(important), "sign")]
    assert waiting(office, p.deputy) == [(str(doc), "sign")]
    office.documents.sign(doc, by=p.deputy, at=at(3, 3, 9))
    assert office.queues.for_person(p.deputy) == []


def test_a_substitute_sees_what_waits_for_the_leader_they_act_for(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 收文 五(二)1(2)] 领导出差时由代理人代为处理."""
    p = agency
    doc = to_sign(office, p, at(3, 2, 10))
    office.org.appoint_substitute(
        leader=p.deputy,
        substitute=p.deputy2,
        start=date(2026, 3, 3),
        end=date(2026, 3, 4),
        by=p.admin,
        at=at(3, 2, 16),
    )
    clock.set(at(3, 2, 17))
    assert office.queues.for_person(p.deputy2) == []  # not away yet
    clock.set(at(3, 3, 9))
    [item] = office.queues.for_person(p.deputy2)
    assert (item.record_id, item.step, item.on_behalf_of) == (str(doc), "sign", p.deputy)
    assert office.queues.for_person(p.deputy)[0].on_behalf_of is None
    office.documents.sign(doc, by=p.deputy2, on_behalf_of=p.deputy, at=at(3, 3, 10))
    assert office.queues.for_person(p.deputy2) == []


def test_a_signed_document_waits_to_be_registered_rechecked_printed_and_archived(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)] 登记、复核(实质性修改报原签发人)、印制、拟稿人检查、核发、归档."""
    p, docs = agency, office.documents
    doc = to_sign(office, p, at(3, 2, 9))
    docs.sign(doc, by=p.deputy, at=at(3, 2, 16))

    def next_step(person: str) -> str:
        [(record, step)] = waiting(office, person)
        assert record == str(doc)
        return step

    assert next_step(p.secretary) == "register"
    docs.register(doc, by=p.secretary, distribution_scope="各处室", copies=20, at=at(3, 3, 9))
    assert next_step(p.secretary) == "recheck"
    docs.recheck(doc, by=p.secretary, findings=["第二段数字有误"], at=at(3, 3, 10))
    assert office.queues.for_person(p.secretary) == []
    assert next_step(p.deputy) == "approve_amendment"  # the original signer
    docs.approve_amendment(doc, text="(改正后)……", reason="改正数字", by=p.deputy, at=at(3, 3, 11))
    assert next_step(p.secretary) == "recheck"
    docs.recheck(doc, by=p.secretary, at=at(3, 3, 14))
    assert next_step(p.secretary) == "print"
    docs.print_copies(doc, site=SECURE_PRINT_SITE, by=p.secretary, at=at(3, 3, 15))
    assert next_step(p.drafter) == "check_print"
    docs.check_print(doc, by=p.drafter, at=at(3, 3, 16))
    assert next_step(p.drafter) == "distribute"
    docs.distribute(doc, by=p.drafter, at=at(3, 3, 17))
    assert next_step(p.archivist) == "archive"
    docs.archive(doc, by=p.archivist, at=at(3, 4, 9))
    assert all(office.queues.for_unit(u.id) == [] for u in office.org.current().units.values())


def test_classified_and_joint_documents_wait_on_their_own_signers(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1-2] 涉密公文由定密责任人签发; 联合发文主办机关签发后,联署机关依次会签."""
    p, docs = agency, office.documents
    secret = to_sign(
        office, p, at(3, 2, 9), classification="秘密", secrecy_period="一年", disclosure="不予公开"
    )
    assert waiting(office, p.classification_officer) == [(str(secret), "sign")]
    assert office.queues.for_person(p.deputy) == []
    joint = to_sign(office, p, at(3, 2, 10), co_issuers=["某县人民政府", "某县财政局"])
    docs.sign(joint, by=p.deputy, at=at(3, 2, 16))
    [first] = office.queues.for_person(p.secretary)
    assert (first.step, first.detail) == ("co_sign", "某县人民政府")
    docs.co_sign(joint, agency="某县人民政府", signatory="县长", by=p.secretary, at=at(3, 3, 9))
    [second] = office.queues.for_person(p.secretary)
    assert (second.step, second.detail) == ("co_sign", "某县财政局")
    docs.co_sign(joint, agency="某县财政局", signatory="局长", by=p.secretary, at=at(3, 3, 10))
    assert waiting(office, p.secretary) == [(str(joint), "register")]


# --- 收文 -------------------------------------------------------------------------------------


def test_a_received_document_waits_on_the_receiving_secretary_then_its_desk_head(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1-2] 收文秘书签收、登记、初审; 政府来文分送办公室分办."""
    p, inc = agency, office.incoming
    doc = inc.receive(
        sender="某县人民政府",
        title="关于申请专项资金的请示",
        by=p.receiving_secretary,
        at=at(3, 2, 9),
    )
    assert waiting(office, p.receiving_secretary) == [(str(doc), "register")]
    inc.register(
        doc, sender_type=SenderType.GOVERNMENT, by=p.receiving_secretary, at=at(3, 2, 9, 5)
    )
    assert waiting(office, p.receiving_secretary) == [(str(doc), "screen")]
    inc.screen(doc, results=ALL_PASS, by=p.receiving_secretary, at=at(3, 2, 9, 10))
    assert office.queues.for_person(p.receiving_secretary) == []
    assert waiting(office, p.office_head) == [(str(doc), "assign")]  # 办公室 is the desk
    assert steps(office.queues.for_unit("office")) == [(str(doc), "assign")]


def test_a_document_failing_screening_is_returned_and_waits_on_nobody(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1(1)] 对不符合要求的文件应退还原单位不予办理."""
    p, inc = agency, office.incoming
    doc = inc.receive(sender="某县人民政府", title="请示", by=p.receiving_secretary, at=at(3, 2, 9))
    inc.register(doc, sender_type=SenderType.GOVERNMENT, by=p.receiving_secretary, at=at(3, 2, 9))
    failing = {**ALL_PASS, ScreeningCheck.RIGHT_HANDLER: False}
    inc.screen(
        doc, results=failing, reason="不属本局职权", by=p.receiving_secretary, at=at(3, 2, 10)
    )
    assert office.queues.for_person(p.receiving_secretary) == []
    assert office.queues.for_person(p.office_head) == []


def test_leaders_on_the_list_instruct_then_the_lead_unit_handles_and_replies(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)2, 五(四), 五(五)] 呈领导阅批,主批人批示后交主办处室承办、办结、答复."""
    p, inc = agency, office.incoming
    doc = screened(office, p, at(3, 2, 9))
    deadline = inc.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="拟请何副局长阅示,业务一处办理",
        lead_unit="biz1",
        leaders=[p.deputy, p.principal],
        asks_decision=True,
        within_working_days=5,
        by=p.office_head,
        at=at(3, 2, 10),
    )
    assert deadline == date(2026, 3, 9)
    for leader in (p.deputy, p.principal):
        [item] = office.queues.for_person(leader)
        assert (item.step, item.due) == ("instruct", deadline)
    assert one(office.queues.for_person(p.deputy), doc, "instruct").detail == "主批"
    assert office.queues.for_person(p.unit_head) == []
    inc.instruct(doc, by=p.deputy, opinion="同意,请业务一处办理", at=at(3, 2, 14))
    assert office.queues.for_person(p.deputy) == []
    assert waiting(office, p.principal) == [(str(doc), "instruct")]  # still on the list
    assert waiting(office, p.unit_head) == [(str(doc), "accept")]
    inc.accept(doc, by=p.unit_head, at=at(3, 3, 9))
    [item] = office.queues.for_person(p.unit_head)
    assert (item.step, item.due) == ("handle", deadline)
    inc.handle(doc, result="已拨付", by=p.unit_head, at=at(3, 5, 9))
    assert waiting(office, p.unit_head) == [(str(doc), "reply")]
    inc.reply(doc, content="已办结", by=p.unit_head, at=at(3, 5, 10))
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.archivist) == [(str(doc), "archive")]


def test_a_unit_sending_a_document_back_returns_it_to_the_desk(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 不属于本部门职权范围的,应当及时退回局办并说明理由."""
    p = agency
    doc = to_biz1(office, p, at(3, 2, 9))
    assert waiting(office, p.unit_head) == [(str(doc), "accept")]
    office.incoming.send_back(doc, reason="不属本处职责", by=p.unit_head, at=at(3, 2, 14))
    assert office.queues.for_person(p.unit_head) == []
    assert one(office.queues.for_person(p.office_head), doc, "assign").detail == "不属本处职责"


def test_readers_hold_a_circulated_document_until_they_return_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 传阅: 实时掌握公文去向,不得漏传、误传、延误."""
    p, inc = agency, office.incoming
    doc = screened(office, p, at(3, 2, 9))
    inc.assign(
        doc,
        kind="reading",
        proposal="请局领导阅知",
        readers=[p.principal, p.deputy],
        by=p.office_head,
        at=at(3, 2, 10),
    )
    for reader in (p.principal, p.deputy):
        assert waiting(office, reader) == [(str(doc), "circulate")]
    inc.confirm_read(doc, by=p.principal, at=at(3, 2, 15))
    assert office.queues.for_person(p.principal) == []
    assert office.queues.for_person(p.archivist) == []  # the deputy still has it
    inc.confirm_read(doc, by=p.deputy, at=at(3, 3, 9))
    assert waiting(office, p.archivist) == [(str(doc), "archive")]


# --- 会议 -------------------------------------------------------------------------------------


def test_topic_materials_are_due_two_days_before_the_meeting(
    office: Office, agency: AgencyPeople
) -> None:
    """[002 二 4] 在会议召开前两天将议题和有关材料送交秘书科."""
    p, m = agency, office.meetings
    meeting = topic_meeting(office, p, at(4, 14, 9))
    key = m.propose_agenda_item(
        meeting, title="汛期排查方案", unit="biz1", by=p.unit_head, at=at(3, 6)
    )
    [item] = office.queues.for_person(p.unit_head)
    assert (item.kind, item.step, item.due, item.detail) == (
        "会议",
        "materials",
        date(2026, 4, 12),
        "汛期排查方案",
    )
    assert office.queues.overdue(on=date(2026, 4, 12)) == []
    assert steps(office.queues.overdue(on=date(2026, 4, 13))) == [(str(meeting), "materials")]
    m.submit_materials(meeting, item=key, materials=["排查方案"], by=p.drafter, at=at(3, 9))
    assert office.queues.for_person(p.unit_head) == []


def test_invitees_answer_the_notice_and_sign_in_and_leave_goes_to_its_approver(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 四(一)4, 六 1; 000 范文6 五 5] 参会人员答复; 不能参会的向召集会议的局领导请假,
    可派人代会; 参会人员本人签到."""
    p, m = agency, office.meetings
    meeting = topic_meeting(office, p, at(4, 14, 9))
    m.issue_notice(meeting, by=p.principal, at=at(3, 6))
    for invitee in (p.unit_head, p.unit_head2, p.legal_head):
        [item] = office.queues.for_person(invitee)
        assert (item.step, item.due) == ("answer", date(2026, 4, 14))
    m.answer(meeting, attend=True, by=p.unit_head, at=at(3, 9))
    assert waiting(office, p.unit_head) == [(str(meeting), "sign_in")]
    m.answer(
        meeting,
        attend=False,
        reason="出差",
        substitute=p.drafter2,
        by=p.unit_head2,
        at=at(3, 9, 10),
    )
    assert office.queues.for_person(p.unit_head2) == []
    [leave] = office.queues.for_person(p.deputy)  # the convening deputy approves
    assert (leave.step, leave.detail) == ("leave", f"{p.unit_head2} 请假: 出差")
    m.grant_leave(meeting, person=p.unit_head2, by=p.deputy, at=at(3, 9, 11))
    assert office.queues.for_person(p.deputy) == []
    [stand_in] = office.queues.for_person(p.drafter2)
    assert (stand_in.step, stand_in.detail) == ("sign_in", f"代 {p.unit_head2} 参会")
    m.sign_in(meeting, by=p.unit_head, at=at(4, 14, 8, 50))
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.legal_head) == [(str(meeting), "answer")]  # never answered
    m.hold(meeting, by=p.drafter, at=at(4, 14, 11))
    assert office.queues.for_person(p.legal_head) == []
    assert office.queues.for_person(p.drafter2) == []
    [archive] = office.queues.for_person(p.archivist)
    assert (archive.step, archive.due) == ("archive", date(2026, 4, 21))  # [000 范文6 四 7]
    m.draft_minutes(meeting, text="会议部署了汛期安全生产。", by=p.drafter, at=at(4, 14, 15))
    assert waiting(office, p.deputy) == [(str(meeting), "sign_minutes")]  # the chair


# --- 建议提案 ----------------------------------------------------------------------------------


def test_an_assigned_proposal_waits_on_the_lead_unit_and_its_co_handlers(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 二 二, 三 二] 主办单位拟复、协办单位提出意见; 办公室会审"九看",不合格的退回."""
    p, props = agency, office.proposals
    item = proposal(office, p, at(3, 2))
    assert waiting(office, p.supervision_officer) == [(str(item), "assign")]
    due = props.assign(
        item,
        lead_unit="biz1",
        co_units=["finance"],
        secretary=p.secretary,
        by=p.supervision_officer,
        at=at(3, 3),
    )
    assert office.queues.for_person(p.supervision_officer) == []
    [handle] = office.queues.for_person(p.unit_head)
    assert (handle.kind, handle.step, handle.due) == ("建议提案", "handle", due)
    [opinion] = office.queues.for_person(p.finance_head)
    assert (opinion.step, opinion.due) == ("co_opinion", date(2026, 4, 3))
    props.give_co_opinion(item, unit="finance", opinion="同意", by=p.finance_head, at=at(3, 10))
    assert office.queues.for_person(p.finance_head) == []
    props.draft_reply(item, text="拟提高补贴。", result="A", by=p.unit_head, at=at(3, 20))
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.secretary) == [(str(item), "reply_review")]
    props.review_reply(item, checks=check_sheet(["complete"]), by=p.secretary, at=at(3, 23))
    [back] = office.queues.for_person(p.unit_head)
    assert (back.step, back.detail) == ("handle", "内容齐全,有问必答")
    props.draft_reply(item, text="拟提高补贴,逐条答复。", result="A", by=p.unit_head, at=at(3, 24))
    props.review_reply(item, checks=check_sheet(), by=p.secretary, at=at(3, 25))
    assert waiting(office, p.unit_head) == [(str(item), "send_reply")]
    props.send_reply(item, by=p.unit_head, at=at(3, 26))
    assert waiting(office, p.secretary) == [(str(item), "feedback")]
    props.record_feedback(item, proposer="马玉英", rating="满意", by=p.secretary, at=at(4, 10))
    assert waiting(office, p.secretary) == [(str(item), "close")]
    props.close(item, by=p.secretary, at=at(4, 11))
    assert office.queues.for_person(p.secretary) == []


def test_a_disputed_proposal_goes_back_to_the_office_and_a_dissatisfied_one_to_the_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[ref §2.5] 交办有异议的由办公室重新交办; [ref §2.4] 不满意的重新办理,B类跟踪落实至解决."""
    p, props = agency, office.proposals
    item = proposal(office, p, at(3, 2))
    props.assign(item, lead_unit="biz2", secretary=p.secretary, by=p.secretary, at=at(3, 3))
    assert waiting(office, p.unit_head2) == [(str(item), "handle")]
    props.dispute_assignment(
        item, unit="biz2", reason="属业务一处职责", by=p.unit_head2, at=at(3, 4)
    )
    assert office.queues.for_person(p.unit_head2) == []
    [reassign] = office.queues.for_person(p.supervision_officer)
    assert (reassign.step, reassign.detail) == ("reassign", "biz2: 属业务一处职责")
    props.reassign(item, lead_unit="biz1", reason="按职责", by=p.secretary, at=at(3, 5))
    assert office.queues.for_person(p.supervision_officer) == []
    assert waiting(office, p.unit_head) == [(str(item), "handle")]
    props.draft_reply(item, text="正在推进。", result="B", by=p.unit_head, at=at(3, 20))
    props.review_reply(item, checks=check_sheet(), by=p.secretary, at=at(3, 21))
    props.send_reply(item, by=p.unit_head, at=at(3, 22))
    props.record_feedback(item, proposer="马玉英", rating="不满意", by=p.secretary, at=at(4, 1))
    [again] = office.queues.for_person(p.unit_head)
    assert (again.step, again.due) == ("handle", date(2026, 6, 1))  # a new answer in two months
    props.draft_reply(item, text="已列入计划。", result="B", by=p.unit_head, at=at(4, 10))
    props.review_reply(item, checks=check_sheet(), by=p.secretary, at=at(4, 11))
    props.send_reply(item, by=p.unit_head, at=at(4, 12))
    props.record_feedback(item, proposer="马玉英", rating="基本满意", by=p.secretary, at=at(4, 20))
    assert waiting(office, p.unit_head) == [(str(item), "follow_up")]
    props.follow_up(item, progress="已解决", solved=True, by=p.unit_head, at=at(5, 20))
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.secretary) == [(str(item), "close")]


# --- 督办 -------------------------------------------------------------------------------------


def test_a_supervision_task_waits_on_the_responsible_unit_until_closed_out(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三); 000 范文4] 承办单位办理并报结; 延期由督查室审批; 审核通过方可销号."""
    p, sup = agency, office.supervision
    task = hotline_task(office, p, at(3, 2), date(2026, 3, 12), urgency="急件")
    [item] = office.queues.for_person(p.unit_head)
    assert (item.kind, item.step, item.due, item.urgency) == (
        "督办",
        "task",
        date(2026, 3, 12),
        "急件",
    )
    sup.request_extension(
        task,
        new_deadline=date(2026, 3, 16),
        reason="须现场勘查",
        progress="已联系供电公司",
        by=p.unit_head,
        at=at(3, 9),
    )
    assert waiting(office, p.supervision_officer) == [(str(task), "extension")]
    sup.grant_extension(task, by=p.supervision_officer, at=at(3, 10))
    assert office.queues.for_person(p.supervision_officer) == []
    assert one(office.queues.for_person(p.unit_head), task, "task").due == date(2026, 3, 16)
    report = {
        "background": "路灯损坏",
        "investigation": "现场查看",
        "handling_opinion": "更换灯具",
        "implementation": "已修复",
    }
    sup.complete(task, by=p.unit_head, at=at(3, 13), **report)
    assert office.queues.for_person(p.unit_head) == []
    assert waiting(office, p.supervision_officer) == [(str(task), "completion_review")]
    sup.reject_completion(task, reason="未附照片", by=p.supervision_officer, at=at(3, 13, 15))
    assert waiting(office, p.unit_head) == [(str(task), "task")]
    sup.complete(task, by=p.unit_head, at=at(3, 14), **report)
    sup.accept_completion(task, by=p.supervision_officer, at=at(3, 16))
    assert waiting(office, p.supervision_officer) == [(str(task), "close_out")]
    sup.close_out(task, by=p.supervision_officer, at=at(3, 16, 10))
    assert office.queues.for_person(p.supervision_officer) == []
    assert office.queues.for_unit("biz1") == []


# --- order, units, overdue, urging ------------------------------------------------------------


def test_the_queue_puts_the_most_urgent_first_then_the_oldest(
    office: Office, agency: AgencyPeople
) -> None:
    """[domain brief §9] 待办按缓急排序,同等缓急先到先办 (特急、紧急在前)."""
    p = agency
    plain_late = submitted(office, p, at(3, 2, 10))
    urgent = submitted(office, p, at(3, 2, 11), urgency="加急")
    deadlines = {
        "countersign_by": at(3, 3, 12),
        "review_by": at(3, 3, 18),
        "sign_by": at(3, 4, 18),
    }
    extra = submitted(
        office,
        p,
        at(3, 2, 12),
        urgency="特急",
        urgent_reason="省政府限期报送",
        urgent_deadlines=deadlines,
    )
    plain_early = submitted(office, p, at(3, 2, 9, 30))
    incoming = to_biz1(
        office, p, at(3, 2, 9), importance=Importance.URGENT, within_working_days=3
    )  # accept at 10:00
    queue = office.queues.for_person(p.unit_head)
    assert [i.record_id for i in queue] == [
        str(r) for r in (extra, incoming, urgent, plain_early, plain_late)
    ]
    assert [i.urgency for i in queue] == ["特急", "紧急公文", "加急", "平件", "平件"]
    assert queue[0].due == date(2026, 3, 3)  # the review deadline a 特急 draft asks


def test_a_units_queue_holds_what_waits_on_its_head_and_its_people(
    office: Office, agency: AgencyPeople
) -> None:
    """[domain brief §9] 处室待办: 等候本处室负责人或本处室人员办理的事项."""
    p = agency
    review = submitted(office, p, at(3, 2, 9))
    returned = submitted(office, p, at(3, 2, 10))
    office.documents.return_for_revision(returned, by=p.unit_head, opinion="重写", at=at(3, 2, 11))
    office_check = at_the_office(office, p, at(3, 2, 12))
    assert steps(office.queues.for_unit("biz1")) == [
        (str(review), "review"),
        (str(returned), "revise"),  # the drafter is one of biz1's people
    ]
    assert steps(office.queues.for_unit("office")) == [(str(office_check), "office_check")]
    assert office.queues.for_unit("biz2") == []
    with pytest.raises(UnknownUnit):
        office.queues.for_unit("no-such-unit")


def test_the_overdue_queue_lists_open_steps_past_their_due_date(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 收文 五(五); 民法典 第200-203条] 办理时限按工作日计算,清明节(4月4日至6日)不计;
    时限届满之日的次日起为逾期."""
    p = agency
    doc = to_biz1(office, p, at(3, 31, 8), within_working_days=4)
    task = hotline_task(office, p, at(3, 31, 10), date(2026, 4, 3))
    assert office.incoming.get(doc).deadline == date(2026, 4, 7)  # 4 Apr-6 Apr are holidays
    assert steps(office.queues.overdue(on=date(2026, 4, 3))) == []
    assert steps(office.queues.overdue(on=date(2026, 4, 7))) == [(str(task), "task")]
    overdue = office.queues.overdue(on=date(2026, 4, 8))
    assert steps(overdue) == [(str(task), "task"), (str(doc), "accept")]  # longest overdue first
    assert overdue[1].people == (p.unit_head,)
    clock.set(at(4, 8, 9))
    assert office.queues.overdue() == overdue  # today's overdue queue is the same
    office.incoming.accept(doc, by=p.unit_head, at=at(4, 8, 10))
    office.incoming.handle(doc, result="已办结", by=p.unit_head, at=at(4, 8, 11))
    assert steps(office.queues.overdue()) == [(str(task), "task")]


def incoming_urged_at(office: Office, doc: uuid.UUID, when: pendulum.DateTime) -> bool:
    return any(d.action == "Urged" and d.at == when for d in office.incoming.history(doc))


def test_the_urging_queue_follows_the_incoming_cadence_and_the_urges_recorded(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六)] 紧急公文跟踪催办,重要公文重点催办,一般公文定期催办: what the tick
    will urge, less the urges already recorded."""
    p = agency
    important = to_biz1(office, p, at(3, 2, 9), importance=Importance.IMPORTANT)
    ordinary = to_biz1(office, p, at(3, 2, 9, 30))
    urgent = to_biz1(office, p, at(3, 2, 10), importance=Importance.URGENT, within_working_days=10)
    assert office.queues.to_urge(on=date(2026, 3, 2)) == []
    [u] = office.queues.to_urge(on=date(2026, 3, 3))
    assert (u.record_id, u.due, u.targets, u.missed) == (
        str(urgent),
        date(2026, 3, 3),
        ("biz1",),
        0,
    )
    due = office.queues.to_urge(on=date(2026, 3, 4))
    assert [(x.record_id, x.due, x.missed) for x in due] == [
        (str(urgent), date(2026, 3, 4), 1),  # 紧急 first; 3 March was never urged
        (str(important), date(2026, 3, 4), 0),
    ]
    tick = at(3, 4, 9)
    office.tick(tick)
    assert incoming_urged_at(office, urgent, tick) and incoming_urged_at(office, important, tick)
    assert not incoming_urged_at(office, ordinary, tick)
    assert office.queues.to_urge(on=date(2026, 3, 4)) == []
    office.incoming.urge(important, channel="phone", by=p.receiving_secretary, at=at(3, 6, 8))
    assert [x.record_id for x in office.queues.to_urge(on=date(2026, 3, 6))] == [str(urgent)]
    assert {x.record_id for x in office.queues.to_urge(on=date(2026, 3, 9))} == {
        str(urgent),
        str(ordinary),  # weekly: the 5th working day after 2 March
    }


def test_the_urging_queue_for_proposals_follows_their_cadence_and_letters(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2 三 一] 电话催办: 承办数量多的单位每周一次,其它单位每半月一次; 逾期未办的
    下发督办函; 协办意见逾期的催办."""
    p, props = agency, office.proposals
    item = proposal(office, p, at(3, 2))
    props.assign(
        item,
        lead_unit="biz1",
        co_units=["finance"],
        secretary=p.secretary,
        by=p.supervision_officer,
        at=at(3, 3),
    )
    assert office.queues.to_urge(on=date(2026, 3, 17)) == []
    [phone] = office.queues.to_urge(on=date(2026, 3, 18))
    assert (phone.kind, phone.channel, phone.targets, phone.due) == (
        "建议提案",
        "电话催办",
        ("biz1",),
        date(2026, 3, 18),
    )
    office.tick(at(3, 18, 10))
    assert office.queues.to_urge(on=date(2026, 3, 18)) == []
    due = office.queues.to_urge(on=date(2026, 4, 7))
    assert [(u.targets, u.channel, u.due) for u in due] == [
        (("biz1",), "电话催办", date(2026, 4, 2)),
        (("finance",), "电话催办", date(2026, 4, 3)),  # co-handler's opinion is late
    ]
    before = len(props.history(item))
    office.tick(at(4, 7, 10))
    urged = [d.details["unit"] for d in props.history(item)[before:] if d.action == "Urged"]
    assert urged == ["biz1", "finance"]  # exactly what the queue listed
    assert office.queues.to_urge(on=date(2026, 4, 7)) == []
    [letter] = office.queues.to_urge(on=date(2026, 6, 4))  # three months passed
    assert (letter.channel, letter.due) == ("督办函", date(2026, 6, 3))


def test_supervision_tasks_are_urged_before_their_deadline_and_once_overdue(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文6 五 7] 督查室下发督查提示单督查追踪; [000 范文2 三 一] 逾期未办的下发督办函."""
    p, sup = agency, office.supervision
    task = hotline_task(office, p, at(3, 2), date(2026, 3, 12))
    assert office.queues.to_urge(on=date(2026, 3, 8)) == []
    [prompt] = office.queues.to_urge(on=date(2026, 3, 9))  # three days before
    assert (prompt.channel, prompt.targets, prompt.record_id) == (
        "督查提示单",
        ("biz1",),
        str(task),
    )
    sup.urge(task, channel="督查提示单", by=p.supervision_officer, at=at(3, 9, 10))
    assert office.queues.to_urge(on=date(2026, 3, 12)) == []
    [letter] = office.queues.to_urge(on=date(2026, 3, 13))
    assert (letter.channel, letter.due) == ("督办函", date(2026, 3, 12))
    office.tick(at(3, 13, 0, 5))  # 逾期 is recorded: a letter may now set a later deadline
    sup.urge(
        task,
        channel="督办函",
        new_deadline=date(2026, 3, 20),
        by=p.supervision_officer,
        at=at(3, 13, 9),
    )
    assert office.queues.to_urge(on=date(2026, 3, 16)) == []
    assert [u.channel for u in office.queues.to_urge(on=date(2026, 3, 17))] == ["督查提示单"]
    office.queues.supervision_urging = SupervisionUrging(prompt_days_before=1)
    assert office.queues.to_urge(on=date(2026, 3, 17)) == []


# --- the queue as of a past day ---------------------------------------------------------------


def test_the_queue_as_of_a_past_day_is_what_the_queue_was_that_day(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[domain brief §10] 审计: 某日某人的待办,由历史重建,与当日所见一致 (the organisation too
    as it stood that day)."""
    p, docs, inc = agency, office.documents, office.incoming
    people = [
        p.drafter,
        p.unit_head,
        p.secretary,
        p.office_head,
        p.deputy,
        p.deputy2,
        p.receiving_secretary,
    ]
    seen: dict[date, dict[str, list[QueueItem]]] = {}

    def end_of_day(d: pendulum.DateTime, *also: str) -> None:
        clock.set(d.set(hour=18))
        seen[d.date()] = {who: office.queues.for_person(who) for who in (*people, *also)}

    doc = submitted(office, p, at(3, 2, 10))
    incoming = screened(office, p, at(3, 2, 10, 30))
    end_of_day(at(3, 2))
    docs.review(doc, by=p.unit_head, at=at(3, 3, 9))
    docs.submit_to_office(doc, by=p.drafter, at=at(3, 3, 10))
    office.org.add_person(
        person_id="xu.xinren",
        name="徐新人",
        unit="office",
        roles=[Role.OFFICE_REVIEWER],
        by=p.admin,
        at=at(3, 3, 12),
    )
    inc.assign(
        incoming,
        kind=HandlingKind.ACTION,
        proposal="转业务一处办理",
        lead_unit="biz1",
        within_working_days=3,
        by=p.office_head,
        at=at(3, 3, 14),
    )
    end_of_day(at(3, 3), "xu.xinren")
    docs.office_check(doc, by="xu.xinren", at=at(3, 4, 9))
    docs.office_review(doc, by=p.office_head, at=at(3, 4, 10))
    inc.accept(incoming, by=p.unit_head, at=at(3, 4, 11))
    office.org.appoint_substitute(
        leader=p.deputy,
        substitute=p.deputy2,
        start=date(2026, 3, 5),
        end=date(2026, 3, 5),
        by=p.admin,
        at=at(3, 4, 17),
    )
    end_of_day(at(3, 4), "xu.xinren")
    end_of_day(at(3, 5), "xu.xinren")  # nothing happens; the deputy is away
    docs.sign(doc, by=p.deputy, at=at(3, 6, 9))
    inc.handle(incoming, result="已办结", by=p.unit_head, at=at(3, 6, 10))
    end_of_day(at(3, 6), "xu.xinren")
    docs.register(doc, by=p.secretary, distribution_scope="各处室", copies=5, at=at(3, 9, 9))

    assert seen[date(2026, 3, 5)][p.deputy2][0].on_behalf_of == p.deputy
    assert seen[date(2026, 3, 3)]["xu.xinren"] != []
    for day, queues in seen.items():
        for who, live in queues.items():
            assert office.queues.for_person(who, on=day) == live, (day, who)
    with pytest.raises(UnknownPerson):
        office.queues.for_person("xu.xinren", on=date(2026, 3, 2))  # joined on 3 March
    assert (
        office.queues.for_person(p.secretary, on=date(2026, 3, 9))
        != seen[date(2026, 3, 6)][p.secretary]
    )


def test_an_unknown_person_has_no_queue(office: Office, agency: AgencyPeople) -> None:
    """[domain brief §9] 查无此人: a clear error, not an empty queue (and asking records
    nothing)."""
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.queues.for_person("no.such.person")
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.queues.for_person(agency.admin)  # administers the organisation, is not staff


def test_the_queue_reads_its_own_writes_on_every_store(store_url: str) -> None:
    """[ADR 0015] 写后即读: a step recorded is in the queue at once, on every store."""
    with office_for_tests(store_url, start=at(3, 2)) as office:
        p = standard_agency(office, at(3, 2))
        doc = submitted(office, p, at(3, 2, 10))
        assert waiting(office, p.unit_head) == [(str(doc), "review")]
        office.documents.review(doc, by=p.unit_head, at=at(3, 2, 11))
        assert waiting(office, p.unit_head) == []
        assert waiting(office, p.unit_head, on=date(2026, 3, 2)) == []


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[tuple[str, uuid.UUID, AgencyPeople]]:
    """A SQLite store with one draft waiting for biz1's head since 2 March."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=at(3, 2)) as office:
        p = standard_agency(office, at(3, 2))
        doc = submitted(office, p, at(3, 2, 10))
        office.documents.review(doc, by=p.unit_head, at=at(3, 3, 10))
    yield url, doc, p


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_the_command_prints_a_persons_queue_now_and_on_a_past_day(
    sqlite_store: tuple[str, uuid.UUID, AgencyPeople],
) -> None:
    """[issue 6] govoffice queue --person P [--on DATE]."""
    url, doc, p = sqlite_store
    code, out = cli("queue", "--person", p.drafter, "--store", url)
    assert code == 0, out
    assert "送办公室审核" in out and "关于开展安全检查的通知" in out and str(doc)[:8] in out
    code, out = cli("queue", "--person", p.unit_head, "--store", url, "--on", "2026-03-02")
    assert code == 0, out
    assert "处室审核" in out and "2026-03-02" in out
    code, out = cli("queue", "--person", p.unit_head, "--store", url)
    assert code == 0 and "无待办事项" in out
    code, out = cli("queue", "--unit", "biz1", "--store", url, "--format", "json")
    assert code == 0, out
    [row] = json.loads(out)["items"]
    assert (row["record_id"], row["step"], row["people"]) == (
        str(doc),
        "submit_to_office",
        [p.drafter],
    )


def test_the_command_gives_a_clear_error_for_an_unknown_person_or_a_missing_store(
    sqlite_store: tuple[str, uuid.UUID, AgencyPeople], tmp_path: Path
) -> None:
    """[issue 6] Clear errors for a missing store, an unknown person."""
    url, _doc, _p = sqlite_store
    code, out = cli("queue", "--person", "no.such.person", "--store", url)
    assert code == 2
    assert "UnknownPerson" in out and "no.such.person" in out and "Traceback" not in out
    missing = f"sqlite:///{tmp_path / 'nowhere.db'}"
    code, out = cli("queue", "--person", "x", "--store", missing)
    assert code == 2
    assert "StoreNotFound" in out and "不存在" in out
    assert not (tmp_path / "nowhere.db").exists()  # asking did not create an empty store
    code, out = cli("queue", "--person", "x", "--store", url, "--on", "3月2日")
    assert code == 2 and "InvalidInput" in out


def test_a_step_that_waits_on_parties_must_be_declared_as_one() -> None:
    """ "The step is done" looks for party items only for the steps in ``PARTY_STEPS``; a
    handler giving a party to any other step is a programming error, caught at once."""
    from govoffice.adapters.views_memory import MemoryViewStore
    from govoffice.application.queues import PARTY_STEPS, QueueProjection, Waiter

    event: Any = type(
        "Event",
        (),
        {"originator_id": uuid.uuid4(), "at": pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai")},
    )()
    projection = QueueProjection()
    store = MemoryViewStore()
    with store.transaction({projection.view: (0, 1)}) as tx:
        projection._start(tx, event, "outgoing", "标题", "平件", 3)
        with pytest.raises(ValueError, match="PARTY_STEPS"):
            projection._wait(tx, event, "sign", Waiter.named("li.nigao"), party="biz1")
        projection._wait(tx, event, "countersign", Waiter.named("li.nigao"), party="biz1")
    assert "countersign" in PARTY_STEPS and "sign" not in PARTY_STEPS
