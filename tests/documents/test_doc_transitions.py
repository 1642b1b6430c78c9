"""The core's transition rules: early ends, gaps, overlaps, six weeks' notice, blockers."""

from __future__ import annotations

import copy
import datetime as dt

from doc_helpers import advice_for, case_named

from bwo_desktop.core.advice import Assessment
from bwo_desktop.core.assessment_json import parse_assessment
from bwo_desktop.core.case import Case, CurrentIndication
from bwo_desktop.core.transitions import (
    beschikking_problems,
    decision_start,
    earliest_transition_date,
    ends_early,
    plan_outdated,
    provider_tasks,
    transition_warnings,
)


def test_earliest_transition_is_six_weeks_after_the_letter() -> None:
    assert earliest_transition_date(dt.date(2026, 12, 9)) == dt.date(2027, 1, 20)


def test_gap_needs_a_motivation() -> None:
    case = copy.deepcopy(case_named("ib_bw_minimal"))  # new period from 1 January 2027
    case.current_indication = CurrentIndication("BW extramuraal IB1", dt.date(2026, 12, 20))
    advice = advice_for(case)
    gap = [w for w in transition_warnings(case, advice) if w.code == "gap"]
    assert gap and gap[0].blocks_definitief and "11 dagen" in gap[0].message
    assert gap[0].field == "motivations.gap"
    case.motivations["gap"] = "U woont tot 1 januari bij uw ouders."
    assert not any(w.blocks_definitief for w in transition_warnings(case, advice))


def test_continuation_has_no_finding() -> None:
    case = case_named("ib_bw_minimal")  # current ends 31 December, new starts 1 January
    advice = advice_for(case)
    assert transition_warnings(case, advice) == []
    assert decision_start(case, advice) == dt.date(2027, 1, 1)
    assert not ends_early(case, advice)


def test_overlap_inside_the_bezwaar_term_blocks_without_motivation() -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))  # current to 31 March 2027
    advice = advice_for(case)
    assert ends_early(case, advice)
    case.motivations.pop("transition")
    codes = {w.code: w for w in transition_warnings(case, advice)}
    assert "overlap" in codes and not codes["overlap"].blocks_definitief
    assert codes["short_notice"].blocks_definitief
    assert "19 januari 2027" in codes["short_notice"].message  # 8 December + six weeks
    assert [p.code for p in beschikking_problems(case, advice, _assessment(case))] == [
        "short_notice"
    ]


def test_refusal_before_the_end_date_is_an_early_end() -> None:
    case = case_named("intramural")  # current to 31 January 2027, refusal from 1 January
    advice = advice_for(case)
    assert ends_early(case, advice)
    assert decision_start(case, advice) == dt.date(2027, 1, 1)
    assert "early_end" in {w.code for w in transition_warnings(case, advice)}


def _assessment(case: Case) -> Assessment:
    assert case.assessment is not None
    return parse_assessment(case.assessment)


def test_period_over_a_year_needs_a_motivation() -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    assert case.assessment is not None
    del case.assessment["period"]["extension_motivation"]
    advice = advice_for(case)
    problems = beschikking_problems(case, advice, _assessment(case))
    assert problems[0].code == "period_over_one_year"


def test_outdated_plan_and_unmotivated_opslag_go_to_the_provider() -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    assert case.assessment is not None
    case.assessment["support_plan_date"] = "2026-05-01"
    case.assessment["opslag"]["motivated_in_plan"] = False
    case.motivations.pop("opslag")
    assessment = _assessment(case)
    assert plan_outdated(assessment)
    assert provider_tasks(case, advice_for(case), assessment) == ["opslag_plan", "plan_update"]
