"""Errors the core raises for bad input: each carries one clear Dutch line for the user."""

from __future__ import annotations

import errno


class InputError(ValueError):
    """Invalid input from outside (JSON, TOML, workbook, form).

    `field` names where the problem is (a dotted JSON path, or "file: key");
    the message is one Dutch line the command line prints and the UI shows.
    """

    def __init__(self, field: str, problem: str) -> None:
        # A key from outside may hold a line break: the message stays one line.
        if not field.isprintable():
            field = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in field)
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)


class DataFileError(InputError):
    """A data file (tariff table, rules, catalogue, letter texts) is malformed."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        self.path = path
        self.key = key
        super().__init__(f"{path}: {key}" if key else path, problem)


# The operating system's own text (exc.strerror) is English, or in the language of the
# computer: the consultant sees one Dutch reason instead. Subclasses before OSError itself.
_OS_ERROR_TYPES: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "bestand niet gevonden"),
    (IsADirectoryError, "dit is een map"),
    (NotADirectoryError, "een deel van het pad is geen map"),
    (PermissionError, "geen toegang"),
    (FileExistsError, "het bestand bestaat al"),
    (TimeoutError, "de schijf of netwerkmap reageert niet"),
)
_OS_ERROR_NUMBERS: dict[int, str] = {
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENAMETOOLONG: "de bestandsnaam is te lang",
    errno.EACCES: "geen toegang",
    errno.EPERM: "geen toegang",
    errno.ENOENT: "bestand niet gevonden",
}
OS_ERROR_FALLBACK = "de schijf of map is niet beschikbaar"


def describe_os_error(exc: OSError) -> str:
    """A short Dutch reason for an OSError ("bestand niet gevonden"), never the English
    text of the operating system and never the path (the caller names the file)."""
    for kind, text in _OS_ERROR_TYPES:
        if isinstance(exc, kind):
            return text
    if exc.errno is not None and exc.errno in _OS_ERROR_NUMBERS:
        return _OS_ERROR_NUMBERS[exc.errno]
    return OS_ERROR_FALLBACK
