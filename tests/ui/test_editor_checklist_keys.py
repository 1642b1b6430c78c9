"""Keys on the choice fields and the checklist: yes/no fields take 1/2 like every choice
field, and Enter on a checklist line puts the cursor in the missing field (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_support import KeyCounter, open_editor
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bwo_desktop.core.readiness import PAGE_CRITERIA, PAGE_FINISH
from bwo_desktop.ui.case_editor import CaseEditor


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> CaseEditor:
    return open_editor(qtbot, tmp_path)


def test_yes_no_fields_take_1_and_2(editor: CaseEditor) -> None:
    editor.go_to_page(PAGE_CRITERIA)
    answer = editor.criteria_page.blocks[0].answer
    answer.setFocus()
    keys = KeyCounter()
    keys.type("2")
    assert answer.value() is False
    assert editor.case.assessment["criteria"]["need_24_7"] is False
    answer.setFocus()
    keys.type("1")
    assert answer.value() is True
    consent = editor.client_page.consent
    editor.go_to_page(0)
    consent.setFocus()
    keys.type("2")
    assert editor.case.conversation.consent_share_report is False


def _activate_line(editor: CaseEditor, words: str) -> None:
    """On Afronden, walk the checklist with Down to the line containing `words`, Enter."""
    editor.go_to_page(PAGE_FINISH)
    checklist = editor.finish_page.list
    assert QApplication.focusWidget() is checklist
    texts = [checklist.item(i).text() for i in range(checklist.count())]
    index = next(i for i, text in enumerate(texts) if words in text)
    keys = KeyCounter()
    for _ in range(index - checklist.currentRow()):
        keys.down()
    assert words in checklist.currentItem().text()
    keys.enter()


@pytest.mark.parametrize(
    ("words", "widget"),
    [
        ("criterium 2", lambda ed: ed.criteria_page.blocks[1].motivation),
        ("Toestemming", lambda ed: ed.client_page.consent),
        ("Vastleggen wie", lambda ed: ed.client_page.attended),
    ],
)
def test_a_checklist_line_takes_the_cursor_to_its_field(
    editor: CaseEditor, words: str, widget
) -> None:
    _activate_line(editor, words)
    assert QApplication.focusWidget() is widget(editor)


def test_a_missing_address_part_is_focused(editor: CaseEditor) -> None:
    page = editor.client_page
    editor.go_to_page(0)
    page.postcode.setFocus()
    page.postcode.selectAll()
    KeyCounter().key(Qt.Key.Key_Delete)
    assert not page.postcode.text()
    _activate_line(editor, "Adres van de cliënt")
    assert QApplication.focusWidget() is page.postcode
