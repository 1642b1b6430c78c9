"""The shell: the lock panel says why it is locked, and the empty list names
only the filters that are on."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fakes import (
    FAKE_PASSPHRASE,
    FAKE_TODAY,
    FakeCases,
    fake_shell_window,
    make_summaries,
)

from bwo_desktop.ui.main_window import MainWindow
from bwo_desktop.ui.unlock_window import MSG_LOCKED_IDLE, MSG_LOCKED_MANUAL, LockPanel

POLISH_TODAY = FAKE_TODAY
POLISH_PASSPHRASE = FAKE_PASSPHRASE


def _polish_window(qtbot, cases: FakeCases) -> MainWindow:
    return fake_shell_window(qtbot, cases)


def _polish_unlock(qtbot, window: MainWindow) -> None:
    form = window.lock_panel.form
    form.passphrase_edit.setText(POLISH_PASSPHRASE)
    form.submit_button.click()
    qtbot.waitUntil(lambda: not window.is_locked())


# --- the lock panel ------------------------------------------------------------------------


def test_manual_lock_does_not_claim_idle_time(qtbot) -> None:
    window = _polish_window(qtbot, FakeCases(make_summaries(20)))
    window.act_lock.trigger()  # Ctrl+L
    assert window.is_locked()
    text = window.lock_panel.reason_label.text()
    assert text == MSG_LOCKED_MANUAL
    assert text.startswith("Vergrendeld.")
    assert "zonder gebruik" not in text
    _polish_unlock(qtbot, window)


def test_idle_lock_keeps_the_idle_text(qtbot) -> None:
    window = _polish_window(qtbot, FakeCases(make_summaries(20)))
    window.idle_watcher.idle.emit()
    assert window.is_locked()
    assert window.lock_panel.reason_label.text() == MSG_LOCKED_IDLE
    assert "zonder gebruik" in MSG_LOCKED_IDLE
    _polish_unlock(qtbot, window)
    # A manual lock after an idle one says so again: the text is set on every lock.
    window.lock()
    assert window.lock_panel.reason_label.text() == MSG_LOCKED_MANUAL
    _polish_unlock(qtbot, window)


def test_lock_panel_reset_switches_the_reason(qtbot) -> None:
    panel = LockPanel()
    qtbot.addWidget(panel)
    panel.reset(idle=True)
    assert panel.reason_label.text() == MSG_LOCKED_IDLE
    panel.reset()
    assert panel.reason_label.text() == MSG_LOCKED_MANUAL


def test_both_forms_share_the_busy_state(qtbot) -> None:
    from bwo_desktop.ui.unlock_window import UnlockWindow

    window = UnlockWindow("/tmp/bwo.db", strength_check=lambda _p: None)
    qtbot.addWidget(window)
    # A complete set-up form (an incomplete one keeps its button disabled after busy too).
    window.prefill("x")
    window.prefill_name("T. Consulent")
    for mode, form in (
        (UnlockWindow.MODE_UNLOCK, window.unlock_form),
        (UnlockWindow.MODE_SETUP, window.setup_form),
    ):
        window.set_mode(mode)
        window.set_busy("Bezig…")
        assert form.status_label.text() == "Bezig…"
        assert not form.submit_button.isEnabled()
        assert not form.passphrase_edit.isEnabled()
        window.set_idle()
        assert form.submit_button.isEnabled() and form.passphrase_edit.isEnabled()
        assert form.status_label.accessibleName() == "Voortgang"


# --- the empty list ------------------------------------------------------------------------


def _polish_not_today(count: int = 30) -> FakeCases:
    """Cases of which none is planned on POLISH_TODAY."""
    rows = [
        s
        if s.planned_date != POLISH_TODAY
        else dataclasses.replace(s, planned_date=POLISH_TODAY - dt.timedelta(days=1))
        for s in make_summaries(count)
    ]
    return FakeCases(rows)


def test_empty_today_view_does_not_mention_a_search_term(qtbot) -> None:
    window = _polish_window(qtbot, _polish_not_today())
    window.show_today()  # Ctrl+T
    assert window.proxy.visible_count() == 0
    assert window.empty_label.isVisibleTo(window)
    text = window.empty_label.text()
    assert "zoekterm" not in text
    assert "filters" not in text
    assert "vandaag" in text.lower()


def test_empty_list_names_the_active_filters(qtbot) -> None:
    window = _polish_window(qtbot, _polish_not_today())
    window.search_edit.setText("zzzzqqq")
    text = window.empty_label.text()
    assert "deze zoekterm" in text
    assert "vandaag" not in text and "status" not in text
    window.show_today()
    text = window.empty_label.text()
    assert "deze zoekterm" in text and "vandaag" in text
    window.search_edit.clear()
    window.status_combo.setCurrentIndex(window.status_combo.findText("Concept"))
    text = window.empty_label.text()
    assert "zoekterm" not in text
    assert "status 'concept'" in text and "vandaag" in text
    window.clear_filters()
    assert not window.empty_label.isVisibleTo(window)
