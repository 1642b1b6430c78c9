"""Reading a herindicatie planning workbook (.xlsx) into checked rows: pure, no database.

A planning list comes from outside (a provider, the back office), so the file is treated as
hostile until proven otherwise: the signature and the archive's member sizes are checked
before openpyxl parses anything, the sheet is read in read-only mode (bounded memory), rows
and columns are capped, and formulas are refused (we import values, never what a formula
would have computed in someone else's Excel). Every row is then validated and ALL problems
are reported together as (row, column, Dutch reason), so a consultant fixes the list once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_short, normalise_postcode
from bwo_desktop.core.plausibility import birth_date_problem
from bwo_desktop.imports.planning_cells import (
    CellError,
    ExcelError,
    cell_bsn,
    cell_date,
    cell_text,
    cell_time,
    clean_text,
)
from bwo_desktop.imports.xlsx_guard import PlanningFileError as PlanningFileError
from bwo_desktop.imports.xlsx_guard import check_archive as check_archive

MAX_ROWS = 5_000  # data rows; a planning list is tens to hundreds of rows
MAX_COLUMNS = 60
MAX_WIDE_ROWS = 50  # rows with (empty, styled) cells beyond MAX_COLUMNS before we refuse

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# field -> (column name in the template, required, accepted header variants (normalised))
COLUMNS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "bsn": ("BSN", True, ("bsn", "burgerservicenummer", "bsn nummer", "bsnnummer", "bsn client")),
    "last_name": (
        "Achternaam",
        True,
        ("achternaam", "naam", "geslachtsnaam", "achternaam client", "familienaam"),
    ),
    "prefix": ("Tussenvoegsel", False, ("tussenvoegsel", "tussenvoegsels", "voorvoegsel")),
    "initials": ("Voorletters", False, ("voorletters", "initialen", "voorletter")),
    "first_name": ("Voornaam", False, ("voornaam", "voornamen", "roepnaam")),
    "birth_date": (
        "Geboortedatum",
        True,
        ("geboortedatum", "geb datum", "geboorte datum", "geb datum client", "geboren"),
    ),
    "street": ("Straat", False, ("straat", "straatnaam", "adres", "adres client")),
    "house_number": ("Huisnummer", False, ("huisnummer", "huisnr", "huisnummer toevoeging")),
    "postcode": ("Postcode", False, ("postcode", "postcode client")),
    "city": ("Woonplaats", False, ("woonplaats", "plaats", "woonplaats client")),
    "provider_name": (
        "Zorgaanbieder",
        True,
        ("zorgaanbieder", "aanbieder", "zorg aanbieder", "naam zorgaanbieder", "instelling"),
    ),
    "date": (
        "Datum gesprek",
        True,
        (
            "datum gesprek",
            "datum",
            "gespreksdatum",
            "datum herindicatie",
            "herindicatiedatum",
            "datum herindicatiegesprek",
            "afspraak datum",
        ),
    ),
    "time": (
        "Tijd",
        True,
        ("tijd", "tijdstip", "aanvangstijd", "tijd gesprek", "starttijd", "begintijd"),
    ),
    "location": (
        "Locatie",
        True,
        ("locatie", "locatie gesprek", "plaats gesprek", "adres gesprek", "gesprekslocatie"),
    ),
    "begeleider_name": (
        "Begeleider",
        False,
        ("begeleider", "naam begeleider", "persoonlijk begeleider", "contactpersoon"),
    ),
    "begeleider_phone": (
        "Telefoon begeleider",
        False,
        (
            "telefoon begeleider",
            "telefoonnummer begeleider",
            "tel begeleider",
            "telefoon",
            "telefoonnummer",
        ),
    ),
    "begeleider_email": (
        "E-mail begeleider",
        False,
        (
            "e mail begeleider",
            "email begeleider",
            "mail begeleider",
            "e mail",
            "email",
            "mailadres",
        ),
    ),
    "current_end_date": (
        "Einddatum huidige indicatie",
        False,
        ("einddatum huidige indicatie", "einddatum indicatie", "einddatum", "huidige einddatum"),
    ),
    # Team mode: the consultant who gets the case (`server import-planning`); the laptop's
    # own import reads it and ignores it (the laptop's consultant gets every case there).
    "consultant": (
        "Consulent",
        False,
        (
            "consulent",
            "consulent wmo",
            "wmo consulent",
            "naam consulent",
            "behandelaar",
            "behandelend consulent",
        ),
    ),
}
_HEADER_TO_FIELD: dict[str, str] = {
    variant: key for key, (_, _, variants) in COLUMNS.items() for variant in variants
}


@dataclass(frozen=True)
class PlanningRow:
    """One planned herindicatie conversation, checked."""

    row: int  # row number in the sheet, for messages
    bsn: str
    last_name: str
    birth_date: dt.date
    provider_name: str
    date: dt.date
    time: dt.time
    location: str
    prefix: str | None = None
    initials: str | None = None
    first_name: str | None = None
    begeleider_name: str | None = None
    begeleider_phone: str | None = None
    begeleider_email: str | None = None
    current_end_date: dt.date | None = None
    # The client's address, when the list has it (a letter needs it; else typed in the app).
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    consultant: str | None = None  # team mode: who gets the case at the office


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    reason: str
    client: str = ""  # "Wilde, M. de" when the row's name could be read: whose row it is

    def __str__(self) -> str:
        who = f" ({self.client})" if self.client else ""
        return f"rij {self.row}{who}: {self.column}: {self.reason}"


@dataclass
class PlanningRead:
    """What was read: the checked rows, or the errors (then `rows` must not be imported)."""

    file_name: str
    sheet: str
    rows: list[PlanningRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class PlanningRowsError(InputError):
    """Rows with errors: nothing may be imported. `errors` holds every problem found."""

    def __init__(self, file_name: str, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(
            file_name, f"{len(self.errors)} fout(en) in de planning; niets geïmporteerd"
        )


def normalise_header(text: str) -> str:
    """ " E-mail  Begeleider* " -> "e mail begeleider"; accents and case do not matter."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"\(.*?\)", " ", plain)  # "Datum gesprek (dd-mm-jjjj)"
    plain = re.sub(r"[^0-9a-z]+", " ", plain)
    return " ".join(plain.split())


