"""`server import-planning`: a planning list into one team's rows at the office, each planned
case leased to its consultant (docs/team-mode.md, "Rules per table": the office decides the
planning, the lease goes with it to the consultant's laptop).

The laptop's own reader (`imports.planning.read_planning`) and planning logic
(`services.planning_service.plan_rows`: clients by BSN, providers by name, a planned case per
BSN + conversation date; an identical row skipped, a changed planned case updated, a row that
meets a started case an error) run on an ORM session bound to the office's transaction. That
transaction has set the team (row-level security) and holds the team lock, so it sees and
writes only the team's rows and the team's change sequence stays in commit order. Any row
error and nothing is imported.

Every row the import writes gets a `server_changes` entry (device `kantoor`, one batch), so
the laptops pull it like a pushed row. The consultant of a row is its Consulent column, or
the command's `--consultant` when that cell is empty. A new planned case is leased to its
consultant: to the consultant's device when the team has exactly one enrolled device of that
consultant, else to the consultant with device "" (the first of their devices that pushes the
case takes it, server/leases.py). A planned case whose consultant changes gets its lease
moved (a `lease_move` entry in the team's office audit chain); otherwise a lease is kept.
One `import_planning` entry (counts only) closes the import in the same chain.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.names import same_consultant
from bwo_desktop.imports.planning import PlanningRow, RowError, read_planning, row_client
from bwo_desktop.models import Herindicatie
from bwo_desktop.models.base import Synced, utcnow
from bwo_desktop.server import leases, schema, store
from bwo_desktop.services import outbox
from bwo_desktop.services.identity import DEVICE_CODE_ALPHABET, ReferenceNumbers
from bwo_desktop.services.planning_service import (
    NEW,
    UPDATED,
    ImportReport,
    PlanningImportError,
    order_outcomes,
    plan_rows,
)
from bwo_desktop.services.sync_rows import TABLE_RANK
from bwo_desktop.settings import consultant_name_problem, tidy_name

OFFICE_DEVICE = leases.OFFICE_DEVICE
CONSULTANT_COLUMN = "Consulent"


@dataclass(frozen=True)
class OfficeImport:
    team: str
    report: ImportReport
    leased: dict[str, int]  # consultant -> new or moved leases in this import
    moved: int
    unenrolled: list[str]  # consultants of this import without any enrolled device in the team
    receipt: dict[str, Any]

    def summary(self) -> str:
        r = self.report
        return (
            f"{r.file_name}: {r.new} nieuw, {r.updated} bijgewerkt, {r.skipped} overgeslagen "
            f"in team {self.team} ({sum(self.leased.values())} lease(s) uitgegeven, "
            f"{self.moved} verplaatst; auditregel {self.receipt['seq']})"
        )


def office_code(team: str) -> str:
    """The kenmerk code of the office's cases of one team (BWO-<year>-K<3>-<seq>): fixed per
    team, so a re-import numbers as the first did and teams rarely share a code."""
    digest = hashlib.sha256(team.encode("utf-8")).digest()
    return "K" + "".join(DEVICE_CODE_ALPHABET[b % len(DEVICE_CODE_ALPHABET)] for b in digest[:3])


def _consultants(
    rows: list[PlanningRow], default: str | None
) -> tuple[dict[int, str], list[RowError]]:
    """The tidied consultant of each row (its column wins over `default`), or its error."""
    found: dict[int, str] = {}
    errors: list[RowError] = []
    for row in rows:
        name = tidy_name(row.consultant or default or "")
        problem = consultant_name_problem(name)
        if not name:
            errors.append(
                RowError(
                    row.row,
                    CONSULTANT_COLUMN,
                    "verplicht: vul de kolom Consulent in of geef --consultant",
                    row_client(row),
                )
            )
        elif problem:
            errors.append(
                RowError(row.row, CONSULTANT_COLUMN, problem.replace("Uw naam", "de naam"))
            )
        else:
            found[row.row] = name
    return found, errors


def _team_devices(conn: Connection, team: str) -> list[tuple[str, str]]:
    d = schema.devices
    return [
        (r.name, r.consultant)
        for r in conn.execute(select(d.c.name, d.c.consultant).where(d.c.team == team))
    ]


def _device_of(devices: list[tuple[str, str]], consultant: str) -> str:
    """The consultant's one enrolled device in the team, else "" (any device of theirs)."""
    theirs = [name for name, who in devices if same_consultant(who, consultant)]
    return theirs[0] if len(theirs) == 1 else ""


