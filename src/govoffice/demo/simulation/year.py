"""The simulated year: the generator `_Year` (every area's steps on one timeline), its run
(set-up, the daily time step at 08:00, each day's new records), :func:`simulate_year` and
what it returns.
"""

from __future__ import annotations

import heapq
import itertools
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import attrs

from govoffice.application.office import Office
from govoffice.demo.simulation.documents import _DocumentSteps
from govoffice.demo.simulation.incoming import _IncomingSteps
from govoffice.demo.simulation.information import _InformationSteps
from govoffice.demo.simulation.meetings import PRINCIPAL_KINDS, _MeetingSteps
from govoffice.demo.simulation.organisation import _OrganisationSteps
from govoffice.demo.simulation.proposals import _ProposalSteps
from govoffice.demo.simulation.targets import _TargetSteps
from govoffice.demo.simulation.timeline import DEFAULT_SEED, OPEN, Progress
from govoffice.domain.base import record_ids
from govoffice.domain.errors import InvalidInput


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
    "proposals.split": "建议提案 分办",
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
    "targets.indicators": "目标管理 考评指标",
    "targets.checks": "目标管理 跟踪检查",
    "targets.deductions": "目标管理 扣分",
    "targets.corrected": "目标管理 整改",
    "targets.waived": "目标管理 不计入年终得分",
    "targets.upheld": "目标管理 计入年终得分",
    "targets.amendments": "目标管理 指标调整",
    "targets.self_checks": "目标管理 半年自查",
    "targets.lagging": "目标管理 进度滞后单位",
    "targets.catch_up_plans": "目标管理 赶进措施",
    "targets.assessed": "目标管理 年终考评",
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
    before = office.app.recorder.max_notification_id() or 0
    with record_ids(seeded_ids(seed, float(scale), year, after=before)):
        sim = _Year(office, year, float(scale), seed, progress)
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


SIMULATION_IDS = uuid.UUID("6a1d6c1e-5b0e-5c3a-9a57-2f1e0c0ffe12")
"""The namespace of the simulation's record ids (uuid5)."""


def seeded_ids(seed: int, scale: float, year: int, *, after: int = 0) -> Callable[[], uuid.UUID]:
    """Record ids that follow from the seed: the n-th new record of the year simulated with
    this seed and scale on a store whose log ended at ``after`` gets ``uuid5(SIMULATION_IDS,
    "seed/scale/year/n")`` (``"seed/scale/year/after/n"`` when ``after`` is not 0, so that a
    run continuing a store never reuses an id). Together with business times taken from the
    simulation, one seed gives the same records with the same ids and the same payloads
    (only eventsourcing's wall-clock ``timestamp`` differs)."""
    counter = itertools.count(1)
    prefix = f"{seed}/{scale!r}/{year}" + (f"/{after}" if after else "")
    return lambda: uuid.uuid5(SIMULATION_IDS, f"{prefix}/{next(counter)}")


class _Year(
    _DocumentSteps,
    _IncomingSteps,
    _MeetingSteps,
    _ProposalSteps,
    _InformationSteps,
    _TargetSteps,
    _OrganisationSteps,
):
    """The generator: a queue of steps in business-time order, and the steps."""

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
        self.target_year()
        for quarter, month in ((1, 4), (2, 7), (3, 10)):
            i = self.after(date(self.year, month, 1) - timedelta(days=1))
            if i is not None and i >= self.first:
                self.at((i, 10 * 60), self.notices, quarter)
