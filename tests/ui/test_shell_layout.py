"""The shell at the sizes of a consultant's laptop (issue 14): on a narrow window (1366 px at
150 % is about 910 logical pixels) the search field gets a row of its own instead of being
squeezed to a few letters; on a wide one search and filters share one row."""

from __future__ import annotations

from typing import Any

from fakes import FakeCases, fake_shell_window, make_summaries


def test_search_field_keeps_its_width_on_a_narrow_window(qtbot: Any) -> None:
    window = fake_shell_window(qtbot, FakeCases(make_summaries(30)))
    window.setMinimumSize(0, 0)
    window.resize(900, 500)
    qtbot.waitUntil(lambda: window.width() <= 1000)
    qtbot.wait(20)
    search, status = window.search_edit, window.status_combo
    assert search.width() >= search.minimumWidth()
    assert (
        search.mapTo(window, search.rect().topLeft()).y()
        < status.mapTo(window, status.rect().topLeft()).y()
    )  # the filters moved below the search field

    window.resize(1366, 740)
    qtbot.wait(20)

    def middle(widget: Any) -> int:
        return int(widget.mapTo(window, widget.rect().center()).y())

    assert abs(middle(search) - middle(status)) <= 3  # one row again
