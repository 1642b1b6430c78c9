"""What the database knows around a case is named in its beschikking (issue 13): an early end
names the earlier decision by its date and kenmerk, and the letter says on which day the
client's onderzoeksverslag was sent. A case file printed on its own says it without them."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text, previous_of

from bwo_desktop.core.formatting import format_date_nl

pytest.importorskip("sqlcipher3")

PASSPHRASE = "letter history passphrase"


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Any, str, Any]]:
    """ib_bw_full (it ends the running indication early) as a concept, and the client's
    earlier decision of a year before, definitief, in the same database."""
    from decided import store_decided

    from bwo_desktop.core.assessment_json import advice_to_json
    from bwo_desktop.core.tariffs import load_tariff_book, tariff_table_to_dict
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    db = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True, backup_before_migrate=False)
    svc = CaseService(db, user="Tester")
    case = case_named("ib_bw_full")
    earlier = previous_of(case)
    earlier.status, earlier.decision, earlier.tariffs_used = "concept", None, []
    earlier.decision_date = dt.date(2025, 12, 10)
    assert earlier.assessment is not None
    earlier.assessment["support_plan_date"] = "2025-10-01"
    earlier.planned = dataclass_replace(earlier.planned, date=dt.date(2025, 12, 1))
    stored_earlier = svc.import_case(earlier)
    assert stored_earlier.id is not None
    decision = advice_to_json(advice_for(earlier))
    table = load_tariff_book().in_force(earlier_start(earlier))
    assert table is not None
    store_decided(svc, stored_earlier.id, decision, [tariff_table_to_dict(table)])
    current = copy.deepcopy(case)
    current.status, current.decision, current.tariffs_used = "concept", None, []
    created = svc.import_case(current)
    assert created.id is not None
    try:
        yield svc, created.id, stored_earlier
    finally:
        db.close()


def dataclass_replace(obj: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(obj, **changes)


def earlier_start(case: Any) -> dt.date:
    return dt.date.fromisoformat(case.assessment["period"]["start"])


def test_an_early_end_names_the_earlier_decision(
    stored: tuple[Any, str, Any], tmp_path: Path
) -> None:
    from bwo_desktop.services.letters import LetterService

    svc, case_id, earlier = stored
    text = " ".join(pdf_text(LetterService(svc).beschikking(case_id, tmp_path / "brief")))
    assert "stopt eerder dan gepland" in text
    assert f"Volgens ons besluit van 10 december 2025 (kenmerk {earlier.reference})" in text
    assert "Volgens het eerdere besluit" not in text


def test_the_letter_says_when_the_verslag_was_sent(
    stored: tuple[Any, str, Any], tmp_path: Path
) -> None:
    from bwo_desktop.services.decisions import DecisionService
    from bwo_desktop.services.letters import LetterService

    svc, case_id, _earlier = stored
    letters = LetterService(svc)
    before = " ".join(pdf_text(letters.beschikking(case_id, tmp_path / "zonder")))
    assert "U hebt dat verslag van ons gekregen" in before  # no verslag made in the app yet
    case = svc.get(case_id)
    decided = DecisionService(svc).finalise(case_id, case.version)
    assert decided.status == "definitief"
    letters.verslag(case_id, tmp_path / "verslag", copy="client")
    after = " ".join(pdf_text(letters.beschikking(case_id, tmp_path / "met")))
    assert f"Wij hebben u dat verslag op {format_date_nl(dt.date.today())} gestuurd" in after
    assert svc.documents_made(case_id).keys() >= {"beschikking", "verslag-client"}


def test_a_case_file_on_its_own_prints_without_them(tmp_path: Path) -> None:
    from bwo_desktop.exports.beschikking import render_beschikking
    from bwo_desktop.exports.organisation import load_organisation

    case = case_named("ib_bw_full")
    out = render_beschikking(case, advice_for(case), load_organisation(), tmp_path / "b.pdf")
    text = " ".join(pdf_text(out))
    assert "Volgens het eerdere besluit" in text and "kenmerk BWO-2025" not in text
    assert "U hebt dat verslag van ons gekregen" in text
