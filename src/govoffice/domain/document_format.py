"""复核的格式检查 the format checks of 复核, and how a 正文 is read for printing.

复核 [001 发文 五(六)2] checks "审批和会签手续、内容、文种、格式" before a document is printed.
The checks that follow from 《党政机关公文处理工作条例》 (中办发〔2012〕14号, "条例") and
GB/T 9704-2012 《党政机关公文格式》 are rule functions here; :meth:`OutgoingDocument.recheck`
runs every one of them and refuses (:class:`FormatCheckFailed`, nothing recorded) while any
finds something. Each finding cites its clause.

The 正文 is free text typed by the drafter. :func:`read_text` reads it the way the printed
document will show it: paragraphs with the four heading levels of GB/T 9704 7.3.3
(``一、`` ``（一）`` ``1.`` ``（1）``), and — when the drafter typed them at the end, as one does in
a word processor — an 附件说明 block (``附件：1.XXX``), the 发文机关署名 and a 成文日期. The
printed document takes those from the record, so typed ones must agree with it (checked
here) and are not printed twice.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

import attrs

from govoffice.domain.correspondents import CorrespondentDirectory, Relation, relation_of
from govoffice.domain.organisation import Organisation

if TYPE_CHECKING:
    from govoffice.domain.document import OutgoingDocument

# --- reading the 正文 -------------------------------------------------------------------------

CN_NUMERALS = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{CN_NUMERALS}]+、")),
    (2, re.compile(rf"^[（(][{CN_NUMERALS}]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
"""GB/T 9704-2012 7.3.3: 文中结构层次序数依次可以用“一、”“（一）”“1.”“（1）”标注."""

_ATTACHMENT_HEAD = re.compile(r"^附件[：:]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(?P<n>\d+)[.．]\s*(?P<name>.+)$")
_DATE_LINE = re.compile(
    rf"^(?P<y>\d{{4}}|[{CN_NUMERALS}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{CN_NUMERALS}]{{1,3}})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|[{CN_NUMERALS}]{{1,4}})\s*日$"
)
_SENTENCE_END = "。；！？"
_CITES_ATTACHMENT = re.compile(r"(?:[见按如据照附填]|详见|参见|参照)附件|附件\s*\d")
"""The text refers the reader to an attachment (见附件, 按附件2填报, 附件1 ...), as opposed to
merely speaking of attachments."""
_INDENT = " \t\u3000"


@attrs.frozen
class TextParagraph:
    """One paragraph of the 正文: ``level`` 0 for plain text, 1-4 for the heading levels;
    ``heading`` is the length of the heading run (the whole paragraph when it is a heading
    line alone, else up to its first full stop), which is set in the level's face."""

    text: str
    level: int = 0
    heading: int = 0


@attrs.frozen
class AttachmentNoteItem:
    """One entry of a typed 附件说明: its number as typed (None when unnumbered) and name."""

    number: int | None
    name: str


@attrs.frozen
class ReadText:
    """A 正文 as it will be printed: its paragraphs, and what the drafter typed at its end."""

    paragraphs: tuple[TextParagraph, ...]
    attachment_note: tuple[AttachmentNoteItem, ...] | None = None
    typed_signatures: tuple[str, ...] = ()
    typed_date: str | None = None


def heading_level(line: str) -> int:
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(line):
            return level
    return 0


def _paragraph(line: str) -> TextParagraph:
    level = heading_level(line)
    if level == 0:
        return TextParagraph(line)
    stop = min((i for i, ch in enumerate(line) if ch in _SENTENCE_END), default=-1)
    heading = len(line) if stop < 0 or stop == len(line) - 1 else stop + 1
    return TextParagraph(line, level, heading)


