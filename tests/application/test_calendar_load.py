"""Next year's calendar, loaded by the office (issue 11 item 10, ADR 0028).

In December the packaged holiday data (chinesecalendar) has no next year yet: an office
loads the State Council's notice itself, from a holiday-cn JSON file, and every process of
the office counts on it from then on. The 2027 notice used here is a TEST FIXTURE with
plausible dates, not the State Council's 2027 notice, which was not available (holiday-cn's
2027.json was still empty): 2027-01-01 (Friday) off with no make-up day, so three working
days from 2026-12-30 end on 2027-01-05 (see ``tests/calendar_notices.py``).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pendulum
import pytest

from govoffice.application.calendar import CalendarNotLoadable, OfficeCalendar
from govoffice.application.office import Office
from govoffice.application.services import OrganisationNotEstablished
from govoffice.domain.calendar import CalendarDataMissing, WorkingCalendar
from govoffice.domain.calendar_notice import (
    DayBothOffAndWorking,
    MakeUpDayOnWeekday,
    MalformedCalendarNotice,
    NoticeDayOutsideYear,
    NoticeYearOutOfRange,
)
from govoffice.domain.errors import (
    CorruptRecord,
    InvalidInput,
    PermissionDenied,
    TimeGoesBackwards,
)
from govoffice.domain.incoming import HandlingKind, IncomingStatus
from govoffice.testing import (
    AgencyPeople,
    assert_nothing_recorded,
    incoming_document,
    office_for_tests,
    standard_agency,
)
from tests.calendar_notices import (
    FIXTURE_2027,
    corrected_2027,
    fixture_2027,
    minimal_notice,
    write,
)

ZONE = "Asia/Shanghai"
DECEMBER = pendulum.datetime(2026, 12, 1, 10, tz=ZONE)
ROOT = Path(__file__).resolve().parents[2]


def beijing(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=ZONE)


@pytest.fixture
def december(tmp_path: Path) -> tuple[Office, AgencyPeople]:
    """An office on SQLite in December 2026, with the standard agency."""
    office = office_for_tests(f"sqlite:///{tmp_path / 'office.db'}", start=DECEMBER)
    people = standard_agency(office, DECEMBER)
    yield office, people
    office.close()


# --- the whole way: file, store, deadline, another process ---------------------------------------


def test_a_2027_deadline_needs_the_2027_notice(december: tuple[Office, AgencyPeople]) -> None:
    """[domain-brief §8] 没有 2027 年数据时明确报错, 并说明用 govoffice calendar load 载入."""
    office, _ = december
    with pytest.raises(CalendarDataMissing) as refused:
        office.calendar.add_working_days(date(2026, 12, 30), 3)
    assert "govoffice calendar load FILE" in str(refused.value)


def test_a_loaded_notice_counts_across_the_new_year_and_in_a_new_process(
    december: tuple[Office, AgencyPeople], tmp_path: Path
) -> None:
    """[民法典 第201条] 载入 2027 年通知后, 2026-12-30 起 3 个工作日至 2027-01-05; 另一进程打开
    同一存储得到同一日期与同一日历版本, 无需再次载入."""
    office, people = december
    result = office.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 2, 9))
    assert result.changed and result.loaded.version == 1 and result.previous is None
    assert date(2027, 1, 1) in result.days_off_added
    deadline = office.calendar.deadline(date(2026, 12, 30), 3)
    assert deadline.due == date(2027, 1, 5)
    version = result.loaded.calendar_version
    assert deadline.basis[-1].version == version and version.startswith("notice-2027-v1-")

    # a service counts on it: 收文 assigned on 12-30 with 3 working days
    doc = incoming_document(office, people, IncomingStatus.SCREENED, at=beijing(2026, 12, 30, 9))
    due = office.incoming.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="转业务一处办理",
        lead_unit="biz1",
        within_working_days=3,
        by=people.office_head,
        at=beijing(2026, 12, 30, 10),
    )
    assert due == date(2027, 1, 5)
    url = office.store_url
    office.close()

    script = textwrap.dedent(
        f"""
        import json
        from datetime import date
        from govoffice import open_office
        office = open_office({url!r})
        d = office.calendar.deadline(date(2026, 12, 30), 3)
        print(json.dumps({{"due": d.due.isoformat(), "version": d.basis[-1].version}}))
        office.close()
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"due": "2027-01-05", "version": version}


