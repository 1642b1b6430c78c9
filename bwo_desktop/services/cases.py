"""Case use cases: list, open, autosave, finalise, new version, import, delete.

Every method runs one short transaction and returns plain `core.case` objects, never ORM
rows. Changes, finalisations, imports and deletions are written to the audit log in the
same transaction (field names only, never values).
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import re
import secrets
import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy import Uuid, bindparam, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bwo_desktop.core.bsn import is_valid_bsn, normalise_bsn
from bwo_desktop.core.case import (
    STATUSES,
    Address,
    Begeleider,
    Case,
    CaseSummary,
    Client,
    Conversation,
    CurrentIndication,
    Planned,
    Provider,
    Representative,
    Result,
)
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.names import fold, sort_name
from bwo_desktop.core.rules import builtin_rules_dict
from bwo_desktop.core.strict_json import iso_date_or_none
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import audit
from bwo_desktop.services.database import Database, get_meta, set_meta
from bwo_desktop.services.errors import (
    CaseLocked,
    CaseNotFound,
    ConflictError,
    StoreError,
)

__all__ = [
    "CaseLocked",
    "CaseNotFound",
    "CaseService",
    "ConflictError",
    "normalise_provider_name",
]

DEVICE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REFERENCE_FORMAT = "BWO-{year}-{device}-{seq:04d}"

# Case columns an autosave writes (status is checked separately).
_CASE_FIELDS = (
    "status",
    "planned_date",
    "planned_time",
    "location",
    "attended_by",
    "absence_reason",
    "consent_share_report",
    "previous_arrangement",
    "support_plan_date",
    "assessment",
    "motivations",
    "results",
    "zrm_notes",
    "unscored_reasons",
    "salutation",
    "representative",
    "delivery",
    "current_indication_description",
    "current_indication_end",
    "consultant_name",
    "decision_date",
    "provider_id",
    "client_id",
)
_CLIENT_FIELDS = (
    "initials",
    "first_name",
    "prefix",
    "last_name",
    "birth_date",
    "street",
    "house_number",
    "postcode",
    "city",
    "begeleider_name",
    "begeleider_phone",
    "begeleider_email",
)


def normalise_provider_name(name: str) -> str:
    """ "Stichting  Zorg-Één B.V." -> "stichting zorg een b v": case, accents, punctuation."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(name)).split())


def _uuid(case_id: str | uuid.UUID) -> uuid.UUID:
    if isinstance(case_id, uuid.UUID):
        return case_id
    try:
        return uuid.UUID(str(case_id))
    except ValueError:
        raise CaseNotFound(str(case_id)) from None


# -- plain <-> JSON pieces ------------------------------------------------------------------
def _address_json(a: Address | None) -> dict[str, str] | None:
    return None if a is None else asdict(a)


def _address_from(d: Any) -> Address | None:
    if not isinstance(d, dict):
        return None
    return Address(
        **{k: str(d.get(k) or "") for k in ("street", "house_number", "postcode", "city")}
    )


def _client_json(client: Client) -> dict[str, Any]:
    return {
        "bsn": client.bsn,
        "initials": client.initials,
        "first_name": client.first_name,
        "prefix": client.prefix,
        "last_name": client.last_name,
        "birth_date": client.birth_date.isoformat(),
        "address": _address_json(client.address),
        "provider": None if client.provider is None else asdict(client.provider),
        "begeleider": None if client.begeleider is None else asdict(client.begeleider),
    }


def _client_from_json(d: dict[str, Any]) -> Client:
    provider = d.get("provider")
    begeleider = d.get("begeleider")
    return Client(
        bsn=d["bsn"],
        last_name=d["last_name"],
        birth_date=dt.date.fromisoformat(d["birth_date"]),
        initials=d.get("initials"),
        first_name=d.get("first_name"),
        prefix=d.get("prefix"),
        address=_address_from(d.get("address")),
        provider=Provider(**provider) if isinstance(provider, dict) else None,
        begeleider=Begeleider(**begeleider) if isinstance(begeleider, dict) else None,
    )


def _representative_json(r: Representative | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"name": r.name, "role": r.role, "address": _address_json(r.address)}


