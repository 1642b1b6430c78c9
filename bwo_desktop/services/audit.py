"""Audit log with a hash chain: each entry's hash covers its fields and the previous hash,
so a removed, inserted or changed entry is found by `verify`.

Never a BSN or a field value in an entry: the object is the case kenmerk, details hold field
names, counts and file names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwo_desktop.core.bsn import BSN_LIKE
from bwo_desktop.models import AuditEntry, Meta
from bwo_desktop.models.base import utcnow

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

GENESIS_HASH = "0" * 64
# Meta key with the newest entry's seq and hash: removing the last entries shows too.
HEAD_KEY = "audit_head"


def safe_file_name(name: str | Path) -> str:
    """A file name fit for the log: no folder, and no number that could be a BSN (a file
    from outside may be named after the client)."""
    return BSN_LIKE.sub("[nummer]", Path(str(name)).name)


def settings_user() -> str | None:
    """The consultant's name from the settings file (for the command-line tools; the app
    passes it itself). None when not set or unreadable."""
    try:
        from bwo_desktop.settings import load_settings

        return load_settings().consultant_name or None
    except Exception:  # a broken settings file must not stop the audit entry
        return None


def scrub(text: str) -> str:
    """Anything BSN-like in text for display replaced (a second line of defence)."""
    return BSN_LIKE.sub("[nummer]", text)


@dataclass(frozen=True)
class AuditRecord:
    """One entry as plain data (for the UI's log of a case and for carrying over)."""

    seq: int
    time: dt.datetime
    user: str | None
    os_user: str | None
    machine: str | None
    action: str
    object_ref: str | None
    result: str
    details: dict[str, Any] | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    message: str


def _os_user() -> str | None:
    """The OS account from the OS itself, never from LOGNAME/USER/USERNAME (forgeable)."""
    try:
        if sys.platform == "win32":
            return _windows_user()
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # no passwd entry (container uid) or no API: record the uid/nothing
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else None


def _windows_user() -> str | None:
    # Untested here (no Windows on the development machine): GetUserNameW via ctypes.
    import ctypes

    size = ctypes.c_ulong(257)
    buffer = ctypes.create_unicode_buffer(size.value)
    if not ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):  # type: ignore[attr-defined]
        return None
    return buffer.value or None


