"""Team mode: a client's fields are pushed with their old value and applied only when the
office still has it; otherwise a field conflict lands in the conflict inbox. A BSN never
changes offline (issue 15; docs/team-mode.md, "Rules per table"; services/sync_fields.py).

The office's PostgreSQL and the server as a real process; two laptops of one team that
both have the same client, each through a case of its own (so no lease is in the way).
"""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any

import pytest
from bsn_samples import bsn
from sqlalchemy import select
from team_support import PASSPHRASE, Office, cli, full_case, office_rows

pytestmark = pytest.mark.pg

TEAM = "Velden"
CONTACT = ("street", "city", "begeleider_phone", "begeleider_email")


def _create(path: Path, n: int) -> str:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        stored = CaseService(db, user="J. Consulent").create(full_case(n))
    assert stored.id is not None
    return stored.id


def _change_client(path: Path, case_id: str, **changes: Any) -> None:
    """Through the case editor's service: the case's client gets these begeleider or address
    fields (phone, email, city) or a new BSN."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="J. Consulent")
        case = svc.get(case_id)
        client = case.client
        assert client.begeleider is not None and client.address is not None
        begeleider = dataclasses.replace(
            client.begeleider,
            **{k: changes.pop(k) for k in ("phone", "email") if k in changes},
        )
        address = dataclasses.replace(
            client.address, **{k: changes.pop(k) for k in ("city",) if k in changes}
        )
        case.client = dataclasses.replace(client, begeleider=begeleider, address=address, **changes)
        svc.save(case)


def _client_row(path: Path, client_bsn: str) -> dict[str, Any]:
    from bwo_desktop.models import Client
    from bwo_desktop.services import sync_rows
    from bwo_desktop.services.database import open_database

    table = sync_rows.table_for("clients")
    with open_database(path, PASSPHRASE) as db, db.read() as s:
        row = s.execute(table.select().where(Client.bsn == client_bsn)).mappings().one()
        return sync_rows.encode_row(table, row)


def _office_client(office: Office, client_id: str) -> dict[str, Any]:
    [row] = office_rows(
        office,
        TEAM,
        "SELECT bsn, street, city, begeleider_phone, begeleider_email FROM clients WHERE id = :i",
        i=client_id,
    )
    return dict(row._mapping)


def _inbox(path: Path) -> list[Any]:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return sync_inbox.open_conflicts(db)


def _resolve(path: Path, conflict_id: int, keep: str) -> None:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        sync_inbox.resolve(db, conflict_id, keep=keep)


def _pending(path: Path) -> int:
    from bwo_desktop.services import outbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        return len(outbox.pending(s))


def _same_everywhere(office: Office, a: Path, b: Path, client_bsn: str) -> dict[str, Any]:
    """The client's contact fields on both laptops and at the office; asserts they agree."""
    row_a, row_b = _client_row(a, client_bsn), _client_row(b, client_bsn)
    at_office = _office_client(office, row_a["id"])
    fields_a = {f: row_a[f] for f in CONTACT}
    assert fields_a == {f: row_b[f] for f in CONTACT}
    assert fields_a == {f: at_office[f] for f in CONTACT}
    return fields_a


@pytest.fixture
def two_laptops(office: Office, laptop: Any) -> Any:
    """Laptops A and B of one team, both with client n through a case of their own, synced.
    One consultant's two laptops: a laptop pulls its consultant's cases and their clients
    only (server/scope.py), so that is how two laptops share a client."""

    def make(tag: str, n: int) -> tuple[Path, str, Path, str, str]:
        a = laptop(f"a{tag}", office.enrol(f"velden-a{tag}", TEAM, consultant="A. Eerste"))
        b = laptop(f"b{tag}", office.enrol(f"velden-b{tag}", TEAM, consultant="A. Eerste"))
        case_a = _create(a, n)
        assert cli("sync", "--db", str(a)) == 0
        assert cli("sync", "--db", str(b)) == 0
        case_b = _create(b, n)  # the same client (BSN): B's own case of it
        assert cli("sync", "--db", str(b)) == 0
        assert cli("sync", "--db", str(a)) == 0
        assert _client_row(a, bsn(n))["id"] == _client_row(b, bsn(n))["id"]
        return a, case_a, b, case_b, bsn(n)

    return make


def test_different_fields_changed_on_two_laptops_both_apply(
    office: Office, two_laptops: Any
) -> None:
    a, case_a, b, case_b, client_bsn = two_laptops("1", 41)
    _change_client(a, case_a, phone="06-11110000")
    _change_client(b, case_b, email="nieuw@example.org")

    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 0  # no conflict: another field
    assert cli("sync", "--db", str(a)) == 0
    fields = _same_everywhere(office, a, b, client_bsn)
    assert fields["begeleider_phone"] == "06-11110000"
    assert fields["begeleider_email"] == "nieuw@example.org"
    assert _inbox(a) == [] and _inbox(b) == []
    # The shadow of the office's row holds the merged fields only: no second copy of a BSN.
    from bwo_desktop.models import SyncShadow
    from bwo_desktop.services.database import open_database

    with open_database(b, PASSPHRASE) as db, db.read() as s:
        shadows = [dict(r) for r in s.scalars(select(SyncShadow.row))]
    assert shadows and all("bsn" not in r for r in shadows)
    assert any(r["begeleider_phone"] == "06-11110000" for r in shadows)


