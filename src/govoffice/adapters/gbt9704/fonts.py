"""The fonts the PDF embeds: a per-document TrueType subset of a freely licensed CJK font.

The packaged Noto Serif SC and Noto Sans SC (SIL OFL 1.1) are OpenType fonts with CFF
outlines, CID-keyed. Embedded as they are (CIDFontType0), the PDF displays, but common
text extractors (pypdf, pdfminer.six) cannot read its text back, and some printers' RIPs
are known to mishandle CFF CID fonts. So each rendering builds a small TrueType font with
only the characters the document uses, their outlines converted to quadratic curves (cu2qu,
within 1/1000 em), keeping the source's names (copyright, licence) and metrics: the PDF
embeds it as a CIDFontType2 font with an Identity-H encoding and a ToUnicode map, which
every reader handles (ADR 0045).

The source font is parsed once per process and each converted glyph is kept, so a
document's font costs only its new characters. The result is deterministic (same
characters, same bytes), so a document renders to the same bytes again.
"""

from __future__ import annotations

import copy
import io
import threading
from functools import cache, lru_cache
from typing import Any

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

MAX_ERROR = 1.0
"""The largest distance (font units, 1/1000 em) between a CFF curve and its conversion."""


class FontSource:
    """One OpenType font file: advance widths for measuring, and TrueType outlines of the
    glyphs documents use (converted once each)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.font = TTFont(path, lazy=True, recalcTimestamp=False)
        self.units = int(self.font["head"].unitsPerEm)
        self.cmap: dict[int, str] = dict(self.font.getBestCmap())
        self.metrics: dict[str, tuple[int, int]] = dict(self.font["hmtx"].metrics)
        self.notdef = self.metrics.get(".notdef", (self.units, 0))[0]
        self._outlines: dict[str, Any] = {}

    def width(self, text: str, size_pt: float) -> float:
        """Width in points of ``text`` at ``size_pt``."""
        total = 0
        for ch in text:
            name = self.cmap.get(ord(ch))
            total += self.metrics[name][0] if name is not None else self.notdef
        return total / self.units * size_pt

    def _outline(self, name: str) -> Any:
        glyph = self._outlines.get(name)
        if glyph is None:
            pen = TTGlyphPen(None)
            if "glyf" in self.font:
                self.font.getGlyphSet()[name].draw(pen)
            else:
                glyph_set = self.font.getGlyphSet()
                glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
            glyph = self._outlines[name] = pen.glyph()
        return glyph

    def truetype(self, characters: str) -> bytes:
        """A TrueType font of ``characters`` (those the font has) and .notdef."""
        with self._lock:
            chars = sorted({ord(ch) for ch in characters if ord(ch) in self.cmap})
            names = [".notdef", *dict.fromkeys(self.cmap[c] for c in chars)]
            glyphs = {name: copy.deepcopy(self._outline(name)) for name in names}
            source = self.font
            builder = FontBuilder(self.units, isTTF=True)
            builder.font.recalcTimestamp = False
            builder.setupGlyphOrder(names)
            builder.setupCharacterMap({c: self.cmap[c] for c in chars})
            builder.setupGlyf(glyphs)
            builder.setupHorizontalMetrics({name: self.metrics[name] for name in names})
            hhea = source["hhea"]
            builder.setupHorizontalHeader(
                ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap
            )
            head = source["head"]
            builder.setupHead(
                unitsPerEm=self.units,
                created=head.created,
                modified=head.modified,
                fontRevision=head.fontRevision,
                macStyle=head.macStyle,
            )
            builder.font["name"] = copy.deepcopy(source["name"])
            builder.font["OS/2"] = copy.deepcopy(source["OS/2"])
            post = source["post"]
            builder.setupPost(
                italicAngle=post.italicAngle,
                underlinePosition=post.underlinePosition,
                underlineThickness=post.underlineThickness,
                isFixedPitch=post.isFixedPitch,
            )
            builder.setupMaxp()
            out = io.BytesIO()
            builder.font.save(out)
            return out.getvalue()


@cache
def source(path: str) -> FontSource:
    return FontSource(path)


def metrics(path: str) -> FontSource:
    """The font at ``path``, for measuring."""
    return source(path)


@lru_cache(maxsize=64)
def truetype_subset(path: str, characters: str) -> bytes:
    """The font at ``path`` cut down to ``characters`` (and .notdef), with TrueType outlines."""
    return source(path).truetype(characters)
