"""Team mode: a laptop's scope and the purge of a case that leaves it (issue 15;
docs/team-mode.md, "Scope"). The office's PostgreSQL and the server as a real process.

A laptop carries its consultant's cases (their lease), the team's open pool (no lease), the
clients of those cases and every zorgaanbieder of the team; another consultant's case, and
its client's BSN, never reach it. When `server lease-break --to` moves a case, the new
holder's next pull brings the case with its client, and the old holder's next pull removes
both (an audit entry says where the case went); an unpushed change of the old holder is
kept in its conflict inbox, never lost.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from team_support import PASSPHRASE, Office, cli, full_case, office_rows
from test_team_leases import _create_concept, _edit, _inbox

pytestmark = pytest.mark.pg


def _bsn(n: int) -> str:
    return full_case(n).client.bsn


def _local(path: Path) -> tuple[set[str], set[str], set[str]]:
    """(case ids, client BSNs, zorgaanbieder names) in this laptop's database."""
    from bwo_desktop.models import Client, Herindicatie, Zorgaanbieder
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        return (
            {str(i) for i in s.scalars(select(Herindicatie.id))},
            set(s.scalars(select(Client.bsn))),
            set(s.scalars(select(Zorgaanbieder.name))),
        )


def _purge_entries(path: Path) -> list[Any]:
    from bwo_desktop.services import audit
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return [e for e in audit.entries(db) if e.action == "sync_purge"]


def _lease_break(office: Office, kenmerk: str, to: str | None = None) -> None:
    extra = ["--to", to] if to else []
    argv = ["server", "lease-break", "--database-url", office.url, "--reference", kenmerk]
    assert cli(*argv, *extra) == 0


def _pair(office: Office, laptop: Any, team: str) -> tuple[Path, Path]:
    a = laptop("a", office.enrol(f"{team}-a", team, consultant="A. Eerste"))
    b = laptop("b", office.enrol(f"{team}-b", team, consultant="B. Tweede"))
    return a, b


def test_two_laptops_pull_their_own_cases_only(office: Office, laptop: Any) -> None:
    a, b = _pair(office, laptop, "Eigen")
    case_a, _ = _create_concept(a, 21)
    case_b, _ = _create_concept(b, 22)
    for path in (a, b, a):
        assert cli("sync", "--db", str(path)) == 0

    assert {r.id for r in office_rows(office, "Eigen", "SELECT id FROM herindicaties")} == {
        uuid.UUID(case_a),
        uuid.UUID(case_b),
    }
    cases_a, bsns_a, providers_a = _local(a)
    cases_b, bsns_b, providers_b = _local(b)
    # Each laptop has its own case and client only: not even the other client's BSN.
    assert cases_a == {case_a} and bsns_a == {_bsn(21)}
    assert cases_b == {case_b} and bsns_b == {_bsn(22)}
    # Every zorgaanbieder of the team is on both (not sensitive).
    assert providers_a == providers_b and providers_a


def test_the_open_pool_reaches_both(office: Office, laptop: Any) -> None:
    a, b = _pair(office, laptop, "Pool")
    case_id, kenmerk = _create_concept(a, 31)
    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 0
    assert case_id not in _local(b)[0]

    # The team lead removes the lease: the case is in the team's open pool. B's next pull
    # brings it with its client, although the client's own change is older than B's cursor.
    _lease_break(office, kenmerk)
    assert cli("sync", "--db", str(b)) == 0
    assert cli("sync", "--db", str(a)) == 0
    for path in (a, b):
        cases, bsns, _ = _local(path)
        assert case_id in cases and _bsn(31) in bsns

    # A works on it again: A takes the lease with its push, and the case leaves B.
    _edit(a, case_id, "Weer bij A")
    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 0
    cases, bsns, _ = _local(b)
    assert case_id not in cases and _bsn(31) not in bsns
    assert [e.object_ref for e in _purge_entries(b)] == [kenmerk]


