"""收文 — every rule of the 收文管理工作规程 [001], through ``office.incoming``.

One test per rule, named in the office's words. The allowed path records events; a refused
step raises a named error and records nothing (``assert_nothing_recorded``). The seed has
no heading 五(三); its sections run 五(一), 五(二), 五(四)-五(七). Deadlines and urges are
counted on the office's real 2026 calendar (China's statutory holidays, ADR 0010).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.incoming import NoPrincipalLeader
from govoffice.application.office import Office
from govoffice.domain.calendar import CalendarDataMissing, WorkingCalendar
from govoffice.domain.document import Classification
from govoffice.domain.errors import (
    AlreadyExists,
    InvalidInput,
    NotASubstitute,
    PermissionDenied,
    RecordNotFound,
    WrongStatus,
)
from govoffice.domain.incoming import (
    TICK_ACTOR,
    AlreadyInstructed,
    CirculatedTwice,
    CirculationOutstanding,
    ClassifiedNotScanned,
    DeadlineRequired,
    DelayExplanationTooLate,
    DocumentReturnedToSender,
    HandlingKind,
    Importance,
    IncomingStatus,
    IncomingUrgeChannel,
    InvalidAssignment,
    NoDeadline,
    NotAHandlingUnit,
    NotAHolder,
    NotALeader,
    NothingDue,
    NotOnInstructionList,
    OpinionRequired,
    ReadingResult,
    ReasonRequired,
    ReceiptNumber,
    ScreeningCheck,
    ScreeningIncomplete,
    UrgingCadence,
)
from govoffice.domain.routing import RoutingTable, SenderRule, SenderType, SubjectRule
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    office_for_tests,
    standard_agency,
)

ZONE = "Asia/Shanghai"
ALL_PASS = {check: True for check in ScreeningCheck}
TITLE = "关于申请专项资金的请示"
SENDER = "某县人民政府"


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=ZONE)


def actions(office: Office, document_id: uuid.UUID) -> list[str]:
    return [d.action for d in office.incoming.history(document_id)]


def last(office: Office, document_id: uuid.UUID, action: str) -> dict[str, Any]:
    """The details (and who, when) of the last decision named ``action``."""
    found = [d for d in office.incoming.history(document_id) if d.action == action]
    assert found, f"no {action} in {actions(office, document_id)}"
    d = found[-1]
    return {**d.details, "by": d.by, "at": d.at, "on_behalf_of": d.on_behalf_of}


# --- driving a document to a stage ---------------------------------------------------------


def received(
    office: Office, agency: AgencyPeople, *, when: pendulum.DateTime | None = None, **kw: Any
) -> uuid.UUID:
    fields: dict[str, Any] = {"sender": SENDER, "title": TITLE, **kw}
    return office.incoming.receive(by=agency.receiving_secretary, at=when, **fields)


def registered(
    office: Office,
    agency: AgencyPeople,
    *,
    when: pendulum.DateTime | None = None,
    sender_type: SenderType = SenderType.GOVERNMENT,
    importance: Importance = Importance.ORDINARY,
    **kw: Any,
) -> uuid.UUID:
    doc = received(office, agency, when=when)
    office.incoming.register(
        doc,
        sender_type=sender_type,
        importance=importance,
        sender_number="某府〔2026〕8号",
        by=agency.receiving_secretary,
        at=when,
        **kw,
    )
    return doc


def screened(office: Office, agency: AgencyPeople, **kw: Any) -> uuid.UUID:
    doc = registered(office, agency, **kw)
    office.incoming.screen(doc, results=ALL_PASS, by=agency.receiving_secretary, at=kw.get("when"))
    return doc


def for_instruction(
    office: Office, agency: AgencyPeople, *, asks_decision: bool = True, **kw: Any
) -> uuid.UUID:
    """A government document about biz1, sent to 何副局长 (main approver) and 陈局长."""
    doc = screened(office, agency, **kw)
    office.incoming.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="拟请何副局长阅示,业务一处办理",
        lead_unit="biz1",
        co_units=["finance"],
        leaders=[agency.deputy, agency.principal],
        asks_decision=asks_decision,
        by=agency.office_head,
        at=kw.get("when"),
    )
    return doc


def with_unit(
    office: Office,
    agency: AgencyPeople,
    *,
    importance: Importance = Importance.ORDINARY,
    when: pendulum.DateTime | None = None,
    **assign: Any,
) -> uuid.UUID:
    """Assigned straight to biz1 (lead) and finance (co-handling), no leader."""
    doc = screened(office, agency, importance=importance, when=when)
    fields: dict[str, Any] = {
        "kind": HandlingKind.ACTION,
        "proposal": "转业务一处办理,财务处协办",
        "lead_unit": "biz1",
        "co_units": ["finance"],
        **assign,
    }
    if importance is Importance.URGENT and "deadline" not in fields:
        fields.setdefault("within_working_days", 3)
    office.incoming.assign(doc, by=agency.office_head, at=when, **fields)
    return doc


def in_handling(office: Office, agency: AgencyPeople, **kw: Any) -> uuid.UUID:
    doc = with_unit(office, agency, **kw)
    office.incoming.accept(doc, by=agency.unit_head, at=kw.get("when"))
    return doc


def handled(office: Office, agency: AgencyPeople, **kw: Any) -> uuid.UUID:
    doc = in_handling(office, agency, **kw)
    office.incoming.handle(doc, by=agency.unit_head, result="已拨付专项资金", at=kw.get("when"))
    return doc


# --- 签收、登记 [五(一)1] --------------------------------------------------------------------


def test_the_receiving_secretary_signs_for_a_document_and_the_time_is_recorded(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1] 局收到来文,统一由机要室收文秘书进行签收 (条例第二十四条: 注明签收时间)."""
    doc = received(office, agency, when=at(2026, 3, 2, 9, 40), copies=3)
    got = office.incoming.get(doc)
    assert got.status is IncomingStatus.RECEIVED
    assert got.received_at == at(2026, 3, 2, 9, 40)
    assert (got.sender, got.title, got.copies) == (SENDER, TITLE, 3)
    assert last(office, doc, "Received")["by"] == agency.receiving_secretary


def test_only_the_receiving_secretary_signs_for_documents(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1] 签收、登记和初审统一由收文秘书进行."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.receive(sender=SENDER, title=TITLE, by=agency.unit_head)


