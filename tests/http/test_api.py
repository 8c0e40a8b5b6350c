"""[issue 15 §1, §2, §4, §6; ADR 0054, 0056] The HTTP service in process (Litestar's test
client): every facade method has a route (or a stated reason not to), each route is in the
OpenAPI document with its parameters, every public error maps to a status, refusals are
problem bodies that record nothing, the acting person is the authenticated one, Chinese
labels are accepted as in Python, idempotency and If-Match, health, size limit, logs."""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("litestar")

from litestar.testing import TestClient

import govoffice.errors as public_errors
from govoffice.application.typecheck import Facade
from govoffice.domain.errors import GovOfficeError
from govoffice.http.app import create_app
from govoffice.http.openapi import text as openapi_text
from govoffice.http.problems import STATUS, status_of
from govoffice.http.routes import AREAS, not_routed, operations, public_methods
from govoffice.testing import AgencyPeople, TestOffice, assert_nothing_recorded
from tests.http.live import FORM

ROOT = Path(__file__).resolve().parents[2]
NOT_SERVED_AREAS = {"tokens": "served by the identity routes (ADR 0055)"}


@pytest.fixture
def tokens(office: TestOffice, agency: AgencyPeople) -> dict[str, str]:
    people = ("drafter", "unit_head", "secretary", "office_head", "principal", "archivist")
    return {
        p: office.tokens.issue(getattr(agency, p), by=agency.admin, label=p).secret for p in people
    }


@pytest.fixture
def api(office: TestOffice, tokens: dict[str, str]) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(office, max_body_bytes=64 * 1024)) as client:
        yield client


