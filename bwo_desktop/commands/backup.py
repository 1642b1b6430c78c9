"""`backup create|list|restore --db PATH [BACKUP]`: encrypted backups beside the database.

The passphrase comes from BWO_PASSPHRASE. A backup carries its own key file; restore keeps
the audit trail (entries newer than the backup are carried over, then a "restore" entry)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bwo_desktop.commands._common import (
    PASSPHRASE_EPILOG,
    add_db_argument,
    db_path,
    passphrase,
    say,
)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("action", choices=["create", "list", "restore"],
                        help="create: nu een back-up maken; list: back-ups tonen; restore: terugzetten")  # fmt: skip
    parser.add_argument("backup", nargs="?", metavar="BACK-UP",
                        help="bij restore: het back-upbestand (.db)")  # fmt: skip
    add_db_argument(parser)
    parser.epilog = PASSPHRASE_EPILOG


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.database import list_backups, open_database

    path = db_path(args)
    if args.action == "list":
        from bwo_desktop.services.rekey import backup_key_problems, pending

        found = list_backups(path)
        if not found:
            say("Geen back-ups gevonden.")
        problems = backup_key_problems(path)  # never a silent mix of keys
        for b in found:
            note = f"  LET OP: {problems[b.path]}" if b.path in problems else ""
            say(
                f"{b.created:%Y-%m-%d %H:%M} UTC  {b.reason:<24} {b.size / 1e6:8.1f} MB  {b.path}{note}"
            )
        if pending(path):
            say(
                "Sleutelwissel onderbroken: voer 'passphrase change --nieuwe-sleutel' opnieuw uit om hem af te maken."
            )
        return 0
    secret = passphrase()
    if args.action == "create":
        from bwo_desktop.services import audit

        with open_database(path, secret) as db:
            target = db.backup("handmatig")
            details = {"file": audit.safe_file_name(target), "reason": "handmatig"}
            audit.record(db, "backup", None, details=details, user=audit.settings_user())
        say(f"Back-up gemaakt: {target}")
        return 0
    if not args.backup:
        raise InputError("backup", "geef het back-upbestand dat moet worden teruggezet")
    from bwo_desktop.services.restore import restore_backup

    report = restore_backup(path, Path(args.backup), secret)
    say(f"Teruggezet: {report.cases} casussen; {report.carried_entries} auditregels overgenomen.")
    if report.safety_backup is not None:
        say(f"De database van vóór het terugzetten staat in {report.safety_backup}")
    if report.damaged_copy is not None:
        say(f"De beschadigde database is bewaard als {report.damaged_copy}")
    if report.lost:
        say(f"Niet overgenomen: {report.lost}")
    return 0
