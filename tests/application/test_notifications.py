"""通知 — who hears of what, through ``office.notifications`` and the in-memory notifier.

One test per kind of notification, named for the rule in the office's words; then the
bookkeeping that makes delivery exactly-once: the idempotency key (event id and recipient),
nothing twice however often delivery runs, failures recorded and surfaced (ADR 0017).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pendulum
import pytest

from govoffice.adapters.notifiers import (
    InvalidNotifierConfig,
    LogNotifier,
    MemoryNotifier,
    notifier_from_config,
)
from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.application.notifications import (
    Message,
    NotificationKind,
    NotificationsFailed,
    NotificationStatus,
    PermanentDeliveryError,
    RetryPolicy,
    TransientDeliveryError,
)
from govoffice.application.office import Office
from govoffice.domain.incoming import HandlingKind, IncomingUrgeChannel, ScreeningCheck
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.proposal import ProposalStatus, check_sheet
from govoffice.domain.routing import SenderType
from govoffice.domain.supervision_notice import NoticePeriod
from govoffice.testing import AgencyPeople, standard_agency
from govoffice.testing import proposal as build_proposal
from tests.application.test_meetings import at as meeting_time
from tests.application.test_meetings import noticed_meeting

ZONE = "Asia/Shanghai"
ESTABLISHED = pendulum.datetime(2025, 12, 1, 9, 0, tz=ZONE)  # in time for the 2026 meeting plan
PROPOSALS_START = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
ALL_PASS = {check: True for check in ScreeningCheck}


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=ZONE)


@pytest.fixture
def a(office: Office) -> AgencyPeople:
    """The standard agency, established on 1 December 2025 (every person has an e-mail)."""
    return standard_agency(office, ESTABLISHED)


@pytest.fixture
def outbox(office: Office) -> Iterator[MemoryNotifier]:
    """The in-memory channel, configured as the office's notifier."""
    notifier = MemoryNotifier()
    office.notifications.notifier = notifier
    yield notifier


def delivered(office: Office, outbox: MemoryNotifier, kind: NotificationKind) -> list[Message]:
    """Deliver what is pending; the messages of ``kind`` sent in this run."""
    before = len(outbox.sent)
    office.notifications.deliver()
    return [m for m in outbox.sent[before:] if m.kind is kind]


def recipients(messages: list[Message]) -> list[str]:
    return sorted(m.recipient for m in messages)


# --- driving records -------------------------------------------------------------------------


def drafted(office: Office, a: AgencyPeople, **form: Any) -> uuid.UUID:
    fields: dict[str, Any] = {
        "title": "关于开展安全检查的通知",
        "doc_type": "通知",
        "issuer_code": "X政发",
        "lead_unit": "biz1",
        "main_recipients": ["各处室"],
        "text": "……",
        **form,
    }
    doc = office.documents.draft(by=a.drafter, at=at(3, 2, 10), **fields)
    office.documents.submit_for_review(doc, by=a.drafter, at=at(3, 2, 11))
    return doc


def reviewed_by_the_office(office: Office, a: AgencyPeople, **form: Any) -> uuid.UUID:
    doc = drafted(office, a, **form)
    d = office.documents
    d.review(doc, by=a.unit_head, at=at(3, 2, 14))
    d.submit_to_office(doc, by=a.drafter, at=at(3, 2, 15))
    d.office_check(doc, by=a.secretary, at=at(3, 2, 16))
    d.office_review(doc, by=a.office_head, at=at(3, 3, 9))
    return doc


def screened_incoming(office: Office, a: AgencyPeople) -> uuid.UUID:
    inc = office.incoming
    doc = inc.receive(
        sender="某县人民政府", title="关于申请专项资金的请示", by=a.receiving_secretary, at=at(3, 2)
    )
    inc.register(
        doc,
        sender_type=SenderType.GOVERNMENT,
        sender_number="某府〔2026〕8号",
        by=a.receiving_secretary,
        at=at(3, 2, 9, 10),
    )
    inc.screen(doc, results=ALL_PASS, by=a.receiving_secretary, at=at(3, 2, 9, 20))
    return doc


