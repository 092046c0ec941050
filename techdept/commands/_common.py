"""What every command shares: the run's state (ledger, actor, language, policy) and options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.i18n import t

if TYPE_CHECKING:
    from techdept.ledger.engine import Ledger
    from techdept.output import Output
    from techdept.rules import Policy
    from techdept.rules.policy import TrackPolicy


@dataclass
class State:
    """Global options of one run; the ledger and policy open on first use."""

    db: str | None = None
    actor: str | None = None
    lang: str = "en"
    plain: bool = False
    policy_file: str | None = None
    may_create: bool = False  # only ``techdept init`` makes a new ledger
    _ledger: Any = field(default=None, repr=False)
    _policy: Any = field(default=None, repr=False)

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            from techdept.ledger import engine, location
            from techdept.ledger.engine import Ledger

            engine.on_wait = _say_waiting
            url, path = location.resolve(self.db)
            uses_default = not (self.db or __import__("os").environ.get("TECHDEPT_DB"))
            self._ledger = Ledger.open(
                url, path, create_default_dir=uses_default, create=self.may_create
            )
            collect_as_usual()  # the command's modules are loaded: its own work is collected
        return self._ledger

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            from techdept.rules import load_policy

            self._policy = load_policy(self.policy_file)
        return self._policy

    def out(self, *, json: bool = False, csv: bool = False) -> Output:
        from techdept.output import Output

        return Output(json_mode=json, csv_mode=csv, plain=self.plain)

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.dispose()


# The garbage collector during start-up. Loading Typer's commands, SQLAlchemy and the rules
# makes a few hundred thousand objects that live as long as the process; with the default
# thresholds the collector walks them again and again (over 100 collections, about a tenth of
# a ``score``). The command line puts collection off while it starts (``collect_later``);
# once the ledger is open what start-up made is set aside for good (``gc.freeze``: the
# modules, the commands, the policy — none of it is garbage) and the thresholds are restored
# for the command's own work. A command that opens no ledger ends soon.
_usual_thresholds: tuple[int, ...] | None = None


def collect_later() -> None:
    global _usual_thresholds
    import gc

    if _usual_thresholds is None:
        _usual_thresholds = gc.get_threshold()
        gc.set_threshold(100_000, *_usual_thresholds[1:])


def collect_as_usual() -> None:
    global _usual_thresholds
    import gc

    if _usual_thresholds is not None:
        gc.freeze()
        gc.set_threshold(*_usual_thresholds)
        _usual_thresholds = None


def _say_waiting(seconds: int) -> None:
    """A write waits for another writer: say so (on stderr, never mixed with output)."""
    import sys

    print(t("ledger.waiting", seconds=seconds), file=sys.stderr, flush=True)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def actor_name(code: str | None) -> str:
    """Who acted, as a row shows it: a staff code, or — when nobody was named with ``--as`` or
    TECHDEPT_USER and the OS user was recorded (``os:USER``) — 未指定操作人 in the user's
    language (the row keeps ``os:USER``)."""
    if not code:
        return "—"
    if code.startswith("os:"):
        return t("audit.actor.os", user=code.removeprefix("os:"))
    return code


JsonOpt = Annotated[bool, typer.Option("--json", help=t("help.opt.json"))]
CsvOpt = Annotated[bool, typer.Option("--csv", help=t("help.opt.csv"))]
TrackOpt = Annotated[
    str, typer.Option("--track", help=choices("help.meeting.opt_track", "track", "--track"))
]


def track_of(st: State, text: str) -> TrackPolicy:
    """``--track`` parsed once, at the edge, into one of the active policy's tracks: its key,
    its name in either language (实施, Implementation), an alias or an unambiguous start.
    The tracks are the policy's; no command keeps its own list."""
    from techdept import terms

    return st.policy.track(terms.parse("track", "--track", text, policy=st.policy))


def default_command_group(default: str) -> type:
    """THE way a group is also a command: a Typer group whose arguments, when they do not
    start with one of its sub-commands (or ask for help), go to ``default``.
    ``payment P2026-001 --kind final`` runs ``payment record P2026-001 --kind final``,
    ``bonus --quarter 2026Q4`` runs ``bonus list --quarter 2026Q4`` and ``score P … `` runs
    ``score record P …``, while ``payment list``, ``bonus statement`` and ``score import``
    stay sub-commands. With nothing after it, a group that shows its help on no arguments
    shows it; another runs ``default`` (which says what it needs)."""
    from typer.core import TyperGroup

    class DefaultCommandGroup(TyperGroup):
        def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
            if not args:
                args = [] if self.no_args_is_help else [default]
            elif args[0] not in self.commands and args[0] not in ctx.help_option_names:
                args = [default, *args]
            return super().parse_args(ctx, args)

    return DefaultCommandGroup
