"""One configuration (ADR 0040): a store URL or environment variables, read in one place;
an office never split over two places; eventsourcing's variables honoured or refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from govoffice import open_office
from govoffice.adapters.config import DEFAULT_SQLITE_URL, resolve_store
from govoffice.adapters.views_sqlite import POSITIONS, ROWS
from govoffice.cli import main
from govoffice.errors import InvalidStoreConfig
from govoffice.testing import standard_agency
from tests.conftest import POSTGRES_URL, require_postgres

STORE_VARIABLES = (
    "GOVOFFICE_STORE",
    "PERSISTENCE_MODULE",
    "SQLITE_DBNAME",
    "SQLITE_LOCK_TIMEOUT",
    "POSTGRES_DBNAME",
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_SCHEMA",
    "POSTGRES_CONNECT_TIMEOUT",
    "MAPPER_TOPIC",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sets the variables it is about, plain and prefixed."""
    for name in STORE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"GOVOFFICE_{name}", raising=False)
    yield


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def use(office_path: Path) -> None:
    """Write events and views to the office at ``office_path`` (via the configuration)."""
    office = open_office()
    try:
        people = standard_agency(office)
        office.queues.for_person(people.drafter)  # catches the queue view up: writes views
    finally:
        office.close()


# --- the store URL ---------------------------------------------------------------------


def test_the_url_argument_then_govoffice_store_then_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert resolve_store(None).url == "memory"
    assert resolve_store(None, default=DEFAULT_SQLITE_URL).source == "default"
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("GOVOFFICE_STORE", url)
    assert (resolve_store(None).url, resolve_store(None).source) == (url, "GOVOFFICE_STORE")
    assert resolve_store("memory").url == "memory"  # the caller's URL wins
    office = open_office()
    try:
        assert office.store_url == url
    finally:
        office.close()


def test_an_office_is_never_split_between_a_url_and_govoffice_sqlite_dbname(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """GOVOFFICE_SQLITE_DBNAME naming another file than the URL put events in one file and
    views in the other: now refused, naming the variable, and nothing is created."""
    other = tmp_path / "other.db"
    monkeypatch.setenv("GOVOFFICE_SQLITE_DBNAME", str(other))
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with pytest.raises(InvalidStoreConfig, match="SQLITE_DBNAME") as refused:
        open_office(url)
    assert refused.value.setting == "SQLITE_DBNAME"
    assert not other.exists() and not (tmp_path / "office.db").exists()
    with pytest.raises(InvalidStoreConfig):  # the plain name too
        monkeypatch.delenv("GOVOFFICE_SQLITE_DBNAME")
        monkeypatch.setenv("SQLITE_DBNAME", str(other))
        open_office(url)


def test_a_variable_naming_the_same_store_as_the_url_is_accepted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "office.db"
    monkeypatch.setenv("GOVOFFICE_SQLITE_DBNAME", str(path))
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")
    monkeypatch.setenv("GOVOFFICE_STORE", f"sqlite:///{path}")
    use(path)
    assert {"stored_events", ROWS, POSITIONS} <= tables(path)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".db"] == ["office.db"]


