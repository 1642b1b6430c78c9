"""Team mode's outbox (issue 15, first part): every committed change of a synced row is in the
outbox, written in the same transaction; a rolled-back change is not; one local transaction
is one batch; a row changed again keeps only its newest entry until it is pushed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from persistence_samples import full_case

from bwo_desktop.services import outbox
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database
from bwo_desktop.services.errors import ConflictError


@pytest.fixture
def svc(db: Any) -> CaseService:
    return CaseService(db, user="Tester")


def sample_case(n: int) -> Any:
    return full_case(n)


def _pending(db: Database) -> list[outbox.OutboxEntry]:
    with db.read() as s:
        return outbox.pending(s)


def test_a_new_case_is_one_batch_with_its_client_and_provider(svc: CaseService) -> None:
    created = svc.create(sample_case(0))
    entries = _pending(svc.db)
    assert {e.table_name for e in entries} == {"herindicaties", "clients", "zorgaanbieders"}
    assert len({e.batch_id for e in entries}) == 1
    case_entry = next(e for e in entries if e.table_name == "herindicaties")
    assert str(case_entry.row_id) == created.id
    assert case_entry.row_version == created.version and case_entry.op == "upsert"


def test_a_save_replaces_the_rows_older_entry_and_a_delete_is_a_tombstone(
    svc: CaseService,
) -> None:
    created = svc.create(sample_case(1))
    assert created.id is not None
    first = next(e for e in _pending(svc.db) if e.table_name == "herindicaties")
    created.zrm_notes["financien"] = "schulden bij twee instanties"
    saved = svc.save(created)
    entries = [e for e in _pending(svc.db) if e.table_name == "herindicaties"]
    assert len(entries) == 1  # the newest state only: one entry per row until pushed
    assert entries[0].row_version == saved.version and entries[0].batch_id != first.batch_id
    svc.soft_delete(created.id)
    entries = [e for e in _pending(svc.db) if e.table_name == "herindicaties"]
    assert [e.op for e in entries] == ["delete"]


def test_a_rolled_back_change_leaves_no_entry(svc: CaseService) -> None:
    created = svc.create(sample_case(2))
    before = _pending(svc.db)
    stale = sample_case(2)
    stale.id, stale.reference, stale.version = created.id, created.reference, created.version - 1
    with pytest.raises(ConflictError):
        svc.save(stale)
    assert _pending(svc.db) == before


def test_reads_write_nothing_and_a_pushed_batch_is_done(svc: CaseService) -> None:
    created = svc.create(sample_case(3))
    assert created.id is not None
    svc.get(created.id)
    svc.list_rows()
    entries = _pending(svc.db)
    assert len(entries) == 3
    with svc.db.session() as s:
        assert outbox.mark_pushed(s, entries[0].batch_id) == 3
    assert _pending(svc.db) == []
    created.zrm_notes["werk"] = "werkt twee dagen"
    svc.save(created)  # changed after the push: in the outbox again
    assert [e.table_name for e in _pending(svc.db)] == ["herindicaties"]


def test_a_planning_import_is_one_batch(svc: CaseService, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "excel"))
    from excel_factories import planning_row, write_planning

    from bwo_desktop.imports.planning import read_planning_or_raise
    from bwo_desktop.services.demo import demo_bsns
    from bwo_desktop.services.planning_service import import_planning

    bsns = demo_bsns()[:3]
    rows = read_planning_or_raise(
        write_planning(
            tmp_path / "p.xlsx", [planning_row(b, day=11 + n) for n, b in enumerate(bsns)]
        )
    )
    import_planning(svc.db, rows, consultant_name="C")
    entries: list[Any] = _pending(svc.db)
    assert len([e for e in entries if e.table_name == "herindicaties"]) == 3
    assert len({e.batch_id for e in entries}) == 1  # all or nothing, at the office too
