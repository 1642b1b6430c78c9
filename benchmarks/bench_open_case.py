"""Opening a case in the shell: from the request to the first paint of the case page (the
shell's frame with the client's name) and to the first paint of the case editor, and the
longest the UI thread was unresponsive meanwhile (the largest gap between ticks of a 5 ms
timer), on a real encrypted database: once idle and once while another connection holds the
write lock (an autosave or an import of another window in the middle of its transaction).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_open_case.py [--runs N]

Before issue 11 every read began IMMEDIATE and so waited for the write lock: opening a case
while another connection wrote blocked the UI thread for as long as that write lasted (2.3 s
measured). Reads are now deferred transactions, which never wait for a writer under WAL, and every read
of opening a case runs on a worker (`ui.case_loading`): the shell paints its frame first.
Prints its figures (medians, and the ratio locked / idle); no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
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

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from bwo_desktop.core.case import Address, Begeleider, Client, Planned, Provider
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.main_window import MainWindow, ShellContext

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

    window = MainWindow(ShellContext(cases=service, settings=Settings()))
    window.load_cases(service.list_summaries())
    window.resize(1280, 720)
    window.show()
    app.processEvents()

    def open_once(writing: bool = False) -> tuple[float, float, float]:
        frame, editor_paint = FirstPaint(), FirstPaint()
        window.stack.widget(MainWindow.PAGE_CASE).installEventFilter(frame)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        holder = db.engine.connect() if writing else None
        if holder is not None:  # BEGIN IMMEDIATE: the write lock, held while the case opens
            holder.exec_driver_sql("UPDATE meta SET key = key WHERE 0")
        started = time.perf_counter()
        window.open_case(case.id or "")
        deadline = started + 30
        while time.perf_counter() < deadline:
            app.processEvents()
            editor = window.editor
            if editor is not None and editor_paint.at is None and not editor.property("probed"):
                editor.setProperty("probed", True)
                editor.installEventFilter(editor_paint)
            if editor_paint.at is not None:
                break
        timer.stop()
        if holder is not None:
            holder.rollback()
            holder.close()
        points = [started, *ticks, editor_paint.at or time.perf_counter()]
        stall = max(b - a for a, b in itertools.pairwise(points))
        result = ((frame.at or started) - started, (editor_paint.at or started) - started, stall)
        window.back_to_list()
        app.processEvents()
        return result

    open_once()  # warm: imports, fonts, the catalogue
    idle = [open_once() for _ in range(args.runs)]
    locked = [open_once(writing=True) for _ in range(args.runs)]
    window.close()
    db.close()

    def ms(runs: list[tuple[float, float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs) * 1000

    for label, runs in (("idle database", idle), ("another connection writing", locked)):
        print(f"{label}:")
        print(f"  case page (shell frame) painted       median {ms(runs, 0):7.1f} ms")
        print(f"  case editor first painted              median {ms(runs, 1):7.1f} ms")
        print(f"  longest UI-thread stall while opening  median {ms(runs, 2):7.1f} ms")
    print(
        f"ratio editor painted, writing / idle: {ms(locked, 1) / ms(idle, 1):.2f}x "
        "(before issue 11: ~2.3 s extra while writing)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
