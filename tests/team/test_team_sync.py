"""Team mode end to end (issue 15, first slice): the office's PostgreSQL, the server as a
real process over mutual TLS, laptops syncing with `bwo-desktop sync`.

A case decided offline on laptop A reaches laptop B of the same team and never a laptop of
another team; a resent batch is not applied twice; a certificate the office did not issue,
or one it issued but never enrolled, gets nothing; a schema behind is refused in Dutch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from team_support import PASSPHRASE, Office, cli, decide_a_case

pytestmark = pytest.mark.pg


def _cases(path: Path) -> dict[str, Any]:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="x")
        return {s.id: svc.get(s.id) for s in svc.list_summaries()}


def _office_count(office: Office, team: str, table: str) -> int:
    """Rows of one team at the office, read as that team (FORCE ROW LEVEL SECURITY binds
    the owner too: without the team setting nothing is visible)."""
    engine = create_engine(office.url)
    try:
        with engine.begin() as conn:
            hidden = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            assert hidden == 0
            conn.execute(text("SELECT set_config('bwo.team', :t, true)"), {"t": team})
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    finally:
        engine.dispose()


def test_a_decided_case_reaches_its_team_only(office: Office, laptop: Any) -> None:
    a = laptop("a", office.enrol("noord-a", "Noord"))
    b = laptop("b", office.enrol("noord-b", "Noord"))
    z = laptop("z", office.enrol("zuid-z", "Zuid"))
    case_id = decide_a_case(a, 1)

    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 0
    assert cli("sync", "--db", str(z)) == 0

    on_a, on_b = _cases(a)[case_id], _cases(b).get(case_id)
    assert on_b is not None and on_b.status == "definitief"
    assert on_b.decision == on_a.decision and on_b.client.bsn == on_a.client.bsn
    assert _cases(z) == {}
    assert _office_count(office, "Noord", "herindicaties") == 1
    assert _office_count(office, "Zuid", "herindicaties") == 0

    # B's pull left nothing in B's outbox: the office's rows are not sent back to it.
    from bwo_desktop.services import outbox
    from bwo_desktop.services.database import open_database

    with open_database(b, PASSPHRASE) as db, db.read() as s:
        assert outbox.pending(s) == []

    # The command's sync shows in the app's status bar (last sync, nothing waiting).
    from bwo_desktop.services import team

    with open_database(a, PASSPHRASE) as db:
        status = team.status(db)
    assert status.last_sync is not None and status.last_sync.ok and status.pending == 0


def test_a_resent_batch_is_not_applied_twice(office: Office, laptop: Any) -> None:
    from bwo_desktop.services.database import open_database

    a = laptop("a", office.enrol("oost-a", "Oost"))
    decide_a_case(a, 2)
    assert cli("sync", "--db", str(a)) == 0
    changes = _office_count(office, "Oost", "server_changes")
    audit = _office_count(office, "Oost", "server_audit")
    # The office's answer was lost before the laptop committed it: the laptop resends.
    with open_database(a, PASSPHRASE) as db, db.session() as s:
        s.execute(text("UPDATE sync_outbox SET pushed_at = NULL"))
    assert cli("sync", "--db", str(a)) == 0
    assert _office_count(office, "Oost", "server_changes") == changes
    assert _office_count(office, "Oost", "server_audit") == audit
    # One office entry per batch, and one for the laptop's audit chain (POST /audit).
    assert _office_count(office, "Oost", "server_batches") == audit - 1
    with open_database(a, PASSPHRASE) as db:
        from bwo_desktop.services import outbox

        with db.read() as s:
            assert outbox.pending(s) == []
        assert db.get_meta("team.receipt")["seq"] == audit - 1  # the audit batch came last


def _enrolment(path: Path, **changes: str) -> dict[str, Any]:
    from bwo_desktop.services import sync_client

    return {**sync_client.read_enrolment(path), **changes}


def test_a_certificate_of_another_ca_is_refused(
    office: Office, laptop: Any, tmp_path: Path
) -> None:
    from bwo_desktop.server import tls
    from bwo_desktop.services import sync_client

    foreign = tls.issue_client(tmp_path / "other-ca", "indringer", "Noord")
    enrolment = _enrolment(
        office.enrol("west-a", "West"),
        cert_pem=foreign.cert_pem.decode(),
        key_pem=foreign.key_pem.decode(),
    )
    with pytest.raises(sync_client.SyncRefused, match="certificaat"):
        sync_client.Connection(enrolment).post("/pull", {"cursor": 0})


def test_an_unenrolled_certificate_of_the_office_gets_nothing(office: Office) -> None:
    from bwo_desktop.server import tls
    from bwo_desktop.services import sync_client

    enrolment_file = office.enrol("west-b", "West")
    stray = tls.issue_client(office.tls_dir, "nooit-aangemeld", "West")
    enrolment = _enrolment(
        enrolment_file, cert_pem=stray.cert_pem.decode(), key_pem=stray.key_pem.decode()
    )
    with pytest.raises(sync_client.SyncRefused, match="niet aangemeld"):
        sync_client.Connection(enrolment).post("/pull", {"cursor": 0})


def test_a_schema_behind_is_refused_in_dutch(
    office: Office, laptop: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.models import migrate
    from bwo_desktop.services import sync_client

    a = laptop("a", office.enrol("noord-oud", "Noord"))
    behind = migrate.known_revisions()[-2]
    monkeypatch.setattr(sync_client, "local_schema_revision", lambda db: behind)
    capsys.readouterr()
    assert cli("sync", "--db", str(a)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is ouder dan dat van het kantoor" in err[0]


def test_the_enrolment_file_is_private_and_holds_what_a_laptop_needs(office: Office) -> None:
    path = office.enrol("noord-c", "Noord")
    assert path.stat().st_mode & 0o077 == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["server"] == f"https://{office.address}" and data["team"] == "Noord"
    assert "BEGIN CERTIFICATE" in data["ca_pem"] and "PRIVATE KEY" in data["key_pem"]


def test_a_definitief_case_does_not_change_at_the_office(office: Office, laptop: Any) -> None:
    import uuid

    from bwo_desktop.services import sync_client, sync_rows
    from bwo_desktop.services.database import open_database

    enrolment_file = office.enrol("noord-def", "Noord2")
    a = laptop("a", enrolment_file)
    case_id = decide_a_case(a, 3)
    assert cli("sync", "--db", str(a)) == 0
    table = sync_rows.table_for("herindicaties")
    with open_database(a, PASSPHRASE) as db, db.read() as s:
        row = s.execute(table.select().where(table.c.id == uuid.UUID(case_id))).mappings().one()
        same = sync_rows.encode_row(table, row)
    connection = sync_client.Connection(sync_client.read_enrolment(enrolment_file))

    def push(data: dict[str, Any]) -> dict[str, Any]:
        rows = [{"table": "herindicaties", "op": "upsert", "row": data}]
        return connection.post("/push", {"batch_id": str(uuid.uuid4()), "rows": rows})

    assert push(same)["status"] == "applied"  # an identical resend is fine
    alarms_before = _office_count(office, "Noord2", "server_audit")
    with pytest.raises(sync_client.SyncRefused, match="is definitief op het kantoor"):
        push({**same, "ib_level": "IB1", "version": same["version"] + 1})
    assert _office_count(office, "Noord2", "server_audit") == alarms_before + 1
    engine = create_engine(office.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('bwo.team', 'Noord2', true)"))
            stored = conn.execute(
                text("SELECT ib_level FROM herindicaties WHERE id = :i"), {"i": case_id}
            ).scalar()
            last = conn.execute(
                text("SELECT action FROM server_audit ORDER BY seq DESC LIMIT 1")
            ).scalar()
    finally:
        engine.dispose()
    assert stored == same["ib_level"] and last == "alarm_definitief"
