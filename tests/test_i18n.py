"""Both catalogs say the same things: same keys, same placeholders."""

import string
import tomllib
from pathlib import Path

from techdept import i18n

ROOT = Path(i18n.__file__).parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys():
    zh, en = i18n.catalog("zh"), i18n.catalog("en")
    assert sorted(set(zh) ^ set(en)) == []


def test_same_placeholders():
    zh, en = i18n.catalog("zh"), i18n.catalog("en")
    wrong = [k for k in en if _fields(en[k]) != _fields(zh.get(k, ""))]
    assert wrong == []


def test_same_files_per_language():
    assert sorted(p.name for p in (ROOT / "zh").glob("*.toml")) == sorted(
        p.name for p in (ROOT / "en").glob("*.toml")
    )


def test_no_key_defined_in_two_files():
    for lang in i18n.LANGS:
        seen: dict[str, str] = {}
        for path in sorted((ROOT / lang).glob("*.toml")):
            flat = i18n._flatten(tomllib.loads(path.read_text("utf-8")))
            clash = sorted(k for k in flat if k in seen)
            assert clash == [], (path.name, clash)
            seen.update(dict.fromkeys(flat, path.name))


def test_every_error_class_has_a_message():
    import techdept.errors as errors

    names = [
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type) and issubclass(obj, errors.TechdeptError)
    ]
    missing = [n for n in names if f"error.{n}" not in i18n.catalog("en")]
    assert missing == []


def test_chinese_is_chinese():
    zh = i18n.catalog("zh")
    assert "技术总监" in zh["role.director"]
    assert i18n.t_in("zh", "error.StaffNotFound", code="x").startswith("没有")
