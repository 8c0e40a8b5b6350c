"""``office.rankings``: 排名 — the office's units ranked for a period by what they did.

Measures (:class:`Measure`), each per unit, each from the event log through a projection
(:mod:`govoffice.application.views`), and each judged as things stood at the period's end
(events dated after it do not count):

- **督办事项按期办结率** supervision on-time completion rate, per responsible unit (承办): the
  tasks closed out (销号) in the period on time (never overdue, the accepted report made by
  the deadline in force, as :attr:`SupervisionTask.on_time`) ÷ (the tasks closed out in the
  period + the tasks gone overdue by the period's end and still not closed out then). A
  split task's parts are tasks of their own units.
- **建议提案办复率** proposal reply rate, per lead unit (主办): of the items whose latest
  (re)assignment by the period's end falls in the period and names the unit, the share
  answered by the period's end. An item handled in parts (分办, ADR 0050) counts once for
  each of its lead units, as that unit's part: answered when that part is, rated by that
  part's latest reply.
- **建议提案满意率** proposal satisfaction rate, same items: of those whose latest reply by
  the period's end has been rated by then, the share rated 满意 or 基本满意, an item's rating
  being the lowest any proposer gave (as :class:`ProposalFigures`).
- **收文平均办理天数** incoming documents' average handling days, per lead unit (主办): the
  documents handled (办结) in the period, days from the assignment (分办) to the unit to
  办结, counted in calendar days of the recorded business times; lower is better.
- **会议考勤扣分** meeting attendance deductions, per unit: the meetings held in the period,
  every attendance entry of the unit's people scored by ``office.meetings.scoring``
  (:class:`AttendanceScoringTable`; only the kinds it counts); lower is better.
- **政务信息得分** information score: the sum of the monthly scores
  (``office.information.scoring``, [003 篇6 二(二)]) of the months lying wholly inside the
  period.
- **目标考评得分** target assessment score: the 折算分 (score on 100) of the year-end
  assessment (年终考评, [001 目标管理工作规程]) of the target table of each year lying wholly
  inside the period, as recorded by the assessment (usually made in the next January: the
  year's own figure, like a month's information figures reported the next month); over
  several years, their mean. A period without a whole assessed year has no figure.

A unit with nothing to count for a measure has no figure for it (not zero): it is not
ranked on that measure and is listed after the ranked units.

Order and ties (:class:`RankingRules`): units are ordered by the measure asked for (the
rules' first measure when none is), best first; units equal on it are ordered by the rules'
other measures in the rules' order (a unit without a figure after every unit with one);
units equal on every measure share the rank (1, 1, 3 — standard competition ranking) and
are listed by unit id.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
from eventsourcing.domain import CanMutateAggregate

from govoffice.application.typecheck import Facade
from govoffice.application.views import (
    Document,
    Projection,
    ViewReader,
    ViewTransaction,
    handles,
)
from govoffice.domain.errors import InvalidInput
from govoffice.domain.incoming import IncomingDocument
from govoffice.domain.information import (
    InformationReport,
    MonthFigures,
    UnitTier,
    month_bounds,
)
from govoffice.domain.meeting import Meeting
from govoffice.domain.meeting_rules import AttendanceFact
from govoffice.domain.organisation import Organisation
from govoffice.domain.proposal import Proposal, Rating
from govoffice.domain.supervision import SupervisionTask
from govoffice.domain.target import TargetTable
from govoffice.domain.values import LabelledEnum, UnitId, coerce_enum

if TYPE_CHECKING:
    from govoffice.application.office import Office

__all__ = [
    "DEFAULT_RANKING_RULES",
    "Figure",
    "InvalidPeriod",
    "Measure",
    "Period",
    "Ranking",
    "RankingRow",
    "RankingRules",
    "RankingService",
]


# --- measures -------------------------------------------------------------------------------


class Measure(LabelledEnum):
    """排名指标 what units are ranked by."""

    SUPERVISION_ON_TIME = "supervision_on_time", "督办事项按期办结率"
    PROPOSAL_REPLY = "proposal_reply", "建议提案办复率"
    PROPOSAL_SATISFACTION = "proposal_satisfaction", "建议提案满意率"
    INCOMING_DAYS = "incoming_days", "收文平均办理天数"
    ATTENDANCE_DEDUCTION = "attendance_deduction", "会议考勤扣分"
    INFORMATION_SCORE = "information_score", "政务信息得分"
    TARGET_SCORE = "target_score", "目标考评得分"

    @property
    def short(self) -> str:
        """A short column heading: 按期办结率, 办复率, 满意率, 办文天数, 考勤扣分, 信息得分,
        目标得分."""
        return _SHORT[self]

    @property
    def higher_is_better(self) -> bool:
        return self not in (Measure.INCOMING_DAYS, Measure.ATTENDANCE_DEDUCTION)

    @classmethod
    def parse(cls, value: object) -> Measure:
        """A member, its value (``incoming_days``) or its label (``收文平均办理天数``)."""
        return coerce_enum(cls, value, "排名指标")


_SHORT = {
    Measure.SUPERVISION_ON_TIME: "按期办结率",
    Measure.PROPOSAL_REPLY: "办复率",
    Measure.PROPOSAL_SATISFACTION: "满意率",
    Measure.INCOMING_DAYS: "办文天数",
    Measure.ATTENDANCE_DEDUCTION: "考勤扣分",
    Measure.INFORMATION_SCORE: "信息得分",
    Measure.TARGET_SCORE: "目标得分",
}


@attrs.frozen
class Figure:
    """指标值 one unit's figure on one measure: ``value`` (None: nothing to count), with what it
    rests on — ``part`` of ``whole`` for a rate; ``whole`` items (documents, attendance
    entries, months) for the others."""

    measure: Measure
    value: Fraction | None
    whole: int = 0
    part: int | None = None

    def text(self) -> str:
        """As a clerk reads it, with its basis: ``75.0% (3/4)``, ``2.5日 (4件)``,
        ``1.5分 (6人次)``, ``43分 (3个月)``, ``96.5分 (8项)``; ``—`` when there is nothing
        to count."""
        if self.value is None:
            return "—"
        m = self.measure
        if m in _RATES:
            return f"{self.short_text()} ({self.part}/{self.whole})"
        if m is Measure.INCOMING_DAYS:
            return f"{self.short_text()} ({self.whole}件)"
        unit = {Measure.ATTENDANCE_DEDUCTION: "人次", Measure.TARGET_SCORE: "项"}.get(m, "个月")
        return f"{self.short_text()} ({self.whole}{unit})"

    def short_text(self) -> str:
        """The value alone: ``75.0%``, ``2.5日``, ``1.5分``."""
        if self.value is None:
            return "—"
        if self.measure in _RATES:
            return f"{float(self.value) * 100:.1f}%"
        if self.measure is Measure.INCOMING_DAYS:
            return f"{float(self.value):.1f}日"
        return f"{_number(self.value)}分"

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else float(self.value),
            "part": self.part,
            "whole": self.whole,
            "text": self.text(),
        }


_RATES = (Measure.SUPERVISION_ON_TIME, Measure.PROPOSAL_REPLY, Measure.PROPOSAL_SATISFACTION)


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _rate(part: int, whole: int, measure: Measure) -> Figure:
    return Figure(measure, Fraction(part, whole) if whole else None, whole, part)


# --- period ---------------------------------------------------------------------------------


class InvalidPeriod(InvalidInput):
    """A ranking period that does not parse or does not make sense."""

    def __init__(self, value: object, reason: str) -> None:
        super().__init__(
            f"排名期间 {value!r} 不正确: {reason} "
            "(use 2026, 2026-Q1, 2026-03 or 2026-01-01..2026-06-30)",
            value=value,
            reason=reason,
        )


def _check_end(instance: Period, attribute: attrs.Attribute[date], end: date) -> None:
    if not isinstance(instance.start, date) or not isinstance(end, date):
        raise InvalidPeriod((instance.start, end), "起止须为日期")
    if end < instance.start:
        raise InvalidPeriod(f"{instance.start}..{end}", "结束早于开始")


@attrs.frozen
class Period:
    """排名期间 the days ``start`` to ``end``, both included: a year, a quarter, a month or
    an explicit range."""

    start: date
    end: date = attrs.field(validator=_check_end)
    label: str = ""

    @classmethod
    def year(cls, year: int) -> Period:
        _year(year, year)
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        _year(year, f"{year}-Q{quarter}")
        if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
            raise InvalidPeriod(f"{year}-Q{quarter}", "季度须为1-4")
        start = date(year, 3 * quarter - 2, 1)
        end = month_bounds(year, 3 * quarter)[1]
        return cls(start, end, f"{year}年第{quarter}季度")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        _year(year, f"{year}-{month}")
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise InvalidPeriod(f"{year}-{month}", "月份须为1-12")
        start, end = month_bounds(year, month)
        return cls(start, end, f"{year}年{month}月")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start, end, f"{start}至{end}")

    @classmethod
    def parse(cls, value: object) -> Period:
        """``2026`` (year), ``2026-Q1`` (quarter), ``2026-03`` (month) or
        ``2026-01-01..2026-06-30`` (both days included)."""
        if isinstance(value, Period):
            return value
        if not isinstance(value, str):
            raise InvalidPeriod(value, "须为文字")
        spec = value.strip()
        if m := re.fullmatch(r"(\d{4})", spec):
            return cls.year(int(m[1]))
        if m := re.fullmatch(r"(\d{4})-?[Qq](\d)", spec):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", spec):
            return cls.month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\S+)\s*\.\.\s*(\S+)", spec):
            return cls.between(_day(m[1], value), _day(m[2], value))
        raise InvalidPeriod(value, "无法识别")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[tuple[int, int]]:
        """The (year, month)s lying wholly inside the period."""
        found: list[tuple[int, int]] = []
        year, month = self.start.year, self.start.month
        while date(year, month, 1) <= self.end:
            first, last = month_bounds(year, month)
            if self.start <= first and last <= self.end:
                found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    def __str__(self) -> str:
        return self.label or f"{self.start}至{self.end}"


def _year(year: object, shown: object) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 9999:
        raise InvalidPeriod(shown, "年份须为1949-9999的四位数")


def _day(text: str, shown: object) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InvalidPeriod(shown, f"{text!r} 不是日期 (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidPeriod(shown, f"{text!r} 不是有效日期") from None
    _year(day.year, shown)
    return day


# --- rules ----------------------------------------------------------------------------------


def _order(value: Iterable[Measure | str]) -> tuple[Measure, ...]:
    if isinstance(value, str):
        raise InvalidInput("排名指标顺序须为列表 (expected a list of measures)")
    order = tuple(Measure.parse(m) for m in value)
    if not order or len(set(order)) != len(order):
        raise InvalidInput(
            f"排名指标顺序须至少一项且不重复,而不是 {[m.value for m in order]} "
            "(at least one measure, each once)"
        )
    return order


def _named(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{attribute.name} 不能为空 (must not be blank)")


@attrs.frozen
class RankingRules:
    """排名规则 (configuration, versioned): ``order`` is the measure ranked by when none is
    asked for (the first) and the tie-breakers, in turn (the others, skipping the one asked
    for). Units equal on every measure of the order share the rank and are listed by unit
    id. Replace ``office.rankings.rules`` with an agency's own order."""

    version: str = attrs.field(validator=_named)
    source: str = attrs.field(validator=_named)
    order: tuple[Measure, ...] = attrs.field(converter=_order)

    def sequence(self, measure: Measure | None = None) -> tuple[Measure, ...]:
        """The measures that order a ranking by ``measure``: it, then the tie-breakers."""
        primary = self.order[0] if measure is None else measure
        return (primary, *(m for m in self.order if m is not primary))