def _representative_from(d: Any) -> Representative | None:
    if not isinstance(d, dict):
        return None
    return Representative(
        name=d["name"], role=d.get("role"), address=_address_from(d.get("address"))
    )


def _has_scores(assessment: Any) -> bool:
    if not isinstance(assessment, dict):
        return False
    zrm = assessment.get("zrm")
    return isinstance(zrm, dict) and any(isinstance(v, int) for v in zrm.values())


# -- the case list in SQL --------------------------------------------------------------------
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


def _list_texts(dialect: str) -> list[str]:
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
        "CAST(h.client_id AS TEXT)",
        "coalesce(CAST(h.provider_id AS TEXT), '')",
    ]


def _client_texts(dialect: str, table: str = "") -> list[str]:
    birth = f"{table}birth_date"
    if dialect != "sqlite":
        birth = f"to_char({birth}, 'YYYY-MM-DD')"
    return [f"CAST({table}id AS TEXT)", f"{table}sort_name", f"{table}bsn", birth]


def _aggregated(texts: list[str], conn: Any) -> str:
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


def _fetch_rows(conn: Any, dialect: str) -> CaseRows:
    """All current cases as `CaseRows`, ordered by planned date and time (unplanned last),
    through the DBAPI cursor: no SQLAlchemy result processing on 50,000 rows."""
    texts = _list_texts(dialect)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(f"SELECT {', '.join(_client_texts(dialect))}{_CLIENTS_FROM}")
        clients = {r[0]: (r[1], r[2], r[3]) for r in cursor.fetchall()}
        cursor.execute("SELECT CAST(id AS TEXT), name FROM zorgaanbieders")
        providers = {r[0]: r[1] for r in cursor.fetchall()}
        cursor.execute(_aggregated(texts, conn))
        count, whole = cursor.fetchone()
        lines: list[str] = whole.split(_ROW_SEP) if count else []
        # The planned date and time lead each row, so a plain sort orders by them (C speed).
        lines.sort()
        whole = _SEP.join(lines)
        if len(lines) != count or (count and whole.count(_SEP) != len(texts) * count - 1):
            # A value holds a separator (it can be typed in): fetch the fields apart.
            cursor.execute(f"SELECT {', '.join(texts)}{_CASES_FROM}")
            return _rows_from_tuples(cursor.fetchall(), clients, providers)
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


def _rows_from_tuples(
    tuples: list[Any], clients: dict[str, tuple[str, str, str]], providers: dict[str, str]
) -> CaseRows:
    tuples.sort()
    unplanned = 0
    while unplanned < len(tuples) and not tuples[unplanned][0]:
        unplanned += 1
    tuples = tuples[unplanned:] + tuples[:unplanned]
    return CaseRows([list(c) for c in zip(*tuples, strict=True)] or None, clients, providers)


