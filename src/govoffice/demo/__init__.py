"""The demo: a realistic run of the office's paperwork on a real store, told as it happens.

Each scenario goes through the public facade only (``office.documents...``), at business
times that move forward from where the store left off, so the demo can run again on the
same SQLite file and continue its numbering.
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum
from rich.console import Console

from govoffice.application.office import Office
from govoffice.demo.documents import classified_important, ordinary_notice
from govoffice.demo.incoming import incoming_request
from govoffice.demo.meetings import meetings_scenario
from govoffice.demo.narrator import Narrator, last_business_time
from govoffice.demo.proposals import proposal_and_supervision
from govoffice.testing import standard_agency

__all__ = ["SCENARIOS", "Narrator", "run_demo"]

Scenario = Callable[[Narrator], None]

SCENARIOS: list[Scenario] = [
    ordinary_notice,
    classified_important,
    incoming_request,
    meetings_scenario,
    proposal_and_supervision,
]


def run_demo(office: Office, console: Console | None = None) -> Narrator:
    """Run every scenario on ``office`` (its clock must be settable), establishing the
    standard agency first when the store is new."""
    console = console or Console()
    org = office.org
    try:
        start = last_business_time(office)
        console.print(f"[bold]继续使用已有机关[/bold] {org.current().agency} ({office.store_url})")
    except LookupError:
        start = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")
        office.clock.set(start)  # type: ignore[attr-defined]
        standard_agency(office, start)
        console.print(f"[bold]建立机关[/bold] 某市某局 ({office.store_url}): 10 个处室, 16 人")
    narrator = Narrator(office, console, start.add(days=1).set(hour=8, minute=0))
    narrator.at()
    for scenario in SCENARIOS:
        scenario(narrator)
    console.rule()
    console.print(f"[bold]完成[/bold]: 规则拒绝 {narrator.refusals} 次, 均未留下任何记录。")
    for path in narrator.printed_files:
        console.print(f"[bold]印制的公文文件[/bold] (GB/T 9704, 从记录生成): {path}")
    return narrator
