"""A case that leaves this laptop's scope is removed from it (docs/team-mode.md, "Scope").

The office sends a purge item for a case out of this laptop's scope (its lease went to
another consultant). Inside the pulled page's own transaction, outside the outbox:

- the local case goes, with its lease row, and a later revision that refers to it (a
  kenmerk's revisions leave together: `server lease-break` moves them together);
- its client goes too when no other local case refers to it, it has no unpushed change and
  the page did not bring it (then a case in scope refers to it at the office);
- nothing is lost: a case with an unpushed local change (still in the outbox: committed
  while the sync ran) is put into the conflict inbox first, with this laptop's row whole,
  and its outbox entry is dropped (the office would only park it: another consultant holds
  the case). A person decides there (services/sync_inbox.py);
- one `sync_purge` entry per kenmerk on this laptop's audit chain (the kenmerk and the new
  holder, never a BSN), so the local log says where the case went.

A purge item for a case this laptop never had does nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bwo_desktop.models import SyncConflict, SyncLease, SyncOutbox, SyncShadow, utcnow
from bwo_desktop.services import audit, sync_rows

CASES = "herindicaties"
CLIENTS = "clients"
ACTION = "sync_purge"
PURGE = "purge"  # the op of a purge item in a pulled page


@dataclass(frozen=True)
class Purged:
    reference: str
    holder: str | None  # the consultant who holds the case now, as the office said
    to_inbox: bool  # an unpushed local change went into the conflict inbox


def reason(reference: str, holder: str | None) -> str:
    to = holder or "een andere consulent"
    return (
        f"buiten uw werkvoorraad: casus {reference} is overgedragen aan {to}; uw niet "
        "verstuurde wijziging staat hier (de casus is van deze laptop verwijderd)"
    )


def purge(
    session: Session,
    targets: dict[uuid.UUID, str | None],
    waiting: set[tuple[str, uuid.UUID]],
    sent: set[uuid.UUID] | frozenset[uuid.UUID] = frozenset(),
) -> list[Purged]:
    """Remove the local cases of `targets` (case id -> new holder's consultant). `waiting`:
    the (table, row id) pairs with an unpushed outbox entry; `sent`: the clients the page
    itself brought (in scope by the office's word: a case of a later page may refer to
    them). Returns one Purged per kenmerk."""
    if not targets:
        return []
    cases = sync_rows.table_for(CASES)
    clients = sync_rows.table_for(CLIENTS)
    connection = session.connection()
    connection.execute(delete(SyncLease).where(SyncLease.case_id.in_(targets)))
    found = list(connection.execute(select(cases).where(cases.c.id.in_(targets))).mappings())
    ids = {r["id"] for r in found}
    while ids:  # later revisions that refer to a leaving one leave with it
        later = [
            r
            for r in connection.execute(
                select(cases).where(cases.c.previous_id.in_(ids), cases.c.id.not_in(ids))
            ).mappings()
        ]
        if not later:
            break
        found += later
        ids |= {r["id"] for r in later}
    if not found:
        return []
    holders: dict[str, str | None] = {}
    clients_of: dict[str, set[uuid.UUID]] = {}
    for r in found:
        if r["id"] in targets or r["reference"] not in holders:
            holders[r["reference"]] = targets.get(r["id"]) or holders.get(r["reference"])
        clients_of.setdefault(r["reference"], set()).add(r["client_id"])
    parked: set[str] = set()
    for row in found:
        if (CASES, row["id"]) not in waiting:
            continue
        parked.add(row["reference"])
        session.add(
            SyncConflict(
                table_name=CASES,
                row_id=row["id"],
                reference=row["reference"],
                reason=reason(row["reference"], holders.get(row["reference"])),
                holder=holders.get(row["reference"]),  # the consultant it went to
                local_row=sync_rows.encode_row(cases, row),
                office_row=None,
                created_at=utcnow(),
            )
        )
    session.flush()
    connection.execute(
        delete(SyncOutbox).where(
            SyncOutbox.pushed_at.is_(None),
            SyncOutbox.table_name == CASES,
            SyncOutbox.row_id.in_(ids),
        )
    )
    # Newest revision first: an older one is referred to by the newer (RESTRICT).
    for row in sorted(found, key=lambda r: r["revision"] or 0, reverse=True):
        connection.execute(delete(cases).where(cases.c.id == row["id"]))
    candidates = {r["client_id"] for r in found} - sent
    candidates -= {row_id for name, row_id in waiting if name == CLIENTS}
    still_used = set(
        connection.execute(
            select(cases.c.client_id).where(cases.c.client_id.in_(candidates))
        ).scalars()
    )
    gone = candidates - still_used
    if gone:
        connection.execute(delete(clients).where(clients.c.id.in_(gone)))
        # The office's last known names and address of a client gone from here go too.
        connection.execute(
            delete(SyncShadow).where(SyncShadow.table_name == CLIENTS, SyncShadow.row_id.in_(gone))
        )
    purged = [Purged(ref, holders[ref], ref in parked) for ref in sorted(holders)]
    audit.record_many(
        session,
        ACTION,
        [(p.reference, _details(p, bool(clients_of[p.reference] & gone))) for p in purged],
    )
    return purged


def _details(purged: Purged, clients_removed: bool) -> dict[str, Any]:
    return {
        "naar": purged.holder,
        "conflictenoverzicht": purged.to_inbox,
        "client_verwijderd": clients_removed,
    }
