"""Autosave of one edit: the service's save time (target < 10 ms) and the time the UI thread
spends per keystroke (the save itself runs on the editor's worker thread).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_autosave.py [--edits N]

Uses a real encrypted database in a temporary folder. Prints its figures; no assertions.
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


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _summary(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1] if len(samples) >= 20 else samples[-1]
    print(
        f"{name:<48} median {_ms(statistics.median(samples))}  p95 {_ms(p95)}  max {_ms(samples[-1])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bwo-bench-autosave-"))
    os.environ.setdefault("BWO_DATA_DIR", str(tmp / "userdata"))

    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent
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

    # 1. The service's save of one edit (what the worker thread does per autosave).
    case.status = "concept"
    save_times: list[float] = []
    for i in range(args.edits):
        case.conversation.location = f"Dordrecht {i}"
        started = time.perf_counter()
        case = service.save(case)
        save_times.append(time.perf_counter() - started)
    print(f"database: SQLCipher file in {tmp}")
    _summary("service.save (one edit, worker thread)", save_times)

    # 2. The UI thread per keystroke in the editor: a text field and a ZRM score (which also
    #    recomputes the live advice).
    editor = CaseEditor(service, case.id, autosave_delay_ms=400)
    editor.resize(1366, 700)
    editor.show()
    for _ in range(20):
        app.processEvents()

    def press(widget, key: Qt.Key, text: str) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
        )
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, text)
        )
        return time.perf_counter() - started

    field = editor.client_page.previous_arrangement
    field.setFocus()
    key_times = []
    for i in range(args.edits):
        char = "abcdefghij"[i % 10]
        key_times.append(press(field, Qt.Key(ord(char.upper())), char))
        if i % 20 == 0:
            QCoreApplication.processEvents()
    _summary("UI thread per keystroke (text field)", key_times)

    # Answer the criteria so each score runs the whole advice (lines over the period's days).
    editor.ctx.section("criteria").update(need_24_7=True, can_postpone=True, regular_ib_fits=False)
    editor.go_to_page(1)
    score_times = []
    for i in range(args.edits):
        row = editor.zrm_page.rows[i % 13]
        digit = str(1 + i % 5)
        score_times.append(press(row.selector, Qt.Key(ord(digit)), digit))
    _summary("UI thread per ZRM score (incl. live advice)", score_times)
    advice_times = []
    for _ in range(args.edits):
        editor.recompute_advice()
        advice_times.append(editor.advice_seconds)
    assert editor.ctx.advice is not None, editor.ctx.missing
    _summary("live advice (advise_partial, complete input)", advice_times)

    # 3. The snapshot the UI thread takes per autosave, and edit → database latency.
    editor.autosaver.ui_thread_seconds = 0.0
    snapshots = 0
    latencies = []
    for i in range(20):
        text = f"latency {i}"
        editor.ctx.case.conversation.location = text
        editor.ctx.edited()
        started = time.perf_counter()
        snapshots += 1
        while service.get(case.id).conversation.location != text:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        latencies.append(time.perf_counter() - started)
    print(
        f"{'UI thread per autosave (snapshot of the draft)':<48} "
        f"{_ms(editor.autosaver.ui_thread_seconds / snapshots)}"
    )
    _summary("edit → in the database (debounce 400 ms)", latencies)
    editor.autosaver.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
