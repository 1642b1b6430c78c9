"""Fictional but realistic demo data: clients (BSNs from the 9999 test range that pass the
11-proef, never real ones), providers, herindicatie days, concept cases half done, decided
cases (through the rules engine, decision and tariffs frozen) and earlier cases for previous
scores. Deterministic for a seed and a `today`; bulk inserts, so 50,000 cases stay usable.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select

from bwo_desktop.core.case import Address, Begeleider, Client, Provider
from bwo_desktop.core.names import initials_of, sort_name
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import audit
from bwo_desktop.services.case_mapping import client_json as _client_json
from bwo_desktop.services.database import CACHE_SIZE, Database, get_meta, set_meta
from bwo_desktop.services.errors import StoreError
from bwo_desktop.services.identity import DEVICE_CODE_ALPHABET, REFERENCE_FORMAT
from bwo_desktop.services.providers import normalise_provider_name as _norm

DEMO_PASSPHRASE = "demo-wachtwoord-bwo"
FIRST_TARIFF_DATE = dt.date(2021, 1, 1)


def demo_bsns() -> list[str]:
    """Every BSN 9999xxxxx that passes the 11-proef (about 9,090), in order."""
    out = []
    for middle in range(10000):
        digits = [9, 9, 9, 9, *(int(c) for c in f"{middle:04d}")]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check != 10:
            out.append("".join(map(str, digits)) + str(check))
    return out


# -- word lists (fictional combinations of common names in the Drechtsteden) --------------
FEMALE = [
    "Anna", "Sanne", "Lisa", "Eva", "Mila", "Iris", "Marloes", "Ingrid", "Wilma", "Kim",
    "Fatma", "Ayşe", "Zeynep", "Emine", "Hülya", "Gülşen", "Fatima", "Khadija", "Naima",
    "Małgorzata", "Agnieszka", "Katarzyna", "Żaneta", "Joanna", "Shanice", "Priya", "Ilse",
]  # fmt: skip
MALE = [
    "Jan", "Pieter", "Kees", "Dirk", "Bram", "Thijs", "Ruud", "Mark", "Jeroen", "Sven",
    "Mustafa", "Mehmet", "Ahmet", "Hüseyin", "Çağlar", "Oğuz", "Mohamed", "Youssef", "Said",
    "Łukasz", "Piotr", "Krzysztof", "Grzegorz", "Tomasz", "Rachid", "Dennis", "Kevin",
]  # fmt: skip
SURNAMES: list[tuple[str | None, str]] = [
    (None, "Jansen"), (None, "Bakker"), (None, "Visser"), (None, "Smit"), (None, "Meijer"),
    (None, "Mulder"), (None, "Bos"), (None, "Vos"), (None, "Hendriks"), (None, "Dekker"),
    ("de", "Vries"), ("van", "Dijk"), ("van der", "Berg"), ("de", "Jong"), ("van den", "Broek"),
    ("in 't", "Veld"), ("van 't", "Hof"), ("ter", "Horst"), ("de", "Wilde"), ("van", "Leeuwen"),
    ("van der", "Linden"), ("den", "Hartog"), ("van", "Wijk"), ("de", "Graaf"),
    (None, "Şahin"), (None, "Yılmaz"), (None, "Çelik"), (None, "Doğan"), (None, "Kaya"),
    (None, "Öztürk"), (None, "Aydın"), (None, "Arslan"), (None, "Kowalczyk"),
    (None, "Wiśniewski"), (None, "Nowak"), (None, "Wójcik"), (None, "Kamiński"),
    (None, "Lewandowski"), (None, "Żak"), (None, "Dąbrowski"), (None, "El Amrani"),
    (None, "Bouzid"), (None, "Benali"), (None, "El Idrissi"), (None, "Martina"),
    (None, "Doelwijt"), (None, "Pinas"), (None, "Tavares"),
]  # fmt: skip
CITIES: list[tuple[str, tuple[int, int], list[str]]] = [
    ("Dordrecht", (3311, 3329), ["Voorstraat", "Vrieseweg", "Krispijnseweg", "Reeweg-Oost",
                                  "Dubbeldamseweg", "Bankastraat", "Sumatraplein", "Brouwersdijk"]),
    ("Zwijndrecht", (3331, 3335), ["Burgemeester Jansenlaan", "Heerjansdam", "Kerkstraat",
                                    "Lindtsedijk", "Veerweg"]),
    ("Papendrecht", (3351, 3356), ["Westeind", "Oosteind", "Burgemeester Keijzerweg",
                                    "Kerkbuurt", "Veerdam"]),
    ("Sliedrecht", (3361, 3364), ["Kerkbuurt", "Rivierdijk", "Stationsweg", "Thorbeckelaan"]),
    ("Alblasserdam", (2951, 2954), ["Dam", "Cortgene", "Makkerstraat", "Blokweerweg"]),
    ("Hendrik-Ido-Ambacht", (3341, 3344), ["Weverskade", "Dorpsstraat", "Nijverheidstraat",
                                            "Sophiastraat"]),
    ("H.I. Ambacht", (3341, 3344), ["Hoge Kade", "Lagendijk"]),
]  # fmt: skip
PROVIDERS: list[tuple[str, str, str, list[str]]] = [
    ("Stichting Huize Oudekerk", "73990011", "oudekerk", ["Locatie Oudekerk, Dordrecht", "Locatie Krispijn, Dordrecht"]),
    ("Zorggroep De Drie Rivieren", "73990029", "drierivieren", ["Locatie Rivierdijk, Sliedrecht", "Locatie Centrum, Papendrecht"]),
    ("Begeleid Wonen Het Baken", "73990037", "hetbaken", ["Locatie Het Baken, Zwijndrecht"]),
    ("Stichting Onderdak Zuid", "73990045", "onderdakzuid", ["Locatie Zuid, Dordrecht", "Locatie Sterrenburg, Dordrecht"]),
    ("Woonzorg De Linde", "73990053", "delinde", ["Locatie De Linde, Hendrik-Ido-Ambacht"]),
    ("Stichting Nieuwe Kade", "73990061", "nieuwekade", ["Locatie Kade, Alblasserdam", "Locatie Dam, Alblasserdam"]),
    ("Kompas Begeleiding", "73990079", "kompas", ["Locatie Kompas, Dordrecht"]),
    ("Anker & Haven Zorg", "73990087", "ankerhaven", ["Locatie Haven, Papendrecht"]),
]  # fmt: skip
CONSULTANTS = ["M. Vermeulen", "S. El Idrissi", "P. de Groot", "K. Nowak", "R. Hoogendoorn"]
REPRESENTATIVE_ROLES = ["curator", "mentor", "bewindvoerder"]
DOMAINS = (
    "financien", "werk_opleiding", "tijdsbesteding", "huisvesting", "huiselijke_relaties",
    "geestelijke_gezondheid", "lichamelijke_gezondheid", "middelengebruik", "basale_adl",
    "instrumentele_adl", "sociaal_netwerk", "maatschappelijke_participatie", "justitie",
)  # fmt: skip
# How hard each domain tends to be for this group (added to the client's base score).
DOMAIN_OFFSET = {
    "financien": -0.6, "werk_opleiding": -0.3, "tijdsbesteding": 0.0, "huisvesting": -0.2,
    "huiselijke_relaties": 0.3, "geestelijke_gezondheid": -0.8, "lichamelijke_gezondheid": 0.6,
    "middelengebruik": 0.5, "basale_adl": 1.2, "instrumentele_adl": 0.2, "sociaal_netwerk": -0.2,
    "maatschappelijke_participatie": 0.1, "justitie": 1.3,
}  # fmt: skip
DOMAIN_AREA = {
    "lichamelijke_gezondheid": "zelfzorg", "basale_adl": "zelfzorg", "instrumentele_adl": "zelfzorg",
    "geestelijke_gezondheid": "geestelijke_gezondheid_middelengebruik",
    "middelengebruik": "geestelijke_gezondheid_middelengebruik",
}  # fmt: skip
SLOT_MINUTES = 20
MAX_PER_DAY = 18


@dataclass
class DemoReport:
    cases: int
    clients: int
    providers: int
    by_status: dict[str, int]
    seconds: float
    generate_seconds: float = 0.0  # building the data (including the rules engine)
    store_seconds: float = 0.0  # the bulk insert


@dataclass
class _Person:
    client: Client
    gender: str
    provider_index: int
    base: float  # ZRM tendency: lower is more need
    representative: dict[str, Any] | None
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


class _Generator:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        from bwo_desktop.core.zrm import load_catalogue

        self.catalogue = load_catalogue()
        self._engine: tuple[Any, Any] | None = None

    # -- people ----------------------------------------------------------------------------
    def person(self, bsn: str, provider_index: int) -> _Person:
        rng = self.rng
        gender = rng.choice("MV")
        first = rng.choice(MALE if gender == "M" else FEMALE)
        if rng.random() < 0.25:
            first += " " + rng.choice(MALE if gender == "M" else FEMALE)
        prefix, last = rng.choice(SURNAMES)
        if gender == "V" and last.endswith("ski"):
            last = last[:-1] + "a"  # Wiśniewska, Kamińska
        city, (pc_lo, pc_hi), streets = rng.choice(CITIES)
        postcode = f"{rng.randint(pc_lo, pc_hi)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        number = str(rng.randint(1, 240)) + (rng.choice(["", "", "", "a", "b", "-1", "bis"]))
        birth = dt.date(rng.randint(1955, 2005), rng.randint(1, 12), rng.randint(1, 28))
        bg_first, (bg_prefix, bg_last) = rng.choice(FEMALE + MALE), rng.choice(SURNAMES)
        bg_name = " ".join(p for p in (bg_first, bg_prefix, bg_last) if p)
        domain = PROVIDERS[provider_index][2]
        email = f"{bg_first.split()[0].lower()}.{bg_last.lower().replace(' ', '')}@{domain}.example"
        client = Client(
            bsn=bsn,
            last_name=last,
            birth_date=birth,
            first_name=first,
            prefix=prefix,
            address=Address(rng.choice(streets), number, postcode, city),
            provider=Provider(PROVIDERS[provider_index][0], PROVIDERS[provider_index][1]),
            begeleider=Begeleider(bg_name, f"06-{rng.randint(10000000, 99999999)}", email),
        )
        client.initials = initials_of(client)
        representative = None
        if rng.random() < 0.08:
            r_first, (r_prefix, r_last) = rng.choice(FEMALE + MALE), rng.choice(SURNAMES)
            r_city, (lo, _hi), r_streets = rng.choice(CITIES[:4])
            representative = {
                "name": "Mr. " + " ".join(p for p in (r_first[0] + ".", r_prefix, r_last) if p),
                "role": rng.choice(REPRESENTATIVE_ROLES),
                "address": {"street": rng.choice(r_streets), "house_number": str(rng.randint(1, 90)),
                            "postcode": f"{lo} AA", "city": r_city},
            }  # fmt: skip
        return _Person(client, gender, provider_index, rng.uniform(1.7, 3.7), representative)

    # -- assessment ---------------------------------------------------------------------------
    def scores(self, person: _Person, improvement: float) -> dict[str, int | None]:
        rng = self.rng
        zrm: dict[str, int | None] = {}
        for key in DOMAINS:
            value = person.base + improvement + DOMAIN_OFFSET[key] + rng.gauss(0, 0.7)
            zrm[key] = max(1, min(5, round(value)))
        if rng.random() < 0.06:
            zrm["justitie"] = None
        return zrm

    def assessment(
        self, person: _Person, conversation: dt.date, start: dt.date, improvement: float
    ) -> tuple[dict[str, Any], dict[str, str]]:
        rng = self.rng
        zrm = self.scores(person, improvement)
        roll = rng.random()
        criteria = {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False}
        if roll < 0.06:
            criteria["need_24_7"] = False
        elif roll < 0.09:
            criteria["regular_ib_fits"] = True
        elif roll < 0.12:
            criteria["can_postpone"] = False
        plan_age = rng.randint(20, 150) if rng.random() > 0.06 else rng.randint(190, 260)
        a: dict[str, Any] = {
            "assessment_date": conversation.isoformat(),
            "period": {"start": start.isoformat()},
            "zrm": zrm,
            "criteria": criteria,
            "support_plan_date": (conversation - dt.timedelta(days=plan_age)).isoformat(),
            "has_debts": rng.random() < 0.4,
        }
        notes: dict[str, str] = {}
        if rng.random() < 0.6:
            a["huisvesting"] = {"cannot_rent_independently": True, "housing_via_provider": True}
        elif rng.random() < 0.5:
            a["huisvesting"] = {"cannot_rent_independently": False, "housing_via_provider": True}
        if rng.random() < 0.1:
            reason = rng.choice(["overgang_intramuraal", "life_event", "zorgmijdend_gedrag"])
            opslag: dict[str, Any] = {"reason": reason, "motivated_in_plan": rng.random() < 0.85}
            if reason != "zorgmijdend_gedrag":
                opslag["start"] = start.isoformat()
                opslag["end"] = (start + dt.timedelta(days=rng.choice([60, 90, 181]))).isoformat()
            a["opslag"] = opslag
        if rng.random() < 0.05:
            a["ib_override"] = {
                "level": rng.choice(["IB1", "IB2", "IB3"]),
                "motivation": "Afgestemd met cliënt en begeleider: het ondersteuningsplan vraagt "
                "tijdelijk een ander niveau dan de ZRM-telling aangeeft.",
            }
        if rng.random() < 0.04:
            a["support_forms"] = {"huisvesting": "aanleren"}
        if zrm["justitie"] is None:
            notes["justitie"] = "Niet besproken: cliënt wilde hier in het gesprek niet op ingaan."
        return a, notes

    def motivations(self, a: dict[str, Any]) -> dict[str, str]:
        c = a["criteria"]
        m = {
            "need_24_7": (
                "Cliënt heeft ook buiten kantoortijden ondersteuning nodig, vooral 's avonds "
                "bij onrust en bij het nakomen van afspraken."
                if c["need_24_7"]
                else "Cliënt redt zich buiten kantoortijden; er is geen 24/7 ondersteuningsbehoefte."
            ),
            "can_postpone": (
                "Cliënt kan een hulpvraag kortdurend uitstellen en weet de bereikbaarheidsdienst "
                "te bellen."
                if c["can_postpone"]
                else "Cliënt kan een hulpvraag niet uitstellen; direct oproepbare hulp is nodig."
            ),
            "regular_ib_fits": (
                "Reguliere individuele begeleiding past en is voorliggend."
                if c["regular_ib_fits"]
                else "Reguliere individuele begeleiding is eerder ingezet en bleek onvoldoende."
            ),
            "zrm": "De ZRM is samen met cliënt en begeleider ingevuld op basis van de huidige situatie.",
        }
        if a.get("opslag"):
            m["opslag"] = (
                "Tijdelijk meer ondersteuning nodig; beschreven in het ondersteuningsplan."
            )
        if (a.get("huisvesting") or {}).get("cannot_rent_independently"):
            m["huisvesting"] = (
                "Cliënt kan nog niet zelfstandig huren; de woning loopt via de aanbieder."
            )
        return m

    def results(self, zrm: dict[str, int | None]) -> list[dict[str, str]]:
        rng = self.rng
        low = sorted((s, k) for k, s in zrm.items() if s is not None and s <= 3)
        areas: dict[str, str] = {}
        for score, key in low:
            area = DOMAIN_AREA.get(key, key)
            if area not in areas:
                areas[area] = "toename" if score <= 2 else "stabilisatie"
            if len(areas) >= rng.randint(2, 4):
                break
        out = []
        for area_key, development in areas.items():
            catalogue_area = self.catalogue.result_area(area_key)
            if catalogue_area.free_text or not catalogue_area.results:
                out.append(
                    {
                        "area": area_key,
                        "result": "houdt zich aan de afspraken met de reclassering",
                        "development": development,
                    }
                )
                continue
            for result in rng.sample(
                list(catalogue_area.results), k=min(len(catalogue_area.results), rng.randint(1, 2))
            ):
                out.append({"area": area_key, "result": result, "development": development})
        return out

    def decide(self, assessment: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        from bwo_desktop.core.advice import advise
        from bwo_desktop.core.assessment_json import advice_to_json, parse_assessment
        from bwo_desktop.core.tariffs import tariff_table_to_dict

        if self._engine is None:
            from bwo_desktop.core.rules import load_rules
            from bwo_desktop.core.tariffs import load_tariff_book

            # Built-in tables and rules only: demo data must not depend on the user's folder.
            self._engine = (load_tariff_book(), load_rules())
        book, rules = self._engine
        advice = advise(parse_assessment(assessment), book, rules)
        return advice_to_json(advice), [tariff_table_to_dict(t) for t in advice.tariffs_used]


def _day_slots(
    rng: random.Random, first_day: dt.date, count: int, *, forward: bool
) -> list[tuple[dt.date, dt.time, int]]:
    """Herindicatie days: up to 18 conversations per day at one location, 09:00, 09:20 ..."""
    slots: list[tuple[dt.date, dt.time, int]] = []
    day = first_day
    location = 0
    while len(slots) < count:
        day = _weekday_on_or_after(day) if forward else _weekday_on_or_before(day)
        on_day = min(count - len(slots), rng.randint(8, MAX_PER_DAY))
        for i in range(on_day):
            minutes = 9 * 60 + i * SLOT_MINUTES
            slots.append((day, dt.time(minutes // 60, minutes % 60), location))
        location += 1
        step = dt.timedelta(days=rng.randint(1, 6))
        day = day + step if forward else day - step
    return slots


def generate(
    db: Database,
    cases: int,
    *,
    seed: int = 1,
    today: dt.date | None = None,
    consultant: str | None = None,
) -> DemoReport:
    """Fill an empty database with `cases` demo cases and mark it as demo."""
    started = time.perf_counter()
    if cases < 1:
        raise StoreError("het aantal casussen moet minstens 1 zijn")
    today = today or dt.date.today()
    with db.session() as s:
        existing = s.scalar(select(func.count()).select_from(Herindicatie)) or 0
    if existing:
        raise StoreError("de database bevat al casussen; demodata alleen in een lege database")
    gen = _Generator(seed, today)
    rng = gen.rng
    pool = demo_bsns()
    rng.shuffle(pool)
    n_clients = max(1, min(len(pool), round(cases / 1.25)))
    people = [gen.person(pool[i], rng.randrange(len(PROVIDERS))) for i in range(n_clients)]

    # Earlier cases per client, spread as evenly as the years since the first tariff allow.
    earlier_total = cases - n_clients
    per_client = [earlier_total // n_clients + (1 if i < earlier_total % n_clients else 0)
                  for i in range(n_clients)]  # fmt: skip
    rng.shuffle(per_client)
    most = max(per_client) if per_client else 0
    available = (today - dt.timedelta(days=400) - FIRST_TARIFF_DATE).days
    spacing = 365 if most * 365 <= available else max(30, available // max(most, 1))

    # Status of each client's current case, and herindicatie days per provider.
    statuses = []
    for _ in people:
        r = rng.random()
        statuses.append("planned" if r < 0.35 else "concept" if r < 0.5 else "definitief")
    slots: dict[int, dict[tuple[str, int], dt.time | Any]] = {}
    by_provider: dict[tuple[int, str], list[int]] = {}
    for i, (p, st) in enumerate(zip(people, statuses, strict=True)):
        by_provider.setdefault((p.provider_index, st), []).append(i)
    when: dict[int, tuple[dt.date, dt.time, str]] = {}
    for (prov, st), members in sorted(by_provider.items()):
        locations = PROVIDERS[prov][3]
        if st == "planned":
            first, forward = today + dt.timedelta(days=rng.randint(1, 10)), True
        elif st == "concept":
            first, forward = today - dt.timedelta(days=rng.randint(0, 3)), False
        else:
            first, forward = today - dt.timedelta(days=rng.randint(14, 30)), False
        for i, (day, at, loc) in zip(
            members, _day_slots(rng, first, len(members), forward=forward), strict=True
        ):
            when[i] = (day, at, locations[loc % len(locations)])
    del slots

    device = str(
        db.get_meta("device_code") or "".join(rng.choice(DEVICE_CODE_ALPHABET) for _ in range(4))
    )
    seq: Counter[int] = Counter()
    now = utcnow()
    provider_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in PROVIDERS]
    provider_rows = [
        {"id": pid, "name": name, "name_normalised": _norm(name), "agb_code": agb,
         "created_at": now, "updated_at": now, "version": 1, "deleted_at": None}
        for pid, (name, agb, _d, _l) in zip(provider_ids, PROVIDERS, strict=True)
    ]  # fmt: skip
    client_rows = []
    case_rows: list[dict[str, Any]] = []
    by_status: Counter[str] = Counter()

    def reference(year: int) -> str:
        seq[year] += 1
        return REFERENCE_FORMAT.format(year=year, device=device, seq=seq[year])

    for i, person in enumerate(people):
        person.id = uuid.UUID(int=rng.getrandbits(128), version=4)
        c = person.client
        a = c.address
        assert a is not None and c.begeleider is not None
        client_rows.append({
            "id": person.id, "bsn": c.bsn, "initials": c.initials, "first_name": c.first_name,
            "prefix": c.prefix, "last_name": c.last_name, "sort_name": sort_name(c),
            "birth_date": c.birth_date, "street": a.street, "house_number": a.house_number,
            "postcode": a.postcode, "city": a.city, "begeleider_name": c.begeleider.name,
            "begeleider_phone": c.begeleider.phone, "begeleider_email": c.begeleider.email,
            "created_at": now, "updated_at": now, "version": 1, "deleted_at": None,
        })  # fmt: skip
        status = statuses[i]
        day, at, location = when[i]
        # The current indication ends a little after the conversation.
        if status == "planned":
            current_end = day + dt.timedelta(days=rng.randint(10, 75))
        elif status == "concept":
            current_end = day + dt.timedelta(days=rng.randint(5, 60))
        else:
            current_end = day + dt.timedelta(days=rng.randint(14, 45))
        start = current_end + dt.timedelta(days=1)
        history = []
        for j in range(per_client[i], 0, -1):
            h_start = start - dt.timedelta(days=spacing * j)
            if h_start < FIRST_TARIFF_DATE:
                continue
            h_day = _weekday_on_or_before(h_start - dt.timedelta(days=rng.randint(14, 45)))
            history.append((h_day, h_start, j))
        previous_level: str | None = None
        chain = [*history, (day, start, 0)]
        for k, (c_day, c_start, back) in enumerate(chain):
            is_current = k == len(chain) - 1
            c_status = status if is_current else "definitief"
            c_time = at if is_current else dt.time(9 + rng.randint(0, 4), rng.choice([0, 20, 40]))
            c_location = location if is_current else rng.choice(PROVIDERS[person.provider_index][3])
            prev_end = c_start - dt.timedelta(days=1)
            row: dict[str, Any] = {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "reference": reference(c_day.year), "revision": 1, "previous_id": None,
                "superseded": False, "client_id": person.id,
                "provider_id": provider_ids[person.provider_index], "status": c_status,
                "planned_date": c_day, "planned_time": c_time, "location": c_location,
                "attended_by": None, "absence_reason": None, "consent_share_report": None,
                "previous_arrangement": None, "support_plan_date": None, "assessment": None,
                "motivations": {}, "results": [], "zrm_notes": {}, "unscored_reasons": {},
                "salutation": {"M": "heer", "V": "mevrouw"}[person.gender] if rng.random() > 0.1 else "neutraal",
                "representative": person.representative, "delivery": "pgb" if rng.random() < 0.05 else "zin",
                "current_indication_description": (
                    f"BW extramuraal {previous_level} + bereikbaarheid" if previous_level
                    else "Beschermd wonen extramuraal (all-in)"
                ),
                "current_indication_end": prev_end,
                "consultant_name": consultant or rng.choice(CONSULTANTS),
                "decision_date": None, "outcome": None, "ib_level": None, "decision": None,
                "tariffs_used": None, "client_snapshot": None, "finalised_at": None,
                "created_at": now, "updated_at": now, "version": 1, "deleted_at": None,
            }  # fmt: skip
            if c_status in ("concept", "definitief"):
                attended = rng.choices(
                    ["client_and_begeleider", "client_only", "begeleider_only"], [80, 14, 6]
                )[0]
                row["attended_by"] = attended
                if attended == "begeleider_only":
                    row["absence_reason"] = "Cliënt was opgenomen in het ziekenhuis."
                row["consent_share_report"] = rng.random() < 0.85
                row["previous_arrangement"] = row["current_indication_description"]
                assessment, unscored = gen.assessment(person, c_day, c_start, -0.25 * back)
                row["unscored_reasons"] = unscored
                row["support_plan_date"] = dt.date.fromisoformat(assessment["support_plan_date"])
                if c_status == "concept":
                    # Half done: scores for the first domains, criteria not yet answered.
                    done = rng.randint(3, 12)
                    assessment["zrm"] = dict(list(assessment["zrm"].items())[:done])
                    assessment.pop("criteria")
                    row["unscored_reasons"] = {}
                    row["motivations"] = {"zrm": "Eerste indruk: " + "nog aanvullen."}
                    row["assessment"] = assessment
                else:
                    decision, tariffs = gen.decide(assessment)
                    row["assessment"] = assessment
                    row["motivations"] = gen.motivations(assessment)
                    if decision["outcome"] == "ib_bw":
                        row["results"] = gen.results(assessment["zrm"])
                    row["decision"] = decision
                    row["tariffs_used"] = tariffs
                    row["outcome"] = decision["outcome"]
                    row["ib_level"] = decision["ib_level"]
                    row["decision_date"] = c_day + dt.timedelta(days=rng.randint(0, 4))
                    row["finalised_at"] = now
                    row["client_snapshot"] = _client_json(person.client)
                    if decision["ib_level"]:
                        previous_level = decision["ib_level"]
            case_rows.append(row)
            by_status[c_status] += 1

    generated = time.perf_counter()
    with db.session() as s:
        conn = s.connection()
        if db.dialect == "sqlite":
            # Random UUID keys touch pages all over the indexes: give the bulk load room.
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
        conn.execute(insert(Zorgaanbieder), provider_rows)
        for chunk in range(0, len(client_rows), 5000):
            conn.execute(insert(ClientRow), client_rows[chunk : chunk + 5000])
        for chunk in range(0, len(case_rows), 2000):
            conn.execute(insert(Herindicatie), case_rows[chunk : chunk + 2000])
        set_meta(s, "is_demo", True)
        if not get_meta(s, "device_code"):
            set_meta(s, "device_code", device)
        for year, last in seq.items():
            set_meta(s, f"reference_seq.{year}", last)
        audit.record(
            s, "demo", None, details={"cases": len(case_rows), "clients": len(client_rows)},
            user=consultant,
        )  # fmt: skip
    if db.dialect == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA cache_size = {CACHE_SIZE}")
            conn.rollback()
    stored = time.perf_counter()
    return DemoReport(
        generate_seconds=generated - started,
        store_seconds=stored - generated,
        cases=len(case_rows),
        clients=len(client_rows),
        providers=len(provider_rows),
        by_status=dict(by_status),
        seconds=time.perf_counter() - started,
    )
