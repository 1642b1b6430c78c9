"""Importing a checked planning list: clients by BSN, providers by name, planned cases, in one
transaction. Any clash is an error and then nothing at all is imported.

Key: BSN + conversation date. An identical row is skipped; a changed time, location,
provider or current end date on a *planned* case is an update (reported first, so the
consultant sees what moves); a row that meets a concept or definitief case on that date is
an error: that conversation has already started and a list from outside must not touch it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwo_desktop.core.bsn import mask_bsn
from bwo_desktop.core.case import (
    STATUS_NAMES,
    Address,
    Begeleider,
    Case,
    Client,
    Conversation,
    CurrentIndication,
    Planned,
    Provider,
)
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.core.names import sort_name
from bwo_desktop.imports.planning import PlanningRead, PlanningRow, RowError, read_planning
from bwo_desktop.imports.planning_template import write_template as _write_template
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder
from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database
from bwo_desktop.services.identity import ReferenceNumbers
from bwo_desktop.services.providers import find_provider, normalise_provider_name

NEW, UPDATED, SKIPPED = "nieuw", "bijgewerkt", "overgeslagen"
_FIELD_NAMES = {
    "planned_time": "tijd",
    "location": "locatie",
    "provider_id": "zorgaanbieder",
    "current_indication_end": "einddatum huidige indicatie",
    "consultant_name": "consulent",
}
# Team mode (server/planning.py): the consultant of each row, compared and set like the other
# planned fields. The laptop's own import passes none: its consultant gets every case.
ConsultantOf = Callable[[PlanningRow], str]


@dataclass(frozen=True)
class PlanningOutcome:
    """What happens to one row. `client` is the list name; the BSN is masked (screens, logs)."""

    row: int
    action: str  # nieuw | bijgewerkt | overgeslagen
    client: str
    bsn_masked: str
    date: dt.date
    time: dt.time | None
    location: str
    reference: str | None = None  # existing case (bijgewerkt/overgeslagen) or the new kenmerk
    changes: tuple[str, ...] = ()  # Dutch field names that change

    def describe(self) -> str:
        when = format_date_short(self.date) + (f" {self.time:%H:%M}" if self.time else "")
        text = f"rij {self.row}: {self.action}: {self.client} ({self.bsn_masked}), {when}, {self.location}"
        if self.changes:
            text += f" (gewijzigd: {', '.join(self.changes)})"
        return text


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    outcomes: list[PlanningOutcome] = field(default_factory=list)  # updates first
    errors: list[RowError] = field(default_factory=list)
    clients_created: int = 0
    clients_updated: int = 0
    providers_created: int = 0

    def _count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def skipped(self) -> int:
        return self._count(SKIPPED)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, Any]:
        """For the audit log: numbers only, never names or BSNs."""
        return {
            "file": self.file_name,
            "rows": len(self.outcomes) + len({e.row for e in self.errors}),
            "new": self.new,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": len(self.errors),
            "clients_created": self.clients_created,
            "clients_updated": self.clients_updated,
            "providers_created": self.providers_created,
        }

    def summary(self) -> str:
        verb = "zou worden" if self.dry_run else "is"
        return (
            f"{self.file_name}: {self.new} nieuw, {self.updated} bijgewerkt, "
            f"{self.skipped} overgeslagen ({verb} geïmporteerd)"
        )


class _Rollback(Exception):
    pass


class PlanningImportError(InputError):
    """The planning clashes with the database: nothing was imported. `report.errors` lists why."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            report.file_name,
            f"{len(report.errors)} fout(en) tegen de database; niets geïmporteerd",
        )


log = logging.getLogger(__name__)


# --- check -> preview -> import: the steps the command line and the dialog share ----------


def read_planning_file(path: Path | str) -> PlanningRead:
    """Read and check a planning workbook; row problems are in `.errors`. A file that is not
    a planning list at all raises PlanningFileError (an InputError)."""
    return read_planning(path)


