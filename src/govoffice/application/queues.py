"""待办 queues: what waits for each person and unit now, what is overdue, what must be urged
today, and all of it as it stood on a past day, rebuilt from history [domain brief §9, §10].

:class:`QueueProjection` keeps one document per open work item (table ``items``, key
``"{record_id}/{step}"``, or ``"{record_id}/{step}/{party}"`` where a step waits on several
parties at once) and a little context per record (table ``records``) that later events need
(the lead unit, the drafter, the deadline, ...). Every handler reads and writes only through
the transaction it is given, and every item is built from the events alone.

Who waits is stored as a *rule*, resolved against the organisation when the queue is asked
for, as it stood then: a named person (the drafter, an invitee, the leaders on an
instruction list), the head of a unit, the holders of a role (any office reviewer registers),
the head of the general office, or the leaders who supervise (分管) a unit. A person's queue
holds the items whose rule names them, and the items of a leader they act for on that day
(替代关系 [001 收文 五(二)1(2)]).

:class:`QueueService` (``office.queues``) answers the questions; ``on=`` a past day replays the
log up to the end of that day into a fresh in-memory view and takes the organisation as of
that day, so an auditor sees what someone had to do then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum

from govoffice.application.typecheck import Facade
from govoffice.application.views import (
    Document,
    Projection,
    ViewReader,
    ViewRunner,
    ViewStore,
    handles,
)
from govoffice.application.views import ViewTransaction as Tx
from govoffice.domain.base import OfficeAggregate
from govoffice.domain.calendar import CalendarDataMissing
from govoffice.domain.document import DocumentStatus, OutgoingDocument, PartyKind, Urgency
from govoffice.domain.errors import UnknownPerson, UnknownUnit
from govoffice.domain.incoming import OPEN as INCOMING_OPEN
from govoffice.domain.incoming import (
    HandlingKind,
    Importance,
    IncomingDocument,
    IncomingStatus,
    urge_due_days,
)
from govoffice.domain.meeting import MATERIALS_DAYS_BEFORE, Meeting
from govoffice.domain.meeting.meeting import archive_deadline
from govoffice.domain.organisation import Organisation, Role, UnitFunction
from govoffice.domain.proposal import (
    AWAITING_LEAD_UNIT,
    BEFORE_REPLY,
    Proposal,
    ProposalStatus,
    ProposalUrgeChannel,
    Rating,
    phone_urge_day,
)
from govoffice.domain.supervision import SupervisionStatus, SupervisionTask, SupervisionUrgency
from govoffice.domain.target import TargetTable, quarter_bounds
from govoffice.domain.values import PersonId, a_date, coerce_enum, local_time, positive_int

if TYPE_CHECKING:
    from govoffice.application.calendar import OfficeCalendar
    from govoffice.application.office import Office

__all__ = [
    "QueueItem",
    "QueueProjection",
    "QueueService",
    "SupervisionUrging",
    "UrgeItem",
]

# The event classes are made by eventsourcing's @event decorator at import time, which mypy
# cannot see; a misspelt name still fails at import.
_Doc: Any = OutgoingDocument
_In: Any = IncomingDocument
_Meet: Any = Meeting
_Prop: Any = Proposal
_Task: Any = SupervisionTask
_Target: Any = TargetTable

ITEMS: Final = "items"
RECORDS: Final = "records"
WAITING: Final = "waiting"
"""The open items again, keyed by who waits on them (``"{waiter}|{item key}"``, see
:func:`waiter_keys`): a person's queue reads only the items that could be theirs (ADR 0052)."""

OUTGOING: Final = "发文"
INCOMING: Final = "收文"
MEETING: Final = "会议"
PROPOSAL: Final = "建议提案"
TASK: Final = "督办"
TARGET: Final = "目标管理"

STEP_LABELS: Final = {
    # 发文
    "revise": "修改文稿",
    "review": "处室审核",
    "countersign": "会签",
    "resolve_opinion": "处理会签意见",
    "submit_to_office": "送办公室审核",
    "office_check": "办公室初核",
    "office_review": "办公室复核",
    "sign": "签发",
    "co_sign": "联署机关会签",
    "register": "登记",
    "recheck": "复核",
    "approve_amendment": "批准修改",
    "print": "印制",
    "check_print": "检查印制质量",
    "distribute": "核发",
    "archive": "归档",
    # 收文
    "screen": "初审",
    "assign": "分办",
    "instruct": "阅批",
    "accept": "承办",
    "handle": "办理",
    "reply": "答复",
    "circulate": "传阅",
    # 会议
    "materials": "送交议题材料",
    "answer": "答复参会",
    "leave": "审批请假",
    "sign_in": "签到",
    "sign_minutes": "签发纪要",
    # 建议提案
    "co_opinion": "协办意见",
    "reassign": "重新交办",
    "reply_review": "会审答复",
    "send_reply": "答复代表委员",
    "feedback": "征询意见",
    "follow_up": "跟踪落实",
    "close": "办结",
    # 督办
    "task": "督办事项办理",
    "extension": "审批延期",
    "completion_review": "审核办理结果",
    "close_out": "销号",
    # 目标管理
    "opinion": "反馈指标意见",
    "table_review": "审定指标表",
    "table_issue": "印发指标表",
    "table_revise": "修改指标表",
    "table_amendment": "审批指标调整",
    "target_check": "指标跟踪检查",
    "correct": "扣分整改",
    "judge_correction": "认定是否计入得分",
    "self_check": "报送半年自查",
    "catch_up": "报送赶进措施",
}
"""The steps a queue item can be, with the clerk's word for each."""

KIND_STEP_LABELS: Final = {
    (PROPOSAL, "assign"): "交办",
    (PROPOSAL, "handle"): "办理答复",
    (MEETING, "archive"): "会议材料归档",
}
"""Where a kind of record has its own word for a step."""

# 缓急: 特急 first, then 紧急 (加急, 急件), 重要, the rest.
EXTRA_URGENT, URGENT, IMPORTANT, ORDINARY = 0, 1, 2, 3
_OUTGOING_RANK = {
    Urgency.EXTRA_URGENT.value: EXTRA_URGENT,
    Urgency.URGENT.value: URGENT,
    Urgency.NORMAL.value: ORDINARY,
}
_INCOMING_RANK = {
    Importance.URGENT.value: URGENT,
    Importance.IMPORTANT.value: IMPORTANT,
    Importance.ORDINARY.value: ORDINARY,
}

# Who waits: the rules a stored item may name, resolved at query time.
PERSON, HEAD, ROLE, OFFICE_HEAD, LEADER_OF = "person", "head", "role", "office_head", "leader_of"

_OFFICE_ROLES = (Role.SUPERVISION_OFFICER.value, Role.OFFICE_REVIEWER.value)
"""Who registers, assigns, urges and closes proposals (the general office or supervision)."""
_LEADER_ROLES = (Role.LEADER, Role.PRINCIPAL_LEADER)
_DS, _IS, _PS, _SS = DocumentStatus, IncomingStatus, ProposalStatus, SupervisionStatus
_INCOMING_OPEN = tuple(s.value for s in INCOMING_OPEN)
"""The incoming statuses that are urged [001 收文 五(六)]."""
_PROPOSAL_AWAITING_LEAD = tuple(s.value for s in AWAITING_LEAD_UNIT)
_PROPOSAL_BEFORE_REPLY = tuple(s.value for s in BEFORE_REPLY)
"""The proposal statuses in which the lead unit owes the next step and is urged."""


@attrs.frozen
class Waiter:
    """Who an item waits on, as a rule the organisation resolves at query time."""

    rule: str
    person: str | None = None
    unit: str | None = None
    roles: tuple[str, ...] = ()

    @classmethod
    def named(cls, person: object) -> Waiter:
        return cls(PERSON, person=str(person))

    @classmethod
    def head_of(cls, unit: object) -> Waiter:
        return cls(HEAD, unit=str(unit))

    @classmethod
    def holders(cls, *roles: Role | str) -> Waiter:
        return cls(ROLE, roles=tuple(r.value if isinstance(r, Role) else r for r in roles))

    @classmethod
    def office_head(cls) -> Waiter:
        return cls(OFFICE_HEAD)

    @classmethod
    def leaders_of(cls, unit: object) -> Waiter:
        return cls(LEADER_OF, unit=str(unit))

    def describe(self) -> str:
        return _describe(self)

    def _describe(self) -> str:
        if self.rule == PERSON:
            return str(self.person)
        if self.rule == HEAD:
            return f"{self.unit} 负责人"
        if self.rule == OFFICE_HEAD:
            return "办公室负责人"
        if self.rule == LEADER_OF:
            return f"{self.unit} 分管领导"
        return "或".join(coerce_enum(Role, r, "岗位").label for r in self.roles)


