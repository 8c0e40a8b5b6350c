"""督查督办 — supervision tasks through ``office.supervision``, one test per rule.

Seeds: [000 范文2] (催办 by phone, letter, on site), [000 范文4] (销号 only with a result),
[000 范文6 五 7] (督查提示单; 通报 after two failures), [003 篇6 二(三)] (批示件 and 热线: four-part
report signed by the unit head, ten days, extensions, re-handling), [004 二(四)2] (督查室
registers and tracks meeting items).
"""

from __future__ import annotations

import threading
import uuid
from datetime import date
from typing import Any

import pendulum
import pytest
from eventsourcing.domain import event

from govoffice.application.office import Office
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import (
    GovOfficeError,
    InvalidInput,
    PermissionDenied,
    RecordNotFound,
    RuleViolation,
    WrongStatus,
)
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.supervision import (
    REGISTRATION_SERIES,
    ChildDeadlineAfterParent,
    ChildTasksOutstanding,
    CloseOutWithoutResult,
    DeadlineInPast,
    DeadlinePeriod,
    DeadlinePolicy,
    ExtensionAlreadyRequested,
    ExtensionLimitExceeded,
    ExtensionTooLate,
    FailureKind,
    IncompleteCompletionReport,
    InstructingLeaderRequired,
    LetterCannotPostpone,
    NewDeadlineRequired,
    NoExtensionRequested,
    PeriodUnit,
    SourceCannotOpenTasks,
    SupervisionNumber,
    SupervisionStatus,
    SupervisionTask,
    UrgeChannel,
)
from govoffice.domain.supervision_notice import NoticePeriod, PeriodNotEnded
from govoffice.domain.values import PersonId
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
)

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)  # a Monday
REPORT = {
    "background": "群众反映某路段积水",
    "investigation": "经现场调查,排水管堵塞",
    "handling_opinion": "责成养护单位疏通",
    "implementation": "已于3月8日疏通完毕",
}


def at(month: int, day: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, 0, tz=ZONE)


def hotline(ref: str = "12345-2026-0001") -> SourceRef:
    return SourceRef(SourceKind.HOTLINE, reference=ref)


def open_task(office: Office, agency: AgencyPeople, **kw: Any) -> uuid.UUID:
    """A hotline case for 业务一处 (head 王处长, staff 李拟稿), unless told otherwise."""
    fields: dict[str, Any] = {
        "source": hotline(),
        "title": "市长热线反映某路段积水",
        "lead_unit": "biz1",
        "by": agency.supervision_officer,
    }
    fields.update(kw)
    return office.supervision.open(**fields)


def complete(office: Office, task_id: uuid.UUID, by: str, **kw: Any) -> None:
    office.supervision.complete(task_id, by=by, **{**REPORT, **kw})


def events_of(office: Office, task_id: uuid.UUID) -> list[str]:
    return [d.action for d in office.supervision.history(task_id)]


