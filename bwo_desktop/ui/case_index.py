"""The case list's index: one folded search string per case and the sort orders, built from
the list's columns (`core.case_rows.CaseRows`) once, on a worker thread. Pure Python (no Qt
calls), so the UI thread only adopts it; `ui.case_filter.CaseFilterProxy` filters with it.

The full BSN is searchable but never displayed: the search string stays inside the index.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows, id_key
from bwo_desktop.core.case_search import SEP, SearchKeys, fold_column, fold_fast
from bwo_desktop.ui.case_table_model import (
    COL_BIRTH_DATE,
    COL_BSN,
    COL_CLIENT,
    COL_IB_LEVEL,
    COL_INDICATION_END,
    COL_LOCATION,
    COL_NEW_END,
    COL_PLANNED,
    COL_PROVIDER,
    COL_REFERENCE,
    COL_STATUS,
)

STATUS_ORDER = {"planned": 0, "concept": 1, "definitief": 2}
DEFAULT_EXPIRING_WEEKS = 8
DEFAULT_SORT_COLUMN = COL_PLANNED  # a herindicatie day reads top to bottom
EMPTY_LAST = "~"  # sorts after digits and letters: empty values last in ascending order


@dataclass(frozen=True)
class SortedView:
    order: list[int]  # source rows in sort order
    keys: list[str]  # their search keys, in that order
    rank: list[int]  # source row -> position in `order`


@dataclass(frozen=True)
class HerindicatieDay:
    """One herindicatie day at one location: the unit a consultant plans a morning by."""

    day: dt.date
    location: str
    count: int


class CaseIndex:
    """Row-aligned precomputed data of the case list (same order as the table model).

    Works on the model's columns (`CaseRows`, shared, not copied); sort keys are made per
    column with C-level passes (map over dict lookups), never per CaseSummary."""

    def __init__(self, rows: CaseRows | Sequence[CaseSummary]) -> None:
        # CaseRows are shared with the table model (no copy of 50,000 rows): the model
        # changes a row first, then `set_row` here brings the keys and caches along.
        self.rows: CaseRows = rows if isinstance(rows, CaseRows) else CaseRows.from_summaries(rows)
        self._keyer = SearchKeys(self.rows)
        self.keys: list[str] = self._keyer.all_keys(self.rows)
        self._orders: dict[int, list[int]] = {}
        self._views: dict[tuple[int, bool], SortedView] = {}
        self._bsns: list[str] | None = None
        self._decided: set[str] | None = None
        self._day_counts: dict[dt.date | None, list[HerindicatieDay]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def matches_rows(self, rows: CaseRows | Sequence[CaseSummary]) -> bool:
        if isinstance(rows, CaseRows):
            return rows.id_keys == self.rows.id_keys
        return len(rows) == len(self.rows) and all(
            id_key(s.id) == i for s, i in zip(rows, self.rows.id_keys, strict=True)
        )

    def set_row(self, row: int, summary: CaseSummary) -> None:
        if row == len(self.rows):
            self.rows.append(summary)
        else:
            self.rows.set_row(row, summary)  # a no-op when shared with the model
        if row == len(self.keys):
            self.keys.append(self._keyer.key(self.rows, row))
        else:
            self.keys[row] = self._keyer.key(self.rows, row)
        self._orders.clear()
        self._views.clear()
        self._bsns = None
        self._decided = None
        self._day_counts.clear()

    def _sort_keys(self, column: int) -> list[Any]:
        # Empty values sort last in ascending order; ties keep the model's order. ISO dates
        # and times sort as text; names folded (accents and case ignored).
        rows = self.rows
        if column == COL_CLIENT:
            return list(map(self._keyer.client_names.__getitem__, rows.client_keys))
        if column == COL_BIRTH_DATE:
            return rows.birth_dates()
        if column == COL_BSN:
            # The order of what is shown (the last three digits), not of the hidden ones.
            last3 = {k: v[1][-3:] for k, v in rows.clients.items()}
            return list(map(last3.__getitem__, rows.client_keys))
        if column == COL_PROVIDER:
            return list(map(self._keyer.providers.__getitem__, rows.provider_keys))
        if column == COL_PLANNED:
            return [
                d + SEP + t if d else EMPTY_LAST
                for d, t in zip(rows.planned, rows.times, strict=True)
            ]
        if column == COL_LOCATION:
            folded = {v: fold_fast(v) for v in set(rows.locations)}
            return list(map(folded.__getitem__, rows.locations))
        if column == COL_STATUS:
            return list(map(STATUS_ORDER.get, rows.statuses, repeat(9)))
        if column == COL_IB_LEVEL:
            return [v or EMPTY_LAST for v in rows.ib_levels]
        if column == COL_INDICATION_END:
            return [v or EMPTY_LAST for v in rows.indication_ends]
        if column == COL_NEW_END:
            return [v or EMPTY_LAST for v in rows.new_ends]
        if column == COL_REFERENCE:
            return fold_column(rows.references)
        return [0] * len(rows)

    def order(self, column: int) -> list[int]:
        """Row numbers sorted ascending by `column` (cached until a row changes)."""
        cached = self._orders.get(column)
        if cached is None:
            keys = self._sort_keys(column)
            cached = sorted(range(len(keys)), key=keys.__getitem__)
            self._orders[column] = cached
        return cached

    def sorted_view(self, column: int, descending: bool = False) -> SortedView:
        """Rows, search keys and ranks in the order of `column` (cached until a row changes)."""
        view = self._views.get((column, descending))
        if view is None:
            order = self.order(column)
            if descending:
                order = order[::-1]
            keys = self.keys
            identity = list(range(len(order)))
            if order == identity:
                # The rows are in this order already (the service gives them by planned
                # date): the keys are laid out in it too.
                view = SortedView(order, keys, identity)
            else:
                # join + split allocates the strings afresh in this order: a pass over them
                # then reads memory front to back, which is what makes 50,000 substring
                # tests take a few ms instead of tens.
                sorted_keys = "\n".join([keys[r] for r in order]).split("\n") if order else []
                rank = [0] * len(order)
                for pos, row in enumerate(order):
                    rank[row] = pos
                view = SortedView(order, sorted_keys, rank)
            self._views[(column, descending)] = view
        return view

    def prepare(self, column: int = DEFAULT_SORT_COLUMN, descending: bool = False) -> CaseIndex:
        """Do the sorting work now (on a worker thread) rather than on the UI thread."""
        self.sorted_view(column, descending)
        return self

    def bsns(self) -> list[str]:
        if self._bsns is None:
            self._bsns = self.rows.bsns()
        return self._bsns

    def decided_indications(self) -> set[str]:
        """BSN and ISO end of the indication (joined by the separator) of every definitief
        case: that indication has a decision. Strings, not tuples: no work for the garbage
        collector on 50,000 entries. Made when the expiring filter is first used."""
        if self._decided is None:
            self._decided = set(
                compress(
                    map(SEP.join, zip(self.bsns(), self.rows.indication_ends, strict=True)),
                    map("definitief".__eq__, self.rows.statuses),
                )
            )
        return self._decided

    def herindicatie_days(self, since: dt.date | None = None) -> list[HerindicatieDay]:
        """Planned days per location from `since` on, in date order (cached)."""
        days = self._day_counts.get(since)
        if days is None:
            order, planned = self.order(COL_PLANNED), self.rows.planned
            start = 0
            if since is not None:
                first = since.isoformat()
                start = bisect.bisect_left(
                    range(len(order)), first, key=lambda i: planned[order[i]] or EMPTY_LAST
                )
            end = bisect.bisect_left(
                range(len(order)), EMPTY_LAST, key=lambda i: planned[order[i]] or EMPTY_LAST
            )
            picked = order[start:end]
            counts: dict[tuple[str, str], int] = {}
            for key in zip(
                map(planned.__getitem__, picked),
                map(self.rows.locations.__getitem__, picked),
                strict=True,
            ):
                counts[key] = counts.get(key, 0) + 1
            days = self._day_counts[since] = [
                HerindicatieDay(dt.date.fromisoformat(d), loc, n)
                for (d, loc), n in sorted(counts.items())
            ]
        return days


def load_case_list(cases: Any) -> tuple[CaseRows | list[CaseSummary], CaseIndex]:
    """Runs on a worker thread: the whole list (as columns) and its search index, sorted for
    the default view."""
    rows = cases.list_rows()
    return rows, CaseIndex(rows).prepare()
