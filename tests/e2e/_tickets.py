"""Shared by the fault-ticket tests: the department with an after-sales project (the fixture
``after_sales_project``; a test module takes it as ``project = after_sales_project``), and a
ticket reported on it."""

import pytest
from _lifecycle import add_department, aftersales_project, ticket


@pytest.fixture
def after_sales_project(td):
    """东湖庭审系统 in after-sales, its service from 2026-10-01, in the demo department."""
    add_department(td)
    return aftersales_project(td)


def report(td, project, *extra, who="qianli", symptom="x", contact="y", phone="1", **expect):
    """``ticket new PROJECT`` as ``who`` (None: nobody named) types it; placeholder words
    unless given; ``expect``/``stderr`` as for ``td``."""
    words = ("--symptom", symptom, "--contact", contact, "--phone", phone)
    if who is None:
        return td("ticket", "new", project, *words, *extra, **expect)
    return ticket(td, who, "new", project, *words, *extra, **expect)


def new_ticket(td, project, at="2026-11-20 08:30", *extra, symptom="第三法庭录音系统无声音",
               phone="13800000000"):  # fmt: skip
    """A ticket reported by the sales at ``at`` (office time) by the judge 王法官; its JSON."""
    args = ("--reported-at", at, *extra, "--json")
    return report(td, project, *args, symptom=symptom, contact="王法官", phone=phone).json()
