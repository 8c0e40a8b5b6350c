"""发文 — every rule of the 发文管理工作规程 [001], through ``office.documents``.

One test per rule, named in the office's words. The allowed path records events; a refused
step raises a named error and records nothing (``assert_nothing_recorded``).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import attrs
import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.document import (
    ClassificationOfficerRequired,
    ClassifiedNotDisclosable,
    CountersignNotOverdue,
    CountersignRequired,
    DocType,
    DocumentStatus,
    InsecurePrintSite,
    JointSigningOrder,
    NotACountersigner,
    PrincipalLeaderRequired,
    PrintNotChecked,
    ReasonRequired,
    RecheckFailed,
    SecrecyPeriodRequired,
    TextFrozen,
    UrgentDeadlines,
    UrgentReasonRequired,
)
from govoffice.domain.errors import (
    InvalidInput,
    MalformedDocumentNumber,
    NotASubstitute,
    PermissionDenied,
    RecordNotFound,
    TimeGoesBackwards,
    UnknownUnit,
    WrongStatus,
)
from govoffice.domain.organisation import Role
from govoffice.domain.values import DocumentNumber
from govoffice.testing import (
    SECURE_PRINT_SITE,
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    draft_form,
    outgoing_document,
)

ZONE = "Asia/Shanghai"
PRINT_ROOM = "局文印室"


def at(d: int, hour: int = 9, minute: int = 0, month: int = 3, year: int = 2026) -> Any:
    """A business time (by default in March 2026; 2 March 2026 is a Monday)."""
    return pendulum.datetime(year, month, d, hour, minute, tz=ZONE)


def status(office: Office, doc: uuid.UUID) -> DocumentStatus:
    return office.documents.get(doc).status


def actions(office: Office, doc: uuid.UUID) -> list[str]:
    return [d.action for d in office.documents.history(doc)]


# --- 拟稿 drafting ---------------------------------------------------------------------------


def test_a_draft_carries_the_fields_of_the_draft_form(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(一)1(2), 图3] 在发文稿纸中逐项填选缓急、密级、主送、抄送、印数、附件、标题等."""
    doc = office.documents.draft(
        by=agency.drafter,
        **draft_form(
            urgency="加急",
            drafter_phone="0571-12345678",
            copies=30,
            attachments=["检查表"],
            summary="部署春季安全检查",
            disclosure="依申请公开",
        ),
    )

    document = office.documents.get(doc)
    f = document.form
    assert f.title == "关于做好春季安全检查工作的通知"
    assert f.doc_type is DocType.NOTICE
    assert f.urgency.label == "加急"
    assert f.classification.label == "非密"
    assert f.main_recipients == ("各处室", "各直属单位")
    assert f.copy_recipients == ("市政府办公室",)
    assert f.lead_unit == "biz1"
    assert (f.drafter_phone, f.copies, f.attachments) == ("0571-12345678", 30, ("检查表",))
    assert (f.summary, f.disclosure.label) == ("部署春季安全检查", "依申请公开")
    assert document.drafter == agency.drafter
    assert document.drafted_at == clock.now()
    assert document.status is DocumentStatus.DRAFT
    assert actions(office, doc) == ["Drafted"]


def test_the_doc_types_are_the_thirteen_of_the_seed_and_the_two_of_the_national_rules() -> None:
    """[001 发文 二] 决议、决定、公报、公告、通告、意见、通知、通报、报告、请示、批复、函、纪要等13种."""
    seed = [
        "决议",
        "决定",
        "公报",
        "公告",
        "通告",
        "意见",
        "通知",
        "通报",
        "报告",
        "请示",
        "批复",
        "函",
        "纪要",
    ]
    assert [t.label for t in DocType][:13] == seed
    assert {t.label for t in DocType} - set(seed) == {"命令(令)", "议案"}


def test_only_a_drafter_drafts(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(一)] 文稿由承办部门拟稿人草拟 (drafting needs the drafter's role)."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.draft(by=agency.secretary, **draft_form(lead_unit="office"))


def test_a_drafter_drafts_only_for_their_own_unit(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(一)] 一般文稿由承办部门草拟: the lead unit is the drafter's unit."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.draft(by=agency.drafter2, **draft_form(lead_unit="biz1"))

    office.documents.draft(by=agency.drafter2, **draft_form(lead_unit="biz2"))


def test_the_lead_unit_is_a_unit_of_the_agency(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 图3] 主办处室 must name a unit of this agency."""
    with assert_nothing_recorded(office), pytest.raises(UnknownUnit):
        office.documents.draft(by=agency.drafter, **draft_form(lead_unit="nowhere"))


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": " "},
        {"doc_type": "便条"},
        {"main_recipients": []},
        {"text": ""},
        {"issuer_code": "X政发2"},
        {"copies": 0},
        {"urgency": "很急"},
        {"colour": "red"},
    ],
    ids=["title", "doc_type", "main_recipients", "text", "issuer", "copies", "urgency", "field"],
)
def test_a_draft_form_with_a_missing_or_wrong_entry_is_refused(
    office: Office, agency: AgencyPeople, overrides: dict[str, Any]
) -> None:
    """[001 发文 五(一)1(2)] 发文稿纸须逐项填写: title, 文种, 主送, text, 代字, 印数, 缓急."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.draft(by=agency.drafter, **draft_form(**overrides))


def urgent(clock: SettableClock, **overrides: Any) -> dict[str, Any]:
    """A 特急 form with its reason and deadlines (countersign +4h, review +1d, sign +2d)."""
    now = clock.now()
    fields: dict[str, Any] = {
        "urgency": "特急",
        "urgent_reason": "省政府要求三日内报送",
        "urgent_deadlines": UrgentDeadlines(
            countersign_by=now.add(hours=4), review_by=now.add(days=1), sign_by=now.add(days=2)
        ),
    }
    return draft_form(**(fields | overrides))


def test_an_extra_urgent_draft_states_its_specific_reason(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(四)3(2)五] 紧急程度标注为“特急”的,须说明具体理由."""
    with assert_nothing_recorded(office), pytest.raises(UrgentReasonRequired):
        office.documents.draft(by=agency.drafter, **urgent(clock, urgent_reason=""))


def test_an_extra_urgent_draft_states_its_countersign_review_and_signing_deadlines(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(四)3(2)五] 特急文稿须对会签、审核及签批时限要求提出明确意见."""
    with assert_nothing_recorded(office), pytest.raises(UrgentReasonRequired):
        office.documents.draft(by=agency.drafter, **urgent(clock, urgent_deadlines=None))


def test_extra_urgent_deadlines_run_countersign_then_review_then_signing(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(四)3(2)五] 会签、审核、签批时限依次排列,且不早于拟稿时间."""
    now = clock.now()
    review_before_countersign = UrgentDeadlines(
        countersign_by=now.add(days=1), review_by=now.add(hours=4), sign_by=now.add(days=2)
    )
    in_the_past = UrgentDeadlines(
        countersign_by=now.subtract(hours=1), review_by=now.add(days=1), sign_by=now.add(days=2)
    )
    for deadlines in (review_before_countersign, in_the_past):
        with assert_nothing_recorded(office), pytest.raises(UrgentReasonRequired):
            office.documents.draft(by=agency.drafter, **urgent(clock, urgent_deadlines=deadlines))


def test_an_extra_urgent_draft_with_its_reason_and_deadlines_is_accepted(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(四)3(2)五] 特急: 说明理由并提出时限后即可拟稿."""
    doc = office.documents.draft(by=agency.drafter, **urgent(clock))

    f = office.documents.get(doc).form
    assert f.urgency.label == "特急"
    assert f.urgent_reason == "省政府要求三日内报送"
    assert f.urgent_deadlines is not None
    assert f.urgent_deadlines.sign_by == clock.now().add(days=2)


def classified(**overrides: Any) -> dict[str, Any]:
    """The form fields of a 秘密 document (secrecy period, not disclosed)."""
    return {
        "classification": "秘密",
        "secrecy_period": "10年",
        "disclosure": "不予公开",
    } | overrides


def test_a_classified_draft_carries_its_secrecy_period(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)3(2)五] 密级确定是否符合规定: 涉密文稿须标注保密期限."""
    with assert_nothing_recorded(office), pytest.raises(SecrecyPeriodRequired):
        office.documents.draft(by=agency.drafter, **draft_form(**classified(secrecy_period="")))


def test_a_classified_document_is_not_disclosed(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(四)3(2)五] 公开属性标注须符合规定: 涉密公文不予公开."""
    with assert_nothing_recorded(office), pytest.raises(ClassifiedNotDisclosable):
        office.documents.draft(by=agency.drafter, **draft_form(**classified(disclosure="主动公开")))

    doc = office.documents.draft(by=agency.drafter, **draft_form(**classified()))
    assert office.documents.get(doc).form.disclosure.label == "不予公开"


