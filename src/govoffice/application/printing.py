"""印制 the issued document itself: what is printed, built from the record as of a version.

A 公文 is printed from its record, never retyped (ADR 0045): :func:`printed_document` builds
the document *as printed* — the elements of GB/T 9704-2012 in their three zones 版头, 主体
and 版记 — from an :class:`OutgoingDocument` (or a :class:`Meeting`'s minutes) as it stood at
one version, and a :class:`DocumentRenderer` (a port; the GB/T 9704 DOCX and PDF writers are
adapters) lays it out and writes the file.

The render is part of the record (ADR 0046): ``office.documents.print_copies(...,
render="pdf")`` records, in its ``Printed`` event, the version rendered, the file's SHA-256,
the number of copies in it and the renderer; :meth:`PrintingService.verify` (also
``office.audit.verify_print``) renders that version again and compares, and compares a
file's bytes with the recorded digest.

What can be rendered as a numbered 公文: a version that carries a 发文字号 (registered; or
minutes numbered by the general office). A version before that is refused
(:class:`NotYetNumbered`) — a draft is never printed as if it were issued. The text printed
is the text as of the version; the record's own history must show that every change of the
发文稿纸 after 签发 came from an ``AmendmentApproved`` of the original signer (or the copy
count of 登记), else the version is refused (:class:`TextChangedAfterSigning`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs
import pendulum
from eventsourcing.utils import resolve_topic

from govoffice.application.app import as_uuid
from govoffice.domain.document import (
    Classification,
    Disclosure,
    DocType,
    OutgoingDocument,
    PrintRendering,
    Urgency,
)
from govoffice.domain.document_format import (
    UPWARD_TYPES,
    TextParagraph,
    read_text,
    signers,
    signing_date,
    written_date,
)
from govoffice.domain.errors import GovOfficeError, InvalidInput, RecordNotFound, RuleViolation
from govoffice.domain.meeting import Meeting
from govoffice.domain.meeting_rules import AttendanceFact
from govoffice.domain.organisation import Organisation, UnitFunction

if TYPE_CHECKING:
    from govoffice.application.office import Office

FORMATS = ("pdf", "docx")
"""The file formats a renderer writes: PDF (the print master, fonts embedded) and DOCX (for
WPS and Word, fonts named)."""

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- the document as printed ------------------------------------------------------------


@attrs.frozen
class PrintedDocument:
    """公文 as printed: every element of GB/T 9704-2012, by zone, for one copy.

    ``layout`` is ``document`` (文件格式), ``letter`` (信函格式, 10.1) or ``minutes``
    (纪要格式, 10.3). Texts are as printed (dates in Arabic numerals, unpadded).
    """

    layout: str
    record_id: uuid.UUID
    version: int
    # 版头
    copy_number: str | None
    secrecy: str | None
    urgency: str | None
    mark: tuple[str, ...]
    mark_suffix: str
    number: str
    signers: tuple[str, ...]
    # 主体
    title: str
    main_recipients: tuple[str, ...]
    paragraphs: tuple[TextParagraph, ...]
    attachments: tuple[str, ...]
    signatures: tuple[str, ...]
    date: str
    note: str | None
    attendance: tuple[tuple[str, tuple[str, ...]], ...]
    # 版记
    copy_to_label: str
    copy_to: tuple[str, ...]
    printed_by: str
    printed_on: str
    issued: dt.date

    @property
    def upward(self) -> bool:
        """上行文: the 发文字号 on the left and the 签发人 on the right (GB/T 9704 7.2.5-7.2.6)."""
        return bool(self.signers)

    def zones(self) -> list[tuple[str, str, str]]:
        """Every element printed, in reading order: ``(zone, element, text)`` with zone
        版头, 主体 or 版记 — what a reader of the rendered file must find, in this order."""
        head: list[tuple[str, str]] = []
        if self.copy_number:
            head.append(("份号", self.copy_number))
        if self.secrecy:
            head.append(("密级和保密期限", self.secrecy))
        if self.urgency:
            head.append(("紧急程度", self.urgency))
        head.extend(("发文机关标志", line) for line in self.mark)
        if self.mark_suffix:
            head.append(("发文机关标志", self.mark_suffix))
        head.append(("发文字号", self.number))
        if self.layout == "minutes":
            head.append(("印发机关", self.printed_by))
            head.append(("成文日期", self.date))
        if self.signers:
            head.append(("签发人", "签发人：" + "　".join(self.signers)))
        main: list[tuple[str, str]] = [("标题", self.title)]
        if self.main_recipients:
            main.append(("主送机关", "、".join(self.main_recipients) + "："))
        main.extend(("正文", p.text) for p in self.paragraphs)
        if self.attachments:
            main.append(("附件说明", "附件："))
            main.extend(("附件说明", name) for name in self.attachments)
        for label, names in self.attendance:
            main.append(("纪要出席", f"{label}："))
            main.extend(("纪要出席", n) for n in names)
        main.extend(("发文机关署名", name) for name in self.signatures)
        if self.layout != "minutes":
            main.append(("成文日期", self.date))
        if self.note:
            main.append(("附注", self.note))
        imprint: list[tuple[str, str]] = []
        if self.copy_to:
            imprint.append(("抄送机关", f"{self.copy_to_label}："))
            imprint.extend(("抄送机关", c) for c in self.copy_to)
        if self.layout != "letter":
            imprint.append(("印发机关", self.printed_by))
            imprint.append(("印发日期", f"{self.printed_on}印发"))
        return (
            [("版头", e, t) for e, t in head]
            + [("主体", e, t) for e, t in main]
            + [("版记", e, t) for e, t in imprint]
        )


@runtime_checkable
class DocumentRenderer(Protocol):
    """The port a layout adapter implements (e.g. :mod:`govoffice.adapters.gbt9704`)."""

    @property
    def formats(self) -> tuple[str, ...]:
        """The file formats it writes (``pdf``, ``docx``)."""
        ...

    def identity(self, fmt: str) -> str:
        """What made the file: renderer, library versions and the layout table's
        fingerprint — recorded with every rendering, so a later re-render can tell a changed
        renderer from a changed record."""
        ...

    def render(self, copies: Sequence[PrintedDocument], fmt: str) -> bytes:
        """One file holding ``copies`` in order (several when copies carry 份号)."""
        ...


@attrs.frozen
class RenderedFile:
    """A rendered file and what :class:`PrintRendering` records of it."""

    content: bytes = attrs.field(repr=False)
    record: PrintRendering
    filename: str

    @property
    def digest(self) -> str:
        return self.record.digest

    @property
    def format(self) -> str:
        return self.record.format

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.record.format]


# --- errors -------------------------------------------------------------------------------


class RendererUnavailable(GovOfficeError):
    def __init__(self) -> None:
        super().__init__(
            "本办公系统未配置公文版式渲染器 (open_office(..., renderer=...); no renderer)"
        )


class NotYetNumbered(RuleViolation):
    """A version without a 发文字号 is never printed as an issued 公文."""

    def __init__(self, record_id: object, version: int) -> None:
        super().__init__(
            f"记录 {record_id} 在版本 {version} 尚未签发编号,没有发文字号,不能印制为正式公文 "
            "(not numbered at that version)",
            record_id=record_id,
            version=version,
        )


class TextChangedAfterSigning(RuleViolation):
    """The record shows a change of the 发文稿纸 after 签发 not approved by the signer."""

    def __init__(self, record_id: object, version: int, event: str) -> None:
        super().__init__(
            f"公文 {record_id} 签发后在版本 {version} 被 {event} 改动,未经原签发人批准修改,"
            "不能以其发文字号印制 (text changed after signing without AmendmentApproved)",
            record_id=record_id,
            version=version,
            event=event,
        )


# --- building the document as printed -------------------------------------------------------

DISCLOSURE_NOTES = {
    Disclosure.PROACTIVE: "（此件公开发布）",
    Disclosure.ON_REQUEST: "（此件依申请公开）",
    Disclosure.NOT_DISCLOSED: "（此件不予公开）",
}
"""附注 of the 公开属性 (GB/T 9704-2012 7.3.6: 居左空二字加圆括号编排在成文日期下一行)."""


def general_office(org: Organisation) -> str:
    """印发机关: the agency's general office (办公室), as the 版记 names it."""
    for unit_id in org.units_with(UnitFunction.GENERAL_OFFICE):
        return f"{org.agency}{org.unit(unit_id).name}"
    return org.agency


