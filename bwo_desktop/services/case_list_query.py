"""The case list in SQL: every current case as `CaseRows` in one round trip (`fetch_rows`),
and the list row of one case (`fetch_summary`) to refresh it after an autosave."""

from __future__ import annotations

import bisect
import uuid
from typing import Any

from sqlalchemy import Uuid, bindparam, text
from sqlalchemy.orm import Session

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows

# One text value for all cases: the FIELDS of `core.case_rows` joined by separators, so
# the driver makes one string instead of 50,000 tuples of eleven values, and Python splits
# it at C speed (50,000 cases: about a third of the time of fetching the columns). Clients
# and providers come from two small queries: a join per case costs more than the list.
_SEP = "\x1f"  # between the fields of a row
_ROW_SEP = "\x1e"  # between rows
_CURRENT = " WHERE h.deleted_at IS NULL AND h.superseded = FALSE"
_CASES_FROM = " FROM herindicaties h" + _CURRENT
_ONE_CASE_FROM = (
    " FROM herindicaties h JOIN clients c ON c.id = h.client_id"
    " LEFT JOIN zorgaanbieders p ON p.id = h.provider_id" + _CURRENT + " AND h.id = :id"
)
_CLIENTS_FROM = " FROM clients"


def list_texts(dialect: str) -> list[str]:
    """SQL expressions for the FIELDS of `CaseRows`, each giving text ("" for NULL)."""
    if dialect == "sqlite":
        # Stored as ISO text already; ids as 32 hex digits, shown in the usual 8-4-4-4-12.
        def day(col: str) -> str:
            return col

        clock = stamp = day
        case_id = "h.id"  # 32 hex digits, as `core.case_rows.id_key` keeps them
    else:
        # Explicit formats: the text form of a date depends on the session's DateStyle.
        def day(col: str) -> str:
            return f"to_char({col}, 'YYYY-MM-DD')"

        def clock(col: str) -> str:
            return f"to_char({col}, 'HH24:MI:SS')"

        def stamp(col: str) -> str:
            return f"to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"

        case_id = "replace(CAST(h.id AS TEXT), '-', '')"
    return [
        f"coalesce({day('h.planned_date')}, '')",
        f"coalesce({clock('h.planned_time')}, '')",
        case_id,
        "coalesce(h.reference, '')",
        "h.status",
        "coalesce(h.location, '')",
        "coalesce(h.ib_level, '')",
        f"coalesce({day('h.current_indication_end')}, '')",
        f"coalesce({stamp('h.updated_at')}, '')",
        "CAST(h.revision AS TEXT)",
        f"coalesce({day('h.new_indication_end')}, '')",
        f"coalesce({day('h.beschikking_made_on')}, '')",
        f"coalesce({day('h.verslag_made_on')}, '')",
        "CAST(h.client_id AS TEXT)",
        "coalesce(CAST(h.provider_id AS TEXT), '')",
    ]


def client_texts(dialect: str, table: str = "") -> list[str]:
    birth = f"{table}birth_date"
    if dialect != "sqlite":
        birth = f"to_char({birth}, 'YYYY-MM-DD')"
    return [f"CAST({table}id AS TEXT)", f"{table}sort_name", f"{table}bsn", birth]


def aggregated(texts: list[str], conn: Any) -> str:
    """SQL for one text holding every row: fields joined by _SEP, rows by _ROW_SEP. One value
    instead of 50,000 result rows: no tuple per case (which also keeps Python's cycle
    collector from walking the application's objects again and again while loading)."""
    version = getattr(conn.dialect.dbapi, "sqlite_version_info", None)
    if version is None or version >= (3, 44):
        row = f"concat_ws('{_SEP}', {', '.join(texts)})"  # quicker than || where it exists
    else:
        row = f" || '{_SEP}' || ".join(texts)
    aggregate = "group_concat" if version is not None else "string_agg"
    return f"SELECT count(*), {aggregate}({row}, '{_ROW_SEP}'){_CASES_FROM}"


def fetch_rows(conn: Any, dialect: str) -> CaseRows:
    """All current cases as `CaseRows`, ordered by planned date and time (unplanned last),
    through the DBAPI cursor: no SQLAlchemy result processing on 50,000 rows."""
    texts = list_texts(dialect)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(f"SELECT {', '.join(client_texts(dialect))}{_CLIENTS_FROM}")
        clients = {r[0]: (r[1], r[2], r[3]) for r in cursor.fetchall()}
        cursor.execute("SELECT CAST(id AS TEXT), name FROM zorgaanbieders")
        providers = {r[0]: r[1] for r in cursor.fetchall()}
        cursor.execute(aggregated(texts, conn))
        count, whole = cursor.fetchone()
        lines: list[str] = whole.split(_ROW_SEP) if count else []
        # The planned date and time lead each row, so a plain sort orders by them (C speed).
        lines.sort()
        whole = _SEP.join(lines)
        if len(lines) != count or (count and whole.count(_SEP) != len(texts) * count - 1):
            # A value holds a separator (it can be typed in): fetch the fields apart.
            cursor.execute(f"SELECT {', '.join(texts)}{_CASES_FROM}")
            return rows_from_tuples(cursor.fetchall(), clients, providers)
    finally:
        cursor.close()
    unplanned = bisect.bisect_left(lines, "0")  # these start with the separator
    del lines
    flat = whole.split(_SEP) if whole else []
    if unplanned:
        # Unplanned rows last: rotate each column (cheap list slices).
        width = len(texts)
        cut = unplanned * width
        flat = flat[cut:] + flat[:cut]
    return CaseRows.from_flat(flat, clients, providers)


def rows_from_tuples(
    tuples: list[Any], clients: dict[str, tuple[str, str, str]], providers: dict[str, str]
) -> CaseRows:
    tuples.sort()
    unplanned = 0
    while unplanned < len(tuples) and not tuples[unplanned][0]:
        unplanned += 1
    tuples = tuples[unplanned:] + tuples[:unplanned]
    return CaseRows([list(c) for c in zip(*tuples, strict=True)] or None, clients, providers)


def fetch_summary(s: Session, dialect: str, key: uuid.UUID) -> CaseSummary | None:
    """The list row of case `key`; None when it is not in the list (deleted, superseded by
    a newer revision, or unknown)."""
    case_texts = list_texts(dialect)
    client_fields = client_texts(dialect, "c.")
    stmt = text(
        f"SELECT {', '.join(case_texts)}, {', '.join(client_fields[1:])}, "
        f"coalesce(p.name, ''){_ONE_CASE_FROM}"
    ).bindparams(bindparam("id", type_=Uuid()))
    row = s.execute(stmt, {"id": key}).first()
    if row is None:
        return None
    width = len(case_texts)
    fields, (name, bsn, birth, provider) = list(row[:width]), row[width:]
    client_key, provider_key = fields[-2], fields[-1]
    rows = CaseRows(
        [[v] for v in fields], {client_key: (name, bsn, birth)}, {provider_key: provider}
    )
    return rows.summary(0)
