"""Team mode: a client a colleague already brought to the office (issue 15; docs/team-mode.md,
"Rules per table"; server/client_remap.py, services/sync_remap.py).

A BSN is unique at the office, and a laptop holds only its consultant's scope: consultant B
never saw the client X of A's case. When B makes a case for the same BSN offline, B's laptop
makes a new client row (a new id, the same BSN). The office takes it as the same client: it
maps B's client id to its own (this batch and every later push of B's device), merges the
fields (a field that differs is a field conflict), and B's laptop rewrites its local id. A
BSN held by another team stays refused, with a Dutch line and never the BSN.

The office's PostgreSQL and the server as a real process.
"""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from team_support import (
    PASSPHRASE,
    Office,
    cli,
    decide_a_case,
    full_case,
    office_rows,
    pending_batches,
)
from test_team_faults import _sync_process
from test_team_office import _cases_sheet, _correct

pytestmark = pytest.mark.pg

OTHER_TEAM = "deze cliënt is bij een ander team bekend; neem contact op met de teamleider"


def _bsn(n: int) -> str:
    return full_case(n).client.bsn


def _pair(office: Office, laptop: Any, team: str) -> tuple[Path, Path]:
    a = laptop("a", office.enrol(f"{team}-a", team, consultant="A. Eerste"))
    b = laptop("b", office.enrol(f"{team}-b", team, consultant="B. Tweede"))
    return a, b


def _local_clients(path: Path, bsn: str) -> list[uuid.UUID]:
    from bwo_desktop.models import Client
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        return list(s.scalars(select(Client.id).where(Client.bsn == bsn)))


def _local_state(path: Path) -> dict[str, Any]:
    """Every client id, each case's client id, the outbox and shadow row ids of this laptop."""
    from bwo_desktop.models import Client, Herindicatie, SyncOutbox, SyncShadow
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        return {
            "clients": set(s.scalars(select(Client.id))),
            "case_clients": {str(h.id): h.client_id for h in s.scalars(select(Herindicatie))},
            "outbox": set(s.scalars(select(SyncOutbox.row_id))),
            "shadow": set(s.scalars(select(SyncShadow.row_id))),
        }


def _office_client_ids(office: Office, team: str, bsn: str) -> list[uuid.UUID]:
    return [r.id for r in office_rows(office, team, "SELECT id FROM clients WHERE bsn = :b", b=bsn)]


def _office_case_client(office: Office, team: str, case_id: str) -> uuid.UUID:
    [row] = office_rows(
        office, team, "SELECT client_id FROM herindicaties WHERE id = :i", i=uuid.UUID(case_id)
    )
    return uuid.UUID(str(row.client_id))


def _changes(office: Office, team: str) -> int:
    return len(office_rows(office, team, "SELECT seq FROM server_changes"))


def _merged_entries(path: Path) -> list[Any]:
    from bwo_desktop.services import audit
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return [e for e in audit.entries(db) if e.action == "sync_client_merged"]


def _reference(path: Path, case_id: str) -> str:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        reference = CaseService(db, user="x").get(case_id).reference
    assert reference is not None
    return reference


