"""Where things live: bundled resources (checkout, wheel, frozen app) and the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from bwo_desktop.core.resources import resource_path, resources_dir

__all__ = ["resource", "resource_path", "resources_dir"]

APP_DIR_NAME = "bwo-desktop"
APP_AUTHOR = "SDD"


def resource(*parts: str) -> Path:
    return resource_path(*parts)


def user_data_dir() -> Path:
    """The user's data folder; `BWO_DATA_DIR` moves all of it (tests, portable use)."""
    override = os.environ.get("BWO_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as _platform_user_data_dir

    return Path(_platform_user_data_dir(APP_DIR_NAME, APP_AUTHOR, roaming=False))


def user_tariffs_dir() -> Path:
    """Tariff tables an administrator adds without a new release."""
    return user_data_dir() / "tarieven"


def user_rules_file() -> Path:
    return user_data_dir() / "rules.toml"


def user_letters_dir() -> Path:
    return user_data_dir() / "brieven"


def user_settings_file() -> Path:
    return user_data_dir() / "instellingen.toml"


def default_db_path() -> Path:
    return user_data_dir() / "bwo.db"


def backups_dir() -> Path:
    return user_data_dir() / "backups"
