"""The lazy command tree: building a group again in one process adds nothing twice."""

from __future__ import annotations

import pytest

from techdept import cli


@pytest.mark.parametrize("group", ["project", "staff", "form", "kb"])
def test_a_group_built_twice_has_each_command_once(group):
    """project/staff/form/kb take commands from other modules into a module-level app; a
    second build (tests, completion) once added them again, and each build grew slower."""
    first = sorted(cli._build(group).commands)
    again = cli._build(group)
    assert sorted(again.commands) == first
    from techdept.commands import form, kb, project, staff

    app = {"project": project, "staff": staff, "form": form, "kb": kb}[group].app
    names = [info.name for info in app.registered_commands]
    assert len(names) == len(set(names)), names