def test_a_colleagues_client_becomes_the_same_client(
    office: Office, laptop: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = "Remap"
    a, b = _pair(office, laptop, team)
    bsn = _bsn(51)
    case_a = decide_a_case(a, 51)
    assert cli("sync", "--db", str(a)) == 0
    [office_id] = _office_client_ids(office, team, bsn)
    assert cli("sync", "--db", str(b)) == 0
    assert _local_clients(b, bsn) == []  # A's client is not in B's scope

    # B, offline: a case of the same BSN, decided (two batches: the creation and the
    # finalise, pushed in one request). B's laptop makes a client row of its own.
    case_b = decide_a_case(b, 51)
    [laptop_id] = _local_clients(b, bsn)
    assert laptop_id != office_id

    # A power cut right after the office answered: the office applied both batches, the
    # laptop recorded nothing. The next sync is a resend: the office's stored outcomes.
    killed = _sync_process(b, kill_at="after_push_ack")
    assert killed.returncode == 9
    assert _office_client_ids(office, team, bsn) == [office_id]
    assert _office_case_client(office, team, case_b) == office_id
    changes = _changes(office, team)

    capsys.readouterr()
    assert cli("sync", "--db", str(b)) == 0
    said = capsys.readouterr()
    assert bsn not in said.out + said.err
    assert "de cliënt was al bij het kantoor bekend en is samengevoegd" in said.out
    assert _changes(office, team) == changes  # the resend changed nothing at the office

    # One client at the office; B's case refers to it; B's laptop has that one client row.
    assert _office_client_ids(office, team, bsn) == [office_id]
    assert _office_case_client(office, team, case_b) == office_id
    state = _local_state(b)
    assert _local_clients(b, bsn) == [office_id]
    assert laptop_id not in state["clients"]
    assert state["case_clients"][case_b] == office_id
    assert laptop_id not in state["outbox"] | state["shadow"]
    assert office_id in state["shadow"]
    assert pending_batches(b) == []
    kenmerk = _reference(b, case_b)
    [entry] = _merged_entries(b)
    assert entry.object_ref == kenmerk
    assert bsn not in str(entry.details)

    # Nothing is pushed twice; a further change of B's case (a new decided version) pushes
    # with the office's client id.
    assert cli("sync", "--db", str(b)) == 0
    assert _changes(office, team) == changes
    out = tmp_path / "remap.xlsx"
    assert (
        cli(
            "server", "export-xlsx", "--database-url", office.url, "--out", str(out), "--team", team
        )
        == 0
    )
    rows = _cases_sheet(out)
    assert sorted(r["Kenmerk"] for r in rows) == sorted([_reference(a, case_a), kenmerk])

    corrected = _correct(b, case_b)
    assert cli("sync", "--db", str(b)) == 0
    [new] = office_rows(
        office,
        team,
        "SELECT client_id FROM herindicaties WHERE reference = :k AND revision = 2",
        k=corrected,
    )
    assert uuid.UUID(str(new.client_id)) == office_id
    assert _office_client_ids(office, team, bsn) == [office_id]
    assert _local_clients(b, bsn) == [office_id]
    assert cli("sync", "--db", str(a)) == 0  # A is not disturbed
    assert _local_clients(a, bsn) == [office_id]


def _create(path: Path, case: Any) -> str:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        stored = CaseService(db, user="J. Consulent").create(case)
    assert stored.id is not None
    return stored.id


def test_a_field_that_differs_is_a_field_conflict(office: Office, laptop: Any) -> None:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    team = "RemapVeld"
    a, b = _pair(office, laptop, team)
    bsn = _bsn(52)
    _create(a, full_case(52))
    assert cli("sync", "--db", str(a)) == 0
    [office_id] = _office_client_ids(office, team, bsn)

    # B knows another phone number of the begeleider, and the same city.
    theirs = full_case(52)
    assert theirs.client.begeleider is not None
    begeleider = dataclasses.replace(theirs.client.begeleider, phone="06-99999999")
    case_b = _create(
        b,
        dataclasses.replace(
            theirs, client=dataclasses.replace(theirs.client, begeleider=begeleider)
        ),
    )
    assert cli("sync", "--db", str(b)) == 3

    [office_row] = office_rows(office, team, "SELECT * FROM clients WHERE bsn = :b", b=bsn)
    assert office_row.id == office_id and office_row.begeleider_phone == "06-12345678"
    assert _office_case_client(office, team, case_b) == office_id
    [parked] = office_rows(
        office, team, "SELECT reason FROM server_conflicts WHERE case_id = :i", i=office_id
    )
    assert parked.reason == "veldconflict: telefoon begeleider"
    [conflict] = _inbox(b)
    assert conflict.row_id == office_id and conflict.reason == parked.reason
    assert conflict.local_row["begeleider_phone"] == "06-99999999"  # B's number is kept
    assert _local_clients(b, bsn) == [office_id]
    # B shows the office's number until a person decides (as any field conflict).
    assert _local_phone(b, bsn) == "06-12345678"

    # B keeps its own number: it reaches the office as a change of the office's client.
    with open_database(b, PASSPHRASE) as db:
        sync_inbox.resolve(db, conflict.id, keep="mine")
    assert cli("sync", "--db", str(b)) == 0
    [office_row] = office_rows(office, team, "SELECT * FROM clients WHERE bsn = :b", b=bsn)
    assert office_row.begeleider_phone == "06-99999999"
    assert _office_client_ids(office, team, bsn) == [office_id]


def _local_phone(path: Path, bsn: str) -> str | None:
    from bwo_desktop.models import Client
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        return s.scalars(select(Client.begeleider_phone).where(Client.bsn == bsn)).one()


def _inbox(path: Path) -> list[Any]:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return sync_inbox.open_conflicts(db)


def test_a_bsn_of_another_team_stays_refused(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    north = laptop("n", office.enrol("RemapNoord-a", "RemapNoord", consultant="A. Eerste"))
    south = laptop("z", office.enrol("RemapZuid-a", "RemapZuid", consultant="B. Tweede"))
    bsn = _bsn(53)
    decide_a_case(north, 53)
    assert cli("sync", "--db", str(north)) == 0
    decide_a_case(south, 53)
    waiting = pending_batches(south)

    capsys.readouterr()
    assert cli("sync", "--db", str(south)) == 2
    said = capsys.readouterr()
    assert OTHER_TEAM in said.err
    assert bsn not in said.out + said.err
    assert office_rows(office, "RemapZuid", "SELECT id FROM herindicaties") == []
    assert office_rows(office, "RemapZuid", "SELECT id FROM clients") == []
    assert pending_batches(south) == waiting  # nothing lost on the laptop either
    assert len(_office_client_ids(office, "RemapNoord", bsn)) == 1


def test_a_later_push_of_the_device_still_finds_the_office_client(
    office: Office, laptop: Any
) -> None:
    """The office keeps the mapping per device: a batch that reaches it in a later request,
    still naming the laptop's client id (made before the laptop heard of the mapping), lands
    on the office's client too."""
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    team = "RemapLater"
    a, b = _pair(office, laptop, team)
    bsn = _bsn(54)
    decide_a_case(a, 54)
    assert cli("sync", "--db", str(a)) == 0
    [office_id] = _office_client_ids(office, team, bsn)
    case_b = decide_a_case(b, 54)
    [laptop_id] = _local_clients(b, bsn)

    with open_database(b, PASSPHRASE) as db:
        [request] = list(sync_client._requests(db))
        connection = sync_client.Connection(sync_client.enrolment_of(db))
    assert len(request) == 2  # the creation and the finalise
    try:
        answers = [
            connection.post(
                "/push",
                {"protocol": 1, "batches": [{"batch_id": str(batch), "rows": rows}]},
            )["outcomes"][0]
            for batch, rows in request
        ]
    finally:
        connection.close()
    mapped = {"clients": {str(laptop_id): str(office_id)}}
    assert [o.get("remapped") for o in answers] == [mapped, mapped]
    assert _office_case_client(office, team, case_b) == office_id
    [row] = office_rows(
        office, team, "SELECT status FROM herindicaties WHERE id = :i", i=uuid.UUID(case_b)
    )
    assert row.status == "definitief"

    # The laptop heard nothing of it: its sync gets both stored outcomes and rewrites.
    assert cli("sync", "--db", str(b)) == 0
    assert _local_clients(b, bsn) == [office_id]
    assert _local_state(b)["case_clients"][case_b] == office_id
    assert _office_client_ids(office, team, bsn) == [office_id]
