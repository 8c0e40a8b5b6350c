"""The pytest plugin of govoffice (entry point ``pytest11: govoffice``), ADR 0042.

Installed with ``pip install "govoffice[testing]"``; an application's test suite gets these
fixtures without a conftest:

``govoffice_clock``
    a :class:`~govoffice.testing.SettableClock` at 2026-03-02 09:00 Asia/Shanghai (a
    Monday); move it with ``.advance(days=1)`` or ``.set(at)``.
``govoffice_office``
    a :class:`~govoffice.testing.TestOffice` on the in-memory store, on that clock, closed
    after the test (``govoffice_office.clock`` is the same clock, typed as such).
``govoffice_agency``
    the standard agency (:func:`~govoffice.testing.standard_agency`) established in
    ``govoffice_office``: its well-known people (:class:`~govoffice.testing.AgencyPeople`),
    e.g. ``govoffice_agency.drafter``.

The names carry the ``govoffice_`` prefix so that they never shadow, or are shadowed by, an
application's own ``office``, ``agency`` or ``clock`` fixtures; alias them in a conftest if
shorter names suit the suite. Disable the plugin with ``-p no:govoffice``.

This module imports only pytest when pytest starts; govoffice is imported when a fixture is
first used, so the plugin costs nothing to a test run that does not use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from govoffice.testing import AgencyPeople, SettableClock, TestOffice


@pytest.fixture
def govoffice_clock() -> SettableClock:
    """A settable business clock at 2026-03-02 09:00 Asia/Shanghai (a Monday)."""
    from govoffice.testing import SettableClock

    return SettableClock()


@pytest.fixture
def govoffice_office(govoffice_clock: SettableClock) -> Iterator[TestOffice]:
    """An office on the in-memory store with ``govoffice_clock``, closed after the test."""
    from govoffice.testing import office_for_tests

    office = office_for_tests("memory", clock=govoffice_clock)
    try:
        yield office
    finally:
        office.close()


@pytest.fixture
def govoffice_agency(govoffice_office: TestOffice) -> AgencyPeople:
    """The standard agency (ten units, leaders, one person per role) in
    ``govoffice_office``, established at the clock's time."""
    from govoffice.testing import standard_agency

    return standard_agency(govoffice_office)
