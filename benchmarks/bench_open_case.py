"""Opening a case: from the request to the first paint of the case editor, on a real encrypted
database, once with the database idle and once while another connection holds the write lock
(an autosave or an import of another window in the middle of its transaction).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_open_case.py [--runs N]

Before issue 11 every read began IMMEDIATE and so waited for the write lock: opening a case
while another connection wrote blocked the UI thread for as long as that write lasted (2.3 s
measured). Reads are now deferred transactions, which never wait for a writer under WAL.
Prints its figures (medians, and the ratio locked / idle); no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bwo-bench-open-"))
    os.environ.setdefault("BWO_DATA_DIR", str(tmp / "userdata"))

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from bwo_desktop.core.case import Address, Begeleider, Client, Planned, Provider
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.ui.case_editor import CaseEditor

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(tmp / "bwo.db", "benchmark passphrase ok", create=True)
    service = CaseService(db, user="bench")
    client = Client(
        bsn="999990019", last_name="Wilde", prefix="de", initials="M.", birth_date=dt.date(1990, 5, 17),
        address=Address("Spuiweg", "12", "3311 GX", "Dordrecht"), provider=Provider("Stichting Het Kompas"),
        begeleider=Begeleider("S. Bakker", "078-1234567", None),
    )  # fmt: skip
    case = service.create_planned(client, Planned(dt.date(2026, 12, 8)), "Dordrecht", "bench")
    assert case.id is not None

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    def open_once() -> float:
        probe = FirstPaint()
        started = time.perf_counter()
        editor = CaseEditor(service, case.id or "")
        editor.installEventFilter(probe)
        editor.show()
        deadline = time.perf_counter() + 30
        while probe.at is None and time.perf_counter() < deadline:
            app.processEvents()
        seconds = (probe.at or time.perf_counter()) - started
        editor.shutdown()
        editor.deleteLater()
        app.processEvents()
        return seconds

    open_once()  # warm: imports, fonts, the catalogue
    idle = [open_once() for _ in range(args.runs)]
    holder = db.engine.connect()
    holder.exec_driver_sql("UPDATE meta SET key = key WHERE 0")  # BEGIN IMMEDIATE: write lock
    try:
        locked = [open_once() for _ in range(args.runs)]
    finally:
        holder.rollback()
        holder.close()
    db.close()
    idle_ms, locked_ms = statistics.median(idle) * 1000, statistics.median(locked) * 1000
    print(f"case opened to first paint of the editor (idle database)   median {idle_ms:7.1f} ms")
    print(f"case opened to first paint, another connection writing    median {locked_ms:7.1f} ms")
    print(f"ratio writing / idle: {locked_ms / idle_ms:.2f}x (before issue 11: ~2.3 s extra)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
