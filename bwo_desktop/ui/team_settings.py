"""The "Team" page of the settings: join a team with the office's enrolment file, see the team
and this laptop's name, leave the team (every case stays on the laptop).

The file is read, checked and joined on a worker (`CaseOp`); a bad file gives one Dutch line
on the page and changes nothing (services/team.py checks it whole before it joins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.ui.operations import CaseOp, failure_text, sentence
from bwo_desktop.ui.sync_actions import count_text, when_text

MSG_BUSY = "Er wordt nu gesynchroniseerd; probeer het zo opnieuw."
MSG_UNAVAILABLE = "Teamfuncties zijn niet beschikbaar voor deze database (bijvoorbeeld de demo)."
LEAVE_QUESTION = (
    "Wilt u team {team} verlaten?\n\n"
    "Alle casussen blijven op deze laptop, maar er wordt niet meer met het kantoor "
    "gesynchroniseerd. Wijzigingen die nog niet verstuurd zijn ({pending}), gaan niet meer "
    "naar het kantoor. Opnieuw aansluiten kan alleen met een nieuw aanmeldbestand."
)


class TeamPage(QWidget):
    """`team`: a services.team.TeamService (None: not offered); `busy`: a sync is running."""

    task_finished = Signal(bool)  # a join or a leave ended (True: done); tests wait on it
    status_loaded = Signal(object)

    def __init__(
        self,
        team: Any,
        busy: Callable[[], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.team = team
        self._busy = busy or (lambda: False)
        self.status: Any = None

        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("Teamstatus")
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, text in (
            ("team", "Team:"),
            ("device", "Deze laptop:"),
            ("consultant", "Consulent:"),
            ("server", "Kantoor:"),
            ("last", "Laatste synchronisatie:"),
            ("pending", "Nog te versturen:"),
        ):
            label = QLabel()
            label.setAccessibleName(text.rstrip(":"))
            label.setWordWrap(True)
            form.addRow(text, label)
            self.fields[key] = label
        self.form_widget = QWidget()
        self.form_widget.setLayout(form)
        self.form_widget.hide()

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Melding")
        self.message_label.hide()

        self.join_button = QPushButton("Aansluiten met aan&meldbestand…")
        self.join_button.setAccessibleName("Bij een team aansluiten met het aanmeldbestand")
        self.join_button.clicked.connect(lambda: self.join_from_file())
        self.leave_button = QPushButton("Team &verlaten…")
        self.leave_button.setAccessibleName("Team verlaten")
        self.leave_button.clicked.connect(lambda: self.leave_team())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.join_button)
        buttons.addWidget(self.leave_button)
        self.join_button.hide()
        self.leave_button.hide()

        note = QLabel(
            "Met een team werkt u offline en synchroniseert u met het kantoor (F9). Het "
            "aanmeldbestand krijgt u van het kantoor; het bevat een sleutel: bewaar het als "
            "een sleutel en verwijder het na het aansluiten."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addWidget(self.form_widget)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(note)
        layout.addLayout(buttons)

        if team is None:
            self.state_label.setText(MSG_UNAVAILABLE)
        else:
            self.state_label.setText("Teamgegevens worden gelezen…")
            self.load()

    # --- status ----------------------------------------------------------------------------

    def load(self) -> None:
        def _failed(exc: BaseException) -> None:
            self._say(f"De teamgegevens zijn niet te lezen. {failure_text(exc)}")

        CaseOp(self, self.team.status, what="De teamgegevens lezen").success(
            self.show_status
        ).failure(_failed).run_in_background()

    def show_status(self, status: Any) -> None:
        self.status = status
        joined = bool(status.joined)
        self.form_widget.setVisible(joined)
        self.join_button.setVisible(not joined)
        self.leave_button.setVisible(joined)
        self.join_button.setEnabled(True)
        self.leave_button.setEnabled(True)
        if joined:
            self.state_label.setText(f"Deze laptop hoort bij team {status.team}.")
            last = status.last_sync
            now = dt.datetime.now(dt.UTC)
            if last is None:
                last_text = "nog niet"
            elif last.ok:
                last_text = when_text(last.at, now)
            else:
                last_text = f"mislukt om {when_text(last.at, now)}: {last.message or 'onbekend'}"
            values = {
                "team": status.team,
                "device": status.device,
                "consultant": status.consultant,
                "server": status.server,
                "last": last_text,
                "pending": count_text(status.pending, "wijziging", "wijzigingen"),
            }
            for key, value in values.items():
                self.fields[key].setText(value)
        elif status.left:
            left = status.left
            day = str(left.get("at", ""))[:10]
            self.state_label.setText(
                f"Deze laptop hoort niet (meer) bij een team. Team {left.get('team', '')} "
                f"is verlaten op {_dutch_day(day)}; de casussen van toen staan er nog."
            )
        else:
            self.state_label.setText("Deze laptop hoort niet bij een team.")
        self.status_loaded.emit(status)

    def _say(self, text: str, *, problem: bool = True) -> None:
        self.message_label.setStyleSheet("color: #b00020;" if problem else "")
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- join and leave ----------------------------------------------------------------------

    def join_from_file(self, path: Path | None = None) -> None:
        if self.team is None:
            return
        if self._busy():
            self._say(MSG_BUSY)
            return
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self,
                "Aanmeldbestand kiezen",
                str(Path.home()),
                "Aanmeldbestand (*.json);;Alle bestanden (*)",
            )
            if not name:
                return
            path = Path(name)
        team = self.team
        self._say("")
        self.join_button.setEnabled(False)

        def _done(result: Any) -> None:
            enrolment, queued = result
            self._say(
                f"Aangesloten bij team {enrolment['team']} als {enrolment['device']}. "
                f"{count_text(queued, 'gegeven gaat', 'gegevens gaan')} bij de eerste "
                "synchronisatie (F9) naar het kantoor. Verwijder nu het aanmeldbestand.",
                problem=False,
            )
            self.load()
            self.task_finished.emit(True)

        def _failed(exc: BaseException) -> None:
            self.join_button.setEnabled(True)
            self._say(f"Niet aangesloten. {sentence(failure_text(exc))} Er is niets gewijzigd.")
            self.task_finished.emit(False)

        CaseOp(self, lambda: team.join_file(path), what="Aansluiten").success(_done).failure(
            _failed
        ).run_in_background()

    def leave_team(self) -> None:
        status = self.status
        if self.team is None or status is None or not status.joined:
            return
        if self._busy():
            self._say(MSG_BUSY)
            return
        answer = QMessageBox.question(
            self,
            "Team verlaten",
            LEAVE_QUESTION.format(
                team=status.team,
                pending=count_text(status.pending, "wijziging", "wijzigingen"),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        team = self.team
        self.leave_button.setEnabled(False)

        def _done(left: Any) -> None:
            self._say(
                f"Team {left['team']} verlaten. "
                f"{count_text(int(left['cases']), 'casus blijft', 'casussen blijven')} op deze "
                "laptop.",
                problem=False,
            )
            self.load()
            self.task_finished.emit(True)

        def _failed(exc: BaseException) -> None:
            self.leave_button.setEnabled(True)
            self._say(f"Het team is niet verlaten. {sentence(failure_text(exc))}")
            self.task_finished.emit(False)

        CaseOp(self, team.leave, what="Team verlaten").success(_done).failure(
            _failed
        ).run_in_background()


def _dutch_day(iso: str) -> str:
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day:02d}-{day.month:02d}-{day.year}"
