"""一年模拟 a deterministic year of a mid-sized bureau, written through the public commands.

:func:`simulate_year` establishes (or extends) the bureau of :mod:`govoffice.demo.bureau`
(twenty units, about a hundred people, five leaders with their 分管 and stand-ins), then
walks the year's working days in business-time order: outgoing documents through their whole
flow, incoming documents from 签收 to 归档, the approved annual meeting plan and the meetings
held under it, unplanned meeting requests, the spring batch of proposals, supervision tasks
from every source, quarterly notices, every unit's monthly 政务信息 (targets, items, adoptions,
closing), and ``office.tick`` once every working day at 08:00.

Everything is decided by one seeded ``random.Random``, so a seed gives the same events and
the same figures (record ids are random UUIDs, the only difference between two runs).
Refusals the rules must give (a classified document printed in the ordinary print room, a
meeting over its limits, an item of information reported after the 15th of the next month,
...) are provoked on purpose, caught, counted, and checked to have recorded nothing. Volume is
proportional to ``scale`` (see :data:`VOLUME`; 政务信息 is a monthly routine, see
:data:`INFORMATION_ITEMS`).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from govoffice.application.office import Office
from govoffice.demo.bureau import (
    BUSINESS,
    DIVISION,
    LEADERS,
    STAND_IN,
    Member,
    members,
    units,
)
from govoffice.demo.narrator import last_business_time
from govoffice.domain.document import DocumentStatus
from govoffice.domain.errors import GovOfficeError, InvalidInput
from govoffice.domain.incoming import HandlingKind, Importance, ScreeningCheck
from govoffice.domain.information import AdoptionLevel, UnitTier, figures_due, month_bounds
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting import MeetingKind, MeetingPlanStatus
from govoffice.domain.meeting_rules import MeetingForm
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.proposal import (
    Field,
    ProposalKind,
    ProposalStatus,
    ProposalUrgeChannel,
    Rating,
    check_sheet,
)
from govoffice.domain.routing import SenderType
from govoffice.domain.supervision import UrgeChannel
from govoffice.domain.supervision_notice import NoticePeriod
from govoffice.testing import SECURE_PRINT_SITE, AgencyPeople

__all__ = ["DEFAULT_SEED", "VOLUME", "Progress", "SimulationError", "YearResult", "simulate_year"]

ZONE = "Asia/Shanghai"
NOT_YET = uuid.UUID(int=0)
"""The id of a record the simulation has not made yet (no record has it)."""
DEFAULT_SEED = 20260101
P = AgencyPeople()

VOLUME: dict[str, int] = {
    "outgoing": 2800,
    "incoming": 3500,
    "requests": 80,
    "topic_rows": 50,
    "video_rows": 12,
    "proposals": 180,
    "hotline": 150,
}
"""Records started in a year at ``scale=1``; each is multiplied by ``scale``. The periodic
meetings of the plan (monthly, quarterly, ...) do not scale, except that below ``scale=1``
only that share of the weekly meetings is held."""

Progress = Callable[[int, int], None]
"""Called with (working days walked, working days to walk) after each day's time step."""

OPEN, CLOSE = 9 * 60, 17 * 60 + 30
"""Office hours, in minutes of the day."""

Moment = tuple[int, int]
"""(index of a working day in the walk, minute of the day)."""


class SimulationError(RuntimeError):
    """The simulation itself went wrong (an expected refusal did not come, or a refusal
    recorded something): a bug in the generator or in the rules it exercises."""


@attrs.define
class YearResult:
    """What a simulated year did, by the simulation's own count (figures for the report are
    read from the events, not from here)."""

    year: int
    scale: float
    seed: int
    first_day: date
    last_day: date
    working_days: int
    events: int
    counts: Counter[str]
    refusals: Counter[str]
    seconds: float = attrs.field(eq=False)

    def summary(self) -> list[tuple[str, int]]:
        """(Chinese label, count) for every counter, in a stable order."""
        rows = [(LABELS.get(k, k), v) for k, v in sorted(self.counts.items()) if v]
        rows += [(f"规则拒绝 {k}", v) for k, v in sorted(self.refusals.items())]
        return rows


LABELS = {
    "documents.drafted": "发文 拟稿",
    "documents.returned": "发文 退回修改",
    "documents.countersign_requests": "发文 送会签",
    "documents.classified": "发文 涉密",
    "documents.joint": "发文 联合发文",
    "documents.withdrawn": "发文 撤回",
    "documents.signed_by_substitute": "发文 代签",
    "documents.registered": "发文 登记编号",
    "documents.amended": "发文 签发后修改",
    "documents.archived": "发文 归档",
    "incoming.received": "收文 签收",
    "incoming.returned": "收文 退文",
    "incoming.reading": "收文 阅知性",
    "incoming.instructed": "收文 领导阅批",
    "incoming.sent_back": "收文 退回局办",
    "incoming.handled": "收文 办结",
    "incoming.late": "收文 逾期办结",
    "incoming.archived": "收文 归档",
    "meetings.plan_rows": "会议 年度计划行",
    "meetings.scheduled": "会议 计划内会议",
    "meetings.requested": "会议 计划外签报",
    "meetings.over_limits": "会议 超标准签报",
    "meetings.exceptions": "会议 批准超标准例外",
    "meetings.rejected": "会议 签报未批准",
    "meetings.cancelled": "会议 取消",
    "meetings.held": "会议 召开",
    "meetings.leave": "会议 请假",
    "meetings.minutes": "会议 纪要印发",
    "meetings.archived": "会议 归档",
    "proposals.submitted": "建议提案 登记",
    "proposals.disputed": "建议提案 交办异议",
    "proposals.replied": "建议提案 答复",
    "proposals.reopened": "建议提案 不满意重办",
    "proposals.closed": "建议提案 办结",
    "tasks.opened": "督办 立项",
    "tasks.closed": "督办 销号",
    "tasks.late_plans": "督办 逾期事项",
    "notices.issued": "督办 通报",
    "information.targets": "政务信息 设定采用目标",
    "information.submitted": "政务信息 报送",
    "information.submitted_next_month": "政务信息 次月补报",
    "information.adopted": "政务信息 被采用",
    "information.adopted_again": "政务信息 上级刊物再采用",
    "information.closed": "政务信息 月度结算",
    "org.trips": "领导出差(代理)",
    "ticks": "时间推进",
    "tick.decisions": "时间推进 记录的决定",
}


