"""The organisation's letterhead values for the settings dialog (the UI does not read the
exports' data files itself)."""

from __future__ import annotations

from typing import Any


def builtin_organisation() -> dict[str, Any]:
    """The built-in letterhead values as plain data (text, or a list of lines)."""
    from bwo_desktop.exports.organisation import builtin_organisation_file, parse_organisation_file

    values = parse_organisation_file(builtin_organisation_file())
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
