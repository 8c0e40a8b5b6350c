"""[ADR 0004] Values and events come back from every store exactly as they were written:
same types, same values, business times with the same zone name; a stored event that
cannot be read back is a clear ``CorruptRecord``.
"""

from __future__ import annotations

import json
import sqlite3
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from eventsourcing.domain import CanInitAggregate, CanMutateAggregate
from eventsourcing.persistence import Mapper, Transcoder
from eventsourcing.utils import get_topic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govoffice.adapters.hashchain import Envelope
from govoffice.adapters.serialization import make_transcoder
from govoffice.application.office import Office
from govoffice.domain.base import OfficeAggregate
from govoffice.domain.calendar_notice import CalendarRegister
from govoffice.domain.document import (
    Classification,
    CountersignAnswer,
    CountersignParty,
    Disclosure,
    DocType,
    DraftForm,
    OutgoingDocument,
    Urgency,
    UrgentDeadlines,
)
from govoffice.domain.errors import CorruptRecord, RecordNotFound
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.organisation import (
    Organisation,
    Person,
    Role,
    RoleGrant,
    Substitution,
    Unit,
    UnitFunction,
)
from govoffice.domain.values import DocumentNumber
from govoffice.testing import office_for_tests, standard_agency
from tests.adapters.test_store_contract import (
    FORM,
    T0,
    after_signing,
    fresh_postgres_schema,
    step_times,
    to_signed,
)

# --- each store's transcoder and mapper --------------------------------------------------


@dataclass
class StoreCodec:
    kind: str
    office: Office

    @property
    def transcoder(self) -> Transcoder:
        return self.office.app.mapper.transcoder

    @property
    def mapper(self) -> Mapper[uuid.UUID]:
        return self.office.app.mapper


@pytest.fixture(scope="module", params=["memory", "sqlite", "postgres"])
def codec(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreCodec]:
    """The transcoder and mapper of an office opened on each store."""
    if request.param == "memory":
        office = office_for_tests("memory")
        yield StoreCodec("memory", office)
        office.close()
    elif request.param == "sqlite":
        office = office_for_tests(f"sqlite:///{tmp_path_factory.mktemp('codec') / 'office.db'}")
        yield StoreCodec("sqlite", office)
        office.close()
    else:
        with fresh_postgres_schema() as url:
            office = office_for_tests(url)
            yield StoreCodec("postgres", office)
            office.close()


# --- strategies --------------------------------------------------------------------------

ZONES = sorted(pendulum.timezones())

instants = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
    lambda naive: pendulum.instance(naive, tz="UTC")
)
named_zone_times = st.builds(lambda i, z: i.in_timezone(z), instants, st.sampled_from(ZONES))
fixed_offset_times = st.builds(
    lambda i, minutes: i.in_timezone(pendulum.FixedTimezone(minutes * 60)),
    instants,
    st.integers(-14 * 60, 14 * 60),
)
business_times = st.one_of(named_zone_times, fixed_offset_times)
"""pendulum DateTimes in every IANA zone (historical local-mean-time offsets included) and
in fixed offsets, from year 1 to 9999."""

library_timestamps = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
pendulum_dates = st.dates().map(lambda d: pendulum.Date(d.year, d.month, d.day))
calendar_dates = st.one_of(st.dates(), pendulum_dates)
texts = st.text(max_size=20)
names = st.text(min_size=1, max_size=12)

