"""`bwo-desktop advise CASE.json [--tariffs FILE.toml ...] [--no-user-tariffs] [--rules FILE.toml]`

Reads one assessment (advice-json.md, "Input"), prints one JSON object (the advice) on stdout.
Bad input raises InputError, which `cli.main` prints as one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "case", metavar="CASE.json", help="de beoordeling als JSON ('-' leest van standaardinvoer)"
    )
    parser.add_argument(
        "--tariffs",
        metavar="FILE.toml",
        action="append",
        default=[],
        help="extra tarieftabel (mag vaker; bij gelijke valid_from wint de laatste)",
    )
    parser.add_argument(
        "--no-user-tariffs",
        action="store_true",
        help="de tarievenmap in de gebruikersmap niet lezen",
    )
    parser.add_argument(
        "--rules", metavar="FILE.toml", help="regeldrempels (rules.toml) die voorgaan"
    )


def _read_text(source: str) -> str:
    from bwo_desktop.core.errors import InputError

    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(source, "bestand niet gevonden") from exc
    except UnicodeDecodeError as exc:
        raise InputError(source, "het bestand is geen UTF-8-tekst") from exc
    except OSError as exc:
        raise InputError(source, f"kan het bestand niet lezen ({exc.strerror or exc})") from exc


def run(args: argparse.Namespace) -> int:
    from bwo_desktop import paths
    from bwo_desktop.core.advice import advise
    from bwo_desktop.core.assessment_json import (
        advice_json_text,
        load_json_strict,
        parse_assessment,
    )
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.core.tariffs import load_tariff_book

    where = "standaardinvoer" if args.case == "-" else args.case
    data = load_json_strict(_read_text(args.case), where)
    assessment = parse_assessment(data)
    tariffs = load_tariff_book(
        [Path(p) for p in args.tariffs],
        user_folder=None if args.no_user_tariffs else paths.user_tariffs_dir(),
    )
    rules = load_rules(args.rules, user_file=paths.user_rules_file())
    advice = advise(assessment, tariffs, rules)
    text = advice_json_text(advice)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:  # UTF-8 whatever the console code page (Windows)
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)
    return 0
