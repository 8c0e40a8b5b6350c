"""A command reads its record and the organisation with one statement (ADR 0060).

Both are in the aggregate cache after the first command; each must still be brought up to
date with what any other process wrote since, as the library's own fast-forward does. These
tests change the organisation or the record through a second office on the same store (its
own cache and connections, as another process has) or through a real second process, and
check that the first office's next command sees the change; and that a command reads the
store once for both records.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import PermissionDenied
from govoffice.domain.numbering import NumberSeries
from govoffice.testing import AgencyPeople, office_for_tests, standard_agency

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
FORM: dict[str, Any] = {
    "title": "关于做好防汛工作的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:现将防汛工作有关事项通知如下……",
}


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'office.db'}"
    return str(request.getfixturevalue("postgres_schema_url"))


@pytest.fixture
def office(url: str) -> Iterator[Office]:
    office = office_for_tests(url, start=T0)
    yield office
    office.close()


@pytest.fixture
def people(office: Office) -> AgencyPeople:
    return standard_agency(office, T0)


def submitted(office: Office, people: AgencyPeople) -> Any:
    doc = office.documents.draft(by=people.drafter, at=T0.add(hours=1), **FORM)
    office.documents.submit_for_review(doc, by=people.drafter, at=T0.add(hours=2))
    return doc


def count_reads(office: Office) -> dict[str, int]:
    """Counts, from now on, the one-statement reads and the library's own per-record
    reads of events."""
    counts = {"one read": 0, "per record": 0}
    app: Any = office.app
    select_after, select_events = app.select_after, app.recorder.select_events

    def one(recorder: Any, after: Any) -> Any:
        counts["one read"] += 1
        return select_after(recorder, after)

    def each(*args: Any, **kwargs: Any) -> Any:
        counts["per record"] += 1
        return select_events(*args, **kwargs)

    app.select_after = one
    app.recorder.select_events = each
    return counts


def test_a_command_reads_record_and_organisation_once(office: Office, people: AgencyPeople) -> None:
    """[001 发文 五(一)] 审核: the unit head's review loads the draft and the organisation
    (both cached by the commands before it) with one statement and no other read."""
    doc = submitted(office, people)
    counts = count_reads(office)
    office.documents.review(doc, by=people.unit_head, at=T0.add(hours=3))
    assert counts == {"one read": 1, "per record": 0}
    assert office.documents.get(doc).status is DocumentStatus.UNIT_REVIEWED


def test_organisation_changed_by_another_office_is_seen(
    office: Office, people: AgencyPeople, url: str
) -> None:
    """[ADR 0024] a role revoked by another process (its own cache) takes effect at once
    here: the cached organisation is brought up to date by the one read, so the revoked
    unit head's review is refused and records nothing."""
    doc = submitted(office, people)
    office.documents.get(doc)  # the draft and the organisation are cached here
    other = office_for_tests(url, start=T0)
    try:
        other.org.revoke_role(
            person_id=people.unit_head, role="处室负责人", by=people.admin, at=T0.add(hours=2)
        )
    finally:
        other.close()
    before = len(office.documents.history(doc))
    with pytest.raises(PermissionDenied):
        office.documents.review(doc, by=people.unit_head, at=T0.add(hours=3))
    assert len(office.documents.history(doc)) == before


def test_record_changed_by_another_office_is_seen(
    office: Office, people: AgencyPeople, url: str
) -> None:
    """The record too: another process reviews the draft; this office's cached copy is
    brought up to date, so submitting it to the office (which needs the review) succeeds
    here and the version follows the other process's."""
    doc = submitted(office, people)
    office.documents.get(doc)
    other = office_for_tests(url, start=T0)
    try:
        other.documents.review(doc, by=people.unit_head, at=T0.add(hours=3))
        version = other.documents.get(doc).version
    finally:
        other.close()
    office.documents.submit_to_office(doc, by=people.drafter, at=T0.add(hours=4))
    assert office.documents.get(doc).version == version + 1


def test_registration_reads_the_series_once(office: Office, people: AgencyPeople) -> None:
    """[001 发文 五(四)] 登记: the document, the organisation and the number series in one
    read (four reads before: the document, the organisation, "does
    the series exist", "load it"); the number taken is the next of the series, and the
    series knows which record took it."""
    numbers = []
    for i in range(2):
        doc = submitted(office, people)
        d = office.documents
        d.review(doc, by=people.unit_head, at=T0.add(hours=3, minutes=i))
        d.submit_to_office(doc, by=people.drafter, at=T0.add(hours=4, minutes=i))
        d.office_check(doc, by=people.secretary, at=T0.add(hours=5, minutes=i))
        d.office_review(doc, by=people.office_head, at=T0.add(hours=6, minutes=i))
        d.sign(doc, by=people.deputy, opinion="同意", at=T0.add(hours=7, minutes=i))
        counts = count_reads(office)
        numbers.append(
            d.register(
                doc,
                by=people.secretary,
                distribution_scope="各处室",
                copies=5,
                at=T0.add(hours=8, minutes=i),
            )
        )
        # the first time the series is not found (the year's first number): the same read
        assert counts == {"one read": 1, "per record": 0}
        series = office.store.get(NumberSeries, NumberSeries.create_id("发文字号", "X政发", 2026))
        assert series.holder(numbers[-1].serial) == doc
    assert [n.serial for n in numbers] == [1, 2]


def test_organisation_changed_by_another_process_is_seen(tmp_path: Path) -> None:
    """The same, with a real second process on the SQLite file."""
    path = tmp_path / "office.db"
    office = office_for_tests(f"sqlite:///{path}", start=T0)
    try:
        people = standard_agency(office, T0)
        doc = submitted(office, people)
        office.documents.get(doc)
        script = textwrap.dedent(
            f"""
            import pendulum
            from govoffice.testing import office_for_tests
            T0 = pendulum.parse({T0.isoformat()!r})
            o = office_for_tests({f"sqlite:///{path}"!r}, start=T0)
            o.org.revoke_role(person_id={people.unit_head!r}, role="处室负责人",
                              by={people.admin!r}, at=T0.add(hours=2))
            o.close()
            """
        )
        subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
        with pytest.raises(PermissionDenied):
            office.documents.review(doc, by=people.unit_head, at=T0.add(hours=3))
    finally:
        office.close()


def test_registration_reads_the_right_series_when_the_guess_is_wrong(
    office: Office, people: AgencyPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[ADR 0003] the series is guessed from the cached copies; when the fresh document names
    another series (here the cached copy is made to show another issuer code), the right
    series is read on its own and numbered: 1, then 2, without a gap."""
    import copy

    import attrs

    from govoffice.testing import outgoing_document

    docs = [outgoing_document(office, people, DocumentStatus.SIGNED, at=T0) for _ in range(2)]
    cached = office.store.cached

    def stale(record_id: object) -> object:
        found = cached(record_id)
        if found is not None and getattr(found, "form", None) is not None:
            found = copy.copy(found)
            found.form = attrs.evolve(found.form, issuer_code="Y政办")  # type: ignore[attr-defined]
        return found

    monkeypatch.setattr(office.store, "cached", stale)
    numbers = [
        office.documents.register(
            doc,
            by=people.secretary,
            distribution_scope="各处室",
            copies=5,
            at=T0.add(days=1, minutes=i),
        )
        for i, doc in enumerate(docs)
    ]
    assert [(n.issuer_code, n.serial) for n in numbers] == [("X政发", 1), ("X政发", 2)]
    guessed = NumberSeries.create_id("发文字号", "Y政办", 2026)
    assert office.store.cached(guessed) is None
