"""Time and authority an auditor can trust (issue 11): the agency's business day, the
organisation as it stood on the act's day, one authority table, bounds on business time.

Each test is one of the edges where a second clock, a later organisation or a back-dated
entry meets the record: a caller writing UTC, a head who moved, a role that ended, a
substitute standing in beyond his own rank, a mistyped year.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.application.office import Office
from govoffice.cli import main
from govoffice.domain.authority import SubstituteBeyondAuthority
from govoffice.domain.document import (
    ClassificationOfficerRequired,
    DocumentStatus,
    PrincipalLeaderRequired,
    RevisionRequired,
)
from govoffice.domain.errors import (
    BeforeEstablishment,
    BeyondHorizon,
    BusinessTimeOutOfRange,
    InvalidInput,
    NotASubstitute,
    OrganisationHistoryConflict,
    PermissionDenied,
    UnitNotActive,
)
from govoffice.domain.incoming import LeaderRulesNotFollowed, ScreeningCheck
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.organisation import Role
from govoffice.domain.values import DocumentNumber
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    assert_trail_authorised,
    office_for_tests,
    outgoing_document,
    standard_agency,
)

SH = "Asia/Shanghai"


def bj(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> pendulum.DateTime:
    """A business time written on Beijing's clock."""
    return pendulum.datetime(year, month, day, hour, minute, tz=SH)


# --- the agency's business day ----------------------------------------------------------------


def test_the_numbering_year_is_the_agencys_year_whatever_zone_the_caller_writes(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(六)1] 发文字号按年度编号: 2026-12-31T16:30Z is 2027-01-01 00:30 in Beijing,
    so the document is numbered in 2027."""
    p = agency
    doc = outgoing_document(office, p, to=DocumentStatus.SIGNED, at=bj(12, 30, 9))
    utc = pendulum.datetime(2026, 12, 31, 16, 30, tz="UTC")

    number = office.documents.register(
        doc, by=p.secretary, distribution_scope="各处室", copies=5, at=utc
    )

    assert number == DocumentNumber("X政发", 2027, 1)
    # the event keeps the instant and the zone it was given
    registered = office.documents.history(doc)[-1]
    assert registered.at == utc and registered.at.timezone_name == "UTC"


def test_a_substitution_window_is_read_on_the_agencys_calendar(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 替代关系按日期: a substitute appointed for 03-10 cannot sign at
    03-11 03:00 Beijing, even written as 03-10T19:00Z."""
    p = agency
    office.org.appoint_substitute(
        leader=p.deputy,
        substitute=p.deputy2,
        start=date(2026, 3, 10),
        end=date(2026, 3, 10),
        by=p.admin,
        at=bj(3, 3),
    )
    doc = outgoing_document(office, p, to=DocumentStatus.AWAITING_SIGNATURE, at=bj(3, 4))
    late_utc = pendulum.datetime(2026, 3, 10, 19, 0, tz="UTC")  # 03-11 03:00 in Beijing

    with assert_nothing_recorded(office), pytest.raises(NotASubstitute) as refused:
        office.documents.sign(doc, by=p.deputy2, on_behalf_of=p.deputy, at=late_utc)
    assert refused.value.day == date(2026, 3, 11)

    office.documents.sign(
        doc, by=p.deputy2, on_behalf_of=p.deputy, at=pendulum.datetime(2026, 3, 10, 1, tz="UTC")
    )
    assert office.documents.get(doc).status is DocumentStatus.SIGNED


