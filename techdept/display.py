"""The domain's values in the user's language: a stage's label, a role's name, what a gate is
missing, a message kept as data (``Phrase``) or a worded value (``Term``).

This is where translation of data happens, for the layers allowed to translate: commands/,
forms/ and the error boundary (``TechdeptError.message``). Services and the ledger never call
it; they return keys and values (see docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from techdept.errors import Phrase, Term
from techdept.i18n import lang, t


def stage_label(key: str) -> str:
    """``实施 · 验收`` for ``implementation.acceptance``; an unknown key as it is."""
    from techdept.rules.domain import domain

    stage = domain().stage(key)
    if stage is None:
        return key
    return f"{t('phase.' + stage.phase)} · {stage.name(lang())}"


def role_name(role: str | None, sales: str | None = None) -> str:
    """A role's name; ``sales`` is the project's own sales representative (named)."""
    if role is None:
        return ""
    if role == "sales":
        return t("lifecycle.project_sales", sales=sales or "—")
    return t(f"role.{role}")


def role_names(roles: Iterable[str]) -> str:
    """Several roles, any of which will do: ``技术总监 / 总经理``."""
    return " / ".join(t(f"role.{r}") for r in roles)


def describe(missing: Any, sales: str | None = None) -> str:
    """One thing a gate is missing (a ``rules.lifecycle.Missing``) in the user's language."""
    from techdept.rules.domain import domain

    d = domain()
    if missing.kind in ("deliverable", "review", "rejected"):
        item = d.deliverable(missing.key)
        name = f"{item.name(lang()) if item else missing.key} ({missing.key})"
        if missing.kind == "review":
            return t("lifecycle.missing.review", doc=name, role=role_name(missing.role, sales))
        return t(f"lifecycle.missing.{missing.kind}", doc=name)
    if missing.kind == "acceptance":
        kind = d.acceptance_kind(missing.key)
        name = kind.name(lang()) if kind else missing.key
        return t("lifecycle.missing.acceptance", event=name, key=missing.key)
    return t(f"lifecycle.missing.{missing.kind}")


def describe_all(missing: Iterable[Any], sales: str | None = None) -> str:
    return t("lifecycle.list_sep").join(describe(m, sales) for m in missing)


def _vocabulary(vocabulary: str, key: str) -> str:
    return t(f"{vocabulary}.{key}")


def _joined(*items: Any) -> str:
    return ", ".join(word(i) for i in items)


# Term kind → how it is worded
_TERMS = {
    "stage": stage_label,
    "role": role_name,
    "roles": lambda roles: role_names(roles),
    "missing": describe_all,
    "word": _vocabulary,
    "joined": _joined,
    "money": lambda fen: _money(fen),
}


def _money(fen: int | None) -> str:
    from techdept.output import money

    return money(fen)


def term(value: Term) -> str:
    return _TERMS[value.kind](*value.values)


def text(phrase: Phrase) -> str:
    """A message kept as data, in the user's language."""
    return t(phrase.key, **words(phrase.params))


def word(value: Any) -> Any:
    """A value of a message as shown: a Term or Phrase worded, anything else as it is."""
    if isinstance(value, Term):
        return term(value)
    if isinstance(value, Phrase):
        return text(value)
    return value


def words(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: word(value) for name, value in params.items()}