DEFAULT_RANKING_RULES = RankingRules(
    version="govoffice-default-2",
    source=(
        "domain brief §9 and issue 6: the measures; no seed fixes an order or a tie-break, "
        "so govoffice's default follows the order the brief lists them in; issue 13 adds "
        "the target assessment score last (ADR 0036)"
    ),
    order=(
        Measure.SUPERVISION_ON_TIME,
        Measure.PROPOSAL_REPLY,
        Measure.PROPOSAL_SATISFACTION,
        Measure.INCOMING_DAYS,
        Measure.ATTENDANCE_DEDUCTION,
        Measure.INFORMATION_SCORE,
        Measure.TARGET_SCORE,
    ),
)


# --- the result -----------------------------------------------------------------------------


@attrs.frozen
class RankingRow:
    """排名行 one unit's place: its rank (None: no figure on the measure ranked by) and its
    figures on every measure."""

    rank: int | None
    unit: str
    name: str
    figures: Mapping[Measure, Figure]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "unit": self.unit,
            "name": self.name,
            "figures": {m.value: f.as_dict() for m, f in self.figures.items()},
        }


@attrs.frozen
class Ranking:
    """排名 the units for ``period`` ordered by ``measure``, ties broken by ``tie_breakers``
    (:class:`RankingRules` ``rules_version``)."""

    period: Period
    measure: Measure
    tie_breakers: tuple[Measure, ...]
    rules_version: str
    rows: tuple[RankingRow, ...]

    def row(self, unit: str) -> RankingRow:
        for r in self.rows:
            if r.unit == unit:
                return r
        raise InvalidInput(f"排名中没有处室 {unit!r} (no such unit in the ranking)", unit=unit)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": {
                "label": str(self.period),
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "measure": self.measure.value,
            "tie_breakers": [m.value for m in self.tie_breakers],
            "rules_version": self.rules_version,
            "rows": [r.as_dict() for r in self.rows],
        }