# --- 处室审核 review by the lead unit's head ------------------------------------------------


def test_the_drafter_submits_the_draft_to_the_unit_head(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(一)1(3)] 起草正文后提交处室负责人审核."""
    doc = outgoing_document(office, agency, DocumentStatus.DRAFT)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.submit_for_review(doc, by=agency.drafter2)

    office.documents.submit_for_review(doc, by=agency.drafter)
    assert status(office, doc) is DocumentStatus.UNIT_REVIEW


def test_the_unit_head_passes_a_draft_with_name_date_and_opinion(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(一)1(4)] 处室负责人核稿后签署姓名及日期."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEW)

    office.documents.review(doc, by=agency.unit_head, opinion="同意,拟主动公开")

    assert status(office, doc) is DocumentStatus.UNIT_REVIEWED
    last = office.documents.history(doc)[-1]
    assert (last.action, last.by, last.at) == ("Reviewed", agency.unit_head, clock.now())
    assert last.details["opinion"] == "同意,拟主动公开"


def test_only_the_lead_units_head_reviews(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(一)1(4)] 草拟公文的处室负责人进行核稿 (not another unit's head)."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEW)

    for someone in (agency.unit_head2, agency.drafter, agency.office_head):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.review(doc, by=someone)


def test_a_draft_is_returned_only_with_an_opinion(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(四)1(4)] 退回起草单位并说明理由."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEW)

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.return_for_revision(doc, by=agency.unit_head, opinion=" ")


def test_a_returned_draft_is_revised_and_reviewed_again(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(四)1(4)] 内容需修改的,由主办处室修改后重新报送审核."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEW)
    office.documents.return_for_revision(doc, by=agency.unit_head, opinion="第二段表述不准确")
    assert status(office, doc) is DocumentStatus.RETURNED

    clock.advance(minutes=10)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.review(doc, by=agency.unit_head)

    office.documents.revise(doc, by=agency.drafter, text="修改后的正文")
    office.documents.submit_for_review(doc, by=agency.drafter)
    office.documents.review(doc, by=agency.unit_head)

    document = office.documents.get(doc)
    assert document.status is DocumentStatus.UNIT_REVIEWED
    assert document.form.text == "修改后的正文"
    assert document.returns == 1
    assert actions(office, doc)[-4:] == [
        "ReturnedForRevision",
        "Revised",
        "SubmittedForReview",
        "Reviewed",
    ]


def test_only_the_drafter_revises_a_draft(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(四)1(4)] 由主办处室(拟稿人)修改."""
    doc = outgoing_document(office, agency, DocumentStatus.DRAFT)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.revise(doc, by=agency.unit_head, text="处长改的正文")


def test_a_draft_under_review_is_not_revised(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(一)1(3)] 提交审核后,文稿退回前不修改."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEW)

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.revise(doc, by=agency.drafter, text="偷偷改")


def test_the_lead_unit_is_not_changed_by_a_revision(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 图3] 主办处室 is fixed once drafted (withdraw and draft again instead)."""
    doc = outgoing_document(office, agency, DocumentStatus.DRAFT)

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.revise(doc, by=agency.drafter, lead_unit="biz2")


# --- 会签 countersign --------------------------------------------------------------------------


def test_the_lead_units_head_sends_the_draft_for_countersign(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(一)1(5), 五(三)1(1)] 处室负责人视情况选择送相关处室会签,由主办处室转送."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.request_countersign(doc, by=agency.drafter, units=["biz2"])
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.request_countersign(doc, by=agency.unit_head, units=["biz1"])

    office.documents.request_countersign(doc, by=agency.unit_head, units=["biz2"])
    assert status(office, doc) is DocumentStatus.COUNTERSIGNING


def test_countersign_is_due_in_one_working_day_inside_and_five_outside(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(三)2] 局外会签5个工作日内回复,局内会签1个工作日内回复."""
    clock.set(at(6))  # a Friday
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED)

    due = office.documents.request_countersign(
        doc, by=agency.unit_head, units=["biz2"], agencies=["市财政局"]
    )

    assert due == {"biz2": date(2026, 3, 9), "市财政局": date(2026, 3, 13)}
    assert office.documents.get(doc).countersign_due == due


