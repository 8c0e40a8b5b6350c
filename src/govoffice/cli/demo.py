"""``govoffice demo``: the narrated scenarios, then a simulated year, then its annual report.

``govoffice demo [--store URL] [--year YEAR] [--scale S] [--seed N]`` runs the quick-start's
story (:func:`govoffice.demo.run_demo`), then :func:`govoffice.demo.simulation.simulate_year`
with a progress bar (``--scale 0`` skips it), then prints the year's annual report, and
ends with the log's sealed head (ADR 0030). Running it again continues on the same store.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import click

from govoffice.cli import STORE_OPTION, console, main, store_url

if TYPE_CHECKING:
    from govoffice.application.office import Office
    from govoffice.demo.simulation import YearResult

DEFAULT_SEED = 20260101
"""The simulation's default seed (:data:`govoffice.demo.simulation.DEFAULT_SEED`, written out
so that ``--help`` need not import the simulation; a test checks they agree)."""

DEFAULT_SCALE = 0.1
"""The CLI's default volume: a tenth of a mid-sized bureau's year (about 10k events), so the
quick start finishes in about a minute; ``--scale 1`` is the full year (about 100k)."""


@main.command()
@STORE_OPTION
@click.option(
    "--year",
    type=click.IntRange(2000, 9998),
    default=None,
    help="The year to simulate (default: the year the store's business time has reached).",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0, max=1000),
    default=DEFAULT_SCALE,
    show_default=True,
    help="Volume of the simulated year: 1 is a mid-sized bureau (about 100k events), "
    "10 about 1M; 0 runs the narrated scenarios only.",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
def demo(store: str | None, year: int | None, scale: float, seed: int) -> None:
    """Run the demo on a store (the embedded SQLite file by default): the narrated scenarios,
    a simulated year of a mid-sized bureau through the public commands, and the year's
    annual report. Running it again continues on the same store."""
    from govoffice.adapters.calendar_cn import china_calendar
    from govoffice.bootstrap import open_office
    from govoffice.demo import run_demo
    from govoffice.demo.narrator import last_business_time
    from govoffice.testing import SettableClock

    # Deadlines set late in a year reach into the next, which may have no holiday data yet:
    # such a year is counted on weekends only (ADR 0010).
    office = open_office(
        store_url(store), clock=SettableClock(), calendar=china_calendar(weekend_fallback=True)
    )
    try:
        run_demo(office, console())
        if scale > 0:
            year = year or last_business_time(office).year
            console().rule(f"模拟一年: {year} 年 (scale {scale:g}, seed {seed})")
            result = _simulate(office, year, scale, seed)
            _print_result(result)
            _print_targets(office, year)
            _print_report(office, year)
        _print_head(office, store_url(store))
    finally:
        office.close()


def _print_head(office: Office, store: str) -> None:
    """The log's sealed head (ADR 0030), and how to check the store against it."""
    head = office.audit.head()
    if head is not None:
        console().print(
            f"[bold]日志封印[/bold] sealed head: {head.describe()}\n"
            f"校验 verify: govoffice audit verify --store {store}"
        )


def _simulate(office: Office, year: int, scale: float, seed: int) -> YearResult:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from govoffice.demo.simulation import simulate_year

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("工作日"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console(), transient=False) as bar:
        task = bar.add_task(f"{year} 年", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return simulate_year(office, year=year, scale=scale, seed=seed, progress=progress)


def _print_result(result: YearResult) -> None:
    from rich.table import Table

    table = Table(title=f"模拟记录 ({result.first_day} ~ {result.last_day})")
    table.add_column("事项")
    table.add_column("数量", justify="right")
    for label, count in result.summary():
        table.add_row(label, str(count))
    console().print(table)
    console().print(
        f"[bold]完成[/bold]: {result.working_days} 个工作日, 记录事件 {result.events} 个, "
        f"用时 {result.seconds:.1f} 秒; 规则拒绝 {sum(result.refusals.values())} 次, "
        "均未留下任何记录。"
    )


def _print_targets(office: Office, year: int) -> None:
    """年度目标考评结果: the year's target table as the year-end assessment left it."""
    from rich.table import Table

    from govoffice.domain.target import TargetTable

    if not office.store.exists(TargetTable.create_id(year)):
        return
    record = office.targets.of_year(year)
    table = Table(title=f"{year} 年度目标考评结果 ({record.status.label})")
    table.add_column("名次", justify="right")
    table.add_column("单位")
    for heading in ("指标", "分值", "扣分", "不计入", "得分", "折算分"):
        table.add_column(heading, justify="right")
    org = office.org.current()
    for s in record.standing():
        unit = org.units[s.unit].name if s.unit in org.units else s.unit
        table.add_row(
            str(s.rank),
            unit,
            str(s.indicators),
            *(f"{v.normalize():f}" for v in (s.full, s.deducted, s.waived, s.score)),
            f"{s.rate}",
        )
    console().print(table)
    deductions = record.deductions.values()
    waived = sum(1 for d in deductions if not d.counts)
    console().print(
        f"考评指标 {len(record.indicators)} 项, 跟踪检查 {record.checks} 次, "
        f"扣分 {len(record.deductions)} 次 (不计入年终得分 {waived} 次), "
        f"季度未检查 {sum(len(v) for v in record.missed.values())} 项次, "
        f"半年自查 {len(record.self_checks)} 个单位, 进度滞后 {len(record.lagging)} 个单位。"
    )


def _print_report(office: Office, year: int) -> None:
    """The annual report (年度报告) where the office has one, else counts from the log."""
    from rich.markdown import Markdown
    from rich.table import Table

    console().rule(f"{year} 年度报告")
    reports: Any = getattr(office, "reports", None)
    if reports is not None:
        from govoffice.adapters.report_render import render

        with console().status("生成年度报告(视图追平事件日志)……"):
            text = render(reports.annual(year), "md")
        console().print(Markdown(text))
        return
    table = Table(title=f"{year} 年记录的决定(按记录种类)")
    table.add_column("记录种类")
    table.add_column("事件", justify="right")
    for kind, n in sorted(_log_counts(office, year).items()):
        table.add_row(kind, str(n))
    console().print(table)


def _log_counts(office: Office, year: int) -> Counter[str]:
    """Events dated in ``year``, by record kind, read from the notification log."""
    app, counts, start = office.app, Counter[str](), 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=2000)
        for n in page:
            event = app.mapper.to_domain_event(n)
            at = getattr(event, "at", None)
            if at is not None and at.year == year:
                counts[n.topic.split("/")[1] if "/" in n.topic else n.topic] += 1
        if len(page) < 2000:
            return counts
        start = page[-1].id + 1
