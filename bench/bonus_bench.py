"""Benchmark `techdept bonus --quarter Q --json` against a plain sqlite3 script.

A generator fills a fresh ledger (created by techdept, so the schema is the real one) with
10,000 projects and 150,000 scores through bulk inserts, plus the entitlements their GM
approvals produced, final payments and an earlier payout run. Then, side by side in one run,
it times the CLI and a plain `sqlite3`-module script that does the same aggregation and prints
the same lines as JSON, and reports both times, the ratio and the CLI's peak memory.

    .venv/bin/python bench/bonus_bench.py [--projects 10000] [--repeat 3]
Targets (issue 5): ratio <= 3, peak memory <= 100 MiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUARTER = "2026Q4"
LAST_DAY = "2026-12-31"

PLAIN = r'''
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
last = sys.argv[2]
rows = con.execute("""
SELECT p.code, p.name, e.track, e.slice_quarter, s.code, s.name, e.role,
       e.amount_fen - COALESCE(n.net, 0), e.approved_on, f.paid_on
FROM entitlement e
JOIN project p ON p.id = e.project_id
JOIN staff s ON s.id = e.staff_id
JOIN (SELECT project_id, MIN(paid_on) AS paid_on FROM payment
      WHERE kind = 'final' AND voided_at IS NULL GROUP BY project_id) f
  ON f.project_id = e.project_id
LEFT JOIN (SELECT assessment_id, staff_id, role, SUM(amount_fen) AS net FROM payout_line
           WHERE assessment_id IS NOT NULL GROUP BY assessment_id, staff_id, role) n
  ON n.assessment_id = e.assessment_id AND n.staff_id = e.staff_id AND n.role = e.role
WHERE e.superseded_at IS NULL AND e.role IN ('lead', 'engineer', 'director')
  AND e.approved_on <= ? AND f.paid_on <= ?
  AND NOT EXISTS (SELECT 1 FROM payout_line l WHERE l.entitlement_id = e.id)