def test_a_lease_move_brings_the_case_to_b_and_purges_it_from_a(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    a, b = _pair(office, laptop, "Over")
    case_id, kenmerk = _create_concept(a, 41)
    kept_id, _ = _create_concept(a, 42)
    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 0
    assert _local(b)[0] == set()

    _lease_break(office, kenmerk, to="Over-b")
    assert cli("sync", "--db", str(b)) == 0
    cases, bsns, _ = _local(b)
    assert cases == {case_id} and bsns == {_bsn(41)}
    with open_database(b, PASSPHRASE) as db:
        assert sync_inbox.lease_holder(db, case_id) == ("Over-b", "B. Tweede")
        assert not sync_inbox.is_read_only(db, case_id)

    capsys.readouterr()
    assert cli("sync", "--db", str(a)) == 0
    out = capsys.readouterr().out
    assert f"casus {kenmerk} is overgedragen aan B. Tweede: van deze laptop verwijderd" in out
    cases, bsns, _ = _local(a)
    assert cases == {kept_id} and bsns == {_bsn(42)}  # the client went too: no case uses it
    with open_database(a, PASSPHRASE) as db:
        assert sync_inbox.lease_holder(db, case_id) is None
    [entry] = _purge_entries(a)
    assert entry.object_ref == kenmerk
    assert entry.details == {
        "naar": "B. Tweede",
        "conflictenoverzicht": False,
        "client_verwijderd": True,
    }
    assert _bsn(41) not in json.dumps(entry.details)
    # Nothing went back to the office: the purge is not a deletion.
    rows = office_rows(
        office, "Over", "SELECT deleted_at FROM herindicaties WHERE id = :i", i=case_id
    )
    assert [r.deleted_at for r in rows] == [None]
    # A later sync of A purges nothing again.
    assert cli("sync", "--db", str(a)) == 0
    assert len(_purge_entries(a)) == 1


def test_an_unpushed_change_of_a_case_that_moves_is_kept_in_the_inbox(
    office: Office, laptop: Any
) -> None:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.errors import StoreError

    a, b = _pair(office, laptop, "Open")
    case_id, kenmerk = _create_concept(a, 51)
    assert cli("sync", "--db", str(a)) == 0
    _edit(a, case_id, "Bij A, niet verstuurd")
    _lease_break(office, kenmerk, to="Open-b")

    # A's push is parked (B holds the case), its pull then removes the case: A's text is
    # in A's inbox, the office keeps its own version.
    assert cli("sync", "--db", str(a)) == 3
    assert case_id not in _local(a)[0]
    [conflict] = _inbox(a)
    assert conflict.reference == kenmerk and conflict.local_row["location"] == (
        "Bij A, niet verstuurd"
    )
    stored = office_rows(
        office, "Open", "SELECT location FROM herindicaties WHERE id = :i", i=case_id
    )
    assert [r.location for r in stored] == ["Locatie Zuid, Dordrecht"]
    with (
        open_database(a, PASSPHRASE) as db,
        pytest.raises(StoreError, match="staat niet meer op deze laptop"),
    ):
        sync_inbox.resolve(db, conflict.id, keep="mine")

    # The lease comes back: the case returns to A with its client, and A keeps its text.
    _lease_break(office, kenmerk, to="Open-a")
    assert cli("sync", "--db", str(a)) == 0
    cases, bsns, _ = _local(a)
    assert case_id in cases and _bsn(51) in bsns
    with open_database(a, PASSPHRASE) as db:
        sync_inbox.resolve(db, conflict.id, keep="mine")
    assert cli("sync", "--db", str(a)) == 0
    stored = office_rows(
        office, "Open", "SELECT location FROM herindicaties WHERE id = :i", i=case_id
    )
    assert [r.location for r in stored] == ["Bij A, niet verstuurd"]
    assert cli("sync", "--db", str(b)) == 0
    assert case_id not in _local(b)[0]


def test_a_purge_keeps_a_change_made_during_the_sync_and_a_client_still_in_use(
    tmp_path: Path,
) -> None:
    """A change committed while the sync ran (after its push, before its pull) is still in
    the outbox when the purge arrives: it goes into the inbox, nothing is lost. The client
    stays while another local case refers to it."""
    from bwo_desktop.models import Client, SyncOutbox
    from bwo_desktop.services import outbox, sync_client, sync_inbox
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        svc = CaseService(db, user="J. Consulent")
        first = svc.create(full_case(61))
        second = svc.create(full_case(61))  # the same client
        assert first.id is not None and second.id is not None
        with db.session() as s:
            s.execute(update(SyncOutbox).values(pushed_at=sync_client.utcnow()))
    _edit(path, first.id, "Tijdens de synchronisatie")
    purge = {"seq": 9, "table": "herindicaties", "op": "purge", "row_id": first.id}
    with open_database(path, PASSPHRASE) as db:
        [purged] = sync_client.apply_page(db, [{**purge, "holder": "B. Tweede"}], 9)
        assert purged.reference == first.reference and purged.to_inbox
        [conflict] = sync_inbox.open_conflicts(db)
        assert conflict.local_row["location"] == "Tijdens de synchronisatie"
        assert "buiten uw werkvoorraad" in conflict.reason and "B. Tweede" in conflict.reason
        with db.read() as s:
            assert outbox.pending(s) == []  # nothing of the purge, nor the parked change
            assert list(s.scalars(select(Client.bsn))) == [_bsn(61)]
        assert db.get_meta(sync_client.CURSOR_KEY) == 9
        sync_inbox.resolve(db, conflict.id, keep="office")
        assert sync_inbox.open_conflicts(db) == []
    assert _local(path)[0] == {second.id}
    [entry] = _purge_entries(path)
    assert entry.details == {
        "naar": "B. Tweede",
        "conflictenoverzicht": True,
        "client_verwijderd": False,
    }


def _rows_of_a_case(tmp_path: Path, n: int) -> list[dict[str, Any]]:
    """A case made on a laptop, as push rows: its zorgaanbieder, client and case."""
    from bwo_desktop.services import sync_rows
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(tmp_path / f"rows-{n}.db", PASSPHRASE, create=True) as db:
        CaseService(db, user="J. Consulent").create(full_case(n))
        with db.read() as s:
            return [
                {"table": name, "op": "upsert", "row": sync_rows.encode_row(table, row)}
                for name, table in sync_rows.SYNCED_TABLES.items()
                for row in s.execute(select(table)).mappings()
            ]


def test_a_parent_is_sent_once_per_sync(office: Office, tmp_path: Path) -> None:
    """A large batch puts every client before every case, so a case's client can be on the
    page before the case: within one sync (`since`) it is not sent again; a sync that starts
    after it gets it with the case (the case may have just entered its scope)."""
    from sqlalchemy import create_engine

    from bwo_desktop.server import store

    rows = _rows_of_a_case(tmp_path, 71)
    parents = [r["table"] for r in rows if r["table"] != "herindicaties"]
    engine = create_engine(office.url)
    try:
        seed = store.Device("ouder-seed", "Ouder", "C. Derde")
        store.push(engine, seed, {"batch_id": str(uuid.uuid4()), "rows": rows})
        fresh = store.Device("ouder-vers", "Ouder", "C. Derde")
        first = store.pull(engine, fresh, {"cursor": 0, "since": 0, "limit": len(parents)})
        assert [c["table"] for c in first["changes"]] == parents and first["more"]
        cursor = first["cursor"]
        second = store.pull(engine, fresh, {"cursor": cursor, "since": 0})
        assert [c["table"] for c in second["changes"]] == ["herindicaties"]
        again = store.pull(engine, fresh, {"cursor": cursor, "since": cursor})
        assert [c["table"] for c in again["changes"]] == [*parents, "herindicaties"]
        without = store.pull(engine, fresh, {"cursor": cursor})  # a laptop that sends no since
        assert without["changes"] == again["changes"]
        # The device that pushed the case has its parents: they are not sent back to it.
        own = store.pull(engine, seed, {"cursor": cursor, "since": cursor})
        assert [c["table"] for c in own["changes"]] == ["herindicaties"]
    finally:
        engine.dispose()


def test_a_page_whose_case_lacks_its_client_is_refused_whole(tmp_path: Path) -> None:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    [case] = [r for r in _rows_of_a_case(tmp_path, 72) if r["table"] == "herindicaties"]
    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        db.set_meta(sync_client.CURSOR_KEY, 4)
        with pytest.raises(sync_client.SyncRefused, match="synchroniseer opnieuw"):
            sync_client.apply_page(db, [{**case, "seq": 5, "lease": None}], 5)
        assert db.get_meta(sync_client.CURSOR_KEY) == 4
    assert _local(path)[0] == set()


def test_a_client_the_page_brings_stays_when_its_case_is_purged(tmp_path: Path) -> None:
    """The office sent the client in this page, so a case in scope refers to it (a later
    page may bring that case): purging the client's old case keeps the client."""
    from bwo_desktop.models import SyncOutbox
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    rows = _rows_of_a_case(tmp_path, 81)
    [client] = [r for r in rows if r["table"] == "clients"]
    [case] = [r for r in rows if r["table"] == "herindicaties"]
    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        sync_client.apply_page(db, [{**r, "seq": i} for i, r in enumerate(rows, 1)], 3)
        with db.session() as s:
            s.execute(update(SyncOutbox).values(pushed_at=sync_client.utcnow()))
        purge = {"seq": 5, "table": "herindicaties", "op": "purge", "row_id": case["row"]["id"]}
        sync_client.apply_page(db, [{**client, "seq": 4}, purge], 5)
    assert _local(path)[:2] == (set(), {_bsn(81)})
