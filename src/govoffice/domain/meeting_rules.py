"""会议规则 — three pure, table-driven meeting policies.

1. 会议费与会议规模标准: the days, headcount and cost envelope a meeting may ask for, as rule
   tables chosen by jurisdiction and effective date. Shipped: the seed's 丙类 table
   [001 会议管理 五(三)2-4] as the default, and the central 财行〔2016〕214号 table.
2. 主席台座次: who sits where on the rostrum, centre first, then left and right alternately
   [001 会议的座次安排], behind a `SeatingPolicy` protocol an agency may replace.
3. 会风会纪考核扣分: points deducted for absence, leave, substitution, lateness and leaving
   early at the meetings tied to the performance score [000 范文6 五 6].

Nothing here records anything: the meeting aggregate calls these and records the outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

import attrs

from govoffice.domain.errors import InvalidInput, RuleViolation
from govoffice.domain.values import LabelledEnum, PersonId

__all__ = [
    "CENTRAL_2016_LIMITS",
    "CENTRAL_JURISDICTION",
    "DEFAULT_LIMITS",
    "DEFAULT_SEATING",
    "QUARTERLY_MEETING",
    "SEED_ATTENDANCE_SCORING",
    "SEED_JURISDICTION",
    "SEED_LIMITS",
    "SYSTEM_MEETING",
    "AttendanceFact",
    "AttendanceScoringTable",
    "CategoryNotInTable",
    "CentreOutSeating",
    "LimitBreach",
    "LimitKind",
    "LimitRegistry",
    "LimitTable",
    "MeetingCategory",
    "MeetingFigures",
    "MeetingForm",
    "MeetingLimit",
    "MeetingLimitExceeded",
    "NoLimitTable",
    "NotOnRostrum",
    "SeatingChart",
    "SeatingPolicy",
    "VideoRule",
    "check_meeting",
]


# --- shared value checks -----------------------------------------------------------------


def _decimal(value: Decimal | int | str) -> Decimal:
    """An exact amount (yuan, days, points); floats are refused, they are not exact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(
            f"数值 {value!r} 须为整数、Decimal 或数字文字 (expected an exact number, not a float)",
            value=value,
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InvalidInput(f"数值 {value!r} 不是有限的数字 (not a finite number)", value=value)
    return number


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not value > 0:
        raise InvalidInput(
            f"{attribute.name} 必须大于0,而不是 {value} (must be positive)",
            what=attribute.name,
            value=value,
        )


def _not_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value < 0:
        raise InvalidInput(
            f"{attribute.name} 不能为负数,而不是 {value} (must not be negative)",
            what=attribute.name,
            value=value,
        )


def _figure(value: Decimal) -> str:
    """A Decimal as a clerk writes it: ``550``, ``0.5``, ``11000`` (no exponent, no trailing 0)."""
    return f"{value.normalize():f}"


# --- 1. 会议费与会议规模标准 ----------------------------------------------------------------


class MeetingCategory(LabelledEnum):
    """会议类别 — the class of a meeting, which picks its limits in a `LimitTable`.

    ``CLASS_1``..``CLASS_4`` are the 一类..四类 of 财行〔2016〕214号; ``C`` is the 丙类 of the
    seed's 部局会议管理办法 (办〔2014〕167号), the class of the bureau's own administrative and
    business meetings (研讨会、座谈会、审查会) [001 会议管理 五(三)2].
    """

    CLASS_1 = "class_1", "一类会议"
    CLASS_2 = "class_2", "二类会议"
    CLASS_3 = "class_3", "三类会议"
    CLASS_4 = "class_4", "四类会议"
    C = "c", "丙类会议"


class MeetingForm(LabelledEnum):
    """会议形式 — held in a room, or by video (视频会议, preferred where possible [001 五(二)5])."""

    IN_PERSON = "in_person", "现场会议"
    VIDEO = "video", "视频会议"


class LimitKind(LabelledEnum):
    """限额项目 — which of a meeting's limits a plan exceeds."""

    DAYS = "days", "会期"
    PARTICIPANTS = "participants", "参会人数"
    COST = "cost", "会议费综合定额"
    LODGING_AND_MEALS = "lodging_and_meals", "住宿费和伙食费"


@attrs.frozen
class MeetingLimit:
    """会议标准 — the limits of one meeting category: days, headcount, cost per person-day.

    ``None`` for days or headcount means "as approved" (一类会议 按批准文件): no fixed figure
    to check. The cost cap is one envelope (综合定额) per person per day for all items
    together — lodging, meals, venue, transport, printing, medical — which may be traded off
    against each other [001 五(三)4(2)].
    """

    category: MeetingCategory
    max_days: Decimal | None = attrs.field(
        converter=attrs.converters.optional(_decimal), validator=_positive
    )
    max_participants: int | None = attrs.field(validator=_positive)
    cost_cap_per_person_day: Decimal = attrs.field(converter=_decimal, validator=_positive)
    lodging_and_meals_allowed: bool = True


@attrs.frozen
class VideoRule:
    """视频会议规则 — a video meeting lasts at most ``max_days`` and claims no lodging or
    meal costs (不得报销房租费和伙食补助费) [001 五(三)3, 4(4)]."""

    max_days: Decimal = attrs.field(converter=_decimal, validator=_positive)


class CategoryNotInTable(InvalidInput):
    """The meeting's category has no limits in the applicable table."""

    def __init__(self, category: MeetingCategory, table: LimitTable) -> None:
        super().__init__(
            f"{table.source} 没有{category.label}的标准 (no limits for this category in the table)",
            category=category,
            jurisdiction=table.jurisdiction,
            source=table.source,
        )


@attrs.frozen
class LimitTable:
    """会议费标准表 — one jurisdiction's meeting limits from an effective date, with its source.

    Provinces and agencies set their own figures (e.g. 福建 500/400/350); each set is one
    table, and a newer table for the same jurisdiction supersedes an older one from its
    ``effective_from``. ``video`` is the jurisdiction's video-meeting rule, if it has one.
    """

    jurisdiction: str
    effective_from: date
    source: str
    limits: tuple[MeetingLimit, ...]
    video: VideoRule | None = None

    def __attrs_post_init__(self) -> None:
        categories = [limit.category for limit in self.limits]
        if not categories or len(set(categories)) != len(categories):
            raise InvalidInput(
                f"{self.source}: 每个会议类别须恰有一条标准 "
                "(a limit table needs one limit per category, at least one)",
                source=self.source,
                categories=tuple(categories),
            )

    def limit_for(self, category: MeetingCategory) -> MeetingLimit:
        """The limits of this category; `CategoryNotInTable` if the table has none."""
        for limit in self.limits:
            if limit.category is category:
                return limit
        raise CategoryNotInTable(category, self)


class NoLimitTable(RuleViolation):
    """No meeting-limit table of the jurisdiction was in force on the date."""

    def __init__(self, jurisdiction: str, on: date) -> None:
        super().__init__(
            f"{jurisdiction} 在 {on} 没有生效的会议费标准 (no meeting-limit table in force)",
            jurisdiction=jurisdiction,
            on=on,
        )


@attrs.frozen
class LimitRegistry:
    """会议费标准库 — the limit tables known to the office, by jurisdiction and date."""

    tables: tuple[LimitTable, ...]

    def __attrs_post_init__(self) -> None:
        keys = [(t.jurisdiction, t.effective_from) for t in self.tables]
        if len(set(keys)) != len(keys):
            raise InvalidInput(
                "同一辖区同一生效日期有多张会议费标准表 "
                "(two limit tables for the same jurisdiction and effective date)",
                keys=tuple(keys),
            )

    def table_for(self, jurisdiction: str, on: date) -> LimitTable:
        """The jurisdiction's table in force on ``on``: the latest ``effective_from <= on``."""
        if isinstance(on, datetime):
            raise InvalidInput(
                f"{on!r} 须为日期而非日期时间 (pass the calendar date of the meeting)", value=on
            )
        in_force = [
            t for t in self.tables if t.jurisdiction == jurisdiction and t.effective_from <= on
        ]
        if not in_force:
            raise NoLimitTable(jurisdiction, on)
        return max(in_force, key=lambda t: t.effective_from)


SEED_JURISDICTION = "本局"
"""The seed agency's own rules [001 办公室工作手册]."""

CENTRAL_JURISDICTION = "中央和国家机关"

SEED_LIMITS = LimitTable(
    jurisdiction=SEED_JURISDICTION,
    effective_from=date(2017, 7, 1),  # the handbook's date (2017年7月)
    source="局办公室工作手册(2017年7月)会议管理工作规程 五(三)2-4 (依据办〔2014〕167号)",
    limits=(MeetingLimit(MeetingCategory.C, 1, 50, 550),),
    video=VideoRule(Decimal("0.5")),
)
"""丙类 at most 1 day and 50 participants, 550 yuan per person per day for all items; video
meetings within half a day and without lodging or meals [001 会议管理 五(三)3-4]."""

CENTRAL_2016_LIMITS = LimitTable(
    jurisdiction=CENTRAL_JURISDICTION,
    effective_from=date(2016, 7, 1),
    source="《中央和国家机关会议费管理办法》(财行〔2016〕214号)",
    limits=(
        MeetingLimit(MeetingCategory.CLASS_1, None, None, 760),
        MeetingLimit(MeetingCategory.CLASS_2, 2, 300, 650),
        MeetingLimit(MeetingCategory.CLASS_3, 2, 150, 550),
        MeetingLimit(MeetingCategory.CLASS_4, 2, 50, 550),
    ),
)
"""一类 760, 二类 650, 三类/四类 550 yuan per person per day. 二至四类 at most 2 days and
300 / 150 / 50 participants; 一类's days and headcount are set by its approval (按批准文件
严格控制), so they are not checked here. The rules give no video-meeting figure."""

DEFAULT_LIMITS = LimitRegistry((SEED_LIMITS, CENTRAL_2016_LIMITS))


@attrs.frozen
class MeetingFigures:
    """会议计划数字 — what a meeting plan or request (签报) asks for.

    ``budget`` is the whole meeting cost in yuan; ``lodging`` and ``meals`` are the 住宿费 and
    伙食费 items inside it. Days may be fractional (half a day is ``Decimal("0.5")``).
    """

    category: MeetingCategory
    form: MeetingForm
    days: Decimal = attrs.field(converter=_decimal, validator=_positive)
    participants: int = attrs.field(validator=_positive)
    budget: Decimal = attrs.field(converter=_decimal, validator=_not_negative)
    lodging: Decimal = attrs.field(default=Decimal(0), converter=_decimal, validator=_not_negative)
    meals: Decimal = attrs.field(default=Decimal(0), converter=_decimal, validator=_not_negative)

    def __attrs_post_init__(self) -> None:
        if self.lodging + self.meals > self.budget:
            raise InvalidInput(
                f"住宿费与伙食费合计 {_figure(self.lodging + self.meals)} 元超过会议预算 "
                f"{_figure(self.budget)} 元 (cost items exceed the total budget)",
                lodging=self.lodging,
                meals=self.meals,
                budget=self.budget,
            )


@attrs.frozen
class LimitBreach:
    """超标项 — one limit a meeting plan exceeds: which, the allowed and the asked value."""

    limit: LimitKind
    allowed: Decimal
    asked: Decimal
    description: str

    def __str__(self) -> str:
        return self.description


class MeetingLimitExceeded(RuleViolation):
    """A meeting plan exceeds its limits and no exception was approved [001 五(三)3-4]."""

    breaches: tuple[LimitBreach, ...]
    source: str

    def __init__(self, breaches: Iterable[LimitBreach], source: str) -> None:
        breaches = tuple(breaches)
        super().__init__(
            f"会议超出标准({source}): {';'.join(b.description for b in breaches)} "
            "(meeting exceeds the limits; needs an approved exception)",
            breaches=breaches,
            source=source,
        )


def check_meeting(plan: MeetingFigures, table: LimitTable) -> tuple[LimitBreach, ...]:
    """审核会议标准 — every limit of ``table`` that ``plan`` exceeds; empty when within all.

    Days are checked against the category's limit, or the video rule's when it is tighter;
    the cost against cap × participants × days; lodging and meals against the video rule
    and the category's ``lodging_and_meals_allowed``.
    """
    limit = table.limit_for(plan.category)
    video = table.video if plan.form is MeetingForm.VIDEO else None
    breaches: list[LimitBreach] = []

    max_days, whose = limit.max_days, plan.category.label
    if video is not None and (max_days is None or video.max_days < max_days):
        max_days, whose = video.max_days, MeetingForm.VIDEO.label
    if max_days is not None and plan.days > max_days:
        breaches.append(
            LimitBreach(
                LimitKind.DAYS,
                max_days,
                plan.days,
                f"{whose}会期不超过{_figure(max_days)}天,计划{_figure(plan.days)}天",
            )
        )

    if limit.max_participants is not None and plan.participants > limit.max_participants:
        breaches.append(
            LimitBreach(
                LimitKind.PARTICIPANTS,
                Decimal(limit.max_participants),
                Decimal(plan.participants),
                f"{plan.category.label}参会人数不超过{limit.max_participants}人,"
                f"计划{plan.participants}人",
            )
        )

    envelope = limit.cost_cap_per_person_day * plan.participants * plan.days
    if plan.budget > envelope:
        breaches.append(
            LimitBreach(
                LimitKind.COST,
                envelope,
                plan.budget,
                f"会议费综合定额每人每天{_figure(limit.cost_cap_per_person_day)}元,"
                f"{plan.participants}人×{_figure(plan.days)}天上限{_figure(envelope)}元,"
                f"预算{_figure(plan.budget)}元",
            )
        )

    lodging_and_meals = plan.lodging + plan.meals
    if lodging_and_meals > 0 and (video is not None or not limit.lodging_and_meals_allowed):
        whose = MeetingForm.VIDEO.label if video is not None else plan.category.label
        breaches.append(
            LimitBreach(
                LimitKind.LODGING_AND_MEALS,
                Decimal(0),
                lodging_and_meals,
                f"{whose}不得列支住宿费和伙食费,预算列支{_figure(lodging_and_meals)}元",
            )
        )
    return tuple(breaches)


# --- 2. 主席台座次 -------------------------------------------------------------------------


class NotOnRostrum(InvalidInput):
    """The person has no seat in this seating chart."""

    def __init__(self, person: PersonId) -> None:
        super().__init__(f"{person} 不在主席台座次中 (not seated on the rostrum)", person=person)


@attrs.frozen
class SeatingChart:
    """主席台座次表 — who sits where on the rostrum.

    Seats are numbered ``0 .. n-1`` from the leaders' left end to their right end, left and
    right as the leaders see them sitting facing the audience (the seed's 左手/右手).
    `as_seen_from_audience` gives the same row as the audience sees it, mirrored.
    """

    seats: tuple[PersonId, ...]

    def __attrs_post_init__(self) -> None:
        if not self.seats or len(set(self.seats)) != len(self.seats):
            raise InvalidInput(
                "主席台座次须至少一人且每人只坐一个座位 "
                "(a rostrum needs at least one person, each in one seat)",
                seats=self.seats,
            )

    @property
    def centre(self) -> tuple[int, ...]:
        """The centre seat (odd row) or the two centre seats, left one first (even row)."""
        half = len(self.seats) // 2
        return (half,) if len(self.seats) % 2 else (half - 1, half)

    def seat_of(self, person: PersonId) -> int:
        """The person's seat number; `NotOnRostrum` if they have none."""
        try:
            return self.seats.index(person)
        except ValueError:
            raise NotOnRostrum(person) from None

    def as_seen_from_audience(self) -> tuple[PersonId, ...]:
        """The row from the audience's left to their right (the leaders' row mirrored)."""
        return self.seats[::-1]

    def swapped(self, person_a: PersonId, person_b: PersonId) -> SeatingChart:
        """A new chart with the two people's seats exchanged (a manual override)."""
        a, b = self.seat_of(person_a), self.seat_of(person_b)
        seats = list(self.seats)
        seats[a], seats[b] = seats[b], seats[a]
        return SeatingChart(tuple(seats))

    def moved(self, person: PersonId, seat: int) -> SeatingChart:
        """A new chart with the person moved to ``seat`` and the people between shifted
        one seat along, keeping their order (a name card dragged along the row)."""
        if not 0 <= seat < len(self.seats):
            raise InvalidInput(
                f"座位号 {seat} 不存在,主席台座位为 0-{len(self.seats) - 1} (no such seat)",
                seat=seat,
            )
        seats = list(self.seats)
        del seats[self.seat_of(person)]
        seats.insert(seat, person)
        return SeatingChart(tuple(seats))


class SeatingPolicy(Protocol):
    """座次规则 — how an agency seats its rostrum; `CentreOutSeating` is the seed's."""

    def arrange(self, hosts: Sequence[PersonId], guests: Sequence[PersonId] = ()) -> SeatingChart:
        """Seat the host leaders and the guests from superior units, each in rank order."""
        ...


@attrs.frozen
class CentreOutSeating:
    """居中、先左后右 — the seed's rostrum seating [001 会议的座次安排(一)2-3, (二)].

    People are taken in rank order: guests from superior units (上级领导) first, then the
    host leaders; ``hosts_ahead_of_guests`` lets that many top host leaders rank ahead of
    the guests instead (guests of slightly lower actual rank, 适当位置). Number 1 sits in
    the centre; number 2 on number 1's left, number 3 on number 1's right, number 4 on
    number 2's left, and so on outward. With an even count numbers 1 and 2 share the two
    centre seats, 2 on the left — the same alternation, so one rule serves both.
    """

    hosts_ahead_of_guests: int = attrs.field(default=0, validator=_not_negative)

    def rank_order(
        self, hosts: Sequence[PersonId], guests: Sequence[PersonId] = ()
    ) -> tuple[PersonId, ...]:
        """Everyone on the rostrum, most senior first."""
        ahead = self.hosts_ahead_of_guests
        return (*hosts[:ahead], *guests, *hosts[ahead:])

    def arrange(self, hosts: Sequence[PersonId], guests: Sequence[PersonId] = ()) -> SeatingChart:
        """The chart: even ranks leftward from the centre, odd ranks from 3 rightward."""
        ranked = self.rank_order(hosts, guests)
        return SeatingChart((*ranked[1::2][::-1], *ranked[:1], *ranked[2::2]))


DEFAULT_SEATING: SeatingPolicy = CentreOutSeating()


# --- 3. 会风会纪考核扣分 ---------------------------------------------------------------------


class AttendanceFact(LabelledEnum):
    """考勤情况 — how a person attended one meeting [000 范文6 五 4-6]."""

    PRESENT = "present", "出席"
    LATE = "late", "迟到"
    LEFT_EARLY = "left_early", "早退"
    ON_LEAVE = "on_leave", "请假"
    SUBSTITUTED = "substituted", "代会"
    ABSENT = "absent", "旷会"


QUARTERLY_MEETING = "quarterly_meeting"
"""季度例会 — meeting-kind code whose attendance counts [000 范文6 五 6]."""

SYSTEM_MEETING = "system_meeting"
"""系统大会 — meeting-kind code whose attendance counts [000 范文6 五 6]."""


@attrs.frozen
class AttendanceScoringTable:
    """会议考勤扣分标准 — points deducted from the performance score per attendance fact.

    Only meetings whose kind code is in ``counted_kinds`` count; being present costs
    nothing. The seed ties 季度例会 and 系统大会 attendance to the annual performance score
    and deducts for 旷会、请假、代会、迟到、早退, but its figures are in a document it does not
    reproduce (《市文广局2015年绩效考评工作实施方案》) [000 范文6 五 6].
    """

    version: str
    source: str
    counted_kinds: frozenset[str]
    absent: Decimal = attrs.field(converter=_decimal, validator=_not_negative)
    on_leave: Decimal = attrs.field(converter=_decimal, validator=_not_negative)
    substituted: Decimal = attrs.field(converter=_decimal, validator=_not_negative)
    late: Decimal = attrs.field(converter=_decimal, validator=_not_negative)
    left_early: Decimal = attrs.field(converter=_decimal, validator=_not_negative)

    def deduction(self, fact: AttendanceFact) -> Decimal:
        """Points deducted for one such fact at a counted meeting."""
        return {
            AttendanceFact.PRESENT: Decimal(0),
            AttendanceFact.LATE: self.late,
            AttendanceFact.LEFT_EARLY: self.left_early,
            AttendanceFact.ON_LEAVE: self.on_leave,
            AttendanceFact.SUBSTITUTED: self.substituted,
            AttendanceFact.ABSENT: self.absent,
        }[fact]

    def score(self, facts: Iterable[tuple[str, AttendanceFact]]) -> Decimal:
        """扣分合计 — the points to deduct (>= 0) for a person's or unit's attendance facts,
        each given with its meeting-kind code; meetings of uncounted kinds add nothing."""
        return sum(
            (self.deduction(fact) for kind, fact in facts if kind in self.counted_kinds),
            Decimal(0),
        )


SEED_ATTENDANCE_SCORING = AttendanceScoringTable(
    version="seed-default-1",
    source="范文6 五 6 (扣分值为 govoffice 默认值,种子文件未给出)",
    counted_kinds=frozenset({QUARTERLY_MEETING, SYSTEM_MEETING}),
    absent=2,
    on_leave=1,
    substituted=Decimal("0.5"),
    late=Decimal("0.5"),
    left_early=Decimal("0.5"),
)
"""The seed's counted meetings with govoffice's own default points, in the seed's order of
severity (旷会 2, 请假 1, 代会/迟到/早退 0.5 each); agencies replace them with their own."""
