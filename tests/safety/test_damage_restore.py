"""`backup restore` onto a damaged or missing database: the damaged file is set aside (never
deleted), the backup comes back, the audit entries that still read are carried over, and
the report says what could not be."""

from __future__ import annotations

from pathlib import Path

import pytest
from damage_util import filled, flip, pages
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.cli import main
from bwo_desktop.services import audit, keys
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database
from bwo_desktop.services.errors import DatabaseDamaged
from bwo_desktop.services.restore import newest_good_backup, restore_backup


def _with_backup_then_more(path: Path) -> tuple[Path, int]:
    filled(path, 3)
    with open_database(path, PASSPHRASE) as db:
        backup = db.backup("handmatig")
        service = CaseService(db, user="Test")
        service.create(sample_case(7))
        total = len(audit.entries(db))
    return backup, total


def test_restore_onto_a_damaged_database_sets_it_aside_and_carries_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bwo.db"
    backup, total = _with_backup_then_more(path)
    flip(path, pages(path) - 1)  # a page far from the audit log's newest rows
    damaged_bytes = path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        open_database(path, PASSPHRASE)
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["backup", "restore", str(backup), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Teruggezet: 3 casussen" in out and "beschadigde database is bewaard" in out
    kept = [p for p in tmp_path.iterdir() if ".beschadigd-" in p.name and p.suffix != ".key"]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert keys.key_file_for(kept[0]).exists()
    with open_database(path, PASSPHRASE) as db:
        assert audit.verify(db) == []
        entries = audit.entries(db)
        assert entries[-1].action == "restore"
        assert entries[-1].details is not None
        assert entries[-1].details["damaged_copy"] == kept[0].name
        # The one entry written after the backup (the fourth case's) came over.
        assert entries[-1].details["carried_entries"] == 1 == total - 3
        assert "lost" not in entries[-1].details


def test_restore_onto_a_database_with_page_one_damaged_says_nothing_was_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bwo.db"
    backup, _total = _with_backup_then_more(path)
    flip(path, 1, offset=100)
    report = restore_backup(path, backup, PASSPHRASE)
    assert report.cases == 3 and report.damaged_copy is not None
    assert report.carried_entries == 0 and report.lost and "niet te lezen" in report.lost
    with open_database(path, PASSPHRASE) as db:
        assert audit.entries(db)[-1].action == "restore"


def test_restore_onto_a_missing_database(tmp_path: Path) -> None:
    path = tmp_path / "bwo.db"
    backup, _total = _with_backup_then_more(path)
    for p in (path, keys.key_file_for(path)):
        p.unlink()
    report = restore_backup(path, backup, PASSPHRASE)
    assert report.cases == 3 and report.safety_backup is None and report.damaged_copy is None
    assert report.lost and "geen database" in report.lost
    with open_database(path, PASSPHRASE) as db:
        assert len(CaseService(db).list_summaries()) == 3


def test_newest_good_backup_skips_a_damaged_one(tmp_path: Path) -> None:
    path = filled(tmp_path / "bwo.db", 2)
    with open_database(path, PASSPHRASE) as db:
        good = db.backup("handmatig")
        newer = db.backup("handmatig")
    flip(newer, 2)
    found = newest_good_backup(path, PASSPHRASE)
    assert found is not None and found.path == good
    with pytest.raises(DatabaseDamaged):
        restore_backup(path, newer, PASSPHRASE)
