"""``govoffice notify``: deliver the office's notifications (通知发送) through a channel
(ADR 0017)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from govoffice.cli import STORE_OPTION, console, err_console, main, opened

if TYPE_CHECKING:
    from govoffice.application.notifications import DeliveryReport


@main.command()
@STORE_OPTION
@click.option(
    "--notifier",
    "notifier_url",
    default="log",
    show_default=True,
    envvar="GOVOFFICE_NOTIFIER",
    show_envvar=True,
    help="The channel: log, smtp://user:pass@host:587?from=addr&tls=1, smtps://…, "
    "webhook+https://host/path?secret=… (or GOVOFFICE_NOTIFIER).",
)
@click.option("--once", is_flag=True, help="Deliver what is pending now, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds between rounds when running on (without --once).",
)
@click.option(
    "--attempts",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Attempts per message before it is marked failed.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0.0),
    default=1.0,
    show_default=True,
    help="Seconds to wait after the first failed attempt (doubling after each).",
)
@click.option(
    "--page-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Events taken in per transaction before sending what they produced.",
)
@click.option(
    "--from-now",
    is_flag=True,
    help="Notify only of events recorded from now on (skip the history not yet taken in).",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Queue the notifications that failed earlier again before delivering.",
)
def notify(
    store: str | None,
    notifier_url: str,
    once: bool,
    interval: float,
    attempts: int,
    backoff: float,
    page_size: int,
    from_now: bool,
    retry_failed: bool,
) -> None:
    """Deliver notifications: take in new events (who hears of what), then send every
    pending notification through the channel, each exactly once (the receiver gets an
    idempotency key). With --once, exits with status 2 if a notification failed for good;
    otherwise runs until interrupted."""
    import logging

    from govoffice.adapters.notifiers import notifier_from_config
    from govoffice.application.notifications import RetryPolicy

    channel = notifier_from_config(notifier_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with opened(store) as office:
        service = office.notifications
        service.notifier = channel
        service.retry = RetryPolicy(attempts=attempts, first_delay=backoff)
        service.page_size = page_size
        if from_now:
            position = service.skip_history()
            console().print(f"从事件 {position} 之后开始通知 (skipping the history)")
        if retry_failed:
            console().print(f"重新排队 {service.retry_failed()} 条失败的通知 (queued again)")
        if once:
            report = service.deliver(raise_on_failure=False)
            _show(report)
            report.raise_for_failures()
            return
        console().print(f"通知发送中 via {channel!r} (Ctrl-C 停止)")
        try:
            while True:
                report = service.deliver(raise_on_failure=False)
                if report.sent or report.failed:
                    _show(report)
                time.sleep(interval)
        except KeyboardInterrupt:
            console().print("已停止 (stopped)")


def _show(report: DeliveryReport) -> None:
    console().print(
        f"已发送 {len(report.sent)} 条, 失败 {len(report.failed)} 条, 待发送 {report.pending} 条"
    )
    for row in report.failed:
        err_console().print(f"[red]失败[/red] {row.key} -> {row.recipient}: {row.last_error}")
