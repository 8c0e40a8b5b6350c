"""The agency, the clock and the event probes of :mod:`govoffice.testing`."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import attrs
import pendulum

from govoffice.application.office import Office
from govoffice.bootstrap import assemble
from govoffice.domain.organisation import Role, UnitFunction

ZONE = "Asia/Shanghai"


class SettableClock:
    """A clock for tests: starts at ``start`` and moves only when told to."""

    def __init__(self, start: pendulum.DateTime | None = None) -> None:
        self._now = start or pendulum.datetime(2026, 3, 2, 9, 0, tz=ZONE)

    def now(self) -> pendulum.DateTime:
        return self._now

    def set(self, at: pendulum.DateTime) -> None:
        self._now = at

    def advance(self, **delta: int) -> pendulum.DateTime:
        """Move forward, e.g. ``clock.advance(hours=2)``; returns the new time."""
        self._now = self._now.add(**delta)
        return self._now


@attrs.frozen
class AgencyPeople:
    """The well-known people of :func:`standard_agency`, by what they do."""

    admin: str = "admin"
    drafter: str = "li.nigao"
    unit_head: str = "wang.chuzhang"
    drafter2: str = "zhang.keyuan"
    unit_head2: str = "liu.chuzhang"
    legal_head: str = "zhao.fagui"
    secretary: str = "sun.mishu"
    office_head: str = "zhou.zhuren"
    principal: str = "chen.juzhang"
    deputy: str = "he.fujuzhang"
    deputy2: str = "hu.fujuzhang"
    classification_officer: str = "chen.juzhang"
    archivist: str = "qian.dangan"
    receiving_secretary: str = "wu.shouwen"
    supervision_officer: str = "zheng.ducha"
    party_head: str = "feng.danggong"
    discipline_head: str = "chu.jijian"
    finance_head: str = "wei.caiwu"
    assessment_officer: str = "yang.kaoping"


UNITS: tuple[tuple[str, str, tuple[UnitFunction, ...]], ...] = (
    ("office", "办公室", (UnitFunction.GENERAL_OFFICE,)),
    ("party", "党工部", (UnitFunction.PARTY_WORK,)),
    ("discipline", "纪检监察处", (UnitFunction.DISCIPLINE,)),
    ("finance", "财务处", (UnitFunction.FINANCE,)),
    ("personnel", "人教处", (UnitFunction.PERSONNEL,)),
    ("legal", "法规处", (UnitFunction.LEGAL,)),
    ("supervision", "督查室", (UnitFunction.SUPERVISION,)),
    ("confidential", "机要室", (UnitFunction.CONFIDENTIAL,)),
    ("biz1", "业务一处", (UnitFunction.BUSINESS,)),
    ("biz2", "业务二处", (UnitFunction.BUSINESS,)),
)

SECURE_PRINT_SITE = "机要室涉密文印间"


def standard_agency(office: Office, at: pendulum.DateTime | None = None) -> AgencyPeople:
    """Establish an agency like the seeds' bureau: ten units, a principal leader (also the
    classification officer), two deputies with their 分管, and one person per role (the
    assessment office's 考评办人员 sits in 办公室)."""
    p = AgencyPeople()
    at = at or office.clock.now()
    org = office.org
    org.establish(agency="某市某局", agency_code="X局", by=p.admin, at=at)
    for unit_id, name, functions in UNITS:
        org.add_unit(unit_id=unit_id, name=name, functions=functions, by=p.admin, at=at)
    people: list[tuple[str, str, str, tuple[Role, ...]]] = [
        (p.drafter, "李拟稿", "biz1", (Role.DRAFTER,)),
        (p.unit_head, "王处长", "biz1", (Role.UNIT_HEAD, Role.DRAFTER)),
        (p.drafter2, "张科员", "biz2", (Role.DRAFTER,)),
        (p.unit_head2, "刘处长", "biz2", (Role.UNIT_HEAD,)),
        (p.legal_head, "赵法规", "legal", (Role.UNIT_HEAD,)),
        (p.secretary, "孙秘书", "office", (Role.OFFICE_REVIEWER,)),
        (p.office_head, "周主任", "office", (Role.UNIT_HEAD, Role.OFFICE_REVIEWER)),
        (
            p.principal,
            "陈局长",
            "office",
            (Role.LEADER, Role.PRINCIPAL_LEADER, Role.CLASSIFICATION_OFFICER),
        ),
        (p.deputy, "何副局长", "office", (Role.LEADER,)),
        (p.deputy2, "胡副局长", "office", (Role.LEADER,)),
        (p.archivist, "钱档案", "office", (Role.ARCHIVIST,)),
        (p.receiving_secretary, "吴收文", "confidential", (Role.RECEIVING_SECRETARY,)),
        (p.supervision_officer, "郑督查", "supervision", (Role.SUPERVISION_OFFICER,)),
        (p.party_head, "冯主任", "party", (Role.UNIT_HEAD,)),
        (p.discipline_head, "褚处长", "discipline", (Role.UNIT_HEAD,)),
        (p.finance_head, "卫处长", "finance", (Role.UNIT_HEAD,)),
        (p.assessment_officer, "杨考评", "office", (Role.ASSESSMENT_OFFICER,)),
    ]
    for person_id, name, unit, roles in people:
        org.add_person(
            person_id=person_id,
            name=name,
            unit=unit,
            email=f"{person_id}@example.gov.cn",
            roles=roles,
            by=p.admin,
            at=at,
        )
    org.assign_supervision(leader=p.deputy, units=["biz1", "legal", "finance"], by=p.admin, at=at)
    org.assign_supervision(
        leader=p.deputy2, units=["biz2", "personnel", "party"], by=p.admin, at=at
    )
    org.add_secure_print_site(site=SECURE_PRINT_SITE, by=p.admin, at=at)
    return p


class TestOffice(Office):
    """An :class:`~govoffice.application.office.Office` whose clock is a
    :class:`SettableClock`, so that a test suite's ``office.clock.advance(days=3)`` and
    ``office.clock.set(...)`` type-check (:func:`office_for_tests` makes one)."""

    __test__ = False  # not a test class, whatever pytest thinks of the name
    clock: SettableClock


def office_for_tests(
    url: str = "memory",
    *,
    start: pendulum.DateTime | None = None,
    clock: SettableClock | None = None,
) -> TestOffice:
    """An office on ``url`` with a :class:`SettableClock` (``clock``, or a new one at
    ``start``, by default 2026-03-02 09:00 in Asia/Shanghai)."""
    if clock is not None and start is not None:
        raise ValueError("give start or clock, not both")
    return assemble(TestOffice, url, clock=clock or SettableClock(start))


def notification_count(office: Office) -> int:
    """How many events the store holds (the position of the last one)."""
    return office.app.recorder.max_notification_id() or 0


def recorded_since(office: Office, position: int) -> list[Any]:
    """The events recorded after ``position`` (from :func:`notification_count`)."""
    app = office.app
    notifications = app.recorder.select_notifications(start=position + 1, limit=1_000_000)
    return [app.mapper.to_domain_event(n) for n in notifications]


@contextlib.contextmanager
def assert_nothing_recorded(office: Office) -> Iterator[None]:
    """The block must leave the store exactly as it was (a refusal records nothing)."""
    before = notification_count(office)
    yield
    after = recorded_since(office, before)
    if after:
        names = ", ".join(type(e).__name__ for e in after)
        raise AssertionError(f"expected nothing recorded, but recorded: {names}")


def assert_trail_authorised(office: Office, record_id: uuid.UUID | str) -> None:
    """Every decision on the record was taken by someone entitled to it at its business time,
    as the audit trail judges it from the authority table (ADR 0024): no 无权, no invalid
    substitute. For a test suite's invariants."""
    trail = office.audit.trail(record_id)
    wrong = [
        e.describe() for e in trail if e.check.held is False or e.check.substitute_valid is False
    ]
    if wrong:
        raise AssertionError("decisions the trail says were not authorised:\n" + "\n".join(wrong))


def assert_refusal_explained(refusal: BaseException, record_type: type | str) -> None:
    """A refusal is an office error; a permission refusal names the step and what it needs
    (the authority table's words), so the clerk reads why."""
    from govoffice.domain.errors import GovOfficeError, PermissionDenied

    if not isinstance(refusal, GovOfficeError):
        raise AssertionError(f"not an office refusal: {type(refusal).__name__}: {refusal}")
    if isinstance(refusal, PermissionDenied):
        action, needs = getattr(refusal, "action", ""), getattr(refusal, "needs", "")
        if not action or not needs:
            raise AssertionError(f"a permission refusal that does not say why: {refusal}")
