"""Knowledge bases: file documents (hashed, copied into the archive), list, search (Chinese
text matched as typed), show, and the businesses whose standard solutions miss a level."""

import hashlib

import pytest


@pytest.fixture
def files(td, tmp_path, monkeypatch):
    td("staff", "add", "陈晓晴", "--code", "chenxq", "--role", "presales-manager")
    monkeypatch.setenv("TECHDEPT_ARCHIVE", str(tmp_path / "archive"))
    made = {}
    for name, text in {
        "simple.md": "数字法庭标准方案（简版）",
        "detailed.md": "数字法庭标准方案（详版）",
        "faq.md": "ＡＢＣ平台 FAQ",
        "rules.pdf": "法规",
        "pct.txt": "100% 完成",
    }.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        made[name] = path
    return made


def add(td, path, *args, **kw):
    return td("--as", "chenxq", "kb", "add", str(path), *args, "--json", **kw)


def test_add_list_show(td, files, tmp_path):
    doc = add(
        td,
        files["simple.md"],
        "--library",
        "solutions",
        "--business",
        "数字法庭",
        "--level",
        "simple",
        "--title",
        "数字法庭标准方案（简版）",
        "--tags",
        "数字法庭,标准方案、简版",
    ).json()
    data = files["simple.md"].read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert doc["id"] == "KB-1"
    assert (doc["size"], doc["sha256"], doc["filed_by"]) == (len(data), sha, "chenxq")
    assert doc["tags"] == ["数字法庭", "标准方案", "简版"]
    copy = tmp_path / "archive" / "kb-solutions" / f"{sha}-simple.md"
    assert doc["archived"] == str(copy) and copy.read_bytes() == data
    add(
        td,
        files["simple.md"],
        "--library",
        "solutions",
        "--business",
        "数字法庭",
        "--level",
        "simple",
        "--title",
        "again",
        expect=1,
        stderr="already in the solutions library as KB-1",
    )
    add(
        td,
        files["faq.md"],
        "--library",
        "technical",
        "--title",
        "ABC Platform FAQ",
        "--tags",
        "平台",
        "--tags",
        "FAQ",
    )
    listed = td("kb", "list", "--json").json()
    assert [d["id"] for d in listed] == ["KB-1", "KB-2"]
    assert [d["id"] for d in td("kb", "list", "--library", "technical", "--json").json()] == [
        "KB-2"
    ]
    shown = td("kb", "show", "kb-2", "--json").json()
    assert shown["title"] == "ABC Platform FAQ" and shown["tags"] == ["平台", "FAQ"]
    human = td("kb", "show", "KB-1").stdout
    assert "Basic resources · standard solutions" in human and sha in human
    td("kb", "show", "KB-9", expect=1, stderr="no knowledge-base document KB-9")


def test_search_matches_chinese_width_and_case(td, files):
    add(
        td,
        files["simple.md"],
        "--library",
        "solutions",
        "--business",
        "数字法庭",
        "--level",
        "simple",
        "--title",
        "标准方案（简版）",
    )
    add(
        td,
        files["faq.md"],
        "--library",
        "technical",
        "--title",
        "ＡＢＣ平台常见问题",
        "--tags",
        "FAQ",
    )
    add(
        td,
        files["rules.pdf"],
        "--library",
        "business",
        "--title",
        "法院信息化法规汇编",
        "--business",
        "数字法庭",
    )
    add(td, files["pct.txt"], "--library", "bids", "--title", "100% 响应表")

    def found(text, *more):
        return [d["title"] for d in td("kb", "search", text, *more, "--json").json()]

    assert found("数字法庭") == ["标准方案（简版）", "法院信息化法规汇编"]
    assert found("法庭 方案") == ["标准方案（简版）"]
    assert found("abc") == ["ＡＢＣ平台常见问题"]  # full-width title, half-width query
    assert found("ＦＡＱ") == ["ＡＢＣ平台常见问题"]
    assert found("技术库") == ["ＡＢＣ平台常见问题"]  # the library's own name
    assert found("standards") == []
    assert found("%") == ["100% 响应表"]  # LIKE wildcards are literal
    assert found("_") == []
    assert found("数字法庭", "--library", "business") == ["法院信息化法规汇编"]
    td("kb", "search", "  ", expect=1, stderr="TEXT: must not be empty")
    td("--lang", "zh", "kb", "search", "数字法庭", expect=0)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--library", "solutions", "--title", "x"], "needs --business and --level"),
        (["--library", "technical", "--level", "simple", "--title", "x"], "--level belongs"),
        (["--library", "secret", "--title", "x"], "--library: 'secret' is not allowed"),
        (
            ["--library", "solutions", "--business", "数字法庭", "--level", "huge", "--title", "x"],
            "--level: 'huge' is not allowed",
        ),
        (["--library", "technical", "--title", " "], "--title: must not be empty"),
    ],
)
def test_add_refusals(td, files, args, message):
    add(td, files["faq.md"], *args, expect=1, stderr=message)
    assert td("kb", "list", "--json").json() == []


def test_missing_file(td, tmp_path):
    td(
        "kb",
        "add",
        str(tmp_path / "nope.md"),
        "--library",
        "technical",
        "--title",
        "x",
        expect=1,
        stderr="is not a file",
    )


def test_gaps(td, files):
    assert [g["business"] for g in td("kb", "gaps", "--json").json()] == ["数字法庭", "审讯室"]
    add(
        td,
        files["simple.md"],
        "--library",
        "solutions",
        "--business",
        "数字法庭",
        "--level",
        "simple",
        "--title",
        "简版",
    )
    add(
        td,
        files["detailed.md"],
        "--library",
        "solutions",
        "--business",
        "数字法庭",
        "--level",
        "detailed",
        "--title",
        "详版",
    )
    add(
        td,
        files["faq.md"],
        "--library",
        "solutions",
        "--business",
        "科技法庭",
        "--level",
        "exhaustive",
        "--title",
        "科技法庭投标版",
    )
    gaps = td("kb", "gaps", "--json").json()
    assert gaps == [
        {"business": "数字法庭", "have": ["simple", "detailed"], "missing": ["exhaustive"]},
        {"business": "审讯室", "have": [], "missing": ["simple", "detailed", "exhaustive"]},
        {"business": "科技法庭", "have": ["exhaustive"], "missing": ["simple", "detailed"]},
    ]
    zh = td("--lang", "zh", "kb", "gaps").stdout
    assert "投标完整版" in zh and "审讯室" in zh
