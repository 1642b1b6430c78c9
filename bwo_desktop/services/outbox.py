"""The laptop's outbox for team mode (issue 15; the protocol is in docs/team-mode.md).

Every write transaction that changes a synced row (a client, a zorgaanbieder, a
herindicatie: the `Synced` models) adds one `sync_outbox` entry per changed row, in that
same transaction: the entry commits with the change or rolls back with it, so a change can
never be committed without being queued for the office, nor queued without being committed.
One local transaction is one batch (`batch_id`), the unit a push sends and the office applies
or refuses as a whole; the entry names the row and the version it reached, the push reads the
row itself (its newest state) when it sends the batch. A row changed again before a push keeps
only its newest entry (in the newest batch), so the outbox stays small between pushes.

No timestamps order anything here: `seq` is a local sequence, and the office gives its own
change sequence on the way back (a pull cursor, never a clock).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from bwo_desktop.models import SyncOutbox, utcnow
from bwo_desktop.models.base import Synced

_PENDING = "bwo_outbox_rows"
_BATCH = "bwo_outbox_batch"
# Set in `session.info` by a pull (services/sync_client): rows the office sent are not
# queued back to it.
APPLYING_PULL = "bwo_sync_pull"


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    batch_id: uuid.UUID
    table_name: str
    row_id: uuid.UUID
    row_version: int
    op: str  # "upsert" or "delete" (a tombstone: deleted_at set)


def install(sessions: sessionmaker[Session]) -> None:
    """Fill the outbox from every session this factory makes."""
    event.listen(sessions, "after_begin", _new_batch)
    event.listen(sessions, "before_flush", _collect)
    event.listen(sessions, "after_flush", _write)


def _new_batch(session: Session, _transaction: Any, _connection: Any) -> None:
    session.info[_BATCH] = uuid.uuid4()


def collect(session: Session, changed: dict[int, Synced]) -> None:
    """The synced rows the coming flush writes, into `changed` (by object). Also how the
    office's planning import (server/planning.py) finds the rows it must record."""
    for obj in session.new:
        if isinstance(obj, Synced):
            changed[id(obj)] = obj
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            changed[id(obj)] = obj


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(APPLYING_PULL):
        return
    collect(session, session.info.setdefault(_PENDING, {}))


def _write(session: Session, _context: Any) -> None:
    changed: dict[int, Synced] = session.info.pop(_PENDING, {})
    if not changed:
        return
    batch = session.info.setdefault(_BATCH, uuid.uuid4())
    rows = [
        {
            "batch_id": batch,
            "table_name": type(obj).__tablename__,  # type: ignore[attr-defined]
            "row_id": obj.id,
            "row_version": obj.version,
            "op": "delete" if obj.deleted_at is not None else "upsert",
            "created_at": utcnow(),
        }
        for obj in changed.values()
    ]
    # Core SQL on the flush's own connection: inside the transaction of the change. An
    # older pending entry of the same row is dropped: the push sends the row's newest state
    # anyway, and the outbox of a laptop that autosaves all morning stays as small as the
    # set of rows changed since the last push.
    connection = session.connection()
    ids = [row["row_id"] for row in rows]
    connection.execute(
        delete(SyncOutbox).where(SyncOutbox.pushed_at.is_(None), SyncOutbox.row_id.in_(ids))
    )
    connection.execute(insert(SyncOutbox), rows)


def pending(session: Session) -> list[OutboxEntry]:
    """The entries not yet acknowledged by the office, in local order."""
    stmt = select(SyncOutbox).where(SyncOutbox.pushed_at.is_(None)).order_by(SyncOutbox.seq)
    return [
        OutboxEntry(e.seq, e.batch_id, e.table_name, e.row_id, e.row_version, e.op)
        for e in session.scalars(stmt)
    ]


def mark_pushed(session: Session, batch_id: uuid.UUID) -> int:
    """The office acknowledged this batch: its entries are done. Returns how many."""
    result = session.execute(
        update(SyncOutbox)
        .where(SyncOutbox.batch_id == batch_id, SyncOutbox.pushed_at.is_(None))
        .values(pushed_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
