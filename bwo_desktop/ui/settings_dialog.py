"""Settings: consultant, letterhead, tariff tables in force, data location, idle lock, and
team mode (join with the enrolment file, leave; the page is `ui.team_settings`)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop import paths
from bwo_desktop.core.errors import InputError, describe_os_error
from bwo_desktop.settings import (
    MAX_IDLE_LOCK_MINUTES,
    Settings,
    consultant_name_problem,
    tidy_name,
)

# Letterhead keys edited here (the legal texts of organisation.toml stay as they are).
TEXT_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("name", "&Organisatie:", True),
    ("department", "&Afdeling:", False),
    ("city", "&Plaats (datumregel):", True),
    ("phone", "&Telefoon:", True),
    ("website", "&Website:", True),
    ("signature_role", "&Functie ondertekening:", True),
)
LINE_FIELDS: tuple[tuple[str, str], ...] = (
    ("visiting_address", "&Bezoekadres (één regel per regel):"),
    ("postal_address", "P&ostadres (één regel per regel):"),
)


def builtin_organisation() -> dict[str, Any]:
    """The built-in letterhead values as plain data (text, or a list of lines)."""
    from bwo_desktop.services.organisation import builtin_organisation as builtin

    return builtin()


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        *,
        db_path: Path | None = None,
        save: Callable[[Settings], None] | None = None,
        tariffs_dir: Path | None = None,
        team: Any = None,
        team_busy: Callable[[], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Instellingen")
        self.setAccessibleName("Instellingen")
        self._settings = settings
        self._save = save
        self._result = settings
        self._db_path = db_path
        self._tariffs_dir = tariffs_dir or paths.user_tariffs_dir()
        self._defaults = builtin_organisation()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), "&Algemeen")
        self.tabs.addTab(self._organisation_tab(), "&Briefhoofd")
        self.tabs.addTab(self._tariffs_tab(), "&Tarieven")
        self.tabs.addTab(self._data_tab(), "&Gegevens")
        from bwo_desktop.ui.team_settings import TeamPage

        self.team_page = TeamPage(team, team_busy)
        self.tabs.addTab(self.team_page, "T&eam")

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setAccessibleName("Foutmelding")
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Opslaan")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annu&leren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(640, 520)

    # --- tabs -------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.consultant_edit = QLineEdit(self._settings.consultant_name)
        self.consultant_edit.setAccessibleName("Naam van de consulent")
        self.consultant_edit.setPlaceholderText("Voornaam Achternaam")
        label = QLabel("&Naam consulent:")
        label.setBuddy(self.consultant_edit)
        form.addRow(label, self.consultant_edit)

        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(1, MAX_IDLE_LOCK_MINUTES)
        self.idle_spin.setValue(self._settings.idle_lock_minutes)
        self.idle_spin.setSuffix(" minuten")
        self.idle_spin.setAccessibleName("Vergrendelen na minuten zonder gebruik")
        label = QLabel("&Vergrendelen na:")
        label.setBuddy(self.idle_spin)
        form.addRow(label, self.idle_spin)

        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(1, 52)
        self.weeks_spin.setValue(self._settings.expiring_weeks)
        self.weeks_spin.setSuffix(" weken")
        self.weeks_spin.setAccessibleName("Binnenkort aflopend: aantal weken")
        label = QLabel("&Binnenkort aflopend:")
        label.setBuddy(self.weeks_spin)
        form.addRow(label, self.weeks_spin)
        note = QLabel(
            "De naam van de consulent staat in de brieven en in het auditlog. Na de ingestelde "
            "tijd zonder gebruik wordt het venster vergrendeld; uw werk blijft bewaard."
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _organisation_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        effective = {**self._defaults, **self._settings.organisation}
        self.text_edits: dict[str, QLineEdit] = {}
        for key, label_text, _required in TEXT_FIELDS:
            edit = QLineEdit(str(effective.get(key, "")))
            edit.setAccessibleName(label_text.replace("&", "").rstrip(":"))
            label = QLabel(label_text)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.text_edits[key] = edit
        self.line_edits: dict[str, QPlainTextEdit] = {}
        for key, label_text in LINE_FIELDS:
            lines_edit = QPlainTextEdit("\n".join(effective.get(key, [])))
            lines_edit.setTabChangesFocus(True)
            lines_edit.setFixedHeight(lines_edit.fontMetrics().lineSpacing() * 4 + 12)
            lines_edit.setAccessibleName(label_text.replace("&", "").split(" (")[0])
            label = QLabel(label_text)
            label.setBuddy(lines_edit)
            form.addRow(label, lines_edit)
            self.line_edits[key] = lines_edit
        note = QLabel("Leeg laten of gelijk aan de standaard: dan geldt de standaardtekst.")
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _tariffs_tab(self) -> QWidget:
        page = QWidget()
        self.tariff_tree = QTreeWidget()
        self.tariff_tree.setAccessibleName("Tarieftabellen")
        self.tariff_tree.setRootIsDecorated(False)
        self.tariff_tree.setHeaderLabels(["Geldig vanaf", "IB1", "IB2", "IB3", "Herkomst", "Bron"])
        self.tariff_error = QLabel()
        self.tariff_error.setWordWrap(True)
        self.tariff_error.setStyleSheet("color: #b00020;")
        self.tariff_error.hide()
        add = QPushButton("Tarieftabel &toevoegen…")
        add.setAccessibleName("Tarieftabel toevoegen uit een TOML-bestand")
        add.clicked.connect(self._choose_tariff_file)
        note = QLabel(
            f"Nieuwe tabellen komen in de tarievenmap ({self._tariffs_dir}). Een tabel geldt "
            "vanaf zijn datum tot de volgende begint."
        )
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(note, 1)
        row.addWidget(add)
        layout = QVBoxLayout(page)
        layout.addWidget(self.tariff_tree, 1)
        layout.addWidget(self.tariff_error)
        layout.addLayout(row)
        self.reload_tariffs()
        return page

    def _data_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        db_text = str(self._db_path) if self._db_path else "—"
        db_label = QLabel(db_text)
        db_label.setWordWrap(True)
        db_label.setAccessibleName("Locatie van de database")
        form.addRow("Database:", db_label)
        data_dir = paths.user_data_dir()
        data_label = QLabel(str(data_dir))
        data_label.setWordWrap(True)
        data_label.setAccessibleName("Gegevensmap")
        form.addRow("Gegevensmap:", data_label)
        open_button = QPushButton("Gegevensmap &openen")
        open_button.setAccessibleName("Gegevensmap openen")
        open_button.clicked.connect(lambda: self._open_folder(data_dir))
        form.addRow("", open_button)
        if self._db_path is not None and self._db_path.parent != data_dir:
            db_button = QPushButton("&Databasemap openen")
            db_button.setAccessibleName("Map van de database openen")
            db_path = self._db_path
            db_button.clicked.connect(lambda: self._open_folder(db_path.parent))
            form.addRow("", db_button)
        note = QLabel(
            "De database is versleuteld. Back-ups staan in de map 'backups' naast de database. "
            "Zet de laptop zelf ook op schijfversleuteling en een schermvergrendeling."
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    # --- tariffs ----------------------------------------------------------------------------

    def reload_tariffs(self) -> None:
        from bwo_desktop.core.formatting import format_amount_nl
        from bwo_desktop.core.tariffs import BUILTIN_ORIGIN, load_tariff_book

        self.tariff_tree.clear()
        try:
            book = load_tariff_book(user_folder=self._tariffs_dir)
        except InputError as exc:
            self.tariff_error.setText(f"De tarieftabellen zijn niet te lezen: {exc}")
            self.tariff_error.show()
            return
        self.tariff_error.hide()
        today = dt.date.today()
        in_force = book.in_force(today)
        for table in book.tables:
            origin = "ingebouwd" if table.origin == BUILTIN_ORIGIN else Path(table.origin).name
            start = table.valid_from
            item = QTreeWidgetItem(
                [
                    f"{start.day:02d}-{start.month:02d}-{start.year}"
                    + (" (nu geldig)" if table is in_force else ""),
                    *(format_amount_nl(table.weekly[code]) for code in ("IB1", "IB2", "IB3")),
                    origin,
                    table.source or "",
                ]
            )
            self.tariff_tree.addTopLevelItem(item)
        for column in range(self.tariff_tree.columnCount()):
            self.tariff_tree.resizeColumnToContents(column)

    def add_tariff_file(self, source: Path) -> str | None:
        """Check a tariff file and copy it into the user's tariff folder; the Dutch problem
        when it is refused, None when added."""
        from bwo_desktop.core.tariffs import parse_tariff_file

        try:
            table = parse_tariff_file(source)
        except InputError as exc:
            return f"Deze tarieftabel is niet geldig: {exc}"
        folder = self._tariffs_dir
        target = folder / f"tarieven-{table.valid_from.isoformat()}.toml"
        if folder.is_dir():
            for existing in sorted(folder.glob("*.toml")):
                try:
                    other = parse_tariff_file(existing)
                except InputError:
                    continue
                if other.valid_from == table.valid_from:
                    return (
                        f"Er staat al een tarieftabel met ingangsdatum "
                        f"{table.valid_from.isoformat()} in de tarievenmap ({existing.name})."
                    )
        if target.exists():
            return f"Het bestand {target.name} bestaat al in de tarievenmap."
        tmp = target.with_name(target.name + ".tmp")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        except OSError as exc:
            return f"De tarieftabel kon niet worden gekopieerd: {describe_os_error(exc)}."
        self.reload_tariffs()
        return None

    def _choose_tariff_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Tarieftabel kiezen", str(Path.home()), "Tarieftabel (*.toml);;Alle bestanden (*)"
        )
        if not name:
            return
        problem = self.add_tariff_file(Path(name))
        if problem:
            QMessageBox.warning(self, "Tarieftabel niet toegevoegd", problem)
        else:
            QMessageBox.information(self, "Tarieftabel toegevoegd", "De tarieftabel is toegevoegd.")

    # --- result -----------------------------------------------------------------------------

    def _open_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def collect(self) -> tuple[Settings | None, str | None]:
        """The settings as entered, or the Dutch problem."""
        organisation = dict(self._settings.organisation)
        for key, _label, required in TEXT_FIELDS:
            value = self.text_edits[key].text().strip()
            if not value and required:
                value = str(self._defaults.get(key, ""))
            if value == self._defaults.get(key):
                organisation.pop(key, None)
            else:
                organisation[key] = value
        for key, _label in LINE_FIELDS:
            lines = [
                line.strip()
                for line in self.line_edits[key].toPlainText().splitlines()
                if line.strip()
            ]
            if not lines:
                lines = list(self._defaults.get(key, []))
            if lines == self._defaults.get(key):
                organisation.pop(key, None)
            else:
                organisation[key] = lines
        settings = replace(
            self._settings,
            consultant_name=tidy_name(self.consultant_edit.text()),
            idle_lock_minutes=self.idle_spin.value(),
            expiring_weeks=self.weeks_spin.value(),
            organisation=organisation,
        )
        problem = consultant_name_problem(settings.consultant_name)
        if problem:
            return None, problem
        return settings, None

    def accept(self) -> None:
        settings, problem = self.collect()
        if settings is None:
            self.error_label.setText(problem or "")
            self.error_label.show()
            self.tabs.setCurrentIndex(0)
            self.consultant_edit.setFocus()
            return
        if self._save is not None:
            try:
                self._save(settings)
            except (OSError, InputError) as exc:
                reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
                self.error_label.setText(f"De instellingen zijn niet opgeslagen: {reason}")
                self.error_label.show()
                return
        self._result = settings
        super().accept()

    def result_settings(self) -> Settings:
        return self._result
