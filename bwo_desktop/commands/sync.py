"""`sync --db PAD`: hello, push every pending change, pull the team's changes.

Exit 0 synced; 2 refused (one Dutch line: not joined, the office unreachable or refusing,
a schema behind); 3 synced, with changes parked in the conflict inbox (a case leased to
another device; docs/team-mode.md, "Leases and the conflict inbox")."""

from __future__ import annotations

import argparse

from bwo_desktop.commands._common import PASSPHRASE_EPILOG, add_db_argument, open_db, say


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_db_argument(parser)
    parser.epilog = PASSPHRASE_EPILOG


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services import sync_client, team

    try:
        with open_db(args) as db:
            report = team.synchronise(db)  # recorded: the app's status bar shows it
    except sync_client.SyncRefused as exc:
        raise InputError("kantoor", str(exc)) from None
    say(
        f"gesynchroniseerd: {report.batches_pushed} batches ({report.rows_pushed} rijen) "
        f"verstuurd, {report.changes_pulled} wijzigingen ontvangen"
    )
    for note in report.notes:
        say(note)
    if report.parked:
        say(f"{report.parked} wijziging(en) geparkeerd in het conflictenoverzicht")
        return 3
    return 0