# ---------------------------------------------------------------------------- the file


def _open_sheet(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions, styles
            workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types on damaged XML
        raise PlanningFileError(
            path.name, "het bestand is beschadigd en kan niet worden gelezen"
        ) from exc
    sheets = [ws for ws in workbook.worksheets if hasattr(ws, "reset_dimensions")]
    if not sheets:
        workbook.close()
        raise PlanningFileError(path.name, "de werkmap bevat geen werkblad")
    hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
    if hidden:
        workbook.close()
        names = ", ".join(f"'{title}'" for title in hidden)
        raise PlanningFileError(
            path.name,
            f"de werkmap heeft verborgen werkbladen ({names}); alleen wat Excel laat zien "
            "wordt ingelezen: maak ze zichtbaar of verwijder ze, en probeer opnieuw",
        )
    chosen = next((ws for ws in sheets if normalise_header(ws.title) == "planning"), sheets[0])
    hidden_rows = _hidden_rows(chosen)
    if hidden_rows:
        workbook.close()
        shown = ", ".join(str(n) for n in hidden_rows[:10]) + (
            " …" if len(hidden_rows) > 10 else ""
        )
        raise PlanningFileError(
            path.name,
            f"het werkblad heeft verborgen rijen ({shown}); alleen wat Excel laat zien wordt "
            "ingelezen: maak de rijen zichtbaar of verwijder ze, en probeer opnieuw",
        )
    # A declared dimension (A1:XFD1048576) would make openpyxl pad every row to it.
    chosen.reset_dimensions()
    return workbook, chosen


def _hidden_rows(sheet: Any) -> list[int]:
    """Row numbers marked hidden in the sheet's XML (openpyxl's read-only mode does not read
    row properties). The archive passed the size checks of `xlsx_guard` before this."""
    from xml.etree.ElementTree import iterparse

    found: list[int] = []
    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("end",)):
            if element.tag.endswith("}row") or element.tag == "row":
                if element.get("hidden") in ("1", "true"):
                    found.append(int(element.get("r") or 0))
                element.clear()
    return found


