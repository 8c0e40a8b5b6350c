"""年度报告 the annual report: every figure of a year, from one projection of the event log.

:class:`AnnualFiguresProjection` keeps small counters per year in view documents (table
``counts``, keyed ``{year}/{figure}[/{dimension}]``), so that building a report reads a
handful of documents however long the log is. Per-record rows are kept only where a figure
needs to remember something of a record between its events: the document type of a draft
until it is registered, the receipt date of an incoming document until it is handled, a
proposal's latest reply and ratings, a supervision task's completion report, and a
meeting's row of the 年度会议执行情况 table.

:class:`ReportService` (``office.reports``) brings the projection up to date and assembles an
:class:`AnnualReport`: frozen sections of named figures, which every renderer walks the same
way (:meth:`AnnualReport.sections`), so Markdown, HTML, JSON and CSV show the same numbers.

Counting rules (a year is the calendar year of the business time ``at`` of an event):

- 发文: drafts, registrations (a number taken: 发文) and withdrawals dated in the year; the
  type and urgency of an issued document are those of its form when it was registered.
- 收文: each step (签收, 登记, 退文, 办结, 催办, 逾期) counted in the year it was recorded;
  handling days are the natural days from 签收 to 办结 of the documents handled in the year.
- 会议: planned = the rows of the year's annual plan (by planned date); requests, rejections,
  cancellations and mergers dated in the year; meetings held in the year, with their
  attendance and settled costs (even if recorded after New Year). The cost cap of a meeting
  is the per-person-per-day cap of the limit table in force on its date (the office's
  jurisdiction, ``office.meetings.limit_table``) × settled headcount (the sign-in sheet's,
  ADR 0058) × days.
- 建议提案: the items submitted in the year, with all their later steps, as
  :func:`govoffice.application.proposals.proposal_figures` counts them.
- 督查督办: tasks opened, closed out (销号) and closed on time: top-level tasks (a split
  task's parts count within their parent); urges, overdue marks and extensions: every act
  on any task dated in the year; notices (通报) count for the year of the period they cover.
- 目标管理: the year's target table (年度工作目标考评指标表) with everything recorded on it,
  whenever (corrections and the year-end assessment made in the next January count for the
  table's year); the results table is the year-end assessment's, or the standing by the
  same formula until it is made (ADR 0036).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

import attrs
import pendulum
from eventsourcing.domain import CanMutateAggregate

from govoffice.application.typecheck import Facade
from govoffice.application.views import Projection, ViewReader, ViewTransaction, handles
from govoffice.domain.api_token import ApiToken
from govoffice.domain.calendar_notice import CalendarRegister
from govoffice.domain.correspondents import CorrespondentDirectory
from govoffice.domain.document import DocType, OutgoingDocument, Urgency
from govoffice.domain.errors import GovOfficeError, InvalidInput
from govoffice.domain.incoming import IncomingDocument, IncomingUrgeChannel
from govoffice.domain.information import AdoptionLevel, InformationReport, MonthFigures, UnitTier
from govoffice.domain.links import SourceKind
from govoffice.domain.meeting import Meeting, MeetingKind, MeetingPlan, MeetingRooms
from govoffice.domain.meeting_rules import (
    AttendanceFact,
    CategoryNotInTable,
    MeetingCategory,
    NoLimitTable,
)
from govoffice.domain.numbering import NumberSeries
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.proposal import (
    Field,
    Proposal,
    ProposalKind,
    ProposalUrgeChannel,
    Rating,
    ResultScheme,
)
from govoffice.domain.routing import SenderType
from govoffice.domain.supervision import SupervisionTask, UrgeChannel
from govoffice.domain.supervision_notice import SupervisionNotice
from govoffice.domain.target import (
    DeductionStatus,
    IndicatorBasis,
    TargetTable,
    TargetTableStatus,
    TrackingMeans,
    UnitScore,
)
from govoffice.domain.values import PersonId, UnitId

if TYPE_CHECKING:
    from govoffice.application.office import Office

Scalar = int | float | Decimal | str | None
"""A figure's value: a count, a rate (0..1, None when undefined), an amount, a text."""

COUNTS = "counts"
YEARS = "years"
IN_PERSON_FACTS = frozenset(
    {AttendanceFact.PRESENT.value, AttendanceFact.LATE.value, AttendanceFact.LEFT_EARLY.value}
)
"""Facts of an invitee who attended in person (on time, late or leaving early)."""


class NoEventsInYear(GovOfficeError):
    """The store holds no event dated in the year asked for: there is nothing to report."""

    def __init__(self, year: int, years: Sequence[int]) -> None:
        known = (
            f"存储中有记录的年份: {'、'.join(str(y) for y in years)}"
            if years
            else "存储中没有任何记录"
        )
        super().__init__(
            f"{year} 年没有任何办公记录,无法生成年度报告;{known} (no events in {year})",
            year=year,
            years=tuple(years),
        )


# --- the report's values -----------------------------------------------------------------


MONTHS = "月份"
"""The dimension of a month-by-month figure (:meth:`Breakdown.by_month`)."""


def figure(label: str, unit: str = "") -> dict[str, str]:
    """The metadata of a named figure: its Chinese label and unit travel with it to every
    rendering (``attrs.field(metadata=figure(...))``)."""
    return {"label": label, "unit": unit}


def section(title: str, note: str = "") -> dict[str, str]:
    """The metadata of a section: its title and how its figures are counted."""
    return {"title": title, "note": note}


@attrs.frozen
class Share:
    """One value of a dimension (a 文种, a 缓急, a 来文单位性质 ...) and its figure."""

    code: str
    label: str
    value: Scalar


@attrs.frozen
class Breakdown:
    """A figure broken down by one dimension, every value of the dimension in its order."""

    dimension: str
    shares: tuple[Share, ...]

    @property
    def monthly(self) -> bool:
        """A month-by-month figure (codes ``01`` .. ``12``): renderers draw it as a trend."""
        return self.dimension == MONTHS

    @classmethod
    def by_month(cls, counts: Mapping[str, Scalar]) -> Breakdown:
        """The twelve months of a year, ``counts`` by month code (``"01"`` .. ``"12"``)."""
        return cls(
            MONTHS,
            tuple(Share(f"{m:02d}", f"{m}月", counts.get(f"{m:02d}", 0)) for m in range(1, 13)),
        )

    def as_dict(self) -> dict[str, Scalar]:
        return {s.code: s.value for s in self.shares}

    def nonzero(self) -> dict[str, Scalar]:
        """The values that are not zero (or undefined)."""
        return {s.code: s.value for s in self.shares if s.value}

    def __getitem__(self, code: str) -> Scalar:
        for s in self.shares:
            if s.code == code:
                return s.value
        raise KeyError(code)


class Table:
    """A figure that is a table (rows of named columns, and a 总计 line): every renderer
    writes each kind the same way, through these three methods."""

    def columns(self) -> tuple[tuple[str, str, str], ...]:
        """(key, label, unit) of each column; the first column names the row."""
        raise NotImplementedError

    def cells(self) -> list[tuple[Scalar, ...]]:
        raise NotImplementedError

    def total(self) -> tuple[Scalar, ...]:
        raise NotImplementedError


@attrs.frozen
class ExecutionRow:
    """年度会议执行情况 one meeting held in the year, columns of [001 会议 六 3]."""

    serial: int = attrs.field(metadata=figure("序号"))
    unit: str = attrs.field(metadata=figure("主办处室"))
    name: str = attrs.field(metadata=figure("会议名称"))
    content: str = attrs.field(metadata=figure("主要内容"))
    category: str = attrs.field(metadata=figure("类别"))
    time: str = attrs.field(metadata=figure("时间"))
    place: str = attrs.field(metadata=figure("地点"))
    scope: str = attrs.field(metadata=figure("参会人员范围"))
    attendees: int | None = attrs.field(metadata=figure("代表人数", "人"))
    staff: int | None = attrs.field(metadata=figure("工作人员数", "人"))
    leaders: str = attrs.field(metadata=figure("出席会议局领导"))
    spending_10k: Decimal | None = attrs.field(metadata=figure("经费支出", "万元"))


