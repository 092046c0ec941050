"""Click as Typer uses it: vendored as ``typer._click`` in new Typer, the ``click`` package in
older ones. Exceptions must come from the same module Typer raises them from."""

try:
    from typer import _click as click  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Typer before it vendored Click
    import click  # type: ignore[no-redef]

__all__ = ["click"]
