"""What the case editor needs from the services, as typed ports (Protocols): the real
services satisfy them structurally, and so must every test fake — completely, since the UI
never probes a service for what it can do (`hasattr`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from bwo_desktop.core.case import Case
from bwo_desktop.core.readiness import ReadinessItem


class CaseStore(Protocol):
    """services.cases.CaseService as the editor uses it."""

    def get(self, case_id: str) -> Case: ...

    def save(self, case: Case) -> Case: ...

    def previous_case(self, case: Case) -> Case | None: ...

    def new_version(self, case_id: str) -> Case: ...

    def record_view(self, case_id: str) -> None: ...

    def get_ui_state(self, key: str, default: Any = None) -> Any: ...

    def set_ui_state(self, key: str, value: Any) -> None: ...

    def leased_elsewhere(self, case_id: str) -> str | None: ...


class DecisionPort(Protocol):
    """services.decisions.DecisionService."""

    def readiness(self, case_id: str) -> list[ReadinessItem]: ...

    def finalise(self, case_id: str, expected_version: int) -> Case: ...


class LetterPort(Protocol):
    """services.letters.LetterService (the documents of one case)."""

    def beschikking(self, case_id: str, folder: Path) -> Path: ...

    def verslag(self, case_id: str, folder: Path, *, copy: str) -> Path: ...
