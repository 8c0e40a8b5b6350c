"""[issue 15 §3, ADR 0055] API tokens: issued by the organisation admin (组织机构管理员) to
one person of the agency, stored as a digest (the text is shown once), optionally expiring,
revoked with a reason by the admin or by the holder. Each step is an event with who and
when, on the authority table; every refusal records nothing. ``govoffice token`` issues,
revokes and lists them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner, Result

from govoffice.cli import main
from govoffice.domain.api_token import ApiToken, TokenStatus
from govoffice.domain.authority import authority_of
from govoffice.domain.errors import (
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    RecordNotFound,
    UnknownPerson,
    WrongStatus,
)
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    TestOffice,
    assert_nothing_recorded,
    assert_trail_authorised,
    notification_count,
    office_for_tests,
    recorded_since,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


def test_the_admin_issues_a_token_and_only_its_digest_is_stored(
    office: TestOffice, agency: AgencyPeople
) -> None:
    before = notification_count(office)
    issued = office.tokens.issue(agency.drafter, by=agency.admin, label="OA 系统")
    assert re.fullmatch(r"gov_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", issued.secret)
    assert issued.secret not in repr(issued)
    [event] = recorded_since(office, before)
    assert type(event).__name__ == "Issued" and event.by == agency.admin
    stored = office.app.recorder.select_events(ApiToken.create_id(issued.token_id))
    secret_part = issued.secret.split("_", 2)[2]
    assert all(secret_part.encode() not in bytes(s.state) for s in stored)
    assert issued.token_id.encode() in bytes(stored[0].state)
    info = office.tokens.token(issued.token_id)
    assert (info.person_id, info.label, info.status) == (
        agency.drafter,
        "OA 系统",
        TokenStatus.ACTIVE,
    )
    assert office.tokens.verify(issued.secret).person_id == agency.drafter
    assert_trail_authorised(office, ApiToken.create_id(issued.token_id))


def test_two_tokens_of_one_person_are_distinct(office: TestOffice, agency: AgencyPeople) -> None:
    a = office.tokens.issue(agency.drafter, by=agency.admin)
    b = office.tokens.issue(agency.drafter, by=agency.admin)
    assert a.token_id != b.token_id and a.secret != b.secret
    assert [t.token_id for t in office.tokens.list(person_id=agency.drafter)] == [
        a.token_id,
        b.token_id,
    ]


def test_only_the_organisation_admin_issues_tokens(
    office: TestOffice, agency: AgencyPeople
) -> None:
    """The step is on the authority table; anyone else is refused and nothing recorded."""
    assert authority_of(ApiToken, "Issued") is not None
    assert authority_of(ApiToken, "Revoked") is not None
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.tokens.issue(agency.drafter, by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.tokens.issue(agency.principal, by=agency.office_head)


def test_tokens_only_for_people_of_the_agency_with_a_future_expiry(
    office: TestOffice, agency: AgencyPeople, clock: SettableClock
) -> None:
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.tokens.issue("nobody", by=agency.admin)
    office.org.remove_person(person_id=agency.drafter2, by=agency.admin)
    clock.advance(minutes=1)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="不在本机关"):
        office.tokens.issue(agency.drafter2, by=agency.admin)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="有效期"):
        office.tokens.issue(agency.drafter, by=agency.admin, expires=clock.now())
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.tokens.issue(agency.drafter, by=agency.admin, expires="2027-01-01T00:00")  # naive
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="过长"):
        office.tokens.issue(agency.drafter, by=agency.admin, label="长" * 201)


def test_revocation_by_the_admin_or_the_holder_with_a_reason(
    office: TestOffice, agency: AgencyPeople
) -> None:
    issued = office.tokens.issue(agency.drafter, by=agency.admin)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.tokens.revoke(issued.token_id, reason="看不惯", by=agency.drafter2)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.tokens.revoke(issued.token_id, reason="  ", by=agency.admin)
    info = office.tokens.revoke(issued.token_id, reason="令牌遗失", by=agency.drafter)
    assert (info.status, info.revoked_by, info.revoke_reason) == (
        TokenStatus.REVOKED,
        agency.drafter,
        "令牌遗失",
    )
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.tokens.revoke(issued.token_id, reason="再次", by=agency.admin)
    with pytest.raises(NotAuthenticated):
        office.tokens.verify(issued.secret)
    assert office.tokens.list(include_revoked=False) == []
    assert_trail_authorised(office, ApiToken.create_id(issued.token_id))
    with pytest.raises(RecordNotFound):
        office.tokens.revoke("0" * 16, reason="无", by=agency.admin)
    with pytest.raises(InvalidInput):
        office.tokens.token("not-an-id")


def test_a_revocation_is_seen_by_another_process(tmp_path: Path) -> None:
    """The second actor: a token revoked through one office is refused by another office
    on the same store (another worker of the service) that had verified it before."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    first = office_for_tests(url, start=T0)
    second = office_for_tests(url, start=T0)
    try:
        p = standard_agency(first)
        issued = first.tokens.issue(p.drafter, by=p.admin)
        assert second.tokens.verify(issued.secret).token_id == issued.token_id
        first.tokens.revoke(issued.token_id, reason="离岗", by=p.admin)
        with pytest.raises(NotAuthenticated, match="revoked"):
            second.tokens.verify(issued.secret)
    finally:
        first.close()
        second.close()


# --- govoffice token ---------------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_the_token_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=T0) as office:
        p = standard_agency(office)
    issued = run("token", "issue", p.drafter, "--by", p.admin, "--label", "OA", "--store", url)
    assert issued.exit_code == 0, issued.output
    text = issued.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"gov_[0-9a-f]{16}_\S+", text)
    token_id = text.split("_")[1]
    listed = run("token", "list", "--store", url, "--format", "json")
    [row] = json.loads(listed.stdout)
    assert (row["token_id"], row["person_id"], row["status"]) == (token_id, p.drafter, "active")
    assert text not in listed.output
    refused = run("token", "issue", p.drafter, "--by", p.drafter, "--store", url)
    assert refused.exit_code == 2 and "无权" in refused.output
    revoked = run("token", "revoke", token_id, "--by", p.admin, "--reason", "测试", "--store", url)
    assert revoked.exit_code == 0, revoked.output
    assert (
        json.loads(run("token", "list", "--store", url, "--format", "json").stdout)[0]["status"]
        == "revoked"
    )
    assert "令牌编号" in run("token", "list", "--store", url).output
    with office_for_tests(url, start=T0) as office, pytest.raises(NotAuthenticated):
        office.tokens.verify(text)
