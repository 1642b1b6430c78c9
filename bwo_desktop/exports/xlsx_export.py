"""The Excel overview of cases (openpyxl, write-only): plain objects in, one .xlsx out. No Qt, no ORM.

Five sheets: Casussen, ZRM, Regels, Toewijzingen (iWmo WMO301 entry), Tarieven. Cells carry real
types (dates as dates, money as numbers with a euro format) so the back office can filter,
sort and sum. Everything a consultant reads is Dutch: components by their names (never
`IB3_opslag`), only the real iWmo codes (productcode, eenheid, frequentie) stay codes. Write-only mode streams rows to disk: 10,000 cases stay fast and small in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bwo_desktop.core.bsn import contains_bsn, mask_bsn
from bwo_desktop.core.case import STATUS_NAMES
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.iwmo import EENHEDEN, FREQUENTIES, IwmoSettings
from bwo_desktop.core.tariffs import COMPONENT_CODES, COMPONENT_NAMES, WEEKLY_KEYS, TariffTable
from bwo_desktop.core.zrm import DOMAIN_KEYS

DATE_FORMAT = "DD-MM-YYYY"
AUDIT_HEAD_PROPERTY = "bwo-audit-head"  # custom document property: the chain head's JSON
TIME_FORMAT = "HH:MM"
EURO_FORMAT = '"€" #,##0.00;"€" -#,##0.00'
Progress = Callable[[int, int], None]

OUTCOME_LABELS: dict[str, str] = {
    "ib_bw": "IB BW met bereikbaarheid",
    "regular_ib": "reguliere IB",
    "intramural": "intramuraal overwegen",
}
OPSLAG_LABELS: dict[str, str] = {
    "overgang_intramuraal": "overgang intramuraal",
    "life_event": "life event",
    "zorgmijdend_gedrag": "zorgmijdend gedrag",
}
WARNING_LABELS: dict[str, str] = {
    "support_plan_missing": "ondersteuningsplan ontbreekt",
    "support_plan_outdated": "ondersteuningsplan verouderd",
    "period_over_one_year": "periode langer dan een jaar",
    "zrm_incomplete": "ZRM onvolledig",
    "no_support_need": "geen ondersteuningsbehoefte in ZRM",
    "insufficient_self_reliance": "onvoldoende zelfredzaam",
    "opslag_not_motivated": "opslag niet gemotiveerd",
    "budgetcoach_required": "budgetcoach nodig",
    "tariff_table_outdated": "tarieftabel verouderd",
}
CASES_SHEET = "Casussen"
# Said the same way whether the app or the command line wrote the file: no option names.
TOEWIJZINGEN_WITHOUT_FULL_BSN = (
    "Toewijzingen staan alleen in een export met volledige BSN's (kies bij het exporteren "
    "voor volledige BSN's): zonder volledig BSN kan een toewijzing niet worden ingevoerd. "
    "Deze export is gemaskeerd."
)
# Short component names for the Tarieven headers (the full ones are in COMPONENT_NAMES).
TARIFF_HEADERS: dict[str, str] = {
    "IB1": "IB1",
    "IB2": "IB2",
    "IB3": "IB3",
    "IB1_opslag": "IB1 met opslag",
    "IB2_opslag": "IB2 met opslag",
    "IB3_opslag": "IB3 met opslag",
    "bereikbaarheid": "Bereikbaarheid",
    "huishoudelijke_kosten": "Huishoudelijke kosten",
}
TOEWIJZINGEN_NONE = "Geen definitieve besluiten met IB BW in deze selectie: geen toewijzingen."

# Characters that XML 1.0 (and so openpyxl) cannot store.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ExportLine:
    code: str
    days: int
    weekly: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ExportSegment:
    code: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ExportCase:
    """One case as the overview shows it: the case, its advice or decision, the previous scores."""

    reference: str | None
    client_name: str  # sort form: "Wilde, M. de"
    birth_date: dt.date | None
    bsn: str
    provider_name: str
    status: str  # planned | concept | definitief
    provider_agb: str | None = None
    herindicatie_date: dt.date | None = None
    herindicatie_time: dt.time | None = None
    location: str = ""
    consultant_name: str = ""
    outcome: str | None = None
    ib_level_recommended: str | None = None
    ib_level_decided: str | None = None
    opslag_reason: str | None = None
    opslag_start: dt.date | None = None
    opslag_end: dt.date | None = None
    bereikbaarheid: bool = False
    huisvesting: bool = False
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    weekly_total: Decimal | None = None
    period_total: Decimal | None = None
    warnings: tuple[str, ...] = ()  # warning codes
    zrm: Mapping[str, int | None] = field(default_factory=dict)
    previous_zrm: Mapping[str, int | None] | None = None
    previous_reference: str | None = None
    lines: tuple[ExportLine, ...] = ()
    segments: tuple[ExportSegment, ...] = ()
    current_indication_end: dt.date | None = None
    tariffs_used: tuple[TariffTable, ...] = ()


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    kind: str = "text"  # text | date | time | money | int


CASES_COLUMNS: tuple[Column, ...] = (
    Column("Kenmerk", 22),
    Column("Cliënt", 28),
    Column("Geboortedatum", 13, "date"),
    Column("BSN", 12),
    Column("Zorgaanbieder", 28),
    Column("Datum herindicatie", 13, "date"),
    Column("Tijd", 7, "time"),
    Column("Locatie", 28),
    Column("Consulent", 20),
    Column("Status", 11),
    Column("Uitkomst", 24),
    Column("IB-niveau advies", 10),
    Column("IB-niveau besluit", 10),
    Column("Opslag reden", 20),
    Column("Opslag van", 12, "date"),
    Column("Opslag tot en met", 12, "date"),
    Column("Bereikbaarheid", 10),
    Column("Huisvesting", 10),
    Column("Ingangsdatum", 12, "date"),
    Column("Einddatum", 12, "date"),
    Column("Per week", 13, "money"),
    Column("Hele periode", 14, "money"),
    Column("Signaleringen", 50),
)


def _domain_names() -> dict[str, str]:
    """Dutch domain names from the ZRM catalogue ("Financiën"); the keys if it cannot load."""
    try:
        from bwo_desktop.core.zrm import load_catalogue

        return {d.key: d.name for d in load_catalogue().domains}
    except Exception:  # the overview must not fail on a catalogue problem
        return {key: key for key in DOMAIN_KEYS}


def zrm_columns() -> tuple[Column, ...]:
    names = _domain_names()
    return (
        Column("Kenmerk", 22),
        Column("Cliënt", 28),
        Column("Datum herindicatie", 13, "date"),
        *(Column(names.get(key, key), 10, "int") for key in DOMAIN_KEYS),
        Column("Vorig kenmerk", 22),
        *(Column(f"Vorige {names.get(key, key)}", 10, "int") for key in DOMAIN_KEYS),
    )


REGELS_COLUMNS: tuple[Column, ...] = (
    Column("Kenmerk", 22),
    Column("Cliënt", 28),
    Column("Component", 44),
    Column("Dagen", 8, "int"),
    Column("Per week", 13, "money"),
    Column("Bedrag", 14, "money"),
)
TOEWIJZINGEN_COLUMNS: tuple[Column, ...] = (
    Column("BSN", 12),
    Column("Cliënt", 28),
    Column("Kenmerk", 22),
    Column("AGB-code aanbieder", 14),
    Column("Zorgaanbieder", 28),
    Column("Component", 44),
    Column("Productcategorie", 10),
    Column("Productcode", 10),
    Column("Ingangsdatum", 12, "date"),
    Column("Einddatum", 12, "date"),
    Column("Volume", 8, "int"),
    Column("Eenheid", 8),
    Column("Eenheid omschrijving", 18),
    Column("Frequentie", 8),
    Column("Frequentie omschrijving", 18),
    Column("Reden wijziging", 10),
)
TARIEVEN_COLUMNS: tuple[Column, ...] = (
    Column("Geldig vanaf", 12, "date"),
    Column("Bron", 40),
    *(Column(f"{TARIFF_HEADERS.get(key, key)} per week", 13, "money") for key in WEEKLY_KEYS),
    Column("Huisvesting per week", 13, "money"),
    Column("Hoge aftoppingsgrens per maand", 16, "money"),
    Column("Aantal casussen", 10, "int"),
)


@dataclass(frozen=True)
class OverviewCounts:
    cases: int
    lines: int
    toewijzingen: int
    tariff_tables: int


def clean_text(value: str) -> str:
    return _ILLEGAL.sub("", value) if _ILLEGAL.search(value) else value


def check_file_name(path: Path | str) -> None:
    """A file name never carries a BSN (file names end up in mail, logs and recent-file lists)."""
    if contains_bsn(Path(path).name):
        raise InputError(str(Path(path).name), "de bestandsnaam mag geen BSN bevatten")


def default_file_name(today: dt.date | None = None) -> str:
    day = today or dt.date.today()
    return f"bwo-overzicht-{day.isoformat()}.xlsx"


class _SheetWriter:
    """Appends rows to a write-only sheet with typed cells.

    Styled cells are WriteOnlyCell objects; openpyxl writes a passed cell immediately, so one
    cell per styled column is reused for every row instead of a new object per value.
    """

    def __init__(
        self, workbook: Workbook, title: str, columns: Sequence[Column], rows: int
    ) -> None:
        self.sheet = workbook.create_sheet(title)
        self.columns = columns
        sheet = self.sheet
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{max(rows, 0) + 1}"
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDEBF7")
        wrap = Alignment(wrap_text=True, vertical="top")
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.title)
            cell.font = bold
            cell.fill = fill
            cell.alignment = wrap
            header.append(cell)
        sheet.append(header)
        formats = {"date": DATE_FORMAT, "time": TIME_FORMAT, "money": EURO_FORMAT}
        # Only the styled and the text columns need work per row; the rest pass through.
        self._styled: list[tuple[int, WriteOnlyCell]] = []
        self._texts: list[int] = []
        for index, column in enumerate(columns):
            number_format = formats.get(column.kind)
            if number_format is not None:
                cell = WriteOnlyCell(sheet)
                cell.number_format = number_format
                self._styled.append((index, cell))
            elif column.kind == "text":
                self._texts.append(index)

    def append(self, values: Sequence[Any]) -> None:
        out = list(values)
        for index, cell in self._styled:
            value = out[index]
            if value is not None:
                cell.value = value
                out[index] = cell
        for index in self._texts:
            value = out[index]
            if value.__class__ is str and (value[:1] == "=" or _ILLEGAL.search(value)):
                out[index] = self._text(value)
        self.sheet.append(out)

    def _text(self, value: str) -> Any:
        value = clean_text(value)
        if value[:1] == "=":
            # A name or remark starting with "=" must stay text, never become a formula.
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.data_type = "s"
            return cell
        return value


def component_name(code: str) -> str:
    """A component as the beschikking names it ("Individuele begeleiding 3 met opslag")."""
    return COMPONENT_NAMES.get(code, code)


def _yes_no(flag: bool) -> str:
    return "ja" if flag else "nee"


def _cases_row(case: ExportCase, full_bsn: bool) -> list[Any]:
    return [
        case.reference,
        case.client_name,
        case.birth_date,
        case.bsn if full_bsn else mask_bsn(case.bsn),
        case.provider_name,
        case.herindicatie_date,
        case.herindicatie_time,
        case.location,
        case.consultant_name,
        STATUS_NAMES.get(case.status, case.status),
        OUTCOME_LABELS.get(case.outcome, case.outcome) if case.outcome else None,
        case.ib_level_recommended,
        case.ib_level_decided,
        OPSLAG_LABELS.get(case.opslag_reason, case.opslag_reason) if case.opslag_reason else None,
        case.opslag_start,
        case.opslag_end,
        _yes_no(case.bereikbaarheid) if case.outcome else None,
        _yes_no(case.huisvesting) if case.outcome else None,
        case.period_start,
        case.period_end,
        case.weekly_total,
        case.period_total,
        "; ".join(WARNING_LABELS.get(code, code) for code in case.warnings) or None,
    ]


def _zrm_row(case: ExportCase) -> list[Any]:
    row: list[Any] = [case.reference, case.client_name, case.herindicatie_date]
    row.extend(case.zrm.get(key) for key in DOMAIN_KEYS)
    previous = case.previous_zrm
    row.append(case.previous_reference)
    if previous is None:
        row.extend([None] * len(DOMAIN_KEYS))
    else:
        row.extend(previous.get(key) for key in DOMAIN_KEYS)
    return row


def has_toewijzingen(case: ExportCase) -> bool:
    """Only a definitief decision with IB BW is entered as toewijzingen."""
    return case.status == "definitief" and case.outcome == "ib_bw" and bool(case.segments)


def reden_wijziging(case: ExportCase, settings: IwmoSettings) -> str:
    """Every case here is a herindicatie: verlenging, or verkorting when the new decision ends
    before the current indication would have."""
    current = case.current_indication_end
    if current is not None and case.period_end is not None and case.period_end < current:
        return settings.reden_verkorting
    return settings.reden_verlenging


def _toewijzing_rows(case: ExportCase, settings: IwmoSettings) -> Iterable[list[Any]]:
    reden = reden_wijziging(case, settings)
    order = {code: i for i, code in enumerate(COMPONENT_CODES)}
    for segment in sorted(case.segments, key=lambda s: (order.get(s.code, 99), s.start)):
        product = settings.products.get(segment.code)
        if product is None:
            continue
        yield [
            case.bsn,
            case.client_name,
            case.reference,
            case.provider_agb,
            case.provider_name,
            component_name(segment.code),
            product.productcategorie,
            product.productcode or None,
            segment.start,
            segment.end,
            product.volume,
            product.eenheid,
            EENHEDEN.get(product.eenheid, ""),
            product.frequentie,
            FREQUENTIES.get(product.frequentie, ""),
            reden,
        ]


def _tariff_key(table: TariffTable) -> tuple[Any, ...]:
    return (
        table.valid_from,
        tuple(table.weekly[k] for k in WEEKLY_KEYS),
        table.hoge_aftoppingsgrens_per_maand,
    )


def collect_tariffs(rows: Iterable[ExportCase]) -> list[tuple[TariffTable, int]]:
    """The distinct tariff tables used, with the number of cases that used each."""
    tables: dict[tuple[Any, ...], list[Any]] = {}
    for case in rows:
        for table in case.tariffs_used:
            entry = tables.setdefault(_tariff_key(table), [table, 0])
            entry[1] += 1
    return sorted(((t, n) for t, n in tables.values()), key=lambda item: item[0].valid_from)


@dataclass(frozen=True)
class SheetRows:
    """One sheet's content: typed values per row (no styling); `columns` None is a note sheet."""

    title: str
    columns: tuple[Column, ...] | None
    count: int  # data rows, known in advance (for the autofilter range)
    rows: Iterable[list[Any]]


def overview_sheets(
    rows: Sequence[ExportCase], *, full_bsn: bool, iwmo: IwmoSettings
) -> Iterable[SheetRows]:
    """The content of the five sheets, lazily (rows are produced while they are written)."""
    yield SheetRows(CASES_SHEET, CASES_COLUMNS, len(rows), (_cases_row(c, full_bsn) for c in rows))
    yield SheetRows("ZRM", zrm_columns(), len(rows), (_zrm_row(c) for c in rows))
    yield SheetRows(
        "Regels",
        REGELS_COLUMNS,
        sum(len(c.lines) for c in rows),
        (
            [
                c.reference,
                c.client_name,
                component_name(line.code),
                line.days,
                line.weekly,
                line.amount,
            ]
            for c in rows
            for line in c.lines
        ),
    )
    decided = [c for c in rows if has_toewijzingen(c)]
    if full_bsn and decided:
        count = sum(sum(1 for s in c.segments if s.code in iwmo.products) for c in decided)
        yield SheetRows(
            "Toewijzingen",
            TOEWIJZINGEN_COLUMNS,
            count,
            (values for c in decided for values in _toewijzing_rows(c, iwmo)),
        )
    else:
        note = TOEWIJZINGEN_WITHOUT_FULL_BSN if not full_bsn else TOEWIJZINGEN_NONE
        yield SheetRows("Toewijzingen", None, 1, iter([[note]]))
    tables = collect_tariffs(rows)
    yield SheetRows(
        "Tarieven",
        TARIEVEN_COLUMNS,
        len(tables),
        (
            [
                table.valid_from,
                table.source,
                *(table.weekly[k] for k in WEEKLY_KEYS),
                table.huisvesting_weekly,
                table.hoge_aftoppingsgrens_per_maand,
                count,
            ]
            for table, count in tables
        ),
    )


