"""[ADR 0018] 审计轨迹 ``office.audit.trail(id)``: every decision on a record with who, on
whose behalf, when and which opinion; the record as of a business time or version; and
whether each actor held the role the step needed at that time (from the organisation's
history, not from today's)."""

from __future__ import annotations

import copy
import csv
import io
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.audit import CSV_COLUMNS
from govoffice.application.audit_rules import check_decision
from govoffice.application.office import Office
from govoffice.cli import main
from govoffice.domain.document import OutgoingDocument
from govoffice.domain.errors import InvalidInput, RecordNotFound
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.organisation import Role
from govoffice.testing import AgencyPeople, office_for_tests, standard_agency

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")  # a Monday
SIGNED_AT = pendulum.datetime(2026, 3, 3, 10, 0, tz="Asia/Shanghai")
REVOKED_AT = pendulum.datetime(2026, 3, 5, 9, 0, tz="Asia/Shanghai")
FORM: dict[str, Any] = {
    "title": "关于开展安全生产大检查的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:……",
}


def signed_by_substitute(office: Office, p: AgencyPeople) -> uuid.UUID:
    """局长出差, 何副局长代为签发; 孙秘书登记后被免去办公室审核人岗位."""
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy,
        start=date(2026, 3, 3),
        end=date(2026, 3, 4),
        by=p.admin,
        at=T0,
    )
    d = office.documents
    doc = d.draft(by=p.drafter, at=T0.add(hours=1), **FORM)
    d.submit_for_review(doc, by=p.drafter, at=T0.add(hours=2))
    d.review(doc, by=p.unit_head, opinion="同意,请办公室审核", at=T0.add(hours=3))
    d.submit_to_office(doc, by=p.drafter, at=T0.add(hours=4))
    d.office_check(doc, by=p.secretary, at=T0.add(hours=5))
    d.office_review(doc, by=p.office_head, at=T0.add(hours=6))
    d.sign(doc, by=p.deputy, on_behalf_of=p.principal, opinion="同意印发", at=SIGNED_AT)
    d.register(
        doc, by=p.secretary, distribution_scope="各处室", copies=5, at=SIGNED_AT.add(hours=1)
    )
    office.org.revoke_role(
        person_id=p.secretary, role=Role.OFFICE_REVIEWER, by=p.admin, at=REVOKED_AT
    )
    return doc


@pytest.fixture
def doc(office: Office, agency: AgencyPeople) -> uuid.UUID:
    return signed_by_substitute(office, agency)


def test_the_trail_names_who_on_whose_behalf_when_and_which_opinion(
    office: Office, agency: AgencyPeople, doc: uuid.UUID
) -> None:
    """[001 发文 五(五); 收文 五(二)1(2)] 代签发记录代签人与被代理人, 意见与时间, 且代理有效."""
    trail = office.audit.trail(doc)
    assert trail.record_type == "OutgoingDocument"
    assert trail.kind == "公文"
    assert [e.decision.action for e in trail] == [
        "Drafted",
        "SubmittedForReview",
        "Reviewed",
        "SubmittedToOffice",
        "OfficeChecked",
        "OfficeReviewed",
        "Signed",
        "Registered",
    ]
    signed = trail.entries[6]
    assert (signed.decision.by, signed.decision.on_behalf_of) == (agency.deputy, agency.principal)
    assert signed.decision.at == SIGNED_AT
    assert signed.opinion == "同意印发"
    assert signed.check.person == agency.principal
    assert signed.check.required == "局领导或主要领导"
    assert signed.check.held is True
    assert signed.check.substitute_valid is True
    assert trail.entries[2].opinion == "同意,请办公室审核"
    assert trail.entries[2].check.required == "业务一处负责人"
    assert all(e.check.held for e in trail), trail.describe()
    assert "代 chen.juzhang" in trail.describe()


def test_a_role_revoked_later_was_still_held_at_the_time(
    office: Office, agency: AgencyPeople, doc: uuid.UUID
) -> None:
    """[§10 审计] 事后被免去岗位的人, 其当时的办理仍显示"当时有权"."""
    assert not office.org.was_allowed(agency.secretary, Role.OFFICE_REVIEWER, REVOKED_AT)
    trail = office.audit.trail(doc)
    by_secretary = [e for e in trail if e.decision.by == agency.secretary]
    assert [e.decision.action for e in by_secretary] == ["OfficeChecked", "Registered"]
    for entry in by_secretary:
        assert entry.check.required == "办公室审核人"
        assert entry.check.held is True
    # the check is of the organisation's history: the same step recorded for someone who
    # never held the role (e.g. an event written past the rules) shows up as not held
    events = office.store.events(doc)
    state = None
    for e in events[:4]:
        state = e.mutate(state)  # type: ignore[attr-defined]
    misrecorded = copy.copy(events[4])
    object.__setattr__(misrecorded, "by", agency.drafter)
    check = check_decision(OutgoingDocument, state, misrecorded, office.org.as_of_time(T0))
    assert (check.required, check.person, check.held) == ("办公室审核人", agency.drafter, False)


