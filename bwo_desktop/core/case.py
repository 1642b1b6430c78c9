"""One herindicatie as plain data: what the case file carries, the database stores and the
screens, letters and workbooks read. No ORM, no Qt.

The assessment itself is kept in the exact JSON shape of the `advise` input
(`spec/advice-json.md`): it is the contract, and a concept case may hold an incomplete one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

STATUSES: tuple[str, ...] = ("planned", "concept", "definitief")
STATUS_NAMES: dict[str, str] = {
    "planned": "gepland",
    "concept": "concept",
    "definitief": "definitief",
}
ATTENDANCE: dict[str, str] = {
    "client_and_begeleider": "cliënt en begeleider",
    "client_only": "alleen cliënt",
    "begeleider_only": "alleen begeleider",
}
SALUTATIONS: tuple[str, ...] = ("heer", "mevrouw", "neutraal")
DELIVERIES: dict[str, str] = {"zin": "zorg in natura", "pgb": "persoonsgebonden budget (pgb)"}
MOTIVATION_KEYS: tuple[str, ...] = (
    "need_24_7",
    "can_postpone",
    "regular_ib_fits",
    "zrm",
    "opslag",
    "huisvesting",
    # Second wave (docs/case-file-extension.md): a transition inside the bezwaar term, a gap.
    "transition",
    "gap",
)


@dataclass
class Address:
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""

    def is_complete(self) -> bool:
        return all(v.strip() for v in (self.street, self.house_number, self.postcode, self.city))


@dataclass
class Provider:
    """Zorgaanbieder."""

    name: str = ""
    agb_code: str | None = None


@dataclass
class Begeleider:
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class Client:
    bsn: str
    last_name: str
    birth_date: dt.date
    initials: str | None = None
    first_name: str | None = None
    prefix: str | None = None  # tussenvoegsel: "van", "de", "van der"
    address: Address | None = None
    provider: Provider | None = None
    begeleider: Begeleider | None = None


@dataclass
class Conversation:
    location: str | None = None
    attended_by: str | None = None  # key of ATTENDANCE
    absence_reason: str | None = None
    consent_share_report: bool | None = None
    previous_arrangement: str | None = None


@dataclass
class Result:
    """A te bereiken resultaat (Bijlage 1) with the area's expected development."""

    area: str
    result: str
    development: str  # toename | stabilisatie


@dataclass
class Planned:
    date: dt.date
    time: dt.time | None = None


@dataclass
class Representative:
    """Wettelijk vertegenwoordiger: receives a copy of the letter."""

    name: str
    role: str | None = None
    address: Address | None = None


@dataclass
class CurrentIndication:
    description: str | None = None
    end_date: dt.date | None = None


@dataclass
class Case:
    client: Client
    consultant_name: str
    conversation: Conversation = field(default_factory=Conversation)
    assessment: dict[str, Any] | None = None  # advise input, JSON-shaped
    motivations: dict[str, str] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    reference: str | None = None  # kenmerk
    decision_date: dt.date | None = None
    status: str = "concept"
    planned: Planned | None = None
    salutation: str | None = None
    representative: Representative | None = None
    delivery: str = "zin"
    current_indication: CurrentIndication | None = None
    zrm_notes: dict[str, str] = field(default_factory=dict)
    unscored_reasons: dict[str, str] = field(default_factory=dict)
    tariffs_used: list[dict[str, Any]] = field(default_factory=list)
    # The rule thresholds the decision was made with (`core.rules.rules_to_dict`); None on
    # a concept, and on a decided case from before they were frozen (= the built-in rules).
    rules_used: dict[str, Any] | None = None
    # Set by the database (None for a case that only lives in a file):
    id: str | None = None  # UUID
    version: int = 0
    updated_at: dt.datetime | None = None  # UTC
    # The decided advice (advise output JSON) frozen when the case became definitief.
    decision: dict[str, Any] | None = None


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list: what the list and the search need, nothing more."""

    id: str
    reference: str | None
    client_name: str  # "Wilde, M. de"
    bsn: str
    birth_date: dt.date
    provider_name: str
    planned_date: dt.date | None
    planned_time: dt.time | None
    location: str
    status: str
    ib_level: str | None
    current_indication_end: dt.date | None
    updated_at: dt.datetime | None
    revision: int = 1  # "v2" in the list for a second version
    new_indication_end: dt.date | None = None  # the decided period's last day
    beschikking_made_on: dt.date | None = None
    verslag_made_on: dt.date | None = None  # the client's onderzoeksverslag


@dataclass(frozen=True)
class KnownCase:
    reference: str | None
    planned_date: dt.date | None
    status: str


@dataclass(frozen=True)
class KnownClient:
    """A client the database knows by BSN, for "Nieuwe casus": the client as last stored
    (names, address, provider, begeleider), the indication that runs now (from the latest
    decision, else as last recorded) and the client's current cases."""

    client: Client
    current_indication: CurrentIndication | None
    cases: tuple[KnownCase, ...] = ()

    def cases_on(self, day: dt.date) -> list[KnownCase]:
        return [c for c in self.cases if c.planned_date == day]
