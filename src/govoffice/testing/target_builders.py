"""Builders for 目标管理: a year's target table, and a deduction on it, driven through the
public commands of ``office.targets`` to a status (see :mod:`govoffice.testing.builders`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import pendulum

from govoffice.application.office import Office
from govoffice.domain.target import (
    DeductionStatus,
    IndicatorBasis,
    TargetTable,
    TargetTableStatus,
    TrackingMeans,
)
from govoffice.testing._agency import AgencyPeople
from govoffice.testing.builders import Step, _days, _run

DEFAULT_INDICATORS: tuple[Mapping[str, Any], ...] = (
    {
        "unit": "biz1",
        "content": "年度重点业务工作任务按期完成",
        "basis": IndicatorBasis.AGENCY_WORK_POINTS,
        "points": 40,
        "method": "查阅工作台账,按完成进度评分",
    },
    {
        "unit": "biz1",
        "content": "依法履行审批职责,按时办结率100%",
        "basis": IndicatorBasis.STATUTORY_DUTY,
        "points": 30,
        "method": "信息系统抽查办件",
    },
    {
        "unit": "biz2",
        "content": "落实部局年度工作要点确定的任务",
        "basis": IndicatorBasis.MINISTRY_PLAN,
        "points": 40,
        "method": "现场检查与查阅资料",
    },
    {
        "unit": "legal",
        "content": "规范性文件合法性审核率100%",
        "basis": IndicatorBasis.STATUTORY_DUTY,
        "points": 30,
        "method": "抽查审核记录",
    },
    {
        "unit": "finance",
        "content": "预算执行进度达到序时进度",
        "basis": IndicatorBasis.AGENCY_PLAN,
        "points": 30,
        "method": "查阅财务报表",
    },
)
"""The indicators :func:`target_table` puts in a table unless told otherwise: four units
with heads in :func:`~govoffice.testing.standard_agency`, every kind of basis but one."""


def unit_heads(people: AgencyPeople) -> dict[str, str]:
    """The head of each unit of :func:`~govoffice.testing.standard_agency` that has one."""
    return {
        "office": people.office_head,
        "party": people.party_head,
        "discipline": people.discipline_head,
        "finance": people.finance_head,
        "legal": people.legal_head,
        "biz1": people.unit_head,
        "biz2": people.unit_head2,
    }


def _local(office: Office, at: pendulum.DateTime) -> pendulum.DateTime:
    return office.org.current().local(at)


def target_table(
    office: Office,
    people: AgencyPeople,
    to: TargetTableStatus = TargetTableStatus.DRAFTING,
    *,
    year: int | None = None,
    indicators: Sequence[Mapping[str, Any]] = DEFAULT_INDICATORS,
    at: pendulum.DateTime | None = None,
) -> uuid.UUID:
    """The year's target table (the clock's year; the next one when the clock is in
    December), drafted by the assessment office with ``indicators`` and taken along the
    normal path to ``to``, a day or so a step: opinions asked of every unit, answered by
    every unit that has a head (biz2 objects) and submitted once the date for answers has
    passed; approved by the principal leader; issued; assessed on 1 December of its year
    (the step only ``ASSESSED`` takes)."""
    targets = office.targets
    p = people
    officer = p.assessment_officer
    start = at or office.clock.now()
    local = _local(office, start)
    table_year = year or (local.year + 1 if local.month == 12 else local.year)
    table = targets.draft(year=table_year, by=officer, at=start)
    heads = unit_heads(p)

    def add(at: pendulum.DateTime) -> None:
        for spec in indicators:
            targets.add_indicator(table, by=officer, at=at, **spec)

    def solicit(at: pendulum.DateTime) -> None:
        due = _local(office, at).date().add(days=5)
        targets.solicit_opinions(table, due=due, by=officer, at=at)

    def answer(at: pendulum.DateTime) -> None:
        for unit in targets.get(table).solicited:
            if unit in heads:
                objects = unit == "biz2"
                targets.give_opinion(
                    table,
                    unit=unit,
                    agrees=not objects,
                    opinion="第3项分值偏高,建议调整" if objects else "无意见",
                    by=heads[unit],
                    at=at,
                )

    def submit(at: pendulum.DateTime) -> None:
        dissent = any(not o.agrees for o in targets.get(table).opinions.values())
        handling = "业务二处意见已研究,维持原分值" if dissent else ""
        targets.submit_for_approval(table, handling=handling, by=officer, at=at)

    year_end = pendulum.datetime(table_year, 12, 1, 10, tz=local.timezone_name or "UTC")
    S = TargetTableStatus
    path: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.DRAFTING, _days(0, 1), add),
        (S.CONSULTING, _days(1), solicit),
        (None, _days(3), answer),
        (S.SUBMITTED, _days(7), submit),
        (S.APPROVED, _days(8), lambda at: targets.approve(table, by=p.principal, at=at)),
        (
            S.ISSUED,
            _days(9),
            lambda at: targets.issue(
                table, document_number=f"X局发〔{table_year}〕1号", by=officer, at=at
            ),
        ),
        (
            S.ASSESSED,
            max(year_end - start, _days(10)),
            lambda at: targets.assess(table, by=officer, at=at),
        ),
    ]
    _run(office, path, to, start)
    return table


def target_deduction(
    office: Office,
    people: AgencyPeople,
    to: DeductionStatus = DeductionStatus.AWAITING_CORRECTION,
    *,
    table: uuid.UUID | None = None,
    indicator: int = 1,
    points: int | str = 5,
    at: pendulum.DateTime | None = None,
) -> tuple[uuid.UUID, int]:
    """A deduction (扣分) on ``indicator`` of an issued table (``table``, or one built by
    :func:`target_table`), taken to ``to``: the unit's head reports the correction a day
    later (on time), and the assessment office waives it or upholds it a day after that.
    It starts at ``at`` (else the clock's time), no earlier than ten minutes after the
    table's last step. Returns the table's id and the deduction's number."""
    targets = office.targets
    p = people
    officer = p.assessment_officer
    if table is None:
        table = target_table(office, p, TargetTableStatus.ISSUED, at=at)
        at = None
    record: TargetTable = targets.get(table)
    start = at or office.clock.now()
    opening = pendulum.datetime(record.year, 1, 2, 9, tz=_local(office, start).timezone_name)
    last = getattr(record, "last_at", None) or start
    start = max(start, opening, last.add(minutes=10))
    unit = record.indicators[indicator].unit if indicator in record.indicators else ""
    head = unit_heads(p).get(unit, p.unit_head)
    found: dict[str, int] = {}

    def deduct(at: pendulum.DateTime) -> None:
        found["n"] = targets.deduct(
            table,
            indicator=indicator,
            points=points,
            reason="台账记录不完整,未按要求报送进度",
            means=TrackingMeans.ON_SITE,
            by=officer,
            at=at,
        )

    def correct(at: pendulum.DateTime) -> None:
        targets.report_correction(
            table, deduction=found["n"], measures="已补齐台账并建立周报制度", by=head, at=at
        )

    S = DeductionStatus
    path: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.AWAITING_CORRECTION, _days(0), deduct),
        (S.CORRECTED, _days(1), correct),
    ]
    if to is S.WAIVED:
        path.append(
            (
                S.WAIVED,
                _days(2),
                lambda at: targets.waive(
                    table, deduction=found["n"], reason="整改及时,未影响年度目标", by=officer, at=at
                ),
            )
        )
    elif to is S.COUNTED:
        path.append(
            (
                S.COUNTED,
                _days(2),
                lambda at: targets.uphold(
                    table, deduction=found["n"], reason="问题影响年度任务进度", by=officer, at=at
                ),
            )
        )
    _run(office, path, to, start)
    return table, found["n"]


__all__ = ["DEFAULT_INDICATORS", "target_deduction", "target_table", "unit_heads"]
