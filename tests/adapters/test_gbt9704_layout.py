"""The issued 公文 as files, laid out per GB/T 9704-2012 from the record.

Each kind of document is rendered through ``office.documents.render`` (minutes through
``office.printing.render``), then read back: the DOCX with python-docx (the library that
wrote it), the PDF's text with pypdf, and the PDF's pages as pictures made by poppler's
``pdftoppm``, measured with Pillow (the red line's position, the page count, the page
numbers). The pictures are kept under ``tests/artifacts/gbt9704/<test>/`` (not committed);
the path is printed.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pendulum
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from PIL import Image, ImageChops
from pypdf import PdfReader

from govoffice.application.office import Office
from govoffice.application.printing import PrintedDocument
from govoffice.domain.document import DocumentStatus
from govoffice.testing import AgencyPeople, SettableClock, outgoing_document
from tests.adapters.gbt9704_records import (
    JOINT,
    LETTER,
    NOTICE,
    REQUEST,
    classified,
    document,
    minutes,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "gbt9704"
DPI = 150
MM = 25.4 / DPI
"""Millimetres per pixel of the pictures."""
TYPE_TOP, TYPE_BOTTOM, LEFT, RIGHT = 37.0, 262.0, 28.0, 184.0


# --- reading the files back -------------------------------------------------------------------


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def in_order(haystack: str, needles: list[str]) -> None:
    """Every needle occurs in ``haystack``, each after the previous one."""
    position = 0
    for needle in needles:
        found = haystack.find(squeezed(needle), position)
        assert found >= 0, (
            f"{needle!r} not found after position {position}: {haystack[position : position + 80]!r}"
        )
        position = found + len(squeezed(needle))


def zone_texts(page: PrintedDocument) -> list[str]:
    return [text for _, _, text in page.zones()]


def pdf_text(pdf: bytes) -> str:
    """The text of every page, page numbers left out (a paragraph may go on over them)."""
    text = squeezed("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    return re.sub(r"—\d+—", "", text)


def pdf_runs(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's text runs with their position: (text, x mm from the left, baseline mm
    from the top)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[str, float, float]] = []
        page.extract_text(visitor_text=_visitor(runs, float(page.mediabox.height)))
        pages.append(runs)
    return pages


def _visitor(runs: list[tuple[str, float, float]], height: float) -> Callable[..., None]:
    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            runs.append((text, tm[4] * 25.4 / 72, (height - tm[5]) * 25.4 / 72))

    return visit


def run_at(runs: list[tuple[str, float, float]], text: str) -> tuple[float, float]:
    for t, x, y in runs:
        if text in t:
            return x, y
    raise AssertionError(f"{text!r} not on the page: {[t for t, _, _ in runs]}")


def docx_blocks(content: bytes) -> tuple[DocxDocument, list[str]]:
    """The document and the text of each paragraph of its body, table cells included, in
    order (footers aside)."""
    doc = Document(io.BytesIO(content))
    texts: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            texts.append(Paragraph(child, doc).text)
        elif child.tag == qn("w:tbl"):
            texts.extend(Paragraph(p, doc).text for p in child.iter(qn("w:p")))
    return doc, texts


def east_asian_font(run: object) -> str | None:
    fonts = run._element.rPr.rFonts  # type: ignore[attr-defined]
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def runs_with(doc: DocxDocument, text: str) -> Iterator[object]:
    for p in doc.paragraphs:
        for run in p.runs:
            if text in run.text:
                yield run


# --- the pictures -------------------------------------------------------------------------------


def pictures(pdf: bytes, request: pytest.FixtureRequest) -> list[Image.Image]:
    """The PDF's pages as PNG (pdftoppm at 150 dpi), kept under tests/artifacts/gbt9704."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm (Debian package poppler-utils) is missing; .ci/run installs it")
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")
    target = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    source = target / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(source), str(target / "page")], check=True
    )
    files = sorted(target.glob("page-*.png"), key=lambda f: int(f.stem.split("-")[-1]))
    print(f"page pictures: {target}")
    return [Image.open(f).convert("RGB") for f in files]


def mask(image: Image.Image, *, red: bool) -> Image.Image:
    """White where the pixel is red ink (or dark ink), black elsewhere."""
    r, g, b = image.split()
    if red:
        parts = [r.point(lambda v: 255 if v > 180 else 0), g.point(lambda v: 255 if v < 110 else 0)]
        parts.append(b.point(lambda v: 255 if v < 110 else 0))
    else:
        parts = [c.point(lambda v: 255 if v < 110 else 0) for c in (r, g, b)]
    out = parts[0]
    for part in parts[1:]:
        out = ImageChops.multiply(out, part)
    return out


