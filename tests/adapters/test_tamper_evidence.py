"""[ADR 0018, 0030] 防篡改: every stored event is sealed in its record's chain from the store's
genesis record on, heads of the whole log are sealed outside the database as it grows, and
``office.audit.verify()`` names the first broken event, or the exact range cut off, when the
store is altered directly.

Each tampering is done the way an intruder with write access to the database would: raw SQL
on the SQLite file and on the PostgreSQL schema, with the office closed; the office is then
opened afresh, as an auditor would, and verified (with the heads kept outside the database:
beside the SQLite file by default, in the file the operator named for PostgreSQL).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import CliRunner

from govoffice.adapters.chain_records import CHAIN_ID, SEALED_TOPIC
from govoffice.adapters.hashchain import MODE_SHA256, ChainHash, Envelope, key_id, seal
from govoffice.application.audit import (
    AuditKeyMismatch,
    AuditKeyMissing,
    AuditKeyUnexpected,
    TamperDetected,
    UnverifiedEvent,
    VerifyReport,
)
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.domain.document import OutgoingDocument
from govoffice.domain.errors import ConcurrentChange, InvalidInput
from govoffice.domain.values import PersonId
from govoffice.testing import AgencyPeople, SettableClock, office_for_tests, standard_agency
from tests.adapters.raw_store import (
    RawStore,
    Row,
    SQLiteStore,
    events_of,
    open_store,
    raw_store,
    reseal,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
TITLE = "关于开展安全生产大检查的通知"
KEY = "机要室保管的审计密钥"
NEW_KEY = "二〇二七年度审计密钥"
FORM: dict[str, Any] = {
    "title": TITLE,
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:为切实做好安全生产工作……",
}


@pytest.fixture(autouse=True)
def _no_ambient_audit_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tests choose the audit keys and the heads' place themselves."""
    for name in (
        "GOVOFFICE_AUDIT_KEY",
        "AUDIT_KEY",
        "GOVOFFICE_AUDIT_RETIRED_KEYS",
        "GOVOFFICE_AUDIT_HEADS",
        "GOVOFFICE_AUDIT_HEAD_EVERY",
        "GOVOFFICE_AUDIT_NEW_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> RawStore:
    return raw_store(str(request.param), tmp_path, request)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "office.db")


KEYED = pytest.mark.parametrize("key", [None, KEY], ids=["unkeyed", "keyed"])


# --- the scenario ------------------------------------------------------------------------


@dataclass
class Given:
    people: AgencyPeople
    doc: uuid.UUID
    """拟稿 → 送审 → 处室审核 → (memo drafted) → 送办公室 → 初核: versions 1-5."""
    memo: uuid.UUID
    """A second document, drafted only (one event), between the first one's v3 and v4."""


def given(store: RawStore, key: str | None = None, **env: str) -> Given:
    """The standard agency and two documents; the office is closed afterwards (which seals a
    head of the log, outside the database and in it)."""
    office = open_store(store, key, **env)
    try:
        p = standard_agency(office, T0)
        d = office.documents
        doc = d.draft(by=p.drafter, at=T0.add(hours=1), **FORM)
        d.submit_for_review(doc, by=p.drafter, at=T0.add(hours=2))
        d.review(doc, by=p.unit_head, at=T0.add(hours=3))
        memo = d.draft(by=p.drafter2, at=T0.add(hours=3), **{**FORM, "lead_unit": "biz2"})
        d.submit_to_office(doc, by=p.drafter, at=T0.add(hours=4))
        d.office_check(doc, by=p.secretary, at=T0.add(hours=5))
        return Given(p, doc, memo)
    finally:
        office.close()


def verify(store: RawStore, key: str | None = None, **kwargs: Any) -> VerifyReport:
    """Open the office afresh (as an auditor would) and verify the whole log."""
    env = {k: v for k, v in kwargs.items() if k.isupper()}
    args = {k: v for k, v in kwargs.items() if not k.isupper()}
    office = open_store(store, key, **env)
    try:
        return office.audit.verify(**args)
    finally:
        office.close()


def assert_first(
    report: VerifyReport,
    kind: str,
    nid: int,
    record: uuid.UUID | None = None,
    version: int | None = None,
    *,
    last: int | None = None,
) -> None:
    assert not report.ok, report.describe()
    first = report.first
    assert first is not None
    assert (first.kind, first.notification_id) == (kind, nid), report.describe()
    if record is not None:
        assert (first.aggregate_id, first.version) == (str(record), version), report.describe()
    if last is not None:
        assert first.last_id == last, report.describe()
    assert first.describe() in report.describe().splitlines()[0]


def kinds(report: VerifyReport) -> set[str]:
    return {b.kind for b in report.breaks}


def flip(state: bytes) -> bytes:
    """One byte of the payload changed."""
    return state[:-1] + bytes([state[-1] ^ 1])


def remove_outside_heads(store: RawStore) -> None:
    if store.outside_heads.exists():
        store.outside_heads.unlink()


# --- an untouched store ---------------------------------------------------------------------


