"""Team mode security: a laptop of team Zuid never WRITES team Noord's rows (issue 15; the
receiving half is test_team_sync.test_a_decided_case_reaches_its_team_only).

Team Noord's laptop decides a case and syncs. Team Zuid's laptop then sends crafted pushes
over its own certificate (sync_client.Connection with its enrolment, not its outbox): an
upsert of Noord's case, client and zorgaanbieder with changed content, a tombstone of
Noord's case, a new Zuid case that points at Noord's client, zorgaanbieder or case, a row
that names Noord in `bwo_team`. Each is refused whole with one Dutch line (no database
text, no BSN), Noord's rows at the office stay byte for byte as they were, no change row of
Zuid names a Noord row, and Noord's next pull brings nothing. A pull by Zuid from cursor 0
brings no Noord row and no purge item of one.

The office's PostgreSQL and the server as a real process.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from team_support import PASSPHRASE, Office, _office_engine, cli, decide_a_case, office_rows

pytestmark = pytest.mark.pg

NOORD, ZUID = "XNoord", "XZuid"
# What a refusal must never show: the driver's or PostgreSQL's own words.
DATABASE_WORDS = ("violates", "policy", "psycopg", "ERROR", "row-level", "DETAIL", "SELECT")
NOT_THIS_TEAM = "hoort niet bij het team van deze laptop; neem contact op met de teamleider"
SYNCED = ("zorgaanbieders", "clients", "herindicaties")


def _snapshot(office: Office, team: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced row of the team, its leases, conflicts and client aliases at the office, every column (bwo_team
    too), read as the owner with the team set."""
    return {
        name: sorted(tuple(r) for r in office_rows(office, team, f"SELECT * FROM {name}"))
        for name in (*SYNCED, "server_leases", "server_conflicts", "server_client_aliases")
    }


def _rows(office: Office, team: str) -> dict[str, list[dict[str, Any]]]:
    """The team's rows in the wire format (sync_rows), as a laptop would push them."""
    from bwo_desktop.server import schema
    from bwo_desktop.services import sync_rows

    found: dict[str, list[dict[str, Any]]] = {}
    with _office_engine(office.url).begin() as conn:
        schema.set_team(conn, team)
        for name in SYNCED:
            table = sync_rows.table_for(name)
            found[name] = [
                sync_rows.encode_row(table, r) for r in conn.execute(select(table)).mappings()
            ]
    return found


def _connection(path: Path) -> Any:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return sync_client.Connection(sync_client.enrolment_of(db))


