"""Values that explain themselves: a result and the steps that produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """One step of a computation: an i18n label key, its inputs, a formula and its output."""

    key: str
    inputs: dict[str, str] = field(default_factory=dict)
    formula: str = ""
    output: str = ""

    def to_dict(self) -> dict[str, object]:
        """JSON-able form."""
        return {
            "key": self.key,
            "inputs": dict(self.inputs),
            "formula": self.formula,
            "output": self.output,
        }


@dataclass(frozen=True)
class Explained(Generic[T]):
    """A value with the steps that produced it."""

    value: T
    steps: tuple[Step, ...] = ()
