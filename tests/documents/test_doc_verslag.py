"""The onderzoeksverslag: contents, amounts, previous scores, and the consent rule."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text, previous_of
from pypdf import PdfReader

from bwo_desktop.core.errors import InputError
from bwo_desktop.exports.verslag import render_onderzoeksverslag


@pytest.fixture
def report(organisation: Any, tmp_path: Path) -> tuple[Path, list[str], str]:
    case = case_named("ib_bw_full")
    out = tmp_path / "verslag.pdf"
    render_onderzoeksverslag(
        case, advice_for(case), organisation, out, previous=previous_of(case), copy_for="internal"
    )
    pages = pdf_text(out)
    return out, pages, " ".join(pages)


def test_report_has_every_part(report: tuple[Path, list[str], str]) -> None:
    text = report[2]
    required = [
        "Onderzoeksverslag herindicatie Beschermd Wonen",
        "Intern dossierexemplaar — niet verstrekken",
        "Ş. Yılmaz-Doğan",
        "17 april 1990",
        "999900006",
        "BWO-2026-A7-000123",
        # conversation
        "1. Het gesprek",
        "8 december 2026",
        "Locatie aanbieder, Singel 40, Dordrecht",
        "cliënt en begeleider",
        "BW extramuraal all-in",
        "1 oktober 2026",
        # ZRM table with scores, level names, forms, notes, previous scores and the chart
        "2. Zelfredzaamheid-Matrix (ZRM)",
        "Financiën 2 niet zelfredzaam 1 helpen, overnemen en regie",
        "Huurachterstand van drie maanden",
        "aanleren en oefenen (aangepast door consulent)",
        "Niet gescoord: Informatie van de reclassering volgt",
        "Vorige",
        "Verandering per domein sinds 1 december 2025",
        "meer zelfredzaam",
        "+2",
        # criteria and motivations
        "3. Criteria",
        "Cliënt heeft ondersteuningsbehoefte in de vorm van 24/7 (on)planbare ondersteuning",
        "Reguliere IB biedt geen bereikbaarheid buiten kantoortijd",
        # advice with explanation and warnings
        "4. Advies en besluit",
        "Aanbevolen niveau IB2: aanleren en oefenen",
        "Besloten niveau IB3",
        "Door de recente psychose",
        "Uitleg bij het advies",
        "Signalen",
        "budgetcoach",
        # arrangement with weekly and period cost per line
        "5. Arrangement en kosten",
        "€ 313,63",
        "€ 416,22",
        "€ 36,88",
        "€ 156,61",
        "€ 50,00",
        "Totaal € 557,12",
        "Te bereiken resultaten",
        # tariff tables used
        "6. Gebruikte tarieven",
        "vanaf 1 januari 2021",
        "vanaf 1 mei 2027",
        "€ 337,18",
        "€ 764,09",
        "Tarievenoverzicht BW 2027 (fictief)",
        "Marloes van den Berg",
    ]
    missing = [item for item in required if item not in text]
    assert not missing, missing


def test_amounts_are_dutch(report: tuple[Path, list[str], str]) -> None:
    import re

    text = report[2]
    amounts = re.findall(r"€ [\d.]+,\d\d", text)
    assert len(amounts) > 20
    assert any(re.fullmatch(r"€ \d{1,3}(\.\d{3})+,\d\d", a) for a in amounts), (
        "no thousands separator"
    )
    assert "€ 0.00" not in text and not re.search(r"€ \d+\.\d\d(?!\d)", text)


def test_pages_numbered_and_a4(report: tuple[Path, list[str], str]) -> None:
    out, pages, _ = report
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
    reader = PdfReader(str(out))
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_provider_copy_needs_consent(organisation: Any, tmp_path: Path) -> None:
    case = case_named("regular_ib")  # consent_share_report: false
    out = tmp_path / "v.pdf"
    with pytest.raises(InputError) as info:
        render_onderzoeksverslag(
            case, advice_for(case), organisation, out, previous=None, copy_for="provider"
        )
    assert info.value.field == "conversation.consent_share_report"
    assert "geen toestemming" in str(info.value)
    assert not out.exists()
    unknown = copy.deepcopy(case)
    unknown.conversation.consent_share_report = None
    with pytest.raises(InputError):
        render_onderzoeksverslag(
            unknown, advice_for(case), organisation, out, previous=None, copy_for="provider"
        )


def test_internal_copy_always_and_without_previous(organisation: Any, tmp_path: Path) -> None:
    case = case_named("regular_ib")  # no consent: the internal copy is made all the same
    out = tmp_path / "v.pdf"
    render_onderzoeksverslag(
        case, advice_for(case), organisation, out, previous=None, copy_for="internal"
    )
    text = " ".join(pdf_text(out))
    assert "Intern dossierexemplaar" in text
    assert "Vorige" not in text and "Verandering per domein" not in text
    assert "geen componenten Beschermd Wonen" in text
    assert "reguliere individuele begeleiding" in text


def test_demo_report_marked_on_every_page(organisation: Any, tmp_path: Path) -> None:
    case = case_named("intramural")
    out = tmp_path / "v.pdf"
    render_onderzoeksverslag(
        case, advice_for(case), organisation, out, previous=None, copy_for="client", demo=True
    )
    assert all("DEMO — geen echt besluit" in page for page in pdf_text(out))
