"""The three onderzoeksverslagen, each labelled for whom it is: the client's copy, the
provider's copy (consent-gated, only what the provider has a role for) and the internal
dossier copy (signals, tariffs, engine explanation) that never leaves the organisation."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text, previous_of

from bwo_desktop.exports.letters import load_letter_texts
from bwo_desktop.exports.verslag import render_onderzoeksverslag

CLIENT_LABEL = "Exemplaar voor de cliënt"
PROVIDER_LABEL = "Exemplaar voor de zorgaanbieder"
INTERNAL_LABEL = "Intern dossierexemplaar — niet verstrekken"
# What only the internal file holds: tariff codes, the engine's explanation and signals, the
# tariff tables and amounts.
INTERNAL_ONLY = (
    "IB3_opslag",
    "Uitleg bij het advies",
    "Signalen",
    "Aanbevolen niveau",
    "Gebruikte tarieven",
    "tarieftabel",
    "Aan alle drie criteria is voldaan",
    "€",
)


def _copy(name: str, copy_for: str, organisation: Any, tmp_path: Path) -> str:
    case = case_named(name)
    out = render_onderzoeksverslag(
        case,
        advice_for(case),
        organisation,
        tmp_path / f"{name}-{copy_for}.pdf",
        previous=previous_of(case) if name == "ib_bw_full" else None,
        copy_for=copy_for,
    )
    return " ".join(pdf_text(out))


def test_labels_are_data() -> None:
    client = load_letter_texts("verslag", use_user_dir=False)
    dossier = load_letter_texts("verslag_dossier", use_user_dir=False)
    assert client.raw("copy.label") == CLIENT_LABEL
    assert dossier.raw("label.provider") == PROVIDER_LABEL
    assert dossier.raw("label.internal") == INTERNAL_LABEL


@pytest.mark.parametrize("name", ["ib_bw_full", "ib_bw_long", "intramural", "ib_bw_pgb"])
def test_each_copy_carries_its_own_label(name: str, organisation: Any, tmp_path: Path) -> None:
    client = _copy(name, "client", organisation, tmp_path)
    internal = _copy(name, "internal", organisation, tmp_path)
    assert CLIENT_LABEL in client
    assert PROVIDER_LABEL not in client and INTERNAL_LABEL not in client
    assert INTERNAL_LABEL in internal
    assert CLIENT_LABEL not in internal and PROVIDER_LABEL not in internal
    case = case_named(name)
    if case.conversation.consent_share_report:
        provider = _copy(name, "provider", organisation, tmp_path)
        assert PROVIDER_LABEL in provider
        assert CLIENT_LABEL not in provider and INTERNAL_LABEL not in provider


@pytest.mark.parametrize("name", ["ib_bw_full", "ib_bw_long"])
def test_client_and_provider_copies_hold_nothing_internal(
    name: str, organisation: Any, tmp_path: Path
) -> None:
    internal = _copy(name, "internal", organisation, tmp_path)
    # The internal file does hold them (otherwise this test could not fail).
    assert "IB3_opslag" in internal or name != "ib_bw_full"
    for word in ("Uitleg bij het advies", "Signalen", "Gebruikte tarieven", "€"):
        assert word in internal, word
    for copy_for in ("client", "provider"):
        text = _copy(name, copy_for, organisation, tmp_path)
        for word in INTERNAL_ONLY:
            assert word not in text, (copy_for, word)


def test_provider_copy_has_what_the_provider_works_with(organisation: Any, tmp_path: Path) -> None:
    case = case_named("ib_bw_full")
    text = _copy("ib_bw_full", "provider", organisation, tmp_path)
    for item in (
        "Gedeeld met toestemming van de cliënt",
        "BWO-2026-A7-000123",
        "Zelfredzaamheid-Matrix (ZRM)",
        "Besloten niveau IB3",
        "Individuele begeleiding 3 met opslag",  # the component by name, not by code
        "Te bereiken resultaten",
        "budgetcoach",
    ):
        assert item in text, item
    assert case.client.bsn not in text  # the kenmerk identifies the case; no BSN needed


def test_provider_copy_stays_consent_gated(organisation: Any, tmp_path: Path) -> None:
    from bwo_desktop.core.errors import InputError

    case = copy.deepcopy(case_named("ib_bw_full"))
    case.conversation.consent_share_report = None
    with pytest.raises(InputError):
        render_onderzoeksverslag(
            case, advice_for(case), organisation, tmp_path / "p.pdf", previous=None,
            copy_for="provider",
        )  # fmt: skip
    assert not (tmp_path / "p.pdf").exists()
