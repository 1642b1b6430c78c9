"""The organisation's letterhead and legal details (who decides, where bezwaar goes), loaded strictly.

Layers, like the tariffs and rules: the built-in resources/organisation.toml (complete) <
an `[organisation]` table in the user's settings file < an explicit `--organisation` file. An
override may set any subset of the keys; an unknown key is an error naming file and key, so
the app never prints an empty or misspelt placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.limits import check_data_file_size

_TEXT_KEYS: tuple[str, ...] = (
    "name",
    "department",
    "city",
    "phone",
    "website",
    "college",
    "mandate",
    "signature_role",
    "bezwaar_addressee",
    "bezwaar_digital",
    "rechtbank",
    "eigen_bijdrage",
    "legal_basis",
    "route_regular_ib",
    "route_intramural",
    "clientondersteuning",
    "pgb_conditions",
)
_LINES_KEYS: tuple[str, ...] = (
    "visiting_address",
    "postal_address",
    "bezwaar_address",
    "rechtbank_address",
)
# Keys that may be empty (an organisation without a digital bezwaar route or a department).
_MAY_BE_EMPTY: frozenset[str] = frozenset({"department", "bezwaar_digital"})


@dataclass(frozen=True)
class Organisation:
    name: str
    department: str
    city: str
    phone: str
    website: str
    college: str
    mandate: str
    signature_role: str
    bezwaar_addressee: str
    bezwaar_digital: str
    rechtbank: str
    eigen_bijdrage: str
    legal_basis: str
    route_regular_ib: str
    route_intramural: str
    clientondersteuning: str
    pgb_conditions: str
    visiting_address: tuple[str, ...]
    postal_address: tuple[str, ...]
    bezwaar_address: tuple[str, ...]
    rechtbank_address: tuple[str, ...]
    logo: Path | None = None
    origins: tuple[str, ...] = ()


def _parse_layer(section: Section, base_dir: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in _TEXT_KEYS:
        text = section.str(key, required=False, allow_empty=key in _MAY_BE_EMPTY)
        if text is not None:
            values[key] = text.strip()
    for key in _LINES_KEYS:
        if section.has(key):
            values[key] = tuple(section.str_list(key))
    logo = section.str("logo", required=False, allow_empty=True)
    if logo is not None:
        if logo.strip():
            path = Path(logo.strip())
            path = path if path.is_absolute() else base_dir / path
            if not path.is_file():
                raise section.error("logo", f"logobestand niet gevonden: {path}")
            if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
                raise section.error("logo", "het logo moet een PNG- of JPEG-bestand zijn")
            values["logo"] = path
        else:
            values["logo"] = None
    section.done()
    return values


def parse_organisation_file(path: Path | str, *, table: str | None = None) -> dict[str, Any]:
    """The values one file sets (a subset). `table` reads only that table (the settings file)."""
    path = Path(path)
    check_data_file_size(path)  # its texts go into letters: bounded before parsing
    data = load_toml(path)
    if table is not None:
        if table not in data:
            return {}
        sub = data[table]
        if not isinstance(sub, dict):
            raise DataFileError(str(path), table, "moet een tabel zijn")
        return _parse_layer(Section(str(path), sub, f"{table}."), path.parent)
    return _parse_layer(Section(str(path), data), path.parent)


def builtin_organisation_file() -> Path:
    from bwo_desktop.core.resources import resource_path

    return resource_path("organisation.toml")


def _merge(layers: list[tuple[str, dict[str, Any]]]) -> Organisation:
    merged: dict[str, Any] = {"logo": None}
    for _origin, values in layers:
        merged.update(values)
    first = layers[0][0]
    for key in (*_TEXT_KEYS, *_LINES_KEYS):
        if key not in merged:
            raise DataFileError(first, key, "ontbreekt")
        if key in _LINES_KEYS and not merged[key]:
            raise DataFileError(first, key, "mag niet leeg zijn")
    return Organisation(**merged, origins=tuple(origin for origin, _ in layers))


def load_organisation(
    path: Path | str | None = None,
    *,
    settings_file: Path | None = None,
    use_settings: bool = True,
) -> Organisation:
    """Built-in < the `[organisation]` table of the user's settings file < `path`.

    `settings_file` defaults to `paths.user_settings_file()`; `use_settings=False` leaves the
    user's settings out (tests, reproducible output).
    """
    builtin = builtin_organisation_file()
    layers: list[tuple[str, dict[str, Any]]] = [(str(builtin), parse_organisation_file(builtin))]
    if use_settings:
        if settings_file is None:
            from bwo_desktop.paths import user_settings_file

            settings_file = user_settings_file()
        if settings_file.is_file():
            layers.append(
                (str(settings_file), parse_organisation_file(settings_file, table="organisation"))
            )
    if path is not None:
        if not Path(path).is_file():
            raise DataFileError(str(path), "", "bestand niet gevonden")
        layers.append((str(path), parse_organisation_file(path)))
    return _merge(layers)
