"""[issue 6] A simulated year: deterministic for a seed, written through the public commands
only, its provoked refusals recording nothing; and ``govoffice demo`` running it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.demo.simulation import SimulationError, YearResult, _Year, simulate_year
from govoffice.domain.errors import InvalidInput
from govoffice.testing import SettableClock, standard_agency

SCALE = 0.02
SEED = 7


def year_office(url: str = "memory") -> Office:
    """A year reaching into the next one, which has no holiday data yet: weekends only there
    (ADR 0010)."""
    return open_office(url, clock=SettableClock(), calendar=china_calendar(weekend_fallback=True))


def topics(office: Office) -> Counter[str]:
    """Every stored event's topic (aggregate kind / event name), counted."""
    counts: Counter[str] = Counter()
    start = 1
    while True:
        page = office.app.recorder.select_notifications(start=start, limit=1000)
        counts.update(n.topic for n in page)
        if len(page) < 1000:
            return counts
        start = page[-1].id + 1


@pytest.fixture(scope="module")
def two_runs() -> Iterator[list[tuple[YearResult, Counter[str]]]]:
    runs = []
    for _ in range(2):
        office = year_office()
        try:
            result = simulate_year(office, scale=SCALE, seed=SEED)
            runs.append((result, topics(office)))
        finally:
            office.close()
    yield runs


def test_a_seed_gives_the_same_events_and_the_same_figures(
    two_runs: list[tuple[YearResult, Counter[str]]],
) -> None:
    """[issue 6] deterministic for a seed: the same events (kinds and counts), the same tally."""
    (first, first_topics), (second, second_topics) = two_runs
    assert first.events == second.events == sum(first_topics.values())
    assert first == second  # counts and refusals (the wall time is not compared)
    assert first_topics == second_topics


def test_another_seed_gives_another_year(
    two_runs: list[tuple[YearResult, Counter[str]]],
) -> None:
    office = year_office()
    try:
        other = simulate_year(office, scale=SCALE, seed=SEED + 1)
    finally:
        office.close()
    assert other.counts != two_runs[0][0].counts


def test_every_area_is_exercised_through_its_commands(
    two_runs: list[tuple[YearResult, Counter[str]]],
) -> None:
    """Records of every kind, through their whole flows, and the time step's own decisions."""
    result, stored = two_runs[0]
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
    ]
    missing = [t for t in expected if stored[f"govoffice/{t}"] == 0]
    assert not missing, missing
    assert result.counts["ticks"] > 240  # once every working day of 2026
    assert result.counts["tick.decisions"] > 0
    assert result.first_day.year == 2025 and result.last_day.year == 2026  # set up in December


def test_provoked_refusals_were_counted_and_recorded_nothing(
    two_runs: list[tuple[YearResult, Counter[str]]],
) -> None:
    """Every provoked refusal was checked (inside the run) to have recorded nothing."""
    result, _ = two_runs[0]
    assert sum(result.refusals.values()) > 0
    assert "MeetingLimitExceeded" in result.refusals  # the annual meeting's plan row


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
