"""The main window: the case list with search and filters, the open case, the idle lock.

It receives everything it works with (the case service, the settings, how to check the
passphrase) from the composition root (`bwo_desktop.app`) and never opens the database
itself. Database calls run on worker threads (`ui.background`); the list model holds plain
summaries keyed by case id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop import APP_TITLE, __version__
from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.services.errors import WrongPassphrase
from bwo_desktop.settings import DEFAULT_IDLE_LOCK_MINUTES, Settings
from bwo_desktop.ui.background import run_in_background
from bwo_desktop.ui.case_filter import CaseFilterProxy, CaseIndex, load_case_list
from bwo_desktop.ui.case_table_model import (
    COL_BIRTH_DATE,
    COL_BSN,
    COL_CLIENT,
    COL_IB_LEVEL,
    COL_INDICATION_END,
    COL_LOCATION,
    COL_PLANNED,
    COL_PROVIDER,
    COL_REFERENCE,
    COL_STATUS,
    CaseTableModel,
    format_planned,
)
from bwo_desktop.ui.unlock_window import MSG_WRONG_PASSPHRASE, LockPanel

log = logging.getLogger(__name__)

UI_STATE_OPEN_CASE = "open_case"
REFRESH_DELAY_MS = 1500
IDLE_CHECK_MS = 5000

# Fits 1366 px wide (a common consultant laptop) without a horizontal scroll bar.
COLUMN_WIDTHS = {
    COL_CLIENT: 170,
    COL_BIRTH_DATE: 98,
    COL_BSN: 82,
    COL_PROVIDER: 165,
    COL_PLANNED: 140,
    COL_LOCATION: 175,
    COL_STATUS: 80,
    COL_IB_LEVEL: 68,
    COL_INDICATION_END: 92,
    COL_REFERENCE: 150,
}

STATUS_CHOICES: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("Alle statussen", None),
    ("Nog niet definitief", frozenset({"planned", "concept"})),
    ("Gepland", frozenset({"planned"})),
    ("Concept", frozenset({"concept"})),
    ("Definitief", frozenset({"definitief"})),
)

# (service, case id, parent); a factory that takes the keyword `documents_dir` gets the
# shell's documents folder (ShellContext.documents_dir) too.
EditorFactory = Callable[..., QWidget]


def default_editor_factory(
    service: Any, case_id: str, parent: QWidget, *, documents_dir: Path | None = None
) -> QWidget:
    # Imported when a case is opened, not at start: the case screens are heavier.
    from bwo_desktop.ui.case_editor import CaseEditor

    editor: QWidget = CaseEditor(service, case_id, parent, documents_dir=documents_dir)
    return editor


def _takes_documents_dir(factory: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):  # a builtin or C++ callable: the plain call
        return False
    return "documents_dir" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


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
    editor_factory: EditorFactory = default_editor_factory
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
    extra: dict[str, Any] = field(default_factory=dict)


class IdleWatcher(QObject):
    """Emits `idle` after `timeout_ms` without keyboard or mouse input anywhere in the app."""

    idle = Signal()

    _INPUT_EVENTS = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
            QEvent.Type.TabletPress,
        }
    )

    def __init__(
        self, timeout_ms: int, parent: QObject | None = None, *, check_ms: int = IDLE_CHECK_MS
    ) -> None:
        super().__init__(parent)
        self._timeout = timeout_ms / 1000
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(min(check_ms, max(timeout_ms // 2, 10)))
        self._timer.timeout.connect(self._check)
        self._paused = False

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._last_input = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout = timeout_ms / 1000
        self._timer.setInterval(min(IDLE_CHECK_MS, max(timeout_ms // 2, 10)))

    def pause(self, paused: bool) -> None:
        """While locked there is nothing to watch."""
        self._paused = paused
        self._last_input = time.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _check(self) -> None:
        if not self._paused and time.monotonic() - self._last_input >= self._timeout:
            self._paused = True
            self.idle.emit()


class _SearchKeys(QObject):
    """Keys in the search field: Down to the list, Enter opens the selected case, Esc clears."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self._window.focus_list()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._window.open_current_case()
                return True
            if key == Qt.Key.Key_Escape and self._window.search_edit.text():
                self._window.search_edit.clear()
                return True
        return False


