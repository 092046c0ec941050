"""The enumerated values people type — tracks, scorers, items, roles, phases, stages, payment
kinds, acceptance events, deliverables — and ONE parser for all of them.

A value is accepted by its key, by its name in either language and by the short forms the
office uses (``[aliases.*]`` in ``rules/domain.toml``, and ``aliases`` beside each stage and
acceptance event there). An unambiguous beginning of any of these is enough; an ambiguous one
is refused listing the candidates; anything else is refused listing what is allowed, in the
user's language. Names come from where they already live: the catalogues (``track.*``,
``scorer.*``, ``role.*``…), ``domain.toml`` (stages, deliverables, acceptance events), the
policy (item labels) — never from a second list kept by hand.

For a new command::

    from techdept import terms
    track = terms.parse("track", "--track", text)                   # → "implementation"
    scorer = terms.parse("scorer", "--scorer", text, policy=policy, track=track)
    terms.name("track", track)                                      # → "实施" / "Implementation"
    terms.allowed("track")                                          # → "presales（售前）, …"

A new vocabulary needs no code beyond one ``register`` call (or, for a fixed list named in the
catalogue, one line in ``_CATALOGUED``): its aliases go into ``[aliases.KIND]``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from techdept.errors import Invalid

_DOTS = str.maketrans({"・": "·", "．": "·", ".": "·", "。": "·", "•": "·", " ": "", "\u3000": ""})


@dataclass(frozen=True)
class Term:
    """One value: its key, its name per language, and the other forms people type."""

    key: str
    names: tuple[tuple[str, str], ...]  # (lang, name)
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return dict(self.names).get(lang) or dict(self.names).get("en") or self.key

    def forms(self) -> tuple[str, ...]:
        return (self.key, *(n for _, n in self.names), *self.aliases)


def canon(text: str) -> str:
    """What two spellings of one value have in common: width, case, dots and spaces."""
    return unicodedata.normalize("NFKC", text).casefold().strip().translate(_DOTS)


def match(text: str, terms: Sequence[Term]) -> list[Term]:
    """The terms ``text`` names: exact forms first, else the terms a form of which it begins."""
    wanted = canon(text)
    if not wanted:
        return []
    exact = [t for t in terms if any(canon(f) == wanted for f in t.forms())]
    if exact:
        return exact
    return [t for t in terms if any(canon(f).startswith(wanted) for f in t.forms())]


def choose(
    field: str, text: str, terms: Sequence[Term], lang: str, *, keep_unknown: bool = False
) -> str:
    """The key of the one term ``text`` names, or a refusal naming the candidates/allowed
    (``keep_unknown``: a text naming no term comes back as it is, for the service's own
    refusal, which can say more than a list of fifty values)."""
    found = match(text, terms)
    if len(found) == 1:
        return found[0].key
    if found:
        raise Invalid("ChoiceAmbiguous", field=field, value=text, candidates=listing(found, lang))
    if keep_unknown:
        return text
    raise Invalid("ChoiceInvalid", field=field, value=text, allowed=listing(terms, lang))


def listing(terms: Iterable[Term], lang: str) -> str:
    """``key（name）`` per term, as a help text or an error lists them."""
    if lang == "zh":
        return "、".join(
            f"{t.key}（{t.name('zh')}）" if t.name("zh") != t.key else t.key for t in terms
        )
    return ", ".join(f"{t.key} ({t.name('en')})" if t.name("en") != t.key else t.key for t in terms)


# ---------------------------------------------------------------- the vocabularies

Builder = Callable[..., Sequence[Term]]
_BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    """Add a vocabulary: ``builder(**context)`` returns its terms (aliases are added here)."""
    _BUILDERS[kind] = builder


def _langs() -> tuple[str, ...]:
    from techdept.i18n import LANGS

    return LANGS


def _aliases(kind: str, key: str) -> tuple[str, ...]:
    from techdept.rules.domain import domain

    return domain().aliases_of(kind, key)


def catalogued(kind: str, prefix: str, keys: Iterable[str]) -> list[Term]:
    """Terms named in the catalogue under ``prefix.KEY`` in every language."""
    from techdept.i18n import t_in

    return [
        Term(
            key,
            tuple((lang, t_in(lang, f"{prefix}.{key}")) for lang in _langs()),
            _aliases(kind, key),
        )
        for key in keys
    ]


def _domain():  # type: ignore[no-untyped-def]
    from techdept.rules.domain import domain

    return domain()


def _tracks(policy: Any = None, **_: Any) -> list[Term]:
    """The policy's tracks (the shipped policy's when none is given)."""
    if policy is None:
        from techdept.rules import load_policy

        policy = load_policy(None)
    return catalogued("track", "track", tuple(policy.tracks))


def _scorers(policy: Any = None, track: str | None = None, **_: Any) -> list[Term]:
    if policy is not None and track is not None:
        keys: Iterable[str] = policy.track(track).scorers
    else:
        keys = ("self", "sales", "commerce", "pm", "superior")
    return catalogued("scorer", "scorer", keys)


def _items(policy: Any, track: str, **_: Any) -> list[Term]:
    return [
        Term(i.key, tuple(sorted(i.label.items())), _aliases("item", i.key))
        for i in policy.track(track).items
    ]


def _stages(**_: Any) -> list[Term]:
    from techdept.i18n import t_in

    out = []
    for s in _domain().stages:
        phase = {lang: t_in(lang, f"phase.{s.phase}") for lang in _langs()}
        # "售后·前期阶段" and "Aftersales · Operation" name a stage too, its phase first
        qualified = tuple(f"{phase[lang]}·{s.name(lang)}" for lang in _langs())
        out.append(
            Term(
                s.key,
                tuple((lang, s.name(lang)) for lang in _langs()),
                qualified + _aliases("stage", s.key),
            )
        )
    return out


def _named_rows(kind: str, rows: Iterable[Any]) -> list[Term]:
    return [
        Term(r.key, tuple((lang, r.name(lang)) for lang in _langs()), _aliases(kind, r.key))
        for r in rows
    ]


def _payment_kinds(**_: Any) -> list[Term]:
    # the catalogue's ``payment.kind`` table, in its order (services.payments.KINDS checks
    # the same keys; a test keeps the two equal): the help must not import the ledger
    return catalogued("payment_kind", "payment.kind", _catalogue_keys("payment.kind"))


def _catalogue_keys(prefix: str) -> tuple[str, ...]:
    """The keys named under ``prefix.`` in the English catalogue, in its order."""
    from techdept.i18n import catalog

    start = prefix + "."
    return tuple(
        k[len(start) :] for k in catalog("en") if k.startswith(start) and "." not in k[len(start) :]
    )


def _policy_table(table: str) -> Callable[..., list[Term]]:
    """A coefficient table of the policy (complexity, difficulty, risk), named by the
    catalogue (``complexity.*``; difficulty and risk share the ``level.*`` names)."""

    def build(policy: Any = None, **_: Any) -> list[Term]:
        policy = policy if policy is not None else _default_policy()
        prefix = "complexity" if table == "complexity" else "level"
        return catalogued(
            table if table == "complexity" else "level", prefix, policy.coefficient_table(table)
        )

    return build


def _default_policy():  # type: ignore[no-untyped-def]
    """The policy in force without a ledger (help texts): TECHDEPT_POLICY, else shipped."""
    import os

    from techdept.rules import load_policy

    try:
        return load_policy(os.environ.get("TECHDEPT_POLICY") or None)
    except Exception:  # a broken policy file is reported when a command uses it
        return load_policy(None)


def _monthly_items(policy: Any = None, **_: Any) -> list[Term]:
    policy = policy if policy is not None else _default_policy()
    items = policy.monthly.items if policy.monthly else ()
    return [
        Term(i.key, tuple(sorted(i.label.items())), _aliases("monthly_item", i.key)) for i in items
    ]


register("track", _tracks)
register("scorer", _scorers)
register("item", _items)
register("stage", _stages)
register("role", lambda **_: catalogued("role", "role", _domain().roles))
register("phase", lambda **_: catalogued("phase", "phase", _domain().phases))
register("payment_kind", _payment_kinds)
register("acceptance", lambda **_: _named_rows("acceptance", _domain().acceptance))
register("deliverable", lambda **_: _named_rows("deliverable", _domain().deliverables))
register("library", lambda **_: _named_rows("library", _domain().libraries))


def _ticket_terms(kind: str, prefix: str, name: str) -> list[Term]:
    from techdept.rules import tickets

    return catalogued(kind, prefix, getattr(tickets, name))


def _demo_results(**_: Any) -> list[Term]:
    # as payment kinds: the catalogue's table (services.demo_systems.RESULTS, test-kept equal)
    return catalogued("demo_result", "demo_system.result", _catalogue_keys("demo_system.result"))


register("channel", lambda **_: _ticket_terms("channel", "ticket.channel", "CHANNELS"))
register(
    "repair_action",
    lambda **_: _ticket_terms("repair_action", "ticket.repair_action", "REPAIR_ACTIONS"),
)
register("demo_result", _demo_results)
register("complexity", _policy_table("complexity"))
register("difficulty", _policy_table("difficulty"))
register("risk", _policy_table("risk"))
register("monthly_item", _monthly_items)
register("kb_level", lambda **_: catalogued("kb_level", "kb.level", _catalogue_keys("kb.level")))
register(
    "import_kind",
    lambda **_: catalogued("import_kind", "import.kind", _catalogue_keys("import.kind")),
)
register(
    "assessment_status",
    lambda **_: catalogued(
        "assessment_status", "meeting.status", ("open", "director-approved", "approved")
    ),
)


def vocabulary(kind: str, **context: Any) -> Sequence[Term]:
    return _BUILDERS[kind](**context)


def parse(kind: str, field: str, text: str, *, keep_unknown: bool = False, **context: Any) -> str:
    """The key of the ``kind`` value ``text`` names (key, name, alias or unambiguous start)."""
    from techdept.i18n import lang

    return choose(field, text, vocabulary(kind, **context), lang(), keep_unknown=keep_unknown)


def name(kind: str, key: str, **context: Any) -> str:
    """A value's name in the user's language (the key if the vocabulary does not know it)."""
    from techdept.i18n import lang

    term = next((t for t in vocabulary(kind, **context) if t.key == key), None)
    return term.name(lang()) if term else key


def allowed(kind: str, **context: Any) -> str:
    """The values of ``kind`` as help texts list them, in the user's language."""
    from techdept.i18n import lang

    return listing(vocabulary(kind, **context), lang())
