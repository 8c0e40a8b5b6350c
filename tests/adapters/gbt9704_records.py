"""Records the GB/T 9704 rendering tests print: a notice, a request, a joint document, a
classified 特急 document, a letter and a meeting's minutes, made through the public commands."""

from __future__ import annotations

import uuid
from typing import Any

import pendulum

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus
from govoffice.domain.meeting import MeetingStatus
from govoffice.testing import AgencyPeople, outgoing_document
from govoffice.testing.builders import meeting

NOTICE_TEXT = """为做好春季安全检查工作，现将有关事项通知如下：
一、总体要求
各处室要高度重视，切实加强组织领导，认真落实安全生产责任制，确保2026年春季安全检查工作取得实效，坚决防范和遏制各类安全事故发生。
（一）加强领导。各单位主要负责人是本单位安全检查工作的第一责任人，要亲自部署、亲自检查。
（二）突出重点。重点检查消防设施、用电安全、危险化学品储存和使用等情况。
1.制定方案。各处室于3月10日前制定本处室检查方案。
（1）明确检查范围、时间节点和责任人。
（2）建立问题清单和整改台账。
2.组织自查。各直属单位全面开展自查，做到不留死角、不留盲区。
二、工作安排
检查时间为2026年3月10日至4月30日，分自查、抽查、整改三个阶段进行。请各处室、各直属单位于5月10日前将检查情况报局办公室，联系人：李拟稿，电话：0571-12345678。
三、工作要求
各单位要以此次检查为契机，举一反三，建立健全安全管理长效机制，对检查发现的问题要明确整改时限，逐项销号。
附件：1.春季安全检查表
2.检查情况汇总表"""

NOTICE: dict[str, Any] = {
    "text": NOTICE_TEXT,
    "attachments": ["春季安全检查表", "检查情况汇总表"],
    "copy_recipients": ["市政府办公室", "市应急管理局"],
}

REQUEST: dict[str, Any] = {
    "title": "关于申请春季安全检查专项经费的请示",
    "doc_type": "请示",
    "main_recipients": ["市人民政府"],
    "copy_recipients": ["市应急管理局"],
    "co_issuers": ["某市财政局"],
    "drafter_phone": "0571-12345678",
    "text": "为保障春季安全检查工作顺利开展，我局与市财政局拟申请专项经费50万元，"
    "用于购置检测设备和聘请第三方机构。\n妥否，请批示。",
}

JOINT: dict[str, Any] = {
    "title": "关于联合开展春季安全检查的通知",
    "co_issuers": ["某市财政局", "某市应急管理局"],
    "text": "为做好春季安全检查工作，经研究，决定联合开展春季安全检查。",
}


def classified(at: pendulum.DateTime) -> dict[str, Any]:
    return {
        "title": "关于做好重要时期安全保卫工作的通知",
        "classification": "机密",
        "secrecy_period": "10年",
        "disclosure": "不予公开",
        "urgency": "特急",
        "urgent_reason": "上级要求限期办结",
        "urgent_deadlines": {
            "countersign_by": at.add(days=1),
            "review_by": at.add(days=2),
            "sign_by": at.add(days=3),
        },
        "text": "根据上级部署，现就重要时期安全保卫工作通知如下。",
    }


LETTER: dict[str, Any] = {
    "title": "关于商请提供安全检查资料的函",
    "doc_type": "函",
    "issuer_code": "X局函",
    "main_recipients": ["市应急管理局"],
    "copy_recipients": ["市政府办公室"],
    "text": "因工作需要，请贵局提供2025年度安全检查有关资料。\n特此函达。",
}


def document(office: Office, people: AgencyPeople, *, copies: int = 5, **form: Any) -> uuid.UUID:
    """A 公文 signed, co-signed by its co-issuers (``X负责人``), registered with ``copies``
    copies and rechecked with nothing found."""
    docs = office.documents
    doc = outgoing_document(office, people, DocumentStatus.SIGNED, **form)
    for agency in docs.get(doc).form.co_issuers:
        docs.co_sign(doc, agency=agency, signatory=f"{agency}负责人", by=people.secretary)
    docs.register(doc, by=people.secretary, distribution_scope="全局各处室", copies=copies)
    assert docs.recheck(doc, by=people.secretary) == ()
    return doc


def minutes(office: Office, p: AgencyPeople) -> uuid.UUID:
    """A 专题会议 held with five invitees — three present, one on leave whose substitute
    attends, one on leave — its minutes drafted, signed by the chair, numbered, distributed."""
    m = office.meetings
    mid = meeting(office, p, MeetingStatus.APPROVED)
    record = m.get(mid)
    t = office.clock.now()

    def at(**delta: int) -> pendulum.DateTime:
        when = t.add(**delta)
        office.clock.set(when)  # type: ignore[attr-defined]
        return when

    invitees = [p.deputy, p.unit_head, p.office_head, p.unit_head2, p.legal_head]
    m.draft_notice(
        mid, invitees=invitees, contact="业务一处 12345678", by=p.drafter, at=at(hours=1)
    )
    for party, head in (
        ("office", p.office_head),
        ("finance", p.finance_head),
        (p.deputy, p.deputy),
    ):
        m.countersign(mid, party=party, by=head, at=at(hours=2))
    m.issue_notice(mid, by=p.principal, at=at(hours=3))
    m.answer(
        mid,
        attend=False,
        reason="赴省厅开会",
        substitute=p.drafter2,
        by=p.unit_head2,
        at=at(hours=4),
    )
    m.answer(mid, attend=False, reason="病假", by=p.legal_head, at=at(hours=4, minutes=10))
    approver = m.get(mid).leave_approver
    m.grant_leave(mid, person=p.unit_head2, by=approver, at=at(hours=5))
    m.grant_leave(mid, person=p.legal_head, by=approver, at=at(hours=5, minutes=10))
    starts = record.starts_at
    for i, person in enumerate((p.deputy, p.unit_head, p.office_head, p.drafter2)):
        office.clock.set(starts.subtract(minutes=20 - i))  # type: ignore[attr-defined]
        m.sign_in(mid, by=person, at=starts.subtract(minutes=20 - i))
    t = starts
    m.hold(mid, by=p.drafter, at=at(hours=2))
    m.record_attendance(mid, by=p.drafter, at=at(hours=2, minutes=10))
    m.draft_minutes(
        mid,
        text="会议听取了业务一处关于汛期安全生产工作的汇报。\n一、会议认为\n汛期安全生产形势严峻，各单位要高度重视。\n二、会议议定\n由业务一处牵头，于5月底前完成全系统汛期安全检查。",
        by=p.drafter,
        at=at(hours=3),
    )
    m.sign_minutes(mid, by=p.deputy, at=at(hours=4))
    m.number_minutes(mid, by=p.secretary, at=at(hours=5))
    m.distribute_minutes(mid, by=p.secretary, at=at(days=1))
    return mid
