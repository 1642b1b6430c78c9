"""The case editor: beschikkingen go to the shell's documents folder (the
one the exports use), and every input of a definitief case looks read-only."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from dialog_support import copy_db, make_master, open_copy
from editor_support import CONSULTANT, close_case, show_main_window
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)

from bwo_desktop.settings import Settings
from bwo_desktop.ui.case_editor import CaseEditor
from bwo_desktop.ui.main_window import MainWindow, ShellContext
from bwo_desktop.ui.pages.common import ChoiceSelector
from bwo_desktop.ui.task_dialog import default_documents_folder, documents_folder_of

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def read_only_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_master(tmp_path_factory.mktemp("polish-demo"))


def _polish_shell(qtbot, service, docs: Path) -> MainWindow:
    context = ShellContext(
        cases=service,
        settings=Settings(consultant_name=CONSULTANT, export_notice_shown=True),
        documents_dir=docs,
    )
    return show_main_window(qtbot, context, size=(1366, 768))


def _polish_close(qtbot, window: MainWindow) -> None:
    close_case(qtbot, window)


@contextlib.contextmanager
def _polish_decided(qtbot, tmp_path: Path, master: Path) -> Iterator[tuple[MainWindow, CaseEditor]]:
    """The shell (documents in tmp_path/docs) with a definitief case open in the editor.
    Closed here, inside the test: pytest-qt closes its widgets before fixtures end."""
    from bwo_desktop.services.cases import CaseService

    db = open_copy(copy_db(master, tmp_path))
    service = CaseService(db, user=CONSULTANT)
    window = _polish_shell(qtbot, service, tmp_path / "docs")
    try:
        decided = next(s for s in service.list_summaries() if s.status == "definitief")
        window.open_case(decided.id)
        qtbot.waitUntil(lambda: window.editor is not None, timeout=10_000)
        editor = window.editor
        assert isinstance(editor, CaseEditor) and editor.read_only
        yield window, editor
    finally:
        _polish_close(qtbot, window)
        db.close()


def test_beschikking_goes_to_the_shells_documents_folder(
    qtbot, tmp_path: Path, read_only_master: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _polish_decided(qtbot, tmp_path, read_only_master) as (window, editor):
        _polish_check_beschikking(qtbot, tmp_path, window, editor, monkeypatch)


def _polish_check_beschikking(qtbot, tmp_path, window, editor, monkeypatch) -> None:
    docs = tmp_path / "docs"
    assert editor.documents_folder() == docs
    assert documents_folder_of(window) == docs  # the Excel export and the day batch
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: None)
    editor.finish_page.beschikking.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
    written = Path(opened[0])
    assert written.parent == docs and written.is_file()


def test_default_folder_is_documents_bwo_for_both(qtbot) -> None:
    # Without an override the editor and the exports agree on Documents/BWO.
    assert default_documents_folder(None).name == "BWO"


def _polish_background(widget) -> str:
    image = widget.grab().toImage()
    return image.pixelColor(image.width() - 6, image.height() // 2).name()


def test_every_input_of_a_definitief_case_is_visibly_read_only(
    qtbot, tmp_path: Path, read_only_master: Path
) -> None:
    with _polish_decided(qtbot, tmp_path, read_only_master) as (_window, editor):
        _polish_check_read_only(qtbot, editor)


def _polish_check_read_only(qtbot, editor: CaseEditor) -> None:
    base = editor.palette().color(QPalette.ColorRole.Base).name()
    checked = 0
    for index, page in enumerate(editor.pages):
        editor.go_to_page(index)
        qtbot.wait(10)
        for field in page.findChildren(QLineEdit):
            if isinstance(field.parentWidget(), (QComboBox, QAbstractSpinBox)):
                continue
            assert field.isReadOnly(), f"{page.title}: {field.accessibleName()}"
            if field.isVisible():
                assert _polish_background(field) != base, field.accessibleName()
                checked += 1
        for area in page.findChildren(QPlainTextEdit):
            assert area.isReadOnly(), f"{page.title}: {area.accessibleName()}"
            if area.isVisible():
                assert _polish_background(area.viewport()) != base, area.accessibleName()
        for combo in page.findChildren(QComboBox):
            assert not combo.isEnabled(), f"{page.title}: {combo.accessibleName()}"
        for selector in page.findChildren(ChoiceSelector):
            buttons = selector.findChildren(QPushButton)
            assert buttons and not any(b.isEnabled() for b in buttons), selector.accessibleName()
    assert checked > 5
    date = editor.finish_page.decision_date
    editor.go_to_page(editor.pages.index(editor.finish_page))
    assert date.isReadOnly()
    assert _polish_background(date) != base


def test_choice_inputs_come_back_after_read_only(
    qtbot, tmp_path: Path, read_only_master: Path
) -> None:
    with _polish_decided(qtbot, tmp_path, read_only_master) as (_window, editor):
        _polish_check_toggle(editor)


def _polish_check_toggle(editor: CaseEditor) -> None:
    zrm = editor.zrm_page
    combos = zrm.findChildren(QComboBox)
    assert combos and not any(c.isEnabled() for c in combos)
    zrm.set_read_only(False)
    assert all(c.isEnabled() for c in combos)
    field = zrm.findChildren(QLineEdit)[0]
    assert not field.isReadOnly()
    zrm.set_read_only(True)
    assert not any(c.isEnabled() for c in combos)


def test_verslag_buttons_and_open(
    qtbot, tmp_path: Path, read_only_master: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: "Verslag cliënt" and "Verslag aanbieder" beside "Beschikking maken" (the
    provider's copy greyed without consent), and "Openen" for the document made last."""
    from pypdf import PdfReader

    with _polish_decided(qtbot, tmp_path, read_only_master) as (_window, editor):
        page = editor.finish_page
        consent = editor.ctx.case.conversation.consent_share_report is True
        assert page.verslag_client.isEnabled()
        assert page.verslag_provider.isEnabled() == consent
        assert not page.open_document.isEnabled()  # nothing made yet
        opened: list[str] = []
        monkeypatch.setattr(
            QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
        )
        page.verslag_client.click()
        qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
        written = Path(opened[0])
        assert written.parent == tmp_path / "docs" and "client" in written.name
        text = " ".join(p.extract_text() or "" for p in PdfReader(written).pages)
        assert "Klopt dit verslag?" in text  # the client's copy, not the internal file
        qtbot.waitUntil(page.open_document.isEnabled)
        page.open_document.click()
        assert opened[-1] == str(written) and len(opened) == 2
