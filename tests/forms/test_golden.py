"""Golden sheets: each kind's ``word/document.xml`` (pretty-printed) against a checked-in copy.

A change to a layout, a label or a band text shows up here as a readable diff. When the
change is intended, regenerate and review the files:

    TECHDEPT_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/forms/test_golden.py
    git diff tests/forms/golden/
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
KINDS = [
    ("e1_implementation", "zh"),
    ("e2_presales", "zh"),
    ("aftersales_2026q4", "zh"),
    ("payout_2026q4", "zh"),
    ("statement_lijun_2026", "zh"),
    ("tracking_2026w48", "zh"),
    ("e1_implementation_en", "en"),
]
MAX_DIFF_LINES = 80


@pytest.mark.parametrize("name, lang", KINDS)
def test_document_xml_matches_the_golden_file(name, lang, tmp_path, build_sheets, xml_of):
    got = xml_of(build_sheets(tmp_path, lang)[name])
    golden = GOLDEN / f"{name}.xml"
    if os.environ.get("TECHDEPT_REGEN_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, "utf-8")
        return
    assert golden.exists(), f"{golden} is missing; run with TECHDEPT_REGEN_GOLDEN=1"
    want = golden.read_text("utf-8")
    if got != want:
        diff = list(
            difflib.unified_diff(
                want.splitlines(),
                got.splitlines(),
                fromfile=f"golden/{name}.xml",
                tofile="rendered",
                lineterm="",
                n=2,
            )
        )
        shown = "\n".join(diff[:MAX_DIFF_LINES])
        more = (
            f"\n… {len(diff) - MAX_DIFF_LINES} more diff lines"
            if len(diff) > MAX_DIFF_LINES
            else ""
        )
        pytest.fail(
            f"{name}: word/document.xml differs from the golden file "
            f"(TECHDEPT_REGEN_GOLDEN=1 regenerates it):\n{shown}{more}",
            pytrace=False,
        )