def test_eventsourcing_variables_alone_name_the_store_events_and_views_together(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As eventsourcing users expect: PERSISTENCE_MODULE and SQLITE_DBNAME without a URL;
    the views go to the same file as the events."""
    path = tmp_path / "es.db"
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")
    monkeypatch.setenv("SQLITE_DBNAME", str(path))
    config = resolve_store(None)
    assert (config.url, config.source) == (f"sqlite:///{path}", "eventsourcing variables")
    use(path)
    assert {"stored_events", ROWS, POSITIONS} <= tables(path)


def test_the_prefixed_variable_wins_over_the_plain_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")
    monkeypatch.setenv("SQLITE_DBNAME", str(tmp_path / "plain.db"))
    monkeypatch.setenv("GOVOFFICE_SQLITE_DBNAME", str(tmp_path / "prefixed.db"))
    assert resolve_store(None).url == f"sqlite:///{tmp_path / 'prefixed.db'}"
    monkeypatch.setenv("GOVOFFICE_SQLITE_LOCK_TIMEOUT", "7")
    monkeypatch.setenv("SQLITE_LOCK_TIMEOUT", "9")
    assert resolve_store(None).settings["SQLITE_LOCK_TIMEOUT"] == "7"
    # env= wins over the environment, like eventsourcing's own env= argument
    assert resolve_store(None, env={"SQLITE_LOCK_TIMEOUT": "3"}).settings[
        "SQLITE_LOCK_TIMEOUT"
    ] == ("3")


def test_incomplete_or_unknown_eventsourcing_variables_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")
    with pytest.raises(InvalidStoreConfig, match="SQLITE_DBNAME"):
        resolve_store(None)
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.dynamodb")
    with pytest.raises(InvalidStoreConfig, match="dynamodb"):
        resolve_store(None)
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.postgres")
    with pytest.raises(InvalidStoreConfig, match="POSTGRES_DBNAME"):
        resolve_store(None)
    monkeypatch.delenv("PERSISTENCE_MODULE")
    monkeypatch.setenv("POSTGRES_DBNAME", "x")
    with pytest.raises(InvalidStoreConfig, match="PERSISTENCE_MODULE"):
        resolve_store(None)  # a stray location variable is not silently ignored
    with pytest.raises(InvalidStoreConfig, match="POSTGRES_DBNAME"):
        resolve_store("memory")  # nor beside a URL


def test_variables_govoffice_replaces_are_refused_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAPPER_TOPIC", "eventsourcing.persistence:Mapper")
    with pytest.raises(InvalidStoreConfig, match="MAPPER_TOPIC") as refused:
        open_office("memory")
    assert "hash-chain" in str(refused.value)
    monkeypatch.delenv("MAPPER_TOPIC")
    with pytest.raises(InvalidStoreConfig, match="IS_SNAPSHOTTING_ENABLED"):
        open_office("memory", env={"IS_SNAPSHOTTING_ENABLED": "y"})


def test_other_settings_given_in_env_are_passed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A setting of ``env=`` govoffice has no rule for reaches eventsourcing as it is."""
    config = resolve_store("memory", env={"SOME_LIBRARY_SETTING": "1"})
    assert config.application_env()["GOVOFFICE_SOME_LIBRARY_SETTING"] == "1"
    office = open_office("memory", env={"SOME_LIBRARY_SETTING": "1"})
    try:
        assert office.app.env.get("SOME_LIBRARY_SETTING") == "1"
    finally:
        office.close()


def test_a_misspelt_govoffice_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo would be silently ignored: a name close to a setting's is refused, naming
    the setting; the application's own GOVOFFICE_ variables are left alone."""
    monkeypatch.setenv("GOVOFFICE_SQLITE_DBNAM", "x.db")
    with pytest.raises(InvalidStoreConfig, match="GOVOFFICE_SQLITE_DBNAME") as refused:
        open_office("memory")
    assert refused.value.setting == "GOVOFFICE_SQLITE_DBNAM"
    monkeypatch.delenv("GOVOFFICE_SQLITE_DBNAM")
    monkeypatch.setenv("GOVOFFICE_DEBUG_TOOLBAR", "1")
    open_office("memory").close()


def test_tuning_reaches_events_and_views_and_the_url_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTGRES_CONNECT_TIMEOUT", "9")
    url = "postgresql://u:secret@db.example:5433/office?schema=s1"
    assert resolve_store(url).settings["POSTGRES_CONNECT_TIMEOUT"] == "9"
    explicit = resolve_store(url + "&connect_timeout=2")
    assert explicit.settings["POSTGRES_CONNECT_TIMEOUT"] == "2"
    assert explicit.application_env()["GOVOFFICE_POSTGRES_CONNECT_TIMEOUT"] == "2"
    assert "secret" not in repr(explicit)


def test_postgres_variables_without_a_url_name_the_same_schema_for_events_and_views(
    monkeypatch: pytest.MonkeyPatch, postgres_schema_url: str
) -> None:
    require_postgres()
    server = urlsplit(POSTGRES_URL)
    schema = postgres_schema_url.rsplit("schema=", 1)[1]
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.postgres")
    monkeypatch.setenv("POSTGRES_DBNAME", server.path.lstrip("/"))
    monkeypatch.setenv("POSTGRES_HOST", str(server.hostname))
    monkeypatch.setenv("POSTGRES_PORT", str(server.port or 5432))
    monkeypatch.setenv("POSTGRES_USER", server.username or "postgres")
    monkeypatch.setenv("GOVOFFICE_POSTGRES_SCHEMA", schema)
    office = open_office()
    try:
        assert office.views.store.schema == schema  # type: ignore[attr-defined]
        assert f"schema={schema}" in office.store_url
        standard_agency(office)
    finally:
        office.close()
    # the URL of the same store beside the variables is accepted; another schema is not
    open_office(postgres_schema_url).close()
    with pytest.raises(InvalidStoreConfig, match="POSTGRES_SCHEMA"):
        open_office(f"{POSTGRES_URL}?schema=elsewhere")


def test_the_command_line_reads_the_same_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("GOVOFFICE_STORE", f"sqlite:///{path}")
    result = CliRunner().invoke(main, ["demo", "--scale", "0"])
    assert result.exit_code == 0, result.output
    assert "stored_events" in tables(path)
    monkeypatch.setenv("GOVOFFICE_SQLITE_DBNAME", str(tmp_path / "elsewhere.db"))
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 2
    assert "InvalidStoreConfig" in result.output and "Traceback" not in result.output


def test_help_shows_each_variable() -> None:
    result = CliRunner().invoke(main, ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    for name in (
        "GOVOFFICE_STORE",
        "GOVOFFICE_NOTIFIER",
        "GOVOFFICE_AUDIT_KEY",
        "GOVOFFICE_AUDIT_CHECKPOINT_FILE",
        "CIPHER_TOPIC",
        "PERSISTENCE_MODULE",
        "SQLITE_DBNAME",
        "POSTGRES_",
        "PSYCOPG_IMPL",
    ):
        assert name in result.output, name