@attrs.frozen
class ExecutionTable(Table):
    """局年度会议执行情况 the meetings held in the year, one row each, and the 总计 line."""

    rows: tuple[ExecutionRow, ...]

    @staticmethod
    def columns() -> tuple[tuple[str, str, str], ...]:
        """(key, label, unit) of each column."""
        return tuple(
            (f.name, f.metadata["label"], f.metadata["unit"]) for f in attrs.fields(ExecutionRow)
        )

    def cells(self) -> list[tuple[Scalar, ...]]:
        return [tuple(getattr(r, key) for key, _, _ in self.columns()) for r in self.rows]

    def total(self) -> tuple[Scalar, ...]:
        """总计: the sums of the number columns."""
        attendees = [r.attendees for r in self.rows if r.attendees is not None]
        spent = [r.spending_10k for r in self.rows if r.spending_10k is not None]
        sums: dict[str, Scalar] = {
            "serial": "总计",
            "attendees": sum(attendees) if attendees else None,
            "spending_10k": sum(spent, Decimal(0)) if spent else None,
        }
        return tuple(sums.get(key, "") for key, _, _ in self.columns())


@attrs.frozen
class AssessmentRow:
    """年度目标考评结果 one assessed unit's line (ADR 0036)."""

    serial: int = attrs.field(metadata=figure("序号"))
    rank: int = attrs.field(metadata=figure("名次"))
    unit: str = attrs.field(metadata=figure("被考核单位"))
    indicators: int = attrs.field(metadata=figure("考评指标", "项"))
    full: Decimal = attrs.field(metadata=figure("分值", "分"))
    deducted: Decimal = attrs.field(metadata=figure("扣分", "分"))
    waived: Decimal = attrs.field(metadata=figure("其中不计入得分", "分"))
    score: Decimal = attrs.field(metadata=figure("得分", "分"))
    rate: Decimal = attrs.field(metadata=figure("折算分", "分"))


@attrs.frozen
class AssessmentTable(Table):
    """年度目标考评结果表 the assessed units in rank order, and the 合计 line."""

    rows: tuple[AssessmentRow, ...]

    def columns(self) -> tuple[tuple[str, str, str], ...]:
        return tuple(
            (f.name, f.metadata["label"], f.metadata["unit"]) for f in attrs.fields(AssessmentRow)
        )

    def cells(self) -> list[tuple[Scalar, ...]]:
        return [tuple(getattr(r, key) for key, _, _ in self.columns()) for r in self.rows]

    def total(self) -> tuple[Scalar, ...]:
        sums: dict[str, Scalar] = {"serial": "合计"}
        for key in ("indicators", "full", "deducted", "waived", "score"):
            values = [getattr(r, key) for r in self.rows]
            sums[key] = sum(values, Decimal(0) if key != "indicators" else 0) if values else None
        return tuple(sums.get(key, "") for key, _, _ in self.columns())


FigureValue = Scalar | Breakdown | Table


@attrs.frozen
class Entry:
    """One figure as the renderers see it."""

    key: str
    label: str
    unit: str
    value: FigureValue


@attrs.frozen
class Section:
    """One section as the renderers see it: its figures in order."""

    key: str
    title: str
    note: str
    entries: tuple[Entry, ...]


@attrs.frozen
class OutgoingFigures:
    drafted: int = attrs.field(metadata=figure("拟稿", "件"))
    issued: int = attrs.field(metadata=figure("发文(登记编号)", "件"))
    issued_by_type: Breakdown = attrs.field(metadata=figure("发文按文种", "件"))
    issued_by_urgency: Breakdown = attrs.field(metadata=figure("发文按缓急", "件"))
    withdrawn: int = attrs.field(metadata=figure("撤回", "件"))
    issued_by_month: Breakdown = attrs.field(metadata=figure("发文按月份", "件"))


@attrs.frozen
class IncomingFigures:
    received: int = attrs.field(metadata=figure("收文(签收)", "件"))
    registered: int = attrs.field(metadata=figure("登记", "件"))
    registered_by_sender_type: Breakdown = attrs.field(metadata=figure("登记按来文单位性质", "件"))
    returned: int = attrs.field(metadata=figure("退文", "件"))
    handled: int = attrs.field(metadata=figure("办结", "件"))
    handled_on_time: int = attrs.field(metadata=figure("按时限办结", "件"))
    handled_late: int = attrs.field(metadata=figure("超时限办结", "件"))
    handled_without_deadline: int = attrs.field(metadata=figure("无时限办结", "件"))
    average_handling_days: float | None = attrs.field(
        metadata=figure("平均办理天数(签收至办结)", "天")
    )
    went_overdue: int = attrs.field(metadata=figure("逾期", "件次"))
    urges_by_channel: Breakdown = attrs.field(metadata=figure("催办按方式", "次"))
    received_by_month: Breakdown = attrs.field(metadata=figure("收文按月份", "件"))


@attrs.frozen
class MeetingsFigures:
    planned: int = attrs.field(metadata=figure("年度计划会议", "次"))
    planned_by_kind: Breakdown = attrs.field(metadata=figure("年度计划按会议种类", "次"))
    requested: int = attrs.field(metadata=figure("计划外会议签报", "次"))
    rejected: int = attrs.field(metadata=figure("签报未批准", "次"))
    cancelled: int = attrs.field(metadata=figure("取消", "次"))
    merged: int = attrs.field(metadata=figure("合并召开", "次"))
    held: int = attrs.field(metadata=figure("召开会议", "次"))
    held_by_kind: Breakdown = attrs.field(metadata=figure("召开按会议种类", "次"))
    held_planned: int = attrs.field(metadata=figure("其中计划内", "次"))
    held_unplanned: int = attrs.field(metadata=figure("其中计划外", "次"))
    days: Decimal = attrs.field(metadata=figure("会期合计", "天"))
    participants_planned: int = attrs.field(metadata=figure("核定参会人数合计", "人"))
    invitees: int = attrs.field(metadata=figure("应到人次", "人次"))
    attended_in_person: int = attrs.field(metadata=figure("本人出席人次", "人次"))
    attendance_by_fact: Breakdown = attrs.field(metadata=figure("考勤情况", "人次"))
    attendance_rate: float | None = attrs.field(metadata=figure("出席率", "%"))
    meetings_settled: int = attrs.field(metadata=figure("已结算会议", "次"))
    headcount_settled: int = attrs.field(metadata=figure("结算人数合计", "人"))
    budget: Decimal = attrs.field(metadata=figure("经费预算合计", "元"))
    spending: Decimal = attrs.field(metadata=figure("会议费支出合计", "元"))
    cost_cap: Decimal | None = attrs.field(metadata=figure("会议费标准限额合计", "元"))
    spending_of_cap: float | None = attrs.field(metadata=figure("支出占限额比例", "%"))
    within_cap: int = attrs.field(metadata=figure("未超标准的会议", "次"))
    over_cap: int = attrs.field(metadata=figure("超出标准的会议", "次"))
    execution_table: ExecutionTable = attrs.field(metadata=figure("年度会议执行情况"))
    held_by_month: Breakdown = attrs.field(metadata=figure("召开会议按月份", "次"))


@attrs.frozen
class ProposalsFigures:
    submitted: int = attrs.field(metadata=figure("交办建议提案", "件"))
    by_kind: Breakdown = attrs.field(metadata=figure("按类别", "件"))
    by_field: Breakdown = attrs.field(metadata=figure("按领域", "件"))
    by_kind_and_field: Breakdown = attrs.field(metadata=figure("按类别和领域", "件"))
    replied: int = attrs.field(metadata=figure("已答复", "件"))
    reply_rate: float | None = attrs.field(metadata=figure("办复率", "%"))
    replied_by_result: Breakdown = attrs.field(metadata=figure("答复按分类", "件"))
    result_shares: Breakdown = attrs.field(metadata=figure("答复分类占比", "%"))
    rated: int = attrs.field(metadata=figure("已评价", "件"))
    satisfied: int = attrs.field(metadata=figure("满意和基本满意", "件"))
    satisfaction_rate: float | None = attrs.field(metadata=figure("满意率", "%"))
    on_time: int = attrs.field(metadata=figure("按期答复", "件"))
    on_time_rate: float | None = attrs.field(metadata=figure("按期答复率", "%"))
    urges_by_channel: Breakdown = attrs.field(metadata=figure("催办按方式", "次"))


