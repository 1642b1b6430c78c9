"""Composition root of the GUI: QApplication, the unlock window, the database, the main window.

Order matters for the start-up budget: the unlock window is shown first, with nothing but Qt
and the package's light modules imported. The database layer (SQLAlchemy, Alembic,
SQLCipher) is imported on a worker thread while the consultant types the passphrase; key
derivation, migrations and loading the case list run there too. Objects are built here and
passed in; there are no globals.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from bwo_desktop import APP_NAME, APP_TITLE, __version__
from bwo_desktop.core.bsn import BSN_LIKE

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from bwo_desktop.core.case import CaseSummary
    from bwo_desktop.core.case_rows import CaseRows
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.case_index import CaseIndex
    from bwo_desktop.ui.main_window import MainWindow
    from bwo_desktop.ui.unlock_window import UnlockWindow

log = logging.getLogger("bwo_desktop")

ENV_PASSPHRASE = "BWO_PASSPHRASE"
# Benchmark hook: print one line when the first window has painted, then quit.
ENV_STARTUP_PROBE = "BWO_STARTUP_PROBE"
DEMO_CASES = 80
# Must not be imported before the first window is on screen.
HEAVY_MODULES = ("sqlalchemy", "alembic", "sqlcipher3", "openpyxl", "reportlab", "cryptography")

EXIT_OK = 0
EXIT_IN_USE = 3
EXIT_ERROR = 1

MSG_IN_USE = "De database is al geopend in een ander venster van BWO Herindicatie."
MSG_UNEXPECTED = (
    "Er ging iets onverwachts mis. Uw ingevoerde gegevens worden automatisch bewaard. "
    "Probeer het opnieuw; gebeurt het vaker, meld het dan bij functioneel beheer."
)


def scrub(text: str) -> str:
    """Remove anything that could be a BSN (8 or 9 digits) from text that goes to a log."""
    return BSN_LIKE.sub("[nummer]", text)


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


def setup_logging(log_dir: Path) -> Path | None:
    """A rotating log file in the user data folder; BSN-like numbers are scrubbed."""
    import logging.handlers  # here, not at the top: off the way to the first window

    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "bwo-desktop.log"
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_ScrubFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    log.setLevel(logging.INFO)  # our own start-up and timing lines
    return path


class ExceptionReporter:
    """sys.excepthook: log the traceback (scrubbed) and show a calm Dutch message, never a
    traceback dialog. Exceptions in Qt slots arrive here too."""

    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self._showing = False
        self.count = 0

    def install(self) -> None:
        sys.excepthook = self
        threading.excepthook = self._thread_hook

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error(
                "fout in thread: %s",
                scrub(
                    "".join(
                        traceback.format_exception(
                            args.exc_type, args.exc_value, args.exc_traceback
                        )
                    )
                ),
            )

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            from PySide6.QtWidgets import QApplication

            QApplication.quit()
            return
        self.count += 1
        log.error(
            "onverwachte fout:\n%s", scrub("".join(traceback.format_exception(exc_type, exc, tb)))
        )
        self._show(exc)

    def _show(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if self._showing or QApplication.instance() is None:
            return
        from bwo_desktop.core.errors import InputError

        text = f"{exc}" if isinstance(exc, InputError) else MSG_UNEXPECTED
        details = f"\n\nLogbestand: {self.log_path}" if self.log_path else ""
        self._showing = True
        try:
            QMessageBox.warning(QApplication.activeWindow(), APP_TITLE, text + details)
        finally:
            self._showing = False


def install_translations(app: QApplication) -> None:
    """Qt's own texts (buttons, context menus, file dialogs) in Dutch, whatever the system
    language."""
    from PySide6.QtCore import QLocale

    from bwo_desktop.ui import qt_translations

    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    qt_translations.install(app)


def _preload_database_layer() -> None:
    """Import the heavy modules while the consultant types (results cached in sys.modules)."""
    try:
        import bwo_desktop.services.cases
        import bwo_desktop.services.database  # noqa: F401
    except Exception:  # the real open reports any problem
        log.warning("vooraf laden van de databaselaag mislukt", exc_info=True)


@dataclass
class Opened:
    """What the worker thread hands back after opening the database."""

    db: Any
    cases: Any
    is_demo: bool
    summaries: CaseRows | list[CaseSummary]  # the list as columns (CaseService.list_rows)
    index: CaseIndex
    open_case: str | None
    settings: Settings
    settings_problem: str | None
    seconds: float
    created: bool = False  # a new database: no daily backup yet (there is nothing in it)
    key_change_finished: int | None = None  # an interrupted key change, finished: backups


def _open_finishing_key_change(db_path: Path, passphrase: str) -> tuple[Any, int | None]:
    """Open for the app; an interrupted `--nieuwe-sleutel` change (issue 12) is finished
    first when the passphrase is its new one, or named with its command when not (the
    database may be on the new key while the key file is not: nothing else would open)."""
    from bwo_desktop.services import rekey
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.errors import DatabaseCorrupt, WrongPassphrase

    report = rekey.finish_at_open(db_path, passphrase)
    try:
        db = open_database(db_path, passphrase, check_integrity="background")
        if rekey.pending(db_path):
            try:  # the old key on a file already re-keyed reads as damage
                db.wait_integrity()
            except BaseException:
                db.close()
                raise
    except (WrongPassphrase, DatabaseCorrupt) as exc:  # KeyFileMismatch, DatabaseDamaged
        if rekey.pending(db_path):
            raise rekey.KeyChangeInterrupted(db_path) from exc
        raise
    return db, None if report is None else len(report.converted)


def open_and_load(
    db_path: Path,
    passphrase: str,
    *,
    create: bool,
    demo_cases: int = 0,
    consultant_name: str = "",
) -> Opened:
    """Runs on a worker thread: open (or create), optionally fill demo data, load the list.
    `consultant_name` (set-up): goes into the settings, so the audit log and the first
    cases carry it; saved once the database exists (a broken settings file is left alone)."""
    started = time.perf_counter()
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.settings import Settings, load_settings
    from bwo_desktop.ui.case_index import load_case_list

    settings_problem = None
    try:
        settings = load_settings()
    except InputError as exc:
        settings, settings_problem = Settings(), str(exc)
    if consultant_name:
        settings.consultant_name = consultant_name
    # The page check (issue 12) runs beside the list load; no write happens before it ends.
    finished = None
    if create:
        db = open_database(db_path, passphrase, create=True, check_integrity="background")
    else:
        db, finished = _open_finishing_key_change(db_path, passphrase)
    try:
        from bwo_desktop.exports.witness import set_audit_head_source
        from bwo_desktop.services.witnesses import export_head

        # Every PDF carries the audit chain's head in its metadata (a witness).
        set_audit_head_source(lambda: export_head(db))
        # The daily backup is not made here: it would delay the case list once a day. The
        # shell starts it on a worker once the main window is on screen (Shell._opened).
        if demo_cases:
            fill_demo(db, demo_cases)
        cases = CaseService(db, user=settings.consultant_name or None)
        if finished is not None:
            from bwo_desktop.services import audit

            details = {"backups": finished, "new_key": True, "resumed": True}
            audit.record(db, "passphrase_change", None, details=details, user=cases.user)
        # Columns and the sorted search index, made here rather than on the UI thread.
        summaries, index = load_case_list(cases)
        open_case = cases.get_ui_state("open_case")
        is_demo = bool(db.is_demo)
        db.wait_integrity()  # a damaged database never reaches the main window
    except BaseException:
        db.close()
        raise
    if consultant_name and settings_problem is None:
        _save_name(settings)
    return Opened(
        db=db,
        cases=cases,
        is_demo=is_demo,
        summaries=summaries,
        index=index,
        open_case=open_case if isinstance(open_case, str) else None,
        settings=settings,
        settings_problem=settings_problem,
        seconds=time.perf_counter() - started,
        created=create,
        key_change_finished=finished,
    )


def _settings_name() -> str:
    """The consultant's name already in the settings, for the set-up form; "" if none."""
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.settings import load_settings

    try:
        return load_settings().consultant_name
    except InputError:  # reported once the database is open
        return ""


