"""Team mode: `server import-planning` (issue 15; docs/team-mode.md, "Rules per table": the
office decides the planning, the lease goes with it to the consultant's laptop). The office's
PostgreSQL and the server as a real process, laptops syncing with `bwo-desktop sync`.

A list for two consultants reaches each consultant's laptop with the lease to that laptop (or,
for a consultant with two laptops, to whichever of them first pushes the case); the other
consultant's case is read-only there and a change of it is parked. A row error imports
nothing; the same list again changes nothing; a changed consultant moves the lease; another
team's list never reaches the team's laptops.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from bsn_samples import make_bsns
from team_support import PASSPHRASE, TESTS, Office, cli, office_rows
from test_team_leases import _edit, _inbox, _location, _read_only

sys.path.insert(0, str(TESTS / "excel"))
from excel_factories import planning_row, write_planning

pytestmark = pytest.mark.pg

BSNS = make_bsns(8, start=50_000)
TEAM = "Planning"
DAY = dt.date(2027, 1, 11)


def _import(office: Office, path: Path, team: str = TEAM, *extra: str) -> int:
    return cli(
        "server", "import-planning", str(path), "--database-url", office.url, "--team", team, *extra
    )


def _state(office: Office, team: str = TEAM) -> dict[str, Any]:
    """What a laptop could ever pull of the team, and its office chain."""
    return {
        name: office_rows(office, team, sql)
        for name, sql in {
            "cases": "SELECT reference, consultant_name, planned_time, location, version "
            "FROM herindicaties ORDER BY reference",
            "clients": "SELECT bsn, version FROM clients ORDER BY bsn",
            "providers": "SELECT name FROM zorgaanbieders ORDER BY name",
            "changes": "SELECT seq FROM server_changes ORDER BY seq",
            "leases": "SELECT case_id, device, consultant FROM server_leases ORDER BY case_id",
            "audit": "SELECT seq, action FROM server_audit ORDER BY seq",
        }.items()
    }


def _case_of(office: Office, bsn: str, team: str = TEAM) -> Any:
    [case] = office_rows(
        office,
        team,
        "SELECT h.id, h.reference, h.status, h.consultant_name, l.device, l.consultant "
        "FROM herindicaties h JOIN clients c ON c.id = h.client_id "
        "LEFT JOIN server_leases l ON l.case_id = h.id WHERE c.bsn = :b",
        b=bsn,
    )
    return case


def _office_location(office: Office, case_id: str) -> str:
    [row] = office_rows(office, TEAM, "SELECT location FROM herindicaties WHERE id = :i", i=case_id)
    return str(row.location)


def _laptop_cases(path: Path) -> dict[str, Any]:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return {s.bsn: s for s in CaseService(db, user="x").list_summaries()}


def _leased_to(path: Path, case_id: str) -> str | None:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return CaseService(db, user="x").leased_elsewhere(case_id)


def test_a_planning_for_two_consultants_reaches_each_laptop_with_its_lease(
    office: Office, laptop: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = laptop("a", office.enrol("plan-a", TEAM, consultant="A. Eerste"))
    b1 = laptop("b1", office.enrol("plan-b1", TEAM, consultant="B. Tweede"))
    b2 = laptop("b2", office.enrol("plan-b2", TEAM, consultant="b.  tweede"))
    listed = [
        planning_row(BSNS[0], Consulent="A.  Eerste"),
        planning_row(BSNS[1], Achternaam="Tweede", Consulent=None),  # --consultant below
        planning_row(BSNS[2], Achternaam="Derde", Consulent="B. Tweede"),
    ]
    plan = write_planning(tmp_path / "planning.xlsx", listed)
    capsys.readouterr()
    assert _import(office, plan, TEAM, "--consultant", "B. Tweede") == 0
    out = capsys.readouterr().out
    assert "3 nieuw, 0 bijgewerkt, 0 overgeslagen in team Planning" in out
    assert all(bsn not in out for bsn in BSNS)

    # A consultant with one laptop: leased to it; one with two: to the consultant, any device.
    mine = _case_of(office, BSNS[0])
    assert (mine.status, mine.consultant_name) == ("planned", "A. Eerste")
    assert (mine.device, mine.consultant) == ("plan-a", "A. Eerste")
    assert [(_case_of(office, b).device, _case_of(office, b).consultant) for b in BSNS[1:3]] == [
        ("", "B. Tweede"),
        ("", "B. Tweede"),
    ]
    [entry] = office_rows(
        office, TEAM, "SELECT details FROM server_audit WHERE action = 'import_planning'"
    )
    assert entry.details["new"] == 3 and entry.details["leases"] == 3
    assert all(bsn not in str(entry.details) for bsn in BSNS)

    for path in (a, b1, b2):
        assert cli("sync", "--db", str(path)) == 0
    on_a, on_b1, on_b2 = _laptop_cases(a), _laptop_cases(b1), _laptop_cases(b2)
    # Each laptop pulls its own consultant's planning only (server/scope.py).
    assert set(on_a) == {BSNS[0]}
    assert set(on_b1) == set(on_b2) == set(BSNS[1:3])
    assert on_a[BSNS[0]].status == "planned" and on_a[BSNS[0]].planned_date == DAY
    a_case, b_case = str(mine.id), str(_case_of(office, BSNS[1]).id)
    # Each laptop may edit its own consultant's cases, on any of that consultant's laptops.
    assert not _read_only(a, a_case)
    assert not _read_only(b1, b_case) and not _read_only(b2, b_case)

    # The same list again: nothing changes, exit 0.
    before = _state(office)
    capsys.readouterr()
    assert _import(office, plan, TEAM, "--consultant", "B. Tweede") == 0
    assert "0 nieuw, 0 bijgewerkt, 3 overgeslagen" in capsys.readouterr().out
    after = _state(office)
    assert after["audit"][-1].action == "import_planning"
    assert {**after, "audit": after["audit"][:-1]} == before

    # A's change of its own case applies at the office.
    _edit(a, a_case, "Bij A thuis")
    assert cli("sync", "--db", str(a)) == 0
    assert _office_location(office, a_case) == "Bij A thuis"

    # B's first laptop that pushes B's case takes its lease; then B's other laptop reads it.
    _edit(b1, b_case, "Bij B1")
    assert cli("sync", "--db", str(b1)) == 0
    assert _case_of(office, BSNS[1]).device == "plan-b1"
    assert cli("sync", "--db", str(b2)) == 0
    assert _read_only(b2, b_case) and _leased_to(b2, b_case) == "B. Tweede (plan-b1)"

    # B's other laptop changes the case anyway: parked, the office keeps B1's version.
    _edit(b2, b_case, "Bij B2, niet de houder")
    assert cli("sync", "--db", str(b2)) == 3
    assert [(c.holder, c.held_by, c.local_row["location"]) for c in _inbox(b2)] == [
        ("B. Tweede (plan-b1)", "B. Tweede (plan-b1)", "Bij B2, niet de houder")
    ]
    assert _location(b1, b_case) == "Bij B1" and _office_location(office, b_case) == "Bij B1"
    c_case = str(_case_of(office, BSNS[2]).id)
    assert _office_location(office, c_case) == "Locatie Dordrecht"
    assert _case_of(office, BSNS[2]).device == ""

    # A new list: A's case at another time (its lease stays), B's third case now A's (the
    # lease moves, with an audit entry).
    moved = [
        {**listed[0], "Locatie": "Bij A thuis", "Tijd": dt.time(10, 40)},
        {**listed[2], "Consulent": "A. Eerste"},
    ]
    capsys.readouterr()
    assert _import(office, write_planning(tmp_path / "planning2.xlsx", moved), TEAM) == 0
    out = capsys.readouterr().out
    assert "0 nieuw, 2 bijgewerkt" in out and "(gewijzigd: consulent)" in out
    assert "(gewijzigd: tijd)" in out
    assert _case_of(office, BSNS[0]).device == "plan-a"
    case = _case_of(office, BSNS[2])
    assert (case.consultant_name, case.device, case.consultant) == (
        "A. Eerste",
        "plan-a",
        "A. Eerste",
    )
    [move] = office_rows(
        office, TEAM, "SELECT details FROM server_audit WHERE action = 'lease_move'"
    )
    assert move.details == {
        "kenmerk": case.reference,
        "from": [""],
        "to": "plan-a",
        "consultant": "A. Eerste",
    }
    assert cli("sync", "--db", str(b1)) == 0 and cli("sync", "--db", str(a)) == 0
    # The case left B's scope: gone from B's laptop, now on A's, editable there.
    assert BSNS[2] not in _laptop_cases(b1) and BSNS[2] in _laptop_cases(a)
    assert not _read_only(a, c_case)
    _edit(a, c_case, "Nu wel van A")
    assert cli("sync", "--db", str(a)) == 0
    assert _office_location(office, c_case) == "Nu wel van A"


def test_a_row_error_imports_nothing(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office.enrol("fout-a", "Fout", consultant="F. Out")
    good = write_planning(tmp_path / "goed.xlsx", [planning_row(BSNS[3], Consulent="F. Out")])
    assert _import(office, good, "Fout") == 0
    before = _state(office, "Fout")
    listed = [
        planning_row(BSNS[4], Consulent="F. Out"),
        planning_row(BSNS[5]),  # no consultant, and no --consultant
        planning_row(BSNS[6], Consulent="F. Out", Tijd="25:99"),
    ]
    bad = write_planning(tmp_path / "fout.xlsx", listed)
    capsys.readouterr()
    assert _import(office, bad, "Fout") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("bwo-desktop server import-planning: rij 4")
    assert "Tijd" in err[0]
    assert err[-1].endswith("1 fout(en) in fout.xlsx; niets geïmporteerd")
    assert _state(office, "Fout") == before
    # With the reader's rows sound, the missing consultant is the row's error.
    fixed = write_planning(tmp_path / "fout2.xlsx", listed[:2])
    assert _import(office, fixed, "Fout") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "rij 3 (Wilde, M. de): Consulent: verplicht" in err[0] and "--consultant" in err[0]
    assert all(bsn not in line for line in err for bsn in BSNS)
    assert _state(office, "Fout") == before
    # An unknown team: one Dutch line, exit 2.
    assert _import(office, good, "Onbekend") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "team 'Onbekend' is onbekend op het kantoor" in err[0]


def test_another_teams_planning_never_reaches_the_teams_laptops(
    office: Office, laptop: Any, tmp_path: Path
) -> None:
    own = laptop("own", office.enrol("eigen-a", "Eigen", consultant="E. Igen"))
    office.enrol("ander-a", "Ander", consultant="A. Nder")
    assert (
        _import(
            office,
            write_planning(tmp_path / "eigen.xlsx", [planning_row(BSNS[7])]),
            "Eigen",
            "--consultant",
            "E. Igen",
        )
        == 0
    )
    other = write_planning(tmp_path / "ander.xlsx", [planning_row(make_bsns(1, 60_000)[0])])
    assert _import(office, other, "Ander", "--consultant", "A. Nder") == 0
    assert cli("sync", "--db", str(own)) == 0
    assert set(_laptop_cases(own)) == {BSNS[7]}
    assert len(office_rows(office, "Eigen", "SELECT id FROM herindicaties")) == 1
    assert [r.action for r in office_rows(office, "Eigen", "SELECT action FROM server_audit")] == [
        "import_planning"
    ]
    assert _case_of(office, make_bsns(1, 60_000)[0], "Ander").device == "ander-a"


def test_a_bsn_another_team_has_is_refused_in_dutch(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Known limit: clients.bsn is unique over the whole office; row-level security hides the
    # other team's client, so the insert is refused by the database: one line, nothing kept.
    office.enrol("ook-a", "Ook", consultant="O. Ok")
    bsn = make_bsns(1, 70_000)[0]
    first = write_planning(tmp_path / "een.xlsx", [planning_row(bsn)])
    assert _import(office, first, "Ook", "--consultant", "O. Ok") == 0
    office.enrol("ook-b", "Ook2", consultant="O. Ok")
    capsys.readouterr()
    assert _import(office, first, "Ook2", "--consultant", "O. Ok") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "BSN dat een ander team al heeft" in err[0] and bsn not in err[0]
    assert _state(office, "Ook2")["changes"] == [] and _state(office, "Ook2")["audit"] == []
