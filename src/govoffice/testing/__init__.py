"""Helpers for the test suites of applications that import govoffice (and for our own).

- :class:`SettableClock`: business time that only moves when the test moves it, and
  :func:`office_for_tests`, a :class:`TestOffice` (an office typed with that clock);
- :func:`standard_agency`: an agency shaped like the seeds' bureau, with well-known ids;
- builders, one per aggregate, that drive a record through the public commands to a status:
  :func:`outgoing_document`, :func:`incoming_document`, :func:`proposal`,
  :func:`supervision_task`, :func:`meeting`, :func:`target_table` (and
  :func:`target_deduction`, a deduction on a table);
- :class:`Scenario`, :func:`recorded_since` / :func:`assert_nothing_recorded`: given / when /
  then over real events in the store;
- :mod:`govoffice.testing.strategies`: hypothesis strategies, and
  :mod:`govoffice.testing.plugin`: the pytest fixtures ``govoffice_office``,
  ``govoffice_agency`` and ``govoffice_clock`` (both with ``govoffice[testing]``).

The names are imported from their modules when first used (ADR 0039): the pytest plugin
lives in this package, and a test run that does not use govoffice must not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govoffice._lazy import attach

_EXPORTS: dict[str, tuple[str, ...]] = {
    "govoffice.testing._agency": (
        "SECURE_PRINT_SITE",
        "UNITS",
        "ZONE",
        "AgencyPeople",
        "SettableClock",
        "TestOffice",
        "assert_nothing_recorded",
        "assert_refusal_explained",
        "assert_trail_authorised",
        "notification_count",
        "office_for_tests",
        "recorded_since",
        "standard_agency",
    ),
    "govoffice.testing.builders": (
        "draft_form",
        "forced_countersigners",
        "head_of",
        "incoming_document",
        "meeting",
        "outgoing_document",
        "proposal",
        "supervision_task",
    ),
    "govoffice.testing.scenario": ("Scenario",),
    "govoffice.testing.target_builders": ("target_deduction", "target_table"),
}

if not TYPE_CHECKING:
    __all__, __getattr__, __dir__ = attach(__name__, _EXPORTS)
else:
    from govoffice.testing._agency import (
        SECURE_PRINT_SITE as SECURE_PRINT_SITE,
        UNITS as UNITS,
        ZONE as ZONE,
        AgencyPeople as AgencyPeople,
        SettableClock as SettableClock,
        TestOffice as TestOffice,
        assert_nothing_recorded as assert_nothing_recorded,
        assert_refusal_explained as assert_refusal_explained,
        assert_trail_authorised as assert_trail_authorised,
        notification_count as notification_count,
        office_for_tests as office_for_tests,
        recorded_since as recorded_since,
        standard_agency as standard_agency,
    )
    from govoffice.testing.builders import (
        draft_form as draft_form,
        forced_countersigners as forced_countersigners,
        head_of as head_of,
        incoming_document as incoming_document,
        meeting as meeting,
        outgoing_document as outgoing_document,
        proposal as proposal,
        supervision_task as supervision_task,
    )
    from govoffice.testing.scenario import (
        Scenario as Scenario,
    )
    from govoffice.testing.target_builders import (
        target_deduction as target_deduction,
        target_table as target_table,
    )
