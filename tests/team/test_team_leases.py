"""Team mode: one writer per concept case by lease, lease-break and the conflict inbox
(issue 15; docs/team-mode.md, "Leases and the conflict inbox"). The office's PostgreSQL and
the server as a real process, laptops syncing with `bwo-desktop sync`.

The device that first pushes a case holds its lease; a change of another device is parked
(not applied, nothing lost) and lands in that laptop's inbox, `sync` exiting 3; a team
lead's `server lease-break --to` hands the case over, and the old holder's later push is
parked in its own inbox.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from team_support import PASSPHRASE, Office, cli, full_case, office_rows
from test_team_sync import _office_count

pytestmark = pytest.mark.pg


def _create_concept(path: Path, n: int) -> tuple[str, str]:
    """A concept case made on this laptop: (id, kenmerk)."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        stored = CaseService(db, user="J. Consulent").create(full_case(n))
    assert stored.id is not None and stored.reference is not None
    return stored.id, stored.reference


def _edit(path: Path, case_id: str, location: str) -> None:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="J. Consulent")
        case = svc.get(case_id)
        assert case.conversation is not None
        case.conversation.location = location
        svc.save(case)


def _location(path: Path, case_id: str) -> str | None:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        case = CaseService(db, user="x").get(case_id)
    assert case.conversation is not None
    return case.conversation.location


def _inbox(path: Path) -> list[Any]:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return sync_inbox.open_conflicts(db)


def _read_only(path: Path, case_id: str) -> bool:
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return sync_inbox.is_read_only(db, case_id)


def test_one_writer_per_case_lease_break_and_the_inbox(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.services import sync_inbox, team
    from bwo_desktop.services.database import open_database

    # Two laptops of one consultant: both carry the case (a laptop's scope is its
    # consultant's cases, tests/team/test_team_scope.py), the lease is per device.
    a = laptop("a", office.enrol("lease-a", "Lease", consultant="A. Eerste"))
    b = laptop("b", office.enrol("lease-b", "Lease", consultant="A. Eerste"))
    case_id, kenmerk = _create_concept(a, 11)

    # A made and pushed the case: A holds its lease, and both laptops know it.
    assert cli("sync", "--db", str(a)) == 0
    assert cli("sync", "--db", str(b)) == 0
    holders = office_rows(
        office, "Lease", "SELECT device FROM server_leases WHERE case_id = :i", i=case_id
    )
    assert [h.device for h in holders] == ["lease-a"]
    assert not _read_only(a, case_id) and _read_only(b, case_id)
    with open_database(b, PASSPHRASE) as db:
        assert sync_inbox.lease_holder(db, case_id) == ("lease-a", "A. Eerste")

    # B changes the case anyway (offline, say): its push is parked, not applied.
    _edit(b, case_id, "Bij B thuis")
    capsys.readouterr()
    assert cli("sync", "--db", str(b)) == 3
    assert "1 wijziging(en) geparkeerd in het conflictenoverzicht" in capsys.readouterr().out
    [conflict] = _inbox(b)
    assert conflict.reference == kenmerk and conflict.holder == "A. Eerste (lease-a)"
    assert conflict.held_by == "A. Eerste (lease-a)"  # the inbox disables "mine"
    assert conflict.local_row["location"] == "Bij B thuis"
    assert conflict.office_row["location"] == "Locatie Zuid, Dordrecht"
    with open_database(b, PASSPHRASE) as db:
        assert team.status(db).conflicts == 1
    stored = office_rows(
        office, "Lease", "SELECT location FROM herindicaties WHERE id = :i", i=case_id
    )
    assert [r.location for r in stored] == ["Locatie Zuid, Dordrecht"]
    parked = office_rows(office, "Lease", "SELECT device, reference FROM server_conflicts")
    assert [(p.device, p.reference) for p in parked] == [("lease-b", kenmerk)]
    # The answer was lost, B resends: the stored outcome parks it again, no second conflict.
    with open_database(b, PASSPHRASE) as db, db.session() as s:
        s.execute(text("UPDATE sync_outbox SET pushed_at = NULL"))
    assert cli("sync", "--db", str(b)) == 3
    assert len(_inbox(b)) == 1
    assert len(office_rows(office, "Lease", "SELECT id FROM server_conflicts")) == 1

    # B may not keep its own version while A holds the case; it takes the office's.
    from bwo_desktop.services.errors import StoreError

    with open_database(b, PASSPHRASE) as db:
        with pytest.raises(StoreError, match=r"in bezit van A\. Eerste"):
            sync_inbox.resolve(db, conflict.id, keep="mine")
        sync_inbox.resolve(db, conflict.id, keep="office")
        assert team.status(db).conflicts == 0
    assert _location(b, case_id) == "Locatie Zuid, Dordrecht"

    # A edits offline, meanwhile the team lead hands the case to B.
    _edit(a, case_id, "Bij A op kantoor")
    capsys.readouterr()
    assert (
        cli(
            "server",
            "lease-break",
            "--database-url",
            office.url,
            "--reference",
            kenmerk,
            "--to",
            "lease-b",
        )
        == 0
    )
    assert "lease-a -> lease-b" in capsys.readouterr().out
    holders = office_rows(
        office, "Lease", "SELECT device FROM server_leases WHERE case_id = :i", i=case_id
    )
    assert [h.device for h in holders] == ["lease-b"]
    audit = office_rows(
        office, "Lease", "SELECT action FROM server_audit ORDER BY seq DESC LIMIT 1"
    )
    assert [r.action for r in audit] == ["lease_break"]

    # B's next pull learns it holds the case; B's new change applies at the office.
    assert cli("sync", "--db", str(b)) == 0
    assert not _read_only(b, case_id)
    _edit(b, case_id, "Bij B, nu als houder")
    assert cli("sync", "--db", str(b)) == 0
    stored = office_rows(
        office, "Lease", "SELECT location FROM herindicaties WHERE id = :i", i=case_id
    )
    assert [r.location for r in stored] == ["Bij B, nu als houder"]

    # A's later push of the case lands in A's inbox; the office keeps B's version, and A's
    # own text is kept in the inbox (nothing is lost). A then sees the case read-only.
    assert cli("sync", "--db", str(a)) == 3
    [mine] = _inbox(a)
    assert mine.local_row["location"] == "Bij A op kantoor" and mine.holder == "A. Eerste (lease-b)"
    stored = office_rows(
        office, "Lease", "SELECT location FROM herindicaties WHERE id = :i", i=case_id
    )
    assert [r.location for r in stored] == ["Bij B, nu als houder"]
    assert _read_only(a, case_id)


def test_lease_break_of_an_unknown_kenmerk_is_refused_in_dutch(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    office.enrol("lease-c", "Lease2")
    capsys.readouterr()
    url = office.url
    assert cli("server", "lease-break", "--database-url", url, "--reference", "BWO-0000-999") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "onbekend kenmerk BWO-0000-999" in err[0]
    assert _office_count(office, "Lease2", "server_audit") == 0