def test_the_time_driven_step_urges_on_2027s_working_days_once_loaded(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[001 收文 五(六)] 紧急公文跟踪催办: 载入 2027 年通知后, 每个工作日催办, 元旦与周末不催,
    期限 2027-01-05 过后记逾期."""
    office, people = december
    office.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 2, 9))
    doc = incoming_document(office, people, IncomingStatus.SCREENED, at=beijing(2026, 12, 30, 9))
    office.incoming.assign(
        doc,
        kind=HandlingKind.ACTION,
        proposal="转业务一处办理",
        lead_unit="biz1",
        importance="urgent",
        within_working_days=3,
        by=people.office_head,
        at=beijing(2026, 12, 30, 10),
    )
    office.incoming.accept(doc, by=people.unit_head, at=beijing(2026, 12, 30, 11))
    recorded: list[tuple[date, str]] = []
    for day in pendulum.interval(date(2026, 12, 31), date(2027, 1, 6)).range("days"):
        when = beijing(day.year, day.month, day.day, 9)
        recorded += [(when.date(), d.action) for d in office.tick(when)]
    assert recorded == [
        (date(2026, 12, 31), "Urged"),
        (date(2027, 1, 4), "Urged"),
        (date(2027, 1, 5), "Urged"),
        (date(2027, 1, 6), "WentOverdue"),
        (date(2027, 1, 6), "Urged"),
    ]


def test_the_notice_is_an_event_with_who_when_and_its_source(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[domain-brief §8] 载入的通知记录为事件: 谁、何时、所据文件; 审计轨迹显示其岗位要求."""
    office, people = december
    office.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 2, 9))
    year = office.calendar.in_force(2027)
    assert year.origin == "notice" and year.notice is not None
    assert year.notice.by == people.admin and year.notice.at == beijing(2026, 12, 2, 9)
    assert year.notice.notice.papers[0].endswith("not-the-real-2027-notice.htm")
    assert year.recorded_at is not None
    assert [d.action for d in office.calendar.history()] == ["Opened", "NoticeLoaded"]
    trail = office.audit.trail(office.calendar.register_id)
    assert all(entry.check.held for entry in trail)


def test_loading_the_same_notice_again_records_nothing(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[ADR 0028] 重复载入同一通知不产生新版本."""
    office, people = december
    office.calendar.load(FIXTURE_2027, by=people.admin)
    with assert_nothing_recorded(office):
        again = office.calendar.load(fixture_2027(), by=people.admin)
    assert not again.changed and again.loaded.version == 1


def test_a_corrected_notice_is_the_next_version_of_its_year(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[国务院办公厅关于2019年部分节假日安排的通知] 更正的通知是该年的新版本, 12月下旬随之改变;
    更正前的版本仍可按业务时间查到."""
    office, people = december
    office.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 2, 9))
    assert office.calendar.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 4)
    corrected = office.calendar.load(
        corrected_2027(), by=people.admin, at=beijing(2026, 12, 5, 9), source="更正通知 (测试)"
    )
    assert corrected.changed and corrected.loaded.version == 2
    assert corrected.previous is not None and corrected.previous.startswith("notice-2027-v1-")
    assert corrected.days_off_added == (date(2026, 12, 31),)
    assert corrected.workdays_added == (date(2026, 12, 26),)
    assert office.calendar.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 5)
    assert [d.action for d in office.calendar.history()][-1] == "NoticeCorrected"
    year = office.calendar.in_force(2027)
    assert [v.version for v in year.versions] == [1, 2] and year.notice == year.versions[-1]
    assert office.calendar.in_force(2026).december == year.notice
    as_first_loaded = office.calendar.in_force(2027, at=beijing(2026, 12, 3, 9))
    assert as_first_loaded.notice is not None and as_first_loaded.notice.version == 1
    with pytest.raises(CalendarDataMissing):
        office.calendar.in_force(2027, at=beijing(2026, 12, 1, 9))


