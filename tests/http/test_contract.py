"""[issue 15 §2, §4, ADR 0054, 0056] Contract tests over HTTP against a real ``govoffice
serve`` process on loopback, on SQLite and on PostgreSQL (two worker processes there).

A 发文 goes from draft to archive driven only over HTTP, by six people each with a token of
their own [001 发文 五(一)–(六)]; every refusal (wrong person, unknown record, wrong state,
bad input, no credentials, ``by`` in the body, a stale ``If-Match``) answers its mapped
status with a problem body and records nothing; the same ``Idempotency-Key`` sent three
times at once records once."""

from __future__ import annotations

import concurrent.futures
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.http.live import FORM, event_count, prepare, serving

pytest.importorskip("litestar")
pytest.importorskip("uvicorn")

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A served office: its store URL, base URL, people, their tokens and token ids."""
    if request.param == "sqlite":
        url, workers = f"sqlite:///{tmp_path / 'office.db'}", 1
    else:
        url, workers = str(request.getfixturevalue("postgres_schema_url")), 2
    people, secrets, ids = prepare(url)
    with serving(url, workers=workers, log=tmp_path / "server.log") as (base, _):
        yield {"url": url, "base": base, "people": people, "secrets": secrets, "ids": ids}


def client(live: dict[str, Any], actor: str | None) -> httpx.Client:
    headers = {} if actor is None else {"Authorization": f"Bearer {live['secrets'][actor]}"}
    return httpx.Client(base_url=live["base"], headers=headers, timeout=30)


def refused(
    live: dict[str, Any],
    status: int,
    error: str,
    actor: str | None,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST ``path`` as ``actor``: the mapped status, a problem body, nothing recorded."""
    before = event_count(live["url"])
    with client(live, actor) as c:
        r = c.post(path, json=body, headers=headers or {})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == status and problem["error"] == error, problem
    assert problem["message"] and "(" in problem["message"]  # bilingual: 中文 (english)
    assert event_count(live["url"]) == before
    return problem


def test_a_document_from_draft_to_archive_over_http(live: dict[str, Any]) -> None:
    """[001 发文 五] 拟稿 → 审核 → 办公室初核、复核 → 签发 → 登记 → 复核 → 印制 → 校对 → 分发
    → 归档, each step by the person the office rules name, each with their own token; the
    trail names each person and the token they acted with."""
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("drafter", "submit_for_review", {}),
        ("unit_head", "review", {"opinion": "同意"}),
        ("drafter", "submit_to_office", {}),
        ("secretary", "office_check", {}),
        ("office_head", "office_review", {}),
        ("principal", "sign", {"opinion": "同意印发"}),
        ("secretary", "register", {"distribution_scope": "各处室", "copies": 3}),
        ("secretary", "recheck", {}),
        ("secretary", "print_copies", {"site": "文印室"}),
        ("drafter", "check_print", {}),
        ("drafter", "distribute", {}),
        ("archivist", "archive", {"retention": "永久"}),
    ]
    with client(live, "drafter") as c:
        r = c.post("/documents/draft", json=FORM)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert r.headers["location"] == f"/documents/{doc}"
    answers = {}
    for version, (actor, step, body) in enumerate(steps, start=2):
        with client(live, actor) as c:
            r = c.post(f"/documents/{doc}/{step}", json=body or None)
        assert r.status_code == 200, (step, r.text)
        assert r.headers["etag"] == f'"{version}"', step
        answers[step] = r.json()
    assert answers["register"] == {
        "text": f"X政发〔{answers['register']['year']}〕1号",
        "issuer_code": "X政发",
        "year": answers["register"]["year"],
        "serial": 1,
    }
    assert answers["recheck"] == []
    with client(live, "archivist") as c:
        record = c.get(f"/documents/{doc}")
        trail = c.get(f"/documents/{doc}/history").json()
        n = record.json()["number"]
        text = n["text"]
        assert text == f"{n['issuer_code']}〔{n['year']}〕{n['serial']}号"
        number = c.get("/documents/find_by_number", params={"number": text})
    assert record.status_code == 200 and record.headers["etag"] == f'"{len(steps) + 1}"'
    assert record.json()["status"] == "archived"
    assert record.json()["archived_retention"] == "permanent"  # the label 永久 was accepted
    assert number.status_code == 200 and number.json()["id"] == doc
    people, ids = live["people"], live["ids"]
    actors = ["drafter"] + [actor for actor, _, _ in steps]
    assert [d["by"] for d in trail] == [getattr(people, a) for a in actors]
    assert [d["via"] for d in trail] == [{"method": "token", "token_id": ids[a]} for a in actors]
    assert len({d["by"] for d in trail}) >= 5


