"""Lazy public namespaces (PEP 562): a name is imported from its home module when first used.

``import govoffice`` stays cheap (every command-line call pays it), while ``govoffice.Role``
or ``from govoffice.errors import TextFrozen`` imports only the module that defines the name.
Each public module lists its exports as ``{home module: (name, ...)}`` and mirrors them in an
``if TYPE_CHECKING:`` block so that type checkers and IDEs see them; a test checks that the
two agree and pins the public names (``tests/test_public_api.py``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def attach(
    package: str, exports: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for the module ``package`` whose public
    names live in the modules of ``exports``. A name listed twice is a mistake, refused."""
    home: dict[str, str] = {}
    for module, names in exports.items():
        for name in names:
            if name in home:
                raise ValueError(f"{package}.{name} is exported from {home[name]} and {module}")
            home[name] = module
    public = sorted(home)

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # the next lookup is a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(public))

    return public, __getattr__, __dir__
