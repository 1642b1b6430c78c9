"""Helpers of the damage tests: a filled database and byte flips at a chosen page."""

from __future__ import annotations

from pathlib import Path

from safety_util import PASSPHRASE, sample_case

from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database
from bwo_desktop.services.integrity import PAGE_SIZE


def filled(path: Path, cases: int = 3) -> Path:
    db = open_database(path, PASSPHRASE, create=True)
    try:
        service = CaseService(db, user="Test")
        for n in range(cases):
            service.create(sample_case(n))
    finally:
        db.close()  # checkpoints the WAL: every page is in the main file
    return path


def pages(path: Path) -> int:
    return path.stat().st_size // PAGE_SIZE


def flip(path: Path, page: int, offset: int = 200, length: int = 16) -> None:
    """Invert bytes inside page `page` (1-based), as a bad sector or a bit rot would."""
    at = (page - 1) * PAGE_SIZE + offset
    with open(path, "r+b") as fh:
        fh.seek(at)
        data = fh.read(length)
        fh.seek(at)
        fh.write(bytes(b ^ 0xFF for b in data))
