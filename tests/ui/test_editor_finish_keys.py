"""The Afronden page from the keyboard: Enter after "Beschikking maken" never lands on
"Nieuwe versie", and the question of a new version defaults to "Nee" (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_support import KeyCounter, open_editor
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from bwo_desktop.core.readiness import PAGE_FINISH
from bwo_desktop.ui.case_editor import CaseEditor


class FakeLetters:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: list[str] = []

    def beschikking(self, case_id: str, folder: Path) -> Path:
        self.made.append(case_id)
        path = self.folder / "beschikking.pdf"
        path.write_bytes(b"%PDF-1.4\n")
        return path

    def verslag(self, case_id: str, folder: Path, *, copy: str) -> Path:  # pragma: no cover
        raise AssertionError("not asked")


@pytest.fixture
def decided(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CaseEditor:
    """An editor whose case counts as definitief on the Afronden page (the letters and the
    PDF viewer are fakes: this is about where the keyboard goes)."""
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    editor = open_editor(qtbot, tmp_path)
    editor.letters = FakeLetters(tmp_path)
    editor._documents_dir = tmp_path
    editor.ctx.case.status = "definitief"
    editor.go_to_page(PAGE_FINISH)
    assert QApplication.focusWidget() is editor.finish_page.beschikking
    return editor


def _press_enter_on_beschikking(qtbot, editor: CaseEditor) -> None:
    page = editor.finish_page
    KeyCounter().enter()
    qtbot.waitUntil(lambda: "opgeslagen" in page.busy.text(), timeout=5000)
    assert editor.letters.made == [editor.case_id]


def test_after_the_beschikking_the_focus_is_on_openen(qtbot, decided: CaseEditor) -> None:
    _press_enter_on_beschikking(qtbot, decided)
    page = decided.finish_page
    assert QApplication.focusWidget() is page.open_document
    assert not page.next_client.isVisible()  # the shell has not offered it


def test_after_the_beschikking_the_focus_is_on_volgende_client_when_offered(
    qtbot, decided: CaseEditor
) -> None:
    page = decided.finish_page
    asked: list[bool] = []
    page.next_client_requested.connect(lambda: asked.append(True))
    page.offer_next_client(True)
    _press_enter_on_beschikking(qtbot, decided)
    assert QApplication.focusWidget() is page.next_client
    KeyCounter().enter()
    assert asked == [True]


def test_enter_in_the_new_version_question_answers_nee(
    qtbot, decided: CaseEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    monkeypatch.setattr(decided.service, "new_version", lambda case_id: made.append(case_id))
    shown: list[str] = []

    def answer_with_enter() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, answer_with_enter)
            return
        shown.append(dialog.windowTitle())
        KeyCounter().enter()

    QTimer.singleShot(20, answer_with_enter)
    decided.finish_page.new_version.setFocus()
    KeyCounter().enter()  # the button; then Enter again in the question
    assert shown == ["Nieuwe versie"]
    qtbot.wait(50)
    assert made == []
    assert decided.case_id == decided.world.case_id
