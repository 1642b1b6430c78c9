"""Search and filters of the case list: accent-insensitive, BSN, dates, status, day, expiring."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from fakes import make_summaries
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.ui.case_filter import CaseFilterProxy, query_tokens
from bwo_desktop.ui.case_index import CaseIndex
from bwo_desktop.ui.case_table_model import (
    COL_CLIENT,
    COL_INDICATION_END,
    COL_STATUS,
    CaseTableModel,
)

TODAY = dt.date(2024, 3, 12)


def summary(i: int, name: str, **kw: object) -> CaseSummary:
    base = CaseSummary(
        id=f"id-{i}",
        reference=f"BWO-2024-AB12-{i:04d}",
        client_name=name,
        bsn=kw.pop("bsn", f"99999{i:04d}"),  # type: ignore[arg-type]
        birth_date=dt.date(1980, 5, 17),
        provider_name="Stichting Het Kompas",
        planned_date=TODAY,
        planned_time=dt.time(9, 0),
        location="Dordrecht, Spuiweg 12",
        status="planned",
        ib_level=None,
        current_indication_end=dt.date(2024, 6, 30),
        updated_at=None,
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture
def sample() -> list[CaseSummary]:
    return [
        summary(1, "Çelik, A."),
        summary(2, "Wilde, M. de", bsn="999990019", birth_date=dt.date(1975, 3, 2)),
        summary(3, "Jansen, P.", provider_name="Leger des Heils", status="concept"),
        summary(
            4,
            "Yılmaz, E.",
            status="definitief",
            ib_level="IB2",
            planned_date=dt.date(2024, 2, 1),
            location="Zwijndrecht, Kerkstraat 5",
        ),
        summary(
            5, "Wiśniewski, K.", planned_date=dt.date(2024, 3, 13), reference="BWO-2024-ZZ99-0777"
        ),
    ]


def make_proxy(rows: list[CaseSummary]) -> tuple[CaseTableModel, CaseFilterProxy]:
    model = CaseTableModel(rows)
    proxy = CaseFilterProxy(today=lambda: TODAY)
    proxy.setSourceModel(model)
    return model, proxy


def names(proxy: CaseFilterProxy) -> set[str]:
    return {proxy.summary_at(r).client_name for r in range(proxy.rowCount())}


def test_qt_model_contract(qtmodeltester, summaries: list[CaseSummary]) -> None:
    model, proxy = make_proxy(summaries[:60])
    qtmodeltester.check(proxy, force_py=True)
    # The tester stays connected and checks every change signal from here on.
    proxy.set_search_text("a")
    proxy.set_search_text("an")
    proxy.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    proxy.set_status_filter({"planned"})
    model.refresh_row(summaries[3].id, dataclasses.replace(summaries[3], status="concept"))
    model.refresh_row(summaries[4].id, dataclasses.replace(summaries[4], location="Elders"))
    proxy.set_search_text("no such text at all")
    model.set_summaries(summaries[:10])


def test_qt_model_contract_filtered_to_nothing(qtmodeltester, summaries: list[CaseSummary]) -> None:
    _model, proxy = make_proxy(summaries[:30])
    proxy.set_search_text("no such text at all")
    qtmodeltester.check(proxy, force_py=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("celik", {"Çelik, A."}),
        ("Celik", {"Çelik, A."}),
        ("ÇELİK", {"Çelik, A."}),
        ("yilmaz", {"Yılmaz, E."}),
        ("wisniewski", {"Wiśniewski, K."}),
        ("de wilde", {"Wilde, M. de"}),
        ("wilde m", {"Wilde, M. de"}),
        ("leger", {"Jansen, P."}),
        ("zz99-0777", {"Wiśniewski, K."}),
        ("bwo-2024-zz99", {"Wiśniewski, K."}),
        ("999990019", {"Wilde, M. de"}),  # full BSN
        ("02-03-1975", {"Wilde, M. de"}),  # birth date dd-mm-jjjj
        ("1975-03-02", {"Wilde, M. de"}),  # birth date ISO
        ("02.03.1975", {"Wilde, M. de"}),
        ("13-03-2024", {"Wiśniewski, K."}),  # planned date
        ("2024-02-01", {"Yılmaz, E."}),
        ("zwijndrecht", {"Yılmaz, E."}),
        ("xyz", set()),
    ],
)
def test_search(sample: list[CaseSummary], query: str, expected: set[str]) -> None:
    _model, proxy = make_proxy(sample)
    proxy.set_search_text(query)
    assert names(proxy) == expected


def test_masked_digits_do_not_leak_through_search_results(sample: list[CaseSummary]) -> None:
    _model, proxy = make_proxy(sample)
    proxy.set_search_text("999990019")
    assert proxy.rowCount() == 1
    assert "999990019" not in str(proxy.data(proxy.index(0, 2)))


def test_status_filter(sample: list[CaseSummary]) -> None:
    _model, proxy = make_proxy(sample)
    proxy.set_status_filter({"concept"})
    assert names(proxy) == {"Jansen, P."}
    proxy.set_status_filter({"planned", "concept"})
    assert "Yılmaz, E." not in names(proxy)
    proxy.set_status_filter(None)
    assert proxy.rowCount() == len(sample)


def test_day_and_location_filter(sample: list[CaseSummary]) -> None:
    _model, proxy = make_proxy(sample)
    proxy.set_day_filter(TODAY)
    assert names(proxy) == {"Çelik, A.", "Wilde, M. de", "Jansen, P."}
    proxy.set_day_filter(dt.date(2024, 2, 1), "Zwijndrecht, Kerkstraat 5")
    assert names(proxy) == {"Yılmaz, E."}
    proxy.set_day_filter(dt.date(2024, 2, 1), "Dordrecht, Spuiweg 12")
    assert names(proxy) == set()
    days = proxy.herindicatie_days()
    assert (days[0].day, days[0].location, days[0].count) == (
        dt.date(2024, 2, 1),
        "Zwijndrecht, Kerkstraat 5",
        1,
    )
    assert sum(d.count for d in days) == len(sample)


def test_expiring_without_decision() -> None:
    rows = [
        summary(1, "Soon, A.", current_indication_end=TODAY + dt.timedelta(weeks=3)),
        summary(2, "Late, B.", current_indication_end=TODAY + dt.timedelta(weeks=30)),
        summary(
            3, "Decided, C.", bsn="999990033", current_indication_end=TODAY + dt.timedelta(weeks=2)
        ),
        # the same client's indication already has a definitief decision in another version:
        summary(
            4,
            "Decided, C.",
            bsn="999990033",
            status="definitief",
            current_indication_end=TODAY + dt.timedelta(weeks=2),
        ),
        summary(5, "Lapsed, D.", current_indication_end=TODAY - dt.timedelta(days=3)),
        summary(6, "Unknown, E.", current_indication_end=None),
    ]
    _model, proxy = make_proxy(rows)
    proxy.set_expiring_filter(8)
    assert names(proxy) == {"Soon, A.", "Lapsed, D."}
    proxy.sort(COL_INDICATION_END, Qt.SortOrder.AscendingOrder)
    assert proxy.summary_at(0).client_name == "Lapsed, D."


def test_filters_combine(sample: list[CaseSummary]) -> None:
    _model, proxy = make_proxy(sample)
    proxy.set_day_filter(TODAY)
    proxy.set_search_text("kompas")
    proxy.set_status_filter({"planned"})
    assert names(proxy) == {"Çelik, A.", "Wilde, M. de"}


def test_sorting_keeps_refresh_by_id(qtbot, sample: list[CaseSummary]) -> None:
    model, proxy = make_proxy(sample)
    proxy.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    target = sample[2]  # Jansen
    row = proxy.row_of_case(target.id)
    assert row is not None
    with qtbot.waitSignal(proxy.dataChanged) as blocker:
        model.refresh_row(
            target.id, dataclasses.replace(target, status="definitief", ib_level="IB3")
        )
    assert blocker.args[0].row() == row
    assert proxy.summary_at(row).id == target.id
    assert proxy.data(proxy.index(row, COL_STATUS)) == "definitief"


def test_refresh_that_leaves_the_filter_removes_the_row(sample: list[CaseSummary]) -> None:
    model, proxy = make_proxy(sample)
    proxy.set_status_filter({"planned"})
    before = proxy.rowCount()
    target = sample[0]
    model.refresh_row(target.id, dataclasses.replace(target, status="concept"))
    assert proxy.rowCount() == before - 1
    assert proxy.row_of_case(target.id) is None
    proxy.set_search_text("celik")
    assert proxy.rowCount() == 0
    model.refresh_row(target.id, dataclasses.replace(target, status="planned"))
    assert names(proxy) == {"Çelik, A."}


def test_sort_orders(sample: list[CaseSummary]) -> None:
    _model, proxy = make_proxy(sample)
    proxy.sort(COL_CLIENT, Qt.SortOrder.AscendingOrder)
    ordered = [proxy.summary_at(r).client_name for r in range(proxy.rowCount())]
    assert ordered[0] == "Çelik, A."  # folded: sorts as "celik"
    proxy.sort(COL_CLIENT, Qt.SortOrder.DescendingOrder)
    assert [proxy.summary_at(r).client_name for r in range(proxy.rowCount())] == ordered[::-1]


def test_prebuilt_index_is_adopted(sample: list[CaseSummary]) -> None:
    model = CaseTableModel()
    proxy = CaseFilterProxy(today=lambda: TODAY)
    proxy.setSourceModel(model)
    index = CaseIndex(sample)
    proxy.adopt_index(index)
    model.set_summaries(sample)
    assert proxy._index is index
    proxy.set_search_text("celik")
    assert proxy.rowCount() == 1


def test_query_tokens() -> None:
    assert query_tokens("  Çelik  12.03.2024 ") == ["celik", "12-03-2024"]
    assert query_tokens("M. de") == ["m.", "de"]


@given(st.lists(st.sampled_from("ceilkmw9 0-3.çé"), max_size=8))
def test_typing_narrows_like_a_fresh_search(keys: list[str]) -> None:
    """Incremental narrowing per keystroke gives exactly the rows of a fresh search."""
    rows = make_summaries(200, seed=3)
    _model, typed = make_proxy(rows)
    text = ""
    for key in keys:
        text += key
        typed.set_search_text(text)
    _model2, fresh = make_proxy(rows)
    fresh.set_search_text(text)
    assert typed.visible_case_ids() == fresh.visible_case_ids()
