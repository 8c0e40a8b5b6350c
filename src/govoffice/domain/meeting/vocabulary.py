"""会议 vocabulary: the office's figures for meetings, the meeting kinds and what each kind
fixes (chair, leave approver, minutes, distribution), and the statuses
[001 会议 四(一); 000 范文6 三; 002; 004].
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import attrs

from govoffice.domain.values import LabelledEnum

MEETING_NAMESPACE = uuid.UUID("8c3f5a7e-41d2-4b6e-9f0a-5d2c7e1b9a63")

MATERIALS_DAYS_BEFORE = 2
"""[002 二 4] 在会议召开前两天将议题和有关材料送交秘书科."""

ARCHIVE_DAYS = 7
"""[000 范文6 四 7] 在会议结束七日内 …… 归档."""

ABSENTEE_URGE_MINUTES = 5
"""[004 六 1] 会务工作人员在会前5分钟,对没有到会人员进行催促."""

MERGE_WINDOW_DAYS = 7
"""[000 范文6 四 4] 时间相近的会议可合并召开; the seed gives no figure: govoffice's default."""

PLAN_SUBMISSION_LAST_DAY = (12, 10)
"""[001 会议 五(一)1] 应于每年的12月上旬提出计划: by 10 December of the year before."""

"""The ``by`` of the decisions the office's time step records (not taken by a person)."""

MINUTES_SERIES = "会议纪要"
"""The `NumberSeries` kind of minutes numbers (one gapless series per year)."""

PLAN_COLUMNS = (
    "序号",
    "主办处室",
    "会议名称",
    "主要内容",
    "类别",
    "时间",
    "地点",
    "参会人员范围",
    "会期(天)",
    "人数",
    "出席会议局领导",
    "经费预算(万元)",
)
"""The columns of 局20XX年会议计划汇总表 [001 会议 六 1]."""


class ChairRule(LabelledEnum):
    """主持人规则 who may chair a meeting of a kind."""

    PRINCIPAL_OR_DELEGATE = "principal_or_delegate", "局长或局长委托的副局长"
    PRINCIPAL = "principal", "主要领导(局长或党组书记)"
    LEADER = "leader", "局领导"


class LeaveApproverRule(LabelledEnum):
    """请假审批人规则 to whom an invitee applies for leave [000 范文6 五 5]."""

    DIRECTOR = "director", "局长"
    PARTY_SECRETARY = "party_secretary", "党组书记"
    CONVENER = "convener", "召集会议的局领导"


class MeetingOwner(LabelledEnum):
    """会议的主管领导 the principal leader who owns a kind's meetings: approves their requests,
    signs their notices, grants the leave the kind asks of the director or the secretary,
    and is the one a deputy chairs for. Where one person is both (the seeds' bureau), that
    person owns every kind; where the party secretary (`Role.PARTY_SECRETARY`) and the
    director are two people, each owns his own [000 范文6 三 2-3, 五 5; 001 会议 四(一)]."""

    DIRECTOR = "director", "局长"
    PARTY_SECRETARY = "party_secretary", "党组书记"
    EITHER = "either", "局长或党组书记"


class DistributionGroup(LabelledEnum):
    """纪要分送范围 the groups a kind's minutes go to [004 ★《会议纪要》分送范围; 000 范文6 四 8]."""

    LEADERS = "leaders", "局领导班子成员"
    ALL_UNITS = "all_units", "机关各处室"
    AFFILIATED = "affiliated", "局属各单位"
    RELATED_UNITS = "related_units", "有关处室"
    ARCHIVE = "archive", "存档"


class MeetingKind(LabelledEnum):
    """会议种类 [001 会议 四(一); 000 范文6 三; 002]. Values are the stable kind codes that
    `AttendanceScoringTable.counted_kinds` names (e.g. ``quarterly_meeting``)."""

    OFFICE = "office_meeting", "局长办公会议"
    JOINT = "joint_meeting", "党政联席会议"
    MONTHLY = "monthly_meeting", "机关月度工作例会"
    ANNUAL = "annual_meeting", "年度工作会议"
    TOPIC = "topic_meeting", "专题会议"
    PARTY_GROUP = "party_group_meeting", "党组会议"
    WEEKLY = "weekly_meeting", "周例会"
    QUARTERLY = "quarterly_meeting", "季度例会"
    SYSTEM = "system_meeting", "系统大会"
    COMMENDATION = "commendation_meeting", "总结表彰大会"
    VIDEO = "video_meeting", "视频会议"

    @property
    def rule(self) -> MeetingKindRule:
        return KIND_RULES[self]


