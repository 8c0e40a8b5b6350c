"""[CONTRIBUTING; ADR 0029] Typed input at the edge: every public parameter of every service
is checked against its annotation before the command runs. A list given as ``None``, a bare
string or a number, a mapping given as a list, a ``bool`` for a count, an integer beyond its
documented bound: each gets ``InvalidInput`` naming the parameter and what was expected, and
records nothing.

The walking tests find the services and their methods themselves, so a command added later
is walked too; the expectations come from the annotations read independently here, not from
the checker under test.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govoffice.application.office import Office
from govoffice.application.services import AreaService
from govoffice.application.typecheck import Facade, checks_of
from govoffice.domain.bounds import DEFAULT_INT_BOUND, INT_BOUNDS
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import InvalidInput, NaiveDateTime, RecordNotFound
from govoffice.domain.organisation import Organisation
from govoffice.domain.proposal import ProposalStatus, check_sheet
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    office_for_tests,
    outgoing_document,
    proposal,
    standard_agency,
    supervision_task,
)

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
README = Path(__file__).parents[2] / "README.md"


# --- the facade, walked -------------------------------------------------------------------


def facades(office: Office) -> dict[str, Facade]:
    """``office`` itself and every service on it (``office.documents``, ``office.queues``…)."""
    found: dict[str, Facade] = {"office": office} if isinstance(office, Facade) else {}
    found.update({name: v for name, v in vars(office).items() if isinstance(v, Facade)})
    return found


def public_methods(cls: type) -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    )


_probe = office_for_tests()
CLASSES = {area: type(service) for area, service in facades(_probe).items()}
_probe.close()
METHODS = [(area, name) for area, cls in CLASSES.items() for name in public_methods(cls)]


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[Office, AgencyPeople]]:
    """One office with the standard agency and a document, for the walking tests (each of
    them records nothing, which they check)."""
    office = office_for_tests(start=T0)
    people = standard_agency(office, T0)
    outgoing_document(office, people, DocumentStatus.DRAFT, at=T0.add(hours=1))
    try:
        yield office, people
    finally:
        office.close()


def _alternatives(hint: Any) -> list[Any]:
    """The alternatives of a hint (``X | Y | None`` gives three), NewTypes unwrapped."""
    while getattr(hint, "__supertype__", None) is not None:
        hint = hint.__supertype__
    if get_origin(hint) is typing.Annotated:
        return _alternatives(get_args(hint)[0])
    if get_origin(hint) in (Union, types.UnionType):
        return [a for arg in get_args(hint) for a in _alternatives(arg)]
    return [hint]


def _is(alternative: Any, base: type) -> bool:
    cls = get_origin(alternative) or alternative
    return isinstance(cls, type) and issubclass(cls, base)


def annotations_of(func: Callable[..., Any]) -> dict[str, Any]:
    """The parameters' annotations, each resolved in the function's module."""
    return {
        name: eval(a, func.__globals__) if isinstance(a, str) else a
        for name, a in func.__annotations__.items()
        if name != "return"
    }


WRONG: dict[str, tuple[object, Callable[[Any], bool]]] = {
    # name: (the wrong value, which alternatives would admit it)
    "None": (None, lambda a: a is type(None) or a is None),
    "a bare string": ("legal", lambda a: a is str),
    "an int": (12345, lambda a: a is int or a is float),
    "a bool": (True, lambda a: a is bool),
    "a list": (["legal"], lambda a: _is(a, Iterable) and not _is(a, str | Mapping)),
    "a mapping": ({"legal": True}, lambda a: _is(a, Mapping)),
    "a float": (1.5, lambda a: a is float),
}
"""The wrong types fed to every parameter: each where the annotation admits none of them."""


def wrong_values(hint: Any) -> list[tuple[str, object]]:
    alternatives = _alternatives(hint)
    if any(a is Any or a is object for a in alternatives):
        return []
    return [
        (what, value)
        for what, (value, admits) in WRONG.items()
        if not any(admits(a) for a in alternatives)
    ]


@pytest.mark.parametrize(("area", "method"), METHODS, ids=[f"{a}.{m}" for a, m in METHODS])
def test_every_parameter_refuses_a_wrong_type_by_name(
    shared: tuple[Office, AgencyPeople], area: str, method: str
) -> None:
    """[ADR 0029] 每个公开参数: 类型不对 (None、单个文字、数字、列表、字典) 一律 InvalidInput,
    写明参数名, 不记录任何事."""
    office, _people = shared
    bound = getattr(facades(office)[area], method)
    hints = annotations_of(inspect.unwrap(bound))
    tried = 0
    with assert_nothing_recorded(office):
        for p in inspect.signature(bound).parameters.values():
            if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                continue
            for what, value in wrong_values(hints[p.name]):
                with pytest.raises(InvalidInput) as refused:
                    bound(**{p.name: value})
                error = refused.value
                assert error.parameter == p.name, (what, error)  # type: ignore[attr-defined]
                assert p.name in str(error) and "必须是" in str(error), str(error)
                assert "expected" in str(error)
                tried += 1
    params = [p for p in inspect.signature(bound).parameters.values() if p.kind != p.VAR_KEYWORD]
    assert tried >= len(params)  # every parameter was fed at least one wrong type


@pytest.mark.parametrize(("area", "method"), METHODS, ids=[f"{a}.{m}" for a, m in METHODS])
def test_every_public_parameter_is_typed(area: str, method: str) -> None:
    """[ADR 0029] 公开接口有类型: 每个参数的注解都能解析, 且不是 object/Any (``**fields``
    除外, 由领域的表单校验)."""
    func = getattr(CLASSES[area], method)
    assert getattr(func, "__typed__", False), "the method is wrapped by the facade"
    compiled = checks_of(func)
    assert compiled.unresolved == ()
    unchecked = [name for name, check in compiled.checks.items() if check is None]
    assert unchecked == [], f"{area}.{method}: {unchecked} accept anything"


# --- the examples of issue 11, by name ---------------------------------------------------


def test_co_units_none_is_refused_by_name(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 交办时协办处室写成 None: InvalidInput, 写明 co_units (不是 TypeError)."""
    pid = proposal(office, agency, ProposalStatus.SUBMITTED, at=T0.add(hours=1))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.proposals.assign(
            pid,
            lead_unit="biz1",
            co_units=None,  # type: ignore[arg-type]
            secretary=agency.secretary,
            by=agency.supervision_officer,
            at=T0.add(days=1),
        )
    assert refused.value.parameter == "co_units"  # type: ignore[attr-defined]
    assert "协办处室 co_units 必须是文字列表,而不是 None" in str(refused.value)


