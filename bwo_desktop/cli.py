"""Command line: `bwo-desktop` starts the app; subcommands run the engine and data tools headless.

Each subcommand lives in `bwo_desktop.commands.<module>` with `add_arguments(parser)` and
`run(args) -> int`. Modules are imported only for the subcommand that runs, so `--help` and
the GUI start stay fast. Bad input: one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from bwo_desktop import __version__

# name -> (module, one-line help). Order is the order of --help.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "advise": ("advise", "advies berekenen uit een beoordeling (JSON in, JSON uit)"),
    "beschikking": ("beschikking", "beschikking (PDF) maken uit een casusbestand"),
    "export-case": ("case_files", "een casus exporteren als casusbestand (JSON)"),
    "import-case": ("case_files", "een casusbestand importeren in de database"),
    "export-xlsx": ("xlsx", "overzicht van casussen naar Excel"),
    "import-planning": ("planning", "herindicatieplanning (Excel) importeren"),
    "init": ("init", "een lege versleutelde database aanmaken"),
    "demo": ("demo", "database vullen met fictieve demogegevens"),
    "audit": ("audit", "auditlog controleren (audit verify)"),
    "backup": ("backup", "back-ups maken, tonen en terugzetten"),
    "passphrase": ("passphrase", "wachtwoordzin van de database wijzigen"),
    "server": (
        "server",
        "teammodus: de kantoorserver (init, enrol, run, import-planning, export-xlsx, ...)",
    ),
    "team": ("team", "teammodus: deze laptop bij een team aanmelden (team join)"),
    "sync": ("sync", "teammodus: synchroniseren met het kantoor"),
}

EXIT_OK = 0
EXIT_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one Dutch line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: fout: {message}\n")
        sys.exit(EXIT_INPUT)


class _SubParser(_Parser):
    """A subcommand's parser: options and positionals may be mixed, so the documented
    `backup restore --db PAD BACK-UP` works (plain argparse has already given the optional
    BACK-UP its empty default when it meets --db, and then calls BACK-UP unrecognised)."""

    _intermixing = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        plain = self._intermixing or any(
            action.nargs in (argparse.REMAINDER, argparse.PARSER) for action in self._actions
        )
        if plain:  # intermixed parsing calls back in here; REMAINDER cannot be intermixed
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        usage = self.usage
        if usage is None:
            # Python 3.11/3.12 keep the usage for errors as format_usage()[7:], which cuts
            # len("usage: ") off and so leaves ": " of the Dutch "gebruik: " in --help.
            prefix = argparse._("usage: ")  # type: ignore[attr-defined]
            self.usage = self.format_usage().removeprefix(prefix).rstrip("\n")
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
            self.usage = usage


def _load(module_name: str) -> ModuleType:
    return importlib.import_module(f"bwo_desktop.commands.{module_name}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    from bwo_desktop.commands._argparse_nl import install

    install()  # argparse's own strings in Dutch; before any parser takes its headings
    parser = _Parser(
        prog="bwo-desktop",
        description=(
            "Herindicatie Beschermd Wonen extramuraal (Sociale Dienst Drechtsteden). "
            "Zonder subcommando start de applicatie."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"bwo-desktop {__version__}",
        help="versienummer tonen en stoppen",  # Python 3.11 does not translate its default
    )
    parser.add_argument(
        "--db", metavar="PAD", help="database-bestand (standaard in de gebruikersmap)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="korte zelftest zonder invoer; rapport en exitstatus",
    )
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMANDO", parser_class=_SubParser)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        # Only the chosen subcommand's module is imported to declare its arguments.
        if only == name:
            _load(module_name).add_arguments(sp, name)
        else:
            sp.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _chosen_subcommand(argv: Sequence[str]) -> str | None:
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg == "--db":
            skip_next = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in SUBCOMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    name = _chosen_subcommand(argv)
    parser = build_parser(only=name)
    args = parser.parse_args(argv)

    if args.self_test:
        from bwo_desktop.selftest import run_self_test

        return run_self_test()

    if args.command is None:
        from bwo_desktop.app import run_gui

        return run_gui(db_path=args.db)

    module_name = SUBCOMMANDS[args.command][0]
    module = _load(module_name)

    from bwo_desktop.core.errors import InputError

    try:
        return int(module.run(args))
    except InputError as exc:
        sys.stderr.write(f"bwo-desktop {args.command}: fout: {exc}\n")
        return EXIT_INPUT
    except OSError as exc:
        # Full disk, read-only or missing folder, name too long: one Dutch line, no traceback.
        from bwo_desktop.core.errors import describe_os_error

        sys.stderr.write(f"bwo-desktop {args.command}: fout: {describe_os_error(exc)}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
