"""Builders: one record of each aggregate, driven through the public commands to a status.

Each builder takes the office and the people of :func:`~govoffice.testing.standard_agency`,
starts at the office clock's time and takes each step at a later business time, leaving a
:class:`~govoffice.testing.SettableClock` at the time of the last step; it returns the new
record's id. ``to`` is any status of the aggregate's status enum that a normal path reaches;
``at`` starts the record at another business time (the clock is never moved back).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pendulum

from govoffice.application.office import Office
from govoffice.domain.document import DocumentStatus, DraftForm
from govoffice.domain.errors import RecordNotFound
from govoffice.domain.incoming import HandlingKind, IncomingStatus, ScreeningCheck
from govoffice.domain.links import SourceKind, SourceRef
from govoffice.domain.meeting import MeetingKind, MeetingPlanStatus, MeetingStatus
from govoffice.domain.organisation import Role
from govoffice.domain.proposal import (
    Field,
    ProposalKind,
    ProposalStatus,
    Rating,
    check_sheet,
)
from govoffice.domain.supervision import SupervisionStatus
from govoffice.testing._agency import SECURE_PRINT_SITE, AgencyPeople, notification_count

PRINT_ROOM = "局文印室"

Step = Callable[[pendulum.DateTime], object]


def _clock_to(office: Office, at: pendulum.DateTime) -> None:
    """Leave a settable clock at ``at`` (never move it back)."""
    setter = getattr(office.clock, "set", None)
    if setter is not None and at > office.clock.now():
        setter(at)


def _run(
    office: Office,
    path: Sequence[tuple[Any, pendulum.Duration, Step]],
    to: Any,
    start: pendulum.DateTime,
) -> None:
    """Take the steps of ``path`` in order, each at ``start`` plus its offset, up to and
    including the (last) step that reaches ``to``; a step for ``None`` is only a way point."""
    reached = [status for status, _, _ in path]
    if to not in reached:
        raise ValueError(f"{to!r} is not reached by this builder; one of {reached}")
    stop = len(reached) - 1 - reached[::-1].index(to)
    for _, offset, step in path[: stop + 1]:
        when = start + offset
        _clock_to(office, when)
        step(when)


def _minutes(n: int) -> pendulum.Duration:
    return pendulum.duration(minutes=n)


def _days(n: int, hours: int = 0) -> pendulum.Duration:
    return pendulum.duration(days=n, hours=hours)


# --- 发文 outgoing documents ------------------------------------------------------------------


def draft_form(**overrides: Any) -> dict[str, Any]:
    """The 发文稿纸 of an ordinary 通知 of 业务一处, with ``overrides``."""
    fields: dict[str, Any] = {
        "title": "关于做好春季安全检查工作的通知",
        "doc_type": "通知",
        "issuer_code": "X政发",
        "lead_unit": "biz1",
        "main_recipients": ["各处室", "各直属单位"],
        "copy_recipients": ["市政府办公室"],
        "text": "为做好春季安全检查工作,现将有关事项通知如下……",
    }
    return fields | overrides


def head_of(people: AgencyPeople, unit: str) -> str:
    """The head of a unit of :func:`~govoffice.testing.standard_agency`."""
    heads = {
        "biz1": people.unit_head,
        "biz2": people.unit_head2,
        "legal": people.legal_head,
        "office": people.office_head,
        "party": people.party_head,
        "discipline": people.discipline_head,
        "finance": people.finance_head,
    }
    if unit not in heads:
        raise ValueError(f"the standard agency's unit {unit!r} has no head; one of {sorted(heads)}")
    return heads[unit]


def forced_countersigners(form: DraftForm) -> list[str]:
    """The units the rules make countersign ``form`` in the standard agency: 办公室 for
    internal rules, 法规处 for a normative document [001 发文 五(三)1(1)], and for an item
    of the director's meeting a related unit, 业务二处 (or 业务一处 when it leads)
    [001 发文 五(四)3(6)]; never the lead unit itself."""
    units = []
    if form.internal_rules:
        units.append("office")
    if form.normative:
        units.append("legal")
    units = [u for u in units if u != form.lead_unit]
    if form.for_office_meeting and not units:
        units.append("biz2" if form.lead_unit != "biz2" else "biz1")
    return units


def signer_for(people: AgencyPeople, form: DraftForm) -> str:
    """Who signs: 定密责任人 for a classified draft, 主要领导 for an important one, else the
    supervising deputy."""
    if form.classification.is_classified or form.important:
        return people.principal
    return people.deputy


def outgoing_document(
    office: Office,
    people: AgencyPeople,
    to: DocumentStatus = DocumentStatus.DRAFT,
    *,
    at: pendulum.DateTime | None = None,
    **form: Any,
) -> uuid.UUID:
    """A 发文 drafted by ``people.drafter`` from :func:`draft_form` (``**form`` overrides its
    fields) and taken along the normal path to ``to``, ten minutes a step. A draft the
    rules make countersign (``normative``, ``internal_rules``, ``for_office_meeting``) is
    countersigned by those units after the unit review (:func:`forced_countersigners`); on
    the way to :attr:`~DocumentStatus.REGISTERED` the co-issuers co-sign; on the way to
    :attr:`~DocumentStatus.DISTRIBUTED` the drafter checks the print. ``RETURNED``,
    ``COUNTERSIGNING`` and ``WITHDRAWN`` branch off after the unit review steps."""
    docs = office.documents
    p = people
    start = at or office.clock.now()
    fields = draft_form(**form)
    drafter = p.drafter2 if fields["lead_unit"] == "biz2" else p.drafter
    doc = docs.draft(by=drafter, at=start, **fields)

    def current() -> DraftForm:
        return docs.get(doc).form

    def forced_countersign(at: pendulum.DateTime) -> None:
        units = forced_countersigners(current())
        if not units:
            return
        lead = current().lead_unit
        docs.request_countersign(doc, by=head_of(p, lead), units=units, at=at)
        for unit in units:
            docs.countersign(doc, party=unit, agree=True, by=head_of(p, unit), at=at)

    def ask_countersign(at: pendulum.DateTime) -> None:
        lead = current().lead_unit
        units = forced_countersigners(current()) or ["biz2" if lead != "biz2" else "biz1"]
        docs.request_countersign(doc, by=head_of(p, lead), units=units, at=at)

    def co_sign(at: pendulum.DateTime) -> None:
        for agency in current().co_issuers:
            docs.co_sign(doc, agency=agency, signatory=f"{agency}局长", by=p.secretary, at=at)

    def print_copies(at: pendulum.DateTime) -> None:
        site = SECURE_PRINT_SITE if current().classification.is_classified else PRINT_ROOM
        docs.print_copies(doc, site=site, by=p.secretary, at=at)

    S = DocumentStatus
    branches: dict[DocumentStatus, list[tuple[Any, pendulum.Duration, Step]]] = {
        S.RETURNED: [
            (
                S.UNIT_REVIEW,
                _minutes(10),
                lambda at: docs.submit_for_review(doc, by=drafter, at=at),
            ),
            (
                S.RETURNED,
                _minutes(20),
                lambda at: docs.return_for_revision(
                    doc, by=head_of(p, current().lead_unit), opinion="请修改", at=at
                ),
            ),
        ],
        S.COUNTERSIGNING: [
            (
                S.UNIT_REVIEW,
                _minutes(10),
                lambda at: docs.submit_for_review(doc, by=drafter, at=at),
            ),
            (
                S.UNIT_REVIEWED,
                _minutes(20),
                lambda at: docs.review(doc, by=head_of(p, current().lead_unit), at=at),
            ),
            (S.COUNTERSIGNING, _minutes(30), ask_countersign),
        ],
        S.WITHDRAWN: [
            (
                S.WITHDRAWN,
                _minutes(10),
                lambda at: docs.withdraw(doc, by=drafter, reason="不再发文", at=at),
            ),
        ],
    }
    normal: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.DRAFT, _minutes(0), lambda at: None),
        (S.UNIT_REVIEW, _minutes(10), lambda at: docs.submit_for_review(doc, by=drafter, at=at)),
        (
            S.UNIT_REVIEWED,
            _minutes(20),
            lambda at: docs.review(doc, by=head_of(p, current().lead_unit), at=at),
        ),
        (None, _minutes(25), forced_countersign),
        (S.OFFICE_CHECK, _minutes(30), lambda at: docs.submit_to_office(doc, by=drafter, at=at)),
        (S.OFFICE_REVIEW, _minutes(40), lambda at: docs.office_check(doc, by=p.secretary, at=at)),
        (
            S.AWAITING_SIGNATURE,
            _minutes(50),
            lambda at: docs.office_review(doc, by=p.office_head, at=at),
        ),
        (
            S.SIGNED,
            _minutes(60),
            lambda at: docs.sign(doc, by=signer_for(p, current()), at=at),
        ),
        (None, _minutes(70), co_sign),
        (
            S.REGISTERED,
            _minutes(80),
            lambda at: docs.register(
                doc, by=p.secretary, distribution_scope="全局各处室", copies=20, at=at
            ),
        ),
        (S.RECHECKED, _minutes(90), lambda at: docs.recheck(doc, by=p.secretary, at=at)),
        (S.PRINTED, _minutes(100), print_copies),
        (None, _minutes(110), lambda at: docs.check_print(doc, by=drafter, at=at)),
        (S.DISTRIBUTED, _minutes(120), lambda at: docs.distribute(doc, by=drafter, at=at)),
        (S.ARCHIVED, _minutes(130), lambda at: docs.archive(doc, by=p.archivist, at=at)),
    ]
    _run(office, branches.get(to, normal), to, start)
    return doc


# --- 收文 incoming documents ------------------------------------------------------------------

ALL_CHECKS_PASS = {check: True for check in ScreeningCheck}


def incoming_document(
    office: Office,
    people: AgencyPeople,
    to: IncomingStatus = IncomingStatus.RECEIVED,
    *,
    sender: str = "某县人民政府",
    title: str = "关于申请专项资金的请示",
    at: pendulum.DateTime | None = None,
) -> uuid.UUID:
    """A 收文 signed for by the receiving secretary and taken to ``to``, ten minutes a step:
    an action document assigned to 业务一处 (lead) and 财务处; for
    :attr:`~IncomingStatus.AWAITING_INSTRUCTION` sent to 何副局长 and 陈局长 instead, for
    :attr:`~IncomingStatus.CIRCULATING` a reading document, for
    :attr:`~IncomingStatus.RETURNED` one that fails screening."""
    inc = office.incoming
    p = people
    start = at or office.clock.now()
    doc = inc.receive(sender=sender, title=title, by=p.receiving_secretary, at=start)
    S = IncomingStatus

    def register(at: pendulum.DateTime) -> None:
        inc.register(
            doc,
            sender_type="government",
            importance="ordinary",
            sender_number="某府〔2026〕8号",
            by=p.receiving_secretary,
            at=at,
        )

    def screen(at: pendulum.DateTime) -> None:
        inc.screen(doc, results=ALL_CHECKS_PASS, by=p.receiving_secretary, at=at)

    def fail_screening(at: pendulum.DateTime) -> None:
        results = {**ALL_CHECKS_PASS, ScreeningCheck.RIGHT_HANDLER: False}
        inc.screen(doc, results=results, reason="应报市财政局", by=p.receiving_secretary, at=at)

    def to_unit(at: pendulum.DateTime) -> None:
        inc.assign(
            doc,
            kind=HandlingKind.ACTION,
            proposal="转业务一处办理,财务处协办",
            lead_unit="biz1",
            co_units=["finance"],
            by=p.office_head,
            at=at,
        )

    def to_leaders(at: pendulum.DateTime) -> None:
        inc.assign(
            doc,
            kind=HandlingKind.ACTION,
            proposal="拟请何副局长阅示,业务一处办理",
            lead_unit="biz1",
            co_units=["finance"],
            leaders=[p.deputy, p.principal],
            asks_decision=True,
            by=p.office_head,
            at=at,
        )

    def to_readers(at: pendulum.DateTime) -> None:
        inc.assign(
            doc,
            kind=HandlingKind.READING,
            proposal="请局领导及各处室负责人阅知",
            readers=[p.principal, p.unit_head],
            by=p.office_head,
            at=at,
        )

    head: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.RECEIVED, _minutes(0), lambda at: None),
        (S.REGISTERED, _minutes(10), register),
    ]
    branches: dict[IncomingStatus, list[tuple[Any, pendulum.Duration, Step]]] = {
        S.RETURNED: [*head, (S.RETURNED, _minutes(20), fail_screening)],
        S.CIRCULATING: [
            *head,
            (S.SCREENED, _minutes(20), screen),
            (S.CIRCULATING, _minutes(30), to_readers),
        ],
        S.AWAITING_INSTRUCTION: [
            *head,
            (S.SCREENED, _minutes(20), screen),
            (S.AWAITING_INSTRUCTION, _minutes(30), to_leaders),
        ],
    }
    normal: list[tuple[Any, pendulum.Duration, Step]] = [
        *head,
        (S.SCREENED, _minutes(20), screen),
        (S.AWAITING_ACCEPTANCE, _minutes(30), to_unit),
        (S.IN_HANDLING, _minutes(40), lambda at: inc.accept(doc, by=p.unit_head, at=at)),
        (
            S.HANDLED,
            _minutes(50),
            lambda at: inc.handle(doc, by=p.unit_head, result="已拨付专项资金", at=at),
        ),
        (
            S.REPLIED,
            _minutes(60),
            lambda at: inc.reply(doc, content="专项资金已拨付", by=p.unit_head, at=at),
        ),
        (S.ARCHIVED, _minutes(70), lambda at: inc.archive(doc, by=p.archivist, at=at)),
    ]
    _run(office, branches.get(to, normal), to, start)
    return doc


# --- 建议提案 proposals -----------------------------------------------------------------------


def proposal(
    office: Office,
    people: AgencyPeople,
    to: ProposalStatus = ProposalStatus.SUBMITTED,
    *,
    proposers: Sequence[str] = ("马玉英",),
    co_units: Sequence[str] = ("finance",),
    co_opinions: bool | None = None,
    result: str = "A",
    rating: Rating | str = Rating.SATISFIED,
    at: pendulum.DateTime | None = None,
) -> uuid.UUID:
    """A 人大代表建议 submitted by the secretary and taken to ``to``: assigned the next day to
    业务一处 (lead, head ``people.unit_head``) and ``co_units`` (财务处: ``finance_head``, 业务
    二处: ``unit_head2``), the co-handlers' opinions on day 10 (``co_opinions``: by default
    only on the way past :attr:`~ProposalStatus.HANDLING`), the reply drafted on day 20,
    approved on day 21, sent on day 22 and rated ``rating`` by every proposer on day 30
    (``result`` ``"A"`` goes on to :attr:`~ProposalStatus.TO_CLOSE`, ``"B"`` to
    :attr:`~ProposalStatus.FOLLOWING_UP`). ``DISPUTED``: the lead unit disputes on day 2."""
    pr = office.proposals
    p = people
    start = at or office.clock.now()
    pid = pr.submit(
        kind=ProposalKind.DEPUTY_SUGGESTION,
        proposers=list(proposers),
        field=Field.PERSONNEL_SOCIAL_SECURITY,
        title="关于提高社区居委会干部工资的建议",
        content="建议提高纯居民身份的居委会干部工资待遇。",
        session="区二届人大一次会议",
        by=p.secretary,
        at=start,
    )
    S = ProposalStatus
    heads = {"finance": p.finance_head, "biz2": p.unit_head2, "legal": p.legal_head}

    def assign(at: pendulum.DateTime) -> None:
        pr.assign(
            pid,
            lead_unit="biz1",
            co_units=list(co_units),
            secretary=p.secretary,
            meeting="建议交办会",
            by=p.supervision_officer,
            at=at,
        )

    def opinions(at: pendulum.DateTime) -> None:
        for unit in co_units:
            pr.give_co_opinion(pid, unit=unit, opinion="同意主办单位意见", by=heads[unit], at=at)

    def feedback(at: pendulum.DateTime) -> None:
        for name in proposers:
            pr.record_feedback(pid, proposer=name, rating=rating, by=p.secretary, at=at)

    give = co_opinions if co_opinions is not None else to is not S.HANDLING
    assigned: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.SUBMITTED, _days(0), lambda at: None),
        (S.HANDLING, _days(1), assign),
    ]
    if to is S.DISPUTED:
        dispute: Step = lambda at: pr.dispute_assignment(  # noqa: E731
            pid, unit="biz1", reason="不属本单位职责", by=p.unit_head, at=at
        )
        _run(office, [*assigned, (S.DISPUTED, _days(2), dispute)], to, start)
        return pid
    path: list[tuple[Any, pendulum.Duration, Step]] = [
        *assigned,
        (S.HANDLING if give else None, _days(10), opinions if give else (lambda at: None)),
        (
            S.REPLY_IN_REVIEW,
            _days(20),
            lambda at: pr.draft_reply(
                pid, text="经研究,每人每月增加补贴。", result=result, by=p.unit_head, at=at
            ),
        ),
        (
            S.REPLY_APPROVED,
            _days(21),
            lambda at: pr.review_reply(pid, checks=check_sheet(), by=p.secretary, at=at),
        ),
        (S.REPLIED, _days(22), lambda at: pr.send_reply(pid, by=p.unit_head, at=at)),
        (S.FOLLOWING_UP if result == "B" else S.TO_CLOSE, _days(30), feedback),
        (
            S.TO_CLOSE,
            _days(40),
            lambda at: pr.follow_up(pid, progress="已落实", solved=True, by=p.unit_head, at=at),
        )
        if result == "B"
        else (None, _days(40), lambda at: None),
        (S.CLOSED, _days(41), lambda at: pr.close(pid, by=p.secretary, at=at)),
    ]
    if to is S.FOLLOWING_UP and result != "B":
        raise ValueError("a proposal reaches FOLLOWING_UP only with result='B'")
    _run(office, path, to, start)
    return pid


# --- 督查督办 supervision tasks ---------------------------------------------------------------

COMPLETION_REPORT = {
    "background": "群众反映某路段积水",
    "investigation": "经现场调查,排水管堵塞",
    "handling_opinion": "责成养护单位疏通",
    "implementation": "已疏通完毕",
}


def supervision_task(
    office: Office,
    people: AgencyPeople,
    to: SupervisionStatus = SupervisionStatus.IN_PROGRESS,
    *,
    reference: str | None = None,
    at: pendulum.DateTime | None = None,
) -> uuid.UUID:
    """A 督办事项 opened by the supervision officer for a 市长热线 case (``reference``, new by
    default) of 业务一处, completed by its head, accepted and closed out, an hour a step."""
    sv = office.supervision
    p = people
    start = at or office.clock.now()
    reference = reference or f"12345-{start.year}-{notification_count(office):06d}"
    source = SourceRef(SourceKind.HOTLINE, reference=reference)
    task = sv.open(
        source=source,
        title="市长热线反映某路段积水",
        lead_unit="biz1",
        by=p.supervision_officer,
        at=start,
    )
    S = SupervisionStatus
    path: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.IN_PROGRESS, _minutes(0), lambda at: None),
        (
            S.REPORTED,
            _minutes(60),
            lambda at: sv.complete(task, by=p.unit_head, at=at, **COMPLETION_REPORT),
        ),
        (
            S.ACCEPTED,
            _minutes(120),
            lambda at: sv.accept_completion(
                task, opinion="办理到位", by=p.supervision_officer, at=at
            ),
        ),
        (
            S.CLOSED_OUT,
            _minutes(180),
            lambda at: sv.close_out(task, by=p.supervision_officer, at=at),
        ),
    ]
    _run(office, path, to, start)
    return task


# --- 会议 meetings ----------------------------------------------------------------------------


MEETING: dict[str, Any] = {
    "kind": MeetingKind.TOPIC,
    "title": "安全生产专题会议",
    "content": "部署汛期安全生产",
    "organiser": "biz1",
    "place": "局二楼会议室",
    "participant_scope": "有关处室负责人及直属单位分管负责人",
    "participants": 30,
    "days": 1,
}
"""The meeting the builder makes, planned or requested (6,000 yuan: within the limits)."""

LATE_PLAN = "系统上线,补录本年度会议计划"


def _meeting_time(start: pendulum.DateTime) -> pendulum.DateTime:
    """Three weeks after ``start``, at 09:00."""
    return start.add(days=21).set(hour=9, minute=0, second=0, microsecond=0)


def meeting(
    office: Office,
    people: AgencyPeople,
    to: MeetingStatus = MeetingStatus.REQUESTED,
    *,
    at: pendulum.DateTime | None = None,
) -> uuid.UUID:
    """A 专题会议 of 业务一处 (chaired by its supervising deputy) three weeks ahead, taken to
    ``to``; every :class:`MeetingStatus` is reached.

    Unplanned (计划外会议签报, every status but ``PLANNED``): requested by biz1's head,
    countersigned by the general office, finance and the deputy and approved by the director
    the next day (or rejected, or cancelled by the general office), noticed to biz1's head two
    days after the request, held, its attendance recorded, archived.

    ``MERGED``: a second such request, made a day later, is approved too and the director
    merges this meeting into it two days after the request; the id returned is the merged
    meeting's (status ``MERGED``), whose ``merged_into`` names the meeting that absorbed it
    (status ``APPROVED``, its own request a day after this one's).

    ``PLANNED`` (计划内会议): a row of its own in the annual plan of the meeting's year,
    proposed by biz1's head, endorsed by the deputy, reviewed by the general office's head
    and approved by the director, then scheduled by biz1's head. With no plan of that year
    yet, the secretary opens one; it is approved in the previous December (opened 1, row 2,
    endorsed 3, reviewed 8, approved 15 December) when those people held their roles then
    and that is before ``at``, and the meeting is scheduled at ``at``; otherwise (an agency
    established later, such as :func:`~govoffice.testing.standard_agency` at the clock's
    time) it is collected as a late plan (补报, with a reason) from ``at``, ten minutes a
    step, and the meeting scheduled 50 minutes after ``at``. An approved plan is reused: the
    general office's head reopens it (计划调整) at ``at`` for the late row, approved again 40
    minutes later, and the meeting is scheduled 50 minutes after ``at`` (so every call
    works on the same office). A plan still being collected or reviewed is refused with
    :class:`ValueError` (the builder does not finish the caller's plan)."""
    start = at or office.clock.now()
    if to is MeetingStatus.PLANNED:
        return _planned_meeting(office, people, start)
    m = office.meetings
    p = people
    starts_at = _meeting_time(start)
    mid = m.request(
        **MEETING,
        reason="汛期临近,须专题部署",
        starts_at=starts_at,
        budget=6000,
        funding_source="业务一处会议费预算",
        chair=p.deputy,
        by=p.unit_head,
        at=start,
    )
    S = MeetingStatus
    parties = (("office", p.office_head), ("finance", p.finance_head), (p.deputy, p.deputy))

    def countersign(at: pendulum.DateTime) -> None:
        for party, head in parties:
            m.countersign(mid, party=party, by=head, at=at)

    def notice(at: pendulum.DateTime) -> None:
        m.draft_notice(
            mid, invitees=[p.unit_head], contact="业务一处 12345678", by=p.drafter, at=at
        )
        countersign(at.add(hours=1))
        m.issue_notice(mid, by=p.principal, at=at.add(hours=2))
        _clock_to(office, at.add(hours=2))

    def hold(at: pendulum.DateTime) -> None:
        m.hold(mid, by=p.drafter, at=at)

    into: list[uuid.UUID] = []

    def other(at: pendulum.DateTime) -> None:
        into.append(meeting(office, people, S.APPROVED, at=at))

    def merge(at: pendulum.DateTime) -> None:
        m.merge(mid, into=into[0], reason="参会人员相同、时间相近,合并召开", by=p.principal, at=at)

    head: list[tuple[Any, pendulum.Duration, Step]] = [
        (S.REQUESTED, _minutes(0), lambda at: None),
        (None, _days(0, hours=1), countersign),
    ]
    approve: tuple[Any, pendulum.Duration, Step] = (
        S.APPROVED,
        _days(1),
        lambda at: m.approve(mid, by=p.principal, at=at),
    )
    branches: dict[MeetingStatus, list[tuple[Any, pendulum.Duration, Step]]] = {
        S.REJECTED: [
            *head,
            (
                S.REJECTED,
                _days(1),
                lambda at: m.reject(mid, reason="可与季度例会合并部署", by=p.principal, at=at),
            ),
        ],
        S.CANCELLED: [
            (S.REQUESTED, _minutes(0), lambda at: None),
            (
                S.CANCELLED,
                _days(1),
                lambda at: m.cancel(mid, reason="准备不充分", by=p.office_head, at=at),
            ),
        ],
        # the other meeting is requested at +1 day 10 min and approved at +2 days 10 min
        S.MERGED: [
            *head,
            approve,
            (None, _days(1) + _minutes(10), other),
            (S.MERGED, _days(2, hours=1), merge),
        ],
    }
    held_at = pendulum.duration(seconds=(starts_at.add(hours=2) - start).total_seconds())
    normal: list[tuple[Any, pendulum.Duration, Step]] = [
        *head,
        approve,
        (S.NOTICED, _days(2), notice),
        (S.HELD, held_at, hold),
        (None, held_at + _minutes(10), lambda at: m.record_attendance(mid, by=p.drafter, at=at)),
        (
            S.ARCHIVED,
            held_at + _days(1),
            lambda at: m.archive(mid, materials=["会议通知", "签到表"], by=p.archivist, at=at),
        ),
    ]
    _run(office, branches.get(to, normal), to, start)
    return mid


def _planned_meeting(office: Office, people: AgencyPeople, start: pendulum.DateTime) -> uuid.UUID:
    """The ``PLANNED`` branch of :func:`meeting` (see there)."""
    m = office.meetings
    p = people
    starts_at = _meeting_time(start)
    year = starts_at.year
    try:
        status: MeetingPlanStatus | None = m.plan_for(year).status
    except RecordNotFound:
        status = None
    if status is not None and status is not MeetingPlanStatus.APPROVED:
        raise ValueError(
            f"the {year} meeting plan is {status!r}: the builder reuses only an approved plan"
        )
    serial: list[int] = []

    def open_plan(at: pendulum.DateTime) -> None:
        if status is None:
            m.open_plan(year=year, by=p.secretary, at=at)
        else:
            m.reopen_plan(year=year, reason="增补计划内会议", by=p.office_head, at=at)

    def submit(at: pendulum.DateTime) -> None:
        row = {key: value for key, value in MEETING.items() if key != "title"}
        serial.append(
            m.submit_plan_row(
                year=year,
                name=MEETING["title"],
                planned_date=starts_at.date(),
                budget_10k="0.6",
                late_reason=LATE_PLAN,
                by=p.unit_head,
                at=at,
                **row,
            )
        )

    def endorse(at: pendulum.DateTime) -> None:
        m.endorse_plan_row(year=year, serial=serial[0], by=p.deputy, at=at)

    def review(at: pendulum.DateTime) -> None:
        m.review_plan(year=year, by=p.office_head, at=at)

    def approve(at: pendulum.DateTime) -> None:
        m.approve_plan(year=year, by=p.principal, at=at)

    steps: list[Step] = [open_plan, submit, endorse, review, approve]
    december = [
        start.set(year=year - 1, month=12, day=day, hour=hour, minute=0, second=0, microsecond=0)
        for day, hour in ((1, 9), (2, 10), (3, 10), (8, 10), (15, 10))
    ]
    roles = [
        (p.secretary, Role.OFFICE_REVIEWER),
        (p.unit_head, Role.UNIT_HEAD),
        (p.deputy, Role.LEADER),
        (p.office_head, Role.UNIT_HEAD),
        (p.principal, Role.PRINCIPAL_LEADER),
    ]
    in_december = (
        status is None
        and december[-1] <= start
        and all(
            office.org.was_allowed(who, role, when)
            for (who, role), when in zip(roles, december, strict=True)
        )
    )
    if in_december:
        times, scheduled_at = december, start
    else:
        times = [start + _minutes(10 * i) for i in range(len(steps))]
        scheduled_at = start + _minutes(10 * len(steps))
    for step, when in zip(steps, times, strict=True):
        _clock_to(office, when)
        step(when)
    _clock_to(office, scheduled_at)
    return m.schedule(
        year=year,
        serial=serial[0],
        starts_at=starts_at,
        chair=p.deputy,
        by=p.unit_head,
        at=scheduled_at,
    )
