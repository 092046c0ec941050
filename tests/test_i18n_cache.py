"""The merged catalogue kept in __pycache__ (what makes --help cheap) never serves stale text."""

import os

from techdept import i18n


def _catalog(monkeypatch, root, lang="en"):
    monkeypatch.setattr(i18n, "_HERE", root)
    return i18n.catalog.__wrapped__(lang)


def test_a_changed_file_is_read_again(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    toml = tmp_path / "en" / "area.toml"
    toml.write_text('[greeting]\nhello = "hello"\n', "utf-8")
    assert _catalog(monkeypatch, tmp_path)["greeting.hello"] == "hello"
    assert len(list((tmp_path / "__pycache__").glob("catalog-en-*.marshal"))) == 1
    assert _catalog(monkeypatch, tmp_path)["greeting.hello"] == "hello"  # from the cache
    toml.write_text('[greeting]\nhello = "hi"\n', "utf-8")
    os.utime(toml, ns=(1, 1))  # the same size, another time
    assert _catalog(monkeypatch, tmp_path)["greeting.hello"] == "hi"
    assert len(list((tmp_path / "__pycache__").glob("catalog-en-*.marshal"))) == 1  # old gone


def test_a_damaged_cache_is_ignored(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "area.toml").write_text('[a]\nb = "c"\n', "utf-8")
    _catalog(monkeypatch, tmp_path)
    (cached,) = (tmp_path / "__pycache__").glob("catalog-en-*.marshal")
    cached.write_bytes(b"\x00garbage")
    assert _catalog(monkeypatch, tmp_path) == {"a.b": "c"}


def test_a_folder_that_cannot_be_written_still_works(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "area.toml").write_text('[a]\nb = "c"\n', "utf-8")
    (tmp_path / "__pycache__").write_text("not a folder")  # mkdir fails
    assert _catalog(monkeypatch, tmp_path) == {"a.b": "c"}
