"""Deviating from the advice keeps the advice on screen: the recommendation and its
reasons stay, with a line "Advies IB1 — uw keuze IB2: motiveer"; a motivation without real
content ("x") refuses definitief with a Dutch checklist line (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_support import KeyCounter, open_editor

from bwo_desktop.core.readiness import PAGE_ADVICE, PAGE_CRITERIA, PAGE_ZRM
from bwo_desktop.ui.case_editor import CaseEditor


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> CaseEditor:
    editor = open_editor(qtbot, tmp_path)
    editor.go_to_page(PAGE_ZRM)
    KeyCounter().type("4444444444444")  # all toezicht → IB1
    editor.go_to_page(PAGE_CRITERIA)
    keys = KeyCounter()
    for i, answer in enumerate("jjn"):
        if i:
            keys.tab()
        keys.type(answer)
    assert editor.ctx.advice is not None and editor.ctx.advice.ib_level == "IB1"
    editor.go_to_page(PAGE_ADVICE)
    return editor


def _explanation(editor: CaseEditor) -> str:
    return editor.advice_page.explanation.text()


def _blocking(editor: CaseEditor) -> list[str]:
    return [item.text for item in editor.finish_page.blockers()]


def test_another_ib_level_keeps_the_advice_and_asks_a_real_motivation(
    editor: CaseEditor,
) -> None:
    page = editor.advice_page
    reasons = _explanation(editor)
    assert reasons
    page.override.setFocus()
    keys = KeyCounter()
    keys.type("2")  # IB2 instead of the advised IB1: the cursor goes to the motivation
    assert editor.ctx.advice is None  # the decision waits for its motivation …
    assert _explanation(editor) == reasons  # … but the advice and its reasons stay
    assert "IB1" in page.outcome.text()
    assert page.deviation.isVisible()
    assert page.deviation.text() == "Advies IB1 — uw keuze IB2: motiveer"
    keys.type("x")
    assert editor.ctx.advice is not None and editor.ctx.advice.ib_level == "IB2"
    assert page.deviation.text() == "Advies IB1 — uw keuze IB2: motiveer"
    assert "te kort" in page.override_message.text() and page.override_message.isVisible()
    assert any("afwijkende IB-niveau is te kort" in text for text in _blocking(editor))
    keys.type(" meer toezicht nodig")
    assert page.deviation.text() == "Advies IB1 — uw keuze IB2: gemotiveerd"
    assert not page.override_message.isVisible()
    assert not any("te kort" in text for text in _blocking(editor))


def test_an_opslag_reason_keeps_the_advice_visible(editor: CaseEditor) -> None:
    page = editor.advice_page
    reasons = _explanation(editor)
    page.opslag_reason.setFocus()
    KeyCounter().type("l")  # life event: the plan question is still open
    assert editor.ctx.advice is None
    assert _explanation(editor) == reasons
    assert page.costs_box.isVisible()
    assert "Advies zonder opslag — uw keuze: opslag bij een life event" in page.deviation.text()
    assert page.deviation.text().endswith("motiveer")
    assert "plan" in page.missing.text()
    page.opslag_motivation.setFocus()
    KeyCounter().type("x")
    assert "te kort" in page.opslag_motivation_message.text()
    assert any("opslag is te kort" in text for text in _blocking(editor))
