"""The child process of the concurrent-queries test: for a bounded time, draft documents and
move them on through the public commands, and after each write ask the queues (and now and
then the annual report and the ranking), as a web worker of the office would.

``python -m tests.adapters.concurrent_workload URL SECONDS WORKER`` prints one JSON line:
the number of writes and queries made, the queries that failed (by error class, with the
first message), and the writes that found their own draft missing from the queue
(read-your-writes).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from typing import Any

import pendulum

from govoffice.bootstrap import open_office
from govoffice.testing import AgencyPeople, draft_form

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


def work(url: str, seconds: float, worker: int) -> dict[str, Any]:
    people = AgencyPeople()
    office = open_office(url)
    failures: Counter[str] = Counter()
    first: dict[str, str] = {}
    writes = queries = unseen = 0
    deadline = time.monotonic() + seconds
    try:
        i = 0
        while time.monotonic() < deadline:
            i += 1
            at = T0.add(days=worker, minutes=i)
            doc = office.documents.draft(
                by=people.drafter, at=at, **draft_form(title=f"进程{worker}的第{i}份通知")
            )
            writes += 1
            submitted = i % 2 == 0
            if submitted:  # now it waits on the unit head, in their queue
                office.documents.submit_for_review(doc, by=people.drafter, at=at.add(seconds=1))
                writes += 1
            asks = [lambda: office.queues.for_person(people.unit_head)]
            if i % 5 == 0:
                asks.append(lambda: office.reports.annual(2026))
            if i % 7 == 0:
                asks.append(lambda: office.rankings.rank("2026"))
            for n, ask in enumerate(asks):
                queries += 1
                try:
                    found = ask()
                except Exception as e:
                    name = type(e).__name__
                    failures[name] += 1
                    first.setdefault(name, str(e)[:300])
                    continue
                if n == 0 and submitted and str(doc) not in {str(item.record_id) for item in found}:
                    unseen += 1
    finally:
        office.close()
    return {
        "worker": worker,
        "writes": writes,
        "queries": queries,
        "failures": dict(failures),
        "first": first,
        "unseen": unseen,
    }


if __name__ == "__main__":
    result = work(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps(result, ensure_ascii=False), flush=True)
