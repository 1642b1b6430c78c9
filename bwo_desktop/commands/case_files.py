"""`export-case --db P --reference K --out F` and `import-case F --db P [--replace]`.

The case file format is spec/case-file.md. An import validates the whole file first (the
strict parser) and stores nothing when anything is wrong; the service then refuses an
existing kenmerk unless --replace and the stored case is not definitief. The database
passphrase comes from the environment variable BWO_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PASSPHRASE_ENV = "BWO_PASSPHRASE"


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    # dest differs from the main parser's --db, so `bwo-desktop --db P export-case` works too.
    parser.add_argument(
        "--db",
        dest="sub_db",
        metavar="PAD",
        help="database-bestand (standaard in de gebruikersmap)",
    )
    if name == "export-case":
        parser.add_argument(
            "--reference", required=True, metavar="KENMERK", help="kenmerk van de casus"
        )
        parser.add_argument(
            "--out",
            required=True,
            metavar="FILE.json",
            help="het casusbestand dat wordt geschreven",
        )
    else:
        parser.add_argument("case", metavar="FILE.json", help="het casusbestand")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="een bestaande casus met hetzelfde kenmerk vervangen (niet als die definitief is)",
        )
    parser.epilog = (
        f"De wachtwoordzin van de database komt uit de omgevingsvariabele {PASSPHRASE_ENV}."
    )


def _passphrase() -> str:
    from bwo_desktop.core.errors import InputError

    value = os.environ.get(PASSPHRASE_ENV)
    if not value:
        raise InputError(
            PASSPHRASE_ENV, "zet de wachtwoordzin van de database in deze omgevingsvariabele"
        )
    return value


def _db_path(args: argparse.Namespace) -> Path:
    from bwo_desktop import paths

    chosen = getattr(args, "sub_db", None) or getattr(args, "db", None)
    return Path(chosen) if chosen else paths.default_db_path()


def _say(text: str) -> None:
    """One line on stdout in UTF-8 whatever the console code page (Windows)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write((text + "\n").encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text + "\n")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _export(args: argparse.Namespace) -> int:
    from bwo_desktop.core.casefile import case_file_text, case_to_file_dict, parse_case_file
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.audit import settings_user
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    passphrase = _passphrase()
    with open_database(_db_path(args), passphrase) as db:
        service = CaseService(db, user=settings_user())
        case = service.get_by_reference(args.reference)
        if case is None:
            raise InputError("--reference", f"geen casus met kenmerk {args.reference}")
        # A file that would not import again is no export: check it with the strict parser.
        try:
            parse_case_file(case_to_file_dict(case))
        except InputError as exc:
            raise InputError(
                exc.field,
                f"de casus is nog niet compleet genoeg voor een casusbestand: {exc.problem}",
            ) from exc
        out = Path(args.out)
        _write_atomic(out, case_file_text(case))
        service.record_export(case.id or "", out.name, "casusbestand")
    _say(str(out))
    return 0


def _import(args: argparse.Namespace) -> int:
    from bwo_desktop.core.casefile import load_case_file
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services import audit
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    # Everything is validated before the database is touched: nothing is stored on error.
    case = load_case_file(args.case)
    passphrase = _passphrase()
    source = Path(args.case).name
    user = audit.settings_user()
    with open_database(_db_path(args), passphrase, create=True) as db:
        try:
            stored = CaseService(db, user=user).import_case(
                case, replace=args.replace, source=source
            )
        except InputError as exc:
            # Refused by the database side (kenmerk exists, birth date differs): on record.
            audit.record(
                db,
                "import",
                case.reference,
                "geweigerd",
                {"file": audit.safe_file_name(source), "cases": 0, "field": exc.field},
                user,
            )
            raise
    _say(f"geïmporteerd: {stored.reference}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "export-case":
        return _export(args)
    return _import(args)
