"""`audit verify --db P` and `audit show --db P [--reference K]`: the audit log.

verify walks the hash chain: "Auditlog in orde: N regels" and exit 0, or each place where the
chain breaks (entry number, time, action) and exit 1. show lists entries: time, user, OS
account, machine, action, kenmerk, result and details (field names, counts, file names:
never a BSN or note text). The passphrase comes from BWO_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import datetime as dt

from bwo_desktop.commands._common import PASSPHRASE_EPILOG, add_db_argument, open_db, say

EXIT_OK = 0
EXIT_BROKEN = 1


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "action",
        choices=["verify", "show"],
        help="verify: de hashketen controleren; show: de regels tonen",
    )
    add_db_argument(parser)
    parser.add_argument("--reference", metavar="KENMERK",
                        help="bij show: alleen de regels van deze casus")  # fmt: skip
    parser.epilog = PASSPHRASE_EPILOG


def printable(text: str) -> str:
    """Control characters (newline, ESC, ...) shown escaped, so a forged kenmerk or detail
    cannot fake a line or steer the terminal."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.services import audit

    with open_db(args) as db:
        if args.action == "verify":
            entries = audit.entries(db)
            problems = audit.verify(db)
            if not problems:
                say(f"Auditlog in orde: {len(entries)} regels")
                return EXIT_OK
            by_seq = {e.seq: e for e in entries}
            say(f"Auditlog beschadigd: {len(problems)} probleem/problemen in {len(entries)} regels")
            for p in problems:
                e = by_seq.get(p.seq)
                where = f"regel {p.seq}"
                if e is not None:
                    where += f" ({local_time(e.time)}, {e.action})"
                say(f"{where}: {p.message}")
            return EXIT_BROKEN
        shown = audit.entries(db, object_ref=args.reference)
        if not shown:
            say("Geen auditregels gevonden.")
        for e in shown:
            user = e.user or "-"
            account = f"{e.os_user or '-'}@{e.machine or '-'}"
            ref = e.object_ref or "-"
            line = (
                f"{e.seq:>6}  {local_time(e.time)}  {e.action:<12} {ref:<22} {e.result:<8} "
                f"{user} ({account})"
            )
            details = audit.format_details(e.details)
            say(printable(line + (f"  {details}" if details else "")))
    return EXIT_OK
