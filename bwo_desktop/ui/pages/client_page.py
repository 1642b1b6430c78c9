"""Page "Cliënt en gesprek": the conversation (date, who attended, consent, the
ondersteuningsplan) and the client's, provider's and begeleider's details."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.bsn import is_valid_bsn, normalise_bsn
from bwo_desktop.core.case import (
    DELIVERIES,
    Address,
    Begeleider,
    Planned,
    Provider,
    Representative,
)
from bwo_desktop.core.names import salutation
from bwo_desktop.core.readiness import support_plan_message
from bwo_desktop.ui.pages.common import (
    ChoiceSelector,
    DateField,
    EditorContext,
    MessageLabel,
    Page,
    add_row,
    clean_text,
    compact_form,
    iso_date,
    muted_style,
    parse_time_input,
    scroll_wrap,
    yes_no,
)

ATTENDANCE_OPTIONS = [
    ("client_and_begeleider", "cliënt en begeleider", "1"),
    ("client_only", "alleen cliënt", "2"),
    ("begeleider_only", "alleen begeleider", "3"),
]
SALUTATION_OPTIONS = [
    ("heer", "heer", "hH1"),
    ("mevrouw", "mevrouw", "mM2"),
    ("neutraal", "neutraal", "nN3"),
]
DELIVERY_OPTIONS = [("zin", "zorg in natura", "zZ1"), ("pgb", "pgb", "pP2")]


class ClientPage(Page):
    title = "Cliënt en gesprek"

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setHorizontalSpacing(12)

        # -- Gesprek ----------------------------------------------------------------------
        talk = QGroupBox("Gesprek")
        form = compact_form()
        talk.setLayout(form)
        self.date = DateField("Datum gesprek")
        add_row(form, "&Datum gesprek", self.date, required=True, message=self.date.message)
        self.time = QLineEdit()
        self.time.setPlaceholderText("uu:mm")
        self.time.setAccessibleName("Tijd gesprek")
        self.time.setMaximumWidth(80)
        self.time_message = MessageLabel()
        add_row(form, "Tijd", self.time, message=self.time_message)
        self.location = QLineEdit()
        self.location.setAccessibleName("Locatie gesprek")
        add_row(form, "&Locatie", self.location)
        self.attended = ChoiceSelector(ATTENDANCE_OPTIONS, "Aanwezig bij het gesprek")
        self.attended_message = MessageLabel()
        add_row(form, "&Aanwezig", self.attended, required=True, message=self.attended_message)
        self.absence_reason = QLineEdit()
        self.absence_reason.setAccessibleName("Reden afwezigheid cliënt")
        self.absence_reason.setPlaceholderText("verplicht als alleen de begeleider er was")
        add_row(form, "Reden afwezigheid", self.absence_reason)
        self.consent = yes_no("Toestemming om het onderzoeksverslag te delen met de aanbieder")
        add_row(form, "&Toestemming delen\nonderzoeksverslag", self.consent, required=True)
        self.plan_date = DateField("Datum ondersteuningsplan", recent=True)
        self.plan_message = MessageLabel()
        plan_box = QWidget()
        plan_column = QVBoxLayout(plan_box)
        plan_column.setContentsMargins(0, 0, 0, 0)
        plan_column.setSpacing(1)
        plan_column.addWidget(self.plan_date)
        plan_column.addWidget(self.plan_date.message)
        plan_column.addWidget(self.plan_message)
        form.addRow(self._label("Datum &ondersteuningsplan", self.plan_date), plan_box)
        self.previous_arrangement = QLineEdit()
        self.previous_arrangement.setAccessibleName("Vorige regeling")
        add_row(form, "&Vorige regeling", self.previous_arrangement)
        self.current_end = QLabel()
        self.current_end.setWordWrap(True)
        form.addRow("Huidige indicatie", self.current_end)
        self.debts = yes_no("Cliënt heeft schulden")
        self.debts_message = MessageLabel()
        add_row(form, "&Schulden", self.debts, message=self.debts_message)
        self.delivery = ChoiceSelector(DELIVERY_OPTIONS, "Leveringsvorm")
        add_row(form, "Leveringsvor&m", self.delivery)
        grid.addWidget(talk, 0, 0)

        # -- Cliënt -----------------------------------------------------------------------
        client = QGroupBox("Cliënt")
        form = compact_form()
        client.setLayout(form)
        self.bsn = QLineEdit()
        self.bsn.setAccessibleName("BSN")
        self.bsn.setMaxLength(11)
        self.bsn_message = MessageLabel()
        add_row(form, "BS&N", self.bsn, required=True, message=self.bsn_message)
        self.initials = QLineEdit()
        self.initials.setAccessibleName("Voorletters")
        add_row(form, "Voorletters", self.initials)
        self.first_name = QLineEdit()
        self.first_name.setAccessibleName("Voornaam")
        add_row(form, "Voornaam", self.first_name)
        self.prefix = QLineEdit()
        self.prefix.setAccessibleName("Tussenvoegsel")
        add_row(form, "Tussenvoegsel", self.prefix)
        self.last_name = QLineEdit()
        self.last_name.setAccessibleName("Achternaam")
        self.last_name_message = MessageLabel()
        add_row(form, "Achternaam", self.last_name, required=True, message=self.last_name_message)
        self.birth_date = DateField("Geboortedatum")
        add_row(
            form, "Geboortedatum", self.birth_date, required=True, message=self.birth_date.message
        )
        self.salutation = ChoiceSelector(SALUTATION_OPTIONS, "Aanhef")
        self.salutation_preview = QLabel()
        self.salutation_preview.setStyleSheet(muted_style())
        add_row(form, "Aanhe&f", self.salutation, message=self.salutation_preview)
        self.street = QLineEdit()
        self.street.setAccessibleName("Straat")
        self.house_number = QLineEdit()
        self.house_number.setAccessibleName("Huisnummer")
        self.house_number.setMaximumWidth(70)
        street_row = QWidget()
        row = QHBoxLayout(street_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.street, 1)
        row.addWidget(self.house_number)
        form.addRow(self._label("Straat en nr.", self.street, required=True), street_row)
        self.postcode = QLineEdit()
        self.postcode.setAccessibleName("Postcode")
        self.postcode.setMaximumWidth(80)
        self.city = QLineEdit()
        self.city.setAccessibleName("Woonplaats")
        city_row = QWidget()
        row = QHBoxLayout(city_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.postcode)
        row.addWidget(self.city, 1)
        form.addRow(self._label("Postcode, plaats", self.postcode, required=True), city_row)
        self.representative = QLineEdit()
        self.representative.setAccessibleName("Wettelijk vertegenwoordiger")
        self.representative.setPlaceholderText("naam (krijgt een afschrift)")
        add_row(form, "&Wettelijk vertegenw.", self.representative)
        self.representative_role = QLineEdit()
        self.representative_role.setAccessibleName("Rol wettelijk vertegenwoordiger")
        self.representative_role.setPlaceholderText("bijv. bewindvoerder, mentor, curator")
        add_row(form, "Rol", self.representative_role)
        grid.addWidget(client, 0, 1, 2, 1)

        # -- Zorgaanbieder en begeleider -------------------------------------------------
        provider = QGroupBox("Zorgaanbieder en begeleider")
        form = compact_form()
        provider.setLayout(form)
        self.provider = QLineEdit()
        self.provider.setAccessibleName("Zorgaanbieder")
        self.provider_message = MessageLabel()
        add_row(form, "&Zorgaanbieder", self.provider, required=True, message=self.provider_message)
        self.agb = QLineEdit()
        self.agb.setAccessibleName("AGB-code zorgaanbieder")
        self.agb.setMaxLength(8)
        add_row(form, "AGB-code", self.agb)
        note = QLabel("Controleer met de begeleider of deze gegevens actueel zijn.")
        note.setWordWrap(True)
        note.setStyleSheet(muted_style())
        form.addRow(note)
        self.begeleider = QLineEdit()
        self.begeleider.setAccessibleName("Naam begeleider")
        add_row(form, "Be&geleider", self.begeleider)
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Telefoon begeleider")
        add_row(form, "Telefoon", self.phone)
        self.email = QLineEdit()
        self.email.setAccessibleName("E-mail begeleider")
        self.email_message = MessageLabel()
        add_row(form, "E-mail", self.email, message=self.email_message)
        grid.addWidget(provider, 1, 0)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(3, 1)
        self._grid, self._groups = grid, (talk, provider, client)
        self._two_columns = True

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_wrap(content))

        # Tab follows the screen: the left column (conversation, provider), then the client.
        order: list[QWidget] = [
            self.date, self.time, self.location, self.attended, self.absence_reason,
            self.consent, self.plan_date, self.previous_arrangement, self.debts, self.delivery,
            self.provider, self.agb, self.begeleider, self.phone, self.email,
            self.bsn, self.initials, self.first_name, self.prefix, self.last_name,
            self.birth_date, self.salutation, self.street, self.house_number, self.postcode,
            self.city, self.representative, self.representative_role,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._connect()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The client beside the conversation and the provider when both fit, else under
        # them (a laptop at 150 %, issue 14); the Tab order runs down the screen either way.
        talk, provider, client = self._groups
        grid = self._grid
        margins = grid.contentsMargins()
        room = event.size().width() - margins.left() - margins.right() - grid.horizontalSpacing()
        room -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        left = max(talk.minimumSizeHint().width(), provider.minimumSizeHint().width())
        two_columns = room >= left + client.minimumSizeHint().width()
        if two_columns != self._two_columns:
            self._two_columns = two_columns
            grid.removeWidget(client)
            if two_columns:
                grid.addWidget(client, 0, 1, 2, 1)
            else:
                grid.addWidget(client, 2, 0)
        super().resizeEvent(event)

    @staticmethod
    def _label(text: str, buddy: QWidget, required: bool = False) -> QLabel:
        label = QLabel(text + (" *" if required else ""))
        label.setBuddy(buddy)
        return label

    # -- signals --------------------------------------------------------------------------
    def _connect(self) -> None:
        self.date.date_edited.connect(self._on_date)
        self.time.textEdited.connect(self._on_time)
        self.location.textEdited.connect(lambda t: self._conv("location", clean_text(t)))
        self.attended.value_changed.connect(self._on_attended)
        self.attended.chosen.connect(self._after_attended)
        self.absence_reason.textEdited.connect(self._on_absence_reason)
        self.consent.value_changed.connect(lambda v: self._conv("consent_share_report", v))
        self.consent.chosen.connect(lambda _v: self.plan_date.setFocus())
        self.plan_date.date_edited.connect(self._on_plan_date)
        self.previous_arrangement.textEdited.connect(
            lambda t: self._conv("previous_arrangement", clean_text(t))
        )
        self.debts.value_changed.connect(self._on_debts)
        self.delivery.value_changed.connect(self._on_delivery)
        self.bsn.textEdited.connect(self._on_bsn)
        for widget, attr in (
            (self.initials, "initials"),
            (self.first_name, "first_name"),
            (self.prefix, "prefix"),
        ):
            widget.textEdited.connect(lambda t, a=attr: self._client_text(a, t))
        self.last_name.textEdited.connect(self._on_last_name)
        self.birth_date.date_edited.connect(self._on_birth_date)
        self.salutation.value_changed.connect(self._on_salutation)
        for widget in (self.street, self.house_number, self.postcode, self.city):
            widget.textEdited.connect(self._on_address)
        self.representative.textEdited.connect(self._on_representative)
        self.representative_role.textEdited.connect(self._on_representative)
        self.provider.textEdited.connect(self._on_provider)
        self.agb.textEdited.connect(self._on_provider)
        for widget in (self.begeleider, self.phone, self.email):
            widget.textEdited.connect(self._on_begeleider)

    # -- load -----------------------------------------------------------------------------
    def _load(self) -> None:
        case = self.ctx.case
        conv = case.conversation
        planned = case.planned
        self.date.set_date(planned.date if planned else self.ctx.assessment_date())
        self.time.setText(planned.time.strftime("%H:%M") if planned and planned.time else "")
        self.location.setText(conv.location or "")
        self.attended.set_value(conv.attended_by)
        self.absence_reason.setText(conv.absence_reason or "")
        self.consent.set_value(conv.consent_share_report)
        data = case.assessment or {}
        self.plan_date.set_date(iso_date(data.get("support_plan_date")))
        self.previous_arrangement.setText(conv.previous_arrangement or "")
        current = case.current_indication
        if current and (current.description or current.end_date):
            parts = [current.description or ""]
            if current.end_date:
                parts.append(f"loopt tot en met {current.end_date.strftime('%d-%m-%Y')}")
            self.current_end.setText(", ".join(p for p in parts if p))
        else:
            self.current_end.setText("onbekend")
        self.debts.set_value(data.get("has_debts"))
        self.delivery.set_value(case.delivery)
        client = case.client
        self.bsn.setText(client.bsn)
        self.initials.setText(client.initials or "")
        self.first_name.setText(client.first_name or "")
        self.prefix.setText(client.prefix or "")
        self.last_name.setText(client.last_name)
        self.birth_date.set_date(client.birth_date)
        self.salutation.set_value(case.salutation)
        address = client.address or Address()
        self.street.setText(address.street)
        self.house_number.setText(address.house_number)
        self.postcode.setText(address.postcode)
        self.city.setText(address.city)
        rep = case.representative
        self.representative.setText(rep.name if rep else "")
        self.representative_role.setText((rep.role or "") if rep else "")
        provider = client.provider
        self.provider.setText(provider.name if provider else "")
        self.agb.setText((provider.agb_code or "") if provider else "")
        begeleider = client.begeleider or Begeleider()
        self.begeleider.setText(begeleider.name or "")
        self.phone.setText(begeleider.phone or "")
        self.email.setText(begeleider.email or "")
        self._refresh_messages()

    def focus_first(self) -> None:
        # A planned case comes with the client's details from the planning: start at what
        # the conversation adds.
        if self.ctx.case.conversation.attended_by is None:
            self.attended.setFocus()
        else:
            self.date.setFocus()

    def field_widgets(self) -> dict[str, QWidget]:
        address = (self.street, self.house_number, self.postcode, self.city)
        contact = (self.begeleider, self.phone)
        return {
            "client.bsn": self.bsn,
            "client.birth_date": self.birth_date,
            "conversation.attended_by": self.attended,
            "conversation.absence_reason": self.absence_reason,
            "conversation.consent_share_report": self.consent,
            # The first part still empty: there is what the checklist misses.
            "client.address": next((w for w in address if not w.text().strip()), self.street),
            "client.provider.name": self.provider,
            "client.begeleider": next((w for w in contact if not w.text().strip()), self.phone),
        }

    # -- messages -------------------------------------------------------------------------
    def _refresh_messages(self) -> None:
        case = self.ctx.case
        bsn = self.bsn.text().strip()
        if not bsn:
            self.bsn_message.show_message("Vul het BSN in.")
        elif not is_valid_bsn(normalise_bsn(bsn)):
            self.bsn_message.show_message(
                "Dit BSN klopt niet: het voldoet niet aan de 11-proef (controleer de cijfers)."
            )
        else:
            self.bsn_message.show_message("BSN voldoet aan de 11-proef.", "ok")
        self.last_name_message.show_message(
            None if self.last_name.text().strip() else "Vul de achternaam in."
        )
        attended = case.conversation.attended_by
        if attended is None:
            self.attended_message.show_message(
                "Kies wie er bij het gesprek waren (toets 1, 2 of 3).", "warning"
            )
        elif attended == "begeleider_only" and not (case.conversation.absence_reason or "").strip():
            self.attended_message.show_message(
                "Alleen de begeleider: vul de geldige reden in waarom de cliënt er niet was."
            )
        else:
            self.attended_message.show_message(None)
        self.absence_reason.setEnabled(attended == "begeleider_only")
        data = case.assessment or {}
        message = support_plan_message(
            iso_date(data.get("support_plan_date")), self.ctx.assessment_date()
        )
        if message is None:
            self.plan_message.show_message(None)
        else:
            self.plan_message.show_message(message[1], message[0])
        self.debts_message.show_message(
            "De aanbieder schakelt de budgetcoach van de gemeente in; budgetbeheer blijft bij de gemeente."
            if data.get("has_debts")
            else None,
            "warning",
        )
        provider = case.client.provider
        self.provider_message.show_message(
            None if provider and provider.name.strip() else "Vul de zorgaanbieder in."
        )
        email = (self.email.text() or "").strip()
        self.email_message.show_message(
            "Dit lijkt geen e-mailadres."
            if email and ("@" not in email or "." not in email.split("@")[-1])
            else None,
            "warning",
        )
        self.salutation_preview.setText(salutation(case.client, case.salutation))

    # -- edits ----------------------------------------------------------------------------
    def _conv(self, attr: str, value: Any) -> None:
        setattr(self.ctx.case.conversation, attr, value)
        self._refresh_messages()
        self.edited()

    def _on_date(self, day: dt.date | None) -> None:
        case = self.ctx.case
        if day is None:
            return  # a conversation date is required; keep the stored one
        if case.planned is None:
            case.planned = Planned(date=day)
        else:
            case.planned.date = day
        self.ctx.assessment()["assessment_date"] = day.isoformat()
        self._refresh_messages()
        self.edited(assessment=True)

    def _on_time(self, text: str) -> None:
        try:
            value = parse_time_input(text)
        except ValueError as exc:
            if len(text.strip()) >= 4:
                self.time_message.show_message(f"Ongeldige tijd: {exc}")
            return
        self.time_message.show_message(None)
        if self.ctx.case.planned is not None:
            self.ctx.case.planned.time = value
            self.edited()

    def _on_attended(self, value: str | None) -> None:
        conv = self.ctx.case.conversation
        conv.attended_by = value
        self._refresh_messages()
        self.edited()

    def _after_attended(self, value: str) -> None:
        (self.absence_reason if value == "begeleider_only" else self.consent).setFocus()

    def _on_absence_reason(self, text: str) -> None:
        self._conv("absence_reason", clean_text(text))

    def _on_plan_date(self, day: dt.date | None) -> None:
        data = self.ctx.assessment()
        data["support_plan_date"] = day.isoformat() if day else None
        self._refresh_messages()
        self.edited(assessment=True)

    def _on_debts(self, value: bool | None) -> None:
        self.ctx.assessment()["has_debts"] = value
        self._refresh_messages()
        self.edited(assessment=True)

    def _on_delivery(self, value: str | None) -> None:
        self.ctx.case.delivery = value if value in DELIVERIES else "zin"
        self.edited()

    def _on_bsn(self, text: str) -> None:
        bsn = normalise_bsn(text)
        # Only a BSN that passes the 11-proef replaces the stored one; the field keeps what
        # is typed and says what is wrong.
        if is_valid_bsn(bsn):
            self.ctx.case.client.bsn = bsn
            self.edited()
        self._refresh_messages()

    def _client_text(self, attr: str, text: str) -> None:
        setattr(self.ctx.case.client, attr, clean_text(text))
        self._refresh_messages()
        self.edited()

    def _on_last_name(self, text: str) -> None:
        if text.strip():
            self.ctx.case.client.last_name = " ".join(text.split())
            self.edited()
        self._refresh_messages()

    def _on_birth_date(self, day: dt.date | None) -> None:
        if day is not None:
            self.ctx.case.client.birth_date = day
            self.edited()

    def _on_salutation(self, value: str | None) -> None:
        self.ctx.case.salutation = value
        self._refresh_messages()
        self.edited()

    def _on_address(self, _text: str = "") -> None:
        self.ctx.case.client.address = Address(
            street=self.street.text().strip(),
            house_number=self.house_number.text().strip(),
            postcode=self.postcode.text().strip().upper(),
            city=self.city.text().strip(),
        )
        self.edited()

    def _on_representative(self, _text: str = "") -> None:
        name = clean_text(self.representative.text())
        if name is None:
            self.ctx.case.representative = None
        else:
            old = self.ctx.case.representative
            self.ctx.case.representative = Representative(
                name=name,
                role=clean_text(self.representative_role.text()),
                address=old.address if old else None,
            )
        self.edited()

    def _on_provider(self, _text: str = "") -> None:
        self.ctx.case.client.provider = Provider(
            name=self.provider.text().strip(), agb_code=clean_text(self.agb.text())
        )
        self._refresh_messages()
        self.edited()

    def _on_begeleider(self, _text: str = "") -> None:
        self.ctx.case.client.begeleider = Begeleider(
            name=clean_text(self.begeleider.text()),
            phone=clean_text(self.phone.text()),
            email=clean_text(self.email.text()),
        )
        self._refresh_messages()
        self.edited()
