"""复核's format checks — 《党政机关公文处理工作条例》 and GB/T 9704-2012, through ``office.documents``.

Each check has an allowed case (复核 passes, the document may be printed) and a refused one:
复核 records its findings, each citing its clause, and the document is not printed
(:class:`RecheckFailed`, nothing recorded) until the original signer approves an amendment.
"""

from __future__ import annotations

import uuid
from typing import Any

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus, RecheckFailed
from govoffice.domain.document_format import FormatContext, read_text, upward_names_its_signers
from govoffice.domain.errors import InvalidInput, PermissionDenied
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import DocumentNumber, PersonId
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    outgoing_document,
)

PRINT_ROOM = "局文印室"
ZONE = "Asia/Shanghai"

REQUEST: dict[str, Any] = {
    "title": "关于申请春季安全检查专项经费的请示",
    "doc_type": "请示",
    "main_recipients": ["市人民政府"],
    "copy_recipients": ["市财政局"],
    "drafter_phone": "0571-12345678",
    "text": "为保障春季安全检查顺利开展,拟申请专项经费50万元。\n妥否,请批示。",
}


def registered(office: Office, agency: AgencyPeople, **form: Any) -> uuid.UUID:
    return outgoing_document(office, agency, DocumentStatus.REGISTERED, **form)


def recheck(office: Office, agency: AgencyPeople, doc: uuid.UUID) -> tuple[str, ...]:
    return office.documents.recheck(doc, by=agency.secretary)


def passes(office: Office, agency: AgencyPeople, doc: uuid.UUID) -> None:
    """复核 finds nothing and the document is printed."""
    assert recheck(office, agency, doc) == ()
    assert office.documents.get(doc).status is DocumentStatus.RECHECKED
    office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)
    assert office.documents.get(doc).status is DocumentStatus.PRINTED


def refused(office: Office, agency: AgencyPeople, doc: uuid.UUID, *expected: str) -> list[str]:
    """复核 records findings naming ``expected`` (texts or clauses) and printing is refused."""
    findings = recheck(office, agency, doc)
    for part in expected:
        assert any(part in f for f in findings), (part, findings)
    last = office.documents.history(doc)[-1]
    assert last.action == "Rechecked"
    assert list(last.details["findings"]) == list(findings)
    assert office.documents.get(doc).status is DocumentStatus.REGISTERED
    with assert_nothing_recorded(office), pytest.raises(RecheckFailed) as refusal:
        office.documents.print_copies(doc, site=PRINT_ROOM, by=agency.secretary)
    assert all(f in refusal.value.message for f in findings)
    return list(findings)


# --- 请示: 一文一事, 主送一个上级机关, 不抄送下级机关 -----------------------------------------


def test_a_request_that_asks_for_one_thing_passes(office: Office, agency: AgencyPeople) -> None:
    """[条例 第十五条(四); 001 发文 五(六)2] 请示应当一文一事."""
    passes(office, agency, registered(office, agency, **REQUEST))


def test_a_request_asking_for_two_things_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[条例 第十五条(四); 001 发文 五(六)2] 请示应当一文一事."""
    text = "一、拟申请专项经费50万元,请批准。\n二、拟增加编制2名,请审批。"
    doc = registered(office, agency, **(REQUEST | {"text": text}))

    findings = refused(office, agency, doc, "请示应当一文一事", "条例 第十五条(四)")
    assert "2 项请求" in findings[0]


def test_a_report_carrying_a_request_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[条例 第十五条(四)] 不得在报告等非请示性公文中夹带请示事项."""
    report = REQUEST | {"doc_type": "报告", "title": "关于春季安全检查情况的报告"}
    fine = registered(office, agency, **(report | {"text": "现将检查情况报告如下……"}))
    carrying = registered(office, agency, **report)

    passes(office, agency, fine)
    refused(office, agency, carrying, "报告中不得夹带请示事项")


def test_a_request_goes_to_exactly_one_main_recipient(office: Office, agency: AgencyPeople) -> None:
    """[条例 第十五条(一)] 原则上主送一个上级机关."""
    two = registered(office, agency, **(REQUEST | {"main_recipients": ["市人民政府", "市财政局"]}))

    refused(office, agency, two, "请示只能主送一个上级机关", "主送 2 个")


def test_a_request_is_not_sent_to_a_subordinate_body(office: Office, agency: AgencyPeople) -> None:
    """[条例 第十五条(一)] 请示主送上级机关."""
    office.correspondents.enter(name="某区安监站", relation="下级机关", by=agency.secretary)
    doc = registered(office, agency, **(REQUEST | {"main_recipients": ["某区安监站"]}))

    refused(office, agency, doc, "某区安监站 是下级机关")