def test_extra_urgent_countersign_is_due_by_the_drafts_own_deadline(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(三)2, 五(四)3(2)五] 除主办部门另有时限要求外: 特急 caps the reply dates."""
    doc = office.documents.draft(by=agency.drafter, **urgent(clock))  # countersign_by: today
    clock.advance(minutes=10)
    office.documents.submit_for_review(doc, by=agency.drafter)
    office.documents.review(doc, by=agency.unit_head)

    due = office.documents.request_countersign(
        doc, by=agency.unit_head, units=["biz2"], agencies=["市财政局"]
    )

    assert due == {"biz2": clock.now().date(), "市财政局": clock.now().date()}


def countersigning(office: Office, a: AgencyPeople, **fields: Any) -> uuid.UUID:
    """A draft reviewed by its unit and sent to 业务二处 and 市财政局 for countersign."""
    doc = outgoing_document(office, a, DocumentStatus.UNIT_REVIEWED, **fields)
    office.documents.request_countersign(doc, by=a.unit_head, units=["biz2"], agencies=["市财政局"])
    return doc


def test_only_the_countersigning_units_head_signs_validly(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 局内会签文稿均以会签处室负责人签名为有效."""
    doc = countersigning(office, agency)

    for someone in (agency.drafter2, agency.unit_head, agency.legal_head):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.countersign(doc, party="biz2", agree=True, by=someone)

    office.documents.countersign(doc, party="biz2", agree=True, by=agency.unit_head2)
    answer = office.documents.get(doc).countersign_answers["biz2"]
    assert (answer.agreed, answer.by, answer.signatory) == (True, agency.unit_head2, "刘处长")


def test_a_disagreeing_countersign_gives_its_opinion(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(三)1(1)] 会签处室如有不同意见,须提出意见."""
    doc = countersigning(office, agency)

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.countersign(doc, party="biz2", agree=False, by=agency.unit_head2)

    office.documents.countersign(
        doc, party="biz2", agree=False, opinion="第三条与我处职责冲突", by=agency.unit_head2
    )
    answer = office.documents.get(doc).countersign_answers["biz2"]
    assert (answer.agreed, answer.opinion) == (False, "第三条与我处职责冲突")


def test_only_a_party_asked_and_not_yet_answered_countersigns(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 会签由主办处室转送: only the parties sent the draft answer, once."""
    doc = countersigning(office, agency)

    with assert_nothing_recorded(office), pytest.raises(NotACountersigner):
        office.documents.countersign(doc, party="legal", agree=True, by=agency.legal_head)

    office.documents.countersign(doc, party="biz2", agree=True, by=agency.unit_head2)
    with assert_nothing_recorded(office), pytest.raises(NotACountersigner):
        office.documents.countersign(doc, party="biz2", agree=True, by=agency.unit_head2)


def test_an_outside_agencys_answer_is_recorded_by_the_lead_unit_with_its_signatory(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(2)] 外单位会签由主办处室指定专人承办."""
    doc = countersigning(office, agency)

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.countersign(doc, party="市财政局", agree=True, by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.countersign(
            doc, party="市财政局", agree=True, signatory="财政局张局长", by=agency.drafter2
        )

    office.documents.countersign(
        doc, party="市财政局", agree=True, signatory="财政局张局长", by=agency.drafter
    )
    assert office.documents.get(doc).countersign_answers["市财政局"].signatory == "财政局张局长"


def test_a_dissent_holds_the_draft_until_the_lead_unit_resolves_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 会签处室如有不同意见,应当协商一致后报局领导."""
    doc = countersigning(office, agency)
    office.documents.countersign(
        doc, party="biz2", agree=False, opinion="不同意", by=agency.unit_head2
    )
    office.documents.countersign(
        doc, party="市财政局", agree=True, signatory="张局长", by=agency.drafter
    )
    assert status(office, doc) is DocumentStatus.COUNTERSIGNING

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.submit_to_office(doc, by=agency.drafter)

    office.documents.resolve_opinion(doc, party="biz2", adopted=True, by=agency.unit_head)
    assert status(office, doc) is DocumentStatus.UNIT_REVIEWED
    office.documents.submit_to_office(doc, by=agency.drafter)


def test_an_opinion_not_adopted_records_the_reason(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(四)3(6)三] 会签意见不采纳的,理由是否充分 (the reason is recorded)."""
    doc = countersigning(office, agency)
    office.documents.countersign(
        doc, party="biz2", agree=False, opinion="不同意", by=agency.unit_head2
    )

    with assert_nothing_recorded(office), pytest.raises(ReasonRequired):
        office.documents.resolve_opinion(doc, party="biz2", adopted=False, by=agency.unit_head)

    office.documents.resolve_opinion(
        doc, party="biz2", adopted=False, reason="与上级文件规定一致", by=agency.unit_head
    )
    answer = office.documents.get(doc).countersign_answers["biz2"]
    assert (answer.adopted, answer.not_adopted_reason) == (False, "与上级文件规定一致")


def test_the_lead_unit_either_adopts_a_dissent_or_does_not(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)3(6)三] 会签意见是否采纳: the decision is yes or no."""
    doc = countersigning(office, agency)
    office.documents.countersign(
        doc, party="biz2", agree=False, opinion="不同意", by=agency.unit_head2
    )

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.resolve_opinion(
            doc, party="biz2", adopted="部分采纳", reason="见附页", by=agency.unit_head
        )


def test_only_the_lead_units_head_resolves_a_dissent(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(三)1(1)] 主办处室与会签处室协商一致 (the lead unit decides on a dissent)."""
    doc = countersigning(office, agency)
    office.documents.countersign(
        doc, party="biz2", agree=False, opinion="不同意", by=agency.unit_head2
    )

    for someone in (agency.unit_head2, agency.drafter):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.resolve_opinion(doc, party="biz2", adopted=True, by=someone)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.resolve_opinion(doc, party="市财政局", adopted=True, by=agency.unit_head)


def test_an_unanswered_party_past_its_date_is_deemed_agreed(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(三)2] 逾期不回复视为同意."""
    doc = countersigning(office, agency)  # Monday 2 March: biz2 due Tuesday 3 March
    clock.set(at(4))

    office.documents.deem_agreed(doc, party="biz2", by=agency.drafter)

    answer = office.documents.get(doc).countersign_answers["biz2"]
    assert (answer.agreed, answer.deemed) == (True, True)
    assert actions(office, doc)[-1] == "CountersignDeemedAgreed"


