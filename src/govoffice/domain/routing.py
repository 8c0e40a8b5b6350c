"""分办 — routing an incoming document: the lead unit, the units consulted, the leaders.

A pure rule function over plain data, after the 收文管理工作规程 of [001]:

- units by the subject's 归口 first, then by the nature of the sender [五(一)2];
- when several units are involved, one leads (主办) and the others co-handle (协办) [五(二)2(2)];
- leaders by division of labour (分工), only the lead unit's supervising leader [五(二)1(1)];
- while a leader is away (出差) the substitute instructs, except that policy documents go to
  the leader as well [五(二)1(2)];
- documents from superiors go to the principal and the supervising leader [五(二)1(3)].

Every choice adds a line to `RoutingDecision.reasons`, so the clerk sees why.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from attrs import field, frozen

from govoffice.domain.errors import InvalidInput, RuleViolation

__all__ = [
    "ConflictingRoutingRule",
    "IncomingFacts",
    "LeaderDirectory",
    "NoRouteFound",
    "RoutingDecision",
    "RoutingTable",
    "SenderRule",
    "SenderType",
    "SubjectRule",
    "required_leaders",
    "route",
]


class SenderType(enum.Enum):
    """来文单位性质 — the nature of the sending body, which picks the handling unit.

    Whether the sender is a superior (上级机关) is not a sender type but the separate flag
    `IncomingFacts.from_superior`: a superior is itself a government or a party body, and
    the seed uses the one fact for the unit [五(一)2(2)] and the other for the leaders
    [五(二)1(3)].
    """

    GOVERNMENT = "government"
    PARTY = "party"
    UNION = "union"
    YOUTH_LEAGUE = "youth_league"
    DISCIPLINE = "discipline"
    JOINT_PARTY_GOVERNMENT = "joint_party_government"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Chinese name a clerk reads."""
        return _SENDER_LABELS[self]


_SENDER_LABELS = {
    SenderType.GOVERNMENT: "政府机关及办公室",
    SenderType.PARTY: "党委及党委办公室",
    SenderType.UNION: "工会",
    SenderType.YOUTH_LEAGUE: "共青团",
    SenderType.DISCIPLINE: "纪检监察机关",
    SenderType.JOINT_PARTY_GOVERNMENT: "党政联合行文",
    SenderType.OTHER: "其他单位",
}


# --- errors ----------------------------------------------------------------------------


class ConflictingRoutingRule(InvalidInput):
    """The same key is routed two ways (a subject, a sender type, a unit's supervisor)."""

    def __init__(self, what: str, key: str, targets: Iterable[str]) -> None:
        targets = tuple(targets)
        super().__init__(
            f"{what}「{key}」对应多个去向: {'、'.join(targets)} (conflicting routing rule)",
            what=what,
            key=key,
            targets=targets,
        )


class NoRouteFound(RuleViolation):
    """No rule picks a lead unit and the table has no default unit."""

    def __init__(self, facts: IncomingFacts, candidates: Iterable[str] = ()) -> None:
        candidates = tuple(candidates)
        why = (
            f"来文事由涉及多个归口处室({'、'.join(candidates)})"
            if candidates
            else "来文事由和来文单位性质均无分办规则"
        )
        super().__init__(
            f"无法确定主办处室: {why},且未设默认处室 "
            "(no rule picks a lead unit and the routing table has no default unit)",
            sender_type=facts.sender_type,
            subject_tags=facts.subject_tags,
            candidates=candidates,
        )


# --- the agency's routing table --------------------------------------------------------


@frozen
class SubjectRule:
    """归口管理 — documents on this subject (a keyword or a subject code) go to this unit."""

    subject: str
    unit: str


@frozen
class SenderRule:
    """按来文单位性质分办 — documents from this kind of sender go to this unit.

    `consult` names a unit the handling unit agrees the routing with first
    (党政联合来文由办公室商党工部确定分办部门).
    """

    sender_type: SenderType
    unit: str
    consult: str | None = None

    def describe(self) -> str:
        """The target as a clerk reads it: ``office`` or ``office(商party)``."""
        return self.unit if self.consult is None else f"{self.unit}(商{self.consult})"