def test_only_the_receiving_secretary_registers_and_screens(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1] 签收、登记和初审统一由收文秘书进行."""
    doc = received(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.register(doc, sender_type=SenderType.GOVERNMENT, by=agency.office_head)
    office.incoming.register(doc, sender_type=SenderType.GOVERNMENT, by=agency.receiving_secretary)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.screen(doc, results=ALL_PASS, by=agency.office_head)


def test_registration_records_date_number_title_sender_receipt_number_and_remarks(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1(3)] 登记内容为收文日期、文号、题名、来文单位、收文编号、备注等."""
    doc = received(office, agency, when=at(2026, 3, 2, 9, 40))
    number = office.incoming.register(
        doc,
        sender_type=SenderType.GOVERNMENT,
        sender_number="某府〔2026〕8号",
        remarks="附件两份",
        by=agency.receiving_secretary,
        at=at(2026, 3, 2, 10),
    )
    got = office.incoming.get(doc)
    sheet = got.reading_sheet(office.time_zone)
    assert number == ReceiptNumber("X局", 2026, 1)
    assert str(number) == "X局收〔2026〕1号"
    assert sheet["收文日期"] == date(2026, 3, 2)
    assert sheet["文号"] == "某府〔2026〕8号"
    assert sheet["文件标题"] == TITLE
    assert sheet["来文单位"] == SENDER
    assert sheet["编号"] == "X局收〔2026〕1号"
    assert got.remarks == "附件两份"
    assert got.sender_type is SenderType.GOVERNMENT
    assert office.incoming.find_by_receipt_number(number).id == doc


def test_receipt_numbers_run_per_year_without_gaps(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)1(3)] 收文编号按年度顺序编号,不跳号、不重号."""
    first = received(office, agency)
    second = received(office, agency)
    classified = received(office, agency, classification=Classification.SECRET)
    sec = agency.receiving_secretary
    assert office.incoming.register(first, sender_type="government", by=sec).serial == 1
    with assert_nothing_recorded(office), pytest.raises(ClassifiedNotScanned):
        office.incoming.register(
            classified, sender_type=SenderType.PARTY, scan_ref="scan/1.pdf", by=sec
        )
    assert office.incoming.register(second, sender_type="party", by=sec).serial == 2
    assert office.incoming.register(classified, sender_type="party", by=sec).serial == 3
    next_year = received(office, agency, when=at(2027, 1, 4))
    number = office.incoming.register(
        next_year, sender_type=SenderType.GOVERNMENT, by=sec, at=at(2027, 1, 4)
    )
    assert number == ReceiptNumber("X局", 2027, 1)
    with pytest.raises(RecordNotFound):
        office.incoming.find_by_receipt_number(ReceiptNumber("X局", 2026, 4))


def test_concurrent_registrations_take_distinct_receipt_numbers(tmp_path: Path) -> None:
    """[001 收文 五(一)1(3)] 收文编号不重号: two clerks registering at once take 1 and 2."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    start = at(2026, 3, 2)
    setup = office_for_tests(url, start=start)
    people = standard_agency(setup, start)
    docs = [received(setup, people) for _ in range(4)]
    offices = [office_for_tests(url, start=start) for _ in range(2)]
    numbers: list[int] = []
    barrier = threading.Barrier(2)

    def clerk(office: Office, mine: list[uuid.UUID]) -> None:
        barrier.wait()
        for doc in mine:
            n = office.incoming.register(
                doc, sender_type=SenderType.GOVERNMENT, by=people.receiving_secretary
            )
            numbers.append(n.serial)

    threads = [threading.Thread(target=clerk, args=(o, docs[i::2])) for i, o in enumerate(offices)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for o in (setup, *offices):
        o.close()
    assert sorted(numbers) == [1, 2, 3, 4]


def test_classified_documents_are_kept_separately_not_scanned(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1(2)] 对非密文件进行扫描,涉密文件要单独保存."""
    doc = received(office, agency, classification=Classification.CONFIDENTIAL)
    with assert_nothing_recorded(office), pytest.raises(ClassifiedNotScanned):
        office.incoming.register(
            doc,
            sender_type=SenderType.GOVERNMENT,
            scan_ref="scan/2026/0001.pdf",
            by=agency.receiving_secretary,
        )


def test_non_classified_documents_carry_their_scanned_copy(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1(2),(4)] 对非密文件进行扫描;附加已扫描的文件."""
    doc = received(office, agency)
    office.incoming.register(
        doc,
        sender_type=SenderType.GOVERNMENT,
        scan_ref="scan/2026/0001.pdf",
        by=agency.receiving_secretary,
    )
    assert office.incoming.get(doc).scan_ref == "scan/2026/0001.pdf"


# --- 初审 [五(一)1(1)] ------------------------------------------------------------------------


def test_screening_records_each_of_the_five_checks(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)1(1)] 初审重点: 是否应由本机关办理;是否符合行文规则;内容是否合法;
    是否已协商、会签;文种使用、公文格式是否规范."""
    doc = registered(office, agency)
    passed = office.incoming.screen(
        doc,
        results=ALL_PASS,
        notes={ScreeningCheck.CONSULTED: "已会签财政局"},
        by=agency.receiving_secretary,
    )
    got = office.incoming.get(doc)
    assert passed
    assert got.status is IncomingStatus.SCREENED
    assert [r.check for r in got.screening] == list(ScreeningCheck)
    assert all(r.passed for r in got.screening)
    assert got.screening[3].note == "已会签财政局"


def test_screening_must_answer_all_five_checks(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)1(1)] 初审五项审核重点逐项记录."""
    doc = registered(office, agency)
    four = {c: True for c in list(ScreeningCheck)[:4]}
    with assert_nothing_recorded(office), pytest.raises(ScreeningIncomplete) as refused:
        office.incoming.screen(doc, results=four, by=agency.receiving_secretary)
    assert refused.value.missing == (ScreeningCheck.TYPE_AND_FORMAT,)


def test_a_failing_document_is_returned_to_the_sender_with_the_failed_checks_and_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)1(1)] 对不符合要求的文件应退还原单位不予办理."""
    doc = registered(office, agency)
    results = {
        **ALL_PASS,
        ScreeningCheck.RIGHT_HANDLER: False,
        ScreeningCheck.TYPE_AND_FORMAT: False,
    }
    passed = office.incoming.screen(
        doc, results=results, reason="应报市财政局;请示不得多头主送", by=agency.receiving_secretary
    )
    assert not passed
    assert actions(office, doc)[-2:] == ["Screened", "Returned"]
    returned = last(office, doc, "Returned")
    assert returned["failed"] == [ScreeningCheck.RIGHT_HANDLER, ScreeningCheck.TYPE_AND_FORMAT]
    assert returned["reason"] == "应报市财政局;请示不得多头主送"
    assert returned["to"] == SENDER
    assert office.incoming.get(doc).status is IncomingStatus.RETURNED


def test_returning_a_document_needs_a_reason(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)1(1); 条例第二十四条] 退回来文单位并说明理由."""
    doc = registered(office, agency)
    with assert_nothing_recorded(office), pytest.raises(ReasonRequired):
        office.incoming.screen(
            doc, results={**ALL_PASS, ScreeningCheck.LAWFUL: False}, by=agency.receiving_secretary
        )


