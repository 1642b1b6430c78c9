"""The case list model: keyed by case id, BSN masked, Qt's model contract."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.ui.case_table_model import (
    COL_BIRTH_DATE,
    COL_BSN,
    COL_CLIENT,
    COL_PLANNED,
    COL_STATUS,
    COLUMN_COUNT,
    CaseIdRole,
    CaseTableModel,
    RawValueRole,
    SummaryRole,
)


def test_qt_model_contract(qtmodeltester, summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:50])
    qtmodeltester.check(model, force_py=True)


def test_empty_model_contract(qtmodeltester) -> None:
    qtmodeltester.check(CaseTableModel(), force_py=True)


def test_display_and_roles(summaries: list[CaseSummary]) -> None:
    s = summaries[0]
    model = CaseTableModel([s])
    assert model.columnCount() == COLUMN_COUNT
    assert model.data(model.index(0, COL_CLIENT)) == s.client_name
    assert model.data(model.index(0, COL_BIRTH_DATE)) == s.birth_date.strftime("%d-%m-%Y")
    assert model.data(model.index(0, COL_BIRTH_DATE), RawValueRole) == s.birth_date
    assert model.data(model.index(0, COL_STATUS)) in ("gepland", "concept", "definitief")
    assert model.data(model.index(0, 3), CaseIdRole) == s.id
    assert model.data(model.index(0, 3), SummaryRole) is s
    planned = model.data(model.index(0, COL_PLANNED))
    assert s.planned_date is not None
    assert planned.split()[1] == s.planned_date.strftime("%d-%m-%Y")
    assert model.headerData(COL_CLIENT, Qt.Orientation.Horizontal) == "Cliënt"


def test_bsn_never_shown_in_full(summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:20])
    roles = [
        int(Qt.ItemDataRole.DisplayRole),
        int(Qt.ItemDataRole.ToolTipRole),
        int(Qt.ItemDataRole.AccessibleTextRole),
        RawValueRole,
    ]
    for row in range(model.rowCount()):
        bsn = summaries[row].bsn
        for column in range(COLUMN_COUNT):
            for role in roles:
                value = model.data(model.index(row, column), role)
                assert bsn not in str(value)
        assert model.data(model.index(row, COL_BSN)) == "******" + bsn[-3:]


def test_refresh_row_by_id(qtbot, summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:10])
    target = summaries[7]
    changed = dataclasses.replace(target, status="definitief", ib_level="IB2")
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.refresh_row(target.id, changed)
    assert blocker.args[0].row() == 7
    assert model.summary(target.id) == changed
    assert model.data(model.index(7, COL_STATUS)) == "definitief"


def test_refresh_row_appends_a_new_case(summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:3])
    new = dataclasses.replace(summaries[5], id="new-id")
    model.refresh_row("new-id", new)
    assert model.rowCount() == 4
    assert model.row_of("new-id") == 3


def test_remove_case_keeps_ids_right(summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:5])
    model.remove_case(summaries[1].id)
    assert model.rowCount() == 4
    assert [model.case_id_at(r) for r in range(4)] == [
        s.id for s in summaries[:5] if s != summaries[1]
    ]
    assert model.row_of(summaries[4].id) == 3


def test_empty_values_show_empty() -> None:
    s = CaseSummary(
        "x",
        None,
        "Jansen, A.",
        "999999990",
        dt.date(1980, 1, 2),
        "",
        None,
        None,
        "",
        "planned",
        None,
        None,
        None,
    )
    model = CaseTableModel([s])
    assert model.data(model.index(0, COL_PLANNED)) == ""
    assert model.data(model.index(0, COL_PLANNED), RawValueRole) is None
