"""Persistence figures: demo generation, open (unlock + schema check), the case list and an
autosave, on an encrypted database with N demo cases (default 50,000).

    .venv/bin/python benchmarks/bench_persistence.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.demo import DEMO_PASSPHRASE, generate

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with open_database(path, DEMO_PASSPHRASE, create=True) as db:
            report = generate(db, n, seed=1)
        print(f"demo {n} cases: {report.seconds:.2f} s "
              f"(generate {report.generate_seconds:.2f} s, store {report.store_seconds:.2f} s)")  # fmt: skip
        opens = []
        for _ in range(3):
            db = open_database(path, DEMO_PASSPHRASE)
            opens.append(db.open_seconds)
            db.close()
        print(f"open (scrypt unlock + schema check): {min(opens) * 1000:.0f} ms")
        with open_database(path, DEMO_PASSPHRASE) as db:
            svc = CaseService(db)
            lists = []
            for _ in range(5):
                started = time.perf_counter()
                summaries = svc.list_summaries()
                lists.append(time.perf_counter() - started)
            print(f"list_summaries ({len(summaries)} rows): best {min(lists) * 1000:.0f} ms, "
                  f"median {statistics.median(lists) * 1000:.0f} ms")  # fmt: skip
            rows_times = []
            for _ in range(5):
                started = time.perf_counter()
                svc.list_rows()
                rows_times.append(time.perf_counter() - started)
            print(f"list_rows (columns, for the case list): best {min(rows_times) * 1000:.0f} ms, "
                  f"median {statistics.median(rows_times) * 1000:.0f} ms")  # fmt: skip
            case = svc.get(next(s.id for s in summaries if s.status != "definitief"))
            one = []
            for _ in range(30):
                started = time.perf_counter()
                svc.get_summary(case.id or "")
                one.append(time.perf_counter() - started)
            print(f"get_summary (one row after an autosave): median {statistics.median(one) * 1000:.1f} ms")  # fmt: skip
            saves = []
            for i in range(30):
                case.motivations["zrm"] = f"tekst {i}"
                started = time.perf_counter()
                case = svc.save(case)
                saves.append(time.perf_counter() - started)
            print(f"save (autosave, synchronous=FULL): median {statistics.median(saves) * 1000:.1f} ms, "
                  f"max {max(saves) * 1000:.1f} ms")  # fmt: skip
            started = time.perf_counter()
            backup = db.backup("benchmark")
            print(f"backup: {time.perf_counter() - started:.2f} s, "
                  f"{backup.stat().st_size / 1e6:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
