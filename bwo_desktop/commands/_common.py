"""What the database commands share: `--db`, the passphrase from the environment, stdout in
UTF-8, and output file names without a BSN.

The passphrase never comes from an argument (arguments end up in shell history and process
lists): only from `BWO_PASSPHRASE`, and a missing one is one clear Dutch line (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

PASSPHRASE_ENV = "BWO_PASSPHRASE"
NEW_PASSPHRASE_ENV = "BWO_NEW_PASSPHRASE"
PASSPHRASE_EPILOG = (
    f"De wachtwoordzin van de database komt uit de omgevingsvariabele {PASSPHRASE_ENV}."
)


def add_db_argument(parser: argparse.ArgumentParser, *, help_text: str | None = None) -> None:
    """`--db PAD` on a subcommand. Its dest differs from the main parser's --db, so both
    `bwo-desktop --db P export-case` and `bwo-desktop export-case --db P` work."""
    parser.add_argument(
        "--db",
        dest="sub_db",
        metavar="PAD",
        help=help_text or "database-bestand (standaard in de gebruikersmap)",
    )


def add_engine_arguments(parser: argparse.ArgumentParser, *, tariffs_help: str) -> None:
    """`--tariffs FILE.toml` (repeatable), `--no-user-tariffs` and `--rules FILE.toml`: the
    layers of the rules engine (advice-json.md, "Precise rules")."""
    parser.add_argument(
        "--tariffs", metavar="BESTAND.toml", action="append", default=[], help=tariffs_help
    )
    parser.add_argument(
        "--no-user-tariffs",
        action="store_true",
        help="de tarievenmap in de gebruikersmap niet lezen",
    )
    parser.add_argument(
        "--rules", metavar="BESTAND.toml", help="regeldrempels (rules.toml) die voorgaan"
    )


def db_path(args: argparse.Namespace) -> Path:
    chosen = getattr(args, "sub_db", None) or getattr(args, "db", None)
    if chosen:
        return Path(chosen)
    from bwo_desktop import paths

    return paths.default_db_path()


def passphrase(
    env: str = PASSPHRASE_ENV,
    problem: str = "zet de wachtwoordzin van de database in deze omgevingsvariabele",
) -> str:
    """The passphrase from the environment; missing or empty is an InputError (exit 2)."""
    value = os.environ.get(env)
    if not value:
        from bwo_desktop.core.errors import InputError

        raise InputError(env, problem)
    return value


MISSING_DB_HINT = (
    "maak eerst een database aan met bwo-desktop init --db PAD "
    "(of start de app, of gebruik bwo-desktop demo)"
)


def existing_db_path(args: argparse.Namespace) -> Path:
    """The database file of `--db` (or the default one), which must exist: a command never
    creates a database (a mistyped path would otherwise fill a stray new one). Only the
    app and `init` (which check the new passphrase) and `demo` create databases."""
    path = db_path(args).expanduser().absolute()
    if not (path.is_file() and path.stat().st_size > 0):
        from bwo_desktop.services.errors import DatabaseNotFound

        raise DatabaseNotFound(f"database niet gevonden: {path}; {MISSING_DB_HINT}")
    return path


def open_db(args: argparse.Namespace) -> Database:
    """The existing database of `--db` (or the default one), opened with `BWO_PASSPHRASE`."""
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.fileperms import disable_core_dumps

    disable_core_dumps()
    return open_database(existing_db_path(args), passphrase())


def write_stdout(text: str) -> None:
    """Text on stdout in UTF-8 whatever the console code page (Windows)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)


def say(text: str) -> None:
    """One line on stdout (UTF-8)."""
    write_stdout(text + "\n")


def check_out_name(path: Path | str, option: str = "--out") -> Path:
    """An output file whose name carries no BSN (file names end up in mail, logs and
    recent-file lists); refused with one line naming the option."""
    from bwo_desktop.core.bsn import contains_bsn
    from bwo_desktop.core.errors import InputError

    out = Path(path)
    if contains_bsn(out.name):
        raise InputError(option, "de bestandsnaam mag geen BSN bevatten")
    return out
