"""A small, believable department for ``techdept init --demo``. Loading it twice adds nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff
from techdept.services.projects import ProjectFields, new_project
from techdept.services.staff import add_staff, admins, first_admin

# The demo department's administrator (系统管理员): the secretary who keeps the ledger.
ADMIN = ("zhangli", "张丽")

PEOPLE: list[tuple[str, str, list[str]]] = [
    ("wangjg", "王建国", ["director"]),
    ("liuzm", "刘志明", ["gm"]),
    ("chenxq", "陈晓晴", ["presales-manager"]),
    ("zhaolei", "赵磊", ["impl-manager", "engineer"]),
    ("sunhui", "孙慧", ["aftersales-manager", "engineer"]),
    ("hemin", "何敏", ["presales-engineer"]),
    ("gaofei", "高飞", ["presales-engineer"]),
    ("lijun", "李军", ["engineer"]),
    ("zhoupeng", "周鹏", ["engineer"]),
    ("wuhao", "吴昊", ["engineer"]),
    ("zhengyu", "郑宇", ["onsite-engineer", "engineer"]),
    ("qianli", "钱丽", ["sales"]),
    ("fengtao", "冯涛", ["sales"]),
    ("xuyan", "许燕", ["commerce"]),
    ("huangqin", "黄琴", ["finance"]),
]

PROJECTS: list[tuple[str, dict[str, Any]]] = [
    (
        "presales.tracking",
        dict(
            name="江北区人民法院数字法庭建设项目",
            customer="江北区人民法院",
            complexity="simple-standard",
            difficulty="medium",
            sales="qianli",
        ),
    ),
    (
        "presales.bidding",
        dict(
            name="南城区人民检察院审讯室改造",
            customer="南城区人民检察院",
            contract_fen=85_000_000,
            complexity="simple-interrogation",
            difficulty="high",
            sales="fengtao",
        ),
    ),
    (
        "implementation.construction",
        dict(
            name="临江县人民法院科技法庭项目",
            customer="临江县人民法院",
            contract_fen=120_000_000,
            complexity="technical",
            difficulty="medium",
            risk="medium",
            sales="qianli",
            signed_on=dt.date(2026, 3, 16),
        ),
    ),
    (
        "aftersales.operation",
        dict(
            name="东湖市中级人民法院庭审系统",
            customer="东湖市中级人民法院",
            contract_fen=200_000_000,
            complexity="organizational",
            difficulty="medium",
            risk="high",
            sales="fengtao",
            signed_on=dt.date(2025, 6, 2),
            service_start=dt.date(2026, 1, 1),
            service_months=36,
        ),
    ),
]


@dataclass(frozen=True)
class Added:
    staff: int
    projects: int


def load_demo(ledger: Ledger, actor: str | None, policy: Any) -> Added:
    """Add the demo people and projects that are not there yet (by code / by name)."""
    with ledger.read() as session:
        have_staff = set(session.exec(select(Staff.code)))
        have_projects = set(session.exec(select(Project.name)))
    staff = projects = 0
    with ledger.read() as session:
        has_admin = bool(admins(session))
    if not has_admin:  # a fresh ledger: the demo's administrator adds the department
        _, added = first_admin(ledger, ADMIN[1], ADMIN[0])
        staff += added
        actor = ADMIN[0]
    for code, name, roles in PEOPLE:
        if code not in have_staff:
            add_staff(ledger, actor, name, code, roles)
            staff += 1
    for stage, fields in PROJECTS:
        if fields["name"] not in have_projects:
            new_project(ledger, actor, policy, ProjectFields(**fields), stage=stage)
            projects += 1
    return Added(staff, projects)
