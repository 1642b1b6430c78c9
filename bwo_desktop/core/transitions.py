"""How a new decision meets the running indication: early ends, gaps, overlaps, notice, blockers.

Pure decision logic the beschikking states and the readiness checklist uses. Dates follow
the Awb and the Wmo 2015: ending or lowering a running indication early is a revision (Wmo
2015 art. 2.3.10) and takes effect no sooner than the bezwaar term (six weeks, Awb 6:7)
after the letter date, unless the consultant motivates a shorter term
(`motivations.transition`). A gap between the current indication and the new period leaves
the client without support and needs a motivation (`motivations.gap`) before definitief.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bwo_desktop.core.advice import Advice, Assessment
from bwo_desktop.core.case import Case
from bwo_desktop.core.formatting import format_date_nl
from bwo_desktop.core.periods import ONE_DAY, is_over_one_year, months_back

BEZWAAR_TERM = dt.timedelta(weeks=6)
PLAN_MAX_AGE_MONTHS = 6
TRANSITION_MOTIVATION = "transition"
GAP_MOTIVATION = "gap"


@dataclass(frozen=True)
class TransitionWarning:
    """One finding: `code` for programs, `field` the case field that mends it, a Dutch message.

    `blocks_definitief`: the decision cannot become definitief (nor a beschikking) while the
    finding stands.
    """

    code: str
    field: str
    message: str
    blocks_definitief: bool


def _motivated(case: Case, key: str) -> bool:
    return bool(case.motivations.get(key, "").strip())


def transition_last_day(case: Case, advice: Advice) -> dt.date | None:
    """The last day of the current indication when this decision ends or shortens it.

    Outcomes other than ib_bw end the BW indication: it runs up to the day before the new
    period starts, or to its own end date when that comes first (a decision never extends
    it). An ib_bw decision that starts before the current indication would have ended (or
    while it has no end date) replaces it early, on the day before the new period starts.
    """
    current = case.current_indication
    if current is None:
        return None
    last = advice.period_start - ONE_DAY
    if advice.outcome != "ib_bw":
        if current.end_date is not None and current.end_date < last:
            return current.end_date
        return last
    if current.end_date is None or current.end_date > last:
        return last
    return None


def ends_early(case: Case, advice: Advice) -> bool:
    """True when this decision ends the running indication before its own end date."""
    current = case.current_indication
    last = transition_last_day(case, advice)
    if current is None or last is None:
        return False
    return current.end_date is None or last < current.end_date


def decision_start(case: Case, advice: Advice) -> dt.date:
    """The ingangsdatum of the decision: the day after the current indication's last day,
    else the start of the new period (a refusal has one too)."""
    last = transition_last_day(case, advice)
    return last + ONE_DAY if last is not None else advice.period_start


def earliest_transition_date(decision_date: dt.date) -> dt.date:
    """The first day a running indication may be ended or lowered without a motivation:
    six weeks (the bezwaar term) after the letter date."""
    return decision_date + BEZWAAR_TERM


def gap_days(case: Case, advice: Advice) -> int:
    """Days without support between the current indication's end and the new period (ib_bw)."""
    current = case.current_indication
    if advice.outcome != "ib_bw" or current is None or current.end_date is None:
        return 0
    return max(0, (advice.period_start - current.end_date).days - 1)


def transition_warnings(case: Case, advice: Advice) -> list[TransitionWarning]:
    """Gaps, overlaps and short notice between the current indication and the new decision.

    For the readiness checklist: a finding with `blocks_definitief` needs the motivation
    named in `field` before the decision can become definitief.
    """
    found: list[TransitionWarning] = []
    current = case.current_indication
    if current is None:
        return found
    gap = gap_days(case, advice)
    if gap:
        assert current.end_date is not None
        found.append(
            TransitionWarning(
                "gap",
                f"motivations.{GAP_MOTIVATION}",
                f"Tussen het einde van de huidige indicatie ({format_date_nl(current.end_date)}) "
                f"en de nieuwe periode ({format_date_nl(advice.period_start)}) zit {gap} "
                f"{'dag' if gap == 1 else 'dagen'} zonder ondersteuning; motiveer dit.",
                not _motivated(case, GAP_MOTIVATION),
            )
        )
    if ends_early(case, advice):
        last = transition_last_day(case, advice)
        assert last is not None
        planned = format_date_nl(current.end_date) if current.end_date else "zonder einddatum"
        found.append(
            TransitionWarning(
                "overlap" if advice.outcome == "ib_bw" else "early_end",
                "current_indication.end_date",
                f"De huidige indicatie (tot {planned}) stopt eerder: de laatste dag wordt "
                f"{format_date_nl(last)}.",
                False,
            )
        )
        if case.decision_date is not None:
            earliest = earliest_transition_date(case.decision_date)
            if last + ONE_DAY < earliest and not _motivated(case, TRANSITION_MOTIVATION):
                found.append(
                    TransitionWarning(
                        "short_notice",
                        f"motivations.{TRANSITION_MOTIVATION}",
                        f"De overgangsdatum {format_date_nl(last + ONE_DAY)} ligt binnen de "
                        f"bezwaartermijn van zes weken; kies op zijn vroegst "
                        f"{format_date_nl(earliest)} of motiveer de kortere termijn.",
                        True,
                    )
                )
    return found


def plan_outdated(assessment: Assessment) -> bool:
    """The support plan is older than six months at the assessment date (or missing)."""
    plan = assessment.support_plan_date
    if plan is None:
        return False
    return plan < months_back(assessment.assessment_date, PLAN_MAX_AGE_MONTHS)


def beschikking_problems(
    case: Case, advice: Advice, assessment: Assessment
) -> list[TransitionWarning]:
    """Everything that keeps this decision from a beschikking that would hold in bezwaar.

    Blocking findings first: a period over one year without a motivation, a gap without a
    motivation, an early end inside the bezwaar term without a motivation. An opslag the
    plan does not motivate and an outdated support plan do not block: the letter passes
    them on to the provider (see `provider_tasks`).
    """
    found = [w for w in transition_warnings(case, advice) if w.blocks_definitief]
    if (
        advice.outcome == "ib_bw"
        and is_over_one_year(advice.period_start, advice.period_end)
        and not assessment.extension_motivation
    ):
        found.insert(
            0,
            TransitionWarning(
                "period_over_one_year",
                "assessment.extension_motivation",
                "De periode is langer dan één jaar; motiveer waarom.",
                True,
            ),
        )
    return found


def provider_tasks(case: Case, advice: Advice, assessment: Assessment) -> list[str]:
    """What the letter tells the provider to do: "opslag_plan" (the plan must motivate the
    opslag) and "plan_update" (the plan is older than six months), unless motivated."""
    if advice.outcome != "ib_bw":
        return []
    tasks: list[str] = []
    opslag = assessment.opslag
    if opslag is not None and not opslag.motivated_in_plan and not _motivated(case, "opslag"):
        tasks.append("opslag_plan")
    if plan_outdated(assessment):
        tasks.append("plan_update")
    return tasks