def test_an_unanswered_party_is_not_deemed_agreed_before_its_date_has_passed(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(三)2] 在时限内未回复的,不能视为同意."""
    doc = countersigning(office, agency)  # biz2 due Tuesday 3 March
    clock.set(at(3, 17, 30))

    with assert_nothing_recorded(office), pytest.raises(CountersignNotOverdue):
        office.documents.deem_agreed(doc, party="biz2", by=agency.drafter)
    clock.set(at(4))
    with assert_nothing_recorded(office), pytest.raises(CountersignNotOverdue):
        office.documents.deem_agreed(doc, party="市财政局", by=agency.drafter)  # due 9 March


# --- rules that force countersignature ----------------------------------------------------


def test_internal_rules_are_countersigned_by_the_general_office(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 制定内部管理规章制度,应会签办公室和相关处室."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED, internal_rules=True)

    with assert_nothing_recorded(office), pytest.raises(CountersignRequired):
        office.documents.submit_to_office(doc, by=agency.drafter)

    office.documents.request_countersign(doc, by=agency.unit_head, units=["biz2"])
    office.documents.countersign(doc, party="biz2", agree=True, by=agency.unit_head2)
    with assert_nothing_recorded(office), pytest.raises(CountersignRequired):
        office.documents.submit_to_office(doc, by=agency.drafter)

    office.documents.request_countersign(doc, by=agency.unit_head, units=["office"])
    office.documents.countersign(doc, party="office", agree=True, by=agency.office_head)
    office.documents.submit_to_office(doc, by=agency.drafter)
    assert status(office, doc) is DocumentStatus.OFFICE_CHECK


def test_normative_documents_are_countersigned_by_the_legal_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 制订规范性文件,应会签法规部门和相关处室."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED, normative=True)
    office.documents.request_countersign(doc, by=agency.unit_head, units=["biz2"])
    office.documents.countersign(doc, party="biz2", agree=True, by=agency.unit_head2)

    with assert_nothing_recorded(office), pytest.raises(CountersignRequired) as refused:
        office.documents.submit_to_office(doc, by=agency.drafter)
    assert any("法规" in m for m in refused.value.missing)

    office.documents.request_countersign(doc, by=agency.unit_head, units=["legal"])
    office.documents.countersign(doc, party="legal", agree=True, by=agency.legal_head)
    office.documents.submit_to_office(doc, by=agency.drafter)


def test_office_meeting_items_are_countersigned_by_a_related_unit(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)3(6)二] 局长办公会审议事项须会签相关处室."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED, for_office_meeting=True)
    with assert_nothing_recorded(office), pytest.raises(CountersignRequired):
        office.documents.submit_to_office(doc, by=agency.drafter)

    office.documents.request_countersign(doc, by=agency.unit_head, agencies=["市财政局"])
    office.documents.countersign(
        doc, party="市财政局", agree=True, signatory="张", by=agency.drafter
    )
    with assert_nothing_recorded(office), pytest.raises(CountersignRequired):
        office.documents.submit_to_office(doc, by=agency.drafter)  # an outside agency is no unit

    office.documents.request_countersign(doc, by=agency.unit_head, units=["finance"])
    office.documents.countersign(doc, party="finance", agree=True, by=agency.finance_head)
    office.documents.submit_to_office(doc, by=agency.drafter)


def test_a_resolved_dissent_of_the_forced_unit_counts_as_its_countersignature(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 经充分协商仍不能一致的,如实报局领导裁定: the dissent travels on."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED, normative=True)
    office.documents.request_countersign(doc, by=agency.unit_head, units=["legal"])
    office.documents.countersign(
        doc, party="legal", agree=False, opinion="建议删去罚则", by=agency.legal_head
    )
    office.documents.resolve_opinion(
        doc, party="legal", adopted=False, reason="罚则有上位法依据", by=agency.unit_head
    )

    office.documents.submit_to_office(doc, by=agency.drafter)
    assert status(office, doc) is DocumentStatus.OFFICE_CHECK


def test_the_general_offices_own_internal_rules_need_no_countersign_by_itself(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)1(1)] 内部管理规章制度会签办公室: 办公室主办的,本处室审核即可."""
    office.org.grant_role(person_id=agency.secretary, role=Role.DRAFTER, by=agency.admin)
    doc = office.documents.draft(
        by=agency.secretary, **draft_form(lead_unit="office", internal_rules=True)
    )
    office.documents.submit_for_review(doc, by=agency.secretary)
    office.documents.review(doc, by=agency.office_head)

    office.documents.submit_to_office(doc, by=agency.secretary)
    assert status(office, doc) is DocumentStatus.OFFICE_CHECK


def test_forced_countersign_is_checked_again_at_office_review_and_at_signing(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(四)3(6)二] 办公室复核、签发前再查会签 (guards behind submit_to_office).

    Through the facade a draft cannot reach these steps without the forced countersign, so
    this checks the aggregate's own guards on a loaded copy (never saved)."""
    org = office.org.current()
    for stage, step in (
        (DocumentStatus.OFFICE_REVIEW, "office_review"),
        (DocumentStatus.AWAITING_SIGNATURE, "sign"),
    ):
        doc = office.documents.get(outgoing_document(office, agency, stage))
        doc.form = attrs.evolve(doc.form, internal_rules=True)
        by = agency.office_head if step == "office_review" else agency.deputy
        with assert_nothing_recorded(office), pytest.raises(CountersignRequired):
            getattr(doc, step)(org=org, by=by, at=clock.advance(minutes=10))


# --- 办公室审核 office review ------------------------------------------------------------------


def test_only_the_drafter_or_the_lead_units_head_sends_the_draft_to_the_office(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)] 经主办处室审核后送办公室审核."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.submit_to_office(doc, by=agency.drafter2)

    office.documents.submit_to_office(doc, by=agency.unit_head)


