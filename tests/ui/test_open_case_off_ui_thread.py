"""Opening a case never waits on the database on the UI thread: the shell shows the case page
with the client's name at once, a worker reads the case, and the editor appears when it is
read. Going back (or to another case) meanwhile throws the late result away."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from editor_support import CONSULTANT, close_case, make_world, show_main_window
from fakes import FakeCases, FakeEditorFactory, make_summaries
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event

from bwo_desktop.settings import Settings
from bwo_desktop.ui.background import wait_for_background
from bwo_desktop.ui.case_editor import CaseEditor
from bwo_desktop.ui.main_window import MSG_OPENING, MainWindow, ShellContext


def _shell(qtbot: Any, cases: FakeCases, factory: FakeEditorFactory) -> MainWindow:
    context = ShellContext(cases=cases, settings=Settings(), editor_factory=factory)
    return show_main_window(qtbot, context)


def _ui_thread_free(qtbot: Any) -> None:
    """The event loop runs: a timer queued now fires (it would not while the UI thread
    waits on a worker or a lock)."""
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)


def test_the_case_page_shows_at_once_and_the_editor_when_the_case_is_read(qtbot: Any) -> None:
    summaries = make_summaries(8)
    cases = FakeCases(summaries)
    hold = threading.Event()
    factory = FakeEditorFactory(cases, hold)
    window = _shell(qtbot, cases, factory)
    target = summaries[3]

    window.open_case(target.id)  # returns while the worker still waits on `hold`
    assert window.stack.currentIndex() == MainWindow.PAGE_CASE
    assert window.is_opening() and window.editor is None
    assert window.opening_label.isVisible() and window.opening_label.text() == MSG_OPENING
    assert target.client_name in window.case_title.text()
    assert window.case_bar.isVisible()  # the way back works before the case is there
    _ui_thread_free(qtbot)

    hold.set()
    qtbot.waitUntil(lambda: window.editor is not None, timeout=5000)
    assert not window.opening_label.isVisible()
    assert len(factory.load_threads) == 1
    assert factory.load_threads[0] is not threading.main_thread()
    assert window.open_case_id == target.id


def test_back_while_opening_drops_the_late_case(qtbot: Any) -> None:
    summaries = make_summaries(8)
    cases = FakeCases(summaries)
    hold = threading.Event()
    factory = FakeEditorFactory(cases, hold)
    window = _shell(qtbot, cases, factory)

    window.open_case(summaries[1].id)
    window.back_to_list()  # the consultant changed their mind: Esc
    assert window.stack.currentIndex() == MainWindow.PAGE_LIST
    assert not window.is_opening()
    hold.set()
    assert wait_for_background(5000)
    _ui_thread_free(qtbot)
    assert window.editor is None  # the late result did not pop up over the list
    assert window.stack.currentIndex() == MainWindow.PAGE_LIST

    window.open_case(summaries[2].id)
    qtbot.waitUntil(lambda: window.editor is not None, timeout=5000)
    assert window.open_case_id == summaries[2].id


def test_another_case_while_opening_shows_the_last_one_asked(qtbot: Any) -> None:
    summaries = make_summaries(8)
    cases = FakeCases(summaries)
    hold = threading.Event()
    window = _shell(qtbot, cases, FakeEditorFactory(cases, hold))

    window.open_case(summaries[1].id)
    window.back_to_list()
    window.open_case(summaries[4].id)
    hold.set()
    qtbot.waitUntil(lambda: window.editor is not None and not window.is_opening(), timeout=5000)
    assert wait_for_background(5000)
    _ui_thread_free(qtbot)
    assert window.open_case_id == summaries[4].id
    assert window.editor.case_id == summaries[4].id  # type: ignore[attr-defined]
    assert window.editor_layout.count() == 2  # the "opening" label and one editor


def test_a_case_gone_meanwhile_says_so_and_leaves_the_list(qtbot: Any, monkeypatch: Any) -> None:
    summaries = make_summaries(8)
    cases = FakeCases(summaries)
    window = _shell(qtbot, cases, FakeEditorFactory(cases))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    gone = summaries[5]
    del cases.rows[gone.id]  # deleted elsewhere after the list was loaded

    window.open_case(gone.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "De zaak kon niet worden geopend" in shown[0]
    assert "Traceback" not in shown[0]
    assert window.stack.currentIndex() == MainWindow.PAGE_LIST
    assert window.editor is None and window.open_case_id is None
    qtbot.waitUntil(lambda: window.model.row_of(gone.id) is None, timeout=5000)


def test_no_sql_on_the_ui_thread_while_another_connection_holds_the_write_lock(
    qtbot: Any, tmp_path: Path
) -> None:
    """Today's defect: a write held by another connection blocked the UI for 2.3 s when a
    case opened. Every statement of opening the case must run on a worker."""
    world = make_world(tmp_path)
    context = ShellContext(cases=world.service, settings=Settings(consultant_name=CONSULTANT))
    window = show_main_window(qtbot, context)
    on_ui_thread: list[str] = []
    on_workers: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        ui = threading.current_thread() is threading.main_thread()
        (on_ui_thread if ui else on_workers).append(statement.split(None, 1)[0])

    event.listen(world.db.engine, "before_cursor_execute", record)
    writer = world.db.engine.raw_connection()  # another connection, holding the write lock
    try:
        cursor = writer.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        window.open_case(world.case_id)
        _ui_thread_free(qtbot)
        qtbot.waitUntil(lambda: isinstance(window.editor, CaseEditor), timeout=10_000)
        assert on_ui_thread == []
        assert "SELECT" in on_workers  # the case was read, on a worker
    finally:
        writer.rollback()
        writer.close()
        event.remove(world.db.engine, "before_cursor_execute", record)
    editor = window.editor
    assert isinstance(editor, CaseEditor) and editor.title.text() == "Mila de Wilde"
    close_case(qtbot, window)
