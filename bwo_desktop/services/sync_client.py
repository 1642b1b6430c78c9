"""The laptop side of team mode (docs/team-mode.md): join a team with an enrolment file, and
sync: hello, push every pending outbox batch, pull the team's changes page by page.

The enrolment (server address, the office CA, this laptop's client certificate and key)
is kept inside the encrypted database (`meta`), not in a file beside it; for a connection
the certificate and key are written to a private temporary file, loaded, and removed at
once. Each pulled page is applied together with its new cursor in one local transaction,
flagged so the outbox does not queue the office's own rows back to it.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import ssl
import tempfile
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bwo_desktop import __version__
from bwo_desktop.models import SyncOutbox, utcnow
from bwo_desktop.services import outbox, sync_audit, sync_rows
from bwo_desktop.services.database import Database, get_meta, set_meta
from bwo_desktop.services.errors import StoreError
from bwo_desktop.services.fileperms import create_private

ENROLMENT_KEY = "team.enrolment"
CURSOR_KEY = "team.cursor"
RECEIPT_KEY = "team.receipt"
ENROLMENT_FIELDS = ("server", "device", "team", "consultant", "ca_pem", "cert_pem", "key_pem")
PAGE_SIZE = 500
TIMEOUT_SECONDS = 60
GZIP_FROM = 1024


class SyncRefused(StoreError):
    """The office refused, or could not be reached: one Dutch line, nothing half-applied."""


@dataclass
class SyncReport:
    batches_pushed: int = 0
    rows_pushed: int = 0
    changes_pulled: int = 0
    cursor: int = 0
    receipt: dict[str, Any] | None = None
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
    def __init__(self, enrolment: dict[str, Any]) -> None:
        self.base = enrolment["server"].rstrip("/")
        self.context = ssl_context(enrolment)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"}
        if len(data) >= GZIP_FROM:
            data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(
                request, context=self.context, timeout=TIMEOUT_SECONDS
            ) as response:
                return _answer(response.read(), response.headers.get("Content-Encoding"))
        except urllib.error.HTTPError as exc:
            try:
                message = _answer(exc.read(), exc.headers.get("Content-Encoding")).get("error")
            except SyncRefused:
                message = None
            raise SyncRefused(message or f"het kantoor weigerde ({exc.code})") from None
        except (urllib.error.URLError, OSError) as exc:
            # An SSLError's own `reason` is a string; a URLError's is the SSLError. Under
            # TLS 1.3 the office's refusal of our certificate arrives as an alert after the
            # handshake, or as a reset of the connection.
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            if isinstance(reason, ssl.SSLError | ssl.CertificateError | ConnectionResetError):
                raise SyncRefused(
                    "de beveiligde verbinding met het kantoor is geweigerd (certificaat)"
                ) from None
            raise SyncRefused(f"het kantoor is niet bereikbaar ({self.base})") from None


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
    conn.post(
        "/hello",
        {
            "device": enrolment["device"],
            "schema_revision": local_schema_revision(db),
            "app_version": __version__,
            "clock": utcnow().isoformat(),
        },
    )
    _push(db, conn, report)
    sync_audit.push_audit(db, conn)
    _pull(db, conn, report)
    return report


def _batches(db: Database) -> Iterator[tuple[uuid.UUID, list[outbox.OutboxEntry]]]:
    with db.read() as s:
        entries = outbox.pending(s)
    grouped: dict[uuid.UUID, list[outbox.OutboxEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.batch_id, []).append(entry)
    yield from grouped.items()


def _push(db: Database, conn: Connection, report: SyncReport) -> None:
    for batch_id, entries in _batches(db):
        rows = []
        with db.read() as s:
            for entry in entries:
                table = sync_rows.table_for(entry.table_name)
                found = s.execute(select(table).where(table.c.id == entry.row_id)).mappings()
                row = found.first()
                if row is not None:
                    rows.append(
                        {
                            "table": entry.table_name,
                            "op": entry.op,
                            "row": sync_rows.encode_row(table, row),
                        }
                    )
        answer = conn.post("/push", {"protocol": 1, "batch_id": str(batch_id), "rows": rows})
        with db.session() as s:
            outbox.mark_pushed(s, batch_id)
            if isinstance(answer.get("receipt"), dict):
                set_meta(s, RECEIPT_KEY, answer["receipt"])
                report.receipt = answer["receipt"]
        report.batches_pushed += 1
        report.rows_pushed += len(rows)


def _pull(db: Database, conn: Connection, report: SyncReport) -> None:
    cursor = int(db.get_meta(CURSOR_KEY, 0) or 0)
    while True:
        page = conn.post("/pull", {"protocol": 1, "cursor": cursor, "limit": PAGE_SIZE})
        changes, new_cursor = page.get("changes"), page.get("cursor")
        if not isinstance(changes, list) or not isinstance(new_cursor, int):
            raise SyncRefused("onleesbaar antwoord van het kantoor (pull)")
        apply_page(db, changes, new_cursor)
        report.changes_pulled += len(changes)
        cursor = report.cursor = new_cursor
        if not page.get("more") or not changes:
            return


def apply_page(db: Database, changes: list[Any], cursor: int) -> None:
    """One page and its cursor in one local transaction; outside the outbox."""
    newest: dict[tuple[str, uuid.UUID], tuple[str, dict[str, Any]]] = {}
    try:
        for change in changes:
            name = change["table"]
            values = sync_rows.decode_row(sync_rows.table_for(name), change["row"])
            newest.pop((name, values["id"]), None)  # keep the last, in sequence order
            newest[(name, values["id"])] = (name, values)
    except (KeyError, TypeError, sync_rows.RowError) as exc:
        raise SyncRefused(f"onleesbare wijziging van het kantoor: {exc}") from None
    ordered = sorted(
        newest.values(),
        key=lambda item: (sync_rows.TABLE_RANK[item[0]], item[1].get("revision") or 0),
    )
    with db.session() as s:
        s.info[outbox.APPLYING_PULL] = True
        for name, values in ordered:
            s.execute(_upsert(db.dialect, sync_rows.table_for(name), values))
        set_meta(s, CURSOR_KEY, cursor)


def _upsert(dialect: str, table: Any, values: dict[str, Any]) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    if dialect == "postgresql":
        pg = postgresql.insert(table).values(values)
        return pg.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={c.name: pg.excluded[c.name] for c in table.columns if c.name != "id"},
        )
    lite = sqlite.insert(table).values(values)
    return lite.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={c.name: lite.excluded[c.name] for c in table.columns if c.name != "id"},
    )
