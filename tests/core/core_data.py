"""Shared data of the rules-engine tests (a uniquely named module: every tests/ folder has its own conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TESTS_DIR = Path(__file__).resolve().parent.parent
CASES_DIR = TESTS_DIR / "cases"
TARIFF_2027 = CASES_DIR / "tariffs" / "2027-05-01.toml"
DATA_DIR = Path(__file__).resolve().parent / "data"

# The example of advice-json.md, verbatim.
SPEC_EXAMPLE: dict[str, Any] = {
    "assessment_date": "2026-12-08",
    "period": {"start": "2027-01-01"},
    "zrm": {
        "financien": 2,
        "werk_opleiding": 3,
        "tijdsbesteding": 3,
        "huisvesting": 2,
        "huiselijke_relaties": 4,
        "geestelijke_gezondheid": 2,
        "lichamelijke_gezondheid": 4,
        "middelengebruik": 5,
        "basale_adl": 4,
        "instrumentele_adl": 3,
        "sociaal_netwerk": 3,
        "maatschappelijke_participatie": 4,
        "justitie": 5,
    },
    "support_forms": {"huisvesting": "aanleren"},
    "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
    "ib_override": None,
    "opslag": {
        "reason": "overgang_intramuraal",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "motivated_in_plan": True,
    },
    "huisvesting": {"cannot_rent_independently": True, "housing_via_provider": True},
    "support_plan_date": "2026-10-01",
    "has_debts": True,
}
