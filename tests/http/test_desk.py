"""The web desk (办公桌面) in process: log in with a token, the 待办 queue, a record with its
decision trail, a step taken with an opinion as the logged-in person, refusals shown with
their bilingual message and recording nothing, CSRF-safe forms, the annual report (ADR 0057).

The browser test against a real server process is tests/http/test_desk_browser.py.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from govoffice.domain.document import DocumentStatus
from govoffice.http.app import create_app
from govoffice.http.desk import COOKIE, DESK_STEPS, csrf_token
from govoffice.testing import (
    AgencyPeople,
    TestOffice,
    assert_nothing_recorded,
    office_for_tests,
    outgoing_document,
    standard_agency,
)

BASE = "http://desk.test"


@pytest.fixture
def office() -> Iterator[TestOffice]:
    office = office_for_tests()
    yield office
    office.close()


@pytest.fixture
def people(office: TestOffice) -> AgencyPeople:
    return standard_agency(office)


def _client(office: TestOffice) -> TestClient:
    return TestClient(create_app(office), base_url=BASE)


def _login(client: TestClient, office: TestOffice, person: str, admin: str) -> str:
    token = office.tokens.issue(person, by=admin, label="办公桌面").secret
    r = client.post("/desk/login", data={"token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/desk/queue"
    return token


@contextmanager
def _access_log() -> Iterator[list[str]]:
    """The service's access log lines while the block runs (its logger, directly: the
    application's logging set-up replaces the root's handlers)."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger = logging.getLogger("govoffice.http.access")
    handler, level = Keep(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None, page
    return found.group(1)


def test_login_keeps_the_token_in_a_strict_httponly_cookie(
    office: TestOffice, people: AgencyPeople
) -> None:
    with _client(office) as client:
        page = client.get("/desk/login")
        assert page.status_code == 200
        assert "登录" in page.text and 'name="token"' in page.text
        token = office.tokens.issue(people.deputy, by=people.admin).secret
        r = client.post("/desk/login", data={"token": token}, follow_redirects=False)
        assert r.status_code == 303
        cookie = r.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Path=/desk" in cookie
        queue = client.get("/desk/queue")
        assert queue.status_code == 200
        assert "何副局长" in queue.text  # the logged-in person, by name
        assert token not in queue.text  # the credential is never written into a page


def test_a_bad_or_missing_token_does_not_log_in(office: TestOffice, people: AgencyPeople) -> None:
    with _client(office) as client:
        r = client.post("/desk/login", data={"token": "gov_0123456789abcdef_nope"})
        assert r.status_code == 401
        assert "令牌无效 (unknown token)" in r.text
        assert "set-cookie" not in r.headers
        r = client.get("/desk/queue", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/desk/login"
        r = client.get("/desk/", follow_redirects=False)
        assert r.headers["location"] == "/desk/login"


def test_the_queue_shows_what_waits_for_the_logged_in_person(
    office: TestOffice, people: AgencyPeople
) -> None:
    """[001 发文 五(五)1] a document the office has reviewed waits on its 分管 leader."""
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    with _client(office) as client:
        _login(client, office, people.deputy, people.admin)
        page = client.get("/desk/queue").text
        assert f'href="/desk/records/{doc}"' in page
        assert "签发" in page and "关于做好春季安全检查工作的通知" in page
        # another person's queue does not hold it
        client.cookies.clear()
        _login(client, office, people.drafter, people.admin)
        assert str(doc) not in client.get("/desk/queue").text


def test_signing_on_the_desk_records_the_opinion_as_the_logged_in_person(
    office: TestOffice, people: AgencyPeople
) -> None:
    """[001 发文 五(五)1] 签发 with the opinion box; the step leaves the queue and joins the
    trail, which names the token it came through (ADR 0055); the access log names the
    person and never the token text."""
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    with _client(office) as client, _access_log() as logged:
        token = _login(client, office, people.deputy, people.admin)
        page = client.get(f"/desk/records/{doc}")
        assert page.status_code == 200
        assert 'id="step-sign"' in page.text
        assert "办公室主任复核" in page.text  # the trail so far
        r = client.post(
            f"/desk/records/{doc}/steps/sign",
            data={"csrf": _csrf(page.text), "opinion": "同意印发。"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"] == f"/desk/records/{doc}?done=sign"
        after = client.get(r.headers["location"]).text
        assert "已签发" in after and "同意印发。" in after
        assert 'id="step-sign"' not in after
        assert str(doc) not in client.get("/desk/queue").text
    record = office.documents.get(doc)
    assert record.status is DocumentStatus.SIGNED
    last = office.documents.history(doc)[-1]
    assert (last.by, last.opinion) == (people.deputy, "同意印发。")
    assert last.via is not None and last.via.method == "token"
    assert last.via.token_id == token.split("_")[1]
    assert f"经token认证 {last.via.token_id}" in after
    step_lines = [line for line in logged if "/steps/sign" in line]
    assert step_lines and f'"person": "{people.deputy}"' in step_lines[0]
    assert not any(token in line for line in logged)
    assert not any(token.split("_")[2] in line for line in logged)


def test_a_step_the_person_may_not_take_is_refused_with_its_message_and_records_nothing(
    office: TestOffice, people: AgencyPeople
) -> None:
    """The desk is no gatekeeper: the domain refuses [001 发文 五(五)1]."""
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    with _client(office) as client:
        _login(client, office, people.drafter, people.admin)
        page = client.get(f"/desk/records/{doc}").text
        assert 'id="no-steps"' in page  # nothing is offered to the drafter
        with assert_nothing_recorded(office):
            r = client.post(
                f"/desk/records/{doc}/steps/sign", data={"csrf": _csrf(page), "opinion": "同意"}
            )
        assert r.status_code == 403
        assert "无权签发公文" in r.text and "(permission denied)" in r.text
        assert "PermissionDenied" in r.text
        assert "同意" in r.text  # what was typed is kept


def test_a_step_taken_twice_is_refused_as_wrong_state(
    office: TestOffice, people: AgencyPeople
) -> None:
    """A second tab signing a document already signed: 409, nothing recorded."""
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    with _client(office) as client:
        _login(client, office, people.deputy, people.admin)
        csrf = _csrf(client.get(f"/desk/records/{doc}").text)
        first = client.post(
            f"/desk/records/{doc}/steps/sign", data={"csrf": csrf, "opinion": "同意"}
        )
        assert first.status_code == 200
        with assert_nothing_recorded(office):
            again = client.post(
                f"/desk/records/{doc}/steps/sign", data={"csrf": csrf, "opinion": "同意"}
            )
        assert again.status_code == 409
        assert "WrongStatus" in again.text


def test_an_opinion_the_step_needs_must_be_given(office: TestOffice, people: AgencyPeople) -> None:
    """退回修改 needs its opinion [001 发文 五(三)]: 400, nothing recorded."""
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    with _client(office) as client:
        _login(client, office, people.deputy, people.admin)
        csrf = _csrf(client.get(f"/desk/records/{doc}").text)
        with assert_nothing_recorded(office):
            r = client.post(
                f"/desk/records/{doc}/steps/return_for_revision_sign",
                data={"csrf": csrf, "opinion": "  "},
            )
        assert r.status_code == 400
        assert "(an opinion is required)" in r.text
        r = client.post(
            f"/desk/records/{doc}/steps/return_for_revision_sign",
            data={"csrf": csrf, "opinion": "请补充检查范围。"},
            follow_redirects=False,
        )
        assert r.status_code == 303
    assert office.documents.get(doc).status is DocumentStatus.RETURNED


def test_forms_without_the_login_s_form_token_or_from_another_site_are_refused(
    office: TestOffice, people: AgencyPeople
) -> None:
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    with _client(office) as client:
        token = _login(client, office, people.deputy, people.admin)
        good = csrf_token(token)
        with assert_nothing_recorded(office):
            missing = client.post(f"/desk/records/{doc}/steps/sign", data={"opinion": "同意"})
            forged = client.post(
                f"/desk/records/{doc}/steps/sign", data={"csrf": "0" * 40, "opinion": "同意"}
            )
            other_site = client.post(
                f"/desk/records/{doc}/steps/sign",
                data={"csrf": good, "opinion": "同意"},
                headers={"Origin": "https://evil.example"},
            )
        assert missing.status_code == forged.status_code == other_site.status_code == 403
        assert "(stale or forged form" in missing.text
        login_elsewhere = client.post(
            "/desk/login", data={"token": token}, headers={"Origin": "https://evil.example"}
        )
        assert login_elsewhere.status_code == 403
        # the same origin passes
        ok = client.post(
            f"/desk/records/{doc}/steps/sign",
            data={"csrf": good, "opinion": "同意"},
            headers={"Origin": BASE},
            follow_redirects=False,
        )
        assert ok.status_code == 303


def test_a_revoked_token_logs_the_desk_out_at_once(
    office: TestOffice, people: AgencyPeople
) -> None:
    with _client(office) as client:
        token = _login(client, office, people.deputy, people.admin)
        assert client.get("/desk/queue").status_code == 200
        office.tokens.revoke(token.split("_")[1], reason="离岗", by=people.admin)
        r = client.get("/desk/queue", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/desk/login"


def test_logout_forgets_the_cookie(office: TestOffice, people: AgencyPeople) -> None:
    with _client(office) as client:
        token = _login(client, office, people.deputy, people.admin)
        r = client.post("/desk/logout", data={"csrf": csrf_token(token)}, follow_redirects=False)
        assert r.status_code == 303
        assert "Max-Age=0" in r.headers["set-cookie"]
        client.cookies.clear()
        assert client.get("/desk/queue", follow_redirects=False).status_code == 303


def test_a_substitute_signs_on_the_leader_s_behalf_from_the_desk(
    office: TestOffice, people: AgencyPeople
) -> None:
    """[001 发文 五(五)1; 001 收文 五(二)1(2)] an important document waits on the principal
    leader; while he is away his appointed substitute (a deputy) sees it in his own queue and
    signs it on his behalf; the trail names both."""
    day = office.org.current().day_of(office.clock.now())
    office.org.appoint_substitute(
        leader=people.principal,
        substitute=people.deputy,
        start=day,
        end=day + timedelta(days=3),
        by=people.admin,
    )
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE, important=True)
    with _client(office) as client:
        _login(client, office, people.deputy, people.admin)
        queue = client.get("/desk/queue").text
        assert str(doc) in queue and "代 陈局长" in queue
        page = client.get(f"/desk/records/{doc}").text
        r = client.post(
            f"/desk/records/{doc}/steps/sign",
            data={"csrf": _csrf(page), "opinion": "同意(代签)"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        trail = client.get(r.headers["location"]).text
        assert "何副局长(代 陈局长)" in trail
    last = office.documents.history(doc)[-1]
    assert (last.by, last.on_behalf_of) == (people.deputy, people.principal)


def test_the_drafter_moves_a_returned_draft_on_from_the_desk(
    office: TestOffice, people: AgencyPeople
) -> None:
    """The queue's 修改文稿 step: the drafter revises the text, then submits it again; not
    before revising [001 发文 五(四)1(4)]."""
    doc = outgoing_document(office, people, to=DocumentStatus.RETURNED)
    with _client(office) as client:
        _login(client, office, people.drafter, people.admin)
        page = client.get(f"/desk/records/{doc}").text
        assert 'id="step-revise"' in page and 'id="step-submit_for_review"' in page
        text = office.documents.get(doc).form.text
        assert f">{text}</textarea>" in page  # the box holds the text as it stands
        with assert_nothing_recorded(office):
            early = client.post(
                f"/desk/records/{doc}/steps/submit_for_review", data={"csrf": _csrf(page)}
            )
        assert early.status_code == 409 and "RevisionRequired" in early.text
        r = client.post(
            f"/desk/records/{doc}/steps/revise",
            data={"csrf": _csrf(page), "opinion": text + "\n(已按意见补充检查范围)"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        r = client.post(
            f"/desk/records/{doc}/steps/submit_for_review",
            data={"csrf": _csrf(page)},
            follow_redirects=False,
        )
        assert r.status_code == 303
    assert office.documents.get(doc).status is DocumentStatus.UNIT_REVIEW


def test_unknown_records_and_steps(office: TestOffice, people: AgencyPeople) -> None:
    with _client(office) as client:
        token = _login(client, office, people.deputy, people.admin)
        missing = client.get(f"/desk/records/{uuid.uuid4()}")
        assert missing.status_code == 404
        assert "未能办理" in missing.text
        doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
        with assert_nothing_recorded(office):
            r = client.post(
                f"/desk/records/{doc}/steps/no_such_step", data={"csrf": csrf_token(token)}
            )
        assert r.status_code == 400 and "(no such step)" in r.text


def test_the_annual_report_page(office: TestOffice, people: AgencyPeople) -> None:
    outgoing_document(office, people, to=DocumentStatus.SIGNED)
    with _client(office) as client:
        _login(client, office, people.deputy, people.admin)
        page = client.get("/desk/report?year=2026")
        assert page.status_code == 200
        assert "年度报告" in page.text and 'id="nav-queue"' in page.text
        assert client.get("/desk/report").text == page.text  # the agency's year by default
        none = client.get("/desk/report?year=2019")
        assert none.status_code in (404, 409)
        assert "2019" in none.text


def test_every_desk_step_names_a_queue_step_the_queue_knows() -> None:
    from govoffice.application.queues import STEP_LABELS

    for step in DESK_STEPS:
        assert step.step in STEP_LABELS, step
        assert step.opinion in ("required", "optional", "none", "findings", "text"), step


def test_a_leader_instructs_an_incoming_document_on_the_desk(
    office: TestOffice, people: AgencyPeople
) -> None:
    """收文 [001 收文 五(二)1]: a leader on the instruction list 阅批 with an opinion; the
    unit head then 承办 and 办结 with the result in the box (required)."""
    from govoffice.domain.incoming import IncomingStatus
    from govoffice.testing import incoming_document

    doc = incoming_document(office, people, to=IncomingStatus.AWAITING_INSTRUCTION)
    with _client(office) as client:
        _login(client, office, people.deputy, people.admin)
        page = client.get(f"/desk/records/{doc}").text
        assert 'id="step-instruct"' in page
        r = client.post(
            f"/desk/records/{doc}/steps/instruct",
            data={"csrf": _csrf(page), "opinion": "请业务一处抓紧办理。"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert str(doc) not in client.get("/desk/queue").text
    decision = office.incoming.history(doc)[-1]
    assert decision.by == people.deputy
    assert decision.opinion.startswith("请业务一处抓紧办理。")

    doc = incoming_document(office, people, to=IncomingStatus.IN_HANDLING)
    with _client(office) as client:
        _login(client, office, people.unit_head, people.admin)
        page = client.get(f"/desk/records/{doc}").text
        with assert_nothing_recorded(office):
            empty = client.post(f"/desk/records/{doc}/steps/handle", data={"csrf": _csrf(page)})
        assert empty.status_code == 400
        r = client.post(
            f"/desk/records/{doc}/steps/handle",
            data={"csrf": _csrf(page), "opinion": "已按要求完成检查,报告附后。"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
    assert office.incoming.get(doc).status is IncomingStatus.HANDLED


def test_the_office_registers_a_signed_document_on_the_desk(
    office: TestOffice, people: AgencyPeople
) -> None:
    """登记 [001 发文 五(六)1]: 分发范围 and 份数 beside the step; the number is the next of
    the issuer's series (ADR 0003) and shows on the record page; a 份数 that is not a
    number is refused and records nothing."""
    doc = outgoing_document(office, people, to=DocumentStatus.SIGNED)
    with _client(office) as client:
        _login(client, office, people.secretary, people.admin)
        page = client.get(f"/desk/records/{doc}").text
        assert 'id="step-register"' in page and 'name="copies"' in page
        with assert_nothing_recorded(office):
            bad = client.post(
                f"/desk/records/{doc}/steps/register",
                data={"csrf": _csrf(page), "distribution_scope": "各处室", "copies": "十"},
            )
        assert bad.status_code == 400 and "(not a whole number)" in bad.text
        assert 'value="十"' in bad.text  # what was typed is kept
        r = client.post(
            f"/desk/records/{doc}/steps/register",
            data={"csrf": _csrf(page), "distribution_scope": "各处室", "copies": "12"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        after = client.get(r.headers["location"]).text
        assert "X政发〔2026〕1号" in after and "已登记编号" in after
    assert str(office.documents.get(doc).number) == "X政发〔2026〕1号"


def test_the_wheel_carries_every_desk_template() -> None:
    """Each file of the desk's templates matches a package-data pattern of pyproject.toml."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["govoffice.http"]
    package = root / "src" / "govoffice" / "http"
    carried = {p for pattern in patterns for p in package.glob(pattern)}
    templates = [p for p in (package / "templates").rglob("*") if p.is_file()]
    assert templates and all(p in carried for p in templates), templates


def test_a_unit_head_countersigns_for_his_unit_on_the_desk(
    office: TestOffice, people: AgencyPeople
) -> None:
    """会签 [001 发文 五(三)2]: the step waits on the head of the party unit; the desk passes
    the party its queue item names, and a disagreement needs its opinion."""
    doc = outgoing_document(office, people, to=DocumentStatus.COUNTERSIGNING)
    with _client(office) as client:
        _login(client, office, people.unit_head2, people.admin)
        page = client.get(f"/desk/records/{doc}").text
        assert 'id="step-countersign_agree"' in page and 'id="step-countersign_disagree"' in page
        with assert_nothing_recorded(office):
            silent = client.post(
                f"/desk/records/{doc}/steps/countersign_disagree", data={"csrf": _csrf(page)}
            )
        assert silent.status_code == 400
        r = client.post(
            f"/desk/records/{doc}/steps/countersign_agree",
            data={"csrf": _csrf(page), "opinion": "同意,无修改意见。"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert str(doc) not in client.get("/desk/queue").text
    last = office.documents.history(doc)[-1]
    assert last.by == people.unit_head2 and "同意,无修改意见。" in last.opinion
    assert last.details["answer"].party.id == "biz2"
