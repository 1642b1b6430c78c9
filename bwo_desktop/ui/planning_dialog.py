"""Bestand → Planning importeren…: the list is read and checked on a worker thread; problems
are listed row by row ("rij N: kolom: reden", copyable) and nothing is imported; otherwise the
preview (updates first, then new, then skipped) and "Importeren" in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.ui.background import run_in_background
from bwo_desktop.ui.operations import failure_text
from bwo_desktop.ui.task_dialog import (
    Progress,
    TaskDialog,
    documents_folder_of,
    window_database,
)

TEMPLATE_FILE_NAME = "sjabloon-herindicatieplanning.xlsx"

PREVIEW_COLUMNS = ("Actie", "Rij", "Cliënt", "BSN", "Datum en tijd", "Locatie", "Wijzigingen")
ACTION_LABELS = {"bijgewerkt": "bijgewerkt", "nieuw": "nieuw", "overgeslagen": "overgeslagen"}


def error_lines(errors: Sequence[Any]) -> str:
    return "\n".join(str(e) for e in errors)


def counts_text(report: Any) -> str:
    return (
        f"{report.updated} bijgewerkt, {report.new} nieuw, {report.skipped} overgeslagen "
        f"({len(report.outcomes)} rijen)"
    )


class PlanningImportDialog(TaskDialog):
    """`check(path)` (worker) returns (PlanningRead, ImportReport preview or None when the
    file has row errors); `do_import(rows, consultant_name, file_name)` (worker) imports
    or raises PlanningImportError. `imported` fires after a successful import."""

    imported = Signal(object)

    def __init__(
        self,
        path: Path,
        *,
        check: Callable[[Path], tuple[Any, Any]],
        do_import: Callable[[Sequence[Any], str, str], Any],
        consultant_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Planning importeren", "&Importeren", parent)
        self.path = path
        self._check = check
        self._do_import = do_import
        self.read: Any = None
        self.preview: Any = None
        self.report: Any = None

        self.file_label = QLabel(f"Bestand: {path.name}")
        self.file_label.setAccessibleName("Planningsbestand")
        self.file_label.setToolTip(str(path))
        self.consultant_edit = QLineEdit(consultant_name)
        self.consultant_edit.setAccessibleName("Consulent bij de nieuwe casussen")
        self.consultant_edit.setPlaceholderText("Naam van de consulent")
        consultant_label = QLabel("&Consulent:")
        consultant_label.setBuddy(self.consultant_edit)
        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Aantallen")
        self.preview_tree = QTreeWidget()
        self.preview_tree.setAccessibleName("Voorbeeld van de import")
        self.preview_tree.setHeaderLabels(list(PREVIEW_COLUMNS))
        self.preview_tree.setRootIsDecorated(False)
        self.preview_tree.setAlternatingRowColors(True)
        self.preview_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.preview_tree.setUniformRowHeights(True)
        header = self.preview_tree.header()
        header.setStretchLastSection(True)
        for column, width in enumerate((90, 40, 190, 90, 120, 190)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview_tree.setMinimumHeight(220)
        self.preview_tree.hide()
        self.counts_label.hide()

        form = QFormLayout()
        form.addRow(self.file_label)
        form.addRow(consultant_label, self.consultant_edit)
        self.form_layout.addLayout(form)
        self.form_layout.addWidget(self.counts_label)
        self.form_layout.addWidget(self.preview_tree, 1)

        self.copy_button = QPushButton("&Kopiëren")
        self.copy_button.setAccessibleName("Meldingen kopiëren")
        self.copy_button.clicked.connect(self.copy_errors)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.hide()

        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self.start_import)
        self.resize(900, 520)

    # --- step 1: read and check -----------------------------------------------------------

    def start_check(self) -> None:
        check, path = self._check, self.path

        def work(_progress: Progress) -> tuple[Any, Any]:
            return check(path)

        self.run_task(work, self._checked, "Planning wordt gelezen en gecontroleerd…")
        self.run_button.setEnabled(False)

    def _checked(self, result: tuple[Any, Any]) -> None:
        read, preview = result
        self.read = read
        if read.errors or preview is None:
            self._show_errors(read.errors, read.file_name)
            return
        if preview.errors:
            self._show_errors(preview.errors, read.file_name)
            return
        self.preview = preview
        self._show_preview(preview)

    def _show_errors(self, errors: Sequence[Any], file_name: str) -> None:
        self.run_button.setEnabled(False)
        self.run_button.hide()
        count = len(errors)
        self.show_error(
            f"{file_name}: {count} {'fout' if count == 1 else 'fouten'} gevonden; er is niets "
            "geïmporteerd. Pas het bestand aan en importeer het opnieuw.",
            error_lines(errors),
        )
        self.copy_button.show()

    def _show_preview(self, report: Any) -> None:
        self.preview_tree.clear()
        for outcome in report.outcomes:  # updates first, then new, then skipped
            when = format_date_short(outcome.date)
            if outcome.time is not None:
                when += f" {outcome.time:%H:%M}"
            item = QTreeWidgetItem(
                [
                    ACTION_LABELS.get(outcome.action, outcome.action),
                    str(outcome.row),
                    outcome.client,
                    outcome.bsn_masked,
                    when,
                    outcome.location,
                    ", ".join(outcome.changes),
                ]
            )
            self.preview_tree.addTopLevelItem(item)
        self.preview_tree.show()
        self.counts_label.setText(counts_text(report))
        self.counts_label.show()
        if report.new or report.updated:
            self.run_button.setEnabled(True)
            self.show_status("Controleer het voorbeeld en kies Importeren.")
            self.run_button.setFocus()
        else:
            self.run_button.setEnabled(False)
            self.show_status("Alle rijen staan al zo in de database: er is niets te importeren.")

    # --- step 2: import -------------------------------------------------------------------

    def start_import(self) -> None:
        if self.read is None or self.preview is None:
            return
        consultant = self.consultant_edit.text().strip()
        if not consultant:
            self.show_error("Vul de naam van de consulent in: die komt bij de nieuwe casussen.")
            self.consultant_edit.setFocus()
            return
        rows, file_name, do_import = list(self.read.rows), self.read.file_name, self._do_import

        def work(_progress: Progress) -> Any:
            return do_import(rows, consultant, file_name)

        self.run_task(work, self._imported, "Planning wordt geïmporteerd…", self._import_failed)

    def _imported(self, report: Any) -> None:
        self.report = report
        self.run_button.setEnabled(False)
        self.run_button.hide()
        self.consultant_edit.setReadOnly(True)
        self.show_done(f"Geïmporteerd: {counts_text(report)}.", None)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.imported.emit(report)

    def _import_failed(self, exc: BaseException) -> None:
        report = getattr(exc, "report", None)
        if report is not None and report.errors:
            self._show_errors(report.errors, report.file_name)
        else:
            self.show_error(failure_text(exc))

    def set_busy(self, busy: bool, text: str = "") -> None:
        super().set_busy(busy, text)
        if not busy and self.preview is None:
            self.run_button.setEnabled(False)

    def copy_errors(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.error_view.toPlainText())


# --- from the main window -------------------------------------------------------------------


def planning_operations(db: Any, user: str | None) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The two worker steps: read + check + preview, and the import itself."""

    def check(path: Path) -> tuple[Any, Any]:
        from bwo_desktop.services.planning_service import check_planning

        return check_planning(db, path, user=user)  # PlanningFileError: whole file refused

    def do_import(rows: Sequence[Any], consultant: str, file_name: str) -> Any:
        from bwo_desktop.services.planning_service import import_planning

        return import_planning(db, rows, consultant_name=consultant, file_name=file_name, user=user)

    return check, do_import


