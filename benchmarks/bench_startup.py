"""Start-up: process start to the first window painted, the app against a bare PySide6 window.

Both run as fresh subprocesses on the offscreen platform, alternately, several times; the
figure is the median wall time from spawning the process to the line the child prints from
the first paint of its window. Target: the app at most 1.5x the bare window.

    .venv/bin/python benchmarks/bench_startup.py [--runs 9]

The app runs as `python -m bwo_desktop --db <file>` with BWO_STARTUP_PROBE=1 (app.py prints
`BWO_EXPOSED ...` from the unlock window's first paint and quits), on an existing database
file, so it shows the unlock form a consultant sees every morning.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()
window.setWindowTitle("bare")
window.resize(520, 280)

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            print("BWO_EXPOSED", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

probe = Probe()
window.installEventFilter(probe)
window.show()
sys.exit(app.exec())
"""


def time_to_first_paint(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = ""
    for line in proc.stdout:
        if line.startswith("BWO_EXPOSED"):
            break
    elapsed = time.perf_counter() - started
    _out, err = proc.communicate(timeout=60)
    if not line.startswith("BWO_EXPOSED"):
        raise SystemExit(f"no window from {cmd[:3]}: {err.strip()[-500:]}")
    return elapsed, line.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bwo-bench-") as folder:
        db = Path(folder) / "bwo.db"
        db.write_bytes(b"\0")  # an existing database: the unlock form (nothing is opened)
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            BWO_STARTUP_PROBE="1",
            BWO_DATA_DIR=folder,
        )
        env.pop("BWO_PASSPHRASE", None)
        app_cmd = [sys.executable, "-m", "bwo_desktop", "--db", str(db)]
        bare_cmd = [sys.executable, "-c", BARE]
        # One warm-up each: the first run pays for the OS file cache.
        time_to_first_paint(bare_cmd, env)
        time_to_first_paint(app_cmd, env)
        app_times: list[float] = []
        bare_times: list[float] = []
        probe_line = ""
        for _ in range(args.runs):
            bare_times.append(time_to_first_paint(bare_cmd, env)[0])
            elapsed, probe_line = time_to_first_paint(app_cmd, env)
            app_times.append(elapsed)

    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    ratio = app_median / bare_median
    print(f"runs: {args.runs} each, platform {env['QT_QPA_PLATFORM']}")
    print(
        f"bare PySide6 window : median {bare_median * 1000:7.1f} ms  (min {min(bare_times) * 1000:.1f})"
    )
    print(
        f"bwo-desktop unlock  : median {app_median * 1000:7.1f} ms  (min {min(app_times) * 1000:.1f})"
    )
    print(
        f"ratio               : {ratio:.2f}x  (target <= 1.50x) {'OK' if ratio <= 1.5 else 'TOO SLOW'}"
    )
    heavy = probe_line.split("heavy=")[-1] if "heavy=" in probe_line else "?"
    print(f"heavy modules loaded before the first paint: {heavy or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
