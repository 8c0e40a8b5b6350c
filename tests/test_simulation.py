"""[issue 6] A simulated year: deterministic for a seed, written through the public commands
only, its provoked refusals recording nothing; and ``govoffice demo`` running it."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.application.rankings import Figure, Measure
from govoffice.application.reports import InformationFigures
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.demo.bureau import units
from govoffice.demo.simulation import SimulationError, YearResult, _Year, simulate_year
from govoffice.domain.errors import InvalidInput
from govoffice.domain.information import InformationReport, figures_due
from govoffice.testing import SettableClock, recorded_since, standard_agency

SCALE = 0.02
SEED = 7


def year_office(url: str = "memory") -> Office:
    """A year reaching into the next one, which has no holiday data yet: weekends only there
    (ADR 0010)."""
    return open_office(url, clock=SettableClock(), calendar=china_calendar(weekend_fallback=True))


def topics(office: Office) -> Counter[str]:
    """Every stored event's topic (aggregate kind / event name), counted; the audit chain's
    own records (its genesis, ADR 0030) are not the simulation's."""
    counts: Counter[str] = Counter()
    start = 1
    while True:
        page = office.app.recorder.select_notifications(start=start, limit=1000)
        counts.update(n.topic for n in page if not n.topic.startswith("govoffice/audit-chain/"))
        if len(page) < 1000:
            return counts
        start = page[-1].id + 1


class Run(NamedTuple):
    """One simulated year, read back before its office is closed."""

    result: YearResult
    topics: Counter[str]
    information: InformationFigures  # the annual report's 政务信息 section
    ranking: dict[str, Figure]  # the year's 政务信息得分 per unit
    events: list[Any]  # every stored event, in order


@pytest.fixture(scope="module")
def two_runs() -> Iterator[list[Run]]:
    runs = []
    for _ in range(2):
        office = year_office()
        try:
            result = simulate_year(office, scale=SCALE, seed=SEED)
            runs.append(
                Run(
                    result,
                    topics(office),
                    office.reports.annual(result.year).information,
                    office.rankings.figures(str(result.year))[Measure.INFORMATION_SCORE],
                    recorded_since(office, 0),
                )
            )
        finally:
            office.close()
    yield runs


def test_a_seed_gives_the_same_events_and_the_same_figures(two_runs: list[Run]) -> None:
    """[issue 6] deterministic for a seed: the same events (kinds and counts), the same tally."""
    first, second = two_runs
    assert first.result.events == second.result.events == sum(first.topics.values())
    assert first.result == second.result  # counts and refusals (the wall time is not compared)
    assert first.topics == second.topics
    assert first.information == second.information
    assert first.ranking == second.ranking


def test_another_seed_gives_another_year(two_runs: list[Run]) -> None:
    office = year_office()
    try:
        other = simulate_year(office, scale=SCALE, seed=SEED + 1)
    finally:
        office.close()
    assert other.counts != two_runs[0].result.counts


def test_every_area_is_exercised_through_its_commands(two_runs: list[Run]) -> None:
    """Records of every kind, through their whole flows, and the time step's own decisions."""
    result, stored = two_runs[0].result, two_runs[0].topics
    expected = [
        "organisation/PersonAdded",
        "organisation/SubstituteAppointed",
        "outgoing-document/Drafted",
        "outgoing-document/Signed",
        "outgoing-document/Registered",
        "outgoing-document/Archived",
        "incoming-document/Received",
        "incoming-document/Instructed",
        "incoming-document/Handled",
        "incoming-document/Archived",
        "incoming-document/Urged",
        "meeting-plan/Approved",
        "meeting/Planned",
        "meeting/Noticed",
        "meeting/SignedIn",
        "meeting/Held",
        "meeting/MinutesSigned",
        "meeting/Archived",
        "proposal/Submitted",
        "proposal/Replied",
        "supervision-task/Opened",
        "supervision-task/ClosedOut",
        "supervision-task/WentOverdue",
        "number-series/Taken",
        "information-report/Opened",
        "information-report/TargetSet",
        "information-report/ItemSubmitted",
        "information-report/ItemAdopted",
        "information-report/FiguresClosed",
    ]
    missing = [t for t in expected if stored[f"govoffice/{t}"] == 0]
    assert not missing, missing
    assert result.counts["ticks"] > 240  # once every working day of 2026
    assert result.counts["tick.decisions"] > 0
    assert result.first_day.year == 2025 and result.last_day.year == 2026  # set up in December


