"""Benchmark (a) of issue 6: a govoffice command vs a bare eventsourcing aggregate.

On one SQLite file, N outgoing documents go through their whole flow through the public
commands (draft, submit, review, submit to the office, office check, office review, sign,
register, recheck, print, check print, distribute, archive: 13 commands, 14 events with the
number taken at registration). On an identical fresh SQLite file, a bare
``eventsourcing.domain.Aggregate`` subclass records the same number of events, of the same
stored sizes (measured on the govoffice file, then padded to match), saved the same way:
one load-decide-save per command, and the registration saving the document and a counter
aggregate together. The baseline is a plain ``Application`` with the library's defaults; a
second baseline adds the aggregate cache govoffice configures (``AGGREGATE_CACHE_MAXSIZE``).

The batches alternate (govoffice, bare, bare with cache) for ``--rounds`` rounds, so that a
busy machine slows them alike; the ratio is printed for the totals and for the fastest
round. Issue 6 target: a govoffice command at most 1.5x the bare aggregate's time. Not a
test: nothing is asserted. Run from the repository root::

    python benchmarks/command_vs_bare.py                    # 200 documents, 5 rounds
    python benchmarks/command_vs_bare.py --documents 500 --rounds 10
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pendulum
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from rich.console import Console
from rich.table import Table

from govoffice.application.app import OfficeApplication
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.testing import SettableClock, standard_agency

T0 = pendulum.datetime(2026, 1, 5, 9, 0, tz="Asia/Shanghai")
STEPS = (
    "Drafted",
    "SubmittedForReview",
    "Reviewed",
    "SubmittedToOffice",
    "OfficeChecked",
    "OfficeReviewed",
    "Signed",
    "Registered",
    "Rechecked",
    "Printed",
    "PrintChecked",
    "Distributed",
    "Archived",
)
"""The document's events, one per command (registration also takes a number)."""

console = Console(width=120)


# --- govoffice ------------------------------------------------------------------------------


class GovofficeFlow:
    """The 13 commands of an outgoing document, on the standard agency's people."""

    def __init__(self, path: str) -> None:
        self.office: Office = open_office(f"sqlite:///{path}", clock=SettableClock(T0))
        self.people = standard_agency(self.office, T0)
        self.minute = 0

    def at(self) -> pendulum.DateTime:
        self.minute += 1
        return T0.add(minutes=self.minute)

    def one(self, k: int) -> uuid.UUID:
        d, p, at = self.office.documents, self.people, self.at
        doc = d.draft(
            by=p.drafter,
            at=at(),
            title=f"关于开展第{k}次安全生产检查的通知",
            doc_type="通知",
            issuer_code="X政发",
            lead_unit="biz1",
            main_recipients=["各处室", "各直属单位"],
            copy_recipients=["市安委办"],
            text="为切实做好安全生产工作,决定开展安全生产大检查,现将有关事项通知如下……",
            copies=40,
            summary="部署安全生产大检查",
        )
        d.submit_for_review(doc, by=p.drafter, at=at())
        d.review(doc, by=p.unit_head, at=at())
        d.submit_to_office(doc, by=p.drafter, at=at())
        d.office_check(doc, by=p.secretary, at=at())
        d.office_review(doc, by=p.office_head, at=at())
        d.sign(doc, by=p.deputy, opinion="同意印发", at=at())
        d.register(doc, by=p.secretary, distribution_scope="各处室、各直属单位", copies=40, at=at())
        d.recheck(doc, by=p.secretary, at=at())
        d.print_copies(doc, site="局文印室", by=p.secretary, at=at())
        d.check_print(doc, by=p.drafter, at=at())
        d.distribute(doc, by=p.drafter, at=at())
        d.archive(doc, by=p.archivist, at=at())
        return doc

    def close(self) -> None:
        self.office.close()


# --- the bare aggregate ---------------------------------------------------------------------


class BareDocument(Aggregate):
    """The same flow as a bare aggregate: one event per step, with a payload of the size
    govoffice stores for that step."""

    @event("Drafted")
    def __init__(self, by: str, at: datetime, data: str) -> None:
        self.steps = 1
        self.last_by = by

    @event("Stepped")
    def step(self, what: str, by: str, at: datetime, data: str) -> None:
        self.steps += 1
        self.last_by = by


class BareCounter(Aggregate):
    """The number series: one event per number taken."""

    @event("Started")
    def __init__(self, code: str) -> None:
        self.last = 0

    @event("Taken")
    def take(self, for_record: uuid.UUID, by: str, at: datetime, data: str) -> None:
        self.last += 1


