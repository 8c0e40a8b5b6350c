"""[issue 15 §1, §6] ``govoffice serve``: several workers only on PostgreSQL; SIGTERM lets a
command in flight finish (and be recorded) before the process exits."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from govoffice.cli import main
from tests.http.live import FORM, event_count, prepare, serving

pytest.importorskip("uvicorn")


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_several_workers_are_refused_on_sqlite_and_memory(store: str, tmp_path: Path) -> None:
    url = "memory" if store == "memory" else f"sqlite:///{tmp_path / 'office.db'}"
    result = CliRunner().invoke(main, ["serve", "--store", url, "--workers", "3"])
    assert result.exit_code == 2, result.output
    assert "PostgreSQL" in result.output and "--workers 3" in result.output
    assert not (tmp_path / "office.db").exists()  # nothing was created


def test_serve_refuses_a_store_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", f"sqlite:///{tmp_path / 'no.db'}"])
    assert result.exit_code == 2 and "StoreNotFound" in result.output
    assert not (tmp_path / "no.db").exists()


@pytest.mark.slow
def test_sigterm_lets_the_command_in_flight_finish(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    _, secrets, _ = prepare(url)
    before = event_count(url)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "tests.http.slow_server:app",
        "--timeout-graceful-shutdown",
        "20",
        "--no-access-log",
    ]
    answers: list[httpx.Response] = []
    with serving(url, command=command, log=tmp_path / "server.log") as (base, process):

        def slow_draft() -> None:
            answers.append(
                httpx.post(
                    f"{base}/documents/draft",
                    json=FORM,
                    headers={"Authorization": f"Bearer {secrets['drafter']}", "X-Test-Pause": "2"},
                    timeout=30,
                )
            )

        sender = threading.Thread(target=slow_draft)
        sender.start()
        time.sleep(0.7)  # the request is in flight, paused
        process.send_signal(signal.SIGTERM)
        sender.join(timeout=30)
        # uvicorn shuts down, then ends by the signal it caught (its exit status says so)
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    assert [a.status_code for a in answers] == [201]
    assert event_count(url) == before + 1
    log = (tmp_path / "server.log").read_text()
    assert "Shutting down" in log and "Waiting for connections to close" in log
