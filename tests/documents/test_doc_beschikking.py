"""The beschikking PDF: every required element, per outcome, fonts, pages, metadata."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text
from pypdf import PdfReader

from bwo_desktop.core.case import Case
from bwo_desktop.core.errors import InputError
from bwo_desktop.exports.beschikking import render_beschikking
from bwo_desktop.exports.filenames import beschikking_filename


def _render(case: Case, organisation: Any, tmp_path: Path, **kw: Any) -> tuple[Path, list[str]]:
    out = tmp_path / beschikking_filename(
        case.reference or "x", case.decision_date or case.client.birth_date
    )
    render_beschikking(case, advice_for(case), organisation, out, **kw)
    return out, pdf_text(out)


@pytest.fixture
def full(organisation: Any, tmp_path: Path) -> tuple[Path, list[str], str]:
    out, pages = _render(case_named("ib_bw_full"), organisation, tmp_path)
    return out, pages, " ".join(pages)


def test_full_case_has_every_required_element(full: tuple[Path, list[str], str]) -> None:
    _out, _pages, text = full
    required = [
        # letterhead, date, kenmerk, subject
        "Sociale Dienst Drechtsteden",
        "Postbus 619",
        "Dordrecht, 8 december 2026",
        "BWO-2026-A7-000123",
        "Besluit herindicatie Beschermd Wonen extramuraal",
        # name and address, salutation
        "De heer Ş. Yılmaz-Doğan",
        "Voorstraat 12a",
        "3311 AB Dordrecht",
        # a mentor is the addressee; the client gets a copy
        "mr. R. Çelik bewindvoerder en mentor van de heer Ş. Yılmaz-Doğan",
        "Geachte mr. R. Çelik,",
        "U ontvangt deze brief als bewindvoerder en mentor",
        # situation
        "Op 8 december 2026 hadden wij een gesprek over uw ondersteuning.",
        "Plaats van het gesprek: Locatie aanbieder, Singel 40, Dordrecht.",
        "samen met uw begeleider",
        # decision: components with dates and scope; IB interrupted by the opslag window
        "Individuele begeleiding 3: helpen, overnemen en regie 1 januari 2027 28 februari 2027 volgens uw plan",
        "Individuele begeleiding 3 met opslag 1 maart 2027 31 mei 2027 volgens uw plan",
        "Individuele begeleiding 3: helpen, overnemen en regie 1 juni 2027 30 juni 2028",
        "Avond-, nacht- en weekendbereikbaarheid 1 januari 2027 30 juni 2028",
        "Huisvesting (huurdeel) 1 januari 2027 30 juni 2028",
        "Huishoudelijke kosten",
        "Stichting Fictief Wonen & Zorg",
        "zorg in natura",
        # the scope explained for client and provider
        "U krijgt begeleiding zoals afgesproken in uw ondersteuningsplan.",
        "De gemeente betaalt uw zorgaanbieder voor elk onderdeel een vast bedrag per week.",
        "spreekt u samen af in het ondersteuningsplan",
        # transition: the current indication ran to 31 March 2027
        "Uw huidige indicatie (BW extramuraal all-in) stopt eerder dan gepland. Volgens het "
        "eerdere besluit gold die tot en met 31 maart 2027. Nu is de laatste dag 31 december "
        "2026. Vanaf 1 januari 2027 geldt dit besluit.",
        "artikel 2.3.10 van de Wmo 2015",
        "Tussen deze brief en 1 januari 2027 zitten minder dan zes weken. De reden is: U verhuist",
        # results per area with development
        "Financiën",
        "U heeft een geordende (financiële) administratie",
        "toename zelfredzaamheid",
        "U houdt zich aan de afspraken met de reclassering",
        "stabilisatie",
        # the three criteria with motivations
        "De drie voorwaarden",
        "biedt u geen passende ondersteuning",
        "Ja, daaraan voldoet u. Toelichting van de consulent: Cliënt heeft 's avonds en 's nachts",
        "'s avonds en 's nachts geregeld onrust",
        "tot de volgende ochtend uitstellen",
        "Reguliere IB biedt geen bereikbaarheid buiten kantoortijd",
        # ZRM summary
        "Zelfredzaamheid-Matrix (ZRM)",
        "Helpen, overnemen en regie nodig bij: Financiën, Geestelijke gezondheid.",
        "Niet gescoord: Justitie.",
        "Vooral financiën en geestelijke gezondheid vragen veel",
        "ADL betekent: algemene dagelijkse levensverrichtingen",
        # level and override with its motivation
        "Welke begeleiding past bij u?",
        "Volgens de ZRM past individuele begeleiding 2: aanleren en oefenen (IB2)",
        "individuele begeleiding 3: helpen, overnemen en regie (IB3) toe",
        "Door de recente psychose",
        # opslag and huisvesting reasons, extension motivation
        "Extra begeleiding (opslag)",
        "Een opslag betekent: u krijgt extra begeleiding, bovenop uw gewone individuele begeleiding.",
        "Er gebeurt iets ingrijpends in uw leven",
        "u dreigt uw huis uit te moeten",
        "U krijgt de opslag van 1 maart 2027 tot en met 31 mei 2027.",
        "Dreigende huisuitzetting door huurachterstand",
        "nog niet zelf een woning kunt huren én uw woonruimte via uw zorgaanbieder is geregeld",
        "Daarbij horen de huur en de huishoudelijke kosten, zoals eten.",
        "trainingswoning van de aanbieder",
        "Hoe lang geldt dit besluit?",
        "normaal ten hoogste één jaar. Bij u geldt dit besluit langer: van 1 januari 2027 tot en "
        "met 30 juni 2028. De reden is: De overgang naar een eigen huurwoning is pas medio 2028 "
        "haalbaar",
        # provider duties, eigen bijdrage, obligations
        "budgetcoach van de gemeente",
        "Het CAK bepaalt",
        "artikel 2.3.8",
        "artikel 2.3.10",
        # bezwaar
        "binnen zes weken",
        "beginnen op de dag na de dag waarop wij deze brief hebben verstuurd",
        "artikelen 6:7 en 6:8 van de Algemene wet bestuursrecht",
        "Het college van burgemeester en wethouders van de gemeente Dordrecht",
        "uw naam en adres",
        "de datum",
        "het kenmerk BWO-2026-A7-000123",
        "waarom u het niet eens bent",
        "uw handtekening",
        "voorlopige voorziening",
        "voorzieningenrechter van de rechtbank Rotterdam",
        "artikel 8:81",
        "Postbus 50951",
        # signature and copy
        "namens het college van burgemeester en wethouders van de gemeente Dordrecht",
        "Marloes van den Berg",
        "Afschrift aan",
        "Afschrift aan: De heer Ş. Yılmaz-Doğan, Voorstraat 12a, 3311 AB Dordrecht",
    ]
    missing = [item for item in required if item not in text]
    assert not missing, missing


def test_sections_in_reading_order(full: tuple[Path, list[str], str]) -> None:
    text = full[2]
    order = [
        "Uw situatie",
        "Ons besluit",
        "Aan deze resultaten werkt u",
        "Waarom wij zo beslissen",
        "Wat uw zorgaanbieder moet doen",
        "Eigen bijdrage",
        "Wat moet u zelf doen?",
        "Bent u het niet eens met dit besluit?",
        "Met vriendelijke groet",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_bsn_printed_exactly_once_and_never_in_the_file_name(
    full: tuple[Path, list[str], str],
) -> None:
    out, _pages, text = full
    assert text.count("999900006") == 1
    assert "999900006" not in out.name
    assert out.name == "beschikking_BWO-2026-A7-000123_2026-12-08.pdf"


def test_page_numbers_and_kenmerk_on_every_page(full: tuple[Path, list[str], str]) -> None:
    pages = full[1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert "kenmerk BWO-2026-A7-000123" in page
        assert "DEMO" not in page


def test_metadata_language_and_embedded_dejavu(full: tuple[Path, list[str], str]) -> None:
    reader = PdfReader(str(full[0]))
    assert reader.metadata is not None
    assert reader.metadata.title and "BWO-2026-A7-000123" in reader.metadata.title
    assert reader.metadata.author == "Sociale Dienst Drechtsteden"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    used: set[str] = set()
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        content = page.get_contents().get_data().decode("latin-1")
        for alias in set(re.findall(r"(/F[0-9+]+) [\d.]+ Tf", content)):
            font = resources[alias].get_object()
            used.add(str(font["/BaseFont"]))
            descendant = font.get("/DescendantFonts")
            descriptor = font.get("/FontDescriptor")
            if descendant is not None:
                descriptor = descendant[0].get_object()["/FontDescriptor"]
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), (
                f"{font['/BaseFont']} is not embedded"
            )
    # reportlab lists Helvetica in every resource dictionary, but the text uses DejaVu only.
    assert used and all("DejaVuSans" in f for f in used), used
    assert any("Bold" in f for f in used)
    assert "Ş. Yılmaz-Doğan" in full[2]


def test_every_page_is_a4(full: tuple[Path, list[str], str]) -> None:
    for page in PdfReader(str(full[0])).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)
def test_pages_render_as_non_blank_a4_png(
    full: tuple[Path, list[str], str], tmp_path: Path
) -> None:
    from PIL import Image

    out = full[0]
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(out), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == len(full[1])
    for path in images:
        with Image.open(path) as image:
            width, height = image.size
            assert abs(width / height - 595 / 842) < 0.01
            extrema = image.convert("L").getextrema()
            assert extrema[0] < 128, f"{path.name} is blank"


def test_regular_ib_letter_says_so_with_the_reason(organisation: Any, tmp_path: Path) -> None:
    _out, pages = _render(case_named("regular_ib"), organisation, tmp_path)
    text = " ".join(pages)
    for item in [
        "Besluit herindicatie: geen Beschermd Wonen extramuraal, gewone individuele begeleiding past beter",
        "Wij kennen u geen maatwerkvoorziening Beschermd Wonen extramuraal meer toe. Dit besluit geldt vanaf 1 januari 2027.",
        "reguliere",
        "Nee, daaraan voldoet u niet.",
        "haar hulpvraag is planbaar",
        "Gewone individuele begeleiding is voor u de passende ondersteuning",
        "Mevrouw Z.H. de Wilde",
        "Geachte mevrouw De Wilde,",
        "Dordrecht, 9 december 2026",
        "Uw huidige ondersteuning (BW extramuraal IB2 met bereikbaarheid) loopt tot en met 31 december 2026",
        "Na 31 december 2026 krijgt u geen Beschermd Wonen extramuraal meer.",
        # the judge sees which conditions fail
        "U voldoet niet aan voorwaarden 1 en 3. Daarom kunt u geen Beschermd Wonen",
        "zes weken",
        "Jeroen Ëlders",
    ]:
        assert item in text, item
    assert "× per week" not in text and "Omvang" not in text and "Eigen bijdrage" not in text
    assert text.count("999900018") == 1


def test_intramural_letter_says_so_with_the_reason(organisation: Any, tmp_path: Path) -> None:
    _out, pages = _render(case_named("intramural"), organisation, tmp_path)
    text = " ".join(pages)
    for item in [
        "wonen in een instelling past beter",
        "Deze ondersteuning is voor u te licht",
        "beschermd wonen in een instelling (intramuraal)",
        "U voldoet niet aan voorwaarde 2: u kunt uw hulpvraag niet korte tijd uitstellen",
        "bij spanning is direct iemand nodig",
        "Alleen uw begeleider was er",
        "opgenomen in de kliniek",
        "Geachte E. Wiśniewska-Żak,",
        "zes weken",
    ]:
        assert item in text, item
    assert text.count("999900031") == 1


def test_pgb_is_named_when_chosen(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    case.delivery = "pgb"
    text = " ".join(_render(case, organisation, tmp_path)[1])
    assert "persoonsgebonden budget (pgb)" in text and "zorg in natura" not in text


def test_demo_marking_on_every_page(organisation: Any, tmp_path: Path) -> None:
    out, pages = _render(case_named("ib_bw_full"), organisation, tmp_path, demo=True)
    assert all("DEMO — geen echt besluit" in page for page in pages)
    metadata = PdfReader(str(out)).metadata
    assert metadata is not None and (metadata.title or "").startswith("DEMO — ")


def test_incomplete_case_is_refused_and_writes_nothing(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    advice = advice_for(case)
    case.motivations.pop("need_24_7")
    out = tmp_path / "b.pdf"
    with pytest.raises(InputError, match=r"motivations\.need_24_7"):
        render_beschikking(case, advice, organisation, out)
    assert list(tmp_path.iterdir()) == []


def test_free_text_with_markup_characters_is_printed_literally(
    organisation: Any, tmp_path: Path
) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    case.motivations["zrm"] = "Scores <3 & >1 op <b>drie</b> domeinen"
    text = " ".join(_render(case, organisation, tmp_path)[1])
    assert "Scores <3 & >1 op <b>drie</b> domeinen" in text


def test_long_letter_keeps_headings_with_their_text(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("ib_bw_full"))
    for key in ("need_24_7", "can_postpone", "regular_ib_fits", "zrm", "opslag", "huisvesting"):
        case.motivations[key] = (case.motivations[key] + " ") * 6
    _out, pages = _render(case, organisation, tmp_path)
    headings = [
        "Uw situatie",
        "Ons besluit",
        "Waarom wij zo beslissen",
        "Eigen bijdrage",
        "Bent u het niet eens met dit besluit?",
    ]
    for page in pages:
        body = re.sub(
            r"Sociale Dienst Drechtsteden · kenmerk \S+ pagina \d+ van \d+$", "", page
        ).rstrip()
        for heading in headings:
            assert not body.endswith(heading), f"heading {heading!r} alone at the foot of a page"