issuer_codes = st.one_of(
    st.sampled_from(["X政发", "X政办发", "X局函", "京政发", "国办发", "ABC"]),
    st.text(st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=6),
)
"""机关代字: letters of any script (no digits, spaces or brackets, as DocumentNumber requires)."""
document_numbers = st.builds(
    DocumentNumber, issuer_codes, st.integers(1949, 9999), st.integers(1, 10**12)
)


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """Values of a type as it appears in an event's or a value object's type hints."""
    if tp in EXPLICIT:
        return EXPLICIT[tp]
    if isinstance(tp, typing.NewType):
        return strategy_for(tp.__supertype__)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and attrs.has(tp):
        hints = typing.get_type_hints(tp)
        return st.builds(tp, **{f.name: strategy_for(hints[f.name]) for f in attrs.fields(tp)})
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([strategy_for(a) for a in args])
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=3)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(strategy_for(args[0]), max_size=3).map(tuple)
    if origin is frozenset:
        return st.frozensets(strategy_for(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=3)
    raise NotImplementedError(f"no strategy for {tp!r}")


EXPLICIT: dict[Any, st.SearchStrategy[Any]] = {
    type(None): st.none(),
    str: texts,
    bool: st.booleans(),
    int: st.integers(-(2**63), 2**63),
    uuid.UUID: st.uuids(),
    pendulum.DateTime: business_times,
    datetime: business_times,
    date: calendar_dates,
    DocumentNumber: document_numbers,
}

urgent_deadlines = strategy_for(UrgentDeadlines)
draft_forms = st.builds(
    DraftForm,
    title=texts,
    doc_type=st.sampled_from(list(DocType)),
    issuer_code=issuer_codes,
    lead_unit=names,
    main_recipients=st.lists(names, min_size=1, max_size=3).map(tuple),
    text=texts,
    copy_recipients=st.lists(names, max_size=3).map(tuple),
    urgency=st.sampled_from(list(Urgency)),
    classification=st.sampled_from(list(Classification)),
    secrecy_period=st.none() | texts,
    drafter_phone=texts,
    copies=st.integers(1, 500),
    attachments=st.lists(texts, max_size=3).map(tuple),
    summary=texts,
    disclosure=st.sampled_from(list(Disclosure)),
    important=st.booleans(),
    for_office_meeting=st.booleans(),
    internal_rules=st.booleans(),
    normative=st.booleans(),
    co_issuers=st.lists(names, max_size=3).map(tuple),
    urgent_reason=texts,
    urgent_deadlines=st.none() | urgent_deadlines,
)
EXPLICIT[DraftForm] = draft_forms


# --- comparing without losing what equality hides ---------------------------------------


def assert_same(expected: Any, actual: Any, where: str = "value") -> None:
    """Equal, of the same type, and for date-times with the same wall time, offset and
    zone name (pendulum's ``==`` compares instants only)."""
    if isinstance(expected, datetime):
        assert type(actual) is type(expected), where
        assert actual == expected, where
        assert actual.isoformat() == expected.isoformat(), where
        assert getattr(actual, "timezone_name", None) == getattr(expected, "timezone_name", None)
        assert actual.tzname() == expected.tzname(), where
    elif isinstance(expected, date):
        # a datetime.date comes back as a pendulum.Date (a subclass): same calendar day
        assert isinstance(actual, date) and not isinstance(actual, datetime), where
        assert actual == expected, where
    elif isinstance(expected, Enum):
        assert actual is expected, where
    elif attrs.has(type(expected)):
        assert type(actual) is type(expected), where
        for f in attrs.fields(type(expected)):
            assert_same(getattr(expected, f.name), getattr(actual, f.name), f"{where}.{f.name}")
    elif isinstance(expected, CanMutateAggregate):
        assert type(actual) is type(expected), where
        assert vars(actual).keys() == vars(expected).keys(), where
        for key, value in vars(expected).items():
            assert_same(value, vars(actual)[key], f"{where}.{key}")
    elif isinstance(expected, dict):
        assert type(actual) is type(expected), where
        assert actual.keys() == expected.keys(), where
        for key, value in expected.items():
            assert_same(value, actual[key], f"{where}[{key!r}]")
    elif isinstance(expected, list | tuple):
        assert type(actual) is type(expected), f"{where}: {type(actual)} != {type(expected)}"
        assert len(actual) == len(expected), where
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_same(e, a, f"{where}[{i}]")
    else:
        assert type(actual) is type(expected), f"{where}: {type(actual)} != {type(expected)}"
        assert actual == expected, where


def round_trip(transcoder: Transcoder, value: Any) -> Any:
    return transcoder.decode(transcoder.encode(value))


COMMON = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)

