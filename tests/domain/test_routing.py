"""分办 — routing of incoming documents, table-tested against the 收文管理工作规程 of [001]."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govoffice.domain.errors import InvalidInput, RuleViolation
from govoffice.domain.routing import (
    ConflictingRoutingRule,
    IncomingFacts,
    LeaderDirectory,
    NoRouteFound,
    RoutingTable,
    SenderRule,
    SenderType,
    SubjectRule,
    route,
)

S = SenderType

# The seed's table with this agency's unit ids, plus a few subject (归口) rules.
SEED_TABLE = attrs.evolve(
    RoutingTable.seed_default(general_office="office", party_work="party", discipline="discipline"),
    subject_rules=(
        SubjectRule("财务", "finance"),
        SubjectRule("培训", "personnel"),
        SubjectRule("法规", "legal"),
        SubjectRule("党建", "party"),
    ),
)

# 局长 supervises the office; two deputies share the rest; nobody supervises 法规处.
DIVISIONS = {
    "director": {"office"},
    "deputy_a": {"party", "discipline"},
    "deputy_b": {"finance", "personnel"},
}


def decide(facts: IncomingFacts, away: dict[str, str] | None = None) -> tuple[object, ...]:
    leaders = LeaderDirectory(principal="director", supervises=DIVISIONS, away=away or {})
    d = route(facts, SEED_TABLE, leaders)
    return d.lead_unit, d.consult_units, d.leaders


# --- units -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (IncomingFacts(S.PARTY, ("财务",)), ("finance", (), ("deputy_b",))),
        (IncomingFacts(S.GOVERNMENT, ("培训",)), ("personnel", (), ("deputy_b",))),
        (IncomingFacts(S.DISCIPLINE, ("法规",)), ("legal", (), ("director",))),
    ],
)
def test_subject_decides_before_the_sender(facts: IncomingFacts, expected: tuple[object]) -> None:
    """[001 收文 五(一)2] 依次根据来文事由、来文单位性质的顺序分办."""
    assert decide(facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (IncomingFacts(S.OTHER, ("财务",)), ("finance", (), ("deputy_b",))),
        (IncomingFacts(S.OTHER, ("会议", "培训")), ("personnel", (), ("deputy_b",))),
    ],
)
def test_subject_goes_to_the_unit_it_belongs_to(
    facts: IncomingFacts, expected: tuple[object]
) -> None:
    """[001 收文 五(一)2(1)] 根据来文事由的归口管理确定分办部门."""
    assert decide(facts) == expected


def test_government_documents_go_to_the_general_office() -> None:
    """[001 收文 五(一)2(2)] 各级政府部门或政府办公厅(室)来文转办公室分办."""
    assert decide(IncomingFacts(S.GOVERNMENT)) == ("office", (), ("director",))


@pytest.mark.parametrize("sender", [S.PARTY, S.UNION, S.YOUTH_LEAGUE])
def test_party_union_and_youth_league_documents_go_to_party_work(sender: SenderType) -> None:
    """[001 收文 五(一)2(2)] 党委、工会、共青团来文由党工部分办."""
    assert decide(IncomingFacts(sender)) == ("party", (), ("deputy_a",))


def test_discipline_documents_go_to_discipline_inspection() -> None:
    """[001 收文 五(一)2(2)] 各级纪检部门来文转纪检监察处分办."""
    assert decide(IncomingFacts(S.DISCIPLINE)) == ("discipline", (), ("deputy_a",))


def test_joint_party_government_documents_go_to_the_office_after_consulting_party_work() -> None:
    """[001 收文 五(一)2(2)] 党政联合来文由办公室商党工部确定分办部门."""
    assert decide(IncomingFacts(S.JOINT_PARTY_GOVERNMENT)) == ("office", ("party",), ("director",))


@pytest.mark.parametrize(
    "facts",
    [IncomingFacts(S.OTHER), IncomingFacts(S.OTHER, ("无此归口",))],
)
def test_documents_no_rule_covers_go_to_the_default_unit(facts: IncomingFacts) -> None:
    """[001 收文 五(二)] 办公室负责人对无对应规则的来文提出拟办意见."""
    assert decide(facts) == ("office", (), ("director",))


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # the clerk names the units, lead first
        (
            IncomingFacts(S.GOVERNMENT, concerned_units=("finance", "party")),
            ("finance", ("party",), ("deputy_b",)),
        ),
        # two 归口 units; the sender's unit is one of them, so it leads
        (IncomingFacts(S.PARTY, ("财务", "党建")), ("party", ("finance",), ("deputy_a",))),
        # two 归口 units and nothing to choose between them: the default unit decides
        (
            IncomingFacts(S.OTHER, ("财务", "法规")),
            ("office", ("finance", "legal"), ("director",)),
        ),
    ],
)
def test_one_unit_leads_and_the_others_co_handle(
    facts: IncomingFacts, expected: tuple[object]
) -> None:
    """[001 收文 五(二)2(2)] 需要两个以上部门办理的,应当明确主办部门,其他部门为协办部门."""
    assert decide(facts) == expected


# --- leaders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected_leaders"),
    [
        (IncomingFacts(S.OTHER, ("财务",)), ("deputy_b",)),
        (IncomingFacts(S.PARTY), ("deputy_a",)),
        (IncomingFacts(S.OTHER, concerned_units=("finance", "party")), ("deputy_b",)),
    ],
)
def test_documents_go_to_the_leader_who_supervises_the_lead_unit(
    facts: IncomingFacts, expected_leaders: tuple[str, ...]
) -> None:
    """[001 收文 五(二)1(1)] 按局领导分工呈报,原则上只呈主办部门的分管局领导."""
    assert decide(facts)[2] == expected_leaders


def test_a_lead_unit_no_leader_supervises_goes_to_the_principal_leader() -> None:
    """[001 收文 五(二)1(1)] 涉及综合性的文件,由主要局领导审批."""
    assert decide(IncomingFacts(S.OTHER, ("法规",)))[2] == ("director",)


@pytest.mark.parametrize(
    ("facts", "away", "expected_leaders"),
    [
        (IncomingFacts(S.OTHER, ("财务",)), {"deputy_b": "deputy_a"}, ("deputy_a",)),
        (IncomingFacts(S.GOVERNMENT), {"director": "deputy_b"}, ("deputy_b",)),
        (IncomingFacts(S.OTHER, ("财务",)), {"director": "deputy_a"}, ("deputy_b",)),
    ],
)
def test_while_a_leader_is_away_the_substitute_instructs(
    facts: IncomingFacts, away: dict[str, str], expected_leaders: tuple[str, ...]
) -> None:
    """[001 收文 五(二)1(2)] 局领导出差期间,公文阅批按替代关系处理."""
    assert decide(facts, away)[2] == expected_leaders


@pytest.mark.parametrize(
    ("away", "expected_leaders"),
    [
        ({"deputy_b": "deputy_a"}, ("deputy_a", "deputy_b")),
        ({}, ("deputy_b",)),
    ],
)
def test_policy_documents_go_to_the_leader_away_or_not(
    away: dict[str, str], expected_leaders: tuple[str, ...]
) -> None:
    """[001 收文 五(二)1(2)] 涉及政策性的文件,则不论出差与否,同时呈报."""
    facts = IncomingFacts(S.OTHER, ("财务",), is_policy_document=True)
    assert decide(facts, away)[2] == expected_leaders


@pytest.mark.parametrize(
    ("facts", "away", "expected_leaders"),
    [
        (IncomingFacts(S.GOVERNMENT, ("财务",), from_superior=True), {}, ("director", "deputy_b")),
        (IncomingFacts(S.GOVERNMENT, from_superior=True), {}, ("director",)),
        (
            IncomingFacts(S.GOVERNMENT, ("财务",), from_superior=True),
            {"director": "deputy_b"},
            ("deputy_b",),
        ),
        (
            IncomingFacts(S.PARTY, ("财务",), is_policy_document=True, from_superior=True),
            {"director": "deputy_a"},
            ("deputy_a", "director", "deputy_b"),
        ),
    ],
)
def test_documents_from_superiors_go_to_the_principal_and_the_supervising_leader(
    facts: IncomingFacts, away: dict[str, str], expected_leaders: tuple[str, ...]
) -> None:
    """[001 收文 五(二)1(3)] 上级单位的来文呈主要局领导、分管局领导阅."""
    assert decide(facts, away)[2] == expected_leaders


# --- reasons and refusals --------------------------------------------------------------


def test_every_choice_is_explained_to_the_clerk() -> None:
    """[001 收文 五(二)] 办公室负责人提出拟办意见,说明分办理由."""
    facts = IncomingFacts(S.JOINT_PARTY_GOVERNMENT, is_policy_document=True)
    leaders = LeaderDirectory("director", DIVISIONS, away={"director": "deputy_a"})
    reasons = route(facts, SEED_TABLE, leaders).reasons
    assert reasons == (
        "来文单位为党政联合行文,转office办理,商party确定分办",
        "office由director分管,按分工呈director",
        "director出差,政策性文件同时呈director和代理人deputy_a",
    )


@pytest.mark.parametrize(
    "facts",
    [IncomingFacts(S.OTHER, ("无此归口",)), IncomingFacts(S.OTHER, ("财务", "法规"))],
)
def test_no_route_is_found_without_a_default_unit(facts: IncomingFacts) -> None:
    """[001 收文 五(一)2] 来文事由和来文单位性质都定不了分办部门时,不得随意分办."""
    table = attrs.evolve(SEED_TABLE, default_unit=None)
    with pytest.raises(NoRouteFound) as refused:
        route(facts, table, LeaderDirectory("director", DIVISIONS))
    assert isinstance(refused.value, RuleViolation)
    assert refused.value.details["sender_type"] is S.OTHER
    assert "未设默认处室" in str(refused.value)


def test_a_subject_routed_to_two_units_is_refused() -> None:
    """[001 收文 五(一)2(1)] 一个来文事由只有一个归口部门."""
    with pytest.raises(ConflictingRoutingRule) as refused:
        RoutingTable(subject_rules=(SubjectRule("财务", "finance"), SubjectRule("财务", "audit")))
    assert isinstance(refused.value, InvalidInput)
    assert refused.value.details["targets"] == ("finance", "audit")


def test_a_unit_supervised_by_two_leaders_is_refused() -> None:
    """[001 收文 五(二)1(1)] 按局领导的分工,每个处室只有一位分管局领导."""
    with pytest.raises(ConflictingRoutingRule):
        LeaderDirectory("director", {"deputy_a": {"finance"}, "deputy_b": {"finance"}})


# --- an agency with its own table ------------------------------------------------------


def test_an_agency_routes_by_its_own_table() -> None:
    """[001 收文 五(一)2] 分办规则由本机关按自己的处室设置配置."""
    county = RoutingTable(
        subject_rules=(SubjectRule("安全生产", "safety"),),
        sender_rules=(
            *RoutingTable.seed_default(
                general_office="zhb", party_work="dqk", discipline="jjz"
            ).sender_rules,
        ),
        default_unit="zhb",
    )
    leaders = LeaderDirectory("xianzhang", {"fxz_1": {"safety"}, "fxz_2": {"dqk"}})
    safety = IncomingFacts(S.GOVERNMENT, ("安全生产",))
    union = IncomingFacts(S.UNION)

    assert route(safety, county, leaders).lead_unit == "safety"
    assert route(safety, county, leaders).leaders == ("fxz_1",)
    assert route(union, county, leaders).lead_unit == "dqk"
    assert route(safety, SEED_TABLE, leaders).lead_unit == "office"
    assert route(union, SEED_TABLE, leaders).lead_unit == "party"


def test_a_sender_rule_can_be_changed_by_the_agency() -> None:
    """[001 收文 五(一)2(2)] 按来文单位性质分办,去向可由本机关调整."""
    table = RoutingTable(sender_rules=(SenderRule(S.YOUTH_LEAGUE, "youth"),), default_unit="zhb")
    leaders = LeaderDirectory("xianzhang")
    assert route(IncomingFacts(S.YOUTH_LEAGUE), table, leaders).lead_unit == "youth"


# --- properties ------------------------------------------------------------------------

UNITS = ("u1", "u2", "u3", "u4", "u5")
PEOPLE = ("p1", "p2", "p3", "p4")
TAGS = ("t1", "t2", "t3", "t4")


@st.composite
def tables(draw: st.DrawFn) -> RoutingTable:
    subjects = draw(st.dictionaries(st.sampled_from(TAGS), st.sampled_from(UNITS)))
    senders = draw(
        st.dictionaries(
            st.sampled_from(list(SenderType)),
            st.tuples(st.sampled_from(UNITS), st.none() | st.sampled_from(UNITS)),
        )
    )
    return RoutingTable(
        subject_rules=tuple(SubjectRule(s, u) for s, u in subjects.items()),
        sender_rules=tuple(SenderRule(t, u, c) for t, (u, c) in senders.items()),
        default_unit=draw(st.none() | st.sampled_from(UNITS)),
    )


@st.composite
def directories(draw: st.DrawFn) -> LeaderDirectory:
    supervisor = draw(st.dictionaries(st.sampled_from(UNITS), st.sampled_from(PEOPLE)))
    supervises: dict[str, set[str]] = {}
    for unit, leader in supervisor.items():
        supervises.setdefault(leader, set()).add(unit)
    away = draw(st.dictionaries(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)))
    return LeaderDirectory(draw(st.sampled_from(PEOPLE)), supervises, away)


facts_strategy = st.builds(
    IncomingFacts,
    sender_type=st.sampled_from(list(SenderType)),
    subject_tags=st.lists(st.sampled_from((*TAGS, "unknown"))),
    is_policy_document=st.booleans(),
    from_superior=st.booleans(),
    concerned_units=st.just(()) | st.lists(st.sampled_from(UNITS), max_size=3),
)


@given(facts=facts_strategy, table=tables(), leaders=directories())
def test_routing_always_names_a_table_unit_and_no_leader_twice(
    facts: IncomingFacts, table: RoutingTable, leaders: LeaderDirectory
) -> None:
    """[001 收文 五(二)] 主办部门总是本机关已配置的处室,同一领导不重复呈送."""
    try:
        decision = route(facts, table, leaders)
    except NoRouteFound:
        assert table.default_unit is None
        return
    assert decision.lead_unit in table.units | set(facts.concerned_units)
    assert len(set(decision.leaders)) == len(decision.leaders)
    assert len(set(decision.consult_units)) == len(decision.consult_units)
    assert decision.lead_unit not in decision.consult_units
    assert decision.leaders and decision.reasons
