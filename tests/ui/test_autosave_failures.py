"""Autosave that cannot lie (issue 11): after a failed or a busy save `flush()` says so, and
closing, locking, definitief and "Nieuwe versie" are refused with a Dutch message and a
retry, while everything typed stays in the screen. Reads never wait for a writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from editor_support import KeyCounter, make_world
from PySide6.QtWidgets import QApplication, QMessageBox

from bwo_desktop.services import database
from bwo_desktop.services.errors import StoreError
from bwo_desktop.ui.case_editor import CaseEditor


class FlakyStore:
    """The real case service, with a save that fails while `broken` (a full disk, an I/O
    error): every other call goes to the real service."""

    def __init__(self, service: Any) -> None:
        self._service = service
        self.broken = False
        self.saves = 0

    def save(self, case: Any) -> Any:
        self.saves += 1
        if self.broken:
            raise StoreError("schijf vol")
        return self._service.save(case)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)


class Answers:
    """Answers the editor's "Niet opgeslagen" question with the button texts given, in order;
    records each question's text."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._exec(box))
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: box._answer)

    def _exec(self, box: QMessageBox) -> int:
        self.asked.append(box.text())
        wanted = self.answers.pop(0) if self.answers else "Annuleren"
        box._answer = next(b for b in box.buttons() if b.text() == wanted)  # type: ignore[attr-defined]
        return 0


def _editor(qtbot: Any, service: Any, case_id: str) -> CaseEditor:
    editor = CaseEditor(service, case_id, autosave_delay_ms=50)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return editor


def _type_location(editor: CaseEditor, text: str) -> None:
    editor.client_page.location.setFocus()
    editor.client_page.location.selectAll()
    KeyCounter().type(text)


def test_flush_reports_a_failed_save_and_the_retry_saves(qtbot: Any, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    store = FlakyStore(world.service)
    editor = _editor(qtbot, store, world.case_id)
    store.broken = True
    _type_location(editor, "Papendrecht")
    # Before the fix flush() said True here: the worker was idle, the save had failed.
    assert editor.autosaver.flush(wait=True) is False
    assert editor.autosaver.unsaved_reason() == "het opslaan is mislukt"
    assert world.service.get(world.case_id).conversation.location != "Papendrecht"
    store.broken = False
    assert editor.autosaver.flush(wait=True) is True
    assert world.service.get(world.case_id).conversation.location == "Papendrecht"


def test_close_is_refused_while_a_save_failed_and_nothing_is_lost(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path, previous=False)
    store = FlakyStore(world.service)
    editor = _editor(qtbot, store, world.case_id)
    closed: list[bool] = []
    editor.closed.connect(lambda: closed.append(True))
    store.broken = True
    _type_location(editor, "Sliedrecht")
    answers = Answers(monkeypatch, "Annuleren")
    editor.close_editor()
    assert closed == []
    assert answers.asked and "Sluiten kan nu niet" in answers.asked[0]
    assert editor.client_page.location.text() == "Sliedrecht"
    # The store is back: "Opnieuw proberen" saves and the editor closes.
    store.broken = False
    answers.answers = ["Opnieuw proberen"]
    editor.close_editor()
    assert closed == [True]
    assert world.service.get(world.case_id).conversation.location == "Sliedrecht"


def test_finalise_and_new_version_are_refused_while_unsaved(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path, previous=True)
    assert world.previous_id is not None
    store = FlakyStore(world.service)
    editor = _editor(qtbot, store, world.previous_id)
    monkeypatch.setattr(editor.finish_page, "blockers", lambda: [])
    called: list[object] = []

    class Spy:
        def finalise(self, *args: object) -> None:
            called.append(args)

    editor.decisions = Spy()  # type: ignore[assignment]
    store.broken = True
    _type_location(editor, "Alblasserdam")
    # The definitief question is answered "Definitief maken", the save question "Annuleren".
    answers = Answers(monkeypatch, "Definitief maken", "Annuleren")
    editor.finalise()
    assert called == []
    assert any("Definitief maken kan nu niet" in text for text in answers.asked)
    assert world.service.get(world.previous_id).status == "concept"
    assert editor.client_page.location.text() == "Alblasserdam"


def test_a_busy_database_is_reported_not_retried_in_a_loop(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short busy timeout, so the test need not wait five seconds for SQLite to give up.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    world = make_world(tmp_path, previous=False)
    editor = _editor(qtbot, world.service, world.case_id)
    holder = world.db.engine.connect()  # type: ignore[attr-defined]
    holder.exec_driver_sql("UPDATE meta SET key = key WHERE 0")  # BEGIN IMMEDIATE: write lock
    try:
        _type_location(editor, "Hendrik-Ido-Ambacht")
        assert editor.autosaver.flush(wait=True) is False
        # Reads are deferred: they do not wait for the writer (they would fail if they did).
        assert world.service.get(world.case_id).conversation.location != "Hendrik-Ido-Ambacht"
        answers = Answers(monkeypatch, "Annuleren")
        assert editor.ensure_saved("Vergrendelen") is False
        assert "Vergrendelen kan nu niet" in answers.asked[0]
    finally:
        holder.rollback()
        holder.close()
    assert editor.autosaver.flush(wait=True) is True
    assert world.service.get(world.case_id).conversation.location == "Hendrik-Ido-Ambacht"
