"""Property tests (hypothesis): totals add up, splitting costs at most a cent per line, more
days never cost less, an override never changes the recommendation, and every line equals an
independent day-by-day reference calculation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bwo_desktop.core.advice import Advice, advise
from bwo_desktop.core.assessment_json import parse_assessment
from bwo_desktop.core.periods import days_inclusive
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.tariffs import TariffBook, TariffTable
from bwo_desktop.core.zrm import DOMAIN_KEYS, SUPPORT_FORMS

PROPS = settings(deadline=None, max_examples=60)
ONE = dt.timedelta(days=1)
CENT = Decimal("0.01")

scores = st.one_of(st.none(), st.integers(1, 5))
zrms = st.fixed_dictionaries({key: scores for key in DOMAIN_KEYS})
forms = st.dictionaries(st.sampled_from(DOMAIN_KEYS), st.sampled_from(SUPPORT_FORMS), max_size=5)
starts = st.dates(dt.date(2021, 1, 1), dt.date(2031, 12, 31))
lengths = st.integers(1, 900)


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(starts)
    end = start + dt.timedelta(days=draw(lengths) - 1)
    data: dict[str, Any] = {
        "assessment_date": (start - dt.timedelta(days=draw(st.integers(-30, 400)))).isoformat(),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "zrm": draw(zrms),
        "support_forms": draw(forms),
        "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
        "huisvesting": {
            "cannot_rent_independently": True,
            "housing_via_provider": draw(st.booleans()),
        },
    }
    if draw(st.booleans()):
        span = (end - start).days
        a = draw(st.integers(0, span))
        b = draw(st.integers(a, span))
        data["opslag"] = {
            "reason": draw(
                st.sampled_from(["overgang_intramuraal", "life_event", "zorgmijdend_gedrag"])
            ),
            "start": (start + dt.timedelta(days=a)).isoformat(),
            "end": (start + dt.timedelta(days=b)).isoformat(),
            "motivated_in_plan": draw(st.booleans()),
        }
    return data


def run(data: dict[str, Any], book: TariffBook, rules: RuleConfig) -> Advice:
    return advise(parse_assessment(data), book, rules)


def amounts(advice: Advice) -> dict[str, Decimal]:
    return {line.code: line.amount for line in advice.lines}


def _rate_on(book: TariffBook, day: dt.date, code: str) -> Fraction:
    table: TariffTable | None = None
    for candidate in book.tables:  # linear scan: independent of bisect in the engine
        if candidate.valid_from <= day:
            table = candidate
    assert table is not None
    if code == "huisvesting":
        weekly = Fraction(table.hoge_aftoppingsgrens_per_maand) * 12 / 52
        cents = weekly * 100
        whole = cents.numerator // cents.denominator
        return Fraction(whole + (1 if cents - whole >= Fraction(1, 2) else 0), 100)
    return Fraction(table.weekly[code])


def _reference_amount(book: TariffBook, advice: Advice, code: str) -> Decimal:
    total = Fraction(0)
    for segment in advice.segments:
        if segment.code == code:
            day = segment.start
            while day <= segment.end:
                total += _rate_on(book, day, code) / 7
                day += ONE
    cents = total * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-2)


@PROPS
@given(inputs())
def test_totals_and_reference(
    book2027: TariffBook, rules: RuleConfig, data: dict[str, Any]
) -> None:
    advice = run(data, book2027, rules)
    assert advice.period_total == sum((line.amount for line in advice.lines), Decimal(0))
    days = days_inclusive(advice.period_start, advice.period_end)
    ib_days = sum(line.days for line in advice.lines if line.code.startswith("IB"))
    assert ib_days == days
    assert all(line.days > 0 and line.amount >= 0 for line in advice.lines)
    for line in advice.lines:
        assert line.amount == _reference_amount(book2027, advice, line.code), line.code
        assert line.days == sum(s.days for s in advice.segments if s.code == line.code)
    first = book2027.in_force(advice.period_start)
    assert first is not None
    active = {s.code for s in advice.segments if s.start == advice.period_start}
    assert advice.weekly_total == sum((first.rate(code) for code in active), Decimal(0))


@PROPS
@given(inputs(), st.data())
def test_splitting_changes_a_line_by_at_most_a_cent(
    book2027: TariffBook, rules: RuleConfig, data: dict[str, Any], more: st.DataObject
) -> None:
    data.pop("opslag", None)
    start = dt.date.fromisoformat(data["period"]["start"])
    end = dt.date.fromisoformat(data["period"]["end"])
    if start == end:
        return
    split = start + dt.timedelta(days=more.draw(st.integers(1, (end - start).days)))
    whole = amounts(run(data, book2027, rules))
    first = dict(data, period={"start": start.isoformat(), "end": (split - ONE).isoformat()})
    second = dict(data, period={"start": split.isoformat(), "end": end.isoformat()})
    a = amounts(run(first, book2027, rules))
    b = amounts(run(second, book2027, rules))
    assert set(a) == set(b) == set(whole)
    for code, amount in whole.items():
        assert abs(a[code] + b[code] - amount) <= CENT, code
    assert abs(sum(a.values()) + sum(b.values()) - sum(whole.values())) <= CENT * len(whole)


@PROPS
@given(inputs(), st.integers(1, 400))
def test_more_days_never_cost_less(
    book2027: TariffBook, rules: RuleConfig, data: dict[str, Any], extra: int
) -> None:
    shorter = run(data, book2027, rules)
    end = dt.date.fromisoformat(data["period"]["end"]) + dt.timedelta(days=extra)
    longer_data = dict(data, period={"start": data["period"]["start"], "end": end.isoformat()})
    longer = run(longer_data, book2027, rules)
    assert longer.period_total >= shorter.period_total
    long_amounts = amounts(longer)
    for code, amount in amounts(shorter).items():
        assert long_amounts.get(code, Decimal(0)) >= amount, code
    # the weekly total depends on the first day only
    assert longer.weekly_total == shorter.weekly_total


@PROPS
@given(inputs(), st.sampled_from(["IB1", "IB2", "IB3"]))
def test_override_never_changes_the_recommendation(
    book2027: TariffBook, rules: RuleConfig, data: dict[str, Any], level: str
) -> None:
    plain = run(data, book2027, rules)
    overridden = run(
        dict(data, ib_override={"level": level, "motivation": "Motivering."}), book2027, rules
    )
    assert overridden.recommended_ib_level == plain.recommended_ib_level
    assert overridden.ib_level == level
    assert overridden.form_counts == plain.form_counts
    assert ("no_support_need" in overridden.warning_codes) == (
        "no_support_need" in plain.warning_codes
    )
    codes = [line.code for line in overridden.lines if line.code.startswith("IB")]
    assert all(code.split("_")[0] == level for code in codes)


@PROPS
@given(inputs())
def test_warnings_unique(book2027: TariffBook, rules: RuleConfig, data: dict[str, Any]) -> None:
    advice = run(data, book2027, rules)
    assert len(set(advice.warning_codes)) == len(advice.warning_codes)