def test_the_office_initial_check_is_done_by_an_office_reviewer(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)] 办公室审核包括办公室秘书初核."""
    doc = outgoing_document(office, agency, DocumentStatus.OFFICE_CHECK)

    for someone in (agency.drafter, agency.unit_head):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.office_check(doc, by=someone)

    office.documents.office_check(doc, by=agency.secretary, opinion="格式规范")
    assert status(office, doc) is DocumentStatus.OFFICE_REVIEW


def test_the_final_office_review_is_done_by_the_head_of_the_general_office(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四), 五(四)1(5)] 办公室主任复核,提出拟办意见,送局领导签发."""
    doc = outgoing_document(office, agency, DocumentStatus.OFFICE_REVIEW)

    for someone in (agency.secretary, agency.unit_head2):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.office_review(doc, by=someone)

    office.documents.office_review(doc, by=agency.office_head, opinion="拟同意,呈何副局长签发")
    assert status(office, doc) is DocumentStatus.AWAITING_SIGNATURE
    assert office.documents.history(doc)[-1].details["opinion"] == "拟同意,呈何副局长签发"


def test_the_office_returns_a_draft_to_the_drafting_unit_with_its_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)1(4)] 经审核不宜发文的,退回起草单位并说明理由;修改后重新报送."""
    doc = outgoing_document(office, agency, DocumentStatus.OFFICE_CHECK)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.return_for_revision(doc, by=agency.unit_head, opinion="退回")

    office.documents.return_for_revision(doc, by=agency.secretary, opinion="行文依据不充分")
    assert status(office, doc) is DocumentStatus.RETURNED
    last = office.documents.history(doc)[-1]
    assert last.details["stage"] is DocumentStatus.OFFICE_CHECK
    assert last.details["opinion"] == "行文依据不充分"

    office.documents.revise(doc, by=agency.drafter, text="补充行文依据后的正文")
    office.documents.submit_for_review(doc, by=agency.drafter)
    assert status(office, doc) is DocumentStatus.UNIT_REVIEW


# --- 签发 signing --------------------------------------------------------------------------------


def test_an_ordinary_document_is_signed_by_a_leader_with_name_and_full_date(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(五)1-2] 公文经发文机关负责人签发,签署意见、姓名和完整日期."""
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)

    for someone in (agency.office_head, agency.unit_head):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.sign(doc, by=someone)

    office.documents.sign(doc, by=agency.deputy2, opinion="同意印发")
    document = office.documents.get(doc)
    assert document.status is DocumentStatus.SIGNED
    assert (document.signed_by, document.signed_at) == (agency.deputy2, clock.now())
    assert document.sign_opinion == "同意印发"


def test_an_important_document_is_signed_by_the_principal_leader(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1, 五(四)3(6)四] 重要公文须由主要领导签发."""
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE, important=True)

    with assert_nothing_recorded(office), pytest.raises(PrincipalLeaderRequired):
        office.documents.sign(doc, by=agency.deputy)

    office.documents.sign(doc, by=agency.principal)
    assert office.documents.get(doc).signed_by == agency.principal


def test_a_classified_document_is_signed_only_by_the_classification_officer(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1] 涉密公文须由发文机关定密法定责任人或者指定责任人签发."""
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE, **classified())

    with assert_nothing_recorded(office), pytest.raises(ClassificationOfficerRequired):
        office.documents.sign(doc, by=agency.deputy)

    office.documents.sign(doc, by=agency.classification_officer)
    assert status(office, doc) is DocumentStatus.SIGNED


def test_a_designated_classification_officer_signs_a_classified_document(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1] 定密指定责任人亦可签发涉密公文."""
    office.org.grant_role(
        person_id=agency.deputy2, role=Role.CLASSIFICATION_OFFICER, by=agency.admin
    )
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE, **classified())

    office.documents.sign(doc, by=agency.deputy2)
    assert office.documents.get(doc).signed_by == agency.deputy2


def test_a_bare_signature_counts_as_agreement(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(五)2] 圈阅或者签名的,视为同意."""
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)

    office.documents.sign(doc, by=agency.deputy)

    assert office.documents.get(doc).sign_opinion == "同意"
    assert office.documents.history(doc)[-1].details["opinion"] == "同意"


def away(office: Office, a: AgencyPeople, leader: str, substitute: str) -> None:
    """``leader`` is away 2-4 March 2026; ``substitute`` acts for them."""
    office.org.appoint_substitute(
        leader=leader,
        substitute=substitute,
        start=date(2026, 3, 2),
        end=date(2026, 3, 4),
        by=a.admin,
    )


def test_a_substitute_signs_on_behalf_of_the_away_leader_and_both_names_are_recorded(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 局领导出差期间按替代关系处理;代签记录双方姓名."""
    away(office, agency, agency.deputy, agency.deputy2)
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)

    office.documents.sign(doc, by=agency.deputy2, on_behalf_of=agency.deputy)

    document = office.documents.get(doc)
    assert (document.signed_by, document.signer_acting) == (agency.deputy, agency.deputy2)
    last = office.documents.history(doc)[-1]
    assert (last.action, last.by, last.on_behalf_of) == ("Signed", agency.deputy2, agency.deputy)


def test_a_substitute_signs_for_the_away_leader_only_within_the_substitution_dates(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 收文 五(二)1(2)] 替代关系只在出差期间有效."""
    away(office, agency, agency.deputy, agency.deputy2)
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    clock.set(at(5))

    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        office.documents.sign(doc, by=agency.deputy2, on_behalf_of=agency.deputy)
    with assert_nothing_recorded(office), pytest.raises(NotASubstitute):
        office.documents.sign(doc, by=agency.principal, on_behalf_of=agency.deputy)


def test_a_substitute_signs_an_important_document_for_the_away_principal_leader(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1, 收文 五(二)1(2)] 主要领导出差,由其代理人代为签发."""
    away(office, agency, agency.principal, agency.deputy)
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE, important=True)

    office.documents.sign(doc, by=agency.deputy, on_behalf_of=agency.principal)
    assert office.documents.get(doc).signed_by == agency.principal


def test_the_signer_returns_a_draft_with_an_opinion(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(五)2] 签发人签署意见: a leader may send the draft back instead."""
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.return_for_revision(doc, by=agency.secretary, opinion="退回")

    office.documents.return_for_revision(doc, by=agency.deputy, opinion="请补充经费来源")
    assert status(office, doc) is DocumentStatus.RETURNED


# --- 定稿 the signed text is final -------------------------------------------------------------


def test_the_text_is_frozen_after_signing(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(五)3] 文稿一经签发即为定稿,签发后的定稿一般不得改动."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    with assert_nothing_recorded(office), pytest.raises(TextFrozen):
        office.documents.revise(doc, by=agency.drafter, text="签发后改的正文")


def test_the_original_signer_approves_a_substantive_change_after_signing(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)3] 特殊情况需作实质性修改的,须报原签发人批准."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    office.documents.approve_amendment(
        doc, text="经批准修改的正文", reason="上级文件更新", by=agency.deputy
    )

    assert office.documents.get(doc).form.text == "经批准修改的正文"
    last = office.documents.history(doc)[-1]
    assert (last.action, last.by, last.details["reason"]) == (
        "AmendmentApproved",
        agency.deputy,
        "上级文件更新",
    )