# --- projections: per-record facts, and their totals per month --------------------------------


def _events(cls: type, *names: str) -> list[type[CanMutateAggregate[uuid.UUID]]]:
    """The event classes ``@event`` made on an aggregate (looked up by name: the decorator
    creates them, so type checkers cannot see them)."""
    return [getattr(cls, name) for name in names]


TOTALS = "totals"
"""The table of each facts view that keeps its counts per month (ADR 0052): key
``"{family}/{YYYY-MM}/{...}"``, a document of integer counts (the fields a bucket has)."""

Counts = dict[str, dict[str, int]]
"""A record's share of the totals: bucket key -> {field: count}."""


def _month(day: str) -> str:
    """``YYYY-MM`` of an ISO day."""
    return day[:7]


def _month_end(month: str) -> str:
    """The last day of a ``YYYY-MM`` month, ISO."""
    return month_bounds(int(month[:4]), int(month[5:7]))[1].isoformat()


def month_aligned(period: Period) -> bool:
    """A period of whole months (a month, a quarter, a year, or a range from a 1st to a
    month's last day): the totals per month give its figures."""
    return (
        period.start.day == 1 and period.end == month_bounds(period.end.year, period.end.month)[1]
    )


def _months_of(period: Period) -> list[str]:
    return [f"{y:04d}-{m:02d}" for y, m in period.months()]


