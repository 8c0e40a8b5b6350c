"""What the facade's type checks (ADR 0029) cost a command.

The 13 commands of an outgoing document (benchmark (a)'s flow, ``command_vs_bare.py``) run
on the same store kind twice: as shipped (every public method checks its arguments first)
and with the checks taken off (each service method replaced by the function it wraps). The
batches alternate (and swap places every round) for ``--rounds`` rounds, so a busy machine
slows both alike; the CPU time of the best and the median rounds is compared (the best round
is the one least disturbed by other jobs). The memory store is the worst case for the
checks' share (no disk, no SQL); SQLite is what the CLI uses. Not a test: nothing is
asserted. Run from the repository root::

    python benchmarks/typecheck_overhead.py                   # memory, 40 documents, 20 rounds
    python benchmarks/typecheck_overhead.py --store sqlite --documents 100
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from command_vs_bare import T0, GovofficeFlow

from govoffice.application.typecheck import Facade, checks_of
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


@contextmanager
def recording(calls: list[tuple[Any, tuple[Any, ...], dict[str, Any]]]) -> Iterator[None]:
    """Every checked call in the block noted with its method's compiled check."""
    saved: list[tuple[type, str, Any]] = []
    for cls in _facade_classes():
        for name, member in list(vars(cls).items()):
            if inspect.isfunction(member) and getattr(member, "__typed__", False):
                apply = checks_of(member).apply

                def noted(*args: Any, _m: Any = member, _a: Any = apply, **kwargs: Any) -> Any:
                    calls.append((_a, args, dict(kwargs)))
                    return _m(*args, **kwargs)

                saved.append((cls, name, member))
                setattr(cls, name, noted)
    try:
        yield
    finally:
        for cls, name, member in saved:
            setattr(cls, name, member)


def checks_alone(store: str, documents: int, folder: str) -> tuple[float, int]:
    """The CPU time of the checks alone for ``documents`` documents: the flow's checked calls
    replayed through their compiled checks into an empty body, as the wrapper calls the
    method (best of 20), less the same replay without the checks; and how many checked calls
    the flow made."""
    calls: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []
    with recording(calls):
        batch(store, documents, folder, 10_000)

    def body(*args: Any, **kwargs: Any) -> None:
        """Stands for the method: the replay times the check and the call that carries it."""

    def replay(check: bool) -> float:
        start = time.process_time()
        for apply, args, kwargs in calls:
            kw = dict(kwargs)
            if check:
                body(*apply(args, kw), **kw)
            else:
                body(*args, **kw)
        return time.process_time() - start

    best = min(replay(True) for _ in range(20)) - min(replay(False) for _ in range(20))
    return best, len(calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["memory", "sqlite"], default="memory")
    parser.add_argument("--documents", type=int, default=40, help="documents per batch")
    parser.add_argument("--rounds", type=int, default=20, help="alternating batches")
    args = parser.parse_args()
    commands = 13 * args.documents
    cpu: dict[str, list[float]] = {"checked": [], "unchecked": []}
    wall: dict[str, list[float]] = {"checked": [], "unchecked": []}
    with tempfile.TemporaryDirectory(prefix="govoffice-typecheck-") as folder:
        batch(args.store, 5, folder, -1)  # warm up: imports, compiled checks
        for r in range(args.rounds):
            order = ("checked", "unchecked") if r % 2 == 0 else ("unchecked", "checked")
            for variant in order:
                k = 2 * r + (variant == "unchecked")
                if variant == "checked":
                    w, c = batch(args.store, args.documents, folder, k)
                else:
                    with unchecked():
                        w, c = batch(args.store, args.documents, folder, k)
                wall[variant].append(w)
                cpu[variant].append(c)
    table = Table(
        title=f"type checks: {args.rounds} rounds × {args.documents} documents × 13 commands, "
        f"{args.store}"
    )
    for column in ("", "µs/command cpu, best round", "median round", "wall, best round"):
        table.add_column(column, justify="right")
    for variant in ("checked", "unchecked"):
        table.add_row(
            variant,
            f"{min(cpu[variant]) / commands * 1e6:.0f}",
            f"{statistics.median(cpu[variant]) / commands * 1e6:.0f}",
            f"{min(wall[variant]) / commands * 1e6:.0f}",
        )
    console.print(table)
    best = min(cpu["checked"]) / min(cpu["unchecked"])
    median = statistics.median(cpu["checked"]) / statistics.median(cpu["unchecked"])
    per_command = (min(cpu["checked"]) - min(cpu["unchecked"])) / commands * 1e6
    console.print(
        f"ratio checked / unchecked (CPU): best rounds {best:.3f}x, median rounds {median:.3f}x; "
        f"the checks cost ≈{per_command:.1f} µs per command (best rounds)"
    )
    with tempfile.TemporaryDirectory(prefix="govoffice-typecheck-") as folder:
        alone, calls = checks_alone(args.store, args.documents, folder)
    console.print(
        f"the checks alone (the flow's {calls} checked calls replayed through their compiled "
        f"checks, best of 20): {alone / commands * 1e6:.1f} µs per command, "
        f"{alone / min(cpu['unchecked']):.1%} of the best unchecked round"
    )
    console.print(
        f"CPython {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