@KEYED
def test_an_untouched_store_verifies_clean_against_its_heads(
    store: RawStore, key: str | None
) -> None:
    """[ADR 0030] 未被改动的存储校验完好: 以封存记录开头, 库外日志封印均相符."""
    given(store, key)
    rows = store.rows()
    assert (rows[0].oid, rows[0].version, rows[0].topic) == (CHAIN_ID, 1, SEALED_TOPIC)
    assert store.outside_heads.exists()
    report = verify(store, key)
    assert report.ok, report.describe()
    assert report.events == len(rows)
    assert report.genesis_id == rows[0].nid
    assert report.heads_outside >= 1 and report.truncation_ruled_out
    assert report.events_after_head == 0
    assert report.key_id == key_id(key.encode() if key else None)
    assert "clean" in report.describe()
    unkeyed_note = "no audit key" in report.describe()
    assert unkeyed_note == (key is None)


def test_every_event_is_sealed_and_heads_are_sealed_as_the_log_grows(store: RawStore) -> None:
    """[ADR 0030] 每个事件均有封印; 日志每增长 N 个事件及关闭时在库外封印一次."""
    given(store, KEY, AUDIT_HEAD_EVERY="10")
    rows = store.rows()
    assert all(Envelope(r.state).valid for r in rows)
    heads = [json.loads(line) for line in store.outside_heads.read_text().splitlines()]
    assert len(heads) >= len(rows) // 10
    assert heads[-1]["position"] == rows[-1].nid and heads[-1]["count"] == len(rows)
    assert {h["key_id"] for h in heads} == {key_id(KEY.encode())}
    inside = store.run("SELECT count(*) FROM {heads}")[0][0]
    assert inside == len(heads)


# --- the 20 tamperings: the events ------------------------------------------------------------


@KEYED
def test_a_changed_payload_byte_is_named(store: RawStore, key: str | None) -> None:
    """[ADR 0018] 1. 改动事件内容的一个字节 → 校验指出该事件."""
    g = given(store, key)
    drafted = events_of(store, g.doc)[0]
    assert TITLE.encode() in drafted.state
    store.set_state(drafted.nid, drafted.state.replace(TITLE.encode(), "关于取消检查".encode()))
    assert_first(verify(store, key), "altered", drafted.nid, g.doc, 1)


@KEYED
def test_an_event_deleted_mid_record_is_named(store: RawStore, key: str | None) -> None:
    """[ADR 0018, 0030] 2. 删除记录中间的一个事件 → 指出缺失的通知号及该记录缺失的版本."""
    g = given(store, key)
    events = events_of(store, g.doc)
    store.delete(events[2].nid)  # v3 Reviewed
    report = verify(store, key)
    assert_first(report, "missing", events[2].nid, last=events[2].nid)
    sequence = [b for b in report.breaks if b.kind == "sequence"]
    assert [(b.aggregate_id, b.version) for b in sequence] == [(str(g.doc), 3)]


@KEYED
def test_a_record_deleted_whole_is_named_by_the_head(store: RawStore, key: str | None) -> None:
    """[ADR 0030] 3. 删除整个记录(公文的全部事件) → 库外封印指出缺失的通知号."""
    g = given(store, key)
    events = events_of(store, g.doc)
    store.delete(*(e.nid for e in events))
    report = verify(store, key)
    assert_first(report, "missing", events[0].nid, last=events[2].nid)
    gone = [(b.kind, b.notification_id, b.last_id) for b in report.breaks]
    assert gone == [
        ("missing", events[0].nid, events[2].nid),
        ("truncated", events[3].nid, events[4].nid),  # v4, v5 were the log's last events
    ]
    assert f"notifications {events[0].nid}-{events[2].nid} missing" in report.describe()


@KEYED
def test_a_records_last_event_deleted_is_named_by_the_head(
    store: RawStore, key: str | None
) -> None:
    """[ADR 0030] 4. 删除某记录最后的(唯一的)事件, 其链无从察觉 → 库外封印指出该通知号."""
    g = given(store, key)
    (memo,) = events_of(store, g.memo)
    store.delete(memo.nid)
    assert_first(verify(store, key), "missing", memo.nid, last=memo.nid)


@KEYED
def test_a_truncated_tail_is_named_as_the_missing_range(store: RawStore, key: str | None) -> None:
    """[ADR 0030] 5. 截去日志末尾 → 指出缺失的通知号范围."""
    given(store, key)
    rows = store.rows()
    cut = rows[-3:]
    store.delete(*(r.nid for r in cut))
    report = verify(store, key)
    assert_first(report, "truncated", cut[0].nid, last=cut[-1].nid)
    assert f"notifications {cut[0].nid}-{cut[-1].nid} missing" in report.describe()
    assert f"the log ends at notification {rows[-4].nid}" in report.describe()


@pytest.mark.parametrize("swap", ["versions", "states"])
def test_two_events_of_one_record_swapped_are_named(store: RawStore, swap: str) -> None:
    """[ADR 0018] 6. 调换同一记录的两个事件(版本号或内容) → 指出第一条错位的事件."""
    g = given(store)
    events = events_of(store, g.doc)
    second, third = events[1], events[2]
    if swap == "versions":
        store.set_version(second.nid, 99)
        store.set_version(third.nid, 2)
        store.set_version(second.nid, 3)
        assert_first(verify(store), "sequence", second.nid, g.doc, 2)
    else:
        store.set_state(second.nid, third.state)
        store.set_state(third.nid, second.state)
        assert_first(verify(store), "altered", second.nid, g.doc, 2)


@KEYED
def test_two_rows_of_different_records_swapped_are_named_by_the_head(
    store: RawStore, key: str | None
) -> None:
    """[ADR 0030] 7. 调换两个不同记录的事件在日志中的位置, 各记录的链仍连续 → 库外封印指出."""
    g = given(store, key)
    (memo,) = events_of(store, g.memo)
    doc_v4 = events_of(store, g.doc)[3]
    assert doc_v4.nid == memo.nid + 1
    store.swap_positions(memo.nid, doc_v4.nid)
    report = verify(store, key)
    assert_first(report, "moved", memo.nid, last=doc_v4.nid)
    assert kinds(report) == {"moved"}


