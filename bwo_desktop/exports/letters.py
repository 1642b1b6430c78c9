"""Letter texts from resources/letters/*.toml, overridable key by key from the user's letters folder.

A text is plain Dutch with named placeholders such as `{client.last_name}` or `{period.end}`
(`{{` and `}}` for literal braces). Every placeholder is checked against KNOWN_PLACEHOLDERS
when the texts are loaded, so a typo in an organisation's wording is an error at start-up
and never an empty gap in a letter that goes out. A blank line in a text starts a new
paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bwo_desktop.core.datafile import load_toml
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.limits import check_data_file_size

KNOWN_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "organisation.name",
        "organisation.city",
        "organisation.college",
        "organisation.phone",
        "organisation.website",
        "organisation.rechtbank",
        "client.name",
        "client.last_name",
        "salutation",
        "reference",
        "decision.date",
        "conversation.date",
        "conversation.location",
        "conversation.absence_reason",
        "conversation.previous_arrangement",
        "support_plan.date",
        "period.start",
        "period.end",
        "period.extension_motivation",
        "provider.name",
        "ib.level",
        "ib.name",
        "ib.recommended",
        "ib.recommended_name",
        "override.motivation",
        "criteria.not_met",
        "opslag.start",
        "opslag.end",
        "current.description",
        "transition.date",
        "transition.last_day",
        "decision.start",
        "current.end",
        "earlier.reference",
        "earlier.date",
        "verslag.sent",
        "pgb.weekly",
        "pgb.total",
        "pgb.weeks",
        "consultant.name",
        "representative.name",
        "representative.role",
    }
)

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in `text`; a stray single brace is reported as "{"/"}"."""
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        names.append(match.group(1) if match.group(1) is not None else token)
    return names


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders; a placeholder without a value is a program error (KeyError)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return values[match.group(1)]

    return _PLACEHOLDER.sub(replace, text)


_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def tidy(text: str) -> str:
    """A value that ends in a full stop ("Zorg B.V.") before the text's own full stop gives
    "B.V.."; write one stop (an ellipsis "..." stays)."""
    return _DOUBLE_STOP.sub(".", text)


@dataclass(frozen=True)
class LetterTexts:
    """The texts of one letter, keyed "section.key"."""

    name: str
    texts: dict[str, str]

    def raw(self, key: str) -> str:
        return self.texts[key]

    def get(self, key: str, values: Mapping[str, str] | None = None) -> str:
        return tidy(fill(self.texts[key], values or {}))

    def paragraphs(self, key: str, values: Mapping[str, str] | None = None) -> list[str]:
        """The filled text split at blank lines, each paragraph on one line."""
        text = self.get(key, values)
        return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _flatten(path: str, data: Mapping[str, object]) -> dict[str, str]:
    """`[section] key = "text"` → {"section.key": text}; strict about the shape."""
    texts: dict[str, str] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise DataFileError(path, section, "moet een tabel zijn ([sectie] met teksten)")
        for key, value in table.items():
            if not isinstance(value, str):
                raise DataFileError(path, f"{section}.{key}", "moet tekst zijn")
            texts[f"{section}.{key}"] = value
    return texts


def _check_placeholders(path: str, texts: Mapping[str, str]) -> None:
    for key, text in texts.items():
        if not text.strip():
            raise DataFileError(path, key, "mag niet leeg zijn")
        for name in placeholders_in(text):
            if name in ("{", "}"):
                raise DataFileError(
                    path, key, "losse accolade; schrijf {{ of }} voor een accolade in de tekst"
                )
            if name not in KNOWN_PLACEHOLDERS:
                raise DataFileError(path, key, f"onbekende invulplek {{{name}}}")


def builtin_letters_dir() -> Path:
    from bwo_desktop.core.resources import resource_path

    return resource_path("letters")


def load_letter_texts(
    name: str, *, user_dir: Path | None = None, use_user_dir: bool = True
) -> LetterTexts:
    """resources/letters/<name>.toml, with <user_dir>/<name>.toml overriding single texts.

    `user_dir` defaults to `paths.user_letters_dir()`. An override may only replace texts
    that exist in the built-in file (an unknown key is a typo, not a new text).
    """
    builtin = builtin_letters_dir() / f"{name}.toml"
    check_data_file_size(builtin)
    texts = _flatten(str(builtin), load_toml(builtin))
    _check_placeholders(str(builtin), texts)
    if use_user_dir:
        if user_dir is None:
            from bwo_desktop.paths import user_letters_dir

            user_dir = user_letters_dir()
        override = user_dir / f"{name}.toml"
        if override.is_file():
            check_data_file_size(override)  # before parsing: a huge text never reaches a letter
            extra = _flatten(str(override), load_toml(override))
            for key in extra:
                if key not in texts:
                    raise DataFileError(str(override), key, "onbekende sleutel")
            _check_placeholders(str(override), extra)
            texts.update(extra)
    return LetterTexts(name=name, texts=texts)
