"""Page "Afronden": what is missing or warned about, "Definitief maken", the beschikking and
"Nieuwe versie". The checklist itself is a plain function (`checklist`), tested apart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.advice import CRITERIA_KEYS
from bwo_desktop.core.bsn import is_valid_bsn
from bwo_desktop.core.case import Case
from bwo_desktop.core.formatting import format_date_short
from bwo_desktop.core.periods import default_period_end
from bwo_desktop.core.zrm import DOMAIN_KEYS
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
    iso_date,
    set_muted,
)

PAGE_CLIENT, PAGE_ZRM, PAGE_CRITERIA, PAGE_ADVICE, PAGE_RESULTS, PAGE_FINISH = range(6)
CRITERION_NUMBERS = {key: n for n, key in enumerate(CRITERIA_KEYS, start=1)}


@dataclass(frozen=True)
class CheckItem:
    kind: str  # "block" (no definitief), "warn" (allowed, look again), "ok"
    text: str
    page: int


def _missing_page(text: str) -> int:
    lowered = text.lower()
    if "criterium" in lowered:
        return PAGE_CRITERIA
    if "gesprek" in lowered or ("ondersteuningsplan" in lowered and "opslag" not in lowered):
        return PAGE_CLIENT
    return PAGE_ADVICE


def checklist(case: Case, advice: Any, missing: list[str], catalogue: Any) -> list[CheckItem]:
    """Everything that stops a definitief decision ("block") or deserves a second look
    ("warn"), each with the page that fixes it. The beschikking's needs are included."""
    items: list[CheckItem] = []

    def block(text: str, page: int) -> None:
        items.append(CheckItem("block", text, page))

    def warn(text: str, page: int) -> None:
        items.append(CheckItem("warn", text, page))

    data = case.assessment or {}
    conv = case.conversation
    client = case.client

    # Client and conversation
    if not is_valid_bsn(client.bsn or ""):
        block("Het BSN voldoet niet aan de 11-proef.", PAGE_CLIENT)
    if conv.attended_by is None:
        block("Vastleggen wie er bij het gesprek waren.", PAGE_CLIENT)
    elif conv.attended_by == "begeleider_only" and not (conv.absence_reason or "").strip():
        block("Reden waarom de cliënt niet bij het gesprek was.", PAGE_CLIENT)
    if conv.consent_share_report is None:
        block("Toestemming om het onderzoeksverslag te delen vastleggen (ja of nee).", PAGE_CLIENT)
    if client.address is None or not client.address.is_complete():
        block("Adres van de cliënt onvolledig (nodig voor de beschikking).", PAGE_CLIENT)
    if client.provider is None or not client.provider.name.strip():
        block("Zorgaanbieder ontbreekt (nodig voor de beschikking).", PAGE_CLIENT)
    begeleider = client.begeleider
    if begeleider is None or not (begeleider.phone or begeleider.email):
        warn("Actuele contactgegevens van de begeleider ontbreken.", PAGE_CLIENT)

    # ZRM
    zrm = data.get("zrm") or {}
    unscored = [catalogue.domain(k).name for k in DOMAIN_KEYS if k not in zrm]
    if unscored:
        block(f"ZRM: nog te scoren: {', '.join(unscored)}.", PAGE_ZRM)
    no_reason = [
        catalogue.domain(k).name for k in DOMAIN_KEYS
        if k in zrm and zrm[k] is None and not (case.unscored_reasons.get(k) or "").strip()
    ]  # fmt: skip
    if no_reason:
        block(f"ZRM: reden ontbreekt bij niet gescoord: {', '.join(no_reason)}.", PAGE_ZRM)

    # Criteria and their motivations (the beschikking quotes all three)
    for key in CRITERIA_KEYS:
        if not (case.motivations.get(key) or "").strip():
            block(f"Motivering bij criterium {CRITERION_NUMBERS[key]} ontbreekt.", PAGE_CRITERIA)

    # The advice
    if advice is None:
        for text in missing:
            block(f"Voor het advies nog nodig: {text.rstrip('?.')}.", _missing_page(text))
    period = data.get("period") or {}
    start, end = iso_date(period.get("start")), iso_date(period.get("end"))
    if (
        start
        and end
        and end > default_period_end(start)
        and not (period.get("extension_motivation") or "").strip()
    ):
        block("Periode langer dan een jaar zonder motivering.", PAGE_ADVICE)
    if advice is not None:
        for warning in advice.warnings:
            if warning.code == "period_over_one_year":
                continue  # blocked above
            page = (
                PAGE_CLIENT
                if warning.code.startswith("support_plan")
                else (
                    PAGE_ZRM
                    if warning.code
                    in ("zrm_incomplete", "no_support_need", "insufficient_self_reliance")
                    else PAGE_ADVICE
                )
            )
            warn(warning.message, page)
        if advice.outcome == "ib_bw":
            if not case.results:
                block("Kies minstens één te bereiken resultaat.", PAGE_RESULTS)
            opslag = data.get("opslag")
            if (
                isinstance(opslag, dict)
                and opslag.get("reason")
                and not (case.motivations.get("opslag") or "").strip()
            ):
                warn("Opslag zonder eigen motivering.", PAGE_ADVICE)
            housing = data.get("huisvesting")
            if (
                isinstance(housing, dict)
                and housing.get("cannot_rent_independently")
                and housing.get("housing_via_provider")
                and not (case.motivations.get("huisvesting") or "").strip()
            ):
                warn("Huisvesting zonder motivering.", PAGE_ADVICE)

    # What the beschikking needs besides
    if not case.reference:
        warn("Kenmerk ontbreekt (nodig voor de beschikking).", PAGE_FINISH)
    if not case.consultant_name.strip():
        warn("Naam van de consulent ontbreekt (instellingen).", PAGE_FINISH)
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
    goto_page = Signal(int)

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        self.state = heading("")
        self.state.setWordWrap(True)
        column.addWidget(self.state)
        intro = QLabel("Controlelijst — Enter op een regel gaat naar het scherm waar het hoort.")
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

        buttons = QHBoxLayout()
        self.finalise = QPushButton("&Definitief maken")
        self.finalise.setAccessibleName("Definitief maken")
        self.finalise.setAutoDefault(True)
        self.beschikking = QPushButton("Beschi&kking maken")
        self.beschikking.setAccessibleName("Beschikking maken (PDF)")
        self.beschikking.setAutoDefault(True)
        self.new_version = QPushButton("&Nieuwe versie")
        self.new_version.setAccessibleName("Nieuwe versie maken van deze definitieve zaak")
        self.new_version.setAutoDefault(True)
        for button in (self.finalise, self.beschikking, self.new_version):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.busy = QLabel()
        buttons.addWidget(self.busy)
        column.addLayout(buttons)
        self.finalise.clicked.connect(self.finalise_requested)
        self.beschikking.clicked.connect(self.beschikking_requested)
        self.new_version.clicked.connect(self.new_version_requested)
        ctx.advice_changed.connect(self.refresh)
        QWidget.setTabOrder(self.list, self.decision_date)
        QWidget.setTabOrder(self.decision_date, self.finalise)
        QWidget.setTabOrder(self.finalise, self.beschikking)
        QWidget.setTabOrder(self.beschikking, self.new_version)

    def items(self) -> list[CheckItem]:
        return checklist(self.ctx.case, self.ctx.advice, self.ctx.missing, self.ctx.catalogue)

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
            item.setData(Qt.ItemDataRole.AccessibleTextRole, prefix[check.kind] + check.text)
            self.list.addItem(item)
        if definitief:
            item = QListWidgetItem(
                "✓ Deze zaak is definitief; het besluit en de tarieven zijn vastgelegd."
            )
            item.setForeground(QBrush(QColor(OK_COLOUR)))
            self.list.addItem(item)
        blocked = any(c.kind == "block" for c in self.items()) if not definitief else True
        self.finalise.setEnabled(not definitief)
        self.finalise.setToolTip(
            "Eerst de punten met ✗ oplossen." if blocked and not definitief else ""
        )
        self.beschikking.setEnabled(definitief)
        self.beschikking.setToolTip("" if definitief else "Eerst definitief maken.")
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

    def _on_decision_date(self, day: dt.date | None) -> None:
        self.ctx.case.decision_date = day
        self.edited()

    def set_busy(self, text: str) -> None:
        self.busy.setText(text)
