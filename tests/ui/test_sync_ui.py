"""Team sync in the app (ui/sync_actions.py, ui/team_settings.py): F9 and the status-bar button
sync off the UI thread, the status bar shows the team, the last sync, pending changes and
conflicts; a refusal shows its Dutch line and keeps the pending count; the automatic retry
never runs twice at once, nor while locked or closing; the settings join with an enrolment
file (a bad one changes nothing) and leave (the cases stay). No server: the exchange is a
fake; the settings tests run on a real encrypted database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from fakes import FAKE_PASSPHRASE, FakeCases, fake_shell_window, make_summaries
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from bwo_desktop.services.sync_client import AuditForked, SyncRefused, SyncReport
from bwo_desktop.services.team import LastSync, TeamStatus
from bwo_desktop.settings import Settings
from bwo_desktop.ui.main_window import MainWindow
from bwo_desktop.ui.operations import ALL_CASES
from bwo_desktop.ui.sync_actions import (
    AUTO_SYNC_MS,
    MSG_AUDIT_FORK,
    MSG_AUDIT_FORK_SHORT,
    MSG_NOT_JOINED,
    MSG_UNAVAILABLE,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "persistence"))
from persistence_samples import PASSPHRASE, full_case
from team_files import write_enrolment

OFFICE_AWAY = "het kantoor is niet bereikbaar (https://kantoor.example:8443)"


def _local(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.now().astimezone().replace(hour=hour, minute=minute, second=0)


class FakeTeam:
    """TeamService's surface. `hold` makes synchronise wait (after reporting a first page)."""

    def __init__(self, *, joined: bool = True, pending: int = 3, refuse: bool = False) -> None:
        self.state = TeamStatus(
            joined=joined,
            team="Noord" if joined else "",
            device="laptop-7" if joined else "",
            last_sync=LastSync(at=_local(9, 41), ok=True) if joined else None,
            pending=pending,
        )
        self.refuse = refuse
        self.refusal: SyncRefused | None = None  # raised instead of the office-away line
        self.hold: threading.Event | None = None
        self.threads: list[threading.Thread] = []
        self.stop_requested = threading.Event()

    parked = 0
    purged = 0
    notes: tuple[str, ...] = ()
    open_conflicts: tuple[Any, ...] = ()

    def conflicts(self) -> list[Any]:
        return list(self.open_conflicts)

    def resolve_conflict(self, conflict_id: Any, keep: str) -> None:
        self.open_conflicts = tuple(c for c in self.open_conflicts if c.id != conflict_id)

    def request_stop(self) -> None:
        self.stop_requested.set()
        if self.hold is not None:  # the real service stops before its next request
            self.hold.set()

    def status(self) -> TeamStatus:
        return self.state

    def synchronise(self, progress: Any = None) -> SyncReport:
        self.threads.append(threading.current_thread())
        if progress is not None:
            progress(500, True)
        if self.hold is not None and not self.hold.wait(10):
            raise TimeoutError("hold was never released")
        at = _local(10, 5)
        if self.refuse:
            refusal = self.refusal or SyncRefused(OFFICE_AWAY)
            self.state = dataclasses.replace(
                self.state, last_sync=LastSync(at=at, ok=False, message=str(refusal))
            )
            raise refusal
        self.state = dataclasses.replace(
            self.state, pending=0, last_sync=LastSync(at=at, ok=True, pushed=2, pulled=700)
        )
        return SyncReport(
            batches_pushed=2,
            changes_pulled=700,
            parked=self.parked,
            purged=self.purged,
            notes=list(self.notes),
        )


def shell_with(qtbot: Any, team: Any) -> MainWindow:
    window: MainWindow = fake_shell_window(qtbot, FakeCases(make_summaries(5)), team)
    if team is not None:
        qtbot.waitUntil(lambda: window.sync_actions.status is not None, timeout=5000)
    return window


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda _parent, _title, text, *a, _kind=kind, **k: shown.append((_kind, text)),
        )
    return shown


def test_the_status_bar_shows_team_last_sync_pending_and_conflicts(qtbot: Any) -> None:
    window = shell_with(qtbot, FakeTeam())
    sync = window.sync_actions
    assert sync.label.isVisible() and sync.button.isVisible()
    assert sync.label.text() == (
        "Team Noord · laatst gesynchroniseerd 09:41 · 3 wijzigingen wachten · 0 conflicten"
    )


