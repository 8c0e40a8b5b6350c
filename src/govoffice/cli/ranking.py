"""``govoffice ranking``: units ranked for a period (排名), as a table or JSON."""

from __future__ import annotations

import json

import click

from govoffice.cli import STORE_OPTION, console, main, opened

MEASURES = (
    "supervision_on_time, proposal_reply, proposal_satisfaction, incoming_days, "
    "attendance_deduction, information_score, target_score"
)
"""The measures' names, written out so that ``--help`` need not import the rankings (a test
checks them against :class:`~govoffice.application.rankings.Measure`)."""


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
def ranking(store: str | None, period_text: str, measure: str | None, fmt: str) -> None:
    """排名: the units ranked for a period by a measure, ties broken by the ranking rules'
    next measures; units equal on every measure share the rank. A period in which nothing
    was counted says so instead of showing a table of dashes."""
    from rich import box
    from rich.table import Table

    from govoffice.application.rankings import Measure, Period

    period = Period.parse(period_text)
    chosen = None if measure is None else Measure.parse(measure)
    with opened(store) as office:
        result = office.rankings.rank(period, chosen)
    counted = [row for row in result.rows if any(f.value is not None for f in row.figures.values())]
    if fmt == "json":
        out = result.as_dict() | {"empty": not counted}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not counted:
        console().print(
            f"{result.period}: 各处室在此期间均无可计的事项,无法排名 "
            "(nothing counted in this period: no ranking)"
        )
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
    console().print(table)
