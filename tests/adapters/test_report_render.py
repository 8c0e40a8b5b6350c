"""Reports people open in their own tools (ADR 0043): CSV that Excel and WPS open as it is,
JSON whose values are numbers, HTML from templates an agency can replace, with monthly
trends; a new section of the report needs no new rendering code."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from govoffice import DocumentStatus, IncomingStatus
from govoffice.adapters.report_render import CSV_HEADER, RATIO, figures, page, render
from govoffice.application.reports import (
    AnnualReport,
    Breakdown,
    figure,
    section,
)
from govoffice.cli import main
from govoffice.errors import InvalidInput
from govoffice.testing import (
    incoming_document,
    office_for_tests,
    outgoing_document,
    standard_agency,
)


@pytest.fixture(scope="module")
def report() -> Iterator[AnnualReport]:
    """A small year: documents issued in March and April, one incoming document."""
    office = office_for_tests()
    try:
        people = standard_agency(office)
        for _ in range(3):
            outgoing_document(office, people, to=DocumentStatus.ARCHIVED)
        office.clock.advance(days=35)
        outgoing_document(office, people, to=DocumentStatus.REGISTERED, urgency="加急")
        incoming_document(office, people, to=IncomingStatus.ARCHIVED)
        yield office.reports.annual(2026)
    finally:
        office.close()


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


# --- CSV ------------------------------------------------------------------------------------


def test_csv_opens_in_excel_and_wps_as_it_is(report: AnnualReport, tmp_path: Path) -> None:
    """UTF-8 with a byte-order mark (how Excel and WPS tell UTF-8 from GBK), Chinese column
    labels, CRLF line ends; read back with the csv module, every figure is there."""
    text = render(report, "csv")
    path = tmp_path / "report.csv"
    path.write_bytes(text.encode("utf-8"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(CSV_HEADER)
    assert rows[0][:6] == ["章节", "指标", "分项", "数值", "单位", "显示值"]
    by_label = {(r[0], r[1], r[2]): r for r in rows[1:]}
    issued = by_label["一、发文", "发文(登记编号)", ""]
    assert issued[3:6] == ["4", "件", "4"]
    urgent = by_label["一、发文", "发文按缓急", "加急"]
    assert (urgent[3], urgent[6:]) == ("1", ["outgoing", "issued_by_urgency", "urgent"])
    march = by_label["一、发文", "发文按月份", "3月"]
    assert march[3] == "3" and march[8] == "03"
    assert len(rows) - 1 == 3 + sum(1 for _ in figures(report))


def test_csv_rates_are_fractions_with_their_shown_percentage(report: AnnualReport) -> None:
    rows = read_csv(render(report, "csv"))
    rates = [r for r in rows if r["单位"] == RATIO]
    assert rates, "the report has rates"
    for r in rates:
        if r["数值"]:
            assert 0 <= float(r["数值"]) <= 1 and r["显示值"].endswith("%")
        else:
            assert r["显示值"] == "—"
    spending = next(r for r in rows if r["指标代码"] == "spending")
    assert Decimal(spending["数值"]) == report.meetings.spending and spending["单位"] == "元"


def test_execution_table_cells_are_labelled_by_row_and_column(report: AnnualReport) -> None:
    rows = read_csv(render(report, "csv"))
    totals = [r for r in rows if r["分项代码"].startswith("total.")]
    assert {r["分项"] for r in totals} >= {"总计·代表人数", "总计·经费支出"}


# --- JSON -----------------------------------------------------------------------------------


def test_json_values_are_numbers_with_their_unit(report: AnnualReport) -> None:
    document = json.loads(render(report, "json"))
    values = {
        (s["key"], f["key"]): f for s in document["sections"] for f in s["figures"] if "value" in f
    }
    spending = values["meetings", "spending"]
    assert spending["unit"] == "元" and isinstance(spending["value"], int | float)
    assert Decimal(str(spending["value"])) == report.meetings.spending
    rate = values["meetings", "attendance_rate"]
    assert rate["unit"] == RATIO and rate["value"] is None and rate["text"] == "—"
    days = values["incoming", "average_handling_days"]
    assert isinstance(days["value"], float) and days["unit"] == "天"
    for s in document["sections"]:
        for f in s["figures"]:
            for b in f.get("breakdown", []):
                assert b["value"] is None or isinstance(b["value"], int | float), (f["key"], b)
    assert document["units"][RATIO].startswith("0~1")


def test_json_follows_its_published_schema(report: AnnualReport) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = importlib.resources.files("govoffice.adapters").joinpath(
        "templates/report/annual-report.schema.json"
    )
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    document = json.loads(render(report, "json"))
    jsonschema.validate(document, schema)
    assert document["schema"] == schema["$id"]
    document["sections"][0]["figures"][0]["value"] = "12"  # an amount as text is refused
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


# --- HTML -----------------------------------------------------------------------------------


def test_the_html_shows_monthly_trends_and_names_a_cjk_font_stack(report: AnnualReport) -> None:
    html = render(report, "html")
    assert "<h3>发文按月份</h3>" in html and 'aria-label="发文按月份"' in html
    assert "<title>3月 3</title>" in html and "<title>4月 1</title>" in html
    assert "全年合计 4件" in html
    stack = html[html.index("--cjk-sans:") : html.index(";", html.index("--cjk-sans:"))]
    for font in ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"):
        assert font in stack
    assert stack.rstrip().endswith("sans-serif")  # falls back to the generic family
    assert "svg text { font-family: var(--cjk-sans)" in html


def test_an_agencys_templates_replace_govoffices(report: AnnualReport, tmp_path: Path) -> None:
    """A directory with a page that extends the original (a letterhead) and a style of its
    own; the chart macros it does not replace come from govoffice."""
    (tmp_path / "annual.html.j2").write_text(
        '{% extends "govoffice/annual.html.j2" %}'
        '{% block letterhead %}<div class="letterhead">{{ agency }}办公室 印</div>{% endblock %}',
        encoding="utf-8",
    )
    (tmp_path / "style.css").write_text("body { color: navy; }", encoding="utf-8")
    html = render(report, "html", template_dir=tmp_path)
    assert '<div class="letterhead">某市某局办公室 印</div>' in html
    assert "body { color: navy; }" in html and "--cjk-sans" not in html
    assert 'aria-label="发文按月份"' in html  # charts.html.j2 from govoffice
    default = render(report, "html")
    assert "letterhead" not in default and "--cjk-sans" in default


def test_a_whole_replacement_page_is_given_the_same_figures(
    report: AnnualReport, tmp_path: Path
) -> None:
    (tmp_path / "annual.html.j2").write_text(
        "{% for s in sections %}[{{ s.title }}:{{ s.scalars | length }}:"
        "{{ s.blocks | map(attribute='kind') | join(',') }}]{% endfor %}",
        encoding="utf-8",
    )
    text = render(report, "html", template_dir=tmp_path)
    assert "[一、发文:3:breakdown,breakdown,trend]" in text
    assert text.count("[") == len(report.sections())


def test_a_broken_template_or_directory_is_a_clear_error(
    report: AnnualReport, tmp_path: Path
) -> None:
    (tmp_path / "annual.html.j2").write_text("{% for s in sections %}{{ s.nope }}", "utf-8")
    with pytest.raises(InvalidInput, match=r"annual\.html\.j2"):
        render(report, "html", template_dir=tmp_path)
    (tmp_path / "annual.html.j2").write_text("{{ s.title }}", encoding="utf-8")
    with pytest.raises(InvalidInput, match="报告模板有误"):
        render(report, "html", template_dir=tmp_path)
    with pytest.raises(InvalidInput, match="模板目录"):
        render(report, "html", template_dir=tmp_path / "missing")


def test_values_from_the_store_are_escaped() -> None:
    """An agency or unit name with markup in it is shown, never run."""
    office = office_for_tests()
    try:
        office.org.establish(agency="<script>alert(1)</script>局", agency_code="X局", by="admin")
        html = render(office.reports.annual(2026), "html")
    finally:
        office.close()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;局" in html


# --- a new section ---------------------------------------------------------------------------


@attrs.frozen
class TargetFigures:
    units_assessed: int = attrs.field(metadata=figure("参加考评的处室", "个"))
    average_score: Decimal = attrs.field(metadata=figure("平均得分", "分"))
    met_rate: float | None = attrs.field(metadata=figure("达标率", "%"))
    by_month: Breakdown = attrs.field(metadata=figure("检查按月份", "次"))


def test_a_new_section_needs_no_rendering_code(report: AnnualReport) -> None:
    """The renderers walk the report's sections: a section added to the report (e.g. the
    annual targets) appears in every format with its figures and charts."""

    @attrs.frozen
    class WithTargets(AnnualReport):
        appraisal: TargetFigures = attrs.field(
            default=TargetFigures(
                12, Decimal("87.5"), 0.75, Breakdown.by_month({"06": 10, "12": 12})
            ),
            metadata=section("七、目标考评", "按年度目标考评指标表计。"),
        )

    extended = WithTargets(**attrs.asdict(report, recurse=False))
    md, html = render(extended, "md"), render(extended, "html")
    assert "## 七、目标考评" in md and "| 平均得分 | 87.5 | 分 |" in md
    assert '<section id="appraisal"><h2>七、目标考评</h2>' in html
    assert "<title>6月 10</title>" in html and '<td class="n">75%</td>' in html
    rows = read_csv(render(extended, "csv"))
    assert {"章节": "七、目标考评", "指标": "达标率", "数值": "0.75"}.items() <= next(
        r for r in rows if r["指标代码"] == "met_rate"
    ).items()
    document = json.loads(render(extended, "json"))
    [targets] = [s for s in document["sections"] if s["key"] == "appraisal"]
    assert targets["figures"][1] == {
        "key": "average_score",
        "label": "平均得分",
        "unit": "分",
        "value": 87.5,
        "text": "87.5",
    }
    assert page(extended)["sections"][-1]["blocks"][0]["kind"] == "trend"


def test_report_annual_takes_a_template_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url) as office:
        outgoing_document(office, standard_agency(office), to=DocumentStatus.REGISTERED)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "style.css").write_text("h1 { color: green; }", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        [
            *("report", "annual", "--year", "2026", "--format", "html", "--store", url),
            *("--template-dir", str(templates), "--out", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "h1 { color: green; }" in out.read_text(encoding="utf-8")
    csv_out = tmp_path / "report.csv"
    result = CliRunner().invoke(
        main,
        [
            *("report", "annual", "--year", "2026", "--format", "csv", "--store", url),
            *("--out", str(csv_out)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf\xe7\xab\xa0\xe8\x8a\x82")  # BOM 章节
