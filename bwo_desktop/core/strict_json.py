"""Strict JSON for the contracts (advise input, case files): one reader, one object walker.

`load_json_strict` refuses malformed JSON (with line and column), duplicate keys, NaN and
Infinity and absurdly deep nesting; `read_json_file` adds the file handling both commands
share (not found, not UTF-8, a Windows BOM). `StrictObject` reads one JSON object key by
key and names the dotted field of every problem; the parsers build on it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any, TypeVar

from bwo_desktop.core.errors import InputError, describe_os_error

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
STDIN = "-"
STDIN_NAME = "standaardinvoer"

_Self = TypeVar("_Self", bound="StrictObject")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is geen geldige JSON-waarde")


def load_json_strict(text: str, where: str) -> Any:
    """Parse JSON text; malformed JSON (with line and column), duplicate keys, NaN/Infinity
    and nesting too deep to read are an InputError naming `where` (usually the file name)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except _DuplicateKey as exc:
        raise InputError(where, f"sleutel {exc.key!r} staat dubbel in hetzelfde object") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            where, f"ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError:
        raise InputError(where, "ongeldige JSON: te diep geneste lijsten of objecten") from None
    except ValueError as exc:
        raise InputError(where, f"ongeldige JSON: {exc}") from exc


def read_json_file(source: Path | str) -> Any:
    """Read and parse a JSON file strictly ("-" reads standard input). A UTF-8 byte-order
    mark (Windows Notepad) is allowed; every problem is one InputError naming the file."""
    from bwo_desktop.core.limits import MAX_JSON_FILE_BYTES, check_file_size, check_text_lengths

    name = str(source)
    if name == STDIN:
        text = sys.stdin.read(MAX_JSON_FILE_BYTES + 1)
        check_file_size(STDIN_NAME, len(text.encode("utf-8")))
        data = load_json_strict(text.removeprefix("\ufeff"), STDIN_NAME)
        check_text_lengths(data)
        return data
    try:
        # The size before reading: a huge file is refused without loading it.
        check_file_size(name, Path(source).stat().st_size)
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(name, "bestand niet gevonden") from exc
    except UnicodeDecodeError as exc:
        raise InputError(name, "het bestand is geen UTF-8-tekst") from exc
    except OSError as exc:
        raise InputError(name, f"kan het bestand niet lezen ({describe_os_error(exc)})") from exc
    data = load_json_strict(text.removeprefix("\ufeff"), name)
    check_text_lengths(data)
    return data


def iso_date_or_none(value: object) -> dt.date | None:
    """A date stored as ISO text in JSON we wrote ourselves; anything else is None (lenient:
    for reading stored cases, never for input from outside)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def show(value: object) -> str:
    """A value as JSON for an error line, cut to 40 characters."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


class StrictObject:
    """One JSON object read key by key. `field` is its dotted name ("" for the root) and
    `prefix` goes before every name (e.g. "assessment." inside a case file)."""

    def __init__(self, data: object, field: str, prefix: str = "", *, root_name: str) -> None:
        self.field = field
        self.prefix = prefix
        self.root_name = root_name
        if not isinstance(data, dict):
            where = f"{prefix}{field}" if field else (prefix.rstrip(".") or root_name)
            raise InputError(where, f"moet een JSON-object zijn, niet {show(data)}")
        self.data: dict[str, Any] = data

    def name(self, key: str) -> str:
        return f"{self.prefix}{self.field}.{key}" if self.field else f"{self.prefix}{key}"

    def only(self, allowed: tuple[str, ...] | dict[str, Any]) -> None:
        for key in self.data:
            if key not in allowed:
                raise InputError(self.name(key), "onbekende sleutel")

    def value(self, key: str, required: bool) -> Any:
        """The raw value; null counts as absent, and absent or null is an error when required."""
        value = self.data.get(key)
        if value is None and required:
            if key in self.data:
                raise InputError(self.name(key), "is verplicht en mag niet null zijn")
            raise InputError(self.name(key), "ontbreekt")
        return value

    def date(self, key: str, *, required: bool = False, plausible: bool = True) -> dt.date | None:
        """An ISO date; with `plausible` (all dates of a case but a birth date) it must lie
        between 2000 and 2100 (`core.plausibility`)."""
        value = self.value(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise InputError(
                self.name(key), f"moet een datum zijn in de vorm JJJJ-MM-DD, niet {show(value)}"
            )
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise InputError(self.name(key), f"deze datum bestaat niet: {value}") from exc
        if plausible:
            from bwo_desktop.core.plausibility import date_problem

            problem = date_problem(day)
            if problem:
                raise InputError(self.name(key), problem)
        return day

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self.value(key, required)
        if value is not None and not isinstance(value, bool):
            raise InputError(self.name(key), f"moet true of false zijn, niet {show(value)}")
        return value

    def text(self, key: str, *, required: bool = False, non_empty: bool = False) -> str | None:
        value = self.value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(self.name(key), f"moet tekst zijn, niet {show(value)}")
        if non_empty and not value.strip():
            raise InputError(self.name(key), "mag niet leeg zijn")
        return value

    def obj(self: _Self, key: str, *, required: bool = False) -> _Self | None:
        """A nested object (None when absent or null), read the same strict way."""
        value = self.value(key, required)
        if value is None:
            return None
        field = f"{self.field}.{key}" if self.field else key
        return type(self)(value, field, self.prefix, root_name=self.root_name)
