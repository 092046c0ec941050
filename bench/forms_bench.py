"""How fast a signed sheet is built and saved, in-process.

    .venv/bin/python bench/forms_bench.py [--runs N]

Builds the E1 implementation sheet (context + python-docx + save to disk) N times and prints
the median per sheet, then times 100 sheets in a row. Targets: at most 30 ms median per
sheet, at most 3 s for 100 sheets. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "forms" / "fixtures" / "e1_implementation.json"
MEDIAN_TARGET_MS = 30.0
HUNDRED_TARGET_S = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="sheets timed one by one")
    args = parser.parse_args()

    from techdept.forms.context import assessment_context
    from techdept.forms.render import render_assessment
    from techdept.rules import load_policy

    policy = load_policy()
    doc = json.loads(FIXTURE.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for i in range(5):  # warm up: imports, caches
            render_assessment(assessment_context(doc, policy, "zh"), out / f"warm{i}.docx")
        times = []
        for i in range(args.runs):
            start = time.perf_counter()
            render_assessment(assessment_context(doc, policy, "zh"), out / f"s{i % 10}.docx")
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for i in range(100):
            render_assessment(assessment_context(doc, policy, "zh"), out / f"h{i}.docx")
        hundred = time.perf_counter() - start
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    ok_median, ok_hundred = median <= MEDIAN_TARGET_MS, hundred <= HUNDRED_TARGET_S
    print(
        f"one sheet (E1, build + save), {args.runs} runs: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms (target ≤ {MEDIAN_TARGET_MS:.0f} ms) "
        f"{'ok' if ok_median else 'MISSED'}"
    )
    print(
        f"100 sheets: {hundred:.2f} s (target ≤ {HUNDRED_TARGET_S:.0f} s) "
        f"{'ok' if ok_hundred else 'MISSED'}"
    )
    return 0 if ok_median and ok_hundred else 1


if __name__ == "__main__":
    sys.exit(main())
