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


def local_fork_message(office_seq: int, local_seq: int) -> str:
    where = (
        f"het kantoor heeft al {office_seq} regels, deze laptop maar {local_seq}"
        if local_seq < office_seq
        else f"regel {office_seq} is anders dan op het kantoor"
    )
    return (
        f"het logboek van deze laptop wijkt af van wat het kantoor al heeft ({where}): "
        "mogelijk teruggezet uit een oude back-up; er zijn geen wijzigingen verstuurd; neem "
        "contact op met de teamleider"
    )


def start_from_office_head(db: Database, conn: _Poster, hello: dict[str, Any]) -> int | None:
    """Check the office's head of this device's chain (hello's `audit_head`) against the
    local chain, before anything is pushed. Returns the seq after which `push_audit` starts
    (the office's head: below the acknowledged one when the office was restored from a
    backup), or None when the office does not say (an older office: the acknowledged head).

    When the office holds an entry this laptop has not, or has another one at that seq,
    this laptop forks (restored from an old backup): the entries after the acknowledged
    head go to the office once, only to be quarantined and reported to the team lead, and
    AuditForked is raised; no outbox batch is pushed and no local data changes."""
    from bwo_desktop.services.sync_client import AuditForked, SyncRefused

    if "audit_head" not in hello:
        return None
    head = hello["audit_head"]
    if head is None:
        return 0
    seq = head.get("seq") if isinstance(head, dict) else None
    digest = head.get("hash") if isinstance(head, dict) else None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or not isinstance(digest, str):
        raise SyncRefused("onleesbaar antwoord van het kantoor (hello: logboek)")
    local = audit.entries(db, after_seq=seq - 1)[:1]
    if local and local[0].seq == seq and local[0].hash == digest:
        return seq
    local_head = audit.entries(db)[-1:]  # a refusal is rare: the whole read is fine here
    refusal = AuditForked(local_fork_message(seq, local_head[0].seq if local_head else 0))
    push_audit(db, conn)  # the office quarantines the diverging entries and raises
    raise refusal


def push_audit(db: Database, conn: _Poster, start: int | None = None) -> int:
    """Send the entries after `start` (default: the office's acknowledged head), in
    batches. Returns the entries the office stored. Raises SyncRefused (from `conn.post`)
    on a fork (AuditForked) or a broken entry; the local chain and the stored head stay as
    they were."""
    from bwo_desktop.services.sync_client import SyncRefused

    after = _acknowledged(db) if start is None else start
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


__all__ = [
    "AUDIT_HEAD_KEY",
    "AUDIT_RECEIPT_KEY",
    "EntryError",
    "push_audit",
    "start_from_office_head",
]
