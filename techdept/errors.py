"""One error base. ``cli.py`` turns a TechdeptError into one line in the user's language.

The catalog key is ``error.<ClassName>`` unless a key is given; params fill its placeholders.
Errors are data: a key and language-independent values. A value that is shown as words (a
stage's name, the roles allowed, what is missing) is a ``Term`` — its kind and its keys — and
becomes words only in ``message()``, at the boundary (``cli.py``), through ``techdept.display``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Term:
    """A value shown in the user's language, kept as data until it is shown: ``kind`` names
    how ``techdept.display.term`` words it (``stage``, ``role``, ``roles``, ``missing``…) and
    ``values`` are the keys it words (``Term("stage", "presales.bid")``)."""

    kind: str
    values: tuple[Any, ...]

    def __init__(self, kind: str, *values: Any) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "values", values)


@dataclass(frozen=True)
class Phrase:
    """A whole message as data — a catalogue key and its values — for what services report
    rather than refuse (a finding of ``db check``, a line of the audit check). Commands and
    forms word it with ``techdept.display.text``."""

    key: str
    params: dict[str, Any]

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.params.items(), key=lambda kv: kv[0]))))


class TechdeptError(Exception):
    """Something the user asked for cannot be done."""

    exit_code = 1
    # parameters whose value is a key of a vocabulary and is shown as that key's name
    # (``{"state": "ticket.status"}``: ``state="open"`` reads 处理中 in the message)
    worded: ClassVar[dict[str, str]] = {}

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.key = f"error.{key or type(self).__name__}"
        self.params = params
        super().__init__(self.key, params)

    def message(self) -> str:
        """The line in the user's language. A parameter naming an enumerated value (``track``,
        ``scorer``, ``role``…) also fills ``{track_name}`` etc. with that value's name in the
        user's language; ``{track}`` stays the key a command line takes."""
        from techdept.display import words
        from techdept.i18n import t

        params = words(self.params)
        for name, vocabulary in self.worded.items():
            if isinstance(params.get(name), str):
                params[name] = t(f"{vocabulary}.{params[name]}")
        return t(self.key, **(named(self.params) | params | money_params(self)))


# The refusals that name amounts, and which of their parameters are money: services give the
# exact yuan string (``1200000.00``, as JSON writes it); people read ``¥1,200,000.00``, as the
# tables write it (the one formatter, output.money).
MONEY_PARAMS: dict[str, tuple[str, ...]] = {
    "error.PaymentBeyondContract": ("contract", "received", "left"),
    "error.AwardAboveMax": ("max", "amount"),
}


def money_params(error: TechdeptError) -> dict[str, str]:
    import re

    from techdept.output import money_text

    return {
        name: money_text(value)
        for name in MONEY_PARAMS.get(error.key, ())
        if isinstance(value := error.params.get(name), str)
        and re.fullmatch(r"-?\d+(\.\d{1,2})?", value)
    }


def named(params: dict[str, object]) -> dict[str, str]:
    """``{kind}_name`` for every parameter whose name is a vocabulary of the catalogue."""
    from techdept.i18n import has, t

    out: dict[str, str] = {}
    for name, value in params.items():
        vocabulary = _VOCABULARIES.get(name)
        if vocabulary and isinstance(value, str) and has(f"{vocabulary}.{value}"):
            out[f"{name}_name"] = t(f"{vocabulary}.{value}")
    return out


_VOCABULARIES = {
    "track": "track",
    "scorer": "scorer",
    "role": "role",
    "phase": "phase",
    "kind": "payment.kind",
    "position": "position",
}


class Invalid(TechdeptError):
    """A value given on the command line is not allowed (field, value, what is allowed)."""


class NotFound(TechdeptError):
    """A record named on the command line does not exist."""


class Refused(TechdeptError):
    """A rule of the policy or of the process forbids this action."""


class DocumentTooNew(Refused):
    """A stored document (an approved sheet, a payout list…) was written by a newer techdept:
    reading it as today's could drop what the newer version added, so it is not read."""


class RoleRequired(TechdeptError):
    """This action needs another role."""


class UsageError(TechdeptError):
    """The command was called wrongly."""

    exit_code = 2


class LedgerUnavailable(TechdeptError):
    """The ledger cannot be opened or is damaged."""

    exit_code = 3


class NotAllowed(RoleRequired):
    """Only some people may do this: the message names the rule, who may, and who the actor is
    ("只有财务可以登记付款（你是 实施工程师 李军）"). ``rule`` is a key of
    ``services.permissions.RULES`` (catalogue ``perm.rule.<rule>``)."""

    def __init__(self, rule: str, actor: object, /, **params: object) -> None:
        super().__init__(
            "NotAllowed",
            rule=rule,
            actor=getattr(actor, "code", ""),
            actor_name=getattr(actor, "name", ""),
            actor_roles=tuple(sorted(getattr(actor, "roles", ()))),
            known=getattr(actor, "known", False),
            **params,
        )

    def message(self) -> str:
        from techdept.i18n import t

        p = dict(self.params)
        if p["known"]:
            roles = t("perm.role_sep").join(t(f"role.{r}") for r in p["actor_roles"])
            you = t(
                "perm.you", roles=roles or t("perm.no_role"), name=p["actor_name"] or p["actor"]
            )
        else:
            you = t("perm.you_unknown", actor=p["actor"])
        from techdept.display import words

        extra = words({k: v for k, v in p.items() if k not in ("rule", "known", "actor_roles")})
        return t(self.key, rule=t(f"perm.rule.{p['rule']}", **extra), you=you)
