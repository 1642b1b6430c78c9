"""The office's own commands on its database (no HTTP, no Qt): `server export-xlsx`,
`server audit-verify` (the office's chains and every laptop chain it holds) and the listing
of `server audit-quarantine` (docs/team-mode.md, "Built: the office commands").

Every read and write runs in a transaction that has set its team (`schema.set_team`), so
row-level security shows that team's rows only, exactly as for a laptop's request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.iwmo import IwmoSettings
from bwo_desktop.server import device_audit, schema, store

# The name in the office chain of an entry the office itself wrote (not a laptop's push).
OFFICE_DEVICE = "kantoor"


@dataclass(frozen=True)
class TeamExport:
    team: str
    path: Path
    cases: int
    lines: int
    receipt: dict[str, Any]


@dataclass(frozen=True)
class ChainCheck:
    team: str
    entries: int
    problem: str | None  # one Dutch line naming the first bad seq, or None when in order
    device: str | None = None  # a laptop's chain as the office holds it; None: the office's

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        name = f"team {self.team}" if self.device is None else f"team {self.team}, {self.device}"
        if self.problem is None:
            return f"{name}: {self.entries} regels, in orde"
        return f"{name}: {self.problem}"


def teams(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [str(t) for t in conn.scalars(select(schema.teams.c.name).order_by("name"))]


def _safe_part(team: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", team).strip("_") or "team"


def team_file(out: Path, team: str) -> Path:
    """FILE-TEAM.xlsx beside FILE.xlsx (one workbook per team when no team is named)."""
    return out.with_name(f"{out.stem}-{_safe_part(team)}{out.suffix}")


def export_team(
    engine: Engine, team: str, out: Path, *, iwmo: IwmoSettings | None = None
) -> TeamExport:
    """The team's overview workbook, the laptop's own export (BSN masked), every current
    decision once (a superseded version is left out). The `export` entry is appended to the
    team's office chain before this returns; if that fails the workbook is removed."""
    from bwo_desktop.exports.xlsx_export import check_file_name, write_overview
    from bwo_desktop.services.xlsx_service import gather_export_cases, user_iwmo_settings

    check_file_name(out)
    if team not in teams(engine):
        raise InputError("--team", f"team {team!r} is onbekend op het kantoor")
    with engine.connect() as conn, conn.begin():
        schema.set_team(conn, team)
        cases = gather_export_cases(conn)
        head = conn.execute(
            select(func.max(schema.changes.c.seq)).where(schema.changes.c.bwo_team == team)
        ).scalar()
    counts = write_overview(
        out, cases, full_bsn=False, iwmo=iwmo if iwmo is not None else user_iwmo_settings()
    )
    details = {
        "kind": "xlsx",
        "file": out.name,
        "cases": counts.cases,
        "lines": counts.lines,
        "toewijzingen": counts.toewijzingen,
        "full_bsn": False,
        "changes_head": head or 0,
    }
    try:
        with engine.begin() as conn:
            schema.set_team(conn, team)
            store.team_lock(conn, team)
            receipt = store.append_audit(conn, team, OFFICE_DEVICE, "export", details)
    except BaseException:
        out.unlink(missing_ok=True)  # an export the chain does not record is not handed out
        raise
    return TeamExport(team, out, counts.cases, counts.lines, receipt)


def _first_problem(links: Sequence[tuple[int, str, str, str | None]]) -> str | None:
    """The first bad entry of a chain given as (seq, prev_hash, hash, recomputed hash or
    None when unreadable), in seq order: numbered 1..n, linked, each hash its own."""
    prev = store.GENESIS
    for expected, (seq, prev_hash, digest, recomputed) in enumerate(links, start=1):
        if seq != expected:
            return f"regel {expected} ontbreekt (volgende regel is {seq})"
        if prev_hash != prev:
            return f"regel {seq}: verwijst niet naar de regel ervoor"
        if recomputed is None:
            return f"regel {seq}: onleesbaar"
        if digest != recomputed:
            return f"regel {seq}: inhoud klopt niet met de hash"
        prev = digest
    return None


def verify_team(engine: Engine, team: str) -> ChainCheck:
    """Recompute one team's office chain: seq 1..n without gaps, each prev_hash the hash of
    the entry before (the first the genesis), each hash recomputed (`store.audit_hash`)."""
    a = schema.audit
    with engine.connect() as conn, conn.begin():
        schema.set_team(conn, team)
        rows = conn.execute(select(a).where(a.c.bwo_team == team).order_by(a.c.seq)).all()
    links = [
        (
            row.seq,
            row.prev_hash,
            row.hash,
            store.audit_hash(
                seq=row.seq,
                time=row.time,
                device=row.device,
                action=row.action,
                batch_id=row.batch_id,
                details=row.details,
                prev_hash=row.prev_hash,
            ),
        )
        for row in rows
    ]
    return ChainCheck(team, len(rows), _first_problem(links))


def _device_link(row: Any) -> tuple[int, str, str, str | None]:
    """One stored laptop entry: its columns must agree with its wire form, whose hash is
    recomputed with the laptop's own function (`audit.entry_hash`)."""
    from bwo_desktop.services.sync_audit import EntryError, decode_entry, recomputed_hash

    try:
        entry = decode_entry(row.entry)
    except EntryError:
        return row.seq, row.prev_hash, row.hash, None
    if (entry.seq, entry.prev_hash, entry.hash) != (row.seq, row.prev_hash, row.hash):
        return row.seq, row.prev_hash, row.hash, None
    return row.seq, row.prev_hash, row.hash, recomputed_hash(entry)


def verify_devices(engine: Engine, team: str) -> list[ChainCheck]:
    """Every laptop chain of the team as the office holds it (`server_device_audit`, each
    epoch of a device a chain of its own), then each fork in quarantine that is not
    resolved, as a finding of its own."""
    d = schema.device_audit
    with engine.connect() as conn, conn.begin():
        schema.set_team(conn, team)
        rows = conn.execute(
            select(d).where(d.c.bwo_team == team).order_by(d.c.device, d.c.epoch, d.c.seq)
        ).all()
        forks = device_audit.open_forks(conn, team)
    chains: dict[str, list[Any]] = {}
    for row in rows:
        name = row.device if not row.epoch else f"{row.device} (herstart {row.epoch})"
        chains.setdefault(name, []).append(row)
    checks = [
        ChainCheck(team, len(held), _first_problem([_device_link(r) for r in held]), name)
        for name, held in chains.items()
    ]
    for fork in forks:
        checks.append(ChainCheck(team, fork.entries, fork.finding(), fork.device))
    return checks


def quarantined_forks(engine: Engine, team: str | None = None) -> list[device_audit.Fork]:
    """The unresolved forks of one team, or of every team (`server audit-quarantine`)."""
    known = teams(engine)
    if team is not None and team not in known:
        raise InputError("--team", f"team {team!r} is onbekend op het kantoor")
    found: list[device_audit.Fork] = []
    for name in [team] if team is not None else known:
        with engine.connect() as conn, conn.begin():
            schema.set_team(conn, name)
            found.extend(device_audit.open_forks(conn, name))
    return found


def verify_all(engine: Engine) -> list[ChainCheck]:
    checks: list[ChainCheck] = []
    for team in teams(engine):
        checks.append(verify_team(engine, team))
        checks.extend(verify_devices(engine, team))
    return checks
