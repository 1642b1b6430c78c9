"""A client a colleague already brought to the office (docs/team-mode.md, "Rules per table").

A BSN is unique at the office, and a laptop holds only its consultant's scope: a consultant
who makes a case for a client of a colleague's case (an earlier herindicatie done by someone
else) never saw that client, so the laptop makes a new client row: a new id, the same BSN.
At the push (`store._push_one`, before the definitief check and the field and lease
sorting) such a row is **the same client**:

- a clients row with an id the office does not have and a BSN the office has in the same
  team (row-level security shows only the team's rows) gets the office's id; the batch's
  cases that refer to the laptop's id get the office's id too;
- the mapping is stored (`server_client_aliases`, per device) and applied to every later
  push of that device, so a later batch that still names the laptop's id (a case's finalise
  in the same request, a batch made before the laptop heard of the mapping) lands on the
  office's client as well;
- the row itself is merged against the office's without a base (client_fields): a field
  where the two differ is a field conflict, the office keeps its value; the BSN is the same
  by construction (a later aliased row with another BSN is refused as any BSN change);
- the outcome names the mapping, `"remapped": {"clients": {laptop id: office id}}`, and
  carries the office's row (`"office_rows"`), so the laptop rewrites its local id.

A BSN another team holds is invisible here; the insert then meets the office's unique BSN
(`uq_clients_bsn`) and the batch is refused whole with `OTHER_TEAM` (no BSN in it).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from bwo_desktop.models.base import utcnow
from bwo_desktop.server import schema
from bwo_desktop.services import sync_rows

CLIENTS = "clients"
CASES = "herindicaties"
BSN_CONSTRAINT = "uq_clients_bsn"
OTHER_TEAM = (
    "deze cliënt is bij een ander team bekend; neem contact op met de teamleider "
    "(batch geweigerd, er is niets bewaard)"
)

Parsed = list[tuple[str, str, dict[str, Any]]]


def remap(
    conn: Connection, device: str, parsed: Parsed
) -> tuple[Parsed, dict[uuid.UUID, uuid.UUID], set[uuid.UUID]]:
    """The batch with the laptop's ids of known clients replaced by the office's; the
    mapping used (laptop id -> office id); the office ids of the client rows rewritten.
    Inside the push's transaction, after the team lock; new mappings are stored."""
    clients = sync_rows.table_for(CLIENTS)
    aliases = schema.client_aliases
    rows = {v["id"]: v for name, _op, v in parsed if name == CLIENTS}
    ids = set(rows) | {v["client_id"] for name, _op, v in parsed if name == CASES}
    if not ids:
        return parsed, {}, set()
    mapping: dict[uuid.UUID, uuid.UUID] = {
        r.laptop_id: r.office_id
        for r in conn.execute(
            select(aliases.c.laptop_id, aliases.c.office_id).where(
                aliases.c.device == device, aliases.c.laptop_id.in_(ids)
            )
        )
    }
    by_bsn = {v["bsn"]: row_id for row_id, v in rows.items() if row_id not in mapping}
    if by_bsn:
        # One query: the team's rows of those BSNs, and of those ids (a row the office has).
        found = conn.execute(
            select(clients.c.id, clients.c.bsn).where(
                or_(clients.c.bsn.in_(by_bsn), clients.c.id.in_(by_bsn.values()))
            )
        ).all()
        known = {office_id for office_id, _bsn in found}
        for office_id, bsn in found:
            laptop_id = by_bsn.get(bsn)
            if laptop_id is None or laptop_id in known:
                continue  # not a BSN of this batch, or a client the office has by its id
            mapping[laptop_id] = office_id
            conn.execute(
                pg_insert(aliases)
                .values(
                    device=device,
                    laptop_id=laptop_id,
                    office_id=office_id,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing()
            )
    if not mapping:
        return parsed, {}, set()
    rewritten: Parsed = []
    moved: set[uuid.UUID] = set()
    for name, op, values in parsed:
        if name == CLIENTS and values["id"] in mapping:
            values = {**values, "id": mapping[values["id"]]}
            moved.add(values["id"])
        elif name == CASES and values["client_id"] in mapping:
            values = {**values, "client_id": mapping[values["client_id"]]}
        rewritten.append((name, op, values))
    used = {k: v for k, v in mapping.items() if k in ids}
    return rewritten, used, moved


def outcome(conn: Connection, mapping: dict[uuid.UUID, uuid.UUID]) -> dict[str, Any]:
    """What a batch's outcome says of its mapping: the ids and the office's rows as they
    stand after the batch (the laptop writes them in place of its own)."""
    if not mapping:
        return {}
    clients = sync_rows.table_for(CLIENTS)
    found = conn.execute(select(clients).where(clients.c.id.in_(set(mapping.values()))))
    return {
        "remapped": {CLIENTS: {str(k): str(v) for k, v in mapping.items()}},
        "office_rows": [
            {"table": CLIENTS, "row": sync_rows.encode_row(clients, r)} for r in found.mappings()
        ],
    }


def is_other_team(exc: Any) -> bool:
    """A database refusal that is the office's unique BSN: a BSN of another team (the team's
    own BSNs are remapped before the insert)."""
    orig = getattr(exc, "orig", None)
    diag = getattr(orig, "diag", None)
    return (
        getattr(orig, "sqlstate", None) == "23505"
        and getattr(diag, "constraint_name", None) == BSN_CONSTRAINT
    )