class _Totalled(Projection):
    """A facts view that also keeps, per month, the sums of what its records count for,
    updated by each record's change: the old record's counts out, the new one's in, so the
    totals are always those of the records as they are (what a rebuild writes)."""

    table: ClassVar[str]

    def counts(self, doc: Mapping[str, Any]) -> Counts:
        raise NotImplementedError

    def _store(
        self, tx: ViewTransaction, key: str, old: Document | None, new: Document | None
    ) -> None:
        """Write (``new``) or delete (None) a record's row, and move the totals."""
        if new is None:
            tx.delete(self.view, self.table, key)
        else:
            tx.put(self.view, self.table, key, new)
        before = self.counts(old) if old is not None else {}
        after = self.counts(new) if new is not None else {}
        for bucket in sorted(before.keys() | after.keys()):
            was, now = before.get(bucket, {}), after.get(bucket, {})
            delta = {f: now.get(f, 0) - was.get(f, 0) for f in was.keys() | now.keys()}
            if not any(delta.values()):
                continue
            row = tx.get(self.view, TOTALS, bucket) or {}
            merged = {f: row.get(f, 0) + delta.get(f, 0) for f in row.keys() | delta.keys()}
            kept = {f: merged[f] for f in sorted(merged) if merged[f]}
            if kept:
                tx.put(self.view, TOTALS, bucket, kept)
            else:
                tx.delete(self.view, TOTALS, bucket)

    def _change(
        self, event: Any, tx: ViewTransaction, change: Callable[[dict[str, Any]], None]
    ) -> None:
        """Change the event's record row (if there is one) and the totals with it."""
        key = str(event.originator_id)
        old = tx.get(self.view, self.table, key)
        if old is not None:
            new = copy.deepcopy(dict(old))
            change(new)
            self._store(tx, key, old, new)

    @staticmethod
    def _in_months(
        views: ViewReader, view: str, family: str, months: Iterable[str]
    ) -> Iterator[tuple[str, Document]]:
        """The totals rows of ``family`` for these months: (the key after the month, row)."""
        for month in months:
            prefix = f"{family}/{month}/"
            for key, row in views.scan(view, TOTALS, prefix):
                yield key[len(prefix) :], row

    @staticmethod
    def _until(
        views: ViewReader, view: str, family: str, last: str
    ) -> Iterator[tuple[str, str, Document]]:
        """The totals rows of ``family`` for every month up to ``last`` (YYYY-MM): (month,
        the key after the month, row). Each family has a row per month and unit (and
        assignment month), so this grows with the months of history, not the records."""
        prefix = f"{family}/"
        for key, row in views.scan(view, TOTALS, prefix):
            month, _, rest = key[len(prefix) :].partition("/")
            if month <= last:
                yield month, rest, row


class SupervisionFacts(_Totalled):
    """督办事项视图 per task: the responsible unit, the first overdue day, the last report and
    the deadline it answered, the close-out day. Totals: the tasks closed out per month (and
    how many on time), gone overdue per month, and settled per month (closed out, having
    gone overdue: the later month of the two)."""

    name = "ranking-supervision"
    version = 2  # v2: totals per month (ADR 0052)
    table = "task"

    @handles(*_events(SupervisionTask, "Opened"))
    def opened(self, event: Any, tx: ViewTransaction) -> None:
        key = str(event.originator_id)
        doc = {"unit": event.lead_unit, "overdue": None, "reported": None, "due": None}
        self._store(tx, key, tx.get(self.view, self.table, key), doc)

    @handles(*_events(SupervisionTask, "WentOverdue"))
    def went_overdue(self, event: Any, tx: ViewTransaction) -> None:
        self._change(event, tx, lambda d: d.update(overdue=d["overdue"] or self.day_of(event)))

    @handles(*_events(SupervisionTask, "Completed"))
    def completed(self, event: Any, tx: ViewTransaction) -> None:
        self._change(
            event, tx, lambda d: d.update(reported=self.day_of(event), due=event.due.isoformat())
        )

    @handles(*_events(SupervisionTask, "ClosedOut"))
    def closed_out(self, event: Any, tx: ViewTransaction) -> None:
        self._change(event, tx, lambda d: d.update(closed=self.day_of(event)))

    def counts(self, doc: Mapping[str, Any]) -> Counts:
        unit, closed, overdue = doc["unit"], doc.get("closed"), doc["overdue"]
        found: Counts = {}
        if closed is not None:
            reported, due = doc["reported"], doc["due"]
            in_time = overdue is None and reported is not None and reported <= due
            found[f"closed/{_month(closed)}/{unit}"] = {"n": 1, "on_time": int(in_time)}
        if overdue is not None:
            found[f"overdue/{_month(overdue)}/{unit}"] = {"n": 1}
            if closed is not None:
                found[f"settled/{_month(max(overdue, closed))}/{unit}"] = {"n": 1}
        return found

    def figures(self, views: ViewReader, period: Period) -> dict[str, Figure]:
        """From every task (any period)."""
        start, end = period.start.isoformat(), period.end.isoformat()
        counted: dict[str, int] = defaultdict(int)
        on_time: dict[str, int] = defaultdict(int)
        for _, d in views.scan(self.view, "task"):
            closed = d.get("closed")
            if closed is not None and start <= closed <= end:
                counted[d["unit"]] += 1
                reported, due = d["reported"], d["due"]
                in_time = d["overdue"] is None and reported is not None and reported <= due
                on_time[d["unit"]] += in_time
            elif (closed is None or closed > end) and (d["overdue"] or "9999") <= end:
                counted[d["unit"]] += 1  # overdue by the period's end and still not closed out
        return {u: _rate(on_time[u], n, Measure.SUPERVISION_ON_TIME) for u, n in counted.items()}

    def totals(self, views: ViewReader, period: Period) -> dict[str, Figure]:
        """From the totals (a period of whole months): the tasks closed out in it, plus
        those gone overdue by its end less those of them settled by its end."""
        counted: dict[str, int] = defaultdict(int)
        on_time: dict[str, int] = defaultdict(int)
        for unit, row in self._in_months(views, self.view, "closed", _months_of(period)):
            counted[unit] += row.get("n", 0)
            on_time[unit] += row.get("on_time", 0)
        last = _month(period.end.isoformat())
        for family, sign in (("overdue", 1), ("settled", -1)):
            for _m, unit, row in self._until(views, self.view, family, last):
                counted[unit] += sign * row.get("n", 0)
        return {
            u: _rate(on_time[u], n, Measure.SUPERVISION_ON_TIME)
            for u, n in sorted(counted.items())
            if n
        }


ProposalStanding = tuple[str, str, int, int, int]
"""(the month of the item's latest assignment, the unit, replied, rated, satisfied)."""