def test_countersign_reply_dates_count_from_the_agencys_day(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(三)2] 局内会签1个工作日内回复: sent on Friday 23:30 Beijing (15:30Z), the
    reply is due the next working day after Friday, not after Thursday... nor Saturday."""
    p = agency
    doc = outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEWED, at=bj(3, 5))
    friday_night = pendulum.datetime(2026, 3, 6, 15, 30, tz="UTC")  # Fri 03-06 23:30 Beijing

    due = office.documents.request_countersign(
        doc, by=p.unit_head, units=["legal"], at=friday_night
    )

    assert due == {"legal": date(2026, 3, 9)}  # Monday


# --- bounds on business time ----------------------------------------------------------------


def test_an_act_dated_before_the_agency_existed_is_refused(
    office: Office, agency: AgencyPeople
) -> None:
    """业务时间不得早于机关建立: a mistyped year in the past is refused and records nothing."""
    with assert_nothing_recorded(office), pytest.raises(BeforeEstablishment):
        office.documents.draft(
            by=agency.drafter,
            at=bj(3, 2, 9, year=2016),
            title="t",
            doc_type="通知",
            issuer_code="X政发",
            lead_unit="biz1",
            main_recipients=["各处室"],
            text="……",
        )


def test_a_mistyped_future_year_is_refused_and_does_not_lock_the_record(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0022: 2106 for 2026 is beyond the horizon; the organisation stays usable."""
    with assert_nothing_recorded(office), pytest.raises(BeyondHorizon):
        office.org.add_unit(
            unit_id="audit", name="审计处", by=agency.admin, at=bj(3, 23, year=2106)
        )
    with assert_nothing_recorded(office), pytest.raises(BusinessTimeOutOfRange):
        office.org.add_unit(
            unit_id="audit", name="审计处", by=agency.admin, at=bj(12, 31, 23, year=9999)
        )
    office.org.add_unit(unit_id="audit", name="审计处", by=agency.admin, at=bj(3, 3))
    assert office.queues.overdue() == []


def test_a_date_no_calendar_can_carry_is_bad_input(office: Office, agency: AgencyPeople) -> None:
    """A business time at the end of the calendar is InvalidInput even without a horizon."""
    office.horizon = None
    with assert_nothing_recorded(office), pytest.raises(BusinessTimeOutOfRange):
        office.org.add_unit(
            unit_id="audit", name="审计处", by=agency.admin, at=bj(12, 31, 23, year=9999)
        )


# --- the organisation as it stood on the act's day ---------------------------------------------


def test_a_head_who_moved_after_the_day_cannot_review_back_dated_work(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(一)1(4)] 处室负责人审核: authority is judged on the act's day. Wang headed
    业务一处 until 03-10, then moved; Liu heads it from 03-10. A review dated 03-09 is Wang's,
    one dated 03-11 is Liu's, whatever the order they are entered in."""
    p = agency
    early = outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEW, at=bj(3, 3))
    office.org.move_person(person_id=p.unit_head, unit="personnel", by=p.admin, at=bj(3, 10))
    office.org.move_person(person_id=p.unit_head2, unit="biz1", by=p.admin, at=bj(3, 10))

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.review(early, by=p.unit_head2, at=bj(3, 9))  # not yet its head
    office.documents.review(early, by=p.unit_head, at=bj(3, 9))  # its head that day

    later = outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEW, at=bj(3, 10, 10))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.review(later, by=p.unit_head, at=bj(3, 11))  # moved away
    office.documents.review(later, by=p.unit_head2, at=bj(3, 11))

    for doc in (early, later):
        trail = office.audit.trail(doc)
        assert all(e.check.held is not False for e in trail), trail.describe()


def test_supervision_divisions_are_held_over_time(office: Office, agency: AgencyPeople) -> None:
    """[001 收文 五(二)1(1)] 分管 has a history: the leader who supervised a unit on a day."""
    p = agency
    office.org.assign_supervision(
        leader=p.deputy2, units=["biz1", "biz2"], by=p.admin, at=bj(3, 10)
    )
    office.org.assign_supervision(leader=p.deputy, units=["legal"], by=p.admin, at=bj(3, 10))
    org = office.org.current()

    assert org.supervising_leaders("biz1", bj(3, 9)) == (p.deputy,)
    assert org.supervising_leaders("biz1", bj(3, 10)) == (p.deputy2,)
    assert org.supervised_by(p.deputy, bj(3, 11)) == frozenset({"legal"})