@attrs.frozen
class SupervisionFigures:
    opened: int = attrs.field(metadata=figure("督办立项", "件"))
    opened_by_source: Breakdown = attrs.field(metadata=figure("立项按来源", "件"))
    closed: int = attrs.field(metadata=figure("办结销号", "件"))
    on_time: int = attrs.field(metadata=figure("按期办结", "件"))
    on_time_rate: float | None = attrs.field(metadata=figure("按期办结率", "%"))
    overdue: int = attrs.field(metadata=figure("逾期", "次"))
    overdue_tasks: int = attrs.field(metadata=figure("逾期事项", "件"))
    extensions_granted: int = attrs.field(metadata=figure("批准延期", "次"))
    urges: int = attrs.field(metadata=figure("催办", "次"))
    urges_by_channel: Breakdown = attrs.field(metadata=figure("催办按方式", "次"))
    notices: int = attrs.field(metadata=figure("督查通报", "次"))
    notices_by_unit: Breakdown = attrs.field(metadata=figure("通报按处室", "次"))


@attrs.frozen
class InformationFigures:
    units_reporting: int = attrs.field(metadata=figure("报送单位", "个"))
    unit_months: int = attrs.field(metadata=figure("单位月报", "个"))
    months_closed: int = attrs.field(metadata=figure("已结算月报", "个"))
    targets_set: int = attrs.field(metadata=figure("设定采用目标的月报", "个"))
    targets_met: int = attrs.field(metadata=figure("完成采用目标的月报", "个"))
    target_met_rate: float | None = attrs.field(metadata=figure("采用目标完成率", "%"))
    submission_tasks_met: int = attrs.field(metadata=figure("完成报送任务的月报", "个"))
    submitted: int = attrs.field(metadata=figure("报送信息", "条"))
    adopted_items: int = attrs.field(metadata=figure("被采用信息", "条"))
    adoption_rate: float | None = attrs.field(metadata=figure("采用率", "%"))
    adoptions: int = attrs.field(metadata=figure("采用次数(各刊物)", "次"))
    adoptions_by_level: Breakdown = attrs.field(metadata=figure("采用按层级", "次"))
    score: Decimal = attrs.field(metadata=figure("信息得分合计", "分"))
    score_by_unit: Breakdown = attrs.field(metadata=figure("信息得分按单位", "分"))
    submitted_by_month: Breakdown = attrs.field(metadata=figure("报送信息按月份", "条"))
    adopted_by_month: Breakdown = attrs.field(metadata=figure("被采用信息按月份", "条"))


@attrs.frozen
class TargetFigures:
    status: Breakdown = attrs.field(metadata=figure("指标表状态", "份"))
    indicators: int = attrs.field(metadata=figure("考评指标", "项"))
    indicators_by_basis: Breakdown = attrs.field(metadata=figure("指标按制定依据", "项"))
    points: Decimal = attrs.field(metadata=figure("指标分值合计", "分"))
    assessed_units: int = attrs.field(metadata=figure("被考核单位", "个"))
    units_consulted: int = attrs.field(metadata=figure("征求意见单位", "个"))
    affiliated_consulted: int = attrs.field(metadata=figure("其中局属单位", "个"))
    units_dissenting: int = attrs.field(metadata=figure("提出不同意见的单位", "个"))
    amendments: int = attrs.field(metadata=figure("印发后经批准的调整", "次"))
    checks: int = attrs.field(metadata=figure("跟踪检查", "次"))
    checks_by_quarter: Breakdown = attrs.field(metadata=figure("跟踪检查按季度", "次"))
    checks_by_means: Breakdown = attrs.field(metadata=figure("跟踪检查按方式", "次"))
    missed_checks: int = attrs.field(metadata=figure("季度未跟踪检查", "项次"))
    deductions: int = attrs.field(metadata=figure("扣分", "次"))
    deducted_points: Decimal = attrs.field(metadata=figure("扣分合计", "分"))
    corrected: int = attrs.field(metadata=figure("已整改", "次"))
    corrected_on_time: int = attrs.field(metadata=figure("其中按期整改", "次"))
    waived: int = attrs.field(metadata=figure("不计入年终考评得分", "次"))
    waived_points: Decimal = attrs.field(metadata=figure("不计入的扣分", "分"))
    counted_points: Decimal = attrs.field(metadata=figure("计入年终考评得分的扣分", "分"))
    deductions_by_unit: Breakdown = attrs.field(metadata=figure("扣分按单位", "分"))
    self_checks: int = attrs.field(metadata=figure("报送半年自查的单位", "个"))
    self_checks_late: int = attrs.field(metadata=figure("其中逾期报送", "个"))
    lagging_units: int = attrs.field(metadata=figure("执行进度滞后单位", "个"))
    catch_up_plans: int = attrs.field(metadata=figure("报送赶进措施的单位", "个"))
    assessment: AssessmentTable = attrs.field(metadata=figure("年度目标考评结果"))


@attrs.frozen
class AnnualReport:
    """年度报告 of one agency for one year: every figure, by section (see the module's
    counting rules)."""

    year: int
    agency: str
    events: int
    outgoing: OutgoingFigures = attrs.field(
        metadata=section(
            "一、发文", "发文以登记编号(取得发文字号)计,文种、缓急取登记时的发文稿纸。"
        )
    )
    incoming: IncomingFigures = attrs.field(
        metadata=section(
            "二、收文",
            "各环节按其发生年度计;平均办理天数为本年办结来文自签收至办结的自然日平均数。",
        )
    )
    meetings: MeetingsFigures = attrs.field(
        metadata=section(
            "三、会议",
            "计划会议为本年度会议计划所列会议;召开会议及其考勤、会议费按召开年度计;"
            "标准限额 = 会议日期适用标准的每人每天综合定额 × 结算人数(签到人数)× 会期。"
            "会议记录不含工作人员数,执行情况表该栏空缺。"
            "出席会议局领导按签到考勤记录列出实际到会(本人或代会)的局领导,未记录考勤的会议该栏空缺。",
        )
    )
    proposals: ProposalsFigures = attrs.field(
        metadata=section(
            "四、建议提案",
            "统计本年交办的建议提案及其全部后续办理;办复率 = 已答复 ÷ 交办;"
            "满意率 = 最近一次答复的评价均为满意或基本满意的件数 ÷ 已评价件数(联名件取最低评价);"
            "分类占比按最近一次答复的分类。",
        )
    )
    supervision: SupervisionFigures = attrs.field(
        metadata=section(
            "五、督查督办",
            "立项、销号、按期办结按督办事项计(分解事项计入原事项);催办、逾期、延期按发生年度计;"
            "通报按所涉期间的年度计。按期办结: 销号、从未逾期、且办结报告不晚于当时时限。",
        )
    )
    targets: TargetFigures = attrs.field(
        metadata=section(
            "六、目标管理",
            "本年度工作目标考评指标表及其全部记录(次年办理的整改、年终考评计入本年度)。"
            "得分: 每项指标分值减去计入得分的扣分(扣完为止),按单位合计;"
            "折算分 = 得分 ÷ 分值 × 100,按折算分排名,相同者名次并列;"
            "不计入年终考评得分的扣分不减分;撤销的指标及其扣分不计。"
            "未年终考评时按同一方法计算截至目前的得分。",
        )
    )
    information: InformationFigures = attrs.field(
        metadata=section(
            "七、政务信息",
            "按信息所属月份的年度计(含次月15日前补报的数据);得分按本机关的信息计分标准"
            "(默认 [003 篇6 二(二)]: 完成采用目标20分、每超额1条3分、县直单位报送5条10分)"
            "逐月计算后合计,未结算的月份按已记录数据计。",
        )
    )

    log_head: str | None = attrs.field(default=None, eq=False)
    """日志封印 the event log's sealed head when the report was made, in short (one JSON
    line, ADR 0030): ``govoffice audit verify --head`` proves the store still extends it."""

    def sections(self) -> tuple[Section, ...]:
        """Every section with its figures in order: what every rendering walks."""
        found = []
        for f in attrs.fields(type(self)):
            if "title" not in f.metadata:
                continue
            figures = getattr(self, f.name)
            entries = tuple(
                Entry(g.name, g.metadata["label"], g.metadata["unit"], getattr(figures, g.name))
                for g in attrs.fields(type(figures))
            )
            found.append(Section(f.name, f.metadata["title"], f.metadata["note"], entries))
        return tuple(found)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年度报告"

    @property
    def headline(self) -> tuple[str, ...]:
        """总体情况 the year in a few sentences, in the style of the seeds' work reports
        ("共办理市人大建议198件、市政协委员提案333件,办复率达100%,满意率在95%以上")."""
        o, i, m, p = self.outgoing, self.incoming, self.meetings, self.proposals
        s, n, t = self.supervision, self.information, self.targets
        urgency = o.issued_by_urgency
        days = "—" if i.average_handling_days is None else f"{i.average_handling_days:.1f}"
        return (
            f"全年共发文{o.issued}件(特急{urgency[Urgency.EXTRA_URGENT.value]}件、"
            f"加急{urgency[Urgency.URGENT.value]}件),收文{i.received}件,退文{i.returned}件,"
            f"来文平均办理{days}天。",
            f"年度计划会议{m.planned}次,召开会议{m.held}次(计划外{m.held_unplanned}次),"
            f"出席率{percent(m.attendance_rate)},会议费支出{amount(m.spending / 10000)}万元。",
            f"共办理人大代表建议{p.by_kind[ProposalKind.DEPUTY_SUGGESTION.value]}件、"
            f"政协提案{p.by_kind[ProposalKind.CPPCC_PROPOSAL.value]}件,"
            f"办复率达{percent(p.reply_rate)},满意率{percent(p.satisfaction_rate)}。",
            f"督办事项立项{s.opened}件、办结销号{s.closed}件,按期办结率{percent(s.on_time_rate)},"
            f"逾期{s.overdue}次,督查通报{s.notices}次。",
            f"报送政务信息{n.submitted}条,被采用{n.adopted_items}条,采用率{percent(n.adoption_rate)},"
            f"完成采用目标{n.targets_met}个单位月,信息得分合计{amount(n.score)}分。",
            f"年度工作目标考评指标{t.indicators}项、被考核单位{t.assessed_units}个"
            f"({'、'.join(s.label for s in t.status.shares if s.value) or '未拟定'}),"
            f"跟踪检查{t.checks}次,扣分{t.deductions}次{amount(t.deducted_points)}分"
            f"(不计入年终得分{t.waived}次)。",
        )


