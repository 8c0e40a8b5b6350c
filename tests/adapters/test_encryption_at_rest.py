"""[issue 12 §6, ADR 0034] Secrets stay secret: with encryption on, no classified text (the
title, text, summary and opinions of a 绝密 document) is anywhere in the database in plain
after the document's whole life — drafted, returned, revised, countersigned, reviewed,
signed, notified and dispatched, queued, reported, ticked — neither in the events nor in the
views (queues, outbox, tick memo, rankings, the annual report's rows); and the notification
messages of a classified document say only what kind of work waits and its number or id.
The raw SQLite file (and its -wal) and a ``pg_dump`` of the office's schema are searched.

A missing, malformed or wrong key is one clear ``EncryptionKeyError`` naming the variable.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner
from eventsourcing.cryptography import AESCipher

from govoffice.adapters.notifiers import MemoryNotifier
from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.domain.document import Classification
from govoffice.domain.errors import EncryptionKeyError
from govoffice.testing import AgencyPeople, SettableClock, draft_form, standard_agency

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)
KEY = AESCipher.create_key(32)
SECRETS = {
    "title": "关于鹳雀楼甲乙丙工程的绝密通知",
    "text": "正文:鹳雀楼工程丁戊己庚辛的全部安排",
    "revised text": "修改后正文:鹳雀楼壬癸子丑的安排",
    "summary": "摘要鹳雀楼寅卯辰",
    "return opinion": "退回意见:鹳雀楼巳午未需补充",
    "review opinion": "审核意见:鹳雀楼申酉戌可行",
    "countersign opinion": "会签意见:鹳雀楼亥子丑同意",
    "office opinion": "复核意见:鹳雀楼北斗七星",
    "sign opinion": "签发意见:鹳雀楼南箕北斗",
}


def forms(secret: str) -> list[bytes]:
    """How a text may lie in a file: UTF-8, JSON-escaped, and hex (PostgreSQL's bytea)."""
    utf8 = secret.encode()
    escaped = json.dumps(secret)[1:-1].encode()
    return [utf8, escaped, utf8.hex().encode()]


def found_in(blob: bytes) -> list[str]:
    return [name for name, secret in SECRETS.items() if any(f in blob for f in forms(secret))]


def whole_life(
    url: str, env: dict[str, str], peek: Callable[[], bytes] | None = None
) -> tuple[list[str], bytes]:
    """A 绝密 document from draft to signature, notified, queued, reported, ticked; returns
    the subjects and bodies of the messages sent, and what ``peek`` saw of the database
    while the office was still open (an SQLite -wal file is folded in when it closes)."""
    office = open_office(url, clock=SettableClock(T0), env=env)
    try:
        p = standard_agency(office, T0)
        docs = office.documents
        notifier = MemoryNotifier()
        office.notifications.notifier = notifier
        at = T0.add(hours=1)

        def step() -> pendulum.DateTime:
            nonlocal at
            at = at.add(minutes=10)
            office.clock.set(at)  # type: ignore[attr-defined]
            return at

        doc = docs.draft(
            by=p.drafter,
            at=step(),
            **draft_form(
                title=SECRETS["title"],
                text=SECRETS["text"],
                summary=SECRETS["summary"],
                classification=Classification.TOP_SECRET,
                secrecy_period="长期",
                disclosure="not_disclosed",
            ),
        )
        docs.submit_for_review(doc, by=p.drafter, at=step())
        docs.return_for_revision(doc, by=p.unit_head, opinion=SECRETS["return opinion"], at=step())
        docs.revise(doc, by=p.drafter, text=SECRETS["revised text"], at=step())
        docs.submit_for_review(doc, by=p.drafter, at=step())
        docs.review(doc, by=p.unit_head, opinion=SECRETS["review opinion"], at=step())
        docs.request_countersign(doc, by=p.unit_head, units=["biz2"], at=step())
        assert office.queues.for_person(p.unit_head2), "queued for the countersigning unit"
        docs.countersign(
            doc,
            party="biz2",
            agree=True,
            by=p.unit_head2,
            opinion=SECRETS["countersign opinion"],
            at=step(),
        )
        docs.submit_to_office(doc, by=p.drafter, at=step())
        docs.office_check(doc, by=p.secretary, at=step())
        docs.office_review(doc, by=p.office_head, opinion=SECRETS["office opinion"], at=step())
        waiting = office.queues.for_person(p.principal)
        assert [i.title for i in waiting] == [SECRETS["title"]], "the reader with the key sees it"
        office.notifications.deliver()
        docs.sign(doc, by=p.principal, opinion=SECRETS["sign opinion"], at=step())
        office.notifications.deliver()
        office.tick(step().add(days=30))
        office.queues.for_unit("biz1")
        office.reports.annual(2026)
        office.rankings.rank("2026")
        office.notifications.deliver()
        assert len(notifier.sent) >= 3
        seen = peek() if peek is not None else b""
        return [f"{m.subject}\n{m.body}" for m in notifier.sent], seen
    finally:
        office.close()


def sqlite_files(path: Path) -> bytes:
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    )


def postgres_dump(schema_url: str) -> bytes:
    """``pg_dump`` of the schema (every table, data included)."""
    from tests.conftest import POSTGRES_URL

    schema = schema_url.rsplit("schema=", 1)[1]
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:  # pragma: no cover - every CI image has the client
        pytest.skip("pg_dump is not installed")
    done = subprocess.run(
        [pg_dump, "--schema", schema, POSTGRES_URL], capture_output=True, check=True, timeout=60
    )
    assert b"govoffice_view_rows" in done.stdout and b"govoffice_events" in done.stdout
    return done.stdout


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def durable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield "sqlite", f"sqlite:///{tmp_path / 'office.db'}"
    else:
        yield "postgres", str(request.getfixturevalue("postgres_schema_url"))


