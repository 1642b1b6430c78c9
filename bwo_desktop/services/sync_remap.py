"""The laptop's side of a client the office already had (docs/team-mode.md, "Rules per
table"; the office's side is server/client_remap.py).

A consultant who makes a case for a colleague's client never had that client on this
laptop (scope), so the laptop made a client row of its own: a new id, the same BSN. The
office took it as the same client and says so in the batch's outcome: `"remapped":
{"clients": {laptop id: office id}}`, with the office's row (`"office_rows"`). In the local
transaction that records that batch (`apply`), outside the outbox:

- the office's row replaces the local one under the office's id; a field changed here after
  the batch was sent keeps this laptop's value (its outbox entry moves along and pushes it,
  with the office's value as its base);
- every local case of the laptop's id gets the office's id; the old row is deleted;
- the outbox entries, open conflicts and shadow of the old id move to the office's id (the
  shadow becomes the office's row), so nothing is pushed twice under two ids, or lost;
- one `sync_client_merged` audit entry per case of that client (its kenmerk, no BSN).

`translate` gives the rows of the batch as the office applied them (the office's id), for
the shadow and the conflict inbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from bwo_desktop.models import SyncConflict, SyncOutbox, SyncShadow
from bwo_desktop.services import audit, outbox, sync_fields, sync_rows

CLIENTS = "clients"
CASES = "herindicaties"
ACTION = "sync_client_merged"


class RemapError(ValueError):
    """An outcome whose `remapped` part does not fit: the answer is unreadable."""


def parse(outcome: Mapping[str, Any]) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, Any]]:
    """(laptop id -> office id, office id -> the office's wire row) of one batch outcome;
    both empty when the office mapped nothing."""
    remapped = outcome.get("remapped")
    if remapped is None:
        return {}, {}
    try:
        pairs = remapped[CLIENTS]
        mapping = {uuid.UUID(str(k)): uuid.UUID(str(v)) for k, v in pairs.items()}
        rows = {}
        for item in outcome["office_rows"]:
            if item["table"] != CLIENTS:
                raise RemapError("office_rows")
            sync_rows.decode_row(sync_rows.table_for(CLIENTS), item["row"])
            rows[uuid.UUID(str(item["row"]["id"]))] = item["row"]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise RemapError(str(exc)) from None
    if not set(mapping.values()) <= set(rows):
        raise RemapError("office_rows")
    return mapping, rows


def translate(rows: list[dict[str, Any]], mapping: Mapping[uuid.UUID, uuid.UUID]) -> list[Any]:
    """The sent rows of a batch with the laptop's client ids replaced by the office's."""
    if not mapping:
        return rows
    ids = {str(k): str(v) for k, v in mapping.items()}
    out = []
    for item in rows:
        row = item["row"]
        if item["table"] == CLIENTS and row["id"] in ids:
            row = {**row, "id": ids[row["id"]]}
        elif item["table"] == CASES and row["client_id"] in ids:
            row = {**row, "client_id": ids[row["client_id"]]}
        out.append({**item, "row": row})
    return out


def is_remapped(item: Mapping[str, Any], mapping: Mapping[uuid.UUID, uuid.UUID]) -> bool:
    """A (translated) client row of the batch that the office mapped to its own."""
    return item["table"] == CLIENTS and uuid.UUID(str(item["row"]["id"])) in mapping.values()


def apply(
    session: Session,
    mapping: Mapping[uuid.UUID, uuid.UUID],
    office_rows: Mapping[uuid.UUID, Any],
    sent: list[dict[str, Any]],
) -> list[str]:
    """Rewrite the local client ids the office mapped (see the module text), in the
    transaction that records the batch. `sent`: the batch's rows, translated. Returns the
    kenmerken of the cases whose client was merged here."""
    if not mapping:
        return []
    session.info[outbox.APPLYING_PULL] = True  # the office's own row: nothing to queue back
    connection = session.connection()
    clients, cases = sync_rows.table_for(CLIENTS), sync_rows.table_for(CASES)
    mine = {str(i["row"]["id"]): i["row"] for i in sent if i["table"] == CLIENTS}
    merged: list[str] = []
    for laptop_id, office_id in mapping.items():
        old = (
            connection.execute(select(clients).where(clients.c.id == laptop_id)).mappings().first()
        )
        here = old or (
            connection.execute(select(clients).where(clients.c.id == office_id)).mappings().first()
        )
        row = dict(office_rows[office_id])
        sent_row = mine.get(str(office_id))
        if here is not None:
            current = sync_rows.encode_row(clients, here)
            # A field changed here after the batch was sent: still this laptop's, pushed next.
            later = [f for f in sync_fields.MERGED if sent_row and current[f] != sent_row[f]]
            row.update({f: current[f] for f in later})
            if any(f in sync_fields.NAMES for f in later):
                row = sync_fields.with_sort_name(row)
        values = sync_rows.decode_row(clients, row)
        # Written here: the laptop's own row, or the office's row that this batch sent again.
        written = old is not None or (here is not None and sent_row is not None)
        if old is not None:
            kenmerken = sorted(
                set(
                    connection.execute(
                        select(cases.c.reference).where(cases.c.client_id == laptop_id)
                    ).scalars()
                )
            )
            # The BSN is unique here too: the old row steps aside inside this transaction.
            connection.execute(
                update(clients).where(clients.c.id == laptop_id).values(bsn="~" + laptop_id.hex[:8])
            )
            connection.execute(insert(clients).values(values))
            connection.execute(
                update(cases).where(cases.c.client_id == laptop_id).values(client_id=office_id)
            )
            connection.execute(delete(clients).where(clients.c.id == laptop_id))
            details = {"client_laptop": str(laptop_id), "client_kantoor": str(office_id)}
            audit.record_many(session, ACTION, [(k, details) for k in kenmerken])
            merged += kenmerken
        elif written:  # a later batch of the same request that still named the laptop's id
            connection.execute(update(clients).where(clients.c.id == office_id).values(values))
        for model in (SyncOutbox, SyncConflict):
            connection.execute(
                update(model)
                .where(model.table_name == CLIENTS, model.row_id == laptop_id)
                .values(row_id=office_id)
            )
        connection.execute(
            delete(SyncShadow).where(
                SyncShadow.table_name == CLIENTS, SyncShadow.row_id == laptop_id
            )
        )
        if written:  # the office's row is what this laptop now knows of it
            sync_fields.remember(session, [(CLIENTS, office_rows[office_id])])
    return merged
