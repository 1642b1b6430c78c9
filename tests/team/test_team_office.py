"""Team mode, the office's own commands (issue 15): `server export-xlsx` writes the laptop's
overview workbook per team from the office's PostgreSQL (every decision once, BSN masked,
never another team's case), `server audit-verify` recomputes every team's office chain, and
hello refuses an app that is too old, in Dutch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from team_support import PASSPHRASE, Office, cli, decide_a_case

pytestmark = pytest.mark.pg


def _correct(path: Path, case_id: str) -> str:
    """A decided case gets a new version, itself decided: the old one is superseded."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="J. Consulent")
        new = svc.new_version(case_id)
        assert new.id is not None
        final = DecisionService(svc).finalise(new.id, new.version)
        assert final.status == "definitief" and final.reference
        return final.reference


def _local(path: Path) -> dict[str, tuple[str, str]]:
    """reference -> (bsn, status) of the current cases on a laptop."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="x")
        found = {}
        for summary in svc.list_summaries():
            case = svc.get(summary.id)
            assert case.reference is not None
            found[case.reference] = (case.client.bsn, case.status)
        return found


def _cases_sheet(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    from bwo_desktop.exports.xlsx_export import CASES_SHEET

    book = load_workbook(path, read_only=True)
    try:
        rows = list(book[CASES_SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = list(rows[0])
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]


def _audit_actions(office: Office, team: str) -> list[str]:
    engine = create_engine(office.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('bwo.team', :t, true)"), {"t": team})
            return [
                str(a) for a in conn.scalars(text("SELECT action FROM server_audit ORDER BY seq"))
            ]
    finally:
        engine.dispose()


def test_export_xlsx_gives_each_team_its_decisions_once(
    office: Office, laptop: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.core.bsn import mask_bsn

    a = laptop("a", office.enrol("exp-noord-a", "ExpNoord"))
    b = laptop("b", office.enrol("exp-noord-b", "ExpNoord"))
    z = laptop("z", office.enrol("exp-zuid-z", "ExpZuid"))
    first = decide_a_case(a, 11)
    corrected = _correct(a, first)  # two versions at the office, one current decision
    decide_a_case(b, 12)
    decide_a_case(z, 13)
    for path in (a, b, z, a, b):
        assert cli("sync", "--db", str(path)) == 0
    noord = _local(a)
    assert noord == _local(b) and len(noord) == 2 and corrected in noord
    zuid = _local(z)
    assert len(zuid) == 1

    out = tmp_path / "overzicht.xlsx"
    capsys.readouterr()
    assert cli("server", "export-xlsx", "--database-url", office.url, "--out", str(out)) == 0
    said = capsys.readouterr().out
    assert "team ExpNoord: 2 casussen" in said and "team ExpZuid: 1 casussen" in said
    assert not out.exists()  # without --team: one workbook per team
    rows = _cases_sheet(tmp_path / "overzicht-ExpNoord.xlsx")
    assert sorted(r["Kenmerk"] for r in rows) == sorted(noord)  # each decision once
    for row in rows:
        bsn, status = noord[row["Kenmerk"]]
        assert row["BSN"] == mask_bsn(bsn) and row["BSN"] != bsn
        assert row["Status"] == "definitief" or status in str(row["Status"])
    zuid_rows = _cases_sheet(tmp_path / "overzicht-ExpZuid.xlsx")
    assert [r["Kenmerk"] for r in zuid_rows] == list(zuid)
    assert not set(zuid) & {r["Kenmerk"] for r in rows}  # a Zuid case never in Noord's book

    # One team by name; the export is in that team's office chain, and only in it.
    one = tmp_path / "noord.xlsx"
    assert (
        cli(
            "server",
            "export-xlsx",
            "--database-url",
            office.url,
            "--out",
            str(one),
            "--team",
            "ExpNoord",
        )
        == 0
    )
    assert sorted(r["Kenmerk"] for r in _cases_sheet(one)) == sorted(noord)
    assert _audit_actions(office, "ExpNoord").count("export") == 2
    assert _audit_actions(office, "ExpZuid").count("export") == 1

    # A file that exists is not overwritten; an unknown team is refused, in Dutch.
    capsys.readouterr()
    args = ("server", "export-xlsx", "--database-url", office.url, "--out")
    assert cli(*args, str(one), "--team", "ExpNoord") == 2
    assert cli(*args, str(tmp_path / "x.xlsx"), "--team", "Nergens") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "bestaat al" in err[0] and "onbekend" in err[1]


def test_audit_verify_finds_a_changed_entry(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    a = laptop("a", office.enrol("audit-a", "AuditTeam"))
    decide_a_case(a, 21)
    assert cli("sync", "--db", str(a)) == 0
    decide_a_case(a, 22)
    assert cli("sync", "--db", str(a)) == 0
    capsys.readouterr()
    assert cli("server", "audit-verify", "--database-url", office.url) == 0
    out = capsys.readouterr().out
    entries = len(_audit_actions(office, "AuditTeam"))
    assert entries >= 2 and f"team AuditTeam: {entries} regels, in orde" in out
    assert "team AuditTeam, audit-a: " in out  # the laptop's chain is walked too

    # The database owner changes one entry behind the server's back.
    engine = create_engine(office.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('bwo.team', 'AuditTeam', true)"))
            changed = conn.execute(
                text("""UPDATE server_audit SET details = '{"rows": 99}' WHERE seq = 2""")
            ).rowcount
        assert changed == 1
    finally:
        engine.dispose()
    assert cli("server", "audit-verify", "--database-url", office.url) == 2
    captured = capsys.readouterr()
    assert "team AuditTeam: regel 2: inhoud klopt niet met de hash" in captured.out
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "AuditTeam" in err[0] and "regel 2" in err[0]
    # The other teams' chains are still reported in order.
    assert "in orde" in captured.out


def test_a_gap_in_the_chain_names_the_missing_seq(office: Office, laptop: Any) -> None:
    from bwo_desktop.server import office as office_mod
    from bwo_desktop.server import schema

    a = laptop("a", office.enrol("gap-a", "GapTeam"))
    for n in (31, 32, 33):
        decide_a_case(a, n)
        assert cli("sync", "--db", str(a)) == 0
    engine = create_engine(office.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('bwo.team', 'GapTeam', true)"))
            conn.execute(text("DELETE FROM server_audit WHERE seq = 2"))
    finally:
        engine.dispose()
    engine = schema.engine_for(office.url)
    try:
        check = office_mod.verify_team(engine, "GapTeam")
    finally:
        engine.dispose()
    assert not check.ok and check.line() == "team GapTeam: regel 2 ontbreekt (volgende regel is 3)"


def test_an_app_too_old_is_refused_in_dutch(
    office: Office,
    laptop: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bwo_desktop import __version__
    from bwo_desktop.models import migrate
    from bwo_desktop.server import schema, store
    from bwo_desktop.services import sync_client

    assert ".".join(__version__.split(".")[:2]) + ".0" == store.MIN_APP_VERSION
    engine = schema.engine_for(office.url)
    device = store.Device("oud", "Noord", "J. Consulent")
    with engine.connect() as conn:
        revision = migrate.current_revision(conn)
    try:
        monkeypatch.setattr(store, "MIN_APP_VERSION", "1.10.0")
        for old in ("0.9.9", "1.9.12", "1.2", "onzin"):
            with pytest.raises(store.Refused) as refused:
                store.hello(engine, device, {"schema_revision": revision, "app_version": old})
            assert refused.value.status == 409
            assert refused.value.message == (
                f"deze versie van bwo-desktop ({old}) is te oud voor het kantoor "
                "(minimaal 1.10.0): werk bwo-desktop bij"
            )
        for fine in ("1.10.0", "1.10", "1.10.3", "1.11.0rc1", "2.0.0"):
            body = {"schema_revision": revision, "app_version": fine}
            assert store.hello(engine, device, body)["team"] == "Noord"
    finally:
        engine.dispose()

    # Through the real server: this app claims an old version and `sync` exits 2, one line.
    a = laptop("a", office.enrol("oud-a", "OudTeam"))
    monkeypatch.setattr(sync_client, "__version__", "0.0.1")
    capsys.readouterr()
    assert cli("sync", "--db", str(a)) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "deze versie van bwo-desktop (0.0.1) is te oud" in lines[0]
