"""A herindicatie day at a glance: how far the day's conversations are (planned, decided,
letters and verslagen made) and who is next. Pure: it reads the case list's columns
(`core.case_rows.CaseRows`), so it costs one pass over the list, never a query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bwo_desktop.core.case_rows import CaseRows


@dataclass(frozen=True)
class DayProgress:
    day: dt.date
    total: int  # conversations planned that day
    decided: int  # of them definitief
    letters: int  # beschikkingen made
    verslagen: int  # client's onderzoeksverslagen made
    next_row: int | None  # the row of the next client not yet decided, None when all are

    @property
    def all_decided(self) -> bool:
        return self.total > 0 and self.decided == self.total


def day_progress(rows: CaseRows, day: dt.date, after_row: int | None = None) -> DayProgress:
    """The conversations planned on `day`, in the order of their time. The next client is
    the first one not yet definitief after `after_row` (the case that is open or selected,
    when it is one of that day's), else the first one not yet definitief of the day."""
    iso = day.isoformat()
    planned = rows.planned
    today = sorted(
        (i for i in range(len(planned)) if planned[i] == iso),
        key=lambda i: (rows.times[i], i),
    )
    decided = [i for i in today if rows.statuses[i] == "definitief"]
    open_rows = [i for i in today if rows.statuses[i] != "definitief"]
    next_row = None
    if open_rows:
        next_row = open_rows[0]
        if after_row is not None and after_row in today:
            position = today.index(after_row)
            later = [i for i in today[position + 1 :] if rows.statuses[i] != "definitief"]
            next_row = later[0] if later else next_row
            if next_row == after_row:
                next_row = None if len(open_rows) == 1 else open_rows[1]
    return DayProgress(
        day=day,
        total=len(today),
        decided=len(decided),
        letters=sum(1 for i in today if rows.beschikking_days[i]),
        verslagen=sum(1 for i in today if rows.verslag_days[i]),
        next_row=next_row,
    )
