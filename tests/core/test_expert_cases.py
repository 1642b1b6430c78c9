"""Readable expert cases (tests/cases/advise/*.json): input + expected output, run as tests.

A case file: {"description": Dutch text, "tariffs": optional list of tariff files relative to
the case file, "input": the advise input, "expected": a subset of the output (outcome, levels,
period, lines, totals, warning codes as a list) or {"error": "<field>"} for refused input}.
Amounts quoted in the description ("= 1234,56") must appear in the expected output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from core_data import CASES_DIR

from bwo_desktop.core.advice import advise
from bwo_desktop.core.assessment_json import advice_to_json, load_json_strict, parse_assessment
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.tariffs import load_tariff_book

CASE_FILES = sorted((CASES_DIR / "advise").glob("*.json"))
EXPECTED_KEYS = {
    "outcome",
    "ib_level",
    "recommended_ib_level",
    "period",
    "lines",
    "weekly_total",
    "period_total",
    "warnings",
    "error",
}


def test_there_are_enough_cases() -> None:
    assert len(CASE_FILES) >= 10
    outcomes = set()
    for path in CASE_FILES:
        expected = json.loads(path.read_text(encoding="utf-8"))["expected"]
        outcomes.add(expected.get("outcome", "error"))
    assert outcomes == {"ib_bw", "regular_ib", "intramural", "error"}


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_expert_case(path: Path, rules: RuleConfig) -> None:
    case: dict[str, Any] = load_json_strict(path.read_text(encoding="utf-8"), str(path))
    assert set(case) <= {"description", "tariffs", "input", "expected"}
    assert case["description"].strip()
    expected: dict[str, Any] = case["expected"]
    assert set(expected) <= EXPECTED_KEYS, set(expected) - EXPECTED_KEYS
    book = load_tariff_book([path.parent / t for t in case.get("tariffs", [])], user_folder=None)

    if "error" in expected:
        with pytest.raises(InputError) as info:
            advise(parse_assessment(case["input"]), book, rules)
        assert info.value.field == expected["error"]
        return

    out = advice_to_json(advise(parse_assessment(case["input"]), book, rules))
    for key, value in expected.items():
        if key == "warnings":
            assert sorted(w["code"] for w in out["warnings"]) == sorted(value)
        else:
            assert out[key] == value, key

    money = {line["amount"] for line in out["lines"]} | {line["weekly"] for line in out["lines"]}
    for quoted in re.findall(r"= ([0-9]+,[0-9]{2})\b", case["description"]):
        assert quoted.replace(",", ".") in money, (
            f"{quoted} in the description is not in the output"
        )
