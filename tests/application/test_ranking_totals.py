"""[issue 14, ADR 0052] Rankings of whole months read totals kept per month, and give
exactly the figures that reading every record's row gives [domain brief §9].

Over a simulated year (supervision tasks closed out on time, late, or still open and
overdue; proposals assigned, reassigned, answered and rated across months; incoming
documents handled; meetings held with their attendance; 政务信息 months), every unit's
figure on every measure for every month, quarter, the year and ranges of whole months is
compared with the per-record computation, and the totals are compared with what the
records they sum up say (what a rebuild would write).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.application.rankings import (
    TOTALS,
    Figure,
    Measure,
    Period,
    month_aligned,
)
from govoffice.bootstrap import open_office
from govoffice.demo.simulation import simulate_year
from govoffice.domain.incoming import IncomingStatus
from govoffice.domain.information import MonthFigures, UnitTier
from govoffice.domain.proposal import ProposalStatus
from govoffice.domain.supervision import SupervisionStatus
from govoffice.testing import (
    SettableClock,
    incoming_document,
    office_for_tests,
    proposal,
    standard_agency,
    supervision_task,
)

SCALE = 0.02
SEED = 11


@pytest.fixture(scope="module")
def year() -> Iterator[Office]:
    office = open_office(
        "memory", clock=SettableClock(), calendar=china_calendar(weekend_fallback=True)
    )
    try:
        simulate_year(office, scale=SCALE, seed=SEED)
        office.rankings.figures("2026")  # the views caught up
        yield office
    finally:
        office.close()


PERIODS = [
    *(Period.month(2026, m) for m in range(1, 13)),
    *(Period.quarter(2026, q) for q in range(1, 5)),
    Period.year(2026),
    Period.year(2025),  # the plan made in December 2025
    Period.month(2027, 1),  # after the simulated year: what is still open and overdue
    Period.year(2027),
    Period.between(date(2026, 2, 1), date(2026, 5, 31)),
    Period.between(date(2025, 12, 1), date(2027, 3, 31)),
]


def information_by_scanning_every_month(office: Office, period: Period) -> dict[str, Figure]:
    """The 政务信息 figure as it was computed before: every report month of the view read."""
    rankings, table = office.rankings, office.information.scoring
    months = set(period.months())
    points: dict[str, Decimal] = defaultdict(Decimal)
    counted: dict[str, int] = defaultdict(int)
    for _, d in office.views.store.scan(rankings.information.view, "month"):
        if (d["year"], d["month"]) in months:
            figures = MonthFigures(
                target=d["target"],
                submitted=d["submitted"],
                adopted_items=len(d["adopted"]),
                adoptions=d["adoptions"],
                tier=UnitTier(d["tier"]),
            )
            points[d["unit"]] += table.score(figures).total
            counted[d["unit"]] += 1
    return {
        u: Figure(Measure.INFORMATION_SCORE, Fraction(points[u]), n) for u, n in counted.items()
    }


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_totals_give_every_units_figure_on_every_measure_exactly(
    year: Office, period: Period
) -> None:
    assert month_aligned(period)
    rankings = year.rankings
    from_totals = rankings._figures(period, totals=True)
    from_records = rankings._figures(period, totals=False)
    assert from_totals == from_records
    assert from_totals[Measure.INFORMATION_SCORE] == information_by_scanning_every_month(
        year, period
    )
    assert rankings.figures(period) == from_records


def test_the_years_figures_rest_on_every_measure(year: Office) -> None:
    """The comparison above is not of empty tables: the year has figures on each measure
    the simulation exercises, with overdue tasks and rated proposals among them."""
    figures = year.rankings.figures("2026")
    for measure in (
        Measure.SUPERVISION_ON_TIME,
        Measure.PROPOSAL_REPLY,
        Measure.PROPOSAL_SATISFACTION,
        Measure.INCOMING_DAYS,
        Measure.ATTENDANCE_DEDUCTION,
        Measure.INFORMATION_SCORE,
    ):
        assert figures[measure], measure
    on_time = figures[Measure.SUPERVISION_ON_TIME].values()
    assert any(f.part is not None and f.part < f.whole for f in on_time)  # some were late


def test_the_totals_are_the_sums_of_the_records_they_count(year: Office) -> None:
    """What the events moved in and out of the totals, one change at a time, is what the
    records as they are add up to (so a rebuild writes the same rows)."""
    store = year.views.store
    rankings = year.rankings
    for facts in (rankings.supervision, rankings.proposals, rankings.incoming, rankings.attendance):
        expected: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for _, doc in store.scan(facts.view, facts.table):
            for bucket, counts in facts.counts(doc).items():
                for field, n in counts.items():
                    expected[bucket][field] += n
        kept = {
            b: {f: n for f, n in sorted(c.items()) if n}
            for b, c in sorted(expected.items())
            if any(c.values())
        }
        assert dict(store.scan(facts.view, TOTALS)) == kept, facts.name
        assert kept, facts.name


def test_a_period_of_part_months_reads_every_record(year: Office) -> None:
    """A range that cuts a month cannot be summed from months: it reads the records."""
    period = Period.between(date(2026, 3, 10), date(2026, 8, 20))
    assert not month_aligned(period)
    assert year.rankings.figures(period) == year.rankings._figures(period, totals=False)


def test_totals_give_the_same_figures_on_every_store(store_url: str) -> None:
    """[ADR 0015] On memory, SQLite and PostgreSQL: tasks closed out and one gone overdue,
    a proposal answered and rated, incoming documents handled."""
    start = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
    with office_for_tests(store_url, start=start) as office:
        p = standard_agency(office, start)
        supervision_task(office, p, SupervisionStatus.CLOSED_OUT, at=start)
        supervision_task(office, p, SupervisionStatus.IN_PROGRESS, at=start.add(days=1))
        proposal(office, p, ProposalStatus.CLOSED, at=start.add(days=2))
        incoming_document(office, p, IncomingStatus.HANDLED, at=start.add(days=3))
        incoming_document(office, p, IncomingStatus.HANDLED, at=start.add(days=40))
        office.tick(start.add(days=200))  # the open task goes overdue
        for spec in ("2026-03", "2026-Q1", "2026-Q3", "2026", "2026-03-01..2026-10-31"):
            period = Period.parse(spec)
            from_totals = office.rankings._figures(period, totals=True)
            assert from_totals == office.rankings._figures(period, totals=False), spec
        year = office.rankings.figures("2026")
    assert year[Measure.SUPERVISION_ON_TIME] and year[Measure.INCOMING_DAYS]
    assert year[Measure.PROPOSAL_REPLY]
