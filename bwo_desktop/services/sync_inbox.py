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

A batch the office refused for good (services/sync_client.py `_park_refused`: a definitief
case that would change, a row of another team) is parked row by row. For a case the office
holds as definitief, `keep="office"` takes the office's row; `keep="mine"` is refused (a
definitief decision does not change; a correction is a new version of the case), and the
local row stays stored in the conflict.

A client's field conflict (services/sync_fields.py: the office kept its own value of some
fields, the rest of the row applied) is decided for those fields only: `office` takes the
office's values here, `mine` queues this laptop's values with the office's as their base,
so the office applies them. Leases do not apply to clients.

`sync_leases` holds who may change each case, as the last pull said; a case leased to
another device is read-only here (`is_read_only`). A lease with device "" (the office's
planning import: any device of that consultant) is this laptop's when its consultant is
this laptop's (the enrolment's); for another consultant it is read-only too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bwo_desktop.core.names import holder_name, same_consultant
from bwo_desktop.models import SyncConflict, SyncLease, SyncOutbox, utcnow
from bwo_desktop.services import outbox, sync_client, sync_fields, sync_purge, sync_rows
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
    fields: list[str] | None = None  # a client's field conflict: the fields decided
    here: bool = True  # the row is on this laptop (False: a case that left its scope)
    held_by: str | None = None  # another device's lease holder in words: "mine" is refused


def _as_uuid(case_id: str | uuid.UUID) -> uuid.UUID:
    return case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))


def open_conflicts(db: Database) -> list[Conflict]:
    """The conflicts no person has decided yet, oldest first; each says whether its row is
    still on this laptop and who else holds its case (what `resolve` refuses "mine" for)."""
    with db.read() as s:
        found = list(
            s.scalars(
                select(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
                .order_by(SyncConflict.id)
            )
        )
        present: set[uuid.UUID] = set()
        for name in {c.table_name for c in found}:
            table = sync_rows.table_for(name)
            ids = [c.row_id for c in found if c.table_name == name]
            present |= set(s.execute(select(table.c.id).where(table.c.id.in_(ids))).scalars())
        conflicts = []
        for c in found:
            holder = _holder(s, c.row_id) if c.table_name != sync_fields.CLIENTS else None
            conflicts.append(
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
                    fields=list(c.fields) if c.fields else None,
                    here=c.row_id in present,
                    held_by=holder_name(*holder) if holder and _held_by_other(s, holder) else None,
                )
            )
        return conflicts


def _held_by_other(session: Session, holder: tuple[str, str] | None) -> bool:
    """True when the lease (device, consultant) is not this laptop's."""
    if holder is None:
        return False
    enrolment = get_meta(session, sync_client.ENROLMENT_KEY)
    if not isinstance(enrolment, dict):
        return True
    device, consultant = holder
    if device:
        return device != str(enrolment.get("device"))
    return not same_consultant(consultant, str(enrolment.get("consultant") or ""))


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
        return holder if _held_by_other(s, holder) else None


def is_read_only(db: Database, case_id: str | uuid.UUID) -> bool:
    """True when another device (or another consultant) holds the case's lease: only its
    holder edits."""
    with db.read() as s:
        return _held_by_other(s, _holder(s, _as_uuid(case_id)))


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
        if conflict.fields and current_row is not None and conflict.office_row is not None:
            _resolve_fields(s, db.dialect, conflict, current_row, keep)
        elif keep == "office":
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
            if _office_definitief(conflict):
                raise StoreError(
                    f"casus {conflict.reference}: een definitief besluit verandert niet meer; "
                    "maak zo nodig een nieuwe versie van de casus"
                )
            if current_row is None:
                raise StoreError(
                    f"casus {conflict.reference} staat niet meer op deze laptop (overgedragen); "
                    "vraag de teamleider de lease terug te geven (bwo-desktop server lease-break)"
                )
            holder = _holder(s, conflict.row_id)
            if holder is not None and _held_by_other(s, holder):
                raise StoreError(
                    f"casus {conflict.reference} is in bezit van {holder_name(*holder)}; "
                    "vraag de teamleider de lease te verplaatsen (bwo-desktop server lease-break)"
                )
            values = sync_rows.decode_row(table, conflict.local_row)
            versions = [values["version"]]
            versions += [r["version"] for r in (current_row, conflict.office_row) if r]
            values["version"] = max(versions) + 1
            _write_queued(s, db.dialect, conflict.table_name, values)
        conflict.resolved_at = utcnow()
        conflict.resolution = keep


def _office_definitief(conflict: SyncConflict) -> bool:
    """True when the office holds the conflict's case as definitief: it never applies
    another version of it (the push was refused for good), so only "office" decides."""
    office = conflict.office_row
    return (
        conflict.table_name == sync_purge.CASES
        and office is not None
        and office.get("status") == "definitief"
    )


def _write_queued(session: Session, dialect: str, table_name: str, values: dict[str, Any]) -> None:
    """The row as a new local change: written and queued for the next push."""
    table = sync_rows.table_for(table_name)
    values["updated_at"] = utcnow()
    session.connection().execute(sync_client._upsert(dialect, table), [values])
    session.execute(
        insert(SyncOutbox).values(
            batch_id=uuid.uuid4(),
            table_name=table_name,
            row_id=values["id"],
            row_version=values["version"],
            op="delete" if values.get("deleted_at") is not None else "upsert",
            created_at=utcnow(),
        )
    )


def _resolve_fields(
    session: Session,
    dialect: str,
    conflict: SyncConflict,
    current: dict[str, Any],
    keep: str,
) -> None:
    """A client's field conflict: only its fields are decided; the rest of the row is the
    office's already (applied at the push).

    - office: each field takes the office's value (unless it was edited here again since),
      outside the outbox; the shadow learns the office's value.
    - mine: each field takes this laptop's value as a new local change, queued; its base
      becomes the office's value, so the office applies it (unless it changed it again).
    """
    office, mine = conflict.office_row or {}, conflict.local_row
    fields = list(conflict.fields or [])
    shadow = sync_fields.shadow_of(session, conflict.table_name, conflict.row_id) or dict(office)
    shadow.update({f: office[f] for f in fields}, id=str(conflict.row_id))
    row = dict(current)
    if keep == "office":
        row.update({f: office[f] for f in fields if current[f] == mine[f]})
    else:
        row.update({f: mine[f] for f in fields})
    if any(f in sync_fields.NAMES for f in fields):
        row = sync_fields.with_sort_name(row)
    table = sync_rows.table_for(conflict.table_name)
    values = sync_rows.decode_row(table, row)
    if keep == "office":
        if row != current:
            session.connection().execute(sync_client._upsert(dialect, table), [values])
    else:
        values["version"] = max(current["version"], office.get("version") or 0) + 1
        _write_queued(session, dialect, conflict.table_name, values)
    sync_fields.remember(session, [(conflict.table_name, shadow)])
