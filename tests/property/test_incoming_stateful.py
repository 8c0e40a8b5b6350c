"""收文 under random command sequences (hypothesis): any command, by anyone (right or wrong,
directly or on someone's behalf), at any later time, with ticks in between. Every accepted
decision is one the audit trail, reading the same authority table, says was authorised;
every refusal is an office error that explains itself and records nothing (ADR 0024)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import attrs
import pendulum
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from govoffice.domain.errors import GovOfficeError
from govoffice.domain.incoming import IncomingStatus, ScreeningCheck
from govoffice.testing import (
    AgencyPeople,
    SettableClock,
    assert_refusal_explained,
    assert_trail_authorised,
    notification_count,
    office_for_tests,
    standard_agency,
)

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
A = AgencyPeople()
PEOPLE = sorted({*attrs.asdict(A).values()})
people = st.sampled_from(PEOPLE)

COMMANDS: dict[str, dict[str, Any]] = {
    "register": {"sender_type": "government", "importance": "urgent", "policy_document": True},
    "screen": {"results": dict.fromkeys(ScreeningCheck, True)},
    "assign_action": {
        "kind": "action",
        "proposal": "请业务一处办理",
        "lead_unit": "biz1",
        "co_units": ["finance"],
        "within_working_days": 3,
    },
    "assign_leaders": {
        "kind": "action",
        "proposal": "呈何副局长阅示",
        "lead_unit": "biz1",
        "leaders": [A.deputy],
        "within_working_days": 5,
    },
    "instruct": {"opinion": "同意,请抓紧办理"},
    "accept": {},
    "send_back": {"reason": "不属本处职责"},
    "explain_delay": {"reason": "需征求财务处意见", "expected_by": date(2026, 4, 30)},
    "handle": {"result": "已办结"},
    "reply": {"content": "已按要求办理"},
    "circulate": {"to": [A.unit_head2, A.finance_head]},
    "confirm_read": {},
    "urge": {"channel": "phone"},
    "archive": {},
}


class OneIncomingDocument(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.office = office_for_tests(start=T0)
        standard_agency(self.office, T0)
        self.office.org.appoint_substitute(
            leader=A.deputy,
            substitute=A.deputy2,
            start=date(2026, 3, 4),
            end=date(2026, 3, 6),
            by=A.admin,
        )
        assert isinstance(self.office.clock, SettableClock)
        self.clock: SettableClock = self.office.clock
        self.doc = uuid.uuid4()

    def teardown(self) -> None:
        self.office.close()

    @initialize()
    def received(self) -> None:
        self.doc = self.office.incoming.receive(
            sender="市交通运输局", title="关于春运安全的通知", by=A.receiving_secretary
        )

    @rule(with_leaders=st.booleans(), on_behalf=st.booleans())
    def the_right_person_takes_the_next_step(self, with_leaders: bool, on_behalf: bool) -> None:
        inc, doc = self.office.incoming, self.doc
        status = inc.get(doc).status
        S = IncomingStatus
        steps: dict[IncomingStatus, tuple[str, str, dict[str, Any]]] = {
            S.RECEIVED: ("register", A.receiving_secretary, COMMANDS["register"]),
            S.REGISTERED: ("screen", A.receiving_secretary, COMMANDS["screen"]),
            S.SCREENED: (
                "assign",
                A.office_head,
                COMMANDS["assign_leaders" if with_leaders else "assign_action"],
            ),
            S.AWAITING_INSTRUCTION: (
                "instruct",
                A.deputy2 if on_behalf else A.deputy,
                {**COMMANDS["instruct"], **({"on_behalf_of": A.deputy} if on_behalf else {})},
            ),
            S.AWAITING_ACCEPTANCE: ("accept", A.unit_head, {}),
            S.IN_HANDLING: ("handle", A.unit_head, COMMANDS["handle"]),
            S.HANDLED: ("reply", A.unit_head, COMMANDS["reply"]),
            S.REPLIED: ("archive", A.archivist, {}),
        }
        if status not in steps:
            return
        command, by, kwargs = steps[status]
        try:
            getattr(inc, command)(doc, by=by, **kwargs)
            event(f"next step {command}: done")
        except GovOfficeError as refusal:  # e.g. the substitute on a day he is not one
            assert_refusal_explained(refusal, "IncomingDocument")
            event(f"next step {command}: refused {type(refusal).__name__}")

    @rule(hours=st.integers(0, 40))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    @rule()
    def the_office_ticks(self) -> None:
        self.office.tick()

    @rule(
        command=st.sampled_from(sorted(COMMANDS)),
        by=people,
        on_behalf_of=st.one_of(st.none(), people),
    )
    def someone_tries(self, command: str, by: str, on_behalf_of: str | None) -> None:
        inc = self.office.incoming
        kwargs = dict(COMMANDS[command])
        name = command.split("_")[0] if command.startswith("assign") else command
        if name in ("instruct",) and on_behalf_of is not None:
            kwargs["on_behalf_of"] = on_behalf_of
        before = notification_count(self.office)
        try:
            getattr(inc, name)(self.doc, by=by, **kwargs)
        except GovOfficeError as refusal:
            assert_refusal_explained(refusal, "IncomingDocument")
            assert notification_count(self.office) == before, f"{command} refused but recorded"
            event(f"{command}: refused {type(refusal).__name__}")
        else:
            event(f"{command}: done")

    @invariant()
    def every_decision_was_authorised_when_taken(self) -> None:
        assert_trail_authorised(self.office, self.doc)


OneIncomingDocument.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOneIncomingDocument = OneIncomingDocument.TestCase
