"""The office's copy of each laptop's audit chain (POST /audit; docs/team-mode.md, "The
audit chains"): an append-only union, checked on arrival.

Every entry is re-hashed with the laptop's own `audit.entry_hash`; a bad hash or a broken
link inside the batch is refused (and kept in quarantine as 'broken'). Against what the
office already holds of this device:

- an entry it holds with the same hash is a harmless resend and skipped;
- an entry it holds with another hash, or a first new entry whose `prev_hash` is not the
  hash the office holds at seq-1, is a fork (a laptop restored from an old backup): the
  entries from there are quarantined ('fork'), an `alarm_fork` entry goes into the team's
  office chain, and the laptop gets 409 with one Dutch line;
- a first new entry beyond the office's head + 1 is a gap: the answer asks for a resend.

A stored batch appends a `device_audit` entry to the office chain, whose head is the
receipt. Quarantine and alarm are committed before the refusal is raised.

A fork stays open until the team lead accepts it (`accept_fork`, `server audit-quarantine
--accept`): the device's chain then restarts in a new epoch from the fork point, the
entries before it copied there; nothing is ever updated or deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from bwo_desktop.models.base import utcnow
from bwo_desktop.server import schema, store
from bwo_desktop.server.store import Device, Refused
from bwo_desktop.services import audit
from bwo_desktop.services.sync_audit import EntryError, decode_entry, recomputed_hash

MAX_ENTRIES = 5000
FORK_CODE = "audit_fork"  # the refusal's `code`: the laptop shows what to do


def fork_message(seq: int) -> str:
    return (
        "het logboek van deze laptop wijkt af van wat het kantoor al heeft (vanaf regel "
        f"{seq}): mogelijk teruggezet uit een oude back-up; de teamleider is gewaarschuwd"
    )


def broken_message(seq: int) -> str:
    return (
        f"het logboek van deze laptop is beschadigd (regel {seq} klopt niet met de eigen "
        "hash of de vorige regel): niets bewaard; de teamleider is gewaarschuwd"
    )


def _parse(body: Any) -> list[tuple[dict[str, Any], audit.AuditRecord]]:
    if not isinstance(body, dict) or body.get("protocol") != 1:
        raise Refused(400, "verzoek onvolledig: veld 'protocol' ontbreekt of is ongeldig")
    raw = body.get("entries")
    if not isinstance(raw, list):
        raise Refused(400, "verzoek onvolledig: veld 'entries' ontbreekt of is ongeldig")
    if len(raw) > MAX_ENTRIES:
        raise Refused(413, f"te veel logboekregels in één verzoek (meer dan {MAX_ENTRIES})")
    try:
        return [(item, decode_entry(item)) for item in raw]
    except EntryError as exc:
        raise Refused(400, f"logboek geweigerd: {exc}") from None


def _first_broken(entries: list[audit.AuditRecord]) -> int | None:
    """The first entry whose hash is not its own, or that does not follow the one before."""
    previous: audit.AuditRecord | None = None
    for entry in entries:
        if recomputed_hash(entry) != entry.hash:
            return entry.seq
        if previous is not None and (
            entry.seq != previous.seq + 1 or entry.prev_hash != previous.hash
        ):
            return entry.seq
        previous = entry
    return None


def _epoch(conn: Connection, device: str) -> int:
    """The device's current chain: 0, or the epoch of its last accepted fork."""
    forks = schema.device_audit_forks
    found = conn.execute(select(func.max(forks.c.epoch)).where(forks.c.device == device)).scalar()
    return int(found or 0)


def _held(conn: Connection, device: str, epoch: int, seqs: list[int]) -> dict[int, str]:
    table = schema.device_audit
    rows = conn.execute(
        select(table.c.seq, table.c.hash).where(
            table.c.device == device, table.c.epoch == epoch, table.c.seq.in_(seqs)
        )
    )
    return {row.seq: row.hash for row in rows}