def test_a_back_dated_change_is_taken_unless_it_contradicts_a_later_one(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0023: an organisation change may be entered late with its effective date, unless
    the same subject already has a later change."""
    p = agency
    office.org.add_unit(unit_id="audit", name="审计处", by=p.admin, at=bj(3, 10))
    office.org.add_unit(unit_id="audit2", name="审计二处", by=p.admin, at=bj(3, 5))  # other subject
    assert office.org.current().unit_active("audit2", bj(3, 6))

    office.org.move_person(person_id=p.drafter, unit="biz2", by=p.admin, at=bj(3, 12))
    with assert_nothing_recorded(office), pytest.raises(OrganisationHistoryConflict):
        office.org.move_person(person_id=p.drafter, unit="legal", by=p.admin, at=bj(3, 11))


def test_a_named_person_whose_role_ended_no_longer_acts_as_it(
    office: Office, agency: AgencyPeople
) -> None:
    """A drafter whose DRAFTER role was revoked no longer revises or submits his draft; an
    original signer no longer a leader does not approve amendments [001 发文 五(五)3]."""
    p = agency
    draft = outgoing_document(office, p, to=DocumentStatus.DRAFT, at=bj(3, 3))
    signed = outgoing_document(office, p, to=DocumentStatus.SIGNED, at=bj(3, 3, 10))
    signer = office.documents.get(signed).signed_by
    assert signer is not None
    office.org.revoke_role(person_id=p.drafter, role=Role.DRAFTER, by=p.admin, at=bj(3, 5))
    office.org.revoke_role(person_id=signer, role=Role.LEADER, by=p.admin, at=bj(3, 5))

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.revise(draft, by=p.drafter, at=bj(3, 6), title="新标题")
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.submit_for_review(draft, by=p.drafter, at=bj(3, 6))
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.approve_amendment(
            signed, by=signer, text="改后正文", reason="更正数字", at=bj(3, 6)
        )
    # before the role ended it was his to do
    office.documents.submit_for_review(draft, by=p.drafter, at=bj(3, 4))


def test_a_unit_head_standing_in_for_the_principal_does_not_sign_an_important_document(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1] 重要公文由主要负责人签发: a substitute acts only within authority he
    could hold himself; a unit head cannot sign as the principal leader."""
    p = agency
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.office_head,
        start=date(2026, 3, 9),
        end=date(2026, 3, 13),
        by=p.admin,
        at=bj(3, 3),
    )
    doc = outgoing_document(
        office, p, to=DocumentStatus.AWAITING_SIGNATURE, at=bj(3, 4), important=True
    )

    with assert_nothing_recorded(office), pytest.raises(SubstituteBeyondAuthority):
        office.documents.sign(doc, by=p.office_head, on_behalf_of=p.principal, at=bj(3, 10))


def test_a_classified_signature_on_someones_behalf_needs_the_officers_designee(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1] 涉密公文由定密责任人或其指定的代理人签发."""
    p = agency
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy,
        start=date(2026, 3, 9),
        end=date(2026, 3, 11),
        by=p.admin,
        at=bj(3, 3),
    )
    office.org.appoint_substitute(
        leader=p.principal,
        substitute=p.deputy2,
        start=date(2026, 3, 12),
        end=date(2026, 3, 13),
        classified=True,
        by=p.admin,
        at=bj(3, 3),
    )
    form = {"classification": "机密", "secrecy_period": "10年", "disclosure": "不予公开"}
    doc = outgoing_document(office, p, to=DocumentStatus.AWAITING_SIGNATURE, at=bj(3, 4), **form)

    with assert_nothing_recorded(office), pytest.raises(SubstituteBeyondAuthority):
        office.documents.sign(doc, by=p.deputy, on_behalf_of=p.principal, at=bj(3, 10))
    with assert_nothing_recorded(office), pytest.raises(ClassificationOfficerRequired):
        office.documents.sign(doc, by=p.deputy, at=bj(3, 10))
    office.documents.sign(doc, by=p.deputy2, on_behalf_of=p.principal, at=bj(3, 12))

    entry = office.audit.trail(doc).entries[-1]
    assert entry.check.held and entry.check.substitute_valid


def test_only_the_principal_signs_an_important_document(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(五)1] 重要公文由主要负责人签发 (the named error is kept)."""
    p = agency
    doc = outgoing_document(
        office, p, to=DocumentStatus.AWAITING_SIGNATURE, at=bj(3, 4), important=True
    )
    with assert_nothing_recorded(office), pytest.raises(PrincipalLeaderRequired):
        office.documents.sign(doc, by=p.deputy, at=bj(3, 5))


