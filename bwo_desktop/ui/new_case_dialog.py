"""Casus → Nieuwe casus… (Ctrl+N): one planned herindicatie typed in by hand, for a client
who is not on an imported planning list. BSN with a live 11-proef; stored on a worker thread
(`CaseService.create_planned`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QWidget,
)

from bwo_desktop.core.bsn import is_valid_bsn, normalise_bsn
from bwo_desktop.core.case import Client, CurrentIndication, KnownClient, Planned, Provider
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_short, parse_date_nl
from bwo_desktop.core.names import full_name
from bwo_desktop.core.plausibility import birth_date_problem
from bwo_desktop.ui.date_input import DayEdit
from bwo_desktop.ui.export_dialog import location_choices
from bwo_desktop.ui.operations import CaseOp
from bwo_desktop.ui.task_dialog import (
    WARNING_STYLE,
    Progress,
    TaskDialog,
    selected_day_and_location,
)

OK_STYLE = "color: #0f5132;"
DEFAULT_TIME = dt.time(9, 0)


def bsn_feedback(text: str) -> tuple[bool, str]:
    """(valid, message) for the live check under the BSN field."""
    digits = normalise_bsn(text)
    if not digits:
        return False, ""
    if not digits.isdigit():
        return False, "Een BSN bestaat alleen uit cijfers."
    if len(digits) < 9:
        return False, f"Nog {9 - len(digits)} cijfer(s)."
    if len(digits) > 9:
        return False, "Een BSN heeft 9 cijfers."
    if not is_valid_bsn(digits):
        return False, "Dit BSN klopt niet (11-proef). Controleer de cijfers."
    return True, "BSN klopt (11-proef)."


Create = Callable[[Client, Planned, str | None, str, CurrentIndication | None], Any]
Lookup = Callable[[str], KnownClient | None]


class NewCaseDialog(TaskDialog):
    """`create(client, planned, location, consultant_name, current_indication)` runs on a
    worker thread and returns whatever the caller needs afterwards (it arrives in
    `created`). `lookup(bsn)` (a worker too) recognises a client the database knows: the
    empty fields are filled in from it, and a case of that client on the chosen day is
    pointed out before a second one is made."""

    created = Signal(object)

    def __init__(
        self,
        create: Create,
        *,
        lookup: Lookup | None = None,
        consultant_name: str,
        providers: Iterable[str],
        locations: Iterable[str],
        day: dt.date,
        location: str | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Nieuwe casus", "&Aanmaken", parent)
        self._create = create
        self._lookup = lookup
        self._known: KnownClient | None = None
        self._today = today or dt.date.today()
        self.result_value: Any = None

        self.bsn_edit = QLineEdit()
        self.bsn_edit.setAccessibleName("BSN")
        self.bsn_edit.setMaxLength(11)
        self.bsn_edit.setPlaceholderText("9 cijfers")
        short_width = self.bsn_edit.fontMetrics().horizontalAdvance("0" * 14)
        self.bsn_edit.setFixedWidth(short_width)
        self.bsn_check = QLabel()
        self.bsn_check.setAccessibleName("Controle BSN")
        self.known_label = QLabel()
        self.known_label.setAccessibleName("Bekende cliënt")
        self.known_label.setWordWrap(True)
        self.known_label.hide()
        self.same_day_label = QLabel()
        self.same_day_label.setAccessibleName("Al een casus op deze dag")
        self.same_day_label.setWordWrap(True)
        self.same_day_label.setStyleSheet(WARNING_STYLE)
        self.same_day_label.hide()
        self.bsn_edit.textChanged.connect(self._bsn_changed)
        self.initials_edit = QLineEdit()
        self.initials_edit.setAccessibleName("Voorletters")
        self.initials_edit.setPlaceholderText("bijv. M.A.")
        self.first_name_edit = QLineEdit()
        self.first_name_edit.setAccessibleName("Voornaam")
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setAccessibleName("Tussenvoegsel")
        self.prefix_edit.setPlaceholderText("bijv. van der")
        self.prefix_edit.setMaximumWidth(110)
        self.last_name_edit = QLineEdit()
        self.last_name_edit.setAccessibleName("Achternaam")
        self.birth_edit = QLineEdit()
        self.birth_edit.setAccessibleName("Geboortedatum (dd-mm-jjjj)")
        self.birth_edit.setPlaceholderText("dd-mm-jjjj")
        self.birth_edit.setFixedWidth(short_width)

        self.provider_combo = QComboBox()
        self.provider_combo.setEditable(True)
        self.provider_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.provider_combo.setAccessibleName("Zorgaanbieder")
        self.provider_combo.addItems(location_choices(providers))
        self.provider_combo.setCurrentIndex(-1)
        self.provider_combo.setEditText("")

        self.date_edit = DayEdit(day, "Datum gesprek")
        self.time_edit = QTimeEdit(QTime(DEFAULT_TIME.hour, DEFAULT_TIME.minute))
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Tijd gesprek")
        self.location_combo = QComboBox()
        self.location_combo.setEditable(True)
        self.location_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.location_combo.setAccessibleName("Locatie gesprek")
        self.location_combo.addItems(location_choices(locations))
        self.location_combo.setEditText(location or "")
        self.consultant_edit = QLineEdit(consultant_name)
        self.consultant_edit.setAccessibleName("Consulent")

        bsn_row = QHBoxLayout()
        bsn_row.addWidget(self.bsn_edit)
        bsn_row.addWidget(self.bsn_check, 1)
        name_row = QHBoxLayout()
        name_row.addWidget(self.prefix_edit)
        name_row.addWidget(self.last_name_edit, 1)
        when_row = QHBoxLayout()
        when_row.addWidget(self.date_edit)
        when_row.addWidget(self.time_edit)
        when_row.addStretch(1)

        form = QFormLayout()
        for text, widget, row in (
            ("&BSN:", self.bsn_edit, bsn_row),
            ("&Voorletters:", self.initials_edit, None),
            ("Voor&naam:", self.first_name_edit, None),
            ("&Tussenvoegsel, achternaam:", self.prefix_edit, name_row),
            ("&Geboortedatum:", self.birth_edit, None),
            ("&Zorgaanbieder:", self.provider_combo, None),
            ("&Datum en tijd gesprek:", self.date_edit, when_row),
            ("&Locatie:", self.location_combo, None),
            ("&Consulent:", self.consultant_edit, None),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, row if row is not None else widget)
        self.form_layout.addLayout(form)
        self.form_layout.addWidget(self.known_label)
        self.form_layout.addWidget(self.same_day_label)
        self.date_edit.day_changed.connect(lambda _d: self._show_same_day())
        for first, second in (
            (self.bsn_edit, self.initials_edit),
            (self.initials_edit, self.first_name_edit),
            (self.first_name_edit, self.prefix_edit),
            (self.prefix_edit, self.last_name_edit),
            (self.last_name_edit, self.birth_edit),
            (self.birth_edit, self.provider_combo),
            (self.provider_combo, self.date_edit),
            (self.date_edit, self.time_edit),
            (self.time_edit, self.location_combo),
            (self.location_combo, self.consultant_edit),
            (self.consultant_edit, self.run_button),
        ):
            QWidget.setTabOrder(first, second)

        self.run_button.clicked.connect(self.start)
        self.close_button.setText("&Annuleren")
        self.resize(520, self.sizeHint().height())
        self.bsn_edit.setFocus()

    def _bsn_changed(self, text: str) -> None:
        valid, message = bsn_feedback(text)
        self.bsn_check.setText(message)
        self.bsn_check.setStyleSheet(OK_STYLE if valid else WARNING_STYLE)
        self._set_known(None)
        if valid and self._lookup is not None:
            bsn, lookup = normalise_bsn(text), self._lookup
            CaseOp(self, lambda: lookup(bsn), what="De cliënt opzoeken").success(
                lambda known: self._looked_up(bsn, known)
            ).failure(lambda _exc: None).run_in_background()  # a help, not a must

    def _looked_up(self, bsn: str, known: KnownClient | None) -> None:
        if normalise_bsn(self.bsn_edit.text()) != bsn:
            return  # typed on meanwhile
        self._set_known(known)
        if known is None:
            return
        client = known.client
        for edit, value in (
            (self.initials_edit, client.initials),
            (self.first_name_edit, client.first_name),
            (self.prefix_edit, client.prefix),
            (self.last_name_edit, client.last_name),
            (self.birth_edit, format_date_short(client.birth_date)),
        ):
            if not edit.text().strip() and value:
                edit.setText(value)
        if not self.provider_combo.currentText().strip() and client.provider is not None:
            self.provider_combo.setEditText(client.provider.name)

    def _set_known(self, known: KnownClient | None) -> None:
        self._known = known
        if known is None:
            self.known_label.hide()
            self.same_day_label.hide()
            return
        text = f"Bekende cliënt: {full_name(known.client)}."
        current = known.current_indication
        if current is not None:
            what = current.description or "indicatie"
            until = f" t/m {format_date_short(current.end_date)}" if current.end_date else ""
            text += f" Huidige indicatie: {what}{until}."
        self.known_label.setText(text + " Lege velden zijn ingevuld; controleer ze.")
        self.known_label.show()
        self._show_same_day()

    def _show_same_day(self) -> None:
        known, day = self._known, self.date_edit.day()
        same = known.cases_on(day) if known is not None and day is not None else []
        self.same_day_label.setVisible(bool(same))
        if same and day is not None:
            refs = ", ".join(c.reference or "zonder kenmerk" for c in same)
            self.same_day_label.setText(
                f"Let op: voor deze cliënt staat op {format_date_short(day)} "
                f"al een casus ({refs}). Maak alleen een tweede als dat echt nodig is."
            )

    # --- the values -------------------------------------------------------------------------

    def client(self) -> Client:
        """The client as typed; InputError names the first field that is not right."""
        bsn = normalise_bsn(self.bsn_edit.text())
        valid, message = bsn_feedback(bsn)
        if not valid:
            raise InputError("BSN", message or "vul het BSN in")
        last_name = self.last_name_edit.text().strip()
        if not last_name:
            raise InputError("Achternaam", "vul de achternaam in")
        initials = self.initials_edit.text().strip() or None
        first_name = self.first_name_edit.text().strip() or None
        if initials is None and first_name is None:
            raise InputError("Voorletters", "vul de voorletters of de voornaam in")
        birth_text = self.birth_edit.text().strip()
        if not birth_text:
            raise InputError("Geboortedatum", "vul de geboortedatum in (dd-mm-jjjj)")
        birth = parse_date_nl(birth_text, "Geboortedatum")
        # The same rule as the editor, the case files and the imports (core.plausibility).
        if problem := birth_date_problem(birth, self._today):
            raise InputError("Geboortedatum", problem)
        provider = self.provider_combo.currentText().strip()
        if not provider:
            raise InputError("Zorgaanbieder", "vul de zorgaanbieder in")
        known = self._known.client if self._known is not None else None
        same_client = known is not None and known.bsn == bsn
        return Client(
            bsn=bsn,
            last_name=last_name,
            birth_date=birth,
            initials=initials,
            first_name=first_name,
            prefix=self.prefix_edit.text().strip() or None,
            provider=Provider(name=provider),
            # What the form does not ask for comes along from the known client.
            address=known.address if known is not None and same_client else None,
            begeleider=known.begeleider if known is not None and same_client else None,
        )

    def planned(self) -> Planned:
        t = self.time_edit.time()
        day = self.date_edit.typed_day("Datum gesprek")
        return Planned(date=day, time=dt.time(t.hour(), t.minute()))

    # --- running ----------------------------------------------------------------------------

    def start(self) -> None:
        try:
            client = self.client()
            planned = self.planned()
            location = self.location_combo.currentText().strip()
            if not location:
                raise InputError("Locatie", "vul de locatie van het gesprek in")
            consultant = self.consultant_edit.text().strip()
            if not consultant:
                raise InputError("Consulent", "vul de naam van de consulent in")
        except InputError as exc:
            problem = exc.problem.strip().rstrip(".")
            self.show_error(f"{exc.field}: {problem[:1].lower()}{problem[1:]}.")
            return
        create, known = self._create, self._known
        current = known.current_indication if known is not None else None

        def work(_progress: Progress) -> Any:
            return create(client, planned, location, consultant, current)

        self.run_task(work, self._done, "Casus wordt aangemaakt…")

    def _done(self, result: Any) -> None:
        self.result_value = result
        self.created.emit(result)
        self.accept()


def show_new_case(window: Any) -> NewCaseDialog:
    """Create, then show the list with the new case and open it."""
    from bwo_desktop.ui.case_index import CaseIndex

    context = window.context
    cases = context.cases
    rows = window.model.rows()  # the list's columns: no object per case on the UI thread
    day, location = selected_day_and_location(window)
    today = context.today()

    def create(
        client: Client,
        planned: Planned,
        where: str | None,
        consultant: str,
        current: CurrentIndication | None,
    ) -> Any:
        case = cases.create_planned(client, planned, where, consultant, current)
        fresh = cases.list_rows()
        return case.id, fresh, CaseIndex(fresh).prepare()

    dialog = NewCaseDialog(
        create,
        lookup=cases.known_client,
        consultant_name=context.settings.consultant_name,
        providers=rows.providers.values(),
        locations=rows.locations,
        day=max(day, today),
        location=location,
        today=today,
        parent=window,
    )

    def created(result: Any) -> None:
        case_id, fresh, index = result
        window.load_cases(fresh, index, select_case=case_id)
        window.open_case(case_id)

    dialog.created.connect(created)
    dialog.open()
    return dialog
