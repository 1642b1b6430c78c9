"""Letter texts are bounded (issue 12): a letter-text file or an organisation file over
100 KB is refused before it is parsed, with an error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.limits import MAX_LETTER_TEXT_BYTES
from bwo_desktop.exports import letters
from bwo_desktop.exports.letters import builtin_letters_dir, load_letter_texts
from bwo_desktop.exports.organisation import load_organisation


def _padded(path: Path, text: str, size: int) -> Path:
    """A valid TOML file of `size` bytes (a long comment after the texts)."""
    body = text.encode("utf-8") + b"\n# "
    path.write_bytes(body + b"x" * (size - len(body)))
    return path


def test_builtin_letter_texts_are_under_the_limit() -> None:
    for path in builtin_letters_dir().glob("*.toml"):
        assert path.stat().st_size <= MAX_LETTER_TEXT_BYTES, path.name


def test_an_oversized_letter_override_is_refused_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    override = _padded(tmp_path / "beschikking.toml", "", MAX_LETTER_TEXT_BYTES + 1)
    parsed: list[str] = []
    real = letters.load_toml
    monkeypatch.setattr(
        letters, "load_toml", lambda p, **kw: parsed.append(str(p)) or real(p, **kw)
    )
    with pytest.raises(DataFileError) as info:
        load_letter_texts("beschikking", user_dir=tmp_path)
    assert info.value.path == str(override) and "te groot" in str(info.value)
    assert str(override) not in parsed
    _padded(override, "", MAX_LETTER_TEXT_BYTES)  # exactly at the limit: read
    assert load_letter_texts("beschikking", user_dir=tmp_path).texts


def test_an_oversized_builtin_letter_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (builtin_letters_dir() / "verslag.toml").read_text(encoding="utf-8")
    _padded(tmp_path / "verslag.toml", text, MAX_LETTER_TEXT_BYTES + 1)
    monkeypatch.setattr(letters, "builtin_letters_dir", lambda: tmp_path)
    with pytest.raises(DataFileError, match="te groot"):
        load_letter_texts("verslag", use_user_dir=False)


def test_an_oversized_organisation_file_is_refused(tmp_path: Path) -> None:
    big = _padded(tmp_path / "organisatie.toml", "", 2 * MAX_LETTER_TEXT_BYTES)
    with pytest.raises(DataFileError) as info:
        load_organisation(big, use_settings=False)
    assert info.value.path == str(big) and "te groot" in str(info.value)
