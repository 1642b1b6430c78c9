"""`demo --db PATH --cases N [--seed S] [--today YYYY-MM-DD]`: fill a new database with
fictional demo data. The passphrase comes from BWO_PASSPHRASE; for a new database without
it, the documented demo passphrase is used (and said on stdout)."""

from __future__ import annotations

import argparse
import datetime as dt
import os

from bwo_desktop.commands._common import PASSPHRASE_ENV, add_db_argument, db_path, say


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    add_db_argument(parser)
    parser.add_argument("--cases", type=int, default=200, metavar="N",
                        help="aantal casussen (standaard 200)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="startwaarde: zelfde seed, zelfde data")
    parser.add_argument("--today", metavar="JJJJ-MM-DD",
                        help="doe alsof het vandaag deze datum is (standaard: vandaag)")  # fmt: skip
    parser.epilog = (
        f"De wachtwoordzin komt uit {PASSPHRASE_ENV}; zonder die variabele krijgt een nieuwe "
        "database de demo-wachtwoordzin."
    )


def run(args: argparse.Namespace) -> int:
    from bwo_desktop.core.case import STATUS_NAMES, STATUSES
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.demo import DEMO_PASSPHRASE, generate

    path = db_path(args)
    if args.cases < 1 or args.cases > 1_000_000:
        raise InputError("--cases", "kies een aantal tussen 1 en 1.000.000")
    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError:
            raise InputError("--today", f"geen datum (JJJJ-MM-DD): {args.today!r}") from None
    is_new = not path.exists()
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        if not is_new:
            raise InputError(PASSPHRASE_ENV, "zet de wachtwoordzin van deze bestaande database")
        passphrase = DEMO_PASSPHRASE
        say(
            f"Wachtwoordzin van de demodatabase: {DEMO_PASSPHRASE} (zet {PASSPHRASE_ENV} voor een eigen)"
        )
    db = open_database(path, passphrase, create=is_new)
    try:
        report = generate(db, args.cases, seed=args.seed, today=today)
    finally:
        db.close()
    statuses = ", ".join(
        f"{report.by_status[s]} {STATUS_NAMES[s]}" for s in STATUSES if s in report.by_status
    )
    say(
        f"Demodatabase {path}: {report.cases} casussen ({statuses}), {report.clients} cliënten, "
        f"{report.providers} zorgaanbieders in {report.seconds:.1f} s"
    )
    return 0
