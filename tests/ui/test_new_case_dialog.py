"""Casus → Nieuwe casus… (Ctrl+N) on a real encrypted demo database: the live 11-proef, the
checks, and the new case in the database, in the list and opened."""

from __future__ import annotations

import datetime as dt

import pytest
from dialog_support import CONSULTANT, TODAY, type_text
from fakes import FakeEditor
from PySide6.QtCore import Qt, QTime

from bwo_desktop.services.demo import demo_bsns
from bwo_desktop.ui.new_case_dialog import NewCaseDialog, bsn_feedback


def test_bsn_feedback() -> None:
    assert bsn_feedback("") == (False, "")
    assert bsn_feedback("9999")[0] is False
    assert "11-proef" in bsn_feedback("123456789")[1]
    assert bsn_feedback("999990019") == (True, "BSN klopt (11-proef).")
    assert bsn_feedback("9999 9001 9")[0] is True


def test_ctrl_n_opens_the_dialog(qtbot, shell) -> None:
    action = shell.window.act_new_case
    assert "Ctrl+N" in [k.toString() for k in action.shortcuts()]
    casus = shell.window.menuBar().actions()[1].menu()
    assert casus.actions()[0] is action
    action.trigger()
    dialogs = shell.window.findChildren(NewCaseDialog)
    assert dialogs and dialogs[-1].isVisible()
    qtbot.waitUntil(lambda: dialogs[-1].bsn_edit.hasFocus(), timeout=2000)
    dialogs[-1].reject()


def test_new_case_is_stored_listed_and_opened(qtbot, shell) -> None:
    used = {s.bsn for s in shell.cases.list_summaries()}
    bsn = next(b for b in demo_bsns() if b not in used)
    before = shell.window.model.rowCount()
    dialog = shell.window.show_new_case()
    assert isinstance(dialog, NewCaseDialog)
    assert dialog.consultant_edit.text() == CONSULTANT

    type_text(dialog.bsn_edit, "123456789")
    assert "11-proef" in dialog.bsn_check.text()
    dialog.bsn_edit.clear()
    type_text(dialog.bsn_edit, bsn)
    assert dialog.bsn_check.text() == "BSN klopt (11-proef)."
    type_text(dialog.initials_edit, "Ş.")
    type_text(dialog.first_name_edit, "Şükrü")
    type_text(dialog.prefix_edit, "")
    type_text(dialog.last_name_edit, "Yılmaz")
    type_text(dialog.birth_edit, "03-07-1979")
    dialog.provider_combo.setEditText("Stichting Het Kompas")
    dialog.time_edit.setTime(QTime(10, 40))
    dialog.location_combo.setEditText("Locatie Kompas, Dordrecht")

    with qtbot.waitSignal(dialog.created, timeout=30_000):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    case_id = dialog.result_value[0]
    assert shell.window.model.rowCount() == before + 1
    assert shell.window.open_case_id == case_id
    qtbot.waitUntil(lambda: shell.window.editor is not None)
    assert FakeEditor.instances[-1].case_id == case_id
    assert shell.window.stack.currentIndex() == shell.window.PAGE_CASE
    assert "Yılmaz" in shell.window.case_title.text()

    case = shell.cases.get(case_id)
    assert case.status == "planned"
    assert case.client.bsn == bsn
    assert case.client.last_name == "Yılmaz"
    assert case.client.first_name == "Şükrü"
    assert case.client.birth_date == dt.date(1979, 7, 3)
    assert case.planned is not None and case.planned.date == TODAY
    assert case.planned.time == dt.time(10, 40)
    assert case.conversation.location == "Locatie Kompas, Dordrecht"
    assert case.consultant_name == CONSULTANT
    assert case.client.provider is not None
    assert case.client.provider.name == "Stichting Het Kompas"


@pytest.mark.parametrize(
    ("bsn", "last", "birth", "expected"),
    [
        ("123456789", "Jansen", "01-01-1980", "BSN"),
        ("999990019", "", "01-01-1980", "Achternaam"),
        ("999990019", "Jansen", "31-02-1980", "Geboortedatum"),
        ("999990019", "Jansen", "01-01-2090", "Geboortedatum"),
        # Age 10 or 125 on the date of the new case (core.plausibility, as everywhere).
        ("999990019", "Jansen", "01-01-2014", "Geboortedatum"),
        ("999990019", "Jansen", "01-01-1899", "Geboortedatum"),
    ],
)
def test_wrong_input_is_named_and_nothing_stored(qtbot, shell, bsn, last, birth, expected) -> None:
    before = len(shell.cases.list_summaries())
    dialog = shell.window.show_new_case()
    type_text(dialog.bsn_edit, bsn)
    type_text(dialog.initials_edit, "J.")
    type_text(dialog.last_name_edit, last)
    type_text(dialog.birth_edit, birth)
    dialog.provider_combo.setEditText("Yulius")
    dialog.location_combo.setEditText("Locatie Zuid, Dordrecht")
    dialog.run_button.click()
    assert dialog.status_label.text().startswith(expected)
    assert dialog.isVisible() and not dialog.is_busy()
    assert len(shell.cases.list_summaries()) == before
    dialog.reject()


def test_a_known_bsn_fills_in_the_client_and_warns_about_the_same_day(qtbot, shell) -> None:
    """Issue 14: "Nieuwe casus" with a BSN the database knows fills in name, birth date and
    provider, carries address, begeleider and the running indication into the new case, and
    points out a case of that client on the chosen day before a second one is made."""
    decided = next(
        s for s in shell.cases.list_summaries() if s.status == "definitief" and s.ib_level
    )
    known = shell.cases.known_client(decided.bsn)
    assert known is not None and known.current_indication is not None
    dialog = shell.window.show_new_case()
    type_text(dialog.bsn_edit, decided.bsn)
    qtbot.waitUntil(lambda: dialog.known_label.isVisible(), timeout=10_000)
    assert "Bekende cliënt" in dialog.known_label.text()
    assert f"BW extramuraal {decided.ib_level}" in dialog.known_label.text()
    assert dialog.last_name_edit.text() == known.client.last_name
    assert dialog.birth_edit.text() == known.client.birth_date.strftime("%d-%m-%Y")
    assert dialog.provider_combo.currentText() == known.client.provider.name

    assert decided.planned_date is not None
    dialog.date_edit.set_day(decided.planned_date)
    assert dialog.same_day_label.isVisible()
    assert decided.reference in dialog.same_day_label.text()
    dialog.date_edit.set_day(TODAY + dt.timedelta(days=40))
    assert not dialog.same_day_label.isVisible()

    dialog.location_combo.setEditText("Locatie Kompas, Dordrecht")
    with qtbot.waitSignal(dialog.created, timeout=30_000):
        dialog.run_button.click()
    case = shell.cases.get(dialog.result_value[0])
    assert case.client.address == known.client.address
    assert case.client.begeleider == known.client.begeleider
    assert case.current_indication == known.current_indication


def test_an_unknown_bsn_changes_nothing(qtbot, shell) -> None:
    used = {s.bsn for s in shell.cases.list_summaries()}
    bsn = next(b for b in demo_bsns() if b not in used)
    assert shell.cases.known_client(bsn) is None
    dialog = shell.window.show_new_case()
    type_text(dialog.bsn_edit, bsn)
    qtbot.wait(200)
    assert not dialog.known_label.isVisible() and dialog.last_name_edit.text() == ""
    dialog.reject()
