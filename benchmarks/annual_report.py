"""Benchmark (c) of issue 6: the annual report from cold, at scale 1 and scale 10.

For each scale, a store of the simulated year (:func:`govoffice.demo.simulation.simulate_year`
on SQLite, about 100k events at scale 1 and 1M at scale 10) is generated once and cached
(``--cache-dir``); generating is slow at scale 10 (see the README's Performance section).
Then, for each store, a new process copies the file, forgets every view (a fresh view
store), and times ``office.reports.annual(year)`` rendered as Markdown: the report's view
(the annual figures) takes in the whole log, the report reads its figures. It reports the
process's peak resident memory (``VmHWM``) and, with ``--tracemalloc``, the peak of Python
allocations (slower). The same process then rebuilds every view of the office from nothing
(``office.views.rebuild()``: the queues and rankings too, as ``govoffice rebuild`` does) and
reports that time and the peak memory after it. The table ends with the ratio of the largest
scale to the smallest: time should grow with the events, memory should stay flat.

Issue 6 targets: scale 10 from cold in under 2 minutes, peak memory under 500 MB and flat
in the number of events. Not a test: nothing is asserted. Run from the repository root::

    python benchmarks/annual_report.py                       # scales 1 and 10
    python benchmarks/annual_report.py --scales 0.1 1        # quicker
    python benchmarks/annual_report.py --cache-dir /data/bench --year 2026 --seed 20260101
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(width=120)


def memory_mb(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process from ``/proc/self/status``: unlike
    ``ru_maxrss``, which Linux carries over from the parent across fork and exec, these
    belong to this process's own memory. Falls back to ``ru_maxrss`` elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def store_path(cache_dir: str, year: int, scale: float, seed: int) -> str:
    return os.path.join(cache_dir, f"year-{year}-scale-{scale:g}-seed-{seed}.db")


def add_store_arguments(parser: argparse.ArgumentParser, scales: list[float]) -> None:
    """The options of a script that measures the simulated year at several scales."""
    parser.add_argument("--scales", type=float, nargs="+", default=scales)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument(
        "--cache-dir",
        default=os.path.join(tempfile.gettempdir(), "govoffice-bench"),
        help="where the generated stores are kept and reused",
    )


def stores_at_scales(args: argparse.Namespace) -> Iterator[tuple[float, str]]:
    """(scale, the SQLite file of the simulated year at that scale), generated if missing."""
    os.makedirs(args.cache_dir, exist_ok=True)
    for scale in args.scales:
        path = store_path(args.cache_dir, args.year, scale, args.seed)
        if not os.path.exists(path):
            generate(path, args.year, scale, args.seed)
        yield scale, path


def events_in(path: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM stored_events").fetchone()[0])


def generate(path: str, year: int, scale: float, seed: int) -> float:
    """Simulate the year into a new SQLite file; returns the seconds it took."""
    from govoffice.adapters.calendar_cn import china_calendar
    from govoffice.bootstrap import open_office
    from govoffice.demo.simulation import simulate_year
    from govoffice.testing import SettableClock

    partial = path + ".partial"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(partial + suffix):
            os.remove(partial + suffix)
    office = open_office(
        f"sqlite:///{partial}",
        clock=SettableClock(),
        calendar=china_calendar(weekend_fallback=True),
    )
    started = time.perf_counter()
    try:
        console.print(f"generating scale {scale:g} into {path} …")

        def progress(done: int, total: int) -> None:
            if done % 25 == 0 or done == total:
                elapsed = time.perf_counter() - started
                console.print(f"  scale {scale:g}: working day {done}/{total}, {elapsed:.0f} s")

        simulate_year(office, year=year, scale=scale, seed=seed, progress=progress)
    finally:
        office.close()
    with sqlite3.connect(partial) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(partial, path)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(partial + suffix):
            os.remove(partial + suffix)
    return time.perf_counter() - started


def child(path: str, year: int, use_tracemalloc: bool) -> dict[str, Any]:
    """In a fresh process: forget the views of a copy of the store, then build the report."""
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    from govoffice.bootstrap import open_office

    office = open_office(f"sqlite:///{path}")
    try:
        for projection in office.views.projections:
            office.views.store.reset(projection.view)
        before = memory_mb("VmRSS")
        started = time.perf_counter()
        cpu = time.process_time()
        reports: Any = getattr(office, "reports", None)
        if reports is not None:
            from govoffice.adapters.report_render import render

            text = render(reports.annual(year), "md")
            what = "office.reports.annual + render md"
        else:  # pragma: no cover - before office.reports existed
            office.views.rebuild()
            text = ""
            what = "office.views.rebuild()"
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        again = time.perf_counter()
        if reports is not None:
            reports.annual(year)
        warm = time.perf_counter() - again
        peak = memory_mb("VmHWM")
        # Then every view of the office from nothing (queues, rankings and the figures): what
        # `govoffice rebuild` does, and what the first query of each kind would share.
        started = time.perf_counter()
        office.views.rebuild()
        all_views = time.perf_counter() - started
    finally:
        office.close()
    result = {
        "what": what,
        "seconds": seconds,
        "cpu": cpu,
        "warm": warm,
        "rss_before_mb": before,
        "rss_peak_mb": peak,
        "all_views_seconds": all_views,
        "all_views_peak_mb": memory_mb("VmHWM"),
        "report_chars": len(text),
    }
    if use_tracemalloc:
        import tracemalloc

        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def measure(path: str, year: int, use_tracemalloc: bool) -> dict[str, Any]:
    work = tempfile.mkdtemp(prefix="govoffice-bench-c-")
    copy = os.path.join(work, "office.db")
    try:
        shutil.copyfile(path, copy)
        args = [sys.executable, __file__, "--child", copy, "--year", str(year)]
        if use_tracemalloc:
            args.append("--tracemalloc")
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip() or done.stdout.strip())
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument(
        "--cache-dir",
        default=os.path.join(tempfile.gettempdir(), "govoffice-bench"),
        help="where the generated stores are kept and reused",
    )
    parser.add_argument("--tracemalloc", action="store_true", help="also trace allocations")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.year, args.tracemalloc)))
        return

    os.makedirs(args.cache_dir, exist_ok=True)
    rows = []
    for scale in args.scales:
        path = store_path(args.cache_dir, args.year, scale, args.seed)
        generated = None
        if not os.path.exists(path):
            generated = generate(path, args.year, scale, args.seed)
        result = measure(path, args.year, args.tracemalloc)
        result |= {"scale": scale, "events": events_in(path), "generated": generated}
        rows.append(result)
        console.print(
            f"scale {scale:g}: {result['events']:,} events, report {result['seconds']:.1f} s, "
            f"peak RSS {result['rss_peak_mb']:.0f} MB"
        )

    table = Table(title=f"Benchmark (c): annual report {args.year} from cold ({rows[0]['what']})")
    columns = ["scale", "events", "generated in s", "report s", "cpu s", "events/s"]
    columns += ["warm s", "RSS before MB", "peak RSS MB", "all views s", "peak RSS all MB"]
    if args.tracemalloc:
        columns.append("traced peak MB")
    for column in columns:
        table.add_column(column, justify="right")
    for r in rows:
        cells = [
            f"{r['scale']:g}",
            f"{r['events']:,}",
            "cached" if r["generated"] is None else f"{r['generated']:.0f}",
            f"{r['seconds']:.1f}",
            f"{r['cpu']:.1f}",
            f"{r['events'] / r['seconds']:,.0f}",
            f"{r['warm']:.2f}",
            f"{r['rss_before_mb']:.0f}",
            f"{r['rss_peak_mb']:.0f}",
            f"{r['all_views_seconds']:.1f}",
            f"{r['all_views_peak_mb']:.0f}",
        ]
        if args.tracemalloc:
            cells.append(f"{r['traced_peak_mb']:.0f}")
        table.add_row(*cells)
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        cells = [
            f"{large['scale'] / small['scale']:g}x",
            f"{large['events'] / small['events']:.1f}x",
            "",
            f"{large['seconds'] / small['seconds']:.1f}x",
            f"{large['cpu'] / small['cpu']:.1f}x",
            "",
            "",
            "",
            f"{large['rss_peak_mb'] / small['rss_peak_mb']:.2f}x",
            f"{large['all_views_seconds'] / small['all_views_seconds']:.1f}x",
            f"{large['all_views_peak_mb'] / small['all_views_peak_mb']:.2f}x",
        ]
        if args.tracemalloc:
            cells.append(f"{large['traced_peak_mb'] / small['traced_peak_mb']:.2f}x")
        table.add_row(*cells, style="bold")
    console.print(table)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    console.print(
        f"[dim]{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f}; stores in {args.cache_dir}; "
        "targets: scale 10 under 120 s, peak under 500 MB, flat in the events[/dim]"
    )


if __name__ == "__main__":
    main()