def read_text(text: str, issuers: Iterable[str] = ()) -> ReadText:
    """Read a 正文: blank lines and leading indentation (spaces, full-width spaces) are
    dropped; a trailing date line is the typed 成文日期, the lines just before it that name
    an issuer (``issuers``) the typed 署名, and a trailing ``附件：`` block (the line and the
    lines after it, none a sentence) the typed 附件说明."""
    lines = [line.strip(_INDENT).rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    names = {n.strip() for n in issuers}
    typed_date: str | None = None
    signatures: list[str] = []
    if lines and _DATE_LINE.match(lines[-1].replace(" ", "")):
        typed_date = lines.pop()
        while lines and lines[-1] in names:
            signatures.insert(0, lines.pop())
    note: list[AttachmentNoteItem] | None = None
    for i in range(len(lines) - 1, -1, -1):
        head = _ATTACHMENT_HEAD.match(lines[i])
        if head is None:
            continue
        tail = lines[i + 1 :]
        if not any("。" in t for t in tail):  # items are names, never sentences
            note = [_attachment_item(head["rest"])] if head["rest"].strip() else []
            note.extend(_attachment_item(t) for t in tail)
            del lines[i:]
        break
    return ReadText(
        paragraphs=tuple(_paragraph(line) for line in lines),
        attachment_note=tuple(note) if note is not None else None,
        typed_signatures=tuple(signatures),
        typed_date=typed_date,
    )


def _attachment_item(entry: str) -> AttachmentNoteItem:
    match = _ATTACHMENT_ITEM.match(entry.strip())
    if match is None:
        return AttachmentNoteItem(None, entry.strip())
    return AttachmentNoteItem(int(match["n"]), match["name"].strip())


def written_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 7.3.5.4 writes it: Arabic numerals, the year in full, month
    and day without padding (2026年3月2日)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- the checks ---------------------------------------------------------------------------

UPWARD_TYPES = ("request", "report")
"""上行文 among the 文种: 请示 and 报告 go to a superior [条例 第八条, 第十五条]."""

_REQUEST = re.compile(
    r"请(?:予以?|予)?(?:批示|批复|审批|批准|审定|审核|核准|核批|批转|答复|示复|研究解决)"
)
"""The closing request of a 请示 (妥否，请批示 / 请予批准 ...): one per matter."""

_SECRECY_PERIOD = re.compile(r"^(?P<n>\d+)(?P<unit>年|个月)$")
SECRECY_LIMIT_YEARS = {"top_secret": 30, "confidential": 20, "secret": 10}
"""《中华人民共和国保守国家秘密法》: 国家秘密的保密期限,除另有规定外,绝密级不超过三十年,
机密级不超过二十年,秘密级不超过十年."""


@attrs.frozen
class FormatFinding:
    """One finding of a format check: the rule, the clause it rests on, what is wrong."""

    rule: str
    clause: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [{self.clause}]"


@attrs.frozen
class FormatContext:
    """What a format check needs besides the document: the organisation (names, time zone),
    the record the 发文字号 series says holds the document's number (None when the series
    does not list it), and the agency's 行文对象名录 (None when it keeps none)."""

    org: Organisation
    number_holder: uuid.UUID | None
    directory: CorrespondentDirectory | None = None


Check = Callable[["OutgoingDocument", FormatContext], Iterable[FormatFinding]]


def _is_upward(doc: OutgoingDocument) -> bool:
    return doc.form.doc_type.value in UPWARD_TYPES


def request_deals_with_one_matter(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """请示应当一文一事; 不得在报告等非请示性公文中夹带请示事项 [条例 第十五条(四)]."""
    clause = "条例 第十五条(四)"
    requests = _REQUEST.findall(doc.form.text)
    if doc.form.doc_type.value == "request" and len(requests) > 1:
        yield FormatFinding(
            "request_one_matter",
            clause,
            f"请示应当一文一事,正文提出了 {len(requests)} 项请求({'、'.join(requests)})",
        )
    if doc.form.doc_type.value == "report" and requests:
        yield FormatFinding(
            "request_one_matter",
            clause,
            f"报告中不得夹带请示事项(正文有“{requests[0]}”)",
        )


def request_has_one_main_recipient(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """请示主送一个上级机关 [条例 第十五条(一)]."""
    if doc.form.doc_type.value != "request":
        return
    recipients = doc.form.main_recipients
    if len(recipients) != 1:
        yield FormatFinding(
            "request_one_main_recipient",
            "条例 第十五条(一)",
            f"请示只能主送一个上级机关,本件主送 {len(recipients)} 个({'、'.join(recipients)})",
        )
        return
    if relation_of(ctx.directory, recipients[0]) is Relation.SUBORDINATE:
        yield FormatFinding(
            "request_one_main_recipient",
            "条例 第十五条(一)",
            f"请示应当主送上级机关,{recipients[0]} 是下级机关",
        )


def upward_not_copied_to_subordinates(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """上行文根据需要抄送相关上级机关和同级机关,不抄送下级机关 [条例 第十五条(一)]."""
    if not _is_upward(doc):
        return
    subordinate = [
        r for r in doc.form.copy_recipients if relation_of(ctx.directory, r) is Relation.SUBORDINATE
    ]
    if subordinate:
        yield FormatFinding(
            "upward_not_copied_to_subordinates",
            "条例 第十五条(一)",
            f"{doc.form.doc_type.label}是上行文,不得抄送下级机关: {'、'.join(subordinate)}",
        )


def signers(doc: OutgoingDocument, org: Organisation) -> tuple[str | None, ...]:
    """签发人 as printed: the lead agency's signer first, then each co-issuer's, in the
    order of the 发文机关 (None where the record names nobody)."""
    lead: str | None = None
    if doc.signed_by is not None and doc.signed_by in org.people:
        lead = org.people[doc.signed_by].name
    named = getattr(doc, "co_signatories", {})
    return (lead, *(named.get(agency) or None for agency in doc.form.co_issuers))


def upward_names_its_signers(doc: OutgoingDocument, ctx: FormatContext) -> Iterable[FormatFinding]:
    """上行文应当标注签发人姓名; 联合上行文的签发人按发文机关顺序排列,主办机关的在前
    [条例 第九条(六); GB/T 9704-2012 7.2.6]."""
    if not _is_upward(doc):
        return
    issuers = (ctx.org.agency, *doc.form.co_issuers)
    missing = [who for who, name in zip(issuers, signers(doc, ctx.org), strict=True) if not name]
    if missing:
        yield FormatFinding(
            "upward_names_signers",
            "条例 第九条(六); GB/T 9704-2012 7.2.6",
            f"上行文须标注签发人姓名,记录中没有 {'、'.join(missing)} 的签发人",
        )


def attachment_note_matches(doc: OutgoingDocument, ctx: FormatContext) -> Iterable[FormatFinding]:
    """附件说明: 公文附件的顺序号和名称, 与发文稿纸所列附件一致; 附件名称后不加标点符号
    [条例 第九条(十); GB/T 9704-2012 7.3.4]."""
    clause = "条例 第九条(十); GB/T 9704-2012 7.3.4"
    attachments = doc.form.attachments
    read = read_text(doc.form.text, (ctx.org.agency, *doc.form.co_issuers))
    for name in attachments:
        if name.strip() and name.rstrip()[-1] in "。，、；：！？.,;:!?":
            yield FormatFinding(
                "attachment_note_matches", clause, f"附件名称“{name}”后不加标点符号"
            )
    note = read.attachment_note
    if note is not None:
        typed = [item.name.rstrip("。，、；：.,;:") for item in note]
        if typed != list(attachments):
            yield FormatFinding(
                "attachment_note_matches",
                clause,
                f"正文所附附件说明({'；'.join(typed) or '空'})与所列附件"
                f"({'；'.join(attachments) or '无'})不一致",
            )
        numbers = [item.number for item in note]
        expected = list(range(1, len(note) + 1)) if len(note) > 1 else [None]
        if len(note) > 1 and numbers != expected:
            yield FormatFinding(
                "attachment_note_matches",
                clause,
                "多个附件应当依次用阿拉伯数字标注顺序号(附件：1.XXX 2.XXX)",
            )
    body = "\n".join(p.text for p in read.paragraphs)
    cited = [int(n) for n in re.findall(r"附件\s*(\d+)", body)]
    if _CITES_ATTACHMENT.search(body) and not attachments:
        yield FormatFinding(
            "attachment_note_matches", clause, "正文提到附件,但发文稿纸没有列出附件"
        )
    elif cited and max(cited) > len(attachments):
        yield FormatFinding(
            "attachment_note_matches",
            clause,
            f"正文提到附件{max(cited)},但只列出 {len(attachments)} 个附件",
        )


def signing_date(doc: OutgoingDocument, org: Organisation) -> date | None:
    """成文日期: the agency-local date of the signature, or of the last co-issuer's
    signature for a joint document [条例 第九条(十二)]."""
    times = [doc.signed_at, *getattr(doc, "co_signed_at", {}).values()]
    known = [t for t in times if t is not None]
    return org.day_of(max(known)) if known else None


def written_date_is_signing_date(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """成文日期署发文机关负责人签发的日期,联合行文署最后签发机关负责人签发的日期; 用阿拉伯数字
    将年、月、日标全,月、日不编虚位 [条例 第九条(十二); GB/T 9704-2012 7.3.5.4]."""
    clause = "条例 第九条(十二); GB/T 9704-2012 7.3.5.4"
    day = signing_date(doc, ctx.org)
    if day is None:
        yield FormatFinding("written_date_is_signing_date", clause, "记录中没有签发日期")
        return
    typed = read_text(doc.form.text, (ctx.org.agency, *doc.form.co_issuers)).typed_date
    if typed is None:
        return
    expected = written_date(day)
    if typed.replace(" ", "") != expected:
        match = _DATE_LINE.match(typed.replace(" ", ""))
        arabic = match is not None and match["y"].isdigit() and match["m"].isdigit()
        if arabic and match is not None and _as_date(match) == day:
            reason = "月、日不编虚位(1不编为01)"
        elif not arabic:
            reason = "成文日期用阿拉伯数字标注"
        else:
            reason = "成文日期应为签发日期"
        yield FormatFinding(
            "written_date_is_signing_date",
            clause,
            f"正文所署成文日期“{typed}”应为“{expected}”: {reason}",
        )


def _as_date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def number_is_the_registered_one(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """发文字号 is the one 登记 took from the issuer's series for this document
    [条例 第九条(五); GB/T 9704-2012 7.2.5; 001 发文 五(六)1]."""
    clause = "条例 第九条(五); GB/T 9704-2012 7.2.5; 001 发文 五(六)1"
    number = doc.number
    if number is None:
        yield FormatFinding("number_is_registered", clause, "公文尚无发文字号")
        return
    if number.issuer_code != doc.form.issuer_code:
        yield FormatFinding(
            "number_is_registered",
            clause,
            f"发文字号 {number} 的机关代字与发文稿纸的 {doc.form.issuer_code} 不符",
        )
    if ctx.number_holder is None:
        yield FormatFinding(
            "number_is_registered",
            clause,
            f"发文字号 {number} 不在 {number.issuer_code} {number.year} 年的发文登记中",
        )
    elif ctx.number_holder != doc.id:
        yield FormatFinding(
            "number_is_registered",
            clause,
            f"发文字号 {number} 已登记给另一件公文 {ctx.number_holder}",
        )


def joint_document_carries_the_lead_number(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """联合行文时,使用主办机关的发文字号; 主办机关排列在前 [条例 第九条(五);
    GB/T 9704-2012 7.2.4, 7.2.5]."""
    if not doc.form.joint or doc.number is None:
        return
    clause = "条例 第九条(五); GB/T 9704-2012 7.2.4"
    code = doc.number.issuer_code
    owner = ctx.directory.issuer_of(code) if ctx.directory is not None else None
    if owner is not None:
        yield FormatFinding(
            "joint_carries_lead_number",
            clause,
            f"联合行文应使用主办机关({ctx.org.agency})的发文字号,{code} 是 {owner.name} 的机关代字",
        )
    if ctx.org.agency in doc.form.co_issuers:
        yield FormatFinding(
            "joint_carries_lead_number",
            clause,
            f"主办机关 {ctx.org.agency} 不应再列为联署机关",
        )


def classified_document_is_marked(
    doc: OutgoingDocument, ctx: FormatContext
) -> Iterable[FormatFinding]:
    """涉密公文标注密级和保密期限(数字用阿拉伯数字,不超过法定期限); 非密公文不标
    [条例 第九条(二); GB/T 9704-2012 7.2.2; 保守国家秘密法 保密期限]. (The 份号 that
    条例 第九条(一) asks of a classified document is printed on each copy by the renderer.)"""
    clause = "条例 第九条(二); GB/T 9704-2012 7.2.2"
    form = doc.form
    period = (form.secrecy_period or "").strip()
    if not form.classification.is_classified:
        if period:
            yield FormatFinding(
                "classified_marks", clause, f"非密公文不标注保密期限(发文稿纸写有“{period}”)"
            )
        return
    if not period:
        yield FormatFinding(
            "classified_marks", clause, f"{form.classification.label}公文须标注保密期限"
        )
        return
    match = _SECRECY_PERIOD.match(period)
    if match is None:
        yield FormatFinding(
            "classified_marks",
            clause,
            f"保密期限“{period}”应以阿拉伯数字标注年或月(如 10年、6个月)",
        )
        return
    years = int(match["n"]) / (1 if match["unit"] == "年" else 12)
    limit = SECRECY_LIMIT_YEARS[form.classification.value]
    if years <= 0 or years > limit:
        yield FormatFinding(
            "classified_marks",
            clause + "; 保守国家秘密法",
            f"{form.classification.label}级保密期限不超过{limit}年,本件标注“{period}”",
        )


CHECKS: tuple[Check, ...] = (
    request_deals_with_one_matter,
    request_has_one_main_recipient,
    upward_not_copied_to_subordinates,
    upward_names_its_signers,
    attachment_note_matches,
    written_date_is_signing_date,
    number_is_the_registered_one,
    joint_document_carries_the_lead_number,
    classified_document_is_marked,
)
"""Every format check :meth:`OutgoingDocument.recheck` runs, in the order reported."""


def format_findings(doc: OutgoingDocument, ctx: FormatContext) -> tuple[FormatFinding, ...]:
    """Every finding of every format check on ``doc`` (empty: the format is in order)."""
    return tuple(f for check in CHECKS for f in check(doc, ctx))
