"""Fixtures of the shell tests: fictional case summaries; the dialog tests' demo database
and main window (`master`, `shell`) come from dialog_support."""

from __future__ import annotations

import datetime as dt

import pytest
from dialog_support import master, shell  # noqa: F401 (fixtures)
from fakes import make_summaries

from bwo_desktop.core.case import CaseSummary


@pytest.fixture
def summaries() -> list[CaseSummary]:
    return make_summaries(300)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2024, 3, 12)