def test_not_in_a_team_the_status_bar_stays_quiet_and_f9_says_how_to_join(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    team = FakeTeam(joined=False)
    window = shell_with(qtbot, team)
    assert not window.sync_actions.label.isVisible()
    assert not window.sync_actions.button.isVisible()
    QTest.keyClick(window.table, Qt.Key.Key_F9)
    assert messages == [("information", MSG_NOT_JOINED)]
    assert team.threads == []


def test_f9_syncs_off_the_ui_thread_once_and_reloads_the_list(qtbot: Any) -> None:
    team = FakeTeam()
    team.hold = threading.Event()
    window = shell_with(qtbot, team)
    sync = window.sync_actions
    reloads: list[frozenset[str]] = []
    window.context.events.cases_changed.connect(reloads.append)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)

    QTest.keyClick(window.table, Qt.Key.Key_F9)
    assert sync.is_running()
    qtbot.waitUntil(lambda: "500 wijzigingen ontvangen…" in sync.label.text(), timeout=5000)
    window.act_sync.trigger()  # pressed again while it runs: no second sync
    sync.auto_sync()
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000) as finished:
        team.hold.set()
    assert finished.args == [True]
    assert len(team.threads) == 1
    assert team.threads[0] is not threading.main_thread()
    assert ALL_CASES in reloads
    qtbot.waitUntil(lambda: "0 wijzigingen wachten" in sync.label.text(), timeout=5000)
    assert "laatst gesynchroniseerd 10:05" in sync.label.text()
    assert "Gesynchroniseerd: 2 batches verstuurd, 700 wijzigingen ontvangen." in said


def test_a_refused_sync_shows_the_dutch_line_and_keeps_the_pending_count(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    window = shell_with(qtbot, FakeTeam(refuse=True))
    sync = window.sync_actions
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000) as finished:
        window.act_sync.trigger()
    assert finished.args == [False]
    assert messages == [
        (
            "warning",
            "Synchroniseren is niet gelukt. Het kantoor is niet bereikbaar "
            "(https://kantoor.example:8443).",
        )
    ]
    qtbot.waitUntil(lambda: "mislukt 10:05" in sync.label.text(), timeout=5000)
    assert "3 wijzigingen wachten" in sync.label.text()
    assert "niet bereikbaar" in sync.label.toolTip()


FORK_LINE = (
    "het logboek van deze laptop wijkt af van wat het kantoor al heeft (vanaf regel 7): "
    "mogelijk teruggezet uit een oude back-up; de teamleider is gewaarschuwd"
)


def test_a_sync_refused_for_a_forked_log_says_what_happened_and_what_to_do(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    team = FakeTeam(refuse=True)
    team.refusal = AuditForked(FORK_LINE)
    window = shell_with(qtbot, team)
    sync = window.sync_actions
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000) as finished:
        window.act_sync.trigger()
    assert finished.args == [False]
    assert messages == [("warning", MSG_AUDIT_FORK)]
    text = messages[0][1]
    assert "oude back-up" in text and "teamleider" in text
    assert "niets verstuurd" in text and "niets verloren" in text
    assert FORK_LINE not in text  # not the office's raw line
    qtbot.waitUntil(lambda: "mislukt 10:05" in sync.label.text(), timeout=5000)
    assert "wijkt af" in sync.label.toolTip()  # the office's line stays at hand

    # The timer's try says it in the status bar, without a dialog.
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000):
        sync.auto_sync()
    assert len(messages) == 1
    assert window.statusBar().currentMessage() == MSG_AUDIT_FORK_SHORT


def test_the_demo_has_no_sync_nor_inbox(qtbot: Any, messages: list[tuple[str, str]]) -> None:
    window = shell_with(qtbot, None)
    window.sync_actions.sync_now()
    window.sync_actions.show_conflicts()
    assert messages == [("information", MSG_UNAVAILABLE)] * 2


