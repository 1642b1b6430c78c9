"""Strict reading of TOML data files: unknown keys, wrong types and bad dates name file and key."""

from __future__ import annotations

import builtins
import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bwo_desktop.core.errors import DataFileError, describe_os_error


def load_toml(path: Path | str, *, text: str | None = None) -> dict[str, Any]:
    """Parse a TOML file; syntax errors and duplicate keys become a DataFileError."""
    name = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8") if text is None else text
    except OSError as exc:
        raise DataFileError(
            name, "", f"kan het bestand niet lezen ({describe_os_error(exc)})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(name, "", "het bestand is geen UTF-8-tekst") from exc
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        # tomllib reports duplicate keys as "Cannot overwrite a value".
        raise DataFileError(name, "", f"ongeldige TOML: {exc}") from exc


class Section:
    """A table of a data file, read key by key; `done()` rejects keys nobody asked for."""

    def __init__(self, path: str, data: Mapping[str, Any], prefix: str = "") -> None:
        self.path = path
        self.data = data
        self.prefix = prefix
        self._seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def error(self, name: str, problem: str) -> DataFileError:
        return DataFileError(self.path, self.key(name), problem)

    def has(self, name: str) -> builtins.bool:
        return name in self.data

    def _get(self, name: str, required: bool) -> Any:
        self._seen.add(name)
        if name not in self.data:
            if required:
                raise self.error(name, "ontbreekt")
            return None
        return self.data[name]

    def str(
        self, name: str, *, required: builtins.bool = True, allow_empty: builtins.bool = False
    ) -> Any:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(name, "moet tekst zijn")
        if not allow_empty and not value.strip():
            raise self.error(name, "mag niet leeg zijn")
        return value

    def int(
        self,
        name: builtins.str,
        *,
        required: builtins.bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> Any:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, "moet een geheel getal zijn")
        if minimum is not None and value < minimum:
            raise self.error(name, f"moet minstens {minimum} zijn")
        if maximum is not None and value > maximum:
            raise self.error(name, f"mag hoogstens {maximum} zijn")
        return value

    def bool(self, name: builtins.str, *, required: builtins.bool = True) -> Any:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(name, "moet true of false zijn")
        return value

    def date(self, name: builtins.str, *, required: builtins.bool = True) -> Any:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.error(name, "moet een TOML-datum zijn (JJJJ-MM-DD, zonder aanhalingstekens)")
        return value

    def money(self, name: builtins.str, *, required: builtins.bool = True) -> Any:
        """An amount written as a string ("204.12"): exact, non-negative, at most two decimals."""
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(name, 'bedrag moet als tekst staan, bijvoorbeeld "204.12"')
        try:
            amount = Decimal(value.strip())
        except InvalidOperation as exc:
            raise self.error(name, f"geen geldig bedrag: {value!r}") from exc
        if not amount.is_finite() or amount < 0:
            raise self.error(name, f"geen geldig bedrag: {value!r}")
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise self.error(name, f"hoogstens twee decimalen: {value!r}")
        return amount

    def table(self, name: builtins.str, *, required: builtins.bool = True) -> Section | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(name, "moet een tabel zijn")
        return Section(self.path, value, f"{self.key(name)}.")

    def tables(self, name: builtins.str, *, required: builtins.bool = True) -> list[Section]:
        """An array of tables ([[name]])."""
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(name, "moet een lijst van tabellen zijn ([[...]])")
        return [Section(self.path, v, f"{self.key(name)}[{i}].") for i, v in enumerate(value)]

    def str_list(self, name: builtins.str, *, required: builtins.bool = True) -> list[builtins.str]:
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(name, "moet een lijst van niet-lege teksten zijn")
        return list(value)

    def done(self, allowed_extra: Iterable[builtins.str] = ()) -> None:
        """Every key must have been read (or be explicitly allowed)."""
        extra = set(self.data) - self._seen - set(allowed_extra)
        if extra:
            raise self.error(sorted(extra)[0], "onbekende sleutel")
