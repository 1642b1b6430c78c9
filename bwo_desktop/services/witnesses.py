"""Witnesses of the audit chain outside the database (docs/audit-chain.md).

Someone with the passphrase can rewrite entries and recompute the plain SHA-256 chain; the
chain alone then looks whole. A witness is the chain head (seq + hash of the newest entry)
as it was at some moment, kept where a rewrite of the database does not reach: a sidecar
beside every backup (`<backup>.head.json`), one line per backup in `backups/ketenkop.log`,
and the metadata of PDF and Excel exports. `check` compares the live chain with each.
A witness detects a rewrite; it does not prevent one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.core.formatting import MONTHS_NL
from bwo_desktop.services import audit
from bwo_desktop.services.audit import AuditProblem, ChainHead

if TYPE_CHECKING:
    from bwo_desktop.services.database import Database

log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".head.json"
HEAD_LOG = "ketenkop.log"
# exports/pdf_common writes "bwo-audit-head/1 seq=N hash=H" into a PDF's Keywords;
# exports/xlsx_export the head's JSON into the custom document property below.
XLSX_PROPERTY = "bwo-audit-head"
_LOG_LINE = re.compile(
    r"^(?P<made>\S+) seq=(?P<seq>\d+) hash=(?P<hash>[0-9a-f]{64})(?: backup=(?P<backup>\S+))?$"
)
_PDF_HEAD = re.compile(rb"bwo-audit-head/1 seq=(\d+) hash=([0-9a-f]{64})")


@dataclass(frozen=True)
class Witness:
    head: ChainHead
    source: str  # Dutch, for the message: "back-up van 3 december 10:02"


def when_nl(moment: dt.datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {MONTHS_NL[local.month - 1]} {local:%H:%M}"


def sidecar_for(backup: Path) -> Path:
    return backup.with_name(backup.name + SIDECAR_SUFFIX)


# --- writing --------------------------------------------------------------------------------
def record_backup(backup: Path, head: ChainHead, log_folder: Path) -> None:
    """The head beside the backup and one line in the folder's append-only head log. No
    personal data: a time, a number, a hash and the backup's file name."""
    made = dt.datetime.now(dt.UTC).replace(microsecond=0)
    document = {**head.to_dict(), "backup": backup.name, "made": made.isoformat()}
    sidecar = sidecar_for(backup)
    tmp = sidecar.with_name(sidecar.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, sidecar)
    line = f"{made.isoformat()} seq={head.seq} hash={head.hash} backup={backup.name}\n"
    log_folder.mkdir(parents=True, exist_ok=True)
    # One write of a whole line, then fsync: a crash leaves the line or nothing.
    fd = os.open(log_folder / HEAD_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def export_head(db: Database) -> dict[str, object] | None:
    """The head as plain data for an exporter's metadata (exports do not import services);
    None when it cannot be read (a witness is a bonus, never a reason to fail an export)."""
    try:
        return audit.chain_head(db).to_dict()
    except Exception:
        log.warning("ketenkop niet te lezen voor de export")
        return None


# --- reading --------------------------------------------------------------------------------
def folder_witnesses(backups_dir: Path) -> tuple[list[Witness], list[str]]:
    """Every sidecar and head-log line in the backups folder; plus Dutch notes on lines or
    files that could not be read (a damaged log is itself a sign)."""
    found: list[Witness] = []
    notes: list[str] = []
    if not backups_dir.is_dir():
        return found, notes
    for sidecar in sorted(backups_dir.glob("*" + SIDECAR_SUFFIX)):
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            head = ChainHead.from_dict(data)
            made = dt.datetime.fromisoformat(data["made"])
        except (OSError, ValueError, KeyError, TypeError):
            notes.append(f"{sidecar.name} is onleesbaar")
            continue
        found.append(Witness(head, f"back-up van {when_nl(made)} ({data.get('backup', '?')})"))
    head_log = backups_dir / HEAD_LOG
    if head_log.exists():
        for number, line in enumerate(head_log.read_text(encoding="ascii", errors="replace")
                                      .splitlines(), start=1):  # fmt: skip
            m = _LOG_LINE.match(line.strip())
            if not m:
                notes.append(f"regel {number} van {HEAD_LOG} is onleesbaar")
                continue
            made = dt.datetime.fromisoformat(m["made"])
            head = ChainHead(int(m["seq"]), m["hash"])
            found.append(Witness(head, f"{HEAD_LOG} (back-up van {when_nl(made)})"))
    return found, notes


def file_witness(path: Path) -> Witness:
    """The head in a PDF's Keywords, an Excel file's custom property, or a head file
    (`.head.json`). ValueError when the file carries none. Case files carry no head: the
    case-file contract is strict (docs/audit-chain.md)."""
    name = path.name
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        m = _PDF_HEAD.search(data)
        if not m:
            raise ValueError(f"{name} bevat geen ketenkop")
        return Witness(ChainHead(int(m[1]), m[2].decode("ascii")), f"PDF {name}")
    if data.startswith(b"PK"):
        return Witness(_xlsx_head(path), f"Excel-bestand {name}")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except ValueError:
        raise ValueError(f"{name} is geen PDF, Excel- of JSON-bestand met een ketenkop") from None
    return Witness(ChainHead.from_dict(document), f"ketenkop {name}")


def _xlsx_head(path: Path) -> ChainHead:
    try:
        with zipfile.ZipFile(path) as archive:
            custom = archive.read("docProps/custom.xml").decode("utf-8")
    except (KeyError, zipfile.BadZipFile):
        raise ValueError(f"{path.name} bevat geen ketenkop") from None
    m = re.search(rf'name="{XLSX_PROPERTY}"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', custom)
    if not m:
        raise ValueError(f"{path.name} bevat geen ketenkop")
    import html

    return ChainHead.from_dict(json.loads(html.unescape(m[1])))


# --- checking -------------------------------------------------------------------------------
def check(db: Database, witnesses: list[Witness]) -> list[AuditProblem]:
    """Each witness against the live chain: its entry must still be there with its hash.
    Honest growth after a witness passes; a deleted tail or a rewritten entry does not."""
    by_seq = {e.seq: e.hash for e in audit.entries(db)}
    top = max(by_seq, default=0)
    problems: list[AuditProblem] = []
    for w in sorted(witnesses, key=lambda w: w.head.seq):
        seq, known = w.head.seq, w.head.hash
        if seq == 0:
            continue
        live = by_seq.get(seq)
        if seq > top:
            message = (
                f"regels na {top} ontbreken: {w.source} kende regel {seq} met hash {known[:4]}…"
            )
        elif live is None:
            message = (
                f"de keten is herschreven: {w.source} kende regel {seq} met hash "
                f"{known[:4]}…, de database heeft die regel niet"
            )
        elif live != known:
            message = (
                f"de keten is herschreven: {w.source} kende regel {seq} met hash "
                f"{known[:4]}…, de database heeft daar {live[:4]}…"
            )
        else:
            continue
        problems.append(AuditProblem(seq, message))
    return problems
