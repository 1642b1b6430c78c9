"""Restore a backup without losing the audit trail (decisions.md): entries written after the
backup are carried over into the restored database, followed by a "restore" entry.

It also works when the current database is damaged or gone (issue 12): a damaged file is
first copied aside (never deleted), the entries that can still be read are carried over,
and the report says which could not.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwo_desktop.models.base import utcnow
from bwo_desktop.services import audit, integrity, keys
from bwo_desktop.services.database import BackupInfo, Database, list_backups, open_database
from bwo_desktop.services.errors import DatabaseDamaged, StoreError
from bwo_desktop.services.lock import DatabaseLock


@dataclass(frozen=True)
class RestoreReport:
    cases: int
    carried_entries: int
    safety_backup: Path | None  # the database as it was just before the restore
    damaged_copy: Path | None = None  # a damaged database, set aside as it was
    lost: str | None = None  # what could not be carried over, in Dutch


def newest_good_backup(
    db_path: Path | str, passphrase: str, backups_dir: Path | None = None
) -> BackupInfo | None:
    """The newest backup whose every page passes the HMAC check with its own key."""
    for info in list_backups(Path(db_path), backups_dir):
        try:
            data_key = keys.unlock_key_file(keys.key_file_for(info.path), passphrase)
            if not integrity.cipher_failures(info.path, data_key):
                return info
        except Exception:
            continue
    return None


def set_aside(db_path: Path) -> Path:
    """Copy a damaged database (with its WAL and key file) to `<name>.beschadigd-<stamp>`
    beside it: evidence and a last resort, never deleted by the app."""
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.name}.beschadigd-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.beschadigd-{stamp}-{n}")
    shutil.copyfile(db_path, target)
    for suffix in ("-wal",):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            shutil.copyfile(side, Path(f"{target}{suffix}"))
    key = keys.key_file_for(db_path)
    if key.exists():
        shutil.copyfile(key, keys.key_file_for(target))
    return target


def _salvage_entries(db: Database | None, last_seq: int) -> tuple[list[audit.AuditRecord], str]:
    """Read the entries of a damaged database one by one; those on a bad page are skipped.
    Returns what was read and a Dutch line on what was not ("" when all was read)."""
    if db is None:
        return [], "de beschadigde database was niet te lezen: geen auditregels overgenomen"
    try:
        return audit.entries(db), ""
    except Exception:
        pass
    try:
        top = audit.last_seq(db)
    except Exception:
        top = None
    if top is None:
        return [], "de auditregels van de beschadigde database waren niet te lezen"
    read: list[audit.AuditRecord] = []
    missing: list[int] = []
    for seq in range(max(1, last_seq + 1), top + 1):
        try:
            found = audit.entry_at(db, seq)
        except Exception:
            missing.append(seq)
            continue
        if found is not None:
            read.append(found)
        else:
            missing.append(seq)
    if not missing:
        return read, ""
    return read, f"auditregels {audit.ranges(missing)} waren niet te lezen en ontbreken"


def _carry(
    current_entries: list[audit.AuditRecord], last: audit.AuditRecord | None
) -> list[audit.AuditRecord]:
    if last is None:
        return current_entries
    by_seq = {e.seq: e for e in current_entries}
    if by_seq.get(last.seq) is not None and by_seq[last.seq].hash == last.hash:
        return [e for e in current_entries if e.seq > last.seq]
    # The chains diverged (a backup of another history), or the entry is unreadable: by time.
    return [e for e in current_entries if e.time > last.time]


def restore_backup(
    db_path: Path | str, backup_path: Path | str, passphrase: str, *, user: str | None = None
) -> RestoreReport:
    """Replace the database at `db_path` by the backup (same passphrase for both).

    A healthy current database is first backed up itself ("voor-terugzetten"), so a restore
    can be undone; a damaged one is copied aside as it is; a missing one is no obstacle.
    Works on a copy and swaps files only at the end. A full disk or a read-only folder is
    one Dutch line (DiskFull, FolderNotWritable), and the database is left as it was.
    """
    try:
        return _restore(Path(db_path), Path(backup_path), passphrase, user)
    except OSError as exc:
        translated = integrity.translate_os_error(exc)
        if translated is None:
            raise
        raise translated from exc


def _restore(db_path: Path, backup_path: Path, passphrase: str, user: str | None) -> RestoreReport:
    db_path = db_path.absolute()
    backup_path = backup_path.absolute()
    if not backup_path.exists() or not keys.key_file_for(backup_path).exists():
        raise StoreError(f"back-up of zijn sleutelbestand niet gevonden: {backup_path.name}")
    backup_key = keys.unlock_key_file(keys.key_file_for(backup_path), passphrase)
    if integrity.cipher_failures(backup_path, backup_key):
        raise DatabaseDamaged(f"ook de back-up {backup_path.name} is beschadigd")
    current: Database | None = None
    lock: DatabaseLock | None = None
    safety: Path | None = None
    damaged_copy: Path | None = None
    lost: str | None = None
    current_entries: list[audit.AuditRecord] = []
    exists = db_path.exists() and db_path.stat().st_size > 0
    if exists:
        try:
            current = open_database(db_path, passphrase)  # holds the lock throughout
        except DatabaseDamaged:
            current = None
    release: Callable[[], Any]
    if current is not None:
        release = current.close
    else:
        lock = DatabaseLock(db_path)
        lock.acquire()
        release = lock.release
    work = db_path.with_name(db_path.name + ".terugzetten")
    work_key = keys.key_file_for(work)
    damaged: Database | None = None
    try:
        if current is not None:
            safety = current.backup("voor-terugzetten")
            current_entries = audit.entries(current)
        elif exists:
            damaged_copy = set_aside(db_path)
        for stale in (work, work_key, Path(f"{work}-wal"), Path(f"{work}-shm")):
            stale.unlink(missing_ok=True)
        # A backup is a closed, self-contained file: copying it is safe (unlike a live db).
        shutil.copyfile(backup_path, work)
        shutil.copyfile(keys.key_file_for(backup_path), work_key)
        restored = open_database(work, passphrase, backup_before_migrate=False)
        try:
            old_entries = audit.entries(restored)
            last = old_entries[-1] if old_entries else None
            if current is None and exists:
                assert damaged_copy is not None
                damaged = _open_damaged(damaged_copy, passphrase)
                current_entries, lost = _salvage_entries(damaged, last.seq if last else 0)
                lost = lost or None
            elif not exists:
                lost = "er was geen database: er waren geen nieuwere auditregels over te nemen"
            carried = _carry(current_entries, last)
            cases = _write_restored(restored, carried, backup_path, user, lost, damaged_copy)
        finally:
            restored.close()
            if damaged is not None:
                damaged.close()
                assert damaged.path is not None
                _remove_scratch(damaged.path)
        # Swap: the old database is closed first (its WAL checkpointed and removed), and no
        # -wal/-shm of it may survive next to the new file.
        if current is not None:
            current.engine.dispose()
        for side in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            side.unlink(missing_ok=True)
        os.replace(work_key, keys.key_file_for(db_path))
        os.replace(work, db_path)
    finally:
        release()
        for leftover in (work, work_key, Path(f"{work}-wal"), Path(f"{work}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return RestoreReport(
        cases=cases,
        carried_entries=len(carried),
        safety_backup=safety,
        damaged_copy=damaged_copy,
        lost=lost,
    )


def _open_damaged(copy: Path, passphrase: str) -> Database | None:
    """A scratch copy of the set-aside file, opened to read what still reads (the guard
    refuses writes: damage is marked at once). A scratch copy, because closing replays the
    WAL into the file and the set-aside copy must stay as it was found."""
    scratch = copy.with_name(copy.name + ".lezen")
    for source, target in ((copy, scratch), (Path(f"{copy}-wal"), Path(f"{scratch}-wal"))):
        if source.exists():
            shutil.copyfile(source, target)
    shutil.copyfile(keys.key_file_for(copy), keys.key_file_for(scratch))
    try:
        db = open_database(scratch, passphrase, migrate=False, check_integrity=False)
    except Exception:
        _remove_scratch(scratch)
        return None
    db.damage = "teruggezet: alleen lezen"
    return db


def _remove_scratch(scratch: Path) -> None:
    for p in (scratch, keys.key_file_for(scratch), Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)


def _write_restored(
    restored: Database,
    carried: list[audit.AuditRecord],
    backup_path: Path,
    user: str | None,
    lost: str | None,
    damaged_copy: Path | None,
) -> int:
    from sqlalchemy import func, select

    from bwo_desktop.models import Herindicatie

    with restored.session() as s:
        for e in carried:
            audit.record(
                s, e.action, e.object_ref, e.result, e.details, e.user,
                time=e.time, os_user=e.os_user, machine=e.machine,
            )  # fmt: skip
        cases = int(s.scalar(select(func.count()).select_from(Herindicatie)) or 0)
        details: dict[str, Any] = {
            "backup": backup_path.name,
            "carried_entries": len(carried),
            "cases": cases,
        }
        if damaged_copy is not None:
            details["damaged_copy"] = damaged_copy.name
        if lost:
            details["lost"] = lost
        audit.record(s, "restore", None, "ok", details, user)
    return cases
