"""The case list as parallel columns of text: 50,000 cases without 50,000 objects.

`CaseSummary` is the contract for one row; the list screen needs every row at once and
only a screenful of typed values. `CaseRows` keeps each field as one list (row i of every
list is one case), with dates and times as ISO text exactly as the database gives them:
building it is a split of strings, and ISO text compares and sorts like the date itself.
Typed values (`datetime.date`, `datetime.time`, `CaseSummary`) are made on request, per
row; they are what leaves this class. Client and provider fields are stored once per
client and provider (a case refers to them by key), as they are in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bwo_desktop.core.case import CaseSummary

# Text fields of one case in the order the database query and `from_flat` use.
FIELDS: tuple[str, ...] = (
    "planned",  # ISO date, "" when not planned
    "times",  # ISO time, "" when none
    "id_keys",  # case id as a key: a UUID as its 32 hex digits (see `id_key`)
    "references",
    "statuses",
    "locations",
    "ib_levels",  # "" when none
    "indication_ends",  # ISO date, "" when none
    "updated",  # ISO timestamp as stored (UTC), "" when none
    "revisions",  # the version number as text ("1", "2", …)
    "new_ends",  # ISO date: the decided period's last day, "" when none
    "beschikking_days",  # ISO date the beschikking was made, "" when not
    "verslag_days",  # ISO date the client's onderzoeksverslag was made, "" when not
    "client_keys",
    "provider_keys",  # "" when none
)


@lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@lru_cache(maxsize=2048)
def parse_time(text: str) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def parse_utc(text: str) -> dt.datetime | None:
    """A stored timestamp: naive UTC (SQLite) or with an offset (PostgreSQL)."""
    if not text:
        return None
    stamp = dt.datetime.fromisoformat(text)
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def iso(value: dt.date | dt.time | dt.datetime | None) -> str:
    return "" if value is None else value.isoformat()


def id_key(case_id: str) -> str:
    """ "9d50e108-feeb-4f85-9634-4b0fabedc60b" -> "9d50e108feeb4f8596344b0fabedc60b" (as SQLite
    stores it: no text work per row on 50,000 ids); any other id stays as it is."""
    if len(case_id) == 36 and case_id[8] == "-":
        return case_id.replace("-", "").lower()
    return case_id


def case_id_of(key: str) -> str:
    """The case id of `id_key`: a UUID in its usual 8-4-4-4-12 form."""
    if len(key) == 32 and "-" not in key:
        return f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}"
    return key


class CaseRows:
    """Columns of the case list. Row order is the order the rows were given in (the service
    gives them by planned date and time, unplanned last)."""

    __slots__ = (*FIELDS, "clients", "providers")

    def __init__(
        self,
        columns: Sequence[list[str]] | None = None,
        clients: dict[str, tuple[str, str, str]] | None = None,
        providers: dict[str, str] | None = None,
    ) -> None:
        cols = list(columns) if columns is not None else [[] for _ in FIELDS]
        if len(cols) != len(FIELDS) or len({len(c) for c in cols}) > 1:
            raise ValueError("de kolommen van de casuslijst zijn niet even lang")
        self.planned: list[str]
        self.times: list[str]
        self.id_keys: list[str]
        self.references: list[str]
        self.statuses: list[str]
        self.locations: list[str]
        self.ib_levels: list[str]
        self.indication_ends: list[str]
        self.updated: list[str]
        self.revisions: list[str]
        self.new_ends: list[str]
        self.beschikking_days: list[str]
        self.verslag_days: list[str]
        self.client_keys: list[str]
        self.provider_keys: list[str]
        for name, column in zip(FIELDS, cols, strict=True):
            setattr(self, name, column)
        # client key -> (list name "Wilde, M. de", BSN, ISO birth date); provider key -> name
        self.clients: dict[str, tuple[str, str, str]] = dict(clients or {})
        self.providers: dict[str, str] = dict(providers or {})
        self.providers.setdefault("", "")

    @classmethod
    def from_flat(
        cls,
        flat: list[str],
        clients: dict[str, tuple[str, str, str]],
        providers: dict[str, str],
    ) -> CaseRows:
        """Rows from one flat list holding the FIELDS of each row after each other."""
        width = len(FIELDS)
        if len(flat) % width:
            raise ValueError("de casuslijst heeft een onvolledige rij")
        return cls([flat[i::width] for i in range(width)], clients, providers)

    @classmethod
    def from_summaries(cls, summaries: Iterable[CaseSummary]) -> CaseRows:
        rows = cls()
        for summary in summaries:
            rows.append(summary)
        return rows

    def __len__(self) -> int:
        return len(self.id_keys)

    # --- one row --------------------------------------------------------------------------

    def case_id(self, row: int) -> str:
        return case_id_of(self.id_keys[row])

    def client_name(self, row: int) -> str:
        return self.clients[self.client_keys[row]][0]

    def bsn(self, row: int) -> str:
        return self.clients[self.client_keys[row]][1]

    def birth_date(self, row: int) -> dt.date:
        birth = parse_date(self.clients[self.client_keys[row]][2])
        assert birth is not None
        return birth

    def provider_name(self, row: int) -> str:
        return self.providers.get(self.provider_keys[row], "")

    def planned_date(self, row: int) -> dt.date | None:
        return parse_date(self.planned[row])

    def summary(self, row: int) -> CaseSummary:
        name, bsn, birth = self.clients[self.client_keys[row]]
        return CaseSummary(
            id=case_id_of(self.id_keys[row]),
            reference=self.references[row] or None,
            client_name=name,
            bsn=bsn,
            birth_date=parse_date(birth),  # type: ignore[arg-type]
            provider_name=self.providers.get(self.provider_keys[row], ""),
            planned_date=parse_date(self.planned[row]),
            planned_time=parse_time(self.times[row]),
            location=self.locations[row],
            status=self.statuses[row],
            ib_level=self.ib_levels[row] or None,
            current_indication_end=parse_date(self.indication_ends[row]),
            updated_at=parse_utc(self.updated[row]),
            revision=int(self.revisions[row] or 1),
            new_indication_end=parse_date(self.new_ends[row]),
            beschikking_made_on=parse_date(self.beschikking_days[row]),
            verslag_made_on=parse_date(self.verslag_days[row]),
        )

    def summaries(self) -> list[CaseSummary]:
        return [self.summary(row) for row in range(len(self.id_keys))]

    # --- whole columns (for sorting and filtering) ------------------------------------------

    def client_names(self) -> list[str]:
        names = {k: v[0] for k, v in self.clients.items()}
        return list(map(names.__getitem__, self.client_keys))

    def bsns(self) -> list[str]:
        bsns = {k: v[1] for k, v in self.clients.items()}
        return list(map(bsns.__getitem__, self.client_keys))

    def birth_dates(self) -> list[str]:
        """ISO birth dates."""
        births = {k: v[2] for k, v in self.clients.items()}
        return list(map(births.__getitem__, self.client_keys))

    # --- changes ----------------------------------------------------------------------------

    def set_row(self, row: int, summary: CaseSummary) -> None:
        """Replace one row by a summary (its client and provider get keys of their own)."""
        for name, value in zip(FIELDS, self._texts(summary), strict=True):
            getattr(self, name)[row] = value

    def append(self, summary: CaseSummary) -> None:
        for name, value in zip(FIELDS, self._texts(summary), strict=True):
            getattr(self, name).append(value)

    def delete(self, row: int) -> None:
        for name in FIELDS:
            del getattr(self, name)[row]

    def _texts(self, s: CaseSummary) -> tuple[str, ...]:
        # Keys of their own, so a change of this row never touches another case's client.
        client_key = f"case:{s.id}"
        self.clients[client_key] = (s.client_name, s.bsn, iso(s.birth_date))
        provider_key = ""
        if s.provider_name:
            provider_key = f"case:{s.id}"
            self.providers[provider_key] = s.provider_name
        return (
            iso(s.planned_date),
            iso(s.planned_time),
            id_key(s.id),
            s.reference or "",
            s.status,
            s.location,
            s.ib_level or "",
            iso(s.current_indication_end),
            "" if s.updated_at is None else s.updated_at.isoformat(),
            str(s.revision),
            iso(s.new_indication_end),
            iso(s.beschikking_made_on),
            iso(s.verslag_made_on),
            client_key,
            provider_key,
        )
