"""Every beschikking of the expert case files and of a demo database obeys the letter rules.

Read back from the PDF (pypdf): refusals carry dates, an early end names its ground, no code,
English or third-person text, metadata without the client's name, the address inside the
envelope window.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import CASEFILES, advice_for, case_named, pdf_text
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from bwo_desktop.core.advice import Advice
from bwo_desktop.core.case import Address, Case
from bwo_desktop.core.casefile import check_ready_for_beschikking
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.transitions import ends_early
from bwo_desktop.exports import pdf_common as pc
from bwo_desktop.exports.beschikking import FIRST_TOP, normalise_postcode, render_beschikking

# Codes, English and wording a client letter must never show.
FORBIDDEN = (
    "IB1_opslag",
    "IB2_opslag",
    "IB3_opslag",
    "huishoudelijke_kosten",
    "life event",
    "De cliënt",
    "× per week",
    "1 stuk per week",
    "Uw consulent bespreekt",
    "niet onmogelijk",
    "niet geen",
)
GRANT_ONLY = "terugvorderen"


def _check_letter(case: Case, advice: Advice, path: Path) -> None:
    pages = pdf_text(path)
    text = " ".join(pages)
    for word in FORBIDDEN:
        assert word not in text, f"{case.reference}: {word!r}"
    assert "maatwerkvoorziening" in text and "Wmo 2015" in text, case.reference
    assert "onderzoeksverslag" in text and "cliëntondersteuner" in text, case.reference
    assert "Bel dan eerst uw consulent" in text, case.reference
    assert "Dit besluit geldt vanaf" in text, case.reference  # every letter, refusals too
    if advice.outcome != "ib_bw":
        assert GRANT_ONLY not in text, case.reference
        assert "Na " in text or "geen indicatie" in text, case.reference
    if ends_early(case, advice):
        assert "stopt eerder dan gepland" in text and "artikel 2.3.10" in text, case.reference
    reader = PdfReader(str(path))
    meta = reader.metadata or {}
    for value in meta.values():
        assert case.client.last_name not in str(value), (case.reference, value)
    _check_address_window(reader, case)


def _check_address_window(reader: PdfReader, case: Case) -> None:
    """Every text run in the address band starts at the left margin and ends in the window."""
    top = pc.PAGE_HEIGHT - FIRST_TOP
    band: list[tuple[float, str, float]] = []

    def visit(text: str, _cm: Any, tm: Any, _font: Any, size: float) -> None:
        if text.strip() and top - 40 * pc.mm < tm[5] <= top + 2:
            band.append((tm[4], text, size))

    reader.pages[0].extract_text(visitor_text=visit)
    assert band, case.reference
    right = pc.MARGIN_LEFT + pc.ADDRESS_WINDOW_WIDTH
    for x, text, size in band:
        if x > pc.PAGE_WIDTH / 2:
            continue  # the letterhead's right column ends higher up
        width = stringWidth(text.rstrip("\n"), pc.FONT, size or 10)
        assert x + width <= right + 1, (case.reference, text)


@pytest.mark.parametrize("name", sorted(p.stem for p in CASEFILES.glob("*.json")))
def test_expert_case_letters_obey_the_rules(name: str, organisation: Any, tmp_path: Path) -> None:
    case = case_named(name)
    advice = advice_for(case)
    out = render_beschikking(case, advice, organisation, tmp_path / f"{name}.pdf")
    _check_letter(case, advice, out)


def test_refusals_state_dates_and_the_route(organisation: Any, tmp_path: Path) -> None:
    for name, route in (("regular_ib", "IB AV regio"), ("intramural", "CIZ")):
        text = " ".join(
            pdf_text(
                render_beschikking(
                    case_named(name),
                    advice_for(case_named(name)),
                    organisation,
                    tmp_path / f"{name}.pdf",
                )
            )
        )
        assert "Dit besluit geldt vanaf 1 januari 2027" in text, name
        assert "Na 31 december 2026 krijgt u geen Beschermd Wonen extramuraal meer" in text
        assert route in text and "terugvorderen" not in text, name


def test_long_address_wraps_inside_the_window(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("ib_bw_minimal"))
    case.client.address = Address(
        "Burgemeester Doctor Jacob Hendrik Gerard van Oldenbarneveltstraat",
        "1234 bis",
        "3311ab",
        "Dordrecht",
    )
    out = render_beschikking(case, advice_for(case), organisation, tmp_path / "long.pdf")
    assert "3311 AB" in pdf_text(out)[0]
    _check_address_window(PdfReader(str(out)), case)


def test_postcodes_are_normalised() -> None:
    assert normalise_postcode("3311ab") == "3311 AB"
    assert normalise_postcode(" 3311  AB ") == "3311 AB"
    assert normalise_postcode("B-2000") == "B-2000"  # not Dutch: as typed


def test_pgb_letter_states_amounts_svb_and_duration(organisation: Any, tmp_path: Path) -> None:
    case = case_named("ib_bw_pgb")
    advice = advice_for(case)
    text = " ".join(pdf_text(render_beschikking(case, advice, organisation, tmp_path / "p.pdf")))
    assert "per week. Dat is € " in text and "voor de hele periode" in text
    assert "Sociale Verzekeringsbank (SVB)" in text and "zorgovereenkomst" in text
    assert "toewijzing" not in text  # the zin-only sentence is left out


def test_refused_huisvesting_gets_its_own_reason(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    assert case.assessment is not None
    case.assessment["huisvesting"] = {
        "cannot_rent_independently": False,
        "housing_via_provider": True,
    }
    text = " ".join(
        pdf_text(render_beschikking(case, advice_for(case), organisation, tmp_path / "h.pdf"))
    )
    assert "U krijgt het onderdeel huisvesting niet. U kunt zelf een woning huren." in text


def test_period_over_one_year_without_motivation_is_refused(
    organisation: Any, tmp_path: Path
) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    assert case.assessment is not None
    del case.assessment["period"]["extension_motivation"]
    with pytest.raises(InputError, match="extension_motivation"):
        render_beschikking(case, advice_for(case), organisation, tmp_path / "x.pdf")


def test_demo_database_letters_obey_the_rules(organisation: Any, tmp_path: Path) -> None:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.demo import DEMO_PASSPHRASE, generate

    rendered = refused = 0
    with open_database(tmp_path / "demo.db", DEMO_PASSPHRASE, create=True) as db:
        generate(db, 200, seed=5, today=dt.date(2026, 11, 22))
        service = CaseService(db)
        for summary in service.list_summaries():
            case = service.get(summary.id)
            if case.assessment is None or case.status == "planned":
                continue
            try:
                advice = advice_for(case)
            except InputError:
                continue  # a concept still being filled in: no letter yet
            try:
                check_ready_for_beschikking(case, advice)
            except InputError:
                continue
            try:
                out = render_beschikking(case, advice, organisation, tmp_path / "d.pdf")
            except InputError as exc:
                # Only the bezwaar rules may refuse a definitief demo case, with a field.
                assert exc.field.startswith(("motivations.", "assessment.")), exc
                refused += 1
                continue
            _check_letter(case, advice, out)
            rendered += 1
    print(f"demo letters: {rendered} rendered, {refused} refused by the bezwaar rules")
    assert rendered >= 20, (rendered, refused)


def test_bewindvoerder_gets_no_copy_of_a_zin_decision(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    assert case.representative is not None
    case.representative.role = "bewindvoerder"
    text = " ".join(
        pdf_text(render_beschikking(case, advice_for(case), organisation, tmp_path / "b.pdf"))
    )
    assert "Geachte heer Yılmaz-Doğan," in text  # the client is the addressee
    assert "Afschrift aan" not in text and "Çelik" not in text  # no health details to money


def test_mentor_is_the_addressee_and_the_client_gets_a_copy(
    organisation: Any, tmp_path: Path
) -> None:
    case = case_named("ib_bw_full")  # role "bewindvoerder en mentor"
    pages = pdf_text(render_beschikking(case, advice_for(case), organisation, tmp_path / "m.pdf"))
    assert "Geachte mr. R. Çelik," in pages[0]
    assert "Afschrift aan: De heer Ş. Yılmaz-Doğan" in pages[-1]
