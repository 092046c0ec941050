"""Options that several commands take with the same meaning and the same help: a project's
facts (contract, complexity, difficulty, risk, service period). Named once here so that
``project new|set|advance`` and ``policy explain`` cannot drift apart."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._choices import choices
from techdept.i18n import t

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