class MainWindow(QMainWindow):
    """Case list (page 0), open case (page 1), lock panel (page 2) in one stacked widget."""

    PAGE_LIST = 0
    PAGE_CASE = 1
    PAGE_LOCKED = 2

    locked_changed = Signal(bool)

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.editor: QWidget | None = None
        self.open_case_id: str | None = None
        self._page_before_lock = self.PAGE_LIST
        self._pending_refresh: set[str] = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_pending)
        self._loaded = False
        self._hidden_for_lock: list[QWidget] = []

        self.model = CaseTableModel(parent=self)
        self.proxy = CaseFilterProxy(self, today=context.today)
        self.proxy.setSourceModel(self.model)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_list_page())
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

    # --- building -------------------------------------------------------------------------

    def _build_list_page(self) -> QWidget:
        page = QWidget()
        self.demo_banner = QLabel(
            "DEMO — deze database bevat alleen fictieve cliënten en gegevens om te oefenen."
        )
        self.demo_banner.setStyleSheet(
            "background: #fff3cd; color: #664d03; padding: 4px 8px; border: 1px solid #ffe69c;"
        )
        self.demo_banner.setAccessibleName("Demodatabase")
        self.demo_banner.setVisible(self.context.is_demo)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Naam, kenmerk, aanbieder, datum of BSN (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Zoeken")
        self.search_edit.setAccessibleDescription(
            "Zoekt tijdens het typen op naam, kenmerk, zorgaanbieder, locatie, datum "
            "(dd-mm-jjjj), geboortedatum en volledig BSN; accenten tellen niet mee"
        )
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.installEventFilter(_SearchKeys(self))
        search_label = QLabel("&Zoeken:")
        search_label.setBuddy(self.search_edit)

        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Filter op status")
        for text, statuses in STATUS_CHOICES:
            self.status_combo.addItem(text, statuses)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        status_label = QLabel("&Status:")
        status_label.setBuddy(self.status_combo)

        self.day_combo = QComboBox()
        self.day_combo.setAccessibleName("Filter op herindicatiedag en locatie")
        self.day_combo.setMinimumContentsLength(28)
        self.day_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.day_combo.currentIndexChanged.connect(self._day_changed)
        day_label = QLabel("&Dag:")
        day_label.setBuddy(self.day_combo)

        weeks = self.context.settings.expiring_weeks
        self.expiring_check = QCheckBox(f"&Loopt binnen {weeks} weken af, zonder besluit")
        self.expiring_check.setAccessibleName(
            "Alleen indicaties die binnenkort aflopen zonder besluit"
        )
        self.expiring_check.toggled.connect(self._expiring_toggled)

        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search_edit, 3)
        filters.addSpacing(8)
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)
        filters.addSpacing(8)
        filters.addWidget(day_label)
        filters.addWidget(self.day_combo, 2)
        filters.addSpacing(8)
        filters.addWidget(self.expiring_check)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Casussen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSortIndicator(self.proxy.sort_column(), self.proxy.sort_order())
        self.table.setSortingEnabled(True)  # after the indicator: enabling sorts by it
        self.table.activated.connect(self._row_activated)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #4a4a4a; padding: 16px;")
        self.empty_label.hide()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.demo_banner)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        page.setTabOrder(self.search_edit, self.status_combo)
        page.setTabOrder(self.status_combo, self.day_combo)
        page.setTabOrder(self.day_combo, self.expiring_check)
        page.setTabOrder(self.expiring_check, self.table)
        self._rebuild_day_choices()
        return page

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
        # The shell's own bar, for an editor without a header of its own; the real case
        # editor shows the client and a "back" button itself (see open_case).
        self.case_bar = QWidget()
        bar = QHBoxLayout(self.case_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.back_button)
        bar.addSpacing(12)
        bar.addWidget(self.case_title, 1)
        self.editor_holder = QWidget()
        self.editor_layout = QVBoxLayout(self.editor_holder)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.case_bar)
        layout.addWidget(self.editor_holder, 1)
        return page

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        keys = [s if isinstance(s, QKeySequence) else QKeySequence(s) for s in shortcuts]
        if keys:
            action.setShortcuts(keys)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work on every page, menus or not
        return action

    def _build_actions(self) -> None:
        self.act_open_folder = self._action(
            "&Gegevensmap openen",
            self.open_data_folder,
            tip="De map met database, back-ups en instellingen openen",
        )
        self.act_restore = self._action(
            "Back-up &terugzetten…",
            self.restore_backup,
            tip="Een eerdere back-up van de database terugzetten",
        )
        self.act_passphrase = self._action(
            "&Wachtwoordzin wijzigen…",
            self.change_passphrase,
            tip="De wachtwoordzin van de database wijzigen",
        )
        self.act_audit = self._action(
            "A&uditlog van deze casus…",
            self.show_case_audit,
            tip="Wie deze casus wanneer heeft ingezien, gewijzigd of geëxporteerd",
        )
        self.act_lock = self._action(
            "&Vergrendelen",
            self.lock,
            ["Ctrl+L"],
            tip="Het venster vergrendelen tot de wachtwoordzin is gegeven",
        )
        self.act_quit = self._action(
            "&Afsluiten", self.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"]
        )
        self.act_open = self._action(
            "&Openen", self.open_current_case, tip="De geselecteerde casus openen (Enter)"
        )
        self.act_back = self._action("&Terug naar lijst", self.back_to_list, ["Esc", "Alt+Left"])
        self.act_search = self._action(
            "&Zoeken", self.focus_search, [QKeySequence.StandardKey.Find, "Ctrl+F"]
        )
        self.act_today = self._action(
            "&Vandaag", self.show_today, ["Ctrl+T"], tip="Alleen de herindicaties van vandaag"
        )
        self.act_expiring = self._action(
            "Binnenkort &aflopend zonder besluit", self.toggle_expiring, ["Ctrl+E"]
        )
        self.act_all = self._action(
            "&Alle casussen", self.clear_filters, ["Ctrl+Shift+A"], tip="Zoekterm en filters wissen"
        )
        self.act_reload = self._action(
            "Lijst &vernieuwen", self.reload_cases, [QKeySequence.StandardKey.Refresh, "F5"]
        )
        self.act_settings = self._action("&Instellingen…", self.show_settings, ["Ctrl+,"])
        self.act_shortcuts = self._action(
            "&Sneltoetsen", self.show_shortcuts, [QKeySequence.StandardKey.HelpContents, "F1"]
        )
        self.act_about = self._action(f"&Over {APP_TITLE}", self.show_about)
        self.act_export_xlsx = self._action(
            "&Exporteren naar Excel…",
            self.show_export_xlsx,
            tip="Overzicht van casussen als Excel-werkmap (Cases, ZRM, Regels, Toewijzingen)",
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
        self.act_new_case = self._action(
            "&Nieuwe casus…", self.show_new_case, [QKeySequence.StandardKey.New, "Ctrl+N"]
        )
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
        extra.addAction(self.act_settings)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Aantal casussen")
        bar.addWidget(self.count_label)
        db_text = self.context.db_path.name if self.context.db_path else "database"
        self.db_status = QLabel(("DEMO · " if self.context.is_demo else "") + db_text)
        self.db_status.setToolTip(str(self.context.db_path or ""))
        self.db_status.setAccessibleName("Database")
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

    # --- the list -------------------------------------------------------------------------

    def load_cases(
        self,
        summaries: Sequence[CaseSummary] | CaseRows,
        index: CaseIndex | None = None,
        *,
        select_case: str | None = None,
    ) -> None:
        """Show these cases (an index built on a worker thread saves the UI thread time)."""
        if index is not None:
            self.proxy.adopt_index(index)
        self.model.set_summaries(summaries)
        self._loaded = True
        self._rebuild_day_choices()
        self._after_filter()
        if select_case is None or not self.select_case(select_case):
            self._select_next_planned()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search_text(text)
        self._after_filter()

    def _status_changed(self, index: int) -> None:
        self.proxy.set_status_filter(self.status_combo.itemData(index))
        self._after_filter()

    def _day_changed(self, index: int) -> None:
        choice = self.day_combo.itemData(index)
        if choice is None:
            self.proxy.set_day_filter(None)
        else:
            day, location = choice
            self.proxy.set_day_filter(day, location)
        self._after_filter()

    def _expiring_toggled(self, checked: bool) -> None:
        self.proxy.set_expiring_filter(self.context.settings.expiring_weeks if checked else None)
        if checked:
            self.table.sortByColumn(COL_INDICATION_END, Qt.SortOrder.AscendingOrder)
        self._after_filter()

    def _after_filter(self) -> None:
        shown, total = self.proxy.visible_count(), self.proxy.total_count()
        self.count_label.setText(
            f"{total:,} casussen".replace(",", ".")
            if shown == total
            else f"{shown:,} van {total:,} casussen".replace(",", ".")
        )
        if total == 0 and self._loaded:
            self.empty_label.setText(
                "Er staan nog geen casussen in de database. Importeer een herindicatieplanning "
                "of start met demogegevens."
            )
            self.empty_label.show()
        elif shown == 0:
            self.empty_label.setText(self._empty_list_text())
            self.empty_label.show()
        else:
            self.empty_label.hide()
        if shown and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def _empty_list_text(self) -> str:
        """Why the list is empty, naming only the filters that are on."""
        day = self.day_combo.currentData()
        today_only = day is not None and day == (self.context.today(), None)
        status = self.status_combo.currentData() is not None
        expiring = self.expiring_check.isChecked()
        search = bool(self.search_edit.text().strip())
        if today_only and not (search or status or expiring):
            return "Vandaag staan er geen herindicaties gepland."
        parts = []
        if search:
            parts.append("met deze zoekterm")
        if status:
            parts.append(f"met de status '{self.status_combo.currentText().lower()}'")
        if today_only:
            parts.append("voor vandaag")
        elif day is not None:
            parts.append("op de gekozen dag")
        if expiring:
            parts.append("die binnenkort aflopen zonder besluit")
        if not parts:
            return "Geen casussen gevonden."
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
        return f"Geen casussen gevonden {listed}. Alle casussen: Ctrl+Shift+A."

    def _rebuild_day_choices(self) -> None:
        today = self.context.today()
        current = self.day_combo.currentData()
        self.day_combo.blockSignals(True)
        self.day_combo.clear()
        self.day_combo.addItem("Alle data", None)
        self.day_combo.addItem("Vandaag (alle locaties)", (today, None))
        for item in self.proxy.herindicatie_days(since=today - dt.timedelta(days=14)):
            label = f"{format_planned(item.day, None)} · {item.location or 'geen locatie'} ({item.count})"
            self.day_combo.addItem(label, (item.day, item.location))
        found = self.day_combo.findData(current) if current is not None else 0
        self.day_combo.setCurrentIndex(max(found, 0))
        self.day_combo.blockSignals(False)

    def _select_next_planned(self) -> None:
        """Select the first case planned today or later: where a working day starts."""
        row = self.proxy.first_row_planned_from(self.context.today())
        if row is not None:
            self._select_row(row)
        elif self.proxy.visible_count():
            self._select_row(0)

    def _select_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if not self.table.isVisible():
            # Before the first show the view has no height yet: centre once it has.
            QTimer.singleShot(0, self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def select_case(self, case_id: str) -> bool:
        row = self.proxy.row_of_case(case_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def current_case_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.case_id_at(index.row())

    def focus_list(self) -> None:
        if self.stack.currentIndex() != self.PAGE_LIST:
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.visible_count():
            self._select_row(0)

    def focus_search(self) -> None:
        if self.stack.currentIndex() != self.PAGE_LIST:
            return
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def show_today(self) -> None:
        self.back_to_list()
        index = self.day_combo.findText("Vandaag (alle locaties)")
        self.day_combo.setCurrentIndex(index)
        self.table.sortByColumn(COL_PLANNED, Qt.SortOrder.AscendingOrder)

    def toggle_expiring(self) -> None:
        self.back_to_list()
        self.expiring_check.toggle()

    def clear_filters(self) -> None:
        self.back_to_list()
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)
        self.day_combo.setCurrentIndex(0)
        self.expiring_check.setChecked(False)

    def _row_activated(self, index: Any) -> None:
        if index.isValid():
            self.open_case(self.proxy.case_id_at(index.row()))

    def open_current_case(self) -> None:
        if self.stack.currentIndex() != self.PAGE_LIST:
            return
        case_id = self.current_case_id()
        if case_id is None and self.proxy.visible_count():
            case_id = self.proxy.case_id_at(0)
        if case_id is not None:
            self.open_case(case_id)

    # --- one case -------------------------------------------------------------------------

    def open_case(self, case_id: str) -> None:
        if self.editor is not None:
            if self.open_case_id == case_id:
                self.stack.setCurrentIndex(self.PAGE_CASE)
                return
            if not flush_editor(self.editor, "Een andere zaak openen"):
                return
            self._close_editor()
        factory = self.context.editor_factory
        if _takes_documents_dir(factory):
            editor = factory(
                self.context.cases,
                case_id,
                self.editor_holder,
                documents_dir=self.context.documents_dir,
            )
        else:
            editor = factory(self.context.cases, case_id, self.editor_holder)
        self.editor = editor
        self.open_case_id = case_id
        for signal_name, slot in (
            ("case_changed", self.refresh_case),
            ("closed", self.back_to_list),
        ):
            signal = getattr(editor, signal_name, None)
            if signal is not None:
                signal.connect(slot)
        embed = getattr(editor, "set_embedded", None)
        if callable(embed):
            embed(True)  # one title line: the editor's header, with its own way back
        self.case_bar.setVisible(not callable(embed))
        if hasattr(editor, "before_export"):
            editor.before_export = self.show_export_notice
        self.editor_layout.addWidget(editor)
        summary = self.model.summary(case_id)
        self.case_title.setText(_case_title(summary))
        self.stack.setCurrentIndex(self.PAGE_CASE)
        self.act_back.setEnabled(True)
        self._update_title()
        editor.setFocus()
        self._remember_open_case(case_id)

    def back_to_list(self) -> None:
        if self.stack.currentIndex() == self.PAGE_LOCKED:
            return
        if self.editor is None:
            self.stack.setCurrentIndex(self.PAGE_LIST)
            return
        case_id = self.open_case_id
        if not flush_editor(self.editor, "Terug naar de lijst"):
            return
        self._close_editor()
        self._remember_open_case(None)
        self.stack.setCurrentIndex(self.PAGE_LIST)
        self.act_back.setEnabled(False)
        self._update_title()
        if case_id is not None:
            self.refresh_case(case_id, at_once=True)
            self.select_case(case_id)
        self.table.setFocus()

    def _close_editor(self) -> None:
        editor, self.editor = self.editor, None
        self.open_case_id = None
        if editor is None:
            return
        # The callers made sure everything is on disk first (flush_editor).
        for signal_name in ("case_changed", "closed"):
            signal = getattr(editor, signal_name, None)
            if signal is not None:
                with contextlib.suppress(RuntimeError, TypeError):  # nothing connected
                    signal.disconnect()
        self.editor_layout.removeWidget(editor)
        editor.hide()
        editor.deleteLater()

    def _remember_open_case(self, case_id: str | None) -> None:
        # Restart after a crash or a flat battery opens the case that was open.
        cases = self.context.cases

        def _store() -> None:
            cases.set_ui_state(UI_STATE_OPEN_CASE, case_id)

        run_in_background(
            _store,
            lambda _r: None,
            lambda exc: log.warning("ui-state niet bewaard: %s", type(exc).__name__),
            owner=self,
        )

    # --- refreshing rows after autosave ----------------------------------------------------

    def refresh_case(self, case_id: str, at_once: bool = False) -> None:
        """A case changed (autosave): fetch its summary off the UI thread and update its row."""
        self._pending_refresh.add(case_id)
        if at_once:
            self._refresh_timer.stop()
            self._refresh_pending()
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh_pending(self) -> None:
        ids, self._pending_refresh = set(self._pending_refresh), set()
        if not ids:
            return
        cases = self.context.cases
        run_in_background(
            lambda: fetch_summaries(cases, ids),
            self._apply_refreshed,
            lambda exc: self._background_failed("De lijst kon niet worden bijgewerkt", exc),
            owner=self,
        )

    def _apply_refreshed(
        self, result: tuple[dict[str, CaseSummary | None], list[CaseSummary] | None]
    ) -> None:
        changed, full = result
        if full is not None and _ids_differ(self.model, full):
            # New versions or deletions elsewhere: reload, keeping the selection by id.
            selected = self.current_case_id()
            self.load_cases(full, select_case=selected)
            return
        if full is None and any(
            summary is not None and self.model.row_of(case_id) is None
            for case_id, summary in changed.items()
        ):
            # A case new to the list (a new version replaces its predecessor): reload.
            self.reload_cases()
            return
        for case_id, summary in changed.items():
            if summary is None:
                self.model.remove_case(case_id)
            else:
                self.model.refresh_row(case_id, summary)
        self._after_filter()

    def reload_cases(self) -> None:
        cases = self.context.cases
        self.statusBar().showMessage("Lijst wordt vernieuwd…")

        def _load() -> tuple[CaseRows | list[CaseSummary], CaseIndex]:
            return load_case_list(cases)

        def _done(result: tuple[CaseRows | list[CaseSummary], CaseIndex]) -> None:
            selected = self.current_case_id()
            self.load_cases(result[0], result[1], select_case=selected)
            self.statusBar().showMessage("Lijst vernieuwd.", 3000)

        run_in_background(
            _load,
            _done,
            lambda exc: self._background_failed("De lijst kon niet worden geladen", exc),
            owner=self,
        )

    def _background_failed(self, what: str, exc: BaseException) -> None:
        log.error("%s: %s", what, type(exc).__name__)
        message = str(exc) if _is_input_error(exc) else "Probeer het later opnieuw."
        QMessageBox.warning(self, APP_TITLE, f"{what}. {message}")

    # --- idle lock -------------------------------------------------------------------------

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
        self._hide_windows_for_lock()
        self._page_before_lock = self.stack.currentIndex()
        self.idle_watcher.pause(True)
        self.stack.setCurrentIndex(self.PAGE_LOCKED)
        self.menuBar().setEnabled(False)
        for action in self.actions():
            action.setEnabled(action is self.act_quit)
        self.lock_panel.reset(idle=idle)
        self.locked_changed.emit(True)

    def _hide_windows_for_lock(self) -> None:
        """No case data over the lock panel, and nothing modal that keeps the passphrase
        field from getting input. Dialogs opened alongside the window (window-modal: an
        export or import in progress, the audit log) are hidden and come back after the
        unlock; questions and forms that wait for an answer (application-modal) are
        cancelled, as if the consultant had pressed Esc. Case data is never in those: the
        editor saved it before."""
        self._hidden_for_lock = []
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible() or not self._belongs_to_me(widget):
                continue
            if (
                isinstance(widget, QDialog)
                and widget.windowModality() == Qt.WindowModality.WindowModal
            ):
                widget.hide()
                self._hidden_for_lock.append(widget)
            elif isinstance(widget, QDialog):
                widget.reject()
                if widget.isVisible():  # refused (busy): at least out of sight
                    widget.hide()
                    self._hidden_for_lock.append(widget)
            else:
                widget.hide()

    def _belongs_to_me(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        # Parentless message boxes (QMessageBox with no parent) are ours too while we run.
        return widget.parentWidget() is None and isinstance(widget, QDialog)

    def _show_windows_after_unlock(self) -> None:
        hidden, self._hidden_for_lock = self._hidden_for_lock, []
        for widget in hidden:
            if shiboken6.isValid(widget):
                widget.show()
                widget.raise_()

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
                self.lock_panel.form.show_error(
                    f"Ontgrendelen is niet gelukt: {exc}"
                    if _is_input_error(exc)
                    else "Ontgrendelen is niet gelukt. Probeer het opnieuw."
                )

        run_in_background(
            lambda: verify(passphrase), lambda _r: self._unlocked(), _failed, owner=self
        )

    def _unlocked(self) -> None:
        self.lock_panel.form.clear()
        self.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        self.act_back.setEnabled(self.editor is not None)
        self.stack.setCurrentIndex(self._page_before_lock)
        self.idle_watcher.pause(False)
        self.locked_changed.emit(False)
        if self._page_before_lock == self.PAGE_LIST:
            self.table.setFocus()
        elif self.editor is not None:
            self.editor.setFocus()
        self._show_windows_after_unlock()

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
            parent=self,
        )
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, settings: Settings) -> None:
        self.context.settings = settings
        self.idle_watcher.set_timeout_ms(settings.idle_lock_minutes * 60_000)
        self.expiring_check.setText(
            f"&Loopt binnen {settings.expiring_weeks} weken af, zonder besluit"
        )
        if self.expiring_check.isChecked():
            self.proxy.set_expiring_filter(settings.expiring_weeks)
            self._after_filter()
        self.context.cases.user = settings.consultant_name or None

    # --- data safety (issue 7) ------------------------------------------------------------

    def _safety_or_say(self) -> Any:
        safety = self.context.safety
        if safety is None:
            QMessageBox.information(self, APP_TITLE, "Dit is niet beschikbaar voor deze database.")
        return safety

    def show_case_audit(self) -> None:
        """The audit log of the open case, or else of the case selected in the list."""
        from bwo_desktop.ui.audit_dialog import AuditDialog

        case_id = self.open_case_id or self.current_case_id()
        summary = self.model.summary(case_id) if case_id else None
        if summary is None or not summary.reference:
            QMessageBox.information(self, APP_TITLE, "Kies eerst een casus in de lijst.")
            return
        safety = self._safety_or_say()
        if safety is None:
            return
        dialog = AuditDialog(summary.reference, self)
        reference = summary.reference
        self.audit_dialog = dialog
        run_in_background(
            lambda: safety.audit_entries(reference),
            dialog.set_entries,
            lambda exc: dialog.show_error("Het auditlog kon niet worden gelezen."),
            owner=dialog,
        )
        dialog.open()

    def change_passphrase(self) -> None:
        from bwo_desktop.ui.safety_dialogs import PassphraseDialog

        safety = self._safety_or_say()
        if safety is None:
            return
        dialog = PassphraseDialog(safety.passphrase_problem, self)
        if not dialog.exec():
            return
        old, new = dialog.values()
        self.statusBar().showMessage("Wachtwoordzin wordt gewijzigd…")

        def _done(backups: int) -> None:
            self.statusBar().clearMessage()
            QMessageBox.information(
                self,
                APP_TITLE,
                f"De wachtwoordzin is gewijzigd. Ook {backups} back-up(s) gebruiken nu de "
                "nieuwe wachtwoordzin.",
            )

        def _failed(exc: BaseException) -> None:
            self.statusBar().clearMessage()
            if isinstance(exc, WrongPassphrase):
                text = "De huidige wachtwoordzin is onjuist; er is niets gewijzigd."
            elif _is_input_error(exc):
                text = f"De wachtwoordzin is niet gewijzigd: {exc}"
            else:
                log.error("wachtwoordzin wijzigen mislukt: %s", type(exc).__name__)
                text = "De wachtwoordzin is niet gewijzigd. Probeer het opnieuw."
            QMessageBox.warning(self, APP_TITLE, text)

        run_in_background(lambda: safety.change_passphrase(old, new), _done, _failed, owner=self)

    def restore_backup(self) -> None:
        """Pick a backup, close the database, restore, then ask for a restart."""
        from bwo_desktop.ui.safety_dialogs import RestoreDialog

        safety = self._safety_or_say()
        if safety is None:
            return
        try:
            backups = safety.list_backups()
        except Exception as exc:
            self._background_failed("De back-ups konden niet worden gelezen", exc)
            return
        dialog = RestoreDialog(backups, self)
        if not dialog.exec():
            return
        chosen, passphrase = dialog.chosen(), dialog.chosen_passphrase()
        if chosen is None:
            return
        from bwo_desktop.ui.background import wait_for_background

        self.back_to_list()  # the open case is saved and closed first
        wait_for_background(15_000)
        self.idle_watcher.stop()
        self.stack.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.statusBar().showMessage("Back-up wordt teruggezet…")

        def _done(report: Any) -> None:
            QMessageBox.information(
                self,
                APP_TITLE,
                f"De back-up is teruggezet: {report.cases} casussen. De database van vóór het "
                f"terugzetten is bewaard als {Path(report.safety_backup).name}.\n\n"
                "Het programma sluit nu; start het daarna opnieuw.",
            )
            self._quit_after_restore()

        def _failed(exc: BaseException) -> None:
            if isinstance(exc, WrongPassphrase):
                self.stack.setEnabled(True)
                self.menuBar().setEnabled(True)
                self.idle_watcher.start()
                self.statusBar().clearMessage()
                QMessageBox.warning(
                    self, APP_TITLE, "De wachtwoordzin is onjuist; er is niets teruggezet."
                )
                return
            log.error("terugzetten mislukt: %s", type(exc).__name__)
            detail = f" ({exc})" if _is_input_error(exc) else ""
            QMessageBox.warning(
                self,
                APP_TITLE,
                f"Het terugzetten is niet gelukt{detail}. De gegevens zijn niet veranderd. "
                "Het programma sluit nu; start het opnieuw.",
            )
            self._quit_after_restore()

        run_in_background(lambda: safety.restore(chosen, passphrase), _done, _failed, owner=self)

    def _quit_after_restore(self) -> None:
        # The database object is closed: nothing may use it again in this run.
        self.close()
        app = QApplication.instance()
        if app is not None:
            QTimer.singleShot(0, app.quit)

    def open_data_folder(self) -> None:
        from bwo_desktop.paths import user_data_dir

        folder = self.context.db_path.parent if self.context.db_path else user_data_dir()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "Sneltoetsen",
            "<table>"
            "<tr><td><b>Ctrl+N</b></td><td>nieuwe casus</td></tr>"
            "<tr><td><b>Ctrl+F</b></td><td>zoeken</td></tr>"
            "<tr><td><b>Pijl omlaag</b></td><td>van het zoekveld naar de lijst</td></tr>"
            "<tr><td><b>Enter</b></td><td>geselecteerde casus openen</td></tr>"
            "<tr><td><b>Esc, Alt+Links</b></td><td>terug naar de lijst</td></tr>"
            "<tr><td><b>Ctrl+T</b></td><td>herindicaties van vandaag</td></tr>"
            "<tr><td><b>Ctrl+E</b></td><td>binnenkort aflopend zonder besluit</td></tr>"
            "<tr><td><b>Ctrl+Shift+A</b></td><td>alle casussen (filters wissen)</td></tr>"
            "<tr><td><b>F5</b></td><td>lijst vernieuwen</td></tr>"
            "<tr><td><b>Ctrl+L</b></td><td>vergrendelen</td></tr>"
            "<tr><td><b>Ctrl+,</b></td><td>instellingen</td></tr>"
            "<tr><td><b>Ctrl+Q</b></td><td>afsluiten</td></tr>"
            "</table>",
        )

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
        event.accept()