def raw(kind: str, url: str) -> bytes:
    if kind == "sqlite":
        return sqlite_files(Path(url.removeprefix("sqlite:///")))
    return postgres_dump(url)


def test_no_classified_text_is_in_the_database_in_plain(durable: tuple[str, str]) -> None:
    """[issue 12 §6] An encrypted office, after a 绝密 document's whole life: 0 hits."""
    kind, url = durable

    def peek() -> bytes:
        if kind == "sqlite":
            assert Path(url.removeprefix("sqlite:///") + "-wal").exists(), "a -wal to search"
        return raw(kind, url)

    messages, while_open = whole_life(url, {"CIPHER_KEY": KEY}, peek)
    assert found_in(while_open) == []
    assert found_in(raw(kind, url)) == []
    assert found_in("\n".join(messages).encode()) == []


def test_the_search_finds_the_secrets_when_encryption_is_off(durable: tuple[str, str]) -> None:
    """The same life without a key: the same search finds the texts (so it can find them),
    while the messages stay as bare as with encryption."""
    kind, url = durable
    messages, while_open = whole_life(url, {}, lambda: raw(kind, url))
    assert set(found_in(while_open)) == set(found_in(raw(kind, url))) == set(SECRETS)
    assert found_in("\n".join(messages).encode()) == []


def test_a_classified_documents_message_says_only_the_kind_of_work_and_its_number(
    tmp_path: Path,
) -> None:
    """[issue 12 §6] Each message: 涉密文件, the kind of work, the document's number or id."""
    messages, _ = whole_life(f"sqlite:///{tmp_path / 'office.db'}", {"CIPHER_KEY": KEY})
    for message in messages:
        assert "涉密文件" in message and "绝密" in message
    assert any("公文待签发" in m for m in messages)
    assert any("文稿退回修改" in m for m in messages)


# --- the key -------------------------------------------------------------------------------


@pytest.fixture
def encrypted(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = open_office(url, env={"CIPHER_KEY": KEY})
    standard_agency(office, T0)
    office.close()
    return url


def test_an_encrypted_store_without_its_key_verifies_but_reads_and_writes_nothing(
    encrypted: str,
) -> None:
    """[issue 12 §6, ADR 0034] No key: the log still verifies (the chain needs no key), but
    reading a record, querying a view or writing one is one clear error naming
    GOVOFFICE_CIPHER_KEY; nothing is written in plain into the encrypted store."""
    office = open_office(encrypted)
    try:
        assert office.audit.verify().ok
        before = office.app.recorder.max_notification_id()
        p = AgencyPeople()
        for attempt in (
            lambda: office.org.current(),
            lambda: office.queues.for_person(p.drafter),
            lambda: office.documents.draft(by=p.drafter, at=T0.add(days=1), **draft_form()),
            lambda: office.views.rebuild(),
        ):
            with pytest.raises(EncryptionKeyError) as refused:
                attempt()
            assert refused.value.variable == "GOVOFFICE_CIPHER_KEY"
            assert "GOVOFFICE_CIPHER_KEY" in str(refused.value)
            assert "未设置密钥" in str(refused.value)
        assert office.app.recorder.max_notification_id() == before
    finally:
        office.close()


def test_a_wrong_key_is_one_clear_error(encrypted: str) -> None:
    """[issue 12 §6] The wrong key: "密钥不正确", not a decoding traceback."""
    with pytest.raises(EncryptionKeyError) as refused:
        open_office(encrypted, env={"CIPHER_KEY": AESCipher.create_key(32)})
    assert "密钥不正确" in str(refused.value) and refused.value.variable == "CIPHER_KEY"


@pytest.mark.parametrize("bad", ["not base64!", "c2hvcnQ="])
def test_a_malformed_key_is_one_clear_error(encrypted: str, bad: str) -> None:
    """[issue 12 §6] A key that is not base64, or not 16/24/32 bytes: refused at open."""
    with pytest.raises(EncryptionKeyError):
        open_office(encrypted, env={"CIPHER_KEY": bad})


def test_a_plain_store_opened_with_a_key_is_refused(tmp_path: Path) -> None:
    """[ADR 0034] A key on a store that was never encrypted would mix plain and encrypted
    records: refused."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = open_office(url)
    standard_agency(office, T0)
    office.close()
    with pytest.raises(EncryptionKeyError) as refused:
        open_office(url, env={"CIPHER_KEY": KEY})
    assert "未加密" in str(refused.value)


def test_the_command_takes_the_key_from_the_variable_its_help_names(
    encrypted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[issue 12 §6] ``--help`` names GOVOFFICE_CIPHER_KEY; without it a command exits 2 with
    one line; with it the command reads the encrypted store."""
    runner = CliRunner()
    assert "GOVOFFICE_CIPHER_KEY" in runner.invoke(main, ["--help"]).output
    assert "GOVOFFICE_CIPHER_KEY" in runner.invoke(main, ["rebuild", "--help"]).output
    monkeypatch.delenv("GOVOFFICE_CIPHER_KEY", raising=False)
    without = runner.invoke(main, ["rebuild", "--store", encrypted])
    assert without.exit_code == 2
    assert "EncryptionKeyError" in without.output and "GOVOFFICE_CIPHER_KEY" in without.output
    assert "Traceback" not in without.output
    monkeypatch.setenv("GOVOFFICE_CIPHER_KEY", KEY)
    with_key = runner.invoke(main, ["rebuild", "--store", encrypted])
    assert with_key.exit_code == 0, with_key.output