def _proposal_state(doc: Mapping[str, Any], end: str) -> tuple[ProposalStanding, ...]:
    """An item as it stood at the end of day ``end``: one standing per lead unit (one for a
    single-lead item; one per part of an item handled in parts, ADR 0050, each answered and
    rated by its own part's latest reply), or none before it was assigned."""
    assigned = [a for a in doc["assignments"] if a[0] <= end]
    if not assigned:
        return ()
    latest_assignment = assigned[-1]
    month = _month(latest_assignment[0])
    split = latest_assignment[2] if len(latest_assignment) > 2 else None
    standings: list[ProposalStanding] = []
    for unit, part in [(u, u) for u in split] if split else [(latest_assignment[1], None)]:
        rounds = [r[0] for r in doc["replies"] if r[1] <= end and _part_of(r, 2) == part]
        if not rounds:
            standings.append((month, unit, 0, 0, 0))
            continue
        latest = max(rounds)
        ratings = [
            Rating(g[1])
            for g in doc["ratings"]
            if g[0] == latest and g[2] <= end and _part_of(g, 3) == part
        ]
        lowest = Rating.lowest(ratings)
        if lowest is None:
            standings.append((month, unit, 1, 0, 0))
        else:
            standings.append((month, unit, 1, 1, int(lowest.counts_as_satisfied)))
    return tuple(standings)


def _part_of(row: list[Any], at: int) -> str | None:
    """The part a stored reply or rating row is of (None: a single-lead item, or a row
    written before 分办)."""
    return row[at] if len(row) > at else None


class ProposalFacts(_Totalled):
    """建议提案视图 per item: its (re)assignments (day, lead unit, the lead units of an item
    handled in parts), replies (round, day, part) and ratings (round, rating, day, part);
    the part is None for a single-lead item (ADR 0050). Totals: for each month an item's standing changes (as of
    that month's end), the change — its old standing out, its new one in — under the month
    of its latest assignment and its unit; summed up to a month's end they give every item's
    standing then."""

    name = "ranking-proposals"
    version = 2  # v2: totals per month (ADR 0052)
    table = "item"

    @handles(*_events(Proposal, "Assigned", "Reassigned"))
    def assigned(self, event: Any, tx: ViewTransaction) -> None:
        parts = getattr(event, "parts", None)  # absent from events recorded before 分办
        units = [p.unit for p in parts] if parts else None
        self._add(event, tx, "assignments", [self.day_of(event), event.lead_unit, units])

    @handles(*_events(Proposal, "Replied"))
    def replied(self, event: Any, tx: ViewTransaction) -> None:
        part = getattr(event, "part", None)
        self._add(event, tx, "replies", [event.round, self.day_of(event), part])

    @handles(*_events(Proposal, "FeedbackReceived"))
    def rated(self, event: Any, tx: ViewTransaction) -> None:
        part = getattr(event, "part", None)
        self._add(event, tx, "ratings", [event.round, event.rating.value, self.day_of(event), part])

    def _add(self, event: Any, tx: ViewTransaction, field: str, entry: list[Any]) -> None:
        key = str(event.originator_id)
        old = tx.get(self.view, self.table, key)
        new = copy.deepcopy(dict(old)) if old else {"assignments": [], "replies": [], "ratings": []}
        new[field].append(entry)
        self._store(tx, key, old, new)

    def counts(self, doc: Mapping[str, Any]) -> Counts:
        days = {a[0] for a in doc["assignments"]}
        days |= {r[1] for r in doc["replies"]}
        days |= {g[2] for g in doc["ratings"]}
        found: Counts = {}

        def add(month: str, state: tuple[str, str, int, int, int], sign: int) -> None:
            assigned, unit, replied, rated, satisfied = state
            bucket = found.setdefault(f"proposal/{month}/{assigned}/{unit}", {})
            for field, value in (
                ("items", 1),
                ("replied", replied),
                ("rated", rated),
                ("satisfied", satisfied),
            ):
                bucket[field] = bucket.get(field, 0) + sign * value

        previous: tuple[ProposalStanding, ...] = ()
        for month in sorted({_month(d) for d in days}):
            state = _proposal_state(doc, _month_end(month))
            if state == previous:
                continue
            for standing in previous:
                add(month, standing, -1)
            for standing in state:
                add(month, standing, 1)
            previous = state
        return found

    def figures(
        self, views: ViewReader, period: Period
    ) -> tuple[dict[str, Figure], dict[str, Figure]]:
        """From every item (any period)."""
        start, end = period.start.isoformat(), period.end.isoformat()
        items: dict[str, int] = defaultdict(int)
        replied: dict[str, int] = defaultdict(int)
        rated: dict[str, int] = defaultdict(int)
        satisfied: dict[str, int] = defaultdict(int)
        for _, d in views.scan(self.view, "item"):
            assigned = [a for a in d["assignments"] if a[0] <= end]
            if not assigned or not start <= assigned[-1][0]:
                continue
            latest_assignment = assigned[-1]
            split = latest_assignment[2] if len(latest_assignment) > 2 else None
            for unit, part in [(u, u) for u in split] if split else [(latest_assignment[1], None)]:
                items[unit] += 1
                rounds = [r[0] for r in d["replies"] if r[1] <= end and _part_of(r, 2) == part]
                if not rounds:
                    continue
                replied[unit] += 1
                latest = max(rounds)
                ratings = [
                    Rating(g[1])
                    for g in d["ratings"]
                    if g[0] == latest and g[2] <= end and _part_of(g, 3) == part
                ]
                lowest = Rating.lowest(ratings)
                if lowest is not None:
                    rated[unit] += 1
                    satisfied[unit] += lowest.counts_as_satisfied
        reply = {u: _rate(replied[u], n, Measure.PROPOSAL_REPLY) for u, n in items.items()}
        satisfaction = {
            u: _rate(satisfied[u], n, Measure.PROPOSAL_SATISFACTION) for u, n in rated.items()
        }
        return reply, satisfaction

    def totals(
        self, views: ViewReader, period: Period
    ) -> tuple[dict[str, Figure], dict[str, Figure]]:
        """From the totals (a period of whole months): the changes up to its last month,
        of the items last assigned in its months."""
        first = _month(period.start.isoformat())
        sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for _m, rest, row in self._until(
            views, self.view, "proposal", _month(period.end.isoformat())
        ):
            assigned, _, unit = rest.partition("/")
            if assigned < first:
                continue
            for field, value in row.items():
                sums[unit][field] += value
        reply = {
            u: _rate(s["replied"], s["items"], Measure.PROPOSAL_REPLY)
            for u, s in sorted(sums.items())
            if s["items"]
        }
        satisfaction = {
            u: _rate(s["satisfied"], s["rated"], Measure.PROPOSAL_SATISFACTION)
            for u, s in sorted(sums.items())
            if s["rated"]
        }
        return reply, satisfaction