def entry_hash(
    *,
    seq: int,
    time: dt.datetime,
    user: str | None,
    os_user: str | None,
    machine: str | None,
    action: str,
    object_ref: str | None,
    result: str,
    details: dict[str, Any] | None,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "time": time.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "user": user,
        "os_user": os_user,
        "machine": machine,
        "action": action,
        "object_ref": object_ref,
        "result": result,
        "details": details,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _last(session: Session) -> AuditEntry | None:
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()


def record(
    target: Session | Database,
    action: str,
    object_ref: str | None,
    result: str = "ok",
    details: dict[str, Any] | None = None,
    user: str | None = None,
    *,
    time: dt.datetime | None = None,
    os_user: str | None = None,
    machine: str | None = None,
) -> AuditRecord:
    """Append one entry (inside the caller's transaction when given a Session)."""
    if not isinstance(target, Session):
        with target.session() as session:
            return record(
                session,
                action,
                object_ref,
                result,
                details,
                user,
                time=time,
                os_user=os_user,
                machine=machine,
            )
    (written,) = record_many(
        target,
        action,
        [(object_ref, details)],
        result,
        user,
        time=time,
        os_user=os_user,
        machine=machine,
    )
    return written


def record_many(
    session: Session,
    action: str,
    items: Sequence[tuple[str | None, dict[str, Any] | None]],
    result: str = "ok",
    user: str | None = None,
    *,
    time: dt.datetime | None = None,
    os_user: str | None = None,
    machine: str | None = None,
) -> list[AuditRecord]:
    """Append one entry per (object_ref, details), chained in memory with one read and one
    flush: a planning import logs each case it creates without a query per case."""
    last = _last(session)
    seq = 0 if last is None else last.seq
    prev_hash = GENESIS_HASH if last is None else last.hash
    # Microseconds survive every engine; nothing finer may enter the hash.
    when = (time or utcnow()).astimezone(dt.UTC)
    os_user = os_user if os_user is not None else _os_user()
    machine = machine if machine is not None else (platform.node() or None)
    written: list[AuditRecord] = []
    for object_ref, details in items:
        seq += 1
        fields: dict[str, Any] = {
            "seq": seq,
            "time": when,
            "user": user,
            "os_user": os_user,
            "machine": machine,
            "action": action,
            "object_ref": object_ref,
            "result": result,
            "details": details,
            "prev_hash": prev_hash,
        }
        written.append(_add(session, fields))
        prev_hash = written[-1].hash
    if written:
        head = session.get(Meta, HEAD_KEY)
        if head is None:
            session.add(Meta(key=HEAD_KEY, value={"seq": seq, "hash": prev_hash}))
        else:
            head.value = {"seq": seq, "hash": prev_hash}
        session.flush()
    return written


def _add(session: Session, fields: dict[str, Any]) -> AuditRecord:
    digest = entry_hash(**fields)
    session.add(
        AuditEntry(
            seq=fields["seq"],
            time=fields["time"],
            user_name=fields["user"],
            os_user=fields["os_user"],
            machine=fields["machine"],
            action=fields["action"],
            object_ref=fields["object_ref"],
            result=fields["result"],
            details=fields["details"],
            prev_hash=fields["prev_hash"],
            hash=digest,
        )
    )
    return AuditRecord(**fields, hash=digest)


def _to_record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        seq=row.seq,
        time=row.time,
        user=row.user_name,
        os_user=row.os_user,
        machine=row.machine,
        action=row.action,
        object_ref=row.object_ref,
        result=row.result,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def entries(db: Database, object_ref: str | None = None, after_seq: int = 0) -> list[AuditRecord]:
    with db.session() as s:
        q = select(AuditEntry).where(AuditEntry.seq > after_seq).order_by(AuditEntry.seq)
        if object_ref is not None:
            q = q.where(AuditEntry.object_ref == object_ref)
        return [_to_record(r) for r in s.scalars(q)]


def verify(db: Database) -> list[AuditProblem]:
    """Where the chain breaks: gaps in the sequence, a changed entry, a broken link."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for e in entries(db):
        if e.seq != expected_seq:
            problems.append(AuditProblem(e.seq, f"regel(s) {expected_seq}..{e.seq - 1} ontbreken"))
        if e.prev_hash != prev_hash:
            problems.append(AuditProblem(e.seq, "schakel met de vorige regel klopt niet"))
        fields = {k: v for k, v in e.__dict__.items() if k != "hash"}
        if entry_hash(**fields) != e.hash:
            problems.append(AuditProblem(e.seq, "regel is gewijzigd (hash klopt niet)"))
        prev_hash = e.hash
        expected_seq = e.seq + 1
    with db.session() as s:
        head = s.get(Meta, HEAD_KEY)
        head_value = head.value if head is not None else None
    if isinstance(head_value, dict):
        head_seq = head_value.get("seq")
        if isinstance(head_seq, int) and head_seq > expected_seq - 1:
            problems.append(
                AuditProblem(
                    expected_seq,
                    f"de laatste regel(s) {expected_seq}..{head_seq} ontbreken",
                )
            )
        elif head_seq == expected_seq - 1 and head_value.get("hash") != prev_hash:
            problems.append(AuditProblem(head_seq, "laatste regel klopt niet met de kop"))
    return problems


# --- the chain head and single entries (issue 12: witnesses, restore of a damaged db) ---
HEAD_FORMAT = "bwo-audit-head/1"


@dataclass(frozen=True)
class ChainHead:
    """Where the chain stood: the newest entry's seq and hash (docs/audit-chain.md)."""

    seq: int
    hash: str
    entry_time: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": HEAD_FORMAT, "seq": self.seq, "hash": self.hash}
        if self.entry_time is not None:
            data["entry_time"] = self.entry_time.astimezone(dt.UTC).isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> ChainHead:
        """Strict: a ValueError for anything that is not a head of this format."""
        if not isinstance(data, dict) or data.get("format") != HEAD_FORMAT:
            raise ValueError("geen ketenkop")
        seq, digest = data.get("seq"), data.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("ketenkop zonder geldig regelnummer")
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError("ketenkop zonder geldige hash")
        when = data.get("entry_time")
        return cls(seq, digest, dt.datetime.fromisoformat(when) if isinstance(when, str) else None)


def chain_head(db: Database) -> ChainHead:
    """The head of the live chain, read from the newest entry (not from the meta copy)."""
    with db.session() as s:
        last = _last(s)
        if last is None:
            return ChainHead(0, GENESIS_HASH)
        return ChainHead(last.seq, last.hash, last.time)


def entry_at(db: Database, seq: int) -> AuditRecord | None:
    with db.session() as s:
        row = s.scalars(select(AuditEntry).where(AuditEntry.seq == seq)).first()
        return None if row is None else _to_record(row)


def last_seq(db: Database) -> int | None:
    from sqlalchemy import func

    with db.session() as s:
        return s.scalar(select(func.max(AuditEntry.seq)))


def ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3..5, 9"."""
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1].split("..")[-1] == str(n - 1):
            parts[-1] = f"{parts[-1].split('..')[0]}..{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)
