"""Strict parsing of the advise input: every problem is refused and names the field."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from core_data import SPEC_EXAMPLE

from bwo_desktop.core.advice import Assessment, Criteria, HuisvestingInput, IbOverride, Opslag
from bwo_desktop.core.assessment_json import (
    advice_to_json,
    assessment_to_json,
    load_json_strict,
    parse_assessment,
)
from bwo_desktop.core.errors import InputError

D = dt.date
Change = Callable[[dict[str, Any]], object]


def spec() -> dict[str, Any]:
    return copy.deepcopy(SPEC_EXAMPLE)


def test_parse_spec_example() -> None:
    a = parse_assessment(spec())
    assert a.assessment_date == D(2026, 12, 8)
    assert a.period_start == D(2027, 1, 1)
    assert a.period_end is None
    assert a.effective_period_end == D(2027, 12, 31)
    assert a.zrm["financien"] == 2
    assert a.support_forms == {"huisvesting": "aanleren"}
    assert a.criteria == Criteria(True, True, False)
    assert a.ib_override is None
    assert a.opslag == Opslag("overgang_intramuraal", True, D(2027, 1, 1), D(2027, 3, 31))
    assert a.huisvesting == HuisvestingInput(True, True)
    assert a.support_plan_date == D(2026, 10, 1)
    assert a.has_debts is True


def _set(path: str, value: object) -> Change:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _del(path: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[key]
        del target[last]

    return change


INVALID: list[tuple[str, Change, str, str]] = [
    # (id, change, field, part of the problem)
    ("unknown top key", _set("extra", 1), "extra", "onbekende sleutel"),
    ("unknown period key", _set("period.einde", "2027-12-31"), "period.einde", "onbekende sleutel"),
    ("unknown zrm domain", _set("zrm.wonen", 3), "zrm.wonen", "onbekende sleutel"),
    ("unknown criteria key", _set("criteria.extra", True), "criteria.extra", "onbekende sleutel"),
    ("unknown opslag key", _set("opslag.duur", 3), "opslag.duur", "onbekende sleutel"),
    ("unknown huisvesting key", _set("huisvesting.x", True), "huisvesting.x", "onbekende sleutel"),
    (
        "unknown support_forms domain",
        _set("support_forms.wonen", "geen"),
        "support_forms.wonen",
        "onbekende sleutel",
    ),
    (
        "override unknown key",
        _set("ib_override", {"level": "IB3", "motivation": "x", "by": "y"}),
        "ib_override.by",
        "onbekende sleutel",
    ),
    ("score 6", _set("zrm.financien", 6), "zrm.financien", "1 tot en met 5"),
    ("score 0", _set("zrm.financien", 0), "zrm.financien", "1 tot en met 5"),
    ("score float", _set("zrm.financien", 3.0), "zrm.financien", "1 tot en met 5"),
    ("score string", _set("zrm.financien", "3"), "zrm.financien", "1 tot en met 5"),
    ("score bool", _set("zrm.financien", True), "zrm.financien", "1 tot en met 5"),
    ("zrm not object", _set("zrm", [2, 3]), "zrm", "JSON-object"),
    ("zrm missing", _del("zrm"), "zrm", "ontbreekt"),
    ("zrm null", _set("zrm", None), "zrm", "null"),
    (
        "unknown support form",
        _set("support_forms.huisvesting", "helpen"),
        "support_forms.huisvesting",
        "ondersteuningsvorm",
    ),
    (
        "support form not text",
        _set("support_forms.huisvesting", 2),
        "support_forms.huisvesting",
        "ondersteuningsvorm",
    ),
    ("assessment_date missing", _del("assessment_date"), "assessment_date", "ontbreekt"),
    ("assessment_date null", _set("assessment_date", None), "assessment_date", "null"),
    (
        "date with time",
        _set("assessment_date", "2026-12-08T10:00"),
        "assessment_date",
        "JJJJ-MM-DD",
    ),
    (
        "date without zero padding",
        _set("assessment_date", "2026-12-8"),
        "assessment_date",
        "JJJJ-MM-DD",
    ),
    ("date dutch order", _set("assessment_date", "08-12-2026"), "assessment_date", "JJJJ-MM-DD"),
    ("date as number", _set("assessment_date", 20261208), "assessment_date", "JJJJ-MM-DD"),
    ("impossible date", _set("period.start", "2027-02-29"), "period.start", "bestaat niet"),
    ("month 13", _set("period.start", "2027-13-01"), "period.start", "bestaat niet"),
    ("period missing", _del("period"), "period", "ontbreekt"),
    ("period.start missing", _set("period", {}), "period.start", "ontbreekt"),
    ("period.start null", _set("period.start", None), "period.start", "null"),
    ("end before start", _set("period.end", "2026-12-31"), "period.end", "vóór"),
    (
        "extension not text",
        _set("period.extension_motivation", 5),
        "period.extension_motivation",
        "tekst",
    ),
    ("criteria missing", _del("criteria"), "criteria", "ontbreekt"),
    ("criterion missing", _del("criteria.can_postpone"), "criteria.can_postpone", "ontbreekt"),
    ("criterion null", _set("criteria.need_24_7", None), "criteria.need_24_7", "null"),
    ("criterion string", _set("criteria.need_24_7", "ja"), "criteria.need_24_7", "true of false"),
    (
        "criterion int",
        _set("criteria.regular_ib_fits", 0),
        "criteria.regular_ib_fits",
        "true of false",
    ),
    (
        "override without motivation",
        _set("ib_override", {"level": "IB3"}),
        "ib_override.motivation",
        "motivering",
    ),
    (
        "override blank motivation",
        _set("ib_override", {"level": "IB3", "motivation": "  "}),
        "ib_override.motivation",
        "motivering",
    ),
    (
        "override null motivation",
        _set("ib_override", {"level": "IB3", "motivation": None}),
        "ib_override.motivation",
        "motivering",
    ),
    (
        "override bad level",
        _set("ib_override", {"level": "IB4", "motivation": "x"}),
        "ib_override.level",
        "IB1, IB2 of IB3",
    ),
    (
        "override lower-case level",
        _set("ib_override", {"level": "ib2", "motivation": "x"}),
        "ib_override.level",
        "IB1, IB2 of IB3",
    ),
    (
        "override no level",
        _set("ib_override", {"motivation": "x"}),
        "ib_override.level",
        "ontbreekt",
    ),
    ("override not object", _set("ib_override", "IB3"), "ib_override", "JSON-object"),
    (
        "opslag without motivated_in_plan",
        _del("opslag.motivated_in_plan"),
        "opslag.motivated_in_plan",
        "ontbreekt",
    ),
    ("opslag bad reason", _set("opslag.reason", "crisis"), "opslag.reason", "onbekende reden"),
    ("opslag no reason", _del("opslag.reason"), "opslag.reason", "ontbreekt"),
    (
        "opslag start before period",
        _set("opslag.start", "2026-12-31"),
        "opslag.start",
        "buiten de periode",
    ),
    (
        "opslag end after period",
        _set("opslag.end", "2028-01-01"),
        "opslag.end",
        "buiten de periode",
    ),
    (
        "opslag start after period",
        _set("opslag.start", "2028-01-01"),
        "opslag.start",
        "buiten de periode",
    ),
    (
        "opslag end before its start",
        _set("opslag.end", "2026-12-31"),
        "opslag.end",
        "buiten de periode",
    ),
    (
        "opslag end before its start inside",
        _set("opslag.start", "2027-04-01"),
        "opslag.end",
        "vóór de start van de opslag",
    ),
    (
        "huisvesting incomplete",
        _set("huisvesting", {"cannot_rent_independently": True}),
        "huisvesting.housing_via_provider",
        "ontbreekt",
    ),
    (
        "huisvesting not bool",
        _set("huisvesting.housing_via_provider", "ja"),
        "huisvesting.housing_via_provider",
        "true of false",
    ),
    (
        "support plan after assessment",
        _set("support_plan_date", "2026-12-09"),
        "support_plan_date",
        "na de datum van het gesprek",
    ),
    (
        "support plan bad",
        _set("support_plan_date", "2026/10/01"),
        "support_plan_date",
        "JJJJ-MM-DD",
    ),
    ("has_debts string", _set("has_debts", "nee"), "has_debts", "true of false"),
]


@pytest.mark.parametrize(
    ("change", "field", "problem"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_input_names_the_field(change: Change, field: str, problem: str) -> None:
    data = spec()
    change(data)
    with pytest.raises(InputError) as info:
        parse_assessment(data)
    assert info.value.field == field
    assert problem in info.value.problem
    assert "\n" not in str(info.value)


def test_field_prefix_for_case_files() -> None:
    data = spec()
    data["zrm"]["financien"] = 7
    with pytest.raises(InputError) as info:
        parse_assessment(data, field_prefix="assessment.")
    assert info.value.field == "assessment.zrm.financien"
    data = spec()
    data["opslag"]["end"] = "2030-01-01"
    with pytest.raises(InputError) as info:
        parse_assessment(data, field_prefix="assessment.")
    assert info.value.field == "assessment.opslag.end"


def test_root_must_be_object() -> None:
    with pytest.raises(InputError):
        parse_assessment([1, 2])
    with pytest.raises(InputError) as info:
        parse_assessment("x", field_prefix="assessment.")
    assert info.value.field == "assessment"


def test_invalid_override_refused_even_when_not_ib_bw() -> None:
    data = spec()
    data["criteria"]["need_24_7"] = False
    data["ib_override"] = {"level": "IB1", "motivation": ""}
    with pytest.raises(InputError):
        parse_assessment(data)
    data["ib_override"] = None
    data["opslag"]["end"] = "2029-01-01"
    with pytest.raises(InputError):
        parse_assessment(data)


@pytest.mark.parametrize(
    "key",
    ["support_forms", "ib_override", "opslag", "huisvesting", "support_plan_date", "has_debts"],
)
def test_null_optional_means_absent(key: str) -> None:
    with_null = spec()
    with_null[key] = None
    without = spec()
    del without[key]
    assert parse_assessment(with_null) == parse_assessment(without)


def test_null_optional_inside_objects() -> None:
    data = spec()
    data["period"] = {"start": "2027-01-01", "end": None, "extension_motivation": None}
    data["zrm"]["justitie"] = None
    data["support_forms"] = {"huisvesting": None}
    data["opslag"] = {
        "reason": "zorgmijdend_gedrag",
        "start": None,
        "end": None,
        "motivated_in_plan": True,
    }
    a = parse_assessment(data)
    assert a.period_end is None
    assert "justitie" not in a.zrm
    assert a.support_forms == {}
    assert a.opslag == Opslag("zorgmijdend_gedrag", True)
    assert a.has_debts is True


def test_blank_extension_motivation_is_absent() -> None:
    data = spec()
    data["period"]["extension_motivation"] = "   "
    assert parse_assessment(data).extension_motivation is None


def test_boundaries_that_are_allowed() -> None:
    data = spec()
    data["period"] = {"start": "2027-01-01", "end": "2027-01-01"}  # one-day period
    data["opslag"] = {
        "reason": "life_event",
        "start": "2027-01-01",
        "end": "2027-01-01",
        "motivated_in_plan": False,
    }
    data["support_plan_date"] = data["assessment_date"]  # same day
    data["assessment_date"] = "2027-02-01"  # after the period start
    parse_assessment(data)


def test_round_trip() -> None:
    a = parse_assessment(spec())
    assert parse_assessment(assessment_to_json(a)) == a
    full = Assessment(
        assessment_date=D(2027, 1, 5),
        period_start=D(2027, 2, 1),
        period_end=D(2028, 6, 30),
        extension_motivation="Lang traject.",
        zrm={"financien": 1},
        support_forms={"justitie": "toezicht"},
        criteria=Criteria(True, False, True),
        ib_override=IbOverride("IB1", "Motivering."),
        opslag=Opslag("zorgmijdend_gedrag", False),
        huisvesting=HuisvestingInput(False, True),
        support_plan_date=None,
        has_debts=False,
    )
    data = assessment_to_json(full)
    assert list(data["zrm"]) == list(SPEC_EXAMPLE["zrm"])
    assert parse_assessment(data) == full


def test_load_json_strict() -> None:
    assert load_json_strict('{"a": [1, 2]}', "f.json") == {"a": [1, 2]}
    with pytest.raises(InputError) as info:
        load_json_strict('{"a": 1, "a": 2}', "f.json")
    assert info.value.field == "f.json"
    assert "'a'" in info.value.problem and "dubbel" in info.value.problem
    with pytest.raises(InputError) as info:
        load_json_strict('{"zrm": {"financien": 2, "financien": 3}}', "f.json")
    assert "dubbel" in str(info.value)
    with pytest.raises(InputError) as info:
        load_json_strict('{\n  "a": 1,\n  "b": \n}', "case.json")
    assert "regel 4" in str(info.value) and "kolom" in str(info.value)
    assert str(info.value).startswith("case.json: ")
    with pytest.raises(InputError) as info:
        load_json_strict('{"a": NaN}', "f.json")
    assert "NaN" in str(info.value)
    with pytest.raises(InputError):
        load_json_strict("", "f.json")


def test_advice_to_json_money_is_text(book: object, rules: object) -> None:
    from bwo_desktop.core.advice import advise

    advice = advise(parse_assessment(spec()), book, rules)  # type: ignore[arg-type]
    out = advice_to_json(advice)
    for line in out["lines"]:
        assert isinstance(line["weekly"], str) and isinstance(line["amount"], str)
        assert line["weekly"].count(".") == 1 and len(line["weekly"].split(".")[1]) == 2
    assert isinstance(out["explanation"], list) and all(
        isinstance(s, str) for s in out["explanation"]
    )
