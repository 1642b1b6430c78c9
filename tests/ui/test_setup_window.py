"""The set-up window of a first start, typed into key by key: one line per problem while
typing, the focus where the consultant types, the name required and saved in the settings,
and a window that grows with its messages instead of cutting them off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from test_app import shells, start  # noqa: F401 (the shell fixture and its start)

from bwo_desktop.app import Shell
from bwo_desktop.settings import MAX_CONSULTANT_NAME_CHARS, Settings, load_settings, save_settings
from bwo_desktop.ui.unlock_window import MSG_MISMATCH, MSG_RULE, SetupForm, UnlockWindow

NAME_MISSING = "Vul uw naam in: die staat in de brieven en in het logboek."
TOO_SHORT = "Te kort"
TOO_SIMPLE = "Te eenvoudig"


def _window(qtbot, tmp_path: Path) -> UnlockWindow:
    window = UnlockWindow(tmp_path / "bwo.db", mode=UnlockWindow.MODE_SETUP)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.setup_form.name_edit)
    return window


def _key(key: Qt.Key, text: str = "") -> None:
    """One key, to whatever has the focus (as the keyboard would)."""
    target = QApplication.focusWidget()
    assert target is not None
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))


def _type(text: str) -> None:
    """Key events that carry the text (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        _key(Qt.Key.Key_unknown, ch)


def _kinds(form: SetupForm) -> list[str]:
    """The problem lines on screen, by their first words."""
    out = []
    for text in form.shown_problems():
        for kind in (TOO_SHORT, TOO_SIMPLE, MSG_MISMATCH, NAME_MISSING):
            if text.startswith(kind):
                out.append(kind)
                break
        else:
            out.append(text)
    return out


def test_typing_shows_each_problem_and_fixing_removes_them_one_by_one(qtbot, tmp_path) -> None:
    window = _window(qtbot, tmp_path)
    form = window.setup_form
    # Nothing typed yet: the rule, no red, and no way to create a database.
    assert form.shown_problems() == []
    assert form.hint_label.text() == MSG_RULE and not form.hint_label.isHidden()
    assert not form.submit_button.isEnabled()

    _type("Tiny Ösel")  # a name with a non-ASCII letter, typed
    _key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.passphrase_edit
    _type("aaaaaa")
    assert _kinds(form) == [TOO_SHORT, TOO_SIMPLE]
    assert form.problem_labels[0].text().startswith("• ")
    assert form.hint_label.isHidden()  # the lines say it; no second "not strong" line
    assert QApplication.focusWidget() is form.passphrase_edit  # no message took the keyboard

    _type("bcdé")  # five different characters now, still short
    assert _kinds(form) == [TOO_SHORT]
    _type("ghij")
    assert form.shown_problems() == []
    assert form.hint_label.text() == "Sterk genoeg."
    assert not form.submit_button.isEnabled()  # the repeat is still missing

    _key(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.repeat_edit
    _type("aaaaaabc")
    assert _kinds(form) == [MSG_MISMATCH]
    assert QApplication.focusWidget() is form.repeat_edit
    _type("déghij")
    assert form.shown_problems() == []
    assert form.submit_button.isEnabled()
    with qtbot.waitSignal(window.setup_requested) as blocker:
        _key(Qt.Key.Key_Return)
    assert blocker.args == ["aaaaaabcdéghij", False, "Tiny Ösel"]


def test_a_sequence_is_its_own_problem(qtbot, tmp_path) -> None:
    window = _window(qtbot, tmp_path)
    form = window.setup_form
    _type("T. Consulent")
    form.passphrase_edit.setFocus()
    _type("abcdefghijklm")
    assert form.shown_problems() == ["Te eenvoudig: een reeks als abcdef of 123456 is te raden."]
    _type("q")
    assert form.shown_problems() == []


def test_the_name_is_required_trimmed_and_limited(qtbot, tmp_path) -> None:
    window = _window(qtbot, tmp_path)
    form = window.setup_form
    _key(Qt.Key.Key_Tab)  # past the name without typing one
    assert _kinds(form) == [NAME_MISSING]
    assert QApplication.focusWidget() is form.passphrase_edit
    _type("paars paard rent hard")
    form.repeat_edit.setText("paars paard rent hard")
    assert _kinds(form) == [NAME_MISSING]
    assert not form.submit_button.isEnabled()
    with qtbot.assertNotEmitted(window.setup_requested):
        form.repeat_edit.returnPressed.emit()

    form.name_edit.setText("   ")
    assert _kinds(form) == [NAME_MISSING]
    form.name_edit.setText("x" * (MAX_CONSULTANT_NAME_CHARS + 1))
    assert form.shown_problems() == [
        f"Uw naam is te lang: hoogstens {MAX_CONSULTANT_NAME_CHARS} tekens (nu 101)."
    ]
    form.name_edit.setText("x" * MAX_CONSULTANT_NAME_CHARS)
    assert form.shown_problems() == [] and form.submit_button.isEnabled()
    form.name_edit.setText("  Jan   de Vries ")
    with qtbot.waitSignal(window.setup_requested) as blocker:
        form.submit_button.click()
    assert blocker.args[2] == "Jan de Vries"


def test_enter_with_empty_fields_shows_every_problem_and_keeps_the_focus(qtbot, tmp_path) -> None:
    window = _window(qtbot, tmp_path)
    form = window.setup_form
    form.repeat_edit.setFocus()
    with qtbot.assertNotEmitted(window.setup_requested):
        _key(Qt.Key.Key_Return)
    assert form.shown_problems() == [NAME_MISSING, "Vul de wachtwoordzin in."]
    assert QApplication.focusWidget() is form.repeat_edit


def _fits(label: QLabel) -> bool:
    """A word-wrapped label shows all its lines: as tall as its text needs at its width."""
    return label.height() >= label.heightForWidth(label.width())


def _visible_labels(root: QWidget) -> list[QLabel]:
    return [w for w in root.findChildren(QLabel) if w.isVisible() and w.text()]


def test_the_window_grows_with_its_messages(qtbot, tmp_path) -> None:
    window = _window(qtbot, tmp_path)
    form = window.setup_form
    before = window.height()
    form.name_edit.setFocus()
    form.passphrase_edit.setFocus()  # leaves the name empty: its line shows
    form.passphrase_edit.setText("aaaaaa")
    form.repeat_edit.setText("aab")
    long_error = (
        "De database kon niet worden geopend. Er ging iets onverwachts mis; probeer het "
        "opnieuw of neem contact op met de functioneel beheerder. " * 2
    )
    window.show_error(long_error)
    QApplication.processEvents()
    assert len(form.shown_problems()) == 4
    assert window.height() > before
    assert window.width() >= window.sizeHint().width()
    assert window.height() >= window.sizeHint().height()
    assert form.error_label.text() == long_error
    for label in _visible_labels(window):
        assert _fits(label), label.text()
    # The intro and the fields keep their room (the old window squeezed them).
    for edit in (form.name_edit, form.passphrase_edit, form.repeat_edit):
        assert edit.height() >= edit.sizeHint().height()
    # Worst case still fits 1366×768 at 150 % (911×512 logical, less task bar and title).
    assert window.width() <= 1366 / 1.5 and window.height() <= 768 / 1.5 - 60

    form.name_edit.setText("T. Consulent")
    form.passphrase_edit.setText("paars paard rent hard")
    form.repeat_edit.setText("paars paard rent hard")
    QApplication.processEvents()
    assert form.shown_problems() == []
    assert window.height() < before + 100  # and shrinks back when they are gone


def test_a_long_database_path_does_not_widen_the_window(qtbot, tmp_path) -> None:
    folder = "C:\\Gebruikers\\" + "heel-lange-mapnaam-zonder-spaties\\" * 6
    window = UnlockWindow(folder + "bwo.db", mode=UnlockWindow.MODE_SETUP)
    qtbot.addWidget(window)
    window.show()
    assert window.width() <= UnlockWindow.CONTENT_WIDTH + 60
    assert window.db_label.toolTip() == folder + "bwo.db"


# --- the name reaches the settings ---------------------------------------------------------


PASSPHRASE = "paars paard rent hard"


def _create(qtbot, shell: Shell, form: SetupForm) -> None:
    form.passphrase_edit.setText(PASSPHRASE)
    form.repeat_edit.setText(PASSPHRASE)
    assert form.submit_button.isEnabled()
    form.submit_button.click()
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=30_000)


def test_the_name_is_saved_at_set_up(qtbot, shells, tmp_path) -> None:  # noqa: F811
    shell, window = start(qtbot, shells, tmp_path / "bwo.db")
    form = window.setup_form
    assert form.name_edit.text() == ""
    form.name_edit.setText(" Jan  de Vries ")
    _create(qtbot, shell, form)
    assert load_settings().consultant_name == "Jan de Vries"
    assert shell.opened is not None
    # The audit log and the new-case dialog get it from the first minute.
    assert shell.opened.cases.user == "Jan de Vries"
    assert shell.opened.settings.consultant_name == "Jan de Vries"


def test_a_known_name_is_prefilled(qtbot, shells, tmp_path) -> None:  # noqa: F811
    save_settings(Settings(consultant_name="Piet Pieters", idle_lock_minutes=25))
    shell, window = start(qtbot, shells, tmp_path / "bwo.db")
    form = window.setup_form
    assert form.name_edit.text() == "Piet Pieters"
    assert QApplication.focusWidget() in (None, form.passphrase_edit)
    form.name_edit.setText("Piet Pietersen")
    _create(qtbot, shell, form)
    settings = load_settings()
    assert settings.consultant_name == "Piet Pietersen"
    assert settings.idle_lock_minutes == 25


def test_each_mode_is_as_tall_as_its_own_form(qtbot, tmp_path) -> None:
    window = UnlockWindow(tmp_path / "bwo.db", mode=UnlockWindow.MODE_SETUP)
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    setup_height = window.height()
    window.set_mode(UnlockWindow.MODE_UNLOCK)
    QApplication.processEvents()
    # The unlock form is two rows shorter; no empty band where the set-up form would be.
    gap = setup_height - window.height()
    assert gap >= window.setup_form.height() - window.unlock_form.height() - 2 > 0
