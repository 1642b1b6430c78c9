"""The user's settings file (instellingen.toml in the user data folder), read strictly.

Top-level keys belong to the app; the `[organisation]` table overrides the letterhead of
resources/organisation.toml key by key (its keys are checked by exports.organisation, which
reads the same table for the letters). Unknown keys are an error naming file and key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.errors import DataFileError

DEFAULT_IDLE_LOCK_MINUTES = 10
DEFAULT_EXPIRING_WEEKS = 8
MAX_IDLE_LOCK_MINUTES = 240
ORGANISATION_TABLE = "organisation"
# The name goes on every letter and in the audit log; longer is a slip of the keyboard.
MAX_CONSULTANT_NAME_CHARS = 100


def consultant_name_problem(name: str) -> str | None:
    """Why a consultant's name (already trimmed) is refused, in Dutch; None when fine."""
    if not name:
        return "Vul uw naam in: die staat in de brieven en in het logboek."
    if len(name) > MAX_CONSULTANT_NAME_CHARS:
        return f"Uw naam is te lang: hoogstens {MAX_CONSULTANT_NAME_CHARS} tekens (nu {len(name)})."
    return None


def tidy_name(text: str) -> str:
    """A typed name without leading, trailing or doubled spaces."""
    return " ".join(text.split())


@dataclass
class Settings:
    consultant_name: str = ""
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    expiring_weeks: int = DEFAULT_EXPIRING_WEEKS
    # The one-time notice that exports are plain (unencrypted) files has been shown.
    export_notice_shown: bool = False
    # Overrides of the organisation's letterhead: only the keys that differ from the built-in.
    organisation: dict[str, Any] = field(default_factory=dict)


def load_settings(path: Path | None = None) -> Settings:
    """The settings; defaults when the file does not exist. Raises DataFileError when invalid."""
    if path is None:
        from bwo_desktop.paths import user_settings_file

        path = user_settings_file()
    if not path.is_file():
        return Settings()
    data = load_toml(path)
    root = Section(str(path), data)
    settings = Settings()
    name = root.str("consultant_name", required=False, allow_empty=True)
    if name is not None:
        settings.consultant_name = name.strip()
    minutes = root.int(
        "idle_lock_minutes", required=False, minimum=1, maximum=MAX_IDLE_LOCK_MINUTES
    )
    if minutes is not None:
        settings.idle_lock_minutes = minutes
    weeks = root.int("expiring_weeks", required=False, minimum=1, maximum=52)
    if weeks is not None:
        settings.expiring_weeks = weeks
    shown = root.bool("export_notice_shown", required=False)
    if shown is not None:
        settings.export_notice_shown = shown
    if root.has(ORGANISATION_TABLE):
        table = root.table(ORGANISATION_TABLE)
        assert table is not None
        # Checked by the letters' own loader, so a setting the letters refuse is refused here.
        from bwo_desktop.exports.organisation import parse_organisation_file

        parse_organisation_file(path, table=ORGANISATION_TABLE)
        settings.organisation = dict(table.data)
    root.done()
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically (a crash leaves the old or the new file)."""
    if path is None:
        from bwo_desktop.paths import user_settings_file

        path = user_settings_file()
    if not 1 <= settings.idle_lock_minutes <= MAX_IDLE_LOCK_MINUTES:
        raise DataFileError(
            str(path), "idle_lock_minutes", f"moet tussen 1 en {MAX_IDLE_LOCK_MINUTES} liggen"
        )
    lines = [
        "# Instellingen van BWO Herindicatie (door het programma geschreven).",
        f"consultant_name = {_toml_value(settings.consultant_name)}",
        f"idle_lock_minutes = {int(settings.idle_lock_minutes)}",
        f"expiring_weeks = {int(settings.expiring_weeks)}",
    ]
    if settings.export_notice_shown:
        lines.append("export_notice_shown = true")
    if settings.organisation:
        lines += ["", f"[{ORGANISATION_TABLE}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in settings.organisation.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"kan {type(value).__name__} niet als TOML schrijven")


def _toml_string(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
