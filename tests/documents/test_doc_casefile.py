"""Case files: strict parsing, exact round trip, and what a beschikking needs."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import CASEFILES, advice_for, case_named, casefile_data

from bwo_desktop.core.casefile import (
    case_to_file_dict,
    check_ready_for_beschikking,
    load_case_file,
    parse_case_file,
)
from bwo_desktop.core.errors import InputError

NAMES = sorted(p.stem for p in CASEFILES.glob("*.json"))


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_is_exact(name: str) -> None:
    case = case_named(name)
    data = case_to_file_dict(case)
    again = parse_case_file(json.loads(json.dumps(data)))
    assert again == case
    assert case_to_file_dict(again) == data


def test_special_letters_survive() -> None:
    case = case_named("ib_bw_full")
    assert case.client.last_name == "Yılmaz-Doğan"
    assert case.client.first_name == "Şükrü"
    assert case_named("regular_ib").client.first_name == "Zoë Hélène"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()

INVALID: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown top key", _set("remarks", "x"), "remarks"),
    ("unknown nested key", _set("client.address.country", "NL"), "client.address.country"),
    ("unknown provider key", _set("client.provider.kvk", "1"), "client.provider.kvk"),
    ("wrong format", _set("format", "bwo-case/2"), "format"),
    ("bad bsn 11-proef", _set("client.bsn", "123456789"), "client.bsn"),
    ("bsn too short", _set("client.bsn", "1234567"), "client.bsn"),
    ("bsn as number", _set("client.bsn", 999900006), "client.bsn"),
    ("bad date form", _set("client.birth_date", "17-04-1990"), "client.birth_date"),
    ("impossible date", _set("decision_date", "2026-02-30"), "decision_date"),
    ("missing last name", _set("client.last_name", _DELETE), "client.last_name"),
    ("null bsn", _set("client.bsn", None), "client.bsn"),
    ("missing consultant", _set("consultant", _DELETE), "consultant"),
    ("empty consultant", _set("consultant.name", " "), "consultant.name"),
    ("missing assessment", _set("assessment", _DELETE), "assessment"),
    ("bad attended_by", _set("conversation.attended_by", "niemand"), "conversation.attended_by"),
    ("mixed developments", _set("results.1.development", "stabilisatie"), "results[1].development"),
    ("bad development", _set("results.0.development", "groei"), "results[0].development"),
    ("bad area", _set("results.0.area", "geld"), "results[0].area"),
    ("bad assessment score", _set("assessment.zrm.financien", 6), "assessment.zrm.financien"),
    ("unknown assessment key", _set("assessment.extra", 1), "assessment.extra"),
    (
        "bad assessment date",
        _set("assessment.assessment_date", "8-12-2026"),
        "assessment.assessment_date",
    ),
    ("bad tariff amount", _set("tariffs_used.0.weekly.IB1", 94.13), "tariffs_used[0].weekly.IB1"),
    ("bad planned time", _set("planned.time", "9.20"), "planned.time"),
    ("bad status", _set("status", "klaar"), "status"),
    ("bad agb", _set("client.provider.agb_code", "123"), "client.provider.agb_code"),
    ("unknown motivation", _set("motivations.overig", "x"), "motivations.overig"),
    ("unknown zrm note domain", _set("zrm_notes.geld", "x"), "zrm_notes.geld"),
    ("representative without name", _set("representative.name", None), "representative.name"),
]


@pytest.mark.parametrize(("label", "change", "field"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_case_file_names_the_field(
    label: str, change: Callable[[dict[str, Any]], None], field: str
) -> None:
    data = casefile_data("ib_bw_full")
    change(data)
    with pytest.raises(InputError) as info:
        parse_case_file(data)
    assert info.value.field == field, str(info.value)
    assert str(info.value).startswith(field)


def test_absence_reason_required_when_only_the_begeleider_came() -> None:
    data = casefile_data("intramural")
    data["conversation"]["absence_reason"] = None
    with pytest.raises(InputError, match=r"conversation\.absence_reason"):
        parse_case_file(data)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    text = (CASEFILES / "regular_ib.json").read_text(encoding="utf-8")
    path = tmp_path / "dup.json"
    path.write_text(
        text.replace('"format": "bwo-case/1",', '"format": "bwo-case/1", "format": "bwo-case/1",'),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="dubbel"):
        load_case_file(path)


def test_minimal_case_file_parses() -> None:
    data = casefile_data("regular_ib")
    minimal = {k: data[k] for k in ("format", "consultant", "assessment")}
    minimal["client"] = {k: data["client"][k] for k in ("bsn", "last_name", "birth_date")}
    case = parse_case_file(minimal)
    assert case.status == "concept" and case.delivery == "zin" and case.reference is None
    assert parse_case_file(case_to_file_dict(case)) == case


READY: list[tuple[str, Callable[[Any], None], str]] = [
    ("reference", lambda c: setattr(c, "reference", None), "reference"),
    ("decision date", lambda c: setattr(c, "decision_date", None), "decision_date"),
    ("address", lambda c: setattr(c.client.address, "postcode", ""), "client.address"),
    ("provider", lambda c: setattr(c.client, "provider", None), "client.provider.name"),
    ("motivation", lambda c: c.motivations.pop("can_postpone"), "motivations.can_postpone"),
    ("results", lambda c: c.results.clear(), "results"),
]


@pytest.mark.parametrize(("label", "change", "field"), READY, ids=[r[0] for r in READY])
def test_beschikking_needs(label: str, change: Callable[[Any], None], field: str) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    advice = advice_for(case)
    check_ready_for_beschikking(case, advice)
    change(case)
    with pytest.raises(InputError) as info:
        check_ready_for_beschikking(case, advice)
    assert info.value.field == field


def test_results_not_needed_for_regular_ib() -> None:
    case = case_named("regular_ib")
    assert not case.results
    check_ready_for_beschikking(case, advice_for(case))
