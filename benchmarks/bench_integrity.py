"""Integrity check at open on a 50,000-case database: SQLCipher's HMAC check of every page
(`PRAGMA cipher_integrity_check`, what the open runs) and SQLite's `PRAGMA quick_check`,
each in seconds and as a ratio to the plain open (key unwrap, lock, schema check) measured
after one untimed warm-up open.

    .venv/bin/python benchmarks/bench_integrity.py [--cases 50000] [--db PATH] [--runs 3]

The database is the one bench_case_list.py builds (its `ensure_database`, kept in the temp
folder); opened with the demo passphrase unless BWO_PASSPHRASE is set. Medians of --runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("BWO_DATA_DIR", tempfile.mkdtemp(prefix="bwo-bench-data-"))

    from bench_case_list import ensure_database

    from bwo_desktop.services import integrity, keys
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.demo import DEMO_PASSPHRASE

    db_path = ensure_database(args.db, args.cases)
    passphrase = os.environ.get("BWO_PASSPHRASE") or DEMO_PASSPHRASE
    size = db_path.stat().st_size
    data_key = keys.unlock_key_file(keys.key_file_for(db_path), passphrase)

    def plain_open() -> None:
        open_database(db_path, passphrase, check_integrity=False).close()

    def checked_open() -> None:
        open_database(db_path, passphrase).close()

    def background_open() -> None:
        # What the app does: the open returns at once, the list loads while the check runs.
        db = open_database(db_path, passphrase, check_integrity="background")
        db.close()  # waits for the check

    def cipher() -> None:
        assert integrity.cipher_failures(db_path, data_key) == []

    def quick() -> float:
        # Timed inside the open: subtracting a separately measured open went below zero
        # whenever the two opens differed by more than the check takes (--runs 1, a cold
        # cache on the first open).
        db = open_database(db_path, passphrase, check_integrity=False)
        try:
            started = time.perf_counter()
            assert integrity.quick_check(db.engine) == []
            return time.perf_counter() - started
        finally:
            db.close()

    plain_open()  # warm-up, untimed: the first open alone pays for the cold file cache
    plain = _median(args.runs, plain_open)
    rows = [
        ("plain open (no page check)", plain),
        ("open with cipher_integrity_check", _median(args.runs, checked_open)),
        ("open, background check, close", _median(args.runs, background_open)),
        ("cipher_integrity_check alone", _median(args.runs, cipher)),
        ("quick_check alone", statistics.median(quick() for _ in range(args.runs))),
    ]
    print(f"database: {size / 1e6:.1f} MB, {size // integrity.PAGE_SIZE} pages, {args.cases} cases")
    for label, seconds in rows:
        print(f"{label:<36} {seconds:7.3f} s   {seconds / plain:5.1f}x plain open")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