@pytest.mark.parametrize("forgery", ["copied seal", "no seal"])
@KEYED
def test_a_forged_row_inserted_is_named(store: RawStore, key: str | None, forgery: str) -> None:
    """[ADR 0018] 8. 插入一条伪造的事件(内容取自真实事件) → 指出该事件."""
    g = given(store, key)
    last = events_of(store, g.doc)[-1]
    state = last.state if forgery == "copied seal" else Envelope(last.state).payload
    nid = store.insert(g.doc, last.version + 1, last.topic, state)
    kind = "altered" if forgery == "copied seal" else "unsealed"
    assert_first(verify(store, key), kind, nid, g.doc, last.version + 1)


@KEYED
def test_stripping_every_seal_is_a_downgrade_that_is_named(
    store: RawStore, key: str | None
) -> None:
    """[ADR 0030] 9. 剥去所有事件的封印(降级攻击) → 不是“旧数据”, 而是篡改, 即使库外封印也被删."""
    g = given(store, key)
    rows = store.rows()
    for r in rows:
        store.set_state(r.nid, Envelope(r.state).payload)
    remove_outside_heads(store)
    store.delete_heads_inside()
    report = verify(store, key)
    assert_first(report, "unsealed", rows[0].nid, last=rows[-1].nid)
    assert len(report.breaks) == 1, report.describe()  # one finding, not one per event
    # and the document's signer cannot be changed unseen either
    drafted = events_of(store, g.doc)[0]
    store.set_state(drafted.nid, drafted.state.replace(b"biz1", b"biz2"))
    assert not verify(store, key).ok


@KEYED
def test_stripping_every_seal_and_the_genesis_is_still_named(
    store: RawStore, key: str | None
) -> None:
    """[ADR 0030] 9. 剥去所有封印并删除封存记录: 仍报未封印的事件, 并提示补建的封存记录."""
    given(store, key)
    rows = store.rows()
    for r in rows:
        store.set_state(r.nid, Envelope(r.state).payload)
    store.delete(rows[0].nid)
    remove_outside_heads(store)
    store.delete_heads_inside()
    report = verify(store, key)
    assert_first(report, "unsealed", rows[1].nid, last=rows[-1].nid)
    assert "by adoption" in report.describe()


def test_a_chain_rewritten_without_the_key_is_named(store: RawStore) -> None:
    """[ADR 0018] 10. 以密钥封存时, 伪造者无密钥重算整条记录的链 → 指出第一条被改的事件."""
    g = given(store, KEY)
    first = reseal(store, g.doc, lambda p: p.replace(b"biz1", b"biz2") or None, key=None)
    assert first == events_of(store, g.doc)[0].nid
    assert_first(verify(store, KEY), "altered", first, g.doc, 1)


def test_an_unkeyed_chain_rewritten_consistently_is_named_by_the_head(store: RawStore) -> None:
    """[ADR 0030] 10. 不设密钥时, 伪造者按算法重算整条链: 链本身看不出, 库外封印指出第一处."""
    g = given(store)
    first = reseal(store, g.doc, lambda p: p.replace(b"biz1", b"biz2"), key=None)
    report = verify(store)
    assert_first(report, "moved", first)
    # without the heads the rewrite passes: what the note and the ADR warn of
    remove_outside_heads(store)
    store.delete_heads_inside()
    unanchored = verify(store)
    assert unanchored.ok
    assert not unanchored.truncation_ruled_out
    assert "no audit key" in unanchored.describe()
    assert "cannot be ruled out" in unanchored.describe()


def test_a_chain_rewritten_with_the_key_is_named_by_an_exported_head(
    store: RawStore, tmp_path: Path
) -> None:
    """[ADR 0030] 11. 伪造者持有密钥重算链并删除库内封印 → 导出保存的日志封印(--head)指出."""
    g = given(store, KEY)
    exported = tmp_path / "exported-head.json"
    result = CliRunner().invoke(
        main,
        ["audit", "head", "--store", store.url],
        env={"GOVOFFICE_AUDIT_KEY": KEY, "GOVOFFICE_AUDIT_HEADS": str(store.heads_file or "")},
    )
    assert result.exit_code == 0, result.output
    exported.write_text(result.output)
    first = reseal(store, g.doc, lambda p: p.replace(b"biz1", b"biz2"), key=KEY)
    store.delete_heads_inside()
    remove_outside_heads(store)  # an intruder on the same machine
    assert verify(store, KEY).ok  # nothing left to compare with ...
    report = verify(store, KEY, head=exported)  # ... but the head kept elsewhere
    assert_first(report, "moved", first)
    cli = CliRunner().invoke(
        main,
        ["audit", "verify", "--store", store.url, "--head", str(exported)],
        env={"GOVOFFICE_AUDIT_KEY": KEY},
    )
    assert cli.exit_code == 1, cli.output
    assert f"[moved] notifications {first}-" in cli.output


