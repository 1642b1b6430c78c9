"""Page "ZRM": the 13 domains on one screen, scored from the keyboard.

A digit 1-5 scores the current domain and moves to the next; 0 or "-" leaves it unscored and
asks for the reason; Up/Down move between domains; Tab visits the support form and the note.
The side panel shows the current domain's levels (with the organisation's anchor texts when
its file is present), the previous scores with a chart, and the level the forms lead to.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.advice import (
    count_support_forms,
    default_support_form,
    effective_support_forms,
    recommend_ib_level,
)
from bwo_desktop.core.zrm import DOMAIN_KEYS, SUPPORT_FORM_NAMES, SUPPORT_FORMS
from bwo_desktop.ui.pages.common import (
    WARN_COLOUR,
    ChoiceSelector,
    EditorContext,
    Page,
    ReturnMovesOn,
    clean_text,
    heading,
    muted_style,
)
from bwo_desktop.ui.pages.responsive import SideBySide
from bwo_desktop.ui.zrm_chart import ZrmChart

UNSCORED_KEYS = "0-"
REASON_CHARACTERS = 36  # the reason for "niet gescoord" stays readable: this much in view
SIDE_MIN_WIDTH, SIDE_MAX_WIDTH = 300, 380


class ZrmRow:
    """The widgets of one domain."""

    def __init__(self, page: ZrmPage, index: int, domain: Any, levels: dict[int, str]) -> None:
        self.key: str = domain.key
        self.index = index
        self.domain = domain
        self.name = QLabel(domain.name.replace("&", "&&"))
        self.name.setToolTip(domain.description)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.previous = QLabel("")
        self.previous.setAlignment(Qt.AlignmentFlag.AlignCenter)
        options = [(score, str(score), str(score)) for score in range(1, 6)]
        self.selector = ChoiceSelector(
            options,
            f"Score {domain.name}",
            row_keys=True,
            extra_keys=UNSCORED_KEYS,
            button_width=max(26, page.fontMetrics().horizontalAdvance("5") + 16),
            tooltips=[f"{score} {levels[score]}" for score in range(1, 6)],
        )
        self.name.setBuddy(self.selector)
        self.level = QLabel("")
        self.level.setMinimumWidth(
            page.fontMetrics().horizontalAdvance("voldoende zelfredzaam") + 8
        )
        self.form = QComboBox()
        self.form.setAccessibleName(f"Ondersteuningsvorm {domain.name}")
        for form in SUPPORT_FORMS:
            self.form.addItem(form, form)
            self.form.setItemData(
                self.form.count() - 1, SUPPORT_FORM_NAMES[form], Qt.ItemDataRole.ToolTipRole
            )
        self.note = QLineEdit()
        self.note.setAccessibleName(f"Notitie {domain.name}")
        self.note.setPlaceholderText("notitie")
        self.reason = QLineEdit()
        self.reason.setAccessibleName(f"Reden niet gescoord {domain.name}")
        self.reason.setPlaceholderText("reden waarom niet gescoord (verplicht)")
        self.reason.hide()
        self.texts = _Texts(self.reason, self.note)

    def widgets(self) -> list[QWidget]:
        return [self.name, self.previous, self.selector, self.level, self.form, self.texts]


class ZrmPage(Page):
    title = "ZRM"

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        catalogue = ctx.catalogue
        self._levels: dict[int, str] = dict(catalogue.levels)
        self._current = DOMAIN_KEYS[0]
        self.rows: list[ZrmRow] = []

        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        self._grid = grid
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        headers = ["Domein", "Vorige", "Score", "Niveau", "Vorm", "Notitie / reden"]
        header_labels = []
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet(muted_style())
            grid.addWidget(label, 0, column)
            header_labels.append(label)
        self._previous_header = header_labels[1]
        self._texts_header = header_labels[5]
        for index, domain in enumerate(catalogue.domains):
            row = ZrmRow(self, index, domain, self._levels)
            self.rows.append(row)
            # A domain has two grid lines: the second holds its note and reason when they
            # do not fit beside the score (`_arrange`).
            for column, widget in enumerate(row.widgets()):
                grid.addWidget(widget, 2 * index + 1, column)
            self._wire(row)
        self._texts_inline = True
        grid.setColumnStretch(5, 1)
        grid.setRowStretch(2 * len(self.rows) + 1, 1)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        hint = QLabel(
            "Typ 1-5 om het domein te scoren (de cursor gaat door naar het volgende), 0 of - "
            "voor niet gescoord; pijltjes omhoog/omlaag wisselen van domein."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(muted_style())

        # -- side panel -------------------------------------------------------------------
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(8, 0, 4, 0)
        self.domain_title = heading("", 2)
        self.domain_description = QLabel()
        self.domain_description.setWordWrap(True)
        self.levels_view = QLabel()
        self.levels_view.setWordWrap(True)
        self.levels_view.setTextFormat(Qt.TextFormat.RichText)
        self.levels_view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.anchor_source = QLabel()
        self.anchor_source.setWordWrap(True)
        self.anchor_source.setStyleSheet(muted_style())
        self.previous_title = heading("Vorige beoordeling", 2)
        self.chart = ZrmChart()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Samenvatting ondersteuningsvormen")
        for widget in (
            self.domain_title, self.domain_description, self.levels_view, self.anchor_source,
            self.previous_title, self.chart, self.summary,
        ):  # fmt: skip
            side_column.addWidget(widget)
        side_column.addStretch(1)
        # The side panel beside the domains; on a narrow window under them (issue 14).
        self._side = side
        self.columns = SideBySide(grid_widget, side, separator=True)
        side_scroll = self.columns.second_scroll
        side_scroll.setMinimumWidth(SIDE_MIN_WIDTH)
        side_scroll.setMaximumWidth(SIDE_MAX_WIDTH)
        side_scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(hint)
        outer.addWidget(self.columns, 1)
        outer.addWidget(self.status)

        order: list[QWidget] = []
        for row in self.rows:
            order += [row.selector, row.form, row.reason, row.note]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- layout ---------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)

    def _arrange(self, width: int) -> None:
        """The side panel beside the domains when the score columns fit next to it, else
        under them; a domain's note and reason beside its score when they get room for
        `REASON_CHARACTERS`, else on a line of their own under it."""
        scores = self._scores_width()
        texts = self.fontMetrics().averageCharWidth() * REASON_CHARACTERS
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        side_width = max(SIDE_MIN_WIDTH, self._side.minimumSizeHint().width() + scroll_bar)
        if self.columns.second_scroll.minimumWidth() != side_width:
            self.columns.second_scroll.setMinimumWidth(side_width)  # the chart's names in view
            self.columns.second_scroll.setMaximumWidth(max(SIDE_MAX_WIDTH, side_width))
        side = side_width + 12  # the separator and the spacing around it
        beside = width >= scores + side
        inline = (width - (side if beside else 0)) >= scores + texts
        self.columns.arrange(beside)
        if inline == self._texts_inline:
            return
        self._texts_inline = inline
        for row in self.rows:
            self._grid.removeWidget(row.texts)
            if inline:
                self._grid.addWidget(row.texts, 2 * row.index + 1, 5)
            else:
                self._grid.addWidget(row.texts, 2 * row.index + 2, 0, 1, 6)
        self._texts_header.setVisible(inline)

    def _scores_width(self) -> int:
        """The grid's width without the note and reason column, scroll bar included."""
        widths = [0] * 5
        for row in self.rows:
            for column, widget in enumerate(row.widgets()[:5]):
                if not widget.isHidden():
                    widths[column] = max(widths[column], widget.sizeHint().width())
        used = [w for w in widths if w]
        margins = self._grid.contentsMargins()
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        spacing = self._grid.horizontalSpacing() * len(used)
        return sum(used) + spacing + margins.left() + margins.right() + scroll_bar

    # -- wiring ---------------------------------------------------------------------------
    def _wire(self, row: ZrmRow) -> None:
        row.selector.chosen.connect(lambda score, r=row: self._after_choice(r, score))
        row.selector.value_changed.connect(lambda score, r=row: self._set_score(r, score))
        row.selector.special_key.connect(lambda _k, r=row: self._unscore(r))
        row.selector.navigate.connect(lambda step, r=row: self.focus_row(r.index + step))
        row.form.activated.connect(lambda _i, r=row: self._set_form(r))
        row.note.textEdited.connect(lambda text, r=row: self._set_note(r, text))
        row.reason.textEdited.connect(lambda text, r=row: self._set_reason(r, text))

        def next_row() -> None:
            self.focus_row(row.index + 1)

        ReturnMovesOn(row.reason, next_row)
        ReturnMovesOn(row.note, next_row)
        watcher = _FocusWatcher(self, row.key)
        for widget in (row.selector, row.form, row.note, row.reason):
            widget.installEventFilter(watcher)

    def focus_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.rows[index].selector.setFocus(Qt.FocusReason.TabFocusReason)

    def set_current(self, key: str) -> None:
        self._current = key
        self._refresh_side()

    # -- state helpers --------------------------------------------------------------------
    def _zrm(self) -> dict[str, Any]:
        return self.ctx.section("zrm")

    def _changes(self) -> dict[str, Any]:
        return self.ctx.section("support_forms")

    def _score(self, key: str) -> int | None:
        value = (self.ctx.case.assessment or {}).get("zrm", {}) or {}
        score = value.get(key)
        return score if isinstance(score, int) else None

    def _previous_scores(self) -> dict[str, int | None]:
        previous = self.ctx.previous
        if previous is None or not previous.assessment:
            return {}
        zrm = previous.assessment.get("zrm") or {}
        return {k: v for k, v in zrm.items() if isinstance(v, int) or v is None}

    # -- edits ----------------------------------------------------------------------------
    def _after_choice(self, row: ZrmRow, score: int) -> None:
        if score is not None:
            self.focus_row(row.index + 1)
            if row.index == len(self.rows) - 1:
                self._refresh_status()

    def _set_score(self, row: ZrmRow, score: int | None) -> None:
        zrm = self._zrm()
        case = self.ctx.case
        if score is None:
            zrm.pop(row.key, None)
            case.unscored_reasons.pop(row.key, None)
        else:
            zrm[row.key] = score
            case.unscored_reasons.pop(row.key, None)
            # A change that now equals the new default is no change any more.
            changes = self._changes()
            if changes.get(row.key) == default_support_form(score, self.ctx.rules):
                changes.pop(row.key)
        self._refresh_row(row)
        self._refresh_side()
        self.edited(assessment=True)

    def _unscore(self, row: ZrmRow) -> None:
        if self.ctx.read_only:
            return
        zrm = self._zrm()
        zrm[row.key] = None
        self.ctx.case.unscored_reasons.setdefault(row.key, "")
        row.selector.set_value(None)
        self._refresh_row(row)
        self._refresh_side()
        row.reason.setFocus()
        self.edited(assessment=True)

    def _set_form(self, row: ZrmRow) -> None:
        form = row.form.currentData()
        default = default_support_form(self._score(row.key), self.ctx.rules)
        changes = self._changes()
        if form == default:
            changes.pop(row.key, None)
        else:
            changes[row.key] = form
        self._refresh_row(row)
        self._refresh_side()
        self.edited(assessment=True)

    def _set_note(self, row: ZrmRow, text: str) -> None:
        cleaned = clean_text(text)
        if cleaned is None:
            self.ctx.case.zrm_notes.pop(row.key, None)
        else:
            self.ctx.case.zrm_notes[row.key] = text
        self.edited()

    def _set_reason(self, row: ZrmRow, text: str) -> None:
        self.ctx.case.unscored_reasons[row.key] = text
        self._refresh_row(row)
        self.edited()

    # -- display --------------------------------------------------------------------------
    def _load(self) -> None:
        case = self.ctx.case
        previous = self._previous_scores()
        has_previous = bool(previous)
        self._previous_header.setVisible(has_previous)
        for row in self.rows:
            row.selector.set_value(self._score(row.key))
            row.note.setText(case.zrm_notes.get(row.key, ""))
            row.reason.setText(case.unscored_reasons.get(row.key, ""))
            row.previous.setVisible(has_previous)
            before = previous.get(row.key)
            row.previous.setText("–" if before is None else str(before))
            row.previous.setToolTip(
                f"vorige score: {before} {self._levels[before]}"
                if before
                else "vorige keer niet gescoord"
            )
            self._refresh_row(row)
        self._refresh_side()

    def _refresh_row(self, row: ZrmRow) -> None:
        case = self.ctx.case
        zrm = (case.assessment or {}).get("zrm") or {}
        score = self._score(row.key)
        unscored = row.key in zrm and zrm[row.key] is None
        if score is not None:
            row.level.setText(self._levels[score])
            row.level.setStyleSheet("")
        elif unscored:
            row.level.setText("niet gescoord")
            row.level.setStyleSheet(f"color: {WARN_COLOUR};")
        else:
            row.level.setText("nog niet gescoord")
            row.level.setStyleSheet(muted_style())
        row.selector.setAccessibleDescription(row.level.text())
        row.reason.setVisible(unscored)
        missing_reason = unscored and not (case.unscored_reasons.get(row.key) or "").strip()
        row.reason.setStyleSheet(f"border: 1px solid {WARN_COLOUR};" if missing_reason else "")
        changes = (case.assessment or {}).get("support_forms") or {}
        default = default_support_form(score, self.ctx.rules)
        form = changes.get(row.key, default)
        row.form.setCurrentIndex(max(0, row.form.findData(form)))
        changed = row.key in changes and changes[row.key] != default
        font = QFont(row.form.font())
        font.setBold(changed)
        font.setItalic(changed)
        row.form.setFont(font)
        if changed:
            row.form.setStyleSheet(f"QComboBox {{ color: {WARN_COLOUR}; }}")
            tip = f"aangepast; standaard bij deze score: {default} ({SUPPORT_FORM_NAMES[default]})"
        else:
            row.form.setStyleSheet("")
            tip = f"{SUPPORT_FORM_NAMES[form]} (standaard bij deze score)"
        row.form.setToolTip(tip)
        row.form.setAccessibleDescription(tip)

    def _refresh_side(self) -> None:
        key = self._current
        domain = self.ctx.catalogue.domain(key)
        self.domain_title.setText(domain.name)
        self.domain_description.setText(domain.description)
        anchors = self.ctx.anchors
        score = self._score(key)
        parts = []
        for level in range(1, 6):
            name = html.escape(f"{level} {self._levels[level]}")
            anchor = anchors.text(key, level) if anchors else None
            body = f"<br/><span>{html.escape(anchor)}</span>" if anchor else ""
            style = "background-color: palette(highlight);" if level == score else ""
            marker = "▶ " if level == score else ""
            parts.append(f"<p style='margin:2px 0; {style}'><b>{marker}{name}</b>{body}</p>")
        self.levels_view.setText("".join(parts))
        if anchors and anchors.has_domain(key):
            self.anchor_source.setText(
                f"Ankerteksten: {anchors.source}"
                if anchors.source
                else "Ankerteksten van de organisatie"
            )
            self.anchor_source.show()
        else:
            self.anchor_source.hide()
        previous = self._previous_scores()
        has_previous = bool(previous)
        self.previous_title.setVisible(has_previous)
        self.chart.setVisible(has_previous)
        if has_previous:
            prev_case = self.ctx.previous
            when = ""
            if prev_case is not None and prev_case.planned is not None:
                when = f" ({prev_case.planned.date.strftime('%d-%m-%Y')})"
            self.previous_title.setText(f"Vorige beoordeling{when}")
            domains = [(d.key, d.name) for d in self.ctx.catalogue.domains]
            zrm = (self.ctx.case.assessment or {}).get("zrm") or {}
            self.chart.set_scores(
                domains, previous, {k: v for k, v in zrm.items() if isinstance(v, int)}
            )
            self.chart.set_highlight(key)
        self._refresh_status()

    def _refresh_status(self) -> None:
        case = self.ctx.case
        zrm = (case.assessment or {}).get("zrm") or {}
        changes = (case.assessment or {}).get("support_forms") or {}
        scores = {k: v for k, v in zrm.items() if isinstance(v, int)}
        forms = effective_support_forms(scores, changes, self.ctx.rules)
        counts = count_support_forms(forms)
        level, need = recommend_ib_level(counts, self.ctx.rules)
        text = ", ".join(f"{counts[f]}× {f}" for f in SUPPORT_FORMS if counts[f] and f != "geen")
        self.summary.setText(
            f"Ondersteuningsvormen: {text or 'geen'}.\nDat leidt tot {level}"
            + ("" if need else " (maar er is geen ondersteuningsbehoefte: kijk nog eens)")
            + f"; IB3 vanaf {self.ctx.rules.ib3_min_overnemen}× overnemen."
        )
        open_domains = [r.domain.name for r in self.rows if r.key not in zrm]
        no_reason = [
            r.domain.name for r in self.rows
            if r.key in zrm and zrm[r.key] is None and not (case.unscored_reasons.get(r.key) or "").strip()
        ]  # fmt: skip
        if open_domains:
            self.status.setText(
                f"Nog te scoren: {len(open_domains)} van 13 ({', '.join(open_domains[:4])}"
                + (", …" if len(open_domains) > 4 else "")
                + ")."
            )
            self.status.setStyleSheet(f"color: {WARN_COLOUR};")
        elif no_reason:
            self.status.setText("Niet gescoord zonder reden: " + ", ".join(no_reason) + ".")
            self.status.setStyleSheet(f"color: {WARN_COLOUR};")
        else:
            self.status.setText("Alle domeinen zijn gescoord. Ctrl+3: naar de criteria.")
            self.status.setStyleSheet("")

    # -- focus and position ---------------------------------------------------------------
    def field_widgets(self) -> dict[str, QWidget]:
        """An unscored domain without its reason: that row's reason field."""
        reasons = self.ctx.case.unscored_reasons
        zrm = (self.ctx.case.assessment or {}).get("zrm") or {}
        for row in self.rows:
            if row.key in zrm and zrm[row.key] is None and not (reasons.get(row.key) or "").strip():
                return {"unscored_reasons": row.reason}
        return {}

    def focus_first(self) -> None:
        zrm = (self.ctx.case.assessment or {}).get("zrm") or {}
        for row in self.rows:
            if row.key == self._current and row.key not in zrm:
                row.selector.setFocus()
                return
        for row in self.rows:
            if row.key not in zrm:
                row.selector.setFocus()
                return
        for row in self.rows:
            if row.key == self._current:
                row.selector.setFocus()
                return

    def ui_position(self) -> str | None:
        return self._current

    def restore_position(self, position: str | None) -> None:
        if position in DOMAIN_KEYS:
            self._current = position
            self._refresh_side()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for row in self.rows:
            row.form.setEnabled(not read_only)


class _Texts(QWidget):
    """A domain's reason (only when unscored) and note: side by side when both get room for
    `REASON_CHARACTERS`, else the reason above the note, so it stays readable."""

    def __init__(self, reason: QLineEdit, note: QLineEdit) -> None:
        super().__init__()
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(4)
        self._box.addWidget(reason, 1)
        self._box.addWidget(note, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        room = 2 * self.fontMetrics().averageCharWidth() * REASON_CHARACTERS
        wide = event.size().width() >= room
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._box.direction() != direction:
            self._box.setDirection(direction)
        super().resizeEvent(event)


class _FocusWatcher(QObject):
    def __init__(self, page: ZrmPage, key: str) -> None:
        super().__init__(page)
        self._page = page
        self._key = key

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self._page.set_current(self._key)
        return False