# --- value objects -----------------------------------------------------------------------


@COMMON
@given(value=business_times)
def test_business_time_keeps_its_zone_name(codec: StoreCodec, value: pendulum.DateTime) -> None:
    """[ADR 0002, 0004] 业务时间在任何时区(含历史地方平时和固定偏移)往返后时区名不变."""
    back = round_trip(codec.transcoder, value)
    assert_same(value, back)
    assert back.timezone_name == value.timezone_name


@COMMON
@given(value=calendar_dates)
def test_calendar_dates_round_trip(codec: StoreCodec, value: date) -> None:
    """[ADR 0004] 日期往返不变."""
    back = round_trip(codec.transcoder, value)
    assert_same(value, back)
    assert type(back) is pendulum.Date


@COMMON
@given(value=document_numbers)
def test_document_numbers_round_trip(codec: StoreCodec, value: DocumentNumber) -> None:
    """[GB/T 9704-2012 7.2.4] 发文字号往返不变."""
    assert_same(value, round_trip(codec.transcoder, value))


@COMMON
@given(value=draft_forms)
def test_draft_forms_round_trip(codec: StoreCodec, value: DraftForm) -> None:
    """[001 发文 图3] 发文稿纸(含特急时限、各枚举栏目)往返不变, 元组栏目仍是元组."""
    back = round_trip(codec.transcoder, value)
    assert_same(value, back)
    assert type(back.main_recipients) is tuple


@COMMON
@given(
    value=st.one_of(
        strategy_for(CountersignAnswer),
        strategy_for(CountersignParty),
        strategy_for(UrgentDeadlines),
    )
)
def test_countersign_values_round_trip(codec: StoreCodec, value: Any) -> None:
    """[001 发文 五(三)] 会签方、会签意见、特急时限往返不变."""
    assert_same(value, round_trip(codec.transcoder, value))


@COMMON
@given(
    value=st.one_of(
        strategy_for(Person),
        strategy_for(Unit),
        strategy_for(RoleGrant),
        strategy_for(Substitution),
    )
)
def test_organisation_values_round_trip(codec: StoreCodec, value: Any) -> None:
    """[ADR 0007] 人员、处室、岗位授予、替代关系往返不变."""
    assert_same(value, round_trip(codec.transcoder, value))


@COMMON
@given(
    value=st.one_of(
        [
            st.sampled_from(list(e))
            for e in (DocType, Urgency, Classification, Disclosure, Role, UnitFunction)
        ]
    )
)
def test_enums_round_trip_as_the_same_member(codec: StoreCodec, value: Enum) -> None:
    """[ADR 0004] 枚举按取值保存, 读回同一成员."""
    assert round_trip(codec.transcoder, value) is value


# --- events --------------------------------------------------------------------------------

AGGREGATES: tuple[type[OfficeAggregate], ...] = (
    OutgoingDocument,
    Organisation,
    NumberSeries,
    CalendarRegister,
)


def event_classes() -> list[type[CanMutateAggregate[Any]]]:
    """Every event class the aggregates above record (those with a stable topic)."""
    found = []
    for aggregate in AGGREGATES:
        for name, obj in vars(aggregate).items():
            if (
                isinstance(obj, type)
                and issubclass(obj, CanMutateAggregate)
                and name not in ("Event", "Created")
                and "TOPIC" in vars(obj)
            ):
                found.append(obj)
    return found


EVENT_CLASSES = event_classes()
BOOKKEEPING = ("originator_id", "originator_version", "timestamp", "originator_topic")


