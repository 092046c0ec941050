"""An approved assessment is shown, listed, checked and drawn from what its GM's approval
stored, read back through the typed document: also a snapshot stored before the document
carried a version (the result main stored at a734488)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import docx
from _meeting import IMPL, add_department, approve, implementation
from sqlalchemy import create_engine, text

from techdept.ledger import location

SNAPSHOT = (
    Path(__file__).resolve().parents[1] / "data" / "snapshots" / "e1-implementation-a734488.json"
)


def store_result(code: str, result: str) -> None:
    """Plain SQL: the assessment's stored result and its version's snapshot become ``result``."""
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.begin() as conn:
        aid = conn.execute(
            text(
                "SELECT a.id FROM assessment a JOIN project p ON p.id = a.project_id "
                "WHERE p.code = :code"
            ),
            {"code": code},
        ).scalar_one()
        conn.execute(
            text("UPDATE assessment SET result = :r WHERE id = :id"), {"r": result, "id": aid}
        )
        conn.execute(
            text("UPDATE assessment_version SET snapshot = :r WHERE assessment_id = :id"),
            {"r": result, "id": aid},
        )
    engine.dispose()


def e1_with_a_reason(td) -> str:
    """E1 as the snapshot was made: the sales scorer lowers schedule to 29 with a reason."""
    code = implementation(td)
    td("score", code, *IMPL, "--scorer", "sales", "schedule=29", "--reason", "客户认可进度")
    approve(td, code)
    return code


def test_a_snapshot_stored_before_the_document_version_still_reads(td, tmp_path):
    add_department(td)
    code = e1_with_a_reason(td)
    stored = json.loads(SNAPSHOT.read_text("utf-8"))
    stored["doc"]["project"] = code
    assert "doc_version" not in stored["doc"]
    store_result(code, json.dumps(stored, ensure_ascii=False))

    shown = td("assess", "show", code, *IMPL, "--json").json()
    assert shown["doc_version"] == 1
    assert {k: shown[k] for k in stored["doc"] if k != "facts"} == {
        k: v for k, v in stored["doc"].items() if k != "facts"
    }
    new_texts = ("schedule_reason", "cost_reason")
    assert {k: v for k, v in shown["facts"].items() if k not in new_texts} == stored["doc"]["facts"]
    assert shown["overview"] is None and shown["review_opinion"] is None

    history = td("assess", "history", code, *IMPL, "--json").json()
    assert [(v["version"], v["final"], v["grade"]) for v in history] == [(1, "5808.00", "B")]
    listed = td("assess", "list", "--json").json()
    assert [(r["project"], r["final"]) for r in listed if r["project"] == code] == [
        (code, "5808.00")
    ]
    td("db", "check")  # the recheck reads the stored document too: nothing differs

    out = tmp_path / "e1.docx"
    td("--lang", "zh", "form", "assessment", code, *IMPL, "--out", str(out))
    words = [p.text for p in docx.Document(str(out)).paragraphs]
    cells = [c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    joined = "\n".join(words + cells)
    assert "5,808.00" in joined and "客户认可进度" in joined


def test_the_approval_stores_the_versioned_document(td):
    add_department(td)
    code = e1_with_a_reason(td)
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.connect() as conn:
        result = conn.execute(text("SELECT result FROM assessment")).scalar_one()
    engine.dispose()
    doc = json.loads(result)["doc"]
    assert doc["doc_version"] == 1
    assert doc == td("assess", "show", code, *IMPL, "--json").json()


def test_a_stored_document_from_a_newer_techdept_is_a_finding(td):
    add_department(td)
    code = e1_with_a_reason(td)
    stored = json.loads(SNAPSHOT.read_text("utf-8"))
    stored["doc"] |= {"project": code, "doc_version": 99}
    store_result(code, json.dumps(stored, ensure_ascii=False))
    result = td("--lang", "en", "db", "check", expect=1)
    assert (
        f"{code} implementation: the stored result cannot be read (this assessment sheet was "
        "written by a newer techdept (document version 99" in result.stdout
    )
    zh = td("--lang", "zh", "db", "check", expect=1).stdout
    assert "所存结果无法读取（这份考核表由更新版本的 techdept 写成（文档版本 99" in zh


def test_a_snapshot_a_newer_techdept_wrote_is_refused_in_one_line(td):
    """Plain SQL stores the approved result as a newer techdept would (doc_version 99): show,
    history and the sheet refuse it in one line of the user's language, not a traceback, and
    do not read it as today's document."""
    add_department(td)
    code = e1_with_a_reason(td)
    stored = json.loads(SNAPSHOT.read_text("utf-8"))
    stored["doc"] |= {"project": code, "doc_version": 99}
    store_result(code, json.dumps(stored, ensure_ascii=False))

    zh = td("--lang", "zh", "assess", "show", code, *IMPL, expect=1).stderr
    assert zh == (
        "错误：这份考核表由更新版本的 techdept 写成（文档版本 99，本版本只能读到 1）："
        "请先升级 techdept 再读取\n"
    )
    en = td("--lang", "en", "assess", "history", code, *IMPL, expect=1).stderr
    assert en.startswith("error: this assessment sheet was written by a newer techdept")
    assert en.count("\n") == 1
