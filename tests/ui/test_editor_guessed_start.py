"""A period start the program could only guess (the current indication's end unknown: the
conversation date) is not taken silently: the Advies page asks to check it (issue 14)."""

from __future__ import annotations

from pathlib import Path

from editor_support import KeyCounter, make_world, open_editor

from bwo_desktop.core.case import CurrentIndication
from bwo_desktop.core.readiness import PAGE_ADVICE


def _world_without_end(tmp_path: Path):  # type: ignore[no-untyped-def]
    world = make_world(tmp_path)
    case = world.service.get(world.case_id)
    case.current_indication = CurrentIndication("IB2 + bereikbaarheid", None)
    world.service.save(case)
    return world


def test_a_guessed_start_asks_to_be_checked_until_typed(qtbot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, tmp_path, world=_world_without_end(tmp_path))
    editor.go_to_page(PAGE_ADVICE)
    page = editor.advice_page
    assert editor.case.assessment["period"]["start"] == "2026-12-08"  # the conversation
    assert page.start_question.isVisible()
    text = page.start_question.text()
    assert "einddatum van de huidige indicatie is onbekend" in text
    assert "Controleer de startdatum" in text
    page.start.setFocus()
    page.start.selectAll()
    KeyCounter().type("01012027")
    assert editor.case.assessment["period"]["start"] == "2027-01-01"
    assert not page.start_question.isVisible()


def test_a_start_after_the_known_end_asks_nothing(qtbot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, tmp_path)
    editor.go_to_page(PAGE_ADVICE)
    assert editor.case.assessment["period"]["start"] == "2027-01-01"
    assert not editor.advice_page.start_question.isVisible()