def write_overview(
    out_path: Path | str,
    rows: Sequence[ExportCase],
    *,
    full_bsn: bool,
    iwmo: IwmoSettings | None = None,
    title: str = "Overzicht herindicaties Beschermd Wonen",
    creator: str = "bwo-desktop",
    progress: Progress | None = None,
    audit_head: Mapping[str, Any] | None = None,
) -> OverviewCounts:
    """Write the overview. The file appears only when complete (temp file, then rename).

    `audit_head` (plain data from the service) goes into a custom document property, a
    witness of the audit chain (docs/audit-chain.md)."""
    out = Path(out_path)
    check_file_name(out)
    if iwmo is None:
        from bwo_desktop.core.iwmo import load_iwmo_settings

        iwmo = load_iwmo_settings()
    total = len(rows)
    step = max(1, total // 100)

    workbook = Workbook(write_only=True)
    props = workbook.properties
    props.title = title
    props.creator = creator
    props.lastModifiedBy = creator
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.created = now
    props.modified = now
    props.subject = "volledige BSN's" if full_bsn else "BSN's gemaskeerd"
    if audit_head:
        from openpyxl.packaging.custom import StringProperty

        workbook.custom_doc_props.append(
            StringProperty(name=AUDIT_HEAD_PROPERTY, value=json.dumps(dict(audit_head)))
        )

    toewijzingen = 0
    line_count = 0
    table_count = 0
    for sheet in overview_sheets(rows, full_bsn=full_bsn, iwmo=iwmo):
        if sheet.columns is None:
            note = workbook.create_sheet(sheet.title)
            note.column_dimensions["A"].width = 120
            for values in sheet.rows:
                note.append(values)
            continue
        writer = _SheetWriter(workbook, sheet.title, sheet.columns, sheet.count)
        for done, values in enumerate(sheet.rows, start=1):
            writer.append(values)
            if progress is not None and sheet.title == CASES_SHEET and done % step == 0:
                progress(done, total)
        if sheet.title == "Regels":
            line_count = sheet.count
        elif sheet.title == "Toewijzingen":
            toewijzingen = sheet.count
        elif sheet.title == "Tarieven":
            table_count = sheet.count

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".bwo-export-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        workbook.save(tmp_name)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total)
    return OverviewCounts(
        cases=total, lines=line_count, toewijzingen=toewijzingen, tariff_tables=table_count
    )
