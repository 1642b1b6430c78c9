"""`passphrase change --nieuwe-sleutel` (issue 12): a new data key for the database and every
backup, so an old copy of the key file opens nothing any more; the conversion of the backups
resumes after a crash, and `backup list` never hides a backup still on the old key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.cli import main
from bwo_desktop.services import audit, keys, rekey
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import list_backups, open_database
from bwo_desktop.services.errors import KeyFileMismatch, StoreError
from bwo_desktop.services.safety import SafetyService

NEW = "een heel andere wachtzin"


def _filled(path: Path, backups: int) -> None:
    with open_database(path, PASSPHRASE, create=True) as db:
        svc = CaseService(db, user="M. van den Berg")
        svc.create(sample_case(0))
        for _ in range(backups):
            db.backup("handmatig")


def _cases(path: Path, passphrase: str) -> int:
    with open_database(path, passphrase) as db:
        return len(CaseService(db).list_summaries())


def _with_key_file(db_file: Path, key_file: Path, folder: Path) -> Path:
    """A copy of a database file with the given key file beside it."""
    folder.mkdir(exist_ok=True)
    copy = folder / db_file.name
    shutil.copy(db_file, copy)
    shutil.copy(key_file, keys.key_file_for(copy))
    return copy


def test_new_key_locks_out_an_old_key_file_and_converts_every_backup(tmp_path: Path) -> None:
    path = tmp_path / "bwo.db"
    _filled(path, 2)
    old_key_file = tmp_path / "oud.key"
    shutil.copy(keys.key_file_for(path), old_key_file)
    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="M. van den Berg")
        assert SafetyService(svc).change_passphrase(PASSPHRASE, NEW, new_key=True) == 2
        svc.create(sample_case(1))  # the open database goes on working on the new key
        last = audit.entries(db)[-2]
    assert (last.action, last.details) == ("passphrase_change", {"backups": 2, "new_key": True})
    assert _cases(path, NEW) == 2
    with pytest.raises(KeyFileMismatch):
        open_database(_with_key_file(path, old_key_file, tmp_path / "a"), PASSPHRASE)
    for i, info in enumerate(list_backups(path)):
        assert _cases(info.path, NEW) == 1
        stale = _with_key_file(info.path, old_key_file, tmp_path / f"b{i}")
        with pytest.raises(KeyFileMismatch):
            open_database(stale, PASSPHRASE)
    assert not rekey.pending(path)
    assert rekey.backup_key_problems(path) == {}


def test_a_crash_midway_is_reported_and_finished_by_running_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bwo.db"
    _filled(path, 3)
    real = rekey.convert_file
    calls: list[Path] = []

    def crash_after_first_backup(file: Path, old: bytes, new: bytes) -> bool | None:
        calls.append(file)
        if len(calls) == 3:  # the database, one backup, then the power goes
            raise RuntimeError("stroomstoring")
        return real(file, old, new)

    monkeypatch.setattr(rekey, "convert_file", crash_after_first_backup)
    with pytest.raises(RuntimeError):
        rekey.change_key(path, PASSPHRASE, NEW)
    monkeypatch.setattr(rekey, "convert_file", real)
    assert rekey.pending(path)
    assert _cases(path, NEW) == 1  # the database itself is already on the new key

    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["backup", "list", "--db", str(path)]) == 0
    listed = capsys.readouterr().out
    assert listed.count("nog op de oude sleutel") == 2 and "onderbroken" in listed

    # Another new passphrase than the interrupted one: refused, nothing changes.
    monkeypatch.setenv("BWO_NEW_PASSPHRASE", "weer een andere wachtzin")
    assert main(["passphrase", "change", "--nieuwe-sleutel", "--db", str(path)]) == 2
    assert "onderbroken" in capsys.readouterr().err
    # A plain change now would leave the backups on two keys: refused too.
    with open_database(path, NEW) as db, pytest.raises(StoreError, match="onderbroken"):
        SafetyService(CaseService(db)).change_passphrase(NEW, "weer een andere wachtzin")

    monkeypatch.setenv("BWO_NEW_PASSPHRASE", NEW)
    assert main(["passphrase", "change", "--nieuwe-sleutel", "--db", str(path)]) == 0
    captured = capsys.readouterr()
    assert "2 back-up(s) omgezet" in captured.out and captured.err == ""
    assert not rekey.pending(path)
    for info in list_backups(path):
        assert _cases(info.path, NEW) == 1
    with open_database(path, NEW) as db:
        last = audit.entries(db)[-1]
        assert audit.verify(db) == []
    assert last.action == "passphrase_change" and last.details is not None
    assert last.details["resumed"] is True
    assert main(["backup", "list", "--db", str(path)]) == 0
    assert "LET OP" not in capsys.readouterr().out


def test_wrong_current_passphrase_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bwo.db"
    _filled(path, 1)
    before = path.read_bytes()
    monkeypatch.setenv("BWO_PASSPHRASE", "niet de goede wachtwoordzin")
    monkeypatch.setenv("BWO_NEW_PASSPHRASE", NEW)
    assert main(["passphrase", "change", "--nieuwe-sleutel", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert path.read_bytes() == before and not rekey.pending(path)
    assert _cases(path, PASSPHRASE) == 1


def test_the_app_finishes_an_interrupted_change_with_the_same_new_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bwo.db"
    _filled(path, 2)
    real = rekey.convert_file

    def crash(file: Path, old: bytes, new: bytes) -> bool | None:
        raise RuntimeError("stroomstoring")

    with open_database(path, PASSPHRASE) as db:
        monkeypatch.setattr(rekey, "convert_file", crash)
        with pytest.raises(RuntimeError):
            SafetyService(CaseService(db)).change_passphrase(PASSPHRASE, NEW, new_key=True)
        monkeypatch.setattr(rekey, "convert_file", real)
    with open_database(path, NEW) as db:  # the database is on the new key already
        safety = SafetyService(CaseService(db))
        assert safety.rekey_pending() and len(safety.backup_key_problems()) == 2
        assert safety.change_passphrase(NEW, NEW, new_key=True) == 2
        assert not safety.rekey_pending() and safety.backup_key_problems() == {}
    for info in list_backups(path):
        assert _cases(info.path, NEW) == 1


def test_a_damaged_database_is_not_rekeyed(tmp_path: Path) -> None:
    from bwo_desktop.services.errors import DatabaseDamaged

    path = tmp_path / "bwo.db"
    _filled(path, 1)
    key_before = keys.key_file_for(path).read_bytes()
    with open_database(path, PASSPHRASE) as db:
        db.damage = "pagina 7 is beschadigd"  # what the page check sets when it finds damage
        with pytest.raises(DatabaseDamaged):
            SafetyService(CaseService(db)).change_passphrase(PASSPHRASE, NEW, new_key=True)
    assert not rekey.pending(path) and keys.key_file_for(path).read_bytes() == key_before
