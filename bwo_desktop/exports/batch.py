"""A herindicatie day in one action: the beschikkingen of all definitief cases of one location
and date, into one folder, with progress. Called from a worker thread by the UI (no Qt here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bwo_desktop.core.advice import Advice
from bwo_desktop.core.case import Case
from bwo_desktop.core.casefile import check_ready_for_beschikking
from bwo_desktop.core.errors import InputError
from bwo_desktop.exports.filenames import beschikking_filename
from bwo_desktop.exports.organisation import Organisation

if TYPE_CHECKING:
    from bwo_desktop.exports.beschikking import LetterHistory

Progress = Callable[[int, int], None]


def render_day(
    cases_with_advice: Sequence[tuple[Case, Advice]],
    out_dir: Path | str,
    organisation: Organisation,
    progress: Progress | None = None,
    *,
    demo: bool = False,
    histories: Mapping[str, LetterHistory] | None = None,
) -> list[Path]:
    """Write one beschikking per definitief case into `out_dir`; returns the files written.

    Cases that are not definitief are skipped (the day may hold concepts). Every definitief
    case is checked first: when one misses something, nothing is written and the InputError
    names the kenmerk and the item, so the consultant fixes it and runs the day again.
    `progress(done, total)` is called after each letter (and once with 0 at the start).
    `histories` (by kenmerk): what the database knows around each case (see LetterHistory).
    """
    from bwo_desktop.exports.beschikking import render_beschikking
    from bwo_desktop.exports.letters import load_letter_texts

    chosen = [(c, a) for c, a in cases_with_advice if c.status == "definitief"]
    for case, advice in chosen:
        try:
            check_ready_for_beschikking(case, advice)
        except InputError as exc:
            who = case.reference or "casus zonder kenmerk"
            raise InputError(f"{who}: {exc.field}", exc.problem) from exc
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    texts = load_letter_texts("beschikking")
    total = len(chosen)
    if progress is not None:
        progress(0, total)
    written: list[Path] = []
    names: set[str] = set()
    for done, (case, advice) in enumerate(chosen, start=1):
        assert case.reference is not None and case.decision_date is not None
        name = beschikking_filename(case.reference, case.decision_date)
        if name in names:
            raise InputError(case.reference, "dit kenmerk staat twee keer in de selectie")
        names.add(name)
        written.append(
            render_beschikking(
                case,
                advice,
                organisation,
                folder / name,
                demo=demo,
                texts=texts,
                history=(histories or {}).get(case.reference),
            )
        )
        if progress is not None:
            progress(done, total)
    return written
