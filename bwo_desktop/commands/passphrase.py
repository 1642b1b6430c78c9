"""`passphrase change --db PATH [--nieuwe-sleutel]`: rewrap the database key with a new
passphrase; with `--nieuwe-sleutel` also a new data key for the database and its backups.

The current passphrase comes from BWO_PASSPHRASE, the new one from BWO_NEW_PASSPHRASE (never
from an argument: arguments end up in shell history and process lists)."""

from __future__ import annotations

import argparse
import sys

from bwo_desktop.commands._common import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    add_db_argument,
    db_path,
    passphrase,
    say,
)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("action", choices=["change"], help="change: wachtwoordzin wijzigen")
    parser.add_argument(
        "--nieuwe-sleutel",
        dest="new_key",
        action="store_true",
        help="ook een nieuwe gegevenssleutel: een oude kopie van het sleutelbestand opent de "
        "database dan niet meer; de back-ups worden omgezet (opnieuw uitvoeren hervat)",
    )
    add_db_argument(parser)
    parser.epilog = f"Huidige wachtwoordzin in {PASSPHRASE_ENV}, de nieuwe in {NEW_PASSPHRASE_ENV}."


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.services import audit, rekey
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.safety import SafetyService

    new = passphrase(
        NEW_PASSPHRASE_ENV, problem="zet de nieuwe wachtwoordzin in deze omgevingsvariabele"
    )
    path = db_path(args)
    user = audit.settings_user()
    if args.new_key and rekey.pending(path):
        # An interrupted key change is finished before the open (the database may already
        # be on the new key while its key file is not); only the new passphrase is needed.
        report = rekey.change_key(path, new, new)
        with open_database(path, new) as db:
            details = {"backups": len(report.converted), "new_key": True, "resumed": True}
            audit.record(db, "passphrase_change", None, details=details, user=user)
            backups = len(report.converted)
            problems = SafetyService(CaseService(db, user=user)).backup_key_problems()
    else:
        old = passphrase(problem="zet de huidige wachtwoordzin in deze omgevingsvariabele")
        # Through the open database, as the app does: the change is in the audit log.
        with open_database(path, old) as db:
            safety = SafetyService(CaseService(db, user=user))
            backups = safety.change_passphrase(old, new, new_key=args.new_key)
            problems = safety.backup_key_problems()
    if args.new_key:
        say(f"Nieuwe sleutel en wachtwoordzin ingesteld; {backups} back-up(s) omgezet.")
    else:
        say(f"Wachtwoordzin gewijzigd; ook {backups} back-up(s) omgezet.")
    for backup, note in problems.items():
        print(f"let op: back-up {backup.name}: {note}", file=sys.stderr)
    return 0
