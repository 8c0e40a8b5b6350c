"""Benchmark: the proposal clock (``office.proposals.tick``) over single-lead items and over
items assigned in parts (分办, ADR 0050), and on a statutory holiday (ADR 0051).

One in-memory office holds N single-lead items, another N items in two parts (业务一处 and
法规处, each busy, so urged weekly), all assigned on Monday 2 February 2026. The clock ticks
at four moments, the first the baseline of the others in the same run:

- Tuesday 10 February: every item (every part) owes its weekly phone urge: each is loaded,
  urged and saved;
- Wednesday 11 February: nothing is due (the items are looked at, none is loaded to change);
- Tuesday 17 February, inside the Spring Festival: the next urges are due but wait, and
  nothing is recorded (ADR 0051);
- Tuesday 24 February, the first working day after it: the waiting urges are recorded.

Not a test: nothing is asserted. Run from the repository root::

    python benchmarks/proposal_tick.py                 # 100 + 100 items, 3 rounds
    python benchmarks/proposal_tick.py --items 300 --rounds 5
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pendulum

from govoffice.application.office import Office
from govoffice.testing import office_for_tests, standard_agency

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 1, 5, 9, tz=ZONE)
ASSIGNED = pendulum.datetime(2026, 2, 2, 9, tz=ZONE)
MOMENTS = (
    ("urge day", pendulum.datetime(2026, 2, 10, 9, tz=ZONE)),
    ("nothing due", pendulum.datetime(2026, 2, 11, 9, tz=ZONE)),
    ("holiday (urges wait)", pendulum.datetime(2026, 2, 17, 9, tz=ZONE)),
    ("after the holiday", pendulum.datetime(2026, 2, 24, 9, tz=ZONE)),
)


def build(items: int, split: bool) -> Office:
    office = office_for_tests(start=T0)
    p = standard_agency(office)
    pr = office.proposals
    for k in range(items):
        pid = pr.submit(
            kind="人大代表建议",
            proposers=["马玉英"],
            field="finance",
            title=f"建议 {k}",
            content="内容",
            by=p.secretary,
            at=ASSIGNED.subtract(days=1),
        )
        if split:
            pr.assign(
                pid,
                parts={"biz1": "一部分", "legal": "另一部分"},
                secretary=p.secretary,
                by=p.supervision_officer,
                at=ASSIGNED,
            )
        else:
            pr.assign(
                pid, lead_unit="biz1", secretary=p.secretary, by=p.supervision_officer, at=ASSIGNED
            )
    return office


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    n = run()
    return time.perf_counter() - start, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, int]]] = {}
    for _ in range(args.rounds):
        for split in (False, True):
            kind = "in parts" if split else "single lead"
            office = build(args.items, split)
            try:
                for label, at in MOMENTS:
                    rows.setdefault(f"{kind}, {label}", []).append(
                        timed(lambda at=at, o=office: len(o.proposals.tick(at)))
                    )
            finally:
                office.close()
    base = min(t for t, _ in rows["single lead, urge day"])
    print(f"{args.items} items each way, best of {args.rounds} rounds")
    print(f"{'tick':38} {'seconds':>9} {'urges':>6} {'x single urge day':>18}")
    for name, runs in rows.items():
        best, urged = min(runs)
        print(f"{name:38} {best:9.4f} {urged:6d} {best / base:18.2f}")


if __name__ == "__main__":
    main()
