"""The case list loaded as columns (CaseRows, what CaseService.list_rows gives): the same
cells, roles, search and refreshes as from CaseSummary objects, and Qt's model contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fakes import FakeCases, FakeEditor, FakeEditorFactory, make_summaries, open_and_wait
from PySide6.QtCore import Qt

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows, case_id_of, id_key
from bwo_desktop.settings import Settings
from bwo_desktop.ui.case_filter import CaseFilterProxy
from bwo_desktop.ui.case_index import CaseIndex, load_case_list
from bwo_desktop.ui.case_table_model import (
    COL_CLIENT,
    COL_PLANNED,
    COLUMN_COUNT,
    CaseIdRole,
    CaseTableModel,
    RawValueRole,
)
from bwo_desktop.ui.main_window import MainWindow, ShellContext

TODAY = dt.date(2024, 3, 12)
ROLES = (
    int(Qt.ItemDataRole.DisplayRole),
    int(Qt.ItemDataRole.ToolTipRole),
    int(Qt.ItemDataRole.AccessibleTextRole),
    int(Qt.ItemDataRole.TextAlignmentRole),
    CaseIdRole,
    RawValueRole,
)


def as_rows(summaries: list[CaseSummary]) -> CaseRows:
    """Rows as the service makes them: text columns, clients and providers by key."""
    by_client: dict[tuple[str, str, str], str] = {}
    by_provider: dict[str, str] = {"": ""}
    rows = CaseRows.from_summaries(summaries)
    clients: dict[str, tuple[str, str, str]] = {}
    for r in range(len(rows)):
        client = rows.clients[rows.client_keys[r]]
        key = by_client.setdefault(client, f"c{len(by_client)}")
        clients[key] = client
        rows.client_keys[r] = key
        name = rows.provider_name(r)
        rows.provider_keys[r] = by_provider.setdefault(name, f"p{len(by_provider)}" if name else "")
    rows.clients = clients
    rows.providers = {k: n for n, k in by_provider.items()}
    return rows


@pytest.fixture
def sample() -> list[CaseSummary]:
    return make_summaries(80, seed=5, today=TODAY)


def test_summaries_round_trip_through_columns(sample: list[CaseSummary]) -> None:
    rows = as_rows(sample)
    assert rows.summaries() == sample
    assert [rows.case_id(r) for r in range(len(rows))] == [s.id for s in sample]


def test_id_keys() -> None:
    case_id = "9d50e108-feeb-4f85-9634-4b0fabedc60b"
    assert id_key(case_id) == "9d50e108feeb4f8596344b0fabedc60b"
    assert case_id_of(id_key(case_id)) == case_id
    assert id_key(case_id.upper()) == id_key(case_id)
    assert id_key("id-1") == "id-1" and case_id_of("id-1") == "id-1"


def test_same_cells_as_from_summaries(sample: list[CaseSummary]) -> None:
    from_objects, from_columns = CaseTableModel(sample), CaseTableModel(as_rows(sample))
    for row in range(len(sample)):
        for column in range(COLUMN_COUNT):
            for role in ROLES:
                a = from_objects.data(from_objects.index(row, column), role)
                b = from_columns.data(from_columns.index(row, column), role)
                assert a == b, (row, column, role)
    assert from_columns.summary(sample[7].id) == sample[7]
    assert from_columns.row_of(sample[7].id) == 7
    assert from_columns.case_id_at(7) == sample[7].id


def test_qt_model_contract_of_a_column_model(qtmodeltester: Any, sample: list[CaseSummary]) -> None:
    model = CaseTableModel(as_rows(sample))
    qtmodeltester.check(model, force_py=True)
    changed = dataclasses.replace(sample[3], client_name="Nieuw, N.", provider_name="Anders")
    model.refresh_row(sample[3].id, changed)
    model.refresh_row("new-id", dataclasses.replace(sample[4], id="new-id"))
    model.remove_case(sample[0].id)
    assert model.summary(sample[3].id) == changed
    assert model.row_of("new-id") == len(sample) - 1


def test_qt_model_contract_of_the_proxy_on_columns(
    qtmodeltester: Any, sample: list[CaseSummary]
) -> None:
    model = CaseTableModel()
    proxy = CaseFilterProxy(today=lambda: TODAY)
    proxy.setSourceModel(model)
    rows = as_rows(sample)
    proxy.adopt_index(CaseIndex(rows).prepare())
    model.set_rows(rows)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_search_text("kompas")
    proxy.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    proxy.set_status_filter({"planned", "concept"})
    target = proxy.summary_at(0)
    model.refresh_row(target.id, dataclasses.replace(target, status="definitief"))
    assert target.id not in proxy.visible_case_ids()
    proxy.set_status_filter(None)
    proxy.set_expiring_filter(8)
    proxy.set_day_filter(TODAY)
    proxy.set_search_text("")


def test_search_filters_and_sort_match_the_summary_path(sample: list[CaseSummary]) -> None:
    def proxy_of(model: CaseTableModel) -> CaseFilterProxy:
        proxy = CaseFilterProxy(today=lambda: TODAY)
        proxy.setSourceModel(model)
        return proxy

    objects, columns = proxy_of(CaseTableModel(sample)), proxy_of(CaseTableModel(as_rows(sample)))
    checks: list[Callable[[CaseFilterProxy], None]] = [
        lambda p: p.set_search_text("celik"),
        lambda p: p.set_search_text(sample[9].bsn),
        lambda p: p.set_search_text(sample[9].birth_date.strftime("%d-%m-%Y")),
        lambda p: p.set_search_text("kompas 2024-0"),
        lambda p: p.set_search_text(""),
        lambda p: p.set_status_filter({"definitief"}),
        lambda p: p.set_status_filter(None),
        lambda p: p.set_expiring_filter(8),
        lambda p: p.set_expiring_filter(None),
        lambda p: p.set_day_filter(sample[2].planned_date, sample[2].location),
        lambda p: p.set_day_filter(None),
    ]
    for check in checks:
        check(objects)
        check(columns)
        assert objects.visible_case_ids() == columns.visible_case_ids()
    for column in range(COLUMN_COUNT):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            objects.sort(column, order)
            columns.sort(column, order)
            assert objects.visible_case_ids() == columns.visible_case_ids(), column
    assert objects.herindicatie_days() == columns.herindicatie_days()
    assert objects.herindicatie_days(TODAY) == columns.herindicatie_days(TODAY)
    assert objects.first_row_planned_from(TODAY) == columns.first_row_planned_from(TODAY)


def test_rows_in_planned_order_need_no_reordering(sample: list[CaseSummary]) -> None:
    ordered = sorted(sample, key=lambda s: (s.planned_date or dt.date.max, s.planned_time))
    index = CaseIndex(as_rows(ordered))
    view = index.sorted_view(COL_PLANNED)
    assert view.order == list(range(len(ordered)))
    assert view.keys is index.keys  # used as they are


def test_load_case_list_reads_columns(sample: list[CaseSummary]) -> None:
    rows, index = load_case_list(FakeCases(sample))
    assert isinstance(rows, CaseRows) and index.matches_rows(rows)


def test_window_shows_columns_and_reloads_after_a_new_version(
    qtbot: Any, sample: list[CaseSummary]
) -> None:
    cases = FakeCases(sample)
    FakeEditor.instances.clear()
    window = MainWindow(
        ShellContext(
            cases=cases,
            settings=Settings(consultant_name="M. Vermeulen"),
            editor_factory=FakeEditorFactory(cases),
            today=lambda: TODAY,
        )
    )
    qtbot.addWidget(window)
    window.load_cases(*load_case_list(cases))
    assert window.proxy.total_count() == len(sample)
    old = sample[4]
    open_and_wait(qtbot, window, old.id)
    # A new version: the old row leaves the list, a new id takes its place.
    new = dataclasses.replace(old, id="00000000-0000-0000-0000-00000000abcd", status="concept")
    del cases.rows[old.id]
    cases.rows[new.id] = new
    FakeEditor.instances[-1].case_changed.emit(new.id)
    window.back_to_list()
    qtbot.waitUntil(lambda: window.model.row_of(new.id) is not None, timeout=3000)
    assert window.model.row_of(old.id) is None
    assert window.proxy.total_count() == len(sample)


def test_repeated_refreshes_of_a_row_search_its_latest_values(sample: list[CaseSummary]) -> None:
    model = CaseTableModel(as_rows(sample))
    proxy = CaseFilterProxy(today=lambda: TODAY)
    proxy.setSourceModel(model)
    target = sample[11]
    for name in ("Eerste, A.", "Zzwart, B."):
        model.refresh_row(target.id, dataclasses.replace(target, client_name=name))
    proxy.set_search_text("eerste")
    assert proxy.visible_case_ids() == []
    proxy.set_search_text("zzwart")
    assert proxy.visible_case_ids() == [target.id]
    proxy.set_search_text("")
    proxy.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    assert proxy.case_id_at(0) == target.id  # "zzwart" sorts after every sample name