def test_an_upward_document_is_not_copied_to_subordinate_bodies(
    office: Office, agency: AgencyPeople
) -> None:
    """[条例 第十五条(一)] 上行文根据需要同时抄送相关上级机关和同级机关,不抄送下级机关."""
    generic = registered(office, agency, **(REQUEST | {"copy_recipients": ["各直属单位"]}))
    refused(office, agency, generic, "不得抄送下级机关: 各直属单位")

    # a body the directory does not know is not assumed subordinate ...
    unknown = registered(office, agency, **(REQUEST | {"copy_recipients": ["某区安监站"]}))
    passes(office, agency, unknown)
    # ... once the general office enters it as a 下级机关, copying a 请示 to it is refused
    office.correspondents.enter(name="某区安监站", relation="下级机关", by=agency.secretary)
    later = registered(office, agency, **(REQUEST | {"copy_recipients": ["某区安监站"]}))
    refused(office, agency, later, "不得抄送下级机关: 某区安监站")
    # a downward notice may of course go to subordinates
    passes(office, agency, registered(office, agency, copy_recipients=["某区安监站"]))


def test_the_signer_amends_the_recipients_and_the_request_then_passes(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)3, 五(六)2] 复核发现需作实质性修改的,报原签发人批准后重新复核."""
    doc = registered(office, agency, **(REQUEST | {"copy_recipients": ["各直属单位"]}))
    refused(office, agency, doc, "不得抄送下级机关")

    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.approve_amendment(
            doc, text=REQUEST["text"], reason="x", by=agency.deputy, changes={"issuer_code": "Y"}
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.approve_amendment(
            doc,
            text=REQUEST["text"],
            reason="删去下级机关",
            by=agency.deputy2,
            changes={"copy_recipients": ["市财政局"]},
        )
    office.documents.approve_amendment(
        doc,
        text=REQUEST["text"],
        reason="删去下级机关",
        by=agency.deputy,
        changes={"copy_recipients": ["市财政局"]},
    )

    assert office.documents.get(doc).form.copy_recipients == ("市财政局",)
    passes(office, agency, doc)


# --- 上行文标注签发人 -------------------------------------------------------------------------


def test_an_upward_document_names_its_signers(office: Office, agency: AgencyPeople) -> None:
    """[条例 第九条(六); GB/T 9704-2012 7.2.6] 上行文应当标注签发人姓名,主办机关的在前."""
    doc = registered(office, agency, **(REQUEST | {"co_issuers": ["某市财政局"]}))
    passes(office, agency, doc)

    page = office.printing.model(doc)[0]
    assert page.signers == ("何副局长", "某市财政局局长")


def test_an_upward_document_whose_signer_has_no_name_is_refused(
    office: Office, agency: AgencyPeople
) -> None:
    """[条例 第九条(六); GB/T 9704-2012 7.2.6] 上行文应当标注签发人姓名."""
    doc = office.documents.get(registered(office, agency, **REQUEST))
    # read against an organisation that does not name the person who signed
    stranger = Organisation.establish(
        agency="某市某局", agency_code="X局", by=PersonId("admin"), at=doc.drafted_at
    )
    context = FormatContext(org=stranger, number_holder=doc.id)

    findings = list(upward_names_its_signers(doc, context))

    assert [f.rule for f in findings] == ["upward_names_signers"]
    assert "没有 某市某局 的签发人" in findings[0].message
    notice = office.documents.get(registered(office, agency))
    assert list(upward_names_its_signers(notice, context)) == []


# --- 附件说明 -------------------------------------------------------------------------------


def test_the_attachment_note_matches_the_attachments(office: Office, agency: AgencyPeople) -> None:
    """[条例 第九条(十); GB/T 9704-2012 7.3.4] 附件说明: 附件的顺序号和名称."""
    typed = "请按附件1填报。\n附件:1.春季安全检查表\n2.检查情况汇总表"
    doc = registered(office, agency, text=typed, attachments=["春季安全检查表", "检查情况汇总表"])
    passes(office, agency, doc)
    # the note is printed from the record, not twice
    assert [p.text for p in office.printing.model(doc)[0].paragraphs] == ["请按附件1填报。"]
    # speaking of attachments is not citing one
    talk = registered(office, agency, text="经原签发人同意,修改附件名称后的正文……")
    passes(office, agency, talk)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            {"text": "附件:1.检查表\n2.汇总表", "attachments": ["检查表"]},
            "与所列附件(检查表)不一致",
        ),
        ({"text": "详见附件。"}, "正文提到附件,但发文稿纸没有列出附件"),
        ({"text": "请按附件3填报。", "attachments": ["检查表", "汇总表"]}, "正文提到附件3"),
        ({"attachments": ["检查表。"]}, "后不加标点符号"),
        (
            {"text": "附件:检查表\n汇总表", "attachments": ["检查表", "汇总表"]},
            "阿拉伯数字标注顺序号",
        ),
    ],
    ids=["note-differs", "no-attachments", "cites-a-missing-one", "punctuation", "unnumbered"],
)
def test_an_attachment_note_that_does_not_match_is_refused(
    office: Office, agency: AgencyPeople, form: dict[str, Any], expected: str
) -> None:
    """[条例 第九条(十); GB/T 9704-2012 7.3.4] 附件说明与附件一致; 附件名称后不加标点符号."""
    doc = registered(office, agency, **form)

    refused(office, agency, doc, expected, "GB/T 9704-2012 7.3.4")


# --- 成文日期 -------------------------------------------------------------------------------


def test_a_typed_written_date_that_is_the_signing_date_passes(
    office: Office, agency: AgencyPeople
) -> None:
    """[条例 第九条(十二); GB/T 9704-2012 7.3.5.4] 成文日期署签发日期,阿拉伯数字,不编虚位."""
    # the builder signs one hour after drafting: 2 March 2026, agency-local
    doc = registered(office, agency, text="现将有关事项通知如下……\n某市某局\n2026年3月2日")

    passes(office, agency, doc)
    assert office.printing.model(doc)[0].date == "2026年3月2日"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2026年3月1日", "成文日期应为签发日期"),
        ("2026年03月02日", "月、日不编虚位"),
        ("二〇二六年三月二日", "成文日期用阿拉伯数字标注"),
    ],
)
def test_a_typed_written_date_other_than_the_signing_date_is_refused(
    office: Office, agency: AgencyPeople, typed: str, reason: str
) -> None:
    """[条例 第九条(十二); GB/T 9704-2012 7.3.5.4] 成文日期署签发日期,阿拉伯数字,不编虚位."""
    doc = registered(office, agency, text=f"现将有关事项通知如下……\n某市某局\n{typed}")

    refused(office, agency, doc, f"“{typed}”应为“2026年3月2日”", reason)


def test_the_written_date_is_the_agency_local_day_of_a_signature_written_in_utc(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[条例 第九条(十二)] 成文日期署签发日期 — the agency's day (Asia/Shanghai), not UTC's."""
    # drafted 2026-03-02 16:00 UTC: every step follows ten minutes apart, so the signature
    # is at 17:00 UTC — 3 March 01:00 in the agency's time zone
    start = pendulum.datetime(2026, 3, 2, 16, 0, tz="UTC")
    clock.set(start)
    typed_utc_day = registered(
        office, agency, at=start, text="现将有关事项通知如下……\n某市某局\n2026年3月2日"
    )
    refused(office, agency, typed_utc_day, "应为“2026年3月3日”")

    later = clock.now()
    right = registered(
        office, agency, at=later, text="现将有关事项通知如下……\n某市某局\n2026年3月3日"
    )
    passes(office, agency, right)
    assert office.printing.model(right)[0].date == "2026年3月3日"


