"""CaseService on both engines: round trip, optimistic locking, definitief lock, versions,
imports, kenmerk, the case list, previous scores, tombstones, UI state and the audit chain."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from decided import store_decided
from persistence_samples import DECISION, TARIFFS, bsn, client, full_case

from bwo_desktop.core.case import Case, CurrentIndication, Planned, Provider
from bwo_desktop.core.errors import InputError
from bwo_desktop.services import audit
from bwo_desktop.services.cases import (
    CaseLocked,
    CaseNotFound,
    CaseService,
    ConflictError,
    normalise_provider_name,
)
from bwo_desktop.services.database import Database

DB_FIELDS = ("id", "version", "updated_at", "reference")


def same_content(a: Case, b: Case) -> None:
    da, db_ = dataclasses.asdict(a), dataclasses.asdict(b)
    for f in DB_FIELDS:
        da.pop(f)
        db_.pop(f)
    assert da == db_


@pytest.fixture
def svc(db: Database) -> CaseService:
    return CaseService(db, user="J. Consulent")


def test_round_trip(svc: CaseService) -> None:
    case = full_case(0)
    stored = svc.create(case)
    assert stored.id and stored.version == 1 and stored.updated_at is not None
    assert stored.updated_at.tzinfo is not None
    same_content(case, stored)
    again = svc.get(stored.id)
    assert again == stored
    assert svc.get_by_reference(stored.reference or "") == stored
    assert svc.get_by_reference("BWO-0000-XXXX-0001") is None


def test_round_trip_of_a_minimal_case(svc: CaseService) -> None:
    case = Case(
        client=client(1, address=None, provider=None, begeleider=None), consultant_name="C."
    )
    stored = svc.create(case)
    same_content(case, stored)


def test_create_planned_matches_client_and_provider(svc: CaseService) -> None:
    a = svc.create_planned(client(0), Planned(dt.date(2026, 12, 8), dt.time(9)), "Locatie", "C.")
    renamed = client(0, provider=Provider("STICHTING de overkant", None), last_name="Şahin-Kaya")
    b = svc.create_planned(
        renamed, Planned(dt.date(2027, 1, 5), dt.time(9, 20)), "Locatie", "C.",
        CurrentIndication("BW", dt.date(2027, 1, 31)),
    )  # fmt: skip
    assert a.status == b.status == "planned"
    assert b.current_indication == CurrentIndication("BW", dt.date(2027, 1, 31))
    # Same client row (by BSN), updated; same provider (by normalised name), AGB kept.
    assert svc.get(a.id or "").client.last_name == "Şahin-Kaya"
    assert b.client.provider == Provider("STICHTING de overkant", "73730001")
    other = svc.create_planned(
        client(2, provider=Provider("Stichting De Overkant", "99999999")),
        Planned(dt.date(2027, 1, 5)), None, "C.",
    )  # fmt: skip
    assert other.client.provider == Provider("Stichting De Overkant", "99999999")


def test_provider_name_normalised() -> None:
    assert normalise_provider_name("  Zorg-Één  B.V. ") == "zorg een b v"


def test_save_bumps_version_and_refuses_stale_copy(svc: CaseService) -> None:
    stored = svc.create(full_case(0))
    first = copy.deepcopy(stored)
    first.motivations["zrm"] = "Aangepast."
    saved = svc.save(first)
    assert saved.version == stored.version + 1
    assert saved.motivations["zrm"] == "Aangepast."
    stale = copy.deepcopy(stored)
    stale.motivations["zrm"] = "Overschreven?"
    with pytest.raises(ConflictError):
        svc.save(stale)
    assert svc.get(stored.id or "").motivations["zrm"] == "Aangepast."
    # Saving without changes writes nothing.
    assert svc.save(saved).version == saved.version


def test_save_records_changed_field_names_not_values(svc: CaseService, db: Database) -> None:
    stored = svc.create(full_case(0))
    stored.zrm_notes = {"financien": "Geheime notitie"}
    stored.client.address = dataclasses.replace(stored.client.address, street="Nieuwstraat")  # type: ignore[type-var]
    svc.save(stored)
    last = audit.entries(db)[-1]
    assert last.action == "change" and last.user == "J. Consulent"
    assert last.object_ref == stored.reference
    assert last.details == {"fields": ["client.street", "zrm_notes"]}
    text = repr(audit.entries(db))
    assert "Geheime" not in text and "Nieuwstraat" not in text and stored.client.bsn not in text


def test_definitief_is_locked(svc: CaseService) -> None:
    stored = svc.create(full_case(0))
    final = store_decided(svc, stored.id or "", DECISION, TARIFFS)
    assert final.status == "definitief"
    assert final.decision == DECISION and final.tariffs_used == TARIFFS
    case = copy.deepcopy(final)
    case.status = "concept"
    with pytest.raises(CaseLocked):
        svc.save(case)
    with pytest.raises(CaseLocked):
        store_decided(svc, stored.id or "", DECISION, TARIFFS)
    with pytest.raises(CaseLocked):
        svc.soft_delete(stored.id or "")
    summary = next(s for s in svc.list_summaries() if s.id == stored.id)
    assert summary.status == "definitief" and summary.ib_level == "IB2"


def test_definitief_keeps_client_as_decided(svc: CaseService) -> None:
    stored = svc.create(full_case(0))
    final = store_decided(svc, stored.id or "", DECISION, TARIFFS)
    svc.create_planned(
        client(0, last_name="Anders", provider=Provider("Nieuwe Aanbieder", "11111111")),
        Planned(dt.date(2027, 6, 1)), None, "C.",
    )  # fmt: skip
    assert svc.get(final.id or "").client == final.client


def test_new_version(svc: CaseService) -> None:
    stored = svc.create(full_case(0))
    final = store_decided(svc, stored.id or "", DECISION, TARIFFS)
    new = svc.new_version(final.id or "")
    assert new.reference == final.reference and new.id != final.id
    assert new.status == "concept" and new.decision is None and new.tariffs_used == []
    assert new.assessment == final.assessment and new.results == final.results
    assert svc.get(final.id or "").status == "definitief"
    listed = [s.id for s in svc.list_summaries()]
    assert new.id in listed and final.id not in listed
    assert svc.get_by_reference(final.reference or "") == new
    assert [c.id for c in svc.versions(final.reference or "")] == [final.id, new.id]
    with pytest.raises(Exception, match="nieuwere versie"):
        svc.new_version(final.id or "")
    # Deleting the new concept brings the definitief one back into the list.
    svc.soft_delete(new.id or "")
    assert final.id in [s.id for s in svc.list_summaries()]
    with pytest.raises(CaseNotFound):
        svc.get(new.id or "")


def test_reference_format_and_uniqueness(svc: CaseService) -> None:
    refs = [svc.create(full_case(i)).reference or "" for i in range(5)]
    device = svc.device_code()
    assert re.fullmatch(r"[A-Z2-9]{4}", device)
    assert refs == [f"BWO-2026-{device}-{i:04d}" for i in range(1, 6)]
    assert svc.next_reference(2027) == f"BWO-2027-{device}-0001"
    assert svc.next_reference(2027) == f"BWO-2027-{device}-0002"
    # A kenmerk taken by an import is skipped by the sequence.
    svc.import_case(full_case(9, reference=f"BWO-2027-{device}-0003"))
    assert svc.next_reference(2027) == f"BWO-2027-{device}-0004"


def test_list_summaries(svc: CaseService) -> None:
    a = svc.create(full_case(0))
    b = svc.create(
        full_case(1, planned=None, current_indication=None, client=client(1, provider=None))
    )
    by_id = {s.id: s for s in svc.list_summaries()}
    sa, sb = by_id[a.id or ""], by_id[b.id or ""]
    assert sa.client_name == "Şahin, A." and sa.bsn == a.client.bsn
    assert sa.birth_date == dt.date(1988, 3, 14)
    assert sa.provider_name == "Stichting De Overkant"
    assert (sa.planned_date, sa.planned_time) == (dt.date(2026, 12, 8), dt.time(9, 20))
    assert sa.location == "Locatie Zuid, Dordrecht" and sa.status == "concept"
    assert sa.current_indication_end == dt.date(2026, 12, 31) and sa.ib_level is None
    assert sa.updated_at == a.updated_at and sa.reference == a.reference
    assert sb.provider_name == "" and sb.planned_date is None and sb.planned_time is None


def test_soft_delete_is_a_tombstone(svc: CaseService, db: Database) -> None:
    from sqlalchemy import func, select

    from bwo_desktop.models import Herindicatie

    stored = svc.create(full_case(0))
    svc.soft_delete(stored.id or "")
    assert svc.list_summaries() == []
    with db.session() as s:
        row = s.get(Herindicatie, __import__("uuid").UUID(stored.id))
        assert row is not None and row.deleted_at is not None
        assert s.scalar(select(func.count()).select_from(Herindicatie)) == 1


def test_previous_case(svc: CaseService) -> None:
    old = full_case(0, planned=Planned(dt.date(2025, 12, 1)), decision_date=dt.date(2025, 12, 1))
    old_stored = svc.create(old)
    store_decided(svc, old_stored.id or "", DECISION, TARIFFS)
    unscored = full_case(0, planned=Planned(dt.date(2026, 6, 1)), assessment={"zrm": {}})
    svc.create(unscored)
    current = svc.create(full_case(0))
    previous = svc.previous_case(current)
    assert previous is not None and previous.id == old_stored.id
    assert svc.previous_case(svc.create(full_case(5))) is None


def test_import_rules(svc: CaseService) -> None:
    case = full_case(0, reference="BWO-2026-000123")
    imported = svc.import_case(case)
    same_content(case, imported)
    assert imported.reference == "BWO-2026-000123"
    with pytest.raises(InputError, match="bestaat al"):
        svc.import_case(case)
    changed = full_case(0, reference="BWO-2026-000123", motivations={"zrm": "Nieuw."})
    replaced = svc.import_case(changed, replace=True)
    assert replaced.id == imported.id and replaced.motivations == {"zrm": "Nieuw."}
    # A definitief stored case is never replaced; an imported definitief case stays locked.
    final = full_case(1, reference="BWO-2026-000124", status="definitief", decision=DECISION,
                      tariffs_used=TARIFFS, decision_date=dt.date(2026, 12, 9))  # fmt: skip
    stored_final = svc.import_case(final)
    assert stored_final.status == "definitief" and stored_final.decision == DECISION
    with pytest.raises(InputError, match="definitief"):
        svc.import_case(final, replace=True)
    with pytest.raises(CaseLocked):
        svc.save(dataclasses.replace(stored_final, status="concept"))


def test_import_matches_client_by_bsn_and_checks_birth_date(svc: CaseService) -> None:
    first = svc.import_case(full_case(0, reference="A-1"))
    with pytest.raises(InputError) as info:
        svc.import_case(
            full_case(0, reference="A-2", client=client(0, birth_date=dt.date(1990, 1, 1)))
        )
    assert info.value.field == "client.birth_date"
    assert bsn(0) not in str(info.value)
    assert svc.get_by_reference("A-2") is None  # nothing half-stored
    second = svc.import_case(
        full_case(
            0, reference="A-3", client=client(0, provider=Provider("andere naam", "73730001"))
        )
    )
    assert second.client.provider == Provider("andere naam", "73730001")
    assert first.client.bsn == second.client.bsn


def test_import_matching_a_provider_by_name_keeps_the_stored_name(svc: CaseService) -> None:
    stored = svc.create(
        full_case(0, client=client(0, provider=Provider("Stichting De Overkant", None)))
    )
    imported = svc.import_case(
        full_case(
            1,
            reference="A-1",
            client=client(1, provider=Provider("STICHTING de overkant", "73730001")),
        )
    )
    # Same provider (by normalised name): the stored spelling stays, the missing AGB is filled.
    assert imported.client.provider == Provider("Stichting De Overkant", "73730001")
    again = svc.get(stored.id or "")
    assert again.client.provider == Provider("Stichting De Overkant", "73730001")
    by_id = {s.id: s for s in svc.list_summaries()}
    assert {by_id[c.id or ""].provider_name for c in (stored, imported)} == {
        "Stichting De Overkant"
    }


def test_import_refuses_bad_bsn_and_generates_reference(svc: CaseService) -> None:
    with pytest.raises(InputError) as info:
        svc.import_case(full_case(0, client=client(0, bsn="123456789")))
    assert info.value.field == "client.bsn"
    generated = svc.import_case(full_case(0))
    assert (generated.reference or "").startswith("BWO-2026-")


def test_ui_state_and_demo_flag(svc: CaseService, db: Database) -> None:
    assert svc.get_ui_state("last_case") is None
    svc.set_ui_state("last_case", "abc")
    svc.set_ui_state("columns", {"widths": [100, 200]})
    assert svc.get_ui_state("last_case") == "abc"
    assert svc.get_ui_state("columns") == {"widths": [100, 200]}
    assert db.is_demo is False
    db.set_meta("is_demo", True)
    assert db.is_demo is True


def test_audit_chain_detects_tampering(svc: CaseService, db: Database) -> None:
    from sqlalchemy import delete, update

    from bwo_desktop.models import AuditEntry

    stored = svc.create(full_case(0))
    svc.record_view(stored.id or "")
    for i in range(3):
        stored.motivations["zrm"] = f"versie {i}"
        stored = svc.save(stored)
    assert [e.action for e in audit.entries(db)] == ["create", "view", "change", "change", "change"]
    assert audit.verify(db) == []
    with db.session() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(result="fout"))
    problems = audit.verify(db)
    assert [p.seq for p in problems] == [3]
    with db.session() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
    problems = audit.verify(db)
    assert problems and problems[0].seq == 4


def test_concurrent_services_conflict(open_db: Any, engine_name: str) -> None:
    """Two service objects on one database (two windows): the later stale save loses."""
    db = open_db()
    one, two = CaseService(db), CaseService(db)
    stored = one.create(full_case(0))
    a, b = two.get(stored.id or ""), one.get(stored.id or "")
    a.motivations = {"zrm": "a"}
    b.motivations = {"zrm": "b"}
    two.save(a)
    with pytest.raises(ConflictError):
        one.save(b)
