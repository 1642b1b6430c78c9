"""A laptop's scope: what a pull sends to one device (docs/team-mode.md, "Scope").

A laptop leaves the office, so it carries only what its consultant works on:

- the team's cases (herindicaties) whose lease is held by this device's consultant (any
  device of that consultant: the lease's `consultant` is compared, so a lease granted to
  "any device of X" works too), plus the cases without a lease (the team's open pool);
- the clients those cases refer to;
- every zorgaanbieder of the team (not sensitive).

A change of a case out of scope is not sent with its row: the page carries a purge item
`{"seq", "table": "herindicaties", "op": "purge", "row_id", "holder"}` (`holder`: the
consultant who holds it now; no row, no kenmerk), and the laptop removes the case if it has
it. A change of a client out of scope is skipped. An in-scope case changed by another device
(a lease moved here, a case of the pool) is preceded by its client and zorgaanbieder, even
when their own changes are older than the cursor: a laptop that never had the client gets it
with the case (parents first). A parent is not sent again when the page has a change of it,
or when its newest change was on an earlier page of the same sync (the request's `since`:
the laptop's cursor when its sync began).

Scope is decided when the page is read, with the leases of that moment.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from bwo_desktop.core.names import same_consultant
from bwo_desktop.server import leases, schema
from bwo_desktop.services import sync_rows

CASES = leases.CASES
CLIENTS = "clients"
PROVIDERS = "zorgaanbieders"
PURGE = "purge"


def in_scope(holder: dict[str, str] | None, consultant: str) -> bool:
    """A case with no lease (the open pool) or one held by this consultant."""
    return holder is None or same_consultant(holder["consultant"], consultant)


def clients_in_scope(
    conn: Connection, consultant: str, client_ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    """The clients of `client_ids` that a case in this consultant's scope refers to."""
    if not client_ids:
        return set()
    cases = sync_rows.table_for(CASES)
    lease = schema.leases
    found = conn.execute(
        select(cases.c.client_id, lease.c.consultant)
        .distinct()
        .select_from(cases.outerjoin(lease, lease.c.case_id == cases.c.id))
        .where(cases.c.client_id.in_(client_ids))
    )
    # Names compared as the leases compare them (spaces, case and accents do not matter).
    return {
        client_id
        for client_id, holder in found
        if holder is None or same_consultant(holder, consultant)
    }


def _rows(
    conn: Connection, wanted: dict[str, set[uuid.UUID]]
) -> dict[tuple[str, uuid.UUID], dict[str, Any]]:
    rows: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for name, ids in wanted.items():
        if not ids:
            continue
        table = sync_rows.table_for(name)
        for row in conn.execute(select(table).where(table.c.id.in_(ids))).mappings():
            rows[(name, row["id"])] = sync_rows.encode_row(table, row)
    return rows


def _op(row: dict[str, Any]) -> str:
    return "delete" if row.get("deleted_at") is not None else "upsert"


def _sent_earlier(conn: Connection, ids: set[uuid.UUID], since: int, cursor: int) -> set[uuid.UUID]:
    """The rows of `ids` whose newest change is in (since, cursor]: an earlier page of the
    same sync carried them (a batch's parents come first, so a large batch puts a case's
    client on the page before the case)."""
    if since >= cursor or not ids:
        return set()
    newest = (
        select(schema.changes.c.row_id, func.max(schema.changes.c.seq))
        .where(schema.changes.c.row_id.in_(ids))
        .group_by(schema.changes.c.row_id)
    )
    return {row_id for row_id, seq in conn.execute(newest) if since < seq <= cursor}


def page_items(
    conn: Connection,
    device_name: str,
    consultant: str,
    page: Sequence[Row[Any]],
    window: tuple[int, int] = (0, 0),
) -> list[dict[str, Any]]:
    """The items of one pull page for this device: rows in scope (parents first), purge
    items for cases out of scope. `window`: (since, cursor) of the request; a parent whose
    newest change is in it was sent on an earlier page of this sync. Inside the pull's
    transaction (the team is set)."""
    ids: dict[str, set[uuid.UUID]] = {}
    for change in page:
        ids.setdefault(change.table_name, set()).add(change.row_id)
    held = leases.holders(conn, ids.get(CASES, set()))
    wanted = {
        PROVIDERS: ids.get(PROVIDERS, set()),
        CLIENTS: clients_in_scope(conn, consultant, ids.get(CLIENTS, set())),
        CASES: {i for i in ids.get(CASES, set()) if in_scope(held.get(i), consultant)},
    }
    rows = _rows(conn, wanted)

    # The parents of an in-scope case another device changed, when the page has no change
    # of them: this laptop may never have had them (the case just entered its scope).
    sent = {(c.table_name, c.row_id) for c in page if (c.table_name, c.row_id) in rows}
    needed: dict[str, set[uuid.UUID]] = {CLIENTS: set(), PROVIDERS: set()}
    for change in page:
        row = rows.get((change.table_name, change.row_id))
        if change.table_name != CASES or row is None or change.device == device_name:
            continue
        for name, column in ((CLIENTS, "client_id"), (PROVIDERS, "provider_id")):
            if row[column] is not None and (name, uuid.UUID(row[column])) not in sent:
                needed[name].add(uuid.UUID(row[column]))
    for wanted_ids in needed.values():
        wanted_ids.difference_update(_sent_earlier(conn, wanted_ids, *window))
    parents = _rows(conn, needed)

    items: list[dict[str, Any]] = []
    for change in page:
        key = (change.table_name, change.row_id)
        if change.table_name == CASES and key not in rows:
            holder = held.get(change.row_id)
            if holder is not None and not in_scope(holder, consultant):
                items.append(
                    {
                        "seq": change.seq,
                        "table": CASES,
                        "op": PURGE,
                        "row_id": str(change.row_id),
                        "holder": holder["consultant"],
                    }
                )
            continue
        if key not in rows:
            continue  # a client out of scope, or a row that is gone
        row = rows[key]
        if change.table_name == CASES:
            for name, column in ((PROVIDERS, "provider_id"), (CLIENTS, "client_id")):
                parent = row[column] and parents.pop((name, uuid.UUID(row[column])), None)
                if parent:
                    items.append(
                        {"seq": change.seq, "table": name, "op": _op(parent), "row": parent}
                    )
        item: dict[str, Any] = {"seq": change.seq, "table": change.table_name, "op": change.op}
        item["row"] = row
        if change.table_name == CASES:
            item["lease"] = held.get(change.row_id)  # who may change the case; None: nobody yet
        items.append(item)
    return items
