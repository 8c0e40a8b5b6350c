"""The govoffice command: the demo on SQLite, the decision trail, and clear errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pendulum
from click.testing import CliRunner

from govoffice.cli import main
from govoffice.testing import office_for_tests, standard_agency


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_help_lists_the_commands() -> None:
    code, out = run("--help")
    assert code == 0
    assert "demo" in out and "history" in out


def test_demo_runs_on_sqlite_and_continues_on_a_second_run(tmp_path: Path) -> None:
    """[issue 2] `govoffice demo` runs on the embedded SQLite store; running it again
    continues the same office and its numbering."""
    store = f"sqlite:///{tmp_path / 'demo.db'}"
    code, first = run("demo", "--scale", "0", "--store", store)
    assert code == 0, first
    assert "X政发〔2026〕1号 已归档" in first
    assert "拒绝" in first
    code, second = run("demo", "--scale", "0", "--store", store)
    assert code == 0, second
    assert "继续使用已有机关" in second
    assert "X政发〔2026〕3号 已归档" in second


def test_history_shows_the_decision_trail_and_the_status_as_of_a_time(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'demo.db'}"
    code, out = run("demo", "--scale", "0", "--store", store)
    assert code == 0
    doc_id = re.search(r"→\s+([0-9a-f-]{36})", out)
    assert doc_id is not None
    code, out = run(
        "history",
        doc_id.group(1),
        "--store",
        store,
        "--format",
        "json",
        "--at",
        "2026-03-03T11:30:00+08:00",
    )
    assert code == 0, out
    data = json.loads(out)
    assert [row["action"] for row in data["trail"]][:3] == [
        "Drafted",
        "SubmittedForReview",
        "Reviewed",
    ]
    assert data["status_as_of"] == "处室已审核"


def test_history_covers_a_units_monthly_information_record(tmp_path: Path) -> None:
    """`history --kind information`: the trail of a unit's month of 政务信息 (target set,
    items submitted), like every other kind of record."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    at = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    with office_for_tests(store, start=at) as office:
        people = standard_agency(office, at)
        record = office.information.set_target(
            unit="biz1", year=2026, month=3, target=2, by=people.secretary, at=at
        )
        office.information.submit(
            unit="biz1", year=2026, month=3, title="春耕进展", by=people.drafter, at=at.add(days=1)
        )
    code, out = run("history", str(record), "--kind", "information", "--store", store)
    assert code == 0, out
    assert f"{people.secretary} TargetSet" in out
    code, out = run(
        "history", str(record), "--kind", "information", "--store", store, "--format", "json"
    )
    assert [row["action"] for row in json.loads(out)["trail"]][-2:] == [
        "TargetSet",
        "ItemSubmitted",
    ]


def test_unknown_record_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'x.db'}"
    code, out = run("history", "00000000-0000-0000-0000-000000000001", "--store", store)
    assert code == 2
    assert "StoreNotFound" in out and "Traceback" not in out  # reading never creates a store
    office_for_tests(store).close()
    code, out = run("history", "00000000-0000-0000-0000-000000000001", "--store", store)
    assert code == 2
    assert "RecordNotFound" in out and "Traceback" not in out


def test_bad_store_url_is_a_clear_error() -> None:
    code, out = run("demo", "--store", "mysql://nowhere/db")
    assert code == 2
    assert "InvalidStoreURL" in out and "Traceback" not in out


def test_missing_store_directory_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("demo", "--store", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    assert code == 2
    assert "不存在" in out
