"""Qt's item-model contract (pytest-qt's modeltester) for every model in bwo_desktop/ui, with
realistic data and through the changes the app makes: the tester stays connected and checks
each signal the model sends after `check`."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fakes import audit_record
from PySide6.QtCore import QAbstractItemModel, Qt

import bwo_desktop.ui
from bwo_desktop.core.case import CaseSummary, Result
from bwo_desktop.core.zrm import load_catalogue
from bwo_desktop.ui.audit_dialog import AuditTableModel
from bwo_desktop.ui.case_filter import CaseFilterProxy
from bwo_desktop.ui.case_table_model import COL_CLIENT, CaseTableModel
from bwo_desktop.ui.pages.results_tree_model import ResultsTreeModel

TODAY = dt.date(2024, 3, 12)


def test_case_table_model(qtmodeltester, summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:80])
    qtmodeltester.check(model, force_py=True)
    changed = dataclasses.replace(summaries[3], client_name="Öztürk, B.", status="concept")
    model.refresh_row(changed.id, changed)
    model.refresh_row("new-case", dataclasses.replace(summaries[4], id="new-case"))
    model.set_summaries(summaries[80:120])
    assert model.rowCount() == 40
    assert model.data(model.index(0, COL_CLIENT)) == summaries[80].client_name


def test_case_filter_proxy(qtmodeltester, summaries: list[CaseSummary]) -> None:
    model = CaseTableModel(summaries[:120])
    proxy = CaseFilterProxy(today=lambda: TODAY)
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_search_text("e")
    proxy.set_status_filter({"concept"})
    proxy.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    proxy.set_status_filter(None)
    proxy.set_search_text("")
    model.refresh_row(summaries[0].id, dataclasses.replace(summaries[0], client_name="Aa, Z."))
    assert proxy.rowCount() == 120


def test_results_tree_model(qtmodeltester) -> None:
    model = ResultsTreeModel(load_catalogue().result_areas)
    model.load([Result("financien", "heeft een geordende (financiële) administratie", "toename")])
    qtmodeltester.check(model)
    area = model.area_index("financien")
    assert model.setData(
        model.index(1, 0, area), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert model.set_development("financien", "stabilisatie")
    model.load([])
    assert model.results() == []


def test_audit_table_model(qtmodeltester) -> None:
    model = AuditTableModel()
    qtmodeltester.check(model, force_py=True)  # empty, as the dialog opens
    model.set_entries(
        [
            audit_record(1, "create"),
            audit_record(2, "save", fields=["zrm_notes", "location"]),
            audit_record(3, "finalise", outcome="ib_bw", tariff_tables=1),
            audit_record(4, "import", "refused", kind="planning", errors=2),
        ]
    )
    assert model.rowCount() == 4
    assert model.data(model.index(0, 0), AuditTableModel.SEQ_ROLE) == 4  # newest first


def test_every_ui_model_is_checked_here() -> None:
    """A new QAbstractItemModel in bwo_desktop/ui needs a modeltester test in this file."""
    import importlib
    import pkgutil

    found: set[str] = set()
    for info in pkgutil.walk_packages(bwo_desktop.ui.__path__, "bwo_desktop.ui."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, QAbstractItemModel)
                and value.__module__ == info.name
            ):
                found.add(value.__name__)
    checked = {"CaseTableModel", "CaseFilterProxy", "ResultsTreeModel", "AuditTableModel"}
    assert found == checked
