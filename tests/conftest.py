"""Shared fixtures: a settable clock, offices on each store, the standard agency.

PostgreSQL tests use the server named by ``GOVOFFICE_TEST_POSTGRES`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``), each test in a schema of its own. Without
a server they skip with the reason; with ``CI=true`` they fail instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from govoffice.testing import AgencyPeople, SettableClock, TestOffice

POSTGRES_URL = os.environ.get(
    "GOVOFFICE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


def postgres_available() -> str | None:
    """None when the test server answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'govoffice[postgres]')"
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as e:
        return f"no PostgreSQL server at {POSTGRES_URL}: {e}"
    return None


def require_postgres() -> None:
    reason = postgres_available()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI=true and PostgreSQL is required: {reason}")
        pytest.skip(reason)


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL store URL in a fresh schema, dropped after the test."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store in turn: the contract tests run the same scenarios on all three."""
    if request.param == "memory":
        return "memory"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'office.db'}"
    return str(request.getfixturevalue("postgres_schema_url"))


# The project's own short names for the plugin's fixtures (govoffice.testing.plugin, loaded
# through its pytest11 entry point): the same clock, office and agency.


@pytest.fixture
def clock(govoffice_clock: SettableClock) -> SettableClock:
    return govoffice_clock


@pytest.fixture
def office(govoffice_office: TestOffice) -> TestOffice:
    """An office on the in-memory store with a settable clock (``clock``)."""
    return govoffice_office


@pytest.fixture
def agency(govoffice_agency: AgencyPeople) -> AgencyPeople:
    """The standard agency (ten units, leaders, one person per role) in ``office``."""
    return govoffice_agency