def percent(rate: float | None) -> str:
    """A rate as a clerk writes it: ``95.2%``, ``100%``; ``—`` when undefined."""
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}"
    return f"{text.removesuffix('.0')}%"


def amount(value: Decimal | None) -> str:
    """An exact amount without exponent or trailing zeros: ``0.435``, ``12000``."""
    if value is None:
        return "—"
    return f"{value.normalize():f}" if value else "0"


# --- the projection ------------------------------------------------------------------------

AGGREGATES: tuple[type, ...] = (
    Organisation,
    NumberSeries,
    OutgoingDocument,
    IncomingDocument,
    MeetingPlan,
    Meeting,
    MeetingRooms,
    Proposal,
    SupervisionTask,
    SupervisionNotice,
    InformationReport,
    CalendarRegister,
    CorrespondentDirectory,
    TargetTable,
    ApiToken,
)
"""Every kind of record whose events count as the office's activity in a year."""


def ev(aggregate: type, name: str) -> type[CanMutateAggregate[uuid.UUID]]:
    """The aggregate's event class ``name`` (e.g. ``ev(Meeting, "Held")``); fails at import
    if the aggregate has no such event."""
    found = vars(aggregate)[name]
    if not (isinstance(found, type) and issubclass(found, CanMutateAggregate)):
        raise TypeError(f"{aggregate.__name__}.{name} is not an event class")
    return cast(type[CanMutateAggregate[uuid.UUID]], found)


def _event_classes(aggregates: Iterable[type]) -> tuple[type[CanMutateAggregate[uuid.UUID]], ...]:
    found: list[type[CanMutateAggregate[uuid.UUID]]] = []
    for aggregate in aggregates:
        for obj in vars(aggregate).values():
            if isinstance(obj, type) and issubclass(obj, CanMutateAggregate):
                found.append(cast(type[CanMutateAggregate[uuid.UUID]], obj))
    return tuple(found)


def _month_of(projection: Projection, event: Any) -> str:
    """The event's month in its agency-local year (``"01"`` .. ``"12"``)."""
    return f"{projection.day(event.at).month:02d}"


