"""The shell's team sync (docs/team-mode-in-the-app.md): the "Synchroniseren" action (F9 and a
button in the status bar), the permanent status-bar line (team, last sync, pending changes,
conflicts), progress on a long pull, and the automatic retry.

The sync runs through `CaseOp` on a worker, never two at once. "When the network returns" is
a timer, not an operating-system hook: while joined it tries every few minutes when changes
wait or the last try failed, never while the window is locked, held (a settings dialog open)
or closing. After a pull that brought changes the case list reloads (`ALL_CASES`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QToolButton

from bwo_desktop import APP_TITLE
from bwo_desktop.services.sync_client import AuditForked
from bwo_desktop.ui.operations import ALL_CASES, CaseOp, failure_text, sentence

if TYPE_CHECKING:
    from bwo_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

AUTO_SYNC_MS = 3 * 60_000
STATUS_REFRESH_MS = 2_000  # after an edit: the pending count, coalesced
MSG_NOT_JOINED = (
    "Deze laptop is niet aangemeld bij een team. Sluit aan met het aanmeldbestand van het "
    "kantoor: Extra > Instellingen > Team."
)
MSG_UNAVAILABLE = "Synchroniseren is niet beschikbaar voor deze database."
# A sync refused because this laptop's audit log differs from the office's copy of it
# (services.sync_client.AuditForked): what happened and what to do, not the office's line.
MSG_AUDIT_FORK = (
    "Synchroniseren is gestopt: het logboek van deze laptop verschilt van wat het kantoor "
    "van deze laptop heeft. Waarschijnlijk is de laptop teruggezet uit een oude back-up.\n\n"
    "Er is niets verstuurd en er gaat niets verloren: alle casussen en wijzigingen blijven "
    "op deze laptop. Neem contact op met de teamleider; die lost het op het kantoor op, "
    "daarna kunt u weer synchroniseren."
)
MSG_AUDIT_FORK_SHORT = (
    "Synchroniseren gestopt: het logboek van deze laptop verschilt van dat op het kantoor "
    "(oude back-up?). Neem contact op met de teamleider."
)


def count_text(n: int, one: str, many: str) -> str:
    return f"{n:,}".replace(",", ".") + " " + (one if n == 1 else many)


def when_text(at: dt.datetime, now: dt.datetime) -> str:
    """09:41 today, else 02-03 09:41 (local time)."""
    local = at.astimezone()
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if local.date() == now.astimezone().date():
        return clock
    return f"{local.day:02d}-{local.month:02d} {clock}"


def status_text(status: Any, now: dt.datetime) -> str:
    """The status-bar line of a `services.team.TeamStatus`."""
    if not status.joined:
        return "Niet in een team"
    last = status.last_sync
    if last is None:
        synced = "nog niet gesynchroniseerd"
    elif last.ok:
        synced = f"laatst gesynchroniseerd {when_text(last.at, now)}"
    else:
        synced = f"synchroniseren mislukt {when_text(last.at, now)}"
    return " · ".join(
        (
            f"Team {status.team}",
            synced,
            count_text(status.pending, "wijziging wacht", "wijzigingen wachten"),
            count_text(status.conflicts, "conflict", "conflicten"),
        )
    )


class _ProgressRelay(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call to the UI thread."""

    progressed = Signal(int, bool)


