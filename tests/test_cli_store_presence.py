"""[issue 12 §8] No store is created by a command that only reads or delivers: on a path
that does not exist (or a PostgreSQL schema without the office's tables) every such command
says so and exits non-zero, and creates nothing; only ``demo`` and ``init`` create a store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from govoffice.bootstrap import open_office
from govoffice.cli import main
from govoffice.domain.errors import StoreNotFound

READING_COMMANDS = [
    ["rebuild"],
    ["notify", "--once"],
    ["history", "00000000-0000-0000-0000-000000000001"],
    ["queue", "--person", "li.juzhang"],
    ["ranking", "--period", "2026"],
    ["report", "annual", "--year", "2026"],
    ["audit", "verify"],
    ["audit", "trail", "00000000-0000-0000-0000-000000000001"],
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def tables_in(schema_url: str) -> list[str]:
    import psycopg

    from tests.conftest import POSTGRES_URL

    schema = schema_url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
    return sorted(r[0] for r in rows)


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_mistyped_sqlite_path_is_refused_and_no_file_is_made(
    command: list[str], tmp_path: Path
) -> None:
    """[issue 12 §8] A command that only reads or delivers never makes an empty store."""
    path = tmp_path / "mistyped.db"
    code, out = run(*command, "--store", f"sqlite:///{path}")
    assert code != 0
    assert "Traceback" not in out
    assert "不存在" in out or "找不到" in out
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_an_office_is_refused(tmp_path: Path) -> None:
    """[issue 12 §8] An empty file is not an office: refused, and left as it was."""
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    code, out = run("history", "x", "--store", f"sqlite:///{path}")
    assert code == 2 and "StoreNotFound" in out
    assert path.read_bytes() == b""


@pytest.mark.postgres
@pytest.mark.parametrize("command", READING_COMMANDS[:3], ids=lambda c: c[0])
def test_a_postgres_schema_without_the_tables_is_refused_and_left_empty(
    command: list[str], postgres_schema_url: str
) -> None:
    """[issue 12 §8] On PostgreSQL too: no tables are created by a reading command."""
    code, out = run(*command, "--store", postgres_schema_url)
    assert code == 2, out
    assert "StoreNotFound" in out
    assert tables_in(postgres_schema_url) == []


def test_init_creates_a_store_that_the_other_commands_then_open(tmp_path: Path) -> None:
    """[issue 12 §8] ``govoffice init`` is the explicit way to make an empty store."""
    store = f"sqlite:///{tmp_path / 'office.db'}"
    code, out = run("init", "--store", store)
    assert code == 0 and "已建立" in out
    code, out = run("rebuild", "--store", store)
    assert code == 0, out
    code, out = run("init", "--store", store)
    assert code == 0 and "已存在" in out


@pytest.mark.postgres
def test_init_creates_the_tables_in_a_postgres_schema(postgres_schema_url: str) -> None:
    """[issue 12 §8] ``init`` on an empty PostgreSQL schema makes the office's tables."""
    code, out = run("init", "--store", postgres_schema_url)
    assert code == 0, out
    assert "govoffice_events" in tables_in(postgres_schema_url)
    code, out = run("notify", "--once", "--store", postgres_schema_url)
    assert code == 0, out


def test_open_office_without_create_raises_store_not_found(tmp_path: Path) -> None:
    """[issue 12 §8] The one place the check lives: ``open_office(url, create=False)``."""
    path = tmp_path / "none.db"
    with pytest.raises(StoreNotFound) as raised:
        open_office(f"sqlite:///{path}", create=False)
    assert raised.value.url == f"sqlite:///{path}"
    assert not path.exists()
    office = open_office(f"sqlite:///{path}")  # the library's default still creates
    office.close()
    open_office(f"sqlite:///{path}", create=False).close()
