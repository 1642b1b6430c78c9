"""The laptop side of team mode (docs/team-mode.md): join a team with an enrolment file, and
sync: hello, push the pending outbox batches (several a request), pull the team's changes
page by page.

The enrolment (server address, the office CA, this laptop's client certificate and key)
is kept inside the encrypted database (`meta`), not in a file beside it; for a connection
the certificate and key are written to a private temporary file, loaded, and removed at
once. Each pulled page is applied together with its new cursor in one local transaction,
flagged so the outbox does not queue the office's own rows back to it.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import ssl
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bwo_desktop import __version__
from bwo_desktop.core.names import holder_name
from bwo_desktop.models import SyncConflict, SyncLease, SyncOutbox, utcnow
from bwo_desktop.services import (
    audit,
    outbox,
    sync_audit,
    sync_fields,
    sync_purge,
    sync_remap,
    sync_rows,
)
from bwo_desktop.services.database import Database, get_meta, set_meta
from bwo_desktop.services.errors import StoreError
from bwo_desktop.services.fileperms import create_private

ENROLMENT_KEY = "team.enrolment"
CURSOR_KEY = "team.cursor"
RECEIPT_KEY = "team.receipt"
ENROLMENT_FIELDS = ("server", "device", "team", "consultant", "ca_pem", "cert_pem", "key_pem")
PAGE_SIZE = 2000
# One push request carries several outbox batches, up to about this much (a round trip per
# request is most of a sync's time on a slow link; docs/team-mode.md, "Performance").
PUSH_ROWS = 200
PUSH_BYTES = 256 * 1024
TIMEOUT_SECONDS = 60
GZIP_FROM = 1024
CLOCK_NOTE_SECONDS = 600
# A connection cut mid-way. Under TLS 1.3 the office's refusal of our certificate can also
# arrive as a reset, so the line names both.
BROKEN = (
    "de verbinding met het kantoor is verbroken (netwerk, of het certificaat geweigerd); "
    "probeer het opnieuw"
)


# Test hook for the fault tests (tests/team/test_team_faults.py): when set to a point's name
# the process ends at once there (os._exit(9), no clean-up), as a laptop that loses power.
# Points: "after_push_ack" (the office answered a push, the laptop has not recorded it),
# "mid_page" (inside a pulled page's local transaction, after its first row). Unset: nothing.
KILL_AT_ENV = "BWO_SYNC_KILL_AT"


def _kill_point(name: str) -> None:
    if os.environ.get(KILL_AT_ENV) == name:
        os._exit(9)


class SyncRefused(StoreError):
    """The office refused, or could not be reached: one Dutch line, nothing half-applied."""


class AuditForked(SyncRefused):
    """This laptop's audit chain differs from what the office holds of it (most likely the
    laptop was restored from an old backup): nothing of the data was pushed; the team lead
    resolves it at the office (`server audit-quarantine`)."""


FORK_CODE = "audit_fork"  # the office's refusal code for a fork (server/device_audit.py)
# A push batch the office refuses for good (server/store.py): parked in the conflict inbox
# and out of the outbox, so the batches after it still reach the office. Only a definitief
# case for now: the office's "not_this_team" and "other_team" still block (a later batch
# of this laptop refers to the refused client and would fail on it; docs/_incoming).
DEFINITIEF_CODE = "definitief"
FINAL_CODES = frozenset({DEFINITIEF_CODE})
PARKED_ACTION = "sync_refused_parked"


@dataclass
class SyncReport:
    batches_pushed: int = 0
    rows_pushed: int = 0
    changes_pulled: int = 0
    parked: int = 0  # changes the office did not apply (another device holds the case)
    purged: int = 0  # cases that left this laptop's scope and were removed here
    cursor: int = 0
    receipt: dict[str, Any] | None = None
    clock_skew_seconds: float | None = None  # our clock minus the office's (hello)
    notes: list[str] = field(default_factory=list)


# -- join ---------------------------------------------------------------------------------
def read_enrolment(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise SyncRefused(f"aanmeldbestand onleesbaar: {path.name}") from None
    if not isinstance(data, dict) or data.get("format") != 1:
        raise SyncRefused(f"{path.name} is geen aanmeldbestand van bwo-desktop (formaat 1)")
    missing = [k for k in ENROLMENT_FIELDS if not isinstance(data.get(k), str) or not data[k]]
    if missing:
        raise SyncRefused(f"aanmeldbestand onvolledig: {', '.join(missing)} ontbreekt")
    return {k: data[k] for k in ENROLMENT_FIELDS}


def join(db: Database, enrolment: dict[str, Any]) -> int:
    """Store the enrolment and queue the laptop's whole state once (the join step: rows
    from before the outbox existed were never queued). Returns the rows queued."""
    with db.session() as s:
        current = get_meta(s, ENROLMENT_KEY)
        if current is not None:
            raise SyncRefused(
                f"deze laptop is al aangemeld als {current['device']} (team {current['team']})"
            )
        set_meta(s, ENROLMENT_KEY, enrolment)
        set_meta(s, CURSOR_KEY, 0)
        return _queue_everything(s)


def _queue_everything(session: Session) -> int:
    batch = uuid.uuid4()
    entries = []
    for name, table in sync_rows.SYNCED_TABLES.items():
        for row in session.execute(select(table.c.id, table.c.version, table.c.deleted_at)):
            entries.append(
                {
                    "batch_id": batch,
                    "table_name": name,
                    "row_id": row.id,
                    "row_version": row.version,
                    "op": "delete" if row.deleted_at is not None else "upsert",
                    "created_at": utcnow(),
                }
            )
    connection = session.connection()
    connection.execute(delete(SyncOutbox).where(SyncOutbox.pushed_at.is_(None)))
    if entries:
        connection.execute(insert(SyncOutbox), entries)
    return len(entries)


def enrolment_of(db: Database) -> dict[str, Any]:
    enrolment = db.get_meta(ENROLMENT_KEY)
    if not isinstance(enrolment, dict):
        raise SyncRefused(
            "deze laptop is niet aangemeld bij een team; gebruik eerst bwo-desktop team join BESTAND"
        )
    return enrolment


# -- transport ------------------------------------------------------------------------------
def ssl_context(enrolment: dict[str, Any]) -> ssl.SSLContext:
    """Trusts the office CA only and presents this laptop's certificate."""
    context = ssl.create_default_context(cadata=enrolment["ca_pem"])
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    folder = tempfile.mkdtemp(prefix="bwo-sync-")
    path = Path(folder) / "client.pem"
    try:
        with os.fdopen(create_private(path), "w", encoding="ascii") as fh:
            fh.write(enrolment["cert_pem"] + enrolment["key_pem"])
        context.load_cert_chain(str(path))
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            os.rmdir(folder)
    return context