def printed_document(
    doc: OutgoingDocument, org: Organisation, *, print_day: date, copy: int | None = None
) -> PrintedDocument:
    """The 公文 as printed from ``doc`` (a registered version) for copy ``copy`` (its 份号,
    printed when the document is classified [条例 第九条(一)])."""
    if doc.number is None:
        raise NotYetNumbered(doc.id, doc.version)
    form = doc.form
    letter = form.doc_type is DocType.LETTER
    issuers = (org.agency, *form.co_issuers)
    day = signing_date(doc, org)
    if day is None:  # pragma: no cover - a numbered document has been signed
        raise NotYetNumbered(doc.id, doc.version)
    classified = form.classification is not Classification.NONE
    if form.doc_type is DocType.REQUEST and form.drafter_phone.strip():
        drafter = org.people.get(doc.drafter)
        who = drafter.name if drafter is not None else doc.drafter
        note: str | None = f"（联系人：{who}，电话：{form.drafter_phone.strip()}）"
    else:
        note = None if classified else DISCLOSURE_NOTES[form.disclosure]
    upward = form.doc_type.value in UPWARD_TYPES
    return PrintedDocument(
        layout="letter" if letter else "document",
        record_id=doc.id,
        version=doc.version,
        copy_number=f"{copy or 1:06d}" if classified else None,
        secrecy=f"{form.classification.label}★{form.secrecy_period}" if classified else None,
        urgency=form.urgency.label if form.urgency is not Urgency.NORMAL else None,
        mark=(org.agency,) if letter else issuers,
        mark_suffix="" if letter else "文件",
        number=str(doc.number),
        signers=tuple(n or "" for n in signers(doc, org)) if upward else (),
        title=form.title,
        main_recipients=form.main_recipients,
        paragraphs=read_text(form.text, issuers).paragraphs,
        attachments=form.attachments,
        signatures=issuers,
        date=written_date(day),
        note=note,
        attendance=(),
        copy_to_label="抄送",
        copy_to=form.copy_recipients,
        printed_by=general_office(org),
        printed_on=written_date(print_day),
        issued=print_day,
    )


