"""[ADR 0006] One contract, three stores: memory, SQLite and PostgreSQL behave alike.

The same outgoing document goes through the whole flow (拟稿 → … → 归档) on each store; the
office is then closed and opened again on the same URL (memory: the same office, it cannot
be reopened), and everything an auditor can ask must come back unchanged: the state, the
decision trail, the state at each version and at each business time, the document found by
its number, and every business time with its zone name.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pendulum
import pytest

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import (
    PermissionDenied,
    RecordNotFound,
    UnknownPerson,
    WrongStatus,
)
from govoffice.domain.values import DocumentNumber
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    notification_count,
    office_for_tests,
    standard_agency,
)
from tests.conftest import POSTGRES_URL, require_postgres

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")

FORM: dict[str, Any] = {
    "title": "关于做好2026年春节期间值班工作的通知",
    "doc_type": "通知",
    "issuer_code": "X政发",
    "lead_unit": "biz1",
    "main_recipients": ["各处室"],
    "text": "各处室:现将春节期间值班安排通知如下……",
}

# Business times of the flow: mostly Asia/Shanghai, one step dated in Europe/Prague and one
# with a fixed offset, each later than the one before.
PRAGUE_STEP = 4  # submit_to_office
FIXED_STEP = 8  # register


def step_times(start: pendulum.DateTime = T0) -> list[pendulum.DateTime]:
    """The business times of the 13 steps of the outgoing flow, one hour apart."""
    times = [start.add(hours=i + 1) for i in range(13)]
    times[PRAGUE_STEP - 1] = times[PRAGUE_STEP - 1].in_timezone("Europe/Prague")
    times[FIXED_STEP - 1] = times[FIXED_STEP - 1].in_timezone(pendulum.FixedTimezone(8 * 3600))
    return times


def to_signed(
    office: Office, p: AgencyPeople, times: list[pendulum.DateTime], **form: Any
) -> uuid.UUID:
    """拟稿 → 处室审核 → 办公室初核、复核 → 签发, at times[0..6]; returns the document id."""
    d = office.documents
    doc = d.draft(by=p.drafter, at=times[0], **{**FORM, **form})
    d.submit_for_review(doc, by=p.drafter, at=times[1])
    d.review(doc, by=p.unit_head, at=times[2])
    d.submit_to_office(doc, by=p.drafter, at=times[3])
    d.office_check(doc, by=p.secretary, at=times[4])
    d.office_review(doc, by=p.office_head, at=times[5])
    d.sign(doc, by=p.principal, at=times[6])
    return doc


def after_signing(office: Office, p: AgencyPeople, doc: uuid.UUID) -> list[Callable[[Any], Any]]:
    """The steps after signing, each taking its business time: 登记 … 归档."""
    d = office.documents
    return [
        lambda at: d.register(doc, by=p.secretary, distribution_scope="各处室", copies=3, at=at),
        lambda at: d.recheck(doc, by=p.secretary, at=at),
        lambda at: d.print_copies(doc, site="文印室", by=p.secretary, at=at),
        lambda at: d.check_print(doc, by=p.drafter, at=at),
        lambda at: d.distribute(doc, by=p.drafter, at=at),
        lambda at: d.archive(doc, by=p.archivist, at=at),
    ]


def state(aggregate: Any) -> dict[str, Any]:
    """Everything an aggregate knows (its attributes), for comparing two readings."""
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def zones(values: list[Any]) -> list[tuple[str, str]]:
    """The wall time, offset and zone name of each business time."""
    return [(v.isoformat(), v.timezone_name) for v in values]


@contextlib.contextmanager
def fresh_postgres_schema() -> Iterator[str]:
    """A PostgreSQL store URL in a schema of its own, dropped afterwards (skips, or fails
    when CI=true, without a server)."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@dataclass
class Run:
    """One document taken through the whole flow, with what was seen along the way."""

    office: Office
    people: AgencyPeople
    doc: uuid.UUID
    number: DocumentNumber
    times: list[pendulum.DateTime]
    states: dict[int, dict[str, Any]] = field(default_factory=dict)


def whole_flow(url: str) -> Run:
    office = office_for_tests(url, start=T0)
    p = standard_agency(office, T0)
    times = step_times()
    doc = to_signed(office, p, times)
    run = Run(office, p, doc, DocumentNumber("X", 2026, 1), times)
    for version in range(1, 8):
        run.states[version] = state(office.documents.get(doc, version=version))
    for i, step in enumerate(after_signing(office, p, doc)):
        result = step(times[7 + i])
        if i == 0:
            run.number = result
        run.states[8 + i] = state(office.documents.get(doc))
    return run


def reopened(run: Run, url: str) -> Office:
    """The office on the same store, opened afresh (memory: the same office)."""
    if url == "memory":
        return run.office
    run.office.close()
    return office_for_tests(url, start=T0)


@pytest.fixture
def run(store_url: str) -> Iterator[Run]:
    r = whole_flow(store_url)
    yield r
    r.office.close()


