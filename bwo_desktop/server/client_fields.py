"""Client rows at a push (docs/team-mode.md, "Rules per table"; the rule itself is in
services/sync_fields.py, shared with the laptop).

A pushed client row carries `"base"`: the old value of each merged field, as that laptop
last knew the office's row. Each field is applied only when the office still has the old
value (or the same new one); a field the office changed meanwhile to something else is a
**field conflict**: the office keeps its value there, the rest of the row applies, and the
row is parked in `server_conflicts` and named in the answer's `"parked"` (with the office's
row as it now stands and the fields), so the laptop's conflict inbox gets both versions.
Leases do not apply to clients.

A BSN never changes through a push: a client row whose BSN differs from the office's row
of the same id refuses the batch whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from bwo_desktop.models.base import utcnow
from bwo_desktop.server import schema, store
from bwo_desktop.services import sync_fields, sync_rows

CLIENTS = sync_fields.CLIENTS
REFERENCE_CHARS = 60
BSN_REFUSED = (
    "het BSN van een cliënt die het kantoor al heeft, verandert niet via een synchronisatie; "
    "laat het kantoor het BSN corrigeren (batch geweigerd, er is niets bewaard)"
)


def parse_bases(body: Any) -> dict[uuid.UUID, dict[str, Any]]:
    """The `base` of each pushed client row, by row id (only rows that carry one)."""
    bases: dict[uuid.UUID, dict[str, Any]] = {}
    rows = body.get("rows") if isinstance(body, dict) else None
    try:
        for item in rows or []:
            if not isinstance(item, dict) or "base" not in item:
                continue
            if item.get("table") != CLIENTS:
                raise sync_fields.BaseError("base alleen bij een cliënt")
            base = sync_fields.parse_base(item["base"])
            if base is not None:
                bases[sync_rows.row_id(item.get("row") or {})] = base
    except (sync_fields.BaseError, sync_rows.RowError) as exc:
        raise store.Refused(400, f"batch geweigerd: {exc}") from None
    return bases


def reference_of(row: dict[str, Any]) -> str:
    """How the inbox names a client: "cliënt Wilde, M. de" (never the BSN)."""
    return f"cliënt {row.get('sort_name') or ''}".strip()[:REFERENCE_CHARS]


def sort_out(
    conn: Connection,
    device: store.Device,
    batch_id: uuid.UUID,
    parsed: list[tuple[str, str, dict[str, Any]]],
    bases: dict[uuid.UUID, dict[str, Any]],
    remapped: Collection[uuid.UUID] = (),
) -> tuple[list[tuple[str, str, dict[str, Any]]], list[dict[str, Any]]]:
    """The batch with each client row merged field by field into the office's, and the rows
    parked for a field conflict (applied but for those fields). Raises Refused when a
    client's BSN would change. Inside the push's transaction, after the team lock.

    `remapped`: the office ids of rows a laptop made for a client the office had
    (server/client_remap.py). Such a row has no base: each field where it differs from the
    office's row is a field conflict, the office's row stands (nothing of it is applied)."""
    table = sync_rows.table_for(CLIENTS)
    incoming = {v["id"] for name, _op, v in parsed if name == CLIENTS}
    if not incoming:
        return parsed, []
    stored = {
        r["id"]: sync_rows.encode_row(table, r)
        for r in conn.execute(select(table).where(table.c.id.in_(incoming))).mappings()
    }
    kept: list[tuple[str, str, dict[str, Any]]] = []
    parked: list[dict[str, Any]] = []
    for name, op, values in parsed:
        office = stored.get(values["id"]) if name == CLIENTS else None
        if office is None:
            kept.append((name, op, values))
            continue
        row = sync_rows.encode_row(table, values)
        if any(row[f] != office[f] for f in sync_fields.IDENTITY):
            raise store.Refused(409, BSN_REFUSED)
        if values["id"] in remapped:
            merged = office
            conflicts = [f for f in sync_fields.MERGED if row[f] != office[f]]
        else:
            merged, conflicts = sync_fields.merge(office, row, bases.get(values["id"]))
            if merged != row:
                merged["version"] = max(office["version"], row["version"]) + 1
            kept.append((name, op, sync_rows.decode_row(table, merged)))
        if not conflicts:
            continue
        reference = reference_of(merged)
        reason = f"veldconflict: {sync_fields.labels(conflicts)}"
        conn.execute(
            insert(schema.conflicts).values(
                case_id=values["id"],  # the client's row id: the column names a case's too
                reference=reference,
                device=device.name,
                batch_id=batch_id,
                row=row,
                reason=reason,
                created_at=utcnow(),
            )
        )
        parked.append(
            {
                "table": CLIENTS,
                "row_id": str(values["id"]),
                "reference": reference,
                "reason": reason,
                "holder": None,
                "office_row": merged,
                "fields": conflicts,
            }
        )
    return kept, parked
