"""The laptop's audit chain to the office (docs/team-mode.md, "The audit chains"): the wire
form of one entry, and `push_audit`, which sends the entries after the head the office
acknowledged for this device.

The office re-hashes every entry, checks the numbering and the link to what it already
holds, and answers with its own chain head (the receipt). A gap makes it ask for a resend
from a seq; a fork (a laptop restored from an old backup) is refused with 409 and one
Dutch line: nothing changes locally then, the chain stays as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from bwo_desktop.services import audit

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

AUDIT_HEAD_KEY = "team.audit_head"
AUDIT_RECEIPT_KEY = "team.audit_receipt"
PROTOCOL = 1
BATCH_ENTRIES = 1000
FIELDS = (
    "seq",
    "time",
    "user",
    "os_user",
    "machine",
    "action",
    "object_ref",
    "result",
    "details",
    "prev_hash",
    "hash",
)


class EntryError(ValueError):
    """An entry that is not of the wire form (a Dutch reason)."""


class _Poster(Protocol):
    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]: ...


def encode_entry(entry: audit.AuditRecord) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "time": entry.time.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "user": entry.user,
        "os_user": entry.os_user,
        "machine": entry.machine,
        "action": entry.action,
        "object_ref": entry.object_ref,
        "result": entry.result,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def decode_entry(data: Any) -> audit.AuditRecord:
    """Strict: EntryError for anything that is not one entry of the wire form."""
    if not isinstance(data, dict) or set(data) != set(FIELDS):
        raise EntryError("logboekregel onvolledig")
    seq = data["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise EntryError("logboekregel zonder geldig regelnummer")
    for key in ("action", "result", "prev_hash", "hash", "time"):
        if not isinstance(data[key], str):
            raise EntryError(f"logboekregel {seq}: veld {key} ongeldig")
    for key in ("user", "os_user", "machine", "object_ref"):
        if data[key] is not None and not isinstance(data[key], str):
            raise EntryError(f"logboekregel {seq}: veld {key} ongeldig")
    if data["details"] is not None and not isinstance(data["details"], dict):
        raise EntryError(f"logboekregel {seq}: veld details ongeldig")
    try:
        time = dt.datetime.fromisoformat(data["time"])
    except ValueError:
        raise EntryError(f"logboekregel {seq}: ongeldige tijd") from None
    if time.tzinfo is None:
        raise EntryError(f"logboekregel {seq}: tijd zonder tijdzone")
    return audit.AuditRecord(
        seq=seq,
        time=time,
        user=data["user"],
        os_user=data["os_user"],
        machine=data["machine"],
        action=data["action"],
        object_ref=data["object_ref"],
        result=data["result"],
        details=data["details"],
        prev_hash=data["prev_hash"],
        hash=data["hash"],
    )


def recomputed_hash(entry: audit.AuditRecord) -> str:
    fields = {k: v for k, v in entry.__dict__.items() if k != "hash"}
    return audit.entry_hash(**fields)


def _acknowledged(db: Database) -> int:
    head = db.get_meta(AUDIT_HEAD_KEY)
    seq = head.get("seq") if isinstance(head, dict) else None
    return seq if isinstance(seq, int) and seq >= 0 else 0


def push_audit(db: Database, conn: _Poster) -> int:
    """Send the entries after the office's acknowledged head, in batches. Returns the
    entries the office stored. Raises SyncRefused (from `conn.post`) on a fork or a broken
    entry; the local chain and the stored head stay as they were."""
    from bwo_desktop.services.sync_client import SyncRefused

    after = _acknowledged(db)
    sent = 0
    resends = 0
    while True:
        pending = audit.entries(db, after_seq=after)[:BATCH_ENTRIES]
        if not pending:
            return sent
        answer = conn.post(
            "/audit", {"protocol": PROTOCOL, "entries": [encode_entry(e) for e in pending]}
        )
        status = answer.get("status")
        if status == "resend_from":
            wanted = answer.get("seq")
            # The office lost entries it had acknowledged (restored from a backup): go back.
            if not isinstance(wanted, int) or wanted < 1 or wanted > after or resends > 2:
                raise SyncRefused("onleesbaar antwoord van het kantoor (logboek)")
            resends += 1
            after = wanted - 1
            continue
        head = answer.get("head")
        if status != "stored" or not isinstance(head, dict) or head.get("seq") != pending[-1].seq:
            raise SyncRefused("onleesbaar antwoord van het kantoor (logboek)")
        with db.session() as s:
            from bwo_desktop.services.database import set_meta

            set_meta(s, AUDIT_HEAD_KEY, {"seq": head["seq"], "hash": head.get("hash")})
            if isinstance(answer.get("receipt"), dict):
                set_meta(s, AUDIT_RECEIPT_KEY, answer["receipt"])
        sent += int(answer.get("stored") or 0)
        after = pending[-1].seq


__all__ = ["AUDIT_HEAD_KEY", "AUDIT_RECEIPT_KEY", "EntryError", "push_audit"]
