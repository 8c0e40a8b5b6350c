"""The command line covers what the Python API offers a clerk (issue 14): the overdue queue
and today's urges, history finding the kind itself, short ids readable at 80 columns and
accepted back, an empty ranking saying so, and ``python -m govoffice``."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from govoffice import DocumentStatus, IncomingStatus
from govoffice.adapters.record_ids import ids_with_prefix, resolve_record_id
from govoffice.cli import main
from govoffice.cli.demo import DEFAULT_SEED
from govoffice.cli.ranking import MEASURES
from govoffice.cli.report import FORMATS
from govoffice.errors import AmbiguousRecordId, RecordNotFound
from govoffice.testing import (
    incoming_document,
    office_for_tests,
    outgoing_document,
    standard_agency,
)


def cli(*args: str, columns: int = 80) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": str(columns)})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, uuid.UUID, uuid.UUID]]:
    """An office 20 days after a document was sent for countersigning (overdue since
    03-03) and an incoming document went into handling (to be urged)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'office.db'}"
    with office_for_tests(url) as office:
        people = standard_agency(office)
        doc = outgoing_document(office, people, to=DocumentStatus.COUNTERSIGNING)
        inc = incoming_document(office, people, to=IncomingStatus.IN_HANDLING)
    yield url, doc, inc


def test_queue_overdue_lists_every_step_past_its_due_date(
    store: tuple[str, uuid.UUID, uuid.UUID],
) -> None:
    url, doc, _ = store
    code, out = cli("queue", "--overdue", "--on", "2026-03-20", "--store", url)
    assert code == 0, out
    assert "逾期事项" in out and str(doc)[:8] in out and "03-03逾期" in out
    code, out = cli("queue", "--overdue", "--on", "2026-03-02", "--store", url)
    assert code == 0 and "无逾期事项" in out
    code, out = cli("queue", "--overdue", "--on", "2026-03-20", "--store", url, "--format", "json")
    [row] = json.loads(out)["items"]
    assert (row["record_id"], row["overdue"]) == (str(doc), True)


def test_queue_urges_lists_what_must_be_urged_that_day(
    store: tuple[str, uuid.UUID, uuid.UUID],
) -> None:
    url, _, inc = store
    code, out = cli("queue", "--urges", "--on", "2026-03-20", "--store", url)
    assert code == 0, out
    assert "催办" in out and str(inc)[:8] in out and "biz1" in out
    code, out = cli("queue", "--urges", "--on", "2026-03-20", "--store", url, "--format", "json")
    [row] = json.loads(out)["urges"]
    assert row["record_id"] == str(inc) and row["targets"] == ["biz1"]
    code, out = cli("queue", "--urges", "--person", "x", "--store", url)
    assert code == 2 and "InvalidInput" in out


def test_queue_tables_fit_80_columns(store: tuple[str, uuid.UUID, uuid.UUID]) -> None:
    url, _, _ = store
    from rich.cells import cell_len

    for args in (
        ("--overdue", "--on", "2026-03-20"),
        ("--urges", "--on", "2026-03-20"),
        ("--unit", "biz1"),
    ):
        code, out = cli("queue", *args, "--store", url)
        assert code == 0, out
        widest = max(cell_len(line) for line in out.splitlines())
        assert widest <= 80, (args, out)


def test_history_finds_the_kind_itself_and_takes_a_short_id(
    store: tuple[str, uuid.UUID, uuid.UUID],
) -> None:
    """No --kind needed: the record's kind is read from its first stored event, as
    ``audit trail`` does; the 8-digit prefix the tables show names the record."""
    url, doc, inc = store
    code, out = cli("history", str(inc)[:8], "--store", url, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["record"] == str(inc) and data["trail"][0]["action"] == "Received"
    code, out = cli("history", str(doc), "--store", url)
    assert code == 0 and "Drafted" in out
    code, out = cli("audit", "trail", str(doc)[:8], "--store", url, "--format", "json")
    assert code == 0 and json.loads(out)["record"] == str(doc)
    code, out = cli("history", "zzzz", "--store", url)
    assert code == 2 and "RecordNotFound" in out


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_ambiguous_prefix_names_the_candidates(kind: str, tmp_path: Path) -> None:
    from eventsourcing.persistence import StoredEvent

    url = "memory" if kind == "memory" else f"sqlite:///{tmp_path / 'a.db'}"
    office = office_for_tests(url)
    try:
        twins = [uuid.UUID("abcd1234-0000-4000-8000-00000000000" + d) for d in "12"]
        office.app.recorder.insert_events(
            [
                StoredEvent(originator_id=t, originator_version=1, topic="t", state=b"{}")
                for t in twins
            ]
        )
        with pytest.raises(AmbiguousRecordId) as refused:
            resolve_record_id(office.app, "abcd1234")
        assert refused.value.candidates == tuple(twins)
        assert str(twins[0]) in str(refused.value)
        with pytest.raises(AmbiguousRecordId):
            resolve_record_id(office.app, "abcd1234-0000-4000-8000-00000000000")  # 31 digits
        assert resolve_record_id(office.app, twins[0].hex) == twins[0]
        with pytest.raises(RecordNotFound):
            resolve_record_id(office.app, "abc")  # fewer than 4 digits: not a prefix
        with pytest.raises(RecordNotFound):
            resolve_record_id(office.app, "abcd9")
        assert resolve_record_id(office.app, str(twins[1]).upper()) == twins[1]
    finally:
        office.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_prefix_lookup_on_the_durable_stores(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'p.db'}"
        if kind == "sqlite"
        else str(request.getfixturevalue("postgres_schema_url"))
    )
    with office_for_tests(url) as office:
        people = standard_agency(office)
        docs = [outgoing_document(office, people) for _ in range(5)]
        for x in docs:
            assert resolve_record_id(office.app, str(x)[:8]) == x
            assert ids_with_prefix(office.app, str(x).replace("-", "")[:6], limit=5) == [x]
        assert len(ids_with_prefix(office.app, "0", limit=1000)) <= len(docs) + 30


def test_a_ranking_of_a_period_with_no_events_says_so(
    store: tuple[str, uuid.UUID, uuid.UUID],
) -> None:
    url, _, _ = store
    code, out = cli("ranking", "--period", "2025", "--store", url)
    assert code == 0, out
    assert "无法排名" in out and "—" not in out
    code, out = cli("ranking", "--period", "2025", "--store", url, "--format", "json")
    assert json.loads(out)["empty"] is True


def test_python_dash_m_govoffice_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "govoffice", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: govoffice" in result.stdout and "history" in result.stdout
    assert "GOVOFFICE_STORE" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "govoffice", "audit", "verify", "--store", "mysql://x/y"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "InvalidStoreURL" in bad.stderr


def test_help_texts_written_out_agree_with_the_code() -> None:
    """``--help`` does not import the office; the texts it shows are checked here."""
    from govoffice.adapters.report_render import FORMATS as RENDERED
    from govoffice.application.rankings import Measure
    from govoffice.demo.simulation import DEFAULT_SEED as SIMULATED

    assert ", ".join(m.value for m in Measure) == MEASURES
    assert FORMATS == RENDERED
    assert DEFAULT_SEED == SIMULATED


def test_help_imports_no_aggregate() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom govoffice.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('govoffice.domain.', "
        "'govoffice.application', 'eventsourcing', 'rich', 'pendulum'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['govoffice.domain.errors']"
