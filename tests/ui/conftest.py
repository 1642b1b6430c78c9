"""Fixtures of the shell tests: fictional case summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import make_summaries

from bwo_desktop.core.case import CaseSummary


@pytest.fixture
def summaries() -> list[CaseSummary]:
    return make_summaries(300)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2024, 3, 12)
