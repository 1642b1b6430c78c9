"""Page "Advies": the live advice (outcome, level, explanation, costs, warnings) beside the
consultant's choices that shape it: period, IB-level override, opslag and huisvesting.

Nothing here is decided by the program: accepting the advice is simply not overriding it;
every deviation asks for a motivation (domain.md, "Decisions stay human")."""

from __future__ import annotations

import datetime as dt
import html
import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.core.advice import IB_LEVEL_NAMES, OPSLAG_REASONS, OUTCOME_NAMES
from bwo_desktop.core.formatting import format_date_short, format_euro
from bwo_desktop.core.periods import default_period_end
from bwo_desktop.core.tariffs import COMPONENT_NAMES
from bwo_desktop.ui.pages.advice_deviation import (
    deviation_lines,
    guessed_start_question,
    motivation_message,
    recommendation,
)
from bwo_desktop.ui.pages.common import (
    WARN_COLOUR,
    ChoiceSelector,
    DateField,
    EditorContext,
    MessageLabel,
    Page,
    TextArea,
    add_row,
    compact_form,
    heading,
    iso_date,
    yes_no,
)
from bwo_desktop.ui.pages.responsive import SideBySide

# The advice's own column beside the choices: narrower, its texts wrap into a ribbon.
ADVICE_MIN_WIDTH = 300

LEVEL_OPTIONS = [
    ("advies", "Advies volgen", "aA0"),
    ("IB1", "IB1", "1"),
    ("IB2", "IB2", "2"),
    ("IB3", "IB3", "3"),
]
OPSLAG_OPTIONS = [
    ("geen", "geen", "gG0"),
    ("overgang_intramuraal", "overgang", "oO1"),
    ("life_event", "life event", "lL2"),
    ("zorgmijdend_gedrag", "zorgmijdend", "zZ3"),
]


def outcome_title(advice: Any) -> str:
    if advice is None:
        return "Advies nog niet compleet"
    if advice.outcome == "ib_bw":
        return f"IB Beschermd Wonen met bereikbaarheid: {advice.ib_level}"
    return OUTCOME_NAMES[advice.outcome][:1].upper() + OUTCOME_NAMES[advice.outcome][1:]


