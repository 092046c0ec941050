"""A package whose names are imported from their modules on first use (PEP 562): a command
that needs one module of the package does not pay for the others. Stdlib only."""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any


def lazy_names(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """Make ``package`` find each name of ``where`` (name → its module under the package) on
    first use; returns the package's ``__getattr__``. A name that is also a module's
    (``evaluate``, ``history``) stays the function: importing the module does not rebind it."""
    module = sys.modules[package]

    class Package(ModuleType):
        def __setattr__(self, name: str, value: Any) -> None:
            if name in where and isinstance(value, ModuleType):
                return
            super().__setattr__(name, value)

    module.__class__ = Package

    def __getattr__(name: str) -> Any:
        home = where.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        setattr(module, name, value)
        return value

    return __getattr__