def _save_name(settings: Settings) -> None:
    """The name typed at set-up into the settings file; a failure costs only the file (the
    name still applies this session), so it is logged, not shown."""
    from bwo_desktop.settings import save_settings

    try:
        save_settings(settings)
    except OSError as exc:
        log.warning("naam niet in de instellingen bewaard: %s", type(exc).__name__)


def daily_backup(db: Any) -> Path | None:
    """The day's backup and the rotation (issue 7); the new backup's path, or None. A failure
    is never fatal (the consultant can still work, the next start tries again) but is
    raised as one Dutch line, which the shell shows in the status bar (issue 12).

    Runs on a worker thread while the consultant works: `VACUUM INTO` reads a consistent
    snapshot (WAL: the autosave's writes go on meanwhile; a write that meets the lock waits
    through busy_timeout)."""
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.backups import ensure_daily_backup
    from bwo_desktop.services.integrity import translate_db_error, translate_os_error

    try:
        done = ensure_daily_backup(db)
    except Exception as exc:
        log.warning("dagelijkse back-up mislukt: %s", type(exc).__name__)
        reason: Exception | None = exc if isinstance(exc, InputError) else None
        if reason is None and isinstance(exc, OSError):
            reason = translate_os_error(exc)
        if reason is None and "sqlalchemy" in type(exc).__module__:
            reason = translate_db_error(exc)
        raise DailyBackupFailed(_sentence(str(reason)) if reason else MSG_UNEXPECTED) from exc
    if done.path is not None:
        log.info(
            "dagelijkse back-up gemaakt in %.2f s (%d oude verwijderd)", done.seconds, done.removed
        )
    return done.path


