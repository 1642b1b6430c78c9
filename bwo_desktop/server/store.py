"""What the office does with hello, push and pull (docs/team-mode.md, "Protocol"): plain
functions on an Engine, one database transaction each, no HTTP here.

Every request's transaction sets its device's team first (`schema.set_team`); row-level
security then hides every other team's rows, and the `bwo_team` column of a new row takes
that team. Writers of one team are serialised by a transaction-scoped advisory lock, so
the change sequence of a team grows in commit order (a pull cursor never skips a row of a
transaction that was still open) and a batch id is applied once even when two server
processes get the same resend at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from bwo_desktop import __version__
from bwo_desktop.models import migrate
from bwo_desktop.models.base import utcnow
from bwo_desktop.server import client_fields, client_remap, leases, schema, scope
from bwo_desktop.services import sync_rows
from bwo_desktop.services.sync_rows import RowError

PROTOCOL = 1
MAX_PAGE = 2000
MAX_BATCH_ROWS = 20000
# One push request of several batches (docs/team-mode.md, "Protocol"): rows over all its
# batches, and batches.
MAX_REQUEST_ROWS = MAX_BATCH_ROWS
MAX_REQUEST_BATCHES = 1000
GENESIS = "0" * 64

# Test hook for the fault tests (tests/team/test_team_faults.py), the office's side of
# sync_client's BWO_SYNC_KILL_AT: when set to a point's name the server process ends at once
# there (os._exit(9), no clean-up, no rollback sent), as an office computer that loses power.
# Point: "mid_batch" (inside `_push_one`'s transaction, after the first row of a batch and
# its change row are written: PostgreSQL holds an open transaction with rows in it). Read at
# each call; unset it does nothing.
KILL_AT_ENV = "BWO_SERVER_KILL_AT"


def _kill_point(name: str) -> None:
    if os.environ.get(KILL_AT_ENV) == name:
        os._exit(9)


def version_tuple(version: str) -> tuple[int, ...]:
    """The leading numeric parts of a version ("0.1.0", "1.2.3rc1" -> (1, 2, 3)); no number
    at all gives ()."""
    parts: list[int] = []
    for piece in version.strip().split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) < len(piece):
            break
    return tuple(parts)


# The oldest app the office accepts at hello: by default this server's own major.minor.0
# (a patch release of the laptop may lag, a minor one may not).
MIN_APP_VERSION = ".".join(str(p) for p in (*version_tuple(__version__)[:2], 0))


class Refused(Exception):
    """A request the office refuses: an HTTP status and one Dutch line for the laptop."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code  # for the laptop to tell a kind of refusal apart ("audit_fork")
        self.extra = extra or {}  # more for the laptop in a push's error slot


# A push batch refused for good (resending it never helps): its error slot carries one of
# these codes and the laptop parks the batch in its conflict inbox, then goes on with the
# rest (services/sync_client.py). A refusal without a code keeps the laptop's outbox as is.
DEFINITIEF = "definitief"  # a definitief case would change; with the office's row(s)
NOT_THIS_TEAM_CODE = "not_this_team"  # a row of another team
OTHER_TEAM_CODE = "other_team"  # a client (BSN) another team holds


@dataclass(frozen=True)
class Device:
    name: str
    team: str
    consultant: str


def enrol(engine: Engine, name: str, team: str, consultant: str, fingerprint: str) -> None:
    with engine.begin() as conn:
        if conn.execute(select(schema.devices.c.name).where(schema.devices.c.name == name)).first():
            raise Refused(409, f"apparaat {name!r} is al aangemeld; kies een andere naam")
        conn.execute(
            pg_insert(schema.teams).values(name=team).on_conflict_do_nothing(),
        )
        conn.execute(
            insert(schema.devices).values(
                name=name,
                team=team,
                consultant=consultant,
                fingerprint=fingerprint,
                enrolled_at=utcnow(),
            )
        )


