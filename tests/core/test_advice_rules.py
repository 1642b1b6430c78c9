"""One test (at least) per rule of domain.md and the "Precise rules" of advice-json.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from bwo_desktop.core.advice import (
    Advice,
    Assessment,
    Criteria,
    Segment,
    advise,
    default_support_form,
    effective_support_forms,
)
from bwo_desktop.core.assessment_json import advice_to_json, parse_assessment
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.tariffs import TariffBook
from bwo_desktop.core.zrm import DOMAIN_KEYS

D = dt.date
MakeInput = Callable[..., dict[str, Any]]


def run(data: dict[str, Any], book: TariffBook, rules: RuleConfig) -> Advice:
    return advise(parse_assessment(data), book, rules)


def codes(advice: Advice) -> set[str]:
    return set(advice.warning_codes)


def money(advice: Advice) -> dict[str, tuple[int, str, str]]:
    return {line.code: (line.days, str(line.weekly), str(line.amount)) for line in advice.lines}


def zrm_with(**scores: int | None) -> dict[str, int | None]:
    """All domains 5 (geen) except the given ones."""
    zrm: dict[str, int | None] = dict.fromkeys(DOMAIN_KEYS, 5)
    zrm.update(scores)
    return zrm


# --- the spec example ----------------------------------------------------------------------


def test_spec_example_exact(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(spec_input, book, rules)
    out = advice_to_json(advice)
    assert out["outcome"] == "ib_bw"
    assert out["ib_level"] == "IB2"
    assert out["recommended_ib_level"] == "IB2"
    assert out["period"] == {"start": "2027-01-01", "end": "2027-12-31"}
    assert out["lines"] == [
        {"code": "IB2", "days": 275, "weekly": "204.12", "amount": "8019.00"},
        {"code": "IB2_opslag", "days": 90, "weekly": "270.88", "amount": "3482.74"},
        {"code": "bereikbaarheid", "days": 365, "weekly": "36.88", "amount": "1923.03"},
        {"code": "huisvesting", "days": 365, "weekly": "156.61", "amount": "8166.09"},
        {"code": "huishoudelijke_kosten", "days": 365, "weekly": "50.00", "amount": "2607.14"},
    ]
    assert out["weekly_total"] == "514.37"
    assert out["period_total"] == "24198.00"
    assert [w["code"] for w in out["warnings"]] == ["budgetcoach_required", "tariff_table_outdated"]
    assert all(w["message"] for w in out["warnings"])
    assert list(out) == [
        "outcome",
        "ib_level",
        "recommended_ib_level",
        "period",
        "lines",
        "weekly_total",
        "period_total",
        "warnings",
        "explanation",
    ]
    assert advice.form_counts == {"geen": 2, "toezicht": 4, "aanleren": 5, "overnemen": 2}
    assert advice.segments == (
        Segment("IB2_opslag", D(2027, 1, 1), D(2027, 3, 31)),
        Segment("IB2", D(2027, 4, 1), D(2027, 12, 31)),
        Segment("bereikbaarheid", D(2027, 1, 1), D(2027, 12, 31)),
        Segment("huisvesting", D(2027, 1, 1), D(2027, 12, 31)),
        Segment("huishoudelijke_kosten", D(2027, 1, 1), D(2027, 12, 31)),
    )


def test_spec_example_without_the_change_is_ib3(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    del spec_input["support_forms"]
    advice = run(spec_input, book, rules)
    assert advice.recommended_ib_level == "IB3"
    assert advice.ib_level == "IB3"
    assert [line.code for line in advice.lines][:2] == ["IB3", "IB3_opslag"]


# --- outcome -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("need", "postpone", "regular", "outcome"),
    [
        (True, True, False, "ib_bw"),
        (False, True, False, "regular_ib"),
        (False, False, False, "regular_ib"),  # need_24_7 is checked before can_postpone
        (False, True, True, "regular_ib"),
        (True, True, True, "regular_ib"),
        (True, False, True, "regular_ib"),  # regular_ib_fits is checked before can_postpone
        (True, False, False, "intramural"),
    ],
)
def test_outcome_order(
    make_input: MakeInput,
    book: TariffBook,
    rules: RuleConfig,
    need: bool,
    postpone: bool,
    regular: bool,
    outcome: str,
) -> None:
    data = make_input(
        criteria={"need_24_7": need, "can_postpone": postpone, "regular_ib_fits": regular}
    )
    assert run(data, book, rules).outcome == outcome


@pytest.mark.parametrize(
    "criteria", [(False, True, False), (True, True, True), (True, False, False)]
)
def test_other_outcomes_have_no_components(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig, criteria: tuple[bool, bool, bool]
) -> None:
    data = make_input(
        criteria=dict(zip(("need_24_7", "can_postpone", "regular_ib_fits"), criteria, strict=True)),
        opslag={"reason": "life_event", "motivated_in_plan": False},
        huisvesting={"cannot_rent_independently": True, "housing_via_provider": True},
        has_debts=True,
        zrm={},
    )
    advice = run(data, book, rules)
    out = advice_to_json(advice)
    assert out["lines"] == []
    assert out["weekly_total"] == "0.00"
    assert out["period_total"] == "0.00"
    assert out["ib_level"] is None
    assert out["recommended_ib_level"] is None
    assert advice.segments == ()
    # only the every-outcome warnings
    assert codes(advice) == {"zrm_incomplete"}


def test_explanation_names_the_criteria(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    intramural = run(
        make_input(criteria={"need_24_7": True, "can_postpone": False, "regular_ib_fits": False}),
        book,
        rules,
    )
    assert "intramuraal" in intramural.explanation[0]
    regular = run(
        make_input(criteria={"need_24_7": False, "can_postpone": True, "regular_ib_fits": False}),
        book,
        rules,
    )
    assert "reguliere individuele begeleiding" in regular.explanation[0]
    ib = run(make_input(), book, rules)
    assert "alle drie criteria" in ib.explanation[0]


# --- support forms and level ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "form"),
    [
        (1, "overnemen"),
        (2, "overnemen"),
        (3, "aanleren"),
        (4, "toezicht"),
        (5, "geen"),
        (None, "geen"),
    ],
)
def test_default_support_form(rules: RuleConfig, score: int | None, form: str) -> None:
    assert default_support_form(score, rules) == form


def test_effective_support_forms_change_counts_for_unscored(rules: RuleConfig) -> None:
    forms = effective_support_forms(
        {"financien": 2}, {"justitie": "toezicht", "financien": "geen"}, rules
    )
    assert forms["financien"] == "geen"
    assert forms["justitie"] == "toezicht"
    assert forms["werk_opleiding"] == "geen"
    assert list(forms) == list(DOMAIN_KEYS)


@pytest.mark.parametrize(
    ("scores", "level"),
    [
        ({"financien": 1, "huisvesting": 2, "justitie": 1}, "IB3"),  # exactly the threshold
        ({"financien": 1, "huisvesting": 2, "justitie": 1, "werk_opleiding": 2}, "IB3"),
        ({"financien": 1, "huisvesting": 2}, "IB2"),  # one below the threshold
        ({"financien": 1}, "IB2"),
        ({"financien": 3}, "IB2"),  # aanleren alone
        ({"financien": 4, "justitie": 4}, "IB1"),  # toezicht only
        ({}, "IB1"),  # nothing: IB1 with no_support_need
    ],
)
def test_recommended_level(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig, scores: dict[str, int], level: str
) -> None:
    advice = run(make_input(zrm=zrm_with(**scores)), book, rules)
    assert advice.recommended_ib_level == level
    assert advice.ib_level == level
    assert ("no_support_need" in codes(advice)) == (scores == {})


def test_threshold_is_configurable(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(zrm=zrm_with(financien=1, huisvesting=2))
    assert run(data, book, rules).recommended_ib_level == "IB2"
    lower = dataclasses.replace(rules, ib3_min_overnemen=2)
    advice = run(data, book, lower)
    assert advice.recommended_ib_level == "IB3"
    assert any("vanaf 2 domeinen" in s for s in advice.explanation)


def test_default_forms_are_configurable(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    changed = dataclasses.replace(
        rules, default_support_form={**rules.default_support_form, 5: "toezicht"}
    )
    advice = run(make_input(zrm=zrm_with()), book, changed)
    assert advice.recommended_ib_level == "IB1"
    assert "no_support_need" not in codes(advice)


def test_consultant_change_counts_even_for_unscored(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    forms = {"financien": "overnemen", "huisvesting": "overnemen", "justitie": "overnemen"}
    data = make_input(
        zrm=zrm_with(financien=None, huisvesting=None, justitie=None), support_forms=forms
    )
    advice = run(data, book, rules)
    assert advice.recommended_ib_level == "IB3"
    assert advice.form_counts["overnemen"] == 3
    assert "zrm_incomplete" in codes(advice)


def test_consultant_change_can_lower_the_level(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(zrm=zrm_with(financien=3), support_forms={"financien": "toezicht"})
    advice = run(data, book, rules)
    assert advice.recommended_ib_level == "IB1"
    assert any("aangepast" in s and "Financiën" in s for s in advice.explanation)


def test_explanation_counts_and_threshold(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    text = " ".join(run(spec_input, book, rules).explanation)
    assert "2 × helpen, overnemen en regie" in text
    assert "5 × aanleren en oefenen" in text
    assert "4 × toezicht en stimuleren" in text
    assert "2 × geen ondersteuning" in text
    assert "drempel van 3" in text


# --- override ------------------------------------------------------------------------------


def test_override_keeps_recommendation(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(ib_override={"level": "IB3", "motivation": "Recente crisisopname."})
    advice = run(data, book, rules)
    assert advice.recommended_ib_level == "IB2"
    assert advice.ib_level == "IB3"
    assert advice.lines[0].code == "IB3"
    assert any(
        "Recente crisisopname." in s and "in plaats van IB2" in s for s in advice.explanation
    )


def test_override_to_same_level_is_explained(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(make_input(ib_override={"level": "IB2", "motivation": "Bevestigd."}), book, rules)
    assert advice.ib_level == advice.recommended_ib_level == "IB2"
    assert any("Bevestigd." in s for s in advice.explanation)


def test_no_support_need_from_recommendation_even_with_override(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(zrm=zrm_with(), ib_override={"level": "IB2", "motivation": "Zie verslag."})
    advice = run(data, book, rules)
    assert advice.ib_level == "IB2"
    assert advice.recommended_ib_level == "IB1"
    assert "no_support_need" in codes(advice)


def test_opslag_tariff_follows_decided_level(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        ib_override={"level": "IB1", "motivation": "Client heeft vooral toezicht nodig."},
        opslag={
            "reason": "life_event",
            "start": "2021-05-01",
            "end": "2021-05-31",
            "motivated_in_plan": True,
        },
    )
    advice = run(data, book, rules)
    assert [line.code for line in advice.lines] == ["IB1", "IB1_opslag", "bereikbaarheid"]
    assert advice.line("IB1_opslag") is not None
    assert advice.line("IB1_opslag").weekly == Decimal("124.92")  # type: ignore[union-attr]


# --- self-reliance -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "warn"),
    [
        (
            {"basale_adl": 3, "instrumentele_adl": 3, "sociaal_netwerk": 2, "tijdsbesteding": 2},
            False,
        ),
        (
            {"basale_adl": 3, "instrumentele_adl": 2, "sociaal_netwerk": 2, "tijdsbesteding": 2},
            True,
        ),
        (
            {"basale_adl": 2, "instrumentele_adl": 5, "sociaal_netwerk": 2, "tijdsbesteding": 2},
            True,
        ),
        (
            {"basale_adl": 1, "instrumentele_adl": 1, "sociaal_netwerk": 3, "tijdsbesteding": 1},
            False,
        ),
        (
            {"basale_adl": 1, "instrumentele_adl": 1, "sociaal_netwerk": 1, "tijdsbesteding": 3},
            False,
        ),
        (
            {
                "basale_adl": None,
                "instrumentele_adl": 4,
                "sociaal_netwerk": None,
                "tijdsbesteding": 2,
            },
            True,
        ),
        (
            {"basale_adl": 2, "instrumentele_adl": 2, "sociaal_netwerk": 2, "tijdsbesteding": 2},
            True,
        ),
    ],
)
def test_insufficient_self_reliance(
    make_input: MakeInput,
    book: TariffBook,
    rules: RuleConfig,
    scores: dict[str, int | None],
    warn: bool,
) -> None:
    advice = run(make_input(zrm=zrm_with(**scores)), book, rules)
    assert ("insufficient_self_reliance" in codes(advice)) == warn


def test_self_reliance_looks_at_scores_not_forms(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        zrm=zrm_with(basale_adl=2, instrumentele_adl=2, sociaal_netwerk=4, tijdsbesteding=2),
        support_forms={"sociaal_netwerk": "overnemen"},
    )
    assert "insufficient_self_reliance" not in codes(run(data, book, rules))
    # and the other way round: low scores stay low whatever form the consultant picks
    data = make_input(
        zrm=zrm_with(basale_adl=2, instrumentele_adl=2, sociaal_netwerk=2, tijdsbesteding=None),
        support_forms={
            "sociaal_netwerk": "geen",
            "tijdsbesteding": "geen",
            "basale_adl": "toezicht",
        },
    )
    assert "insufficient_self_reliance" in codes(run(data, book, rules))


def test_self_reliance_only_for_ib_bw(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        zrm=zrm_with(basale_adl=1, instrumentele_adl=1, sociaal_netwerk=1, tijdsbesteding=1),
        criteria={"need_24_7": True, "can_postpone": False, "regular_ib_fits": False},
    )
    assert "insufficient_self_reliance" not in codes(run(data, book, rules))


# --- opslag --------------------------------------------------------------------------------


def test_opslag_window_in_the_middle(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        opslag={
            "reason": "life_event",
            "start": "2021-06-01",
            "end": "2021-08-31",
            "motivated_in_plan": True,
        }
    )
    advice = run(data, book, rules)
    assert advice.period_end == D(2022, 3, 31)
    assert advice.segments[:3] == (
        Segment("IB2", D(2021, 4, 1), D(2021, 5, 31)),
        Segment("IB2_opslag", D(2021, 6, 1), D(2021, 8, 31)),
        Segment("IB2", D(2021, 9, 1), D(2022, 3, 31)),
    )
    ib2 = advice.line("IB2")
    opslag = advice.line("IB2_opslag")
    assert ib2 is not None and opslag is not None
    assert (ib2.days, opslag.days) == (365 - 92, 92)
    assert ib2.amount == (Decimal(273) * Decimal("204.12") / 7).quantize(Decimal("0.01"))
    assert opslag.amount == (Decimal(92) * Decimal("270.88") / 7).quantize(Decimal("0.01"))
    assert advice.weekly_total == Decimal("204.12") + Decimal("36.88")
    assert advice.opslag_window == (D(2021, 6, 1), D(2021, 8, 31))
    assert any("life event" in s for s in advice.explanation)


def test_opslag_without_dates_covers_the_period(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(opslag={"reason": "zorgmijdend_gedrag", "motivated_in_plan": True})
    advice = run(data, book, rules)
    assert [line.code for line in advice.lines] == [
        "IB2_opslag",
        "bereikbaarheid",
    ]  # no 0-day IB2 line
    assert advice.lines[0].days == 365
    assert advice.weekly_total == Decimal("270.88") + Decimal("36.88")


@pytest.mark.parametrize("reason", ["overgang_intramuraal", "life_event"])
def test_opslag_dates_default_for_every_reason(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig, reason: str
) -> None:
    advice = run(make_input(opslag={"reason": reason, "motivated_in_plan": True}), book, rules)
    assert advice.opslag_window == (D(2021, 4, 1), D(2022, 3, 31))


def test_opslag_only_end_given(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    data = make_input(
        opslag={"reason": "life_event", "end": "2021-04-30", "motivated_in_plan": True}
    )
    advice = run(data, book, rules)
    assert advice.segments[0] == Segment("IB2_opslag", D(2021, 4, 1), D(2021, 4, 30))
    assert advice.segments[1] == Segment("IB2", D(2021, 5, 1), D(2022, 3, 31))
    assert advice.line("IB2").weekly == Decimal("204.12")  # type: ignore[union-attr]


def test_opslag_one_day_at_the_end(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        opslag={"reason": "life_event", "start": "2022-03-31", "motivated_in_plan": True}
    )
    advice = run(data, book, rules)
    assert (advice.line("IB2").days, advice.line("IB2_opslag").days) == (364, 1)  # type: ignore[union-attr]


def test_opslag_not_motivated(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    assert "opslag_not_motivated" in codes(
        run(make_input(opslag={"reason": "life_event", "motivated_in_plan": False}), book, rules)
    )
    assert "opslag_not_motivated" not in codes(
        run(make_input(opslag={"reason": "life_event", "motivated_in_plan": True}), book, rules)
    )


def test_opslag_not_motivated_only_for_ib_bw(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        opslag={"reason": "life_event", "motivated_in_plan": False},
        criteria={"need_24_7": False, "can_postpone": True, "regular_ib_fits": False},
    )
    assert "opslag_not_motivated" not in codes(run(data, book, rules))


# --- bereikbaarheid, huisvesting -----------------------------------------------------------


def test_bereikbaarheid_always_with_ib_bw(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(make_input(), book, rules)
    line = advice.line("bereikbaarheid")
    assert line is not None and line.days == 365 and line.weekly == Decimal("36.88")
    assert Segment("bereikbaarheid", D(2021, 4, 1), D(2022, 3, 31)) in advice.segments


@pytest.mark.parametrize(
    ("huisvesting", "granted"),
    [
        ({"cannot_rent_independently": True, "housing_via_provider": True}, True),
        ({"cannot_rent_independently": True, "housing_via_provider": False}, False),
        ({"cannot_rent_independently": False, "housing_via_provider": True}, False),
        ({"cannot_rent_independently": False, "housing_via_provider": False}, False),
        (None, False),
    ],
)
def test_huisvesting_needs_both_conditions(
    make_input: MakeInput,
    book: TariffBook,
    rules: RuleConfig,
    huisvesting: dict[str, bool] | None,
    granted: bool,
) -> None:
    advice = run(make_input(huisvesting=huisvesting), book, rules)
    got = {line.code for line in advice.lines} & {"huisvesting", "huishoudelijke_kosten"}
    assert got == ({"huisvesting", "huishoudelijke_kosten"} if granted else set())
    if granted:
        assert advice.weekly_total == Decimal("204.12") + Decimal("36.88") + Decimal(
            "156.61"
        ) + Decimal("50.00")


def test_huisvesting_uses_the_rounded_weekly_rate(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    line = run(spec_input, book, rules).line("huisvesting")
    assert line is not None
    assert line.amount == Decimal("8166.09")  # 156.61 × 365 / 7
    unrounded = Fraction(67866, 100) * 12 / 52 * 365 / 7
    assert round(float(unrounded), 2) != 8166.09  # the unrounded rate would give 8166.29


# --- period --------------------------------------------------------------------------------


def test_default_end_and_leap_year(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(
        make_input(
            assessment_date="2028-02-01",
            period={"start": "2028-02-29"},
            support_plan_date="2028-01-01",
        ),
        book,
        rules,
    )
    assert advice.period_end == D(2029, 2, 28)
    assert advice.lines[0].days == 366
    assert "period_over_one_year" not in codes(advice)


def test_period_over_one_year(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    longer = make_input(period={"start": "2021-04-01", "end": "2022-04-01"})
    advice = run(longer, book, rules)
    assert "period_over_one_year" in codes(advice)
    assert advice.lines[0].days == 366
    exact = make_input(period={"start": "2021-04-01", "end": "2022-03-31"})
    assert "period_over_one_year" not in codes(run(exact, book, rules))
    motivated = make_input(
        period={
            "start": "2021-04-01",
            "end": "2022-09-30",
            "extension_motivation": "Traject loopt door.",
        }
    )
    advice = run(motivated, book, rules)
    assert "period_over_one_year" not in codes(advice)
    assert any("Traject loopt door." in s for s in advice.explanation)
    blank = make_input(
        period={"start": "2021-04-01", "end": "2022-09-30", "extension_motivation": "   "}
    )
    assert "period_over_one_year" in codes(run(blank, book, rules))


def test_period_over_one_year_for_every_outcome(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        period={"start": "2021-04-01", "end": "2023-01-01"},
        criteria={"need_24_7": False, "can_postpone": True, "regular_ib_fits": False},
    )
    assert "period_over_one_year" in codes(run(data, book, rules))


def test_one_day_period(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    advice = run(make_input(period={"start": "2021-04-01", "end": "2021-04-01"}), book, rules)
    assert [(line.code, line.days, str(line.amount)) for line in advice.lines] == [
        ("IB2", 1, "29.16"),  # 204.12 / 7
        ("bereikbaarheid", 1, "5.27"),  # 36.88 / 7 = 5.2685...
    ]
    assert advice.period_total == Decimal("34.43")


def test_assessment_after_period_start_is_allowed(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(
        make_input(assessment_date="2021-05-01", support_plan_date="2021-04-15"), book, rules
    )
    assert advice.outcome == "ib_bw"


# --- support plan --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assessment_date", "plan_date", "warn"),
    [
        ("2026-08-31", "2026-02-28", False),  # exactly six months (clamped): not older
        ("2026-08-31", "2026-02-27", True),
        ("2026-08-15", "2026-02-15", False),
        ("2026-08-15", "2026-02-14", True),
        ("2028-08-31", "2028-02-29", False),  # leap year clamp
        ("2028-08-31", "2028-02-28", True),
        ("2026-03-31", "2025-09-30", False),  # across the year
        ("2026-03-31", "2025-09-29", True),
        ("2026-08-31", "2026-08-31", False),  # same day
    ],
)
def test_support_plan_six_months(
    make_input: MakeInput,
    book: TariffBook,
    rules: RuleConfig,
    assessment_date: str,
    plan_date: str,
    warn: bool,
) -> None:
    data = make_input(
        assessment_date=assessment_date, support_plan_date=plan_date, period={"start": "2026-09-01"}
    )
    advice = run(data, book, rules)
    assert ("support_plan_outdated" in codes(advice)) == warn
    assert "support_plan_missing" not in codes(advice)


def test_support_plan_missing(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    for value in (None, ...):
        advice = run(make_input(support_plan_date=value), book, rules)
        assert "support_plan_missing" in codes(advice)
        assert "support_plan_outdated" not in codes(advice)


def test_support_plan_warnings_for_every_outcome(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        support_plan_date=None,
        criteria={"need_24_7": True, "can_postpone": False, "regular_ib_fits": False},
    )
    assert "support_plan_missing" in codes(run(data, book, rules))
    data = make_input(
        support_plan_date="2020-01-01",
        criteria={"need_24_7": False, "can_postpone": False, "regular_ib_fits": False},
    )
    assert "support_plan_outdated" in codes(run(data, book, rules))


# --- debts, ZRM completeness, tariff age ---------------------------------------------------


def test_budgetcoach_required(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    assert "budgetcoach_required" in codes(run(make_input(has_debts=True), book, rules))
    assert "budgetcoach_required" not in codes(run(make_input(has_debts=False), book, rules))
    assert "budgetcoach_required" not in codes(run(make_input(has_debts=None), book, rules))
    regular = make_input(
        has_debts=True, criteria={"need_24_7": True, "can_postpone": True, "regular_ib_fits": True}
    )
    assert "budgetcoach_required" not in codes(run(regular, book, rules))


def test_zrm_incomplete(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    assert "zrm_incomplete" not in codes(run(make_input(), book, rules))
    zrm = zrm_with()
    del zrm["justitie"]
    advice = run(make_input(zrm=zrm), book, rules)
    assert "zrm_incomplete" in codes(advice)
    assert "Justitie" in dict((w.code, w.message) for w in advice.warnings)["zrm_incomplete"]
    assert "zrm_incomplete" in codes(run(make_input(zrm=zrm_with(justitie=None)), book, rules))


@pytest.mark.parametrize(
    ("assessment_date", "warn"),
    [
        ("2021-12-31", False),
        ("2022-01-01", True),  # valid_from + 1 year
        ("2020-12-31", False),  # no table in force on that date: no warning
    ],
)
def test_tariff_table_outdated(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig, assessment_date: str, warn: bool
) -> None:
    data = make_input(
        assessment_date=assessment_date,
        period={"start": "2022-01-01"},
        support_plan_date="2020-12-01",
    )
    assert ("tariff_table_outdated" in codes(run(data, book, rules))) == warn


def test_tariff_table_outdated_with_newer_table(
    make_input: MakeInput, book2027: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        assessment_date="2028-04-30", period={"start": "2028-05-01"}, support_plan_date="2028-04-01"
    )
    assert "tariff_table_outdated" not in codes(run(data, book2027, rules))
    data = make_input(
        assessment_date="2028-05-01", period={"start": "2028-05-01"}, support_plan_date="2028-04-01"
    )
    assert "tariff_table_outdated" in codes(run(data, book2027, rules))


def test_tariff_table_outdated_only_for_ib_bw(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        assessment_date="2026-01-01",
        period={"start": "2026-01-01"},
        support_plan_date="2025-12-01",
        criteria={"need_24_7": False, "can_postpone": True, "regular_ib_fits": False},
    )
    assert "tariff_table_outdated" not in codes(run(data, book, rules))


def test_warnings_are_unique_and_in_a_fixed_order(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    spec_input["support_plan_date"] = None
    spec_input["zrm"] = {"financien": 1}
    spec_input["opslag"]["motivated_in_plan"] = False
    spec_input["period"]["end"] = "2028-06-30"
    advice = run(spec_input, book, rules)
    assert list(advice.warning_codes) == [
        "support_plan_missing",
        "period_over_one_year",
        "zrm_incomplete",
        "insufficient_self_reliance",
        "opslag_not_motivated",
        "budgetcoach_required",
        "tariff_table_outdated",
    ]
    assert all(w.message and w.message[0].isupper() for w in advice.warnings)


# --- money over tariff tables --------------------------------------------------------------


def _exact(days_and_rates: list[tuple[int, str]]) -> Decimal:
    """Reference: Σ days × weekly / 7 as a Fraction, rounded half-up once."""
    total = sum(Fraction(days) * Fraction(rate) for days, rate in days_and_rates) / 7
    cents = total * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-2)


def test_tariff_boundary_inside_period(
    make_input: MakeInput, book2027: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        assessment_date="2026-12-01",
        period={"start": "2027-01-01"},
        support_plan_date="2026-11-01",
        huisvesting={"cannot_rent_independently": True, "housing_via_provider": True},
    )
    advice = run(data, book2027, rules)
    # 2027-01-01 .. 2027-04-30 = 120 days old table, 2027-05-01 .. 2027-12-31 = 245 days new
    assert money(advice) == {
        "IB2": (365, "204.12", str(_exact([(120, "204.12"), (245, "219.45")]))),
        "bereikbaarheid": (365, "36.88", str(_exact([(120, "36.88"), (245, "39.65")]))),
        "huisvesting": (365, "156.61", str(_exact([(120, "156.61"), (245, "176.33")]))),
        "huishoudelijke_kosten": (365, "50.00", str(_exact([(120, "50.00"), (245, "53.75")]))),
    }
    assert money(advice)["IB2"][2] == "11179.95"  # (120 × 204.12 + 245 × 219.45) / 7
    assert advice.weekly_total == Decimal("447.61")  # rates on the first day: the 2021 table
    assert [t.valid_from for t in advice.tariffs_used] == [D(2021, 1, 1), D(2027, 5, 1)]


def test_tariff_boundary_inside_opslag_window(
    make_input: MakeInput, book2027: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        assessment_date="2026-12-01",
        period={"start": "2027-01-01"},
        support_plan_date="2026-11-01",
        opslag={
            "reason": "life_event",
            "start": "2027-04-01",
            "end": "2027-06-30",
            "motivated_in_plan": True,
        },
    )
    advice = run(data, book2027, rules)
    lines = money(advice)
    # opslag: April (30 days) old table, May + June (61 days) new
    assert lines["IB2_opslag"] == (91, "270.88", str(_exact([(30, "270.88"), (61, "291.22")])))
    # IB2: Jan-Mar (90) old, Jul-Dec (184) new
    assert lines["IB2"] == (274, "204.12", str(_exact([(90, "204.12"), (184, "219.45")])))


def test_line_weekly_is_rate_on_its_own_first_day(
    make_input: MakeInput, book2027: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        assessment_date="2026-12-01",
        period={"start": "2027-01-01"},
        support_plan_date="2026-11-01",
        opslag={
            "reason": "life_event",
            "start": "2027-01-01",
            "end": "2027-05-31",
            "motivated_in_plan": True,
        },
    )
    advice = run(data, book2027, rules)
    assert money(advice)["IB2"][1] == "219.45"  # IB2 starts 2027-06-01, under the new table
    assert money(advice)["IB2_opslag"][1] == "270.88"
    assert advice.weekly_total == Decimal("270.88") + Decimal("36.88")


def test_days_after_newest_table_use_newest(
    make_input: MakeInput, book2027: TariffBook, rules: RuleConfig
) -> None:
    data = make_input(
        assessment_date="2030-01-01", period={"start": "2030-01-01"}, support_plan_date="2029-12-01"
    )
    advice = run(data, book2027, rules)
    assert money(advice)["IB2"] == (365, "219.45", str(_exact([(365, "219.45")])))
    assert "tariff_table_outdated" in codes(advice)


def test_rounded_once_per_line(make_input: MakeInput, book: TariffBook, rules: RuleConfig) -> None:
    advice = run(make_input(period={"start": "2021-04-01", "end": "2021-04-07"}), book, rules)
    assert advice.line("IB2").amount == Decimal("204.12")  # type: ignore[union-attr]
    # per-day rounding would give 7 × 29.16 = 204.12 too; IB1 shows the difference:
    advice = run(
        make_input(period={"start": "2021-04-01", "end": "2021-04-07"}, zrm=zrm_with(financien=4)),
        book,
        rules,
    )
    assert advice.line("IB1").amount == Decimal("94.13")  # 7 × round(13.447) would be 94.15  # type: ignore[union-attr]


def test_period_start_before_first_table_is_input_error(
    make_input: MakeInput, book: TariffBook, rules: RuleConfig
) -> None:
    for criteria in (
        {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
        {"need_24_7": False, "can_postpone": True, "regular_ib_fits": False},
    ):
        data = make_input(
            assessment_date="2020-11-01",
            period={"start": "2020-12-31"},
            support_plan_date=None,
            criteria=criteria,
        )
        with pytest.raises(InputError) as info:
            run(data, book, rules)
        assert info.value.field == "period.start"
        assert "2021-01-01" in str(info.value)


def test_period_total_is_sum_of_lines(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(spec_input, book, rules)
    assert advice.period_total == sum(line.amount for line in advice.lines)


def test_advise_rechecks_assessment_built_in_code(book: TariffBook, rules: RuleConfig) -> None:
    bad = Assessment(
        assessment_date=D(2027, 1, 1),
        period_start=D(2027, 2, 1),
        period_end=D(2027, 1, 31),
        criteria=Criteria(True, True, False),
    )
    with pytest.raises(InputError) as info:
        advise(bad, book, rules)
    assert info.value.field == "period.end"


def test_core_uses_decimal_never_float(
    spec_input: dict[str, Any], book: TariffBook, rules: RuleConfig
) -> None:
    advice = run(spec_input, book, rules)
    for line in advice.lines:
        assert isinstance(line.weekly, Decimal) and isinstance(line.amount, Decimal)
    assert isinstance(advice.weekly_total, Decimal) and isinstance(advice.period_total, Decimal)
