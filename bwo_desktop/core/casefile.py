"""The case file (spec/case-file.md): one whole herindicatie as JSON, read strictly.

`parse_case_file` validates everything (unknown keys at every level, required fields, the
11-proef, dates, enumerations, the assessment via `parse_assessment`, the tariff tables)
and names the dotted field of the first problem; `case_to_file_dict` is its exact inverse,
so parse → dict → parse gives an equal Case.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwo_desktop.core.bsn import is_valid_bsn
from bwo_desktop.core.case import (
    ATTENDANCE,
    DELIVERIES,
    MOTIVATION_KEYS,
    SALUTATIONS,
    STATUSES,
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
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.strict_json import StrictObject, read_json_file, show
from bwo_desktop.core.zrm import DEVELOPMENTS, DOMAIN_KEYS, RESULT_AREA_KEYS

if TYPE_CHECKING:
    from bwo_desktop.core.advice import Advice

FORMAT = "bwo-case/1"
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_AGB = re.compile(r"^[0-9]{8}$")

TOP_KEYS: tuple[str, ...] = (
    "format",
    "reference",
    "client",
    "conversation",
    "consultant",
    "assessment",
    "motivations",
    "results",
    "decision_date",
    "status",
    "planned",
    "salutation",
    "representative",
    "delivery",
    "current_indication",
    "zrm_notes",
    "unscored_reasons",
    "tariffs_used",
    "rules_used",  # docs/case-file-rules-used.md
)
CLIENT_KEYS = (
    "bsn",
    "initials",
    "first_name",
    "prefix",
    "last_name",
    "birth_date",
    "address",
    "provider",
    "begeleider",
)
ADDRESS_KEYS = ("street", "house_number", "postcode", "city")
PROVIDER_KEYS = ("name", "agb_code")
BEGELEIDER_KEYS = ("name", "phone", "email")
CONVERSATION_KEYS = (
    "location",
    "attended_by",
    "absence_reason",
    "consent_share_report",
    "previous_arrangement",
)
RESULT_KEYS = ("area", "result", "development")


class _Obj(StrictObject):
    """One case-file object; a required text must not be blank either."""

    def __init__(self, data: object, field: str, prefix: str = "", *, root_name: str = "") -> None:
        super().__init__(data, field, prefix, root_name=root_name or "casusbestand")

    def text(self, key: str, *, required: bool = False, non_empty: bool = False) -> str | None:
        return super().text(key, required=required, non_empty=required or non_empty)

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def choice(self, key: str, choices: tuple[str, ...] | dict[str, str]) -> str | None:
        value = self.value(key, False)
        if value is None:
            return None
        if not isinstance(value, str) or value not in choices:
            raise InputError(
                self.name(key), f"onbekende waarde {show(value)} (kies uit {', '.join(choices)})"
            )
        return value

    def text_map(self, key: str, keys: tuple[str, ...]) -> dict[str, str]:
        """An object of allowed keys → text (null values left out)."""
        sub = self.obj(key)
        if sub is None:
            return {}
        sub.only(keys)
        result: dict[str, str] = {}
        for k in keys:
            text = sub.text(k)
            if text is not None:
                result[k] = text
        return result


def _address(obj: _Obj | None) -> Address | None:
    if obj is None:
        return None
    obj.only(ADDRESS_KEYS)
    return Address(**{k: obj.text(k) or "" for k in ADDRESS_KEYS})


def _client(root: _Obj) -> Client:
    obj = root.obj("client", required=True)
    assert obj is not None
    obj.only(CLIENT_KEYS)
    bsn = obj.required_text("bsn")
    if not (len(bsn) == 9 and bsn.isascii() and bsn.isdigit()):
        raise InputError(obj.name("bsn"), f"een BSN heeft 9 cijfers, niet {show(bsn)}")
    if not is_valid_bsn(bsn):
        raise InputError(
            obj.name("bsn"), f"{bsn} is geen geldig BSN (voldoet niet aan de 11-proef)"
        )
    last_name = obj.required_text("last_name")
    birth_date = obj.date("birth_date", required=True, plausible=False)
    assert birth_date is not None

    provider: Provider | None = None
    p_obj = obj.obj("provider")
    if p_obj is not None:
        p_obj.only(PROVIDER_KEYS)
        agb = p_obj.text("agb_code")
        if agb is not None and not _AGB.match(agb):
            raise InputError(
                p_obj.name("agb_code"), f"een AGB-code heeft 8 cijfers, niet {show(agb)}"
            )
        provider = Provider(name=p_obj.text("name") or "", agb_code=agb)

    begeleider: Begeleider | None = None
    b_obj = obj.obj("begeleider")
    if b_obj is not None:
        b_obj.only(BEGELEIDER_KEYS)
        begeleider = Begeleider(**{k: b_obj.text(k) for k in BEGELEIDER_KEYS})

    return Client(
        bsn=bsn,
        last_name=last_name,
        birth_date=birth_date,
        initials=obj.text("initials"),
        first_name=obj.text("first_name"),
        prefix=obj.text("prefix"),
        address=_address(obj.obj("address")),
        provider=provider,
        begeleider=begeleider,
    )


def _conversation(root: _Obj) -> Conversation:
    obj = root.obj("conversation")
    if obj is None:
        return Conversation()
    obj.only(CONVERSATION_KEYS)
    attended_by = obj.choice("attended_by", ATTENDANCE)
    absence_reason = obj.text("absence_reason")
    if attended_by == "begeleider_only" and (absence_reason is None or not absence_reason.strip()):
        raise InputError(
            obj.name("absence_reason"),
            "verplicht als alleen de begeleider bij het gesprek was: waarom was de cliënt er niet bij?",
        )
    return Conversation(
        location=obj.text("location"),
        attended_by=attended_by,
        absence_reason=absence_reason,
        consent_share_report=obj.boolean("consent_share_report"),
        previous_arrangement=obj.text("previous_arrangement"),
    )


def _results(root: _Obj) -> list[Result]:
    value = root.value("results", False)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("results", f"moet een lijst zijn, niet {show(value)}")
    results: list[Result] = []
    development_of: dict[str, tuple[str, int]] = {}
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(value):
        obj = _Obj(item, f"results[{index}]")
        obj.only(RESULT_KEYS)
        area = obj.choice("area", RESULT_AREA_KEYS)
        if area is None:
            raise InputError(obj.name("area"), "ontbreekt")
        text = obj.required_text("result")
        development = obj.choice("development", DEVELOPMENTS)
        if development is None:
            raise InputError(obj.name("development"), "ontbreekt (toename of stabilisatie)")
        if area in development_of and development_of[area][0] != development:
            other, other_index = development_of[area]
            raise InputError(
                obj.name("development"),
                f"resultaatgebied {area} heeft al ontwikkeling {other!r} (results[{other_index}]); "
                "de ontwikkeling geldt per resultaatgebied",
            )
        development_of.setdefault(area, (development, index))
        if (area, text.strip()) in seen:
            raise InputError(obj.name("result"), "dit resultaat staat er dubbel in")
        seen.add((area, text.strip()))
        results.append(Result(area=area, result=text, development=development))
    return results


def _tariffs_used(root: _Obj) -> list[dict[str, Any]]:
    value = root.value("tariffs_used", False)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(
            "tariffs_used", f"moet een lijst van tarieftabellen zijn, niet {show(value)}"
        )
    from bwo_desktop.core.tariffs import tariff_table_from_dict, tariff_table_to_dict

    tables: list[dict[str, Any]] = []
    seen: dict[dt.date, int] = {}
    for index, item in enumerate(value):
        table = tariff_table_from_dict(item, f"tariffs_used[{index}]")
        if table.valid_from in seen:
            raise InputError(
                f"tariffs_used[{index}].valid_from",
                f"{table.valid_from.isoformat()} staat ook in tariffs_used[{seen[table.valid_from]}]",
            )
        seen[table.valid_from] = index
        tables.append(tariff_table_to_dict(table))
    return tables


def _rules_used(root: _Obj) -> dict[str, Any] | None:
    """The decision's rule thresholds (docs/case-file-rules-used.md); absent: None (a
    decided case then means the built-in rules of its decision date)."""
    value = root.value("rules_used", False)
    if value is None:
        return None
    from bwo_desktop.core.rules import rules_from_dict, rules_to_dict

    return rules_to_dict(rules_from_dict(value, "rules_used"))


def parse_case_file(data: object) -> Case:
    """A case file's JSON value as a Case; the first problem is an InputError naming its field."""
    root = _Obj(data, "")
    root.only(TOP_KEYS)
    fmt = root.value("format", True)
    if fmt != FORMAT:
        raise InputError("format", f"moet {FORMAT!r} zijn, niet {show(fmt)}")
    reference = root.text("reference", non_empty=True)
    from bwo_desktop.core.plausibility import birth_date_problem, reference_problem

    if reference is not None and (problem := reference_problem(reference)):
        raise InputError("reference", problem)
    client = _client(root)
    conversation = _conversation(root)
    consultant = root.obj("consultant", required=True)
    assert consultant is not None
    consultant.only(("name",))
    consultant_name = consultant.required_text("name")

    raw_assessment = root.value("assessment", True)
    from bwo_desktop.core.assessment_json import parse_assessment

    parsed = parse_assessment(raw_assessment, field_prefix="assessment.")
    if problem := birth_date_problem(client.birth_date, parsed.assessment_date):
        raise InputError("client.birth_date", problem)
    # Kept in its JSON shape (the advise contract); a deep copy so the caller's data may change.
    assessment: dict[str, Any] = json.loads(json.dumps(raw_assessment))

    motivations = root.text_map("motivations", MOTIVATION_KEYS)
    results = _results(root)
    decision_date = root.date("decision_date")
    status = root.choice("status", STATUSES) or "concept"

    planned: Planned | None = None
    pl = root.obj("planned")
    if pl is not None:
        pl.only(("date", "time"))
        p_date = pl.date("date", required=True)
        assert p_date is not None
        p_time_text = pl.text("time")
        p_time: dt.time | None = None
        if p_time_text is not None:
            if not _TIME.match(p_time_text):
                raise InputError(
                    pl.name("time"),
                    f"moet een tijd zijn in de vorm UU:MM, niet {show(p_time_text)}",
                )
            p_time = dt.time.fromisoformat(p_time_text)
        planned = Planned(date=p_date, time=p_time)

    representative: Representative | None = None
    rep = root.obj("representative")
    if rep is not None:
        rep.only(("name", "role", "address"))
        representative = Representative(
            name=rep.required_text("name"),
            role=rep.text("role"),
            address=_address(rep.obj("address")),
        )

    current: CurrentIndication | None = None
    cur = root.obj("current_indication")
    if cur is not None:
        cur.only(("description", "end_date"))
        current = CurrentIndication(
            description=cur.text("description"), end_date=cur.date("end_date")
        )

    return Case(
        client=client,
        consultant_name=consultant_name,
        conversation=conversation,
        assessment=assessment,
        motivations=motivations,
        results=results,
        reference=reference,
        decision_date=decision_date,
        status=status,
        planned=planned,
        salutation=root.choice("salutation", SALUTATIONS),
        representative=representative,
        delivery=root.choice("delivery", DELIVERIES) or "zin",
        current_indication=current,
        zrm_notes=root.text_map("zrm_notes", DOMAIN_KEYS),
        unscored_reasons=root.text_map("unscored_reasons", DOMAIN_KEYS),
        tariffs_used=_tariffs_used(root),
        rules_used=_rules_used(root),
    )


