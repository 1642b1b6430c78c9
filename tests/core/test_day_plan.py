"""The day at a glance: progress of the day's conversations and who is next."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.core.day_plan import day_progress

DAY = dt.date(2026, 12, 8)


def _summary(n: int, hour: int, status: str, *, day: dt.date = DAY, **extra: object) -> CaseSummary:
    return dataclasses.replace(
        CaseSummary(
            id=f"00000000-0000-0000-0000-{n:012d}",
            reference=f"BWO-2026-A1-{n:06d}",
            client_name=f"Cliënt {n}",
            bsn="999990019",
            birth_date=dt.date(1980, 1, 1),
            provider_name="Kompas",
            planned_date=day,
            planned_time=dt.time(hour, 0),
            location="Dordrecht",
            status=status,
            ib_level=None,
            current_indication_end=None,
            updated_at=None,
        ),
        **extra,
    )


def _rows() -> CaseRows:
    # Given out of time order on purpose; one case of another day.
    return CaseRows.from_summaries(
        [
            _summary(1, 11, "concept"),
            _summary(2, 9, "definitief", beschikking_made_on=DAY, verslag_made_on=DAY),
            _summary(3, 10, "definitief", beschikking_made_on=DAY),
            _summary(4, 13, "planned"),
            _summary(5, 9, "planned", day=DAY + dt.timedelta(days=1)),
        ]
    )


def test_progress_counts_the_day_only() -> None:
    progress = day_progress(_rows(), DAY)
    assert (progress.total, progress.decided, progress.letters, progress.verslagen) == (4, 2, 2, 1)
    assert not progress.all_decided


def test_next_is_the_first_undecided_by_time_then_the_one_after_the_open_case() -> None:
    rows = _rows()
    assert day_progress(rows, DAY).next_row == 0  # 11:00, the first not yet decided
    assert day_progress(rows, DAY, after_row=0).next_row == 3  # after 11:00: 13:00
    assert day_progress(rows, DAY, after_row=2).next_row == 0  # after a decided 10:00
    assert day_progress(rows, DAY, after_row=3).next_row == 0  # the last: back to the first
    assert day_progress(rows, DAY, after_row=4).next_row == 0  # another day's case open


def test_nothing_next_when_the_open_case_is_the_only_one_left() -> None:
    rows = CaseRows.from_summaries([_summary(1, 9, "definitief"), _summary(2, 10, "concept")])
    assert day_progress(rows, DAY, after_row=1).next_row is None
    done = CaseRows.from_summaries([_summary(1, 9, "definitief")])
    progress = day_progress(done, DAY)
    assert progress.next_row is None and progress.all_decided
    assert day_progress(CaseRows(), DAY).total == 0