def choose_planning_file(parent: QWidget, folder: Path) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Planning importeren", str(folder), "Excel-werkmap (*.xlsx);;Alle bestanden (*)"
    )
    return Path(path) if path else None


def show_planning_import(window: Any, path: Path | None = None) -> PlanningImportDialog | None:
    """Ask for the file (unless given), then check it in the dialog; a successful import
    reloads the case list."""
    if path is None:
        path = choose_planning_file(window, documents_folder_of(window))
        if path is None:
            return None
    context = window.context
    user = context.settings.consultant_name or None
    check, do_import = planning_operations(window_database(window), user)
    dialog = PlanningImportDialog(
        path,
        check=check,
        do_import=do_import,
        consultant_name=context.settings.consultant_name,
        parent=window,
    )
    dialog.imported.connect(lambda _report: window.context.events.changed())
    dialog.open()
    dialog.start_check()
    return dialog


def save_planning_template(window: Any, path: Path | None = None) -> None:
    """Write the empty template (with one fictional example row) where the user chooses."""
    if path is None:
        suggested = documents_folder_of(window) / TEMPLATE_FILE_NAME
        chosen, _filter = QFileDialog.getSaveFileName(
            window, "Sjabloon voor planning opslaan", str(suggested), "Excel-werkmap (*.xlsx)"
        )
        if not chosen:
            return
        path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    target = path

    def write() -> Path:
        from bwo_desktop.services.planning_service import write_planning_template

        target.parent.mkdir(parents=True, exist_ok=True)
        return write_planning_template(target)

    def done(written: Path) -> None:
        window.statusBar().showMessage(f"Sjabloon opgeslagen: {written}", 8000)

    def failed(exc: BaseException) -> None:
        QMessageBox.warning(
            window,
            "Sjabloon voor planning",
            f"Het sjabloon is niet opgeslagen. {failure_text(exc)}",
        )

    window.statusBar().showMessage("Sjabloon wordt opgeslagen…")
    run_in_background(write, done, failed, owner=window)
