"""One writer per concept case (docs/team-mode.md, "Leases and the conflict inbox").

A case (a herindicatie row) is leased to one device. The first device that pushes a case
holds its lease (so its creator does); the lease has no end date, so it lasts through any
number of offline days. At a push, a row of a case leased to another device is not applied:
it is parked whole in `server_conflicts` and named in the answer (`"parked"`), and the rest
of the batch applies as usual. Nothing in a legal document is merged automatically; the
laptop puts the parked row in its conflict inbox and a person decides.

A case the office already holds as definitief is not leased here: it is immutable anyway
(store._keep_definitief). A row identical to the office's is no change and is applied as
usual, so a laptop that sends the team's rows back unchanged (a rejoin) parks nothing.

A lease may hold a consultant without a device (device ""): the office's planning import
(server/planning.py) leases a planned case to a consultant who has no single enrolled
device in the team. The first push of that case by a device of that consultant takes the
lease (device set) and applies; a push by another consultant's device is parked as above.

`lease_break` (the command `server lease-break`) removes a lease or hands it to a named
device of the same team, records a change of the case so every laptop's next pull carries
the new holder, and appends a `lease_break` entry to the team's office audit chain.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from bwo_desktop.core.names import holder_name, same_consultant
from bwo_desktop.models.base import utcnow
from bwo_desktop.server import schema, store
from bwo_desktop.services import sync_rows

CASES = "herindicaties"
OFFICE_DEVICE = "kantoor"  # the audit chain's device for what the office itself does


def holders(conn: Connection, case_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
    """The lease holder of each case that has one: {"device", "consultant"}."""
    if not case_ids:
        return {}
    found = conn.execute(
        select(schema.leases.c.case_id, schema.leases.c.device, schema.leases.c.consultant).where(
            schema.leases.c.case_id.in_(case_ids)
        )
    )
    return {r.case_id: {"device": r.device, "consultant": r.consultant} for r in found}


def sort_out(
    conn: Connection,
    device: store.Device,
    batch_id: uuid.UUID,
    parsed: list[tuple[str, str, dict[str, Any]]],
) -> tuple[list[tuple[str, str, dict[str, Any]]], list[dict[str, Any]]]:
    """Split a batch into the rows to apply and the rows parked (a case leased to another
    device). Grants the lease of an unleased case to this device. Inside the push's
    transaction, after the team lock."""
    table = sync_rows.table_for(CASES)
    incoming = {v["id"]: v for name, _op, v in parsed if name == CASES}
    if not incoming:
        return parsed, []
    stored = {
        r["id"]: r for r in conn.execute(select(table).where(table.c.id.in_(incoming))).mappings()
    }
    leased = holders(conn, set(incoming))
    parked_ids: set[uuid.UUID] = set()
    parked: list[dict[str, Any]] = []
    for case_id, values in incoming.items():
        old = stored.get(case_id)
        if old is not None and old["status"] == "definitief":
            continue  # immutable at the office; no lease needed
        holder = leased.get(case_id)
        if holder is None:
            conn.execute(
                pg_insert(schema.leases)
                .values(
                    case_id=case_id,
                    device=device.name,
                    consultant=device.consultant,
                    granted_at=utcnow(),
                )
                .on_conflict_do_nothing()
            )
            continue
        if holder["device"] == device.name:
            continue
        if not holder["device"] and same_consultant(holder["consultant"], device.consultant):
            # Leased to this consultant, any device: the first of theirs that pushes takes it.
            conn.execute(
                update(schema.leases)
                .where(schema.leases.c.case_id == case_id, schema.leases.c.device == "")
                .values(device=device.name, granted_at=utcnow())
            )
            continue
        row = sync_rows.encode_row(table, values)
        office_row = sync_rows.encode_row(table, old) if old is not None else None
        if row == office_row:
            continue  # no change: nothing to decide
        reason = (
            f"casus {values['reference']} is in bezit van "
            f"{holder_name(holder['device'], holder['consultant'])}; uw wijziging is niet toegepast"
        )
        conn.execute(
            insert(schema.conflicts).values(
                case_id=case_id,
                reference=values["reference"],
                device=device.name,
                batch_id=batch_id,
                row=row,
                reason=reason,
                created_at=utcnow(),
            )
        )
        parked_ids.add(case_id)
        parked.append(
            {
                "table": CASES,
                "row_id": str(case_id),
                "reference": values["reference"],
                "reason": reason,
                "holder": holder,
                "office_row": office_row,
            }
        )
    kept = [item for item in parsed if not (item[0] == CASES and item[2]["id"] in parked_ids)]
    return kept, parked


def lease_break(engine: Engine, reference: str, to: str | None = None) -> dict[str, Any]:
    """Remove the lease of the case with this kenmerk, or hand it to device `to` (of the
    same team). Returns {"team", "reference", "from", "to"}. Refused: unknown kenmerk or
    device."""
    table = sync_rows.table_for(CASES)
    with engine.begin() as conn:
        teams = list(conn.execute(select(schema.teams.c.name)).scalars())
        team, rows = None, []
        for name in teams:
            schema.set_team(conn, name)
            rows = list(
                conn.execute(
                    select(table.c.id, table.c.version, table.c.deleted_at).where(
                        table.c.reference == reference
                    )
                )
            )
            if rows:
                team = name
                break
        if team is None:
            raise store.Refused(404, f"onbekend kenmerk {reference}: geen casus met dat kenmerk")
        schema.set_team(conn, team)
        store.team_lock(conn, team)
        target = None
        if to is not None:
            target = conn.execute(select(schema.devices).where(schema.devices.c.name == to)).first()
            if target is None or target.team != team:
                raise store.Refused(
                    404, f"apparaat {to} is niet aangemeld bij team {team}; lease niet verplaatst"
                )
        ids = {r.id for r in rows}
        before = sorted({h["device"] for h in holders(conn, ids).values()})
        conn.execute(delete(schema.leases).where(schema.leases.c.case_id.in_(ids)))
        if target is not None:
            now = utcnow()
            conn.execute(
                insert(schema.leases),
                [
                    {
                        "case_id": i,
                        "device": target.name,
                        "consultant": target.consultant,
                        "granted_at": now,
                    }
                    for i in ids
                ],
            )
        batch = uuid.uuid4()
        # A change of each row, so every laptop's next pull carries the new holder.
        conn.execute(
            insert(schema.changes),
            [
                {
                    "table_name": CASES,
                    "row_id": r.id,
                    "row_version": r.version,
                    "op": "upsert" if r.deleted_at is None else "delete",
                    "batch_id": batch,
                    "device": OFFICE_DEVICE,
                }
                for r in rows
            ],
        )
        details = {"kenmerk": reference, "from": before, "to": to}
        store._append_audit(
            conn, store.Device(OFFICE_DEVICE, team, ""), "lease_break", batch, details
        )
    return {"team": team, "reference": reference, "from": before, "to": to}
