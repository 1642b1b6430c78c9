"""Shared test set-up: Qt offscreen, a private user data folder, bounded hypothesis runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Silence Qt's font database chatter on machines without a full font set.
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts=false")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci", deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def _private_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own user data folder, so the developer's real tariffs,
    settings and database are never read or written by a test."""
    folder = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("BWO_DATA_DIR", str(folder))
    yield folder


@pytest.fixture
def user_data_dir(_private_user_data: Path) -> Path:
    return _private_user_data


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """New key files in tests use the former, cheaper scrypt cost so the suite stays fast;
    tests of the real cost read the production values from keys.PRODUCTION_COST."""
    from bwo_desktop.services import keys

    monkeypatch.setattr(keys, "SCRYPT_N", 2**15)
    monkeypatch.setattr(keys, "SCRYPT_R", 8)