def test_another_leader_cannot_approve_a_change_to_the_signed_text(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)3] 须报原签发人批准 (not another leader, not even the principal)."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    for someone in (agency.principal, agency.deputy2, agency.drafter):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.approve_amendment(doc, text="改", reason="想改", by=someone)


def test_the_signers_substitute_approves_a_change_on_the_signers_behalf(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)3, 收文 五(二)1(2)] 原签发人出差,由其代理人代为批准修改."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)
    away(office, agency, agency.deputy, agency.deputy2)

    office.documents.approve_amendment(
        doc, text="代批的正文", reason="数字有误", by=agency.deputy2, on_behalf_of=agency.deputy
    )

    last = office.documents.history(doc)[-1]
    assert (last.by, last.on_behalf_of) == (agency.deputy2, agency.deputy)


def test_an_amendment_states_its_reason(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(五)3] 实质性修改须说明情况报批."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.approve_amendment(doc, text="改", reason="", by=agency.deputy)


def test_a_printed_text_is_not_amended(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)2-3] 修改在印发前完成: after printing the text stays as printed."""
    doc = outgoing_document(office, agency, DocumentStatus.PRINTED)

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.approve_amendment(doc, text="改", reason="晚了", by=agency.deputy)


# --- 联合发文 joint issuance ------------------------------------------------------------------


def test_co_issuers_co_sign_in_their_listed_order_after_the_lead(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)2] 联合发文由主办机关首先签署意见,协办单位依次会签."""
    doc = outgoing_document(
        office, agency, DocumentStatus.AWAITING_SIGNATURE, co_issuers=["Y局", "Z局"]
    )

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.co_sign(doc, agency="Y局", signatory="Y局长", by=agency.secretary)

    office.documents.sign(doc, by=agency.deputy)
    with assert_nothing_recorded(office), pytest.raises(JointSigningOrder):
        office.documents.co_sign(doc, agency="Z局", signatory="Z局长", by=agency.secretary)

    office.documents.co_sign(doc, agency="Y局", signatory="Y局长", by=agency.secretary)
    office.documents.co_sign(doc, agency="Z局", signatory="Z局长", by=agency.secretary)
    assert office.documents.get(doc).co_signatures == ("Y局", "Z局")


def test_only_a_listed_co_issuer_co_signs_and_only_once(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)2] 联合发文由所有联署机关的负责人会签: no one else, nobody twice."""
    single = outgoing_document(office, agency, DocumentStatus.SIGNED)
    joint = outgoing_document(office, agency, DocumentStatus.SIGNED, co_issuers=["Y局"])
    office.documents.co_sign(joint, agency="Y局", signatory="Y局长", by=agency.secretary)

    with assert_nothing_recorded(office), pytest.raises(JointSigningOrder):
        office.documents.co_sign(single, agency="Y局", signatory="Y局长", by=agency.secretary)
    with assert_nothing_recorded(office), pytest.raises(JointSigningOrder):
        office.documents.co_sign(joint, agency="Y局", signatory="Y局长", by=agency.secretary)


def test_a_co_signature_is_recorded_by_an_office_reviewer(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)2] 联署机关会签由办公室登记."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED, co_issuers=["Y局"])

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.co_sign(doc, agency="Y局", signatory="Y局长", by=agency.drafter)


def test_a_joint_document_is_registered_only_after_all_co_issuers_have_signed(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)2, 五(六)1] 所有联署机关负责人会签后方可登记."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED, co_issuers=["Y局", "Z局"])
    office.documents.co_sign(doc, agency="Y局", signatory="Y局长", by=agency.secretary)

    with assert_nothing_recorded(office), pytest.raises(JointSigningOrder):
        office.documents.register(doc, by=agency.secretary, distribution_scope="全局", copies=5)

    office.documents.co_sign(doc, agency="Z局", signatory="Z局长", by=agency.secretary)
    number = office.documents.register(
        doc, by=agency.secretary, distribution_scope="全局", copies=5
    )
    assert str(number) == "X政发〔2026〕1号"


# --- 登记 registration and the document number -------------------------------------------------


def test_registration_gives_the_next_number_of_the_issuer_code_and_year(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)1] 登记时确定发文字号: X政发〔2026〕1号, 2号, 3号 …"""
    numbers = [
        office.documents.get(outgoing_document(office, agency, DocumentStatus.REGISTERED)).number
        for _ in range(3)
    ]

    assert [str(n) for n in numbers] == [
        "X政发〔2026〕1号",
        "X政发〔2026〕2号",
        "X政发〔2026〕3号",
    ]


def test_a_new_year_starts_its_numbers_at_one(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(六)1] 发文字号按年度编号: 〔2027〕 starts again at 1."""
    outgoing_document(office, agency, DocumentStatus.REGISTERED)
    outgoing_document(office, agency, DocumentStatus.REGISTERED)
    late = outgoing_document(office, agency, DocumentStatus.SIGNED)
    clock.set(at(4, month=1, year=2027))

    number = office.documents.register(
        late, by=agency.secretary, distribution_scope="全局", copies=5
    )

    assert str(number) == "X政发〔2027〕1号"


def test_each_issuer_code_has_its_own_number_series(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)1] 发文字号按机关代字分别编号."""
    first = office.documents.get(
        outgoing_document(office, agency, DocumentStatus.REGISTERED)
    ).number
    letter = office.documents.get(
        outgoing_document(office, agency, DocumentStatus.REGISTERED, issuer_code="X政函")
    ).number
    second = office.documents.get(
        outgoing_document(office, agency, DocumentStatus.REGISTERED)
    ).number

    assert [str(first), str(letter), str(second)] == [
        "X政发〔2026〕1号",
        "X政函〔2026〕1号",
        "X政发〔2026〕2号",
    ]


