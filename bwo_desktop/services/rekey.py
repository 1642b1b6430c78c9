"""A new data key (`passphrase change --nieuwe-sleutel`): the database is re-encrypted under a
fresh random key (SQLCipher `PRAGMA rekey`), so an old copy of the key file and passphrase
no longer opens it, and every backup is converted to the new key too.

The conversion is resumable. Before anything changes, a journal beside the backups holds
both keys (wrapped under the NEW passphrase) and the backups already done; a crash midway
is finished by running the same change again. While a journal exists, `backup list` says
so (and any backup whose key file names another key than the database's is marked).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwo_desktop.services import fileperms, integrity, keys
from bwo_desktop.services.database import backups_dir_for, list_backups
from bwo_desktop.services.errors import (
    DatabaseDamaged,
    DatabaseNotFound,
    StoreError,
    WrongPassphrase,
)
from bwo_desktop.services.lock import DatabaseLock

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

JOURNAL_FORMAT = "bwo-rekey/1"
NEW_PASSPHRASE_ENV = "BWO_NEW_PASSPHRASE"  # as commands/_common.py (services import no commands)
MAX_JOURNAL_BYTES = 1024 * 1024


@dataclass
class RekeyReport:
    converted: list[str] = field(default_factory=list)  # backup names now on the new key
    unreadable: list[str] = field(default_factory=list)  # open with neither key: left as is
    resumed: bool = False


def journal_for(db_path: Path | str, backups_dir: Path | None = None) -> Path:
    db_path = Path(db_path)
    return (backups_dir or backups_dir_for(db_path)) / f"{db_path.stem}.sleutelwissel.json"


def pending(db_path: Path | str, backups_dir: Path | None = None) -> bool:
    """True while an interrupted key change still has backups to convert."""
    return journal_for(db_path, backups_dir).exists()


def change_key(
    path: Path | str,
    old: str,
    new: str,
    *,
    backups_dir: Path | None = None,
    db: Database | None = None,
) -> RekeyReport:
    """New passphrase AND new data key for the database and its backups. With `db` (the open
    database of the app) the file is re-keyed through it and it stays usable; without, the
    file must not be open elsewhere (its lock is taken). An interrupted change is resumed
    (then `new` must be the same new passphrase; `old` is not needed any more)."""
    problem = keys.check_passphrase_strength(new)
    if problem:
        raise StoreError(problem)
    path = Path(path)
    if not path.exists():
        raise DatabaseNotFound(f"database niet gevonden: {path}")
    if db is not None:
        # A damaged file is never re-keyed: refused before the journal exists.
        db.wait_integrity()
        if db.damage is not None:
            raise DatabaseDamaged(db.damage)
    journal = journal_for(path, backups_dir)
    if journal.exists():
        return _resume(path, new, journal, backups_dir, db)
    old_key = keys.unlock_key_file(keys.key_file_for(path), old)
    new_key = secrets.token_bytes(keys.DATA_KEY_BYTES)
    state: dict[str, Any] = {
        "format": JOURNAL_FORMAT,
        "keys": keys.wrap_secret(old_key + new_key, new),
        "new_key_id": keys.key_id(new_key),
        "done": [],
    }
    _write_journal(journal, state)
    return _run(path, new, old_key, new_key, state, journal, backups_dir, db, RekeyReport())


class KeyChangeInterrupted(StoreError):
    """At start: a key change was interrupted and the passphrase typed is not its new one."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "een wijziging van de sleutel is onderbroken (de database staat misschien al op "
            "de nieuwe sleutel); typ de nieuwe wachtwoordzin die u toen koos, dan wordt de "
            "wijziging afgemaakt, of maak hem af op de opdrachtregel met "
            f'bwo-desktop passphrase change --nieuwe-sleutel --db "{path}" '
            f"(de nieuwe wachtwoordzin in {NEW_PASSPHRASE_ENV})"
        )


def finish_at_open(
    path: Path | str, passphrase: str, backups_dir: Path | None = None
) -> RekeyReport | None:
    """Before the app opens the database: finish an interrupted key change when `passphrase`
    is its new one (the database may be on the new key while the key file is still old).
    None when nothing is pending or the passphrase is not the new one (the caller opens as
    usual and raises KeyChangeInterrupted if that fails)."""
    path = Path(path)
    journal = journal_for(path, backups_dir)
    if not journal.exists():
        return None
    state = _read_journal(journal)
    try:
        both = _unwrap_keys(state, passphrase, journal)
    except WrongPassphrase:
        return None
    return _run(
        path, passphrase, *both, state, journal, backups_dir, None, RekeyReport(resumed=True)
    )


def _unwrap_keys(state: dict[str, Any], new: str, journal: Path) -> tuple[bytes, bytes]:
    both = keys.unwrap_secret(state["keys"], new)
    if len(both) != 2 * keys.DATA_KEY_BYTES:
        raise StoreError(f"het journaal van de sleutelwissel is beschadigd: {journal.name}")
    return both[: keys.DATA_KEY_BYTES], both[keys.DATA_KEY_BYTES :]


