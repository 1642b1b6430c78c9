"""Layouts that give way on a narrow window (issue 14: 1366×768 at 150 % leaves some 720
logical pixels for a page): a row of buttons that wraps onto a second line (`FlowLayout`),
and two columns that stack into one when there is no room beside each other
(`SideBySide`). Nothing is clipped and nothing scrolls sideways; pages may scroll down."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.ui.pages.common import scroll_wrap


class FlowLayout(QLayout):
    """Widgets left to right, continuing on the next line when the width runs out (the Qt
    flow-layout example); hidden widgets take no room."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def sizeHint(self) -> QSize:
        # One line: what the row would like on a wide window.
        items = self._shown()
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in items)
        width += self.spacing() * max(0, len(items) - 1)
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width, height) + _margin_size(margins)

    def minimumSize(self) -> QSize:
        # One widget per line at the least.
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size + _margin_size(self.contentsMargins())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, line_height = area.x(), area.y(), 0
        spacing = self.spacing()
        for item in self._shown():
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y = area.x(), y + line_height + spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


def _margin_size(margins: QMargins) -> QSize:
    return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())


def _slot() -> tuple[QWidget, QVBoxLayout]:
    slot = QWidget()
    column = QVBoxLayout(slot)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    return slot, column


class SideBySide(QWidget):
    """Two columns, each scrolling on its own (`arrange(True)`), or the second under the
    first in one scroll area (`arrange(False)`), chosen by the page from its width.

    The columns move between holders inside one window, so their Tab order stays as the
    page set it; the focus stays where it was, and a focused widget is scrolled into view
    (on a narrow window the field the keyboard is in may lie below the fold)."""

    def __init__(
        self,
        first: QWidget,
        second: QWidget,
        *,
        separator: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._first, self._second = first, second
        first_slot, self._first_column = _slot()
        second_slot, self._second_column = _slot()
        narrow_slot, self._narrow_column = _slot()
        self._narrow_column.addStretch(1)
        self.first_scroll = scroll_wrap(first_slot)
        self.second_scroll = scroll_wrap(second_slot)
        self.narrow_scroll = scroll_wrap(narrow_slot)
        wide = QWidget()
        row = QHBoxLayout(wide)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.first_scroll, 1)
        if separator:
            line = QFrame()
            line.setFrameShape(QFrame.Shape.VLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            row.addWidget(line)
        row.addWidget(self.second_scroll)
        self._wide_row = row
        self._wide = wide
        # Not a QStackedLayout: its minimum would be the wide arrangement's, hidden or not.
        both = QVBoxLayout(self)
        both.setContentsMargins(0, 0, 0, 0)
        both.addWidget(wide)
        both.addWidget(self.narrow_scroll)
        self.side_by_side: bool | None = None
        self.arrange(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def set_second_stretch(self, stretch: int) -> None:
        self._wide_row.setStretchFactor(self.second_scroll, stretch)

    def arrange(self, side_by_side: bool) -> None:
        if side_by_side == self.side_by_side:
            return
        focus = QApplication.focusWidget()
        inside = focus is not None and self.isAncestorOf(focus)
        for column in (self._first_column, self._second_column, self._narrow_column):
            column.removeWidget(self._first)  # (adding it elsewhere first warns)
            column.removeWidget(self._second)
        if side_by_side:
            self._first_column.addWidget(self._first)
            self._second_column.addWidget(self._second)
        else:
            self._narrow_column.insertWidget(0, self._first)
            self._narrow_column.insertWidget(1, self._second)
        self._wide.setVisible(side_by_side)
        self.narrow_scroll.setVisible(not side_by_side)
        self.side_by_side = side_by_side
        # A widget that changes parent hides until the event loop shows it: show it now,
        # so the focus can return at once.
        self._first.show()
        self._second.show()
        if inside and focus is not None and QApplication.focusWidget() is not focus:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.isAncestorOf(new):
            return
        for area in (self.narrow_scroll, self.first_scroll, self.second_scroll):
            content = area.widget()
            if area.isVisible() and content is not None and content.isAncestorOf(new):
                area.ensureWidgetVisible(new, 8, 8)
                return
