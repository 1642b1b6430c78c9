"""A damaged database is noticed at open, told apart from a wrong passphrase, a foreign key
file, a full disk and a read-only folder, and never written into once damage is known."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from damage_util import filled, flip, pages
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.cli import main
from bwo_desktop.services import keys
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database
from bwo_desktop.services.errors import (
    DatabaseDamaged,
    DiskFull,
    FolderNotWritable,
    KeyFileMismatch,
    WrongPassphrase,
)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return filled(tmp_path / "bwo.db")


def test_flipped_page_mid_file_is_refused_at_open_as_damaged(db_file: Path) -> None:
    middle = pages(db_file) // 2
    flip(db_file, middle)
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(db_file, PASSPHRASE)
    assert "beschadigd" in str(caught.value) and str(middle) in str(caught.value)


def test_flipped_page_one_is_damage_not_a_foreign_key_file(db_file: Path) -> None:
    flip(db_file, 1, offset=100)
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(db_file, PASSPHRASE)
    assert "sleutelbestand" not in str(caught.value)


def test_key_file_of_another_database_has_its_own_message(tmp_path: Path) -> None:
    a, b = filled(tmp_path / "a.db", 1), filled(tmp_path / "b.db", 1)
    keys.key_file_for(a).write_bytes(keys.key_file_for(b).read_bytes())
    with pytest.raises(KeyFileMismatch) as caught:
        open_database(a, PASSPHRASE)
    assert "hoort niet bij deze database" in str(caught.value)
    assert "beschadigd" not in str(caught.value)


def test_wrong_passphrase_is_its_own_message(db_file: Path) -> None:
    with pytest.raises(WrongPassphrase) as caught:
        open_database(db_file, "not the passphrase at all")
    assert "wachtwoordzin is onjuist" in str(caught.value)


def _fail_with(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    # Run as root, chmod is ignored; the OS error the disk would give is raised where the
    # open first writes (the lock file).
    from bwo_desktop.services import lock

    def refuse(*_a: object, **_k: object) -> None:
        raise OSError(code, os.strerror(code), "/data/bwo.db.lock")

    monkeypatch.setattr(lock.DatabaseLock, "acquire", refuse)


def test_full_disk_at_open_says_disk_full(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_with(monkeypatch, errno.ENOSPC)
    with pytest.raises(DiskFull) as caught:
        open_database(db_file, PASSPHRASE)
    assert "schijf is vol" in str(caught.value)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_read_only_folder_says_not_writable(
    db_file: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    _fail_with(monkeypatch, code)
    with pytest.raises(FolderNotWritable) as caught:
        open_database(db_file, PASSPHRASE)
    assert "niet beschrijfbaar" in str(caught.value)


def test_all_five_messages_differ(tmp_path: Path) -> None:
    messages = {
        str(WrongPassphrase()),
        str(KeyFileMismatch()),
        str(DatabaseDamaged("pagina 3")),
        str(DiskFull()),
        str(FolderNotWritable()),
    }
    assert len(messages) == 5


def test_damage_found_while_working_refuses_every_later_write(db_file: Path) -> None:
    db = open_database(db_file, PASSPHRASE)
    try:
        service = CaseService(db, user="Test")
        db.damage = "pagina 7 onleesbaar"  # as the guard sets it on a malformed page
        with pytest.raises(DatabaseDamaged):
            service.create(sample_case(9))
        with pytest.raises(DatabaseDamaged):
            db.set_meta("x", 1)
        assert len(service.list_summaries()) == 3  # reading still works
    finally:
        db.close()


def test_cli_names_damage_with_exit_2(
    db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    flip(db_file, pages(db_file) // 2)
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["audit", "verify", "--db", str(db_file)]) == 2
    err = capsys.readouterr().err
    assert "beschadigd" in err and "Traceback" not in err


def test_background_check_lets_reads_run_and_holds_writes_until_it_knows(db_file: Path) -> None:
    flip(db_file, pages(db_file) // 2)
    db = open_database(db_file, PASSPHRASE, check_integrity="background")
    try:
        service = CaseService(db, user="Test")
        with pytest.raises(DatabaseDamaged):
            service.create(sample_case(9))  # waits for the check, then is refused
        assert db.damage is not None
        with pytest.raises(DatabaseDamaged):
            db.wait_integrity()
    finally:
        db.close()


def test_background_check_of_a_whole_database_lets_writes_through(db_file: Path) -> None:
    with open_database(db_file, PASSPHRASE, check_integrity="background") as db:
        CaseService(db, user="Test").create(sample_case(9))
        db.wait_integrity()
        assert db.damage is None


def test_full_disk_during_a_save_says_disk_full(db_file: Path) -> None:
    # SQLITE_FULL for real: the file may not grow past its current pages.
    from sqlalchemy import text

    db = open_database(db_file, PASSPHRASE)
    try:
        with db.engine.connect() as conn:
            pages_now = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages_now}")
            with pytest.raises(DiskFull):
                conn.execute(
                    text(
                        "INSERT INTO meta (key, value, updated_at) VALUES ('big', :v, '2026-01-01')"
                    ),
                    {"v": '"' + "x" * 200_000 + '"'},
                )
            conn.rollback()
    finally:
        db.close()


def test_backup_onto_a_full_disk_is_one_line_and_leaves_no_half_backup(
    db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(keys, "write_key_file", full)
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["backup", "create", "--db", str(db_file)]) == 2
    assert "schijf is vol" in capsys.readouterr().err
    assert list((db_file.parent / "backups").glob("*.db*")) == []


def test_no_backup_of_a_database_known_to_be_damaged(db_file: Path) -> None:
    db = open_database(db_file, PASSPHRASE)
    try:
        db.damage = "pagina 4 onleesbaar"
        with pytest.raises(DatabaseDamaged):
            db.backup("handmatig")
    finally:
        db.close()
