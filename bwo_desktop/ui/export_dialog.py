"""Bestand → Exporteren naar Excel…: period, location, full BSNs or not, the target file;
the overview is written on a worker thread (`services.xlsx_service.export_cases`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.names import fold
from bwo_desktop.ui.task_dialog import (
    WARNING_STYLE,
    Progress,
    TaskDialog,
    documents_folder_of,
    export_notice,
    selected_day_and_location,
    window_database,
)

ALL_LOCATIONS = "Alle locaties"
FULL_BSN_WARNING = (
    "Volledige BSN's zijn alleen nodig voor het blad Toewijzingen. Een export met volledige "
    "BSN's wordt vastgelegd in het auditlog (wie, wanneer, welk bestand)."
)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def location_choices(locations: Iterable[str]) -> list[str]:
    """Distinct non-empty locations, sorted as a Dutch reader expects (accents ignored)."""
    seen: dict[str, str] = {}
    for location in locations:
        text = (location or "").strip()
        if text and fold(text) not in seen:
            seen[fold(text)] = text
    return [seen[key] for key in sorted(seen)]


def month_range(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


class ExportDialog(TaskDialog):
    """`export(out_path, date_from, date_to, location, full_bsn, progress)` runs on a worker
    thread and returns the service's ExportReport."""

    def __init__(
        self,
        export: Callable[..., Any],
        *,
        locations: Iterable[str],
        folder: Path,
        today: dt.date,
        default_location: str | None = None,
        notice: str | None = None,
        on_notice_shown: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Exporteren naar Excel", "&Exporteren", parent)
        self._export = export
        self._on_notice_shown = on_notice_shown
        self.report: Any = None
        self.set_notice(notice)

        first, last = month_range(today)
        self.period_box = QGroupBox("Alleen herindicaties in deze &periode")
        self.period_box.setCheckable(True)
        self.period_box.setChecked(True)
        self.period_box.setAccessibleName("Filter op herindicatiedatum")
        self.date_from = QDateEdit(qdate(first))
        self.date_to = QDateEdit(qdate(last))
        for edit, name in ((self.date_from, "Vanaf datum"), (self.date_to, "Tot en met datum")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setAccessibleName(name)
        period = QFormLayout(self.period_box)
        period.addRow("&Vanaf:", self.date_from)
        period.addRow("&Tot en met:", self.date_to)

        self.location_combo = QComboBox()
        self.location_combo.setAccessibleName("Locatie")
        self.location_combo.addItem(ALL_LOCATIONS, None)
        for location in location_choices(locations):
            self.location_combo.addItem(location, location)
        if default_location:
            found = self.location_combo.findData(default_location)
            self.location_combo.setCurrentIndex(max(found, 0))

        self.full_bsn_check = QCheckBox("Volledige &BSN's opnemen")
        self.full_bsn_check.setAccessibleName("Volledige BSN's opnemen")
        self.full_bsn_check.setChecked(False)
        self.full_bsn_warning = QLabel(FULL_BSN_WARNING)
        self.full_bsn_warning.setWordWrap(True)
        self.full_bsn_warning.setStyleSheet("color: #4a4a4a;")
        self.full_bsn_check.toggled.connect(self._full_bsn_toggled)

        from bwo_desktop.services.xlsx_service import export_file_name

        self.file_edit = QLineEdit(str(folder / export_file_name(today)))
        self.file_edit.setAccessibleName("Bestand")
        self.file_edit.setMinimumWidth(360)
        self.browse_button = QPushButton("&Bladeren…")
        self.browse_button.setAccessibleName("Bestand kiezen")
        self.browse_button.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)

        form = QFormLayout()
        location_label = QLabel("&Locatie:")
        location_label.setBuddy(self.location_combo)
        form.addRow(location_label, self.location_combo)
        bsn_box = QVBoxLayout()
        bsn_box.setSpacing(2)
        bsn_box.addWidget(self.full_bsn_check)
        bsn_box.addWidget(self.full_bsn_warning)
        form.addRow("", bsn_box)
        file_label = QLabel("Be&stand:")
        file_label.setBuddy(self.file_edit)
        form.addRow(file_label, file_row)
        self.form_layout.addWidget(self.period_box)
        self.form_layout.addLayout(form)

        self.run_button.clicked.connect(self.start_export)
        self.resize(560, self.sizeHint().height())

    def _full_bsn_toggled(self, checked: bool) -> None:
        self.full_bsn_warning.setStyleSheet(WARNING_STYLE if checked else "color: #4a4a4a;")

    def browse(self) -> None:
        current = self.file_edit.text().strip()
        path, _filter = QFileDialog.getSaveFileName(
            self, "Excel-bestand opslaan", current, "Excel-werkmap (*.xlsx)"
        )
        if path:
            self.file_edit.setText(path)

    # --- the values -------------------------------------------------------------------------

    def out_path(self) -> Path | None:
        text = self.file_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.period_box.isChecked():
            return None, None
        return pydate(self.date_from.date()), pydate(self.date_to.date())

    def location(self) -> str | None:
        data = self.location_combo.currentData()
        return data if isinstance(data, str) and data else None

    # --- running ----------------------------------------------------------------------------

    def start_export(self) -> None:
        out = self.out_path()
        if out is None:
            self.show_error("Kies het bestand waarin het overzicht komt.")
            self.file_edit.setFocus()
            return
        date_from, date_to = self.period()
        if date_from is not None and date_to is not None and date_to < date_from:
            self.show_error("De einddatum van de periode ligt voor de begindatum.")
            self.date_to.setFocus()
            return
        if self._on_notice_shown is not None and self.notice_label.isVisible():
            self._on_notice_shown()  # read here, before the first export: once is enough
        self.file_edit.setText(str(out))
        location, full_bsn, export = self.location(), self.full_bsn_check.isChecked(), self._export

        def work(progress: Progress) -> Any:
            return export(
                out,
                date_from=date_from,
                date_to=date_to,
                location=location,
                full_bsn=full_bsn,
                progress=progress,
            )

        self.run_task(work, self._done, "Overzicht wordt gemaakt…")

    def _done(self, report: Any) -> None:
        self.report = report
        bsn = "volledige BSN's" if report.full_bsn else "BSN's gemaskeerd"
        self.show_done(
            f"Klaar: {report.path.name}\n{report.cases} casussen, {report.lines} regels, "
            f"{report.toewijzingen} toewijzingen, {report.tariff_tables} tarieftabellen ({bsn}).",
            report.path.parent,
        )


def show_export_dialog(window: Any) -> ExportDialog:
    """Open the dialog over the main window (non-blocking; the window stays responsive)."""
    context = window.context
    db = window_database(window)
    user = context.settings.consultant_name or None
    folder = documents_folder_of(window)
    notice, shown = export_notice(window, folder)

    def export(out: Path, **options: Any) -> Any:
        from bwo_desktop.services.xlsx_service import export_cases

        return export_cases(db, out, user=user, **options)

    _day, location = selected_day_and_location(window)
    dialog = ExportDialog(
        export,
        locations=(s.location for s in window.model.summaries()),
        folder=folder,
        today=context.today(),
        default_location=location if window.day_combo.currentData() is not None else None,
        notice=notice,
        on_notice_shown=shown,
        parent=window,
    )
    dialog.open()
    return dialog
