"""The editor decides through DecisionService with the version its autosave saved last (the
refusal while a save failed: tests/ui/test_autosave_failures.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from editor_support import make_world
from PySide6.QtWidgets import QMessageBox

from bwo_desktop.ui.case_editor import CaseEditor


def _confirm_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: self.defaultButton())
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    return warnings


def _editor(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An editor on the world's earlier (complete) concept, the UI checklist passed."""
    world = make_world(tmp_path, previous=True)
    assert world.previous_id is not None
    editor = CaseEditor(world.service, world.previous_id)
    qtbot.addWidget(editor)
    monkeypatch.setattr(editor.finish_page, "blockers", lambda: [])
    return world, editor


def test_finalise_calls_the_decision_service_with_the_saved_version(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, editor = _editor(qtbot, tmp_path, monkeypatch)
    _confirm_dialogs(monkeypatch)
    called: list[tuple[str, int]] = []
    service = world.service

    class Spy:
        def finalise(self, case_id: str, expected_version: int) -> Any:
            called.append((case_id, expected_version))
            return service.get(case_id)  # type: ignore[attr-defined]

    editor.decisions = Spy()  # type: ignore[assignment]
    editor.finalise()
    qtbot.waitUntil(lambda: bool(called))
    stored = service.get(world.previous_id)  # type: ignore[attr-defined]
    assert called == [(world.previous_id, stored.version)]
