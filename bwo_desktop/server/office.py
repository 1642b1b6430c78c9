"""The office's own commands on its database (no HTTP, no Qt): `server export-xlsx` and
`server audit-verify` (docs/team-mode.md, "Built: the office commands").

Every read and write runs in a transaction that has set its team (`schema.set_team`), so
row-level security shows that team's rows only, exactly as for a laptop's request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.iwmo import IwmoSettings
from bwo_desktop.server import schema, store

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

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        if self.problem is None:
            return f"team {self.team}: {self.entries} regels, in orde"
        return f"team {self.team}: {self.problem}"


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


def verify_team(engine: Engine, team: str) -> ChainCheck:
    """Recompute one team's office chain: seq 1..n without gaps, each prev_hash the hash of
    the entry before (the first the genesis), each hash recomputed (`store.audit_hash`)."""
    a = schema.audit
    with engine.connect() as conn, conn.begin():
        schema.set_team(conn, team)
        rows = conn.execute(select(a).where(a.c.bwo_team == team).order_by(a.c.seq)).all()
    prev = store.GENESIS
    for expected, row in enumerate(rows, start=1):
        if row.seq != expected:
            return ChainCheck(
                team, len(rows), f"regel {expected} ontbreekt (volgende regel is {row.seq})"
            )
        if row.prev_hash != prev:
            return ChainCheck(
                team, len(rows), f"regel {row.seq}: verwijst niet naar de regel ervoor"
            )
        digest = store.audit_hash(
            seq=row.seq,
            time=row.time,
            device=row.device,
            action=row.action,
            batch_id=row.batch_id,
            details=row.details,
            prev_hash=row.prev_hash,
        )
        if row.hash != digest:
            return ChainCheck(team, len(rows), f"regel {row.seq}: inhoud klopt niet met de hash")
        prev = row.hash
    return ChainCheck(team, len(rows), None)


def verify_all(engine: Engine) -> list[ChainCheck]:
    return [verify_team(engine, team) for team in teams(engine)]
