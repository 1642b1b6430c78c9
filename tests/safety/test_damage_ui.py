"""In the app: a failed daily backup is shown (not only logged), and a damaged database is
named at unlock with the offer to restore the newest good backup, which then opens."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from damage_util import filled, flip, pages
from safety_util import PASSPHRASE, FakeApp

from bwo_desktop.app import Shell
from bwo_desktop.services import backups
from bwo_desktop.services.database import open_database


def test_a_failed_daily_backup_is_shown_in_the_status_bar(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shell_for: list[Shell],
) -> None:
    path = filled(tmp_path / "bwo.db", 2)

    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "backups"))

    monkeypatch.setattr(backups, "ensure_daily_backup", disk_full)
    shell = Shell(FakeApp(), path)  # type: ignore[arg-type]
    shell_for.append(shell)
    shell.start()
    shell.unlock(PASSPHRASE)
    qtbot.waitUntil(lambda: shell.backup_task is not None, timeout=20_000)
    qtbot.waitUntil(lambda: shell.backup_task.finished, timeout=20_000)
    assert shell.main_window is not None
    shown = shell.main_window.statusBar().currentMessage()
    assert shown.startswith("Dagelijkse back-up mislukt") and "schijf is vol" in shown


def test_a_damaged_database_offers_the_newest_good_backup_and_opens_it(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shell_for: list[Shell],
) -> None:
    from bwo_desktop.ui import safety_dialogs

    path = filled(tmp_path / "bwo.db", 3)
    with open_database(path, PASSPHRASE) as db:
        good = db.backup("handmatig")
    flip(path, pages(path) - 1)
    asked: list[object] = []

    def yes(_parent: object, newest: object) -> bool:
        asked.append(newest)
        return True

    monkeypatch.setattr(safety_dialogs, "ask_restore_damaged", yes)
    shell = Shell(FakeApp(), path)  # type: ignore[arg-type]
    shell_for.append(shell)
    window = shell.start()
    shell.unlock(PASSPHRASE)
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert "beschadigd" in window.unlock_form.error_label.text()
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
    report = shell.restore_report
    assert report is not None and report.damaged_copy is not None
    assert report.damaged_copy.exists() and good.exists()
    assert shell.main_window.model.rowCount() == 3
    assert "beschadigd" in safety_dialogs.damaged_question(asked[0])  # type: ignore[arg-type]
