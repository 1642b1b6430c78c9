"""The case editor: one title line inside the shell, the beschikking's export
notice and audit entry, completion marks in the page list, what the advice strip and the
advice page say when the advice is incomplete or has no BW components."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialog_support import copy_db, make_master, open_copy
from editor_support import CONSULTANT, KeyCounter, close_case, make_world, show_main_window
from fakes import open_and_wait
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from bwo_desktop.core.zrm import DOMAIN_KEYS
from bwo_desktop.settings import Settings
from bwo_desktop.ui.case_editor import CaseEditor
from bwo_desktop.ui.case_editor_ui import MARK_BLOCKED, MARK_DONE
from bwo_desktop.ui.main_window import MainWindow, ShellContext

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _shell(qtbot, service, settings: Settings, saved: list[Settings] | None = None) -> MainWindow:
    context = ShellContext(
        cases=service,
        settings=settings,
        save_settings=(saved.append if saved is not None else None),
    )
    return show_main_window(qtbot, context, size=(1366, 768))


def _close(qtbot, window: MainWindow) -> None:
    close_case(qtbot, window)


def test_embedded_editor_has_one_title_line_and_its_own_way_back(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    window = _shell(qtbot, world.service, Settings(consultant_name=CONSULTANT))
    open_and_wait(qtbot, window, world.case_id)
    editor = window.editor
    assert isinstance(editor, CaseEditor)
    assert not window.case_bar.isVisibleTo(window)  # the shell's bar would repeat the name
    assert editor.title.text() == "Mila de Wilde"
    assert "Terug naar lijst" in editor.close_button.text().replace("&", "")
    assert "Esc" in editor.close_button.toolTip()
    worker = editor.autosaver.worker
    editor.close_button.click()
    assert window.stack.currentIndex() == MainWindow.PAGE_LIST
    qtbot.waitUntil(lambda: not worker.alive)
    _close(qtbot, window)


def test_page_marks_follow_the_checklist(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    # A planned case: who attended and the consent are still open, nothing is scored.
    assert editor.page_mark(0) == MARK_BLOCKED
    assert editor.page_mark(1) == MARK_BLOCKED
    assert editor.page_mark(2) == MARK_BLOCKED
    assert editor.nav.item(1).text().endswith(" !")
    assert "definitief" in editor.nav.item(1).toolTip()
    assert editor.nav.item(1).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "ZRM: nog nodig voor definitief"
    )
    editor.go_to_page(1)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.zrm_page.rows[0].selector)
    KeyCounter().type("2333424543345")
    qtbot.waitUntil(lambda: editor.page_mark(1) == MARK_DONE, timeout=3000)
    assert editor.nav.item(1).text().endswith(" ✓")
    assert editor.page_mark(2) == MARK_BLOCKED  # the criteria are still open
    editor.autosaver.worker.wait_idle()


def test_strip_says_what_the_advice_still_needs(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(editor)
    assert editor.ctx.advice is None and editor.ctx.missing
    count = len(editor.ctx.missing)
    text = editor.strip_outcome.text()
    assert f"nog {count} gegeven" in text and "(s)" not in text
    for item in editor.ctx.missing:
        assert item in editor.strip_outcome.toolTip()


def test_advice_page_says_when_bw_choices_do_not_count(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(editor)
    data = editor.ctx.assessment()
    data["zrm"] = dict.fromkeys(DOMAIN_KEYS, 3)
    data["criteria"] = {"need_24_7": True, "can_postpone": True, "regular_ib_fits": True}
    editor.recompute_advice()
    assert editor.ctx.advice.outcome == "regular_ib"
    note = editor.advice_page.not_applicable
    assert not note.isHidden() and "tellen niet mee" in note.text()
    data["criteria"]["regular_ib_fits"] = False
    editor.recompute_advice()
    assert editor.ctx.advice.outcome == "ib_bw"
    assert note.isHidden()


# --- the beschikking from the editor: notice once, audited --------------------------------


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_master(tmp_path_factory.mktemp("review-demo"))


def test_beschikking_from_the_editor_warns_once_and_is_audited(
    qtbot, tmp_path: Path, demo_master: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwo_desktop.services.cases import CaseService

    db = open_copy(copy_db(demo_master, tmp_path))
    service = CaseService(db, user=CONSULTANT)
    saved: list[Settings] = []
    window = _shell(qtbot, service, Settings(consultant_name=CONSULTANT), saved)
    decided = next(s for s in service.list_summaries() if s.status == "definitief")
    notices: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, title, text, *a: notices.append(text)
    )
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    try:
        open_and_wait(qtbot, window, decided.id)
        editor = window.editor
        assert isinstance(editor, CaseEditor)
        folder = tmp_path / "documenten"
        monkeypatch.setattr(editor, "documents_folder", lambda: folder)
        editor.finish_page.beschikking.click()
        qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
        assert len(notices) == 1 and "niet versleuteld" in notices[0]
        assert str(folder) in notices[0]
        assert window.context.settings.export_notice_shown
        assert saved and saved[-1].export_notice_shown
        # A second letter: no notice again; both are in the audit log.
        editor.finish_page.beschikking.click()
        qtbot.waitUntil(lambda: len(opened) == 2, timeout=30_000)
        assert len(notices) == 1
        from bwo_desktop.services.safety import SafetyService

        entries = SafetyService(service).audit_entries(decided.reference)
        exports = [e for e in entries if e.action == "export"]
        assert len(exports) == 2
        assert all((e.details or {}).get("kind") == "beschikking" for e in exports)
        assert (exports[0].details or {}).get("file") == Path(opened[0]).name
    finally:
        _close(qtbot, window)
        db.close()
