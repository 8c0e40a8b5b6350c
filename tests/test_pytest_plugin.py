"""The pytest plugin (``pytest11`` entry point ``govoffice``): an application's test suite
gets ``govoffice_office``, ``govoffice_agency`` and ``govoffice_clock`` by installing
``govoffice[testing]`` (ADR 0042). Run by pytester on throwaway test modules that use only
the fixtures."""

from __future__ import annotations

import importlib.metadata

import pytest

pytest_plugins = ("pytester",)

APP_TESTS = """
import pendulum
import pytest
from govoffice import DocumentStatus
from govoffice.errors import PermissionDenied
from govoffice.testing import assert_nothing_recorded, outgoing_document


def test_the_office_is_in_memory_on_the_settable_clock(govoffice_office, govoffice_clock):
    assert govoffice_office.store_url == "memory"
    assert govoffice_office.clock is govoffice_clock
    assert govoffice_clock.now() == pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    govoffice_office.clock.advance(days=1)
    assert govoffice_clock.now().day == 3


def test_the_agency_has_the_standard_people(govoffice_office, govoffice_agency):
    doc = outgoing_document(govoffice_office, govoffice_agency, to=DocumentStatus.AWAITING_SIGNATURE)
    with assert_nothing_recorded(govoffice_office), pytest.raises(PermissionDenied):
        govoffice_office.documents.sign(doc, by=govoffice_agency.drafter)
    govoffice_office.documents.sign(doc, by=govoffice_agency.deputy)
    assert govoffice_office.documents.get(doc).status is DocumentStatus.SIGNED


def test_each_test_gets_a_fresh_office(govoffice_office):
    assert govoffice_office.app.recorder.max_notification_id() in (None, 0)
"""


def test_the_entry_point_names_the_plugin() -> None:
    [entry] = [
        e for e in importlib.metadata.entry_points(group="pytest11") if e.name == "govoffice"
    ]
    assert entry.value == "govoffice.testing.plugin"


def test_an_application_suite_gets_the_fixtures_without_a_conftest(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_app=APP_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=3)


def test_the_fixtures_coexist_with_the_applications_own_office_agency_and_clock(
    pytester: pytest.Pytester,
) -> None:
    """An application's own fixtures named office, agency and clock neither shadow the
    plugin's nor are shadowed by them."""
    pytester.makeconftest(
        """
import pytest

@pytest.fixture
def clock():
    return "the application's clock"

@pytest.fixture
def office():
    return "the application's office"

@pytest.fixture
def agency():
    return "the application's agency"
"""
    )
    pytester.makepyfile(
        test_both="""
def test_both(office, agency, clock, govoffice_office, govoffice_agency, govoffice_clock):
    assert (office, agency, clock) == (
        "the application's office", "the application's agency", "the application's clock"
    )
    assert govoffice_office.clock is govoffice_clock
    assert govoffice_agency.drafter in govoffice_office.org.current().people
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)


def test_the_fixtures_are_listed_and_the_plugin_can_be_disabled(
    pytester: pytest.Pytester,
) -> None:
    result = pytester.runpytest("--fixtures", "-p", "no:cacheprovider")
    listed = result.stdout.str()
    for name in ("govoffice_office", "govoffice_agency", "govoffice_clock"):
        assert f"{name} -- " in listed, name
    pytester.makepyfile(test_off="def test_off(govoffice_office):\n    pass\n")
    result = pytester.runpytest("-p", "no:govoffice", "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'govoffice_office' not found*"])


def test_the_project_suite_uses_the_plugins_fixtures(
    office: object, agency: object, clock: object, govoffice_office: object
) -> None:
    """tests/conftest.py's office, agency and clock are the plugin's, under short names."""
    assert office is govoffice_office
