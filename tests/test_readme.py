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


def promised_output(block: str) -> list[str]:
    """What the README says a ``print(...)  # output`` line prints (``...`` ends a prefix)."""
    return [
        m.group(1).removesuffix("...").strip()
        for m in re.finditer(r"print\(.*\)\s+#\s*(.+)$", block, flags=re.M)
    ]


@pytest.mark.parametrize("block", python_blocks())
def test_readme_example_runs_and_prints_what_it_promises(
    block: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """[issue 2] the facade documented in the README works as written."""
    exec(compile(block, str(README), "exec"), {})
    out = capsys.readouterr().out
    promised = promised_output(block)
    assert promised, "each example shows what it prints"
    for line in promised:
        assert line in out
