"""[ADR 0057; 《中华人民共和国保守国家秘密法》 知悉范围] Over HTTP, a classified (涉密) record —
its state, history, audit trail, rendering, and a lookup that finds it — is read only within
its need-to-know: whoever handled it or is asked to now, the leaders and the 定密责任人, the
机要室. A clerk of another unit holding a valid token gets 403 and no text; an unclassified
document stays readable by anyone authenticated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("litestar")

from litestar.testing import TestClient

from govoffice.domain.document import DocumentStatus
from govoffice.http.app import create_app
from govoffice.testing import (
    AgencyPeople,
    TestOffice,
    assert_nothing_recorded,
    outgoing_document,
)
from tests.http.live import FORM

SECRET = {**FORM, "classification": "秘密", "secrecy_period": "一年", "disclosure": "不予公开"}
SECRET_TEXT = "涉密正文:某重点项目选址方案……"

PEOPLE = ("drafter", "unit_head", "drafter2", "unit_head2", "principal", "deputy", "secretary")


@pytest.fixture
def tokens(office: TestOffice, agency: AgencyPeople) -> dict[str, str]:
    return {
        p: office.tokens.issue(getattr(agency, p), by=agency.admin, label=p).secret for p in PEOPLE
    }


@pytest.fixture
def api(office: TestOffice, tokens: dict[str, str]) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(office)) as client:
        yield client


def auth(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def draft(api: TestClient[Any], tokens: dict[str, str], form: dict[str, Any]) -> str:
    r = api.post("/documents/draft", json=form, headers=auth(tokens, "drafter"))
    assert r.status_code == 201, r.text
    return str(r.json())


READS = ("/documents/{id}", "/documents/{id}/history", "/audit/{id}/trail")


def test_a_classified_document_is_read_only_within_its_need_to_know(
    api: TestClient[Any], tokens: dict[str, str], office: TestOffice
) -> None:
    doc = draft(api, tokens, {**SECRET, "text": SECRET_TEXT})
    # the drafter (took part) and the leaders (answer for it) read it
    for who in ("drafter", "principal", "deputy"):
        for path in READS:
            r = api.get(path.format(id=doc), headers=auth(tokens, who))
            assert r.status_code == 200, (who, path, r.text)
    # a clerk and a head of another unit, with valid tokens, do not; nothing is shown
    for who in ("drafter2", "unit_head2", "secretary"):
        for path in READS:
            with assert_nothing_recorded(office):
                r = api.get(path.format(id=doc), headers=auth(tokens, who))
            assert r.status_code == 403, (who, path, r.text)
            body = r.json()
            assert body["error"] == "OutsideNeedToKnow"
            assert "知悉范围" in body["message"]
            assert SECRET_TEXT not in r.text and SECRET["title"] not in r.text
    # the drafter's head is asked to review it once it is submitted: then he may read it
    assert api.get(f"/documents/{doc}", headers=auth(tokens, "unit_head")).status_code == 403
    r = api.post(f"/documents/{doc}/submit_for_review", json={}, headers=auth(tokens, "drafter"))
    assert r.status_code == 200, r.text
    r = api.get(f"/documents/{doc}", headers=auth(tokens, "unit_head"))
    assert r.status_code == 200 and SECRET_TEXT in r.text


def test_a_lookup_that_finds_a_classified_record_is_guarded_too(
    api: TestClient[Any], tokens: dict[str, str], office: TestOffice, agency: AgencyPeople
) -> None:
    """Finding a registered classified document by its number, or its state as of a time,
    asks the same question as reading it by id."""
    doc = outgoing_document(
        office,
        agency,
        DocumentStatus.REGISTERED,
        classification="秘密",
        secrecy_period="一年",
        disclosure="不予公开",
    )
    number = str(office.documents.get(doc).number)
    when = office.clock.now().isoformat()
    for who, status in (("drafter", 200), ("principal", 200), ("drafter2", 403)):
        found = api.get(
            "/documents/find_by_number", params={"number": number}, headers=auth(tokens, who)
        )
        assert found.status_code == status, (who, found.text)
        then = api.get(f"/documents/{doc}/as_of", params={"at": when}, headers=auth(tokens, who))
        assert then.status_code == status, (who, then.text)
        if status == 403:
            assert number not in found.text and number not in then.text


def test_an_unclassified_document_is_anyones_to_read(
    api: TestClient[Any], tokens: dict[str, str]
) -> None:
    doc = draft(api, tokens, FORM)
    for who in PEOPLE:
        assert api.get(f"/documents/{doc}", headers=auth(tokens, who)).status_code == 200


def test_an_unknown_record_is_still_404_not_403(
    api: TestClient[Any], tokens: dict[str, str]
) -> None:
    r = api.get("/documents/00000000-0000-4000-8000-000000000000", headers=auth(tokens, "drafter2"))
    assert r.status_code == 404, r.text
