"""The one-time notice that an export is a plain file.

The database is encrypted; a beschikking, a case file or an Excel overview is not. The first
time the consultant exports anything, the screen says so and where the file goes. Whether it
was shown is kept in the settings file (`export_notice_shown`).

The UI calls `needs_export_notice(settings)` before an export, shows `notice_text(folder)`
when it is True, then `mark_shown(settings, save)`.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path

from bwo_desktop.settings import Settings

NOTICE_TITLE = "Let op: niet versleuteld"


def needs_export_notice(settings: Settings) -> bool:
    return not settings.export_notice_shown


def notice_text(folder: Path | str | None = None) -> str:
    where = f"\n\nDe bestanden komen in: {folder}" if folder else ""
    return (
        "Let op: dit bestand wordt niet versleuteld opgeslagen. De database van dit programma "
        "is versleuteld, maar een beschikking, casusbestand of Excel-overzicht is een gewoon "
        "bestand dat iedereen met toegang tot deze computer kan openen. Bewaar het alleen op "
        "de versleutelde schijf (BitLocker) of de afgesproken netwerkmap, verstuur het alleen "
        "beveiligd en verwijder het wanneer het niet meer nodig is. Deze melding verschijnt "
        "één keer." + where
    )


def mark_shown(settings: Settings, save: Callable[[Settings], object] | None = None) -> Settings:
    """The settings with the notice marked as shown (saved with `save` when given: a failing
    save only means the notice comes once more)."""
    updated = dataclasses.replace(settings, export_notice_shown=True)
    if save is not None:
        with contextlib.suppress(OSError, ValueError):
            save(updated)
    return updated