@stable_topics("test-minutes-record")
class MinutesRecord(OfficeAggregate):
    """A meeting's minutes for these tests: a source record that links supervision tasks
    (the contract of govoffice.domain.links), and can be filed so that it refuses new links."""

    KIND = "会议纪要(测试)"

    @event("Recorded")
    def __init__(self, *, title: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.title = title
        self.filed = False
        self.supervision_tasks: tuple[uuid.UUID, ...] = ()

    def file(self, *, by: PersonId, at: pendulum.DateTime) -> None:
        self._filed(by=by, at=at)

    @event("Filed")
    def _filed(self, by: PersonId, at: pendulum.DateTime) -> None:
        self.filed = True

    def link_supervision_task(
        self, *, task_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self._check_time(at)
        if self.filed:
            raise RuleViolation("纪要已归档,不能再立项督办 (filed minutes link no new tasks)")
        self._supervision_task_linked(task_id=task_id, by=by, at=at)

    @event("SupervisionTaskLinked")
    def _supervision_task_linked(
        self, task_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.supervision_tasks = (*self.supervision_tasks, task_id)


def minutes(office: Office, agency: AgencyPeople, *, filed: bool = False) -> uuid.UUID:
    record = MinutesRecord(title="局长办公会议纪要", by=PersonId(agency.office_head), at=T0)
    if filed:
        record.file(by=PersonId(agency.office_head), at=T0)
    office.store.save(record)
    return record.id


# --- opening (立项) -------------------------------------------------------------------------


def test_task_is_registered_under_the_next_number_of_the_years_series(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 二(四)2] 会议议定的事项由督查室填催办查办卡: each task is registered, numbered."""
    first = open_task(office, agency, source=hotline("A"))
    second = open_task(office, agency, source=hotline("B"))
    assert str(office.supervision.get(first).number) == "督〔2026〕1号"
    assert office.supervision.get(second).number == SupervisionNumber(2026, 2)
    assert office.supervision.find_by_number("督〔2026〕2号").id == second


def test_principal_leaders_instruction_is_due_in_ten_days(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 主要领导批示的告果件,一律在十日内办结并上报."""
    task_id = open_task(
        office,
        agency,
        source=SourceRef(SourceKind.LEADER_INSTRUCTION, reference="陈局长批示〔2026〕1号"),
        instructed_by=agency.principal,
    )
    task = office.supervision.get(task_id)
    assert task.deadline == date(2026, 3, 12)
    assert task.instructed_by == agency.principal
    assert "十日" in task.deadline_rule


def test_hotline_and_mailbox_cases_are_due_in_ten_days(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 市长热线和县长信箱所反映问题,务必在十日内完成调查处理并上报结果."""
    task = office.supervision.get(open_task(office, agency))
    assert task.deadline == date(2026, 3, 12)


@pytest.mark.parametrize(
    ("source", "urgency", "instructed_by", "due"),
    [
        (
            SourceRef(SourceKind.LEADER_INSTRUCTION, reference="何副局长批示"),
            "一般",
            "deputy",
            date(2026, 3, 17),
        ),  # 非急件 15 日
        (
            SourceRef(SourceKind.LEADER_INSTRUCTION, reference="陈局长急批"),
            "急件",
            "principal",
            date(2026, 3, 9),
        ),  # 急件 5 个工作日, over a weekend
        (
            SourceRef(SourceKind.INCOMING_DOCUMENT, reference="X市政发〔2026〕3号"),
            "一般",
            None,
            date(2026, 4, 1),
        ),  # 公文 30 日
        (
            SourceRef(SourceKind.MEETING_DECISION, reference="局长办公会纪要〔2026〕2号", item="3"),
            "一般",
            None,
            date(2026, 3, 23),
        ),  # 会议纪要 20 日: 3-22 is a Sunday, so Monday
        (
            SourceRef(SourceKind.PROPOSAL, reference="政协提案第18号"),
            "一般",
            None,
            date(2026, 6, 2),
        ),  # 建议提案 三个月
    ],
)
def test_default_deadline_follows_the_source_and_urgency(
    office: Office,
    agency: AgencyPeople,
    source: SourceRef,
    urgency: str,
    instructed_by: str | None,
    due: date,
) -> None:
    """[003 篇6 二(三)第三] 规定的办理时限 by source; others are local practice (DeadlinePolicy)."""
    leader = getattr(agency, instructed_by) if instructed_by else None
    task_id = open_task(office, agency, source=source, urgency=urgency, instructed_by=leader)
    assert office.supervision.get(task_id).deadline == due


def test_a_ten_day_period_ending_in_a_holiday_ends_on_the_next_working_day(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 十日内; 民法典 第203条: 期间最后一日是法定休假日的,以休假日结束的次日为期间的最后一日."""
    task_id = open_task(office, agency, at=at(9, 21))
    assert office.supervision.get(task_id).deadline == date(2026, 10, 8)  # 10-01 is 国庆节


def test_default_deadlines_are_configuration(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(三)第三] the ten days are the seed's; an office may set its own periods."""
    office.supervision.policy = DeadlinePolicy(
        hotline=DeadlinePeriod(3, PeriodUnit.WORKING_DAYS, "本机关规定: 热线件3个工作日")
    )
    task = office.supervision.get(open_task(office, agency))
    assert task.deadline == date(2026, 3, 5)
    assert "3个工作日" in task.deadline_rule


def test_a_deadline_given_at_opening_wins_but_must_lie_ahead(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 二(四)2] 交有关部门按时限要求落实: a deadline set when assigning must lie ahead."""
    task_id = open_task(office, agency, source=hotline("A"), deadline=date(2026, 3, 20))
    assert office.supervision.get(task_id).deadline == date(2026, 3, 20)
    with assert_nothing_recorded(office), pytest.raises(DeadlineInPast):
        open_task(office, agency, source=hotline("B"), deadline=date(2026, 3, 2))


def test_a_leader_instruction_names_the_leader_who_gave_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第四] 领导同志将件批给谁,谁就是第一责任人: the instruction's leader is known."""
    source = SourceRef(SourceKind.LEADER_INSTRUCTION, reference="批示")
    with assert_nothing_recorded(office), pytest.raises(InstructingLeaderRequired):
        open_task(office, agency, source=source)
    with assert_nothing_recorded(office), pytest.raises(InstructingLeaderRequired):
        open_task(office, agency, source=source, instructed_by=agency.drafter)


def test_only_the_supervision_office_opens_tasks(office: Office, agency: AgencyPeople) -> None:
    """[004 二(四)2] 由政府办公室督查室填催办查办卡: the supervision office registers tasks."""
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        open_task(office, agency, by=agency.drafter)


def test_a_source_without_record_or_reference_is_refused(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] 县长信箱、公开电话纳入督办: each case is identified by its own reference."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        open_task(office, agency, source=SourceRef(SourceKind.HOTLINE))


def test_the_responsible_unit_and_co_units_must_exist_and_differ(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第四] 谁就是第一责任人: one responsible unit, co-units besides it."""
    with assert_nothing_recorded(office), pytest.raises(GovOfficeError):
        open_task(office, agency, lead_unit="nowhere")
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        open_task(office, agency, co_units=["biz1"])
    task = office.supervision.get(open_task(office, agency, co_units=["biz2", "legal"]))
    assert task.co_units == ("biz2", "legal")


def test_opening_the_same_source_item_again_gives_the_same_task(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] 确保件件有回音: one case, one task — never two, and no second number."""
    first = open_task(office, agency)
    with assert_nothing_recorded(office):
        again = open_task(office, agency, title="同一件重复登记", lead_unit="biz2")
    assert again == first
    assert office.supervision.tasks_of(hotline()) == [first]


def test_two_clerks_opening_one_source_item_at_once_make_one_task(
    office: Office, agency: AgencyPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[000 范文4] 件件有回音: a race between two registrations still makes one task (ADR 0012)."""
    first = open_task(office, agency)
    before = notification_count(office)
    real_exists = office.store.exists
    looked = threading.local()

    def stale_exists(record_id: uuid.UUID) -> bool:
        if record_id == first and not getattr(looked, "once", False):
            looked.once = True  # the second clerk looked before the first one saved
            return False
        return real_exists(record_id)

    monkeypatch.setattr(office.store, "exists", stale_exists)
    assert open_task(office, agency, title="第二位登记人") == first
    assert notification_count(office) == before
    assert office.supervision.get(first).title == "市长热线反映某路段积水"


def test_two_offices_racing_to_open_one_source_item_make_one_task(store_url: str) -> None:
    """[000 范文4] 件件有回音: two threads (two offices on one store) opening the same cases at
    the same moment get the same tasks, numbered without gaps (ADR 0012)."""
    first = office_for_tests(store_url, start=T0)
    agency = standard_agency(first, T0)
    second = first if store_url == "memory" else office_for_tests(store_url, start=T0)
    try:
        for n in range(10):
            got = _race([first, second], agency, hotline(f"race-{n}"))
            assert got[0] == got[1]
        tasks = first.store.record_ids(SupervisionTask)
        assert sorted(first.supervision.get(t).number.serial for t in tasks) == list(range(1, 11))
    finally:
        if second is not first:
            second.close()
        first.close()


def _race(offices: list[Office], agency: AgencyPeople, source: SourceRef) -> list[uuid.UUID]:
    """Each office opens ``source`` in its own thread, all released at once."""
    barrier = threading.Barrier(len(offices))
    got: dict[int, uuid.UUID] = {}

    def register(i: int) -> None:
        barrier.wait()
        got[i] = open_task(offices[i], agency, source=source)

    threads = [threading.Thread(target=register, args=(i,)) for i in range(len(offices))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [got[i] for i in range(len(offices))]


def test_opening_from_a_record_links_the_record_in_the_same_write(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 二(四)2] 会议议定的事项由督查室立项: the task knows its source, the source its tasks."""
    record_id = minutes(office, agency)
    before = notification_count(office)
    source = SourceRef(SourceKind.MEETING_DECISION, record_id, item="1")
    task_id = open_task(office, agency, source=source)
    written = recorded_since(office, before)
    series = NumberSeries.create_id(REGISTRATION_SERIES, "X局", 2026)
    assert {(e.originator_id, type(e).__name__) for e in written} == {
        (task_id, "Opened"),
        (record_id, "SupervisionTaskLinked"),
        (series, "Started"),
        (series, "Taken"),
    }
    assert office.supervision.get(task_id).source == source
    assert office.supervision.tasks_of(record_id) == [task_id]


def test_each_decided_item_of_a_meeting_opens_its_own_task(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 二(四)2] 会议议定的事项……交有关部门按时限要求落实: one task per decided item."""
    record_id = minutes(office, agency)
    one = open_task(office, agency, source=SourceRef(SourceKind.MEETING_DECISION, record_id, "1"))
    two = open_task(
        office,
        agency,
        source=SourceRef(SourceKind.MEETING_DECISION, record_id, "2"),
        lead_unit="biz2",
    )
    again = open_task(office, agency, source=SourceRef(SourceKind.MEETING_DECISION, record_id, "1"))
    assert len({one, two}) == 2 and again == one
    assert office.supervision.tasks_of(record_id) == [one, two]
    assert office.supervision.tasks_of(SourceRef(SourceKind.MEETING_DECISION, record_id, "2")) == [
        two
    ]


def test_a_source_record_that_refuses_the_link_leaves_no_task(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 二(四)2] the task and its source's link are one write: neither exists alone."""
    record_id = minutes(office, agency, filed=True)
    source = SourceRef(SourceKind.MEETING_DECISION, record_id, "1")
    with assert_nothing_recorded(office), pytest.raises(RuleViolation):
        open_task(office, agency, source=source)
    assert office.supervision.tasks_of(source) == []
    next_task = open_task(office, agency)
    assert str(office.supervision.get(next_task).number) == "督〔2026〕1号"  # no number was used


def test_a_record_that_does_not_link_tasks_cannot_be_a_source(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] sources are 批示件、信箱、电话、公文、会议、建议提案; an outgoing draft is not one."""
    draft = office.documents.draft(
        by=agency.drafter,
        title="关于某事的通知",
        doc_type="通知",
        issuer_code="X局发",
        lead_unit="biz1",
        main_recipients=["各处室"],
        text="正文",
    )
    with assert_nothing_recorded(office), pytest.raises(SourceCannotOpenTasks):
        open_task(office, agency, source=SourceRef(SourceKind.INCOMING_DOCUMENT, draft))
    with assert_nothing_recorded(office), pytest.raises(RecordNotFound):
        open_task(office, agency, source=SourceRef(SourceKind.PROPOSAL, uuid.uuid4()))


# --- urging (催办) -----------------------------------------------------------------------


def test_urging_by_prompt_sheet_phone_and_on_site_is_recorded(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2] 电话催办……实地催办; [000 范文6 五 7] 督查室下发督查提示单督查追踪."""
    task_id = open_task(office, agency)
    for channel in ("督查提示单", UrgeChannel.PHONE, "on_site"):
        office.supervision.urge(
            task_id, channel=channel, note="请抓紧办理", by=agency.supervision_officer
        )
    task = office.supervision.get(task_id)
    assert task.urges == {UrgeChannel.PROMPT_SHEET: 1, UrgeChannel.PHONE: 1, UrgeChannel.ON_SITE: 1}
    assert task.deadline == date(2026, 3, 12)


def test_a_supervision_letter_sets_a_new_deadline_for_an_overdue_task(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文2] 对于逾期未办的,及时下发有关督办函,限定在规定期限内答复完毕."""
    task_id = open_task(office, agency)
    office.tick(at(3, 13))
    office.supervision.urge(
        task_id,
        channel=UrgeChannel.SUPERVISION_LETTER,
        new_deadline=date(2026, 3, 18),
        by=agency.supervision_officer,
        at=at(3, 13, 10),
    )
    task = office.supervision.get(task_id)
    assert task.deadline == date(2026, 3, 18) and not task.overdue
    assert task.urges == {UrgeChannel.SUPERVISION_LETTER: 1}


def test_a_supervision_letter_must_set_a_new_deadline(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2] 督办函,限定在规定期限内答复完毕: a letter without a deadline is refused."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(NewDeadlineRequired):
        office.supervision.urge(task_id, channel="督办函", by=agency.supervision_officer)
    with assert_nothing_recorded(office), pytest.raises(DeadlineInPast):
        office.supervision.urge(
            task_id, channel="督办函", new_deadline=date(2026, 3, 1), by=agency.supervision_officer
        )


def test_only_a_supervision_letter_sets_a_deadline(office: Office, agency: AgencyPeople) -> None:
    """[000 范文2] 电话催办 chases; only 督办函 limits a new period."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.supervision.urge(
            task_id,
            channel="电话催办",
            new_deadline=date(2026, 3, 10),
            by=agency.supervision_officer,
        )


def test_a_letter_cannot_postpone_a_deadline_not_yet_missed(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 延期须提前汇报沟通,同意后再延期: a letter is not a disguised extension."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(LetterCannotPostpone):
        office.supervision.urge(
            task_id, channel="督办函", new_deadline=date(2026, 3, 20), by=agency.supervision_officer
        )
    office.supervision.urge(
        task_id, channel="督办函", new_deadline=date(2026, 3, 10), by=agency.supervision_officer
    )
    assert office.supervision.get(task_id).deadline == date(2026, 3, 10)


def test_only_the_supervision_office_urges(office: Office, agency: AgencyPeople) -> None:
    """[000 范文6 五 7] 局督查室下发督查提示单督查追踪: urging is the supervision office's."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.supervision.urge(task_id, channel="电话催办", by=agency.unit_head2)


def test_a_task_waiting_for_review_is_not_urged(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(三)第三] 在规定的办理时限内上报: once reported, the office reviews, not urges."""
    task_id = open_task(office, agency)
    complete(office, task_id, agency.unit_head)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.supervision.urge(task_id, channel="电话催办", by=agency.supervision_officer)


# --- progress (进展) ----------------------------------------------------------------------


def test_responsible_and_co_units_report_progress(office: Office, agency: AgencyPeople) -> None:
    """[004 二(四)2] 督查室随时将进展情况整理汇总: the handling units report their progress."""
    task_id = open_task(office, agency, co_units=["biz2"])
    office.supervision.report_progress(task_id, percent=30, summary="已现场查看", by=agency.drafter)
    office.supervision.report_progress(
        task_id, percent=50, summary="协办意见已送", by=agency.drafter2
    )
    assert office.supervision.get(task_id).progress == 50
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.supervision.report_progress(task_id, percent=60, summary="x", by=agency.legal_head)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.supervision.report_progress(task_id, percent=101, summary="x", by=agency.drafter)


# --- extensions (延期) ---------------------------------------------------------------------


def test_an_extension_asked_before_the_deadline_and_granted_moves_it(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 暂时不能如期办理的,要提前向督查室汇报沟通,同意后,再延期办理."""
    task_id = open_task(office, agency)
    office.supervision.request_extension(
        task_id,
        new_deadline=date(2026, 3, 16),
        reason="需等待检测结果",
        progress="已完成现场调查",
        by=agency.unit_head,
        at=at(3, 10),
    )
    office.supervision.grant_extension(task_id, by=agency.supervision_officer, at=at(3, 11))
    task = office.supervision.get(task_id)
    assert task.deadline == date(2026, 3, 16)
    assert (task.extensions_granted, task.extension_days) == (1, 4)
    assert events_of(office, task_id)[-2:] == ["ExtensionRequested", "ExtensionGranted"]


def test_an_extension_asked_after_the_deadline_is_refused(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 要提前向督查室汇报沟通: after the deadline it is too late to ask."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(ExtensionTooLate):
        office.supervision.request_extension(
            task_id,
            new_deadline=date(2026, 3, 16),
            reason="r",
            progress="p",
            by=agency.unit_head,
            at=at(3, 13),
        )


def test_a_refused_extension_keeps_the_deadline_and_gives_the_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 同意后,再延期办理: without agreement the deadline stands."""
    task_id = open_task(office, agency)
    office.supervision.request_extension(
        task_id, new_deadline=date(2026, 3, 14), reason="r", progress="p", by=agency.unit_head
    )
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.supervision.refuse_extension(task_id, reason=" ", by=agency.supervision_officer)
    office.supervision.refuse_extension(
        task_id, reason="事项简单,不予延期", by=agency.supervision_officer
    )
    assert office.supervision.get(task_id).deadline == date(2026, 3, 12)
    assert office.supervision.history(task_id)[-1].details["reason"] == "事项简单,不予延期"


def test_a_task_is_extended_at_most_twice(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(三)第三] 延期不得超过两次."""
    task_id = open_task(office, agency)
    for new in (date(2026, 3, 13), date(2026, 3, 14)):
        office.supervision.request_extension(
            task_id, new_deadline=new, reason="r", progress="p", by=agency.unit_head
        )
        office.supervision.grant_extension(task_id, by=agency.supervision_officer)
    with assert_nothing_recorded(office), pytest.raises(ExtensionLimitExceeded):
        office.supervision.request_extension(
            task_id, new_deadline=date(2026, 3, 15), reason="r", progress="p", by=agency.unit_head
        )


def test_extensions_total_at_most_a_week(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(三)第三] 总延期时间不得超过一周."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(ExtensionLimitExceeded):
        office.supervision.request_extension(
            task_id, new_deadline=date(2026, 3, 20), reason="r", progress="p", by=agency.unit_head
        )
    office.supervision.request_extension(
        task_id, new_deadline=date(2026, 3, 17), reason="r", progress="p", by=agency.unit_head
    )
    office.supervision.grant_extension(task_id, by=agency.supervision_officer)
    with assert_nothing_recorded(office), pytest.raises(ExtensionLimitExceeded):
        office.supervision.request_extension(
            task_id, new_deadline=date(2026, 3, 20), reason="r", progress="p", by=agency.unit_head
        )


def test_only_the_responsible_units_head_asks_for_an_extension(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第四] 谁就是第一责任人: the responsible unit asks, through its head."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.supervision.request_extension(
            task_id, new_deadline=date(2026, 3, 14), reason="r", progress="p", by=agency.drafter
        )


def test_one_extension_request_waits_for_its_answer(office: Office, agency: AgencyPeople) -> None:
    """[003 篇6 二(三)第三] 汇报沟通,同意后再延期: one request, one answer."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(NoExtensionRequested):
        office.supervision.grant_extension(task_id, by=agency.supervision_officer)
    office.supervision.request_extension(
        task_id, new_deadline=date(2026, 3, 14), reason="r", progress="p", by=agency.unit_head
    )
    with assert_nothing_recorded(office), pytest.raises(ExtensionAlreadyRequested):
        office.supervision.request_extension(
            task_id, new_deadline=date(2026, 3, 15), reason="r", progress="p", by=agency.unit_head
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.supervision.grant_extension(task_id, by=agency.unit_head)


def test_a_pending_extension_request_holds_overdue_detection(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 提前汇报沟通: a request made in time is not overdue while unanswered."""
    task_id = open_task(office, agency)
    office.supervision.request_extension(
        task_id,
        new_deadline=date(2026, 3, 14),
        reason="r",
        progress="p",
        by=agency.unit_head,
        at=at(3, 12),
    )
    assert office.tick(at(3, 13)) == []
    office.supervision.refuse_extension(
        task_id, reason="不同意", by=agency.supervision_officer, at=at(3, 13, 10)
    )
    assert [d.action for d in office.tick(at(3, 13, 11))] == ["WentOverdue"]


# --- completion, review, close-out (报结、审核、销号) ---------------------------------------


@pytest.mark.parametrize(
    "blank", ["background", "investigation", "handling_opinion", "implementation"]
)
def test_a_completion_report_states_background_investigation_opinion_and_implementation(
    office: Office, agency: AgencyPeople, blank: str
) -> None:
    """[003 篇6 二(三)第二] 务必有基本情况、调查情况、处理意见、落实情况,凡……不到位的一律不得上报."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(IncompleteCompletionReport) as refused:
        complete(office, task_id, agency.unit_head, **{blank: "  "})
    assert len(refused.value.details["missing"]) == 1
    assert office.supervision.get(task_id).status is SupervisionStatus.IN_PROGRESS


def test_the_completion_report_is_signed_by_the_responsible_units_head(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第一] 一律以本单位正式文件,经主要负责同志签发."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        complete(office, task_id, agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        complete(office, task_id, agency.unit_head2)
    complete(office, task_id, agency.unit_head)
    task = office.supervision.get(task_id)
    assert task.status is SupervisionStatus.REPORTED
    assert task.completion is not None and task.completion.background == REPORT["background"]


def test_a_rejected_report_goes_back_to_the_unit_with_new_requirements(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第四] 一次办理不合格的,直接向受件人督促查询,并重新交办,提出新的办理要求."""
    task_id = open_task(office, agency)
    complete(office, task_id, agency.unit_head, at=at(3, 5))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.supervision.reject_completion(task_id, reason="", by=agency.supervision_officer)
    office.supervision.reject_completion(
        task_id,
        reason="落实情况不具体,请补充整改时限",
        new_deadline=date(2026, 3, 19),
        by=agency.supervision_officer,
        at=at(3, 6),
    )
    task = office.supervision.get(task_id)
    assert task.status is SupervisionStatus.IN_PROGRESS
    assert task.deadline == date(2026, 3, 19) and task.rejections == 1
    assert [f.kind for f in task.failures] == [FailureKind.REJECTED]


def test_a_task_is_closed_out_only_with_an_accepted_result(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] 没有办理结果的不予销号,继续进行督办."""
    task_id = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(CloseOutWithoutResult):
        office.supervision.close_out(task_id, by=agency.supervision_officer)
    complete(office, task_id, agency.unit_head)
    with assert_nothing_recorded(office), pytest.raises(CloseOutWithoutResult):
        office.supervision.close_out(task_id, by=agency.supervision_officer)
    office.supervision.accept_completion(task_id, opinion="办理到位", by=agency.supervision_officer)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.supervision.close_out(task_id, by=agency.unit_head)
    office.supervision.close_out(task_id, by=agency.supervision_officer)
    task = office.supervision.get(task_id)
    assert task.status is SupervisionStatus.CLOSED_OUT
    assert task.accepted_completion == task.completion
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.supervision.close_out(task_id, by=agency.supervision_officer)


def test_a_task_reported_and_accepted_by_its_deadline_is_on_time(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第一] 在规定的办理时限内上报: on time means reported by the deadline."""
    early, late = (
        open_task(office, agency, source=hotline("A")),
        open_task(office, agency, source=hotline("B")),
    )
    complete(office, early, agency.unit_head, at=at(3, 12, 17))
    office.tick(at(3, 13))
    complete(office, late, agency.unit_head, at=at(3, 13, 10))
    for task_id in (early, late):
        office.supervision.accept_completion(task_id, by=agency.supervision_officer, at=at(3, 14))
        office.supervision.close_out(task_id, by=agency.supervision_officer, at=at(3, 14))
    assert office.supervision.get(early).on_time is True
    assert office.supervision.get(late).on_time is False


# --- overdue (逾期) -------------------------------------------------------------------------


def test_a_task_goes_overdue_the_day_after_its_deadline_exactly_once(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] 限期办理,专人统筹催办: the time step notes a missed deadline once."""
    task_id = open_task(office, agency)
    assert office.tick(at(3, 12, 23)) == []
    first = office.tick(at(3, 13))
    assert [(d.action, d.by, d.details["due"]) for d in first] == [
        ("WentOverdue", "system:tick", date(2026, 3, 12))
    ]
    assert office.tick(at(3, 13, 12)) == [] and office.tick(at(3, 20)) == []
    assert events_of(office, task_id).count("WentOverdue") == 1
    assert office.supervision.get(task_id).overdue


def test_a_reported_or_closed_task_does_not_go_overdue(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第三] 在规定的办理时限内上报: a result reported in time is not overdue."""
    reported, closed = (
        open_task(office, agency, source=hotline("A")),
        open_task(office, agency, source=hotline("B")),
    )
    complete(office, reported, agency.unit_head)
    complete(office, closed, agency.unit_head)
    office.supervision.accept_completion(closed, by=agency.supervision_officer)
    office.supervision.close_out(closed, by=agency.supervision_officer)
    assert office.tick(at(4, 1)) == []


def test_a_new_deadline_from_a_letter_can_be_missed_again(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] 仍达不到要求的,进行通报批评: each deadline missed is a failure of its own."""
    task_id = open_task(office, agency)
    office.tick(at(3, 13))
    office.supervision.urge(
        task_id,
        channel="督办函",
        new_deadline=date(2026, 3, 16),
        by=agency.supervision_officer,
        at=at(3, 13, 10),
    )
    office.tick(at(3, 17))
    task = office.supervision.get(task_id)
    assert [f.kind for f in task.failures] == [FailureKind.OVERDUE, FailureKind.OVERDUE]


# --- notices (通报) -------------------------------------------------------------------------


def _fail_twice(
    office: Office, agency: AgencyPeople, ref: str, lead_unit: str = "biz1"
) -> uuid.UUID:
    """A task of ``lead_unit`` that goes overdue (3-13), then has its report rejected (3-16)."""
    task_id = open_task(office, agency, source=hotline(ref), lead_unit=lead_unit)
    office.tick(at(3, 13))
    head = agency.unit_head if lead_unit == "biz1" else agency.unit_head2
    complete(office, task_id, head, at=at(3, 16))
    office.supervision.reject_completion(
        task_id, reason="不合格", by=agency.supervision_officer, at=at(3, 16, 10)
    )
    return task_id


def test_a_unit_that_fails_twice_in_a_period_is_named_in_a_notice(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文6 五 7] 对于2次以上完不成工作的,将在相关会议上通报."""
    task_id = _fail_twice(office, agency, "A")
    issued = office.supervision.issue_notices(
        period=NoticePeriod.month(2026, 3), by=agency.supervision_officer, at=at(4, 1)
    )
    assert len(issued) == 1
    notice = office.supervision.notice(issued[0])
    assert notice.unit == "biz1" and notice.task_ids == (task_id,)
    assert [f.kind for f in notice.failures] == [FailureKind.OVERDUE, FailureKind.REJECTED]
    assert [type(e).__name__ for e in office.store.events(issued[0])] == ["NoticeIssued"]
    assert "2 次" in notice.describe()


def test_a_unit_that_fails_once_is_not_named(office: Office, agency: AgencyPeople) -> None:
    """[000 范文6 五 7] 2次以上: one failure is not yet a notice."""
    open_task(office, agency)
    office.tick(at(3, 13))
    with assert_nothing_recorded(office):
        assert (
            office.supervision.issue_notices(
                period=NoticePeriod.month(2026, 3), by=agency.supervision_officer, at=at(4, 1)
            )
            == []
        )


def test_a_unit_is_named_once_per_period_however_often_notices_are_issued(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文6 五 7] 在相关会议上通报: one notice per unit and period (ADR 0012)."""
    _fail_twice(office, agency, "A")
    march = NoticePeriod.month(2026, 3)
    first = office.supervision.issue_notices(
        period=march, by=agency.supervision_officer, at=at(4, 1)
    )
    with assert_nothing_recorded(office):
        assert (
            office.supervision.issue_notices(
                period=march, by=agency.supervision_officer, at=at(4, 2)
            )
            == []
        )
    assert [n.id for n in office.supervision.notices(march)] == first
    quarter = office.supervision.issue_notices(
        period=NoticePeriod.quarter(2026, 1), by=agency.supervision_officer, at=at(4, 2)
    )
    assert len(quarter) == 1 and quarter != first


def test_failures_count_against_the_responsible_unit_only(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)第四] 领导同志将件批给谁,谁就是第一责任人: co-units are not named."""
    task_id = open_task(office, agency, co_units=["biz2"])
    office.tick(at(3, 13))
    complete(office, task_id, agency.unit_head, at=at(3, 16))
    office.supervision.reject_completion(
        task_id, reason="不合格", by=agency.supervision_officer, at=at(3, 17)
    )
    failures = office.supervision.failures_in(NoticePeriod.month(2026, 3))
    assert list(failures) == ["biz1"] and len(failures["biz1"]) == 2


def test_a_notice_waits_for_the_end_of_its_period(office: Office, agency: AgencyPeople) -> None:
    """[000 范文6 五 7] 2次以上完不成: the count is known once the period is over."""
    _fail_twice(office, agency, "A")
    with assert_nothing_recorded(office), pytest.raises(PeriodNotEnded):
        office.supervision.issue_notices(
            period=NoticePeriod.month(2026, 3), by=agency.supervision_officer, at=at(3, 31)
        )


def test_only_the_supervision_office_issues_notices(office: Office, agency: AgencyPeople) -> None:
    """[000 范文6 五 7] 局督查室……通报: notices come from the supervision office."""
    _fail_twice(office, agency, "A")
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.supervision.issue_notices(
            period=NoticePeriod.month(2026, 3), by=agency.unit_head, at=at(4, 1)
        )


# --- split tasks (分解) ----------------------------------------------------------------------


def test_a_split_task_has_numbered_child_tasks_for_other_units(
    office: Office, agency: AgencyPeople
) -> None:
    """[004 二(四)2] 交有关部门按时限要求落实: a task is split among the units that carry it out."""
    parent = open_task(office, agency, deadline=date(2026, 3, 31))
    children = office.supervision.split(
        parent,
        parts=[("biz1", "排水管疏通"), ("biz2", "路面修复", date(2026, 3, 20))],
        by=agency.supervision_officer,
    )
    kids = [office.supervision.get(c) for c in children]
    assert [str(k.number) for k in kids] == ["督〔2026〕1-1号", "督〔2026〕1-2号"]
    assert [k.lead_unit for k in kids] == ["biz1", "biz2"]
    assert [k.deadline for k in kids] == [date(2026, 3, 31), date(2026, 3, 20)]
    assert all(k.parent_id == parent for k in kids)
    assert office.supervision.get(parent).children == children
    assert office.supervision.find_by_number("督〔2026〕1-2号").id == children[1]


def test_child_progress_rolls_up_into_the_parent(office: Office, agency: AgencyPeople) -> None:
    """[004 二(四)2] 督查室随时将进展情况整理汇总: the parent shows its parts' progress."""
    parent = open_task(office, agency, deadline=date(2026, 3, 31))
    one, two = office.supervision.split(
        parent, parts=[("biz1", "甲"), ("biz2", "乙")], by=agency.supervision_officer
    )
    office.supervision.report_progress(one, percent=60, summary="过半", by=agency.drafter)
    assert office.supervision.get(parent).progress == 30
    complete(office, two, agency.unit_head2)
    office.supervision.accept_completion(two, by=agency.supervision_officer)
    office.supervision.close_out(two, by=agency.supervision_officer)
    assert office.supervision.get(parent).progress == 80


def test_a_split_task_reports_completion_only_when_every_part_is_closed_out(
    office: Office, agency: AgencyPeople
) -> None:
    """[000 范文4] 没有办理结果的不予销号: the whole has no result before every part has one."""
    parent = open_task(office, agency, deadline=date(2026, 3, 31))
    (child,) = office.supervision.split(
        parent, parts=[("biz2", "乙")], by=agency.supervision_officer
    )
    complete(office, child, agency.unit_head2)
    with assert_nothing_recorded(office), pytest.raises(ChildTasksOutstanding):
        complete(office, parent, agency.unit_head)
    office.supervision.accept_completion(child, by=agency.supervision_officer)
    office.supervision.close_out(child, by=agency.supervision_officer)
    complete(office, parent, agency.unit_head)
    assert office.supervision.get(parent).status is SupervisionStatus.REPORTED


def test_a_part_cannot_be_due_after_the_whole(office: Office, agency: AgencyPeople) -> None:
    """[004 二(四)2] 按时限要求落实: every part is due by the task's own deadline."""
    parent = open_task(office, agency)
    with assert_nothing_recorded(office), pytest.raises(ChildDeadlineAfterParent):
        office.supervision.split(
            parent, parts=[("biz2", "乙", date(2026, 3, 20))], by=agency.supervision_officer
        )


# --- storage -------------------------------------------------------------------------------


def test_a_tasks_whole_life_reads_back_the_same_from_every_store(store_url: str) -> None:
    """[000 范文4] 件件有回音: the record of a task, its notice and its links survives storage."""
    office = office_for_tests(store_url, start=T0)
    try:
        agency = standard_agency(office, T0)
        record_id = minutes(office, agency)
        task_id = open_task(
            office, agency, source=SourceRef(SourceKind.MEETING_DECISION, record_id, "1")
        )
        office.supervision.urge(task_id, channel="督查提示单", by=agency.supervision_officer)
        office.supervision.request_extension(
            task_id, new_deadline=date(2026, 3, 24), reason="r", progress="p", by=agency.unit_head
        )
        office.supervision.grant_extension(task_id, by=agency.supervision_officer)
        (child,) = office.supervision.split(
            task_id, parts=[("biz2", "乙")], by=agency.supervision_officer
        )
        office.supervision.report_progress(child, percent=40, summary="进行中", by=agency.drafter2)
        office.tick(at(3, 25))  # parent (biz1) and child (biz2) both miss 3-24
        complete(office, child, agency.unit_head2, at=at(3, 26))
        office.supervision.reject_completion(
            child, reason="补充", by=agency.supervision_officer, at=at(3, 26, 10)
        )
        office.supervision.issue_notices(
            period=NoticePeriod.month(2026, 3), by=agency.supervision_officer, at=at(4, 1)
        )
        live = office.supervision.get(task_id)
        # a second office on the same store reads it back (memory is per office)
        fresh = office if store_url == "memory" else office_for_tests(store_url, start=T0)
        try:
            for record in (task_id, child):
                replayed: Any = None
                events: list[Any] = fresh.store.events(record)
                for e in events:
                    replayed = e.mutate(replayed)
                assert vars(replayed) == vars(office.supervision.get(record))
            assert fresh.supervision.get(task_id).source == live.source
            assert fresh.supervision.tasks_of(record_id) == [task_id]
            assert [n.unit for n in fresh.supervision.notices()] == ["biz2"]
        finally:
            if fresh is not office:
                fresh.close()
    finally:
        office.close()
