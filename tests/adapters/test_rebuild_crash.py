"""[ADR 0015] Exactly once through a crash: a rebuild killed part-way (a real process, sent
SIGKILL in the middle of its work) resumes where its last committed page ended, and the views
then equal a clean rebuild, row for row. A page lost with the process is taken in again, a
committed page never twice.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govoffice.adapters.views_memory import MemoryViewStore
from govoffice.application.views import ViewRunner
from govoffice.testing import office_for_tests, standard_agency
from tests.adapters.views_workload import T0, DocumentRegister, dump, write_documents

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 3000
PAGE_SIZE = 40
DELAY = 0.001
"""Seconds per event in the child: a page takes ~40 ms, the whole rebuild a few seconds."""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_rebuild_killed_part_way_resumes_to_the_views_of_a_clean_rebuild(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """[ADR 0015] SIGKILL mid-rebuild, resume with catch_up: equal to a clean rebuild."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'office.db'}"
    else:
        url = str(request.getfixturevalue("postgres_schema_url"))
    office = office_for_tests(url, start=T0)
    try:
        last = write_documents(office, standard_agency(office, T0), EVENTS, batch=100)
        store = office.views.store
        view = DocumentRegister()

        with subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.adapters.views_workload",
                url,
                str(PAGE_SIZE),
                str(DELAY),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        ) as child:
            try:
                deadline = time.monotonic() + 60
                while store.position(view.view) == 0:
                    assert child.poll() is None, child.communicate()[1].decode()[-2000:]
                    assert time.monotonic() < deadline, "the child committed no page in 60 s"
                    time.sleep(0.005)
                time.sleep(random.uniform(0, 0.1))  # somewhere inside a later page
                child.send_signal(signal.SIGKILL)
            finally:
                if child.poll() is None:
                    child.kill()
                child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL

        killed_at = store.position(view.view)
        assert 0 < killed_at < last, "the rebuild was not killed part-way"
        partial = dump(store, view)

        left = office.app.recorder.select_notifications(
            start=killed_at + 1, limit=10 * EVENTS, topics=view.topics()
        )
        resumed = ViewRunner(office.app, store, [view], page_size=500).catch_up()
        assert resumed == len(left), "the resumed run did not start where the killed one ended"
        assert store.position(view.view) == last

        clean = MemoryViewStore()
        ViewRunner(office.app, clean, [view]).rebuild()
        assert dump(store, view) == dump(clean, view)
        assert dump(store, view) != partial
        assert sum(view.counts(store).values()) > 0

        ViewRunner(office.app, store, [view]).rebuild()  # and a clean rebuild in place
        assert dump(store, view) == dump(clean, view)
    finally:
        office.close()