def write_planning_template(path: Path | str) -> Path:
    """Write the empty template (one fictional example row) to `path`."""
    target = Path(path)
    _write_template(target)
    return target


def check_planning(
    db: Database, path: Path | str, *, user: str | None = None
) -> tuple[PlanningRead, ImportReport | None]:
    """Read the file and, when its rows are sound, preview the import against the database.
    A file refused for its rows is logged (never fatal) and has no preview (None)."""
    read = read_planning_file(path)
    if read.errors:
        try:
            record_refused_file(db, read.file_name, len(read.errors), user=user)
        except Exception:  # logging a refusal must not hide the refusal itself
            log.warning("weigering niet in het auditlog gezet")
        return read, None
    return read, preview_planning(db, read.rows, file_name=read.file_name)


def preview_planning(
    db: Database, rows: Sequence[PlanningRow], *, file_name: str = ""
) -> ImportReport:
    """What an import would do (new / updated / skipped / errors); nothing is written."""
    report = ImportReport(file_name=file_name, dry_run=True)
    try:
        with db.session() as s:
            plan_rows(s, rows, report, apply=False, consultant_name="")
            raise _Rollback  # a preview never commits, whatever a plan touched
    except _Rollback:
        pass
    order_outcomes(report)
    return report


def import_planning(
    db: Database,
    rows: Sequence[PlanningRow],
    *,
    consultant_name: str,
    file_name: str = "",
    user: str | None = None,
) -> ImportReport:
    """Import all rows in ONE transaction, or raise PlanningImportError and import nothing."""
    if not consultant_name.strip():
        raise InputError("consulent", "de naam van de consulent ontbreekt")
    report = ImportReport(file_name=file_name, dry_run=False)
    try:
        with db.session() as s:
            plan_rows(s, rows, report, apply=True, consultant_name=consultant_name)
            if report.errors:
                raise PlanningImportError(report)  # rolls the whole transaction back
            order_outcomes(report)
            # One "create" per new case (the case's own log starts here), then the import.
            created = {"status": "planned", "kind": "planning", "file": report.file_name}
            audit.record_many(
                s,
                "create",
                [(o.reference, created) for o in report.outcomes if o.action == NEW],
                user=user,
            )
            audit.record(
                s, "import", None, details={"kind": "planning", **report.counts()}, user=user
            )
    except PlanningImportError:
        order_outcomes(report)
        audit.record(
            db,
            "import",
            None,
            result="refused",
            details={"kind": "planning", **report.counts()},
            user=user,
        )
        raise
    return report


def record_refused_file(
    db: Database, file_name: str, errors: int, *, user: str | None = None
) -> None:
    """Log a planning file refused for its rows (before any database check): the file name
    and the number of problems, never row contents."""
    audit.record(
        db,
        "import",
        None,
        result="refused",
        details={"kind": "planning", "file": file_name, "errors": errors},
        user=user,
    )


def order_outcomes(report: ImportReport) -> None:
    rank = {UPDATED: 0, NEW: 1, SKIPPED: 2}
    report.outcomes.sort(key=lambda o: (rank[o.action], o.row))
    report.errors.sort()


def _client(row: PlanningRow) -> Client:
    return Client(
        bsn=row.bsn,
        last_name=row.last_name,
        birth_date=row.birth_date,
        initials=row.initials,
        first_name=row.first_name,
        prefix=row.prefix,
        provider=Provider(name=row.provider_name),
        begeleider=Begeleider(row.begeleider_name, row.begeleider_phone, row.begeleider_email),
        address=Address(
            street=row.street or "",
            house_number=row.house_number or "",
            postcode=row.postcode or "",
            city=row.city or "",
        )
        if any((row.street, row.house_number, row.postcode, row.city))
        else None,
    )


def _provider(
    s: Session,
    name: str,
    cache: dict[str, Zorgaanbieder | None],
    report: ImportReport,
    apply: bool,
) -> Zorgaanbieder | None:
    """By normalised name; a new provider is created (only when applying)."""
    normalised = normalise_provider_name(name)
    if normalised in cache:
        return cache[normalised]
    found = find_provider(s, normalised)
    if found is None:
        report.providers_created += 1
        if apply:
            found = Zorgaanbieder(
                id=uuid.uuid4(), name=" ".join(name.split()), name_normalised=normalised
            )
            s.add(found)
    cache[normalised] = found
    return found


