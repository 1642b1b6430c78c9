"""Two versions of one conflict side by side, as a consultant reads them (the conflict
inbox, docs/team-mode.md): the laptop's version that the office did not take, and the
office's. Field names in the editor's Dutch words (`audit_details.field_label`), technical
columns left out, the fields that differ first.

Three kinds of conflict (`kind`): a parked case (CASE), a client's field conflict (CLIENT:
only its `fields` are decided, and they come first) and a case that left this laptop with a
change the office did not take (LEFT: the local case is gone, so only the office's version
can stand until the lease comes back). `title` is the line that names one in the list.

Nothing here decides: a person keeps one version or makes a new one. No Qt, no database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bwo_desktop.core.audit_details import FIELD_LABELS, field_label
from bwo_desktop.core.bsn import mask_bsn
from bwo_desktop.core.case import ATTENDANCE, DELIVERIES, STATUS_NAMES

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
# Columns whose stored value is a code, in the editor's words.
WORDS: dict[str, dict[str, str]] = {
    "status": STATUS_NAMES,
    "attended_by": ATTENDANCE,
    "delivery": DELIVERIES,
}
REASON_TEXTS: dict[str, str] = {
    "lease": "de casus is uitgeleend aan een ander apparaat",
    "lease_broken": "de uitleen van deze casus is verbroken door de teamleider",
    "definitief": "de casus is op het kantoor al definitief",
}


CASE = "case"
CLIENT = "client"
LEFT = "left"
CLIENTS_TABLE = "clients"
CLIENT_PREFIX = "cliënt "  # the office's reference of a client: "cliënt Şahin, A."
SOMEONE_ELSE = "een andere consulent"


@dataclass(frozen=True)
class FieldDiff:
    name: str  # the column, for tests and tooltips
    label: str  # the Dutch name
    mine: str
    office: str
    marked: bool = False  # shown first, in bold: it differs, or it is what is decided

    @property
    def differs(self) -> bool:
        return self.mine != self.office


def kind(table_name: str, here: bool) -> str:
    """CLIENT for a client's field conflict, LEFT for a case no longer on this laptop,
    else CASE."""
    if table_name == CLIENTS_TABLE:
        return CLIENT
    return CASE if here else LEFT


def field_list(fields: Sequence[str]) -> str:
    """Dutch field names as one phrase: "telefoon begeleider en woonplaats"."""
    labels = [label(f) for f in fields]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} en {labels[-1]}"


def client_name(reference: str | None, row: dict[str, Any]) -> str:
    """The client as the office named it ("Şahin, A."), or from the row's sort name."""
    if reference and reference.lower().startswith(CLIENT_PREFIX):
        return reference[len(CLIENT_PREFIX) :]
    return reference or str(row.get("sort_name") or row.get("last_name") or "onbekend")


def subject(what: str, reference: str | None, row: dict[str, Any]) -> str:
    """What a conflict is about: the client's name, or the case's kenmerk."""
    if what == CLIENT:
        return client_name(reference, row)
    return str(reference or row.get("reference") or "zonder kenmerk")


def title(
    what: str,
    reference: str | None,
    row: dict[str, Any],
    fields: Sequence[str] = (),
    holder: str | None = None,
) -> str:
    """The list line of one conflict: "Casus K", "Cliënt Şahin, A. — telefoon begeleider",
    "Casus K — overgedragen aan B. Tweede" (a dash, not brackets: the holder of a parked
    case that left since reads "B. Tweede (laptop-b)")."""
    if what == CLIENT:
        return f"Cliënt {subject(what, reference, row)} — {field_list(fields)}"
    case = f"Casus {subject(what, reference, row)}"
    return f"{case} — overgedragen aan {holder or SOMEONE_ELSE}" if what == LEFT else case


def label(name: str) -> str:
    """A column's Dutch name; a client's columns as the editor names them."""
    if name in LABELS:
        return LABELS[name]
    if name in FIELD_LABELS:
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
    if isinstance(value, str) and name in WORDS:
        return WORDS[name].get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        year, month, day = value.split("-")
        if year.isdigit() and month.isdigit() and day.isdigit():
            return f"{day}-{month}-{year}"
    if isinstance(value, str) and len(value) == 8 and value[2] == ":" and value.endswith(":00"):
        return value[:5]  # a time: 09:20
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def compare(
    mine: dict[str, Any],
    office: dict[str, Any] | None,
    decided: Sequence[str] | None = None,
) -> list[FieldDiff]:
    """Every shown field of either version, the marked ones first (in column order): the
    differing ones, or, for a client's field conflict, only the `decided` fields (the
    other fields are not decided here, even when they differ). Without an office version
    nothing is compared, so nothing is marked."""
    names = [n for n in mine if n not in TECHNICAL]
    names += [n for n in office or {} if n not in TECHNICAL and n not in mine]
    if decided is not None:
        names = [n for n in decided if n not in TECHNICAL] + [n for n in names if n not in decided]
    diffs = []
    for n in names:
        left = value_text(n, mine.get(n))
        right = value_text(n, office.get(n)) if office else "—"
        marked = n in decided if decided is not None else bool(office) and left != right
        diffs.append(FieldDiff(n, label(n), left, right, marked))
    return [d for d in diffs if d.marked] + [d for d in diffs if not d.marked]


__all__ = [
    "CASE",
    "CLIENT",
    "LEFT",
    "FieldDiff",
    "compare",
    "field_list",
    "kind",
    "label",
    "reason_text",
    "subject",
    "title",
    "value_text",
]
