"""What start-up keeps on disk (issue 17): the parsed policy and the help's value lists. A kept
file is only ever a faster way to the same result: a changed policy or domain file makes it
again, a corrupt one is ignored and replaced, and no figure (nor the policy's hash stored with
an approved assessment) differs from what parsing the file gives."""

from __future__ import annotations

import hashlib
import importlib
import pickle
from pathlib import Path

import pytest

from techdept.commands import _choices
from techdept.i18n import set_lang
from techdept.rules import default_policy_path

loader = importlib.import_module("techdept.rules.policy.load")
domain_module = importlib.import_module("techdept.rules.domain")


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A cache folder of the test's own, and no policy or help text remembered in-process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("TECHDEPT_CACHE_DIR", str(folder))
    loader._BUILT.clear()
    _choices.forget()
    yield folder
    loader._BUILT.clear()
    _choices.forget()
    set_lang("en")


def _policy_copy(tmp_path: Path, label: str = "Solution quality") -> Path:
    text = default_policy_path().read_text("utf-8")
    path = tmp_path / "policy.toml"
    path.write_text(text.replace('en = "Solution quality"', f'en = "{label}"'), "utf-8")
    return path


def _fresh(path: Path):  # type: ignore[no-untyped-def]
    """The policy parsed from the file, with nothing kept."""
    data = path.read_bytes()
    return loader._parse(data, path, hashlib.sha256(data).hexdigest())


def _kept_policy(folder: Path) -> list[Path]:
    return sorted(folder.glob("policy-*.pickle"))


def test_the_kept_policy_is_the_parsed_policy(kept, tmp_path):
    path = _policy_copy(tmp_path)
    first = loader.load_policy(path)
    assert len(_kept_policy(kept)) == 1
    loader._BUILT.clear()
    again = loader.load_policy(path)  # from the kept file this time
    assert again is not first
    assert again == first == _fresh(path)
    assert again.hash == hashlib.sha256(path.read_bytes()).hexdigest()  # the file's SHA-256


def test_a_changed_policy_file_is_parsed_again(kept, tmp_path):
    path = _policy_copy(tmp_path)
    before = loader.load_policy(path)
    path.write_text(path.read_text("utf-8").replace("Solution quality", "Design quality"))
    loader._BUILT.clear()
    after = loader.load_policy(path)
    labels = [i.label["en"] for i in after.track("presales").items]
    assert "Design quality" in labels and "Solution quality" not in labels
    assert after.hash != before.hash
    assert after == _fresh(path)
    assert len(_kept_policy(kept)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(("another key", "not a policy")),
    ],
    ids=["empty", "garbage", "other-key"],
)
def test_a_corrupt_kept_policy_is_ignored_and_made_again(kept, tmp_path, damage):
    path = _policy_copy(tmp_path)
    good = loader.load_policy(path)
    (kept_file,) = _kept_policy(kept)
    kept_file.write_bytes(damage)
    loader._BUILT.clear()
    assert loader.load_policy(path) == good
    assert kept_file.read_bytes() != damage  # replaced by a whole one
    loader._BUILT.clear()
    assert loader.load_policy(path) == good


def test_a_kept_policy_of_other_bytes_is_never_used(kept, tmp_path):
    """A kept file whose recorded key is not this file's (e.g. copied over) is not read."""
    path = _policy_copy(tmp_path)
    loader.load_policy(path)
    (kept_file,) = _kept_policy(kept)
    key, policy = pickle.loads(kept_file.read_bytes())
    kept_file.write_bytes(pickle.dumps((key + "x", policy)))
    loader._BUILT.clear()
    assert loader.load_policy(path) == _fresh(path)
    assert pickle.loads(kept_file.read_bytes())[0] == key


def test_nothing_is_kept_where_the_folder_cannot_be_written(kept, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("TECHDEPT_CACHE_DIR", str(blocker / "cache"))  # under a file: no mkdir
    path = _policy_copy(tmp_path)
    assert loader.load_policy(path) == _fresh(path)
    loader._BUILT.clear()
    assert loader.load_policy(path) == _fresh(path)


def test_the_help_lists_a_changed_policys_items(kept, tmp_path, monkeypatch):
    path = _policy_copy(tmp_path)
    monkeypatch.setenv("TECHDEPT_POLICY", str(path))
    text = _choices.items("help.meeting.arg_items")
    assert "Solution quality" in text
    _choices.save()
    assert len(list(kept.glob("help-en-*.marshal"))) == 1
    _choices.forget()
    assert _choices.items("help.meeting.arg_items") == text  # read back from the kept file

    path.write_text(path.read_text("utf-8").replace("Solution quality", "Design quality"))
    _choices.forget()
    loader._BUILT.clear()
    changed = _choices.items("help.meeting.arg_items")
    assert "Design quality" in changed and "Solution quality" not in changed


def test_a_changed_domain_file_makes_the_help_and_the_policy_again(kept, tmp_path, monkeypatch):
    domain_file = tmp_path / "domain.toml"
    original = domain_module._FILE.read_text("utf-8")
    domain_file.write_text(original, "utf-8")
    for module, name in ((domain_module, "_FILE"), (_choices, "_DOMAIN"),
                         (loader, "_DOMAIN_FILE")):  # fmt: skip
        monkeypatch.setattr(module, name, domain_file)
    domain_module.domain.cache_clear()
    path = _policy_copy(tmp_path)
    monkeypatch.setenv("TECHDEPT_POLICY", str(path))
    stage_help = _choices.choices("help.opt.stage", "stage", "--stage")
    assert "Contact" in stage_help
    assert loader.load_policy(path).track("implementation").assessed_from == (
        "implementation.acceptance"
    )
    _choices.save()

    changed = original.replace('en = "Contact"', 'en = "First contact"').replace(
        'assessed_from = "implementation.acceptance"',
        'assessed_from = "implementation.construction"',
    )
    assert changed != original
    domain_file.write_text(changed, "utf-8")
    domain_module.domain.cache_clear()
    _choices.forget()
    loader._BUILT.clear()
    try:
        assert "First contact" in _choices.choices("help.opt.stage", "stage", "--stage")
        implementation = loader.load_policy(path).track("implementation")
        assert implementation.assessed_from == "implementation.construction"
    finally:
        domain_module.domain.cache_clear()


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"{"])
def test_a_corrupt_kept_help_is_ignored_and_made_again(kept, damage):
    text = _choices.choices("help.opt.role", "role", "--role", "engineer")
    _choices.save()
    (kept_file,) = kept.glob("help-en-*.marshal")
    kept_file.write_bytes(damage)
    _choices.forget()
    assert _choices.choices("help.opt.role", "role", "--role", "engineer") == text
    _choices.save()
    assert kept_file.read_bytes() != damage


def test_the_help_is_kept_per_language(kept):
    english = _choices.choices("help.opt.role", "role", "--role", "engineer")
    set_lang("zh")
    chinese = _choices.choices("help.opt.role", "role", "--role", "engineer")
    assert chinese != english and "技术总监" in chinese
    _choices.save()
    assert len(list(kept.glob("help-zh-*.marshal"))) == 1
    assert len(list(kept.glob("help-en-*.marshal"))) == 1