def events_of(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = {
        k: v
        for k, v in typing.get_type_hints(cls).items()
        if typing.get_origin(v) is not typing.ClassVar and k not in BOOKKEEPING
    }
    fixed: dict[str, Any] = {
        "originator_id": st.uuids(),
        "originator_version": st.integers(1, 10**6),
        "timestamp": library_timestamps,
    }
    if issubclass(cls, CanInitAggregate):
        owner = next(a for a in AGGREGATES if cls in vars(a).values())
        fixed["originator_topic"] = st.just(get_topic(owner))
    return st.builds(cls, **fixed, **{k: strategy_for(v) for k, v in hints.items()})


def test_every_event_class_is_covered() -> None:
    """The events below are every event of 发文, 组织机构, 编号序列 and 工作日历登记."""
    names = {c.__qualname__ for c in EVENT_CLASSES}
    assert {"OutgoingDocument.Drafted", "OutgoingDocument.Archived"} <= names
    assert {"Organisation.Established", "Organisation.SubstituteAppointed"} <= names
    assert {"NumberSeries.Started", "NumberSeries.Taken"} <= names
    assert {"CalendarRegister.NoticeLoaded", "CalendarRegister.NoticeCorrected"} <= names
    assert len(EVENT_CLASSES) >= 22 + 9 + 2


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(event=st.one_of([events_of(c) for c in EVENT_CLASSES]))
def test_every_event_round_trips_through_the_mapper(codec: StoreCodec, event: Any) -> None:
    """[ADR 0004] 每种事件经各存储的 mapper 往返不变 (类型、取值、时区名)."""
    stored = codec.mapper.to_stored_event(event)
    assert_same(event, codec.mapper.to_domain_event(stored), type(event).__qualname__)
    once = codec.mapper.to_domain_event(stored)
    assert_same(once, codec.mapper.to_domain_event(codec.mapper.to_stored_event(once)))


def test_real_events_of_a_document_round_trip(codec: StoreCodec) -> None:
    """[ADR 0004] 一件公文经会签(含不同意见)、退回、修改、特急时限、签发到归档的真实事件,
    经 mapper 往返不变, 并与存储中读回的一致."""
    office = codec.office
    at = T0  # each store's office is its own; the working calendar has data up to 2026
    p = standard_agency(office, at)
    d = office.documents
    times = [t.add(days=1) for t in step_times(at)]
    urgent = {
        "urgency": "特急",
        "urgent_reason": "上级限期报送",
        "urgent_deadlines": {
            "countersign_by": at.add(days=3),
            "review_by": at.add(days=4).in_timezone("Europe/Prague"),
            "sign_by": at.add(days=5),
        },
    }
    doc = d.draft(by=p.drafter, at=times[0], **{**FORM, **urgent})
    d.submit_for_review(doc, by=p.drafter, at=times[1])
    d.return_for_revision(doc, by=p.unit_head, opinion="请补充依据", at=times[2])
    d.revise(doc, by=p.drafter, text="补充后的正文", at=times[3])
    d.submit_for_review(doc, by=p.drafter, at=times[4])
    d.review(doc, by=p.unit_head, at=times[5])
    d.request_countersign(
        doc, by=p.unit_head, units=["legal"], agencies=["某市财政局"], at=times[6]
    )
    d.countersign(
        doc, party="legal", agree=False, opinion="第三条不妥", by=p.legal_head, at=times[7]
    )
    d.countersign(
        doc, party="某市财政局", agree=True, signatory="某局长", by=p.drafter, at=times[8]
    )
    d.resolve_opinion(
        doc, party="legal", adopted=False, reason="已另行说明", by=p.unit_head, at=times[9]
    )
    d.submit_to_office(doc, by=p.drafter, at=times[10])
    d.office_check(doc, by=p.secretary, at=times[11])
    d.office_review(doc, by=p.office_head, at=times[12])
    d.sign(doc, by=p.principal, at=times[12].add(hours=1))
    for i, step in enumerate(after_signing(office, p, doc)):
        step(times[12].add(hours=2 + i))

    recorded = list(office.app.events.get(doc))
    assert len(recorded) == 20
    for event in recorded:
        stored = codec.mapper.to_stored_event(event)
        assert_same(event, codec.mapper.to_domain_event(stored), type(event).__qualname__)
    # what the store holds decodes to what was recorded (reading is stable)
    for stored in office.app.recorder.select_events(doc):
        again = codec.mapper.to_domain_event(
            codec.mapper.to_stored_event(codec.mapper.to_domain_event(stored))
        )
        assert_same(codec.mapper.to_domain_event(stored), again)
    drafted = recorded[0]
    assert drafted.form.urgent_deadlines.review_by.timezone_name == "Europe/Prague"
    other = to_signed(office, p, [t.add(days=10) for t in times])
    series = NumberSeries.create_id("发文字号", "X政发", at.year)
    for event in list(office.app.events.get(series)) + list(office.app.events.get(other)):
        assert_same(event, codec.mapper.to_domain_event(codec.mapper.to_stored_event(event)))


def test_make_transcoder_round_trips_like_the_stores() -> None:
    """[ADR 0004] make_transcoder() 读写与各存储一致."""
    transcoder = make_transcoder()
    value = DraftForm(
        title="t",
        doc_type=DocType.NOTICE,
        issuer_code="X政发",
        lead_unit="biz1",  # type: ignore[arg-type]
        main_recipients=("各处室",),
        text="x",
        urgent_deadlines=UrgentDeadlines(T0, T0.in_timezone("Europe/Prague"), T0.add(days=1)),
    )
    assert_same(value, round_trip(transcoder, value))


# --- corrupt stored events ------------------------------------------------------------------


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "not UTF-8": lambda s: b"\xff\xfe\x00" + s,
    "truncated JSON": lambda s: s[: len(s) // 2],
    "a JSON list": lambda s: b"[]",
    "a JSON string": lambda s: b'"x"',
    "an empty object": lambda s: b"{}",
    "a field missing": lambda s: s.replace(b'"timestamp"', b'"timestamq"'),
    "an unknown stored type": lambda s: s.replace(b'"DraftForm"', b'"NoSuchForm"'),
    "an unknown enum value": lambda s: s.replace(b'"notice"', b'"memo"'),
    "a value of the wrong shape": lambda s: json.dumps(  # the JSON inside the hash envelope
        {**json.loads(Envelope(s).payload), "form": {"_type_": "DraftForm", "_data_": {"title": 1}}}
    ).encode(),
    "a naive business time": lambda s: s.replace(b"T10:00:00+08:00", b"T10:00:00"),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_corrupt_stored_event_gives_corrupt_record(tmp_path: Path, corruption: str) -> None:
    """[ADR 0006] 存储中被损坏的事件读取时给出 CorruptRecord, 而不是库的异常, 且不写入任何东西."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = office_for_tests(url, start=T0)
    p = standard_agency(office, T0)
    times = step_times()
    doc = office.documents.draft(by=p.drafter, at=times[0], **FORM)
    office.documents.submit_for_review(doc, by=p.drafter, at=times[1])
    office.close()

    with sqlite3.connect(tmp_path / "office.db") as db:
        (state,) = db.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = 1",
            (doc.hex,),
        ).fetchone()
        changed = CORRUPTIONS[corruption](state)
        assert changed != state
        db.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = 1",
            (changed, doc.hex),
        )

    office = office_for_tests(url, start=T0)
    try:
        count = office.app.recorder.max_notification_id()
        reads: list[Callable[[], Any]] = [
            lambda: office.documents.get(doc),
            lambda: office.documents.get(doc, version=1),
            lambda: office.documents.history(doc),
            lambda: office.documents.as_of(doc, times[5]),
            lambda: office.documents.review(doc, by=p.unit_head, at=times[2]),
        ]
        for read in reads:
            with pytest.raises(CorruptRecord) as refused:
                read()
            assert str(doc) in str(refused.value)
        assert office.app.recorder.max_notification_id() == count
        # other records are still readable
        assert office.org.current().agency == "某市某局"
        with pytest.raises(RecordNotFound):
            office.documents.get(uuid.uuid4())
    finally:
        office.close()
