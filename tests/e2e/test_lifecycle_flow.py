"""One project from pre-sales contact to after-sales closing, every stage's documents filed and
reviewed through the CLI; then its history."""

import hashlib
import itertools

import pytest
from _lifecycle import BY_ROLE, add_department, checklist, file_current_stage

SEQUENCE = [
    "presales.contact",
    "presales.consultation",
    "presales.tracking",
    "presales.tendering",
    "presales.bidding",
    "presales.won",
    "presales.handover",
    "implementation.preparation",
    "implementation.construction",
    "implementation.acceptance",
    "aftersales.handover",
    "aftersales.operation",
    "aftersales.closing",
]


@pytest.fixture
def project(td):
    add_department(td)
    doc = td(
        "project",
        "new",
        "北岸市中级人民法院数字法庭",
        "--customer",
        "北岸市中级人民法院",
        "--sales",
        "qianli",
        "--complexity",
        "technical",
        "--risk",
        "medium",
        "--json",
    ).json()
    return doc["code"]


def test_contact_to_closing(td, project, tmp_path):
    code = project
    acceptance = [
        ("initial", "2026-08-03"),
        ("trial-run", "2026-08-10"),
        ("final", "2026-09-01"),
        ("handover", "2026-09-03"),
    ]
    for here, there in itertools.pairwise(SEQUENCE):
        assert td("project", "show", code, "--json").json()["stage"] == here
        file_current_stage(td, code, tmp_path)
        extra = []
        if there == "presales.won":
            # the contract gate: nothing moves until amount and signed date are recorded
            td(
                "--as",
                "chenxq",
                "project",
                "advance",
                code,
                expect=1,
                stderr="the contract amount (project set --contract)",
            )
            td(
                "--as",
                "wangjg",
                "project",
                "set",
                code,
                "--contract",
                "1,200,000.00",
                "--signed",
                "2026-04-20",
            )
        if here == "implementation.acceptance":
            td(
                "project",
                "advance",
                code,
                expect=1,
                stderr="Final acceptance (customer) not recorded",
            )
            for event, date in acceptance:
                td("--as", "zhaolei", "project", "accept", code, "--event", event, "--date", date)
            extra = ["--service-start", "2026-10-01", "--service-months", "36"]
        assert checklist(td, code)["ready"] is True, here
        result = td(
            "--as", BY_ROLE["presales-manager"], "project", "advance", code, *extra, "--json"
        ).json()
        assert (result["from"], result["to"], result["forced"]) == (here, there, False)
    shown = td("project", "show", code, "--json").json()
    assert shown["stage"] == "aftersales.closing"
    assert (shown["service_start"], shown["service_months"]) == ("2026-10-01", 36)

    history = td("project", "history", code, "--json").json()
    assert [h["to"] for h in history] == SEQUENCE
    assert [h["from"] for h in history] == [None, *SEQUENCE[:-1]]
    assert {h["by"] for h in history[1:]} == {"chenxq"}
    assert not any(h["forced"] for h in history)
    human = td("project", "history", code).stdout
    assert "Pre-sales · Contact" in human and "After-sales · Closing" in human

    # the closing documents are the last ones; then the project closes
    file_current_stage(td, code, tmp_path)
    td("project", "advance", code)
    td("project", "advance", code, expect=1, stderr="end of the project's life")


def test_files_are_hashed_and_archived_beside_the_ledger(td, project, tmp_path, monkeypatch):
    archive = tmp_path / "arch"
    monkeypatch.setenv("TECHDEPT_ARCHIVE", str(archive))
    survey = tmp_path / "勘察表.txt"
    survey.write_bytes(b"site survey\n")
    doc = td(
        "--as",
        "hemin",
        "project",
        "deliver",
        project,
        "site-survey",
        "--file",
        str(survey),
        "--archive",
        "--json",
    ).json()
    sha = hashlib.sha256(b"site survey\n").hexdigest()
    assert doc["file"]["name"] == "勘察表.txt"
    assert doc["file"]["size"] == 12
    assert doc["file"]["sha256"] == sha
    copy = archive / project / f"{sha}-勘察表.txt"
    assert doc["file"]["archived"] == str(copy)
    assert copy.read_bytes() == b"site survey\n"
    again = td("project", "deliver", project, "site-survey", "--file", str(survey), "--json").json()
    assert again["version"] == 2 and again["file"]["archived"] is None


def test_documents_of_later_stages_wait(td, project, tmp_path):
    td(
        "project",
        "deliver",
        project,
        "bid-plan",
        expect=1,
        stderr="bid-plan belongs to Pre-sales · Bidding; the project is only at Pre-sales · Con",
    )
    td("project", "deliver", project, "no-such-doc", expect=1, stderr="is not a deliverable")
    td(
        "project",
        "deliver",
        project,
        "requirements",
        "--file",
        str(tmp_path / "none.txt"),
        expect=1,
        stderr="is not a file",
    )
    td(
        "project",
        "deliver",
        project,
        "requirements",
        "--archive",
        expect=1,
        stderr="--archive needs --file",
    )
    assert checklist(td, project)["stages"][0]["deliverables"][0]["status"] == "missing"
