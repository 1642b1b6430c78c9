"""Two versions of one parked case side by side, as a consultant reads them (the conflict
inbox, docs/team-mode.md): the laptop's version that the office did not take, and the
office's. Field names in the editor's Dutch words (`audit_details.field_label`), technical
columns left out, the fields that differ first.

Nothing here decides: a person keeps one version or makes a new one. No Qt, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bwo_desktop.core.audit_details import field_label
from bwo_desktop.core.bsn import mask_bsn
from bwo_desktop.core.case import STATUS_NAMES

# Bookkeeping columns the consultant never typed: shown nowhere, compared nowhere.
TECHNICAL = frozenset(
    {
        "id",
        "version",
        "created_at",
        "updated_at",
        "deleted_at",
        "bwo_team",
        "client_id",
        "provider_id",
        "previous_id",
        "tariffs_used",
        "rules_used",
        "client_snapshot",
        "sort_name",  # a client's, made from its names
    }
)
# Case columns the audit log never names as changed, in the editor's words.
LABELS: dict[str, str] = {
    "reference": "kenmerk",
    "revision": "versie",
    "superseded": "vervangen door een nieuwere versie",
    "outcome": "uitkomst",
    "ib_level": "IB-niveau",
    "decision": "besluit",
    "finalised_at": "definitief gemaakt op",
    "new_indication_end": "nieuwe einddatum indicatie",
    "beschikking_made_on": "beschikking gemaakt op",
    "verslag_made_on": "onderzoeksverslag gemaakt op",
    "bsn": "BSN",
}
MAX_VALUE_CHARS = 400
REASON_TEXTS: dict[str, str] = {
    "lease": "de casus is uitgeleend aan een ander apparaat",
    "lease_broken": "de uitleen van deze casus is verbroken door de teamleider",
    "definitief": "de casus is op het kantoor al definitief",
}


@dataclass(frozen=True)
class FieldDiff:
    name: str  # the column, for tests and tooltips
    label: str  # the Dutch name
    mine: str
    office: str

    @property
    def differs(self) -> bool:
        return self.mine != self.office


def label(name: str) -> str:
    """A column's Dutch name; a client's columns as the editor names them."""
    if name in LABELS:
        return LABELS[name]
    if field_label(name) != name:
        return field_label(name)
    return field_label(f"client.{name}")


def reason_text(reason: str) -> str:
    """The Dutch reason a change was parked; an unknown one as it is."""
    return REASON_TEXTS.get(reason, reason)


def value_text(name: str, value: Any) -> str:
    """One value as text: dates as dd-mm-jjjj, yes/no in Dutch, structures compact."""
    if value is None or value == "":
        return "—"
    if name == "bsn":
        return mask_bsn(str(value))  # never shown in full outside the editor
    if name == "status" and isinstance(value, str):
        return STATUS_NAMES.get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        year, month, day = value.split("-")
        if year.isdigit() and month.isdigit() and day.isdigit():
            return f"{day}-{month}-{year}"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def compare(mine: dict[str, Any], office: dict[str, Any] | None) -> list[FieldDiff]:
    """Every shown field of either version; the differing ones first (in column order)."""
    office = office or {}
    names = [n for n in mine if n not in TECHNICAL]
    names += [n for n in office if n not in TECHNICAL and n not in mine]
    diffs = [
        FieldDiff(
            name=n,
            label=label(n),
            mine=value_text(n, mine.get(n)),
            office=value_text(n, office.get(n)) if office else "—",
        )
        for n in names
    ]
    return [d for d in diffs if d.differs] + [d for d in diffs if not d.differs]


__all__ = ["FieldDiff", "compare", "label", "reason_text", "value_text"]
