"""`export-case --db P --reference K --out F` and `import-case F --db P [--replace]`.

The case file format is spec/case-file.md. An import validates the whole file first (the
strict parser) and stores nothing when anything is wrong; the service then refuses an
existing kenmerk unless --replace and the stored case is not definitief. The database
must exist (the app or `demo` makes one): a mistyped --db is refused, not created. The
database passphrase comes from the environment variable BWO_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.commands._common import (
    PASSPHRASE_EPILOG,
    add_db_argument,
    check_out_name,
    existing_db_path,
    open_db,
    passphrase,
    say,
)

if TYPE_CHECKING:
    from bwo_desktop.core.case import Case


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_db_argument(parser)
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
    parser.epilog = PASSPHRASE_EPILOG


def _write_atomic(path: Path, text: str) -> None:
    from bwo_desktop.services.fileperms import write_private_atomic

    write_private_atomic(path, text.encode("utf-8"))


def _export(args: argparse.Namespace) -> int:
    from bwo_desktop.core.casefile import case_file_text, case_to_file_dict, parse_case_file
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.audit import settings_user
    from bwo_desktop.services.cases import CaseService

    out = check_out_name(args.out)
    with open_db(args) as db:
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
        _write_atomic(out, case_file_text(case))
        try:
            service.record_export(case.id or "", out.name, "casusbestand")
        except BaseException:
            out.unlink(missing_ok=True)  # an export the audit log does not know of is no export
            raise
    say(str(out))
    return 0


def _freeze_decision(case: Case) -> None:
    """A definitief case is stored with its decision (the advise output) and the tariff
    tables it was computed with, as the app stores a case it makes definitief: the Excel
    overview and the toewijzingen read the frozen decision. The case file carries no
    decision, so it is computed the way `beschikking` does (the file's `tariffs_used`
    when present); an assessment the engine refuses is refused here, before anything is
    stored."""
    from bwo_desktop import paths
    from bwo_desktop.core.assessment_json import advice_to_json
    from bwo_desktop.core.rules import builtin_rules_dict, load_rules
    from bwo_desktop.core.tariffs import tariff_table_to_dict
    from bwo_desktop.exports.case_advice import advice_for_case

    if case.rules_used is None:  # absent: the built-in rules of its decision date
        case.rules_used = builtin_rules_dict()
    rules = load_rules(None, user_file=paths.user_rules_file())  # unused: definitief
    advice = advice_for_case(case, rules, user_tariffs=paths.user_tariffs_dir())
    case.decision = advice_to_json(advice)
    if not case.tariffs_used:
        case.tariffs_used = [tariff_table_to_dict(t) for t in advice.tariffs_used]


def _only_known_tariffs(case: Case) -> Case:
    """A definitief case keeps its frozen decision only on tariff tables this installation
    knows (same valid_from and amounts); otherwise it comes in as concept, with a warning,
    so a forged amount never reaches a letter as a decision."""
    import dataclasses

    from bwo_desktop import paths
    from bwo_desktop.core.tariffs import known_tariff_tables, unknown_tariff_tables

    if not case.tariffs_used:
        return case  # frozen below from the known tables
    unknown = unknown_tariff_tables(
        case.tariffs_used, known_tariff_tables(paths.user_tariffs_dir())
    )
    if not unknown:
        return case
    names = ", ".join(f"tariffs_used[{i}]" for i in unknown)
    print(
        f"let op: {names} komt niet overeen met een bekende tarieftabel (ingebouwd of in de "
        "tarievenmap); de casus wordt als concept geïmporteerd",
        file=sys.stderr,
    )
    return dataclasses.replace(case, status="concept", tariffs_used=[], decision=None)


def _import(args: argparse.Namespace) -> int:
    from bwo_desktop.core.casefile import load_case_file
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services import audit
    from bwo_desktop.services.cases import CaseService

    # Everything is validated before the database is touched: nothing is stored on error.
    case = load_case_file(args.case)
    # A missing passphrase or database is said before the decision is computed.
    passphrase()
    existing_db_path(args)
    if case.status == "definitief":
        case = _only_known_tariffs(case)
    if case.status == "definitief":
        _freeze_decision(case)
    source = Path(args.case).name
    user = audit.settings_user()
    with open_db(args) as db:
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
    say(f"geïmporteerd: {stored.reference}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "export-case":
        return _export(args)
    return _import(args)
