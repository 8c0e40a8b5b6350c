"""[issue 12 §7, ADR 0035] Limits and timeouts: texts and lists have documented maximum
sizes, refused with ``InvalidInput`` before anything reaches the database; PostgreSQL
sessions wait for a lock at most ``lock_timeout`` seconds, so a writer stuck while holding
the events table's lock cannot freeze the office."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pendulum
import pytest

from govoffice.application.app import EventTooLarge, SizeLimitedJSONTranscoder
from govoffice.application.office import Office
from govoffice.domain.errors import InvalidInput, StoreUnavailable
from govoffice.domain.values import (
    MAX_ITEMS,
    MAX_OPINION,
    MAX_TEXT,
    MAX_TITLE,
    max_length_of,
    text,
    texts,
)
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    draft_form,
    office_for_tests,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
TWENTY_MB = 20 * 1024 * 1024


@pytest.fixture
def stored(store_url: str) -> Iterator[tuple[Office, AgencyPeople]]:
    office = office_for_tests(store_url, start=T0)
    try:
        yield office, standard_agency(office, T0)
    finally:
        office.close()


def test_a_twenty_megabyte_title_is_refused_on_every_store(
    stored: tuple[Office, AgencyPeople],
) -> None:
    """[issue 12 §7] A 20 MB title: InvalidInput, nothing recorded, on every store."""
    office, people = stored
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.documents.draft(by=people.drafter, at=T0, **draft_form(title="标" * TWENTY_MB))
    assert refused.value.max_length == MAX_TITLE
    assert refused.value.length == TWENTY_MB
    assert len(str(refused.value)) < 200, "the message does not repeat the value"
    # the office is not held up: the next command is recorded
    office.documents.draft(by=people.drafter, at=T0, **draft_form())


def test_every_kind_of_text_has_its_limit(office: Office, agency: AgencyPeople) -> None:
    """[issue 12 §7] Titles 200, opinions 5,000, body texts 200,000 characters; lists 500."""
    docs = office.documents
    doc = docs.draft(by=agency.drafter, **draft_form(title="标" * MAX_TITLE, text="文" * MAX_TEXT))
    assert len(docs.get(doc).form.title) == MAX_TITLE
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        docs.draft(by=agency.drafter, **draft_form(text="文" * (MAX_TEXT + 1)))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        docs.draft(by=agency.drafter, **draft_form(main_recipients=["各处室"] * (MAX_ITEMS + 1)))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        docs.draft(by=agency.drafter, **draft_form(main_recipients=["处" * (MAX_TITLE + 1)]))
    docs.submit_for_review(doc, by=agency.drafter)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        docs.return_for_revision(doc, by=agency.unit_head, opinion="改" * (MAX_OPINION + 1))
    assert refused.value.what == "退回意见"


def test_the_limits_table_names_each_kind() -> None:
    """[issue 12 §7] The table in the domain's values: titles, names, opinions, texts."""
    assert max_length_of("标题") == max_length_of("会议名称") == MAX_TITLE
    assert max_length_of("来文单位") == max_length_of("by") == MAX_TITLE
    assert max_length_of("审核意见") == max_length_of("撤回理由") == MAX_OPINION
    assert max_length_of("正文") == max_length_of("纪要正文") == MAX_TEXT
    assert text("x" * 10, "标题", max_length=10) == "x" * 10
    with pytest.raises(InvalidInput):
        text("x" * 11, "标题", max_length=10)
    with pytest.raises(InvalidInput):
        texts(["a", "b", "c"], "分送", max_items=2)


def test_an_event_larger_than_the_store_takes_is_refused_before_the_database(
    office: Office, agency: AgencyPeople
) -> None:
    """[ADR 0035] The backstop behind the fields' limits: an encoded event over the limit is
    refused with InvalidInput, and nothing is written."""
    transcoder = office.app.mapper.transcoder
    assert isinstance(transcoder, SizeLimitedJSONTranscoder)
    transcoder.max_bytes = 2_000
    with assert_nothing_recorded(office), pytest.raises(EventTooLarge):
        office.documents.draft(by=agency.drafter, **draft_form(text="文" * 2_000))
    transcoder.max_bytes = SizeLimitedJSONTranscoder.max_bytes
    office.documents.draft(by=agency.drafter, **draft_form(text="文" * 2_000))


# --- timeouts --------------------------------------------------------------------------------


def _hold_table_lock(schema_url: str, holding: threading.Event, release: threading.Event) -> None:
    import psycopg

    from tests.conftest import POSTGRES_URL

    schema = schema_url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL) as conn, conn.transaction():
        conn.execute(f'LOCK TABLE "{schema}".govoffice_events IN EXCLUSIVE MODE')
        holding.set()
        release.wait(60)


@pytest.mark.postgres
def test_a_postgres_writer_blocked_by_a_held_lock_gives_up_with_a_clear_error(
    postgres_schema_url: str,
) -> None:
    """[issue 12 §7] Another session holds the events table's lock and never lets go: the
    writer waits ``lock_timeout`` seconds, then gives up with StoreUnavailable saying why,
    having written nothing; once the lock is released the office writes again."""
    url = f"{postgres_schema_url}&lock_timeout=1"
    office = office_for_tests(url, start=T0)
    try:
        people = standard_agency(office, T0)
        holding, release = threading.Event(), threading.Event()
        holder = threading.Thread(
            target=_hold_table_lock, args=(postgres_schema_url, holding, release)
        )
        holder.start()
        try:
            assert holding.wait(10)
            with pytest.raises(StoreUnavailable) as gave_up:
                office.documents.draft(by=people.drafter, at=T0, **draft_form())
        finally:
            release.set()
            holder.join()
        assert "lock_timeout" in str(gave_up.value)
        with assert_nothing_recorded(office):
            pass
        office.documents.draft(by=people.drafter, at=T0, **draft_form())
    finally:
        office.close()


@pytest.mark.postgres
def test_postgres_sessions_carry_the_statement_and_lock_timeouts(postgres_schema_url: str) -> None:
    """[ADR 0035] Every session of the office (the event store's pool and the views') runs
    with ``statement_timeout``; the URL sets both timeouts."""
    office = office_for_tests(f"{postgres_schema_url}&statement_timeout=7&lock_timeout=3", start=T0)
    try:
        datastore = office.app.recorder.datastore  # type: ignore[attr-defined]
        with datastore.get_connection() as conn:
            row = conn.execute("SHOW statement_timeout").fetchone()
            assert row is not None and next(iter(row.values())) == "7s"
            row = conn.execute("SHOW lock_timeout").fetchone()
            assert row is not None and next(iter(row.values())) == "3s"
        views = office.views.store
        shown = views._conn.execute("SHOW statement_timeout").fetchone()  # type: ignore[attr-defined]
        assert shown is not None and shown[0] == "7s"
    finally:
        office.close()