def test_whole_outgoing_flow_reads_back_the_same_after_reopening(run: Run, store_url: str) -> None:
    """[ADR 0006] 发文全流程在三种存储上重新打开后状态与决策记录不变."""
    before_state = state(run.office.documents.get(run.doc))
    before_history = run.office.documents.history(run.doc)
    office = reopened(run, store_url)
    run.office = office
    doc = office.documents.get(run.doc)
    assert doc.status is DocumentStatus.ARCHIVED
    assert doc.number == run.number == DocumentNumber("X政发", 2026, 1)
    assert state(doc) == before_state
    history = office.documents.history(run.doc)
    assert history == before_history
    assert [h.action for h in history] == [
        "Drafted",
        "SubmittedForReview",
        "Reviewed",
        "SubmittedToOffice",
        "OfficeChecked",
        "OfficeReviewed",
        "Signed",
        "Registered",
        "Rechecked",
        "Printed",
        "PrintChecked",
        "Distributed",
        "Archived",
    ]


def test_every_version_reads_back_as_it_stood(run: Run, store_url: str) -> None:
    """[ADR 0006] get(version=n) 在重新打开后给出第 n 步时的状态."""
    office = run.office = reopened(run, store_url)
    for version, expected in run.states.items():
        assert state(office.documents.get(run.doc, version=version)) == expected, version


def test_state_as_of_each_business_time(run: Run, store_url: str) -> None:
    """[ADR 0002] as_of(at) 给出该业务时间的状态, 不论 at 用哪个时区表示."""
    office = run.office = reopened(run, store_url)
    for version, at in enumerate(run.times, start=1):
        assert state(office.documents.as_of(run.doc, at)) == run.states[version], version
        # the same instant written in another zone, and a moment before the next step
        for same in (at.in_timezone("Europe/Prague"), at.in_timezone("UTC")):
            assert office.documents.as_of(run.doc, same).status is run.states[version]["status"]
        if version < len(run.times):
            between = at.add(minutes=30)
            assert state(office.documents.as_of(run.doc, between)) == run.states[version]
    with pytest.raises(RecordNotFound):
        office.documents.as_of(run.doc, run.times[0].subtract(seconds=1))


def test_business_times_keep_their_zone_names(run: Run, store_url: str) -> None:
    """[ADR 0004] 业务时间按原时区保存: Asia/Shanghai, Europe/Prague, +08:00."""
    office = run.office = reopened(run, store_url)
    history = office.documents.history(run.doc)
    assert zones([h.at for h in history]) == zones(run.times)
    names = [h.at.timezone_name for h in history]
    assert names[PRAGUE_STEP - 1] == "Europe/Prague"
    assert names[FIXED_STEP - 1] == "+08:00"
    assert names[0] == "Asia/Shanghai"
    assert all(type(h.at) is pendulum.DateTime for h in history)
    doc = office.documents.get(run.doc)
    assert doc.drafted_at.timezone_name == "Asia/Shanghai"
    assert doc.last_at.timezone_name == "Asia/Shanghai"
    assert doc.signed_at == run.times[6] and doc.signed_at.timezone_name == "Asia/Shanghai"


def test_find_by_number_after_reopening(run: Run, store_url: str) -> None:
    """[ADR 0003] 按发文字号查找公文."""
    office = run.office = reopened(run, store_url)
    assert office.documents.find_by_number(run.number).id == run.doc
    assert office.documents.find_by_number("X政发〔2026〕1号").id == run.doc
    with pytest.raises(RecordNotFound):
        office.documents.find_by_number("X政发〔2026〕2号")
    with pytest.raises(RecordNotFound):
        office.documents.find_by_number("Y政发〔2026〕1号")


def test_numbering_continues_without_a_gap_after_reopening(run: Run, store_url: str) -> None:
    """[ADR 0003] 重新打开后发文字号接续编号, 不跳号."""
    office = run.office = reopened(run, store_url)
    second = to_signed(office, run.people, step_times(T0.add(days=1)))
    number = office.documents.register(
        second, by=run.people.secretary, distribution_scope="各处室", copies=1, at=T0.add(days=2)
    )
    assert number == DocumentNumber("X政发", 2026, 2)
    assert office.documents.find_by_number(number).id == second


def test_refused_commands_record_nothing_on_every_store(run: Run, store_url: str) -> None:
    """[CONTRIBUTING] 被拒绝的操作在任何存储上都不留下记录, 也不占用文号."""
    office = run.office
    p = run.people
    later = T0.add(days=1)
    unsigned = office.documents.draft(by=p.drafter, at=later, **FORM)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.archive(run.doc, by=p.archivist, at=later)
    with assert_nothing_recorded(office), pytest.raises(WrongStatus):
        office.documents.register(
            unsigned, by=p.secretary, distribution_scope="各处室", copies=1, at=later
        )
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.submit_for_review(unsigned, by=p.drafter2, at=later)
    with assert_nothing_recorded(office), pytest.raises(UnknownPerson):
        office.documents.submit_for_review(unsigned, by="nobody", at=later)
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.documents.draft(by=p.archivist, at=later, **FORM)
    count = notification_count(office)
    office = run.office = reopened(run, store_url)
    assert notification_count(office) == count
    assert office.documents.get(unsigned).status is DocumentStatus.DRAFT
    assert office.documents.get(unsigned).version == 1
    # the refused registration took no number: the next one is 2
    signed = to_signed(office, p, step_times(later))
    number = office.documents.register(
        signed, by=p.secretary, distribution_scope="各处室", copies=1, at=later.add(days=1)
    )
    assert number.serial == 2