def full_width_lines(
    image: Image.Image, *, red: bool, x1: float = LEFT, x2: float = RIGHT
) -> list[tuple[float, float]]:
    """Horizontal rules across at least 95% of [x1, x2] mm: (top, bottom) in mm."""
    m = mask(image, red=red).crop((round(x1 / MM), 0, round(x2 / MM), image.height))
    profile = m.resize((1, m.height), Image.Resampling.BOX)
    rows = [y for y in range(m.height) if profile.getpixel((0, y)) >= 0.95 * 255]  # type: ignore[operator]
    lines: list[tuple[float, float]] = []
    for y in rows:
        if lines and y * MM - lines[-1][1] <= MM * 1.5:
            lines[-1] = (lines[-1][0], y * MM)
        else:
            lines.append((y * MM, y * MM))
    return lines


def ink_rows(
    image: Image.Image, box_mm: tuple[float, float, float, float], *, red: bool = False
) -> list[float]:
    """The rows (mm from the top) with ink inside ``box_mm`` (left, top, right, bottom)."""
    left, top, right, bottom = (round(v / MM) for v in box_mm)
    m = mask(image, red=red).crop((left, top, right, bottom))
    profile = m.resize((1, m.height), Image.Resampling.BOX)
    return [(top + y) * MM for y in range(m.height) if profile.getpixel((0, y)) > 0]  # type: ignore[operator]


def ink_columns(image: Image.Image, box_mm: tuple[float, float, float, float]) -> list[float]:
    left, top, right, bottom = (round(v / MM) for v in box_mm)
    m = mask(image, red=False).crop((left, top, right, bottom))
    profile = m.resize((m.width, 1), Image.Resampling.BOX)
    return [(left + x) * MM for x in range(m.width) if profile.getpixel((x, 0)) > 0]  # type: ignore[operator]


def red_extent(image: Image.Image, y_mm: float) -> tuple[float, float]:
    """The leftmost and rightmost red pixel (mm) on the row at ``y_mm``."""
    y = round(y_mm / MM)
    m = mask(image, red=True).crop((0, y, image.width, y + 1))
    xs = [x for x in range(m.width) if m.getpixel((x, 0))]
    return xs[0] * MM, (xs[-1] + 1) * MM


def page_number_side(image: Image.Image) -> str | None:
    """Where the page number is printed (the band under the type area): left, right, none."""
    columns = ink_columns(image, (10, TYPE_BOTTOM + 3, 200, TYPE_BOTTOM + 16))
    if not columns:
        return None
    return "right" if min(columns) > 105 else "left" if max(columns) < 105 else "both"


# --- the documents ------------------------------------------------------------------------------


def test_a_notice_is_laid_out_in_its_three_zones(office: Office, agency: AgencyPeople) -> None:
    """[GB/T 9704-2012 5, 7; 条例 第九条] 版头、主体、版记 with every element in order, as DOCX
    (fonts named) and as PDF (fonts embedded)."""
    doc = document(office, agency, **NOTICE)
    page = office.printing.model(doc)[0]
    expected = zone_texts(page)
    assert [z for z, _, _ in page.zones()][:2] == ["版头", "版头"]
    assert page.zones()[-1][:2] == ("版记", "印发日期")

    content = office.documents.render(doc, format="docx")
    word, blocks = docx_blocks(content)
    in_order(squeezed("".join(blocks)), expected)
    # the red head: 小标宋 in red; the 文号 paragraph carries the red line 4 mm under it
    mark = next(runs_with(word, "某市某局文件"))
    assert east_asian_font(mark) == "方正小标宋简体"
    assert str(mark.font.color.rgb) == "FF0000"  # type: ignore[attr-defined]
    number = next(p for p in word.paragraphs if p.text == "X政发〔2026〕1号")
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (border.get(qn("w:color")), border.get(qn("w:space"))) == ("FF0000", "11")
    title = next(runs_with(word, "春季安全检查工作的通知"))
    assert (east_asian_font(title), title.font.size.pt) == ("方正小标宋简体", 22)  # type: ignore[attr-defined]
    body = next(runs_with(word, "各处室要高度重视"))
    assert (east_asian_font(body), body.font.size.pt) == ("仿宋_GB2312", 16)  # type: ignore[attr-defined]
    assert east_asian_font(next(runs_with(word, "一、总体要求"))) == "黑体"
    assert east_asian_font(next(runs_with(word, "（一）加强领导。"))) == "楷体_GB2312"
    assert east_asian_font(next(runs_with(word, "1.制定方案。"))) == "仿宋_GB2312"
    # A4, 37/28 mm margins, 22 lines a page; page numbers on odd and even footers
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37  # type: ignore[union-attr]
    assert round(section.left_margin.mm) == 28  # type: ignore[union-attr]
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    # the 版记: a section of its own at the foot of an even page, without a page number
    imprint = word.sections[-1]
    assert imprint.start_type.name == "EVEN_PAGE"  # type: ignore[union-attr]
    assert imprint._sectPr.find(qn("w:vAlign")).get(qn("w:val")) == "bottom"
    assert "PAGE" not in imprint.footer._element.xml
    assert blocks[-3:] == [
        "抄送：市政府办公室，市应急管理局。",
        "某市某局办公室\t2026年3月2日印发",
        "",
    ]

    pdf = office.documents.render(doc, format="pdf")
    in_order(pdf_text(pdf), expected)
    assert PdfReader(io.BytesIO(pdf)).metadata.subject == "X政发〔2026〕1号"  # type: ignore[union-attr]
    # 文号: 代字〔年份〕顺序号号 (7.2.5); dates in Arabic numerals, unpadded (7.3.5.4, 7.4.3)
    assert re.findall(r"[^\d〔〕]{2}〔\d{4}〕[1-9]\d*号", pdf_text(pdf)) == ["政发〔2026〕1号"]
    dates = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", pdf_text(pdf))
    assert dates[-2:] == ["2026年3月2日"] * 2  # 成文日期, then 印发日期