ATTENDANCE_LABELS = (
    ("出席", (AttendanceFact.PRESENT, AttendanceFact.LATE, AttendanceFact.LEFT_EARLY)),
    ("请假", (AttendanceFact.ON_LEAVE, AttendanceFact.SUBSTITUTED)),
)


def printed_minutes(
    meeting: Meeting,
    org: Organisation,
    *,
    signed_on: date,
    print_day: date,
) -> PrintedDocument:
    """The minutes (纪要格式, GB/T 9704-2012 10.3) of a meeting whose minutes are signed and
    numbered: 出席 and 请假 from the attendance facts (a substitute who attended for someone
    on leave is listed under 列席), 分送 from the distribution of the meeting's kind."""
    if meeting.minutes is None or meeting.minutes_number is None:
        raise NotYetNumbered(meeting.id, meeting.version)

    def name(person: str) -> str:
        found = org.people.get(person)  # type: ignore[call-overload]
        return found.name if found is not None else person

    attendance: list[tuple[str, tuple[str, ...]]] = []
    entries = meeting.attendance or ()
    for label, facts in ATTENDANCE_LABELS:
        names = tuple(name(a.person) for a in entries if a.facts and a.facts[0] in facts)
        if names:
            attendance.append((label, names))
    sitting_in = tuple(
        f"{name(a.substitute)}（代{name(a.person)}）"
        for a in entries
        if a.substitute is not None and AttendanceFact.SUBSTITUTED in a.facts
    )
    if sitting_in:
        attendance.append(("列席", sitting_in))
    groups = meeting.minutes_distributed_to or meeting.distribution_list(
        org, meeting.last_at or pendulum.now()
    )
    copy_to = tuple(
        org.units[g].name if g in org.units else name(g)  # type: ignore[index]
        for g in groups
    )
    return PrintedDocument(
        layout="minutes",
        record_id=meeting.id,
        version=meeting.version,
        copy_number=None,
        secrecy=None,
        urgency=None,
        mark=(f"{org.agency}{meeting.kind.label}",),
        mark_suffix="纪要",
        number=str(meeting.minutes_number),
        signers=(),
        title=meeting.title,
        main_recipients=(),
        paragraphs=read_text(meeting.minutes.text).paragraphs,
        attachments=(),
        signatures=(),
        date=written_date(signed_on),
        note=None,
        attendance=tuple(attendance),
        copy_to_label="分送",
        copy_to=copy_to,
        printed_by=general_office(org),
        printed_on=written_date(print_day),
        issued=print_day,
    )


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- checking the record before printing it ---------------------------------------------------


