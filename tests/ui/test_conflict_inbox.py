"""The conflict inbox dialog: both versions side by side, the differing fields first in
bold, and a decision only after a question whose default answer is "Nee"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bwo_desktop.ui.conflict_inbox import KEEP_MINE, KEEP_OFFICE, MSG_EMPTY, ConflictInboxDialog


@dataclasses.dataclass(frozen=True)
class FakeConflict:
    id: int
    reference: str
    reason: str
    holder: str | None
    created_at: dt.datetime
    local_row: dict[str, Any]
    office_row: dict[str, Any] | None


def _conflict(n: int) -> FakeConflict:
    office = {"id": f"c{n}", "version": 3, "reference": f"BW-2026-00{n}", "zrm_notes": "oud"}
    return FakeConflict(
        id=n,
        reference=f"BW-2026-00{n}",
        reason="lease",
        holder="laptop-2 (A. de Vries)",
        created_at=dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC),
        local_row={**office, "version": 4, "zrm_notes": "nieuw op deze laptop"},
        office_row=office,
    )


class FakeInbox:
    def __init__(self, n: int = 2) -> None:
        self.open = [_conflict(i + 1) for i in range(n)]
        self.resolved: list[tuple[Any, str]] = []
        self.threads: list[threading.Thread] = []

    def conflicts(self) -> list[FakeConflict]:
        self.threads.append(threading.current_thread())
        return list(self.open)

    def resolve_conflict(self, conflict_id: Any, keep: str) -> None:
        self.threads.append(threading.current_thread())
        self.resolved.append((conflict_id, keep))
        self.open = [c for c in self.open if c.id != conflict_id]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the question box was asked: (text, default); it answers with `reply[0]`."""
    asked: list[Any] = []
    reply = [QMessageBox.StandardButton.No]

    def question(_parent: Any, _title: str, text: str, _buttons: Any, default: Any) -> Any:
        asked.append((text, default))
        return reply[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    asked.append(reply)
    return asked


def _open(qtbot: Any, inbox: FakeInbox) -> ConflictInboxDialog:
    resolved: list[bool] = []
    dialog = ConflictInboxDialog(inbox, on_resolved=lambda: resolved.append(True))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    return dialog


def test_both_versions_side_by_side_differing_fields_first(qtbot: Any) -> None:
    inbox = FakeInbox()
    dialog = _open(qtbot, inbox)
    assert threading.main_thread() not in inbox.threads  # read on a worker
    assert dialog.list.count() == 2
    assert dialog.table.item(0, 0).text() == "ZRM-toelichting"
    assert dialog.table.item(0, 1).text() == "nieuw op deze laptop"
    assert dialog.table.item(0, 2).text() == "oud"
    assert dialog.table.item(0, 1).font().bold()
    assert not dialog.table.item(1, 1).font().bold()  # the kenmerk is the same
    assert "ander apparaat" in dialog.reason.text() and "laptop-2" in dialog.reason.text()
    headers = [dialog.table.horizontalHeaderItem(i).text() for i in range(3)]
    assert headers == ["Veld", "Uw versie (deze laptop)", "Kantoor"]


def test_a_decision_asks_first_with_nee_as_the_default(qtbot: Any, answers: list[Any]) -> None:
    inbox = FakeInbox()
    dialog = _open(qtbot, inbox)
    dialog.keep_office.click()
    assert answers[1][1] == QMessageBox.StandardButton.No
    assert inbox.resolved == []  # "Nee": nothing decided
    answers[0][0] = QMessageBox.StandardButton.Yes
    dialog.keep_mine.click()
    qtbot.waitUntil(lambda: inbox.resolved == [(1, KEEP_MINE)], timeout=5000)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 1, timeout=5000)
    dialog.keep_office.click()
    qtbot.waitUntil(lambda: len(inbox.resolved) == 2, timeout=5000)
    assert inbox.resolved[1] == (2, KEEP_OFFICE)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 0, timeout=5000)
    assert dialog.empty.isVisible() and dialog.empty.text() == MSG_EMPTY
    assert not dialog.keep_office.isEnabled()


def test_enter_never_decides(qtbot: Any, answers: list[Any]) -> None:
    inbox = FakeInbox(1)
    dialog = _open(qtbot, inbox)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert len(answers) == 1 and inbox.resolved == []
    assert dialog.isVisible()
