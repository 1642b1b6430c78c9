"""The first window: unlock the database with the passphrase, or set up a new one.

It is shown before anything heavy is imported (start-up budget), so it depends on Qt and
the package's light modules only. It does no work itself: it emits what the user asked
for, and the composition root opens the database on a worker thread and reports back.
`LockPanel` is the same passphrase form inside the main window after a lock (Ctrl+L or idle).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop import APP_TITLE, __version__
from bwo_desktop.core.passphrase import passphrase_problems
from bwo_desktop.settings import consultant_name_problem, tidy_name

MSG_WRONG_PASSPHRASE = "De wachtwoordzin is onjuist. Probeer het opnieuw."
MSG_MISMATCH = "De twee wachtwoordzinnen zijn niet gelijk."
MSG_EMPTY = "Vul de wachtwoordzin in."
MSG_RULE = "Een wachtwoordzin heeft minstens 12 tekens of 4 woorden."
_MSG_LOCKED_TAIL = (
    "Geef de wachtwoordzin om verder te werken; niets van uw werk is verloren gegaan."
)
MSG_LOCKED_IDLE = f"Vergrendeld na een periode zonder gebruik. {_MSG_LOCKED_TAIL}"
MSG_LOCKED_MANUAL = f"Vergrendeld. {_MSG_LOCKED_TAIL}"

# The strength rule: None (or nothing) when strong enough, else one reason or several.
StrengthCheck = Callable[[str], "str | Sequence[str] | None"]


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("errorLabel")
    label.setStyleSheet("color: #b00020;")
    label.setAccessibleName("Foutmelding")
    label.hide()
    return label


def _busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # indeterminate: the work runs on a worker thread, the window stays live
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.setAccessibleName("Bezig")
    bar.hide()
    return bar


class _PassphraseForm(QWidget):
    """What the unlock and set-up forms share: the error line, the progress line and bar
    and the submit button at the bottom right, and the busy state while a worker runs."""

    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = False  # a worker runs for what was submitted
        self.error_label = _error_label()
        self.busy_bar = _busy_bar()
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Voortgang")
        self.status_label.hide()
        self.submit_button = QPushButton(button_text)
        self.submit_button.setDefault(True)
        self.submit_button.setAccessibleName(button_text.replace("&", ""))
        self.submit_button.clicked.connect(self._submit)

    def _add_footer(self, layout: QVBoxLayout) -> None:
        """Error, progress and the submit button below the form's own fields."""
        layout.addWidget(self.error_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.busy_bar)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.submit_button)
        layout.addLayout(row)
        layout.addStretch(1)

    def _inputs(self) -> tuple[QWidget, ...]:
        """What the consultant can operate; disabled while busy."""
        return (self.submit_button,)

    def _submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_busy(self, message: str) -> None:
        self.busy = True
        self.status_label.setText(message)
        self.status_label.show()
        self.busy_bar.show()
        self.error_label.hide()
        for widget in self._inputs():
            widget.setEnabled(False)

    def set_idle(self) -> None:
        self.busy = False
        self.status_label.hide()
        self.busy_bar.hide()
        for widget in self._inputs():
            widget.setEnabled(True)


class UnlockForm(_PassphraseForm):
    """Passphrase field, show toggle, error line and an Openen button."""

    submitted = Signal(str)

    def __init__(self, button_text: str = "&Openen", parent: QWidget | None = None) -> None:
        super().__init__(button_text, parent)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Wachtwoordzin")
        self.passphrase_edit.setAccessibleDescription(
            "De wachtwoordzin van de versleutelde database"
        )
        self.passphrase_edit.returnPressed.connect(self._submit)
        label = QLabel("&Wachtwoordzin:")
        label.setBuddy(self.passphrase_edit)

        self.show_check = QCheckBox("Wachtwoordzin &tonen")
        self.show_check.setAccessibleName("Wachtwoordzin tonen")
        self.show_check.toggled.connect(self._toggle_echo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.show_check)
        self._add_footer(layout)
        self.setTabOrder(self.passphrase_edit, self.show_check)
        self.setTabOrder(self.show_check, self.submit_button)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)

    def _submit(self) -> None:
        if self.busy:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.show_error(MSG_EMPTY)
            return
        self.error_label.hide()
        self.submitted.emit(passphrase)

    def _inputs(self) -> tuple[QWidget, ...]:
        return (self.passphrase_edit, self.show_check, self.submit_button)

    def focus_first(self) -> None:
        self.passphrase_edit.setFocus()

    def show_error(self, message: str) -> None:
        self.set_idle()
        self.error_label.setText(message)
        self.error_label.show()
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def clear(self) -> None:
        self.passphrase_edit.clear()
        self.error_label.hide()
        self.set_idle()


