"""`backup create|list|restore --db PATH [BACKUP]`: encrypted backups beside the database.

The passphrase comes from BWO_PASSPHRASE. A backup carries its own key file; restore keeps
the audit trail (entries newer than the backup are carried over, then a "restore" entry)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("action", choices=["create", "list", "restore"],
                        help="create: nu een back-up maken; list: back-ups tonen; restore: terugzetten")  # fmt: skip
    parser.add_argument("backup", nargs="?", metavar="BACK-UP",
                        help="bij restore: het back-upbestand (.db)")  # fmt: skip
    parser.add_argument("--db", dest="sub_db", metavar="PAD",
                        help="database-bestand (standaard in de gebruikersmap)")  # fmt: skip
    parser.epilog = "De wachtwoordzin komt uit de omgevingsvariabele BWO_PASSPHRASE."


def _say(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write((text + "\n").encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text + "\n")


def run(args: argparse.Namespace) -> int:
    from bwo_desktop import paths
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.database import list_backups, open_database

    chosen = getattr(args, "sub_db", None) or getattr(args, "db", None)
    path = Path(chosen) if chosen else paths.default_db_path()
    if args.action == "list":
        found = list_backups(path)
        if not found:
            _say("Geen back-ups gevonden.")
        for b in found:
            _say(f"{b.created:%Y-%m-%d %H:%M} UTC  {b.reason:<24} {b.size / 1e6:8.1f} MB  {b.path}")
        return 0
    passphrase = os.environ.get("BWO_PASSPHRASE")
    if not passphrase:
        raise InputError(
            "BWO_PASSPHRASE", "zet de wachtwoordzin van de database in deze omgevingsvariabele"
        )
    if args.action == "create":
        with open_database(path, passphrase) as db:
            target = db.backup("handmatig")
        _say(f"Back-up gemaakt: {target}")
        return 0
    if not args.backup:
        raise InputError("backup", "geef het back-upbestand dat moet worden teruggezet")
    from bwo_desktop.services.restore import restore_backup

    report = restore_backup(path, Path(args.backup), passphrase)
    _say(
        f"Teruggezet: {report.cases} casussen; {report.carried_entries} auditregels overgenomen. "
        f"De database van vóór het terugzetten staat in {report.safety_backup}"
    )
    return 0
