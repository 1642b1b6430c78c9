"""Fixtures for the document tests."""

from __future__ import annotations

from typing import Any

import pytest
from doc_helpers import case_named

from bwo_desktop.core.case import Case


@pytest.fixture
def organisation() -> Any:
    from bwo_desktop.exports.organisation import load_organisation

    return load_organisation(use_settings=False)


@pytest.fixture
def full_case() -> Case:
    return case_named("ib_bw_full")
