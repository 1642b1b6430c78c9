"""Bestand → Planning importeren… / Sjabloon opslaan… on a real encrypted demo database: a
bad file lists every problem and stores nothing; a good one previews, imports, and the list
shows the new cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from dialog_support import run_and_wait
from openpyxl import Workbook
from PySide6.QtGui import QGuiApplication

from bwo_desktop.imports.planning import COLUMNS, read_planning
from bwo_desktop.services.demo import demo_bsns
from bwo_desktop.ui.background import wait_for_background
from bwo_desktop.ui.planning_dialog import PlanningImportDialog

HEADERS = [title for title, _required, _variants in COLUMNS.values()]


def free_bsns(shell: Any, n: int) -> list[str]:
    used = {s.bsn for s in shell.cases.list_summaries()}
    return [b for b in demo_bsns() if b not in used][:n]


def row(bsn: str, last_name: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "bsn": bsn,
        "last_name": last_name,
        "prefix": None,
        "initials": "A.",
        "first_name": None,
        "birth_date": dt.date(1985, 4, 2),
        "street": None,
        "house_number": None,
        "postcode": None,
        "city": None,
        "provider_name": "Stichting Het Kompas",
        "date": dt.date(2026, 4, 14),
        "time": dt.time(9, 30),
        "location": "Locatie Kompas, Dordrecht",
        "begeleider_name": None,
        "begeleider_phone": None,
        "begeleider_email": None,
        "current_end_date": None,
    }
    values.update(overrides)
    return values


def write_planning(path: Path, rows: list[dict[str, Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for values in rows:
        sheet.append([values.get(key) for key in COLUMNS])
    workbook.save(path)
    return path


def open_import(qtbot, shell, path: Path) -> PlanningImportDialog:
    """Open the dialog on `path` and wait for the check it starts at once."""
    dialog = shell.window.show_import_planning(path)
    assert isinstance(dialog, PlanningImportDialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30_000)
    return dialog


def test_menu_has_the_actions(shell) -> None:
    texts = [a.text() for a in shell.window.menuBar().actions()[0].menu().actions()]
    assert "&Planning importeren…" in texts
    assert "&Sjabloon voor planning opslaan…" in texts


def test_bad_file_lists_every_problem_and_stores_nothing(qtbot, shell, tmp_path) -> None:
    before = len(shell.cases.list_summaries())
    good, second = free_bsns(shell, 2)
    path = write_planning(
        tmp_path / "fout.xlsx",
        [
            row(good, "Jansen"),
            row("123456789", "Bakker"),  # fails the 11-proef
            row(second, "", initials=None),  # no last name, no initials
        ],
    )
    dialog = open_import(qtbot, shell, path)
    lines = dialog.error_view.toPlainText().splitlines()
    assert lines == [str(e) for e in read_planning(path).errors]
    assert any(line.startswith("rij 3 (Bakker, ") and ": BSN" in line for line in lines)
    assert any(line.startswith("rij 4:") and "Achternaam" in line for line in lines)  # no name
    assert "niets geïmporteerd" in dialog.status_label.text()
    assert not dialog.run_button.isVisible()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.error_view.toPlainText()
    assert len(shell.cases.list_summaries()) == before
    from bwo_desktop.services import audit

    last = audit.entries(shell.db)[-1]
    assert last.action == "import" and last.result == "refused"


def test_a_file_that_is_not_a_workbook_is_refused(qtbot, shell, tmp_path) -> None:
    path = tmp_path / "planning.xlsx"
    path.write_text("dit is geen Excel-bestand", encoding="utf-8")
    dialog = open_import(qtbot, shell, path)
    assert "planning.xlsx" in dialog.status_label.text()
    assert not dialog.run_button.isEnabled()


def test_good_file_previews_imports_and_the_list_shows_the_cases(qtbot, shell, tmp_path) -> None:
    before = {s.id for s in shell.cases.list_summaries()}
    bsns = free_bsns(shell, 3)
    names = ["Çelik", "Wiśniewski", "Visser"]
    path = write_planning(
        tmp_path / "planning.xlsx",
        [
            row(b, n, time=dt.time(9 + i, 0))
            for i, (b, n) in enumerate(zip(bsns, names, strict=True))
        ],
    )
    dialog = open_import(qtbot, shell, path)
    assert dialog.error_view.isHidden()
    assert dialog.preview_tree.topLevelItemCount() == 3
    assert [dialog.preview_tree.topLevelItem(i).text(0) for i in range(3)] == ["nieuw"] * 3
    shown = {dialog.preview_tree.topLevelItem(i).text(3) for i in range(3)}
    assert not shown & set(bsns)  # masked
    assert "0 bijgewerkt, 3 nieuw, 0 overgeslagen" in dialog.counts_label.text()
    assert dialog.run_button.isEnabled()
    assert len(shell.cases.list_summaries()) == len(before)  # a preview stores nothing

    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    assert "Geïmporteerd" in dialog.status_label.text()
    qtbot.waitUntil(lambda: shell.window.model.rowCount() == len(before) + 3, timeout=10_000)
    new = [s for s in shell.window.model.summaries() if s.id not in before]
    assert sorted(s.bsn for s in new) == sorted(bsns)
    assert all(s.status == "planned" for s in new)
    assert {s.client_name.split(",")[0] for s in new} == set(names)

    # The same file again: everything is skipped, nothing to import.
    again = open_import(qtbot, shell, path)
    assert [again.preview_tree.topLevelItem(i).text(0) for i in range(3)] == ["overgeslagen"] * 3
    assert not again.run_button.isEnabled()


def test_updates_come_first_in_the_preview(qtbot, shell, tmp_path) -> None:
    bsns = free_bsns(shell, 2)
    first = write_planning(tmp_path / "een.xlsx", [row(bsns[0], "Smit")])
    dialog = open_import(qtbot, shell, first)
    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    dialog.close()
    changed = write_planning(
        tmp_path / "twee.xlsx",
        [row(bsns[1], "Bos"), row(bsns[0], "Smit", time=dt.time(11, 15))],
    )
    dialog = open_import(qtbot, shell, changed)
    actions = [dialog.preview_tree.topLevelItem(i).text(0) for i in range(2)]
    assert actions == ["bijgewerkt", "nieuw"]
    assert "tijd" in dialog.preview_tree.topLevelItem(0).text(6)


def test_template_is_saved_and_reads_back(qtbot, shell, tmp_path) -> None:
    target = tmp_path / "sjabloon"
    shell.window.save_planning_template(target)
    written = target.with_name("sjabloon.xlsx")
    qtbot.waitUntil(written.exists, timeout=10_000)
    wait_for_background()
    read = read_planning(written)
    assert read.errors == [] and len(read.rows) == 1
