"""Date fields judge a date only when it is complete and show their error inline, in the
page's layout: never as a window of its own that takes the keyboard (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_support import KeyCounter, open_editor, visible_top_levels
from PySide6.QtWidgets import QApplication

from bwo_desktop.core.readiness import PAGE_ADVICE
from bwo_desktop.ui.case_editor import CaseEditor
from bwo_desktop.ui.pages.common import DateField


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> CaseEditor:
    return open_editor(qtbot, tmp_path)


def _to_opslag_start(editor: CaseEditor) -> KeyCounter:
    """On Advies, choose the opslag reason "life event" by key and Tab to its start date."""
    editor.go_to_page(PAGE_ADVICE)
    editor.advice_page.opslag_reason.setFocus()
    keys = KeyCounter()
    keys.type("l")
    keys.tab()
    assert QApplication.focusWidget() is editor.advice_page.opslag_start
    return keys


def test_typing_an_opslag_period_and_motivation_loses_nothing(editor: CaseEditor) -> None:
    page = editor.advice_page
    before = visible_top_levels()
    keys = _to_opslag_start(editor)
    keys.type("01-01-2027")
    keys.tab()
    keys.type("31-03-2027")
    keys.tab()
    keys.type("j")
    keys.tab()
    assert QApplication.focusWidget() is page.opslag_motivation
    keys.type("dreigende huisuitzetting")
    assert page.opslag_start.text() == "01-01-2027"
    assert page.opslag_end.text() == "31-03-2027"
    assert page.opslag_motivation.toPlainText() == "dreigende huisuitzetting"
    opslag = editor.case.assessment["opslag"]
    assert (opslag["start"], opslag["end"]) == ("2027-01-01", "2027-03-31")
    assert editor.case.motivations["opslag"] == "dreigende huisuitzetting"
    assert QApplication.focusWidget().window() is editor
    assert visible_top_levels() == before


def test_an_impossible_date_shows_inline_and_keeps_the_focus(editor: CaseEditor) -> None:
    page = editor.advice_page
    before = visible_top_levels()
    keys = _to_opslag_start(editor)
    keys.type("32-01-20")  # still typing: not judged yet
    assert page.opslag_start.valid and not page.opslag_start.message.isVisible()
    keys.type("27")
    assert not page.opslag_start.valid
    message = page.opslag_start.message
    assert message.isVisible() and "Ongeldige datum" in message.text()
    assert message.window() is editor  # in the page's layout, not a window of its own
    assert QApplication.focusWidget() is page.opslag_start
    assert visible_top_levels() == before


def test_an_unfinished_date_is_judged_on_leaving_the_field(editor: CaseEditor) -> None:
    page = editor.advice_page
    editor.go_to_page(PAGE_ADVICE)
    keys = KeyCounter()
    page.start.setFocus()
    page.start.selectAll()
    keys.type("1-13-20")
    assert page.start.valid
    keys.tab()
    assert not page.start.valid and page.start.message.isVisible()
    assert page.start.message.window() is editor


def test_every_date_field_of_the_editor_has_its_message_in_the_window(
    editor: CaseEditor,
) -> None:
    fields = editor.findChildren(DateField)
    assert len(fields) >= 7
    for field in fields:
        assert field.message.window() is editor, field.accessibleName()


def test_a_recent_date_takes_ddmm_and_shows_the_year(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The support plan's date lies behind the consultant: "ddmm" is enough, the field
    fills in the latest such year not after today; a birth date does not guess a year."""
    import datetime as dt

    from bwo_desktop.ui.pages.common import DateField, parse_recent_date_input

    today = dt.date(2026, 12, 3)
    assert parse_recent_date_input("0110", today) == dt.date(2026, 10, 1)
    assert parse_recent_date_input("1512", today) == dt.date(2025, 12, 15)
    assert parse_recent_date_input("0312", today) == dt.date(2026, 12, 3)
    assert parse_recent_date_input("2902", today) == dt.date(2024, 2, 29)
    assert parse_recent_date_input("01-10-2027", today) == dt.date(2027, 10, 1)

    plan, birth = DateField("Datum ondersteuningsplan", recent=True), DateField("Geboortedatum")
    qtbot.addWidget(plan)
    qtbot.addWidget(birth)
    got: list[object] = []
    plan.date_edited.connect(got.append)
    plan.setText("0110")
    plan.textEdited.emit("0110")
    assert got and isinstance(got[-1], dt.date) and (got[-1].day, got[-1].month) == (1, 10)
    plan.editingFinished.emit()
    assert plan.text() == got[-1].strftime("%d-%m-%Y")  # the year is shown
    birth.setText("0110")
    assert birth.date() is None