def test_provoked_refusals_were_counted_and_recorded_nothing(two_runs: list[Run]) -> None:
    """Every provoked refusal was checked (inside the run) to have recorded nothing."""
    result = two_runs[0].result
    assert sum(result.refusals.values()) > 0
    assert "MeetingLimitExceeded" in result.refusals  # the annual meeting's plan row


def information_months(events: list[Any]) -> dict[uuid.UUID, dict[str, Any]]:
    """Every unit's month of 政务信息, counted from the raw events by their class."""
    months: dict[uuid.UUID, dict[str, Any]] = {}
    for e in events:
        if isinstance(e, InformationReport.Opened):
            months[e.originator_id] = {
                "unit": e.unit,
                "year": e.year,
                "month": e.month,
                "tier": e.tier.value,
                "target": None,
                "items": [],
                "adopted": set(),
                "levels": Counter(),
                "closed": False,
            }
        elif isinstance(e, InformationReport.TargetSet):
            months[e.originator_id].update(target=e.target, tier=e.tier.value)
        elif isinstance(e, InformationReport.ItemSubmitted):
            months[e.originator_id]["items"].append(e.at)
        elif isinstance(e, InformationReport.ItemAdopted):
            months[e.originator_id]["adopted"].add(e.number)
            months[e.originator_id]["levels"][e.level.value] += 1
        elif isinstance(e, InformationReport.FiguresClosed):
            months[e.originator_id]["closed"] = True
    return months


def test_every_unit_reports_information_every_month(two_runs: list[Run]) -> None:
    """政务信息 through its commands: a target for every unit's month, items and adoptions for
    most units and months (mostly 县级), a few items in the next month, the months closed once
    their figures are due (December's are due after the walk)."""
    run = two_runs[0]
    result, months = run.result, information_months(run.events)
    year = result.year
    everyone = {u for u, _, _ in units()}
    assert {(m["unit"], m["month"]) for m in months.values()} == {
        (u, month) for u in everyone for month in range(1, 13)
    }
    assert all(m["year"] == year and m["target"] is not None for m in months.values())
    for key in ("items", "adopted"):
        by_unit = Counter(m["unit"] for m in months.values() if m[key])
        by_month = Counter(m["month"] for m in months.values() if m[key])
        assert len(by_unit) >= 0.8 * len(everyone), (key, by_unit)
        assert len(by_month) >= 10, (key, by_month)
    assert sum(bool(m["items"]) for m in months.values()) > len(months) / 2
    levels = sum((m["levels"] for m in months.values()), Counter[str]())
    assert levels["county"] > levels["city"] > 0
    assert levels["county"] > levels["province"] + levels["national"]
    next_month = [at for m in months.values() for at in m["items"] if at.month != m["month"]]
    assert 0 < len(next_month) == result.counts["information.submitted_next_month"]
    assert {m["month"] for m in months.values() if not m["closed"]} == {12}
    met = [m for m in months.values() if len(m["adopted"]) >= m["target"]]
    assert 0 < len(met) < len(months)  # some units meet their target, others miss it
    assert any(len(m["adopted"]) > m["target"] for m in met)  # and some exceed it


def test_late_information_was_refused_and_recorded_nothing(two_runs: list[Run]) -> None:
    """Items reported after the 15th of the next month: refused (LateFigures), none stored."""
    run = two_runs[0]
    assert 1 <= run.result.refusals["LateFigures"] <= 2
    for m in information_months(run.events).values():
        due = figures_due(m["year"], m["month"])
        assert all(at.date() <= due for at in m["items"]), m
    assert (
        run.topics["govoffice/information-report/ItemSubmitted"]
        == (run.result.counts["information.submitted"])
    )


