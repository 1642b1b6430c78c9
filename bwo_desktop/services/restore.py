"""Restore a backup without losing the audit trail (decisions.md): entries written after the
backup are carried over into the restored database, followed by a "restore" entry."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from bwo_desktop.services import audit, keys
from bwo_desktop.services.database import open_database
from bwo_desktop.services.errors import StoreError


@dataclass(frozen=True)
class RestoreReport:
    cases: int
    carried_entries: int
    safety_backup: Path  # the database as it was just before the restore


def restore_backup(
    db_path: Path | str, backup_path: Path | str, passphrase: str, *, user: str | None = None
) -> RestoreReport:
    """Replace the database at `db_path` by the backup (same passphrase for both).

    The current database is first backed up itself ("voor-terugzetten"), so a restore can be
    undone. Works on a copy and swaps files only at the end.
    """
    from sqlalchemy import func, select

    from bwo_desktop.models import Herindicatie

    db_path = Path(db_path).absolute()
    backup_path = Path(backup_path).absolute()
    if not backup_path.exists() or not keys.key_file_for(backup_path).exists():
        raise StoreError(f"back-up of zijn sleutelbestand niet gevonden: {backup_path.name}")
    current = open_database(db_path, passphrase)  # holds the lock throughout
    work = db_path.with_name(db_path.name + ".terugzetten")
    work_key = keys.key_file_for(work)
    try:
        safety = current.backup("voor-terugzetten")
        current_entries = audit.entries(current)
        for stale in (work, work_key, Path(f"{work}-wal"), Path(f"{work}-shm")):
            stale.unlink(missing_ok=True)
        # A backup is a closed, self-contained file: copying it is safe (unlike a live db).
        shutil.copyfile(backup_path, work)
        shutil.copyfile(keys.key_file_for(backup_path), work_key)
        restored = open_database(work, passphrase, backup_before_migrate=False)
        try:
            old_entries = audit.entries(restored)
            last = old_entries[-1] if old_entries else None
            by_seq = {e.seq: e for e in current_entries}
            if last is None:
                carried = current_entries
            elif by_seq.get(last.seq) is not None and by_seq[last.seq].hash == last.hash:
                carried = [e for e in current_entries if e.seq > last.seq]
            else:  # the chains diverged (a backup of another history): go by time
                carried = [e for e in current_entries if e.time > last.time]
            with restored.session() as s:
                for e in carried:
                    audit.record(
                        s, e.action, e.object_ref, e.result, e.details, e.user,
                        time=e.time, os_user=e.os_user, machine=e.machine,
                    )  # fmt: skip
                cases = int(s.scalar(select(func.count()).select_from(Herindicatie)) or 0)
                audit.record(
                    s, "restore", None, "ok",
                    {"backup": backup_path.name, "carried_entries": len(carried), "cases": cases},
                    user,
                )  # fmt: skip
        finally:
            restored.close()
        # Swap: the old database is closed first (its WAL checkpointed and removed), and no
        # -wal/-shm of it may survive next to the new file.
        current.engine.dispose()
        for side in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            side.unlink(missing_ok=True)
        os.replace(work_key, keys.key_file_for(db_path))
        os.replace(work, db_path)
    finally:
        current.close()
        for leftover in (work, work_key, Path(f"{work}-wal"), Path(f"{work}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return RestoreReport(cases=cases, carried_entries=len(carried), safety_backup=safety)