def auth(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def draft(api: TestClient[Any], tokens: dict[str, str], **changes: Any) -> str:
    r = api.post("/documents/draft", json={**FORM, **changes}, headers=auth(tokens, "drafter"))
    assert r.status_code == 201, r.text
    return str(r.json())


def problem_of(r: Any, status: int, error: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert {"type", "title", "status", "detail", "error", "message", "details"} <= set(body)
    assert body["status"] == status and body["error"] == error, body
    assert body["type"] == f"urn:govoffice:problem:{error}"
    return body


# --- the routes -----------------------------------------------------------------------------


def test_every_public_method_of_the_facade_has_a_route_or_a_reason(office: TestOffice) -> None:
    """One route per method, derived from its signature: a method added later is served
    (or this test names it)."""
    served = {op.id for op in operations(office)}
    areas = {n for n, v in vars(office).items() if isinstance(v, Facade)}
    assert areas == set(AREAS) | set(NOT_SERVED_AREAS) | {"calendar"} or areas >= set(AREAS)
    assert not (areas - set(AREAS) - set(NOT_SERVED_AREAS)), "an area is neither served nor listed"
    for area in AREAS:
        for name, _ in public_methods(getattr(office, area)):
            key = f"{area}.{name}"
            assert key in served or not_routed(area, name), f"{key}: no route and no reason"
            assert not (key in served and not_routed(area, name))
    commands = [op for op in operations(office) if op.command]
    assert all(op.http_method == "POST" for op in commands)
    assert all("by" not in {p.name for p in op.body} for op in commands)
    assert len(served) > 200


def test_every_route_is_in_the_openapi_document_with_its_parameters(
    api: TestClient[Any], office: TestOffice
) -> None:
    r = api.get("/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    schemas = doc["components"]["schemas"]
    for op in operations(office):
        path = op.path.replace("{record_id:str}", "{record_id}")
        entry = doc["paths"][path][op.http_method.lower()]
        assert entry["operationId"] == op.id
        names = {p["name"] for p in entry.get("parameters", [])}
        assert {p.name for p in op.query} <= names, op.id
        if op.record is not None:
            assert "record_id" in names
        if op.command:
            assert "Idempotency-Key" in names
        if op.body or op.open_fields:
            content = entry["requestBody"]["content"]["application/json"]["schema"]
            ref = content.get("$ref") or content["oneOf"][0]["$ref"]
            fields = set(schemas[ref.rsplit("/", 1)[1]]["properties"])
            assert {p.name for p in op.body} <= fields, op.id
            assert "by" not in fields
    draft_body = schemas["DocumentsDraftBody"]
    assert {"title", "doc_type", "main_recipients", "text"} <= set(draft_body["required"])
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_checked_in_openapi_document_is_current() -> None:
    """docs/openapi.json is what the service serves (regenerate:
    ``python -m govoffice.http.openapi docs/openapi.json``)."""
    checked_in = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert json.loads(checked_in) == json.loads(openapi_text())


# --- errors -----------------------------------------------------------------------------------


def public_error_classes() -> list[type[GovOfficeError]]:
    found = []
    for name in dir(public_errors):
        value = getattr(public_errors, name)
        if isinstance(value, type) and issubclass(value, GovOfficeError):
            found.append(value)
    return found


def test_every_public_error_maps_to_a_status() -> None:
    """One table: every public error has a status; every name in it is an error."""
    classes = public_error_classes()
    assert len(classes) > 150
    names = {c.__name__ for c in classes} | {
        "RequestTooLarge",
        "IdempotencyKeyReused",
        "IdempotencyKeyInFlight",
    }
    assert set(STATUS) <= names, set(STATUS) - names
    for cls in classes:
        if cls is GovOfficeError:
            continue  # never raised bare; an error without a family would be a 500
        mro = [c.__name__ for c in cls.__mro__]
        assert any(n in STATUS for n in mro), f"{cls.__name__} has no status"
        error = cls.__new__(cls)
        status = status_of(error)
        if issubclass(cls, public_errors.NotAuthenticated):
            assert status == 401
        elif issubclass(cls, public_errors.EventTooLarge | public_errors.RequestTooLarge):
            assert status == 413
        elif issubclass(cls, public_errors.IdempotencyKeyReused):
            assert status == 422
        elif issubclass(cls, public_errors.InvalidInput):
            assert status == 400, cls
        elif issubclass(cls, public_errors.PermissionDenied):
            assert status == 403, cls
        elif issubclass(cls, public_errors.NotFound):
            assert status == 404, cls
        elif issubclass(cls, public_errors.WrongStatus | public_errors.RuleViolation):
            assert status == 409, cls
        else:
            assert status in (404, 409, 500, 501, 502, 503), cls


def test_refusals_are_problems_and_record_nothing(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str], agency: AgencyPeople
) -> None:
    """400 bad input, 401 no credentials, 403 not entitled, 404 unknown record, 409 wrong
    state: the error's name, its bilingual message and its fields."""
    doc = draft(api, tokens)
    cases: list[tuple[str, str, Any, str, int, str]] = [
        ("unit_head", f"/documents/{doc}/review", None, "", 409, "WrongStatus"),
        ("drafter", f"/documents/{doc}/withdraw", {"reason": ""}, "", 400, "InvalidInput"),
        ("drafter", "/documents/draft", {**FORM, "urgency": "火急"}, "", 400, "InvalidInput"),
        ("drafter", "/documents/draft", {**FORM, "copies": True}, "", 400, "InvalidInput"),
        ("drafter", "/documents/draft", {**FORM, "title": 3}, "", 400, "InvalidInput"),
        (
            "drafter",
            "/documents/draft",
            {**FORM, "at": "2026-03-02T09:00"},
            "",
            400,
            "NaiveDateTime",
        ),
        ("drafter", "/documents/draft", {**FORM, "colour": "红"}, "", 400, "InvalidInput"),
        ("secretary", f"/documents/{uuid.uuid4()}/sign", None, "", 404, "RecordNotFound"),
        ("secretary", "/documents/not-an-id/sign", None, "", 404, "RecordNotFound"),
        ("archivist", f"/documents/{doc}/submit_for_review", None, "", 403, "PermissionDenied"),
        ("", f"/documents/{doc}/submit_for_review", None, "", 401, "NotAuthenticated"),
        (
            "drafter",
            f"/documents/{doc}/submit_for_review",
            {"by": agency.unit_head},
            "",
            400,
            "ActorInBody",
        ),
        (
            "",
            f"/documents/{doc}/submit_for_review",
            {"by": agency.drafter},
            "",
            401,
            "NotAuthenticated",
        ),
    ]
    for who, path, body, _, status, error in cases:
        headers = auth(tokens, who) if who else {}
        with assert_nothing_recorded(office):
            r = api.post(path, json=body, headers=headers)
        problem = problem_of(r, status, error)
        assert problem["detail"] == problem["message"] and problem["instance"] == path
    with assert_nothing_recorded(office):
        r = api.post(
            f"/documents/{doc}/submit_for_review",
            params={"by": agency.drafter},
            headers=auth(tokens, "archivist"),
        )
    problem_of(r, 400, "ActorInBody")
    refusal = problem_of(
        api.post(f"/documents/{doc}/submit_for_review", headers=auth(tokens, "archivist")),
        403,
        "PermissionDenied",
    )
    assert refusal["details"]["person_id"] == agency.archivist
    assert "(" in refusal["message"]  # 中文 (english)


def test_the_acting_person_is_the_authenticated_one_and_the_trail_records_the_token(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str], agency: AgencyPeople
) -> None:
    doc = draft(api, tokens)
    api.post(f"/documents/{doc}/submit_for_review", headers=auth(tokens, "drafter"))
    history = office.documents.history(doc)
    assert [h.by for h in history] == [agency.drafter, agency.drafter]
    token_id = tokens["drafter"].split("_")[1]
    assert all(h.via is not None and h.via.token_id == token_id for h in history)
    # the trail over HTTP says the same
    trail = api.get(f"/audit/{doc}/trail", headers=auth(tokens, "unit_head")).json()
    assert trail["entries"][0]["decision"]["via"] == {"method": "token", "token_id": token_id}
    assert trail["entries"][0]["check"]["held"] is True


def test_chinese_labels_times_in_any_zone_and_typed_values_arrive_as_in_python(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str], agency: AgencyPeople
) -> None:
    """[ADR 0029] 文种 通知, 紧急程度 加急 by their Chinese labels; a time in UTC means the
    same business time as in Asia/Shanghai."""
    at = office.clock.now().in_timezone("UTC").isoformat()
    doc = draft(api, tokens, urgency="加急", at=at)
    record = office.documents.get(doc)
    assert record.form.urgency.label == "加急" and record.form.doc_type.label == "通知"
    assert record.drafted_at == office.clock.now()
    api.post(f"/documents/{doc}/submit_for_review", headers=auth(tokens, "drafter"))
    r = api.get(
        "/queues/for_person",
        params={"person_id": agency.unit_head},
        headers=auth(tokens, "drafter"),
    )
    assert r.status_code == 200
    assert [item["record_id"] for item in r.json()] == [doc]


