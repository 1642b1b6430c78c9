"""Page "Afronden": what is missing or warned about, "Definitief maken", the beschikking,
"Nieuwe versie" and (when the shell offers it) "Volgende cliënt". The checklist is the core
one (`core.readiness`); this page only shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.case import Case
from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.core.readiness import (
    PAGE_ADVICE,
    PAGE_CLIENT,
    PAGE_CRITERIA,
    PAGE_FINISH,
    PAGE_RESULTS,
    PAGE_ZRM,
    readiness,
)
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.ui.pages.common import (
    ERROR_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    DateField,
    EditorContext,
    Page,
    add_row,
    compact_form,
    heading,
    set_muted,
)
from bwo_desktop.ui.pages.responsive import FlowLayout


@dataclass(frozen=True)
class CheckItem:
    kind: str  # "block" (no definitief), "warn" (allowed, look again), "ok"
    text: str
    page: int
    field: str = ""  # ReadinessItem.field: where on the page (the editor focuses it)


def checklist(
    case: Case, advice: Any, missing: list[str], catalogue: Any, rules: Any = None
) -> list[CheckItem]:
    """The core readiness checklist (`core.readiness`) as the page shows it: what blocks
    definitief, what deserves a second look, or one "all complete" line. `rules` (a
    RuleConfig) gives the motivation minimum; the built-in rules otherwise."""
    config = rules if isinstance(rules, RuleConfig) else None
    items = [
        CheckItem("block" if item.blocking else "warn", item.label, item.page, item.field)
        for item in readiness(case, advice, missing, catalogue, config)
        if not item.done
    ]
    if not items:
        items.append(CheckItem("ok", "Alles is compleet: de zaak kan definitief.", PAGE_FINISH))
    return items


def page_marks(
    case: Case, advice: Any, missing: list[str], catalogue: Any, pages: int = PAGE_FINISH + 1
) -> list[str]:
    """Per page of the editor: "!" when the checklist has something there that blocks
    definitief, "✓" when the page is complete, "" when there is nothing to say (results
    that do not apply, the finish page before definitief)."""
    if case.status == "definitief":
        return [""] * (pages - 1) + ["✓"]
    blocked = {
        item.page for item in checklist(case, advice, missing, catalogue) if item.kind == "block"
    }
    marks: list[str] = []
    for page in range(pages):
        if page in blocked:
            marks.append("!")
        elif page in (PAGE_CLIENT, PAGE_ZRM, PAGE_CRITERIA):
            marks.append("✓")
        elif page == PAGE_ADVICE:
            marks.append("✓" if advice is not None else "")
        elif page == PAGE_RESULTS:
            applies = advice is not None and advice.outcome == "ib_bw"
            marks.append("✓" if applies and case.results else "")
        else:
            marks.append("")
    return marks


class FinishPage(Page):
    title = "Afronden"

    finalise_requested = Signal()
    beschikking_requested = Signal()
    new_version_requested = Signal()
    verslag_requested = Signal(str)  # "client" or "provider"
    open_requested = Signal()
    goto_page = Signal(int)
    goto_field = Signal(int, str)  # after goto_page: the page and ReadinessItem.field
    # "Volgende cliënt" (the day view's next planned client): the button stays hidden until
    # the shell connects this signal and calls `offer_next_client(True)`.
    next_client_requested = Signal()

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        self.state = heading("")
        self.state.setWordWrap(True)
        column.addWidget(self.state)
        intro = QLabel("Controlelijst — Enter op een regel gaat naar het scherm waar het hoort.")
        intro.setWordWrap(True)
        set_muted(intro)
        column.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Controlelijst: wat ontbreekt of aandacht vraagt")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._on_activated)
        column.addWidget(self.list, 1)

        form = compact_form()
        self.decision_date = DateField("Datum besluit")
        self.decision_date.setPlaceholderText("vandaag")
        self.decision_date.date_edited.connect(self._on_decision_date)
        add_row(form, "Datum bes&luit", self.decision_date, message=self.decision_date.message)
        self.reference = QLabel()
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Kenmerk", self.reference)
        column.addLayout(form)

        # Seven buttons do not fit in one row on a laptop at 150 %: they wrap (issue 14).
        buttons = FlowLayout()
        self.finalise = QPushButton("&Definitief maken")
        self.finalise.setAccessibleName("Definitief maken")
        self.finalise.setAutoDefault(True)
        self.beschikking = QPushButton("Beschi&kking maken")
        self.beschikking.setAccessibleName("Beschikking maken (PDF)")
        self.beschikking.setAutoDefault(True)
        self.verslag_client = QPushButton("&Verslag cliënt")
        self.verslag_client.setAccessibleName("Onderzoeksverslag voor de cliënt maken (PDF)")
        self.verslag_client.setAutoDefault(True)
        self.verslag_provider = QPushButton("Verslag &aanbieder")
        self.verslag_provider.setAccessibleName(
            "Onderzoeksverslag voor de zorgaanbieder maken (alleen met toestemming)"
        )
        self.verslag_provider.setAutoDefault(True)
        self.open_document = QPushButton("&Openen")
        self.open_document.setAccessibleName("Het laatst gemaakte document openen")
        self.open_document.setAutoDefault(True)
        self.open_document.setEnabled(False)
        self.next_client = QPushButton("Volgende &cliënt")
        self.next_client.setAccessibleName("Naar de volgende cliënt van de dag")
        self.next_client.setAutoDefault(True)
        self.next_client.hide()
        self.new_version = QPushButton("&Nieuwe versie")
        self.new_version.setAccessibleName("Nieuwe versie maken van deze definitieve zaak")
        self.new_version.setAutoDefault(True)
        self._documents_had_focus = False
        for button in (
            self.finalise,
            self.beschikking,
            self.verslag_client,
            self.verslag_provider,
            self.open_document,
            self.next_client,
            self.new_version,
        ):
            buttons.addWidget(button)
        self.busy = QLabel()
        buttons.addWidget(self.busy)
        column.addLayout(buttons)
        self.finalise.clicked.connect(self.finalise_requested)
        self.beschikking.clicked.connect(self.beschikking_requested)
        self.new_version.clicked.connect(self.new_version_requested)
        self.verslag_client.clicked.connect(lambda: self.verslag_requested.emit("client"))
        self.verslag_provider.clicked.connect(lambda: self.verslag_requested.emit("provider"))
        self.open_document.clicked.connect(self.open_requested)
        self.next_client.clicked.connect(self.next_client_requested)
        ctx.advice_changed.connect(self.refresh)
        QWidget.setTabOrder(self.list, self.decision_date)
        QWidget.setTabOrder(self.decision_date, self.finalise)
        QWidget.setTabOrder(self.finalise, self.beschikking)
        QWidget.setTabOrder(self.beschikking, self.verslag_client)
        QWidget.setTabOrder(self.verslag_client, self.verslag_provider)
        QWidget.setTabOrder(self.verslag_provider, self.open_document)
        QWidget.setTabOrder(self.open_document, self.next_client)
        QWidget.setTabOrder(self.next_client, self.new_version)

    def items(self) -> list[CheckItem]:
        ctx = self.ctx
        return checklist(ctx.case, ctx.advice, ctx.missing, ctx.catalogue, ctx.rules)

    def blockers(self) -> list[CheckItem]:
        return [item for item in self.items() if item.kind == "block"]

    def _load(self) -> None:
        self.decision_date.set_date(self.ctx.case.decision_date)
        self.refresh()

    def refresh(self) -> None:
        case = self.ctx.case
        definitief = case.status == "definitief"
        if definitief:
            when = f" op {format_date_short(case.decision_date)}" if case.decision_date else ""
            self.state.setText(
                f"Definitief{when} — alleen-lezen. Wijzigen kan in een nieuwe versie."
            )
        else:
            self.state.setText("Concept — wordt automatisch bewaard.")
        self.reference.setText(case.reference or "nog geen kenmerk")
        self.list.clear()
        colours = {"block": ERROR_COLOUR, "warn": WARN_COLOUR, "ok": OK_COLOUR}
        symbols = {"block": "✗ ", "warn": "⚠ ", "ok": "✓ "}
        prefix = {"block": "Nodig: ", "warn": "Let op: ", "ok": ""}
        for check in self.items() if not definitief else []:
            item = QListWidgetItem(symbols[check.kind] + prefix[check.kind] + check.text)
            item.setForeground(QBrush(QColor(colours[check.kind])))
            item.setData(Qt.ItemDataRole.UserRole, check.page)
            item.setData(Qt.ItemDataRole.UserRole + 1, check.field)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, prefix[check.kind] + check.text)
            self.list.addItem(item)
        if definitief:
            item = QListWidgetItem(
                "✓ Deze zaak is definitief; het besluit en de tarieven zijn vastgelegd."
            )
            item.setForeground(QBrush(QColor(OK_COLOUR)))
            self.list.addItem(item)
        blocked = any(c.kind == "block" for c in self.items()) if not definitief else True
        # Leased to another laptop (team mode): read-only, so not ours to finalise either.
        self.finalise.setEnabled(not definitief and not self.ctx.read_only)
        self.finalise.setToolTip(
            "Eerst de punten met ✗ oplossen." if blocked and not definitief else ""
        )
        self.beschikking.setEnabled(definitief)
        self.beschikking.setToolTip("" if definitief else "Eerst definitief maken.")
        self.verslag_client.setEnabled(definitief)
        self.verslag_client.setToolTip("" if definitief else "Eerst definitief maken.")
        consent = case.conversation.consent_share_report is True
        self.verslag_provider.setEnabled(definitief and consent)
        self.verslag_provider.setToolTip(
            "Eerst definitief maken."
            if not definitief
            else ("" if consent else "De cliënt heeft geen toestemming gegeven om te delen.")
        )
        self.new_version.setEnabled(definitief)
        self.decision_date.setReadOnly(definitief)

    def focus_first(self) -> None:
        self.refresh()
        if self.ctx.case.status == "definitief":
            self.beschikking.setFocus()
        elif self.blockers():
            self.list.setFocus()
            self.list.setCurrentRow(0)
        else:
            self.finalise.setFocus()

    def _on_activated(self, item: QListWidgetItem) -> None:
        page = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(page, int) and page != PAGE_FINISH:
            self.goto_page.emit(page)
            field = item.data(Qt.ItemDataRole.UserRole + 1)
            self.goto_field.emit(page, field if isinstance(field, str) else "")

    def _on_decision_date(self, day: dt.date | None) -> None:
        self.ctx.case.decision_date = day
        self.edited()

    def set_busy(self, text: str) -> None:
        self.busy.setText(text)

    def offer_next_client(self, offered: bool) -> None:
        """Show "Volgende cliënt" (inside the shell, which handles `next_client_requested`)."""
        self.next_client.setVisible(offered)

    def set_documents_enabled(self, enabled: bool, *, has_last: bool = False) -> None:
        """While a document is being made its buttons wait; afterwards the state follows
        the case again, and "Openen" opens the document made last.

        The focus never falls through to "Nieuwe versie" (the next enabled button when the
        focused one is disabled), where a second Enter would reopen the decided case: it
        waits on the checklist, then goes to "Volgende cliënt" when offered, else to
        "Openen"."""
        documents = (self.beschikking, self.verslag_client, self.verslag_provider)
        if not enabled:
            self._documents_had_focus = any(b.hasFocus() for b in (*documents, self.open_document))
            if self._documents_had_focus:
                self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        for button in documents:
            button.setEnabled(False)
        self.open_document.setEnabled(enabled and has_last)
        if enabled:
            self.refresh()
            if self._documents_had_focus:
                self._documents_had_focus = False
                self._focus_after_document()

    def _focus_after_document(self) -> None:
        for button in (self.next_client, self.open_document, self.beschikking):
            if button.isVisibleTo(self) and button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
