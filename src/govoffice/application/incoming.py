"""``office.incoming``: incoming documents (收文) from 签收 to 归档, their routing and urging."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import pendulum

from govoffice.application.history import Decision, decisions
from govoffice.application.services import AreaService
from govoffice.domain.document import Classification
from govoffice.domain.errors import InvalidInput, RecordNotFound, RuleViolation
from govoffice.domain.incoming import (
    DESK_FUNCTIONS,
    OPEN,
    RECEIPT_NUMBER_SERIES,
    HandlingKind,
    Importance,
    IncomingDocument,
    IncomingStatus,
    IncomingUrgeChannel,
    NoPrincipalLeader,  # noqa: F401 - re-exported: raised by suggest_routing
    ReceiptNumber,
    ScreeningCheck,
    ScreeningResult,
    UrgingCadence,
    desk_for,
    leader_directory,
)
from govoffice.domain.organisation import Organisation, UnitFunction
from govoffice.domain.routing import (
    RoutingDecision,
    RoutingTable,
    SenderType,
    route,
)
from govoffice.domain.values import coerce_enum

if TYPE_CHECKING:
    from govoffice.application.office import Office


class NoGeneralOffice(RuleViolation):
    """The seed's routing table needs a general office (办公室) to route to."""

    def __init__(self) -> None:
        super().__init__(
            "机关未设办公室,无法建立默认分办规则;请设立办公室或指定 office.incoming.routing_table "
            "(no general office for the default routing table)"
        )


_MAY_BE_OPEN = (
    IncomingStatus.RECEIVED,
    IncomingStatus.REGISTERED,
    IncomingStatus.SCREENED,
    *OPEN,
)
"""The statuses from which a document may still be (or become) open: returned, reading,
handled, replied and archived documents are never urged nor overdue again."""


