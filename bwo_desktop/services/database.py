"""Open the app's database: SQLCipher file with key file and lock, or PostgreSQL by URL.

On open the schema is brought to head: a file at an older revision is first copied aside
(an encrypted `VACUUM INTO` copy with its key file in `<db dir>/backups`), then upgraded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from bwo_desktop.models import Meta, migrate
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import keys
from bwo_desktop.services.errors import (
    DatabaseCorrupt,
    DatabaseInUse,
    DatabaseNewer,
    DatabaseNotFound,
    DatabaseOutdated,
    KeyFileError,
    StoreError,
    WrongPassphrase,
)
from bwo_desktop.services.lock import DatabaseLock

__all__ = [
    "BackupInfo",
    "Database",
    "DatabaseCorrupt",
    "DatabaseInUse",
    "DatabaseNewer",
    "DatabaseNotFound",
    "DatabaseOutdated",
    "KeyFileError",
    "WrongPassphrase",
    "backups_dir_for",
    "change_passphrase",
    "list_backups",
    "open_database",
    "open_url",
]

BUSY_TIMEOUT_MS = 5000
# Page cache per connection (negative: KiB). SQLCipher decrypts every page it reads, so a
# cache that holds the case list's index and the clients saves most of that work.
CACHE_SIZE = -32768
_BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)-(?P<reason>[a-z0-9-]+)\.db$"
)


def backups_dir_for(db_path: Path) -> Path:
    """`<db dir>/backups` (for the default database this is `paths.backups_dir()`)."""
    return Path(db_path).parent / "backups"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime  # UTC, from the name
    reason: str
    size: int


class Database:
    """An open database. Use `session()` for short transactions; `close()` when done."""

    def __init__(
        self,
        engine: Engine,
        *,
        path: Path | None = None,
        lock: DatabaseLock | None = None,
        backups_dir: Path | None = None,
    ) -> None:
        self.engine = engine
        self.path = path
        self.backups_dir = backups_dir
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.open_seconds = 0.0
        self.migrated_from: str | None = None  # revision before an upgrade on open
        self.pre_migration_backup: Path | None = None

    # -- basics -------------------------------------------------------------------------
    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One short transaction: commits on success, rolls back on an exception."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.session() as s:
            return get_meta(s, key, default)

    def set_meta(self, key: str, value: Any) -> None:
        with self.session() as s:
            set_meta(s, key, value)

    @property
    def is_demo(self) -> bool:
        return bool(self.get_meta("is_demo", False))

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return migrate.current_revision(conn)

    # -- backups --------------------------------------------------------------------------
    def backup_to(self, target: Path | str) -> Path:
        """A consistent, encrypted copy (SQLite `VACUUM INTO`, same data key) plus its key
        file. Never a file copy: the WAL holds committed pages the main file lacks yet."""
        if self.path is None or self.dialect != "sqlite":
            raise StoreError("back-up alleen voor een lokaal databasebestand (PostgreSQL: pg_dump)")
        target = Path(target)
        if target.exists():
            raise StoreError(f"bestaat al: {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.unlink(missing_ok=True)
        with self.engine.connect() as conn:
            # Straight to the driver: VACUUM cannot run inside the transaction SQLAlchemy
            # would begin.
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("VACUUM INTO ?", (str(tmp),))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        keys.write_key_file(
            keys.key_file_for(target), keys.read_key_file(keys.key_file_for(self.path))
        )
        return target

    def backup(self, reason: str = "handmatig") -> Path:
        """A timestamped backup in the backups folder: `<stem>-YYYYMMDD-HHMMSS-<reason>.db`."""
        if self.path is None:
            raise StoreError("back-up alleen voor een lokaal databasebestand")
        folder = self.backups_dir or backups_dir_for(self.path)
        reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "backup"
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{self.path.stem}-{stamp}-{reason}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{self.path.stem}-{stamp}-{n}-{reason}.db"
        return self.backup_to(target)

    # -- schema ---------------------------------------------------------------------------
    def _prepare_schema(self, *, migrate_allowed: bool, backup_before_migrate: bool) -> None:
        try:
            with self.engine.connect() as conn:
                current = migrate.current_revision(conn)
                table_count = len([t for t in _table_names(conn) if t != "alembic_version"])
        except SADatabaseError as exc:
            raise DatabaseCorrupt(
                "de database kan niet worden gelezen: beschadigd, of het sleutelbestand "
                "hoort er niet bij"
            ) from exc
        head = migrate.head_revision()
        if current == head:
            return
        if current is not None and current not in migrate.known_revisions():
            raise DatabaseNewer(current)
        if current is None and table_count:
            raise DatabaseCorrupt("dit is geen database van bwo-desktop")
        if not migrate_allowed:
            raise DatabaseOutdated(
                f"het databaseschema ({current or 'leeg'}) is ouder dan het programma ({head})"
            )
        if current is not None and backup_before_migrate and self.path is not None:
            self.pre_migration_backup = self.backup(f"voor-migratie-{current}")
        with self.engine.begin() as conn:
            migrate.upgrade(conn)
        self.migrated_from = current


def _table_names(conn: Any) -> list[str]:
    from sqlalchemy import inspect

    return list(inspect(conn).get_table_names())


def get_meta(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Meta, key)
    return default if row is None else row.value


def set_meta(session: Session, key: str, value: Any) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value


def _sqlcipher_engine(path: Path, data_key: bytes) -> Engine:
    import sqlcipher3.dbapi2 as sqlcipher

    key_pragma = f"PRAGMA key = \"x'{data_key.hex()}'\""
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher,
        hide_parameters=True,  # an error's text must never carry BSNs or health notes
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Transactions are ours (BEGIN below), not the driver's guesswork: DDL in
        # migrations is then transactional too.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher writes to stderr otherwise
        cur.execute(key_pragma)
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA cache_size = {CACHE_SIZE}")
        cur.execute("PRAGMA journal_mode = WAL")
        # A committed save survives a power cut.
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE: take the write lock at the start. A deferred transaction that reads and
        # then writes fails at once with "database is locked" when another thread (autosave
        # vs. the list refresh) committed in between; busy_timeout only helps at BEGIN.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _check_readable(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except SADatabaseError as exc:
        raise DatabaseCorrupt(
            "de database kan niet worden ontsleuteld: het sleutelbestand hoort er niet bij, "
            "of het bestand is beschadigd"
        ) from exc


def open_database(
    path: Path | str,
    passphrase: str,
    *,
    create: bool = False,
    migrate: bool = True,
    backup_before_migrate: bool = True,
    backups_dir: Path | None = None,
) -> Database:
    """Open (or with `create`, make) the encrypted database file at `path`.

    Raises DatabaseNotFound, KeyFileError, DatabaseInUse, WrongPassphrase, DatabaseCorrupt,
    DatabaseNewer, DatabaseOutdated (when `migrate` is False and the schema is older).
    """
    started = time.perf_counter()
    path = Path(path).expanduser().absolute()
    key_path = keys.key_file_for(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseNotFound(f"database niet gevonden: {path}")
    if exists and not key_path.exists():
        raise KeyFileError(f"het sleutelbestand ontbreekt naast de database: {key_path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = DatabaseLock(path)
    lock.acquire()
    engine: Engine | None = None
    try:
        if exists or key_path.exists():
            # A key file without a database (the file was moved away): reuse it only with
            # the right passphrase, never silently replace it.
            data_key = keys.unlock_key_file(key_path, passphrase, upgrade=True)
        else:
            data_key = keys.create_key_file(key_path, passphrase)
        engine = _sqlcipher_engine(path, data_key)
        _check_readable(engine)
        db = Database(engine, path=path, lock=lock, backups_dir=backups_dir)
        db._prepare_schema(migrate_allowed=migrate, backup_before_migrate=backup_before_migrate)
    except BaseException:
        if engine is not None:
            engine.dispose()
        lock.release()
        raise
    db.open_seconds = time.perf_counter() - started
    return db


def open_url(url: str, *, migrate: bool = True) -> Database:
    """A server database (PostgreSQL), e.g. `postgresql+psycopg://user:pw@host/db`. No
    encryption or lock here: the server does access control; backups are the DBA's."""
    started = time.perf_counter()
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    db = Database(engine)
    try:
        db._prepare_schema(migrate_allowed=migrate, backup_before_migrate=False)
    except BaseException:
        engine.dispose()
        raise
    db.open_seconds = time.perf_counter() - started
    return db


