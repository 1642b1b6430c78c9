"""The client's copy of the onderzoeksverslag: B1, the 2.3.2 topics, nothing internal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text
from pypdf import PdfReader

from bwo_desktop.core.errors import InputError
from bwo_desktop.exports.verslag import render_onderzoeksverslag


def _client_copy(case: Any, organisation: Any, tmp_path: Path, copy_for: str = "client") -> Path:
    return render_onderzoeksverslag(
        case,
        advice_for(case),
        organisation,
        tmp_path / "v.pdf",
        previous=None,
        copy_for=copy_for,
    )


INTERNAL = ("Signalen", "Uitleg bij het advies", "Gebruikte tarieven", "IB3_opslag", "€", "AGB")


@pytest.mark.parametrize("name", ["ib_bw_full", "regular_ib", "intramural", "ib_bw_pgb"])
def test_client_copy_has_the_topics_and_nothing_internal(
    name: str, organisation: Any, tmp_path: Path
) -> None:
    case = case_named(name)
    out = _client_copy(case, organisation, tmp_path)
    text = " ".join(pdf_text(out))
    for heading in (
        "Wat u wilt bereiken",
        "Wat u zelf kunt",
        "Uw netwerk en mantelzorg",
        "Andere hulp die er is",
        "Eigen bijdrage",
        "persoonsgebonden budget (pgb)",
        "cliëntondersteuner",
        "Klopt dit verslag?",
        "Reageer dan binnen 14 dagen",
    ):
        assert heading in text, (name, heading)
    for word in INTERNAL:
        assert word not in text, (name, word)
    assert "De cliënt" not in text
    meta = PdfReader(str(out)).metadata or {}
    assert all(case.client.last_name not in str(v) for v in meta.values())


def test_an_unknown_copy_is_refused(organisation: Any, tmp_path: Path) -> None:
    case = case_named("ib_bw_full")
    with pytest.raises(InputError, match="onbekend exemplaar"):
        _client_copy(case, organisation, tmp_path, "bewindvoerder")


def test_client_copy_to_a_mentor_greets_the_mentor(organisation: Any, tmp_path: Path) -> None:
    case = case_named("ib_bw_full")  # mentor with an address: the addressee
    out = _client_copy(case, organisation, tmp_path)
    first = pdf_text(out)[0]
    assert "mr. R. Çelik" in first.split("Verslag van ons gesprek")[0]
    assert "Geachte mr. R. Çelik," in first
