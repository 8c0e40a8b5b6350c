"""``govoffice rebuild``: rebuild the read models (视图重建) from the event log (ADR 0015)."""

from __future__ import annotations

import time

import click

from govoffice.cli import STORE_OPTION, console, main, opened
from govoffice.domain.errors import InvalidInput


@main.command()
@STORE_OPTION
@click.option(
    "--view",
    "views",
    multiple=True,
    help="Rebuild only this view (by name; repeat for several). Default: every view.",
)
@click.option(
    "--page-size",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Events per transaction.",
)
def rebuild(store: str | None, views: tuple[str, ...], page_size: int) -> None:
    """Rebuild the views (queues, rankings, reports) from nothing: forget them and take in
    the whole event log again, one transaction per page. Safe to interrupt: the next
    rebuild starts again; a query catches up from where it stopped."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from govoffice.application.views import ViewRunner

    with opened(store) as office:
        registered = office.views.projections
        chosen = [p for p in registered if not views or p.name in views]
        unknown = sorted(set(views) - {p.name for p in registered})
        if unknown:
            names = ", ".join(sorted(p.name for p in registered)) or "(none)"
            raise InvalidInput(f"没有这些视图: {', '.join(unknown)} (known views: {names})")
        if not chosen:
            console().print("没有已登记的视图 (no views registered): nothing to rebuild")
            return
        runner = ViewRunner(office.app, office.views.store, chosen, page_size=page_size)
        last = office.app.recorder.max_notification_id() or 0
        names = ", ".join(p.view for p in chosen)
        with Progress(
            TextColumn("[bold]重建视图[/bold] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console(),
            transient=False,
        ) as bar:
            task = bar.add_task(names, total=last or 1, completed=0)

            def advance(position: int, end: int) -> None:
                bar.update(task, completed=position, total=max(end, 1))

            started = time.perf_counter()
            processed = runner.rebuild(progress=advance)
            elapsed = time.perf_counter() - started
            bar.update(task, completed=last or 1)
        rate = processed / elapsed if elapsed > 0 else 0.0
        reached = min(office.views.store.position(p.view) for p in chosen)
        console().print(
            f"rebuilt {len(chosen)} view(s): {processed} events taken in, {elapsed:.2f} s, "
            f"{rate:,.0f} events/s; position {reached}"
        )