def test_the_notice_pages_measured_on_their_pictures(
    office: Office, agency: AgencyPeople, request: pytest.FixtureRequest
) -> None:
    """[GB/T 9704-2012 7.2.4, 7.2.7, 7.4.1, 7.5] the mark 35 mm under the type area's top, the
    red line 4 mm under the 文号 and as wide as the type area, page numbers outside (odd
    right, even left); the text ends on page 2 without room for the 版记, so the 版记 goes to
    the foot of page 4 (封四) after an empty page 3, neither numbered, its last rule on the
    type area's bottom edge."""
    doc = document(office, agency, **NOTICE)
    pdf = office.documents.render(doc, format="pdf")
    pages = pictures(pdf, request)

    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages) == 4
    first, second, empty, imprint = pages
    red_lines = full_width_lines(first, red=True)
    assert len(red_lines) == 1
    line_top, line_bottom = red_lines[0]
    mark = ink_rows(first, (LEFT, TYPE_TOP, RIGHT, line_top - 15), red=True)
    assert abs(min(mark) - (TYPE_TOP + 35)) < 2.5  # the mark's top edge (glyph ink)
    number = ink_rows(first, (LEFT, max(mark) + 1, RIGHT, line_top - 0.5))
    assert 3.5 <= line_top - max(number) <= 5.5  # 4 mm under the 文号
    assert line_bottom - line_top < 1.0
    assert [page_number_side(p) for p in pages] == ["right", "left", None, None]
    assert not ink_rows(empty, (0, 0, 210, 297))
    rules = full_width_lines(imprint, red=False)
    assert len(rules) == 3  # 版记: top, between 抄送 and 印发, bottom
    assert abs(rules[-1][1] - TYPE_BOTTOM) < 1.0
    assert not ink_rows(imprint, (0, 0, 210, rules[0][0] - 1))  # the 版记 alone, at the foot
    assert not full_width_lines(second, red=False)


def test_a_request_names_its_signers_on_the_right_of_the_number(
    office: Office, agency: AgencyPeople, request: pytest.FixtureRequest
) -> None:
    """[GB/T 9704-2012 7.2.5, 7.2.6] 上行文: the 文号 one character in on the left, 签发人 on
    the right on the same line, the lead agency's signer first; [7.3.6] 请示 gives the
    contact in the 附注."""
    doc = document(office, agency, **REQUEST)
    page = office.printing.model(doc)[0]
    assert page.signers == ("何副局长", "某市财政局负责人")
    assert page.note == "（联系人：李拟稿，电话：0571-12345678）"

    _, blocks = docx_blocks(office.documents.render(doc, format="docx"))
    in_order(squeezed("".join(blocks)), zone_texts(page))
    line = next(b for b in blocks if "签发人" in b)
    assert line.index("X政发〔2026〕1号") < line.index("签发人：何副局长　某市财政局负责人")

    pdf = office.documents.render(doc, format="pdf")
    in_order(pdf_text(pdf), zone_texts(page))
    runs = pdf_runs(pdf)[0]
    number_x, number_y = run_at(runs, "X政发〔2026〕1号")
    label_x, label_y = run_at(runs, "签发人")
    names_x, names_y = run_at(runs, "何副局长")
    assert number_y == pytest.approx(label_y, abs=0.1) == pytest.approx(names_y, abs=0.1)
    assert number_x == pytest.approx(LEFT + 156 / 28, abs=0.3)  # 居左空一字
    assert number_x < label_x < names_x
    first = pictures(pdf, request)[0]
    ((line_top, _),) = full_width_lines(first, red=True)
    assert 3.5 <= line_top - number_y <= 6.5  # the red line under the number's line


