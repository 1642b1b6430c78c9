"""Case list with 50,000 cases: database open to a usable list, and the search per keystroke.

    .venv/bin/python benchmarks/bench_case_list.py [--cases 50000] [--db PATH]

Without --db a demo database is generated once (the persistence layer's demo generator,
about a minute for 50,000 cases) and kept in the temp folder for the next run. Measured in
one process on the offscreen platform, through the real MainWindow and CaseService:
- open: open_database (key derivation, migration check); not part of the list target;
- usable list: list_rows (the list as columns) + search index and default sort (both on a
  worker thread in the app) + building the window, loading the model and painting the
  first screen; the search works from then on. Target <= 0.5 s;
- for comparison: list_summaries (one CaseSummary object per case, for bulk readers) and
  the index built from those objects (the path the list took before list_rows);
- per keystroke: the search field's text changes as a consultant types; "filter" is the
  model update (what the target is about), "with paint" adds repainting the visible rows.
  Target <= 30 ms for the filter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("ç", "çe", "çel", "çeli", "çelik"),
    ("9", "99", "999", "9999", "99990"),
    ("1", "12", "12-", "12-0", "12-03", "12-03-", "12-03-2", "12-03-20", "12-03-202"),
    ("2", "20", "202", "2025", "2025-", "2025-0", "2025-03"),
    ("j", "ja", "jan", "jans", "janse", "jansen"),
    ("w", "wi", "wil", "wild", "wilde", "wilde ", "wilde m"),
    ("b", "bw", "bwo", "bwo-", "bwo-2"),
    ("k", "ko", "kom", "komp", "kompas"),
)


def ensure_database(path: Path | None, cases: int) -> Path:
    from bwo_desktop.services import demo
    from bwo_desktop.services.database import open_database

    if path is not None:
        return path
    folder = Path(tempfile.gettempdir()) / f"bwo-bench-cases-{cases}"
    db_path = folder / "bwo.db"
    if db_path.exists() and db_path.with_name("bwo.db.key").exists():
        return db_path
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("bwo.db*"):
        stale.unlink()
    print(f"generating {cases} demo cases into {db_path} (once) ...", flush=True)
    started = time.perf_counter()
    db = open_database(db_path, demo.DEMO_PASSPHRASE, create=True)
    try:
        demo.generate(db, cases)
    finally:
        db.close()
    print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return db_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("BWO_DATA_DIR", tempfile.mkdtemp(prefix="bwo-bench-data-"))

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    db_path = ensure_database(args.db, args.cases)
    passphrase = os.environ.get("BWO_PASSPHRASE")
    if passphrase is None:
        from bwo_desktop.services.demo import DEMO_PASSPHRASE

        passphrase = DEMO_PASSPHRASE

    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.case_index import CaseIndex, load_case_list
    from bwo_desktop.ui.main_window import MainWindow, ShellContext

    t0 = time.perf_counter()
    db = open_database(db_path, passphrase)
    t_open = time.perf_counter() - t0
    try:
        service = CaseService(db)
        t1 = time.perf_counter()
        rows = service.list_rows()  # the first query after open: a cold page cache
        t_list = time.perf_counter() - t1
        t2 = time.perf_counter()
        index = CaseIndex(rows).prepare()
        t_index = time.perf_counter() - t2
        t3 = time.perf_counter()
        window = MainWindow(ShellContext(cases=service, settings=Settings(), db_path=db_path))
        t_window = time.perf_counter() - t3
        window.load_cases(rows, index)
        window.show()
        app.processEvents()
        window.table.viewport().repaint()
        t_ui = time.perf_counter() - t3
        usable = t_list + t_index + t_ui

        print(f"cases in the list        : {window.proxy.total_count():,}".replace(",", "."))
        print(f"open database            : {t_open * 1000:7.1f} ms (key derivation, schema check)")
        print(f"list_rows                : {t_list * 1000:7.1f} ms (worker thread in the app)")
        print(f"search index + sort      : {t_index * 1000:7.1f} ms (worker thread in the app)")
        print(
            f"window + model + paint   : {t_ui * 1000:7.1f} ms"
            f" (of which building the window {t_window * 1000:.1f} ms)"
        )
        verdict = "OK" if usable <= 0.5 else "TOO SLOW"
        print(
            f"usable list after open   : {usable * 1000:7.1f} ms  (target <= 500 ms) {verdict}"
            " (rows shown, search ready)"
        )

        # The same work again, warm, a few times (the machine may be shared: medians).
        warm_list: list[float] = []
        old_list: list[float] = []
        old_index: list[float] = []
        for _ in range(3):
            k0 = time.perf_counter()
            rows_again, _index = load_case_list(service)
            k1 = time.perf_counter()
            summaries = service.list_summaries()
            k2 = time.perf_counter()
            CaseIndex(summaries).prepare()
            k3 = time.perf_counter()
            warm_list.append(k1 - k0)
            old_list.append(k2 - k1)
            old_index.append(k3 - k2)
            del rows_again, _index, summaries
        print(
            f"warm list_rows + index   : {statistics.median(warm_list) * 1000:7.1f} ms (median of 3)"
        )
        print(
            f"  for comparison, objects: list_summaries {statistics.median(old_list) * 1000:.1f} ms"
            f" + index from them {statistics.median(old_index) * 1000:.1f} ms"
        )

        filter_ms: list[float] = []
        total_ms: list[float] = []
        print("\nper keystroke (filter / with paint, ms; rows shown):")
        for sequence in SEQUENCES:
            window.search_edit.clear()
            app.processEvents()
            parts = []
            for text in sequence:
                k0 = time.perf_counter()
                window.search_edit.setText(text)  # textChanged -> filter, as when typing
                k1 = time.perf_counter()
                window.table.viewport().repaint()
                app.processEvents()
                k2 = time.perf_counter()
                filter_ms.append((k1 - k0) * 1000)
                total_ms.append((k2 - k0) * 1000)
                parts.append(
                    f"{text!r} {filter_ms[-1]:.1f}/{total_ms[-1]:.1f} ({window.proxy.rowCount()})"
                )
            print("  " + ", ".join(parts))
        worst = max(filter_ms)
        verdict = "OK" if worst <= 30 else "TOO SLOW"
        print(
            f"\nfilter per keystroke     : median {statistics.median(filter_ms):.1f} ms, "
            f"max {worst:.1f} ms  (target <= 30 ms) {verdict}"
        )
        print(
            f"with repaint             : median {statistics.median(total_ms):.1f} ms, "
            f"max {max(total_ms):.1f} ms"
        )
        window.close()
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