def test_a_joint_document_is_dated_on_the_last_signature(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[条例 第九条(十二)] 联合行文时,署最后签发机关负责人签发的日期."""
    docs = office.documents
    doc = outgoing_document(
        office,
        agency,
        DocumentStatus.SIGNED,
        co_issuers=["某市财政局"],
        text="现将有关事项通知如下……\n某市某局\n某市财政局\n2026年3月2日",
    )
    co_signed = pendulum.datetime(2026, 3, 5, 10, 0, tz=ZONE)
    clock.set(co_signed)
    docs.co_sign(doc, agency="某市财政局", signatory="钱局长", by=agency.secretary, at=co_signed)
    docs.register(doc, by=agency.secretary, distribution_scope="全局", copies=5, at=co_signed)

    refused(office, agency, doc, "应为“2026年3月5日”")
    assert office.printing.model(doc)[0].date == "2026年3月5日"


# --- 发文字号 -------------------------------------------------------------------------------


def test_the_document_number_is_the_registered_one(office: Office, agency: AgencyPeople) -> None:
    """[条例 第九条(五); 001 发文 五(六)1] 发文字号由登记确定."""
    passes(office, agency, registered(office, agency))


def test_a_number_not_taken_from_the_register_is_refused(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[条例 第九条(五); 001 发文 五(六)1] 发文字号由登记确定 — a record written past the
    register (a script saving the aggregate itself) is caught by 复核."""
    signed = outgoing_document(office, agency, DocumentStatus.SIGNED)
    doc = office.documents.get(signed)
    doc.register(
        org=office.org.current(),
        number=DocumentNumber("X政发", 2026, 99),
        distribution_scope="全局",
        copies=5,
        by=PersonId(agency.secretary),
        at=clock.advance(minutes=10),
    )
    office.store.save(doc)

    refused(office, agency, signed, "X政发〔2026〕99号 不在 X政发 2026 年的发文登记中")


def test_a_joint_document_carries_the_lead_agencys_number(
    office: Office, agency: AgencyPeople
) -> None:
    """[条例 第九条(五); GB/T 9704-2012 7.2.4] 联合行文时,使用主办机关的发文字号."""
    office.correspondents.enter(
        name="某市财政局", relation="平级机关", issuer_codes=["X财发"], by=agency.secretary
    )
    lead = registered(office, agency, co_issuers=["某市财政局"])
    passes(office, agency, lead)
    assert office.printing.model(lead)[0].mark == ("某市某局", "某市财政局")

    theirs = registered(office, agency, co_issuers=["某市财政局"], issuer_code="X财发")
    refused(office, agency, theirs, "X财发 是 某市财政局 的机关代字")
    itself = registered(office, agency, co_issuers=["某市某局", "某市财政局"])
    refused(office, agency, itself, "主办机关 某市某局 不应再列为联署机关")


# --- 密级和保密期限 ---------------------------------------------------------------------------


def classified(level: str, period: str) -> dict[str, Any]:
    return {"classification": level, "secrecy_period": period, "disclosure": "不予公开"}


@pytest.mark.parametrize(
    ("level", "period"), [("机密", "10年"), ("秘密", "6个月"), ("绝密", "30年")]
)
def test_a_classified_document_carries_its_level_and_period(
    office: Office, agency: AgencyPeople, level: str, period: str
) -> None:
    """[条例 第九条(二); GB/T 9704-2012 7.2.2] 涉密公文标注密级和保密期限."""
    doc = registered(office, agency, **classified(level, period))
    assert recheck(office, agency, doc) == ()
    page = office.printing.model(doc)[0]
    assert (page.secrecy, page.copy_number) == (f"{level}★{period}", "000001")


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (classified("机密", "30年"), "机密级保密期限不超过20年"),
        (classified("秘密", "十年"), "应以阿拉伯数字标注"),
        ({"secrecy_period": "5年"}, "非密公文不标注保密期限"),
    ],
    ids=["beyond-the-legal-limit", "chinese-numerals", "unclassified-with-a-period"],
)
def test_a_document_whose_secrecy_marks_are_wrong_is_refused(
    office: Office, agency: AgencyPeople, form: dict[str, Any], expected: str
) -> None:
    """[条例 第九条(二); GB/T 9704-2012 7.2.2; 保守国家秘密法] 密级和保密期限."""
    doc = registered(office, agency, **form)

    refused(office, agency, doc, expected)


