"""Shared by the lifecycle tests: a department, and filing a stage's documents through the CLI
as the people responsible for them would."""

PEOPLE = [
    ("王建国", "wangjg", ["director"]),
    ("刘志明", "liuzm", ["gm"]),
    ("陈晓晴", "chenxq", ["presales-manager"]),
    ("何敏", "hemin", ["presales-engineer"]),
    ("许燕", "xuyan", ["commerce"]),
    ("钱丽", "qianli", ["sales"]),
    ("冯涛", "fengtao", ["sales"]),
    ("赵磊", "zhaolei", ["impl-manager", "engineer"]),
    ("孙慧", "sunhui", ["aftersales-manager", "engineer"]),
    ("李军", "lijun", ["engineer"]),
]
BY_ROLE = {
    "director": "wangjg",
    "gm": "liuzm",
    "presales-manager": "chenxq",
    "presales-engineer": "hemin",
    "commerce": "xuyan",
    "sales": "qianli",
    "engineer": "lijun",
    "impl-manager": "zhaolei",
    "aftersales-manager": "sunhui",
}


def add_department(td):
    for name, code, roles in PEOPLE:
        args = ["staff", "add", name, "--code", code]
        for role in roles:
            args += ["--role", role]
        td(*args)


def checklist(td, code):
    return td("project", "checklist", code, "--json").json()


def file_current_stage(td, code, tmp_path=None):
    """File every document of the current stage (required or not) and walk its review chain,
    each step by the person holding the role ('sales' is the project's own sales rep)."""
    doc = checklist(td, code)
    here = doc["stages"][0]
    assert here["current"]
    filed = []
    for item in here["deliverables"]:
        if item["doc"] == "training-records":  # a training with sign-in and feedback first
            hold_training(td, code)
        args = ["--as", BY_ROLE[item["role"]], "project", "deliver", code, item["doc"]]
        if item["doc"] in ("case-demo", "bid-demo"):  # name a tested demo system
            args += ["--demo-system", ready_demo_system(td)]
        if tmp_path is not None:
            path = tmp_path / f"{item['doc']}.txt"
            path.write_text(f"{code} {item['name']}\n", "utf-8")
            args += ["--file", str(path)]
        td(*args)
        for role in item["review"]:
            td("--as", BY_ROLE[role], "project", "review", code, item["doc"], "--approve")
        filed.append(item["doc"])
    return filed


def hold_training(td, code, date="2026-11-20"):
    """Plan a training of the customer's staff, sign two in and record their feedback."""
    ref = td(
        "--as", "zhaolei", "training", "plan", code, "--date", date, "--topic", "系统操作培训",
        "--trainer", "lijun", "--json",
    ).json()["id"]  # fmt: skip
    td("--as", "zhaolei", "training", "sign", ref, "--name", "张书记员", "--name", "王法官")
    td("--as", "zhaolei", "training", "feedback", ref, "--rating", "5")
    return ref


def ready_demo_system(td, name="数字法庭标准演示"):
    """A demo system that passed its test (recorded once, then reused)."""
    listed = [d["name"] for d in td("demo-system", "list", "--json").json()]
    if name not in listed:
        td("--as", "hemin", "demo-system", "add", name, "--scenario", "科技法庭庭审全流程",
           "--vm-image", "vm://demo/court-2026.ova")  # fmt: skip
        td("--as", "hemin", "demo-system", "test", name, "--result", "pass")
    return name


def aftersales_project(td, *policy, start="2026-10-01"):
    """东湖庭审系统 (sold by fengtao) in after-sales, its service 12 months from ``start``
    (no service period when ``start`` is None); returns the project code."""
    code = td(*policy, "project", "new", "东湖庭审系统", "--customer", "东湖中院",
              "--contract", "2000000", "--sales", "fengtao", "--stage", "aftersales.handover",
              "--json").json()["code"]  # fmt: skip
    if start is not None:
        td(*policy, "project", "set", code, "--service-start", start, "--service-months", "12")
    return code


def ticket(td, who, *args, **expect):
    """``techdept --as WHO ticket ARGS…``; ``expect``/``stderr`` as for ``td``."""
    return td("--as", who, "ticket", *args, **expect)