def test_a_returned_document_is_handled_no_further(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)1(1)] 不符合要求的文件退还原单位,不予办理."""
    doc = registered(office, agency)
    office.incoming.screen(
        doc,
        results={**ALL_PASS, ScreeningCheck.CORRESPONDENCE_RULES: False},
        reason="越级行文",
        by=agency.receiving_secretary,
    )
    with assert_nothing_recorded(office), pytest.raises(DocumentReturnedToSender):
        office.incoming.assign(
            doc, kind="action", proposal="转业务一处", lead_unit="biz1", by=agency.office_head
        )
    with assert_nothing_recorded(office), pytest.raises(DocumentReturnedToSender):
        office.incoming.suggest_routing(doc)
    assert office.tick(at(2026, 4, 1)) == []


@pytest.mark.parametrize(
    ("sender_type", "desk"),
    [
        (SenderType.GOVERNMENT, "office"),
        (SenderType.PARTY, "party"),
        (SenderType.UNION, "party"),
        (SenderType.YOUTH_LEAGUE, "party"),
        (SenderType.DISCIPLINE, "discipline"),
        (SenderType.JOINT_PARTY_GOVERNMENT, "office"),
    ],
)
def test_a_screened_document_goes_to_the_desk_for_its_sender(
    office: Office, agency: AgencyPeople, sender_type: SenderType, desk: str
) -> None:
    """[001 收文 五(一)2(2)] 政府来文转办公室分办,党委、工会、团委来文转党工部分办,纪检来文转
    纪检监察处分办,党政联合来文由办公室商党工部确定."""
    doc = screened(office, agency, sender_type=sender_type)
    assert office.incoming.get(doc).desk == desk


def test_the_subject_picks_the_desk_before_the_sender(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)2(1)] 依次根据来文事由、来文单位性质的顺序分送办公室、党工部、纪检监察处."""
    office.incoming.routing_table = attrs.evolve(
        office.incoming.routing_table, subject_rules=(SubjectRule("党建", "party"),)
    )
    doc = screened(office, agency, sender_type=SenderType.GOVERNMENT, subject_tags=["党建"])
    assert office.incoming.get(doc).desk == "party"


# --- 分办 [五(一)2, 五(二)] -------------------------------------------------------------------


def test_routing_follows_the_sender_and_the_leaders_division_of_labour(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)2(2), 五(二)1(1)] 按来文单位性质分办;按局领导分工呈分管局领导."""
    doc = screened(office, agency, sender_type=SenderType.PARTY)
    decision = office.incoming.suggest_routing(doc)
    assert (decision.lead_unit, decision.consult_units) == ("party", ())
    assert decision.leaders == (agency.deputy2,)
    assert decision.reasons


def test_routing_to_the_concerned_units_lead_first(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)2(1),(2)] 根据来文事由确定职能归属和主办部门,其他部门为协办部门."""
    doc = screened(office, agency)
    decision = office.incoming.suggest_routing(doc, concerned_units=["biz1", "finance"])
    assert (decision.lead_unit, decision.consult_units) == ("biz1", ("finance",))
    assert decision.leaders == (agency.deputy,)


def test_while_a_leader_is_away_routing_goes_to_the_substitute(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 局领导出差期间,公文阅批按替代关系处理."""
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.deputy2,
        start=date(2026, 3, 2),
        end=date(2026, 3, 6),
        by=agency.admin,
    )
    doc = screened(office, agency)
    decision = office.incoming.suggest_routing(doc, concerned_units=["biz1"])
    assert decision.leaders == (agency.deputy2,)
    after_the_trip = office.incoming.suggest_routing(
        doc, concerned_units=["biz1"], at=at(2026, 3, 9)
    )
    assert after_the_trip.leaders == (agency.deputy,)


def test_policy_documents_go_to_the_away_leader_as_well(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 涉及政策性的文件,则不论出差与否,同时呈报."""
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.deputy2,
        start=date(2026, 3, 2),
        end=date(2026, 3, 6),
        by=agency.admin,
    )
    doc = screened(office, agency, policy_document=True)
    decision = office.incoming.suggest_routing(doc, concerned_units=["biz1"])
    assert decision.leaders == (agency.deputy2, agency.deputy)


def test_documents_from_superiors_go_to_the_principal_and_supervising_leaders(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(3)] 上级单位的来文呈主要局领导、分管局领导阅."""
    doc = screened(office, agency, from_superior=True)
    decision = office.incoming.suggest_routing(doc, concerned_units=["finance"])
    assert decision.leaders == (agency.principal, agency.deputy)


def test_routing_needs_a_principal_leader(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)1(1)] 综合性文件由主要局领导审批: an agency without one cannot route."""
    doc = screened(office, agency)
    office.org.revoke_role(
        person_id=agency.principal, role="principal_leader", by=agency.admin, at=at(2026, 3, 3)
    )
    with assert_nothing_recorded(office), pytest.raises(NoPrincipalLeader):
        office.incoming.suggest_routing(doc, at=at(2026, 3, 3, 10))


def test_the_agency_can_replace_the_routing_table(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)2] 分办规则是机关的配置: the seed's table is only the default."""
    office.incoming.routing_table = RoutingTable(
        subject_rules=(SubjectRule("培训", "personnel"),), default_unit="office"
    )
    doc = screened(office, agency, sender_type=SenderType.PARTY, subject_tags=["培训"])
    decision = office.incoming.suggest_routing(doc)
    assert decision.lead_unit == "personnel"
    assert office.incoming.get(doc).desk == "office"  # no sender rule: the default desk
    office.incoming.routing_table = None
    assert office.incoming.routing_table.sender_rule(SenderType.PARTY) is not None
    with pytest.raises(InvalidInput):
        office.incoming.routing_table = "办公室"  # type: ignore[assignment]