def test_the_timer_retries_quietly_when_changes_wait(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    team = FakeTeam(refuse=True)
    window = shell_with(qtbot, team)
    sync = window.sync_actions
    assert sync.auto_timer.isActive() and sync.auto_timer.interval() == AUTO_SYNC_MS
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000):
        sync.auto_sync()
    assert messages == []  # a background try does not pop up a dialog
    assert "niet bereikbaar" in window.statusBar().currentMessage()
    assert len(team.threads) == 1


def test_the_timer_does_nothing_when_all_is_synced(qtbot: Any) -> None:
    team = FakeTeam(pending=0)
    window = shell_with(qtbot, team)
    window.sync_actions.auto_sync()
    assert not window.sync_actions.is_running()
    assert team.threads == []


def test_the_timer_never_starts_a_second_sync(qtbot: Any) -> None:
    team = FakeTeam()
    team.hold = threading.Event()
    window = shell_with(qtbot, team)
    sync = window.sync_actions
    sync.auto_sync()
    assert sync.is_running()
    qtbot.waitUntil(lambda: len(team.threads) == 1, timeout=5000)
    sync.auto_sync()
    with qtbot.waitSignal(sync.sync_finished, timeout=10_000):
        team.hold.set()
    assert len(team.threads) == 1


def test_no_sync_while_locked_held_or_closing(qtbot: Any) -> None:
    team = FakeTeam()
    window = shell_with(qtbot, team)
    sync = window.sync_actions
    window.lock()
    assert window.is_locked()
    sync.auto_sync()
    window.act_sync.trigger()  # disabled behind the lock
    assert not sync.is_running()
    window._try_unlock(FAKE_PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=5000)
    with sync.held():  # the settings dialog is open
        sync.auto_sync()
        assert not sync.is_running()
    window.close()
    assert not sync.auto_timer.isActive()
    sync.auto_sync()
    assert not sync.is_running()
    assert team.threads == []


def test_closing_mid_sync_asks_the_sync_to_stop(qtbot: Any) -> None:
    """A sync under way when the window closes stops before its next request, so quitting
    does not wait on the network (the app waits for workers before closing the database)."""
    team = FakeTeam()
    team.hold = threading.Event()
    window = shell_with(qtbot, team)
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: bool(team.threads), timeout=5000)
    assert window.sync_actions.is_running()
    window.close()
    assert team.stop_requested.is_set()
    qtbot.waitUntil(lambda: not window.sync_actions.is_running(), timeout=5000)


def test_closing_when_idle_asks_nothing_of_the_team(qtbot: Any) -> None:
    team = FakeTeam()
    window = shell_with(qtbot, team)
    window.close()
    assert not team.stop_requested.is_set()


def test_f9_is_in_the_help(qtbot: Any) -> None:
    window = shell_with(qtbot, FakeTeam())
    assert dict(window.shortcut_rows())["F9"] == "synchroniseren"


# --- settings, on a real database ------------------------------------------------------------


@pytest.fixture
def database(tmp_path: Path) -> Any:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    db = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True)
    svc = CaseService(db, user="J. Consulent")
    for i in range(2):
        svc.create(full_case(i))
    yield db
    db.close()


def team_page(qtbot: Any, db: Any) -> tuple[Any, Any]:
    from bwo_desktop.services.team import TeamService
    from bwo_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(consultant_name="J. Consulent"), team=TeamService(db))
    qtbot.addWidget(dialog)
    page = dialog.team_page
    qtbot.waitUntil(lambda: page.status is not None, timeout=5000)
    return dialog, page


def test_joining_with_a_bad_file_changes_nothing(qtbot: Any, database: Any, tmp_path: Path) -> None:
    from bwo_desktop.services import team

    _dialog, page = team_page(qtbot, database)
    assert not page.join_button.isHidden() and page.leave_button.isHidden()
    bad = tmp_path / "aanmelding.json"
    bad.write_text('{"format": 1, "team": "Noord"}', encoding="utf-8")
    with qtbot.waitSignal(page.task_finished, timeout=10_000) as finished:
        page.join_from_file(bad)
    assert finished.args == [False]
    assert page.message_label.text().startswith("Niet aangesloten. Aanmeldbestand onvolledig")
    assert page.message_label.text().endswith("Er is niets gewijzigd.")
    assert not team.status(database).joined
    assert page.join_button.isEnabled()


