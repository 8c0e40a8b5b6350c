"""[issue 15 §3, ADR 0055] The trail records the authentication beside the person: every
event a command records inside ``office.acting_via(identity)`` carries the method and the
token id (never the secret), sealed in the hash chain and encrypted with the event; the
audit trail shows it; events recorded through the Python API carry none; a refused command
records nothing. A token of person A acts as A: acting for B is ``on_behalf_of``, allowed
only when A is B's substitute that day [001 发文 五(五)1: 局领导外出时由其代理人签发]."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from eventsourcing.cryptography import AESCipher

from govoffice.bootstrap import open_office
from govoffice.domain.base import recording_via, via_of
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import (
    InvalidInput,
    NotASubstitute,
    NotAuthenticated,
    PermissionDenied,
)
from govoffice.http.identity import Identity, authenticate
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    TestOffice,
    assert_nothing_recorded,
    notification_count,
    office_for_tests,
    outgoing_document,
    recorded_since,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


def bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


@pytest.fixture
def sqlite_office(tmp_path: Path) -> Iterator[TestOffice]:
    office = office_for_tests(f"sqlite:///{tmp_path / 'office.db'}", start=T0)
    yield office
    office.close()


def test_events_recorded_inside_acting_via_carry_the_channel(
    office: TestOffice, agency: AgencyPeople
) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    identity = authenticate(office, bearer(issued.secret))
    before = notification_count(office)
    with office.acting_via(identity):
        doc = outgoing_document(office, agency)
    recorded = recorded_since(office, before)
    assert recorded
    assert all(via_of(e) == {"method": "token", "token_id": issued.token_id} for e in recorded)
    [drafted] = office.documents.history(doc)
    assert drafted.by == agency.drafter
    assert drafted.via is not None and drafted.via.method == "token"
    assert drafted.via.token_id == issued.token_id
    assert "via" not in drafted.details
    row = office.audit.trail(doc).rows()[0]
    assert (row["auth_method"], row["token_id"]) == ("token", issued.token_id)
    assert issued.token_id in office.audit.trail(doc).describe()


def test_events_recorded_through_the_python_api_carry_none(
    office: TestOffice, agency: AgencyPeople
) -> None:
    before = notification_count(office)
    doc = outgoing_document(office, agency)
    assert all(via_of(e) is None for e in recorded_since(office, before))
    [drafted] = office.documents.history(doc)
    assert drafted.via is None
    row = office.audit.trail(doc).rows()[0]
    assert (row["auth_method"], row["token_id"]) == (None, None)
    # the block ends: what follows is plain again
    with office.acting_via(Identity(agency.drafter, "proxy")):
        pass
    later = notification_count(office)
    office.documents.submit_for_review(doc, by=agency.drafter)
    assert all(via_of(e) is None for e in recorded_since(office, later))


def test_a_refused_command_inside_acting_via_records_nothing(
    office: TestOffice, agency: AgencyPeople
) -> None:
    doc = outgoing_document(office, agency)
    identity = Identity(agency.drafter2, "jwt", "jti-1")
    with (
        office.acting_via(identity),
        assert_nothing_recorded(office),
        pytest.raises(PermissionDenied),
    ):
        office.documents.submit_for_review(doc, by=identity.person_id)


def test_acting_via_refuses_an_unknown_method(office: TestOffice, agency: AgencyPeople) -> None:
    with pytest.raises(InvalidInput), office.acting_via(Identity(agency.drafter, "cookie")):  # type: ignore[arg-type]
        pass


def test_the_channel_survives_sqlite_and_the_hash_chain(
    sqlite_office: TestOffice, tmp_path: Path
) -> None:
    """Persisted, reloaded by another process's office, and covered by the seal: a stored
    channel edited in the database breaks the chain."""
    office = sqlite_office
    p = standard_agency(office)
    issued = office.tokens.issue(p.drafter, by=p.admin)
    with office.acting_via(authenticate(office, bearer(issued.secret))):
        doc = outgoing_document(office, p, to=DocumentStatus.UNIT_REVIEW)
    office.close()
    second = office_for_tests(f"sqlite:///{tmp_path / 'office.db'}", start=T0)
    try:
        trail = second.documents.history(doc)
        assert [d.via.token_id if d.via else None for d in trail] == [issued.token_id] * len(trail)
        assert second.audit.verify().ok
        raw = second.app.recorder.select_events(doc)
        assert any(issued.token_id.encode() in bytes(s.state) for s in raw)
        assert all(issued.secret.split("_", 2)[2].encode() not in bytes(s.state) for s in raw)
    finally:
        second.close()
    import sqlite3

    db = sqlite3.connect(tmp_path / "office.db")
    rows = db.execute(
        "SELECT rowid, state FROM stored_events WHERE originator_id = ?", (doc.hex,)
    ).fetchall()
    assert rows
    rowid, state = rows[0]
    edited = bytes(state).replace(b'"method":"token"', b'"method":"proxy"')
    assert edited != bytes(state)  # the channel is in the stored payload, in plain JSON
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (edited, rowid))
    db.commit()
    db.close()
    third = office_for_tests(f"sqlite:///{tmp_path / 'office.db'}", start=T0)
    try:
        assert not third.audit.verify().ok
    finally:
        third.close()


def test_the_channel_survives_encryption(tmp_path: Path) -> None:
    key = AESCipher.create_key(32)
    url = f"sqlite:///{tmp_path / 'secret.db'}"
    office = open_office(url, clock=SettableClock(T0), env={"CIPHER_KEY": key})
    try:
        p = standard_agency(office)
        issued = office.tokens.issue(p.drafter, by=p.admin)
        with office.acting_via(authenticate(office, bearer(issued.secret))):
            doc = outgoing_document(office, p)
    finally:
        office.close()
    reopened = open_office(url, clock=SettableClock(T0), env={"CIPHER_KEY": key})
    try:
        stored = reopened.app.recorder.select_events(doc)
        assert stored and all(issued.token_id.encode() not in bytes(s.state) for s in stored)
        [drafted] = reopened.documents.history(doc)
        assert drafted.via is not None and drafted.via.token_id == issued.token_id
    finally:
        reopened.close()


def test_old_events_without_a_channel_decode_as_none(
    office: TestOffice, agency: AgencyPeople
) -> None:
    """Events stored before the channel existed have no such attribute: absence is None."""
    doc = outgoing_document(office, agency)
    event = office.store.events(doc)[0]
    assert "via" not in vars(event)
    assert via_of(event) is None
    with recording_via(None):  # an explicit "no channel" records none either
        before = notification_count(office)
        office.documents.submit_for_review(doc, by=agency.drafter)
    assert all(via_of(e) is None for e in recorded_since(office, before))


# --- a token of A acts as A; on behalf of B only as B's substitute that day ------------------


def _awaiting_signature(office: TestOffice, p: AgencyPeople) -> uuid.UUID:
    return outgoing_document(office, p, to=DocumentStatus.AWAITING_SIGNATURE)


def test_a_token_of_a_cannot_act_as_b(office: TestOffice, agency: AgencyPeople) -> None:
    """The adapter passes the authenticated person as ``by``: the deputy's token signs as
    the deputy; for the principal only ``on_behalf_of``, refused when the deputy is not his
    substitute that day (nothing recorded)."""
    p = agency
    doc = _awaiting_signature(office, p)
    deputy = authenticate(office, bearer(office.tokens.issue(p.deputy, by=p.admin).secret))
    with (
        office.acting_via(deputy),
        assert_nothing_recorded(office),
        pytest.raises(NotASubstitute),
    ):
        office.documents.sign(doc, by=deputy.person_id, on_behalf_of=p.principal, opinion="同意")


def test_a_token_of_a_acts_for_b_as_b_s_substitute_that_day(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock
) -> None:
    p = agency
    doc = _awaiting_signature(office, p)
    today = office.org.current().day_of(clock.now())
    office.org.appoint_substitute(
        leader=p.principal, substitute=p.deputy, start=today, end=today, by=p.admin
    )
    deputy = authenticate(office, bearer(office.tokens.issue(p.deputy, by=p.admin).secret))
    with office.acting_via(deputy):
        office.documents.sign(doc, by=deputy.person_id, on_behalf_of=p.principal, opinion="同意")
    signed = office.documents.history(doc)[-1]
    assert (signed.by, signed.on_behalf_of) == (p.deputy, p.principal)
    assert signed.via is not None and signed.via.token_id == deputy.token_id
    entry = list(office.audit.trail(doc))[-1]
    assert entry.check.substitute_valid is True and entry.check.held is True
    # the next day the substitution has ended: the same token is the deputy's alone again
    other = _awaiting_signature(office, p)
    clock.set(pendulum.datetime(2026, 3, 3, 9, 0, tz="Asia/Shanghai"))
    with (
        office.acting_via(deputy),
        assert_nothing_recorded(office),
        pytest.raises(NotASubstitute),
    ):
        office.documents.sign(other, by=deputy.person_id, on_behalf_of=p.principal, opinion="同意")


def test_the_command_line_shows_the_channel(sqlite_office: TestOffice, tmp_path: Path) -> None:
    """``govoffice history --format json`` and ``govoffice audit trail --format csv`` show
    the method and the token id of each decision."""
    import csv
    import io
    import json

    from click.testing import CliRunner

    from govoffice.cli import main

    office = sqlite_office
    p = standard_agency(office)
    issued = office.tokens.issue(p.drafter, by=p.admin)
    with office.acting_via(authenticate(office, bearer(issued.secret))):
        doc = outgoing_document(office, p)
    office.documents.submit_for_review(doc, by=p.drafter)  # through the Python API
    office.close()
    url = f"sqlite:///{tmp_path / 'office.db'}"
    history = CliRunner().invoke(main, ["history", str(doc), "--format", "json", "--store", url])
    assert history.exit_code == 0, history.output
    rows = json.loads(history.stdout)["trail"]
    assert [(r["auth_method"], r["token_id"]) for r in rows] == [
        ("token", issued.token_id),
        (None, None),
    ]
    trail = CliRunner().invoke(
        main, ["audit", "trail", str(doc), "--format", "csv", "--store", url]
    )
    assert trail.exit_code == 0, trail.output
    first = next(csv.DictReader(io.StringIO(trail.stdout)))
    assert (first["auth_method"], first["token_id"]) == ("token", issued.token_id)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_another_process_reads_the_channel_and_refuses_a_revoked_token(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The second actor: two offices on one durable store (two workers of the service).
    What one records inside acting_via the other reads with its channel; a token one
    revokes, the other refuses."""
    url = (
        f"sqlite:///{tmp_path / 'office.db'}"
        if kind == "sqlite"
        else str(request.getfixturevalue("postgres_schema_url"))
    )
    first = office_for_tests(url, start=T0)
    second = office_for_tests(url, start=T0)
    try:
        p = standard_agency(first)
        issued = first.tokens.issue(p.drafter, by=p.admin)
        identity = authenticate(second, bearer(issued.secret))
        with second.acting_via(identity):
            doc = outgoing_document(second, p)
        [drafted] = first.documents.history(doc)
        assert drafted.via is not None and drafted.via.token_id == issued.token_id
        first.tokens.revoke(issued.token_id, reason="离岗", by=p.admin)
        with assert_nothing_recorded(second), pytest.raises(NotAuthenticated, match="revoked"):
            authenticate(second, bearer(issued.secret))
    finally:
        first.close()
        second.close()
