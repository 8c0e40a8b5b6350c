"""排版 laying a :class:`PrintedDocument` out on GB/T 9704-2012 pages, as positioned marks.

Pure Python: the result is a list of pages of text and rule marks in millimetres (the PDF
writer draws them; the DOCX writer reads the decisions: whether the 主送机关 moved to the
版记). The body sits on the standard's grid — 22 lines of 28 characters in the 156 × 225 mm
type area — with the 版头 elements at the standard's distances.

Layout decisions beyond the standard's words (ADR 0045):

- Lines break greedily on the grid; a line never starts with closing punctuation nor ends
  with opening punctuation (避头尾), and a run of Latin letters or digits is not split.
- The 发文机关署名 is centred over the 成文日期, which stands 4 characters from the right
  (7.3.5.1, for the seal pressed on both); ``seal_gap_lines`` empty lines keep the seal off
  the text, and the last line of text goes to the next page with them when they do not fit.
- The 版记 stands at the foot of the last page, an even page (封四) when
  ``imprint_on_even_page``: when the text ends on an odd page, or leaves no room, it gets a
  page of its own (with an empty page before it if needed). Pages carrying 正文 get their
  number (``— N —``, odd pages right, even pages left); an empty page and a page holding
  only the 版记 get none (7.5), nor does the first page of a letter (10.1).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence

import attrs

from govoffice.adapters.gbt9704.layout import PT, Layout
from govoffice.application.printing import PrintedDocument

BLACK = (0, 0, 0)

Measure = Callable[[str, str, float], float]
"""Width in mm of a text in a face at a size (points), for the characters that are not
full-width (a full-width character is one em)."""

NO_LINE_START = set("，。、；：？！）》」』”’〕】…—%‰℃·．,.;:?!)]}")
NO_LINE_END = set("（《「『“‘〔【([{")


def approximate(text: str, face: str, size: float) -> float:
    """A measure without fonts: half an em for every character that is not full-width."""
    return len(text) * size * PT / 2


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


# --- marks --------------------------------------------------------------------------------


@attrs.frozen
class TextMark:
    """A run of text: left edge ``x`` and ``baseline`` in mm from the page's top-left corner;
    ``spacing`` is added after each character (mm), ``stretch`` narrows (percent)."""

    x: float
    baseline: float
    text: str
    face: str
    size: float
    spacing: float = 0.0
    color: tuple[int, int, int] = BLACK
    stretch: float = 100.0
    stroke: float = 0.0
    element: str = ""


@attrs.frozen
class RuleMark:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: tuple[int, int, int] = BLACK
    element: str = ""


Mark = TextMark | RuleMark


@attrs.frozen
class Page:
    """One page: ``kind`` is ``text`` (carries 正文 or the 版头), ``imprint`` (the 版记
    alone) or ``blank``; ``number`` the page number printed on it (None: none)."""

    marks: tuple[Mark, ...]
    kind: str
    number: int | None
    copy: int = 1


@attrs.frozen
class Typeset:
    pages: tuple[Page, ...]
    recipients_in_imprint: bool = False


# --- rows of the flow ---------------------------------------------------------------------


@attrs.frozen
class Seg:
    x: float
    text: str
    face: str
    size: float
    spacing: float = 0.0
    element: str = ""


@attrs.frozen
class Row:
    segs: tuple[Seg, ...] = ()
    group: int = 0
    attach_prev: bool = False

    @property
    def blank(self) -> bool:
        return not self.segs


class Setter:
    """Breaks texts into rows for one layout and one measure."""

    def __init__(self, layout: Layout, measure: Measure) -> None:
        self.layout = layout
        self.measure = measure
        self.em_body = layout.body_size * PT
        self.body_spacing = layout.cell - self.em_body

    def em(self, size: float) -> float:
        return size * PT

    def char_width(self, ch: str, face: str, size: float, spacing: float) -> float:
        return (self.em(size) if is_wide(ch) else self.measure(ch, face, size)) + spacing

    def width(self, text: str, face: str, size: float, spacing: float = 0.0) -> float:
        return sum(self.char_width(ch, face, size, spacing) for ch in text)

    def break_chars(
        self,
        chars: Sequence[tuple[str, str]],
        widths: Sequence[float],
        first: float,
        rest: float,
    ) -> list[list[int]]:
        """Indices of the characters of each line: greedy, with 避头尾 and unbroken runs of
        Latin letters and digits."""
        lines: list[list[int]] = []
        line: list[int] = []
        used, limit = 0.0, first
        for i, (ch, _) in enumerate(chars):
            w = widths[i]
            if line and used + w > limit + 0.01:
                carry: list[int] = []
                if ch in NO_LINE_START and len(line) > 1:
                    carry = [line.pop()]
                while len(line) > 1 and chars[line[-1]][0] in NO_LINE_END:
                    carry.insert(0, line.pop())
                if ch.isascii() and ch.isalnum():
                    run: list[int] = []
                    while line and chars[line[-1]][0].isascii() and chars[line[-1]][0].isalnum():
                        run.insert(0, line.pop())
                    if line:
                        carry = run + carry
                    else:
                        line = run
                lines.append(line)
                line, limit = carry, rest
                used = sum(widths[j] for j in line)
            line.append(i)
            used += w
        if line:
            lines.append(line)
        return lines

    def flow(
        self,
        runs: Sequence[tuple[str, str]],
        *,
        x: float,
        width: float,
        first_indent: float = 0.0,
        hang: float = 0.0,
        size: float | None = None,
        spacing: float | None = None,
        element: str = "",
    ) -> list[Row]:
        """Rows of a paragraph made of ``runs`` (text, face): the first line starts
        ``first_indent`` in, the next ones ``hang`` in (both from ``x``)."""
        size = size or self.layout.body_size
        spacing = self.body_spacing if spacing is None else spacing
        chars = [(ch, face) for text, face in runs for ch in text]
        widths = [self.char_width(ch, face, size, spacing) for ch, face in chars]
        rows: list[Row] = []
        for n, idx in enumerate(
            self.break_chars(chars, widths, width - first_indent, width - hang)
        ):
            cursor = x + (first_indent if n == 0 else hang)
            segs: list[Seg] = []
            for i in idx:
                ch, face = chars[i]
                if segs and segs[-1].face == face:
                    last = segs[-1]
                    segs[-1] = attrs.evolve(last, text=last.text + ch)
                else:
                    segs.append(Seg(cursor, ch, face, size, spacing, element))
                cursor += widths[i]
            rows.append(Row(tuple(segs)))
        return rows


# --- the typesetter -------------------------------------------------------------------------


class _Pages:
    """Places rows of the flow on grid rows, page after page."""

    def __init__(self, layout: Layout, head: list[Mark], start_row: int) -> None:
        self.layout = layout
        self.pages: list[list[tuple[int, Row]]] = [[]]
        self.heads: list[list[Mark]] = [head]
        self.row = start_row

    def new_page(self) -> None:
        self.pages.append([])
        self.heads.append([])
        self.row = 0

    def place(self, rows: Sequence[Row]) -> None:
        i = 0
        lines = self.layout.lines_per_page
        while i < len(rows):
            row = rows[i]
            if row.group:
                group = [r for r in rows[i:] if r.group == row.group]
                if self.row + len(group) > lines:
                    carried: list[Row] = []
                    if row.attach_prev:
                        carried = self._take_last_text_row()
                    self.new_page()
                    for r in carried:
                        self._put(r)
                for r in group:
                    self._put(r)
                i += len(group)
                continue
            if row.blank and self.row == 0:
                i += 1
                continue
            if self.row >= lines:
                self.new_page()
                continue
            self._put(row)
            i += 1

    def _put(self, row: Row) -> None:
        self.pages[-1].append((self.row, row))
        self.row += 1

    def _take_last_text_row(self) -> list[Row]:
        page = self.pages[-1]
        while page and page[-1][1].blank:
            page.pop()
        if len(page) > 1:
            return [page.pop()[1]]
        return []


class Typesetter:
    def __init__(self, layout: Layout, measure: Measure = approximate) -> None:
        self.layout = layout
        self.setter = Setter(layout, measure)

    # geometry
    def row_top(self, row: int) -> float:
        return self.layout.margin_top + row * self.layout.pitch

    def baseline(self, row: int, size: float) -> float:
        em = size * PT
        return self.row_top(row) + (self.layout.pitch + em) / 2 - 0.12 * em

    def row_after(self, y: float) -> int:
        """The first grid row whose top is at or below ``y``."""
        return max(0, math.ceil((y - self.layout.margin_top) / self.layout.pitch - 1e-6))

    def text(
        self, x: float, row: int, text: str, face: str, size: float | None = None, **kw: object
    ) -> TextMark:
        size = size or self.layout.body_size
        spacing = kw.pop(
            "spacing", self.setter.body_spacing if size == self.layout.body_size else 0.0
        )
        return TextMark(x, self.baseline(row, size), text, face, size, spacing, **kw)  # type: ignore[arg-type]

    def typeset(self, copies: Sequence[PrintedDocument]) -> Typeset:
        pages: list[Page] = []
        moved = False
        for n, doc in enumerate(copies, start=1):
            done, moved = self._one(doc, n)
            pages.extend(done)
        return Typeset(tuple(pages), moved)

    # --- one copy ------------------------------------------------------------------------

    def _one(self, doc: PrintedDocument, copy: int) -> tuple[list[Page], bool]:
        L = self.layout
        s = self.setter
        if doc.layout == "letter":
            head, next_row = self._letter_head(doc)
        else:
            head, next_row = self._head(doc)
        title_rows = self._title(doc, next_row)
        head.extend(m for r in title_rows for m in r)
        row = next_row + len(title_rows) + 1
        recipients: list[Row] = []
        if doc.main_recipients:
            recipients = s.flow(
                [("、".join(doc.main_recipients) + "：", "body")],
                x=L.margin_left,
                width=L.type_width,
                element="主送机关",
            )
        moved = bool(recipients) and row + len(recipients) >= L.lines_per_page
        flow: list[Row] = [] if moved else recipients
        flow.extend(self._body(doc))
        flow.extend(self._closing(doc))
        pager = _Pages(L, head, row)
        pager.place(flow)
        imprint = self._imprint_rows(doc, moved)
        return self._finish(doc, pager, imprint, copy), moved

    def _fit(self, text: str, face: str, size: float, width: float) -> tuple[float, float]:
        """Natural width and the stretch (percent) that keeps it within ``width``."""
        natural = self.setter.width(text, face, size)
        return natural, min(100.0, width / natural * 100) if natural else 100.0

    def _marks_for_mark(self, doc: PrintedDocument, top: float) -> tuple[list[Mark], float]:
        """The 发文机关标志 (red, 小标宋): one line, or the joint issuers stacked with
        the suffix (文件) to their right, centred in the type area."""
        L = self.layout
        size, em = L.mark_size, L.mark_size * PT
        red = L.red
        marks: list[Mark] = []
        if len(doc.mark) == 1:
            text = doc.mark[0] + doc.mark_suffix
            natural, stretch = self._fit(text, "title", size, L.type_width)
            width = natural * stretch / 100
            x = L.margin_left + (L.type_width - width) / 2
            marks.append(
                TextMark(
                    x,
                    top + 0.88 * em,
                    text,
                    "title",
                    size,
                    0.0,
                    red,
                    stretch,
                    L.title_stroke,
                    "发文机关标志",
                )
            )
            return marks, top + em
        widths = [self.setter.width(name, "title", size) for name in doc.mark]
        block = max(widths)
        suffix = self.setter.width(doc.mark_suffix, "title", size) if doc.mark_suffix else 0.0
        gap = em * 0.5 if suffix else 0.0
        total = block + gap + suffix
        stretch = min(100.0, L.type_width / total * 100)
        k = stretch / 100
        x0 = L.margin_left + (L.type_width - total * k) / 2
        line_h = em * 1.2
        for i, (name, w) in enumerate(zip(doc.mark, widths, strict=True)):
            marks.append(
                TextMark(
                    x0 + (block - w) * k / 2,
                    top + i * line_h + 0.88 * em,
                    name,
                    "title",
                    size,
                    0.0,
                    red,
                    stretch,
                    L.title_stroke,
                    "发文机关标志",
                )
            )
        height = (len(doc.mark) - 1) * line_h + em
        if doc.mark_suffix:
            marks.append(
                TextMark(
                    x0 + (block + gap) * k,
                    top + height / 2 + 0.38 * em,
                    doc.mark_suffix,
                    "title",
                    size,
                    0.0,
                    red,
                    stretch,
                    L.title_stroke,
                    "发文机关标志",
                )
            )
        return marks, top + height

    def _head(self, doc: PrintedDocument) -> tuple[list[Mark], int]:
        """版头 of the 文件格式 and the 纪要格式: 份号, 密级, 紧急 at the top left; the mark
        35 mm below the type area's top; the 文号 (with the 签发人 of an 上行文) two lines
        under it; the red line 4 mm under the 文号. Returns the marks and the title's row."""
        L = self.layout
        s = self.setter
        marks: list[Mark] = []
        for row, (text, element) in enumerate(
            (t, e)
            for t, e in (
                (doc.copy_number, "份号"),
                (doc.secrecy, "密级和保密期限"),
                (doc.urgency, "紧急程度"),
            )
            if t
        ):
            marks.append(self.text(L.margin_left, row, text, "hei", element=element))
        mark_marks, mark_bottom = self._marks_for_mark(doc, L.margin_top + L.mark_top)
        marks.extend(mark_marks)
        first = self.row_after(mark_bottom) + 2
        number_row = first
        if doc.signers:
            label = "签发人："
            lines = ["　".join(doc.signers[i : i + 2]) for i in range(0, len(doc.signers), 2)]
            label_w = s.width(label, "body", L.body_size, s.body_spacing)
            names_w = max(s.width(t, "kai", L.body_size, s.body_spacing) for t in lines)
            x = L.right - L.cell - label_w - names_w
            number_row = first + len(lines) - 1
            marks.append(
                self.text(
                    L.margin_left + L.cell, number_row, doc.number, "body", element="发文字号"
                )
            )
            marks.append(self.text(x, first, label, "body", element="签发人"))
            for i, names in enumerate(lines):
                marks.append(self.text(x + label_w, first + i, names, "kai", element="签发人"))
        else:
            w = s.width(doc.number, "body", L.body_size, s.body_spacing)
            marks.append(
                self.text(
                    L.margin_left + (L.type_width - w) / 2,
                    number_row,
                    doc.number,
                    "body",
                    element="发文字号",
                )
            )
        line_row = number_row
        if doc.layout == "minutes":
            line_row += 1
            marks.append(
                self.text(
                    L.margin_left + L.cell, line_row, doc.printed_by, "body", element="印发机关"
                )
            )
            w = s.width(doc.date, "body", L.body_size, s.body_spacing)
            marks.append(
                self.text(L.right - L.cell - w, line_row, doc.date, "body", element="成文日期")
            )
        em = L.body_size * PT
        red_y = self.row_top(line_row) + (L.pitch + em) / 2 + L.red_line_gap
        marks.append(
            RuleMark(L.margin_left, red_y, L.right, red_y, L.red_line_width, L.red, "分隔线")
        )
        return marks, self.row_after(red_y + L.red_line_width / 2) + 2

    def _letter_head(self, doc: PrintedDocument) -> tuple[list[Mark], int]:
        """版头 of the 信函格式 (10.1): the mark 30 mm from the top edge, red double lines
        (thick over thin) 4 mm under it and (thin over thick) 20 mm from the bottom edge,
        170 mm long; 份号, 密级, 紧急 at the left under the line, the 文号 at the right on the
        first of their rows; the title two lines under them."""
        L = self.layout
        marks, bottom = self._marks_for_mark(doc, L.letter_mark_top)
        x1 = (L.page_width - L.letter_line_length) / 2
        x2 = x1 + L.letter_line_length
        y = bottom + L.red_line_gap + L.letter_thick / 2
        y_thin = y + L.letter_thick / 2 + L.letter_double_gap + L.letter_thin / 2
        marks.append(RuleMark(x1, y, x2, y, L.letter_thick, L.red, "分隔线"))
        marks.append(RuleMark(x1, y_thin, x2, y_thin, L.letter_thin, L.red, "分隔线"))
        yb = L.page_height - L.letter_bottom_line - L.letter_thick / 2
        yb_thin = yb - L.letter_thick / 2 - L.letter_double_gap - L.letter_thin / 2
        marks.append(RuleMark(x1, yb_thin, x2, yb_thin, L.letter_thin, L.red, "分隔线"))
        marks.append(RuleMark(x1, yb, x2, yb, L.letter_thick, L.red, "分隔线"))
        first = self.row_after(y_thin + L.letter_thin)
        row = first
        for text, element in (
            (doc.copy_number, "份号"),
            (doc.secrecy, "密级和保密期限"),
            (doc.urgency, "紧急程度"),
        ):
            if text:
                marks.append(self.text(L.margin_left, row, text, "hei", element=element))
                row += 1
        w = self.setter.width(doc.number, "body", L.body_size, self.setter.body_spacing)
        marks.append(self.text(L.right - w, first, doc.number, "body", element="发文字号"))
        last = max(row - 1, first)
        return marks, last + 3

    def _title(self, doc: PrintedDocument, row: int) -> list[list[Mark]]:
        """标题: 2号小标宋, centred, broken into lines of nearly equal length (梯形)."""
        L = self.layout
        size = L.title_size
        per_line = max(1, int(L.type_width // (size * PT)))
        text = doc.title
        n = max(1, math.ceil(len(text) / per_line))
        base, extra = divmod(len(text), n)
        lengths = [base + (1 if i >= n - extra else 0) for i in range(n)]
        rows: list[list[Mark]] = []
        start = 0
        for i, k in enumerate(lengths):
            part = text[start : start + k]
            start += k
            w = self.setter.width(part, "title", size)
            x = L.margin_left + (L.type_width - w) / 2
            rows.append(
                [
                    TextMark(
                        x,
                        self.baseline(row + i, size),
                        part,
                        "title",
                        size,
                        0.0,
                        BLACK,
                        100.0,
                        L.title_stroke,
                        "标题",
                    )
                ]
            )
        return rows

    def _body(self, doc: PrintedDocument) -> list[Row]:
        """正文: 3号仿宋, paragraphs indented two characters; heading runs of level 1 in 黑体,
        level 2 in 楷体 (GB/T 9704-2012 7.3.3)."""
        L = self.layout
        faces = {0: "body", 1: "hei", 2: "kai", 3: "body", 4: "body"}
        rows: list[Row] = []
        for p in doc.paragraphs:
            runs = [(p.text[: p.heading], faces[p.level]), (p.text[p.heading :], "body")]
            rows.extend(
                self.setter.flow(
                    [r for r in runs if r[0]],
                    x=L.margin_left,
                    width=L.type_width,
                    first_indent=2 * L.cell,
                    element="正文",
                )
            )
        return rows

    def _closing(self, doc: PrintedDocument) -> list[Row]:
        """附件说明, 发文机关署名, 成文日期, 附注 (7.3.4-7.3.6); the 出席/请假/列席 lists of
        minutes (10.3)."""
        L = self.layout
        s = self.setter
        rows: list[Row] = []
        if doc.attachments:
            rows.append(Row())
            label = "附件："
            label_w = s.width(label, "body", L.body_size, s.body_spacing)
            x = L.margin_left + 2 * L.cell
            numbered = len(doc.attachments) > 1
            for i, name in enumerate(doc.attachments, start=1):
                prefix = f"{i}." if numbered else ""
                prefix_w = s.width(prefix, "body", L.body_size, s.body_spacing)
                item = s.flow(
                    [(prefix + name, "body")],
                    x=x + label_w,
                    width=L.type_width - 2 * L.cell - label_w,
                    hang=prefix_w,
                    element="附件说明",
                )
                if i == 1:
                    first = item[0]
                    item[0] = Row(
                        (
                            Seg(x, label, "body", L.body_size, s.body_spacing, "附件说明"),
                            *first.segs,
                        )
                    )
                rows.extend(item)
        if doc.layout == "minutes":
            if doc.attendance:
                rows.append(Row())
            for label, names in doc.attendance:
                head = f"{label}："
                head_w = s.width(head, "hei", L.body_size, s.body_spacing)
                x = L.margin_left + 2 * L.cell
                listed = s.flow(
                    [("、".join(names), "body")],
                    x=x + head_w,
                    width=L.type_width - 2 * L.cell - head_w,
                    element="纪要出席",
                )
                first = listed[0]
                listed[0] = Row(
                    (Seg(x, head, "hei", L.body_size, s.body_spacing, "纪要出席"), *first.segs)
                )
                rows.extend(listed)
            return rows
        group = 1
        closing: list[Row] = [Row(group=group, attach_prev=True)] * max(1, L.seal_gap_lines)
        date_w = s.width(doc.date, "body", L.body_size, s.body_spacing)
        date_x = L.right - L.date_right_chars * L.cell - date_w
        centre = date_x + date_w / 2
        for name in doc.signatures:
            w = s.width(name, "body", L.body_size, s.body_spacing)
            x = min(centre - w / 2, L.right - w)
            closing.append(
                Row(
                    (
                        Seg(
                            max(L.margin_left, x),
                            name,
                            "body",
                            L.body_size,
                            s.body_spacing,
                            "发文机关署名",
                        ),
                    ),
                    group,
                )
            )
        closing.append(
            Row((Seg(date_x, doc.date, "body", L.body_size, s.body_spacing, "成文日期"),), group)
        )
        if doc.note:
            closing.append(
                Row(
                    (
                        Seg(
                            L.margin_left + 2 * L.cell,
                            doc.note,
                            "body",
                            L.body_size,
                            s.body_spacing,
                            "附注",
                        ),
                    ),
                    group,
                )
            )
        rows.extend(closing)
        return rows

    def _imprint_rows(self, doc: PrintedDocument, recipients: bool) -> list[tuple[str, list[Row]]]:
        """版记 (7.4): 4号仿宋, one character in from each side; the 主送机关 when they moved
        here, 抄送机关 (ending with 。), then 印发机关 on the left and 印发日期 on the right."""
        L = self.layout
        s = self.setter
        size = L.imprint_size
        em = size * PT
        x = L.margin_left + em
        width = L.type_width - 2 * em
        groups: list[tuple[str, list[Row]]] = []

        def listed(label: str, names: Sequence[str], end: str, element: str) -> list[Row]:
            head = f"{label}："
            head_w = s.width(head, "body", size)
            rows = s.flow(
                [("，".join(names) + end, "body")],
                x=x + head_w,
                width=width - head_w,
                size=size,
                spacing=0.0,
                element=element,
            )
            rows[0] = Row((Seg(x, head, "body", size, 0.0, element), *rows[0].segs))
            return rows

        if recipients and doc.main_recipients:
            groups.append(("主送机关", listed("主送", doc.main_recipients, "", "主送机关")))
        if doc.copy_to:
            groups.append(("抄送机关", listed(doc.copy_to_label, doc.copy_to, "。", "抄送机关")))
        if doc.layout != "letter":
            on = f"{doc.printed_on}印发"
            on_w = s.width(on, "body", size)
            groups.append(
                (
                    "印发",
                    [
                        Row(
                            (
                                Seg(x, doc.printed_by, "body", size, 0.0, "印发机关"),
                                Seg(L.right - em - on_w, on, "body", size, 0.0, "印发日期"),
                            )
                        )
                    ],
                )
            )
        return groups

    def _finish(
        self, doc: PrintedDocument, pager: _Pages, imprint: list[tuple[str, list[Row]]], copy: int
    ) -> list[Page]:
        L = self.layout
        lines = L.lines_per_page
        contents = [(head, rows) for head, rows in zip(pager.heads, pager.pages, strict=True)]
        n_imprint = sum(len(rows) for _, rows in imprint)
        kinds = ["text"] * len(contents)
        imprint_page = len(contents) - 1
        if n_imprint:
            last_used = max((r for r, _ in contents[-1][1]), default=pager.row - 1)
            fits = last_used + 1 + n_imprint <= lines
            even = (len(contents)) % 2 == 0
            if not fits or (L.imprint_on_even_page and not even):
                if L.imprint_on_even_page and (len(contents) + 1) % 2 == 1:
                    contents.append(([], []))
                    kinds.append("blank")
                contents.append(([], []))
                kinds.append("imprint")
                imprint_page = len(contents) - 1
        pages: list[Page] = []
        for i, ((head, rows), kind) in enumerate(zip(contents, kinds, strict=True)):
            marks: list[Mark] = list(head)
            for row_index, row in rows:
                for seg in row.segs:
                    marks.append(
                        TextMark(
                            seg.x,
                            self.baseline(row_index, seg.size),
                            seg.text,
                            seg.face,
                            seg.size,
                            seg.spacing,
                            element=seg.element,
                        )
                    )
            if n_imprint and i == imprint_page:
                marks.extend(self._imprint_marks(imprint))
            number = i + 1
            numbered = kind == "text" and not (doc.layout == "letter" and i == 0)
            if numbered:
                marks.append(self._page_number(number))
            pages.append(Page(tuple(marks), kind, number if numbered else None, copy))
        return pages

    def _imprint_marks(self, imprint: list[tuple[str, list[Row]]]) -> list[Mark]:
        L = self.layout
        lines = L.lines_per_page
        total = sum(len(rows) for _, rows in imprint)
        row = lines - total
        ruled = any(name == "印发" for name, _ in imprint)
        marks: list[Mark] = []
        for g, (_, rows) in enumerate(imprint):
            top = self.row_top(row)
            if ruled:
                width = L.imprint_thick if g == 0 else L.imprint_thin
                marks.append(RuleMark(L.margin_left, top, L.right, top, width, BLACK, "版记分隔线"))
            for r in rows:
                for seg in r.segs:
                    marks.append(
                        TextMark(
                            seg.x,
                            self.baseline(row, seg.size),
                            seg.text,
                            seg.face,
                            seg.size,
                            seg.spacing,
                            element=seg.element,
                        )
                    )
                row += 1
        if ruled:
            y = L.bottom - L.imprint_thick / 2
            marks.append(
                RuleMark(L.margin_left, y, L.right, y, L.imprint_thick, BLACK, "版记分隔线")
            )
        return marks

    def _page_number(self, number: int) -> TextMark:
        """页码 (7.5): 4号半角宋体, “— N —”, 7 mm under the type area; odd pages one
        character in from the right, even pages from the left."""
        L = self.layout
        size = L.page_number_size
        em = size * PT
        text = f"— {number} —"
        w = self.setter.width(text, "song", size)
        x = L.right - em - w if number % 2 else L.margin_left + em
        return TextMark(
            x, L.bottom + L.page_number_gap + 0.88 * em, text, "song", size, element="页码"
        )
