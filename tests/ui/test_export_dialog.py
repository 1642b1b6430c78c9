"""Bestand → Exporteren naar Excel… on a real encrypted demo database: the workbook holds the
chosen rows, BSNs masked unless asked, the one-time notice, Dutch errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dialog_support import TODAY, copy_db, make_shell, no_folder_opening, open_copy, run_and_wait
from openpyxl import load_workbook

from bwo_desktop.core.names import fold
from bwo_desktop.exports.xlsx_export import default_file_name
from bwo_desktop.services import audit
from bwo_desktop.ui.background import wait_for_background
from bwo_desktop.ui.export_dialog import ALL_LOCATIONS, ExportDialog, location_choices, qdate

LOCATION = "Locatie Kompas, Dordrecht"


def expected(shell, first: dt.date, last: dt.date, location: str | None) -> set[str]:
    return {
        s.reference
        for s in shell.cases.list_summaries()
        if s.planned_date is not None
        and first <= s.planned_date <= last
        and (location is None or fold(location) in fold(s.location))
    }


def cases_sheet(path: Path) -> tuple[list[str], list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    try:
        rows = list(workbook["Casussen"].iter_rows(values_only=True))
    finally:
        workbook.close()
    return [str(h) for h in rows[0]], rows[1:]


def test_menu_has_the_action(shell) -> None:
    texts = [a.text() for a in shell.window.menuBar().actions()[0].menu().actions()]
    assert "&Exporteren naar Excel…" in texts


def test_export_writes_the_chosen_rows_with_masked_bsns(qtbot, shell) -> None:
    dialog = shell.window.show_export_xlsx()
    assert isinstance(dialog, ExportDialog)
    no_folder_opening(shell, dialog)
    # Defaults: this month, all locations, BSNs masked, a file name without a BSN.
    assert dialog.full_bsn_check.isChecked() is False
    assert dialog.location_combo.currentText() == ALL_LOCATIONS
    assert Path(dialog.file_edit.text()) == shell.docs / default_file_name(TODAY)
    assert dialog.location_combo.count() == 1 + len(
        location_choices(s.location for s in shell.cases.list_summaries())
    )

    first, last = dt.date(2026, 2, 1), dt.date(2026, 3, 31)
    dialog.date_from.setDate(qdate(first))
    dialog.date_to.setDate(qdate(last))
    dialog.location_combo.setCurrentIndex(dialog.location_combo.findData(LOCATION))
    out = shell.docs / "kompas.xlsx"
    dialog.file_edit.setText(str(out))

    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    want = expected(shell, first, last, LOCATION)
    assert len(want) >= 3
    header, rows = cases_sheet(out)
    assert {r[header.index("Kenmerk")] for r in rows} == want
    bsns = {s.bsn for s in shell.cases.list_summaries()}
    bsn_col = next(i for i, h in enumerate(header) if "BSN" in h)
    assert all(str(r[bsn_col]).startswith("*") for r in rows)
    assert not any(str(v) in bsns for r in rows for v in r)
    assert f"{len(want)} casussen" in dialog.status_label.text()
    assert dialog.folder_button.isVisible()
    dialog.folder_button.click()
    assert shell.opened_folders == [shell.docs]
    entry = audit.entries(shell.db)[-1]
    assert entry.action == "export" and entry.details["full_bsn"] is False


def test_full_bsns_only_when_asked(qtbot, shell) -> None:
    dialog = shell.window.show_export_xlsx()
    no_folder_opening(shell, dialog)
    dialog.period_box.setChecked(False)
    dialog.full_bsn_check.setChecked(True)
    out = shell.docs / "alles"  # .xlsx is added
    dialog.file_edit.setText(str(out))
    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    path = out.with_name("alles.xlsx")
    header, rows = cases_sheet(path)
    assert len(rows) == len(shell.cases.list_summaries())
    bsn_col = next(i for i, h in enumerate(header) if "BSN" in h)
    assert {str(r[bsn_col]) for r in rows} <= {s.bsn for s in shell.cases.list_summaries()}
    assert "volledige BSN's" in dialog.status_label.text()


def test_the_workbook_the_app_writes_names_no_option_or_code(qtbot, shell) -> None:
    """A masked export from the window: its Toewijzingen note speaks of the choice in the
    dialog, not of `--full-bsn`; sheets and components carry Dutch names."""
    dialog = shell.window.show_export_xlsx()
    no_folder_opening(shell, dialog)
    dialog.period_box.setChecked(False)
    out = shell.docs / "gemaskeerd.xlsx"
    dialog.file_edit.setText(str(out))
    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    workbook = load_workbook(out, read_only=True)
    try:
        assert workbook.sheetnames[0] == "Casussen"
        note = workbook["Toewijzingen"]["A1"].value
        components = {r[2] for r in workbook["Regels"].iter_rows(min_row=2, values_only=True)}
    finally:
        workbook.close()
    assert "volledige BSN's" in note and "--" not in note
    assert components and not any("_" in str(c) for c in components)


def test_end_before_start_is_refused_in_dutch(qtbot, shell) -> None:
    dialog = shell.window.show_export_xlsx()
    dialog.date_from.setDate(qdate(dt.date(2026, 3, 31)))
    dialog.date_to.setDate(qdate(dt.date(2026, 3, 1)))
    dialog.run_button.click()
    assert "einddatum" in dialog.status_label.text()
    assert not dialog.is_busy()
    assert not list(shell.docs.glob("*.xlsx")) if shell.docs.exists() else True


def test_a_bsn_in_the_file_name_is_refused(qtbot, shell) -> None:
    dialog = shell.window.show_export_xlsx()
    bsn = shell.cases.list_summaries()[0].bsn
    dialog.file_edit.setText(str(shell.docs / f"overzicht-{bsn}.xlsx"))
    assert not run_and_wait(qtbot, dialog, dialog.run_button.click)
    assert "BSN" in dialog.status_label.text()
    assert not (shell.docs / f"overzicht-{bsn}.xlsx").exists()


def test_notice_is_shown_once(qtbot, master: Path, tmp_path: Path) -> None:
    db = open_copy(copy_db(master, tmp_path))
    try:
        shell = make_shell(qtbot, db, tmp_path / "docs", notice_shown=False)
        dialog = shell.window.show_export_xlsx()
        assert dialog.notice_label.isVisibleTo(dialog)
        assert "niet versleuteld" in dialog.notice_label.text()
        dialog.period_box.setChecked(False)
        assert run_and_wait(qtbot, dialog, dialog.run_button.click)
        assert shell.window.context.settings.export_notice_shown
        assert shell.saved_settings and shell.saved_settings[-1].export_notice_shown
        dialog.close()
        again = shell.window.show_export_xlsx()
        assert not again.notice_label.isVisibleTo(again)
        again.close()
        shell.window.close()
    finally:
        wait_for_background()
        db.close()


# What Qt's save dialog says in English when its Dutch catalogue is missing or incomplete.
QT_ENGLISH = (
    "Look in", "Files of type", "File name", "Save", "Cancel", "Back", "Forward",
    "Parent Directory", "Create New Folder", "List View", "Detail View", "Name", "Size",
    "Date Modified", "Show hidden files", "Rename", "Delete", "New Folder",
)  # fmt: skip


def test_the_save_dialog_speaks_dutch_with_the_app_translations(qtbot, qapp) -> None:
    """Bladeren… opens Qt's own save dialog where Windows has no native one: with the app's
    translations every label, button, tooltip, column and menu item is Dutch. (Qt 6.11 wrote
    "&Look in:" and "Files of &type:", which the shipped Dutch catalogue lacks.)"""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QAbstractButton,
        QFileDialog,
        QHeaderView,
        QLabel,
    )

    from bwo_desktop.ui import qt_translations

    installed = qt_translations.install(qapp)
    assert installed, "qtbase_nl.qm niet gevonden"
    try:
        dialog = QFileDialog(None, "Excel-bestand opslaan", "", "Excel-werkmap (*.xlsx)")
        qtbot.addWidget(dialog)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        texts = [w.text() for w in dialog.findChildren(QLabel)]
        texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
        texts += [w.toolTip() for w in dialog.findChildren(QAbstractButton)]
        texts += [a.text() for a in dialog.findChildren(QAction)]
        for header in dialog.findChildren(QHeaderView):
            model = header.model()
            texts += [
                str(model.headerData(i, Qt.Orientation.Horizontal))
                for i in range(model.columnCount())
            ]
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)
    plain = [t.replace("&", "") for t in texts if t]
    assert {"Zoeken in:", "Bestandsnaam:", "Bestanden van type:", "Opslaan", "Annuleren"} <= set(
        plain
    )
    assert [t for t in plain if t.rstrip(":") in QT_ENGLISH] == []
