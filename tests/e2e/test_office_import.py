"""``techdept import staff|projects|payments|scores FILE``: .xlsx and CSV (UTF-8, BOM,
GB18030) with Chinese or English headers and values; --dry-run names every problem; a real
run writes all rows or none; the file itself is read only if it is a sane regular file."""

import csv
import io
import os

import openpyxl
import pytest
from _meeting import E1_FACTS, IMPL, add_department, show


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def head(td):
    return td("audit", "verify", "--json").json()["head"]


def problems(stdout):
    """The plain problems table: row number → its cells (column, value, problem)."""
    found = {}
    for line in stdout.splitlines():
        parts = line.split(maxsplit=3)
        if parts and parts[0].isdigit():
            found[int(parts[0])] = parts[1:]
    return found


def write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return str(path)


def write_xlsx(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return str(path)


# ---------------------------------------------------------------- 500 scores, two bad rows

ITEMS = {"schedule": "31", "quality": None, "cost": "18", "internal_acceptance": "8"}
ZH_ITEM = {"schedule": "项目工期", "quality": "项目质量", "cost": "项目费用",
           "internal_acceptance": "公司内验"}  # fmt: skip


def opened_by_import(td, tmp_path, n):
    """n implementation projects entered by ``import projects``, each with team and facts."""
    rows = [["项目编号", "项目名称", "客户", "合同金额", "项目复杂度类型", "风险类型", "销售代表",
             "签约日期", "阶段"]]  # fmt: skip
    codes = [f"XL-{i:03d}" for i in range(n)]
    for code in codes:
        rows.append([code, f"{code} 数字法庭", "南湖区人民法院", 1200000, "技术复杂型", "中",
                     "钱丽", "2026-03-02", "售后 · 前期阶段"])  # fmt: skip
    td("import", "projects", write_xlsx(tmp_path / "p.xlsx", rows))
    for code in codes:
        td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun")
        td("assess", "open", code, *IMPL, *E1_FACTS)
    return codes


def score_rows(codes):
    """500 rows: 12 per project (3 scorers × 4 items), Chinese and English values mixed."""
    rows = []
    for i, code in enumerate(codes):
        for scorer, quality in (("self", 28), ("sales", 26), ("superior", 27)):
            for item, points in ITEMS.items():
                value = quality - i % 3 if points is None else int(points)
                if i % 2:
                    zh_scorer = {"self": "自评", "sales": "销售代表", "superior": "上级考核"}[
                        scorer
                    ]
                    rows.append([code, "实施", None, zh_scorer, ZH_ITEM[item], value, None])
                else:
                    rows.append([code, "implementation", None, scorer, item, value, None])
    return rows[:500]


@pytest.mark.slow
def test_500_scores_with_two_bad_rows(td, tmp_path):
    codes = opened_by_import(td, tmp_path, 42)
    rows = score_rows(codes)
    assert len(rows) == 500
    header = ["项目", "类别", "季度", "评分人", "考核内容", "分数", "理由"]
    good_quality = rows[101][5]
    rows[101][5] = 31  # sheet row 103: above the maximum 30
    rows[402][3] = "commerce"  # sheet row 404: commerce does not score implementation
    path = tmp_path / "scores.xlsx"
    write_xlsx(path, [header, *rows])
    before = head(td)

    dry = td("import", "scores", str(path), "--dry-run", expect=1)
    found = problems(dry.stdout)
    assert sorted(found) == [103, 404]
    assert found[103][:2] == ["分数", "31"] and "above the maximum 30" in found[103][2]
    assert found[404][:2] == ["评分人", "commerce"]
    assert "commerce does not score implementation" in found[404][2]
    assert "nothing was written" in dry.stderr

    real = td("import", "scores", str(path), expect=1)
    assert sorted(problems(real.stdout)) == [103, 404]
    assert "nothing was imported" in real.stderr
    assert head(td) == before  # not one audit row: nothing was written
    assert all(v is None for s in show(td, codes[0])["scorers"].values() for v in s.values())

    rows[101][5] = good_quality
    rows[402][3] = rows[401][3]
    write_xlsx(path, [header, *rows])
    done = td("import", "scores", str(path))
    assert "imported 500 rows" in done.stdout
    for i in (0, 1, 8, 41):  # the sheet and `assess show` agree, item by item
        doc = show(td, codes[i])
        for code, _, _, scorer, item, points, _ in rows:
            if code == codes[i]:
                key = {"自评": "self", "销售代表": "sales", "上级考核": "superior"}.get(
                    scorer, scorer
                )
                item_key = {v: k for k, v in ZH_ITEM.items()}.get(item, item)
                assert doc["scorers"][key][item_key] == str(points), (code, scorer, item)
    assert show(td, codes[0])["composite"] == "84.00"
    assert show(td, codes[41])["scorers"]["sales"]["total"] is not None


# ---------------------------------------------------------------- encodings and headers


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_chinese_csv_in_every_office_encoding(td, tmp_path, encoding):
    rows = [
        ["项目编号", "项目名称", "客户", "合同金额", "项目复杂度类型", "时间难度类型", "销售代表",
         "签约日期", "阶段"],
        ["GB-001", "西港区人民法院科技法庭", "西港区人民法院", "¥1,200,000.00", "简单型 · 扩展庭",
         "低", "qianli", "2026-04-20", "实施 · 准备阶段"],
        ["GB-002", "北岸市中级人民法院数字法庭", "北岸市中级人民法院", "850000", "技术复杂型", "",
         "冯涛", "2026-05-06", "implementation.preparation"],
    ]  # fmt: skip
    done = td("import", "projects", write_csv(tmp_path / "p.csv", rows, encoding), "--json")
    assert done.json()["format"] == f"csv-{encoding}" and done.json()["written"] == 2
    first = td("project", "show", "GB-001", "--json").json()
    assert (first["name"], first["contract"], first["complexity"]) == (
        "西港区人民法院科技法庭",
        "1200000.00",
        "simple-extended",
    )
    assert (first["difficulty"], first["sales"], first["stage"]) == (
        "low",
        "qianli",
        "implementation.preparation",
    )
    second = td("project", "show", "GB-002", "--json").json()
    assert (second["sales"], second["contract"]) == ("fengtao", "850000.00")
    payments = [
        ["项目", "款项类型", "金额", "到账日期"],
        ["GB-001", "进度款", "360,000.00", "2026-05-10"],
    ]
    td("--as", "huangqin", "import", "payments", write_csv(tmp_path / "m.csv", payments, encoding))
    listed = td("payment", "list", "GB-001", "--json").json()
    assert [(p["kind"], p["amount"]) for p in listed] == [("progress", "360000.00")]


def test_english_headers_and_roles(td, tmp_path):
    rows = [["Code", "Name", "Roles"], ["lintao", "林涛", "engineer, onsite-engineer"],
            ["songjia", "宋佳", "销售代表、商务代表"]]  # fmt: skip
    td("--as", "zhangli", "import", "staff", write_csv(tmp_path / "s.csv", rows))
    people = {p["code"]: p["roles"] for p in td("staff", "list", "--json").json()}
    assert people["lintao"] == ["engineer", "onsite-engineer"]
    assert people["songjia"] == ["sales", "commerce"]


def test_an_exported_list_imports_into_another_ledger(td, tmp_path, monkeypatch):
    """The project list a user exports (title lines, ¥ numbers, stage names, a totals row)
    reads back into a fresh ledger."""
    path = tmp_path / "projects.xlsx"
    td("--lang", "zh", "project", "list", "--xlsx", str(path))
    before = {p["code"]: p for p in td("project", "list", "--json").json()}
    monkeypatch.setenv("TECHDEPT_DB", str(tmp_path / "other.db"))
    td("init", "--demo")  # the same people, the same demo projects
    for code in before:
        assert code in {p["code"] for p in td("project", "list", "--json").json()}
    td("import", "projects", str(path), expect=1, stderr="nothing was imported")
    monkeypatch.setenv("TECHDEPT_DB", str(tmp_path / "third.db"))
    td("init")
    td("staff", "add", "钱丽", "--code", "qianli", "--role", "sales")
    td("staff", "add", "冯涛", "--code", "fengtao", "--role", "sales")
    td("import", "projects", str(path))
    after = {p["code"]: p for p in td("project", "list", "--json").json()}
    assert {c: (p["contract"], p["stage"], p["sales"]) for c, p in after.items()} == {
        c: (p["contract"], p["stage"], p["sales"]) for c, p in before.items()
    }


# ---------------------------------------------------------------- all rows or none


def test_a_bad_last_row_writes_nothing(td, tmp_path):
    rows = [["project", "kind", "amount", "date"],
            ["P2026-003", "progress", "100000", "2026-05-01"],
            ["P2026-003", "retention", "99999999", "2026-06-01"]]  # fmt: skip
    before = td("payment", "list", "P2026-003", "--json").json()
    mark = head(td)
    result = td(
        "--as", "huangqin", "import", "payments", write_csv(tmp_path / "m.csv", rows), expect=1
    )
    found = problems(result.stdout)
    assert list(found) == [3] and found[3][:2] == ["amount", "99999999"]
    assert "beyond" in found[3][2] or "contract" in found[3][2]
    assert td("payment", "list", "P2026-003", "--json").json() == before
    assert head(td) == mark
    rows.pop()
    td("--as", "huangqin", "import", "payments", write_csv(tmp_path / "m.csv", rows))
    assert len(td("payment", "list", "P2026-003", "--json").json()) == len(before) + 1


def test_rows_see_each_other(td, tmp_path):
    """A later row sees an earlier one (same transaction): a second final payment for the
    same project is refused as on the command line."""
    rows = [["project", "kind", "amount", "date"],
            ["P2026-003", "final", "1000", "2026-05-01"],
            ["P2026-003", "尾款", "1000", "2026-05-02"]]  # fmt: skip
    result = td(
        "--as",
        "huangqin",
        "import",
        "payments",
        write_csv(tmp_path / "m.csv", rows),
        "--dry-run",
        expect=1,
    )
    found = problems(result.stdout)
    assert list(found) == [3] and found[3][0] == "kind"


# ---------------------------------------------------------------- the file itself


def test_hostile_files(td, tmp_path, monkeypatch):
    td("import", "staff", str(tmp_path), expect=1, stderr="not a regular file")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    td("import", "staff", str(fifo), expect=1, stderr="not a regular file")
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    td("import", "staff", str(big), expect=1, stderr="larger than 10 MiB")
    bomb = tmp_path / "bomb.xlsx"
    write_xlsx(bomb, [["code", "name", "roles"], ["a" * 5000, "b", "engineer"]])
    from techdept.services import imports

    monkeypatch.setattr(imports, "MAX_UNPACKED", 4096)
    td("import", "staff", str(bomb), expect=1, stderr="larger than")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    td("import", "staff", str(fake), expect=1, stderr="neither an .xlsx workbook nor a CSV")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,name,roles\nx,\udcff".encode("utf-8", "surrogateescape") + b"\xff\xfe")
    td("import", "staff", str(latin), expect=1, stderr="neither UTF-8 nor GB18030")
    unknown = write_csv(tmp_path / "u.csv", [["code", "name", "roles", "salary"]])
    td("import", "staff", unknown, expect=1, stderr="unknown columns: salary")


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", ["staff", "projects", "payments", "scores"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_has_headers_lists_and_an_example_that_imports(td, tmp_path, kind, lang):
    path = tmp_path / f"{kind}.xlsx"
    td("--lang", lang, "import", "template", kind, "--xlsx", str(path))
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    example = [c.value for c in ws[2]]
    assert all(header) and any(example) and ws.max_row == 2
    lists = {str(dv.sqref).split(":")[0][0] for dv in ws.data_validations.dataValidation}
    assert lists  # every kind has at least one enumerated column
    td("--lang", lang, "import", "template", kind, "--xlsx", str(path), expect=1, stderr="--force")
    if kind in ("staff", "projects"):
        td("--lang", lang, "--as", "zhangli", "import", kind, str(path), "--dry-run")


def test_a_sales_name_two_people_share_is_not_guessed(td, tmp_path):
    """A sales column may name the salesperson; a name two people have names neither: the
    row is refused on its sales cell, nothing is written, and a unique name still works."""
    td("--as", "zhangli", "staff", "add", "郑强", "--code", "zhengq1", "--role", "sales")
    td("--as", "zhangli", "staff", "add", "郑强", "--code", "zhengq2", "--role", "sales",
       "--same-name-ok")  # fmt: skip
    td("--as", "zhangli", "staff", "add", "钱丽丽", "--code", "qianlili", "--role", "sales")
    before = head(td)
    rows = [
        ["项目编号", "项目名称", "客户", "合同金额", "项目复杂度类型", "销售代表", "签约日期"],
        ["NM-001", "东城法院科技法庭", "东城法院", "100000", "技术复杂型", "郑强", "2026-05-06"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "p.csv", rows)
    got = td("import", "projects", path, expect=1)
    assert head(td) == before
    assert problems(got.stdout)[2][:2] == ["销售代表", "郑强"]
    rows[1][5] = "钱丽丽"
    td("import", "projects", write_csv(tmp_path / "q.csv", rows))
    assert td("project", "show", "NM-001", "--json").json()["sales"] == "qianlili"
