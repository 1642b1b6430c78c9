"""The encrypted database file: key file, wrong passphrase, nothing readable at rest, backups,
backup before migration, one instance per database."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from decided import store_decided
from persistence_samples import PASSPHRASE, full_case

from bwo_desktop.services import keys
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import (
    Database,
    DatabaseCorrupt,
    DatabaseInUse,
    DatabaseNotFound,
    KeyFileError,
    WrongPassphrase,
    change_passphrase,
    list_backups,
    open_database,
)
from bwo_desktop.services.errors import StoreError


def _filled(path: Path, n: int = 3) -> list[str]:
    with open_database(path, PASSPHRASE, create=True) as db:
        svc = CaseService(db)
        return [svc.create(full_case(i)).id or "" for i in range(n)]


def test_new_database_has_key_file_and_opens_again(db_path: Path) -> None:
    ids = _filled(db_path)
    assert keys.key_file_for(db_path).exists()
    doc = json.loads(keys.key_file_for(db_path).read_text())
    assert doc["format"] == "bwo-key/1" and doc["kdf"]["name"] == "scrypt"
    with open_database(db_path, PASSPHRASE) as db:
        assert sorted(s.id for s in CaseService(db).list_summaries()) == sorted(ids)
        assert db.path == db_path


def test_missing_database_is_not_created_without_create(db_path: Path) -> None:
    with pytest.raises(DatabaseNotFound):
        open_database(db_path, PASSPHRASE)
    assert not db_path.exists()


def test_wrong_passphrase(db_path: Path) -> None:
    _filled(db_path, 1)
    with pytest.raises(WrongPassphrase):
        open_database(db_path, "wrong passphrase entirely")
    # The failed attempt left no lock behind.
    open_database(db_path, PASSPHRASE).close()


def test_missing_or_damaged_key_file(db_path: Path) -> None:
    _filled(db_path, 1)
    key_path = keys.key_file_for(db_path)
    doc = json.loads(key_path.read_text())
    doc["kdf"]["n"] = 2**10  # a weakened KDF must not unwrap
    key_path.write_text(json.dumps(doc))
    with pytest.raises(WrongPassphrase):
        open_database(db_path, PASSPHRASE)
    key_path.write_text("{not json")
    with pytest.raises(KeyFileError):
        open_database(db_path, PASSPHRASE)
    key_path.unlink()
    with pytest.raises(KeyFileError):
        open_database(db_path, PASSPHRASE)


def test_key_file_of_another_database_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _filled(a, 1)
    _filled(b, 1)
    keys.key_file_for(a).write_bytes(keys.key_file_for(b).read_bytes())
    with pytest.raises(DatabaseCorrupt):
        open_database(a, PASSPHRASE)


def test_plain_sqlite_cannot_read_and_nothing_leaks_at_rest(db_path: Path) -> None:
    case = full_case(7)
    db = open_database(db_path, PASSPHRASE, create=True)
    try:
        CaseService(db).create(case)
        # While open the WAL holds the latest pages: scan it too.
        files = [db_path, Path(f"{db_path}-wal")]
        blobs = b"".join(p.read_bytes() for p in files if p.exists())
        assert len(blobs) > 4096
        for needle in (case.client.bsn, case.client.last_name, "Dordrecht", "Voorstraat"):
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert needle.encode(encoding) not in blobs, needle
        for needle in ("SQLite format 3", "herindicaties", "CREATE TABLE"):
            assert needle.encode() not in blobs
        with pytest.raises(sqlite3.DatabaseError):
            plain = sqlite3.connect(db_path)
            try:
                plain.execute("SELECT * FROM sqlite_master").fetchall()
            finally:
                plain.close()
    finally:
        db.close()


def test_pragmas(db_path: Path) -> None:
    with open_database(db_path, PASSPHRASE, create=True) as db, db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_change_passphrase_rewraps_database_and_backups(db_path: Path) -> None:
    ids = _filled(db_path, 2)
    with open_database(db_path, PASSPHRASE) as db:
        backup = db.backup("handmatig")
    with pytest.raises(StoreError):
        change_passphrase(db_path, PASSPHRASE, "kort")
    with pytest.raises(WrongPassphrase):
        change_passphrase(db_path, "not the passphrase", "a new long passphrase")
    assert change_passphrase(db_path, PASSPHRASE, "a new long passphrase") == 1
    with pytest.raises(WrongPassphrase):
        open_database(db_path, PASSPHRASE)
    with open_database(db_path, "a new long passphrase") as db:
        assert len(CaseService(db).list_summaries()) == len(ids)
    with open_database(backup, "a new long passphrase", migrate=False) as db:
        assert len(CaseService(db).list_summaries()) == len(ids)


def test_passphrase_strength() -> None:
    assert keys.check_passphrase_strength("twaalf tekns") is None  # 12 characters
    assert keys.check_passphrase_strength("kast boom") is not None
    assert keys.check_passphrase_strength("een twee drie vier") is None
    assert keys.check_passphrase_strength("kort") is not None
    assert keys.check_passphrase_strength("           x") is not None


def test_unlock_is_quick(db_path: Path) -> None:
    _filled(db_path, 1)
    started = time.perf_counter()
    open_database(db_path, PASSPHRASE).close()
    assert time.perf_counter() - started < 2.0  # scrypt ~0.15 s here; generous for CI


# -- backups ----------------------------------------------------------------------------
def test_backup_opens_with_same_passphrase_and_holds_every_case(db_path: Path) -> None:
    ids = _filled(db_path, 5)
    with open_database(db_path, PASSPHRASE) as db:
        target = db.backup()
        assert target.parent == db_path.parent / "backups"
        assert keys.key_file_for(target).exists()
        with pytest.raises(StoreError):
            db.backup_to(target)  # never overwrites
    assert [b.path for b in list_backups(db_path)] == [target]
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(target).execute("SELECT * FROM sqlite_master").fetchall()
    with open_database(target, PASSPHRASE, migrate=False) as copy:
        restored = CaseService(copy)
        assert sorted(s.id for s in restored.list_summaries()) == sorted(ids)
    with open_database(db_path, PASSPHRASE) as db, open_database(target, PASSPHRASE) as copy:
        for case_id in ids:
            assert CaseService(copy).get(case_id) == CaseService(db).get(case_id)


def test_backup_name_is_stem_time_and_reason(db_path: Path) -> None:
    _filled(db_path, 1)
    with open_database(db_path, PASSPHRASE) as db:
        target = db.backup("Dagelijks!")
    assert re.fullmatch(r"bwo-\d{8}-\d{6}-dagelijks\.db", target.name)


def test_backup_before_migration(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older schema is copied aside before the upgrade runs."""
    from bwo_desktop.models import migrate

    ids = _filled(db_path, 2)
    upgraded: list[str] = []
    real_head = migrate.head_revision()
    monkeypatch.setattr(migrate, "head_revision", lambda: "9999")
    monkeypatch.setattr(migrate, "known_revisions", lambda: [real_head, "9999"])
    monkeypatch.setattr(migrate, "upgrade", lambda conn, revision="head": upgraded.append(revision))
    with open_database(db_path, PASSPHRASE) as db:
        assert upgraded == ["head"]
        assert db.migrated_from == real_head
        backup = db.pre_migration_backup
    assert backup is not None and backup.exists()
    assert f"voor-migratie-{real_head}" in backup.name
    monkeypatch.undo()
    with open_database(backup, PASSPHRASE) as copy:
        assert len(CaseService(copy).list_summaries()) == len(ids)


