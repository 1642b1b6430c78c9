"""Helpers for the document tests: the case-file fixtures as cases, their advice, PDF text."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from bwo_desktop.core.advice import Advice, advise
from bwo_desktop.core.case import Case
from bwo_desktop.core.casefile import load_case_file
from bwo_desktop.core.rules import default_rules

CASEFILES = Path(__file__).resolve().parent.parent / "cases" / "casefiles"


def casefile_data(name: str) -> dict[str, Any]:
    return json.loads((CASEFILES / f"{name}.json").read_text(encoding="utf-8"))


def case_named(name: str) -> Case:
    return load_case_file(CASEFILES / f"{name}.json")


def advice_for(case: Case) -> Advice:
    from bwo_desktop.commands.beschikking import tariff_book_for_case
    from bwo_desktop.exports.beschikking import parse_case_assessment

    book = tariff_book_for_case(case.tariffs_used, [], None)
    return advise(parse_case_assessment(case), book, default_rules())


def previous_of(case: Case) -> Case:
    """An earlier herindicatie of the same client, a year before, with other scores."""
    data = json.loads(json.dumps(copy.deepcopy(case.assessment)))
    data["assessment_date"] = "2025-12-01"
    data["period"] = {"start": "2026-01-01"}
    data["opslag"] = None
    data["zrm"].update(
        {"financien": 1, "huisvesting": 3, "sociaal_netwerk": 2, "middelengebruik": 3}
    )
    prev = copy.deepcopy(case)
    prev.assessment = data
    prev.reference = "BWO-2025-A7-000077"
    return prev


def pdf_text(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed (line breaks become spaces)."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]
