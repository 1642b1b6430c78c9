"""Files that hold client data are the user's only (issue 12): 0600 on POSIX; on Windows a
protected DACL with one entry, full control for the user (read back with `icacls`)."""

from __future__ import annotations

import contextlib
import getpass
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.services import fileperms, keys
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database


@contextlib.contextmanager
def _client_data_files(tmp_path: Path) -> Iterator[list[Path]]:
    """A database with a case and a backup, kept open (WAL and SHM exist): its files."""
    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        CaseService(db, user="t").create(sample_case(0))
        backup = db.backup("handmatig")
        files = [
            path,
            Path(f"{path}-wal"),
            Path(f"{path}-shm"),
            keys.key_file_for(path),
            backup,
            keys.key_file_for(backup),
        ]
        assert all(f.exists() for f in files)
        yield files


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_database_wal_shm_and_backups_are_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual default: new files 0644 unless made private
    try:
        with _client_data_files(tmp_path) as files:
            modes = {f.name: oct(f.stat().st_mode & 0o777) for f in files}
    finally:
        os.umask(old)
    assert modes == {f.name: "0o600" for f in files}


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_older_database_is_tightened_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True):
        pass
    path.chmod(0o644)  # as made by a version before this one
    with open_database(path, PASSPHRASE):
        assert path.stat().st_mode & 0o777 == 0o600


def _icacls_entries(path: Path) -> list[str]:
    out = subprocess.run(["icacls", str(path)], capture_output=True, text=True, check=True).stdout
    # "<path> DOMAIN\\user:(F)" then one entry per line, then a blank line and a summary.
    block = out.split("\n\n", 1)[0].strip().splitlines()
    first = block[0][len(str(path)) :].strip()
    return [first] + [line.strip() for line in block[1:] if line.strip()]


@pytest.mark.skipif(sys.platform != "win32", reason="Windows ACLs (icacls)")
def test_windows_files_have_one_entry_full_control_for_the_user(tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    fileperms.write_private_atomic(exported, b"{}")
    with _client_data_files(tmp_path) as files:
        for file in [*files, exported]:
            entries = _icacls_entries(file)
            assert len(entries) == 1, (file.name, entries)
            assert entries[0].lower().endswith(f"{getpass.getuser().lower()}:(f)"), entries
            assert "(I)" not in entries[0]  # not inherited from the folder
