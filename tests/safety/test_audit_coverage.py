"""Audit coverage (issue 12): a manual backup and a passphrase change from the command line
each leave an entry that the log reads back (planning imports: tests/excel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.cli import main
from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database
from bwo_desktop.settings import Settings, save_settings

CONSULTANT = "M. van den Berg"
NEW = "een heel andere wachtzin"


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    save_settings(Settings(consultant_name=CONSULTANT))
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        CaseService(db, user=CONSULTANT).create(sample_case(0))
    return path


def _entries(path: Path, passphrase: str = PASSPHRASE) -> list[audit.AuditRecord]:
    with open_database(path, passphrase) as db:
        assert audit.verify(db) == []
        return audit.entries(db)


def test_backup_create_on_the_command_line_is_audited(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "create", "--db", str(db_file)]) == 0
    made = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    last = _entries(db_file)[-1]
    assert (last.action, last.result, last.user) == ("backup", "ok", CONSULTANT)
    assert last.details == {"file": audit.safe_file_name(made), "reason": "handmatig"}


def test_passphrase_change_on_the_command_line_is_audited(
    db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BWO_NEW_PASSPHRASE", NEW)
    assert main(["passphrase", "change", "--db", str(db_file)]) == 0
    capsys.readouterr()
    last = _entries(db_file, NEW)[-1]
    assert (last.action, last.result, last.user) == ("passphrase_change", "ok", CONSULTANT)
    assert last.details == {"backups": 0}