class AnnualFiguresProjection(Projection):
    """The annual report's counters, per year, and the few per-record rows they need."""

    name = "annual-figures"
    version = 3  # 2: month-by-month counters; 3: who attended each meeting (ADR 0058)

    # Every event counts as activity in its year (the generic handler is declared first, so
    # the specific handlers below take over their own event classes).
    @handles(*_event_classes(AGGREGATES))
    def _activity(self, event: Any, tx: ViewTransaction) -> None:
        pass

    def process(self, event: Any, tx: ViewTransaction) -> None:
        if isinstance(getattr(event, "at", None), datetime):
            key = f"{self.year_of(event):04d}"
            row = tx.get(self.view, YEARS, key) or {"n": 0}
            tx.put(self.view, YEARS, key, {"n": row["n"] + 1})
        super().process(event, tx)

    # --- counters -------------------------------------------------------------------------

    def _bump(self, tx: ViewTransaction, year: int, name: str, dim: str = "", by: int = 1) -> None:
        key = f"{year:04d}/{name}" + (f"/{dim}" if dim else "")
        row = tx.get(self.view, COUNTS, key) or {"n": 0}
        tx.put(self.view, COUNTS, key, {"n": row["n"] + by})

    def _add(self, tx: ViewTransaction, year: int, name: str, value: Decimal) -> None:
        key = f"{year:04d}/{name}"
        row = tx.get(self.view, COUNTS, key) or {"d": "0"}
        tx.put(self.view, COUNTS, key, {"d": str(Decimal(row["d"]) + value)})

    def _row(self, tx: ViewTransaction, table: str, event: Any) -> dict[str, Any]:
        return tx.get(self.view, table, str(event.originator_id)) or {}

    def _put(self, tx: ViewTransaction, table: str, event: Any, row: dict[str, Any]) -> None:
        tx.put(self.view, table, str(event.originator_id), row)

    # --- 发文 --------------------------------------------------------------------------------

    @handles(ev(OutgoingDocument, "Drafted"))
    def outgoing_drafted(self, event: Any, tx: ViewTransaction) -> None:
        self.outgoing_revised(event, tx)
        self._bump(tx, self.year_of(event), "outgoing.drafted")

    @handles(ev(OutgoingDocument, "Revised"))
    def outgoing_revised(self, event: Any, tx: ViewTransaction) -> None:
        form = event.form
        row = {"type": form.doc_type.value, "urgency": form.urgency.value}
        self._put(tx, "outgoing", event, row)

    @handles(ev(OutgoingDocument, "Registered"))
    def outgoing_registered(self, event: Any, tx: ViewTransaction) -> None:
        row, year = self._row(tx, "outgoing", event), self.year_of(event)
        self._bump(tx, year, "outgoing.issued")
        self._bump(tx, year, "outgoing.issued_by_type", row["type"])
        self._bump(tx, year, "outgoing.issued_by_urgency", row["urgency"])
        self._bump(tx, year, "outgoing.issued_by_month", _month_of(self, event))

    @handles(ev(OutgoingDocument, "Withdrawn"))
    def outgoing_withdrawn(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "outgoing.withdrawn")

    # --- 收文 --------------------------------------------------------------------------------

    @handles(ev(IncomingDocument, "Received"))
    def incoming_received(self, event: Any, tx: ViewTransaction) -> None:
        self._put(tx, "incoming", event, {"received": self.day(event.at).isoformat()})
        self._bump(tx, self.year_of(event), "incoming.received")
        self._bump(tx, self.year_of(event), "incoming.received_by_month", _month_of(self, event))

    @handles(ev(IncomingDocument, "Registered"))
    def incoming_registered(self, event: Any, tx: ViewTransaction) -> None:
        year = self.year_of(event)
        self._bump(tx, year, "incoming.registered")
        self._bump(tx, year, "incoming.by_sender_type", event.sender_type.value)

    @handles(ev(IncomingDocument, "Returned"))
    def incoming_returned(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "incoming.returned")

    @handles(ev(IncomingDocument, "Handled"))
    def incoming_handled(self, event: Any, tx: ViewTransaction) -> None:
        year = self.year_of(event)
        received = date.fromisoformat(self._row(tx, "incoming", event)["received"])
        self._bump(tx, year, "incoming.handled")
        self._bump(tx, year, "incoming.handling_days", by=(self.day(event.at) - received).days)
        timing = {True: "on_time", False: "late", None: "no_deadline"}[event.on_time]
        self._bump(tx, year, f"incoming.handled_{timing}")

    @handles(ev(IncomingDocument, "Urged"))
    def incoming_urged(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "incoming.urges", event.channel.value)

    @handles(ev(IncomingDocument, "WentOverdue"))
    def incoming_overdue(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "incoming.went_overdue")

    # --- 会议 --------------------------------------------------------------------------------

    @handles(ev(MeetingPlan, "RowSubmitted"))
    def plan_row(self, event: Any, tx: ViewTransaction) -> None:
        year = event.row.planned_date.year
        self._bump(tx, year, "meetings.planned")
        self._bump(tx, year, "meetings.planned_by_kind", event.row.kind.value)

    @handles(ev(Meeting, "Planned"), ev(Meeting, "Requested"))
    def meeting_created(self, event: Any, tx: ViewTransaction) -> None:
        f = event.figures
        starts: pendulum.DateTime = event.starts_at
        row = {
            "planned": type(event) is ev(Meeting, "Planned"),
            "kind": event.kind.value,
            "title": event.title,
            "content": event.content,
            "organiser": event.organiser,
            "starts_at": starts.format("YYYY-MM-DD HH:mm"),
            "starts_utc": starts.in_timezone("UTC").isoformat(),
            "date": self.day(starts).isoformat(),
            "place": event.place,
            "scope": event.participant_scope,
            "category": f.category.value,
            "days": str(f.days),
            "participants": f.participants,
            "budget": str(f.budget),
            "leaders": list(event.attending_leaders),
        }
        self._put(tx, "meetings", event, row)
        if type(event) is ev(Meeting, "Requested"):
            self._bump(tx, self.year_of(event), "meetings.requested")

    @handles(ev(Meeting, "Rejected"))
    def meeting_rejected(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "meetings.rejected")

    @handles(ev(Meeting, "Cancelled"))
    def meeting_cancelled(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "meetings.cancelled")

    @handles(ev(Meeting, "Merged"))
    def meeting_merged(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "meetings.merged")

    @handles(ev(Meeting, "Held"))
    def meeting_held(self, event: Any, tx: ViewTransaction) -> None:
        row, year = self._row(tx, "meetings", event), self.year_of(event)
        row["held_year"] = year
        self._put(tx, "meetings", event, row)
        index = f"{year:04d}/{event.at.in_timezone('UTC').isoformat()}/{event.originator_id}"
        tx.put(self.view, "held", index, {"meeting": str(event.originator_id)})
        self._bump(tx, year, "meetings.held")
        self._bump(tx, year, "meetings.held_by_kind", row["kind"])
        self._bump(tx, year, "meetings.held_by_month", _month_of(self, event))
        self._bump(
            tx, year, "meetings.held_planned" if row["planned"] else "meetings.held_unplanned"
        )
        self._bump(tx, year, "meetings.participants_planned", by=row["participants"])
        self._add(tx, year, "meetings.days", Decimal(row["days"]))
        self._add(tx, year, "meetings.budget", Decimal(row["budget"]))

    @handles(ev(Meeting, "AttendanceRecorded"))
    def meeting_attendance(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "meetings", event)
        year = row["held_year"]
        attended = 0
        there: list[str] = []  # who was there by the sign-in facts, in the invitees' order
        for entry in event.entries:
            facts = {f.value for f in entry.facts}
            self._bump(tx, year, "meetings.invitees")
            if facts & IN_PERSON_FACTS:
                self._bump(tx, year, "meetings.attended_in_person")
                attended += 1
                there.append(entry.person)
            elif AttendanceFact.SUBSTITUTED.value in facts:
                attended += 1
                if entry.substitute is not None:
                    there.append(entry.substitute)
            for fact in sorted(facts):
                self._bump(tx, year, "meetings.attendance", fact)
        row["attendees"] = attended
        row["there"] = there
        self._put(tx, "meetings", event, row)

    @handles(ev(Meeting, "CostsSettled"))
    def meeting_costs(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "meetings", event)
        year, settlement = row["held_year"], event.settlement
        # the sign-in sheet's headcount, recorded by the meeting (ADR 0058); older events
        # hold the headcount typed in then
        headcount = settlement.participants
        if headcount is None:
            headcount = row.get("attendees", 0)
        row["spending"] = str(settlement.total)
        row["headcount"] = headcount
        self._put(tx, "meetings", event, row)
        self._bump(tx, year, "meetings.settled")
        self._bump(tx, year, "meetings.headcount", by=headcount)
        self._add(tx, year, "meetings.spending", settlement.total)

    # --- 建议提案 ----------------------------------------------------------------------------

    @handles(ev(Proposal, "Submitted"))
    def proposal_submitted(self, event: Any, tx: ViewTransaction) -> None:
        year, kind, field = self.year_of(event), event.kind.value, event.field.value
        row: dict[str, Any] = {"year": year, "round": 0, "result": None, "ratings": {}}
        self._put(tx, "proposals", event, row)
        self._bump(tx, year, "proposals.submitted")
        self._bump(tx, year, "proposals.by_kind", kind)
        self._bump(tx, year, "proposals.by_field", field)
        self._bump(tx, year, "proposals.by_kind_and_field", f"{kind}:{field}")

    @handles(ev(Proposal, "Assigned"), ev(Proposal, "Reassigned"))
    def proposal_assigned(self, event: Any, tx: ViewTransaction) -> None:
        """分办 (ADR 0050): an item in parts keeps a row per part; the item counts once."""
        parts = getattr(event, "parts", None)  # absent from events recorded before 分办
        row = self._row(tx, "proposals", event)
        if not parts and "parts" not in row:
            return
        row["parts"] = {
            p.unit: {"round": 0, "result": None, "ratings": {}, "on_time": None}
            for p in parts or ()
        }
        self._put(tx, "proposals", event, row)

    def _part_changed(
        self,
        tx: ViewTransaction,
        event: Any,
        row: dict[str, Any],
        change: Callable[[dict[str, Any]], None],
    ) -> None:
        """One part of an item in parts moves: the item's counts change by the difference."""
        year, before = row["year"], _split_state(row)
        change(row["parts"][event.part])
        after = _split_state(row)
        for name, was, now in zip(("replied", "on_time"), before[:2], after[:2], strict=True):
            if now != was:
                self._bump(tx, year, f"proposals.{name}", by=now - was)
        self._rating_changed(tx, year, before[2:], after[2:])
        self._put(tx, "proposals", event, row)

    @handles(ev(Proposal, "Replied"))
    def proposal_replied(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "proposals", event)
        if getattr(event, "part", None) is not None:
            year, code = row["year"], event.result.code

            def replied(part: dict[str, Any]) -> None:
                if part["result"] is not None:
                    self._bump(tx, year, "proposals.results", part["result"], by=-1)
                self._bump(tx, year, "proposals.results", code)
                if part["round"] == 0:
                    part["on_time"] = event.on_time
                part.update(round=event.round, result=code, ratings={})

            self._part_changed(tx, event, row, replied)
            return
        year, before = row["year"], _rating_state(row)
        if row["round"] == 0:
            self._bump(tx, year, "proposals.replied")
            self._bump(tx, year, "proposals.on_time", by=int(event.on_time))
        if row["result"] is not None:
            self._bump(tx, year, "proposals.results", row["result"], by=-1)
        self._bump(tx, year, "proposals.results", event.result.code)
        row.update(round=event.round, result=event.result.code, ratings={})
        self._rating_changed(tx, year, before, _rating_state(row))
        self._put(tx, "proposals", event, row)

    @handles(ev(Proposal, "FeedbackReceived"))
    def proposal_rated(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "proposals", event)
        if getattr(event, "part", None) is not None:
            if event.round != row["parts"][event.part]["round"]:
                return

            def rated(part: dict[str, Any]) -> None:
                part["ratings"] = {**part["ratings"], event.proposer: event.rating.value}

            self._part_changed(tx, event, row, rated)
            return
        if event.round != row["round"]:
            return
        before = _rating_state(row)
        row["ratings"] = {**row["ratings"], event.proposer: event.rating.value}
        self._rating_changed(tx, row["year"], before, _rating_state(row))
        self._put(tx, "proposals", event, row)

    def _rating_changed(
        self, tx: ViewTransaction, year: int, before: tuple[int, int], after: tuple[int, int]
    ) -> None:
        if after[0] != before[0]:
            self._bump(tx, year, "proposals.rated", by=after[0] - before[0])
        if after[1] != before[1]:
            self._bump(tx, year, "proposals.satisfied", by=after[1] - before[1])

    @handles(ev(Proposal, "Urged"))
    def proposal_urged(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "proposals", event)
        self._bump(tx, row["year"], "proposals.urges", event.channel.value)

    # --- 督查督办 ----------------------------------------------------------------------------

    @handles(ev(SupervisionTask, "Opened"))
    def task_opened(self, event: Any, tx: ViewTransaction) -> None:
        top = event.parent_id is None
        self._put(tx, "tasks", event, {"top": top, "ever_overdue": False, "overdue_years": []})
        if top:
            year = self.year_of(event)
            self._bump(tx, year, "supervision.opened")
            self._bump(tx, year, "supervision.by_source", event.source_kind.value)

    @handles(ev(SupervisionTask, "Urged"))
    def task_urged(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "supervision.urges", event.channel.value)

    @handles(ev(SupervisionTask, "WentOverdue"))
    def task_overdue(self, event: Any, tx: ViewTransaction) -> None:
        row, year = self._row(tx, "tasks", event), self.year_of(event)
        self._bump(tx, year, "supervision.overdue")
        if year not in row["overdue_years"]:
            row["overdue_years"] = [*row["overdue_years"], year]
            self._bump(tx, year, "supervision.overdue_tasks")
        row["ever_overdue"] = True
        self._put(tx, "tasks", event, row)

    @handles(ev(SupervisionTask, "ExtensionGranted"))
    def task_extended(self, event: Any, tx: ViewTransaction) -> None:
        self._bump(tx, self.year_of(event), "supervision.extensions")

    @handles(ev(SupervisionTask, "Completed"))
    def task_completed(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "tasks", event)
        row["report"] = {"on": self.day(event.at).isoformat(), "due": event.due.isoformat()}
        self._put(tx, "tasks", event, row)

    @handles(ev(SupervisionTask, "CompletionAccepted"))
    def task_accepted(self, event: Any, tx: ViewTransaction) -> None:
        row = self._row(tx, "tasks", event)
        row["accepted"] = row.get("report")
        self._put(tx, "tasks", event, row)

    @handles(ev(SupervisionTask, "ClosedOut"))
    def task_closed(self, event: Any, tx: ViewTransaction) -> None:
        row, year = self._row(tx, "tasks", event), self.year_of(event)
        if not row["top"]:
            return
        self._bump(tx, year, "supervision.closed")
        accepted = row.get("accepted")
        if not row["ever_overdue"] and accepted and accepted["on"] <= accepted["due"]:
            self._bump(tx, year, "supervision.on_time")

    @handles(ev(SupervisionNotice, "NoticeIssued"))
    def notice_issued(self, event: Any, tx: ViewTransaction) -> None:
        year = event.period.start.year
        self._bump(tx, year, "supervision.notices")
        self._bump(tx, year, "supervision.notices_by_unit", event.unit)

    # --- 政务信息 ----------------------------------------------------------------------------

    @handles(ev(InformationReport, "Opened"))
    def information_opened(self, event: Any, tx: ViewTransaction) -> None:
        key = f"{event.year:04d}/{event.unit}/{event.month:02d}"
        tx.put(self.view, "information_keys", str(event.originator_id), {"key": key})
        row = {
            "unit": event.unit,
            "tier": event.tier.value,
            "target": None,
            "submitted": 0,
            "adopted": [],
            "levels": {},
            "closed": False,
        }
        tx.put(self.view, "information", key, row)

    def _month(
        self, tx: ViewTransaction, event: Any, change: Callable[[dict[str, Any]], object]
    ) -> None:
        found = tx.get(self.view, "information_keys", str(event.originator_id))
        if found is None:  # pragma: no cover - every month record opens first
            return
        row = tx.get(self.view, "information", found["key"]) or {}
        change(row)
        tx.put(self.view, "information", found["key"], row)

    @handles(ev(InformationReport, "TargetSet"))
    def information_target(self, event: Any, tx: ViewTransaction) -> None:
        self._month(tx, event, lambda r: r.update(target=event.target, tier=event.tier.value))

    @handles(ev(InformationReport, "ItemSubmitted"))
    def information_submitted(self, event: Any, tx: ViewTransaction) -> None:
        self._month(tx, event, lambda r: r.update(submitted=r["submitted"] + 1))

    @handles(ev(InformationReport, "ItemAdopted"))
    def information_adopted(self, event: Any, tx: ViewTransaction) -> None:
        def change(r: dict[str, Any]) -> None:
            level = event.level.value
            r["levels"] = {**r["levels"], level: r["levels"].get(level, 0) + 1}
            if event.number not in r["adopted"]:
                r["adopted"] = [*r["adopted"], event.number]

        self._month(tx, event, change)

    @handles(ev(InformationReport, "FiguresClosed"))
    def information_closed(self, event: Any, tx: ViewTransaction) -> None:
        self._month(tx, event, lambda r: r.update(closed=True))