def test_a_returned_draft_is_not_resubmitted_unchanged(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 发文 五(四)1(4)] 退回的文稿由主办处室修改后重新报送."""
    p = agency
    doc = outgoing_document(office, p, to=DocumentStatus.RETURNED, at=bj(3, 3))

    with assert_nothing_recorded(office), pytest.raises(RevisionRequired):
        office.documents.submit_for_review(doc, by=p.drafter, at=bj(3, 4))
    with assert_nothing_recorded(office), pytest.raises(RevisionRequired):
        office.documents.revise(doc, by=p.drafter, at=bj(3, 4))  # nothing changed

    office.documents.revise(doc, by=p.drafter, at=bj(3, 4), text="按审核意见修改后的正文")
    office.documents.submit_for_review(doc, by=p.drafter, at=bj(3, 4, 10))
    assert office.documents.get(doc).status is DocumentStatus.UNIT_REVIEW


# --- restructuring ------------------------------------------------------------------------------


def test_a_merged_units_open_work_is_handed_to_the_successor(
    office: Office, agency: AgencyPeople
) -> None:
    """处室合并: the unit ends, its people move, and each open record's work passes to the
    unit it merged into, with an event on the record's trail."""
    p = agency
    open_doc = outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEW, at=bj(3, 3))
    done = outgoing_document(office, p, to=DocumentStatus.ARCHIVED, at=bj(3, 3, 10))

    handed = office.org.merge_unit(unit_id="biz1", into="biz2", by=p.admin, at=bj(3, 20))

    assert handed == 1
    doc = office.documents.get(open_doc)
    assert doc.form.lead_unit == "biz2"
    assert office.documents.history(open_doc)[-1].action == "UnitHandedOver"
    assert office.documents.get(done).form.lead_unit == "biz1"
    org = office.org.current()
    assert org.unit_of(p.drafter, bj(3, 21)) == "biz2"
    assert org.unit_of(p.drafter, bj(3, 19)) == "biz1"
    assert not org.unit_active("biz1", bj(3, 21))
    # it waits on biz2's head now, in the queue too, and he reviews what was biz1's draft
    office.clock.set(bj(3, 21))  # type: ignore[attr-defined]
    waiting = [i for i in office.queues.for_person(p.unit_head2) if i.record_id == str(open_doc)]
    assert [i.unit for i in waiting] == ["biz2"]
    office.documents.review(open_doc, by=p.unit_head2, at=bj(3, 21))
    with assert_nothing_recorded(office), pytest.raises(UnitNotActive):
        office.org.move_person(person_id=p.drafter2, unit="biz1", by=p.admin, at=bj(3, 22))


def test_a_unit_is_dissolved_only_when_its_people_have_moved(
    office: Office, agency: AgencyPeople
) -> None:
    """处室撤销: its people move first; the successor takes its open work."""
    p = agency
    doc = outgoing_document(office, p, to=DocumentStatus.DRAFT, at=bj(3, 3), lead_unit="biz1")
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.org.dissolve_unit(unit_id="biz1", successor="biz2", reason="机构改革", by=p.admin)

    for person in (p.drafter, p.unit_head):
        office.org.move_person(person_id=person, unit="biz2", by=p.admin, at=bj(3, 9))
    assert (
        office.org.dissolve_unit(
            unit_id="biz1", successor="biz2", reason="机构改革", by=p.admin, at=bj(3, 10)
        )
        == 1
    )
    assert office.documents.get(doc).form.lead_unit == "biz2"


def test_a_renamed_unit_keeps_its_old_name_for_earlier_decisions(
    office: Office, agency: AgencyPeople
) -> None:
    """处室更名: the name a clerk reads is the one the unit had then."""
    office.org.rename_unit(unit_id="biz1", name="运输管理处", by=agency.admin, at=bj(3, 10))
    org = office.org.current()
    assert org.unit_name("biz1", bj(3, 9)) == "业务一处"
    assert org.unit_name("biz1", bj(3, 10)) == "运输管理处"
    assert org.unit("biz1").name == "运输管理处"


# --- recording time and late entries (补录, ADR 0025) -------------------------------------------


class _Clock:
    def __init__(self, now: pendulum.DateTime) -> None:
        self.now_ = now

    def __call__(self) -> pendulum.DateTime:
        return self.now_


