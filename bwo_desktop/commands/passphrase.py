"""`passphrase change --db PATH`: rewrap the database key with a new passphrase.

The current passphrase comes from BWO_PASSPHRASE, the new one from BWO_NEW_PASSPHRASE (never
from an argument: arguments end up in shell history and process lists)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("action", choices=["change"], help="change: wachtwoordzin wijzigen")
    parser.add_argument("--db", dest="sub_db", metavar="PAD",
                        help="database-bestand (standaard in de gebruikersmap)")  # fmt: skip
    parser.epilog = "Huidige wachtwoordzin in BWO_PASSPHRASE, de nieuwe in BWO_NEW_PASSPHRASE."


def run(args: argparse.Namespace) -> int:
    from bwo_desktop import paths
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.database import change_passphrase

    chosen = getattr(args, "sub_db", None) or getattr(args, "db", None)
    path = Path(chosen) if chosen else paths.default_db_path()
    old = os.environ.get("BWO_PASSPHRASE")
    new = os.environ.get("BWO_NEW_PASSPHRASE")
    if not old:
        raise InputError(
            "BWO_PASSPHRASE", "zet de huidige wachtwoordzin in deze omgevingsvariabele"
        )
    if not new:
        raise InputError(
            "BWO_NEW_PASSPHRASE", "zet de nieuwe wachtwoordzin in deze omgevingsvariabele"
        )
    backups = change_passphrase(path, old, new)
    sys.stdout.write(f"Wachtwoordzin gewijzigd; ook {backups} back-up(s) omgezet.\n")
    return 0