class SetupForm(_PassphraseForm):
    """A new database: the consultant's name, the passphrase twice (minimum strength) and
    the demo data choice. Each problem is its own line under the fields, kept up to date
    while the consultant types; the button stays disabled until none is left."""

    submitted = Signal(str, bool, str)  # passphrase, demo data, consultant's name

    def __init__(self, strength_check: StrengthCheck, parent: QWidget | None = None) -> None:
        super().__init__("Database &aanmaken", parent)
        self._strength_check = strength_check
        # A field's problems show once the consultant has been in it (or tried to submit):
        # no wall of red before the first key.
        self._touched: set[QLineEdit] = set()
        intro = QLabel(
            "Er is nog geen database. Vul uw naam in en kies een wachtwoordzin: de database "
            "wordt daarmee versleuteld. Zonder de wachtwoordzin zijn de gegevens niet meer "
            "te openen."
        )
        intro.setWordWrap(True)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Uw naam")
        self.name_edit.setAccessibleDescription("Staat in de brieven en in het logboek")
        self.name_edit.setPlaceholderText("Voornaam Achternaam")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Nieuwe wachtwoordzin")
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit.setAccessibleName("Herhaal de wachtwoordzin")
        for edit in self._edits():
            edit.textEdited.connect(lambda _t, e=edit: self._touch(e))
            edit.installEventFilter(self)  # leaving a field (even empty) touches it
            edit.textChanged.connect(self._update_problems)
        self.name_edit.returnPressed.connect(self.passphrase_edit.setFocus)
        self.passphrase_edit.returnPressed.connect(self.repeat_edit.setFocus)
        self.repeat_edit.returnPressed.connect(self._submit)

        self.show_check = QCheckBox("Wachtwoordzin &tonen")
        self.show_check.setAccessibleName("Wachtwoordzin tonen")
        self.show_check.toggled.connect(self._toggle_echo)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("Sterkte van de wachtwoordzin")
        self.hint_label.setStyleSheet("color: #4a4a4a;")  # readable contrast
        self.problems_box = QWidget()
        self.problems_box.setAccessibleName("Wat nog ontbreekt")
        self._problems_layout = QVBoxLayout(self.problems_box)
        self._problems_layout.setContentsMargins(0, 0, 0, 0)
        self._problems_layout.setSpacing(2)
        self.problem_labels: list[QLabel] = []
        self.demo_check = QCheckBox("&Demogegevens laden (fictieve cliënten, om te oefenen)")
        self.demo_check.setAccessibleName("Demogegevens laden")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for text, edit in (
            ("&Uw naam:", self.name_edit),
            ("&Nieuwe wachtwoordzin:", self.passphrase_edit),
            ("&Herhaal:", self.repeat_edit),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.problems_box)
        layout.addWidget(self.show_check)
        layout.addWidget(self.demo_check)
        self._add_footer(layout)
        order = (*self._edits(), self.show_check, self.demo_check, self.submit_button)
        for a, b in itertools.pairwise(order):
            self.setTabOrder(a, b)
        self._update_problems()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QLineEdit):
            self._touch(watched)
        return super().eventFilter(watched, event)

    def _edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        return (self.name_edit, self.passphrase_edit, self.repeat_edit)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)
        self.repeat_edit.setEchoMode(mode)

    def consultant_name(self) -> str:
        return tidy_name(self.name_edit.text())

    def problems(self, *, all_fields: bool = True) -> list[str]:
        """What stands between the form and a new database, one sentence per problem, in
        the order of the fields; `all_fields=False`: only of the fields already touched."""

        def shown(edit: QLineEdit) -> bool:
            return all_fields or edit in self._touched or bool(edit.text())

        found: list[str] = []
        name_problem = consultant_name_problem(self.consultant_name())
        if name_problem and shown(self.name_edit):
            found.append(name_problem)
        first, second = self.passphrase_edit.text(), self.repeat_edit.text()
        if shown(self.passphrase_edit):
            found += _strength_problems(self._strength_check, first) if first else [MSG_EMPTY]
        repeat_due = all_fields or self.repeat_edit in self._touched
        if first != second and (second or (first and repeat_due)):
            found.append(MSG_MISMATCH)
        return found

    def _touch(self, edit: QLineEdit) -> None:
        if edit not in self._touched:
            self._touched.add(edit)
            self._update_problems()

    def _update_problems(self) -> None:
        first = self.passphrase_edit.text()
        weak = bool(first) and bool(_strength_problems(self._strength_check, first))
        # The rule while nothing is typed, the all-clear when met; in between the problem
        # lines say what is missing (the window stays low enough for 150 % at 1366×768).
        self.hint_label.setText("Sterk genoeg." if first else MSG_RULE)
        self.hint_label.setVisible(not weak)
        self._show_problems(self.problems(all_fields=False))
        if not self.busy:  # while busy everything is disabled; set_idle comes back here
            self.submit_button.setEnabled(not self.problems())

    def _show_problems(self, problems: list[str]) -> None:
        """One label per problem; labels are reused so the text under the cursor does not
        jump while typing."""
        while len(self.problem_labels) < len(problems):
            label = _error_label()
            label.setObjectName("problemLabel")
            label.setAccessibleName("Probleem")
            self._problems_layout.addWidget(label)
            self.problem_labels.append(label)
        for i, label in enumerate(self.problem_labels):
            if i < len(problems):
                label.setText("• " + problems[i])
                label.show()
            else:
                label.hide()
        self.problems_box.setVisible(bool(problems))

    def shown_problems(self) -> list[str]:
        """The problem lines on screen, without their bullets (for tests and screen readers)."""
        return [label.text()[2:] for label in self.problem_labels if not label.isHidden()]

    def _submit(self) -> None:
        if self.busy:
            return
        problems = self.problems()
        if problems:
            # Enter with something missing: show every problem, the focus stays put.
            self._touched.update(self._edits())
            self._update_problems()
            return
        self.error_label.hide()
        self.submitted.emit(
            self.passphrase_edit.text(), self.demo_check.isChecked(), self.consultant_name()
        )

    def _inputs(self) -> tuple[QWidget, ...]:
        return (*self._edits(), self.show_check, self.demo_check, self.submit_button)

    def set_idle(self) -> None:
        super().set_idle()
        self._update_problems()

    def focus_first(self) -> None:
        """The first field still to fill: the name, unless it is known already."""
        edit = self.passphrase_edit if self.name_edit.text().strip() else self.name_edit
        edit.setFocus()

    def show_error(self, message: str) -> None:
        self.set_idle()
        self.error_label.setText(message)
        self.error_label.show()
        self.passphrase_edit.setFocus()


