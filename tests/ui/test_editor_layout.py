"""The case editor on a consultant's laptop (issue 14): 1366×768 at 150 % leaves about 910
logical pixels of width for the whole window and some 480 of height. Every page fits that
width (it may scroll down, never sideways), no label or button is cut off, and the reason
of an unscored ZRM domain stays readable; at 125 % and 100 % too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from editor_support import KeyCounter, open_editor
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from bwo_desktop.ui.case_editor import CaseEditor
from bwo_desktop.ui.layout_check import clipped

# (width, height) in logical pixels: 1366×768 at 150 %, 125 % and 100 % (minus the task bar
# and the main window's menu and status bar).
SIZES = [(900, 480), (1092, 560), (1366, 700)]
REASON_CHARACTERS = 35  # a reason for "niet gescoord" is a short sentence: this much in view


def settle(qtbot: Any) -> None:
    # Pages re-arrange on resize and a moved widget shows itself from the event loop.
    for _ in range(3):
        QCoreApplication.processEvents()
        qtbot.wait(5)


def unscore_a_domain(editor: CaseEditor) -> None:
    keys = KeyCounter()
    keys.shortcut("Ctrl+2")
    keys.type("0")  # the first domain unscored: its reason field appears and takes the focus
    assert QApplication.focusWidget() is editor.zrm_page.rows[0].reason


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_page_fits_without_clipping(
    qtbot: Any, tmp_path: Path, width: int, height: int
) -> None:
    editor = open_editor(qtbot, tmp_path, width=width, height=height)
    editor.set_embedded(True)  # the longer "← Terug naar lijst" of the main window
    editor.finish_page.offer_next_client(True)  # the longest button row
    unscore_a_domain(editor)
    editor.resize(width, height)
    settle(qtbot)

    assert editor.minimumSizeHint().width() <= 900
    assert editor.width() == width
    problems = {}
    for index in range(len(editor.pages)):
        editor.go_to_page(index)
        settle(qtbot)
        found = clipped(editor)
        if found:
            problems[index + 1] = found
    assert problems == {}

    editor.go_to_page(1)
    settle(qtbot)
    reason = editor.zrm_page.rows[0].reason
    assert reason.isVisible()
    assert reason.width() >= reason.fontMetrics().averageCharWidth() * REASON_CHARACTERS
    window = reason.window()
    right = reason.mapTo(window, reason.rect().topRight()).x()
    assert right <= window.width()
    editor.shutdown()


def test_pages_rearrange_back_when_the_window_grows(qtbot: Any, tmp_path: Path) -> None:
    """From narrow to wide and back: the same widgets, the same Tab order, the focus kept."""
    editor = open_editor(qtbot, tmp_path, width=900, height=480)
    unscore_a_domain(editor)
    reason = editor.zrm_page.rows[0].reason
    for width in (1366, 900, 1366):
        editor.resize(width, 700)
        settle(qtbot)
        assert QApplication.focusWidget() is reason
        assert reason.nextInFocusChain() is not None
        assert not clipped(editor)
    keys = KeyCounter()
    keys.type("geen zicht op")
    keys.enter()
    assert editor.case.unscored_reasons == {"financien": "geen zicht op"}
    assert QApplication.focusWidget() is editor.zrm_page.rows[1].selector
    editor.shutdown()
