"""Shared by the review-meeting tests: a department and policy.md's worked examples entered
through the CLI as the meeting's secretary would."""

IMPL = ("--track", "implementation")
AFTERSALES = ("--track", "aftersales")
E1_FACTS = [
    "--planned-days",
    "60",
    "--actual-days",
    "51",
    "--budget",
    "80,000.00",
    "--actual-cost",
    "86,000.00",
    "--ia-deducted",
    "0",
    "--ia-late-days",
    "2",
]


def add_department(td):
    """The demo department: wangjg director, liuzm GM, zhaolei implementation manager,
    sunhui after-sales manager, hemin pre-sales engineer, lijun/zhoupeng/wuhao engineers,
    qianli sales, xuyan commerce (and the demo's projects P2026-001 to 004)."""
    td("init", "--demo")


def new_project(td, name, *, stage="aftersales.handover", contract="1,200,000.00", **fields):
    """A project entered as a department adopting techdept would; returns its code."""
    args = ["project", "new", name, "--customer", f"{name}客户", "--contract", contract]
    args += ["--stage", stage, "--sales", "qianli"]
    fields.setdefault("complexity", "technical")
    fields.setdefault("risk", "medium")
    for key, value in fields.items():
        args += [f"--{key}", value]
    return td(*args, "--json").json()["code"]


def implementation(td, *, actual_cost="86,000.00", quality=(28, 26, 27), lead="zhaolei"):
    """E1 (or a variant): project, team, facts, three scorers; returns the project code."""
    code = new_project(td, "北岸市中级人民法院数字法庭")
    td(
        "--as",
        "wangjg",
        "team",
        code,
        *IMPL,
        "--lead",
        lead,
        "--engineer",
        "lijun:1",
        "--engineer",
        "zhoupeng:2",
        "--lead-share",
        "40",
    )
    facts = list(E1_FACTS)
    facts[facts.index("--actual-cost") + 1] = actual_cost
    td("assess", "open", code, *IMPL, *facts)
    for scorer, points in zip(("self", "sales", "superior"), quality, strict=True):
        td("score", code, *IMPL, "--scorer", scorer, f"quality={points}")
    return code


def approval(td, who, code, *track, **expect):
    """``techdept --as WHO assess approve CODE`` (implementation unless ``track``)."""
    return td("--as", who, "assess", "approve", code, *(track or IMPL), **expect)


def approve(td, code, *track):
    td("--as", "wangjg", "assess", "approve", code, *(track or IMPL))
    td("--as", "liuzm", "assess", "approve", code, *(track or IMPL))


def show(td, code, *track):
    return td("assess", "show", code, *(track or IMPL), "--json").json()


def record_payment(td, code, *, kind="final", amount="100000", on="2026-11-20"):
    """Finance records a payment of ``code``; by default E1's final payment."""
    td("--as", "huangqin", "payment", code, "--kind", kind, "--amount", amount, "--date", on)


def approved_e1(td, monkeypatch, *, approved_on="2026-11-27"):
    """E1 approved by the director and the GM on ``approved_on``; returns the project code."""
    monkeypatch.setenv("TECHDEPT_TODAY", approved_on)
    code = implementation(td)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02")
    approve(td, code)
    return code


def payable_e1(td, monkeypatch):
    """E1 approved on 2026-11-27 with its final payment of 2026-11-20 in, and the clock in
    2026Q4's payout window (2026-12-28): its four lines are payable."""
    code = approved_e1(td, monkeypatch)
    record_payment(td, code)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    return code


def team(td, code, *args, **expect):
    """``techdept --as wangjg team CODE ARGS…``: the director sets a team."""
    return td("--as", "wangjg", "team", code, *args, **expect)


def aftersales_team(td, code, *, lead_share="50"):
    """The director sets the after-sales team: sunhui leads (``lead_share`` %), lijun."""
    share = ("--lead-share", lead_share) if lead_share else ()
    team(td, code, *AFTERSALES, "--lead", "sunhui", "--engineer", "lijun", *share)


def suspended_aftersales(td):
    """An after-sales project whose team (sunhui, lijun) is graded D three approved quarters
    in a row, 2026Q1 to 2026Q3 (policy §5: suspended from after-sales work); its code."""
    code = new_project(td, "售后项目")
    td("project", "set", code, "--service-start", "2026-01-01", "--service-months", "12")
    aftersales_team(td, code)
    for quarter in ("2026Q1", "2026Q2", "2026Q3"):
        q = (*AFTERSALES, "--quarter", quarter)
        td("assess", "open", code, *q, "--budget", "5000", "--actual-cost", "5100")
        for scorer in ("self", "sales", "superior"):
            td("score", code, *q, "--scorer", scorer, "timeliness=20", "quality=20", "archiving=5")
        approve(td, code, *q)
        assert show(td, code, *q)["grade"] == "D"
    return code
