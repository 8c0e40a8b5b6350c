"""[ADR 0015] ``govoffice rebuild``: every registered view rebuilt from the log, with its rate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from govoffice.cli import main
from govoffice.testing import office_for_tests, standard_agency
from tests.adapters.views_workload import T0, write_documents


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_rebuild_rebuilds_every_registered_view_up_to_the_end_of_the_log(tmp_path: Path) -> None:
    """[ADR 0015] After a rebuild every view's position is the last event's."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=T0) as office:
        last = write_documents(office, standard_agency(office, T0), 60, batch=20)
    result = run("rebuild", "--store", url, "--page-size", "25")
    assert result.exit_code == 0, result.output
    assert "events/s" in result.output
    with office_for_tests(url, start=T0) as office:
        views = office.views.projections
        assert views, "no view is registered on the office"
        assert {office.views.store.position(p.view) for p in views} == {last}


def test_rebuild_of_one_named_view_leaves_the_others(tmp_path: Path) -> None:
    """[ADR 0015] ``--view NAME`` rebuilds that view only."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=T0) as office:
        write_documents(office, standard_agency(office, T0), 20, batch=20)
        name = office.views.projections[0].name
    result = run("rebuild", "--store", url, "--view", name)
    assert result.exit_code == 0, result.output
    with office_for_tests(url, start=T0) as office:
        positions = {p.name: office.views.store.position(p.view) for p in office.views.projections}
    assert positions[name] > 0
    assert all(position == 0 for other, position in positions.items() if other != name)


def test_rebuild_of_an_unknown_view_is_a_clear_error(tmp_path: Path) -> None:
    """[ADR 0015] An unknown view name: exit status 2 and the known names, no traceback."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    assert run("init", "--store", store).exit_code == 0
    result = run("rebuild", "--store", store, "--view", "nope")
    assert result.exit_code == 2
    assert "nope" in result.output
    assert "Traceback" not in result.output
