"""`init --db PAD`: make an empty encrypted database, for a laptop that starts with an
imported planning rather than demo data.

The passphrase comes from BWO_PASSPHRASE, else it is asked twice on the terminal (never an
argument: arguments end up in shell history and process lists); the one strength rule of
set-up applies. An existing database, a key file already at that place, a missing or a
read-only folder are refused with one Dutch line (exit 2) before anything is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bwo_desktop.commands._common import PASSPHRASE_ENV, add_db_argument, say


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_db_argument(parser, help_text="het nieuwe databasebestand (verplicht)")
    parser.epilog = (
        f"De wachtwoordzin komt uit {PASSPHRASE_ENV}; zonder die variabele wordt hij twee keer "
        "gevraagd. Daarna: bwo-desktop import-planning BESTAND.xlsx --db PAD."
    )


def _target(args: argparse.Namespace) -> Path:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.keys import key_file_for

    # No default here: `init` without --db would silently make the default database.
    chosen = getattr(args, "sub_db", None) or getattr(args, "db", None)
    if not chosen:
        raise InputError("--db", "geef het pad van de nieuwe database")
    path = Path(chosen).expanduser().absolute()
    if path.exists():
        raise InputError("--db", f"er bestaat al een bestand op {path}; kies een nieuwe naam")
    if key_file_for(path).exists():
        raise InputError(
            "--db",
            f"er staat al een sleutelbestand {key_file_for(path).name}; kies een nieuwe naam",
        )
    folder = path.parent
    if not folder.is_dir():
        raise InputError("--db", f"de map {folder} bestaat niet; maak die eerst aan")
    _check_writable(folder)
    return path


def _check_writable(folder: Path) -> None:
    """A probe file, not os.access: access() says yes to root and ignores Windows ACLs."""
    import tempfile

    from bwo_desktop.services.errors import FolderNotWritable

    try:
        handle, probe = tempfile.mkstemp(prefix=".bwo-init-", dir=folder)
    except OSError:
        raise FolderNotWritable(str(folder)) from None
    os.close(handle)
    os.unlink(probe)


def _new_passphrase() -> str:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.keys import check_passphrase_strength

    value = os.environ.get(PASSPHRASE_ENV)
    if not value:
        if not sys.stdin.isatty():
            raise InputError(
                PASSPHRASE_ENV, "zet de nieuwe wachtwoordzin in deze omgevingsvariabele"
            )
        import getpass

        value = getpass.getpass("Nieuwe wachtwoordzin: ")
        problem = check_passphrase_strength(value)
        if problem is None and getpass.getpass("Herhaal de wachtwoordzin: ") != value:
            raise InputError("", "de twee wachtwoordzinnen verschillen; niets aangemaakt")
        where = ""
    else:
        problem = check_passphrase_strength(value)
        where = PASSPHRASE_ENV
    if problem is not None:
        raise InputError(where, problem)
    return value


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.fileperms import disable_core_dumps

    path = _target(args)
    passphrase = _new_passphrase()
    disable_core_dumps()
    open_database(path, passphrase, create=True, backup_before_migrate=False).close()
    say(f"Lege database aangemaakt: {path}")
    say(f"Importeer de planning met: bwo-desktop import-planning BESTAND.xlsx --db {path}")
    return 0
