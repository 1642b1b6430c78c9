"""`bwo-desktop --self-test` in-process: every check passes on a healthy installation, and a
failure is reported (FOUT line, report, exit status 1) instead of crashing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bwo_desktop import selftest


def test_self_test_passes_and_writes_the_report_in_the_user_data_folder(
    user_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.cli import main

    assert main(["--self-test"]) == 0

    printed = capsys.readouterr().out.splitlines()
    report = (user_data_dir / "selftest.txt").read_text(encoding="utf-8")
    check_lines = [line for line in report.splitlines() if line.startswith(("OK", "FOUT"))]
    assert len(check_lines) == len(selftest.CHECKS)
    assert all(line.startswith("OK  ") for line in check_lines), report
    assert "ZELFTEST GESLAAGD" in report
    assert "periode-totaal € 24.198,00" in report
    assert printed[-1] == f"Rapport: {user_data_dir / 'selftest.txt'}"
    assert any(line.startswith("OK    database versleuteld en gemigreerd") for line in printed)


def _boom(run: selftest._Run) -> str:
    raise RuntimeError("kapot")


def _needs_db(run: selftest._Run) -> str:
    run.need("db")
    return "niet bereikt"


def test_a_failing_check_is_reported_and_later_checks_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        selftest,
        "CHECKS",
        (
            ("advies berekend en nagerekend", selftest._check_advice),
            ("kapotte controle", _boom),
            ("afhankelijke controle", _needs_db),
            ("bronbestanden geladen", selftest._check_resources),
        ),
    )
    out = io.StringIO()
    report = tmp_path / "rapport.txt"

    assert selftest.run_self_test(report, out=out) == 1

    lines = out.getvalue().splitlines()
    assert lines[1].startswith(
        "FOUT  advies berekend en nagerekend: overgeslagen, want eerder mislukt: tarieven, regels"
    )
    assert lines[2].startswith("FOUT  kapotte controle: RuntimeError: kapot (")
    assert lines[3].startswith(
        "FOUT  afhankelijke controle: overgeslagen, want eerder mislukt: database"
    )
    assert lines[4].startswith("OK    bronbestanden geladen")
    assert lines[5].startswith("ZELFTEST MISLUKT: 3 van 4 controles niet in orde")
    text = report.read_text(encoding="utf-8")
    assert "Details bij 'kapotte controle':" in text
    assert "Traceback" in text


def test_an_unwritable_report_folder_falls_back_to_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest, "CHECKS", (("bronbestanden geladen", selftest._check_resources),))
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path))
    blocked = tmp_path / "bestand"
    blocked.write_text("", encoding="utf-8")
    out = io.StringIO()

    assert selftest.run_self_test(blocked / "sub" / "selftest.txt", out=out) == 0

    assert out.getvalue().splitlines()[-1] == f"Rapport: {tmp_path / 'selftest.txt'}"
    assert "ZELFTEST GESLAAGD" in (tmp_path / "selftest.txt").read_text(encoding="utf-8")


def test_without_a_console_the_self_test_still_writes_its_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The windowed executable has `sys.stdout = None`."""
    monkeypatch.setattr(selftest, "CHECKS", (("bronbestanden geladen", selftest._check_resources),))
    monkeypatch.setattr(selftest.sys, "stdout", None)
    report = tmp_path / "selftest.txt"

    assert selftest.run_self_test(report) == 0

    assert "ZELFTEST GESLAAGD" in report.read_text(encoding="utf-8")


def test_amounts_are_written_the_dutch_way() -> None:
    assert selftest._money_nl("24198.00") == "24.198,00"
    assert selftest._money_nl("514.37") == "514,37"
