"""The PDF writer: draws the typeset pages with fpdf2, embedding subsets of freely licensed
CJK fonts (Noto Serif SC for 仿宋/宋体/小标宋/楷体, Noto Sans SC for 黑体, SIL OFL 1.1, from the
``pylopdf-fonts-zh-cn`` package, or the layout table's own font files; ADR 0045), so the file
prints the same everywhere.

The output is deterministic — the same pages give the same bytes — so a rendering's
SHA-256 can be checked by rendering again (ADR 0046): the creation date is the 印发日期,
fpdf2's file identifier is derived from the content, and the embedded fonts are
deterministic subsets (:mod:`govoffice.adapters.gbt9704.fonts`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pylopdf_fonts_zh_cn
from fpdf import FPDF
from fpdf.enums import TextMode

from govoffice.adapters.gbt9704.fonts import metrics, truetype_subset
from govoffice.adapters.gbt9704.layout import PT, Layout
from govoffice.adapters.gbt9704.typeset import Page, RuleMark, TextMark, Typesetter
from govoffice.application.printing import PrintedDocument

FACES = {"title": "serif", "body": "serif", "song": "serif", "kai": "kai", "hei": "sans"}
"""Each face of the layout and the font family that draws it."""


@cache
def default_fonts() -> dict[str, str]:
    return {
        "serif": str(pylopdf_fonts_zh_cn.serif_path()),
        "sans": str(pylopdf_fonts_zh_cn.sans_path()),
    }


def font_files(layout: Layout) -> dict[str, str]:
    """The font file of each family: the layout's, else the packaged Noto fonts (楷体 has
    no free packaged face: the serif stands in unless the layout names one)."""
    fonts = default_fonts()
    serif = layout.pdf_serif or fonts["serif"]
    return {
        "serif": serif,
        "sans": layout.pdf_sans or fonts["sans"],
        "kai": layout.pdf_kai or serif,
    }


class PdfWriter:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        files = font_files(layout)
        # one font file is embedded once, whatever the faces it draws
        self.family = {face: files[family] for face, family in FACES.items()}

    def measure(self, text: str, face: str, size: float) -> float:
        return metrics(self.family[face]).width(text, size) * PT

    def write(self, copies: Sequence[PrintedDocument]) -> bytes:
        L = self.layout
        typeset = Typesetter(L, self.measure).typeset(copies)
        used: dict[str, set[str]] = {}
        for page in typeset.pages:
            for mark in page.marks:
                if isinstance(mark, TextMark):
                    used.setdefault(self.family[mark.face], set()).update(mark.text)
        pdf = FPDF(unit="mm", format=(L.page_width, L.page_height))
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        first = copies[0]
        pdf.set_title(first.title)
        pdf.set_subject(first.number)
        pdf.set_author(first.mark[0])
        pdf.set_creator("govoffice")
        pdf.set_producer("govoffice GB/T 9704 renderer")
        issued = first.issued
        pdf.set_creation_date(dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC))
        pdf.set_lang("zh-CN")
        names = {path: f"f{i}" for i, path in enumerate(sorted(used))}
        with tempfile.TemporaryDirectory(prefix="govoffice-fonts-") as tmp:
            for path, name in names.items():
                subset_file = Path(tmp) / f"{name}.ttf"
                subset_file.write_bytes(truetype_subset(path, "".join(sorted(used[path]))))
                pdf.add_font(name, "", str(subset_file))
            self.names = {face: names.get(path, "") for face, path in self.family.items()}
            for page in typeset.pages:
                self._page(pdf, page)
            return bytes(pdf.output())

    def _page(self, pdf: FPDF, page: Page) -> None:
        pdf.add_page()
        for mark in page.marks:
            if isinstance(mark, RuleMark):
                pdf.set_draw_color(*mark.color)
                pdf.set_line_width(mark.width)
                pdf.line(mark.x1, mark.y1, mark.x2, mark.y2)
                continue
            self._text(pdf, mark)

    def _text(self, pdf: FPDF, mark: TextMark) -> None:
        pdf.set_font(self.names[mark.face], size=mark.size)
        pdf.set_text_color(*mark.color)
        pdf.set_char_spacing(mark.spacing / PT)
        pdf.set_stretching(mark.stretch)
        if mark.stroke:
            pdf.text_mode = TextMode.FILL_STROKE
            pdf.set_draw_color(*mark.color)
            pdf.set_line_width(mark.stroke * PT)
        else:
            pdf.text_mode = TextMode.FILL
        pdf.text(mark.x, mark.baseline, mark.text)
        pdf.text_mode = TextMode.FILL
