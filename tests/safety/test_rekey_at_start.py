"""An interrupted `passphrase change --nieuwe-sleutel` at the app's start (issue 12): the
process died after the database went over to the new key but before its key file did. The
unlock window finishes the change with the new passphrase, or names the command that does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from safety_util import PASSPHRASE, FakeApp, sample_case

from bwo_desktop import app
from bwo_desktop.app import Shell
from bwo_desktop.services import audit, keys, rekey
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import list_backups, open_database

NEW = "een heel andere wachtzin"


def _crashed_after_database(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cases, two backups, then a key change that dies right after `PRAGMA rekey`."""
    with open_database(path, PASSPHRASE, create=True) as db:
        svc = CaseService(db, user="M. van den Berg")
        svc.create(sample_case(0))
        svc.create(sample_case(1))
        db.backup("handmatig")
        db.backup("handmatig")
    real = keys.write_key_file

    def power_cut(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(keys, "write_key_file", power_cut)
    with pytest.raises(RuntimeError):
        rekey.change_key(path, PASSPHRASE, NEW)
    monkeypatch.setattr(keys, "write_key_file", real)
    assert rekey.pending(path)


def _start(path: Path, shell_for: list[Shell]) -> Shell:
    shell = Shell(FakeApp(), path)  # type: ignore[arg-type]
    shell_for.append(shell)
    shell.start()
    return shell


def test_the_new_passphrase_at_unlock_finishes_the_key_change_and_opens(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shell_for: list[Shell],
) -> None:
    path = tmp_path / "bwo.db"
    _crashed_after_database(path, monkeypatch)
    # No daily backup: its status message would replace the one this test reads.
    monkeypatch.setattr(app, "daily_backup", lambda _db: None)
    shell = _start(path, shell_for)
    shell.unlock(NEW)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=30_000)
    window = shell.main_window
    assert window is not None and window.model.rowCount() == 2
    assert "sleutelwissel afgemaakt" in window.statusBar().currentMessage()
    assert not rekey.pending(path)
    assert shell.opened is not None
    changes = [e for e in audit.entries(shell.opened.db) if e.action == "passphrase_change"]
    last = changes[-1]
    assert last.details is not None
    assert last.details["resumed"] is True and last.details["backups"] == 2
    shell.shutdown()
    for info in list_backups(path):
        with open_database(info.path, NEW) as db:
            assert len(CaseService(db).list_summaries()) == 2


def test_the_old_passphrase_names_the_interrupted_change_and_the_command(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shell_for: list[Shell],
) -> None:
    path = tmp_path / "bwo.db"
    _crashed_after_database(path, monkeypatch)
    shell = _start(path, shell_for)
    form = shell.unlock_window.unlock_form  # type: ignore[union-attr]
    shell.unlock(PASSPHRASE)
    qtbot.waitUntil(lambda: bool(form.error_label.text()), timeout=30_000)
    shown = form.error_label.text()
    assert "sleutel" in shown and "onderbroken" in shown and "nieuwe wachtwoordzin" in shown
    assert "bwo-desktop passphrase change --nieuwe-sleutel" in shown and str(path) in shown
    assert shell.main_window is None and rekey.pending(path)
    # Nothing was spoiled: the new passphrase still finishes it.
    shell.unlock(NEW)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=30_000)
    assert not rekey.pending(path)
