"""DecisionService (issue 11): definitief is decided from the STORED case, with the rules and
tariffs in force, after the readiness checklist; decision, tariffs_used and rules_used are
frozen with an audit entry. Migration 0003 back-fills rules_used of older decided cases."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from persistence_samples import PASSPHRASE, full_case
from sqlalchemy import JSON, String, column, select, table

from bwo_desktop.core.assessment_json import advice_to_json, advise_partial
from bwo_desktop.core.rules import builtin_rules_dict, default_rules, rules_to_dict
from bwo_desktop.core.tariffs import load_tariff_book
from bwo_desktop.core.zrm import DOMAIN_KEYS
from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.decisions import DecisionService
from bwo_desktop.services.errors import CaseLocked, ConflictError, NotReady

MOTIVATIONS = {
    "need_24_7": "Nachtelijke onrust.",
    "can_postpone": "Wachten kan.",
    "regular_ib_fits": "Reguliere IB is te licht.",
}


@pytest.fixture
def svc(tmp_path: Path) -> Any:
    from bwo_desktop.services.database import open_database

    db = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True, backup_before_migrate=False)
    yield CaseService(db, user="J. Consulent")
    db.close()


def ready_case(svc: CaseService) -> Any:
    """full_case with every ZRM domain scored (4 where the sample leaves one out) and the
    three criteria motivated: ready for definitief (IB2 with the built-in rules)."""
    case = full_case(0, motivations=dict(MOTIVATIONS))
    assert case.assessment is not None
    case.assessment = copy.deepcopy(case.assessment)
    case.assessment["zrm"] = {k: case.assessment["zrm"].get(k, 4) for k in DOMAIN_KEYS}
    return svc.create(case)


def test_finalise_decides_the_stored_assessment_not_an_unsaved_draft(svc: CaseService) -> None:
    stored = ready_case(svc)
    # The editor's draft moved on (more domains on "overnemen") but its save failed: only
    # the stored assessment may be decided.
    draft = copy.deepcopy(stored.assessment)
    draft["zrm"].update({"werk_opleiding": 1, "tijdsbesteding": 1, "sociaal_netwerk": 1})
    final = DecisionService(svc).finalise(stored.id, stored.version)
    expected, _ = advise_partial(stored.assessment, load_tariff_book(), default_rules())
    assert final.status == "definitief" and final.decision == advice_to_json(expected)
    assert final.assessment == stored.assessment
    assert final.tariffs_used and final.rules_used == builtin_rules_dict()
    entry = audit.entries(svc.db)[-1]
    assert entry.action == "finalise" and entry.object_ref == final.reference


def test_finalise_freezes_the_rules_in_force(svc: CaseService, user_data_dir: Path) -> None:
    (user_data_dir / "rules.toml").write_text("ib3_min_overnemen = 2\n", encoding="utf-8")
    stored = ready_case(svc)
    final = DecisionService(svc).finalise(stored.id, stored.version)
    assert final.rules_used == {**builtin_rules_dict(), "ib3_min_overnemen": 2}
    assert svc.get(final.id).rules_used == final.rules_used
    assert final.decision["ib_level"] == "IB3"  # two domains on "overnemen"


def test_finalise_refuses_an_incomplete_case_and_writes_nothing(svc: CaseService) -> None:
    stored = ready_case(svc)
    stored.motivations = {"need_24_7": "Nachtelijke onrust."}  # two criteria without one
    stored = svc.save(stored)
    decisions = DecisionService(svc)
    with pytest.raises(NotReady) as info:
        decisions.finalise(stored.id, stored.version)
    keys = {item.key for item in info.value.items}
    assert keys == {"motivation.can_postpone", "motivation.regular_ib_fits"}
    assert "Motivering bij criterium 2 ontbreekt" in str(info.value)
    again = svc.get(stored.id)
    assert again.status == "concept" and again.version == stored.version
    assert again.decision is None and again.rules_used is None
    open_items = [i for i in decisions.readiness(stored.id) if i.blocking and not i.done]
    assert {i.key for i in open_items} == keys and {i.page for i in open_items} == {2}


def test_finalise_checks_version_and_lock(svc: CaseService) -> None:
    stored = ready_case(svc)
    decisions = DecisionService(svc)
    with pytest.raises(ConflictError):
        decisions.finalise(stored.id, stored.version - 1)
    final = decisions.finalise(stored.id, stored.version)
    with pytest.raises(CaseLocked):
        decisions.finalise(stored.id, final.version)


def test_migration_0003_back_fills_decided_cases_with_the_builtin_rules(tmp_path: Path) -> None:
    from bwo_desktop.models import migrate
    from bwo_desktop.services import keys
    from bwo_desktop.services.database import _sqlcipher_engine

    path = tmp_path / "raw.db"
    engine = _sqlcipher_engine(path, keys.create_key_file(keys.key_file_for(path), PASSPHRASE))
    from persistence_seeders import SEEDERS

    with engine.begin() as conn:
        migrate.upgrade(conn, "0002")
        written = SEEDERS["0002"](conn)
        cases = table("herindicaties", column("id"), column("status", String))
        conn.execute(cases.update().values(status="definitief"))
    with engine.begin() as conn:
        migrate.upgrade(conn)
    rows = table("herindicaties", column("status", String), column("rules_used", JSON))
    with engine.connect() as conn:
        found = conn.execute(select(rows.c.status, rows.c.rules_used)).all()
    engine.dispose()
    assert len(found) == len(written["herindicaties"])
    assert all(r.rules_used == rules_to_dict(default_rules()) for r in found)


def test_migration_0004_back_fills_the_list_markers(tmp_path: Path) -> None:
    """The new indication end comes from the frozen decision; a beschikking and a verslag
    count when made at or after definitief (a letter of an older version does not)."""
    import datetime as dt

    from sqlalchemy import Date, DateTime, Uuid

    from bwo_desktop.models import migrate
    from bwo_desktop.services import keys
    from bwo_desktop.services.database import _sqlcipher_engine

    path = tmp_path / "raw.db"
    engine = _sqlcipher_engine(path, keys.create_key_file(keys.key_file_for(path), PASSPHRASE))
    from persistence_seeders import SEEDERS

    finalised = dt.datetime(2026, 12, 8, 10, 0)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0003")
        SEEDERS["0003"](conn)
        cases = table(
            "herindicaties",
            column("status", String),
            column("decision", JSON),
            column("finalised_at", DateTime),
        )
        conn.execute(
            cases.update().values(
                status="definitief",
                decision={
                    "outcome": "ib_bw",
                    "period": {"start": "2027-01-01", "end": "2027-12-31"},
                },
                finalised_at=finalised,
            )
        )
        log = table(
            "audit_log",
            column("id", Uuid),
            column("seq"),
            column("time", DateTime),
            column("action", String),
            column("object_ref", String),
            column("result", String),
            column("details", JSON),
            column("prev_hash", String),
            column("hash", String),
        )
        import uuid

        for seq, (when, kind) in enumerate(
            [
                (finalised - dt.timedelta(days=30), "verslag-client"),  # an older version's
                (finalised + dt.timedelta(hours=1), "beschikking"),
                (finalised + dt.timedelta(days=2), "beschikking"),  # a reprint: the newest
            ],
            start=2,
        ):
            conn.execute(
                log.insert().values(
                    id=uuid.uuid4(), seq=seq, time=when, action="export",
                    object_ref="BWO-2026-TEST-0001", result="ok",
                    details={"file": "x.pdf", "kind": kind, "cases": 1},
                    prev_hash="0" * 64, hash="e" * 64,
                )
            )  # fmt: skip
    with engine.begin() as conn:
        migrate.upgrade(conn)
    rows = table(
        "herindicaties",
        column("new_indication_end", Date),
        column("beschikking_made_on", Date),
        column("verslag_made_on", Date),
    )
    with engine.connect() as conn:
        found = conn.execute(select(rows)).one()
    engine.dispose()
    assert found.new_indication_end == dt.date(2027, 12, 31)
    assert found.beschikking_made_on == dt.date(2026, 12, 10)
    assert found.verslag_made_on is None


def test_finalise_refuses_a_gap_without_motivation(svc: CaseService) -> None:
    """A decision whose letter would be refused in bezwaar (days without support between the
    current indication and the new period) cannot become definitief: the readiness checklist
    and the beschikking apply the same rule (core.transitions)."""
    import datetime as dt

    from bwo_desktop.core.case import CurrentIndication

    stored = ready_case(svc)
    start = dt.date.fromisoformat(stored.assessment["period"]["start"])
    stored.current_indication = CurrentIndication("BW extramuraal", start - dt.timedelta(days=10))
    stored = svc.save(stored)
    decisions = DecisionService(svc)
    with pytest.raises(NotReady) as info:
        decisions.finalise(stored.id, stored.version)
    assert any("zonder ondersteuning" in item.label for item in info.value.items)
    assert svc.get(stored.id).status != "definitief"
    stored.motivations["gap"] = "Cliënt verbleef tien dagen bij familie; geen ondersteuning nodig."
    stored = svc.save(stored)
    assert decisions.finalise(stored.id, stored.version).status == "definitief"


def test_finalise_refuses_a_birth_date_in_the_future(svc: CaseService) -> None:
    """Issue 14: a birth date in 2030 went to definitief from the editor. The readiness
    checklist applies the plausibility rules of the core, so the service refuses it."""
    import dataclasses
    import datetime as dt

    stored = ready_case(svc)
    stored.client = dataclasses.replace(stored.client, birth_date=dt.date(2030, 1, 1))
    stored = svc.save(stored)
    with pytest.raises(NotReady) as info:
        DecisionService(svc).finalise(stored.id, stored.version)
    assert any(item.key == "birth_date" for item in info.value.items)
    assert svc.get(stored.id).status != "definitief"
