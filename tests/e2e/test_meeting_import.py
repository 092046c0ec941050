"""``score import FILE`` (an alias of ``import scores``): every row checked first, then all
written or none."""

import csv
import io

import pytest
from _meeting import E1_FACTS, IMPL, add_department, new_project, show

HEADER = ["project", "track", "quarter", "scorer", "item", "points", "reason"]


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def opened(td, n):
    codes = []
    for i in range(n):
        code = new_project(td, f"项目{i}")
        td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun")
        td("assess", "open", code, *IMPL, *E1_FACTS)
        codes.append(code)
    return codes


def write(path, rows, *, bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), "utf-8")
    return str(path)


def problems(stdout):
    """The problems table (plain text): row number → the problem's words."""
    found = {}
    for line in stdout.splitlines():
        first = line.split(maxsplit=1)
        if first and first[0].isdigit():
            found[int(first[0])] = line
    return found


def fifty_rows(codes):
    rows = []
    for code in codes[:4]:
        for scorer, quality in (("self", "28"), ("sales", "26"), ("superior", "27")):
            rows += [
                [code, "implementation", "", scorer, "schedule", "31", ""],
                [code, "implementation", "", scorer, "quality", quality, ""],
                [code, "implementation", "", scorer, "cost", "18", ""],
                [code, "implementation", "", scorer, "internal_acceptance", "8", ""],
            ]
    rows += [
        [codes[4], "implementation", "", "self", "quality", "25", ""],
        [codes[4], "implementation", "", "sales", "quality", "25", "solid work"],
    ]
    assert len(rows) == 50
    return rows


def test_one_bad_row_in_fifty_writes_nothing(td, tmp_path):
    codes = opened(td, 5)
    rows = fifty_rows(codes)
    rows[33][5] = "31"  # line 35 of the file: the superior's quality above its maximum
    result = td("score", "import", write(tmp_path / "s.csv", rows, bom=True), expect=1)
    assert "1 problem(s) in 50 rows (listed above); nothing was imported" in result.stderr
    found = problems(result.stdout)
    assert list(found) == [35]
    assert "quality: 31 is above the maximum 30 (superior)" in found[35]
    for code in codes:
        assert all(
            v is None for sheet in show(td, code)["scorers"].values() for v in sheet.values()
        )

    rows[33][5] = "27"
    done = td("score", "import", write(tmp_path / "s.csv", rows, bom=True))
    assert "imported 50 rows: 14 score sheets of 5 assessments" in done.stdout
    doc = show(td, codes[0])
    assert (doc["composite"], doc["final"]) == ("84.00", "5808.00")
    assert show(td, codes[4])["scorers"]["self"]["total"] == "82"
    assert show(td, codes[4])["reasons"][0]["reason"] == "solid work"


def test_every_bad_row_is_reported(td, tmp_path):
    (code,) = opened(td, 1)
    rows = [
        [code, "implementation", "", "self", "quality", "28", ""],
        [code, "implementation", "", "commerce", "quality", "20", ""],
        [code, "implementation", "", "self", "schedule", "35", ""],
        [code, "implementation", "", "self", "quality", "27", ""],
        ["P1999-999", "implementation", "", "self", "quality", "20", ""],
        [code, "aftersales", "", "self", "quality", "20", ""],
        [code, "implementation", "", "sales", "speed", "20", ""],
        [code, "implementation", "2026Q4", "sales", "quality", "20", ""],
    ]
    result = td("score", "import", write(tmp_path / "bad.csv", rows), expect=1)
    assert "7 problem(s)" in result.stderr
    found = problems(result.stdout)
    for line, words in (
        (3, "commerce does not score implementation"),
        (4, "schedule: 35 differs from the computed 31"),
        (5, "quality of self is given twice (first on line 2)"),
        (6, "there is no project with code P1999-999"),
        (7, "--quarter is required"),
        (8, "item: 'speed' is not allowed; choose one of: schedule (Schedule)"),
        (9, "--quarter is only for after-sales"),
    ):
        assert words in found[line], (line, found)
    assert 2 not in found
    assert show(td, code)["scorers"]["self"]["quality"] is None


def test_the_file_itself(td, tmp_path):
    td("score", "import", str(tmp_path / "missing.csv"), expect=1, stderr="no such file")
    bad = tmp_path / "bad.csv"
    bad.write_text("project;track\n", "utf-8")
    td("score", "import", str(bad), expect=1, stderr="missing columns: scorer, item, points")
    bad.write_bytes(b"\x00\x01binary")
    td("score", "import", str(bad), expect=1, stderr="neither an .xlsx workbook nor a CSV")


def test_the_shipped_example_is_well_formed():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "data" / "imports" / "scores-example.csv"
    with example.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == HEADER and len(rows) > 1
