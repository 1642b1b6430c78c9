"""Team mode's rule for clients (docs/team-mode.md, "Rules per table"): a field is pushed
with its old value and applied only if the office still has that value; otherwise it is a
field conflict. A BSN never changes through a push. No Qt; used by the laptop and the office.

- **The old value** is the office's last known state of the row on this laptop: its
  shadow (`sync_shadow`, migration 0007), written when a pulled page applies the row and
  when a push of it is acknowledged. A push of a client sends `"base": {field: old value}`
  for the `MERGED` fields; a client without a shadow (new here) sends no base.
- **At the office, per field** (`merge`, on rows in the wire format): a field this laptop
  did not change (new = base) keeps the office's value; a field the office did not change
  (office = base), or changed to the same value, takes the new one; else it is a field
  conflict: the office keeps its value, the rest of the row applies, and the row is parked.
- **Names and the birth date** are merged like the contact fields: each is one field a
  consultant corrects on its own. `sort_name` is derived: it follows the merged names.
- **The BSN** (`IDENTITY`) never changes through a push of an existing client (the office
  refuses the batch), and this laptop does not let a synced client's BSN change
  (`refuse_bsn_change`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwo_desktop.core.audit_details import field_label
from bwo_desktop.core.case import Client as CoreClient
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.names import sort_name
from bwo_desktop.models import SyncShadow

CLIENTS = "clients"
NAMES = ("initials", "first_name", "prefix", "last_name")
CONTACT = (
    "street",
    "house_number",
    "postcode",
    "city",
    "begeleider_name",
    "begeleider_phone",
    "begeleider_email",
)
# The fields merged one by one against the pushed base, in column order.
MERGED = (*NAMES, "birth_date", *CONTACT)
IDENTITY = ("bsn",)
# Tables whose rows keep a shadow and push a base. Zorgaanbieders and cases do not: a case
# has one writer by lease, a provider row still goes as the pushed row wins.
SHADOWED = (CLIENTS,)


class BaseError(ValueError):
    """A `base` that does not fit: the batch is refused whole."""


def labels(fields: Iterable[str]) -> str:
    """The fields in the editor's Dutch words: "telefoon begeleider, e-mail begeleider"."""
    return ", ".join(field_label(f"client.{f}") for f in fields)


def parse_base(data: Any) -> dict[str, Any] | None:
    """A pushed base: None, or an object of `MERGED` fields with wire values."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise BaseError("base moet een object zijn")
    unknown = sorted(set(data) - set(MERGED))
    if unknown:
        raise BaseError(f"base met onbekende velden {unknown}")
    return dict(data)


def with_sort_name(row: dict[str, Any]) -> dict[str, Any]:
    """`row` (wire format) with `sort_name` made from its own name fields."""
    client = CoreClient(
        bsn=str(row.get("bsn") or ""),
        last_name=str(row.get("last_name") or ""),
        birth_date=dt.date.min,
        initials=row.get("initials"),
        first_name=row.get("first_name"),
        prefix=row.get("prefix"),
    )
    return {**row, "sort_name": sort_name(client)}


def merge(
    office: Mapping[str, Any], incoming: Mapping[str, Any], base: Mapping[str, Any] | None
) -> tuple[dict[str, Any], list[str]]:
    """The row the office keeps, and the fields in conflict (column order). Rows in the wire
    format (sync_rows.encode_row). Without a base the pushed row is applied as it is."""
    merged = dict(incoming)
    conflicts: list[str] = []
    if base is None:
        return merged, conflicts
    for name in MERGED:
        if name not in base:
            continue
        new, old, theirs = incoming[name], base[name], office[name]
        if new == old:
            merged[name] = theirs  # not changed here: the office's value stands
        elif theirs not in (old, new):
            merged[name] = theirs  # both changed it, differently: a person decides
            conflicts.append(name)
    if any(merged[n] != incoming[n] for n in NAMES):
        merged = with_sort_name(merged)
    return merged, conflicts


# -- the laptop's shadow ------------------------------------------------------------------
def shadow_of(session: Session, table_name: str, row_id: uuid.UUID) -> dict[str, Any] | None:
    found = session.scalar(
        select(SyncShadow.row).where(
            SyncShadow.table_name == table_name, SyncShadow.row_id == row_id
        )
    )
    return dict(found) if found is not None else None


def base_for(session: Session, table_name: str, row_id: uuid.UUID) -> dict[str, Any] | None:
    """The base a push of this row sends: the shadow's merged fields; None without one."""
    if table_name not in SHADOWED:
        return None
    shadow = shadow_of(session, table_name, row_id)
    return {n: shadow.get(n) for n in MERGED} if shadow is not None else None


def remember(session: Session, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
    """Store (table, wire row) pairs as the office's known state of those rows, their
    `MERGED` fields only: one executemany (a pulled page may hold thousands), outside the
    outbox."""
    wanted: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for table_name, row in rows:
        if table_name in SHADOWED:
            row_id = uuid.UUID(str(row["id"]))
            wanted[(table_name, row_id)] = {
                "table_name": table_name,
                "row_id": row_id,
                "row": {n: row[n] for n in MERGED},  # only what a base needs: no BSN here
            }
    if not wanted:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    table: Any = SyncShadow.__table__
    connection = session.connection()
    keys = [table.c.table_name, table.c.row_id]
    stmt: Any
    if connection.dialect.name == "postgresql":
        pg = postgresql.insert(table)
        stmt = pg.on_conflict_do_update(index_elements=keys, set_={"row": pg.excluded.row})
    else:
        lite = sqlite.insert(table)
        stmt = lite.on_conflict_do_update(index_elements=keys, set_={"row": lite.excluded.row})
    connection.execute(stmt, list(wanted.values()))


def is_synced(session: Session, table_name: str, row_id: uuid.UUID) -> bool:
    """True when the office has this row (a pull brought it or a push was acknowledged)."""
    found = session.scalar(
        select(SyncShadow.row_id).where(
            SyncShadow.table_name == table_name, SyncShadow.row_id == row_id
        )
    )
    return found is not None


def refuse_bsn_change(
    session: Session, client_id: uuid.UUID | None, current_bsn: str | None, new_bsn: str
) -> None:
    """A case's client keeps its BSN once the office has that client: a BSN never changes
    offline. Raises InputError on `client.bsn`."""
    if client_id is None or current_bsn is None or current_bsn == new_bsn:
        return
    if is_synced(session, CLIENTS, client_id):
        raise InputError(
            "client.bsn",
            "het BSN van een cliënt die al met het kantoor is gedeeld, verandert niet op deze "
            "laptop; laat het kantoor het BSN corrigeren",
        )


__all__ = [
    "CLIENTS",
    "CONTACT",
    "IDENTITY",
    "MERGED",
    "NAMES",
    "SHADOWED",
    "BaseError",
    "base_for",
    "is_synced",
    "labels",
    "merge",
    "parse_base",
    "refuse_bsn_change",
    "remember",
    "shadow_of",
    "with_sort_name",
]
