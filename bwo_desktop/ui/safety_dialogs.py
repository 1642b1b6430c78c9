"""Dialogs of the Bestand menu for data safety: restore a backup, change the passphrase; and
the one-time notice that exports are plain files.

They only collect input; the work (on a worker thread) is the main window's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.settings import Settings

REASON_LABELS: dict[str, str] = {
    "dagelijks": "dagelijkse back-up",
    "handmatig": "handmatige back-up",
    "voor-terugzetten": "vóór het terugzetten van een back-up",
}


def reason_label(reason: str) -> str:
    if reason.startswith("voor-migratie"):
        return "vóór een programma-update"
    return REASON_LABELS.get(reason, reason)


def backup_label(created: dt.datetime, reason: str, size: int) -> str:
    when = created.astimezone().strftime("%d-%m-%Y %H:%M")
    megabytes = f"{size / 1e6:.1f}".replace(".", ",")
    return f"{when} — {reason_label(reason)} ({megabytes} MB)"


class RestoreDialog(QDialog):
    """Pick a backup (newest first), give the passphrase, confirm."""

    def __init__(self, backups: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Back-up terugzetten")
        self._backups = list(backups)
        intro = QLabel(
            "Kies de back-up die u wilt terugzetten. Alle casussen worden dan vervangen door "
            "die uit de back-up; wat u daarna hebt gedaan, vervalt. De huidige database wordt "
            "eerst zelf bewaard als back-up, zodat terugzetten ongedaan kan worden gemaakt. "
            "Het auditlog blijft compleet. Daarna moet het programma opnieuw worden gestart."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Back-ups")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for info in self._backups:
            item = QListWidgetItem(backup_label(info.created, info.reason, info.size))
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Wachtwoordzin")
        form = QFormLayout()
        form.addRow("&Wachtwoordzin:", self.passphrase)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Terugzetten…")
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.passphrase.textChanged.connect(lambda _text: self._update())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not self._backups:
            layout.addWidget(QLabel("Er zijn nog geen back-ups."))
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        if self._backups:
            self.list.setCurrentRow(0)
        self._update()
        self.resize(560, 400)
        self.confirm: Callable[[str], bool] = self._ask

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None and bool(self.passphrase.text()))

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return None if item is None else Path(str(item.data(Qt.ItemDataRole.UserRole)))

    def chosen_passphrase(self) -> str:
        return self.passphrase.text()

    def _ask(self, label: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Back-up terugzetten",
            f"De gegevens worden teruggezet naar de back-up van {label}.\n\n"
            "Wat na dat moment is ingevoerd, staat daarna alleen nog in de bewaarde kopie van "
            "de huidige database. Doorgaan?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _confirm(self) -> None:
        item = self.list.currentItem()
        if item is None or not self.passphrase.text():
            return
        if self.confirm(item.text()):
            self.accept()


class PassphraseDialog(QDialog):
    """The current passphrase and the new one twice, with the strength rule."""

    def __init__(
        self, strength_check: Callable[[str], str | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wachtwoordzin wijzigen")
        self._strength_check = strength_check
        intro = QLabel(
            "Kies een wachtwoordzin van minstens 12 tekens of minstens 4 woorden. De database "
            "blijft open; ook de back-ups krijgen de nieuwe wachtwoordzin."
        )
        intro.setWordWrap(True)
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for edit, name in ((self.old, "Huidige wachtwoordzin"), (self.new, "Nieuwe wachtwoordzin"),
                           (self.repeat, "Nieuwe wachtwoordzin herhalen")):  # fmt: skip
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        form = QFormLayout()
        form.addRow("&Huidige wachtwoordzin:", self.old)
        form.addRow("&Nieuwe wachtwoordzin:", self.new)
        form.addRow("Nieuwe &herhalen:", self.repeat)
        # A leaked key file or passphrase: re-encrypt under a fresh key (services/rekey.py).
        # The same passphrase twice is then allowed (it also finishes an interrupted change).
        self.new_key = QCheckBox("Ook een nieuwe &sleutel (een oude kopie van het sleutelbestand opent de database dan niet meer)")  # fmt: skip
        self.new_key.setAccessibleName("Ook een nieuwe sleutel")
        form.addRow(self.new_key)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Wijzigen")
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def problem(self) -> str | None:
        if not self.old.text():
            return "Vul de huidige wachtwoordzin in."
        if self.new.text() != self.repeat.text():
            return "De twee nieuwe wachtwoordzinnen zijn niet gelijk."
        if self.new.text() == self.old.text() and not self.new_key.isChecked():
            return "De nieuwe wachtwoordzin is gelijk aan de huidige."
        weak = self._strength_check(self.new.text())
        if weak:
            return weak[0].upper() + weak[1:] + "."
        return None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _check(self) -> None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        self.accept()

    def values(self) -> tuple[str, str]:
        return self.old.text(), self.new.text()

    def wants_new_key(self) -> bool:
        """For `SafetyService.change_passphrase(old, new, new_key=...)`."""
        return self.new_key.isChecked()


def show_export_notice_once(
    parent: QWidget | None,
    settings: Settings,
    folder: Path | str | None,
    save: Callable[[Settings], object] | None = None,
) -> Settings:
    """Before the first export: say that the file is not encrypted and where it goes. Returns
    the settings (marked as shown after the notice). For the case editor and the Excel UI."""
    from bwo_desktop.services.export_notice import (
        NOTICE_TITLE,
        mark_shown,
        needs_export_notice,
        notice_text,
    )

    if not needs_export_notice(settings):
        return settings
    QMessageBox.information(parent, NOTICE_TITLE, notice_text(folder))
    return mark_shown(settings, save)


MSG_DAMAGED_TITLE = "Database beschadigd"


def damaged_question(newest_good: dt.datetime | None) -> str:
    """The question for a damaged database (nothing has been written into it)."""
    head = (
        "De database is beschadigd: een deel van het bestand is niet meer te lezen. "
        "Er is niets in geschreven.\n\n"
    )
    if newest_good is None:
        return head + (
            "Er is geen goede back-up gevonden. Neem contact op met de beheerder; het "
            "beschadigde bestand blijft bewaard."
        )
    when = newest_good.astimezone().strftime("%d-%m-%Y %H:%M")
    return head + (
        f"De nieuwste goede back-up is van {when}. Wilt u die nu terugzetten? Het beschadigde "
        "bestand wordt eerst apart bewaard (niet verwijderd); wat na de back-up in het "
        "auditlog kwam, wordt overgenomen voor zover het nog te lezen is."
    )


def ask_restore_damaged(parent: QWidget, newest_good: dt.datetime | None) -> bool:
    """True when the consultant chooses to restore the newest good backup."""
    text = damaged_question(newest_good)
    if newest_good is None:
        QMessageBox.warning(parent, MSG_DAMAGED_TITLE, text)
        return False
    answer = QMessageBox.question(
        parent,
        MSG_DAMAGED_TITLE,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes
