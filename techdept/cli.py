"""The root command: global options, sub-commands, and the one place where a TechdeptError
becomes a single line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer
from typer.core import TyperGroup

from techdept import i18n
from techdept.commands import assess as assess_cmd
from techdept.commands import audit as audit_cmd
from techdept.commands import bonus as bonus_cmd
from techdept.commands import cover as cover_cmd
from techdept.commands import db as db_cmd
from techdept.commands import form as form_cmd
from techdept.commands import init as init_cmd
from techdept.commands import kb as kb_cmd
from techdept.commands import lifecycle as lifecycle_cmd
from techdept.commands import payment as payment_cmd
from techdept.commands import policy as policy_cmd
from techdept.commands import project as project_cmd
from techdept.commands import report as report_cmd
from techdept.commands import sanctions as sanctions_cmd
from techdept.commands import score as score_cmd
from techdept.commands import staff as staff_cmd
from techdept.commands import team as team_cmd
from techdept.commands._click import click, install
from techdept.commands._common import State
from techdept.errors import TechdeptError
from techdept.i18n import t

install()  # Click's own words in the user's language


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class RootGroup(TyperGroup):
    """Catches TechdeptError once for every command."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TechdeptError as exc:
            click.echo(t("cli.error_prefix") + exc.message(), err=True)
            raise typer.Exit(exc.exit_code) from None
        except (click.exceptions.ClickException, typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise
        except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: say so in one line, never a traceback
            if os.environ.get("TECHDEPT_DEBUG"):
                raise
            click.echo(t("cli.internal_error", kind=type(exc).__name__), err=True)
            raise typer.Exit(1) from None
        finally:
            obj = ctx.obj
            if isinstance(obj, State):
                obj.close()


app = typer.Typer(
    cls=RootGroup,
    name="techdept",
    help=t("help.root"),
    invoke_without_command=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(ctx: typer.Context, value: bool) -> None:
    if not value:
        return
    # an eager option given on the line runs before --lang taken from the environment
    lang = ctx.params.get("lang")
    i18n.set_lang(lang.value if lang else None)
    from techdept import __version__
    from techdept.rules import load_policy

    typer.echo(t("cli.version", version=__version__, policy=load_policy().id))
    raise typer.Exit(0)


def _start_here(ctx: typer.Context) -> None:
    """``techdept`` alone: where to start when there is no ledger yet, else the help."""
    from techdept.ledger import location

    st = ctx.obj
    _url, path = location.resolve(st.db)
    if path is not None and not path.exists():
        typer.echo(t("cli.start_here", path=str(path)))
        typer.echo(t("cli.start_here_next"))
        return
    typer.echo(ctx.get_help())


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", envvar="TECHDEPT_DB", help=t("help.opt.db"))
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--as", envvar="TECHDEPT_USER", help=t("help.opt.as"))
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            envvar="TECHDEPT_LANG",
            help=t("help.opt.lang"),
            is_eager=True,  # before --version and usage errors, which speak it too
            callback=lambda value: i18n.set_lang(value.value if value else None) and value,
        ),
    ] = None,
    plain: Annotated[bool, typer.Option("--plain", help=t("help.opt.plain"))] = False,
    policy: Annotated[
        str | None, typer.Option("--policy", envvar="TECHDEPT_POLICY", help=t("help.opt.policy"))
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=t("help.opt.version")),
    ] = False,
) -> None:
    ctx.obj = State(
        db=db,
        actor=actor or None,
        lang=i18n.set_lang(lang.value if lang else None),
        plain=plain,
        policy_file=policy,
    )
    if ctx.invoked_subcommand is None:
        _start_here(ctx)


app.command("init", help=t("help.init"))(init_cmd.init)
app.add_typer(staff_cmd.app, name="staff", help=t("help.group.staff"))
app.add_typer(project_cmd.app, name="project", help=t("help.group.project"))
app.add_typer(db_cmd.app, name="db", help=t("help.group.db"))
app.add_typer(audit_cmd.app, name="audit", help=t("help.group.audit"))
app.add_typer(policy_cmd.app, name="policy", help=t("help.group.policy"))
app.add_typer(payment_cmd.app, name="payment", help=t("help.group.payment"))
app.add_typer(bonus_cmd.app, name="bonus", help=t("help.group.bonus"))


for _name, _command in (
    ("advance", lifecycle_cmd.advance),
    ("deliver", lifecycle_cmd.deliver),
    ("review", lifecycle_cmd.review),
    ("checklist", lifecycle_cmd.checklist),
    ("history", lifecycle_cmd.history),
    ("accept", lifecycle_cmd.accept),
    ("acceptance", lifecycle_cmd.acceptance),
):
    project_cmd.app.command(_name, help=t(f"help.project.{_name}"))(_command)
staff_cmd.app.command("away", help=t("help.staff.away"))(cover_cmd.away)
app.add_typer(kb_cmd.app, name="kb", help=t("help.group.kb"))
app.add_typer(report_cmd.app, name="report", help=t("help.group.report"))

app.command("team", help=t("help.meeting.team"))(team_cmd.team)
app.add_typer(assess_cmd.app, name="assess", help=t("help.meeting.group_assess"))
app.add_typer(score_cmd.app, name="score", help=t("help.meeting.group_score"))
staff_cmd.app.command("sanctions", help=t("help.meeting.sanctions"))(sanctions_cmd.sanctions)
staff_cmd.app.command("lift-sanction", help=t("help.meeting.lift_sanction"))(
    sanctions_cmd.lift_sanction
)
app.add_typer(form_cmd.app, name="form", help=t("help.group.form"))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="techdept", args=sys.argv[1:])