# --- refusals: nothing recorded -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        '{"year": 2027, "papers": [], "days": [',  # cut off
        "not json at all",
        '{"year": 2027, "year": 2028, "papers": ["x"], "days": []}',  # a field twice
        '{"year": NaN, "papers": ["x"], "days": []}',
        '[{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]',
        '{"year": 2027, "papers": ["x"]}',  # no days
        '{"year": "2027", "papers": ["x"], "days": []}',
        '{"year": 2027, "papers": ["x"], "days": [{"name": "元旦", "date": "2027-01-01", '
        '"isOffDay": "yes"}]}',
    ],
)
def test_a_malformed_file_is_refused_and_nothing_recorded(
    december: tuple[Office, AgencyPeople], tmp_path: Path, content: str
) -> None:
    """[ADR 0028] 格式错误的文件 (非 JSON、缺字段、类型不对) 拒绝载入, 不记录任何事件."""
    office, people = december
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with assert_nothing_recorded(office), pytest.raises(MalformedCalendarNotice):
        office.calendar.load(path, by=people.admin)
    with pytest.raises(CalendarDataMissing):
        office.calendar.add_working_days(date(2026, 12, 30), 3)


def test_an_unreadable_file_is_refused_clearly(
    december: tuple[Office, AgencyPeople], tmp_path: Path
) -> None:
    """[ADR 0028] 找不到、非 UTF-8 或过大的文件拒绝载入, 不记录."""
    office, people = december
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"year": 2027, "name": "元旦"}'.encode("gb18030"))
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * 1_000_001)
    for path in (tmp_path / "missing.json", latin, huge, tmp_path):
        with assert_nothing_recorded(office), pytest.raises(MalformedCalendarNotice):
            office.calendar.load(path, by=people.admin)
    with assert_nothing_recorded(office), pytest.raises(InvalidInput):
        office.calendar.load(2027, by=people.admin)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"name": "国庆节", "date": "2027-10-02", "isOffDay": False}, DayBothOffAndWorking),
        ({"name": "国庆节", "date": "2027-10-08", "isOffDay": False}, MakeUpDayOnWeekday),
        ({"name": "春节", "date": "2028-02-01", "isOffDay": True}, NoticeDayOutsideYear),
    ],
)
def test_a_self_contradicting_file_is_refused_and_nothing_recorded(
    december: tuple[Office, AgencyPeople],
    tmp_path: Path,
    extra: dict[str, object],
    error: type[Exception],
) -> None:
    """[国务院办公厅关于部分节假日安排的通知] 自相矛盾的通知 (同日既休又班、周内"调休上班"、
    日期不在该年) 拒绝载入, 并说明原因; 不记录任何事件."""
    office, people = december
    data = fixture_2027()
    data["days"].append(extra)
    with assert_nothing_recorded(office), pytest.raises(error) as refused:
        office.calendar.load(write(tmp_path, data), by=people.admin)
    assert extra["date"] in str(refused.value)


def test_only_the_organisation_administrator_loads_the_calendar(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[ADR 0028] 工作日历是机关的配置: 须由组织机构管理员载入."""
    office, people = december
    with assert_nothing_recorded(office), pytest.raises(PermissionDenied):
        office.calendar.load(FIXTURE_2027, by=people.drafter)


def test_a_calendar_is_loaded_into_an_established_agency() -> None:
    """[ADR 0028] 尚未建立机关组织时不能载入 (无从判断谁有权载入)."""
    office = office_for_tests("memory", start=DECEMBER)
    with office, assert_nothing_recorded(office), pytest.raises(OrganisationNotEstablished):
        office.calendar.load(FIXTURE_2027, by="admin")


def test_a_load_cannot_be_dated_before_the_last_one(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[ADR 0002] 载入时间不能早于上一次载入."""
    office, people = december
    office.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 5, 9))
    with assert_nothing_recorded(office), pytest.raises(TimeGoesBackwards):
        office.calendar.load(corrected_2027(), by=people.admin, at=beijing(2026, 12, 4, 9))