@attrs.frozen
class MeetingKindRule:
    """What a meeting kind fixes: who chairs, to whom leave is asked, whether minutes are
    required, to whom they go, and the seed clause it follows."""

    chair: ChairRule
    leave_approver: LeaveApproverRule
    minutes_required: bool
    distribution: tuple[DistributionGroup, ...]
    clause: str
    owner: MeetingOwner = MeetingOwner.DIRECTOR


_L, _ALL, _AFF, _REL, _ARC = (
    DistributionGroup.LEADERS,
    DistributionGroup.ALL_UNITS,
    DistributionGroup.AFFILIATED,
    DistributionGroup.RELATED_UNITS,
    DistributionGroup.ARCHIVE,
)

KIND_RULES: Mapping[MeetingKind, MeetingKindRule] = {
    MeetingKind.OFFICE: MeetingKindRule(
        ChairRule.PRINCIPAL_OR_DELEGATE,
        LeaveApproverRule.DIRECTOR,
        True,
        (_L, _ALL, _AFF, _ARC),
        "[001 会议 四(一)1; 000 范文6 三 3, 四 8, 五 5]",
    ),
    MeetingKind.JOINT: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.CONVENER,
        True,
        (_L, _ALL, _ARC),
        "[001 会议 四(一)2; 004 ★3 党政联席会议纪要分送; 002 篇二 四 3]",
        MeetingOwner.EITHER,
    ),
    MeetingKind.MONTHLY: MeetingKindRule(
        ChairRule.PRINCIPAL_OR_DELEGATE,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _ARC),
        "[001 会议 四(一)3]",
    ),
    MeetingKind.ANNUAL: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.DIRECTOR,
        True,
        (_L, _ALL, _AFF, _ARC),
        "[001 会议 四(一)4, 五(三)1(3)]",
    ),
    MeetingKind.TOPIC: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.CONVENER,
        False,
        (_L, _REL, _ARC),
        "[001 会议 四(一)5, 五(三)1(2); 000 范文6 三 7, 五 5]",
    ),
    MeetingKind.PARTY_GROUP: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.PARTY_SECRETARY,
        False,
        (_L, _REL, _ARC),
        "[000 范文6 三 2, 五 5; 004 ★1]",
        MeetingOwner.PARTY_SECRETARY,
    ),
    MeetingKind.WEEKLY: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.CONVENER,
        False,
        (_ALL, _ARC),
        "[002 篇一 三 1-2]",
    ),
    MeetingKind.QUARTERLY: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _AFF, _ARC),
        "[000 范文6 三 6, 五 5-6]",
    ),
    MeetingKind.SYSTEM: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _AFF, _ARC),
        "[000 范文6 三 4, 五 5-6; 002 篇一 五]",
    ),
    MeetingKind.COMMENDATION: MeetingKindRule(
        ChairRule.PRINCIPAL,
        LeaveApproverRule.DIRECTOR,
        False,
        (_L, _ALL, _AFF, _ARC),
        "[002 篇一 六]",
    ),
    MeetingKind.VIDEO: MeetingKindRule(
        ChairRule.LEADER,
        LeaveApproverRule.CONVENER,
        False,
        (_REL, _ARC),
        "[001 会议 五(二)5, 五(三)3]",
    ),
}


class MeetingStatus(LabelledEnum):
    """会议状态."""

    REQUESTED = "requested", "签报待批"
    REJECTED = "rejected", "签报未批准"
    PLANNED = "planned", "计划内待召开"
    APPROVED = "approved", "签报已批准"
    NOTICED = "noticed", "已通知"
    HELD = "held", "已召开"
    ARCHIVED = "archived", "已归档"
    CANCELLED = "cancelled", "已取消"
    MERGED = "merged", "已合并"


PREPARING = (MeetingStatus.PLANNED, MeetingStatus.APPROVED, MeetingStatus.NOTICED)

AFTER_HELD = (MeetingStatus.HELD, MeetingStatus.ARCHIVED)


class MeetingPaperStage(LabelledEnum):
    """会签的文书: the request (签报) or the notice (会议通知)."""

    REQUEST = "request", "会议签报"
    NOTICE = "notice", "会议通知"


class MeetingLeaveStatus(LabelledEnum):
    REQUESTED = "requested", "待批准"
    GRANTED = "granted", "已准假"
    REFUSED = "refused", "未准假"


class MeetingPayment(LabelledEnum):
    """会议费结算方式 [001 会议 五(三)4(4)]."""

    BANK_TRANSFER = "bank_transfer", "银行转账"
    OFFICIAL_CARD = "official_card", "公务卡"
    CASH = "cash", "现金"


class MeetingPlanStatus(LabelledEnum):
    COLLECTING = "collecting", "征集中"
    REVIEWED = "reviewed", "办公室已审核"
    APPROVED = "approved", "已审定"
