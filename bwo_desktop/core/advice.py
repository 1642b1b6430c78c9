"""The rules engine: from criteria, ZRM and choices to outcome, IB level, lines and warnings.

Pure and deterministic: `advise(assessment, tariffs, rules)` implements domain.md and the
"Precise rules" of advice-json.md. The recommendation is advice; the consultant decides, so
every number comes with Dutch sentences that say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_nl, format_euro, format_period_nl
from bwo_desktop.core.periods import (
    ONE_DAY,
    add_years,
    days_inclusive,
    default_period_end,
    is_over_one_year,
    months_back,
)
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.tariffs import (
    HUISVESTING,
    IB_LEVELS,
    TariffBook,
    TariffTable,
    _half_up_div,
    from_cents,
    to_cents,
)
from bwo_desktop.core.zrm import DOMAIN_KEYS, SUPPORT_FORM_NAMES, SUPPORT_FORMS

OUTCOMES: tuple[str, ...] = ("ib_bw", "regular_ib", "intramural")
OUTCOME_NAMES: dict[str, str] = {
    "ib_bw": "individuele begeleiding Beschermd Wonen met bereikbaarheid",
    "regular_ib": "reguliere individuele begeleiding (IB SDD of IB AV regio)",
    "intramural": "intramuraal Beschermd Wonen overwegen",
}
CRITERIA_KEYS: tuple[str, ...] = ("need_24_7", "can_postpone", "regular_ib_fits")
CRITERIA_TEXTS: dict[str, str] = {
    "need_24_7": "Cliënt heeft ondersteuningsbehoefte in de vorm van 24/7 (on)planbare ondersteuning",
    "can_postpone": "Cliënt is in staat om kortdurend zijn/haar ondersteuningsvraag uit te stellen",
    "regular_ib_fits": (
        "De voorliggende reguliere individuele begeleiding (IB SDD of IB AV regio) biedt "
        "passende ondersteuning"
    ),
}
OPSLAG_REASONS: dict[str, str] = {
    "overgang_intramuraal": "overgang van intramuraal naar zelfstandig wonen",
    "life_event": "een life event (zoals dreigende huisuitzetting, suïcidaal gedrag of relatieproblemen)",
    "zorgmijdend_gedrag": "zorgmijdend gedrag",
}
IB_LEVEL_NAMES: dict[str, str] = {
    "IB1": "toezicht en stimuleren",
    "IB2": "aanleren en oefenen",
    "IB3": "helpen, overnemen en regie",
}
# All warning codes, in the order they are reported.
WARNING_CODES: tuple[str, ...] = (
    "support_plan_missing",
    "support_plan_outdated",
    "period_over_one_year",
    "zrm_incomplete",
    "no_support_need",
    "insufficient_self_reliance",
    "opslag_not_motivated",
    "budgetcoach_required",
    "tariff_table_outdated",
)
SUPPORT_PLAN_MAX_MONTHS = 6


# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    need_24_7: bool
    can_postpone: bool
    regular_ib_fits: bool


@dataclass(frozen=True)
class IbOverride:
    level: str  # IB1 / IB2 / IB3
    motivation: str


@dataclass(frozen=True)
class Opslag:
    reason: str  # key of OPSLAG_REASONS
    motivated_in_plan: bool
    start: dt.date | None = None  # None: the period's start
    end: dt.date | None = None  # None: the period's end


@dataclass(frozen=True)
class HuisvestingInput:
    cannot_rent_independently: bool
    housing_via_provider: bool

    @property
    def granted(self) -> bool:
        return self.cannot_rent_independently and self.housing_via_provider


@dataclass(frozen=True)
class Assessment:
    """The parsed `advise` input (advice-json.md, "Input")."""

    assessment_date: dt.date
    period_start: dt.date
    criteria: Criteria
    zrm: dict[str, int] = field(default_factory=dict)  # scored domains only
    period_end: dt.date | None = None  # None: start + 1 year − 1 day
    extension_motivation: str | None = None  # None when absent or blank
    support_forms: dict[str, str] = field(default_factory=dict)  # consultant's changes
    ib_override: IbOverride | None = None
    opslag: Opslag | None = None
    huisvesting: HuisvestingInput | None = None
    support_plan_date: dt.date | None = None
    has_debts: bool = False

    @property
    def effective_period_end(self) -> dt.date:
        return (
            self.period_end
            if self.period_end is not None
            else default_period_end(self.period_start)
        )


# --- output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    code: str
    days: int
    weekly: Decimal  # the rate on the line's first day
    amount: Decimal


@dataclass(frozen=True)
class Segment:
    """Consecutive days of one component (for the letter and the iWmo toewijzingen)."""

    code: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return days_inclusive(self.start, self.end)


@dataclass(frozen=True)
class AdviceWarning:
    code: str
    message: str


@dataclass(frozen=True)
class Advice:
    outcome: str
    ib_level: str | None
    recommended_ib_level: str | None
    period_start: dt.date
    period_end: dt.date
    lines: tuple[Line, ...]
    weekly_total: Decimal
    period_total: Decimal
    warnings: tuple[AdviceWarning, ...]
    explanation: tuple[str, ...]
    segments: tuple[Segment, ...]
    support_forms: dict[str, str]  # effective form per domain (all 13, DOMAIN_KEYS order)
    form_counts: dict[str, int]  # per support form (all four, SUPPORT_FORMS order)
    tariffs_used: tuple[TariffTable, ...] = ()  # tables whose days the lines use
    opslag_window: tuple[dt.date, dt.date] | None = None  # when an opslag applies

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)

    def line(self, code: str) -> Line | None:
        for line in self.lines:
            if line.code == code:
                return line
        return None


# --- helpers the UI uses live --------------------------------------------------------------


def default_support_form(score: int | None, rules: RuleConfig) -> str:
    """The support form that follows from a ZRM score (None = unscored)."""
    return rules.default_form(score)


def effective_support_forms(
    zrm: Mapping[str, int | None], changes: Mapping[str, str], rules: RuleConfig
) -> dict[str, str]:
    """Per domain (all 13) the consultant's form when set, else the default from the score.
    A change counts also for an unscored domain."""
    forms: dict[str, str] = {}
    for key in DOMAIN_KEYS:
        change = changes.get(key)
        forms[key] = change if change is not None else default_support_form(zrm.get(key), rules)
    return forms


def count_support_forms(forms: Mapping[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(SUPPORT_FORMS, 0)
    for form in forms.values():
        counts[form] += 1
    return counts


def recommend_ib_level(counts: Mapping[str, int], rules: RuleConfig) -> tuple[str, bool]:
    """(recommended level, has_support_need). No need at all still gives IB1 (with a warning)."""
    if counts.get("overnemen", 0) >= rules.ib3_min_overnemen:
        return "IB3", True
    if counts.get("overnemen", 0) or counts.get("aanleren", 0):
        return "IB2", True
    if counts.get("toezicht", 0):
        return "IB1", True
    return "IB1", False


def decide_outcome(criteria: Criteria) -> str:
    """The three criteria in the order of domain.md."""
    if not criteria.need_24_7:
        return "regular_ib"
    if criteria.regular_ib_fits:
        return "regular_ib"
    if not criteria.can_postpone:
        return "intramural"
    return "ib_bw"


def has_minimal_self_reliance(zrm: Mapping[str, int | None]) -> bool:
    """(basale_adl ≥ 3 and instrumentele_adl ≥ 3) or sociaal_netwerk ≥ 3 or tijdsbesteding ≥ 3;
    unscored counts as not met. Looks at scores, never at support forms."""

    def at_least_3(key: str) -> bool:
        score = zrm.get(key)
        return score is not None and score >= 3

    return (
        (at_least_3("basale_adl") and at_least_3("instrumentele_adl"))
        or at_least_3("sociaal_netwerk")
        or at_least_3("tijdsbesteding")
    )


def _is_blank(text: str | None) -> bool:
    return text is None or not text.strip()


def check_assessment(a: Assessment, field_prefix: str = "") -> None:
    """The checks across fields (advice-json.md, "Precise rules"); raises InputError."""
    p = field_prefix
    for key, score in a.zrm.items():
        if key not in DOMAIN_KEYS:
            raise InputError(f"{p}zrm.{key}", "onbekend ZRM-domein")
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise InputError(
                f"{p}zrm.{key}",
                f"score moet een geheel getal van 1 tot en met 5 zijn, niet {score!r}",
            )
    for key, form in a.support_forms.items():
        if key not in DOMAIN_KEYS:
            raise InputError(f"{p}support_forms.{key}", "onbekend ZRM-domein")
        if form not in SUPPORT_FORMS:
            raise InputError(
                f"{p}support_forms.{key}",
                f"onbekende ondersteuningsvorm {form!r} (kies uit {', '.join(SUPPORT_FORMS)})",
            )
    start = a.period_start
    end = a.effective_period_end
    if end < start:
        raise InputError(
            f"{p}period.end", f"{end.isoformat()} ligt vóór period.start ({start.isoformat()})"
        )
    if a.support_plan_date is not None and a.support_plan_date > a.assessment_date:
        raise InputError(
            f"{p}support_plan_date",
            f"{a.support_plan_date.isoformat()} ligt na de datum van het gesprek "
            f"(assessment_date {a.assessment_date.isoformat()})",
        )
    if a.ib_override is not None:
        if a.ib_override.level not in IB_LEVELS:
            raise InputError(
                f"{p}ib_override.level", f"moet IB1, IB2 of IB3 zijn, niet {a.ib_override.level!r}"
            )
        if _is_blank(a.ib_override.motivation):
            raise InputError(
                f"{p}ib_override.motivation", "een afwijkend IB-niveau vraagt een motivering"
            )
    if a.opslag is not None:
        o = a.opslag
        if o.reason not in OPSLAG_REASONS:
            raise InputError(
                f"{p}opslag.reason",
                f"onbekende reden {o.reason!r} (kies uit {', '.join(OPSLAG_REASONS)})",
            )
        o_start = o.start or start
        o_end = o.end or end
        if o.start is not None and not start <= o.start <= end:
            raise InputError(
                f"{p}opslag.start",
                f"{o.start.isoformat()} ligt buiten de periode ({start.isoformat()} t/m {end.isoformat()})",
            )
        if o.end is not None and not start <= o.end <= end:
            raise InputError(
                f"{p}opslag.end",
                f"{o.end.isoformat()} ligt buiten de periode ({start.isoformat()} t/m {end.isoformat()})",
            )
        if o_end < o_start:
            raise InputError(
                f"{p}opslag.end",
                f"{o_end.isoformat()} ligt vóór de start van de opslag ({o_start.isoformat()})",
            )


# --- the engine ----------------------------------------------------------------------------


def _domain_names() -> dict[str, str]:
    try:
        from bwo_desktop.core.zrm import load_catalogue

        return {d.key: d.name for d in load_catalogue().domains}
    except Exception:  # pragma: no cover - names are cosmetic; keys still say what is meant
        return {key: key for key in DOMAIN_KEYS}


def _join_nl(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


@dataclass
class _Component:
    code: str
    ranges: list[tuple[dt.date, dt.date]]


def _line(component: _Component, tariffs: TariffBook) -> Line:
    """Σ over the days of (weekly rate that day) / 7, exact in cents, rounded once half-up."""
    total_cents_times_7 = 0  # Σ days × weekly cents; the amount in cents is this / 7
    days = 0
    for start, end in component.ranges:
        for span in tariffs.spans(start, end):
            total_cents_times_7 += span.days * to_cents(span.table.rate(component.code))
            days += span.days
    first_day = component.ranges[0][0]
    first_table = tariffs.in_force(first_day)
    assert first_table is not None  # spans() refused days before the first table
    return Line(
        code=component.code,
        days=days,
        weekly=first_table.rate(component.code),
        amount=from_cents(_half_up_div(total_cents_times_7, 7)),
    )


def _check_first_table(a: Assessment, tariffs: TariffBook, field_prefix: str = "") -> None:
    if tariffs.in_force(a.period_start) is None:
        first = tariffs.first_valid_from
        where = (
            f"de eerste tarieftabel geldt vanaf {first.isoformat()}"
            if first
            else "er zijn geen tarieftabellen"
        )
        raise InputError(
            f"{field_prefix}period.start",
            f"{a.period_start.isoformat()} ligt vóór de eerste tarieftabel ({where})",
        )


def advise(
    assessment: Assessment, tariffs: TariffBook, rules: RuleConfig, *, field_prefix: str = ""
) -> Advice:
    """Apply domain.md to one assessment. Raises InputError for input the rules cannot take
    (checked completely before any rule is applied), naming the field with `field_prefix`
    in front ("assessment." inside a case file)."""
    a = assessment
    check_assessment(a, field_prefix)
    _check_first_table(a, tariffs, field_prefix)

    start = a.period_start
    end = a.effective_period_end
    names = _domain_names()
    warnings: dict[str, str] = {}
    explanation: list[str] = []

    forms = effective_support_forms(a.zrm, a.support_forms, rules)
    counts = count_support_forms(forms)
    recommended, has_need = recommend_ib_level(counts, rules)
    outcome = decide_outcome(a.criteria)

    # Warnings for every outcome.
    if a.support_plan_date is None:
        warnings["support_plan_missing"] = (
            "De datum van het ondersteuningsplan ontbreekt. Het ondersteuningsplan van de aanbieder "
            "moet beschikbaar zijn en mag op de datum van het gesprek niet ouder zijn dan zes maanden."
        )
    else:
        limit = months_back(a.assessment_date, SUPPORT_PLAN_MAX_MONTHS)
        if a.support_plan_date < limit:
            warnings["support_plan_outdated"] = (
                f"Het ondersteuningsplan van {format_date_nl(a.support_plan_date)} is op de datum van "
                f"het gesprek ({format_date_nl(a.assessment_date)}) ouder dan zes maanden (het moet "
                f"van {format_date_nl(limit)} of later zijn). Vraag de aanbieder om een actueel plan."
            )
    if is_over_one_year(start, end) and _is_blank(a.extension_motivation):
        warnings["period_over_one_year"] = (
            f"De periode loopt tot en met {format_date_nl(end)} en is daarmee langer dan een jaar "
            f"(standaard tot en met {format_date_nl(default_period_end(start))}). Ondersteuning is "
            "tijdelijk: een langere periode (verlenging) vraagt een motivering."
        )
    unscored = [key for key in DOMAIN_KEYS if a.zrm.get(key) is None]
    if unscored:
        warnings["zrm_incomplete"] = (
            f"Niet alle ZRM-domeinen zijn gescoord: {_join_nl([names[k] for k in unscored])}. "
            "Scoor alle domeinen; een domein mag alleen ongescoord blijven met een reden."
        )

    explanation.extend(_criteria_sentences(a.criteria, outcome))

    lines: list[Line] = []
    segments: list[Segment] = []
    tables_used: tuple[TariffTable, ...] = ()
    weekly_total = Decimal("0.00")
    period_total = Decimal("0.00")
    ib_level: str | None = None
    recommended_level: str | None = None
    window: tuple[dt.date, dt.date] | None = None

    if outcome == "ib_bw":
        recommended_level = recommended
        ib_level = a.ib_override.level if a.ib_override is not None else recommended
        explanation.extend(_level_sentences(a, forms, counts, recommended, has_need, rules, names))

        if not has_need:
            warnings["no_support_need"] = (
                "Volgens de ZRM is er in geen enkel domein ondersteuning nodig, terwijl de cliënt "
                "24/7 (on)planbare ondersteuning nodig heeft. Dat is niet consistent: kijk opnieuw "
                "naar de scores en ondersteuningsvormen. Het advies valt terug op IB1."
            )
        if not has_minimal_self_reliance(a.zrm):
            warnings["insufficient_self_reliance"] = (
                "Voor extramuraal wonen is een zekere mate van zelfredzaamheid nodig, maar geen van "
                "deze voorwaarden is gescoord: Basale ADL én Instrumentele ADL minstens 3, Sociaal "
                "netwerk minstens 3, of Tijdsbesteding minstens 3. Ga na of extramuraal wonen passend is."
            )
        if a.has_debts:
            warnings["budgetcoach_required"] = (
                "De cliënt heeft schulden: de aanbieder moet de budgetcoach van de gemeente inzetten "
                "(of, in overleg met de consulent, een eigen financieel specialist). Het budgetbeheer "
                "blijft altijd bij de gemeente."
            )

        components: list[_Component] = []
        if a.opslag is not None:
            window = (a.opslag.start or start, a.opslag.end or end)
            w_start, w_end = window
            before = [(start, w_start - ONE_DAY)] if w_start > start else []
            after = [(w_end + ONE_DAY, end)] if w_end < end else []
            components.append(_Component(ib_level, before + after))
            components.append(_Component(f"{ib_level}_opslag", [window]))
            if not a.opslag.motivated_in_plan:
                warnings["opslag_not_motivated"] = (
                    f"De opslag wegens {OPSLAG_REASONS[a.opslag.reason]} is niet gemotiveerd in het "
                    "ondersteuningsplan. De aanbieder moet de motivering in het plan opnemen."
                )
            explanation.append(
                f"Opslag wegens {OPSLAG_REASONS[a.opslag.reason]} van "
                f"{format_period_nl(w_start, w_end)}: in die dagen geldt het tarief {ib_level} met "
                f"opslag ({ib_level}_opslag) in plaats van {ib_level}."
            )
        else:
            components.append(_Component(ib_level, [(start, end)]))
        components.append(_Component("bereikbaarheid", [(start, end)]))
        explanation.append(
            "Individuele begeleiding Beschermd Wonen gaat altijd samen met de component avond-, "
            "nacht- en weekendbereikbaarheid: IB zonder bereikbaarheid is te licht."
        )
        if a.huisvesting is not None and a.huisvesting.granted:
            components.append(_Component(HUISVESTING, [(start, end)]))
            components.append(_Component("huishoudelijke_kosten", [(start, end)]))
        explanation.append(_huisvesting_sentence(a.huisvesting))

        for component in components:
            if not component.ranges:
                continue
            lines.append(_line(component, tariffs))
            for r_start, r_end in component.ranges:
                segments.append(Segment(component.code, r_start, r_end))
        ib_codes = {ib_level, f"{ib_level}_opslag"}
        segments.sort(key=lambda s: (s.code not in ib_codes, s.start))
        first_table = tariffs.in_force(start)
        assert first_table is not None
        weekly_total = sum(
            (first_table.rate(s.code) for s in segments if s.start == start),
            Decimal("0.00"),
        )
        period_total = sum((line.amount for line in lines), Decimal("0.00"))
        tables_used = tuple(tariffs.tables_between(start, end))

        table_now = tariffs.in_force(a.assessment_date)
        if table_now is not None and a.assessment_date >= add_years(table_now.valid_from, 1):
            warnings["tariff_table_outdated"] = (
                f"De tarieftabel die op de datum van het gesprek ({format_date_nl(a.assessment_date)}) "
                f"geldt, is van {format_date_nl(table_now.valid_from)}: een jaar of ouder. De nieuwe "
                "indexatie ontbreekt waarschijnlijk, dus de bedragen zijn mogelijk te laag. Vraag de "
                "beheerder om de actuele tarieftabel."
            )
        explanation.append(
            f"Periode {format_period_nl(start, end)} ({days_inclusive(start, end)} dagen); "
            f"kosten per week bij de start {format_euro(weekly_total)}, "
            f"voor de hele periode {format_euro(period_total)}."
        )
    else:
        explanation.append(
            f"Periode {format_period_nl(start, end)} ({days_inclusive(start, end)} dagen)."
        )
    if is_over_one_year(start, end) and not _is_blank(a.extension_motivation):
        assert a.extension_motivation is not None
        explanation.append(
            f"De periode is langer dan een jaar (verlenging); motivering: {a.extension_motivation.strip()}"
        )

    ordered = tuple(
        AdviceWarning(code, warnings[code]) for code in WARNING_CODES if code in warnings
    )
    return Advice(
        outcome=outcome,
        ib_level=ib_level,
        recommended_ib_level=recommended_level,
        period_start=start,
        period_end=end,
        lines=tuple(lines),
        weekly_total=weekly_total,
        period_total=period_total,
        warnings=ordered,
        explanation=tuple(explanation),
        segments=tuple(segments),
        support_forms=forms,
        form_counts=counts,
        tariffs_used=tables_used,
        opslag_window=window,
    )


def _criteria_sentences(c: Criteria, outcome: str) -> list[str]:
    if not c.need_24_7:
        return [
            "De cliënt heeft geen ondersteuningsbehoefte in de vorm van 24/7 (on)planbare "
            "ondersteuning. Daarom geen Beschermd Wonen: de voorliggende reguliere individuele "
            "begeleiding (IB SDD of IB AV regio) is de passende voorziening."
        ]
    if c.regular_ib_fits:
        return [
            "De cliënt heeft 24/7 (on)planbare ondersteuning nodig, maar de voorliggende reguliere "
            "individuele begeleiding (IB SDD of IB AV regio) biedt passende ondersteuning. Daarom "
            "geen Beschermd Wonen-componenten: reguliere individuele begeleiding."
        ]
    if not c.can_postpone:
        return [
            "De cliënt heeft 24/7 (on)planbare ondersteuning nodig en de reguliere individuele "
            "begeleiding biedt geen passende ondersteuning, maar de cliënt is niet in staat de "
            "ondersteuningsvraag kortdurend uit te stellen. Individuele begeleiding met "
            "bereikbaarheid is dan te licht: overweeg intramuraal Beschermd Wonen of een direct "
            "oproepbare vorm van ondersteuning."
        ]
    assert outcome == "ib_bw"
    return [
        "Aan alle drie criteria is voldaan: de cliënt heeft ondersteuningsbehoefte in de vorm van "
        "24/7 (on)planbare ondersteuning, is in staat de ondersteuningsvraag kortdurend uit te "
        "stellen, en de voorliggende reguliere individuele begeleiding (IB SDD of IB AV regio) "
        "biedt geen passende ondersteuning. Daarom individuele begeleiding Beschermd Wonen met "
        "bereikbaarheid."
    ]


def _level_sentences(
    a: Assessment,
    forms: Mapping[str, str],
    counts: Mapping[str, int],
    recommended: str,
    has_need: bool,
    rules: RuleConfig,
    names: Mapping[str, str],
) -> list[str]:
    sentences: list[str] = []
    parts = [
        f"{counts[form]} × {SUPPORT_FORM_NAMES[form]}"
        for form in reversed(SUPPORT_FORMS)
        if counts[form]
    ]
    sentences.append(f"Ondersteuningsvorm volgens de ZRM over de 13 domeinen: {_join_nl(parts)}.")
    changed = []
    for key in DOMAIN_KEYS:
        if key in a.support_forms:
            default = default_support_form(a.zrm.get(key), rules)
            if a.support_forms[key] != default:
                changed.append(
                    f"{names[key]} ({SUPPORT_FORM_NAMES[a.support_forms[key]]} in plaats van "
                    f"{SUPPORT_FORM_NAMES[default]})"
                )
    if changed:
        sentences.append(
            f"De consulent heeft de ondersteuningsvorm aangepast voor {_join_nl(changed)}."
        )
    threshold = rules.ib3_min_overnemen
    overnemen = counts["overnemen"]
    domein = "domein" if threshold == 1 else "domeinen"
    if recommended == "IB3":
        sentences.append(
            f"{overnemen} domeinen vragen helpen, overnemen en regie; vanaf {threshold} {domein} "
            "is sprake van een complexe multiproblematiek: geadviseerd niveau IB3 (helpen, overnemen en regie)."
        )
    elif recommended == "IB2":
        sentences.append(
            f"{overnemen} {'domein vraagt' if overnemen == 1 else 'domeinen vragen'} helpen, "
            f"overnemen en regie, minder dan de drempel van {threshold} voor IB3; omdat er domeinen "
            "zijn die overnemen of aanleren en oefenen vragen, is het geadviseerde niveau IB2 "
            "(aanleren en oefenen)."
        )
    elif has_need:
        sentences.append(
            "Geen domein vraagt overnemen of aanleren en oefenen, wel toezicht en stimuleren: "
            "geadviseerd niveau IB1 (toezicht en stimuleren)."
        )
    else:
        sentences.append(
            "Geen enkel domein vraagt ondersteuning; het advies valt terug op IB1, maar dat past "
            "niet bij een 24/7-ondersteuningsbehoefte: kijk opnieuw naar de ZRM."
        )
    if a.ib_override is not None:
        motivation = a.ib_override.motivation.strip()
        if a.ib_override.level != recommended:
            sentences.append(
                f"De consulent wijkt af van het advies en kiest {a.ib_override.level} "
                f"({IB_LEVEL_NAMES[a.ib_override.level]}) in plaats van {recommended}. "
                f"Motivering: {motivation}"
            )
        else:
            sentences.append(
                f"De consulent kiest {a.ib_override.level}, gelijk aan het advies. Motivering: {motivation}"
            )
    return sentences


def _huisvesting_sentence(h: HuisvestingInput | None) -> str:
    if h is not None and h.granted:
        return (
            "De cliënt kan nog niet zelfstandig huren en de huisvesting loopt via de aanbieder: "
            "daarom de component huisvesting met huishoudelijke kosten voor de hele periode."
        )
    reasons = []
    if h is None or not h.cannot_rent_independently:
        reasons.append("de cliënt kan zelfstandig huren" if h is not None else "niet aangevraagd")
    if h is not None and not h.housing_via_provider:
        reasons.append("de huisvesting loopt niet via de aanbieder")
    return (
        "Geen component huisvesting (" + _join_nl(reasons) + "): wonen en zorg zijn gescheiden, "
        "tenzij de cliënt nog niet zelfstandig kan huren én de huisvesting via de aanbieder loopt."
    )
