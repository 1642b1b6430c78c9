"""The `advise` JSON contract (advice-json.md): strict input parsing and the output shape.

`parse_assessment` validates completely before any rule runs and names the dotted field of
every problem; `advice_to_json` gives exactly the documented output. `advise_partial` is the
lenient variant for screens that show live advice while the consultant types.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bwo_desktop.core.advice import (
    CRITERIA_KEYS,
    OPSLAG_REASONS,
    Advice,
    Assessment,
    Criteria,
    HuisvestingInput,
    IbOverride,
    Opslag,
    advise,
    check_assessment,
)
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_money
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.strict_json import StrictObject, show
from bwo_desktop.core.strict_json import load_json_strict as load_json_strict
from bwo_desktop.core.tariffs import IB_LEVELS, TariffBook
from bwo_desktop.core.zrm import DOMAIN_KEYS, SUPPORT_FORMS

TOP_KEYS: tuple[str, ...] = (
    "assessment_date",
    "period",
    "zrm",
    "support_forms",
    "criteria",
    "ib_override",
    "opslag",
    "huisvesting",
    "support_plan_date",
    "has_debts",
)
PERIOD_KEYS: tuple[str, ...] = ("start", "end", "extension_motivation")
OVERRIDE_KEYS: tuple[str, ...] = ("level", "motivation")
OPSLAG_KEYS: tuple[str, ...] = ("reason", "start", "end", "motivated_in_plan")
HUISVESTING_KEYS: tuple[str, ...] = ("cannot_rent_independently", "housing_via_provider")


# --- strict assessment input ---------------------------------------------------------------


def _root(data: object, prefix: str) -> StrictObject:
    return StrictObject(data, "", prefix, root_name="invoer")


def _blank_to_none(text: str | None) -> str | None:
    return None if text is None or not text.strip() else text


def parse_assessment(data: object, *, field_prefix: str = "") -> Assessment:
    """The advise input as an Assessment; every problem is an InputError naming the dotted
    field (prefixed with `field_prefix`, e.g. "assessment." inside a case file)."""
    root = _root(data, field_prefix)
    root.only(TOP_KEYS)
    assessment_date = root.date("assessment_date", required=True)
    assert assessment_date is not None

    period = root.obj("period", required=True)
    assert period is not None
    period.only(PERIOD_KEYS)
    start = period.date("start", required=True)
    assert start is not None
    end = period.date("end", required=False)
    extension = _blank_to_none(period.text("extension_motivation", required=False))

    zrm_obj = root.obj("zrm", required=True)
    assert zrm_obj is not None
    zrm_obj.only(DOMAIN_KEYS)
    zrm: dict[str, int] = {}
    for key in DOMAIN_KEYS:
        score = zrm_obj.data.get(key)
        if score is None:
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise InputError(
                zrm_obj.name(key),
                f"score moet een geheel getal van 1 tot en met 5 zijn (of null), niet {show(score)}",
            )
        zrm[key] = score

    support_forms: dict[str, str] = {}
    forms_obj = root.obj("support_forms", required=False)
    if forms_obj is not None:
        forms_obj.only(DOMAIN_KEYS)
        for key in DOMAIN_KEYS:
            form = forms_obj.data.get(key)
            if form is None:
                continue
            if not isinstance(form, str) or form not in SUPPORT_FORMS:
                raise InputError(
                    forms_obj.name(key),
                    f"onbekende ondersteuningsvorm {show(form)} (kies uit {', '.join(SUPPORT_FORMS)})",
                )
            support_forms[key] = form

    crit_obj = root.obj("criteria", required=True)
    assert crit_obj is not None
    crit_obj.only(CRITERIA_KEYS)
    answers = [crit_obj.boolean(key, required=True) for key in CRITERIA_KEYS]
    criteria = Criteria(
        need_24_7=bool(answers[0]), can_postpone=bool(answers[1]), regular_ib_fits=bool(answers[2])
    )

    override: IbOverride | None = None
    ov_obj = root.obj("ib_override", required=False)
    if ov_obj is not None:
        ov_obj.only(OVERRIDE_KEYS)
        level = ov_obj.text("level", required=True)
        if level not in IB_LEVELS:
            raise InputError(ov_obj.name("level"), f"moet IB1, IB2 of IB3 zijn, niet {show(level)}")
        motivation = _blank_to_none(ov_obj.text("motivation", required=False))
        if motivation is None:
            raise InputError(
                ov_obj.name("motivation"),
                "een afwijkend IB-niveau vraagt een motivering (niet leeg)",
            )
        assert level is not None
        override = IbOverride(level=level, motivation=motivation)

    opslag: Opslag | None = None
    op_obj = root.obj("opslag", required=False)
    if op_obj is not None:
        op_obj.only(OPSLAG_KEYS)
        reason = op_obj.text("reason", required=True)
        if reason not in OPSLAG_REASONS:
            raise InputError(
                op_obj.name("reason"),
                f"onbekende reden {show(reason)} (kies uit {', '.join(OPSLAG_REASONS)})",
            )
        assert reason is not None
        o_start = op_obj.date("start", required=False)
        o_end = op_obj.date("end", required=False)
        motivated = op_obj.boolean("motivated_in_plan", required=True)
        opslag = Opslag(reason=reason, motivated_in_plan=bool(motivated), start=o_start, end=o_end)

    huisvesting: HuisvestingInput | None = None
    hv_obj = root.obj("huisvesting", required=False)
    if hv_obj is not None:
        hv_obj.only(HUISVESTING_KEYS)
        cannot_rent = hv_obj.boolean("cannot_rent_independently", required=True)
        via_provider = hv_obj.boolean("housing_via_provider", required=True)
        huisvesting = HuisvestingInput(bool(cannot_rent), bool(via_provider))

    plan_date = root.date("support_plan_date", required=False)
    has_debts = bool(root.boolean("has_debts", required=False))

    assessment = Assessment(
        assessment_date=assessment_date,
        period_start=start,
        period_end=end,
        extension_motivation=extension,
        zrm=zrm,
        support_forms=support_forms,
        criteria=criteria,
        ib_override=override,
        opslag=opslag,
        huisvesting=huisvesting,
        support_plan_date=plan_date,
        has_debts=has_debts,
    )
    check_assessment(assessment, field_prefix)
    return assessment


def assessment_to_json(a: Assessment) -> dict[str, Any]:
    """The Assessment in the input shape; `parse_assessment` reads it back to an equal value."""
    period: dict[str, Any] = {"start": a.period_start.isoformat()}
    if a.period_end is not None:
        period["end"] = a.period_end.isoformat()
    if a.extension_motivation is not None:
        period["extension_motivation"] = a.extension_motivation
    opslag: dict[str, Any] | None = None
    if a.opslag is not None:
        opslag = {"reason": a.opslag.reason}
        if a.opslag.start is not None:
            opslag["start"] = a.opslag.start.isoformat()
        if a.opslag.end is not None:
            opslag["end"] = a.opslag.end.isoformat()
        opslag["motivated_in_plan"] = a.opslag.motivated_in_plan
    return {
        "assessment_date": a.assessment_date.isoformat(),
        "period": period,
        "zrm": {key: a.zrm.get(key) for key in DOMAIN_KEYS},
        "support_forms": {
            key: a.support_forms[key] for key in DOMAIN_KEYS if key in a.support_forms
        },
        "criteria": {
            "need_24_7": a.criteria.need_24_7,
            "can_postpone": a.criteria.can_postpone,
            "regular_ib_fits": a.criteria.regular_ib_fits,
        },
        "ib_override": (
            None
            if a.ib_override is None
            else {"level": a.ib_override.level, "motivation": a.ib_override.motivation}
        ),
        "opslag": opslag,
        "huisvesting": (
            None
            if a.huisvesting is None
            else {
                "cannot_rent_independently": a.huisvesting.cannot_rent_independently,
                "housing_via_provider": a.huisvesting.housing_via_provider,
            }
        ),
        "support_plan_date": None
        if a.support_plan_date is None
        else a.support_plan_date.isoformat(),
        "has_debts": a.has_debts,
    }


# --- output --------------------------------------------------------------------------------


def advice_to_json(advice: Advice) -> dict[str, Any]:
    """Exactly the Output table of advice-json.md, keys in the documented order."""
    return {
        "outcome": advice.outcome,
        "ib_level": advice.ib_level,
        "recommended_ib_level": advice.recommended_ib_level,
        "period": {"start": advice.period_start.isoformat(), "end": advice.period_end.isoformat()},
        "lines": [
            {
                "code": line.code,
                "days": line.days,
                "weekly": format_money(line.weekly),
                "amount": format_money(line.amount),
            }
            for line in advice.lines
        ],
        "weekly_total": format_money(advice.weekly_total),
        "period_total": format_money(advice.period_total),
        "warnings": [{"code": w.code, "message": w.message} for w in advice.warnings],
        "explanation": list(advice.explanation),
    }


def advice_json_text(advice: Advice) -> str:
    """The command's stdout text: one JSON object, indent 2, non-ASCII kept."""
    return json.dumps(advice_to_json(advice), indent=2, ensure_ascii=False) + "\n"