@frozen
class RoutingTable:
    """分办规则 — an agency's routing configuration: subject rules, sender rules, a default.

    Subject rules are applied first, then sender rules; the default unit takes what
    neither decides. Units are the agency's own ids.
    """

    subject_rules: tuple[SubjectRule, ...] = ()
    sender_rules: tuple[SenderRule, ...] = ()
    default_unit: str | None = None

    def __attrs_post_init__(self) -> None:
        _refuse_conflicts("来文事由", ((r.subject, r.unit) for r in self.subject_rules))
        _refuse_conflicts(
            "来文单位性质",
            ((r.sender_type.label, r.describe()) for r in self.sender_rules),
        )

    @classmethod
    def seed_default(cls, *, general_office: str, party_work: str, discipline: str) -> RoutingTable:
        """The seed's table [001 收文 五(一)2(2)], with the agency's unit ids; no subject rules."""
        return cls(
            sender_rules=(
                SenderRule(SenderType.GOVERNMENT, general_office),
                SenderRule(SenderType.PARTY, party_work),
                SenderRule(SenderType.UNION, party_work),
                SenderRule(SenderType.YOUTH_LEAGUE, party_work),
                SenderRule(SenderType.DISCIPLINE, discipline),
                SenderRule(SenderType.JOINT_PARTY_GOVERNMENT, general_office, consult=party_work),
            ),
            default_unit=general_office,
        )

    @property
    def units(self) -> frozenset[str]:
        """Every unit the table can route to or consult."""
        units = {r.unit for r in self.subject_rules}
        for rule in self.sender_rules:
            units.add(rule.unit)
            if rule.consult is not None:
                units.add(rule.consult)
        if self.default_unit is not None:
            units.add(self.default_unit)
        return frozenset(units)

    def units_for_subjects(self, tags: Iterable[str]) -> dict[str, list[str]]:
        """The units the tags are 归口 to, in table order, each with its matching tags."""
        wanted = set(tags)
        matched: dict[str, list[str]] = {}
        for rule in self.subject_rules:
            if rule.subject in wanted:
                matched.setdefault(rule.unit, []).append(rule.subject)
        return matched

    def sender_rule(self, sender_type: SenderType) -> SenderRule | None:
        """The rule for this kind of sender, if the table has one."""
        return next((r for r in self.sender_rules if r.sender_type is sender_type), None)


