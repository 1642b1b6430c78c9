"""A deviation's motivation needs real content before definitief: "x" does not pass. The
minimum is data (`motivation_min_chars` in rules.toml), loaded strictly (issue 14)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from core_data import TESTS_DIR

from bwo_desktop.core.assessment_json import advise_partial
from bwo_desktop.core.case import Case
from bwo_desktop.core.casefile import load_case_file
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.readiness import not_ready, readiness
from bwo_desktop.core.rules import RuleConfig, load_rules
from bwo_desktop.core.tariffs import TariffBook
from bwo_desktop.core.zrm import load_catalogue

CASE_FILE = TESTS_DIR / "cases" / "casefiles" / "ib_bw_full.json"


def _concept() -> Case:
    case = load_case_file(CASE_FILE)
    return dataclasses.replace(case, status="concept", tariffs_used=None, rules_used=None)


def _blocking_keys(case: Case, book: TariffBook, rules: RuleConfig) -> list[str]:
    advice, missing = advise_partial(case.assessment or {}, book, rules)
    items = readiness(case, advice, missing, load_catalogue(), rules)
    return [item.key for item in not_ready(items)]


def test_the_full_case_file_is_ready(book: TariffBook, rules: RuleConfig) -> None:
    assert _blocking_keys(_concept(), book, rules) == []


def test_a_one_letter_ib_motivation_refuses_definitief(book: TariffBook, rules: RuleConfig) -> None:
    case = _concept()
    case.assessment["ib_override"]["motivation"] = "x"  # type: ignore[index]
    advice, missing = advise_partial(case.assessment or {}, book, rules)
    assert advice is not None  # the advice itself accepts any text
    items = readiness(case, advice, missing, load_catalogue(), rules)
    [item] = not_ready(items)
    assert item.key == "motivation_length.ib_override"
    assert item.label == (
        "Motivering bij het afwijkende IB-niveau is te kort: schrijf waarom (minstens 10 tekens)."
    )
    assert item.field == "assessment.ib_override.motivation"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda c: c.motivations.__setitem__("opslag", " x "), "motivation_length.opslag"),
        (
            lambda c: c.assessment["period"].__setitem__("extension_motivation", "lang"),
            "period_motivation_length",
        ),
    ],
)
def test_other_short_deviation_motivations_block(
    book: TariffBook, rules: RuleConfig, change, key: str
) -> None:
    case = _concept()
    change(case)
    assert _blocking_keys(case, book, rules) == [key]


def test_the_minimum_comes_from_the_rules_file(tmp_path: Path, book: TariffBook) -> None:
    user = tmp_path / "rules.toml"
    user.write_text("motivation_min_chars = 200\n", encoding="utf-8")
    strict = load_rules(user_file=user)
    assert strict.motivation_min_chars == 200
    assert "motivation_length.opslag" in _blocking_keys(_concept(), book, strict)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("motivation_min_chars = 0\n", "minstens 1"), ('motivation_min_chars = "10"\n', "geheel")],
)
def test_the_minimum_is_loaded_strictly(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_rules(path)
    assert info.value.key == "motivation_min_chars"
    assert problem in str(info.value)