class DailyBackupFailed(Exception):
    """The day's backup did not succeed; the message is the Dutch reason."""


MSG_DAMAGED = "De database is beschadigd; er is niets in geschreven."
MSG_BACKUP_FAILED = "Dagelijkse back-up mislukt: {reason} Uw werk wordt wel gewoon opgeslagen."


def fill_demo(db: Any, cases: int) -> None:
    """Fictional clients and cases (the persistence layer's generator), marked as demo."""
    from bwo_desktop.services import demo

    demo.generate(db, cases)


class Shell:
    """Runs the start-up sequence and owns what it opened until the app quits."""

    def __init__(
        self, app: QApplication, db_path: Path, *, env_passphrase: str | None = None
    ) -> None:
        self.app = app
        self.db_path = db_path
        self.env_passphrase = env_passphrase or None
        self.unlock_window: UnlockWindow | None = None
        self.main_window: MainWindow | None = None
        self.opened: Opened | None = None
        self.exit_code = EXIT_OK
        self._busy = False
        self.backup_task: Any = None
        self.backup_problem: str | None = None  # the last failed daily backup, in Dutch
        self._passphrase: str | None = None  # only while an open is under way
        self.restore_report: Any = None  # after restoring over a damaged database
        self.restore_task: Any = None

    # --- start ------------------------------------------------------------------------------

    def needs_setup(self) -> bool:
        return not (self.db_path.exists() and self.db_path.stat().st_size > 0)

    def start(self) -> UnlockWindow:
        from bwo_desktop.ui.unlock_window import UnlockWindow

        setup = self.needs_setup()
        window = UnlockWindow(
            self.db_path,
            mode=UnlockWindow.MODE_SETUP if setup else UnlockWindow.MODE_UNLOCK,
        )
        window.unlock_requested.connect(self.unlock)
        window.setup_requested.connect(self.set_up)
        self.unlock_window = window
        if setup:
            window.prefill_name(_settings_name())
        if self.env_passphrase:
            from bwo_desktop.services.demo import DEMO_PASSPHRASE

            if self.env_passphrase != DEMO_PASSPHRASE:
                # BWO_PASSPHRASE is for commands and tests: the GUI takes only the demo's.
                self.env_passphrase = None
        if self.env_passphrase:
            demo = False
            if setup:
                # Only on a first start: the demo module brings the database layer along.
                from bwo_desktop.services.demo import DEMO_PASSPHRASE

                demo = self.env_passphrase == DEMO_PASSPHRASE
            window.prefill(self.env_passphrase, demo=demo)
        window.show()
        window.center_on_screen()
        from PySide6.QtCore import QTimer

        if self.env_passphrase and not setup:
            # Documented demo use: the passphrase comes from the environment, skip typing.
            QTimer.singleShot(0, lambda: self.unlock(self.env_passphrase or ""))
        else:
            QTimer.singleShot(150, self._preload)
        return window

    def _preload(self) -> None:
        threading.Thread(target=_preload_database_layer, name="preload", daemon=True).start()

    # --- open -------------------------------------------------------------------------------

    def unlock(self, passphrase: str) -> None:
        self._open(passphrase, create=False, demo=False)

    def set_up(self, passphrase: str, demo: bool, consultant_name: str = "") -> None:
        self._open(passphrase, create=True, demo=demo, consultant_name=consultant_name)

    def _open(
        self, passphrase: str, *, create: bool, demo: bool, consultant_name: str = ""
    ) -> None:
        from bwo_desktop.ui.background import run_in_background

        if self._busy or self.unlock_window is None:
            return
        self._busy = True
        if create and demo:
            message = "Database aanmaken en demogegevens laden…"
        elif create:
            message = "Database aanmaken…"
        else:
            message = "Database openen…"
        self.unlock_window.set_busy(message)
        db_path = self.db_path
        self._passphrase = passphrase  # a damaged database may need it for the restore
        run_in_background(
            lambda: open_and_load(
                db_path,
                passphrase,
                create=create,
                demo_cases=DEMO_CASES if demo else 0,
                consultant_name=consultant_name,
            ),
            self._opened,
            self._open_failed,
        )

    def _open_failed(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from bwo_desktop.ui.unlock_window import MSG_WRONG_PASSPHRASE

        self._busy = False
        window = self.unlock_window
        if window is None:
            return
        kind = type(exc).__name__
        passphrase, self._passphrase = self._passphrase, None
        if kind == "WrongPassphrase":
            window.show_error(MSG_WRONG_PASSPHRASE)
            return
        if kind == "DatabaseDamaged" and passphrase:
            log.warning("database beschadigd")
            self.offer_restore(passphrase)
            return
        if kind == "DatabaseInUse":
            log.info("database al in gebruik")
            QMessageBox.information(window, APP_TITLE, MSG_IN_USE)
            self.exit_code = EXIT_IN_USE
            window.close()
            self.app.exit(EXIT_IN_USE)
            return
        from bwo_desktop.core.errors import InputError

        if isinstance(exc, InputError):
            log.warning("database openen mislukt: %s", kind)
            window.show_error(_sentence(str(exc)))
            return
        log.error("database openen mislukt:\n%s", scrub("".join(traceback.format_exception(exc))))
        window.show_error("De database kon niet worden geopend. " + MSG_UNEXPECTED)

    def offer_restore(self, passphrase: str) -> Any:
        """A damaged database: offer the newest backup that passes the page check; on yes,
        restore it on a worker (the damaged file is set aside first) and open again.
        Returns the background task, or None when nothing was restored."""
        from bwo_desktop.services.restore import newest_good_backup, restore_backup
        from bwo_desktop.ui import safety_dialogs
        from bwo_desktop.ui.background import run_in_background

        window = self.unlock_window
        if window is None:
            return None
        window.set_busy("Back-ups controleren…")
        self._busy = True

        def _found(good: Any) -> None:
            self._busy = False
            if self.unlock_window is None:
                return
            self.unlock_window.set_idle()
            self.unlock_window.show_error(MSG_DAMAGED)
            if not safety_dialogs.ask_restore_damaged(window, good.created if good else None):
                return
            self.unlock_window.set_busy("Back-up terugzetten…")
            self._busy = True
            self.restore_task = run_in_background(
                lambda: restore_backup(self.db_path, good.path, passphrase),
                _restored,
                _failed,
                owner=window,
            )

        def _restored(report: Any) -> None:
            self._busy = False
            self.restore_report = report
            self.unlock(passphrase)

        def _failed(exc: BaseException) -> None:
            from bwo_desktop.core.errors import InputError

            self._busy = False
            log.warning("terugzetten mislukt: %s", type(exc).__name__)
            if self.unlock_window is not None:
                self.unlock_window.set_idle()
                self.unlock_window.show_error(
                    "Terugzetten mislukt: " + _sentence(str(exc))
                    if isinstance(exc, InputError)
                    else "Terugzetten mislukt. " + MSG_UNEXPECTED
                )

        # Reading every page of a backup takes a moment: not on the UI thread.
        return run_in_background(
            lambda: newest_good_backup(self.db_path, passphrase), _found, _failed, owner=window
        )

    def _opened(self, opened: Opened) -> None:
        from PySide6.QtWidgets import QMessageBox

        from bwo_desktop.services.decisions import DecisionService
        from bwo_desktop.services.letters import LetterService

        self._passphrase = None

        from bwo_desktop.services.safety import SafetyService
        from bwo_desktop.services.team import TeamService
        from bwo_desktop.ui.main_window import MainWindow, ShellContext

        self._busy = False
        self.opened = opened
        db_path = self.db_path

        def verify(passphrase: str) -> None:
            from bwo_desktop.services import keys

            keys.unlock_key_file(keys.key_file_for(db_path), passphrase)

        def save(settings: Settings) -> None:
            from bwo_desktop.settings import save_settings

            save_settings(settings)

        context = ShellContext(
            cases=opened.cases,
            settings=opened.settings,
            db_path=db_path,
            is_demo=opened.is_demo,
            verify_passphrase=verify,
            save_settings=save,
            safety=SafetyService(opened.cases),
            decisions=DecisionService(opened.cases),
            letters=LetterService(opened.cases),
            db=opened.db,
            # Fictitious demo cases never go to an office.
            team=None if opened.is_demo else TeamService(opened.db),
        )
        window = MainWindow(context)
        window.load_cases(opened.summaries, opened.index)
        window.show()
        self.main_window = window
        if self.unlock_window is not None:
            self.unlock_window.close()
            self.unlock_window.deleteLater()
            self.unlock_window = None
        if opened.key_change_finished is not None:
            window.statusBar().showMessage(
                "Onderbroken sleutelwissel afgemaakt; "
                f"{opened.key_change_finished} back-up(s) omgezet.",
                15000,
            )
        else:
            window.statusBar().showMessage(
                f"Database geopend in {opened.seconds:.1f} s".replace(".", ","), 5000
            )
        log.info("database geopend: %d casussen in %.2f s", len(opened.summaries), opened.seconds)
        if opened.settings_problem:
            QMessageBox.warning(
                window,
                APP_TITLE,
                "De instellingen zijn niet te lezen; de standaardinstellingen gelden nu.\n\n"
                + opened.settings_problem,
            )
        if opened.open_case and window.model.row_of(opened.open_case) is not None:
            # Back where the consultant was (after a crash or a flat battery).
            window.open_case(opened.open_case)
        self.start_daily_backup()

    def start_daily_backup(self) -> Any:
        """The day's backup on a worker thread, after the list is on screen (once a day it
        takes a moment; nobody should wait for it). `shutdown` waits for it before the
        database closes. Returns the background task (tests wait on it)."""
        from bwo_desktop.ui.background import run_in_background

        opened, window = self.opened, self.main_window
        if opened is None or window is None or opened.created:
            return None
        db = opened.db

        def _done(path: Path | None) -> None:
            if path is not None:
                window.statusBar().showMessage("Dagelijkse back-up gemaakt.", 5000)

        def _failed(exc: BaseException) -> None:
            reason = str(exc) if isinstance(exc, DailyBackupFailed) else MSG_UNEXPECTED
            self.backup_problem = MSG_BACKUP_FAILED.format(reason=reason)
            # No timeout: it stays until the next message, not only a line in the log.
            window.statusBar().showMessage(self.backup_problem)

        self.backup_task = run_in_background(lambda: daily_backup(db), _done, _failed, owner=window)
        return self.backup_task

    # --- stop -------------------------------------------------------------------------------

    def shutdown(self) -> None:
        from bwo_desktop.ui.background import wait_for_background

        wait_for_background(15_000)
        if self.opened is not None:
            try:
                self.opened.db.close()
            except Exception:
                log.warning("database sluiten mislukt", exc_info=True)
            self.opened = None


def _sentence(text: str) -> str:
    from bwo_desktop.ui.operations import sentence

    return sentence(text)


def _install_startup_probe(app: QApplication, window: QWidget, started: float) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Probe(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                heavy = [m for m in HEAVY_MODULES if m in sys.modules]
                sys.stdout.write(
                    f"BWO_EXPOSED {time.perf_counter() - started:.6f} heavy={','.join(heavy)}\n"
                )
                sys.stdout.flush()
                QTimer.singleShot(0, app.quit)
            return False

    probe = _Probe(window)
    window.installEventFilter(probe)


def run_gui(db_path: str | None) -> int:
    started = time.perf_counter()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from bwo_desktop import paths

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Sociale Dienst Drechtsteden")
    install_translations(app)

    probe = bool(os.environ.get(ENV_STARTUP_PROBE))
    reporter = ExceptionReporter(None if probe else setup_logging(paths.user_data_dir() / "logs"))
    if not probe:
        reporter.install()

    path = Path(db_path).expanduser() if db_path else paths.default_db_path()
    shell = Shell(
        app, path.absolute(), env_passphrase=None if probe else os.environ.get(ENV_PASSPHRASE)
    )
    window = shell.start()
    if probe:
        _install_startup_probe(app, window, started)
    code = app.exec()
    shell.shutdown()
    return shell.exit_code if shell.exit_code != EXIT_OK else int(code)