@KEYED
def test_heads_deleted_with_the_tail_are_found_by_the_heads_outside(
    store: RawStore, key: str | None
) -> None:
    """[ADR 0030] 12. 截去日志末尾并删除库内的封印(检查点) → 库外封印指出缺失的范围."""
    given(store, key)
    rows = store.rows()
    store.delete(*(r.nid for r in rows[-4:]))
    assert store.delete_heads_inside() >= 1
    report = verify(store, key)
    assert_first(report, "truncated", rows[-4].nid, last=rows[-1].nid)


# --- the 20 tamperings: keys ------------------------------------------------------------------


def test_a_wrong_key_is_refused_at_open_and_verify_says_so_in_one_line(store: RawStore) -> None:
    """[ADR 0030] 17. 密钥不符: 打开即拒绝(不能写入), 校验一行说明, 而非逐条报篡改."""
    given(store, KEY)
    with pytest.raises(AuditKeyMismatch) as refused:
        open_store(store, "另一把密钥")
    expected = key_id(KEY.encode())
    assert expected is not None and expected in str(refused.value)
    assert "GOVOFFICE_AUDIT_KEY" in str(refused.value)
    before = store.rows()
    result = CliRunner().invoke(
        main,
        ["audit", "verify", "--store", store.url],
        env={
            "GOVOFFICE_AUDIT_KEY": "另一把密钥",
            "GOVOFFICE_AUDIT_HEADS": str(store.heads_file or ""),
        },
    )
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert expected in result.output and "wrong audit key" in result.output
    assert store.rows() == before


def test_no_key_is_refused_at_open_and_verify_says_so_in_one_line(store: RawStore) -> None:
    """[ADR 0030] 18. 未配置密钥打开以密钥封存的存储: 拒绝(不能写入), 指明所需密钥与变量."""
    given(store, KEY)
    with pytest.raises(AuditKeyMissing) as refused:
        open_store(store)
    assert str(key_id(KEY.encode())) in str(refused.value)
    result = CliRunner().invoke(main, ["audit", "verify", "--store", store.url])
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "GOVOFFICE_AUDIT_KEY" in result.output


def test_a_key_on_an_unkeyed_store_is_refused(sqlite_store: SQLiteStore) -> None:
    """[ADR 0030] 未以密钥封存的存储, 配置了密钥的进程不能写入 (须先 rotate-key)."""
    given(sqlite_store)
    with pytest.raises(AuditKeyUnexpected) as refused:
        open_store(sqlite_store, KEY)
    assert "rotate-key" in str(refused.value)


def rotate(store: RawStore, g: Given, old: str | None, new: str) -> int:
    """Rotate from ``old`` to ``new``, then record one more decision under the new key;
    returns the rotation's notification id."""
    office = open_store(store, old)
    try:
        head = office.audit.rotate_key(new)
        assert head.key_id == key_id(new.encode())
        office.documents.office_review(g.doc, by=g.people.office_head, at=T0.add(hours=6))
    finally:
        office.close()
    (rotation,) = [r for r in store.rows() if r.oid == CHAIN_ID and r.version == 2]
    return rotation.nid


def test_rotation_then_an_edit_before_it_is_named(store: RawStore) -> None:
    """[ADR 0030] 19. 更换密钥后篡改更换前的事件: 有旧密钥指出该事件, 无旧密钥由锚点发现."""
    g = given(store, KEY)
    rotation = rotate(store, g, KEY, NEW_KEY)
    rows = store.rows()
    after = [r for r in rows if r.nid > rotation]
    assert after and all(Envelope(r.state).mode == 1 for r in after)
    assert verify(store, NEW_KEY, GOVOFFICE_AUDIT_RETIRED_KEYS=KEY).ok
    assert verify(store, NEW_KEY).ok  # the anchor vouches for the history without the old key
    with pytest.raises(AuditKeyMismatch, match="retired"):
        open_store(store, KEY)
    drafted = events_of(store, g.doc)[0]
    store.set_state(drafted.nid, flip(drafted.state))
    with_old = verify(store, NEW_KEY, GOVOFFICE_AUDIT_RETIRED_KEYS=KEY)
    assert_first(with_old, "altered", drafted.nid, g.doc, 1)
    without_old = verify(store, NEW_KEY)
    assert_first(without_old, "anchor", 1, last=rotation - 1)
    assert "GOVOFFICE_AUDIT_RETIRED_KEYS" in without_old.describe()


def test_rotation_from_no_key_protects_the_history_with_the_new_key(
    sqlite_store: SQLiteStore,
) -> None:
    """[ADR 0030] 未设密钥的存储可更换为以密钥封存; 此前的记录由新密钥下的锚点保护."""
    g = given(sqlite_store)
    rotate(sqlite_store, g, None, KEY)
    assert verify(sqlite_store, KEY).ok
    # an intruder re-seals a record of the unkeyed years consistently, and deletes every head
    first = reseal(sqlite_store, g.doc, lambda p: p.replace(b"biz1", b"biz2"), key=None)
    remove_outside_heads(sqlite_store)
    sqlite_store.delete_heads_inside()
    report = verify(sqlite_store, KEY)
    assert "anchor" in kinds(report), report.describe()
    assert first > 1


def test_a_rotation_is_refused_on_a_tampered_store(sqlite_store: SQLiteStore) -> None:
    """[ADR 0030] 已被篡改的存储不能更换密钥(不为篡改背书), 也不能重复使用旧密钥."""
    g = given(sqlite_store, KEY)
    office = open_store(sqlite_store, KEY)
    try:
        with pytest.raises(InvalidInput):
            office.audit.rotate_key(KEY)
    finally:
        office.close()
    drafted = events_of(sqlite_store, g.doc)[0]
    sqlite_store.set_state(drafted.nid, flip(drafted.state))
    office = open_store(sqlite_store, KEY)
    try:
        with pytest.raises(TamperDetected):
            office.audit.rotate_key(NEW_KEY)
    finally:
        office.close()
    assert not [r for r in sqlite_store.rows() if r.oid == CHAIN_ID and r.version == 2]


