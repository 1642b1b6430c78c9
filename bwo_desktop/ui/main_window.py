"""The main window: the shell around the case list, the open case and the idle lock.

It receives everything it works with (services, settings, how to check the passphrase) from
the composition root (`bwo_desktop.app`) in a `ShellContext` and never opens the database
itself. Its parts live in their own modules: the case list (`ui.case_list_page`), the idle
lock (`ui.idle_lock`), the data-safety actions (`ui.safety_actions`), the team sync
(`ui.sync_actions`), the dialogs (one module each). Work runs off the UI thread
(`ui.operations.CaseOp`); a case opens in two steps: the shell's frame at once, the editor
when its data has been read on a worker.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop import APP_TITLE, __version__
from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.services.errors import WrongPassphrase
from bwo_desktop.settings import DEFAULT_IDLE_LOCK_MINUTES, Settings
from bwo_desktop.ui.case_index import CaseIndex
from bwo_desktop.ui.case_list_page import CaseListPage
from bwo_desktop.ui.case_view import CaseView, EditorFactory
from bwo_desktop.ui.idle_lock import IdleWatcher, LockedWindows
from bwo_desktop.ui.operations import CaseEvents, CaseOp, failure_text
from bwo_desktop.ui.safety_actions import SafetyActions
from bwo_desktop.ui.sync_actions import SyncActions
from bwo_desktop.ui.unlock_window import MSG_WRONG_PASSPHRASE, LockPanel

log = logging.getLogger(__name__)

UI_STATE_OPEN_CASE = "open_case"

# Keys that are not menu actions (the help lists them after the actions).
LIST_AND_EDITOR_KEYS: tuple[tuple[str, str], ...] = (
    ("Pijl omlaag", "van het zoekveld naar de lijst"),
    ("Enter", "geselecteerde casus openen"),
    ("Ctrl+1 … Ctrl+6", "in een casus: naar onderdeel 1 t/m 6"),
    ("Ctrl+PgDn, Ctrl+PgUp", "in een casus: volgend of vorig onderdeel"),
    ("1, 2, 3 …", "in een keuzeveld: de eerste, tweede, derde keuze"),
)
_KEY_NAMES = {"Left": "Links", "Right": "Rechts", "Up": "Omhoog", "Down": "Omlaag"}


def dutch_key_names(key: QKeySequence) -> str:
    """A key as the consultant reads it on the keyboard, with Dutch arrow names."""
    text = key.toString(QKeySequence.SequenceFormat.NativeText)
    return "+".join(_KEY_NAMES.get(part, part) for part in text.split("+"))


MSG_OPENING = "Zaak wordt geopend…"


@dataclass
class ShellContext:
    """What the composition root hands the main window."""

    cases: Any  # services.cases.CaseService (typed loosely: the UI does not import services)
    settings: Settings
    db_path: Path | None = None
    is_demo: bool = False
    # Raises (WrongPassphrase) when the passphrase does not unwrap the key; runs on a worker.
    verify_passphrase: Callable[[str], None] | None = None
    save_settings: Callable[[Settings], None] | None = None
    # How a case opens (load on a worker, build on the UI thread); None: the case editor.
    editor_factory: EditorFactory | None = None
    # services.safety.SafetyService: backups, passphrase, audit log (None: menu items say so).
    safety: Any = None
    # services.decisions.DecisionService and services.letters.LetterService (None: built
    # from `cases` where needed).
    decisions: Any = None
    letters: Any = None
    # services.database.Database, for the export/import/batch dialogs (run on workers).
    db: Any = None
    # Where exports and beschikkingen go by default (None: Documents/BWO); the editor
    # factory passes it to the case editor; tests point it at a temp folder.
    documents_dir: Path | None = None
    today: Callable[[], dt.date] = dt.date.today
    # services.team.TeamService: sync with the office, join and leave (None: not offered,
    # e.g. the demo).
    team: Any = None
    # The one change signal: every view that shows cases refreshes itself on it.
    events: CaseEvents = field(default_factory=CaseEvents)


class MainWindow(QMainWindow):
    """Case list (page 0), open case (page 1), lock panel (page 2) in one stacked widget."""

    PAGE_LIST = 0
    PAGE_CASE = 1
    PAGE_LOCKED = 2

    locked_changed = Signal(bool)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.editor: CaseView | None = None
        self.open_case_id: str | None = None
        self._opening: str | None = None  # the case whose data a worker is reading
        self._page_before_lock = self.PAGE_LIST
        self._locked_windows = LockedWindows(self)
        self.audit_dialog: QWidget | None = None
        self.safety_actions = SafetyActions(self)
        self.sync_actions = SyncActions(self, context.team)

        self.list_page = CaseListPage(context, self.statusBar())
        self.list_page.open_requested.connect(self.open_case)
        self.list_page.next_requested.connect(self.open_next_client)
        page = self.list_page
        # The list's parts, by the names the dialogs and tests use.
        self.model, self.proxy, self.table = page.model, page.proxy, page.table
        self.search_edit, self.status_combo = page.search_edit, page.status_combo
        self.day_combo, self.expiring_check = page.day_combo, page.expiring_check
        self.empty_label, self.count_label = page.empty_label, page.count_label
        self.demo_banner = page.demo_banner

        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self._build_case_page())
        self.lock_panel = LockPanel()
        self.lock_panel.unlock_requested.connect(self._try_unlock)
        self.stack.addWidget(self.lock_panel)
        self.setCentralWidget(self.stack)

        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._update_title()
        self._apply_default_size()

        minutes = context.settings.idle_lock_minutes or DEFAULT_IDLE_LOCK_MINUTES
        self.idle_watcher = IdleWatcher(minutes * 60_000, self)
        self.idle_watcher.idle.connect(self._lock_idle)
        if context.verify_passphrase is not None:
            self.idle_watcher.start()
        self.sync_actions.start()

    # --- building -------------------------------------------------------------------------

    def _build_case_page(self) -> QWidget:
        page = QWidget()
        self.back_button = QPushButton("← &Terug naar lijst")
        self.back_button.setAccessibleName("Terug naar de lijst met casussen")
        self.back_button.setToolTip("Terug naar de lijst (Esc of Alt+Links)")
        self.back_button.clicked.connect(self.back_to_list)
        self.case_title = QLabel()
        self.case_title.setAccessibleName("Geopende casus")
        font = self.case_title.font()
        font.setBold(True)
        self.case_title.setFont(font)
        # The shell's own bar: while the case is being read, and for a view without a header
        # of its own; the real case editor shows the client and a "back" button itself.
        self.case_bar = QWidget()
        bar = QHBoxLayout(self.case_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.back_button)
        bar.addSpacing(12)
        bar.addWidget(self.case_title, 1)
        self.opening_label = QLabel(MSG_OPENING)
        self.opening_label.setAccessibleName("Zaak openen")
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening_label.setStyleSheet("color: #4a4a4a; padding: 24px;")
        self.opening_label.hide()
        self.editor_holder = QWidget()
        self.editor_layout = QVBoxLayout(self.editor_holder)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        self.editor_layout.addWidget(self.opening_label)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.case_bar)
        layout.addWidget(self.editor_holder, 1)
        return page

    def _action(
        self, text: str, slot: Callable[[], Any], shortcuts: Sequence[str] = (), tip: str = ""
    ) -> QAction:
        """One action, its keys given once each (a key registered twice, e.g. as a standard
        key and as text, is an "ambiguous shortcut" in Qt and then does nothing at all)."""
        action = QAction(text, self)
        if shortcuts:
            assert len(set(shortcuts)) == len(shortcuts), f"a key twice for {text}"
            action.setShortcuts([QKeySequence(key) for key in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work on every page, menus or not
        return action

    def _build_actions(self) -> None:
        self.act_open_folder = self._action(
            "&Gegevensmap openen",
            self.safety_actions.open_data_folder,
            tip="De map met database, back-ups en instellingen openen",
        )
        self.act_restore = self._action(
            "Back-up &terugzetten…",
            self.safety_actions.restore_backup,
            tip="Een eerdere back-up van de database terugzetten",
        )
        self.act_passphrase = self._action(
            "&Wachtwoordzin wijzigen…",
            self.safety_actions.change_passphrase,
            tip="De wachtwoordzin van de database wijzigen",
        )
        self.act_audit = self._action(
            "A&uditlog van deze casus…",
            self.safety_actions.show_case_audit,
            tip="Wie deze casus wanneer heeft ingezien, gewijzigd of geëxporteerd",
        )
        self.act_lock = self._action(
            "&Vergrendelen",
            self.lock,
            ["Ctrl+L"],
            tip="Het venster vergrendelen tot de wachtwoordzin is gegeven",
        )
        self.act_quit = self._action("&Afsluiten", self.close, ["Ctrl+Q"])
        self.act_open = self._action(
            "&Openen", self.open_current_case, tip="De geselecteerde casus openen (Enter)"
        )
        self.act_back = self._action("&Terug naar lijst", self.back_to_list, ["Esc", "Alt+Left"])
        self.act_next_client = self._action(
            "V&olgende cliënt van vandaag",
            self.open_next_client,
            ["F8"],
            tip="Het volgende gesprek van vandaag dat nog niet definitief is",
        )
        self.act_search = self._action("&Zoeken", self.focus_search, ["Ctrl+F"])
        self.act_today = self._action(
            "&Vandaag", self.show_today, ["Ctrl+T"], tip="Alleen de herindicaties van vandaag"
        )
        self.act_expiring = self._action(
            "Binnenkort &aflopend zonder besluit", self.toggle_expiring, ["Ctrl+E"]
        )
        self.act_all = self._action(
            "&Alle casussen", self.clear_filters, ["Ctrl+Shift+A"], tip="Zoekterm en filters wissen"
        )
        self.act_reload = self._action("Lijst &vernieuwen", self.reload_cases, ["F5"])
        self.act_settings = self._action("&Instellingen…", self.show_settings, ["Ctrl+,"])
        self.act_sync = self._action(
            "&Synchroniseren",
            self.sync_actions.sync_now,
            ["F9"],
            tip="Wijzigingen naar het kantoor sturen en die van het team ophalen",
        )
        self.act_conflicts = self._action(
            "&Conflicten met het kantoor…",
            self.sync_actions.show_conflicts,
            tip="Wijzigingen die het kantoor niet opnam: kies welke versie geldt",
        )
        self.act_shortcuts = self._action("&Sneltoetsen", self.show_shortcuts, ["F1"])
        self.act_about = self._action(f"&Over {APP_TITLE}", self.show_about)
        self.act_export_xlsx = self._action(
            "&Exporteren naar Excel…",
            self.show_export_xlsx,
            tip="Overzicht van casussen als Excel-werkmap (Casussen, ZRM, Regels, Toewijzingen)",
        )
        self.act_import_planning = self._action(
            "&Planning importeren…",
            self.show_import_planning,
            tip="Een herindicatieplanning (Excel) inlezen: eerst controleren, dan importeren",
        )
        self.act_planning_template = self._action(
            "&Sjabloon voor planning opslaan…",
            self.save_planning_template,
            tip="Een leeg Excel-sjabloon met de kolommen van de planning",
        )
        self.act_new_case = self._action("&Nieuwe casus…", self.show_new_case, ["Ctrl+N"])
        self.act_day_batch = self._action(
            "Beschikkingen van een &dag maken…",
            self.show_day_batch,
            tip="Alle definitieve casussen van een herindicatiedag op een locatie",
        )
        self.act_back.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bestand = bar.addMenu("&Bestand")
        bestand.addAction(self.act_import_planning)
        bestand.addAction(self.act_planning_template)
        bestand.addAction(self.act_export_xlsx)
        bestand.addSeparator()
        bestand.addAction(self.act_open_folder)
        bestand.addAction(self.act_restore)
        bestand.addAction(self.act_passphrase)
        bestand.addSeparator()
        bestand.addAction(self.act_lock)
        bestand.addAction(self.act_quit)
        casus = bar.addMenu("&Casus")
        casus.addAction(self.act_new_case)
        casus.addAction(self.act_open)
        casus.addAction(self.act_next_client)
        casus.addAction(self.act_back)
        casus.addAction(self.act_audit)
        casus.addSeparator()
        casus.addAction(self.act_search)
        casus.addAction(self.act_today)
        casus.addAction(self.act_expiring)
        casus.addAction(self.act_all)
        casus.addSeparator()
        casus.addAction(self.act_day_batch)
        casus.addSeparator()
        casus.addAction(self.act_reload)
        extra = bar.addMenu("E&xtra")
        extra.addAction(self.act_sync)
        extra.addAction(self.act_conflicts)
        extra.addSeparator()
        extra.addAction(self.act_settings)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        db_text = self.context.db_path.name if self.context.db_path else "database"
        self.db_status = QLabel(("DEMO · " if self.context.is_demo else "") + db_text)
        self.db_status.setToolTip(str(self.context.db_path or ""))
        self.db_status.setAccessibleName("Database")
        self.sync_actions.install(bar, self.act_sync)
        bar.addPermanentWidget(self.db_status)

    def _update_title(self) -> None:
        title = f"{APP_TITLE} {__version__}"
        if self.context.is_demo:
            title += " — DEMO (fictieve gegevens)"
        if self.open_case_id is not None and self.stack.currentIndex() == self.PAGE_CASE:
            title = f"{self.case_title.text()} — {title}"
        self.setWindowTitle(title)

    def _apply_default_size(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 1280, 720
        if screen is not None:
            area = screen.availableGeometry()
            width = min(width, int(area.width() * 0.96))
            height = min(height, int(area.height() * 0.94))
        self.resize(width, height)
        self.setMinimumSize(min(960, width), min(560, height))

    # --- the list (ui.case_list_page) ------------------------------------------------------

    def load_cases(
        self,
        summaries: Sequence[CaseSummary] | CaseRows,
        index: CaseIndex | None = None,
        *,
        select_case: str | None = None,
    ) -> None:
        self.list_page.load_cases(summaries, index, select_case=select_case)

    def select_case(self, case_id: str) -> bool:
        return self.list_page.select_case(case_id)

    def current_case_id(self) -> str | None:
        return self.list_page.current_case_id()

    def focus_list(self) -> None:
        if self.stack.currentIndex() == self.PAGE_LIST:
            self.list_page.focus_list()

    def focus_search(self) -> None:
        if self.stack.currentIndex() == self.PAGE_LIST:
            self.list_page.focus_search()

    def show_today(self) -> None:
        self.back_to_list()
        self.list_page.show_today()

    def toggle_expiring(self) -> None:
        self.back_to_list()
        self.expiring_check.toggle()

    def clear_filters(self) -> None:
        self.back_to_list()
        self.list_page.clear_filters()

    def open_current_case(self) -> None:
        if self.stack.currentIndex() == self.PAGE_LIST:
            self.list_page.open_current()

    def open_next_client(self) -> None:
        """F8 / "Volgende cliënt": today's next conversation not yet definitief, after the
        open case (from the list: the first of the day, as the day strip names it); the
        open case is saved first (open_case)."""
        if self.is_locked():
            return
        after = self.open_case_id
        case_id = self.list_page.next_case_id(after)
        if case_id is None:
            progress = self.list_page.day_progress(after)
            if not progress.total:
                text = "Vandaag staan er geen gesprekken gepland."
            elif progress.all_decided:
                text = "Alle gesprekken van vandaag zijn definitief."
            else:  # the open case is the only one of today not yet definitief
                text = "Dit is het laatste gesprek van vandaag dat nog niet definitief is."
            self.statusBar().showMessage(text, 5000)
            return
        self.select_case(case_id)
        self.open_case(case_id)

    def refresh_case(self, case_id: str, at_once: bool = False) -> None:
        self.list_page.refresh_cases({case_id}, at_once=at_once)

    def reload_cases(self) -> None:
        self.list_page.reload_cases()

    # --- one case -------------------------------------------------------------------------

    def _editor_factory(self) -> EditorFactory:
        factory = self.context.editor_factory
        if factory is None:
            # Imported when a case is opened, not at start: the case screens are heavier.
            from bwo_desktop.ui.case_loading import CaseEditorFactory

            context = self.context
            factory = CaseEditorFactory(
                context.cases,
                documents_dir=context.documents_dir,
                decisions=context.decisions,
                letters=context.letters,
            )
            context.editor_factory = factory
        return factory

    def open_case(self, case_id: str) -> None:
        """Show the case page at once (the shell's bar with the client's name and "Zaak
        wordt geopend…"); a worker reads the case; the editor appears when it is read. The
        UI thread never waits on the database for this."""
        if self.editor is not None:
            if self.open_case_id == case_id:
                self.stack.setCurrentIndex(self.PAGE_CASE)
                return
            if not flush_editor(self.editor, "Een andere zaak openen"):
                return
            self._close_editor()
        elif self._opening == case_id:
            self.stack.setCurrentIndex(self.PAGE_CASE)
            return
        self._opening = self.open_case_id = case_id
        self.case_title.setText(_case_title(self.model.summary(case_id)))
        self.case_bar.setVisible(True)
        self.opening_label.setText(MSG_OPENING)
        self.opening_label.show()
        self.stack.setCurrentIndex(self.PAGE_CASE)
        self.act_back.setEnabled(True)
        self._update_title()
        self.back_button.setFocus()
        factory = self._editor_factory()
        CaseOp(self, lambda: factory.load(case_id), what="De zaak openen").success(
            lambda loaded: self._case_loaded(case_id, loaded)
        ).failure(lambda exc: self._open_failed(case_id, exc)).run_in_background()

    def is_opening(self) -> bool:
        """True while a case's data is being read (its editor is not there yet)."""
        return self._opening is not None

    def _case_loaded(self, case_id: str, loaded: object) -> None:
        if self._opening != case_id:
            return  # the consultant went back or opened another case meanwhile
        self._opening = None
        editor = self._editor_factory().build(loaded, self.editor_holder)
        self.editor = editor
        editor.case_changed.connect(self._editor_changed)
        editor.closed.connect(self.back_to_list)
        editor.next_client_requested.connect(self.open_next_client)
        editor.offer_next_client(True)
        editor.set_embedded(True)  # one title line: the view's header, with its own way back
        self.case_bar.setVisible(not editor.has_header)
        editor.before_export = self.show_export_notice
        self.opening_label.hide()
        self.editor_layout.addWidget(editor)
        if self.stack.currentIndex() == self.PAGE_CASE:
            editor.setFocus()
        self._remember_open_case(case_id)

    def _open_failed(self, case_id: str, exc: BaseException) -> None:
        if self._opening != case_id:
            return
        self._opening = self.open_case_id = None
        self.opening_label.hide()
        if self.stack.currentIndex() == self.PAGE_CASE:
            self.stack.setCurrentIndex(self.PAGE_LIST)
        self.act_back.setEnabled(False)
        self._update_title()
        log.warning("zaak openen mislukt: %s", type(exc).__name__)
        QMessageBox.warning(
            self, APP_TITLE, f"De zaak kon niet worden geopend. {failure_text(exc)}"
        )
        self.list_page.refresh_cases({case_id}, at_once=True)  # gone meanwhile? off the list

    def _editor_changed(self, case_id: str) -> None:
        if self.editor is not None and case_id != self.open_case_id:
            self.open_case_id = case_id  # a new version replaced the case in the editor
        self.context.events.changed({case_id})

    def back_to_list(self) -> None:
        if self.stack.currentIndex() == self.PAGE_LOCKED:
            return
        case_id = self.open_case_id
        if self.editor is not None and not flush_editor(self.editor, "Terug naar de lijst"):
            return
        self._opening = None
        self._close_editor()
        self.opening_label.hide()
        self._remember_open_case(None)
        self.stack.setCurrentIndex(self.PAGE_LIST)
        self.act_back.setEnabled(False)
        self._update_title()
        if case_id is not None:
            self.list_page.refresh_cases({case_id}, at_once=True)
            self.select_case(case_id)
        self.table.setFocus()

    def _close_editor(self) -> None:
        editor, self.editor = self.editor, None
        self.open_case_id = None
        if editor is None:
            return
        # The callers made sure everything is on disk first (flush_editor).
        editor.case_changed.disconnect(self._editor_changed)
        editor.closed.disconnect(self.back_to_list)
        self.editor_layout.removeWidget(editor)
        editor.hide()
        editor.deleteLater()

    def _remember_open_case(self, case_id: str | None) -> None:
        # Restart after a crash or a flat battery opens the case that was open.
        cases = self.context.cases
        CaseOp(
            self, lambda: cases.set_ui_state(UI_STATE_OPEN_CASE, case_id), what="ui-state"
        ).failure(
            lambda exc: log.warning("ui-state niet bewaard: %s", type(exc).__name__)
        ).run_in_background()

    # --- idle lock (ui.idle_lock) ------------------------------------------------------------

    def is_locked(self) -> bool:
        return self.stack.currentIndex() == self.PAGE_LOCKED

    def _lock_idle(self) -> None:
        self.lock(idle=True)

    def lock(self, *, idle: bool = False) -> None:
        """Hide the content behind the passphrase. The open case is saved first. `idle`:
        the idle time ran out (the lock panel says so), else the consultant locked."""
        if self.is_locked() or self.context.verify_passphrase is None:
            return
        if self.editor is not None and not flush_editor(self.editor, "Vergrendelen"):
            return
        self._locked_windows.hide()
        self._page_before_lock = self.stack.currentIndex()
        self.idle_watcher.pause(True)
        self.stack.setCurrentIndex(self.PAGE_LOCKED)
        self.menuBar().setEnabled(False)
        for action in self.actions():
            action.setEnabled(action is self.act_quit)
        self.lock_panel.reset(idle=idle)
        self._update_title()  # no client's name in the title bar or the task bar
        self.locked_changed.emit(True)

    def _try_unlock(self, passphrase: str) -> None:
        verify = self.context.verify_passphrase
        if verify is None:
            self._unlocked()
            return
        self.lock_panel.form.set_busy("Wachtwoordzin controleren…")

        def _failed(exc: BaseException) -> None:
            if isinstance(exc, WrongPassphrase):
                self.lock_panel.form.show_error(MSG_WRONG_PASSPHRASE)
            else:
                log.error("ontgrendelen mislukt: %s", type(exc).__name__)
                self.lock_panel.form.show_error(f"Ontgrendelen is niet gelukt. {failure_text(exc)}")

        CaseOp(self, lambda: verify(passphrase), what="Ontgrendelen").success(
            lambda _r: self._unlocked()
        ).failure(_failed).run_in_background()

    def _unlocked(self) -> None:
        self.lock_panel.form.clear()
        self.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        self.act_back.setEnabled(self.open_case_id is not None)
        self.stack.setCurrentIndex(self._page_before_lock)
        self._update_title()
        self.idle_watcher.pause(False)
        self.locked_changed.emit(False)
        if self._page_before_lock == self.PAGE_LIST:
            self.table.setFocus()
        elif self.editor is not None:
            self.editor.setFocus()
        self._locked_windows.show_again()

    # --- dialogs ---------------------------------------------------------------------------

    # Excel, planning, day batch, new case: the dialogs live in their own modules and take
    # what they need from self.context; each returns the (non-blocking) dialog it opened.
    def show_export_xlsx(self) -> Any:
        from bwo_desktop.ui.export_dialog import show_export_dialog

        return show_export_dialog(self)

    def show_import_planning(self, path: Path | None = None) -> Any:
        from bwo_desktop.ui.planning_dialog import show_planning_import

        return show_planning_import(self, path)

    def save_planning_template(self, path: Path | None = None) -> None:
        from bwo_desktop.ui.planning_dialog import save_planning_template

        save_planning_template(self, path)

    def show_day_batch(self) -> Any:
        from bwo_desktop.ui.day_batch_dialog import show_day_batch

        return show_day_batch(self)

    def show_new_case(self) -> Any:
        from bwo_desktop.ui.new_case_dialog import show_new_case

        return show_new_case(self)

    def show_export_notice(self, folder: Path) -> None:
        """Before the first export of any kind: the file is not encrypted, and where it goes
        (once; remembered in the settings)."""
        from bwo_desktop.ui.safety_dialogs import show_export_notice_once

        self.context.settings = show_export_notice_once(
            self, self.context.settings, folder, self.context.save_settings
        )

    def show_settings(self) -> None:
        from bwo_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.context.settings,
            db_path=self.context.db_path,
            save=self.context.save_settings,
            team=self.context.team,
            team_busy=self.sync_actions.is_running,
            parent=self,
        )
        with self.sync_actions.held():
            accepted = dialog.exec()
        self.sync_actions.refresh_status()  # joined or left meanwhile?
        if accepted:
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, settings: Settings) -> None:
        self.context.settings = settings
        self.idle_watcher.set_timeout_ms(settings.idle_lock_minutes * 60_000)
        self.list_page.set_expiring_weeks(settings.expiring_weeks)
        self.context.cases.user = settings.consultant_name or None

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the help: the window's actions as they are registered,
        then the keys of the list and of the case editor."""
        rows = []
        for action in self.actions():
            keys = ", ".join(dutch_key_names(k) for k in action.shortcuts())
            if keys:
                rows.append((keys, action.text().replace("&", "").rstrip("…").lower()))
        rows.extend(LIST_AND_EDITOR_KEYS)
        return rows

    def show_shortcuts(self) -> None:
        table = "".join(
            f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
            for keys, what in self.shortcut_rows()
        )
        QMessageBox.information(self, "Sneltoetsen", f"<table>{table}</table>")

    def show_about(self) -> None:
        from PySide6 import __version__ as pyside_version

        demo = (
            "<p><b>DEMO</b>: deze database bevat fictieve gegevens.</p>"
            if self.context.is_demo
            else ""
        )
        QMessageBox.about(
            self,
            f"Over {APP_TITLE}",
            f"<h3>{APP_TITLE} {__version__}</h3>"
            "<p>Herindicatie Beschermd Wonen extramuraal voor de Wmo-consulenten van de "
            "Sociale Dienst Drechtsteden.</p>"
            f"{demo}"
            f"<p>Database: {self.context.db_path or '—'}<br>"
            f"Qt {pyside_version}</p>",
        )

    # --- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.editor is not None and not flush_editor(self.editor, "Afsluiten"):
            event.ignore()
            return
        self.idle_watcher.stop()
        self.sync_actions.shutdown()
        event.accept()


def flush_editor(editor: CaseView, action: str) -> bool:
    """Before a lock, a switch or quitting: the open case saves what it holds and, when
    that fails, asks to retry (`ensure_saved`). False: the action must not go ahead (the
    draft stays in the editor)."""
    return editor.ensure_saved(action)


def _case_title(summary: CaseSummary | None) -> str:
    if summary is None:
        return "Casus"
    parts = [summary.client_name]
    if summary.reference:
        parts.append(summary.reference)
    return " · ".join(parts)


__all__ = ["IdleWatcher", "MainWindow", "ShellContext", "flush_editor"]
