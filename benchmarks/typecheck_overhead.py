"""What the facade's type checks (ADR 0029) cost a command.

The 13 commands of an outgoing document (benchmark (a)'s flow, ``command_vs_bare.py``) run
on the same store kind twice: as shipped (every public method checks its arguments first)
and with the checks taken off (each service method replaced by the function it wraps). The
batches alternate for ``--rounds`` rounds, so a busy machine slows both alike; the ratio is
printed for the totals and the fastest rounds. The memory store is the worst case for the
checks' share (no disk, no SQL); SQLite is what the CLI uses. Not a test: nothing is
asserted. Run from the repository root::

    python benchmarks/typecheck_overhead.py                   # memory, 200 documents, 5 rounds
    python benchmarks/typecheck_overhead.py --store sqlite --documents 100
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from command_vs_bare import T0, GovofficeFlow

from govoffice.application.typecheck import Facade
from govoffice.bootstrap import open_office
from govoffice.testing import SettableClock, standard_agency

console = Console(width=110)


def _facade_classes() -> list[type]:
    found: list[type] = []
    todo = [Facade]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return found


@contextmanager
def unchecked() -> Iterator[None]:
    """Every facade method replaced by the function it wraps, for the block."""
    saved: list[tuple[type, str, object]] = []
    for cls in _facade_classes():
        for name, member in list(vars(cls).items()):
            if inspect.isfunction(member) and getattr(member, "__typed__", False):
                saved.append((cls, name, member))
                setattr(cls, name, member.__wrapped__)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for cls, name, member in saved:
            setattr(cls, name, member)


class Flow(GovofficeFlow):
    """Benchmark (a)'s document flow on any store URL."""

    def __init__(self, url: str) -> None:
        self.office = open_office(url, clock=SettableClock(T0))
        self.people = standard_agency(self.office, T0)
        self.minute = 0


def batch(store: str, documents: int, folder: str, k: int) -> tuple[float, float]:
    url = f"sqlite:///{os.path.join(folder, f'office-{k}.db')}" if store == "sqlite" else "memory"
    flow = Flow(url)
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(documents):
        flow.one(n)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    flow.close()
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["memory", "sqlite"], default="memory")
    parser.add_argument("--documents", type=int, default=200, help="documents per batch")
    parser.add_argument("--rounds", type=int, default=5, help="alternating batches")
    args = parser.parse_args()
    commands = 13 * args.documents
    totals = {"checked": [0.0, 0.0], "unchecked": [0.0, 0.0]}
    fastest = {"checked": float("inf"), "unchecked": float("inf")}
    with tempfile.TemporaryDirectory(prefix="govoffice-typecheck-") as folder:
        batch(args.store, 5, folder, -1)  # warm up: imports, compiled checks
        for r in range(args.rounds):
            for variant in ("checked", "unchecked"):
                if variant == "checked":
                    wall, cpu = batch(args.store, args.documents, folder, 2 * r)
                else:
                    with unchecked():
                        wall, cpu = batch(args.store, args.documents, folder, 2 * r + 1)
                totals[variant][0] += wall
                totals[variant][1] += cpu
                fastest[variant] = min(fastest[variant], wall)
    table = Table(title=f"type checks: {args.documents} documents × 13 commands, {args.store}")
    for column in ("", "wall s", "cpu s", "µs/command (cpu)", "fastest round s"):
        table.add_column(column, justify="right")
    for variant in ("checked", "unchecked"):
        wall, cpu = totals[variant]
        us = cpu / (commands * args.rounds) * 1e6
        table.add_row(variant, f"{wall:.2f}", f"{cpu:.2f}", f"{us:.0f}", f"{fastest[variant]:.2f}")
    console.print(table)
    (cw, cc), (uw, uc) = totals["checked"], totals["unchecked"]
    per_command = (cc - uc) / (commands * args.rounds) * 1e6
    console.print(
        f"ratio checked / unchecked: {cw / uw:.3f}x wall, {cc / uc:.3f}x cpu "
        f"(fastest rounds {fastest['checked'] / fastest['unchecked']:.3f}x); "
        f"the checks cost ≈{per_command:.0f} µs of CPU per command"
    )
    console.print(
        f"CPython {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
