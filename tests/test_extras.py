"""Extras that match what they enable (ADR 0041): each feature whose optional dependencies
are missing says which extra to install, before it touches anything. The missing module is
simulated by hiding it in ``sys.modules`` (``None`` there makes ``import`` fail)."""

from __future__ import annotations

import importlib
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from govoffice import open_office
from govoffice.cli import main
from govoffice.errors import GovOfficeError, MissingExtra

PYPROJECT = tomllib.loads(
    (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
)


def hide(monkeypatch: pytest.MonkeyPatch, *modules: str, forget: tuple[str, ...] = ()) -> None:
    """Make ``import m`` fail for each module, and forget the modules that imported them
    (``forget``) so that importing those runs again."""
    for name in list(sys.modules):
        if any(name == m or name.startswith(m + ".") for m in (*modules, *forget)):
            monkeypatch.delitem(sys.modules, name)
    for m in modules:
        monkeypatch.setitem(sys.modules, m, None)


def test_a_postgresql_url_without_the_driver_names_the_postgres_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hide(monkeypatch, "psycopg", "psycopg_pool", forget=("eventsourcing.postgres",))
    with pytest.raises(MissingExtra) as refused:
        open_office("postgresql://postgres@127.0.0.1:1/nowhere")
    assert refused.value.extra == "postgres"
    assert 'pip install "govoffice[postgres]"' in str(refused.value)
    assert isinstance(refused.value, ImportError | GovOfficeError)


def test_the_command_line_says_the_same_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    hide(monkeypatch, "psycopg", "psycopg_pool", forget=("eventsourcing.postgres",))
    result = CliRunner().invoke(
        main, ["ranking", "--period", "2026", "--store", "postgresql://u@h/db"]
    )
    assert result.exit_code == 2
    assert "MissingExtra" in result.output and "govoffice[postgres]" in result.output
    assert "Traceback" not in result.output


def test_encryption_at_rest_without_its_library_names_the_crypto_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hide(monkeypatch, "cryptography", forget=("eventsourcing.cryptography",))
    env = {"CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": "x" * 44}
    with pytest.raises(MissingExtra, match=r"govoffice\[crypto\]") as refused:
        open_office("memory", env=env)
    assert refused.value.module == "cryptography"
    hide(monkeypatch, "Crypto", forget=("eventsourcing.cipher",))
    env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
    with pytest.raises(MissingExtra, match=r"govoffice\[crypto\]"):
        open_office("memory", env=env)


def test_the_strategies_without_hypothesis_name_the_testing_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hide(monkeypatch, "hypothesis", forget=("govoffice.testing.strategies",))
    with pytest.raises(MissingExtra, match=r"govoffice\[testing\]") as refused:
        importlib.import_module("govoffice.testing.strategies")
    assert refused.value.module == "hypothesis"
    # the rest of the harness needs no extra
    assert importlib.import_module("govoffice.testing").office_for_tests is not None


def test_the_pytest_plugin_imports_nothing_but_pytest() -> None:
    """Loaded in every pytest run where govoffice is installed: it costs nothing there."""
    import subprocess

    code = (
        "import sys, govoffice.testing.plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith('govoffice.') and "
        "m not in ('govoffice.testing', 'govoffice.testing.plugin', 'govoffice._lazy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    heavy = eval(out.stdout)
    assert not [m for m in heavy if m.startswith(("govoffice.domain.", "govoffice.application"))]


def test_each_extra_holds_what_its_feature_needs() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    core = " ".join(PYPROJECT["project"]["dependencies"])
    assert any(r.startswith("psycopg") for r in extras["postgres"])
    assert any("eventsourcing[postgres]" in r for r in extras["postgres"])
    assert any("crypto" in r and "cryptography" in r for r in extras["crypto"])
    assert {r.split(">")[0] for r in extras["testing"]} == {"pytest", "hypothesis"}
    assert "govoffice[postgres,crypto,testing,render,http]" in extras["dev"]
    assert {r.split(">")[0].split("[")[0] for r in extras["http"]} == {
        "litestar",
        "uvicorn",
        "pyjwt",
    }
    assert {r.split(">")[0] for r in extras["render"]} >= {"python-docx", "fpdf2"}
    for tool in ("mypy", "ruff", "import-linter", "pytest-xdist", "aiosmtpd"):
        assert any(r.startswith(tool) for r in extras["dev"]), tool
        assert tool not in core
    assert extras["test"] == ["govoffice[dev]"]
    assert PYPROJECT["project"]["entry-points"]["pytest11"] == {
        "govoffice": "govoffice.testing.plugin"
    }


def test_serve_without_the_http_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from govoffice.cli import main

    hide(monkeypatch, "litestar", "uvicorn")
    result = CliRunner().invoke(main, ["serve", "--store", "memory"])
    assert result.exit_code == 2
    assert "govoffice[http]" in result.output
