"""Team mode's happy path, end to end (issue 15), as a consultant team lives it: the team lead
imports one planning list for two consultants; each laptop syncs at the office and carries
its own consultant's planned cases only; at the provider, offline, each consultant scores
and decides every planned case (the services the app uses) and makes a beschikking; back
online both laptops sync; the office's export shows every decision once, `server
audit-verify` passes, a second sync changes nothing, and the office's definitief rows are the
laptops' rows, column for column. And a letter made after its decision reached the office
is no change of the decision: the sync goes on (a defect this file found).

The office's PostgreSQL and the server as a real process (tests/team/team_support.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bsn_samples import make_bsns
from sqlalchemy import select, text
from team_support import (
    PASSPHRASE,
    TESTS,
    Office,
    _office_engine,
    cli,
    decide_a_case,
    office_rows,
    pending_batches,
)

sys.path.insert(0, str(TESTS / "excel"))
sys.path.insert(0, str(TESTS / "documents"))
from doc_helpers import pdf_text
from excel_factories import planning_row, write_planning
from persistence_samples import ASSESSMENT

pytestmark = pytest.mark.pg

TEAM = "Happy"
# The conversations are today (a morning's planning); decided the same day, at the provider.
DAY = dt.date.today()
CURRENT_END = DAY + dt.timedelta(days=28)
A, B = "A. Eerste", "B. Tweede"
BSNS = make_bsns(6, start=80_000)
PLANNED = {A: BSNS[:3], B: BSNS[3:]}
NAMES = ("Wilde", "Çelik", "Jansen", "Bakker", "Şahin", "Visser")
# ZRM scores in DOMAIN_KEYS order: all toezicht (IB1), one aanleren (IB2), three overnemen
# (IB3). Each consultant decides all three levels, in another order.
SCORES = {"IB1": "4444444444444", "IB2": "3444444444444", "IB3": "2224444444444"}
LEVELS = {A: ("IB1", "IB2", "IB3"), B: ("IB3", "IB1", "IB2")}
MOTIVATIONS = {
    "need_24_7": "Nachtelijke onrust, toezicht nodig.",
    "can_postpone": "Wachten op een plek kan.",
    "regular_ib_fits": "Reguliere IB is te licht.",
}


def _sync(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`bwo-desktop sync`, exit 0; its summary line."""
    capsys.readouterr()
    assert cli("sync", "--db", str(path)) == 0
    return capsys.readouterr().out.strip()


def _local_rows(path: Path, table_name: str, **where: Any) -> dict[str, dict[str, Any]]:
    """id -> the row in the wire format, from the laptop's database."""
    from bwo_desktop.services import sync_rows
    from bwo_desktop.services.database import open_database

    table = sync_rows.table_for(table_name)
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    with open_database(path, PASSPHRASE) as db, db.read() as s:
        rows = s.execute(query).mappings().all()
    return {str(r["id"]): sync_rows.encode_row(table, r) for r in rows}


def _office_table(
    office: Office, table_name: str, team: str = TEAM, **where: Any
) -> dict[str, dict[str, Any]]:
    """id -> the row in the wire format, from the office (as `team`)."""
    from bwo_desktop.services import sync_rows

    table = sync_rows.table_for(table_name)
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    with _office_engine(office.url).begin() as conn:
        conn.execute(text("SELECT set_config('bwo.team', :t, true)"), {"t": team})
        rows = conn.execute(query).mappings().all()
    return {str(r["id"]): sync_rows.encode_row(table, r) for r in rows}


def _laptop_state(path: Path) -> dict[str, Any]:
    """Every synced row, lease and open conflict of a laptop."""
    from bwo_desktop.services import sync_inbox, sync_rows
    from bwo_desktop.services.database import open_database

    state: dict[str, Any] = {t: _local_rows(path, t) for t in sync_rows.SYNCED_TABLES}
    with open_database(path, PASSPHRASE) as db, db.read() as s:
        leases = s.execute(text("SELECT case_id, device, consultant FROM sync_leases")).all()
    state["leases"] = sorted(map(tuple, leases))
    with open_database(path, PASSPHRASE) as db:
        state["conflicts"] = sync_inbox.open_conflicts(db)
    return state