def test_a_joint_document_lists_the_lead_first_and_is_dated_on_the_last_signature(
    office: Office, agency: AgencyPeople, clock: SettableClock
) -> None:
    """[GB/T 9704-2012 7.2.4; 条例 第九条(五)(十二)] 联合行文: 主办机关名称排列在前,“文件”二字
    置于右侧; 使用主办机关的发文字号; 成文日期署最后签发机关负责人签发的日期."""
    docs = office.documents
    doc = outgoing_document(office, agency, DocumentStatus.SIGNED, **JOINT)
    for day, issuer in ((4, "某市财政局"), (6, "某市应急管理局")):
        when = pendulum.datetime(2026, 3, day, 16, 30, tz="UTC")  # next morning in Beijing
        clock.set(when)
        docs.co_sign(
            doc, agency=issuer, signatory=f"{issuer[2:-1]}局长", by=agency.secretary, at=when
        )
    docs.register(doc, by=agency.secretary, distribution_scope="全局", copies=5)
    assert docs.recheck(doc, by=agency.secretary) == ()

    page = office.printing.model(doc)[0]
    assert page.mark == ("某市某局", "某市财政局", "某市应急管理局")
    assert page.signatures == page.mark
    assert page.date == "2026年3月7日"
    assert page.number == "X政发〔2026〕1号"

    _, blocks = docx_blocks(docs.render(doc, format="docx"))
    in_order(squeezed("".join(blocks)), zone_texts(page))
    assert blocks[:4] == ["", "某市某局", "某市财政局", "某市应急管理局"]  # the mark's table
    pdf = docs.render(doc, format="pdf")
    in_order(pdf_text(pdf), zone_texts(page))
    runs = pdf_runs(pdf)[0]
    names = [run_at(runs, n) for n in page.mark]
    suffix_x, suffix_y = run_at(runs, "文件")
    assert [y for _, y in names] == sorted(y for _, y in names)  # lead on top
    assert all(suffix_x > x for x, _ in names)  # “文件” on their right,
    assert names[0][1] < suffix_y < names[-1][1]  # vertically centred


def test_a_classified_extra_urgent_document_prints_numbered_copies(
    office: Office, agency: AgencyPeople, request: pytest.FixtureRequest
) -> None:
    """[GB/T 9704-2012 7.2.1-7.2.3, 7.5; 条例 第九条(一)-(三)] 份号、密级和保密期限、紧急程度 at
    the top left in that order; each copy its own 份号; no page number on the 版记 page."""
    doc = document(office, agency, copies=3, **classified(office.clock.now()))
    page = office.printing.model(doc)[0]
    assert page.zones()[:3] == [
        ("版头", "份号", "000001"),
        ("版头", "密级和保密期限", "机密★10年"),
        ("版头", "紧急程度", "特急"),
    ]
    assert page.note is None  # classified: no disclosure note

    second = office.documents.render(doc, format="docx", copy=2)
    _, blocks = docx_blocks(second)
    assert blocks[:3] == ["000002", "机密★10年", "特急"]
    pdf = office.documents.render(doc, format="pdf", copy=2)
    runs = pdf_runs(pdf)[0]
    positions = [run_at(runs, t) for t in ("000002", "机密★10年", "特急")]
    assert all(x == pytest.approx(LEFT, abs=0.2) for x, _ in positions)
    assert [y for _, y in positions] == sorted(y for _, y in positions)

    office.documents.print_copies(doc, site="机要室涉密文印间", by=agency.secretary, render="pdf")
    job = office.printing.model(doc, copies=(1, 2, 3))
    assert [p.copy_number for p in job] == ["000001", "000002", "000003"]
    printed = office.audit.verify_print(doc)
    assert printed.ok and printed.recorded is not None and printed.recorded.copies == 3
    whole = office.printing.renderer.render(job, "pdf")
    assert hashlib.sha256(whole).hexdigest() == printed.recorded.digest
    pages = pictures(whole, request)
    # each copy: the text on an odd page (numbered on the right), the 版记 alone on the
    # even page after it (no page number)
    assert len(pages) == 6
    assert [page_number_side(p) for p in pages] == ["right", None] * 3
    for imprint in pages[1::2]:
        assert abs(full_width_lines(imprint, red=False)[-1][1] - TYPE_BOTTOM) < 1.0
    assert [squeezed(p.extract_text())[:6] for p in PdfReader(io.BytesIO(whole)).pages[::2]] == [
        "000001",
        "000002",
        "000003",
    ]


