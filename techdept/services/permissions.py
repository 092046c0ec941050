"""Who may change what: one table of every write command and the roles that may run it.

The checks in the services, ``techdept roles`` and the README's table all read ``RULES``; a
refusal names the rule's key, and the edge says it in the user's language with who may do it
and who the actor is (``NotAllowed``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from techdept.errors import NotAllowed

if TYPE_CHECKING:
    from techdept.services.actors import Actor


@dataclass(frozen=True)
class Rule:
    """``key`` names the rule (catalogue ``perm.rule.<key>`` is the refusal, ``perm.note.<key>``
    the condition shown in the table); ``roles`` may run it, () means anyone."""

    key: str
    command: str
    roles: tuple[str, ...] = ()
    note: bool = False


RULES: tuple[Rule, ...] = (
    Rule("init.admin", "init --admin", (), note=True),
    Rule("staff.admin", "staff add | role | rename | leave | set", ("admin",), True),
    Rule("staff.away", "staff away", ("director", "aftersales-manager", "impl-manager")),
    Rule("staff.lift-sanction", "staff lift-sanction", ("director",)),
    Rule("project.new", "project new", ()),
    Rule("project.terms", "project set --contract|--complexity|--risk|--difficulty|--signed",
         ("sales", "director"), note=True),
    Rule("project.set", "project set (other fields)", ()),
    Rule("project.advance", "project advance", (), note=True),
    Rule("project.deliver", "project deliver", ()),
    Rule("project.review", "project review", (), note=True),
    Rule("project.accept", "project accept", (), note=True),
    Rule("team.presales", "team --track presales", ("presales-manager", "director")),
    Rule("team.implementation", "team --track implementation", ("impl-manager", "director")),
    Rule("team.aftersales", "team --track aftersales", ("aftersales-manager", "director"),
         note=True),
    Rule("assess.open", "assess open | set", ()),
    Rule("score.record", "score record | import", (), note=True),
    Rule("assess.approve.director", "assess approve (1)", ("director",), note=True),
    Rule("assess.approve.gm", "assess approve (2)", ("gm",), note=True),
    Rule("assess.reopen", "assess reopen", ("director",)),
    Rule("payment.record", "payment record", ("finance",)),
    Rule("payment.void", "payment void", ("finance",)),
    Rule("bonus.pay", "bonus --pay | reverse", ("finance", "director"), note=True),
    Rule("bonus.award", "bonus award", ("gm",), note=True),
    Rule("kb.add", "kb add", ()),
    Rule("db.backup", "db backup", ()),
    Rule("db.restore", "db restore | upgrade", ("admin",)),
    Rule("db.roles", "db roles --apply", (), note=True),
    Rule("config.set", "config set | unset", ("admin",), note=True),
)  # fmt: skip

_BY_KEY = {r.key: r for r in RULES}


def rule(key: str) -> Rule:
    return _BY_KEY[key]


def check(actor: Actor, key: str, *roles: str, **params: object) -> None:
    """Refuse unless ``actor`` holds one of the rule's roles (or ``roles`` when given: a rule
    narrowed to one case, e.g. the manager of one track)."""
    wanted = roles or rule(key).roles
    if wanted and not actor.has(*wanted):
        raise NotAllowed(key, actor, **params)


def refuse(actor: Actor, key: str, **params: object) -> NotAllowed:
    """The refusal of rule ``key`` for ``actor`` (to raise where a condition, not a role, fails)."""
    return NotAllowed(key, actor, **params)