def _cursor(path: Path) -> int:
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.sync_client import CURSOR_KEY

    with open_database(path, PASSPHRASE) as db:
        return int(db.get_meta(CURSOR_KEY, 0))


def _audit_length(path: Path) -> int:
    from bwo_desktop.services import audit
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return len(audit.entries(db))


def _planned_at_office(office: Office, consultant: str) -> set[tuple[str, str]]:
    """(kenmerk, BSN) of the consultant's cases at the office."""
    rows = office_rows(
        office,
        TEAM,
        "SELECT h.reference, c.bsn FROM herindicaties h JOIN clients c ON c.id = h.client_id "
        "WHERE h.consultant_name = :c",
        c=consultant,
    )
    return {(r.reference, r.bsn) for r in rows}


def _on_laptop(path: Path) -> tuple[dict[str, Any], set[str]]:
    """(kenmerk -> case summary, every client BSN in the database) of a laptop."""
    from bwo_desktop.models import Client
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        cases = {s.reference: s for s in CaseService(db, user="x").list_summaries()}
        with db.read() as s:
            return cases, set(s.scalars(select(Client.bsn)))


def _decide_at_the_provider(path: Path, consultant: str, letter_folder: Path) -> dict[str, Any]:
    """Offline: each planned case opened, scored, motivated, saved and decided, as the
    editor does it; the beschikking of the first. kenmerk -> the decided case."""
    from bwo_desktop.core.case import Result
    from bwo_desktop.core.zrm import DOMAIN_KEYS
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService
    from bwo_desktop.services.letters import LetterService

    decided: dict[str, Any] = {}
    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user=consultant)
        planned = sorted(
            (s for s in svc.list_summaries() if s.status == "planned"),
            key=lambda s: s.planned_time,
        )
        assert len(planned) == 3
        for summary, level in zip(planned, LEVELS[consultant], strict=True):
            case = svc.get(summary.id)
            assert case.status == "planned" and case.assessment is None
            assert case.current_indication is not None
            # The first edit makes a planned case a concept (ui/case_editor.py `_on_edit`).
            case.status = "concept"
            case.conversation.attended_by = "client_and_begeleider"
            case.conversation.consent_share_report = True
            case.conversation.previous_arrangement = "BW extramuraal all-in"
            assessment = copy.deepcopy(ASSESSMENT)
            assessment["assessment_date"] = DAY.isoformat()
            assessment["period"] = {
                "start": (case.current_indication.end_date + dt.timedelta(days=1)).isoformat()
            }
            assessment["support_plan_date"] = (DAY - dt.timedelta(days=60)).isoformat()
            assessment["zrm"] = dict(zip(DOMAIN_KEYS, map(int, SCORES[level]), strict=True))
            assessment["criteria"] = {
                "need_24_7": True,
                "can_postpone": True,
                "regular_ib_fits": False,
            }
            case.assessment = assessment
            case.motivations = {**MOTIVATIONS, "zrm": "Schulden, budgetbeheer loopt."}
            case.results = [
                Result("financien", "heeft een geordende (financiële) administratie", "toename")
            ]
            case.zrm_notes = {"financien": "Budgetbeheer loopt."}
            saved = svc.save(case)
            assert saved.id is not None and saved.status == "concept"
            final = DecisionService(svc).finalise(saved.id, saved.version)
            assert final.status == "definitief" and final.decision is not None
            assert final.decision["outcome"] == "ib_bw"
            assert final.decision["ib_level"] == level
            decided[summary.reference] = final
        first = planned[0]
        letter = LetterService(svc).beschikking(first.id, letter_folder)
    pages = pdf_text(letter)
    assert pages and not any("CONCEPT" in page for page in pages)
    assert first.reference in " ".join(pages) and first.bsn not in letter.name
    return decided


def _sheet(path: Path, name: str) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        rows = list(book[name].iter_rows(values_only=True))
    finally:
        book.close()
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:] if any(row)]