def test_units_as_one_text_is_not_read_as_characters(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 分管处室写成单个文字 "legal": 拒绝, 而不是当作 l、e、g、a、l 五个处室."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.org.assign_supervision(
            leader=agency.deputy,
            units="legal",
            by=agency.admin,
            at=T0.add(hours=1),
        )
    assert refused.value.parameter == "units"  # type: ignore[attr-defined]
    assert "'legal'" in str(refused.value)
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED, at=T0.add(hours=1))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="units"):
        office.documents.request_countersign(
            doc, units="legal", by=agency.unit_head, at=T0.add(days=1)
        )


def test_secretary_as_a_list_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 承办人写成列表 secretary=[]: InvalidInput, 写明 secretary."""
    pid = proposal(office, agency, ProposalStatus.SUBMITTED, at=T0.add(hours=1))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.proposals.assign(
            pid,
            lead_unit="biz1",
            secretary=[],  # type: ignore[arg-type]
            by=agency.supervision_officer,
            at=T0.add(days=1),
        )
    assert refused.value.parameter == "secretary"  # type: ignore[attr-defined]
    assert "承办人 secretary 必须是文字,而不是 []" in str(refused.value)


def test_notes_as_one_text_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 会审备注写成单个文字 notes="x" (应为对照表): InvalidInput, 写明 notes."""
    pid = proposal(office, agency, ProposalStatus.REPLY_IN_REVIEW, at=T0.add(hours=1))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.proposals.review_reply(
            pid,
            checks=check_sheet(),
            notes="x",  # type: ignore[arg-type]
            by=agency.secretary,
            at=T0.add(days=25),
        )
    assert refused.value.parameter == "notes"  # type: ignore[attr-defined]
    assert "对照表" in str(refused.value) and "mapping" in str(refused.value)