def test_join_shows_the_team_and_leave_asks_first_then_keeps_the_cases(
    qtbot: Any, database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwo_desktop.services import team
    from bwo_desktop.services.cases import CaseService

    _dialog, page = team_page(qtbot, database)
    with qtbot.waitSignal(page.task_finished, timeout=10_000) as finished:
        page.join_from_file(write_enrolment(tmp_path))
    assert finished.args == [True]
    qtbot.waitUntil(lambda: page.status.joined, timeout=5000)
    assert page.fields["team"].text() == "Noord"
    assert page.fields["device"].text() == "laptop-7"
    assert not page.leave_button.isHidden()

    asked: list[Any] = []

    def answer(reply: QMessageBox.StandardButton) -> Any:
        def question(_parent: Any, _title: str, text: str, _buttons: Any, default: Any) -> Any:
            asked.append((text, default))
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    page.leave_team()
    assert asked and asked[0][1] == QMessageBox.StandardButton.No  # "Nee" is the default
    assert "team Noord" in asked[0][0]
    assert team.status(database).joined

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(page.task_finished, timeout=10_000) as finished:
        page.leave_team()
    assert finished.args == [True]
    assert page.message_label.text() == "Team Noord verlaten. 2 casussen blijven op deze laptop."
    assert not team.status(database).joined
    assert len(CaseService(database).list_summaries()) == 2
    qtbot.waitUntil(lambda: not page.status.joined, timeout=5000)
    assert "Team Noord is verlaten op" in page.state_label.text()


def test_the_demo_offers_no_team(qtbot: Any) -> None:
    from bwo_desktop.ui.settings_dialog import SettingsDialog
    from bwo_desktop.ui.team_settings import MSG_UNAVAILABLE

    dialog = SettingsDialog(Settings(consultant_name="J. Consulent"))
    qtbot.addWidget(dialog)
    assert dialog.team_page.state_label.text() == MSG_UNAVAILABLE
    assert dialog.team_page.join_button.isHidden()


def test_parked_changes_are_named_after_a_sync_and_the_inbox_opens_from_extra(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, messages: list[tuple[str, str]]
) -> None:
    from bwo_desktop.ui.conflict_inbox import ConflictInboxDialog

    team = FakeTeam()
    team.parked = 2
    window = shell_with(qtbot, team)
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: not window.sync_actions.is_running(), timeout=5000)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    kind, text = messages[0]
    assert kind == "information"
    assert "2 wijzigingen zijn niet zonder meer door het kantoor opgenomen" in text
    assert "andere laptop, of het kantoor had intussen een andere waarde" in text
    assert "Conflicten met het kantoor" in text
    shown: list[ConflictInboxDialog] = []
    monkeypatch.setattr(ConflictInboxDialog, "exec", lambda self: shown.append(self) or 0)
    assert window.act_conflicts in window.menuBar().actions()[-2].menu().actions()
    window.act_conflicts.trigger()
    assert len(shown) == 1
    qtbot.waitUntil(lambda: not shown[0].busy, timeout=5000)
    assert shown[0].empty.isVisibleTo(shown[0])


def test_a_case_handed_to_a_colleague_is_named_after_an_f9_sync(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    team = FakeTeam()
    team.purged = 1
    team.notes = ("casus BWO-2026-0007 is overgedragen aan B. Tweede: van deze laptop verwijderd",)
    window = shell_with(qtbot, team)
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    kind, text = messages[0]
    assert kind == "information"
    assert "1 casus is overgedragen aan een collega en van deze laptop verwijderd." in text
    assert "Casus BWO-2026-0007 is overgedragen aan B. Tweede" in text
    assert "geparkeerd" not in text and "Conflicten" not in text


def test_a_sync_that_parked_and_purged_nothing_shows_no_box(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    window = shell_with(qtbot, FakeTeam())
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: not window.sync_actions.is_running(), timeout=5000)
    qtbot.wait(50)
    assert messages == []


def test_the_inbox_without_a_team_says_how_to_join(
    qtbot: Any, messages: list[tuple[str, str]]
) -> None:
    window = shell_with(qtbot, FakeTeam(joined=False))
    window.act_conflicts.trigger()
    assert messages and "team" in messages[0][1].lower()
