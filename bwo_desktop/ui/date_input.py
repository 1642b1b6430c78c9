"""A date field for the dialogs that types the way a consultant writes a date: "12-03-2024",
"12032024" or "1-3-2024" (QDateEdit's sections turned "12-03-2024" into 03-03 of this
year), with a calendar button beside it and an inline message for what is not a date.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.ui.pages.common import parse_date_input

WARNING_STYLE = "color: #842029;"
# A date typed to its end: eight digits, or day, month and a four-digit year.
COMPLETE = re.compile(r"[0-9]{8}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{4}")


class DayEdit(QWidget):
    """`day_changed(date)` fires for every complete, valid date (typed or picked)."""

    day_changed = Signal(object)

    def __init__(
        self, day: dt.date | None, accessible_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._day = day
        self.line = QLineEdit(format_date_short(day) if day else "")
        self.line.setPlaceholderText("dd-mm-jjjj")
        self.line.setAccessibleName(accessible_name)
        self.line.setMaxLength(10)
        self.line.setFixedWidth(self.line.fontMetrics().horizontalAdvance("00-00-00000") + 16)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.setAccessibleName(f"{accessible_name}: kalender")
        self.calendar_button.setToolTip("Kies de datum in een kalender")
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self.calendar_button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar_button.setMenu(menu)
        self.message = QLabel()
        self.message.setStyleSheet(WARNING_STYLE)
        self.message.setAccessibleName(f"{accessible_name}: melding")
        self.message.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line)
        row.addWidget(self.calendar_button)
        row.addWidget(self.message, 1)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._finished)

    def day(self) -> dt.date | None:
        """The last valid date (typed or picked); what is being typed does not count yet."""
        return self._day

    def typed_day(self, field: str) -> dt.date:
        """The date as it stands in the field now (before going ahead with it): InputError
        naming `field` when it is empty or not a date, never the last valid one silently."""
        day = parse_date_input(self.line.text(), field)
        if day is None:
            raise InputError(field, "vul de datum in (dd-mm-jjjj)")
        return day

    def set_day(self, day: dt.date) -> None:
        self.line.setText(format_date_short(day))
        self.message.hide()
        self._accept(day)

    def _typed(self, text: str) -> None:
        if not COMPLETE.fullmatch(text.strip()):
            self.message.hide()  # not complete yet: no verdict while typing
            return
        self._judge(text, final=False)

    def _finished(self) -> None:
        self._judge(self.line.text(), final=True)

    def _judge(self, text: str, *, final: bool) -> None:
        try:
            day = parse_date_input(text)
        except InputError as exc:
            self.message.setText(exc.problem[:1].upper() + exc.problem[1:])
            self.message.show()
            return
        if day is None:
            if final and self._day is not None:
                self.line.setText(format_date_short(self._day))  # empty: keep the last date
            return
        self.message.hide()
        if final:
            self.line.setText(format_date_short(day))
        self._accept(day)

    def _accept(self, day: dt.date) -> None:
        changed = day != self._day
        self._day = day
        if changed:
            self.day_changed.emit(day)

    def _sync_calendar(self) -> None:
        if self._day is not None:
            self.calendar.setSelectedDate(QDate(self._day.year, self._day.month, self._day.day))

    def _picked(self, picked: QDate) -> None:
        self.set_day(dt.date(picked.year(), picked.month(), picked.day()))
        menu = self.calendar_button.menu()
        if menu is not None:
            menu.hide()
        self.line.setFocus()