def test_checks_as_a_list_is_refused(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 会审单写成列表 (应为对照表): InvalidInput, 写明 checks."""
    pid = proposal(office, agency, ProposalStatus.REPLY_IN_REVIEW, at=T0.add(hours=1))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.proposals.review_reply(
            pid,
            checks=list(check_sheet()),  # type: ignore[arg-type]
            by=agency.secretary,
            at=T0.add(days=25),
        )
    assert refused.value.parameter == "checks"  # type: ignore[attr-defined]


def test_a_version_beyond_the_last_is_not_found(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 版本号超过记录的最新版本: RecordNotFound; 大得离谱 (10**20): InvalidInput,
    而不是 OverflowError 或悄悄给出最新版本."""
    doc = outgoing_document(office, agency, DocumentStatus.UNIT_REVIEWED, at=T0.add(hours=1))
    last = office.documents.get(doc).version
    assert office.documents.get(doc, version=last).version == last
    assert office.documents.get(doc, version=1).version == 1
    with assert_nothing_recorded(office):
        with pytest.raises(RecordNotFound, match=f"最新为版本 {last}"):
            office.documents.get(doc, version=last + 1)
        with pytest.raises(InvalidInput) as refused:
            office.documents.get(doc, version=10**20)
        assert refused.value.parameter == "version"  # type: ignore[attr-defined]
        for version in (0, -1, True, "3"):
            with pytest.raises(InvalidInput, match="version"):
                office.documents.get(doc, version=version)  # type: ignore[arg-type]
        with pytest.raises(RecordNotFound):
            office.audit.trail(doc, version=last + 1)
        with pytest.raises(InvalidInput, match="version"):
            office.audit.trail(doc, version=10**20)


def test_absurd_copies_are_refused(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 份数 copies=10**30: InvalidInput 写明取值范围 (1 到 100,000), 不记录."""
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED, at=T0.add(hours=1))
    for copies in (10**30, 100_001, 0, True, "10"):
        with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
            office.documents.register(
                doc,
                by=agency.secretary,
                distribution_scope="各处室",
                copies=copies,  # type: ignore[arg-type]
                at=T0.add(days=2),
            )
        assert refused.value.parameter == "copies"  # type: ignore[attr-defined]
        assert "份数 copies 必须是 1 到 100,000 之间的整数" in str(refused.value)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="copies"):
        office.incoming.receive(
            sender="某县人民政府", title="请示", copies=10**30, by=agency.receiving_secretary
        )
    number = office.documents.register(
        doc, by=agency.secretary, distribution_scope="各处室", copies=100_000, at=T0.add(days=2)
    )
    assert office.documents.get(doc).number == number


def test_the_draft_forms_copies_have_the_same_bound(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 发文稿纸的印数 (经 **fields 交给领域的表单) 也受同一取值范围约束."""
    for copies in (10**30, 100_001, 0, True):
        with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="印数"):
            outgoing_document(office, agency, at=T0.add(hours=1), copies=copies)
    doc = outgoing_document(office, agency, at=T0.add(hours=1), copies=100_000)
    assert office.documents.get(doc).form.copies == 100_000
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="印数"):
        office.documents.revise(doc, copies=10**30, by=agency.drafter, at=T0.add(hours=2))


def test_a_bool_is_not_a_count_and_a_count_is_not_a_bool(
    office: Office, agency: AgencyPeople
) -> None:
    """[ADR 0029] True 不是份数, 1 也不是"同意": 各自 InvalidInput."""
    task = supervision_task(office, agency, at=T0.add(hours=1))
    doc = outgoing_document(office, agency, DocumentStatus.DRAFT, at=T0.add(hours=2))
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="percent"):
        office.supervision.report_progress(
            task,
            percent=True,
            summary="进行中",
            by=agency.unit_head,
            at=T0.add(days=1),
        )
    with assert_nothing_recorded(office), pytest.raises(InvalidInput, match="agree"):
        office.documents.countersign(
            doc,
            party="legal",
            agree=1,  # type: ignore[arg-type]
            by=agency.legal_head,
            at=T0.add(days=1),
        )


def test_an_item_of_the_wrong_type_is_named_with_its_place(
    office: Office, agency: AgencyPeople
) -> None:
    """[ADR 0029] 列表中的一项类型不对: 写明是第几项."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.org.assign_supervision(
            leader=agency.deputy,
            units=["legal", 3],  # type: ignore[list-item]
            by=agency.admin,
            at=T0.add(hours=1),
        )
    assert "处室 units 的第 2 项 必须是文字,而不是 3" in str(refused.value)
    assert "units[1]" in str(refused.value)


def test_a_one_shot_list_is_read_once_and_recorded(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] 以生成器给出的列表: 只读一次, 逐项检查, 照样记录."""
    office.org.assign_supervision(
        leader=agency.deputy,
        units=(u for u in ("legal", "finance")),
        by=agency.admin,
        at=T0.add(hours=1),
    )
    last = office.org.history(Organisation.create_id())[-1]
    assert last.action == "SupervisionAssigned"
    assert set(last.details["units"]) == {"legal", "finance"}


