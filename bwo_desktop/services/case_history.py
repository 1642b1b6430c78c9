"""What the database knows around one case or client: the client's previous case (the
"previous scores" of the ZRM page and the earlier decision a letter names), a client known
by BSN (for "Nieuwe casus"), and which documents were made of a case (from the audit log).
Read-only; `CaseService` offers these as methods."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwo_desktop.core.bsn import normalise_bsn
from bwo_desktop.core.case import Case, CurrentIndication, KnownCase, KnownClient
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder
from bwo_desktop.services import audit
from bwo_desktop.services.case_mapping import client_of, has_scores, to_case
from bwo_desktop.services.database import Database
from bwo_desktop.services.errors import CaseNotFound


def case_uuid(case_id: str | uuid.UUID) -> uuid.UUID:
    """A case id as UUID; text that is none is an unknown case."""
    if isinstance(case_id, uuid.UUID):
        return case_id
    try:
        return uuid.UUID(str(case_id))
    except ValueError:
        raise CaseNotFound(str(case_id)) from None


def case_row(s: Session, case_id: str) -> Herindicatie:
    """The stored row of a case that is not deleted."""
    row = s.get(Herindicatie, case_uuid(case_id))
    if row is None or row.deleted_at is not None:
        raise CaseNotFound(str(case_id))
    return row


def previous_case(db: Database, case: Case) -> Case | None:
    """The client's latest earlier case with ZRM scores ("previous scores")."""
    when = case.decision_date or (case.planned.date if case.planned else None)
    with db.read() as s:
        client_row = s.scalars(
            select(ClientRow).where(ClientRow.bsn == normalise_bsn(case.client.bsn))
        ).first()
        if client_row is None:
            return None
        h = Herindicatie
        stmt = select(h).where(h.client_id == client_row.id, h.deleted_at.is_(None))
        if case.id is not None:
            stmt = stmt.where(h.id != case_uuid(case.id))
        if case.reference is not None:
            stmt = stmt.where(h.reference != case.reference)
        candidates = []
        for row in s.scalars(stmt):
            row_date = row.decision_date or row.planned_date
            if when is not None and row_date is not None and row_date >= when:
                continue
            if has_scores(row.assessment):
                candidates.append((row_date or dt.date.min, row.created_at, row.revision, row))
        if not candidates:
            return None
        candidates.sort(key=lambda t: (t[0], t[1], t[2]))
        return to_case(s, candidates[-1][3])


def known_client(db: Database, bsn: str) -> KnownClient | None:
    """The client with this BSN as the database knows it (None: a new client)."""
    with db.read() as s:
        client_row = s.scalars(select(ClientRow).where(ClientRow.bsn == normalise_bsn(bsn))).first()
        if client_row is None:
            return None
        h = Herindicatie
        rows = list(
            s.scalars(
                select(h).where(
                    h.client_id == client_row.id,
                    h.deleted_at.is_(None),
                    h.superseded.is_(False),
                )
            )
        )
        if not rows:
            return None
        rows.sort(key=lambda r: (r.planned_date or dt.date.min, r.created_at, r.revision))
        latest = rows[-1]
        provider_row = s.get(Zorgaanbieder, latest.provider_id) if latest.provider_id else None
        client = client_of(client_row, provider_row)
        decided = [r for r in rows if r.status == "definitief" and r.outcome == "ib_bw"]
        current: CurrentIndication | None = None
        if decided:
            last = decided[-1]
            current = CurrentIndication(
                f"BW extramuraal {last.ib_level}".strip(), last.new_indication_end
            )
        elif rows[-1].current_indication_end or rows[-1].current_indication_description:
            current = CurrentIndication(
                rows[-1].current_indication_description, rows[-1].current_indication_end
            )
        cases = tuple(KnownCase(r.reference, r.planned_date, r.status) for r in rows)
        return KnownClient(client, current, cases)


def documents_made(db: Database, case_id: str) -> dict[str, dt.date]:
    """Per kind of document made of this case through the app ("beschikking",
    "verslag-client", …): the day it was first made, from the audit log."""
    with db.read() as s:
        reference = case_row(s, case_id).reference
    made: dict[str, dt.date] = {}
    for entry in audit.entries(db, reference):
        kind = (entry.details or {}).get("kind") if entry.action == "export" else None
        if isinstance(kind, str) and kind not in made:
            when = entry.time
            made[kind] = (when.astimezone() if when.tzinfo else when).date()
    return made
