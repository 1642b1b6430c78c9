"""The ZRM change chart (issue 14): whole domain names at any width it is given, and a legend
that says what the circles and colours mean."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontMetrics

from bwo_desktop.core.zrm import DOMAIN_KEYS, load_catalogue
from bwo_desktop.ui.zrm_chart import ZrmChart


def _chart(qtbot: Any) -> ZrmChart:
    chart = ZrmChart()
    qtbot.addWidget(chart)
    chart.set_scores(
        [(d.key, d.name) for d in load_catalogue().domains],
        dict.fromkeys(DOMAIN_KEYS, 2),
        dict.fromkeys(DOMAIN_KEYS, 4),
    )
    return chart


def test_domain_names_are_never_cut_off(qtbot: Any) -> None:
    chart = _chart(qtbot)
    metrics = QFontMetrics(chart.font())
    longest = max(metrics.horizontalAdvance(d.name) for d in load_catalogue().domains)
    assert chart.label_width() >= longest
    # A layout gives it at least its minimum: the names and a readable axis.
    assert chart.minimumSizeHint().width() >= longest + 100


def test_the_legend_says_what_the_marks_mean(qtbot: Any) -> None:
    chart = _chart(qtbot)
    text = chart.legend_text()
    assert "vorige score" in text and "nieuwe score" in text and "groen vooruit" in text
    rows = len(DOMAIN_KEYS) + 2  # axis, domains, legend
    assert chart.sizeHint().height() >= rows * QFontMetrics(chart.font()).height()
    chart.resize(chart.sizeHint())
    assert not chart.grab().isNull()