def test_a_notice_too_far_ahead_is_a_typing_error(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[ADR 0028] 通知在上一年秋季发布: 2026 年里载入 2028 年 (或 2127 年) 的通知是笔误."""
    office, people = december
    for year in (2028, 2127):
        with assert_nothing_recorded(office), pytest.raises(NoticeYearOutOfRange):
            office.calendar.load(minimal_notice(year), by=people.admin)


def test_a_calendar_that_is_not_a_working_calendar_cannot_take_a_notice(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[ADR 0028] 以非 WorkingCalendar 打开的办公系统不能载入通知 (明确报错)."""
    office, people = december

    class Weekdays:
        name = "仅工作日"

        def is_working_day(self, day: date) -> bool:
            return day.weekday() < 5

        def add_working_days(self, start: date, n: int) -> date:
            raise NotImplementedError

        add_days = add_months = add_working_days

    office.calendar = OfficeCalendar(office, Weekdays())
    assert office.calendar.is_working_day(date(2027, 1, 1))
    with assert_nothing_recorded(office), pytest.raises(CalendarNotLoadable):
        office.calendar.load(FIXTURE_2027, by=people.admin)


# --- the second actor: UTC, another process at the same time ---------------------------------------


def test_a_caller_writing_utc_loads_and_counts_the_same(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[issue 11 item 1] 以 UTC 书写的时间按本机关当地日期: 2026-12-29T17:00Z 是北京 12-30 01:00."""
    office, people = december
    at_utc = pendulum.datetime(2026, 12, 2, 1, tz="UTC")
    office.calendar.load(FIXTURE_2027, by=people.admin, at=at_utc)
    assert office.calendar.in_force(2027).notice.at == beijing(2026, 12, 2, 9)  # type: ignore[union-attr]
    late_utc = pendulum.datetime(2026, 12, 29, 17, tz="UTC")
    assert office.calendar.deadline(late_utc, 3).due == date(2027, 1, 5)
    assert office.calendar.add_working_days(late_utc, 3) == date(2027, 1, 5)
    assert not office.calendar.is_working_day(pendulum.datetime(2026, 12, 31, 16, 30, tz="UTC"))
    as_of_utc = office.calendar.in_force(2027, at=pendulum.datetime(2026, 12, 2, 1, tz="UTC"))
    assert as_of_utc.origin == "notice"


def test_the_years_ahead_are_counted_from_the_agencys_new_year_not_utcs(
    december: tuple[Office, AgencyPeople],
) -> None:
    """[issue 11 item 1] 2026-12-31T16:30Z 在北京已是 2027 年: 可载入 2028 年通知; 15:30Z 仍是 2026 年."""
    office, people = december
    with assert_nothing_recorded(office), pytest.raises(NoticeYearOutOfRange):
        office.calendar.load(
            minimal_notice(2028),
            by=people.admin,
            at=pendulum.datetime(2026, 12, 31, 15, 30, tz="UTC"),
        )
    loaded = office.calendar.load(
        minimal_notice(2028), by=people.admin, at=pendulum.datetime(2026, 12, 31, 16, 30, tz="UTC")
    )
    assert loaded.loaded.version == 1


def test_a_running_office_counts_on_a_notice_another_process_loaded(tmp_path: Path) -> None:
    """[ADR 0028] 一直运行的进程: 缺该年数据时先重读登记, 见到另一进程刚载入的通知即按其计算."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=DECEMBER) as running:
        people = standard_agency(running, DECEMBER)
        assert running.calendar.is_working_day(date(2026, 12, 30))  # the register is read
        with office_for_tests(url, start=DECEMBER) as other:
            other.calendar.load(FIXTURE_2027, by=people.admin)
        assert running.calendar.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)


def test_a_running_office_sees_a_correction_after_the_refresh_interval(tmp_path: Path) -> None:
    """[ADR 0028] 更正的通知: 一直运行的进程至迟在 refresh_interval 秒后 (或 refresh() 时) 按新版本计算."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    seconds = [0.0]
    with office_for_tests(url, start=DECEMBER) as running:
        people = standard_agency(running, DECEMBER)
        running.calendar = OfficeCalendar(
            running, running.calendar.base, refresh_interval=60, monotonic=lambda: seconds[0]
        )
        running.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 2, 9))
        with office_for_tests(url, start=DECEMBER) as other:
            other.calendar.load(corrected_2027(), by=people.admin, at=beijing(2026, 12, 3, 9))
        seconds[0] = 59.0
        assert running.calendar.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 4)
        seconds[0] = 61.0
        assert running.calendar.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 5)
        with office_for_tests(url, start=DECEMBER) as other:
            other.calendar.load(FIXTURE_2027, by=people.admin, at=beijing(2026, 12, 4, 9))
        assert running.calendar.refresh()
        assert running.calendar.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 4)
        assert running.calendar.in_force(2027).notice.version == 3  # type: ignore[union-attr]


def test_two_processes_loading_at_once_record_one_version_each(tmp_path: Path) -> None:
    """[ADR 0028] 两个进程同时载入: 登记簿不丢失任何一次, 版本连续."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=DECEMBER) as office:
        people = standard_agency(office, DECEMBER)
    script = textwrap.dedent(
        f"""
        import sys, pendulum
        from govoffice.testing import office_for_tests
        from tests.calendar_notices import corrected_2027, fixture_2027
        data = fixture_2027() if sys.argv[1] == "a" else corrected_2027()
        with office_for_tests({url!r}, start=pendulum.datetime(2026, 12, 1, 10, tz="Asia/Shanghai")) as o:
            o.calendar.load(data, by={people.admin!r})
        """
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, which], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        for which in ("a", "b")
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    with office_for_tests(url, start=DECEMBER) as office:
        versions = office.calendar.in_force(2027).versions
        assert [v.version for v in versions] == [1, 2]
        assert len({v.notice.digest for v in versions}) == 2


# --- stores and stored data -----------------------------------------------------------------------


def test_the_notice_round_trips_through_every_store(store_url: str) -> None:
    """[ADR 0004] 载入的通知在各存储中往返不变 (memory, SQLite, PostgreSQL)."""
    with office_for_tests(store_url, start=DECEMBER) as office:
        people = standard_agency(office, DECEMBER)
        office.calendar.load(corrected_2027(), by=people.admin)
        written = office.calendar.in_force(2027).notice
        events = office.store.events(office.calendar.register_id)
        assert [type(e).__name__ for e in events] == ["Opened", "NoticeLoaded"]
        read_back = office.app.mapper.to_domain_event(office.app.mapper.to_stored_event(events[1]))
        assert read_back.notice == written.notice  # type: ignore[attr-defined,union-attr]
        if store_url == "memory":
            return
    with office_for_tests(store_url, start=DECEMBER) as office:
        assert office.calendar.in_force(2027).notice == written
        assert office.calendar.add_working_days(date(2026, 12, 29), 3) == date(2027, 1, 5)


def test_a_stored_notice_edited_in_the_database_is_a_corrupt_record(tmp_path: Path) -> None:
    """[ADR 0018] 有数据库写权限的人把存储中的通知改得自相矛盾 (同一天既休又班): 打开办公系统
    计算期限时报 CorruptRecord, 而不是原始异常; 审计校验发现篡改."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with office_for_tests(url, start=DECEMBER) as office:
        people = standard_agency(office, DECEMBER)
        office.calendar.load(FIXTURE_2027, by=people.admin)
        register_id = office.calendar.register_id
    with sqlite3.connect(tmp_path / "office.db") as db:
        (state,) = db.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = 2",
            (register_id.hex,),
        ).fetchone()
        edited = state.replace(b'"day":"2027-01-31"', b'"day":"2027-01-01"')
        assert edited != state
        db.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = 2",
            (edited, register_id.hex),
        )
    with office_for_tests(url, start=DECEMBER) as office:
        with pytest.raises(CorruptRecord) as refused:
            office.calendar.add_working_days(date(2026, 3, 2), 1)
        assert str(register_id) in str(refused.value)
        assert not office.audit.verify().ok


def test_the_weekend_fallback_gives_way_to_a_loaded_notice(tmp_path: Path) -> None:
    """[ADR 0010] 明确选择仅按周末计算的办公系统, 载入通知后该年按通知计算."""
    from govoffice.adapters.calendar_cn import china_calendar
    from govoffice.bootstrap import open_office
    from govoffice.testing import SettableClock

    with open_office(
        "memory", clock=SettableClock(DECEMBER), calendar=china_calendar(weekend_fallback=True)
    ) as office:
        people = standard_agency(office, DECEMBER)
        assert office.calendar.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 4)
        assert office.calendar.in_force(2027).origin == "weekends-only"
        office.calendar.load(FIXTURE_2027, by=people.admin)
        assert office.calendar.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
        assert isinstance(office.calendar.current(), WorkingCalendar)
