"""Private files and no core dumps: what holds client data is readable by the user only.

POSIX: new files are created 0600, exclusively, never through a symlink. Windows: files
inherit the ACL of the user's profile folder (private by default); an explicit user-only
DACL via ctypes is not coded yet. Core dumps are switched off for the process on POSIX; on
Windows `SetErrorMode` suppresses the crash dialog (Windows Error Reporting's full
minidumps are a machine policy, LocalDumps, not settable per process).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

PRIVATE_MODE = 0o600


def disable_core_dumps() -> None:
    """A crash must not write the process memory (keys, passphrase, case data) to disk."""
    if sys.platform == "win32":
        import ctypes

        sem_failcriticalerrors, sem_nogpfaulterrorbox = 0x0001, 0x0002
        ctypes.windll.kernel32.SetErrorMode(sem_failcriticalerrors | sem_nogpfaulterrorbox)  # type: ignore[attr-defined]
        return
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def create_private(path: Path) -> int:
    """A new file opened for writing: exclusive (fails if anything, even a symlink, is there)
    and 0600 on POSIX. Returns the file descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    return os.open(path, flags, PRIVATE_MODE)


def make_private(path: Path) -> None:
    """Tighten an existing file (e.g. SQLite's WAL) to the user only, where the OS allows."""
    if sys.platform != "win32":
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, PRIVATE_MODE)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write via an exclusive private temp file beside `path`, fsync, then replace: a crash
    or error leaves the old file or the new one, and no temp file with the content."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)  # a leftover of a crash (or a planted symlink): not followed
    try:
        with os.fdopen(create_private(tmp), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
