"""The conflict inbox (docs/team-mode-in-the-app.md): changes the office parked because
another laptop holds the case, or its lease was broken. Both versions side by side, the
fields that differ first; the consultant keeps the office's version or keeps their own as
a new version. Nothing is merged automatically in a legal document: a person decides.

Reads and decisions run on a worker (`CaseOp`); the dialog only shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.conflict_view import compare, reason_text
from bwo_desktop.ui.operations import CaseOp, failure_text

TITLE = "Conflicten met het kantoor"
KEEP_OFFICE = "office"
KEEP_MINE = "mine"
MSG_EMPTY = "Er zijn geen open conflicten: alles wat u verstuurde, is door het kantoor opgenomen."
QUESTIONS = {
    KEEP_OFFICE: (
        "De versie van het kantoor houden? Uw wijzigingen aan {ref} op deze laptop vervallen "
        "(ze blijven in het logboek te zien)."
    ),
    KEEP_MINE: (
        "Uw versie van {ref} houden? Die gaat bij de volgende synchronisatie als nieuwe "
        "versie naar het kantoor; de versie van het kantoor blijft bewaard."
    ),
}


class Conflict(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def reference(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def holder(self) -> str | None: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def local_row(self) -> dict[str, Any]: ...
    @property
    def office_row(self) -> dict[str, Any] | None: ...


class InboxSource(Protocol):
    def conflicts(self) -> Sequence[Conflict]: ...
    def resolve_conflict(self, conflict_id: Any, keep: str) -> None: ...


def _when(at: dt.datetime) -> str:
    return at.astimezone().strftime("%d-%m-%Y %H:%M")


class ConflictInboxDialog(QDialog):
    def __init__(
        self,
        source: InboxSource,
        parent: QWidget | None = None,
        *,
        on_resolved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(980, 560)
        self._source = source
        self._on_resolved = on_resolved
        self._conflicts: list[Conflict] = []
        self.busy = False

        self.intro = QLabel(
            "Deze wijzigingen heeft het kantoor niet opgenomen. Kies per casus welke versie "
            "geldt; er wordt niets vanzelf samengevoegd."
        )
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Open conflicten")
        self.list.setMinimumWidth(240)
        self.list.currentRowChanged.connect(self._show)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Reden")
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Beide versies naast elkaar")
        self.table.setHorizontalHeaderLabels(["Veld", "Uw versie (deze laptop)", "Kantoor"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keep_office = QPushButton("&Kantoorversie houden")
        self.keep_mine = QPushButton("&Mijn versie houden (nieuwe versie)")
        for button in (self.keep_office, self.keep_mine):
            button.setAutoDefault(False)
        self.keep_office.clicked.connect(lambda: self._resolve(KEEP_OFFICE))
        self.keep_mine.clicked.connect(lambda: self._resolve(KEEP_MINE))
        self.empty = QLabel(MSG_EMPTY)
        self.empty.setWordWrap(True)
        self.empty.hide()

        side = QVBoxLayout()
        side.addWidget(self.reason)
        side.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.keep_office)
        actions.addWidget(self.keep_mine)
        actions.addStretch(1)
        side.addLayout(actions)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(side, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self._set_enabled(False)
        self.reload()

    # --- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.busy = True
        CaseOp(self, self._source.conflicts, what="De conflicten lezen").success(
            self._loaded
        ).failure(self._failed).run_in_background()

    def _loaded(self, conflicts: Sequence[Conflict]) -> None:
        self.busy = False
        self._conflicts = list(conflicts)
        self.list.clear()
        for conflict in self._conflicts:
            item = QListWidgetItem(f"{conflict.reference}\n{_when(conflict.created_at)}")
            item.setToolTip(reason_text(conflict.reason))
            self.list.addItem(item)
        self.empty.setVisible(not self._conflicts)
        if self._conflicts:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self._show(-1)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        QMessageBox.warning(
            self, TITLE, f"De conflicten konden niet worden gelezen. {failure_text(exc)}"
        )

    def current(self) -> Conflict | None:
        row = self.list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _show(self, _row: int) -> None:
        conflict = self.current()
        self._set_enabled(conflict is not None)
        self.table.setRowCount(0)
        if conflict is None:
            self.reason.setText("")
            return
        holder = f" (nu bij {conflict.holder})" if conflict.holder else ""
        self.reason.setText(
            f"<b>{conflict.reference}</b>: {reason_text(conflict.reason)}{holder}. "
            "Velden die verschillen staan bovenaan, vet."
        )
        diffs = compare(conflict.local_row, conflict.office_row)
        self.table.setRowCount(len(diffs))
        bold = QFont()
        bold.setBold(True)
        for row, diff in enumerate(diffs):
            cells = (diff.label, diff.mine, diff.office)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if diff.differs:
                    item.setFont(bold)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()

    def _set_enabled(self, enabled: bool) -> None:
        self.keep_office.setEnabled(enabled)
        self.keep_mine.setEnabled(enabled and self.current() is not None)

    # --- deciding ------------------------------------------------------------------------

    def _resolve(self, keep: str) -> None:
        conflict = self.current()
        if conflict is None or self.busy:
            return
        answer = QMessageBox.question(
            self,
            TITLE,
            QUESTIONS[keep].format(ref=conflict.reference),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # a decision on a legal document: "Nee" first
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.busy = True
        self._set_enabled(False)

        def _done(_result: object) -> None:
            self.busy = False
            if self._on_resolved is not None:
                self._on_resolved()
            self.reload()

        def _failed(exc: BaseException) -> None:
            self.busy = False
            self._set_enabled(True)
            QMessageBox.warning(self, TITLE, f"Het conflict is niet opgelost. {failure_text(exc)}")

        identifier = conflict.id
        CaseOp(
            self,
            lambda: self._source.resolve_conflict(identifier, keep),
            what="Het conflict oplossen",
        ).success(_done).failure(_failed).run_in_background()

    def keyPressEvent(self, event: Any) -> None:  # Enter never decides: it needs a button
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


__all__ = ["KEEP_MINE", "KEEP_OFFICE", "ConflictInboxDialog", "InboxSource"]
