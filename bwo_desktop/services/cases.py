"""Case use cases: list, open, autosave, finalise, new version, import, delete.

Every method runs one short transaction and returns plain `core.case` objects, never ORM
rows. Changes, finalisations, imports and deletions are written to the audit log in the
same transaction (field names only, never values).
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bwo_desktop.core.bsn import is_valid_bsn, normalise_bsn
from bwo_desktop.core.case import (
    STATUSES,
    Begeleider,
    Case,
    CaseSummary,
    Client,
    Conversation,
    CurrentIndication,
    KnownClient,
    Planned,
)
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.names import holder_name, sort_name
from bwo_desktop.core.rules import builtin_rules_dict
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import audit, case_history, sync_fields
from bwo_desktop.services.case_list_query import fetch_rows, fetch_summary
from bwo_desktop.services.case_mapping import apply_case, to_case
from bwo_desktop.services.case_mapping import client_json as _client_json
from bwo_desktop.services.database import Database
from bwo_desktop.services.errors import (
    CaseLocked,
    CaseNotFound,
    ConflictError,
    StoreError,
)
from bwo_desktop.services.identity import device_code, next_reference
from bwo_desktop.services.providers import normalise_provider_name as normalise_provider_name
from bwo_desktop.services.providers import provider_row

__all__ = [
    "CaseLocked",
    "CaseNotFound",
    "CaseService",
    "ConflictError",
    "normalise_provider_name",
]

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
# Documents whose making the case list shows (record_export sets the date).
MADE_ON_COLUMNS = {"beschikking": "beschikking_made_on", "verslag-client": "verslag_made_on"}


def decided_period_end(decision: dict[str, Any] | None) -> dt.date | None:
    """The new indication's last day from a frozen decision (advice-json `period.end`);
    None for a refusal (no new indication) or a decision without it."""
    if not decision or decision.get("outcome") != "ib_bw":
        return None
    end = (decision.get("period") or {}).get("end")
    try:
        return dt.date.fromisoformat(end) if isinstance(end, str) else None
    except ValueError:
        return None


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
        with self.db.read() as s:
            return fetch_rows(s.connection(), self.db.dialect)

    def list_summaries(self) -> list[CaseSummary]:
        """`list_rows` as CaseSummary objects (for exports and other bulk readers)."""
        return self.list_rows().summaries()

    def get_summary(self, case_id: str) -> CaseSummary | None:
        """The list row of one case; None when it is not in the list (deleted, superseded
        by a newer revision, or unknown). Refreshes one row after an autosave."""
        try:
            key = case_history.case_uuid(case_id)
        except CaseNotFound:
            return None
        with self.db.read() as s:
            return fetch_summary(s, self.db.dialect, key)

    def get(self, case_id: str) -> Case:
        with self.db.read() as s:
            return self._to_case(s, self._row(s, case_id))

    def get_by_reference(self, reference: str) -> Case | None:
        """The newest revision with this kenmerk that is not deleted."""
        with self.db.read() as s:
            row = self._latest_by_reference(s, reference)
            return None if row is None else self._to_case(s, row)

    def versions(self, reference: str) -> list[Case]:
        """All revisions of one kenmerk, oldest first (deleted ones left out)."""
        with self.db.read() as s:
            rows = s.scalars(
                select(Herindicatie)
                .where(Herindicatie.reference == reference, Herindicatie.deleted_at.is_(None))
                .order_by(Herindicatie.revision)
            ).all()
            return [self._to_case(s, r) for r in rows]

    def previous_case(self, case: Case) -> Case | None:
        """The client's latest earlier case with ZRM scores ("previous scores")."""
        return case_history.previous_case(self.db, case)

    def known_client(self, bsn: str) -> KnownClient | None:
        """The client with this BSN as the database knows it (None: a new client)."""
        return case_history.known_client(self.db, bsn)

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
                self._keep_synced_bsn(s, row, case.client)
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
            if existing is not None:
                self._keep_synced_bsn(s, existing, case.client)
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
                row.new_indication_end = decided_period_end(case.decision)
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
            if kind in MADE_ON_COLUMNS and row.status == "definitief":
                setattr(row, MADE_ON_COLUMNS[kind], dt.date.today())  # the list's marker
            audit.record(
                s,
                "export",
                row.reference,
                details={"file": audit.safe_file_name(file_name), "kind": kind, "cases": 1},
                user=self.user,
            )

    def documents_made(self, case_id: str) -> dict[str, dt.date]:
        """Per kind of document made of this case ("beschikking", "verslag-client", …):
        the day it was first made, from the audit log."""
        return case_history.documents_made(self.db, case_id)

    def record_view(self, case_id: str) -> None:
        """Audit "view": once per opening of a case."""
        with self.db.session() as s:
            row = self._row(s, case_id)
            audit.record(s, "view", row.reference, user=self.user)

    # -- kenmerk, device, UI state -------------------------------------------------------
    def device_code(self) -> str:
        with self.db.session() as s:
            return device_code(s)

    def next_reference(self, year: int) -> str:
        """Reserve the next kenmerk: BWO-<year>-<device code>-<sequence>."""
        with self.db.session() as s:
            return self._next_reference(s, year)

    def leased_elsewhere(self, case_id: str) -> str | None:
        """Team mode: who holds the case when another laptop does ("A. de Vries
        (laptop-2)"), as the last pull said; None when this laptop may edit it."""
        from bwo_desktop.services import sync_inbox

        holder = sync_inbox.held_elsewhere(self.db, case_id)
        return holder_name(*holder) if holder is not None else None

    def get_ui_state(self, key: str, default: Any = None) -> Any:
        return self.db.get_meta(f"ui.{key}", default)

    def set_ui_state(self, key: str, value: Any) -> None:
        self.db.set_meta(f"ui.{key}", value)

    def count(self) -> int:
        with self.db.read() as s:
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
    def _next_reference(s: Session, year: int) -> str:
        return next_reference(s, year)

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
        return case_history.case_row(s, case_id)

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
            wanted = case_history.case_uuid(case.id)
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
    def _keep_synced_bsn(s: Session, row: Herindicatie, client: Client) -> None:
        """Team mode: a case's client keeps its BSN once the office has that client (a BSN
        never changes offline; services/sync_fields.py)."""
        current = s.get(ClientRow, row.client_id) if row.client_id is not None else None
        sync_fields.refuse_bsn_change(
            s, row.client_id, current.bsn if current else None, normalise_bsn(client.bsn)
        )

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

    # The mapping between plain cases and rows lives in `case_mapping`, provider matching in
    # `providers`: bound here under the names the methods above use.
    _apply = staticmethod(apply_case)
    _provider_row = staticmethod(provider_row)
    _to_case = staticmethod(to_case)
