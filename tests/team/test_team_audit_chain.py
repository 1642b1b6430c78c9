"""Team mode, the laptops' audit chains at the office (issue 15): an append-only union,
checked on arrival; a fork (a laptop restored from an old backup) is quarantined and
reported, a tampered entry refused, and the office's own chain gives a receipt per batch.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from team_support import PASSPHRASE, Office, cli, decide_a_case, full_case, office_rows

pytestmark = pytest.mark.pg


def _chain(path: Path) -> list[Any]:
    from bwo_desktop.services import audit
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return audit.entries(db)


def _record(path: Path, action: str, n: int = 1) -> None:
    from bwo_desktop.services import audit
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        for i in range(n):
            audit.record(db, action, None, details={"i": i})


def _held(office: Office, team: str, device: str) -> list[tuple[int, str]]:
    rows = office_rows(
        office,
        team,
        "SELECT seq, hash FROM server_device_audit WHERE device = :d ORDER BY seq",
        d=device,
    )
    return [(r.seq, r.hash) for r in rows]


def test_the_office_holds_the_whole_chain_and_then_only_new_entries(
    office: Office, laptop: Any
) -> None:
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.sync_audit import AUDIT_HEAD_KEY, AUDIT_RECEIPT_KEY

    a = laptop("a", office.enrol("keten-a", "Keten"))
    decide_a_case(a, 11)
    assert cli("sync", "--db", str(a)) == 0
    chain = _chain(a)
    assert len(chain) >= 2
    assert _held(office, "Keten", "keten-a") == [(e.seq, e.hash) for e in chain]
    with open_database(a, PASSPHRASE) as db:
        assert db.get_meta(AUDIT_HEAD_KEY) == {"seq": chain[-1].seq, "hash": chain[-1].hash}
        receipt = db.get_meta(AUDIT_RECEIPT_KEY)
    office_chain = office_rows(
        office, "Keten", "SELECT seq, action, hash FROM server_audit ORDER BY seq"
    )
    assert office_chain[-1].action == "device_audit"
    assert receipt == {"team": "Keten", "seq": office_chain[-1].seq, "hash": office_chain[-1].hash}

    _record(a, "test_actie", 3)
    assert cli("sync", "--db", str(a)) == 0
    chain = _chain(a)
    assert _held(office, "Keten", "keten-a") == [(e.seq, e.hash) for e in chain]
    last = office_rows(
        office, "Keten", "SELECT details FROM server_audit ORDER BY seq DESC LIMIT 1"
    )[0]
    # Only the three new entries travelled the second time.
    assert last.details["entries"] == 3 and last.details["to_seq"] == chain[-1].seq

    # Nothing new: a sync sends no audit batch and the office chain does not grow.
    count = len(office_rows(office, "Keten", "SELECT seq FROM server_audit"))
    assert cli("sync", "--db", str(a)) == 0
    assert len(office_rows(office, "Keten", "SELECT seq FROM server_audit")) == count

    # Hello names the office's head of this device's chain; nothing held yet: null.
    from bwo_desktop import __version__
    from bwo_desktop.services import sync_client

    def hello(enrolment_file: Path, path: Path) -> dict[str, Any]:
        with open_database(path, PASSPHRASE) as db:
            revision = db.schema_revision()
        connection = sync_client.Connection(sync_client.read_enrolment(enrolment_file))
        try:
            return connection.post(
                "/hello",
                {"device": "x", "schema_revision": revision, "app_version": __version__},
            )
        finally:
            connection.close()

    assert hello(office.enrolments / "keten-a.json", a)["audit_head"] == {
        "seq": chain[-1].seq,
        "hash": chain[-1].hash,
    }
    fresh = laptop("fresh", office.enrol("keten-nieuw", "Keten"))
    assert hello(office.enrolments / "keten-nieuw.json", fresh)["audit_head"] is None


def _batches_of(office: Office, team: str, device: str) -> int:
    return len(
        office_rows(office, team, "SELECT 1 FROM server_batches WHERE device = :d", d=device)
    )


def _verify(capsys: pytest.CaptureFixture[str], office: Office) -> tuple[int, str, list[str]]:
    capsys.readouterr()
    status = cli("server", "audit-verify", "--database-url", office.url)
    captured = capsys.readouterr()
    return status, captured.out, captured.err.strip().splitlines()


def test_a_laptop_restored_from_an_old_backup_is_quarantined_and_reported(
    office: Office, laptop: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.services import keys

    a = laptop("a", office.enrol("keten-b", "Keten2"))
    decide_a_case(a, 12)
    assert cli("sync", "--db", str(a)) == 0
    backup = tmp_path / "oud"
    backup.mkdir()
    shutil.copy2(a, backup / a.name)
    shutil.copy2(keys.key_file_for(a), keys.key_file_for(backup / a.name))
    fork_from = _chain(a)[-1].seq + 1

    _record(a, "na_de_backup", 2)
    assert cli("sync", "--db", str(a)) == 0
    held_before = _held(office, "Keten2", "keten-b")

    # The laptop is restored from the copy and goes on working: its chain forks.
    shutil.copy2(backup / a.name, a)
    shutil.copy2(keys.key_file_for(backup / a.name), keys.key_file_for(a))
    _record(a, "na_het_terugzetten", 3)
    decide_a_case(a, 13)  # a data change too: it must not reach the office
    local_before = [(e.seq, e.hash) for e in _chain(a)]
    batches_before = _batches_of(office, "Keten2", "keten-b")
    capsys.readouterr()
    assert cli("sync", "--db", str(a)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "het logboek van deze laptop wijkt af van wat het kantoor al heeft" in err[0]
    assert f"(vanaf regel {fork_from})" in err[0] and "de teamleider is gewaarschuwd" in err[0]

    # Nothing lost on the laptop, nothing overwritten at the office, no batch pushed: the
    # hello's head showed the fork before anything was sent.
    assert [(e.seq, e.hash) for e in _chain(a)] == local_before
    assert _held(office, "Keten2", "keten-b") == held_before
    assert _batches_of(office, "Keten2", "keten-b") == batches_before
    quarantined = office_rows(
        office,
        "Keten2",
        "SELECT seq, reason, entry FROM server_device_audit_quarantine WHERE device = :d "
        "ORDER BY seq",
        d="keten-b",
    )
    assert [q.seq for q in quarantined] == [s for s, _h in local_before if s >= fork_from]
    assert {q.reason for q in quarantined} == {"fork"}
    assert quarantined[0].entry["action"] == "na_het_terugzetten"
    alarms = office_rows(
        office, "Keten2", "SELECT details FROM server_audit WHERE action = 'alarm_fork'"
    )
    assert len(alarms) == 1 and alarms[0].details["from_seq"] == fork_from

    # A retry is refused again, without a second alarm or duplicate quarantine rows.
    assert cli("sync", "--db", str(a)) == 2
    assert len(
        office_rows(office, "Keten2", "SELECT seq FROM server_device_audit_quarantine")
    ) == len(quarantined)
    assert (
        len(office_rows(office, "Keten2", "SELECT 1 FROM server_audit WHERE action = 'alarm_fork'"))
        == 1
    )

    # audit-verify names the fork in quarantine until the team lead resolves it.
    status, out, err = _verify(capsys, office)
    assert status == 2
    finding = f"team Keten2, keten-b: afwijkend logboek in quarantaine vanaf regel {fork_from} "
    assert finding in out and f"({len(quarantined)} regels, ontvangen " in out
    assert "team Keten2, keten-b: " in out and "regels, in orde" in out  # the held chain
    assert len(err) == 1 and "keten-b" in err[0] and f"vanaf regel {fork_from}" in err[0]

    # The team lead lists the quarantine: per team and device, from which seq, how many.
    capsys.readouterr()
    args = ("server", "audit-quarantine", "--database-url", office.url)
    assert cli(*args, "--team", "Keten2") == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1
    assert listed[0].startswith(
        f"team Keten2, keten-b: afwijkend logboek vanaf regel {fork_from} "
        f"({len(quarantined)} regels, ontvangen "
    )
    assert cli(*args, "--team", "Keten") == 0  # another team: nothing of Keten2
    assert capsys.readouterr().out.strip() == "geen afwijkende logboeken in quarantaine"
    assert cli(*args, "--team", "Nergens") == 2
    assert "onbekend" in capsys.readouterr().err

    # The team lead accepts the laptop's history from the fork on. Nothing is deleted: the
    # quarantine and the office's own copy of the lost entries stay; the chain restarts.
    assert cli(*args, "--accept", "keten-b", "--team", "Keten") == 2  # not of that team
    assert cli(*args, "--accept", "onbekend") == 2
    capsys.readouterr()
    held_all = office_rows(office, "Keten2", "SELECT id FROM server_device_audit")
    assert cli(*args, "--accept", "keten-b") == 0
    said = capsys.readouterr().out
    assert (
        "team Keten2, keten-b: afwijkend logboek aanvaard; de keten gaat verder vanaf "
        f"regel {fork_from} (herstart 1)"
    ) in said
    assert cli(*args, "--accept", "keten-b") == 2  # nothing left to accept
    resolved = office_rows(
        office, "Keten2", "SELECT details FROM server_audit WHERE action = 'fork_resolved'"
    )
    assert len(resolved) == 1 and resolved[0].details["from_seq"] == fork_from
    assert resolved[0].details["office_only"] == len(held_before) - fork_from + 1
    assert cli(*args, "--team", "Keten2") == 0
    assert capsys.readouterr().out.strip() == "geen afwijkende logboeken in quarantaine"

    # The laptop syncs again: its whole chain and its waiting case reach the office.
    assert cli("sync", "--db", str(a)) == 0
    local = [(e.seq, e.hash) for e in _chain(a)]
    current = office_rows(
        office,
        "Keten2",
        "SELECT seq, hash FROM server_device_audit WHERE device = 'keten-b' AND epoch = 1 "
        "ORDER BY seq",
    )
    assert [(r.seq, r.hash) for r in current] == local
    assert _batches_of(office, "Keten2", "keten-b") > batches_before
    kept = {r.id for r in office_rows(office, "Keten2", "SELECT id FROM server_device_audit")}
    assert {r.id for r in held_all} <= kept  # the old epoch is all still there
    assert len(
        office_rows(office, "Keten2", "SELECT seq FROM server_device_audit_quarantine")
    ) == len(quarantined)
    status, out, err = _verify(capsys, office)
    assert f"team Keten2, keten-b (herstart 1): {len(local)} regels, in orde" in out
    assert f"team Keten2, keten-b: {len(held_before)} regels, in orde" in out
    assert "Keten2" not in "".join(err)


def test_audit_verify_walks_every_laptop_chain(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.server import office as office_mod
    from bwo_desktop.server import schema

    a = laptop("a", office.enrol("verify-a", "Verify"))
    b = laptop("b", office.enrol("verify-b", "Verify"))
    decide_a_case(a, 41)
    _record(b, "iets", 4)
    for path in (a, b):
        assert cli("sync", "--db", str(path)) == 0
    engine = schema.engine_for(office.url)
    try:
        checks = office_mod.verify_devices(engine, "Verify")
    finally:
        engine.dispose()
    assert [c.line() for c in checks] == [
        f"team Verify, verify-a: {len(_chain(a))} regels, in orde",
        f"team Verify, verify-b: {len(_chain(b))} regels, in orde",
    ]
    status, out, _err = _verify(capsys, office)
    assert f"team Verify, verify-b: {len(_chain(b))} regels, in orde" in out

    # The database owner changes one stored laptop entry behind the server's back.
    engine = create_engine(office.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('bwo.team', 'Verify', true)"))
            changed = conn.execute(
                text(
                    "UPDATE server_device_audit SET entry = "
                    """(entry::jsonb || '{"action": "vervalst"}')::json """
                    "WHERE device = 'verify-b' AND seq = 2"
                )
            ).rowcount
        assert changed == 1
    finally:
        engine.dispose()
    status, out, err = _verify(capsys, office)
    assert status == 2
    assert "team Verify, verify-b: regel 2: inhoud klopt niet met de hash" in out
    assert f"team Verify, verify-a: {len(_chain(a))} regels, in orde" in out
    assert len(err) == 1 and "verify-b: regel 2" in err[0]


def test_a_tampered_entry_is_refused(office: Office, laptop: Any) -> None:
    from bwo_desktop.services import sync_audit, sync_client

    enrolment_file = office.enrol("keten-c", "Keten3")
    a = laptop("a", enrolment_file)
    _record(a, "echt", 2)
    connection = sync_client.Connection(sync_client.read_enrolment(enrolment_file))
    wire = [sync_audit.encode_entry(e) for e in _chain(a)]
    # Changed after hashing: the hash no longer covers the fields.
    tampered = [wire[0], {**wire[1], "action": "vervalst"}]
    with pytest.raises(sync_client.SyncRefused, match="beschadigd"):
        connection.post("/audit", {"protocol": 1, "entries": tampered})
    # Re-hashed by the tamperer, but the link to the entry before is gone.
    from bwo_desktop.services import audit

    fields = {k: v for k, v in tampered[1].items() if k not in ("hash", "time")}
    rehashed = {
        **tampered[1],
        "prev_hash": "f" * 64,
        "hash": audit.entry_hash(
            **{**fields, "prev_hash": "f" * 64},
            time=sync_audit.decode_entry(wire[1]).time,
        ),
    }
    with pytest.raises(sync_client.SyncRefused, match="beschadigd"):
        connection.post("/audit", {"protocol": 1, "entries": [wire[0], rehashed]})
    assert _held(office, "Keten3", "keten-c") == []
    assert {
        r.reason
        for r in office_rows(office, "Keten3", "SELECT reason FROM server_device_audit_quarantine")
    } == {"broken"}

    # The true chain is still accepted afterwards; a gap asks for a resend.
    gap = connection.post("/audit", {"protocol": 1, "entries": wire[1:]})
    assert gap == {"protocol": 1, "status": "resend_from", "seq": 1}
    answer = connection.post("/audit", {"protocol": 1, "entries": wire})
    assert answer["status"] == "stored" and answer["head"]["seq"] == wire[-1]["seq"]


def test_push_audit_goes_back_when_the_office_asks_a_resend(tmp_path: Path) -> None:
    """The office lost entries it had acknowledged (its database restored): the laptop
    sends again from the seq it asks for; a refusal leaves the acknowledged head alone."""
    from bwo_desktop.services import sync_audit, sync_client
    from bwo_desktop.services.database import open_database

    path = tmp_path / "bwo.db"
    open_database(path, PASSPHRASE, create=True).close()
    _record(path, "actie", 5)
    sent: list[list[int]] = []

    class Office:
        def __init__(self, refuse: bool = False, held: int = 2) -> None:
            self.refuse, self.held = refuse, held

        def post(self, where: str, body: dict[str, Any]) -> dict[str, Any]:
            assert where == "/audit"
            seqs = [e["seq"] for e in body["entries"]]
            sent.append(seqs)
            if self.refuse:
                raise sync_client.SyncRefused("het logboek van deze laptop wijkt af")
            if seqs[0] > self.held + 1:
                return {"status": "resend_from", "seq": self.held + 1}
            last = body["entries"][-1]
            self.held = last["seq"]
            return {
                "status": "stored",
                "stored": len(seqs),
                "head": {"seq": last["seq"], "hash": last["hash"]},
                "receipt": {"team": "T", "seq": 9, "hash": "a" * 64},
            }

    with open_database(path, PASSPHRASE) as db:
        db.set_meta(sync_audit.AUDIT_HEAD_KEY, {"seq": 4, "hash": "x"})
        assert sync_audit.push_audit(db, Office()) == 3
        assert sent == [[5], [3, 4, 5]]
        head = db.get_meta(sync_audit.AUDIT_HEAD_KEY)
        assert head["seq"] == 5 and db.get_meta(sync_audit.AUDIT_RECEIPT_KEY)["seq"] == 9
    _record(path, "later")
    with open_database(path, PASSPHRASE) as db:
        with pytest.raises(sync_client.SyncRefused):
            sync_audit.push_audit(db, Office(refuse=True))
        assert db.get_meta(sync_audit.AUDIT_HEAD_KEY) == head
        assert sync_audit.push_audit(db, Office(held=5)) == 1


def _offline_laptop(tmp_path: Path, entries: int) -> Path:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    path = tmp_path / "bwo.db"
    open_database(path, PASSPHRASE, create=True).close()
    _record(path, "actie", entries)
    with open_database(path, PASSPHRASE) as db:
        db.set_meta(sync_client.ENROLMENT_KEY, {"device": "laptop-x", "team": "T"})
    return path


class _HelloOffice:
    """An office that answers hello with `head` and stores every audit batch."""

    def __init__(self, head: dict[str, Any] | None, refuse_audit: bool = False) -> None:
        self.head, self.refuse_audit = head, refuse_audit
        self.calls: list[tuple[str, list[int]]] = []

    def post(self, where: str, body: dict[str, Any]) -> dict[str, Any]:
        from bwo_desktop.services import sync_client

        self.calls.append((where, [e["seq"] for e in body.get("entries", [])]))
        if where == "/hello":
            return {"protocol": 1, "audit_head": self.head}
        if where == "/audit":
            if self.refuse_audit:
                raise sync_client.AuditForked("het logboek van deze laptop wijkt af (kantoor)")
            last = body["entries"][-1]
            return {
                "status": "stored",
                "stored": len(body["entries"]),
                "head": {"seq": last["seq"], "hash": last["hash"]},
            }
        if where == "/pull":
            return {"changes": [], "cursor": 0, "more": False}
        raise AssertionError(f"unexpected {where}")


def test_an_office_restored_from_a_backup_gets_the_audit_from_its_own_head(
    tmp_path: Path,
) -> None:
    """The office holds fewer entries than it once acknowledged: hello says so, and the
    laptop sends from there at once (no refused first request)."""
    from bwo_desktop.services import sync_audit, sync_client
    from bwo_desktop.services.database import open_database

    path = _offline_laptop(tmp_path, 5)
    chain = _chain(path)
    office = _HelloOffice({"seq": 2, "hash": chain[1].hash})
    with open_database(path, PASSPHRASE) as db:
        db.set_meta(sync_audit.AUDIT_HEAD_KEY, {"seq": 4, "hash": chain[3].hash})
        sync_client.sync(db, office)  # type: ignore[arg-type]
        assert db.get_meta(sync_audit.AUDIT_HEAD_KEY)["seq"] == 5
    assert [c for c in office.calls if c[0] == "/audit"] == [("/audit", [3, 4, 5])]


def test_a_laptop_whose_chain_differs_from_the_office_head_pushes_no_change(
    tmp_path: Path,
) -> None:
    """Hello's head is not the laptop's entry at that seq, or the office holds more than
    the laptop has: refused in Dutch before any outbox batch; the entries after the
    acknowledged head go to the office only for its quarantine."""
    from bwo_desktop.services import audit, outbox, sync_audit, sync_client
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    path = _offline_laptop(tmp_path, 4)
    second = _chain(path)[1]
    with open_database(path, PASSPHRASE) as db:
        CaseService(db, user="J. Consulent").create(full_case(1))
        with db.read() as s:
            assert outbox.pending(s)  # a change waits to be pushed
        db.set_meta(sync_audit.AUDIT_HEAD_KEY, {"seq": 2, "hash": second.hash})

    office = _HelloOffice({"seq": 3, "hash": "e" * 64}, refuse_audit=True)
    with (
        open_database(path, PASSPHRASE) as db,
        pytest.raises(sync_client.AuditForked, match="wijkt af"),
    ):
        sync_client.sync(db, office)  # type: ignore[arg-type]
    assert [c[0] for c in office.calls] == ["/hello", "/audit"]
    assert office.calls[1][1][0] == 3  # from after the acknowledged head

    # The office holds more than this laptop has (its entries stored as a harmless resend):
    # the laptop's own line, and still no push.
    office = _HelloOffice({"seq": 40, "hash": "e" * 64})
    with open_database(path, PASSPHRASE) as db:
        with pytest.raises(sync_client.AuditForked) as refused:
            sync_client.sync(db, office)  # type: ignore[arg-type]
        with db.read() as s:
            assert outbox.pending(s)
        local = len(audit.entries(db))
    assert "/push" not in [c[0] for c in office.calls]
    assert str(refused.value) == sync_audit.local_fork_message(40, local)
    assert "het kantoor heeft al 40 regels, deze laptop maar" in str(refused.value)


def test_init_brings_an_office_from_before_fork_resolutions_up_to_date(
    office_url: str, tmp_path: Path
) -> None:
    """An office whose device chains have no epoch yet: check_ready asks for init, and
    init adds the column (held entries become epoch 0), the new index and the table."""
    from sqlalchemy.engine import make_url

    from bwo_desktop.server import schema

    name = f"{make_url(office_url).database}_old"
    admin = create_engine(office_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(office_url).set(database=name).render_as_string(hide_password=False)
    try:
        assert cli("server", "init", "--database-url", url) == 0
        engine = schema.engine_for(url)
        try:
            with engine.begin() as conn:
                conn.execute(text("DROP TABLE server_device_audit_forks"))
                conn.execute(text("DROP INDEX ix_server_device_audit_device_epoch_seq"))
                conn.execute(text("ALTER TABLE server_device_audit DROP COLUMN epoch"))
                conn.execute(
                    text(
                        "CREATE UNIQUE INDEX ix_server_device_audit_device_seq "
                        "ON server_device_audit (device, seq)"
                    )
                )
                conn.execute(text("SELECT set_config('bwo.team', 'Oud', true)"))
                conn.execute(
                    text(
                        "INSERT INTO server_device_audit (device, seq, entry, hash, prev_hash, "
                        "received_at) VALUES ('oud-a', 1, '{}', 'h', 'p', now())"
                    )
                )
            assert "server init" in (schema.check_ready(engine) or "")
            assert cli("server", "init", "--database-url", url) == 0
            assert "server init" not in (schema.check_ready(engine) or "")
            with engine.begin() as conn:
                conn.execute(text("SELECT set_config('bwo.team', 'Oud', true)"))
                assert conn.execute(text("SELECT epoch FROM server_device_audit")).all() == [(0,)]
                indexes = {
                    str(r[0])
                    for r in conn.execute(
                        text("SELECT indexname FROM pg_indexes WHERE tablename = :t"),
                        {"t": "server_device_audit"},
                    )
                }
            assert "ix_server_device_audit_device_epoch_seq" in indexes
            assert "ix_server_device_audit_device_seq" not in indexes
        finally:
            engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