def test_registration_records_the_distribution_scope_and_the_copies(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)1] 确定发文字号、分送范围和印制份数并详细记载."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    office.documents.register(doc, by=agency.secretary, distribution_scope="局属各单位", copies=45)

    document = office.documents.get(doc)
    assert (document.distribution_scope, document.form.copies) == ("局属各单位", 45)
    assert document.status is DocumentStatus.REGISTERED


def test_a_refused_registration_uses_no_number(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)1] 只有已签发的公文由办公室登记; 被拒的登记不占号."""
    unsigned = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    signed = outgoing_document(office, agency, DocumentStatus.SIGNED)

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.register(
            unsigned, by=agency.secretary, distribution_scope="全局", copies=1
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.register(signed, by=agency.drafter, distribution_scope="全局", copies=1)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.register(signed, by=agency.secretary, distribution_scope="全局", copies=0)

    number = office.documents.register(
        signed, by=agency.secretary, distribution_scope="全局", copies=1
    )
    assert number.serial == 1


def test_a_document_is_registered_only_once(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)1] 一文一号."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.register(doc, by=agency.secretary, distribution_scope="全局", copies=1)


# --- 复核 recheck ------------------------------------------------------------------------------


def test_recheck_findings_block_printing_until_the_signer_approves_and_a_recheck_passes(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)2] 复核发现需作实质性修改的,应当报原签发人复核."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)
    office.documents.recheck(doc, by=agency.secretary, findings=["第三条数字与附件不符"])

    with assert_nothing_recorded(office), pytest.raises(RecheckFailed):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)
    with assert_nothing_recorded(office), pytest.raises(RecheckFailed):
        office.documents.recheck(doc, by=agency.secretary)  # not without the signer

    office.documents.approve_amendment(
        doc, text="数字更正后的正文", reason="复核发现数字不符", by=agency.deputy
    )
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)

    office.documents.recheck(doc, by=agency.secretary)
    office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)
    assert status(office, doc) is DocumentStatus.PRINTED


def test_an_amendment_after_a_passed_recheck_needs_a_new_recheck(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)2] 印发前对修改后的公文重新复核."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)

    office.documents.approve_amendment(doc, text="再改的正文", reason="补充", by=agency.deputy)

    assert status(office, doc) is DocumentStatus.REGISTERED
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)


def test_only_an_office_reviewer_rechecks(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)2] 印发前由办公室对审批、会签手续、内容、文种、格式进行复核."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.recheck(doc, by=agency.drafter)


# --- 印制 printing -----------------------------------------------------------------------------


def test_a_classified_document_is_printed_only_at_a_secure_site(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)3] 涉密公文应当在符合保密要求的场所印制."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED, **classified())

    with assert_nothing_recorded(office), pytest.raises(InsecurePrintSite):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)

    office.documents.print_copies(doc, site=SECURE_PRINT_SITE, by=agency.secretary)
    assert office.documents.get(doc).print_site == SECURE_PRINT_SITE


def test_printing_records_the_site_and_the_registered_copies(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)3] 局文件由主办处室送局文印室印制 (the site and count are recorded)."""
    doc = outgoing_document(office, agency, DocumentStatus.RECHECKED)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.drafter)

    office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)
    document = office.documents.get(doc)
    assert (document.print_site, document.printed_copies) == (PRINT_ROOM, 20)


# --- 核发 checking the print and distribution --------------------------------------------------


def test_the_drafter_checks_the_print_before_distribution(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)4] 拟稿人对公文的文字、格式和印刷质量进行检查后分发."""
    doc = outgoing_document(office, agency, DocumentStatus.PRINTED)

    with assert_nothing_recorded(office), pytest.raises(PrintNotChecked):
        office.documents.distribute(doc, by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.check_print(doc, by=agency.secretary)

    office.documents.check_print(doc, by=agency.drafter)
    office.documents.distribute(doc, by=agency.drafter)
    assert status(office, doc) is DocumentStatus.DISTRIBUTED


def test_print_check_findings_send_the_copies_back_for_reprinting(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)3-4] 公文印制必须确保质量: 检查发现问题的,重新印制."""
    doc = outgoing_document(office, agency, DocumentStatus.PRINTED)
    office.documents.check_print(doc, by=agency.drafter, findings=["第2页字迹模糊"])

    assert status(office, doc) is DocumentStatus.RECHECKED
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.distribute(doc, by=agency.drafter)

    office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)
    with assert_nothing_recorded(office), pytest.raises(PrintNotChecked):
        office.documents.distribute(doc, by=agency.drafter)  # the reprint is checked anew
    office.documents.check_print(doc, by=agency.drafter)
    office.documents.distribute(doc, by=agency.drafter)


def test_distribution_goes_to_the_main_and_copy_recipients(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)4, 图3] 分发主送、抄送单位."""
    doc = outgoing_document(office, agency, DocumentStatus.PRINTED)
    office.documents.check_print(doc, by=agency.drafter)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.distribute(doc, by=agency.drafter2)

    office.documents.distribute(doc, by=agency.drafter)
    assert office.documents.get(doc).distributed_to == ("各处室", "各直属单位", "市政府办公室")
    last = office.documents.history(doc)[-1]
    assert (last.details["main"], last.details["copy"]) == (
        ["各处室", "各直属单位"],
        ["市政府办公室"],
    )


# --- 归档 archiving ----------------------------------------------------------------------------


def test_the_archivist_archives_and_the_lead_unit_keeps_the_original(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)5] 主办处室整理预归档,交档案管理部门归档."""
    doc = outgoing_document(office, agency, DocumentStatus.DISTRIBUTED)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.archive(doc, by=agency.drafter)

    office.documents.archive(doc, by=agency.archivist)
    document = office.documents.get(doc)
    assert (document.status, document.archived_original_with) == (DocumentStatus.ARCHIVED, "biz1")


