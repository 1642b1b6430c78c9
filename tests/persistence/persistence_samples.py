"""Sample clients and cases for the persistence tests (fictional; BSNs from the 9999 test
range)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bsn_samples import bsn

from bwo_desktop.core.case import (
    Address,
    Begeleider,
    Case,
    Client,
    Conversation,
    CurrentIndication,
    Planned,
    Provider,
    Representative,
    Result,
)

PASSPHRASE = "correct horse battery staple"


def client(n: int = 0, **changes: Any) -> Client:
    values: dict[str, Any] = {
        "bsn": bsn(n),
        "last_name": "Şahin",
        "birth_date": dt.date(1988, 3, 14),
        "initials": "A.",
        "first_name": "Ayşe",
        "prefix": None,
        "address": Address("Voorstraat", "12a", "3311 AB", "Dordrecht"),
        "provider": Provider("Stichting De Overkant", "73730001"),
        "begeleider": Begeleider("Kees de Vries", "06-12345678", "kees@example.org"),
    }
    values.update(changes)
    return Client(**values)


ASSESSMENT: dict[str, Any] = {
    "assessment_date": "2026-12-08",
    "period": {"start": "2027-01-01"},
    "zrm": {"financien": 2, "werk_opleiding": 3, "huisvesting": 2, "justitie": None},
    "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
    "support_plan_date": "2026-10-01",
    "has_debts": True,
}


def full_case(n: int = 0, **changes: Any) -> Case:
    values: dict[str, Any] = {
        "client": client(n),
        "consultant_name": "J. Consulent",
        "conversation": Conversation(
            location="Locatie Zuid, Dordrecht",
            attended_by="client_and_begeleider",
            absence_reason=None,
            consent_share_report=True,
            previous_arrangement="BW extramuraal all-in",
        ),
        "assessment": dict(ASSESSMENT),
        "motivations": {"need_24_7": "Nachtelijke onrust.", "zrm": "Schulden."},
        "results": [
            Result("financien", "heeft een geordende (financiële) administratie", "toename"),
            Result("justitie", "houdt zich aan de voorwaarden", "stabilisatie"),
        ],
        "reference": None,
        "decision_date": None,
        "status": "concept",
        "planned": Planned(dt.date(2026, 12, 8), dt.time(9, 20)),
        "salutation": "mevrouw",
        "representative": Representative(
            "Mr. P. Bakker", "curator", Address("Spuiboulevard", "1", "3311 GR", "Dordrecht")
        ),
        "delivery": "zin",
        "current_indication": CurrentIndication("BW extramuraal all-in", dt.date(2026, 12, 31)),
        "zrm_notes": {"financien": "Budgetbeheer loopt."},
        "unscored_reasons": {"justitie": "Niet besproken."},
    }
    values.update(changes)
    return Case(**values)


DECISION: dict[str, Any] = {
    "outcome": "ib_bw",
    "ib_level": "IB2",
    "recommended_ib_level": "IB2",
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "lines": [{"code": "IB2", "days": 365, "weekly": "204.12", "amount": "10643.40"}],
    "weekly_total": "204.12",
    "period_total": "10643.40",
    "warnings": [],
    "explanation": ["Alle drie de criteria zijn vervuld."],
}
TARIFFS: list[dict[str, Any]] = [
    {"valid_from": "2021-01-01", "source": "built-in", "weekly": {"IB2": "204.12"}}
]