def test_the_reports_information_figures_match_the_raw_events(two_runs: list[Run]) -> None:
    """The annual report's 政务信息 section and the ranking's 信息得分, against an independent
    count over the raw events, scored by the seed's figures (20 / 3 per extra / 10)."""
    run = two_runs[0]
    months = information_months(run.events).values()
    points: Counter[str] = Counter()
    met = tasks = 0
    for m in months:
        adopted, score = len(m["adopted"]), Decimal(0)
        if len(m["adopted"]) >= m["target"]:
            met += 1
            score += 20 + 3 * (adopted - m["target"])
        if m["tier"] == "county_department" and len(m["items"]) >= 5:
            tasks += 1
            score += 10
        points[m["unit"]] += score
    levels = sum((m["levels"] for m in months), Counter[str]())
    n = run.information
    assert n.submitted == sum(len(m["items"]) for m in months) > 0
    assert n.adopted_items == sum(len(m["adopted"]) for m in months) > 0
    assert n.adoptions == sum(levels.values()) > n.adopted_items
    assert n.adoptions_by_level.nonzero() == dict(levels)
    assert n.unit_months == n.targets_set == len(months) > 0
    assert n.units_reporting == len({m["unit"] for m in months})
    assert n.months_closed == sum(m["closed"] for m in months) > 0
    assert n.targets_met == met > 0
    assert n.submission_tasks_met == tasks
    assert n.score == sum(points.values(), Decimal(0)) > 0
    assert n.score_by_unit.nonzero() == {u: p for u, p in points.items() if p}
    result = run.result
    assert result.counts["information.submitted"] == n.submitted
    assert result.counts["information.adopted"] + result.counts["information.adopted_again"] == (
        n.adoptions
    )
    assert result.counts["information.closed"] == n.months_closed
    assert {u: f.value for u, f in run.ranking.items()} == {u: p for u, p in points.items()}
    labels = dict(result.summary())
    assert labels["政务信息 报送"] == n.submitted
    assert labels["规则拒绝 LateFigures"] == result.refusals["LateFigures"]


def test_a_step_that_should_be_refused_but_is_not_stops_the_simulation() -> None:
    office = year_office()
    try:
        sim = _Year(office, 2026, SCALE, SEED, None)
        with pytest.raises(SimulationError):
            sim.refused("nothing refused", lambda: None)
        standard_agency(office)
        before = office.app.recorder.max_notification_id()

        def records_then_refuses() -> None:
            office.org.add_unit(unit_id="x", name="某处", by="admin")
            raise InvalidInput("refused after recording")

        with pytest.raises(SimulationError):
            sim.refused("records something", records_then_refuses)
        assert office.app.recorder.max_notification_id() != before
    finally:
        office.close()


def test_the_simulation_continues_a_store_after_its_last_decision() -> None:
    """On a store with events (e.g. the narrated demo's), the walk starts the next day and the
    bureau extends the existing organisation."""
    office = year_office()
    try:
        standard_agency(office)  # 2026-03-02
        result = simulate_year(office, scale=0.01, seed=SEED)
        assert str(result.first_day) == "2026-03-03"
        assert len(office.org.current().people) > 90
        with pytest.raises(InvalidInput):
            simulate_year(office, year=2026, scale=0.01)  # that year is over in this store
    finally:
        office.close()


def test_the_calendar_must_cover_the_next_year() -> None:
    office = open_office("memory", clock=SettableClock())  # no 2027 data, no fallback
    try:
        with pytest.raises(InvalidInput, match="weekend_fallback"):
            simulate_year(office, scale=SCALE)
    finally:
        office.close()


@pytest.mark.parametrize("scale", [0, -1, float("nan"), True])
def test_a_scale_must_be_positive(scale: Any) -> None:
    office = year_office()
    try:
        with pytest.raises(InvalidInput):
            simulate_year(office, scale=scale)
    finally:
        office.close()


def test_the_demo_command_simulates_a_year_and_prints_its_report(tmp_path: Path) -> None:
    """[issue 6] `govoffice demo --scale S` : the narrated scenarios, the simulated rest of the
    year, then the annual report."""
    store = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(main, ["demo", "--scale", "0.01", "--store", store])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "模拟一年: 2026 年" in out
    assert "2026 年度报告" in out
    assert "政务信息 报送" in out  # the simulation's tally
    assert "六、目标管理" in out and "七、政务信息" in out
    assert "2026 年度目标考评结果 (已年终考评)" in out  # the target year's outcome