def test_the_format_findings_can_be_read_before_recheck_without_recording(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)2(2)] 形式上,文种选用正确、格式符合规范 — the office may look first."""
    doc = registered(office, agency, **(REQUEST | {"main_recipients": ["市人民政府", "市财政局"]}))

    with assert_nothing_recorded(office):
        found = office.documents.format_findings(doc)

    assert [f.rule for f in found] == ["request_one_main_recipient"]
    assert found[0].clause == "条例 第十五条(一)"


def test_reading_a_text_finds_headings_the_attachment_note_and_a_typed_date() -> None:
    """[GB/T 9704-2012 7.3.3] 文中结构层次序数依次可以用“一、”“（一）”“1.”“（1）”标注."""
    read = read_text(
        "\u3000\u3000一、总体要求\n（一）加强领导。各单位要高度重视。\n1.制定方案\n（1）明确时间\n"
        "正文2026年的数字1.5不是标题。\n附件：1.检查表\n2.汇总表\n某市某局\n2026年3月2日",
        ["某市某局"],
    )

    assert [(p.level, p.text[: p.heading]) for p in read.paragraphs] == [
        (1, "一、总体要求"),
        (2, "（一）加强领导。"),
        (3, "1.制定方案"),
        (4, "（1）明确时间"),
        (0, ""),
    ]
    assert [(i.number, i.name) for i in read.attachment_note or ()] == [
        (1, "检查表"),
        (2, "汇总表"),
    ]
    assert (read.typed_signatures, read.typed_date) == (("某市某局",), "2026年3月2日")
