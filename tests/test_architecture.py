"""The layers keep their shape: rules are pure; heavy libraries load only where needed."""

import ast
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