# --- out -------------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _address_dict(address: Address | None) -> dict[str, str] | None:
    if address is None:
        return None
    return {k: getattr(address, k) for k in ADDRESS_KEYS}


def case_to_file_dict(case: Case) -> dict[str, Any]:
    """The case as a case-file JSON value (keys in the order of case-file.md)."""
    c = case.client
    return {
        "format": FORMAT,
        "reference": case.reference,
        "client": {
            "bsn": c.bsn,
            "initials": c.initials,
            "first_name": c.first_name,
            "prefix": c.prefix,
            "last_name": c.last_name,
            "birth_date": c.birth_date.isoformat(),
            "address": _address_dict(c.address),
            "provider": (
                None
                if c.provider is None
                else {"name": c.provider.name, "agb_code": c.provider.agb_code}
            ),
            "begeleider": (
                None
                if c.begeleider is None
                else {k: getattr(c.begeleider, k) for k in BEGELEIDER_KEYS}
            ),
        },
        "conversation": {k: getattr(case.conversation, k) for k in CONVERSATION_KEYS},
        "consultant": {"name": case.consultant_name},
        "assessment": json.loads(json.dumps(case.assessment)),
        "motivations": {k: case.motivations[k] for k in MOTIVATION_KEYS if k in case.motivations},
        "results": [
            {"area": r.area, "result": r.result, "development": r.development} for r in case.results
        ],
        "decision_date": _iso(case.decision_date),
        "status": case.status,
        "planned": (
            None
            if case.planned is None
            else {
                "date": case.planned.date.isoformat(),
                "time": None if case.planned.time is None else case.planned.time.strftime("%H:%M"),
            }
        ),
        "salutation": case.salutation,
        "representative": (
            None
            if case.representative is None
            else {
                "name": case.representative.name,
                "role": case.representative.role,
                "address": _address_dict(case.representative.address),
            }
        ),
        "delivery": case.delivery,
        "current_indication": (
            None
            if case.current_indication is None
            else {
                "description": case.current_indication.description,
                "end_date": _iso(case.current_indication.end_date),
            }
        ),
        "zrm_notes": {k: case.zrm_notes[k] for k in DOMAIN_KEYS if k in case.zrm_notes},
        "unscored_reasons": {
            k: case.unscored_reasons[k] for k in DOMAIN_KEYS if k in case.unscored_reasons
        },
        "tariffs_used": json.loads(json.dumps(case.tariffs_used)),
        **({"rules_used": json.loads(json.dumps(case.rules_used))} if case.rules_used else {}),
    }


