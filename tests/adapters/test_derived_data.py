"""[ADR 0031] 派生数据: the read models, the outbox and the tick memo live beside the events,
outside their seals; ``office.audit.verify(views=True)`` checks them against the events they
were derived from, names each row that differs, and rebuilds it on ``repair=True``; a corrupt
row is a named error, never served; a forged memo row does not silence a deadline.

The rows are edited as an intruder with write access to the database would: raw SQL on the
SQLite file and the PostgreSQL schema, with the office closed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner
from eventsourcing.utils import get_topic

from govoffice.application.audit import UnverifiedEvent, VerifyReport
from govoffice.application.notifications import OUTBOX
from govoffice.application.queues import QueueProjection
from govoffice.application.services import TICK_MEMO_VIEW
from govoffice.application.views import CorruptViewRow
from govoffice.cli import main
from govoffice.domain.document import DocumentStatus
from govoffice.domain.supervision import SupervisionStatus, SupervisionTask
from govoffice.testing import AgencyPeople, outgoing_document, standard_agency, supervision_task
from tests.adapters.raw_store import RawStore, open_store, raw_store

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
KEY = "机要室保管的审计密钥"
QUEUES = QueueProjection.view
NOTIFICATIONS = "notifications.v1"
TASKS = get_topic(SupervisionTask)
LATER = T0.add(days=200)
"""Past the open task's deadline."""