ORDER BY p.code, e.track, e.slice_quarter, e.id
""", (last, last)).fetchall()
def fen(v):
    return f"{v // 100}.{v % 100:02d}"
lines = [dict(project=r[0], project_name=r[1], track=r[2], slice_quarter=r[3], staff=r[4],
              name=r[5], role=r[6], amount=fen(r[7]), paid=False, approved_on=r[8],
              final_paid_on=r[9]) for r in rows if r[7]]
totals = {}
for x in lines:
    totals[x["staff"]] = totals.get(x["staff"], 0) + int(x["amount"].replace(".", ""))
pool = con.execute("SELECT COALESCE(SUM(amount_fen), 0) FROM entitlement WHERE role = 'pool' "
                   "AND approved_on <= ?", (last,)).fetchone()[0]
doc = {"quarter": sys.argv[3], "lines": lines, "total": fen(sum(totals.values())),
       "totals": [{"staff": k, "amount": fen(v)} for k, v in sorted(totals.items())],
       "pool_balance": fen(pool)}
sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
'''


def generate(path: Path, projects: int, seed: int = 7) -> dict[str, int]:
    """Create the ledger with techdept (real schema), then bulk-insert the data."""
    from sqlalchemy import insert

    from techdept.ledger import location
    from techdept.ledger.engine import Ledger
    from techdept.ledger.models import (
        Assessment,
        Entitlement,
        Payment,
        PolicySnapshot,
        Project,
        Score,
        Staff,
        StaffRole,
    )
    from techdept.rules import default_policy_path, load_policy

    rng = random.Random(seed)
    url, file = location.resolve(str(path))
    ledger = Ledger.open(url, file)
    policy = load_policy()
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    counts = {}
    with ledger.write() as session:
        conn = session.connection()
        staff = [
            dict(id=i, code=f"S{i:04d}", name=f"工程师{i}", created_at=now) for i in range(1, 301)
        ]
        conn.execute(insert(Staff), staff)
        conn.execute(insert(StaffRole), [dict(staff_id=i, role="engineer") for i in range(1, 301)])
        conn.execute(
            insert(PolicySnapshot),
            [
                dict(
                    hash=policy.hash,
                    policy_id=policy.id,
                    stored_at=now,
                    content=default_policy_path().read_text("utf-8"),
                )
            ],
        )
        conn.execute(
            insert(Project),
            [
                dict(
                    id=i,
                    code=f"P2026-{i:05d}",
                    name=f"第{i}号人民法院数字法庭",
                    customer=f"第{i}号人民法院",
                    contract_fen=rng.randrange(10**7, 5 * 10**8),
                    complexity="technical",
                    difficulty="medium",
                    risk="medium",
                    signed_on=dt.date(2026, 1, 5),
                    stage="aftersales.operation",
                    adopted_stage="aftersales.handover",
                    created_at=now,
                )
                for i in range(1, projects + 1)
            ],
        )
        assessments, scores, entitlements = [], [], []
        # implementation for every project (12 scores), pre-sales for 30 % (10 scores):
        # 10,000 projects → 120,000 + 30,000 = 150,000 scores.
        plans = [(p, "implementation") for p in range(1, projects + 1)]
        plans += [(p, "presales") for p in range(1, int(projects * 0.3) + 1)]
        items = {
            "implementation": ["schedule", "quality", "cost", "internal_acceptance"],
            "presales": ["schedule", "quality"],
        }
        scorers = {
            "implementation": ["self", "sales", "superior"],
            "presales": ["self", "sales", "commerce", "pm", "superior"],
        }
        for aid, (project, track) in enumerate(plans, 1):
            approved = dt.date(2026, rng.choice([8, 9, 10, 11, 12]), rng.randrange(1, 28))
            assessments.append(
                dict(
                    id=aid,
                    project_id=project,
                    track=track,
                    period="",
                    policy_id=policy.id,
                    policy_hash=policy.hash,
                    status="approved",
                    facts="{}",
                    facts_source="command-line",
                    version=1,
                    opened_at=now,
                    opened_by="bench",
                    gm_approved_at=now,
                    gm_approved_by="bench",
                    gm_approved_on=approved,
                    result='{"doc": {"grade": "B", "final": "5808.00"}}',
                )
            )
            for scorer in scorers[track]:
                for item in items[track]:
                    scores.append(
                        dict(
                            assessment_id=aid,
                            scorer=scorer,
                            item=item,
                            points_tenths=rng.randrange(0, 300),
                            entered_by="bench",
                            entered_at=now,
                        )
                    )
            team = rng.sample(range(1, 301), 3)
            for staff_id, role, amount in [
                (team[0], "lead", 232_320),
                (team[1], "engineer", 116_160),
                (team[2], "engineer", 232_320),
                (1, "director", 174_240),
                (None, "pool", 145_200),
            ]:
                entitlements.append(
                    dict(
                        assessment_id=aid,
                        version=1,
                        project_id=project,
                        track=track,
                        staff_id=staff_id,
                        role=role,
                        amount_fen=amount,
                        approved_on=approved,
                    )
                )
        for table, rows in (
            (Assessment, assessments),
            (Score, scores),
            (Entitlement, entitlements),
        ):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[start : start + 20_000])
        payments = [
            dict(
                project_id=p,
                kind="final",
                amount_fen=1000,
                paid_on=dt.date(2026, rng.choice([6, 9, 11, 12]), 3),
                recorded_at=now,
                recorded_by="bench",
            )
            for p in range(1, projects + 1)
            if rng.random() < 0.8
        ]
        conn.execute(insert(Payment), payments)
        counts = dict(
            projects=projects,
            assessments=len(assessments),
            scores=len(scores),
            entitlements=len(entitlements),
            payments=len(payments),
        )
    ledger.dispose()
    return counts


def timed(argv: list[str], env: dict[str, str], out_path: Path) -> tuple[float, float]:
    """Wall time and peak memory (MiB) of one child whose stdout goes to ``out_path``.

    Nothing large is held in this process while children run: a forked child's peak memory
    (ru_maxrss) counts the parent's pages from before it execs."""
    with out_path.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(argv[:3])} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--generate", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(Path(args.generate), args.projects)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        # Generated in a child so that this process stays small: a forked child's peak memory
        # (ru_maxrss) counts the parent's pages from before it execs.
        made = subprocess.run(
            [sys.executable, __file__, "--generate", str(db), "--projects", str(args.projects)],
            capture_output=True,
            text=True,
            check=True,
        )
        counts = json.loads(made.stdout.strip().splitlines()[-1])
        print(f"generated {counts} in {time.perf_counter() - t0:.1f} s")
        env = os.environ | {
            "TECHDEPT_DB": str(db),
            "TECHDEPT_LANG": "en",
            "TECHDEPT_TODAY": "2026-12-28",
        }
        cli = [
            str(Path(sys.executable).with_name("techdept")),
            "bonus",
            "--quarter",
            QUARTER,
            "--json",
        ]
        plain = [sys.executable, "-c", PLAIN, str(db), LAST_DAY, QUARTER]
        cli_times, plain_times, cli_peaks, plain_peaks = [], [], [], []
        out_cli, out_plain = Path(tmp) / "cli.json", Path(tmp) / "plain.json"
        for _ in range(args.repeat):
            t_plain, m_plain = timed(plain, env, out_plain)
            t_cli, m_cli = timed(cli, env, out_cli)
            plain_times.append(t_plain)
            cli_times.append(t_cli)
            plain_peaks.append(m_plain)
            cli_peaks.append(m_cli)
        doc_cli = json.loads(out_cli.read_text())
        doc_plain = json.loads(out_plain.read_text())
        same = [(x["project"], x["staff"], x["role"], x["amount"]) for x in doc_cli["lines"]] == [
            (x["project"], x["staff"], x["role"], x["amount"]) for x in doc_plain["lines"]
        ] and doc_cli["total"] == doc_plain["total"]
        c, p = statistics.median(cli_times), statistics.median(plain_times)
        print(
            f"lines payable: {len(doc_cli['lines'])}, total {doc_cli['total']}, "
            f"same as plain script: {same}"
        )
        print(f"techdept bonus --json: {c:.3f} s (median of {args.repeat})")
        print(f"plain sqlite3 script:  {p:.3f} s (median of {args.repeat})")
        print(f"ratio: {c / p:.2f} (target <= 3)")
        print(
            f"peak memory: techdept {max(cli_peaks):.1f} MiB (target <= 100), "
            f"plain script {max(plain_peaks):.1f} MiB"
        )
        if not same:
            sys.exit("the two computations disagree")


if __name__ == "__main__":
    main()
