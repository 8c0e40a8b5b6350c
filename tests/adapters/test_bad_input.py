"""[ADR 0006; CONTRIBUTING] Bad input gets a clear ``GovOfficeError`` naming what is wrong,
never a driver's or library's traceback, and leaves nothing half-written: malformed document
numbers, unknown and malformed ids, wrong types, naive times, unknown people, invalid store
URLs, an unreachable server, and a store that goes away in the middle of a command.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pendulum
import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govoffice.adapters.stores import store_env
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import (
    GovOfficeError,
    InvalidInput,
    InvalidStoreURL,
    MalformedDocumentNumber,
    NaiveDateTime,
    RecordNotFound,
    StoreUnavailable,
    UnknownPerson,
)
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import DocumentNumber
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    assert_nothing_recorded,
    notification_count,
    standard_agency,
)
from tests.adapters.test_store_contract import (
    FORM,
    T0,
    fresh_postgres_schema,
    step_times,
    to_signed,
)
from tests.conftest import POSTGRES_URL

AT = T0.add(days=1)
SERIES = NumberSeries.create_id("发文字号", "X政发", 2026)

# --- 发文字号 ---------------------------------------------------------------------------

MALFORMED = [
    "X政发[2026]12号",  # square brackets, not 〔〕
    "X政发(2026)12号",
    "X政发(2026)12号",
    "X政发〔2026〕第12号",  # no 第
    "X政发〔2026〕012号",  # no leading zero
    "X政发〔26〕12号",  # the year in full
    "X政发〔02026〕12号",
    "〔2026〕12号",  # no issuer code
    "X政发〔2026〕0号",  # serials start at 1
    "X政发〔2026〕12",  # 号
    "X政发2026年12号",
    "X政 发〔2026〕12号",
    "X政发〔2026〕〔2026〕12号",
    "",
    "   ",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_document_numbers_are_refused(text: str) -> None:
    """[GB/T 9704-2012 7.2.4] 发文字号: 年份全称用六角括号〔〕括入, 序号不编虚位, 不加"第"."""
    with pytest.raises(MalformedDocumentNumber) as refused:
        DocumentNumber.parse(text)
    assert refused.value.text == text
    assert "X政发〔2026〕12号" in str(refused.value)  # shows the expected form


@pytest.mark.parametrize("value", [12, None, b"X\xe6\x94\xbf", 12.0, ["X政发〔2026〕12号"]])
def test_a_document_number_must_be_text(value: object) -> None:
    """[GB/T 9704-2012 7.2.4] 发文字号必须是文字."""
    with pytest.raises(MalformedDocumentNumber):
        DocumentNumber.parse(value)


def test_find_by_malformed_number_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0003] 按格式不正确的发文字号查找给出 MalformedDocumentNumber."""
    with assert_nothing_recorded(office):
        with pytest.raises(MalformedDocumentNumber):
            office.documents.find_by_number("X政发[2026]1号")
        for value in (5, None):  # not text at all: the facade's type check (ADR 0029)
            with pytest.raises(InvalidInput, match="number"):
                office.documents.find_by_number(value)  # type: ignore[arg-type]
        with pytest.raises(RecordNotFound):
            office.documents.find_by_number("X政发〔2026〕1号")


issuer_codes = st.one_of(
    st.sampled_from(["X政发", "X政办发", "国办发", "京政发", "第一师发", "ABC"]),
    st.text(st.characters(categories=("Lu", "Ll", "Lo")), min_size=1),  # any script
)
numbers = st.builds(DocumentNumber, issuer_codes, st.integers(1949, 9999), st.integers(1, 10**9))


@settings(max_examples=200)
@given(number=numbers)
@example(number=DocumentNumber("X政发", 2026, 12))
def test_a_number_parses_back_from_its_text(number: DocumentNumber) -> None:
    """[GB/T 9704-2012 7.2.4] 发文字号写成文字再解析, 得到同一个字号."""
    assert DocumentNumber.parse(str(number)) == number


