"""Bounds on input from outside (issue 12), checked before and right after parsing: a file
or a field past them is refused with one Dutch line, never parsed further or rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bwo_desktop.core.errors import DataFileError, InputError, describe_os_error

MAX_JSON_FILE_BYTES = 5 * 1024 * 1024  # a case file or advise input; real ones are ~10 KB
MAX_TEXT_CHARS = 10_000  # any one text field (a motivation, a note, a name)
# A letter-text or organisation file; the built-in beschikking texts are about 15 KB.
MAX_LETTER_TEXT_BYTES = 100 * 1024


def check_file_size(name: str, size: int, limit: int = MAX_JSON_FILE_BYTES) -> None:
    if size > limit:
        raise InputError(
            name, f"het bestand is te groot ({size // 1024} kB; hoogstens {limit // 1024} kB)"
        )


def check_text_lengths(data: Any, where: str = "", limit: int = MAX_TEXT_CHARS) -> None:
    """Every string in parsed JSON (keys and values) is at most `limit` characters; the
    error names the field, e.g. "motivations.need_24_7"."""
    stack: list[tuple[str, Any]] = [(where, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if len(value) > limit:
                raise InputError(
                    path or "tekst",
                    f"de tekst is te lang ({len(value)} tekens; hoogstens {limit})",
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if len(str(key)) > limit:
                    raise InputError(path or "sleutel", "een sleutel is te lang")
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))


def check_data_file_size(path: Path | str, limit: int = MAX_LETTER_TEXT_BYTES) -> None:
    """A data file (letter texts, organisation) past `limit` bytes is refused before it is
    read or parsed: a DataFileError naming the file."""
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"kan het bestand niet lezen ({describe_os_error(exc)})"
        ) from exc
    if size > limit:
        raise DataFileError(
            str(path),
            "",
            f"het bestand is te groot ({size // 1024} kB; hoogstens {limit // 1024} kB)",
        )