def list_backups(db_path: Path | str, backups_dir: Path | None = None) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    db_path = Path(db_path)
    folder = backups_dir or backups_dir_for(db_path)
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for p in folder.glob("*.db"):
        m = _BACKUP_NAME.match(p.name)
        if not m or m["stem"] != db_path.stem:
            continue
        stamp = m["stamp"][:15]
        created = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
        found.append(BackupInfo(p, created, m["reason"], p.stat().st_size))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def change_passphrase(
    path: Path | str, old: str, new: str, *, backups_dir: Path | None = None
) -> int:
    """Rewrap the data key with a new passphrase (the database itself is unchanged).

    Backups in the backups folder wrapped with the old passphrase are rewrapped too, so a
    restore needs only the current passphrase. Returns how many backup key files changed.
    """
    problem = keys.check_passphrase_strength(new)
    if problem:
        raise StoreError(problem)
    path = Path(path)
    key_path = keys.key_file_for(path)
    if not path.exists():
        raise DatabaseNotFound(f"database niet gevonden: {path}")
    keys.rewrap_key_file(key_path, old, new)
    changed = 0
    for info in list_backups(path, backups_dir):
        backup_key = keys.key_file_for(info.path)
        with contextlib.suppress(WrongPassphrase, KeyFileError):
            keys.rewrap_key_file(backup_key, old, new)
            changed += 1
    return changed


# Re-exported for callers that catch everything the open can raise.
OPEN_ERRORS: tuple[type[Exception], ...] = (
    DatabaseNotFound,
    DatabaseInUse,
    DatabaseNewer,
    DatabaseOutdated,
    DatabaseCorrupt,
    KeyFileError,
    WrongPassphrase,
)
