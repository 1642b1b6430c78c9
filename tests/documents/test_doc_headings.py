"""Headings keep with what follows: no page of a beschikking or an onderzoeksverslag ends with
a heading (issue 13). Read back from the PDFs of the case files and the expert cases; the
heading texts come from the letter resources."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import CASEFILES, advice_for, case_named, previous_of
from pypdf import PdfReader

from bwo_desktop.core.advice import Advice
from bwo_desktop.core.assessment_json import advice_to_json, load_json_strict
from bwo_desktop.core.case import Case
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.resources import resource_path
from bwo_desktop.core.tariffs import tariff_table_to_dict
from bwo_desktop.exports import pdf_common as pc
from bwo_desktop.exports.beschikking import render_beschikking
from bwo_desktop.exports.letters import load_letter_texts
from bwo_desktop.exports.verslag import render_onderzoeksverslag

EXPERT_CASES = Path(__file__).parent.parent / "cases" / "advise"
_NUMBER = re.compile(r"^\d+\.\s+")


def headings() -> set[str]:
    """Every heading and subheading text of the letters, as they are in the resources."""
    found: set[str] = set()
    for path in resource_path("letters").glob("*.toml"):
        texts = load_letter_texts(path.stem, use_user_dir=False)
        found |= {text for key, text in texts.texts.items() if key.startswith("heading.")}
    return found


def page_last_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(page number, the lowest line of text above the footer) of every page but the last.

    The footer, the banners and the diagonal DEMO/CONCEPT marks are left out by position and
    rotation; the runs of the lowest line (cells of a table row) are joined."""
    pages = PdfReader(str(path)).pages
    for number, page in enumerate(pages[:-1], start=1):
        runs: list[tuple[float, float, str]] = []
        page.extract_text(visitor_text=_collector(runs))
        if runs:
            lowest = min(y for y, _x, _t in runs)
            line = " ".join(t for y, _x, t in sorted(runs, key=lambda r: r[1]) if y == lowest)
            yield number, _NUMBER.sub("", line)


def _collector(runs: list[tuple[float, float, str]]) -> Any:
    """A pypdf text visitor that keeps (y, x, text) of the runs in the text area."""

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: float) -> None:
        y = tm[5] * cm[3] + cm[5]
        x = tm[4] * cm[0] + cm[4]
        rotated = abs(tm[1]) > 1e-6 or abs(cm[1]) > 1e-6
        if text.strip() and not rotated and pc.MARGIN_BOTTOM - 3 < y < pc.PAGE_HEIGHT - 8 * pc.mm:
            runs.append((round(y), x, text.strip()))

    return visit


def expert_case(path: Path) -> tuple[Case, Advice]:
    """An expert case (tests/cases/advise) as a decided case of the ib_bw_full client."""
    from bwo_desktop.core.advice import advise
    from bwo_desktop.core.assessment_json import parse_assessment
    from bwo_desktop.core.rules import default_rules
    from bwo_desktop.core.tariffs import load_tariff_book

    spec: dict[str, Any] = load_json_strict(path.read_text(encoding="utf-8"), str(path))
    book = load_tariff_book([path.parent / t for t in spec.get("tariffs", [])], user_folder=None)
    advice = advise(parse_assessment(spec["input"]), book, default_rules())
    tables = list(advice.tariffs_used) or book.tables_between(
        advice.period_start, advice.period_end
    )
    case = copy.deepcopy(case_named("ib_bw_full"))
    case.assessment = spec["input"]
    case.decision = advice_to_json(advice)
    case.tariffs_used = [tariff_table_to_dict(t) for t in tables]
    return case, advice


def _letters(case: Case, advice: Advice, organisation: Any, folder: Path) -> Iterator[Path]:
    try:
        beschikking: Path | None = render_beschikking(case, advice, organisation, folder / "b.pdf")
    except InputError:
        beschikking = None  # a case the bezwaar rules refuse has no beschikking
    if beschikking is not None:
        yield beschikking
    copies = ["client", "internal"]
    if case.conversation.consent_share_report is True:
        copies.append("provider")
    for copy_for in copies:
        yield render_onderzoeksverslag(
            case,
            advice,
            organisation,
            folder / f"v-{copy_for}.pdf",
            previous=previous_of(case),
            copy_for=copy_for,
        )


def _check(case: Case, advice: Advice, organisation: Any, folder: Path) -> int:
    known = headings()
    pages = 0
    for path in _letters(case, advice, organisation, folder):
        for number, last in page_last_lines(path):
            pages += 1
            assert last not in known, f"{path.name} page {number} ends with heading {last!r}"
    return pages


def test_the_headings_are_found() -> None:
    known = headings()
    assert {"Ons besluit", "Klopt dit verslag?", "Het gesprek", "Signalen"} <= known


def test_a_heading_at_the_foot_of_a_page_is_detected(tmp_path: Path) -> None:
    """The check itself: a page that does end with a heading is caught."""
    from reportlab.platypus import PageBreak

    out = tmp_path / "h.pdf"
    story = [pc.para("Tekst."), pc.para("Ons besluit", pc.styles().heading), PageBreak()]
    pc.build_document(
        out, [*story, pc.para("Meer.")], title="t", author="a", subject="s",
        footer_left="voet", demo=True,
    )  # fmt: skip
    assert list(page_last_lines(out)) == [(1, "Ons besluit")]


@pytest.mark.parametrize("name", sorted(p.stem for p in CASEFILES.glob("*.json")))
def test_case_file_letters_keep_headings_with_their_text(
    name: str, organisation: Any, tmp_path: Path
) -> None:
    case = case_named(name)
    assert _check(case, advice_for(case), organisation, tmp_path) > 0


def _decided_expert_cases() -> list[Path]:
    return [
        p
        for p in sorted(EXPERT_CASES.glob("*.json"))
        if "error" not in json.loads(p.read_text(encoding="utf-8"))["expected"]
    ]


def test_expert_cases_are_eighteen() -> None:
    assert len(_decided_expert_cases()) == 18


@pytest.mark.parametrize("path", _decided_expert_cases(), ids=lambda p: p.stem)
def test_expert_case_letters_keep_headings_with_their_text(
    path: Path, organisation: Any, tmp_path: Path
) -> None:
    case, advice = expert_case(path)
    assert _check(case, advice, organisation, tmp_path) > 0


@pytest.mark.parametrize("name", ["ib_bw_full", "ib_bw_long"])
@pytest.mark.parametrize("extra", [4, 8, 16, 24])
def test_headings_keep_with_their_text_wherever_the_page_breaks(
    name: str, extra: int, organisation: Any, tmp_path: Path
) -> None:
    """A longer ZRM motivation moves every later heading down line by line, so a heading
    meets the foot of a page; it must go to the next page with its first text (in the long
    case "Criteria" stood alone above a criteria table whose first row is tall)."""
    case = copy.deepcopy(case_named(name))
    filler = " ".join(["De consulent licht dit verder toe."] * extra)
    case.motivations["zrm"] = f"{case.motivations.get('zrm', '')} {filler}".strip()
    assert _check(case, advice_for(case), organisation, tmp_path) > 0
