"""Option and argument types shared by the commands, each made in one line from its flag and
the catalogue key of its help: ``SymptomOpt = text("--symptom", "help.ticket.symptom")``
stands for ``Annotated[str, typer.Option("--symptom", help=t("help.ticket.symptom"))]``.
Typer reads the type from the parameter's annotation, so a command's signature is one line a
parameter, and a flag, its type and its help are written once. A project's facts (contract,
complexity, difficulty, risk, service period) are named here once so that ``project
new|set|advance`` and ``policy explain`` cannot drift apart."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.i18n import t


def text(flag: str, help_key: str) -> Any:
    """A required text option."""
    return Annotated[str, typer.Option(flag, help=t(help_key))]


def optional(flag: str, help_key: str) -> Any:
    """A text option that may be left out (None)."""
    return Annotated[str | None, typer.Option(flag, help=t(help_key))]


def switch(flag: str, help_key: str) -> Any:
    """An on/off flag (off unless given)."""
    return Annotated[bool, typer.Option(flag, help=t(help_key))]


def choice(flag: str, help_key: str, term: str, example: str) -> Any:
    """An enumerated value (``terms``); its help lists the values in the user's language."""
    return Annotated[str, typer.Option(flag, help=choices(help_key, term, flag, example))]


def argument(help_key: str) -> Any:
    """A required positional argument."""
    return Annotated[str, typer.Argument(help=t(help_key))]


ProjectArg = argument("help.arg.project_code")

# a project's facts
Opt = typer.Option

ContractOpt = Annotated[str | None, Opt("--contract", help=t("help.opt.contract"))]
ComplexityOpt = Annotated[
    str | None,
    Opt(
        "--complexity",
        help=choices("help.opt.complexity", "complexity", "--complexity", "technical"),
    ),
]
DifficultyOpt = Annotated[
    str | None,
    Opt("--difficulty", help=choices("help.opt.difficulty", "difficulty", "--difficulty")),
]
RiskOpt = Annotated[str | None, Opt("--risk", help=choices("help.opt.risk", "risk", "--risk"))]
ServiceStartOpt = Annotated[str | None, Opt("--service-start", help=t("help.opt.service_start"))]
ServiceMonthsOpt = Annotated[str | None, Opt("--service-months", help=t("help.opt.service_months"))]
