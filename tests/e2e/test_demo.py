"""`make demo` walks the whole path a user walks, to the end, on its own ledger."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_demo_runs_to_the_end(tmp_path, techdept_bin):
    db = tmp_path / "demo" / "ledger.db"
    # each `techdept` a real process, started without re-importing the libraries
    env = os.environ | {"TECHDEPT_BIN": str(techdept_bin / "techdept")}
    for var in ("TECHDEPT_DB", "TECHDEPT_TODAY", "TECHDEPT_LANG", "TECHDEPT_USER"):
        env.pop(var, None)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo.sh"), str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert out.rstrip().endswith("== demo finished ==")
    for word in (
        "王建国",
        "技术总监",
        "临江县人民法院科技法庭",
        "综合分数",
        "84.00",
        "¥5,808.00",
        "¥7,550.40",
        "审计",
        # issue 18: one late manager, a crew choice, a training, a demo system, a reviewed entry
        "sunhui  孙慧    技术工程师  是      lintao",
        "选定施工队“安信智能工程”",
        "P2026-003 的培训记录已齐",
        "演示系统“数字法庭标准演示”测试通过",
        "KP-1 审核通过，已归档为 KB-2",
    ):
        assert word in out, word
    assert "Traceback" not in out + result.stderr
    assert (db.parent / "E1-implementation.docx").stat().st_size > 0
    assert "2026Q4 季度概览" in out and "导入 2 行（人员）" in out
    assert (db.parent / "2026Q4奖金发放.xlsx").stat().st_size > 0
    assert (db.parent / "monthly-2026-12.docx").stat().st_size > 0
