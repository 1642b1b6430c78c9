"""Fixtures for the rules-engine tests: tariff books, rules and an input builder."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from core_data import CASES_DIR, DATA_DIR, SPEC_EXAMPLE, TARIFF_2027, TESTS_DIR  # noqa: F401

from bwo_desktop.core.rules import RuleConfig, load_rules
from bwo_desktop.core.tariffs import TariffBook, load_tariff_book


@pytest.fixture(scope="session")
def book() -> TariffBook:
    """Only the built-in 2021 table."""
    return load_tariff_book(user_folder=None)


@pytest.fixture(scope="session")
def book2027() -> TariffBook:
    """Built-in 2021 table plus the 2027-05-01 example table."""
    return load_tariff_book([TARIFF_2027], user_folder=None)


@pytest.fixture(scope="session")
def rules() -> RuleConfig:
    return load_rules()


@pytest.fixture
def spec_input() -> dict[str, Any]:
    return copy.deepcopy(SPEC_EXAMPLE)


def _plain() -> dict[str, Any]:
    """A simple complete ib_bw input: everything scored 3 (aanleren → IB2), no extras,
    plan recent, 2021 tariffs not outdated."""
    return {
        "assessment_date": "2021-03-01",
        "period": {"start": "2021-04-01"},
        "zrm": dict.fromkeys(SPEC_EXAMPLE["zrm"], 3),
        "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
        "support_plan_date": "2021-02-01",
    }


@pytest.fixture
def make_input() -> Callable[..., dict[str, Any]]:
    """make_input(**top_level_overrides) → a fresh input dict; a value of ... removes the key."""

    def build(**overrides: Any) -> dict[str, Any]:
        data = _plain()
        for key, value in overrides.items():
            if value is ...:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    return build