def test_the_same_field_changed_twice_is_a_field_conflict_decided_by_a_person(
    office: Office, two_laptops: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.core.conflict_view import compare

    a, case_a, b, case_b, client_bsn = two_laptops("2", 42)
    client_id = _client_row(a, client_bsn)["id"]
    _change_client(a, case_a, phone="06-11112222")
    _change_client(b, case_b, phone="06-33334444", city="Zwijndrecht")

    # The first push wins; B's phone is parked, B's other field applies.
    assert cli("sync", "--db", str(a)) == 0
    capsys.readouterr()
    assert cli("sync", "--db", str(b)) == 3
    assert "1 wijziging(en) geparkeerd in het conflictenoverzicht" in capsys.readouterr().out
    at_office = _office_client(office, client_id)
    assert at_office["begeleider_phone"] == "06-11112222"
    assert at_office["city"] == "Zwijndrecht"
    parked = office_rows(office, TEAM, "SELECT case_id, device, reason FROM server_conflicts")
    assert [(str(p.case_id), p.device, p.reason) for p in parked] == [
        (client_id, "velden-b2", "veldconflict: telefoon begeleider")
    ]
    [conflict] = _inbox(b)
    assert conflict.table_name == "clients" and conflict.holder is None
    assert conflict.reference == "cliënt Şahin, A." and client_bsn not in conflict.reference
    assert conflict.local_row["begeleider_phone"] == "06-33334444"
    assert conflict.office_row is not None
    assert conflict.office_row["begeleider_phone"] == "06-11112222"
    assert conflict.office_row["city"] == "Zwijndrecht"
    # The inbox shows both versions, the differing field first, the BSN masked.
    [first, *rest] = compare(conflict.local_row, conflict.office_row)
    assert (first.label, first.mine, first.office) == (
        "telefoon begeleider",
        "06-33334444",
        "06-11112222",
    )
    assert not any(d.differs for d in rest)
    assert all(client_bsn not in d.mine + d.office for d in rest)
    # B's laptop took the office's row meanwhile (the pull after the push).
    assert _client_row(b, client_bsn)["begeleider_phone"] == "06-11112222"

    # B keeps its own: it is pushed with the office's value as its base, and applies.
    _resolve(b, conflict.id, "mine")
    assert _client_row(b, client_bsn)["begeleider_phone"] == "06-33334444"
    assert cli("sync", "--db", str(b)) == 0
    assert cli("sync", "--db", str(a)) == 0
    fields = _same_everywhere(office, a, b, client_bsn)
    assert fields["begeleider_phone"] == "06-33334444" and fields["city"] == "Zwijndrecht"
    assert _inbox(b) == [] and _pending(b) == 0

    # Again, and now B takes the office's: nothing of B's value goes to the office.
    _change_client(a, case_a, email="a@example.org")
    _change_client(b, case_b, email="b@example.org")
    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 3
    [conflict] = _inbox(b)
    assert conflict.reason == "veldconflict: e-mail begeleider"
    _resolve(b, conflict.id, "office")
    assert _pending(b) == 0
    assert cli("sync", "--db", str(b)) == 0 and cli("sync", "--db", str(a)) == 0
    fields = _same_everywhere(office, a, b, client_bsn)
    assert fields["begeleider_email"] == "a@example.org"
    assert fields["begeleider_phone"] == "06-33334444"
    assert _inbox(a) == [] and _inbox(b) == []


def test_a_synced_clients_bsn_does_not_change_on_the_laptop(office: Office, laptop: Any) -> None:
    from bwo_desktop.core.errors import InputError
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    enrolment_file = office.enrol("velden-bsn", TEAM)
    a = laptop("a", enrolment_file)
    case_id = _create(a, 43)
    # Before the office has the client, a typo in the BSN is still corrected here.
    _change_client(a, case_id, bsn=bsn(44))
    assert cli("sync", "--db", str(a)) == 0

    with pytest.raises(InputError, match="laat het kantoor het BSN corrigeren") as refused:
        _change_client(a, case_id, bsn=bsn(45))
    assert refused.value.field == "client.bsn" and bsn(44) not in str(refused.value)
    assert _client_row(a, bsn(44))["bsn"] == bsn(44) and _pending(a) == 0
    with open_database(a, PASSPHRASE) as db:
        svc_case = CaseService(db, user="x").get(case_id)
    assert svc_case.client.bsn == bsn(44)


def test_a_push_that_changes_a_clients_bsn_is_refused_whole_at_the_office(
    office: Office, laptop: Any
) -> None:
    from bwo_desktop.services import sync_client

    enrolment_file = office.enrol("velden-bsn2", TEAM)
    a = laptop("a", enrolment_file)
    _create(a, 46)
    assert cli("sync", "--db", str(a)) == 0
    row = _client_row(a, bsn(46))

    # A crafted push of the same client with another BSN: nothing of it is kept.
    changes_before = office_rows(office, TEAM, "SELECT count(*) AS n FROM server_changes")[0].n
    connection = sync_client.Connection(sync_client.read_enrolment(enrolment_file))
    crafted = {**row, "bsn": bsn(47), "city": "Papendrecht", "version": row["version"] + 1}
    with pytest.raises(sync_client.SyncRefused, match=r"BSN .* verandert niet") as office_says:
        connection.post(
            "/push",
            {
                "batch_id": str(uuid.uuid4()),
                "rows": [{"table": "clients", "op": "upsert", "row": crafted}],
            },
        )
    assert bsn(47) not in str(office_says.value)
    # A base may hold the merged fields only (a BSN is never "changed" through it).
    with pytest.raises(sync_client.SyncRefused, match="base met onbekende velden"):
        connection.post(
            "/push",
            {
                "batch_id": str(uuid.uuid4()),
                "rows": [
                    {"table": "clients", "op": "upsert", "row": row, "base": {"bsn": row["bsn"]}}
                ],
            },
        )
    stored = _office_client(office, row["id"])
    assert stored["bsn"] == bsn(46) and stored["city"] == row["city"]
    assert (
        office_rows(office, TEAM, "SELECT count(*) AS n FROM server_changes")[0].n == changes_before
    )