# --- lenient: live advice while typing -----------------------------------------------------

CRITERIA_QUESTIONS: dict[str, str] = {
    "need_24_7": "criterium: heeft de cliënt 24/7 (on)planbare ondersteuning nodig?",
    "can_postpone": "criterium: kan de cliënt de ondersteuningsvraag kortdurend uitstellen?",
    "regular_ib_fits": "criterium: biedt reguliere individuele begeleiding passende ondersteuning?",
}


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def advise_partial(
    data: Mapping[str, Any], tariffs: TariffBook, rules: RuleConfig
) -> tuple[Advice | None, list[str]]:
    """Live advice for a draft assessment in the JSON input shape.

    Returns (advice, []) when the draft is complete and valid. Otherwise (None, items): the
    Dutch list of what is still missing (unanswered criteria, dates, ...) or, when everything
    is there but something is invalid, the one error line. Empty draft parts are tolerated:
    a missing `zrm` counts as all unscored, an override without level is ignored.
    """
    missing: list[str] = []
    draft: dict[str, Any] = {k: v for k, v in data.items() if v is not None}

    if not _present(draft.get("assessment_date")):
        missing.append("datum van het gesprek")
    period = draft.get("period")
    period = dict(period) if isinstance(period, Mapping) else {}
    if not _present(period.get("start")):
        missing.append("startdatum van de periode")
    if not _present(period.get("end")):
        period.pop("end", None)
    draft["period"] = period

    criteria = draft.get("criteria")
    criteria = dict(criteria) if isinstance(criteria, Mapping) else {}
    for key in CRITERIA_KEYS:
        if criteria.get(key) is None:
            missing.append(CRITERIA_QUESTIONS[key])
    draft["criteria"] = criteria
    if draft.get("zrm") is None:
        draft["zrm"] = {}

    override = draft.get("ib_override")
    if isinstance(override, Mapping):
        if not _present(override.get("level")):
            draft.pop("ib_override")
        elif not _present(override.get("motivation")):
            missing.append("motivering voor het afwijkende IB-niveau")

    opslag = draft.get("opslag")
    if isinstance(opslag, Mapping):
        opslag = {k: v for k, v in opslag.items() if _present(v)}
        if not opslag:
            draft.pop("opslag")
        else:
            if "reason" not in opslag:
                missing.append("reden van de opslag")
            if "motivated_in_plan" not in opslag:
                missing.append("opslag: staat de motivering in het ondersteuningsplan?")
            draft["opslag"] = opslag

    huisvesting = draft.get("huisvesting")
    if isinstance(huisvesting, Mapping):
        if huisvesting.get("cannot_rent_independently") is None:
            missing.append("huisvesting: kan de cliënt nog niet zelfstandig huren?")
        if huisvesting.get("housing_via_provider") is None:
            missing.append("huisvesting: loopt de huisvesting via de aanbieder?")

    if missing:
        return None, missing
    try:
        assessment = parse_assessment(draft)
        return advise(assessment, tariffs, rules), []
    except InputError as exc:
        return None, [str(exc)]
