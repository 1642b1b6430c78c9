"""The one readiness checklist for definitief: every check a case must pass before it can
be decided (and its beschikking printed), each with a stable key, a Dutch label, the editor
page that fixes it and the field it concerns. Pure: the finish page displays it, the
decision service enforces it, the editor's page marks follow it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bwo_desktop.core.advice import CRITERIA_KEYS
from bwo_desktop.core.bsn import is_valid_bsn
from bwo_desktop.core.case import Case
from bwo_desktop.core.periods import default_period_end, months_back
from bwo_desktop.core.rules import RuleConfig, default_rules
from bwo_desktop.core.zrm import DOMAIN_KEYS

# The editor's pages, in order (Cliënt en gesprek, ZRM, Criteria, Advies, Resultaten, Afronden).
PAGE_CLIENT, PAGE_ZRM, PAGE_CRITERIA, PAGE_ADVICE, PAGE_RESULTS, PAGE_FINISH = range(6)
CRITERION_NUMBERS = {key: n for n, key in enumerate(CRITERIA_KEYS, start=1)}


@dataclass(frozen=True)
class ReadinessItem:
    """One check. `blocking` checks stop definitief while not `done`; the others are a
    warning (allowed, look again)."""

    key: str
    label: str
    page: int
    field: str
    done: bool
    blocking: bool = True


def not_ready(items: list[ReadinessItem]) -> list[ReadinessItem]:
    """The blocking checks that are not done: what stops definitief."""
    return [i for i in items if i.blocking and not i.done]


def support_plan_message(
    plan: dt.date | None, assessment: dt.date | None
) -> tuple[str, str] | None:
    """(kind, Dutch message) for the ondersteuningsplan date, or None when it is fine: it
    must exist and be at most six months old on the day of the conversation."""
    if plan is None:
        return (
            "warning",
            "Geen datum van het ondersteuningsplan: het plan moet er zijn en "
            "mag hoogstens zes maanden oud zijn.",
        )
    if assessment is None:
        return None
    if plan > assessment:
        return ("error", "De datum van het ondersteuningsplan ligt na de datum van het gesprek.")
    if plan < months_back(assessment, 6):
        return (
            "warning",
            "Het ondersteuningsplan is ouder dan zes maanden op de datum van het "
            "gesprek: vraag de aanbieder om een actueel plan.",
        )
    return None


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _missing_page(text: str) -> int:
    lowered = text.lower()
    if "criterium" in lowered:
        return PAGE_CRITERIA
    if "gesprek" in lowered or ("ondersteuningsplan" in lowered and "opslag" not in lowered):
        return PAGE_CLIENT
    return PAGE_ADVICE


def _warning_page(code: str) -> int:
    if code.startswith("support_plan"):
        return PAGE_CLIENT
    if code in ("zrm_incomplete", "no_support_need", "insufficient_self_reliance"):
        return PAGE_ZRM
    return PAGE_ADVICE


@functools.cache
def _builtin_rules() -> RuleConfig:
    return default_rules()


def motivation_minimum(rules: RuleConfig | None = None) -> int:
    """`motivation_min_chars` of `rules` (rules.toml; the built-in rules when None)."""
    return (rules or _builtin_rules()).motivation_min_chars


def motivation_too_short(text: str | None, rules: RuleConfig | None = None) -> bool:
    """A motivation with no real content: fewer characters than `motivation_minimum`, the
    spaces at the ends not counted. Blank counts as too short."""
    return len((text or "").strip()) < motivation_minimum(rules)


def readiness(
    case: Case,
    advice: Any,
    missing: list[str],
    catalogue: Any,
    rules: RuleConfig | None = None,
) -> list[ReadinessItem]:
    """Every check of `case` with the live `advice` (None when the draft is incomplete; then
    `missing` lists why, as `advise_partial` returns it). Blocking checks are listed done or
    not; warnings only when they apply. `rules` gives `motivation_min_chars` (the built-in
    rules when None)."""
    items: list[ReadinessItem] = []
    rules = rules or _builtin_rules()
    minimum = rules.motivation_min_chars

    def check(key: str, label: str, page: int, field: str, ok: bool) -> None:
        items.append(ReadinessItem(key, label, page, field, ok))

    def warn(key: str, label: str, page: int, field: str) -> None:
        items.append(ReadinessItem(key, label, page, field, False, blocking=False))

    data = case.assessment or {}
    conv = case.conversation
    client = case.client

    check("bsn", "Het BSN voldoet niet aan de 11-proef.", PAGE_CLIENT, "client.bsn",
          is_valid_bsn(client.bsn or ""))  # fmt: skip
    from bwo_desktop.core.plausibility import birth_date_problem

    on = _iso(data.get("assessment_date")) or dt.date.today()
    birth_problem = birth_date_problem(client.birth_date, on)
    check("birth_date", f"Geboortedatum: {birth_problem}." if birth_problem else "Geboortedatum.",
          PAGE_CLIENT, "client.birth_date", birth_problem is None)  # fmt: skip
    check("attended_by", "Vastleggen wie er bij het gesprek waren.", PAGE_CLIENT,
          "conversation.attended_by", conv.attended_by is not None)  # fmt: skip
    check("absence_reason", "Reden waarom de cliënt niet bij het gesprek was.", PAGE_CLIENT,
          "conversation.absence_reason",
          conv.attended_by != "begeleider_only" or bool((conv.absence_reason or "").strip()))  # fmt: skip
    check("consent", "Toestemming om het onderzoeksverslag te delen vastleggen (ja of nee).",
          PAGE_CLIENT, "conversation.consent_share_report",
          conv.consent_share_report is not None)  # fmt: skip
    check("address", "Adres van de cliënt onvolledig (nodig voor de beschikking).",
          PAGE_CLIENT, "client.address",
          client.address is not None and client.address.is_complete())  # fmt: skip
    check("provider", "Zorgaanbieder ontbreekt (nodig voor de beschikking).", PAGE_CLIENT,
          "client.provider.name",
          client.provider is not None and bool(client.provider.name.strip()))  # fmt: skip
    begeleider = client.begeleider
    if begeleider is None or not (begeleider.phone or begeleider.email):
        warn("begeleider_contact", "Actuele contactgegevens van de begeleider ontbreken.",
             PAGE_CLIENT, "client.begeleider")  # fmt: skip

    zrm = data.get("zrm") or {}
    unscored = [catalogue.domain(k).name for k in DOMAIN_KEYS if k not in zrm]
    check("zrm_scored", f"ZRM: nog te scoren: {', '.join(unscored)}.", PAGE_ZRM,
          "assessment.zrm", not unscored)  # fmt: skip
    no_reason = [
        catalogue.domain(k).name for k in DOMAIN_KEYS
        if k in zrm and zrm[k] is None and not (case.unscored_reasons.get(k) or "").strip()
    ]  # fmt: skip
    check("zrm_unscored_reasons",
          f"ZRM: reden ontbreekt bij niet gescoord: {', '.join(no_reason)}.", PAGE_ZRM,
          "unscored_reasons", not no_reason)  # fmt: skip

    for key in CRITERIA_KEYS:
        check(f"motivation.{key}",
              f"Motivering bij criterium {CRITERION_NUMBERS[key]} ontbreekt.", PAGE_CRITERIA,
              f"motivations.{key}", bool((case.motivations.get(key) or "").strip()))  # fmt: skip

    if advice is None:
        for n, text in enumerate(missing or ["het advies is nog niet compleet"]):
            check(f"advice.{n}", f"Voor het advies nog nodig: {text.rstrip('?.')}.",
                  _missing_page(text), "assessment", False)  # fmt: skip
    period = data.get("period") or {}
    start, end = _iso(period.get("start")), _iso(period.get("end"))
    too_long = bool(start and end and end > default_period_end(start))
    extension = (period.get("extension_motivation") or "").strip()
    check("period_motivation", "Periode langer dan een jaar zonder motivering.", PAGE_ADVICE,
          "assessment.period.extension_motivation", not too_long or bool(extension))  # fmt: skip
    if too_long and extension:
        check("period_motivation_length", _too_short("de langere periode", minimum),
              PAGE_ADVICE, "assessment.period.extension_motivation",
              not motivation_too_short(extension, rules))  # fmt: skip
    _deviation_checks(case, data, rules, check)
    if advice is not None:
        for warning in advice.warnings:
            if warning.code != "period_over_one_year":  # a check above
                warn(f"warning.{warning.code}", warning.message, _warning_page(warning.code),
                     "assessment")  # fmt: skip
        if advice.outcome == "ib_bw":
            check("results", "Kies minstens één te bereiken resultaat.", PAGE_RESULTS,
                  "results", bool(case.results))  # fmt: skip
            _motivation_warnings(case, data, warn)
        _transition_checks(case, advice, check, warn)

    check("reference", "Kenmerk ontbreekt (nodig voor de beschikking).", PAGE_FINISH,
          "reference", bool((case.reference or "").strip()))  # fmt: skip
    if not case.consultant_name.strip():
        warn("consultant", "Naam van de consulent ontbreekt (instellingen).", PAGE_FINISH,
             "consultant_name")  # fmt: skip
    return items


def _too_short(what: str, minimum: int) -> str:
    return f"Motivering bij {what} is te kort: schrijf waarom (minstens {minimum} tekens)."


def _deviation_checks(
    case: Case,
    data: dict[str, Any],
    rules: RuleConfig,
    check: Callable[[str, str, int, str, bool], None],
) -> None:
    """A deviation's motivation must say something: "x" does not pass. A blank one is
    already reported (the advice lists the IB-level motivation as missing; an opslag
    without its own motivation warns, the plan holds the reason)."""
    minimum = rules.motivation_min_chars
    override = data.get("ib_override")
    if isinstance(override, dict) and override.get("level"):
        text = (override.get("motivation") or "").strip()
        if text:
            check("motivation_length.ib_override", _too_short("het afwijkende IB-niveau",
                  minimum), PAGE_ADVICE, "assessment.ib_override.motivation",
                  not motivation_too_short(text, rules))  # fmt: skip
    opslag = data.get("opslag")
    if isinstance(opslag, dict) and opslag.get("reason"):
        text = (case.motivations.get("opslag") or "").strip()
        if text:
            check("motivation_length.opslag", _too_short("de opslag", minimum), PAGE_ADVICE,
                  "motivations.opslag", not motivation_too_short(text, rules))  # fmt: skip


def _motivation_warnings(
    case: Case, data: dict[str, Any], warn: Callable[[str, str, int, str], None]
) -> None:
    opslag = data.get("opslag")
    if (
        isinstance(opslag, dict)
        and opslag.get("reason")
        and not (case.motivations.get("opslag") or "").strip()
    ):
        warn("motivation.opslag", "Opslag zonder eigen motivering.", PAGE_ADVICE,
             "motivations.opslag")  # fmt: skip
    housing = data.get("huisvesting")
    if (
        isinstance(housing, dict)
        and housing.get("cannot_rent_independently")
        and housing.get("housing_via_provider")
        and not (case.motivations.get("huisvesting") or "").strip()
    ):
        warn("motivation.huisvesting", "Huisvesting zonder motivering.", PAGE_ADVICE,
             "motivations.huisvesting")  # fmt: skip


def _transition_checks(
    case: Case,
    advice: Any,
    check: Callable[[str, str, int, str, bool], None],
    warn: Callable[[str, str, int, str], None],
) -> None:
    """Gaps, overlaps and an early end inside the bezwaar term (core.transitions): the same
    findings that would make the beschikking refuse this decision, so a case never becomes
    definitief with a letter that cannot be made. A case without a decision date is judged
    as decided today (the date `finalise` gives it)."""
    from bwo_desktop.core.transitions import transition_warnings

    dated = case
    if case.decision_date is None:
        dated = dataclasses.replace(case, decision_date=dt.date.today())
    for finding in transition_warnings(dated, advice):
        if finding.blocks_definitief:
            check(f"transition.{finding.code}", finding.message, PAGE_ADVICE, finding.field, False)
        else:
            warn(f"transition.{finding.code}", finding.message, PAGE_ADVICE, finding.field)
