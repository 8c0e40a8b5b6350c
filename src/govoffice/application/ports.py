"""Ports: what the application needs from the outside world, as protocols.

Adapters implement them; tests use fakes (see :mod:`govoffice.testing`).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pendulum


class Clock(Protocol):
    """时钟: fills business time when a caller does not give ``at``."""

    def now(self) -> pendulum.DateTime: ...


class WorkingDays(Protocol):
    """工作日历: China's statutory holidays and make-up working days (see ADR 0010)."""

    def is_working_day(self, day: date) -> bool: ...

    def add_working_days(self, start: date, n: int) -> date: ...

    def add_days(self, start: date, n: int) -> date:
        """``n`` natural days; a period ending on a rest day ends on the next working day."""
        ...

    def add_months(self, start: date, n: int) -> date:
        """``n`` months, ending on the corresponding day (with the same rest-day rule)."""
        ...


class SystemClock:
    """The wall clock in a given zone (Asia/Shanghai by default)."""

    def __init__(self, zone: str = "Asia/Shanghai") -> None:
        self.zone = zone

    def now(self) -> pendulum.DateTime:
        return pendulum.now(self.zone)
