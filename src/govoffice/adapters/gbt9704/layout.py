"""The layout table: every measure of GB/T 9704-2012 《党政机关公文格式》 the renderers use.

One table, GB/T 9704's values by default; an agency adjusts it by building its own
``Layout(...)`` (``attrs.evolve(GBT9704, ...)``) and handing it to the renderer. Lengths are
millimetres, font sizes points (号: 初号 42, 一号 26, 二号 22, 三号 16, 四号 14). The table's
fingerprint is recorded with every rendering (ADR 0046): a file can be rendered again only
with the table it was made with.
"""

from __future__ import annotations

import hashlib
import json

import attrs

PT = 25.4 / 72
"""One point in millimetres."""


@attrs.frozen
class Layout:
    """公文版式表."""

    # 5.2 幅面尺寸与版面: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
    page_width: float = 210.0
    page_height: float = 297.0
    margin_top: float = 37.0
    margin_left: float = 28.0
    type_width: float = 156.0
    type_height: float = 225.0
    # 5.2.3 一般每面排22行, 每行排28个字
    lines_per_page: int = 22
    chars_per_line: int = 28
    # 字号 (7.2-7.5)
    body_size: float = 16.0  # 正文 3号仿宋
    title_size: float = 22.0  # 标题 2号小标宋
    mark_size: float = 42.0  # 发文机关标志 (largest; narrowed to the type area when longer)
    imprint_size: float = 14.0  # 版记 4号仿宋
    page_number_size: float = 14.0  # 页码 4号半角宋体
    # 距离 (mm)
    mark_top: float = 35.0  # 7.2.4 标志上边缘至版心上边缘
    red_line_gap: float = 4.0  # 7.2.7 发文字号之下4mm处印红色分隔线
    red_line_width: float = 0.5
    imprint_thick: float = 0.35  # 7.4.1 首条、末条分隔线
    imprint_thin: float = 0.25  # 7.4.1 中间分隔线
    page_number_gap: float = 7.0  # 7.5 一字线上距版心下边缘7mm
    letter_mark_top: float = 30.0  # 10.1 信函: 标志上边缘至上页边
    letter_line_length: float = 170.0  # 10.1 红色双线长170mm
    letter_bottom_line: float = 20.0  # 10.1 距下页边20mm处印红色双线
    letter_thick: float = 0.8
    letter_thin: float = 0.3
    letter_double_gap: float = 0.6
    # 7.3.5 署名、成文日期: 成文日期右空四字; 正文与署名之间留出印章的位置(空行数)
    date_right_chars: int = 4
    seal_gap_lines: int = 2
    # 7.4 版记置于公文最后一面(封四): 版记页为双页, 必要时加空白页
    imprint_on_even_page: bool = True
    # 颜色 (RGB)
    red: tuple[int, int, int] = (255, 0, 0)
    # 字体: DOCX 写字体名(由 WPS/Word 按名取用); PDF 嵌入 pdf_* 字体文件(None: 随包的 Noto)
    font_title: str = "方正小标宋简体"
    font_body: str = "仿宋_GB2312"
    font_hei: str = "黑体"
    font_kai: str = "楷体_GB2312"
    font_song: str = "宋体"
    font_latin: str = "Times New Roman"
    pdf_serif: str | None = None
    pdf_sans: str | None = None
    pdf_kai: str | None = None
    title_stroke: float = 0.25  # PDF: 小标宋 drawn as the serif face with this outline (pt)

    @property
    def pitch(self) -> float:
        """The line pitch: 225 mm / 22 lines."""
        return self.type_height / self.lines_per_page

    @property
    def cell(self) -> float:
        """The character pitch: 156 mm / 28 characters."""
        return self.type_width / self.chars_per_line

    @property
    def right(self) -> float:
        return self.margin_left + self.type_width

    @property
    def bottom(self) -> float:
        return self.margin_top + self.type_height

    def fingerprint(self) -> str:
        """A short digest of every value of the table."""
        values = json.dumps(attrs.asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(values.encode()).hexdigest()[:12]


GBT9704 = Layout()
"""GB/T 9704-2012's values."""
