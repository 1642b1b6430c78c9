"""The demo generator and the data commands (demo, backup, passphrase) end to end."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from persistence_samples import PASSPHRASE

from bwo_desktop.core.bsn import is_valid_bsn
from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import list_backups, open_database
from bwo_desktop.services.demo import DEMO_PASSPHRASE, demo_bsns, generate


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BWO_PASSPHRASE")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", *args],
        capture_output=True, text=True, encoding="utf-8", env=full_env, timeout=300,
    )  # fmt: skip


def test_demo_bsns_are_valid_and_in_9999() -> None:
    bsns = demo_bsns()
    assert len(bsns) > 9000 and len(set(bsns)) == len(bsns)
    assert all(b.startswith("9999") and is_valid_bsn(b) for b in bsns)


def test_demo_command(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    result = _cli("demo", "--db", str(path), "--cases", "300", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert DEMO_PASSPHRASE in result.stdout and "300 casussen" in result.stdout
    assert result.stderr == ""
    with open_database(path, DEMO_PASSPHRASE) as db:
        assert db.is_demo
        svc = CaseService(db)
        summaries = svc.list_summaries()
        assert len(summaries) == 300
        for s in summaries:
            assert s.bsn.startswith("9999") and is_valid_bsn(s.bsn)
            assert s.bsn not in result.stdout
        statuses = {s.status for s in summaries}
        assert statuses == {"planned", "concept", "definitief"}
        # A herindicatie day: many planned at one location and date, 20 minutes apart.
        days: dict[tuple[object, str], list[dt.time]] = {}
        for s in summaries:
            if s.status == "planned" and s.planned_time:
                days.setdefault((s.planned_date, s.location), []).append(s.planned_time)
        biggest = max(days.values(), key=len)
        assert len(biggest) >= 8 and dt.time(9, 0) in biggest and dt.time(9, 20) in biggest
        decided = [s for s in summaries if s.status == "definitief"]
        case = svc.get(decided[0].id)
        assert case.decision is not None and case.decision["outcome"] in (
            "ib_bw", "regular_ib", "intramural",
        )  # fmt: skip
        with_level = next(svc.get(s.id) for s in decided if s.ib_level)
        assert with_level.tariffs_used and with_level.results and with_level.motivations
        # Some clients have an earlier case with scores.
        assert any(svc.previous_case(svc.get(s.id)) for s in summaries if s.status == "concept")
        assert audit.verify(db) == []
        names = " ".join(s.client_name for s in summaries)
        assert any(ch in names for ch in "ŞşıçÇśżğ")


def test_demo_is_deterministic(tmp_path: Path) -> None:
    def make(name: str) -> list[tuple[object, ...]]:
        with open_database(tmp_path / name, DEMO_PASSPHRASE, create=True) as db:
            generate(db, 120, seed=7, today=dt.date(2026, 11, 22))
            return sorted(
                (s.reference, s.client_name, s.bsn, s.planned_date, s.status, s.ib_level)
                for s in CaseService(db).list_summaries()
            )

    assert make("a.db") == make("b.db")


def test_demo_refuses_a_database_with_cases(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert _cli("demo", "--db", str(path), "--cases", "5").returncode == 0
    again = _cli("demo", "--db", str(path), "--cases", "5", env={"BWO_PASSPHRASE": DEMO_PASSPHRASE})
    assert again.returncode == 2 and "bevat al casussen" in again.stderr
    no_pass = _cli("demo", "--db", str(path), "--cases", "5")
    assert no_pass.returncode == 2 and "BWO_PASSPHRASE" in no_pass.stderr


def test_wrong_passphrase_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert _cli("demo", "--db", str(path), "--cases", "3").returncode == 0
    result = _cli(
        "backup", "create", "--db", str(path), env={"BWO_PASSPHRASE": "wrong one, really"}
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "onjuist" in result.stderr


def test_backup_and_passphrase_commands(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    env = {"BWO_PASSPHRASE": DEMO_PASSPHRASE}
    assert _cli("demo", "--db", str(path), "--cases", "10").returncode == 0
    made = _cli("backup", "create", "--db", str(path), env=env)
    assert made.returncode == 0, made.stderr
    listed = _cli("backup", "list", "--db", str(path))
    assert listed.returncode == 0 and "handmatig" in listed.stdout
    changed = _cli("passphrase", "change", "--db", str(path),
                   env={**env, "BWO_NEW_PASSPHRASE": PASSPHRASE})  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    backup = list_backups(path)[0].path
    with open_database(backup, PASSPHRASE) as db:
        assert len(CaseService(db).list_summaries()) == 10


@pytest.mark.slow
def test_demo_thousand_cases_is_quick(tmp_path: Path) -> None:
    with open_database(tmp_path / "big.db", DEMO_PASSPHRASE, create=True) as db:
        report = generate(db, 1000, seed=3)
        assert report.cases == 1000
        assert report.seconds < 20  # ~0.6 s on the development machine
