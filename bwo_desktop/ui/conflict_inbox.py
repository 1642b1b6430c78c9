"""The conflict inbox (docs/team-mode-in-the-app.md): changes the office did not take.
Three kinds (`core.conflict_view.kind`), each with its own list line, buttons and questions:

- a parked case (another laptop holds it, or its lease was broken): both versions side by
  side, the fields that differ first; keep the office's version or one's own as a new one
  ("mine" disabled, with the reason as tooltip, while another laptop holds the case);
- a client's field conflict: only the conflicting fields are decided (first, in bold);
  keep the office's value or one's own;
- a case that left this laptop (handed to another consultant): only the office's version
  can stand ("sluiten"); "mine" is disabled until the team lead gives the case back.

Nothing is merged automatically in a legal document: a person decides.

Reads and decisions run on a worker (`CaseOp`); the dialog only shows.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.conflict_view import (
    CASE,
    CLIENT,
    LEFT,
    compare,
    field_list,
    kind,
    reason_text,
    subject,
    title,
)
from bwo_desktop.ui.operations import CaseOp, failure_text

TITLE = "Conflicten met het kantoor"
KEEP_OFFICE = "office"
KEEP_MINE = "mine"
MIN_LABEL_WIDTH = 160  # px: the field-name column never narrower than this
MSG_EMPTY = "Er zijn geen open conflicten: alles wat u verstuurde, is door het kantoor opgenomen."
INTRO = (
    "Deze wijzigingen heeft het kantoor niet opgenomen. Kies per conflict wat geldt; er wordt "
    "niets vanzelf samengevoegd."
)
# Per kind: the two buttons' texts and their questions ({ref}: the list line's subject;
# {fields}: a client's conflicting fields; {to}: who a case went to).
BUTTONS = {
    CASE: ("&Kantoorversie houden", "&Mijn versie houden (nieuwe versie)"),
    CLIENT: ("&Kantoorwaarde houden", "&Mijn waarde houden"),
    LEFT: ("&Kantoorversie houden (sluiten)", "&Mijn versie houden"),
}
QUESTIONS = {
    (CASE, KEEP_OFFICE): (
        "De versie van het kantoor houden? Uw wijzigingen aan casus {ref} op deze laptop "
        "vervallen (ze blijven in het logboek te zien)."
    ),
    (CASE, KEEP_MINE): (
        "Uw versie van casus {ref} houden? Die gaat bij de volgende synchronisatie als nieuwe "
        "versie naar het kantoor; de versie van het kantoor blijft bewaard."
    ),
    (CLIENT, KEEP_OFFICE): (
        "Voor {fields} van cliënt {ref} houden wat het kantoor heeft? Wat u op deze laptop "
        "invulde, vervalt; de andere gegevens van de cliënt blijven zoals ze zijn."
    ),
    (CLIENT, KEEP_MINE): (
        "Voor {fields} van cliënt {ref} houden wat u op deze laptop invulde? Het gaat bij de "
        "volgende synchronisatie naar het kantoor en vervangt daar wat het kantoor heeft."
    ),
    (LEFT, KEEP_OFFICE): (
        "Casus {ref} staat niet meer op deze laptop. De versie van het kantoor laten gelden en "
        "dit conflict sluiten? Uw niet opgenomen wijziging vervalt (ze blijft in het logboek "
        "te zien)."
    ),
}
WHY_NOT_MINE_LEFT = (
    "Casus {ref} is overgedragen aan {to} en staat niet meer op deze laptop. Uw versie houden "
    "kan pas als de teamleider de casus (de lease) aan u teruggeeft; na de volgende "
    "synchronisatie staat hij weer hier."
)
WHY_NOT_MINE_HELD = (
    "Casus {ref} is in bezit van {to}: alleen die laptop kan hem wijzigen. Uw versie houden "
    "kan pas als de teamleider de casus (de lease) aan deze laptop geeft."
)
WHY_NOT_OFFICE = "Het kantoor heeft geen versie van casus {ref}: alleen uw versie kan gelden."
HEADERS = {
    CASE: ["Veld", "Uw versie (deze laptop)", "Kantoor"],
    CLIENT: ["Veld", "Uw waarde (deze laptop)", "Kantoor"],
    LEFT: ["Veld", "Uw niet opgenomen versie", "Kantoor"],
}


class Conflict(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def reference(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def holder(self) -> str | None: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def local_row(self) -> dict[str, Any]: ...
    @property
    def office_row(self) -> dict[str, Any] | None: ...
    @property
    def table_name(self) -> str: ...
    @property
    def fields(self) -> list[str] | None: ...
    @property
    def here(self) -> bool: ...
    @property
    def held_by(self) -> str | None: ...


class InboxSource(Protocol):
    def conflicts(self) -> Sequence[Conflict]: ...
    def resolve_conflict(self, conflict_id: Any, keep: str) -> None: ...


def _when(at: dt.datetime) -> str:
    return at.astimezone().strftime("%d-%m-%Y %H:%M")


def kind_of(conflict: Conflict) -> str:
    return kind(conflict.table_name, conflict.here)


def title_of(conflict: Conflict) -> str:
    """The list line: "Casus K", "Cliënt Şahin, A. — telefoon begeleider", "Casus K —
    overgedragen aan B. Tweede"."""
    return title(
        kind_of(conflict),
        conflict.reference,
        conflict.local_row,
        conflict.fields or (),
        conflict.holder,
    )


