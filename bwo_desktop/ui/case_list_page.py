"""The case list: search, filters, the table, and keeping it current.

The page refreshes itself on `CaseEvents.cases_changed(ids)`: the rows of those cases are
fetched again on a worker thread (coalesced for a moment while a consultant types in an open
case); no ids means "reload everything". The list model holds plain summaries keyed by id.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.core.day_plan import DayProgress, day_progress
from bwo_desktop.ui.case_filter import CaseFilterProxy
from bwo_desktop.ui.case_index import CaseIndex, load_case_list
from bwo_desktop.ui.case_table_model import (
    COL_BIRTH_DATE,
    COL_BSN,
    COL_CLIENT,
    COL_IB_LEVEL,
    COL_INDICATION_END,
    COL_LOCATION,
    COL_NEW_END,
    COL_PLANNED,
    COL_PROVIDER,
    COL_REFERENCE,
    COL_STATUS,
    CaseTableModel,
    format_planned,
)
from bwo_desktop.ui.operations import CaseOp

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 1500

# Fits 1366 px wide (a common consultant laptop) without a horizontal scroll bar.
COLUMN_WIDTHS = {
    COL_CLIENT: 170,
    COL_BIRTH_DATE: 98,
    COL_BSN: 82,
    COL_PROVIDER: 165,
    COL_PLANNED: 140,
    COL_LOCATION: 165,
    COL_STATUS: 100,
    COL_IB_LEVEL: 68,
    COL_INDICATION_END: 92,
    COL_NEW_END: 84,
    COL_REFERENCE: 140,
}

STATUS_CHOICES: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("Alle statussen", None),
    ("Nog niet definitief", frozenset({"planned", "concept"})),
    ("Gepland", frozenset({"planned"})),
    ("Concept", frozenset({"concept"})),
    ("Definitief", frozenset({"definitief"})),
)

TODAY_CHOICE = "Vandaag (alle locaties)"


class _SearchKeys(QObject):
    """Keys in the search field: Down to the list, Enter opens the selected case, Esc clears."""

    def __init__(self, page: CaseListPage) -> None:
        super().__init__(page)
        self._page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self._page.focus_list()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._page.open_current()
                return True
            if key == Qt.Key.Key_Escape and self._page.search_edit.text():
                self._page.search_edit.clear()
                return True
        return False


class CaseListPage(QWidget):
    """Page 0 of the shell. `open_requested(case_id)`: the consultant wants this case;
    `next_requested`: the next client of today (the shell decides, an open case included)."""

    open_requested = Signal(str)
    next_requested = Signal()

    def __init__(self, context: Any, status_bar: QStatusBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._status_bar = status_bar
        self._loaded = False
        self._pending_refresh: set[str] = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_pending)
        self.model = CaseTableModel(parent=self)
        self.proxy = CaseFilterProxy(self, today=context.today)
        self.proxy.setSourceModel(self.model)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Aantal casussen")
        self._build()
        context.events.cases_changed.connect(self.cases_changed)

    def _build(self) -> None:
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

        # One row on a wide window; on a narrow one (a 1366 px laptop at 150 %) the search
        # field gets a row of its own, so it is never squeezed to a few letters.
        self.search_edit.setMinimumWidth(
            self.search_edit.fontMetrics().horizontalAdvance("Naam, kenmerk, aanbieder")
        )
        self._search_row = QHBoxLayout()
        self._search_row.addWidget(search_label)
        self._search_row.addWidget(self.search_edit, 3)
        self._filter_row = QHBoxLayout()
        for widget, stretch in (
            (status_label, 0),
            (self.status_combo, 0),
            (day_label, 0),
            (self.day_combo, 2),
            (self.expiring_check, 0),
        ):
            self._filter_row.addWidget(widget, stretch)
        self._filter_row.insertSpacing(2, 8)
        self._filter_row.insertSpacing(5, 8)
        filters = QVBoxLayout()
        filters.setSpacing(4)
        self._filters_top = QHBoxLayout()
        self._filters_top.addLayout(self._search_row, 3)
        self._filters_top.addSpacing(8)
        self._filters_top.addLayout(self._filter_row, 5)
        filters.addLayout(self._filters_top)
        self._filters = filters
        self._wide_filters = True

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

        # Today at a glance: progress and who is next (hidden on a day without conversations).
        self.day_strip = QFrame()
        self.day_strip.setObjectName("dayStrip")
        self.day_strip.setStyleSheet(
            "QFrame#dayStrip { background: #e7f1fb; border: 1px solid #b6d4f0; }"
        )
        self.day_label = QLabel()
        self.day_label.setAccessibleName("Vandaag")
        self.day_label.setWordWrap(True)
        self.next_button = QPushButton("Volgende cliënt (F8)")
        self.next_button.setAccessibleName("Volgende cliënt van vandaag openen")
        self.next_button.clicked.connect(self.next_requested)
        strip_row = QHBoxLayout(self.day_strip)
        strip_row.setContentsMargins(8, 3, 8, 3)
        strip_row.addWidget(self.day_label, 1)
        strip_row.addWidget(self.next_button)
        self.day_strip.hide()

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #4a4a4a; padding: 16px;")
        self.empty_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.day_strip)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        self.setTabOrder(self.search_edit, self.status_combo)
        self.setTabOrder(self.status_combo, self.day_combo)
        self.setTabOrder(self.day_combo, self.expiring_check)
        self.setTabOrder(self.expiring_check, self.table)
        self._rebuild_day_choices()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange_filters(event.size().width())

    def arrange_filters(self, width: int) -> None:
        """Search and filters side by side when they fit, else the filters below."""
        needed = self._search_row.minimumSize().width() + self._filter_row.sizeHint().width() + 40
        wide = width >= needed
        if wide == self._wide_filters:
            return
        self._wide_filters = wide
        self._filters_top.removeItem(self._filter_row)
        self._filters.removeItem(self._filter_row)
        if wide:
            self._filters_top.addLayout(self._filter_row, 5)
        else:
            self._filters.addLayout(self._filter_row)

    # --- showing cases ----------------------------------------------------------------------

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
        self.update_day_strip()

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

    def set_expiring_weeks(self, weeks: int) -> None:
        """The settings changed how far ahead "binnenkort aflopend" looks."""
        self.expiring_check.setText(f"&Loopt binnen {weeks} weken af, zonder besluit")
        if self.expiring_check.isChecked():
            self.proxy.set_expiring_filter(weeks)
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
        self.day_combo.addItem(TODAY_CHOICE, (today, None))
        for item in self.proxy.herindicatie_days(since=today - dt.timedelta(days=14)):
            label = f"{format_planned(item.day, None)} · {item.location or 'geen locatie'} ({item.count})"
            self.day_combo.addItem(label, (item.day, item.location))
        found = self.day_combo.findData(current) if current is not None else 0
        self.day_combo.setCurrentIndex(max(found, 0))
        self.day_combo.blockSignals(False)

    # --- selection ----------------------------------------------------------------------------

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
            # Before the first show the view has no height yet: centre once it has. The
            # table is the timer's context, so a window closed meanwhile cancels it.
            QTimer.singleShot(0, self.table, self._scroll_to_current)

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
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.visible_count():
            self._select_row(0)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def show_today(self) -> None:
        self.day_combo.setCurrentIndex(self.day_combo.findText(TODAY_CHOICE))
        self.table.sortByColumn(COL_PLANNED, Qt.SortOrder.AscendingOrder)

    def clear_filters(self) -> None:
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)
        self.day_combo.setCurrentIndex(0)
        self.expiring_check.setChecked(False)

    def _row_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.proxy.case_id_at(index.row()))

    def open_current(self) -> None:
        """Enter: the selected case, else the first one shown."""
        case_id = self.current_case_id()
        if case_id is None and self.proxy.visible_count():
            case_id = self.proxy.case_id_at(0)
        if case_id is not None:
            self.open_requested.emit(case_id)

    # --- keeping it current ---------------------------------------------------------------

    def cases_changed(self, ids: Iterable[str]) -> None:
        """`CaseEvents.cases_changed`: refresh these rows soon; none: reload the list."""
        ids = set(ids)
        if not ids:
            self.reload_cases()
        else:
            self.refresh_cases(ids)

    def refresh_cases(self, ids: Iterable[str], *, at_once: bool = False) -> None:
        self._pending_refresh.update(ids)
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
        CaseOp(
            self,
            lambda: {case_id: cases.get_summary(case_id) for case_id in ids},
            what="De lijst bijwerken",
        ).success(self._apply_refreshed).run_in_background()

    def _apply_refreshed(self, changed: dict[str, CaseSummary | None]) -> None:
        if any(
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
        self.update_day_strip()

    # --- today at a glance -------------------------------------------------------------------

    def day_progress(self, after_case_id: str | None = None) -> DayProgress:
        after = self.model.row_of(after_case_id) if after_case_id else None
        return day_progress(self.model.rows(), self.context.today(), after)

    def next_case_id(self, after_case_id: str | None = None) -> str | None:
        """The next client of today not yet definitief (after `after_case_id`)."""
        row = self.day_progress(after_case_id).next_row
        return None if row is None else self.model.case_id_at(row)

    def update_day_strip(self) -> None:
        progress = self.day_progress()  # the first of the day not yet definitief
        self.day_strip.setVisible(progress.total > 0)
        if not progress.total:
            return
        parts = [
            f"{progress.total} {'gesprek' if progress.total == 1 else 'gesprekken'}",
            f"{progress.decided} definitief",
            f"{progress.letters} {'beschikking' if progress.letters == 1 else 'beschikkingen'}",
            f"{progress.verslagen} {'verslag' if progress.verslagen == 1 else 'verslagen'}",
        ]
        text = f"Vandaag, {format_planned(progress.day, None)}: " + " · ".join(parts)
        if progress.next_row is not None:
            summary = self.model.summary_at(progress.next_row)
            when = summary.planned_time.strftime("%H:%M") if summary.planned_time else ""
            text += f" — volgende: {when} {summary.client_name}".rstrip()
            if summary.location:
                text += f", {summary.location}"
        elif progress.all_decided:
            text += " — alle gesprekken van vandaag zijn definitief"
        self.day_label.setText(text)
        self.next_button.setEnabled(progress.next_row is not None)

    def reload_cases(self) -> None:
        cases = self.context.cases
        self._status_bar.showMessage("Lijst wordt vernieuwd…")

        def _done(result: tuple[CaseRows | list[CaseSummary], CaseIndex]) -> None:
            self.load_cases(result[0], result[1], select_case=self.current_case_id())
            self._status_bar.showMessage("Lijst vernieuwd.", 3000)

        CaseOp(self, lambda: load_case_list(cases), what="De lijst laden").success(
            _done
        ).run_in_background()