class IncomingFacts(_Totalled):
    """收文视图 per document: the lead unit and day of its latest assignment (分办), and the
    day it was handled (办结). Totals: per month handled and lead unit, the documents and
    their days."""

    name = "ranking-incoming"
    version = 2  # v2: totals per month (ADR 0052)
    table = "document"

    @handles(*_events(IncomingDocument, "Assigned"))
    def assigned(self, event: Any, tx: ViewTransaction) -> None:
        key = str(event.originator_id)
        doc = {"unit": event.lead_unit, "assigned": self.day_of(event), "handled": None}
        self._store(tx, key, tx.get(self.view, self.table, key), doc)

    @handles(*_events(IncomingDocument, "SentBack"))
    def sent_back(self, event: Any, tx: ViewTransaction) -> None:
        if event.returned_to is not None:  # the lead unit sent it back: no lead until reassigned
            key = str(event.originator_id)
            old = tx.get(self.view, self.table, key)
            if old is not None:
                self._store(tx, key, old, None)

    @handles(*_events(IncomingDocument, "Handled"))
    def handled(self, event: Any, tx: ViewTransaction) -> None:
        self._change(event, tx, lambda d: d.update(handled=self.day_of(event)))

    def counts(self, doc: Mapping[str, Any]) -> Counts:
        if doc["unit"] is None or doc["handled"] is None:
            return {}
        days = (date.fromisoformat(doc["handled"]) - date.fromisoformat(doc["assigned"])).days
        return {f"incoming/{_month(doc['handled'])}/{doc['unit']}": {"n": 1, "days": days}}

    def figures(self, views: ViewReader, period: Period) -> dict[str, Figure]:
        """From every document (any period)."""
        days: dict[str, list[int]] = defaultdict(list)
        for _, d in views.scan(self.view, "document"):
            if d["unit"] is None or d["handled"] is None:
                continue
            handled = date.fromisoformat(d["handled"])
            if period.covers(handled):
                days[d["unit"]].append((handled - date.fromisoformat(d["assigned"])).days)
        return {
            u: Figure(Measure.INCOMING_DAYS, Fraction(sum(n), len(n)), len(n))
            for u, n in days.items()
        }

    def totals(self, views: ViewReader, period: Period) -> dict[str, Figure]:
        """From the totals (a period of whole months)."""
        n: dict[str, int] = defaultdict(int)
        days: dict[str, int] = defaultdict(int)
        for unit, row in self._in_months(views, self.view, "incoming", _months_of(period)):
            n[unit] += row.get("n", 0)
            days[unit] += row.get("days", 0)
        return {
            u: Figure(Measure.INCOMING_DAYS, Fraction(days[u], count), count)
            for u, count in sorted(n.items())
            if count
        }


