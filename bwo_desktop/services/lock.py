"""One app instance per database: `<db>.lock`, held with an OS file lock for the lifetime of
the open database. The file says who holds it (pid, host); a lock file left behind by a
crashed process is stale (the OS released its lock) and is taken over."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO, Any

from bwo_desktop.services.errors import DatabaseInUse

# Windows: lock a byte far beyond the content, so others can still read who holds it.
_WIN_LOCK_OFFSET = 1 << 20


def lock_file_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _try_os_lock(fh: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WIN_LOCK_OFFSET)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            fh.seek(0)
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_unlock(fh: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WIN_LOCK_OFFSET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def read_lock_info(path: Path) -> dict[str, Any]:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


class DatabaseLock:
    """Held while a database is open. `release()` is idempotent."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_file_for(db_path)
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        for _ in range(5):
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open
            if not _try_os_lock(fh):
                fh.close()
                info = read_lock_info(self.path)
                raise DatabaseInUse(info.get("host"), info.get("pid"))
            # The holder may have removed the file between our open and our lock: then we
            # locked an orphan and must start again on the new file.
            try:
                same = os.path.samestat(os.fstat(fh.fileno()), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:
                _os_unlock(fh)
                fh.close()
                continue
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
            fh.flush()
            self._fh = fh
            return
        raise DatabaseInUse()

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        with contextlib.suppress(OSError):
            if sys.platform != "win32":
                # Unlink while still locked: a waiting opener then sees a changed file.
                self.path.unlink()
        _os_unlock(fh)
        fh.close()
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()

    @property
    def held(self) -> bool:
        return self._fh is not None
