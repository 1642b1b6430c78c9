"""Page "Criteria": the three criteria for IB BW with bereikbaarheid, each yes/no with the
motivation the beschikking quotes. J/N answers and moves to the motivation; Tab goes on."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from bwo_desktop.core.advice import CRITERIA_KEYS, CRITERIA_TEXTS, OUTCOME_NAMES
from bwo_desktop.ui.pages.common import (
    EditorContext,
    MessageLabel,
    Page,
    TextArea,
    muted_style,
    scroll_wrap,
    yes_no,
)

HINTS: dict[str, str] = {
    "need_24_7": "Het criterium is voldaan bij Ja.",
    "can_postpone": "Het criterium is voldaan bij Ja; bij Nee is IB BW met bereikbaarheid te licht.",
    "regular_ib_fits": "Let op: het criterium is voldaan bij Nee (reguliere IB volstaat dan niet).",
}


class CriterionBlock:
    def __init__(self, key: str, number: int) -> None:
        self.key = key
        self.box = QGroupBox(f"Criterium {number}")
        column = QVBoxLayout(self.box)
        self.text = QLabel(CRITERIA_TEXTS[key])
        self.text.setWordWrap(True)
        font = self.text.font()
        font.setBold(True)
        self.text.setFont(font)
        self.hint = QLabel(HINTS[key])
        self.hint.setStyleSheet(muted_style())
        self.answer = yes_no(f"Criterium {number}: {CRITERIA_TEXTS[key]}")
        self.text.setBuddy(self.answer)
        self.motivation = TextArea(f"Motivering criterium {number}", lines=3)
        self.motivation.setPlaceholderText(
            "Motivering (verplicht; de beschikking citeert deze tekst)"
        )
        self.message = MessageLabel()
        column.addWidget(self.text)
        column.addWidget(self.hint)
        column.addWidget(self.answer)
        column.addWidget(self.motivation)
        column.addWidget(self.message)


class CriteriaPage(Page):
    title = "Criteria"

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        content = QWidget()
        column = QVBoxLayout(content)
        intro = QLabel(
            "Alle drie moeten gelden voor IB Beschermd Wonen met bereikbaarheid. "
            "Toets J of N voor het antwoord; de cursor gaat naar de motivering, Tab naar het volgende criterium."
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.blocks: list[CriterionBlock] = []
        for number, key in enumerate(CRITERIA_KEYS, start=1):
            block = CriterionBlock(key, number)
            self.blocks.append(block)
            column.addWidget(block.box)
            block.answer.value_changed.connect(lambda value, b=block: self._set_answer(b, value))
            block.answer.chosen.connect(
                lambda _v, b=block: b.motivation.setFocus(Qt.FocusReason.TabFocusReason)
            )
            block.motivation.textChanged.connect(lambda b=block: self._set_motivation(b))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Uitkomst van de criteria")
        column.addWidget(self.outcome)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_wrap(content))
        order: list[QWidget] = []
        for block in self.blocks:
            order += [block.answer, block.motivation]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _answers(self) -> dict[str, bool | None]:
        criteria = (self.ctx.case.assessment or {}).get("criteria") or {}
        return {key: criteria.get(key) for key in CRITERIA_KEYS}

    def _set_answer(self, block: CriterionBlock, value: bool | None) -> None:
        criteria = self.ctx.section("criteria")
        if value is None:
            criteria.pop(block.key, None)
        else:
            criteria[block.key] = value
        self._refresh()
        self.edited(assessment=True)

    def _set_motivation(self, block: CriterionBlock) -> None:
        if self._loading:
            return
        text = block.motivation.toPlainText()
        if text.strip():
            self.ctx.case.motivations[block.key] = text
        else:
            self.ctx.case.motivations.pop(block.key, None)
        self._refresh()
        self.edited()

    def _load(self) -> None:
        answers = self._answers()
        for block in self.blocks:
            block.answer.set_value(answers[block.key])
            block.motivation.set_text(self.ctx.case.motivations.get(block.key))
        self._refresh()

    def _refresh(self) -> None:
        answers = self._answers()
        for block in self.blocks:
            motivation = (self.ctx.case.motivations.get(block.key) or "").strip()
            problems = []
            if answers[block.key] is None:
                problems.append("antwoord ontbreekt")
            if not motivation:
                problems.append("motivering ontbreekt")
            block.message.show_message(
                ("Nog nodig: " + " en ".join(problems) + ".") if problems else None, "warning"
            )
            block.motivation.setStyleSheet(
                "" if motivation else "QPlainTextEdit { border: 1px solid #8a5300; }"
            )
        need, postpone, fits = (answers[k] for k in CRITERIA_KEYS)
        if need is False or fits is True:
            outcome = "regular_ib"
        elif need and fits is False and postpone is False:
            outcome = "intramural"
        elif need and fits is False and postpone:
            outcome = "ib_bw"
        else:
            outcome = None
        self.outcome.setText(
            f"Uitkomst: {OUTCOME_NAMES[outcome]}."
            if outcome
            else "Uitkomst: nog niet alle criteria beantwoord."
        )

    def field_widgets(self) -> dict[str, QWidget]:
        return {f"motivations.{block.key}": block.motivation for block in self.blocks}

    def focus_first(self) -> None:
        answers = self._answers()
        for block in self.blocks:
            if answers[block.key] is None:
                block.answer.setFocus()
                return
            if not (self.ctx.case.motivations.get(block.key) or "").strip():
                block.motivation.setFocus()
                return
        self.blocks[0].answer.setFocus()
