"""The search index of the case list, pure: one folded search string per case made from the
list's columns (`core.case_rows.CaseRows`): kenmerk, client name, birth date (dd-mm-jjjj
and ISO), full BSN, provider, location and planned date, fields apart by SEP so a query
never matches across two of them. Accents and case do not matter (`fold`); a query is
split into tokens that must all occur. The Qt proxy in `ui.case_filter` filters with it.
"""

from __future__ import annotations

import re

from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.core.names import fold

SEP = "\x1f"  # between fields, so a query never matches across two of them
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[./]")


def fold_fast(text: str | None) -> str:
    if not text:
        return ""
    return text.casefold() if text.isascii() else fold(text)


def _dates(iso_day: str) -> str:
    """ "2024-03-12" -> "12-03-2024<sep>2024-03-12": both forms a consultant may type."""
    if not iso_day:
        return ""
    return f"{iso_day[8:10]}-{iso_day[5:7]}-{iso_day[:4]}{SEP}{iso_day}"


def query_tokens(text: str) -> list[str]:
    """Folded words of a query; every word must occur. "12.03.2024" is read as "12-03-2024"."""
    return [_DIGIT_SEPARATOR.sub("-", t) for t in fold(text).split()]


def fold_column(values: list[str]) -> list[str]:
    """Each value folded; all at once when the column is plain ASCII (the usual kenmerk)."""
    whole = SEP.join(values)
    if whole.isascii() and whole.count(SEP) == len(values) - 1:
        return whole.casefold().split(SEP) if values else []
    return [fold_fast(v) for v in values]


class SearchKeys:
    """Search keys from CaseRows: the parts that repeat (clients, providers, locations,
    dates) are folded once per distinct value, then one join per case."""

    def __init__(self, rows: CaseRows) -> None:
        self.locations: dict[str, str] = {}
        self.days: dict[str, str] = {}
        names: dict[str, str] = {}
        self.clients: dict[str, str] = {}
        self.client_names: dict[str, str] = {}
        for key, (name, bsn, birth) in rows.clients.items():
            folded = names.get(name)
            if folded is None:
                folded = names[name] = fold_fast(name)
            self.client_names[key] = folded
            self.clients[key] = f"{folded}{SEP}{_dates(birth)}{SEP}{bsn}"
        self.providers = {k: fold_fast(v) for k, v in rows.providers.items()}

    def _location(self, text: str) -> str:
        folded = self.locations.get(text)
        if folded is None:
            folded = self.locations[text] = fold_fast(text)
        return folded

    def _day(self, iso_day: str) -> str:
        text = self.days.get(iso_day)
        if text is None:
            text = self.days[iso_day] = _dates(iso_day)
        return text

    def all_keys(self, rows: CaseRows) -> list[str]:
        for text in set(rows.locations):
            self._location(text)
        for iso_day in set(rows.planned):
            self._day(iso_day)
        return list(
            map(
                SEP.join,
                zip(
                    fold_column(rows.references),
                    map(self.clients.__getitem__, rows.client_keys),
                    map(self.providers.__getitem__, rows.provider_keys),
                    map(self.locations.__getitem__, rows.locations),
                    map(self.days.__getitem__, rows.planned),
                    strict=True,
                ),
            )
        )

    def key(self, rows: CaseRows, row: int) -> str:
        """The key of one (changed) row; its client and provider are folded afresh."""
        client_key, provider_key = rows.client_keys[row], rows.provider_keys[row]
        name, bsn, birth = rows.clients[client_key]
        folded = self.client_names[client_key] = fold_fast(name)
        self.clients[client_key] = f"{folded}{SEP}{_dates(birth)}{SEP}{bsn}"
        self.providers[provider_key] = fold_fast(rows.providers.get(provider_key, ""))
        return SEP.join(
            (
                fold_fast(rows.references[row]),
                self.clients[client_key],
                self.providers[provider_key],
                self._location(rows.locations[row]),
                self._day(rows.planned[row]),
            )
        )
