"""``govoffice notify``: delivery from the command line, failures shown and queued again."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from govoffice.application.notifications import NotificationStatus
from govoffice.cli import main
from govoffice.testing import office_for_tests
from tests.adapters.test_notification_restart import DOCUMENTS, T0, write_assignments


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_notify_reports_failures_with_status_2_and_sends_them_when_queued_again(
    tmp_path: Path,
) -> None:
    """[ADR 0017] An unreachable webhook fails every row (exit 2, the error shown); after
    ``--retry-failed`` through a working channel, every row is sent once."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    write_assignments(store)
    code, out = run(
        "notify",
        "--store",
        store,
        "--notifier",
        "webhook+http://127.0.0.1:9/hook?secret=s",
        "--once",
        "--attempts",
        "1",
    )
    assert code == 2, out
    assert f"失败 {3 * DOCUMENTS} 条" in out and "NotificationsFailed" in out

    code, out = run("notify", "--store", store, "--once", "--notifier", "log")
    assert code == 0 and "已发送 0 条" in out  # failed rows stay failed until queued again

    code, out = run("notify", "--store", store, "--once", "--notifier", "log", "--retry-failed")
    assert code == 0, out
    assert f"已发送 {3 * DOCUMENTS} 条, 失败 0 条" in out
    office = office_for_tests(store, start=T0)
    try:
        rows = office.notifications.outbox()
        assert len(rows) == 3 * DOCUMENTS
        assert all(r.status is NotificationStatus.SENT and r.deliveries == 1 for r in rows)
        assert all(r.attempts == 2 for r in rows)
    finally:
        office.close()


def test_notify_from_now_skips_the_history(tmp_path: Path) -> None:
    """``--from-now``: an office switching notifications on is not flooded with its past."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    write_assignments(store)
    code, out = run("notify", "--store", store, "--once", "--notifier", "log", "--from-now")
    assert code == 0 and "已发送 0 条" in out


def test_a_bad_notifier_url_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run(
        "notify", "--store", f"sqlite:///{tmp_path / 'o.db'}", "--notifier", "fax://x", "--once"
    )
    assert code == 2 and "InvalidNotifierConfig" in out