class AttendanceFacts(_Totalled):
    """会议考勤视图 per meeting: its kind code, the day it was held, every invitee's unit and
    attendance facts. Totals: per month held and unit, how many entries of each (kind,
    facts) — scored when asked, by the scoring table in force then."""

    name = "ranking-attendance"
    version = 2  # v2: totals per month (ADR 0052)
    table = "meeting"

    @handles(*_events(Meeting, "Planned", "Requested"))
    def created(self, event: Any, tx: ViewTransaction) -> None:
        key = str(event.originator_id)
        doc = {"kind": event.kind.value, "held": None, "entries": []}
        self._store(tx, key, tx.get(self.view, self.table, key), doc)

    @handles(*_events(Meeting, "Held"))
    def held(self, event: Any, tx: ViewTransaction) -> None:
        self._change(event, tx, lambda d: d.update(held=self.day_of(event)))

    @handles(*_events(Meeting, "AttendanceRecorded"))
    def attendance(self, event: Any, tx: ViewTransaction) -> None:
        entries = [[e.unit, [f.value for f in e.facts]] for e in event.entries]
        self._change(event, tx, lambda d: d.update(entries=entries))

    def counts(self, doc: Mapping[str, Any]) -> Counts:
        if doc["held"] is None:
            return {}
        found: Counts = {}
        for unit, facts in doc["entries"]:
            bucket = found.setdefault(f"attendance/{_month(doc['held'])}/{unit}", {})
            entry = json.dumps([doc["kind"], facts], ensure_ascii=False)
            bucket[entry] = bucket.get(entry, 0) + 1
        return found

    def figures(self, views: ViewReader, period: Period, office: Office) -> dict[str, Figure]:
        """From every meeting (any period)."""
        table = office.meetings.scoring
        start, end = period.start.isoformat(), period.end.isoformat()
        points: dict[str, Decimal] = defaultdict(Decimal)
        entries: dict[str, int] = defaultdict(int)
        for _, d in views.scan(self.view, "meeting"):
            if d["held"] is None or not start <= d["held"] <= end:
                continue
            if d["kind"] not in table.counted_kinds:
                continue
            for unit, facts in d["entries"]:
                entries[unit] += 1
                points[unit] += table.score((d["kind"], AttendanceFact(f)) for f in facts)
        return {
            u: Figure(Measure.ATTENDANCE_DEDUCTION, Fraction(points[u]), n)
            for u, n in entries.items()
        }

    def totals(self, views: ViewReader, period: Period, office: Office) -> dict[str, Figure]:
        """From the totals (a period of whole months)."""
        table = office.meetings.scoring
        points: dict[str, Decimal] = defaultdict(Decimal)
        entries: dict[str, int] = defaultdict(int)
        scores: dict[str, Decimal | None] = {}  # an entry's score (None: kind not counted)
        for unit, row in self._in_months(views, self.view, "attendance", _months_of(period)):
            for entry, count in row.items():
                if entry not in scores:
                    kind, facts = json.loads(entry)
                    scores[entry] = (
                        table.score((kind, AttendanceFact(f)) for f in facts)
                        if kind in table.counted_kinds
                        else None
                    )
                score = scores[entry]
                if score is None:
                    continue
                entries[unit] += count
                points[unit] += score * count
        return {
            u: Figure(Measure.ATTENDANCE_DEDUCTION, Fraction(points[u]), n)
            for u, n in sorted(entries.items())
        }


class InformationFacts(Projection):
    """政务信息视图 per unit and month: the tier, target, items submitted, items adopted (by
    number), adoptions."""

    name = "ranking-information"
    version = 2  # v2: the months also keyed by month (ADR 0052)

    @handles(*_events(InformationReport, "Opened"))
    def opened(self, event: Any, tx: ViewTransaction) -> None:
        self._put(
            tx,
            str(event.originator_id),
            {
                "unit": event.unit,
                "year": event.year,
                "month": event.month,
                "tier": event.tier.value,
                "target": None,
                "submitted": 0,
                "adopted": [],
                "adoptions": 0,
            },
        )

    @handles(*_events(InformationReport, "TargetSet"))
    def target_set(self, event: Any, tx: ViewTransaction) -> None:
        self._update(event, tx, lambda d: d.update(target=event.target, tier=event.tier.value))

    @handles(*_events(InformationReport, "ItemSubmitted"))
    def submitted(self, event: Any, tx: ViewTransaction) -> None:
        self._update(event, tx, lambda d: d.update(submitted=d["submitted"] + 1))

    @handles(*_events(InformationReport, "ItemAdopted"))
    def adopted(self, event: Any, tx: ViewTransaction) -> None:
        def change(d: dict[str, Any]) -> None:
            d["adoptions"] += 1
            if event.number not in d["adopted"]:
                d["adopted"].append(event.number)

        self._update(event, tx, change)

    def _update(
        self, event: Any, tx: ViewTransaction, change: Callable[[dict[str, Any]], None]
    ) -> None:
        key = str(event.originator_id)
        doc = tx.get(self.view, "month", key)
        if doc is not None:
            change(doc)
            self._put(tx, key, doc)

    def _put(self, tx: ViewTransaction, key: str, doc: dict[str, Any]) -> None:
        """The report's month by its id, and again under ``YYYY-MM/id`` (by_month), which a
        period's figures read."""
        tx.put(self.view, "month", key, doc)
        tx.put(self.view, "by_month", f"{doc['year']:04d}-{doc['month']:02d}/{key}", doc)

    def figures(self, views: ViewReader, period: Period, office: Office) -> dict[str, Figure]:
        """From the months of the period only (by_month)."""
        table = office.information.scoring
        points: dict[str, Decimal] = defaultdict(Decimal)
        counted: dict[str, int] = defaultdict(int)
        for month in _months_of(period):
            for _, d in views.scan(self.view, "by_month", f"{month}/"):
                figures = MonthFigures(
                    target=d["target"],
                    submitted=d["submitted"],
                    adopted_items=len(d["adopted"]),
                    adoptions=d["adoptions"],
                    tier=UnitTier(d["tier"]),
                )
                points[d["unit"]] += table.score(figures).total
                counted[d["unit"]] += 1
        return {
            u: Figure(Measure.INFORMATION_SCORE, Fraction(points[u]), n) for u, n in counted.items()
        }


