"""The downloadable planning template (.xlsx): the expected headers, one fictional example
row and a sheet of notes; written with openpyxl, read back by `imports.planning`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bwo_desktop.imports.planning import COLUMNS, MAX_ROWS

EXAMPLE_ROW: dict[str, Any] = {
    "bsn": "999900018",  # test range 9999xxxxx: never a real person
    "last_name": "Voorbeeld",
    "prefix": "de",
    "initials": "J.A.",
    "first_name": "Jan",
    "birth_date": dt.date(1990, 5, 17),
    "street": "Voorbeeldstraat",
    "house_number": "12a",
    "postcode": "3311 AB",
    "city": "Dordrecht",
    "provider_name": "Voorbeeldaanbieder Wonen",
    "date": dt.date(2027, 1, 11),
    "time": dt.time(9, 20),
    "location": "Locatie Voorbeeldstraat 1, Dordrecht",
    "begeleider_name": "P. Begeleider",
    "begeleider_phone": "078-0000000",
    "begeleider_email": "begeleider@voorbeeld.nl",
    "current_end_date": dt.date(2027, 1, 31),
    "consultant": "J. Consulent",
}

NOTES: dict[str, str] = {
    "bsn": "9 cijfers, moet de 11-proef halen. Een voorloopnul mag ontbreken.",
    "last_name": "Achternaam zonder tussenvoegsel.",
    "prefix": "Bijvoorbeeld: de, van, van der.",
    "initials": "Voorletters of voornaam is verplicht.",
    "first_name": "Voorletters of voornaam is verplicht.",
    "birth_date": "Excel-datum of tekst DD-MM-JJJJ.",
    "street": "Straat van de cliënt (optioneel; de beschikking heeft het adres nodig).",
    "house_number": "Huisnummer met toevoeging (optioneel).",
    "postcode": "Postcode, bijvoorbeeld 3311 AB (optioneel).",
    "city": "Woonplaats van de cliënt (optioneel).",
    "provider_name": "Naam van de zorgaanbieder (wordt op naam gekoppeld).",
    "date": "Datum van het herindicatiegesprek: Excel-datum of DD-MM-JJJJ.",
    "time": "Aanvangstijd: Excel-tijd of tekst zoals 9:20 of 09.20.",
    "location": "Waar het gesprek plaatsvindt.",
    "begeleider_name": "Naam van de begeleider (optioneel).",
    "begeleider_phone": "Telefoonnummer van de begeleider (optioneel).",
    "begeleider_email": "E-mailadres van de begeleider (optioneel).",
    "current_end_date": "Einddatum van de huidige indicatie (optioneel).",
    "consultant": (
        "Alleen voor het kantoor (teammodus): de consulent die de casus krijgt (optioneel; "
        "de laptop negeert deze kolom)."
    ),
}


def write_template(path: Path | str) -> None:
    """The downloadable template: the expected headers, one fictional example row, notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Planning"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (key, (title, required, _)) in enumerate(COLUMNS.items(), start=1):
        header = sheet.cell(row=1, column=col, value=title)
        header.font = bold
        if required:
            header.fill = fill
        example = sheet.cell(row=2, column=col, value=EXAMPLE_ROW[key])
        if isinstance(EXAMPLE_ROW[key], dt.date):
            example.number_format = "DD-MM-YYYY"
        elif isinstance(EXAMPLE_ROW[key], dt.time):
            example.number_format = "HH:MM"
        elif key == "bsn":
            example.number_format = "@"  # text: keeps a leading zero
        sheet.column_dimensions[get_column_letter(col)].width = max(12, len(title) + 4)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("Toelichting")
    notes.append(["Kolom", "Verplicht", "Toelichting"])
    for cell in notes[1]:
        cell.font = bold
    for key, (title, required, _) in COLUMNS.items():
        notes.append([title, "ja" if required else "nee", NOTES[key]])
    notes.append([])
    for line in (
        "Vervang de voorbeeldrij (fictief, BSN uit de testreeks) door de echte planning.",
        "Kolommen worden op naam herkend, niet op volgorde; extra kolommen worden genegeerd.",
        "Gebruik waarden, geen formules. Lege rijen worden overgeslagen.",
        f"Hoogstens {MAX_ROWS} rijen per bestand. Bij een fout wordt niets geïmporteerd.",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 70
    workbook.properties.title = "Sjabloon herindicatieplanning"
    workbook.properties.creator = "bwo-desktop"
    workbook.save(Path(path))
