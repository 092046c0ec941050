"""Chinese first: every enumerated value is accepted by its key, its Chinese name and the short
forms the office uses, and a review meeting typed in Chinese gives exactly the JSON of one
typed with English keys."""

import pytest

from techdept import i18n, terms
from techdept.errors import Invalid
from techdept.rules import load_policy

POLICY = load_policy()
IMPL = {"policy": POLICY, "track": "implementation"}


@pytest.mark.parametrize(
    "kind, text, key, context",
    [
        ("track", "implementation", "implementation", {}),
        ("track", "实施", "implementation", {}),
        ("track", "项目实施", "implementation", {}),
        ("track", "impl", "implementation", {}),
        ("track", "ＩＭＰＬ", "implementation", {}),
        ("track", "售前", "presales", {}),
        ("scorer", "自评", "self", {}),
        ("scorer", "上级", "superior", {}),
        ("scorer", "上级考核", "superior", {}),
        ("scorer", "销售", "sales", {}),
        ("scorer", "销售代表", "sales", {}),
        ("scorer", "Superior", "superior", {}),
        ("item", "质量", "quality", IMPL),
        ("item", "项目质量", "quality", IMPL),
        ("item", "内验", "internal_acceptance", IMPL),
        ("item", "公司内验", "internal_acceptance", IMPL),
        ("item", "方案质量", "quality", {"policy": POLICY, "track": "presales"}),
        ("role", "技术总监", "director", {}),
        ("role", "总经理", "gm", {}),
        ("role", "驻场", "onsite-engineer", {}),
        ("stage", "售后·移交", "aftersales.handover", {}),
        ("stage", "售后.移交", "aftersales.handover", {}),
        ("stage", "aftersales.handover", "aftersales.handover", {}),
        ("stage", "售后·前期阶段", "aftersales.handover", {}),
        ("stage", "验收阶段", "implementation.acceptance", {}),
        ("stage", "施工", "implementation.construction", {}),
        ("payment_kind", "尾款", "final", {}),
        ("payment_kind", "进度款", "progress", {}),
        ("payment_kind", "质保金", "retention", {}),
        ("acceptance", "终验", "final", {}),
        ("acceptance", "公司内验", "internal", {}),
        ("phase", "售后", "aftersales", {}),
        ("deliverable", "技术方案", "technical-solution", {}),
        ("channel", "800热线", "hotline", {}),
        ("channel", "客户报修", "customer", {}),
        ("repair_action", "更换", "replace", {}),
        ("demo_result", "未通过", "fail", {}),
        ("assessment_status", "已审批", "approved", {}),
        ("assessment_status", "技术总监已审批", "director-approved", {}),
        # the enumerated options issues 13, 15 and 18 added, and the project's levels
        ("complexity", "标准庭", "simple-standard", {}),
        ("complexity", "简单型·审讯室", "simple-interrogation", {}),
        ("complexity", "技术复杂型", "technical", {}),
        ("difficulty", "高", "high", {}),
        ("risk", "中", "medium", {}),
        ("kb_level", "详版", "detailed", {}),
        ("kb_level", "完整版", "exhaustive", {}),
        ("library", "技术库", "technical", {}),
        ("library", "标准方案", "solutions", {}),
        ("library", "招投标", "bids", {}),
        ("monthly_item", "工作质量", "quality", {}),
        ("monthly_item", "任务", "tasks", {}),
        ("import_kind", "评分", "scores", {}),
        ("import_kind", "人员", "staff", {}),
        ("channel", "热线", "hotline", {}),
        ("demo_result", "通过", "pass", {}),
    ],
)
def test_accepted_forms(kind, text, key, context):
    assert terms.parse(kind, "--x", text, **context) == key


@pytest.mark.parametrize(
    "kind, text, candidates",
    [
        ("track", "售", "presales (Pre-sales), aftersales (After-sales)"),
        ("stage", "aftersales", "aftersales.handover (Hand-over to after-sales), aftersales.op"),
        ("scorer", "s", "self (Self), sales (Sales representative), superior (Superior)"),
    ],
)
def test_ambiguous_beginnings_list_the_candidates(kind, text, candidates):
    i18n.set_lang("en")
    with pytest.raises(Invalid) as caught:
        terms.parse(kind, "--x", text)
    assert caught.value.key == "error.ChoiceAmbiguous"
    assert candidates in caught.value.message()


def test_refusals_list_the_allowed_values_in_the_users_language():
    i18n.set_lang("zh")
    try:
        with pytest.raises(Invalid) as caught:
            terms.parse("scorer", "--scorer", "商务", **IMPL)
        assert caught.value.message() == (
            "--scorer：“商务”不允许；可选值：self（自评）、sales（销售代表）、superior（上级考核）"
        )
    finally:
        i18n.set_lang("en")


def test_aliases_name_one_value_each_within_a_vocabulary():
    """An alias shared by two values of one vocabulary would make both unreachable by it."""
    kinds = ("track", "scorer", "role", "stage", "payment_kind", "acceptance", "phase")
    kinds += ("channel", "repair_action", "demo_result", "assessment_status")
    kinds += ("complexity", "difficulty", "risk", "kb_level", "library", "monthly_item")
    kinds += ("import_kind", "deliverable")
    for kind in kinds:
        vocabulary = terms.vocabulary(kind)
        for term in vocabulary:
            for form in term.forms():
                assert [t.key for t in terms.match(form, vocabulary)] == [term.key], (kind, form)
    for track in POLICY.tracks:
        vocabulary = terms.vocabulary("item", policy=POLICY, track=track)
        for term in vocabulary:
            for form in term.forms():
                assert [t.key for t in terms.match(form, vocabulary)] == [term.key], (track, form)


