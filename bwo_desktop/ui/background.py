"""Run slow work (database, key derivation) off the UI thread and hand the result back to it.

A task is a plain callable run on a QThreadPool thread; its result or exception comes back
as a queued signal, so the callbacks run on the UI thread and may touch widgets. Give the
widget the callbacks belong to as `owner`: when it is deleted before the work finishes (a
window closed during a list refresh), the callbacks are skipped instead of touching a
deleted Qt object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class BackgroundTask(QRunnable):
    """One callable on a pool thread. Keep no Qt widgets inside `fn`: it is not the UI thread."""

    _running: ClassVar[set[BackgroundTask]] = (
        set()
    )  # keeps relays alive until their signal is delivered

    def __init__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        owner: QObject | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self.relay = _Relay()
        self.relay.done.connect(self._finish_ok)
        self.relay.failed.connect(self._finish_failed)
        self._on_done = on_done
        self._on_failed = on_failed
        self._owner = owner
        self.finished = False
        self.skipped = False  # the owner was gone when the result came back

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the UI thread, which shows a Dutch message
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)

    def _owner_gone(self) -> bool:
        owner = self._owner
        self.skipped = owner is not None and not shiboken6.isValid(owner)
        return self.skipped

    def _finish_ok(self, result: Any) -> None:
        self.finished = True
        BackgroundTask._running.discard(self)
        if not self._owner_gone():
            self._on_done(result)

    def _finish_failed(self, exc: BaseException) -> None:
        self.finished = True
        BackgroundTask._running.discard(self)
        if not self._owner_gone():
            self._on_failed(exc)


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    *,
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
) -> BackgroundTask:
    task = BackgroundTask(fn, on_done, on_failed, owner)
    BackgroundTask._running.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def wait_for_background(timeout_ms: int = 10_000) -> bool:
    """Wait for pool threads to finish (at shutdown, so no task outlives the database)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
