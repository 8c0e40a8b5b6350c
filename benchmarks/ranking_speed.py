"""Benchmark of issue 14: ``office.rankings.rank(period)`` at two office sizes.

For each scale, the simulated year (:func:`govoffice.demo.simulation.simulate_year`) is
generated once into a SQLite store and cached (``--cache-dir``, shared with
``annual_report.py`` and ``queue_speed.py``). The store is opened, its views are brought up
to date, and ``rank`` is timed for a month, a quarter and the year (best and median of
``--repeat`` calls), beside the figures read from every record's row (what ``rank`` did
before ADR 0052, and still does for a range that cuts a month), measured in the same run.
The last table gives the growth from the smallest scale to the largest: with the totals
kept per month, a ranking should cost the same at every office size, and a month less
than the year. Nothing is asserted. Run from the repository root::

    python benchmarks/ranking_speed.py                      # scales 0.3 and 3
    python benchmarks/ranking_speed.py --scales 0.3 1 3 --repeat 50
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from annual_report import add_store_arguments, events_in, stores_at_scales
from queue_speed import timed

console = Console(width=120)
PERIODS = {"month": "2026-06", "quarter": "2026-Q2", "year": "2026"}


def measure(path: str, repeat: int) -> dict[str, Any]:
    from govoffice.application.rankings import TOTALS, Period
    from govoffice.bootstrap import open_office

    office = open_office(f"sqlite:///{path}")
    try:
        rankings = office.rankings
        rankings.figures("2026")  # the views caught up
        store = office.views.store
        facts = [rankings.supervision, rankings.proposals, rankings.incoming, rankings.attendance]
        records = sum(sum(1 for _ in store.scan(f.view, f.table)) for f in facts)
        totals = sum(sum(1 for _ in store.scan(f.view, TOTALS)) for f in facts)
        rows = {}
        for label, spec in PERIODS.items():
            period = Period.parse(spec)
            assert rankings._figures(period, totals=True) == rankings._figures(period, totals=False)
            rows[label] = {
                "rank": timed(lambda p=period: rankings.rank(p), repeat),
                "totals": timed(lambda p=period: rankings._figures(p, totals=True), repeat),
                "records": timed(
                    lambda p=period: rankings._figures(p, totals=False), max(3, repeat // 3)
                ),
            }
        return {"records": records, "totals": totals, "rows": rows}
    finally:
        office.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_arguments(parser, [0.3, 3.0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    results = []
    for scale, path in stores_at_scales(args):
        result = measure(path, args.repeat) | {"scale": scale, "events": events_in(path)}
        results.append(result)
        console.print(
            f"scale {scale:g}: {result['events']:,} events, {result['records']:,} record rows, "
            f"{result['totals']:,} total rows"
        )

    table = Table(title="rankings (ms: best wall / median CPU)")
    columns = [
        "scale",
        "period",
        "rank()",
        "figures, totals",
        "figures, every record",
        "ratio (CPU)",
    ]
    for column in columns:
        table.add_column(column, justify="right")
    for r in results:
        for label, row in r["rows"].items():
            table.add_row(
                f"{r['scale']:g}",
                f"{label} ({PERIODS[label]})",
                "{:.2f} / {:.2f}".format(*row["rank"]),
                "{:.2f} / {:.2f}".format(*row["totals"]),
                "{:.1f} / {:.1f}".format(*row["records"]),
                f"{row['records'][1] / row['totals'][1]:.0f}x",
            )
    console.print(table)
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = Table(title=f"growth, scale {large['scale']:g} / scale {small['scale']:g}")
        for column in ["period (median CPU)", "rank()", "figures, totals", "figures, every record"]:
            growth.add_column(column, justify="right")
        for label in PERIODS:
            ratios = [
                large["rows"][label][k][1] / small["rows"][label][k][1]
                for k in ("rank", "totals", "records")
            ]
            growth.add_row(label, *(f"{x:.2f}x" for x in ratios))
        console.print(growth)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    console.print(f"[dim]load average {load:.1f}[/dim]")


if __name__ == "__main__":
    main()
