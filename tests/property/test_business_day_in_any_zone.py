"""The agency's business day (ADR 0022), as a property: the same sequence of commands,
with every business time written in Asia/Shanghai, UTC, America/New_York or
Pacific/Kiritimati (the same instants), records the same decisions, numbers, deadlines
and refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govoffice.domain.errors import GovOfficeError
from govoffice.domain.incoming import ScreeningCheck
from govoffice.testing import office_for_tests, standard_agency

ZONES = ("Asia/Shanghai", "UTC", "America/New_York", "Pacific/Kiritimati")
START = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")

STEPS = (
    "draft",
    "submit",
    "review",
    "countersign_request",
    "countersign",
    "deem",
    "submit_office",
    "check",
    "office_review",
    "sign_wrong",
    "sign",
    "register",
    "receive",
    "register_incoming",
    "screen",
    "assign",
    "tick",
)


def _run(zone: str, plan: list[tuple[str, int]]) -> list[Any]:
    """Play ``plan`` (step, minutes after the previous step) with every ``at`` written in
    ``zone``; return what each step gave: its result, or the refusal's class name."""
    office = office_for_tests("memory", start=START)
    office.horizon = None
    p = standard_agency(office, START)
    docs, inc = office.documents, office.incoming
    state: dict[str, Any] = {}
    at = START
    outcomes: list[Any] = []

    def doc_step(name: str) -> Callable[[pendulum.DateTime], Any]:
        d = state.get("doc")
        steps: dict[str, Callable[[pendulum.DateTime], Any]] = {
            "submit": lambda t: docs.submit_for_review(d, by=p.drafter, at=t),
            "review": lambda t: docs.review(d, by=p.unit_head, at=t),
            "countersign_request": lambda t: docs.request_countersign(
                d, by=p.unit_head, units=["legal"], at=t
            ),
            "countersign": lambda t: docs.countersign(
                d, party="legal", agree=True, by=p.legal_head, at=t
            ),
            "deem": lambda t: docs.deem_agreed(d, party="legal", by=p.secretary, at=t),
            "submit_office": lambda t: docs.submit_to_office(d, by=p.drafter, at=t),
            "check": lambda t: docs.office_check(d, by=p.secretary, at=t),
            "office_review": lambda t: docs.office_review(d, by=p.office_head, at=t),
            "sign_wrong": lambda t: docs.sign(d, by=p.drafter, at=t),
            "sign": lambda t: docs.sign(d, by=p.deputy, at=t),
            "register": lambda t: str(
                docs.register(d, by=p.secretary, distribution_scope="各处室", copies=3, at=t)
            ),
        }
        return steps[name]

    def incoming_step(name: str) -> Callable[[pendulum.DateTime], Any]:
        i = state.get("incoming")
        steps: dict[str, Callable[[pendulum.DateTime], Any]] = {
            "register_incoming": lambda t: str(
                inc.register(i, sender_type="government", by=p.receiving_secretary, at=t)
            ),
            "screen": lambda t: inc.screen(
                i,
                results=dict.fromkeys(ScreeningCheck, True),
                by=p.receiving_secretary,
                at=t,
            ),
            "assign": lambda t: inc.assign(
                i,
                kind="action",
                proposal="请业务一处办理",
                lead_unit="biz1",
                within_working_days=3,
                importance="urgent",
                by=p.office_head,
                at=t,
            ),
        }
        return steps[name]

    for step, minutes in plan:
        at = at.add(minutes=minutes)
        when = at.in_timezone(zone)
        try:
            if step == "draft":
                state["doc"] = docs.draft(
                    by=p.drafter,
                    at=when,
                    title="关于开展安全检查的通知",
                    doc_type="通知",
                    issuer_code="X政发",
                    lead_unit="biz1",
                    main_recipients=["各处室"],
                    text="……",
                )
                result: Any = "drafted"
            elif step == "receive":
                state["incoming"] = inc.receive(
                    sender="市政府办公室",
                    title="关于报送材料的通知",
                    by=p.receiving_secretary,
                    at=when,
                )
                result = "received"
            elif step == "tick":
                result = sorted((d.action, d.version) for d in office.tick(when))
            elif step in ("register_incoming", "screen", "assign"):
                result = incoming_step(step)(when)
            else:
                result = doc_step(step)(when)
            outcomes.append((step, result))
        except GovOfficeError as refusal:
            outcomes.append((step, type(refusal).__name__))
    for key in ("doc", "incoming"):
        if key in state:
            service = docs if key == "doc" else inc
            outcomes.append(
                [(d.action, d.by, d.version, d.opinion) for d in service.history(state[key])]
            )
    office.close()
    return outcomes


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    plan=st.lists(
        st.tuples(
            st.sampled_from(STEPS),
            # minutes between steps: a few minutes, hours, across midnight, a few days
            st.sampled_from([1, 7, 55, 180, 600, 900, 1439, 1441, 2880, 4320, 10080]),
        ),
        min_size=8,
        max_size=30,
    ),
    start_shift=st.integers(min_value=0, max_value=300 * 24),
)
def test_the_same_acts_written_in_any_zone_record_the_same(
    plan: list[tuple[str, int]], start_shift: int
) -> None:
    """[ADR 0022] 以机关所在地日期为准: numbers, deadlines, refusals do not depend on the
    zone a caller writes."""
    plan = [("draft", start_shift * 60), ("receive", 1), *plan]
    results = {zone: _run(zone, plan) for zone in ZONES}
    first = results[ZONES[0]]
    for zone in ZONES[1:]:
        assert results[zone] == first, zone


def test_the_year_end_instant_numbers_in_the_agencys_new_year() -> None:
    """The instant 2026-12-31T16:30Z is New Year's Day in Beijing: every zone numbers the
    document in 2027."""
    plan = [
        ("draft", 0),
        ("submit", 5),
        ("review", 5),
        ("submit_office", 5),
        ("check", 5),
        ("office_review", 5),
        ("sign", 5),
    ]
    shift = int((pendulum.datetime(2026, 12, 31, 16, 0, tz="UTC") - START).total_minutes())
    plan[0] = ("draft", shift)
    plan.append(("register", 30))  # 16:35Z + 30 min → 2027-01-01 01:05 in Beijing
    for zone in ZONES:
        outcomes = _run(zone, plan)
        assert ("register", "X政发〔2027〕1号") in outcomes, (zone, outcomes)
