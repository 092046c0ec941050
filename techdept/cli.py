"""The root command: global options, sub-commands, and the one place where a TechdeptError
becomes a single line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from techdept import i18n
from techdept.commands._click import click, install
from techdept.commands._common import State, collect_later
from techdept.errors import TechdeptError
from techdept.i18n import t

collect_later()  # until the ledger is open (see commands._common)
install()  # Click's own words in the user's language


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class RootGroup(TyperGroup):
    """Catches TechdeptError once for every command; builds a command only when it is used."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        eager = super().list_commands(ctx)
        return [*eager, *(name for name in LAZY if name not in eager)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in LAZY:
            return found
        if self._listing:  # the root's --help needs the name and the line of help only
            return click.Command(cmd_name, help=t(LAZY[cmd_name][0]))
        command = self.commands[cmd_name] = _build(cmd_name)
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

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
    """``--version``: the installed package's version and the policy it ships."""
    if not value:
        return
    # an eager option given on the line runs before --lang taken from the environment
    lang = ctx.params.get("lang")
    i18n.set_lang(lang.value if lang else None)
    from importlib.metadata import PackageNotFoundError, version

    from techdept.rules.policy import DEFAULT_ID

    try:
        number = version("techdept")
    except PackageNotFoundError:  # run from a checkout that was never installed
        from techdept import __version__ as number
    typer.echo(t("cli.version", version=number, policy=DEFAULT_ID))
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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=t("help.opt.version")),
    ] = False,
    policy: Annotated[
        str | None, typer.Option("--policy", envvar="TECHDEPT_POLICY", help=t("help.opt.policy"))
    ] = None,
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


# ---------------------------------------------------------------- the commands, loaded lazily
#
# Each command's module is imported, and its Click command built, only when that command runs
# (or its own --help is asked): ``techdept score …`` pays for score alone, not for twenty
# command modules. The root's --help lists them from this table, in this order. A command
# added eagerly (app.command / app.add_typer) still works: RootGroup lists and finds it first.


def _command(module: str, function: str) -> Callable[[typer.Typer, str, str], None]:
    def register(into: typer.Typer, name: str, help_text: str) -> None:
        import importlib

        into.command(name, help=help_text)(getattr(importlib.import_module(module), function))

    return register


def _group(module: str) -> Callable[[typer.Typer, str, str], None]:
    def register(into: typer.Typer, name: str, help_text: str) -> None:
        import importlib

        into.add_typer(importlib.import_module(module).app, name=name, help=help_text)

    return register


def _add(app: typer.Typer, name: str, help_text: str, function: Callable[..., Any]) -> None:
    """Add a command from another module to a group's app, once: the app is a module-level
    object, and building the tree again in one process (tests, completion) must not add the
    same command a second time."""
    if not any(info.name == name for info in app.registered_commands):
        app.command(name, help=help_text)(function)


def _project(into: typer.Typer, name: str, help_text: str) -> None:
    from techdept.commands import lifecycle, project

    for command in ("advance", "deliver", "review", "checklist", "history", "accept",
                    "acceptance"):  # fmt: skip
        _add(project.app, command, t(f"help.project.{command}"), getattr(lifecycle, command))
    into.add_typer(project.app, name=name, help=help_text)


def _staff(into: typer.Typer, name: str, help_text: str) -> None:
    from techdept.commands import cover, sanctions, staff

    _add(staff.app, "away", t("help.staff.away"), cover.away)
    _add(staff.app, "sanctions", t("help.meeting.sanctions"), sanctions.sanctions)
    _add(staff.app, "lift-sanction", t("help.meeting.lift_sanction"), sanctions.lift_sanction)
    into.add_typer(staff.app, name=name, help=help_text)


def _form(into: typer.Typer, name: str, help_text: str) -> None:
    from techdept.commands import form, ticket_forms

    for command, function in (
        ("ticket", ticket_forms.form_ticket),
        ("service-report", ticket_forms.form_service_report),
        ("trip", ticket_forms.form_trip),
    ):
        _add(form.app, command, t(f"help.ticket.form.{command}"), function)
    into.add_typer(form.app, name=name, help=help_text)


def _kb(into: typer.Typer, name: str, help_text: str) -> None:
    from techdept.commands import kb, kb_review

    for command in ("propose", "review", "proposals"):
        _add(kb.app, command, t(f"help.kbr.{command}"), getattr(kb_review, command))
    into.add_typer(kb.app, name=name, help=help_text)


C = "techdept.commands."
# name → (its help's catalogue key, how to register it)
LAZY: dict[str, tuple[str, Callable[[typer.Typer, str, str], None]]] = {
    "init": ("help.init", _command(C + "init", "init")),
    "staff": ("help.group.staff", _staff),
    "roles": ("help.roles.command", _command(C + "roles", "roles")),
    "project": ("help.group.project", _project),
    "db": ("help.group.db", _group(C + "db")),
    "audit": ("help.group.audit", _group(C + "audit")),
    "policy": ("help.group.policy", _group(C + "policy")),
    "payment": ("help.group.payment", _group(C + "payment")),
    "bonus": ("help.group.bonus", _group(C + "bonus")),
    "kb": ("help.group.kb", _kb),
    "report": ("help.group.report", _group(C + "report")),
    "team": ("help.meeting.team", _command(C + "team", "team")),
    "assess": ("help.meeting.group_assess", _group(C + "assess")),
    "score": ("help.meeting.group_score", _group(C + "score")),
    "meeting": ("help.console.meeting", _command(C + "meeting", "meeting")),
    "form": ("help.group.form", _form),
    "ticket": ("help.group.ticket", _group(C + "ticket")),
    "import": ("help.group.import", _group(C + "imports")),
    "monthly": ("help.group.monthly", _group(C + "monthly")),
    "crew": ("help.group.crew", _group(C + "crew")),
    "training": ("help.group.training", _group(C + "training")),
    "demo-system": ("help.group.demo_system", _group(C + "demo_system")),
    "config": ("help.group.config", _group(C + "config")),
}


def _build(name: str) -> click.Command:
    """One lazily registered command, built by Typer exactly as if it had been added to the
    root app (same help, same inherited settings)."""
    from typer.main import get_command

    help_key, register = LAZY[name]
    holder = typer.Typer(add_completion=False)
    holder.callback()(lambda: None)
    register(holder, name, t(help_key))
    group = get_command(holder)
    assert isinstance(group, click.Group)
    return group.commands[name]


def main() -> None:
    """Console-script entry point."""
    app(prog_name="techdept", args=sys.argv[1:])
