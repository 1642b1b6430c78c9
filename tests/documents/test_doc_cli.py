"""The command line: beschikking from a case file, export-case and import-case (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from doc_helpers import CASEFILES, advice_for, case_named, casefile_data, pdf_text

from bwo_desktop.core.casefile import load_case_file

PASSPHRASE = "correct paard batterij niet"


def _run(
    args: list[str], tmp_path: Path, *, passphrase: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BWO_PASSPHRASE"}
    env["BWO_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONIOENCODING"] = "utf-8"
    if passphrase:
        env["BWO_PASSPHRASE"] = PASSPHRASE
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _new_db(path: Path) -> Path:
    """An empty database, as the app makes one: the commands never create one."""
    from bwo_desktop.services.database import open_database

    open_database(path, PASSPHRASE, create=True, backup_before_migrate=False).close()
    return path


def _known_tariffs(tmp_path: Path) -> None:
    """The sample's fictional 2027 table in the user's tariff folder (of `_run`'s data
    folder): an imported definitief case keeps its decision only on known tables."""
    folder = tmp_path / "data" / "tarieven"
    folder.mkdir(parents=True, exist_ok=True)
    source = CASEFILES.parent / "tariffs" / "2027-05-01.toml"
    (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")


def test_beschikking_from_case_file(tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    result = _run(["beschikking", str(CASEFILES / "ib_bw_full.json"), "--out", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    text = " ".join(pdf_text(out))
    assert "BWO-2026-A7-000123" in text and "volgens uw plan" in text


def test_beschikking_default_file_name(tmp_path: Path) -> None:
    result = _run(["beschikking", str(CASEFILES / "regular_ib.json")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "beschikking_BWO-2026-A7-000124_2026-12-09.pdf").is_file()


def test_missing_item_is_refused_with_exit_2(tmp_path: Path) -> None:
    data = casefile_data("ib_bw_full")
    del data["motivations"]["regular_ib_fits"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _run(["beschikking", str(path), "--out", str(tmp_path / "b.pdf")], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "motivations.regular_ib_fits" in lines[0]
    assert not (tmp_path / "b.pdf").exists()


def test_invalid_case_file_exit_2(tmp_path: Path) -> None:
    data = casefile_data("ib_bw_full")
    data["client"]["bsn"] = "123456789"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = _run(["beschikking", str(path)], tmp_path)
    assert result.returncode == 2 and "client.bsn" in result.stderr


def test_provider_report_without_consent_exit_2(tmp_path: Path) -> None:
    result = _run(
        ["beschikking", str(CASEFILES / "regular_ib.json"), "--soort", "verslag-aanbieder"],
        tmp_path,
    )
    assert result.returncode == 2 and "toestemming" in result.stderr
    ok = _run(
        [
            "beschikking",
            str(CASEFILES / "ib_bw_full.json"),
            "--soort",
            "verslag-aanbieder",
            "--out",
            "v.pdf",
        ],
        tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Exemplaar voor de zorgaanbieder" in pdf_text(tmp_path / "v.pdf")[0]


def test_export_then_import_gives_the_same_case(tmp_path: Path) -> None:
    from bwo_desktop.core.rules import builtin_rules_dict

    pytest.importorskip("sqlcipher3")
    _known_tariffs(tmp_path)
    db = _new_db(tmp_path / "a.db")
    imported = _run(["import-case", str(CASEFILES / "ib_bw_full.json"), "--db", str(db)], tmp_path)
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "out.json"
    exported = _run(
        ["export-case", "--db", str(db), "--reference", "BWO-2026-A7-000123", "--out", str(out)],
        tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    original = load_case_file(CASEFILES / "ib_bw_full.json")
    # A decided case file without rules_used means the built-in rules: exported, it says so.
    assert original.status == "definitief" and original.rules_used is None
    original.rules_used = builtin_rules_dict()
    assert load_case_file(out) == original
    # ... and into a second database, and out again: still the same.
    db2 = _new_db(tmp_path / "b.db")
    assert _run(["import-case", str(out), "--db", str(db2)], tmp_path).returncode == 0
    out2 = tmp_path / "out2.json"
    assert (
        _run(
            [
                "export-case",
                "--db",
                str(db2),
                "--reference",
                "BWO-2026-A7-000123",
                "--out",
                str(out2),
            ],
            tmp_path,
        ).returncode
        == 0
    )
    assert json.loads(out2.read_text(encoding="utf-8")) == json.loads(
        out.read_text(encoding="utf-8")
    )


def test_invalid_import_stores_nothing(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    db = _new_db(tmp_path / "a.db")
    assert (
        _run(
            ["import-case", str(CASEFILES / "regular_ib.json"), "--db", str(db)], tmp_path
        ).returncode
        == 0
    )
    data = casefile_data("ib_bw_full")
    data["results"][1]["development"] = "stabilisatie"  # mixed developments in one area
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _run(["import-case", str(bad), "--db", str(db)], tmp_path)
    assert result.returncode == 2 and "results[1].development" in result.stderr
    missing = _run(
        [
            "export-case",
            "--db",
            str(db),
            "--reference",
            "BWO-2026-A7-000123",
            "--out",
            str(tmp_path / "x.json"),
        ],
        tmp_path,
    )
    assert missing.returncode == 2 and "BWO-2026-A7-000123" in missing.stderr
    assert not (tmp_path / "x.json").exists()


def test_missing_passphrase_is_one_clear_line(tmp_path: Path) -> None:
    result = _run(
        ["import-case", str(CASEFILES / "regular_ib.json"), "--db", str(tmp_path / "a.db")],
        tmp_path,
        passphrase=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "BWO_PASSPHRASE" in result.stderr
    assert not (tmp_path / "a.db").exists()


def test_import_into_a_missing_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = _run(["import-case", str(CASEFILES / "ib_bw_full.json"), "--db", str(db)], tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"database niet gevonden: {db}" in result.stderr
    assert "maak eerst een database aan" in result.stderr and "bwo-desktop demo" in result.stderr
    assert not db.exists() and not list(tmp_path.glob("typo.db*"))


# --- the contract: field names, file names, imported decisions ----------------------------


def _one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_start_before_first_tariff_table_names_the_case_field(tmp_path: Path) -> None:
    data = casefile_data("regular_ib")
    data["tariffs_used"] = None
    data["assessment"]["assessment_date"] = "2020-11-01"
    data["assessment"]["support_plan_date"] = None
    data["assessment"]["period"] = {"start": "2020-12-01"}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    line = _one_error(_run(["beschikking", str(path), "--out", str(tmp_path / "b.pdf")], tmp_path))
    assert "assessment.period.start" in line


def test_beschikking_refuses_a_bsn_in_the_file_name(tmp_path: Path) -> None:
    bsn = casefile_data("ib_bw_full")["client"]["bsn"]
    out = tmp_path / f"beschikking_{bsn}.pdf"
    line = _one_error(
        _run(["beschikking", str(CASEFILES / "ib_bw_full.json"), "--out", str(out)], tmp_path)
    )
    assert "BSN" in line
    assert not out.exists()


def test_export_case_refuses_a_bsn_in_the_file_name(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    db = _new_db(tmp_path / "a.db")
    done = _run(["import-case", str(CASEFILES / "ib_bw_full.json"), "--db", str(db)], tmp_path)
    assert done.returncode == 0, done.stderr
    bsn = casefile_data("ib_bw_full")["client"]["bsn"]
    out = tmp_path / f"{bsn}.json"
    args = ["export-case", "--db", str(db), "--reference", "BWO-2026-A7-000123", "--out", str(out)]
    line = _one_error(_run(args, tmp_path))
    assert "BSN" in line
    assert not out.exists()


def test_imported_definitief_case_carries_its_decision(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    from bwo_desktop.core.assessment_json import advice_to_json
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    _known_tariffs(tmp_path)
    db_path = _new_db(tmp_path / "a.db")
    done = _run(["import-case", str(CASEFILES / "ib_bw_full.json"), "--db", str(db_path)], tmp_path)
    assert done.returncode == 0, done.stderr
    expected = advice_to_json(advice_for(case_named("ib_bw_full")))
    with open_database(db_path, PASSPHRASE) as db:
        stored = CaseService(db).get_by_reference("BWO-2026-A7-000123")
    assert stored is not None and stored.status == "definitief"
    assert stored.decision == expected  # what the Excel overview and toewijzingen read
    assert stored.tariffs_used == casefile_data("ib_bw_full")["tariffs_used"]


def test_a_huge_motivation_is_refused_before_the_letter(tmp_path: Path) -> None:
    """Issue 12: a 1 MB motivation once reached the renderer; any text field over 10,000
    characters is refused with one line naming the field, and no PDF is written."""
    data = casefile_data("ib_bw_full")
    data["motivations"]["need_24_7"] = "Nachtelijke onrust. " * 50_000  # about 1 MB
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _run(["beschikking", str(path), "--out", str(tmp_path / "b.pdf")], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "motivations.need_24_7" in lines[0] and "te lang" in lines[0]
    assert not (tmp_path / "b.pdf").exists()


def test_a_case_file_over_5_mb_is_refused_unread(tmp_path: Path) -> None:
    data = casefile_data("ib_bw_full")
    data["zrm_notes"] = {"financien": "x"}
    text = json.dumps(data, ensure_ascii=False)
    path = tmp_path / "case.json"
    # Valid JSON padded with whitespace past the limit: refused on its size alone.
    path.write_text(text[:-1] + " " * (5 * 1024 * 1024) + "}", encoding="utf-8")
    result = _run(["beschikking", str(path), "--out", str(tmp_path / "b.pdf")], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "te groot" in lines[0]