class SyncActions(QObject):
    """`team` is a `services.team.TeamService` (or a stand-in), None when the database has
    no team functions (the demo)."""

    sync_finished = Signal(bool)  # True: synced (tests wait on it)
    status_shown = Signal(object)  # the TeamStatus now on screen

    def __init__(
        self,
        window: MainWindow,
        team: Any,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        super().__init__(window)
        self._window = window
        self.team = team
        self._now = now
        self.status: Any = None
        self._running = False
        self._held = 0
        self._closing = False
        self._refreshing = False
        self._refresh_again = False

        self.label = QLabel()
        self.label.setAccessibleName("Team en synchronisatie")
        self.label.hide()
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.hide()

        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_SYNC_MS)
        self.auto_timer.timeout.connect(self.auto_sync)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(STATUS_REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh_status)

    def install(self, bar: QStatusBar, action: QAction) -> None:
        self.button.setDefaultAction(action)
        self.button.setToolTip("Nu synchroniseren met het kantoor (F9)")
        bar.addPermanentWidget(self.label)
        bar.addPermanentWidget(self.button)

    def start(self) -> None:
        """After the window is built: read the status, start the automatic retry."""
        if self.team is None:
            return
        self._window.context.events.cases_changed.connect(self._cases_changed)
        self.refresh_status()
        self.auto_timer.start()

    def shutdown(self) -> None:
        """The window closes: no new sync starts, and one running stops before its next
        request (the step under way is whole; the rest stays in the outbox), so quitting
        does not wait on the network."""
        self._closing = True
        self.auto_timer.stop()
        self._refresh_timer.stop()
        if self._running and self.team is not None:
            self.team.request_stop()

    def is_running(self) -> bool:
        return self._running

    @contextmanager
    def held(self) -> Iterator[None]:
        """No automatic sync meanwhile (the settings dialog may join or leave a team)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    # --- status ----------------------------------------------------------------------------

    def _cases_changed(self, _ids: object) -> None:
        if self.status is not None and self.status.joined and not self._closing:
            self._refresh_timer.start()  # restarts: one read after a burst of autosaves

    def refresh_status(self) -> None:
        team = self.team
        if team is None or self._closing:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True

        def _done(status: Any) -> None:
            self._refreshing = False
            self.show_status(status)
            if self._refresh_again:
                self._refresh_again = False
                self.refresh_status()

        def _failed(exc: BaseException) -> None:
            self._refreshing = self._refresh_again = False
            log.warning("teamstatus niet gelezen: %s", type(exc).__name__)

        CaseOp(self._window, team.status, what="De teamstatus lezen").success(_done).failure(
            _failed
        ).run_in_background()

    def show_status(self, status: Any) -> None:
        self.status = status
        joined = bool(status.joined)
        self.label.setVisible(joined)
        self.button.setVisible(joined)
        if not self._running:
            self.label.setText(status_text(status, self._now()))
        last = status.last_sync
        self.label.setToolTip(
            sentence(last.message) if joined and last is not None and last.message else ""
        )
        self.status_shown.emit(status)

    # --- syncing ---------------------------------------------------------------------------

    def _in_a_team(self) -> bool:
        """True when there is a team to work with; else says why (the demo has no team
        functions, or this laptop has not joined one) and returns False."""
        if self.team is None:
            QMessageBox.information(self._window, APP_TITLE, MSG_UNAVAILABLE)
            return False
        if self.status is not None and not self.status.joined:
            QMessageBox.information(self._window, APP_TITLE, MSG_NOT_JOINED)
            return False
        return True

    def sync_now(self) -> None:
        """The action (F9, the status-bar button, the menu)."""
        window = self._window
        if not self._in_a_team():
            return
        if self._running:
            window.statusBar().showMessage("Er wordt al gesynchroniseerd…", 3000)
            return
        self._start(auto=False)

    def auto_sync(self) -> None:
        """The timer: only when worth it and nothing stands in the way."""
        status = self.status
        if status is None or not status.needs_sync:
            return
        if self._running or self._held or self._closing or self._window.is_locked():
            return
        self._start(auto=True)

    def _start(self, *, auto: bool) -> None:
        if self._window.is_locked() or self._closing:
            return
        team, window = self.team, self._window
        self._running = True
        self.label.setText("Synchroniseren…")
        relay = _ProgressRelay(self)
        relay.progressed.connect(self._progress)

        def _done(report: Any) -> None:
            self._running = False
            relay.deleteLater()
            pulled = int(report.changes_pulled)
            if pulled:
                window.context.events.changed(ALL_CASES)
            parked = int(report.parked)
            message = (
                "Gesynchroniseerd: "
                + count_text(int(report.batches_pushed), "batch", "batches")
                + " verstuurd, "
                + count_text(pulled, "wijziging", "wijzigingen")
                + " ontvangen."
            )
            if parked:
                message += (
                    " "
                    + count_text(parked, "wijziging", "wijzigingen")
                    + " geparkeerd: zie Extra > Conflicten met het kantoor."
                )
            purged = int(getattr(report, "purged", 0) or 0)
            if purged:
                message += (
                    " "
                    + count_text(purged, "casus", "casussen")
                    + " overgedragen en van deze laptop verwijderd."
                )
            window.statusBar().showMessage(message, 5000)
            lines = _after_sync_lines(parked, purged, list(getattr(report, "notes", [])))
            if lines and not auto:  # the list reload's own line would hide it
                QMessageBox.information(window, APP_TITLE, "\n\n".join(lines))
            self.refresh_status()
            self.sync_finished.emit(True)

        def _failed(exc: BaseException) -> None:
            self._running = False
            relay.deleteLater()
            log.warning("synchroniseren mislukt: %s", type(exc).__name__)
            forked = isinstance(exc, AuditForked)
            text = sentence(failure_text(exc))
            if auto:  # no dialog for a background try: the status bar says it
                short = MSG_AUDIT_FORK_SHORT if forked else f"Synchroniseren mislukt. {text}"
                window.statusBar().showMessage(short, 10_000)
            elif forked:
                QMessageBox.warning(window, APP_TITLE, MSG_AUDIT_FORK)
            else:
                QMessageBox.warning(window, APP_TITLE, f"Synchroniseren is niet gelukt. {text}")
            self.refresh_status()
            self.sync_finished.emit(False)

        CaseOp(
            window, lambda: team.synchronise(relay.progressed.emit), what="Synchroniseren"
        ).success(_done).failure(_failed).run_in_background()

    def show_conflicts(self) -> None:
        """Extra > Conflicten met het kantoor: the inbox, no automatic sync meanwhile."""
        from bwo_desktop.ui.conflict_inbox import ConflictInboxDialog

        window = self._window
        if not self._in_a_team():
            return

        def _resolved() -> None:
            window.context.events.changed(ALL_CASES)
            self.refresh_status()

        dialog = ConflictInboxDialog(self.team, window, on_resolved=_resolved)
        with self.held():
            dialog.exec()
        self.refresh_status()

    def _progress(self, received: int, more: bool) -> None:
        if self._running:
            suffix = "…" if more else ""
            self.label.setText(
                "Synchroniseren… "
                + count_text(received, "wijziging", "wijzigingen")
                + f" ontvangen{suffix}"
            )


__all__ = ["AUTO_SYNC_MS", "SyncActions", "status_text"]


def _after_sync_lines(parked: int, purged: int, notes: list[str]) -> list[str]:
    """What an F9 sync tells the consultant in a message box: changes the office did not take
    as they were (a case another laptop holds, a client field the office had changed
    meanwhile, a case handed to a colleague), cases that left this laptop, and the sync's
    own notes (each purged kenmerk and its new holder, a clock far off)."""
    lines: list[str] = []
    if parked:
        lines.append(
            count_text(parked, "wijziging is", "wijzigingen zijn")
            + " niet zonder meer door het kantoor opgenomen: de casus is van een andere "
            "laptop, of het kantoor had intussen een andere waarde. Er wordt niets "
            "samengevoegd; kies onder Extra > Conflicten met het kantoor welke versie geldt."
        )
    if purged:
        lines.append(
            count_text(purged, "casus is", "casussen zijn")
            + " overgedragen aan een collega en van deze laptop verwijderd."
        )
    lines.extend(note[:1].upper() + note[1:] + "." for note in notes if note)
    return lines
