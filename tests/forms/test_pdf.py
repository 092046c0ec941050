"""Each kind of sheet printed to PDF by LibreOffice: A4, at most two pages (per project block
on the after-sales sheet), the Chinese labels and the figures on the page.

The weekly tracking sheet is A4 landscape; twenty projects fit on at most two pages.

Needs ``soffice`` (libreoffice-writer-nogui), ``pdftotext``/``pdfinfo``/``pdffonts``
(poppler-utils) and Noto CJK (fonts-noto-cjk); ``.ci/run`` installs them. Skipped where they
are missing, except in CI (``CI`` set), where a missing tool is a failure.
``data/fonts/techdept-cjk.conf`` lets 宋体/黑体 resolve to Noto CJK; the test points fontconfig
at it through ``FONTCONFIG_FILE`` so it works without touching /etc/fonts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import load_doc

from techdept.forms.context import assessment_context, tracking_context
from techdept.forms.render import render_assessment, render_tracking
from techdept.rules import load_policy

COMPANY = "某某市数字法庭科技有限公司"

ROOT = Path(__file__).resolve().parents[2]
ALIAS = ROOT / "data" / "fonts" / "techdept-cjk.conf"
TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdffonts")

pytestmark = pytest.mark.slow


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(
            f"CI must render the sheets to PDF, but {', '.join(missing)} is missing "
            "(apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk)"
        )
    pytest.skip(f"not installed: {', '.join(missing)}")


def _fontconfig(tmp: Path) -> Path:
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <include>{ALIAS}</include>\n"
        f"  <cachedir>{tmp / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        "utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, build_sheets, tracking_many) -> dict[str, Path]:
    """All kinds of sheet, zh and en, converted in one LibreOffice run."""
    _require_tools()
    tmp = tmp_path_factory.mktemp("pdf")
    sheets = build_sheets(tmp / "docx", "zh")
    sheets |= build_sheets(tmp / "docx", "en")
    sheets["tracking_20"] = render_tracking(
        tracking_context(tracking_many(20), "zh"), tmp / "docx" / "tracking_20.docx"
    )
    sheets["e1_company"] = render_assessment(
        assessment_context(load_doc("e1_implementation"), load_policy(), "zh"),
        tmp / "docx" / "e1_company.docx",
        company=COMPANY,
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(tmp)), HOME=str(tmp))
    out = tmp / "pdf"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp / 'lo-profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *[str(p) for p in sheets.values()],
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdfs = {name: out / f"{path.stem}.pdf" for name, path in sheets.items()}
    missing = [name for name, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, (missing, result.stdout, result.stderr)
    return pdfs


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    }


def assert_a4(info: dict[str, str], *, landscape: bool = False) -> None:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert match, info["Page size"]
    width, height = float(match[1]), float(match[2])
    want = (842, 595) if landscape else (595, 842)
    assert (round(width), round(height)) == want, info["Page size"]


LANDSCAPE = {"tracking_2026w48", "tracking_2026w48_en", "tracking_20"}


EXPECT = {
    "e1_implementation": (
        1,
        [
            "项目实施考核表",
            "项目经理",
            "赵磊",
            "☑技术复杂型",
            "☑中风险",
            "综合分数",
            "84.00",
            "5,808.00",
            "李军",
            "1,161.60",
            "周鹏",
            "2,323.20",
            "技术部奖金池",
            "1,452.00",
            "技术总监",
            "总经理",
            "考核日期",
        ],
    ),
    "e2_presales": (
        1,
        [
            "项目售前考核表",
            "草稿",
            "售前组长",
            "何敏",
            "商务代表",
            "上级考核",
            "76.40",
            "2,754.00",
            "1,836.00",
        ],
    ),
    "aftersales_2026q4": (
        2,
        [
            "项目售后考核表",
            "售后运维经理",
            "推定",
            "东湖市中级人民法院庭审系统",
            "响应及时性",
            "833.33",
            "孙慧",
            "郑宇",
        ],
    ),
    "payout_2026q4": (1, ["季度奖金发放表", "2026-12-25", "8,633.73", "财务代表", "abab"]),
    "statement_lijun_2026": (1, ["个人奖金明细", "李军", "1,648.80"]),
    "e1_implementation_en": (
        1,
        ["Implementation assessment sheet", "Project manager", "5,808.00", "1,452.00"],
    ),
    "tracking_2026w48": (
        1,
        ["售前项目跟踪表", "售前经理", "陈晓晴", "跟踪阶段", "技术方案", "待审核", "技术总监"],
    ),
    "tracking_20": (1, ["售前项目跟踪表", "P2026-119", "共 20 个售前项目", "中标签约"]),
    "tracking_2026w48_en": (1, ["Pre-sales project tracking sheet", "Tracking", "Bid plan"]),
    "e1_company": (1, [COMPANY, "项目实施考核表", "5,808.00"]),
}


def test_the_company_name_keeps_the_title_on_one_line_and_the_sheet_on_one_page(pdfs):
    assert pdf_info(pdfs["e1_company"])["Pages"] == "1"
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdfs["e1_company"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first = layout.strip().splitlines()[0]  # one printed line: the name, then the sheet's
    assert re.sub(r"\s+", "", first) == f"{COMPANY}项目实施考核表"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_sheet_prints_on_a4_within_two_pages(pdfs, name):
    blocks, words = EXPECT[name]
    pdf = pdfs[name]
    info = pdf_info(pdf)
    assert_a4(info, landscape=name in LANDSCAPE)
    assert 1 <= int(info["Pages"]) <= 2 * blocks, info["Pages"]
    text = pdf_text(pdf)
    flat = re.sub(r"\s+", "", text)
    missing = [w for w in words if re.sub(r"\s+", "", w) not in flat]
    assert missing == [], (missing, text[:2000])


def test_chinese_fonts_resolve_to_noto_cjk(pdfs):
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["e1_implementation"])], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSerifCJK" in fonts  # 宋体 → Noto Serif CJK SC
    assert "NotoSansCJK" in fonts  # 黑体 → Noto Sans CJK SC (the title)


ENGLISH = [
    "e1_implementation_en",
    "e2_presales_en",
    "aftersales_2026q4_en",
    "payout_2026q4_en",
    "statement_lijun_2026_en",
    "tracking_2026w48_en",
]


@pytest.mark.parametrize("name", ENGLISH)
def test_the_english_sheet_takes_as_many_pages_as_the_chinese(pdfs, name):
    """A4, like the Chinese sheet: one page for one project (two for the two after-sales
    projects, each block on its own page)."""
    english = int(pdf_info(pdfs[name])["Pages"])
    chinese = int(pdf_info(pdfs[name.removesuffix("_en")])["Pages"])
    assert english == chinese, (name, english, chinese)


@pytest.mark.parametrize("name", ENGLISH)
def test_no_english_word_is_broken_inside(pdfs, name):
    """Every Latin word of the .docx comes out of the PDF whole, as often as it went in: a
    column too narrow for a word would print it in pieces ("acceptanc" / "e"). A line may
    break after a hyphen ("After-" / "sales"; pdftotext joins those to "Aftersales"), so
    hyphenated words are counted without their hyphens."""
    import zipfile
    from collections import Counter

    from lxml import etree

    docx = pdfs[name].parent.parent / "docx" / f"{pdfs[name].stem}.docx"
    with zipfile.ZipFile(docx) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    lines = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in body.iter(f"{w}p")]

    def count(text: str) -> Counter:
        found = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text.replace("-\n", "-"))
        return Counter(word.replace("-", "") for word in found if len(word) > 1)

    words = count("\n".join(lines))
    printed = count(pdf_text(pdfs[name]))
    broken = {w: (n, printed[w]) for w, n in words.items() if printed[w] < n}
    assert broken == {}, broken
