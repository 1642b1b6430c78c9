"""Page "Resultaten": the Bijlage 1 results to work towards, picked per result area, with the
expected development per area, and free text for justitie.

Keyboard: arrows move through the tree, Space ticks a result, T / S set the area's
development. Areas of domains that need support open expanded."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.advice import OUTCOME_NAMES, effective_support_forms
from bwo_desktop.core.case import Result
from bwo_desktop.core.zrm import DEVELOPMENTS, AreaHint, areas_to_consider
from bwo_desktop.ui.pages.common import (
    WARN_COLOUR,
    ChoiceSelector,
    EditorContext,
    MessageLabel,
    Page,
    TextArea,
    heading,
    muted_style,
)
from bwo_desktop.ui.pages.results_tree_model import AREA_KEY_ROLE, ResultsTreeModel

DEVELOPMENT_OPTIONS = [
    ("toename", DEVELOPMENTS["toename"], "tT1"),
    ("stabilisatie", DEVELOPMENTS["stabilisatie"], "sS2"),
]


class WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped text in the first column: a tree's default size hint does not
    know the column's width, so a long Bijlage 1 result would be cut off at one line."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != 0:
            return hint
        tree = self._tree
        depth = 1 if index.parent().isValid() else 0
        if tree.rootIsDecorated():
            depth += 1
        width = tree.header().sectionSize(0) - tree.indentation() * depth
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.rect = QRect(0, 0, max(width, 40), hint.height())
        text = tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, tree)
        needed = item.fontMetrics.boundingRect(
            QRect(0, 0, max(text.width() - 6, 20), 100_000),
            Qt.TextFlag.TextWordWrap,
            item.text,
        )
        # The style's margins around one line, around as many lines as the text needs.
        margins = max(0, hint.height() - item.fontMetrics.height())
        return QSize(hint.width(), max(hint.height(), needed.height() + margins))


class ResultsPage(Page):
    title = "Resultaten"

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        catalogue = ctx.catalogue
        self._free_area = next((a for a in catalogue.result_areas if a.free_text), None)
        self._extra: list[Result] = []  # stored results the catalogue does not know (kept)

        self.model = ResultsTreeModel(catalogue.result_areas, self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Te bereiken resultaten per resultaatgebied")
        # Bijlage 1 texts are long: they wrap onto more lines instead of being cut off
        # (rows then differ in height; they are laid out again when the column resizes).
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.sectionResized.connect(lambda *_a: self.tree.doItemsLayout())
        self.tree.installEventFilter(self)
        self.model.changed.connect(self._on_model_changed)
        self.tree.selectionModel().currentChanged.connect(self._on_current)

        side = QWidget()
        scol = QVBoxLayout(side)
        scol.setContentsMargins(8, 0, 0, 0)
        self.area_title = heading("", 2)
        self.area_title.setWordWrap(True)
        self.area_aim = QLabel()
        self.area_aim.setWordWrap(True)
        self.development = ChoiceSelector(
            DEVELOPMENT_OPTIONS, "Verwachte ontwikkeling van dit resultaatgebied"
        )
        self.development.value_changed.connect(self._on_development)
        dev_label = QLabel("&Ontwikkeling (T / S):")
        dev_label.setBuddy(self.development)
        scol.addWidget(self.area_title)
        scol.addWidget(self.area_aim)
        scol.addWidget(dev_label)
        scol.addWidget(self.development)

        justitie = QGroupBox(self._free_area.name if self._free_area else "Justitie")
        jcol = QVBoxLayout(justitie)
        jnote = QLabel("Geen resultaten in Bijlage 1: formuleer het resultaat zelf, één per regel.")
        jnote.setWordWrap(True)
        self.justitie = TextArea("Resultaten justitie (vrije tekst, één per regel)", lines=4)
        self.justitie_development = ChoiceSelector(DEVELOPMENT_OPTIONS, "Ontwikkeling justitie")
        self.justitie.textChanged.connect(self._on_justitie)
        self.justitie_development.value_changed.connect(self._on_justitie)
        jcol.addWidget(jnote)
        jcol.addWidget(self.justitie)
        jcol.addWidget(self.justitie_development)
        scol.addWidget(justitie)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Aantal gekozen resultaten")
        scol.addWidget(self.summary)
        scol.addStretch(1)
        side.setMinimumWidth(300)
        side.setMaximumWidth(400)

        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(8, 4, 0, 4)
        hint = QLabel(
            "Spatie: resultaat aan/uit · T/S: toename of stabilisatie voor het gebied · pijltjes: bladeren"
        )
        hint.setStyleSheet(muted_style())
        hint.setWordWrap(True)
        lcol.addWidget(hint)
        # Regular IB or intramural: the beschikking names no results, so the choices wait.
        self.not_applicable = MessageLabel()
        self.not_applicable.setAccessibleName("Resultaten tellen niet mee bij dit advies")
        lcol.addWidget(self.not_applicable)
        # Low ZRM scores name the result areas to consider (the domains and their scores).
        self.consider = MessageLabel()
        lcol.addWidget(self.consider)
        lcol.addWidget(self.tree, 1)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(left, 1)
        outer.addWidget(side)
        QWidget.setTabOrder(self.tree, self.development)
        QWidget.setTabOrder(self.development, self.justitie)
        QWidget.setTabOrder(self.justitie, self.justitie_development)
        ctx.advice_changed.connect(self._apply_outcome)

    # -- load -----------------------------------------------------------------------------
    def _load(self) -> None:
        results = self.ctx.case.results
        free_key = self._free_area.key if self._free_area else "justitie"
        known = {a.key: set(a.results) for a in self.ctx.catalogue.result_areas if not a.free_text}
        self._extra = [
            r
            for r in results
            if r.area != free_key and (r.area not in known or r.result not in known[r.area])
        ]
        self.model.load(results)
        free = [r for r in results if r.area == free_key]
        self.justitie.set_text("\n".join(r.result for r in free))
        self.justitie_development.set_value(free[0].development if free else "toename")
        self._expand()
        self._apply_outcome()

    def _scores_and_forms(self) -> tuple[dict[str, int], dict[str, str]]:
        """The ZRM scores of the draft and each scored domain's effective support form."""
        data = self.ctx.case.assessment or {}
        zrm = data.get("zrm") or {}
        scores = {k: v for k, v in zrm.items() if isinstance(v, int)}
        forms = effective_support_forms(scores, data.get("support_forms") or {}, self.ctx.rules)
        return scores, forms

    def hints(self) -> tuple[AreaHint, ...]:
        """The result areas the ZRM points to (domains needing aanleren or overnemen)."""
        scores, forms = self._scores_and_forms()
        return areas_to_consider(self.ctx.catalogue, scores, forms)

    def _needing_support(self) -> set[str]:
        """Result areas of domains whose support form is not 'geen'."""
        scores, forms = self._scores_and_forms()
        if not scores:
            return {a.key for a in self.ctx.catalogue.result_areas}
        return {
            self.ctx.catalogue.domain(key).result_area
            for key, form in forms.items()
            if form != "geen"
        }

    def _expand(self) -> None:
        needing = self._needing_support()
        chosen = {r.area for r in self.model.results()}
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            key = self.model.area_key(index)
            self.tree.setExpanded(index, key in needing or key in chosen)

    def focus_first(self) -> None:
        self._expand()
        self.tree.setFocus()
        current = self.tree.currentIndex()
        # Start on a result (Space ticks it), not on an area heading.
        if not current.isValid() or self.model.is_area(current):
            for row in range(self.model.rowCount()):
                area = self.model.index(row, 0)
                if self.tree.isExpanded(area) and self.model.rowCount(area):
                    self.tree.setCurrentIndex(self.model.index(0, 0, area))
                    return
            self.tree.setCurrentIndex(self.model.index(0, 0))

    # -- edits ----------------------------------------------------------------------------
    def _store(self) -> None:
        free_key = self._free_area.key if self._free_area else "justitie"
        development = self.justitie_development.value() or "toename"
        free = [
            Result(area=free_key, result=line.strip(), development=development)
            for line in self.justitie.toPlainText().splitlines()
            if line.strip()
        ]
        self.ctx.case.results = [*self.model.results(), *self._extra, *free]
        self._refresh_summary()
        self._refresh_hints()
        self.edited()

    def _on_model_changed(self) -> None:
        if not self._loading:
            self._sync_development()
            self._store()

    def _on_justitie(self, *_args: object) -> None:
        if not self._loading:
            self._store()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(AREA_KEY_ROLE) if current.isValid() else None
        if key is None:
            return
        area = self.ctx.catalogue.result_area(key)
        self.area_title.setText(area.name)
        self.area_aim.setText(f"Doel: {area.aim}")
        self._sync_development()

    def _sync_development(self) -> None:
        key = self.tree.currentIndex().data(AREA_KEY_ROLE)
        if key is not None:
            self.development.set_value(self.model.development(key))

    def _on_development(self, value: str | None) -> None:
        key = self.tree.currentIndex().data(AREA_KEY_ROLE)
        if key is not None and value is not None:
            self.model.set_development(key, value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            text = event.text().lower()
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if text in ("t", "s") and modifiers in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.ShiftModifier,
            ):
                key = self.tree.currentIndex().data(AREA_KEY_ROLE)
                if key is not None and not self.ctx.read_only:
                    self.model.set_development(key, "toename" if text == "t" else "stabilisatie")
                return True
        return super().eventFilter(watched, event)

    def counts(self) -> bool:
        """Do the results count for the advice? Not for regular IB or intramural (they
        have no BW components); still open while the advice is incomplete."""
        advice = self.ctx.advice
        return advice is None or advice.outcome == "ib_bw"

    def _apply_outcome(self) -> None:
        counts = self.counts()
        for widget in (self.tree, self.development, self.justitie, self.justitie_development):
            widget.setEnabled(counts)
        advice = self.ctx.advice
        self.not_applicable.show_message(
            None
            if counts
            else f"Het advies is {OUTCOME_NAMES[advice.outcome]}: daarbij horen geen te "
            "bereiken resultaten in de beschikking. De keuzes hieronder tellen niet mee.",
            "warning",
        )
        self._refresh_summary()
        self._refresh_hints()

    def _refresh_hints(self) -> None:
        """ "Te overwegen (lage ZRM-scores): …", and the areas among them still without a
        result; nothing while the results do not count."""
        hints = self.hints() if self.counts() else ()
        self.model.set_hints({hint.area.key: (hint.lowest, hint.describe()) for hint in hints})
        if not hints:
            self.consider.show_message(None)
            return
        chosen = {r.area for r in self.ctx.case.results}
        open_areas = [hint.short_name for hint in hints if hint.area.key not in chosen]
        text = (
            "Te overwegen op grond van lage ZRM-scores: "
            + "; ".join(h.describe() for h in hints)
            + "."
        )
        if open_areas:
            text += " Nog geen resultaat bij: " + ", ".join(open_areas) + "."
        self.consider.show_message(text, "warning" if open_areas else "ok")

    def _refresh_summary(self) -> None:
        count = len(self.ctx.case.results)
        advice = self.ctx.advice
        outcome = advice.outcome if advice is not None else None
        if count == 0 and outcome == "ib_bw":
            self.summary.setText(
                "Nog geen resultaat gekozen: de beschikking noemt er minstens één."
            )
            self.summary.setStyleSheet(f"color: {WARN_COLOUR};")
        else:
            self.summary.setText(f"Gekozen: {count} resultaat" + ("" if count == 1 else "en") + ".")
            self.summary.setStyleSheet("")

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.model.set_read_only(read_only)