def import_planning(
    engine: Engine, path: Path | str, team: str, consultant: str | None = None
) -> OfficeImport:
    """Import the list into `team`, all or nothing. Raises PlanningImportError (its report's
    errors: one per row problem), InputError (unknown team, a file that is no list) or
    store.Refused (the database refused a row: nothing imported)."""
    try:
        return _import(engine, path, team, consultant)
    except DBAPIError as exc:
        # Most likely a BSN another team already has (clients.bsn is unique over the whole
        # office, and row-level security hides the other team's client). The driver's text
        # may name values, so it is not passed on.
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        raise store.Refused(
            409,
            f"planning geweigerd door het kantoor (databasefout {sqlstate}, bijvoorbeeld een "
            "BSN dat een ander team al heeft); er is niets geïmporteerd",
        ) from None


def _import(engine: Engine, path: Path | str, team: str, consultant: str | None) -> OfficeImport:
    read = read_planning(path)  # PlanningFileError (an InputError): the whole file refused
    report = ImportReport(file_name=read.file_name, dry_run=False)
    if consultant is not None and not tidy_name(consultant):
        raise InputError("--consultant", "geef de naam van de consulent")
    if read.errors:
        report.errors.extend(read.errors)
        raise PlanningImportError(report)
    names, errors = _consultants(read.rows, consultant)
    with engine.begin() as conn:
        if conn.execute(select(schema.teams.c.name).where(schema.teams.c.name == team)).first():
            schema.set_team(conn, team)
        else:
            raise InputError("--team", f"team {team!r} is onbekend op het kantoor")
        store.team_lock(conn, team)
        changed: dict[int, Synced] = {}
        with Session(bind=conn) as s:
            event.listen(s, "before_flush", lambda sess, _c, _i: outbox.collect(sess, changed))
            plan_rows(
                s,
                read.rows,
                report,
                apply=True,
                consultant_name="",
                consultant_of=lambda row: names.get(row.row, ""),
                references=ReferenceNumbers(s, device=office_code(team)),
            )
            report.errors.extend(errors)
            order_outcomes(report)
            if report.errors:
                raise PlanningImportError(report)  # the whole transaction rolls back
            s.flush()
            rows = [
                (type(obj).__tablename__, obj.id, obj.version, obj.deleted_at)  # type: ignore[attr-defined]
                for obj in changed.values()
            ]
            cases = [
                (obj.id, str(obj.reference), obj.consultant_name)
                for obj in changed.values()
                if isinstance(obj, Herindicatie)
            ]
        batch = uuid.uuid4()
        if rows:
            rows.sort(key=lambda r: TABLE_RANK[r[0]])  # parents first, as a pull applies them
            conn.execute(
                insert(schema.changes),
                [
                    {
                        "table_name": name,
                        "row_id": row_id,
                        "row_version": version,
                        "op": "upsert" if deleted is None else "delete",
                        "batch_id": batch,
                        "device": OFFICE_DEVICE,
                    }
                    for name, row_id, version, deleted in rows
                ],
            )
        leased, moved = _lease(conn, team, report, cases, batch)
        devices = _team_devices(conn, team)
        unenrolled = sorted(
            {n for n in names.values() if not any(same_consultant(w, n) for _d, w in devices)}
        )
        details = {
            **report.counts(),
            "leases": sum(leased.values()),
            "leases_moved": moved,
            "consultants": len(set(names.values())),
        }
        receipt = store.append_audit(conn, team, OFFICE_DEVICE, "import_planning", details, batch)
    return OfficeImport(team, report, dict(leased), moved, unenrolled, receipt)


def _lease(
    conn: Connection,
    team: str,
    report: ImportReport,
    cases: list[tuple[uuid.UUID, str, str]],
    batch: uuid.UUID,
) -> tuple[Counter[str], int]:
    """Lease each new planned case to its consultant; move the lease of a planned case whose
    consultant changed (an audit entry each). Returns (leases per consultant, moved)."""
    action = {o.reference: o for o in report.outcomes if o.action in (NEW, UPDATED)}
    held = leases.holders(conn, {case_id for case_id, _r, _c in cases})
    devices = _team_devices(conn, team)
    given: Counter[str] = Counter()
    moved = 0
    now = utcnow()
    for case_id, reference, consultant in cases:
        outcome = action.get(reference)
        holder = held.get(case_id)
        if outcome is None:
            continue
        if holder is not None and same_consultant(holder["consultant"], consultant):
            continue  # the lease stays with its holder
        if outcome.action == UPDATED and "consulent" not in outcome.changes:
            continue  # no new consultant: a lease a team lead freed stays free
        device = _device_of(devices, consultant)
        values = {"device": device, "consultant": consultant, "granted_at": now}
        if holder is None:
            conn.execute(insert(schema.leases).values(case_id=case_id, **values))
        else:
            conn.execute(
                update(schema.leases).where(schema.leases.c.case_id == case_id).values(**values)
            )
            moved += 1
            details = {
                "kenmerk": reference,
                "from": [holder["device"]],
                "to": device or None,
                "consultant": consultant,
            }
            store.append_audit(conn, team, OFFICE_DEVICE, "lease_move", details, batch)
        given[consultant] += 1
    return given, moved
