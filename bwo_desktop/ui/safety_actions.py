"""The shell's data-safety actions: the audit log of a case, changing the passphrase, and
restoring a backup. Each runs its work through `CaseOp` (off the UI thread, Dutch messages);
the shell's menu calls these."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from bwo_desktop import APP_TITLE
from bwo_desktop.core.errors import InputError
from bwo_desktop.services.errors import WrongPassphrase
from bwo_desktop.ui.operations import CaseOp, failure_text

if TYPE_CHECKING:
    from bwo_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class SafetyActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def _safety(self) -> Any:
        safety = self._window.context.safety
        if safety is None:
            QMessageBox.information(
                self._window, APP_TITLE, "Dit is niet beschikbaar voor deze database."
            )
        return safety

    def show_case_audit(self) -> None:
        """The audit log of the open case, or else of the case selected in the list."""
        from bwo_desktop.ui.audit_dialog import AuditDialog

        window = self._window
        case_id = window.open_case_id or window.current_case_id()
        summary = window.model.summary(case_id) if case_id else None
        if summary is None or not summary.reference:
            QMessageBox.information(window, APP_TITLE, "Kies eerst een casus in de lijst.")
            return
        safety = self._safety()
        if safety is None:
            return
        reference = summary.reference
        dialog = AuditDialog(reference, window)
        window.audit_dialog = dialog
        CaseOp(dialog, lambda: safety.audit_entries(reference), what="Het auditlog lezen").success(
            dialog.set_entries
        ).failure(
            lambda _exc: dialog.show_error("Het auditlog kon niet worden gelezen.")
        ).run_in_background()
        dialog.open()

    def change_passphrase(self) -> None:
        from bwo_desktop.ui.safety_dialogs import PassphraseDialog

        window = self._window
        safety = self._safety()
        if safety is None:
            return
        dialog = PassphraseDialog(safety.passphrase_problem, window)
        if not dialog.exec():
            return
        old, new = dialog.values()
        new_key = dialog.wants_new_key()
        if new_key:
            # Re-encrypting reconnects the database: the open case is saved and closed first
            # and nothing is edited until it is done.
            window.back_to_list()
            if window.editor is not None:
                return  # the consultant cancelled: the case could not be saved
            window.stack.setEnabled(False)
            window.menuBar().setEnabled(False)
        window.statusBar().showMessage(
            "Database wordt opnieuw versleuteld…" if new_key else "Wachtwoordzin wordt gewijzigd…"
        )

        def _finished() -> None:
            window.stack.setEnabled(True)
            window.menuBar().setEnabled(True)
            window.statusBar().clearMessage()

        def _done(backups: int) -> None:
            _finished()
            what = "en de sleutel zijn" if new_key else "is"
            QMessageBox.information(
                window,
                APP_TITLE,
                f"De wachtwoordzin {what} gewijzigd. Ook {backups} back-up(s) gebruiken nu de "
                "nieuwe wachtwoordzin.",
            )

        def _failed(exc: BaseException) -> None:
            _finished()
            if isinstance(exc, WrongPassphrase):
                text = "De huidige wachtwoordzin is onjuist; er is niets gewijzigd."
            else:
                text = f"De wachtwoordzin is niet gewijzigd. {failure_text(exc)}"
            QMessageBox.warning(window, APP_TITLE, text)

        CaseOp(
            window,
            lambda: safety.change_passphrase(old, new, new_key=new_key),
            what="De wachtwoordzin wijzigen",
        ).success(_done).failure(_failed).run_in_background()

    def restore_backup(self) -> None:
        """Pick a backup (the list is read on a worker), close the database, restore, then
        ask for a restart."""
        window = self._window
        safety = self._safety()
        if safety is None:
            return
        CaseOp(window, safety.list_backups, what="De back-ups lezen").success(
            lambda backups: self._choose_backup(safety, backups)
        ).run_in_background()

    def _choose_backup(self, safety: Any, backups: Any) -> None:
        from bwo_desktop.ui.background import wait_for_background
        from bwo_desktop.ui.safety_dialogs import RestoreDialog

        window = self._window
        dialog = RestoreDialog(backups, window)
        if not dialog.exec():
            return
        chosen, passphrase = dialog.chosen(), dialog.chosen_passphrase()
        if chosen is None:
            return
        window.back_to_list()  # the open case is saved and closed first
        if window.editor is not None:
            return  # the consultant cancelled: the case could not be saved
        wait_for_background(15_000)
        window.idle_watcher.stop()
        window.stack.setEnabled(False)
        window.menuBar().setEnabled(False)
        window.statusBar().showMessage("Back-up wordt teruggezet…")

        def _done(report: Any) -> None:
            QMessageBox.information(
                window,
                APP_TITLE,
                f"De back-up is teruggezet: {report.cases} casussen. De database van vóór het "
                f"terugzetten is bewaard als {Path(report.safety_backup).name}.\n\n"
                "Het programma sluit nu; start het daarna opnieuw.",
            )
            self._quit_after_restore()

        def _failed(exc: BaseException) -> None:
            if isinstance(exc, WrongPassphrase):
                window.stack.setEnabled(True)
                window.menuBar().setEnabled(True)
                window.idle_watcher.start()
                window.statusBar().clearMessage()
                QMessageBox.warning(
                    window, APP_TITLE, "De wachtwoordzin is onjuist; er is niets teruggezet."
                )
                return
            log.error("terugzetten mislukt: %s", type(exc).__name__)
            detail = f" ({exc})" if isinstance(exc, InputError) else ""
            QMessageBox.warning(
                window,
                APP_TITLE,
                f"Het terugzetten is niet gelukt{detail}. De gegevens zijn niet veranderd. "
                "Het programma sluit nu; start het opnieuw.",
            )
            self._quit_after_restore()

        CaseOp(
            window,
            lambda: safety.restore(chosen, passphrase),
            what="De back-up terugzetten",
        ).success(_done).failure(_failed).run_in_background()

    def _quit_after_restore(self) -> None:
        # The database object is closed: nothing may use it again in this run.
        self._window.close()
        app = QApplication.instance()
        if app is not None:
            QTimer.singleShot(0, app.quit)

    def open_data_folder(self) -> None:
        from bwo_desktop.paths import user_data_dir

        db_path = self._window.context.db_path
        folder = db_path.parent if db_path else user_data_dir()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
