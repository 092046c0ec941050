"""Roles, phases and stages of the department's process, read from ``domain.toml``. Pure."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("domain.toml")


@dataclass(frozen=True)
class Stage:
    key: str
    phase: str
    zh: str
    en: str
    crm: str
    needs_contract: bool = False
    terminal: bool = False

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Domain:
    roles: tuple[str, ...]
    phases: tuple[str, ...]
    stages: tuple[Stage, ...]

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.stages)

    def phase_of(self, key: str) -> str:
        return key.split(".", 1)[0]


@cache
def domain() -> Domain:
    """The roles and stages shipped with this version."""
    with _FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    stages = tuple(
        Stage(
            key=s["key"],
            phase=s["key"].split(".", 1)[0],
            zh=s["zh"],
            en=s["en"],
            crm=s.get("crm", ""),
            needs_contract=s.get("needs_contract", False),
            terminal=s.get("terminal", False),
        )
        for s in raw["stages"]
    )
    return Domain(roles=tuple(raw["roles"]), phases=tuple(raw["phases"]), stages=stages)
