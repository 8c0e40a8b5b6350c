"""年度报告的呈现 rendering the annual report as Markdown, HTML, JSON or CSV.

Every format walks the same sections and figures (:meth:`AnnualReport.sections`), so the four
renderings carry the same numbers; they differ only in how a figure is written:

- a scalar (count, amount, rate, days), a :class:`Breakdown` (a figure by one dimension) or
  a table (:class:`Table`: 年度会议执行情况, 年度目标考评结果);
- Markdown and HTML write rates as percentages and leave out the zero rows of a breakdown;
  HTML adds inline SVG bar charts and needs nothing but a browser (no scripts, no CDN);
- JSON keeps every value (rates as fractions 0..1, amounts as exact decimal strings, ``null``
  when undefined), CSV has one row per figure and dimension: ``section, figure, dimension,
  value``.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from govoffice.application.reports import (
    AnnualReport,
    Breakdown,
    Entry,
    Scalar,
    Section,
    Table,
    amount,
    percent,
)
from govoffice.domain.errors import InvalidInput

FORMATS = ("md", "html", "json", "csv")
"""The formats :func:`render` writes."""

CSV_HEADER = ("section", "figure", "dimension", "value")


def render(report: AnnualReport, fmt: str) -> str:
    """The report in ``fmt`` (``md``, ``html``, ``json`` or ``csv``), as text."""
    renderers: dict[str, Callable[[AnnualReport], str]] = {
        "md": _markdown,
        "html": _html,
        "json": _json,
        "csv": _csv,
    }
    if fmt not in renderers:
        raise InvalidInput(
            f"报告格式 {fmt!r} 不支持,可选: {'、'.join(FORMATS)} (unknown report format)",
            format=fmt,
        )
    return renderers[fmt](report)


# --- values -----------------------------------------------------------------------------------


def shown(value: Scalar, unit: str) -> str:
    """A value as a clerk reads it: rates as percentages, amounts without exponent, ``—``
    when undefined."""
    if value is None:
        return "—"
    if unit == "%" and isinstance(value, float | int):
        return percent(float(value))
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, Decimal):
        return amount(value)
    return str(value)


def plain(value: Scalar) -> Any:
    """A value for JSON: numbers stay numbers, amounts become exact decimal strings."""
    if isinstance(value, Decimal):
        return amount(value)
    return value


def flat(value: Scalar) -> str:
    """A value for CSV: exact, machine-readable (``repr`` of a float reads back equal)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _scalars(s: Section) -> Iterator[tuple[Entry, Scalar]]:
    """The section's single-valued figures."""
    for e in s.entries:
        if not isinstance(e.value, Breakdown | Table):
            yield e, e.value


def _labelled(label: str, unit: str) -> str:
    return f"{label}({unit})" if unit and unit != "%" else label


def _unit(unit: str) -> str:
    """The unit column: a rate already carries its % sign."""
    return "" if unit == "%" else unit


def _value_header(unit: str) -> str:
    """The value column of a breakdown: 占比 for shares, 数值(件) for counts and amounts."""
    return "占比" if unit == "%" else _labelled("数值", unit)


# --- the one walk ----------------------------------------------------------------------------


def figures(report: AnnualReport) -> Iterator[tuple[Section, Entry, str, Scalar]]:
    """Every number of the report as (section, figure, dimension, value): a scalar figure
    once with dimension ``""``, a breakdown once per dimension value (its code), the
    execution table once per cell (``{serial}.{column}``, and ``total.{column}``)."""
    for s in report.sections():
        for e in s.entries:
            value = e.value
            if isinstance(value, Breakdown):
                for share in value.shares:
                    yield s, e, share.code, share.value
            elif isinstance(value, Table):
                columns = [key for key, _, _ in value.columns()]
                for row in value.cells():
                    for key, cell in zip(columns, row, strict=True):
                        yield s, e, f"{row[0]}.{key}", cell
                for key, cell in zip(columns, value.total(), strict=True):
                    yield s, e, f"total.{key}", cell
            else:
                yield s, e, "", value


# --- CSV and JSON ------------------------------------------------------------------------------