def _strength_problems(check: StrengthCheck, passphrase: str) -> list[str]:
    """The strength check's answer as a list of sentences (a check may give one reason)."""
    result = check(passphrase)
    if not result:
        return []
    if isinstance(result, str):
        return [_sentence(result)]
    return [_sentence(text) for text in result]


def _header(subtitle: str) -> tuple[QWidget, QLabel]:
    """The app's name in large type over a subtitle; the subtitle label for later changes."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    title = QLabel(APP_TITLE)
    font = QFont(title.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    title.setFont(font)
    title.setAccessibleName(APP_TITLE)
    sub = QLabel(subtitle)
    sub.setWordWrap(True)
    sub.setStyleSheet("color: #4a4a4a;")  # readable contrast
    layout.addWidget(title)
    layout.addWidget(sub)
    return box, sub


class UnlockWindow(QWidget):
    """Shown at once on start: unlock (database exists) or set-up (first start)."""

    MODE_UNLOCK = "unlock"
    MODE_SETUP = "setup"

    # The forms' width; the height follows the content (messages wrap, the window grows).
    CONTENT_WIDTH = 580

    unlock_requested = Signal(str)
    setup_requested = Signal(str, bool, str)  # passphrase, demo data, consultant's name

    def __init__(
        self,
        db_path: Path | str,
        *,
        mode: str = MODE_UNLOCK,
        strength_check: StrengthCheck = passphrase_problems,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} {__version__}")
        self.setAccessibleName(f"{APP_TITLE}: database openen")
        self.unlock_form = UnlockForm()
        self.setup_form = SetupForm(strength_check)
        self.unlock_form.submitted.connect(self.unlock_requested)
        self.setup_form.submitted.connect(self.setup_requested)
        # Both forms in one box, one of them hidden: a hidden widget takes no room in a box
        # layout (a QStackedWidget asks every page's height-for-width, the tallest wins).
        self.forms = QWidget()
        self.forms.setFixedWidth(self.CONTENT_WIDTH)
        box = QVBoxLayout(self.forms)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.unlock_form)
        box.addWidget(self.setup_form)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.db_label = QLabel(f"Database: {db_path}")
        self.db_label.setWordWrap(True)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_label.setStyleSheet("color: #4a4a4a;")  # readable contrast
        self.db_label.setAccessibleName("Locatie van de database")
        self.db_label.setToolTip(str(db_path))
        text, metrics = self.db_label.text(), self.db_label.fontMetrics()
        if max(metrics.horizontalAdvance(word) for word in text.split()) > self.CONTENT_WIDTH:
            # A folder name too long to wrap would widen the window past a small screen.
            self.db_label.setWordWrap(False)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, self.CONTENT_WIDTH)
            self.db_label.setText(elided)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 14)
        layout.setSpacing(10)
        # The window is as large as its content needs, at every moment: a new message line
        # makes it taller instead of squeezing the fields (word-wrapped labels need this).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        header, _subtitle = _header(
            f"Herindicatie Beschermd Wonen extramuraal · Sociale Dienst Drechtsteden · "
            f"versie {__version__}"
        )
        layout.addWidget(header)
        layout.addWidget(line)
        layout.addWidget(self.forms)
        layout.addStretch(1)
        layout.addWidget(self.db_label)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.close)
        self.set_mode(mode)

    def mode(self) -> str:
        return self.MODE_UNLOCK if self.setup_form.isHidden() else self.MODE_SETUP

    def set_mode(self, mode: str) -> None:
        current = self.setup_form if mode == self.MODE_SETUP else self.unlock_form
        # Only the shown form claims room: the window fits the form it shows.
        other = self.unlock_form if current is self.setup_form else self.setup_form
        other.hide()
        current.show()
        current.focus_first()
        self.adjustSize()

    def current_form(self) -> UnlockForm | SetupForm:
        return self.setup_form if self.mode() == self.MODE_SETUP else self.unlock_form

    def set_busy(self, message: str) -> None:
        self.current_form().set_busy(message)

    def set_idle(self) -> None:
        self.current_form().set_idle()

    def show_error(self, message: str) -> None:
        self.current_form().show_error(message)

    def prefill(self, passphrase: str, *, demo: bool = False) -> None:
        """Pre-fill from BWO_PASSPHRASE (documented demo use)."""
        self.unlock_form.passphrase_edit.setText(passphrase)
        self.setup_form.passphrase_edit.setText(passphrase)
        self.setup_form.repeat_edit.setText(passphrase)
        self.setup_form.demo_check.setChecked(demo)

    def prefill_name(self, name: str) -> None:
        """The consultant's name from the settings, when there is one already."""
        self.setup_form.name_edit.setText(name)
        if self.mode() == self.MODE_SETUP:
            self.setup_form.focus_first()

    def center_on_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        frame.moveCenter(area.center())
        self.move(frame.topLeft())


class LockPanel(QWidget):
    """Covers the main window's content after a lock (Ctrl+L, or idle) until the passphrase
    is given; the line under the title says which of the two it was."""

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Vergrendeld")
        self.form = UnlockForm("&Ontgrendelen")
        self.form.submitted.connect(self.unlock_requested)
        card = QWidget()
        card.setMinimumWidth(420)
        card.setMaximumWidth(480)
        inner = QVBoxLayout(card)
        header, self.reason_label = _header(MSG_LOCKED_IDLE)
        self.reason_label.setAccessibleName("Reden van de vergrendeling")
        inner.addWidget(header)
        inner.addWidget(self.form)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def reset(self, *, idle: bool = False) -> None:
        """Empty form; `idle`: locked after the idle time, else by the consultant (Ctrl+L)."""
        self.reason_label.setText(MSG_LOCKED_IDLE if idle else MSG_LOCKED_MANUAL)
        self.form.clear()
        self.form.passphrase_edit.setFocus()
