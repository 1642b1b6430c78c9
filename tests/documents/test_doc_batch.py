"""A herindicatie day: all definitief cases in one folder, with progress."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import advice_for, case_named, pdf_text

from bwo_desktop.core.errors import InputError
from bwo_desktop.exports.batch import render_day


def _day() -> list[Any]:
    cases = [case_named(n) for n in ("ib_bw_full", "regular_ib", "intramural")]
    concept = copy.deepcopy(cases[0])
    concept.status = "concept"
    concept.reference = "BWO-2026-A7-000999"
    cases.append(concept)
    return [(c, advice_for(c)) for c in cases]


def test_render_day_writes_the_definitief_cases(organisation: Any, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    files = render_day(_day(), tmp_path / "dag", organisation, lambda d, t: calls.append((d, t)))
    assert [f.name for f in files] == [
        "beschikking_BWO-2026-A7-000123_2026-12-08.pdf",
        "beschikking_BWO-2026-A7-000124_2026-12-09.pdf",
        "beschikking_BWO-2026-A7-000125_2026-12-10.pdf",
    ]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(f.is_file() and "pagina 1 van" in pdf_text(f)[0] for f in files)


def test_render_day_checks_every_case_before_writing(organisation: Any, tmp_path: Path) -> None:
    day = _day()
    day[2][0].client.address = None
    with pytest.raises(InputError, match=r"BWO-2026-A7-000125: client\.address"):
        render_day(day, tmp_path / "dag", organisation, None)
    assert not (tmp_path / "dag").exists()