def test_a_table_rule_naming_another_unit_still_leaves_assignment_to_a_desk(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(一)2] 分送办公室、党工部、纪检监察处负责人进行分办 (whatever the table
    names as the handling unit, a desk head assigns)."""
    office.incoming.routing_table = RoutingTable(
        sender_rules=(SenderRule(SenderType.PARTY, "personnel"),), default_unit="biz1"
    )
    doc = screened(office, agency, sender_type=SenderType.PARTY)
    assert office.incoming.get(doc).desk == "office"
    assert office.incoming.suggest_routing(doc).lead_unit == "personnel"


def test_only_the_desk_head_assigns_a_document(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(一)2, 五(二)] 分送办公室、党工部、纪检监察处负责人进行分办."""
    doc = screened(office, agency, sender_type=SenderType.PARTY)
    for wrong in (agency.office_head, agency.unit_head, agency.receiving_secretary):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.incoming.assign(
                doc, kind="action", proposal="转党工部办理", lead_unit="party", by=wrong
            )
    office.incoming.assign(
        doc, kind="action", proposal="转党工部办理", lead_unit="party", by=agency.party_head
    )
    assert office.incoming.get(doc).status is IncomingStatus.AWAITING_ACCEPTANCE


def test_a_reading_document_goes_round_its_reading_list(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)] 阅知性公文应当根据公文内容、要求和工作需要确定范围后分送."""
    doc = screened(office, agency)
    office.incoming.assign(
        doc,
        kind=HandlingKind.READING,
        proposal="请局领导及各处室负责人阅知",
        readers=[agency.principal, agency.unit_head],
        by=agency.office_head,
    )
    got = office.incoming.get(doc)
    assert got.status is IncomingStatus.CIRCULATING
    assert got.holders == (agency.principal, agency.unit_head)
    assert actions(office, doc)[-2:] == ["Assigned", "Circulated"]


def test_a_reading_document_needs_a_reading_list_and_no_lead_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)] 阅知性公文确定范围后分送,批办性公文才转有关部门办理."""
    doc = screened(office, agency)
    for wrong in ({}, {"readers": [agency.principal], "lead_unit": "biz1"}):
        with assert_nothing_recorded(office), pytest.raises(InvalidAssignment):
            office.incoming.assign(
                doc, kind="reading", proposal="阅知", by=agency.office_head, **wrong
            )


def test_an_action_document_goes_to_leaders_for_instruction(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)] 批办性公文应当提出拟办意见报局领导批示."""
    doc = for_instruction(office, agency)
    got = office.incoming.get(doc)
    assert got.status is IncomingStatus.AWAITING_INSTRUCTION
    assert got.proposal == "拟请何副局长阅示,业务一处办理"
    assert got.main_approver == agency.deputy
    assert got.whereabouts() == (agency.deputy, agency.principal)


def test_an_action_document_may_go_straight_to_the_lead_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)] 批办性公文报局领导批示或者转有关部门办理."""
    doc = with_unit(office, agency)
    got = office.incoming.get(doc)
    assert got.status is IncomingStatus.AWAITING_ACCEPTANCE
    assert (got.lead_unit, got.co_units) == ("biz1", ("finance",))
    assert got.whereabouts() == ("biz1",)


def test_an_action_document_names_one_lead_unit(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)2(2)] 需要两个以上部门办理的,应当明确主办部门,其他部门为协办部门."""
    doc = screened(office, agency)
    for wrong in (
        {"co_units": ["biz1", "finance"]},
        {"lead_unit": "biz1", "co_units": ["biz1"]},
        {"lead_unit": "biz1", "co_units": ["finance", "finance"]},
    ):
        with assert_nothing_recorded(office), pytest.raises(InvalidAssignment):
            office.incoming.assign(
                doc, kind="action", proposal="办理", by=agency.office_head, **wrong
            )


def test_only_leaders_or_their_substitutes_are_sent_a_document_for_instruction(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1] 呈局领导批示: the list names leaders, or a leader's substitute."""
    doc = screened(office, agency)
    with assert_nothing_recorded(office), pytest.raises(NotALeader):
        office.incoming.assign(
            doc,
            kind="action",
            proposal="呈阅",
            lead_unit="biz1",
            leaders=[agency.unit_head2],
            by=agency.office_head,
        )
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.unit_head2,
        start=date(2026, 3, 2),
        end=date(2026, 3, 3),
        by=agency.admin,
    )
    office.incoming.assign(
        doc,
        kind="action",
        proposal="何副局长出差,呈代理人阅示",
        lead_unit="biz1",
        leaders=[agency.unit_head2],
        by=agency.office_head,
    )


def test_the_proposed_handling_is_required(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)] 办公室负责人应当及时提出拟办意见."""
    doc = screened(office, agency)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.incoming.assign(
            doc, kind="action", proposal=" ", lead_unit="biz1", by=agency.office_head
        )


def test_an_urgent_document_carries_a_deadline(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(五); 条例第二十四条] 紧急公文应当明确办理时限,按时限要求办理."""
    doc = screened(office, agency, importance=Importance.URGENT)
    with assert_nothing_recorded(office), pytest.raises(DeadlineRequired):
        office.incoming.assign(
            doc, kind="action", proposal="转业务一处急办", lead_unit="biz1", by=agency.office_head
        )
    with assert_nothing_recorded(office), pytest.raises(InvalidAssignment):
        office.incoming.assign(
            doc,
            kind="action",
            proposal="转业务一处急办",
            lead_unit="biz1",
            deadline=date(2026, 3, 1),
            by=agency.office_head,
        )
    deadline = office.incoming.assign(
        doc,
        kind="action",
        proposal="转业务一处急办",
        lead_unit="biz1",
        within_working_days=2,
        by=agency.office_head,
    )
    assert deadline == date(2026, 3, 4)


def test_the_assignment_may_raise_the_importance(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二), 五(六)] 拟办时确定公文的轻重缓急,决定催办方式."""
    doc = screened(office, agency)
    office.incoming.assign(
        doc,
        kind="action",
        proposal="重要,转业务一处办理",
        lead_unit="biz1",
        importance="important",
        by=agency.office_head,
    )
    assert office.incoming.get(doc).importance is Importance.IMPORTANT


# --- 阅批 [五(四)] -----------------------------------------------------------------------------


def test_the_main_approver_signs_opinion_name_and_date(
    office: Office, agency: AgencyPeople, clock: Any
) -> None:
    """[001 收文 五(四)] 对有具体请示事项的,主批人应当明确签署意见、姓名和审批日期."""
    doc = for_instruction(office, agency)
    clock.set(at(2026, 3, 3, 15))
    office.incoming.instruct(doc, opinion="同意,请业务一处抓紧办理", by=agency.deputy)
    got = office.incoming.get(doc)
    instruction = got.instructions[agency.deputy]
    assert instruction.result is ReadingResult.INSTRUCTED
    assert (instruction.opinion, instruction.name) == ("同意,请业务一处抓紧办理", "何副局长")
    assert instruction.at == at(2026, 3, 3, 15)
    assert got.status is IncomingStatus.AWAITING_ACCEPTANCE
    assert got.reading_sheet(office.time_zone)["领导意见"] == [
        "何副局长: 同意,请业务一处抓紧办理 (2026-03-03)"
    ]


def test_the_main_approver_must_write_an_opinion_on_a_request(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(四)] 主批人应当明确签署意见 (a bare circle is not enough on a request)."""
    doc = for_instruction(office, agency)
    with assert_nothing_recorded(office), pytest.raises(OpinionRequired):
        office.incoming.instruct(doc, by=agency.deputy)