class IncomingService(AreaService[IncomingDocument]):
    """收文: every command takes ``by=`` (the acting person) and ``at=`` (business time,
    filled from the office clock when omitted).

    ``routing_table`` (分办规则) defaults to the seed's table over this agency's units and
    may be replaced; ``cadence`` (催办周期) sets the working days between urges by
    importance. ``tick(at)`` records the urges and overdue deadlines due at ``at``.
    """

    record_type = IncomingDocument

    def __init__(self, office: Office) -> None:
        super().__init__(office)
        self._routing_table: RoutingTable | None = None
        self.cadence = UrgingCadence()

    # --- configuration -------------------------------------------------------------------

    @property
    def routing_table(self) -> RoutingTable:
        """分办规则: the configured table, or the seed's default [001 收文 五(一)2(2)] over the
        agency's general office, party-work and discipline units (a missing party-work or
        discipline unit falls back to the general office)."""
        return self._table(self._org())

    @routing_table.setter
    def routing_table(self, table: RoutingTable | None) -> None:
        if table is not None and not isinstance(table, RoutingTable):
            raise InvalidInput(f"分办规则 {table!r} 不是 RoutingTable")
        self._routing_table = table

    @staticmethod
    def _default_table(org: Organisation) -> RoutingTable:
        offices = org.units_with(UnitFunction.GENERAL_OFFICE)
        if not offices:
            raise NoGeneralOffice()
        office = offices[0]
        party = (org.units_with(UnitFunction.PARTY_WORK) or (office,))[0]
        discipline = (org.units_with(UnitFunction.DISCIPLINE) or (office,))[0]
        return RoutingTable.seed_default(
            general_office=office, party_work=party, discipline=discipline
        )

    # --- 签收、登记、初审 ---------------------------------------------------------------------

    def receive(
        self,
        *,
        sender: str,
        title: str,
        by: str,
        classification: Classification | str = Classification.NONE,
        copies: int = 1,
        at: datetime | str | None = None,
    ) -> uuid.UUID:
        """签收: the receiving secretary signs for a document; returns its record id."""
        who, when = self._who(by), self._when(at)
        level = coerce_enum(Classification, classification, "密级")
        return self._create(
            lambda org: IncomingDocument.receive(
                org=org,
                sender=sender,
                title=title,
                classification=level,
                copies=copies,
                by=who,
                at=when,
            )
        )

    def register(
        self,
        document_id: uuid.UUID | str,
        *,
        sender_type: SenderType | str,
        by: str,
        sender_number: str = "",
        importance: Importance | str = Importance.ORDINARY,
        remarks: str = "",
        scan_ref: str | None = None,
        subject_tags: Iterable[str] = (),
        from_superior: bool = False,
        policy_document: bool = False,
        at: datetime | str | None = None,
    ) -> ReceiptNumber:
        """登记: take the next 收文编号 of the agency's series for the year and register the
        document with it, in one atomic save (gapless, no duplicates)."""
        who, when = self._who(by), self._when(at)
        kind = coerce_enum(SenderType, sender_type, "来文单位性质")
        level = coerce_enum(Importance, importance, "重要程度")

        def attempt() -> ReceiptNumber:
            doc, org, series = self._numbering(
                document_id, RECEIPT_NUMBER_SERIES, lambda _, o: o.agency_code, who, when
            )
            year = org.day_of(when).year
            serial = series.take(for_record=doc.id, by=who, at=when)
            number = ReceiptNumber(org.agency_code, year, serial)
            doc.register(
                org=org,
                receipt_number=number,
                sender_type=kind,
                sender_number=sender_number,
                importance=level,
                remarks=remarks,
                scan_ref=scan_ref,
                subject_tags=subject_tags,
                from_superior=from_superior,
                policy_document=policy_document,
                by=who,
                at=when,
            )
            self._save(org, doc, series)
            return number

        return self.store.run(attempt, document_id)

    def screen(
        self,
        document_id: uuid.UUID | str,
        *,
        results: Mapping[ScreeningCheck, bool] | Mapping[str, bool],
        by: str,
        notes: Mapping[ScreeningCheck, str] | Mapping[str, str] | None = None,
        reason: str = "",
        at: datetime | str | None = None,
    ) -> bool:
        """初审: ``results`` answers each of the five checks (passed or not), ``notes`` adds
        the secretary's remarks. Passed: the document goes to the desk the routing table
        names; failed: it is returned to the sender with ``reason``. Returns whether it
        passed."""
        if not isinstance(results, Mapping):
            raise InvalidInput(f"初审结果必须是 检查项→是否合格 的映射,而不是 {results!r}")
        remarks = {coerce_enum(ScreeningCheck, k, "审核项"): v for k, v in (notes or {}).items()}
        checked = []
        for key, passed in results.items():
            check = coerce_enum(ScreeningCheck, key, "审核项")
            if not isinstance(passed, bool):
                raise InvalidInput(f"{check.label} 的结论必须是 True/False,而不是 {passed!r}")
            checked.append(ScreeningResult(check, passed, remarks.get(check, "")))
        who, when = self._who(by), self._when(at)

        def decide(doc: IncomingDocument, org: Organisation) -> bool:
            desk = None
            if doc.sender_type is not None:
                desks = {u for f in DESK_FUNCTIONS for u in org.units_with(f, when)}
                desk = desk_for(doc.sender_type, doc.subject_tags, self._table(org), desks)
                offices = org.units_with(UnitFunction.GENERAL_OFFICE, when)
                desk = desk or (offices[0] if offices else None)
            return doc.screen(org=org, results=checked, desk=desk, reason=reason, by=who, at=when)

        return self._change(document_id, decide)

    # --- 分办 --------------------------------------------------------------------------------

    def suggest_routing(
        self,
        document_id: uuid.UUID | str,
        *,
        at: datetime | str | None = None,
        concerned_units: Iterable[str] = (),
    ) -> RoutingDecision:
        """拟办建议 the lead unit, co-handling units and leaders the routing rules suggest,
        with the reasons [001 收文 五(一)2, 五(二)]: from the document's sender type, subjects,
        policy and superior flags (and the clerk's ``concerned_units``, lead first), the
        organisation's principal leader, 分管 and the substitutes on that day."""
        when = self._when(at)
        doc = self.get(document_id)
        org = self._org()
        facts = doc.routing_facts(concerned_units)
        return route(facts, self._table(org), leader_directory(org, when), _names(org, when))

    def assign(
        self,
        document_id: uuid.UUID | str,
        *,
        kind: HandlingKind | str,
        proposal: str,
        by: str,
        lead_unit: str | None = None,
        co_units: Iterable[str] = (),
        leaders: Iterable[str] = (),
        main_approver: str | None = None,
        readers: Iterable[str] = (),
        asks_decision: bool = False,
        importance: Importance | str | None = None,
        deadline: date | None = None,
        within_working_days: int | None = None,
        override_reason: str = "",
        at: datetime | str | None = None,
    ) -> date | None:
        """分办: the proposed handling (see :meth:`IncomingDocument.assign`). The deadline
        (办理时限) is a date, or ``within_working_days`` working days after the assignment
        day (the agency's) on the office's calendar. The leaders must follow the leader rules
        [001 收文 五(二)1]; the general office's head may depart from them with
        ``override_reason``. Returns the deadline."""
        who, when = self._who(by), self._when(at)
        if deadline is not None and within_working_days is not None:
            raise InvalidInput(
                "办理时限只能给出日期或工作日数之一 (deadline or working days, not both)"
            )
        level = None if importance is None else coerce_enum(Importance, importance, "重要程度")
        handling = coerce_enum(HandlingKind, kind, "公文性质")

        def decide(doc: IncomingDocument, org: Organisation) -> date | None:
            due = deadline
            if within_working_days is not None:
                due = self.office.calendar.add_working_days(org.day_of(when), within_working_days)
            doc.assign(
                org=org,
                kind=handling,
                proposal=proposal,
                lead_unit=lead_unit,
                co_units=co_units,
                leaders=leaders,
                main_approver=main_approver,
                readers=readers,
                asks_decision=asks_decision,
                importance=level,
                deadline=due,
                override_reason=override_reason,
                by=who,
                at=when,
            )
            return doc.deadline

        return self._change(document_id, decide)

    # --- 阅批、承办 ---------------------------------------------------------------------------

    def instruct(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """阅批: a leader on the list instructs or reads (a substitute ``on_behalf_of``)."""
        self._do(document_id, "instruct", by, at, opinion=opinion, on_behalf_of=on_behalf_of)

    def accept(
        self, document_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """承办: the lead unit's head takes the document on."""
        self._do(document_id, "accept", by, at)

    def send_back(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        reason: str,
        unit: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """退回局办: a unit (the lead unit by default) sends the document back as outside its
        remit, with the reason."""
        self._do(document_id, "send_back", by, at, reason=reason, unit=unit)

    def explain_delay(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        reason: str,
        expected_by: date | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """说明: the lead unit says why it cannot meet the deadline, before it passes."""
        self._do(document_id, "explain_delay", by, at, reason=reason, expected_by=expected_by)

    def handle(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        result: str,
        at: datetime | str | None = None,
    ) -> None:
        """办结: the lead unit records the outcome."""
        self._do(document_id, "handle", by, at, result=result)

    def reply(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        content: str,
        at: datetime | str | None = None,
    ) -> None:
        """答复: the lead unit tells the sender the outcome."""
        self._do(document_id, "reply_to_sender", by, at, content=content)

    # --- 传阅 --------------------------------------------------------------------------------

    def circulate(
        self,
        document_id: uuid.UUID | str,
        *,
        to: Iterable[str],
        by: str,
        at: datetime | str | None = None,
    ) -> None:
        """传阅: send the document to readers (never twice to the same reader)."""
        self._do(document_id, "circulate", by, at, to=to)

    def confirm_read(
        self, document_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """阅毕: a reader who holds the document returns it, read."""
        self._do(document_id, "confirm_read", by, at)

    # --- 催办、归档 ---------------------------------------------------------------------------

    def urge(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        channel: IncomingUrgeChannel | str = IncomingUrgeChannel.PHONE,
        note: str = "",
        at: datetime | str | None = None,
    ) -> None:
        """催办: the receiving secretary or a supervision officer chases the document."""
        how = coerce_enum(IncomingUrgeChannel, channel, "催办方式")
        self._do(
            document_id,
            "urge",
            by,
            at,
            channel=how,
            note=note,
            cadence=self.cadence,
            calendar=self.office.calendar,
        )

    def archive(
        self, document_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        """归档: the original stays with the lead unit, co-handling units keep copies."""
        self._do(document_id, "archive", by, at)

    def find_by_receipt_number(self, number: ReceiptNumber | str) -> IncomingDocument:
        """The document registered under a 收文编号 (a value or its printed form)."""
        number = ReceiptNumber.parse(number)
        record_id = self._numbered(RECEIPT_NUMBER_SERIES, number.code, number.year, number.serial)
        if record_id is not None:
            return self.get(record_id)
        raise RecordNotFound("收文编号", str(number))

    # --- the time-driven step ------------------------------------------------------------

    def _is_finished(self, doc: IncomingDocument) -> bool:
        """A document that can no longer be open is never urged again."""
        return doc.status not in _MAY_BE_OPEN

    def tick(self, at: datetime | str) -> list[Decision]:
        """催办、逾期: record, for every open document, the deadline passed and the urge the
        cadence makes due at business time ``at``, each exactly once however often this
        runs (what is due is computed from what the document has already recorded; two
        concurrent ticks conflict on save, and the retry finds nothing left to do).
        Returns what it recorded."""
        when = self._when(at)
        zone = self.office.time_zone
        calendar = self.office.calendar
        recorded: list[Decision] = []
        # copied (to decide) only when something is due; never again once it cannot be open
        for doc in self._ticking():
            if doc.status in OPEN and (
                doc.overdue_due(when, zone)
                or doc.due_urge(cadence=self.cadence, calendar=calendar, at=when, zone=zone)
            ):
                recorded.extend(self._tick_one(doc.id, when, zone))
        return recorded

    def _tick_one(self, record_id: uuid.UUID, when: pendulum.DateTime, zone: str) -> list[Decision]:
        calendar = self.office.calendar

        def attempt() -> list[Decision]:
            doc = self.get(record_id)
            if doc.overdue_due(when, zone):
                doc.record_overdue(at=when, zone=zone)
            if doc.due_urge(cadence=self.cadence, calendar=calendar, at=when, zone=zone):
                doc.record_due_urge(cadence=self.cadence, calendar=calendar, at=when, zone=zone)
            if not doc.pending_events:
                return []
            new = decisions(doc.pending_events)
            self.store.save(doc, hand_over=True)
            return new

        return self.store.run(attempt, record_id)

    # --- plumbing ----------------------------------------------------------------------

    def _table(self, org: Organisation) -> RoutingTable:
        if self._routing_table is not None:
            return self._routing_table
        return self._default_table(org)


def _names(org: Organisation, at: pendulum.DateTime) -> dict[str, str]:
    """How a clerk reads the ids in routing reasons: units and people by name."""
    names: dict[str, str] = {u: org.unit_name(u, at) for u in org.units}
    names.update({p: person.name for p, person in org.people.items()})
    return names
