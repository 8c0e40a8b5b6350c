"""Helpers for the test suites of applications that import govoffice (and for our own).

- :class:`SettableClock`: business time that only moves when the test moves it;
- :func:`standard_agency`: an agency shaped like the seeds' bureau, with well-known ids;
- builders, one per aggregate, that drive a record through the public commands to a status:
  :func:`outgoing_document`, :func:`incoming_document`, :func:`proposal`,
  :func:`supervision_task`, :func:`meeting`, :func:`target_table` (and
  :func:`target_deduction`, a deduction on a table);
- :class:`Scenario`, :func:`recorded_since` / :func:`assert_nothing_recorded`: given / when /
  then over real events in the store;
- :mod:`govoffice.testing.strategies`: hypothesis strategies (needs ``hypothesis``).
"""

from __future__ import annotations

from govoffice.testing._agency import (
    SECURE_PRINT_SITE,
    UNITS,
    ZONE,
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
)
from govoffice.testing.builders import (
    draft_form,
    incoming_document,
    meeting,
    outgoing_document,
    proposal,
    supervision_task,
)
from govoffice.testing.scenario import Scenario
from govoffice.testing.target_builders import target_deduction, target_table

__all__ = [
    "SECURE_PRINT_SITE",
    "UNITS",
    "ZONE",
    "AgencyPeople",
    "Scenario",
    "SettableClock",
    "assert_nothing_recorded",
    "draft_form",
    "incoming_document",
    "meeting",
    "notification_count",
    "office_for_tests",
    "outgoing_document",
    "proposal",
    "recorded_since",
    "standard_agency",
    "supervision_task",
    "target_deduction",
    "target_table",
]
