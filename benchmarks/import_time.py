"""Benchmark of issue 14: what every command-line call pays before it does anything.

Each case runs in a fresh interpreter (``subprocess``), so nothing is cached in memory; the
byte-code cache is written first (one warm-up run of each case), as it is on an installed
system, and ``PYTHONDONTWRITEBYTECODE`` is removed from the children's environment. The cases
alternate for ``--rounds`` rounds so that a busy machine slows them alike; the median wall
time and the median CPU time (user + system of the child) count. Every figure is printed
beside the ratio to the baselines measured in the same run:

- ``python -c pass``: the interpreter alone;
- ``import eventsourcing.application``: the library govoffice is built on.

The cases:

- ``import govoffice`` (issue 14 goal: ≤ 0.2 s), and ``import govoffice.errors``;
- ``govoffice --help`` (``python -m govoffice --help``), what every mistyped command pays;
- ``import the office`` — ``govoffice.application.office`` and ``govoffice.bootstrap``: what
  ``import govoffice`` cost before the names became lazy, and what a command that opens an
  office still pays (every aggregate's event classes are made at import);
- ``open an office`` — ``open_office("memory")`` and close it.

Not a test: nothing is asserted. Run from the repository root::

    python benchmarks/import_time.py                  # 15 rounds
    python benchmarks/import_time.py --rounds 30 --importtime   # and the 15 slowest modules
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter

CASES: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "import eventsourcing.application": ["-c", "import eventsourcing.application"],
    "import govoffice": ["-c", "import govoffice"],
    "import govoffice.errors": ["-c", "import govoffice.errors"],
    "govoffice --help": ["-m", "govoffice", "--help"],
    "import the office (before: import govoffice)": [
        "-c",
        "import govoffice.application.office, govoffice.bootstrap",
    ],
    "open an office (memory)": ["-c", "import govoffice; govoffice.open_office('memory').close()"],
}
BASELINES = ("python -c pass", "import eventsourcing.application")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def importtime(env: dict[str, str], statement: str, top: int) -> list[tuple[str, float]]:
    """The packages that ``statement`` spends its own import time in (``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    spent: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            spent[m.group(2).split(".")[0]] += int(m.group(1))
    return [(name, us / 1e6) for name, us in spent.most_common(top)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--importtime", action="store_true", help="also list where import govoffice spends"
    )
    options = parser.parse_args()
    env = environment()
    for args in CASES.values():  # warm-up: writes the byte-code cache
        run(args, env)
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    cpus: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(options.rounds):
        for name, args in CASES.items():
            wall, cpu = run(args, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    wall = {name: statistics.median(v) for name, v in walls.items()}
    cpu = {name: statistics.median(v) for name, v in cpus.items()}
    load = os.getloadavg()[0]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {load:.2f}; median of {options.rounds} rounds"
    )
    head = f"{'case':46} {'wall s':>7} {'cpu s':>7}"
    head += "".join(f" {'x ' + b.split()[-1]:>16}" for b in BASELINES)
    print(head)
    for name in CASES:
        ratios = "".join(f" {wall[name] / wall[b]:>16.2f}" for b in BASELINES)
        print(f"{name:46} {wall[name]:>7.3f} {cpu[name]:>7.3f}{ratios}")
    net = wall["import govoffice"] - wall["python -c pass"]
    before = wall["import the office (before: import govoffice)"] - wall["python -c pass"]
    print(
        f"import govoffice beyond the interpreter: {net:.3f} s "
        f"(the eager import it replaces: {before:.3f} s, {before / max(net, 1e-6):.0f}x)"
    )
    if options.importtime:
        for statement in ("import govoffice", "import govoffice.cli"):
            print(f"-X importtime, {statement}: own time by top-level package")
            for name, seconds in importtime(env, statement, 15):
                print(f"  {name:30} {seconds:.3f} s")


if __name__ == "__main__":
    main()
