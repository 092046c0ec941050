"""Values that explain themselves: a result and the steps that produced it."""

from __future__ import annotations

from collections.abc import Iterable
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


def steps_of(*parts: Explained | Iterable[Step]) -> tuple[Step, ...]:
    """Concatenate the steps of several results (or step lists), in order."""
    out: list[Step] = []
    for part in parts:
        out.extend(part.steps if isinstance(part, Explained) else part)
    return tuple(out)