def _csv(report: AnnualReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerow(("report", "year", "", str(report.year)))
    writer.writerow(("report", "agency", "", report.agency))
    writer.writerow(("report", "events", "", str(report.events)))
    for s, e, dimension, value in figures(report):
        writer.writerow((s.key, e.key, dimension, flat(value)))
    return out.getvalue()


def _json(report: AnnualReport) -> str:
    sections = []
    for s in report.sections():
        items = []
        for e in s.entries:
            item: dict[str, Any] = {"key": e.key, "label": e.label, "unit": e.unit}
            value = e.value
            if isinstance(value, Breakdown):
                item["dimension"] = value.dimension
                item["breakdown"] = [
                    {"code": x.code, "label": x.label, "value": plain(x.value)}
                    for x in value.shares
                ]
            elif isinstance(value, Table):
                item["table"] = {
                    "columns": [
                        {"key": k, "label": label, "unit": unit}
                        for k, label, unit in value.columns()
                    ],
                    "rows": [[plain(c) for c in row] for row in value.cells()],
                    "total": [plain(c) for c in value.total()],
                }
            else:
                item["value"] = plain(value)
            items.append(item)
        sections.append({"key": s.key, "title": s.title, "note": s.note, "figures": items})
    document = {
        "title": report.title,
        "year": report.year,
        "agency": report.agency,
        "events": report.events,
        "headline": list(report.headline),
        "sections": sections,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- Markdown ---------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: AnnualReport) -> str:
    lines = [f"# {report.title}", "", "## 总体情况", ""]
    lines += [f"- {sentence}" for sentence in report.headline]
    lines += ["", f"本年度共记录办公事项 {report.events} 项。", ""]
    for s in report.sections():
        lines += [f"## {s.title}", "", f"> {s.note}", ""]
        scalars = list(_scalars(s))
        if scalars:
            lines += ["| 指标 | 数值 | 单位 |", "|---|---:|---|"]
            for e, value in scalars:
                lines.append(f"| {_md_cell(e.label)} | {shown(value, e.unit)} | {_unit(e.unit)} |")
            lines.append("")
        for e in s.entries:
            if isinstance(e.value, Breakdown):
                lines += _md_breakdown(e, e.value)
            elif isinstance(e.value, Table):
                lines += _md_table(e, e.value)
    return "\n".join(lines).rstrip() + "\n"


def _md_breakdown(e: Entry, b: Breakdown) -> list[str]:
    lines = [f"**{e.label}**", ""]
    rows = [x for x in b.shares if x.value]
    if not rows:
        return [*lines, "无。", ""]
    lines += [f"| {b.dimension} | {_value_header(e.unit)} |", "|---|---:|"]
    lines += [f"| {_md_cell(x.label)} | {shown(x.value, e.unit)} |" for x in rows]
    if len(rows) < len(b.shares):
        lines.append("")
        lines.append("未列出的为 0。")
    return [*lines, ""]


def _md_table(e: Entry, t: Table) -> list[str]:
    columns = t.columns()
    lines = [f"**{e.label}**", ""]
    lines.append("| " + " | ".join(_labelled(label, unit) for _, label, unit in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in [*t.cells(), t.total()]:
        cells = [
            _md_cell(shown(c, u) if c != "" else "")
            for c, (_, _, u) in zip(row, columns, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


# --- HTML -------------------------------------------------------------------------------------

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
  sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.5; padding: 0 1em; }
h1 { color: #a31515; border-bottom: 3px solid #a31515; padding-bottom: .3em; }
h2 { color: #7a1010; border-left: 6px solid #a31515; padding-left: .5em; margin-top: 2em; }
h3 { font-size: 1em; margin: 1.2em 0 .4em; }
.headline { background: #fff7e6; border: 1px solid #f0d9a8; padding: .8em 1.2em; }
.headline li { margin: .2em 0; }
.note { color: #666; font-size: .9em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; }
th { background: #f3e9e9; }
td.t { white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #faf5f5; }
.pair { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.scalars td:first-child { min-width: 14em; }
.rate { display: inline-block; vertical-align: middle; margin-left: .5em; }
.empty { color: #888; }
.wide { overflow-x: auto; }
"""

BAR = "#c0392b"


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _rate_svg(rate: float) -> str:
    """A small gauge of a rate (0..1)."""
    width = max(0.0, min(1.0, rate)) * 120
    return (
        '<svg class="rate" width="124" height="12" viewBox="0 0 124 12" role="img" '
        f'aria-label="{_h(percent(rate))}">'
        '<rect x="1" y="1" width="120" height="10" fill="#eee" stroke="#bbb"/>'
        f'<rect x="1" y="1" width="{width:.1f}" height="10" fill="{BAR}"/></svg>'
    )


def _bars_svg(b: Breakdown, unit: str) -> str:
    """A horizontal bar chart of a breakdown's non-zero values."""
    rows = [(x.label, float(x.value), shown(x.value, unit)) for x in b.shares if x.value]
    if not rows:
        return ""
    top = max(v for _, v, _ in rows) or 1.0
    longest = max(len(label) for label, _, _ in rows)
    label_w, bar_w, row_h = max(60, longest * 14 + 12), 300, 24
    height = row_h * len(rows) + 8
    parts = [
        f'<svg width="{label_w + bar_w + 90}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + 90} {height}" role="img" '
        f'aria-label="{_h(b.dimension)}" font-size="13" font-family="sans-serif">'
    ]
    for i, (label, value, text) in enumerate(rows):
        y = 4 + i * row_h
        width = max(1.0, value / top * bar_w)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{_h(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" '
            f'fill="{BAR}" rx="2"/>'
            f'<text x="{label_w + width + 6:.1f}" y="{y + 16}">{_h(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_breakdown(e: Entry, b: Breakdown) -> str:
    rows = [x for x in b.shares if x.value]
    head = f"<h3>{_h(e.label)}</h3>"
    if not rows:
        return head + '<p class="empty">无。</p>'
    table = [f"<table><tr><th>{_h(b.dimension)}</th><th>{_h(_value_header(e.unit))}</th></tr>"]
    table += [
        f'<tr><td>{_h(x.label)}</td><td class="n">{_h(shown(x.value, e.unit))}</td></tr>'
        for x in rows
    ]
    table.append("</table>")
    if len(rows) < len(b.shares):
        table.append('<p class="note">未列出的为 0。</p>')
    return f'{head}<div class="pair"><div>{"".join(table)}</div>{_bars_svg(b, e.unit)}</div>'


def _html_table(e: Entry, t: Table) -> str:
    columns = t.columns()
    out = [f'<h3>{_h(e.label)}</h3><div class="wide"><table><tr>']
    out += [f"<th>{_h(_labelled(label, unit))}</th>" for _, label, unit in columns]
    out.append("</tr>")
    body = [(row, "") for row in t.cells()] + [(t.total(), ' class="total"')]
    for row, css in body:
        out.append(f"<tr{css}>")
        for cell, (key, _, unit) in zip(row, columns, strict=True):
            number = isinstance(cell, int | float | Decimal) or cell is None
            kind = ' class="n"' if number else ' class="t"' if key == "time" else ""
            text = "" if cell == "" else shown(cell, unit)
            out.append(f"<td{kind}>{_h(text)}</td>")
        out.append("</tr>")
    out.append("</table></div>")
    return "".join(out)


def _html(report: AnnualReport) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_h(report.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_h(report.title)}</h1>",
        '<h2>总体情况</h2><ul class="headline">',
        *(f"<li>{_h(sentence)}</li>" for sentence in report.headline),
        "</ul>",
        f'<p class="note">本年度共记录办公事项 {report.events} 项。</p>',
    ]
    for s in report.sections():
        out.append(f'<section id="{_h(s.key)}"><h2>{_h(s.title)}</h2>')
        out.append(f'<p class="note">{_h(s.note)}</p>')
        scalars = list(_scalars(s))
        if scalars:
            out.append('<table class="scalars"><tr><th>指标</th><th>数值</th><th>单位</th></tr>')
            for e, value in scalars:
                gauge = _rate_svg(value) if e.unit == "%" and isinstance(value, float) else ""
                out.append(
                    f'<tr><td>{_h(e.label)}</td><td class="n">{_h(shown(value, e.unit))}</td>'
                    f"<td>{_h(_unit(e.unit))}{gauge}</td></tr>"
                )
            out.append("</table>")
        for e in s.entries:
            if isinstance(e.value, Breakdown):
                out.append(_html_breakdown(e, e.value))
            elif isinstance(e.value, Table):
                out.append(_html_table(e, e.value))
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


__all__ = ["CSV_HEADER", "FORMATS", "figures", "render", "shown"]
