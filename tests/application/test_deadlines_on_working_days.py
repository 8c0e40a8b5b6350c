"""Cadence steps and deadlines on the office calendar (ADR 0051).

- The proposal urging cadence [000 范文2 三 一] (电话催办: 对承办数量多的重点单位每周催办一次,
  其它单位每半月一次; 对于逾期未办的,及时下发督办函) falls on working days: a cadence day that
  lands on a weekend or a statutory holiday moves to the next working day, and the clock
  records nothing on a rest day.
- A cut-off or deadline counted in calendar days that ends on a statutory holiday moves to
  the next working day, as the Civil Code counts (民法典 第二百零三条: 期间的最后一日是法定
  休假日的,以法定休假日结束的次日为期间的最后一日), unless the agency's rule table says
  otherwise.

The 2026 holiday data (国务院办公厅关于2026年部分节假日安排的通知, as chinesecalendar and the
office calendar carry it): 春节 15-23 February (14 and 28 February are make-up working days);
国庆节、中秋节 1-7 October (20 September and 10 October are make-up working days).
"""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from govoffice.domain.proposal import (
    ProposalStatus,
    ProposalUrgeChannel,
    phone_urge_day,
)
from govoffice.testing import (
    TestOffice,
    assert_nothing_recorded,
    office_for_tests,
    proposal,
    standard_agency,
)

ZONE = "Asia/Shanghai"


def on(d: date, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(d.year, d.month, d.day, hour, tz=ZONE)


@pytest.fixture
def january() -> TestOffice:
    """An office whose agency is set up on Monday 5 January 2026."""
    return office_for_tests(start=on(date(2026, 1, 5)))


# --- 2. the urging cadence falls on working days ---------------------------------------------


def test_a_half_monthly_urge_due_in_the_spring_festival_waits_for_the_next_working_day(
    january: TestOffice,
) -> None:
    """[000 范文2 三 一] 每半月催办一次, on working days: assigned Monday 2 February 2026,
    the half month ends on 17 February, inside 春节 (15-23 February), so the phone urge
    falls on Tuesday 24 February."""
    office = january
    agency = standard_agency(office)
    pid = proposal(office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 2, 1)))
    assigned = office.proposals.get(pid).assignment
    assert assigned is not None
    assert phone_urge_day(assigned.assigned_at, 15, office.calendar, ZONE) == date(2026, 2, 24)
    for holiday in (date(2026, 2, 17), date(2026, 2, 20), date(2026, 2, 23)):
        with assert_nothing_recorded(office):
            assert office.proposals.tick(on(holiday)) == []
            assert office.queues.to_urge(on=holiday) == []
    due = office.queues.to_urge(on=date(2026, 2, 24))
    assert [(u.channel, u.due) for u in due] == [("电话催办", date(2026, 2, 24))]
    urged = office.proposals.tick(on(date(2026, 2, 24)))
    assert [(d.details["unit"], d.details["channel"]) for d in urged] == [
        ("biz1", ProposalUrgeChannel.PHONE)
    ]


def test_a_caller_writing_utc_gets_the_agencys_working_day(january: TestOffice) -> None:
    """The agency's local day decides (ADR 0022): 23:00 on 23 February in Beijing is still
    春节 (15:00 UTC), 01:00 on the 24th is a working day (17:00 UTC on the 23rd)."""
    office = january
    agency = standard_agency(office)
    proposal(office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 2, 1)))
    with assert_nothing_recorded(office):
        assert office.proposals.tick(pendulum.datetime(2026, 2, 23, 15, tz="UTC")) == []
    urged = office.proposals.tick(pendulum.datetime(2026, 2, 23, 17, tz="UTC"))
    assert [d.details["channel"] for d in urged] == [ProposalUrgeChannel.PHONE]


def test_national_day_moves_the_phone_urge_and_the_supervision_letter(
    january: TestOffice,
) -> None:
    """[000 范文2 三 一] 电话催办 and 督办函 on working days: 国庆节 1-7 October 2026.
    An item assigned on Wednesday 16 September is urged on 8 October, not 1 October; an
    item due on 30 September gets its supervision letter on 8 October, not during the
    holiday."""
    office = january
    agency = standard_agency(office)
    cadence = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 9, 15))
    )
    overdue = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 6, 29))
    )
    assert office.proposals.get(overdue).due == date(2026, 9, 30)
    office.proposals.urge(
        overdue, channel="电话催办", by=agency.secretary, at=on(date(2026, 9, 25))
    )
    for holiday in (date(2026, 10, 1), date(2026, 10, 4), date(2026, 10, 7)):
        with assert_nothing_recorded(office):
            assert office.proposals.tick(on(holiday)) == []
    urged = office.proposals.tick(on(date(2026, 10, 8)))
    assert sorted(d.details["channel"].value for d in urged) == ["letter", "phone"]
    assert office.proposals.get(cadence).urges == 1
    assert office.proposals.get(overdue).urges == 2
    letter = next(d for d in urged if d.details["channel"] is ProposalUrgeChannel.LETTER)
    assert office.calendar.is_working_day(letter.details["new_deadline"])


def test_a_clerks_own_urge_on_a_holiday_is_still_recorded(january: TestOffice) -> None:
    """The working-day rule is the clock's cadence; a phone call a clerk did make on a
    holiday is a fact, and is recorded as made [000 范文2 三 一]."""
    office = january
    agency = standard_agency(office)
    pid = proposal(
        office, agency, to=ProposalStatus.HANDLING, co_units=(), at=on(date(2026, 9, 15))
    )
    office.proposals.urge(pid, channel="电话催办", by=agency.secretary, at=on(date(2026, 10, 2)))
    assert office.proposals.get(pid).urges == 1
