"""`import-planning FILE.xlsx --db PATH [--dry-run]` and `import-planning --template OUT.xlsx`.

The planning list is checked completely first; any error (in a row, or against the
database) means exit status 2, one "rij N: kolom: reden" line per problem on stderr and
nothing imported. The database must exist (the app or `demo` makes one): a mistyped --db
is refused, not created. The passphrase comes from the environment variable BWO_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import os
import sys

from bwo_desktop.commands._common import (
    PASSPHRASE_ENV,
    PASSPHRASE_EPILOG,
    add_db_argument,
    check_out_name,
    db_path,
    existing_db_path,
    open_db,
    say,
)

EXIT_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE.xlsx", help="de planningslijst")
    add_db_argument(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="alleen tonen wat er zou gebeuren; niets opslaan"
    )
    parser.add_argument(
        "--template", metavar="OUT.xlsx", help="een leeg sjabloon met de verwachte kolommen maken"
    )
    parser.add_argument(
        "--consultant",
        metavar="NAAM",
        help="consulent bij de nieuwe casussen (standaard uit de instellingen)",
    )
    parser.epilog = PASSPHRASE_EPILOG


def _err(line: str) -> None:
    sys.stderr.write(f"bwo-desktop import-planning: {line}\n")


def _consultant(args: argparse.Namespace) -> str:
    if args.consultant and args.consultant.strip():
        return str(args.consultant.strip())
    try:
        from bwo_desktop.settings import load_settings

        name = load_settings().consultant_name
    except Exception:  # a broken settings file must not block an import: fall back below
        name = ""
    if name:
        return name
    from bwo_desktop.core.errors import InputError

    raise InputError(
        "--consultant", "geef de naam van de consulent (of zet die in de instellingen)"
    )


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.planning_service import (
        PlanningImportError,
        import_planning,
        preview_planning,
        read_planning_file,
        write_planning_template,
    )

    if args.template:
        if args.file:
            raise InputError("--template", "geef een sjabloon of een planningslijst, niet beide")
        out = check_out_name(args.template, "--template")
        if out.suffix.lower() != ".xlsx":
            raise InputError("--template", "de bestandsnaam moet eindigen op .xlsx")
        write_planning_template(out)
        say(f"sjabloon geschreven: {out}")
        return 0
    if not args.file:
        raise InputError("FILE.xlsx", "geef de planningslijst (of --template OUT.xlsx)")
    existing_db_path(args)  # refused before the list is read: nothing goes into a new file

    read = read_planning_file(args.file)  # PlanningFileError (whole file refused) -> exit 2
    if read.errors:
        for error in read.errors:
            _err(str(error))
        _err(f"{len(read.errors)} fout(en); niets geïmporteerd")
        _audit_refused(args, read.file_name, len(read.errors))
        return EXIT_INPUT

    consultant = "" if args.dry_run else _consultant(args)
    with open_db(args) as db:
        if args.dry_run:
            report = preview_planning(db, read.rows, file_name=read.file_name)
        else:
            try:
                report = import_planning(
                    db, read.rows, consultant_name=consultant, file_name=read.file_name
                )
            except PlanningImportError as exc:
                report = exc.report
    if report.errors:
        for error in report.errors:
            _err(str(error))
        _err(f"{len(report.errors)} fout(en); niets geïmporteerd")
        return EXIT_INPUT
    for outcome in report.outcomes:
        say(outcome.describe())
    say(report.summary())
    return 0


def _audit_refused(args: argparse.Namespace, file_name: str, errors: int) -> None:
    """A refused file is logged when the database can be opened; never fatal."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        return
    try:
        from bwo_desktop.services.database import open_database
        from bwo_desktop.services.planning_service import record_refused_file

        path = db_path(args)
        if not path.exists():
            return
        with open_database(path, passphrase) as db:
            record_refused_file(db, file_name, errors)
    except Exception:  # logging a refusal must not hide the refusal itself
        return
