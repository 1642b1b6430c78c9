"""`team join FILE --db PAD`: this laptop joins a team with the enrolment file the office made
(`bwo-desktop server enrol`). The enrolment goes into the encrypted database; the file
holds a private key, so delete it once joined (docs/team-mode.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bwo_desktop.commands._common import PASSPHRASE_EPILOG, add_db_argument, open_db, say


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    sub = parser.add_subparsers(
        dest="team_command", metavar="OPDRACHT", required=True, parser_class=type(parser)
    )
    join = sub.add_parser("join", help="bij een team aansluiten met een aanmeldbestand")
    join.add_argument("file", metavar="BESTAND", help="het aanmeldbestand van het kantoor")
    add_db_argument(join)
    join.epilog = PASSPHRASE_EPILOG


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services import sync_client

    try:
        enrolment = sync_client.read_enrolment(Path(args.file))
        with open_db(args) as db:
            queued = sync_client.join(db, enrolment)
    except sync_client.SyncRefused as exc:
        raise InputError(Path(args.file).name, str(exc)) from None
    say(
        f"aangesloten bij team {enrolment['team']} als {enrolment['device']}; "
        f"{queued} rijen klaar voor de eerste synchronisatie (bwo-desktop sync)"
    )
    say("het aanmeldbestand bevat een sleutel: verwijder het nu")
    return 0
