"""Export from a real (demo) database, and both commands through a subprocess."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bsn_samples import make_bsns
from excel_factories import internal_names, planning_row, workbook_strings, write_planning
from openpyxl import load_workbook

from bwo_desktop.core.casefile import load_case_file
from bwo_desktop.services import audit, demo
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database, open_database
from bwo_desktop.services.xlsx_service import export_cases, gather_export_cases

TODAY = dt.date(2026, 11, 20)
CASEFILES = Path(__file__).resolve().parent.parent / "cases" / "casefiles"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_database(path, demo.DEMO_PASSPHRASE, create=True, backup_before_migrate=False) as db:
        demo.generate(db, 60, seed=3, today=TODAY)
    yield path


@pytest.fixture
def db(demo_db: Path) -> Iterator[Database]:
    with open_database(demo_db, demo.DEMO_PASSPHRASE, backup_before_migrate=False) as database:
        yield database


def test_gather_and_filter(db: Database) -> None:
    everything = gather_export_cases(db)
    assert len(everything) == 60
    statuses = {c.status for c in everything}
    assert "definitief" in statuses
    decided = [c for c in everything if c.status == "definitief" and c.outcome == "ib_bw"]
    assert decided and all(c.lines and c.segments and c.tariffs_used for c in decided)
    for case in decided:  # rebuilt segments cover exactly the decided days
        for line in case.lines:
            days = sum((s.end - s.start).days + 1 for s in case.segments if s.code == line.code)
            assert days == line.days, (case.reference, line.code)
    dated = [c.herindicatie_date for c in everything if c.herindicatie_date]
    middle = sorted(dated)[len(dated) // 2]
    window = gather_export_cases(db, date_from=middle, date_to=middle + dt.timedelta(days=30))
    assert window and all(
        middle <= c.herindicatie_date <= middle + dt.timedelta(days=30) for c in window
    )  # type: ignore[operator]
    location = everything[0].location.split(",")[0].upper()
    assert all(
        location.casefold() in c.location.casefold()
        for c in gather_export_cases(db, location=location)
    )


def test_export_cases_writes_and_audits(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "overzicht.xlsx"
    report = export_cases(db, out, full_bsn=True)
    assert report.cases == 60 and report.toewijzingen > 0
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Casussen", "ZRM", "Regels", "Toewijzingen", "Tarieven"]
    wb.close()
    # Sixty demo cases: every component, outcome, opslag reason and warning a demo produces.
    assert internal_names(workbook_strings(out)) == []
    last = audit.entries(db)[-1]
    assert last.action == "export"
    assert last.details == {
        "kind": "xlsx",
        "file": "overzicht.xlsx",
        "cases": 60,
        "lines": report.lines,
        "toewijzingen": report.toewijzingen,
        "full_bsn": True,
    }


def test_unplanned_imported_case_is_dated_by_its_conversation(tmp_path: Path) -> None:
    """An imported case has no planned date: the date filter and the "Datum herindicatie"
    column use the assessment's conversation date instead."""
    case = load_case_file(CASEFILES / "regular_ib.json")
    assert case.planned is None and case.assessment["assessment_date"] == "2026-12-08"
    with open_database(
        tmp_path / "a.db", demo.DEMO_PASSPHRASE, create=True, backup_before_migrate=False
    ) as db:
        CaseService(db).import_case(case)
        dated = gather_export_cases(
            db, date_from=dt.date(2026, 12, 1), date_to=dt.date(2026, 12, 31)
        )
        assert [c.herindicatie_date for c in dated] == [dt.date(2026, 12, 8)]
        assert gather_export_cases(db, date_from=dt.date(2026, 12, 9)) == []
        assert gather_export_cases(db, date_to=dt.date(2026, 12, 7)) == []
        out = tmp_path / "o.xlsx"
        export_cases(db, out, date_from=dt.date(2026, 12, 8), date_to=dt.date(2026, 12, 8))
    sheet = load_workbook(out)["Casussen"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Datum herindicatie")
    assert sheet.cell(2, column + 1).value.date() == dt.date(2026, 12, 8)


# ------------------------------------------------------------------------------ commands


def _cli(args: list[str], tmp_path: Path, passphrase: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, BWO_DATA_DIR=str(tmp_path / "data"), BWO_PASSPHRASE=passphrase)
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_export_xlsx(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    done = _cli(
        [
            "export-xlsx",
            "--db",
            str(demo_db),
            "--out",
            str(out),
            "--from",
            "01-01-2020",
            "--to",
            "31-12-2030",
        ],
        tmp_path,
        demo.DEMO_PASSPHRASE,
    )
    assert done.returncode == 0, done.stderr
    assert "60 casussen" in done.stdout and "gemaskeerd" in done.stdout
    wb = load_workbook(out)
    assert str(wb["Toewijzingen"]["A1"].value).startswith("Toewijzingen staan")
    bad = _cli(
        ["export-xlsx", "--db", str(demo_db), "--out", str(out), "--from", "31-02-2027"],
        tmp_path,
        demo.DEMO_PASSPHRASE,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--from" in bad.stderr


def test_cli_import_planning(tmp_path: Path) -> None:
    passphrase = "correct horse battery staple"
    db_path = tmp_path / "bwo.db"
    template = tmp_path / "sjabloon.xlsx"
    assert (
        _cli(["import-planning", "--template", str(template)], tmp_path, passphrase).returncode == 0
    )
    assert template.exists()

    bsns = make_bsns(3)
    good = write_planning(tmp_path / "goed.xlsx", [planning_row(b) for b in bsns])
    dry = _cli(
        ["import-planning", str(good), "--db", str(db_path), "--dry-run"], tmp_path, passphrase
    )
    assert (
        dry.returncode == 2 and "database niet gevonden" in dry.stderr
    )  # a dry run creates nothing
    missing = _cli(
        ["import-planning", str(good), "--db", str(db_path), "--consultant", "C. Onsulent"],
        tmp_path,
        passphrase,
    )  # nor does an import: a mistyped --db must not fill a stray new database
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "database niet gevonden" in missing.stderr and "bwo-desktop demo" in missing.stderr
    assert not db_path.exists()
    open_database(db_path, passphrase, create=True, backup_before_migrate=False).close()
    done = _cli(
        ["import-planning", str(good), "--db", str(db_path), "--consultant", "C. Onsulent"],
        tmp_path,
        passphrase,
    )
    assert done.returncode == 0, done.stderr
    assert "3 nieuw" in done.stdout
    assert all(b not in done.stdout for b in bsns)  # masked BSNs only
    dry = _cli(
        ["import-planning", str(good), "--db", str(db_path), "--dry-run"], tmp_path, passphrase
    )
    assert dry.returncode == 0 and "3 overgeslagen" in dry.stdout

    bad = write_planning(
        tmp_path / "fout.xlsx",
        [
            planning_row(make_bsns(1, start=500)[0]),
            planning_row("123456789"),
            planning_row(bsns[0], Tijd="99:99"),
        ],
    )
    refused = _cli(
        ["import-planning", str(bad), "--db", str(db_path), "--consultant", "C"],
        tmp_path,
        passphrase,
    )
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert (
        "bwo-desktop import-planning: rij 3 (Wilde, M. de): BSN: ongeldig BSN (11-proef): '123456789'"
        in lines
    )
    assert any("rij 4 (Wilde, M. de): Tijd:" in line for line in lines)
    assert lines[-1].endswith("niets geïmporteerd")
    after = _cli(
        ["import-planning", str(good), "--db", str(db_path), "--dry-run"], tmp_path, passphrase
    )
    assert "3 overgeslagen" in after.stdout and "nieuw:" not in after.stdout  # nothing was added

    ole = tmp_path / "oud.xlsx"
    ole.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    hostile = _cli(["import-planning", str(ole), "--db", str(db_path)], tmp_path, passphrase)
    assert hostile.returncode == 2
    assert hostile.stderr.count("\n") == 1 and "wachtwoord-beveiligd" in hostile.stderr
    assert "Traceback" not in hostile.stderr