def test_queries_records_queues_reports_and_audit(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str], agency: AgencyPeople
) -> None:
    doc = draft(api, tokens)
    h = auth(tokens, "office_head")
    record = api.get(f"/documents/{doc}", headers=h)
    assert record.status_code == 200 and record.headers["etag"] == '"1"'
    assert record.json()["id"] == doc and record.json()["form"]["doc_type"] == "notice"
    assert api.get(f"/documents/{doc}/history", headers=h).json()[0]["action"] == "Drafted"
    day = office.clock.now().in_timezone("Asia/Shanghai").date().isoformat()
    for path, params in [
        ("/queues/for_unit", {"unit_id": "biz1", "on": day}),
        ("/queues/overdue", {"on": day}),
        ("/queues/to_urge", {}),
        ("/rankings/rank", {"period": str(office.clock.now().year)}),
        ("/audit/verify", {}),
        ("/org/current", {}),
        ("/calendar/is_working_day", {"day": day}),
    ]:
        r = api.get(path, params=params, headers=h)
        assert r.status_code == 200, (path, r.text)
    year = office.clock.now().in_timezone("Asia/Shanghai").year
    for fmt, media in [
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("html", "text/html"),
        ("md", "text/markdown"),
    ]:
        r = api.get("/reports/annual", params={"year": year, "format": fmt}, headers=h)
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), fmt
    assert json.loads(api.get("/reports/annual", params={"year": year}, headers=h).text)
    problem_of(api.get(f"/documents/{uuid.uuid4()}", headers=h), 404, "RecordNotFound")
    problem_of(
        api.get("/documents/find_by_number", params={"number": "X"}, headers=h),
        400,
        "MalformedDocumentNumber",
    )


# --- idempotency and versions --------------------------------------------------------------------


def test_a_retried_command_with_the_same_key_gets_the_first_answer(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str]
) -> None:
    """[ADR 0056] The retry is answered from the store: same status, body and ETag; nothing
    recorded; the same key with another body is 422; a refusal is kept as the answer too."""
    key = {"Idempotency-Key": "draft-0001"}
    first = api.post("/documents/draft", json=FORM, headers=auth(tokens, "drafter") | key)
    with assert_nothing_recorded(office):
        again = api.post("/documents/draft", json=FORM, headers=auth(tokens, "drafter") | key)
        assert (again.status_code, again.text) == (first.status_code, first.text)
        assert again.headers["idempotency-replayed"] == "true"
        problem_of(
            api.post(
                "/documents/draft",
                json={**FORM, "title": "另一个"},
                headers=auth(tokens, "drafter") | key,
            ),
            422,
            "IdempotencyKeyReused",
        )
    # another person's identical key is theirs alone
    other = api.post("/documents/draft", json=FORM, headers=auth(tokens, "unit_head") | key)
    assert other.status_code == 201 and other.text != first.text
    # a refusal is the first answer too
    doc = first.json()
    k2 = {"Idempotency-Key": "archive-too-early"}
    refused = api.post(f"/documents/{doc}/archive", headers=auth(tokens, "archivist") | k2)
    with assert_nothing_recorded(office):
        retried = api.post(f"/documents/{doc}/archive", headers=auth(tokens, "archivist") | k2)
    assert refused.status_code == retried.status_code == 409 and refused.text == retried.text


