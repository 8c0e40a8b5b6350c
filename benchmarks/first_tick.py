"""Benchmark of issue 14: the first ``office.tick`` of a new process (a daily cron job).

For each scale, the simulated year's store (generated once and cached, as
``annual_report.py`` does; ``--cache-dir``) is copied, and a new process opens the copy and
times its first ``office.tick(at)`` at the end of the year, then a second tick at the same
time (nothing left to do: the warm walk). It also times, in the same process, what the first
tick used to do before it could start (ADR 0059): read the whole notification log for the
ids of every ticked kind (``Store.record_ids``).

The growth figure is the first tick at the largest scale over the first tick at the
smallest (issue 14's goal: flat in history); each row also shows the first tick over the
warm tick of the same process. Run twice on the same copy with ``--twice``: the first run
of a store written before ADR 0059 writes the open-records memo; the second shows what every
later day's cron job pays. Not a test: nothing is asserted. Run from the repository root::

    python benchmarks/first_tick.py                              # scales 0.3 and 1
    python benchmarks/first_tick.py --scales 0.3 1 3 --cache-dir /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from annual_report import events_in, generate, store_path

AT = "2026-12-31T20:00:00+08:00"


def child(path: str) -> dict[str, Any]:
    """In a fresh process: the first tick, a second one, and the old whole-log scan."""
    import pendulum

    from govoffice.adapters.calendar_cn import china_calendar
    from govoffice.bootstrap import open_office
    from govoffice.testing import SettableClock

    at = pendulum.parse(AT)
    assert isinstance(at, pendulum.DateTime)
    office = open_office(
        f"sqlite:///{path}",
        clock=SettableClock(at),
        calendar=china_calendar(weekend_fallback=True),
    )
    try:
        office.time_zone  # the agency's zone, read once by any command  # noqa: B018
        started, cpu = time.perf_counter(), time.process_time()
        recorded = office.tick(at)
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        office.tick(at)
        warm = time.perf_counter() - started
        kinds = [
            area.record_type
            for area in office.areas
            if hasattr(area, "tick") and hasattr(area, "record_type")
        ]
        fresh = type(office.store)(office.app)
        started = time.perf_counter()
        ids = sum(len(fresh.record_ids(k)) for k in kinds)
        scan = time.perf_counter() - started
        looked = sum(len(getattr(area, "_open", ()) or ()) for area in office.areas)
    finally:
        office.close()
    return {
        "first": first,
        "first_cpu": first_cpu,
        "warm": warm,
        "scan": scan,
        "records": ids,
        "open": looked,
        "recorded": len(recorded),
    }


def measure(path: str, twice: bool) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="govoffice-tick-") as tmp:
        copy = os.path.join(tmp, "office.db")
        shutil.copyfile(path, copy)
        runs = []
        for _ in range(2 if twice else 1):
            out = subprocess.run(
                [sys.executable, __file__, "--child", copy],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.3, 1.0])
    parser.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "govoffice"))
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--twice", action="store_true", help="two new processes per store")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    os.makedirs(args.cache_dir, exist_ok=True)
    rows = []
    for scale in args.scales:
        path = store_path(args.cache_dir, args.year, scale, args.seed)
        if not os.path.exists(path):
            generate(path, args.year, scale, args.seed)
        for n, r in enumerate(measure(path, args.twice), start=1):
            rows.append((scale, n, events_in(path), r))
    print(
        f"{'scale':>6} {'run':>3} {'events':>8} {'first tick s':>12} {'cpu s':>6} "
        f"{'warm s':>7} {'first/warm':>10} {'log scan s':>10} {'records':>8} {'open':>6}"
    )
    for scale, n, events, r in rows:
        print(
            f"{scale:>6g} {n:>3} {events:>8,} {r['first']:>12.3f} {r['first_cpu']:>6.3f} "
            f"{r['warm']:>7.3f} {r['first'] / max(r['warm'], 1e-6):>9.1f}x "
            f"{r['scan']:>10.3f} {r['records']:>8,} {r['open']:>6,}"
        )
    last = [r for r in rows if r[1] == max(n for _, n, _, _ in rows)]
    if len(last) >= 2:
        small, big = last[0], last[-1]
        print(
            f"growth: first tick at scale {big[0]:g} / scale {small[0]:g} = "
            f"{big[3]['first'] / small[3]['first']:.2f}x wall, "
            f"{big[3]['first_cpu'] / small[3]['first_cpu']:.2f}x cpu "
            f"for {big[2] / small[2]:.1f}x the events (goal: flat)"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"load average {load:.1f}; stores in {args.cache_dir}")


if __name__ == "__main__":
    main()
