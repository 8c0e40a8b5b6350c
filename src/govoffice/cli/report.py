"""``govoffice report``: the office's reports (年度报告), rendered from the event store.

``govoffice report annual --year 2025 [--format md|html|json|csv] [--out FILE] [--store URL]``
writes the annual report to FILE (or prints it). A store that does not exist, or a year with
no events, is a clear one-line error (exit status 2), never a traceback.
"""

from __future__ import annotations

import click

from govoffice.adapters.config import require_existing
from govoffice.cli import STORE_OPTION, err_console, main, opened
from govoffice.domain.errors import InvalidInput, StoreNotFound

FORMATS = ("md", "html", "json", "csv")
"""The formats of :func:`govoffice.adapters.report_render.render` (written out so that
``--help`` need not import the renderer; a test checks they agree)."""

__all__ = ["FORMATS", "StoreNotFound", "existing_store", "report"]


def existing_store(url: str) -> str:
    """The store URL, once an SQLite file store is known to exist (opening a missing file
    would create an empty database)."""
    return require_existing(url)


@main.group()
def report() -> None:
    """Reports from the office's records: the annual report (年度报告)."""


@report.command()
@STORE_OPTION
@click.option("--year", type=click.IntRange(1949, 9999), required=True, help="The report's year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md (Markdown), html (one self-contained page with charts), json or csv.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the report to this file (default: print it).",
)
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="HTML from your own Jinja2 templates (annual.html.j2, charts.html.j2, style.css); "
    "a file missing there is taken from govoffice's.",
)
def annual(
    store: str | None, year: int, fmt: str, out: str | None, template_dir: str | None
) -> None:
    """年度报告: documents, incoming documents, meetings, proposals, supervision and
    information figures of YEAR, every format from the same figures. CSV opens as it is in
    Excel and WPS (UTF-8 with BOM, Chinese column labels); JSON values are numbers."""
    from govoffice.adapters.report_render import render

    with opened(store, existing=True) as office:
        text = render(office.reports.annual(year), fmt, template_dir=template_dir)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as e:
        raise InvalidInput(f"无法写入 {out}: {e.strerror or e} (cannot write the report)") from None
    err_console().print(f"已写入 {out} ({fmt}, {year} 年度报告)")
