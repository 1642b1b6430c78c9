"""The organisation's ZRM anchor-text file: format and strict loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.zrm_anchors import ANCHOR_FILE_NAME, load_anchor_texts, parse_anchor_texts

GOOD = """
source = "ZRM (c) GGD Amsterdam; licentie SDD"

[financien]
1 = "Groeiende, complexe schulden."
2 = "Beperkt inkomen, schulden."
3 = "Inkomen, schulden stabiel."
4 = "Voldoende inkomen."
5 = "Ruim voldoende inkomen."

[justitie]
1 = "een"
2 = "twee"
3 = "drie"
4 = "vier"
5 = "vijf"
"""


def test_good_file_loads() -> None:
    anchors = parse_anchor_texts("zrm_ankers.toml", GOOD)
    assert anchors.source == "ZRM (c) GGD Amsterdam; licentie SDD"
    assert anchors.text("financien", 1) == "Groeiende, complexe schulden."
    assert anchors.text("justitie", 5) == "vijf"
    assert anchors.text("huisvesting", 3) is None
    assert anchors.text("financien", None) is None
    assert list(anchors.texts) == ["financien", "justitie"]
    assert anchors.has_domain("financien") and not anchors.has_domain("huisvesting")


def test_missing_file_means_no_anchors(tmp_path: Path) -> None:
    assert load_anchor_texts(tmp_path) is None
    (tmp_path / ANCHOR_FILE_NAME).write_text(GOOD, encoding="utf-8")
    loaded = load_anchor_texts(tmp_path)
    assert loaded is not None and loaded.text("financien", 4) == "Voldoende inkomen."


@pytest.mark.parametrize(
    "text, key",
    [
        ("[finances]\n1='a'\n2='b'\n3='c'\n4='d'\n5='e'", "finances"),  # unknown domain
        ("[financien]\n1='a'\n2='b'\n3='c'\n4='d'", "financien.5"),  # incomplete
        ("[financien]\n1='a'\n2='b'\n3='c'\n4='d'\n5='e'\n6='f'", "financien.6"),  # level 6
        ("[financien]\n1='a'\n2='b'\n3='c'\n4='d'\n5=''", "financien.5"),  # empty text
        ("[financien]\n1=1\n2='b'\n3='c'\n4='d'\n5='e'", "financien.1"),  # not text
        ("source = 3", "source"),
        ("financien = 'x'", "financien"),  # not a table
        ("[financien]\n1='a'\n1='b'", ""),  # duplicate key: invalid TOML
    ],
)
def test_bad_files_name_file_and_key(text: str, key: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_anchor_texts("ankers.toml", text)
    assert "ankers.toml" in str(info.value)
    if key:
        assert key in str(info.value)


def test_documented_example_in_docs_loads() -> None:
    """The example in docs/zrm-ankerteksten.md is a valid file."""
    doc = Path(__file__).resolve().parents[2] / "docs" / "zrm-ankerteksten.md"
    text = doc.read_text(encoding="utf-8")
    example = text.split("```toml", 1)[1].split("```", 1)[0]
    anchors = parse_anchor_texts("voorbeeld", example)
    assert anchors.text("financien", 1)
