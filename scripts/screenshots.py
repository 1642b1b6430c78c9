"""Screenshots of the shell and of every page of the case editor, at a given scale, on a demo
database: for looking at the layout (issue 14: 1366×768 at 100 %, 125 % and 150 %).

    QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=1.5 python scripts/screenshots.py OUT_DIR

Writes list.png, page-1.png … page-6.png and prints, per screen, the widgets whose text does
not fit (a label or button narrower than its text needs, a page that scrolls sideways): the
clipped ones to fix. Exit status 1 when anything is clipped (tests/ui/test_screenshots.py).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/screens")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bwo-shots-"))
    os.environ.setdefault("BWO_DATA_DIR", str(tmp / "userdata"))

    from PySide6.QtWidgets import QApplication

    from bwo_desktop.app import install_translations
    from bwo_desktop.services import demo
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.case_editor import CaseEditor
    from bwo_desktop.ui.layout_check import clipped
    from bwo_desktop.ui.main_window import MainWindow, ShellContext

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app)  # type: ignore[arg-type]
    today = dt.date(2026, 12, 8)
    db = open_database(tmp / "bwo.db", demo.DEMO_PASSPHRASE, create=True)
    demo.generate(db, 60, seed=3, today=today)
    service = CaseService(db, user="M. Vermeulen")
    window = MainWindow(
        ShellContext(
            cases=service, settings=Settings(consultant_name="M. Vermeulen"), today=lambda: today
        )
    )
    window.load_cases(service.list_rows())
    # A 1366×768 screen at this scale: that many device pixels, fewer logical ones.
    scale = float(os.environ.get("QT_SCALE_FACTOR", "1") or 1)
    window.show()
    app.processEvents()
    # After the first show: until then the shell's wide arrangement holds the window wider.
    window.setMinimumSize(0, 0)
    window.resize(int(1366 / scale), int(768 / scale) - 40)  # minus the task bar
    app.processEvents()
    problems: dict[str, list[str]] = {"list": clipped(window)}
    print(
        f"list: window {window.width()}×{window.height()} logical, needs at least "
        f"{window.minimumSizeHint().width()}×{window.minimumSizeHint().height()}"
    )
    window.grab().save(str(out / "list.png"))

    concept = next(s for s in service.list_summaries() if s.status == "concept")
    editor = CaseEditor(service, concept.id, window.editor_holder)
    window.editor_layout.addWidget(editor)
    window.stack.setCurrentIndex(MainWindow.PAGE_CASE)
    editor.set_embedded(True)
    window.case_bar.hide()
    for page in range(len(editor.pages)):
        editor.go_to_page(page)
        app.processEvents()
        name = f"page-{page + 1}"
        window.grab().save(str(out / f"{name}.png"))
        problems[name] = clipped(editor)  # the page and the editor's header and strip
        if window.width() > int(1366 / scale):
            problems[name].append(f"window {window.width()} px: wider than the screen")
        hint = window.minimumSizeHint()
        print(
            f"{name}: window {window.width()}×{window.height()}, needs {hint.width()}×{hint.height()}"
        )
    editor.shutdown()
    window.close()
    db.close()
    for screen, found in problems.items():
        print(f"{screen} (scale {scale}): {len(found)} clipped")
        for line in found:
            print(f"  {line}")
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
