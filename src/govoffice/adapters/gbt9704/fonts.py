"""The fonts the PDF embeds: a per-document TrueType subset of a freely licensed CJK font.

The packaged Noto Serif SC and Noto Sans SC (SIL OFL 1.1) are OpenType fonts with CFF
outlines, CID-keyed. Embedded as they are (CIDFontType0), the PDF displays, but common
text extractors (pypdf, pdfminer.six) cannot read its text back, and some printers' RIPs
are known to mishandle CFF CID fonts. So each rendering takes from the font only the
characters the document uses (fontTools' subsetter) and converts their outlines to
TrueType quadratic curves (cu2qu, within 1/1000 em): the PDF embeds a small CIDFontType2
font with an Identity-H encoding and a ToUnicode map, which every reader handles (ADR 0045).
Both steps are deterministic, so a document renders to the same bytes again.
"""

from __future__ import annotations

import io
from functools import cache, lru_cache

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0
"""The largest distance (font units, 1/1000 em) between a CFF curve and its conversion."""


class FontMetrics:
    """The advance widths of one font file, for measuring text without loading outlines."""

    def __init__(self, path: str) -> None:
        font = TTFont(path, lazy=True)
        self.units = float(font["head"].unitsPerEm)
        self.cmap: dict[int, str] = dict(font.getBestCmap())
        self.advances: dict[str, int] = {
            name: advance for name, (advance, _) in font["hmtx"].metrics.items()
        }
        self.notdef = self.advances.get(".notdef", int(self.units))

    def width(self, text: str, size_pt: float) -> float:
        """Width in points of ``text`` at ``size_pt``."""
        total = sum(self.advances.get(self.cmap.get(ord(ch), ""), self.notdef) for ch in text)
        return total / self.units * size_pt

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.cmap


@cache
def metrics(path: str) -> FontMetrics:
    return FontMetrics(path)


@lru_cache(maxsize=64)
def truetype_subset(path: str, characters: str) -> bytes:
    """The font at ``path`` cut down to ``characters`` (and .notdef), with TrueType outlines."""
    font = TTFont(path, lazy=True, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.desubroutinize = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(ch) for ch in characters}))
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic TrueType ones (glyf, loca, maxp 1.0, post 3)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    head = font["head"]
    head.glyphDataFormat = 0
    head.indexToLocFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
