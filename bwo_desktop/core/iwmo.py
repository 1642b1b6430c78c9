"""iWmo toewijzing (WMO301) settings per component, layered from `iwmo.toml` files, loaded strictly."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.resources import resource_path

# The component codes of the advice lines (advice-json.md), in letter order.
COMPONENT_CODES: tuple[str, ...] = (
    "IB1",
    "IB2",
    "IB3",
    "IB1_opslag",
    "IB2_opslag",
    "IB3_opslag",
    "bereikbaarheid",
    "huisvesting",
    "huishoudelijke_kosten",
)

# iStandaarden code lists (only the codes that make sense for a weekly tariff product).
PRODUCTCATEGORIEEN: dict[str, str] = {"02": "Begeleiding", "15": "Beschermd wonen"}  # WMO020
EENHEDEN: dict[str, str] = {  # WJ756
    "01": "minuut",
    "04": "uur",
    "14": "etmaal",
    "16": "dagdeel (4 uur)",
    "82": "stuks (output)",
    "83": "euro's",
    "84": "stuks (inspanning)",
}
FREQUENTIES: dict[str, str] = {  # WMO757
    "1": "per dag",
    "2": "per week",
    "4": "per maand",
    "6": "totaal binnen geldigheidsduur toewijzing",
}
REDEN_WIJZIGING_NAMES: dict[str, str] = {  # WMO002 (the two a herindicatie uses)
    "04": "herbeoordeling verlenging",
    "05": "herbeoordeling verkorting",
}

_PRODUCTCODE = re.compile(r"^[0-9A-Za-z]{5}$")
_FIELDS = ("productcategorie", "productcode", "eenheid", "frequentie", "volume")


@dataclass(frozen=True)
class IwmoProduct:
    """How one component is entered as a toewijzing."""

    productcategorie: str
    productcode: str  # "" until agreed with the municipality
    eenheid: str
    frequentie: str
    volume: int


@dataclass(frozen=True)
class IwmoSettings:
    products: Mapping[str, IwmoProduct]
    reden_verlenging: str
    reden_verkorting: str

    def product(self, code: str) -> IwmoProduct:
        return self.products[code]


def builtin_iwmo_file() -> Path:
    return resource_path("iwmo.toml")


USER_FILE_NAME = "iwmo.toml"  # in the user data folder (the caller passes its path)


def _code(section: Section, name: str, allowed: Mapping[str, str]) -> str | None:
    value = section.str(name, required=False)
    if value is None:
        return None
    value = value.strip()
    if value not in allowed:
        choices = ", ".join(f'"{k}" ({v})' for k, v in allowed.items())
        raise section.error(name, f"onbekende code {value!r}; kies uit {choices}")
    return str(value)


def _read_layer(path: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """One file: every key optional, every key checked. Returns {(component, field): value}."""
    root = Section(path, data)
    layer: dict[str, Any] = {}
    reden = root.table("reden_wijziging", required=False)
    if reden is not None:
        for name in ("verlenging", "verkorting"):
            value = _code(reden, name, REDEN_WIJZIGING_NAMES)
            if value is not None:
                layer[f"reden.{name}"] = value
        reden.done()
    components = root.table("components", required=False)
    if components is not None:
        for code in COMPONENT_CODES:
            table = components.table(code, required=False)
            if table is None:
                continue
            values: dict[str, Any] = {
                "productcategorie": _code(table, "productcategorie", PRODUCTCATEGORIEEN),
                "eenheid": _code(table, "eenheid", EENHEDEN),
                "frequentie": _code(table, "frequentie", FREQUENTIES),
                "volume": table.int("volume", required=False, minimum=1, maximum=99_999),
            }
            productcode = table.str("productcode", required=False, allow_empty=True)
            if productcode is not None:
                productcode = productcode.strip()
                if productcode and not _PRODUCTCODE.match(productcode):
                    raise table.error(
                        "productcode",
                        f"vijf letters of cijfers verwacht (of leeg): {productcode!r}",
                    )
            values["productcode"] = productcode
            table.done()
            for name, value in values.items():
                if value is not None:
                    layer[f"{code}.{name}"] = value
        components.done()
    root.done()
    return layer


def load_iwmo_settings(
    extra_files: Iterable[Path | str] = (), *, user_file: Path | None = None
) -> IwmoSettings:
    """Built-in < `user_file` (when it exists; pass `paths.user_data_dir() / USER_FILE_NAME`)
    < each explicit file, key by key. The core stays free of platformdirs, as for tariffs."""
    builtin = builtin_iwmo_file()
    merged = _read_layer(str(builtin), load_toml(builtin))
    layers: list[Path] = []
    if user_file is not None and user_file.is_file():
        layers.append(user_file)
    layers.extend(Path(p) for p in extra_files)
    for path in layers:
        merged.update(_read_layer(str(path), load_toml(path)))
    return _build(str(builtin), merged)


def _build(path: str, merged: Mapping[str, Any]) -> IwmoSettings:
    products: dict[str, IwmoProduct] = {}
    for code in COMPONENT_CODES:
        for name in _FIELDS:
            if f"{code}.{name}" not in merged:
                raise DataFileError(path, f"components.{code}.{name}", "ontbreekt")
        products[code] = IwmoProduct(**{name: merged[f"{code}.{name}"] for name in _FIELDS})
    for name in ("verlenging", "verkorting"):
        if f"reden.{name}" not in merged:
            raise DataFileError(path, f"reden_wijziging.{name}", "ontbreekt")
    return IwmoSettings(
        products=products,
        reden_verlenging=merged["reden.verlenging"],
        reden_verkorting=merged["reden.verkorting"],
    )


def with_product(settings: IwmoSettings, code: str, **changes: Any) -> IwmoSettings:
    """A copy with one component changed (tests, and the UI's settings screen later)."""
    products = dict(settings.products)
    products[code] = replace(products[code], **changes)
    return replace(settings, products=products)