def test_an_edit_after_the_last_head_is_named(store: RawStore) -> None:
    """[ADR 0030] 20. 篡改最后一次封印之后写入的事件 → 由该事件自身的封印指出."""
    g = given(store, KEY)
    office = open_store(store, KEY)
    try:
        office.app.mapper.tamper_evidence.stop_heads("killed before it seals a head")
        office.documents.office_review(g.doc, by=g.people.office_head, at=T0.add(hours=6))
    finally:
        office.close()
    latest = events_of(store, g.doc)[-1]
    assert latest.version == 6
    clean = verify(store, KEY)
    assert clean.ok and clean.events_after_head == 1, clean.describe()
    store.set_state(latest.nid, flip(latest.state))
    assert_first(verify(store, KEY), "altered", latest.nid, g.doc, 6)


# --- the genesis and the heads -------------------------------------------------------------------


def test_a_deleted_genesis_is_named_by_the_head(store: RawStore) -> None:
    """[ADR 0030] 删除存储的封存记录 → 库外封印指出缺失的第一条通知."""
    given(store, KEY)
    genesis = store.rows()[0]
    store.delete(genesis.nid)
    report = verify(store, KEY)
    assert_first(report, "missing", genesis.nid, last=genesis.nid)
    assert "by adoption" in report.describe()


def test_an_edited_head_file_is_found(sqlite_store: SQLiteStore) -> None:
    """[ADR 0030] 篡改库外的封印文件(改动其计数) → 签名不符, 被指出."""
    given(sqlite_store, KEY)
    path = sqlite_store.outside_heads
    heads = [json.loads(line) for line in path.read_text().splitlines()]
    heads[-1]["count"] -= 1
    path.write_text("".join(json.dumps(h) + "\n" for h in heads))
    report = verify(sqlite_store, KEY)
    assert "head" in kinds(report), report.describe()
    assert "does not verify" in report.describe()


def test_a_head_of_another_store_is_named(tmp_path: Path) -> None:
    """[ADR 0030] 拿另一个存储的日志封印校验 → 指出它不属于此存储."""
    a, b = SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db")
    given(a)
    given(b)
    report = verify(a, head=b.outside_heads)
    assert "belongs to another store" in report.describe()


def test_a_deletion_far_back_is_placed_by_its_own_head(store: RawStore) -> None:
    """[ADR 0030] 多次封印后删除早期的一条事件 → 由覆盖它的那次封印准确指出."""
    g = given(store, KEY, AUDIT_HEAD_EVERY="5")
    office = open_store(store, KEY, AUDIT_HEAD_EVERY="5")
    try:
        for i in range(12):
            office.documents.revise(g.memo, by=g.people.drafter2, at=T0.add(hours=6), text=f"稿{i}")
    finally:
        office.close()
    heads = store.outside_heads.read_text().splitlines()
    assert len(heads) >= 5
    victim = store.rows()[7]
    store.delete(victim.nid)
    report = verify(store, KEY)
    assert_first(report, "missing", victim.nid, last=victim.nid)


def test_a_process_stops_sealing_heads_on_a_cut_log(sqlite_store: SQLiteStore) -> None:
    """[ADR 0030] 日志已被截断时, 进程不再在其上封印 (不为篡改背书), 校验仍指出缺失范围."""
    g = given(sqlite_store)
    rows = sqlite_store.rows()
    sqlite_store.delete(rows[-1].nid)
    lines = len(sqlite_store.outside_heads.read_text().splitlines())
    office = open_store(sqlite_store)
    try:
        office.documents.revise(g.memo, by=g.people.drafter2, at=T0.add(hours=6), text="再稿")
    finally:
        office.close()
    assert len(sqlite_store.outside_heads.read_text().splitlines()) == lines
    assert not verify(sqlite_store).ok


def test_the_memory_store_cannot_rule_out_truncation() -> None:
    """[ADR 0030] 内存存储没有库外封印: 校验说明无法排除截断; 库内封印仍发现简单的删除."""
    office = office_for_tests("memory", start=T0)
    try:
        standard_agency(office, T0)
        head = office.audit.checkpoint()
        assert head.count == office.audit.verify().events
        report = office.audit.verify()
        assert report.ok and not report.truncation_ruled_out
        assert "cannot be ruled out" in report.describe()
        recorder: Any = office.app.recorder
        del recorder._stored_events[-1]
        cut = office.audit.verify()
        assert cut.first is not None and cut.first.kind == "truncated", cut.describe()
    finally:
        office.close()


def test_a_store_sealed_by_an_earlier_release_is_adopted(sqlite_store: SQLiteStore) -> None:
    """[ADR 0030] 旧版本写入(已封印, 无封存记录)的存储: 首次打开时补建封存记录, 校验完好并注明."""
    given(sqlite_store, KEY)
    genesis = sqlite_store.rows()[0]
    sqlite_store.delete(genesis.nid)  # what an earlier release left: sealed events only
    remove_outside_heads(sqlite_store)
    sqlite_store.delete_heads_inside()
    with pytest.raises(AuditKeyMissing, match="earlier release"):
        open_store(sqlite_store)
    with pytest.raises(AuditKeyMismatch):
        open_store(sqlite_store, "另一把密钥")
    report = verify(sqlite_store, KEY)
    assert report.ok, report.describe()
    assert report.adopted_after == genesis.nid + len(sqlite_store.rows()) - 1
    assert "by adoption" in report.describe()