@pytest.fixture(autouse=True)
def _no_ambient_audit_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("GOVOFFICE_AUDIT_KEY", "GOVOFFICE_AUDIT_HEADS", "GOVOFFICE_AUDIT_RETIRED_KEYS"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> RawStore:
    return raw_store(str(request.param), tmp_path, request)


KEYED = pytest.mark.parametrize("key", [None, KEY], ids=["unkeyed", "keyed"])


@dataclass
class Given:
    people: AgencyPeople
    doc: uuid.UUID
    """A document awaiting signature: a queue item for the signer, outbox rows for them."""
    open_task: uuid.UUID
    closed_task: uuid.UUID


def given(store: RawStore, key: str | None = None) -> Given:
    office = open_store(store, key)
    try:
        p = standard_agency(office, T0)
        doc = outgoing_document(office, p, DocumentStatus.AWAITING_SIGNATURE, at=T0)
        open_task = supervision_task(office, p, SupervisionStatus.IN_PROGRESS, at=T0)
        closed_task = supervision_task(office, p, SupervisionStatus.CLOSED_OUT, at=T0)
        office.tick(T0.add(days=1))  # the memo: the closed task is finished
        office.views.catch_up()
        office.notifications.catch_up()
        return Given(p, doc, open_task, closed_task)
    finally:
        office.close()


def check(store: RawStore, key: str | None = None, *, repair: bool = False) -> VerifyReport:
    office = open_store(store, key)
    try:
        return office.audit.verify(views=True, repair=repair)
    finally:
        office.close()


def problems(report: VerifyReport) -> list[tuple[str, str, str, str]]:
    assert report.derived is not None
    return [(d.problem, d.view, d.table, d.key) for d in report.derived.differences]


def signer_item(store: RawStore, doc: uuid.UUID) -> tuple[str, str]:
    """The queue item of the document's signing step: (key, JSON)."""
    items = store.view_rows(QUEUES, "items")
    ((key, text),) = [(k, t) for k, t in items.items() if k.startswith(str(doc))]
    return key, text


def test_untouched_derived_data_matches_the_events(store: RawStore) -> None:
    """[ADR 0031] 未被改动的视图、待发通知与定时备忘均与事件一致."""
    given(store, KEY)
    report = check(store, KEY)
    assert report.ok, report.describe()
    assert report.derived is not None and report.derived.rows > 0
    assert QUEUES in report.derived.views and NOTIFICATIONS in report.derived.views
    assert "derived data matches" in report.describe()


# --- 13. a forged outbox row --------------------------------------------------------------------


@KEYED
def test_a_forged_outbox_row_is_found_and_never_verifies(store: RawStore, key: str | None) -> None:
    """[ADR 0031] 13. 伪造待发通知(指向不存在的事件, 或真实事件但改了收件地址) → 校验指出,
    修复删除/更正; 其来源事件核实不通过, 发送方据此拒发."""
    g = given(store, key)
    rows = store.view_rows(NOTIFICATIONS, OUTBOX)
    real_key, real = next(iter(rows.items()))
    ghost = f"{uuid.uuid4()}/1/{g.people.deputy}"
    forged = {**json.loads(real), "key": ghost, "event_id": ghost.rsplit("/", 1)[0]}
    store.insert_view_row(NOTIFICATIONS, OUTBOX, ghost, json.dumps(forged, ensure_ascii=False))
    redirected = {**json.loads(real), "email": "intruder@example.com"}
    store.set_view_row(NOTIFICATIONS, OUTBOX, real_key, json.dumps(redirected, ensure_ascii=False))

    report = check(store, key)
    assert not report.ok
    found = {(p, k) for p, _, _, k in problems(report)}
    assert ("unverified", ghost) in found
    assert ("altered", real_key) in found
    assert "intruder@example.com" in report.describe()
    office = open_store(store, key)
    try:
        with pytest.raises(UnverifiedEvent):
            office.audit.verify_event(forged["event_id"])
        office.audit.verify_event(json.loads(real)["event_id"])  # the real one verifies
    finally:
        office.close()

    repaired = check(store, key, repair=True)
    assert repaired.derived is not None and all(d.repaired for d in repaired.derived.differences)
    assert check(store, key).ok
    after = store.view_rows(NOTIFICATIONS, OUTBOX)
    assert ghost not in after
    assert json.loads(after[real_key])["email"] == json.loads(real)["email"]


# --- 14. an edited queue row --------------------------------------------------------------------


@KEYED
def test_an_edited_queue_row_is_named_and_rebuilt(store: RawStore, key: str | None) -> None:
    """[ADR 0031] 14. 改动待办视图的一行(标题) → 校验指出视图、表与键, 修复后查询如实."""
    g = given(store, key)
    item_key, text = signer_item(store, g.doc)
    doc = json.loads(text)
    store.set_view_row(QUEUES, "items", item_key, json.dumps({**doc, "title": "无关紧要的通知"}))
    report = check(store, key)
    assert problems(report) == [("altered", QUEUES, "items", item_key)], report.describe()
    assert "无关紧要的通知" in report.describe()
    check(store, key, repair=True)
    assert json.loads(signer_item(store, g.doc)[1]) == doc
    assert check(store, key).ok


def test_a_deleted_and_an_inserted_queue_row_are_named(store: RawStore) -> None:
    """[ADR 0031] 删除或插入待办视图的行 → 分别报 missing 与 forged."""
    g = given(store)
    item_key, text = signer_item(store, g.doc)
    store.run("DELETE FROM {views} WHERE view = ? AND key = ?", QUEUES, item_key)
    store.insert_view_row(QUEUES, "items", f"{uuid.uuid4()}/sign", text)
    found = {p for p, *_ in problems(check(store))}
    assert found == {"missing", "forged"}


# --- 15. an edited tick-memo row ------------------------------------------------------------------


@KEYED
def test_a_forged_memo_row_does_not_silence_a_deadline(store: RawStore, key: str | None) -> None:
    """[ADR 0031] 15. 伪造定时备忘(把未办结的督办事项记为已办结): 以密钥封存时定时步骤不信它,
    逾期照常记录; 校验指出该行."""
    g = given(store, key)
    memo = store.view_rows(TICK_MEMO_VIEW, TASKS)
    assert str(g.closed_task) in memo and str(g.open_task) not in memo
    genuine = json.loads(memo[str(g.closed_task)])
    assert set(genuine) == {"v", "tag"}
    store.insert_view_row(TICK_MEMO_VIEW, TASKS, str(g.open_task), memo[str(g.closed_task)])

    report = check(store, key)
    (problem,) = [p for p, *_ in problems(report)]
    assert problem in ("bad seal", "not finished"), report.describe()

    office = open_store(store, key)
    try:
        office.tick(LATER)
        actions = [d.action for d in office.supervision.history(g.open_task)]
        assert "WentOverdue" in actions, actions
    finally:
        office.close()
    check(store, key, repair=True)
    assert str(g.open_task) not in store.view_rows(TICK_MEMO_VIEW, TASKS)


def test_a_memo_row_for_an_open_record_is_found_even_unkeyed(store: RawStore) -> None:
    """[ADR 0031] 15. 不设密钥时伪造者可算出备忘标签, 但校验仍按记录状态指出 not finished."""
    from hashlib import sha256

    g = given(store)
    memo = store.view_rows(TICK_MEMO_VIEW, TASKS)
    version = json.loads(memo[str(g.closed_task)])["v"]
    message = f"{TASKS}\x00{g.open_task}\x00{version}".encode()
    tag = sha256(b"govoffice/tick-memo\x00" + message).hexdigest()
    row = json.dumps({"v": version, "tag": tag})
    store.insert_view_row(TICK_MEMO_VIEW, TASKS, str(g.open_task), row)
    assert problems(check(store)) == [("not finished", TICK_MEMO_VIEW, TASKS, str(g.open_task))]


# --- 16. a corrupt view row ----------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["{not json", "[1, 2]", "{}"])
def test_a_corrupt_view_row_is_a_named_error_and_is_rebuilt(store: RawStore, damage: str) -> None:
    """[ADR 0031] 16. 视图行损坏(非 JSON、非对象、缺字段) → 查询报 CorruptViewRow(视图/表/键),
    不以原始异常失败; 校验指出, 修复后查询恢复."""
    g = given(store)
    item_key, _ = signer_item(store, g.doc)
    store.set_view_row(QUEUES, "items", item_key, damage)
    office = open_store(store)
    try:
        with pytest.raises(CorruptViewRow) as corrupt:
            office.queues.overdue()
        assert (corrupt.value.view, corrupt.value.table, corrupt.value.key) == (
            QUEUES,
            "items",
            item_key,
        )
    finally:
        office.close()
    expected = "altered" if damage == "{}" else "corrupt"
    assert problems(check(store)) == [(expected, QUEUES, "items", item_key)]
    check(store, repair=True)
    office = open_store(store)
    try:
        office.queues.overdue()  # served again
    finally:
        office.close()
    assert problems(check(store)) == []


def test_a_corrupt_outbox_row_is_a_named_error(store: RawStore) -> None:
    """[ADR 0031] 16. 待发通知行损坏 → 读取时报 CorruptViewRow, 不是 KeyError."""
    given(store)
    key, text = next(iter(store.view_rows(NOTIFICATIONS, OUTBOX).items()))
    doc = json.loads(text)
    del doc["subject"]
    store.set_view_row(NOTIFICATIONS, OUTBOX, key, json.dumps(doc))
    office = open_store(store)
    try:
        with pytest.raises(CorruptViewRow, match="subject"):
            office.notifications.outbox()
    finally:
        office.close()


# --- the command line ---------------------------------------------------------------------------


def test_cli_verify_views_reports_and_repairs(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[ADR 0031] govoffice audit verify --views: 派生数据不符时退出 1 并列出; --repair 修复."""
    store = raw_store("sqlite", tmp_path, request)
    g = given(store)
    item_key, text = signer_item(store, g.doc)
    store.set_view_row(QUEUES, "items", item_key, json.dumps({**json.loads(text), "title": "改"}))
    runner = CliRunner()
    found = runner.invoke(main, ["audit", "verify", "--views", "--store", store.url])
    assert found.exit_code == 1, found.output
    assert item_key in found.output
    fixed = runner.invoke(main, ["audit", "verify", "--repair", "--store", store.url])
    assert fixed.exit_code == 1, fixed.output  # it reports what it found, and repaired it
    assert "repaired" in fixed.output
    clean = runner.invoke(main, ["audit", "verify", "--views", "--store", store.url])
    assert clean.exit_code == 0, clean.output


def test_a_view_row_read_back_is_still_a_plain_document(tmp_path: Path) -> None:
    """[ADR 0031] 读回的视图行仍是普通字典(相等、可序列化), 缺字段时报 CorruptViewRow."""
    from govoffice.adapters.views_sqlite import SQLiteViewStore

    views = SQLiteViewStore(str(tmp_path / "v.db"))
    try:
        with views.transaction({"v.v1": (0, 1)}) as tx:
            tx.put("v.v1", "t", "k", {"a": 1, "b": [1, 2]})
        row = views.get("v.v1", "t", "k")
        assert row == {"a": 1, "b": [1, 2]}
        assert json.loads(json.dumps(row)) == row
        assert row is not None and row.get("missing") is None
        with pytest.raises(CorruptViewRow, match="missing"):
            row["missing"]
    finally:
        views.close()