def _resume(
    path: Path, new: str, journal: Path, backups_dir: Path | None, db: Database | None
) -> RekeyReport:
    state = _read_journal(journal)
    try:
        old_key, new_key = _unwrap_keys(state, new, journal)
    except WrongPassphrase:
        raise StoreError(
            "een eerdere sleutelwissel is onderbroken; voer hem opnieuw uit met dezelfde "
            "nieuwe wachtwoordzin"
        ) from None
    report = RekeyReport(resumed=True)
    return _run(path, new, old_key, new_key, state, journal, backups_dir, db, report)


def _run(
    path: Path,
    new: str,
    old_key: bytes,
    new_key: bytes,
    state: dict[str, Any],
    journal: Path,
    backups_dir: Path | None,
    db: Database | None,
    report: RekeyReport,
) -> RekeyReport:
    # The database first, every time (idempotent: a file already on the new key is left).
    if db is not None:
        db.rekey(new_key)
    else:
        lock = DatabaseLock(path)
        lock.acquire()
        try:
            if convert_file(path, old_key, new_key) is None:
                raise StoreError("de database opent met geen van beide sleutels; niets gewijzigd")
        finally:
            lock.release()
    main_key_file = keys.key_file_for(path)
    keys.write_key_file(main_key_file, keys.wrap_key(new_key, new))
    document = keys.read_key_file(main_key_file)
    done: list[str] = state["done"]
    for info in sorted(list_backups(path, backups_dir), key=lambda b: b.path.name):
        name = info.path.name
        if name in done:
            continue
        outcome = convert_file(info.path, old_key, new_key)
        if outcome is None:
            report.unreadable.append(name)
            continue
        # The backup's key file follows its data: the database's, with the new key.
        keys.write_key_file(keys.key_file_for(info.path), document)
        done.append(name)
        report.converted.append(name)
        _write_journal(journal, state)
    journal.unlink()
    return report


def _reads(conn: Any) -> bool:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:  # the driver's "file is not a database": not this key
        return False
    return True


def convert_file(path: Path, old_key: bytes, new_key: bytes) -> bool | None:
    """Put one database file on the new key: True when re-keyed now, False when it already
    was, None when it opens with neither key (damaged, or another database's)."""
    for key, rekey in ((new_key, False), (old_key, True)):
        conn = integrity._raw_connection(path, key)
        try:
            if not _reads(conn):
                continue
            if rekey:
                try:
                    conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
                except Exception as exc:  # the driver's own error (disk full, read-only)
                    raise integrity.translate_db_error(exc, path.parent) from exc
            return rekey
        finally:
            conn.close()
    return None


def _write_journal(journal: Path, state: dict[str, Any]) -> None:
    journal.parent.mkdir(parents=True, exist_ok=True)
    fileperms.write_private_atomic(journal, (json.dumps(state, indent=2) + "\n").encode())


def _read_journal(journal: Path) -> dict[str, Any]:
    try:
        if journal.stat().st_size > MAX_JOURNAL_BYTES:
            raise ValueError("te groot")
        state = json.loads(journal.read_text(encoding="utf-8"))
        if state.get("format") != JOURNAL_FORMAT or not isinstance(state.get("done"), list):
            raise ValueError("formaat")
    except (OSError, ValueError, AttributeError) as exc:
        raise StoreError(
            f"het journaal van de sleutelwissel is onleesbaar: {journal.name}"
        ) from exc
    return dict(state)


def backup_key_problems(db_path: Path | str, backups_dir: Path | None = None) -> dict[Path, str]:
    """Backups on another data key than the database's, by the key id in their key files
    (files from before key ids are judged only while a key change is pending): path -> a
    Dutch note for `backup list`, so keys are never mixed silently."""
    db_path = Path(db_path)
    try:
        current = keys.read_key_file(keys.key_file_for(db_path)).get("key_id")
    except StoreError:
        current = None
    journal = journal_for(db_path, backups_dir)
    state: dict[str, Any] | None = None
    if journal.exists():
        try:
            state = _read_journal(journal)
        except StoreError:
            state = {"done": [], "new_key_id": None}
    notes: dict[Path, str] = {}
    for info in list_backups(db_path, backups_dir):
        try:
            theirs = keys.read_key_file(keys.key_file_for(info.path)).get("key_id")
        except StoreError:
            notes[info.path] = "sleutelbestand ontbreekt of is onleesbaar"
            continue
        if state is not None and info.path.name not in state["done"]:
            if theirs is None or theirs != state.get("new_key_id"):
                notes[info.path] = "nog op de oude sleutel (sleutelwissel onderbroken)"
        elif current and theirs and theirs != current:
            notes[info.path] = "andere sleutel dan de database"
    return notes
