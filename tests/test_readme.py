"""The README's synopsis is executable documentation: run it as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_a_synopsis() -> None:
    assert python_blocks(), "the README should show a runnable example"


@pytest.mark.parametrize("block", python_blocks())
def test_readme_example_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    """[issue 2] the facade documented in the README works as written."""
    exec(compile(block, str(README), "exec"), {})
    out = capsys.readouterr().out
    assert "无权签发公文" in out
    assert "Signed" in out
