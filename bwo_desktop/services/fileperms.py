"""Private files and no core dumps: what holds client data is readable by the user only.

POSIX: new files are created 0600, exclusively, never through a symlink; existing ones are
tightened to 0600. Windows: the same files get a protected DACL (no inherited entries) with
one entry, full control for the user of the process token (advapi32 via ctypes). Core dumps
are switched off for the process on POSIX; on Windows `SetErrorMode` suppresses the crash
dialog (Windows Error Reporting's full minidumps are a machine policy, LocalDumps, not
settable per process).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

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
    """A new file opened for writing: exclusive (fails if anything, even a symlink, is there),
    0600 on POSIX and the user-only DACL on Windows (set while the file is still empty).
    Returns the file descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_MODE)
    if sys.platform == "win32":
        try:
            restrict_to_user(path)
        except BaseException:
            os.close(fd)
            Path(path).unlink(missing_ok=True)
            raise
    return fd


def make_private(path: Path) -> None:
    """Tighten an existing file (the database, SQLite's WAL and SHM, a backup) to the user
    only. A file that is not there (yet) is left alone."""
    if sys.platform == "win32":
        if Path(path).exists():
            restrict_to_user(path)
        return
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_MODE)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write via an exclusive private temp file beside `path`, fsync, then replace: a crash
    or error leaves the old file or the new one, and no temp file with the content. (On
    Windows the rename keeps the temp file's own DACL.)"""
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


# --- Windows: a DACL for the user only ------------------------------------------------------

_TOKEN_QUERY = 0x0008
_TOKEN_USER_CLASS = 1  # TOKEN_INFORMATION_CLASS.TokenUser
_ACL_REVISION = 2
_FILE_ALL_ACCESS = 0x001F01FF
_SE_FILE_OBJECT = 1
_DACL_SECURITY_INFORMATION = 0x00000004
_PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000  # no entries inherited from the folder


def restrict_to_user(path: Path) -> None:
    """Replace the file's DACL by one entry: full control for the process token's user, with
    inheritance from the folder switched off (Administrators and other users lose access;
    an administrator can still take ownership, which Windows always allows). Windows only.
    Raises OSError with the Windows error code."""
    import ctypes
    from ctypes import wintypes as w

    advapi32, kernel32 = _windows_libraries()
    token = w.HANDLE()
    if not advapi32.OpenProcessToken(
        kernel32.GetCurrentProcess(), _TOKEN_QUERY, ctypes.byref(token)
    ):
        raise _windows_error(path)
    try:
        size = w.DWORD(0)
        advapi32.GetTokenInformation(token, _TOKEN_USER_CLASS, None, 0, ctypes.byref(size))
        if size.value == 0:
            raise _windows_error(path)
        buffer = ctypes.create_string_buffer(size.value)
        if not advapi32.GetTokenInformation(
            token, _TOKEN_USER_CLASS, buffer, size, ctypes.byref(size)
        ):
            raise _windows_error(path)
        # TOKEN_USER starts with SID_AND_ATTRIBUTES, whose first member is the PSID.
        sid = ctypes.c_void_p.from_buffer(buffer).value
        # sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) - sizeof(SidStart) + the SID, DWORD-aligned.
        acl_size = (8 + 12 - 4 + int(advapi32.GetLengthSid(sid)) + 3) & ~3
        acl = ctypes.create_string_buffer(acl_size)
        if not advapi32.InitializeAcl(acl, acl_size, _ACL_REVISION):
            raise _windows_error(path)
        if not advapi32.AddAccessAllowedAceEx(acl, _ACL_REVISION, 0, _FILE_ALL_ACCESS, sid):
            raise _windows_error(path)
        status = int(
            advapi32.SetNamedSecurityInfoW(
                str(path),
                _SE_FILE_OBJECT,
                _DACL_SECURITY_INFORMATION | _PROTECTED_DACL_SECURITY_INFORMATION,
                None,
                None,
                acl,
                None,
            )
        )
        if status != 0:  # it returns the error code itself, not via GetLastError
            raise _windows_error(path, status)
    finally:
        kernel32.CloseHandle(token)


def _windows_libraries() -> tuple[Any, Any]:
    """advapi32 and kernel32 with their argument and result types declared: without them
    ctypes passes 64-bit handles and pointers as 32-bit ints."""
    import ctypes
    from ctypes import wintypes as w

    advapi32: Any = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32: Any = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle_p, dword_p = ctypes.POINTER(w.HANDLE), ctypes.POINTER(w.DWORD)
    void_p = ctypes.c_void_p
    for lib, name, args, result in (
        (advapi32, "OpenProcessToken", [w.HANDLE, w.DWORD, handle_p], w.BOOL),
        (
            advapi32,
            "GetTokenInformation",
            [w.HANDLE, ctypes.c_int, void_p, w.DWORD, dword_p],
            w.BOOL,
        ),
        (advapi32, "GetLengthSid", [void_p], w.DWORD),
        (advapi32, "InitializeAcl", [void_p, w.DWORD, w.DWORD], w.BOOL),
        (advapi32, "AddAccessAllowedAceEx", [void_p, w.DWORD, w.DWORD, w.DWORD, void_p], w.BOOL),
        (
            advapi32,
            "SetNamedSecurityInfoW",
            [w.LPWSTR, ctypes.c_int, w.DWORD, void_p, void_p, void_p, void_p],
            w.DWORD,
        ),
        (kernel32, "GetCurrentProcess", [], w.HANDLE),
        (kernel32, "CloseHandle", [w.HANDLE], w.BOOL),
    ):
        function = getattr(lib, name)
        function.argtypes, function.restype = args, result
    return advapi32, kernel32


def _windows_error(path: Path, code: int | None = None) -> OSError:
    """The Windows error as an OSError (winerror set, so errno is mapped as usual)."""
    import ctypes

    getter: Any = getattr(ctypes, "get_last_error", lambda: 0)  # Windows only
    winerror = code if code is not None else int(getter())
    return OSError(
        None, f"toegangsrechten niet te beperken (Windows-fout {winerror})", str(path), winerror
    )
