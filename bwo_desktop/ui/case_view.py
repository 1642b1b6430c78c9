"""What the shell needs of the widget that shows an open case, and how it gets one.

`CaseView` is the base class of the case editor and of every test stand-in: the shell uses
exactly these signals and methods and never probes a widget for what it can do. An
`EditorFactory` opens a case in two steps: `load` runs on a worker thread and does all the
reading; `build` runs on the UI thread and only makes widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class CaseView(QWidget):
    """An open case inside the shell."""

    case_changed = Signal(str)  # case id: saved, decided, or replaced by a new version
    closed = Signal()  # the consultant asked to go back to the list
    next_client_requested = Signal()  # "Volgende cliënt": the shell opens the next one
    # True: the view shows the client and a way back itself (the shell hides its own bar).
    has_header = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Called with the target folder before a document is written (the shell shows the
        # one-time "not encrypted" notice there); None: no notice.
        self.before_export: Callable[[Path], None] | None = None

    def flush(self) -> bool:
        """Write what is pending and wait; True when everything is on disk."""
        return True

    def ensure_saved(self, action: str) -> bool:
        """Before `action` (closing, locking, another case): everything on disk, or the
        consultant was asked and chose to cancel (False: the action must not go ahead)."""
        return self.flush()

    def set_embedded(self, embedded: bool = True) -> None:
        """Inside the main window the view's own header is the only title line."""

    def offer_next_client(self, offered: bool) -> None:
        """The shell can open the next client of the day (the view shows a way to ask)."""

    def shutdown(self) -> None:
        """Flush and stop background work before the view is deleted."""
        self.flush()


class EditorFactory(Protocol):
    def load(self, case_id: str) -> Any:
        """Worker thread: read everything the view needs. Raises when the case is gone."""
        ...

    def build(self, loaded: Any, parent: QWidget) -> CaseView:
        """UI thread: the view over what `load` returned."""
        ...


__all__ = ["CaseView", "EditorFactory"]