def assigned_to_leaders(office: Office, a: AgencyPeople) -> uuid.UUID:
    """For 何副局长 (main approver) and 陈局长 to instruct, 业务一处 to handle."""
    doc = screened_incoming(office, a)
    office.incoming.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="拟请何副局长阅示,业务一处办理",
        lead_unit="biz1",
        co_units=["finance"],
        leaders=[a.deputy, a.principal],
        asks_decision=True,
        deadline=date(2026, 3, 20),
        by=a.office_head,
        at=at(3, 2, 10),
    )
    return doc


def hotline_task(office: Office, a: AgencyPeople, ref: str = "12345-2026-0001") -> uuid.UUID:
    """A hotline case for 业务一处, opened on 2 March (due within ten working days)."""
    return office.supervision.open(
        source=SourceRef(SourceKind.HOTLINE, reference=ref),
        title="市长热线反映某路段积水",
        lead_unit="biz1",
        by=a.supervision_officer,
        at=at(3, 2),
    )


# --- who hears of what -----------------------------------------------------------------------


def test_a_draft_returned_for_revision_is_notified_to_its_drafter(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[001 发文 五(一)1(4)] 处室负责人审核 … 退回修改: the drafter hears of it, with the opinion."""
    doc = drafted(office, a)
    office.documents.return_for_revision(
        doc, by=a.unit_head, opinion="请补充检查范围", at=at(3, 2, 14)
    )
    [m] = delivered(office, outbox, NotificationKind.DRAFT_RETURNED)
    assert (m.recipient, m.name, m.email) == (a.drafter, "李拟稿", f"{a.drafter}@example.gov.cn")
    assert m.subject == "【文稿退回修改】关于开展安全检查的通知"
    assert "请补充检查范围" in m.body and "王处长" in m.body
    assert m.record_id == str(doc)
    assert m.at == at(3, 2, 14).isoformat()


def test_a_countersign_request_goes_to_the_heads_of_the_countersigning_units(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[001 发文 五(三)1(1)] 会签由会签处室负责人签署: each unit's head is asked, with the
    reply date; an outside agency is not a person of this office and gets nothing here."""
    doc = drafted(office, a)
    office.documents.review(doc, by=a.unit_head, at=at(3, 2, 14))
    due = office.documents.request_countersign(
        doc, units=["legal", "biz2"], agencies=["某县人民政府"], by=a.unit_head, at=at(3, 2, 15)
    )
    messages = delivered(office, outbox, NotificationKind.COUNTERSIGN_REQUESTED)
    assert recipients(messages) == sorted([a.legal_head, a.unit_head2])
    to_legal = next(m for m in messages if m.recipient == a.legal_head)
    assert str(due["legal"]) in to_legal.body and "法规处" in to_legal.body


def test_recipients_are_found_in_the_organisation_as_it_stood_when_the_decision_was_made(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[10 审计] The policy reads the organisation as of the event, not as of delivery: a
    unit head who moves into the countersigning unit afterwards was not its head when it
    was asked, and is not told (though delivery runs after the move)."""
    doc = drafted(office, a)
    office.documents.review(doc, by=a.unit_head, at=at(3, 2, 14))
    office.documents.request_countersign(doc, units=["legal"], by=a.unit_head, at=at(3, 2, 15))
    office.org.move_person(person_id=a.unit_head2, unit="legal", by=a.admin, at=at(3, 2, 16))
    messages = delivered(office, outbox, NotificationKind.COUNTERSIGN_REQUESTED)
    assert recipients(messages) == [a.legal_head]


def test_a_document_to_sign_goes_to_the_leader_who_supervises_the_lead_unit(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[001 发文 五(四), 五(五)] 办公室复核后呈分管局领导签发; an important document goes to
    the principal leader, and a leader away on business is covered by the substitute."""
    doc = reviewed_by_the_office(office, a)
    [m] = delivered(office, outbox, NotificationKind.TO_SIGN)
    assert m.recipient == a.deputy  # 何副局长 supervises 业务一处
    assert "请签发" in m.body and m.record_id == str(doc)

    office.org.appoint_substitute(
        leader=a.principal,
        substitute=a.deputy2,
        start=date(2026, 3, 3),
        end=date(2026, 3, 5),
        by=a.admin,
        at=at(3, 2, 12),
    )
    reviewed_by_the_office(office, a, title="关于调整机构职能的请示", important=True)
    messages = delivered(office, outbox, NotificationKind.TO_SIGN)
    assert recipients(messages) == sorted([a.principal, a.deputy2])


def test_an_assigned_incoming_document_goes_to_the_leaders_and_the_lead_unit(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[001 收文 五(二)] 分办: the leaders on the instruction list and the lead unit's head
    hear of it; the desk head who assigned it does not need telling."""
    doc = assigned_to_leaders(office, a)
    messages = delivered(office, outbox, NotificationKind.INCOMING_ASSIGNED)
    assert recipients(messages) == sorted([a.deputy, a.principal, a.unit_head])
    assert all(m.record_id == str(doc) for m in messages)
    assert "2026-03-20" in messages[0].body

    reading = screened_incoming(office, a)
    office.incoming.assign(
        reading,
        kind=HandlingKind.READING,
        proposal="送局领导传阅",
        readers=[a.principal, a.deputy2],
        by=a.office_head,
        at=at(3, 2, 11),
    )
    messages = delivered(office, outbox, NotificationKind.INCOMING_ASSIGNED)
    assert recipients(messages) == sorted([a.principal, a.deputy2])
    assert all("传阅" in m.body for m in messages)


def test_a_leaders_instruction_goes_to_the_lead_unit_head(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[001 收文 五(四)] 阅批: the lead unit learns the leader's instruction."""
    doc = assigned_to_leaders(office, a)
    office.notifications.deliver()
    office.incoming.instruct(doc, by=a.deputy, opinion="同意,请业务一处抓紧办理", at=at(3, 3))
    [m] = delivered(office, outbox, NotificationKind.INSTRUCTION_GIVEN)
    assert m.recipient == a.unit_head
    assert "同意,请业务一处抓紧办理" in m.body and "何副局长" in m.body


def test_a_meeting_notice_goes_to_every_invitee(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[004 四(一)2] 会议通知 name, time, place, topic, participants and contact reach every
    invitee (the leader who signed it excepted)."""
    meeting = noticed_meeting(office, a)
    messages = delivered(office, outbox, NotificationKind.MEETING_NOTICE)
    invited = [a.deputy, a.deputy2, a.unit_head, a.unit_head2, a.office_head]
    assert recipients(messages) == sorted(invited)
    body = messages[0].body
    assert "局长办公会议" in messages[0].subject
    assert "2026-03-10 09:00" in body and "局三楼会议室" in body and "孙秘书" in body
    assert all(m.record_id == str(meeting) for m in messages)


def test_a_leave_decision_goes_to_the_person_who_asked(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[000 范文6 五 5] 请假 is granted or refused; the invitee hears the answer."""
    meeting = noticed_meeting(office, a)
    m = office.meetings
    m.request_leave(meeting, reason="赴省厅开会", by=a.unit_head, at=meeting_time(3, 5))
    m.request_leave(meeting, reason="整理材料", by=a.unit_head2, at=meeting_time(3, 5, 10, 30))
    m.grant_leave(meeting, person=a.unit_head, by=a.principal, at=meeting_time(3, 5, 11))
    m.refuse_leave(
        meeting,
        person=a.unit_head2,
        opinion="议题涉及本处,须到会",
        by=a.principal,
        at=meeting_time(3, 5, 12),
    )
    messages = delivered(office, outbox, NotificationKind.LEAVE_DECIDED)
    assert recipients(messages) == sorted([a.unit_head, a.unit_head2])
    granted = next(x for x in messages if x.recipient == a.unit_head)
    refused = next(x for x in messages if x.recipient == a.unit_head2)
    assert "准假" in granted.subject and "不准假" not in granted.subject
    assert "不准假" in refused.subject and "须到会" in refused.body


def test_an_urge_goes_to_whoever_has_the_work(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[001 收文 五(六)] 催办 an incoming document reaches the leaders who still have it;
    [000 范文2 三 一] a suggestion's urge, the urged unit's head; [000 范文6 五 7] a
    supervised task's urge, the head of the responsible unit."""
    doc = assigned_to_leaders(office, a)
    office.incoming.urge(
        doc,
        channel=IncomingUrgeChannel.PHONE,
        note="请尽快阅示",
        by=a.supervision_officer,
        at=at(3, 3),
    )
    messages = delivered(office, outbox, NotificationKind.URGED)
    assert recipients(messages) == sorted([a.deputy, a.principal])
    assert "请尽快阅示" in messages[0].body

    proposal = build_proposal(office, a, to=ProposalStatus.HANDLING, at=PROPOSALS_START)
    office.proposals.urge(proposal, channel="phone", unit="finance", by=a.secretary, at=at(3, 10))
    [m] = delivered(office, outbox, NotificationKind.URGED)
    assert m.recipient == a.finance_head and "财务处" in m.body

    task = hotline_task(office, a)
    office.supervision.urge(
        task, channel="prompt_sheet", note="请报送进展", by=a.supervision_officer, at=at(3, 5)
    )
    [m] = delivered(office, outbox, NotificationKind.URGED)
    assert m.recipient == a.unit_head and "督查提示单" in m.body and "请报送进展" in m.body


def test_an_overdue_task_goes_to_the_responsible_unit_and_the_supervision_officers(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[000 范文6 五 7] a task past its deadline: the responsible unit's head and the
    supervision office hear of it, once however often the tick runs."""
    hotline_task(office, a)
    office.tick(at(3, 13))
    office.tick(at(3, 14))
    messages = delivered(office, outbox, NotificationKind.OVERDUE)
    assert recipients(messages) == sorted([a.unit_head, a.supervision_officer])
    assert "已超过办理时限" in messages[0].body


def test_a_reply_returned_by_the_joint_review_goes_to_the_lead_unit_head(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[000 范文2 三 二] 会审 "九看": a reply that fails goes back to the lead unit, with the
    checks it failed."""
    proposal = build_proposal(office, a, to=ProposalStatus.REPLY_IN_REVIEW, at=PROPOSALS_START)
    office.proposals.review_reply(
        proposal,
        checks=check_sheet(["format"]),
        by=a.secretary,
        at=pendulum.datetime(2026, 3, 23, 9, tz=ZONE),
    )
    [m] = delivered(office, outbox, NotificationKind.REPLY_RETURNED)
    assert m.recipient == a.unit_head
    assert "格式规范、准确" in m.body


def test_a_supervision_notice_goes_to_the_named_units_head(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """[000 范文6 五 7] 对于2次以上完不成工作的 … 通报: the named unit's head hears of it."""
    task = hotline_task(office, a)
    office.tick(at(3, 13))
    office.supervision.complete(
        task,
        background="群众反映某路段积水",
        investigation="经现场调查,排水管堵塞",
        handling_opinion="责成养护单位疏通",
        implementation="已于3月8日疏通完毕",
        by=a.unit_head,
        at=at(3, 16),
    )
    office.supervision.reject_completion(
        task, reason="不合格", by=a.supervision_officer, at=at(3, 16, 10)
    )
    office.supervision.issue_notices(
        period=NoticePeriod.month(2026, 3), by=a.supervision_officer, at=at(4, 1)
    )
    [m] = delivered(office, outbox, NotificationKind.NOTICE_ISSUED)
    assert m.recipient == a.unit_head
    assert "业务一处" in m.subject and "2 次" in m.body


# --- exactly once ----------------------------------------------------------------------------


def test_each_notification_is_keyed_by_its_event_and_recipient(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """The idempotency key is ``{record id}/{version}/{person}``: stable, one per recipient."""
    doc = assigned_to_leaders(office, a)
    office.notifications.deliver()
    event = next(e for e in office.store.events(doc) if type(e).__name__ == "Assigned")
    expected = {
        f"{doc}/{event.originator_version}/{p}" for p in (a.deputy, a.principal, a.unit_head)
    }
    assert set(outbox.keys()) == expected
    for m in outbox.sent:
        assert m.event_id == f"{doc}/{event.originator_version}"
        assert m.key == f"{m.event_id}/{m.recipient}"
    rows = office.notifications.outbox()
    assert {r.key for r in rows} == expected
    assert all(r.status is NotificationStatus.SENT and r.deliveries == 1 for r in rows)


def test_nothing_is_notified_twice_however_often_delivery_runs(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """Re-running delivery, or taking the log in a page at a time, sends each key once."""
    office.notifications.page_size = 3
    doc = assigned_to_leaders(office, a)
    first = office.notifications.deliver()
    assert len(first.sent) == 3
    for _ in range(3):
        assert office.notifications.deliver().sent == ()
    office.incoming.instruct(doc, by=a.deputy, opinion="同意", at=at(3, 3))
    assert len(office.notifications.deliver().sent) == 1
    keys = outbox.keys()
    assert len(keys) == len(set(keys)) == 4
    assert office.notifications.counts() == {"pending": 0, "sent": 4, "failed": 0}
    assert office.notifications.position == office.app.recorder.max_notification_id()


def test_rows_are_written_once_when_the_policy_reads_the_log_again(
    office: Office, a: AgencyPeople
) -> None:
    """Catching up writes outbox rows together with the position: a second catch-up, or a
    second service on the same views, adds nothing."""
    assigned_to_leaders(office, a)
    service = office.notifications
    service.catch_up()
    rows = service.outbox()
    assert len(rows) == 3 and all(r.status is NotificationStatus.PENDING for r in rows)
    assert service.catch_up() == 0
    assert service.outbox() == rows


def test_delivery_can_be_stopped_and_resumed_without_loss(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """A run that stops after a few messages leaves the rest pending; the next run sends
    them, in the order they were written."""
    assigned_to_leaders(office, a)
    office.notifications.catch_up()
    first = office.notifications.dispatch(limit=1)
    assert len(first.sent) == 1 and first.pending == 2
    office.notifications.deliver()
    assert [m.key for m in outbox.sent] == [r.key for r in office.notifications.outbox()]
    assert len(set(outbox.keys())) == 3


def test_a_permanent_failure_is_recorded_and_surfaced_not_swallowed(
    office: Office, a: AgencyPeople
) -> None:
    """A channel that refuses a message for good: the row is marked failed with the error,
    the run raises once it has sent what it can, and ``failed()`` lists it until retried."""

    class RefusesThePrincipal(MemoryNotifier):
        def send(self, message: Message) -> None:
            if message.recipient == a.principal:
                raise PermanentDeliveryError("收件人不存在 (550 no such user)")
            super().send(message)

    channel = RefusesThePrincipal()
    assigned_to_leaders(office, a)
    with pytest.raises(NotificationsFailed) as raised:
        office.notifications.deliver(channel)
    report = raised.value.report
    assert len(report.sent) == 2 and [r.recipient for r in report.failed] == [a.principal]
    [failed] = office.notifications.failed()
    assert failed.recipient == a.principal and failed.attempts == 1
    assert "550 no such user" in failed.last_error
    assert office.notifications.deliver(channel, raise_on_failure=False).sent == ()

    assert office.notifications.retry_failed() == 1
    fixed = MemoryNotifier()
    assert office.notifications.deliver(fixed).sent == (failed.key,)
    assert office.notifications.failed() == []
    assert office.notifications.get(failed.key).status is NotificationStatus.SENT  # type: ignore[union-attr]


def test_transient_failures_are_retried_with_exponential_backoff(
    office: Office, a: AgencyPeople
) -> None:
    """A channel that fails twice then accepts: the dispatcher waits 0.5 s then 1 s, and the
    row records three attempts; one that never recovers is failed after the last attempt."""
    waits: list[float] = []
    calls: list[str] = []

    class Flaky(MemoryNotifier):
        def send(self, message: Message) -> None:
            calls.append(message.key)
            if calls.count(message.key) <= 2:
                raise TransientDeliveryError("503 service unavailable")
            super().send(message)

    service = office.notifications
    service.retry = RetryPolicy(attempts=4, first_delay=0.5, factor=2.0)
    service.sleep = waits.append
    doc = drafted(office, a)
    office.documents.return_for_revision(doc, by=a.unit_head, opinion="重写", at=at(3, 2, 14))
    report = service.deliver(Flaky())
    assert len(report.sent) == 1 and waits == [0.5, 1.0]
    assert service.outbox()[0].attempts == 3

    class Down(MemoryNotifier):
        def send(self, message: Message) -> None:
            raise ConnectionRefusedError("connection refused")

    waits.clear()
    office.documents.revise(doc, by=a.drafter, text="新稿", at=at(3, 2, 15))
    office.documents.submit_for_review(doc, by=a.drafter, at=at(3, 2, 16))
    office.documents.return_for_revision(doc, by=a.unit_head, opinion="再改", at=at(3, 2, 17))
    report = service.deliver(Down(), raise_on_failure=False)
    assert waits == [0.5, 1.0, 2.0]
    [failed] = report.failed
    assert failed.attempts == 4 and "connection refused" in failed.last_error


def test_switching_notifications_on_late_skips_the_history(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """An office with history can start notifying from now on."""
    assigned_to_leaders(office, a)
    office.notifications.skip_history()
    assert office.notifications.deliver().sent == ()
    doc = drafted(office, a)
    office.documents.return_for_revision(doc, by=a.unit_head, opinion="重写", at=at(3, 2, 14))
    assert [m.kind for m in delivered(office, outbox, NotificationKind.DRAFT_RETURNED)] == [
        NotificationKind.DRAFT_RETURNED
    ]
    assert len(outbox.sent) == 1


def test_the_outbox_lives_in_the_view_store_the_service_is_given(
    office: Office, a: AgencyPeople, outbox: MemoryNotifier
) -> None:
    """The outbox and its position live in a view store (the office's by default)."""
    own = MemoryViewStore()
    office.notifications.store = own
    assigned_to_leaders(office, a)
    office.notifications.deliver()
    assert len(list(own.scan("notifications.v1", "outbox"))) == 3
    assert list(office.views.store.scan("notifications.v1", "outbox")) == []


def test_the_default_channel_is_the_log(
    office: Office, a: AgencyPeople, caplog: pytest.LogCaptureFixture
) -> None:
    """Until a channel is configured, notifications go to the ``govoffice.notifications``
    log (and count as sent)."""
    assert isinstance(office.notifications.notifier, LogNotifier)
    doc = drafted(office, a)
    office.documents.return_for_revision(doc, by=a.unit_head, opinion="重写", at=at(3, 2, 14))
    with caplog.at_level(logging.INFO, logger="govoffice.notifications"):
        report = office.notifications.deliver()
    assert len(report.sent) == 1
    assert any(report.sent[0] in r.getMessage() for r in caplog.records)


def test_the_channel_is_configuration() -> None:
    """``notifier_from_config`` reads a URL or a mapping; nonsense is refused clearly."""
    assert isinstance(notifier_from_config("memory"), MemoryNotifier)
    log_channel = notifier_from_config("log://?level=warning")
    assert isinstance(log_channel, LogNotifier) and log_channel.level == logging.WARNING
    assert isinstance(notifier_from_config({"type": "log"}), LogNotifier)
    for bad in ("", "carrier-pigeon://loft", "log://?colour=red", {"type": "fax"}):
        with pytest.raises(InvalidNotifierConfig):
            notifier_from_config(bad)  # type: ignore[arg-type]
