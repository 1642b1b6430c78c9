"""The audit log of one case: who viewed, changed, finalised, exported or imported it, when.

The model holds plain audit records keyed by their entry number (seq); the entries are read
on a worker thread by whoever opens the dialog and handed in with `set_entries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.audit_details import action_label, detail_parts, result_label

COL_TIME, COL_ACTION, COL_RESULT, COL_USER, COL_ACCOUNT, COL_DETAILS = range(6)
HEADERS = ("Tijd", "Actie", "Resultaat", "Consulent", "Account en computer", "Details")

_Index = QModelIndex | QPersistentModelIndex


def _details(record: Any) -> str:
    return "; ".join(detail_parts(record.details))


class AuditTableModel(QAbstractTableModel):
    """Audit records (services.audit.AuditRecord), one row each, keyed by entry number."""

    SEQ_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._row_of: dict[int, int] = {}

    def set_entries(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = sorted(records, key=lambda r: r.seq, reverse=True)  # newest first
        self._row_of = {r.seq: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def entry_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, seq: int) -> int | None:
        return self._row_of.get(seq)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == self.SEQ_ROLE:
            return record.seq
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == COL_DETAILS and role == Qt.ItemDataRole.ToolTipRole:
            # The column may be too narrow: the tooltip has it all, one item a line.
            return "\n".join(detail_parts(record.details)) or None
        if column == COL_TIME:
            when: dt.datetime = record.time
            return when.astimezone().strftime("%d-%m-%Y %H:%M:%S")
        if column == COL_ACTION:
            return action_label(record.action)
        if column == COL_RESULT:
            return result_label(record.result)
        if column == COL_USER:
            return record.user or "—"
        if column == COL_ACCOUNT:
            return f"{record.os_user or '—'} op {record.machine or '—'}"
        if column == COL_DETAILS:
            return _details(record)
        return None


class AuditDialog(QDialog):
    """Read-only view of one case's log. Shown at once; `set_entries` fills it."""

    def __init__(self, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Auditlog van {reference}")
        self.reference = reference
        self.model = AuditTableModel(self)
        self.summary = QLabel("Auditlog wordt gelezen…")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Auditregels")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((COL_TIME, 140), (COL_ACTION, 130), (COL_RESULT, 80),
                              (COL_USER, 140), (COL_ACCOUNT, 180)):  # fmt: skip
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(960, 460)

    def set_entries(self, records: Sequence[Any]) -> None:
        self.model.set_entries(records)
        n = len(records)
        self.summary.setText(
            f"{n} regel{'s' if n != 1 else ''} voor casus {self.reference}, nieuwste boven. "
            "Het log bevat geen BSN's en geen ingevulde teksten, alleen wie wat wanneer deed."
        )

    def show_error(self, text: str) -> None:
        self.summary.setText(text)