class TargetFacts(Projection):
    """目标考评视图 per year: the year-end assessment's score on 100 (折算分) and the number of
    indicators of each assessed unit."""

    name = "ranking-targets"

    @handles(*_events(TargetTable, "Drafted"))
    def drafted(self, event: Any, tx: ViewTransaction) -> None:
        tx.put(self.view, "table", str(event.originator_id), {"year": event.year})

    @handles(*_events(TargetTable, "Assessed"))
    def assessed(self, event: Any, tx: ViewTransaction) -> None:
        key = str(event.originator_id)
        doc = tx.get(self.view, "table", key)
        if doc is not None:
            doc["scores"] = [[s.unit, str(s.rate), s.indicators] for s in event.scores]
            tx.put(self.view, "table", key, doc)

    def figures(self, views: ViewReader, period: Period) -> dict[str, Figure]:
        rates: dict[str, list[Fraction]] = defaultdict(list)
        indicators: dict[str, int] = defaultdict(int)
        for _, d in views.scan(self.view, "table"):
            year = d["year"]
            if "scores" not in d or not (
                period.start <= date(year, 1, 1) and date(year, 12, 31) <= period.end
            ):
                continue
            for unit, rate, n in d["scores"]:
                rates[unit].append(Fraction(Decimal(rate)))
                indicators[unit] += n
        return {
            u: Figure(Measure.TARGET_SCORE, sum(r, Fraction(0)) / len(r), indicators[u])
            for u, r in rates.items()
        }


# --- the service ------------------------------------------------------------------------------


class RankingService(Facade):
    """排名: ``rank(period, measure=None)`` orders the office's units by a measure, with the
    ties broken as ``rules`` (:class:`RankingRules`) say. Reads the views
    (``office.views``), which it brings up to date first."""

    def __init__(self, office: Office, *, rules: RankingRules = DEFAULT_RANKING_RULES) -> None:
        self.office = office
        self.rules = rules
        self.supervision = SupervisionFacts()
        self.proposals = ProposalFacts()
        self.incoming = IncomingFacts()
        self.attendance = AttendanceFacts()
        self.information = InformationFacts()
        self.targets = TargetFacts()
        self._projections: list[Projection] = [
            self.supervision,
            self.proposals,
            self.incoming,
            self.attendance,
            self.information,
            self.targets,
        ]
        office.views.projections.extend(self._projections)

    def figures(self, period: Period | str) -> dict[Measure, dict[str, Figure]]:
        """Every measure's figures for ``period``, per unit that has one. A period of whole
        months (a month, a quarter, a year) reads the totals kept per month, so its cost
        does not grow with the office's history; any other range reads every record's row
        (ADR 0052). Both give the same figures."""
        when = Period.parse(period)
        self.office.views.catch_up(only=self._projections)
        return self._figures(when, totals=month_aligned(when))

    def _figures(self, when: Period, *, totals: bool) -> dict[Measure, dict[str, Figure]]:
        views = self.office.views.store
        if totals:
            reply, satisfaction = self.proposals.totals(views, when)
            supervision = self.supervision.totals(views, when)
            incoming = self.incoming.totals(views, when)
            attendance = self.attendance.totals(views, when, self.office)
        else:
            reply, satisfaction = self.proposals.figures(views, when)
            supervision = self.supervision.figures(views, when)
            incoming = self.incoming.figures(views, when)
            attendance = self.attendance.figures(views, when, self.office)
        return {
            Measure.SUPERVISION_ON_TIME: supervision,
            Measure.PROPOSAL_REPLY: reply,
            Measure.PROPOSAL_SATISFACTION: satisfaction,
            Measure.INCOMING_DAYS: incoming,
            Measure.ATTENDANCE_DEDUCTION: attendance,
            Measure.INFORMATION_SCORE: self.information.figures(views, when, self.office),
            Measure.TARGET_SCORE: self.targets.figures(views, when),
        }

    def rank(self, period: Period | str, measure: Measure | str | None = None) -> Ranking:
        """排名 the units for ``period`` by ``measure`` (the rules' first when None)."""
        when = Period.parse(period)
        primary = None if measure is None else Measure.parse(measure)
        rules = self.rules
        if not isinstance(rules, RankingRules):
            raise InvalidInput(f"排名规则 {rules!r} 不是 RankingRules")
        order = rules.sequence(primary)
        figures = self.figures(when)
        org = self._org()
        units = sorted(set(org.units) | {u for per in figures.values() for u in per})
        rows = [
            (
                unit,
                {m: figures[m].get(unit) or Figure(m, None) for m in Measure},
            )
            for unit in units
        ]
        return Ranking(
            period=when,
            measure=order[0],
            tie_breakers=order[1:],
            rules_version=rules.version,
            rows=tuple(_ranked(rows, order, org)),
        )

    def _org(self) -> Organisation:
        return self.office.org._org()  # only read: the cached organisation, not a copy


def _key(figures: Mapping[Measure, Figure], order: Sequence[Measure]) -> tuple[Any, ...]:
    """Best first: a figure before none; higher first where higher is better."""
    key: list[Any] = []
    for m in order:
        value = figures[m].value
        if value is None:
            key.append((1, Fraction(0)))
        else:
            key.append((0, -value if m.higher_is_better else value))
    return tuple(key)


def _ranked(
    rows: Sequence[tuple[str, Mapping[Measure, Figure]]],
    order: Sequence[Measure],
    org: Organisation,
) -> Iterator[RankingRow]:
    ordered = sorted(rows, key=lambda r: (_key(r[1], order), r[0]))
    previous: tuple[Any, ...] | None = None
    rank = 0
    for position, (unit, figures) in enumerate(ordered, start=1):
        key = _key(figures, order)
        if key != previous:
            rank, previous = position, key
        known = org.units.get(UnitId(unit))
        name = known.name if known is not None else unit
        placed = rank if figures[order[0]].value is not None else None
        yield RankingRow(placed, unit, name, dict(figures))
