"""A small QPainter chart of the ZRM change per domain: previous score → new score.

QtCharts is not part of PySide6-Essentials, so this draws a dumbbell chart itself: one row per
domain on a 1-5 axis, the previous score as an open circle, the new one filled, joined by a
line that is green for progress and red for decline. A legend under the rows says so; the
domain names are always whole (the chart asks for the width they need).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

UP = QColor("#2e7d32")
DOWN = QColor("#c62828")
SAME = QColor("#607d8b")
AXIS_MIN_WIDTH = 120  # five scores a readable distance apart
LEGEND = (("○", "vorige score"), ("●", "nieuwe score"), ("—", "groen vooruit, rood achteruit"))


class ZrmChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._domains: list[tuple[str, str]] = []
        self._previous: dict[str, int | None] = {}
        self._current: dict[str, int | None] = {}
        self._highlight: str | None = None
        self.setAccessibleName("Grafiek: vorige en nieuwe ZRM-score per domein")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_scores(
        self,
        domains: Sequence[tuple[str, str]],
        previous: Mapping[str, int | None],
        current: Mapping[str, int | None],
    ) -> None:
        self._domains = list(domains)
        self._previous = dict(previous)
        self._current = dict(current)
        parts = []
        for key, name in self._domains:
            before, after = self._previous.get(key), self._current.get(key)
            parts.append(f"{name}: {before or '-'} naar {after or '-'}")
        self.setAccessibleDescription("; ".join(parts))
        self.updateGeometry()
        self.update()

    def set_highlight(self, key: str | None) -> None:
        if key != self._highlight:
            self._highlight = key
            self.update()

    def _row_height(self) -> int:
        return max(14, QFontMetrics(self.font()).height() + 1)

    def label_width(self) -> int:
        """Room for the longest domain name, whole."""
        metrics = QFontMetrics(self.font())
        names = [name for _key, name in self._domains]
        return max((metrics.horizontalAdvance(n) for n in names), default=60) + 10

    def sizeHint(self) -> QSize:
        # One row for the axis, one per domain, one for the legend.
        height = self._row_height() * (len(self._domains) + 2) + 12
        return QSize(max(300, self.label_width() + 160), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.label_width() + AXIS_MIN_WIDTH, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(palette.ColorRole.WindowText)
        grid_colour = palette.color(palette.ColorRole.Mid)
        row = self._row_height()
        label_width = self.label_width()
        left = label_width
        right = self.width() - 10
        top = row  # first row holds the axis labels
        span = max(1.0, right - left)

        def x_of(score: int) -> float:
            return left + (score - 1) * span / 4

        # axis: 1..5 with faint vertical lines
        painter.setPen(QPen(grid_colour, 1, Qt.PenStyle.DotLine))
        for score in range(1, 6):
            x = x_of(score)
            painter.drawLine(QPointF(x, top), QPointF(x, top + row * len(self._domains)))
        painter.setPen(text_colour)
        for score in range(1, 6):
            x = x_of(score)
            painter.drawText(QRectF(x - 10, 0, 20, row), Qt.AlignmentFlag.AlignCenter, str(score))

        radius = max(3.0, row * 0.28)
        for index, (key, name) in enumerate(self._domains):
            y = top + index * row + row / 2
            if key == self._highlight:
                painter.fillRect(
                    QRectF(0, y - row / 2, self.width(), row),
                    palette.color(palette.ColorRole.AlternateBase),
                )
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, y - row / 2, label_width - 6, row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                name,
            )
            before, after = self._previous.get(key), self._current.get(key)
            if before is not None and after is not None and before != after:
                colour = UP if after > before else DOWN
                painter.setPen(QPen(colour, 2))
                painter.drawLine(QPointF(x_of(before), y), QPointF(x_of(after), y))
            else:
                colour = SAME
            if before is not None:
                painter.setPen(QPen(SAME, 1.5))
                painter.setBrush(palette.color(palette.ColorRole.Base))
                painter.drawEllipse(QPointF(x_of(before), y), radius, radius)
            if after is not None:
                painter.setPen(QPen(colour, 1.5))
                painter.setBrush(colour)
                painter.drawEllipse(QPointF(x_of(after), y), radius, radius)
        painter.setPen(text_colour)
        legend_top = top + row * len(self._domains) + 4
        painter.drawText(
            QRectF(0, legend_top, self.width(), row),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self.legend_text(),
        )
        painter.end()

    @staticmethod
    def legend_text() -> str:
        return "   ".join(f"{mark} {what}" for mark, what in LEGEND)
