"""Help that teaches: an option's help lists the values it accepts, in the user's language,
with one example — generated from the same vocabularies ``terms.parse`` reads (the catalogues,
``rules/domain.toml``, the policy), never from a list kept by hand in a help text.

    role: Annotated[list[str], Opt("--role", help=choices("help.opt.role", "role", "--role"))]

gives ``角色（可重复）：director（技术总监）、gm（总经理）…。例如：--role 技术总监``. The catalogue
keeps only the option's own sentence (``intro``); ``help.choices`` puts the three together.
"""

from __future__ import annotations

from typing import Any

from techdept import terms
from techdept.i18n import lang, t

_END = "。.；; "


def example(kind: str, pick: str | None = None, **context: Any) -> str:
    """A value as the user would type it: its Chinese name in zh, its key in en."""
    vocabulary = terms.vocabulary(kind, **context)
    term = next((x for x in vocabulary if x.key == pick), vocabulary[0])
    return term.name("zh") if lang() == "zh" else term.key


def choices(
    intro_key: str, kind: str, option: str = "", pick: str | None = None, **context: Any
) -> str:
    """``intro``: the values of ``kind``. Example: ``option`` and one value."""
    shown = f"{option} {example(kind, pick, **context)}".strip()
    return t(
        "help.choices",
        intro=t(intro_key).rstrip(_END),
        values=terms.allowed(kind, **context),
        example=shown,
    )


def items(intro_key: str, option: str = "", prefix: str = "", points: str = "28") -> str:
    """Score items per track (``ITEM=POINTS``): each track's items by key and name."""
    from techdept.terms import _default_policy

    policy = _default_policy()
    per_track = [
        t(
            "help.choices_track",
            track=terms.name("track", track),
            values=terms.allowed("item", policy=policy, track=track),
        )
        for track in policy.tracks
    ]
    sample = example("item", "quality", policy=policy, track=next(iter(policy.tracks)))
    return t(
        "help.choices_items",
        intro=t(intro_key).rstrip(_END),
        tracks=("；" if lang() == "zh" else "; ").join(per_track),
        example=f"{option} {prefix}{sample}={points}".strip(),
    )


def monthly_items(intro_key: str) -> str:
    """Monthly items (``ITEM=POINTS``) with their maxima."""
    from techdept.terms import _default_policy

    policy = _default_policy()
    if not policy.monthly or not policy.monthly.items:
        return t(intro_key)
    first = policy.monthly.items[0]
    return choices(intro_key, "monthly_item", "", first.key, policy=policy) + f"={first.max}"
