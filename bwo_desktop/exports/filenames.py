"""File names of produced documents: kenmerk and date, never a BSN or a client's name."""

from __future__ import annotations

import datetime as dt
import re

from bwo_desktop.core.bsn import contains_bsn
from bwo_desktop.core.errors import InputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe(text: str) -> str:
    cleaned = _UNSAFE.sub("-", text.strip()).strip("-.")
    return cleaned or "zonder-kenmerk"


def document_filename(kind: str, reference: str, day: dt.date) -> str:
    """`<kind>_<kenmerk>_<YYYY-MM-DD>.pdf`, with the kenmerk made safe for every file system.

    A kenmerk is generated as BWO-<year>-<device>-<sequence>; one typed by hand that holds a
    number passing the 11-proef (a BSN, perhaps) is refused rather than put in a file name.
    """
    safe = _safe(reference)
    if contains_bsn(safe):
        raise InputError(
            "reference",
            "het kenmerk bevat een BSN-achtig nummer; dat hoort niet in een bestandsnaam",
        )
    return f"{kind}_{safe}_{day.isoformat()}.pdf"


def beschikking_filename(reference: str, day: dt.date) -> str:
    """beschikking_BWO-2026-A1-000123_2026-12-08.pdf"""
    return document_filename("beschikking", reference, day)


def verslag_filename(reference: str, day: dt.date, copy_for: str) -> str:
    """onderzoeksverslag-client_<kenmerk>_<date>.pdf / onderzoeksverslag-aanbieder_... /
    onderzoeksverslag-intern_..."""
    suffix = {"provider": "aanbieder", "internal": "intern"}.get(copy_for, "client")
    return document_filename(f"onderzoeksverslag-{suffix}", reference, day)
