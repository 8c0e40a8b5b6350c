"""The child process of the repeatable-year test: simulate a year on a fresh store and
print every stored event as one JSON line: notification id, record id, version, topic, and
the event's payload as the transcoder encodes it without eventsourcing's wall-clock
``timestamp`` (hex).

``python -m tests.simulation_rows URL SCALE SEED``
"""

from __future__ import annotations

import json
import sys

from govoffice.adapters.calendar_cn import china_calendar
from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.demo.simulation import simulate_year
from govoffice.testing import SettableClock

WALL_CLOCK = "timestamp"
"""The one field of a stored event that records when it was written, not what happened."""


def rows(office: Office) -> list[list[object]]:
    app = office.app
    encode = app.mapper.transcoder.encode
    out: list[list[object]] = []
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=1000)
        for n in page:
            event = app.mapper.to_domain_event(n)
            payload = {k: v for k, v in vars(event).items() if k != WALL_CLOCK}
            out.append(
                [n.id, str(n.originator_id), n.originator_version, n.topic, encode(payload).hex()]
            )
        if len(page) < 1000:
            return out
        start = page[-1].id + 1


if __name__ == "__main__":
    url, scale, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    office = open_office(url, clock=SettableClock(), calendar=china_calendar(weekend_fallback=True))
    try:
        simulate_year(office, scale=scale, seed=seed)
        for row in rows(office):
            print(json.dumps(row))
    finally:
        office.close()
