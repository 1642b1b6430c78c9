"""The morning at a glance (issue 14): the list shows today's progress and who is next; F8
opens the next client not yet definitief, from the list and from an open case (which is
saved first)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fakes import (
    FAKE_TODAY,
    FakeCases,
    FakeEditor,
    fake_shell_window,
    make_summaries,
    open_and_wait,
)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bwo_desktop.core.case import CaseSummary


def _today(summaries: list[CaseSummary]) -> list[CaseSummary]:
    """Three conversations today: 09:00 decided with its letter, 10:00 concept, 11:00 planned."""
    first, second, third = summaries[:3]
    return [
        dataclasses.replace(
            first, planned_date=FAKE_TODAY, planned_time=dt.time(9, 0), status="definitief",
            beschikking_made_on=FAKE_TODAY, client_name="Eerste, A.",
        ),
        dataclasses.replace(
            second, planned_date=FAKE_TODAY, planned_time=dt.time(10, 0), status="concept",
            client_name="Tweede, B.", location="Dordrecht, Spuiweg 12",
        ),
        dataclasses.replace(
            third, planned_date=FAKE_TODAY, planned_time=dt.time(11, 0), status="planned",
            client_name="Derde, C.",
        ),
    ]  # fmt: skip


def _window(qtbot: Any, today: list[CaseSummary], others: list[CaseSummary]) -> Any:
    others = [
        dataclasses.replace(s, planned_date=FAKE_TODAY - dt.timedelta(days=30)) for s in others
    ]
    FakeEditor.instances.clear()
    window = fake_shell_window(qtbot, FakeCases(today + others))
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def test_the_day_strip_shows_progress_and_who_is_next(qtbot: Any) -> None:
    summaries = make_summaries(10)
    window = _window(qtbot, _today(summaries), summaries[3:])
    strip = window.list_page.day_label.text()
    assert window.list_page.day_strip.isVisible()
    assert "3 gesprekken · 1 definitief · 1 beschikking · 0 verslagen" in strip
    assert "volgende: 10:00 Tweede, B., Dordrecht, Spuiweg 12" in strip


def test_f8_opens_the_next_client_from_the_list_and_from_a_case(qtbot: Any) -> None:
    summaries = make_summaries(10)
    today = _today(summaries)
    window = _window(qtbot, today, summaries[3:])

    QTest.keyClick(window.table, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.editor is not None, timeout=5000)
    assert window.open_case_id == today[1].id  # 10:00: the first not yet decided
    first_editor = FakeEditor.instances[-1]

    QTest.keyClick(first_editor.field, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.open_case_id == today[2].id and window.editor is not None)
    assert first_editor.flushes >= 1  # the open case was saved before the next one opened
    assert FakeEditor.instances[-1].case_id == today[2].id


def test_volgende_client_in_a_case_opens_the_next_one(qtbot: Any) -> None:
    """The shell offers "Volgende cliënt" to the open case; asking for it there opens the
    next conversation of the day, as F8 does."""
    summaries = make_summaries(10)
    today = _today(summaries)
    window = _window(qtbot, today, summaries[3:])
    open_and_wait(qtbot, window, today[1].id)
    editor = FakeEditor.instances[-1]
    assert editor.next_offered
    editor.next_client_requested.emit()
    qtbot.waitUntil(lambda: window.open_case_id == today[2].id and window.editor is not None)
    assert editor.flushes >= 1


def test_f8_says_so_when_the_day_is_done(qtbot: Any) -> None:
    summaries = make_summaries(6)
    today = [dataclasses.replace(s, status="definitief") for s in _today(summaries)]
    window = _window(qtbot, today, summaries[3:])
    assert "alle gesprekken van vandaag zijn definitief" in window.list_page.day_label.text()
    assert not window.list_page.next_button.isEnabled()
    QTest.keyClick(window.table, Qt.Key.Key_F8)
    assert window.editor is None and not window.is_opening()
    assert "definitief" in window.statusBar().currentMessage()


def test_f8_in_the_last_open_case_says_so_and_stays(qtbot: Any) -> None:
    """From the only case of today not yet decided there is no next one: the consultant is
    told that, not that the day is done (it is not)."""
    summaries = make_summaries(6)
    today = _today(summaries)
    today[2] = dataclasses.replace(today[2], status="definitief")
    window = _window(qtbot, today, summaries[3:])
    QTest.keyClick(window.table, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.open_case_id == today[1].id and window.editor is not None)
    editor = FakeEditor.instances[-1]
    QTest.keyClick(editor.field, Qt.Key.Key_F8)
    assert window.open_case_id == today[1].id and window.editor is editor
    assert "laatste gesprek van vandaag" in window.statusBar().currentMessage()


def test_no_strip_on_a_day_without_conversations(qtbot: Any) -> None:
    summaries = make_summaries(6)
    window = _window(qtbot, [], summaries)
    assert not window.list_page.day_strip.isVisible()