def test_the_record_as_of_a_business_time_or_a_version(
    office: Office, agency: AgencyPeople, doc: uuid.UUID
) -> None:
    """[§10 审计] 回放到某一业务时间或版本, 得到当时的状态与当时为止的办理记录."""
    at_review = office.audit.trail(doc, at=T0.add(hours=3, minutes=30))
    assert at_review.status == "处室已审核"
    assert len(at_review) == 3
    assert at_review.as_of == T0.add(hours=3, minutes=30)
    first = office.audit.trail(doc, version=1)
    assert first.status == "拟稿"
    assert len(first) == 1
    assert first.state.version == 1
    assert office.audit.trail(doc).status == office.documents.get(doc).status.label
    with pytest.raises(RecordNotFound):
        office.audit.trail(doc, at=T0)  # before it was drafted
    with pytest.raises(RecordNotFound):
        office.audit.trail(doc, version=99)
    with pytest.raises(InvalidInput):
        office.audit.trail(doc, at=T0.add(hours=3), version=2)


def test_an_unknown_id_is_a_clear_error(office: Office, agency: AgencyPeople) -> None:
    """[§10 审计] 查无此记录: RecordNotFound, 提示清楚."""
    missing = uuid.uuid4()
    with pytest.raises(RecordNotFound) as refused:
        office.audit.trail(missing)
    assert str(missing) in str(refused.value)
    assert "找不到" in str(refused.value)
    with pytest.raises(RecordNotFound):
        office.audit.trail("not-an-id")


def test_every_kind_of_record_has_a_trail(office: Office, agency: AgencyPeople) -> None:
    """[§10 审计] 收文、督办事项、建议提案、会议均可审计, 类型由存储的主题识别."""
    p = agency
    incoming = office.incoming.receive(
        sender="某县人民政府", title="关于申请专项资金的请示", by=p.receiving_secretary, at=T0
    )
    task = office.supervision.open(
        source=SourceRef(SourceKind.HOTLINE, reference="12345-2026-0001"),
        title="市长热线反映某路段积水",
        lead_unit="biz1",
        by=p.supervision_officer,
        at=T0,
    )
    proposal = office.proposals.submit(
        kind="政协提案",
        proposers=["王委员"],
        field="农林水利、城建",
        title="关于加快老旧小区改造的提案",
        content="建议加快改造进度。",
        by=p.secretary,
        at=T0,
    )
    meeting = office.meetings.request(
        kind="专题会议",
        title="安全生产专题会议",
        content="部署汛期安全生产",
        reason="汛期临近,须专题部署",
        organiser="biz1",
        starts_at=T0.add(days=30),
        place="局二楼会议室",
        participant_scope="有关处室负责人",
        participants=30,
        days=1,
        budget=6000,
        funding_source="业务一处会议费预算",
        chair=p.deputy,
        by=p.unit_head,
        at=T0,
    )
    expected = {
        incoming: ("IncomingDocument", "Received", "收文秘书"),
        task: ("SupervisionTask", "Opened", "督查人员"),
        proposal: ("Proposal", "Submitted", "督查人员或办公室审核人"),
        meeting: ("Meeting", "Requested", "业务一处人员"),
    }
    for record, (record_type, action, required) in expected.items():
        trail = office.audit.trail(record)
        assert trail.record_type == record_type
        first = trail.entries[0]
        assert (first.decision.action, first.check.required) == (action, required)
        assert first.check.held is True, trail.describe()
    org_trail = office.audit.trail(office.org.current().id)
    assert org_trail.entries[0].check.held is None  # establishing needs no role
    assert all(e.check.held for e in org_trail.entries[1:]), org_trail.describe()


def test_trail_as_text_json_and_csv_from_the_command_line(tmp_path: Path) -> None:
    """[§10 审计] govoffice audit trail ID --format text|json|csv [--at TIME] [--version N]."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = office_for_tests(url, start=T0)
    p = standard_agency(office, T0)
    doc = signed_by_substitute(office, p)
    office.close()
    runner = CliRunner()

    as_json = runner.invoke(main, ["audit", "trail", str(doc), "--format", "json", "--store", url])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["type"] == "OutgoingDocument"
    assert data["status"] == "已登记"
    assert data["state"]["form"]["title"] == FORM["title"]
    signed = data["trail"][6]
    assert (signed["by"], signed["on_behalf_of"], signed["opinion"]) == (
        p.deputy,
        p.principal,
        "同意印发",
    )
    assert signed["held_role"] is True and signed["substitute_valid"] is True
    assert signed["at"] == SIGNED_AT.isoformat()

    as_csv = runner.invoke(main, ["audit", "trail", str(doc), "--format", "csv", "--store", url])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["action"] for r in rows][-2:] == ["Signed", "Registered"]
    assert rows[6]["on_behalf_of"] == p.principal

    at = T0.add(hours=3, minutes=30).isoformat()
    as_text = runner.invoke(main, ["audit", "trail", str(doc), "--at", at, "--store", url])
    assert as_text.exit_code == 0, as_text.output
    assert "处室已审核" in as_text.output
    assert "Signed" not in as_text.output
    by_version = runner.invoke(
        main, ["audit", "trail", str(doc), "--version", "1", "--format", "json", "--store", url]
    )
    assert json.loads(by_version.output)["status"] == "拟稿"

    unknown = runner.invoke(main, ["audit", "trail", str(uuid.uuid4()), "--store", url])
    assert unknown.exit_code == 2
    assert "找不到" in unknown.output