def test_if_match_on_a_stale_version_is_409_and_records_nothing(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str]
) -> None:
    doc = draft(api, tokens)
    h = auth(tokens, "drafter")
    etag = api.get(f"/documents/{doc}", headers=h).headers["etag"]
    r = api.post(f"/documents/{doc}/submit_for_review", headers=h | {"If-Match": etag})
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    with assert_nothing_recorded(office):
        stale = api.post(
            f"/documents/{doc}/withdraw", json={"reason": "撤回"}, headers=h | {"If-Match": etag}
        )
        body = problem_of(stale, 409, "StaleVersion")
        assert body["details"] == {"record_id": doc, "expected": 1, "current": 2}
        problem_of(
            api.post(
                f"/documents/{doc}/withdraw",
                json={"reason": "撤回"},
                headers=h | {"If-Match": "v1"},
            ),
            400,
            "InvalidInput",
        )
    r = api.post(
        f"/documents/{doc}/withdraw", json={"reason": "撤回"}, headers=h | {"If-Match": '"2"'}
    )
    assert r.status_code == 200 and r.headers["etag"] == '"3"'


# --- operations -------------------------------------------------------------------------------------


def test_health_needs_no_credentials(api: TestClient[Any]) -> None:
    r = api.get("/health")
    assert r.status_code == 200 and r.json() == {"status": "ok", "store": "memory"}


def test_a_body_over_the_limit_is_413_and_records_nothing(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str]
) -> None:
    with assert_nothing_recorded(office):
        r = api.post(
            "/documents/draft",
            json={**FORM, "text": "字" * 40_000},
            headers=auth(tokens, "drafter"),
        )
    problem_of(r, 413, "RequestTooLarge")


def test_access_logs_name_the_person_and_token_never_the_secret_or_the_body(
    api: TestClient[Any], tokens: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    secret_text = "绝密正文不得入日志"
    with caplog.at_level(logging.INFO, logger="govoffice.http.access"):
        draft(api, tokens, text=secret_text)
        api.get("/health")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name.endswith("access")]
    assert lines[0]["method"] == "POST" and lines[0]["path"] == "/documents/draft"
    assert lines[0]["status"] == 201 and lines[0]["auth"] == "token"
    assert lines[0]["token_id"] == tokens["drafter"].split("_")[1]
    assert isinstance(lines[0]["duration_ms"], float)
    logged = caplog.text
    assert tokens["drafter"] not in logged and secret_text not in logged
    assert tokens["drafter"].split("_")[2] not in logged


def test_the_factory_signature_is_keyword_only() -> None:
    params = inspect.signature(create_app).parameters
    assert all(p.kind is p.KEYWORD_ONLY for n, p in params.items() if n != "office")


def test_a_token_acts_for_another_only_as_their_substitute_that_day(
    api: TestClient[Any], office: TestOffice, tokens: dict[str, str], agency: AgencyPeople
) -> None:
    """[issue 15 §3] A token of A acts as A; it acts for B only with ``on_behalf_of``, when
    the organisation has A as B's substitute that day (局长出差, 副局长代为签发)."""
    from govoffice.domain.document import DocumentStatus
    from govoffice.testing import outgoing_document

    today = office.clock.now().in_timezone("Asia/Shanghai").date()
    office.org.appoint_substitute(
        leader=agency.principal,
        substitute=agency.deputy,
        start=today,
        end=today,
        reason="出差",
        by=agency.admin,
    )
    deputy = office.tokens.issue(agency.deputy, by=agency.admin).secret
    doc = outgoing_document(office, agency, DocumentStatus.AWAITING_SIGNATURE)
    office.clock.advance(minutes=90)
    body = {"opinion": "同意", "on_behalf_of": agency.principal}
    with assert_nothing_recorded(office):
        refused = api.post(f"/documents/{doc}/sign", json=body, headers=auth(tokens, "drafter"))
    problem_of(refused, 403, "NotASubstitute")
    r = api.post(f"/documents/{doc}/sign", json=body, headers={"Authorization": f"Bearer {deputy}"})
    assert r.status_code == 200, r.text
    signed = office.documents.history(doc)[-1]
    assert (signed.by, signed.on_behalf_of) == (agency.deputy, agency.principal)


def test_unknown_routes_and_methods_are_problems_too(
    api: TestClient[Any], tokens: dict[str, str]
) -> None:
    problem_of(api.get("/no/such/route", headers=auth(tokens, "drafter")), 404, "NotFound")
    problem_of(
        api.get("/documents/draft", headers=auth(tokens, "drafter")), 405, "MethodNotAllowed"
    )
