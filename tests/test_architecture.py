"""The layers keep their shape: rules are pure; heavy libraries load only where needed."""

import ast
import re
from pathlib import Path

import techdept

PKG = Path(techdept.__file__).parent
FORBIDDEN_IN_RULES = (
    "sqlmodel",
    "sqlalchemy",
    "typer",
    "rich",
    "docx",
    "tabulate",
    "alembic",
    "techdept.ledger",
    "techdept.commands",
    "techdept.services",
    "techdept.forms",
    "techdept.output",
    "techdept.cli",
)


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_rules_are_pure():
    bad = [
        (p.name, name)
        for p in (PKG / "rules").rglob("*.py")
        for name in imports(p)
        if name.startswith(FORBIDDEN_IN_RULES)
    ]
    assert bad == []


def test_commands_import_heavy_modules_lazily():
    """Module-level imports in commands/ and cli.py stay light (no DB, docx, tabulate)."""
    heavy = (
        "sqlmodel",
        "sqlalchemy",
        "docx",
        "tabulate",
        "alembic",
        "textual",
        "techdept.ledger",
        "techdept.services",
        "techdept.forms",
        "techdept.console",
    )
    bad = []
    for path in [PKG / "cli.py", *(PKG / "commands").glob("*.py")]:
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                bad += [(path.name, n) for n in names if n.startswith(heavy)]
    assert bad == []


def test_only_the_console_imports_textual():
    """Textual (the meeting console's screen) is imported by techdept/console only."""
    bad = [
        (str(p.relative_to(PKG)), name)
        for p in PKG.rglob("*.py")
        if "console" not in p.relative_to(PKG).parts
        for name in imports(p)
        if name.startswith("textual") or name.startswith("techdept.console")
    ]
    assert bad == [("commands/meeting.py", "techdept.console.app")] * 2


# Services and the ledger speak data: keys and values, never words in a language and never
# the command line's syntax. Translation happens in commands/, forms/ and the error boundary.
SPEAKS_DATA = ("services", "ledger")
TRANSLATES = ("techdept.i18n", "techdept.output", "techdept.display", "typer", "click", "rich")
_T_CALL = re.compile(r"(?<![\w.])t\(")


# Modules another branch of issue 16 is rewriting at the same time (the assessment split, the
# suite's speed work). They still translate; the lead empties this list when those branches
# are merged, and from then on the test holds for every module.
def _speaks_data_offences() -> list[tuple[str, str]]:
    bad = []
    for layer in SPEAKS_DATA:
        for path in sorted((PKG / layer).rglob("*.py")):
            rel = str(path.relative_to(PKG))
            if "migrations" in path.parts:
                continue
            source = path.read_text("utf-8")
            bad += [(rel, name) for name in imports(path) if name.startswith(TRANSLATES)]
            bad += [(rel, "from techdept import i18n/output") for name in
                    _from_techdept(path) if name in ("i18n", "output", "display")]  # fmt: skip
            bad += [(rel, f"t( on line {n}") for n, line in enumerate(source.splitlines(), 1)
                    if _T_CALL.search(line)]  # fmt: skip
    return bad


def _from_techdept(path: Path) -> list[str]:
    return [
        alias.name
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "techdept"
        for alias in node.names
    ]


def test_services_and_ledger_speak_data():
    """No translation, no output formatting, no command-line library in services/ or ledger/."""
    assert _speaks_data_offences() == []


def test_the_data_check_catches_a_translating_service(tmp_path):
    """The check itself can fail: a service that calls t() is found."""
    assert _T_CALL.search('        return t("audit.finding.link", id=3)')
    assert not _T_CALL.search("    return select(Staff).limit(3)")
    assert not _T_CALL.search("    x = self.t(1); print(int(2))")


# What each lower layer may import of techdept (docs/architecture.md, "The layers"). A layer
# never imports one above it: the ledger no service, services no command or form, forms no
# ledger or service.
MAY_IMPORT = {
    "rules": {"rules", "errors", "values", "files"},
    "ledger": {"ledger", "errors", "clock", "files"},
    "services": {
        "services",
        "ledger",
        "rules",
        "documents",
        "errors",
        "values",
        "terms",
        "clock",
        "files",
    },
    "forms": {
        "forms",
        "documents",
        "rules",
        "i18n",
        "display",
        "errors",
        "values",
        "terms",
        "files",
    },
}


def _upward_imports() -> list[tuple[str, str]]:
    bad = []
    for layer, allowed in MAY_IMPORT.items():
        for path in sorted((PKG / layer).rglob("*.py")):
            rel = str(path.relative_to(PKG))
            names = [n for n in imports(path) if n.startswith("techdept.")]
            names += [f"techdept.{n}" for n in _from_techdept(path)]
            for name in names:
                top = name.split(".")[1]
                if top not in allowed:
                    bad.append((rel, name))
    return bad


def test_no_layer_imports_upward():
    assert _upward_imports() == []


# Size: a reader holds a function on one screen and a module in one sitting (issue 16, build 5).
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 600
# Not held to the sizes: Alembic migrations are history (written once, never read to change
# them); ledger/tables.py is generated from the schema; ledger/models.py is that schema, one
# class per table, and splitting it would scatter the tables the migrations test compares.
_NOT_SIZED = ("ledger/migrations/", "ledger/tables.py", "ledger/models.py")

# Still too long when issue 16's size work was merged: each entry is (module, function) or
# (module, None) for a module over MAX_MODULE_LINES. Most are in files another branch was
# rewriting at the same time. The lead empties this list as they shrink; an entry that is no
# longer too long fails the test, so the list only ever shrinks.
_STILL_LONG: set[tuple[str, str | None]] = set()


def _too_long(root: Path = PKG) -> set[tuple[str, str | None]]:
    """Every module over MAX_MODULE_LINES and function over MAX_FUNCTION_LINES under root."""
    long = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(_NOT_SIZED):
            continue
        source = path.read_text("utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            long.add((rel, None))
        for node in ast.walk(ast.parse(source)):
            is_def = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if is_def and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                long.add((rel, node.name))
    return long


def test_no_function_or_module_is_too_long():
    long = _too_long()
    assert sorted(long - _STILL_LONG, key=str) == [], "too long: split it"
    assert sorted(_STILL_LONG - long, key=str) == [], "short now: remove it from _STILL_LONG"


def test_the_size_check_catches_a_long_function_and_module(tmp_path):
    """The check itself can fail: a 61-line function and a 601-line module are found."""
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    (tmp_path / "long.py").write_text("def f():\n" + body, "utf-8")
    (tmp_path / "big.py").write_text("x = 1\n" * 601, "utf-8")
    (tmp_path / "ok.py").write_text("def g():\n" + body[: body.rindex("    x59")], "utf-8")
    assert _too_long(tmp_path) == {("long.py", "f"), ("big.py", None)}
