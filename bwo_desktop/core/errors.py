"""Errors the core raises for bad input: each carries one clear Dutch line for the user."""

from __future__ import annotations


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