def waiter_keys(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The index entries of a stored item: one per rule value that can resolve to a person
    (``person:ID``, ``head:UNIT``, ``leader_of:UNIT``, ``office_head:``, and ``role:ROLE`` for
    each role of a role rule)."""
    rule = doc["rule"]
    if rule == PERSON:
        return (f"{PERSON}:{doc['person']}",)
    if rule in (HEAD, LEADER_OF):
        return (f"{rule}:{doc['unit']}",)
    if rule == OFFICE_HEAD:
        return (f"{OFFICE_HEAD}:",)
    roles = (coerce_enum(Role, r, "岗位").value for r in doc["roles"])
    return tuple(f"{ROLE}:{r}" for r in dict.fromkeys(roles))


@lru_cache(maxsize=4096)
def _describe(who: Waiter) -> str:
    return who._describe()


# --- what the service answers ----------------------------------------------------------------


@attrs.frozen
class QueueItem:
    """一项待办 one open step of one record: what waits, on whom, since when, by when.

    ``people`` are the persons the step waits on as the organisation stood when asked;
    ``on_behalf_of`` is set in a substitute's queue: the away leader they act for.
    """

    kind: str
    record_id: str
    title: str
    step: str
    step_label: str
    since: pendulum.DateTime
    due: date | None
    urgency: str
    urgency_rank: int
    waits_on: str
    people: tuple[str, ...]
    person: str | None = None
    unit: str | None = None
    roles: tuple[str, ...] = ()
    detail: str = ""
    on_behalf_of: str | None = None

    def overdue_on(self, day: date) -> bool:
        """逾期: the step had a due date before ``day`` and is still open."""
        return self.due is not None and self.due < day

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "record_id": self.record_id,
            "title": self.title,
            "step": self.step,
            "step_label": self.step_label,
            "since": self.since.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "urgency": self.urgency,
            "waits_on": self.waits_on,
            "people": list(self.people),
            "detail": self.detail,
            "on_behalf_of": self.on_behalf_of,
        }


@attrs.frozen
class UrgeItem:
    """一项催办 an urge due today: which record, whom to urge, how, and since when it is due
    (``missed`` counts earlier due urges it also covers)."""

    kind: str
    record_id: str
    title: str
    targets: tuple[str, ...]
    channel: str
    due: date
    reason: str
    urgency: str
    urgency_rank: int
    missed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "record_id": self.record_id,
            "title": self.title,
            "targets": list(self.targets),
            "channel": self.channel,
            "due": self.due.isoformat(),
            "reason": self.reason,
            "urgency": self.urgency,
            "missed": self.missed,
        }


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    positive_int(value, attribute.name)


@attrs.frozen
class SupervisionUrging:
    """督办事项催办 when a supervision task must be urged (configuration; the domain has no
    cadence for tasks):

    - the deadline has passed and nobody urged the task since: a supervision letter with a
      new deadline (对于逾期未办的,及时下发有关督办函 [000 范文2 三 一]);
    - the deadline is ``prompt_days_before`` days away or less and nobody urged the task in
      that window: a prompt sheet (督查提示单督查追踪,逐项跟进 [000 范文6 五 7]). The seed
      gives no figure; three days is govoffice's default.
    """

    prompt_days_before: int = attrs.field(default=3, validator=_positive)


# --- the projection -------------------------------------------------------------------------


def _rid(event: Any) -> str:
    return str(event.originator_id)


def _day(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    return a_date(value, "日期")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@lru_cache(maxsize=8192)
def _since(value: str, zone: str) -> pendulum.DateTime:
    """A stored business time on the agency's clock (pendulum times are immutable, and the
    same items are asked for again and again)."""
    return _time(value).in_timezone(zone)


def _time(value: str) -> pendulum.DateTime:
    parsed = pendulum.parse(value)
    if not isinstance(parsed, pendulum.DateTime):  # pragma: no cover - we store datetimes
        raise ValueError(f"not a time: {value!r}")
    return parsed


def _form_context(form: Any, zone: str) -> Document:
    """What the queue keeps of a 发文稿纸: title, 缓急, lead unit, who must sign, the 特急
    deadlines for review and signing [001 发文 五(四)3(2)五]."""
    deadlines = form.urgent_deadlines
    return {
        "kind": OUTGOING,
        "title": form.title,
        "urgency": form.urgency.label,
        "rank": _OUTGOING_RANK[form.urgency.value],
        "lead": form.lead_unit,
        "important": form.important,
        "classified": form.classification.is_classified,
        "co_issuers": list(form.co_issuers),
        "review_by": _iso(local_time(deadlines.review_by, zone).date()) if deadlines else None,
        "sign_by": _iso(local_time(deadlines.sign_by, zone).date()) if deadlines else None,
    }


PARTY_STEPS = frozenset(
    {
        "countersign",
        "resolve_opinion",
        "instruct",
        "circulate",
        "materials",
        "answer",
        "sign_in",
        "leave",
        "co_opinion",
        "opinion",
        "target_check",
        "correct",
        "judge_correction",
        "self_check",
        "catch_up",
        # 建议提案 handled in parts (分办, ADR 0050): each lead unit's part waits on its own
        "handle",
        "reply_review",
        "send_reply",
        "feedback",
        "follow_up",
    }
)
"""The steps that wait on several parties at once (one item per party, keyed
``record/step/party``). Only for these does "the step is done" look for party items, which
saves a prefix scan of the store for most events a rebuild takes in."""


class QueueProjection(Projection):
    """待办 one document per open step of every record, and each record's context."""

    name = "queues"
    version = 2  # v2: the index of open items by who waits (ADR 0052)
    calendar: OfficeCalendar | None = None
    """The office calendar the archive deadline is counted on (set by :class:`QueueService`;
    None: the seventh day as it is)."""

    # --- plumbing -------------------------------------------------------------------------

    def ctx(self, tx: Tx, rid: str) -> Document:
        return tx.get(self.view, RECORDS, rid) or {}

    def _keep(self, tx: Tx, rid: str, ctx: Document) -> None:
        tx.put(self.view, RECORDS, rid, ctx)

    def _start(self, tx: Tx, event: Any, kind: str, title: str, urgency: str, rank: int) -> None:
        ctx = {"kind": kind, "title": title, "urgency": urgency, "rank": rank}
        self._keep(tx, _rid(event), ctx)

    def _update(self, tx: Tx, event: Any, **changes: Any) -> Document:
        rid = _rid(event)
        ctx = {**self.ctx(tx, rid), **changes}
        self._keep(tx, rid, ctx)
        return ctx

    def _wait(
        self,
        tx: Tx,
        event: Any,
        step: str,
        who: Waiter,
        *,
        party: str = "",
        due: date | None = None,
        detail: str = "",
        start: date | None = None,
    ) -> None:
        """The record's ``step`` waits on ``who`` from this event's business time (or, with
        ``start``, from that day: the queue does not show it before)."""
        if party and step not in PARTY_STEPS:
            raise ValueError(f"queue step {step!r} waits on parties: list it in PARTY_STEPS")
        rid = _rid(event)
        ctx = self.ctx(tx, rid)
        key = f"{rid}/{step}/{party}" if party else f"{rid}/{step}"
        document: Document = {
            "kind": ctx["kind"],
            "record_id": rid,
            "title": ctx["title"],
            "step": step,
            "rule": who.rule,
            "person": who.person,
            "unit": who.unit,
            "roles": list(who.roles),
            "since": event.at.isoformat(),
            "due": _iso(due),
            "urgency": ctx["urgency"],
            "rank": ctx["rank"],
            "detail": detail,
        }
        if start is not None:
            document["from"] = start.isoformat()
        self._put_item(tx, key, document)

    def _put_item(self, tx: Tx, key: str, document: Document, old: Document | None = None) -> None:
        """Store an item and its entries in the index by who waits (ADR 0052)."""
        if old is None:
            old = tx.get(self.view, ITEMS, key)
        entries = waiter_keys(document)
        if old is not None:
            for entry in waiter_keys(old):
                if entry not in entries:
                    tx.delete(self.view, WAITING, f"{entry}|{key}")
        tx.put(self.view, ITEMS, key, document)
        for entry in entries:
            tx.put(self.view, WAITING, f"{entry}|{key}", document)

    def _drop_item(self, tx: Tx, key: str, old: Document | None = None) -> None:
        """Remove an item (if open) and its entries in the index."""
        if old is None:
            old = tx.get(self.view, ITEMS, key)
            if old is None:
                return
        tx.delete(self.view, ITEMS, key)
        for entry in waiter_keys(old):
            tx.delete(self.view, WAITING, f"{entry}|{key}")

    def _done(self, tx: Tx, event: Any, *steps: str, party: str = "") -> None:
        """The steps are taken (or can no longer be): each with all its parties unless one
        is named."""
        rid = _rid(event)
        for step in steps:
            if party:
                self._drop_item(tx, f"{rid}/{step}/{party}")
                continue
            self._drop_item(tx, f"{rid}/{step}")
            if step in PARTY_STEPS:
                for key, doc in list(tx.scan(self.view, ITEMS, f"{rid}/{step}/")):
                    self._drop_item(tx, key, doc)

    def _forget(self, tx: Tx, event: Any) -> None:
        """The record is closed: nothing of it waits any more, and no later event needs its
        context."""
        self._done_all(tx, event)
        tx.delete(self.view, RECORDS, _rid(event))

    def _done_all(self, tx: Tx, event: Any) -> None:
        for key, doc in list(tx.scan(self.view, ITEMS, f"{_rid(event)}/")):
            self._drop_item(tx, key, doc)

    def _redue(self, tx: Tx, event: Any, due: date, *steps: str) -> None:
        """A new deadline for the record's open ``steps``."""
        rid = _rid(event)
        for step in steps:
            key = f"{rid}/{step}"
            doc = tx.get(self.view, ITEMS, key)
            if doc is not None:
                self._put_item(tx, key, {**doc, "due": _iso(due)}, doc)

    # --- restructuring (ADR 0023) ------------------------------------------------------------

    @handles(OfficeAggregate.UnitHandedOver)  # type: ignore[attr-defined]
    def unit_handed_over(self, event: Any, tx: Tx) -> None:
        """A merged or dissolved unit's open work passes to its successor: what waited on
        the unit now waits on the successor."""
        rid, old, new = _rid(event), event.from_unit, event.to_unit
        ctx = self.ctx(tx, rid)
        if ctx:
            self._keep(tx, rid, {k: _swap(v, old, new) for k, v in ctx.items()})
        for key, doc in list(tx.scan(self.view, ITEMS, f"{rid}/")):
            moved = {**doc, "unit": new} if doc.get("unit") == old else doc
            if key.endswith(f"/{old}"):
                self._drop_item(tx, key, doc)
                self._put_item(tx, key[: -len(old)] + new, moved)
            else:
                self._put_item(tx, key, moved, doc)

    # --- 发文 outgoing documents --------------------------------------------------------------

    @handles(_Doc.Drafted)
    def doc_drafted(self, event: Any, tx: Tx) -> None:
        self._update(
            tx,
            event,
            **_form_context(event.form, self.zone),
            drafter=event.by,
            co_signed=0,
            open=[],
            dissent=[],
            resume=None,
            stage="",
        )

    @handles(_Doc.Revised)
    def doc_revised(self, event: Any, tx: Tx) -> None:
        self._update(tx, event, **_form_context(event.form, self.zone))

    @handles(_Doc.SubmittedForReview)
    def doc_submitted(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "revise")
        self._wait(tx, event, "review", Waiter.head_of(ctx["lead"]), due=_day(ctx["review_by"]))

    @handles(_Doc.Reviewed)
    def doc_reviewed(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "review")
        self._resume(tx, event, _DS.UNIT_REVIEWED.value)

    @handles(_Doc.ReturnedForRevision)
    def doc_returned(self, event: Any, tx: Tx) -> None:
        self._done_all(tx, event)
        ctx = self.ctx(tx, _rid(event))
        self._wait(tx, event, "revise", Waiter.named(ctx["drafter"]), detail=event.opinion)

    @handles(_Doc.CountersignRequested)
    def doc_countersign_requested(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "submit_to_office", "office_check", "office_review")
        for party in event.parties:
            who = (
                Waiter.head_of(party.id)
                if party.kind is PartyKind.UNIT
                else Waiter.head_of(ctx["lead"])  # the lead unit records an outside answer
            )
            due = _day(event.due[party.id])
            self._wait(tx, event, "countersign", who, party=party.id, due=due, detail=party.id)
        opened = [*ctx["open"], *(p.id for p in event.parties)]
        self._update(tx, event, open=opened, resume=event.resume.value)

    @handles(_Doc.Countersigned, _Doc.CountersignDeemedAgreed)
    def doc_countersigned(self, event: Any, tx: Tx) -> None:
        answer = event.answer
        party = answer.party.id
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "countersign", party=party)
        dissent = list(ctx["dissent"])
        if not answer.agreed:
            dissent.append(party)
            self._wait(
                tx,
                event,
                "resolve_opinion",
                Waiter.head_of(ctx["lead"]),
                party=party,
                detail=f"{party}: {answer.opinion}",
            )
        opened = [p for p in ctx["open"] if p != party]
        self._update(tx, event, open=opened, dissent=dissent)
        self._finish_countersign(tx, event)

    @handles(_Doc.OpinionResolved)
    def doc_opinion_resolved(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "resolve_opinion", party=event.party)
        self._update(tx, event, dissent=[p for p in ctx["dissent"] if p != event.party])
        self._finish_countersign(tx, event)

    def _finish_countersign(self, tx: Tx, event: Any) -> None:
        ctx = self.ctx(tx, _rid(event))
        if not ctx["open"] and not ctx["dissent"] and ctx["resume"]:
            self._update(tx, event, resume=None)
            self._resume(tx, event, ctx["resume"])

    def _resume(self, tx: Tx, event: Any, stage: str) -> None:
        """The step a document in ``stage`` waits for (after review, or after countersigning
        that interrupted the office's review)."""
        ctx = self.ctx(tx, _rid(event))
        review_by = _day(ctx["review_by"])
        if stage == _DS.UNIT_REVIEWED.value:
            self._wait(tx, event, "submit_to_office", Waiter.named(ctx["drafter"]))
        elif stage == _DS.OFFICE_CHECK.value:
            self._wait(
                tx, event, "office_check", Waiter.holders(Role.OFFICE_REVIEWER), due=review_by
            )
        elif stage == _DS.OFFICE_REVIEW.value:
            self._wait(tx, event, "office_review", Waiter.office_head(), due=review_by)

    @handles(_Doc.SubmittedToOffice)
    def doc_to_office(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "submit_to_office")
        self._resume(tx, event, _DS.OFFICE_CHECK.value)

    @handles(_Doc.OfficeChecked)
    def doc_office_checked(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "office_check")
        self._resume(tx, event, _DS.OFFICE_REVIEW.value)

    @handles(_Doc.OfficeReviewed)
    def doc_office_reviewed(self, event: Any, tx: Tx) -> None:
        """签发: a classified document waits on the classification officer, an important one
        on the principal leader [001 发文 五(五)1], any other on the lead unit's 分管领导."""
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "office_review")
        if ctx["classified"]:
            signer = Waiter.holders(Role.CLASSIFICATION_OFFICER)
        elif ctx["important"]:
            signer = Waiter.holders(Role.PRINCIPAL_LEADER)
        else:
            signer = Waiter.leaders_of(ctx["lead"])
        self._wait(tx, event, "sign", signer, due=_day(ctx["sign_by"]))

    @handles(_Doc.Signed)
    def doc_signed(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "sign")
        self._update(tx, event, signer=event.on_behalf_of or event.by, stage=_DS.SIGNED.value)
        self._after_signatures(tx, event)

    @handles(_Doc.CoSigned)
    def doc_co_signed(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "co_sign")
        self._update(tx, event, co_signed=ctx["co_signed"] + 1)
        self._after_signatures(tx, event)

    def _after_signatures(self, tx: Tx, event: Any) -> None:
        """Joint issuance: co-issuers sign in order before the document is registered
        [001 发文 五(五)2]."""
        ctx = self.ctx(tx, _rid(event))
        office = Waiter.holders(Role.OFFICE_REVIEWER)
        remaining = ctx["co_issuers"][ctx["co_signed"] :]
        if remaining:
            self._wait(tx, event, "co_sign", office, detail=remaining[0])
        else:
            self._wait(tx, event, "register", office)

    @handles(_Doc.Registered)
    def doc_registered(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "register")
        self._update(tx, event, stage=_DS.REGISTERED.value)
        self._wait(tx, event, "recheck", Waiter.holders(Role.OFFICE_REVIEWER))

    @handles(_Doc.Rechecked)
    def doc_rechecked(self, event: Any, tx: Tx) -> None:
        """Findings go back to the original signer [001 发文 五(六)2]."""
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "recheck")
        if event.findings:
            detail = "; ".join(event.findings)
            self._wait(tx, event, "approve_amendment", Waiter.named(ctx["signer"]), detail=detail)
        else:
            self._update(tx, event, stage=_DS.RECHECKED.value)
            self._wait(tx, event, "print", Waiter.holders(Role.OFFICE_REVIEWER))

    @handles(_Doc.AmendmentApproved)
    def doc_amendment_approved(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "approve_amendment", "print")
        if ctx["stage"] in (_DS.REGISTERED.value, _DS.RECHECKED.value):
            self._update(tx, event, stage=_DS.REGISTERED.value)
            self._wait(tx, event, "recheck", Waiter.holders(Role.OFFICE_REVIEWER))

    @handles(_Doc.Printed)
    def doc_printed(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "print")
        self._wait(tx, event, "check_print", Waiter.named(ctx["drafter"]))

    @handles(_Doc.PrintChecked)
    def doc_print_checked(self, event: Any, tx: Tx) -> None:
        """The drafter checks the print [001 发文 五(六)4]; findings send it back to print."""
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "check_print")
        if event.findings:
            self._wait(
                tx,
                event,
                "print",
                Waiter.holders(Role.OFFICE_REVIEWER),
                detail="; ".join(event.findings),
            )
        else:
            self._wait(tx, event, "distribute", Waiter.named(ctx["drafter"]))

    @handles(_Doc.Distributed)
    def doc_distributed(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "distribute")
        self._wait(tx, event, "archive", Waiter.holders(Role.ARCHIVIST))

    @handles(_Doc.Archived, _Doc.Withdrawn)
    def doc_closed(self, event: Any, tx: Tx) -> None:
        self._forget(tx, event)

    # --- 收文 incoming documents --------------------------------------------------------------

    @handles(_In.Received)
    def in_received(self, event: Any, tx: Tx) -> None:
        ordinary = Importance.ORDINARY
        self._start(tx, event, INCOMING, event.title, ordinary.label, ORDINARY)
        self._update(tx, event, status=_IS.RECEIVED.value, importance=ordinary.value, circulated=[])
        self._wait(tx, event, "register", Waiter.holders(Role.RECEIVING_SECRETARY))

    @handles(_In.Registered)
    def in_registered(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "register")
        self._importance(tx, event, event.importance)
        self._update(tx, event, status=_IS.REGISTERED.value)
        self._wait(tx, event, "screen", Waiter.holders(Role.RECEIVING_SECRETARY))

    def _importance(self, tx: Tx, event: Any, importance: Importance) -> None:
        level = coerce_enum(Importance, importance, "重要程度")
        rank = _INCOMING_RANK[level.value]
        self._update(tx, event, importance=level.value, urgency=level.label, rank=rank)

    @handles(_In.Screened)
    def in_screened(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "screen")
        if event.passed and event.desk is not None:
            self._update(tx, event, status=_IS.SCREENED.value)
            self._wait(tx, event, "assign", Waiter.head_of(event.desk))

    @handles(_In.Assigned)
    def in_assigned(self, event: Any, tx: Tx) -> None:
        """分办 [001 收文 五(二)]: to the leaders for instruction, or to the lead unit; a
        reading document goes to its readers (the ``Circulated`` that follows)."""
        self._done(tx, event, "assign")
        self._importance(tx, event, event.importance)
        due = _day(event.deadline)
        if event.kind is HandlingKind.READING:
            status = "circulating"
        elif event.leaders:
            status = "awaiting_instruction"
        else:
            status = "awaiting_acceptance"
        self._update(
            tx,
            event,
            status=status,
            lead=event.lead_unit,
            deadline=_iso(due),
            assigned_at=event.at.isoformat(),
            zone=event.at.timezone_name,
            urged_until=None,
            leaders=list(event.leaders),
            instructed=[],
        )
        for leader in event.leaders:
            detail = "主批" if leader == event.main_approver else ""
            self._wait(
                tx, event, "instruct", Waiter.named(leader), party=leader, due=due, detail=detail
            )
        if status == "awaiting_acceptance":
            self._wait(tx, event, "accept", Waiter.head_of(event.lead_unit), due=due)

    @handles(_In.Instructed)
    def in_instructed(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        leader = event.on_behalf_of or event.by
        self._done(tx, event, "instruct", party=leader)
        self._update(tx, event, instructed=[*ctx["instructed"], leader])
        if event.main and ctx["status"] == _IS.AWAITING_INSTRUCTION.value:
            self._update(tx, event, status=_IS.AWAITING_ACCEPTANCE.value)
            due = _day(ctx["deadline"])
            self._wait(tx, event, "accept", Waiter.head_of(ctx["lead"]), due=due)

    @handles(_In.HandlingAccepted)
    def in_accepted(self, event: Any, tx: Tx) -> None:
        ctx = self._update(tx, event, status=_IS.IN_HANDLING.value)
        self._done(tx, event, "accept")
        due = _day(ctx["deadline"])
        self._wait(tx, event, "handle", Waiter.head_of(event.unit), due=due)

    @handles(_In.SentBack)
    def in_sent_back(self, event: Any, tx: Tx) -> None:
        """退回局办: the general office assigns it again [001 收文 五(五)]."""
        if event.returned_to is None:  # a co-handling unit drops out: nothing waited on it
            return
        self._done(tx, event, "instruct", "accept", "handle")
        self._update(
            tx,
            event,
            status=_IS.SCREENED.value,
            lead=None,
            deadline=None,
            assigned_at=None,
            leaders=[],
        )
        self._wait(tx, event, "assign", Waiter.head_of(event.returned_to), detail=event.reason)

    @handles(_In.Handled)
    def in_handled(self, event: Any, tx: Tx) -> None:
        ctx = self._update(tx, event, status=_IS.HANDLED.value)
        self._done(tx, event, "handle")
        self._wait(tx, event, "reply", Waiter.head_of(ctx["lead"]))

    @handles(_In.Replied)
    def in_replied(self, event: Any, tx: Tx) -> None:
        self._update(tx, event, status=_IS.REPLIED.value)
        self._done(tx, event, "reply")
        self._wait(tx, event, "archive", Waiter.holders(Role.ARCHIVIST))

    @handles(_In.Circulated)
    def in_circulated(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        for reader in event.to:
            self._wait(tx, event, "circulate", Waiter.named(reader), party=reader)
        self._update(tx, event, circulated=[*ctx["circulated"], *event.to])

    @handles(_In.ReadConfirmed)
    def in_read(self, event: Any, tx: Tx) -> None:
        """阅毕; a reading document is archived once every reader has returned it."""
        self._done(tx, event, "circulate", party=event.by)
        ctx = self.ctx(tx, _rid(event))
        holding = list(tx.scan(self.view, ITEMS, f"{_rid(event)}/circulate/"))
        if ctx["status"] == _IS.CIRCULATING.value and not holding:
            self._wait(tx, event, "archive", Waiter.holders(Role.ARCHIVIST))

    @handles(_In.Urged)
    def in_urged(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        if event.due is not None:
            covered = ctx.get("urged_until")
            if covered is None or _time(covered) < event.due:
                self._update(tx, event, urged_until=event.due.isoformat())

    @handles(_In.Returned, _In.Archived)
    def in_closed(self, event: Any, tx: Tx) -> None:
        self._forget(tx, event)

    # --- 会议 meetings ------------------------------------------------------------------------

    @handles(_Meet.Planned, _Meet.Requested)
    def meeting_created(self, event: Any, tx: Tx) -> None:
        self._start(tx, event, MEETING, event.title, "一般", ORDINARY)
        self._update(
            tx,
            event,
            starts=event.starts_at.isoformat(),
            chair=event.chair,
            topics=0,
            substitutes={},
        )

    def _meeting_day(self, tx: Tx, event: Any) -> date:
        return self.day(_time(self.ctx(tx, _rid(event))["starts"]))

    @handles(_Meet.AgendaItemProposed)
    def meeting_topic(self, event: Any, tx: Tx) -> None:
        """议题材料 are due two days before the meeting [002 二 4]."""
        ctx = self.ctx(tx, _rid(event))
        self._update(tx, event, topics=ctx["topics"] + 1)
        self._topic(tx, event, event.item.key, event.item.unit, event.item.title)

    def _topic(self, tx: Tx, event: Any, key: str, unit: str, title: str) -> None:
        due = self._meeting_day(tx, event) - timedelta(days=MATERIALS_DAYS_BEFORE)
        self._wait(tx, event, "materials", Waiter.head_of(unit), party=key, due=due, detail=title)

    @handles(_Meet.MaterialsSubmitted)
    def meeting_materials(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "materials", party=event.item)

    @handles(_Meet.MaterialsOverdue)
    def meeting_materials_overdue(self, event: Any, tx: Tx) -> None:
        """Late materials can no longer be sent: the topic is off the agenda [002 二 4-5]."""
        for item in event.items:
            self._done(tx, event, "materials", party=item)

    @handles(_Meet.Absorbed)
    def meeting_absorbed(self, event: Any, tx: Tx) -> None:
        """A merged meeting's topics come over, renumbered; those without materials still
        owe them, now by this meeting's date."""
        count = self.ctx(tx, _rid(event))["topics"]
        for item in event.items:
            count += 1
            if not event.materials.get(item.key):
                self._topic(tx, event, str(count), item.unit, item.title)
        self._update(tx, event, topics=count)

    @handles(_Meet.Noticed)
    def meeting_noticed(self, event: Any, tx: Tx) -> None:
        """Invitees answer the notice [004 四(一)4]."""
        day = self._meeting_day(tx, event)
        for person in event.notice.invitees:
            self._wait(tx, event, "answer", Waiter.named(person), party=person, due=day)

    @handles(_Meet.InvitationAnswered)
    def meeting_answered(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "answer", party=event.person)
        if event.attend:
            self._sign_in(tx, event, event.person)

    def _sign_in(self, tx: Tx, event: Any, person: str, detail: str = "") -> None:
        day = self._meeting_day(tx, event)
        who = Waiter.named(person)
        self._wait(tx, event, "sign_in", who, party=person, due=day, detail=detail)

    @handles(_Meet.LeaveRequested)
    def meeting_leave_requested(self, event: Any, tx: Tx) -> None:
        """请假 goes to the approver the meeting's kind names [000 范文6 五 5]."""
        leave = event.leave
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "answer", party=leave.person)
        substitutes = {**ctx["substitutes"], leave.person: leave.substitute}
        self._update(tx, event, substitutes=substitutes)
        detail = f"{leave.person} 请假: {leave.reason}"
        self._wait(
            tx, event, "leave", Waiter.named(leave.approver), party=leave.person, detail=detail
        )

    @handles(_Meet.LeaveGranted)
    def meeting_leave_granted(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "leave", party=event.person)
        self._done(tx, event, "sign_in", party=event.person)
        substitute = self.ctx(tx, _rid(event))["substitutes"].get(event.person)
        if substitute:
            self._sign_in(tx, event, substitute, detail=f"代 {event.person} 参会")

    @handles(_Meet.LeaveRefused)
    def meeting_leave_refused(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "leave", party=event.person)
        self._sign_in(tx, event, event.person)

    @handles(_Meet.SignedIn)
    def meeting_signed_in(self, event: Any, tx: Tx) -> None:
        person = event.sign_in.person
        self._done(tx, event, "sign_in", "answer", party=person)

    @handles(_Meet.Held)
    def meeting_held(self, event: Any, tx: Tx) -> None:
        """Materials are archived within seven days, by 31 December [000 范文6 四 7]."""
        self._done_all(tx, event)
        held = self.day(event.at)
        due = archive_deadline(held)  # the seventh day as it is, without a calendar
        # past a holiday, by the office's rule table (ADR 0051); a year without holiday
        # data keeps the seventh day as it is
        if self.calendar is not None:
            with suppress(CalendarDataMissing):
                due = archive_deadline(held, self.calendar, self.calendar.deadline_rules)
        self._wait(tx, event, "archive", Waiter.holders(Role.ARCHIVIST), due=due)

    @handles(_Meet.MinutesDrafted)
    def meeting_minutes_drafted(self, event: Any, tx: Tx) -> None:
        """纪要由会议主持人签发 [001 会议 五(三)1(1)]."""
        chair = self.ctx(tx, _rid(event))["chair"]
        self._wait(tx, event, "sign_minutes", Waiter.named(chair))

    @handles(_Meet.MinutesSigned)
    def meeting_minutes_signed(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "sign_minutes")

    @handles(_Meet.Archived, _Meet.Cancelled, _Meet.Merged, _Meet.Rejected)
    def meeting_closed(self, event: Any, tx: Tx) -> None:
        self._forget(tx, event)

    # --- 建议提案 proposals ----------------------------------------------------------------------

    @handles(_Prop.Submitted)
    def proposal_submitted(self, event: Any, tx: Tx) -> None:
        self._start(tx, event, PROPOSAL, event.title, "一般", ORDINARY)
        names = [p.name for p in event.proposers]
        self._update(tx, event, status=_PS.SUBMITTED.value, proposers=names, rated=[])
        self._wait(tx, event, "assign", Waiter.holders(*_OFFICE_ROLES))

    @handles(_Prop.Assigned, _Prop.Reassigned)
    def proposal_assigned(self, event: Any, tx: Tx) -> None:
        """交办: the lead unit answers within three months, co-handlers give their opinion
        within one [000 范文2 二 二; reference notes §2.4]."""
        self._done(tx, event, "assign", "reassign")
        split = getattr(event, "parts", None) or ()  # absent from events before 分办
        ctx = self._update(
            tx,
            event,
            status=_PS.HANDLING.value,
            lead=event.lead_unit,
            co_units=list(event.co_units),
            assigned_at=event.at.isoformat(),
            due=_iso(_day(event.due)),
            co_opinion_due=_iso(_day(event.co_opinion_due)),
            co_opinions=[],
            last_lead_urge=None,
            letter_for_due=None,
            co_urged=[],
            parts={p.unit: _new_part(p.subject) for p in split},
        )
        if split:  # 分办: each lead unit is shown its own part (ADR 0050)
            for p in split:
                head = Waiter.head_of(p.unit)
                due = _day(ctx["due"])
                self._wait(tx, event, "handle", head, party=p.unit, due=due, detail=p.subject)
            return
        self._wait(tx, event, "handle", Waiter.head_of(ctx["lead"]), due=_day(ctx["due"]))
        for unit in event.co_units:
            due = _day(ctx["co_opinion_due"])
            self._wait(tx, event, "co_opinion", Waiter.head_of(unit), party=unit, due=due)

    @handles(_Prop.AssignmentDisputed)
    def proposal_disputed(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "handle", "co_opinion")
        self._update(tx, event, status=_PS.DISPUTED.value)
        detail = f"{event.unit}: {event.reason}"
        self._wait(tx, event, "reassign", Waiter.holders(*_OFFICE_ROLES), detail=detail)

    @handles(_Prop.CoHandlerOpinionGiven)
    def proposal_co_opinion(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "co_opinion", party=event.unit)
        self._update(tx, event, co_opinions=[*ctx["co_opinions"], event.unit])

    @handles(_Prop.ExtensionGranted)
    def proposal_extended(self, event: Any, tx: Tx) -> None:
        due = _day(event.until)
        if due is not None:
            ctx = self._update(tx, event, due=_iso(due))
            self._redue(tx, event, due, "handle", "reply_review", "send_reply")
            for unit, part in ctx.get("parts", {}).items():
                if part["due"] is None:  # a re-answer keeps its own deadline
                    for step in ("handle", "reply_review", "send_reply"):
                        self._redue(tx, event, due, f"{step}/{unit}")

    @handles(_Prop.Urged)
    def proposal_urged(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        part = ctx.get("parts", {}).get(event.unit)
        if part is not None:  # 分办: the part's own cadence (ADR 0050)
            letter = event.channel is ProposalUrgeChannel.LETTER
            self._set_part(
                tx,
                event,
                event.unit,
                last_urge=event.at.isoformat(),
                letter_for_due=part["due"] or ctx["due"] if letter else part["letter_for_due"],
            )
            return
        if event.unit == ctx["lead"]:
            self._update(tx, event, last_lead_urge=event.at.isoformat())
            if event.channel is ProposalUrgeChannel.LETTER:
                self._update(tx, event, letter_for_due=ctx["due"])
        co_due = _day(ctx["co_opinion_due"])
        if event.unit in ctx["co_units"] and co_due is not None and self.day(event.at) > co_due:
            self._update(tx, event, co_urged=[*ctx["co_urged"], event.unit])

    @handles(_Prop.ReplyDrafted)
    def proposal_reply_drafted(self, event: Any, tx: Tx) -> None:
        if (part := getattr(event, "part", None)) is not None:
            ctx = self._set_part(tx, event, part, status=_PS.REPLY_IN_REVIEW.value)
            self._done(tx, event, "handle", party=part)
            due = _part_due(ctx, part)
            reviewer = Waiter.holders(Role.OFFICE_REVIEWER)
            self._wait(tx, event, "reply_review", reviewer, party=part, due=due)
            return
        ctx = self._update(tx, event, status=_PS.REPLY_IN_REVIEW.value)
        self._done(tx, event, "handle")
        due = _day(ctx["due"])
        self._wait(tx, event, "reply_review", Waiter.holders(Role.OFFICE_REVIEWER), due=due)

    @handles(_Prop.ReplyReviewed)
    def proposal_reply_reviewed(self, event: Any, tx: Tx) -> None:
        """会审 "九看" [000 范文2 三 二]: a reply that passes goes out."""
        if (part := getattr(event, "part", None)) is not None:
            self._done(tx, event, "reply_review", party=part)
            if all(r.passed for r in event.results):
                ctx = self._set_part(tx, event, part, status=_PS.REPLY_APPROVED.value)
                head, due = Waiter.head_of(part), _part_due(ctx, part)
                self._wait(tx, event, "send_reply", head, party=part, due=due)
            return
        self._done(tx, event, "reply_review")
        if all(r.passed for r in event.results):
            ctx = self._update(tx, event, status=_PS.REPLY_APPROVED.value)
            due = _day(ctx["due"])
            self._wait(tx, event, "send_reply", Waiter.head_of(ctx["lead"]), due=due)

    @handles(_Prop.ReplyReturned)
    def proposal_reply_returned(self, event: Any, tx: Tx) -> None:
        failed = "、".join(c.label for c in event.failed)
        if (part := getattr(event, "part", None)) is not None:
            ctx = self._set_part(tx, event, part, status=_PS.HANDLING.value)
            head, due = Waiter.head_of(part), _part_due(ctx, part)
            self._wait(tx, event, "handle", head, party=part, due=due, detail=failed)
            return
        ctx = self._update(tx, event, status=_PS.HANDLING.value)
        due = _day(ctx["due"])
        self._wait(tx, event, "handle", Waiter.head_of(ctx["lead"]), due=due, detail=failed)

    @handles(_Prop.Replied)
    def proposal_replied(self, event: Any, tx: Tx) -> None:
        if (part := getattr(event, "part", None)) is not None:
            self._done(tx, event, "send_reply", party=part)
            ctx = self._set_part(
                tx,
                event,
                part,
                status=_PS.REPLIED.value,
                rated=[],
                dissatisfied=False,
                follow=event.result.follow_up,
            )
            subject = ctx["parts"][part]["subject"]
            office = Waiter.holders(*_OFFICE_ROLES)
            self._wait(tx, event, "feedback", office, party=part, detail=subject)
            return
        self._done(tx, event, "send_reply")
        self._update(
            tx,
            event,
            status=_PS.REPLIED.value,
            rated=[],
            dissatisfied=False,
            follow=event.result.follow_up,
        )
        self._wait(tx, event, "feedback", Waiter.holders(*_OFFICE_ROLES))

    @handles(_Prop.FeedbackReceived)
    def proposal_feedback(self, event: Any, tx: Tx) -> None:
        if (part := getattr(event, "part", None)) is not None:
            self._part_feedback(tx, event, part)
            return
        ctx = self.ctx(tx, _rid(event))
        rated = [*ctx["rated"], event.proposer]
        dissatisfied = ctx["dissatisfied"] or event.rating is Rating.DISSATISFIED
        ctx = self._update(tx, event, rated=rated, dissatisfied=dissatisfied)
        if set(ctx["proposers"]) - set(rated):
            return
        self._done(tx, event, "feedback")
        if ctx["status"] != _PS.REPLIED.value or dissatisfied:
            return  # 不满意: the ``Reopened`` that follows puts it back to the lead unit
        if ctx["follow"]:
            self._update(tx, event, status=_PS.FOLLOWING_UP.value)
            self._wait(tx, event, "follow_up", Waiter.head_of(ctx["lead"]))
        else:
            self._update(tx, event, status=_PS.TO_CLOSE.value)
            self._wait(tx, event, "close", Waiter.holders(*_OFFICE_ROLES))

    @handles(_Prop.Reopened)
    def proposal_reopened(self, event: Any, tx: Tx) -> None:
        """不满意 reopens handling, with a new answer due [reference notes §2.4]."""
        if (part := getattr(event, "part", None)) is not None:
            self._done(tx, event, "feedback", party=part)
            ctx = self._set_part(
                tx,
                event,
                part,
                status=_PS.HANDLING.value,
                due=_iso(_day(event.due)),
                last_urge=event.at.isoformat(),
                letter_for_due=None,
            )
            head, due = Waiter.head_of(part), _part_due(ctx, part)
            self._wait(tx, event, "handle", head, party=part, due=due, detail=event.reason)
            return
        self._done(tx, event, "feedback")
        ctx = self._update(
            tx,
            event,
            status=_PS.HANDLING.value,
            due=_iso(_day(event.due)),
            last_lead_urge=event.at.isoformat(),
            letter_for_due=None,
        )
        due = _day(ctx["due"])
        self._wait(tx, event, "handle", Waiter.head_of(ctx["lead"]), due=due, detail=event.reason)

    @handles(_Prop.FollowedUp)
    def proposal_followed_up(self, event: Any, tx: Tx) -> None:
        if (part := getattr(event, "part", None)) is not None:
            if event.solved:
                self._done(tx, event, "follow_up", party=part)
                ctx = self._set_part(tx, event, part, status=_PS.TO_CLOSE.value)
                self._close_if_every_part(tx, event, ctx)
            return
        if event.solved:
            self._done(tx, event, "follow_up")
            self._update(tx, event, status=_PS.TO_CLOSE.value)
            self._wait(tx, event, "close", Waiter.holders(*_OFFICE_ROLES))

    @handles(_Prop.Closed)
    def proposal_closed(self, event: Any, tx: Tx) -> None:
        self._forget(tx, event)

    def _part_feedback(self, tx: Tx, event: Any, part: str) -> None:
        """One proposer's rating of a part's reply (分办, ADR 0050)."""
        ctx = self.ctx(tx, _rid(event))
        p = ctx["parts"][part]
        rated = [*p["rated"], event.proposer]
        dissatisfied = p["dissatisfied"] or event.rating is Rating.DISSATISFIED
        ctx = self._set_part(tx, event, part, rated=rated, dissatisfied=dissatisfied)
        if set(ctx["proposers"]) - set(rated):
            return
        self._done(tx, event, "feedback", party=part)
        if p["status"] != _PS.REPLIED.value or dissatisfied:
            return  # 不满意: the ``Reopened`` that follows puts the part back to its unit
        if p["follow"]:
            self._set_part(tx, event, part, status=_PS.FOLLOWING_UP.value)
            self._wait(tx, event, "follow_up", Waiter.head_of(part), party=part)
            return
        ctx = self._set_part(tx, event, part, status=_PS.TO_CLOSE.value)
        self._close_if_every_part(tx, event, ctx)

    def _close_if_every_part(self, tx: Tx, event: Any, ctx: Document) -> None:
        if ctx["status"] == _PS.TO_CLOSE.value:
            self._wait(tx, event, "close", Waiter.holders(*_OFFICE_ROLES))

    def _set_part(self, tx: Tx, event: Any, part: str, **changes: Any) -> Document:
        """One part of an item handled in parts moves on; the item's status follows its
        parts as :meth:`Proposal._set_part` has it."""
        ctx = self.ctx(tx, _rid(event))
        parts = {**ctx["parts"], part: {**ctx["parts"][part], **changes}}
        states = [p["status"] for p in parts.values()]
        if any(s in _PROPOSAL_BEFORE_REPLY for s in states):
            status = _PS.HANDLING.value
        elif _PS.REPLIED.value in states:
            status = _PS.REPLIED.value
        elif _PS.FOLLOWING_UP.value in states:
            status = _PS.FOLLOWING_UP.value
        else:
            status = _PS.TO_CLOSE.value
        return self._update(tx, event, parts=parts, status=status)

    # --- 督办 supervision tasks -----------------------------------------------------------------

    @handles(_Task.Opened)
    def task_opened(self, event: Any, tx: Tx) -> None:
        urgent = event.urgency is SupervisionUrgency.URGENT
        self._start(
            tx, event, TASK, event.title, event.urgency.label, URGENT if urgent else ORDINARY
        )
        due = _day(event.deadline)
        self._update(
            tx,
            event,
            status=_SS.IN_PROGRESS.value,
            lead=event.lead_unit,
            deadline=_iso(due),
            last_urge=None,
            number=str(event.number),
        )
        self._wait(tx, event, "task", Waiter.head_of(event.lead_unit), due=due)

    @handles(_Task.Urged)
    def task_urged(self, event: Any, tx: Tx) -> None:
        self._update(tx, event, last_urge=event.at.isoformat())
        if event.new_deadline is not None:
            self._new_deadline(tx, event, _day(event.new_deadline))

    def _new_deadline(self, tx: Tx, event: Any, due: date | None) -> None:
        if due is not None:
            self._update(tx, event, deadline=_iso(due))
            self._redue(tx, event, due, "task")

    @handles(_Task.ExtensionRequested)
    def task_extension_requested(self, event: Any, tx: Tx) -> None:
        """申请延期 is decided by the supervision office [003 篇6 二(三)第三]."""
        detail = f"申请延至 {_day(event.new_deadline)}: {event.reason}"
        who = Waiter.holders(Role.SUPERVISION_OFFICER)
        self._wait(tx, event, "extension", who, detail=detail)

    @handles(_Task.ExtensionGranted)
    def task_extension_granted(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "extension")
        self._new_deadline(tx, event, _day(event.new_deadline))

    @handles(_Task.ExtensionRefused)
    def task_extension_refused(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "extension")

    @handles(_Task.Completed)
    def task_completed(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "task", "extension")
        self._update(tx, event, status=_SS.REPORTED.value)
        who = Waiter.holders(Role.SUPERVISION_OFFICER)
        self._wait(tx, event, "completion_review", who)

    @handles(_Task.CompletionAccepted)
    def task_accepted(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "completion_review")
        self._update(tx, event, status=_SS.ACCEPTED.value)
        self._wait(tx, event, "close_out", Waiter.holders(Role.SUPERVISION_OFFICER))

    @handles(_Task.CompletionRejected)
    def task_rejected(self, event: Any, tx: Tx) -> None:
        """退回重办 with new requirements [003 篇6 二(三)第四]."""
        self._done(tx, event, "completion_review")
        ctx = self._update(tx, event, status=_SS.IN_PROGRESS.value)
        if event.new_deadline is not None:
            ctx = self._update(tx, event, deadline=_iso(_day(event.new_deadline)))
        due = _day(ctx["deadline"])
        self._wait(tx, event, "task", Waiter.head_of(ctx["lead"]), due=due, detail=event.reason)

    @handles(_Task.ClosedOut)
    def task_closed_out(self, event: Any, tx: Tx) -> None:
        self._forget(tx, event)

    # --- 目标管理 target tables -------------------------------------------------------------------

    @handles(_Target.Drafted)
    def target_drafted(self, event: Any, tx: Tx) -> None:
        self._start(tx, event, TARGET, event.title, "一般", ORDINARY)
        self._update(tx, event, year=event.year, indicators={}, next_check={}, pending=[])

    @handles(_Target.IndicatorAdded, _Target.IndicatorRevised)
    def target_indicator(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        i = event.indicator
        self._update(
            tx, event, indicators={**ctx["indicators"], str(i.number): [i.unit, i.content]}
        )

    @handles(_Target.IndicatorRemoved)
    def target_indicator_removed(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        kept = {k: v for k, v in ctx["indicators"].items() if k != str(event.number)}
        self._update(tx, event, indicators=kept)

    @handles(_Target.OpinionsSolicited)
    def target_consulted(self, event: Any, tx: Tx) -> None:
        """征求局属各单位、机关各部门意见 [001 目标管理 四(一)1]: each unit's head answers."""
        self._done(tx, event, "table_revise")
        for unit in event.units:
            due = _day(event.due)
            self._wait(tx, event, "opinion", Waiter.head_of(unit), party=unit, due=due)

    @handles(_Target.OpinionGiven)
    def target_opinion(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "opinion", party=event.unit)

    @handles(_Target.SubmittedForApproval)
    def target_submitted(self, event: Any, tx: Tx) -> None:
        """领导小组审定 [001 目标管理 四(一)3]: by its head, the principal leader."""
        self._done(tx, event, "opinion")
        self._wait(tx, event, "table_review", Waiter.holders(Role.PRINCIPAL_LEADER))

    @handles(_Target.Approved)
    def target_approved(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "table_review")
        self._wait(tx, event, "table_issue", Waiter.holders(Role.ASSESSMENT_OFFICER))

    @handles(_Target.ReturnedForRevision)
    def target_returned(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "table_review")
        who = Waiter.holders(Role.ASSESSMENT_OFFICER)
        self._wait(tx, event, "table_revise", who, detail=event.reason)

    @handles(_Target.Issued)
    def target_issued(self, event: Any, tx: Tx) -> None:
        """每项考评指标每季度跟踪检查至少1次 [001 目标管理 四(二)1(3)]: one item per indicator,
        due by the end of the quarter, shown from its first day."""
        self._done(tx, event, "table_issue")
        for number in self.ctx(tx, _rid(event))["indicators"]:
            self._check_due(tx, event, number, event.first_quarter)

    def _check_due(self, tx: Tx, event: Any, number: str, quarter: int) -> None:
        """Indicator ``number``'s next check is due in ``quarter`` (none after the fourth);
        an item never moves back to an earlier quarter."""
        ctx = self.ctx(tx, _rid(event))
        quarter = max(quarter, ctx["next_check"].get(number, 0))
        self._update(tx, event, next_check={**ctx["next_check"], number: quarter})
        if quarter > 4 or number not in ctx["indicators"]:
            self._done(tx, event, "target_check", party=number)
            return
        unit, content = ctx["indicators"][number]
        first, last = quarter_bounds(ctx["year"], quarter)
        detail = f"第{number}项({unit}) 第{quarter}季度: {content}"
        who = Waiter.holders(Role.ASSESSMENT_OFFICER)
        self._wait(
            tx, event, "target_check", who, party=number, due=last, detail=detail, start=first
        )

    @handles(_Target.IndicatorChecked)
    def target_checked(self, event: Any, tx: Tx) -> None:
        self._check_due(tx, event, str(event.indicator), event.quarter + 1)

    @handles(_Target.ChecksMissed)
    def target_checks_missed(self, event: Any, tx: Tx) -> None:
        """A quarter passed unchecked (flagged): the item moves on to the next quarter."""
        for number in event.indicators:
            self._check_due(tx, event, str(number), event.quarter + 1)

    @handles(_Target.DeductionRecorded)
    def target_deducted(self, event: Any, tx: Tx) -> None:
        """发现问题并反馈 → 各单位整改 [001 目标管理 四(二)1(4)]: the unit's head corrects."""
        d = event.deduction
        self._check_due(tx, event, str(d.indicator), d.quarter + 1)
        detail = f"第{d.indicator}项扣{d.points}分: {d.reason}"
        self._wait(
            tx,
            event,
            "correct",
            Waiter.head_of(d.unit),
            party=str(d.number),
            due=_day(d.correct_by),
            detail=detail,
        )

    @handles(_Target.CorrectionReported)
    def target_corrected(self, event: Any, tx: Tx) -> None:
        """视情况纳入年终最后得分: the assessment office decides on the corrected deduction."""
        self._done(tx, event, "correct", party=str(event.deduction))
        detail = f"{event.unit} 整改{'' if event.prompt else '(逾期)'}: {event.measures}"
        who = Waiter.holders(Role.ASSESSMENT_OFFICER)
        self._wait(tx, event, "judge_correction", who, party=str(event.deduction), detail=detail)

    @handles(_Target.DeductionWaived, _Target.DeductionUpheld)
    def target_deduction_decided(self, event: Any, tx: Tx) -> None:
        party = str(event.deduction)
        self._done(tx, event, "correct", party=party)
        self._done(tx, event, "judge_correction", party=party)

    @handles(_Target.AmendmentProposed)
    def target_amendment_proposed(self, event: Any, tx: Tx) -> None:
        pending = [
            [c.kind.value, str(c.indicator.number), c.indicator.unit, c.indicator.content]
            for c in event.changes
        ]
        self._update(tx, event, pending=pending)
        who = Waiter.holders(Role.PRINCIPAL_LEADER)
        self._wait(tx, event, "table_amendment", who, detail=event.reason)

    @handles(_Target.AmendmentApproved)
    def target_amendment_approved(self, event: Any, tx: Tx) -> None:
        ctx = self.ctx(tx, _rid(event))
        self._done(tx, event, "table_amendment")
        indicators = dict(ctx["indicators"])
        for kind, number, unit, content in ctx["pending"]:
            if kind == "withdraw":
                indicators.pop(number, None)
            else:
                indicators[number] = [unit, content]
        self._update(tx, event, indicators=indicators, pending=[])
        for kind, number, _unit, _content in ctx["pending"]:
            if kind == "add":
                self._check_due(tx, event, number, event.quarter)
            else:  # a revised text shows in its item; a withdrawn one's item goes
                self._check_due(tx, event, number, ctx["next_check"].get(number, 5))

    @handles(_Target.AmendmentRejected)
    def target_amendment_rejected(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "table_amendment")
        self._update(tx, event, pending=[])

    @handles(_Target.HalfYearCheckStarted)
    def target_half_year(self, event: Any, tx: Tx) -> None:
        """半年检查 [001 目标管理 四(二)2; 003 篇6 二(五)]: every assessed unit's self-check."""
        due = _day(event.due)
        for unit in event.units:
            self._wait(tx, event, "self_check", Waiter.head_of(unit), party=unit, due=due)

    @handles(_Target.SelfCheckReported)
    def target_self_check(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "self_check", party=event.unit)

    @handles(_Target.NamedLagging)
    def target_lagging(self, event: Any, tx: Tx) -> None:
        due = _day(event.catch_up_by)
        who = Waiter.head_of(event.unit)
        self._wait(tx, event, "catch_up", who, party=event.unit, due=due, detail=event.reason)

    @handles(_Target.CatchUpPlanReported)
    def target_catch_up(self, event: Any, tx: Tx) -> None:
        self._done(tx, event, "catch_up", party=event.unit)

    @handles(_Target.Assessed)
    def target_assessed(self, event: Any, tx: Tx) -> None:
        self._forget(tx, event)


# --- resolving who waits -------------------------------------------------------------------


def waiter_entries(org: Organisation, at: pendulum.DateTime, day: date, person: str) -> list[str]:
    """The index entries (:func:`waiter_keys`) under which an item waiting on ``person`` at
    ``at`` may be kept: a superset of what :class:`_Resolver` resolves to them, found from
    the person's own grants, units and 分管 on that day, once per query, and the same for
    each leader they act for that day (替代关系)."""
    acting = {person}
    for s in org.substitutions:
        if s.substitute == person and s.covers(day):
            acting.add(s.leader)
    entries: dict[str, None] = {}
    offices = set(org.units_with(UnitFunction.GENERAL_OFFICE, at))
    leaderless: list[str] | None = None
    for who in sorted(acting):
        entries[f"{PERSON}:{who}"] = None
        roles = org.roles_of(who, at)
        for role in sorted(r.value for r in roles):
            entries[f"{ROLE}:{role}"] = None
        if Role.UNIT_HEAD in roles:
            units = sorted(
                str(span.value)
                for span in org.memberships.get(PersonId(who), ())
                if isinstance(span.value, str) and span.covers(at)
            )
            for unit in units:
                entries[f"{HEAD}:{unit}"] = None
            if offices.intersection(units):
                entries[f"{OFFICE_HEAD}:"] = None
        if any(r in roles for r in _LEADER_ROLES):
            for unit in sorted(org.supervised_by(who, at)):
                entries[f"{LEADER_OF}:{unit}"] = None
            if leaderless is None:  # units with no 分管领导 that day: any leader may sign
                leaderless = [
                    unit
                    for unit in sorted(org.units)
                    if not any(
                        org.holds(p, r, at)
                        for p in org.supervising_leaders(unit, at)
                        for r in _LEADER_ROLES
                    )
                ]
            for unit in leaderless:
                entries[f"{LEADER_OF}:{unit}"] = None
    return list(entries)


class _Resolver:
    """The people an item waits on, as the organisation stood at ``at``."""

    def __init__(self, org: Organisation, at: pendulum.DateTime) -> None:
        self.org = org
        self.at = at
        self.day = org.day_of(at)
        self._resolved: dict[Waiter, tuple[str, ...]] = {}

    def people(self, who: Waiter) -> tuple[str, ...]:
        """The people ``who`` names (each rule resolved once per query)."""
        found = self._resolved.get(who)
        if found is None:
            found = self._resolved[who] = self._people(who)
        return found

    def _people(self, who: Waiter) -> tuple[str, ...]:
        org, at = self.org, self.at
        if who.rule == PERSON:
            return (str(who.person),)
        if who.rule == HEAD:
            return org.heads_of(str(who.unit), at)
        if who.rule == OFFICE_HEAD:
            offices = org.units_with(UnitFunction.GENERAL_OFFICE, at)
            return tuple(sorted({p for u in offices for p in org.heads_of(u, at)}))
        if who.rule == LEADER_OF:
            supervising = [
                p
                for p in org.supervising_leaders(str(who.unit), at)
                if any(org.holds(p, r, at) for r in _LEADER_ROLES)
            ]
            if supervising:
                return tuple(supervising)
            return self._holding(_LEADER_ROLES)  # no 分管领导: any leader may sign
        return self._holding(tuple(coerce_enum(Role, r, "岗位") for r in who.roles))

    def _holding(self, roles: tuple[Role, ...]) -> tuple[str, ...]:
        return tuple(sorted({p for r in roles for p in self.org.holders(r, self.at)}))

    def acts_for(self, person: str, people: Iterable[str]) -> str | None:
        """The person among ``people`` whom ``person`` substitutes for that day, if any."""
        for leader in people:
            if self.org.substitute_for(leader, self.day) == person:
                return leader
        return None

    def unit_of(self, person: str) -> str | None:
        return self.org.unit_of(person, self.at)


def _waiter(doc: Mapping[str, Any]) -> Waiter:
    return Waiter(doc["rule"], doc["person"], doc["unit"], tuple(doc["roles"]))


def _item(
    doc: Mapping[str, Any],
    people: tuple[str, ...],
    acting: str | None,
    snap: _Snapshot,
    who: Waiter | None = None,
) -> QueueItem:
    who = who or _waiter(doc)
    kind, step = doc["kind"], doc["step"]
    return QueueItem(
        kind=kind,
        record_id=doc["record_id"],
        title=doc["title"],
        step=step,
        step_label=KIND_STEP_LABELS.get((kind, step)) or STEP_LABELS.get(step, step),
        since=_since(doc["since"], snap.zone),
        due=_day(doc["due"]),
        urgency=doc["urgency"],
        urgency_rank=doc["rank"],
        waits_on=who.describe(),
        people=people,
        person=who.person,
        unit=who.unit,
        roles=who.roles,
        detail=doc["detail"],
        on_behalf_of=acting,
    )


def _queue_order(item: QueueItem) -> tuple[Any, ...]:
    """Most urgent first, then the oldest; ties by record and step, so the order is stable."""
    return (item.urgency_rank, item.since, item.record_id, item.step, item.detail)


# --- the service ------------------------------------------------------------------------------


@attrs.frozen
class _Snapshot:
    """The views and the organisation as they stood at ``at`` (``today`` is its day)."""

    reader: ViewReader
    org: Organisation
    at: pendulum.DateTime
    today: date

    @property
    def zone(self) -> str:
        return self.org.time_zone


class QueueService(Facade):
    """``office.queues``: 待办 for a person or a unit, the overdue queue, today's urging queue;
    each now, or ``on=`` a past day (rebuilt from history).

    Configuration: ``supervision_urging`` (when supervision tasks are urged); incoming
    documents follow ``office.incoming.cadence`` and proposals ``office.proposals.policy``.
    ``scratch_store`` makes the empty view store a past day is rebuilt into.
    """

    def __init__(self, office: Office) -> None:
        self.office = office
        self.projection = QueueProjection()
        self.projection.calendar = office.calendar
        office.views.projections.append(self.projection)
        self.supervision_urging = SupervisionUrging()
        self.scratch_store: Callable[[], ViewStore] = office.scratch_views

    # --- queries --------------------------------------------------------------------------

    def for_person(self, person_id: str, *, on: date | None = None) -> list[QueueItem]:
        """What waits for ``person_id``: the steps that name them, that their roles and unit
        make theirs, and those of a leader they act for that day; most urgent first, then
        the oldest. An unknown person (as of that day) raises :class:`UnknownPerson`."""
        with self._snapshot(on) as snap:
            return self._for_person(snap, person_id, past=on is not None)

    def _for_person(self, snap: _Snapshot, person_id: str, *, past: bool) -> list[QueueItem]:
        person = snap.org.person(person_id).id
        if past and snap.org.unit_of(person, snap.at) is None:
            raise UnknownPerson(person_id)  # not (yet, or any more) in the agency that day
        resolve = _Resolver(snap.org, snap.at)
        found = []
        for doc in self._candidates(snap, person):
            who = _waiter(doc)
            people = resolve.people(who)
            if person in people:
                found.append(_item(doc, people, None, snap, who))
            elif (leader := resolve.acts_for(person, people)) is not None:
                found.append(_item(doc, people, leader, snap, who))
        return sorted(found, key=_queue_order)

    def for_unit(self, unit_id: str, *, on: date | None = None) -> list[QueueItem]:
        """What waits for a unit: steps that wait on its head, or on any of its people
        (:class:`UnknownUnit` for a unit the organisation did not have that day)."""
        with self._snapshot(on) as snap:
            unit = snap.org.unit(unit_id).id
            if on is not None and not snap.org.unit_active(unit, snap.at):
                raise UnknownUnit(unit_id)  # not (yet, or any more) a unit that day
            resolve = _Resolver(snap.org, snap.at)
            found = []
            for doc in self._items(snap):
                who = _waiter(doc)
                people = resolve.people(who)
                if (who.rule == HEAD and who.unit == unit) or any(
                    resolve.unit_of(p) == unit for p in people
                ):
                    found.append(_item(doc, people, None, snap))
        return sorted(found, key=_queue_order)

    def overdue(self, *, on: date | None = None) -> list[QueueItem]:
        """逾期 every open step whose due date is before that day: the longest overdue first,
        then the most urgent."""
        with self._snapshot(on) as snap:
            resolve = _Resolver(snap.org, snap.at)
            every = (
                _item(doc, resolve.people(_waiter(doc)), None, snap) for doc in self._items(snap)
            )
            found = [item for item in every if item.overdue_on(snap.today)]
        return sorted(found, key=lambda i: (i.due, *_queue_order(i)))

    def to_urge(self, *, on: date | None = None) -> list[UrgeItem]:
        """今日催办 what must be urged that day and has not been: incoming documents by the
        cadence of their importance [001 收文 五(六)] less the urges already recorded;
        proposals by their weekly / half-monthly cadence and a supervision letter once
        overdue [000 范文2 三 一]; supervision tasks near or past their deadline
        (:class:`SupervisionUrging`). Most urgent first."""
        with self._snapshot(on) as snap:
            records = dict(snap.reader.scan(self.projection.view, RECORDS))
            urges = [
                *self._incoming_urges(records, snap),
                *self._proposal_urges(records, snap),
                *self._task_urges(records, snap),
            ]
        return sorted(urges, key=lambda u: (u.urgency_rank, u.due, u.kind, u.record_id))

    # --- urging ---------------------------------------------------------------------------

    def _incoming_urges(self, records: Mapping[str, Document], snap: _Snapshot) -> list[UrgeItem]:
        """Urges fall due at 00:00 of every n-th working day after the assignment, n by
        importance (``office.incoming.cadence``); a recorded urge covers its due time
        (ADR 0011)."""
        cadence = self.office.incoming.cadence
        found = []
        for rid, ctx in records.items():
            if ctx["kind"] != INCOMING or ctx["status"] not in _INCOMING_OPEN:
                continue
            anchor = _time(ctx["assigned_at"]).in_timezone(snap.zone)
            interval = cadence.interval(coerce_enum(Importance, ctx["importance"], "重要程度"))
            until = snap.at.in_timezone(snap.zone).date()
            covered = _time(ctx["urged_until"]) if ctx.get("urged_until") else None
            dues = [
                day
                for day in urge_due_days(anchor.date(), until, interval, self.office.calendar)
                if covered is None or _start_of(day, snap.zone) > covered
            ]
            if not dues:
                continue
            if ctx["status"] == _IS.AWAITING_INSTRUCTION.value:
                targets = tuple(p for p in ctx["leaders"] if p not in ctx["instructed"])
            else:
                targets = (ctx["lead"],)
            reason = f"{ctx['urgency']}每 {interval} 个工作日催办一次 [001 收文 五(六)]"
            found.append(_urge(rid, ctx, targets, "催办", dues[-1], reason, len(dues) - 1))
        return found

    def _proposal_urges(self, records: Mapping[str, Document], snap: _Snapshot) -> list[UrgeItem]:
        """The cadence of :meth:`Proposal.urge_if_due` (``office.proposals.policy``), read
        from the projected events: a letter once the deadline has passed (once per
        deadline), else a phone urge weekly for a busy unit, half-monthly for the others;
        one reminder to each co-handler whose opinion is late [000 范文2 三 一]; all on
        working days (ADR 0051)."""
        policy = self.office.proposals.policy
        load = Counter(
            unit
            for ctx in records.values()
            if ctx["kind"] == PROPOSAL and ctx.get("lead") and ctx["status"] != _PS.CLOSED.value
            for unit in (ctx.get("parts") or [ctx["lead"]])
        )
        today = snap.today
        found: list[UrgeItem] = []
        if not self.office.calendar.is_working_day(today):
            return found  # cadence steps fall on working days (ADR 0051)
        for rid, ctx in records.items():
            if ctx["kind"] != PROPOSAL or ctx["status"] not in _PROPOSAL_AWAITING_LEAD:
                continue
            if ctx.get("parts"):
                found.extend(self._part_urges(rid, ctx, load, snap))
                continue
            lead, due = ctx["lead"], date.fromisoformat(ctx["due"])
            if today > due and ctx["letter_for_due"] != ctx["due"]:
                new_due = self.office.calendar.add_working_days(today, policy.letter_working_days)
                reason = f"逾期未办(期限 {due}),督办函限 {new_due} 前答复"
                found.append(_urge(rid, ctx, (lead,), "督办函", due, reason))
            else:
                busy = load[lead] >= policy.busy_threshold
                every = policy.busy_urge_days if busy else policy.normal_urge_days
                next_urge = _time(ctx["last_lead_urge"] or ctx["assigned_at"]).add(days=every)
                if snap.at >= next_urge:
                    reason = "承办数量多的单位每周催办" if busy else "每半月催办"
                    day = phone_urge_day(
                        _time(ctx["last_lead_urge"] or ctx["assigned_at"]),
                        every,
                        self.office.calendar,
                        snap.zone,
                    )
                    found.append(_urge(rid, ctx, (lead,), "电话催办", day, reason))
            co_due = date.fromisoformat(ctx["co_opinion_due"])
            if ctx["status"] == _PS.HANDLING.value and today > co_due:
                late = [
                    u
                    for u in ctx["co_units"]
                    if u not in ctx["co_opinions"] and u not in ctx["co_urged"]
                ]
                for unit in late:
                    reason = f"协办意见逾期(期限 {co_due})"
                    found.append(_urge(rid, ctx, (unit,), "电话催办", co_due, reason))
        return found

    def _part_urges(
        self, rid: str, ctx: Document, load: Counter[str], snap: _Snapshot
    ) -> list[UrgeItem]:
        """分办: each part's cadence, as :meth:`Proposal.urge_if_due` (ADR 0050)."""
        policy, today, found = self.office.proposals.policy, snap.today, []
        for unit, part in ctx["parts"].items():
            if part["status"] not in _PROPOSAL_AWAITING_LEAD:
                continue
            due = date.fromisoformat(part["due"] or ctx["due"])
            if today > due and part["letter_for_due"] != due.isoformat():
                new_due = self.office.calendar.add_working_days(today, policy.letter_working_days)
                reason = f"逾期未办(期限 {due}),督办函限 {new_due} 前答复"
                found.append(_urge(rid, ctx, (unit,), "督办函", due, reason))
                continue
            busy = load[unit] >= policy.busy_threshold
            every = policy.busy_urge_days if busy else policy.normal_urge_days
            last = _time(part["last_urge"] or ctx["assigned_at"])
            if snap.at >= last.add(days=every):
                reason = "承办数量多的单位每周催办" if busy else "每半月催办"
                day = phone_urge_day(last, every, self.office.calendar, snap.zone)
                found.append(_urge(rid, ctx, (unit,), "电话催办", day, reason))
        return found

    def _task_urges(self, records: Mapping[str, Document], snap: _Snapshot) -> list[UrgeItem]:
        """See :class:`SupervisionUrging`."""
        window = self.supervision_urging.prompt_days_before
        today = snap.today
        found = []
        for rid, ctx in records.items():
            if ctx["kind"] != TASK or ctx["status"] != _SS.IN_PROGRESS.value:
                continue
            deadline = date.fromisoformat(ctx["deadline"])
            last_urge = ctx["last_urge"]
            last = _time(last_urge).in_timezone(snap.zone).date() if last_urge else None
            prompt_from = deadline - timedelta(days=window)
            if today > deadline:
                if last is None or last <= deadline:
                    reason = f"逾期未办结(时限 {deadline})"
                    found.append(_urge(rid, ctx, (ctx["lead"],), "督办函", deadline, reason))
            elif today >= prompt_from and (last is None or last < prompt_from):
                reason = f"时限 {deadline} 临近"
                found.append(_urge(rid, ctx, (ctx["lead"],), "督查提示单", prompt_from, reason))
        return found

    # --- plumbing -------------------------------------------------------------------------

    def _candidates(self, snap: _Snapshot, person: str) -> Iterator[Document]:
        """The open items that could wait on ``person`` that day (a superset, each item
        once): those whose rule names a value ``person``, or a leader they act for, answers
        to (:func:`waiter_entries`), read from the index by who waits (ADR 0052). The
        caller resolves each as before, so the answer is the same as resolving every item."""
        today = snap.today.isoformat()
        view = self.projection.view
        seen: set[str] = set()
        for entry in waiter_entries(snap.org, snap.at, snap.today, person):
            for key, doc in snap.reader.scan(view, WAITING, f"{entry}|"):
                item = key[len(entry) + 1 :]
                if item in seen:
                    continue
                seen.add(item)
                start = doc.get("from")
                if start is None or start <= today:
                    yield doc

    def _items(self, snap: _Snapshot) -> Iterator[Document]:
        """The open items, less those that wait from a later day (next quarter's checks)."""
        today = snap.today.isoformat()
        for _key, doc in snap.reader.scan(self.projection.view, ITEMS):
            start = doc.get("from")
            if start is None or start <= today:
                yield doc

    @contextmanager
    def _snapshot(self, on: object) -> Iterator[_Snapshot]:
        """Now: the office's views, caught up (read-your-writes), and the organisation now.
        A past day: the log replayed up to the end of that day into a fresh view store, and
        the organisation as of then."""
        zone = self.office.time_zone
        if on is None:
            self.office.views.catch_up(only=[self.projection])
            now = self.office.clock.now()
            org = self.office.org._org()  # only read: the cached organisation, not a copy
            yield _Snapshot(self.office.views.store, org, now, org.day_of(now))
            return
        day = a_date(on, "日期 on")
        end = pendulum.datetime(day.year, day.month, day.day, tz=zone).end_of("day")
        org = self.office.org.current()
        store = self.scratch_store()
        try:
            past = QueueProjection()
            past.calendar = self.office.calendar
            runner = ViewRunner(self.office.app, store, [past], zone=lambda: zone)
            runner.catch_up(until=end)
            yield _Snapshot(store, org, end, day)
        finally:
            store.close()


def _urge(
    rid: str,
    ctx: Document,
    targets: tuple[str, ...],
    channel: str,
    due: date,
    reason: str,
    missed: int = 0,
) -> UrgeItem:
    title = f"{ctx['number']} {ctx['title']}" if ctx["kind"] == TASK else ctx["title"]
    return UrgeItem(
        kind=ctx["kind"],
        record_id=rid,
        title=title,
        targets=targets,
        channel=channel,
        due=due,
        reason=reason,
        urgency=ctx["urgency"],
        urgency_rank=ctx["rank"],
        missed=missed,
    )


def _new_part(subject: str) -> Document:
    """The queue's context of one part of an item handled in parts (分办, ADR 0050)."""
    return {
        "subject": subject,
        "status": _PS.HANDLING.value,
        "due": None,
        "last_urge": None,
        "letter_for_due": None,
        "rated": [],
        "dissatisfied": False,
        "follow": False,
    }


def _part_due(ctx: Document, part: str) -> date | None:
    """A part's deadline: its re-answer's, else the item's."""
    return _day(ctx["parts"][part]["due"] or ctx["due"])


def _swap(value: Any, old: str, new: str) -> Any:
    """``value`` with the unit id ``old`` replaced by ``new`` (in a list too, once)."""
    if value == old:
        return new
    if isinstance(value, list) and old in value:
        return list(dict.fromkeys(new if v == old else v for v in value))
    if isinstance(value, dict) and old in value:  # keyed by unit (the parts of a 分办 item)
        return {(new if k == old else k): v for k, v in value.items()}
    return value


def _start_of(day: date, zone: str) -> pendulum.DateTime:
    """00:00 of ``day`` on the agency's clock (when an urge falls due, see ADR 0011)."""
    return pendulum.datetime(day.year, day.month, day.day, tz=zone)
