"""The simulated bureau (某市某局): about twenty units and a hundred people with their roles,
the leaders' division of labour (分管) and who stands in for whom on a trip.

A superset of :func:`govoffice.testing.standard_agency`: the same unit ids and well-known
people (so the narrated demo's store can be extended), plus ten business units and their
staff. Everything here is fixed data; the simulation decides only what they do.
"""

from __future__ import annotations

import attrs

from govoffice.domain.organisation import Role, UnitFunction
from govoffice.testing import UNITS, AgencyPeople

P = AgencyPeople()

EXTRA_UNITS: tuple[tuple[str, str], ...] = (
    ("planning", "规划发展处"),
    ("policy", "政策研究室"),
    ("science", "科技处"),
    ("approval", "行政审批处"),
    ("enforcement", "执法监督处"),
    ("safety", "安全监管处"),
    ("info", "信息中心"),
    ("veterans", "离退休干部处"),
    ("statistics", "统计处"),
    ("audit", "审计处"),
)

BUSINESS = ("biz1", "biz2", *(u for u, _ in EXTRA_UNITS))
"""The units that do most of the agency's business (and draft most of its documents)."""

DEPUTY3 = "lin.fujuzhang"
DEPUTY4 = "xu.fujuzhang"

LEADERS: tuple[str, ...] = (P.principal, P.deputy, P.deputy2, DEPUTY3, DEPUTY4)
"""In rank order (the rostrum's order): the principal leader, then the deputies."""

DIVISION: dict[str, tuple[str, ...]] = {
    P.principal: ("office",),
    P.deputy: ("biz1", "legal", "finance", "planning", "policy"),
    P.deputy2: ("biz2", "personnel", "party", "science", "approval"),
    DEPUTY3: ("discipline", "enforcement", "safety", "audit", "statistics"),
    DEPUTY4: ("supervision", "confidential", "info", "veterans"),
}
"""分管: each unit has one supervising leader; the principal supervises the general office."""

STAND_IN: dict[str, str] = {
    P.principal: P.deputy,
    P.deputy: P.deputy2,
    P.deputy2: DEPUTY3,
    DEPUTY3: DEPUTY4,
    DEPUTY4: P.deputy,
}
"""替代关系: who acts for a leader on a trip."""

_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜谢邹"
_GIVEN = (
    "伟",
    "芳",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "斌",
    "晨",
    "建华",
    "海燕",
    "志强",
    "秀兰",
)


@attrs.frozen
class Member:
    """One person of the bureau: id, name, unit and roles."""

    id: str
    name: str
    unit: str
    roles: tuple[Role, ...]


def _name(n: int) -> str:
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)]


AFFILIATED = ("info",)
"""局属单位: the information centre is an institution of the bureau, not a department."""


def units() -> list[tuple[str, str, tuple[UnitFunction, ...]]]:
    """Every unit: the standard agency's ten and the ten business units added here."""
    return [
        *UNITS,
        *(
            (u, name, (UnitFunction.BUSINESS, UnitFunction.AFFILIATED))
            if u in AFFILIATED
            else (u, name, (UnitFunction.BUSINESS,))
            for u, name in EXTRA_UNITS
        ),
    ]


def members() -> list[Member]:
    """Every person, the standard agency's first (same ids, names and roles)."""
    people: list[Member] = [
        Member(
            P.principal,
            "陈局长",
            "office",
            (Role.LEADER, Role.PRINCIPAL_LEADER, Role.CLASSIFICATION_OFFICER),
        ),
        Member(P.deputy, "何副局长", "office", (Role.LEADER,)),
        Member(P.deputy2, "胡副局长", "office", (Role.LEADER,)),
        Member(DEPUTY3, "林副局长", "office", (Role.LEADER,)),
        Member(DEPUTY4, "徐副局长", "office", (Role.LEADER,)),
        Member(P.office_head, "周主任", "office", (Role.UNIT_HEAD, Role.OFFICE_REVIEWER)),
        Member(P.secretary, "孙秘书", "office", (Role.OFFICE_REVIEWER,)),
        Member(P.archivist, "钱档案", "office", (Role.ARCHIVIST,)),
        Member("office.s1", "郑秘书", "office", (Role.OFFICE_REVIEWER, Role.DRAFTER)),
        Member("office.s2", "冯秘书", "office", (Role.OFFICE_REVIEWER, Role.DRAFTER)),
        Member("office.s3", "蒋文书", "office", (Role.DRAFTER,)),
        Member(P.unit_head, "王处长", "biz1", (Role.UNIT_HEAD, Role.DRAFTER)),
        Member(P.drafter, "李拟稿", "biz1", (Role.DRAFTER,)),
        Member(P.unit_head2, "刘处长", "biz2", (Role.UNIT_HEAD,)),
        Member(P.drafter2, "张科员", "biz2", (Role.DRAFTER,)),
        Member(P.legal_head, "赵法规", "legal", (Role.UNIT_HEAD,)),
        Member(P.party_head, "冯主任", "party", (Role.UNIT_HEAD,)),
        Member(P.discipline_head, "褚处长", "discipline", (Role.UNIT_HEAD,)),
        Member(P.finance_head, "卫处长", "finance", (Role.UNIT_HEAD,)),
        Member(P.receiving_secretary, "吴收文", "confidential", (Role.RECEIVING_SECRETARY,)),
        Member(P.supervision_officer, "郑督查", "supervision", (Role.SUPERVISION_OFFICER,)),
        Member("confidential.s1", "严收文", "confidential", (Role.RECEIVING_SECRETARY,)),
        Member("supervision.s1", "沈督查", "supervision", (Role.SUPERVISION_OFFICER,)),
        Member(P.assessment_officer, "杨考评", "office", (Role.ASSESSMENT_OFFICER,)),
    ]
    n = 0
    for unit, _, _ in units():
        if unit == "office":
            continue
        here = [m for m in people if m.unit == unit]
        if not any(Role.UNIT_HEAD in m.roles for m in here):
            people.append(Member(f"{unit}.head", _name(n) + "处长", unit, (Role.UNIT_HEAD,)))
            n += 1
            here = [m for m in people if m.unit == unit]
        size = 5 if unit in BUSINESS else 4
        k = 1
        while len(here) < size:
            person_id = f"{unit}.s{k}"
            if all(m.id != person_id for m in people):
                people.append(Member(person_id, _name(n), unit, (Role.DRAFTER,)))
                n += 1
            k += 1
            here = [m for m in people if m.unit == unit]
    return people
