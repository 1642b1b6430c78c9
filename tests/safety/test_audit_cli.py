"""`bwo-desktop audit verify|show`: the hash chain says where it breaks after tampering."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_util import PASSPHRASE, bsn, sample_case
from sqlalchemy import text

from bwo_desktop.cli import main
from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        svc = CaseService(db, user="M. van den Berg")
        for n in range(3):
            case = svc.create(sample_case(n))  # entries 1..3: create
            svc.record_view(case.id or "")  # 4..6 (interleaved): view
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def _sql(path: Path, statement: str) -> None:
    with open_database(path, PASSPHRASE) as db, db.engine.begin() as conn:
        conn.execute(text(statement))


def test_verify_ok(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "audit", "verify", "--db", str(db_path))
    assert code == 0
    assert out.strip() == "Auditlog in orde: 6 regels"


def test_changed_entry_is_named(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(db_path, "UPDATE audit_log SET action = 'export' WHERE seq = 3")
    code, out = _run(capsys, "audit", "verify", "--db", str(db_path))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith("Auditlog beschadigd")
    assert len(lines) == 2
    assert lines[1].startswith("regel 3 (") and ", Geëxporteerd):" in lines[1]
    assert "gewijzigd" in lines[1]


def test_changed_details_are_found(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(db_path, """UPDATE audit_log SET details = '{"status": "definitief"}' WHERE seq = 1""")
    code, out = _run(capsys, "audit", "verify", "--db", str(db_path))
    assert code == 1 and "regel 1 (" in out


def test_deleted_entry_in_the_middle_is_named(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sql(db_path, "DELETE FROM audit_log WHERE seq = 4")
    code, out = _run(capsys, "audit", "verify", "--db", str(db_path))
    assert code == 1
    assert "regel 5 (" in out
    assert "regel(s) 4..4 ontbreken" in out
    assert "schakel met de vorige regel klopt niet" in out


def test_deleted_last_entries_are_found(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(db_path, "DELETE FROM audit_log WHERE seq >= 5")
    code, out = _run(capsys, "audit", "verify", "--db", str(db_path))
    assert code == 1
    assert "de laatste regel(s) 5..6 ontbreken" in out


def test_show_lists_entries_without_bsn(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_database(db_path, PASSPHRASE) as db:
        reference = audit.entries(db)[0].object_ref
    assert reference
    code, out = _run(capsys, "audit", "show", "--db", str(db_path), "--reference", reference)
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2  # create and view of that case
    assert "Aangemaakt" in lines[0] and "Ingezien" in lines[1]  # the actions in Dutch
    assert all("create" not in line and " ok " not in line for line in lines)
    assert all(reference in line and "M. van den Berg" in line for line in lines)
    code, out = _run(capsys, "audit", "show", "--db", str(db_path))
    assert len(out.strip().splitlines()) == 6
    for n in range(3):
        assert bsn(n) not in out


def test_without_passphrase_exit_2(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BWO_PASSPHRASE")
    assert main(["audit", "verify", "--db", str(db_path)]) == 2
    assert "BWO_PASSPHRASE" in capsys.readouterr().err