def _raw_rows(path: Path, sheet: Any) -> Iterable[tuple[int, list[Any]]]:
    """(row number, cells) for non-empty rows; refuses formulas, too many rows or columns."""
    data_rows = 0
    wide_rows = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # out-of-range date serials are warned about, then "e"
        for index, cells in enumerate(sheet.iter_rows(), start=1):
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                if any(getattr(c, "value", None) not in (None, "") for c in cells[MAX_COLUMNS:]):
                    raise PlanningFileError(
                        path.name, f"rij {index} heeft gegevens voorbij kolom {MAX_COLUMNS}"
                    )
                wide_rows += 1
                if wide_rows > MAX_WIDE_ROWS:
                    raise PlanningFileError(path.name, "het werkblad heeft te veel kolommen")
                cells = cells[:MAX_COLUMNS]
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise PlanningFileError(
                        path.name,
                        f"cel {cell.coordinate} bevat een formule; plak de lijst als waarden "
                        "(Plakken speciaal > Waarden) en probeer opnieuw",
                    )
            values = [
                ExcelError(str(c.value))
                if getattr(c, "data_type", None) == "e"
                else getattr(c, "value", None)
                for c in cells
            ]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            data_rows += 1
            if data_rows > MAX_ROWS + 1:  # + the header row
                raise PlanningFileError(
                    path.name, f"te veel rijen: hoogstens {MAX_ROWS} herindicaties per bestand"
                )
            yield index, values


def read_planning(path: Path | str) -> PlanningRead:
    """Read and check a planning workbook. Refusals of the whole file raise
    PlanningFileError; row problems are collected in `PlanningRead.errors`."""
    path = Path(path)
    check_archive(path)
    workbook, sheet = _open_sheet(path)
    try:
        try:
            raw = list(_raw_rows(path, sheet))
        except PlanningFileError:
            raise
        except Exception as exc:  # damaged sheet XML discovered while streaming
            raise PlanningFileError(
                path.name, "het werkblad is beschadigd en kan niet worden gelezen"
            ) from exc
    finally:
        workbook.close()
    result = PlanningRead(file_name=path.name, sheet=str(sheet.title))
    if not raw:
        raise PlanningFileError(path.name, "het werkblad is leeg")
    header_row, header_values = raw[0]
    columns, header_errors = _match_headers(header_row, header_values)
    result.errors.extend(header_errors)
    if header_errors:
        return result
    if len(raw) == 1:
        raise PlanningFileError(path.name, "het werkblad bevat alleen kopjes, geen herindicaties")
    for row_number, values in raw[1:]:
        row, errors = _parse_row(row_number, values, columns)
        result.errors.extend(errors)
        if row is not None:
            result.rows.append(row)
    result.errors.extend(_duplicates(result.rows))
    result.errors.sort()
    if result.errors:
        result.rows = []
    return result


def read_planning_or_raise(path: Path | str) -> list[PlanningRow]:
    read = read_planning(path)
    if read.errors:
        raise PlanningRowsError(read.file_name, read.errors)
    return read.rows


# ---------------------------------------------------------------------------- headers and rows


def _match_headers(row_number: int, values: list[Any]) -> tuple[dict[str, int], list[RowError]]:
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            continue
        key = _HEADER_TO_FIELD.get(normalise_header(value))
        if key is None:
            continue  # extra columns (remarks...) are allowed and ignored
        if key in columns:
            errors.append(
                RowError(
                    row_number,
                    clean_text(value),
                    f"kolom komt twee keer voor ({COLUMNS[key][0]})",
                )
            )
            continue
        columns[key] = index
    for key, (title, required, _) in COLUMNS.items():
        if required and key not in columns:
            errors.append(RowError(row_number, title, "kolom ontbreekt"))
    if "initials" not in columns and "first_name" not in columns:
        errors.append(RowError(row_number, "Voorletters", "kolom ontbreekt (of Voornaam)"))
    return columns, errors