def _subject(conflict: Conflict) -> str:
    """What the questions name: the kenmerk, or the client's name."""
    return subject(kind_of(conflict), conflict.reference, conflict.local_row)


def _plural(text: str, fields: Sequence[str]) -> str:
    return text.replace("waarde", "waarden") if len(fields) > 1 else text


def question_text(conflict: Conflict, keep: str) -> str:
    what = kind_of(conflict)
    fields = conflict.fields or []
    return QUESTIONS[(what, keep)].format(ref=_subject(conflict), fields=field_list(fields))


def why_not(conflict: Conflict, keep: str) -> str | None:
    """Why a decision cannot be taken now (the disabled button's tooltip), else None."""
    what, ref = kind_of(conflict), _subject(conflict)
    if keep == KEEP_MINE and what == LEFT:
        return WHY_NOT_MINE_LEFT.format(ref=ref, to=conflict.holder or "een andere consulent")
    if keep == KEEP_MINE and what == CASE and conflict.held_by:
        return WHY_NOT_MINE_HELD.format(ref=ref, to=conflict.held_by)
    if keep == KEEP_OFFICE and what == CASE and conflict.office_row is None:
        return WHY_NOT_OFFICE.format(ref=ref)
    return None


class ConflictInboxDialog(QDialog):
    def __init__(
        self,
        source: InboxSource,
        parent: QWidget | None = None,
        *,
        on_resolved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(980, 560)
        self._source = source
        self._on_resolved = on_resolved
        self._conflicts: list[Conflict] = []
        self.busy = False

        self.intro = QLabel(INTRO)
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Open conflicten")
        self.list.setMinimumWidth(280)
        self.list.setWordWrap(True)  # "Casus K (overgedragen aan …)" wraps, never clipped
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._show)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setAccessibleName("Reden")
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Beide versies naast elkaar")
        self.table.setHorizontalHeaderLabels(HEADERS[CASE])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        # The field names fit, up to a third of the width: a long one ("criterium: heeft de
        # cliënt 24/7 ...") wraps rather than squeezing both versions.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keep_office = QPushButton(BUTTONS[CASE][0])
        self.keep_mine = QPushButton(BUTTONS[CASE][1])
        for button in (self.keep_office, self.keep_mine):
            button.setAutoDefault(False)
        self.keep_office.clicked.connect(lambda: self._resolve(KEEP_OFFICE))
        self.keep_mine.clicked.connect(lambda: self._resolve(KEEP_MINE))
        self.empty = QLabel(MSG_EMPTY)
        self.empty.setWordWrap(True)
        self.empty.hide()

        side = QVBoxLayout()
        side.addWidget(self.reason)
        side.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.keep_office)
        actions.addWidget(self.keep_mine)
        actions.addStretch(1)
        side.addLayout(actions)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(side, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self._set_enabled(False)
        self.reload()

    # --- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.busy = True
        CaseOp(self, self._source.conflicts, what="De conflicten lezen").success(
            self._loaded
        ).failure(self._failed).run_in_background()

    def _loaded(self, conflicts: Sequence[Conflict]) -> None:
        self.busy = False
        self._conflicts = list(conflicts)
        self.list.clear()
        for conflict in self._conflicts:
            line = title_of(conflict)
            item = QListWidgetItem(f"{line}\n{_when(conflict.created_at)}")
            item.setToolTip(f"{line}: {reason_text(conflict.reason)}")
            self.list.addItem(item)
        self.empty.setVisible(not self._conflicts)
        if self._conflicts:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self._show(-1)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        QMessageBox.warning(
            self, TITLE, f"De conflicten konden niet worden gelezen. {failure_text(exc)}"
        )

    def current(self) -> Conflict | None:
        row = self.list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _show(self, _row: int) -> None:
        conflict = self.current()
        self.table.setRowCount(0)
        if conflict is None:
            self.reason.setText("")
            self._set_enabled(False)
            return
        what = kind_of(conflict)
        for button, text in zip((self.keep_office, self.keep_mine), BUTTONS[what], strict=True):
            button.setText(_plural(text, conflict.fields or []) if what == CLIENT else text)
        self.reason.setText(self._reason_html(conflict, what))
        self.table.setHorizontalHeaderLabels(HEADERS[what])
        self.table.setColumnHidden(2, conflict.office_row is None)
        decided = conflict.fields or [] if what == CLIENT else None
        diffs = compare(conflict.local_row, conflict.office_row, decided)
        self.table.setRowCount(len(diffs))
        bold = QFont()
        bold.setBold(True)
        for row, diff in enumerate(diffs):
            cells = (diff.label, diff.mine, diff.office)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if diff.marked:
                    item.setFont(bold)
                self.table.setItem(row, col, item)
        self.table.resizeColumnToContents(0)
        widest = max(self.table.viewport().width() // 3, MIN_LABEL_WIDTH)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), widest))
        self.table.resizeRowsToContents()
        self._set_enabled(True)

    @staticmethod
    def _reason_html(conflict: Conflict, what: str) -> str:
        line = f"<b>{html.escape(title_of(conflict))}</b>"
        if what == CLIENT:
            fields = conflict.fields or []
            one = len(fields) == 1
            return (
                f"{line}: het kantoor had intussen een andere waarde voor "
                f"{html.escape(field_list(fields))}. U kiest hier alleen "
                f"{'dat veld' if one else 'die velden'} (bovenaan, vet); de andere gegevens "
                "van de cliënt zijn al bijgewerkt."
            )
        if what == LEFT:
            compared = " Velden die verschillen staan bovenaan, vet." if conflict.office_row else ""
            return (
                f"{line}: de casus staat niet meer op deze laptop. Hieronder staat uw wijziging "
                "die het kantoor niet heeft opgenomen. Uw versie houden kan pas als de "
                f"teamleider de casus aan u teruggeeft.{compared}"
            )
        reason = reason_text(conflict.reason)
        holder = conflict.holder
        now = f" (nu bij {holder})" if holder and holder not in reason else ""
        compared = " Velden die verschillen staan bovenaan, vet." if conflict.office_row else ""
        return f"{line}: {html.escape(reason + now)}.{compared}"

    def _set_enabled(self, enabled: bool) -> None:
        conflict = self.current() if enabled else None
        for button, keep in ((self.keep_office, KEEP_OFFICE), (self.keep_mine, KEEP_MINE)):
            blocked = why_not(conflict, keep) if conflict is not None else None
            button.setEnabled(conflict is not None and blocked is None)
            button.setToolTip(blocked or "")

    # --- deciding ------------------------------------------------------------------------

    def _resolve(self, keep: str) -> None:
        conflict = self.current()
        if conflict is None or self.busy or why_not(conflict, keep) is not None:
            return
        answer = QMessageBox.question(
            self,
            TITLE,
            question_text(conflict, keep),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # a decision on a legal document: "Nee" first
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.busy = True
        self._set_enabled(False)

        def _done(_result: object) -> None:
            self.busy = False
            if self._on_resolved is not None:
                self._on_resolved()
            self.reload()

        def _failed(exc: BaseException) -> None:
            self.busy = False
            self._set_enabled(True)
            QMessageBox.warning(self, TITLE, f"Het conflict is niet opgelost. {failure_text(exc)}")

        identifier = conflict.id
        CaseOp(
            self,
            lambda: self._source.resolve_conflict(identifier, keep),
            what="Het conflict oplossen",
        ).success(_done).failure(_failed).run_in_background()

    def keyPressEvent(self, event: Any) -> None:  # Enter never decides: it needs a button
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


__all__ = ["KEEP_MINE", "KEEP_OFFICE", "ConflictInboxDialog", "InboxSource"]