def test_missing_and_unknown_arguments_are_invalid_input(
    office: Office, agency: AgencyPeople
) -> None:
    """[ADR 0029] 缺少参数、多出参数、位置参数过多: InvalidInput 写明参数, 而不是 TypeError."""
    with assert_nothing_recorded(office):
        with pytest.raises(InvalidInput, match="缺少参数 办理人 by"):
            office.org.add_unit(unit_id="u9", name="九处")  # type: ignore[call-arg]
        with pytest.raises(InvalidInput, match="colour"):
            office.org.add_unit(unit_id="u9", name="九处", by=agency.admin, colour=3)  # type: ignore[call-arg]
        with pytest.raises(InvalidInput, match="位置参数"):
            office.documents.get(uuid.uuid4(), 3)  # type: ignore[misc]
        with pytest.raises(InvalidInput, match="两次"):
            office.documents.get(uuid.uuid4(), record_id=uuid.uuid4())  # type: ignore[misc]


def test_the_wrong_type_of_id_is_invalid_input_and_an_unknown_id_is_not_found(
    office: Office, agency: AgencyPeople
) -> None:
    """[ADR 0029] 编号类型不对 (数字、None): InvalidInput; 格式对但查无此件: RecordNotFound."""
    with assert_nothing_recorded(office):
        for wrong in (123, None, 1.5, ["x"]):
            with pytest.raises(InvalidInput, match="document_id"):
                office.documents.sign(wrong, by=agency.principal)  # type: ignore[arg-type]
        for unknown in ("nope", str(uuid.uuid4()), uuid.uuid4()):
            with pytest.raises(RecordNotFound):
                office.documents.sign(unknown, by=agency.principal)


# --- integer bounds -----------------------------------------------------------------------


BOUNDED = [
    (area, method, name)
    for area, method in METHODS
    for name, check in checks_of(getattr(CLASSES[area], method)).checks.items()
    if check is not None and check.bound is not None
]


@pytest.mark.parametrize(
    ("area", "method", "name"), BOUNDED, ids=[f"{a}.{m}.{n}" for a, m, n in BOUNDED]
)
def test_every_integer_has_its_documented_bound(
    shared: tuple[Office, AgencyPeople], area: str, method: str, name: str
) -> None:
    """[ADR 0029] 每个整数参数都有文档写明的取值范围: 范围内通过, 范围外 InvalidInput."""
    office, _ = shared
    bound_method = getattr(facades(office)[area], method)
    check = checks_of(bound_method).checks[name]
    assert check is not None and check.bound is not None
    expected = INT_BOUNDS.get(name, DEFAULT_INT_BOUND)
    assert check.bound == expected
    assert check(expected.low) == expected.low
    assert check(expected.high) == expected.high
    with assert_nothing_recorded(office):
        for outside in (expected.low - 1, expected.high + 1, 10**30, -(10**30)):
            with pytest.raises(InvalidInput) as refused:
                bound_method(**{name: outside})
            assert refused.value.parameter == name  # type: ignore[attr-defined]
            shown = str(refused.value).replace(",", "")
            assert f"{expected.low} 到 {expected.high} 之间的整数" in shown


def test_the_readme_lists_every_integer_bound() -> None:
    """[ADR 0029] README 的取值范围表与代码中的 INT_BOUNDS 一致."""
    text = README.read_text(encoding="utf-8")
    rows = dict(
        (name, (int(low.replace(",", "")), int(high.replace(",", ""))))
        for name, low, high in re.findall(r"^\| `(\w+)` \| ([\d,-]+) \| ([\d,]+) \|", text, re.M)
    )
    expected = {name: (b.low, b.high) for name, b in INT_BOUNDS.items()}
    expected["其他"] = (DEFAULT_INT_BOUND.low, DEFAULT_INT_BOUND.high)
    documented = dict(rows)
    other = re.search(r"^\| 其他整数[^|]*\| ([\d,]+) \| ([\d,]+) \|", text, re.M)
    assert other is not None, "the README names the bound of any other integer"
    documented["其他"] = (int(other[1].replace(",", "")), int(other[2].replace(",", "")))
    assert documented == expected


