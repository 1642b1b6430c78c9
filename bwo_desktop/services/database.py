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

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from bwo_desktop.models import Meta, migrate
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import fileperms, integrity, keys, outbox
from bwo_desktop.services.errors import (
    DatabaseCorrupt,
    DatabaseDamaged,
    DatabaseInUse,
    DatabaseNewer,
    DatabaseNotFound,
    DatabaseOutdated,
    DiskFull,
    FolderNotWritable,
    KeyFileError,
    KeyFileMismatch,
    StoreError,
    WrongPassphrase,
)
from bwo_desktop.services.lock import DatabaseLock

__all__ = [
    "BackupInfo",
    "Database",
    "DatabaseCorrupt",
    "DatabaseDamaged",
    "DatabaseInUse",
    "DatabaseNewer",
    "DatabaseNotFound",
    "DatabaseOutdated",
    "DiskFull",
    "FolderNotWritable",
    "KeyFileError",
    "KeyFileMismatch",
    "WrongPassphrase",
    "backups_dir_for",
    "change_passphrase",
    "list_backups",
    "open_database",
    "open_url",
]

BUSY_TIMEOUT_MS = 5000
READ_ONLY_OPTION = "bwo_read_only"  # execution option of the read sessions
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
        outbox.install(self._sessions)  # team mode: every change queued in its transaction
        # Reads run in a deferred transaction (WAL: they never wait for a writer); writes
        # take the write lock at BEGIN (IMMEDIATE), where busy_timeout can wait for it.
        self._read_sessions = sessionmaker(
            engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False
        )
        self.open_seconds = 0.0
        self.migrated_from: str | None = None  # revision before an upgrade on open
        self.pre_migration_backup: Path | None = None
        # Set once damage is known (integrity check, a malformed page met later): from then
        # on every write is refused (services/integrity.install_guards).
        self.damage: str | None = None
        self.integrity_check: Any = None  # a running integrity.PageCheck ("background")

    # -- basics -------------------------------------------------------------------------
    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One short write transaction: commits on success, rolls back on an exception.
        On SQLite it begins IMMEDIATE: the write lock is taken (or waited for, up to the
        busy timeout) at the start, so a read-then-write never fails half-way."""
        with self._sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """One short read transaction (deferred): a consistent snapshot that never waits for
        a writer in another connection (WAL). Do not write in it."""
        with self._read_sessions.begin() as session:
            yield session

    def close(self) -> None:
        if self.integrity_check is not None:
            self.integrity_check.join()  # its reader must let go before files are swapped
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def wait_integrity(self) -> None:
        """Wait for a background page check (open_database(check_integrity="background"));
        raises DatabaseDamaged (or KeyFileMismatch) when it found damage."""
        if self.integrity_check is not None:
            self.integrity_check.wait()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.read() as s:
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
        if self.damage is not None:
            # A copy of a damaged file is no backup, and VACUUM stops at the bad page anyway.
            raise DatabaseDamaged(self.damage)
        target = Path(target)
        if target.exists():
            raise StoreError(f"bestaat al: {target}")
        tmp = target.with_name(target.name + ".tmp")
        try:
            self._copy_into(target, tmp)
        except OSError as exc:
            for partial in (tmp, target, keys.key_file_for(target)):
                with contextlib.suppress(OSError):
                    partial.unlink(missing_ok=True)
            raise integrity.translate_os_error(exc, target.parent) or exc from exc
        return target

    def _copy_into(self, target: Path, tmp: Path) -> None:
        assert self.path is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        head = self._audit_head()  # read first: the copy holds at least this much
        with self.engine.connect() as conn:
            # Straight to the driver: VACUUM cannot run inside the transaction SQLAlchemy
            # would begin.
            raw = conn.connection.driver_connection
            assert raw is not None
            try:
                raw.execute("VACUUM INTO ?", (str(tmp),))
            except Exception as exc:  # the driver's own error, not SQLAlchemy's
                translated = integrity.translate_db_error(exc, target.parent)
                if isinstance(translated, DatabaseDamaged):
                    self.damage = self.damage or translated.detail
                raise translated from exc
        fileperms.make_private(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        keys.write_key_file(
            keys.key_file_for(target), keys.read_key_file(keys.key_file_for(self.path))
        )
        if head is not None:
            from bwo_desktop.services import witnesses

            witnesses.record_backup(target, head, self.backups_dir or backups_dir_for(self.path))

    def _audit_head(self) -> Any:
        """The audit chain's head for the backup's witness; None before the schema exists
        (the backup before a migration of a very old file)."""
        from bwo_desktop.services import audit

        try:
            return audit.chain_head(self)
        except SADatabaseError:
            return None

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

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the open file under a new raw data key (SQLCipher `PRAGMA rekey`, one
        transaction: a crash leaves it on the old key or the new) and reconnect with that
        key. The key file is the caller's (services/rekey.py)."""
        if self.path is None or self.dialect != "sqlite":
            raise StoreError("alleen voor een lokaal databasebestand")
        self.wait_integrity()  # raises what a background page check found
        if self.damage is not None:
            raise DatabaseDamaged(self.damage)
        self.engine.dispose()  # no pooled connection may keep reading with the old key
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            try:
                raw.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            except Exception as exc:  # the driver's own error (disk full, damage)
                raise integrity.translate_db_error(exc, self.path.parent) from exc
        self.engine.dispose()
        self.engine = _sqlcipher_engine(self.path, new_key)
        self._sessions.configure(bind=self.engine)
        self._read_sessions.configure(
            bind=self.engine.execution_options(**{READ_ONLY_OPTION: True})
        )
        integrity.install_guards(self)

    # -- schema ---------------------------------------------------------------------------
    def _prepare_schema(self, *, migrate_allowed: bool, backup_before_migrate: bool) -> None:
        try:
            with self.engine.connect() as conn:
                current = migrate.current_revision(conn)
                table_count = len([t for t in _table_names(conn) if t != "alembic_version"])
        except SADatabaseError as exc:
            # The key is right (page 1 decrypted): what fails now is damage or the disk.
            raise integrity.translate_db_error(
                exc, self.path.parent if self.path else None
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
        # Writes: IMMEDIATE, the write lock at the start. A deferred transaction that reads
        # and then writes fails at once with "database is locked" when another thread
        # committed in between; busy_timeout only helps at BEGIN. Reads (Database.read):
        # deferred, so a read never waits while another connection writes.
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_database(
    path: Path | str,
    passphrase: str,
    *,
    create: bool = False,
    migrate: bool = True,
    backup_before_migrate: bool = True,
    backups_dir: Path | None = None,
    check_integrity: bool | str = True,
) -> Database:
    """Open (or with `create`, make) the encrypted database file at `path`.

    With `check_integrity` every page's HMAC is checked first (services/integrity): a
    damaged file is refused before anything is written into it. Only a restore opens a
    damaged file without it, to read what audit entries it still can. "background" runs the
    check on a thread while the caller reads (the app loads its list): every write waits
    for it, and `wait_integrity()` raises what it found.

    Raises DatabaseNotFound, KeyFileError, DatabaseInUse, WrongPassphrase, KeyFileMismatch,
    DatabaseDamaged, DatabaseCorrupt, DiskFull, FolderNotWritable, DatabaseNewer,
    DatabaseOutdated (when `migrate` is False and the schema is older).
    """
    try:
        return _open_database(
            path,
            passphrase,
            create=create,
            migrate=migrate,
            backup_before_migrate=backup_before_migrate,
            backups_dir=backups_dir,
            check_integrity=check_integrity,
        )
    except OSError as exc:
        translated = integrity.translate_os_error(exc)
        if translated is None:
            raise
        raise translated from exc


def _open_database(
    path: Path | str,
    passphrase: str,
    *,
    create: bool,
    migrate: bool,
    backup_before_migrate: bool,
    backups_dir: Path | None,
    check_integrity: bool | str,
) -> Database:
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
        if check_integrity is True and exists:
            integrity.check_pages(path, data_key)
        if not path.exists():
            # Private from the start (SQLite gives its WAL and SHM the database's mode).
            os.close(fileperms.create_private(path))
        engine = _sqlcipher_engine(path, data_key)
        integrity.check_readable(engine, path)
        for own in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            fileperms.make_private(own)  # files of older versions; Windows: the user's DACL
        db = Database(engine, path=path, lock=lock, backups_dir=backups_dir)
        integrity.install_guards(db)
        if check_integrity == "background" and exists:
            db.integrity_check = integrity.PageCheck(db, path, data_key)
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
    DatabaseDamaged,
    KeyFileMismatch,
    DiskFull,
    FolderNotWritable,
    KeyFileError,
    WrongPassphrase,
)
