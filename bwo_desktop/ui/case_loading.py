"""Everything the case editor reads before it can show a case, gathered in one call that runs
on a worker thread: the case, its previous version, the editor position, the tariff book, the
rules, the ZRM anchor texts. The shell shows the editor's frame at once and builds the editor
when this arrives (`CaseEditorFactory`), so opening a case never waits on the database on the
UI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwo_desktop.core.case import Case
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.zrm import ZrmCatalogue, load_catalogue
from bwo_desktop.ui.pages.common import iso_date
from bwo_desktop.ui.ports import CaseStore

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from bwo_desktop.ui.case_view import CaseView

log = logging.getLogger(__name__)

UI_STATE_PREFIX = "case_editor."


@dataclass
class LoadedCase:
    """What a worker read for the editor of one case."""

    case: Case
    previous: Case | None
    tariffs: Any
    rules: Any
    anchors: Any
    catalogue: ZrmCatalogue
    position: dict[str, Any] | None = None  # the page and ZRM domain where work stopped
    notices: list[str] = field(default_factory=list)  # Dutch, shown in the editor's banner
    leased_to: str | None = None  # team mode: another laptop holds the case (read-only here)


def load_for_editor(
    service: CaseStore, case_id: str, *, tariffs: Any = None, rules: Any = None
) -> LoadedCase:
    """Read everything the editor needs (worker thread). The case itself must load; the
    previous version, the position and the user's data files are a help, not a must."""
    notices: list[str] = []
    case = service.get(case_id)
    previous: Case | None = None
    try:
        previous = service.previous_case(case)
    except Exception as exc:
        log.warning("previous case not loaded: %s", type(exc).__name__)
    position: dict[str, Any] | None = None
    try:
        state = service.get_ui_state(UI_STATE_PREFIX + case_id, None)
        position = state if isinstance(state, dict) else None
    except Exception as exc:
        log.warning("editor position not read: %s", type(exc).__name__)
    leased_to: str | None = None
    try:
        leased_to = service.leased_elsewhere(case_id)
    except Exception as exc:
        log.warning("lease not read: %s", type(exc).__name__)
    prepare_draft(case)
    return LoadedCase(
        leased_to=leased_to,
        case=case,
        previous=previous,
        tariffs=tariffs if tariffs is not None else load_user_tariffs(notices),
        rules=rules if rules is not None else load_user_rules(notices),
        anchors=load_user_anchors(notices),
        catalogue=load_catalogue(),
        position=position,
        notices=notices,
    )


def _user_or_builtin(notices: list[str], load: Any, what: str, fallback: str) -> Any:
    """`load(user)`: the organisation's file when it is readable, else the built-in one
    with a notice (a bad user file must not keep a consultant from working)."""
    try:
        return load(True)
    except InputError as exc:
        notices.append(f"{what} in de gebruikersmap niet gelezen ({exc}); {fallback}.")
        return load(False)


def load_user_tariffs(notices: list[str]) -> Any:
    from bwo_desktop.core.tariffs import load_tariff_book
    from bwo_desktop.paths import user_tariffs_dir

    return _user_or_builtin(
        notices,
        lambda user: load_tariff_book(user_folder=user_tariffs_dir() if user else None),
        "Tarieventabel",
        "de ingebouwde tarieven worden gebruikt",
    )


def load_user_rules(notices: list[str]) -> Any:
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.paths import user_rules_file

    return _user_or_builtin(
        notices,
        lambda user: load_rules(user_file=user_rules_file() if user else None),
        "Regelbestand",
        "de standaardregels gelden",
    )


def load_user_anchors(notices: list[str]) -> Any:
    from bwo_desktop.core.zrm_anchors import load_anchor_texts
    from bwo_desktop.paths import user_data_dir

    try:
        return load_anchor_texts(user_data_dir())
    except InputError as exc:
        notices.append(f"ZRM-ankerteksten niet geladen: {exc}")
        return None


def default_period_start(case: Case, assessment_date: dt.date | None) -> dt.date | None:
    """The day after the current indication ends (a herindicatie continues it), else the
    conversation date."""
    current = case.current_indication
    if current is not None and current.end_date is not None:
        following = current.end_date + dt.timedelta(days=1)
        if assessment_date is None or following >= assessment_date:
            return following
    return assessment_date


def prepare_draft(case: Case) -> bool:
    """Fill in what the advice needs and the consultant would otherwise type: the assessment
    date from the planned conversation and the period start. True when anything was added."""
    changed = False
    if case.assessment is None:
        case.assessment = {}
    data = case.assessment
    if not data.get("assessment_date") and case.planned is not None:
        data["assessment_date"] = case.planned.date.isoformat()
        changed = True
    period = data.get("period")
    if not isinstance(period, dict):
        period = {}
        data["period"] = period
    if not period.get("start"):
        start = default_period_start(case, iso_date(data.get("assessment_date")))
        if start is not None:
            period["start"] = start.isoformat()
            changed = True
    return changed


class CaseEditorFactory:
    """The shell's way to open a case in two steps: `load` on a worker thread (all reads),
    `build` on the UI thread (widgets only). Tests hand the shell a factory of their own."""

    def __init__(
        self,
        service: CaseStore,
        *,
        documents_dir: Path | None = None,
        decisions: Any = None,
        letters: Any = None,
    ) -> None:
        self.service = service
        self.documents_dir = documents_dir
        self.decisions = decisions
        self.letters = letters

    def load(self, case_id: str) -> LoadedCase:
        return load_for_editor(self.service, case_id)

    def build(self, loaded: LoadedCase, parent: QWidget) -> CaseView:
        # Imported when a case is opened, not at start: the case screens are heavier.
        from bwo_desktop.ui.case_editor import CaseEditor

        editor = CaseEditor(
            self.service,
            loaded.case.id or "",
            parent,
            documents_dir=self.documents_dir,
            loaded=loaded,
        )
        if self.decisions is not None:
            editor.decisions = self.decisions
        if self.letters is not None:
            editor.letters = self.letters
        return editor
