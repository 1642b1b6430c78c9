"""Casus → Beschikkingen van een dag maken…: every definitief case of one herindicatie day at
one location, one beschikking each, into one folder (`services.letters.LetterService`, which
prints each frozen decision and audits each letter), on a worker thread with progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.services.letters import definitief_of_day, same_location
from bwo_desktop.ui.export_dialog import location_choices, pydate, qdate
from bwo_desktop.ui.task_dialog import (
    Progress,
    TaskDialog,
    documents_folder_of,
    export_notice,
    selected_day_and_location,
)


class DayBatchDialog(TaskDialog):
    """`render(day, location, out_dir, progress)` runs on a worker thread and returns the
    files written."""

    def __init__(
        self,
        render: Callable[[dt.date, str | None, Path, Progress], list[Path]],
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
        self.set_notice(notice)

        self.date_edit = QDateEdit(qdate(day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.date_edit.setAccessibleName("Herindicatiedatum")
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
        self.form_layout.addLayout(form)

        self._fill_locations(location)
        self._update_folder()
        self._update_count()
        self.date_edit.dateChanged.connect(self._date_changed)
        self.location_combo.currentIndexChanged.connect(self._update_count)
        self.run_button.clicked.connect(self.start)
        self.resize(560, self.sizeHint().height())

    # --- choices ----------------------------------------------------------------------------

    def day(self) -> dt.date:
        return pydate(self.date_edit.date())

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

    def _date_changed(self) -> None:
        self._fill_locations(None)
        self._update_folder()
        self._update_count()

    def _folder_typed(self, _text: str) -> None:
        self._folder_edited = True

    def _update_folder(self) -> None:
        if not self._folder_edited:
            self.folder_edit.setText(str(self._documents / self.day().isoformat()))

    def _update_count(self) -> None:
        n = len(definitief_of_day(self._summaries, self.day(), self.location()))
        if n == 0:
            self.count_label.setText("Op deze dag en locatie is geen casus definitief.")
        elif n == 1:
            self.count_label.setText("1 definitieve casus: 1 beschikking.")
        else:
            self.count_label.setText(f"{n} definitieve casussen: {n} beschikkingen.")
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

        def work(progress: Progress) -> list[Path]:
            return render(day, location, folder, progress)

        self.run_task(work, lambda files: self._done(files, folder), "Beschikkingen maken…")

    def set_busy(self, busy: bool, text: str = "") -> None:
        super().set_busy(busy, text)
        if not busy and hasattr(self, "count_label"):
            self._update_count()

    def _done(self, files: list[Path], folder: Path) -> None:
        self.written = list(files)
        n = len(files)
        if n == 0:
            self.show_done("Er was op deze dag en locatie geen definitieve casus.", None)
            return
        word = "beschikking" if n == 1 else "beschikkingen"
        self.show_done(f"Klaar: {n} {word} in {folder}.", folder)


def show_day_batch(window: Any) -> DayBatchDialog:
    context = window.context
    cases = context.cases
    is_demo = bool(context.is_demo)
    documents = documents_folder_of(window)
    notice, shown = export_notice(window, documents)

    letters = getattr(context, "letters", None)
    if letters is None:
        from bwo_desktop.services.letters import LetterService

        letters = LetterService(cases, demo=is_demo)

    def render(day: dt.date, location: str | None, out_dir: Path, progress: Progress) -> Any:
        return letters.day_batch(day, out_dir, progress, location=location).files

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