def test_refusals_answer_their_status_and_record_nothing(live: dict[str, Any]) -> None:
    """Wrong person 403, unknown record 404, wrong state 409, bad input 400, no credentials
    401, ``by`` in the body 400, a stale If-Match 409: a problem body, nothing recorded."""
    with client(live, "drafter") as c:
        doc = c.post("/documents/draft", json=FORM).json()
    # wrong person: the drafter cannot review their own unit's draft as its head
    with client(live, "drafter") as c:
        assert c.post(f"/documents/{doc}/submit_for_review").status_code == 200
    problem = refused(live, 403, "PermissionDenied", "drafter", f"/documents/{doc}/review")
    assert problem["details"]["person_id"] == live["people"].drafter
    # unknown record
    refused(live, 404, "RecordNotFound", "unit_head", f"/documents/{uuid.uuid4()}/review")
    # wrong state: archive before it is signed
    refused(live, 409, "WrongStatus", "archivist", f"/documents/{doc}/archive")
    # bad input: an unknown document type, a number that is text, a missing field
    refused(live, 400, "InvalidInput", "drafter", "/documents/draft", {**FORM, "doc_type": "密电"})
    refused(
        live,
        400,
        "InvalidInput",
        "secretary",
        f"/documents/{doc}/register",
        {"distribution_scope": "各处室", "copies": "三"},
    )
    refused(live, 400, "InvalidInput", "drafter", "/documents/draft", {"title": "无正文"})
    # no credentials, a forged token
    refused(live, 401, "NotAuthenticated", None, f"/documents/{doc}/review")
    before = event_count(live["url"])
    r = httpx.post(
        f"{live['base']}/documents/{doc}/review",
        headers={"Authorization": "Bearer gov_0000000000000000_forged"},
    )
    assert r.status_code == 401 and event_count(live["url"]) == before
    # the acting person is never the body's
    problem = refused(
        live,
        400,
        "ActorInBody",
        "drafter",
        f"/documents/{doc}/review",
        {"by": live["people"].unit_head},
    )
    assert "on_behalf_of" in problem["message"]
    # a stale If-Match: the record moved on since version 1 was read
    refused(
        live,
        409,
        "StaleVersion",
        "unit_head",
        f"/documents/{doc}/review",
        {},
        headers={"If-Match": '"1"'},
    )
    with client(live, "unit_head") as c:
        r = c.post(f"/documents/{doc}/review", json={}, headers={"If-Match": '"2"'})
    assert r.status_code == 200 and r.headers["etag"] == '"3"'


def test_the_same_idempotency_key_three_times_at_once_records_once(
    live: dict[str, Any],
) -> None:
    """[ADR 0056] Three concurrent requests with one key: one draft, one answer for all;
    the key with another body is refused (422) and records nothing."""
    before = event_count(live["url"])
    key = str(uuid.uuid4())

    def send(_: int) -> httpx.Response:
        with client(live, "drafter") as c:
            return c.post("/documents/draft", json=FORM, headers={"Idempotency-Key": key})

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        responses = list(pool.map(send, range(3)))
    assert [r.status_code for r in responses] == [201, 201, 201], [r.text for r in responses]
    assert len({r.text for r in responses}) == 1
    assert sorted(r.headers.get("idempotency-replayed", "") for r in responses) == [
        "",
        "true",
        "true",
    ]
    assert event_count(live["url"]) == before + 1
    refused(
        live,
        422,
        "IdempotencyKeyReused",
        "drafter",
        "/documents/draft",
        {**FORM, "title": "另一份通知"},
        headers={"Idempotency-Key": key},
    )
    # the same key is the sender's own: another person's key of the same text is theirs
    with client(live, "secretary") as c:
        r = c.post("/documents/draft", json=FORM, headers={"Idempotency-Key": key})
    assert r.status_code == 403  # a secretary of the office does not draft for biz1
