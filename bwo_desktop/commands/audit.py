"""`audit verify --db P` and `audit show --db P [--reference K]`: the audit log.

verify walks the hash chain: "Auditlog in orde: N regels" and exit 0, or each place where the
chain breaks (entry number, time, action) and exit 1. It also checks the chain against every
witness it finds (docs/audit-chain.md): the backups' head files, `backups/ketenkop.log`, and
each `--witness FILE` (a PDF, Excel or head file); a rewritten chain is named there. show lists entries: time, user, OS
account, machine, action, kenmerk, result and details in Dutch (changed fields, counts, file
names: never a BSN or note text). The passphrase comes from BWO_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.commands._common import PASSPHRASE_EPILOG, add_db_argument, open_db, say

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

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
    parser.add_argument("--witness", metavar="BESTAND", action="append", default=[],
                        help="bij verify: ook tegen de ketenkop in dit bestand controleren "
                        "(PDF, Excel of .head.json; mag vaker)")  # fmt: skip
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
    from bwo_desktop.core.audit_details import action_label, detail_parts, result_label
    from bwo_desktop.services import audit

    with open_db(args) as db:
        if args.action == "verify":
            return _verify(db, [Path(p) for p in args.witness])
        shown = audit.entries(db, object_ref=args.reference)
        if not shown:
            say("Geen auditregels gevonden.")
        for e in shown:
            user = e.user or "-"
            account = f"{e.os_user or '-'}@{e.machine or '-'}"
            ref = e.object_ref or "-"
            line = (
                f"{e.seq:>6}  {local_time(e.time)}  {action_label(e.action):<18} {ref:<22} "
                f"{result_label(e.result):<9} "
                f"{user} ({account})"
            )
            # Details in Dutch words ("velden: besluitdatum"); the log keeps its own keys.
            details = "; ".join(detail_parts(e.details))
            say(printable(line + (f"  {details}" if details else "")))
    return EXIT_OK


def _verify(db: Database, files: list[Path]) -> int:
    from bwo_desktop.core.audit_details import action_label
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services import audit, witnesses
    from bwo_desktop.services.database import backups_dir_for

    given: list[witnesses.Witness] = []
    for path in files:
        try:
            given.append(witnesses.file_witness(path))
        except OSError:
            raise InputError("--witness", f"bestand niet te lezen: {path.name}") from None
        except ValueError as exc:
            raise InputError("--witness", str(exc)) from None
    entries = audit.entries(db)
    problems = audit.verify(db)
    found: list[witnesses.Witness] = []
    notes: list[str] = []
    if db.path is not None:
        found, notes = witnesses.folder_witnesses(db.backups_dir or backups_dir_for(db.path))
    chain_problems = witnesses.check(db, found + given)
    count = len(found) + len(given)
    if not problems and not chain_problems and not notes:
        agreed = f"; {count} getuige(n) kloppen" if count else ""
        say(f"Auditlog in orde: {len(entries)} regels{agreed}")
        return EXIT_OK
    by_seq = {e.seq: e for e in entries}
    total = len(problems) + len(chain_problems) + len(notes)
    say(f"Auditlog beschadigd: {total} probleem/problemen in {len(entries)} regels")
    for p in problems:
        e = by_seq.get(p.seq)
        where = f"regel {p.seq}"
        if e is not None:
            where += f" ({local_time(e.time)}, {action_label(e.action)})"
        say(f"{where}: {p.message}")
    for p in chain_problems:
        say(p.message)
    for note in notes:
        say(f"getuige onleesbaar: {note}")
    return EXIT_BROKEN