def _split_state(row: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """(replied, on time, rated, satisfied) of an item handled in parts: answered when every
    part is, on time when every part's first reply was, rated when every part's latest
    reply has ratings, satisfied as its least satisfied part (ADR 0050)."""
    parts = list(row["parts"].values())
    if not parts or any(p["round"] == 0 for p in parts):
        return 0, 0, 0, 0
    on_time = int(all(p["on_time"] for p in parts))
    lowest = [Rating.lowest(Rating(r) for r in p["ratings"].values()) for p in parts]
    if any(r is None for r in lowest):
        return 1, on_time, 0, 0
    worst = Rating.lowest(r for r in lowest if r is not None)
    return 1, on_time, 1, int(worst is not None and worst.counts_as_satisfied)


def _rating_state(row: Mapping[str, Any]) -> tuple[int, int]:
    """(rated, satisfied) of one proposal: its latest reply has ratings, and the lowest of
    them counts as satisfied."""
    ratings = [Rating(r) for r in row["ratings"].values()]
    lowest = Rating.lowest(ratings)
    if lowest is None:
        return 0, 0
    return 1, int(lowest.counts_as_satisfied)


# --- reading the figures ---------------------------------------------------------------------


class _Counts:
    """The counters of one year, read from the view."""

    def __init__(self, reader: ViewReader, view: str, year: int) -> None:
        prefix = f"{year:04d}/"
        self.rows = {k[len(prefix) :]: doc for k, doc in reader.scan(view, COUNTS, prefix)}

    def n(self, name: str, dim: str = "") -> int:
        doc = self.rows.get(f"{name}/{dim}" if dim else name)
        return int(doc["n"]) if doc else 0

    def d(self, name: str) -> Decimal:
        doc = self.rows.get(name)
        return Decimal(doc["d"]) if doc else Decimal(0)

    def dims(self, name: str) -> dict[str, int]:
        prefix = f"{name}/"
        return {k[len(prefix) :]: int(v["n"]) for k, v in self.rows.items() if k.startswith(prefix)}

    def by(self, name: str, dimension: str, members: Iterable[Enum]) -> Breakdown:
        """A breakdown over every member of an enum, in the enum's order."""
        counts = self.dims(name)
        return Breakdown(
            dimension,
            tuple(
                Share(m.value, str(getattr(m, "label", m.value)), counts.get(m.value, 0))
                for m in members
            ),
        )


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole, None when there is no whole (0/0)."""
    return part / whole if whole else None


class ReportService(Facade):
    """``office.reports``: the annual report (年度报告) from the annual-figures projection."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.projection = AnnualFiguresProjection()
        office.views.projections.append(self.projection)

    def annual(self, year: int) -> AnnualReport:
        """年度报告 for ``year``; :class:`NoEventsInYear` when nothing happened in it."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 9999:
            raise InvalidInput(f"年度 {year!r} 不正确 (year must be a 4-digit year)", year=year)
        self.office.views.catch_up(only=[self.projection])
        store, view = self.office.views.store, self.projection.view
        activity = store.get(view, YEARS, f"{year:04d}")
        if activity is None:
            raise NoEventsInYear(year, [int(k) for k, _ in store.scan(view, YEARS)])
        org = self.office.org.current()
        c = _Counts(store, view, year)
        return AnnualReport(
            year=year,
            agency=org.agency,
            events=int(activity["n"]),
            outgoing=_outgoing(c),
            incoming=_incoming(c),
            meetings=self._meetings(c, year, org),
            proposals=_proposals(c),
            supervision=_supervision(c, org),
            targets=self._targets(year, org),
            information=self._information(year, org),
            log_head=self._log_head(),
        )

    def _log_head(self) -> str | None:
        """The log's head sealed now, in short (None where the store has no seals)."""
        try:
            head = self.office.audit.summary_head()
        except GovOfficeError:
            return None
        return head.to_json() if head is not None else None

    def _meetings(self, c: _Counts, year: int, org: Organisation) -> MeetingsFigures:
        store, view = self.office.views.store, self.projection.view
        rows: list[ExecutionRow] = []
        caps: list[Decimal] = []
        within = over = 0
        held = [doc["meeting"] for _, doc in store.scan(view, "held", f"{year:04d}/")]
        for serial, meeting_id in enumerate(held, start=1):
            m = store.get(view, "meetings", meeting_id) or {}
            spending = Decimal(m["spending"]) if "spending" in m else None
            if spending is not None:
                cap = self._cost_cap(m)
                if cap is not None:
                    caps.append(cap)
                    within += spending <= cap
                    over += spending > cap
            rows.append(
                ExecutionRow(
                    serial=serial,
                    unit=_unit_name(org, m["organiser"]),
                    name=m["title"],
                    content=m["content"],
                    category=MeetingCategory(m["category"]).label,
                    time=m["starts_at"],
                    place=m["place"],
                    scope=m["scope"],
                    attendees=m.get("attendees"),
                    staff=None,
                    leaders=_leaders_there(org, m),
                    spending_10k=None if spending is None else spending / 10000,
                )
            )
        spending_total = c.d("meetings.spending")
        settled = c.n("meetings.settled")
        cap_total = sum(caps, Decimal(0)) if caps else None
        return MeetingsFigures(
            planned=c.n("meetings.planned"),
            planned_by_kind=c.by("meetings.planned_by_kind", "会议种类", MeetingKind),
            requested=c.n("meetings.requested"),
            rejected=c.n("meetings.rejected"),
            cancelled=c.n("meetings.cancelled"),
            merged=c.n("meetings.merged"),
            held=c.n("meetings.held"),
            held_by_kind=c.by("meetings.held_by_kind", "会议种类", MeetingKind),
            held_planned=c.n("meetings.held_planned"),
            held_unplanned=c.n("meetings.held_unplanned"),
            days=c.d("meetings.days"),
            participants_planned=c.n("meetings.participants_planned"),
            invitees=c.n("meetings.invitees"),
            attended_in_person=c.n("meetings.attended_in_person"),
            attendance_by_fact=c.by("meetings.attendance", "考勤情况", AttendanceFact),
            attendance_rate=rate(c.n("meetings.attended_in_person"), c.n("meetings.invitees")),
            meetings_settled=settled,
            headcount_settled=c.n("meetings.headcount"),
            budget=c.d("meetings.budget"),
            spending=spending_total,
            cost_cap=cap_total,
            spending_of_cap=(
                float(spending_total / cap_total) if cap_total and len(caps) == settled else None
            ),
            within_cap=within,
            over_cap=over,
            execution_table=ExecutionTable(tuple(rows)),
            held_by_month=Breakdown.by_month(c.dims("meetings.held_by_month")),
        )

    def _information(self, year: int, org: Organisation) -> InformationFigures:
        """政务信息 of the months of ``year``: every unit's month scored by the office's
        scoring table (``office.information.scoring``)."""
        store, view = self.office.views.store, self.projection.view
        table = self.office.information.scoring
        keyed = list(store.scan(view, "information", f"{year:04d}/"))
        months = [doc for _, doc in keyed]
        by_month: dict[str, tuple[int, int]] = {}
        for key, m in keyed:
            month = key.rsplit("/", 1)[1]
            sent, adopted = by_month.get(month, (0, 0))
            by_month[month] = (sent + m["submitted"], adopted + len(m["adopted"]))
        levels: dict[str, int] = {}
        points: dict[str, Decimal] = {}
        targets_met = submissions_met = 0
        for m in months:
            figures = MonthFigures(
                target=m["target"],
                submitted=m["submitted"],
                adopted_items=len(m["adopted"]),
                adoptions=sum(m["levels"].values()),
                tier=UnitTier(m["tier"]),
            )
            score = table.score(figures)
            targets_met += score.target_met
            submissions_met += score.submission_met
            points[m["unit"]] = points.get(m["unit"], Decimal(0)) + score.total
            for level, n in m["levels"].items():
                levels[level] = levels.get(level, 0) + n
        submitted = sum(m["submitted"] for m in months)
        adopted = sum(len(m["adopted"]) for m in months)
        targets = sum(m["target"] is not None for m in months)
        ranked = sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))
        return InformationFigures(
            units_reporting=len(points),
            unit_months=len(months),
            months_closed=sum(bool(m["closed"]) for m in months),
            targets_set=targets,
            targets_met=targets_met,
            target_met_rate=rate(targets_met, targets),
            submission_tasks_met=submissions_met,
            submitted=submitted,
            adopted_items=adopted,
            adoption_rate=rate(adopted, submitted),
            adoptions=sum(levels.values()),
            adoptions_by_level=Breakdown(
                "采用层级",
                tuple(Share(lv.value, lv.label, levels.get(lv.value, 0)) for lv in AdoptionLevel),
            ),
            score=sum(points.values(), Decimal(0)),
            score_by_unit=Breakdown(
                "单位", tuple(Share(u, _unit_name(org, u), p) for u, p in ranked)
            ),
            submitted_by_month=Breakdown.by_month({k: v[0] for k, v in by_month.items()}),
            adopted_by_month=Breakdown.by_month({k: v[1] for k, v in by_month.items()}),
        )

    def _targets(self, year: int, org: Organisation) -> TargetFigures:
        """目标管理 of the year's table: its figures from its own events, the results table
        from its standing (the year-end assessment's figures once made)."""
        table_id = TargetTable.create_id(year)
        if not self.office.store.exists(table_id):
            return target_figures(year, [], (), org)
        table = self.office.targets.get(table_id)
        events = self.office.store.events(table_id, TargetTable.KIND)
        return target_figures(year, events, table.standing(), org, status=table.status)

    def _cost_cap(self, m: Mapping[str, Any]) -> Decimal | None:
        """标准限额 of one settled meeting: the cap per person per day in force on its date
        × settled headcount × days (None when no table covers its category or date)."""
        try:
            table = self.office.meetings.limit_table(date.fromisoformat(m["date"]))
            limit = table.limit_for(MeetingCategory(m["category"]))
        except (NoLimitTable, CategoryNotInTable):
            return None
        return limit.cost_cap_per_person_day * int(m["headcount"]) * Decimal(m["days"])


