"""Team mode's conflict inbox and the leases as this laptop knows them (docs/team-mode.md,
"Leases and the conflict inbox"). No Qt.

A change the office parked (the case is leased to another device) is kept here whole: the
local row as it was pushed and the office's row at that moment. Nothing is merged: a person
decides with `resolve`:

- `keep="office"`: the office's row replaces the local one (outside the outbox: the office
  has it already). When the local row changed since the conflict (a pull brought a newer
  office state, or the case was edited again), the local row is left as it is: it is newer
  than the office row stored here.
- `keep="mine"`: only for the lease holder (after `server lease-break --to` this laptop):
  the local row becomes a new version and is queued for the next push, where the office
  applies it. A laptop without the lease is refused in Dutch, and so is a case that left
  this laptop's scope (services/sync_purge.py: it is no longer here until its lease comes
  back); `keep="office"` then closes the conflict (the office's version stands).

`sync_leases` holds who may change each case, as the last pull said; a case leased to
another device is read-only here (`is_read_only`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bwo_desktop.models import SyncConflict, SyncLease, SyncOutbox, utcnow
from bwo_desktop.services import outbox, sync_client, sync_rows
from bwo_desktop.services.database import Database, get_meta
from bwo_desktop.services.errors import StoreError

KEEP = ("office", "mine")


@dataclass(frozen=True)
class Conflict:
    id: int
    table_name: str
    row_id: uuid.UUID
    reference: str | None
    reason: str
    holder: str | None
    local_row: dict[str, Any]
    office_row: dict[str, Any] | None
    created_at: dt.datetime


def _as_uuid(case_id: str | uuid.UUID) -> uuid.UUID:
    return case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))


def open_conflicts(db: Database) -> list[Conflict]:
    """The conflicts no person has decided yet, oldest first."""
    with db.read() as s:
        found = s.scalars(
            select(SyncConflict).where(SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.id)
        )
        return [
            Conflict(
                c.id,
                c.table_name,
                c.row_id,
                c.reference,
                c.reason,
                c.holder,
                dict(c.local_row),
                dict(c.office_row) if c.office_row is not None else None,
                c.created_at,
            )
            for c in found
        ]


def _own_device(session: Session) -> str | None:
    enrolment = get_meta(session, sync_client.ENROLMENT_KEY)
    return str(enrolment["device"]) if isinstance(enrolment, dict) else None


def _holder(session: Session, case_id: uuid.UUID) -> tuple[str, str] | None:
    lease = session.get(SyncLease, case_id)
    return (lease.device, lease.consultant) if lease is not None else None


def lease_holder(db: Database, case_id: str | uuid.UUID) -> tuple[str, str] | None:
    """(device, consultant) holding the case's lease, as the last pull said; None: unknown
    or nobody (the first device that pushes it will)."""
    with db.read() as s:
        return _holder(s, _as_uuid(case_id))


def held_elsewhere(db: Database, case_id: str | uuid.UUID) -> tuple[str, str] | None:
    """(device, consultant) when another device holds the case's lease, else None."""
    with db.read() as s:
        holder = _holder(s, _as_uuid(case_id))
        return holder if holder is not None and holder[0] != _own_device(s) else None


def is_read_only(db: Database, case_id: str | uuid.UUID) -> bool:
    """True when another device holds the case's lease: only its holder edits."""
    with db.read() as s:
        holder = _holder(s, _as_uuid(case_id))
        return holder is not None and holder[0] != _own_device(s)


def resolve(db: Database, conflict_id: int, keep: str = "office") -> None:
    """A person's decision on one conflict (see the module text)."""
    if keep not in KEEP:
        raise StoreError(f"onbekende keuze {keep!r}: kies office of mine")
    with db.session() as s:
        conflict = s.get(SyncConflict, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise StoreError(f"conflict {conflict_id} staat niet (meer) open")
        table = sync_rows.table_for(conflict.table_name)
        current = s.execute(select(table).where(table.c.id == conflict.row_id)).mappings().first()
        current_row = sync_rows.encode_row(table, current) if current is not None else None
        s.info[outbox.APPLYING_PULL] = True  # written below by hand, or not queued at all
        if keep == "office":
            if conflict.office_row is None and current_row is None:
                pass  # the case left this laptop (sync_purge): the office's version stands
            elif conflict.office_row is None:
                raise StoreError(
                    f"het kantoor heeft geen versie van casus {conflict.reference}; kies mine"
                )
            elif current_row == conflict.local_row:
                values = sync_rows.decode_row(table, conflict.office_row)
                s.connection().execute(sync_client._upsert(db.dialect, table), [values])
        else:
            if current_row is None:
                raise StoreError(
                    f"casus {conflict.reference} staat niet meer op deze laptop (overgedragen); "
                    "vraag de teamleider de lease terug te geven (bwo-desktop server lease-break)"
                )
            holder = _holder(s, conflict.row_id)
            if holder is not None and holder[0] != _own_device(s):
                raise StoreError(
                    f"casus {conflict.reference} is in bezit van {holder[1]} ({holder[0]}); "
                    "vraag de teamleider de lease te verplaatsen (bwo-desktop server lease-break)"
                )
            values = sync_rows.decode_row(table, conflict.local_row)
            versions = [values["version"]]
            versions += [r["version"] for r in (current_row, conflict.office_row) if r]
            values["version"] = max(versions) + 1
            values["updated_at"] = utcnow()
            s.connection().execute(sync_client._upsert(db.dialect, table), [values])
            s.execute(
                insert(SyncOutbox).values(
                    batch_id=uuid.uuid4(),
                    table_name=conflict.table_name,
                    row_id=conflict.row_id,
                    row_version=values["version"],
                    op="delete" if values.get("deleted_at") is not None else "upsert",
                    created_at=utcnow(),
                )
            )
        conflict.resolved_at = utcnow()
        conflict.resolution = keep
