"""Search, filters and sorting of the case list, fast enough for 50,000 cases per keystroke.

`ui.case_index.CaseIndex` (pure Python, built on a worker thread) holds one folded search
string per case: kenmerk, name, birth date (dd-mm-jjjj and ISO), the full BSN, provider,
location and planned date. A keystroke filters a Python list of row numbers with substring
tests, never calling `data()` per cell. `CaseFilterProxy` shows the result to the view.

The full BSN is searchable but never displayed: the search string stays inside the index.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains
from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import case_id_of
from bwo_desktop.core.case_search import SEP
from bwo_desktop.core.case_search import query_tokens as query_tokens
from bwo_desktop.core.names import fold
from bwo_desktop.ui.case_index import (
    DEFAULT_SORT_COLUMN,
    EMPTY_LAST,
    CaseIndex,
    HerindicatieDay,
)
from bwo_desktop.ui.case_table_model import (
    COL_PLANNED,
    COLUMN_COUNT,
    ITEM_FLAGS,
    CaseTableModel,
    cell_data,
)

_Index: TypeAlias = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class FilterState:
    text: str = ""
    statuses: frozenset[str] | None = None  # None: every status
    day: dt.date | None = None
    location: str | None = None  # with `day`: one herindicatie day at one location
    expiring_weeks: int | None = None  # the "binnenkort aflopend zonder besluit" view


class CaseFilterProxy(QAbstractProxyModel):
    """Filtered and sorted view of a CaseTableModel, with its own row index.

    Rows are kept as positions in the current sort order; the search keys are laid out
    contiguously in that order, so a keystroke is one C-level pass (map/compress) over them.
    """

    def __init__(self, parent: Any = None, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self._today = today
        self._index = CaseIndex(())
        self._pending_index: CaseIndex | None = None
        self._state = FilterState()
        self._sort_column = DEFAULT_SORT_COLUMN
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._order: list[int] = []  # source rows in sort order
        self._sorted_keys: list[str] = []  # search keys in sort order
        self._rank: list[int] = []  # source row -> position in _order
        self._base: list[int] | None = None  # positions passing the non-text filters (None: all)
        self._tokens: list[str] = []
        self._visible: list[int] = []  # positions shown, ascending (so bisect finds a row)

    # --- source ---------------------------------------------------------------------------

    def setSourceModel(self, model: Any) -> None:
        if not isinstance(model, CaseTableModel):
            raise TypeError("CaseFilterProxy werkt alleen op een CaseTableModel")
        old = self.sourceModel()
        if old is not None:
            for signal in (old.modelReset, old.rowsInserted, old.rowsRemoved, old.layoutChanged):
                signal.disconnect(self._source_reset)
            old.dataChanged.disconnect(self._source_data_changed)
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelReset.connect(self._source_reset)
        model.rowsInserted.connect(self._source_reset)
        model.rowsRemoved.connect(self._source_reset)
        model.layoutChanged.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        self._rebuild_index()
        self._resort()
        self._recompute()
        self.endResetModel()

    def case_model(self) -> CaseTableModel:
        model = self.sourceModel()
        assert isinstance(model, CaseTableModel)
        return model

    def adopt_index(self, index: CaseIndex) -> None:
        """Use an index built on a worker thread for the next source reset (if it fits)."""
        self._pending_index = index

    def _rebuild_index(self) -> None:
        rows = self.case_model().rows()
        pending, self._pending_index = self._pending_index, None
        if pending is not None and pending.matches_rows(rows):
            self._index = pending
        else:
            self._index = CaseIndex(rows)

    def _source_reset(self, *args: Any) -> None:
        self.beginResetModel()
        self._rebuild_index()
        self._resort()
        self._recompute()
        self.endResetModel()

    def _source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, *args: Any
    ) -> None:
        model = self.case_model()
        rows = range(top_left.row(), bottom_right.row() + 1)
        # What is shown now, not a test on the rows: the index may share the model's
        # columns, which hold the new values already.
        was_visible = {r: self._proxy_row(r) is not None for r in rows}
        rank = self._rank
        for r in rows:
            self._index.set_row(r, model.summary_at(r))
            # The row keeps its place until the next sort, as in a mail client.
            self._sorted_keys[rank[r]] = self._index.keys[r]
        if any(self._passes(r) != was_visible[r] for r in rows):
            self.refilter()
            return
        for r in rows:
            proxy_row = self._proxy_row(r)
            if proxy_row is not None:
                self.dataChanged.emit(
                    self.index(proxy_row, 0), self.index(proxy_row, COLUMN_COUNT - 1)
                )

    # --- filter state ---------------------------------------------------------------------

    def set_filter_state(self, state: FilterState) -> None:
        old = self._state
        if state == old:
            return
        self._state = state
        base_changed = (old.statuses, old.day, old.location, old.expiring_weeks) != (
            state.statuses,
            state.day,
            state.location,
            state.expiring_weeks,
        )
        self._apply(narrowing=not base_changed and _is_narrowing(old.text, state.text))

    def set_search_text(self, text: str) -> None:
        self.set_filter_state(_replace(self._state, text=text))

    def set_status_filter(self, statuses: Iterable[str] | None) -> None:
        value = None if statuses is None else frozenset(statuses)
        self.set_filter_state(_replace(self._state, statuses=value))

    def set_day_filter(self, day: dt.date | None, location: str | None = None) -> None:
        self.set_filter_state(_replace(self._state, day=day, location=location if day else None))

    def set_expiring_filter(self, weeks: int | None) -> None:
        self.set_filter_state(_replace(self._state, expiring_weeks=weeks))

    def refilter(self) -> None:
        self._apply(narrowing=False)

    def _apply(self, *, narrowing: bool) -> None:
        self.beginResetModel()
        if narrowing:
            self._tokens = query_tokens(self._state.text)
            self._visible = self._text_filter(self._visible)
        else:
            self._recompute()
        self.endResetModel()

    def _resort(self) -> None:
        view = self._index.sorted_view(
            self._sort_column, self._sort_order == Qt.SortOrder.DescendingOrder
        )
        # The proxy patches keys in place on a row refresh: its own copy of the list.
        self._order, self._sorted_keys, self._rank = view.order, list(view.keys), view.rank

    def _recompute(self) -> None:
        base_pred = self._base_predicate()
        if base_pred is None:
            self._base = None
        else:
            order = self._order
            self._base = [p for p, row in enumerate(order) if base_pred(row)]
        self._tokens = query_tokens(self._state.text)
        self._visible = self._text_filter(self._base)

    def _text_filter(self, positions: list[int] | None) -> list[int]:
        keys = self._sorted_keys
        tokens = self._tokens
        if not tokens:
            return list(range(len(keys))) if positions is None else positions
        for token in tokens:  # positions is a list after the first pass
            if positions is None or len(positions) * 2 > len(keys):
                # Most rows are candidates: one straight pass is cheaper than picking.
                hits = list(compress(range(len(keys)), map(contains, keys, repeat(token))))
                if positions is not None and len(hits) != len(keys):
                    allowed = set(positions)
                    hits = [p for p in hits if p in allowed]
                positions = hits
            else:
                positions = list(
                    compress(
                        positions, map(contains, map(keys.__getitem__, positions), repeat(token))
                    )
                )
        assert positions is not None
        return positions

    def _base_predicate(self) -> Callable[[int], bool] | None:
        """The non-text filters as a test on a source row (None: every row passes)."""
        state = self._state
        rows = self._index.rows
        tests: list[Callable[[int], bool]] = []
        if state.statuses is not None:
            statuses, status_of = state.statuses, rows.statuses
            tests.append(lambda r: status_of[r] in statuses)
        if state.day is not None:
            day, location, planned, locations = (
                state.day.isoformat(),
                state.location,
                rows.planned,
                rows.locations,
            )
            if location is None:
                tests.append(lambda r: planned[r] == day)
            else:
                tests.append(lambda r: planned[r] == day and locations[r] == location)
        if state.expiring_weeks is not None:
            limit = (self._today() + dt.timedelta(weeks=state.expiring_weeks)).isoformat()
            decided = self._index.decided_indications()
            status_of, ends, bsns = rows.statuses, rows.indication_ends, self._index.bsns()
            tests.append(
                lambda r: (
                    status_of[r] != "definitief"
                    and ends[r] != ""
                    and ends[r] <= limit
                    and f"{bsns[r]}{SEP}{ends[r]}" not in decided
                )
            )
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda r: all(test(r) for test in tests)

    def _passes(self, row: int) -> bool:
        pred = self._base_predicate()
        if pred is not None and not pred(row):
            return False
        key = self._index.keys[row]
        return all(token in key for token in self._tokens)

    # --- sorting --------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < COLUMN_COUNT:
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_sources = [self.mapToSource(i) for i in old_persistent]
        self._sort_column, self._sort_order = column, order
        self._resort()
        self._recompute()
        self.changePersistentIndexList(old_persistent, [self.mapFromSource(s) for s in old_sources])
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    # --- by case id -----------------------------------------------------------------------

    def visible_count(self) -> int:
        return len(self._visible)

    def total_count(self) -> int:
        return len(self._index)

    def source_row(self, row: int) -> int:
        return self._order[self._visible[row]]

    def summary_at(self, row: int) -> CaseSummary:
        return self.case_model().summary_at(self._order[self._visible[row]])

    def case_id_at(self, row: int) -> str:
        return case_id_of(self._index.rows.id_keys[self._order[self._visible[row]]])

    def visible_case_ids(self) -> list[str]:
        keys, order = self._index.rows.id_keys, self._order
        return [case_id_of(keys[order[p]]) for p in self._visible]

    def row_of_case(self, case_id: str) -> int | None:
        source_row = self.case_model().row_of(case_id)
        return None if source_row is None else self._proxy_row(source_row)

    def first_row_planned_from(self, day: dt.date) -> int | None:
        """The first shown row planned on `day` or later (where a working day starts)."""
        planned, order, visible = self._index.rows.planned, self._order, self._visible
        first = day.isoformat()
        if self._sort_column == COL_PLANNED and self._sort_order == Qt.SortOrder.AscendingOrder:
            # Sorted by planned date with the unplanned last: a binary search.
            row = bisect.bisect_left(
                range(len(visible)), first, key=lambda i: planned[order[visible[i]]] or EMPTY_LAST
            )
            ok = row < len(visible) and planned[order[visible[row]]] != ""
            return row if ok else None
        for row, pos in enumerate(visible):
            iso_day = planned[order[pos]]
            if iso_day and iso_day >= first:
                return row
        return None

    def herindicatie_days(self, since: dt.date | None = None) -> list[HerindicatieDay]:
        return self._index.herindicatie_days(since)

    def _proxy_row(self, source_row: int) -> int | None:
        if not 0 <= source_row < len(self._rank):
            return None
        pos = self._rank[source_row]
        row = bisect.bisect_left(self._visible, pos)
        return row if row < len(self._visible) and self._visible[row] == pos else None

    # --- QAbstractProxyModel --------------------------------------------------------------

    def mapToSource(self, proxy_index: _Index) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._visible):
            return QModelIndex()
        return model.index(self._order[self._visible[row]], proxy_index.column())

    def mapFromSource(self, source_index: _Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_row(source_index.row())
        return QModelIndex() if row is None else self.index(row, source_index.column())

    def data(self, index: _Index, role: int = 0) -> Any:
        # Straight from the source's summary: no round trip through mapToSource.
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._visible) and 0 <= column < COLUMN_COUNT):
            return None
        summary = self.case_model().summary_at(self._order[self._visible[row]])
        return cell_data(summary, column, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return ITEM_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._visible) and 0 <= column < COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def sibling(self, row: int, column: int, idx: _Index) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._visible)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            model = self.sourceModel()
            return None if model is None else model.headerData(section, orientation, role)
        if role == int(Qt.ItemDataRole.DisplayRole) and 0 <= section < len(self._visible):
            return str(section + 1)
        return None


def _replace(state: FilterState, **changes: Any) -> FilterState:
    from dataclasses import replace

    return replace(state, **changes)


def _is_narrowing(old_text: str, new_text: str) -> bool:
    """A query that extends the previous one can only match fewer rows."""
    old = fold(old_text).strip()
    return bool(old) and fold(new_text).startswith(fold(old_text))