class Connection:
    """HTTPS to the office over one kept-alive connection (a round trip per request, not a
    TCP and TLS handshake each: on a slow link that is most of the time). A kept connection
    the office closed in between is opened again once; every request may be sent twice
    safely (hello and pull read, a push is idempotent on its batch id)."""

    def __init__(self, enrolment: dict[str, Any]) -> None:
        self.base = enrolment["server"].rstrip("/")
        self.context = ssl_context(enrolment)
        parts = urllib.parse.urlsplit(self.base)
        self._host, self._port = parts.hostname or "", parts.port or 443
        self._prefix = parts.path
        self._http: http.client.HTTPSConnection | None = None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"}
        if len(data) >= GZIP_FROM:
            data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
        try:
            status, encoding, raw = self._exchange(path, data, headers)
        except OSError as exc:
            self.close()
            # Under TLS 1.3 the office's refusal of our certificate arrives as an alert after
            # the handshake, or as a cut connection: a cut (EOF, reset) may be either.
            if isinstance(
                exc,
                ssl.SSLEOFError | ssl.SSLZeroReturnError | ConnectionResetError | BrokenPipeError,
            ):
                raise SyncRefused(BROKEN) from None
            if isinstance(exc, ssl.SSLError | ssl.CertificateError):
                raise SyncRefused(
                    "de beveiligde verbinding met het kantoor is geweigerd (certificaat)"
                ) from None
            raise SyncRefused(f"het kantoor is niet bereikbaar ({self.base})") from None
        except http.client.HTTPException:
            self.close()
            # The answer was cut off (IncompleteRead, a bad status line): not applied here;
            # a pushed batch is resent and gets the office's stored outcome.
            raise SyncRefused(BROKEN) from None
        if status >= 400:
            try:
                refusal = _answer(raw, encoding)
            except SyncRefused:
                refusal = {}
            message = refusal.get("error") or f"het kantoor weigerde ({status})"
            if refusal.get("code") == FORK_CODE:
                raise AuditForked(str(message))
            raise SyncRefused(str(message))
        return _answer(raw, encoding)

    def _exchange(
        self, path: str, data: bytes, headers: dict[str, str]
    ) -> tuple[int, str | None, bytes]:
        broken: OSError | None = None
        for attempt in (1, 2):
            reused = self._http is not None
            if self._http is None:
                self._http = http.client.HTTPSConnection(
                    self._host, self._port, context=self.context, timeout=TIMEOUT_SECONDS
                )
            try:
                self._http.request("POST", self._prefix + path, body=data, headers=headers)
                response = self._http.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if reused and attempt == 1:
                    broken = exc
                    continue  # the office closed the kept connection meanwhile
                raise
            except OSError:
                self.close()
                if broken is not None:
                    # The kept connection broke without an answer and a new one is refused
                    # (the office went down mid-request): a broken connection, whichever of
                    # the two the race gave.
                    raise broken from None
                raise
            if response.will_close:
                self.close()
            return response.status, response.headers.get("Content-Encoding"), raw
        raise AssertionError("unreachable")


