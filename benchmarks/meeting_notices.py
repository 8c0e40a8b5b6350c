"""Benchmark: issuing a meeting notice as the meetings on record grow (ADR 0048).

A notice checks its leaders against the other noticed meetings of its own days (the
in-process diary caught up from the log). This script notices N meetings spread over the
year (N = 25, 100, 400 by default, each on a fresh in-memory office with the standard
agency) and times the last 20 notices of each office against drafting those 20 notices
(the baseline, in the same run). The ratio notice/draft should stay flat as N grows: the
check must not grow with the meetings on record. Nothing is asserted. Run from the
repository root::

    python benchmarks/meeting_notices.py
    python benchmarks/meeting_notices.py --sizes 50 200
"""

from __future__ import annotations

import argparse
import time
import uuid

import pendulum

from govoffice.application.office import Office
from govoffice.testing import AgencyPeople, office_for_tests, standard_agency

ZONE = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 1, 5, 9, 0, tz=ZONE)
TIMED = 20


def approved(office: Office, p: AgencyPeople, n: int) -> uuid.UUID:
    """The n-th approved topic meeting of biz1, one every working half-day from February."""
    m = office.meetings
    starts = pendulum.datetime(2026, 2, 2, 9, tz=ZONE).add(days=n // 2, hours=5 * (n % 2))
    meeting = m.request(
        kind="专题会议",
        title=f"专题会议{n}",
        content="部署",
        reason="专项部署",
        organiser="biz1",
        starts_at=starts,
        place="局会议室",
        participant_scope="有关处室",
        participants=10,
        days="0.5",
        budget=2000,
        funding_source="会议费",
        chair=p.deputy,
        by=p.unit_head,
        at=T0,
    )
    for party, head in (("office", p.office_head), ("finance", p.finance_head)):
        m.countersign(meeting, party=party, by=head, at=T0)
    m.countersign(meeting, party=p.deputy, by=p.deputy, at=T0)
    m.approve(meeting, by=p.principal, at=T0)
    return meeting


def run(size: int) -> tuple[float, float]:
    office = office_for_tests("memory", start=T0)
    p = standard_agency(office, T0)
    m = office.meetings
    meetings = [approved(office, p, n) for n in range(size)]
    invitees = [p.deputy2, p.unit_head, p.unit_head2]
    for meeting in meetings[:-TIMED]:
        m.draft_notice(meeting, invitees=invitees, contact="1", by=p.drafter, at=T0)
        for party, head in (("office", p.office_head), ("finance", p.finance_head)):
            m.countersign(meeting, party=party, by=head, at=T0)
        m.countersign(meeting, party=p.deputy, by=p.deputy, at=T0)
        m.issue_notice(meeting, by=p.principal, at=T0)
    last = meetings[-TIMED:]
    started = time.perf_counter()
    for meeting in last:
        m.draft_notice(meeting, invitees=invitees, contact="1", by=p.drafter, at=T0)
    drafting = time.perf_counter() - started
    for meeting in last:
        for party, head in (("office", p.office_head), ("finance", p.finance_head)):
            m.countersign(meeting, party=party, by=head, at=T0)
        m.countersign(meeting, party=p.deputy, by=p.deputy, at=T0)
    started = time.perf_counter()
    for meeting in last:
        m.issue_notice(meeting, by=p.principal, at=T0)
    noticing = time.perf_counter() - started
    office.close()
    return drafting, noticing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 100, 400])
    args = parser.parse_args()
    print(f"{'meetings':>9} {'draft ms':>9} {'notice ms':>10} {'notice/draft':>13}")
    for size in args.sizes:
        drafting, noticing = run(max(size, TIMED + 1))
        print(
            f"{size:>9} {drafting / TIMED * 1000:>9.2f} {noticing / TIMED * 1000:>10.2f} "
            f"{noticing / drafting:>13.2f}"
        )


if __name__ == "__main__":
    main()