def _all_cells(path: Path) -> list[Any]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    finally:
        book.close()


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_a_planned_morning_for_two_consultants_reaches_the_office_decided_once(
    office: Office, laptop: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.core.bsn import mask_bsn
    from bwo_desktop.exports.xlsx_export import (
        CASES_SHEET,
        OUTCOME_LABELS,
        component_name,
    )

    # The team lead enrols the two laptops and imports one list for both consultants.
    a = laptop("a", office.enrol("happy-a", TEAM, consultant=A))
    b = laptop("b", office.enrol("happy-b", TEAM, consultant=B))
    listed = [
        planning_row(
            bsn,
            Achternaam=name,
            Tussenvoegsel=None,
            Consulent=consultant,
            Tijd=dt.time(9 + n % 3, 0),
            **{"Datum gesprek": DAY, "Einddatum huidige indicatie": CURRENT_END},
        )
        for n, (name, (consultant, bsn)) in enumerate(
            zip(NAMES, [(c, bsn) for c, bsns in PLANNED.items() for bsn in bsns], strict=True)
        )
    ]
    plan = write_planning(tmp_path / "planning.xlsx", listed)
    capsys.readouterr()
    assert (
        cli("server", "import-planning", str(plan), "--database-url", office.url, "--team", TEAM)
        == 0
    )
    said = capsys.readouterr().out
    assert f"6 nieuw, 0 bijgewerkt, 0 overgeslagen in team {TEAM}" in said
    assert "6 lease(s) uitgegeven" in said and not any(bsn in said for bsn in BSNS)
    kenmerken = {c: _planned_at_office(office, c) for c in (A, B)}
    assert {bsn for c in (A, B) for _k, bsn in kenmerken[c]} == set(BSNS)
    assert all(len(kenmerken[c]) == 3 for c in (A, B))

    # At the office, each laptop syncs once: its own consultant's planning, nobody else's.
    for path in (a, b):
        _sync(path, capsys)
    for path, mine, theirs in ((a, A, B), (b, B, A)):
        cases, bsns = _on_laptop(path)
        assert {(k, s.bsn) for k, s in cases.items()} == kenmerken[mine]
        assert all(s.status == "planned" and s.planned_date == DAY for s in cases.values())
        assert bsns == set(PLANNED[mine]) and not bsns & set(PLANNED[theirs])

    # At the provider, no network: every planned case decided; one beschikking each.
    decided = {
        A: _decide_at_the_provider(a, A, tmp_path / "brieven-a"),
        B: _decide_at_the_provider(b, B, tmp_path / "brieven-b"),
    }
    assert set(decided[A]) == {k for k, _ in kenmerken[A]}
    assert set(decided[B]) == {k for k, _ in kenmerken[B]}

    # Back online: both laptops sync (exit 0), each pushing its morning: three case rows (the
    # outbox keeps a row's newest state only, so each case goes once, definitief).
    for path in (a, b):
        assert _sync(path, capsys).startswith("gesynchroniseerd: 3 batches (3 rijen) verstuurd")
    assert pending_batches(a) == pending_batches(b) == []

    # The team lead's export: each of the six decisions once, as its laptop decided it.
    out = tmp_path / "overzicht.xlsx"
    argv = ["server", "export-xlsx", "--database-url", office.url, "--out", str(out)]
    assert cli(*argv, "--team", TEAM) == 0
    rows = _sheet(out, CASES_SHEET)
    assert sorted(r["Kenmerk"] for r in rows) == sorted(k for c in (A, B) for k in decided[c])
    lines = _sheet(out, "Regels")
    for consultant in (A, B):
        for kenmerk, case in decided[consultant].items():
            [row] = [r for r in rows if r["Kenmerk"] == kenmerk]
            decision = case.decision
            assert row["BSN"] == mask_bsn(case.client.bsn) != case.client.bsn
            assert row["Status"] == "definitief" and row["Consulent"] == consultant
            assert row["Uitkomst"] == OUTCOME_LABELS[decision["outcome"]]
            assert row["IB-niveau besluit"] == decision["ib_level"]
            assert _money(row["Per week"]) == Decimal(decision["weekly_total"])
            assert _money(row["Hele periode"]) == Decimal(decision["period_total"])
            assert row["Ingangsdatum"].date().isoformat() == decision["period"]["start"]
            assert row["Einddatum"].date().isoformat() == decision["period"]["end"]
            assert [
                (r["Component"], r["Dagen"], _money(r["Per week"]), _money(r["Bedrag"]))
                for r in lines
                if r["Kenmerk"] == kenmerk
            ] == [
                (
                    component_name(line["code"]),
                    line["days"],
                    Decimal(line["weekly"]),
                    Decimal(line["amount"]),
                )
                for line in decision["lines"]
            ]
    cells = [str(v) for v in _all_cells(out) if v is not None]
    assert not [bsn for bsn in BSNS if any(bsn in cell for cell in cells)]

    # The office's chain and both laptops' chains verify, each laptop's chain whole.
    capsys.readouterr()
    assert cli("server", "audit-verify", "--database-url", office.url) == 0
    verified = capsys.readouterr().out.splitlines()
    [chain] = office_rows(office, TEAM, "SELECT count(*) AS n FROM server_audit")
    assert f"team {TEAM}: {chain.n} regels, in orde" in verified
    for device, path in (("happy-a", a), ("happy-b", b)):
        assert f"team {TEAM}, {device}: {_audit_length(path)} regels, in orde" in verified

    # A second sync of both: nothing to push, nothing new to pull, nothing changes. A is
    # handed B's pushes since its last pull as purge items only (row ids of cases it never
    # had; docs/_incoming/scope16.md, known limits); B, the last to sync, nothing at all.
    before = {p: _laptop_state(p) for p in (a, b)}
    since_a = _cursor(a)
    from_b = office_rows(
        office, TEAM, "SELECT table_name, device FROM server_changes WHERE seq > :s", s=since_a
    )
    assert from_b and {(r.table_name, r.device) for r in from_b} == {("herindicaties", "happy-b")}
    assert _sync(a, capsys) == (
        f"gesynchroniseerd: 0 batches (0 rijen) verstuurd, {len(from_b)} wijzigingen ontvangen"
    )
    assert (
        _sync(b, capsys)
        == "gesynchroniseerd: 0 batches (0 rijen) verstuurd, 0 wijzigingen ontvangen"
    )
    assert {p: _laptop_state(p) for p in (a, b)} == before

    # The office's definitief rows are the laptops' rows, column for column; their clients too.
    at_office = _office_table(office, "herindicaties", status="definitief")
    on_laptops = {
        **_local_rows(a, "herindicaties", status="definitief"),
        **_local_rows(b, "herindicaties", status="definitief"),
    }
    assert len(at_office) == 6 and at_office == on_laptops
    clients = {**_local_rows(a, "clients"), **_local_rows(b, "clients")}
    assert len(clients) == 6 and clients == _office_table(office, "clients")


def test_letters_made_after_the_decision_synced_reach_the_office(
    office: Office, laptop: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app syncs by itself every few minutes, so a decision is often at the office before
    its beschikking is made (or the day batch prints it the next morning). The marker the
    case list shows ("beschikking gemaakt op") is no change of the decision: the sync goes on."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.letters import LetterService

    path = laptop("c", office.enrol("happy-c", "Brieven", consultant="C. Derde"))
    case_id = decide_a_case(path, 31)
    _sync(path, capsys)
    with open_database(path, PASSPHRASE) as db:
        letters = LetterService(CaseService(db, user="C. Derde"))
        letters.beschikking(case_id, tmp_path / "brieven")
        letters.verslag(case_id, tmp_path / "brieven", copy="client")
    capsys.readouterr()
    assert cli("sync", "--db", str(path)) == 0, capsys.readouterr().err
    assert pending_batches(path) == []
    [row] = office_rows(
        office,
        "Brieven",
        "SELECT beschikking_made_on, verslag_made_on FROM herindicaties WHERE id = :i",
        i=case_id,
    )
    assert row.beschikking_made_on == row.verslag_made_on == dt.date.today()
    actions = office_rows(office, "Brieven", "SELECT action FROM server_audit")
    assert "alarm_definitief" not in {r.action for r in actions}
    mine = _local_rows(path, "herindicaties")
    assert _office_table(office, "herindicaties", team="Brieven") == mine