def _answer(raw: bytes, encoding: str | None) -> dict[str, Any]:
    try:
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        answer = json.loads(raw)
    except (OSError, EOFError, ValueError, UnicodeDecodeError):
        raise SyncRefused("onleesbaar antwoord van het kantoor") from None
    if not isinstance(answer, dict):
        raise SyncRefused("onleesbaar antwoord van het kantoor")
    return answer


# -- sync -----------------------------------------------------------------------------------
def local_schema_revision(db: Database) -> str:
    return db.schema_revision() or ""


def sync(db: Database, connection: Connection | None = None) -> SyncReport:
    """hello, push, pull. Raises SyncRefused (nothing of a refused step is half-applied)."""
    enrolment = enrolment_of(db)
    conn = connection or Connection(enrolment)
    report = SyncReport()
    hello = conn.post(
        "/hello",
        {
            "device": enrolment["device"],
            "schema_revision": local_schema_revision(db),
            "app_version": __version__,
            "clock": utcnow().isoformat(),
        },
    )
    _note_skew(report, hello.get("clock_skew_seconds"))
    # Before anything is pushed: does the office's copy of our audit chain match ours?
    start = sync_audit.start_from_office_head(db, conn, hello)
    _push(db, conn, report)
    sync_audit.push_audit(db, conn, start=start)
    _pull(db, conn, report)
    return report


def _note_skew(report: SyncReport, skew: Any) -> None:
    """The office reports our clock's skew; it is shown, never used to order anything."""
    if not isinstance(skew, int | float) or isinstance(skew, bool):
        return
    report.clock_skew_seconds = float(skew)
    if abs(skew) >= CLOCK_NOTE_SECONDS:
        way = "voor op" if skew > 0 else "achter op"
        amount = (
            f"{abs(skew) / 86400:.1f} dagen"
            if abs(skew) >= 86400
            else f"{abs(skew) / 60:.0f} minuten"
        )
        report.notes.append(
            f"let op: de klok van deze laptop loopt {amount} {way} die van het kantoor "
            "(alleen gemeld; de volgorde komt van het kantoor, niet van de klok)"
        )


