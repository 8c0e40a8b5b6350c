"""``office.documents``: outgoing documents (发文) from draft to archive."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pendulum

from govoffice.application.history import Decision
from govoffice.application.services import AreaService
from govoffice.domain.document import (
    BEFORE_SIGNING,
    CountersignParty,
    DocumentStatus,
    OutgoingDocument,
    RetentionPeriod,
    Urgency,
)
from govoffice.domain.errors import RecordNotFound
from govoffice.domain.organisation import Organisation
from govoffice.domain.values import DocumentNumber

INTERNAL_COUNTERSIGN_DAYS = 1
"""[001 发文 五(三)2] 办理局内会签应当在1个工作日内予以回复."""
EXTERNAL_COUNTERSIGN_DAYS = 5
"""[001 发文 五(三)2] 办理局外会签应当在5个工作日内予以回复."""

DOCUMENT_NUMBER_SERIES = "发文字号"


class DocumentService(AreaService[OutgoingDocument]):
    """发文: every command takes ``by=`` (the acting person) and ``at=`` (business time,
    filled from the office clock when omitted)."""

    record_type = OutgoingDocument

    def draft(self, *, by: str, at: datetime | str | None = None, **fields: Any) -> uuid.UUID:
        """拟稿: the fields of the 发文稿纸 (see :class:`~govoffice.domain.document.DraftForm`)."""
        who, when = self._who(by), self._when(at)
        return self._create(lambda org: OutgoingDocument.draft(org=org, by=who, at=when, **fields))

    def revise(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        at: datetime | str | None = None,
        **changes: Any,
    ) -> None:
        self._do(document_id, "revise", by, at, **changes)

    def submit_for_review(
        self, document_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(document_id, "submit_for_review", by, at)

    def review(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "同意",
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "review", by, at, opinion=opinion)

    def return_for_revision(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            document_id, "return_for_revision", by, at, opinion=opinion, on_behalf_of=on_behalf_of
        )

    def request_countersign(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        units: Iterable[str] = (),
        agencies: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> dict[str, date]:
        """送会签 to units of the agency and/or outside agencies; returns each party's reply
        date: 1 working day inside, 5 outside [001 发文 五(三)2], no later than a 特急
        draft's own countersign deadline."""
        parties = [CountersignParty.unit(u) for u in units] + [
            CountersignParty.agency(a) for a in agencies
        ]
        when = self._when(at)
        calendar = self.office.calendar

        def decide(doc: OutgoingDocument, org: Organisation) -> dict[str, date]:
            due: dict[str, date] = {}
            for p in parties:
                days = INTERNAL_COUNTERSIGN_DAYS if p.id in org.units else EXTERNAL_COUNTERSIGN_DAYS
                due[p.id] = calendar.add_working_days(when.date(), days)
                urgent = doc.form.urgent_deadlines
                if doc.form.urgency is Urgency.EXTRA_URGENT and urgent is not None:
                    due[p.id] = min(due[p.id], urgent.countersign_by.date())
            doc.request_countersign(org=org, parties=parties, due=due, by=self._who(by), at=when)
            return due

        return self._change(document_id, decide)

    def countersign(
        self,
        document_id: uuid.UUID | str,
        *,
        party: str,
        agree: bool,
        by: str,
        opinion: str = "",
        signatory: str | None = None,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            document_id,
            "countersign",
            by,
            at,
            party=party,
            agree=agree,
            opinion=opinion,
            signatory=signatory,
            on_behalf_of=on_behalf_of,
        )

    def deem_agreed(
        self, document_id: uuid.UUID | str, *, party: str, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(document_id, "deem_agreed", by, at, party=party)

    def resolve_opinion(
        self,
        document_id: uuid.UUID | str,
        *,
        party: str,
        adopted: bool,
        by: str,
        reason: str = "",
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            document_id, "resolve_opinion", by, at, party=party, adopted=adopted, reason=reason
        )

    def submit_to_office(
        self, document_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(document_id, "submit_to_office", by, at)

    def office_check(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "同意",
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "office_check", by, at, opinion=opinion)

    def office_review(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "拟同意,呈局领导签发",
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "office_review", by, at, opinion=opinion)

    def sign(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        opinion: str = "",
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "sign", by, at, opinion=opinion, on_behalf_of=on_behalf_of)

    def co_sign(
        self,
        document_id: uuid.UUID | str,
        *,
        agency: str,
        signatory: str,
        by: str,
        opinion: str = "同意",
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            document_id, "co_sign", by, at, agency=agency, signatory=signatory, opinion=opinion
        )

    def approve_amendment(
        self,
        document_id: uuid.UUID | str,
        *,
        text: str,
        reason: str,
        by: str,
        on_behalf_of: str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        self._do(
            document_id,
            "approve_amendment",
            by,
            at,
            text_after=text,
            reason=reason,
            on_behalf_of=on_behalf_of,
        )

    def register(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        distribution_scope: str,
        copies: int,
        at: datetime | str | None = None,
    ) -> DocumentNumber:
        """登记: take the next number of the issuer's series for the year and register the
        document with it, in one atomic save (gapless, no duplicates; ADR 0003)."""
        who, when = self._who(by), self._when(at)

        def attempt() -> DocumentNumber:
            doc = self.get(document_id)
            org = self._org()
            series = self._series(
                DOCUMENT_NUMBER_SERIES, doc.form.issuer_code, when.year, who, when
            )
            serial = series.take(for_record=doc.id, by=who, at=when)
            number = DocumentNumber(doc.form.issuer_code, when.year, serial)
            doc.register(
                org=org,
                number=number,
                distribution_scope=distribution_scope,
                copies=copies,
                by=who,
                at=when,
            )
            self.store.save(doc, series, hand_over=True)
            return number

        return self.store.run(attempt, document_id)

    def recheck(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        findings: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "recheck", by, at, findings=findings)

    def print_copies(
        self, document_id: uuid.UUID | str, *, site: str, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(document_id, "print_copies", by, at, site=site)

    def check_print(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        findings: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "check_print", by, at, findings=findings)

    def distribute(
        self, document_id: uuid.UUID | str, *, by: str, at: datetime | str | None = None
    ) -> None:
        self._do(document_id, "distribute", by, at)

    def archive(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        retention: RetentionPeriod | str | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """归档 with the 保管期限 (永久 / 定期30年 / 定期10年; by default
        :func:`~govoffice.domain.document.suggested_retention`)."""
        self._do(document_id, "archive", by, at, retention=retention)

    def withdraw(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        reason: str,
        at: datetime | str | None = None,
    ) -> None:
        self._do(document_id, "withdraw", by, at, reason=reason)

    def find_by_number(self, number: DocumentNumber | str) -> OutgoingDocument:
        """The document registered under a 发文字号."""
        parsed = number if isinstance(number, DocumentNumber) else DocumentNumber.parse(number)
        record_id = self._numbered(
            DOCUMENT_NUMBER_SERIES, parsed.issuer_code, parsed.year, parsed.serial
        )
        if record_id is not None:
            return self.get(record_id)
        raise RecordNotFound("发文字号", str(parsed))

    def tick(self, at: pendulum.DateTime) -> list[Decision]:
        """Countersign parties silent past their reply date are deemed to agree
        [001 发文 五(三)2]; exactly once each, however often it runs."""
        recorded: list[Decision] = []
        # a signed or withdrawn document is never countersigned again
        for doc in self._ticking(lambda d: d.status not in BEFORE_SIGNING):
            if doc.status is not DocumentStatus.COUNTERSIGNING:
                continue
            last_at = getattr(doc, "last_at", None)
            if last_at is not None and at < last_at:
                continue  # a later decision: waits for the next tick (never dated backwards)
            record_id = doc.id
            before = doc.version
            if self._change(record_id, lambda d, _org: d.deem_overdue_agreed(at=at)):
                recorded.extend(h for h in self.history(record_id) if h.version > before)
        return recorded

    # --- plumbing ----------------------------------------------------------------------
