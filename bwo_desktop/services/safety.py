"""Data-safety actions the app's menus offer on the open database: list and restore backups,
change the passphrase, read the audit log of one case.

The main window gets one of these from the composition root (it does not import services).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.services import audit, keys
from bwo_desktop.services.database import BackupInfo, change_passphrase, list_backups
from bwo_desktop.services.errors import StoreError

if TYPE_CHECKING:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import Database
    from bwo_desktop.services.restore import RestoreReport


class SafetyService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases

    @property
    def db(self) -> Database:
        return self.cases.db

    @property
    def user(self) -> str | None:
        return self.cases.user

    def _path(self) -> Path:
        if self.db.path is None:
            raise StoreError("alleen voor een lokaal databasebestand")
        return self.db.path

    @staticmethod
    def passphrase_problem(passphrase: str) -> str | None:
        return keys.check_passphrase_strength(passphrase)

    def list_backups(self) -> list[BackupInfo]:
        return list_backups(self._path(), self.db.backups_dir)

    def audit_entries(self, reference: str) -> list[audit.AuditRecord]:
        return audit.entries(self.db, object_ref=reference)

    def change_passphrase(self, old: str, new: str, *, new_key: bool = False) -> int:
        """Rewrap the key file (and the backups' key files) while the database stays open:
        the data key itself does not change. With `new_key` the database and its backups are
        re-encrypted under a fresh data key (services/rekey.py; an interrupted one is resumed
        by calling this again with the same new passphrase). Returns how many backups were
        rewrapped or converted."""
        from bwo_desktop.services import rekey

        if new_key:
            report = rekey.change_key(
                self._path(), old, new, backups_dir=self.db.backups_dir, db=self.db
            )
            changed = len(report.converted)
            details: dict[str, object] = {"backups": changed, "new_key": True}
            if report.unreadable:
                details["unreadable"] = len(report.unreadable)
        elif rekey.pending(self._path(), self.db.backups_dir):
            raise StoreError(
                "een sleutelwissel is onderbroken; maak die eerst af (wijzigen met nieuwe sleutel)"
            )
        else:
            changed = change_passphrase(self._path(), old, new, backups_dir=self.db.backups_dir)
            details = {"backups": changed}
        audit.record(self.db, "passphrase_change", None, details=details, user=self.user)
        return changed

    def backup_key_problems(self) -> dict[Path, str]:
        """Backups on another key than the database (shown beside them in the list)."""
        from bwo_desktop.services import rekey

        return rekey.backup_key_problems(self._path(), self.db.backups_dir)

    def rekey_pending(self) -> bool:
        """An interrupted key change (the app may offer to finish it)."""
        from bwo_desktop.services import rekey

        return rekey.pending(self._path(), self.db.backups_dir)

    def restore(self, backup: Path, passphrase: str) -> RestoreReport:
        """Close the open database (the restore needs its lock) and put the backup in its
        place. The app must be restarted afterwards: this database object is closed."""
        from bwo_desktop.services.restore import restore_backup

        path = self._path()
        # A wrong passphrase is refused while the database is still open.
        keys.unlock_key_file(keys.key_file_for(path), passphrase)
        keys.unlock_key_file(keys.key_file_for(backup), passphrase)
        self.db.close()
        return restore_backup(path, backup, passphrase, user=self.user)