def target_figures(
    year: int,
    events: Iterable[Any],
    standing: Iterable[UnitScore],
    org: Organisation,
    *,
    status: TargetTableStatus | None = None,
) -> TargetFigures:
    """目标管理 figures of a year's table, folded from its events (in order)."""
    indicators: dict[int, Any] = {}
    solicited: list[str] = []
    opinions: dict[str, bool] = {}
    quarters: dict[str, int] = {}
    means: dict[str, int] = {}
    deductions: dict[int, Any] = {}
    corrected = corrected_on_time = amendments = missed = 0
    self_checks = self_checks_late = lagging = plans = 0
    pending: tuple[Any, ...] = ()
    for e in events:
        name = type(e).__name__
        if name in ("IndicatorAdded", "IndicatorRevised"):
            indicators[e.indicator.number] = e.indicator
        elif name == "IndicatorRemoved":
            indicators.pop(e.number, None)
        elif name == "OpinionsSolicited":
            solicited, opinions = list(e.units), {}
        elif name == "OpinionGiven":
            opinions[e.unit] = e.agrees
        elif name == "AmendmentProposed":
            pending = tuple(e.changes)
        elif name == "AmendmentApproved":
            amendments += 1
            for change in pending:
                if change.kind.value == "withdraw":
                    indicators.pop(change.indicator.number, None)
                else:
                    indicators[change.indicator.number] = change.indicator
        elif name in ("IndicatorChecked", "DeductionRecorded"):
            found = e.deduction if name == "DeductionRecorded" else e
            q = f"Q{found.quarter}"
            quarters[q] = quarters.get(q, 0) + 1
            means[found.means.value] = means.get(found.means.value, 0) + 1
            if name == "DeductionRecorded":
                deductions[found.number] = found
        elif name == "CorrectionReported":
            corrected += 1
            corrected_on_time += bool(e.prompt)
        elif name == "DeductionWaived":
            deductions[e.deduction] = attrs.evolve(
                deductions[e.deduction], status=DeductionStatus.WAIVED
            )
        elif name == "ChecksMissed":
            missed += len(e.indicators)
        elif name == "SelfCheckReported":
            self_checks += 1
            self_checks_late += bool(e.late)
        elif name == "NamedLagging":
            lagging += 1
        elif name == "CatchUpPlanReported":
            plans += 1
    by_basis: dict[str, int] = {}
    for i in indicators.values():
        by_basis[i.basis.value] = by_basis.get(i.basis.value, 0) + 1
    deducted_by_unit: dict[str, Decimal] = {}
    for d in deductions.values():
        deducted_by_unit[d.unit] = deducted_by_unit.get(d.unit, Decimal(0)) + d.points
    waived = [d for d in deductions.values() if not d.counts]
    total = sum((d.points for d in deductions.values()), Decimal(0))
    waived_points = sum((d.points for d in waived), Decimal(0))
    affiliated = set(org.units_with(UnitFunction.AFFILIATED))
    rows = tuple(
        AssessmentRow(
            serial=serial,
            rank=s.rank,
            unit=_unit_name(org, s.unit),
            indicators=s.indicators,
            full=s.full,
            deducted=s.deducted,
            waived=s.waived,
            score=s.score,
            rate=s.rate,
        )
        for serial, s in enumerate(standing, start=1)
    )
    return TargetFigures(
        status=Breakdown(
            "状态",
            tuple(Share(s.value, s.label, int(s is status)) for s in TargetTableStatus),
        ),
        indicators=len(indicators),
        indicators_by_basis=Breakdown(
            "制定依据",
            tuple(Share(b.value, b.label, by_basis.get(b.value, 0)) for b in IndicatorBasis),
        ),
        points=sum((i.points for i in indicators.values()), Decimal(0)),
        assessed_units=len({i.unit for i in indicators.values()}),
        units_consulted=len(solicited),
        affiliated_consulted=sum(1 for u in solicited if u in affiliated),
        units_dissenting=sum(1 for agrees in opinions.values() if not agrees),
        amendments=amendments,
        checks=sum(quarters.values()),
        checks_by_quarter=Breakdown(
            "季度",
            tuple(Share(f"Q{q}", f"第{q}季度", quarters.get(f"Q{q}", 0)) for q in range(1, 5)),
        ),
        checks_by_means=Breakdown(
            "跟踪方式",
            tuple(Share(m.value, m.label, means.get(m.value, 0)) for m in TrackingMeans),
        ),
        missed_checks=missed,
        deductions=len(deductions),
        deducted_points=total,
        corrected=corrected,
        corrected_on_time=corrected_on_time,
        waived=len(waived),
        waived_points=waived_points,
        counted_points=total - waived_points,
        deductions_by_unit=Breakdown(
            "单位",
            tuple(
                Share(u, _unit_name(org, u), p)
                for u, p in sorted(deducted_by_unit.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
        ),
        self_checks=self_checks,
        self_checks_late=self_checks_late,
        lagging_units=lagging,
        catch_up_plans=plans,
        assessment=AssessmentTable(rows),
    )


def _outgoing(c: _Counts) -> OutgoingFigures:
    return OutgoingFigures(
        drafted=c.n("outgoing.drafted"),
        issued=c.n("outgoing.issued"),
        issued_by_type=c.by("outgoing.issued_by_type", "文种", DocType),
        issued_by_urgency=c.by("outgoing.issued_by_urgency", "缓急", Urgency),
        withdrawn=c.n("outgoing.withdrawn"),
        issued_by_month=Breakdown.by_month(c.dims("outgoing.issued_by_month")),
    )


def _incoming(c: _Counts) -> IncomingFigures:
    handled = c.n("incoming.handled")
    return IncomingFigures(
        received=c.n("incoming.received"),
        registered=c.n("incoming.registered"),
        registered_by_sender_type=c.by("incoming.by_sender_type", "来文单位性质", SenderType),
        returned=c.n("incoming.returned"),
        handled=handled,
        handled_on_time=c.n("incoming.handled_on_time"),
        handled_late=c.n("incoming.handled_late"),
        handled_without_deadline=c.n("incoming.handled_no_deadline"),
        average_handling_days=rate(c.n("incoming.handling_days"), handled),
        went_overdue=c.n("incoming.went_overdue"),
        urges_by_channel=c.by("incoming.urges", "催办方式", IncomingUrgeChannel),
        received_by_month=Breakdown.by_month(c.dims("incoming.received_by_month")),
    )


def _proposals(c: _Counts) -> ProposalsFigures:
    submitted, replied = c.n("proposals.submitted"), c.n("proposals.replied")
    rated, satisfied = c.n("proposals.rated"), c.n("proposals.satisfied")
    results = {k: v for k, v in c.dims("proposals.results").items() if v}
    answered = sum(results.values())  # the parts answered: one per single-lead item
    labels = {r.code: r.label for r in ResultScheme.national().classes}
    labels.update({r.code: r.label for r in ResultScheme.seed().classes})
    codes = sorted(set(ResultScheme.seed().codes) | set(results))
    return ProposalsFigures(
        submitted=submitted,
        by_kind=c.by("proposals.by_kind", "类别", ProposalKind),
        by_field=c.by("proposals.by_field", "领域", Field),
        by_kind_and_field=Breakdown(
            "类别和领域",
            tuple(
                Share(
                    f"{k.value}:{f.value}",
                    f"{k.label}·{f.label}",
                    c.n("proposals.by_kind_and_field", f"{k.value}:{f.value}"),
                )
                for k in ProposalKind
                for f in Field
            ),
        ),
        replied=replied,
        reply_rate=rate(replied, submitted),
        replied_by_result=Breakdown(
            "答复分类",
            tuple(Share(code, labels.get(code, code), results.get(code, 0)) for code in codes),
        ),
        result_shares=Breakdown(
            "答复分类",
            tuple(
                Share(code, labels.get(code, code), rate(results.get(code, 0), answered))
                for code in codes
            ),
        ),
        rated=rated,
        satisfied=satisfied,
        satisfaction_rate=rate(satisfied, rated),
        on_time=c.n("proposals.on_time"),
        on_time_rate=rate(c.n("proposals.on_time"), replied),
        urges_by_channel=c.by("proposals.urges", "催办方式", ProposalUrgeChannel),
    )


def _supervision(c: _Counts, org: Organisation) -> SupervisionFigures:
    closed, on_time = c.n("supervision.closed"), c.n("supervision.on_time")
    urges = c.by("supervision.urges", "催办方式", UrgeChannel)
    notices = c.dims("supervision.notices_by_unit")
    return SupervisionFigures(
        opened=c.n("supervision.opened"),
        opened_by_source=c.by("supervision.by_source", "来源", SourceKind),
        closed=closed,
        on_time=on_time,
        on_time_rate=rate(on_time, closed),
        overdue=c.n("supervision.overdue"),
        overdue_tasks=c.n("supervision.overdue_tasks"),
        extensions_granted=c.n("supervision.extensions"),
        urges=sum(int(s.value or 0) for s in urges.shares),
        urges_by_channel=urges,
        notices=c.n("supervision.notices"),
        notices_by_unit=Breakdown(
            "处室",
            tuple(Share(u, _unit_name(org, u), n) for u, n in sorted(notices.items())),
        ),
    )


def _unit_name(org: Organisation, unit: str) -> str:
    found = org.units.get(UnitId(unit))
    return found.name if found is not None else unit


def _leaders_there(org: Organisation, meeting: Mapping[str, Any]) -> str:
    """出席会议局领导 of the 年度会议执行情况 table [001 会议 六 3]: the agency's leaders who
    were there by the sign-in facts (in person, or signed in as a substitute), by name —
    not those the plan or request named. Empty until the attendance is recorded."""
    starts = datetime.fromisoformat(meeting["starts_utc"]) if "starts_utc" in meeting else None
    leaders = [
        person
        for person in meeting.get("there", ())
        if starts is not None
        and any(org.holds(person, role, starts) for role in (Role.LEADER, Role.PRINCIPAL_LEADER))
    ]
    return "、".join(_person_name(org, p) for p in leaders)


def _person_name(org: Organisation, person: str) -> str:
    found = org.people.get(PersonId(person))
    return found.name if found is not None else person


__all__ = [
    "AnnualFiguresProjection",
    "AnnualReport",
    "AssessmentRow",
    "AssessmentTable",
    "Breakdown",
    "Entry",
    "ExecutionRow",
    "ExecutionTable",
    "NoEventsInYear",
    "ReportService",
    "Section",
    "Share",
    "Table",
    "TargetFigures",
    "amount",
    "percent",
    "rate",
]