class BareFlow:
    def __init__(self, path: str, sizes: list[int], taken_size: int, *, cache: bool) -> None:
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
        if cache:
            env["AGGREGATE_CACHE_MAXSIZE"] = OfficeApplication.env["AGGREGATE_CACHE_MAXSIZE"]
        self.app: Application[uuid.UUID] = Application(env)
        self.counter = BareCounter(code="X政发2026")
        self.app.save(self.counter)
        self.minute = 0
        self.pads = self._calibrate(sizes, taken_size)

    def _calibrate(self, sizes: list[int], taken_size: int) -> list[str]:
        """Payloads that make each stored event as long as govoffice's for the same step."""
        probe = BareDocument(by="li.nigao", at=self.at(), data="")
        probe.step(what=STEPS[1], by="li.nigao", at=self.at(), data="")
        counter = BareCounter(code="X")
        counter.take(for_record=probe.id, by="sun.mishu", at=self.at(), data="")
        stored = [self.app.mapper.to_stored_event(e) for e in probe.collect_events()]
        base_init, base_step = len(stored[0].state), len(stored[1].state)
        base_taken = len(self.app.mapper.to_stored_event(counter.collect_events()[1]).state)
        pads = [max(0, size - (base_init if i == 0 else base_step)) for i, size in enumerate(sizes)]
        pads.append(max(0, taken_size - base_taken))
        return ["x" * n for n in pads]

    def at(self) -> datetime:
        self.minute += 1
        return datetime(2026, 1, 5, 1, 0, tzinfo=UTC) + timedelta(minutes=self.minute)

    def one(self, k: int) -> uuid.UUID:
        app, pads = self.app, self.pads
        doc = BareDocument(by="li.nigao", at=self.at(), data=pads[0])
        app.save(doc)
        for i, what in enumerate(STEPS[1:], start=1):
            agg: BareDocument = app.repository.get(doc.id)
            agg.step(what=what, by="sun.mishu", at=self.at(), data=pads[i])
            if what == "Registered":
                counter: BareCounter = app.repository.get(self.counter.id)
                counter.take(for_record=doc.id, by="sun.mishu", at=self.at(), data=pads[-1])
                app.save(agg, counter)
            else:
                app.save(agg)
        return doc.id

    def close(self) -> None:
        self.app.close()


# --- measuring ------------------------------------------------------------------------------


def stored_sizes(path: str, record: uuid.UUID) -> tuple[list[int], int]:
    """The stored state length of each of a govoffice document's events, and of a number
    taken."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT length(state) FROM stored_events WHERE originator_id = ? "
            "ORDER BY originator_version",
            (record.hex,),
        ).fetchall()
        if not rows:
            rows = db.execute(
                "SELECT length(state) FROM stored_events WHERE originator_id = ? "
                "ORDER BY originator_version",
                (str(record),),
            ).fetchall()
        taken = db.execute(
            "SELECT length(state) FROM stored_events WHERE topic LIKE '%number-series/Taken' "
            "LIMIT 1"
        ).fetchone()
    return [int(r[0]) for r in rows], int(taken[0])


def mean_size(path: str) -> float:
    with sqlite3.connect(path) as db:
        return float(db.execute("SELECT avg(length(state)) FROM stored_events").fetchone()[0])


def events_in(path: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM stored_events").fetchone()[0])


def timed(run: Callable[[int], Any], start: int, count: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for k in range(start, start + count):
        run(k)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200, help="documents per variant")
    parser.add_argument("--rounds", type=int, default=5, help="alternating batches")
    parser.add_argument("--dir", default=None, help="where to put the SQLite files (temporary)")
    args = parser.parse_args()
    directory = args.dir or tempfile.mkdtemp(prefix="govoffice-bench-a-")
    paths = {
        name: os.path.join(directory, f"{name}.db") for name in ("govoffice", "bare", "cached")
    }
    for path in paths.values():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)

    gov = GovofficeFlow(paths["govoffice"])
    first = gov.one(0)  # warm-up, and the sizes to match
    sizes, taken_size = stored_sizes(paths["govoffice"], first)
    bare = BareFlow(paths["bare"], sizes, taken_size, cache=False)
    cached = BareFlow(paths["cached"], sizes, taken_size, cache=True)
    bare.one(0)
    cached.one(0)

    flows: dict[str, Callable[[int], Any]] = {
        "govoffice": gov.one,
        "bare": bare.one,
        "cached": cached.one,
    }
    per_round = max(1, args.documents // args.rounds)
    totals = {name: [0.0, 0.0] for name in flows}
    rounds: dict[str, list[float]] = {name: [] for name in flows}
    for r in range(args.rounds):
        for name, run in flows.items():
            wall, cpu = timed(run, 1 + r * per_round, per_round)
            totals[name][0] += wall
            totals[name][1] += cpu
            rounds[name].append(wall)
    documents = per_round * args.rounds
    commands = documents * (len(STEPS))
    events = documents * (len(STEPS) + 1)
    gov.close()
    bare.close()
    cached.close()

    table = Table(title=f"Benchmark (a): {documents} documents × 13 commands, {events} events")
    for column in ("", "wall s", "cpu s", "µs/command", "events/s", "fastest round s"):
        table.add_column(column, justify="right")
    labels = {
        "govoffice": "govoffice commands",
        "bare": "bare Aggregate + plain Application",
        "cached": "bare, with govoffice's aggregate cache",
    }
    for name in flows:
        wall, cpu = totals[name]
        table.add_row(
            labels[name],
            f"{wall:.2f}",
            f"{cpu:.2f}",
            f"{wall / commands * 1e6:.0f}",
            f"{events / wall:,.0f}",
            f"{min(rounds[name]):.2f}",
        )
    console.print(table)
    g, b, c = totals["govoffice"], totals["bare"], totals["cached"]
    fastest = min(rounds["govoffice"]) / min(rounds["bare"])
    console.print(
        f"ratio govoffice / bare: [bold]{g[0] / b[0]:.2f}x[/bold] wall, {g[1] / b[1]:.2f}x cpu "
        f"(fastest rounds {fastest:.2f}x); govoffice / bare with cache: {g[0] / c[0]:.2f}x wall, "
        f"{g[1] / c[1]:.2f}x cpu  (target: at most 1.5x)"
    )
    console.print(
        f"stored event size: govoffice mean {mean_size(paths['govoffice']):.0f} B, "
        f"bare mean {mean_size(paths['bare']):.0f} B; "
        f"events in the files: {events_in(paths['govoffice'])} / {events_in(paths['bare'])}"
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    console.print(
        f"[dim]{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f}; files in {directory}[/dim]"
    )


if __name__ == "__main__":
    main()
