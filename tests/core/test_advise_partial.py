"""Live advice for drafts: complete → advice, incomplete → the Dutch list of what is missing."""

from __future__ import annotations

import copy
from typing import Any

from core_data import SPEC_EXAMPLE

from bwo_desktop.core.assessment_json import advice_to_json, advise_partial
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.tariffs import TariffBook


def test_complete_draft_gives_advice(book: TariffBook, rules: RuleConfig) -> None:
    advice, missing = advise_partial(copy.deepcopy(SPEC_EXAMPLE), book, rules)
    assert missing == []
    assert advice is not None
    assert advice_to_json(advice)["period_total"] == "24198.00"


def test_empty_draft_lists_everything(book: TariffBook, rules: RuleConfig) -> None:
    advice, missing = advise_partial({}, book, rules)
    assert advice is None
    assert missing == [
        "datum van het gesprek",
        "startdatum van de periode",
        "criterium: heeft de cliënt 24/7 (on)planbare ondersteuning nodig?",
        "criterium: kan de cliënt de ondersteuningsvraag kortdurend uitstellen?",
        "criterium: biedt reguliere individuele begeleiding passende ondersteuning?",
    ]


def test_unanswered_criterion(book: TariffBook, rules: RuleConfig) -> None:
    draft: dict[str, Any] = copy.deepcopy(SPEC_EXAMPLE)
    draft["criteria"]["can_postpone"] = None
    advice, missing = advise_partial(draft, book, rules)
    assert advice is None
    assert missing == ["criterium: kan de cliënt de ondersteuningsvraag kortdurend uitstellen?"]


def test_draft_tolerances(book: TariffBook, rules: RuleConfig) -> None:
    draft: dict[str, Any] = {
        "assessment_date": "2026-12-08",
        "period": {"start": "2027-01-01", "end": ""},
        "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
        "ib_override": {"level": None, "motivation": ""},  # override field not used yet
        "opslag": {"reason": None, "start": None, "end": None, "motivated_in_plan": None},
        "zrm": None,
    }
    advice, missing = advise_partial(draft, book, rules)
    assert missing == []
    assert advice is not None
    assert advice.ib_level == "IB1"
    assert "zrm_incomplete" in advice.warning_codes
    assert "no_support_need" in advice.warning_codes


def test_draft_half_filled_override_and_opslag(book: TariffBook, rules: RuleConfig) -> None:
    draft: dict[str, Any] = copy.deepcopy(SPEC_EXAMPLE)
    draft["ib_override"] = {"level": "IB3", "motivation": " "}
    draft["opslag"] = {"start": "2027-01-01"}
    draft["huisvesting"] = {"cannot_rent_independently": True}
    advice, missing = advise_partial(draft, book, rules)
    assert advice is None
    assert missing == [
        "motivering voor het afwijkende IB-niveau",
        "reden van de opslag",
        "opslag: staat de motivering in het ondersteuningsplan?",
        "huisvesting: loopt de huisvesting via de aanbieder?",
    ]


def test_invalid_draft_gives_the_error_line(book: TariffBook, rules: RuleConfig) -> None:
    draft: dict[str, Any] = copy.deepcopy(SPEC_EXAMPLE)
    draft["period"]["end"] = "2026-01-01"
    advice, missing = advise_partial(draft, book, rules)
    assert advice is None
    assert len(missing) == 1 and missing[0].startswith("period.end: ")
    draft = copy.deepcopy(SPEC_EXAMPLE)
    draft["period"]["start"] = "2020-01-01"
    draft["assessment_date"] = "2020-01-01"
    draft["support_plan_date"] = None
    draft["opslag"] = None
    advice, missing = advise_partial(draft, book, rules)
    assert advice is None and missing[0].startswith("period.start: ")


def test_partial_does_not_change_the_draft(book: TariffBook, rules: RuleConfig) -> None:
    draft: dict[str, Any] = copy.deepcopy(SPEC_EXAMPLE)
    draft["opslag"] = {"reason": None}
    before = copy.deepcopy(draft)
    advise_partial(draft, book, rules)
    assert draft == before