def device_for(engine: Engine, fingerprint: str | None) -> Device:
    if fingerprint:
        with engine.connect() as conn:
            row = conn.execute(
                select(schema.devices).where(schema.devices.c.fingerprint == fingerprint)
            ).first()
        if row is not None:
            return Device(row.name, row.team, row.consultant)
    raise Refused(403, "dit apparaat is niet aangemeld bij het kantoor (bwo-desktop server enrol)")


def _field(body: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(body, dict) or not isinstance(body.get(key), kind):
        raise Refused(400, f"verzoek onvolledig: veld {key!r} ontbreekt of is ongeldig")
    return body[key]


def _padded(version: tuple[int, ...], other: tuple[int, ...]) -> tuple[int, ...]:
    return version + (0,) * max(0, len(other) - len(version))


def hello(engine: Engine, device: Device, body: Any) -> dict[str, Any]:
    laptop = _field(body, "schema_revision", str)
    app_version = _field(body, "app_version", str)
    app, minimum = version_tuple(app_version), version_tuple(MIN_APP_VERSION)
    if not app or _padded(app, minimum) < _padded(minimum, app):
        raise Refused(
            409,
            f"deze versie van bwo-desktop ({app_version[:40]}) is te oud voor het kantoor "
            f"(minimaal {MIN_APP_VERSION}): werk bwo-desktop bij",
        )
    with engine.connect() as conn:
        office = migrate.current_revision(conn) or ""
    known = migrate.known_revisions()
    if laptop not in known or (office in known and known.index(laptop) > known.index(office)):
        raise Refused(
            409,
            f"het databaseschema van deze laptop ({laptop}) is nieuwer dan dat van het kantoor "
            f"({office}): laat de server bijwerken",
        )
    if known.index(laptop) < known.index(office):
        raise Refused(
            409,
            f"het databaseschema van deze laptop ({laptop}) is ouder dan dat van het kantoor "
            f"({office}): werk bwo-desktop op deze laptop bij",
        )
    from bwo_desktop.server import device_audit  # it builds on this module

    now = utcnow()
    skew: float | None = None
    clock = body.get("clock")
    if isinstance(clock, str):
        try:
            skew = (dt.datetime.fromisoformat(clock) - now).total_seconds()
        except (ValueError, TypeError):
            skew = None
    return {
        "protocol": PROTOCOL,
        "device": device.name,
        "team": device.team,
        "consultant": device.consultant,
        "schema_revision": office,
        "server_version": __version__,
        "clock": now.isoformat(),
        "clock_skew_seconds": skew,  # reported, never used to order anything
        # What the office holds of this device's audit chain ({"seq", "hash"} or None): the
        # laptop starts its audit push there and refuses to sync when it differs locally.
        "audit_head": device_audit.known_head(engine, device),
    }


def team_lock(conn: Connection, team: str) -> None:
    conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"bwo.team:{team}"}
    )


def _parse_rows(rows: list[Any]) -> list[tuple[str, str, dict[str, Any]]]:
    if len(rows) > MAX_BATCH_ROWS:
        raise Refused(413, f"batch te groot (meer dan {MAX_BATCH_ROWS} rijen)")
    parsed: list[tuple[str, str, dict[str, Any]]] = []
    try:
        for item in rows:
            name, op = _field(item, "table", str), _field(item, "op", str)
            if op not in sync_rows.OPS:
                raise RowError(f"onbekende bewerking {op!r}")
            values = sync_rows.decode_row(sync_rows.table_for(name), item.get("row"))
            parsed.append((name, op, values))
    except RowError as exc:
        raise Refused(400, f"batch geweigerd: {exc}") from None
    # Parents first; a correction after the revision it supersedes.
    parsed.sort(key=lambda r: (sync_rows.TABLE_RANK[r[0]], r[2].get("revision") or 0))
    return parsed


