"""``office.documents``: outgoing documents (发文) from draft to archive."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pendulum

from govoffice.application.history import Decision
from govoffice.application.printing import RenderedFile
from govoffice.application.services import AreaService
from govoffice.domain.correspondents import CorrespondentDirectory
from govoffice.domain.document import (
    BEFORE_SIGNING,
    CountersignParty,
    DocumentStatus,
    OutgoingDocument,
    RetentionPeriod,
    Urgency,
)
from govoffice.domain.document_format import FormatContext, FormatFinding
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
                due[p.id] = calendar.add_working_days(org.day_of(when), days)
                urgent = doc.form.urgent_deadlines
                if doc.form.urgency is Urgency.EXTRA_URGENT and urgent is not None:
                    due[p.id] = min(due[p.id], org.day_of(urgent.countersign_by))
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
        changes: dict[str, Any] | None = None,
        at: datetime | str | None = None,
    ) -> None:
        """原签发人批准修改: the new ``text`` and, in ``changes``, amended fields of the
        发文稿纸 that 复核 may find wrong (title, recipients, attachments, secrecy period)."""
        self._do(
            document_id,
            "approve_amendment",
            by,
            at,
            text_after=text,
            reason=reason,
            on_behalf_of=on_behalf_of,
            changes=changes,
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
            doc, org, series = self._numbering(
                document_id, DOCUMENT_NUMBER_SERIES, lambda d, _: d.form.issuer_code, who, when
            )
            year = org.day_of(when).year
            serial = series.take(for_record=doc.id, by=who, at=when)
            number = DocumentNumber(doc.form.issuer_code, year, serial)
            doc.register(
                org=org,
                number=number,
                distribution_scope=distribution_scope,
                copies=copies,
                by=who,
                at=when,
            )
            self._save(org, doc, series)
            return number

        return self.store.run(attempt, document_id)

    def recheck(
        self,
        document_id: uuid.UUID | str,
        *,
        by: str,
        findings: Iterable[str] = (),
        at: datetime | str | None = None,
    ) -> tuple[str, ...]:
        """复核: the reviewer's findings and those of the format checks (each citing its
        clause) are recorded as its outcome and returned; none means the document may be
        printed (ADR 0047)."""
        who, when = self._who(by), self._when(at)
        return self._change(
            document_id,
            lambda doc, org: doc.recheck(
                org=org,
                by=who,
                at=when,
                findings=findings,
                context=self.format_context(doc, org),
            ),
        )

    def format_findings(self, document_id: uuid.UUID | str) -> tuple[FormatFinding, ...]:
        """What the format checks of 复核 would find now (nothing recorded)."""
        doc = self.get(document_id)
        return doc.format_findings(self.format_context(doc, self._org()))

    def format_context(self, doc: OutgoingDocument, org: Organisation) -> FormatContext:
        """The facts the format checks read outside the document: the record the 发文字号
        series says holds its number, and the agency's 行文对象名录."""
        holder = None
        if doc.number is not None:
            n = doc.number
            holder = self._numbered(DOCUMENT_NUMBER_SERIES, n.issuer_code, n.year, n.serial)
        directory: CorrespondentDirectory | None = None
        with contextlib.suppress(RecordNotFound):
            directory = self.store.get(
                CorrespondentDirectory, CorrespondentDirectory.create_id(), for_reading=True
            )
        return FormatContext(org=org, number_holder=holder, directory=directory)

    def print_copies(
        self,
        document_id: uuid.UUID | str,
        *,
        site: str,
        by: str,
        render: str | None = None,
        at: datetime | str | None = None,
    ) -> RenderedFile | None:
        """印制. With ``render="pdf"`` (or ``"docx"``) the file to print is rendered from
        the record as it stands — every numbered copy of a classified document in one
        file — and the ``Printed`` event records its version, SHA-256 and renderer
        (ADR 0046); the file is returned. Without, the print is recorded as before."""
        who, when = self._who(by), self._when(at)
        printing = self.office.printing
        if render is not None:
            render = printing.check_format(render)

        def decide(doc: OutgoingDocument, org: Organisation) -> RenderedFile | None:
            if render is None:
                doc.print_copies(org=org, site=site, by=who, at=when)
                return None
            doc.check_printable(org=org, site=site, by=who, at=when)
            org_then = self.office.org.as_of_time(when)
            job = printing.print_job(doc, org_then, fmt=render, print_day=org_then.day_of(when))
            doc.print_copies(org=org, site=site, by=who, at=when, rendering=job.record)
            return job

        return self._change(document_id, decide)

    def render(
        self,
        document_id: uuid.UUID | str,
        *,
        format: str = "pdf",
        version: int | None = None,
        copy: int | None = None,
    ) -> bytes:
        """The 公文 laid out per GB/T 9704-2012 from the record as of ``version`` (the
        latest by default), as ``pdf`` or ``docx`` bytes. Only a registered version has a
        发文字号 and can be rendered (:class:`~govoffice.application.printing.NotYetNumbered`);
        ``copy`` is the 份号 of a classified document's copy (1 by default)."""
        self.get(document_id)
        return self.office.printing.render(document_id, format=format, version=version, copy=copy)

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

    def _is_finished(self, doc: OutgoingDocument) -> bool:
        """A signed or withdrawn document is never countersigned again."""
        return doc.status not in BEFORE_SIGNING

    def tick(self, at: pendulum.DateTime) -> list[Decision]:
        """Countersign parties silent past their reply date are deemed to agree
        [001 发文 五(三)2]; exactly once each, however often it runs."""
        recorded: list[Decision] = []
        # a signed or withdrawn document is never countersigned again
        for doc in self._ticking():
            if doc.status is not DocumentStatus.COUNTERSIGNING:
                continue
            last_at = getattr(doc, "last_at", None)
            if last_at is not None and at < last_at:
                continue  # a later decision: waits for the next tick (never dated backwards)
            record_id = doc.id
            before = doc.version
            if self._change(record_id, lambda d, org: d.deem_overdue_agreed(org=org, at=at)):
                recorded.extend(h for h in self.history(record_id) if h.version > before)
        return recorded

    # --- plumbing ----------------------------------------------------------------------
