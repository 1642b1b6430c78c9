"""The other variants of the beschikking and the verslag, read as client, provider and judge:
a minimal ib_bw letter, pgb, a long case (page breaks), the transition rules, the consent
refusal, and the tidiness rules (no lone total line, no lone signature, no wrapped dates)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text

from bwo_desktop.core.case import Case, CurrentIndication
from bwo_desktop.core.errors import InputError
from bwo_desktop.exports.beschikking import render_beschikking, transition_last_day
from bwo_desktop.exports.verslag import render_onderzoeksverslag

FOOTER = re.compile(r"Sociale Dienst Drechtsteden · kenmerk \S+ pagina \d+ van \d+$")


def _letter(case: Case, organisation: Any, tmp_path: Path, name: str = "b.pdf") -> list[str]:
    out = tmp_path / name
    render_beschikking(case, advice_for(case), organisation, out)
    return pdf_text(out)


def _report(case: Case, organisation: Any, tmp_path: Path, copy_for: str) -> list[str]:
    out = tmp_path / f"v-{copy_for}.pdf"
    render_onderzoeksverslag(
        case, advice_for(case), organisation, out, previous=None, copy_for=copy_for
    )
    return pdf_text(out)


def test_minimal_letter_has_only_what_applies(organisation: Any, tmp_path: Path) -> None:
    pages = _letter(case_named("ib_bw_minimal"), organisation, tmp_path)
    text = " ".join(pages)
    for item in [
        "M. de Jong",
        "Geachte M. de Jong,",  # neutral salutation
        # dates never wrap inside the decision table
        "Individuele begeleiding 1: toezicht en stimuleren 1 januari 2027 31 december 2027 "
        "volgens uw plan",
        "Avond-, nacht- en weekendbereikbaarheid 1 januari 2027 31 december 2027 altijd",
        # a provider name that ends in a full stop gets one full stop
        "Uw zorgaanbieder is Zorgaanbieder Fictief B.V. U krijgt",
        "zorg in natura",
        "U hebt vooral toezicht en stimulans nodig.",
        "Dit besluit geldt van 1 januari 2027 tot en met 31 december 2027.",
        "Het CAK bepaalt",
    ]:
        assert item in text, item
    for absent in [
        "B.V..",
        "opslag",
        "Huisvesting (huurdeel)",
        "budgetcoach",
        "Afschrift aan",
        "langer dan",
        "Dit besluit vervangt",  # the current indication simply ends on 31 December 2026
        "Volgens de ZRM past",  # no override
        "Niet gescoord",
    ]:
        assert absent not in text, absent
    assert text.count("999900043") == 1


def test_pgb_letter(organisation: Any, tmp_path: Path) -> None:
    text = " ".join(_letter(case_named("ib_bw_pgb"), organisation, tmp_path))
    assert "persoonsgebonden budget (pgb)" in text and "zorg in natura" not in text
    assert text.count("999900055") == 1


def test_long_letter_is_tidy(organisation: Any, tmp_path: Path) -> None:
    pages = _letter(case_named("ib_bw_long"), organisation, tmp_path)
    text = " ".join(pages)
    assert len(pages) >= 5
    assert "Mevrouw Ż.Ş. Śliwińska-Ağıroğlu" in text
    assert "Geachte mr. R. Çelik," in text  # the mentor is the addressee
    # a structural opslag (no dates of its own) runs for the whole period
    assert "U krijgt de opslag van 1 januari 2027 tot en met 30 juni 2028." in text
    assert "Individuele begeleiding 3 met opslag 1 januari 2027 30 juni 2028" in text
    assert text.count("999900067") == 1
    headings = [
        "Uw situatie",
        "Ons besluit",
        "Aan deze resultaten werkt u",
        "Waarom wij zo beslissen",
        "De drie voorwaarden",
        "Hoe zelfredzaam bent u?",
        "Welke begeleiding past bij u?",
        "Extra begeleiding (opslag)",
        "Huisvesting",
        "Hoe lang geldt dit besluit?",
        "Wat uw zorgaanbieder moet doen",
        "Eigen bijdrage",
        "Wat moet u zelf doen?",
        "Bent u het niet eens met dit besluit?",
        # a criterion stays with its verdict
        "beschikbaar is, gepland of ongepland.",
        "U kunt uw hulpvraag korte tijd uitstellen.",
        "biedt u geen passende ondersteuning.",
    ]
    for number, page in enumerate(pages, start=1):
        body = FOOTER.sub("", page).rstrip()
        for heading in headings:
            assert not body.endswith(heading), f"{heading!r} alone at the foot of page {number}"
        # a result area stays whole: no page starts with a lone result of the previous area
        assert not body.startswith("• U "), f"page {number} starts inside a result area"
    # the signature never stands alone: the questions section is on its page
    assert "Hebt u vragen?" in pages[-1] and "Met vriendelijke groet" in pages[-1]


def test_signature_page_of_every_letter_has_text(organisation: Any, tmp_path: Path) -> None:
    for name in ("ib_bw_full", "ib_bw_minimal", "regular_ib", "intramural"):
        pages = _letter(case_named(name), organisation, tmp_path, f"{name}.pdf")
        assert "Hebt u vragen?" in pages[-1], name


def test_transition_rules() -> None:
    case = copy.deepcopy(case_named("ib_bw_minimal"))
    advice = advice_for(case)  # period starts 1 January 2027
    # the current indication ends the day before: a continuation, no transition
    assert transition_last_day(case, advice) is None
    # an indication without an end date is replaced on the day before the new period
    case.current_indication = CurrentIndication("BW extramuraal IB1", None)
    assert transition_last_day(case, advice) == dt.date(2026, 12, 31)
    # a negative decision never extends an indication that ends earlier
    regular = copy.deepcopy(case_named("regular_ib"))
    regular.current_indication = CurrentIndication("BW extramuraal IB2", dt.date(2026, 11, 30))
    assert transition_last_day(regular, advice_for(regular)) == dt.date(2026, 11, 30)


def test_open_ended_indication_gets_a_transition_paragraph(
    organisation: Any, tmp_path: Path
) -> None:
    case = copy.deepcopy(case_named("ib_bw_minimal"))
    case.current_indication = CurrentIndication("BW extramuraal IB1 met bereikbaarheid", None)
    # 1 January is within six weeks of the letter (9 December): refused without a reason
    with pytest.raises(InputError, match=r"motivations\.transition"):
        _letter(case, organisation, tmp_path)
    case.motivations["transition"] = "U wilt zelf per 1 januari overstappen."
    text = " ".join(_letter(case, organisation, tmp_path))
    assert (
        "Uw huidige indicatie (BW extramuraal IB1 met bereikbaarheid) stopt eerder dan gepland. "
        "Volgens het eerdere besluit gold die zonder einddatum. Nu is de laatste dag "
        "31 december 2026. Vanaf 1 januari 2027 geldt dit besluit."
    ) in text
    assert "artikel 2.3.10 van de Wmo 2015" in text


def test_absence_reason_ends_as_a_sentence(organisation: Any, tmp_path: Path) -> None:
    case = copy.deepcopy(case_named("intramural"))
    case.conversation.absence_reason = "Cliënt was opgenomen"
    text = " ".join(_letter(case, organisation, tmp_path))
    assert "U kon er niet bij zijn om deze reden: Cliënt was opgenomen. Tot nu toe" in text
    # without a recorded reason the sentence is left out, never printed with a gap
    case.conversation.absence_reason = None
    text = " ".join(_letter(case, organisation, tmp_path, "b2.pdf"))
    assert "Alleen uw begeleider was er. Tot nu toe" in text and "om deze reden" not in text


def test_a_text_with_a_placeholder_that_does_not_apply_is_refused(
    organisation: Any, tmp_path: Path
) -> None:
    from bwo_desktop.exports.letters import load_letter_texts

    (tmp_path / "beschikking.toml").write_text(
        '[questions]\ntext = "Uw opslag begint op {opslag.start}."\n', encoding="utf-8"
    )
    texts = load_letter_texts("beschikking", user_dir=tmp_path)
    case = case_named("ib_bw_minimal")  # no opslag: the placeholder has no value
    out = tmp_path / "b.pdf"
    with pytest.raises(InputError, match=r"questions\.text: geen waarde voor \{opslag\.start\}"):
        render_beschikking(case, advice_for(case), organisation, out, texts=texts)
    assert not out.exists()


@pytest.mark.parametrize(
    ("consent", "why"),
    [
        (False, "de cliënt heeft geen toestemming gegeven"),
        (None, "er is niet vastgelegd dat de cliënt toestemming geeft"),
    ],
)
def test_provider_copy_refusal_says_why_and_what_can(
    organisation: Any, tmp_path: Path, consent: bool | None, why: str
) -> None:
    case = copy.deepcopy(case_named("ib_bw_minimal"))
    case.conversation.consent_share_report = consent
    with pytest.raises(InputError) as info:
        _report(case, organisation, tmp_path, "provider")
    message = str(info.value)
    assert why in message
    assert "Het exemplaar voor de cliënt kunt u wel maken" in message
    assert not list(tmp_path.glob("*.pdf"))


def test_report_tables_are_tidy(organisation: Any, tmp_path: Path) -> None:
    case = case_named("ib_bw_long")
    pages = _report(case, organisation, tmp_path, "internal")
    text = " ".join(pages)
    # results grouped per area: each area name once, its results as lines
    results = text[text.index("Te bereiken resultaten (de cliënt ...)") :]
    assert results.count("Sociaal netwerk") == 1
    assert "• heeft een geordende (financiële) administratie" in results
    # the total of the cost table is never alone under a repeated header
    for page in pages:
        if "Totaal € " in page:
            assert "Huishoudelijke kosten" in page
    # the change chart shows "–" (not "n.v.t.") where no comparison is possible
    assert "n.v.t." not in text


@pytest.mark.parametrize(
    "text", ["Een gewone zin.", "Twee\nregels", "a & b <b>c</b>", "  veel   spaties ", "Zoë Şen"]
)
def test_plain_paragraphs_match_the_parser(text: str) -> None:
    """The parser-free path for plain text gives what reportlab's parser gives."""
    from reportlab.platypus import Paragraph

    from bwo_desktop.exports import pdf_common as pc

    style = pc.styles().body
    fast = pc.para(text, style)
    parsed = Paragraph(pc.esc(text).replace("\n", "<br/>"), style)

    def shape(p: Paragraph) -> list[tuple[Any, ...]]:
        return [(getattr(f, "text", None), f.fontName, f.fontSize, f.textColor) for f in p.frags]

    assert shape(fast) == shape(parsed)
    assert fast.wrap(200, 500) == parsed.wrap(200, 500)
