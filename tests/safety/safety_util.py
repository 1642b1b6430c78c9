"""Shared helpers of the data-safety tests: sample cases (fictional, test-range BSNs), a
database with them, and byte scans."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bsn_samples import bsn

from bwo_desktop.core.case import Case, Planned
from bwo_desktop.core.casefile import parse_case_file

PASSPHRASE = "correct horse battery staple"
CASEFILES = Path(__file__).resolve().parent.parent / "cases" / "casefiles"
# Texts from the sample notes (zrm_notes, motivations) that must never leave the database.
NOTE_TEXTS = (
    "Huurachterstand van drie maanden",
    "Nachtelijke onrust van de cliënt",
    "psychose",
)


def casefile_dicts() -> dict[str, dict[str, Any]]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(CASEFILES.glob("*.json"))
    }


def sample_case(n: int = 0, *, status: str = "concept") -> Case:
    """A concept case from the full sample case file, with its own BSN and no kenmerk."""
    data = casefile_dicts()["ib_bw_full.json"]
    case = parse_case_file(data)
    client = dataclasses.replace(case.client, bsn=bsn(n), last_name=f"Yılmaz-{n:03d}")
    return dataclasses.replace(
        case,
        client=client,
        reference=None,
        status=status,
        decision=None,
        tariffs_used=[],
        decision_date=None,
        planned=Planned(case.planned.date, case.planned.time) if case.planned else None,
        zrm_notes={"financien": f"{NOTE_TEXTS[0]} (casus {n})."},
    )


def scan(blobs: Iterable[bytes], needles: Iterable[str]) -> list[str]:
    """The needles found in any blob (UTF-8 and UTF-16 both ways)."""
    data = b"\0".join(blobs)
    found = []
    for needle in needles:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if needle.encode(encoding) in data:
                found.append(f"{needle} ({encoding})")
    return found


class FakeApp:
    """Stands in for the QApplication given to app.Shell: its `exit` must not end the run."""

    def exit(self, code: int) -> None:
        pass
