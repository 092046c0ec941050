"""Click as Typer uses it: vendored as ``typer._click`` in new Typer, the ``click`` package in
older ones. Exceptions must come from the same module Typer raises them from.

``install()`` is the ONE hook through which Click's and Typer's own words (``Usage:``,
``Options``, ``[required]``, ``Missing option``, ``Try … for help``, ``Aborted!``) reach the
user in their language: Click looks every message up through ``gettext``; we give its modules
a ``gettext`` that reads our catalogue (``i18n/*/click.toml``). Help and usage errors are
Click's plain ones (wrapped, never cut), not Rich panels, so that one hook covers them all.
"""

from __future__ import annotations

import sys

try:
    from typer import _click as click  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Typer before it vendored Click
    import click  # type: ignore[no-redef]

__all__ = ["click", "install"]

_MODULES = (
    "core",
    "exceptions",
    "parser",
    "formatting",
    "decorators",
    "types",
    "termui",
    "shell_completion",
)


def gettext(message: str) -> str:
    """Click's English ``message`` in the user's language (itself when not catalogued)."""
    from techdept.i18n import catalog, lang

    return catalog(lang()).get(f"click.{message}", message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_METAVAR = None


def _metavars(text: str) -> str:
    """Placeholders of a usage line or option table (``[OPTIONS]``, ``TEXT``, ``CODE``) in
    the user's language; option names stay as they are typed."""
    import re

    from techdept.i18n import catalog, lang

    words = {
        k.removeprefix("click.metavar."): v
        for k, v in catalog(lang()).items()
        if k.startswith("click.metavar.")
    }
    for phrase in ("[OPTIONS]", "COMMAND [ARGS]..."):
        text = text.replace(phrase, words.get(phrase, phrase))
    return re.sub(
        r"(?<![-\w])([A-Z][A-Z_]+(?: RANGE)?)(?![\w-])", lambda m: words.get(m[1], m[1]), text
    )


def _formatter() -> type:
    class Formatter(click.HelpFormatter):
        """Click's formatter, with placeholders in the user's language and Chinese text
        wrapped by its display width (a Chinese character takes two columns)."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, _metavars(args), prefix)

        def write_heading(self, heading: str) -> None:
            # "选项：" as Chinese writes it; Click's own heading ends with an ASCII colon
            from techdept.i18n import lang

            mark = "：" if lang() == "zh" else ":"
            self.write(f"{'':>{self.current_indent}}{heading}{mark}\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # type: ignore[no-untyped-def]
            # Typer's completion options carry literal English help: the catalogue has it too
            rows = [(_metavars(first), gettext(second)) for first, second in rows]
            first_col = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
            room = max(self.width - first_col - self.current_indent, 10)
            for first, second in rows:
                self.write(" " * self.current_indent + first)
                if not second:
                    self.write("\n")
                    continue
                if width(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - width(first)))
                else:
                    self.write("\n" + " " * (first_col + self.current_indent))
                lines = wrap(second, room)
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(" " * (first_col + self.current_indent) + line + "\n")

        def write_text(self, text: str) -> None:
            indent = " " * self.current_indent
            room = max(self.width - self.current_indent, 11)
            paragraphs = [p for p in text.split("\n\n") if p.strip()]
            for n, paragraph in enumerate(paragraphs):
                if n:
                    self.write("\n")
                for line in wrap(" ".join(paragraph.split()), room):
                    self.write(indent + line + "\n")

    return Formatter


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (Chinese) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_NO_LINE_START = set("，。、；：？！）》」』】%,.;:?!)]")
_NO_LINE_END = set("（《「『【“(")


def wrap(text: str, room: int) -> list[str]:
    """Lines of at most ``room`` columns: break at spaces, or between two Chinese characters
    (never before closing punctuation); a word longer than the room is broken."""
    import re

    tokens = re.findall(
        r"\s+|[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+",
        text,
    )
    lines: list[str] = []
    line = ""
    for token in tokens:
        if token.isspace():
            if line:
                line += " "
            continue
        if width(line + token) <= room or not line.strip() or token in _NO_LINE_START:
            line += token
        elif line[-1] in _NO_LINE_END and len(line.rstrip()) > 1:  # "（" goes with what it opens
            lines.append(line[:-1].rstrip())
            line = line[-1] + token
        else:
            lines.append(line.rstrip())
            line = token
        while width(token) > room and width(line) > room and len(line) > 1:  # a very long word
            cut = len(line)
            while width(line[:cut]) > room:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def install() -> None:
    import typer.core
    import typer.main

    typer.core.HAS_RICH = False  # plain Click help and errors: translated here, wrapped
    typer.main.HAS_RICH = False
    for name in _MODULES:
        module = sys.modules.get(f"{click.__name__}.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    typer.core._ = gettext  # type: ignore[attr-defined]
    click.Context.formatter_class = _formatter()
    _keep_argument_help(typer.core.TyperArgument)
    # Click 8.5 lists arguments in its own "Positional arguments" section as well as Typer's
    # "Arguments": keep Typer's, once
    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        if hasattr(click.Command, "format_arguments"):
            cls.format_arguments = lambda self, ctx, formatter: None  # type: ignore[attr-defined]


def _keep_argument_help(cls: type) -> None:
    """Click 8.2+ sets ``help`` in ``Parameter.__init__``, after Typer's ``TyperArgument`` has
    set it, so every argument's help was lost; set it again once Click is done."""
    if getattr(cls, "_techdept_help_kept", False):
        return
    original = cls.__init__

    def __init__(self, *args, help=None, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, help=help, **kwargs)
        self.help = help

    cls.__init__ = __init__  # type: ignore[method-assign]
    cls._techdept_help_kept = True  # type: ignore[attr-defined]
