"""Matching zorgaanbieders: by AGB code, else by normalised name (case, accents and
punctuation do not matter). One implementation for cases, case-file imports and the
planning import."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from bwo_desktop.core.case import Provider
from bwo_desktop.core.names import fold
from bwo_desktop.models import Zorgaanbieder


def normalise_provider_name(name: str) -> str:
    """ "Stichting  Zorg-Één B.V." -> "stichting zorg een b v": case, accents, punctuation."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(name)).split())


def find_provider(s: Session, normalised: str, agb: str | None = None) -> Zorgaanbieder | None:
    """The live provider with AGB code `agb`, else the first with name `normalised` (one
    with another AGB code is another provider)."""
    live = Zorgaanbieder.deleted_at.is_(None)
    if agb:
        row = s.scalars(select(Zorgaanbieder).where(Zorgaanbieder.agb_code == agb, live)).first()
        if row is not None:
            return row
    if not normalised:
        return None
    for candidate in s.scalars(
        select(Zorgaanbieder).where(Zorgaanbieder.name_normalised == normalised, live)
    ):
        if candidate.agb_code is None or agb is None or candidate.agb_code == agb:
            return candidate
    return None


def provider_row(
    s: Session, provider: Provider | None, *, keep_matched_name: bool = False
) -> Zorgaanbieder | None:
    """The stored provider by AGB code, else by normalised name; a new one when neither
    matches. A missing AGB code is filled in, and the given name replaces the stored
    one, except with `keep_matched_name` (an import) when the provider was found by its
    name: another file's spelling of the same name does not rename a shared provider."""
    if provider is None:
        return None
    name = " ".join(provider.name.split())
    agb = (provider.agb_code or "").strip() or None
    if not name and not agb:
        return None
    normalised = normalise_provider_name(name)
    row = find_provider(s, normalised, agb)
    by_name = row is not None and not (agb and row.agb_code == agb)
    if row is None:
        row = Zorgaanbieder(
            id=uuid.uuid4(), name=name or agb or "", name_normalised=normalised, agb_code=agb
        )
        s.add(row)
        s.flush()
        return row
    if name and row.name != name and not (by_name and keep_matched_name):
        row.name = name
        row.name_normalised = normalised
    if agb and row.agb_code is None:
        row.agb_code = agb
    return row
