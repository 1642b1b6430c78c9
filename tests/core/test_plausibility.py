"""Plausibility in one place (core.plausibility), applied by the case files, the advise input
and the readiness checklist: impossible dates, ages and kenmerken are refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bwo_desktop.core.assessment_json import parse_assessment
from bwo_desktop.core.casefile import parse_case_file
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.plausibility import birth_date_problem, date_problem, reference_problem

CASEFILES = Path(__file__).resolve().parent.parent / "cases" / "casefiles"


def _casefile() -> dict:  # type: ignore[type-arg]
    return json.loads((CASEFILES / "ib_bw_full.json").read_text(encoding="utf-8"))


def test_the_rules() -> None:
    on = dt.date(2026, 12, 8)
    assert birth_date_problem(dt.date(1990, 5, 17), on) is None
    assert "toekomst" in (birth_date_problem(dt.date(2030, 1, 1), on) or "")
    assert "leeftijd van 10 jaar" in (birth_date_problem(dt.date(2016, 1, 1), on) or "")
    assert "121 jaar" in (birth_date_problem(dt.date(1905, 1, 1), on) or "")
    assert date_problem(dt.date(1999, 12, 31)) and date_problem(dt.date(2101, 1, 1))
    assert date_problem(dt.date(2026, 12, 8)) is None
    assert reference_problem("BWO-2026-A7-000123") is None
    for bad in ("BWO-2026/../../x", "BWO-2026-\n-1", "X-1", "BWO-" + "9" * 70, "BWO-2026--1"):
        assert reference_problem(bad), bad


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["client"].__setitem__("birth_date", "2030-01-01"), "client.birth_date"),
        (lambda d: d["client"].__setitem__("birth_date", "1880-01-01"), "client.birth_date"),
        (lambda d: d.__setitem__("reference", "BWO-2026\u001b[2J"), "reference"),
        (lambda d: d.__setitem__("decision_date", "2126-12-08"), "decision_date"),
        (lambda d: d["assessment"].__setitem__("assessment_date", "1970-01-01"), "assessment"),
    ],
)
def test_case_file_refuses_implausible_values(change, field: str) -> None:  # type: ignore[no-untyped-def]
    data = _casefile()
    change(data)
    with pytest.raises(InputError) as info:
        parse_case_file(data)
    assert info.value.field.startswith(field)


def test_advise_input_refuses_a_date_outside_2000_2100() -> None:
    data = _casefile()["assessment"]
    data["period"]["start"] = "2222-01-01"
    with pytest.raises(InputError) as info:
        parse_assessment(data)
    assert "tussen 2000 en 2100" in info.value.problem