def assert_parses_or_is_malformed(text: str) -> None:
    try:
        parsed = DocumentNumber.parse(text)
    except MalformedDocumentNumber:
        return
    assert isinstance(parsed, DocumentNumber)
    assert DocumentNumber.parse(str(parsed)) == parsed


@settings(max_examples=300)
@given(text=st.text())
def test_parsing_arbitrary_text_gives_a_number_or_malformed(text: str) -> None:
    """[GB/T 9704-2012 7.2.4] 任意文字: 要么是字号, 要么是 MalformedDocumentNumber, 别无其他."""
    assert_parses_or_is_malformed(text)


near_misses = st.builds(
    lambda pad1, code, left, year, right, di, serial, hao, pad2: (
        f"{pad1}{code}{left}{year}{right}{di}{serial}{hao}{pad2}"
    ),
    st.sampled_from(["", " ", "\u3000"]),
    st.one_of(issuer_codes, st.sampled_from(["", "X政发1", "X 政发", "〔"])),
    st.sampled_from(["〔", "[", "(", "(", "", "〔〔"]),
    st.one_of(
        st.integers(0, 9999).map(lambda y: f"{y:04d}"),
        st.sampled_from(["", "26", "02026", "２０２６", "二〇二六", "2026.0"]),
    ),
    st.sampled_from(["〕", "]", ")", ")", "", "〕〕"]),
    st.sampled_from(["", "第"]),
    st.one_of(st.integers(0, 10**6).map(str), st.sampled_from(["", "007", "-1", "1.5", "一"])),
    st.sampled_from(["号", "", "號", "号号"]),
    st.sampled_from(["", " ", "\n"]),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(text=near_misses)
def test_parsing_near_misses_gives_a_number_or_malformed(text: str) -> None:
    """[GB/T 9704-2012 7.2.4] 似是而非的字号: 要么解析, 要么 MalformedDocumentNumber."""
    assert_parses_or_is_malformed(text)


@pytest.mark.parametrize("text", ["X政发〔0001〕1号", "X政发〔1900〕1号"])
def test_a_year_before_1949_is_a_malformed_number(text: str) -> None:
    """[GB/T 9704-2012 7.2.4] 年份不正确的字号也是 MalformedDocumentNumber."""
    with pytest.raises(MalformedDocumentNumber):
        DocumentNumber.parse(text)


def test_an_issuer_code_with_di_parses_back() -> None:
    """[GB/T 9704-2012 7.2.4] 只有序号前不加"第", 机关代字中的"第"不受影响."""
    number = DocumentNumber("第一师发", 2026, 3)
    assert DocumentNumber.parse(str(number)) == number


# --- ids, types, times, people ---------------------------------------------------------


UNKNOWN_ID = uuid.UUID("0b0e7f7c-5d0c-4c8e-9f61-8f1d3f9a2b11")


@pytest.mark.parametrize("record_id", ["nope", "", str(UNKNOWN_ID), UNKNOWN_ID, 123, None, 1.5])
def test_unknown_and_malformed_ids_are_not_found(
    office: Office, agency: AgencyPeople, record_id: object
) -> None:
    """[ADR 0006] 不存在或格式不对的公文编号: RecordNotFound; 编号不是文字或 UUID (数字、
    None): InvalidInput (ADR 0029)."""
    d = office.documents
    refusal: type[Exception] = (
        RecordNotFound if isinstance(record_id, str | uuid.UUID) else InvalidInput
    )
    with assert_nothing_recorded(office):
        for read in (
            lambda: d.get(record_id),
            lambda: d.history(record_id),
            lambda: d.as_of(record_id, AT),
            lambda: d.submit_for_review(record_id, by=agency.drafter, at=AT),
            lambda: d.register(
                record_id, by=agency.secretary, distribution_scope="各处室", copies=1, at=AT
            ),
        ):
            with pytest.raises(refusal):
                read()
    assert not office.store.exists(SERIES)  # a refused registration starts no series


def test_another_kind_of_record_is_not_a_document(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0006] 组织机构的编号不是公文编号."""
    org_id = Organisation.create_id()
    with assert_nothing_recorded(office):
        for read in (
            lambda: office.documents.get(org_id),
            lambda: office.documents.history(org_id),
            lambda: office.documents.as_of(org_id, AT),
        ):
            with pytest.raises(RecordNotFound):
                read()


@pytest.mark.parametrize("version", ["3", 0, -1, 1.5, True])
def test_a_version_must_be_a_positive_int(
    office: Office, agency: AgencyPeople, version: object
) -> None:
    """[ADR 0006] get(version=...) 的版本号必须是正整数."""
    doc = office.documents.draft(by=agency.drafter, at=AT, **FORM)
    with pytest.raises(InvalidInput):
        office.documents.get(doc, version=version)  # type: ignore[arg-type]


def signed_document(office: Office, p: AgencyPeople) -> uuid.UUID:
    return to_signed(office, p, step_times(T0))


def wrong_inputs(p: AgencyPeople) -> dict[str, tuple[type[GovOfficeError], Callable[..., Any]]]:
    """Each case: the error it must give, and a call given the office and a signed document."""

    def draft(**changes: Any) -> Callable[[Office, uuid.UUID], Any]:
        return lambda o, doc: o.documents.draft(**{"by": p.drafter, "at": AT, **FORM, **changes})

    def register(**changes: Any) -> Callable[[Office, uuid.UUID], Any]:
        args = {"by": p.secretary, "distribution_scope": "各处室", "copies": 3, "at": AT}
        return lambda o, doc: o.documents.register(doc, **{**args, **changes})

    return {
        "draft by=123": (InvalidInput, draft(by=123)),
        "draft by unknown person": (UnknownPerson, draft(by="nobody")),
        "draft copies='3'": (InvalidInput, draft(copies="3")),
        "draft main_recipients='各处室'": (InvalidInput, draft(main_recipients="各处室")),
        "draft main_recipients=[]": (InvalidInput, draft(main_recipients=[])),
        "draft title=None": (InvalidInput, draft(title=None)),
        "draft doc_type='memo'": (InvalidInput, draft(doc_type="memo")),
        "draft important='yes'": (InvalidInput, draft(important="yes")),
        "draft urgent_deadlines='tomorrow'": (
            InvalidInput,
            draft(urgency="特急", urgent_reason="急", urgent_deadlines="tomorrow"),
        ),
        "draft unknown field": (InvalidInput, draft(colour="red")),
        "draft naive at": (NaiveDateTime, draft(at=datetime(2026, 1, 1))),
        "draft at as text": (InvalidInput, draft(at="2026-03-03 09:00")),
        "draft at as a date": (InvalidInput, draft(at=pendulum.date(2026, 3, 3))),
        "register by=123": (InvalidInput, register(by=123)),
        "register copies='3'": (InvalidInput, register(copies="3")),
        "register copies=0": (InvalidInput, register(copies=0)),
        "register copies=True": (InvalidInput, register(copies=True)),
        "register distribution_scope=3": (InvalidInput, register(distribution_scope=3)),
        "register naive at": (NaiveDateTime, register(at=datetime(2026, 3, 3, 9))),
        "register unknown person": (UnknownPerson, register(by="nobody")),
        "register before signing time": (InvalidInput, register(at=T0)),
        "sign on_behalf_of=123": (
            InvalidInput,
            lambda o, doc: o.documents.sign(doc, by=p.deputy, on_behalf_of=123, at=AT),
        ),
        "history as_of naive": (
            NaiveDateTime,
            lambda o, doc: o.documents.as_of(doc, datetime(2026, 3, 3)),
        ),
    }


WRONG_INPUTS = list(wrong_inputs(AgencyPeople()))


@pytest.mark.parametrize("case", WRONG_INPUTS)
def test_wrong_types_and_times_are_refused_clearly(
    office: Office, agency: AgencyPeople, case: str
) -> None:
    """[CONTRIBUTING] 类型不对、时间无时区、查无此人: 明确的 GovOfficeError, 且什么也不写入."""
    doc = signed_document(office, agency)
    error, call = wrong_inputs(agency)[case]
    with assert_nothing_recorded(office), pytest.raises(error) as refused:
        call(office, doc)
    assert isinstance(refused.value, GovOfficeError)
    assert office.documents.get(doc).status is DocumentStatus.SIGNED
    assert not office.store.exists(SERIES)


@pytest.mark.parametrize("findings", [123, "字号有误", None])
def test_findings_must_be_a_list_of_texts(
    office: Office, agency: AgencyPeople, findings: object
) -> None:
    """[001 发文 五(六)2, 五(六)4] 复核意见、检查意见必须是文字列表 (一段文字不拆成单字)."""
    doc = signed_document(office, agency)
    register(office, agency, doc)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.recheck(doc, by=agency.secretary, findings=findings, at=AT)  # type: ignore[arg-type]
    office.documents.recheck(doc, by=agency.secretary, at=AT)
    office.documents.print_copies(doc, site="文印室", by=agency.secretary, at=AT)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.documents.check_print(doc, by=agency.drafter, findings=findings, at=AT)  # type: ignore[arg-type]


def test_countersign_agree_must_be_a_bool(office: Office, agency: AgencyPeople) -> None:
    """[001 发文 五(三)] 会签结论只能是同意或不同意 (agree=True/False)."""
    d = office.documents
    doc = d.draft(by=agency.drafter, at=AT, **FORM)
    d.submit_for_review(doc, by=agency.drafter, at=AT)
    d.review(doc, by=agency.unit_head, at=AT)
    d.request_countersign(doc, by=agency.unit_head, units=["legal"], at=AT)
    for agree in ("yes", 1, None):
        with assert_nothing_recorded(office), pytest.raises(InvalidInput):
            d.countersign(doc, party="legal", agree=agree, by=agency.legal_head, at=AT)  # type: ignore[arg-type]


# --- store URLs ----------------------------------------------------------------------------

INVALID_URLS: list[object] = [
    "mysql://x",
    "sqlite://host/x.db",  # a host where the path belongs
    "sqlite:////no/such/directory/office.db",
    "sqlite:///",
    "",
    "   ",
    None,
    5,
    "postgresql://",
    "postgresql://127.0.0.1/",  # no database
    "postgresql://postgres@127.0.0.1:99999/x",  # port out of range
    "postgresql://postgres@127.0.0.1/x?colour=red",
    "postgresql://postgres@127.0.0.1/x?pool_size=many",
    "postgresql://postgres@127.0.0.1/x?connect_timeout=-1",
]


@pytest.mark.parametrize("url", INVALID_URLS, ids=repr)
def test_invalid_store_urls_are_refused(url: object, tmp_path: Path) -> None:
    """[ADR 0006] 存储地址不正确: InvalidStoreURL, 说明正确的写法."""
    with pytest.raises(InvalidStoreURL) as refused:
        store_env(url)
    assert "sqlite:///" in str(refused.value)
    if url is None:
        return  # open_office(None): no URL given, the configuration names the store (ADR 0040)
    with pytest.raises(InvalidStoreURL):
        open_office(url)  # type: ignore[arg-type]


def test_a_directory_is_not_a_database_file(tmp_path: Path) -> None:
    """[ADR 0006] SQLite 地址指向目录: InvalidStoreURL."""
    with pytest.raises(InvalidStoreURL):
        open_office(f"sqlite:///{tmp_path}")


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    """[ADR 0006] SQLite 文件不是数据库: StoreUnavailable, 文件原样不动."""
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable) as refused:
        open_office(f"sqlite:///{path}")
    assert "not a database" in str(refused.value)
    assert path.read_bytes() == before


def test_an_unreachable_postgresql_server() -> None:
    """[ADR 0006] 连接不上的 PostgreSQL: StoreUnavailable (在连接超时 5 秒内), 不是驱动的异常."""
    with pytest.raises(StoreUnavailable) as refused:
        open_office("postgresql://postgres@127.0.0.1:5999/x")
    assert "127.0.0.1:5999" in str(refused.value)


def test_a_password_is_not_shown_in_the_error(postgres_schema_url: str) -> None:
    """[ADR 0006] 错误信息中不显示密码."""
    url = postgres_schema_url.replace("postgres@", "postgres:s3cret@", 1)
    bad_schema = url.split("?")[0] + "?schema=no_such_schema_here"
    with pytest.raises(StoreUnavailable) as refused:
        open_office(bad_schema)
    assert "s3cret" not in str(refused.value)
    assert "***" in str(refused.value)


# --- a store that goes away in the middle of a command -----------------------------------


def prepared(url: str, **env: str) -> tuple[Office, AgencyPeople, uuid.UUID, int]:
    office = open_office(url, clock=SettableClock(T0), env=env)
    p = standard_agency(office, T0)
    doc = signed_document(office, p)
    return office, p, doc, notification_count(office)


def register(office: Office, p: AgencyPeople, doc: uuid.UUID) -> DocumentNumber:
    return office.documents.register(
        doc, by=p.secretary, distribution_scope="各处室", copies=3, at=AT
    )


def assert_nothing_half_written(url: str, doc: uuid.UUID, count: int) -> None:
    """Read afresh from the store: no new event, the document still signed, no series, and
    the next registration takes number 1."""
    office = open_office(url, clock=SettableClock(T0))
    try:
        assert notification_count(office) == count
        assert office.documents.get(doc).status is DocumentStatus.SIGNED
        assert not office.store.exists(SERIES)
        assert register(office, AgencyPeople(), doc) == DocumentNumber("X政发", 2026, 1)
    finally:
        office.close()


def test_sqlite_locked_by_another_process_mid_command(tmp_path: Path) -> None:
    """[ADR 0003, 0006] 登记时 SQLite 被别的进程锁住写入: StoreUnavailable, 不留半截记录."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office, p, doc, count = prepared(url, SQLITE_LOCK_TIMEOUT="1")
    other = sqlite3.connect(tmp_path / "office.db", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # readers go on (WAL); the write cannot
        with pytest.raises(StoreUnavailable) as refused:
            register(office, p, doc)
        assert "locked" in str(refused.value)
        assert office.documents.get(doc).status is DocumentStatus.SIGNED
    finally:
        other.execute("ROLLBACK")
        other.close()
        office.close()
    assert_nothing_half_written(url, doc, count)


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_postgres_schema() as url:
        yield url


def test_postgresql_schema_gone_between_reading_and_writing(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[ADR 0003, 0006] 登记读取之后、写入之前 PostgreSQL 的表不见了: StoreUnavailable,
    表回来后不见半截记录, 文号从 1 接续."""
    office, p, doc, count = prepared(pg_url)
    schema = pg_url.split("schema=")[1]
    recorder = office.app.recorder
    insert_events = recorder.insert_events

    def store_goes_away_then_insert(*args: Any, **kwargs: Any) -> Any:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_away"')
        return insert_events(*args, **kwargs)

    monkeypatch.setattr(recorder, "insert_events", store_goes_away_then_insert)
    try:
        with pytest.raises(StoreUnavailable) as refused:
            register(office, p, doc)
        assert "does not exist" in str(refused.value)
    finally:
        monkeypatch.undo()
        office.close()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'ALTER SCHEMA "{schema}_away" RENAME TO "{schema}"')
    assert_nothing_half_written(pg_url, doc, count)


def test_postgresql_schema_dropped(pg_url: str) -> None:
    """[ADR 0006] PostgreSQL 的 schema 被删除: 读写都给出 StoreUnavailable."""
    office, p, doc, _ = prepared(pg_url)
    schema = pg_url.split("schema=")[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    try:
        for call in (
            lambda: office.documents.get(doc),
            lambda: office.documents.history(doc),
            lambda: register(office, p, doc),
            lambda: office.documents.draft(by=p.drafter, at=AT, **FORM),
            lambda: office.documents.find_by_number("X政发〔2026〕1号"),
            lambda: office.org.current(),
        ):
            with pytest.raises(StoreUnavailable):
                call()
    finally:
        office.close()
    with pytest.raises(StoreUnavailable):
        open_office(pg_url)
