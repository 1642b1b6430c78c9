"""The audit log dialog: details in readable Dutch, the full text as a tooltip,
and a details column that takes the room that is left."""

from __future__ import annotations

from fakes import audit_record
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from bwo_desktop.core.advice import OUTCOME_NAMES
from bwo_desktop.ui.audit_dialog import (
    COL_ACTION,
    COL_DETAILS,
    COL_RESULT,
    AuditDialog,
    AuditTableModel,
    detail_parts,
)


def test_finalise_details_are_dutch() -> None:
    model = AuditTableModel()
    model.set_entries([audit_record(1, "finalise", outcome="ib_bw", tariff_tables=1)])
    shown = model.data(model.index(0, COL_DETAILS))
    assert shown == f"uitkomst: {OUTCOME_NAMES['ib_bw']}; tarieftabellen: 1"
    assert "outcome" not in shown and "ib_bw" not in shown and "=" not in shown
    assert "met bereikbaarheid" in shown
    assert model.data(model.index(0, COL_ACTION)) == "Definitief gemaakt"


def test_known_keys_and_values_are_translated() -> None:
    parts = detail_parts(
        {
            "kind": "xlsx",
            "full_bsn": False,
            "from": "2026-01-01",
            "status": "planned",
            "replaced": True,
            "something_new": 3,
        }
    )
    assert "soort: Excel-overzicht" in parts
    assert "volledig BSN: nee" in parts
    assert "vanaf: 01-01-2026" in parts
    assert "status: gepland" in parts
    assert "vervangen: ja" in parts
    assert "something new: 3" in parts  # unknown keys are still shown, not dropped
    assert detail_parts({"fields": ["zrm_notes", "location"]}) == [
        "velden: ZRM-toelichting, locatie"
    ]
    assert detail_parts(None) == []


def test_refused_result_and_demo_action_are_dutch() -> None:
    model = AuditTableModel()
    model.set_entries(
        [
            audit_record(1, "import", "refused", kind="planning", errors=2),
            audit_record(2, "demo"),
        ]
    )
    rows = {model.entry_at(r).seq: r for r in range(2)}
    assert model.data(model.index(rows[1], COL_RESULT)) == "geweigerd"
    assert model.data(model.index(rows[1], COL_DETAILS)) == "soort: herindicatieplanning; fouten: 2"
    assert model.data(model.index(rows[2], COL_ACTION)) == "Demogegevens geladen"


def test_details_have_the_full_text_in_a_tooltip_and_the_column_stretches(qtbot) -> None:
    dialog = AuditDialog("BWO-2026-AB-0001")
    qtbot.addWidget(dialog)
    record = audit_record(
        1, "import", kind="planning", file="planning-maart.xlsx", rows=40, new=12, updated=20,
        skipped=8, errors=0, clients_created=3, clients_updated=9, providers_created=1,
    )  # fmt: skip
    dialog.set_entries([record])
    index = dialog.model.index(0, COL_DETAILS)
    shown = dialog.model.data(index)
    tip = dialog.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert tip is not None
    assert tip.splitlines() == shown.split("; ")  # all of it, one item a line
    assert "bestand: planning-maart.xlsx" in tip.splitlines()
    header = dialog.table.horizontalHeader()
    assert header.sectionResizeMode(COL_DETAILS) == QHeaderView.ResizeMode.Stretch
    dialog.resize(1200, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    narrow = header.sectionSize(COL_DETAILS)
    dialog.resize(1500, 400)
    qtbot.waitUntil(lambda: header.sectionSize(COL_DETAILS) > narrow)


def test_changed_fields_are_named_in_dutch_and_the_stored_names_stay() -> None:
    """ "velden: decision_date" was the model's field name in front of the consultant."""
    details = {"fields": ["client.birth_date", "decision_date", "new_field_of_a_later_version"]}
    model = AuditTableModel()
    model.set_entries([audit_record(1, "change", **details)])
    shown = model.data(model.index(0, COL_DETAILS))
    assert shown == "velden: geboortedatum, besluitdatum, new_field_of_a_later_version"
    assert model.entry_at(0).details == details  # only the display is translated