class CaseService:
    """Use cases on cases. `user` (the consultant of the settings) goes into the audit log."""

    def __init__(self, db: Database, user: str | None = None) -> None:
        self.db = db
        self.user = user

    # -- reading ------------------------------------------------------------------------
    def list_rows(self) -> CaseRows:
        """Every current case (not deleted, not superseded by a newer revision) for the case
        list, as columns, ordered by planned date and time. The cases come from the covering
        index `ix_herindicaties_case_list`; typed values are made per row on request."""
        with self.db.session() as s:
            return _fetch_rows(s.connection(), self.db.dialect)

    def list_summaries(self) -> list[CaseSummary]:
        """`list_rows` as CaseSummary objects (for exports and other bulk readers)."""
        return self.list_rows().summaries()

    def get_summary(self, case_id: str) -> CaseSummary | None:
        """The list row of one case; None when it is not in the list (deleted, superseded
        by a newer revision, or unknown). Refreshes one row after an autosave."""
        try:
            key = _uuid(case_id)
        except CaseNotFound:
            return None
        case_texts = _list_texts(self.db.dialect)
        client_texts = _client_texts(self.db.dialect, "c.")
        stmt = text(
            f"SELECT {', '.join(case_texts)}, {', '.join(client_texts[1:])}, "
            f"coalesce(p.name, ''){_ONE_CASE_FROM}"
        ).bindparams(bindparam("id", type_=Uuid()))
        with self.db.session() as s:
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

    def get(self, case_id: str) -> Case:
        with self.db.session() as s:
            return self._to_case(s, self._row(s, case_id))

    def get_by_reference(self, reference: str) -> Case | None:
        """The newest revision with this kenmerk that is not deleted."""
        with self.db.session() as s:
            row = self._latest_by_reference(s, reference)
            return None if row is None else self._to_case(s, row)

    def versions(self, reference: str) -> list[Case]:
        """All revisions of one kenmerk, oldest first (deleted ones left out)."""
        with self.db.session() as s:
            rows = s.scalars(
                select(Herindicatie)
                .where(Herindicatie.reference == reference, Herindicatie.deleted_at.is_(None))
                .order_by(Herindicatie.revision)
            ).all()
            return [self._to_case(s, r) for r in rows]

    def previous_case(self, case: Case) -> Case | None:
        """The client's latest earlier case with ZRM scores ("previous scores")."""
        when = case.decision_date or (case.planned.date if case.planned else None)
        with self.db.session() as s:
            client_row = s.scalars(
                select(ClientRow).where(ClientRow.bsn == normalise_bsn(case.client.bsn))
            ).first()
            if client_row is None:
                return None
            h = Herindicatie
            stmt = select(h).where(h.client_id == client_row.id, h.deleted_at.is_(None))
            if case.id is not None:
                stmt = stmt.where(h.id != _uuid(case.id))
            if case.reference is not None:
                stmt = stmt.where(h.reference != case.reference)
            candidates = []
            for row in s.scalars(stmt):
                row_date = row.decision_date or row.planned_date
                if when is not None and row_date is not None and row_date >= when:
                    continue
                if _has_scores(row.assessment):
                    candidates.append((row_date or dt.date.min, row.created_at, row.revision, row))
            if not candidates:
                return None
            candidates.sort(key=lambda t: (t[0], t[1], t[2]))
            return self._to_case(s, candidates[-1][3])

    # -- writing ------------------------------------------------------------------------
    def create_planned(
        self,
        client: Client,
        planned: Planned,
        location: str | None,
        consultant_name: str,
        current_indication: CurrentIndication | None = None,
        reference: str | None = None,
    ) -> Case:
        """A planned herindicatie; the client is matched by BSN, the provider (from
        `client.provider`) by AGB code, else by normalised name."""
        case = Case(
            client=client,
            consultant_name=consultant_name,
            conversation=Conversation(location=location),
            status="planned",
            planned=planned,
            current_indication=current_indication,
            reference=reference,
        )
        with self.db.session() as s:
            row = self._insert(s, case, year=planned.date.year)
            audit.record(s, "create", row.reference, details={"status": "planned"}, user=self.user)
            return self._to_case(s, row)

    def create(self, case: Case) -> Case:
        """Store a new planned or concept case (a new kenmerk when it has none)."""
        if case.status == "definitief":
            raise StoreError("een nieuwe casus kan niet direct definitief zijn; gebruik finalise")
        with self.db.session() as s:
            row = self._insert(s, case, year=self._year_of(case))
            audit.record(
                s, "create", row.reference, details={"status": case.status}, user=self.user
            )
            return self._to_case(s, row)

    def save(self, case: Case) -> Case:
        """Autosave a planned/concept case. Refuses a stale version (ConflictError) and a
        definitief case (CaseLocked). Returns the case as stored (new version)."""
        if case.id is None:
            raise StoreError("deze casus staat nog niet in de database")
        if case.status == "definitief":
            raise StoreError("definitief maken gaat via afronden (finalise), niet via opslaan")
        self._validate(case)
        try:
            with self.db.session() as s:
                row = self._row(s, case.id)
                if row.status == "definitief":
                    raise CaseLocked(row.reference)
                if row.version != case.version:
                    raise ConflictError(row.reference)
                before = {f: getattr(row, f) for f in _CASE_FIELDS}
                client_row, client_changed = self._upsert_client(s, case.client)
                provider_row = self._provider_row(s, case.client.provider)
                self._apply(row, case, client_row, provider_row)
                changed = [f for f in _CASE_FIELDS if getattr(row, f) != before[f]]
                changed += [f"client.{f}" for f in client_changed]
                if changed:
                    s.flush()
                    audit.record(
                        s,
                        "change",
                        row.reference,
                        details={"fields": sorted(changed)},
                        user=self.user,
                    )
                return self._to_case(s, row)
        except StaleDataError:
            raise ConflictError(case.reference) from None

    def new_version(self, case_id: str) -> Case:
        """Copy a definitief case into a new concept (revision + 1, same kenmerk); the old
        row stays as it is, marked superseded."""
        with self.db.session() as s:
            old = self._row(s, case_id)
            if old.status != "definitief":
                raise StoreError(
                    "alleen van een definitieve casus kan een nieuwe versie worden gemaakt"
                )
            if old.superseded:
                raise StoreError(f"van casus {old.reference} bestaat al een nieuwere versie")
            new = Herindicatie(
                id=uuid.uuid4(),
                reference=old.reference,
                revision=self._max_revision(s, old.reference) + 1,
                previous_id=old.id,
                superseded=False,
                client_id=old.client_id,
                provider_id=old.provider_id,
                status="concept",
            )
            for f in _CASE_FIELDS:
                if f not in ("status", "client_id", "provider_id"):
                    setattr(new, f, copy.deepcopy(getattr(old, f)))
            new.decision_date = None
            s.add(new)
            old.superseded = True
            s.flush()
            audit.record(
                s,
                "new_version",
                new.reference,
                details={"revision": new.revision},
                user=self.user,
            )
            return self._to_case(s, new)

    def import_case(self, case: Case, *, replace: bool = False, source: str | None = None) -> Case:
        """Store a case from a case file (decisions.md, "Case files and imports").

        An existing kenmerk is refused unless `replace` and the stored case is not
        definitief; the client is matched by BSN (a different birth date is an error); the
        provider by AGB code, else normalised name (then the stored name is kept; only a
        missing AGB code is filled in); an imported definitief case stays locked.
        """
        self._validate(case)
        with self.db.session() as s:
            existing = self._latest_by_reference(s, case.reference) if case.reference else None
            if existing is not None:
                if not replace:
                    raise InputError(
                        "reference",
                        f"kenmerk {case.reference} bestaat al in de database "
                        "(vervangen kan met --replace)",
                    )
                if existing.status == "definitief":
                    raise InputError(
                        "reference",
                        f"kenmerk {case.reference} is in de database al definitief en "
                        "wordt niet vervangen",
                    )
            client_row, _ = self._upsert_client(s, case.client, strict_birth_date=True)
            provider_row = self._provider_row(s, case.client.provider, keep_matched_name=True)
            if existing is not None:
                row = existing
                self._apply(row, case, client_row, provider_row)
            else:
                row = self._insert(
                    s,
                    case,
                    year=self._year_of(case),
                    client_row=client_row,
                    provider_row=provider_row,
                )
            row.decision = copy.deepcopy(case.decision)
            row.tariffs_used = copy.deepcopy(case.tariffs_used) if case.tariffs_used else None
            row.rules_used = copy.deepcopy(case.rules_used)
            if case.status == "definitief" and row.rules_used is None:
                row.rules_used = builtin_rules_dict()  # absent: the built-in rules (0003)
            row.outcome = (case.decision or {}).get("outcome")
            row.ib_level = (case.decision or {}).get("ib_level")
            if case.status == "definitief":
                row.finalised_at = utcnow()
                row.client_snapshot = _client_json(case.client)
            s.flush()
            audit.record(
                s,
                "import",
                row.reference,
                details={
                    "status": row.status,
                    "replaced": existing is not None,
                    "cases": 1,
                    **({"file": audit.safe_file_name(source)} if source else {}),
                },
                user=self.user,
            )
            return self._to_case(s, row)

    def soft_delete(self, case_id: str) -> None:
        """Tombstone (deleted_at); a definitief case is not deleted. Deleting a newer
        revision brings the previous one back into the list."""
        with self.db.session() as s:
            row = self._row(s, case_id)
            if row.status == "definitief":
                raise CaseLocked(row.reference)
            row.deleted_at = utcnow()
            if row.previous_id is not None:
                previous = s.get(Herindicatie, row.previous_id)
                if previous is not None:
                    previous.superseded = False
            s.flush()
            audit.record(s, "delete", row.reference, user=self.user)

    def record_export(self, case_id: str, file_name: str, kind: str) -> None:
        """Audit "export" of one case to a plain file (a letter, a case file): the file name
        (no folder, BSN-like numbers removed) and what it was."""
        with self.db.session() as s:
            row = self._row(s, case_id)
            audit.record(
                s,
                "export",
                row.reference,
                details={"file": audit.safe_file_name(file_name), "kind": kind, "cases": 1},
                user=self.user,
            )

    def record_view(self, case_id: str) -> None:
        """Audit "view": once per opening of a case."""
        with self.db.session() as s:
            row = self._row(s, case_id)
            audit.record(s, "view", row.reference, user=self.user)

    # -- kenmerk, device, UI state -------------------------------------------------------
    def device_code(self) -> str:
        with self.db.session() as s:
            return self._device_code(s)

    def next_reference(self, year: int) -> str:
        """Reserve the next kenmerk: BWO-<year>-<device code>-<sequence>."""
        with self.db.session() as s:
            return self._next_reference(s, year)

    def get_ui_state(self, key: str, default: Any = None) -> Any:
        return self.db.get_meta(f"ui.{key}", default)

    def set_ui_state(self, key: str, value: Any) -> None:
        self.db.set_meta(f"ui.{key}", value)

    def count(self) -> int:
        with self.db.session() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(Herindicatie)
                    .where(Herindicatie.deleted_at.is_(None))
                )
                or 0
            )

    # -- internals ------------------------------------------------------------------------
    @staticmethod
    def _device_code(s: Session) -> str:
        code = get_meta(s, "device_code")
        if not code:
            code = "".join(secrets.choice(DEVICE_CODE_ALPHABET) for _ in range(4))
            set_meta(s, "device_code", code)
        return str(code)

    def _next_reference(self, s: Session, year: int) -> str:
        device = self._device_code(s)
        key = f"reference_seq.{year}"
        seq = int(get_meta(s, key, 0) or 0)
        while True:
            seq += 1
            reference = REFERENCE_FORMAT.format(year=year, device=device, seq=seq)
            taken = s.scalar(
                select(func.count())
                .select_from(Herindicatie)
                .where(Herindicatie.reference == reference)
            )
            if not taken:
                break
        set_meta(s, key, seq)
        return reference

    @staticmethod
    def _year_of(case: Case) -> int:
        if case.planned is not None:
            return case.planned.date.year
        if case.decision_date is not None:
            return case.decision_date.year
        return dt.date.today().year

    @staticmethod
    def _validate(case: Case) -> None:
        if case.status not in STATUSES:
            raise InputError("status", f"onbekende status {case.status!r}")
        if not is_valid_bsn(normalise_bsn(case.client.bsn)):
            raise InputError("client.bsn", "het BSN voldoet niet aan de elfproef")
        if not case.client.last_name.strip():
            raise InputError("client.last_name", "de achternaam ontbreekt")
        if not case.consultant_name.strip():
            raise InputError("consultant.name", "de naam van de consulent ontbreekt")

    @staticmethod
    def _row(s: Session, case_id: str) -> Herindicatie:
        row = s.get(Herindicatie, _uuid(case_id))
        if row is None or row.deleted_at is not None:
            raise CaseNotFound(str(case_id))
        return row

    @staticmethod
    def _latest_by_reference(s: Session, reference: str) -> Herindicatie | None:
        return s.scalars(
            select(Herindicatie)
            .where(Herindicatie.reference == reference, Herindicatie.deleted_at.is_(None))
            .order_by(Herindicatie.revision.desc())
            .limit(1)
        ).first()

    @staticmethod
    def _max_revision(s: Session, reference: str) -> int:
        return int(
            s.scalar(
                select(func.max(Herindicatie.revision)).where(Herindicatie.reference == reference)
            )
            or 0
        )

    def _insert(
        self,
        s: Session,
        case: Case,
        *,
        year: int,
        client_row: ClientRow | None = None,
        provider_row: Zorgaanbieder | None = None,
    ) -> Herindicatie:
        self._validate(case)
        if client_row is None:
            client_row, _ = self._upsert_client(s, case.client)
            provider_row = self._provider_row(s, case.client.provider)
        reference = case.reference or self._next_reference(s, year)
        row_id = uuid.uuid4()
        if case.id is not None:
            # Keep an id from elsewhere (a merge later) when it is free here.
            wanted = _uuid(case.id)
            if s.get(Herindicatie, wanted) is None:
                row_id = wanted
        row = Herindicatie(
            id=row_id,
            reference=reference,
            revision=self._max_revision(s, reference) + 1,
            superseded=False,
        )
        self._apply(row, case, client_row, provider_row)
        s.add(row)
        s.flush()
        return row

    @staticmethod
    def _apply(
        row: Herindicatie, case: Case, client_row: ClientRow, provider_row: Zorgaanbieder | None
    ) -> None:
        conv = case.conversation
        ci = case.current_indication
        assessment = copy.deepcopy(case.assessment)
        row.status = case.status
        row.client_id = client_row.id
        row.provider_id = provider_row.id if provider_row is not None else None
        row.planned_date = case.planned.date if case.planned else None
        row.planned_time = case.planned.time if case.planned else None
        row.location = conv.location
        row.attended_by = conv.attended_by
        row.absence_reason = conv.absence_reason
        row.consent_share_report = conv.consent_share_report
        row.previous_arrangement = conv.previous_arrangement
        row.support_plan_date = iso_date_or_none((assessment or {}).get("support_plan_date"))
        row.assessment = assessment
        row.motivations = dict(case.motivations)
        row.results = [asdict(r) for r in case.results]
        row.zrm_notes = dict(case.zrm_notes)
        row.unscored_reasons = dict(case.unscored_reasons)
        row.salutation = case.salutation
        row.representative = _representative_json(case.representative)
        row.delivery = case.delivery
        row.current_indication_description = ci.description if ci else None
        row.current_indication_end = ci.end_date if ci else None
        row.consultant_name = case.consultant_name
        row.decision_date = case.decision_date

    def _upsert_client(
        self, s: Session, client: Client, *, strict_birth_date: bool = False
    ) -> tuple[ClientRow, list[str]]:
        bsn = normalise_bsn(client.bsn)
        if not is_valid_bsn(bsn):
            raise InputError("client.bsn", "het BSN voldoet niet aan de elfproef")
        row = s.scalars(select(ClientRow).where(ClientRow.bsn == bsn)).first()
        address = client.address
        begeleider = client.begeleider or Begeleider()
        values: dict[str, Any] = {
            "initials": client.initials,
            "first_name": client.first_name,
            "prefix": client.prefix,
            "last_name": client.last_name,
            "birth_date": client.birth_date,
            "street": address.street if address else None,
            "house_number": address.house_number if address else None,
            "postcode": address.postcode if address else None,
            "city": address.city if address else None,
            "begeleider_name": begeleider.name,
            "begeleider_phone": begeleider.phone,
            "begeleider_email": begeleider.email,
        }
        if row is None:
            row = ClientRow(id=uuid.uuid4(), bsn=bsn, sort_name=sort_name(client), **values)
            s.add(row)
            s.flush()
            return row, []
        if strict_birth_date and row.birth_date != client.birth_date:
            raise InputError(
                "client.birth_date",
                "de geboortedatum verschilt van die van de cliënt met hetzelfde BSN in de database",
            )
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for k in changed:
            setattr(row, k, values[k])
        if row.deleted_at is not None:
            row.deleted_at = None
        if changed:
            row.sort_name = sort_name(client)
        return row, changed

    @staticmethod
    def _provider_row(
        s: Session, provider: Provider | None, *, keep_matched_name: bool = False
    ) -> Zorgaanbieder | None:
        """The stored provider by AGB code, else by normalised name; a new one when neither
        matches. A missing AGB code is filled in, and the given name replaces the stored
        one, except with `keep_matched_name` (an import) when the provider was found by its
        name: another file's spelling of the same name does not rename a shared provider."""
        if provider is None:
            return None
        name = " ".join(provider.name.split())
        agb = (provider.agb_code or "").strip() or None
        if not name and not agb:
            return None
        normalised = normalise_provider_name(name)
        live = Zorgaanbieder.deleted_at.is_(None)
        row = None
        if agb:
            row = s.scalars(
                select(Zorgaanbieder).where(Zorgaanbieder.agb_code == agb, live)
            ).first()
        by_name = row is None
        if row is None and normalised:
            for candidate in s.scalars(
                select(Zorgaanbieder).where(Zorgaanbieder.name_normalised == normalised, live)
            ):
                # Same name but another AGB code is another provider.
                if candidate.agb_code is None or agb is None or candidate.agb_code == agb:
                    row = candidate
                    break
        if row is None:
            row = Zorgaanbieder(
                id=uuid.uuid4(), name=name or agb or "", name_normalised=normalised, agb_code=agb
            )
            s.add(row)
            s.flush()
            return row
        if name and row.name != name and not (by_name and keep_matched_name):
            row.name = name
            row.name_normalised = normalised
        if agb and row.agb_code is None:
            row.agb_code = agb
        return row

    @staticmethod
    def _to_case(s: Session, row: Herindicatie) -> Case:
        if row.status == "definitief" and row.client_snapshot:
            client = _client_from_json(row.client_snapshot)
        else:
            client_row = s.get(ClientRow, row.client_id)
            assert client_row is not None
            provider_row = s.get(Zorgaanbieder, row.provider_id) if row.provider_id else None
            client = Client(
                bsn=client_row.bsn,
                last_name=client_row.last_name,
                birth_date=client_row.birth_date,
                initials=client_row.initials,
                first_name=client_row.first_name,
                prefix=client_row.prefix,
                address=None
                if all(
                    v is None
                    for v in (
                        client_row.street,
                        client_row.house_number,
                        client_row.postcode,
                        client_row.city,
                    )
                )
                else Address(
                    street=client_row.street or "",
                    house_number=client_row.house_number or "",
                    postcode=client_row.postcode or "",
                    city=client_row.city or "",
                ),
                provider=None
                if provider_row is None
                else Provider(name=provider_row.name, agb_code=provider_row.agb_code),
                begeleider=None
                if client_row.begeleider_name is None
                and client_row.begeleider_phone is None
                and client_row.begeleider_email is None
                else Begeleider(
                    name=client_row.begeleider_name,
                    phone=client_row.begeleider_phone,
                    email=client_row.begeleider_email,
                ),
            )
        ci = None
        if row.current_indication_description is not None or row.current_indication_end is not None:
            ci = CurrentIndication(row.current_indication_description, row.current_indication_end)
        return Case(
            client=client,
            consultant_name=row.consultant_name,
            conversation=Conversation(
                location=row.location,
                attended_by=row.attended_by,
                absence_reason=row.absence_reason,
                consent_share_report=row.consent_share_report,
                previous_arrangement=row.previous_arrangement,
            ),
            assessment=copy.deepcopy(row.assessment),
            motivations=dict(row.motivations or {}),
            results=[Result(**r) for r in (row.results or [])],
            reference=row.reference,
            decision_date=row.decision_date,
            status=row.status,
            planned=Planned(row.planned_date, row.planned_time) if row.planned_date else None,
            salutation=row.salutation,
            representative=_representative_from(row.representative),
            delivery=row.delivery,
            current_indication=ci,
            zrm_notes=dict(row.zrm_notes or {}),
            unscored_reasons=dict(row.unscored_reasons or {}),
            tariffs_used=copy.deepcopy(row.tariffs_used or []),
            rules_used=copy.deepcopy(row.rules_used),
            id=str(row.id),
            version=row.version,
            updated_at=row.updated_at,
            decision=copy.deepcopy(row.decision),
        )