def test_newer_schema_is_refused(db_path: Path) -> None:
    from sqlalchemy import text

    from bwo_desktop.services.database import DatabaseNewer

    _filled(db_path, 1)
    with open_database(db_path, PASSPHRASE) as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    with pytest.raises(DatabaseNewer):
        open_database(db_path, PASSPHRASE)


# -- one instance -----------------------------------------------------------------------
def test_second_open_is_refused_and_lock_released_on_close(db_path: Path) -> None:
    db = open_database(db_path, PASSPHRASE, create=True)
    lock = Path(f"{db_path}.lock")
    assert lock.exists()
    info = json.loads(lock.read_text())
    assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
    with pytest.raises(DatabaseInUse):
        open_database(db_path, PASSPHRASE)
    db.close()
    assert not lock.exists()
    open_database(db_path, PASSPHRASE).close()


def test_stale_lock_is_removed(db_path: Path) -> None:
    _filled(db_path, 1)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = Path(f"{db_path}.lock")
    lock.write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname()}))
    with open_database(db_path, PASSPHRASE) as db:
        assert json.loads(lock.read_text())["pid"] == os.getpid()
        assert isinstance(db, Database)


def test_lock_held_by_other_process_then_killed(db_path: Path) -> None:
    _filled(db_path, 1)
    code = (
        "import sys, time\n"
        "from bwo_desktop.services.database import open_database\n"
        f"db = open_database({str(db_path)!r}, {PASSPHRASE!r})\n"
        "print('open', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse) as info:
            open_database(db_path, PASSPHRASE)
        assert info.value.pid == child.pid
    finally:
        child.kill()
        child.wait()
    # SIGKILL left the lock file behind; the OS lock is gone, so it is stale.
    with open_database(db_path, PASSPHRASE) as db:
        assert len(CaseService(db).list_summaries()) == 1


def test_decision_date_defaults_to_today_on_finalise(db_path: Path) -> None:
    from persistence_samples import DECISION, TARIFFS

    with open_database(db_path, PASSPHRASE, create=True) as db:
        svc = CaseService(db)
        case = svc.create(full_case(1))
        final = store_decided(svc, case.id or "", DECISION, TARIFFS)
        assert final.decision_date == dt.date.today()


def test_restore_keeps_newer_audit_entries(db_path: Path) -> None:
    from persistence_samples import full_case

    from bwo_desktop.services import audit
    from bwo_desktop.services.restore import restore_backup

    _filled(db_path, 3)
    with open_database(db_path, PASSPHRASE) as db:
        backup = db.backup()
        svc = CaseService(db, user="J. Consulent")
        extra = svc.create(full_case(20))
        svc.record_view(extra.id or "")
        before = audit.entries(db)
    report = restore_backup(db_path, backup, PASSPHRASE, user="J. Consulent")
    assert report.cases == 3 and report.carried_entries == 2
    assert report.safety_backup.exists()
    with open_database(db_path, PASSPHRASE) as db:
        assert len(CaseService(db).list_summaries()) == 3
        after = audit.entries(db)
        assert audit.verify(db) == []
        assert [e.action for e in after] == [e.action for e in before] + ["restore"]
        assert after[-1].details == {"backup": backup.name, "carried_entries": 2, "cases": 3}
    # The safety copy still has the case that the restore dropped.
    with open_database(report.safety_backup, PASSPHRASE) as db:
        assert len(CaseService(db).list_summaries()) == 4