def flush_editor(editor: QWidget, action: str) -> bool:
    """Before a lock, a switch or quitting: the case editor saves what it holds and, when
    that fails, asks to retry (its `ensure_saved`). False: the action must not go ahead
    (the draft stays in the editor)."""
    ensure = getattr(editor, "ensure_saved", None)
    if callable(ensure):
        return bool(ensure(action))
    flush = getattr(editor, "flush", None)
    return bool(flush()) if callable(flush) else True


def fetch_summaries(
    cases: Any, ids: set[str]
) -> tuple[dict[str, CaseSummary | None], list[CaseSummary] | None]:
    """Runs on a worker thread: the current summaries of `ids` (None when gone)."""
    return {case_id: cases.get_summary(case_id) for case_id in ids}, None


def _ids_differ(model: CaseTableModel, full: Sequence[CaseSummary]) -> bool:
    if len(full) != model.rowCount():
        return True
    return any(model.row_of(s.id) is None for s in full)


def _case_title(summary: CaseSummary | None) -> str:
    if summary is None:
        return "Casus"
    parts = [summary.client_name]
    if summary.reference:
        parts.append(summary.reference)
    return " · ".join(parts)


def _is_input_error(exc: BaseException) -> bool:
    from bwo_desktop.core.errors import InputError

    return isinstance(exc, InputError)
