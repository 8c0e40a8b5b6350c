"""年度报告的呈现 rendering the annual report as Markdown, HTML, JSON or CSV.

Every format walks the same sections and figures (:meth:`AnnualReport.sections`), so the four
renderings carry the same numbers; they differ only in how a figure is written:

- a scalar (count, amount, rate, days), a :class:`Breakdown` (a figure by one dimension) or
  a table (:class:`Table`: 年度会议执行情况, 年度目标考评结果);
- Markdown and HTML write rates as percentages and leave out the zero rows of a breakdown;
  HTML is rendered from Jinja2 templates an agency can replace (``template_dir``), with
  inline SVG bar charts, month-by-month trends and a CJK font stack, and needs nothing but
  a browser (no scripts, no CDN);
- JSON keeps every value as a number (rates as fractions 0~1 under the unit 比率, amounts
  as numbers of 元 or 万元, ``null`` when undefined), each figure with its ``unit``;
- CSV is UTF-8 with a byte-order mark and Chinese column labels, one row per figure and
  dimension (:data:`CSV_HEADER`), so that Excel and WPS open it as it is (ADR 0043).
"""

from __future__ import annotations

import csv
import io
import json
import os
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


def render(
    report: AnnualReport, fmt: str, *, template_dir: str | os.PathLike[str] | None = None
) -> str:
    """The report in ``fmt`` (``md``, ``html``, ``json`` or ``csv``), as text.

    ``template_dir``: the HTML from an agency's own Jinja2 templates; a template missing
    there is taken from govoffice's (``templates/report``, see :func:`page` for what they
    are given)."""
    renderers: dict[str, Callable[[AnnualReport], str]] = {
        "md": _markdown,
        "html": lambda r: _html(r, template_dir),
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

CSV_HEADER = (
    "章节",
    "指标",
    "分项",
    "数值",
    "单位",
    "显示值",
    "章节代码",
    "指标代码",
    "分项代码",
)
"""The CSV's columns: Chinese labels first, for a clerk in Excel or WPS; the exact value in
数值 (rates as fractions 0~1, unit 比率; amounts in full); 显示值 as the report writes it;
the codes last, for programs."""

RATIO = "比率"
"""The unit of a rate in CSV and JSON: a fraction between 0 and 1 (0.952 is 95.2%)."""


def _value_unit(unit: str) -> str:
    return RATIO if unit == "%" else unit


def _csv(report: AnnualReport) -> str:
    """UTF-8 with a byte-order mark and CRLF line ends: Excel and WPS open it as it is."""
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF, quoted where needed
    writer.writerow(CSV_HEADER)
    about: tuple[tuple[str, str, int | str], ...] = (
        ("year", "年度", report.year),
        ("agency", "机关", report.agency),
        ("events", "记录事项", report.events),
    )
    for key, label, fact in about:
        writer.writerow(("报告", label, "", fact, "", fact, "report", key, ""))
    for s, e, dimension, value in figures(report):
        part, unit = _dimension_label(e, dimension), _value_unit(e.unit)
        writer.writerow(
            (
                s.title,
                e.label,
                part,
                flat(value),
                unit,
                shown(value, e.unit),
                s.key,
                e.key,
                dimension,
            )
        )
    return "\ufeff" + out.getvalue()


def _dimension_label(e: Entry, dimension: str) -> str:
    """分项: a breakdown's value label, or 第N行·列名 of the execution table."""
    value = e.value
    if isinstance(value, Breakdown):
        for share in value.shares:
            if share.code == dimension:
                return share.label
    if isinstance(value, Table) and "." in dimension:
        row, key = dimension.split(".", 1)
        labels = {k: label for k, label, _ in value.columns()}
        where = "总计" if row == "total" else f"第{row}行"
        return f"{where}·{labels.get(key, key)}"
    return dimension


def number(value: Scalar) -> Any:
    """A value for JSON: numbers stay numbers (amounts too: 1234.5, not "1234.50"), text
    stays text, undefined is null."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _json(report: AnnualReport) -> str:
    sections = []
    for s in report.sections():
        items = []
        for e in s.entries:
            unit = _value_unit(e.unit)
            item: dict[str, Any] = {"key": e.key, "label": e.label, "unit": unit}
            value = e.value
            if isinstance(value, Breakdown):
                item["dimension"] = value.dimension
                item["breakdown"] = [
                    {"code": x.code, "label": x.label, "value": number(x.value)}
                    for x in value.shares
                ]
            elif isinstance(value, Table):
                item["table"] = {
                    "columns": [
                        {"key": k, "label": label, "unit": u} for k, label, u in value.columns()
                    ],
                    "rows": [[number(c) for c in row] for row in value.cells()],
                    "total": [number(c) for c in value.total()],
                }
            else:
                item["value"] = number(value)
                item["text"] = shown(value, e.unit)
            items.append(item)
        sections.append({"key": s.key, "title": s.title, "note": s.note, "figures": items})
    document = {
        "schema": JSON_SCHEMA_ID,
        "title": report.title,
        "year": report.year,
        "agency": report.agency,
        "events": report.events,
        "headline": list(report.headline),
        "units": {RATIO: "0~1 的小数 (a fraction: 0.952 is 95.2%)"},
        "sections": sections,
        "log_head": json.loads(report.log_head) if report.log_head else None,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


JSON_SCHEMA_ID = "govoffice/annual-report/v2.schema.json"
"""Names the JSON Schema of the JSON rendering, shipped beside the templates
(``templates/report/annual-report.schema.json``): every value a number, text or null, in
the figure's ``unit``; rates (unit 比率) as fractions."""


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
    if report.log_head:  # ADR 0030: keep it; `govoffice audit verify --head` proves the rest
        lines += ["", "## 日志封印", "", f"`{report.log_head}`", ""]
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

TEMPLATES = "templates/report"
"""The default templates (package data of :mod:`govoffice.adapters`): ``annual.html.j2``,
the page; ``charts.html.j2``, the SVG chart macros; ``style.css``, inlined in the page."""


def _environment(template_dir: str | os.PathLike[str] | None) -> Any:
    """Templates from ``template_dir`` first, then govoffice's own: an agency replaces one
    file (its colours in ``style.css``, its page in ``annual.html.j2``) and keeps the rest; a
    replacement may extend the original, ``govoffice/annual.html.j2``, and fill its blocks
    ``letterhead`` and ``footer``."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not os.path.isdir(template_dir):
            raise InvalidInput(
                f"模板目录 {os.fspath(template_dir)!r} 不存在 (no such template directory)",
                template_dir=os.fspath(template_dir),
            )
        loaders.append(jinja2.FileSystemLoader(os.fspath(template_dir)))
    ours = jinja2.PackageLoader("govoffice.adapters", TEMPLATES)
    # ours under their own names, and as govoffice/<name> so that a replacement can extend
    # the original: {% extends "govoffice/annual.html.j2" %}{% block letterhead %}...
    loaders += [ours, jinja2.PrefixLoader({"govoffice": ours})]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _html(report: AnnualReport, template_dir: str | os.PathLike[str] | None = None) -> str:
    import jinja2

    env = _environment(template_dir)
    try:
        return str(env.get_template("annual.html.j2").render(page(report)))
    except jinja2.TemplateError as e:
        where = getattr(e, "filename", None) or getattr(e, "name", None) or ""
        line = getattr(e, "lineno", None)
        at = f" ({where}:{line})" if where and line else f" ({where})" if where else ""
        raise InvalidInput(
            f"报告模板有误{at}: {e.message or e} (report template error)", template=str(where)
        ) from None


BAR_WIDTH = 300
TREND_HEIGHT = 120


def page(report: AnnualReport) -> dict[str, Any]:
    """What the HTML templates are given: the report walked into sections of blocks, every
    number already written as a clerk reads it and every chart already measured, so that a
    template only lays them out and a new section needs no template code.

    ``sections``: ``key``, ``title``, ``note``, ``scalars`` (``label``, ``text``, ``unit``,
    ``rate``: 0~1 for a rate's gauge, else None) and ``blocks``, each a ``kind``:
    ``breakdown`` (``label``, ``dimension``, ``header``, ``rows``: ``label``, ``text``,
    ``width``; ``omitted``: zero rows left out), ``trend`` (``label``, ``points``: ``label``,
    ``value``, ``text``, ``height``; ``total``) or ``table`` (``label``, ``columns``,
    ``rows`` of cells with ``text`` and ``css``, ``total``).
    """
    sections = []
    for s in report.sections():
        scalars = [
            {
                "label": e.label,
                "text": shown(value, e.unit),
                "unit": _unit(e.unit),
                "rate": max(0.0, min(1.0, float(value)))
                if e.unit == "%" and isinstance(value, float | int)
                else None,
            }
            for e, value in _scalars(s)
        ]
        blocks = []
        for e in s.entries:
            if isinstance(e.value, Breakdown):
                blocks.append(_trend(e, e.value) if e.value.monthly else _breakdown(e, e.value))
            elif isinstance(e.value, Table):
                blocks.append(_table(e, e.value))
        sections.append(
            {"key": s.key, "title": s.title, "note": s.note, "scalars": scalars, "blocks": blocks}
        )
    return {
        "title": report.title,
        "agency": report.agency,
        "year": report.year,
        "events": report.events,
        "headline": list(report.headline),
        "sections": sections,
        "bar_width": BAR_WIDTH,
        "trend_height": TREND_HEIGHT,
    }


def _breakdown(e: Entry, b: Breakdown) -> dict[str, Any]:
    values = [(x, float(x.value)) for x in b.shares if x.value]
    top = max((v for _, v in values), default=0.0) or 1.0
    rows: list[dict[str, Any]] = [
        {
            "label": x.label,
            "text": shown(x.value, e.unit),
            "width": round(max(1.0, v / top * BAR_WIDTH), 1),
        }
        for x, v in values
    ]
    return {
        "kind": "breakdown",
        "label": e.label,
        "dimension": b.dimension,
        "header": _value_header(e.unit),
        "rows": rows,
        "omitted": len(rows) < len(b.shares),
        "label_width": max([60, *(len(r["label"]) * 14 + 12 for r in rows)]),
    }


def _trend(e: Entry, b: Breakdown) -> dict[str, Any]:
    values = [float(x.value) if x.value is not None else 0.0 for x in b.shares]
    top = max(values, default=0.0) or 1.0
    points = [
        {
            "label": x.label,
            "value": v,
            "text": shown(x.value, e.unit),
            "height": round(v / top * TREND_HEIGHT, 1),
        }
        for x, v in zip(b.shares, values, strict=True)
    ]
    total = sum((x.value for x in b.shares if isinstance(x.value, int | Decimal)), 0)
    return {
        "kind": "trend",
        "label": e.label,
        "unit": _unit(e.unit),
        "points": points,
        "total": shown(total, e.unit),
        "empty": not any(values),
    }


def _table(e: Entry, t: Table) -> dict[str, Any]:
    columns = t.columns()

    def cells(row: tuple[Scalar, ...]) -> list[dict[str, str]]:
        out = []
        for cell, (key, _, unit) in zip(row, columns, strict=True):
            is_number = isinstance(cell, int | float | Decimal) or cell is None
            css = "n" if is_number else "t" if key == "time" else ""
            out.append({"text": "" if cell == "" else shown(cell, unit), "css": css})
        return out

    return {
        "kind": "table",
        "label": e.label,
        "columns": [_labelled(label, unit) for _, label, unit in columns],
        "rows": [cells(row) for row in t.cells()],
        "total": cells(t.total()),
    }


__all__ = ["CSV_HEADER", "FORMATS", "RATIO", "figures", "number", "page", "render", "shown"]
