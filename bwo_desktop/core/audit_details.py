"""An audit entry's details as a consultant reads them: Dutch labels for the keys and for
the field names of a change ("velden: besluitdatum", not "decision_date").

The services store the details with English keys and the model's field names; that stays
so (the hash chain covers it). These names are mapped only when shown, by the audit dialog
and `audit show` alike. An unknown key or field is shown as it is, never dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from bwo_desktop.core.advice import OUTCOME_NAMES
from bwo_desktop.core.bsn import BSN_LIKE
from bwo_desktop.core.case import STATUS_NAMES

# The keys of an entry's details (services write them in English).
# What each action and result is called in front of the user (the log keeps its keys).
ACTION_LABELS: dict[str, str] = {
    "create": "Aangemaakt",
    "view": "Ingezien",
    "change": "Gewijzigd",
    "finalise": "Definitief gemaakt",
    "new_version": "Nieuwe versie",
    "export": "Geëxporteerd",
    "import": "Geïmporteerd",
    "delete": "Verwijderd",
    "restore": "Back-up teruggezet",
    "passphrase_change": "Wachtwoordzin gewijzigd",
    "backup": "Back-up gemaakt",
    "demo": "Demogegevens geladen",
}
RESULT_LABELS: dict[str, str] = {"ok": "gelukt", "refused": "geweigerd", "geweigerd": "geweigerd"}


DETAIL_LABELS: dict[str, str] = {
    "fields": "velden",
    "outcome": "uitkomst",
    "tariff_tables": "tarieftabellen",
    "status": "status",
    "revision": "versie",
    "file": "bestand",
    "kind": "soort",
    "cases": "casussen",
    "clients": "cliënten",
    "replaced": "vervangen",
    "rows": "rijen",
    "new": "nieuw",
    "updated": "bijgewerkt",
    "skipped": "overgeslagen",
    "errors": "fouten",
    "clients_created": "cliënten aangemaakt",
    "clients_updated": "cliënten bijgewerkt",
    "providers_created": "aanbieders aangemaakt",
    "backups": "back-ups",
    "lines": "regels",
    "toewijzingen": "toewijzingen",
    "full_bsn": "volledig BSN",
    "from": "vanaf",
    "to": "tot en met",
    "location_filter": "locatiefilter",
    "new_key": "nieuwe sleutel",
    "resumed": "hervat",
    "unreadable": "onleesbaar",
    "reason": "reden",
}
KIND_LABELS: dict[str, str] = {
    "beschikking": "beschikking",
    "xlsx": "Excel-overzicht",
    "planning": "herindicatieplanning",
    "verslag-client": "onderzoeksverslag voor de cliënt",
    "verslag-provider": "onderzoeksverslag voor de zorgaanbieder",
    "verslag-internal": "onderzoeksverslag, intern dossierexemplaar",
}
# The fields a change names: the case's columns, and the client's as "client.<name>"
# (services/cases.py _CASE_FIELDS; the client's editable fields: services/sync_fields.py
# MERGED), with the editor's words.
FIELD_LABELS: dict[str, str] = {
    "status": "status",
    "planned_date": "geplande datum",
    "planned_time": "geplande tijd",
    "location": "locatie",
    "attended_by": "aanwezig bij het gesprek",
    "absence_reason": "reden afwezigheid",
    "consent_share_report": "toestemming delen onderzoeksverslag",
    "previous_arrangement": "vorige regeling",
    "support_plan_date": "datum ondersteuningsplan",
    "assessment": "beoordeling",
    "motivations": "motiveringen",
    "results": "resultaten",
    "zrm_notes": "ZRM-toelichting",
    "unscored_reasons": "redenen niet gescoord",
    "salutation": "aanhef",
    "representative": "wettelijk vertegenwoordiger",
    "delivery": "leveringsvorm",
    "current_indication_description": "huidige indicatie",
    "current_indication_end": "einddatum huidige indicatie",
    "consultant_name": "consulent",
    "decision_date": "besluitdatum",
    "provider_id": "zorgaanbieder",
    "client_id": "cliënt",
    "client.initials": "voorletters",
    "client.first_name": "voornaam",
    "client.prefix": "tussenvoegsel",
    "client.last_name": "achternaam",
    "client.birth_date": "geboortedatum",
    "client.street": "straat",
    "client.house_number": "huisnummer",
    "client.postcode": "postcode",
    "client.city": "woonplaats",
    "client.begeleider_name": "naam begeleider",
    "client.begeleider_phone": "telefoon begeleider",
    "client.begeleider_email": "e-mail begeleider",
}


def field_label(name: str) -> str:
    """A changed field's Dutch name; an unknown one as it is (a newer version's field)."""
    return FIELD_LABELS.get(name, name)


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in sorted(value.items()))
    text = str(value)
    if key == "outcome":
        return OUTCOME_NAMES.get(text, text)
    if key == "status":
        return STATUS_NAMES.get(text, text).lower()
    if key == "kind":
        return KIND_LABELS.get(text, text)
    if key in ("from", "to"):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text).strftime("%d-%m-%Y")
    return text


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def result_label(result: str) -> str:
    return RESULT_LABELS.get(result, result)


def detail_parts(details: dict[str, Any] | None) -> list[str]:
    """An entry's details as readable Dutch ("uitkomst: ..."), changed fields first;
    anything BSN-like replaced (a second line of defence: details never hold one)."""
    details = details or {}
    parts = []
    fields = details.get("fields")
    if isinstance(fields, list):
        parts.append("velden: " + ", ".join(field_label(str(f)) for f in fields))
    order = list(DETAIL_LABELS)
    rest = [k for k in details if k != "fields" or not isinstance(fields, list)]
    for key in sorted(rest, key=lambda k: (order.index(k) if k in order else len(order), k)):
        label = DETAIL_LABELS.get(key, key.replace("_", " "))
        parts.append(f"{label}: {_value(key, details[key])}")
    return [BSN_LIKE.sub("[nummer]", part) for part in parts]
