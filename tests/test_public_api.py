"""The public namespace: ``govoffice`` and ``govoffice.errors`` (ADR 0039).

The names are pinned in ``tests/public_api.txt``. After adding or removing a public name on
purpose, rewrite the snapshot with::

    GOVOFFICE_UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/test_public_api.py

and review the diff: a removed line is a breaking change for users.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import govoffice
import govoffice.errors
import govoffice.testing
from govoffice.domain.errors import GovOfficeError

SNAPSHOT = Path(__file__).with_name("public_api.txt")
PUBLIC_MODULES = (govoffice, govoffice.errors, govoffice.testing)

NOT_IN_ERRORS = {
    ("govoffice.domain.calendar", "InvalidPeriod"): (
        "a day or month count below 1 in the calendar's arithmetic; shares its name with the "
        "ranking period's InvalidPeriod, which users meet; caught as InvalidInput"
    ),
}
"""GovOfficeError subclasses deliberately left out of ``govoffice.errors``, with why."""


def _listing() -> list[str]:
    return [f"{m.__name__}.{name}" for m in PUBLIC_MODULES for name in m.__all__]


def test_the_public_names_are_pinned() -> None:
    """Removing or renaming a public name breaks users: the snapshot makes it deliberate."""
    names = _listing()
    if os.environ.get("GOVOFFICE_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text("\n".join(names) + "\n", encoding="utf-8")
    pinned = SNAPSHOT.read_text(encoding="utf-8").split()
    missing = sorted(set(pinned) - set(names))
    added = sorted(set(names) - set(pinned))
    assert not missing and not added, (
        f"public names changed: removed {missing}, added {added}; if intended, run "
        "GOVOFFICE_UPDATE_SNAPSHOT=1 pytest tests/test_public_api.py"
    )


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda m: m.__name__)
def test_every_public_name_is_the_object_of_its_home_module(module: ModuleType) -> None:
    exports: dict[str, tuple[str, ...]] = module._EXPORTS
    for home, names in exports.items():
        source = importlib.import_module(home)
        for name in names:
            assert getattr(module, name) is getattr(source, name), f"{module.__name__}.{name}"
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda m: m.__name__)
def test_type_checkers_see_the_same_names_as_the_lazy_exports(module: ModuleType) -> None:
    """The ``TYPE_CHECKING`` block mirrors ``_EXPORTS`` (mypy and IDEs read the block)."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    [block] = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.UnaryOp)
        and isinstance(node.test.operand, ast.Name)
        and node.test.operand.id == "TYPE_CHECKING"
    ]
    seen: dict[str, set[str]] = {}
    for node in block.orelse:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names:
            assert alias.asname == alias.name, f"re-export {alias.name} as itself"
            seen.setdefault(node.module, set()).add(alias.name)
    assert seen == {home: set(names) for home, names in module._EXPORTS.items()}


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        _ = govoffice.NoSuchThing  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        from govoffice import NoSuchThing  # type: ignore[attr-defined]  # noqa: F401


def _every_module() -> list[ModuleType]:
    modules = []
    for info in pkgutil.walk_packages(govoffice.__path__, "govoffice."):
        if info.name == "govoffice.__main__":
            continue
        modules.append(importlib.import_module(info.name))
    return modules


def test_every_error_users_may_catch_is_in_govoffice_errors() -> None:
    """Every GovOfficeError subclass, wherever it is defined (domain, aggregates, services,
    adapters, the command line), is exported by ``govoffice.errors`` or listed with a reason
    in ``NOT_IN_ERRORS``; the exported class is the defining module's own."""
    _every_module()
    found: list[type[GovOfficeError]] = []
    todo: list[type[GovOfficeError]] = [GovOfficeError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(c for c in cls.__subclasses__() if c not in found)
    left_out = []
    for cls in found:
        key = (cls.__module__, cls.__name__)
        if key in NOT_IN_ERRORS or not cls.__module__.startswith("govoffice."):
            continue
        if getattr(govoffice.errors, cls.__name__, None) is not cls:
            left_out.append(f"{cls.__module__}.{cls.__name__}")
    assert not left_out, (
        "add these to govoffice/errors.py (_EXPORTS and the TYPE_CHECKING block): "
        + ", ".join(sorted(left_out))
    )


def test_internal_modules_stay_importable_under_their_names() -> None:
    from govoffice.domain.document import TextFrozen
    from govoffice.domain.errors import PermissionDenied
    from govoffice.domain.organisation import Role

    assert govoffice.errors.TextFrozen is TextFrozen
    assert govoffice.errors.PermissionDenied is PermissionDenied
    assert govoffice.Role is Role


def test_import_govoffice_imports_no_aggregate_nor_the_library() -> None:
    """Every command-line call pays for ``import govoffice``: it loads nothing it does not
    use (the names come when first used)."""
    code = (
        "import sys, govoffice, govoffice.errors\n"
        "heavy = [m for m in sys.modules if m.startswith(('eventsourcing', 'govoffice.domain', "
        "'govoffice.application', 'cattrs', 'rich', 'pendulum', 'psycopg'))]\n"
        "print(heavy)\n"
        "govoffice.Role\n"
        "print('govoffice.domain.organisation' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]
