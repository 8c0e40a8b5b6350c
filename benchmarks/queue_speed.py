"""Benchmark of issue 14: ``office.queues.for_person`` (views current) at two office sizes.

For each scale, the simulated year (:func:`govoffice.demo.simulation.simulate_year`) is
generated once into a SQLite store and cached (``--cache-dir``, shared with
``annual_report.py``). The store is opened at the year's last evening, its views are
brought up to date, and then, for three people — the one with the most open items, one
with a middling queue and one with nothing waiting — ``for_person`` is timed (best and
CPU median of ``--repeat`` calls), beside the resolution it replaces (every open item's
rule resolved against the organisation, as govoffice did before ADR 0052, though with this
change's per-query caches: the code before the change was slower still, see the README),
measured in the same run. The last table gives the growth from the smallest scale to the largest: the goal is
at most 1.5x, and at most 10 ms at scale 3. Nothing is asserted. Run from the repository
root::

    python benchmarks/queue_speed.py                         # scales 0.3 and 3
    python benchmarks/queue_speed.py --scales 0.3 1 3 --repeat 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from annual_report import add_store_arguments, events_in, stores_at_scales

console = Console(width=120)
YEAR_END = "2026-12-31T18:00:00+08:00"


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """The best wall-clock milliseconds and the median CPU milliseconds of ``repeat`` calls
    (after one warm-up call). On a shared machine the wall-clock median mostly measures the
    other jobs; the CPU time of the process is the steadier figure."""
    call()
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return min(wall), statistics.median(cpu)


def measure(path: str, repeat: int) -> dict[str, Any]:
    import pendulum

    from govoffice.application.queues import (
        ITEMS,
        QueueItem,
        _item,
        _queue_order,
        _Resolver,
        _waiter,
    )
    from govoffice.bootstrap import open_office
    from govoffice.testing import SettableClock

    clock = SettableClock()
    office = open_office(f"sqlite:///{path}", clock=clock)
    try:
        clock.set(pendulum.parse(YEAR_END))
        queues = office.queues
        started = time.perf_counter()
        office.views.catch_up()
        caught_up = time.perf_counter() - started

        def by_resolving_every_item(person: str) -> list[QueueItem]:
            with queues._snapshot(None) as snap:
                resolve = _Resolver(snap.org, snap.at)
                found = []
                for doc in queues._items(snap):
                    people = resolve.people(_waiter(doc))
                    if person in people:
                        found.append(_item(doc, people, None, snap))
                    elif (leader := resolve.acts_for(person, people)) is not None:
                        found.append(_item(doc, people, leader, snap))
            return sorted(found, key=_queue_order)

        people = sorted(office.org.current().people)
        sizes = {p: len(queues.for_person(p)) for p in people}
        ordered = sorted(people, key=lambda p: (-sizes[p], p))
        busy = [p for p in ordered if sizes[p]]
        chosen = {
            "busiest": ordered[0],
            "middling": busy[len(busy) // 2],
            "empty queue": next(p for p in ordered if not sizes[p]),
        }
        open_items = sum(1 for _ in office.views.store.scan(queues.projection.view, ITEMS))
        rows = {}
        for label, person in chosen.items():
            assert queues.for_person(person) == by_resolving_every_item(person)
            rows[label] = {
                "person": person,
                "items": sizes[person],
                "index": timed(lambda p=person: queues.for_person(p), repeat),
                "old": timed(lambda p=person: by_resolving_every_item(p), max(3, repeat // 5)),
            }
        return {"open": open_items, "caught_up": caught_up, "rows": rows}
    finally:
        office.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_arguments(parser, [0.3, 3.0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    results = []
    for scale, path in stores_at_scales(args):
        result = measure(path, args.repeat)
        result |= {"scale": scale, "events": events_in(path)}
        results.append(result)
        console.print(
            f"scale {scale:g}: {result['events']:,} events, {result['open']:,} open items "
            f"(views caught up in {result['caught_up']:.1f} s)"
        )

    table = Table(title="queues.for_person at the year's end (ms: best wall / median CPU)")
    for column in [
        "scale",
        "events",
        "open items",
        "who",
        "their items",
        "index",
        "every item",
        "ratio (CPU)",
    ]:
        table.add_column(column, justify="right")
    for r in results:
        for label, row in r["rows"].items():
            best, median = row["index"]
            old_best, old_median = row["old"]
            table.add_row(
                f"{r['scale']:g}",
                f"{r['events']:,}",
                f"{r['open']:,}",
                f"{label} ({row['person']})",
                str(row["items"]),
                f"{best:.2f} / {median:.2f}",
                f"{old_best:.1f} / {old_median:.1f}",
                f"{old_median / median:.0f}x",
            )
    console.print(table)
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = Table(title=f"growth, scale {large['scale']:g} / scale {small['scale']:g}")
        for column in ["who", "index (median CPU)", "every item (median CPU)", "goal"]:
            growth.add_column(column, justify="right")
        for label in small["rows"]:
            new = large["rows"][label]["index"][1] / small["rows"][label]["index"][1]
            old = large["rows"][label]["old"][1] / small["rows"][label]["old"][1]
            growth.add_row(label, f"{new:.2f}x", f"{old:.2f}x", "≤ 1.5x, ≤ 10 ms")
        console.print(growth)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    console.print(f"[dim]load average {load:.1f}[/dim]")


if __name__ == "__main__":
    main()
