"""``govoffice calendar load FILE`` and ``govoffice calendar show YEAR`` (ADR 0028).

The 2027 notice is a TEST FIXTURE with plausible dates, not the State Council's 2027 notice
(see ``tests/calendar_notices.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pendulum
from click.testing import CliRunner, Result

from govoffice.cli import main
from govoffice.testing import notification_count, office_for_tests, standard_agency
from tests.calendar_notices import FIXTURE_2027, corrected_2027, fixture_2027, write

DECEMBER = pendulum.datetime(2026, 12, 1, 10, tz="Asia/Shanghai")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def office_store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=DECEMBER) as office:
        standard_agency(office, DECEMBER)
    return url


def events_in(url: str) -> int:
    with office_for_tests(url, start=DECEMBER) as office:
        return notification_count(office)


def test_load_records_the_notice_and_show_prints_what_is_in_force(tmp_path: Path) -> None:
    """[domain-brief §8] govoffice calendar load 载入 2027 年通知; show 显示放假、调休上班、版本、
    来源、载入人与时间."""
    store = office_store(tmp_path)
    loaded = run(
        "calendar", "load", str(FIXTURE_2027), "--by", "admin", "--store", store,
        "--at", "2026-12-02T09:00:00+08:00",
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert "已载入 2027 年节假日安排 第1版" in loaded.output
    assert "notice-2027-v1-" in loaded.output
    shown = run("calendar", "show", "2027", "--store", store)
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "本机关载入的通知" in out
    assert "春节 2027-02-05 周五 至 02-13 周六 (9天)" in out
    assert "国庆节 2027-10-09 周六" in out
    assert "第1版, admin, 业务时间 2026-12-02 09:00:00+08:00" in out
    assert "not-the-real-2027-notice.htm" in out
    register = re.search(r"govoffice audit trail ([0-9a-f-]{36})", out)
    assert register is not None
    trail = run("audit", "trail", register.group(1), "--store", store)
    assert trail.exit_code == 0, trail.output
    assert "NoticeLoaded" in trail.output and "有权" in trail.output


def test_show_as_json_names_the_source_the_version_and_who_loaded_it(tmp_path: Path) -> None:
    """[domain-brief §8] show --format json: 来源、版本、载入人."""
    store = office_store(tmp_path)
    assert (
        run("calendar", "load", str(FIXTURE_2027), "--by", "admin", "--store", store).exit_code == 0
    )
    shown = run("calendar", "show", "2027", "--store", store, "--format", "json")
    data = json.loads(shown.output)
    assert data["origin"] == "notice" and data["notice"]["by"] == "admin"
    assert data["version"].startswith("notice-2027-v1-")
    assert {"date": "2027-01-01", "name": "元旦"} in data["holidays"]
    assert [d["date"] for d in data["workdays"]][:2] == ["2027-01-31", "2027-02-20"]
    packaged = json.loads(
        run("calendar", "show", "2026", "--store", store, "--format", "json").output
    )
    assert packaged["origin"] == "packaged"
    assert packaged["packaged_version"].startswith("chinesecalendar-")
    assert packaged["december"]["version"] == 1  # late December 2026: by the 2027 notice


def test_show_of_a_year_without_data_says_how_to_load_it(tmp_path: Path) -> None:
    """[domain-brief §8] 没有数据的年份: 退出码 2, 提示 govoffice calendar load FILE."""
    store = office_store(tmp_path)
    shown = run("calendar", "show", "2027", "--store", store)
    assert shown.exit_code == 2
    assert "CalendarDataMissing" in shown.output and "govoffice calendar load" in shown.output
    assert "Traceback" not in shown.output


def test_a_corrected_notice_shows_both_versions(tmp_path: Path) -> None:
    """[ADR 0028] 更正的通知是新版本; show 列出历次版本, load 列出改变的日子."""
    store = office_store(tmp_path)
    run("calendar", "load", str(FIXTURE_2027), "--by", "admin", "--store", store)
    corrected = write(tmp_path, corrected_2027())
    loaded = run(
        "calendar", "load", str(corrected), "--by", "admin", "--store", store,
        "--source", "更正通知 (测试)",
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert "第2版" in loaded.output and "2026-12-31" in loaded.output
    again = run("calendar", "load", str(corrected), "--by", "admin", "--store", store,
                "--source", "更正通知 (测试)")  # fmt: skip
    assert again.exit_code == 0 and "未记录" in again.output
    out = run("calendar", "show", "2027", "--store", store).output
    assert "历次版本" in out and "v1 notice-2027-v1-" in out and "v2 notice-2027-v2-" in out


def test_a_malformed_or_self_contradicting_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    """[ADR 0028] 有问题的文件: 退出码 2, 一行原因, 不记录任何事件."""
    store = office_store(tmp_path)
    before = events_in(store)
    broken = tmp_path / "broken.json"
    broken.write_text('{"year": 2027, "papers": [', encoding="utf-8")
    contradicting = fixture_2027()
    contradicting["days"].append({"name": "国庆节", "date": "2027-10-08", "isOffDay": False})
    cases = [
        (broken, "MalformedCalendarNotice", "不是有效的 JSON"),
        (write(tmp_path, contradicting, "c.json"), "MakeUpDayOnWeekday", "2027-10-08"),
        (tmp_path / "missing.json", "MalformedCalendarNotice", "无法读取"),
    ]
    for path, error, reason in cases:
        refused = run("calendar", "load", str(path), "--by", "admin", "--store", store)
        assert refused.exit_code == 2, refused.output
        assert error in refused.output and reason in refused.output
        assert "Traceback" not in refused.output
    assert events_in(store) == before


def test_load_needs_the_administrator_and_takes_by_from_the_environment(tmp_path: Path) -> None:
    """[ADR 0028] --by (或 GOVOFFICE_USER) 须为组织机构管理员."""
    store = office_store(tmp_path)
    refused = run("calendar", "load", str(FIXTURE_2027), "--by", "li.nigao", "--store", store)
    assert refused.exit_code == 2 and "PermissionDenied" in refused.output
    loaded = run(
        "calendar", "load", str(FIXTURE_2027), "--store", store, env={"GOVOFFICE_USER": "admin"}
    )
    assert loaded.exit_code == 0, loaded.output


def test_the_calendar_commands_do_not_create_a_store(tmp_path: Path) -> None:
    """[ADR 0028] 不存在的 SQLite 文件是错误, 不会新建空的办公系统."""
    missing = tmp_path / "nowhere.db"
    for args in (
        ("show", "2026"),
        ("load", str(FIXTURE_2027), "--by", "admin"),
    ):
        result = run("calendar", *args, "--store", f"sqlite:///{missing}")
        assert result.exit_code == 2 and "StoreUnavailable" in result.output
    assert not missing.exists()


def test_help_lists_the_calendar_commands() -> None:
    result = run("calendar", "--help")
    assert result.exit_code == 0
    assert "load" in result.output and "show" in result.output
