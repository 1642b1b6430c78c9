"""The case editor's frame: header, conflict banner, page navigation with its marks, the six
pages and the advice strip that is always in view. Built once per editor (`setup_ui`, the
Qt Designer idiom: the widgets become attributes of the editor) and kept current by
`show_page_marks` and `show_advice_strip`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.formatting import format_date_short, format_euro
from bwo_desktop.ui.pages.advice_page import AdvicePage, outcome_title
from bwo_desktop.ui.pages.client_page import ClientPage
from bwo_desktop.ui.pages.common import set_muted
from bwo_desktop.ui.pages.criteria_page import CriteriaPage
from bwo_desktop.ui.pages.finish_page import FinishPage, page_marks
from bwo_desktop.ui.pages.results_page import ResultsPage
from bwo_desktop.ui.pages.zrm_page import ZrmPage

if TYPE_CHECKING:
    from bwo_desktop.ui.case_editor import CaseEditor

PAGE_TITLES = ("Cliënt en gesprek", "ZRM", "Criteria", "Advies", "Resultaten", "Afronden")
MARK_DONE, MARK_BLOCKED = "✓", "!"


def setup_ui(editor: CaseEditor) -> None:
    """The editor's header, banner, page navigation, pages and advice strip, as attributes
    of the editor (the Qt Designer `setupUi` idiom)."""
    self = editor
    # header
    self.title = QLabel()
    font = self.title.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    self.title.setFont(font)
    self.title.setAccessibleName("Cliënt")
    self.details = QLabel()
    self.details.setAccessibleName("Kenmerk en status")
    self.details.setWordWrap(True)  # a long provider name must not widen the editor
    set_muted(self.details)
    self.save_state = QLabel()
    self.save_state.setAccessibleName("Opslaan")
    self.close_button = QPushButton("Sluiten")
    self.close_button.setAccessibleName("Casus sluiten en terug naar de lijst")
    self.close_button.setToolTip("Casus sluiten en terug naar de lijst (Esc)")
    self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    self.close_button.clicked.connect(self.close_editor)
    header = QHBoxLayout()
    header.setContentsMargins(8, 4, 8, 0)
    titles = QVBoxLayout()
    titles.setSpacing(0)
    titles.addWidget(self.title)
    titles.addWidget(self.details)
    header.addLayout(titles, 1)
    header.addWidget(self.save_state)
    header.addWidget(self.close_button)

    # banner for conflicts and notices
    self.banner = QFrame()
    self.banner.setObjectName("editorBanner")
    self.banner.setStyleSheet(
        "QFrame#editorBanner { background: #fff4e5; border: 1px solid #e0a040; }"
    )
    banner_row = QHBoxLayout(self.banner)
    banner_row.setContentsMargins(8, 4, 8, 4)
    self.banner_text = QLabel()
    self.banner_text.setWordWrap(True)
    self.banner_text.setStyleSheet("color: #5a3800;")
    self.keep_mine = QPushButton("Mijn versie opslaan")
    self.keep_mine.clicked.connect(self._keep_mine)
    self.reload_button = QPushButton("Opnieuw laden")
    self.reload_button.clicked.connect(self._reload)
    self.banner_close = QToolButton()
    self.banner_close.setText("✕")
    self.banner_close.setAccessibleName("Melding sluiten")
    self.banner_close.clicked.connect(self.banner.hide)
    banner_row.addWidget(self.banner_text, 1)
    banner_row.addWidget(self.keep_mine)
    banner_row.addWidget(self.reload_button)
    banner_row.addWidget(self.banner_close)
    self.banner.hide()

    # navigation and pages
    self.nav = QListWidget()
    self.nav.setAccessibleName("Onderdelen van de casus")
    for number, title in enumerate(PAGE_TITLES, start=1):
        item = QListWidgetItem(f"{number}  {title}")
        item.setToolTip(f"Ctrl+{number}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self.nav.addItem(item)
    width = (
        max(
            self.nav.sizeHintForColumn(0),
            self.fontMetrics().horizontalAdvance("6  Cliënt en gesprek ✓"),
        )
        + 24
    )
    self.nav.setFixedWidth(width)
    self.stack = QStackedWidget()
    self.client_page = ClientPage(self.ctx)
    self.zrm_page = ZrmPage(self.ctx)
    self.criteria_page = CriteriaPage(self.ctx)
    self.advice_page = AdvicePage(self.ctx)
    self.results_page = ResultsPage(self.ctx)
    self.finish_page = FinishPage(self.ctx)
    self.pages = [
        self.client_page, self.zrm_page, self.criteria_page,
        self.advice_page, self.results_page, self.finish_page,
    ]  # fmt: skip
    for page in self.pages:
        self.stack.addWidget(page)
    self.nav.currentRowChanged.connect(self._on_nav)
    self.finish_page.finalise_requested.connect(self.finalise)
    self.finish_page.beschikking_requested.connect(self.make_beschikking)
    self.finish_page.new_version_requested.connect(self.new_version)
    self.finish_page.verslag_requested.connect(self.make_verslag)
    self.finish_page.open_requested.connect(self.documents.open_last_document)
    self.finish_page.goto_page.connect(self.go_to_page)

    # the advice strip, always visible
    self.strip = QFrame()
    self.strip.setObjectName("adviceStrip")
    self.strip.setFrameShape(QFrame.Shape.StyledPanel)
    self.strip.setStyleSheet("QFrame#adviceStrip { background: palette(alternate-base); }")
    strip_row = QHBoxLayout(self.strip)
    strip_row.setContentsMargins(8, 3, 8, 3)
    self.strip_outcome = QLabel()
    self.strip_outcome.setAccessibleName("Advies")
    self.strip_outcome.setTextFormat(Qt.TextFormat.PlainText)
    self.strip_costs = QLabel()
    self.strip_costs.setAccessibleName("Kosten per week")
    self.strip_warnings = QToolButton()
    self.strip_warnings.setAccessibleName("Waarschuwingen")
    self.strip_warnings.setAutoRaise(True)
    self.strip_warnings.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    self.strip_warnings.clicked.connect(lambda: self.go_to_page(3))
    strip_row.addWidget(self.strip_outcome, 1)
    strip_row.addWidget(self.strip_costs)
    strip_row.addWidget(self.strip_warnings)

    body = QHBoxLayout()
    body.setContentsMargins(4, 0, 4, 0)
    body.addWidget(self.nav)
    body.addWidget(self.stack, 1)
    column = QVBoxLayout(self)
    column.setContentsMargins(0, 0, 0, 4)
    column.setSpacing(4)
    column.addLayout(header)
    column.addWidget(self.banner)
    column.addLayout(body, 1)
    column.addWidget(self.strip)

    context = Qt.ShortcutContext.WidgetWithChildrenShortcut
    for number in range(1, 7):
        shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
        shortcut.setContext(context)
        shortcut.activated.connect(lambda n=number: self.go_to_page(n - 1))
    for key, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(context)
        shortcut.activated.connect(lambda s=step: self.go_to_page(self.stack.currentIndex() + s))
    QWidget.setTabOrder(self.nav, self.stack)


def show_page_marks(editor: CaseEditor) -> None:
    """✓ after a page that is complete, ! after one with something that blocks definitief."""
    self = editor
    marks = page_marks(
        self.ctx.case, self.ctx.advice, self.ctx.missing, self.ctx.catalogue, len(self.pages)
    )
    spoken = {MARK_DONE: "compleet", MARK_BLOCKED: "nog nodig voor definitief", "": ""}
    tips = {
        MARK_DONE: "compleet",
        MARK_BLOCKED: "hier ontbreekt nog iets voor definitief (zie Afronden)",
        "": "",
    }
    for index, mark in enumerate(marks):
        item = self.nav.item(index)
        if item is None:
            continue
        title = PAGE_TITLES[index]
        item.setText(f"{index + 1}  {title}" + (f" {mark}" if mark else ""))
        item.setToolTip(f"Ctrl+{index + 1}" + (f" — {tips[mark]}" if mark else ""))
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole,
            f"{title}: {spoken[mark]}" if mark else title,
        )
        item.setData(Qt.ItemDataRole.UserRole, mark)


def show_advice_strip(editor: CaseEditor) -> None:
    """The outcome, the weekly and period costs and the warnings, always in view."""
    self = editor
    advice = self.ctx.advice
    if advice is None:
        count = len(self.ctx.missing)
        noun = "gegeven" if count == 1 else "gegevens"
        self.strip_outcome.setText(
            f"Advies nog niet compleet — nog {count} {noun} nodig (zie Advies, Ctrl+4)"
        )
        self.strip_outcome.setToolTip(
            "Nog nodig voor het advies:\n" + "\n".join(f"• {m}" for m in self.ctx.missing)
        )
        self.strip_costs.setText("")
        self.strip_warnings.hide()
        return
    self.strip_outcome.setToolTip("")
    text = outcome_title(advice)
    if advice.outcome == "ib_bw" and advice.ib_level != advice.recommended_ib_level:
        text += f" (advies {advice.recommended_ib_level})"
    self.strip_outcome.setText("Advies: " + text)
    self.strip_costs.setText(
        f"{format_euro(advice.weekly_total)} per week · {format_euro(advice.period_total)} "
        f"t/m {format_date_short(advice.period_end)}"
        if advice.lines
        else ""
    )
    count = len(advice.warnings)
    self.strip_warnings.setVisible(count > 0)
    self.strip_warnings.setText(f"⚠ {count} waarschuwing" + ("" if count == 1 else "en"))
    self.strip_warnings.setToolTip("\n".join(w.message for w in advice.warnings))
