"""``govoffice ranking``: units ranked for a period (排名), as a table or JSON."""

from __future__ import annotations

import json

import click
from rich import box
from rich.table import Table

from govoffice.application.rankings import Measure, Period
from govoffice.cli import STORE_OPTION, console, main, opened

MEASURES = ", ".join(m.value for m in Measure)


@main.command()
@STORE_OPTION
@click.option(
    "--period",
    "period_text",
    required=True,
    help="2026 (year), 2026-Q1 (quarter), 2026-03 (month) or 2026-01-01..2026-06-30.",
)
@click.option(
    "--measure",
    default=None,
    help=f"Rank by this measure ({MEASURES}; or its Chinese name). Default: the rules' first.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def ranking(store: str, period_text: str, measure: str | None, fmt: str) -> None:
    """排名: the units ranked for a period by a measure, ties broken by the ranking rules'
    next measures; units equal on every measure share the rank."""
    period = Period.parse(period_text)
    chosen = None if measure is None else Measure.parse(measure)
    with opened(store) as office:
        result = office.rankings.rank(period, chosen)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"{result.period} 按{result.measure.label}排名",
        caption=(
            f"并列时依次比较{'、'.join(m.short for m in result.tie_breakers)},"
            f"全部相同者名次并列 (规则 {result.rules_version})"
        ),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("名次", justify="right", no_wrap=True)
    table.add_column("处室", no_wrap=True)
    table.add_column(result.measure.short, justify="right", no_wrap=True)
    for m in result.tie_breakers:
        table.add_column(m.short, justify="right", no_wrap=True)
    for row in result.rows:
        table.add_row(
            "—" if row.rank is None else str(row.rank),
            row.name,
            row.figures[result.measure].text(),
            *(row.figures[m].short_text() for m in result.tie_breakers),
        )
    console.print(table)
