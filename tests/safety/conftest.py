"""Fixtures of the data-safety tests that drive the app's start-up (app.Shell)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bwo_desktop.app import Shell


@pytest.fixture
def shell_for(qtbot) -> Iterator[list[Shell]]:  # type: ignore[no-untyped-def]
    made: list[Shell] = []
    yield made
    for shell in made:
        for window in (shell.main_window, shell.unlock_window):
            if window is not None:
                window.close()
                window.deleteLater()
        qtbot.wait(20)
        shell.shutdown()