def test_a_store_written_without_the_chain_reads_but_does_not_verify(
    sqlite_store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[ADR 0030] 未封印的旧数据仍可读取, 但不再当作“链之前的数据”放过: 校验指出未封印."""
    with monkeypatch.context() as before_the_chain:
        before_the_chain.setattr(
            "govoffice.bootstrap.hash_chain_mapper",
            lambda app, transcoder: app.factory.mapper(transcoder=transcoder),
        )
        old = office_for_tests(sqlite_store.url, start=T0)
        p = standard_agency(old, T0)
        doc = old.documents.draft(by=p.drafter, at=T0.add(hours=1), **FORM)
        old.close()
    assert not any(Envelope(r.state).sealed for r in sqlite_store.rows())
    office = office_for_tests(sqlite_store.url, start=T0)
    try:
        assert office.documents.get(doc).form.title == TITLE
        report = office.audit.verify()
        assert report.first is not None and report.first.kind == "unsealed", report.describe()
        assert report.first.notification_id == 1
    finally:
        office.close()


# --- one event, for a dispatcher ------------------------------------------------------------------


def test_verify_event_checks_one_stored_event(store: RawStore) -> None:
    """[ADR 0030] 核实单个事件: 存在且封印完好则通过; 被改、不存在则 UnverifiedEvent."""
    g = given(store, KEY)
    office = open_store(store, KEY)
    try:
        sealed = office.audit.verify_event(f"{g.doc}/2")
        assert (sealed.record_id, sealed.version) == (g.doc, 2)
        assert office.audit.verify_event(g.doc, 5).version == 5
        with pytest.raises(UnverifiedEvent) as missing:
            office.audit.verify_event(g.doc, 6)
        assert missing.value.reason == "missing"
        with pytest.raises(InvalidInput):
            office.audit.verify_event("not-an-event-id")
    finally:
        office.close()
    second = events_of(store, g.doc)[1]
    store.set_state(second.nid, flip(second.state))
    office = open_store(store, KEY)
    try:
        with pytest.raises(UnverifiedEvent) as altered:
            office.audit.verify_event(f"{g.doc}/2")
        assert altered.value.reason == "altered"
    finally:
        office.close()


# --- encryption at rest -------------------------------------------------------------------------


def test_an_encrypted_store_verifies_without_the_cipher_key(store: RawStore) -> None:
    """[ADR 0018, 0030] 加密存储: 库中看不到标题明文; 不带加密密钥也能校验, 封存记录可读."""
    cipher = {
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": base64.b64encode(os.urandom(32)).decode(),
    }
    g = given(store, KEY, **cipher)
    rows = store.rows()
    assert not any(TITLE.encode() in r.state for r in rows)
    assert all(r.state.startswith(b"\x89GOVHC") for r in rows)
    office = open_store(store, KEY, **cipher)
    try:
        assert office.documents.get(g.doc).form.title == TITLE
    finally:
        office.close()
    assert verify(store, KEY).ok  # no cipher key needed
    drafted = events_of(store, g.doc)[0]
    store.set_state(drafted.nid, flip(drafted.state))
    assert_first(verify(store, KEY), "altered", drafted.nid, g.doc, 1)


# --- several writers ---------------------------------------------------------------------------


def test_two_offices_on_one_file_keep_one_chain(sqlite_store: SQLiteStore) -> None:
    """[ADR 0018] 两个进程(办公系统实例)交替办理同一公文, 哈希链与日志封印仍然连续."""
    g = given(sqlite_store)
    a = office_for_tests(sqlite_store.url, start=T0)
    b = office_for_tests(sqlite_store.url, start=T0)
    try:
        a.documents.get(g.memo)
        b.documents.get(g.memo)
        a.documents.submit_for_review(g.memo, by=g.people.drafter2, at=T0.add(hours=6))
        b.documents.review(g.memo, by=g.people.unit_head2, at=T0.add(hours=7))
        a.documents.submit_to_office(g.memo, by=g.people.drafter2, at=T0.add(hours=8))
        b.documents.office_check(g.memo, by=g.people.secretary, at=T0.add(hours=9))
        report = a.audit.verify()
        assert report.ok, report.describe()
    finally:
        a.close()
        b.close()
    report = verify(sqlite_store)
    assert report.ok and report.events_after_head == 0, report.describe()


def test_concurrent_writers_of_one_record_keep_one_chain(sqlite_store: SQLiteStore) -> None:
    """[ADR 0018] 多个线程同时修改同一公文(冲突时重试), 哈希链仍然线性、完好."""
    g = given(sqlite_store)
    office = open_office(sqlite_store.url, clock=SettableClock(T0), env={"AUDIT_HEAD_EVERY": "2"})
    done: list[str] = []
    errors: list[BaseException] = []

    def revise(i: int) -> None:
        for j in range(3):
            try:
                office.documents.revise(
                    g.memo, by=g.people.drafter2, at=T0.add(hours=6), text=f"修改稿 {i}-{j}"
                )
                done.append(f"{i}-{j}")
            except ConcurrentChange:  # pragma: no cover - retried, still possible
                pass
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

    threads = [threading.Thread(target=revise, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors, errors
        assert done
        assert len(events_of(sqlite_store, g.memo)) == 1 + len(done)
        report = office.audit.verify()
        assert report.ok, report.describe()
    finally:
        office.close()
    assert verify(sqlite_store).ok


def test_a_losing_writer_in_another_thread_does_not_mislead_the_chain(
    sqlite_store: SQLiteStore,
) -> None:
    """[ADR 0018] 另一线程算出却未能写入的哈希(写冲突落败), 不会被用作下一事件的前驱."""
    g = given(sqlite_store)
    office = office_for_tests(sqlite_store.url, start=T0)
    try:
        d = office.documents
        d.submit_for_review(g.memo, by=g.people.drafter2, at=T0.add(hours=6))  # the winner
        stored = office.store.events(g.memo)
        d.get(g.memo)  # read back: the mapper now knows the stored head
        loser = copy.copy(stored[-1])
        object.__setattr__(loser, "by", "someone.else")
        thread = threading.Thread(target=office.app.mapper.to_stored_event, args=(loser,))
        thread.start()
        thread.join()
        d.review(g.memo, by=g.people.unit_head2, at=T0.add(hours=7))
        report = office.audit.verify()
        assert report.ok, report.describe()
    finally:
        office.close()


def test_a_lost_race_after_a_handed_over_save_does_not_mislead_the_chain(
    sqlite_store: SQLiteStore,
) -> None:
    """[ADR 0018, 0019] 写冲突落败者算出的哈希不会成为下一事件的前驱, 即使胜者的记录已直接
    放入缓存(不再回读胜者的事件)."""
    g = given(sqlite_store)
    office = office_for_tests(sqlite_store.url, start=T0)
    try:
        org = office.org.current()
        winner = office.store.get(OutgoingDocument, g.memo)
        loser = office.store.get(OutgoingDocument, g.memo)
        winner.submit_for_review(org=org, by=PersonId(g.people.drafter2), at=T0.add(hours=6))
        office.store.save(winner, hand_over=True)
        loser.revise(org=org, by=PersonId(g.people.drafter2), at=T0.add(hours=6), text="另稿")
        with pytest.raises(ConcurrentChange):
            office.store.save(loser, hand_over=True)
        office.documents.review(g.memo, by=g.people.unit_head2, at=T0.add(hours=7))
        report = office.audit.verify()
        assert report.ok, report.describe()
    finally:
        office.close()


def test_a_checkpoint_is_refused_on_a_tampered_store(sqlite_store: SQLiteStore) -> None:
    """[ADR 0018] 已被篡改的存储不能建立检查点(不为篡改背书)."""
    g = given(sqlite_store)
    drafted = events_of(sqlite_store, g.doc)[0]
    sqlite_store.set_state(drafted.nid, drafted.state.replace(b"biz1", b"biz2"))
    lines = sqlite_store.outside_heads.read_text().count("\n")
    office = open_store(sqlite_store)
    try:
        with pytest.raises(TamperDetected) as refused:
            office.audit.checkpoint()
        assert refused.value.report.first is not None
    finally:
        office.close()
    assert sqlite_store.outside_heads.read_text().count("\n") == lines


# --- the command line -----------------------------------------------------------------------


def test_cli_audit_verify_exit_codes(store: RawStore) -> None:
    """[ADR 0018] govoffice audit verify: 完好退出 0, 被篡改退出 1 并指出第一条被改动的事件."""
    g = given(store)
    env = {"GOVOFFICE_AUDIT_HEADS": str(store.heads_file or "")}
    runner = CliRunner()
    clean = runner.invoke(main, ["audit", "verify", "--store", store.url], env=env)
    assert clean.exit_code == 0, clean.output
    assert "clean" in clean.output
    anchored = runner.invoke(main, ["audit", "checkpoint", "--store", store.url], env=env)
    assert anchored.exit_code == 0, anchored.output
    drafted = events_of(store, g.doc)[0]
    store.set_state(drafted.nid, drafted.state.replace(TITLE.encode(), "改".encode()))
    tampered = runner.invoke(main, ["audit", "verify", "--store", store.url], env=env)
    assert tampered.exit_code == 1, tampered.output
    assert str(g.doc) in tampered.output
    assert f"notification {drafted.nid}" in tampered.output
    refused = runner.invoke(main, ["audit", "checkpoint", "--store", store.url], env=env)
    assert refused.exit_code == 1, refused.output


def test_cli_audit_head_and_rotate_key(sqlite_store: SQLiteStore, tmp_path: Path) -> None:
    """[ADR 0030] govoffice audit head 打印最新封印(一行 JSON); rotate-key 更换密钥."""
    given(sqlite_store)
    runner = CliRunner()
    printed = runner.invoke(main, ["audit", "head", "--store", sqlite_store.url])
    assert printed.exit_code == 0, printed.output
    head = json.loads(printed.output.strip().splitlines()[-1])
    assert head["position"] == sqlite_store.rows()[-1].nid
    rotated = runner.invoke(
        main,
        ["audit", "rotate-key", "--store", sqlite_store.url],
        env={"GOVOFFICE_AUDIT_NEW_KEY": KEY},
    )
    assert rotated.exit_code == 0, rotated.output
    assert str(key_id(KEY.encode())) in rotated.output
    saved = tmp_path / "head.json"
    saved.write_text(printed.output)
    verified = runner.invoke(
        main,
        ["audit", "verify", "--store", sqlite_store.url, "--head", str(saved)],
        env={"GOVOFFICE_AUDIT_KEY": KEY},
    )
    assert verified.exit_code == 0, verified.output


def test_cli_audit_verify_of_a_missing_store_is_an_error(tmp_path: Path) -> None:
    """[ADR 0018] 校验不存在的存储: 一行错误, 退出 2, 不新建空库."""
    path = tmp_path / "nowhere.db"
    result = CliRunner().invoke(main, ["audit", "verify", "--store", f"sqlite:///{path}"])
    assert result.exit_code == 2, result.output
    assert not path.exists()


def test_cli_audit_verify_with_an_unreadable_head_file_is_an_error(
    sqlite_store: SQLiteStore, tmp_path: Path
) -> None:
    """[ADR 0030] --head 指向的文件不是日志封印: 一行错误, 退出 2."""
    given(sqlite_store)
    junk = tmp_path / "junk.json"
    junk.write_text("not a head")
    result = CliRunner().invoke(
        main, ["audit", "verify", "--store", sqlite_store.url, "--head", str(junk)]
    )
    assert result.exit_code == 2, result.output
    assert "BadHeadFile" in result.output


def test_the_chain_is_on_by_default() -> None:
    """[ADR 0018] open_office 默认启用哈希链, 并以封存记录开始."""
    from govoffice.adapters.hashchain import HashChainMapper

    office = open_office("memory")
    try:
        assert isinstance(office.app.mapper, HashChainMapper)
        (first,) = office.app.recorder.select_notifications(start=1, limit=1)
        assert first.originator_id == CHAIN_ID
    finally:
        office.close()


def _forge_unkeyed(last: Row, record: uuid.UUID, version: int) -> bytes:
    payload = Envelope(last.state).payload
    event_hash = ChainHash(None).event(
        Envelope(last.state).event_hash, str(record), version, last.topic, payload
    )
    return seal(MODE_SHA256, event_hash, payload)


def test_a_forger_without_the_audit_key_is_caught(store: RawStore) -> None:
    """[ADR 0018] 以审计密钥封存时, 伪造者即使按无密钥算法续写链也会被发现."""
    g = given(store, KEY)
    last = events_of(store, g.doc)[-1]
    forged = _forge_unkeyed(last, g.doc, last.version + 1)
    nid = store.insert(g.doc, last.version + 1, last.topic, forged)
    assert_first(verify(store, KEY), "altered", nid, g.doc, last.version + 1)


def test_copying_a_store_keeps_its_heads_valid(sqlite_store: SQLiteStore, tmp_path: Path) -> None:
    """[ADR 0030] 复制存储文件连同其封印文件, 副本仍校验完好(同一条链)."""
    given(sqlite_store)
    copy_path = tmp_path / "copy.db"
    shutil.copy(sqlite_store.path, copy_path)
    shutil.copy(sqlite_store.outside_heads, Path(f"{copy_path}.heads.jsonl"))
    report = verify(SQLiteStore(copy_path))
    assert report.ok and report.heads_outside >= 1, report.describe()


def test_the_annual_report_prints_the_head_that_verify_proves(
    store: RawStore, tmp_path: Path
) -> None:
    """[ADR 0030] 年度报告打印生成时的日志封印; 以它校验: 完好, 截断后指出."""
    given(store, KEY)
    office = open_store(store, KEY)
    try:
        report = office.reports.annual(2026)
    finally:
        office.close()
    assert report.log_head is not None
    printed = json.loads(report.log_head)
    rows = store.rows()
    assert printed["position"] == rows[-1].nid and printed["count"] == len(rows)
    assert printed["key_id"] == key_id(KEY.encode())
    kept = tmp_path / "report-head.json"
    kept.write_text(report.log_head)
    remove_outside_heads(store)
    store.delete_heads_inside()
    assert verify(store, KEY, head=kept).ok
    store.delete(rows[-1].nid)
    assert_first(verify(store, KEY, head=kept), "truncated", rows[-1].nid, last=rows[-1].nid)


def test_heads_go_to_the_directory_the_operator_names(tmp_path: Path) -> None:
    """[ADR 0030] GOVOFFICE_AUDIT_HEADS 指向目录: 封印写入以存储命名的文件, 不写在库旁."""
    place = tmp_path / "heads"
    place.mkdir()
    path = tmp_path / "office.db"
    office = open_office(f"sqlite:///{path}", env={"GOVOFFICE_AUDIT_HEADS": str(place)})
    try:
        standard_agency(office, T0)
    finally:
        office.close()
    assert [p.name for p in place.iterdir()] == ["office.db.heads.jsonl"]
    assert not Path(f"{path}.heads.jsonl").exists()
    office = open_office(f"sqlite:///{path}", heads=place)
    try:
        report = office.audit.verify()
        assert report.ok and report.heads_outside == 1, report.describe()
    finally:
        office.close()


def test_a_heads_place_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    """[ADR 0030] 库外封印无法写入: 显式封印报 HeadsUnavailable; 命令本身照常保存, 关闭不失败."""
    from govoffice.application.sealing import HeadsUnavailable

    nowhere = tmp_path / "no" / "such" / "heads.jsonl"
    office = open_office(f"sqlite:///{tmp_path / 'office.db'}", heads=nowhere)
    try:
        standard_agency(office, T0)
        with pytest.raises(HeadsUnavailable, match="GOVOFFICE_AUDIT_HEADS"):
            office.audit.checkpoint()
    finally:
        office.close()