def _parse_row(
    row_number: int, values: list[Any], columns: dict[str, int]
) -> tuple[PlanningRow | None, list[RowError]]:
    errors: list[RowError] = []
    parsed: dict[str, Any] = {}

    def cell(key: str) -> Any:
        index = columns.get(key)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, str) and not value.strip():
            return None
        return value

    converters = {
        "bsn": cell_bsn,
        "birth_date": cell_date,
        "date": cell_date,
        "current_end_date": cell_date,
        "time": cell_time,
    }
    for key, (title, required, _) in COLUMNS.items():
        value = cell(key)
        if value is None:
            if required:
                errors.append(RowError(row_number, title, "verplicht"))
            parsed[key] = None
            continue
        if isinstance(value, ExcelError):
            errors.append(RowError(row_number, title, f"foutwaarde in de cel ({value.code})"))
            parsed[key] = None
            continue
        try:
            parsed[key] = converters.get(key, cell_text)(value)
        except CellError as exc:
            errors.append(RowError(row_number, title, str(exc)))
            parsed[key] = None
        except (ValueError, OverflowError, TypeError):
            errors.append(RowError(row_number, title, "onleesbare waarde"))
            parsed[key] = None
        if required and parsed[key] is None and not any(e.column == title for e in errors):
            errors.append(RowError(row_number, title, "verplicht"))  # only spaces or control codes

    if (
        parsed.get("initials") is None
        and parsed.get("first_name") is None
        and not any(e.column in ("Voorletters", "Voornaam") for e in errors)
    ):
        errors.append(RowError(row_number, "Voorletters", "voorletters of voornaam is verplicht"))
    today = dt.date.today()
    birth = parsed.get("birth_date")
    when = parsed.get("date")
    if birth is not None:
        # One rule for every input (core.plausibility): not in the future, age 16-120 on the
        # conversation date.
        on = when if isinstance(when, dt.date) and when >= birth else today
        if birth_date_problem(birth, on):
            errors.append(
                RowError(
                    row_number,
                    "Geboortedatum",
                    f"onmogelijke geboortedatum {format_date_short(birth)}",
                )
            )
    if when is not None and not (2000 <= when.year <= today.year + 5):
        errors.append(
            RowError(
                row_number, "Datum gesprek", f"onwaarschijnlijke datum {format_date_short(when)}"
            )
        )
    if birth is not None and when is not None and when <= birth:
        errors.append(RowError(row_number, "Datum gesprek", "ligt niet na de geboortedatum"))
    end = parsed.get("current_end_date")
    if end is not None and not (2000 <= end.year <= today.year + 10):
        errors.append(
            RowError(
                row_number,
                "Einddatum huidige indicatie",
                f"onwaarschijnlijke datum {format_date_short(end)}",
            )
        )
    if parsed.get("postcode"):
        parsed["postcode"] = normalise_postcode(parsed["postcode"])
    email = parsed.get("begeleider_email")
    if email is not None and not _EMAIL.match(email):
        errors.append(
            RowError(row_number, "E-mail begeleider", f"geen geldig e-mailadres: {email!r}")
        )
    if errors:
        who = row_client(parsed)
        return None, [dataclasses.replace(e, client=who) for e in errors]
    return PlanningRow(row=row_number, **parsed), []


def row_client(fields: Any) -> str:
    """The client of a row as the list names it ("Wilde, M. de"), from what could be read."""
    values: dict[str, Any] = fields if isinstance(fields, dict) else vars(fields)
    last = values.get("last_name")
    if not last:
        return ""
    first = values.get("initials") or values.get("first_name") or ""
    prefix = values.get("prefix") or ""
    return f"{last}, {first} {prefix}".strip().rstrip(",")


def _duplicates(rows: Sequence[PlanningRow]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[tuple[str, dt.date], int] = {}
    first_by_bsn: dict[str, PlanningRow] = {}
    for row in rows:
        key = (row.bsn, row.date)
        if key in seen:
            errors.append(
                RowError(
                    row.row,
                    "BSN",
                    f"dubbel: zelfde BSN en datum gesprek als rij {seen[key]}",
                    row_client(row),
                )
            )
        else:
            seen[key] = row.row
        first = first_by_bsn.setdefault(row.bsn, row)
        if first is not row and first.birth_date != row.birth_date:
            errors.append(
                RowError(
                    row.row,
                    "Geboortedatum",
                    f"{format_date_short(row.birth_date)} in deze rij, "
                    f"{format_date_short(first.birth_date)} in rij {first.row} (zelfde BSN)",
                    row_client(row),
                )
            )
    return errors