def meeting(td, db, values):
    """E1 and E2 as a secretary types them, from the project to the quarter's payout;
    ``values`` maps each English key to what is typed (every enumerated value of the walk)."""
    v = values.get
    td("--db", db, "init", "--demo")

    def run(*args):
        return td("--db", db, "--lang", "zh" if values else "en", *args)

    impl = run(
        "project", "new", "北岸市中级人民法院数字法庭", "--customer", "北岸市中级人民法院",
        "--contract", "1,200,000.00", "--complexity", v("technical", "technical"),
        "--risk", v("medium", "medium"), "--sales", "qianli", "--signed", "2026-04-20",
        "--stage", v("aftersales.handover", "aftersales.handover"), "--json",
    ).json()["code"]  # fmt: skip
    track = ("--track", v("implementation", "implementation"))
    run("--as", "wangjg", "team", impl, *track, "--lead", "zhaolei", "--engineer", "lijun:1",
        "--engineer", "zhoupeng:2", "--lead-share", "40")  # fmt: skip
    run("assess", "open", impl, *track, "--planned-days", "60", "--actual-days", "51",
        "--budget", "80,000.00", "--actual-cost", "86,000.00", "--ia-deducted", "0",
        "--ia-late-days", "2")  # fmt: skip
    for scorer, points in (("self", 28), ("sales", 26), ("superior", 27)):
        run(
            "score",
            impl,
            *track,
            "--scorer",
            v(scorer, scorer),
            f"{v('quality', 'quality')}={points}",
            f"{v('schedule', 'schedule')}=31",
        )
    run("--as", "wangjg", "assess", "approve", impl, *track)
    run("--as", "liuzm", "assess", "approve", impl, *track)
    run("--as", "huangqin", "payment", impl, "--kind", v("final", "final"),
        "--amount", "1,200,000.00", "--date", "2026-11-20")  # fmt: skip
    doc = run("assess", "show", impl, *track, "--json").json()
    staff = run("staff", "list", "--role", v("director", "director"), "--json").json()
    listed = run("assess", "list", "--status", v("approved", "approved"), *track, "--json").json()
    projects = run("project", "list", "--phase", v("aftersales", "aftersales"), "--json").json()
    paid = run("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay", "--json").json()
    return doc, staff, listed, [p["code"] for p in projects], _without_times(paid)


def _without_times(doc):
    """A payout run as data, without the moments it was recorded (two ledgers, two clocks) and
    without ``why``, the sentence each line carries in the user's language."""
    if isinstance(doc, dict):
        return {
            k: _without_times(x) for k, x in doc.items() if k not in ("at", "paid_at", "run", "why")
        }
    if isinstance(doc, list):
        return [_without_times(x) for x in doc]
    return doc


CHINESE = {
    "aftersales.handover": "售后·移交",
    "implementation": "实施",
    "technical": "技术复杂型",
    "medium": "中",
    "self": "自评",
    "sales": "销售",
    "superior": "上级考核",
    "quality": "质量",
    "schedule": "工期",
    "final": "尾款",
    "director": "技术总监",
    "approved": "已审批",
    "aftersales": "售后",
}


def test_a_meeting_typed_in_chinese_gives_the_same_json(td, tmp_path):
    english = meeting(td, str(tmp_path / "en.db"), {})
    chinese = meeting(td, str(tmp_path / "zh.db"), CHINESE)
    assert chinese == english
    assert (
        chinese[2] and chinese[3] and chinese[4]
    )  # the list, the phase and the payout say something
    doc = chinese[0]
    assert (doc["composite"], doc["grade"], doc["final"]) == ("84.00", "B", "5808.00")
    assert [s["code"] for s in chinese[1]] == ["wangjg"]


def test_the_newer_options_take_chinese_values_on_the_command_line(td, tmp_path):
    """Issues 13, 15 and 18's options and the project's levels, typed in Chinese."""
    td("init", "--demo")
    run = lambda *a, **k: td("--lang", "zh", *a, **k)  # noqa: E731
    code = run("project", "new", "西港区人民法院科技法庭", "--customer", "西港区人民法院",
               "--complexity", "扩展庭", "--difficulty", "低", "--json").json()  # fmt: skip
    assert (code["complexity"], code["difficulty"]) == ("simple-extended", "low")
    doc = tmp_path / "方案.md"
    doc.write_text("标准方案", encoding="utf-8")
    filed = run("--as", "zhaolei", "kb", "add", str(doc), "--library", "标准方案",
                "--title", "方案", "--business", "数字法庭", "--level", "简版",
                "--json").json()  # fmt: skip
    assert (filed["library"], filed["level"]) == ("solutions", "simple")
    assert run("kb", "list", "--library", "基础资源库·标准方案", "--json").json()
    run("import", "template", "评分", "--xlsx", str(tmp_path / "评分.xlsx"))
    assert (tmp_path / "评分.xlsx").exists()
    sheets = [f"{who}:质量=25,工期=10" for who in ("自评", "销售", "商务", "项目经理", "上级")]
    got = run("policy", "explain", "--track", "售前", *(a for x in sheets for a in ("--scores", x)),
              "--contract", "500000", "--complexity", "标准庭", "--difficulty", "中",
              "--json").json()  # fmt: skip
    assert (got["composite"], got["reserved"]) == ("35.00", "2475.00")
