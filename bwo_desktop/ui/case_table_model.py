"""The case list as a Qt table model, keyed by case id.

The model holds the list as columns (`core.case_rows.CaseRows`: no ORM, no database
access, no object per case); the CaseSummary of a row is made when a view first asks for
it, so loading 50,000 cases costs no more than painting the first screen of them. Display
strings are made on request. `refresh_row(case_id, summary)` finds the row by id, so
sorting or filtering in a proxy never breaks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bwo_desktop.core.bsn import mask_bsn
from bwo_desktop.core.case import STATUS_NAMES, CaseSummary
from bwo_desktop.core.case_rows import CaseRows, case_id_of, id_key

COL_CLIENT = 0
COL_BIRTH_DATE = 1
COL_BSN = 2
COL_PROVIDER = 3
COL_PLANNED = 4
COL_LOCATION = 5
COL_STATUS = 6
COL_IB_LEVEL = 7
COL_INDICATION_END = 8
COL_NEW_END = 9
COL_REFERENCE = 10
COLUMN_COUNT = 11

HEADERS: tuple[str, ...] = (
    "Cliënt",
    "Geboortedatum",
    "BSN",
    "Zorgaanbieder",
    "Gepland",
    "Locatie",
    "Status",
    "IB-niveau",
    "Indicatie t/m",
    "Nieuw t/m",
    "Kenmerk",
)
HEADER_TIPS: tuple[str, ...] = (
    "Naam van de cliënt (achternaam, voorletters, tussenvoegsel)",
    "Geboortedatum van de cliënt",
    "Burgerservicenummer, afgeschermd (alleen de laatste drie cijfers)",
    "Zorgaanbieder",
    "Datum en tijd van het herindicatiegesprek",
    "Locatie van het gesprek",
    "Status van de herindicatie; v2: tweede versie; ✉: beschikking gemaakt",
    "IB-niveau van het besluit",
    "Einddatum van de huidige indicatie",
    "Einddatum van de nieuwe indicatie (na het besluit)",
    "Kenmerk van de herindicatie",
)

WEEKDAYS_SHORT: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")

# Custom roles: the case id of a row, the raw (typed) value of a cell, the whole summary.
CaseIdRole = int(Qt.ItemDataRole.UserRole) + 1
RawValueRole = int(Qt.ItemDataRole.UserRole) + 2
SummaryRole = int(Qt.ItemDataRole.UserRole) + 3

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset((COL_BIRTH_DATE, COL_BSN, COL_INDICATION_END, COL_NEW_END))
LETTER_MARK = "✉"

_Index: TypeAlias = QModelIndex | QPersistentModelIndex


def format_date(day: dt.date | None) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}" if day else ""


def format_planned(day: dt.date | None, time: dt.time | None) -> str:
    if day is None:
        return ""
    text = f"{WEEKDAYS_SHORT[day.weekday()]} {format_date(day)}"
    return f"{text} {time.hour:02d}:{time.minute:02d}" if time else text


def raw_value(summary: CaseSummary, column: int) -> Any:
    """The typed value behind a cell (dates as date, the planned moment as datetime)."""
    if column == COL_CLIENT:
        return summary.client_name
    if column == COL_BIRTH_DATE:
        return summary.birth_date
    if column == COL_BSN:
        return mask_bsn(summary.bsn)  # the full BSN never leaves the model through a role
    if column == COL_PROVIDER:
        return summary.provider_name
    if column == COL_PLANNED:
        if summary.planned_date is None:
            return None
        return dt.datetime.combine(summary.planned_date, summary.planned_time or dt.time())
    if column == COL_LOCATION:
        return summary.location
    if column == COL_STATUS:
        return summary.status
    if column == COL_IB_LEVEL:
        return summary.ib_level
    if column == COL_INDICATION_END:
        return summary.current_indication_end
    if column == COL_NEW_END:
        return summary.new_indication_end
    if column == COL_REFERENCE:
        return summary.reference
    return None


def status_text(summary: CaseSummary) -> str:
    """ "Definitief v2 ✉": the status, the version when it is not the first, and a mark when
    the beschikking of this version was made."""
    text = STATUS_NAMES.get(summary.status, summary.status)
    if summary.revision > 1:
        text += f" v{summary.revision}"
    if summary.beschikking_made_on is not None:
        text += f" {LETTER_MARK}"
    return text


def status_spoken(summary: CaseSummary) -> str:
    """The status cell for a screen reader and the tooltip, in words."""
    parts = [STATUS_NAMES.get(summary.status, summary.status)]
    if summary.revision > 1:
        parts.append(f"versie {summary.revision}")
    if summary.beschikking_made_on is not None:
        parts.append(f"beschikking gemaakt op {format_date(summary.beschikking_made_on)}")
    if summary.verslag_made_on is not None:
        parts.append(f"verslag gemaakt op {format_date(summary.verslag_made_on)}")
    return ", ".join(parts)


def display_text(summary: CaseSummary, column: int) -> str:
    if column == COL_CLIENT:
        return summary.client_name
    if column == COL_BIRTH_DATE:
        return format_date(summary.birth_date)
    if column == COL_BSN:
        return mask_bsn(summary.bsn)
    if column == COL_PROVIDER:
        return summary.provider_name
    if column == COL_PLANNED:
        return format_planned(summary.planned_date, summary.planned_time)
    if column == COL_LOCATION:
        return summary.location
    if column == COL_STATUS:
        return status_text(summary)
    if column == COL_IB_LEVEL:
        return summary.ib_level or ""
    if column == COL_INDICATION_END:
        return format_date(summary.current_indication_end)
    if column == COL_NEW_END:
        return format_date(summary.new_indication_end)
    if column == COL_REFERENCE:
        return summary.reference or ""
    return ""


def cell_data(summary: CaseSummary, column: int, role: int) -> Any:
    """What a cell shows for `role`; shared with the filter proxy, which paints without
    a round trip through the source model."""
    if role == _ACCESSIBLE and column == COL_STATUS:
        return status_spoken(summary)
    if role in (_DISPLAY, _ACCESSIBLE):
        return display_text(summary, column)
    if role == CaseIdRole:
        return summary.id
    if role == RawValueRole:
        return raw_value(summary, column)
    if role == SummaryRole:
        return summary
    if role == _TOOLTIP:
        if column == COL_CLIENT and summary.reference:
            return f"{summary.client_name} — kenmerk {summary.reference}"
        if column == COL_STATUS:
            return status_spoken(summary)
        return None
    if role == _ALIGN and column in _RIGHT_ALIGNED:
        return _RIGHT
    return None


ITEM_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class CaseTableModel(QAbstractTableModel):
    """All cases in the database as a flat table, one row per case id."""

    def __init__(
        self, summaries: Sequence[CaseSummary] | CaseRows = (), parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._rows = CaseRows()
        self._summaries: list[CaseSummary | None] = []  # made on first use
        self._row_of_cache: dict[str, int] | None = None
        self._load(summaries)

    def _load(self, summaries: Sequence[CaseSummary] | CaseRows) -> None:
        if isinstance(summaries, CaseRows):
            self._rows = summaries
            self._summaries = [None] * len(summaries)
        else:
            given = list(summaries)
            self._rows = CaseRows.from_summaries(given)
            self._summaries = list(given)
        self._row_of_cache = None

    @property
    def _row_of(self) -> dict[str, int]:
        if self._row_of_cache is None:
            keys = self._rows.id_keys
            self._row_of_cache = dict(zip(keys, range(len(keys)), strict=True))
        return self._row_of_cache

    # --- Qt interface -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._summaries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._summaries) and 0 <= column < COLUMN_COUNT):
            return None
        return cell_data(self.summary_at(row), column, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == _DISPLAY:
            return HEADERS[section]
        if role == _TOOLTIP:
            return HEADER_TIPS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ITEM_FLAGS

    # --- by case id ---------------------------------------------------------------------

    def set_summaries(self, summaries: Sequence[CaseSummary] | CaseRows) -> None:
        self.beginResetModel()
        self._load(summaries)
        self.endResetModel()

    def set_rows(self, rows: CaseRows) -> None:
        """Show these rows (the model keeps the object; do not change it afterwards)."""
        self.set_summaries(rows)

    def rows(self) -> CaseRows:
        """The rows as columns (the model's own: read, do not change)."""
        return self._rows

    def summaries(self) -> list[CaseSummary]:
        """The rows in model order (a copy)."""
        return [self.summary_at(row) for row in range(len(self._summaries))]

    def summary_at(self, row: int) -> CaseSummary:
        summary = self._summaries[row]
        if summary is None:
            summary = self._summaries[row] = self._rows.summary(row)
        return summary

    def summary(self, case_id: str) -> CaseSummary | None:
        row = self._row_of.get(id_key(case_id))
        return None if row is None else self.summary_at(row)

    def row_of(self, case_id: str) -> int | None:
        return self._row_of.get(id_key(case_id))

    def case_id_at(self, row: int) -> str:
        return case_id_of(self._rows.id_keys[row])

    def refresh_row(self, case_id: str, summary: CaseSummary) -> None:
        """Replace the row of `case_id` (or append it when new) and tell the views."""
        if summary.id != case_id:
            raise ValueError("de samenvatting hoort bij een andere casus")
        row = self._row_of.get(id_key(case_id))
        if row is None:
            row = len(self._summaries)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.append(summary)
            self._summaries.append(summary)
            self._row_of[id_key(case_id)] = row
            self.endInsertRows()
            return
        self._rows.set_row(row, summary)
        self._summaries[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    def remove_case(self, case_id: str) -> None:
        row = self._row_of.get(id_key(case_id))
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._rows.delete(row)
        del self._summaries[row]
        self._row_of_cache = None
        self.endRemoveRows()
