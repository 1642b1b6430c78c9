"""`bwo-desktop beschikking CASE.json [--out FILE.pdf] [--soort ...] [--tariffs FILE.toml ...]`

Renders the beschikking (or the onderzoeksverslag) straight from a case file
(spec/case-file.md). The advice is computed from the case's assessment. A case that misses
what a beschikking needs is refused with exit status 2 and one line naming the item.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bwo_desktop.commands._common import add_engine_arguments, check_out_name, say

# Moved to exports.case_advice (the day batch in the UI uses it too); kept importable here.
from bwo_desktop.exports.case_advice import advice_for_case, tariff_book_for_case

__all__ = ["KINDS", "add_arguments", "run", "tariff_book_for_case"]

KINDS: tuple[str, ...] = ("beschikking", "verslag-client", "verslag-aanbieder", "verslag-intern")
COPIES = {"verslag-client": "client", "verslag-aanbieder": "provider", "verslag-intern": "internal"}


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("case", metavar="CASE.json", help="het casusbestand (bwo-case/1)")
    parser.add_argument(
        "--out",
        metavar="FILE.pdf",
        help="het PDF-bestand; standaard <soort>_<kenmerk>_<besluitdatum>.pdf in de huidige map",
    )
    parser.add_argument(
        "--soort",
        choices=KINDS,
        default="beschikking",
        help=(
            "beschikking (standaard); verslag-client: het onderzoeksverslag voor de cliënt; "
            "verslag-aanbieder: het onderzoeksverslag voor de zorgaanbieder (alleen met "
            "toestemming van de cliënt, conversation.consent_share_report = true); verslag-intern: "
            "het dossierexemplaar met signalen en tarieven, niet verstrekken"
        ),
    )
    parser.add_argument(
        "--previous",
        metavar="CASE.json",
        help="een eerder casusbestand van dezelfde cliënt: de vorige ZRM-scores in het verslag",
    )
    add_engine_arguments(
        parser,
        tariffs_help=(
            "extra tarieftabel (mag vaker). Heeft het casusbestand tariffs_used, dan rekent de "
            "brief met die tabellen (de waarden waarmee besloten is) en gaan alleen deze "
            "--tariffs daarboven; anders: ingebouwd < tarievenmap < --tariffs"
        ),
    )
    parser.add_argument(
        "--organisation",
        metavar="FILE.toml",
        help="briefhoofd en juridische gegevens (standaard: instellingen, anders ingebouwd)",
    )
    parser.add_argument(
        "--demo", action="store_true", help='elke pagina markeren met "DEMO — geen echt besluit"'
    )


def run(args: argparse.Namespace) -> int:
    from bwo_desktop import paths
    from bwo_desktop.core.casefile import load_case_file
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.exports.beschikking import parse_case_assessment
    from bwo_desktop.exports.filenames import beschikking_filename, verslag_filename
    from bwo_desktop.exports.organisation import load_organisation

    case = load_case_file(args.case)
    previous = load_case_file(args.previous) if args.previous else None
    assessment = parse_case_assessment(case)
    # A definitief case prints its frozen decision (its own tariffs and rules); --rules and
    # the user's rules.toml only apply to a concept.
    advice = advice_for_case(
        case,
        load_rules(args.rules, user_file=paths.user_rules_file()),
        extra_tariffs=[Path(p) for p in args.tariffs],
        user_tariffs=None if args.no_user_tariffs else paths.user_tariffs_dir(),
    )
    organisation = load_organisation(args.organisation)

    day = case.decision_date or assessment.assessment_date
    if args.soort == "beschikking":
        # render_beschikking checks what the letter needs (a concept: marked CONCEPT).
        if not case.reference:
            raise InputError("reference", "het kenmerk ontbreekt")
        out = (
            check_out_name(args.out)
            if args.out
            else Path(beschikking_filename(case.reference, day))
        )
        from bwo_desktop.exports.beschikking import render_beschikking

        render_beschikking(case, advice, organisation, out, demo=args.demo)
    else:
        copy_for = COPIES[args.soort]
        from bwo_desktop.exports.verslag import check_copy_allowed, render_onderzoeksverslag

        check_copy_allowed(case, copy_for)
        if args.out:
            out = check_out_name(args.out)
        elif case.reference:
            out = Path(verslag_filename(case.reference, day, copy_for))
        else:
            raise InputError("--out", "het casusbestand heeft geen kenmerk; geef --out op")
        render_onderzoeksverslag(
            case,
            advice,
            organisation,
            out,
            previous=previous,
            copy_for=copy_for,
            demo=args.demo,
        )
    say(str(out))
    return 0