def test_in_a_joint_issuance_the_lead_keeps_the_original_and_co_issuers_keep_copies(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)5] 联合办理的公文,原件由主办机关归档,相关机关保存复制件."""
    doc = outgoing_document(office, agency, DocumentStatus.ARCHIVED, co_issuers=["Y局", "Z局"])

    last = office.documents.history(doc)[-1]
    assert last.details["original_with"] == "biz1"
    assert last.details["copies_with"] == ["Y局", "Z局"]


def test_an_ordinary_document_goes_from_draft_to_archive(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 四] 拟稿→审核→会签(如需)→审核→审阅→签发→登记→复核→印制→核发→归档."""
    doc = outgoing_document(office, agency, DocumentStatus.ARCHIVED)

    assert status(office, doc) is DocumentStatus.ARCHIVED
    assert actions(office, doc) == [
        "Drafted",
        "SubmittedForReview",
        "Reviewed",
        "SubmittedToOffice",
        "OfficeChecked",
        "OfficeReviewed",
        "Signed",
        "Registered",
        "Rechecked",
        "Printed",
        "PrintChecked",
        "Distributed",
        "Archived",
    ]


# --- 撤回 withdrawal ---------------------------------------------------------------------------


def test_a_document_is_withdrawn_before_registration_with_a_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """撤回只能在登记(取号)之前,并须说明理由 (govoffice rule; the seed has no withdrawal clause)."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.withdraw(doc, by=agency.drafter, reason="")

    office.documents.withdraw(doc, by=agency.unit_head, reason="工作安排调整,不再发文")
    assert status(office, doc) is DocumentStatus.WITHDRAWN
    assert office.documents.history(doc)[-1].details["reason"] == "工作安排调整,不再发文"


def test_a_registered_document_is_not_withdrawn(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)1] 已登记的公文已占发文字号,不能撤回 (numbers stay gapless)."""
    doc = outgoing_document(office, agency, DocumentStatus.REGISTERED)

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.withdraw(doc, by=agency.drafter, reason="不发了")


def test_only_the_drafter_or_the_lead_units_head_withdraws(
    office: Office, agency: AgencyPeople
) -> None:
    """撤回由拟稿人或主办处室负责人办理 (govoffice rule)."""
    doc = outgoing_document(office, agency, DocumentStatus.OFFICE_CHECK)

    for someone in (agency.unit_head2, agency.secretary):
        with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
            office.documents.withdraw(doc, by=someone, reason="不发了")


def test_a_withdrawn_document_takes_no_further_step(office: Office, agency: AgencyPeople) -> None:
    """撤回后的文稿不再办理 (govoffice rule)."""
    doc = outgoing_document(office, agency, DocumentStatus.DRAFT)
    office.documents.withdraw(doc, by=agency.drafter, reason="重复拟稿")

    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.submit_for_review(doc, by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.revise(doc, by=agency.drafter, text="再改")


# --- business time and the record ------------------------------------------------------------


def test_a_step_cannot_be_dated_before_the_previous_one(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(五)2] 签署完整日期: 办理时间不能早于上一步 (business time never goes back)."""
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)

    with assert_nothing_recorded(office), pytest.raises(TimeGoesBackwards):
        office.documents.sign(doc, by=agency.deputy, at=clock.now().subtract(minutes=5))


def test_history_tells_who_did_what_when_on_whose_behalf_with_which_opinion(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[001 发文 五(一)1(4), 五(五)2] 签署意见、姓名和日期: the decision trail."""
    away(office, agency, agency.deputy, agency.deputy2)
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    clock.advance(minutes=10)
    office.documents.sign(doc, by=agency.deputy2, on_behalf_of=agency.deputy, opinion="同意印发")

    trail = office.documents.history(doc)

    assert [d.version for d in trail] == list(range(1, len(trail) + 1))
    reviewed = next(d for d in trail if d.action == "Reviewed")
    assert (reviewed.by, reviewed.on_behalf_of, reviewed.details["opinion"]) == (
        agency.unit_head,
        None,
        "同意",
    )
    signed = trail[-1]
    assert (signed.by, signed.on_behalf_of, signed.at) == (
        agency.deputy2,
        agency.deputy,
        clock.now(),
    )
    assert signed.details["opinion"] == "同意印发"
    assert "代 he.fujuzhang" in signed.describe()


def test_a_document_is_read_as_it_stood_at_a_version(office: Office, agency: AgencyPeople) -> None:
    """决策可回溯: the record as it stood after its n-th decision."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)

    assert office.documents.get(doc, version=1).status is DocumentStatus.DRAFT
    assert office.documents.get(doc, version=3).status is DocumentStatus.UNIT_REVIEWED
    assert office.documents.get(doc, version=6).status is DocumentStatus.AWAITING_SIGNATURE
    assert office.documents.get(doc).status is DocumentStatus.SIGNED


def test_a_document_is_read_as_it_stood_at_a_business_time(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """决策可回溯: the record as it stood at a business time."""
    drafted_at = clock.now()
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED)  # a step every ten minutes

    assert office.documents.as_of(doc, drafted_at.add(minutes=5)).status is DocumentStatus.DRAFT
    assert office.documents.as_of(doc, drafted_at.add(minutes=25)).status is (
        DocumentStatus.UNIT_REVIEWED
    )
    assert office.documents.as_of(doc, clock.now()).status is DocumentStatus.SIGNED
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.documents.as_of(doc, drafted_at.subtract(minutes=1))


def test_a_registered_document_is_found_by_its_number(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(六)1] 发文字号详细记载: the number leads back to the document."""
    outgoing_document(office, agency, DocumentStatus.REGISTERED)
    second = outgoing_document(office, agency, DocumentStatus.REGISTERED)

    assert office.documents.find_by_number("X政发〔2026〕2号").id == second
    assert office.documents.find_by_number(DocumentNumber("X政发", 2026, 2)).id == second
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.documents.find_by_number("X政发〔2026〕3号")
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        office.documents.find_by_number("X政函〔2026〕1号")
    with assert_nothing_recorded(office), pytest.raises(MalformedDocumentNumber):
        office.documents.find_by_number("X政发[2026]2号")


def test_an_unknown_document_is_not_found(office: Office, agency: AgencyPeople) -> None:
    """查无此文 (an unknown or malformed id names nothing)."""
    for unknown in (uuid.uuid4(), "not-a-uuid"):
        with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
            office.documents.get(unknown)
        with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
            office.documents.submit_for_review(unknown, by=agency.drafter)
