"""Daily backups in a rotating set, the hook in the app's open path, and restores that bring
every case back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.cli import main
from bwo_desktop.services import audit, keys
from bwo_desktop.services.backups import (
    DAILY_REASON,
    backup_kind,
    ensure_daily_backup,
    rotate,
)
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import BackupInfo, list_backups, open_database

UTC = dt.UTC


def _info(day: dt.date, reason: str = DAILY_REASON, hour: int = 9) -> BackupInfo:
    created = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
    return BackupInfo(Path(f"/b/bwo-{created:%Y%m%d-%H%M%S}-{reason}.db"), created, reason, 1)


def _days(rotation_keep: list[BackupInfo]) -> list[dt.date]:
    return sorted(b.created.date() for b in rotation_keep)


def _utc_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(UTC).date()


def test_daily_set_keeps_seven_days_and_four_weeks() -> None:
    end = dt.date(2026, 3, 15)  # a Sunday: 9..15 March is one ISO week
    backups = [_info(end - dt.timedelta(days=i)) for i in range(60)]
    result = rotate(backups, day_of=_utc_day)
    expected = [end - dt.timedelta(days=i) for i in range(7)]
    expected += [dt.date(2026, 3, 8), dt.date(2026, 3, 1), dt.date(2026, 2, 22)]
    assert _days(result.keep) == sorted(expected)
    assert len(result.remove) == 50
    assert {b.path for b in result.keep}.isdisjoint({b.path for b in result.remove})


def test_gaps_count_days_with_a_backup_not_calendar_days() -> None:
    days = [dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 2, 10)]
    result = rotate([_info(d) for d in days], day_of=_utc_day)
    assert _days(result.keep) == days and result.remove == []


def test_only_the_newest_of_a_day_stays() -> None:
    day = dt.date(2026, 5, 4)
    early, late = _info(day, hour=7), _info(day, hour=15)
    result = rotate([early, late], day_of=_utc_day)
    assert result.keep == [late] and result.remove == [early]


def test_other_kinds_keep_their_own_five_and_unknown_files_stay() -> None:
    start = dt.date(2026, 1, 1)
    manual = [_info(start + dt.timedelta(days=i), "handmatig") for i in range(8)]
    migration = [_info(start + dt.timedelta(days=i), f"voor-migratie-000{i}") for i in range(7)]
    restore = [_info(start, "voor-terugzetten")]
    daily = [_info(start + dt.timedelta(days=i)) for i in range(3)]
    unknown = [_info(start + dt.timedelta(days=i), "iets-anders") for i in range(9)]
    result = rotate(manual + migration + restore + daily + unknown, day_of=_utc_day)
    kept = {b.path for b in result.keep}
    assert {b.path for b in manual[-5:]} <= kept and not {b.path for b in manual[:3]} & kept
    assert {b.path for b in migration[-5:]} <= kept and not {b.path for b in migration[:2]} & kept
    assert {b.path for b in restore + daily + unknown} <= kept
    assert backup_kind("voor-migratie-0002") == "migratie"
    assert backup_kind("dagelijks") == DAILY_REASON
    assert backup_kind("iets-anders") is None


def _filled(path: Path, n: int) -> list[str]:
    with open_database(path, PASSPHRASE, create=True) as db:
        svc = CaseService(db, user="M. van den Berg")
        return [svc.create(sample_case(i)).reference or "" for i in range(n)]


def test_ensure_daily_backup_once_a_day_and_rotates(tmp_path: Path) -> None:
    path = tmp_path / "bwo.db"
    _filled(path, 2)
    today = dt.date.today()
    with open_database(path, PASSPHRASE) as db:
        first = ensure_daily_backup(db, today)
        assert first.path is not None and first.path.exists()
        assert keys.key_file_for(first.path).exists()
        assert ensure_daily_backup(db, today).path is None
        # "Tomorrow" (no daily backup is dated so): a new one.
        assert ensure_daily_backup(db, today + dt.timedelta(days=1)).path is not None
    daily = [b for b in list_backups(path) if b.reason == DAILY_REASON]
    # Both have today's date in their name, so rotation keeps the newest of the day.
    assert len(daily) == 1
    assert not first.path.exists() and not keys.key_file_for(first.path).exists()


def test_app_open_path_makes_the_daily_backup(tmp_path: Path) -> None:
    # Opening loads the list without waiting for the backup; the shell then makes it on a
    # worker (bwo_desktop.app.daily_backup, started by Shell.start_daily_backup).
    from bwo_desktop.app import daily_backup, open_and_load

    path = tmp_path / "bwo.db"
    _filled(path, 3)
    opened = open_and_load(path, PASSPHRASE, create=False)
    try:
        assert len(opened.summaries) == 3
        assert [b for b in list_backups(path) if b.reason == DAILY_REASON] == []
        assert daily_backup(opened.db) is not None
    finally:
        opened.db.close()
    daily = [b for b in list_backups(path) if b.reason == DAILY_REASON]
    assert len(daily) == 1
    with open_database(daily[0].path, PASSPHRASE) as copy:
        assert len(CaseService(copy).list_summaries()) == 3
    # A new database gets none (there is nothing in it yet).
    fresh = tmp_path / "nieuw.db"
    open_and_load(fresh, PASSPHRASE, create=True).db.close()
    assert list_backups(fresh) == []


def _snapshot(path: Path) -> dict[str, tuple[object, ...]]:
    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db)
        out: dict[str, tuple[object, ...]] = {}
        for s in svc.list_summaries():
            c = svc.get(s.id)
            out[c.reference or ""] = (c.client, c.assessment, c.zrm_notes, c.motivations, c.status)
        return out


def test_cli_restore_of_the_daily_backup_finds_every_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bwo.db"
    references = _filled(path, 5)
    before = _snapshot(path)
    with open_database(path, PASSPHRASE) as db:
        backup = ensure_daily_backup(db).path
        assert backup is not None
        svc = CaseService(db)
        svc.create(sample_case(20))
        first = svc.get_by_reference(references[0])
        assert first is not None
        svc.save(
            first.__class__(**{**first.__dict__, "zrm_notes": {"financien": "later gewijzigd"}})
        )
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["backup", "restore", str(backup), "--db", str(path)]) == 0
    assert "Teruggezet: 5 casussen" in capsys.readouterr().out
    assert _snapshot(path) == before
    with open_database(path, PASSPHRASE) as db:
        assert audit.verify(db) == []
        assert audit.entries(db)[-1].action == "restore"


def test_restore_from_the_ui_service_while_open(tmp_path: Path) -> None:
    from bwo_desktop.services.errors import WrongPassphrase
    from bwo_desktop.services.safety import SafetyService

    path = tmp_path / "bwo.db"
    _filled(path, 4)
    before = _snapshot(path)
    db = open_database(path, PASSPHRASE)
    svc = CaseService(db, user="M. van den Berg")
    backup = db.backup("handmatig")
    svc.create(sample_case(30))
    safety = SafetyService(svc)
    assert [b.path for b in safety.list_backups()] == [backup]
    with pytest.raises(WrongPassphrase):
        safety.restore(backup, "niet de goede wachtwoordzin")
    assert len(svc.list_summaries()) == 5  # still open and untouched
    report = safety.restore(backup, PASSPHRASE)
    assert report.cases == 4
    assert _snapshot(path) == before


def test_change_passphrase_while_open(tmp_path: Path) -> None:
    from bwo_desktop.services.errors import WrongPassphrase
    from bwo_desktop.services.safety import SafetyService

    path = tmp_path / "bwo.db"
    _filled(path, 1)
    new = "een heel andere wachtzin"
    with open_database(path, PASSPHRASE) as db:
        backup = db.backup("handmatig")
        svc = CaseService(db, user="M. van den Berg")
        safety = SafetyService(svc)
        with pytest.raises(WrongPassphrase):
            safety.change_passphrase("fout fout fout fout", new)
        assert safety.change_passphrase(PASSPHRASE, new) == 1
        # The open database keeps working (the data key did not change).
        svc.create(sample_case(2))
        assert audit.entries(db)[-2].action == "passphrase_change"
    with open_database(path, new) as db:
        assert len(CaseService(db).list_summaries()) == 2
    with open_database(backup, new) as db:
        assert len(CaseService(db).list_summaries()) == 1