def check_signed_text(events: Sequence[Any], version: int) -> None:
    """Replay ``events`` up to ``version``: after ``Signed``, the 发文稿纸 (text and fields)
    may change only by ``AmendmentApproved`` (and the copy count by ``Registered``)."""
    state: Any = None
    signed = False
    for event in events[:version]:
        before = state.form if state is not None else None
        state = event.mutate(state)
        name = type(event).__name__
        if name == "Signed":
            signed = True
        elif signed and _unapproved_change(name, before, state.form):
            raise TextChangedAfterSigning(state.id, state.version, name)


def _unapproved_change(event: str, before: Any, after: Any) -> bool:
    if after == before or event == "AmendmentApproved":
        return False
    if event == "Registered" and before is not None:
        return bool(attrs.evolve(after, copies=before.copies) != before)
    return True


# --- the service ------------------------------------------------------------------------------


@attrs.frozen
class PrintVerification:
    """核对印制文件: does a printed file match the version that was signed and printed?

    ``recorded`` is what 印制 recorded (None for a print recorded without a rendering);
    ``rerendered`` the digest of rendering that version again now; ``given`` the digest
    of the file handed in (if any); ``problem`` why the version could not be rendered."""

    record_id: uuid.UUID
    printed_version: int
    printed_at: pendulum.DateTime
    recorded: PrintRendering | None
    rerendered: str | None
    renderer_now: str | None
    given: str | None
    problem: str | None = None

    @property
    def record_reproduced(self) -> bool | None:
        """The record renders again to the recorded file (None: nothing recorded)."""
        if self.recorded is None:
            return None
        return self.rerendered == self.recorded.digest

    @property
    def file_matches(self) -> bool | None:
        """The given file is the recorded one (or, with nothing recorded, the one the
        printed version renders to now); None when no file was given."""
        if self.given is None:
            return None
        expected = self.recorded.digest if self.recorded is not None else self.rerendered
        return self.given == expected

    @property
    def ok(self) -> bool:
        checks = [c for c in (self.record_reproduced, self.file_matches) if c is not None]
        return self.problem is None and bool(checks) and all(checks)

    def describe(self) -> str:
        lines = [
            f"公文 {self.record_id}: 印制于 {self.printed_at.isoformat()} (版本 {self.printed_version})"
        ]
        r = self.recorded
        if r is None:
            lines.append("印制时未记录印制文件 (no rendering recorded with this print)")
        else:
            lines.append(
                f"记录: 版本 {r.version} 的 {r.format} 文件, {r.copies} 份, {r.size} 字节, "
                f"SHA-256 {r.digest}; 渲染器 {r.renderer}"
            )
        if self.problem:
            lines.append(f"不能重新生成: {self.problem}")
        elif self.rerendered is not None:
            same = {True: "一致 matches", False: "不一致 DIFFERS", None: "—"}
            lines.append(f"重新生成: SHA-256 {self.rerendered} — {same[self.record_reproduced]}")
            if r is not None and self.renderer_now != r.renderer and not self.record_reproduced:
                lines.append(
                    f"  渲染器或版式表已变更 (now {self.renderer_now}): 摘要不同可能源于渲染器,"
                    "请以当时的渲染器核对"
                )
        if self.given is not None:
            verdict = "是 IS" if self.file_matches else "不是 IS NOT"
            lines.append(f"所给文件 SHA-256 {self.given}: {verdict} 所印制的文件")
        lines.append("结论: 一致 OK" if self.ok else "结论: 不一致或无法核对 NOT VERIFIED")
        return "\n".join(lines)