def _push(conn: Any, rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    batch = str(uuid.uuid4())
    answer = conn.post("/push", {"protocol": 1, "batches": [{"batch_id": batch, "rows": rows}]})
    [outcome] = answer["outcomes"]
    return batch, outcome


def _item(table: str, row: dict[str, Any], op: str = "upsert") -> dict[str, Any]:
    return {"table": table, "op": op, "row": row}


def _bumped(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**row, "version": row["version"] + 1, **changes}


def _new_case(template: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A new case of team Zuid (a new id and kenmerk), a concept."""
    return {
        **template,
        "id": str(uuid.uuid4()),
        "reference": f"BWO-2026-XZ-{uuid.uuid4().hex[:6]}",
        "revision": 1,
        "previous_id": None,
        "superseded": False,
        "status": "concept",
        "version": 1,
        **changes,
    }


def _pulled_ids(conn: Any, **body: Any) -> set[str]:
    """Every row id a pull from cursor 0 names (rows, their parents' references, purge
    items), over all pages."""
    named: set[str] = set()
    cursor = body.pop("cursor", 0)
    while True:
        page = conn.post("/pull", {"protocol": 1, "cursor": cursor, **body})
        for item in page["changes"]:
            if "row_id" in item:
                named.add(item["row_id"])
            row = item.get("row") or {}
            named.update(str(row[k]) for k in ("id", "client_id", "provider_id") if row.get(k))
        if not page["more"] or page["cursor"] == cursor:
            return named
        cursor = page["cursor"]


def test_a_laptop_of_another_team_never_writes_a_teams_rows(office: Office, laptop: Any) -> None:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    noord = laptop("noord", office.enrol("xnoord-a", NOORD, consultant="N. Noord"))
    zuid = laptop("zuid", office.enrol("xzuid-a", ZUID, consultant="Z. Zuid"))
    decide_a_case(noord, 161)
    decide_a_case(zuid, 162)
    assert cli("sync", "--db", str(noord)) == 0
    assert cli("sync", "--db", str(zuid)) == 0
    [n_case] = _rows(office, NOORD)["herindicaties"]
    [n_client] = _rows(office, NOORD)["clients"]
    [n_provider] = _rows(office, NOORD)["zorgaanbieders"]
    z_rows = _rows(office, ZUID)
    [z_case], [z_client] = z_rows["herindicaties"], z_rows["clients"]
    noord_ids = {n_case["id"], n_client["id"], n_provider["id"]}
    noord_bsn = n_client["bsn"]
    before = _snapshot(office, NOORD)
    noord_head = office_rows(office, NOORD, "SELECT max(seq) FROM server_changes")[0][0]

    now = dt.datetime.now(dt.UTC).isoformat()
    attacks: dict[str, list[dict[str, Any]]] = {
        "upsert of Noord's case": [
            _item("herindicaties", _bumped(n_case, location="Zuid was hier"))
        ],
        "upsert of Noord's client": [
            _item("clients", _bumped(n_client, begeleider_phone="0612345678", street="Zuidweg"))
        ],
        "upsert of Noord's client with a base": [
            {
                **_item("clients", _bumped(n_client, begeleider_email="zuid@example.org")),
                "base": {"begeleider_email": n_client["begeleider_email"]},
            }
        ],
        "upsert of Noord's zorgaanbieder": [
            _item("zorgaanbieders", _bumped(n_provider, name="Zuid Zorg"))
        ],
        "tombstone of Noord's case": [
            _item("herindicaties", _bumped(n_case, deleted_at=now), op="delete")
        ],
        "a Zuid case on Noord's client": [
            _item("herindicaties", _new_case(z_case, client_id=n_client["id"]))
        ],
        "a Zuid case on Noord's zorgaanbieder": [
            _item("herindicaties", _new_case(z_case, provider_id=n_provider["id"]))
        ],
        "a Zuid case that supersedes Noord's case": [
            _item("herindicaties", _new_case(z_case, previous_id=n_case["id"], revision=2))
        ],
        "a row naming Noord in bwo_team": [
            _item("clients", _bumped(z_client, bwo_team=NOORD, begeleider_phone="0600000000"))
        ],
        "Noord's client row with bwo_team Noord": [
            _item("clients", _bumped(n_client, bwo_team=NOORD, begeleider_phone="0600000000"))
        ],
    }
    conn = _connection(zuid)
    refused: dict[str, tuple[str, dict[str, Any]]] = {}
    try:
        for name, rows in attacks.items():
            refused[name] = _push(conn, rows)
        pulled = _pulled_ids(conn, limit=10**12)
        pulled |= _pulled_ids(conn, cursor=-1, since=-(10**12), limit=10**12)
    finally:
        conn.close()

    for name, (_batch, outcome) in refused.items():
        error = outcome.get("error")
        assert isinstance(error, str) and outcome["status"] in (400, 409), (name, outcome)
        # One Dutch line that says what to do; a `bwo_team` column is no column of a row.
        expected = "kolommen passen niet" if "bwo_team" in name else NOT_THIS_TEAM
        assert expected in error, (name, error)
        assert not any(w in error for w in DATABASE_WORDS), (name, error)
        assert noord_bsn not in error, name
    # Noord's rows and leases at the office: byte for byte as before.
    assert _snapshot(office, NOORD) == before
    # Nothing of the attacks was recorded in Zuid's team: no change row names a Noord row,
    # no batch was stored (a resend is not answered "applied").
    zuid_changes = office_rows(office, ZUID, "SELECT row_id FROM server_changes")
    assert not {str(r.row_id) for r in zuid_changes} & noord_ids
    stored = {str(b) for (b,) in office_rows(office, ZUID, "SELECT batch_id FROM server_batches")}
    assert not stored & {batch for batch, _ in refused.values()}
    zuid_cases = office_rows(office, ZUID, "SELECT id, client_id FROM herindicaties")
    assert [(str(r.id), str(r.client_id)) for r in zuid_cases] == [(z_case["id"], z_client["id"])]
    # A pull by Zuid from cursor 0 (any limit): no Noord row, no purge item of one.
    assert pulled and not pulled & noord_ids
    # Noord's next pull brings nothing new; Zuid's own next sync goes on as usual.
    assert office_rows(office, NOORD, "SELECT max(seq) FROM server_changes")[0][0] == noord_head
    with open_database(noord, PASSPHRASE) as db:
        report = sync_client.sync(db)
    assert (report.changes_pulled, report.batches_pushed) == (0, 0)
    # Before the fix a Zuid case on Noord's client was applied, and then every laptop of
    # team Zuid was refused at each pull ("een pagina van het kantoor past niet op deze
    # laptop"): the client is invisible to Zuid. Zuid's laptop and a colleague's sync.
    colleague = laptop("zuid2", office.enrol("xzuid-c", ZUID, consultant="Z. Zuid"))
    for path in (zuid, colleague):
        assert cli("sync", "--db", str(path)) == 0
        with open_database(path, PASSPHRASE) as db:
            assert not {str(i) for i in _local_ids(db)} & noord_ids


def _local_ids(db: Any) -> set[uuid.UUID]:
    from bwo_desktop.services import sync_rows

    with db.read() as s:
        return {
            row_id
            for table in sync_rows.SYNCED_TABLES.values()
            for row_id in s.scalars(select(table.c.id))
        }


def test_a_foreign_row_in_the_outbox_stops_the_sync_with_a_dutch_line(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A laptop whose outbox holds another team's row (a genuine laptop never gets one: its
    pulls carry its team only and `team join` refuses a second enrolment; here it is put
    there by hand) is refused at each sync with one Dutch line (exit 2): the batch stays
    queued and blocks the batches after it and the pull until the team lead steps in."""
    from bwo_desktop.models import Client
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    noord = laptop("noord", office.enrol("xnoord-b", "YNoord"))
    zuid = laptop("zuid", office.enrol("xzuid-b", "YZuid"))
    decide_a_case(noord, 163)
    assert cli("sync", "--db", str(noord)) == 0
    assert cli("sync", "--db", str(zuid)) == 0
    [n_client] = _rows(office, "YNoord")["clients"]
    before = _snapshot(office, "YNoord")
    with open_database(zuid, PASSPHRASE) as db:
        cursor = db.get_meta(sync_client.CURSOR_KEY)
        sync_client.apply_page(db, [{"seq": cursor, **_item("clients", n_client)}], cursor)
        with db.session() as s:  # an edit on the laptop: queued in its outbox
            client = s.get(Client, uuid.UUID(n_client["id"]))
            assert client is not None
            client.begeleider_phone = "0687654321"
    later = decide_a_case(zuid, 164)

    for _attempt in range(2):
        capsys.readouterr()
        assert cli("sync", "--db", str(zuid)) == 2
        said = capsys.readouterr()
        [line] = said.err.strip().splitlines()
        assert NOT_THIS_TEAM in line and n_client["bsn"] not in said.out + said.err
    assert _snapshot(office, "YNoord") == before
    found = office_rows(office, "YZuid", "SELECT id FROM herindicaties WHERE id = :i", i=later)
    assert found == []  # the batches after the refused one wait