def _head(conn: Connection, device: str, epoch: int | None = None) -> tuple[int, str]:
    table = schema.device_audit
    epoch = _epoch(conn, device) if epoch is None else epoch
    row = conn.execute(
        select(table.c.seq, table.c.hash)
        .where(table.c.device == device, table.c.epoch == epoch)
        .order_by(table.c.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, audit.GENESIS_HASH)


def known_head(engine: Engine, device: Device) -> dict[str, Any] | None:
    """What the office holds of this device's chain (hello): its head, None when nothing."""
    with engine.connect() as conn, conn.begin():
        schema.set_team(conn, device.team)
        seq, digest = _head(conn, device.name)
    return {"seq": seq, "hash": digest} if seq else None


@dataclass(frozen=True)
class Fork:
    """A device's entries in quarantine as a fork, not resolved by the team lead."""

    team: str
    device: str
    from_seq: int
    entries: int
    received_at: dt.datetime

    def listing(self) -> str:
        when = self.received_at.astimezone().strftime("%d-%m-%Y %H:%M")
        return f"vanaf regel {self.from_seq} ({self.entries} regels, ontvangen {when})"

    def finding(self) -> str:
        return f"afwijkend logboek in quarantaine {self.listing()}, niet opgelost"


def open_forks(conn: Connection, team: str, device: str | None = None) -> list[Fork]:
    """The team's unresolved forks, one per device; the caller's transaction set the team."""
    q, forks = schema.device_audit_quarantine, schema.device_audit_forks
    resolved = (
        select(func.max(forks.c.resolved_at)).where(forks.c.device == q.c.device).scalar_subquery()
    )
    query = (
        select(
            q.c.device,
            func.min(q.c.seq).label("from_seq"),
            func.count().label("entries"),
            func.min(q.c.received_at).label("received_at"),
        )
        .where(
            q.c.bwo_team == team,
            q.c.reason == "fork",
            or_(resolved.is_(None), q.c.received_at > resolved),  # not accepted since
        )
        .group_by(q.c.device)
        .order_by(q.c.device)
    )
    if device is not None:
        query = query.where(q.c.device == device)
    return [
        Fork(team, row.device, row.from_seq, row.entries, row.received_at)
        for row in conn.execute(query)
    ]


def accept_fork(engine: Engine, device_name: str, team: str | None = None) -> dict[str, Any]:
    """The team lead accepts the laptop's history from its fork on (`server audit-quarantine
    --accept`). Nothing is updated or deleted: the device's entries before the fork point
    are copied into a new epoch, which the laptop's chain continues from; the old epoch
    (with the entries the laptop lost) and the quarantine stay as evidence. A
    `fork_resolved` entry goes into the team's office chain. With `team`, the device must
    be of that team. Returns what was done."""
    from bwo_desktop.core.errors import InputError

    with engine.connect() as conn:
        found = conn.execute(
            select(schema.devices.c.team).where(schema.devices.c.name == device_name)
        ).scalar()
    if found is None or (team is not None and found != team):
        where = "bij het kantoor" if team is None else f"in team {team}"
        raise InputError("--accept", f"apparaat {device_name!r} is niet aangemeld {where}")
    team = str(found)
    with engine.begin() as conn:
        schema.set_team(conn, team)
        store.team_lock(conn, team)
        forks = open_forks(conn, team, device_name)
        if not forks:
            raise InputError(
                "--accept",
                f"van apparaat {device_name} staat geen afwijkend logboek in quarantaine",
            )
        fork = forks[0]
        old = _epoch(conn, device_name)
        new = old + 1
        table = schema.device_audit
        lost = conn.execute(
            select(func.count()).where(
                table.c.device == device_name, table.c.epoch == old, table.c.seq >= fork.from_seq
            )
        ).scalar_one()
        columns = ("bwo_team", "device", "seq", "entry", "hash", "prev_hash", "received_at")
        kept = conn.execute(
            insert(table)
            .from_select(
                [*columns, "epoch"],
                select(*(table.c[c] for c in columns), literal(new)).where(
                    table.c.device == device_name,
                    table.c.epoch == old,
                    table.c.seq < fork.from_seq,
                ),
            )
            .returning(table.c.id)
        ).all()
        conn.execute(
            insert(schema.device_audit_forks).values(
                device=device_name,
                from_seq=fork.from_seq,
                epoch=new,
                quarantined=fork.entries,
                resolved_at=utcnow(),
            )
        )
        details = {
            "device": device_name,
            "from_seq": fork.from_seq,
            "epoch": new,
            "quarantined": fork.entries,
            "office_only": lost,  # entries the office held that the laptop no longer has
        }
        from bwo_desktop.server.office import OFFICE_DEVICE

        receipt = store.append_audit(conn, team, OFFICE_DEVICE, "fork_resolved", details)
    return {**details, "team": team, "copied": len(kept), "receipt": receipt}


def _quarantine(
    conn: Connection,
    device: Device,
    items: list[tuple[dict[str, Any], audit.AuditRecord]],
    reason: str,
) -> int:
    """Keep the refused entries once each; returns how many were new."""
    table = schema.device_audit_quarantine
    now, added = utcnow(), 0
    for raw, entry in items:
        result = conn.execute(
            pg_insert(table)
            .values(
                device=device.name,
                seq=entry.seq,
                hash=str(raw.get("hash"))[:64],
                entry=raw,
                reason=reason,
                received_at=now,
            )
            .on_conflict_do_nothing()
            .returning(table.c.id)
        )
        added += len(result.all())
    return added


def _refuse(
    engine: Engine,
    device: Device,
    items: list[tuple[dict[str, Any], audit.AuditRecord]],
    reason: str,
    seq: int,
) -> Refused:
    with engine.begin() as conn:
        schema.set_team(conn, device.team)
        store.team_lock(conn, device.team)
        if _quarantine(conn, device, items, reason):
            # Once per refused set of entries: a laptop that keeps retrying does not flood.
            action = "alarm_fork" if reason == "fork" else "alarm_audit_broken"
            store._append_audit(
                conn, device, action, uuid.uuid4(), {"from_seq": seq, "entries": len(items)}
            )
    if reason == "fork":
        return Refused(409, fork_message(seq), code=FORK_CODE)
    return Refused(422, broken_message(seq))


def receive(engine: Engine, device: Device, body: Any) -> dict[str, Any]:
    """POST /audit: store the device's entries after the office's head, or refuse them."""
    items = _parse(body)
    entries = [entry for _raw, entry in items]
    broken = _first_broken(entries)
    if broken is not None:
        raise _refuse(engine, device, [i for i in items if i[1].seq >= broken], "broken", broken)
    fork: int | None = None
    with engine.begin() as conn:
        schema.set_team(conn, device.team)
        store.team_lock(conn, device.team)
        epoch = _epoch(conn, device.name)
        head_seq, head_hash = _head(conn, device.name, epoch)
        held = _held(conn, device.name, epoch, [e.seq for e in entries if e.seq <= head_seq])
        fresh = [i for i in items if i[1].seq > head_seq]
        for entry in entries:
            if entry.seq <= head_seq and held.get(entry.seq) != entry.hash:
                fork = entry.seq
                break
        if fork is None and fresh:
            first = fresh[0][1]
            if first.seq > head_seq + 1:
                return {"protocol": 1, "status": "resend_from", "seq": head_seq + 1}
            if first.prev_hash != head_hash:
                fork = first.seq
        if fork is None:
            now = utcnow()
            for raw, entry in fresh:
                conn.execute(
                    insert(schema.device_audit).values(
                        device=device.name,
                        epoch=epoch,
                        seq=entry.seq,
                        entry=raw,
                        hash=entry.hash,
                        prev_hash=entry.prev_hash,
                        received_at=now,
                    )
                )
            receipt = None
            if entries:  # every entry is now held: the last one sent is acknowledged
                head_seq, head_hash = entries[-1].seq, entries[-1].hash
            if fresh:
                receipt = store._append_audit(
                    conn,
                    device,
                    "device_audit",
                    uuid.uuid4(),
                    {
                        "from_seq": fresh[0][1].seq,
                        "to_seq": fresh[-1][1].seq,
                        "entries": len(fresh),
                    },
                )
            return {
                "protocol": 1,
                "status": "stored",
                "stored": len(fresh),
                "head": {"seq": head_seq, "hash": head_hash},
                "receipt": receipt,
            }
    raise _refuse(engine, device, [i for i in items if i[1].seq >= fork], "fork", fork)
