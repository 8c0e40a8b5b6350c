"""年度会议计划 the annual meeting plan [001 会议 五(一)1, 六 1]: its rows, its refusals and
the `MeetingPlan` aggregate.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import attrs
import pendulum
from eventsourcing.domain import event

from govoffice.domain.authority import (
    Act,
    HeadOf,
    MemberOf,
    OfficeHead,
    Requirement,
    SupervisingLeaderOf,
    authorise,
    declare,
    either,
    role,
    step,
)
from govoffice.domain.base import OfficeAggregate, stable_topics
from govoffice.domain.calendar import CIVIL_CODE_DEADLINES, CutOff, DeadlineRules, RestDays
from govoffice.domain.errors import AlreadyExists, InvalidInput, RuleViolation
from govoffice.domain.meeting.checks import (
    NothingToExcept,
    _known_people,
    exact_number,
    uncovered_breaches,
)
from govoffice.domain.meeting.vocabulary import (
    MEETING_NAMESPACE,
    PLAN_COLUMNS,
    PLAN_SUBMISSION_LAST_DAY,
    MeetingKind,
    MeetingPlanStatus,
)
from govoffice.domain.meeting_rules import (
    LimitBreach,
    LimitTable,
    MeetingCategory,
    MeetingFigures,
    MeetingForm,
    MeetingLimitExceeded,
    check_meeting,
)
from govoffice.domain.organisation import Organisation, Role
from govoffice.domain.values import PersonId, UnitId, a_date, positive_int, text, value_object


@value_object
class MeetingPlanRow:
    """会议计划汇总表的一行 one row of the annual plan, columns of [001 会议 六 1]."""

    serial: int
    organiser: UnitId
    name: str
    content: str
    category: MeetingCategory
    kind: MeetingKind
    form: MeetingForm
    planned_date: date
    place: str
    participant_scope: str
    days: Decimal
    participants: int
    attending_leaders: tuple[PersonId, ...]
    budget_10k: Decimal
    submitted_by: PersonId
    endorsed_by: PersonId | None = None
    late_reason: str = ""

    @property
    def budget(self) -> Decimal:
        """经费预算 in yuan (the table states it in 万元)."""
        return self.budget_10k * 10000

    @property
    def figures(self) -> MeetingFigures:
        return MeetingFigures(self.category, self.form, self.days, self.participants, self.budget)

    def columns(
        self, unit_name: str = "", person_names: Mapping[str, str] | None = None
    ) -> tuple[str, ...]:
        """The row in the order of `PLAN_COLUMNS`; the attending leaders by name where
        ``person_names`` knows them [001 会议 六 1 出席会议局领导]."""
        names = person_names or {}
        return (
            str(self.serial),
            unit_name or self.organiser,
            self.name,
            self.content,
            self.category.label,
            self.planned_date.isoformat(),
            self.place,
            self.participant_scope,
            f"{self.days.normalize():f}",
            str(self.participants),
            "、".join(names.get(p, p) for p in self.attending_leaders),
            f"{self.budget_10k.normalize():f}",
        )


class PlanRowLate(RuleViolation):
    """[001 会议 五(一)1] next year's meetings are proposed by early December; a later row
    states why it is late."""

    def __init__(self, year: int, last_day: date) -> None:
        super().__init__(
            f"{year} 年会议计划应于 {last_day} 前(12月上旬)提出,逾期补报须说明理由 "
            "(plan rows are due by early December: a late row needs its reason)",
            year=year,
            last_day=last_day,
        )


class PlanIncomplete(RuleViolation):
    """[001 会议 五(一)1] rows endorsed by the supervising leader, reviewed by the office."""

    def __init__(self, year: int, missing: Iterable[str]) -> None:
        missing = tuple(missing)
        super().__init__(
            f"{year} 年会议计划不能审定: {';'.join(missing)} (plan incomplete)",
            year=year,
            missing=missing,
        )


@stable_topics("meeting-plan")
class MeetingPlan(OfficeAggregate):
    """年度会议计划 one year's plan of the meetings held in the agency's name
    [001 会议 五(一)1, 六 1]."""

    KIND = "年度会议计划"

    @staticmethod
    def create_id(year: int) -> uuid.UUID:
        return uuid.uuid5(MEETING_NAMESPACE, f"meeting-plan/{year}")

    @classmethod
    def open(
        cls, *, org: Organisation, year: int, by: PersonId, at: pendulum.DateTime
    ) -> MeetingPlan:
        """征集下一年度会议计划: the general office opens the year's plan (this year's or a
        later one, by the agency's calendar)."""
        authorise(org, cls, "Opened", by=by, at=at)
        year = positive_int(year, "计划年度", minimum=1949)
        if year < org.day_of(at).year:
            raise InvalidInput(f"{year} 年已过,不能再编制会议计划 (that year is past)", year=year)
        return cls(year=year, by=by, at=at)

    @event("Opened")
    def __init__(self, *, year: int, by: PersonId, at: pendulum.DateTime) -> None:
        self.year = year
        self.status = MeetingPlanStatus.COLLECTING
        self.rows: dict[int, MeetingPlanRow] = {}
        self.exceptions: dict[int, tuple[LimitBreach, ...]] = {}
        self.scheduled: dict[int, uuid.UUID] = {}
        self.approved_by: PersonId | None = None
        self.decided_at: MeetingKind | None = None

    # --- restructuring (ADR 0023) ---------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Work remains while rows are still to be scheduled as meetings (their organisers
        will hold them)."""
        return any(s not in self.scheduled for s in self.rows) or (
            self.status is not MeetingPlanStatus.APPROVED
        )

    def units_in_charge(self) -> frozenset[str]:
        """The organisers of the rows not yet scheduled."""
        return frozenset(r.organiser for s, r in self.rows.items() if s not in self.scheduled)

    def _replace_unit(self, old: str, new: str) -> None:
        """A merged or dissolved organiser's unscheduled rows pass to its successor (a row
        already scheduled is the meeting's business, handed over there)."""
        self.rows = {
            s: (
                attrs.evolve(r, organiser=UnitId(new))
                if r.organiser == old and s not in self.scheduled
                else r
            )
            for s, r in self.rows.items()
        }

    @property
    def last_submission_day(self) -> date:
        month, day = PLAN_SUBMISSION_LAST_DAY
        return date(self.year - 1, month, day)

    def submission_cut_off(
        self, calendar: RestDays | None = None, rules: DeadlineRules | None = None
    ) -> date:
        """The day rows are really due: :attr:`last_submission_day`, moved to the next
        working day when it is a statutory holiday or rest day and ``calendar`` is given
        (民法典 第二百零三条, unless ``rules`` say otherwise, ADR 0051)."""
        if calendar is None:
            return self.last_submission_day
        table = CIVIL_CODE_DEADLINES if rules is None else rules
        return table.last_day(CutOff.MEETING_PLAN, self.last_submission_day, calendar)

    def submit_row(
        self,
        *,
        org: Organisation,
        organiser: str,
        name: str,
        content: str,
        category: MeetingCategory,
        kind: MeetingKind,
        form: MeetingForm,
        planned_date: object,
        place: str,
        participant_scope: str,
        days: object,
        participants: int,
        attending_leaders: Iterable[str] = (),
        budget_10k: object,
        late_reason: str = "",
        by: PersonId,
        at: pendulum.DateTime,
        calendar: RestDays | None = None,
        rules: DeadlineRules | None = None,
    ) -> int:
        """提出计划 a unit's head proposes one meeting for next year, by early December
        [001 会议 五(一)1] (10 December, moved past a holiday on the office ``calendar``,
        ADR 0051); a row proposed later (补报, e.g. the first year on govoffice) must say
        why, and is marked late. Returns the row's serial."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING)
        unit = org.require_unit_active(organiser, at)
        late_reason = text(late_reason, "补报理由", required=False).strip()
        when = a_date(planned_date, "会议时间")
        if when.year != self.year:
            raise InvalidInput(f"会议时间 {when} 不在计划年度 {self.year} 内", planned_date=when)
        if kind is MeetingKind.VIDEO and form is not MeetingForm.VIDEO:
            raise InvalidInput("视频会议须以视频形式召开 (a video meeting is held by video)")
        length = exact_number(days, "会期(天)")
        if length <= 0:
            raise InvalidInput(f"会期 {days!r} 须大于0天 (days must be positive)", days=days)
        serial = len(self.rows) + 1
        row = MeetingPlanRow(
            serial=serial,
            organiser=unit.id,
            name=text(name, "会议名称"),
            content=text(content, "主要内容"),
            category=category,
            kind=kind,
            form=form,
            planned_date=when,
            place=text(place, "地点"),
            participant_scope=text(participant_scope, "参会人员范围"),
            days=length,
            participants=positive_int(participants, "人数"),
            attending_leaders=_known_people(org, attending_leaders, "出席会议局领导", at),
            budget_10k=exact_number(budget_10k, "经费预算(万元)"),
            submitted_by=by,
            late_reason=late_reason,
        )
        authorise(org, MeetingPlan, "RowSubmitted", by=by, at=at, record=self, row=row)
        today = org.day_of(at)
        last = self.last_submission_day
        if today > last:  # only then is the calendar consulted
            last = self.submission_cut_off(calendar, rules)
        if today > last and not late_reason:
            raise PlanRowLate(self.year, last)
        if today <= last:
            row = attrs.evolve(row, late_reason="")
        self._row_submitted(row=row, by=by, at=at)
        return serial

    @event("RowSubmitted")
    def _row_submitted(self, row: MeetingPlanRow, by: PersonId, at: pendulum.DateTime) -> None:
        self.rows[row.serial] = row

    def endorse_row(
        self,
        *,
        org: Organisation,
        serial: int,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """分管局领导同意 the organising unit's supervising leader agrees [001 会议 五(一)1]
        (the principal leader, for a unit no deputy supervises)."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING)
        row = self.row(serial)
        acting = authorise(
            org,
            MeetingPlan,
            "RowEndorsed",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
            serial=serial,
        )
        if row.endorsed_by is not None:
            raise AlreadyExists(f"第{serial}行的分管领导意见", row.endorsed_by)
        self._row_endorsed(
            serial=serial, by=by, on_behalf_of=on_behalf_of if acting != by else None, at=at
        )

    @event("RowEndorsed")
    def _row_endorsed(
        self, serial: int, by: PersonId, on_behalf_of: PersonId | None, at: pendulum.DateTime
    ) -> None:
        self.rows[serial] = attrs.evolve(self.rows[serial], endorsed_by=on_behalf_of or by)

    def review(
        self, *, org: Organisation, by: PersonId, at: pendulum.DateTime, opinion: str = ""
    ) -> None:
        """办公室审核协调 the head of the general office reviews the collected rows."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING)
        authorise(org, MeetingPlan, "Reviewed", by=by, at=at, record=self)
        missing = [
            f"第{s}行未经分管局领导同意" for s, r in self.rows.items() if r.endorsed_by is None
        ]
        if not self.rows:
            missing.append("计划没有任何会议")
        if missing:
            raise PlanIncomplete(self.year, missing)
        self._reviewed(by=by, opinion=text(opinion, "审核意见", required=False), at=at)

    @event("Reviewed")
    def _reviewed(self, by: PersonId, opinion: str, at: pendulum.DateTime) -> None:
        self.status = MeetingPlanStatus.REVIEWED

    def approve_limit_exception(
        self,
        *,
        org: Organisation,
        serial: int,
        table: LimitTable,
        reason: str,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> tuple[LimitBreach, ...]:
        """主要领导批准超标准例外 for one row; returns the breaches it covers."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.COLLECTING, MeetingPlanStatus.REVIEWED)
        row = self.row(serial)
        acting = authorise(
            org,
            MeetingPlan,
            "LimitExceptionApproved",
            by=by,
            at=at,
            record=self,
            on_behalf_of=on_behalf_of,
        )
        breaches = check_meeting(row.figures, table)
        if not breaches:
            raise NothingToExcept(f"第{serial}行《{row.name}》")
        self._limit_exception_approved(
            serial=serial,
            breaches=list(breaches),
            source=table.source,
            reason=text(reason, "例外理由"),
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )
        return breaches

    @event("LimitExceptionApproved")
    def _limit_exception_approved(
        self,
        serial: int,
        breaches: list[LimitBreach],
        source: str,
        reason: str,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.exceptions[serial] = tuple(breaches)

    def approve(
        self,
        *,
        org: Organisation,
        tables: Mapping[int, LimitTable],
        decided_at: MeetingKind,
        by: PersonId,
        at: pendulum.DateTime,
        on_behalf_of: PersonId | None = None,
    ) -> None:
        """审定 the director's office meeting or the joint meeting approves the plan; a row
        over its limits needs an approved exception [001 会议 五(一)1, 五(三)3-4].
        ``tables`` gives each row's limit table (by jurisdiction and planned date)."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.REVIEWED)
        if decided_at not in (MeetingKind.OFFICE, MeetingKind.JOINT):
            raise InvalidInput(
                f"年度会议计划由局长办公会议或党政联席会议审定,而不是{decided_at.label}",
                decided_at=decided_at,
            )
        acting = authorise(
            org, MeetingPlan, "Approved", by=by, at=at, record=self, on_behalf_of=on_behalf_of
        )
        breaches: list[LimitBreach] = []
        sources: list[str] = []
        for serial, row in self.rows.items():
            table = tables[serial]
            for b in uncovered_breaches(row.figures, table, self.exceptions.get(serial, ())):
                breaches.append(
                    attrs.evolve(b, description=f"第{serial}行《{row.name}》{b.description}")
                )
                if table.source not in sources:
                    sources.append(table.source)
        if breaches:
            raise MeetingLimitExceeded(breaches, ";".join(sources))
        self._approved(
            decided_at=decided_at,
            by=by,
            on_behalf_of=on_behalf_of if acting != by else None,
            at=at,
        )

    @event("Approved")
    def _approved(
        self,
        decided_at: MeetingKind,
        by: PersonId,
        on_behalf_of: PersonId | None,
        at: pendulum.DateTime,
    ) -> None:
        self.status = MeetingPlanStatus.APPROVED
        self.approved_by = on_behalf_of or by
        self.decided_at = decided_at

    def reopen(
        self, *, org: Organisation, reason: str, by: PersonId, at: pendulum.DateTime
    ) -> None:
        """计划调整 with the general office's consent an approved plan takes changes again
        (未经局办公室同意,任何科室不得随意变更会议计划 [000 范文6 四 2]); new rows are late
        rows, and the plan is reviewed and approved anew. Scheduled rows stay scheduled."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.APPROVED)
        authorise(org, MeetingPlan, "Reopened", by=by, at=at, record=self)
        self._reopened(reason=text(reason, "调整理由"), by=by, at=at)

    @event("Reopened")
    def _reopened(self, reason: str, by: PersonId, at: pendulum.DateTime) -> None:
        self.status = MeetingPlanStatus.COLLECTING

    def schedule_row(
        self,
        *,
        org: Organisation,
        serial: int,
        meeting_id: uuid.UUID,
        by: PersonId,
        at: pendulum.DateTime,
    ) -> None:
        """计划内会议立项: one meeting per approved row (recorded with the meeting itself),
        by the organising unit or the general office."""
        self._check_time(at)
        self._require_status(MeetingPlanStatus.APPROVED)
        self.row(serial)
        authorise(org, MeetingPlan, "RowScheduled", by=by, at=at, record=self, serial=serial)
        if serial in self.scheduled:
            raise AlreadyExists(f"第{serial}行的计划内会议", self.scheduled[serial])
        self._row_scheduled(serial=serial, meeting_id=meeting_id, by=by, at=at)

    @event("RowScheduled")
    def _row_scheduled(
        self, serial: int, meeting_id: uuid.UUID, by: PersonId, at: pendulum.DateTime
    ) -> None:
        self.scheduled[serial] = meeting_id

    # --- queries -------------------------------------------------------------------------

    def row(self, serial: object) -> MeetingPlanRow:
        if isinstance(serial, bool) or not isinstance(serial, int) or serial not in self.rows:
            raise InvalidInput(
                f"{self.year} 年会议计划没有第 {serial!r} 行 (no such row)", serial=serial
            )
        return self.rows[serial]

    def table(
        self,
        unit_names: Mapping[str, str] | None = None,
        person_names: Mapping[str, str] | None = None,
    ) -> list[tuple[str, ...]]:
        """局年度会议计划汇总表: a header, one line per row, and the 总计 line [001 会议 六 1];
        units and leaders by name where the mappings know them."""
        names = unit_names or {}
        lines: list[tuple[str, ...]] = [PLAN_COLUMNS]
        for row in self.rows.values():
            lines.append(row.columns(names.get(row.organiser, ""), person_names))
        days = sum((r.days for r in self.rows.values()), Decimal(0))
        people = sum(r.participants for r in self.rows.values())
        budget = sum((r.budget_10k for r in self.rows.values()), Decimal(0))
        lines.append(
            (
                "总计",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                f"{days.normalize():f}",
                str(people),
                "",
                f"{budget.normalize():f}",
            )
        )
        return lines


# --- the authority of each step (ADR 0024) ---------------------------------------------------


def _row_of(act: Act) -> MeetingPlanRow:
    """The row a step names (by its serial), as the plan had it before the step."""
    row: MeetingPlanRow = act.record.rows[act.fact("serial")]
    return row


def _endorser(act: Act) -> Requirement:
    """[001 会议 五(一)1] 经分管局领导同意: the row's unit's supervising leader on the day; the
    principal leader for a unit no leader supervised then."""
    organiser = _row_of(act).organiser
    if act.org.supervising_leaders(organiser, act.at):
        return SupervisingLeaderOf(lambda _: organiser)
    return role(Role.PRINCIPAL_LEADER)


_PRINCIPAL = role(Role.PRINCIPAL_LEADER)

AUTHORITY = declare(
    "MeetingPlan",
    {
        "Opened": step("征集年度会议计划", role(Role.OFFICE_REVIEWER)),
        "RowSubmitted": step(
            "提出本处室会议计划", HeadOf(lambda act: act.fact("row").organiser, "主办处室")
        ),
        "RowEndorsed": step("分管局领导同意会议计划", _endorser),
        "Reviewed": step("审核年度会议计划", OfficeHead()),
        "LimitExceptionApproved": step("批准会议超标准例外", _PRINCIPAL),
        "Approved": step("审定年度会议计划", _PRINCIPAL),
        "Reopened": step("调整年度会议计划", OfficeHead()),
        "RowScheduled": step(
            "安排计划内会议",
            lambda act: either(
                MemberOf(lambda _: [_row_of(act).organiser], "主办处室"),
                role(Role.OFFICE_REVIEWER),
            ),
        ),
    },
)
