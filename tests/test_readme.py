"""The READMEs run: every ```sh block, in order, on a fresh ledger, exits 0 — or 1 where the
line says `# exits 1`. Set-up lines (make, pip, cd, python -m venv) are the only ones skipped;
synopses with […] live in ```text blocks, which are not run."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = re.compile(r"^(make|pip|cd|python3? -m venv|\. \.venv)\b")
EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


def commands(markdown: str) -> list[tuple[int, str, int]]:
    """(line number, command, expected exit status) of every ```sh block, in order."""
    out: list[tuple[int, str, int]] = []
    in_sh = False
    pending: list[str] = []
    start = 0
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.startswith("```"):
            in_sh = line.strip() == "```sh" and not in_sh
            continue
        if not in_sh:
            continue
        if not pending:
            start = number
            if not line.strip() or line.lstrip().startswith("#"):
                continue
        pending.append(line)
        if line.rstrip().endswith("\\"):
            continue
        text = "\n".join(pending)
        pending = []
        if SKIP.match(text.strip()):
            continue
        found = EXITS.search(text)
        out.append((start, text, int(found[1]) if found else 0))
    return out


def script(markdown: str) -> str:
    lines = [
        'check() { if [ "$1" != "$2" ]; then',
        '  echo "README line $3: exit $1, expected $2" >&2; exit 99; fi; }',
    ]
    for number, text, want in commands(markdown):
        lines += [f"echo '$ {number}' >&2", text, f"check $? {want} {number}"]
    return "\n".join(lines) + "\n"


def test_the_runner_reads_blocks_and_refusals():
    md = "```text\ntechdept x [--y]\n```\n```sh\nmake demo\n# c\ntechdept a \\\n  --b\n"
    md += "techdept c   # exits 1\n```\n"
    assert commands(md) == [(7, "techdept a \\\n  --b", 0), (9, "techdept c   # exits 1", 1)]


@pytest.mark.slow
@pytest.mark.parametrize("readme, lang", [("README.md", "en"), ("README.zh-CN.md", "zh")])
def test_readme_runs(readme, lang, tmp_path, techdept_bin):
    markdown = (ROOT / readme).read_text("utf-8")
    assert len(commands(markdown)) >= 25
    env = dict(os.environ)
    env.update(
        TECHDEPT_DB=str(tmp_path / "ledger.db"),
        TECHDEPT_LANG=lang,
        # `techdept` is a real process per line, started without re-importing the libraries
        PATH=os.pathsep.join((str(techdept_bin), str(Path(sys.executable).parent), env["PATH"])),
        COLUMNS="100",
    )
    for var in ("TECHDEPT_USER", "TECHDEPT_POLICY", "TECHDEPT_TODAY", "TECHDEPT_ARCHIVE"):
        env.pop(var, None)
    (tmp_path / "data").symlink_to(ROOT / "data")
    done = subprocess.run(
        ["bash", "-c", script(markdown)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    ran = re.findall(r"^\$ \d+$", done.stderr, re.MULTILINE)
    assert len(ran) == len(commands(markdown)), "a line was not run"


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_synopses_are_not_in_sh_blocks(readme):
    for number, text, _ in commands((ROOT / readme).read_text("utf-8")):
        assert not re.search(r"\[(--|[A-Z])", text), (readme, number, text)
        assert "..." not in text.split("#")[0], (readme, number, text)


@pytest.mark.slow
@pytest.mark.no_ledger
def test_the_walks_techdept_answers_as_the_installed_one(tmp_path, techdept_bin):
    """The walks' `techdept` (tests/cli_server.py) gives the installed console script's exit
    codes, output and errors, line by line on a ledger of its own, and reads stdin."""
    lines = [
        ["--help"],
        ["nope"],
        ["staff", "list"],
        ["init", "--demo"],
        ["--lang", "en", "staff", "show", "nobody"],
        ["staff", "show", "wangjg"],
        ["--as", "wangjg", "staff", "add", "某人", "--code", "x1", "--role", "engineer"],
        ["--as", "zhangli", "staff", "add", "某人", "--code", "x1", "--role", "engineer"],
        ["db", "restore", "nothing.db"],
    ]
    work = tmp_path / "work"
    env = dict(os.environ, TECHDEPT_DB=str(work / "ledger.db"), TECHDEPT_LANG="zh")

    def walk(exe: str) -> list[tuple[int, str, str]]:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        done = [
            subprocess.run(
                [exe, *args], env=env, cwd=work, capture_output=True, text=True, input="y\n"
            )
            for args in lines
        ]
        return [(r.returncode, r.stdout, r.stderr) for r in done]

    served = walk(str(techdept_bin / "techdept"))
    installed = walk(str(Path(sys.executable).with_name("techdept")))
    for args, one, other in zip(lines, served, installed, strict=True):
        assert one == other, args
    assert [code for code, _, _ in served] == [0, 2, 3, 0, 1, 0, 1, 0, served[-1][0]]
