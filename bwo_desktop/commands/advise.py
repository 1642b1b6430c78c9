"""`bwo-desktop advise CASE.json [--tariffs FILE.toml ...] [--no-user-tariffs] [--rules FILE.toml]`

Reads one assessment (advice-json.md, "Input"), prints one JSON object (the advice) on stdout.
Bad input raises InputError, which `cli.main` prints as one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bwo_desktop.commands._common import add_engine_arguments


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "case", metavar="CASE.json", help="de beoordeling als JSON ('-' leest van standaardinvoer)"
    )
    add_engine_arguments(
        parser, tariffs_help="extra tarieftabel (mag vaker; bij gelijke valid_from wint de laatste)"
    )


def run(args: argparse.Namespace) -> int:
    from bwo_desktop import paths
    from bwo_desktop.commands._common import write_stdout
    from bwo_desktop.core.advice import advise
    from bwo_desktop.core.assessment_json import advice_json_text, parse_assessment
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.core.strict_json import read_json_file
    from bwo_desktop.core.tariffs import load_tariff_book

    assessment = parse_assessment(read_json_file(args.case))
    tariffs = load_tariff_book(
        [Path(p) for p in args.tariffs],
        user_folder=None if args.no_user_tariffs else paths.user_tariffs_dir(),
    )
    rules = load_rules(args.rules, user_file=paths.user_rules_file())
    advice = advise(assessment, tariffs, rules)
    write_stdout(advice_json_text(advice))
    return 0
