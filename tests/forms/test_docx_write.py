"""A sheet is written as the template's package with its body and title replaced
(``Sheet.write``): every member, in order, is what python-docx's own save writes."""

import io
import zipfile

import pytest

from tests.forms.conftest import build_all


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info.filename)) for info in z.infolist()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sheet_is_written_as_python_docx_saves_it(policy, tmp_path, monkeypatch, lang):
    from techdept.forms import docx_kit

    written: list[docx_kit.Sheet] = []
    original = docx_kit.Sheet.save

    def keep(self, path):  # type: ignore[no-untyped-def]
        written.append(self)
        return original(self, path)

    monkeypatch.setattr(docx_kit.Sheet, "save", keep)
    paths = build_all(policy, tmp_path, lang)
    assert len(written) == len(paths) >= 5
    for sheet, path in zip(written, paths.values(), strict=True):
        fast = _members(path.read_bytes())
        saved = io.BytesIO()
        sheet.doc.save(saved)  # the python-docx document, saved by python-docx
        assert fast == _members(saved.getvalue()), path.name
        assert sheet.doc.core_properties.title == sheet.title_text