# --- business time as text ----------------------------------------------------------------


def test_at_may_be_iso_text_with_its_zone(tmp_path: Path) -> None:
    """[ADR 0029] 办理时间可写成带时区的 ISO 8601 文字; 与同一时刻的 datetime 记录相同,
    存入 SQLite 后重开仍是同一时刻."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office = office_for_tests(url, start=T0)
    people = standard_agency(office, T0)
    office.org.add_unit(unit_id="u9", name="九处", by=people.admin, at="2026-03-02T10:00+08:00")
    office.org.add_unit(unit_id="u10", name="十处", by=people.admin, at="2026-03-02T03:00Z")
    office.close()
    reopened = office_for_tests(url, start=T0)
    try:
        trail = reopened.org.history(Organisation.create_id())
        assert trail[-2].at == pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
        assert trail[-1].at == pendulum.datetime(2026, 3, 2, 11, tz="Asia/Shanghai")
        assert trail[-1].at.utcoffset() is not None
    finally:
        reopened.close()


@pytest.mark.parametrize("text", ["2026-03-02T10:00", "2026-03-02", "明天上午", "", "10:00+08:00"])
def test_at_as_text_without_a_zone_or_not_a_time_is_refused(
    office: Office, agency: AgencyPeople, text: str
) -> None:
    """[ADR 0029] 不带时区的时间文字 (或根本不是时间) 被拒绝, 不猜时区."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.org.add_unit(unit_id="u9", name="九处", by=agency.admin, at=text)
    if text.startswith("2026"):
        assert isinstance(refused.value, NaiveDateTime)


def test_office_tick_checks_its_time(office: Office, agency: AgencyPeople) -> None:
    """[ADR 0029] office.tick 的时间类型不对: InvalidInput 写明 at."""
    with assert_nothing_recorded(office), pytest.raises(InvalidInput) as refused:
        office.tick(20260302)  # type: ignore[arg-type]
    assert refused.value.parameter == "at"  # type: ignore[attr-defined]


# --- a command added later is covered without extra code ---------------------------------


def test_a_command_added_later_is_checked_without_extra_code(
    office: Office, agency: AgencyPeople
) -> None:
    """[ADR 0029] 新增的服务或命令自动受类型检查 (如正在加入的 office.targets)."""

    class TargetService(AreaService[Organisation]):
        record_type = Organisation

        def set_targets(
            self, *, units: Iterable[str], count: int, notes: Mapping[str, str] | None = None
        ) -> int:
            return count

    targets = TargetService(office)
    assert targets.set_targets(units=["legal"], count=3) == 3
    for kwargs, name in (
        ({"units": "legal", "count": 3}, "units"),
        ({"units": ["legal"], "count": True}, "count"),
        ({"units": ["legal"], "count": 10**12}, "count"),
        ({"units": ["legal"], "count": 3, "notes": ["x"]}, "notes"),
    ):
        with pytest.raises(InvalidInput) as refused:
            targets.set_targets(**kwargs)
        assert refused.value.parameter == name  # type: ignore[attr-defined]


# --- any value at all: accepted as typed, or InvalidInput naming the parameter --------------

PARAMETERS = [
    (f"{area}.{method}", name, check)
    for area, method in METHODS
    for name, check in checks_of(getattr(CLASSES[area], method)).checks.items()
    if check is not None
]

junk = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=8),
        st.binary(max_size=4),
        st.dates(),
        st.datetimes(timezones=st.just(UTC)),
        st.uuids(),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=4), inner, max_size=3),
        st.iterables(inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=600, deadline=None)
@given(where=st.sampled_from(PARAMETERS), value=junk)
def test_any_value_is_accepted_as_typed_or_refused_by_name(
    where: tuple[str, str, Any], value: object
) -> None:
    """[ADR 0029] 任何值: 要么符合注解而通过, 要么 InvalidInput 写明参数, 别无其他异常."""
    method, name, check = where
    try:
        passed = check(value)
    except InvalidInput as refused:
        assert refused.parameter == name, (method, refused)  # type: ignore[attr-defined]
        assert name in str(refused)
        return
    if passed is not value:  # a one-shot iterator, read once into a tuple
        assert isinstance(passed, tuple)
