"""Roles, phases and stages of the department's process, the deliverables each stage files,
the acceptance sequence and the knowledge-base libraries, read from ``domain.toml``. Pure."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
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
class Deliverable:
    """A document a stage files: who produces it and who reviews it, in order."""

    key: str
    stage: str
    zh: str
    en: str
    crm: str
    role: str
    review: tuple[str, ...] = ()
    as_they_occur: bool = False
    needs: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return not self.as_they_occur

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class AcceptanceKind:
    """One event of the acceptance sequence (initial, trial run, final, hand-over, internal)."""

    key: str
    zh: str
    en: str
    required: bool

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Library:
    key: str
    zh: str
    en: str
    owners: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class TrackSteps:
    """A track in the process: the stage a project must have reached before it is assessed,
    and the phase whose projects its team works on."""

    key: str
    assessed_from: str
    phase: str


@dataclass(frozen=True)
class Group:
    """Where a person works now: on a team of ``while_on_team``'s track while the project is
    still in that track's phase, else by holding one of ``roles``."""

    key: str
    while_on_team: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Domain:
    roles: tuple[str, ...]
    phases: tuple[str, ...]
    stages: tuple[Stage, ...]
    deliverables: tuple[Deliverable, ...] = ()
    acceptance: tuple[AcceptanceKind, ...] = ()
    libraries: tuple[Library, ...] = ()
    businesses: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    tracks: dict[str, TrackSteps] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    # sanction effect → whom it bars: "lead" (the track's lead only) or "team"
    sanction_covers: dict[str, str] = field(default_factory=dict)
    # vocabulary → value key → the short forms people type (``[aliases.KIND]`` tables, and
    # the ``aliases`` beside each stage, deliverable, acceptance event and library)
    aliases: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def aliases_of(self, vocabulary: str, key: str) -> tuple[str, ...]:
        return self.aliases.get(vocabulary, {}).get(key, ())

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    @property
    def sequence(self) -> tuple[str, ...]:
        """The main order of a project's life (``presales.lost`` is off it)."""
        return tuple(s.key for s in self.stages if s.key != "presales.lost")

    def deliverable(self, key: str) -> Deliverable | None:
        return next((d for d in self.deliverables if d.key == key), None)

    def deliverables_of(self, stage: str) -> tuple[Deliverable, ...]:
        return tuple(d for d in self.deliverables if d.stage == stage)

    def acceptance_kind(self, key: str) -> AcceptanceKind | None:
        return next((a for a in self.acceptance if a.key == key), None)

    def library(self, key: str) -> Library | None:
        return next((lib for lib in self.libraries if lib.key == key), None)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.stages)

    def phase_of(self, key: str) -> str:
        return key.split(".", 1)[0]


def _process(raw: dict) -> dict:
    """The tracks' steps, the groups and what each sanction effect bars."""
    return {
        "tracks": {
            key: TrackSteps(key, t["assessed_from"], t["phase"])
            for key, t in raw.get("tracks", {}).items()
        },
        "groups": tuple(
            Group(g["key"], g.get("while_on_team"), tuple(g.get("roles", ())))
            for g in raw.get("groups", ())
        ),
        "sanction_covers": dict(raw.get("sanction_effects", {})),
    }


def _stages(raw: dict) -> tuple[Stage, ...]:
    return tuple(
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


def _deliverables(raw: dict) -> tuple[Deliverable, ...]:
    return tuple(
        Deliverable(
            key=d["key"],
            stage=d["stage"],
            zh=d["zh"],
            en=d["en"],
            crm=d.get("crm", ""),
            role=d["role"],
            review=tuple(d.get("review", ())),
            as_they_occur=d.get("as_they_occur", False),
            needs=tuple(d.get("needs", ())),
        )
        for d in raw.get("deliverables", ())
    )


def _aliases(raw: dict) -> dict[str, dict[str, tuple[str, ...]]]:
    """The ``[aliases.KIND]`` tables, and the ``aliases`` beside each stage, deliverable,
    acceptance event and library."""
    kb = raw.get("kb", {})
    aliases: dict[str, dict[str, tuple[str, ...]]] = {
        kind: {key: tuple(forms) for key, forms in table.items()}
        for kind, table in raw.get("aliases", {}).items()
    }
    for kind, rows in (
        ("stage", raw["stages"]),
        ("deliverable", raw.get("deliverables", ())),
        ("acceptance", raw.get("acceptance", ())),
        ("library", kb.get("libraries", ())),
    ):
        aliases[kind] = {r["key"]: tuple(r.get("aliases", ())) for r in rows if r.get("aliases")}
    return aliases


@cache
def domain() -> Domain:
    """The roles and stages shipped with this version."""
    with _FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    acceptance = tuple(
        AcceptanceKind(key=a["key"], zh=a["zh"], en=a["en"], required=a.get("required", False))
        for a in raw.get("acceptance", ())
    )
    kb = raw.get("kb", {})
    libraries = tuple(
        Library(key=x["key"], zh=x["zh"], en=x["en"], owners=tuple(x.get("owners", ())))
        for x in kb.get("libraries", ())
    )
    return Domain(
        aliases=_aliases(raw),
        roles=tuple(raw["roles"]),
        phases=tuple(raw["phases"]),
        stages=_stages(raw),
        deliverables=_deliverables(raw),
        acceptance=acceptance,
        libraries=libraries,
        businesses=tuple(kb.get("businesses", ())),
        levels=tuple(kb.get("levels", ())),
        **_process(raw),
    )
