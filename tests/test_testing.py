"""[issue 7] ``govoffice.testing``: builders reach every status, Scenario passes and fails as
it should, and the strategies produce valid values."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import PermissionDenied, WrongStatus
from govoffice.domain.incoming import IncomingStatus
from govoffice.domain.meeting import MeetingPlanStatus, MeetingStatus
from govoffice.domain.proposal import ProposalStatus
from govoffice.domain.supervision import SupervisionStatus
from govoffice.domain.target import DeductionStatus, TargetTableStatus
from govoffice.domain.values import DocumentNumber
from govoffice.testing import (
    AgencyPeople,
    Scenario,
    SettableClock,
    incoming_document,
    meeting,
    office_for_tests,
    outgoing_document,
    proposal,
    standard_agency,
    supervision_task,
    target_deduction,
    target_table,
)
from govoffice.testing.strategies import (
    ZONES,
    business_times,
    document_numbers,
    draft_forms,
    indicator_points,
    person_ids,
    target_indicators,
    tracking_means,
)

BUILDERS: list[tuple[Callable[..., Any], Any, str]] = [
    (outgoing_document, DocumentStatus, "documents"),
    (incoming_document, IncomingStatus, "incoming"),
    (proposal, ProposalStatus, "proposals"),
    (supervision_task, SupervisionStatus, "supervision"),
    (meeting, MeetingStatus, "meetings"),
    (target_table, TargetTableStatus, "targets"),
]
CASES = [
    pytest.param(build, status, area, id=f"{build.__name__}-{status.value}")
    for build, statuses, area in BUILDERS
    for status in statuses
]


@pytest.mark.parametrize(("build", "status", "area"), CASES)
def test_each_builder_reaches_each_status_through_the_public_commands(
    office: Office, agency: AgencyPeople, build: Callable[..., Any], status: Any, area: str
) -> None:
    """[issue 7] builders for each aggregate in each state."""
    extra = {"result": "B"} if status is ProposalStatus.FOLLOWING_UP else {}
    record = build(office, agency, to=status, **extra)
    service = getattr(office, area)
    assert service.get(record).status is status
    history = service.history(record)
    times = [d.at for d in history]
    assert times == sorted(times) and times[0] >= pendulum.datetime(
        2026, 3, 2, 9, tz="Asia/Shanghai"
    )
    assert office.clock.now() >= times[-1]


def test_the_cases_cover_every_status_of_every_builder() -> None:
    """No status is left out of the parametrized test (the meeting's PLANNED and MERGED too)."""
    covered = {(c.values[0], c.values[1]) for c in CASES}
    assert covered == {(b, s) for b, statuses, _ in BUILDERS for s in statuses}
    assert {MeetingStatus.PLANNED, MeetingStatus.MERGED} <= {s for b, s in covered if b is meeting}


@pytest.mark.parametrize("status", list(DeductionStatus), ids=lambda s: s.value)
def test_the_deduction_builder_reaches_each_status_through_the_public_commands(
    office: Office, agency: AgencyPeople, status: DeductionStatus
) -> None:
    """[issue 13] 扣分 → 整改 → 不计入 / 计入, on a table the builder issues."""
    table, number = target_deduction(office, agency, status)
    record = office.targets.get(table)
    assert record.status is TargetTableStatus.ISSUED
    assert record.deductions[number].status is status
    assert office.clock.now() >= office.targets.history(table)[-1].at  # type: ignore[operator]
    again, second = target_deduction(office, agency, status, table=table, indicator=3)
    assert again == table and second == number + 1
    assert office.targets.get(table).deductions[second].unit == "biz2"


def test_a_table_built_in_december_is_next_years(office: Office, agency: AgencyPeople) -> None:
    """[001 目标管理 四(一)1] drafted before New Year, the table is for the coming year and is
    tracked from its first quarter."""
    at = pendulum.datetime(2026, 12, 3, 9, tz="Asia/Shanghai")
    table = target_table(office, agency, TargetTableStatus.ISSUED, at=at)
    record = office.targets.get(table)
    assert (record.year, record.first_quarter) == (2027, 1)


def test_a_builder_refuses_a_status_it_does_not_reach(office: Office, agency: AgencyPeople) -> None:
    wrong: Any = MeetingStatus.HELD  # every builder now reaches each of its own statuses
    with pytest.raises(ValueError, match="not reached"):
        supervision_task(office, agency, to=wrong)


SHANGHAI = "Asia/Shanghai"


def test_planned_meetings_share_the_years_plan_on_one_office(
    office: Office, agency: AgencyPeople
) -> None:
    """The standard agency stands only from 2 March 2026: the 2026 plan is collected late
    (补报) by the first call and reopened for a row of its own by the second."""
    m = office.meetings
    first = meeting(office, agency, to=MeetingStatus.PLANNED)
    second = meeting(office, agency, to=MeetingStatus.PLANNED)
    assert first != second
    assert m.get(first).status is m.get(second).status is MeetingStatus.PLANNED
    plan = m.plan_for(2026)
    assert plan.status is MeetingPlanStatus.APPROVED
    assert plan.scheduled == {1: first, 2: second}
    assert all(row.late_reason for row in plan.rows.values())
    actions = [d.action for d in m.plan_history(2026)]
    assert actions.count("Opened") == 1 and actions.count("Reopened") == 1
    assert actions.count("Approved") == 2
    assert m.get(second).plan_serial == 2
    assert m.get(second).starts_at.year == 2026


def test_an_agency_standing_in_december_has_the_plan_approved_then() -> None:
    clock = SettableClock(pendulum.datetime(2025, 11, 20, 9, tz=SHANGHAI))
    office = office_for_tests()
    office.clock = clock
    try:
        people = standard_agency(office)
        clock.set(pendulum.datetime(2026, 3, 2, 9, tz=SHANGHAI))
        first = meeting(office, people, to=MeetingStatus.PLANNED)
        m = office.meetings
        history = m.plan_history(2026)
        approved = next(d for d in history if d.action == "Approved")
        assert approved.at == pendulum.datetime(2025, 12, 15, 10, tz=SHANGHAI)
        assert history[0].at == pendulum.datetime(2025, 12, 1, 9, tz=SHANGHAI)
        assert m.plan_for(2026).row(1).late_reason == ""
        assert m.history(first)[0].at == pendulum.datetime(2026, 3, 2, 9, tz=SHANGHAI)
        second = meeting(office, people, to=MeetingStatus.PLANNED)
        assert m.get(second).status is MeetingStatus.PLANNED
        assert m.plan_for(2026).scheduled == {1: first, 2: second}
    finally:
        office.close()


def test_a_planned_meeting_at_a_given_time_is_in_the_plan_of_its_year(
    office: Office, agency: AgencyPeople
) -> None:
    start = pendulum.datetime(2026, 12, 20, 10, tz=SHANGHAI)
    record = meeting(office, agency, to=MeetingStatus.PLANNED, at=start)
    built = office.meetings.get(record)
    assert built.status is MeetingStatus.PLANNED
    assert built.starts_at == pendulum.datetime(2027, 1, 10, 9, tz=SHANGHAI)
    assert office.meetings.plan_for(2027).scheduled == {1: record}
    # the agency stood in December 2026: the 2027 plan was approved then, before ``at``
    approved = office.meetings.plan_history(2027)[-2]
    assert (approved.action, approved.at) == (
        "Approved",
        pendulum.datetime(2026, 12, 15, 10, tz=SHANGHAI),
    )
    assert office.meetings.history(record)[0].at == start == office.clock.now()


def test_the_builder_does_not_finish_a_plan_still_being_collected(
    office: Office, agency: AgencyPeople
) -> None:
    office.meetings.open_plan(year=2026, by=agency.secretary)
    with pytest.raises(ValueError, match="approved plan"):
        meeting(office, agency, to=MeetingStatus.PLANNED)


def test_a_merged_meeting_names_the_meeting_it_was_merged_into(
    office: Office, agency: AgencyPeople
) -> None:
    start = pendulum.datetime(2026, 5, 11, 9, tz=SHANGHAI)
    record = meeting(office, agency, to=MeetingStatus.MERGED, at=start)
    merged = office.meetings.get(record)
    assert merged.status is MeetingStatus.MERGED
    into = office.meetings.get(merged.merged_into)
    assert into.status is MeetingStatus.APPROVED and into.absorbed == (record,)
    assert office.meetings.history(record)[0].at == start
    assert office.meetings.history(into.id)[0].at == start.add(days=1, minutes=10)
    assert office.clock.now() == office.meetings.history(record)[-1].at


def test_builders_take_steps_at_advancing_times_from_the_office_clock(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    first = outgoing_document(office, agency, DocumentStatus.SIGNED)
    signed_at = office.documents.history(first)[-1].at
    assert clock.now() == signed_at == pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    second = outgoing_document(office, agency, DocumentStatus.DRAFT, title="另一份通知")
    assert office.documents.get(second).drafted_at == signed_at


def test_scenario_passes_when_the_events_are_recorded(office: Office, agency: AgencyPeople) -> None:
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    scenario = (
        Scenario(office)
        .given(lambda: office.documents.get(doc))
        .when(lambda: office.documents.sign(doc, by=agency.deputy))
        .then_recorded("Signed")
    )
    assert scenario.recorded == ["Signed"] and scenario.refusal is None


def test_scenario_passes_when_refused_and_nothing_recorded(
    office: Office, agency: AgencyPeople
) -> None:
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    scenario = Scenario(office).when(lambda: office.documents.sign(doc, by=agency.drafter))
    scenario.then_refused(PermissionDenied)
    assert isinstance(scenario.refusal, PermissionDenied) and scenario.recorded == []


def test_scenario_fails_on_other_events_a_refusal_or_the_wrong_error(
    office: Office, agency: AgencyPeople
) -> None:
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    allowed = Scenario(office).when(lambda: office.documents.sign(doc, by=agency.deputy))
    with pytest.raises(AssertionError, match=r"recorded \['Signed'\]"):
        allowed.then_recorded("Reviewed")
    with pytest.raises(AssertionError, match="it was allowed"):
        allowed.then_refused(PermissionDenied)
    other = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    refused = Scenario(office).when(lambda: office.documents.sign(other, by=agency.drafter))
    with pytest.raises(AssertionError, match="but refused: PermissionDenied"):
        refused.then_recorded("Signed")
    with pytest.raises(AssertionError, match="expected WrongStatus, but refused with"):
        refused.then_refused(WrongStatus)
    with pytest.raises(AssertionError, match="when"):
        Scenario(office).then_recorded()


def test_scenario_given_steps_run_before_the_when(office: Office, agency: AgencyPeople) -> None:
    doc = outgoing_document(office, agency, DocumentStatus.OFFICE_REVIEW)
    (
        Scenario(office)
        .given(lambda: office.documents.office_review(doc, by=agency.office_head))
        .when(lambda: office.documents.sign(doc, by=agency.deputy))
        .then_recorded("Signed")
    )


@given(document_numbers())
def test_document_numbers_read_back_as_written(number: DocumentNumber) -> None:
    assert DocumentNumber.parse(str(number)) == number


@given(business_times())
def test_business_times_are_zone_aware_pendulum_times(at: pendulum.DateTime) -> None:
    assert isinstance(at, pendulum.DateTime)
    assert at.tzinfo is not None and at.timezone_name in ZONES


def test_business_times_span_several_zones() -> None:
    seen: set[str] = set()

    @settings(max_examples=200)
    @given(business_times())
    def collect(at: pendulum.DateTime) -> None:
        seen.add(str(at.timezone_name))

    collect()
    assert len(seen) >= 3


@given(person_ids())
def test_person_ids_are_people_of_the_standard_agency(person: str) -> None:
    assert person in attrs.astuple(AgencyPeople())


@given(person_ids(strangers=True))
def test_person_ids_with_strangers_are_well_formed(person: str) -> None:
    assert person and person.strip() == person


ONE_OFFICE: dict[str, Any] = {}


@settings(max_examples=25, deadline=None)
@given(form=draft_forms())
def test_draft_forms_are_accepted_by_the_office(form: dict[str, Any]) -> None:
    if not ONE_OFFICE:
        office = office_for_tests()
        ONE_OFFICE["office"], ONE_OFFICE["people"] = office, standard_agency(office)
    office, people = ONE_OFFICE["office"], ONE_OFFICE["people"]
    doc = office.documents.draft(by=people.drafter, **form)
    assert office.documents.get(doc).status is DocumentStatus.DRAFT


TARGET_OFFICE: dict[str, Any] = {}


@settings(max_examples=25, deadline=None)
@given(fields=target_indicators(), points=indicator_points(), means=tracking_means())
def test_target_indicators_are_accepted_by_the_office(
    fields: dict[str, Any], points: Any, means: Any
) -> None:
    """[001 目标管理 四(一)2] the strategies give indicators and points a table accepts."""
    if not TARGET_OFFICE:
        office = office_for_tests()
        people = standard_agency(office)
        table = office.targets.draft(year=2026, by=people.assessment_officer)
        TARGET_OFFICE.update(office=office, people=people, table=table)
    office, people, table = TARGET_OFFICE["office"], TARGET_OFFICE["people"], TARGET_OFFICE["table"]
    number = office.targets.add_indicator(table, by=people.assessment_officer, **fields)
    if Decimal(str(points)) != Decimal(str(fields["points"])):
        office.targets.revise_indicator(
            table, number=number, points=points, by=people.assessment_officer
        )
        assert office.targets.get(table).indicators[number].points == Decimal(str(points))
    assert office.targets.get(table).indicators[number].unit == fields["unit"]
    assert str(getattr(means, "label", means)) in {"日常管理", "效能督查", "现场检查", "信息系统"}


@given(st.data())
def test_strategies_are_importable_without_touching_the_library(data: st.DataObject) -> None:
    """The strategies live in a submodule; ``govoffice.testing`` itself needs no hypothesis."""
    import govoffice.testing

    assert "strategies" not in govoffice.testing.__all__
    data.draw(person_ids())