def case_file_text(case: Case) -> str:
    """The case file as UTF-8 JSON text (indent 2, non-ASCII kept, newline at the end)."""
    return json.dumps(case_to_file_dict(case), indent=2, ensure_ascii=False) + "\n"


def load_case_file(path: Path | str) -> Case:
    """Read and parse a case file strictly (malformed JSON and duplicate keys name the file)."""
    return parse_case_file(read_json_file(path))


# --- what a beschikking needs --------------------------------------------------------------


def _missing_items(case: Case, advice: Advice) -> Iterator[tuple[str, str]]:
    if not (case.reference or "").strip():
        yield "reference", "het kenmerk ontbreekt"
    if case.decision_date is None:
        yield "decision_date", "de besluitdatum ontbreekt"
    address = case.client.address
    if address is None or not address.is_complete():
        yield "client.address", "het adres van de cliënt ontbreekt of is onvolledig"
    if case.client.provider is None or not case.client.provider.name.strip():
        yield "client.provider.name", "de naam van de zorgaanbieder ontbreekt"
    for key in ("need_24_7", "can_postpone", "regular_ib_fits"):
        if not case.motivations.get(key, "").strip():
            yield f"motivations.{key}", "de motivering bij dit criterium ontbreekt"
    if advice.outcome == "ib_bw" and not case.results:
        yield "results", "kies minstens één te bereiken resultaat"


def check_ready_for_beschikking(case: Case, advice: Advice) -> None:
    """Refuse (InputError naming the first missing item) what cannot become a beschikking."""
    for field, problem in _missing_items(case, advice):
        raise InputError(field, problem)
