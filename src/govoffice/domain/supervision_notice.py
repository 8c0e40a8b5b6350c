"""督查通报 a notice naming a unit that failed supervised tasks twice or more in a period.

"对于2次以上完不成工作的,将在相关会议上通报" [000 范文6 五 7]; "仍达不到要求的,进行通报
批评" [000 范文4]; "仍然办理不到位的……通报全县" [003 篇6 二(三)第四]. A failure is a task of
which the unit is the responsible unit (第一责任人, [003 篇6 二(三)第四]) either going
overdue or having its completion report rejected.

A notice is its own small aggregate, one per (unit, period), with a deterministic id: issuing
the notices of a period twice, or from two clerks at once, names each unit once (ADR 0012).
Its single event, ``NoticeIssued``, lists the failures it names, so the annual report counts
notices per unit from the events alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import authorise, declare, role, step
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.errors import InvalidInput, RuleViolation
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.supervision import FailureKind
from govoffice.domain.values import PersonId, UnitId, positive_int, value_object

NOTICE_NAMESPACE = uuid.UUID("5c2a9f4e-1b7d-4e0a-b3c6-9d8e7f6a5b41")
NOTICE_THRESHOLD = 2
"""[000 范文6 五 7] 对于2次以上完不成工作的,将在相关会议上通报."""


def _check_period(instance: NoticePeriod, attribute: attrs.Attribute[date], end: date) -> None:
    if not isinstance(end, date) or not isinstance(instance.start, date):
        raise InvalidInput("通报期间的起止必须是日期 (period bounds must be dates)")
    if end < instance.start:
        raise InvalidInput(
            f"通报期间 {instance.start}~{end} 不正确:结束早于开始 (end before start)"
        )


@value_object
class NoticePeriod:
    """通报期间 the days ``start`` to ``end`` (both included) whose failures a notice counts."""

    start: date
    end: date = attrs.field(validator=_check_period)
    label: str = ""

    @classmethod
    def year(cls, year: int) -> NoticePeriod:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> NoticePeriod:
        if quarter not in (1, 2, 3, 4):
            raise InvalidInput(f"季度 {quarter!r} 不正确 (quarter is 1-4)")
        start = date(year, 3 * quarter - 2, 1)
        end = date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(1)
        return cls(start, end, f"{year}年第{quarter}季度")

    @classmethod
    def month(cls, year: int, month: int) -> NoticePeriod:
        if not 1 <= month <= 12:
            raise InvalidInput(f"月份 {month!r} 不正确 (month is 1-12)")
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return cls(date(year, month, 1), end - timedelta(1), f"{year}年{month}月")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def key(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label or f"{self.start}~{self.end}"


@value_object
class NoticedFailure:
    """One failure a notice names: the task (its id as text, and its 督办编号), what
    happened and when."""

    task: str
    number: str
    kind: FailureKind
    at: pendulum.DateTime


class PeriodNotEnded(RuleViolation):
    """A period's notice is issued once the period is over, when its failures are known."""

    def __init__(self, period: NoticePeriod, on: date) -> None:
        super().__init__(
            f"通报期间「{period}」至 {period.end} 止,{on} 尚未结束,不能据此通报 "
            "(the period has not ended yet)",
            period=period,
            on=on,
        )


class TooFewFailures(RuleViolation):
    def __init__(self, unit: str, count: int, threshold: int) -> None:
        super().__init__(
            f"{unit} 在本期间完不成督办工作 {count} 次,不足 {threshold} 次,不予通报 "
            "(fewer failures than the threshold)",
            unit=unit,
            count=count,
            threshold=threshold,
        )


def require_notice_issuer(
    org: Organisation, period: NoticePeriod, by: PersonId, at: pendulum.DateTime
) -> None:
    """督查室 issues notices, and only for a period that is over (on the agency's calendar)."""
    authorise(org, SupervisionNotice, "NoticeIssued", by=by, at=at)
    if not isinstance(period, NoticePeriod):
        raise InvalidInput(f"通报期间 {period!r} 不是 NoticePeriod")
    today = org.day_of(at)
    if today <= period.end:
        raise PeriodNotEnded(period, today)


@stable_topics("supervision-notice")
class SupervisionNotice(OfficeAggregate):
    """督查通报 one unit named for one period."""

    KIND = "督查通报"

    @staticmethod
    def create_id(unit: str, period: NoticePeriod) -> uuid.UUID:
        return uuid.uuid5(NOTICE_NAMESPACE, f"{unit}/{period.key()}")

    @classmethod
    def issue(
        cls,
        *,
        org: Organisation,
        unit: str,
        period: NoticePeriod,
        failures: Iterable[NoticedFailure],
        threshold: int = NOTICE_THRESHOLD,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> SupervisionNotice:
        """通报 name ``unit`` for its failures in ``period`` (at least ``threshold``)."""
        require_notice_issuer(org, period, by, at)
        named = UnitId(org.unit(unit).id)
        listed = sorted(failures, key=lambda f: (f.at, f.number))
        if any(not period.covers(org.day_of(f.at)) for f in listed):
            raise InvalidInput(f"通报所列事项须发生在「{period}」内 (failures outside the period)")
        if len(listed) < positive_int(threshold, "通报次数"):
            raise TooFewFailures(named, len(listed), threshold)
        return cls(
            unit=named,
            period=period,
            failures=listed,
            threshold=threshold,
            by=by,
            at=at,
        )

    @event("NoticeIssued")
    def __init__(
        self,
        *,
        unit: UnitId,
        period: NoticePeriod,
        failures: list[NoticedFailure],
        threshold: int,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        self.unit = unit
        self.period = period
        self.failures = tuple(failures)
        self.threshold = threshold
        self.issued_by = by
        self.issued_at = at

    @property
    def task_ids(self) -> tuple[uuid.UUID, ...]:
        """The tasks named, each once, in the order of their first failure."""
        return tuple(dict.fromkeys(uuid.UUID(f.task) for f in self.failures))

    def describe(self) -> str:
        """通报内容 the notice's text: the unit, the period and the failures named."""
        kinds = "、".join(f"{f.number}{f.kind.label}" for f in self.failures)
        return f"{self.unit} 在{self.period}完不成督办工作 {len(self.failures)} 次: {kinds}"


AUTHORITY = declare(
    "SupervisionNotice", {"NoticeIssued": step("督查通报", role(Role.SUPERVISION_OFFICER))}
)
