"""[issue 13] The simulated year's 目标管理: the year's target table from drafting to the
year-end assessment, through the public commands; its figures in the annual report and the
ranking agree with a count over the raw events."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any, NamedTuple

import pytest

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.application.rankings import Measure
from govoffice.bootstrap import open_office
from govoffice.demo.bureau import units
from govoffice.demo.simulation import YearResult, simulate_year
from govoffice.domain.target import TargetTable, TargetTableStatus
from govoffice.testing import SettableClock
from tests.application.test_target_figures import (
    count_targets,
    same,
    section_values,
    stored_events,
)

SCALE = 0.01
SEED = 13


class Run(NamedTuple):
    office: Office
    result: YearResult
    events: list[tuple[str, Any]]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    office = open_office(
        "memory", clock=SettableClock(), calendar=china_calendar(weekend_fallback=True)
    )
    try:
        result = simulate_year(office, scale=SCALE, seed=SEED)
        yield Run(office, result, stored_events(office))
    finally:
        office.close()


def test_the_simulated_year_takes_the_target_table_through_every_step(run: Run) -> None:
    """[001 目标管理 四] 目标制定 → 日常跟踪 → 半年检查 → 年终考评, in one simulated year."""
    table = run.office.targets.of_year(run.result.year)
    assert table.status is TargetTableStatus.ASSESSED
    assert table.assessed_units == {u for u, _, _ in units()}
    names = {topic.removeprefix("target-table/") for topic, _ in run.events}
    for step in (
        "Drafted",
        "IndicatorAdded",
        "OpinionsSolicited",
        "OpinionGiven",
        "SubmittedForApproval",
        "Approved",
        "Issued",
        "IndicatorChecked",
        "DeductionRecorded",
        "CorrectionReported",
        "DeductionWaived",
        "DeductionUpheld",
        "AmendmentProposed",
        "AmendmentApproved",
        "AmendmentRejected",
        "ChecksReminded",
        "ChecksMissed",
        "HalfYearCheckStarted",
        "SelfCheckReported",
        "NamedLagging",
        "CatchUpPlanReported",
        "Assessed",
    ):
        assert step in names, step
    counts = run.result.counts
    assert counts["targets.assessed"] == 1
    assert counts["targets.deductions"] == len(table.deductions)
    assert counts["targets.waived"] == sum(1 for d in table.deductions.values() if not d.counts)
    assert run.result.refusals["CorrectionNotPrompt"] == 1
    assert run.result.refusals["DeductionExceedsPoints"] == 1
    labels = dict(run.result.summary())
    assert labels["目标管理 年终考评"] == 1


def test_the_reports_target_section_and_the_ranking_match_the_raw_events(run: Run) -> None:
    """[domain brief §9] 年度报告 六、目标管理 and 排名 目标考评得分, from the events alone."""
    year = run.result.year
    report = run.office.reports.annual(year)
    want = count_targets(run.events, year, run.office.org.current())
    got = section_values(report, "targets")
    assert got.keys() == want.keys()
    assert not {k: (got[k], want[k]) for k in want if not same(got[k], want[k])}
    assert want["affiliated_consulted"] == 1  # the information centre, a 局属单位
    (assessed,) = [e for topic, e in run.events if topic == "target-table/Assessed"]
    figures = run.office.rankings.figures(str(year))[Measure.TARGET_SCORE]
    assert {u: f.value for u, f in figures.items()} == {
        s.unit: Fraction(s.rate) for s in assessed.scores
    }
    assert TargetTable.create_id(year) == run.office.targets.of_year(year).id
