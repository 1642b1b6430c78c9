"""Helpers of the dialog tests: a real encrypted demo database and the real main window on
it (with a stand-in case editor), plus key sending that survives non-ASCII text.

The fixtures `master` (one demo database per test module) and `shell` (the main window on a
fresh copy of it) live here; tests/ui/conftest.py makes them available to the tests."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeEditor, FakeEditorFactory
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from bwo_desktop.settings import Settings
from bwo_desktop.ui.background import wait_for_background
from bwo_desktop.ui.main_window import MainWindow, ShellContext

PASSPHRASE = "correct paard batterij nietje"
TODAY = dt.date(2026, 3, 10)
CONSULTANT = "T. Consulent"
DEMO_CASES = 60


def make_master(folder: Path) -> Path:
    """A demo database generated once per module; tests work on copies."""
    from bwo_desktop.services import demo
    from bwo_desktop.services.database import open_database

    path = folder / "bwo.db"
    db = open_database(path, PASSPHRASE, create=True, backup_before_migrate=False)
    try:
        demo.generate(db, DEMO_CASES, seed=1, today=TODAY)
    finally:
        db.close()
    return path


def copy_db(master: Path, folder: Path) -> Path:
    target = folder / "bwo.db"
    shutil.copyfile(master, target)
    key = master.with_name(master.name + ".key")
    shutil.copyfile(key, folder / key.name)
    return target


def open_copy(path: Path) -> Any:
    from bwo_desktop.services.database import open_database

    return open_database(path, PASSPHRASE, backup_before_migrate=False)


@dataclass
class Shell:
    window: MainWindow
    db: Any
    cases: Any
    docs: Path
    saved_settings: list[Settings] = field(default_factory=list)
    opened_folders: list[Path] = field(default_factory=list)


def make_shell(qtbot: Any, db: Any, docs: Path, *, notice_shown: bool = True) -> Shell:
    from bwo_desktop.services.cases import CaseService

    FakeEditor.instances.clear()
    cases = CaseService(db, user=CONSULTANT)
    saved: list[Settings] = []
    context = ShellContext(
        cases=cases,
        settings=Settings(consultant_name=CONSULTANT, export_notice_shown=notice_shown),
        db_path=None,
        is_demo=bool(db.is_demo),
        save_settings=saved.append,
        editor_factory=FakeEditorFactory(cases),
        db=db,
        documents_dir=docs,
        today=lambda: TODAY,
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_cases(cases.list_summaries())
    window.show()
    qtbot.waitExposed(window)
    return Shell(window=window, db=db, cases=cases, docs=docs, saved_settings=saved)


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database of one test module (module scope: each importing module has its own)."""
    return make_master(tmp_path_factory.mktemp("dialogs"))


@pytest.fixture
def shell(qtbot: Any, master: Path, tmp_path: Path) -> Iterator[Shell]:
    """The main window on a fresh copy of the module's demo database; closed afterwards."""
    db = open_copy(copy_db(master, tmp_path))
    made = make_shell(qtbot, db, tmp_path / "docs")
    yield made
    # Dialogs the test left open (the day batch, the export) go too: a window left visible
    # takes the keyboard from the next test's window.
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and widget is not made.window:
            widget.close()
    made.window.close()
    wait_for_background()
    db.close()


def no_folder_opening(shell: Shell, dialog: Any) -> None:
    dialog.open_folder = shell.opened_folders.append


def type_text(widget: QWidget, text: str) -> None:
    """Key events that carry the text (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def run_and_wait(qtbot: Any, dialog: Any, trigger: Any, timeout: int = 30_000) -> bool:
    """Click/trigger, then wait for the dialog's worker to report; True when it succeeded."""
    with qtbot.waitSignal(dialog.task_finished, timeout=timeout) as blocker:
        trigger()
    return bool(blocker.args[0])
