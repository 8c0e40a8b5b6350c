"""The DOCX writer: the 公文 as a Word document (python-docx) that WPS and Word lay out on an
office machine, with the fonts named as GB/T 9704-2012 asks (方正小标宋简体, 仿宋_GB2312,
黑体, 楷体_GB2312 by default; the layout table names them).

Word paginates a DOCX itself, so the writer sets what Word needs to follow the standard:
A4 with the 37/28 mm margins, a 22-line document grid, the elements' fonts, sizes, colours
and indents; the red separator line as the 文号 paragraph's bottom border, 4 mm below it;
footers with ``— PAGE —`` on the right of odd pages and the left of even pages. The 版记
is a section of its own that starts on an even page (封四) when the layout asks it,
aligned to the bottom of the page, a table whose top, middle and bottom borders are the
separator lines; its footer is empty (no page number on the 版记 page). A classified
document's copies each start a new section numbered from 1.

The output is deterministic: the package's core properties carry the 印发日期 and the zip
entries a fixed time stamp.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from govoffice.adapters.gbt9704.layout import PT, Layout
from govoffice.adapters.gbt9704.typeset import Typesetter, is_wide
from govoffice.application.printing import PrintedDocument

TWIPS_PER_MM = 1440 / 25.4
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


SEQUENCES = {
    "w:pPr": (
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ),
    "w:rPr": (
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    ),
    "w:sectPr": (
        "w:footnotePr",
        "w:endnotePr",
        "w:type",
        "w:pgSz",
        "w:pgMar",
        "w:paperSrc",
        "w:pgBorders",
        "w:lnNumType",
        "w:pgNumType",
        "w:cols",
        "w:formProt",
        "w:vAlign",
        "w:noEndnote",
        "w:titlePg",
        "w:textDirection",
        "w:bidi",
        "w:rtlGutter",
        "w:docGrid",
        "w:printerSettings",
        "w:sectPrChange",
    ),
}
"""The order of the children of pPr, rPr and sectPr in the WordprocessingML schema."""


def _put(parent: Any, tag: str, **attributes: object) -> Any:
    """Set the child ``tag`` of a pPr, rPr or sectPr (replacing it), in schema order."""
    existing = parent.find(qn(tag))
    if existing is not None:
        parent.remove(existing)
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), str(value))
    sequence = next(seq for name, seq in SEQUENCES.items() if parent.tag == qn(name))
    parent.insert_element_before(element, *sequence[sequence.index(tag) + 1 :])
    return element


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _cells(text: str) -> float:
    """Width in characters of the grid: full-width characters one, others half."""
    return sum(1.0 if is_wide(ch) else 0.5 for ch in text)


def _eighths(mm: float) -> int:
    """A border width in eighths of a point."""
    return max(2, round(mm / PT * 8))


class DocxWriter:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.typesetter = Typesetter(layout)
        faces = {
            "title": layout.font_title,
            "body": layout.font_body,
            "hei": layout.font_hei,
            "kai": layout.font_kai,
            "song": layout.font_song,
        }
        self.faces = faces

    def write(self, copies: Sequence[PrintedDocument]) -> bytes:
        document = Document()
        package = document.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype.endswith("/metadata/thumbnail"):  # the template's own picture
                del package.rels[rid]
        self._styles(document)
        document.settings.odd_and_even_pages_header_footer = True
        for n, doc in enumerate(copies):
            section = document.sections[0] if n == 0 else document.add_section(WD_SECTION.ODD_PAGE)
            self._body_section(section, doc, restart=n > 0)
            moved = self.typesetter.typeset([doc]).recipients_in_imprint
            self._head(document, doc)
            self._main(document, doc, moved)
            self._imprint(document, doc, moved)
        first = copies[0]
        core = document.core_properties
        issued = dt.datetime(first.issued.year, first.issued.month, first.issued.day)
        core.title = first.title
        core.subject = first.number
        core.author = first.printed_by
        core.last_modified_by = "govoffice"
        core.comments = ""
        core.keywords = first.number
        core.created = issued
        core.modified = issued
        core.last_printed = issued
        core.revision = 1
        buffer = io.BytesIO()
        document.save(buffer)
        return _normalised(buffer.getvalue())

    # --- document set-up -----------------------------------------------------------------

    def _styles(self, document: DocxDocument) -> None:
        normal = document.styles["Normal"]
        font = normal.font
        font.name = self.layout.font_latin
        font.size = Pt(self.layout.body_size)
        rpr = normal.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), self.layout.font_body)
        pf = normal.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)

    def _body_section(self, section: Section, doc: PrintedDocument, *, restart: bool) -> None:
        L = self.layout
        section.page_width = Mm(L.page_width)
        section.page_height = Mm(L.page_height)
        section.top_margin = Mm(L.margin_top)
        section.left_margin = Mm(L.margin_left)
        section.right_margin = Mm(L.page_width - L.margin_left - L.type_width)
        section.bottom_margin = Mm(L.page_height - L.margin_top - L.type_height)
        em = L.page_number_size * PT
        section.footer_distance = Mm(L.page_height - L.bottom - L.page_number_gap - em * 1.1)
        sect = section._sectPr
        _put(
            sect,
            "w:docGrid",
            type="linesAndChars",
            linePitch=_twips(L.pitch),
            charSpace=round((L.cell / PT - L.body_size) * 4096),
        )
        if restart:
            _put(sect, "w:pgNumType", start=1)
        letter = doc.layout == "letter"
        section.different_first_page_header_footer = letter
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            self._page_number_footer(footer.paragraphs[0], odd)
        first = section.first_page_footer
        first.is_linked_to_previous = False
        paragraph = first.paragraphs[0]
        for run in list(paragraph.runs):
            run._element.getparent().remove(run._element)
        if letter:
            self._letter_bottom_line(paragraph)

    def _page_number_footer(self, paragraph: Paragraph, odd: bool) -> None:
        """页码 “— N —” 4号宋体, odd pages right, even pages left, one character in."""
        L = self.layout
        for run in list(paragraph.runs):
            run._element.getparent().remove(run._element)
        em = L.page_number_size * PT
        pf = paragraph.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        if odd:
            pf.right_indent = Mm(em)
        else:
            pf.left_indent = Mm(em)
        size = L.page_number_size
        self._run(paragraph, "— ", "song", size)
        run = self._run(paragraph, "", "song", size)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None)):
            if kind:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._element.append(fld)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
        self._run(paragraph, "1", "song", size)
        end = self._run(paragraph, "", "song", size)
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), "end")
        end._element.append(fld)
        self._run(paragraph, " —", "song", size)

    def _letter_bottom_line(self, paragraph: Paragraph) -> None:
        """信函格式: the red double line (thin over thick) near the bottom of the first page."""
        L = self.layout
        overhang = (L.letter_line_length - L.type_width) / 2
        pf = paragraph.paragraph_format
        pf.left_indent = Mm(-overhang + 0)
        pf.right_indent = Mm(-(L.letter_line_length - L.type_width - overhang))
        self._border(paragraph, "top", "thinThickSmallGap", L.letter_thick + L.letter_thin, L.red)

    # --- runs, paragraphs, borders --------------------------------------------------------

    def _run(
        self,
        paragraph: Paragraph,
        text: str,
        face: str,
        size: float,
        color: tuple[int, int, int] | None = None,
        scale: float | None = None,
    ) -> Any:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.font.name = self.layout.font_latin
        rpr = run._element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), self.faces[face])
        fonts.set(qn("w:hint"), "eastAsia")
        if color is not None:
            run.font.color.rgb = RGBColor(*color)
        if scale is not None and scale < 99.5:
            _put(rpr, "w:w", val=max(1, round(scale)))
        return run

    def _paragraph(
        self,
        document: DocxDocument,
        *,
        align: Any = None,
        before: float = 0.0,
        first_indent: float | None = None,
        left: float | None = None,
        right: float | None = None,
        exact: float | None = None,
        keep_next: bool = False,
    ) -> Paragraph:
        paragraph = document.add_paragraph()
        pf = paragraph.paragraph_format
        if align is not None:
            pf.alignment = align
        if before:
            pf.space_before = Mm(before)
        if first_indent is not None:
            pf.first_line_indent = Mm(first_indent)
        if left is not None:
            pf.left_indent = Mm(left)
        if right is not None:
            pf.right_indent = Mm(right)
        if exact is not None:
            pf.line_spacing = Mm(exact)
            _put(paragraph._p.get_or_add_pPr(), "w:snapToGrid", val=0)
        if keep_next:
            pf.keep_with_next = True
        return paragraph

    def _border(
        self,
        paragraph: Paragraph,
        side: str,
        style: str,
        width: float,
        color: tuple[int, int, int],
        space: float = 0.0,
    ) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = _put(ppr, "w:pBdr")
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), style)
        edge.set(qn("w:sz"), str(_eighths(width)))
        edge.set(qn("w:space"), str(min(31, round(space / PT))))
        edge.set(qn("w:color"), "{:02X}{:02X}{:02X}".format(*color))
        borders.append(edge)

    # --- 版头 ----------------------------------------------------------------------------

    def _head(self, document: DocxDocument, doc: PrintedDocument) -> None:
        L = self.layout
        pitch = L.pitch
        used = 0.0

        def paragraph(**kw: Any) -> Paragraph:
            return self._paragraph(document, **kw)

        elements = [t for t in (doc.copy_number, doc.secrecy, doc.urgency) if t]
        if doc.layout == "letter":
            self._letter_head(document, doc, elements, paragraph)
            return
        for text in elements:
            p = paragraph(exact=pitch)
            self._run(p, text, "hei", L.body_size)
            used += pitch
        em = L.mark_size * PT
        mark_before = max(0.0, L.mark_top - used)
        if len(doc.mark) == 1:
            text = doc.mark[0] + doc.mark_suffix
            p = paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, before=mark_before, exact=em * 1.2)
            scale = min(100.0, L.type_width / (len(text) * em) * 100)
            self._run(p, text, "title", L.mark_size, L.red, scale)
            mark_height = em * 1.2
        else:
            mark_height = self._joint_mark(document, doc, mark_before, paragraph)
        after_mark = 2 * pitch
        if doc.signers:
            label = "签发人："
            lines = ["　".join(doc.signers[i : i + 2]) for i in range(0, len(doc.signers), 2)]
            label_w = _cells(label) * L.cell
            names_w = max(_cells(t) for t in lines) * L.cell
            label_x = L.type_width - L.cell - label_w - names_w
            for i, names in enumerate(lines):
                last = i == len(lines) - 1
                p = paragraph(before=after_mark if i == 0 else 0.0, exact=pitch)
                tabs = p.paragraph_format.tab_stops
                tabs.add_tab_stop(Mm(label_x), WD_TAB_ALIGNMENT.LEFT)
                tabs.add_tab_stop(Mm(label_x + label_w), WD_TAB_ALIGNMENT.LEFT)
                if last:
                    self._run(p, "　" + doc.number, "body", L.body_size)
                if i == 0:
                    self._run(p, "\t" + label, "body", L.body_size)
                    self._run(p, names, "kai", L.body_size)
                else:
                    self._run(p, "\t\t" + names, "kai", L.body_size)
                if last:
                    self._border(p, "bottom", "single", L.red_line_width, L.red, L.red_line_gap)
        else:
            p = paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, before=after_mark, exact=pitch)
            self._run(p, doc.number, "body", L.body_size)
            if doc.layout == "minutes":
                p = paragraph(exact=pitch)
                p.paragraph_format.tab_stops.add_tab_stop(
                    Mm(L.type_width - L.cell), WD_TAB_ALIGNMENT.RIGHT
                )
                self._run(p, "　" + doc.printed_by + "\t" + doc.date, "body", L.body_size)
            self._border(p, "bottom", "single", L.red_line_width, L.red, L.red_line_gap)
        del mark_height

    def _joint_mark(
        self, document: DocxDocument, doc: PrintedDocument, before: float, paragraph: Any
    ) -> float:
        """联合行文的发文机关标志: the issuers stacked (lead first) and 文件 to their right,
        vertically centred: a borderless two-column table."""
        L = self.layout
        em = L.mark_size * PT
        spacer = paragraph(before=before, exact=0.5)
        del spacer
        table = document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        names_cell, suffix_cell = table.rows[0].cells
        longest = max(len(n) for n in doc.mark)
        total = (longest + len(doc.mark_suffix) + 0.5) * em
        scale = min(100.0, L.type_width / total * 100)
        names_cell.width = Mm(longest * em * scale / 100 + 2)
        suffix_cell.width = Mm(len(doc.mark_suffix) * em * scale / 100 + 4)
        for i, name in enumerate(doc.mark):
            p = names_cell.paragraphs[0] if i == 0 else names_cell.add_paragraph()
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
            p.paragraph_format.line_spacing = Mm(em * 1.2)
            _put(p._p.get_or_add_pPr(), "w:snapToGrid", val=0)
            self._run(p, name, "title", L.mark_size, L.red, scale)
        p = suffix_cell.paragraphs[0]
        p.paragraph_format.line_spacing = Mm(em * 1.2)
        _put(p._p.get_or_add_pPr(), "w:snapToGrid", val=0)
        self._run(p, doc.mark_suffix, "title", L.mark_size, L.red, scale)
        tc_pr = suffix_cell._tc.get_or_add_tcPr()
        valign = OxmlElement("w:vAlign")
        valign.set(qn("w:val"), "center")
        tc_pr.append(valign)
        return len(doc.mark) * em * 1.2

    def _letter_head(
        self, document: DocxDocument, doc: PrintedDocument, elements: list[str], paragraph: Any
    ) -> None:
        """信函格式 (10.1): the mark 30 mm from the top edge (7 mm above the type area), the red
        double line (thick over thin, 170 mm) 4 mm under it; 份号/密级/紧急 at the left and
        the 文号 at the right of the first row under the line."""
        L = self.layout
        em = L.mark_size * PT
        overhang = (L.letter_line_length - L.type_width) / 2
        p = paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, exact=em * 1.2)
        p.paragraph_format.left_indent = Mm(-overhang)
        p.paragraph_format.right_indent = Mm(-overhang)
        text = doc.mark[0]
        scale = min(100.0, L.type_width / (len(text) * em) * 100)
        self._run(p, text, "title", L.mark_size, L.red, scale)
        self._border(
            p, "bottom", "thickThinSmallGap", L.letter_thick + L.letter_thin, L.red, L.red_line_gap
        )
        rows = elements or [""]
        for i, text in enumerate(rows):
            q = self._paragraph(document, exact=L.pitch, before=L.pitch * 7 / 8 if i == 0 else 0.0)
            if i == 0:
                q.paragraph_format.tab_stops.add_tab_stop(Mm(L.type_width), WD_TAB_ALIGNMENT.RIGHT)
            if text:
                self._run(q, text, "hei", L.body_size)
            if i == 0:
                self._run(q, "\t" + doc.number, "body", L.body_size)

    # --- 主体 ---------------------------------------------------------------------------

    def _main(self, document: DocxDocument, doc: PrintedDocument, moved: bool) -> None:
        L = self.layout
        pitch = L.pitch
        title = self._paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=2 * pitch)
        parts = self._title_parts(doc.title)
        for i, part in enumerate(parts):
            run = self._run(title, part, "title", L.title_size)
            if i < len(parts) - 1:
                run.add_break()
        if doc.main_recipients and not moved:
            p = self._paragraph(document, before=pitch)
            self._run(p, "、".join(doc.main_recipients) + "：", "body", L.body_size)
        faces = {0: "body", 1: "hei", 2: "kai", 3: "body", 4: "body"}
        last: Paragraph | None = None
        for n, para in enumerate(doc.paragraphs):
            p = self._paragraph(
                document,
                first_indent=2 * L.cell,
                before=pitch if n == 0 and (moved or not doc.main_recipients) else 0.0,
            )
            if para.heading:
                self._run(p, para.text[: para.heading], faces[para.level], L.body_size)
            if para.text[para.heading :]:
                self._run(p, para.text[para.heading :], "body", L.body_size)
            last = p
        if doc.attachments:
            label = "附件："
            numbered = len(doc.attachments) > 1
            for i, name in enumerate(doc.attachments, start=1):
                prefix = f"{i}." if numbered else ""
                hang = len(label) * L.cell
                p = self._paragraph(
                    document,
                    before=pitch if i == 1 else 0.0,
                    left=2 * L.cell + hang + len(prefix) * L.cell / 2,
                    first_indent=-(len(prefix) * L.cell / 2) - (hang if i == 1 else 0.0),
                )
                self._run(p, (label if i == 1 else "") + prefix + name, "body", L.body_size)
                last = p
        if doc.layout == "minutes":
            for i, (label, names) in enumerate(doc.attendance):
                head = f"{label}："
                hang = len(head) * L.cell
                p = self._paragraph(
                    document,
                    before=pitch if i == 0 else 0.0,
                    left=2 * L.cell + hang,
                    first_indent=-hang,
                )
                self._run(p, head, "hei", L.body_size)
                self._run(p, "、".join(names), "body", L.body_size)
            return
        if last is not None:
            last.paragraph_format.keep_with_next = True
        date_w = _cells(doc.date) * L.cell
        for i, name in enumerate(doc.signatures):
            name_w = _cells(name) * L.cell
            p = self._paragraph(
                document,
                align=WD_ALIGN_PARAGRAPH.RIGHT,
                before=(L.seal_gap_lines + 1) * pitch if i == 0 else 0.0,
                right=max(0.0, L.date_right_chars * L.cell + (date_w - name_w) / 2),
                keep_next=True,
            )
            self._run(p, name, "body", L.body_size)
        p = self._paragraph(
            document,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            right=L.date_right_chars * L.cell,
            keep_next=bool(doc.note),
        )
        self._run(p, doc.date, "body", L.body_size)
        if doc.note:
            p = self._paragraph(document, left=2 * L.cell)
            self._run(p, doc.note, "body", L.body_size)

    def _title_parts(self, title: str) -> list[str]:
        L = self.layout
        per_line = max(1, int(L.type_width // (L.title_size * PT)))
        n = max(1, -(-len(title) // per_line))
        base, extra = divmod(len(title), n)
        lengths = [base + (1 if i >= n - extra else 0) for i in range(n)]
        parts, start = [], 0
        for k in lengths:
            parts.append(title[start : start + k])
            start += k
        return parts

    # --- 版记 ---------------------------------------------------------------------------

    def _imprint(self, document: DocxDocument, doc: PrintedDocument, moved: bool) -> None:
        L = self.layout
        size = L.imprint_size
        em = size * PT
        rows: list[tuple[str, str, str]] = []
        if moved and doc.main_recipients:
            rows.append(("主送：", "，".join(doc.main_recipients), "主送机关"))
        if doc.copy_to:
            rows.append((f"{doc.copy_to_label}：", "，".join(doc.copy_to) + "。", "抄送机关"))
        ruled = doc.layout != "letter"
        if not rows and not ruled:
            return
        section = document.add_section(
            WD_SECTION.EVEN_PAGE if L.imprint_on_even_page else WD_SECTION.NEW_PAGE
        )
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            for p in footer.paragraphs:
                for run in list(p.runs):
                    run._element.getparent().remove(run._element)
        section.different_first_page_header_footer = False
        _put(section._sectPr, "w:vAlign", val="bottom")
        table = document.add_table(rows=len(rows) + (1 if ruled else 0), cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = table._tbl.tblPr
        width = OxmlElement("w:tblW")
        width.set(qn("w:w"), str(_twips(L.type_width)))
        width.set(qn("w:type"), "dxa")
        tbl_pr.append(width)
        borders = OxmlElement("w:tblBorders")
        if ruled:
            for side, w in (
                ("top", L.imprint_thick),
                ("bottom", L.imprint_thick),
                ("insideH", L.imprint_thin),
            ):
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:val"), "single")
                edge.set(qn("w:sz"), str(_eighths(w)))
                edge.set(qn("w:space"), "0")
                edge.set(qn("w:color"), "000000")
                borders.append(edge)
        tbl_pr.append(borders)
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), str(_twips(em)))
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        tbl_pr.append(margins)
        for i, (label, names, _element) in enumerate(rows):
            cell = table.rows[i].cells[0]
            cell.width = Mm(L.type_width)
            p = cell.paragraphs[0]
            hang = len(label) * em
            p.paragraph_format.left_indent = Mm(hang)
            p.paragraph_format.first_line_indent = Mm(-hang)
            self._run(p, label, "body", size)
            self._run(p, names, "body", size)
        if ruled:
            cell = table.rows[len(rows)].cells[0]
            cell.width = Mm(L.type_width)
            p = cell.paragraphs[0]
            p.paragraph_format.tab_stops.add_tab_stop(
                Mm(L.type_width - 2 * em), WD_TAB_ALIGNMENT.RIGHT
            )
            self._run(p, doc.printed_by, "body", size)
            self._run(p, "\t" + doc.printed_on + "印发", "body", size)
        # a body ends with a paragraph: a hairline one, so the table stays at the foot
        end = self._paragraph(document, exact=0.35)
        self._run(end, "", "body", 1)


def _normalised(content: bytes) -> bytes:
    """The same package with every zip entry stamped with one fixed time (a DOCX made from
    the same record is byte for byte the same)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
