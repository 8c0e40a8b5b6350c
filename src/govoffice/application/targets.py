"""``office.targets``: 目标管理 — the year's target table (年度工作目标考评指标表) from drafting
to the year-end assessment [001 目标管理工作规程]."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

import pendulum

from govoffice.application.history import Decision, decisions
from govoffice.application.services import AreaService
from govoffice.domain.errors import AlreadyExists, InvalidInput
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.target import (
    IndicatorBasis,
    TargetPolicy,
    TargetTable,
    TargetTableStatus,
    TrackingMeans,
    UnitScore,
)
from govoffice.domain.values import business_time, positive_int

if TYPE_CHECKING:
    from govoffice.application.office import Office

TableRef = uuid.UUID | str | int
"""A target table named by its id (or a text of it) or by its year (``2026``)."""


class TargetService(AreaService[TargetTable]):
    """目标管理: every command takes ``by=`` (the acting person) and ``at=`` (business time,
    filled from the office clock when omitted), and names the table by its id (or its year:
    ``2026`` names the 2026 table). ``policy`` holds the dates the seed leaves open
    (:class:`TargetPolicy`); replace it to configure them."""

    record_type = TargetTable

    def __init__(self, office: Office, policy: TargetPolicy | None = None) -> None:
        super().__init__(office)
        self.policy = policy or TargetPolicy()

    # --- ids and reading ----------------------------------------------------------------------

    def table_id(self, year: int) -> uuid.UUID:
        """The id of the year's table (whether or not it exists)."""
        return _table_id(year)

    def of_year(self, year: int) -> TargetTable:
        """The year's table (:class:`RecordNotFound` before it is drafted)."""
        return self.get(self.table_id(year))

    def get(self, record_id: TableRef, *, version: int | None = None) -> TargetTable:
        return super().get(_record_id(record_id), version=version)

    def as_of(self, record_id: TableRef, at: datetime | str) -> TargetTable:
        return super().as_of(_record_id(record_id), at)

    def history(self, record_id: TableRef) -> list[Decision]:
        return super().history(_record_id(record_id))

    def scores(self, record_id: TableRef) -> tuple[UnitScore, ...]:
        """The units' scores and ranks: the year-end assessment's once it is made, else as
        things stand now (the same formula, ADR 0036)."""
        return self.get(record_id).standing()

    # --- drafting (目标制定) -------------------------------------------------------------------

    def draft(
        self, *, year: int, by: str, title: str = "", at: datetime | str | None = None
    ) -> uuid.UUID:
        """拟定 the year's table (by the assessment office); one table per year."""
        who, when = self._who(by), self._when(at)
        table_id = self.table_id(year)

        def attempt() -> uuid.UUID:
            org = self._org()
            if self.store.exists(table_id):
                org.require_role(who, Role.ASSESSMENT_OFFICER, "拟定年度工作目标考评指标表", when)
                raise AlreadyExists("年度工作目标考评指标表", year)
            table = TargetTable.draft(org=org, year=year, title=title, by=who, at=when)
            self.store.save(table, hand_over=True)
            return table.id

        return self.store.run(attempt, table_id)

    def add_indicator(
        self,
        table_id: TableRef,
        *,
        unit: str,
        content: str,
        basis: IndicatorBasis | str,
        points: int | str | Decimal,
        method: str,
        by: str,
        at: datetime | str | None = None,
    ) -> int:
        """增加考评指标: the unit it assesses, what it asks, its basis (one of the five sources
        of 四(一)2: member or Chinese label), its points (an exact number) and how it is
        checked; returns its number."""
        return int(
            self._do(
                table_id,
                "add_indicator",
                by,
                at,
                unit=unit,
                content=content,
                basis=basis,
                points=points,
                method=method,
            )
        )

    def revise_indicator(
        self,
        table_id: TableRef,
        *,
        number: int,
        by: str,
        unit: str | None = None,
        content: str | None = None,
        basis: IndicatorBasis | str | None = None,
        points: int | str | Decimal | None = None,
        method: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """修改考评指标 in the draft (the fields given change, the others stay)."""
        changes = _given(unit=unit, content=content, basis=basis, points=points, method=method)
        self._do(table_id, "revise_indicator", by, at, number=number, changes=changes)

    def remove_indicator(
        self, table_id: TableRef, *, number: int, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(table_id, "remove_indicator", by, at, number=number)

    def solicit_opinions(
        self,
        table_id: TableRef,
        *,
        due: date,
        by: str,
        units: Iterable[str] | None = None,
        at: datetime | str | None = None,
    ) -> list[str]:
        """征求意见 from every unit (or the units named, which include every assessed unit),
        answers due by ``due``; returns the units asked."""
        named = None if units is None else (units if isinstance(units, str) else list(units))
        asked = self._do(table_id, "solicit_opinions", by, at, due=due, units=named)
        return [str(u) for u in asked]

    def give_opinion(
        self,
        table_id: TableRef,
        *,
        unit: str,
        agrees: bool,
        by: str,
        opinion: str = "",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """反馈意见 by the unit's head: agrees, or what it objects to."""
        self._do(
            table_id,
            "give_opinion",
            by,
            at,
            unit=unit,
            agrees=agrees,
            opinion=opinion,
            on_behalf_of=on_behalf_of,
        )

    def submit_for_approval(
        self, table_id: TableRef, *, by: str, handling: str = "", at: datetime | str | None = None
    ) -> None:
        """报领导小组审定; ``handling`` says how dissenting opinions were handled."""
        self._do(table_id, "submit_for_approval", by, at, handling=handling)

    def approve(
        self,
        table_id: TableRef,
        *,
        by: str,
        opinion: str = "同意",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """领导小组审定 (its head, the principal leader, or their substitute that day)."""
        self._do(table_id, "approve", by, at, opinion=opinion, on_behalf_of=on_behalf_of)

    def return_for_revision(
        self,
        table_id: TableRef,
        *,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(table_id, "return_for_revision", by, at, reason=reason, on_behalf_of=on_behalf_of)

    def issue(
        self,
        table_id: TableRef,
        *,
        by: str,
        document_number: str = "",
        at: datetime | str | None = None,
    ) -> None:
        """印发执行: the table is frozen and tracked from this quarter on."""
        self._do(table_id, "issue", by, at, document_number=document_number)

    # --- amendments ----------------------------------------------------------------------------

    def propose_amendment(
        self,
        table_id: TableRef,
        *,
        reason: str,
        by: str,
        add: Sequence[Mapping[str, object]] = (),
        revise: Mapping[int, Mapping[str, object]] | None = None,
        withdraw: Sequence[int] = (),
        at: datetime | str | None = None,
    ) -> int:
        """提出指标调整: ``add`` new indicators (each with unit, content, basis, points,
        method), ``revise`` indicators (number → the fields that change), ``withdraw``
        indicators; in force once the leading group approves. Returns its number."""
        return int(
            self._do(
                table_id,
                "propose_amendment",
                by,
                at,
                reason=reason,
                add=add if isinstance(add, str | Mapping) else list(add),
                revise=revise,
                withdraw=withdraw if isinstance(withdraw, str) else list(withdraw),
            )
        )

    def approve_amendment(
        self,
        table_id: TableRef,
        *,
        by: str,
        opinion: str = "同意",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(table_id, "approve_amendment", by, at, opinion=opinion, on_behalf_of=on_behalf_of)

    def reject_amendment(
        self,
        table_id: TableRef,
        *,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(table_id, "reject_amendment", by, at, reason=reason, on_behalf_of=on_behalf_of)

    # --- daily tracking (日常跟踪) ------------------------------------------------------------

    def check(
        self,
        table_id: TableRef,
        *,
        indicator: int,
        means: TrackingMeans | str,
        summary: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """跟踪检查 an indicator found on track (日常管理、效能督查、现场检查、信息系统)."""
        self._do(table_id, "check", by, at, indicator=indicator, means=means, summary=summary)

    def deduct(
        self,
        table_id: TableRef,
        *,
        indicator: int,
        points: int | str | Decimal,
        reason: str,
        means: TrackingMeans | str,
        by: str,
        correct_by: date | None = None,
        at: datetime | str | None = None,
    ) -> int:
        """扣分 an indicator found not met, fed back to the unit, to be corrected by
        ``correct_by`` (policy: 15 days, moved past a holiday, ADR 0051); returns the
        deduction's number."""
        return int(
            self._do(
                table_id,
                "deduct",
                by,
                at,
                indicator=indicator,
                points=points,
                reason=reason,
                means=means,
                correct_by=correct_by,
                policy=self.policy,
                calendar=self.office.calendar,
                rules=self.office.calendar.deadline_rules,
            )
        )

    def report_correction(
        self,
        table_id: TableRef,
        *,
        deduction: int,
        measures: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """整改 reported by the unit's head."""
        self._do(
            table_id,
            "report_correction",
            by,
            at,
            deduction=deduction,
            measures=measures,
            on_behalf_of=on_behalf_of,
        )

    def waive(
        self,
        table_id: TableRef,
        *,
        deduction: int,
        reason: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """不计入年终考评得分 (a prompt correction, no negative effect), with the reason."""
        self._do(table_id, "waive", by, at, deduction=deduction, reason=reason)

    def uphold(
        self,
        table_id: TableRef,
        *,
        deduction: int,
        by: str,
        reason: str = "",
        at: datetime | str | None = None,
    ) -> None:
        """纳入年终最后得分: the deduction counts."""
        self._do(table_id, "uphold", by, at, deduction=deduction, reason=reason)

    # --- the half-year check and the year-end assessment ---------------------------------------

    def start_half_year_check(
        self,
        table_id: TableRef,
        *,
        by: str,
        due: date | None = None,
        at: datetime | str | None = None,
    ) -> list[str]:
        """组织半年检查: the assessed units report their self-checks by ``due`` (policy:
        15 July, moved past a holiday, ADR 0051); returns the units."""
        units = self._do(
            table_id,
            "start_half_year_check",
            by,
            at,
            due=due,
            policy=self.policy,
            calendar=self.office.calendar,
            rules=self.office.calendar.deadline_rules,
        )
        return [str(u) for u in units]

    def report_self_check(
        self,
        table_id: TableRef,
        *,
        unit: str,
        summary: str,
        progress: Mapping[int, int],
        by: str,
        notes: Mapping[int, str] | None = None,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """报送半年自查: every indicator of the unit with its progress (percent) and, if
        wished, a note."""
        self._do(
            table_id,
            "report_self_check",
            by,
            at,
            unit=unit,
            summary=summary,
            progress=progress,
            notes=notes,
            on_behalf_of=on_behalf_of,
        )

    def name_lagging(
        self,
        table_id: TableRef,
        *,
        unit: str,
        reason: str,
        catch_up_by: date,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """认定执行进度滞后; the unit reports its catch-up plan by ``catch_up_by``."""
        self._do(
            table_id, "name_lagging", by, at, unit=unit, reason=reason, catch_up_by=catch_up_by
        )

    def report_catch_up_plan(
        self,
        table_id: TableRef,
        *,
        unit: str,
        measures: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            table_id,
            "report_catch_up_plan",
            by,
            at,
            unit=unit,
            measures=measures,
            on_behalf_of=on_behalf_of,
        )

    def assess(
        self, table_id: TableRef, *, by: str, at: datetime | str | None = None
    ) -> tuple[UnitScore, ...]:
        """年终考评: every unit's score and rank, recorded (ADR 0036)."""
        scores = self._do(table_id, "assess", by, at, policy=self.policy)
        return tuple(scores)

    # --- time --------------------------------------------------------------------------------

    def tick(self, at: datetime | str) -> list[Decision]:
        """季度跟踪: remind the assessment office of the indicators not yet checked as a
        quarter ends, and flag the quarters that passed with indicators unchecked; each once,
        however often this runs. A table with a later decision than ``at`` waits for the
        next tick (decisions are never dated backwards)."""
        when = business_time(at)
        recorded: list[Decision] = []
        org: Organisation | None = None
        # an assessed table takes no further step: not looked at again
        for table in self._ticking(lambda t: t.status is TargetTableStatus.ASSESSED):
            if table.status is not TargetTableStatus.ISSUED:
                continue
            org = org or self._org()
            if self._due(table, org, when):
                step = partial(self._time_step, table.id, when)
                recorded.extend(self.store.run(step, table.id))
        return recorded

    def _due(self, table: TargetTable, org: Organisation, when: pendulum.DateTime) -> bool:
        last_at = getattr(table, "last_at", None)
        if last_at is not None and when < last_at:
            return False
        return bool(
            table.checks_to_remind(org, when, self.policy) or table.missed_checks(org, when)
        )

    def _time_step(self, table_id: uuid.UUID, when: pendulum.DateTime) -> list[Decision]:
        table, org = self.get(table_id), self._org()
        if not self._due(table, org, when):
            return []
        if table.missed_checks(org, when):
            table.flag_missed_checks(org=org, at=when)
        if table.checks_to_remind(org, when, self.policy):
            table.remind_checks(org=org, at=when, policy=self.policy)
        pending = list(table.pending_events)
        self.store.save(table, hand_over=True)
        return decisions(pending)

    # --- plumbing ------------------------------------------------------------------------------

    def _do(self, record_id: TableRef, command: str, by: str, at: object, **kwargs: Any) -> Any:
        return super()._do(_record_id(record_id), command, by, at, **kwargs)


def _table_id(year: int) -> uuid.UUID:
    return TargetTable.create_id(positive_int(year, "年度", minimum=1949))


def _record_id(record_id: TableRef) -> uuid.UUID | str:
    """A table named by its year (``2026`` or ``"2026"``) or by its id."""
    if isinstance(record_id, str):
        text = record_id.strip()
        return _table_id(int(text)) if re.fullmatch(r"\d{4}", text) else record_id
    if isinstance(record_id, uuid.UUID):
        return record_id
    return _table_id(record_id)  # a year; positive_int refuses a bool


def _given(**fields: object) -> dict[str, object]:
    changes = {k: v for k, v in fields.items() if v is not None}
    if not changes:
        raise InvalidInput("没有要修改的字段 (give at least one field to change)")
    return changes
