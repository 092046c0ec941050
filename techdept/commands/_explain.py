"""An explanation (``--explain``: the rules' Steps) in the user's language.

The rules speak data: a step's key, its inputs by name, a formula over those names and an
output (``rules/explain.py``). Here, and only here, the names become words: the step's label
(``step.*``), each input's name and the identifiers of the formula (``explain.word.*``, and the
policy's item labels), and the values that are keys of a vocabulary (scorer, track, table
keys, roles, flags, items, true/false). Numbers, dates and grades stay as they are; the JSON
keeps the language-independent step (``steps_doc``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from techdept.i18n import has, lang, t

# a table lookup ``risk[high]``, a two-word phrase, or one identifier
_WORD = re.compile(r"([A-Za-z_]+)\[([A-Za-z0-9_-]+)\]|largest remainder|quarter of|[A-Za-z_]+")
# an input whose value is a key of a vocabulary: the catalogue prefix that names it
_VALUE_PREFIX = {
    "scorer": "scorer",
    "track": "track",
    "complexity": "complexity",
    "difficulty": "level",
    "risk": "level",
    "flag": "flag",
    "role": "explain.role",
}


def item_labels(policy: Any, track: str | None = None) -> dict[str, str]:
    """Every item key of the policy → its label in the user's language: the ``track``'s own
    labels first (``quality`` is 方案质量 in pre-sales, 项目质量 in implementation)."""
    labels: dict[str, str] = {}
    if policy is None:
        from techdept.terms import _default_policy

        policy = _default_policy()
    tracks = [track] if track in policy.tracks else []
    for name in [*tracks, *policy.tracks]:
        for item in policy.track(name).items:
            labels.setdefault(item.key, item.label.get(lang()) or item.label.get("en") or item.key)
    return labels


def words(text: str, items: Mapping[str, str]) -> str:
    """``text`` with every identifier that has a name (an item, a catalogued word) named."""

    def name(m: re.Match[str]) -> str:
        if m[1]:  # table[key]: the table named, the key by the table's vocabulary
            return f"{name_of(m[1])}[{value(m[1], m[2], items)}]"
        return name_of(m[0].replace(" ", "_"))

    def name_of(word: str) -> str:
        if word in items:
            return items[word]
        for key in (f"explain.word.{word}", f"scorer.{word}", f"flag.{word}"):
            if has(key):
                return t(key)
        return word

    return _WORD.sub(name, text)


def value(name: str, text: str, items: Mapping[str, str]) -> str:
    prefix = _VALUE_PREFIX.get(name)
    if prefix and has(f"{prefix}.{text}"):
        return t(f"{prefix}.{text}")
    if name == "item" and text in items:
        return items[text]
    return words(text, items)


def rows(
    steps: Iterable[Any], policy: Any = None, track: str | None = None
) -> list[dict[str, str]]:
    """One row per step: number, label, inputs, formula, output — all in the user's language."""
    items = item_labels(policy, track)
    sep = "，" if lang() == "zh" else ", "
    out = []
    for i, step in enumerate(steps, 1):
        key, inputs, formula, output = _parts(step)
        out.append(
            {
                "n": str(i),
                "step": t(key),
                "inputs": sep.join(
                    f"{words(k, items)} = {value(k, str(v), items)}" for k, v in inputs.items()
                ),
                "formula": words(formula, items),
                "output": words(output, items),
            }
        )
    return out


def _parts(step: Any) -> tuple[str, Mapping[str, Any], str, str]:
    if isinstance(step, Mapping):
        return step["key"], step["inputs"], step["formula"], step["output"]
    return step.key, step.inputs, step.formula, step.output


def columns() -> list[tuple[str, str]]:
    return [
        ("n", "#"),
        ("step", t("label.step")),
        ("inputs", t("label.inputs")),
        ("formula", t("label.formula")),
        ("output", t("label.output")),
    ]


def render(
    out: Any,
    steps: Sequence[Any],
    *,
    title: str | None = None,
    policy: Any = None,
    track: str | None = None,
) -> None:
    """The explanation as a table (JSON: the steps as data, with their labels)."""
    from techdept.output import steps_doc
    from techdept.rules import Step

    as_steps = [
        s
        if not isinstance(s, Mapping)
        else Step(s["key"], dict(s["inputs"]), s["formula"], s["output"])
        for s in steps
    ]
    out.table(columns(), rows(as_steps, policy, track), title=title, json_doc=steps_doc(as_steps))