def test_other_leaders_reading_counts_as_agreement(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(四)] 其他审批人审阅视为同意."""
    doc = for_instruction(office, agency)
    office.incoming.instruct(doc, by=agency.principal)
    got = office.incoming.get(doc)
    assert got.instructions[agency.principal].result is ReadingResult.AGREED
    assert got.status is IncomingStatus.AWAITING_INSTRUCTION  # the main approver has not signed
    assert got.whereabouts() == (agency.deputy,)


def test_without_a_request_reading_means_read(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(四)] 没有请示事项的,审阅表示已阅知."""
    doc = for_instruction(office, agency, asks_decision=False)
    office.incoming.instruct(doc, by=agency.deputy)
    got = office.incoming.get(doc)
    assert got.instructions[agency.deputy].result is ReadingResult.READ
    assert got.status is IncomingStatus.AWAITING_ACCEPTANCE


def test_a_substitute_instructs_on_behalf_of_the_away_leader(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 局领导出差期间,公文阅批按替代关系处理."""
    doc = for_instruction(office, agency)
    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        office.incoming.instruct(doc, opinion="同意", by=agency.deputy2, on_behalf_of=agency.deputy)
    office.org.appoint_substitute(
        leader=agency.deputy,
        substitute=agency.deputy2,
        start=date(2026, 3, 2),
        end=date(2026, 3, 6),
        by=agency.admin,
    )
    office.incoming.instruct(doc, opinion="同意", by=agency.deputy2, on_behalf_of=agency.deputy)
    instructed = last(office, doc, "Instructed")
    assert (instructed["by"], instructed["on_behalf_of"]) == (agency.deputy2, agency.deputy)
    assert instructed["name"] == "胡副局长"
    assert office.incoming.get(doc).status is IncomingStatus.AWAITING_ACCEPTANCE


def test_only_the_leaders_on_the_list_instruct_once_each(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(1), 五(四)] 按拟办意见呈报的局领导阅批."""
    doc = for_instruction(office, agency)
    with assert_nothing_recorded(office), pytest.raises(NotOnInstructionList):
        office.incoming.instruct(doc, opinion="同意", by=agency.deputy2)
    office.incoming.instruct(doc, opinion="同意", by=agency.deputy)
    with assert_nothing_recorded(office), pytest.raises(AlreadyInstructed):
        office.incoming.instruct(doc, opinion="再批", by=agency.deputy)


# --- 承办 [五(五)] -----------------------------------------------------------------------------


def test_the_lead_units_head_takes_the_document_on(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(五)] 业务职能部门收到交办的公文后应当及时办理."""
    doc = with_unit(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.accept(doc, by=agency.finance_head)
    office.incoming.accept(doc, by=agency.unit_head)
    assert office.incoming.get(doc).status is IncomingStatus.IN_HANDLING


def test_a_unit_sends_back_a_document_outside_its_remit_for_reassignment(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 对不属于本部门职权范围的,应当及时退回局办并说明理由."""
    doc = screened(office, agency, sender_type=SenderType.PARTY)
    office.incoming.assign(
        doc, kind="action", proposal="转业务一处", lead_unit="biz1", by=agency.party_head
    )
    office.incoming.send_back(doc, reason="属人事培训事项,应由人教处办理", by=agency.unit_head)
    got = office.incoming.get(doc)
    assert got.status is IncomingStatus.SCREENED
    assert got.desk == "office"  # 退回局办
    assert last(office, doc, "SentBack")["reason"] == "属人事培训事项,应由人教处办理"
    office.incoming.assign(
        doc, kind="action", proposal="转人教处", lead_unit="personnel", by=agency.office_head
    )
    assert office.incoming.get(doc).lead_unit == "personnel"


def test_sending_back_needs_a_reason_and_comes_before_accepting(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 及时退回局办并说明理由;不得推诿."""
    doc = with_unit(office, agency)
    with assert_nothing_recorded(office), pytest.raises(ReasonRequired):
        office.incoming.send_back(doc, reason=" ", by=agency.unit_head)
    with assert_nothing_recorded(office), pytest.raises(NotAHandlingUnit):
        office.incoming.send_back(doc, reason="不属本处", unit="legal", by=agency.legal_head)
    office.incoming.accept(doc, by=agency.unit_head)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.incoming.send_back(doc, reason="不属本处", by=agency.unit_head)


def test_a_co_handling_unit_sends_back_only_its_own_part(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 不宜由本部门办理的,退回局办并说明理由 (协办处室退出协办)."""
    doc = in_handling(office, agency)
    office.incoming.send_back(doc, reason="不涉及经费", unit="finance", by=agency.finance_head)
    got = office.incoming.get(doc)
    assert got.co_units == ()
    assert got.status is IncomingStatus.IN_HANDLING


def test_the_lead_unit_replies_to_the_sender_with_the_outcome(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 根据来文性质及时将公文办理结果答复来文单位."""
    doc = handled(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.reply(doc, content="已拨付", by=agency.finance_head)
    office.incoming.reply(doc, content="专项资金已于3月拨付", by=agency.unit_head)
    replied = last(office, doc, "Replied")
    assert (replied["to"], replied["content"]) == (SENDER, "专项资金已于3月拨付")
    assert office.incoming.get(doc).status is IncomingStatus.REPLIED


# --- 传阅 [五(五)] -----------------------------------------------------------------------------


def test_circulation_knows_who_has_the_document_and_who_has_read_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 将公文及时送传阅对象阅知,做到实时掌握公文去向."""
    doc = in_handling(office, agency)
    office.incoming.circulate(doc, to=[agency.drafter, agency.legal_head], by=agency.unit_head)
    assert office.incoming.get(doc).whereabouts() == ("biz1", agency.drafter, agency.legal_head)
    office.incoming.confirm_read(doc, by=agency.drafter)
    got = office.incoming.get(doc)
    assert got.holders == (agency.legal_head,)
    assert got.read_by == (agency.drafter,)


def test_a_document_is_not_circulated_twice_to_the_same_reader(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 不得误传."""
    doc = in_handling(office, agency)
    office.incoming.circulate(doc, to=[agency.drafter], by=agency.unit_head)
    office.incoming.confirm_read(doc, by=agency.drafter)
    for again in ([agency.drafter], [agency.legal_head, agency.legal_head]):
        with assert_nothing_recorded(office), pytest.raises(CirculatedTwice):
            office.incoming.circulate(doc, to=again, by=agency.unit_head)


def test_only_the_reader_who_has_the_document_confirms_reading_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 实时掌握公文去向: only a holder returns it."""
    doc = in_handling(office, agency)
    office.incoming.circulate(doc, to=[agency.drafter], by=agency.unit_head)
    with assert_nothing_recorded(office), pytest.raises(NotAHolder):
        office.incoming.confirm_read(doc, by=agency.legal_head)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.circulate(doc, to=[agency.legal_head], by=agency.drafter)


def test_a_document_still_in_circulation_is_not_archived(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 不得漏传、延误: every copy comes back before filing."""
    doc = handled(office, agency)
    office.incoming.circulate(doc, to=[agency.drafter], by=agency.unit_head)
    with assert_nothing_recorded(office), pytest.raises(CirculationOutstanding):
        office.incoming.archive(doc, by=agency.archivist)
    office.incoming.confirm_read(doc, by=agency.drafter)
    office.incoming.archive(doc, by=agency.archivist)


# --- 归档 [五(七)] -----------------------------------------------------------------------------


def test_the_lead_unit_keeps_the_original_and_co_handlers_keep_copies(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(七)] 两个以上部门联合办理的公文,原件由主办部门归档,相关部门保存复制件."""
    doc = handled(office, agency)
    office.incoming.reply(doc, content="已办结", by=agency.unit_head)
    office.incoming.archive(doc, by=agency.unit_head)
    archived = last(office, doc, "Archived")
    assert (archived["original_with"], archived["copies_with"]) == ("biz1", ["finance"])
    assert office.incoming.get(doc).status is IncomingStatus.ARCHIVED


def test_a_document_is_archived_only_when_handled(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(七)] 公文办理完毕后,及时整理、归档."""
    doc = in_handling(office, agency)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.incoming.archive(doc, by=agency.archivist)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.handle(doc, result="办结", by=agency.finance_head)


def test_a_reading_document_is_archived_once_everyone_has_read_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二), 五(七)] 阅知性公文传阅完毕后归档."""
    doc = screened(office, agency)
    office.incoming.assign(
        doc, kind="reading", proposal="阅知", readers=[agency.principal], by=agency.office_head
    )
    with assert_nothing_recorded(office), pytest.raises(CirculationOutstanding):
        office.incoming.archive(doc, by=agency.archivist)
    office.incoming.confirm_read(doc, by=agency.principal)
    office.incoming.archive(doc, by=agency.archivist)
    assert last(office, doc, "Archived")["original_with"] == "office"


# --- 催办 [五(六)] -----------------------------------------------------------------------------


def urges(office: Office, doc: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {**d.details, "at": d.at, "by": d.by}
        for d in office.incoming.history(doc)
        if d.action == "Urged"
    ]


def tick_daily(office: Office, first: date, last_day: date, hour: int = 9) -> None:
    day = pendulum.date(first.year, first.month, first.day)
    while day <= last_day:
        office.tick(at(day.year, day.month, day.day, hour))
        day = day.add(days=1)


def test_urgent_documents_are_urged_every_working_day(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(六)] 紧急公文跟踪催办."""
    doc = with_unit(office, agency, importance=Importance.URGENT, within_working_days=10)
    tick_daily(office, date(2026, 3, 2), date(2026, 3, 10))
    dues = [u["due"].date() for u in urges(office, doc)]
    assert dues == [date(2026, 3, d) for d in (3, 4, 5, 6, 9, 10)]
    assert all(
        u["by"] == TICK_ACTOR and u["channel"] is IncomingUrgeChannel.SYSTEM
        for u in urges(office, doc)
    )
    assert urges(office, doc)[0]["targets"] == ["biz1"]


def test_important_documents_are_urged_every_two_working_days(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六)] 重要公文重点催办."""
    doc = with_unit(office, agency, importance=Importance.IMPORTANT)
    tick_daily(office, date(2026, 3, 2), date(2026, 3, 10))
    assert [u["due"].date() for u in urges(office, doc)] == [
        date(2026, 3, 4),
        date(2026, 3, 6),
        date(2026, 3, 10),
    ]


def test_ordinary_documents_are_urged_weekly(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(六)] 一般公文定期催办 (every 5 working days by default)."""
    doc = with_unit(office, agency)
    tick_daily(office, date(2026, 3, 2), date(2026, 3, 20))
    assert [u["due"].date() for u in urges(office, doc)] == [date(2026, 3, 9), date(2026, 3, 16)]


def test_the_urging_cadence_is_configuration(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(六)] 催办周期可由机关设定."""
    office.incoming.cadence = UrgingCadence(urgent=1, important=2, ordinary=10)
    doc = with_unit(office, agency)
    tick_daily(office, date(2026, 3, 2), date(2026, 3, 20))
    assert [u["due"].date() for u in urges(office, doc)] == [date(2026, 3, 16)]
    assert urges(office, doc)[0]["interval"] == 10
    with pytest.raises(InvalidInput):
        UrgingCadence(urgent=0)


def test_leaders_are_urged_while_the_document_waits_for_instruction(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六)] 送负责人批示的公文,局办收文秘书要负责催办."""
    doc = for_instruction(office, agency)
    office.tick(at(2026, 3, 9, 9))
    assert urges(office, doc)[-1]["targets"] == [agency.deputy, agency.principal]


def test_ticking_again_at_the_same_time_records_nothing(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六)] 每个催办时点只催办一次 (the tick is idempotent)."""
    with_unit(office, agency, importance=Importance.URGENT)
    first = office.tick(at(2026, 3, 4, 9))
    assert [d.action for d in first] == ["Urged"]
    with assert_nothing_recorded(office):
        assert office.tick(at(2026, 3, 4, 9)) == []
        assert office.tick(at(2026, 3, 4, 17)) == []
        assert office.tick(at(2026, 3, 3, 9)) == []  # earlier than the last step: nothing


def test_a_late_tick_catches_up_with_one_urge(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(六)] 跟踪催办: missed urge times are covered by one urge, not a burst."""
    doc = with_unit(office, agency, importance=Importance.URGENT, within_working_days=10)
    office.tick(at(2026, 3, 6, 10))
    [urge] = urges(office, doc)
    assert urge["due"] == at(2026, 3, 6, 0)
    assert urge["missed"] == 3  # 3, 4 and 5 March


def test_urging_stops_once_the_document_is_handled(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(六)] 送负责人批示或者交有关部门办理的公文催办至办结."""
    doc = in_handling(office, agency, importance=Importance.URGENT)
    office.incoming.handle(doc, result="已办结", by=agency.unit_head, at=at(2026, 3, 3, 10))
    assert office.tick(at(2026, 3, 20)) == []
    assert urges(office, doc) == []


def test_reading_documents_are_not_urged(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(六)] 催办送负责人批示或者交有关部门办理的公文 (not reading copies)."""
    doc = screened(office, agency)
    office.incoming.assign(
        doc, kind="reading", proposal="阅知", readers=[agency.principal], by=agency.office_head
    )
    assert office.tick(at(2026, 4, 1)) == []


def test_an_officer_urges_by_phone_and_covers_the_due_urge(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六); 条例第二十四条] 局办收文秘书负责催办,重要公文重点催办."""
    doc = with_unit(office, agency, importance=Importance.IMPORTANT)
    office.incoming.urge(
        doc,
        channel="phone",
        note="电话催问进度,答复本周内办结",
        by=agency.supervision_officer,
        at=at(2026, 3, 4, 8, 30),
    )
    [urge] = urges(office, doc)
    assert (urge["channel"], urge["due"]) == (IncomingUrgeChannel.PHONE, at(2026, 3, 4, 0))
    assert office.tick(at(2026, 3, 4, 9)) == []
    assert [d.action for d in office.tick(at(2026, 3, 6, 9))] == ["Urged"]


def test_only_the_receiving_secretary_or_a_supervision_officer_urges(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六)] 局办收文秘书要负责催办 (or the supervision office)."""
    doc = with_unit(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.incoming.urge(doc, by=agency.unit_head2)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.incoming.urge(doc, channel="system", by=agency.receiving_secretary)
    office.incoming.urge(doc, channel="on_site", by=agency.receiving_secretary)


def test_the_domain_refuses_to_record_an_urge_that_is_not_due(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(六)] 不到催办时点不催办 (the time-driven step cannot double an urge)."""
    doc = office.incoming.get(with_unit(office, agency))
    cadence, calendar = UrgingCadence(), office.calendar
    with pytest.raises(NothingDue):
        doc.record_due_urge(
            cadence=cadence, calendar=calendar, at=at(2026, 3, 6), zone=office.time_zone
        )
    with pytest.raises(NothingDue):
        doc.record_overdue(at=at(2026, 3, 6), zone=office.time_zone)
    assert doc.pending_events == []


# --- 时限 [五(五)] -----------------------------------------------------------------------------


def test_an_urgent_document_goes_overdue_once_when_its_deadline_passes(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 紧急公文应当按时限要求办理 (逾期记录一次)."""
    doc = with_unit(office, agency, importance=Importance.URGENT, deadline=date(2026, 3, 4))
    tick_daily(office, date(2026, 3, 2), date(2026, 3, 4), hour=23)
    assert "WentOverdue" not in actions(office, doc)
    tick_daily(office, date(2026, 3, 5), date(2026, 3, 9))
    overdue = [d for d in office.incoming.history(doc) if d.action == "WentOverdue"]
    assert len(overdue) == 1
    assert overdue[0].at == at(2026, 3, 5, 9)
    assert overdue[0].details["deadline"] == date(2026, 3, 4)
    assert overdue[0].details["delay_explained"] is False
    assert office.incoming.get(doc).overdue


def test_a_unit_that_cannot_meet_the_deadline_says_why_before_it_passes(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 紧急公文应当按时限要求办理,确有困难的,应当及时予以说明."""
    doc = in_handling(office, agency, importance=Importance.URGENT, deadline=date(2026, 3, 4))
    with assert_nothing_recorded(office), pytest.raises(ReasonRequired):
        office.incoming.explain_delay(doc, reason="", by=agency.unit_head, at=at(2026, 3, 4, 17))
    office.incoming.explain_delay(
        doc,
        reason="须待财政局核定额度",
        expected_by=date(2026, 3, 11),
        by=agency.unit_head,
        at=at(2026, 3, 4, 17),
    )
    office.tick(at(2026, 3, 5, 9))
    assert last(office, doc, "WentOverdue")["delay_explained"] is True


def test_a_delay_explained_after_the_deadline_is_too_late(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 确有困难的,应当及时予以说明 (before the deadline passes)."""
    doc = in_handling(office, agency, importance=Importance.URGENT, deadline=date(2026, 3, 4))
    with assert_nothing_recorded(office), pytest.raises(DelayExplanationTooLate):
        office.incoming.explain_delay(
            doc, reason="须待财政局核定额度", by=agency.unit_head, at=at(2026, 3, 5, 0, 0)
        )
    plain = in_handling(office, agency)
    with assert_nothing_recorded(office), pytest.raises(NoDeadline):
        office.incoming.explain_delay(plain, reason="人手不足", by=agency.unit_head)


def test_handling_records_whether_the_deadline_was_met(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五)] 紧急公文应当按时限要求办理 (办结时记录是否按时)."""
    doc = in_handling(office, agency, importance=Importance.URGENT, deadline=date(2026, 3, 4))
    office.incoming.handle(doc, result="已办结", by=agency.unit_head, at=at(2026, 3, 4, 23, 59))
    assert last(office, doc, "Handled")["on_time"] is True


# --- 2026 calendar ---------------------------------------------------------------------------


def test_an_urgent_document_assigned_before_national_day_is_due_on_the_make_up_saturday(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(五); domain-brief §8] 3 working days from 30 September 2026 skip the
    National Day week (1-7 October) and end on Saturday 10 October, a make-up working day."""
    doc = office.incoming.get(
        with_unit(office, agency, importance=Importance.URGENT, when=at(2026, 9, 30, 10))
    )
    assert doc.deadline == date(2026, 10, 10)
    tick_daily(office, date(2026, 10, 1), date(2026, 10, 7))
    assert urges(office, doc.id) == []
    tick_daily(office, date(2026, 10, 8), date(2026, 10, 12))
    assert [u["due"].date() for u in urges(office, doc.id)] == [
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
        date(2026, 10, 12),
    ]
    assert last(office, doc.id, "WentOverdue")["at"] == at(2026, 10, 11, 9)


@pytest.fixture
def january() -> Iterator[tuple[Office, AgencyPeople]]:
    """An office whose agency was set up on Monday 5 January 2026."""
    office = office_for_tests(start=at(2026, 1, 5))
    try:
        yield office, standard_agency(office, at(2026, 1, 5))
    finally:
        office.close()


def test_weekly_urging_skips_the_spring_festival_and_counts_the_make_up_saturday(
    january: tuple[Office, AgencyPeople],
) -> None:
    """[001 收文 五(六); domain-brief §8] From Thursday 12 February 2026 the 5th working day
    is 26 February: 13 and 14 February (a make-up Saturday), then 24-26 after the holiday."""
    office, agency = january
    doc = with_unit(office, agency, when=at(2026, 2, 12, 10))
    tick_daily(office, date(2026, 2, 13), date(2026, 2, 26))
    assert [u["due"].date() for u in urges(office, doc)] == [date(2026, 2, 26)]


def test_a_tick_without_holiday_data_for_the_year_fails_loudly(
    office: Office, agency: AgencyPeople
) -> None:
    """[domain-brief §8] where the calendar has no data for a year, say so rather than guess."""
    office.calendar = WorkingCalendar("仅2026年", {2026: china_calendar().calendar_years[2026]})
    with_unit(
        office,
        agency,
        importance=Importance.URGENT,
        deadline=date(2026, 12, 31),
        when=at(2026, 12, 28),
    )
    assert [d.action for d in office.tick(at(2026, 12, 31, 9))] == ["Urged"]
    with pytest.raises(CalendarDataMissing):
        office.tick(at(2027, 1, 4, 9))


# --- 督办 and the whole chain ------------------------------------------------------------------


def test_a_supervision_task_is_linked_to_its_incoming_document_once(
    office: Office, agency: AgencyPeople
) -> None:
    """[domain-brief §6] 督办事项来源于来文: the document records each task opened from it."""
    doc = office.incoming.get(with_unit(office, agency))
    task = uuid.uuid4()
    doc.link_supervision_task(task_id=task, by=agency.supervision_officer, at=at(2026, 3, 3))
    assert doc.supervision_tasks == (task,)
    with pytest.raises(AlreadyExists):
        doc.link_supervision_task(task_id=task, by=agency.supervision_officer, at=at(2026, 3, 3))
    returned = registered(office, agency)
    office.incoming.screen(
        returned,
        results={**ALL_PASS, ScreeningCheck.LAWFUL: False},
        reason="违反规定",
        by=agency.receiving_secretary,
    )
    with pytest.raises(DocumentReturnedToSender):
        office.incoming.get(returned).link_supervision_task(
            task_id=uuid.uuid4(), by=agency.supervision_officer, at=at(2026, 3, 3)
        )


@pytest.fixture
def chain_office(store_url: str) -> Iterator[Office]:
    office = office_for_tests(store_url, start=at(2026, 3, 2))
    try:
        yield office
    finally:
        office.close()


def test_the_whole_chain_replays_from_every_store(chain_office: Office) -> None:
    """[001 收文 四] 签收→登记→初审→分办→阅批→催办→办理→传阅→答复→归档, stored and read back."""
    office = chain_office
    p = standard_agency(office, at(2026, 3, 2))
    doc = office.incoming.receive(
        sender="市财政局",
        title="关于下达专项资金的通知",
        by=p.receiving_secretary,
        at=at(2026, 3, 2, 9),
    )
    office.incoming.register(
        doc,
        sender_type="government",
        sender_number="市财发〔2026〕3号",
        importance="urgent",
        scan_ref="scan/2026/0001.pdf",
        subject_tags=["财务"],
        from_superior=True,
        by=p.receiving_secretary,
        at=at(2026, 3, 2, 9, 10),
    )
    office.incoming.screen(
        doc, results=ALL_PASS, by=p.receiving_secretary, at=at(2026, 3, 2, 9, 20)
    )
    decision = office.incoming.suggest_routing(
        doc, concerned_units=["finance", "biz1"], at=at(2026, 3, 2, 9, 30)
    )
    office.incoming.assign(
        doc,
        kind="action",
        proposal="拟请陈局长、何副局长阅示,财务处办理,业务一处协办",
        lead_unit=decision.lead_unit,
        co_units=decision.consult_units,
        leaders=decision.leaders,
        main_approver=p.deputy,
        asks_decision=True,
        within_working_days=5,
        by=p.office_head,
        at=at(2026, 3, 2, 10),
    )
    office.incoming.instruct(doc, by=p.principal, at=at(2026, 3, 2, 11))
    office.incoming.instruct(doc, opinion="请财务处抓紧落实", by=p.deputy, at=at(2026, 3, 3, 10))
    office.incoming.accept(doc, by=p.finance_head, at=at(2026, 3, 3, 11))
    office.incoming.circulate(doc, to=[p.unit_head], by=p.finance_head, at=at(2026, 3, 3, 12))
    office.incoming.confirm_read(doc, by=p.unit_head, at=at(2026, 3, 4, 9))
    office.tick(at(2026, 3, 5, 9))
    office.incoming.handle(doc, result="资金已分解下达", by=p.finance_head, at=at(2026, 3, 6, 9))
    office.incoming.reply(doc, content="已按要求下达", by=p.finance_head, at=at(2026, 3, 6, 10))
    office.incoming.archive(doc, by=p.archivist, at=at(2026, 3, 6, 11))
    assert actions(office, doc) == [
        "Received",
        "Registered",
        "Screened",
        "Assigned",
        "Instructed",
        "Instructed",
        "HandlingAccepted",
        "Circulated",
        "ReadConfirmed",
        "Urged",
        "Handled",
        "Replied",
        "Archived",
    ]
    got = office.incoming.get(doc)
    assert got.status is IncomingStatus.ARCHIVED
    assert got.receipt_number == ReceiptNumber("X局", 2026, 1)
    assert got.deadline == date(2026, 3, 9)
    assert got.screening[0].check is ScreeningCheck.RIGHT_HANDLER
    assert got.instructions[p.principal].result is ReadingResult.AGREED
    assert got.archived_original_with == "finance"
    assert last(office, doc, "Urged")["due"] == at(2026, 3, 5, 0)
    as_of = office.incoming.as_of(doc, at(2026, 3, 3, 11, 30))
    assert as_of.status is IncomingStatus.IN_HANDLING


def test_the_demo_runs_the_incoming_chain_with_its_refusals(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 四] the demo's 收文 scenario: 签收 → 归档, a 退文, and four refused steps."""
    from io import StringIO

    from rich.console import Console

    from govoffice.demo import Narrator
    from govoffice.demo.incoming import incoming_request

    out = StringIO()
    narrator = Narrator(office, Console(file=out, width=200), at(2026, 3, 3, 8))
    incoming_request(narrator)
    text = out.getvalue()
    assert "X局收〔2026〕3号 已归档" in text
    assert narrator.refusals == 4
    assert text.count("拒绝") == 4