def _batches(db: Database) -> Iterator[tuple[uuid.UUID, list[outbox.OutboxEntry]]]:
    with db.read() as s:
        entries = outbox.pending(s)
    grouped: dict[uuid.UUID, list[outbox.OutboxEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.batch_id, []).append(entry)
    yield from grouped.items()


def _batch_rows(db: Database, entries: list[outbox.OutboxEntry]) -> list[dict[str, Any]]:
    """The full current rows an outbox batch names (a row deleted for good is left out)."""
    rows = []
    with db.read() as s:
        for entry in entries:
            table = sync_rows.table_for(entry.table_name)
            row = s.execute(select(table).where(table.c.id == entry.row_id)).mappings().first()
            if row is not None:
                item: dict[str, Any] = {
                    "table": entry.table_name,
                    "op": entry.op,
                    "row": sync_rows.encode_row(table, row),
                }
                # A client's old values, as the office last had them: it applies a field
                # only if it still has that value (services/sync_fields.py).
                base = sync_fields.base_for(s, entry.table_name, entry.row_id)
                if base is not None:
                    item["base"] = base
                rows.append(item)
    return rows


Batch = tuple[uuid.UUID, list[dict[str, Any]]]


def _requests(db: Database) -> Iterator[list[Batch]]:
    """The pending batches in local order, grouped into push requests of at most
    PUSH_ROWS rows and about PUSH_BYTES of JSON; a batch bigger than that goes alone,
    whole (the office applies a batch whole or not at all)."""
    request: list[Batch] = []
    rows_in = bytes_in = 0
    for batch_id, entries in _batches(db):
        rows = _batch_rows(db, entries)
        size = len(json.dumps(rows, separators=(",", ":")))
        if request and (rows_in + len(rows) > PUSH_ROWS or bytes_in + size > PUSH_BYTES):
            yield request
            request, rows_in, bytes_in = [], 0, 0
        request.append((batch_id, rows))
        rows_in += len(rows)
        bytes_in += size
    if request:
        yield request


def _push(db: Database, conn: Connection, report: SyncReport) -> None:
    """Every pending batch, a request at a time. A batch refused for good is parked and the
    push starts over with what is still pending (the office did not try the batches after
    it); any other refusal stops the sync with the office's line, the batch still queued."""
    while _push_requests(db, conn, report):
        pass


def _push_requests(db: Database, conn: Connection, report: SyncReport) -> bool:
    """The pending batches' requests; True when a batch was parked (push again)."""
    for request in _requests(db):
        answer = conn.post(
            "/push",
            {
                "protocol": 1,
                "batches": [{"batch_id": str(b), "rows": rows} for b, rows in request],
            },
        )
        _kill_point("after_push_ack")
        acknowledged, refusal = _outcomes(request, answer)
        mapping: dict[uuid.UUID, uuid.UUID] = {}
        for (batch_id, sent), outcome in zip(request, acknowledged, strict=False):
            parked = outcome.get("parked") or []
            # A client the office already had (a colleague's): the office's id from now on,
            # for the rows of this batch and of the later ones of this request too.
            remapped, office_rows = sync_remap.parse(outcome)
            mapping.update(remapped)
            rows = sync_remap.translate(sent, mapping)
            with db.session() as s:
                outbox.mark_pushed(s, batch_id)
                # What this laptop sent is now the base of its next change of those rows (a
                # field the office kept its own value of is not sent as changed again).
                sync_fields.remember(
                    s,
                    (
                        (r["table"], r["row"])
                        for r in rows
                        if not sync_remap.is_remapped(r, remapped)
                    ),
                )
                for kenmerk in sync_remap.apply(s, remapped, office_rows, rows):
                    report.notes.append(
                        f"casus {kenmerk}: de cliënt was al bij het kantoor bekend en is "
                        "samengevoegd met die cliënt"
                    )
                _park(s, rows, parked)
                if isinstance(outcome.get("receipt"), dict):
                    set_meta(s, RECEIPT_KEY, outcome["receipt"])
                    report.receipt = outcome["receipt"]
            report.batches_pushed += 1
            report.rows_pushed += len(rows)
            report.parked += len(parked)
        if refusal is not None:
            if refusal.get("code") not in FINAL_CODES:
                raise SyncRefused(refusal["error"])
            batch_id, sent = request[len(acknowledged)]
            _park_refused(db, batch_id, sync_remap.translate(sent, mapping), refusal, report)
            return True
    return False


def _park_refused(
    db: Database,
    batch_id: uuid.UUID,
    rows: list[dict[str, Any]],
    refusal: dict[str, Any],
    report: SyncReport,
) -> None:
    """A batch the office refused for good, in one local transaction: each of its rows into
    the conflict inbox (with the office's row of that id when it sent one), the batch out
    of the outbox, and one entry on this laptop's audit chain (kenmerken, no BSN)."""
    office = {str(r.get("id")): r for r in refusal.get("office_rows") or []}
    reason = str(refusal["error"])
    kenmerken = [str(r["row"]["reference"]) for r in rows if r["table"] == sync_purge.CASES]
    with db.session() as s:
        for item in rows:
            row_id = uuid.UUID(str(item["row"]["id"]))
            if _in_inbox(s, row_id, item["row"]):
                continue
            s.add(
                SyncConflict(
                    table_name=item["table"],
                    row_id=row_id,
                    reference=item["row"].get("reference"),
                    reason=reason,
                    holder=None,
                    local_row=item["row"],
                    office_row=office.get(str(row_id)),
                    created_at=utcnow(),
                )
            )
        outbox.mark_pushed(s, batch_id)
        audit.record(
            s,
            PARKED_ACTION,
            kenmerken[0] if kenmerken else None,
            "refused",
            {"kenmerken": kenmerken, "code": refusal["code"]},
        )
    report.parked += len(rows)
    report.notes.append(f"geweigerd door het kantoor, in het conflictenoverzicht gezet: {reason}")


def _in_inbox(session: Session, row_id: uuid.UUID, local_row: dict[str, Any]) -> bool:
    """True when an open conflict holds this very local row already (a resent batch)."""
    same = session.scalars(
        select(SyncConflict).where(
            SyncConflict.row_id == row_id, SyncConflict.resolved_at.is_(None)
        )
    )
    return any(c.local_row == local_row for c in same)


def _outcomes(
    request: list[Batch], answer: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The acknowledged outcomes of a push answer, in the order sent, and the error slot of
    the batch it refused (the last slot; the batches after it were not tried), its "error"
    the office's line. An answer that does not match what was sent (count, ids, shape) is
    unreadable: nothing of it is recorded, every batch stays queued and is resent (the
    office keeps what it applied)."""
    unreadable = SyncRefused("onleesbaar antwoord van het kantoor (push)")
    outcomes = answer.get("outcomes")
    if not isinstance(outcomes, list) or not 0 < len(outcomes) <= len(request):
        raise unreadable
    acknowledged: list[dict[str, Any]] = []
    for (batch_id, _rows), outcome in zip(request, outcomes, strict=False):
        if not isinstance(outcome, dict) or outcome.get("batch_id") != str(batch_id):
            raise unreadable
        if "error" in outcome:
            if len(acknowledged) != len(outcomes) - 1 or not _readable_refusal(outcome):
                raise unreadable
            error = outcome["error"] or f"het kantoor weigerde ({outcome.get('status')})"
            return acknowledged, {**outcome, "error": error}
        if outcome.get("status") != "applied" or not isinstance(outcome.get("parked") or [], list):
            raise unreadable
        try:
            sync_remap.parse(outcome)
        except sync_remap.RemapError:
            raise unreadable from None
        acknowledged.append(outcome)
    if len(acknowledged) != len(request):
        raise unreadable
    return acknowledged, None


def _readable_refusal(slot: dict[str, Any]) -> bool:
    """An error slot's shape: a line, and a code with its office rows when it has one."""
    if not isinstance(slot["error"], str):
        return False
    if "code" not in slot:
        return True
    rows = slot.get("office_rows") or []
    return (
        isinstance(slot["code"], str)
        and isinstance(rows, list)
        and all(isinstance(r, dict) and "id" in r for r in rows)
    )


def _park(session: Session, rows: list[dict[str, Any]], parked: list[Any]) -> None:
    """The office's parked rows into the conflict inbox, with the local row as it was sent
    (nothing is lost), in the transaction that marks the batch pushed. The holder named by
    the office is stored as the case's lease: the case is read-only here from now on."""
    sent = {str(r["row"]["id"]): r for r in rows}
    for item in parked:
        try:
            row_id = uuid.UUID(str(item["row_id"]))
            local = sent[str(row_id)]
        except (KeyError, TypeError, ValueError):
            raise SyncRefused("onleesbaar antwoord van het kantoor (geparkeerde rij)") from None
        holder = item.get("holder") if isinstance(item.get("holder"), dict) else None
        if holder:
            _store_lease(session, row_id, holder)
        if _in_inbox(session, row_id, local["row"]):
            continue  # a resent batch's stored answer: this conflict is in the inbox already
        session.add(
            SyncConflict(
                table_name=local["table"],
                row_id=row_id,
                reference=item.get("reference"),
                reason=str(item.get("reason") or "geparkeerd door het kantoor"),
                holder=_who(holder),
                local_row=local["row"],
                office_row=item.get("office_row"),
                created_at=utcnow(),
                fields=_conflict_fields(item.get("fields")),
            )
        )


def _who(holder: dict[str, Any] | None) -> str | None:
    """Who holds a parked case, in words for the inbox: "A. de Vries (laptop-2)"."""
    if not holder:
        return None
    return holder_name(str(holder["device"]), str(holder.get("consultant") or ""))


def _conflict_fields(fields: Any) -> list[str] | None:
    """The fields of a client's field conflict; None for a parked case."""
    if fields is None:
        return None
    if not isinstance(fields, list) or not all(f in sync_fields.MERGED for f in fields):
        raise SyncRefused("onleesbaar antwoord van het kantoor (geparkeerde rij)")
    return [str(f) for f in fields]


def _store_lease(session: Session, case_id: uuid.UUID, holder: dict[str, Any] | None) -> None:
    lease = session.get(SyncLease, case_id)
    if holder is None:
        if lease is not None:
            session.delete(lease)
        return
    if lease is None:
        session.add(
            SyncLease(
                case_id=case_id,
                device=str(holder["device"]),
                consultant=str(holder.get("consultant") or ""),
            )
        )
    else:
        lease.device = str(holder["device"])
        lease.consultant = str(holder.get("consultant") or "")


def _pull(db: Database, conn: Connection, report: SyncReport) -> None:
    cursor = since = int(db.get_meta(CURSOR_KEY, 0) or 0)
    while True:
        body = {"protocol": 1, "cursor": cursor, "since": since, "limit": PAGE_SIZE}
        page = conn.post("/pull", body)
        changes, new_cursor = page.get("changes"), page.get("cursor")
        if not isinstance(changes, list) or not isinstance(new_cursor, int):
            raise SyncRefused("onleesbaar antwoord van het kantoor (pull)")
        for purged in apply_page(db, changes, new_cursor):
            report.purged += 1
            report.parked += purged.to_inbox
            report.notes.append(
                f"casus {purged.reference} is overgedragen aan "
                f"{purged.holder or 'een andere consulent'}: van deze laptop verwijderd"
                + (
                    " (uw niet verstuurde wijziging staat in het conflictenoverzicht)"
                    if purged.to_inbox
                    else ""
                )
            )
        report.changes_pulled += len(changes)
        cursor = report.cursor = new_cursor
        if not page.get("more") or not changes:
            return


def apply_page(db: Database, changes: list[Any], cursor: int) -> list[sync_purge.Purged]:
    """One page and its cursor in one local transaction; outside the outbox. A purge item
    (a case that left this laptop's scope) removes the local case (services/sync_purge.py).
    Returns the cases purged."""
    newest: dict[tuple[str, uuid.UUID], tuple[str, dict[str, Any]]] = {}
    wire: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    leases: dict[uuid.UUID, dict[str, Any] | None] = {}
    purges: dict[uuid.UUID, str | None] = {}  # case id -> the consultant who holds it now
    try:
        for change in changes:
            name = change["table"]
            if change.get("op") == sync_purge.PURGE:
                if name != sync_purge.CASES:
                    raise TypeError(f"verwijderen uit {name!r}")
                case_id = uuid.UUID(str(change["row_id"]))
                holder = change.get("holder")
                newest.pop((name, case_id), None)  # the last in sequence order wins
                leases.pop(case_id, None)
                purges[case_id] = holder if isinstance(holder, str) else None
                continue
            values = sync_rows.decode_row(sync_rows.table_for(name), change["row"])
            newest.pop((name, values["id"]), None)  # keep the last, in sequence order
            newest[(name, values["id"])] = (name, values)
            if name in sync_fields.SHADOWED:
                wire[(name, values["id"])] = change["row"]
            purges.pop(values["id"], None)
            if "lease" in change:
                lease = change["lease"]
                if lease is not None and not isinstance(lease.get("device"), str):
                    raise TypeError("lease zonder apparaat")
                leases[values["id"]] = lease
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise SyncRefused(f"onleesbare wijziging van het kantoor: {exc}") from None
    ordered = sorted(
        newest.values(),
        key=lambda item: (sync_rows.TABLE_RANK[item[0]], item[1].get("revision") or 0),
    )
    # One executemany per table (the order above is kept: the tables follow each other and
    # a statement's rows run in list order), not one statement per row.
    runs: list[tuple[str, list[dict[str, Any]]]] = []
    for name, values in ordered:
        if not runs or runs[-1][0] != name:
            runs.append((name, []))
        runs[-1][1].append(values)
    try:
        return _apply(db, runs, leases, purges, newest, wire, cursor)
    except IntegrityError:
        # A case whose client or zorgaanbieder this laptop lacks (for one: a lease moved while
        # the sync ran). Nothing of the page is kept; the next sync starts from the cursor and
        # the office then sends the parents with it.
        raise SyncRefused(
            "een pagina van het kantoor past niet op deze laptop (een client of zorgaanbieder "
            "ontbreekt); er is niets van toegepast: synchroniseer opnieuw"
        ) from None


def _apply(
    db: Database,
    runs: list[tuple[str, list[dict[str, Any]]]],
    leases: dict[uuid.UUID, dict[str, Any] | None],
    purges: dict[uuid.UUID, str | None],
    newest: dict[tuple[str, uuid.UUID], tuple[str, dict[str, Any]]],
    wire: dict[tuple[str, uuid.UUID], dict[str, Any]],
    cursor: int,
) -> list[sync_purge.Purged]:
    with db.session() as s:
        s.info[outbox.APPLYING_PULL] = True
        # A row changed here and not yet acknowledged (committed while this sync ran) keeps
        # its local state: it is pushed next (and parked at the office when another laptop
        # holds the case); overwriting it here would lose that change silently.
        waiting = {(e.table_name, e.row_id) for e in outbox.pending(s)}
        connection = s.connection()
        for name, rows in runs:
            rows = [r for r in rows if (name, r["id"]) not in waiting]
            if rows:
                connection.execute(_upsert(db.dialect, sync_rows.table_for(name)), rows)
                _kill_point("mid_page")
        for case_id, lease in leases.items():
            _store_lease(s, case_id, lease)
        sync_fields.remember(s, ((key[0], row) for key, row in wire.items() if key not in waiting))
        sent = {key[1] for key in newest if key[0] == sync_purge.CLIENTS}
        purged = sync_purge.purge(s, purges, waiting, sent)
        set_meta(s, CURSOR_KEY, cursor)
    return purged


def _upsert(dialect: str, table: Any) -> Any:
    """An upsert on `id` of every column, for an executemany of whole rows."""
    from sqlalchemy.dialects import postgresql, sqlite

    if dialect == "postgresql":
        pg = postgresql.insert(table)
        return pg.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={c.name: pg.excluded[c.name] for c in table.columns if c.name != "id"},
        )
    lite = sqlite.insert(table)
    return lite.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={c.name: lite.excluded[c.name] for c in table.columns if c.name != "id"},
    )
