"""`passphrase change --db PATH`: rewrap the database key with a new passphrase.

The current passphrase comes from BWO_PASSPHRASE, the new one from BWO_NEW_PASSPHRASE (never
from an argument: arguments end up in shell history and process lists)."""

from __future__ import annotations

import argparse

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
    add_db_argument(parser)
    parser.epilog = f"Huidige wachtwoordzin in {PASSPHRASE_ENV}, de nieuwe in {NEW_PASSPHRASE_ENV}."


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.services import audit
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.safety import SafetyService

    old = passphrase(problem="zet de huidige wachtwoordzin in deze omgevingsvariabele")
    new = passphrase(
        NEW_PASSPHRASE_ENV, problem="zet de nieuwe wachtwoordzin in deze omgevingsvariabele"
    )
    # Through the open database, as the app does: the change is on record in the audit log.
    with open_database(db_path(args), old) as db:
        backups = SafetyService(CaseService(db, user=audit.settings_user())).change_passphrase(
            old, new
        )
    say(f"Wachtwoordzin gewijzigd; ook {backups} back-up(s) omgezet.")
    return 0