def audit_hash(
    *,
    seq: int,
    time: dt.datetime,
    device: str,
    action: str,
    batch_id: uuid.UUID | None,
    details: Any,
    prev_hash: str,
) -> str:
    """The hash of one office audit entry: SHA-256 of its canonical JSON (sorted keys, no
    spaces) with the previous entry's hash inside. Used to write and to verify the chain."""
    payload = {
        "seq": seq,
        "time": time.isoformat(),
        "device": device,
        "action": action,
        "batch_id": None if batch_id is None else str(batch_id),
        "details": details,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def append_audit(
    conn: Connection,
    team: str,
    device: str,
    action: str,
    details: dict[str, Any],
    batch_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Append one entry to `team`'s office chain; the caller's transaction has set the team
    (`schema.set_team`) and holds the team lock (`team_lock`). Returns the new head."""
    last = conn.execute(
        select(schema.audit.c.seq, schema.audit.c.hash)
        .where(schema.audit.c.bwo_team == team)
        .order_by(schema.audit.c.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    time = utcnow()
    digest = audit_hash(
        seq=seq,
        time=time,
        device=device,
        action=action,
        batch_id=batch_id,
        details=details,
        prev_hash=prev,
    )
    conn.execute(
        insert(schema.audit).values(
            seq=seq,
            time=time,
            device=device,
            action=action,
            batch_id=batch_id,
            details=details,
            prev_hash=prev,
            hash=digest,
        )
    )
    return {"team": team, "seq": seq, "hash": digest}


def _append_audit(
    conn: Connection, device: Device, action: str, batch_id: uuid.UUID, details: dict[str, Any]
) -> dict[str, Any]:
    return append_audit(conn, device.team, device.name, action, details, batch_id)


# What may still change in a definitief case at the office: a newer revision supersedes
# it (`superseded` goes to true), which bumps its version and update time; and the case
# list's markers of a letter made of the decision (`CaseService.record_export`), which are
# no part of the decision: a beschikking is often made after the decision was synced.
_MUTABLE_WHEN_DEFINITIEF = frozenset(
    {"superseded", "version", "updated_at", "beschikking_made_on", "verslag_made_on"}
)


# A row the team does not have: the row-level security of another team's row (an upsert of
# its id, sqlstate 42501) or a case that refers to a row the team cannot see.
NOT_THIS_TEAM = (
    "een rij van deze batch hoort niet bij het team van deze laptop; neem contact op met de "
    "teamleider (batch geweigerd, er is niets bewaard)"
)
RLS_REFUSED = "42501"
# What a case refers to: (column, table).
_CASE_REFERENCES = (
    ("client_id", "clients"),
    ("provider_id", "zorgaanbieders"),
    ("previous_id", "herindicaties"),
)


def _refers_elsewhere(conn: Connection, parsed: list[tuple[str, str, dict[str, Any]]]) -> bool:
    """True when a case of the batch refers to a client, zorgaanbieder or earlier case that
    this team does not have. PostgreSQL checks a foreign key without row-level security,
    so a case of this team could otherwise point at another team's row. After the batch's
    rows are written (a case may refer to a row of the same batch)."""
    cases = [v for name, _op, v in parsed if name == "herindicaties"]
    for column, name in _CASE_REFERENCES:
        ids = {v[column] for v in cases if v[column] is not None}
        if not ids:
            continue
        table = sync_rows.table_for(name)
        seen = set(conn.execute(select(table.c.id).where(table.c.id.in_(ids))).scalars())
        if seen != ids:
            return True
    return False


class DefinitiefChanged(Exception):
    def __init__(self, reference: str, office_rows: list[dict[str, Any]]) -> None:
        super().__init__(reference)
        self.reference = reference
        self.office_rows = office_rows  # the office's definitief rows the batch would change


def _keep_definitief(conn: Connection, parsed: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Definitief is immutable at the office: an identical resend passes, a different one
    raises DefinitiefChanged with the office's rows (the push is refused whole and an
    alarm is written)."""
    table = sync_rows.table_for("herindicaties")
    incoming = {v["id"]: v for name, _op, v in parsed if name == "herindicaties"}
    if not incoming:
        return
    stored = conn.execute(
        select(table).where(table.c.id.in_(incoming), table.c.status == "definitief")
    ).mappings()
    refused: list[tuple[str, dict[str, Any]]] = []
    for old in stored:
        new = incoming[old["id"]]
        before = sync_rows.encode_row(table, old)
        after = sync_rows.encode_row(table, new)
        changed = {k for k in before if before[k] != after[k]} - _MUTABLE_WHEN_DEFINITIEF
        if changed or (old["superseded"] and not new["superseded"]):
            refused.append((str(old["reference"]), before))
    if refused:
        raise DefinitiefChanged(refused[0][0], [row for _ref, row in refused])


def _batch_id(body: Any) -> uuid.UUID:
    try:
        return uuid.UUID(_field(body, "batch_id", str))
    except ValueError:
        raise Refused(400, "verzoek onvolledig: ongeldige batch_id") from None


def push(engine: Engine, device: Device, body: Any) -> dict[str, Any]:
    """POST /push. The single form `{"batch_id", "rows"}` (an older laptop) gets that batch's
    outcome. The multi form `{"batches": [{"batch_id", "rows"}, ...]}` gets `{"outcomes":
    [...]}`: each batch applied in its own transaction, in order, idempotent on its own id;
    the first refused batch is an error slot `{"batch_id", "error", "status"}` (with
    `"code"` when it is refused for good, and what that code brings: `"office_rows"`) and
    the batches after it are not tried. A malformed request is refused whole (Refused)."""
    if not isinstance(body, dict) or "batches" not in body:
        return _push_one(engine, device, _batch_id(body), _field(body, "rows", list))
    batches = _field(body, "batches", list)
    if not batches:
        raise Refused(400, "verzoek onvolledig: veld 'batches' is leeg")
    if len(batches) > MAX_REQUEST_BATCHES:
        raise Refused(413, f"verzoek te groot (meer dan {MAX_REQUEST_BATCHES} batches)")
    wanted = [(_batch_id(item), _field(item, "rows", list)) for item in batches]
    if len({batch_id for batch_id, _rows in wanted}) < len(wanted):
        raise Refused(400, "verzoek ongeldig: een batch_id komt twee keer voor")
    if sum(len(rows) for _batch, rows in wanted) > MAX_REQUEST_ROWS:
        raise Refused(413, f"verzoek te groot (meer dan {MAX_REQUEST_ROWS} rijen)")
    outcomes: list[dict[str, Any]] = []
    for batch_id, rows in wanted:
        try:
            outcomes.append(_push_one(engine, device, batch_id, rows))
        except Refused as refused:
            slot = {"batch_id": str(batch_id), "error": refused.message, "status": refused.status}
            if refused.code:
                slot.update(refused.extra, code=refused.code)
            outcomes.append(slot)
            break  # the later batches may depend on this one: not tried
    return {"protocol": PROTOCOL, "outcomes": outcomes}


def _push_one(
    engine: Engine, device: Device, batch_id: uuid.UUID, rows_body: list[Any]
) -> dict[str, Any]:
    """Apply one batch whole, or refuse it whole; a resent batch gets its stored outcome."""
    parsed = _parse_rows(rows_body)
    bases = client_fields.parse_bases({"rows": rows_body})
    try:
        with engine.begin() as conn:
            schema.set_team(conn, device.team)
            team_lock(conn, device.team)
            stored = conn.execute(
                select(schema.batches.c.outcome).where(schema.batches.c.batch_id == batch_id)
            ).scalar()
            if stored is not None:
                return {**stored, "resent": True}
            # A client the team already had, made anew on this laptop: the office's id.
            parsed, remapped, moved = client_remap.remap(conn, device.name, parsed)
            whole = parsed
            _keep_definitief(conn, parsed)
            parsed, fields_parked = client_fields.sort_out(
                conn, device, batch_id, parsed, bases, moved
            )
            parsed, parked = leases.sort_out(conn, device, batch_id, parsed)
            parked = fields_parked + parked
            first = last = None
            for name, op, values in parsed:
                table = sync_rows.table_for(name)
                stmt = pg_insert(table).values(values)
                stmt = stmt.on_conflict_do_update(
                    index_elements=[table.c.id],
                    set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"},
                )
                conn.execute(stmt)
                seq = conn.execute(
                    insert(schema.changes)
                    .values(
                        table_name=name,
                        row_id=values["id"],
                        row_version=values["version"],
                        op=op,
                        batch_id=batch_id,
                        device=device.name,
                    )
                    .returning(schema.changes.c.seq)
                ).scalar_one()
                if first is None:
                    first = seq
                    _kill_point("mid_batch")
                last = seq
            if _refers_elsewhere(conn, whole):
                # the transaction is rolled back
                raise Refused(409, NOT_THIS_TEAM, NOT_THIS_TEAM_CODE)
            details = {"rows": len(parsed), "parked": len(parked)}
            if remapped:
                details["clients_remapped"] = len(remapped)
            receipt = _append_audit(conn, device, "push", batch_id, details)
            outcome = {
                "protocol": PROTOCOL,
                "status": "applied",
                "batch_id": str(batch_id),
                "applied": len(parsed),
                "changes": [first, last],
                "parked": parked,
                "receipt": receipt,
                **client_remap.outcome(conn, remapped),
            }
            conn.execute(
                insert(schema.batches).values(
                    batch_id=batch_id, device=device.name, outcome=outcome, received_at=utcnow()
                )
            )
            return outcome
    except DefinitiefChanged as changed:
        with engine.begin() as conn:
            schema.set_team(conn, device.team)
            team_lock(conn, device.team)
            _append_audit(
                conn, device, "alarm_definitief", batch_id, {"kenmerk": changed.reference}
            )
        raise Refused(
            409,
            f"casus {changed.reference} is definitief op het kantoor en mag niet veranderen; "
            "een correctie is een nieuwe versie (batch geweigerd, er is niets bewaard)",
            DEFINITIEF,
            {"office_rows": changed.office_rows},
        ) from None
    except DBAPIError as exc:
        # A row of another team, a BSN the office already has elsewhere, a broken
        # reference: nothing of the batch is kept. The driver's text may name values, so
        # it is not passed on.
        if client_remap.is_other_team(exc):
            raise Refused(409, client_remap.OTHER_TEAM, OTHER_TEAM_CODE) from None
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        if sqlstate == RLS_REFUSED:
            raise Refused(409, NOT_THIS_TEAM, NOT_THIS_TEAM_CODE) from None
        raise Refused(
            409, f"batch geweigerd door het kantoor (databasefout {sqlstate}); er is niets bewaard"
        ) from None


def pull(engine: Engine, device: Device, body: Any) -> dict[str, Any]:
    """The team's changes after `cursor` (the office's change sequence), full rows, within
    the device's scope (server/scope.py)."""
    cursor = _field(body, "cursor", int)
    limit = body.get("limit", MAX_PAGE)
    if not isinstance(limit, int) or limit < 1:
        raise Refused(400, "verzoek onvolledig: ongeldige limit")
    limit = min(limit, MAX_PAGE)
    # Where the laptop's sync started (its cursor before the first page): rows sent on an
    # earlier page of this sync are not sent again as parents. Optional; at most `cursor`.
    since = body.get("since", cursor)
    if not isinstance(since, int) or isinstance(since, bool):
        raise Refused(400, "verzoek onvolledig: ongeldige since")
    since = min(since, cursor)
    with engine.connect() as conn, conn.begin():
        schema.set_team(conn, device.team)
        found = conn.execute(
            select(schema.changes)
            .where(schema.changes.c.bwo_team == device.team, schema.changes.c.seq > cursor)
            .order_by(schema.changes.c.seq)
            .limit(limit + 1)
        ).all()
        page, more = found[:limit], len(found) > limit
        # Only the laptop's scope (server/scope.py): its consultant's cases and the pool,
        # their clients, the team's zorgaanbieders; a case out of scope is a purge item.
        changes = scope.page_items(conn, device.name, device.consultant, page, (since, cursor))
        head = conn.execute(
            select(func.max(schema.changes.c.seq)).where(schema.changes.c.bwo_team == device.team)
        ).scalar()
    return {
        "protocol": PROTOCOL,
        "changes": changes,
        "cursor": page[-1].seq if page else cursor,
        "more": more,
        "head": head or 0,
    }
