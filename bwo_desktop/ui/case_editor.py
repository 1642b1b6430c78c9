"""The case editor: one herindicatie from planned to definitief, on six pages with live advice.

The pages edit a draft `Case` in memory (Picard's wizard, but saved as it goes): every edit
reaches the database within a second through `Autosaver`, on a worker thread, so typing never
waits for the disk. The advice is recomputed on the UI thread when the assessment changes
(it takes about a millisecond; debounced when it gets slower). Keyboard: Ctrl+1..6 or
Ctrl+PgUp/PgDn change page; each page puts the cursor where its work starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from bwo_desktop.core.bsn import mask_bsn
from bwo_desktop.core.case import STATUS_NAMES, Case
from bwo_desktop.core.errors import describe_os_error
from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.core.names import full_name
from bwo_desktop.core.periods import default_period_end
from bwo_desktop.ui.autosave import Autosaver, dutch_message, error_kind
from bwo_desktop.ui.case_documents import CaseDocuments
from bwo_desktop.ui.case_editor_ui import (
    setup_ui,
    show_advice_strip,
    show_page_marks,
)
from bwo_desktop.ui.case_loading import (
    UI_STATE_PREFIX,
    LoadedCase,
    default_period_start,
    load_for_editor,
    prepare_draft,
)
from bwo_desktop.ui.case_view import CaseView
from bwo_desktop.ui.pages.advice_page import AdvicePage, outcome_title
from bwo_desktop.ui.pages.client_page import ClientPage
from bwo_desktop.ui.pages.common import EditorContext, Page
from bwo_desktop.ui.pages.criteria_page import CriteriaPage
from bwo_desktop.ui.pages.finish_page import FinishPage
from bwo_desktop.ui.pages.results_page import ResultsPage
from bwo_desktop.ui.pages.zrm_page import ZrmPage
from bwo_desktop.ui.ports import CaseStore, DecisionPort, LetterPort

log = logging.getLogger(__name__)
MSG_LEASED = (
    "Deze casus is in bezit van {holder}: alleen die laptop kan hem wijzigen. U kunt hem "
    "inzien; de teamleider kan de uitleen verbreken."
)

SLOW_ADVICE_SECONDS = 0.004
ADVICE_DEBOUNCE_MS = 150
MARKS_DELAY_MS = 300


class CaseEditor(CaseView):
    """Editor of one case. The shell embeds it, connects `case_changed` / `closed` and calls
    `ensure_saved()` before an idle lock, another case or quit."""

    has_header = True

    # The frame's widgets, made by setup_ui (ui.case_editor_ui).
    title: QLabel
    details: QLabel
    save_state: QLabel
    close_button: QPushButton
    banner: QFrame
    banner_text: QLabel
    keep_mine: QPushButton
    reload_button: QPushButton
    banner_close: QToolButton
    nav: QListWidget
    stack: QStackedWidget
    pages: list[Page]
    client_page: ClientPage
    zrm_page: ZrmPage
    criteria_page: CriteriaPage
    advice_page: AdvicePage
    results_page: ResultsPage
    finish_page: FinishPage
    strip: QFrame
    strip_outcome: QLabel
    strip_costs: QLabel
    strip_warnings: QToolButton

    def __init__(
        self,
        service: CaseStore,
        case_id: str,
        parent: QWidget | None = None,
        *,
        tariffs: Any = None,
        rules: Any = None,
        organisation: Any = None,
        autosave_delay_ms: int | None = None,
        documents_dir: Path | None = None,
        loaded: LoadedCase | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseEditor")
        self.service = service
        # The shell hands in its services (CaseEditorFactory); None: built over `service`
        # when first needed.
        self.decisions: DecisionPort | None = None
        self.letters: LetterPort | None = None
        self.case_id = case_id
        self._organisation = organisation
        self._documents_dir = documents_dir  # None: Documents/BWO, as the shell's exports
        self.ui_state_store: CaseStore = service
        if loaded is None:  # on its own (tests, benchmarks): read here, on this thread
            loaded = load_for_editor(service, case_id, tariffs=tariffs, rules=rules)
        case = loaded.case
        self._notices = list(loaded.notices)
        self._leased_to = loaded.leased_to if loaded.case.status != "definitief" else None
        if self._leased_to:
            self._notices.insert(0, MSG_LEASED.format(holder=self._leased_to))
        self._position = loaded.position
        self._tariffs = loaded.tariffs
        self._rules = loaded.rules
        self.ctx = EditorContext(
            case,
            catalogue=loaded.catalogue,
            rules=self._rules,
            tariffs=self._tariffs,
            anchors=loaded.anchors,
            previous=loaded.previous,
            on_edit=self._on_edit,
        )
        kwargs = {} if autosave_delay_ms is None else {"delay_ms": autosave_delay_ms}
        self.autosaver = Autosaver(service, case, parent=self, **kwargs)
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.failed.connect(self._on_save_failed)
        self.autosaver.state_changed.connect(self._on_save_state)
        self._advice_timer = QTimer(self)
        self._advice_timer.setSingleShot(True)
        self._advice_timer.setInterval(ADVICE_DEBOUNCE_MS)
        self._advice_timer.timeout.connect(self.recompute_advice)
        self.advice_seconds = 0.0
        self._banner_kind = ""
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(MARKS_DELAY_MS)
        self._marks_timer.timeout.connect(self.update_page_marks)
        self.documents = CaseDocuments(self)
        self._build()
        self.finish_page.goto_field.connect(self._focus_field)
        self.finish_page.next_client_requested.connect(self.next_client_requested)
        self.recompute_advice()
        self._apply_case()
        self._restore_position()
        self.autosaver.call(lambda: service.record_view(case_id))

    # -- layout: ui.case_editor_ui -------------------------------------------------------
    def _build(self) -> None:
        setup_ui(self)

    # -- state ----------------------------------------------------------------------------
    @property
    def case(self) -> Case:
        return self.ctx.case

    @property
    def rules(self) -> Any:
        return self._rules

    @property
    def organisation(self) -> Any:
        return self._organisation

    @property
    def read_only(self) -> bool:
        return self.ctx.read_only

    def current_page(self) -> int:
        return self.stack.currentIndex()

    def _apply_case(self) -> None:
        """Show the (new) draft: header, read-only state, every page."""
        case = self.ctx.case
        definitief = case.status == "definitief"
        read_only = definitief or bool(self._leased_to)
        self.ctx.read_only = read_only
        self.autosaver.set_enabled(not read_only)
        self.ctx.read_only_changed.emit(read_only)
        for page in self.pages:
            page.load()
        self._update_header()
        self._update_strip()
        self.update_page_marks()
        if self._notices:
            self._show_banner(" ".join(self._notices), conflict=False)

    def _update_header(self) -> None:
        case = self.ctx.case
        self.title.setText(full_name(case.client))
        parts = [f"kenmerk {case.reference}" if case.reference else "nog geen kenmerk"]
        parts.append(STATUS_NAMES.get(case.status, case.status))
        if self._leased_to and case.status != "definitief":
            parts.append(f"alleen inzien: in bezit van {self._leased_to}")
        parts.append(f"BSN {mask_bsn(case.client.bsn)}")
        parts.append(f"geboren {format_date_short(case.client.birth_date)}")
        if case.client.provider and case.client.provider.name:
            parts.append(case.client.provider.name)
        if case.planned is not None:
            when = format_date_short(case.planned.date)
            if case.planned.time is not None:
                when += f" {case.planned.time.strftime('%H:%M')}"
            parts.append(f"gesprek {when}")
        self.details.setText(" · ".join(parts))

    def offer_next_client(self, offered: bool) -> None:
        self.finish_page.offer_next_client(offered)

    def set_embedded(self, embedded: bool = True) -> None:
        """Inside the main window: the editor's header is the only title line, and its close
        button is the way back to the list (the shell hides its own bar)."""
        if embedded:
            self.close_button.setText("← &Terug naar lijst")
            self.close_button.setAccessibleName("Terug naar de lijst met casussen")
            self.close_button.setToolTip("Terug naar de lijst (Esc of Alt+Links)")
        else:
            self.close_button.setText("Sluiten")
            self.close_button.setAccessibleName("Casus sluiten en terug naar de lijst")
            self.close_button.setToolTip("Casus sluiten en terug naar de lijst (Esc)")

    def update_page_marks(self) -> None:
        """✓ after a page that is complete, ! after one with something that blocks
        definitief (the checklist of the Afronden page decides)."""
        self._marks_timer.stop()
        show_page_marks(self)

    def page_mark(self, index: int) -> str:
        item = self.nav.item(index)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, str) else ""

    def _update_strip(self) -> None:
        show_advice_strip(self)

    # -- navigation -----------------------------------------------------------------------
    def go_to_page(self, index: int) -> None:
        index = max(0, min(len(self.pages) - 1, index))
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        else:
            self.pages[index].focus_first()

    def _focus_field(self, index: int, field: str) -> None:
        """After a checklist line took the editor to its page: the field it is about."""
        if self.current_page() == index:
            self.pages[index].focus_field(field)

    def _on_nav(self, index: int) -> None:
        if index < 0:
            return
        self.autosaver.flush(wait=False)
        if self._marks_timer.isActive():
            self.update_page_marks()
        page = self.pages[index]
        page.load()
        self.stack.setCurrentIndex(index)
        page.focus_first()
        self._store_position()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.pages[self.current_page()].focus_first()

    def _restore_position(self) -> None:
        state = self._position
        page = 0
        if isinstance(state, dict):
            raw = state.get("page")
            page = raw if isinstance(raw, int) and 0 <= raw < len(self.pages) else 0
            self.zrm_page.restore_position(state.get("domain"))
        elif self.ctx.case.status == "definitief":
            page = len(self.pages) - 1
        self.nav.setCurrentRow(page)
        QTimer.singleShot(0, self, self._focus_current)

    def _focus_current(self) -> None:
        """Deferred until the editor is shown: the page's first field gets the cursor, unless
        the consultant is already typing in the page (the cursor must not jump away then:
        the next keys would land in another field)."""
        if not self.isVisible():
            return
        page = self.pages[self.current_page()]
        focused = QApplication.focusWidget()
        if focused is not None and page.isAncestorOf(focused):
            return
        page.focus_first()

    def _store_position(self) -> None:
        state = {"page": self.current_page(), "domain": self.zrm_page.ui_position()}
        key = UI_STATE_PREFIX + self.case_id
        store = self.ui_state_store
        self.autosaver.call(lambda: store.set_ui_state(key, state))

    # -- edits and advice -----------------------------------------------------------------
    def _on_edit(self, assessment: bool) -> None:
        case = self.ctx.case
        if case.status == "planned":
            case.status = "concept"
            self._update_header()
        self.autosaver.mark_dirty()
        self._marks_timer.start()
        if assessment:
            if self.advice_seconds > SLOW_ADVICE_SECONDS:
                self._advice_timer.start()
            else:
                self.recompute_advice()

    def recompute_advice(self) -> None:
        from bwo_desktop.core.assessment_json import advise_partial

        self._advice_timer.stop()
        started = time.perf_counter()
        try:
            advice, missing = advise_partial(
                self.ctx.case.assessment or {}, self._tariffs, self._rules
            )
        except Exception as exc:  # a draft the engine cannot read yet: say so, don't crash
            log.warning("advice not computed: %s", type(exc).__name__)
            advice, missing = None, ["de invoer kan (nog) niet worden berekend"]
        self.advice_seconds = time.perf_counter() - started
        self.ctx.advice = advice
        self.ctx.missing = missing
        self.ctx.advice_changed.emit()
        self._update_strip()

    # -- autosave -------------------------------------------------------------------------
    def flush(self) -> bool:
        """Write pending edits now and wait for them; True when everything is on disk."""
        self._store_position()
        return self.autosaver.flush(wait=True)

    def ensure_saved(self, action: str) -> bool:
        """Before closing, locking, definitief or a new version: everything must be on disk.
        When it is not, the consultant gets a Dutch message with "Opnieuw proberen"; the
        draft stays in the screen either way. True when the action may go ahead."""
        while not self.flush():
            reason = self.autosaver.unsaved_reason() or "het opslaan is niet gelukt"
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Niet opgeslagen")
            box.setText(f"{action} kan nu niet: {reason}.")
            box.setInformativeText(
                "Uw invoer staat nog in het scherm en gaat niet verloren. Probeer het opslaan "
                "opnieuw, of annuleer en probeer het later."
            )
            retry = box.addButton("Opnieuw proberen", QMessageBox.ButtonRole.AcceptRole)
            cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(retry)
            box.setEscapeButton(cancel)
            box.exec()
            if box.clickedButton() is not retry:
                return False
        return True

    def close_editor(self) -> None:
        if self.ensure_saved("Sluiten"):
            self.closed.emit()

    def _on_save_state(self, state: str) -> None:
        texts = {"dirty": "Wijzigingen…", "saving": "Opslaan…", "failed": "Niet opgeslagen"}
        if state == "saved":
            self.save_state.setText("Opgeslagen " + dt.datetime.now().strftime("%H:%M:%S"))
        else:
            self.save_state.setText(texts.get(state, ""))

    def _on_saved(self, saved: Case) -> None:
        case = self.ctx.case
        case.version = saved.version
        case.updated_at = saved.updated_at
        if case.id is None:
            case.id = saved.id
        if saved.reference and not case.reference:
            case.reference = saved.reference
            self._update_header()
        if self._banner_kind == "save":
            self.banner.hide()  # the problem that kept a save back is over
            self._banner_kind = ""
        self.case_changed.emit(self.case_id)

    def _on_save_failed(self, kind: str, message: str) -> None:
        self._show_banner(message, conflict=kind == "conflict")
        self._banner_kind = "conflict" if kind == "conflict" else "save"

    def _show_banner(self, message: str, *, conflict: bool) -> None:
        self._banner_kind = "notice"
        self.banner_text.setText(message)
        self.keep_mine.setVisible(conflict)
        self.reload_button.setVisible(conflict)
        self.banner.show()

    def _keep_mine(self) -> None:
        case_id = self.case_id

        def current_version() -> int:
            version: int = self.service.get(case_id).version
            return version

        self.autosaver.call_async(current_version, self._save_over, self._service_failed)

    def _save_over(self, version: int) -> None:
        self.banner.hide()
        self.autosaver.force_version(version)

    def _reload(self) -> None:
        self.banner.hide()
        self.autosaver.call_async(
            lambda: self.service.get(self.case_id), self._replace_case, self._service_failed
        )

    def _replace_case(self, case: Case) -> None:
        prepare_draft(case)
        self.ctx.case = case
        self.autosaver.set_draft(case)
        self.recompute_advice()
        self._apply_case()
        self.pages[self.current_page()].focus_first()

    def _service_failed(self, exc: BaseException) -> None:
        self.finish_page.set_busy("")
        if error_kind(exc) != "error":
            text = dutch_message(exc)
        elif isinstance(exc, OSError):
            text = f"Niet gelukt: {describe_os_error(exc)}."
        else:
            text = f"Niet gelukt: {exc}"
        self._show_banner(text, conflict=False)

    # -- definitief, new version ----------------------------------------------------------
    def finalise(self) -> None:
        if self.read_only:
            return
        self.recompute_advice()
        blockers = self.finish_page.blockers()
        if blockers:
            QMessageBox.information(
                self,
                "Nog niet compleet",
                "De zaak kan nog niet definitief worden:\n\n"
                + "\n".join(f"• {b.text}" for b in blockers[:12])
                + ("\n…" if len(blockers) > 12 else ""),
            )
            self.go_to_page(5)
            return
        advice = self.ctx.advice
        assert advice is not None
        case = self.ctx.case
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Definitief maken")
        box.setText(f"Zaak {case.reference or ''} van {full_name(case.client)} definitief maken?")
        box.setInformativeText(
            f"Besluit: {outcome_title(advice)}.\n"
            "Daarna is de zaak alleen-lezen; wijzigen kan alleen in een nieuwe versie."
        )
        confirm = box.addButton("Definitief maken", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not confirm:
            return
        if case.decision_date is None:
            case.decision_date = dt.date.today()
            self.autosaver.mark_dirty()
        # The decision is computed from the STORED case: first everything must be saved.
        if not self.ensure_saved("Definitief maken"):
            return
        decisions = self.decisions
        if decisions is None:
            from bwo_desktop.services.decisions import DecisionService

            decisions = self.decisions = DecisionService(
                cast(Any, self.service), tariffs=lambda: self._tariffs, rules=lambda: self._rules
            )
        case_id, worker = self.case_id, self.autosaver.worker

        def run() -> Case:
            result: Case = decisions.finalise(case_id, worker.version)
            return result

        self.finish_page.set_busy("Bezig met definitief maken…")
        self.autosaver.call_async(run, self._finalised, self._service_failed)

    def _finalised(self, case: Case) -> None:
        self.finish_page.set_busy("")
        self.ctx.case = case
        self.autosaver.set_draft(case)
        self.recompute_advice()
        self._apply_case()
        self.go_to_page(5)
        self.case_changed.emit(self.case_id)

    def new_version(self) -> None:
        if self.ctx.case.status != "definitief":
            return
        if not self.ensure_saved("Een nieuwe versie maken"):
            return
        answer = QMessageBox.question(
            self,
            "Nieuwe versie",
            "Een nieuwe conceptversie van deze zaak maken? De definitieve versie blijft bewaard.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # a stray Enter must not reopen a decided case
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        case_id = self.case_id
        self.autosaver.call_async(
            lambda: self.service.new_version(case_id), self._new_version_made, self._service_failed
        )

    def _new_version_made(self, case: Case) -> None:
        assert case.id is not None
        self.case_id = case.id
        self._replace_case(case)
        self.go_to_page(0)
        self.case_changed.emit(case.id)

    # -- beschikking ----------------------------------------------------------------------
    def documents_folder(self) -> Path:
        """Where the beschikking goes: the shell's documents folder (Documents/BWO), the
        same folder as the Excel overview and the day batch."""
        from bwo_desktop.ui.task_dialog import default_documents_folder

        return default_documents_folder(self._documents_dir)

    def make_beschikking(self) -> None:
        self.documents.make_beschikking()

    def make_verslag(self, copy: str) -> None:
        self.documents.make_verslag(copy)

    # -- closing --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Flush and stop the worker (the shell may also just flush and delete)."""
        self.flush()
        self.autosaver.close()


__all__ = ["CaseEditor", "default_period_end", "default_period_start", "prepare_draft"]
