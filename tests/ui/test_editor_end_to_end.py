"""End to end: a whole herindicatie by keyboard, from a planned case to definitief, then what
the database holds. The key presses are counted (fewer is better) and printed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from editor_support import CONSULTANT, KeyCounter, make_world, open_db
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from bwo_desktop.ui.case_editor import CaseEditor

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# Two domains need "overnemen" (score 2) → IB2, as in the example of advice-json.md.
SCORES = "2333424543345"
MOTIVATIONS = ("24/7 nodig", "kan wachten", "IB te licht")


def press_in_next_dialog(keys: KeyCounter, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Answer the next modal dialog with one key press (counted)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        keys.key(
            key,
            text="\r" if key == Qt.Key.Key_Return else "",
            target=dialog.focusWidget() or dialog,
        )

    QTimer.singleShot(20, answer)


def latest_first_of_october() -> dt.date:
    today = dt.date.today()
    day = dt.date(today.year, 10, 1)
    return day if day <= today else dt.date(today.year - 1, 10, 1)


def run_herindicatie(
    qtbot, editor: CaseEditor, keys: KeyCounter, *, override: str | None = None
) -> None:
    if not editor.isVisible():
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.client_page.attended)

    # Cliënt en gesprek: who attended (1 = cliënt en begeleider), consent (J), plan date.
    keys.start("gesprek")
    keys.type("1")
    assert QApplication.focusWidget() is editor.client_page.consent
    keys.type("j")
    assert QApplication.focusWidget() is editor.client_page.plan_date
    keys.type("0110")  # ddmm: the latest 1 October not after today

    # ZRM: 13 digits, the cursor moves on by itself.
    keys.start("zrm")
    keys.shortcut("Ctrl+2")
    assert editor.current_page() == 1
    assert QApplication.focusWidget() is editor.zrm_page.rows[0].selector
    keys.type(SCORES)

    # Criteria: J/N, a short motivation, Tab to the next.
    keys.start("criteria")
    keys.shortcut("Ctrl+3")
    for number, (answer, motivation) in enumerate(zip("jjn", MOTIVATIONS, strict=True)):
        if number:
            keys.tab()
        keys.type(answer)
        keys.type(motivation)

    # Advice: look at it; accept (no key) or override the level with a motivation.
    keys.start("advies")
    keys.shortcut("Ctrl+4")
    if override:
        assert QApplication.focusWidget() is editor.advice_page.override
        keys.type(override[-1])
        keys.type("complexe situatie")

    # Results: the first two results of the first area that needs support.
    keys.start("resultaten")
    keys.shortcut("Ctrl+5")
    keys.space()
    keys.down()
    keys.space()

    # Definitief: Ctrl+6 lands on the button; Enter, and Enter in the confirmation.
    keys.start("definitief")
    keys.shortcut("Ctrl+6")
    assert QApplication.focusWidget() is editor.finish_page.finalise, editor.finish_page.blockers()
    press_in_next_dialog(keys)
    keys.enter()
    qtbot.waitUntil(lambda: editor.case.status == "definitief", timeout=5000)


def open_in_main_window(qtbot, world, keys: KeyCounter):  # type: ignore[no-untyped-def]
    """The shell's main window on the real service; the planned case is opened from the list
    with Enter (the list selects the next planned case by itself)."""
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.main_window import MainWindow, ShellContext

    # The one-time "not encrypted" notice before the beschikking: seen (tested apart).
    settings = Settings(consultant_name=CONSULTANT, export_notice_shown=True)
    context = ShellContext(cases=world.service, settings=settings)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_cases(world.service.list_summaries())
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    window.select_case(world.case_id)
    window.focus_list()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
    keys.start("openen")
    keys.enter()
    qtbot.waitUntil(lambda: isinstance(window.editor, CaseEditor))
    editor = window.editor
    assert isinstance(editor, CaseEditor) and editor.case_id == world.case_id
    return window, editor


def test_standard_herindicatie_by_keyboard(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path)
    keys = KeyCounter()
    window, editor = open_in_main_window(qtbot, world, keys)
    run_herindicatie(qtbot, editor, keys)

    # What the advice shows
    advice = editor.ctx.advice
    assert advice is not None
    assert (
        advice.outcome == "ib_bw"
        and advice.ib_level == "IB2"
        and advice.recommended_ib_level == "IB2"
    )
    assert "IB2" in editor.advice_page.outcome.text()
    assert "IB2" in editor.strip_outcome.text()
    assert "€ 514,37" not in editor.strip_costs.text()  # no opslag/huisvesting here
    assert editor.read_only

    # The beschikking: rendered off the UI thread into the documents folder and opened.
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    monkeypatch.setattr(editor, "documents_folder", lambda: tmp_path / "documenten")
    # The offscreen platform does not hand activation back after the dialog closed.
    editor.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.finish_page.beschikking)
    KeyCounter().enter()
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    pdf = Path(opened[0])
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.name == f"beschikking_{editor.case.reference}_{dt.date.today().isoformat()}.pdf"
    assert "999990019" not in pdf.name

    # Back to the list: the shell flushes and deletes the editor, whose worker then stops.
    # Let the shell's list refreshes (worker threads) finish before its window goes.
    worker = editor.autosaver.worker
    window.back_to_list()
    qtbot.waitUntil(lambda: not worker.alive)
    from bwo_desktop.ui.background import wait_for_background

    qtbot.waitUntil(lambda: wait_for_background(50))
    qtbot.wait(20)

    # What the database holds, from a fresh open
    world.db.close()  # type: ignore[attr-defined]
    from bwo_desktop.services.cases import CaseService

    db = open_db(world.db_path, create=False)
    try:
        stored = CaseService(db).get(world.case_id)
        assert stored.status == "definitief"
        assert stored.conversation.attended_by == "client_and_begeleider"
        assert stored.conversation.consent_share_report is True
        data = stored.assessment or {}
        assert data["support_plan_date"] == latest_first_of_october().isoformat()
        assert data["assessment_date"] == "2026-12-08"
        assert data["period"]["start"] == "2027-01-01"  # the day after the current indication
        assert [data["zrm"][k] for k in data["zrm"]] == [int(c) for c in SCORES]
        assert data["criteria"] == {
            "need_24_7": True,
            "can_postpone": True,
            "regular_ib_fits": False,
        }
        assert [
            stored.motivations[k] for k in ("need_24_7", "can_postpone", "regular_ib_fits")
        ] == list(MOTIVATIONS)
        assert [r.area for r in stored.results] == ["financien", "financien"]
        assert all(r.development == "toename" for r in stored.results)
        assert stored.decision is not None
        assert stored.decision["outcome"] == "ib_bw"
        assert stored.decision["ib_level"] == "IB2"
        codes = [line["code"] for line in stored.decision["lines"]]
        assert codes == ["IB2", "bereikbaarheid"]
        assert Decimal(stored.decision["weekly_total"]) == Decimal("204.12") + Decimal("36.88")
        assert stored.tariffs_used and stored.tariffs_used[0]["valid_from"] == "2021-01-01"
        assert stored.decision_date == dt.date.today()
    finally:
        db.close()

    with capsys.disabled():
        print(f"\nkeystrokes for a standard herindicatie: {keys.count} {keys.by_section}")
    standard = keys.count - keys.by_section.get("gesprek", 0) - keys.by_section.get("openen", 0)
    with capsys.disabled():
        print(f"standard part (13 scores, 3 criteria, advice, 2 results, definitief): {standard}")
    assert standard <= 60


def test_override_keeps_recommendation_and_decision(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(editor)
    keys = KeyCounter()
    run_herindicatie(qtbot, editor, keys, override="IB3")
    advice = editor.ctx.advice
    assert advice.ib_level == "IB3" and advice.recommended_ib_level == "IB2"
    assert "besloten: IB3" in editor.advice_page.level.text()
    editor.autosaver.worker.wait_idle()
    stored = world.service.get(world.case_id)  # type: ignore[attr-defined]
    assert stored.assessment["ib_override"] == {"level": "IB3", "motivation": "complexe situatie"}
    assert stored.decision["ib_level"] == "IB3"
    assert stored.decision["recommended_ib_level"] == "IB2"
    assert stored.decision["lines"][0]["code"] == "IB3"


def test_new_version_keeps_the_old_one(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path, previous=False)
    editor = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(editor)
    run_herindicatie(qtbot, editor, KeyCounter())
    old_id = editor.case_id
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.finish_page.new_version.click()
    qtbot.waitUntil(lambda: editor.case_id != old_id, timeout=5000)
    assert editor.case.status == "concept" and not editor.read_only
    assert world.service.get(old_id).status == "definitief"  # type: ignore[attr-defined]
    assert editor.case.reference == world.service.get(old_id).reference  # type: ignore[attr-defined]
