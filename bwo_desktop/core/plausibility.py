"""Plausibility of what a person or a file says about a case (issues 12 and 14), in one
place: the case files, the advise input, the planning import and the readiness checklist
of the editor use these, so "impossible" means the same everywhere.

Each function returns a Dutch problem text, or None when the value is plausible."""

from __future__ import annotations

import datetime as dt
import re

EARLIEST_DATE = dt.date(2000, 1, 1)  # no herindicatie, plan or period before this
LATEST_DATE = dt.date(2100, 12, 31)
MIN_AGE, MAX_AGE = 16, 120  # Beschermd Wonen: adolescents and adults
# Kenmerk: BWO-<year>-<device>-<sequence> when generated; letters, digits and single dashes
# only, so it can never carry a path or control characters into a file name or a log line.
REFERENCE = re.compile(r"^BWO-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")
MAX_REFERENCE_CHARS = 60


def date_problem(day: dt.date) -> str | None:
    """A date of the case (conversation, period, plan, decision) outside 2000-2100."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"{day.isoformat()} ligt niet tussen 2000 en 2100"
    return None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_problem(birth: dt.date, on: dt.date) -> str | None:
    """A birth date in the future, or an age outside 16-120 on `on` (the conversation date,
    else today)."""
    if birth > on:
        return f"de geboortedatum {birth.isoformat()} ligt in de toekomst"
    age = age_on(birth, on)
    if not MIN_AGE <= age <= MAX_AGE:
        return (
            f"de geboortedatum {birth.isoformat()} geeft een leeftijd van {age} jaar; "
            f"dat kan niet (tussen {MIN_AGE} en {MAX_AGE})"
        )
    return None


def reference_problem(reference: str) -> str | None:
    if len(reference) > MAX_REFERENCE_CHARS or not REFERENCE.match(reference):
        return (
            "een kenmerk heeft de vorm BWO-<jaar>-<code>-<nummer> (letters, cijfers en streepjes)"
        )
    return None
