"""``office.information``: 政务信息 — units' monthly submissions and adoptions, and their
monthly scores (the figures the rankings read)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import pendulum

from govoffice.application.services import AreaService
from govoffice.domain.errors import InvalidInput
from govoffice.domain.information import (
    SEED_INFORMATION_SCORING,
    AdoptionLevel,
    InformationReport,
    InformationScoringTable,
    MonthScore,
    UnitTier,
)
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import PersonId

if TYPE_CHECKING:
    from govoffice.application.office import Office

R = TypeVar("R")


class InformationService(AreaService[InformationReport]):
    """政务信息: every command takes ``by=`` (the acting person) and ``at=`` (business time,
    filled from the office clock when omitted), and names the unit and the month
    (``year=``, ``month=``) whose figures it records; the month's record is opened by its
    first step. ``scoring`` is the :class:`InformationScoringTable` the scores use (the
    seed's by default); replace it with the agency's own."""

    record_type = InformationReport

    def __init__(self, office: Office, *, scoring: InformationScoringTable | None = None) -> None:
        super().__init__(office)
        self._scoring = SEED_INFORMATION_SCORING
        if scoring is not None:
            self.scoring = scoring

    @property
    def scoring(self) -> InformationScoringTable:
        return self._scoring

    @scoring.setter
    def scoring(self, table: InformationScoringTable) -> None:
        if not isinstance(table, InformationScoringTable):
            raise InvalidInput(f"计分标准 {table!r} 不是 InformationScoringTable")
        self._scoring = table

    # --- commands ---------------------------------------------------------------------------

    def set_target(
        self,
        *,
        unit: str,
        year: int,
        month: int,
        target: int,
        tier: UnitTier | str | None = None,
        by: str,
        at: datetime | str | None = None,
    ) -> uuid.UUID:
        """设定信息采用目标 (by the general office), optionally with the unit's tier
        (县直单位 / 乡镇); returns the month's record id."""
        self._on_month(
            unit,
            year,
            month,
            by,
            at,
            lambda r, org, who, when: r.set_target(
                org=org, target=target, tier=tier, by=who, at=when
            ),
        )
        return InformationReport.create_id(unit, year, month)

    def submit(
        self,
        *,
        unit: str,
        year: int,
        month: int,
        title: str,
        by: str,
        at: datetime | str | None = None,
    ) -> int:
        """报送信息 (by a person of the unit) for the month, until the 15th of the next (or
        the first working day after a holiday on it, ADR 0051); returns the item's number
        within the month."""
        return self._on_month(
            unit,
            year,
            month,
            by,
            at,
            lambda r, org, who, when: r.submit_item(
                org=org,
                calendar=self.office.calendar,
                rules=self.office.calendar.deadline_rules,
                title=title,
                by=who,
                at=when,
            ),
        )

    def adopt(
        self,
        *,
        unit: str,
        year: int,
        month: int,
        item: int,
        level: AdoptionLevel | str,
        outlet: str,
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """信息采用 (by the general office): item ``item`` of the month was adopted by
        ``outlet`` (刊物) of ``level`` (县级/市级/省级/国家级)."""
        self._on_month(
            unit,
            year,
            month,
            by,
            at,
            lambda r, org, who, when: r.adopt_item(
                org=org,
                calendar=self.office.calendar,
                rules=self.office.calendar.deadline_rules,
                number=item,
                level=level,
                outlet=outlet,
                by=who,
                at=when,
            ),
        )

    def close(
        self, *, unit: str, year: int, month: int, by: str, at: datetime | str | None = None
    ) -> None:
        """结算 (by the general office) once the month is over."""
        self._on_month(
            unit, year, month, by, at, lambda r, org, who, when: r.close(org=org, by=who, at=when)
        )

    # --- queries ----------------------------------------------------------------------------

    def report(self, *, unit: str, year: int, month: int) -> InformationReport:
        """The unit's record for the month (:class:`RecordNotFound` before its first step)."""
        return self.get(InformationReport.create_id(unit, year, month))

    def score(self, *, unit: str, year: int, month: int) -> MonthScore:
        """The unit's score for the month under :attr:`scoring`."""
        return self.report(unit=unit, year=year, month=month).score(self.scoring)

    # --- plumbing ---------------------------------------------------------------------------

    def _on_month(
        self,
        unit: str,
        year: int,
        month: int,
        by: str,
        at: object,
        decide: Callable[[InformationReport, Organisation, PersonId, pendulum.DateTime], R],
    ) -> R:
        """Load the month's record, or open it, decide, and save both in one write: a
        refused first step leaves no record behind."""
        who, when = self._who(by), self._when(at)

        def attempt() -> R:
            org = self._org()
            record_id = InformationReport.create_id(org.unit(unit).id, year, month)
            if self.store.exists(record_id):
                record = self.get(record_id)
            else:
                record = InformationReport.open(
                    org=org, unit=unit, year=year, month=month, by=who, at=when
                )
            result = decide(record, org, who, when)
            self._save(org, record)
            return result

        return self.store.run(attempt, f"{unit}/{year}/{month}")
