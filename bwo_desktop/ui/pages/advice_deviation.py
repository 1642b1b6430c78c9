"""The advice beside the consultant's deviation from it (another IB level, an opslag): the
recommendation stays on screen while the deviation is not yet complete, with one line
like "Advies IB3 — uw keuze IB2: motiveer" (issue 14); and the question to check a period
start the program could only guess. No widgets: texts for the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bwo_desktop.core.advice import OPSLAG_REASONS
from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.core.readiness import motivation_minimum, motivation_too_short
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.strict_json import iso_date_or_none


def _rules_of(ctx: Any) -> RuleConfig | None:
    return ctx.rules if isinstance(ctx.rules, RuleConfig) else None


def recommendation(ctx: Any) -> Any:
    """The advice on the draft WITHOUT the consultant's IB level and opslag: what the
    program recommends, also while a deviation still lacks its motivation or its answers.
    None when there is no deviation or the rest of the draft is incomplete too."""
    from bwo_desktop.core.assessment_json import advise_partial

    data = dict(ctx.case.assessment or {})
    if not (data.get("ib_override") or data.get("opslag")):
        return None
    data["ib_override"] = None
    data["opslag"] = None
    try:
        advice, _missing = advise_partial(data, ctx.tariffs, ctx.rules)
    except Exception:  # a draft the engine cannot read yet: no recommendation to show
        return None
    return advice


def deviation_lines(ctx: Any, shown: Any) -> list[str]:
    """One line per deviation from `shown` (the advice or the recommendation), ending in
    "motiveer" while its motivation has no real content (core.readiness)."""
    if shown is None or shown.outcome != "ib_bw":
        return []
    rules = _rules_of(ctx)
    data = ctx.case.assessment or {}
    lines: list[str] = []
    override = data.get("ib_override")
    if isinstance(override, dict) and override.get("level"):
        level, advised = override["level"], shown.recommended_ib_level
        if level != advised:
            short = motivation_too_short(override.get("motivation"), rules)
            lines.append(
                f"Advies {advised} — uw keuze {level}: " + ("motiveer" if short else "gemotiveerd")
            )
    opslag = data.get("opslag")
    if isinstance(opslag, dict) and opslag.get("reason") in OPSLAG_REASONS:
        short = motivation_too_short(ctx.case.motivations.get("opslag"), rules)
        lines.append(
            f"Advies zonder opslag — uw keuze: opslag bij {OPSLAG_REASONS[opslag['reason']]}: "
            + ("motiveer" if short else "gemotiveerd")
        )
    return lines


def motivation_message(text: str | None, ctx: Any, *, required: bool) -> str | None:
    """The inline message under a deviation's motivation field, or None when it is fine."""
    rules = _rules_of(ctx)
    if not (text or "").strip():
        return "Motivering verplicht bij afwijken van het advies." if required else None
    if motivation_too_short(text, rules):
        return f"Motivering te kort: schrijf waarom (minstens {motivation_minimum(rules)} tekens)."
    return None


def guessed_start_question(ctx: Any) -> str | None:
    """When the period start is the conversation date because the current indication's end
    is unknown (or lies before the conversation), `prepare_draft` filled it in as a guess:
    ask the consultant to check it. None when the start follows from the known end."""
    data = ctx.case.assessment or {}
    start = iso_date_or_none((data.get("period") or {}).get("start"))
    conversation = iso_date_or_none(data.get("assessment_date"))
    if start is None or start != conversation:
        return None
    current = ctx.case.current_indication
    end = current.end_date if current is not None else None
    if end is not None and end + dt.timedelta(days=1) == start:
        return None
    why = (
        "de einddatum van de huidige indicatie is onbekend"
        if end is None
        else f"de huidige indicatie liep al af op {format_date_short(end)}"
    )
    return (
        f"Startdatum {format_date_short(start)} is de datum van het gesprek: {why}. "
        "Controleer de startdatum (bijvoorbeeld de dag na het einde van de huidige indicatie)."
    )
