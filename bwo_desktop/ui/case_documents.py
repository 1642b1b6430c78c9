"""The documents of the open case: the beschikking and the two onderzoeksverslagen, made by
the letter service on a worker thread from the STORED case (a definitief case prints its
frozen decision; the service writes the audit entry), and opened with the system's viewer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from bwo_desktop.ui.background import BackgroundTask
from bwo_desktop.ui.operations import CaseOp, failure_text
from bwo_desktop.ui.ports import LetterPort

if TYPE_CHECKING:
    from bwo_desktop.ui.case_editor import CaseEditor

log = logging.getLogger(__name__)


class CaseDocuments(QObject):
    """Makes and opens the documents of one editor's case."""

    def __init__(self, editor: CaseEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.last_document: Path | None = None
        self.task: BackgroundTask | None = None
        self._title = "Beschikking"

    def make_beschikking(self) -> None:
        letters = self.letter_service()
        self._make("Beschikking", lambda cid, folder: letters.beschikking(cid, folder))

    def make_verslag(self, copy: str) -> None:
        """ "client" (the client's B1 copy) or "provider" (only with the client's consent:
        the button is greyed without it, and the service refuses too)."""
        letters = self.letter_service()
        self._make("Onderzoeksverslag", lambda cid, folder: letters.verslag(cid, folder, copy=copy))

    def open_last_document(self) -> None:
        """Open the document made last with the system's PDF viewer."""
        if self.last_document is not None and self.last_document.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_document)))

    def letter_service(self) -> LetterPort:
        """The shell's letter service (the one owner of "the advice of a decided case"),
        else one over the editor's case service with the rules the editor loaded (those
        matter for a concept only: a definitief case prints its frozen rules)."""
        editor = self._editor
        if editor.letters is None:
            from bwo_desktop.services.letters import LetterService

            rules, organisation = editor.rules, editor.organisation
            editor.letters = LetterService(
                editor.service,
                rules=lambda: rules,
                organisation=None if organisation is None else (lambda: organisation),
            )
        return editor.letters

    def _make(self, title: str, make: Callable[[str, Path], Path]) -> None:
        editor = self._editor
        if editor.case.status != "definitief":
            QMessageBox.information(editor, title, "Maak de zaak eerst definitief.")
            return
        folder = editor.documents_folder()
        if editor.before_export is not None:
            editor.before_export(folder)  # the one-time "PDFs are not encrypted" notice
        case_id = editor.case_id
        self._title = title
        editor.finish_page.set_busy(f"{title} wordt gemaakt…")
        editor.finish_page.set_documents_enabled(False)
        self.task = (
            CaseOp(editor, lambda: make(case_id, folder), what=title)
            .success(self._done)
            .failure(self._failed)
            .run_in_background()
        )

    def _done(self, path: Path) -> None:
        page = self._editor.finish_page
        page.set_busy(f"{self._title} opgeslagen: {path.name}")
        self.last_document = path
        page.set_documents_enabled(True, has_last=True)
        self._editor.case_changed.emit(self._editor.case_id)  # the list shows the letter
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _failed(self, exc: BaseException) -> None:
        page = self._editor.finish_page
        page.set_busy("")
        page.set_documents_enabled(True, has_last=self.last_document is not None)
        log.warning("document failed: %s", type(exc).__name__)
        QMessageBox.warning(
            self._editor,
            self._title,
            f"{self._title}: het document kon niet worden gemaakt. {failure_text(exc)}",
        )
