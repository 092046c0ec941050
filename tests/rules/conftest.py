"""Fixtures of the rules tests: the shipped policy and the literal seed reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from techdept.rules import Policy, load_policy

ROOT = Path(__file__).resolve().parents[2]
LITERAL = ROOT / "data" / "policies" / "v2.0-2014-literal.toml"


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def literal_policy() -> Policy:
    return load_policy(LITERAL)
