"""Shared pieces of the case editor's pages: the editing context, keyboard-first selectors,
date fields and small helpers that keep the draft assessment in the advise JSON shape."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.case import Case
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_short, parse_date_nl
from bwo_desktop.core.strict_json import iso_date_or_none

ERROR_COLOUR = "#b00020"
WARN_COLOUR = "#8a5300"
OK_COLOUR = "#1b6e20"

# A read-only text field (a definitief case) must not look like one to type in: the window
# colour instead of the white input background, on every page alike.
READ_ONLY_STYLE = (
    "QLineEdit:read-only, QPlainTextEdit:read-only, QAbstractSpinBox:read-only "
    "{ background: palette(window); }"
)
# Set on a choice input that `Page.set_read_only` disabled, so it is enabled again after.
_DISABLED_READ_ONLY = "bwoDisabledReadOnly"


def muted_colour() -> str:
    """Secondary text (hints, details): the text colour two thirds of the way, not the
    pale palette(mid), which is hard to read on a laptop screen in daylight (about 2.5:1).
    Mixed from the current palette, so a dark theme stays readable too."""
    palette = QGuiApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    share = 0.35  # towards the background: about 7:1 on the default light palette

    def mix(a: int, b: int) -> int:
        return round(a + (b - a) * share)

    colour = QColor(
        mix(text.red(), back.red()), mix(text.green(), back.green()), mix(text.blue(), back.blue())
    )
    return colour.name()


def muted_style() -> str:
    return f"color: {muted_colour()};"


def set_muted(widget: QWidget) -> None:
    widget.setStyleSheet(muted_style())


class EditorContext(QObject):
    """What every page needs: the draft case, the catalogue and rules, the live advice, and
    one call to report an edit (which autosaves and, for the assessment, re-advises)."""

    advice_changed = Signal()
    reloaded = Signal()
    read_only_changed = Signal(bool)

    def __init__(
        self,
        case: Case,
        *,
        catalogue: Any,
        rules: Any,
        tariffs: Any,
        anchors: Any = None,
        previous: Case | None = None,
        on_edit: Callable[[bool], None] | None = None,
    ) -> None:
        super().__init__()
        self.case = case
        self.catalogue = catalogue
        self.rules = rules
        self.tariffs = tariffs
        self.anchors = anchors
        self.previous = previous
        self.advice: Any = None
        self.missing: list[str] = []
        self.read_only = False
        self._on_edit = on_edit

    def edited(self, assessment: bool = False) -> None:
        """Report a change of the draft; `assessment` when the advise input changed."""
        if self.read_only:
            return
        if self._on_edit is not None:
            self._on_edit(assessment)

    # -- the assessment dict (advise input shape; incomplete while concept) --------------
    def assessment(self) -> dict[str, Any]:
        if self.case.assessment is None:
            self.case.assessment = {}
        return self.case.assessment

    def section(self, key: str) -> dict[str, Any]:
        data = self.assessment()
        value = data.get(key)
        if not isinstance(value, dict):
            value = {}
            data[key] = value
        return value

    def assessment_date(self) -> dt.date | None:
        return iso_date(self.assessment().get("assessment_date"))


# A date stored as ISO text in the case's JSON, else None: the one helper is in the core.
iso_date = iso_date_or_none


def clean_text(text: str) -> str | None:
    text = text.strip()
    return text or None


_DIGITS_DATE = re.compile(r"^\s*([0-9]{2})([0-9]{2})([0-9]{4})\s*$")
# A date typed out in full (day, month, four-digit year): only then is it judged while typing.
_COMPLETE_DATE = re.compile(r"^\s*(?:[0-9]{8}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})\s*$")


def parse_date_input(text: str, field: str = "datum") -> dt.date | None:
    """ "" → None; "01-02-2027", "1-2-2027", "01022027" → date; InputError otherwise."""
    if not text.strip():
        return None
    match = _DIGITS_DATE.match(text)
    if match:
        text = f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    return parse_date_nl(text, field)


_DAY_MONTH = re.compile(r"^\s*([0-9]{2})([0-9]{2})\s*$")


def parse_recent_date_input(text: str, today: dt.date, field: str = "datum") -> dt.date | None:
    """As `parse_date_input`, and "ddmm" → the latest such day not after `today` (a date
    that lies behind the consultant, like the support plan's: four keys instead of eight)."""
    match = _DAY_MONTH.match(text)
    if not match:
        return parse_date_input(text, field)
    day, month = int(match.group(1)), int(match.group(2))
    for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # 29-02 outside a leap year: the one before
        if candidate <= today:
            return candidate
    return parse_date_input(text, field)  # no such day at all: the usual message


def parse_time_input(text: str) -> dt.time | None:
    """ "" → None; "9:30", "09.30", "0930" → time; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    match = re.match(r"^([0-9]{1,2})[:.]?([0-9]{2})$", text)
    if not match:
        raise ValueError("geen tijd in de vorm uu:mm")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError("deze tijd bestaat niet")
    return dt.time(hour, minute)


class MessageLabel(QLabel):
    """An inline message under a field: hidden when empty; error, warning or ok colour.

    It is only ever shown inside a layout: a label without a parent would become a window
    of its own that takes the keyboard from the field being typed in (issue 14), so until
    it has a parent the text is kept but nothing is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def show_message(self, text: str | None, kind: str = "error") -> None:
        if not text:
            self.clear()
            self.hide()
            return
        colour = {"error": ERROR_COLOUR, "warning": WARN_COLOUR, "ok": OK_COLOUR}[kind]
        self.setStyleSheet(f"color: {colour};")
        self.setText(text)
        self.setAccessibleName(text)
        if self.parentWidget() is not None:
            self.show()


class DateField(QLineEdit):
    """A date typed as dd-mm-jjjj (or ddmmjjjj); `date_edited` fires with a date or None
    (empty), never with an invalid entry, which instead shows `message` (put it in the
    layout, under or beside the field) and a red border. While typing, a date is judged
    only once it is complete (day, month and a four-digit year); otherwise on leaving."""

    date_edited = Signal(object)

    def __init__(
        self, accessible_name: str, parent: QWidget | None = None, *, recent: bool = False
    ) -> None:
        """`recent`: a date behind the consultant, which may be typed as "ddmm" (the year
        is the latest that keeps it not after today)."""
        super().__init__(parent)
        self._recent = recent
        self.setPlaceholderText("ddmm" if recent else "dd-mm-jjjj")
        self._tip = "dd-mm-jjjj, of alleen ddmm: het jaar vult zich aan" if recent else ""
        self.setToolTip(self._tip)
        self.setAccessibleName(accessible_name)
        self.setMaxLength(10)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00-00-00000") + 24)
        self.message = MessageLabel()
        self._valid = True
        self.textEdited.connect(self._on_edited)
        self.editingFinished.connect(self._normalise)

    def set_date(self, day: dt.date | None) -> None:
        self.setText(format_date_short(day) if day else "")
        self._set_valid(True)

    def parse(self, text: str, field: str = "datum") -> dt.date | None:
        """`text` as this field reads it (InputError when it is not a date)."""
        if self._recent:
            return parse_recent_date_input(text, dt.date.today(), field)
        return parse_date_input(text, field)

    def date(self) -> dt.date | None:
        try:
            return self.parse(self.text())
        except InputError:
            return None

    @property
    def valid(self) -> bool:
        return self._valid

    def _set_valid(self, valid: bool, problem: str = "") -> None:
        self._valid = valid
        self.setStyleSheet("" if valid else f"border: 1px solid {ERROR_COLOUR};")
        self.setToolTip(self._tip if valid else problem)  # there if the message is not placed
        self.message.show_message(None if valid else problem)

    def _on_edited(self, text: str) -> None:
        try:
            day = self.parse(text)
        except InputError as exc:
            # Don't nag while the consultant is still typing: "01-01-20" is half a date.
            complete = bool(_COMPLETE_DATE.match(text)) or len(text) >= self.maxLength()
            self._set_valid(not complete, f"Ongeldige datum: {exc.problem}")
            return
        self._set_valid(True)
        self.date_edited.emit(day)

    def _normalise(self) -> None:
        try:
            day = self.parse(self.text())
        except InputError as exc:
            self._set_valid(False, f"Ongeldige datum: {exc.problem}")
            return
        if day is not None:
            self.setText(format_date_short(day))


class TextArea(QPlainTextEdit):
    """Multi-line text where Tab moves on (keyboard-first), with a compact height."""

    def __init__(self, accessible_name: str, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName(accessible_name)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setFixedHeight(height)

    def set_text(self, text: str | None) -> None:
        if self.toPlainText() != (text or ""):
            self.setPlainText(text or "")


class ChoiceSelector(QFrame):
    """A row of segment buttons for one choice, operated from the keyboard as one stop.

    Every option has its own keys (a digit or a letter); pressing one selects it and emits
    `chosen` (the page may move on). Left/Right step through the options; Delete or Backspace
    clears; with `row_keys`, Up/Down emit `navigate` so a page of rows moves like a list.
    The buttons take no focus themselves, so Tab crosses the selector in one step.
    """

    value_changed = Signal(object)  # any change by the user (value or None)
    chosen = Signal(object)  # a choice made with its key
    navigate = Signal(int)  # -1 / +1
    special_key = Signal(str)  # a key in `extra_keys`

    def __init__(
        self,
        options: Sequence[tuple[Any, str, str]],
        accessible_name: str,
        parent: QWidget | None = None,
        *,
        row_keys: bool = False,
        extra_keys: str = "",
        button_width: int | None = None,
        tooltips: Sequence[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("choiceSelector")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(accessible_name)
        self._name = accessible_name
        self._options = list(options)
        self._row_keys = row_keys
        self._extra_keys = extra_keys
        self._value: Any = None
        self._read_only = False
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self._buttons: list[QPushButton] = []
        for index, (_value, label, keys) in enumerate(self._options):
            button = QPushButton(label, self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            hint = f" (toets {keys[0]})" if keys else ""
            tip = tooltips[index] if tooltips else label
            button.setToolTip(f"{tip}{hint}")
            button.setAccessibleName(f"{accessible_name}: {tip}")
            if button_width:
                button.setFixedWidth(button_width)
            else:
                # Room for the bold face of the chosen option, so nothing jumps or clips.
                bold = button.font()
                bold.setBold(True)
                width = QFontMetrics(bold).horizontalAdvance(label) + 18
                button.setMinimumWidth(max(width, button.sizeHint().width()))
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self._group.addButton(button, index)
            layout.addWidget(button)
            self._buttons.append(button)
        layout.addStretch(0)
        self._group.buttonClicked.connect(self._on_clicked)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "QFrame#choiceSelector { border: 1px solid transparent; border-radius: 4px; }"
            "QFrame#choiceSelector:focus { border: 2px solid palette(highlight); }"
            "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " font-weight: bold; }"
        )
        self._update_description()

    # -- value -----------------------------------------------------------------------------
    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        """Set from the draft (no signals)."""
        self._value = value
        for index, (option, _label, _keys) in enumerate(self._options):
            self._buttons[index].setChecked(option == value and value is not None)
        self._update_description()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for button in self._buttons:
            button.setEnabled(not read_only)

    def _update_description(self) -> None:
        label = next(
            (lbl for v, lbl, _k in self._options if v == self._value and self._value is not None),
            None,
        )
        self.setAccessibleDescription(label or "geen keuze")

    def _user_set(self, value: Any) -> None:
        if self._read_only:
            return
        changed = value != self._value
        self.set_value(value)
        if changed:
            self.value_changed.emit(value)

    def _on_clicked(self, button: QAbstractButton) -> None:
        index = self._group.id(button)
        if self._read_only:
            self.set_value(self._value)
            return
        value = self._options[index][0]
        if value == self._value:  # clicking the chosen one again keeps it (no toggle-off)
            self.set_value(value)
            return
        self._user_set(value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    # -- keys ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
            return
        if text and text in self._extra_keys:
            self.special_key.emit(text)
            event.accept()
            return
        if text:
            for value, _label, keys in self._options:
                if text in keys:
                    self._user_set(value)
                    self.chosen.emit(value)
                    event.accept()
                    return
        values = [v for v, _l, _k in self._options]
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            if self._value in values:
                index = max(0, min(len(values) - 1, values.index(self._value) + step))
            else:
                index = 0 if step > 0 else len(values) - 1
            self._user_set(values[index])
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._user_set(None)
            event.accept()
            return
        if self._row_keys and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.navigate.emit(-1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._value is not None:
            self.chosen.emit(self._value)
            event.accept()
            return
        super().keyPressEvent(event)


# Like every choice field, the options also go by their number: 1 = Ja, 2 = Nee (0 = Nee
# stays for those used to it).
YES_NO: list[tuple[Any, str, str]] = [(True, "Ja", "jJyY1"), (False, "Nee", "nN20")]


def yes_no(accessible_name: str, parent: QWidget | None = None) -> ChoiceSelector:
    return ChoiceSelector(YES_NO, accessible_name, parent, button_width=52)


def form_label(text: str, buddy: QWidget, required: bool = False) -> QLabel:
    label = QLabel(text + (" *" if required else ""))
    label.setBuddy(buddy)
    return label


def add_row(
    form: QFormLayout,
    text: str,
    widget: QWidget,
    *,
    required: bool = False,
    message: QWidget | None = None,
) -> None:
    """A form row whose label is the field's buddy; an optional message goes under it."""
    if message is None:
        form.addRow(form_label(text, widget, required), widget)
        return
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    column.addWidget(widget)
    column.addWidget(message)
    form.addRow(form_label(text, widget, required), box)


def compact_form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setVerticalSpacing(4)
    form.setHorizontalSpacing(8)
    return form


def scroll_wrap(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    if level == 1:
        font.setPointSizeF(font.pointSizeF() * 1.25)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class ReturnMovesOn(QObject):
    """Enter in a single-line field calls `action` (e.g. focus the next row)."""

    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._action()
            return True
        return False


class Page(QWidget):
    """Base of the editor's pages: `load()` fills the widgets from the draft (no edits are
    reported while loading), `focus_first()` puts the cursor where work starts."""

    title = ""

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self.setStyleSheet(READ_ONLY_STYLE)
        ctx.read_only_changed.connect(self.set_read_only)

    def edited(self, assessment: bool = False) -> None:
        if not self._loading:
            self.ctx.edited(assessment)

    def load(self) -> None:
        self._loading = True
        try:
            self._load()
        finally:
            self._loading = False

    def _load(self) -> None:  # pragma: no cover - overridden
        pass

    def focus_first(self) -> None:
        self.focusNextChild()

    def field_widgets(self) -> dict[str, QWidget]:
        """The widget that mends each checklist field of this page (`ReadinessItem.field`
        of core.readiness); pages without a field of their own have none."""
        return {}

    def focus_field(self, field: str) -> None:
        """Put the cursor in the field a checklist line is about (scrolled into view), else
        where the page's work starts."""
        widget = self.field_widgets().get(field)
        if widget is None or not widget.isEnabled() or not widget.isVisibleTo(self):
            self.focus_first()
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        parent = widget.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
                break
            parent = parent.parentWidget()

    def set_read_only(self, read_only: bool) -> None:
        """Every input of the page read-only (definitief) or editable again, and visibly so:
        text fields keep their text selectable on a grey background (READ_ONLY_STYLE),
        choices (selectors, lists to pick from, check boxes) are disabled."""
        for widget in self.findChildren(QLineEdit):
            if not isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
                widget.setReadOnly(read_only)
        for area in self.findChildren(QPlainTextEdit):
            area.setReadOnly(read_only)
        for spin in self.findChildren(QAbstractSpinBox):
            spin.setReadOnly(read_only)
        for selector in self.findChildren(ChoiceSelector):
            selector.set_read_only(read_only)
        for choice in self._choice_inputs():
            if read_only and choice.isEnabled():
                choice.setEnabled(False)
                choice.setProperty(_DISABLED_READ_ONLY, True)
            elif not read_only and choice.property(_DISABLED_READ_ONLY):
                choice.setProperty(_DISABLED_READ_ONLY, False)
                choice.setEnabled(True)

    def _choice_inputs(self) -> list[QWidget]:
        found: list[QWidget] = [*self.findChildren(QComboBox)]
        found += self.findChildren(QCheckBox)
        found += self.findChildren(QRadioButton)
        return found

    # Remember where the consultant was (a domain on the ZRM page); others have none.
    def ui_position(self) -> str | None:
        return None

    def restore_position(self, position: str | None) -> None:
        pass