class PrintingService:
    """印制: the document as printed, its rendering, and checking a printed file against
    the record. Reached as ``office.printing``; documents and minutes alike."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.store = office.store

    # --- the model ---------------------------------------------------------------------

    def record_type(self, record_id: object) -> type[Any]:
        rid = as_uuid(record_id, "记录")
        first = self.store.events(rid)[0]
        topic = getattr(first, "originator_topic", None)
        cls = resolve_topic(topic) if isinstance(topic, str) else None
        if cls not in (OutgoingDocument, Meeting):
            raise RecordNotFound("公文或会议纪要", rid)
        return cls  # type: ignore[no-any-return]

    def model(
        self,
        record_id: object,
        *,
        version: int | None = None,
        copies: Sequence[int] | None = None,
        print_day: date | None = None,
    ) -> tuple[PrintedDocument, ...]:
        """The document as printed, one per copy (``copies``: the 份号 to print; by default
        copy 1), from the record as of ``version`` (the latest by default)."""
        rid = as_uuid(record_id, "记录")
        cls = self.record_type(rid)
        events = self.store.events(rid, cls.KIND)
        if version is not None:
            if isinstance(version, bool) or not isinstance(version, int) or version < 1:
                raise InvalidInput(f"版本号 {version!r} 必须是正整数 (version)", version=version)
            if version > len(events):
                raise RecordNotFound(f"{cls.KIND}(版本 {version})", rid)
        upto = version or len(events)
        record: Any = self.store.get(cls, rid, version=upto)
        org = self._org_at(record.last_at)
        if cls is OutgoingDocument:
            if record.number is None:
                raise NotYetNumbered(rid, upto)
            check_signed_text(events, upto)
            day = print_day or self._print_day(events[:upto], org)
            return tuple(
                printed_document(record, org, print_day=day, copy=n) for n in (copies or (1,))
            )
        signed = [e for e in events[:upto] if type(e).__name__ == "MinutesSigned"]
        if not signed or record.minutes_number is None:
            raise NotYetNumbered(rid, upto)
        distributed = [e for e in events[:upto] if type(e).__name__ == "MinutesDistributed"]
        at = getattr(distributed[-1] if distributed else signed[-1], "at", None)
        return (
            printed_minutes(
                record,
                org,
                signed_on=org.day_of(signed[-1].at),  # type: ignore[attr-defined]
                print_day=print_day or org.day_of(at or self.office.clock.now()),
            ),
        )

    def _org_at(self, at: pendulum.DateTime | None) -> Organisation:
        if at is None:  # pragma: no cover - every recorded event has a business time
            return self.office.org.as_of_time(self.office.clock.now())
        return self.office.org.as_of_time(at)

    def _print_day(self, events: Sequence[Any], org: Organisation) -> date:
        """印发日期: the day of the latest 印制 in ``events``; before any, today (the office
        clock, agency-local): a preview of what 印制 would print today."""
        printed = [e for e in events if type(e).__name__ == "Printed"]
        return org.day_of(printed[-1].at if printed else self.office.clock.now())

    # --- rendering ---------------------------------------------------------------------

    @property
    def renderer(self) -> DocumentRenderer:
        renderer = getattr(self.office, "renderer", None)
        if renderer is None:
            raise RendererUnavailable()
        return renderer  # type: ignore[no-any-return]

    def check_format(self, fmt: object) -> str:
        """``fmt`` if the renderer writes it, else :class:`InvalidInput`."""
        return self._format(fmt)

    def _format(self, fmt: object) -> str:
        if fmt not in self.renderer.formats:
            raise InvalidInput(
                f"文件格式 {fmt!r} 不支持,可选: {'、'.join(self.renderer.formats)} (format)",
                format=fmt,
            )
        return str(fmt)

    def render(
        self,
        record_id: object,
        *,
        format: str = "pdf",
        version: int | None = None,
        copy: int | None = None,
    ) -> bytes:
        """The file of a 公文 (or minutes) as of ``version``: ``pdf`` or ``docx`` bytes.
        ``copy`` is the 份号 to print on a classified document (1 by default)."""
        fmt = self._format(format)
        if copy is not None and (isinstance(copy, bool) or not isinstance(copy, int) or copy < 1):
            raise InvalidInput(f"份号 {copy!r} 必须是正整数 (copy number)")
        models = self.model(record_id, version=version, copies=(copy,) if copy else None)
        return self.renderer.render(models, fmt)

    def print_job(
        self,
        doc: OutgoingDocument,
        org: Organisation,
        *,
        fmt: str,
        print_day: date,
        copies: int | None = None,
    ) -> RenderedFile:
        """The file 印制 prints from ``doc`` as it stands: every numbered copy in one file
        when the document carries 份号, else one master copy."""
        fmt = self._format(fmt)
        events = self.store.events(doc.id, OutgoingDocument.KIND)[: doc.version]
        check_signed_text(events, doc.version)
        numbered = doc.form.classification is not Classification.NONE
        count = (copies or doc.form.copies) if numbered else 1
        models = [
            printed_document(doc, org, print_day=print_day, copy=n) for n in range(1, count + 1)
        ]
        content = self.renderer.render(models, fmt)
        number = str(doc.number or doc.id)
        return RenderedFile(
            content=content,
            record=PrintRendering(
                version=doc.version,
                format=fmt,
                digest=file_digest(content),
                size=len(content),
                copies=count,
                renderer=self.renderer.identity(fmt),
            ),
            filename=f"{number}.{fmt}",
        )

    # --- checking a printed file --------------------------------------------------------

    def verify(
        self, record_id: object, *, file: bytes | None = None, printing: int | None = None
    ) -> PrintVerification:
        """核对: render again the version a 印制 recorded (the last one, or the
        ``printing``-th, from 1) and compare with its recorded digest; compare ``file``'s
        bytes too when given."""
        rid = as_uuid(record_id, "公文")
        events = self.store.events(rid, OutgoingDocument.KIND)
        prints = [(i + 1, e) for i, e in enumerate(events) if type(e).__name__ == "Printed"]
        if not prints:
            raise RecordNotFound("印制记录", rid)
        if printing is not None and not (
            isinstance(printing, int) and 1 <= printing <= len(prints)
        ):
            raise InvalidInput(f"第 {printing!r} 次印制不存在 (there are {len(prints)})")
        printed_version, printed = prints[(printing or len(prints)) - 1]
        at: pendulum.DateTime = printed.at  # type: ignore[attr-defined]
        recorded: PrintRendering | None = getattr(printed, "rendering", None)
        if file is not None and not isinstance(file, bytes | bytearray):
            raise InvalidInput("所给文件须为字节 (file must be bytes)")
        given = file_digest(bytes(file)) if file is not None else None
        version = recorded.version if recorded is not None else printed_version - 1
        fmt = recorded.format if recorded is not None else "pdf"
        rerendered: str | None = None
        problem: str | None = None
        renderer_now: str | None = None
        try:
            doc = self.office.documents.get(rid, version=version)
            org = self._org_at(at)
            job = self.print_job(
                doc,
                org,
                fmt=fmt,
                print_day=org.day_of(at),
                copies=recorded.copies if recorded is not None else None,
            )
            rerendered, renderer_now = job.digest, job.record.renderer
        except GovOfficeError as e:
            problem = f"{type(e).__name__}: {e}"
        return PrintVerification(
            record_id=rid,
            printed_version=printed_version,
            printed_at=at,
            recorded=recorded,
            rerendered=rerendered,
            renderer_now=renderer_now,
            given=given,
            problem=problem,
        )


__all__ = [
    "FORMATS",
    "DocumentRenderer",
    "NotYetNumbered",
    "PrintVerification",
    "PrintedDocument",
    "PrintingService",
    "RenderedFile",
    "RendererUnavailable",
    "TextChangedAfterSigning",
    "printed_document",
    "printed_minutes",
]