class AdvicePage(Page):
    title = "Advies"

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # -- left: the advice ---------------------------------------------------------------
        left = QWidget()
        lcol = QVBoxLayout(left)
        self.outcome = heading("")
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Uitkomst van het advies")
        # "Advies IB3 — uw keuze IB2: motiveer": the advice stays while the consultant deviates.
        self.deviation = MessageLabel()
        self.deviation.setAccessibleName("Afwijking van het advies")
        self.level = QLabel()
        self.level.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {WARN_COLOUR};")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setAccessibleName("Toelichting op het advies")
        self.costs_box = QGroupBox("Kosten")
        self.costs = QGridLayout(self.costs_box)
        self.costs.setHorizontalSpacing(12)
        self.warnings_title = heading("Waarschuwingen", 2)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName("Waarschuwingen bij het advies")
        for widget in (
            self.outcome,
            self.deviation,
            self.level,
            self.missing,
            self.explanation,
            self.costs_box,
            self.warnings_title,
            self.warnings,
        ):
            lcol.addWidget(widget)
        lcol.addStretch(1)

        # -- right: the choices -------------------------------------------------------------
        right = QWidget()
        rcol = QVBoxLayout(right)
        # For regular IB or intramural there are no BW components: say that level, opslag
        # and huisvesting below do not count, so no one reads "worden toegekend" as decided.
        self.not_applicable = MessageLabel()
        rcol.addWidget(self.not_applicable)
        period = QGroupBox("Periode")
        form = compact_form()
        period.setLayout(form)
        self.start = DateField("Startdatum periode")
        # A start the program guessed (no known end of the current indication): ask to
        # check it until the consultant has typed a start of their own.
        self.start_question = MessageLabel()
        self.start_question.setAccessibleName("Controleer de startdatum")
        self._start_checked_case: str | None = None  # the case whose start was typed
        start_messages = QWidget()
        stack = QVBoxLayout(start_messages)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(1)
        stack.addWidget(self.start.message)
        stack.addWidget(self.start_question)
        add_row(form, "&Start", self.start, required=True, message=start_messages)
        self.end = DateField("Einddatum periode")
        add_row(form, "Ein&de", self.end, message=self.end.message)
        self.extension = TextArea("Motivering langere periode", lines=2)
        self.extension.setPlaceholderText("alleen bij een periode langer dan een jaar (verplicht)")
        self.extension_message = MessageLabel()
        add_row(form, "Motivering verlenging", self.extension, message=self.extension_message)
        # The bezwaar rules of the letter (core.transitions): an early end inside the six
        # weeks after the letter, or days without support between the old and new period,
        # need the consultant's reason before definitief.
        self.transition_motivation = TextArea("Motivering kortere overgangstermijn", lines=2)
        self.transition_motivation.setPlaceholderText(
            "alleen als de huidige indicatie binnen zes weken na de brief stopt"
        )
        add_row(form, "Motivering overgang", self.transition_motivation)
        self.gap_motivation = TextArea("Motivering onderbreking", lines=2)
        self.gap_motivation.setPlaceholderText(
            "alleen als er dagen zonder ondersteuning zijn tussen oude en nieuwe periode"
        )
        add_row(form, "Motivering onderbreking", self.gap_motivation)
        rcol.addWidget(period)

        level = QGroupBox("IB-niveau")
        form = compact_form()
        level.setLayout(form)
        self.override = ChoiceSelector(LEVEL_OPTIONS, "IB-niveau: advies volgen of afwijken")
        add_row(form, "&Niveau", self.override)
        self.override_motivation = TextArea("Motivering afwijkend IB-niveau", lines=2)
        self.override_motivation.setPlaceholderText("verplicht bij een ander niveau dan het advies")
        self.override_message = MessageLabel()
        add_row(form, "Motivering", self.override_motivation, message=self.override_message)
        rcol.addWidget(level)

        opslag = QGroupBox("Opslag")
        form = compact_form()
        opslag.setLayout(form)
        self.opslag_reason = ChoiceSelector(
            OPSLAG_OPTIONS,
            "Reden opslag",
            tooltips=["geen opslag", *(OPSLAG_REASONS[key] for key, _l, _k in OPSLAG_OPTIONS[1:])],
        )
        add_row(form, "&Reden", self.opslag_reason)
        window = QWidget()
        row = QHBoxLayout(window)
        row.setContentsMargins(0, 0, 0, 0)
        self.opslag_start = DateField("Begin opslag")
        self.opslag_start.setPlaceholderText("begin periode")
        self.opslag_end = DateField("Einde opslag")
        self.opslag_end.setPlaceholderText("einde periode")
        row.addWidget(self.opslag_start)
        row.addWidget(QLabel("t/m"))
        row.addWidget(self.opslag_end)
        row.addStretch(1)
        # Both dates' own messages go under the row: a DateField's message must be in a
        # layout, or it would pop up as a window of its own (issue 14).
        self.opslag_window_message = MessageLabel()
        messages = QWidget()
        stack = QVBoxLayout(messages)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(1)
        for message in (
            self.opslag_start.message,
            self.opslag_end.message,
            self.opslag_window_message,
        ):
            stack.addWidget(message)
        add_row(form, "Van - tot en met", window, message=messages)
        self.opslag_plan = yes_no("Opslag gemotiveerd in het ondersteuningsplan")
        add_row(form, "In het plan\ngemotiveerd", self.opslag_plan)
        self.opslag_motivation = TextArea("Motivering opslag", lines=2)
        self.opslag_motivation_message = MessageLabel()
        add_row(form, "Motivering", self.opslag_motivation, message=self.opslag_motivation_message)
        rcol.addWidget(opslag)

        housing = QGroupBox("Huisvesting (beide voorwaarden)")
        form = compact_form()
        housing.setLayout(form)
        self.cannot_rent = yes_no("Cliënt kan nog niet zelfstandig huren")
        add_row(form, "Kan nog niet\nzelfstandig huren", self.cannot_rent)
        self.via_provider = yes_no("Huisvesting loopt via de aanbieder")
        add_row(form, "Huisvesting via\nde aanbieder", self.via_provider)
        self.housing_result = QLabel()
        self.housing_result.setWordWrap(True)
        form.addRow(self.housing_result)
        self.housing_motivation = TextArea("Motivering huisvesting", lines=2)
        add_row(form, "Motivering", self.housing_motivation)
        rcol.addWidget(housing)

        zrm = QGroupBox("Ondersteuningsbehoefte (ZRM)")
        form = compact_form()
        zrm.setLayout(form)
        self.zrm_motivation = TextArea("Motivering ondersteuningsbehoefte ZRM", lines=2)
        add_row(form, "Motivering", self.zrm_motivation)
        rcol.addWidget(zrm)
        rcol.addStretch(1)

        # The advice beside the choices; on a narrow window (a laptop at 150 %) the choices
        # under the advice, in one scroll area (issue 14).
        self.columns = SideBySide(left, right)
        self.columns.set_second_stretch(1)
        right_scroll = self.columns.second_scroll
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._choices_width = right.sizeHint().width() + 16
        right_scroll.setMinimumWidth(self._choices_width)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.columns)

        order: list[QWidget] = [
            self.start, self.end, self.extension, self.transition_motivation,
            self.gap_motivation, self.override, self.override_motivation,
            self.opslag_reason, self.opslag_start, self.opslag_end, self.opslag_plan,
            self.opslag_motivation, self.cannot_rent, self.via_provider, self.housing_motivation,
            self.zrm_motivation,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._connect()
        ctx.advice_changed.connect(self.show_advice)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.columns.arrange(event.size().width() >= self._choices_width + ADVICE_MIN_WIDTH)
        super().resizeEvent(event)

    # -- wiring ---------------------------------------------------------------------------
    def _connect(self) -> None:
        self.start.date_edited.connect(self._on_start)
        self.end.date_edited.connect(self._on_end)
        self.extension.textChanged.connect(self._on_extension)
        self.override.value_changed.connect(self._on_override)
        self.override.chosen.connect(
            lambda v: self.override_motivation.setFocus() if v != "advies" else None
        )
        self.override_motivation.textChanged.connect(self._on_override)
        self.opslag_reason.value_changed.connect(self._on_opslag)
        self.opslag_start.date_edited.connect(self._on_opslag)
        self.opslag_end.date_edited.connect(self._on_opslag)
        self.opslag_plan.value_changed.connect(self._on_opslag)
        self.opslag_motivation.textChanged.connect(self._on_opslag_motivation)
        self.cannot_rent.value_changed.connect(self._on_housing)
        self.via_provider.value_changed.connect(self._on_housing)
        self.housing_motivation.textChanged.connect(
            lambda: self._motivation("huisvesting", self.housing_motivation)
        )
        self.transition_motivation.textChanged.connect(
            lambda: self._motivation("transition", self.transition_motivation)
        )
        self.gap_motivation.textChanged.connect(
            lambda: self._motivation("gap", self.gap_motivation)
        )
        self.zrm_motivation.textChanged.connect(
            lambda: self._motivation("zrm", self.zrm_motivation)
        )

    # -- load -----------------------------------------------------------------------------
    def _load(self) -> None:
        data = self.ctx.case.assessment or {}
        period = data.get("period") or {}
        start = iso_date(period.get("start"))
        self.start.set_date(start)
        self.end.set_date(iso_date(period.get("end")))
        self.extension.set_text(period.get("extension_motivation"))
        override = data.get("ib_override")
        if isinstance(override, dict) and override.get("level"):
            self.override.set_value(override["level"])
            self.override_motivation.set_text(override.get("motivation"))
        else:
            self.override.set_value("advies")
            self.override_motivation.set_text("")
        opslag = data.get("opslag")
        if isinstance(opslag, dict) and opslag.get("reason"):
            self.opslag_reason.set_value(opslag["reason"])
            self.opslag_start.set_date(iso_date(opslag.get("start")))
            self.opslag_end.set_date(iso_date(opslag.get("end")))
            self.opslag_plan.set_value(opslag.get("motivated_in_plan"))
        else:
            self.opslag_reason.set_value("geen")
            self.opslag_start.set_date(None)
            self.opslag_end.set_date(None)
            self.opslag_plan.set_value(None)
        housing = data.get("huisvesting")
        housing = housing if isinstance(housing, dict) else {}
        self.cannot_rent.set_value(housing.get("cannot_rent_independently"))
        self.via_provider.set_value(housing.get("housing_via_provider"))
        motivations = self.ctx.case.motivations
        self.opslag_motivation.set_text(motivations.get("opslag"))
        self.housing_motivation.set_text(motivations.get("huisvesting"))
        self.zrm_motivation.set_text(motivations.get("zrm"))
        self.transition_motivation.set_text(motivations.get("transition"))
        self.gap_motivation.set_text(motivations.get("gap"))
        self._refresh_inputs()
        self.show_advice()

    def focus_first(self) -> None:
        self.override.setFocus()

    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "assessment.period.extension_motivation": self.extension,
            "assessment.extension_motivation": self.extension,
            "assessment.ib_override.motivation": self.override_motivation,
            "motivations.opslag": self.opslag_motivation,
            "motivations.huisvesting": self.housing_motivation,
            "motivations.transition": self.transition_motivation,
            "motivations.gap": self.gap_motivation,
        }

    # -- edits ----------------------------------------------------------------------------
    def _on_start(self, day: dt.date | None) -> None:
        self._start_checked_case = self.ctx.case.id
        period = self.ctx.section("period")
        if day is None:
            period.pop("start", None)
        else:
            period["start"] = day.isoformat()
        self._refresh_inputs()
        self.edited(assessment=True)

    def _on_end(self, day: dt.date | None) -> None:
        period = self.ctx.section("period")
        start = iso_date(period.get("start"))
        if day is None or (start is not None and day == default_period_end(start)):
            period.pop("end", None)
        else:
            period["end"] = day.isoformat()
        self._refresh_inputs()
        self.edited(assessment=True)

    def _on_extension(self) -> None:
        if self._loading:
            return
        period = self.ctx.section("period")
        text = self.extension.toPlainText()
        if text.strip():
            period["extension_motivation"] = text
        else:
            period.pop("extension_motivation", None)
        self._refresh_inputs()
        self.edited(assessment=True)

    def _on_override(self, *_args: object) -> None:
        if self._loading:
            return
        data = self.ctx.assessment()
        level = self.override.value()
        if level in (None, "advies"):
            data["ib_override"] = None
        else:
            data["ib_override"] = {
                "level": level,
                "motivation": self.override_motivation.toPlainText(),
            }
        self._refresh_inputs()
        self.edited(assessment=True)

    def _on_opslag(self, *_args: object) -> None:
        if self._loading:
            return
        data = self.ctx.assessment()
        reason = self.opslag_reason.value()
        if reason in (None, "geen"):
            data["opslag"] = None
        else:
            opslag: dict[str, Any] = {"reason": reason}
            start, end = self.opslag_start.date(), self.opslag_end.date()
            if start:
                opslag["start"] = start.isoformat()
            if end:
                opslag["end"] = end.isoformat()
            plan = self.opslag_plan.value()
            if plan is not None:
                opslag["motivated_in_plan"] = plan
            data["opslag"] = opslag
        self._refresh_inputs()
        self.edited(assessment=True)

    def _on_opslag_motivation(self) -> None:
        self._motivation("opslag", self.opslag_motivation)
        self._refresh_inputs()
        self.show_advice()

    def _on_housing(self, *_args: object) -> None:
        data = self.ctx.assessment()
        cannot, via = self.cannot_rent.value(), self.via_provider.value()
        if cannot is None and via is None:
            data["huisvesting"] = None
        else:
            data["huisvesting"] = {"cannot_rent_independently": cannot, "housing_via_provider": via}
        self._refresh_inputs()
        self.edited(assessment=True)

    def _motivation(self, key: str, area: TextArea) -> None:
        if self._loading:
            return
        text = area.toPlainText()
        if text.strip():
            self.ctx.case.motivations[key] = text
        else:
            self.ctx.case.motivations.pop(key, None)
        self.edited()

    # -- display --------------------------------------------------------------------------
    def _refresh_inputs(self) -> None:
        data = self.ctx.case.assessment or {}
        period = data.get("period") or {}
        start = iso_date(period.get("start"))
        end = iso_date(period.get("end"))
        if start is not None:
            self.end.setPlaceholderText(format_date_short(default_period_end(start)))
        self.start_question.show_message(
            None
            if self._start_checked_case == self.ctx.case.id
            else guessed_start_question(self.ctx),
            "warning",
        )
        longer = start is not None and end is not None and end > default_period_end(start)
        needs_motivation = longer and not (period.get("extension_motivation") or "").strip()
        self.extension.setEnabled(
            longer or bool((period.get("extension_motivation") or "").strip())
        )
        self.extension_message.show_message(
            "Langer dan een jaar: een motivering is nodig (zonder motivering kan de zaak niet definitief)."
            if needs_motivation
            else None
        )
        if start is not None and end is not None and end < start:
            self.end.message.show_message("De einddatum ligt vóór de startdatum.")
        override = data.get("ib_override")
        override = override if isinstance(override, dict) else {}
        overriding = bool(override.get("level"))
        self.override_motivation.setEnabled(overriding and not self.ctx.read_only)
        self.override_message.show_message(
            motivation_message(override.get("motivation"), self.ctx, required=True)
            if overriding
            else None
        )
        opslag = data.get("opslag")
        has_opslag = isinstance(opslag, dict) and bool(opslag.get("reason"))
        for widget in (
            self.opslag_start,
            self.opslag_end,
            self.opslag_plan,
            self.opslag_motivation,
        ):
            widget.setEnabled(has_opslag)
        if has_opslag and opslag.get("motivated_in_plan") is False:  # type: ignore[union-attr]
            self.opslag_window_message.show_message(
                "De motivering van de opslag hoort in het ondersteuningsplan te staan.", "warning"
            )
        else:
            self.opslag_window_message.show_message(None)
        self.opslag_motivation_message.show_message(
            motivation_message(self.opslag_motivation.toPlainText(), self.ctx, required=False)
            if has_opslag
            else None
        )
        housing = data.get("huisvesting")
        if isinstance(housing, dict):
            cannot, via = (
                housing.get("cannot_rent_independently"),
                housing.get("housing_via_provider"),
            )
            if cannot and via:
                self.housing_result.setText(
                    "Huisvesting en huishoudelijke kosten worden toegekend."
                )
            elif cannot is None or via is None:
                self.housing_result.setText("Beantwoord beide vragen.")
            else:
                self.housing_result.setText(
                    "Geen huisvesting: scheiden van wonen en zorg is de regel."
                )
        else:
            self.housing_result.setText("Geen huisvesting.")

    def show_advice(self) -> None:
        decided = self.ctx.advice
        # While a deviation is incomplete, the recommendation stays on screen.
        advice = decided if decided is not None else recommendation(self.ctx)
        self.outcome.setText(outcome_title(advice))
        lines = deviation_lines(self.ctx, advice)
        self.deviation.show_message("\n".join(lines) or None, "warning")
        if decided is None:
            items = self.ctx.missing or ["gegevens"]
            self.missing.setText(
                (
                    "Nog nodig voor uw keuze:\n"
                    if advice is not None
                    else "Nog nodig voor het advies:\n"
                )
                + "\n".join(f"• {m}" for m in items)
            )
            self.missing.show()
        else:
            self.missing.hide()
        if advice is None:
            self.level.setText("")
            self.not_applicable.show_message(None)
            self.explanation.setText("")
            self.costs_box.hide()
            self.warnings_title.hide()
            self.warnings.setText("")
            return
        self.not_applicable.show_message(
            None
            if advice.outcome == "ib_bw"
            else "Bij dit advies horen geen componenten Beschermd Wonen: IB-niveau, opslag en "
            "huisvesting hieronder tellen niet mee.",
            "warning",
        )
        if advice.outcome == "ib_bw":
            level = f"Aanbevolen niveau: {advice.recommended_ib_level} ({IB_LEVEL_NAMES[advice.recommended_ib_level]})"
            if advice.ib_level != advice.recommended_ib_level:
                level += f"; besloten: {advice.ib_level} (afwijking, met motivering)"
            self.level.setText(
                level + f". Periode {format_date_short(advice.period_start)} t/m "
                f"{format_date_short(advice.period_end)}."
            )
        else:
            self.level.setText("Geen componenten Beschermd Wonen.")
        self.explanation.setText(
            "<ul style='margin-left:-20px'>"
            + "".join(f"<li>{html.escape(s)}</li>" for s in advice.explanation)
            + "</ul>"
        )
        self.costs_box.setTitle(
            "Kosten" if decided is not None else "Kosten volgens het advies (zonder uw keuze)"
        )
        self._show_costs(advice)
        if advice.warnings:
            self.warnings_title.show()
            self.warnings.setText(
                "".join(
                    f"<p style='color:{WARN_COLOUR}; margin:2px 0'>⚠ {html.escape(w.message)}</p>"
                    for w in advice.warnings
                )
            )
        else:
            self.warnings_title.hide()
            self.warnings.setText("")
        opslag = (self.ctx.case.assessment or {}).get("opslag")
        self.opslag_window_message.setStyleSheet("")
        if isinstance(opslag, dict) and opslag.get("reason") and advice.opslag_window:
            start, end = advice.opslag_window
            self.opslag_start.setPlaceholderText(format_date_short(start))
            self.opslag_end.setPlaceholderText(format_date_short(end))

    def _show_costs(self, advice: Any) -> None:
        while self.costs.count():
            item = self.costs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not advice.lines:
            self.costs_box.hide()
            return
        self.costs_box.show()
        headers = ["Component", "Dagen", "Per week", "Periode"]
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            if column:
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.costs.addWidget(label, 0, column)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for index, line in enumerate(advice.lines, start=1):
            cells = [
                COMPONENT_NAMES.get(line.code, line.code),
                str(line.days),
                format_euro(line.weekly),
                format_euro(line.amount),
            ]
            for column, text in enumerate(cells):
                label = QLabel(text)
                label.setWordWrap(column == 0)
                if column:
                    label.setAlignment(right)
                self.costs.addWidget(label, index, column)
        total_row = len(advice.lines) + 1
        label = QLabel("<b>Totaal</b>")
        self.costs.addWidget(label, total_row, 0)
        for column, amount in ((2, advice.weekly_total), (3, advice.period_total)):
            label = QLabel(f"<b>{format_euro(amount)}</b>")
            label.setAlignment(right)
            label.setAccessibleName(
                ("Totaal per week " if column == 2 else "Totaal periode ") + format_euro(amount)
            )
            self.costs.addWidget(label, total_row, column)
        self.costs.setColumnStretch(0, 1)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