def _refuse_conflicts(what: str, pairs: Iterable[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for key, target in pairs:
        if seen.setdefault(key, target) != target:
            raise ConflictingRoutingRule(what, key, (seen[key], target))


# --- leaders ---------------------------------------------------------------------------


def _freeze_divisions(value: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({leader: frozenset(units) for leader, units in value.items()})


def _freeze_substitutes(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@frozen
class LeaderDirectory:
    """局领导分工与替代关系 — who leads, who supervises (分管) which units, who is away today.

    `away` maps each leader away on the routing day (出差) to their substitute for that day,
    as the caller resolved it from the organisation's substitute rules.
    """

    principal: str
    supervises: Mapping[str, frozenset[str]] = field(factory=dict, converter=_freeze_divisions)
    away: Mapping[str, str] = field(factory=dict, converter=_freeze_substitutes)

    def __attrs_post_init__(self) -> None:
        _refuse_conflicts(
            "处室分管领导",
            ((unit, leader) for leader, units in self.supervises.items() for unit in units),
        )

    def supervisor_of(self, unit: str) -> str | None:
        """The leader who supervises (分管) the unit, if any."""
        return next((ldr for ldr, units in self.supervises.items() if unit in units), None)


# --- facts and decision ----------------------------------------------------------------


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen
class IncomingFacts:
    """拟办依据 — what the routing looks at in a registered, screened incoming document.

    `concerned_units` is the clerk's own finding of the units the subject concerns
    (职能归属), lead unit first; when given it decides the units before any table rule.
    """

    sender_type: SenderType
    subject_tags: tuple[str, ...] = field(default=(), converter=_strings)
    is_policy_document: bool = False
    from_superior: bool = False
    concerned_units: tuple[str, ...] = field(default=(), converter=_strings)


@frozen
class RoutingDecision:
    """分办意见 — the lead unit (主办), units to consult (协办), leaders to instruct, and why."""

    lead_unit: str
    consult_units: tuple[str, ...]
    leaders: tuple[str, ...]
    reasons: tuple[str, ...]


# --- the rule --------------------------------------------------------------------------


def route(
    facts: IncomingFacts,
    table: RoutingTable,
    leaders: LeaderDirectory,
    names: Mapping[str, str] | None = None,
) -> RoutingDecision:
    """分办 — route an incoming document to its units and leaders [001 收文 五(一)2, 五(二)].

    Leaders come in this order: the principal leader (documents from superiors), then the
    lead unit's supervising leader; an away leader is replaced by the substitute, or, for a
    policy document, preceded by the substitute (who acts now) and kept. No one twice.

    ``names`` gives the clerk's names of units and people (``运输管理处``, ``何副局长``)
    for the reasons; an id without a name is shown as it is.

    Raises:
        NoRouteFound: no rule picks a lead unit and the table has no default unit.
    """
    n = _namer(names)
    lead, consult, unit_reasons = _choose_units(facts, table, n)
    instruct, leader_reasons = _choose_leaders(facts, lead, leaders, n)
    return RoutingDecision(
        lead_unit=lead,
        consult_units=tuple(u for u in _unique(consult) if u != lead),
        leaders=tuple(_unique(instruct)),
        reasons=(*unit_reasons, *leader_reasons),
    )


Namer = Callable[[str | None], str]


def _namer(names: Mapping[str, str] | None) -> Namer:
    known = dict(names or {})
    return lambda key: known.get(key or "", key or "")


def _choose_units(
    facts: IncomingFacts, table: RoutingTable, n: Namer
) -> tuple[str, list[str], list[str]]:
    if facts.concerned_units:
        lead, *others = _unique(facts.concerned_units)
        also = f",{'、'.join(n(o) for o in others)}协办" if others else ""
        return lead, others, [f"来文事由职能归属{n(lead)},由其主办{also}"]

    matched = table.units_for_subjects(facts.subject_tags)
    sender = table.sender_rule(facts.sender_type)
    if len(matched) == 1:
        [(unit, subjects)] = matched.items()
        return unit, [], [f"来文事由「{'、'.join(subjects)}」归口{n(unit)},由其主办"]
    if matched:
        candidates = list(matched)
        listed = "、".join(n(c) for c in candidates)
        if sender is not None and sender.unit in matched:
            label = facts.sender_type.label
            why = f"来文事由涉及{listed},按来文单位性质({label})定{n(sender.unit)}主办,其余协办"
            return sender.unit, candidates, [why]
        if table.default_unit is None:
            raise NoRouteFound(facts, candidates)
        default = table.default_unit
        co_handling = "、".join(n(c) for c in candidates if c != default)
        why = f"来文事由涉及{listed},主办不明,转默认处室{n(default)}分办,{co_handling}协办"
        return default, candidates, [why]

    if sender is not None:
        consult = [sender.consult] if sender.consult is not None else []
        after = f",商{n(sender.consult)}确定分办" if sender.consult is not None else ""
        why = f"来文单位为{facts.sender_type.label},转{n(sender.unit)}办理{after}"
        return sender.unit, consult, [why]
    if table.default_unit is None:
        raise NoRouteFound(facts)
    default = table.default_unit
    return default, [], [f"来文事由和来文单位性质均无分办规则,转默认处室{n(default)}分办"]


def _choose_leaders(
    facts: IncomingFacts, lead: str, leaders: LeaderDirectory, n: Namer
) -> tuple[list[str], list[str]]:
    supervisor = leaders.supervisor_of(lead)
    wanted: list[str] = []
    reasons: list[str] = []
    if facts.from_superior:
        wanted.append(leaders.principal)
        reasons.append(f"上级来文,呈主要领导{n(leaders.principal)}阅")
    if supervisor is not None:
        wanted.append(supervisor)
        reasons.append(f"{n(lead)}由{n(supervisor)}分管,按分工呈{n(supervisor)}")
    elif not facts.from_superior:
        wanted.append(leaders.principal)
        reasons.append(f"{n(lead)}无分管领导,呈主要领导{n(leaders.principal)}")

    instruct: list[str] = []
    for leader in _unique(wanted):
        substitute = leaders.away.get(leader)
        if substitute is None:
            instruct.append(leader)
        elif facts.is_policy_document:
            instruct += [substitute, leader]
            reasons.append(f"{n(leader)}出差,政策性文件同时呈{n(leader)}和代理人{n(substitute)}")
        else:
            instruct.append(substitute)
            reasons.append(f"{n(leader)}出差,按替代关系呈{n(substitute)}")
    return instruct, reasons


def required_leaders(
    facts: IncomingFacts, lead: str, leaders: LeaderDirectory, chosen: Iterable[str]
) -> dict[str, str]:
    """The leaders the rules require that ``chosen`` lacks, each with the rule:

    - a document from a superior goes to the principal and the lead unit's supervising
      leader (to the substitute of one who is away) [001 收文 五(二)1(3)];
    - a policy document goes to an away leader as well as to his substitute, whether he is
      away or not (不论出差与否,同时呈报) [001 收文 五(二)1(2)]: when the substitute is put
      before it in the stead of the leader the division of labour names.
    """
    picked = set(chosen)
    named = [leaders.supervisor_of(lead)]
    if facts.from_superior:
        named.insert(0, leaders.principal)
    need: dict[str, str] = {}
    for leader in _unique(x for x in named if x):
        substitute = leaders.away.get(leader)
        if facts.from_superior and leader not in picked and substitute not in picked:
            # the leader himself (his substitute then acts for him), or his substitute
            why = "上级来文须呈主要领导和分管领导 [001 收文 五(二)1(3)]"
            if substitute is not None:
                why = f"{leader}出差,上级来文呈其本人或代理人{substitute} [001 收文 五(二)1(2),(3)]"
            need.setdefault(leader, why)
        if facts.is_policy_document and substitute is not None and substitute in picked:
            need.setdefault(
                leader,
                f"政策性文件呈代理人{substitute}时,须同时呈报出差的{leader} [001 收文 五(二)1(2)]",
            )
    return {person: why for person, why in need.items() if person not in picked}


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