def _wanted(
    row: PlanningRow, provider: Zorgaanbieder | None, consultant_of: ConsultantOf | None = None
) -> dict[str, Any]:
    """The case columns a planning row sets (a provider without an id is new: it changes)."""
    wanted: dict[str, Any] = {"planned_time": row.time, "location": row.location}
    wanted["provider_id"] = provider.id if provider is not None else None
    if row.current_end_date is not None:
        wanted["current_indication_end"] = row.current_end_date
    if consultant_of is not None:
        wanted["consultant_name"] = consultant_of(row)
    return wanted


def _changes(
    case_row: Herindicatie,
    row: PlanningRow,
    provider: Zorgaanbieder | None,
    consultant_of: ConsultantOf | None = None,
) -> list[str]:
    """The columns where the row differs from the stored case (empty: an identical row)."""
    wanted = _wanted(row, provider, consultant_of)
    return [k for k, v in wanted.items() if getattr(case_row, k) != v]


def _known_provider(
    s: Session, name: str, cache: dict[str, Zorgaanbieder | None]
) -> Zorgaanbieder | None:
    """The stored provider with this (normalised) name, without creating one."""
    normalised = normalise_provider_name(name)
    if normalised in cache:
        return cache[normalised]
    return find_provider(s, normalised)


def plan_rows(
    s: Session,
    rows: Sequence[PlanningRow],
    report: ImportReport,
    *,
    apply: bool,
    consultant_name: str,
    consultant_of: ConsultantOf | None = None,
    references: ReferenceNumbers | None = None,
) -> None:
    """Check every row against the database and, when `apply`, make the clients, providers
    and planned cases (nothing committed here). `consultant_of` (team mode) names the
    consultant of each row, a changed one is an update; `references` numbers new cases."""
    bsns = sorted({r.bsn for r in rows})
    clients: dict[str, ClientRow] = {}
    for chunk_start in range(0, len(bsns), 500):  # bounded IN lists
        chunk = bsns[chunk_start : chunk_start + 500]
        for found_client in s.scalars(select(ClientRow).where(ClientRow.bsn.in_(chunk))):
            clients[found_client.bsn] = found_client
    client_ids = [c.id for c in clients.values()]
    cases: dict[tuple[uuid.UUID, dt.date], list[Herindicatie]] = {}
    for chunk_start in range(0, len(client_ids), 500):
        chunk_ids = client_ids[chunk_start : chunk_start + 500]
        stmt = select(Herindicatie).where(
            Herindicatie.client_id.in_(chunk_ids),
            Herindicatie.deleted_at.is_(None),
            Herindicatie.superseded.is_(False),
            Herindicatie.planned_date.is_not(None),
        )
        for case_row in s.scalars(stmt):
            assert case_row.planned_date is not None
            cases.setdefault((case_row.client_id, case_row.planned_date), []).append(case_row)

    references = references if references is not None else ReferenceNumbers(s)
    providers: dict[str, Zorgaanbieder | None] = {}
    updated_clients: set[str] = set()
    new_clients: set[str] = set()
    for row in rows:
        client_row: ClientRow | None = clients.get(row.bsn)
        name = sort_name(_client(row))
        base: dict[str, Any] = {
            "row": row.row,
            "client": name,
            "bsn_masked": mask_bsn(row.bsn),
            "date": row.date,
            "time": row.time,
            "location": row.location,
        }
        if client_row is not None and client_row.birth_date != row.birth_date:
            report.errors.append(
                RowError(
                    row.row,
                    "Geboortedatum",
                    f"{format_date_short(row.birth_date)} in het bestand, "
                    f"{format_date_short(client_row.birth_date)} bekend bij dit BSN; "
                    "controleer het BSN en de geboortedatum",
                    name,
                )
            )
            continue
        existing = cases.get((client_row.id, row.date), []) if client_row is not None else []
        started = [c for c in existing if c.status != "planned"]
        known = _known_provider(s, row.provider_name, providers)
        if started and _changes(started[0], row, known, consultant_of):
            case_row = started[0]
            report.errors.append(
                RowError(
                    row.row,
                    "Datum gesprek",
                    f"er is al een casus in status {STATUS_NAMES.get(case_row.status, case_row.status)} "
                    f"({case_row.reference}) op {format_date_short(row.date)}; pas die casus aan in de app",
                )
            )
            continue
        if started:  # the same row again after the conversation started: nothing to do
            report.outcomes.append(
                PlanningOutcome(**base, action=SKIPPED, reference=started[0].reference)
            )
            continue
        provider_row = _provider(s, row.provider_name, providers, report, apply)

        if client_row is not None:
            contact = {
                "begeleider_name": row.begeleider_name,
                "begeleider_phone": row.begeleider_phone,
                "begeleider_email": row.begeleider_email,
                "street": row.street,
                "house_number": row.house_number,
                "postcode": row.postcode,
                "city": row.city,
            }
            changed = [
                k for k, v in contact.items() if v is not None and getattr(client_row, k) != v
            ]
            if changed and row.bsn not in updated_clients:
                updated_clients.add(row.bsn)
                report.clients_updated += 1
            if apply:
                for key in changed:
                    setattr(client_row, key, contact[key])

        if existing:
            case_row = existing[0]
            wanted = _wanted(row, provider_row, consultant_of)
            changes = _changes(case_row, row, provider_row, consultant_of)
            if not changes:
                report.outcomes.append(
                    PlanningOutcome(**base, action=SKIPPED, reference=case_row.reference)
                )
                continue
            if apply:
                s.flush()  # a provider created above gets its id
                if provider_row is not None:
                    wanted["provider_id"] = provider_row.id
                for key in changes:
                    setattr(case_row, key, wanted[key])
            report.outcomes.append(
                PlanningOutcome(
                    **base,
                    action=UPDATED,
                    reference=case_row.reference,
                    changes=tuple(_FIELD_NAMES[k] for k in changes),
                )
            )
            continue

        reference = None
        if client_row is None and row.bsn not in new_clients:
            new_clients.add(row.bsn)
            report.clients_created += 1
        if apply:
            if client_row is None:
                client = _client(row)
                client_row = ClientRow(
                    id=uuid.uuid4(),
                    bsn=row.bsn,
                    sort_name=name,
                    initials=client.initials,
                    first_name=client.first_name,
                    prefix=client.prefix,
                    last_name=client.last_name,
                    birth_date=client.birth_date,
                    begeleider_name=row.begeleider_name,
                    begeleider_phone=row.begeleider_phone,
                    begeleider_email=row.begeleider_email,
                    street=row.street,
                    house_number=row.house_number,
                    postcode=row.postcode,
                    city=row.city,
                )
                s.add(client_row)
                clients[row.bsn] = client_row
            case = Case(
                client=_client(row),
                consultant_name=consultant_of(row) if consultant_of else consultant_name,
                conversation=Conversation(location=row.location),
                status="planned",
                planned=Planned(row.date, row.time),
                current_indication=CurrentIndication(end_date=row.current_end_date)
                if row.current_end_date is not None
                else None,
            )
            # Bulk insert: CaseService._insert costs several queries per case; a list of
            # hundreds must stay under a couple of seconds, so kenmerken are reserved per year
            # in memory and rows are added without a flush each.
            reference = references.next(row.date.year)
            new_row = Herindicatie(
                id=uuid.uuid4(), reference=reference, revision=1, superseded=False
            )
            CaseService._apply(new_row, case, client_row, provider_row)
            s.add(new_row)
            cases.setdefault((client_row.id, row.date), []).append(new_row)
        report.outcomes.append(PlanningOutcome(**base, action=NEW, reference=reference))
