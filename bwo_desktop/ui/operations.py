"""One way for the UI to run a use case, after Anki's `CollectionOp`: the work runs off the
UI thread, a failure gets one Dutch message by one policy (typed errors, never class-name
strings), and what changed is announced once, on `CaseEvents.cases_changed(ids)`, where
every view that shows cases refreshes itself.

    CaseOp(window, lambda: cases.create_planned(...), events=context.events,
           changes=lambda case: {case.id}).success(show_it).run_in_background()
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from bwo_desktop import APP_TITLE
from bwo_desktop.core.errors import InputError, describe_os_error
from bwo_desktop.ui.background import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

T = TypeVar("T")

# `cases_changed` with no ids: anything may have changed (an import, a restore): reload.
ALL_CASES: frozenset[str] = frozenset()

MSG_UNEXPECTED = (
    "Er ging iets onverwachts mis. Probeer het opnieuw; gebeurt het vaker, meld het dan bij "
    "functioneel beheer."
)


class CaseEvents(QObject):
    """The one change signal of the shell. Ids are case ids; ALL_CASES means "reload"."""

    cases_changed = Signal(object)  # frozenset[str]

    def changed(self, ids: Iterable[str] = ()) -> None:
        self.cases_changed.emit(frozenset(ids))


def failure_text(exc: BaseException) -> str:
    """The one Dutch line for a failed operation; never a traceback and never SQL (the log
    gets the exception type only). Our own errors (InputError and the service errors that
    subclass it) carry their Dutch text; OS errors are described in Dutch."""
    if isinstance(exc, InputError):
        return str(exc).strip()
    if isinstance(exc, PermissionError):
        return (
            "Het bestand kon niet worden geschreven: geen toegang. Is het nog geopend in "
            "Excel of een PDF-lezer? Sluit het en probeer het opnieuw."
        )
    if isinstance(exc, OSError):
        return f"Het bestand kon niet worden geschreven of gelezen: {describe_os_error(exc)}."
    log.error("operation failed: %s", type(exc).__name__)
    return MSG_UNEXPECTED


def sentence(text: str) -> str:
    """A service's Dutch line ("het kantoor is niet bereikbaar") as a sentence in a message."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def show_failure(parent: QWidget | None, what: str, exc: BaseException) -> None:
    """The default failure policy: a warning naming what did not work, and why."""
    QMessageBox.warning(parent, APP_TITLE, f"{what} is niet gelukt. {failure_text(exc)}")


class CaseOp(Generic[T]):
    """One use case run from the UI: `op` on a worker thread; on success `success(result)`
    on the UI thread, then `cases_changed(changes(result))`; on failure `failure(exc)`, by
    default `show_failure(parent, what, exc)`. Callbacks are skipped when `parent` was
    deleted meanwhile (a window closed during the work)."""

    def __init__(
        self,
        parent: QWidget,
        op: Callable[[], T],
        *,
        what: str,
        events: CaseEvents | None = None,
        changes: Callable[[T], Iterable[str]] | None = None,
    ) -> None:
        self._parent = parent
        self._op = op
        self._what = what
        self._events = events
        self._changes = changes
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, fn: Callable[[T], None]) -> CaseOp[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> CaseOp[T]:
        self._failure = fn
        return self

    def run_in_background(self) -> BackgroundTask:
        return run_in_background(self._op, self._done, self._failed, owner=self._parent)

    def _done(self, result: T) -> None:
        if self._success is not None:
            self._success(result)
        if self._events is not None and self._changes is not None:
            self._events.changed(self._changes(result))

    def _failed(self, exc: BaseException) -> None:
        if self._failure is not None:
            self._failure(exc)
        else:
            show_failure(self._parent, self._what, exc)


__all__ = ["ALL_CASES", "CaseEvents", "CaseOp", "failure_text", "sentence", "show_failure"]
