"""Fictional export cases and planning workbooks for the Excel tests (BSNs from 9999xxxxx)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from bwo_desktop.core.tariffs import load_tariff_book
from bwo_desktop.exports.xlsx_export import ExportCase, ExportLine, ExportSegment
from bwo_desktop.imports.planning import COLUMNS


def builtin_table():  # type: ignore[no-untyped-def]
    return load_tariff_book().tables[0]


def export_case(i: int, bsn: str, *, status: str = "definitief", table=None) -> ExportCase:  # type: ignore[no-untyped-def]
    start = dt.date(2027, 1, 1)
    end = dt.date(2027, 12, 31)
    w_end = dt.date(2027, 3, 31)
    return ExportCase(
        reference=f"BWO-2027-AB12-{i:05d}",
        client_name=f"Wilde{i}, M. de",
        birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i % 5000),
        bsn=bsn,
        provider_name="Voorbeeldaanbieder Wonen",
        provider_agb="12345678",
        status=status,
        herindicatie_date=dt.date(2026, 12, 8),
        herindicatie_time=dt.time(9, 20),
        location="Locatie Dordrecht",
        consultant_name="C. Onsulent",
        outcome="ib_bw",
        ib_level_recommended="IB2",
        ib_level_decided="IB2",
        opslag_reason="overgang_intramuraal",
        opslag_start=start,
        opslag_end=w_end,
        bereikbaarheid=True,
        huisvesting=True,
        period_start=start,
        period_end=end,
        weekly_total=Decimal("514.37"),
        period_total=Decimal("24198.00"),
        warnings=("budgetcoach_required", "tariff_table_outdated"),
        zrm={"financien": 2, "werk_opleiding": 3, "huisvesting": 2, "justitie": 5},
        previous_zrm={"financien": 1, "werk_opleiding": 3} if i % 2 else None,
        previous_reference="BWO-2026-AB12-00001" if i % 2 else None,
        lines=(
            ExportLine("IB2", 275, Decimal("204.12"), Decimal("8019.00")),
            ExportLine("IB2_opslag", 90, Decimal("270.88"), Decimal("3482.74")),
            ExportLine("bereikbaarheid", 365, Decimal("36.88"), Decimal("1923.03")),
            ExportLine("huisvesting", 365, Decimal("156.61"), Decimal("8166.09")),
            ExportLine("huishoudelijke_kosten", 365, Decimal("50.00"), Decimal("2607.14")),
        ),
        segments=(
            ExportSegment("IB2_opslag", start, w_end),
            ExportSegment("IB2", dt.date(2027, 4, 1), end),
            ExportSegment("bereikbaarheid", start, end),
            ExportSegment("huisvesting", start, end),
            ExportSegment("huishoudelijke_kosten", start, end),
        ),
        current_indication_end=dt.date(2026, 12, 31),
        tariffs_used=(table,) if table is not None else (),
    )


HEADERS = [title for title, _, _ in COLUMNS.values()]


def planning_row(bsn: str, day: int = 11, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "BSN": bsn,
        "Achternaam": "Wilde",
        "Tussenvoegsel": "de",
        "Voorletters": "M.",
        "Voornaam": "Mila",
        "Geboortedatum": dt.date(1990, 5, 17),
        "Straat": "Spuiweg",
        "Huisnummer": "12",
        "Postcode": "3311 GX",
        "Woonplaats": "Dordrecht",
        "Zorgaanbieder": "Voorbeeldaanbieder Wonen",
        "Datum gesprek": dt.date(2027, 1, day),
        "Tijd": dt.time(9, 20),
        "Locatie": "Locatie Dordrecht",
        "Begeleider": "P. Begeleider",
        "Telefoon begeleider": "078-0000000",
        "E-mail begeleider": "begeleider@voorbeeld.nl",
        "Einddatum huidige indicatie": dt.date(2027, 1, 31),
        "Consulent": None,  # team mode's column; the laptop's own import ignores it
    }
    row.update(changes)
    return row


def write_planning(
    path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None
) -> Path:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Planning"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path


# What a consultant must never read in a workbook: English sheet names, internal codes
# (snake_case keys such as huishoudelijke_kosten, IB3_opslag) and command-line options.
_INTERNAL = re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b|--[a-z]")
_ENGLISH_SHEETS = {"Cases", "Lines", "Rules", "Tariffs", "Allocations"}


def workbook_strings(path: Path) -> list[tuple[str, str]]:
    """(sheet, text) for every sheet name and every text cell, headers included."""
    wb = load_workbook(path, read_only=True)
    try:
        found = [(ws.title, ws.title) for ws in wb.worksheets]
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                found.extend((ws.title, v) for v in row if isinstance(v, str))
    finally:
        wb.close()
    return found


def internal_names(strings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (sheet, text) pairs that show an English sheet name or an internal code."""
    return [
        (sheet, text)
        for sheet, text in strings
        if text in _ENGLISH_SHEETS or _INTERNAL.search(text)
    ]
