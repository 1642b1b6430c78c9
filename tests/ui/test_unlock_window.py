"""The unlock window and the set-up form: what they accept and refuse."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton

from bwo_desktop.ui.unlock_window import MSG_EMPTY, MSG_MISMATCH, LockPanel, UnlockWindow


def make(qtbot, mode: str, tmp_path) -> UnlockWindow:
    window = UnlockWindow(tmp_path / "bwo.db", mode=mode)
    qtbot.addWidget(window)
    window.show()
    return window


def test_unlock_emits_the_passphrase(qtbot, tmp_path) -> None:
    window = make(qtbot, UnlockWindow.MODE_UNLOCK, tmp_path)
    form = window.unlock_form
    with qtbot.assertNotEmitted(window.unlock_requested):
        form.submit_button.click()
    assert form.error_label.text() == MSG_EMPTY
    form.passphrase_edit.setText("een lange wachtwoordzin")
    with qtbot.waitSignal(window.unlock_requested) as blocker:
        form.submit_button.click()
    assert blocker.args == ["een lange wachtwoordzin"]
    assert form.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password


def test_setup_refuses_weak_passphrase(qtbot, tmp_path) -> None:
    window = make(qtbot, UnlockWindow.MODE_SETUP, tmp_path)
    form = window.setup_form
    form.name_edit.setText("T. Consulent")
    form.passphrase_edit.setText("kort")
    form.repeat_edit.setText("kort")
    assert not form.submit_button.isEnabled()
    with qtbot.assertNotEmitted(window.setup_requested):
        form.submit_button.click()
        form.repeat_edit.returnPressed.emit()
    assert any(p.startswith("Te kort") for p in form.shown_problems())
    assert all(p[0].isupper() for p in form.shown_problems())


def test_setup_refuses_mismatch(qtbot, tmp_path) -> None:
    window = make(qtbot, UnlockWindow.MODE_SETUP, tmp_path)
    form = window.setup_form
    form.name_edit.setText("T. Consulent")
    form.passphrase_edit.setText("paars paard rent hard")
    form.repeat_edit.setText("paars paard rent zacht")
    with qtbot.assertNotEmitted(window.setup_requested):
        form.repeat_edit.returnPressed.emit()
    assert form.shown_problems() == [MSG_MISMATCH]


def test_setup_accepts_four_words_and_demo_choice(qtbot, tmp_path) -> None:
    window = make(qtbot, UnlockWindow.MODE_SETUP, tmp_path)
    form = window.setup_form
    form.name_edit.setText("  T.  Consulent ")
    form.passphrase_edit.setText("paars paard rent hard")
    form.repeat_edit.setText("paars paard rent hard")
    form.demo_check.setChecked(True)
    assert form.hint_label.text() == "Sterk genoeg."
    with qtbot.waitSignal(window.setup_requested) as blocker:
        form.submit_button.click()
    assert blocker.args == ["paars paard rent hard", True, "T. Consulent"]


def test_busy_disables_and_error_reenables(qtbot, tmp_path) -> None:
    window = make(qtbot, UnlockWindow.MODE_UNLOCK, tmp_path)
    window.set_busy("Database openen…")
    assert not window.unlock_form.submit_button.isEnabled()
    window.show_error("De wachtwoordzin is onjuist. Probeer het opnieuw.")
    assert window.unlock_form.submit_button.isEnabled()
    assert window.unlock_form.error_label.isVisibleTo(window)


def test_every_input_has_an_accessible_name(qtbot, tmp_path) -> None:
    for mode in (UnlockWindow.MODE_UNLOCK, UnlockWindow.MODE_SETUP):
        window = make(qtbot, mode, tmp_path)
        for kind in (QLineEdit, QCheckBox, QPushButton):
            for widget in window.findChildren(kind):
                assert widget.accessibleName(), widget
    panel = LockPanel()
    qtbot.addWidget(panel)
    for widget in panel.findChildren(QLineEdit):
        assert widget.accessibleName()
