"""Fixtures of the sheet tests: hand-written documents with the figures of policy.md.

``fixtures/*.json`` have the shape of ``assess show --json`` (E1 implementation, E2 pre-sales,
E4 after-sales and an open after-sales quarter), of ``bonus --quarter Q --json`` and of
``report tracking --json`` (with each sales representative's name and the pre-sales manager).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from techdept.rules import Policy, load_policy

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"

_CACHE: dict[str, Any] = {}


def load_doc(name: str) -> dict[str, Any]:
    """A fresh copy of the fixture document ``name`` (file name without .json)."""
    if name not in _CACHE:
        _CACHE[name] = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return copy.deepcopy(_CACHE[name])


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def doc() -> Callable[[str], dict[str, Any]]:
    return load_doc


def docx_texts(path: Path) -> list[str]:
    """Every paragraph of a .docx read back with python-docx: body, then each table's cells
    (row by row, each merged cell once)."""
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                texts.append(cell.text)
    return texts


def document_xml(path: Path) -> str:
    """``word/document.xml`` of a .docx, pretty-printed (what the golden files hold)."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        raw = zf.read("word/document.xml")
    parser = etree.XMLParser(remove_blank_text=True)
    tree = etree.fromstring(raw, parser)
    return etree.tostring(tree, pretty_print=True, encoding="unicode")


def grown_tracking(count: int) -> dict[str, Any]:
    """The W48 tracking document grown to ``count`` projects (the fixture's rows repeated
    under new codes), for the page-count check."""
    doc = load_doc("tracking_2026w48")
    base = doc["projects"]
    doc["projects"] = [base[n % len(base)] | {"code": f"P2026-{100 + n:03d}"} for n in range(count)]
    return doc


def build_all(policy: Policy, out: Path, lang: str = "zh") -> dict[str, Path]:
    """Every kind of sheet from the fixtures, written into ``out``: name → path."""
    from techdept.forms.context import (
        aftersales_context,
        assessment_context,
        payout_context,
        statement_context,
        tracking_context,
    )
    from techdept.forms.render import (
        render_aftersales,
        render_assessment,
        render_payout,
        render_statement,
        render_tracking,
    )

    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "zh" else f"_{lang}"
    paths = {
        f"e1_implementation{suffix}": render_assessment(
            assessment_context(load_doc("e1_implementation"), policy, lang),
            out / f"e1_implementation{suffix}.docx",
        ),
        f"e2_presales{suffix}": render_assessment(
            assessment_context(load_doc("e2_presales"), policy, lang),
            out / f"e2_presales{suffix}.docx",
        ),
        f"aftersales_2026q4{suffix}": render_aftersales(
            aftersales_context(
                [load_doc("e4_aftersales"), load_doc("aftersales_open")],
                policy,
                "2026Q4",
                lang,
                manager="孙慧",
            ),
            out / f"aftersales_2026q4{suffix}.docx",
        ),
        f"payout_2026q4{suffix}": render_payout(
            payout_context(load_doc("payout_2026q4"), lang, policy=policy, audit_head="ab" * 32),
            out / f"payout_2026q4{suffix}.docx",
        ),
        f"statement_lijun_2026{suffix}": render_statement(
            statement_context(load_doc("statement_lijun_2026"), lang, policy=policy),
            out / f"statement_lijun_2026{suffix}.docx",
        ),
        f"tracking_2026w48{suffix}": render_tracking(
            tracking_context(load_doc("tracking_2026w48"), lang),
            out / f"tracking_2026w48{suffix}.docx",
        ),
    }
    return paths


@pytest.fixture
def texts_of() -> Callable[[Path], list[str]]:
    return docx_texts


@pytest.fixture
def xml_of() -> Callable[[Path], str]:
    return document_xml


@pytest.fixture(scope="session")
def build_sheets(policy: Policy) -> Callable[..., dict[str, Path]]:
    def build(out: Path, lang: str = "zh") -> dict[str, Path]:
        return build_all(policy, out, lang)

    return build


@pytest.fixture(scope="session")
def tracking_many() -> Callable[[int], dict[str, Any]]:
    return grown_tracking
