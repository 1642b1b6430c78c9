"""`export-xlsx --db PATH --out FILE [--from DATUM --to DATUM --location TEKST --full-bsn]`.

Writes the Excel overview (Casussen, ZRM, Regels, Toewijzingen, Tarieven). BSNs are masked
unless --full-bsn, which is recorded in the audit log. The passphrase comes from the
environment variable BWO_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from bwo_desktop.commands._common import (
    PASSPHRASE_EPILOG,
    add_db_argument,
    check_out_name,
    open_db,
    say,
)

_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_db_argument(parser)
    parser.add_argument("--out", required=True, metavar="BESTAND.xlsx", help="het Excel-bestand")
    parser.add_argument(
        "--from", dest="date_from", metavar="DATUM", help="herindicaties vanaf (DD-MM-JJJJ)"
    )
    parser.add_argument(
        "--to", dest="date_to", metavar="DATUM", help="herindicaties tot en met (DD-MM-JJJJ)"
    )
    parser.add_argument("--location", metavar="TEKST", help="alleen locaties die dit bevatten")
    parser.add_argument(
        "--full-bsn",
        action="store_true",
        help="volledige BSN's (nodig voor het blad Toewijzingen); wordt gelogd",
    )
    parser.epilog = PASSPHRASE_EPILOG


def parse_cli_date(text: str | None, option: str) -> dt.date | None:
    """DD-MM-JJJJ (as consultants write it) or JJJJ-MM-DD."""
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.core.formatting import parse_date_nl

    if text is None:
        return None
    if _ISO.match(text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError as exc:
            raise InputError(option, f"deze datum bestaat niet: {text!r}") from exc
    return parse_date_nl(text, option)


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.xlsx_service import export_cases

    date_from = parse_cli_date(args.date_from, "--from")
    date_to = parse_cli_date(args.date_to, "--to")
    out = check_out_name(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError("--out", "de bestandsnaam moet eindigen op .xlsx")
    with open_db(args) as db:
        report = export_cases(
            db,
            out,
            date_from=date_from,
            date_to=date_to,
            location=args.location,
            full_bsn=args.full_bsn,
        )
    bsn = "volledige BSN's" if report.full_bsn else "BSN's gemaskeerd"
    say(
        f"{report.path}: {report.cases} casussen, {report.lines} regels, "
        f"{report.toewijzingen} toewijzingen ({bsn})"
    )
    return 0
