"""The harness reaches every state (issue 14): the outgoing-document builder takes the
countersign path the rules force, and a test suite's ``office.clock.advance(...)``
type-checks."""

from __future__ import annotations

from typing import Any

import pytest

from govoffice import DocumentStatus
from govoffice.testing import (
    TestOffice,
    office_for_tests,
    outgoing_document,
    standard_agency,
)
from govoffice.testing.builders import forced_countersigners

FLAGS: list[dict[str, Any]] = [
    {"normative": True},
    {"internal_rules": True},
    {"for_office_meeting": True},
    {"normative": True, "internal_rules": True, "for_office_meeting": True},
    {"for_office_meeting": True, "lead_unit": "biz2"},
]

AFTER_THE_COUNTERSIGN = [
    DocumentStatus.OFFICE_CHECK,
    DocumentStatus.AWAITING_SIGNATURE,
    DocumentStatus.SIGNED,
    DocumentStatus.ARCHIVED,
]


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "+".join(sorted(f)))
@pytest.mark.parametrize("to", AFTER_THE_COUNTERSIGN, ids=lambda s: s.name)
def test_the_builder_takes_the_forced_countersign_path(
    flags: dict[str, Any], to: DocumentStatus
) -> None:
    """[001 发文 五(三)1(1), 五(四)3(6)] a normative document, internal rules or an item of
    the director's meeting reach every later status: the builder has the units the rules
    name countersign first, as a clerk would."""
    office = office_for_tests()
    try:
        people = standard_agency(office)
        doc = outgoing_document(office, people, to=to, **flags)
        record = office.documents.get(doc)
        assert record.status is to
        answered = set(record.countersign_answers)
        assert set(forced_countersigners(record.form)) <= answered
        assert record.form.lead_unit not in answered
    finally:
        office.close()


def test_the_countersigning_branch_asks_the_units_the_rules_name() -> None:
    office = office_for_tests()
    try:
        people = standard_agency(office)
        doc = outgoing_document(office, people, to=DocumentStatus.COUNTERSIGNING, normative=True)
        assert [p.id for p in office.documents.get(doc).countersign_parties] == ["legal"]
        plain = outgoing_document(office, people, to=DocumentStatus.COUNTERSIGNING)
        assert [p.id for p in office.documents.get(plain).countersign_parties] == ["biz2"]
    finally:
        office.close()


def test_office_for_tests_is_an_office_typed_with_its_settable_clock() -> None:
    office = office_for_tests()
    try:
        assert isinstance(office, TestOffice)
        before = office.clock.now()
        assert office.clock.advance(days=2) == before.add(days=2)
    finally:
        office.close()


def test_a_test_suites_clock_advance_type_checks(tmp_path: Any) -> None:
    """mypy --strict accepts ``office_for_tests().clock.advance(...)`` and the plugin's
    fixture types, and still refuses ``advance`` on a production office's clock."""
    api = pytest.importorskip("mypy.api")
    suite = tmp_path / "test_app.py"
    suite.write_text(
        "import govoffice\n"
        "from govoffice.testing import SettableClock, TestOffice, office_for_tests\n\n"
        "def test_one(govoffice_office: TestOffice, govoffice_clock: SettableClock) -> None:\n"
        "    govoffice_office.clock.advance(days=3)\n"
        "    govoffice_clock.set(govoffice_clock.now())\n\n"
        "def test_two() -> None:\n"
        "    office = office_for_tests()\n"
        "    office.clock.advance(hours=2)\n"
        "    office.clock.set(office.clock.now().add(days=1))\n\n"
        "def production() -> None:\n"
        "    office = govoffice.open_office('memory')\n"
        "    office.clock.advance(days=1)\n",
        encoding="utf-8",
    )
    out, err, _status = api.run(["--strict", "--no-error-summary", str(suite)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1 and ":15:" in errors[0] and "advance" in errors[0], out + err
