"""`server init | enrol | run`: the office side of team mode (docs/team-mode.md).

    bwo-desktop server init  --database-url URL
    bwo-desktop server enrol --database-url URL --tls-dir DIR --device NAAM --team TEAM
                             --consultant NAAM --out FILE [--address HOST:PORT]
    bwo-desktop server run   --database-url URL --listen HOST:PORT --tls-dir DIR
    bwo-desktop server export-xlsx  --database-url URL --out FILE.xlsx [--team TEAM]
    bwo-desktop server audit-verify --database-url URL
    bwo-desktop server audit-quarantine --database-url URL [--team TEAM] [--accept APPARAAT]
    bwo-desktop server lease-break --database-url URL --reference KENMERK [--to APPARAAT]
    bwo-desktop server import-planning FILE.xlsx --database-url URL --team TEAM
                             [--consultant NAAM]

Needs the extra `server` (starlette, uvicorn) for `run` only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.commands._common import say
from bwo_desktop.core.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

ENROLMENT_FORMAT = 1
ADDRESS_FILE = "address.json"  # the last `run`'s listen address, the default of `enrol`


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    sub = parser.add_subparsers(
        dest="server_command", metavar="OPDRACHT", required=True, parser_class=type(parser)
    )
    init = sub.add_parser("init", help="kantoordatabase aanmaken of bijwerken")
    init.add_argument("--database-url", required=True, metavar="URL")
    enrol = sub.add_parser("enrol", help="een laptop aanmelden (aanmeldbestand maken)")
    enrol.add_argument("--database-url", required=True, metavar="URL")
    enrol.add_argument("--tls-dir", required=True, metavar="MAP")
    enrol.add_argument("--device", required=True, metavar="NAAM")
    enrol.add_argument("--team", required=True, metavar="TEAM")
    enrol.add_argument("--consultant", required=True, metavar="NAAM")
    enrol.add_argument("--out", required=True, metavar="BESTAND")
    enrol.add_argument(
        "--address",
        metavar="HOST:POORT",
        help="adres waarop de laptops de server bereiken (standaard: dat van de laatste run)",
    )
    run_p = sub.add_parser("run", help="de synchronisatieserver starten (TLS)")
    run_p.add_argument("--database-url", required=True, metavar="URL")
    run_p.add_argument("--listen", required=True, metavar="HOST:POORT")
    run_p.add_argument("--tls-dir", required=True, metavar="MAP")
    export = sub.add_parser("export-xlsx", help="overzicht (Excel) per team, BSN gemaskeerd")
    export.add_argument("--database-url", required=True, metavar="URL")
    export.add_argument("--out", required=True, metavar="BESTAND.xlsx")
    export.add_argument(
        "--team", metavar="TEAM", help="alleen dit team (standaard: een bestand per team)"
    )
    verify = sub.add_parser("audit-verify", help="de auditketens van het kantoor controleren")
    verify.add_argument("--database-url", required=True, metavar="URL")
    quarantine = sub.add_parser(
        "audit-quarantine", help="afwijkende logboeken van laptops in quarantaine (teamleider)"
    )
    quarantine.add_argument("--database-url", required=True, metavar="URL")
    quarantine.add_argument("--team", metavar="TEAM", help="alleen dit team")
    quarantine.add_argument(
        "--accept",
        metavar="APPARAAT",
        help="het logboek van dit apparaat vanaf het afwijkpunt aanvaarden (niets wordt gewist)",
    )
    lease = sub.add_parser(
        "lease-break", help="een casus vrijgeven of aan een ander apparaat geven (teamleider)"
    )
    lease.add_argument("--database-url", required=True, metavar="URL")
    lease.add_argument("--reference", required=True, metavar="KENMERK")
    lease.add_argument(
        "--to", metavar="APPARAAT", help="het apparaat dat de casus krijgt (standaard: vrij)"
    )
    planning = sub.add_parser(
        "import-planning", help="een planningslijst in een team zetten, elke casus geleased"
    )
    planning.add_argument("file", metavar="FILE.xlsx", help="de planningslijst")
    planning.add_argument("--database-url", required=True, metavar="URL")
    planning.add_argument("--team", required=True, metavar="TEAM")
    planning.add_argument(
        "--consultant",
        metavar="NAAM",
        help="consulent van de rijen zonder kolom Consulent (de kolom gaat voor)",
    )


def _host_port(value: str, option: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(option, "geef HOST:POORT, bijvoorbeeld 0.0.0.0:8443")
    return host.strip("[]"), int(port)


def run(args: argparse.Namespace) -> int:
    try:
        from bwo_desktop.server import schema, store
    except ImportError:  # the laptop's installed app leaves the office server out
        raise InputError(
            "server",
            "de kantoorserver zit niet in deze installatie: installeer bwo-desktop met "
            "het extra 'server' op de kantoorcomputer",
        ) from None

    engine = schema.engine_for(args.database_url)
    try:
        if args.server_command == "init":
            return _init(engine)
        if args.server_command == "enrol":
            return _enrol(args, engine)
        if args.server_command in (
            "export-xlsx",
            "audit-verify",
            "audit-quarantine",
            "import-planning",
        ):
            engine.dispose()
            engine = schema.server_engine(args.database_url)
            problem = schema.check_ready(engine)
            if problem:
                raise InputError("--database-url", problem)
            if args.server_command == "export-xlsx":
                return _export(args, engine)
            if args.server_command == "audit-quarantine":
                return _audit_quarantine(args, engine)
            if args.server_command == "import-planning":
                return _import_planning(args, engine)
            return _audit_verify(engine)
        if args.server_command == "lease-break":
            return _lease_break(args, engine)
        return _run(args)
    except store.Refused as refused:
        raise InputError(args.server_command, refused.message) from None
    except Exception as exc:
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            raise InputError(
                "--database-url", "de kantoordatabase is niet bereikbaar of weigert de login"
            ) from None
        raise
    finally:
        engine.dispose()


def _init(engine: Engine) -> int:
    from bwo_desktop.server import schema

    for note in schema.init(engine):
        say(note)
    say("kantoordatabase klaar")
    return 0


def _enrol(args: argparse.Namespace, engine: Engine) -> int:
    from bwo_desktop.commands._common import check_out_name
    from bwo_desktop.server import schema, store, tls
    from bwo_desktop.services.fileperms import write_private_atomic

    out = check_out_name(args.out)
    if out.exists():
        raise InputError("--out", f"{out} bestaat al; kies een nieuwe naam")
    tls_dir = Path(args.tls_dir)
    if args.address:
        host, port = _host_port(args.address, "--address")
    elif (tls_dir / ADDRESS_FILE).is_file():
        saved = json.loads((tls_dir / ADDRESS_FILE).read_text(encoding="utf-8"))
        host, port = saved["host"], int(saved["port"])
    else:
        raise InputError("--address", "geef het adres waarop de laptops de server bereiken")
    problem = schema.check_ready(engine)
    if problem and "init" in problem:
        raise InputError("--database-url", problem)
    issued = tls.issue_client(tls_dir, args.device, args.team)
    store.enrol(engine, args.device, args.team, args.consultant, issued.fingerprint)
    enrolment = {
        "format": ENROLMENT_FORMAT,
        "server": f"https://{host}:{port}",
        "device": args.device,
        "team": args.team,
        "consultant": args.consultant,
        "ca_pem": (tls_dir / tls.CA_CERT).read_text(encoding="ascii"),
        "cert_pem": issued.cert_pem.decode("ascii"),
        "key_pem": issued.key_pem.decode("ascii"),
        "fingerprint": issued.fingerprint,
    }
    write_private_atomic(out, json.dumps(enrolment, indent=1).encode("utf-8"))
    say(f"aangemeld: {args.device} (team {args.team}); aanmeldbestand {out}")
    say("let op: het aanmeldbestand bevat een sleutel; vervoer het als een sleutel")
    return 0


def _lease_break(args: argparse.Namespace, engine: Engine) -> int:
    from bwo_desktop.server import leases, schema

    problem = schema.check_ready(engine)
    if problem and "init" in problem:
        raise InputError("--database-url", problem)
    done = leases.lease_break(engine, args.reference, args.to)
    before = ", ".join(done["from"]) or "niemand"
    after = done["to"] or "vrij (het eerste apparaat dat de casus verstuurt)"
    say(f"lease van casus {args.reference} (team {done['team']}) gebroken: {before} -> {after}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from bwo_desktop.server import schema

    host, port = _host_port(args.listen, "--listen")
    try:
        from bwo_desktop.server.app import serve
    except ImportError:
        raise InputError(
            "server run", "installeer eerst de extra server: pip install 'bwo-desktop[server]'"
        ) from None
    engine = schema.server_engine(args.database_url)
    problem = schema.check_ready(engine)
    if problem:
        raise InputError("--database-url", problem)
    tls_dir = Path(args.tls_dir)
    tls_dir.mkdir(parents=True, exist_ok=True)
    (tls_dir / ADDRESS_FILE).write_text(json.dumps({"host": host, "port": port}), encoding="utf-8")
    say(f"server luistert op https://{host}:{port}")
    serve(engine, host, port, tls_dir)
    return 0


def _export(args: argparse.Namespace, engine: Engine) -> int:
    from bwo_desktop.commands._common import check_out_name
    from bwo_desktop.server import office

    out = check_out_name(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError("--out", "geef een bestandsnaam die eindigt op .xlsx")
    if args.team is not None:
        targets = [(args.team, out)]
    else:
        targets = [(team, office.team_file(out, team)) for team in office.teams(engine)]
        if not targets:
            raise InputError("--team", "het kantoor kent nog geen team (server enrol)")
    for _team, path in targets:
        if path.exists():
            raise InputError("--out", f"{path} bestaat al; kies een nieuwe naam")
    for team, path in targets:
        done = office.export_team(engine, team, path)
        say(
            f"team {done.team}: {done.cases} casussen naar {done.path} "
            f"(BSN gemaskeerd; auditregel {done.receipt['seq']})"
        )
    return 0


def _audit_quarantine(args: argparse.Namespace, engine: Engine) -> int:
    from bwo_desktop.server import device_audit, office

    if args.accept is not None:
        done = device_audit.accept_fork(engine, args.accept, args.team)
        say(
            f"team {done['team']}, {args.accept}: afwijkend logboek aanvaard; de keten gaat "
            f"verder vanaf regel {done['from_seq']} (herstart {done['epoch']}); "
            f"{done['quarantined']} regels in quarantaine en {done['office_only']} regels "
            f"die alleen het kantoor had blijven bewaard (auditregel {done['receipt']['seq']})"
        )
        return 0
    forks = office.quarantined_forks(engine, args.team)
    for fork in forks:
        say(f"team {fork.team}, {fork.device}: afwijkend logboek {fork.listing()}")
    if not forks:
        say("geen afwijkende logboeken in quarantaine")
    return 0


def _audit_verify(engine: Engine) -> int:
    import sys

    from bwo_desktop.server import office

    checks = office.verify_all(engine)
    for check in checks:
        say(check.line())
    bad = [c for c in checks if not c.ok]
    if bad:
        problems = "; ".join(c.line() for c in bad)
        sys.stderr.write(f"bwo-desktop server: fout: auditketen niet in orde: {problems}\n")
        return 2
    return 0


def _import_planning(args: argparse.Namespace, engine: Engine) -> int:
    import sys

    from bwo_desktop.server import planning
    from bwo_desktop.services.planning_service import PlanningImportError

    try:
        done = planning.import_planning(engine, args.file, args.team, args.consultant)
    except PlanningImportError as refused:
        report = refused.report
        for error in report.errors:  # "rij N (client): kolom: reden"; never a BSN
            sys.stderr.write(f"bwo-desktop server import-planning: {error}\n")
        sys.stderr.write(
            f"bwo-desktop server import-planning: {len(report.errors)} fout(en) in "
            f"{report.file_name}; niets geïmporteerd\n"
        )
        return 2
    for outcome in done.report.outcomes:
        if outcome.action != "overgeslagen":
            say(outcome.describe())  # BSN masked
    for name in done.unenrolled:
        say(f"let op: {name} heeft nog geen aangemeld apparaat in team {done.team}")
    say(done.summary())
    return 0
