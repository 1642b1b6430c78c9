"""Nothing readable at rest: the database, its WAL and shared memory while open, every
backup, the key file and the app's log file hold no BSN, name or note text."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_util import NOTE_TEXTS, PASSPHRASE, bsn, sample_case, scan

from bwo_desktop.services.backups import ensure_daily_backup
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database

N = 4


def _needles() -> list[str]:
    out = [NOTE_TEXTS[0], "Voorstraat", "Anouk Verbeek", "Yılmaz", "Stichting Fictief Wonen"]
    return out + [bsn(n) for n in range(N)]


def test_db_wal_shm_backups_and_key_file_hold_nothing_readable(tmp_path: Path) -> None:
    path = tmp_path / "bwo.db"
    db = open_database(path, PASSPHRASE, create=True)
    try:
        svc = CaseService(db, user="M. van den Berg")
        for n in range(N):
            svc.create(sample_case(n))
        daily = ensure_daily_backup(db).path
        manual = db.backup("handmatig")
        # A later save lives only in the WAL for now.
        case = svc.get(svc.list_summaries()[0].id)
        svc.save(case.__class__(**{**case.__dict__, "zrm_notes": {"financien": NOTE_TEXTS[1]}}))
        wal = Path(f"{path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
        assert daily in files and manual in files and wal in files
        blobs = [p.read_bytes() for p in files]
        assert scan(blobs, [*_needles(), NOTE_TEXTS[1]]) == []
        assert scan(blobs, ["SQLite format 3", "herindicaties", "CREATE TABLE"]) == []
        for p in (path, daily, manual):
            plain = sqlite3.connect(p)
            try:
                with pytest.raises(sqlite3.DatabaseError):
                    plain.execute("SELECT * FROM sqlite_master").fetchall()
            finally:
                plain.close()
    finally:
        db.close()


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    from bwo_desktop.app import setup_logging

    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    path = setup_logging(tmp_path / "logs")
    assert path is not None
    yield path
    for handler in root.handlers:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def test_log_file_holds_no_bsn(
    app_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's log after a start, a refused import and an unexpected error whose message and
    traceback carry a BSN: the scrubber leaves none."""
    from bwo_desktop.app import ExceptionReporter, open_and_load
    from bwo_desktop.core.errors import InputError

    path = tmp_path / "bwo.db"
    with open_database(path, PASSPHRASE, create=True) as db:
        for n in range(N):
            CaseService(db).create(sample_case(n))
    opened = open_and_load(path, PASSPHRASE, create=False)
    try:
        with pytest.raises(InputError) as refused:
            bad = sample_case(0)
            opened.cases.import_case(bad.__class__(**{**bad.__dict__, "reference": "X"}))
            opened.cases.import_case(bad.__class__(**{**bad.__dict__, "reference": "X"}))
        log = logging.getLogger("bwo_desktop")
        log.warning("import geweigerd: %s", refused.value)
        try:
            raise ValueError(f"onverwacht bij cliënt {bsn(1)} ({bsn(2)[:8]})")
        except ValueError as exc:
            monkeypatch.setattr(ExceptionReporter, "_show", lambda self, exc: None)
            reporter = ExceptionReporter(app_log)
            reporter(type(exc), exc, exc.__traceback__)
        log.error("bsn in een bericht: %s", bsn(3))
    finally:
        opened.db.close()
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = app_log.read_text(encoding="utf-8")
    assert "onverwacht bij cliënt [nummer]" in text  # the error was logged, scrubbed
    blobs = [p.read_bytes() for p in app_log.parent.iterdir()]
    assert scan(blobs, [bsn(n) for n in range(N)] + [bsn(2)[:8], NOTE_TEXTS[0]]) == []
