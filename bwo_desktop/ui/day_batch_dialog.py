"""Casus → Beschikkingen van een dag maken…: every definitief case of one herindicatie day at
one location, one beschikking each, into one folder (`services.letters.LetterService`, which
prints each frozen decision and audits each letter), on a worker thread with progress.

On request also the onderzoeksverslag of each case for the client, and the provider's copy
where the client consented (the other cases are listed with the reason). "Openen" opens the
last PDF with the system's viewer, "Map openen" the folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.errors import InputError
from bwo_desktop.services.letters import DayBatchReport, definitief_of_day, same_location
from bwo_desktop.ui.date_input import DayEdit
from bwo_desktop.ui.export_dialog import location_choices
from bwo_desktop.ui.task_dialog import (
    Progress,
    TaskDialog,
    documents_folder_of,
    export_notice,
    selected_day_and_location,
)

Render = Callable[[dt.date, str | None, Path, Progress, bool], DayBatchReport]


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DayBatchDialog(TaskDialog):
    """`render(day, location, out_dir, progress, verslagen)` runs on a worker thread and
    returns what was written (`services.letters.DayBatchReport`)."""

    def __init__(
        self,
        render: Render,
        *,
        summaries: Sequence[CaseSummary],
        day: dt.date,
        location: str | None,
        documents_folder: Path,
        notice: str | None = None,
        on_notice_shown: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Beschikkingen van een dag maken", "&Beschikkingen maken", parent)
        self._render = render
        self._summaries = list(summaries)
        self._documents = documents_folder
        self._on_notice_shown = on_notice_shown
        self._folder_edited = False
        self.written: list[Path] = []
        self.open_file: Callable[[Path], None] = open_file
        self.set_notice(notice)

        self.date_edit = DayEdit(day, "Herindicatiedatum")
        self.location_combo = QComboBox()
        self.location_combo.setAccessibleName("Locatie")
        self.location_combo.setMinimumContentsLength(30)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Aantal definitieve casussen")
        self.count_label.setWordWrap(True)

        self.folder_edit = QLineEdit()
        self.folder_edit.setAccessibleName("Map voor de beschikkingen")
        self.folder_edit.setMinimumWidth(360)
        self.folder_edit.textEdited.connect(self._folder_typed)
        self.browse_button = QPushButton("&Bladeren…")
        self.browse_button.setAccessibleName("Map kiezen")
        self.browse_button.clicked.connect(self.browse)
        self.verslag_check = QCheckBox("Ook de onderzoeks&verslagen maken")
        self.verslag_check.setToolTip(
            "Per casus het verslag voor de cliënt, en het verslag voor de zorgaanbieder "
            "alleen als de cliënt toestemming gaf om het te delen."
        )
        self.verslag_check.toggled.connect(self._update_count)
        self.skipped_view = QPlainTextEdit()
        self.skipped_view.setReadOnly(True)
        self.skipped_view.setAccessibleName("Niet gemaakte verslagen")
        self.skipped_view.setTabChangesFocus(True)
        self.skipped_view.setMaximumHeight(110)
        self.skipped_view.hide()
        self.open_button = QPushButton("&Openen")
        self.open_button.setAccessibleName("Laatst gemaakte PDF openen")
        self.open_button.clicked.connect(self.open_last)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()  # after addButton, which shows it: shown once a PDF exists
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        form = QFormLayout()
        date_label = QLabel("&Datum:")
        date_label.setBuddy(self.date_edit)
        location_label = QLabel("&Locatie:")
        location_label.setBuddy(self.location_combo)
        folder_label = QLabel("&Map:")
        folder_label.setBuddy(self.folder_edit)
        form.addRow(date_label, self.date_edit)
        form.addRow(location_label, self.location_combo)
        form.addRow("", self.count_label)
        form.addRow(folder_label, folder_row)
        form.addRow("", self.verslag_check)
        self.form_layout.addLayout(form)
        # After a run: which cases got no verslag for the provider, and why.
        self.form_layout.addWidget(self.skipped_view)

        self._fill_locations(location)
        self._update_folder()
        self._update_count()
        self.date_edit.day_changed.connect(self._date_changed)
        self.location_combo.currentIndexChanged.connect(self._update_count)
        self.run_button.clicked.connect(self.start)
        self.resize(560, self.sizeHint().height())

    # --- choices ----------------------------------------------------------------------------

    def day(self) -> dt.date:
        day = self.date_edit.day()
        assert day is not None  # it starts with a date and keeps the last valid one
        return day

    def location(self) -> str | None:
        data = self.location_combo.currentData()
        return data if isinstance(data, str) and data else None

    def _fill_locations(self, prefer: str | None) -> None:
        """Locations with cases on the chosen day first (with their count), then the rest."""
        day = self.day()
        current = prefer if prefer is not None else self.location()
        on_day = location_choices(s.location for s in self._summaries if s.planned_date == day)
        others = [
            loc
            for loc in location_choices(s.location for s in self._summaries)
            if not any(same_location(loc, d) for d in on_day)
        ]
        self.location_combo.blockSignals(True)
        self.location_combo.clear()
        for loc in on_day:
            n = len(definitief_of_day(self._summaries, day, loc))
            self.location_combo.addItem(f"{loc} ({n} definitief)", loc)
        for loc in others:
            self.location_combo.addItem(loc, loc)
        index = 0
        if current:
            for i in range(self.location_combo.count()):
                if same_location(self.location_combo.itemData(i), current):
                    index = i
                    break
        self.location_combo.setCurrentIndex(index)
        self.location_combo.blockSignals(False)

    def _date_changed(self, _day: object = None) -> None:
        self._fill_locations(None)
        self._update_folder()
        self._update_count()

    def _folder_typed(self, _text: str) -> None:
        self._folder_edited = True

    def _update_folder(self) -> None:
        if not self._folder_edited:
            self.folder_edit.setText(str(self._documents / self.day().isoformat()))

    def verslagen(self) -> bool:
        return self.verslag_check.isChecked()

    def _update_count(self) -> None:
        n = len(definitief_of_day(self._summaries, self.day(), self.location()))
        if n == 0:
            text = "Op deze dag en locatie is geen casus definitief."
        elif n == 1:
            text = "1 definitieve casus: 1 beschikking"
        else:
            text = f"{n} definitieve casussen: {n} beschikkingen"
        if n and self.verslagen():
            text += (
                f" en {n} {'verslag' if n == 1 else 'verslagen'} voor de cliënt; voor de "
                "zorgaanbieder alleen met toestemming."
            )
        elif n:
            text += "."
        self.count_label.setText(text)
        self.run_button.setEnabled(n > 0 and not self.is_busy())

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Map voor de beschikkingen", self.folder_edit.text().strip()
        )
        if folder:
            self.folder_edit.setText(folder)
            self._folder_edited = True

    # --- running ----------------------------------------------------------------------------

    def start(self) -> None:
        try:
            self.date_edit.typed_day("Datum")  # what is in the field, not an older date
        except InputError as exc:
            self.show_error(f"Datum: {exc.problem}.")
            self.date_edit.setFocus()
            return
        text = self.folder_edit.text().strip()
        if not text:
            self.show_error("Kies de map waarin de beschikkingen komen.")
            self.folder_edit.setFocus()
            return
        location = self.location()
        if location is None:
            self.show_error("Kies de locatie van de herindicatiedag.")
            return
        if self._on_notice_shown is not None and self.notice_label.isVisible():
            self._on_notice_shown()
        folder, day, render = Path(text).expanduser(), self.day(), self._render
        verslagen = self.verslagen()

        def work(progress: Progress) -> DayBatchReport:
            return render(day, location, folder, progress, verslagen)

        busy = "Beschikkingen en verslagen maken…" if verslagen else "Beschikkingen maken…"
        self.run_task(work, lambda report: self._done(report, folder), busy)

    def set_busy(self, busy: bool, text: str = "") -> None:
        super().set_busy(busy, text)
        if busy:
            self.open_button.hide()
            self.skipped_view.hide()
        else:
            self._update_count()

    def _done(self, report: DayBatchReport, folder: Path) -> None:
        self.written = [*report.files, *report.verslagen]
        n = len(report.files)
        if n == 0:
            self.show_done("Er was op deze dag en locatie geen definitieve casus.", None)
            return
        text = f"Klaar: {n} {'beschikking' if n == 1 else 'beschikkingen'}"
        if report.verslagen:
            v = len(report.verslagen)
            text += f" en {v} {'onderzoeksverslag' if v == 1 else 'onderzoeksverslagen'}"
        text += f" in {folder}."
        if report.skipped:
            s = len(report.skipped)
            text += (
                f" Voor {s} {'casus' if s == 1 else 'casussen'} is geen verslag voor de "
                "zorgaanbieder gemaakt (zie de lijst hierboven)."
            )
            self.skipped_view.setPlainText(
                "\n".join(f"{reference}: {reason}" for reference, reason in report.skipped)
            )
            self.skipped_view.show()
        self.show_done(text, folder)
        self.open_button.show()

    def open_last(self) -> None:
        """The last PDF written, in the system's PDF viewer."""
        if self.written:
            self.open_file(self.written[-1])


def show_day_batch(window: Any) -> DayBatchDialog:
    context = window.context
    cases = context.cases
    is_demo = bool(context.is_demo)
    documents = documents_folder_of(window)
    notice, shown = export_notice(window, documents)

    letters = context.letters
    if letters is None:  # no shared letter service handed in: one over the case service
        from bwo_desktop.services.letters import LetterService

        letters = LetterService(cases, demo=is_demo)

    def render(
        day: dt.date, location: str | None, out_dir: Path, progress: Progress, verslagen: bool
    ) -> DayBatchReport:
        report: DayBatchReport = letters.day_batch(
            day, out_dir, progress, location=location, verslagen=verslagen
        )
        return report

    day, location = selected_day_and_location(window)
    dialog = DayBatchDialog(
        render,
        summaries=window.model.summaries(),
        day=day,
        location=location,
        documents_folder=documents,
        notice=notice,
        on_notice_shown=shown,
        parent=window,
    )
    dialog.open()
    return dialog
