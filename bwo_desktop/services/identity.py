"""Identity of cases: this installation's device code and the kenmerk numbering
BWO-<year>-<device code>-<sequence>, one implementation for single cases (`CaseService`)
and for many at once (the planning import).

The sequence per year is kept in meta; a kenmerk already in the database (from a merge or
an import) is skipped, so numbers never clash."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwo_desktop.models import Herindicatie
from bwo_desktop.services.database import get_meta, set_meta

DEVICE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REFERENCE_FORMAT = "BWO-{year}-{device}-{seq:04d}"


def device_code(s: Session) -> str:
    """The four-character code of this installation, made on first use."""
    code = get_meta(s, "device_code")
    if not code:
        code = "".join(secrets.choice(DEVICE_CODE_ALPHABET) for _ in range(4))
        set_meta(s, "device_code", code)
    return str(code)


class ReferenceNumbers:
    """Reserves kenmerken within one session: one meta read and one query per year, however
    many cases get a number.

    `device` given (the office's code of a team, server/planning.py): that code, and the
    sequence is not kept in meta (the office has no meta of its own); the kenmerken already
    in the database are skipped as always."""

    def __init__(self, s: Session, device: str | None = None) -> None:
        self.s = s
        self.device: str | None = device
        self.in_meta = device is None
        self.next_seq: dict[int, int] = {}
        self.taken: dict[int, set[str]] = {}

    def next(self, year: int) -> str:
        s = self.s
        if self.device is None:
            self.device = device_code(s)
        if year not in self.next_seq:
            seq = get_meta(s, f"reference_seq.{year}", 0) if self.in_meta else 0
            self.next_seq[year] = int(seq or 0)
            prefix = REFERENCE_FORMAT.format(year=year, device=self.device, seq=0)[:-4]
            self.taken[year] = set(
                s.scalars(
                    select(Herindicatie.reference).where(Herindicatie.reference.like(f"{prefix}%"))
                )
            )
        while True:
            self.next_seq[year] += 1
            reference = REFERENCE_FORMAT.format(
                year=year, device=self.device, seq=self.next_seq[year]
            )
            if reference not in self.taken[year]:
                self.taken[year].add(reference)
                if self.in_meta:
                    set_meta(s, f"reference_seq.{year}", self.next_seq[year])
                return reference


def next_reference(s: Session, year: int) -> str:
    """Reserve the next kenmerk of `year` for one case."""
    return ReferenceNumbers(s).next(year)
