"""The dependency rule, beyond what import-linter checks: the domain imports only the
standard library, attrs, pendulum and ``eventsourcing.domain`` (design brief, "Layout")."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import govoffice.domain

ALLOWED_THIRD_PARTY = {"attrs", "pendulum", "eventsourcing.domain", "eventsourcing.utils"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_only_stdlib_attrs_pendulum_and_eventsourcing_domain() -> None:
    """[design brief, Layout] domain/ imports only eventsourcing.domain, attrs, pendulum."""
    offending = []
    for path in Path(govoffice.domain.__path__[0]).rglob("*.py"):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or name.startswith("govoffice.domain"):
                continue
            if name in ALLOWED_THIRD_PARTY or top in {"attrs", "pendulum"}:
                continue
            offending.append(f"{path.name}: {name}")
    assert offending == []
