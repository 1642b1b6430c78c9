"""Automatic backups: one a day (at the first open on a new day), kept in a rotating set.

Which backups stay is decided by `rotate`, a pure function of the backups and today's date:

- daily backups ("dagelijks"): the newest of each of the last 7 days that have one, plus the
  newest of each of the last 4 ISO weeks that have one;
- every other kind (before a migration, manual, before a restore) separately: the newest 5 of
  each kind. A backup whose reason is not one of ours is never removed.

Days are local days (the consultant's "today"); backup names carry UTC times.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.services import keys
from bwo_desktop.services.database import BackupInfo, list_backups
from bwo_desktop.services.witnesses import sidecar_for

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

log = logging.getLogger(__name__)

DAILY_REASON = "dagelijks"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_OTHER = 5

# reason -> kind; a kind keeps its own newest KEEP_OTHER.
_KINDS: tuple[tuple[str, str], ...] = (
    ("voor-migratie", "migratie"),
    ("handmatig", "handmatig"),
    ("voor-terugzetten", "terugzetten"),
)


def backup_kind(reason: str) -> str | None:
    """The kind: "dagelijks", "migratie", "handmatig", "terugzetten", or None (not ours: kept)."""
    if reason == DAILY_REASON:
        return DAILY_REASON
    for prefix, kind in _KINDS:
        if reason == prefix or reason.startswith(prefix + "-"):
            return kind
    return None


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


_COUNTER = re.compile(r"-\d{8}-\d{6}-(\d+)-")


def _age_key(b: BackupInfo) -> tuple[dt.datetime, int]:
    """Newer sorts higher; two backups in one second are told apart by the name's counter."""
    m = _COUNTER.search(b.path.name)
    return b.created, int(m[1]) if m else 1


@dataclass(frozen=True)
class Rotation:
    keep: list[BackupInfo]
    remove: list[BackupInfo]


def rotate(
    backups: Iterable[BackupInfo],
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    other: int = KEEP_OTHER,
    day_of: Callable[[dt.datetime], dt.date] = _local_day,
) -> Rotation:
    """Split backups into those to keep and those to remove (both newest first)."""
    ordered = sorted(backups, key=_age_key, reverse=True)
    keep: set[Path] = set()
    days_seen: set[dt.date] = set()
    weeks_seen: set[tuple[int, int]] = set()
    per_kind: dict[str, int] = {}
    for b in ordered:
        kind = backup_kind(b.reason)
        if kind is None:
            keep.add(b.path)
        elif kind == DAILY_REASON:
            day = day_of(b.created)
            iso = day.isocalendar()
            week = (iso.year, iso.week)
            if day not in days_seen and len(days_seen) < daily:
                keep.add(b.path)
            if week not in weeks_seen and len(weeks_seen) < weekly:
                keep.add(b.path)
            days_seen.add(day)
            weeks_seen.add(week)
        else:
            n = per_kind.get(kind, 0)
            if n < other:
                keep.add(b.path)
            per_kind[kind] = n + 1
    return Rotation(
        keep=[b for b in ordered if b.path in keep],
        remove=[b for b in ordered if b.path not in keep],
    )


def remove_backups(backups: Sequence[BackupInfo]) -> int:
    """Delete backup files with their key files; returns how many went."""
    removed = 0
    for b in backups:
        try:
            b.path.unlink(missing_ok=True)
            keys.key_file_for(b.path).unlink(missing_ok=True)
            # The head log keeps its line: the witness outlives the backup.
            sidecar_for(b.path).unlink(missing_ok=True)
        except OSError as exc:  # a virus scanner holding the file: try again next time
            log.warning("oude back-up niet verwijderd: %s", type(exc).__name__)
            continue
        removed += 1
    return removed


def prune(db_path: Path, backups_dir: Path | None = None) -> int:
    """Apply the rotation to the backups folder of this database."""
    return remove_backups(rotate(list_backups(db_path, backups_dir)).remove)


@dataclass(frozen=True)
class DailyBackup:
    path: Path | None  # None: there was one today already
    removed: int
    seconds: float


def ensure_daily_backup(
    db: Database,
    today: dt.date | None = None,
    *,
    day_of: Callable[[dt.datetime], dt.date] = _local_day,
) -> DailyBackup:
    """The day's backup, made at the first open on a new day, then the rotation. Nothing for a
    database without a file (PostgreSQL: the server's backups apply)."""
    started = time.perf_counter()
    if db.path is None or db.dialect != "sqlite":
        return DailyBackup(None, 0, 0.0)
    today = today or dt.date.today()
    existing = list_backups(db.path, db.backups_dir)
    made: Path | None = None
    if not any(b.reason == DAILY_REASON and day_of(b.created) == today for b in existing):
        made = db.backup(DAILY_REASON)
    removed = prune(db.path, db.backups_dir)
    return DailyBackup(made, removed, time.perf_counter() - started)
