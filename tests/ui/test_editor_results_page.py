"""The Resultaten page at 1366 px: long Bijlage 1 texts wrap instead of being cut off, and
for regular IB or intramural the result choices are disabled: they do not count (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_support import KeyCounter, open_editor
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle

from bwo_desktop.core.readiness import PAGE_CRITERIA, PAGE_RESULTS, PAGE_ZRM
from bwo_desktop.ui.case_editor import CaseEditor


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> CaseEditor:
    return open_editor(qtbot, tmp_path, width=1366, height=740)


def _clipped(editor: CaseEditor) -> list[str]:
    """The results whose row is lower than their text wrapped in the row's width needs."""
    page = editor.results_page
    tree, model = page.tree, page.model
    metrics = tree.fontMetrics()
    style = tree.style()
    # Room for the check box and the margins beside the text (the style's own metrics).
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    beside = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 4 * margin
    clipped = []
    for row in range(model.rowCount()):
        area = model.index(row, 0)
        for child in range(model.rowCount(area)):
            index = model.index(child, 0, area)
            rect = tree.visualRect(index)
            text = index.data()
            needed = metrics.boundingRect(
                QRect(0, 0, rect.width() - beside, 10_000), Qt.TextFlag.TextWordWrap, text
            )
            if rect.height() < needed.height():
                clipped.append(text)
    return clipped


def test_long_results_wrap_at_1366_and_after_a_resize(qtbot, editor: CaseEditor) -> None:
    editor.go_to_page(PAGE_RESULTS)
    page = editor.results_page
    page.tree.expandAll()
    qtbot.wait(10)
    assert _clipped(editor) == []
    editor.resize(1100, 740)
    qtbot.waitUntil(lambda: page.tree.header().sectionSize(0) < 600)
    qtbot.wait(10)
    assert _clipped(editor) == []


def _decide_criteria(editor: CaseEditor, answers: str) -> None:
    editor.go_to_page(PAGE_ZRM)
    KeyCounter().type("4444444444444")
    editor.go_to_page(PAGE_CRITERIA)
    keys = KeyCounter()
    for i, answer in enumerate(answers):
        if i:
            keys.tab()
        keys.type(answer)


@pytest.mark.parametrize(("answers", "outcome"), [("jjj", "regular_ib"), ("jnn", "intramural")])
def test_results_that_do_not_count_are_disabled(
    editor: CaseEditor, answers: str, outcome: str
) -> None:
    _decide_criteria(editor, answers)
    assert editor.ctx.advice is not None and editor.ctx.advice.outcome == outcome
    editor.go_to_page(PAGE_RESULTS)
    page = editor.results_page
    for widget in (page.tree, page.development, page.justitie, page.justitie_development):
        assert not widget.isEnabled()
    assert page.not_applicable.isVisible()
    assert "tellen niet mee" in page.not_applicable.text()
    focus = QApplication.focusWidget()
    assert focus is not None and focus.window() is editor and focus.isEnabled()


def test_results_count_for_ib_bw(editor: CaseEditor) -> None:
    _decide_criteria(editor, "jjn")
    assert editor.ctx.advice.outcome == "ib_bw"
    editor.go_to_page(PAGE_RESULTS)
    page = editor.results_page
    assert page.tree.isEnabled() and page.justitie.isEnabled()
    assert not page.not_applicable.isVisible()


def test_low_zrm_scores_point_to_the_result_areas(qtbot, editor: CaseEditor) -> None:
    """Financiën 2 and Basale ADL 3 name Financiën and Zelfzorg on the Resultaten page, with
    the scores; choosing a result there takes the area off the "nog geen resultaat" list."""
    editor.go_to_page(PAGE_ZRM)
    KeyCounter().type("2444444434444")  # financien 2, basale_adl 3, the rest 4
    editor.go_to_page(PAGE_CRITERIA)
    keys = KeyCounter()
    for i, answer in enumerate("jjn"):
        if i:
            keys.tab()
        keys.type(answer)
    assert editor.ctx.advice.outcome == "ib_bw"
    editor.go_to_page(PAGE_RESULTS)
    page = editor.results_page
    qtbot.waitUntil(page.consider.isVisible)
    text = page.consider.text()
    assert "lage ZRM-scores: Financiën 2; Zelfzorg (Basale ADL 3)." in text
    assert "Nog geen resultaat bij: Financiën, Zelfzorg" in text
    assert "Sociaal netwerk" not in text  # a 4 (toezicht) keeps what goes well
    financien = page.model.area_index("financien")
    assert financien.data() == "Financiën · ZRM 2"
    assert page.model.area_index("sociaal_netwerk").data() == "Sociaal netwerk"

    first = page.model.index(0, 0, financien)
    page.model.setData(first, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "Nog geen resultaat bij: Zelfzorg." in page.consider.text()


def test_no_pointers_when_every_domain_goes_well(qtbot, editor: CaseEditor) -> None:
    _decide_criteria(editor, "jjn")
    editor.go_to_page(PAGE_RESULTS)
    assert not editor.results_page.consider.isVisible()