def simulate_year(
    office: Office,
    *,
    year: int = 2026,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> YearResult:
    """Simulate one year of the bureau on ``office`` through its public commands.

    On an empty store the bureau is set up in December of the year before (the annual
    meeting plan is collected by 10 December and approved before the year starts) and the
    whole year is walked. On a store with events (e.g. after the narrated demo), the bureau
    extends the existing organisation and the walk starts on the working day after the last
    recorded decision, so the simulated part is the rest of the year.

    The office calendar must cover ``year + 1`` (deadlines set in December reach into it):
    open the office with ``calendar=china_calendar(weekend_fallback=True)`` for a year whose
    successor has no holiday data yet. Returns the simulation's own tally.
    """
    if not isinstance(scale, int | float) or isinstance(scale, bool) or not 0 < scale <= 1000:
        raise InvalidInput(f"规模 scale={scale!r} 须为 0 到 1000 之间的数 (scale must be > 0)")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 9998:
        raise InvalidInput(f"年份 {year!r} 不正确 (year)")
    started = time.perf_counter()
    sim = _Year(office, year, float(scale), seed, progress)
    before = office.app.recorder.max_notification_id() or 0
    sim.run()
    after = office.app.recorder.max_notification_id() or 0
    return YearResult(
        year=year,
        scale=float(scale),
        seed=seed,
        first_day=sim.days[0],
        last_day=sim.days[-1],
        working_days=len(sim.days),
        events=after - before,
        counts=sim.counts,
        refusals=sim.refusals,
        seconds=time.perf_counter() - started,
    )


# --- per-record state the generator keeps ----------------------------------------------------


@attrs.define(eq=False)
class _Doc:
    unit: str
    drafter: str
    head: str
    signer: str
    classified: bool
    important: bool
    joint: tuple[str, ...]
    countersign: tuple[str, ...]
    urgent: bool = False
    normative: bool = False
    id: uuid.UUID = NOT_YET
    countersigned: bool = False
    returned: int = 0
    withdraw: bool = False


@attrs.define(eq=False)
class _Incoming:
    sender: str
    sender_type: SenderType
    superior: bool
    classified: bool
    importance: Importance
    id: uuid.UUID = NOT_YET
    lead: str | None = None
    leaders: tuple[str, ...] = ()
    deadline: date | None = None
    sent_back: bool = False


@attrs.define(eq=False)
class _Meeting:
    kind: MeetingKind
    organiser: str
    title: str
    day: int
    minute: int
    chair: str
    delegated_by: str | None
    participants: int
    days: Decimal
    budget: int
    form: MeetingForm
    invitees: list[str]
    planned: bool
    serial: int | None = None
    id: uuid.UUID = NOT_YET
    approver: str = ""
    items: list[tuple[str, str, bool]] = attrs.field(factory=list)
    leave: dict[str, str | None] = attrs.field(factory=dict)
    signed_in: list[str] = attrs.field(factory=list)
    in_person: list[str] = attrs.field(factory=list)
    decisions: int = 0


@attrs.define(eq=False)
class _Proposal:
    id: uuid.UUID
    proposers: list[str]
    lead: str
    co: list[str]
    plan: dict[str, Any]
    due: date | None = None
    rounds: int = 0


# --- content -------------------------------------------------------------------------------

TOPICS = (
    "安全生产检查",
    "防汛抗旱",
    "优化营商环境",
    "财务预算执行",
    "干部教育培训",
    "信息化建设",
    "政务公开",
    "行政执法监督",
    "统计数据质量",
    "审计整改",
    "老干部服务",
    "科技创新",
    "规划编制",
    "依法行政",
    "保密工作",
    "节能降耗",
    "信访维稳",
    "机关党建",
    "作风建设",
    "重点项目推进",
)
DOC_TYPES = (
    ("通知", 30),
    ("函", 18),
    ("报告", 14),
    ("请示", 10),
    ("意见", 6),
    ("通报", 6),
    ("批复", 6),
    ("决定", 3),
    ("纪要", 3),
    ("公告", 2),
    ("通告", 2),
)
CO_ISSUERS = ("市财政局", "市人力资源社会保障局", "市应急管理局", "市市场监管局")
SENDERS: tuple[tuple[str, SenderType, bool, int], ...] = (
    ("市人民政府办公室", SenderType.GOVERNMENT, True, 18),
    ("省发展改革委", SenderType.GOVERNMENT, True, 6),
    ("某县人民政府", SenderType.GOVERNMENT, False, 14),
    ("某区人民政府", SenderType.GOVERNMENT, False, 12),
    ("市财政局", SenderType.GOVERNMENT, False, 10),
    ("市委办公室", SenderType.PARTY, True, 8),
    ("市委组织部", SenderType.PARTY, True, 4),
    ("市总工会", SenderType.UNION, False, 3),
    ("团市委", SenderType.YOUTH_LEAGUE, False, 2),
    ("市纪委监委", SenderType.DISCIPLINE, True, 4),
    ("中共某市委 某市人民政府", SenderType.JOINT_PARTY_GOVERNMENT, True, 5),
    ("某行业协会", SenderType.OTHER, False, 8),
    ("某集团公司", SenderType.OTHER, False, 6),
)
PROPOSERS = ("马玉英", "张代表", "李委员", "王委员", "赵代表", "刘委员", "陈代表", "黄委员")
ALL_PASS = {c: True for c in ScreeningCheck}
REPORT = {
    "background": "基本情况",
    "investigation": "调查情况",
    "handling_opinion": "处理意见",
    "implementation": "落实情况",
}
PRINCIPAL_KINDS = {
    MeetingKind.JOINT,
    MeetingKind.ANNUAL,
    MeetingKind.PARTY_GROUP,
    MeetingKind.SYSTEM,
    MeetingKind.COMMENDATION,
}
AGENDA_KINDS = {
    MeetingKind.OFFICE,
    MeetingKind.JOINT,
    MeetingKind.PARTY_GROUP,
    MeetingKind.TOPIC,
    MeetingKind.MONTHLY,
}
MINUTES_KINDS = {MeetingKind.OFFICE, MeetingKind.JOINT, MeetingKind.ANNUAL}
ROSTRUM_KINDS = {
    MeetingKind.MONTHLY,
    MeetingKind.QUARTERLY,
    MeetingKind.SYSTEM,
    MeetingKind.ANNUAL,
    MeetingKind.COMMENDATION,
    MeetingKind.JOINT,
}
TASK_PLANS = ("on_time", "extended", "refused_late", "rejected_once", "letter", "never")
TASK_WEIGHTS = (40, 12, 10, 12, 14, 12)
INFORMATION_WRITERS = ("office", "policy", "info")
"""The units that write the most information: the general office, the policy research office
and the information centre."""
INFORMATION_ITEMS = {"writers": (10.0, 15.0), "business": (4.0, 9.0), "others": (2.0, 5.0)}
"""政务信息: the items a unit submits in a month at ``scale=1`` (its own rate, drawn from its
kind's range); the share of its items adopted is drawn from :data:`INFORMATION_ADOPTED`. The
monthly routine (every unit's target, the closing) does not scale, like the plan's periodic
meetings; the items scale with the square root of ``scale``, so that a small year still has
units meeting, missing and exceeding their targets (about 1,600 items and 3,000 events at
``scale=1``, 500 items at 0.1)."""
INFORMATION_ADOPTED = (0.2, 0.55)
INFORMATION_LEVELS: tuple[tuple[AdoptionLevel, int, str], ...] = (
    (AdoptionLevel.COUNTY, 70, "县政府办《政务信息》"),
    (AdoptionLevel.CITY, 22, "市政府办《每日要情》"),
    (AdoptionLevel.PROVINCE, 6, "省政府办《政务要情》"),
    (AdoptionLevel.NATIONAL, 2, "国务院办公厅《政务信息》"),
)
"""采用层级 (level, weight, outlet): mostly 县级, fewer 市级, rarely 省级 or 国家级; an item now and
then is adopted again by the next level's outlet."""
INFORMATION_KINDS = ("工作动态", "取得新进展", "经验做法", "存在问题及建议")


class _Year:
    """The generator: a queue of steps in business-time order, and the steps."""

    def __init__(
        self, office: Office, year: int, scale: float, seed: int, progress: Progress | None
    ) -> None:
        self.o = office
        self.year = year
        self.scale = scale
        self.rng = random.Random(seed)
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.queue: list[tuple[int, int, int, Callable[..., None], tuple[Any, ...]]] = []
        self.order = itertools.count()
        self.now: Moment = (0, 0)
        self.when = pendulum.datetime(year, 1, 1, tz=ZONE)
        self.people: dict[str, Member] = {m.id: m for m in members()}
        self.heads = {m.unit: m.id for m in self.people.values() if Role.UNIT_HEAD in m.roles}
        self.drafters = {
            u: [m.id for m in self.people.values() if m.unit == u and Role.DRAFTER in m.roles]
            for u, _, _ in units()
        }
        self.staff = {
            u: [m.id for m in self.people.values() if m.unit == u and m.id not in LEADERS]
            for u, _, _ in units()
        }
        self.leader_of = {u: leader for leader, us in DIVISION.items() for u in us}
        self.reviewers = [P.secretary, "office.s1", "office.s2"]
        self.receivers = [P.receiving_secretary, "confidential.s1"]
        self.officers = [P.supervision_officer, "supervision.s1"]
        self.away: dict[tuple[str, date], str] = {}
        self.habits: dict[str, tuple[float, float]] = {}
        self.reporting: dict[int, list[str]] = {}
        self.admin = P.admin
        self.references = 0
        self.settable = callable(getattr(office.clock, "set", None))
        self.days = self._walk()
        self.index = {d: i for i, d in enumerate(self.days)}
        self.first = next(
            (i for i, d in enumerate(self.days) if d.year == year), len(self.days) - 1
        )

    # --- business time ----------------------------------------------------------------------

    def _walk(self) -> list[date]:
        """The working days to walk: from the set-up day to the year's last working day."""
        calendar = self.o.calendar
        try:
            calendar.add_working_days(date(self.year, 12, 20), 30)
        except GovOfficeError as e:
            raise InvalidInput(
                f"办公日历没有 {self.year + 1} 年的数据,模拟年末的期限无法计算;请以 "
                "calendar=china_calendar(weekend_fallback=True) 打开 (the calendar must cover "
                f"the next year): {e}"
            ) from None
        try:
            resume: date | None = last_business_time(self.o).date() + timedelta(days=1)
        except LookupError:
            resume = None
        day = date(self.year - 1, 12, 1) if resume is None else max(resume, date(self.year, 1, 1))
        if resume is not None and resume < date(self.year - 1, 12, 1):
            day = date(self.year, 1, 1)
        days = []
        while day <= date(self.year, 12, 31):
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        if len(days) < 30:
            raise InvalidInput(
                f"本存储的业务时间已到 {resume},{self.year} 年剩余的工作日不足 30 天,无法模拟 "
                "(the store's business time is too late in that year)"
            )
        return days

    def dt(self, m: Moment) -> pendulum.DateTime:
        d = self.days[m[0]]
        return pendulum.datetime(d.year, d.month, d.day, m[1] // 60, m[1] % 60, tz=ZONE)

    @property
    def day(self) -> date:
        return self.days[self.now[0]]

    def at(self, m: Moment | None, step: Callable[..., None], *args: Any) -> None:
        """Schedule ``step(*args)`` at ``m`` (dropped when ``m`` is past the year's end)."""
        if m is None:
            return
        if m < self.now:
            m = self.now
        heapq.heappush(self.queue, (m[0], m[1], next(self.order), step, args))

    def hours(self, lo: float, hi: float, m: Moment | None = None) -> Moment | None:
        """A moment ``lo``-``hi`` office hours after ``m`` (now), carried over to the next
        working days when the office closes."""
        di, minute = m or self.now
        minute = max(minute, OPEN) + self.rng.randint(int(lo * 60), int(hi * 60))
        while minute > CLOSE:
            di, minute = di + 1, OPEN + minute - CLOSE
        return (di, minute) if di < len(self.days) else None

    def days_later(
        self, lo: int, hi: int, m: Moment | None = None, *, start: int = OPEN, end: int = 16 * 60
    ) -> Moment | None:
        di = (m or self.now)[0] + self.rng.randint(lo, hi)
        return (di, self.rng.randint(start, end)) if di < len(self.days) else None

    def on_or_before(self, d: date) -> int | None:
        """The index of the last working day on or before ``d`` (None before the walk)."""
        i = bisect.bisect_right(self.days, d) - 1
        return i if i >= 0 else None

    def after(self, d: date) -> int | None:
        """The index of the first working day after ``d`` (None past the year)."""
        i = bisect.bisect_right(self.days, d)
        return i if i < len(self.days) else None

    def count_today(self, key: str) -> int:
        """How many records of a kind start today: the yearly volume spread evenly, with
        the remainder drawn at random."""
        mean = VOLUME[key] * self.scale / max(1, len(self.days) - self.first)
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    # --- who acts ---------------------------------------------------------------------------

    def acting(self, leader: str) -> tuple[str, str | None]:
        """(by, on_behalf_of): the leader, or their stand-in while they are on a trip."""
        stand_in = self.away.get((leader, self.day))
        return (stand_in, leader) if stand_in is not None else (leader, None)

    def is_away(self, leader: str, di: int) -> bool:
        return (leader, self.days[di]) in self.away

    def reviewer(self) -> str:
        return self.rng.choice(self.reviewers)

    def officer(self) -> str:
        return self.rng.choice(self.officers)

    def of_unit(self, unit: str) -> str:
        return self.rng.choice(self.staff[unit])

    def unit_weighted(self) -> str:
        """A unit, business units three times as often as the functional ones."""
        pool = [*BUSINESS, *BUSINESS, *BUSINESS, *(u for u, _, _ in units() if u not in BUSINESS)]
        return self.rng.choice(pool)

    def refused(self, what: str, action: Callable[[], object]) -> None:
        """A step the rules must refuse: counted by error class; nothing may be recorded."""
        recorder = self.o.app.recorder
        before = recorder.max_notification_id()
        try:
            action()
        except GovOfficeError as e:
            if recorder.max_notification_id() != before:
                raise SimulationError(f"{what}: the refusal recorded events") from e
            self.refusals[type(e).__name__] += 1
            return
        raise SimulationError(f"the office should have refused: {what}")

    # --- the run ----------------------------------------------------------------------------

    def run(self) -> None:
        self.setup()
        for i in range(len(self.days)):
            if i >= self.first:
                self.at((i, 8 * 60), self.tick, i)
                self.at((i, 8 * 60 + 30), self.new_day)
        while self.queue:
            di, minute, _, step, args = heapq.heappop(self.queue)
            self.now = (di, minute)
            self.when = self.dt(self.now)
            if self.settable:
                self.o.clock.set(self.when)  # type: ignore[attr-defined]
            step(*args)

    def tick(self, i: int) -> None:
        decided = self.o.tick(self.when)
        self.counts["ticks"] += 1
        self.counts["tick.decisions"] += len(decided)
        if self.progress is not None:
            self.progress(i + 1 - self.first, len(self.days) - self.first)

    def new_day(self) -> None:
        starters: list[tuple[str, Callable[[], None]]] = [
            ("outgoing", self.doc_draft),
            ("incoming", self.inc_receive),
            ("requests", self.meeting_request),
            ("hotline", self.hotline_case),
        ]
        for key, start in starters:
            for _ in range(self.count_today(key)):
                self.at((self.now[0], self.rng.randint(OPEN, 16 * 60)), start)

    # --- set-up -----------------------------------------------------------------------------

    def setup(self) -> None:
        self.now = (0, 8 * 60 + 30)
        self.when = self.dt(self.now)
        org = self.establish()
        self.admin = self.admin_of(org)
        rows = self.plan_rows()
        self.trips(org, {r.day for r in rows if r.kind in PRINCIPAL_KINDS})
        for r in rows:
            self.choose_chair(r)
        self.at((0, 9 * 60), self.plan_collect, rows)
        self.proposal_batch()
        self.information_year()
        for quarter, month in ((1, 4), (2, 7), (3, 10)):
            i = self.after(date(self.year, month, 1) - timedelta(days=1))
            if i is not None and i >= self.first:
                self.at((i, 10 * 60), self.notices, quarter)

    def establish(self) -> Organisation:
        org_service, at = self.o.org, self.when
        try:
            org = org_service.current()
        except GovOfficeError:
            org_service.establish(agency="某市某局", agency_code="X局", by=P.admin, at=at)
            org = org_service.current()
        admin = self.admin_of(org)
        for unit_id, name, functions in units():
            if unit_id not in org.units:
                org_service.add_unit(
                    unit_id=unit_id, name=name, functions=functions, by=admin, at=at
                )
        org = org_service.current()
        for m in self.people.values():
            if m.id not in org.people:
                org_service.add_person(
                    person_id=m.id,
                    name=m.name,
                    unit=m.unit,
                    email=f"{m.id}@example.gov.cn",
                    roles=m.roles,
                    by=admin,
                    at=at,
                )
            else:
                for role in m.roles:
                    if not org.holds(m.id, role, at):
                        org_service.grant_role(person_id=m.id, role=role, by=admin, at=at)
        org = org_service.current()
        for leader, division in DIVISION.items():
            if org.supervision.get(leader) != frozenset(division):  # type: ignore[call-overload]
                org_service.assign_supervision(leader=leader, units=division, by=admin, at=at)
        if SECURE_PRINT_SITE not in org.secure_print_sites:
            org_service.add_secure_print_site(site=SECURE_PRINT_SITE, by=admin, at=at)
        org = org_service.current()
        for s in org.substitutions:
            day = s.start
            while day <= s.end:
                self.away[(s.leader, day)] = s.substitute
                day += timedelta(days=1)
        return org

    def admin_of(self, org: Organisation) -> str:
        admins = sorted(
            {g.person for g in org.grants if g.role is Role.ORG_ADMIN and g.covers(self.when)}
        )
        return admins[0] if admins else P.admin

    def trips(self, org: Organisation, principal_days: set[int]) -> None:
        """出差: three trips a leader, one leader away at a time, the principal never on a day
        he must chair; each trip's stand-in is appointed on its first morning."""
        busy = {self.index[day] for (_, day) in self.away if day in self.index}
        if len(self.days) - self.first < 40:
            return
        for leader in LEADERS:
            for _ in range(3):
                for _attempt in range(30):
                    length = self.rng.randint(2, 4)
                    start = self.rng.randint(self.first + 5, len(self.days) - length - 1)
                    span = set(range(start - 1, start + length + 1))
                    if span & busy or (leader == P.principal and span & principal_days):
                        continue
                    busy |= span
                    first, last = self.days[start], self.days[start + length - 1]
                    stand_in = STAND_IN[leader]
                    for di in range(start, start + length):
                        self.away[(leader, self.days[di])] = stand_in
                    self.at((start, 8 * 60 + 10), self.trip, leader, stand_in, first, last)
                    break

    def trip(self, leader: str, stand_in: str, first: date, last: date) -> None:
        self.o.org.appoint_substitute(
            leader=leader,
            substitute=stand_in,
            start=first,
            end=last,
            reason="出差",
            by=self.admin,
            at=self.when,
        )
        self.counts["org.trips"] += 1

    # --- outgoing documents (发文) ------------------------------------------------------------

    def doc_draft(self) -> None:
        rng = self.rng
        unit = self.unit_weighted()
        drafter = rng.choice(self.drafters[unit])
        doc_type = rng.choices([t for t, _ in DOC_TYPES], weights=[w for _, w in DOC_TYPES])[0]
        classified = rng.random() < 0.04
        important = rng.random() < 0.05
        normative = rng.random() < 0.08 and unit != "legal"
        internal = rng.random() < 0.04 and unit != "office"
        meeting_item = rng.random() < 0.03
        joint = (rng.choice(CO_ISSUERS),) if rng.random() < 0.02 and not classified else ()
        parties = set()
        if normative:
            parties.add("legal")
        if internal:
            parties.add("office")
        if meeting_item or rng.random() < 0.12:
            parties.add(rng.choice([u for u, _, _ in units() if u != unit]))
        parties.discard(unit)
        signer = P.principal if classified or important else self.leader_of.get(unit, P.principal)
        d = _Doc(
            unit=unit,
            drafter=drafter,
            head=self.heads[unit],
            signer=signer,
            classified=classified,
            important=important,
            joint=joint,
            countersign=tuple(sorted(parties)),
            withdraw=rng.random() < 0.02,
        )
        topic = rng.choice(TOPICS)
        urgency = rng.choices(["平件", "加急", "特急"], weights=[80, 15, 5])[0]
        fields: dict[str, Any] = {
            "title": f"关于{topic}的{doc_type}",
            "doc_type": doc_type,
            "issuer_code": "X局函" if doc_type == "函" else "X局发",
            "lead_unit": unit,
            "main_recipients": ["各处室", "各直属单位"] if doc_type == "通知" else ["市人民政府"],
            "copy_recipients": ["市政府办公室"] if rng.random() < 0.3 else [],
            "text": f"为做好{topic}工作,现将有关事项{doc_type}如下……",
            "urgency": urgency,
            "copies": rng.randint(5, 60),
            "summary": f"{topic}",
            "drafter_phone": "0000-12345678",
            "important": important,
            "normative": normative,
            "internal_rules": internal,
            "for_office_meeting": meeting_item,
            "co_issuers": list(joint),
        }
        if classified:
            fields |= {
                "classification": rng.choice(["秘密", "机密"]),
                "secrecy_period": rng.choice(["5年", "10年"]),
                "disclosure": "不予公开",
            }
        if urgency == "特急":
            fields |= {"urgent_reason": "上级要求限期办结", "urgent_deadlines": self.urgent()}
        d.urgent, d.normative = urgency == "特急", normative
        d.id = self.o.documents.draft(by=drafter, at=self.when, **fields)
        self.counts["documents.drafted"] += 1
        self.counts["documents.classified"] += classified
        self.counts["documents.joint"] += bool(joint)
        self.at(self.hours(0.5, 2), self.doc_submit, d)

    def urgent(self) -> dict[str, pendulum.DateTime]:
        """The deadlines a 特急 draft asks of countersigning, review and signing."""
        close = self.dt((self.now[0], CLOSE))
        return {
            "countersign_by": close.add(days=1),
            "review_by": close.add(days=2),
            "sign_by": close.add(days=3),
        }

    def doc_submit(self, d: _Doc) -> None:
        self.o.documents.submit_for_review(d.id, by=d.drafter, at=self.when)
        self.at(self.hours(1, 12), self.doc_review, d)

    def doc_review(self, d: _Doc) -> None:
        docs = self.o.documents
        if d.withdraw:
            docs.withdraw(d.id, by=d.drafter, reason="情况变化,不再行文", at=self.when)
            self.counts["documents.withdrawn"] += 1
            return
        if d.returned == 0 and self.rng.random() < 0.1:
            docs.return_for_revision(d.id, by=d.head, opinion="请补充依据并精简文字", at=self.when)
            self.doc_returned(d)
            return
        docs.review(d.id, by=d.head, at=self.when)
        if (d.countersign or d.joint) and not d.countersigned:
            self.at(self.hours(0.5, 3), self.doc_countersign, d)
        else:
            self.at(self.hours(0.5, 4), self.doc_to_office, d)

    def doc_returned(self, d: _Doc) -> None:
        d.returned += 1
        self.counts["documents.returned"] += 1
        self.at(self.hours(2, 16), self.doc_revise, d)

    def doc_revise(self, d: _Doc) -> None:
        changes: dict[str, Any] = {"text": "(按审核意见修改后的正文)……"}
        if d.urgent:  # the deadlines it asks are dated from the revision
            changes["urgent_deadlines"] = self.urgent()
        self.o.documents.revise(d.id, by=d.drafter, at=self.when, **changes)
        self.at(self.hours(0.5, 2), self.doc_submit, d)

    def doc_countersign(self, d: _Doc) -> None:
        docs = self.o.documents
        if d.normative and self.rng.random() < 0.1:
            self.refused(
                "规范性文件未经法规处会签即送办公室",
                lambda: docs.submit_to_office(d.id, by=d.drafter, at=self.when),
            )
        due = docs.request_countersign(
            d.id, units=list(d.countersign), agencies=list(d.joint), by=d.head, at=self.when
        )
        d.countersigned = True
        self.counts["documents.countersign_requests"] += 1
        last = self.now
        silent = d.countersign[-1] if d.countersign and self.rng.random() < 0.06 else None
        for party in (*d.countersign, *d.joint):
            when = self.hours(0.3, 4) if party in d.countersign else None
            if party in d.joint:
                i = self.on_or_before(due[party])
                when = (max(i, self.now[0]), 15 * 60) if i is not None else None
            if party == silent or when is None or self.days[when[0]] > due[party]:
                # no answer by the reply date: the time step deems the party agreed the
                # morning after it
                after = self.after(due[party])
                if after is None:
                    return
                last = max(last, (after, 9 * 60))
                continue
            last = max(last, when)
            step = self.doc_answer if party in d.countersign else self.doc_agency_answer
            self.at(when, step, d, party)
        self.at(self.hours(1, 3, last), self.doc_to_office, d)

    def pending_party(self, d: _Doc, party: str) -> bool:
        """Is the party still to answer (not deemed to agree by the time step meanwhile)?"""
        doc = self.o.documents.get(d.id)
        return doc.status is DocumentStatus.COUNTERSIGNING and party not in doc.countersign_answers

    def doc_answer(self, d: _Doc, party: str) -> None:
        docs, head = self.o.documents, self.heads[party]
        if not self.pending_party(d, party):
            return
        if self.rng.random() < 0.08:
            docs.countersign(
                d.id, party=party, agree=False, opinion="建议修改第二条", by=head, at=self.when
            )
            self.at(self.hours(0.3, 2), self.doc_resolve, d, party)
        else:
            docs.countersign(d.id, party=party, agree=True, opinion="同意", by=head, at=self.when)

    def doc_resolve(self, d: _Doc, party: str) -> None:
        adopted = self.rng.random() < 0.5
        self.o.documents.resolve_opinion(
            d.id,
            party=party,
            adopted=adopted,
            reason="" if adopted else "依上级文件规定,维持原表述",
            by=d.head,
            at=self.when,
        )

    def doc_agency_answer(self, d: _Doc, agency: str) -> None:
        if not self.pending_party(d, agency):
            return
        self.o.documents.countersign(
            d.id,
            party=agency,
            agree=True,
            opinion="同意联合发文",
            signatory=f"{agency}负责人",
            by=d.drafter,
            at=self.when,
        )

    def doc_to_office(self, d: _Doc) -> None:
        status = self.o.documents.get(d.id).status
        if status is DocumentStatus.COUNTERSIGNING:  # a resolution still pending: try later
            self.at(self.hours(2, 4), self.doc_to_office, d)
            return
        self.o.documents.submit_to_office(d.id, by=d.drafter, at=self.when)
        self.at(self.hours(1, 8), self.doc_office_check, d)

    def doc_office_check(self, d: _Doc) -> None:
        docs, by = self.o.documents, self.reviewer()
        if d.returned == 0 and self.rng.random() < 0.04:
            docs.return_for_revision(d.id, by=by, opinion="文种使用不当,请修改", at=self.when)
            self.doc_returned(d)
            return
        docs.office_check(d.id, by=by, at=self.when)
        self.at(self.hours(1, 6), self.doc_office_review, d)

    def doc_office_review(self, d: _Doc) -> None:
        self.o.documents.office_review(d.id, by=P.office_head, at=self.when)
        self.at(self.hours(2, 16), self.doc_sign, d)

    def doc_sign(self, d: _Doc) -> None:
        docs = self.o.documents
        by, for_ = self.acting(d.signer)
        if d.classified and self.rng.random() < 0.25:
            deputy = self.rng.choice([x for x in LEADERS if x not in (P.principal, by)])
            self.refused(
                "副局长以本人名义签发涉密公文", lambda: docs.sign(d.id, by=deputy, at=self.when)
            )
        if d.returned == 0 and self.rng.random() < 0.03:
            docs.return_for_revision(
                d.id, by=by, on_behalf_of=for_, opinion="请再斟酌措辞", at=self.when
            )
            self.doc_returned(d)
            return
        docs.sign(d.id, by=by, on_behalf_of=for_, opinion="同意", at=self.when)
        self.counts["documents.signed_by_substitute"] += for_ is not None
        if d.joint:
            self.at(self.days_later(1, 2), self.doc_co_sign, d, 0)
        else:
            self.at(self.hours(0.5, 4), self.doc_register, d)

    def doc_co_sign(self, d: _Doc, k: int) -> None:
        agency = d.joint[k]
        self.o.documents.co_sign(
            d.id, agency=agency, signatory=f"{agency}局长", by=self.reviewer(), at=self.when
        )
        if k + 1 < len(d.joint):
            self.at(self.days_later(1, 2), self.doc_co_sign, d, k + 1)
        else:
            self.at(self.hours(0.5, 4), self.doc_register, d)

    def doc_register(self, d: _Doc) -> None:
        self.o.documents.register(
            d.id,
            by=self.reviewer(),
            distribution_scope="各处室、各直属单位",
            copies=self.rng.randint(5, 60),
            at=self.when,
        )
        self.counts["documents.registered"] += 1
        self.at(self.hours(0.5, 3), self.doc_recheck, d)

    def doc_recheck(self, d: _Doc) -> None:
        docs = self.o.documents
        if self.rng.random() < 0.03:
            docs.recheck(d.id, by=self.reviewer(), findings=["附件名称与正文不一致"], at=self.when)
            self.at(self.hours(1, 6), self.doc_amend, d)
            return
        docs.recheck(d.id, by=self.reviewer(), at=self.when)
        self.at(self.hours(0.5, 6), self.doc_print, d)

    def doc_amend(self, d: _Doc) -> None:
        by, for_ = self.acting(d.signer)
        self.o.documents.approve_amendment(
            d.id,
            text="(经原签发人同意修改附件名称后的正文)……",
            reason="附件名称与正文不一致",
            by=by,
            on_behalf_of=for_,
            at=self.when,
        )
        self.counts["documents.amended"] += 1
        self.at(self.hours(0.5, 2), self.doc_recheck, d)

    def doc_print(self, d: _Doc) -> None:
        docs = self.o.documents
        if d.classified and self.rng.random() < 0.2:
            self.refused(
                "在普通文印室印制涉密公文",
                lambda: docs.print_copies(d.id, site="局文印室", by=P.secretary, at=self.when),
            )
        site = SECURE_PRINT_SITE if d.classified else "局文印室"
        docs.print_copies(d.id, site=site, by=self.reviewer(), at=self.when)
        self.at(self.hours(0.5, 3), self.doc_check_print, d)

    def doc_check_print(self, d: _Doc) -> None:
        if self.rng.random() < 0.02:
            self.o.documents.check_print(
                d.id, by=d.drafter, findings=["个别页面字迹不清"], at=self.when
            )
            self.at(self.hours(0.5, 2), self.doc_print, d)
            return
        self.o.documents.check_print(d.id, by=d.drafter, at=self.when)
        self.at(self.hours(0.2, 2), self.doc_distribute, d)

    def doc_distribute(self, d: _Doc) -> None:
        self.o.documents.distribute(d.id, by=d.drafter, at=self.when)
        self.at(self.days_later(1, 5), self.doc_archive, d)

    def doc_archive(self, d: _Doc) -> None:
        self.o.documents.archive(d.id, by=P.archivist, at=self.when)
        self.counts["documents.archived"] += 1

    # --- incoming documents (收文) ------------------------------------------------------------

    def inc_receive(self) -> None:
        rng = self.rng
        sender, kind, superior, _ = rng.choices(SENDERS, weights=[s[3] for s in SENDERS])[0]
        importance = rng.choices(
            [Importance.URGENT, Importance.IMPORTANT, Importance.ORDINARY], weights=[10, 20, 70]
        )[0]
        d = _Incoming(sender, kind, superior, rng.random() < 0.03, importance)
        d.id = self.o.incoming.receive(
            sender=sender,
            title=f"关于{rng.choice(TOPICS)}的{rng.choice(['通知', '请示', '报告', '函'])}",
            classification="机密" if d.classified else "非密",
            copies=rng.randint(1, 3),
            by=rng.choice(self.receivers),
            at=self.when,
        )
        self.counts["incoming.received"] += 1
        self.at(self.hours(0.1, 1), self.inc_register, d)

    def inc_register(self, d: _Incoming) -> None:
        inc, by = self.o.incoming, self.rng.choice(self.receivers)
        if d.classified and self.rng.random() < 0.2:
            self.refused(
                "扫描机密件后登记",
                lambda: inc.register(
                    d.id,
                    sender_type=d.sender_type,
                    scan_ref="scan/secret.pdf",
                    by=by,
                    at=self.when,
                ),
            )
        inc.register(
            d.id,
            sender_type=d.sender_type,
            sender_number=f"来文〔{self.year}〕{self.rng.randint(1, 300)}号",
            importance=d.importance,
            remarks="单独保存" if d.classified else "",
            scan_ref=None if d.classified else f"scan/{d.id}.pdf",
            from_superior=d.superior,
            policy_document=self.rng.random() < 0.05,
            by=by,
            at=self.when,
        )
        self.at(self.hours(0.1, 2), self.inc_screen, d)

    def inc_screen(self, d: _Incoming) -> None:
        inc, by = self.o.incoming, self.rng.choice(self.receivers)
        if self.rng.random() < 0.05:
            failed = self.rng.sample(list(ScreeningCheck), self.rng.randint(1, 2))
            inc.screen(
                d.id,
                results={c: c not in failed for c in ScreeningCheck},
                reason="不符合行文规则,请按规定报送",
                by=by,
                at=self.when,
            )
            self.counts["incoming.returned"] += 1
            if self.rng.random() < 0.2:
                self.refused(
                    "对已退文的来文分办",
                    lambda: inc.assign(
                        d.id,
                        kind="action",
                        proposal="转办",
                        lead_unit="biz1",
                        by=P.office_head,
                        at=self.when,
                    ),
                )
            return
        inc.screen(d.id, results=ALL_PASS, by=by, at=self.when)
        self.at(self.hours(1, 6), self.inc_assign, d)

    def inc_assign(self, d: _Incoming, again: bool = False) -> None:
        inc, rng = self.o.incoming, self.rng
        desk = inc.get(d.id).desk
        by = self.heads[desk or "office"]
        if not again and rng.random() < 0.25:
            readers = rng.sample([*LEADERS[1:], *self.heads.values()], rng.randint(2, 4))
            inc.assign(
                d.id,
                kind=HandlingKind.READING,
                proposal="请阅",
                readers=readers,
                by=by,
                at=self.when,
            )
            self.counts["incoming.reading"] += 1
            for reader in readers:
                self.at(self.days_later(0, 3), self.inc_read, d, reader)
            self.at(self.days_later(4, 6), self.inc_archive, d)
            return
        if d.sender_type is SenderType.DISCIPLINE and not again:
            lead = "discipline"
        elif d.sender_type is SenderType.PARTY and not again:
            lead = "party"
        else:
            lead = rng.choice([u for u in BUSINESS if u != d.lead])
        co = rng.sample([u for u in BUSINESS if u != lead], rng.choice([0, 0, 0, 1, 2]))
        leaders: list[str] = []
        if not again:
            if d.superior:
                leaders = [P.principal]
            if d.superior or rng.random() < 0.5:
                supervisor = self.leader_of[lead]
                if supervisor not in leaders:
                    leaders.append(supervisor)
        asks = bool(leaders) and rng.random() < 0.5
        within = {Importance.URGENT: 3, Importance.IMPORTANT: 10}.get(d.importance)
        if within is None and rng.random() < 0.5:
            within = 15
        d.lead, d.leaders = lead, tuple(leaders)
        d.deadline = inc.assign(
            d.id,
            kind=HandlingKind.ACTION,
            proposal=f"请{'、'.join(leaders) or '有关处室'}阅示,{lead}主办",
            lead_unit=lead,
            co_units=co,
            leaders=leaders,
            asks_decision=asks,
            within_working_days=within,
            by=by,
            at=self.when,
        )
        if leaders:
            self.at(self.hours(1, 12), self.inc_instruct, d, 0, asks)
        else:
            self.at(self.hours(1, 8), self.inc_accept, d)

    def inc_instruct(self, d: _Incoming, k: int, asks: bool) -> None:
        inc = self.o.incoming
        leader = d.leaders[k]
        by, for_ = self.acting(leader)
        main = k == 0
        if main and asks and self.rng.random() < 0.05:
            self.refused(
                "主批人只画圈、不签意见",
                lambda: inc.instruct(d.id, by=by, on_behalf_of=for_, at=self.when),
            )
        opinion = (
            "同意,请抓紧办理" if main and asks else self.rng.choice(["", "阅", "请按规定办理"])
        )
        inc.instruct(d.id, by=by, on_behalf_of=for_, opinion=opinion, at=self.when)
        self.counts["incoming.instructed"] += 1
        if main:
            if d.lead is not None and self.rng.random() < 0.06:
                self.at(self.hours(0.5, 3), self.task_from_instruction, d, leader)
            self.at(self.hours(1, 8), self.inc_accept, d)
        if k + 1 < len(d.leaders):
            self.at(self.hours(0.5, 8), self.inc_instruct, d, k + 1, asks)

    def inc_read(self, d: _Incoming, reader: str) -> None:
        self.o.incoming.confirm_read(d.id, by=reader, at=self.when)

    def inc_accept(self, d: _Incoming) -> None:
        inc, rng = self.o.incoming, self.rng
        assert d.lead is not None
        head = self.heads[d.lead]
        if rng.random() < 0.03 and not d.sent_back and not d.leaders:
            inc.send_back(d.id, reason="不属本处室职责", by=head, at=self.when)
            self.counts["incoming.sent_back"] += 1
            d.sent_back = True
            self.at(self.hours(1, 6), self.inc_assign, d, True)
            return
        inc.accept(d.id, by=head, at=self.when)
        if rng.random() < 0.2:
            reader = rng.choice([s for s in self.staff[d.lead] if s != head])
            inc.circulate(d.id, to=[reader], by=head, at=self.when)
            self.at(self.hours(1, 8), self.inc_read, d, reader)
        if rng.random() < 0.04:
            self.at(self.hours(1, 4), self.task_from_incoming, d)
        late = d.deadline is not None and rng.random() < 0.12
        if d.deadline is None:
            handle = self.days_later(2, 20)
        elif late:
            i = self.after(d.deadline)
            handle = self.days_later(0, 4, (i, OPEN)) if i is not None else None
            due = self.on_or_before(d.deadline)
            if rng.random() < 0.4 and due is not None and due >= self.now[0]:
                self.at((due, 11 * 60), self.inc_explain, d)
        else:
            due = self.on_or_before(d.deadline)
            last = max(self.now[0], due if due is not None else self.now[0])
            handle = (self.rng.randint(self.now[0], last), self.rng.randint(14 * 60, 17 * 60))
        if handle is not None and handle[0] >= len(self.days):
            handle = None
        urge = self.hours(0.5, 4)
        if rng.random() < 0.1 and handle is not None and urge is not None and urge < handle:
            self.at(urge, self.inc_urge, d)
        self.at(handle, self.inc_handle, d)

    def inc_explain(self, d: _Incoming) -> None:
        assert d.lead is not None and d.deadline is not None
        self.o.incoming.explain_delay(
            d.id,
            by=self.heads[d.lead],
            reason="需征求有关单位意见",
            expected_by=d.deadline + timedelta(days=5),
            at=self.when,
        )

    def inc_urge(self, d: _Incoming) -> None:
        channel = self.rng.choice(["phone", "letter", "on_site"])
        self.o.incoming.urge(
            d.id, channel=channel, note="询问办理进度", by=self.officer(), at=self.when
        )

    def inc_handle(self, d: _Incoming) -> None:
        assert d.lead is not None
        late = d.deadline is not None and self.day > d.deadline
        head = self.heads[d.lead]
        self.o.incoming.handle(d.id, by=head, result="已按要求办理完毕", at=self.when)
        self.counts["incoming.handled"] += 1
        self.counts["incoming.late"] += late
        if self.rng.random() < 0.7:
            self.at(self.hours(0.5, 8), self.inc_reply, d)
        self.at(self.days_later(2, 5), self.inc_archive, d)

    def inc_reply(self, d: _Incoming) -> None:
        assert d.lead is not None
        self.o.incoming.reply(
            d.id, by=self.heads[d.lead], content="来文所提事项已办理", at=self.when
        )

    def inc_archive(self, d: _Incoming) -> None:
        self.o.incoming.archive(d.id, by=P.archivist, at=self.when)
        self.counts["incoming.archived"] += 1

    # --- the annual meeting plan and the meetings ---------------------------------------------

    def plan_rows(self) -> list[_Meeting]:
        """The year's planned meetings, one per row, each on a working day (from the third
        week of the walk, so there is time to plan them)."""
        rows: list[_Meeting] = []
        earliest = max(self.first, 18)
        rng = self.rng

        def on(month: int, day: int) -> int | None:
            i = self.after(date(self.year, month, day) - timedelta(days=1))
            return i if i is not None and i >= earliest else None

        heads = sorted(self.heads.values())

        def add(
            kind: MeetingKind,
            organiser: str,
            title: str,
            di: int | None,
            invitees: Sequence[str],
            *,
            minute: int = 9 * 60,
            days: str = "1",
            cost: float = 0.0,
            form: MeetingForm = MeetingForm.IN_PERSON,
            extra: int = 3,
        ) -> None:
            if di is None:
                return
            people = list(dict.fromkeys(invitees))
            participants = len(people) + extra
            length = Decimal(days)
            budget = int(550 * participants * length * Decimal(str(cost))) // 100 * 100
            rows.append(
                _Meeting(
                    kind=kind,
                    organiser=organiser,
                    title=title,
                    day=di,
                    minute=minute,
                    chair="",
                    delegated_by=None,
                    participants=participants,
                    days=length,
                    budget=budget,
                    form=form,
                    invitees=people,
                    planned=True,
                )
            )

        leaders = list(LEADERS)
        for month in range(1, 13):
            add(
                MeetingKind.OFFICE,
                "office",
                f"{month}月局长办公会议",
                on(month, 10),
                [*leaders, P.office_head, *rng.sample(heads, 6)],
                minute=14 * 60 + 30,
            )
            add(
                MeetingKind.MONTHLY,
                "office",
                f"{month}月机关工作例会",
                on(month, 3),
                [*leaders, *heads],
                cost=0.1,
            )
            add(
                MeetingKind.PARTY_GROUP,
                "party",
                f"{month}月党组会议",
                on(month, 6),
                [*leaders, P.party_head],
            )
        for month in (3, 6, 9, 12):
            add(
                MeetingKind.JOINT,
                "office",
                f"{month // 3}季度党政联席会议",
                on(month, 20),
                [*leaders, P.party_head, P.office_head, P.discipline_head],
            )
        for quarter, month in enumerate((1, 4, 7, 10), start=1):
            add(
                MeetingKind.QUARTERLY,
                "office",
                f"第{quarter}季度例会",
                on(month, 15),
                [*leaders, *heads],
                cost=0.2,
            )
        add(
            MeetingKind.ANNUAL,
            "office",
            "年度工作会议",
            on(1, 15),
            [*leaders, *heads, *sorted(self.people)[:60]],
            cost=0.5,
            extra=5,
        )
        for month in (1, 7):
            add(
                MeetingKind.SYSTEM,
                "office",
                f"{'上' if month == 7 else '下'}半年系统工作会议",
                on(month, 22),
                [*leaders, *heads, *rng.sample(sorted(self.people), 15)],
                cost=0.4,
            )
        add(
            MeetingKind.COMMENDATION,
            "personnel",
            "年度总结表彰大会",
            on(2, 6),
            [*leaders, *heads, *rng.sample(sorted(self.people), 12)],
            minute=15 * 60,
            cost=0.3,
        )
        week = earliest
        while week < len(self.days):
            monday = self.days[week]
            nxt = self.after(monday + timedelta(days=6 - monday.weekday()))
            if self.scale < 1 and rng.random() > self.scale:  # fewer at a small scale
                week = nxt if nxt is not None else len(self.days)
                continue
            add(
                MeetingKind.WEEKLY,
                "office",
                f"{monday.month}月{monday.day}日周例会",
                week,
                [*leaders[:3], P.office_head, *rng.sample(heads, 4)],
                minute=9 * 60 + 30,
                extra=1,
            )
            if nxt is None:
                break
            week = nxt
        for kind, key, form, length in (
            (MeetingKind.TOPIC, "topic_rows", MeetingForm.IN_PERSON, "1"),
            (MeetingKind.VIDEO, "video_rows", MeetingForm.VIDEO, "0.5"),
        ):
            for _ in range(round(VOLUME[key] * self.scale)):
                unit = rng.choice(BUSINESS)
                if len(self.days) - 3 <= earliest:
                    break
                di = rng.randint(earliest, len(self.days) - 3)
                people = [self.heads[unit], *self.staff[unit][:3]]
                people += rng.sample([self.heads[u] for u in BUSINESS if u != unit], 3)
                add(
                    kind,
                    unit,
                    f"{rng.choice(TOPICS)}{'视频' if form is MeetingForm.VIDEO else '专题'}会议",
                    di,
                    [self.leader_of[unit], *people],
                    minute=rng.choice([9 * 60, 14 * 60 + 30]),
                    days=length,
                    cost=0.3 if form is MeetingForm.IN_PERSON else 0.1,
                    form=form,
                )
        rows.sort(key=lambda r: (r.day, r.minute))
        self.counts["meetings.plan_rows"] += len(rows)
        return rows

    def choose_chair(self, r: _Meeting) -> None:
        """The chair the kind allows, not away that day; leaders away are not invited."""
        present = [x for x in LEADERS if not self.is_away(x, r.day)]
        if r.kind in PRINCIPAL_KINDS:
            r.chair = P.principal
        elif r.kind in (MeetingKind.OFFICE, MeetingKind.MONTHLY):
            if P.principal in present:
                r.chair = P.principal
            else:
                r.chair, r.delegated_by = present[0], P.principal
        else:
            supervisor = self.leader_of.get(r.organiser, P.principal)
            r.chair = supervisor if supervisor in present else present[0]
        r.invitees = [
            p for p in r.invitees if p not in LEADERS or p in present or p == r.delegated_by
        ]
        if r.delegated_by is not None and r.delegated_by in r.invitees:
            r.invitees.remove(r.delegated_by)
        if r.chair not in r.invitees:
            r.invitees.insert(0, r.chair)

    def plan_collect(self, rows: list[_Meeting]) -> None:
        """征集、提出、同意、审核、审定 the year's meeting plan."""
        m = self.o.meetings
        try:
            status: MeetingPlanStatus | None = m.plan_for(self.year).status
        except GovOfficeError:
            status = None
        if status is None:
            m.open_plan(year=self.year, by=P.secretary, at=self.when)
        elif status is MeetingPlanStatus.REVIEWED:
            m.approve_plan(year=self.year, by=P.principal, at=self.when)
            status = MeetingPlanStatus.APPROVED
        if status is MeetingPlanStatus.APPROVED:
            m.reopen_plan(
                year=self.year, reason="补充本年度会议计划", by=P.office_head, at=self.when
            )
        due = date(self.year - 1, 12, 10)
        for k, r in enumerate(rows):
            when = (min(k // 25, 4), 9 * 60 + (k % 25) * 15)
            self.at(when, self.plan_row, r, self.days[when[0]] > due)
        self.at((5, 9 * 60), self.plan_endorse, rows)

    def plan_row(self, r: _Meeting, late: bool) -> None:
        r.serial = self.o.meetings.submit_plan_row(
            year=self.year,
            organiser=r.organiser,
            name=r.title,
            content=f"研究部署{self.rng.choice(TOPICS)}等工作",
            kind=r.kind,
            planned_date=self.days[r.day],
            place="局视频会议室" if r.form is MeetingForm.VIDEO else "局三楼会议室",
            participant_scope="局领导、有关处室负责人",
            days=r.days,
            participants=r.participants,
            budget_10k=Decimal(r.budget) / 10000,
            form=r.form,
            attending_leaders=[x for x in r.invitees if x in LEADERS],
            late_reason="系统上线,补录本年度会议计划" if late else "",
            by=self.heads[r.organiser],
            at=self.when,
        )

    def plan_endorse(self, rows: list[_Meeting]) -> None:
        m = self.o.meetings
        for r in rows:
            leader = self.leader_of.get(r.organiser, P.principal)
            by, for_ = self.acting(leader)
            m.endorse_plan_row(
                year=self.year,
                serial=r.serial,  # type: ignore[arg-type]
                by=by,
                on_behalf_of=for_,
                at=self.when,
            )
        self.at((8, 10 * 60), self.plan_approve, rows)

    def plan_approve(self, rows: list[_Meeting]) -> None:
        m = self.o.meetings
        m.review_plan(year=self.year, by=P.office_head, opinion="经审核,同意报审", at=self.when)
        over = [r for r in rows if r.participants > 50]
        if over:
            self.refused(
                "审定含超标准会议的年度计划",
                lambda: m.approve_plan(year=self.year, by=P.principal, at=self.when),
            )
        for r in over:
            m.approve_plan_limit_exception(
                year=self.year,
                serial=r.serial,  # type: ignore[arg-type]
                reason="全局年度工作会议需全体干部参加",
                by=P.principal,
                at=self.when,
            )
            self.counts["meetings.exceptions"] += 1
        m.approve_plan(year=self.year, by=P.principal, at=self.when)
        for r in rows:
            first = max(self.now[0] + 1, r.day - self.rng.randint(6, 10))
            if first < r.day:
                self.at((first, 10 * 60), self.meeting_schedule, r)

    def meeting_schedule(self, r: _Meeting) -> None:
        r.id = self.o.meetings.schedule(
            year=self.year,
            serial=r.serial,  # type: ignore[arg-type]
            starts_at=self.dt((r.day, r.minute)),
            chair=r.chair,
            delegated_by=r.delegated_by,
            by=self.reviewer(),
            at=self.when,
        )
        self.counts["meetings.scheduled"] += 1
        self.meeting_prepare(r)

    def meeting_request(self) -> None:
        """计划外会议签报: a unit asks for a topic or video meeting outside the plan."""
        rng = self.rng
        unit = rng.choice(BUSINESS)
        di = self.now[0] + rng.randint(9, 16)
        if di >= len(self.days):
            return
        video = rng.random() < 0.25
        present = [x for x in LEADERS if not self.is_away(x, di)]
        supervisor = self.leader_of[unit]
        chair = supervisor if supervisor in present else present[0]
        over = rng.random() < 0.15
        people = [chair, self.heads[unit], *self.staff[unit][:3]]
        people += rng.sample([self.heads[u] for u in BUSINESS if u != unit], rng.randint(2, 6))
        big = over and rng.random() < 0.6  # over the headcount, else over the days
        participants = rng.randint(60, 80) if big else len(people) + 5
        length = Decimal("0.5") if video else Decimal(1)
        if over and not big:
            length *= 2
        budget = int(550 * participants * length * Decimal("0.4")) // 100 * 100
        r = _Meeting(
            kind=MeetingKind.VIDEO if video else MeetingKind.TOPIC,
            organiser=unit,
            title=f"{rng.choice(TOPICS)}{'视频' if video else '专题'}会议",
            day=di,
            minute=rng.choice([9 * 60, 14 * 60 + 30]),
            chair=chair,
            delegated_by=None,
            participants=participants,
            days=length,
            budget=budget,
            form=MeetingForm.VIDEO if video else MeetingForm.IN_PERSON,
            invitees=list(dict.fromkeys(people)),
            planned=False,
        )
        r.id = self.o.meetings.request(
            kind=r.kind,
            title=r.title,
            content="研究有关工作",
            reason="工作需要,未列入年度计划",
            organiser=unit,
            starts_at=self.dt((di, r.minute)),
            place="局视频会议室" if video else "局二楼会议室",
            participant_scope="有关处室负责人及业务骨干",
            participants=participants,
            days=length,
            budget=budget,
            funding_source=f"{unit}业务经费",
            chair=chair,
            form=r.form,
            by=self.heads[unit],
            at=self.when,
        )
        self.counts["meetings.requested"] += 1
        self.counts["meetings.over_limits"] += over
        last = self.now
        for party in self.countersigners(r):
            when = self.hours(1, 10)
            if when is None:
                return
            last = max(last, when)
            self.at(when, self.meeting_countersign, r, party)
        self.at(self.hours(1, 6, last), self.meeting_approve, r, over)

    def countersigners(self, r: _Meeting) -> list[str]:
        parties = [u for u in ("office", "finance") if u != r.organiser]
        if not r.planned:
            parties.append(self.leader_of.get(r.organiser, P.principal))
        return parties

    def meeting_countersign(self, r: _Meeting, party: str) -> None:
        if party in LEADERS:
            by, for_ = self.acting(party)
        else:
            by, for_ = self.heads[party], None
        self.o.meetings.countersign(
            r.id, party=party, by=by, on_behalf_of=for_, opinion="同意", at=self.when
        )

    def meeting_approve(self, r: _Meeting, over: bool) -> None:
        m = self.o.meetings
        by, for_ = self.acting(P.principal)
        if over:
            self.refused(
                "审批超出会议标准的签报",
                lambda: m.approve(r.id, by=by, on_behalf_of=for_, at=self.when),
            )
            if self.rng.random() < 0.4:
                m.approve_limit_exception(
                    r.id, reason="全系统业务培训确需", by=by, on_behalf_of=for_, at=self.when
                )
                self.counts["meetings.exceptions"] += 1
            else:
                m.reject(
                    r.id, reason="超出会议标准,请压缩规模", by=by, on_behalf_of=for_, at=self.when
                )
                self.counts["meetings.rejected"] += 1
                return
        elif self.rng.random() < 0.1:
            m.reject(r.id, reason="可并入例会研究", by=by, on_behalf_of=for_, at=self.when)
            self.counts["meetings.rejected"] += 1
            return
        m.approve(r.id, by=by, on_behalf_of=for_, at=self.when)
        r.participants = min(r.participants, 200)
        self.meeting_prepare(r)

    def meeting_prepare(self, r: _Meeting) -> None:
        """Agenda, notice, countersigning, answers and leave, seating, up to the day."""
        m, rng = self.o.meetings, self.rng
        r.approver = str(m.get(r.id).leave_approver)
        if rng.random() < 0.04 and not r.planned:
            self.at(self.hours(1, 4), self.meeting_cancel, r)
            return
        due = self.on_or_before(self.days[r.day] - timedelta(days=2))
        if due is None or due <= self.now[0] or r.day - self.now[0] < 3:
            due = None
        if r.kind in AGENDA_KINDS and due is not None:
            for k in range(rng.randint(1, 3)):
                unit = r.organiser if k == 0 else rng.choice(BUSINESS)
                ok = k == 0 or rng.random() < 0.9
                when = (rng.randint(self.now[0], due), rng.randint(10 * 60, 12 * 60))
                self.at(when, self.meeting_item, r, unit, ok, due)
            agenda_day = due + 1 if due + 1 < r.day else r.day
            minute = 10 * 60 if agenda_day < r.day else r.minute - 30
            self.at((agenda_day, minute), self.meeting_agenda, r)
        self.at(self.hours(0.5, 2), self.meeting_notice, r)

    def meeting_item(self, r: _Meeting, unit: str, with_materials: bool, due: int) -> None:
        m = self.o.meetings
        head = self.heads[unit]
        key = m.propose_agenda_item(
            r.id, title=f"关于{self.rng.choice(TOPICS)}的议题", unit=unit, by=head, at=self.when
        )
        r.items.append((key, unit, with_materials))
        if with_materials:
            lo = max(self.now[1] if due == self.now[0] else 0, 13 * 60)
            self.at(
                (due, self.rng.randint(lo, max(lo, 17 * 60))), self.meeting_materials, r, key, unit
            )

    def meeting_materials(self, r: _Meeting, key: str, unit: str) -> None:
        self.o.meetings.submit_materials(
            r.id, item=key, materials=["议题说明", "有关材料"], by=self.of_unit(unit), at=self.when
        )

    def meeting_agenda(self, r: _Meeting) -> None:
        m = self.o.meetings
        ready = [k for k, _, ok in r.items if ok]
        missing = [k for k, _, ok in r.items if not ok]
        by, for_ = self.acting(r.chair)
        if missing and self.rng.random() < 0.3:
            self.refused(
                "把材料未到的议题列入议程",
                lambda: m.set_agenda(
                    r.id, items=[*ready, *missing], by=by, on_behalf_of=for_, at=self.when
                ),
            )
        if ready:
            m.set_agenda(r.id, items=ready, by=by, on_behalf_of=for_, at=self.when)

    def meeting_cancel(self, r: _Meeting) -> None:
        self.o.meetings.cancel(r.id, reason="与例会内容重复,取消", by=P.office_head, at=self.when)
        self.counts["meetings.cancelled"] += 1

    def meeting_notice(self, r: _Meeting) -> None:
        m = self.o.meetings
        people = r.invitees[: r.participants]
        r.invitees = people
        m.draft_notice(
            r.id,
            invitees=people,
            contact="办公室 0000-12345678",
            notes="请提前10分钟到场签到",
            by=self.of_unit(r.organiser),
            at=self.when,
        )
        last = self.now
        if self.rng.random() < 0.03:
            signer = P.principal if not r.planned else self.leader_of.get(r.organiser, P.principal)
            by, for_ = self.acting(signer)
            self.refused(
                "未经会签即签批会议通知",
                lambda: m.issue_notice(r.id, by=by, on_behalf_of=for_, at=self.when),
            )
        for party in self.countersigners(r):
            when = self.hours(0.5, 4)
            if when is None or when[0] >= r.day:
                return
            last = max(last, when)
            self.at(when, self.meeting_countersign, r, party)
        self.at(self.hours(0.5, 2, last), self.meeting_issue, r)

    def meeting_issue(self, r: _Meeting) -> None:
        if self.now[0] >= r.day:
            return  # too late to notify: the meeting does not take place
        signer = P.principal if not r.planned else self.leader_of.get(r.organiser, P.principal)
        by, for_ = self.acting(signer)
        self.o.meetings.issue_notice(r.id, by=by, on_behalf_of=for_, at=self.when)
        rng = self.rng
        answer_until = r.day - 2
        for person in r.invitees:
            if person == r.chair:
                continue
            declines = person not in LEADERS and person != r.approver and rng.random() < 0.06
            if declines and answer_until > self.now[0]:
                substitute = None
                unit = self.people[person].unit
                used = set(r.leave.values())
                spare = [s for s in self.staff[unit] if s not in r.invitees and s not in used]
                if spare and rng.random() < 0.4:
                    substitute = rng.choice(spare)
                when = (rng.randint(self.now[0] + 1, answer_until), rng.randint(OPEN, 15 * 60))
                r.leave[person] = substitute
                self.at(when, self.meeting_leave, r, person, substitute)
            elif rng.random() < 0.4 and r.day - 1 > self.now[0]:
                when = (rng.randint(self.now[0] + 1, r.day - 1), rng.randint(OPEN, CLOSE))
                self.at(when, self.meeting_answer, r, person)
        hosts = [x for x in LEADERS if x in r.invitees]
        if r.kind in ROSTRUM_KINDS and len(hosts) >= 2 and r.day - 1 > self.now[0]:
            self.at((r.day - 1, 16 * 60 + 30), self.meeting_seating, r, hosts)
        for person in r.invitees:
            self.at((r.day, r.minute - 25), self.meeting_sign_in, r, person)
        duration = 180 if r.days < 1 else (60 if r.kind is MeetingKind.WEEKLY else 150)
        self.at((r.day, min(r.minute + duration, CLOSE)), self.meeting_hold, r)

    def meeting_answer(self, r: _Meeting, person: str) -> None:
        self.o.meetings.answer(r.id, attend=True, by=person, at=self.when)

    def meeting_leave(self, r: _Meeting, person: str, substitute: str | None) -> None:
        m = self.o.meetings
        m.answer(
            r.id,
            attend=False,
            reason="另有公务",
            substitute=substitute,
            by=person,
            at=self.when,
        )
        self.counts["meetings.leave"] += 1
        self.at(self.hours(0.3, 1.5), self.meeting_leave_decision, r, person)

    def meeting_leave_decision(self, r: _Meeting, person: str) -> None:
        m = self.o.meetings
        by, for_ = self.acting(r.approver)
        if self.rng.random() < 0.1:
            m.refuse_leave(
                r.id,
                person=person,
                opinion="会议重要,请准时参加",
                by=by,
                on_behalf_of=for_,
                at=self.when,
            )
            r.leave.pop(person, None)
        else:
            m.grant_leave(r.id, person=person, by=by, on_behalf_of=for_, at=self.when)

    def meeting_seating(self, r: _Meeting, hosts: list[str]) -> None:
        m = self.o.meetings
        by = self.of_unit(r.organiser)
        m.arrange_seating(r.id, hosts=hosts, by=by, at=self.when)
        if len(hosts) >= 3 and self.rng.random() < 0.1:
            m.swap_seats(
                r.id,
                a=hosts[1],
                b=hosts[2],
                reason="临时调整",
                by=by,
                at=self.when,
            )

    def meeting_sign_in(self, r: _Meeting, person: str) -> None:
        rng = self.rng
        if person in r.leave:
            substitute = r.leave[person]
            if substitute is None:
                return
            person = substitute
        elif person != r.chair and rng.random() < 0.02:
            return  # absent
        late = rng.random() < 0.05 and person != r.chair
        minute = r.minute + (rng.randint(3, 15) if late else -rng.randint(0, 20))
        self.at((r.day, minute), self.meeting_signed_in, r, person)

    def meeting_signed_in(self, r: _Meeting, person: str) -> None:
        self.o.meetings.sign_in(r.id, by=person, at=self.when)
        r.signed_in.append(person)
        if person in r.invitees:
            r.in_person.append(person)

    def meeting_hold(self, r: _Meeting) -> None:
        m, rng = self.o.meetings, self.rng
        by = self.of_unit(r.organiser)
        m.hold(r.id, by=by, at=self.when)
        self.counts["meetings.held"] += 1
        early = [rng.choice(r.in_person)] if r.in_person and rng.random() < 0.05 else []
        early = [p for p in early if p != r.chair]
        m.record_attendance(r.id, by=by, left_early=early, at=self.when)
        minutes = r.kind in MINUTES_KINDS or (bool(r.items) and rng.random() < 0.6)
        if minutes:
            self.at(self.days_later(1, 1, start=9 * 60 + 30, end=11 * 60), self.meeting_minutes, r)
        else:
            self.at(self.days_later(1, 4), self.meeting_archive, r)
        if r.budget > 0 and r.signed_in:
            self.at(self.days_later(2, 4), self.meeting_settle, r)
        if rng.random() < 0.3:
            self.at(self.days_later(2, 5), self.meeting_evaluate, r)

    def meeting_minutes(self, r: _Meeting) -> None:
        m = self.o.meetings
        by = self.of_unit(r.organiser) if r.organiser != "office" else self.reviewer()
        m.draft_minutes(r.id, text=f"{r.title}纪要:会议研究了有关事项……", by=by, at=self.when)
        agenda = m.get(r.id).agenda
        t = self.when
        if agenda and self.rng.random() < 0.02:
            self.refused(
                "把未列入议程的事项记为议定事项",
                lambda: m.record_decision(
                    r.id,
                    agenda_item="99",
                    content="临时动议",
                    responsible_unit="biz1",
                    deadline=t.date() + timedelta(days=30),
                    by=by,
                    at=t,
                ),
            )
        units_of = {k: u for k, u, _ in r.items}
        for key in agenda:
            if self.rng.random() < 0.7:
                unit = units_of.get(key, r.organiser)
                m.record_decision(
                    r.id,
                    agenda_item=key,
                    content=f"由{unit}牵头落实",
                    responsible_unit=unit,
                    deadline=t.date() + timedelta(days=self.rng.randint(15, 60)),
                    by=by,
                    at=t,
                )
                r.decisions += 1
        self.at(self.hours(1, 6), self.meeting_sign_minutes, r)

    def meeting_sign_minutes(self, r: _Meeting) -> None:
        m = self.o.meetings
        by, for_ = self.acting(r.chair)
        m.sign_minutes(r.id, by=by, on_behalf_of=for_, at=self.when)
        reviewer = self.reviewer()
        m.number_minutes(r.id, by=reviewer, at=self.when)
        m.distribute_minutes(r.id, by=reviewer, at=self.when)
        self.counts["meetings.minutes"] += 1
        if r.decisions:
            self.at(self.hours(1, 8), self.meeting_tasks, r)
        self.at(self.days_later(1, 3), self.meeting_archive, r)

    def meeting_tasks(self, r: _Meeting) -> None:
        sv = self.o.supervision
        tasks = self.o.meetings.open_decided_item_tasks(r.id, by=self.officer(), at=self.when)
        for task_id in tasks.values():
            self.counts["tasks.opened"] += 1
            task = sv.get(task_id)
            self.task_plan(task_id, task.lead_unit, task.deadline)

    def meeting_settle(self, r: _Meeting) -> None:
        m = self.o.meetings
        people = len(r.signed_in)
        cap = min(Decimal(r.budget), Decimal(550) * people * r.days)
        venue = int(cap * Decimal("0.5"))
        printing = int(cap * Decimal("0.2"))
        by = self.of_unit(r.organiser)
        if self.rng.random() < 0.02:
            self.refused(
                "以现金结算会议费",
                lambda: m.settle_costs(
                    r.id, participants=people, payment="cash", venue=venue, by=by, at=self.when
                ),
            )
        m.settle_costs(
            r.id,
            participants=people,
            payment=self.rng.choice(["bank_transfer", "official_card"]),
            venue=venue,
            printing=printing,
            by=by,
            at=self.when,
        )

    def meeting_evaluate(self, r: _Meeting) -> None:
        self.o.meetings.evaluate(
            r.id,
            preparation="准备充分",
            agenda="议程紧凑",
            problems_solved="研究解决了有关问题",
            consensus="形成共识",
            results="议定事项已交办",
            by=self.heads[r.organiser],
            at=self.when,
        )

    def meeting_archive(self, r: _Meeting) -> None:
        m = self.o.meetings
        due = m.get(r.id).archive_due
        late = due is not None and self.day > due
        m.archive(
            r.id,
            materials=["会议通知", "签到表", "会议记录", *(["会议纪要"] if r.decisions else [])],
            late_reason="纪要签发耗时较长" if late else "",
            by=P.archivist,
            at=self.when,
        )
        self.counts["meetings.archived"] += 1

    # --- proposals (建议提案) ------------------------------------------------------------------

    def proposal_batch(self) -> None:
        """The spring batch: registered after the sessions (两会), assigned at one meeting."""
        start = self.after(date(self.year, 3, 9))
        if start is None:
            return
        start = max(start, self.first + 3)
        count = round(VOLUME["proposals"] * self.scale)
        span = 12
        for k in range(count):
            di = start + (k * span) // max(1, count)
            if di < len(self.days):
                self.at((di, OPEN + (k % 30) * 10), self.proposal_submit, start + span + 2)

    def proposal_submit(self, assign_day: int) -> None:
        rng = self.rng
        kind = rng.choice(list(ProposalKind))
        proposers = rng.sample(PROPOSERS, rng.choice([1, 1, 1, 2, 3]))
        pid = self.o.proposals.submit(
            kind=kind,
            field=rng.choice(list(Field)),
            proposers=proposers,
            title=f"关于加强{rng.choice(TOPICS)}的建议",
            content="建议……",
            session=f"{self.year}年人代会、政协会",
            by=P.secretary,
            at=self.when,
        )
        self.counts["proposals.submitted"] += 1
        lead = rng.choice(BUSINESS)
        co = rng.sample([u for u in BUSINESS if u != lead], rng.choice([0, 0, 1]))
        p = _Proposal(
            pid,
            proposers,
            lead,
            co,
            {
                "dispute": rng.random() < 0.08,
                "extend": rng.random() < 0.12,
                "stuck": rng.random() < 0.05,
                "days": rng.randint(20, 70),
            },
        )
        if assign_day < len(self.days):
            self.at((max(assign_day, self.now[0] + 1), 14 * 60), self.proposal_assign, p)

    def proposal_assign(self, p: _Proposal) -> None:
        p.due = self.o.proposals.assign(
            p.id,
            lead_unit=p.lead,
            co_units=p.co,
            secretary=P.secretary,
            meeting="建议提案交办会",
            by=P.supervision_officer,
            at=self.when,
        )
        if self.rng.random() < 0.08:
            self.at(self.hours(1, 8), self.task_from_proposal, p)
        self.proposal_next(p, "dispute" if p.plan["dispute"] else None)

    def proposal_next(self, p: _Proposal, first: str | None) -> None:
        if first == "dispute":
            self.at(self.days_later(1, 3), self.proposal_dispute, p)
        elif p.plan["stuck"]:
            i = self.after(p.due) if p.due else None
            if i is not None:
                self.at((i, 10 * 60), self.proposal_letter, p)
        elif p.co:
            self.at(self.days_later(5, 18), self.proposal_co_opinion, p)
        else:
            days = p.plan["days"]
            self.at(self.days_later(days, days), self.proposal_draft, p)

    def proposal_dispute(self, p: _Proposal) -> None:
        props = self.o.proposals
        props.dispute_assignment(
            p.id, unit=p.lead, reason="不属本单位职责", by=self.heads[p.lead], at=self.when
        )
        self.counts["proposals.disputed"] += 1
        p.lead = self.rng.choice([u for u in BUSINESS if u != p.lead and u not in p.co])
        p.due = None
        self.at(self.hours(2, 10), self.proposal_reassign, p)

    def proposal_reassign(self, p: _Proposal) -> None:
        p.due = self.o.proposals.reassign(
            p.id,
            lead_unit=p.lead,
            co_units=p.co,
            reason="重新交办",
            by=P.supervision_officer,
            at=self.when,
        )
        self.proposal_next(p, None)

    def proposal_co_opinion(self, p: _Proposal) -> None:
        props = self.o.proposals
        for unit in p.co:
            props.give_co_opinion(
                p.id, unit=unit, opinion="同意主办单位意见", by=self.heads[unit], at=self.when
            )
        if self.rng.random() < 0.3:
            channel = self.rng.choice([ProposalUrgeChannel.PHONE, ProposalUrgeChannel.ON_SITE])
            props.urge(p.id, channel=channel, by=P.secretary, at=self.when)
        days = p.plan["days"]
        if p.due is not None and self.day > p.due:  # after a supervision letter: be quick
            self.at(self.days_later(2, 6), self.proposal_draft, p)
        else:
            self.at(self.days_later(days // 2, days), self.proposal_draft, p)

    def proposal_letter(self, p: _Proposal) -> None:
        new = self.days[min(self.now[0] + 10, len(self.days) - 1)]
        if new <= self.day:
            return
        self.o.proposals.urge(
            p.id,
            channel=ProposalUrgeChannel.LETTER,
            new_deadline=new,
            note="请于限期内答复",
            by=P.supervision_officer,
            at=self.when,
        )
        p.plan["stuck"] = False
        if p.co:
            self.at(self.days_later(1, 3), self.proposal_co_opinion, p)
        else:
            self.at(self.days_later(3, 9), self.proposal_draft, p)

    def proposal_draft(self, p: _Proposal) -> None:
        props = self.o.proposals
        if p.plan["extend"] and p.rounds == 0 and p.due is not None and self.day <= p.due:
            until = p.due + timedelta(days=30)
            props.grant_extension(
                p.id, until=until, reason="情况复杂,需调研", by=P.supervision_officer, at=self.when
            )
            p.due, p.plan["extend"] = until, False
        if p.rounds == 0 and self.rng.random() < 0.2:
            props.meet_proposer(
                p.id,
                proposer=p.proposers[0],
                notes="当面听取意见",
                by=self.heads[p.lead],
                at=self.when,
            )
        result = self.rng.choices("ABC", weights=[6, 3, 1])[0]
        props.draft_reply(p.id, text="答复……", result=result, by=self.heads[p.lead], at=self.when)
        self.at(self.days_later(1, 3), self.proposal_review, p)

    def proposal_review(self, p: _Proposal) -> None:
        failed = ["format"] if self.rng.random() < 0.2 else []
        self.o.proposals.review_reply(
            p.id, checks=check_sheet(failed), by=P.secretary, at=self.when
        )
        if failed:
            self.at(self.days_later(1, 4), self.proposal_draft, p)
        else:
            self.at(self.days_later(1, 2), self.proposal_send, p)

    def proposal_send(self, p: _Proposal) -> None:
        self.o.proposals.send_reply(p.id, by=self.heads[p.lead], at=self.when)
        self.counts["proposals.replied"] += 1
        p.rounds += 1
        self.at(self.days_later(8, 20), self.proposal_rate, p)

    def proposal_rate(self, p: _Proposal) -> None:
        props = self.o.proposals
        for name in p.proposers:
            rating = self.rng.choices(list(Rating), weights=[80, 15, 5])[0]
            if p.rounds > 1:
                rating = Rating.SATISFIED
            props.record_feedback(p.id, proposer=name, rating=rating, by=P.secretary, at=self.when)
        item = props.get(p.id)
        if item.status is ProposalStatus.HANDLING:
            self.counts["proposals.reopened"] += 1
            p.due = item.due
            self.at(self.days_later(8, 30), self.proposal_draft, p)
        elif item.status is ProposalStatus.FOLLOWING_UP:
            self.at(self.days_later(20, 60), self.proposal_follow_up, p)
        else:
            self.at(self.days_later(1, 4), self.proposal_close, p)

    def proposal_follow_up(self, p: _Proposal) -> None:
        solved = self.rng.random() < 0.6
        self.o.proposals.follow_up(
            p.id, progress="正在落实", solved=solved, by=self.heads[p.lead], at=self.when
        )
        if solved:
            self.at(self.days_later(1, 4), self.proposal_close, p)
        else:
            self.at(self.days_later(20, 40), self.proposal_follow_up, p)

    def proposal_close(self, p: _Proposal) -> None:
        self.o.proposals.close(p.id, by=P.secretary, at=self.when)
        self.counts["proposals.closed"] += 1

    # --- supervision tasks (督查督办) ----------------------------------------------------------

    def hotline_case(self) -> None:
        self.references += 1
        unit = self.rng.choice(BUSINESS)
        source = SourceRef(SourceKind.HOTLINE, reference=f"12345-{self.year}-{self.references:05d}")
        self.open_task(source, f"热线来件{self.references}", unit, urgent=self.rng.random() < 0.1)

    def task_from_instruction(self, d: _Incoming, leader: str) -> None:
        assert d.lead is not None
        source = SourceRef(SourceKind.LEADER_INSTRUCTION, record_id=d.id, item="批示")
        self.open_task(source, "领导批示事项", d.lead, instructed_by=leader)

    def task_from_incoming(self, d: _Incoming) -> None:
        assert d.lead is not None
        source = SourceRef(SourceKind.INCOMING_DOCUMENT, record_id=d.id)
        self.open_task(source, "来文督办事项", d.lead)

    def task_from_proposal(self, p: _Proposal) -> None:
        if self.o.proposals.get(p.id).status not in (ProposalStatus.HANDLING,):
            return
        source = SourceRef(SourceKind.PROPOSAL, record_id=p.id)
        self.open_task(source, "建议提案督办事项", self.o.proposals.get(p.id).lead_unit or p.lead)

    def open_task(
        self,
        source: SourceRef,
        title: str,
        unit: str,
        *,
        urgent: bool = False,
        instructed_by: str | None = None,
    ) -> None:
        sv = self.o.supervision
        task_id = sv.open(
            source=source,
            title=title,
            lead_unit=unit,
            urgency="急件" if urgent else "一般",
            instructed_by=instructed_by,
            by=self.officer(),
            at=self.when,
        )
        self.counts["tasks.opened"] += 1
        self.task_plan(task_id, unit, sv.get(task_id).deadline)

    def task_plan(self, task: uuid.UUID, unit: str, deadline: date) -> None:
        """How the task runs, after the plans of the supervision figures test."""
        plan = self.rng.choices(TASK_PLANS, weights=TASK_WEIGHTS)[0]
        head = self.heads[unit]
        if deadline >= self.days[-1]:  # due after the year: still open at its end
            self.at(self.days_later(2, 10), self.task_progress, task, head)
            return
        due = self.on_or_before(deadline)
        nxt = self.after(deadline)
        if due is None or due <= self.now[0] + 2:
            plan = "on_time"
            due = max(due or 0, self.now[0])
        if plan in ("refused_late", "letter", "never"):
            self.counts["tasks.late_plans"] += 1
        if plan == "on_time":
            if due > self.now[0] + 2:
                self.at((self.now[0] + 2, 11 * 60), self.task_progress, task, head)
            if self.rng.random() < 0.5 and due - 2 > self.now[0]:
                self.at((due - 2, 10 * 60), self.task_urge, task, UrgeChannel.PROMPT_SHEET, None)
            self.at((due, 15 * 60), self.task_complete, task, head, True)
        elif plan == "extended":
            self.at((due - 1, 10 * 60), self.task_extend, task, head, deadline, True)
        elif plan == "refused_late":
            self.at((due - 1, 10 * 60), self.task_extend, task, head, deadline, False)
            if nxt is not None:
                self.at((nxt, 10 * 60), self.task_urge, task, UrgeChannel.PHONE, None)
                self.at(
                    self.days_later(2, 2, (nxt, 0), start=15 * 60),
                    self.task_complete,
                    task,
                    head,
                    True,
                )
        elif plan == "rejected_once":
            self.at((due - 2, 15 * 60), self.task_complete, task, head, False)
        elif plan == "letter" and nxt is not None:
            new = deadline + timedelta(days=8)
            self.at((nxt, 10 * 60), self.task_urge, task, UrgeChannel.SUPERVISION_LETTER, new)
            self.at(
                self.days_later(2, 2, (nxt, 0)), self.task_urge, task, UrgeChannel.ON_SITE, None
            )
            self.at(
                self.days_later(3, 3, (nxt, 0), start=15 * 60), self.task_complete, task, head, True
            )
        elif plan == "never":
            if due - 1 > self.now[0]:
                self.at((due - 1, 10 * 60), self.task_urge, task, UrgeChannel.PROMPT_SHEET, None)
            if nxt is not None:
                self.at(
                    self.days_later(2, 2, (nxt, 0)), self.task_urge, task, UrgeChannel.PHONE, None
                )
                new = deadline + timedelta(days=12)
                self.at(
                    self.days_later(4, 4, (nxt, 0)),
                    self.task_urge,
                    task,
                    UrgeChannel.SUPERVISION_LETTER,
                    new,
                )

    def task_progress(self, task: uuid.UUID, head: str) -> None:
        self.o.supervision.report_progress(
            task, percent=50, summary="已完成过半", by=head, at=self.when
        )

    def task_urge(self, task: uuid.UUID, channel: UrgeChannel, new: date | None) -> None:
        if new is not None and new <= self.day:
            new = self.day + timedelta(days=7)
        self.o.supervision.urge(
            task,
            channel=channel,
            new_deadline=new,
            note="请抓紧办理",
            by=self.officer(),
            at=self.when,
        )

    def task_extend(self, task: uuid.UUID, head: str, deadline: date, grant: bool) -> None:
        sv = self.o.supervision
        sv.request_extension(
            task,
            new_deadline=deadline + timedelta(days=5),
            reason="需补充调查",
            progress="已完成过半",
            by=head,
            at=self.when,
        )
        self.at(self.hours(2, 4), self.task_decide_extension, task, head, grant)

    def task_decide_extension(self, task: uuid.UUID, head: str, grant: bool) -> None:
        sv = self.o.supervision
        if grant:
            sv.grant_extension(task, by=self.officer(), at=self.when)
            i = self.on_or_before(sv.get(task).deadline)
            if i is not None:
                self.at((max(i, self.now[0] + 1), 15 * 60), self.task_complete, task, head, True)
        else:
            sv.refuse_extension(task, reason="事项简单,不予延期", by=self.officer(), at=self.when)

    def task_complete(self, task: uuid.UUID, head: str, accept: bool) -> None:
        self.o.supervision.complete(task, by=head, at=self.when, **REPORT)
        if accept:
            self.at(self.days_later(1, 1, start=10 * 60, end=11 * 60), self.task_accept, task)
        else:
            self.at(self.days_later(1, 1, start=10 * 60, end=11 * 60), self.task_reject, task, head)

    def task_reject(self, task: uuid.UUID, head: str) -> None:
        sv = self.o.supervision
        sv.reject_completion(task, reason="落实情况不具体", by=self.officer(), at=self.when)
        due = self.on_or_before(sv.get(task).deadline)
        when = (max(due or 0, self.now[0]), 16 * 60) if due is not None else None
        self.at(when, self.task_complete, task, head, True)

    def task_accept(self, task: uuid.UUID) -> None:
        sv, by = self.o.supervision, self.officer()
        sv.accept_completion(task, by=by, at=self.when)
        sv.close_out(task, by=by, at=self.when)
        self.counts["tasks.closed"] += 1

    def notices(self, quarter: int) -> None:
        issued = self.o.supervision.issue_notices(
            period=NoticePeriod.quarter(self.year, quarter), by=P.supervision_officer, at=self.when
        )
        self.counts["notices.issued"] += len(issued)

    # --- 政务信息 information reporting --------------------------------------------------------

    def information_year(self) -> None:
        """Each unit's habits (items a month, share adopted), and the year's months the walk
        reaches: on a month's first working day the general office sets every unit's target;
        on the first working day after the 15th of the next month it closes the month (in two
        months of the year, a unit tries to report an item for it that morning: too late)."""
        rng = self.rng
        for unit, _, _ in units():
            busy = "business" if unit in BUSINESS else "others"
            lo, hi = INFORMATION_ITEMS["writers" if unit in INFORMATION_WRITERS else busy]
            self.habits[unit] = (rng.uniform(lo, hi), rng.uniform(*INFORMATION_ADOPTED))
        closings: list[tuple[int, int]] = []
        for month in range(1, 13):
            start, last = month_bounds(self.year, month)
            i = self.after(start - timedelta(days=1))
            if i is None or self.days[i] > last:
                continue  # over before the walk starts
            self.at((i, 8 * 60 + 45), self.info_month, month)
            closing = self.after(figures_due(self.year, month))
            if closing is not None:
                self.at((closing, 10 * 60), self.info_close, month)
                closings.append((closing, month))
        for closing, month in rng.sample(closings, min(2, len(closings))):
            self.at((closing, 9 * 60 + 15), self.info_late, rng.choice(BUSINESS), month)

    def info_month(self, month: int) -> None:
        """设定信息采用目标 for every unit, and the month's items: spread over its working
        days, a few in the first days of the next month (before its 15th)."""
        info, rng, s = self.o.information, self.rng, self.scale**0.5
        last = month_bounds(self.year, month)[1]
        end = self.on_or_before(last)
        assert end is not None and end >= self.now[0]
        early = self.after(last), self.on_or_before(last + timedelta(days=10))
        by = self.reviewer()
        self.reporting[month] = []
        for unit, _, _ in units():
            rate, _share = self.habits[unit]
            target = max(1, round(rate * s * 0.35 * rng.uniform(0.8, 1.2)))
            info.set_target(
                unit=unit,
                year=self.year,
                month=month,
                target=target,
                tier=UnitTier.COUNTY_DEPARTMENT,  # the bureau's 处室 report as 县直单位 do
                by=by,
                at=self.when,
            )
            self.counts["information.targets"] += 1
            self.reporting[month].append(unit)
            mean = rate * s * rng.uniform(0.5, 1.5)
            for _ in range(int(mean) + (rng.random() < mean - int(mean))):
                a, b = early
                if a is not None and b is not None and a <= b and rng.random() < 0.08:
                    di = rng.randint(a, b)
                else:
                    di = rng.randint(self.now[0], end)
                self.at((di, rng.randint(OPEN, 16 * 60)), self.info_submit, unit, month)

    def by_due(self, month: int, lo: int, hi: int) -> Moment:
        """``lo``-``hi`` working days later, but no later than the month's figures are due."""
        due = self.on_or_before(figures_due(self.year, month))
        assert due is not None and due >= self.now[0]
        when = self.days_later(lo, hi)
        return when if when is not None and when[0] <= due else (due, 16 * 60)

    def info_submit(self, unit: str, month: int) -> None:
        rng = self.rng
        number = self.o.information.submit(
            unit=unit,
            year=self.year,
            month=month,
            title=f"{rng.choice(TOPICS)}{rng.choice(INFORMATION_KINDS)}",
            by=self.of_unit(unit),
            at=self.when,
        )
        self.counts["information.submitted"] += 1
        self.counts["information.submitted_next_month"] += self.day.month != month
        if rng.random() < self.habits[unit][1]:
            self.at(self.by_due(month, 1, 6), self.info_adopt, unit, month, number, 0)

    def info_adopt(self, unit: str, month: int, number: int, floor: int) -> None:
        """信息采用 at a level drawn from :data:`INFORMATION_LEVELS` (from ``floor`` up)."""
        rng = self.rng
        levels = INFORMATION_LEVELS[floor:]
        level, _, outlet = rng.choices(levels, weights=[w for _, w, _ in levels])[0]
        self.o.information.adopt(
            unit=unit,
            year=self.year,
            month=month,
            item=number,
            level=level,
            outlet=outlet,
            by=self.reviewer(),
            at=self.when,
        )
        self.counts["information.adopted" if floor == 0 else "information.adopted_again"] += 1
        higher = [lv for lv, _, _ in INFORMATION_LEVELS].index(level) + 1
        if floor == 0 and higher < len(INFORMATION_LEVELS) and rng.random() < 0.1:
            self.at(self.by_due(month, 1, 4), self.info_adopt, unit, month, number, higher)

    def info_late(self, unit: str, month: int) -> None:
        """次月15日以后报来的上月信息: refused, and nothing recorded."""
        info, by = self.o.information, self.of_unit(unit)
        self.refused(
            "次月15日以后报送上月信息",
            lambda: info.submit(
                unit=unit,
                year=self.year,
                month=month,
                title=f"{self.rng.choice(TOPICS)}工作动态(补报)",
                by=by,
                at=self.when,
            ),
        )

    def info_close(self, month: int) -> None:
        """结算 every unit's month, once its figures are no longer accepted."""
        by = self.reviewer()
        for unit in self.reporting.get(month, []):
            self.o.information.close(unit=unit, year=self.year, month=month, by=by, at=self.when)
            self.counts["information.closed"] += 1
