"""Is the database file whole? SQLCipher's HMAC check of every page at open, the typed errors
that tell a damaged file from a foreign key file, a full disk and a read-only folder, and the
guard that refuses every write once damage is known.

Why the HMAC check tells the cases apart: with the right key only damaged pages fail; with
the key of another database every page fails (measured: a flipped page 1 fails page 1 only).
"""

from __future__ import annotations

import errno
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DBAPIError

from bwo_desktop.services.errors import (
    DatabaseCorrupt,
    DatabaseDamaged,
    DiskFull,
    FolderNotWritable,
    KeyFileMismatch,
    StoreError,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bwo_desktop.services.database import Database

PAGE_SIZE = 4096  # SQLCipher 4 default; the app never changes it
_PAGE = re.compile(r"page (\d+)")
_WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})
_DAMAGE_WORDS = ("malformed", "file is not a database", "not a database", "corrupt")
_NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


def _raw_connection(path: Path, data_key: bytes) -> Any:
    """A bare SQLCipher connection: only the key, none of the engine's set-up pragmas (those
    read page 1 and would fail before the check could tell why)."""
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    return conn


def cipher_failures(path: Path, data_key: bytes) -> list[str]:
    """The pages that fail SQLCipher's HMAC (`PRAGMA cipher_integrity_check`); [] when whole.
    Reads every page of the main file, not the WAL."""
    conn = _raw_connection(path, data_key)
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    finally:
        conn.close()


def quick_check(engine: Engine) -> list[str]:
    """SQLite's structure check (`PRAGMA quick_check`): [] when "ok"."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        rows = [str(row[0]) for row in raw.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def damaged_pages(failures: list[str]) -> list[int]:
    return sorted({int(m[1]) for f in failures if (m := _PAGE.search(f))})


def describe_pages(pages: list[int]) -> str:
    if not pages:
        return "de controle van de pagina's faalt"
    shown = ", ".join(str(p) for p in pages[:5]) + (" …" if len(pages) > 5 else "")
    return f"{len(pages)} beschadigde pagina('s): {shown}"


def check_pages(path: Path, data_key: bytes) -> None:
    """Raise KeyFileMismatch when no page reads with this key, DatabaseDamaged when some do
    not, a disk error when the file cannot be read at all."""
    import sqlcipher3.dbapi2 as sqlcipher

    try:
        failures = cipher_failures(path, data_key)
    except sqlcipher.DatabaseError as exc:
        raise translate_db_error(exc, path.parent) from exc
    if not failures:
        return
    pages = damaged_pages(failures)
    total = max(1, path.stat().st_size // PAGE_SIZE)
    if len(pages) >= total:
        raise KeyFileMismatch()
    raise DatabaseDamaged(describe_pages(pages))


class PageCheck:
    """`check_pages` on a thread of its own, so the app loads its list meanwhile. Until it
    is done every write waits for it (the guard); `wait()` raises what it found."""

    def __init__(self, db: Database, path: Path, data_key: bytes) -> None:
        self._db = db
        self._done = threading.Event()
        self.error: StoreError | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path, data_key), name="bwo-page-check", daemon=True
        )
        self._thread.start()

    def _run(self, path: Path, data_key: bytes) -> None:
        try:
            check_pages(path, data_key)
        except DatabaseDamaged as exc:
            self.error = exc
            self._db.damage = exc.detail
        except StoreError as exc:
            self.error = exc
            self._db.damage = str(exc)
        except Exception as exc:  # never leave a waiting write hanging
            self.error = DatabaseCorrupt(f"de controle van de database mislukte ({exc})")
        finally:
            self._done.set()

    def join(self) -> None:
        self._done.wait()

    def wait(self) -> None:
        self._done.wait()
        if self.error is not None:
            raise self.error


def check_readable(engine: Engine, path: Path) -> None:
    """The cheap check (the schema page decrypts) for opens that skip the full one."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except SADatabaseError as exc:
        raise translate_db_error(exc, path.parent) from exc


def translate_os_error(exc: OSError, folder: Path | str | None = None) -> StoreError | None:
    """A full disk or a folder we may not write, as its own Dutch line; None otherwise."""
    if folder is None and exc.filename:
        folder = Path(str(exc.filename)).parent
    where = str(folder or "")
    if exc.errno == errno.ENOSPC:
        return DiskFull(where)
    if exc.errno in _NOT_WRITABLE:
        return FolderNotWritable(where)
    return None


def translate_db_error(exc: BaseException, folder: Path | str | None = None) -> StoreError:
    """SQLite's messages mapped to the typed errors (SQLITE_FULL, READONLY, CANTOPEN,
    NOTADB/CORRUPT)."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    where = str(folder or "")
    if "disk is full" in message or "database or disk is full" in message:
        return DiskFull(where)
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return FolderNotWritable(where)
    if any(word in message for word in _DAMAGE_WORDS):
        return DatabaseDamaged("de database kan niet worden gelezen")
    return DatabaseCorrupt(f"de database kan niet worden gelezen ({message})")


def install_guards(db: Database) -> None:
    """On this database's engine: a damage or disk error met while working is translated
    (and damage remembered), and once damage is known every write is refused."""
    engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_writes(
        _conn: Any, _cursor: Any, statement: str, _params: Any, _ctx: Any, _many: bool
    ) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb not in _WRITE_VERBS:
            return
        if db.integrity_check is not None:
            db.integrity_check.wait()  # no write before the page check is done
        if db.damage is not None:
            raise DatabaseDamaged(db.damage)

    @event.listens_for(engine, "handle_error")
    def _translate(ctx: Any) -> StoreError | None:
        original = ctx.original_exception
        if isinstance(original, StoreError):
            return original
        if not isinstance(ctx.sqlalchemy_exception, DBAPIError):
            return None
        translated = translate_db_error(original, db.path.parent if db.path else None)
        if isinstance(translated, DatabaseDamaged):
            db.damage = db.damage or "een pagina is onleesbaar"
            return DatabaseDamaged(db.damage)
        if isinstance(translated, (DiskFull, FolderNotWritable)):
            return translated
        return None
