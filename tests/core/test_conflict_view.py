"""The conflict inbox's comparison: both versions of a parked case in Dutch, the differing
fields first, bookkeeping columns left out."""

from __future__ import annotations

from bwo_desktop.core.conflict_view import compare, reason_text, value_text


def _row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "6f1d0c1e-0000-4000-8000-000000000001",
        "version": 4,
        "updated_at": "2026-12-01T09:12:00+00:00",
        "reference": "BW-2026-0012",
        "status": "concept",
        "decision_date": "2026-12-01",
        "consent_share_report": True,
        "motivations": {"ib": "Zelfstandig wonen lukt nog niet zonder toezicht."},
    }
    row.update(changes)
    return row


def test_the_differing_fields_come_first_in_dutch() -> None:
    mine = _row(decision_date="2026-12-02", version=5)
    office = _row()
    diffs = compare(mine, office)
    assert diffs[0].label == "besluitdatum"
    assert (diffs[0].mine, diffs[0].office) == ("02-12-2026", "01-12-2026")
    assert [d.differs for d in diffs].count(True) == 1  # the version is bookkeeping
    shown = {d.name for d in diffs}
    assert not shown & {"id", "version", "updated_at"}
    labels = {d.name: d.label for d in diffs}
    assert labels["reference"] == "kenmerk"
    assert labels["consent_share_report"] == "toestemming delen onderzoeksverslag"


def test_values_read_as_a_consultant_writes_them() -> None:
    assert value_text("consent_share_report", True) == "ja"
    assert value_text("status", "definitief").lower().startswith("definitief")
    assert value_text("zrm_notes", None) == "—"
    assert value_text("motivations", {"ib": "x" * 1000}).endswith("…")


def test_a_case_the_office_does_not_have_shows_dashes() -> None:
    diffs = compare(_row(), None)
    assert diffs and all(d.office == "—" for d in diffs)
    assert all(d.differs for d in diffs)


def test_reasons_in_dutch() -> None:
    assert "ander apparaat" in reason_text("lease")
    assert reason_text("iets nieuws") == "iets nieuws"
