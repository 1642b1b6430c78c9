"""The dialogs' date field types naturally (issue 14): "12-03-2024" typed into QDateEdit gave
03-03 of this year; DayEdit takes it as written, judges it only when complete, shows what is
wrong inline without taking the focus, and never goes ahead with an older date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from bwo_desktop.core.errors import InputError
from bwo_desktop.ui.date_input import DayEdit

START = dt.date(2026, 12, 3)


def _type(widget: Any, text: str) -> None:
    for ch in text:
        key = Qt.Key.Key_Minus if ch == "-" else Qt.Key(ord(ch))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def edit(qtbot: Any) -> DayEdit:
    field = DayEdit(START, "Datum")
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.line.setFocus()
    field.line.selectAll()
    return field


@pytest.mark.parametrize("typed", ["12-03-2024", "12032024", "12-3-2024", "12.03.2024"])
def test_a_date_typed_as_written(edit: DayEdit, typed: str) -> None:
    changes: list[dt.date] = []
    edit.day_changed.connect(changes.append)
    _type(edit.line, typed)
    assert edit.day() == dt.date(2024, 3, 12)
    assert changes == [dt.date(2024, 3, 12)]
    edit.line.editingFinished.emit()
    assert edit.line.text() == "12-03-2024"


def test_no_verdict_while_typing_and_an_inline_message_for_a_wrong_date(
    qtbot: Any, edit: DayEdit
) -> None:
    _type(edit.line, "31-02")
    assert not edit.message.isVisible()  # not complete yet
    _type(edit.line, "-2024")
    assert edit.message.isVisible() and "bestaat niet" in edit.message.text()
    assert QApplication.focusWidget() is edit.line  # the message took nothing away
    assert all(not w.isVisible() for w in QApplication.topLevelWidgets() if w is not edit)
    assert edit.day() == START  # the last valid date stays...
    with pytest.raises(InputError):
        edit.typed_day("Datum")  # ...but going ahead with it is refused


def test_the_calendar_picks_a_date(edit: DayEdit) -> None:
    from PySide6.QtCore import QDate

    edit.calendar.clicked.emit(QDate(2027, 1, 15))
    assert edit.day() == dt.date(2027, 1, 15)
    assert edit.line.text() == "15-01-2027"