def _signed_late(office: Office, p: AgencyPeople) -> tuple[object, _Clock]:
    """A document awaiting signature; the deputy's LEADER role ends on 03-20; from 03-21 on
    the clerk's screen records on 03-23 (the recording clock)."""
    recording = _Clock(bj(3, 5))
    office.recording_clock = recording
    doc = outgoing_document(office, p, to=DocumentStatus.AWAITING_SIGNATURE, at=bj(3, 5))
    office.org.revoke_role(person_id=p.deputy, role=Role.LEADER, by=p.admin, at=bj(3, 20))
    recording.now_ = bj(3, 23, 10)
    return doc, recording


def test_a_back_dated_act_is_flagged_as_a_late_entry_with_both_times(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0025: a signature dated 03-19 but entered on 03-23 by a deputy whose LEADER role
    ended on 03-20 is accepted (he held it on 03-19), and the trail shows when it happened,
    when it was recorded, 补录, and that he no longer held the authority when recorded."""
    p = agency
    doc, _ = _signed_late(office, p)

    office.documents.sign(doc, by=p.deputy, at=bj(3, 19))

    entry = office.audit.trail(doc).entries[-1]
    assert entry.decision.at == bj(3, 19)
    assert entry.recorded_at == bj(3, 23, 10)
    assert entry.check.held is True
    assert entry.late and entry.held_when_recorded is False
    text = office.audit.trail(doc).describe()
    assert "补录" in text and "录入时已无权" in text
    report = office.audit.late_entries(year=2026)
    assert report.count == 1 and report.after_authority_ended == 1


def test_under_the_strict_policy_the_general_office_enters_it_with_a_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0025: with the strict policy, a person whose authority ended by the recording time
    cannot back-date an act; the general office enters it for him with a reason, and the
    trail names both."""
    p = agency
    office.org.set_late_entry_policy(delay_hours=24, strict=True, by=p.admin, at=bj(3, 3))
    doc, _ = _signed_late(office, p)

    with assert_nothing_recorded(office), pytest.raises(PermissionDenied) as refused:
        office.documents.sign(doc, by=p.deputy, at=bj(3, 19))
    assert type(refused.value).__name__ == "LateEntryRefused"
    with (
        assert_nothing_recorded(office),
        pytest.raises(PermissionDenied),
        office.late_entry(by=p.drafter, reason="纸质签批单补录"),  # not the office
    ):
        office.documents.sign(doc, by=p.deputy, at=bj(3, 19))

    with office.late_entry(by=p.secretary, reason="纸质签批单补录"):
        office.documents.sign(doc, by=p.deputy, opinion="同意", at=bj(3, 19))

    trail = office.audit.trail(doc)
    signed = next(e for e in trail if e.decision.action == "Signed")
    assert signed.late and signed.entered_by == p.secretary
    assert signed.entry_reason == "纸质签批单补录"
    assert trail.entries[-1].decision.action == "LateEntryRecorded"
    assert trail.entries[-1].check.held is True
    assert office.audit.late_entries().entered_by_office == 1


def test_an_entry_within_the_delay_is_not_late(office: Office, agency: AgencyPeople) -> None:
    """ADR 0025: an act recorded within the policy's delay is timely."""
    p = agency
    doc, recording = _signed_late(office, p)
    recording.now_ = bj(3, 19, 12)
    office.documents.sign(doc, by=p.deputy, at=bj(3, 19))
    entry = office.audit.trail(doc).entries[-1]
    assert not entry.late and entry.held_when_recorded is None


def test_a_back_dated_organisation_change_does_not_turn_an_accepted_act_into_無权(
    office: Office, agency: AgencyPeople
) -> None:
    """ADR 0023: the trail judges a decision against the organisation as it was recorded
    when the decision was; a later back-dated change that judges it otherwise is noted."""
    p = agency
    recording = _Clock(bj(3, 5))
    office.recording_clock = recording
    doc = outgoing_document(office, p, to=DocumentStatus.AWAITING_SIGNATURE, at=bj(3, 5))
    recording.now_ = bj(3, 10)
    office.documents.sign(doc, by=p.deputy, at=bj(3, 10))
    recording.now_ = bj(3, 15)  # later, the role is recorded as ended on 03-08
    office.org.revoke_role(person_id=p.deputy, role=Role.LEADER, by=p.admin, at=bj(3, 8))

    signed = office.audit.trail(doc).entries[-1]
    assert signed.check.held is True
    assert signed.now_known is not None and signed.now_known.held is False
    assert "按现行组织记录: 无权" in signed.describe()


def test_the_command_line_trail_shows_both_times_and_the_late_entry(tmp_path: Path) -> None:
    """`govoffice audit trail ID` shows business time, recording time and 补录; `govoffice
    audit late-entries` counts them (ADR 0025)."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = office_for_tests(url, start=bj(3, 2))
    p = standard_agency(office, bj(3, 2))
    doc, _ = _signed_late(office, p)
    office.documents.sign(doc, by=p.deputy, at=bj(3, 19))
    office.close()
    runner = CliRunner()

    text = runner.invoke(main, ["audit", "trail", str(doc), "--store", url])
    assert text.exit_code == 0, text.output
    signed = next(line for line in text.output.splitlines() if "Signed" in line)
    assert "2026-03-19 09:00:00+08:00" in signed  # business time
    assert "录入于 2026-03-23T10:00:00+08:00" in signed  # recording time
    assert "补录" in signed and "录入时已无权" in signed

    as_csv = runner.invoke(main, ["audit", "trail", str(doc), "--format", "csv", "--store", url])
    row = next(r for r in csv.DictReader(io.StringIO(as_csv.output)) if r["action"] == "Signed")
    assert (row["late_entry"], row["held_when_recorded"]) == ("True", "False")

    counted = runner.invoke(main, ["audit", "late-entries", "--year", "2026", "--store", url])
    assert counted.exit_code == 0, counted.output
    assert "补录 late entries (2026 年): 1; 录入时已无权 1" in counted.output


# --- one record's clock does not refuse another's work -------------------------------------


def test_units_reporting_on_the_parts_of_a_task_in_any_order_are_not_refused(
    office: Office, agency: AgencyPeople
) -> None:
    """[003 篇6 二(三)] 分解事项各自报告进展: the unit that enters a report dated 09:00 after
    another unit entered one dated 10:00 is not refused because of the parent's roll-up."""
    p = agency
    task = office.supervision.open(
        source=SourceRef(SourceKind.HOTLINE, reference="市长热线 2026-0301"),
        title="解决小区停车难",
        lead_unit="biz1",
        deadline=date(2026, 4, 30),
        by=p.supervision_officer,
        at=bj(3, 3),
    )
    first, second = office.supervision.split(
        task,
        parts=[("biz1", "摸排车位"), ("biz2", "协调物业")],
        by=p.supervision_officer,
        at=bj(3, 4),
    )
    office.supervision.report_progress(
        second, percent=40, summary="已协调两个小区", by=p.drafter2, at=bj(3, 10, 10)
    )
    office.supervision.report_progress(
        first, percent=60, summary="摸排完毕", by=p.drafter, at=bj(3, 10, 9)
    )

    parent = office.supervision.get(task)
    assert parent.progress == 50
    assert_trail_authorised(office, task)


# --- 分办 follows the leader rules -------------------------------------------------------------


def _screened(office: Office, p: AgencyPeople, **flags: bool) -> object:
    inc = office.incoming
    doc = inc.receive(
        sender="省交通运输厅", title="关于开展春运工作的通知", by=p.receiving_secretary, at=bj(3, 3)
    )
    inc.register(doc, sender_type="government", by=p.receiving_secretary, at=bj(3, 3, 10), **flags)
    inc.screen(
        doc, results=dict.fromkeys(ScreeningCheck, True), by=p.receiving_secretary, at=bj(3, 3, 11)
    )
    return doc


def test_a_document_from_a_superior_goes_to_the_principal_and_the_supervising_leader(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(3)] 上级来文,呈主要领导和分管领导."""
    p = agency
    doc = _screened(office, p, from_superior=True)
    assign = {"kind": "action", "proposal": "呈领导阅示", "lead_unit": "biz1", "by": p.office_head}

    with assert_nothing_recorded(office), pytest.raises(LeaderRulesNotFollowed) as refused:
        office.incoming.assign(doc, leaders=[p.deputy], at=bj(3, 4), **assign)
    assert refused.value.missing == (p.principal,)

    office.incoming.assign(doc, leaders=[p.principal, p.deputy], at=bj(3, 4), **assign)


def test_a_policy_document_goes_to_the_away_leader_as_well_as_the_substitute(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1(2)] 政策性文件不论出差与否,同时呈报."""
    p = agency
    office.org.appoint_substitute(
        leader=p.deputy,
        substitute=p.deputy2,
        start=date(2026, 3, 4),
        end=date(2026, 3, 8),
        by=p.admin,
        at=bj(3, 3),
    )
    doc = _screened(office, p, policy_document=True)
    assign = {"kind": "action", "proposal": "呈领导阅示", "lead_unit": "biz1", "by": p.office_head}

    with assert_nothing_recorded(office), pytest.raises(LeaderRulesNotFollowed):
        office.incoming.assign(doc, leaders=[p.deputy2], at=bj(3, 5), **assign)
    suggested = office.incoming.suggest_routing(doc, at=bj(3, 5), concerned_units=["biz1"])
    assert set(suggested.leaders) == {p.deputy, p.deputy2}
    # the reasons name units and leaders as a clerk reads them
    assert any("何副局长出差" in r and "胡副局长" in r for r in suggested.reasons)
    assert not any(p.deputy in r for r in suggested.reasons)

    office.incoming.assign(doc, leaders=[p.deputy2, p.deputy], at=bj(3, 5), **assign)


def test_only_the_office_head_departs_from_the_leader_rules_and_only_with_a_reason(
    office: Office, agency: AgencyPeople
) -> None:
    """[001 收文 五(二)1] 办公室负责人可以改变拟办建议,但须说明理由,理由载入记录."""
    p = agency
    office.org.add_unit(unit_id="party2", name="机关党委", functions=["party_work"], by=p.admin)
    doc = _screened(office, p, from_superior=True)
    assign = {"kind": "action", "proposal": "呈何副局长阅示", "lead_unit": "biz1"}

    with assert_nothing_recorded(office), pytest.raises(LeaderRulesNotFollowed):
        office.incoming.assign(doc, leaders=[p.deputy], by=p.office_head, at=bj(3, 4), **assign)
    office.incoming.assign(
        doc,
        leaders=[p.deputy],
        override_reason="陈局长已在专题会上听取汇报,由分管领导阅示",
        by=p.office_head,
        at=bj(3, 4),
        **assign,
    )
    assigned = office.incoming.history(doc)[-1]
    assert assigned.details["override_reason"].startswith("陈局长已在专题会上听取汇报")
    assert "陈局长已在专题会上听取汇报" in assigned.describe()


def test_a_receipt_number_is_found_by_its_printed_form(
    office: Office, agency: AgencyPeople
) -> None:
    """收文编号 as printed (X局收〔2026〕1号) finds the document; a malformed one is refused."""
    doc = _screened(office, agency)
    assert office.incoming.find_by_receipt_number("X局收〔2026〕1号").id == doc
    with pytest.raises(InvalidInput):
        office.incoming.find_by_receipt_number("X局收(2026)1号")


def test_every_opinion_and_reason_is_in_the_trail(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(四)3(6)三] 会签意见, and the reason a dissent was not adopted, are in the
    trail's opinion column and in describe()."""
    p = agency
    doc = outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEWED, at=bj(3, 3))
    office.documents.request_countersign(doc, by=p.unit_head, units=["legal"], at=bj(3, 3, 10))
    office.documents.countersign(
        doc,
        party="legal",
        agree=False,
        opinion="第三条与上位法不一致",
        by=p.legal_head,
        at=bj(3, 3, 11),
    )
    office.documents.resolve_opinion(
        doc, party="legal", adopted=False, reason="已另行请示省厅", by=p.unit_head, at=bj(3, 3, 12)
    )

    trail = office.audit.trail(doc)
    by_action = {e.decision.action: e for e in trail}
    assert by_action["Countersigned"].opinion == "第三条与上位法不一致"
    assert "已另行请示省厅" in by_action["OpinionResolved"].opinion
    assert "第三条与上位法不一致" in by_action["Countersigned"].decision.describe()
    assert "已另行请示省厅" in trail.describe()