def test_a_letter_uses_the_letter_format(
    office: Office, agency: AgencyPeople, request: pytest.FixtureRequest
) -> None:
    """[GB/T 9704-2012 10.1] 信函格式: the mark 30 mm from the top edge, red double lines
    170 mm long under it and 20 mm from the bottom edge, the 文号 at the right edge, no page
    number on the first page, a 版记 without 印发机关 and rules."""
    doc = document(office, agency, **LETTER)
    page = office.printing.model(doc)[0]
    assert page.layout == "letter" and page.mark == ("某市某局",) and page.mark_suffix == ""

    _, blocks = docx_blocks(office.documents.render(doc, format="docx"))
    in_order(squeezed("".join(blocks)), zone_texts(page))
    pdf = office.documents.render(doc, format="pdf")
    in_order(pdf_text(pdf), zone_texts(page))
    assert "印发" not in pdf_text(pdf)
    number_x, _ = run_at(pdf_runs(pdf)[0], "X局函〔2026〕1号")
    assert number_x > 105

    first = pictures(pdf, request)[0]
    lines = full_width_lines(first, red=True, x1=20.5, x2=189.5)
    assert len(lines) == 4  # two double lines
    (top_thick, top_thin), (_, bottom_thick) = lines[:2], lines[2:]
    assert top_thick[0] < top_thin[0] and top_thick[1] - top_thick[0] > top_thin[1] - top_thin[0]
    assert abs(bottom_thick[1] - (297 - 20)) < 1.0
    for top, bottom in lines:  # 170 mm long, centred: from 20 mm to 190 mm
        left, right = red_extent(first, (top + bottom) / 2)
        assert abs(left - 20) < 0.5 and abs(right - 190) < 0.5
    mark = ink_rows(first, (LEFT, 0, RIGHT, top_thick[0] - 1), red=True)
    assert abs(min(mark) - 30) < 2.5
    assert page_number_side(first) is None


def test_minutes_list_who_attended_from_the_attendance_facts(
    office: Office, agency: AgencyPeople, request: pytest.FixtureRequest
) -> None:
    """[GB/T 9704-2012 10.3; 001 会议 五(三)1] 纪要格式: “XXX纪要” in red; 出席、请假、列席
    from the meeting's attendance; numbered by the general office; 分送 in the 版记."""
    mid = minutes(office, agency)
    page = office.printing.model(mid)[0]
    assert page.mark == ("某市某局专题会议",) and page.mark_suffix == "纪要"
    assert page.number == "X局会议纪要〔2026〕1号"
    assert page.attendance == (
        ("出席", ("何副局长", "王处长", "周主任")),
        ("请假", ("刘处长", "赵法规")),
        ("列席", ("张科员（代刘处长）",)),
    )
    assert page.copy_to_label == "分送" and "业务一处" in page.copy_to

    _, blocks = docx_blocks(office.printing.render(mid, format="docx"))
    in_order(squeezed("".join(blocks)), zone_texts(page))
    pdf = office.printing.render(mid, format="pdf")
    text = pdf_text(pdf)
    in_order(text, zone_texts(page))
    assert "出席：何副局长、王处长、周主任" in text
    pages = pictures(pdf, request)
    assert len(full_width_lines(pages[0], red=True)) == 1
    assert ink_rows(pages[0], (LEFT, TYPE_TOP + 30, RIGHT, TYPE_TOP + 50), red=True)


def test_too_many_main_recipients_move_to_the_imprint(office: Office, agency: AgencyPeople) -> None:
    """[GB/T 9704-2012 7.3.2] 如主送机关名称过多导致公文首页不能显示正文时,应当将主送机关名称
    移至版记 — the first page always shows text."""
    many = [f"某市第{n}区人民政府办公室" for n in range(1, 61)]
    doc = document(office, agency, main_recipients=many)

    pdf = office.documents.render(doc, format="pdf")
    first_page = squeezed(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "为做好春季安全检查工作" in first_page
    assert "某市第1区人民政府办公室" not in first_page
    text = pdf_text(pdf)
    assert text.index("主送：某市第1区人民政府办公室") > text.index("某市某局2026年3月2日")
    _, blocks = docx_blocks(office.documents.render(doc, format="docx"))
    assert blocks[-4].startswith("主送：某市第1区人民政府办公室，")
